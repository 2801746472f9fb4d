/*
 * "json": prints one value of a JSON document read from stdin (sim.sh
 * reads the simulator's answers with it; the other tests use jq). PATH is
 * ".a.b.0.c"; a trailing "#" prints the length of an array, object or
 * string.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "xmalloc.h"

int
sim_json_main(int argc, char **argv)
{
	json_error_t	 err;
	json_t		*root, *j;
	char		*path, *part, *next, *end, *s;
	size_t		 len;
	long		 idx;
	int		 count = 0, r = 1;

	if (argc != 2 || argv[1][0] != '.') {
		fprintf(stderr, "usage: support-inbox-sim json .PATH[#] "
		    "< document\n");
		return (1);
	}
	if ((root = json_loadf(stdin, JSON_DECODE_ANY, &err)) == NULL) {
		fprintf(stderr, "support-inbox-sim: json: %s (line %d)\n",
		    err.text, err.line);
		return (1);
	}
	path = xstrdup(argv[1] + 1);
	len = strlen(path);
	if (len > 0 && path[len - 1] == '#') {
		path[--len] = '\0';
		count = 1;
	}
	j = root;
	for (part = path; j != NULL && *part != '\0'; part = next) {
		if ((next = strchr(part, '.')) != NULL)
			*next++ = '\0';
		else
			next = part + strlen(part);
		if (json_is_array(j)) {
			idx = strtol(part, &end, 10);
			j = *end == '\0' && idx >= 0 ?
			    json_array_get(j, (size_t)idx) : NULL;
		} else
			j = json_object_get(j, part);
	}
	if (j == NULL)
		goto out;
	if (count) {
		if (json_is_array(j))
			printf("%zu\n", json_array_size(j));
		else if (json_is_object(j))
			printf("%zu\n", json_object_size(j));
		else if (json_is_string(j))
			printf("%zu\n", json_string_length(j));
		else
			goto out;
	} else if (json_is_string(j))
		printf("%s\n", json_string_value(j));
	else {
		s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
		printf("%s\n", s);
		free(s);
	}
	r = 0;
out:
	free(path);
	json_decref(root);
	return (r);
}

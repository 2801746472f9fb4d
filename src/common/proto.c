/* Framing shared by the daemon and the client; see proto.h. */
#include <stdlib.h>
#include <string.h>

#include "proto.h"
#include "xmalloc.h"

int
proto_frame_next(struct buf *b, size_t *len)
{
	const char	*nl;
	size_t		 scan;

	scan = b->len < PROTO_FRAME_MAX + 1 ? b->len : PROTO_FRAME_MAX + 1;
	if (scan == 0)
		return (0);
	nl = memchr(b->data, '\n', scan);
	if (nl != NULL) {
		*len = (size_t)(nl - b->data);
		return (1);
	}
	if (b->len > PROTO_FRAME_MAX)
		return (-1);
	return (0);
}

char *
proto_encode(json_t *j, size_t *len)
{
	char	*s;
	size_t	 n;

	s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (s == NULL)
		return (NULL);
	n = strlen(s);
	if (n + 1 > PROTO_FRAME_MAX) {
		free(s);
		return (NULL);
	}
	s = xrealloc(s, n + 2);
	s[n] = '\n';
	s[n + 1] = '\0';
	*len = n + 1;
	return (s);
}

/*
 * support-inbox-sim: the WhatsApp Cloud API simulator used by the tests,
 * the benchmarks and the demo. One command per file; this table names them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "sim.h"
#include "version.h"

static const struct {
	const char	*name;
	int		(*main)(int, char **);
	const char	*help;
} sim_commands[] = {
	{ "post", sim_post_main, "post signed customer-message webhooks" },
	{ "gen", sim_post_main, "the same as post" },
	{ "serve", sim_serve_main, "answer the Graph API endpoints" },
	{ "sink", sim_sink_main, "receive and verify signed webhooks" },
	{ "json", sim_json_main, "print one value of JSON on stdin" },
	{ "seed", sim_seed_main, "post a demo inbox's two weeks (backdated)" },
};

static void
usage(void)
{
	size_t	i;

	fprintf(stderr, "usage: support-inbox-sim command [options]\n");
	for (i = 0; i < sizeof sim_commands / sizeof sim_commands[0]; i++)
		fprintf(stderr, "  %-6s %s\n", sim_commands[i].name,
		    sim_commands[i].help);
}

int
main(int argc, char **argv)
{
	size_t	i;
	int	r;

	if (argc < 2) {
		usage();
		return (1);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("support-inbox-sim %s\n", SI_VERSION);
		return (0);
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "support-inbox-sim: sodium_init failed\n");
		return (1);
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		fprintf(stderr, "support-inbox-sim: curl_global_init failed\n");
		return (1);
	}
	for (i = 0; i < sizeof sim_commands / sizeof sim_commands[0]; i++) {
		if (strcmp(argv[1], sim_commands[i].name) == 0) {
			r = sim_commands[i].main(argc - 1, argv + 1);
			curl_global_cleanup();
			return (r);
		}
	}
	curl_global_cleanup();
	usage();
	return (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ?
	    0 : 1);
}

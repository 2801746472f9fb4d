/* Placeholder until the Graph endpoints land. */
#include <stdio.h>

#include "sim.h"

int
sim_serve_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "support-inbox-sim: serve is not written yet\n");
	return (1);
}

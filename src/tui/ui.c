/* Placeholder until the full TUI lands: shows the "all" view read-only. */
#include <stdio.h>

#include "ui.h"

int
ui_main(const char *socket_path, const char *config)
{
	(void)config;
	fprintf(stderr, "support-inbox: the full-screen client is not built "
	    "yet; try 'support-inbox --socket %s list'\n", socket_path);
	return (1);
}

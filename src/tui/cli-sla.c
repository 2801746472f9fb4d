/*
 * CLI: service-level targets (issue 19; sla.targets, rpc-sla.c): the
 * targets in effect per team and priority; and the short forms of a
 * clock that the list (here and the TUI's) shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "names.h"
#include "proto-names.h"

void
cli_sla_span(int64_t secs, char *buf, size_t len)
{
	if (secs < 0)
		secs = -secs;
	if (secs < 60)
		snprintf(buf, len, "%llds", (long long)secs);
	else if (secs < 3600)
		snprintf(buf, len, "%lldm", (long long)(secs / 60));
	else if (secs < 86400)
		snprintf(buf, len, "%lldh%02lld", (long long)(secs / 3600),
		    (long long)(secs % 3600 / 60));
	else
		snprintf(buf, len, "%lldd%lldh", (long long)(secs / 86400),
		    (long long)(secs % 86400 / 3600));
}

const char *
cli_sla_cell(json_t *sla, char *buf, size_t len)
{
	char	span[32];

	if (!json_is_object(sla)) {
		if (len > 0)
			buf[0] = '\0';
		return (buf);
	}
	cli_sla_span(json_integer_value(json_object_get(sla, "left")), span,
	    sizeof span);
	if (json_is_true(json_object_get(sla, "breached")))
		snprintf(buf, len, "  [SLA %s breached %s ago]",
		    cli_str(sla, "kind"), span);
	else
		snprintf(buf, len, "  [SLA %s %s left]", cli_str(sla, "kind"),
		    span);
	return (buf);
}

static void
cli_sla_print(json_t *r)
{
	static const char *const kinds[] = { "first", "next", "resolution" };
	json_t		*t, *p, *v;
	const char	*team;
	char		 span[32];
	size_t		 i, k;
	int		 n;

	cli_sla_span(json_integer_value(json_object_get(r, "soon")), span,
	    sizeof span);
	printf("breaching soon: due within %s\n", span);
	printf("%-16s %-8s %-12s %-12s %-12s\n", "TEAM", "PRIORITY",
	    "FIRST", "NEXT", "RESOLUTION");
	json_array_foreach(json_object_get(r, "teams"), i, t) {
		team = json_string_value(json_object_get(t, "team"));
		for (n = 0; n < CONV_NPRIORITIES; n++) {
			p = json_object_get(json_object_get(t, "targets"),
			    names_priority((enum conv_priority)n));
			printf("%-16.16s %-8s", team != NULL ? team :
			    "(default)", names_priority((enum conv_priority)n));
			for (k = 0; k < 3; k++) {
				v = json_object_get(p, kinds[k]);
				if (json_is_integer(v))
					cli_sla_span(json_integer_value(v),
					    span, sizeof span);
				else
					snprintf(span, sizeof span, "-");
				printf(" %-12s", span);
			}
			printf("\n");
		}
		printf("%-16.16s counted in %s\n", "", json_is_true(
		    json_object_get(t, "business_hours")) && json_is_true(
		    json_object_get(t, "hours")) ? "business hours" :
		    "wall-clock time");
	}
}

static int
cli_sla(struct client *c, struct cli_opts *o)
{
	if (o->nargs != 0)
		return (cli_err("usage: support-inbox sla [--json]"));
	return (cli_simple(c, o, PM_SLA_TARGETS, json_object(),
	    cli_sla_print));
}

const struct cli_entry cli_sla_table[] = {
	{ "sla", NULL, "sla [--json]", cli_sla },
	{ NULL, NULL, NULL, NULL }
};

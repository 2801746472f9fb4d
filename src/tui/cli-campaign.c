/*
 * CLI: campaigns (campaign.*, rpc-campaign.c; doc/campaigns.md). Each
 * command is one method; --json prints its answer as is. The report
 * prints as a table, CSV or JSON (--format).
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

#define CLI_CAMPAIGN_STATES \
	"queued", "sending", "sent", "delivered", "read", "failed", "skipped"

static long long
cli_campaign_n(json_t *o, const char *k)
{
	return ((long long)json_integer_value(json_object_get(o, k)));
}

static void
cli_campaign_line(json_t *c)
{
	json_t	*n = json_object_get(c, "counts");
	char	 when[64];

	printf("%-20s %-10s %-24s %6lld/%-6lld sent %lld delivered %lld "
	    "read %lld failed %lld skipped %lld replies %lld",
	    cli_str(c, "name"), cli_str(c, "state"), cli_str(c, "template"),
	    cli_campaign_n(n, "total") - cli_campaign_n(n, "queued"),
	    cli_campaign_n(n, "total"), cli_campaign_n(n, "sent") +
	    cli_campaign_n(n, "delivered") + cli_campaign_n(n, "read"),
	    cli_campaign_n(n, "delivered") + cli_campaign_n(n, "read"),
	    cli_campaign_n(n, "read"), cli_campaign_n(n, "failed"),
	    cli_campaign_n(n, "skipped"), cli_campaign_n(n, "replies"));
	if (json_is_string(json_object_get(c, "pause_reason")))
		printf(" (paused: %s)", cli_str(c, "pause_reason"));
	if (json_is_string(json_object_get(c, "waiting"))) {
		cli_when(cli_campaign_n(c, "next_at"), when, sizeof when);
		printf(" (waiting for tier, next at %s)", when);
	}
	printf("\n");
}

static void
cli_campaign_list_print(json_t *r)
{
	json_t	*c;
	size_t	 i;

	json_array_foreach(json_object_get(r, "campaigns"), i, c)
		cli_campaign_line(c);
}

static void
cli_campaign_preview_print(json_t *r)
{
	json_t		*v, *s;
	const char	*k;
	size_t		 i;

	printf("%lld recipients\n", cli_campaign_n(r, "recipients"));
	printf("left out:");
	json_object_foreach(json_object_get(r, "excluded"), k, v)
		printf(" %s %lld", k, (long long)json_integer_value(v));
	printf("\n");
	json_array_foreach(json_object_get(r, "samples"), i, s)
		printf("--- %s ---\n%s\n", cli_str(s, "lang"),
		    json_is_string(json_object_get(s, "text")) ?
		    cli_str(s, "text") : "(no such template in this language)");
	json_object_foreach(json_object_get(r, "lists"), k, v) {
		printf("%s:", k);
		json_array_foreach(v, i, s)
			printf(" contact:%lld", (long long)
			    json_integer_value(s));
		printf("\n");
	}
}

static void
cli_campaign_state_print(json_t *r)
{
	printf("campaign %s is %s\n", cli_str(r, "name"), cli_str(r, "state"));
}

static int
cli_campaign_create(struct client *c, struct cli_opts *o)
{
	const char	*tmpl = cli_flag(o, "template"), *lang = cli_flag(o,
			    "lang"), *seg = cli_flag(o, "segment"), *num =
			    cli_flag(o, "from"), *p, *e;
	json_t		*params, *langs, *ps;
	int64_t		 when = 0;

	if (o->nargs != 1 || tmpl == NULL || lang == NULL)
		return (cli_err("usage: support-inbox campaign create NAME "
		    "--template T --lang L[,L...] [--segment QUERY] "
		    "[--param V]... [--from NUMBER] [--schedule WHEN]"));
	if (cli_flag_time(o, "schedule", 1, &when) < 0)
		return (1);
	langs = json_array();
	for (p = lang; *p != '\0'; p = *e != '\0' ? e + 1 : e) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if (e > p)
			json_array_append_new(langs, json_stringn(p,
			    (size_t)(e - p)));
	}
	params = json_pack("{ss ss so}", "name", o->args[0], "template", tmpl,
	    "languages", langs);
	if (seg != NULL)
		json_object_set_new(params, "segment", json_string(seg));
	if (num != NULL)
		json_object_set_new(params, "number", json_string(num));
	if ((ps = json_object_get(o->flags, "params")) != NULL)
		json_object_set(params, "params", ps);
	if (when > 0)
		json_object_set_new(params, "schedule", json_integer(when));
	return (cli_simple(c, o, PM_CAMPAIGN_CREATE, params,
	    cli_campaign_state_print));
}

static int
cli_campaign_list(struct client *c, struct cli_opts *o)
{
	return (cli_simple(c, o, PM_CAMPAIGN_LIST, json_object(),
	    cli_campaign_list_print));
}

static int
cli_campaign_named(struct client *c, struct cli_opts *o, const char *method,
    void (*print)(json_t *))
{
	json_t	*params;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox campaign %s NAME",
		    strchr(method, '.') + 1));
	params = json_pack("{ss}", "name", o->args[0]);
	if (strcmp(method, PM_CAMPAIGN_PREVIEW) == 0 &&
	    cli_flag(o, "list") != NULL)
		json_object_set_new(params, "list", json_true());
	return (cli_simple(c, o, method, params, print));
}

static int
cli_campaign_status(struct client *c, struct cli_opts *o)
{
	return (cli_campaign_named(c, o, PM_CAMPAIGN_STATUS,
	    cli_campaign_line));
}

static int
cli_campaign_preview(struct client *c, struct cli_opts *o)
{
	return (cli_campaign_named(c, o, PM_CAMPAIGN_PREVIEW,
	    cli_campaign_preview_print));
}

static int
cli_campaign_start(struct client *c, struct cli_opts *o)
{
	return (cli_campaign_named(c, o, PM_CAMPAIGN_START,
	    cli_campaign_state_print));
}

static int
cli_campaign_pause(struct client *c, struct cli_opts *o)
{
	return (cli_campaign_named(c, o, PM_CAMPAIGN_PAUSE,
	    cli_campaign_state_print));
}

static int
cli_campaign_resume(struct client *c, struct cli_opts *o)
{
	return (cli_campaign_named(c, o, PM_CAMPAIGN_RESUME,
	    cli_campaign_state_print));
}

static int
cli_campaign_cancel(struct client *c, struct cli_opts *o)
{
	return (cli_campaign_named(c, o, PM_CAMPAIGN_CANCEL,
	    cli_campaign_state_print));
}

/* The report's rows: (what, reason, count). */
static void
cli_campaign_rows(json_t *r, void (*row)(const char *, const char *,
    long long))
{
	static const char *const states[] = { CLI_CAMPAIGN_STATES };
	json_t		*v;
	const char	*k;
	size_t		 i;

	row("total", "", cli_campaign_n(r, "total"));
	for (i = 0; i < sizeof states / sizeof states[0]; i++)
		row(states[i], "", cli_campaign_n(r, states[i]));
	json_object_foreach(json_object_get(r, "failed_by_reason"), k, v)
		row("failed", k, (long long)json_integer_value(v));
	json_object_foreach(json_object_get(r, "skipped_by_reason"), k, v)
		row("skipped", k, (long long)json_integer_value(v));
	row("replies", "", cli_campaign_n(r, "replies"));
	row("opt_outs", "", cli_campaign_n(r, "opt_outs"));
}

static void
cli_campaign_row_table(const char *what, const char *reason, long long n)
{
	printf("%-10s %-14s %8lld\n", what, reason, n);
}

static void
cli_campaign_row_csv(const char *what, const char *reason, long long n)
{
	printf("%s,%s,%lld\n", what, reason, n);
}

static int
cli_campaign_report(struct client *c, struct cli_opts *o)
{
	const char	*fmt = cli_flag(o, "format");
	json_t		*r;

	if (fmt == NULL)
		fmt = o->json ? "json" : "table";
	if (o->nargs != 1 || (strcmp(fmt, "table") != 0 && strcmp(fmt,
	    "csv") != 0 && strcmp(fmt, "json") != 0))
		return (cli_err("usage: support-inbox campaign report NAME "
		    "[--format table|csv|json]"));
	if ((r = cli_call(c, PM_CAMPAIGN_REPORT, json_pack("{ss}", "name",
	    o->args[0]))) == NULL)
		return (1);
	if (strcmp(fmt, "json") == 0)
		return (cli_print_free(r));
	if (strcmp(fmt, "csv") == 0) {
		printf("what,reason,count\n");
		cli_campaign_rows(r, cli_campaign_row_csv);
	} else {
		printf("campaign %s (%s), template %s\n", cli_str(r, "name"),
		    cli_str(r, "state"), cli_str(r, "template"));
		printf("%-10s %-14s %8s\n", "WHAT", "REASON", "COUNT");
		cli_campaign_rows(r, cli_campaign_row_table);
	}
	json_decref(r);
	return (0);
}

const struct cli_entry cli_campaign_table[] = {
	{ "campaign", "create", "campaign create NAME --template T --lang "
	    "L[,L...] [--segment QUERY] [--param V]... [--from NUMBER] "
	    "[--schedule WHEN]", cli_campaign_create },
	{ "campaign", "list", "campaign list", cli_campaign_list },
	{ "campaign", "status", "campaign status NAME", cli_campaign_status },
	{ "campaign", "preview", "campaign preview NAME [--list]",
	    cli_campaign_preview },
	{ "campaign", "start", "campaign start NAME", cli_campaign_start },
	{ "campaign", "pause", "campaign pause NAME", cli_campaign_pause },
	{ "campaign", "resume", "campaign resume NAME", cli_campaign_resume },
	{ "campaign", "cancel", "campaign cancel NAME", cli_campaign_cancel },
	{ "campaign", "report", "campaign report NAME [--format "
	    "table|csv|json]", cli_campaign_report },
	{ NULL, NULL, NULL, NULL }
};

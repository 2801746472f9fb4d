/*
 * CLI: support-inbox report KIND --from WHEN --to WHEN [--team T]
 * [--number N] [--by day|week|agent|label] [--format table|csv|json]
 * (report.get, rpc-report.c; the figures are defined in doc/reports.md).
 * Aggregates only: nothing personal, so no purpose is asked. Durations
 * are business seconds: 1h05m in the table, seconds in csv and json.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "client.h"
#include "cli.h"
#include "csv.h"
#include "proto-names.h"
#include "when.h"

#define REPORT_USAGE "usage: support-inbox report " \
	"volume|response|resolution|agents|labels|survey|failures " \
	"--from WHEN --to WHEN [--team T] [--number N] " \
	"[--by day|week|agent|label] [--format table|csv|json]"

/* A column: its header, where its value is (dotted), a duration? */
struct report_col {
	const char	*head;
	const char	*path;
	int		 dur;
};

static const struct report_col report_volume[] = {
	{ "group", "key", 0 }, { "opened", "opened", 0 },
	{ "resolved", "resolved", 0 }, { NULL, NULL, 0 } };
static const struct report_col report_response[] = {
	{ "group", "key", 0 },
	{ "first_answered", "first_response.count", 0 },
	{ "first_median", "first_response.median", 1 },
	{ "first_p90", "first_response.p90", 1 },
	{ "next_answered", "next_response.count", 0 },
	{ "next_median", "next_response.median", 1 },
	{ "next_p90", "next_response.p90", 1 },
	{ "first_met", "attainment.first.met", 0 },
	{ "first_breached", "attainment.first.breached", 0 },
	{ "next_met", "attainment.next.met", 0 },
	{ "next_breached", "attainment.next.breached", 0 },
	{ "past_window", "waited_past_window", 0 },
	{ "unanswered", "unanswered", 0 }, { NULL, NULL, 0 } };
static const struct report_col report_resolution[] = {
	{ "group", "key", 0 }, { "opened", "opened", 0 },
	{ "resolved", "resolved", 0 },
	{ "median", "resolution_time.median", 1 },
	{ "p90", "resolution_time.p90", 1 },
	{ "met", "attainment.resolution.met", 0 },
	{ "breached", "attainment.resolution.breached", 0 },
	{ NULL, NULL, 0 } };
static const struct report_col report_agents[] = {
	{ "agent", "agent", 0 }, { "replies", "replies", 0 },
	{ "first_responses", "first_responses", 0 },
	{ "first_median", "first_response_median", 1 },
	{ "resolved", "resolved", 0 }, { NULL, NULL, 0 } };
static const struct report_col report_labels[] = {
	{ "label", "label", 0 }, { "opened", "opened", 0 },
	{ "resolved", "resolved", 0 },
	{ "resolution_median", "resolution_median", 1 }, { NULL, NULL, 0 } };
static const struct report_col report_survey[] = {
	{ "scale", "scale", 0 }, { "sent", "sent", 0 },
	{ "answered", "answered", 0 }, { "ratings", "distribution", 0 },
	{ NULL, NULL, 0 } };
static const struct report_col report_failures[] = {
	{ "code", "code", 0 }, { "count", "count", 0 },
	{ "reason", "reason", 0 }, { NULL, NULL, 0 } };

static const struct {
	const char		*kind;
	const struct report_col	*cols;
} report_kinds_cols[] = {
	{ "volume", report_volume }, { "response", report_response },
	{ "resolution", report_resolution }, { "agents", report_agents },
	{ "labels", report_labels }, { "survey", report_survey },
	{ "failures", report_failures }, { NULL, NULL } };

static json_t *
report_path(json_t *o, const char *path)
{
	char	 part[64];
	size_t	 n;

	while (o != NULL && *path != '\0') {
		n = strcspn(path, ".");
		if (n >= sizeof part)
			return (NULL);
		memcpy(part, path, n);
		part[n] = '\0';
		o = json_object_get(o, part);
		path += n + (path[n] == '.');
	}
	return (o);
}

static void
report_cell(json_t *v, int dur, int table, char *buf, size_t len)
{
	const char	*k;
	json_t		*x;
	size_t		 n = 0;

	if (v == NULL || json_is_null(v))
		snprintf(buf, len, "%s", table ? "-" : "");
	else if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_integer(v) && dur && table)
		when_dur_text(json_integer_value(v), buf, len);
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_object(v)) {
		buf[0] = '\0';
		json_object_foreach(v, k, x) {
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0,
			    "%s%s:%lld", n ? " " : "", k,
			    (long long)json_integer_value(x));
			if (n >= len)
				break;
		}
	} else
		snprintf(buf, len, "?");
}

/* The rows to print: the groups and a total, or the kind's rows. */
static json_t *
report_rows(json_t *r)
{
	json_t	*rows, *t;

	if ((rows = json_object_get(r, "rows")) != NULL)
		return (json_incref(rows));
	rows = json_array();
	json_array_extend(rows, json_object_get(r, "groups"));
	t = json_deep_copy(json_object_get(r, "total"));
	json_object_set_new(t, "key", json_string("total"));
	json_array_append_new(rows, t);
	return (rows);
}

static void
report_print(json_t *r, const struct report_col *cols, int csv)
{
	json_t		*rows = report_rows(r), *row;
	struct buf	 b;
	char		 cell[256];
	int		 w[32];
	size_t		 i, c, ncols;

	for (ncols = 0; cols[ncols].head != NULL; ncols++)
		w[ncols] = (int)strlen(cols[ncols].head);
	if (csv) {
		buf_init(&b, 0);
		for (c = 0; c < ncols; c++) {
			if (c > 0)
				buf_adds(&b, ",");
			csv_cell(&b, cols[c].head, ',');
		}
		buf_adds(&b, "\n");
		json_array_foreach(rows, i, row) {
			for (c = 0; c < ncols; c++) {
				report_cell(report_path(row, cols[c].path),
				    cols[c].dur, 0, cell, sizeof cell);
				if (c > 0)
					buf_adds(&b, ",");
				csv_cell(&b, cell, ',');
			}
			buf_adds(&b, "\n");
		}
		fwrite(b.data, 1, b.len, stdout);
		buf_release(&b);
		json_decref(rows);
		return;
	}
	json_array_foreach(rows, i, row)
		for (c = 0; c < ncols; c++) {
			report_cell(report_path(row, cols[c].path),
			    cols[c].dur, 1, cell, sizeof cell);
			if ((int)strlen(cell) > w[c])
				w[c] = (int)strlen(cell);
		}
	for (c = 0; c < ncols; c++)
		printf("%-*s%s", c + 1 < ncols ? w[c] : 0, cols[c].head,
		    c + 1 < ncols ? "  " : "\n");
	json_array_foreach(rows, i, row)
		for (c = 0; c < ncols; c++) {
			report_cell(report_path(row, cols[c].path),
			    cols[c].dur, 1, cell, sizeof cell);
			printf("%-*s%s", c + 1 < ncols ? w[c] : 0, cell,
			    c + 1 < ncols ? "  " : "\n");
		}
	if (json_array_size(rows) == 0)
		printf("(nothing in this range)\n");
	json_decref(rows);
}

static int
cli_report(struct client *c, struct cli_opts *o)
{
	const char	*fmt;
	json_t		*params, *r;
	int64_t		 from, to;
	size_t		 i;

	/* Unknown options: main.c refuses them by the usage. */
	if (o->nargs != 1)
		return (cli_err("%s", REPORT_USAGE));
	for (i = 0; report_kinds_cols[i].kind != NULL; i++)
		if (strcmp(o->args[0], report_kinds_cols[i].kind) == 0)
			break;
	if (report_kinds_cols[i].kind == NULL) {
		cli_err("unknown report '%s'", o->args[0]);
		return (cli_err("%s", REPORT_USAGE));
	}
	fmt = cli_flag(o, "format");
	if (fmt == NULL)
		fmt = o->json ? "json" : "table";
	if (strcmp(fmt, "table") != 0 && strcmp(fmt, "csv") != 0 &&
	    strcmp(fmt, "json") != 0)
		return (cli_err("--format is table, csv or json"));
	switch (cli_flag_time(o, "from", 0, &from)) {
	case 1:
		return (cli_err("--from WHEN is needed; %s", REPORT_USAGE));
	case -1:
		return (1);
	}
	switch (cli_flag_time(o, "to", 0, &to)) {
	case 1:
		return (cli_err("--to WHEN is needed; %s", REPORT_USAGE));
	case -1:
		return (1);
	}
	params = json_pack("{ss sI sI}", "kind", o->args[0], "from",
	    (json_int_t)from, "to", (json_int_t)to);
	if (cli_flag(o, "team") != NULL)
		json_object_set_new(params, "team",
		    json_string(cli_flag(o, "team")));
	if (cli_flag(o, "number") != NULL)
		json_object_set_new(params, "number",
		    json_string(cli_flag(o, "number")));
	if (cli_flag(o, "by") != NULL)
		json_object_set_new(params, "by",
		    json_string(cli_flag(o, "by")));
	if ((r = cli_call(c, PM_REPORT_GET, params)) == NULL)
		return (1);
	if (strcmp(fmt, "json") == 0)
		cli_print_json(r);
	else
		report_print(r, report_kinds_cols[i].cols,
		    strcmp(fmt, "csv") == 0);
	json_decref(r);
	return (0);
}

const struct cli_entry cli_report_table[] = {
	{ "report", NULL, REPORT_USAGE + 21, cli_report },
	{ NULL, NULL, NULL, NULL }
};

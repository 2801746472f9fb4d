/*
 * CLI: exports (issue 18, point 3). "export conversations" writes the
 * report rows of export.conversations as CSV or JSON; "export transcript"
 * one conversation (export.transcript) as wrapped plain text or one
 * self-contained HTML page; "export contacts" is contact export
 * (cli-contact-io.c). The daemon decides what may be read and audits it
 * with the reason; this file only formats. A file given with --out is new
 * (cli_create: 0600, never over an existing file or through a link), and
 * then --json prints a summary for scripts instead of the data.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "client.h"
#include "cli.h"
#include "csv.h"
#include "proto-names.h"
#include "thread-order.h"
#include "utf8.h"
#include "wrap.h"
#include "xmalloc.h"

#define EXPORT_PAGE	500	/* conversations a request */
#define EXPORT_MSGS	100	/* messages a request: as conv.show's, well
				   inside a frame however long they are */
#define EXPORT_COLS	78	/* a transcript's lines */
#define EXPORT_INDENT	4

#define EXPORT_CONV_USAGE "usage: support-inbox export conversations " \
	"[--view V] [--state S] [--label L] [--team T] [--number LABEL] " \
	"[--assignee NAME|me|none] [--from WHEN] [--to WHEN] [--format " \
	"csv|json] [--reason TEXT [--full-numbers]] [--raw] [--out FILE] " \
	"[--force]"
#define EXPORT_TR_USAGE "usage: support-inbox export transcript CONV " \
	"--reason TEXT [--format txt|html] [--notes] [--out FILE] [--force]"

/* Writes b and closes; with --json and a file, the summary. 0 or 1. */
static int
export_finish(struct cli_opts *o, FILE *f, const char *path, struct buf *b,
    size_t rows, const char *fmt)
{
	int	 bad;

	bad = fwrite(b->data, 1, b->len, f) != b->len;
	buf_release(b);
	if (f == stdout)
		return (fflush(f) != 0 || bad);
	if (fclose(f) != 0 || bad) {
		unlink(path);
		return (cli_err("cannot write '%s'", path));
	}
	if (o->json)
		return (cli_print_free(json_pack("{ss sI ss}", "file", path,
		    "rows", (json_int_t)rows, "format", fmt)));
	return (0);
}

static void
export_drop(FILE *f, const char *path)
{
	if (f != stdout) {
		fclose(f);
		unlink(path);
	}
}

/*
 * Text for a file: valid UTF-8 without control characters (a tab is a
 * space; newlines kept) and without the bidirectional controls that could
 * make text read in another order than it is stored (allocated).
 */
static char *
export_clean(const char *s)
{
	struct buf	 b;
	size_t		 len = strlen(s), i = 0, n;
	uint32_t	 cp;
	char		 enc[4];

	buf_init(&b, 0);
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		i += n;
		if (cp == '\t')
			cp = ' ';
		if ((cp < 0x20 && cp != '\n') || (cp >= 0x7f && cp < 0xa0) ||
		    cp == 0x061c || cp == 0x200e || cp == 0x200f ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			continue;
		buf_add(&b, enc, utf8_encode(cp, enc));
	}
	buf_add(&b, "", 1);
	return (buf_detach(&b, NULL));
}

/* A time in the agent's zone (TZ): "2026-12-04 16:20", iso: with seconds
 * and the offset, as "2026-12-04T16:20:05+0100". 0 or null: "". */
static void
export_time(json_t *v, int iso, char *out, size_t len)
{
	struct tm	tm;
	time_t		t = (time_t)json_integer_value(v);

	out[0] = '\0';
	if (!json_is_integer(v) || t == 0)
		return;
	localtime_r(&t, &tm);
	strftime(out, len, iso ? "%Y-%m-%dT%H:%M:%S%z" : "%Y-%m-%d %H:%M",
	    &tm);
}

/* --- conversations --- */

static const char *const export_conv_cols[] = { "id", "state", "priority",
    "team", "assignee", "labels", "number", "created",
    "first_customer_message", "first_response", "resolved", "messages_in",
    "messages_out", "last_activity", "window", "name", "phone", NULL };

static void
export_conv_csv(struct buf *b, json_t *row, int pd, int raw, const char *eol)
{
	static const char *const prio[] = { "urgent", "high", "normal",
	    "low" };
	const char	*k;
	json_t		*v, *l;
	struct buf	 labels;
	char		 cell[64], *s;
	size_t		 i, j;
	int64_t		 p;

	for (i = 0; (k = export_conv_cols[i]) != NULL; i++) {
		if (!pd && (strcmp(k, "name") == 0 || strcmp(k,
		    "phone") == 0))
			break;
		if (i > 0)
			buf_adds(b, ",");
		v = json_object_get(row, k);
		cell[0] = '\0';
		s = NULL;
		if (strcmp(k, "labels") == 0) {
			buf_init(&labels, 0);
			json_array_foreach(v, j, l)
				buf_addf(&labels, "%s%s", j > 0 ? ";" : "",
				    json_string_value(l));
			buf_add(&labels, "", 1);
			s = buf_detach(&labels, NULL);
		} else if (strcmp(k, "priority") == 0) {
			p = json_integer_value(v);
			snprintf(cell, sizeof cell, "%s", p >= 0 && p < 4 ?
			    prio[p] : "normal");
		} else if (strcmp(k, "created") == 0 || strcmp(k,
		    "resolved") == 0 || strcmp(k, "last_activity") == 0 ||
		    strncmp(k, "first_", 6) == 0)
			export_time(v, 1, cell, sizeof cell);
		else if (json_is_integer(v))
			snprintf(cell, sizeof cell, "%lld",
			    (long long)json_integer_value(v));
		else if (json_is_string(v))
			s = export_clean(json_string_value(v));
		if (raw)
			csv_field(b, s != NULL ? s : cell, ',');
		else
			csv_cell(b, s != NULL ? s : cell, ',');
		free(s);
	}
	buf_adds(b, eol);
}

static int
cli_export_conversations(struct client *c, struct cli_opts *o)
{
	static const char *const keys[] = { "view", "state", "label", "team",
	    "number", "assignee", NULL };
	const char	*fmt, *path, *reason, *eol;
	json_t		*p, *r, *all, *doc, *row;
	struct buf	 b;
	int64_t		 t;
	long long	 after = 0;
	size_t		 i;
	FILE		*f;
	char		*s;
	int		 more, rc;

	fmt = cli_flag(o, "format") != NULL ? cli_flag(o, "format") : "csv";
	if (strcmp(fmt, "csv") != 0 && strcmp(fmt, "json") != 0)
		return (cli_err("--format is csv or json for conversations, "
		    "not '%s'", fmt));
	if (o->nargs != 0)
		return (cli_err(EXPORT_CONV_USAGE));
	reason = cli_flag(o, "reason");
	if (cli_flag(o, "full-numbers") != NULL && reason == NULL)
		return (cli_err("--full-numbers needs --reason TEXT (it is "
		    "audited)"));
	p = json_object();
	for (i = 0; keys[i] != NULL; i++)
		if (cli_flag(o, keys[i]) != NULL)
			json_object_set_new(p, keys[i],
			    json_string(cli_flag(o, keys[i])));
	if ((rc = cli_flag_time(o, "from", 0, &t)) < 0 ||
	    (rc == 0 && json_object_set_new(p, "from", json_integer(t)) != 0) ||
	    (rc = cli_flag_time(o, "to", 0, &t)) < 0 ||
	    (rc == 0 && json_object_set_new(p, "to", json_integer(t)) != 0)) {
		json_decref(p);
		return (1);
	}
	if (reason != NULL)
		json_object_set_new(p, "reason", json_string(reason));
	if (cli_flag(o, "full-numbers") != NULL)
		json_object_set_new(p, "full_numbers", json_true());
	if ((f = cli_out(o, "out", &path)) == NULL) {
		json_decref(p);
		return (1);
	}
	all = json_array();
	do {
		json_object_set_new(p, "after", json_integer(after));
		json_object_set_new(p, "limit", json_integer(EXPORT_PAGE));
		if ((r = cli_call(c, PM_EXPORT_CONVERSATIONS,
		    json_incref(p))) == NULL) {
			json_decref(p);
			json_decref(all);
			export_drop(f, path);
			return (1);
		}
		json_array_extend(all, json_object_get(r, "rows"));
		after = json_integer_value(json_object_get(r, "next"));
		more = json_is_true(json_object_get(r, "more"));
		json_decref(r);
	} while (more);
	json_decref(p);
	buf_init(&b, 0);
	if (strcmp(fmt, "json") == 0) {
		doc = json_pack("{ss sI sO}", "format",
		    "support-inbox-conversations-1", "exported_at",
		    (json_int_t)time(NULL), "conversations", all);
		s = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS |
		    (f == stdout ? JSON_ENSURE_ASCII : 0));
		json_decref(doc);
		buf_addf(&b, "%s\n", s);
		free(s);
	} else {
		for (i = 0; export_conv_cols[i] != NULL; i++) {
			if (reason == NULL && strcmp(export_conv_cols[i],
			    "name") == 0)
				break;
			buf_addf(&b, "%s%s", i > 0 ? "," : "",
			    export_conv_cols[i]);
		}
		/* CRLF in a file; standard output (cleaned, cli.c) has LF. */
		eol = f == stdout ? "\n" : "\r\n";
		buf_adds(&b, eol);
		json_array_foreach(all, i, row)
			export_conv_csv(&b, row, reason != NULL,
			    cli_flag(o, "raw") != NULL, eol);
	}
	i = json_array_size(all);
	json_decref(all);
	return (export_finish(o, f, path, &b, i, fmt));
}

/* --- transcripts --- */

/* What a message says, as lines of text (allocated, not yet cleaned). */
static char *
export_msg_text(json_t *m)
{
	json_t		*body = json_object_get(m, "body"), *md, *x, *card,
			*ph;
	const char	*type = cli_str(m, "type");
	struct buf	 b;
	int64_t		 size;
	size_t		 i, j;

	buf_init(&b, 0);
	md = json_object_get(body, "media");
	if (json_is_true(json_object_get(m, "revoked")))
		buf_adds(&b, "[deleted by the customer]");
	else if (md != NULL) {
		size = json_integer_value(json_object_get(md, "size"));
		buf_addf(&b, "[%s", json_is_true(json_object_get(md,
		    "voice")) ? "voice note" : type);
		if (*cli_str(md, "filename") != '\0')
			buf_addf(&b, ": %s", cli_str(md, "filename"));
		if (size >= 1048576)
			buf_addf(&b, ", %.1f MB", (double)size / 1048576.0);
		else if (size > 0)
			buf_addf(&b, ", %lld KB", (long long)((size + 1023) /
			    1024));
		buf_adds(&b, "]");
		if (*cli_str(md, "caption") != '\0')
			buf_addf(&b, "\n%s", cli_str(md, "caption"));
	} else if ((x = json_object_get(body, "template")) != NULL) {
		buf_addf(&b, "[template %s]", cli_str(x, "name"));
		if (*cli_str(body, "text") != '\0')
			buf_addf(&b, "\n%s", cli_str(body, "text"));
	} else if ((x = json_object_get(body, "reaction")) != NULL)
		buf_addf(&b, "[reacted %s]", cli_str(x, "emoji"));
	else if ((x = json_object_get(body, "location")) != NULL) {
		buf_addf(&b, "[location] %s", *cli_str(x, "name") != '\0' ?
		    cli_str(x, "name") : cli_str(body, "text"));
		if (*cli_str(x, "address") != '\0')
			buf_addf(&b, "\n%s", cli_str(x, "address"));
		buf_addf(&b, "\n%.6f, %.6f", json_number_value(
		    json_object_get(x, "latitude")), json_number_value(
		    json_object_get(x, "longitude")));
	} else if (strcmp(type, "contacts") == 0 &&
	    json_is_array(json_object_get(body, "contacts"))) {
		json_array_foreach(json_object_get(body, "contacts"), i,
		    card) {
			buf_addf(&b, "%s[contact] %s", i > 0 ? "\n" : "",
			    cli_str(card, "name"));
			if (*cli_str(card, "org") != '\0')
				buf_addf(&b, " (%s)", cli_str(card, "org"));
			json_array_foreach(json_object_get(card, "phones"), j,
			    ph)
				buf_addf(&b, "\n  %s%s%s%s", cli_str(ph,
				    "phone"), *cli_str(ph, "type") != '\0' ?
				    " (" : "", cli_str(ph, "type"),
				    *cli_str(ph, "type") != '\0' ? ")" : "");
		}
	} else if (*cli_str(body, "text") != '\0')
		buf_adds(&b, cli_str(body, "text"));
	else
		buf_addf(&b, "[%s message]", type);
	buf_add(&b, "", 1);
	return (buf_detach(&b, NULL));
}

/* Who wrote an item: the customer, an agent, or the daemon itself. */
static const char *
export_sender(json_t *conv, json_t *m, int note)
{
	if (!note && strcmp(cli_str(m, "direction"), "in") == 0)
		return (*cli_str(conv, "name") != '\0' ? cli_str(conv,
		    "name") : "customer");
	if (*cli_str(m, "agent_display") != '\0')
		return (cli_str(m, "agent_display"));
	if (*cli_str(m, "agent") != '\0')
		return (cli_str(m, "agent"));
	return ("support-inboxd");
}

static void
export_html_esc(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		case '\n':
			buf_adds(b, "<br>\n");
			break;
		default:
			buf_add(b, s, 1);
		}
	}
}

/* s (cleaned) indented and wrapped to the transcript's width. */
static void
export_txt_wrap(struct buf *b, const char *s, int indent)
{
	size_t	 len = strlen(s), at = 0, n, next;

	while (at < len) {
		n = wrap_line(s + at, len - at, EXPORT_COLS - indent, &next);
		buf_addf(b, "%*s%.*s\n", indent, "", (int)n, s + at);
		at += next;
		if (at < len && s[at] == '\n')
			at++;
	}
}

static const char export_css[] =
	"body{font-family:sans-serif;max-width:48em;margin:2em auto;"
	"color:#222}h1{font-size:1.3em}dl{display:grid;grid-template-columns:"
	"auto 1fr;gap:.2em 1em}dt{color:#666}.item{margin:.8em 0;padding:"
	".5em .8em;border-radius:6px}.in{background:#f1f1f1}.out{background:"
	"#e3f2e1;margin-left:3em}.note{background:#fff6d5;border:1px dashed "
	"#c9a800}.meta{font-size:.85em;color:#555;margin-bottom:.2em}"
	".text{white-space:normal;overflow-wrap:anywhere}";

/* One item, a message or a note, in either format. */
static void
export_item(struct buf *b, int html, json_t *conv, json_t *m, int note)
{
	char	 when[64], *text, *raw, *who;

	export_time(json_object_get(m, note ? "created" : "ts"), 0, when,
	    sizeof when);
	who = export_clean(export_sender(conv, m, note));
	raw = note ? xstrdup(cli_str(m, "body")) : export_msg_text(m);
	text = export_clean(raw);
	free(raw);
	if (html) {
		buf_addf(b, "<div class=\"item %s\"><div class=\"meta\">%s ",
		    note ? "note" : strcmp(cli_str(m, "direction"), "in") ==
		    0 ? "in" : "out", when);
		if (note)
			buf_adds(b, "note by ");
		export_html_esc(b, who);
		buf_adds(b, "</div><div class=\"text\" dir=\"auto\">");
		export_html_esc(b, text);
		buf_adds(b, "</div></div>\n");
	} else {
		buf_addf(b, "%s  %s%s\n", when, note ? "note by " : "", who);
		export_txt_wrap(b, text, EXPORT_INDENT);
		buf_adds(b, "\n");
	}
	free(text);
	free(who);
}

static void
export_head(struct buf *b, int html, json_t *conv, const char *reason)
{
	static const char *const keys[] = { "state", "assignee", "team",
	    "number", NULL };
	json_t		*l;
	struct buf	 labels;
	char		*v, now[64];
	size_t		 i;
	json_t		*t = json_integer((json_int_t)time(NULL));

	export_time(t, 0, now, sizeof now);
	json_decref(t);
	if (html) {
		buf_addf(b, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
		    "\n<meta http-equiv=\"Content-Security-Policy\" content=\""
		    "default-src 'none'; style-src 'unsafe-inline'\">\n"
		    "<title>Conversation %lld</title>\n<style>%s</style>\n"
		    "</head><body>\n<h1>Conversation %lld: ",
		    (long long)json_integer_value(json_object_get(conv, "id")),
		    export_css,
		    (long long)json_integer_value(json_object_get(conv, "id")));
	} else
		buf_addf(b, "Conversation %lld: ", (long long)
		    json_integer_value(json_object_get(conv, "id")));
	v = export_clean(cli_str(conv, "name"));
	if (html)
		export_html_esc(b, v);
	else
		buf_adds(b, v);
	free(v);
	buf_adds(b, html ? "</h1>\n<dl>\n" : "\n");
	for (i = 0; keys[i] != NULL; i++) {
		v = export_clean(*cli_str(conv, keys[i]) != '\0' ?
		    cli_str(conv, keys[i]) : "-");
		buf_addf(b, html ? "<dt>%s</dt><dd>" : "%-10s ", keys[i]);
		if (html)
			export_html_esc(b, v);
		else
			buf_adds(b, v);
		buf_adds(b, html ? "</dd>\n" : "\n");
		free(v);
	}
	buf_init(&labels, 0);
	json_array_foreach(json_object_get(conv, "labels"), i, l)
		buf_addf(&labels, "%s%s", i > 0 ? ", " : "",
		    json_string_value(l));
	buf_add(&labels, "", 1);
	v = buf_detach(&labels, NULL);
	buf_adds(b, html ? "<dt>labels</dt><dd>" : "labels     ");
	if (html)
		export_html_esc(b, *v != '\0' ? v : "-");
	else
		buf_adds(b, *v != '\0' ? v : "-");
	buf_adds(b, html ? "</dd>\n" : "\n");
	free(v);
	buf_addf(b, html ? "<dt>exported</dt><dd>%s</dd>\n<dt>reason</dt><dd>" :
	    "exported   %s\nreason     ", now);
	v = export_clean(reason);
	if (html)
		export_html_esc(b, v);
	else
		buf_adds(b, v);
	free(v);
	buf_adds(b, html ? "</dd>\n</dl>\n" : "\n\n");
}

static int
cli_export_transcript(struct client *c, struct cli_opts *o)
{
	const char	*fmt, *path, *reason;
	json_int_t	 id;
	json_t		*p, *r, *msgs, *notes = NULL, *conv = NULL, *m, *all;
	struct buf	 b;
	int64_t		 before = 0;
	size_t		 i, k;
	FILE		*f;
	int		 html, more;

	fmt = cli_flag(o, "format") != NULL ? cli_flag(o, "format") : "txt";
	if (strcmp(fmt, "txt") != 0 && strcmp(fmt, "html") != 0)
		return (cli_err("--format is txt or html for a transcript, "
		    "not '%s'", fmt));
	if (o->nargs != 1 || cli_conv_arg(o->args[0], &id) != 0)
		return (cli_err(EXPORT_TR_USAGE));
	if ((reason = cli_flag(o, "reason")) == NULL)
		return (cli_err("give --reason TEXT: why the transcript leaves "
		    "the inbox (it is audited)"));
	html = strcmp(fmt, "html") == 0;
	if ((f = cli_out(o, "out", &path)) == NULL)
		return (1);
	msgs = json_array();
	/* Newest page first; each older page goes in front. */
	do {
		p = json_pack("{sI ss sI sI sb}", "id", id, "reason", reason,
		    "before", (json_int_t)before, "limit",
		    (json_int_t)EXPORT_MSGS, "notes", before == 0 &&
		    cli_flag(o, "notes") != NULL);
		if (p == NULL || (r = cli_call(c, PM_EXPORT_TRANSCRIPT, p)) ==
		    NULL) {
			json_decref(msgs);
			json_decref(conv);
			json_decref(notes);
			export_drop(f, path);
			return (p == NULL ? cli_err("--reason must be UTF-8 "
			    "text") : 1);
		}
		if (conv == NULL) {
			conv = json_incref(json_object_get(r, "conversation"));
			notes = json_incref(json_object_get(r, "notes"));
		}
		m = json_copy(json_object_get(r, "messages"));
		json_array_extend(m, msgs);
		json_decref(msgs);
		msgs = m;
		more = json_is_true(json_object_get(r, "more")) &&
		    json_array_size(msgs) > 0;
		before = json_integer_value(json_object_get(
		    json_array_get(msgs, 0), "id"));
		json_decref(r);
	} while (more);
	buf_init(&b, 0);
	export_head(&b, html, conv, reason);
	/* Messages and notes in one order (thread-order.c). */
	all = thread_order_merge(msgs, notes);
	json_array_foreach(all, k, m)
		export_item(&b, html, conv, m, json_object_get(m, "_note") !=
		    NULL);
	json_decref(all);
	if (html)
		buf_adds(&b, "</body></html>\n");
	i = json_array_size(msgs);
	json_decref(msgs);
	json_decref(notes);
	json_decref(conv);
	return (export_finish(o, f, path, &b, i, fmt));
}

const struct cli_entry cli_export_table[] = {
	{ "export", "conversations", "export conversations [--view V] "
	    "[--state S] [--label L] [--team T] [--number LABEL] [--assignee "
	    "NAME|me|none] [--from WHEN] [--to WHEN] [--format csv|json] "
	    "[--reason TEXT [--full-numbers]] [--raw] [--out FILE] [--force]",
	    cli_export_conversations },
	{ "export", "transcript", "export transcript CONV --reason TEXT "
	    "[--format txt|html] [--notes] [--out FILE] [--force]",
	    cli_export_transcript },
	{ NULL, NULL, NULL, NULL }
};

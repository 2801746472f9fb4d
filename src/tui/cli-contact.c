/*
 * CLI: a contact's details and revealing its number, purpose-bound
 * (contact.*, rpc-contact.c); and the CONTACT argument the consent and
 * privacy commands take too (cli_contact_target, CLI_CONTACT_USAGE in
 * cli.h): conv:N (the contact of conversation N), contact:N (internal id),
 * a phone number or a BSUID.
 */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"

json_t *
cli_contact_target(const char *spec)
{
	return (json_pack("{ss}", "contact", spec));
}

/* contact show|reveal CONTACT [--purpose TEXT] */
static int
cli_contact_read(struct client *c, struct cli_opts *o, const char *method)
{
	json_t		*p, *r;
	const char	*purpose = cli_flag(o, "purpose");

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox %s CONTACT [--purpose "
		    "TEXT]; " CLI_CONTACT_USAGE, strcmp(method,
		    PM_CONTACT_SHOW) == 0 ? "contact show" : "contact reveal"));
	p = cli_contact_target(o->args[0]);
	if (purpose != NULL)
		json_object_set_new(p, "purpose", json_string(purpose));
	if ((r = cli_call(c, method, p)) == NULL)
		return (1);
	if (!o->json && strcmp(method, PM_CONTACT_REVEAL) == 0) {
		printf("%s\n", json_is_string(json_object_get(r, "phone")) ?
		    json_string_value(json_object_get(r, "phone")) :
		    json_is_string(json_object_get(r, "user_id")) ?
		    json_string_value(json_object_get(r, "user_id")) :
		    "(no number)");
		json_decref(r);
		return (0);
	}
	return (cli_print_free(r));
}

static int
cli_contact_show(struct client *c, struct cli_opts *o)
{
	return (cli_contact_read(c, o, PM_CONTACT_SHOW));
}

static int
cli_contact_reveal(struct client *c, struct cli_opts *o)
{
	return (cli_contact_read(c, o, PM_CONTACT_REVEAL));
}

/* --- list, search, edit (issue 15) --- */

static void
cli_contact_rows_print(json_t *r)
{
	json_t	*c;
	size_t	 i;
	char	 when[64];

	json_array_foreach(json_object_get(r, "contacts"), i, c) {
		if (json_integer_value(json_object_get(c, "last_contact")) > 0)
			cli_when(json_integer_value(json_object_get(c,
			    "last_contact")), when, sizeof when);
		else
			snprintf(when, sizeof when, "-");
		printf("contact:%-6lld %-28s %-22s %3lld conv  %s%s\n",
		    (long long)json_integer_value(json_object_get(c,
		    "contact_id")), cli_str(c, "name"),
		    json_is_string(json_object_get(c, "phone_masked")) ?
		    cli_str(c, "phone_masked") : json_is_true(
		    json_object_get(c, "has_bsuid")) ? "(user id only)" : "-",
		    (long long)json_integer_value(json_object_get(c,
		    "conversations")), when, json_is_true(json_object_get(c,
		    "restricted")) ? "  restricted" : "");
	}
	if (json_array_size(json_object_get(r, "contacts")) == 0)
		printf("no contacts\n");
	if (json_is_integer(json_object_get(r, "before")))
		printf("more: --before %lld\n", (long long)json_integer_value(
		    json_object_get(r, "before")));
	if (json_is_integer(json_object_get(r, "next_offset")))
		printf("more: --offset %lld\n", (long long)json_integer_value(
		    json_object_get(r, "next_offset")));
	if (json_is_true(json_object_get(r, "partial")))
		printf("(the name index is still filling: more may come)\n");
}

/* --limit, --purpose and the paging flags into p; -1 if one is bad. */
static int
cli_contact_page_flags(struct cli_opts *o, json_t *p, const char *const *keys)
{
	const char	*v;
	long long	 n;

	for (; *keys != NULL; keys++) {
		if ((v = cli_flag(o, *keys)) == NULL)
			continue;
		if (cli_parse_int(v, &n) != 0 || n < 0)
			return (cli_err("--%s expects a number, not '%s'",
			    *keys, v));
		json_object_set_new(p, *keys, json_integer(n));
	}
	if ((v = cli_flag(o, "purpose")) != NULL)
		json_object_set_new(p, "purpose", json_string(v));
	return (0);
}

/* contact list [--by newest|name] [--limit N] [--before ID|--offset N] */
static int
cli_contact_list(struct client *c, struct cli_opts *o)
{
	static const char *const keys[] = { "limit", "before", "offset",
	    NULL };
	json_t		*p;
	const char	*by = cli_flag(o, "by");

	if (o->nargs != 0)
		return (cli_err("usage: support-inbox contact list [--by "
		    "newest|name] [--limit N] [--before ID] [--offset N] "
		    "[--purpose TEXT]"));
	p = json_object();
	if (by != NULL)
		json_object_set_new(p, "order", json_string(by));
	if (cli_contact_page_flags(o, p, keys) != 0) {
		json_decref(p);
		return (1);
	}
	return (cli_simple(c, o, PM_CONTACT_LIST, p, cli_contact_rows_print));
}

/* contact search QUERY... [--limit N] [--purpose TEXT] */
static int
cli_contact_search(struct client *c, struct cli_opts *o)
{
	static const char *const keys[] = { "limit", NULL };
	json_t	*p;
	char	*q;

	if (o->nargs < 1)
		return (cli_err("usage: support-inbox contact search NAME|"
		    "NUMBER|ATTRIBUTE:VALUE [--limit N] [--purpose TEXT]"));
	q = cli_join(o, 0);
	p = json_pack("{ss}", "q", q);
	free(q);
	if (cli_contact_page_flags(o, p, keys) != 0) {
		json_decref(p);
		return (1);
	}
	return (cli_simple(c, o, PM_CONTACT_SEARCH, p, cli_contact_rows_print));
}

static void
cli_contact_edit_print(json_t *r)
{
	json_t	*f;
	size_t	 i;

	printf("contact:%lld changed:", (long long)json_integer_value(
	    json_object_get(r, "contact_id")));
	json_array_foreach(json_object_get(r, "changed"), i, f)
		printf(" %s", json_string_value(f));
	printf("\n");
}

/*
 * contact edit CONTACT [--name NAME] [--language CODE] [ATTR=VALUE]...;
 * "ATTR=" clears the attribute.
 */
static int
cli_contact_edit(struct client *c, struct cli_opts *o)
{
	json_t		*p, *attrs;
	const char	*v, *eq;
	char		 name[64];
	int		 i;

	if (o->nargs < 1)
		return (cli_err("usage: support-inbox contact edit CONTACT "
		    "[--name NAME] [--language CODE] [ATTRIBUTE=VALUE]... "
		    "[--purpose TEXT]; ATTRIBUTE= clears one; "
		    CLI_CONTACT_USAGE));
	p = cli_contact_target(o->args[0]);
	if ((v = cli_flag(o, "name")) != NULL)
		json_object_set_new(p, "name", json_string(v));
	if ((v = cli_flag(o, "language")) != NULL)
		json_object_set_new(p, "language", json_string(v));
	if ((v = cli_flag(o, "purpose")) != NULL)
		json_object_set_new(p, "purpose", json_string(v));
	attrs = json_object();
	for (i = 1; i < o->nargs; i++) {
		eq = strchr(o->args[i], '=');
		if (eq == NULL || eq == o->args[i] ||
		    (size_t)(eq - o->args[i]) >= sizeof name) {
			json_decref(attrs);
			json_decref(p);
			return (cli_err("'%s' is not ATTRIBUTE=VALUE (see: "
			    "support-inbox attribute list)", o->args[i]));
		}
		snprintf(name, sizeof name, "%.*s", (int)(eq - o->args[i]),
		    o->args[i]);
		json_object_set_new(attrs, name, eq[1] != '\0' ?
		    json_string(eq + 1) : json_null());
	}
	if (json_object_size(attrs) > 0)
		json_object_set_new(p, "attributes", attrs);
	else
		json_decref(attrs);
	return (cli_simple(c, o, PM_CONTACT_EDIT, p, cli_contact_edit_print));
}

/* contact merge INTO FROM: FROM is folded into INTO (supervisor). */
static int
cli_contact_merge(struct client *c, struct cli_opts *o)
{
	json_t	*r;

	if (o->nargs != 2)
		return (cli_err("usage: support-inbox contact merge INTO FROM "
		    "(FROM is folded into INTO); " CLI_CONTACT_USAGE));
	r = cli_call(c, PM_CONTACT_MERGE, json_pack("{ss ss}", "into",
	    o->args[0], "from", o->args[1]));
	if (r == NULL)
		return (1);
	if (o->json)
		return (cli_print_free(r));
	printf("contact %lld merged into contact %lld (%lld conversations)\n",
	    (long long)json_integer_value(json_object_get(r, "merged")),
	    (long long)json_integer_value(json_object_get(r, "contact_id")),
	    (long long)json_integer_value(json_object_get(r,
	    "conversations")));
	json_decref(r);
	return (0);
}

#define CLI_BLOCK_WAIT_MS	90000	/* beyond any [graph] timeout */

static int64_t
cli_contact_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The contact_blocked event of contact cid (Meta's answer), or NULL. */
static json_t *
cli_contact_block_wait(struct client *c, json_int_t cid)
{
	struct pollfd	 pfd;
	json_t		*ev, *data;
	int64_t		 end = cli_contact_ms() + CLI_BLOCK_WAIT_MS;

	while (cli_contact_ms() < end) {
		while ((ev = client_next_event(c)) != NULL ||
		    (ev = client_next(c)) != NULL) {
			data = json_object_get(ev, "data");
			if (json_is_string(json_object_get(ev, "event")) &&
			    strcmp(json_string_value(json_object_get(ev,
			    "event")), PEV_CONTACT_BLOCKED) == 0 &&
			    json_integer_value(json_object_get(data,
			    "contact_id")) == cid) {
				json_incref(data);
				json_decref(ev);
				return (data);
			}
			json_decref(ev);
		}
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 200) > 0 && client_read(c) != 0) {
			cli_err("connection to the daemon lost");
			return (NULL);
		}
	}
	cli_err("no answer from WhatsApp yet; see support-inbox contact show "
	    "CONTACT later");
	return (NULL);
}

/*
 * contact block|unblock CONTACT [--reason TEXT]: the daemon sends the
 * request; the answer comes as an event, which this waits for, so that
 * the exit status says whether WhatsApp did it.
 */
static int
cli_contact_blocking(struct client *c, struct cli_opts *o, int on)
{
	json_t		*p, *r, *ev;
	const char	*reason = cli_flag(o, "reason");
	json_int_t	 cid;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox contact %s CONTACT "
		    "[--reason TEXT]; " CLI_CONTACT_USAGE, on ? "block" :
		    "unblock"));
	if ((r = cli_call(c, PM_SUBSCRIBE, NULL)) == NULL)
		return (1);
	json_decref(r);
	p = cli_contact_target(o->args[0]);
	if (reason != NULL)
		json_object_set_new(p, "reason", json_string(reason));
	if ((r = cli_call(c, on ? PM_CONTACT_BLOCK : PM_CONTACT_UNBLOCK,
	    p)) == NULL)
		return (1);
	cid = json_integer_value(json_object_get(r, "contact_id"));
	json_decref(r);
	if ((ev = cli_contact_block_wait(c, cid)) == NULL)
		return (1);
	if (!json_is_true(json_object_get(ev, "ok"))) {
		cli_err("WhatsApp did not %s contact %lld: %s (code %lld%s%s)",
		    on ? "block" : "unblock", (long long)cid,
		    cli_str(ev, "explain"), (long long)json_integer_value(
		    json_object_get(ev, "error_code")),
		    json_is_string(json_object_get(ev, "meta")) ? ": " : "",
		    cli_str(ev, "meta"));
		if (o->json)
			cli_print_json(ev);
		json_decref(ev);
		return (1);
	}
	if (o->json)
		return (cli_print_free(ev));
	printf("contact %lld %s\n", (long long)cid,
	    json_is_true(json_object_get(ev, "blocked")) ? "blocked" :
	    "unblocked");
	json_decref(ev);
	return (0);
}

static int
cli_contact_block(struct client *c, struct cli_opts *o)
{
	return (cli_contact_blocking(c, o, 1));
}

static int
cli_contact_unblock(struct client *c, struct cli_opts *o)
{
	return (cli_contact_blocking(c, o, 0));
}

const struct cli_entry cli_contact_table[] = {
	{ "contact", "show", "contact show CONTACT [--purpose TEXT]",
	    cli_contact_show },
	{ "contact", "reveal", "contact reveal CONTACT [--purpose TEXT]",
	    cli_contact_reveal },
	{ "contact", "list", "contact list [--by newest|name] [--limit N] "
	    "[--before ID] [--offset N] [--purpose TEXT]", cli_contact_list },
	{ "contact", "search", "contact search NAME|NUMBER|ATTRIBUTE:VALUE "
	    "[--limit N] [--purpose TEXT]", cli_contact_search },
	{ "contact", "edit", "contact edit CONTACT [--name NAME] "
	    "[--language CODE] [ATTRIBUTE=VALUE]... [--purpose TEXT]",
	    cli_contact_edit },
	{ "contact", "merge", "contact merge INTO FROM", cli_contact_merge },
	{ "contact", "block", "contact block CONTACT [--reason TEXT]",
	    cli_contact_block },
	{ "contact", "unblock", "contact unblock CONTACT [--reason TEXT]",
	    cli_contact_unblock },
	{ NULL, NULL, NULL, NULL }
};

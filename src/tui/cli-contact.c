/*
 * CLI: a contact's details and revealing its number, purpose-bound
 * (contact.*, rpc-contact.c); and the CONTACT argument the consent and
 * privacy commands take too (cli_contact_target, CLI_CONTACT_USAGE in
 * cli.h): conv:N (the contact of conversation N), contact:N (internal id),
 * a phone number or a BSUID.
 */
#include <poll.h>
#include <stdio.h>
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
	{ "contact", "merge", "contact merge INTO FROM", cli_contact_merge },
	{ "contact", "block", "contact block CONTACT [--reason TEXT]",
	    cli_contact_block },
	{ "contact", "unblock", "contact unblock CONTACT [--reason TEXT]",
	    cli_contact_unblock },
	{ NULL, NULL, NULL, NULL }
};

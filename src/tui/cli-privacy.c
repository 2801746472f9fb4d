/*
 * CLI: the data-subject requests (privacy.*, rpc-privacy.c): export,
 * erase, restrict, hold, replay after a restore, retention, access reports.
 * CONTACT is as cli-contact.c reads it. Requests that change or hand out
 * data need --reason and confirmation.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"
#include "xmalloc.h"

/* Asks on the terminal unless --yes; 0 to go on. */
static int
cli_privacy_confirm(struct cli_opts *o, const char *what, const char *who)
{
	char	 line[16];
	FILE	*tty;
	int	 ok;

	if (o->yes)
		return (0);
	if ((tty = fopen("/dev/tty", "r+")) == NULL)
		return (cli_err("%s needs confirmation: run it on a terminal "
		    "or add --yes", what));
	fprintf(tty, "%s %s? Type 'yes' to go on: ", what, who);
	fflush(tty);
	ok = fgets(line, sizeof line, tty) != NULL &&
	    strcmp(line, "yes\n") == 0;
	fclose(tty);
	if (!ok)
		return (cli_err("not confirmed; nothing was done"));
	return (0);
}

static const char *
cli_privacy_reason(struct cli_opts *o, const char *cmd)
{
	const char	*r = cli_flag(o, "reason");

	if (r == NULL || *r == '\0') {
		cli_err("%s needs --reason TEXT (it is logged)", cmd);
		return (NULL);
	}
	return (r);
}

/*
 * One JSON document: every page of the export merged. An output file is
 * created (new, 0600) before anything is read, so a refused file name
 * leaves no audited export behind; on stdout the JSON is ASCII (every
 * other character escaped), exact and safe for a terminal.
 */
static int
cli_privacy_export(struct client *c, struct cli_opts *o)
{
	json_t		*p, *r, *doc = NULL, *msgs;
	const char	*reason, *out;
	long long	 after = 0;
	char		*s, *cause = NULL;
	FILE		*f = stdout;
	int		 more;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox privacy export CONTACT "
		    "--reason TEXT [--output FILE] [--yes]; "
		    CLI_CONTACT_USAGE));
	if ((reason = cli_privacy_reason(o, "privacy export")) == NULL ||
	    cli_privacy_confirm(o, "Export all data of", o->args[0]) != 0)
		return (1);
	if ((out = cli_flag(o, "output")) != NULL &&
	    (f = cli_create(out, &cause)) == NULL) {
		cli_err("%s", cause);
		free(cause);
		return (1);
	}
	msgs = json_array();
	do {
		p = cli_contact_target(o->args[0]);
		json_object_set_new(p, "reason", json_string(reason));
		json_object_set_new(p, "after", json_integer(after));
		if ((r = cli_call(c, PM_PRIVACY_EXPORT, p)) == NULL) {
			json_decref(msgs);
			json_decref(doc);
			if (f != stdout) {
				fclose(f);
				unlink(out);
			}
			return (1);
		}
		json_array_extend(msgs, json_object_get(r, "messages"));
		after = json_integer_value(json_object_get(r, "next"));
		more = json_is_true(json_object_get(r, "more"));
		if (doc == NULL) {
			doc = r;
			json_object_del(doc, "more");
			json_object_del(doc, "next");
		} else
			json_decref(r);
	} while (more);
	json_object_set_new(doc, "messages", msgs);
	json_object_set_new(doc, "format", json_string(
	    "support-inbox-export-1"));
	json_object_set_new(doc, "exported_at", json_integer(time(NULL)));
	s = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS |
	    (f == stdout ? JSON_ENSURE_ASCII : 0));
	json_decref(doc);
	fprintf(f, "%s\n", s);
	free(s);
	if (f != stdout && fclose(f) != 0)
		return (cli_err("cannot write '%s'", out));
	return (0);
}

static int
cli_privacy_erase(struct client *c, struct cli_opts *o)
{
	json_t		*p, *r;
	const char	*reason;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox privacy erase CONTACT "
		    "--reason TEXT [--yes]; " CLI_CONTACT_USAGE));
	if ((reason = cli_privacy_reason(o, "privacy erase")) == NULL ||
	    cli_privacy_confirm(o, "Erase every trace of", o->args[0]) != 0)
		return (1);
	p = cli_contact_target(o->args[0]);
	json_object_set_new(p, "reason", json_string(reason));
	if ((r = cli_call(c, PM_PRIVACY_ERASE, p)) == NULL)
		return (1);
	if (!o->json) {
		printf("contact %lld erased: %lld conversations, %lld "
		    "messages, %lld media files; data key %s\n",
		    json_integer_value(json_object_get(r, "contact_id")),
		    json_integer_value(json_object_get(r, "conversations")),
		    json_integer_value(json_object_get(r, "messages")),
		    json_integer_value(json_object_get(r, "media")),
		    json_is_true(json_object_get(r, "key_destroyed")) ?
		    "destroyed" : "NOT destroyed (run privacy "
		    "replay-erasures)");
		json_decref(r);
		return (0);
	}
	return (cli_print_free(r));
}

/*
 * privacy restrict|hold CONTACT [on|off] --reason TEXT: method is
 * privacy.restrict or privacy.hold, the command word what follows "privacy.".
 */
static int
cli_privacy_flag(struct client *c, struct cli_opts *o, const char *method)
{
	json_t		*p, *r;
	const char	*reason, *what = method + 8;
	int		 on = 1, hold = strcmp(method, PM_PRIVACY_HOLD) == 0;
	char		 prompt[64];

	if (o->nargs == 2 && strcmp(o->args[1], "off") == 0)
		on = 0;
	else if (o->nargs != 1 && !(o->nargs == 2 &&
	    strcmp(o->args[1], "on") == 0))
		return (cli_err("usage: support-inbox privacy %s CONTACT "
		    "[on|off] --reason TEXT [--yes]; " CLI_CONTACT_USAGE,
		    what));
	snprintf(prompt, sizeof prompt, "%s %s for", on ? "Set" : "Lift",
	    hold ? "the legal hold" : "the restriction");
	if ((reason = cli_privacy_reason(o, method)) == NULL ||
	    cli_privacy_confirm(o, prompt, o->args[0]) != 0)
		return (1);
	p = cli_contact_target(o->args[0]);
	json_object_set_new(p, "reason", json_string(reason));
	json_object_set_new(p, "on", json_boolean(on));
	if ((r = cli_call(c, method, p)) == NULL)
		return (1);
	if (!o->json) {
		printf("contact %lld: %s %s\n", json_integer_value(
		    json_object_get(r, "contact_id")), hold ? "legal hold" :
		    "restriction", on ? "on" : "off");
		json_decref(r);
		return (0);
	}
	return (cli_print_free(r));
}

static int
cli_privacy_restrict(struct client *c, struct cli_opts *o)
{
	return (cli_privacy_flag(c, o, PM_PRIVACY_RESTRICT));
}

static int
cli_privacy_hold(struct client *c, struct cli_opts *o)
{
	return (cli_privacy_flag(c, o, PM_PRIVACY_HOLD));
}

static int
cli_privacy_replay(struct client *c, struct cli_opts *o)
{
	json_t	*r;

	if (o->nargs != 0)
		return (cli_err("usage: support-inbox privacy replay-erasures"));
	if ((r = cli_call(c, PM_PRIVACY_REPLAY_ERASURES, NULL)) == NULL)
		return (1);
	if (!o->json) {
		printf("%lld ledger entries; %lld contacts erased again, "
		    "%lld data keys destroyed\n",
		    json_integer_value(json_object_get(r, "ledger_entries")),
		    json_integer_value(json_object_get(r, "contacts_erased")),
		    json_integer_value(json_object_get(r, "keys_destroyed")));
		json_decref(r);
		return (0);
	}
	return (cli_print_free(r));
}

static int
cli_privacy_retention(struct client *c, struct cli_opts *o)
{
	json_t		*p, *r;
	int64_t		 as_of;
	int		 dry = cli_flag(o, "dry-run") != NULL, rc;

	if (o->nargs != 1 || strcmp(o->args[0], "run") != 0)
		return (cli_err("usage: support-inbox privacy retention run "
		    "[--dry-run] [--as-of WHEN]"));
	if ((rc = cli_flag_time(o, "as-of", 0, &as_of)) < 0)
		return (1);
	p = json_object();
	json_object_set_new(p, "dry_run", json_boolean(dry));
	if (rc == 0)
		json_object_set_new(p, "as_of", json_integer(as_of));
	if ((r = cli_call(c, PM_PRIVACY_RETENTION, p)) == NULL)
		return (1);
	if (!o->json) {
		printf("%s: %lld conversations (%lld messages), %lld "
		    "contacts, %lld raw events, %lld media files, %lld audit "
		    "records\n", dry ? "would remove" : "removed",
		    json_integer_value(json_object_get(r, "conversations")),
		    json_integer_value(json_object_get(r, "messages")),
		    json_integer_value(json_object_get(r, "contacts")),
		    json_integer_value(json_object_get(r, "raw_events")),
		    json_integer_value(json_object_get(r, "media")),
		    json_integer_value(json_object_get(r, "audit_records")));
		json_decref(r);
		return (0);
	}
	return (cli_print_free(r));
}

static int
cli_privacy_access(struct client *c, struct cli_opts *o)
{
	json_t		*r, *a;
	size_t		 i;
	const char	*purpose;

	if (o->nargs != 1)
		return (cli_err("usage: support-inbox privacy access-report "
		    "CONTACT; " CLI_CONTACT_USAGE));
	if ((r = cli_call(c, PM_PRIVACY_ACCESS_REPORT, cli_contact_target(
	    o->args[0]))) == NULL)
		return (1);
	if (o->json)
		return (cli_print_free(r));
	json_array_foreach(json_object_get(r, "accesses"), i, a) {
		purpose = json_string_value(json_object_get(a, "purpose"));
		printf("%s %-12s %-24s %-8s %s\n",
		    json_string_value(json_object_get(a, "time")),
		    json_string_value(json_object_get(a, "agent")),
		    json_string_value(json_object_get(a, "action")),
		    json_string_value(json_object_get(a, "result")),
		    purpose != NULL ? purpose : "-");
	}
	json_decref(r);
	return (0);
}

const struct cli_entry cli_privacy_table[] = {
	{ "privacy", "export", "privacy export CONTACT --reason TEXT "
	    "[--output FILE] [--yes]", cli_privacy_export },
	{ "privacy", "erase", "privacy erase CONTACT --reason TEXT [--yes]",
	    cli_privacy_erase },
	{ "privacy", "restrict", "privacy restrict CONTACT [on|off] --reason "
	    "TEXT [--yes]", cli_privacy_restrict },
	{ "privacy", "hold", "privacy hold CONTACT on|off --reason TEXT "
	    "[--yes]", cli_privacy_hold },
	{ "privacy", "replay-erasures", "privacy replay-erasures",
	    cli_privacy_replay },
	{ "privacy", "retention", "privacy retention run [--dry-run] "
	    "[--as-of WHEN]", cli_privacy_retention },
	{ "privacy", "access-report", "privacy access-report CONTACT",
	    cli_privacy_access },
	{ NULL, NULL, NULL, NULL }
};

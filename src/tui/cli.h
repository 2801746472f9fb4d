/*
 * The CLI: every command is a thin wrapper over protocol methods. A command
 * lives in the file named for the namespace of the methods it calls, as the
 * daemon's methods do (the label commands in cli-label.c, as label.* is in
 * rpc-label.c); each file exports the tables of its commands, which main.c
 * lists. Helpers shared by the commands are in cli.c.
 */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "client.h"

#define CLI_MAX_ARGS	32

struct cli_opts {
	const char	*socket;
	const char	*config;
	int		 json;
	int		 yes;
	const char	*args[CLI_MAX_ARGS];	/* positional, command words shifted off */
	int		 nargs;
	json_t		*flags;			/* --key value ("1" for booleans) */
};

struct cli_entry {
	const char	*name;
	const char	*sub;		/* NULL: no subcommand */
	const char	*usage;
	int		(*fn)(struct client *, struct cli_opts *);
};

/*
 * From here on stdout and stderr clean what passes through them (no
 * escape sequences, C1 or bidi controls from customer text; see cli.c).
 */
void		 cli_clean_stdio(void);
/* Prints "support-inbox: ..." on stderr and returns 1. */
int		 cli_err(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * A new file for an export: created 0600 with O_EXCL and O_NOFOLLOW, so an
 * existing file (with its mode) or a symbolic link is refused, never
 * written through. NULL with *cause set on failure.
 */
FILE		*cli_create(const char *path, char **cause);
/*
 * Where an export goes: the file of --FLAG, made by cli_create (--force
 * removes an existing one first), or stdout without it. *path is the
 * file or NULL. NULL (said on stderr) if the file cannot be made.
 */
FILE		*cli_out(struct cli_opts *, const char *flag, const char **path);
/* The value of --name, or NULL. */
const char	*cli_flag(struct cli_opts *, const char *name);
/*
 * The time expression (include/when.h, after now if future) or duration
 * given with --name: 1 if there is none, 0 and the value, or -1 after
 * printing what is wrong with it.
 */
int		 cli_flag_time(struct cli_opts *, const char *name, int future,
		    int64_t *t);
int		 cli_flag_duration(struct cli_opts *, const char *name,
		    int64_t *secs);
/* Calls a method (takes params); prints the error and returns NULL. */
json_t		*cli_call(struct client *, const char *method, json_t *params);
int		 cli_print_json(json_t *);
void		 cli_when(int64_t t, char *buf, size_t len);
int		 cli_parse_int(const char *, long long *);
/*
 * A positive number: 0 and *v, or -1 after printing "WHAT expects a
 * number, not 'S'".
 */
int		 cli_parse_positive(const char *s, const char *what,
		    long long *v);
/* The string under key, or "" (never NULL). */
const char	*cli_str(json_t *, const char *key);
/*
 * Calls a method (takes params; --force adds "force": true to an object)
 * and prints the result: as JSON with --json or no print, else print(it).
 * 0, or 1 after printing the error.
 */
int		 cli_simple(struct client *, struct cli_opts *,
		    const char *method, json_t *params,
		    void (*print)(json_t *));
/* Prints the result as cli_print_json does, frees it and returns 0. */
int		 cli_print_free(json_t *);
/* The words from args[from] on, joined by spaces (to be freed). */
char		*cli_join(struct cli_opts *, int from);
/* 1 if w is a bare word among the arguments (boolean options are words). */
int		 cli_word(struct cli_opts *, const char *w);

/* cli-conv.c: a conversation id CONV; 0 and *id, or -1 if it is not one. */
int		 cli_conv_arg(const char *, json_int_t *);
/* CONV... from args[from] to args[to - 1]; NULL (printed) if one is not. */
json_t		*cli_conv_ids(struct cli_opts *, int from, int to);

/*
 * cli-send.c: a template's params from --template, --lang, --param...,
 * --header-link or --header-file (uploaded now) [--mime]; 0, or 1 after
 * printing why. cli_send_abort drops an upload a refused request left.
 */
int		 cli_send_template(struct client *, struct cli_opts *,
		    json_t *params);
void		 cli_send_abort(struct client *, int64_t upload);
/*
 * cli-interactive.c: reply's "interactive" from --buttons, --list,
 * --section, --row, --header, --footer or --interactive-file, with the
 * body from --text (or text, the positional one). 0 none asked for, 1
 * added to params, -1 after printing why.
 */
int		 cli_interactive(struct cli_opts *, const char *text,
		    json_t *params);

/* cli-contact.c: the params naming CONTACT ({"contact": spec}). */
#define CLI_CONTACT_USAGE \
	"CONTACT is conv:N, contact:N, a phone number or a WhatsApp user id"
json_t		*cli_contact_target(const char *spec);

/*
 * cli-session.c: keeps the connection (and so presence) for secs (0: until
 * count events or for ever), printing the events that arrive; 0, or 1 when
 * the connection is lost.
 */
int		 cli_session_wait(struct client *, int64_t secs,
		    long long count);

/*
 * cli-demo.c: "support-inbox demo" runs the demo script with the daemon and
 * simulator found next to this program (no daemon connection); returns
 * only on failure.
 */
int		 cli_demo(struct cli_opts *);

/*
 * The command tables, in the order --help lists them (main.c). A file has
 * more than one where its commands have always been listed apart.
 */
extern const struct cli_entry cli_session_table[];	/* cli-session.c */
extern const struct cli_entry cli_agent_table[];	/* cli-agent.c */
extern const struct cli_entry cli_audit_verify_table[];	/* cli-audit.c */
extern const struct cli_entry cli_daemon_table[];	/* cli-daemon.c */
extern const struct cli_entry cli_conv_table[];		/* cli-conv.c */
extern const struct cli_entry cli_agent_assign_table[];	/* cli-agent.c */
extern const struct cli_entry cli_conv_state_table[];	/* cli-conv.c */
extern const struct cli_entry cli_note_table[];		/* cli-note.c */
extern const struct cli_entry cli_label_table[];	/* cli-label.c */
extern const struct cli_entry cli_canned_table[];	/* cli-canned.c */
extern const struct cli_entry cli_search_table[];	/* cli-search.c */
extern const struct cli_entry cli_session_events_table[]; /* cli-session.c */
extern const struct cli_entry cli_presence_table[];	/* cli-presence.c */
extern const struct cli_entry cli_send_table[];		/* cli-send.c */
extern const struct cli_entry cli_outbox_table[];	/* cli-outbox.c */
extern const struct cli_entry cli_conv_typing_table[];	/* cli-conv.c */
extern const struct cli_entry cli_templates_table[];	/* cli-templates.c */
extern const struct cli_entry cli_contact_table[];	/* cli-contact.c */
extern const struct cli_entry cli_consent_table[];	/* cli-consent.c */
extern const struct cli_entry cli_contact_io_table[];	/* cli-contact-io.c */
extern const struct cli_entry cli_privacy_table[];	/* cli-privacy.c */
extern const struct cli_entry cli_audit_table[];	/* cli-audit.c */
extern const struct cli_entry cli_meta_table[];		/* cli-meta.c */
extern const struct cli_entry cli_media_table[];	/* cli-media.c */
extern const struct cli_entry cli_attribute_table[];	/* cli-attribute.c */
extern const struct cli_entry cli_conv_start_table[];	/* cli-conv-start.c */
extern const struct cli_entry cli_notice_table[];	/* cli-notice.c */
extern const struct cli_entry cli_rule_table[];		/* cli-rule.c */
/* "rule check [FILE]": no daemon needed (cli-rule.c). */
int		 cli_rule_check(struct cli_opts *);
extern const struct cli_entry cli_survey_table[];	/* cli-survey.c */
extern const struct cli_entry cli_hours_table[];	/* cli-hours.c */
extern const struct cli_entry cli_optin_table[];	/* cli-optin.c */
extern const struct cli_entry cli_campaign_table[];	/* cli-campaign.c */
extern const struct cli_entry cli_export_table[];	/* cli-export.c */
extern const struct cli_entry cli_hook_table[];		/* cli-hook.c */
extern const struct cli_entry cli_report_table[];	/* cli-report.c */
/* cli-floor.c: the floor (issue 19); its queues and wait format, which
   the TUI's :floor view (ui-floor.c) shares */
extern const struct cli_entry cli_floor_table[];
extern const char *const cli_floor_queues[];	/* NULL-terminated */
void	 cli_floor_wait(int64_t secs, char *buf, size_t len);

#endif

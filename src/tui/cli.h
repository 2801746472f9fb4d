/*
 * The CLI: every command is a thin wrapper over protocol methods, one file
 * per group (cli-*.c), each exporting a table that main.c lists.
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

extern const struct cli_entry cli_base_table[];	/* cli-base.c */
extern const struct cli_entry cli_conv_table[];	/* cli-conv.c */
extern const struct cli_entry cli_inbox_table[];	/* cli-inbox.c */
extern const struct cli_entry cli_send_table[];	/* cli-send.c */
extern const struct cli_entry cli_privacy_table[];	/* cli-privacy.c */
extern const struct cli_entry cli_audit_table[];	/* cli-audit.c */
extern const struct cli_entry cli_media_table[];	/* cli-media.c */

#endif

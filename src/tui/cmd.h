/*
 * The CLI: every command is a thin wrapper over protocol methods, one file
 * per group (cmd-*.c), each exporting a table that main.c lists.
 */
#ifndef CMD_H
#define CMD_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "client.h"

#define CMD_MAX_ARGS	32

struct cmd_opts {
	const char	*socket;
	const char	*config;
	int		 json;
	int		 yes;
	const char	*args[CMD_MAX_ARGS];	/* positional, command words shifted off */
	int		 nargs;
	json_t		*flags;			/* --key value ("1" for booleans) */
};

struct cmd_entry {
	const char	*name;
	const char	*sub;		/* NULL: no subcommand */
	const char	*usage;
	int		(*fn)(struct client *, struct cmd_opts *);
};

/*
 * From here on stdout and stderr clean what passes through them (no
 * escape sequences, C1 or bidi controls from customer text; see cmd.c).
 */
void		 cmd_clean_stdio(void);
/* Prints "support-inbox: ..." on stderr and returns 1. */
int		 cmd_err(const char *, ...) __attribute__((format(printf, 1, 2)));
/*
 * A new file for an export: created 0600 with O_EXCL and O_NOFOLLOW, so an
 * existing file (with its mode) or a symbolic link is refused, never
 * written through. NULL with *cause set on failure.
 */
FILE		*cmd_create(const char *path, char **cause);
/* The value of --name, or NULL. */
const char	*cmd_flag(struct cmd_opts *, const char *name);
/* Calls a method (takes params); prints the error and returns NULL. */
json_t		*cmd_call(struct client *, const char *method, json_t *params);
int		 cmd_print_json(json_t *);
void		 cmd_when(int64_t t, char *buf, size_t len);
int		 cmd_parse_int(const char *, long long *);

extern const struct cmd_entry cmd_base_table[];	/* cmd-base.c */
extern const struct cmd_entry cmd_conv_table[];	/* cmd-conv.c */
extern const struct cmd_entry cmd_inbox_table[];	/* cmd-inbox.c */
extern const struct cmd_entry cmd_send_table[];	/* cmd-send.c */
extern const struct cmd_entry cmd_privacy_table[];	/* cmd-privacy.c */
extern const struct cmd_entry cmd_audit_table[];	/* cmd-audit.c */
extern const struct cmd_entry cmd_media_table[];	/* cmd-media.c */

#endif

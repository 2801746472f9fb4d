/*
 * Canned replies: rendering of their templates. Pure (no store, no I/O) so
 * that the exact text an agent is about to send can be tested alone.
 *
 * Syntax: {{ name }} or {{ name | "fallback" }}; names are
 * CANNED_VARS_LIST (the daemon fills them) or ask:LABEL, a fill-in field the
 * agent is asked for at send time ({{ask:tracking number}}). A variable with
 * no value and no fallback renders as nothing and is named in *missing, so
 * the caller can show what it could not fill.
 *
 * Shared by daemon (rendering what is sent) and client (preview, which
 * fields to ask for), so both go by one list of variables.
 */
#ifndef CANNED_H
#define CANNED_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define CANNED_BODY_MAX		4096	/* bytes: WhatsApp's text limit */
#define CANNED_NAME_MAX		64	/* bytes of a variable's name */

/* Returns the variable's value (borrowed) or NULL if it has none. */
typedef const char *(*canned_lookup_fn)(const char *name, void *arg);

#define CANNED_VARS_LIST	"contact.name, contact.first_name, agent.name, " \
				"conversation.id, business.name"
#define CANNED_ASK		"ask:"

/* 1 if name is one of the variables templates may use. */
bool	 canned_is_known(const char *name);
/* 1 if the daemon fills name (CANNED_VARS_LIST); fields it does not. */
bool	 canned_daemon_fills(const char *name);
/* The label of a fill-in field "ask:LABEL", or NULL if name is not one. */
const char *canned_ask_label(const char *name);
/*
 * The labels of tmpl's fill-in fields, each once, in order of first use
 * (a new array), or NULL with *cause (allocated, if cause is not NULL)
 * for a bad template.
 */
json_t	*canned_fields(const char *tmpl, char **cause);
/*
 * Renders tmpl. Returns the text (allocated; the caller frees it) and
 * *missing, an array of the names that stayed empty (each once; the caller
 * decrefs). NULL with *cause (allocated) on a syntax error, an unknown
 * variable, or a result longer than CANNED_BODY_MAX. lookup may be NULL
 * to check a template: every variable is then missing.
 */
char	*canned_render(const char *tmpl, canned_lookup_fn lookup, void *arg,
	    json_t **missing, char **cause);
/* The first word of a display name (allocated), or NULL if it has none. */
char	*canned_first_name(const char *name);

#endif

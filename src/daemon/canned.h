/*
 * Canned replies: rendering of their templates. Pure (no store, no I/O) so
 * that the exact text an agent is about to send can be tested alone.
 *
 * Syntax: {{ name }} or {{ name | "fallback" }}; names are
 * contact.name, contact.first_name, agent.name, conversation.id. A
 * variable with no value and no fallback renders as nothing and is named
 * in *missing, so the caller can show what it could not fill.
 */
#ifndef CANNED_H
#define CANNED_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#define CANNED_BODY_MAX		4096	/* bytes: WhatsApp's text limit */

/* Returns the variable's value (borrowed) or NULL if it has none. */
typedef const char *(*canned_lookup_fn)(const char *name, void *arg);

/* 1 if name is one of the variables templates may use. */
bool	 canned_is_known(const char *name);
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

/*
 * The scriptable form of an interactive message (issue 16), shared by
 * the CLI's flags (--buttons, --list, --section, --row, --header,
 * --footer) and the composer's lines (/buttons, /list, ...): each pair
 * adds to a spec object that reply's "interactive" parameter takes
 * (doc/protocol.md). The daemon checks Meta's limits; this only shapes.
 *
 *   buttons "Yes|No|Maybe"        reply buttons, each title its own id
 *   list    "Choose"              a list, with its button's text
 *   section "Fast"                a new section (rows go to the last one)
 *   row     "id:Title:Description" a row (no ':' at all: title = id)
 *   header  TEXT, footer TEXT
 */
#ifndef ISPEC_H
#define ISPEC_H

#include <jansson.h>

/* Adds key/value to spec: 0, or -1 with *cause (allocated). */
int	ispec_add(json_t *spec, const char *key, const char *value,
	    char **cause);
/* Whether key is one ispec_add knows. */
int	ispec_key(const char *key);

#endif

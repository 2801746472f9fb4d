/*
 * Message templates: synced from the WABA (at start, every N minutes and on
 * demand) into the store, and turned into the "template" object of a send
 * with the parameters filled and counted, so a wrong send is refused here
 * in plain words rather than by Meta with a code.
 */
#ifndef TEMPLATES_H
#define TEMPLATES_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct daemon;
struct templates;

struct templates	*templates_start(struct daemon *, char **cause);
/* No more pages (before the outbox drains); then templates_free. */
void			 templates_stop(struct templates *);
void			 templates_free(struct templates *);
/* Starts a sync unless one runs; returns its id (or the running one's). */
int64_t			 templates_sync(struct templates *);
/*
 * Stores one page of a template list answer (data: its "data" array), in
 * the caller's transaction; adds the stored entries to *count and returns
 * how many were skipped.
 */
int			 templates_store_page(struct daemon *, const char *waba_id,
			    json_t *data, int64_t started, int64_t *count);
/* {"id","running","ok","error","count","at"} of the last sync. */
json_t			*templates_state(struct templates *);
/*
 * The Graph "template" object for name/language with params (a JSON array
 * of strings; header text placeholders first, then body, then URL button
 * suffixes). Refuses unknown, unapproved or paused templates and a wrong
 * count. *category gets the template's category. Returns a new object or
 * NULL with *cause allocated. An IMAGE, VIDEO or DOCUMENT header is filled
 * by header_link (an https URL Meta fetches) or by a file the outbox
 * uploads first (header_file: the file's Graph type, "image" ...; the
 * parameter's media object is left empty for its id); one of them must be
 * given exactly when the template has such a header.
 */
json_t			*templates_build(struct daemon *, const char *name,
			    const char *language, json_t *params,
			    const char *header_link, const char *header_file,
			    char *category, size_t catlen, char **cause);
/* The same from one WABA's templates (issue 15); NULL: any WABA's. */
json_t			*templates_build_waba(struct daemon *, const char *waba_id,
			    const char *name, const char *language,
			    json_t *params, const char *header_link,
			    const char *header_file, char *category,
			    size_t catlen, char **cause);
/* {"params":[labels],"header":type|null} a template asks for; see .c. */
json_t			*templates_inputs(json_t *template, char **cause);

#endif

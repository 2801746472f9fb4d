/*
 * Interactive messages (issue 16): reply buttons and list messages, as an
 * agent sends them (reply's "interactive" parameter) or the daemon does
 * (the satisfaction survey, through autosend), checked against the Cloud
 * API's limits before anything is queued; and a customer's answer to one
 * (a button or list reply, a template's quick-reply button), recorded on
 * the inbound message so every client shows it as such.
 *
 * The spec (doc/protocol.md, "Interactive messages"):
 *   {"type":"button", "body":TEXT, "header":TEXT, "footer":TEXT,
 *    "buttons":["Yes", {"id":"no","title":"No"}, ...]}
 *   {"type":"list", "body":TEXT, "button":TEXT, "header":..., "footer":...,
 *    "sections":[{"title":TEXT, "rows":[{"id":..,"title":..,
 *    "description":..}, "Title", ...]}, ...]}
 * A button or row given as a string is its own id.
 */
#ifndef INTERACTIVE_H
#define INTERACTIVE_H

#include <stdint.h>

#include <jansson.h>

struct daemon;
struct wa_message;

#define INTERACTIVE_BODY_MAX	1024	/* characters, as all below */
#define INTERACTIVE_HEADER_MAX	60
#define INTERACTIVE_FOOTER_MAX	60
#define INTERACTIVE_BUTTONS_MAX	3
#define INTERACTIVE_BUTTON_MAX	20	/* a button's title */
#define INTERACTIVE_BUTTON_ID_MAX 256
#define INTERACTIVE_LIST_BUTTON_MAX 20	/* the list's button text */
#define INTERACTIVE_SECTIONS_MAX 10
#define INTERACTIVE_ROWS_MAX	10	/* in all sections together */
#define INTERACTIVE_SECTION_MAX	24	/* a section's title */
#define INTERACTIVE_ROW_MAX	24	/* a row's title */
#define INTERACTIVE_ROW_DESC_MAX 72
#define INTERACTIVE_ROW_ID_MAX	200

struct interactive_msg {
	json_t		*obj;		/* the Graph "interactive" object */
	json_t		*body;		/* the message row's body */
	char		*preview;	/* the conversation list's line */
	const char	*kind;		/* "button" or "list" (static) */
};

/*
 * Checks spec and fills im: 0, or -1 with *cause (allocated) saying which
 * limit was broken; nothing is left to free then.
 */
int	interactive_build(json_t *spec, struct interactive_msg *im,
	    char **cause);
void	interactive_release(struct interactive_msg *);
/*
 * Ingest: when m answers a button, a list or a template's quick-reply
 * button, records the answer in body ("answer": kind, id, title,
 * description, to_msg) and replaces *preview. 0, or -1 on a database
 * error.
 */
int	interactive_answer(struct daemon *, const struct wa_message *m,
	    int64_t contact, json_t *body, char **preview);

#endif

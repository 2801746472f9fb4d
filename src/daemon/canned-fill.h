/*
 * The values of a canned reply's variables in one conversation, one owner
 * for the daemon: a reply rendered for an agent (canned.render), a rule's
 * or a macro's reply (action.c), an auto-reply (autoreply.c). The names
 * are src/common/canned.c's; the display name customers see for
 * {{agent.name}} (the login only if none is set; none for the daemon).
 */
#ifndef CANNED_FILL_H
#define CANNED_FILL_H

#include <stdint.h>

#include <jansson.h>

struct daemon;

struct canned_fill {
	char		*name;		/* the contact's (wiped by _clear) */
	char		*first;
	char		 agent[256];
	char		 conv[24];
	const char	*business;
	json_t		*fields;	/* {{ask:LABEL}} values, or NULL */
};

/*
 * Fills f for conversation conv (0: none) of contact (0: none), written
 * by agent_id (0: the daemon, no agent name) whose login is login.
 */
void	 canned_fill_init(struct canned_fill *, struct daemon *, int64_t conv,
	    int64_t contact, int64_t agent_id, const char *login);
/* canned_render over f's values: the text, or NULL with *cause. */
char	*canned_fill_render(struct canned_fill *, const char *body,
	    json_t **missing, char **cause);
void	 canned_fill_clear(struct canned_fill *);

#endif

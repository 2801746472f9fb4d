/* A canned reply's variables in one conversation; see canned-fill.h. */
#include <stdio.h>
#include <string.h>

#include "canned.h"
#include "canned-fill.h"
#include "crypt.h"
#include "daemon.h"
#include "store.h"

static const char *
canned_fill_var(const char *name, void *arg)
{
	struct canned_fill	*f = arg;
	const char		*label;

	if (strcmp(name, "contact.name") == 0)
		return (f->name);
	if (strcmp(name, "contact.first_name") == 0)
		return (f->first);
	if (strcmp(name, "agent.name") == 0)
		return (f->agent[0] != '\0' ? f->agent : NULL);
	if (strcmp(name, "conversation.id") == 0)
		return (f->conv[0] != '\0' ? f->conv : NULL);
	if (strcmp(name, "business.name") == 0)
		return (f->business);
	if ((label = canned_ask_label(name)) != NULL)
		return (json_string_value(json_object_get(f->fields, label)));
	return (NULL);
}

void
canned_fill_init(struct canned_fill *f, struct daemon *d, int64_t conv,
    int64_t contact, int64_t agent_id, const char *login)
{
	memset(f, 0, sizeof *f);
	if (agent_id != 0) {
		store_agent_display(&d->store, agent_id, f->agent,
		    sizeof f->agent);
		if (f->agent[0] == '\0' && login != NULL)
			snprintf(f->agent, sizeof f->agent, "%s", login);
	}
	if (conv != 0)
		snprintf(f->conv, sizeof f->conv, "%lld", (long long)conv);
	f->business = d->conf.business_name;
	if (contact != 0) {
		f->name = store_contact_name(&d->store, contact);
		f->first = f->name != NULL ? canned_first_name(f->name) :
		    NULL;
	}
}

char *
canned_fill_render(struct canned_fill *f, const char *body, json_t **missing,
    char **cause)
{
	return (canned_render(body, canned_fill_var, f, missing, cause));
}

void
canned_fill_clear(struct canned_fill *f)
{
	if (f->name != NULL)
		crypt_wipe_free(f->name, strlen(f->name));
	if (f->first != NULL)
		crypt_wipe_free(f->first, strlen(f->first));
	f->name = f->first = NULL;
}

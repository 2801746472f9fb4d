/* What the daemon sends by itself; see autosend.h. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "autosend.h"
#include "clock.h"
#include "daemon.h"
#include "log.h"
#include "outbox.h"
#include "store.h"
#include "window.h"

static const struct audit_who autosend_who = { 0, "support-inboxd", NULL };

const char *
autosend_skip_name(int why)
{
	switch (why) {
	case AUTOSEND_QUEUED:
		return ("queued");
	case AUTOSEND_WINDOW:
		return ("window closed");
	case AUTOSEND_RESTRICTED:
		return ("contact restricted");
	case AUTOSEND_NO_ADDRESS:
		return ("contact has no address (erased)");
	case AUTOSEND_BLOCKED:
		return ("contact blocked");
	}
	return ("database error");
}

int
autosend_queue(struct daemon *d, const struct autosend *a, int64_t *msg_id)
{
	struct store_send_info	 si;
	struct outbox_msg	 om;
	struct audit_rec	 rec;
	int64_t			 mid, oid, now;
	char			*cause = NULL;
	int			 rc;

	now = a->now != 0 ? a->now : clock_now();
	if (store_send_info(&d->store, a->conv, &si) != STORE_FOUND)
		return (-1);
	if (si.restricted)
		rc = AUTOSEND_RESTRICTED;
	else if (si.wa_id == NULL && si.user_id == NULL)
		rc = AUTOSEND_NO_ADDRESS;
	else if (store_contact_blocked(&d->store, si.contact_id))
		rc = AUTOSEND_BLOCKED;
	/*
	 * Free-form messages need the customer-service window; a template
	 * is what WhatsApp allows outside it (a campaign's, issue 17).
	 */
	else if (strcmp(a->type, "template") != 0 &&
	    !window_is_open(si.last_inbound_at, now, d->conf.window_hours))
		rc = AUTOSEND_WINDOW;
	else
		rc = AUTOSEND_QUEUED;
	if (rc != AUTOSEND_QUEUED) {
		store_send_info_clear(&si);
		return (rc);
	}
	memset(&om, 0, sizeof om);
	om.conv = a->conv;
	om.contact_id = si.contact_id;
	om.wa_id = si.wa_id;
	om.user_id = si.user_id;
	om.type = a->type;
	om.obj = a->obj;
	om.body = a->body;
	om.preview = a->preview;
	om.now = now;
	rc = outbox_queue(d, &om, &mid, &oid, &cause);
	if (rc != 0) {
		log_warn("autosend: cannot queue a %s: %s", a->detail != NULL ?
		    a->detail : a->type, cause != NULL ? cause :
		    "database error");
		free(cause);
		store_send_info_clear(&si);
		return (-1);
	}
	rec = (struct audit_rec){ .action = a->action != NULL ? a->action :
	    "message.send", .object_type = "message", .object_id = mid,
	    .contact_id = si.contact_id, .result = "ok",
	    .detail = a->detail };
	store_send_info_clear(&si);
	if (audit_append(d, &autosend_who, &rec) != 0)
		return (-1);
	outbox_kick(d->outbox);
	if (msg_id != NULL)
		*msg_id = mid;
	return (AUTOSEND_QUEUED);
}

int
autosend_text(struct daemon *d, int64_t conv, const char *text,
    const char *action, const char *detail, int64_t *msg_id)
{
	struct autosend	 a;
	int		 rc;

	memset(&a, 0, sizeof a);
	a.conv = conv;
	a.type = "text";
	a.obj = json_pack("{sb ss}", "preview_url", 0, "body", text);
	a.body = json_pack("{ss}", "text", text);
	a.preview = text;
	a.action = action;
	a.detail = detail;
	rc = autosend_queue(d, &a, msg_id);
	json_decref(a.obj);
	json_decref(a.body);
	return (rc);
}

/*
 * Auto-replies; see autoreply.h. Runs in ingest's transaction for each new
 * customer message (automation_inbound): what it sends and records
 * commits with the message.
 *
 * Which one: outside the team's hours the away text; within them the busy
 * text when busy_when_waiting or more conversations of the team wait
 * unassigned. Neither answers a message that was a STOP or START keyword
 * (the consent confirmation answers that; a second message right after
 * an opt-out would be a poor way to respect it). Each goes at most once
 * per conversation per away_every / busy_every, recorded in auto_replies
 * only when it was queued (a closed window or a restricted contact, which
 * autosend refuses, leaves no record, so the next message may get it).
 *
 * The expected wait ({{wait}}) is the median time from a customer's first
 * message to an agent's first reply over the team's latest 200
 * conversations of the last 30 days: the median, so one conversation
 * left over a weekend does not make the figure. With nothing measured
 * the busy text is not sent, rather than promise a wait we cannot back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "automation.h"
#include "autoreply.h"
#include "autosend.h"
#include "canned.h"
#include "canned-fill.h"
#include "conf.h"
#include "conf-hours.h"
#include "crypt.h"
#include "daemon.h"
#include "hours.h"
#include "log.h"
#include "store.h"

#define AUTOREPLY_MEASURE_DAYS	30

/* "15 min", "2 h", "1 d": a figure any language's text can hold. */
static void
autoreply_fmt_wait(int64_t secs, char *buf, size_t len)
{
	if (secs < 60)
		snprintf(buf, len, "1 min");
	else if (secs < 2 * 3600)
		snprintf(buf, len, "%lld min", (long long)((secs + 59) / 60));
	else if (secs < 2 * 86400)
		snprintf(buf, len, "%lld h", (long long)((secs + 1799) / 3600));
	else
		snprintf(buf, len, "%lld d", (long long)((secs + 43199) /
		    86400));
}

/* Renders and queues one; 0 (sent or not), -1 on a database error. */
static int
autoreply_send(struct daemon *d, const struct auto_inbound *in,
    const char *kind, const char *tmpl, const char *wait, const char *team,
    const char *lang)
{
	struct canned_fill	 v;
	json_t			*missing = NULL;
	char			*body, *text, *cause = NULL, detail[128];
	int64_t			 mid = 0;
	int			 rc;

	canned_fill_init(&v, d, in->conv, in->contact, 0, NULL);
	body = conf_hours_wait(tmpl, wait != NULL ? wait : "");
	text = canned_fill_render(&v, body, &missing, &cause);
	free(body);
	json_decref(missing);
	canned_fill_clear(&v);
	if (text == NULL) {
		/* Checked at load; a name too long for the limit. */
		log_warn("auto-reply %s for team %s not sent: %s", kind,
		    team[0] != '\0' ? team : "(none)", cause != NULL ? cause :
		    "cannot render");
		free(cause);
		return (0);
	}
	snprintf(detail, sizeof detail, "team %s, lang %s",
	    team[0] != '\0' ? team : "-", lang);
	rc = autosend_text(d, in->conv, text, strcmp(kind, "away") == 0 ?
	    "auto.away" : "auto.busy", detail, &mid);
	crypt_wipe_free(text, strlen(text));
	if (rc < 0)
		return (-1);
	if (rc > 0) {
		log_debug("auto-reply %s not sent to conversation %lld: %s",
		    kind, (long long)in->conv, autosend_skip_name(rc));
		return (0);
	}
	return (store_autoreply_mark(&d->store, in->conv, kind, in->now,
	    mid));
}

/* 1 if kind went to the conversation less than every seconds ago. */
static int
autoreply_recent(struct daemon *d, int64_t conv, const char *kind,
    int64_t every, int64_t now)
{
	int64_t	at;

	if (store_autoreply_last(&d->store, conv, kind, &at) != 0)
		return (-1);
	return (at != 0 && now - at < every);
}

int
autoreply_inbound(struct daemon *d, const struct auto_inbound *in)
{
	const struct conf_hours	*h;
	struct store_conv_info	 ci;
	const char		*tmpl, *lang;
	char			 clang[16], wait[32], *cl;
	int64_t			 waiting, median;
	int			 open, r;

	if (d->conf.nhours == 0)
		return (0);
	if (store_conv_info(&d->store, in->conv, &ci) != STORE_FOUND)
		return (-1);
	if ((h = conf_hours_find(&d->conf, ci.team[0] != '\0' ? ci.team :
	    NULL)) == NULL || (h->naway == 0 && h->nbusy == 0))
		return (0);
	if ((r = store_autoreply_consent_msg(&d->store, in->contact,
	    in->msg)) != 0)
		return (r < 0 ? -1 : 0);
	cl = store_contact_io_language(&d->store, in->contact);
	snprintf(clang, sizeof clang, "%s", cl != NULL ? cl : "");
	free(cl);
	open = hours_open(d, ci.team, in->now);

	if (open == 0) {
		if (h->naway == 0)
			return (0);
		if ((r = autoreply_recent(d, in->conv, "away", h->away_every,
		    in->now)) != 0)
			return (r < 0 ? -1 : 0);
		tmpl = conf_hours_text(h->away, h->naway, clang);
		if (tmpl == NULL)
			return (0);
		lang = clang[0] != '\0' && conf_hours_text(h->away, h->naway,
		    clang) != conf_hours_text(h->away, h->naway, NULL) ? clang :
		    h->lang != NULL ? h->lang : "default";
		return (autoreply_send(d, in, "away", tmpl, NULL, ci.team,
		    lang));
	}

	if (h->nbusy == 0 || h->busy_when_waiting == 0)
		return (0);
	if (store_autoreply_waiting(&d->store, ci.team, &waiting) != 0)
		return (-1);
	if (waiting < (int64_t)h->busy_when_waiting)
		return (0);
	if ((r = autoreply_recent(d, in->conv, "busy", h->busy_every,
	    in->now)) != 0)
		return (r < 0 ? -1 : 0);
	if ((r = store_autoreply_median_wait(&d->store, ci.team, in->now -
	    AUTOREPLY_MEASURE_DAYS * 86400, &median)) != 0)
		return (r < 0 ? -1 : 0);
	autoreply_fmt_wait(median, wait, sizeof wait);
	if ((tmpl = conf_hours_text(h->busy, h->nbusy, clang)) == NULL)
		return (0);
	lang = clang[0] != '\0' && tmpl != conf_hours_text(h->busy, h->nbusy,
	    NULL) ? clang : h->lang != NULL ? h->lang : "default";
	return (autoreply_send(d, in, "busy", tmpl, wait, ci.team, lang));
}

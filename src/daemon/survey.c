/* The satisfaction survey; see survey.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit.h"
#include "automation.h"
#include "autosend.h"
#include "clock.h"
#include "conf.h"
#include "daemon.h"
#include "hook.h"
#include "log.h"
#include "proto-names.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "survey.h"
#include "xmalloc.h"

#define SURVEY_RUN_MAX		200	/* surveys per pass */
#define SURVEY_TOKEN_BYTES	12	/* 96 random bits, 24 hex digits */

static const struct audit_who survey_who = { 0, "support-inboxd", NULL };

static int
survey_scale_max(const char *scale)
{
	if (strcmp(scale, "thumbs") == 0)
		return (2);
	return (strcmp(scale, "3") == 0 ? 3 : 5);
}

int
survey_on_resolve(struct daemon *d, int64_t conv, int64_t agent_id)
{
	const struct conf_survey	*sv;
	struct store_conv_info		 ci;
	uint8_t				 rnd[SURVEY_TOKEN_BYTES];
	char				 token[SURVEY_TOKEN_BYTES * 2 + 1];
	int64_t				 now = clock_now(), wait;

	if (store_conv_info(&d->store, conv, &ci) != STORE_FOUND)
		return (-1);
	if ((sv = conf_survey_for(&d->conf, ci.team[0] != '\0' ? ci.team :
	    NULL)) == NULL)
		return (0);
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(token, sizeof token, rnd, sizeof rnd);
	wait = sv->delay > SURVEY_UNDO_WAIT ? sv->delay : SURVEY_UNDO_WAIT;
	if (store_survey_queue(&d->store, conv, token, agent_id,
	    ci.team[0] != '\0' ? ci.team : NULL,
	    conf_survey_scale_name(sv->scale), now, now + wait) < 0)
		return (-1);
	return (0);
}

/* The Graph object: three buttons at most, so 1-5 is a list. */
static json_t *
survey_object(const struct store_survey *s, const struct conf_survey_text *t,
    int scale)
{
	json_t	*rows, *btns, *o;
	char	 id[64], title[16];
	int	 i;

	if (scale == 5) {
		rows = json_array();
		for (i = 5; i >= 1; i--) {
			snprintf(id, sizeof id, SURVEY_ID_PREFIX "%s:%d",
			    s->token, i);
			snprintf(title, sizeof title, "%d", i);
			json_array_append_new(rows, json_pack("{ss ss}", "id",
			    id, "title", title));
		}
		return (json_pack("{ss s{ss} s{ss s[{ss so}]}}", "type", "list",
		    "body", "text", t->text, "action", "button",
		    t->button != NULL ? t->button : "Rate", "sections",
		    "title", "1-5", "rows", rows));
	}
	btns = json_array();
	for (i = scale == 3 ? 3 : 2; i >= 1; i--) {
		snprintf(id, sizeof id, SURVEY_ID_PREFIX "%s:%d", s->token, i);
		if (scale == 3)
			snprintf(title, sizeof title, "%d", i);
		else
			snprintf(title, sizeof title, "%s", i == 2 ?
			    "\xf0\x9f\x91\x8d" : "\xf0\x9f\x91\x8e");
		json_array_append_new(btns, json_pack("{ss s{ss ss}}", "type",
		    "reply", "reply", "id", id, "title", title));
	}
	o = json_pack("{ss s{ss} s{so}}", "type", "button", "body", "text",
	    t->text, "action", "buttons", btns);
	return (o);
}

/* One due survey (rpc_act): sent, skipped with its reason, or dropped. */
static int
survey_send_one(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	const struct store_survey	*s = arg;
	const struct conf_survey	*sv;
	const struct conf_survey_text	*t;
	struct daemon			*d = ctx->d;
	struct autosend			 a;
	const char			*why = NULL;
	char				*lang, *preview;
	int64_t				 mid = 0;
	int				 rc;

	/* Taken back in its undo window, or reopened: nothing to ask. */
	if (strcmp(s->conv_state, "resolved") != 0) {
		if (store_survey_drop(&d->store, s->id) != 0)
			goto fail;
		return (0);
	}
	sv = conf_survey_for(&d->conf, s->team[0] != '\0' ? s->team : NULL);
	if (sv == NULL)
		why = "no survey for the team now";
	else if ((rc = store_survey_opted_out(&d->store,
	    s->contact_id)) != 0) {
		if (rc < 0)
			goto fail;
		why = "contact opted out";
	}
	if (why == NULL) {
		lang = store_contact_io_language(&d->store, s->contact_id);
		t = conf_survey_text(sv, lang);
		free(lang);
		memset(&a, 0, sizeof a);
		a.conv = s->conv;
		a.type = "interactive";
		a.obj = survey_object(s, t, survey_scale_max(s->scale) == 2 ?
		    CONF_SURVEY_THUMBS : survey_scale_max(s->scale));
		preview = xasprintf("Survey: %s [%s]", t->text,
		    strcmp(s->scale, "thumbs") == 0 ? "\xf0\x9f\x91\x8d/"
		    "\xf0\x9f\x91\x8e" : strcmp(s->scale, "3") == 0 ?
		    "1..3" : "1..5");
		a.body = json_pack("{ss sO}", "text", preview, "interactive",
		    a.obj);
		a.preview = preview;
		a.action = "survey.send";
		a.detail = "satisfaction survey";
		rc = autosend_queue(d, &a, &mid);
		json_decref(a.obj);
		json_decref(a.body);
		free(preview);
		if (rc < 0)
			goto fail;
		if (rc > 0)
			why = autosend_skip_name(rc);
	}
	if (why != NULL) {
		if (store_survey_skipped(&d->store, s->id, why) != 0)
			goto fail;
		ctx->audit = (struct audit_rec){ .action = "survey.skip",
		    .object_type = "conversation", .object_id = s->conv,
		    .contact_id = s->contact_id, .detail = why,
		    .result = "ok" };
		return (0);
	}
	if (store_survey_sent(&d->store, s->id, mid, clock_now()) != 0)
		goto fail;
	rpc_event(ctx, PEV_MESSAGE, json_pack("{sI sI ss}", "conversation",
	    (json_int_t)s->conv, "message", (json_int_t)mid, "direction",
	    "out"));
	return (0);
fail:
	rpc_error(err, PE_INTERNAL, "database error");
	return (-1);
}

int
survey_tick(struct daemon *d)
{
	struct store_survey	 s;
	json_t			*events;
	int			 n = 0;

	/* Pending ones are settled even if a reload took the survey away. */
	while (n < SURVEY_RUN_MAX && store_survey_due(&d->store, clock_now(),
	    &s) == STORE_FOUND) {
		if (rpc_act(d, &survey_who, "survey", survey_send_one, &s,
		    &events) != 0)
			break;
		server_events(d->server, events);
		n++;
	}
	return (n);
}

/* "survey:TOKEN:N": the token and N, or -1. */
static int
survey_parse_id(const char *id, char *token, size_t len, int *n)
{
	const char	*p, *colon;
	char		*end;
	long		 v;

	if (strncmp(id, SURVEY_ID_PREFIX, strlen(SURVEY_ID_PREFIX)) != 0)
		return (-1);
	p = id + strlen(SURVEY_ID_PREFIX);
	if ((colon = strchr(p, ':')) == NULL ||
	    (size_t)(colon - p) != SURVEY_TOKEN_BYTES * 2 ||
	    (size_t)(colon - p) >= len ||
	    strspn(p, "0123456789abcdef") != (size_t)(colon - p))
		return (-1);
	memcpy(token, p, (size_t)(colon - p));
	token[colon - p] = '\0';
	v = strtol(colon + 1, &end, 10);
	if (*end != '\0' || end == colon + 1 || v < 1 || v > 5)
		return (-1);
	*n = (int)v;
	return (0);
}

int
survey_inbound(struct daemon *d, const struct auto_inbound *in)
{
	const struct conf_survey	*sv;
	const struct conf_survey_text	*t;
	struct store_survey		 s;
	struct audit_rec		 rec;
	char				 token[SURVEY_TOKEN_BYTES * 2 + 1];
	char				 detail[64], *lang;
	int64_t				 mid = 0;
	int				 n, again;
	enum store_found		 f;

	if (in->reply_id == NULL || strncmp(in->reply_id, SURVEY_ID_PREFIX,
	    strlen(SURVEY_ID_PREFIX)) != 0)
		return (0);
	memset(&s, 0, sizeof s);
	if (survey_parse_id(in->reply_id, token, sizeof token, &n) != 0)
		f = STORE_NONE;
	else if ((f = store_survey_by_token(&d->store, token, &s)) ==
	    STORE_ERROR)
		return (-1);
	/* Someone else's survey, an old one, a made-up number: ignored. */
	if (f != STORE_FOUND || s.contact_id != in->contact ||
	    (strcmp(s.state, "sent") != 0 &&
	    strcmp(s.state, "answered") != 0) ||
	    n > survey_scale_max(s.scale) ||
	    in->now - s.sent_at > SURVEY_ANSWER_MAX) {
		log_info("survey: an answer to an unknown, foreign or old "
		    "survey ignored");
		return (0);
	}
	/* A second press: the customer changed their mind; the last counts. */
	again = strcmp(s.state, "answered") == 0;
	if (store_survey_answer(&d->store, s.id, n, in->now) != 0)
		return (-1);
	snprintf(detail, sizeof detail, "rating %d of %s%s", n, s.scale,
	    again ? " (replaces the earlier one)" : "");
	rec = (struct audit_rec){ .action = "survey.answer",
	    .object_type = "conversation", .object_id = s.conv,
	    .contact_id = s.contact_id, .detail = detail, .result = "ok" };
	if (audit_append(d, &survey_who, &rec) != 0)
		return (-1);
	if (hook_emit_json(d, CONF_HOOK_SURVEY_ANSWERED, s.conv, json_pack(
	    "{si ss sb}", "rating", n, "scale", s.scale, "again", again)) != 0)
		return (-1);	/* issue 18 */
	/* Pressing a button is not a new question: it stays resolved. */
	if (strcmp(in->conv_state, "reopened") == 0 ||
	    strcmp(in->conv_state, "new-after-resolved") == 0) {
		if (store_conv_set_state(&d->store, in->conv, "resolved", 0,
		    in->now) != 0)
			return (-1);
		json_array_append_new(in->events, json_pack("{ss s{sI ss ss "
		    "ss}}", "event", PEV_STATE, "data", "conversation",
		    (json_int_t)in->conv, "state", "resolved", "was", "open",
		    "by", "survey"));
	}
	if (again)
		return (1);
	sv = conf_survey_for(&d->conf, s.team[0] != '\0' ? s.team : NULL);
	if (sv == NULL)
		return (1);
	lang = store_contact_io_language(&d->store, s.contact_id);
	t = conf_survey_text(sv, lang);
	free(lang);
	if (t == NULL || t->thanks == NULL)
		return (1);
	if ((n = autosend_text(d, in->conv, t->thanks, "survey.thanks",
	    "survey thanks", &mid)) < 0)
		return (-1);
	if (n == AUTOSEND_QUEUED)
		json_array_append_new(in->events, json_pack("{ss s{sI sI ss "
		    "ss}}", "event", PEV_MESSAGE, "data", "conversation",
		    (json_int_t)in->conv, "message", (json_int_t)mid,
		    "direction", "out", "conversation_state", "existing"));
	return (1);
}

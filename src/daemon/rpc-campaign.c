/*
 * campaign.*: marketing campaigns (issue 17; doc/campaigns.md). Creating,
 * previewing and driving one is a supervisor's; agents may list them and
 * read their status. Every change is audited (object "campaign") and
 * raises the event "campaign" with the campaign as campaign.list shows it.
 * The sending itself is campaign.c's, on the daemon's tick.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign.h"
#include "campaign-segment.h"
#include "clock.h"
#include "conf.h"
#include "daemon.h"
#include "lang.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"
#include "tpl-render.h"

static int
rpc_campaign_valid_name(const char *s)
{
	size_t	i;

	if (s[0] == '\0' || strlen(s) > CAMPAIGN_NAME_MAX)
		return (0);
	for (i = 0; s[i] != '\0'; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-' && s[i] != '.')
			return (0);
	return (1);
}

/* params "name" looked up: 0, or -1 with err set (c cleared). */
static int
rpc_campaign_find(struct rpc_ctx *ctx, json_t *params,
    struct store_campaign *c, struct rpc_err *err)
{
	const char	*name;

	memset(c, 0, sizeof *c);
	if (rpc_param_str(params, "name", 1, &name, CAMPAIGN_NAME_MAX,
	    err) != 0)
		return (-1);
	return (rpc_lookup(store_campaign_get(&ctx->d->store, name, 0, c),
	    err, "no campaign '%s' (campaign list shows them)", name));
}

static const struct conf_number *
rpc_campaign_number(struct rpc_ctx *ctx, const struct store_campaign *c)
{
	if (c->number[0] != '\0')
		return (conf_number_by_label(&ctx->d->conf, c->number));
	return (ctx->d->conf.nnumbers > 0 ? &ctx->d->conf.numbers[0] : NULL);
}

static void
rpc_campaign_event(struct rpc_ctx *ctx, int64_t id)
{
	struct store_campaign	c;

	if (store_campaign_get(&ctx->d->store, NULL, id, &c) != STORE_FOUND)
		return;
	rpc_event(ctx, PEV_CAMPAIGN, campaign_json(ctx->d, &c));
	store_campaign_clear(&c);
}

static void
rpc_campaign_audit(struct rpc_ctx *ctx, const char *action, int64_t id,
    const char *detail)
{
	ctx->audit = (struct audit_rec){ .action = action,
	    .object_type = "campaign", .object_id = id, .detail = detail,
	    .result = "ok" };
}

static json_t *
rpc_campaign_create(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_campaign		 c;
	struct campaign_segment		 seg;
	const struct conf_number	*num;
	const char			*name, *tmpl, *segment = "", *number;
	const char			*lang;
	char				 why[256];
	json_t				*langs, *ps, *v, *t;
	size_t				 i, off = 0;
	int64_t				 schedule = 0, id;
	int				 rc;

	memset(&c, 0, sizeof c);
	if (rpc_param_str(params, "name", 1, &name, CAMPAIGN_NAME_MAX,
	    err) != 0 ||
	    rpc_param_str(params, "template", 1, &tmpl, 512, err) != 0 ||
	    rpc_param_str(params, "segment", 0, &segment,
	    CAMPAIGN_SEGMENT_MAX, err) != 0 ||
	    rpc_param_str(params, "number", 0, &number, CONF_LABEL_MAX,
	    err) != 0 ||
	    rpc_param_int(params, "schedule", 0, &schedule, 0, INT64_MAX / 2,
	    err) != 0)
		return (NULL);
	if (segment == NULL)
		segment = "";
	if (!rpc_campaign_valid_name(name))
		return (rpc_error(err, PE_INVALID, "a campaign's name is 1 to "
		    "%d letters, digits, _ - or .", CAMPAIGN_NAME_MAX));
	if (campaign_segment_parse(segment, &seg, why, sizeof why) != 0)
		return (rpc_error(err, PE_INVALID, "segment: %s", why));
	for (i = 0; i < seg.n; i++)
		if (seg.terms[i].kind == CAMPAIGN_T_NUMBER &&
		    conf_number_by_label(&ctx->d->conf,
		    seg.terms[i].value) == NULL)
			return (rpc_error(err, PE_INVALID, "segment: no business "
			    "number is labelled '%s'", seg.terms[i].value));
	num = NULL;
	if (number != NULL && (num = conf_number_by_label(&ctx->d->conf,
	    number)) == NULL)
		return (rpc_error(err, PE_INVALID, "no business number is "
		    "labelled '%s' (status lists the numbers)", number));
	if (num == NULL && ctx->d->conf.nnumbers > 0)
		num = &ctx->d->conf.numbers[0];
	langs = json_object_get(params, "languages");
	if (!json_is_array(langs) || json_array_size(langs) < 1 ||
	    json_array_size(langs) > CAMPAIGN_LANGS_MAX)
		return (rpc_error(err, PE_INVALID, "languages: 1 to %d language "
		    "codes of the template (en_US, de)", CAMPAIGN_LANGS_MAX));
	json_array_foreach(langs, i, v) {
		lang = json_string_value(v);
		if (lang == NULL || !lang_valid(lang))
			return (rpc_error(err, PE_INVALID, "languages: '%s' is "
			    "not a language code", lang != NULL &&
			    strlen(lang) < 16 ? lang : "?"));
		t = store_template_get_waba(&ctx->d->store, num != NULL ?
		    num->waba_id : NULL, tmpl, lang);
		if (t == NULL)
			return (rpc_error(err, PE_TEMPLATE, "no template '%s' in "
			    "%s (templates list shows them; templates sync "
			    "fetches them)", tmpl, lang));
		rc = strcmp(json_string_value(json_object_get(t, "status")) !=
		    NULL ? json_string_value(json_object_get(t, "status")) :
		    "", "APPROVED");
		json_decref(t);
		if (rc != 0)
			return (rpc_error(err, PE_TEMPLATE, "template '%s' (%s) "
			    "is not approved", tmpl, lang));
		off += (size_t)snprintf(c.languages + off, sizeof c.languages -
		    off, "%s%s", i > 0 ? "," : "", lang);
	}
	ps = json_object_get(params, "params");
	if (ps != NULL && (!json_is_array(ps) || json_array_size(ps) > 64))
		return (rpc_error(err, PE_INVALID, "params: an array of at most "
		    "64 strings"));
	json_array_foreach(ps, i, v)
		if (!json_is_string(v) || json_string_length(v) > 1024)
			return (rpc_error(err, PE_INVALID, "params: strings of "
			    "at most 1024 bytes"));
	snprintf(c.name, sizeof c.name, "%s", name);
	snprintf(c.tmpl, sizeof c.tmpl, "%s", tmpl);
	snprintf(c.segment, sizeof c.segment, "%s", segment);
	if (num != NULL) {
		snprintf(c.number, sizeof c.number, "%s", num->label);
		snprintf(c.pnid, sizeof c.pnid, "%s", num->phone_number_id);
	}
	c.params = ps;
	c.schedule_at = schedule;
	c.created_by = ctx->agent.id;
	c.created = clock_now();
	rc = store_campaign_create(&ctx->d->store, &c, &id);
	if (rc == 1)
		return (rpc_error(err, PE_CONFLICT, "a campaign '%s' exists",
		    name));
	if (rc != 0)
		return (rpc_error(err, PE_INTERNAL, "cannot store the "
		    "campaign"));
	rpc_audit_detail(ctx, "%s: template %s (%s), segment '%s'", name,
	    tmpl, c.languages, segment);
	rpc_campaign_audit(ctx, "campaign.create", id, ctx->audit_detail);
	rpc_campaign_event(ctx, id);
	return (json_pack("{sI ss ss}", "id", (json_int_t)id, "name", name,
	    "state", "draft"));
}

struct rpc_campaign_list {
	struct daemon	*d;
	json_t		*a;
};

static int
rpc_campaign_list_one(struct store_campaign *c, void *arg)
{
	struct rpc_campaign_list	*l = arg;

	json_array_append_new(l->a, campaign_json(l->d, c));
	return (0);
}

static json_t *
rpc_campaign_list(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct rpc_campaign_list	 l = { ctx->d, json_array() };
	const char			*state;

	if (rpc_param_str(params, "state", 0, &state, 16, err) != 0) {
		json_decref(l.a);
		return (NULL);
	}
	if (store_campaign_each(&ctx->d->store, state, rpc_campaign_list_one,
	    &l) != 0) {
		json_decref(l.a);
		return (rpc_error(err, PE_INTERNAL, "cannot read the "
		    "campaigns"));
	}
	return (json_pack("{so}", "campaigns", l.a));
}

static json_t *
rpc_campaign_status(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_campaign	c;
	json_t			*o;

	if (rpc_campaign_find(ctx, params, &c, err) != 0)
		return (NULL);
	o = campaign_json(ctx->d, &c);
	store_campaign_clear(&c);
	return (o);
}

static json_t *
rpc_campaign_preview(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_campaign		 c;
	const struct conf_number	*num;
	char				 langs[CAMPAIGN_LANGS_MAX][16];
	char				*cause = NULL, *text;
	json_t				*res = NULL, *samples, *t;
	int				 n, i;

	if (rpc_campaign_find(ctx, params, &c, err) != 0)
		return (NULL);
	if (campaign_materialize(ctx->d, &c, 0, json_is_true(json_object_get(
	    params, "list")), &res, &cause) != 0) {
		rpc_error(err, PE_INVALID, "%s", cause);
		free(cause);
		goto out;
	}
	/* What the customer reads, per language ({name} stays a mark). */
	num = rpc_campaign_number(ctx, &c);
	samples = json_array();
	n = campaign_langs(c.languages, langs, CAMPAIGN_LANGS_MAX);
	for (i = 0; i < n; i++) {
		t = store_template_get_waba(&ctx->d->store, num != NULL ?
		    num->waba_id : NULL, c.tmpl, langs[i]);
		text = t != NULL ? tpl_render(json_object_get(t, "components"),
		    c.params, TPL_NO_MARK) : NULL;
		json_array_append_new(samples, json_pack("{ss ss*}", "lang",
		    langs[i], "text", text));
		free(text);
		json_decref(t);
	}
	json_object_set_new(res, "samples", samples);
	json_object_set_new(res, "name", json_string(c.name));
	json_object_set_new(res, "template", json_string(c.tmpl));
	rpc_audit_detail(ctx, "%s: %lld recipients", c.name, (long long)
	    json_integer_value(json_object_get(res, "recipients")));
	rpc_campaign_audit(ctx, "campaign.preview", c.id, ctx->audit_detail);
out:
	store_campaign_clear(&c);
	return (res);
}

static json_t *
rpc_campaign_start(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_campaign	 c;
	char			*cause = NULL;
	const char		*state;
	json_t			*res = NULL, *m = NULL;
	int64_t			 now = clock_now();

	if (rpc_campaign_find(ctx, params, &c, err) != 0)
		return (NULL);
	if (strcmp(c.state, "draft") != 0) {
		rpc_error(err, PE_CONFLICT, "campaign '%s' is %s; only a draft "
		    "starts (resume a paused one)", c.name, c.state);
		goto out;
	}
	if (c.schedule_at > now) {
		state = "scheduled";
		rpc_audit_detail(ctx, "%s: scheduled", c.name);
	} else {
		if (campaign_materialize(ctx->d, &c, 1, 0, &m, &cause) != 0) {
			rpc_error(err, PE_INVALID, "%s", cause);
			free(cause);
			goto out;
		}
		state = "running";
		rpc_audit_detail(ctx, "%s: %lld recipients", c.name,
		    (long long)json_integer_value(json_object_get(m,
		    "recipients")));
	}
	if (store_campaign_set_state(&ctx->d->store, c.id, state, NULL,
	    now) != 0) {
		rpc_error(err, PE_INTERNAL, "cannot start the campaign");
		goto out;
	}
	rpc_campaign_audit(ctx, "campaign.start", c.id, ctx->audit_detail);
	rpc_campaign_event(ctx, c.id);
	res = json_pack("{ss ss sI}", "name", c.name, "state", state,
	    "schedule", (json_int_t)c.schedule_at);
	if (m != NULL) {
		json_object_set(res, "recipients", json_object_get(m,
		    "recipients"));
		json_object_set(res, "excluded", json_object_get(m,
		    "excluded"));
	}
out:
	json_decref(m);
	store_campaign_clear(&c);
	return (res);
}

/* pause, resume, cancel: from which states, to which. */
static json_t *
rpc_campaign_move(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err,
    const char *action)
{
	struct store_campaign	 c;
	const char		*to = NULL, *reason = NULL;
	json_t			*res = NULL, *m = NULL;
	char			*cause = NULL;
	int64_t			 now = clock_now();

	if (rpc_campaign_find(ctx, params, &c, err) != 0)
		return (NULL);
	if (strcmp(action, "campaign.pause") == 0) {
		if (strcmp(c.state, "running") == 0 || strcmp(c.state,
		    "scheduled") == 0) {
			to = "paused";
			rpc_audit_detail(ctx, "paused by %s", ctx->agent.name);
			reason = ctx->audit_detail;
		}
	} else if (strcmp(action, "campaign.resume") == 0) {
		if (strcmp(c.state, "paused") == 0) {
			to = c.started == 0 && c.schedule_at > now ?
			    "scheduled" : "running";
			/* Paused before its recipients were written. */
			if (c.started == 0 && strcmp(to, "running") == 0 &&
			    campaign_materialize(ctx->d, &c, 1, 0, &m,
			    &cause) != 0) {
				rpc_error(err, PE_INVALID, "%s", cause);
				free(cause);
				goto out;
			}
			rpc_audit_detail(ctx, "%s (was paused: %s)", c.name,
			    c.pause_reason);
		}
	} else if (strcmp(c.state, "finished") != 0 && strcmp(c.state,
	    "cancelled") != 0) {
		to = "cancelled";
		rpc_audit_detail(ctx, "%s (was %s)", c.name, c.state);
	}
	if (to == NULL) {
		rpc_error(err, PE_CONFLICT, "campaign '%s' is %s", c.name,
		    c.state);
		goto out;
	}
	if (store_campaign_set_state(&ctx->d->store, c.id, to, reason,
	    now) != 0 || (strcmp(to, "cancelled") == 0 &&
	    store_campaign_cancel_queued(&ctx->d->store, c.id, now) != 0)) {
		rpc_error(err, PE_INTERNAL, "cannot change the campaign");
		goto out;
	}
	rpc_campaign_audit(ctx, action, c.id, ctx->audit_detail);
	rpc_campaign_event(ctx, c.id);
	res = json_pack("{ss ss}", "name", c.name, "state", to);
out:
	json_decref(m);
	store_campaign_clear(&c);
	return (res);
}

static json_t *
rpc_campaign_pause(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_campaign_move(ctx, params, err, "campaign.pause"));
}

static json_t *
rpc_campaign_resume(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_campaign_move(ctx, params, err, "campaign.resume"));
}

static json_t *
rpc_campaign_cancel(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	return (rpc_campaign_move(ctx, params, err, "campaign.cancel"));
}

static json_t *
rpc_campaign_report(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store_campaign	c;
	json_t			*r;

	if (rpc_campaign_find(ctx, params, &c, err) != 0)
		return (NULL);
	if ((r = store_campaign_report(&ctx->d->store, c.id)) == NULL) {
		store_campaign_clear(&c);
		return (rpc_error(err, PE_INTERNAL, "cannot read the report"));
	}
	json_object_set_new(r, "name", json_string(c.name));
	json_object_set_new(r, "state", json_string(c.state));
	json_object_set_new(r, "template", json_string(c.tmpl));
	store_campaign_clear(&c);
	return (r);
}

const struct rpc_method rpc_campaign_methods[] = {
	{ PM_CAMPAIGN_CREATE,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_campaign_create },
	{ PM_CAMPAIGN_LIST,	RPC_AGENT,	RPC_READONLY,
	    rpc_campaign_list },
	{ PM_CAMPAIGN_STATUS,	RPC_AGENT,	RPC_READONLY,
	    rpc_campaign_status },
	{ PM_CAMPAIGN_PREVIEW,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_campaign_preview },
	{ PM_CAMPAIGN_START,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_campaign_start },
	{ PM_CAMPAIGN_PAUSE,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_campaign_pause },
	{ PM_CAMPAIGN_RESUME,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_campaign_resume },
	{ PM_CAMPAIGN_CANCEL,	RPC_SUPERVISOR,	RPC_WRITE,
	    rpc_campaign_cancel },
	{ PM_CAMPAIGN_REPORT,	RPC_SUPERVISOR,	RPC_READONLY,
	    rpc_campaign_report },
	{ NULL,			RPC_ANYONE,	0,	NULL }
};

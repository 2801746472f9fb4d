/* Rules: loading, conditions, firing, cascades and timers; see rules.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "action.h"
#include "audit.h"
#include "automation.h"
#include "clock.h"
#include "conf.h"
#include "daemon.h"
#include "hours.h"
#include "log.h"
#include "proto-names.h"
#include "rpc.h"
#include "rules.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

struct rules_fired {
	const struct rf_rule	*rule;
	int64_t			 conv;
};

struct rules {
	struct rulefile		*rf;		/* NULL: none configured */
	unsigned		 ticks;		/* inbox clock ticks seen */
	/* The cascade under way: how deep, and what it fired. */
	int			 depth;
	int			 inbound;	/* one message's cascade */
	struct rules_fired	 fired[RULES_DEPTH_MAX * RF_RULES_MAX];
	size_t			 nfired;
};

static const struct audit_who rules_who = { 0, "support-inboxd", NULL };

/* What a rule's conditions look at, read once per firing. */
struct rules_env {
	struct daemon	*d;
	int64_t		 conv;		/* 0: none (rule test) */
	int64_t		 contact;
	const char	*text;
	char		 number[CONF_LABEL_MAX + 1];
	char		*lang;		/* allocated */
	char		 team[64];
	json_t		*attrs;		/* the contact's, read when asked */
	int64_t		 now;
};

static void
rules_env_clear(struct rules_env *env)
{
	free(env->lang);
	json_decref(env->attrs);
	env->lang = NULL;
	env->attrs = NULL;
}

/* The conversation's team, number and contact's language. */
static int
rules_env_conv(struct rules_env *env, struct daemon *d, int64_t conv)
{
	struct store_conv_info		 ci;
	const struct conf_number	*n;
	char				 id[STORE_NUMBER_ID_MAX];

	memset(env, 0, sizeof *env);
	env->d = d;
	env->now = clock_now();
	if (conv == 0)
		return (0);
	if (store_conv_info(&d->store, conv, &ci) != STORE_FOUND)
		return (-1);
	env->conv = conv;
	env->contact = ci.contact_id;
	snprintf(env->team, sizeof env->team, "%s", ci.team);
	if (store_number_of_conv(&d->store, conv, id, sizeof id) != 0)
		return (-1);
	if ((n = conf_number_by_id(&d->conf, id)) != NULL)
		snprintf(env->number, sizeof env->number, "%s", n->label);
	env->lang = store_contact_io_language(&d->store, ci.contact_id);
	return (0);
}

/* One condition: 1 holds, 0 not, -1 a database error; why says why. */
static int
rules_cond(struct rules_env *env, const struct rf_cond *c, char *why,
    size_t len)
{
	const char	*w, *have = NULL;
	json_t		*v;
	char		 num[32];
	size_t		 i, l;
	int		 r = 0, h;

	switch (c->kind) {
	case RF_IF_WORDS:
		w = rulefile_words_match(env->text, c->args, c->nargs);
		r = w != NULL;
		if (r)
			snprintf(why, len, "found '%s'", w);
		else
			snprintf(why, len, "%s", env->text == NULL ?
			    "no text" : "none of the words");
		break;
	case RF_IF_LANG:
		for (i = 0; env->lang != NULL && i < c->nargs && !r; i++) {
			l = strlen(c->args[i]);
			r = strncasecmp(env->lang, c->args[i], l) == 0 &&
			    (env->lang[l] == '\0' || env->lang[l] == '_' ||
			    env->lang[l] == '-');
		}
		snprintf(why, len, "language %s", env->lang != NULL ?
		    env->lang : "not known");
		break;
	case RF_IF_NUMBER:
	case RF_IF_TEAM:
		have = c->kind == RF_IF_NUMBER ? env->number : env->team;
		for (i = 0; i < c->nargs && !r; i++)
			r = strcmp(have, c->args[i]) == 0 || (*have == '\0' &&
			    strcmp(c->args[i], "none") == 0);
		snprintf(why, len, "%s %s", c->kind == RF_IF_NUMBER ?
		    "number" : "team", *have != '\0' ? have : "none");
		break;
	case RF_IF_LABEL:
		if (env->conv == 0) {
			snprintf(why, len, "no conversation");
			break;
		}
		for (i = 0; i < c->nargs && !r; i++) {
			if ((h = store_rule_conv_has_label(&env->d->store,
			    env->conv, c->args[i])) < 0)
				return (-1);
			if (h)
				have = c->args[i];
			r = h;
		}
		snprintf(why, len, r ? "has label %s" : "none of the labels",
		    have);
		break;
	case RF_IF_ATTRIBUTE:
		if (env->contact == 0) {
			snprintf(why, len, "no contact");
			break;
		}
		if (env->attrs == NULL)
			env->attrs = store_attribute_values(&env->d->store,
			    env->contact);
		v = json_object_get(env->attrs, c->args[0]);
		if (json_is_string(v))
			have = json_string_value(v);
		else if (json_is_integer(v)) {
			snprintf(num, sizeof num, "%lld",
			    (long long)json_integer_value(v));
			have = num;
		} else if (json_is_boolean(v))
			have = json_is_true(v) ? "true" : "false";
		r = have != NULL && strcasecmp(have, c->args[1]) == 0;
		/* Never the value itself: it is the contact's. */
		snprintf(why, len, "%s %s", c->args[0], have == NULL ?
		    "not set" : r ? "matches" : "does not match");
		break;
	case RF_IF_HOURS:
		h = hours_open(env->d, env->team, env->now);
		r = (h != 0) == (strcmp(c->args[0], "open") == 0);
		snprintf(why, len, "%s", h < 0 ? "open (no business hours "
		    "configured)" : h ? "open" : "closed");
		break;
	}
	return (c->negate ? !r : r);
}

/* All conditions: 1 hold, 0 not, -1 error; *explain gets each if asked. */
static int
rules_conds(struct rules_env *env, const struct rf_rule *r, json_t *explain)
{
	char	 why[160], *text;
	size_t	 i;
	int	 all = 1, c;

	for (i = 0; i < r->nconds; i++) {
		why[0] = '\0';
		if ((c = rules_cond(env, &r->conds[i], why, sizeof why)) < 0)
			return (-1);
		if (explain != NULL) {
			text = rulefile_cond_text(&r->conds[i]);
			json_array_append_new(explain, json_pack("{ss sb ss}",
			    "condition", text, "holds", c, "why", why));
			free(text);
		} else if (!c)
			return (0);
		all = all && c;
	}
	return (all);
}

static int
rules_in_cascade(struct rules *rs, const struct rf_rule *r, int64_t conv)
{
	size_t	i;

	for (i = 0; i < rs->nfired; i++) {
		if (rs->fired[i].rule == r && rs->fired[i].conv == conv)
			return (1);
	}
	return (0);
}

static void
rules_ctx_free(struct rpc_ctx *ctx)
{
	free(ctx->audit_detail);
	json_decref(ctx->refusals);
	json_decref(ctx->events);
}

/* A record of the daemon's inside the caller's transaction. */
static int
rules_record(struct daemon *d, const struct rf_rule *r, int64_t conv,
    int64_t contact, const char *result, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int
rules_record(struct daemon *d, const struct rf_rule *r, int64_t conv,
    int64_t contact, const char *result, const char *fmt, ...)
{
	struct audit_rec	 rec;
	va_list			 ap;
	char			*detail;
	int			 rc;

	(void)r;
	va_start(ap, fmt);
	detail = xvasprintf(fmt, ap);
	va_end(ap);
	rec = (struct audit_rec){ .action = "rule.fire",
	    .object_type = "conversation", .object_id = conv,
	    .contact_id = contact, .result = result, .detail = detail };
	rc = audit_append(d, &rules_who, &rec);
	free(detail);
	return (rc);
}

/*
 * Fires rule r on conv: its actions as the daemon, in a savepoint of the
 * caller's transaction, then its rule.fire record. An action that fails
 * undoes the rule's changes alone (recorded as an error); the message and
 * the other rules stand. 0, or -1 for a database error (the caller's
 * transaction is gone).
 */
static int
rules_fire_one(struct daemon *d, const struct rf_rule *r, int64_t conv,
    int64_t contact, json_t *events)
{
	struct rules		*rs = d->rules;
	struct rpc_ctx		 ctx;
	struct rpc_err		 err = { NULL, NULL };
	struct action_run	 ar;
	char			 via[RF_NAME_MAX + 8], names[256], notes[400];
	char			*failed = NULL;
	size_t			 i, n = 0, o = 0;
	int			 rc = 0;

	memset(&ctx, 0, sizeof ctx);
	ctx.d = d;
	ctx.who = rules_who;
	ctx.method = "rule";
	ctx.in_write = 1;
	snprintf(via, sizeof via, "rule %s", r->name);
	ctx.via = via;
	/* Clients see "by rule:NAME" on the changes it makes. */
	snprintf(ctx.agent.name, sizeof ctx.agent.name, "rule:%s", r->name);
	snprintf(ctx.agent.role, sizeof ctx.agent.role, "admin");
	ctx.agent.active = 1;
	names[0] = notes[0] = '\0';
	if (store_savepoint(&d->store) != 0)
		return (-1);
	rs->fired[rs->nfired].rule = r;
	rs->fired[rs->nfired++].conv = conv;
	rs->depth++;
	for (i = 0; i < r->nactions && failed == NULL; i++) {
		memset(&ar, 0, sizeof ar);
		ar.ctx = &ctx;
		ar.conv = conv;
		ar.rule = r->name;
		if (action_run(&ar, &r->actions[i], &err) != 0) {
			failed = rulefile_action_text(&r->actions[i]);
			break;
		}
		o += (size_t)snprintf(names + o, o < sizeof names ?
		    sizeof names - o : 0, "%s%s", o > 0 ? "," : "",
		    rulefile_action_name(r->actions[i].kind));
		if (o >= sizeof names)
			o = sizeof names - 1;
		if (ar.note[0] != '\0')
			n += (size_t)snprintf(notes + n, n < sizeof notes ?
			    sizeof notes - n : 0, "; %s", ar.note);
		if (n >= sizeof notes)
			n = sizeof notes - 1;
	}
	rs->depth--;
	if (failed == NULL) {
		if (store_savepoint_release(&d->store) != 0 ||
		    rules_record(d, r, conv, contact, "ok", "rule=%s "
		    "actions=%s%s", r->name, names, notes) != 0)
			rc = -1;
		else if (ctx.events != NULL)
			json_array_extend(events, ctx.events);
	} else {
		log_warn("rule %s: conversation %lld: %s (line %d): %s",
		    r->name, (long long)conv, failed, r->actions[i].line,
		    err.message != NULL ? err.message : "failed");
		if (store_savepoint_undo(&d->store) != 0 ||
		    rules_record(d, r, conv, contact, "error", "rule=%s "
		    "failed at '%s' (line %d): %s; nothing of it was done",
		    r->name, failed, r->actions[i].line, err.message != NULL ?
		    err.message : "failed") != 0)
			rc = -1;
	}
	free(failed);
	free(err.message);
	rules_ctx_free(&ctx);
	return (rc);
}

static int
rules_trigger_is(const struct rf_rule *r, enum rf_trigger t,
    const char *label)
{
	if (r->trigger != t)
		return (0);
	return ((t != RF_WHEN_LABEL && t != RF_WHEN_SLA) ||
	    r->trigger_label == NULL ||
	    (label != NULL && strcmp(r->trigger_label, label) == 0));
}

/*
 * Every rule of trigger t whose conditions hold for env's conversation.
 * A cascade starts at depth 0 and forgets what it fired when it ends.
 */
static int
rules_fire(struct daemon *d, enum rf_trigger t, const char *label,
    struct rules_env *env, json_t *events)
{
	struct rules		*rs = d->rules;
	const struct rf_rule	*r;
	size_t			 i;
	int			 c, rc = 0;

	if (rs == NULL || rs->rf == NULL)
		return (0);
	if (rs->depth == 0 && !rs->inbound)
		rs->nfired = 0;
	for (i = 0; i < rs->rf->nrules && rc == 0; i++) {
		r = &rs->rf->rules[i];
		if (!rules_trigger_is(r, t, label) ||
		    rules_in_cascade(rs, r, env->conv))
			continue;
		if ((c = store_rule_disabled(&d->store, r->name)) != 0) {
			rc = c < 0 ? -1 : 0;
			continue;
		}
		if ((c = rules_conds(env, r, NULL)) <= 0) {
			rc = c;
			continue;
		}
		if (rs->depth >= RULES_DEPTH_MAX ||
		    rs->nfired == sizeof rs->fired / sizeof rs->fired[0]) {
			log_warn("rule %s: not fired on conversation %lld: the "
			    "cascade is %d rules deep", r->name,
			    (long long)env->conv, RULES_DEPTH_MAX);
			rc = rules_record(d, r, env->conv, env->contact,
			    "skipped", "rule=%s not fired: cascade depth %d "
			    "reached (a loop of rules?)", r->name,
			    RULES_DEPTH_MAX);
			continue;
		}
		rc = rules_fire_one(d, r, env->conv, env->contact, events);
	}
	return (rc);
}

int
rules_inbound(struct daemon *d, const struct auto_inbound *in)
{
	struct rules_env	env;
	int			rc = 0;

	if (d->rules == NULL || d->rules->rf == NULL ||
	    d->rules->rf->nrules == 0)
		return (0);
	if (rules_env_conv(&env, d, in->conv) != 0) {
		rules_env_clear(&env);
		return (-1);
	}
	env.text = in->text;
	env.now = in->now;
	/* The created and the message rules are one cascade. */
	d->rules->nfired = 0;
	d->rules->inbound = 1;
	if (in->conv_state != NULL && (strcmp(in->conv_state,
	    "created") == 0 || strcmp(in->conv_state,
	    "new-after-resolved") == 0))
		rc = rules_fire(d, RF_WHEN_CREATED, NULL, &env, in->events);
	if (rc == 0) {
		/* What the created rules changed (a team) counts now. */
		rules_env_clear(&env);
		if (rules_env_conv(&env, d, in->conv) != 0)
			rc = -1;
		env.text = in->text;
		env.now = in->now;
	}
	if (rc == 0)
		rc = rules_fire(d, RF_WHEN_MESSAGE, NULL, &env, in->events);
	d->rules->inbound = 0;
	rules_env_clear(&env);
	return (rc);
}

/*
 * The rules of trigger t (with its argument: a label, an SLA clock's
 * kind) for conv, inside the caller's write: the events go with its
 * answer.
 */
static int
rules_fire_on(struct rpc_ctx *ctx, enum rf_trigger t, int64_t conv,
    const char *arg, struct rpc_err *err)
{
	struct daemon		*d = ctx->d;
	struct rules_env	 env;
	size_t			 i;
	int			 rc, any = 0;

	if (d->rules == NULL || d->rules->rf == NULL)
		return (0);
	for (i = 0; i < d->rules->rf->nrules && !any; i++)
		any = rules_trigger_is(&d->rules->rf->rules[i], t, arg);
	if (!any)
		return (0);
	if (ctx->events == NULL)
		ctx->events = json_array();
	if ((rc = rules_env_conv(&env, d, conv)) == 0)
		rc = rules_fire(d, t, arg, &env, ctx->events);
	rules_env_clear(&env);
	if (rc != 0)
		rpc_error(err, PE_INTERNAL, "database error (rules)");
	return (rc);
}

int
rules_label_added(struct rpc_ctx *ctx, int64_t conv, const char *label,
    struct rpc_err *err)
{
	return (rules_fire_on(ctx, RF_WHEN_LABEL, conv, label, err));
}

int
rules_sla_breached(struct rpc_ctx *ctx, int64_t conv, const char *kind,
    struct rpc_err *err)
{
	return (rules_fire_on(ctx, RF_WHEN_SLA, conv, kind, err));
}

/* --- timers --- */

struct rules_due {
	const struct rf_rule	*rule;
	int64_t			 conv, mark, now;
};

/* One timer firing (rpc_act): remembered, then the rule if it holds. */
static int
rules_due_fn(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct rules_due	*due = arg;
	struct rules_env	 env;
	int			 rc;

	if (store_rule_fired_add(&ctx->d->store, due->rule->name, due->conv,
	    due->mark, due->now) != 0 ||
	    rules_env_conv(&env, ctx->d, due->conv) != 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	env.now = due->now;
	if (ctx->events == NULL)
		ctx->events = json_array();
	ctx->d->rules->nfired = 0;
	if ((rc = store_rule_disabled(&ctx->d->store, due->rule->name)) == 0 &&
	    (rc = rules_conds(&env, due->rule, NULL)) > 0)
		rc = rules_fire_one(ctx->d, due->rule, due->conv, env.contact,
		    ctx->events);
	rules_env_clear(&env);
	if (rc < 0)
		rpc_error(err, PE_INTERNAL, "database error");
	return (rc < 0 ? -1 : 0);
}

void
rules_tick(struct daemon *d)
{
	struct rules		*rs = d->rules;
	struct rules_due	 due;
	const struct rf_rule	*r;
	json_t			*rows, *row, *events;
	size_t			 i, k;

	if (rs == NULL || rs->rf == NULL || d->store.damaged)
		return;
	if (rs->ticks++ % RULES_TICK != 0)
		return;
	for (i = 0; i < rs->rf->nrules; i++) {
		r = &rs->rf->rules[i];
		if (r->trigger != RF_WHEN_NO_REPLY &&
		    r->trigger != RF_WHEN_WINDOW)
			continue;
		due.rule = r;
		due.now = clock_now();
		rows = store_rule_due(&d->store, r->name,
		    r->trigger == RF_WHEN_NO_REPLY, r->minutes * 60,
		    (int64_t)d->conf.window_hours * 3600, due.now);
		json_array_foreach(rows, k, row) {
			due.conv = json_integer_value(json_array_get(row, 0));
			due.mark = json_integer_value(json_array_get(row, 2));
			if (rpc_act(d, &rules_who, "rule timer", rules_due_fn,
			    &due, &events) != 0)
				break;
			server_events(d->server, events);
		}
		json_decref(rows);
	}
}

/* --- loading --- */

static int
rules_read(const char *path, struct rulefile **rf, char **cause)
{
	json_t	*errors, *e;
	size_t	 i;
	char	*msg;

	*rf = NULL;
	if (path == NULL)
		return (0);
	if (rulefile_load(path, rf, &errors) == 0) {
		log_info("rules: %zu rule(s), %zu macro(s) from %s",
		    (*rf)->nrules, (*rf)->nmacros, path);
		return (0);
	}
	msg = xstrdup("");
	json_array_foreach(errors, i, e) {
		char	*next;

		next = xasprintf("%s%s%s", msg, i > 0 ? "\n" : "",
		    json_string_value(e));
		free(msg);
		msg = next;
	}
	json_decref(errors);
	*cause = msg;
	return (-1);
}

int
rules_start(struct daemon *d, char **cause)
{
	struct rules	*rs;

	rs = xcalloc(1, sizeof *rs);
	if (rules_read(d->conf.rules_file, &rs->rf, cause) != 0) {
		free(rs);
		return (-1);
	}
	d->rules = rs;
	return (0);
}

void
rules_stop(struct daemon *d)
{
	if (d->rules == NULL)
		return;
	rulefile_free(d->rules->rf);
	free(d->rules);
	d->rules = NULL;
}

int
rules_reload(struct daemon *d, const char *path, char **cause)
{
	struct rulefile	*rf;

	if (d->rules == NULL)
		return (0);
	if (rules_read(path, &rf, cause) != 0)
		return (-1);
	rulefile_free(d->rules->rf);
	d->rules->rf = rf;
	return (0);
}

const struct rulefile *
rules_file(struct daemon *d)
{
	return (d->rules != NULL ? d->rules->rf : NULL);
}

/* --- rule test --- */

json_t *
rules_test(struct daemon *d, const struct rules_probe *p)
{
	const struct rulefile	*rf = rules_file(d);
	const struct rf_rule	*r;
	struct rules_env	 env;
	json_t			*out = json_array(), *conds, *acts, *o;
	char			*t;
	size_t			 i, k;
	int			 holds, dis, trig;

	if (rf == NULL)
		return (out);
	if (rules_env_conv(&env, d, p->conv) != 0) {
		rules_env_clear(&env);
		json_decref(out);
		return (NULL);
	}
	env.text = p->text;
	if (p->number != NULL)
		snprintf(env.number, sizeof env.number, "%s", p->number);
	else if (p->conv == 0 && d->conf.nnumbers > 0)
		/* A new conversation comes to the first number by default. */
		snprintf(env.number, sizeof env.number, "%s",
		    d->conf.numbers[0].label);
	if (p->team != NULL)
		snprintf(env.team, sizeof env.team, "%s", p->team);
	if (p->lang != NULL) {
		free(env.lang);
		env.lang = xstrdup(p->lang);
	}
	for (i = 0; i < rf->nrules; i++) {
		r = &rf->rules[i];
		conds = json_array();
		if ((holds = rules_conds(&env, r, conds)) < 0 ||
		    (dis = store_rule_disabled(&d->store, r->name)) < 0) {
			json_decref(conds);
			json_decref(out);
			rules_env_clear(&env);
			return (NULL);
		}
		/* A message: the message rules, and created ones if new. */
		trig = r->trigger == RF_WHEN_MESSAGE ||
		    (r->trigger == RF_WHEN_CREATED && p->conv == 0);
		acts = json_array();
		for (k = 0; k < r->nactions; k++) {
			t = rulefile_action_text(&r->actions[k]);
			json_array_append_new(acts, json_string(t));
			free(t);
		}
		t = rulefile_trigger_text(r);
		o = json_pack("{ss ss sb sb sb so so}", "rule", r->name,
		    "trigger", t, "enabled", !dis, "conditions_hold", holds,
		    "fires", trig && holds && !dis, "conditions", conds,
		    "actions", acts);
		free(t);
		if (!trig)
			json_object_set_new(o, "why", json_string(
			    r->trigger == RF_WHEN_CREATED ? "a new conversation "
			    "only (this one exists)" : "not a message trigger"));
		else if (dis)
			json_object_set_new(o, "why", json_string("disabled"));
		else if (!holds)
			json_object_set_new(o, "why", json_string("a condition "
			    "does not hold"));
		json_array_append_new(out, o);
	}
	rules_env_clear(&env);
	return (out);
}

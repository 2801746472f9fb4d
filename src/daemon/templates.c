/*
 * Template sync (GET /<WABA>/message_templates, paged) and building a
 * template send from a synced template (see templates.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/event.h>

#include "audit.h"
#include "daemon.h"
#include "graph.h"
#include "log.h"
#include "numbers.h"
#include "outbox.h"
#include "proto-names.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "templates.h"
#include "tpl-render.h"
#include "xmalloc.h"

#define TEMPLATES_PAGE		100
#define TEMPLATES_PAGES_MAX	100
#define TEMPLATES_RESP_MAX	(4 * 1024 * 1024)

struct templates {
	struct daemon	*d;
	struct event	*timer;
	int64_t		 id;		/* of the last sync started */
	int		 running;
	int		 pages;
	int64_t		 started;
	int64_t		 count;
	int		 ok;
	char		*error;
	int64_t		 at;
	int		 stopping;
	size_t		 num;		/* conf numbers[]: the WABA syncing */
};

/* --- sync --- */

static void	templates_page(struct templates *, const char *after);

static const struct audit_who templates_who = { 0, "support-inboxd",
    "templates" };

/* What the WABA no longer lists cannot be sent (rpc_act). */
static int
templates_prune(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct templates	*t = arg;

	if (store_template_prune(&ctx->d->store,
	    ctx->d->conf.numbers[t->num].waba_id, t->started) != 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	return (0);
}

/* One page of a sync (rpc_act); entries it cannot take are counted. */
struct templates_page_job {
	struct templates	*t;
	json_t			*data;
	int			 bad;
};

static int
templates_page_store(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct templates_page_job	*j = arg;

	(void)err;
	j->bad = templates_store_page(ctx->d,
	    ctx->d->conf.numbers[j->t->num].waba_id, j->data, j->t->started,
	    &j->t->count);
	return (0);
}

/*
 * The first number from i on whose WABA no earlier number shares (two
 * numbers of one WABA share its templates), or nnumbers.
 */
static size_t
templates_next_waba(struct daemon *d, size_t i)
{
	size_t	j;

	for (; i < d->conf.nnumbers; i++) {
		if (d->conf.numbers[i].waba_id == NULL)
			continue;
		for (j = 0; j < i; j++) {
			if (d->conf.numbers[j].waba_id != NULL &&
			    strcmp(d->conf.numbers[j].waba_id,
			    d->conf.numbers[i].waba_id) == 0)
				break;
		}
		if (j == i)
			return (i);
	}
	return (i);
}

static void
templates_done(struct templates *t, int ok, const char *error)
{
	json_t	*events;

	t->running = 0;
	t->ok = ok;
	free(t->error);
	t->error = error != NULL ? xstrdup(error) : NULL;
	t->at = (int64_t)time(NULL);
	if (ok) {
		if (rpc_act(t->d, &templates_who, "templates", templates_prune,
		    t, &events) == 0)
			server_events(t->d->server, events);
		/* Each WABA in turn (issue 15); the count is of all. */
		if ((t->num = templates_next_waba(t->d, t->num + 1)) <
		    t->d->conf.nnumbers) {
			t->running = 1;
			t->pages = 0;
			templates_page(t, NULL);
			return;
		}
		log_info("templates: synced %lld", (long long)t->count);
	} else
		log_warn("templates: sync failed: %s", error);
}

int
templates_store_page(struct daemon *d, const char *waba_id, json_t *data,
    int64_t started, int64_t *count)
{
	json_t		*it;
	const char	*name, *lang;
	char		*comps;
	size_t		 i;
	int		 bad = 0;

	json_array_foreach(data, i, it) {
		name = json_string_value(json_object_get(it, "name"));
		lang = json_string_value(json_object_get(it, "language"));
		if (name == NULL || lang == NULL || strlen(name) > 512 ||
		    strlen(lang) > 16) {
			bad++;
			continue;
		}
		/* No components: "[]" (a new array here would leak). */
		comps = json_object_get(it, "components") != NULL ?
		    json_dumps(json_object_get(it, "components"),
		    JSON_COMPACT | JSON_ENCODE_ANY) : xstrdup("[]");
		if (store_template_upsert(&d->store, waba_id, json_string_value(
		    json_object_get(it, "id")), name, lang,
		    json_string_value(json_object_get(it, "category")),
		    json_string_value(json_object_get(it, "status")), comps,
		    started) != 0)
			bad++;
		else
			(*count)++;
		free(comps);
	}
	return (bad);
}

static void
templates_page_cb(const struct graph_resp *r, void *arg)
{
	struct templates		*t = arg;
	struct templates_page_job	 j = { .t = t };
	json_t				*data, *paging, *events;
	const char			*after, *next;
	char				 err[128];

	if (t->stopping)
		return;
	if (r->transport != GRAPH_OK || r->http != 200 || r->has_error ||
	    !json_is_array(data = json_object_get(r->json, "data"))) {
		snprintf(err, sizeof err, "Graph answered HTTP %ld, code %lld",
		    r->http, (long long)r->code);
		templates_done(t, 0, r->transport != GRAPH_OK ?
		    "cannot reach the Graph API" : err);
		return;
	}
	j.data = data;
	if (rpc_act(t->d, &templates_who, "templates", templates_page_store,
	    &j, &events) != 0) {
		templates_done(t, 0, "database error");
		return;
	}
	server_events(t->d->server, events);
	if (j.bad > 0)
		log_warn("templates: %d entries skipped", j.bad);
	paging = json_object_get(r->json, "paging");
	next = json_string_value(json_object_get(paging, "next"));
	after = json_string_value(json_object_get(json_object_get(paging,
	    "cursors"), "after"));
	if (next != NULL && after != NULL && strlen(after) < 256 &&
	    json_array_size(data) > 0 && ++t->pages < TEMPLATES_PAGES_MAX)
		templates_page(t, after);
	else
		templates_done(t, 1, NULL);
}

static void
templates_page(struct templates *t, const char *after)
{
	struct daemon			*d = t->d;
	const struct conf_number	*n = &d->conf.numbers[t->num];
	char				*path;

	/* As the number the WABA came with, with its token. */
	path = xasprintf("/%s/message_templates?limit=%d%s%s", n->waba_id,
	    TEMPLATES_PAGE, after != NULL ? "&after=" : "",
	    after != NULL ? after : "");
	if (graph_request_as(d->graph, numbers_token(d, n), "GET", path, NULL,
	    NULL, 0, TEMPLATES_RESP_MAX, templates_page_cb, t) != 0)
		templates_done(t, 0, "cannot start a request");
	free(path);
}

int64_t
templates_sync(struct templates *t)
{
	if (t->running)
		return (t->id);
	t->id++;
	t->num = templates_next_waba(t->d, 0);
	if (t->num == t->d->conf.nnumbers || t->d->outbox == NULL) {
		templates_done(t, 0, "no waba_id configured");
		return (t->id);
	}
	/* Paused (a restored store, a dead token): Meta is not asked. */
	if (outbox_paused(t->d->outbox)) {
		templates_done(t, 0, "sending is paused");
		return (t->id);
	}
	t->running = 1;
	t->pages = 0;
	t->count = 0;
	/* Seconds, and strictly after any earlier sync's rows. */
	t->started = (int64_t)time(NULL);
	if (t->started <= t->at)
		t->started = t->at + 1;
	templates_page(t, NULL);
	return (t->id);
}

json_t *
templates_state(struct templates *t)
{
	return (json_pack("{sI sb sb ss? sI sI}", "id", (json_int_t)t->id,
	    "running", t->running, "ok", t->ok, "error", t->error, "count",
	    (json_int_t)t->count, "at", (json_int_t)t->at));
}

static void
templates_timer_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	templates_sync(arg);
}

struct templates *
templates_start(struct daemon *d, char **cause)
{
	struct templates	*t;
	struct timeval		 tv;

	(void)cause;
	t = xcalloc(1, sizeof *t);
	t->d = d;
	if (d->conf.template_sync_minutes > 0) {
		tv.tv_sec = (time_t)d->conf.template_sync_minutes * 60;
		tv.tv_usec = 0;
		t->timer = event_new(d->base, -1, EV_PERSIST,
		    templates_timer_cb, t);
		event_add(t->timer, &tv);
	}
	if (templates_next_waba(d, 0) < d->conf.nnumbers)
		templates_sync(t);
	return (t);
}

void
templates_stop(struct templates *t)
{
	if (t != NULL)
		t->stopping = 1;
}

void
templates_free(struct templates *t)
{
	if (t == NULL)
		return;
	if (t->timer != NULL)
		event_free(t->timer);
	free(t->error);
	free(t);
}

/* --- building a send --- */

static json_t *
templates_text_params(json_t *names, json_t *params, size_t *used,
    int named)
{
	json_t	*arr = json_array(), *p, *n;
	size_t	 i;

	json_array_foreach(names, i, n) {
		p = json_pack("{ss sO}", "type", "text", "text",
		    json_array_get(params, (*used)++));
		if (named)
			json_object_set(p, "parameter_name", n);
		json_array_append_new(arr, p);
	}
	return (arr);
}

/*
 * What a template asks for when it is sent: {"params":["body {{1}}", ...],
 * "header":"image"|"video"|"document"|null}, params in the order
 * templates_build takes them (header text, body, URL buttons), so a client
 * can prompt for each by name. NULL with *cause for a header that cannot be
 * filled from here (e.g. LOCATION).
 */
json_t *
templates_inputs(json_t *t, char **cause)
{
	json_t		*c, *b, *names, *n, *labels, *out;
	const char	*type, *fmt, *text, *media = NULL;
	size_t		 i, k, j;

	labels = json_array();
	json_array_foreach(json_object_get(t, "components"), i, c) {
		type = json_string_value(json_object_get(c, "type"));
		fmt = json_string_value(json_object_get(c, "format"));
		text = json_string_value(json_object_get(c, "text"));
		if (type == NULL)
			continue;
		if (strcasecmp(type, "HEADER") == 0 && fmt != NULL &&
		    strcasecmp(fmt, "TEXT") != 0) {
			if (strcasecmp(fmt, "IMAGE") == 0)
				media = "image";
			else if (strcasecmp(fmt, "VIDEO") == 0)
				media = "video";
			else if (strcasecmp(fmt, "DOCUMENT") == 0)
				media = "document";
			else {
				*cause = xasprintf("template '%s' has a %s "
				    "header, which cannot be filled from here",
				    json_string_value(json_object_get(t,
				    "name")), fmt);
				json_decref(labels);
				return (NULL);
			}
		}
		if (strcasecmp(type, "HEADER") == 0 ||
		    strcasecmp(type, "BODY") == 0) {
			names = tpl_placeholders(text);
			json_array_foreach(names, j, n) {
				json_array_append_new(labels, json_sprintf(
				    "%s {{%s}}", strcasecmp(type, "HEADER") ==
				    0 ? "header" : "body",
				    json_string_value(n)));
			}
			json_decref(names);
		} else if (strcasecmp(type, "BUTTONS") == 0) {
			json_array_foreach(json_object_get(c, "buttons"), k,
			    b) {
				names = tpl_placeholders(
				    json_string_value(json_object_get(b,
				    "url")));
				json_array_foreach(names, j, n) {
					json_array_append_new(labels,
					    json_sprintf("button %zu link "
					    "{{%s}}", k + 1,
					    json_string_value(n)));
				}
				json_decref(names);
			}
		}
	}
	out = json_pack("{so}", "params", labels);
	if (media != NULL)
		json_object_set_new(out, "header", json_string(media));
	return (out);
}

json_t *
templates_build(struct daemon *d, const char *name, const char *language,
    json_t *params, const char *header_link, const char *header_file,
    char *category, size_t catlen, char **cause)
{
	return (templates_build_waba(d, NULL, name, language, params,
	    header_link, header_file, category, catlen, cause));
}

json_t *
templates_build_waba(struct daemon *d, const char *waba_id, const char *name,
    const char *language, json_t *params, const char *header_link,
    const char *header_file, char *category, size_t catlen, char **cause)
{
	json_t		*t, *c, *comps, *out, *names, *b, *list, *in;
	json_t		*ps, *hp;
	const char	*status, *type, *text, *media;
	size_t		 i, k, want, used = 0;
	int		 named;

	if ((t = store_template_get_waba(&d->store, waba_id, name,
	    language)) == NULL) {
		*cause = xasprintf("no template '%s' in language '%s'; run "
		    "'support-inbox templates sync' and check 'templates "
		    "list'", name, language);
		return (NULL);
	}
	status = json_string_value(json_object_get(t, "status"));
	if (status == NULL || strcasecmp(status, "APPROVED") != 0) {
		*cause = xasprintf("template '%s' (%s) is %s, not approved; "
		    "only approved templates can be sent", name, language,
		    status != NULL ? status : "of unknown status");
		json_decref(t);
		return (NULL);
	}
	snprintf(category, catlen, "%s", json_string_value(json_object_get(t,
	    "category")) != NULL ? json_string_value(json_object_get(t,
	    "category")) : "");
	comps = json_object_get(t, "components");
	/* First count, so a wrong count says what is expected. */
	if ((in = templates_inputs(t, cause)) == NULL) {
		json_decref(t);
		return (NULL);
	}
	want = json_array_size(json_object_get(in, "params"));
	media = json_string_value(json_object_get(in, "header"));
	if (json_array_size(params) != want) {
		*cause = xasprintf("template '%s' takes %zu parameter%s, not "
		    "%zu", name, want, want == 1 ? "" : "s",
		    json_array_size(params));
		goto fail;
	}
	if (media != NULL && header_link == NULL && header_file == NULL) {
		*cause = xasprintf("template '%s' has a header of type %s: "
		    "give the file (--header-file FILE) or its https link "
		    "(--header-link URL)", name, media);
		goto fail;
	}
	if (media == NULL && (header_link != NULL || header_file != NULL)) {
		*cause = xasprintf("template '%s' has no image, video or "
		    "document header to put a %s in", name, header_link !=
		    NULL ? "link" : "file");
		goto fail;
	}
	if (media != NULL && header_file != NULL &&
	    strcmp(media, header_file) != 0) {
		*cause = xasprintf("template '%s' has a header of type %s, "
		    "and the file is of type %s", name, media, header_file);
		goto fail;
	}
	list = json_array();
	if (media != NULL) {
		/* A file's media id is filled in by the outbox after upload. */
		hp = json_pack("{ss}", "type", media);
		json_object_set_new(hp, media, header_link != NULL ?
		    json_pack("{ss}", "link", header_link) : json_object());
		json_array_append_new(list, json_pack("{ss s[o]}", "type",
		    "header", "parameters", hp));
	}
	json_array_foreach(comps, i, c) {
		type = json_string_value(json_object_get(c, "type"));
		text = json_string_value(json_object_get(c, "text"));
		if (type == NULL)
			continue;
		if (strcasecmp(type, "HEADER") == 0 ||
		    strcasecmp(type, "BODY") == 0) {
			names = tpl_placeholders(text);
			/* Named placeholders ({{first_name}}) carry names. */
			named = json_array_size(names) > 0 &&
			    (json_string_value(json_array_get(names, 0))[0] <
			    '0' || json_string_value(json_array_get(names,
			    0))[0] > '9');
			if (json_array_size(names) > 0) {
				ps = templates_text_params(names, params,
				    &used, named);
				json_array_append_new(list, json_pack(
				    "{ss so}", "type", strcasecmp(type,
				    "HEADER") == 0 ? "header" : "body",
				    "parameters", ps));
			}
			json_decref(names);
		} else if (strcasecmp(type, "BUTTONS") == 0) {
			json_array_foreach(json_object_get(c, "buttons"), k,
			    b) {
				names = tpl_placeholders(
				    json_string_value(json_object_get(b,
				    "url")));
				if (json_array_size(names) > 0) {
					char	idx[24];

					snprintf(idx, sizeof idx, "%zu", k);
					ps = templates_text_params(names,
					    params, &used, 0);
					json_array_append_new(list, json_pack(
					    "{ss ss ss so}", "type", "button",
					    "sub_type", "url", "index", idx,
					    "parameters", ps));
				}
				json_decref(names);
			}
		}
	}
	out = json_pack("{ss s{ss}}", "name", name, "language", "code",
	    language);
	if (json_array_size(list) > 0)
		json_object_set_new(out, "components", list);
	else
		json_decref(list);
	json_decref(in);
	json_decref(t);
	return (out);
fail:
	json_decref(in);
	json_decref(t);
	return (NULL);
}

/*
 * POST /{version}/{phone-number-id}/messages and the template list: checks
 * a send the way the Cloud API does, answers Meta's success or error shape,
 * and follows an accepted send with its status webhooks (sent, delivered,
 * read, or failed).
 */
#include <sys/queue.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sodium.h>

#include "buf.h"
#include "sim.h"
#include "utf8.h"
#include "xmalloc.h"

#define SIM_GRAPH_BODY_MAX	(1024 * 1024)

/* The status webhooks still to come for one accepted send. */
struct sim_chain {
	struct sim_serve	*s;
	char			*wamid;
	char			*recipient;	/* digits, or NULL */
	char			*user_id;	/* BSUID recipient, or NULL */
	char			*phone;		/* phone-number-id of the send */
	char			*opaque;	/* biz_opaque_callback_data */
	char			 category[24];	/* pricing category */
	char			 conversation[40];
	const struct sim_fault_mode *fail;	/* send a failed status */
	int			 step;
	struct event		*timer;
	struct sim_chain	*prev, *next;
};

static const char *sim_graph_types[] = {
	"text", "image", "audio", "video", "document", "sticker", "location",
	"contacts", "interactive", "reaction", "template",
};

static const char *sim_graph_interactive[] = {
	"button", "list", "cta_url", "location_request_message",
	"address_message", "call_permission_request", "flow", "product",
	"product_list", "carousel", "contact_request", "voice_call",
};

#define nitems(a) (sizeof (a) / sizeof (a)[0])

static int
sim_graph_in(const char *s, const char **set, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strcmp(s, set[i]) == 0)
			return (1);
	}
	return (0);
}

/* What kind of send this is, for the counters. */
static const char *
sim_graph_kind(json_t *j)
{
	const char	*type;

	if (!json_is_object(j))
		return ("invalid");
	if (json_object_get(j, "status") != NULL) {
		if (json_object_get(j, "typing_indicator") != NULL)
			return ("typing");
		return ("read");
	}
	type = json_string_value(json_object_get(j, "type"));
	if (type == NULL)
		return (json_object_get(j, "type") == NULL ? "text" : "invalid");
	if (!sim_graph_in(type, sim_graph_types, nitems(sim_graph_types)))
		return ("invalid");
	return (type);
}

static int
sim_graph_value(struct evhttp_request *req, const char *details)
{
	sim_error_reply(req, 400, sim_error_json(
	    "(#131009) Parameter value is not valid", "OAuthException", 131009,
	    0, details));
	return (400);
}

static int
sim_graph_required(struct evhttp_request *req, const char *param)
{
	char	*m;

	m = xasprintf("The parameter %s is required.", param);
	sim_error_param(req, m, NULL);
	free(m);
	return (400);
}

static int
sim_graph_check_text(struct evhttp_request *req, json_t *o)
{
	const char	*body;

	body = json_string_value(json_object_get(o, "body"));
	if (body == NULL || *body == '\0')
		return (sim_graph_required(req, "text['body']"));
	if (utf8_chars(body) > 4096) {
		sim_error_param(req, "Param text['body'] must be at most 4096 "
		    "characters long.", NULL);
		return (400);
	}
	return (0);
}

static int
sim_graph_check_media(struct evhttp_request *req, const char *type,
    json_t *o)
{
	const char	*id, *link;
	char		*d;

	id = json_string_value(json_object_get(o, "id"));
	link = json_string_value(json_object_get(o, "link"));
	if ((id == NULL) == (link == NULL)) {
		d = xasprintf("Please specify either an id or a link for the "
		    "%s object.", type);
		sim_error_param(req, "Invalid parameter", d);
		free(d);
		return (400);
	}
	if (link != NULL && strncmp(link, "https://", 8) != 0 &&
	    strncmp(link, "http://", 7) != 0) {
		sim_error_param(req, "Invalid parameter",
		    "The media link must be an http or https URL.");
		return (400);
	}
	if (id != NULL && (*id == '\0' || strspn(id, "0123456789") !=
	    strlen(id))) {
		sim_error_param(req, "Invalid parameter",
		    "Please check the media ID you have provided.");
		return (400);
	}
	return (0);
}

static int
sim_graph_check_location(struct evhttp_request *req, json_t *o)
{
	if (!json_is_number(json_object_get(o, "latitude")))
		return (sim_graph_required(req, "location['latitude']"));
	if (!json_is_number(json_object_get(o, "longitude")))
		return (sim_graph_required(req, "location['longitude']"));
	return (0);
}

static int
sim_graph_check_contacts(struct evhttp_request *req, json_t *a)
{
	json_t	*c;
	size_t	 i;

	if (json_array_size(a) == 0)
		return (sim_graph_required(req, "contacts"));
	json_array_foreach(a, i, c) {
		if (json_string_value(json_object_get(json_object_get(c,
		    "name"), "formatted_name")) == NULL)
			return (sim_graph_required(req,
			    "contacts['name']['formatted_name']"));
	}
	return (0);
}

/* Meta's text limits of a button or list message (issue 16). */
static int
sim_graph_interactive_text(json_t *o)
{
	const char	*t;

	t = json_string_value(json_object_get(json_object_get(o, "body"),
	    "text"));
	if (t == NULL || *t == '\0' || utf8_chars(t) > 1024)
		return (-1);
	t = json_string_value(json_object_get(json_object_get(o, "header"),
	    "text"));
	if (t != NULL && utf8_chars(t) > 60)
		return (-1);
	t = json_string_value(json_object_get(json_object_get(o, "footer"),
	    "text"));
	if (t != NULL && utf8_chars(t) > 60)
		return (-1);
	return (0);
}

static int
sim_graph_list_rows(json_t *sec)
{
	const char	*t;
	json_t		*r;
	size_t		 i;

	t = json_string_value(json_object_get(sec, "title"));
	if (t != NULL && utf8_chars(t) > 24)
		return (-1);
	json_array_foreach(json_object_get(sec, "rows"), i, r) {
		t = json_string_value(json_object_get(r, "title"));
		if (t == NULL || *t == '\0' || utf8_chars(t) > 24 ||
		    json_string_value(json_object_get(r, "id")) == NULL)
			return (-1);
		t = json_string_value(json_object_get(r, "description"));
		if (t != NULL && utf8_chars(t) > 72)
			return (-1);
	}
	return (0);
}

static int
sim_graph_check_interactive(struct evhttp_request *req, json_t *o)
{
	const char	*itype, *title;
	json_t		*action, *b, *sec, *rows;
	size_t		 i, nrows = 0;

	itype = json_string_value(json_object_get(o, "type"));
	if (itype == NULL)
		return (sim_graph_required(req, "interactive['type']"));
	if (!sim_graph_in(itype, sim_graph_interactive,
	    nitems(sim_graph_interactive))) {
		sim_error_param(req, "Invalid parameter",
		    "Unsupported interactive type.");
		return (400);
	}
	action = json_object_get(o, "action");
	if (strcmp(itype, "button") == 0 || strcmp(itype, "list") == 0) {
		if (json_string_value(json_object_get(json_object_get(o,
		    "body"), "text")) == NULL)
			return (sim_graph_required(req,
			    "interactive['body']['text']"));
		if (!json_is_object(action))
			return (sim_graph_required(req,
			    "interactive['action']"));
		if (sim_graph_interactive_text(o) != 0)
			return (sim_graph_value(req, "Text length invalid: "
			    "body max 1024, header and footer max 60 "
			    "characters."));
	}
	if (strcmp(itype, "button") == 0) {
		b = json_object_get(action, "buttons");
		if (json_array_size(b) < 1 || json_array_size(b) > 3)
			return (sim_graph_value(req, "Buttons count is "
			    "invalid. Min: 1, Max: 3."));
		json_array_foreach(b, i, sec) {
			title = json_string_value(json_object_get(
			    json_object_get(sec, "reply"), "title"));
			if (title == NULL || json_string_value(json_object_get(
			    json_object_get(sec, "reply"), "id")) == NULL)
				return (sim_graph_required(req,
				    "interactive['action']['buttons']"
				    "['reply']"));
			if (*title == '\0' || utf8_chars(title) > 20)
				return (sim_graph_value(req, "Button title "
				    "length invalid. Min length: 1, Max "
				    "length: 20"));
		}
	} else if (strcmp(itype, "list") == 0) {
		if (json_string_value(json_object_get(action, "button")) ==
		    NULL)
			return (sim_graph_required(req,
			    "interactive['action']['button']"));
		b = json_object_get(action, "sections");
		if (json_array_size(b) < 1 || json_array_size(b) > 10)
			return (sim_graph_value(req, "Sections count is "
			    "invalid. Min: 1, Max: 10."));
		json_array_foreach(b, i, sec) {
			rows = json_object_get(sec, "rows");
			if (json_array_size(rows) == 0)
				return (sim_graph_required(req,
				    "interactive['action']['sections']"
				    "['rows']"));
			nrows += json_array_size(rows);
			if (sim_graph_list_rows(sec) != 0)
				return (sim_graph_value(req, "Row title or "
				    "description length invalid. Title max "
				    "length: 24, description max length: 72; "
				    "section title max length: 24."));
		}
		title = json_string_value(json_object_get(action, "button"));
		if (*title == '\0' || utf8_chars(title) > 20)
			return (sim_graph_value(req, "Button title length "
			    "invalid. Min length: 1, Max length: 20"));
		if (nrows > 10)
			return (sim_graph_value(req, "Total row count "
			    "exceed max allowed count: 10"));
	}
	return (0);
}

static int
sim_graph_check_reaction(struct evhttp_request *req, json_t *o)
{
	if (json_string_value(json_object_get(o, "message_id")) == NULL)
		return (sim_graph_required(req, "reaction['message_id']"));
	if (json_string_value(json_object_get(o, "emoji")) == NULL)
		return (sim_graph_required(req, "reaction['emoji']"));
	return (0);
}

static int
sim_graph_check_template(struct evhttp_request *req, json_t *o,
    const struct sim_template **tp)
{
	const struct sim_template	*t;
	const char			*name, *lang, *ctype;
	json_t				*c;
	char				*d;
	size_t				 i;
	int				 want, got = 0;

	name = json_string_value(json_object_get(o, "name"));
	if (name == NULL)
		return (sim_graph_required(req, "template['name']"));
	lang = json_string_value(json_object_get(json_object_get(o,
	    "language"), "code"));
	if (lang == NULL)
		return (sim_graph_required(req, "template['language']"));
	t = sim_template_find(name, lang);
	if (t == NULL || (strcmp(t->status, "APPROVED") != 0 &&
	    strcmp(t->status, "PAUSED") != 0)) {
		d = xasprintf("template name (%s) does not exist in %s", name,
		    lang);
		sim_error_reply(req, 404, sim_error_json(
		    "(#132001) Template name does not exist in the translation",
		    "OAuthException", 132001, 0, d));
		free(d);
		return (404);
	}
	if (strcmp(t->status, "PAUSED") == 0) {
		sim_error_reply(req, 400, sim_error_json(
		    "(#132015) Template is Paused", "OAuthException", 132015, 0,
		    "Template is paused due to low quality so it cannot be sent "
		    "in a template message"));
		return (400);
	}
	json_array_foreach(json_object_get(o, "components"), i, c) {
		ctype = json_string_value(json_object_get(c, "type"));
		if (ctype != NULL && strcasecmp(ctype, "body") == 0)
			got += (int)json_array_size(json_object_get(c,
			    "parameters"));
	}
	want = sim_template_params(t);
	if (got != want) {
		d = xasprintf("body: number of localizable_params (%d) does "
		    "not match the expected number of params (%d)", got, want);
		sim_error_reply(req, 400, sim_error_json(
		    "(#132000) Number of parameters does not match the expected "
		    "number of params", "OAuthException", 132000, 0, d));
		free(d);
		return (400);
	}
	*tp = t;
	return (0);
}

static int
sim_graph_mark_read(struct sim_serve *s, struct evhttp_request *req,
    json_t *j)
{
	const char	*status, *id;
	json_t		*ti;
	char		*d;

	status = json_string_value(json_object_get(j, "status"));
	if (status == NULL || strcmp(status, "read") != 0) {
		sim_error_param(req, "Invalid parameter",
		    "The status must be read.");
		return (400);
	}
	if (json_object_get(j, "message_id") == NULL)
		return (sim_graph_required(req, "message_id"));
	id = json_string_value(json_object_get(j, "message_id"));
	if (id == NULL || strncmp(id, "wamid.", 6) != 0) {
		sim_error_param(req, "Invalid parameter",
		    "Please check the message ID you have provided.");
		return (400);
	}
	if (sim_set_has(&s->outgoing, id)) {
		d = xasprintf("Message supplied to mark message as read API "
		    "with message ID: %s is outgoing. Please use an incoming "
		    "message ID.", id);
		sim_error_param(req, "Invalid parameter", d);
		free(d);
		return (400);
	}
	ti = json_object_get(j, "typing_indicator");
	if (ti != NULL && (!json_is_object(ti) || json_string_value(
	    json_object_get(ti, "type")) == NULL ||
	    strcmp(json_string_value(json_object_get(ti, "type")), "text") !=
	    0)) {
		sim_error_param(req, "Invalid parameter",
		    "typing_indicator type must be text.");
		return (400);
	}
	sim_util_reply_str(req, 200, "{\"success\":true}");
	return (200);
}

/* The recipient as digits (wa_id); -1 if "to" is not a phone number. */
static int
sim_graph_digits(const char *to, char *out, size_t outlen)
{
	size_t	n = 0;

	for (; *to != '\0'; to++) {
		if (*to >= '0' && *to <= '9') {
			if (n + 1 >= outlen)
				return (-1);
			out[n++] = *to;
		} else if (strchr("+-() ", *to) == NULL)
			return (-1);
	}
	out[n] = '\0';
	return (n >= 5 && n <= 15 ? 0 : -1);
}

static void
sim_graph_journal(struct sim_serve *s, const char *wamid, const char *to,
    const char *type)
{
	json_t	*j;
	char	*line;
	size_t	 len, off = 0;
	ssize_t	 n;

	if (s->state_fd == -1)
		return;
	j = json_pack("{s:s, s:s, s:s, s:I}", "wamid", wamid, "to", to,
	    "type", type, "time", (json_int_t)time(NULL));
	line = sim_util_json_meta(j, &len);
	json_decref(j);
	line = xrealloc(line, len + 2);
	line[len++] = '\n';
	while (off < len) {
		n = write(s->state_fd, line + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	free(line);
}

void
sim_graph_messages(struct sim_serve *s, struct evhttp_request *req,
    const char *phone, int held)
{
	const struct sim_template	*tpl = NULL;
	const struct sim_fault_mode	*async = NULL;
	struct sim_fault		 f;
	const char			*body, *kind, *type, *mp, *rcpt;
	json_t				*j, *to, *o, *resp, *msg, *contact;
	char				*input = NULL, *wamid = NULL, *path;
	char				 digits[24];
	size_t				 len;
	int				 status;

	body = sim_util_body(req, &len);
	j = len <= SIM_GRAPH_BODY_MAX ? json_loadb(body, len, 0, NULL) : NULL;
	kind = sim_graph_kind(j);
	path = xasprintf("/%s/messages", phone);
	if (!held) {
		s->total++;
		json_object_set_new(s->types, kind, json_integer(
		    json_integer_value(json_object_get(s->types, kind)) + 1));
		if (sim_fault_take(&s->faults, &f)) {
			switch (f.mode->kind) {
			case SIM_FAULT_SLOW:
			case SIM_FAULT_TIMEOUT:
				/* Recorded now: the answer may never be read. */
				sim_serve_record(s, path, j, 0, NULL);
				sim_serve_hold(s, req, f.ms, phone,
				    sim_graph_messages);
				goto out;
			case SIM_FAULT_DROP:
				s->dropped++;
				sim_serve_record(s, path, j, 0, NULL);
				sim_serve_drop(s, req);
				goto out;
			case SIM_FAULT_ERROR:
				s->rejected++;
				sim_error_reply(req, f.mode->http,
				    sim_fault_error_json(f.mode));
				sim_serve_record(s, path, j, f.mode->http,
				    NULL);
				goto out;
			case SIM_FAULT_ASYNC:
				async = f.mode;
				break;
			}
		}
	}

	status = 400;
	if (j == NULL || !json_is_object(j)) {
		sim_error_param(req, "Invalid parameter",
		    "The request body is not a JSON object.");
		goto done;
	}
	mp = json_string_value(json_object_get(j, "messaging_product"));
	if (mp == NULL) {
		status = sim_graph_required(req, "messaging_product");
		goto done;
	}
	if (strcmp(mp, "whatsapp") != 0) {
		sim_error_param(req, "Param messaging_product must be one of "
		    "{WHATSAPP}", NULL);
		goto done;
	}
	if (json_object_get(j, "status") != NULL) {
		status = sim_graph_mark_read(s, req, j);
		goto done;
	}

	to = json_object_get(j, "to");
	rcpt = json_string_value(json_object_get(j, "recipient"));
	if (json_is_string(to))
		input = xstrdup(json_string_value(to));
	else if (json_is_integer(to))
		input = xasprintf("%lld", (long long)json_integer_value(to));
	else if (to != NULL || rcpt == NULL) {
		status = sim_graph_required(req, "to");
		goto done;
	}
	if (input != NULL && sim_graph_digits(input, digits,
	    sizeof digits) != 0) {
		sim_error_param(req, "Invalid parameter",
		    "The parameter to is not a valid phone number.");
		goto done;
	}
	if (input == NULL && (strlen(rcpt) < 4 || rcpt[2] != '.')) {
		sim_error_param(req, "Invalid parameter",
		    "The parameter recipient is not a valid user ID.");
		goto done;
	}
	o = json_object_get(j, "recipient_type");
	if (o != NULL && (!json_is_string(o) ||
	    (strcmp(json_string_value(o), "individual") != 0 &&
	    strcmp(json_string_value(o), "group") != 0))) {
		sim_error_param(req, "Invalid parameter",
		    "recipient_type must be individual or group.");
		goto done;
	}
	o = json_object_get(j, "context");
	if (o != NULL && json_string_value(json_object_get(o,
	    "message_id")) == NULL) {
		status = sim_graph_required(req, "context['message_id']");
		goto done;
	}

	if (strcmp(kind, "invalid") == 0) {
		sim_error_param(req, "Param type must be one of {AUDIO, "
		    "CONTACTS, DOCUMENT, IMAGE, INTERACTIVE, LOCATION, REACTION, "
		    "STICKER, TEMPLATE, TEXT, VIDEO}", NULL);
		goto done;
	}
	type = kind;
	o = json_object_get(j, type);
	if (strcmp(type, "contacts") == 0 ? !json_is_array(o) :
	    !json_is_object(o)) {
		status = sim_graph_required(req, type);
		goto done;
	}
	if (strcmp(type, "text") == 0)
		status = sim_graph_check_text(req, o);
	else if (strcmp(type, "location") == 0)
		status = sim_graph_check_location(req, o);
	else if (strcmp(type, "contacts") == 0)
		status = sim_graph_check_contacts(req, o);
	else if (strcmp(type, "interactive") == 0)
		status = sim_graph_check_interactive(req, o);
	else if (strcmp(type, "reaction") == 0)
		status = sim_graph_check_reaction(req, o);
	else if (strcmp(type, "template") == 0)
		status = sim_graph_check_template(req, o, &tpl);
	else
		status = sim_graph_check_media(req, type, o);
	if (status != 0)
		goto done;

	/* A user the business blocked cannot be messaged. */
	if (input != NULL && sim_block_has(s, digits)) {
		status = 400;
		sim_error_reply(req, 400, sim_error_json("(#131026) Message "
		    "undeliverable", "OAuthException", 131026, 0, "The "
		    "business has blocked this user; unblock them first."));
		goto done;
	}

	/* Accepted. */
	/* Accepted, and failed later for a number without WhatsApp. */
	if (async == NULL && input != NULL && sim_set_has(&s->no_whatsapp,
	    digits))
		async = sim_fault_named("131026");
	wamid = sim_gen_outbound_wamid(&s->gen, input != NULL ? digits : rcpt);
	sim_set_add(&s->outgoing, wamid);
	if (input != NULL)
		contact = json_pack("{s:s, s:s}", "input", input, "wa_id",
		    digits);
	else
		contact = json_pack("{s:s, s:s}", "input", rcpt, "user_id",
		    rcpt);
	msg = json_pack("{s:s}", "id", wamid);
	if (tpl != NULL)
		json_object_set_new(msg, "message_status",
		    json_string("accepted"));
	resp = json_pack("{s:s, s:[o], s:[o]}",
	    "messaging_product", "whatsapp",
	    "contacts", contact,
	    "messages", msg);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "X-Business-Use-Case-Usage", "{\"" SIM_WABA_ID "\":[{\"type\":"
	    "\"whatsapp\",\"call_count\":1,\"total_cputime\":1,"
	    "\"total_time\":1,\"estimated_time_to_regain_access\":0}]}");
	sim_util_reply_json(req, 200, resp);
	status = 200;
	sim_graph_journal(s, wamid, input != NULL ? digits : rcpt, type);
	sim_graph_statuses(s, wamid, input != NULL ? digits : NULL,
	    input != NULL ? NULL : rcpt, phone,
	    tpl != NULL ? tpl->category : "service",
	    json_string_value(json_object_get(j, "biz_opaque_callback_data")),
	    async);
	if (s->demo != NULL && input != NULL && async == NULL)
		sim_demo_sent(s->demo, digits, wamid, type);

done:
	if (status == 200)
		s->accepted++;
	else
		s->rejected++;
	if (!held)
		sim_serve_record(s, path, j, status, wamid);
out:
	free(path);
	free(input);
	free(wamid);
	json_decref(j);
}

/* --- status webhooks ---------------------------------------------------- */

static void	sim_graph_chain_step(evutil_socket_t, short, void *);

static void
sim_graph_chain_free(struct sim_chain *c)
{
	struct sim_serve	*s = c->s;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->chains = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	event_free(c->timer);
	free(c->wamid);
	free(c->recipient);
	free(c->user_id);
	free(c->phone);
	free(c->opaque);
	free(c);
}

void
sim_graph_chains_free(struct sim_serve *s)
{
	while (s->chains != NULL)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): unlinks the head */
		sim_graph_chain_free(s->chains);
}

static void
sim_graph_chain_schedule(struct sim_chain *c)
{
	struct timeval	tv;
	long		ms = c->s->status_delay_ms;

	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(c->timer, &tv);
}

static void
sim_graph_chain_posted(int ok, long http, void *arg)
{
	struct sim_chain	*c = arg;

	(void)ok;
	(void)http;
	/* Like Meta, go on with the next status even if one was lost. */
	c->step++;
	if (c->fail != NULL || c->step >= c->s->nstatuses) {
		sim_graph_chain_free(c);
		return;
	}
	sim_graph_chain_schedule(c);
}

static void
sim_graph_chain_step(evutil_socket_t fd, short what, void *arg)
{
	struct sim_chain	*c = arg;
	struct sim_serve	*s = c->s;
	const char		*status;
	json_t			*st;
	char			 ts[24], exp[24], *body;
	size_t			 len;
	int			 service;

	(void)fd;
	(void)what;
	status = c->fail != NULL ? "failed" : s->statuses[c->step];
	snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
	st = json_pack("{s:s, s:s, s:s}", "id", c->wamid, "status", status,
	    "timestamp", ts);
	if (c->recipient != NULL)
		json_object_set_new(st, "recipient_id",
		    json_string(c->recipient));
	if (c->user_id != NULL)
		json_object_set_new(st, "recipient_user_id",
		    json_string(c->user_id));
	if (c->opaque != NULL)
		json_object_set_new(st, "biz_opaque_callback_data",
		    json_string(c->opaque));
	if (c->fail != NULL) {
		json_object_set_new(st, "errors", json_pack("[o]",
		    sim_fault_status_error(c->fail)));
	} else if (strcmp(status, "read") != 0) {
		/* Conversation and pricing ride on sent and delivered. */
		service = strcmp(c->category, "service") == 0;
		json_object_set_new(st, "conversation", json_pack("{s:s}",
		    "id", c->conversation));
		if (strcmp(status, "sent") == 0) {
			snprintf(exp, sizeof exp, "%lld",
			    (long long)time(NULL) + 86400);
			json_object_set_new(json_object_get(st, "conversation"),
			    "expiration_timestamp", json_string(exp));
		}
		json_object_set_new(json_object_get(st, "conversation"),
		    "origin", json_pack("{s:s}", "type", c->category));
		json_object_set_new(st, "pricing", json_pack("{s:b, s:s, s:s, "
		    "s:s}",
		    "billable", !service,
		    "pricing_model", "PMP",
		    "type", service ? "free_customer_service" : "regular",
		    "category", c->category));
	}
	body = sim_gen_envelope(&s->gen, c->phone, json_pack("{s:[o]}",
	    "statuses", st), &len);
	sim_hook_post(s->hook, body, len, sim_graph_chain_posted, c);
}

void
sim_graph_statuses(struct sim_serve *s, const char *wamid,
    const char *recipient, const char *user_id, const char *phone,
    const char *category, const char *opaque,
    const struct sim_fault_mode *fail)
{
	struct sim_chain	*c;
	unsigned char		 rnd[16];
	size_t			 i;

	if (s->hook == NULL || (s->nstatuses == 0 && fail == NULL))
		return;
	c = xcalloc(1, sizeof *c);
	c->s = s;
	c->wamid = xstrdup(wamid);
	c->recipient = recipient != NULL ? xstrdup(recipient) : NULL;
	c->user_id = user_id != NULL ? xstrdup(user_id) : NULL;
	c->phone = xstrdup(phone);
	c->fail = fail;
	c->opaque = opaque != NULL ? xstrdup(opaque) : NULL;
	/* Pricing categories are the template categories in lowercase. */
	snprintf(c->category, sizeof c->category, "%s", category);
	for (i = 0; c->category[i] != '\0'; i++)
		c->category[i] = (char)tolower((unsigned char)c->category[i]);
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(c->conversation, sizeof c->conversation, rnd,
	    sizeof rnd);
	c->timer = evtimer_new(s->base, sim_graph_chain_step, c);
	c->next = s->chains;
	if (s->chains != NULL)
		s->chains->prev = c;
	s->chains = c;
	sim_graph_chain_schedule(c);
}

/* --- templates ---------------------------------------------------------- */

void
sim_graph_templates(struct sim_serve *s, struct evhttp_request *req,
    const char *waba)
{
	const struct sim_template	*t;
	struct evkeyvalq		 q;
	const char			*query, *fields, *status, *name;
	const char			*after, *limit_s, *category;
	json_t				*data, *item, *full, *paging;
	char				 cur[32], nextcur[32], *f, *save;
	char				*copy, *next;
	long long			 limit = 25, start = 0;
	char				*cause = NULL;
	size_t				 i;
	int				 extra;

	s->template_lists++;
	TAILQ_INIT(&q);
	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	if (query != NULL && evhttp_parse_query_str(query, &q) != 0) {
		sim_error_param(req, "Invalid parameter", "Bad query string.");
		return;
	}
	fields = evhttp_find_header(&q, "fields");
	status = evhttp_find_header(&q, "status");
	category = evhttp_find_header(&q, "category");
	name = evhttp_find_header(&q, "name");
	after = evhttp_find_header(&q, "after");
	limit_s = evhttp_find_header(&q, "limit");
	if (limit_s != NULL && sim_util_number(limit_s, 1, 1000, &limit,
	    &cause) != 0) {
		free(cause);
		sim_error_param(req, "Invalid parameter",
		    "limit must be a number from 1 to 1000.");
		goto out;
	}
	if (after != NULL && (strncmp(after, "QVFI", 4) != 0 ||
	    sim_util_number(after + 4, 0, 1000000, &start, &cause) != 0)) {
		free(cause);
		sim_error_param(req, "Invalid parameter", "Bad after cursor.");
		goto out;
	}

	data = json_array();
	next = NULL;
	/* A --number's WABA lists its own templates. */
	extra = sim_serve_extra(s, waba) != 0;
	for (i = 0; (t = extra ? sim_template_get_extra(i) :
	    sim_template_get(i)) != NULL; i++) {
		if ((long long)i < start)
			continue;
		if (status != NULL && strcasecmp(status, t->status) != 0)
			continue;
		if (category != NULL && strcasecmp(category, t->category) != 0)
			continue;
		if (name != NULL && strstr(t->name, name) == NULL)
			continue;
		if ((long long)json_array_size(data) == limit) {
			snprintf(nextcur, sizeof nextcur, "QVFI%zu", i);
			next = nextcur;
			break;
		}
		full = sim_template_json(t);
		if (fields == NULL)
			item = json_incref(full);
		else {
			item = json_object();
			copy = xstrdup(fields);
			save = NULL;
			for (f = strtok_r(copy, ",", &save); f != NULL;
			    f = strtok_r(NULL, ",", &save)) {
				if (json_object_get(full, f) != NULL)
					json_object_set(item, f,
					    json_object_get(full, f));
			}
			free(copy);
			json_object_set(item, "id", json_object_get(full, "id"));
		}
		json_decref(full);
		json_array_append_new(data, item);
	}
	snprintf(cur, sizeof cur, "QVFI%lld", start);
	paging = json_pack("{s:{s:s, s:s}}", "cursors", "before", cur,
	    "after", next != NULL ? next : cur);
	if (next != NULL) {
		f = xasprintf("%s/v24.0/%s/message_templates?limit=%lld&"
		    "after=%s", s->base_url, waba, limit, next);
		json_object_set_new(paging, "next", json_string(f));
		free(f);
	}
	sim_util_reply_json(req, 200, json_pack("{s:o, s:o}", "data", data,
	    "paging", paging));
out:
	evhttp_clear_headers(&q);
}

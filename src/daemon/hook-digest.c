/*
 * A digest hook's request (digest = in [hook NAME]; hook.c decides when):
 * the recorded bodies of several deliveries in one request, so a channel
 * gets one card per few minutes instead of one per event. The bodies are
 * those hook_render recorded; nothing here adds personal data (the header
 * says how many and since when).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "conf-hook.h"
#include "crypt.h"
#include "hook.h"
#include "xmalloc.h"

/*
 * Microsoft Teams refuses a message over about 28 KB; a json receiver
 * gets at most 25 bodies of at most 60 KB (hook.c) but no more than this.
 */
#define HOOK_DIGEST_TEAMS_MAX	(28 * 1000)
#define HOOK_DIGEST_JSON_MAX	(512 * 1024)

/* A recorded Teams envelope's card body (new reference), or a line. */
static json_t *
hook_digest_items(const char *body)
{
	json_t	*env, *items;

	env = json_loads(body, 0, NULL);
	items = json_object_get(json_object_get(json_array_get(
	    json_object_get(env, "attachments"), 0), "content"), "body");
	if (json_is_array(items) && json_array_size(items) > 0)
		json_incref(items);
	else
		items = json_pack("[{ss ss sb}]", "type", "TextBlock", "text",
		    "(a card without a body)", "wrap", 1);
	json_decref(env);
	return (items);
}

/* The envelope's text if it is within the limit, else NULL. */
static char *
hook_digest_fits(json_t *env)
{
	char	*text = json_dumps(env, JSON_COMPACT);

	if (text != NULL && strlen(text) > HOOK_DIGEST_TEAMS_MAX) {
		crypt_wipe_free(text, strlen(text));
		text = NULL;
	}
	return (text);
}

static char *
hook_digest_teams(char *const *bodies, size_t n, int64_t since,
    size_t *used)
{
	json_t		*env, *card, *list, *head;
	char		*text = NULL, *next, when[16], line[64];
	time_t		 t = (time_t)since;
	struct tm	 tm;
	size_t		 i;

	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%H:%M", &tm);
	head = json_pack("{ss ss ss ss sb}", "type", "TextBlock", "text", "",
	    "size", "Large", "weight", "Bolder", "wrap", 1);
	card = json_pack("{ss ss ss s[o]}", "$schema",
	    "http://adaptivecards.io/schemas/adaptive-card.json", "type",
	    "AdaptiveCard", "version", "1.5", "body", head);
	env = json_pack("{ss s[{ss sn so}]}", "type", "message",
	    "attachments", "contentType",
	    "application/vnd.microsoft.card.adaptive", "contentUrl",
	    "content", card);
	list = json_object_get(card, "body");
	/* one card body more at a time, while the whole still fits */
	for (i = 0; i < n; i++) {
		json_array_append_new(list, json_pack("{ss sb so}", "type",
		    "Container", "separator", 1, "items",
		    hook_digest_items(bodies[i])));
		snprintf(line, sizeof line, "%zu events since %s UTC", i + 1,
		    when);
		json_object_set_new(head, "text", json_string(line));
		if ((next = hook_digest_fits(env)) == NULL)
			break;
		if (text != NULL)
			crypt_wipe_free(text, strlen(text));
		text = next;
		*used = i + 1;
	}
	json_decref(env);
	return (text);
}

static char *
hook_digest_json(const struct conf_hook *h, char *const *bodies, size_t n,
    size_t *used)
{
	char	*text;
	size_t	 len, cap, i, k;

	/* the recorded bodies unchanged, one after the other */
	cap = HOOK_DIGEST_JSON_MAX + 1;
	text = xmalloc(cap);
	len = (size_t)snprintf(text, cap, "{\"digest\":true,\"hook\":\"%s\","
	    "\"deliveries\":[", h->name);	/* a name needs no escape */
	for (i = 0; i < n; i++) {
		k = strlen(bodies[i]);
		if (len + k + 3 > HOOK_DIGEST_JSON_MAX)
			break;
		if (i > 0)
			text[len++] = ',';
		memcpy(text + len, bodies[i], k);
		len += k;
	}
	memcpy(text + len, "]}", 3);
	*used = i;
	return (text);
}

char *
hook_digest_build(const struct conf_hook *h, char *const *bodies, size_t n,
    int64_t since, size_t *used)
{
	char	*text;

	*used = 0;
	if (h->format == CONF_HOOK_TEAMS)
		text = hook_digest_teams(bodies, n, since, used);
	else
		text = hook_digest_json(h, bodies, n, used);
	if (text != NULL && *used < 2) {
		crypt_wipe_free(text, strlen(text));
		text = NULL;
	}
	return (text);
}

/*
 * Mentions: the notes that name the agent, kept by the daemon until seen
 * (also those made while the agent was away). The top bar counts the
 * unseen ones; the mentions view (":view mentions", ":mentions", "@") lists
 * them, and opening one asks the daemon with "via_mention", which logs the
 * mention as the purpose instead of asking the agent for one. The agents'
 * names are kept for "@" completion in the note prompt (ui-prompt.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

#define UI_MENTIONS_MAX	200	/* listed at once */

static void
ui_mention_count_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	(void)code; (void)msg; (void)arg;
	if (!json_is_array(res))
		return;
	ui->mentions_unseen = (int64_t)json_array_size(res);
	ui->dirty |= UI_D_TOP;
}

void
ui_mention_refresh(struct ui *ui)
{
	ui_call(ui, PM_MENTION_LIST, json_pack("{sb si}", "unseen", 1,
	    "limit", 500), ui_mention_count_cb, NULL);
}

static void
ui_mention_agents_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	json_t	*rows, *r;
	size_t	 i;

	(void)code; (void)msg; (void)arg;
	rows = json_is_array(res) ? res : json_object_get(res, "agents");
	if (!json_is_array(rows))
		return;
	json_decref(ui->agents);
	ui->agents = json_array();
	json_array_foreach(rows, i, r) {
		if (!json_is_false(json_object_get(r, "active")) &&
		    *ui_jstr(r, "name") != '\0')
			json_array_append_new(ui->agents,
			    json_string(ui_jstr(r, "name")));
	}
}

/* Connected: the count, the names to complete and waiting handovers. */
void
ui_mention_hello(struct ui *ui)
{
	ui_mention_refresh(ui);
	ui_call(ui, PM_AGENT_LIST, NULL, ui_mention_agents_cb, NULL);
	ui_handover_pending(ui);
}

/* A new mention: one more to see (the event's own notice stays in ui.c). */
void
ui_mention_event(struct ui *ui, const char *ev)
{
	if (strcmp(ev, PEV_MENTION) == 0)
		ui_mention_refresh(ui);
}

static void
ui_mention_pick(struct ui *ui, json_t *item, json_t *arg)
{
	(void)arg;
	ui->mention_conv = ui_jint(item, "conversation");
	ui->mention_note = ui_jint(item, "note");
	ui_thread_close(ui);
	ui_thread_open(ui, ui->mention_conv, 0);
	/* The daemon marks it seen as it opens it. */
	if (ui->mentions_unseen > 0)
		ui->mentions_unseen--;
	ui->dirty |= UI_D_TOP;
}

static void
ui_mention_list_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	json_t	*items, *m;
	size_t	 i;
	char	 when[32], *label;

	(void)code; (void)arg;
	if (res == NULL) {
		ui_status(ui, 1, "mentions: %s", msg);
		return;
	}
	ui->mentions_unseen = (int64_t)json_array_size(res);
	ui->dirty |= UI_D_TOP;
	if (json_array_size(res) == 0) {
		ui_status(ui, 0, "no unseen mentions");
		return;
	}
	items = json_array();
	json_array_foreach(res, i, m) {
		ui_fmt_time(ui_jint(m, "created"), when, sizeof when, 1);
		label = xasprintf("%s  mention by %s in note %lld, "
		    "conversation %lld", when, ui_jstr(m, "by"),
		    (long long)ui_jint(m, "note"),
		    (long long)ui_jint(m, "conversation"));
		json_array_append_new(items, json_pack("{ss sI sI}", "label",
		    label, "conversation", (json_int_t)ui_jint(m,
		    "conversation"), "note", (json_int_t)ui_jint(m, "note")));
		free(label);
	}
	ui_picker_open(ui, "mentions (Enter opens; logged as the purpose)",
	    items, ui_mention_pick, NULL, 0);
}

void
ui_mention_view(struct ui *ui)
{
	ui_call(ui, PM_MENTION_LIST, json_pack("{sb si}", "unseen", 1,
	    "limit", UI_MENTIONS_MAX), ui_mention_list_cb, NULL);
}

/*
 * Every read of the conversation opened from a mention (the thread, its
 * notes and refreshes, the contact panel) names the mention: the daemon
 * checks it and logs it as the purpose. Opening another conversation ends
 * that.
 */
void
ui_mention_fill(struct ui *ui, const char *method, json_t *params)
{
	json_t	*v;

	if (ui->mention_conv == 0)
		return;
	if (strcmp(method, PM_CONV_SHOW) == 0 ||
	    strcmp(method, PM_NOTE_LIST) == 0)
		v = json_object_get(params, "id");
	else if (strcmp(method, PM_CONTACT_SHOW) == 0)
		v = json_object_get(params, "conversation");
	else
		return;
	if (!json_is_integer(v))
		return;
	if (json_integer_value(v) != ui->mention_conv) {
		if (strcmp(method, PM_CONV_SHOW) == 0)
			ui->mention_conv = ui->mention_note = 0;
		return;
	}
	if (json_object_get(params, "purpose") == NULL)
		json_object_set_new(params, "via_mention",
		    json_integer(ui->mention_note));
}

/* Tab after "@name" in a text prompt: the agents whose names fit. */
int
ui_mention_complete(struct ui *ui, const char *word, const char **cand,
    int max)
{
	json_t	*v;
	size_t	 i;
	int	 n = 0;

	json_array_foreach(ui->agents, i, v) {
		if (n < max && strncmp(json_string_value(v), word,
		    strlen(word)) == 0)
			cand[n++] = json_string_value(v);
	}
	return (n);
}

void
ui_mention_free(struct ui *ui)
{
	json_decref(ui->agents);
	ui->agents = NULL;
	json_decref(ui->handovers);
	ui->handovers = NULL;
}

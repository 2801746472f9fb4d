/*
 * The composer is the agent's alone (issue 13): what others do to the
 * conversation being written in is told on the status line, never asked
 * there. A live refresh refused for want of a purpose keeps the last
 * screen and stops refreshing (ui_purpose_ask asks nothing); a colleague's
 * claim is told ("tom took this conversation; your draft is kept"); a claim
 * names the holder it saw, so a lost race says who won; claiming while a
 * colleague is typing, and replying into a conversation someone else
 * holds, ask first - always in answer to the agent's own key.
 */
#include <stdlib.h>
#include <string.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

/* Whose conversation id is as this screen last heard ("" nobody). */
static const char *
ui_guard_holder(struct ui *ui, int64_t id)
{
	json_t	*row;

	if (id == ui->th.id && ui->th.conv != NULL)
		return (ui_jstr(ui->th.conv, "assignee"));
	if ((row = ui_list_find(ui, id)) != NULL)
		return (ui_jstr(row, "assignee"));
	return ("");
}

static int
ui_guard_drafting(struct ui *ui, int64_t id)
{
	return (ui->cmp.conv == id && ui->cmp.len > 0);
}

/* Tells who has the conversation on screen now, and that the draft stays. */
static void
ui_guard_tell(struct ui *ui, int64_t id)
{
	const char	*who = ui_guard_holder(ui, id);
	const char	*kept = ui_guard_drafting(ui, id) ?
			    "; your draft is kept" : "";

	if (*who == '\0')
		ui_status(ui, 1, "conversation %lld needs a purpose to show "
		    "now; the last screen is kept%s", (long long)id, kept);
	else if (ui->guard_lost == id)
		ui_status(ui, 1, "%s claimed it first%s", who, kept);
	else
		ui_status(ui, 1, "%s took this conversation%s", who, kept);
	ui->guard_told = id;
}

/*
 * A request refused for want of a purpose: 1 if it must not ask (the agent
 * is writing, or it is a live refresh of the thread on screen) - the
 * caller's callback then gets the refusal and the status line says why.
 */
int
ui_guard_no_ask(struct ui *ui, struct ui_pending *p)
{
	json_t	*id = json_object_get(p->params, "id");
	int	 refresh;

	refresh = ui->th.id != 0 && ui->th.conv != NULL &&
	    json_integer_value(id) == ui->th.id &&
	    ((strcmp(p->method, PM_CONV_SHOW) == 0 &&
	    json_object_get(p->params, "before") == NULL) ||
	    strcmp(p->method, PM_NOTE_LIST) == 0);
	if (!refresh && ui->focus != UI_COMPOSE)
		return (0);
	if (p->cb != NULL)
		p->cb(ui, NULL, PE_PURPOSE_REQUIRED, "needs a purpose",
		    p->arg);
	ui_pending_free(p);
	if (refresh) {
		/* Until the agent opens it again: each refresh is a refusal. */
		ui->guard_held = ui->th.id;
		ui_guard_tell(ui, ui->th.id);
	} else
		ui_status(ui, 1, "not shown: it needs a purpose, asked only "
		    "when you open it yourself");
	return (1);
}

/* The live refresh of the thread on screen is stopped (refused once). */
int
ui_guard_held(struct ui *ui)
{
	return (ui->th.id != 0 && ui->guard_held == ui->th.id);
}

/* The agent opens it again: a refusal may now ask for a purpose. */
void
ui_guard_release(struct ui *ui)
{
	ui->guard_held = 0;
	ui->guard_told = 0;
	ui->guard_lost = 0;
}

/* An assignment event: the screen learns the holder; a take-over is told. */
void
ui_guard_assignment(struct ui *ui, json_t *d)
{
	json_t		*v = json_object_get(d, "assignee");
	int64_t		 id = ui_jint(d, "conversation");
	const char	*who, *by = ui_jstr(d, "by");

	if (v == NULL || id == 0)
		return;		/* a team change */
	who = json_is_string(v) ? json_string_value(v) : "";
	if (id == ui->th.id && ui->th.conv != NULL)
		json_object_set_new(ui->th.conv, "assignee", json_is_string(v) ?
		    json_string(who) : json_null());
	if (ui->me != NULL && strcmp(who, ui->me) == 0) {
		if (ui->guard_held == id)
			ui_guard_release(ui);
		return;
	}
	if (id != ui->th.id || *who == '\0' || (ui->me != NULL &&
	    strcmp(by, ui->me) == 0))
		return;
	if (ui->guard_claim == id)
		ui->guard_lost = id;
	if (strcmp(by, who) == 0 || ui->guard_lost == id)
		ui_guard_tell(ui, id);
	else
		ui_status(ui, 1, "%s gave this conversation to %s%s", by, who,
		    ui_guard_drafting(ui, id) ? "; your draft is kept" : "");
}

/* --- claiming --- */

static void
ui_guard_claim_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	int64_t	id = ui_jint(arg, "id");

	if (ui->guard_claim == id)
		ui->guard_claim = 0;
	if (res == NULL) {
		if (strcmp(code, PE_CONFLICT) == 0) {
			/* Lost: who won is in the answer; never ask. */
			ui->guard_lost = id;
			ui_status(ui, 1, "%s", msg);
		} else
			ui_status(ui, 1, "claim: %s", msg);
		ui_list_fetch(ui, 0);
		return;
	}
	if (ui->guard_held == id)
		ui_guard_release(ui);
	ui_status(ui, 0, json_is_true(json_object_get(res, "already")) ?
	    "already yours" : "claimed");
	ui_list_fetch(ui, 0);
	ui_refresh_counts(ui);
	if (ui->th.id != 0)
		ui_thread_fetch(ui);
}

static void
ui_guard_claim_go(struct ui *ui, const char *text, json_t *ids)
{
	json_t	*v;
	size_t	 i;
	int64_t	 id;

	(void)text;
	json_array_foreach(ids, i, v) {
		id = json_integer_value(v);
		ui->guard_claim = id;
		/* The holder this screen saw: a race lost is refused. */
		ui_call(ui, PM_CONV_ASSIGN, json_pack("{sI ss ss}", "id",
		    (json_int_t)id, "to", "me", "if_assignee",
		    ui_guard_holder(ui, id)), ui_guard_claim_cb,
		    json_pack("{sI}", "id", (json_int_t)id));
	}
	if (json_array_size(ids) > 1)
		json_object_clear(ui->list.marked);
}

/* Someone other than us typing in conversation id, or NULL. */
static const char *
ui_guard_typist(struct ui *ui, int64_t id)
{
	char		 key[32];
	const char	*who;
	json_t		*m, *v;

	snprintf(key, sizeof key, "%lld", (long long)id);
	m = json_object_get(ui->presence, key);
	json_object_foreach(m, who, v) {
		if (strcmp(json_string_value(v), "typing") == 0 &&
		    (ui->me == NULL || strcmp(who, ui->me) != 0))
			return (who);
	}
	return (NULL);
}

/* The claim key: asks first when a colleague is typing in it. */
void
ui_guard_claim(struct ui *ui)
{
	json_t		*ids = ui_list_targets(ui), *v;
	const char	*typist = NULL;
	char		 q[160];
	size_t		 i;

	if (json_array_size(ids) == 0) {
		ui_status(ui, 0, "no conversation selected");
		json_decref(ids);
		return;
	}
	json_array_foreach(ids, i, v) {
		if ((typist = ui_guard_typist(ui, json_integer_value(v))) !=
		    NULL)
			break;
	}
	if (typist == NULL) {
		ui_guard_claim_go(ui, NULL, ids);
		json_decref(ids);
		return;
	}
	snprintf(q, sizeof q, "%s is typing in conversation %lld; claim it "
	    "anyway?", typist, (long long)json_integer_value(v));
	ui_prompt_yes(ui, q, ui_guard_claim_go, ids);	/* takes ids */
}

/* --- sending --- */

static void
ui_guard_send_yes(struct ui *ui, const char *text, json_t *arg)
{
	(void)text;
	if (ui_jint(arg, "conv") != ui->th.id)
		return;		/* the thread changed meanwhile */
	ui->guard_send = ui->th.id;
	free(ui->guard_send_to);
	ui->guard_send_to = xstrdup(ui_jstr(arg, "to"));
	ui_compose_send(ui);
}

/*
 * Before a reply goes into p's conversation: 1 if it is someone else's
 * and the agent is asked first (p is the caller's still); 0 to send,
 * with the holder the agent confirmed in p ("if_assignee").
 */
int
ui_guard_send(struct ui *ui, json_t *p)
{
	int64_t		 id = ui_jint(p, "conv");
	const char	*who = ui_guard_holder(ui, id);
	char		 q[160];

	if (*who == '\0' || (ui->me != NULL && strcmp(who, ui->me) == 0))
		return (0);
	if (ui->guard_send == id && ui->guard_send_to != NULL &&
	    strcmp(ui->guard_send_to, who) == 0) {
		/* Once: the next reply asks again. */
		json_object_set_new(p, "if_assignee", json_string(who));
		ui->guard_send = 0;
		return (0);
	}
	snprintf(q, sizeof q, "conversation %lld is assigned to %s; send "
	    "your reply anyway?", (long long)id, who);
	ui_prompt_yes(ui, q, ui_guard_send_yes, json_pack("{sI ss}", "conv",
	    (json_int_t)id, "to", who));
	return (1);
}

/* The daemon knew better (assigned_other): the next Enter asks. */
void
ui_guard_send_refused(struct ui *ui, int64_t conv, const char *msg)
{
	ui_status(ui, 1, "not sent: %s; Enter asks whether to send anyway",
	    msg);
	if (conv == ui->th.id && !ui_guard_held(ui))
		ui_thread_fetch(ui);
}

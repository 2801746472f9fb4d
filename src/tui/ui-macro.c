/*
 * Macros in the TUI (issue 16): M (or :macro) opens a picker of the rule
 * file's macros and runs the one chosen on the conversation at hand
 * (macro.run: the daemon carries out each action as this agent, all or
 * nothing); :macro NAME runs it at once. The status line says what was
 * done or why nothing was. Also the rules' "notify" event, which names
 * us: it goes to the status line.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "proto-names.h"
#include "ui-int.h"
#include "xmalloc.h"

static void
ui_macro_done(struct ui *ui, json_t *res, const char *code, const char *msg,
    json_t *arg)
{
	(void)code;
	if (res == NULL) {
		ui_status(ui, 1, "%s", msg);
		return;
	}
	ui_status(ui, 0, "macro %s: %zu action(s) done on conversation %lld",
	    ui_jstr(res, "macro"), json_array_size(json_object_get(res,
	    "actions")), (long long)ui_jint(res, "conversation"));
	(void)arg;
	ui_list_fetch(ui, 0);
	ui_refresh_counts(ui);
	if (ui->th.id != 0)
		ui_thread_fetch(ui);
}

/* The one conversation a macro runs on, or 0 (said why). */
static int64_t
ui_macro_target(struct ui *ui)
{
	json_t	*ids = ui_list_targets(ui);
	int64_t	 id = 0;

	if (ui->th.id != 0 && ui->focus != UI_LIST)
		id = ui->th.id;
	else if (json_array_size(ids) == 1)
		id = json_integer_value(json_array_get(ids, 0));
	else if (json_array_size(ids) > 1)
		ui_status(ui, 1, "a macro runs on one conversation; unmark "
		    "the others");
	else
		ui_status(ui, 0, "no conversation selected");
	json_decref(ids);
	return (id);
}

static void
ui_macro_run(struct ui *ui, const char *name)
{
	int64_t	conv;

	if ((conv = ui_macro_target(ui)) == 0)
		return;
	ui_status(ui, 0, "macro %s: running on conversation %lld", name,
	    (long long)conv);
	ui_call(ui, PM_MACRO_RUN, json_pack("{ss sI}", "macro", name, "conv",
	    (json_int_t)conv), ui_macro_done, NULL);
}

static void
ui_macro_pick(struct ui *ui, json_t *item, json_t *arg)
{
	(void)arg;
	ui_macro_run(ui, ui_jstr(item, "value"));
}

static void
ui_macro_list_cb(struct ui *ui, json_t *res, const char *code,
    const char *msg, json_t *arg)
{
	json_t	*m, *items, *a;
	size_t	 i, k;
	char	*label, *next;

	(void)code; (void)arg;
	if (res == NULL) {
		ui_status(ui, 1, "macros: %s", msg);
		return;
	}
	items = json_array();
	json_array_foreach(json_object_get(res, "macros"), i, m) {
		/* The name, then what it does, in the file's words. */
		label = xstrdup(ui_jstr(m, "macro"));
		json_array_foreach(json_object_get(m, "actions"), k, a) {
			next = xasprintf("%s%s%s", label, k == 0 ? "  " : ", ",
			    json_string_value(a) + (strncmp(json_string_value(
			    a), "then ", 5) == 0 ? 5 : 0));
			free(label);
			label = next;
		}
		json_array_append_new(items, json_pack("{ss ss}", "label",
		    label, "value", ui_jstr(m, "macro")));
		free(label);
	}
	if (json_array_size(items) == 0) {
		json_decref(items);
		ui_status(ui, 0, "no macros; they are defined in the rule file "
		    "([automation] rules)");
		return;
	}
	ui_picker_open(ui, "run a macro", items, ui_macro_pick, NULL, 0);
}

void
ui_macro_cmd(struct ui *ui, const char *a)
{
	if (a != NULL && *a != '\0') {
		ui_macro_run(ui, a);
		return;
	}
	if (ui_macro_target(ui) == 0)
		return;
	ui_call(ui, PM_MACRO_LIST, NULL, ui_macro_list_cb, NULL);
}

int
ui_macro_event(struct ui *ui, const char *ev, json_t *d)
{
	long long	conv = (long long)ui_jint(d, "conversation");

	if (strcmp(ev, PEV_NOTIFY) != 0)
		return (0);
	ui_status(ui, 1, "rule %s: conversation %lld is %s (:open %lld)",
	    ui_jstr(d, "rule"), conv, ui_jstr(d, "text"), conv);
	ui_notify(ui, "rule");
	return (1);
}

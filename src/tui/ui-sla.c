/*
 * Service-level clocks in the TUI (issue 19; doc/sla.md): the compact
 * cell of a list row and the thread header's line, from the "sla" object
 * conv.list and conv.show give ({kind, due, left, breached, soon}). Every
 * cue is text too (NO_COLOR): the clock sign or "SLA", and "✗" once
 * breached.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "ui-int.h"
#include "xmalloc.h"

static enum theme_el
ui_sla_el(json_t *sla)
{
	if (json_is_true(json_object_get(sla, "breached")))
		return (TH_FAILED);
	if (json_is_true(json_object_get(sla, "soon")))
		return (TH_WINDOW_WARN);
	return (TH_LIST_META);
}

int
ui_sla_cell(struct ui *ui, json_t *sla, char *buf, size_t len,
    enum theme_el *el)
{
	char	span[32];

	if (!json_is_object(sla))
		return (0);
	cli_sla_span(json_integer_value(json_object_get(sla, "left")), span,
	    sizeof span);
	if (json_is_true(json_object_get(sla, "breached")))
		snprintf(buf, len, "%sSLA %s", ui->ascii ? "x" :
		    "\xe2\x9c\x97", span);
	else
		snprintf(buf, len, "%s%s", ui->ascii ? "SLA " :
		    "\xe2\x8f\xb1", span);
	*el = ui_sla_el(sla);
	return (1);
}

char *
ui_sla_line(struct ui *ui, json_t *sla, enum theme_el *el)
{
	static const struct {
		const char	*kind, *words;
	} kinds[] = {
		{ "first", "first response" }, { "next", "next response" },
		{ "resolution", "resolution" },
	};
	const char	*kind = ui_jstr(sla, "kind"), *words = kind;
	char		 span[32], due[32];
	time_t		 t;
	struct tm	 tm;
	size_t		 i;

	(void)ui;
	if (!json_is_object(sla))
		return (NULL);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			words = kinds[i].words;
	cli_sla_span(ui_jint(sla, "left"), span, sizeof span);
	t = (time_t)ui_jint(sla, "due");
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(due, sizeof due, "%a %H:%M", &tm) == 0)
		snprintf(due, sizeof due, "?");
	*el = ui_sla_el(sla);
	if (json_is_true(json_object_get(sla, "breached")))
		return (xasprintf("SLA %s breached %s ago (due %s)", words,
		    span, due));
	return (xasprintf("SLA %s: %s left (due %s)", words, span, due));
}

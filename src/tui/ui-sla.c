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
#include "clock.h"
#include "ui-int.h"
#include "xmalloc.h"

/*
 * The time left now, not when the row came: the daemon's left is in
 * business seconds as of its answer, the deadline a wall time, so the
 * smaller of that left and the wall time to the deadline runs down while
 * the team is open and holds while it is closed (business time never
 * runs faster than the wall clock). Past the deadline it is minus the
 * wall time since, as the daemon counts a breach; the daemon's event
 * then refreshes the row. The daemon's clock (SI_TEST_CLOCK in tests).
 */
static int64_t
ui_sla_left(json_t *sla, int *breached)
{
	int64_t	left = ui_jint(sla, "left"), due = ui_jint(sla, "due");

	if (due > 0 && due - clock_now() < left)
		left = due - clock_now();
	*breached = json_is_true(json_object_get(sla, "breached")) ||
	    left <= 0;
	return (left);
}

static enum theme_el
ui_sla_el(json_t *sla, int breached)
{
	if (breached)
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

	int	breached;

	if (!json_is_object(sla))
		return (0);
	cli_sla_span(ui_sla_left(sla, &breached), span, sizeof span);
	if (breached)
		snprintf(buf, len, "%sSLA %s", ui->ascii ? "x" :
		    "\xe2\x9c\x97", span);
	else
		snprintf(buf, len, "%s%s", ui->ascii ? "SLA " :
		    "\xe2\x8f\xb1", span);
	*el = ui_sla_el(sla, breached);
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
	int		 breached;
	time_t		 t;
	struct tm	 tm;
	size_t		 i;

	(void)ui;
	if (!json_is_object(sla))
		return (NULL);
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			words = kinds[i].words;
	cli_sla_span(ui_sla_left(sla, &breached), span, sizeof span);
	t = (time_t)ui_jint(sla, "due");
	if (localtime_r(&t, &tm) == NULL ||
	    strftime(due, sizeof due, "%a %H:%M", &tm) == 0)
		snprintf(due, sizeof due, "?");
	*el = ui_sla_el(sla, breached);
	if (breached)
		return (xasprintf("SLA %s breached %s ago (due %s)", words,
		    span, due));
	return (xasprintf("SLA %s: %s left (due %s)", words, span, due));
}

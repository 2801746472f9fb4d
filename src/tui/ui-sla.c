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
 * The time left now, not when the row came. The daemon's left is in
 * business seconds as of its clock's as_of; running says whether the
 * team's hours are open then, until the next opening or closing before
 * the deadline (0 none). So the figure runs down with the wall clock
 * while open, up to a closing, and holds while closed; at each opening
 * and closing the daemon says hours_changed and the client asks again
 * (ui-hours.c). Never more than the wall time to the deadline (business
 * time never runs faster); past the deadline it is minus the wall time
 * since, as the daemon counts a breach, whose event then refreshes the
 * row. A daemon without as_of: the smaller of its left and the wall
 * time. The daemon's clock (SI_TEST_CLOCK in tests).
 */
static int64_t
ui_sla_left(json_t *sla, int *breached)
{
	int64_t	left = ui_jint(sla, "left"), due = ui_jint(sla, "due");
	int64_t	as_of = ui_jint(sla, "as_of"), until = ui_jint(sla, "until");
	int64_t	now = clock_now(), t = now;

	if (as_of > 0 && !json_is_true(json_object_get(sla, "breached")) &&
	    !json_is_false(json_object_get(sla, "running"))) {
		if (until > 0 && until < t)
			t = until;
		if (t > as_of)
			left -= t - as_of;
	}
	if (due > 0 && due - now < left)
		left = due - now;
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

/*
 * Whether a row's or the thread's figure shows seconds now (under a
 * minute either side of the deadline): then the client redraws every
 * second, not only at each minute and event, so "45s" counts and the
 * turn to breached shows at once.
 */
int
ui_sla_seconds(struct ui *ui)
{
	json_t	*row, *sla;
	size_t	 i;
	int64_t	 left;
	int	 breached;

	json_array_foreach(ui->list.rows, i, row) {
		sla = json_object_get(row, "sla");
		if (!json_is_object(sla))
			continue;
		left = ui_sla_left(sla, &breached);
		if (left > -60 && left < 60)
			return (1);
	}
	sla = json_object_get(ui->th.conv, "sla");
	if (ui->th.id != 0 && json_is_object(sla)) {
		left = ui_sla_left(sla, &breached);
		return (left > -60 && left < 60);
	}
	return (0);
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

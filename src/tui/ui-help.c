/*
 * The help screen, generated from the live key table: what is bound in
 * the current context and globally, with each command's description.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui-int.h"
#include "xmalloc.h"

static json_t *
ui_help_lines(struct ui *ui)
{
	const struct ui_command	*c;
	json_t			*lines = json_array();
	enum keys_ctx		 ctxs[2];
	char			 name[64];
	size_t			 i, k;
	char			*s;

	ctxs[0] = ui->focus == UI_LIST ? KEYS_LIST : ui->focus == UI_THREAD ?
	    KEYS_THREAD : KEYS_COMPOSE;
	ctxs[1] = KEYS_GLOBAL;
	json_array_append_new(lines, json_string("support-inbox keys "
	    "(from the live key table; rebind in the keys file). "
	    "j/k scroll, q or Esc closes."));
	for (k = 0; k < 2; k++) {
		json_array_append_new(lines, json_string(""));
		s = xasprintf("[%s]", keys_ctx_name(ctxs[k]));
		json_array_append_new(lines, json_string(s));
		free(s);
		for (i = 0; i < ui->keys.n; i++) {
			if (ui->keys.b[i].ctx != ctxs[k])
				continue;
			snprintf(name, sizeof name, "%s", ui->keys.b[i].cmd);
			name[strcspn(name, " ")] = '\0';
			c = ui_command_find(name);
			s = xasprintf("  %-12s :%-20s %s", ui->keys.b[i].keys,
			    ui->keys.b[i].cmd, c != NULL ? c->help : "");
			json_array_append_new(lines, json_string(s));
			free(s);
		}
	}
	json_array_append_new(lines, json_string(""));
	json_array_append_new(lines, json_string("Commands (: then Tab "
	    "completes):"));
	for (c = ui_commands; c->name != NULL; c++) {
		s = xasprintf("  :%s%s%s  %s", c->name, c->args != NULL ? " " :
		    "", c->args != NULL ? c->args : "", c->help);
		json_array_append_new(lines, json_string(s));
		free(s);
	}
	return (lines);
}

void
ui_help_draw(struct ui *ui)
{
	json_t	*lines = ui_help_lines(ui);
	int	 h = ui->rows - 3, i, n = (int)json_array_size(lines);

	if (ui->help_scroll > n - h)
		ui->help_scroll = n - h;
	if (ui->help_scroll < 0)
		ui->help_scroll = 0;
	for (i = 0; i < h; i++) {
		ui_fill(ui, 2 + i, 0, ui->cols, ui_attr(ui, TH_NORMAL));
		if (ui->help_scroll + i < n)
			ui_put(ui, 2 + i, 1, ui->cols - 1, json_string_value(
			    json_array_get(lines, (size_t)ui->help_scroll +
			    (size_t)i)), ui_attr(ui, i + ui->help_scroll == 0 ?
			    TH_DAY : TH_NORMAL));
	}
	json_decref(lines);
}

int
ui_help_key(struct ui *ui, const char *key)
{
	if (strcmp(key, "j") == 0 || strcmp(key, "<Down>") == 0)
		ui->help_scroll++;
	else if (strcmp(key, "k") == 0 || strcmp(key, "<Up>") == 0)
		ui->help_scroll--;
	else if (strcmp(key, "<C-d>") == 0 || strcmp(key, "<PgDn>") == 0 ||
	    strcmp(key, "<Space>") == 0)
		ui->help_scroll += (ui->rows - 3) / 2;
	else if (strcmp(key, "<C-u>") == 0 || strcmp(key, "<PgUp>") == 0)
		ui->help_scroll -= (ui->rows - 3) / 2;
	else if (strcmp(key, "q") == 0 || strcmp(key, "<Esc>") == 0 ||
	    strcmp(key, "?") == 0 || strcmp(key, "<Enter>") == 0) {
		ui->help = 0;
		ui->help_scroll = 0;
	}
	ui->dirty = UI_D_ALL;
	return (1);
}

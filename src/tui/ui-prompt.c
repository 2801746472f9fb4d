/*
 * The one-line prompt at the bottom of the screen: the ":" command line
 * (completion and history), the text questions actions ask (snooze until
 * when, note text, search, template parameters, a purpose) and the yes/no
 * questions. The named commands the ":" line runs are in ui-command.c.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ui-int.h"
#include "xmalloc.h"

void
ui_prompt_open(struct ui *ui, const char *label, const char *init,
    ui_prompt_cb cb, json_t *arg)
{
	json_decref(ui->pr.arg);
	free(ui->pr.label);
	free(ui->pr.comp_base);
	memset(&ui->pr, 0, sizeof ui->pr);
	ui->pr.active = 1;
	ui->pr.label = xstrdup(label);
	ui->pr.cb = cb;
	ui->pr.arg = arg;
	ui->pr.hist_pos = (int)json_array_size(ui->history);
	if (init != NULL) {
		snprintf(ui->pr.buf, sizeof ui->pr.buf, "%s", init);
		ui->pr.len = ui->pr.cur = strlen(ui->pr.buf);
	}
	ui->dirty |= UI_D_STATUS;
}

void
ui_prompt_cmdline(struct ui *ui)
{
	ui_prompt_open(ui, ":", NULL, NULL, NULL);
	ui->pr.is_cmdline = 1;
}

void
ui_prompt_yes(struct ui *ui, const char *question, ui_prompt_cb cb,
    json_t *arg)
{
	char	*label;

	label = xasprintf("%s (y/n) ", question);
	ui_prompt_open(ui, label, NULL, cb, arg);
	free(label);
	ui->pr.yes_no = 1;
}

void
ui_prompt_draw(struct ui *ui)
{
	int	y = ui->rows - 1, x, cx, a = ui_attr(ui, TH_NORMAL);

	ui_fill(ui, y, 0, ui->cols, a);
	x = ui_put(ui, y, 0, ui->cols, ui->pr.label, a | A_BOLD);
	ui_put(ui, y, x, ui->cols - x, ui->pr.buf, a);
	cx = x + utf8_nwidth(ui->pr.buf, ui->pr.cur);
	move(y, cx < ui->cols ? cx : ui->cols - 1);
}

/* Tab: command names, then view and theme names after them. */
static void
ui_prompt_complete(struct ui *ui)
{
	static const char	*themes[] = { "default", "light", "dark256",
				    "mono", NULL };
	const char		*base, *cand[128], *sp, *word;
	const struct ui_command	*c;
	char			 prefix[UI_LINE_MAX];
	size_t			 nc = 0, i, plen;

	if (ui->pr.comp_base == NULL)
		ui->pr.comp_base = xstrdup(ui->pr.buf);
	base = ui->pr.comp_base;
	sp = strrchr(base, ' ');
	word = sp != NULL ? sp + 1 : base;
	plen = (size_t)(word - base);
	memcpy(prefix, base, plen);
	prefix[plen] = '\0';
	if (sp == NULL) {
		for (c = ui_commands; c->name != NULL && nc < 128; c++) {
			if (strncmp(c->name, word, strlen(word)) == 0)
				cand[nc++] = c->name;
		}
	} else if (strncmp(base, "view ", 5) == 0) {
		for (i = 0; i < UI_NVIEWS; i++) {
			if (strncmp(ui_views[i], word, strlen(word)) == 0)
				cand[nc++] = ui_views[i];
		}
	} else if (strncmp(base, "theme ", 6) == 0 ||
	    strncmp(base, "set theme ", 10) == 0) {
		for (i = 0; themes[i] != NULL; i++) {
			if (strncmp(themes[i], word, strlen(word)) == 0)
				cand[nc++] = themes[i];
		}
	}
	if (nc == 0) {
		ui_status(ui, 0, "no completion");
		return;
	}
	if (snprintf(ui->pr.buf, sizeof ui->pr.buf, "%s%s%s", prefix,
	    cand[ui->pr.comp_idx % (int)nc], nc == 1 ? " " : "") >=
	    (int)sizeof ui->pr.buf)
		ui->pr.buf[0] = '\0';
	ui->pr.comp_idx++;
	ui->pr.len = ui->pr.cur = strlen(ui->pr.buf);
}

/*
 * Tab after "@" and the start of a name in a text question (a note): the
 * agents whose names fit, in turn, at the end of what was typed.
 */
static void
ui_prompt_mention(struct ui *ui)
{
	const char	*cand[64], *word;
	char		*at;
	size_t		 plen;
	int		 nc;

	if (ui->pr.cur != ui->pr.len)
		return;
	if (ui->pr.comp_base == NULL)
		ui->pr.comp_base = xstrdup(ui->pr.buf);
	at = strrchr(ui->pr.comp_base, '@');
	if (at == NULL || strchr(at, ' ') != NULL || (at > ui->pr.comp_base &&
	    at[-1] != ' ')) {
		ui_status(ui, 0, "Tab after @ completes an agent's name");
		return;
	}
	word = at + 1;
	plen = (size_t)(word - ui->pr.comp_base);
	if ((nc = ui_mention_complete(ui, word, cand, 64)) == 0) {
		ui_status(ui, 0, "no agent's name starts with '%s'", word);
		return;
	}
	if (snprintf(ui->pr.buf, sizeof ui->pr.buf, "%.*s%s%s", (int)plen,
	    ui->pr.comp_base, cand[ui->pr.comp_idx % nc], nc == 1 ? " " :
	    "") >= (int)sizeof ui->pr.buf)
		snprintf(ui->pr.buf, sizeof ui->pr.buf, "%s",
		    ui->pr.comp_base);
	ui->pr.comp_idx++;
	ui->pr.len = ui->pr.cur = strlen(ui->pr.buf);
}

static void
ui_prompt_finish(struct ui *ui, int run)
{
	char		*text = xstrdup(ui->pr.buf);
	ui_prompt_cb	 cb = ui->pr.cb, cancel = ui->pr.cancel;
	json_t		*arg = json_incref(ui->pr.arg);
	int		 cmdline = ui->pr.is_cmdline;
	int		 yes_no = ui->pr.yes_no;

	json_decref(ui->pr.arg);
	free(ui->pr.label);
	free(ui->pr.comp_base);
	memset(&ui->pr, 0, sizeof ui->pr);
	ui->dirty = UI_D_ALL;
	if (run && cmdline) {
		if (*text != '\0') {
			json_array_append_new(ui->history, json_string(text));
			if (json_array_size(ui->history) > UI_HISTORY)
				json_array_remove(ui->history, 0);
			ui_command_run(ui, text);
		}
	} else if (run && yes_no) {
		/* Anything but y or yes is no (and Esc). */
		if (cb != NULL && (strcasecmp(text, "y") == 0 ||
		    strcasecmp(text, "yes") == 0))
			cb(ui, text, arg);
	} else if (run && cb != NULL)
		cb(ui, text, arg);
	else if (!run && cancel != NULL)
		cancel(ui, NULL, arg);
	json_decref(arg);
	free(text);
}

/* What to do when the prompt just opened is cancelled. */
void
ui_prompt_on_cancel(struct ui *ui, ui_prompt_cb cancel)
{
	ui->pr.cancel = cancel;
}

int
ui_prompt_key(struct ui *ui, const char *key, wint_t ch, int code)
{
	struct ui_prompt	*p = &ui->pr;
	size_t			 n, s;
	int			 w;
	json_t			*h;

	(void)ch; (void)code;
	ui->dirty |= UI_D_STATUS;
	if (strcmp(key, "<Tab>") != 0) {
		free(p->comp_base);
		p->comp_base = NULL;
		p->comp_idx = 0;
	}
	if (strcmp(key, "<Enter>") == 0) {
		ui_prompt_finish(ui, 1);
		return (1);
	}
	if (strcmp(key, "<Esc>") == 0 || strcmp(key, "<C-c>") == 0 ||
	    strcmp(key, "<C-g>") == 0) {
		ui_prompt_finish(ui, 0);
		return (1);
	}
	if (strcmp(key, "<Tab>") == 0 && p->is_cmdline) {
		ui_prompt_complete(ui);
		return (1);
	}
	if (strcmp(key, "<Tab>") == 0 && p->complete != NULL) {
		p->complete(ui);
		return (1);
	}
	if (strcmp(key, "<Tab>") == 0 && !p->yes_no) {
		ui_prompt_mention(ui);
		return (1);
	}
	if ((strcmp(key, "<Up>") == 0 || strcmp(key, "<Down>") == 0) &&
	    p->is_cmdline) {
		p->hist_pos += key[1] == 'U' ? -1 : 1;
		if (p->hist_pos < 0)
			p->hist_pos = 0;
		if (p->hist_pos > (int)json_array_size(ui->history))
			p->hist_pos = (int)json_array_size(ui->history);
		h = json_array_get(ui->history, (size_t)p->hist_pos);
		snprintf(p->buf, sizeof p->buf, "%s", h != NULL ?
		    json_string_value(h) : "");
		p->len = p->cur = strlen(p->buf);
		return (1);
	}
	if (strcmp(key, "<BS>") == 0 || strcmp(key, "<C-h>") == 0) {
		if (p->len == 0 && p->is_cmdline) {
			ui_prompt_finish(ui, 0);
			return (1);
		}
		s = p->cur;
		while (s > 0 && (p->buf[s - 1] & 0xc0) == 0x80)
			s--;
		if (s > 0)
			s--;
		memmove(p->buf + s, p->buf + p->cur, p->len - p->cur + 1);
		p->len -= p->cur - s;
		p->cur = s;
		return (1);
	}
	if (strcmp(key, "<Left>") == 0 || strcmp(key, "<C-b>") == 0) {
		while (p->cur > 0 && (p->buf[--p->cur] & 0xc0) == 0x80)
			;
		return (1);
	}
	if (strcmp(key, "<Right>") == 0 || strcmp(key, "<C-f>") == 0) {
		n = utf8_grapheme(p->buf + p->cur, p->len - p->cur, &w);
		p->cur += n;
		return (1);
	}
	if (strcmp(key, "<C-a>") == 0 || strcmp(key, "<Home>") == 0) {
		p->cur = 0;
		return (1);
	}
	if (strcmp(key, "<C-e>") == 0 || strcmp(key, "<End>") == 0) {
		p->cur = p->len;
		return (1);
	}
	if (strcmp(key, "<C-u>") == 0) {
		memmove(p->buf, p->buf + p->cur, p->len - p->cur + 1);
		p->len -= p->cur;
		p->cur = 0;
		return (1);
	}
	if (strcmp(key, "<C-w>") == 0) {
		s = p->cur;
		while (s > 0 && p->buf[s - 1] == ' ')
			s--;
		while (s > 0 && p->buf[s - 1] != ' ')
			s--;
		memmove(p->buf + s, p->buf + p->cur, p->len - p->cur + 1);
		p->len -= p->cur - s;
		p->cur = s;
		return (1);
	}
	if (strcmp(key, "<Space>") == 0)
		key = " ";
	if (key[0] == '<' && key[1] != '\0')
		return (1);
	n = strlen(key);
	if (p->len + n >= sizeof p->buf)
		return (1);
	memmove(p->buf + p->cur + n, p->buf + p->cur, p->len - p->cur + 1);
	memcpy(p->buf + p->cur, key, n);
	p->len += n;
	p->cur += n;
	return (1);
}

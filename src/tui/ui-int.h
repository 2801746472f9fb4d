/*
 * Internals of the full-screen client, shared by ui*.c. One root struct
 * (struct ui); drawing goes through ui_put so that every column comes from
 * utf8.h's width function.
 */
#ifndef UI_INT_H
#define UI_INT_H

#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "client.h"
#include "conf.h"
#include "keys.h"
#include "theme.h"
#include "utf8.h"

#define UI_MIN_COLS	40
#define UI_MIN_ROWS	12
#define UI_NARROW	80	/* below: one pane at a time */
#define UI_PAGE		200	/* rows or messages per request */
#define UI_HISTORY	50	/* command-line history entries */
#define UI_DRAFT_MAX	16384	/* bytes in a draft */
#define UI_LINE_MAX	1024	/* bytes typed at a prompt */

enum ui_focus { UI_LIST, UI_THREAD, UI_COMPOSE };

#define UI_D_TOP	0x01
#define UI_D_LIST	0x02
#define UI_D_THREAD	0x04
#define UI_D_COMPOSE	0x08
#define UI_D_STATUS	0x10
#define UI_D_SEL	0x20	/* only the list's cursor moved */
#define UI_D_ALL	0xff

struct ui;
/* A reply arrived: result, or NULL with code/message. arg is the caller's. */
typedef void (*ui_reply_cb)(struct ui *, json_t *result, const char *code,
    const char *message, json_t *arg);

struct ui_pending {
	int64_t			 id;
	ui_reply_cb		 cb;
	json_t			*arg;
	char			*method;	/* kept to ask again ... */
	json_t			*params;	/* ... with a purpose */
	struct ui_pending	*next;
};

/* A picker: a filtered list (assign to, labels, canned, templates, ...). */
typedef void (*ui_pick_cb)(struct ui *, json_t *item, json_t *arg);
typedef void (*ui_pick_query_cb)(struct ui *, const char *filter);
struct ui_picker {
	int		 active;
	char		*title;
	json_t		*items;		/* [{label, detail?, preview?, ...}] */
					/* "fields": [text, ...] matched, most
					 * important first, else the label */
	json_t		*shown;		/* indexes into items after filtering */
	char		 filter[128];
	int		 sel, top;
	ui_pick_cb	 cb;
	json_t		*arg;
	int		 preview;	/* show item "preview" below */
	/*
	 * A picker that asks the daemon as the filter changes (the quick
	 * switch): base is what it shows for an empty filter; answered is
	 * the filter the items answer, ranked by the daemon as they come.
	 */
	ui_pick_query_cb query;
	json_t		*base;
	char		 answered[128];
	int		 busy;		/* a query is on its way */
	int		 due;		/* a query to ask before input waits */
	int		 again;		/* the filter changed meanwhile */
	int		 trace_due;	/* an answer reached the screen */
	struct timespec	 t_query;	/* $SUPPORT_INBOX_TRACE switch_ms */
};

/*
 * The one-line prompt (ui-prompt.c): the ":" command line, a text question
 * (search, snooze, note, parameters, a purpose) or a yes/no question.
 */
typedef void (*ui_prompt_cb)(struct ui *, const char *text, json_t *arg);
struct ui_prompt {
	int		 active;
	char		*label;		/* ":" or "search: " */
	char		 buf[UI_LINE_MAX];
	size_t		 len, cur;	/* bytes */
	ui_prompt_cb	 cb;
	ui_prompt_cb	 cancel;	/* on Esc, with text NULL */
	json_t		*arg;
	int		 is_cmdline;	/* completion and history */
	int		 yes_no;	/* cb only on "y" or "yes" */
	int		 hist_pos;
	char		*comp_base;	/* text completion started from */
	int		 comp_idx;
	void		(*complete)(struct ui *);	/* Tab, if set */
};

struct ui_list {
	json_t		*rows;		/* loaded window, from offset 0 */
	int		 sel, top;	/* row indexes */
	int64_t		 sel_id;	/* the conversation the cursor is on */
	int		 more;		/* another page may follow */
	int		 loading, stale;
	int64_t		 gen;		/* answers to older requests ignored */
	json_t		*marked;	/* {"id": true} */
	int		 search;	/* rows are search results */
	char		*search_q;
	int		 view;		/* index into ui_views */
	char		*custom;	/* or any other view: failed, label:X */
	int		 sort;		/* enum list_sort; -1 the view's own */
	int		 drawn_top, drawn_sel;	/* what the screen shows */
};

struct ui_line;

struct ui_thread {
	int64_t		 id;		/* 0: none open */
	json_t		*conv;		/* conv.show "conversation" */
	json_t		*msgs;		/* messages, oldest first */
	json_t		*notes;		/* note.list rows, or NULL */
	int		 more;
	int		 loading, stale;
	int64_t		 gen;
	int		 sel;		/* selected message index, -1 none */
	int		 scroll;	/* first line shown (of the layout) */
	int		 follow;	/* stick to the bottom */
	int		 marker;	/* index of the first unread, -1 */
	int64_t		 jump_msg;	/* select this message when loaded */
	int64_t		 close_id;	/* left; conv.close not sent yet */
	int64_t		 left_id;	/* left for this one: its access ends
					   when this one opens (or not) */
	int		 panel;		/* contact panel shown */
	json_t		*contact;	/* contact.show / contact.reveal */
	struct ui_line	*lines;		/* laid-out lines */
	int		 nlines, width;
	int		 laid;		/* lines are current */
};

struct ui_compose {
	char		 buf[UI_DRAFT_MAX];
	size_t		 len, cur;
	int64_t		 conv;		/* draft belongs to */
	int64_t		 started_after;	/* last inbound id when begun */
	int		 force;		/* refused once: the next send goes */
	int64_t		 reply_to;	/* message id quoted, 0 none */
	char		*undo;		/* text before Ctrl-c */
	json_t		*drafts;	/* {"conv id": {text, reply_to, ...}} */
	time_t		 typing_sent;	/* presence.set typing, to colleagues */
	time_t		 typing_wa_sent;	/* conv.typing: the customer's */
	int		 scroll;
	char		 pending_key[KEYS_SEQ_MAX];
	char		*view;		/* shown instead while a prompt asks */
	char		*view_title;	/* (a template's text, its preview) */
};

/*
 * Drafts kept by the daemon and the undo window (ui-compose.c): what was
 * edited and not yet saved (draft.set, a second after the last key), what
 * is known of each conversation's draft, and the one action that can
 * still be taken back (a held send, or a resolve).
 */
enum ui_undo { UI_UNDO_NONE, UI_UNDO_SEND, UI_UNDO_RESOLVE };
struct ui_keep {
	json_t		*dirty;		/* {"conv": true}: not saved yet */
	json_t		*known;		/* {"conv": bool}: has a draft */
	time_t		 changed;	/* the last edit */
	int		 saving;	/* draft.set unanswered */
	time_t		 quit_at;	/* quitting once they are answered */
	enum ui_undo	 undo;
	time_t		 undo_until;
	int64_t		 undo_msg, undo_conv, undo_reply_to;
	json_t		*undo_prev;	/* resolve: {"id": {state, until}} */
};

struct ui {
	struct conf	 conf;
	struct theme	 theme;
	struct keys	 keys;
	char		*socket_path;

	struct client	 c;
	int		 connected;	/* hello answered */
	int		 connecting;
	time_t		 retry_at;
	json_t		*hello;
	char		*me;		/* agent name */
	char		*team;		/* the agent's team, or NULL */
	char		*number;	/* the business's number, or NULL */
	json_t		*counts;
	char		*alarm;		/* top-bar alarm, or NULL */
	struct ui_pending *pending;
	struct ui_pending *purpose_wait;	/* asking for a purpose */
	char		*purpose_last;
	int64_t		 purpose_conv;	/* the conversation it was given for */

	int		 rows, cols;
	int		 narrow;	/* single-pane */
	int		 too_small;
	int		 list_w;	/* list pane width */
	enum ui_focus	 focus;
	int		 dirty;
	int		 running;
	int		 term_focused;	/* from focus events */
	int		 colors;	/* colours in use (0: none) */
	int		 ascii;		/* no UTF-8 symbols */
	enum utf8_emoji	 emoji;
	int		 help;		/* the help screen is up */
	int		 help_scroll;

	struct ui_list	 list;
	struct ui_thread th;
	struct ui_compose cmp;
	struct ui_picker pick;
	struct ui_prompt pr;
	json_t		*history;	/* command lines, newest last */
	json_t		*presence;	/* {"conv": {"agent": "viewing"|"typing"}} */
	json_t		*typing_at;	/* {"agent": when last said typing} */

	char		 seq[KEYS_SEQ_MAX];	/* pending key sequence */
	char		 status[256];
	int		 status_err;
	time_t		 status_until;

	int		 wake_fd[2];	/* SIGWINCH self-pipe */
	int		 tty_in, tty_out; /* stdin, stdout: terminals at start */
	int		 tty_lost;	/* the terminal went away: end */
	int		 tty_quiet;	/* stdin unreadable for now: not polled */
	struct timespec	 t_quiet;	/* since then */
	FILE		*trace;		/* $SUPPORT_INBOX_TRACE, for bench */
	struct timespec	 t_start, t_key;
	wint_t		 t_key_ch;	/* the key t_key is of (trace) */
	int		 first_drawn;
	int		 open_pending;	/* time the thread open */
	struct timespec	 t_open;

	/* ui-guard.c: nothing takes over the composer (issue 13) */
	int64_t		 guard_held;	/* thread whose refresh was refused */
	int64_t		 guard_told;	/* thread whose new holder was told */
	int64_t		 guard_claim;	/* a claim sent, not yet answered */
	int64_t		 guard_lost;	/* a claim lost on this thread */
	int64_t		 guard_send;	/* a reply confirmed into ... */
	char		*guard_send_to;	/* ... this agent's conversation */
	/* issue 13: the panel's cursor, mentions, handovers */
	int		 panel_sel;	/* ui-panel.c: contact's conversation */
	json_t		*agents;	/* names, for "@" completion */
	int64_t		 mentions_unseen;
	int64_t		 mention_conv;	/* opened from a mention ... */
	int64_t		 mention_note;	/* ... in this note */
	json_t		*handovers;	/* requests waiting for our answer */
	struct ui_keep	 keep;		/* drafts saved, the undo window */
	/* issue 15: the contacts view (ui-contacts.c), NULL until opened */
	struct ui_contacts *contacts;
	/* issue 17: the campaigns view (ui-campaign.c), NULL until opened */
	struct ui_campaign *campaign;
	/* issue 19: the floor view (ui-floor.c), NULL until opened */
	struct ui_floor	*floor;
	/* issue 19: the report view (ui-report.c), NULL until opened */
	struct ui_report *report;
	/* issue 16: "closed · opens Mon 09:00" for the top bar, or NULL */
	char		*hours_cue;
	json_t		*hours_all;	/* every [hours] section's status */
	int64_t		 away;		/* away since (agent.away); 0 not */
	int		 number_provisional;	/* number: not a webhook's */
};

/* The views, in tab order. */
extern const char *ui_views[];
/* The daemon serves more than one business number (hello; issue 15). */
int	ui_numbers_many(struct ui *);
#define UI_NVIEWS	7

/* ui.c */
void	 ui_status(struct ui *, int err, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int64_t	 ui_call(struct ui *, const char *method, json_t *params,
	    ui_reply_cb cb, json_t *arg);
void	 ui_pending_free(struct ui_pending *);
int	 ui_attr(struct ui *, enum theme_el);
int	 ui_put(struct ui *, int y, int x, int w, const char *s, int attr);
void	 ui_fill(struct ui *, int y, int x, int w, int attr);
void	 ui_layout(struct ui *);
void	 ui_list_area(struct ui *, int *y, int *x, int *h, int *w);
void	 ui_thread_area(struct ui *, int *y, int *x, int *h, int *w);
void	 ui_compose_area(struct ui *, int *y, int *x, int *h, int *w);
void	 ui_set_focus(struct ui *, enum ui_focus);
void	 ui_fmt_time(int64_t ts, char *buf, size_t len, int with_day);
void	 ui_fmt_left(int64_t secs, char *buf, size_t len);
/* Issue 19 (ui-sla.c): a row's service-level clock, compact ("⏱1h20",
 * "✗SLA 35m"; 0 without one), and the thread header's line (NULL without
 * one; free it); *el the colour (breached, within soon, else meta). */
int	 ui_sla_cell(struct ui *, json_t *sla, char *buf, size_t len,
	    enum theme_el *el);
char	*ui_sla_line(struct ui *, json_t *sla, enum theme_el *el);
int	 ui_sla_seconds(struct ui *);
const char *ui_jstr(json_t *, const char *key);
int64_t	 ui_jint(json_t *, const char *key);
void	 ui_refresh_counts(struct ui *);
void	 ui_notify(struct ui *, const char *what);
void	 ui_suspend_curses(struct ui *);
void	 ui_resume_curses(struct ui *);
void	 ui_suspend(struct ui *);
void	 ui_apply_theme(struct ui *);

/* ui-list.c */
void	 ui_list_draw(struct ui *);
void	 ui_list_draw_sel(struct ui *);
void	 ui_list_fetch(struct ui *, int append);
void	 ui_list_move(struct ui *, int delta);
void	 ui_list_goto(struct ui *, int idx);
json_t	*ui_list_current(struct ui *);
json_t	*ui_list_find(struct ui *, int64_t id);
void	 ui_list_event(struct ui *, json_t *data);
void	 ui_list_set_view(struct ui *, int view);
void	 ui_list_set_custom(struct ui *, const char *name);
const char	*ui_list_view_name(struct ui *);
void	 ui_list_waiting(struct ui *, int dir);
void	 ui_list_search(struct ui *, const char *q);
json_t	*ui_list_targets(struct ui *);	/* marked ids or the current */
void	 ui_tabs_draw(struct ui *);
void	 ui_list_sort(struct ui *, const char *name);	/* NULL: the next */
const char	*ui_list_sort_name(struct ui *);

/* ui-thread.c */
void	 ui_thread_open(struct ui *, int64_t id, int64_t jump_msg);
void	 ui_thread_close_flush(struct ui *);
void	 ui_picker_flush(struct ui *);
void	 ui_thread_close(struct ui *);
void	 ui_thread_fetch(struct ui *);
void	 ui_thread_draw(struct ui *);
void	 ui_thread_move(struct ui *, int delta);
void	 ui_thread_scroll(struct ui *, int lines);
void	 ui_thread_goto(struct ui *, int where);	/* 0 first, 1 last */
void	 ui_thread_first_unread(struct ui *);
json_t	*ui_thread_selected(struct ui *);
void	 ui_thread_media(struct ui *);
int64_t	 ui_thread_last_inbound(struct ui *);
int	 ui_thread_window_open(struct ui *);

/* ui-panel.c: the contact panel */
void	 ui_panel_toggle(struct ui *);
void	 ui_panel_reveal(struct ui *);
json_t	*ui_panel_lines(struct ui *, const char *phone);
int	 ui_panel_key(struct ui *, const char *key);

/* ui-mention.c: mentions (count, view, opening), agent names */
void	 ui_mention_hello(struct ui *);
void	 ui_mention_refresh(struct ui *);
void	 ui_mention_event(struct ui *, const char *ev);
void	 ui_mention_view(struct ui *);
void	 ui_mention_fill(struct ui *, const char *method, json_t *params);
int	 ui_mention_complete(struct ui *, const char *word, const char **cand,
	    int max);
void	 ui_mention_free(struct ui *);

/* ui-handover.c: handing over, answering, taking over */
void	 ui_handover(struct ui *, const char *args);
void	 ui_handover_answer(struct ui *, const char *args, int accept);
void	 ui_handover_pending(struct ui *);
void	 ui_takeover(struct ui *);
int	 ui_handover_event(struct ui *, const char *ev, json_t *d);

/* ui-compose.c */
void	 ui_compose_draw(struct ui *);
int	 ui_compose_height(struct ui *);
void	 ui_compose_switch(struct ui *, int64_t conv);
int	 ui_compose_key(struct ui *, const char *key, wint_t ch, int code);
int	 ui_compose_cmd(struct ui *, const char *name, const char *args);
void	 ui_compose_send(struct ui *);
void	 ui_compose_editor(struct ui *);
void	 ui_compose_canned(struct ui *);
void	 ui_compose_template(struct ui *);
void	 ui_compose_attach(struct ui *, const char *path);
void	 ui_compose_path_complete(struct ui *);
/* Drafts kept by the daemon, the undo window (ui-compose.c). */
void	 ui_compose_init(struct ui *);
void	 ui_compose_free(struct ui *);
void	 ui_compose_tick(struct ui *);	/* once a second */
void	 ui_compose_flush(struct ui *);	/* saves what is not saved yet */
int	 ui_compose_quit(struct ui *);	/* 0: drafts would be lost */
int	 ui_compose_has_draft(struct ui *, json_t *row);
void	 ui_compose_resolve(struct ui *, json_t *params);
int	 ui_compose_undo(struct ui *);	/* 0: nothing to undo */
const char *ui_compose_undo_key(struct ui *);	/* "u", or "Alt-u" */
/*
 * N (ui-start.c): the template picker, parameters and preview of a reply
 * with a template, for a new conversation: start is {"to": what the
 * confirmation names, "params": {"number"} or {"contact"}} (stolen);
 * conv.start's answer goes to ui_start_sent. A preview shows even with no
 * conversation open (ui_compose_previewing).
 */
void	 ui_compose_template_start(struct ui *, json_t *start);
int	 ui_compose_previewing(struct ui *);
void	 ui_start_open(struct ui *);
void	 ui_start_sent(struct ui *, json_t *res, const char *code,
	    const char *msg, json_t *arg);

/* ui-help.c */
void	 ui_help_draw(struct ui *);
int	 ui_help_key(struct ui *, const char *key);

/* ui-picker.c */
void	 ui_picker_open(struct ui *, const char *title, json_t *items,
	    ui_pick_cb cb, json_t *arg, int preview);
void	 ui_picker_close(struct ui *);
void	 ui_picker_draw(struct ui *);
int	 ui_picker_key(struct ui *, const char *key, wint_t ch, int code);
void	 ui_picker_remote(struct ui *, ui_pick_query_cb);
void	 ui_picker_answer(struct ui *, const char *filter, json_t *items);

/* ui-command.c: the named commands keys and the ":" line run. */
struct ui_command {
	const char	*name;
	const char	*args;		/* usage, or NULL */
	const char	*help;
	int		 ctx;		/* bitmask of 1 << enum keys_ctx; 0 any */
	void		(*fn)(struct ui *, const char *args);
};
extern const struct ui_command ui_commands[];
const struct ui_command *ui_command_find(const char *name);
void	 ui_command_run(struct ui *, const char *line);

/*
 * ui-prompt.c: the one-line prompt. A text question calls cb with what was
 * typed on Enter; the ":" line runs it as a command; a yes/no question
 * calls cb only on "y" or "yes". Esc calls the cancel callback, if any.
 */
void	 ui_prompt_open(struct ui *, const char *label, const char *init,
	    ui_prompt_cb cb, json_t *arg);
void	 ui_prompt_cmdline(struct ui *);
void	 ui_prompt_yes(struct ui *, const char *question, ui_prompt_cb cb,
	    json_t *arg);
void	 ui_prompt_on_cancel(struct ui *, ui_prompt_cb);
void	 ui_prompt_draw(struct ui *);
int	 ui_prompt_key(struct ui *, const char *key, wint_t ch, int code);

/* ui-purpose.c: a refusal for want of a purpose asks for one. */
int	 ui_purpose_ask(struct ui *, struct ui_pending *, const char *msg);
void	 ui_purpose_fail(struct ui *);
void	 ui_purpose_fill(struct ui *, const char *method, json_t *params);

/*
 * ui-contacts.c: the contacts view (:contacts, C), over the panes while
 * it is on; its keys come before the panes' (ui_contacts_key: 1 taken).
 */
void	 ui_contacts_open(struct ui *);
void	 ui_contacts_close(struct ui *);
int	 ui_contacts_on(struct ui *);
void	 ui_contacts_draw(struct ui *);
int	 ui_contacts_key(struct ui *, const char *key);
void	 ui_contacts_free(struct ui *);

/*
 * ui-campaign.c: the campaigns view (:campaigns), live progress from the
 * daemon's campaign events; over the panes like the contacts view.
 */
void	 ui_campaign_open(struct ui *);
void	 ui_campaign_close(struct ui *);
int	 ui_campaign_on(struct ui *);
void	 ui_campaign_draw(struct ui *);
int	 ui_campaign_key(struct ui *, const char *key);
void	 ui_campaign_event(struct ui *, const char *ev, json_t *data);
void	 ui_campaign_hello(struct ui *);
void	 ui_campaign_free(struct ui *);

/*
 * ui-floor.c: the supervisor's floor view (:floor, issue 19), asked again
 * on the events that move it (debounced by ui_floor_tick) and every few
 * seconds; over the panes like the campaigns view.
 */
void	 ui_floor_open(struct ui *);
void	 ui_floor_close(struct ui *);
int	 ui_floor_on(struct ui *);
void	 ui_floor_draw(struct ui *);
int	 ui_floor_key(struct ui *, const char *key);
void	 ui_floor_event(struct ui *, const char *ev);
void	 ui_floor_hello(struct ui *);
void	 ui_floor_tick(struct ui *);
void	 ui_floor_free(struct ui *);

/*
 * ui-cover.c: the views over the panes, one at a time (ui_cover_on: one is
 * up; ui_cover_close_all before a view opens; its keys come before the
 * panes', 1 taken), and their shared drawing: a line across the screen,
 * a line of text appended to a json array of strings, such lines drawn.
 */
int	 ui_cover_on(struct ui *);
void	 ui_cover_close_all(struct ui *);
void	 ui_cover_draw(struct ui *);
int	 ui_cover_key(struct ui *, const char *key);
void	 ui_cover_line(struct ui *, int y, const char *text, int attr);
void	 ui_cover_add(json_t *lines, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Draws lines (strings) in h rows from y0, from line *scroll (kept in
 * range); the first line is the title (TH_DAY). */
void	 ui_cover_lines(struct ui *, int y0, int h, json_t *lines,
	    int *scroll);

/*
 * ui-report.c: the report view (:report [KIND], supervisors): report.get
 * for a week or a month drawn as bars and sparklines.
 */
void	 ui_report_open(struct ui *, const char *kind);
void	 ui_report_close(struct ui *);
int	 ui_report_on(struct ui *);
void	 ui_report_draw(struct ui *);
int	 ui_report_key(struct ui *, const char *key);
void	 ui_report_free(struct ui *);

/* ui-guard.c: the composer is the agent's alone. */
int	 ui_guard_no_ask(struct ui *, struct ui_pending *);
int	 ui_guard_held(struct ui *);
void	 ui_guard_release(struct ui *);
void	 ui_guard_assignment(struct ui *, json_t *data);
void	 ui_guard_claim(struct ui *);
int	 ui_guard_send(struct ui *, json_t *params);
void	 ui_guard_send_refused(struct ui *, int64_t conv, const char *msg);

/* ui-macro.c: M and :macro [NAME]; a rule's notify event (1 if ev was). */
void	 ui_macro_cmd(struct ui *, const char *);
int	 ui_macro_event(struct ui *, const char *ev, json_t *d);
/*
 * ui-interactive.c: the composer's /buttons, /list, /section, /row,
 * /header, /footer lines make the reply interactive (1, params changed;
 * 0 a text; -1 refused, said on the status line); the thread's lines of
 * an interactive message or of an answer to one ([{el, indent, text}], or
 * NULL for any other message).
 */
int	 ui_interactive_params(struct ui *, const char *text, json_t *params);
json_t	*ui_interactive_lines(struct ui *, json_t *msg);
/* ui-away.c: :away and :back (agent.away; who NULL: oneself), the
 * status's and the event's word on it, the top bar's cue. */
void	 ui_away_set(struct ui *, int away, const char *who);
void	 ui_away_status(struct ui *, json_t *me);
void	 ui_away_event(struct ui *, const char *ev, json_t *d);
void	 ui_away_cue(struct ui *, int wide, char *buf, size_t len);
/* ui-hours.c: the team's "closed" cue (hours.status, hours_changed). */
void	 ui_hours_fetch(struct ui *);
void	 ui_hours_event(struct ui *, const char *ev);
/* 1 if the conversations of team (NULL: none) are outside their hours. */
int	 ui_hours_team_closed(struct ui *, const char *team);

#endif

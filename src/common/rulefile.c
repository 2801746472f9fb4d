/*
 * The rule file's parser (include/rulefile.h, doc/rules.md). Every error
 * names FILE:LINE and what to write instead; parsing goes on after one so
 * that a file's errors are all told at once (up to RF_ERRORS_MAX).
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "match.h"
#include "names.h"
#include "rulefile.h"
#include "when.h"
#include "xmalloc.h"

struct rf_parse {
	const char	*path;
	int		 line;
	json_t		*errors;
	struct rulefile	*rf;
	struct rf_rule	*rule;		/* the block being read */
	struct rf_macro	*macro;
	int		 has_when;
};

static void __attribute__((format(printf, 2, 3)))
rf_error(struct rf_parse *p, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if (json_array_size(p->errors) >= RF_ERRORS_MAX)
		return;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	json_array_append_new(p->errors, json_sprintf("%s:%d: %s", p->path,
	    p->line, msg));
	free(msg);
}

const char *
rulefile_trigger_name(enum rf_trigger t)
{
	switch (t) {
	case RF_WHEN_MESSAGE:
		return ("message");
	case RF_WHEN_CREATED:
		return ("created");
	case RF_WHEN_LABEL:
		return ("label");
	case RF_WHEN_NO_REPLY:
		return ("no-reply");
	case RF_WHEN_WINDOW:
		return ("window-closing");
	case RF_WHEN_SLA:
		return ("sla-breached");
	}
	return ("?");
}

const char *
rulefile_cond_name(enum rf_cond_kind k)
{
	switch (k) {
	case RF_IF_WORDS:
		return ("words");
	case RF_IF_LANG:
		return ("lang");
	case RF_IF_NUMBER:
		return ("number");
	case RF_IF_TEAM:
		return ("team");
	case RF_IF_LABEL:
		return ("label");
	case RF_IF_ATTRIBUTE:
		return ("attribute");
	case RF_IF_HOURS:
		return ("hours");
	}
	return ("?");
}

const char *
rulefile_action_name(enum rf_action_kind k)
{
	switch (k) {
	case RF_DO_TEAM:
		return ("team");
	case RF_DO_ASSIGN:
		return ("assign");
	case RF_DO_LABEL:
		return ("label");
	case RF_DO_PRIORITY:
		return ("priority");
	case RF_DO_SNOOZE:
		return ("snooze");
	case RF_DO_REPLY:
		return ("reply");
	case RF_DO_NOTIFY:
		return ("notify");
	case RF_DO_RESOLVE:
		return ("resolve");
	}
	return ("?");
}

/* Words joined back, quoted where they hold a space. */
static void
rf_join(struct buf *b, char *const *args, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (strpbrk(args[i], " \t\"#") != NULL)
			buf_addf(b, " \"%s\"", args[i]);
		else
			buf_addf(b, " %s", args[i]);
	}
}

char *
rulefile_trigger_text(const struct rf_rule *r)
{
	struct buf	b;

	buf_init(&b, 0);
	buf_addf(&b, "when %s", rulefile_trigger_name(r->trigger));
	if ((r->trigger == RF_WHEN_LABEL || r->trigger == RF_WHEN_SLA) &&
	    r->trigger_label != NULL)
		buf_addf(&b, " %s", r->trigger_label);
	if (r->trigger == RF_WHEN_NO_REPLY || r->trigger == RF_WHEN_WINDOW)
		buf_addf(&b, " %lld", (long long)r->minutes);
	return (buf_detach(&b, NULL));
}

char *
rulefile_cond_text(const struct rf_cond *c)
{
	struct buf	b;

	buf_init(&b, 0);
	buf_addf(&b, "%s %s", c->negate ? "unless" : "if",
	    rulefile_cond_name(c->kind));
	rf_join(&b, c->args, c->nargs);
	return (buf_detach(&b, NULL));
}

char *
rulefile_action_text(const struct rf_action *a)
{
	struct buf	b;

	buf_init(&b, 0);
	buf_addf(&b, "then %s", rulefile_action_name(a->kind));
	rf_join(&b, a->args, a->nargs);
	return (buf_detach(&b, NULL));
}

static void
rf_words_free(char **w, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(w[i]);
}

/*
 * Splits a line into words: blanks separate, "double quotes" keep blanks
 * (\" and \\ inside), # outside quotes starts a comment. -1 (error told)
 * for an open quote, too many words or a word too long.
 */
static int
rf_split(struct rf_parse *p, const char *line, char **w, size_t max,
    size_t *n)
{
	char		 word[RF_WORD_MAX + 1];
	const char	*s = line;
	size_t		 len;
	int		 quoted;

	*n = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '\0' || *s == '#')
			return (0);
		if (*n == max) {
			rf_error(p, "more than %zu words on a line; split the "
			    "condition over several lines", max);
			goto fail;
		}
		len = 0;
		quoted = *s == '"';
		if (quoted)
			s++;
		while (*s != '\0') {
			if (quoted && *s == '"')
				break;
			if (!quoted && (*s == ' ' || *s == '\t' || *s == '#'))
				break;
			if (quoted && *s == '\\' && (s[1] == '"' ||
			    s[1] == '\\'))
				s++;
			if (len == RF_WORD_MAX) {
				rf_error(p, "a word longer than %d bytes; "
				    "shorten it", RF_WORD_MAX);
				goto fail;
			}
			word[len++] = *s++;
		}
		if (quoted) {
			if (*s != '"') {
				rf_error(p, "a quote is not closed; end the "
				    "word with \"");
				goto fail;
			}
			s++;
		}
		word[len] = '\0';
		w[(*n)++] = xstrdup(word);
	}
fail:
	rf_words_free(w, *n);
	*n = 0;
	return (-1);
}

/* Names: letters, digits, '-', '_', '.', at most RF_NAME_MAX bytes. */
static int
rf_name_valid(const char *s)
{
	size_t	i;

	if (*s == '\0' || strlen(s) > RF_NAME_MAX)
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '_' && s[i] != '.')
			return (0);
	}
	return (1);
}

static int
rf_minutes(struct rf_parse *p, const char *s, int64_t *m)
{
	char		*end;
	long long	 v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || end == s || v < 1 ||
	    v > RF_MINUTES_MAX) {
		rf_error(p, "'%s' is not a number of minutes; write a whole "
		    "number from 1 to %d", s, RF_MINUTES_MAX);
		return (-1);
	}
	*m = v;
	return (0);
}

static void
rf_when(struct rf_parse *p, char **w, size_t n)
{
	struct rf_rule	*r = p->rule;

	if (p->has_when) {
		rf_error(p, "rule '%s' has a second 'when'; a rule has one "
		    "trigger: write another rule for it", r->name);
		return;
	}
	p->has_when = 1;
	if (n == 2 && strcmp(w[1], "message") == 0)
		r->trigger = RF_WHEN_MESSAGE;
	else if (n == 2 && strcmp(w[1], "created") == 0)
		r->trigger = RF_WHEN_CREATED;
	else if ((n == 2 || n == 3) && strcmp(w[1], "label") == 0) {
		r->trigger = RF_WHEN_LABEL;
		if (n == 3)
			r->trigger_label = xstrdup(w[2]);
	} else if ((n == 2 || n == 3) && strcmp(w[1], "sla-breached") == 0) {
		/* issue 19: sla.c raises it, once per clock */
		r->trigger = RF_WHEN_SLA;
		if (n == 3 && strcmp(w[2], "first") != 0 &&
		    strcmp(w[2], "next") != 0 &&
		    strcmp(w[2], "resolution") != 0)
			rf_error(p, "'when sla-breached' takes first, next or "
			    "resolution (or nothing: any)");
		else if (n == 3)
			r->trigger_label = xstrdup(w[2]);
	} else if (n == 3 && strcmp(w[1], "no-reply") == 0) {
		r->trigger = RF_WHEN_NO_REPLY;
		rf_minutes(p, w[2], &r->minutes);
	} else if (n == 3 && strcmp(w[1], "window-closing") == 0) {
		r->trigger = RF_WHEN_WINDOW;
		rf_minutes(p, w[2], &r->minutes);
	} else
		rf_error(p, "unknown trigger; write 'when message', 'when "
		    "created', 'when label [NAME]', 'when no-reply MINUTES', "
		    "'when window-closing MINUTES' or 'when sla-breached "
		    "[KIND]'");
}

static void
rf_cond(struct rf_parse *p, char **w, size_t n, int negate)
{
	struct rf_rule	*r = p->rule;
	struct rf_cond	*c;
	enum rf_cond_kind k;
	char		 folded[RF_WORD_MAX * 2 + 1];
	size_t		 i;

	if (n < 3) {
		rf_error(p, "'%s' needs a condition and its value, e.g. "
		    "'%s words refund'", w[0], w[0]);
		return;
	}
	if (strcmp(w[1], "words") == 0)
		k = RF_IF_WORDS;
	else if (strcmp(w[1], "lang") == 0 || strcmp(w[1], "language") == 0)
		k = RF_IF_LANG;
	else if (strcmp(w[1], "number") == 0)
		k = RF_IF_NUMBER;
	else if (strcmp(w[1], "team") == 0)
		k = RF_IF_TEAM;
	else if (strcmp(w[1], "label") == 0)
		k = RF_IF_LABEL;
	else if (strcmp(w[1], "attribute") == 0)
		k = RF_IF_ATTRIBUTE;
	else if (strcmp(w[1], "hours") == 0)
		k = RF_IF_HOURS;
	else {
		rf_error(p, "unknown condition '%s'; write one of words, "
		    "lang, number, team, label, attribute, hours", w[1]);
		return;
	}
	if (k == RF_IF_ATTRIBUTE && (n != 5 || strcmp(w[3], "=") != 0)) {
		rf_error(p, "write 'if attribute NAME = VALUE' (quote a "
		    "value with blanks)");
		return;
	}
	if (k == RF_IF_HOURS && (n != 3 || (strcmp(w[2], "open") != 0 &&
	    strcmp(w[2], "closed") != 0))) {
		rf_error(p, "write 'if hours open' or 'if hours closed'");
		return;
	}
	if (k == RF_IF_WORDS) {
		for (i = 2; i < n; i++) {
			match_fold(w[i], folded, sizeof folded);
			if (folded[0] == '\0' || strspn(folded, " ") ==
			    strlen(folded)) {
				rf_error(p, "an empty word; write the words "
				    "to look for, e.g. 'if words refund'");
				return;
			}
		}
	}
	if (r->nconds == RF_CONDS_MAX) {
		rf_error(p, "rule '%s' has more than %d conditions; split it",
		    r->name, RF_CONDS_MAX);
		return;
	}
	c = &r->conds[r->nconds++];
	c->kind = k;
	c->negate = negate;
	c->line = p->line;
	for (i = 2; i < n; i++) {
		if (k == RF_IF_ATTRIBUTE && i == 3)
			continue;	/* the '=' */
		c->args[c->nargs++] = xstrdup(w[i]);
	}
}

static void
rf_action(struct rf_parse *p, char **w, size_t n)
{
	struct rf_action	*acts, *a;
	size_t			*nacts, i;
	enum rf_action_kind	 k;
	enum conv_priority	 pr;
	const char		*why;
	char			 expr[RF_LINE_MAX + 1];
	int64_t			 t;
	int			 is_macro = p->macro != NULL;

	if (n < 2) {
		rf_error(p, "'then' needs an action, e.g. 'then label "
		    "refund'");
		return;
	}
	if (strcmp(w[1], "team") == 0)
		k = RF_DO_TEAM;
	else if (strcmp(w[1], "assign") == 0)
		k = RF_DO_ASSIGN;
	else if (strcmp(w[1], "label") == 0)
		k = RF_DO_LABEL;
	else if (strcmp(w[1], "priority") == 0)
		k = RF_DO_PRIORITY;
	else if (strcmp(w[1], "snooze") == 0)
		k = RF_DO_SNOOZE;
	else if (strcmp(w[1], "reply") == 0)
		k = RF_DO_REPLY;
	else if (strcmp(w[1], "notify") == 0 && !is_macro)
		k = RF_DO_NOTIFY;
	else if (strcmp(w[1], "resolve") == 0 && is_macro)
		k = RF_DO_RESOLVE;
	else {
		rf_error(p, "unknown action '%s'; write one of team, assign, "
		    "label, priority, snooze, reply, %s", w[1], is_macro ?
		    "resolve (a macro)" : "notify (a rule)");
		return;
	}
	switch (k) {
	case RF_DO_RESOLVE:
		if (n != 2) {
			rf_error(p, "write 'then resolve' alone");
			return;
		}
		break;
	case RF_DO_SNOOZE:
		expr[0] = '\0';
		for (i = 2, t = 0; i < n; i++)
			t += snprintf(expr + t, sizeof expr - (size_t)t,
			    "%s%s", w[i], i + 1 < n ? " " : "");
		if (n < 3 || (when_duration(expr, &t, &why) != 0 &&
		    when_future(expr, time(NULL), &t, &why) != 0)) {
			rf_error(p, "'then snooze' needs a duration or a time "
			    "to come (e.g. 'then snooze 2h', 'then snooze "
			    "tomorrow 9:00'; see TIME EXPRESSIONS in "
			    "support-inbox(1))");
			return;
		}
		break;
	case RF_DO_PRIORITY:
		if (n != 3 || names_priority_from(w[2], &pr) != 0) {
			rf_error(p, "write 'then priority P', P one of "
			    NAMES_LIST(NAMES_PRIORITIES, ", "));
			return;
		}
		break;
	case RF_DO_NOTIFY:
		if (n < 4 || (strcmp(w[2], "team") != 0 &&
		    strcmp(w[2], "agent") != 0) ||
		    (strcmp(w[2], "team") == 0 && n != 4)) {
			rf_error(p, "write 'then notify team TEAM' or 'then "
			    "notify agent NAME [NAME...]'");
			return;
		}
		break;
	default:
		if (n != 3) {
			rf_error(p, "write 'then %s %s' with one value "
			    "(quote it if it has blanks)", w[1],
			    k == RF_DO_REPLY ? "SHORTCUT" : k == RF_DO_ASSIGN ?
			    "AGENT" : k == RF_DO_TEAM ? "TEAM" : "NAME");
			return;
		}
		if (k == RF_DO_ASSIGN && strcmp(w[2], "me") == 0 &&
		    !is_macro) {
			rf_error(p, "'assign me' is for macros (the agent "
			    "running it); a rule names the agent: 'then "
			    "assign NAME'");
			return;
		}
		break;
	}
	acts = is_macro ? p->macro->actions : p->rule->actions;
	nacts = is_macro ? &p->macro->nactions : &p->rule->nactions;
	if (*nacts == RF_ACTIONS_MAX) {
		rf_error(p, "more than %d actions; split it", RF_ACTIONS_MAX);
		return;
	}
	a = &acts[(*nacts)++];
	a->kind = k;
	a->line = p->line;
	for (i = 2; i < n; i++)
		a->args[a->nargs++] = xstrdup(w[i]);
}

/* The end of a block: what it lacks. */
static void
rf_close(struct rf_parse *p)
{
	int	line = p->line;

	if (p->rule != NULL) {
		p->line = p->rule->line;
		if (!p->has_when)
			rf_error(p, "rule '%s' has no trigger; add 'when "
			    "message' (or created, label, no-reply, "
			    "window-closing)", p->rule->name);
		if (p->rule->nactions == 0)
			rf_error(p, "rule '%s' does nothing; add an action "
			    "such as 'then label NAME'", p->rule->name);
	}
	if (p->macro != NULL && p->macro->nactions == 0) {
		p->line = p->macro->line;
		rf_error(p, "macro '%s' does nothing; add an action such as "
		    "'then resolve'", p->macro->name);
	}
	p->line = line;
	p->rule = NULL;
	p->macro = NULL;
	p->has_when = 0;
}

static void
rf_block(struct rf_parse *p, char **w, size_t n)
{
	struct rulefile	*rf = p->rf;
	size_t		 i;
	int		 is_rule = strcmp(w[0], "rule") == 0;

	rf_close(p);
	if (n != 2 || !rf_name_valid(w[1])) {
		rf_error(p, "write '%s NAME', NAME of letters, digits, '-', "
		    "'_' or '.' (at most %d)", w[0], RF_NAME_MAX);
		return;
	}
	if (is_rule) {
		for (i = 0; i < rf->nrules; i++) {
			if (strcmp(rf->rules[i].name, w[1]) == 0) {
				rf_error(p, "a second rule '%s' (the first is "
				    "on line %d); give it another name", w[1],
				    rf->rules[i].line);
				return;
			}
		}
		if (rf->nrules == RF_RULES_MAX) {
			rf_error(p, "more than %d rules in one file",
			    RF_RULES_MAX);
			return;
		}
		p->rule = &rf->rules[rf->nrules++];
		p->rule->name = xstrdup(w[1]);
		p->rule->line = p->line;
		return;
	}
	for (i = 0; i < rf->nmacros; i++) {
		if (strcmp(rf->macros[i].name, w[1]) == 0) {
			rf_error(p, "a second macro '%s' (the first is on line "
			    "%d); give it another name", w[1],
			    rf->macros[i].line);
			return;
		}
	}
	if (rf->nmacros == RF_MACROS_MAX) {
		rf_error(p, "more than %d macros in one file", RF_MACROS_MAX);
		return;
	}
	p->macro = &rf->macros[rf->nmacros++];
	p->macro->name = xstrdup(w[1]);
	p->macro->line = p->line;
}

static void
rf_line(struct rf_parse *p, const char *line)
{
	char	*w[RF_ARGS_MAX + 3];
	size_t	 n;

	if (rf_split(p, line, w, sizeof w / sizeof w[0], &n) != 0) {
		/* A bad line inside a block: the block is still its own. */
		return;
	}
	if (n == 0)
		return;
	if (strcmp(w[0], "rule") == 0 || strcmp(w[0], "macro") == 0)
		rf_block(p, w, n);
	else if (p->rule == NULL && p->macro == NULL)
		rf_error(p, "'%s' outside a rule or macro; start one with "
		    "'rule NAME' or 'macro NAME'", w[0]);
	else if (strcmp(w[0], "then") == 0)
		rf_action(p, w, n);
	else if (p->macro != NULL)
		rf_error(p, "a macro only has 'then' lines (its actions), not "
		    "'%s'", w[0]);
	else if (strcmp(w[0], "when") == 0)
		rf_when(p, w, n);
	else if (strcmp(w[0], "if") == 0 || strcmp(w[0], "unless") == 0)
		rf_cond(p, w, n, strcmp(w[0], "unless") == 0);
	else
		rf_error(p, "unknown line '%s'; a rule's lines start with "
		    "when, if, unless or then", w[0]);
	rf_words_free(w, n);
}

int
rulefile_parse(const char *path, const char *text, size_t len,
    struct rulefile **out, json_t **errors)
{
	struct rf_parse	 p;
	char		 line[RF_LINE_MAX + 1];
	const char	*s = text, *end = text + len, *nl;
	size_t		 ll;

	*out = NULL;
	memset(&p, 0, sizeof p);
	p.path = path;
	p.errors = json_array();
	p.rf = xcalloc(1, sizeof *p.rf);
	p.rf->path = xstrdup(path);
	p.rf->rules = xcalloc(RF_RULES_MAX, sizeof *p.rf->rules);
	p.rf->macros = xcalloc(RF_MACROS_MAX, sizeof *p.rf->macros);
	if (len > RF_FILE_MAX)
		rf_error(&p, "the file is larger than %d bytes; split it",
		    RF_FILE_MAX);
	while (s < end && len <= RF_FILE_MAX) {
		p.line++;
		nl = memchr(s, '\n', (size_t)(end - s));
		ll = (size_t)((nl != NULL ? nl : end) - s);
		if (ll > 0 && s[ll - 1] == '\r')
			ll--;
		if (ll > RF_LINE_MAX)
			rf_error(&p, "a line longer than %d bytes; break it "
			    "into several conditions", RF_LINE_MAX);
		else if (memchr(s, '\0', ll) != NULL)
			rf_error(&p, "a NUL byte; the file must be text");
		else {
			memcpy(line, s, ll);
			line[ll] = '\0';
			rf_line(&p, line);
		}
		s = nl != NULL ? nl + 1 : end;
	}
	rf_close(&p);
	if (json_array_size(p.errors) > 0) {
		rulefile_free(p.rf);
		*errors = p.errors;
		return (-1);
	}
	json_decref(p.errors);
	*errors = NULL;
	*out = p.rf;
	return (0);
}

int
rulefile_load(const char *path, struct rulefile **rf, json_t **errors)
{
	struct stat	 sb;
	char		*text;
	ssize_t		 r;
	size_t		 got = 0;
	int		 fd, rc;

	*rf = NULL;
	/* Not a secret: a link to a checkout of the operator's git is fine. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		*errors = json_array();
		json_array_append_new(*errors, json_sprintf("%s: cannot open: "
		    "%s; check [automation] rules", path, strerror(errno)));
		return (-1);
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > RF_FILE_MAX) {
		close(fd);
		*errors = json_array();
		json_array_append_new(*errors, json_sprintf("%s: not a regular "
		    "file of at most %d bytes", path, RF_FILE_MAX));
		return (-1);
	}
	text = xmalloc((size_t)sb.st_size + 1);
	while (got < (size_t)sb.st_size && (r = read(fd, text + got,
	    (size_t)sb.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	rc = rulefile_parse(path, text, got, rf, errors);
	free(text);
	return (rc);
}

static void
rf_args_free(char **args, size_t n)
{
	rf_words_free(args, n);
}

void
rulefile_free(struct rulefile *rf)
{
	size_t	i, j;

	if (rf == NULL)
		return;
	for (i = 0; i < rf->nrules; i++) {
		free(rf->rules[i].name);
		free(rf->rules[i].trigger_label);
		for (j = 0; j < rf->rules[i].nconds; j++)
			rf_args_free(rf->rules[i].conds[j].args,
			    rf->rules[i].conds[j].nargs);
		for (j = 0; j < rf->rules[i].nactions; j++)
			rf_args_free(rf->rules[i].actions[j].args,
			    rf->rules[i].actions[j].nargs);
	}
	for (i = 0; i < rf->nmacros; i++) {
		free(rf->macros[i].name);
		for (j = 0; j < rf->macros[i].nactions; j++)
			rf_args_free(rf->macros[i].actions[j].args,
			    rf->macros[i].actions[j].nargs);
	}
	free(rf->rules);
	free(rf->macros);
	free(rf->path);
	free(rf);
}

/* A letter or digit for word boundaries: any byte of a UTF-8 sequence. */
static int
rf_wordch(unsigned char c)
{
	return (isalnum(c) || c >= 0x80);
}

const char *
rulefile_words_match(const char *text, char *const *words, size_t nwords)
{
	char		*ft, fw[RF_WORD_MAX * 2 + 1];
	const char	*at, *found = NULL;
	size_t		 i, tsz, wl;

	if (text == NULL)
		return (NULL);
	/* Folding may grow a text (ß to ss): room for twice it. */
	tsz = strlen(text) * 2 + 1;
	ft = xmalloc(tsz);
	match_fold(text, ft, tsz);
	for (i = 0; i < nwords && found == NULL; i++) {
		match_fold(words[i], fw, sizeof fw);
		if ((wl = strlen(fw)) == 0)
			continue;
		for (at = ft; (at = strstr(at, fw)) != NULL; at++) {
			if ((at == ft || !rf_wordch((unsigned char)at[-1])) &&
			    !rf_wordch((unsigned char)at[wl])) {
				found = words[i];
				break;
			}
		}
	}
	free(ft);
	return (found);
}

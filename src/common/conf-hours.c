/*
 * [hours TEAM] sections; see conf-hours.h. A section's keys:
 *   timezone = Europe/Berlin		(required; the system's tz database)
 *   mon = 09:00-12:30,13:30-17:00	(mon .. sun; "closed"; a day not
 *   sat = closed			 named is closed)
 *   holidays = FILE [FILE ...]		(lines "YYYY-MM-DD name", # comments)
 *   lang = de				(language of away = / busy =)
 *   away = TEXT, away.en = TEXT, away_every = 12h
 *   busy = TEXT with {{wait}}, busy.en = ..., busy_when_waiting = 10,
 *   busy_every = 12h
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "canned.h"
#include "conf.h"
#include "conf-hours.h"
#include "lang.h"
#include "when.h"
#include "xmalloc.h"

#define HOURS_LINE_MAX	256		/* bytes in a holiday file's line */
#define HOURS_FILE_MAX	(256 * 1024)	/* bytes of a holiday file */
#define HOURS_DEFAULT_EVERY	(12 * 3600)

static const char *const hours_days[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

static int
hours_has_control(const char *v)
{
	for (; *v != '\0'; v++) {
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return (1);
	}
	return (0);
}

int
conf_hours_tz_valid(const char *name)
{
	const char	*dir;
	char		 path[512], magic[4];
	struct stat	 st;
	size_t		 i;
	int		 fd, ok;

	if (name == NULL || name[0] == '\0' || strlen(name) > 64 ||
	    name[0] == '/' || strstr(name, "..") != NULL)
		return (0);
	for (i = 0; name[i] != '\0'; i++) {
		if (!(name[i] >= 'a' && name[i] <= 'z') &&
		    !(name[i] >= 'A' && name[i] <= 'Z') &&
		    !(name[i] >= '0' && name[i] <= '9') &&
		    strchr("/_+-", name[i]) == NULL)
			return (0);
	}
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, name) >=
	    sizeof path)
		return (0);
	if ((fd = open(path, O_RDONLY|O_CLOEXEC|O_NONBLOCK)) == -1)
		return (0);
	ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, 4) == 4 && memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return (ok);
}

const struct conf_hours *
conf_hours_find(const struct conf *conf, const char *team)
{
	const struct conf_hours	*dflt = NULL;
	size_t			 i;

	for (i = 0; i < conf->nhours; i++) {
		if (conf->hours[i].team == NULL)
			dflt = &conf->hours[i];
		else if (team != NULL && strcmp(conf->hours[i].team, team) == 0)
			return (&conf->hours[i]);
	}
	return (dflt);
}

const char *
conf_hours_text(const struct conf_text *t, size_t n, const char *lang)
{
	const char	*langs[CONF_HOURS_TEXTS] = { NULL };
	size_t		 i;
	int		 k;

	for (i = 0; i < n && i < CONF_HOURS_TEXTS; i++)
		langs[i] = t[i].lang;
	if ((k = lang_pick(langs, i, lang)) >= 0)
		return (t[k].text);
	for (i = 0; i < n; i++) {
		if (t[i].lang == NULL)
			return (t[i].text);
	}
	return (NULL);
}

/* "HH:MM" (00:00 .. 24:00) as minutes, or -1. */
static int
hours_hhmm(const char *s, size_t len)
{
	int	h, m;

	if (len != 5 || s[2] != ':' || strspn(s, "0123456789") != 2 ||
	    strspn(s + 3, "0123456789") < 2)
		return (-1);
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && m != 0))
		return (-1);
	return (h * 60 + m);
}

static int
hours_span_cmp(const void *a, const void *b)
{
	const struct conf_span	*x = a, *y = b;

	return (x->from < y->from ? -1 : x->from > y->from);
}

/* "closed" or "09:00-12:30,13:30-17:00": 0, or -1 and *why. */
static int
hours_day(struct conf_hours *h, int wday, const char *v, const char **why)
{
	struct conf_span	 sp[CONF_HOURS_SPANS];
	const char		*p = v, *dash, *end;
	int			 n = 0, i;

	if (strcmp(v, "closed") == 0) {
		h->nspans[wday] = 0;
		h->days |= 1 << wday;
		return (0);
	}
	for (;;) {
		while (*p == ' ')
			p++;
		end = p + strcspn(p, ",");
		dash = memchr(p, '-', (size_t)(end - p));
		while (end > p && end[-1] == ' ')
			end--;
		if (n == CONF_HOURS_SPANS) {
			*why = "has more than 8 spans";
			return (-1);
		}
		if (dash == NULL || (sp[n].from = hours_hhmm(p,
		    (size_t)(dash - p))) == -1 || (sp[n].to = hours_hhmm(
		    dash + 1, (size_t)(end - dash - 1))) == -1) {
			*why = "expects 'closed' or spans 'HH:MM-HH:MM' "
			    "separated by commas (e.g. 09:00-12:30,13:30-17:00)";
			return (-1);
		}
		if (sp[n].from >= sp[n].to) {
			*why = "has a span that ends before it starts (a span "
			    "past midnight is two: 22:00-24:00 and the next "
			    "day's 00:00-02:00)";
			return (-1);
		}
		n++;
		p = end + strspn(end, " ");
		if (*p == '\0')
			break;
		p++;	/* the comma */
	}
	qsort(sp, (size_t)n, sizeof sp[0], hours_span_cmp);
	for (i = 1; i < n; i++) {
		if (sp[i].from < sp[i - 1].to) {
			*why = "has spans that overlap";
			return (-1);
		}
	}
	memcpy(h->spans[wday], sp, sizeof sp);
	h->nspans[wday] = n;
	h->days |= 1 << wday;
	return (0);
}

/* A real date: 1 if y-m-d exists. */
static int
hours_date_ok(int y, int m, int d)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31 };
	int	 leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1)
		return (0);
	return (d <= mdays[m - 1] + (m == 2 && leap));
}

/* n digits (checked by the caller) as a number. */
static int
hours_num(const char *s, int n)
{
	int	v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return (v);
}

static int
hours_holiday_cmp(const void *a, const void *b)
{
	const struct conf_holiday	*x = a, *y = b;

	return (x->date < y->date ? -1 : x->date > y->date);
}

/* Reads one holiday file into h: 0, or -1 and *cause (allocated). */
static int
hours_holiday_file(struct conf_hours *h, const char *path, char **cause)
{
	FILE		*f;
	char		 line[HOURS_LINE_MAX + 2], *p, *e;
	struct stat	 st;
	int		 lineno = 0, y, m, d, rc = -1;
	size_t		 len;

	if ((f = fopen(path, "re")) == NULL) {
		*cause = xasprintf("cannot open holiday file '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > HOURS_FILE_MAX) {
		*cause = xasprintf("holiday file '%s' is not a regular file of "
		    "at most %d bytes", path, HOURS_FILE_MAX);
		goto out;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		len = strlen(line);
		if (len > HOURS_LINE_MAX && line[len - 1] != '\n') {
			*cause = xasprintf("%s:%d: line longer than %d bytes",
			    path, lineno, HOURS_LINE_MAX);
			goto out;
		}
		line[strcspn(line, "\r\n")] = '\0';
		p = line + strspn(line, " \t");
		if (*p == '#' || *p == '\0')
			continue;
		if (strlen(p) < 10 || strspn(p, "0123456789") != 4 ||
		    p[4] != '-' || strspn(p + 5, "0123456789") != 2 ||
		    p[7] != '-' || strspn(p + 8, "0123456789") != 2 ||
		    (p[10] != '\0' && p[10] != ' ' && p[10] != '\t')) {
			*cause = xasprintf("%s:%d: expects 'YYYY-MM-DD name' "
			    "(or a # comment)", path, lineno);
			goto out;
		}
		y = hours_num(p, 4);
		m = hours_num(p + 5, 2);
		d = hours_num(p + 8, 2);
		if (!hours_date_ok(y, m, d)) {
			*cause = xasprintf("%s:%d: %.10s is not a date",
			    path, lineno, p);
			goto out;
		}
		p += 10;
		p += strspn(p, " \t");
		for (e = p + strlen(p); e > p && (e[-1] == ' ' ||
		    e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (hours_has_control(p)) {
			*cause = xasprintf("%s:%d: the name has control "
			    "characters", path, lineno);
			goto out;
		}
		if (h->nholidays == CONF_HOURS_HOLIDAYS) {
			*cause = xasprintf("%s:%d: more than %d holidays in "
			    "one [hours] section", path, lineno,
			    CONF_HOURS_HOLIDAYS);
			goto out;
		}
		h->holidays = xrealloc(h->holidays, (h->nholidays + 1) *
		    sizeof *h->holidays);
		h->holidays[h->nholidays].date = y * 10000 + m * 100 + d;
		h->holidays[h->nholidays].name = xstrdup(p);
		h->nholidays++;
	}
	if (ferror(f)) {
		*cause = xasprintf("cannot read holiday file '%s'", path);
		goto out;
	}
	qsort(h->holidays, h->nholidays, sizeof *h->holidays,
	    hours_holiday_cmp);
	rc = 0;
out:
	fclose(f);
	return (rc);
}

/*
 * "holidays = a.txt b.txt": each file, relative to the config's dir,
 * noted with its line for conf_hours_finish. 0, or -1 and *why.
 */
static int
hours_holidays(struct conf_hours *h, const char *dir, const char *v,
    int lineno, const char **why)
{
	char	*copy, *w, *save = NULL;
	int	 rc = 0;

	copy = xstrdup(v);
	for (w = strtok_r(copy, " ,\t", &save); w != NULL;
	    w = strtok_r(NULL, " ,\t", &save)) {
		if (h->nholiday_files == CONF_HOURS_FILES) {
			*why = "names more than 8 files";
			rc = -1;
			break;
		}
		h->holiday_lines[h->nholiday_files] = lineno;
		h->holiday_files[h->nholiday_files++] = *w == '/' ||
		    dir == NULL ? xstrdup(w) : xasprintf("%s/%s", dir, w);
	}
	free(copy);
	return (rc);
}

/* away = / away.LANG = / busy = ...: 0, or -1 and *why. */
static int
hours_text(struct conf_text *t, size_t *n, const char *lang, const char *v,
    int busy, const char **why)
{
	char	*probe, *out, *cause = NULL;
	json_t	*missing = NULL;
	size_t	 i;

	if (lang != NULL && !lang_valid(lang)) {
		*why = "has a bad language after the dot (e.g. away.de)";
		return (-1);
	}
	if (*v == '\0' || strlen(v) > CONF_HOURS_TEXT_MAX) {
		*why = "expects a text of 1 to 1024 bytes";
		return (-1);
	}
	if (!busy && (strstr(v, "{{wait}}") != NULL ||
	    strstr(v, "{{ wait }}") != NULL)) {
		*why = "uses {{wait}}, which only busy texts have";
		return (-1);
	}
	/* The canned-reply syntax and variables, {{wait}} aside. */
	probe = conf_hours_wait(v, "1 hour");
	out = canned_render(probe, NULL, NULL, &missing, &cause);
	free(probe);
	json_decref(missing);
	free(out);
	if (out == NULL) {
		free(cause);
		*why = "is not a valid text: variables are {{contact.name}}, "
		    "{{contact.first_name}}, {{business.name}}, "
		    "{{conversation.id}} (and {{wait}} in busy texts)";
		return (-1);
	}
	for (i = 0; i < *n; i++) {
		if ((t[i].lang == NULL && lang == NULL) || (t[i].lang != NULL &&
		    lang != NULL && strcasecmp(t[i].lang, lang) == 0))
			break;
	}
	if (i == *n) {
		if (*n == CONF_HOURS_TEXTS) {
			*why = "has too many languages (at most 16)";
			return (-1);
		}
		t[i].lang = lang != NULL ? xstrdup(lang) : NULL;
		t[i].text = NULL;
		(*n)++;
	}
	free(t[i].text);
	t[i].text = xstrdup(v);
	return (0);
}

char *
conf_hours_wait(const char *text, const char *wait)
{
	static const char *const pats[] = { "{{wait}}", "{{ wait }}" };
	char	*out = xstrdup(text), *p, *n;
	size_t	 i;

	for (i = 0; i < 2; i++) {
		while ((p = strstr(out, pats[i])) != NULL) {
			*p = '\0';
			n = xasprintf("%s%s%s", out, wait, p + strlen(pats[i]));
			free(out);
			out = n;
		}
	}
	return (out);
}

static struct conf_hours *
hours_section(struct conf *conf, const char *team, int section_line,
    const char *section, char **cause)
{
	struct conf_hours	*h;
	size_t			 i;

	for (i = 0; i < conf->nhours; i++) {
		h = &conf->hours[i];
		if ((h->team == NULL) != (team == NULL) ||
		    (team != NULL && strcmp(h->team, team) != 0))
			continue;
		if (h->line != section_line) {
			*cause = xasprintf("%s:%d: [%s] is given twice (first "
			    "at line %d); each team has one [hours] section",
			    conf->path, section_line, section, h->line);
			return (NULL);
		}
		return (h);
	}
	if (conf->nhours == CONF_HOURS_MAX) {
		*cause = xasprintf("%s:%d: at most %d [hours] sections",
		    conf->path, section_line, CONF_HOURS_MAX);
		return (NULL);
	}
	conf->hours = xrealloc(conf->hours, (conf->nhours + 1) *
	    sizeof *conf->hours);
	h = &conf->hours[conf->nhours++];
	memset(h, 0, sizeof *h);
	h->team = team != NULL ? xstrdup(team) : NULL;
	h->line = section_line;
	h->away_every = HOURS_DEFAULT_EVERY;
	h->busy_every = HOURS_DEFAULT_EVERY;
	return (h);
}

int
conf_hours_key(struct conf *conf, const char *dir, int lineno,
    int section_line, const char *section, const char *name,
    const char *value, char **cause)
{
	struct conf_hours	*h;
	const char		*team = NULL, *why = NULL, *lang;
	int64_t			 secs;
	unsigned long		 n;
	char			*end;
	int			 i;

	if (strncmp(section, "hours", 5) != 0 || (section[5] != '\0' &&
	    section[5] != ' ' && section[5] != '.'))
		return (-1);
	if (section[5] != '\0' && strcmp(section + 6, "default") != 0)
		team = section + 6;
	if (team != NULL && (*team == '\0' || strlen(team) > 64 ||
	    hours_has_control(team))) {
		*cause = xasprintf("%s:%d: [%s]: a team name has 1 to 64 "
		    "bytes", conf->path, lineno, section);
		return (0);
	}
	if ((h = hours_section(conf, team, section_line, section,
	    cause)) == NULL)
		return (0);

	for (i = 0; i < 7; i++) {
		if (strcmp(name, hours_days[i]) == 0)
			break;
	}
	if (i < 7) {
		if (hours_day(h, i, value, &why) != 0)
			goto bad;
	} else if (strcmp(name, "timezone") == 0) {
		if (!conf_hours_tz_valid(value)) {
			*cause = xasprintf("%s:%d: [%s] timezone '%.64s' is not "
			    "a time zone of the system's database (e.g. "
			    "Europe/Berlin; see /usr/share/zoneinfo)",
			    conf->path, lineno, section, value);
			return (0);
		}
		free(h->tz);
		h->tz = xstrdup(value);
	} else if (strcmp(name, "holidays") == 0) {
		if (*value == '\0') {
			why = "expects one or more file names";
			goto bad;
		}
		if (hours_holidays(h, dir, value, lineno, &why) != 0)
			goto bad;
	} else if (strcmp(name, "lang") == 0) {
		if (!lang_valid(value)) {
			why = "expects a language code such as de or en_US";
			goto bad;
		}
		free(h->lang);
		h->lang = xstrdup(value);
	} else if (strncmp(name, "away", 4) == 0 && (name[4] == '\0' ||
	    name[4] == '.')) {
		lang = name[4] == '.' ? name + 5 : NULL;
		if (hours_text(h->away, &h->naway, lang, value, 0, &why) != 0)
			goto bad;
	} else if (strncmp(name, "busy", 4) == 0 && (name[4] == '\0' ||
	    name[4] == '.')) {
		lang = name[4] == '.' ? name + 5 : NULL;
		if (hours_text(h->busy, &h->nbusy, lang, value, 1, &why) != 0)
			goto bad;
	} else if (strcmp(name, "away_every") == 0 ||
	    strcmp(name, "busy_every") == 0) {
		if (when_duration(value, &secs, &why) != 0) {
			why = "expects a duration such as 12h, 30m or 1d";
			goto bad;
		}
		if (name[0] == 'a')
			h->away_every = secs;
		else
			h->busy_every = secs;
	} else if (strcmp(name, "busy_when_waiting") == 0) {
		errno = 0;
		n = strtoul(value, &end, 10);
		if (*value < '0' || *value > '9' || *end != '\0' ||
		    errno != 0 || n > 100000) {
			why = "expects a number of waiting conversations "
			    "from 0 (off) to 100000";
			goto bad;
		}
		h->busy_when_waiting = (uint32_t)n;
	} else
		fprintf(stderr, "warning: %s:%d: unknown key '%s' in [%s]\n",
		    conf->path, lineno, name, section);
	return (1);
bad:
	*cause = xasprintf("%s:%d: [%s] %s %s", conf->path, lineno, section,
	    name, why);
	return (0);
}

int
conf_hours_finish(struct conf *conf, int load_files, char **cause)
{
	struct conf_hours	*h;
	char			*sub = NULL;
	size_t			 i, j;

	for (i = 0; i < conf->nhours; i++) {
		h = &conf->hours[i];
		for (j = 0; load_files && j < h->nholiday_files; j++) {
			if (hours_holiday_file(h, h->holiday_files[j],
			    &sub) != 0) {
				*cause = xasprintf("%s:%d: [hours%s%s] "
				    "holidays: %s", conf->path,
				    h->holiday_lines[j], h->team != NULL ?
				    " " : "", h->team != NULL ? h->team : "",
				    sub);
				free(sub);
				return (-1);
			}
		}
		if (h->tz == NULL) {
			*cause = xasprintf("%s:%d: [hours%s%s] needs timezone "
			    "(e.g. timezone = Europe/Berlin)", conf->path,
			    h->line, h->team != NULL ? " " : "",
			    h->team != NULL ? h->team : "");
			return (-1);
		}
		if (h->nbusy > 0 && h->busy_when_waiting == 0) {
			*cause = xasprintf("%s:%d: [hours%s%s] has a busy text "
			    "but no busy_when_waiting (how many waiting "
			    "conversations make the team busy)", conf->path,
			    h->line, h->team != NULL ? " " : "",
			    h->team != NULL ? h->team : "");
			return (-1);
		}
	}
	return (0);
}

static void
hours_texts_free(struct conf_text *t, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(t[i].lang);
		free(t[i].text);
	}
}

void
conf_hours_release(struct conf *conf)
{
	struct conf_hours	*h;
	size_t			 i, j;

	for (i = 0; i < conf->nhours; i++) {
		h = &conf->hours[i];
		free(h->team);
		free(h->tz);
		free(h->lang);
		for (j = 0; j < h->nholidays; j++)
			free(h->holidays[j].name);
		free(h->holidays);
		for (j = 0; j < h->nholiday_files; j++)
			free(h->holiday_files[j]);
		hours_texts_free(h->away, h->naway);
		hours_texts_free(h->busy, h->nbusy);
	}
	free(conf->hours);
	conf->hours = NULL;
	conf->nhours = 0;
}

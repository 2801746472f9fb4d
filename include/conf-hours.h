/*
 * Business hours and auto-replies in the configuration file (issue 16):
 * one [hours TEAM] section per team ([hours] or [hours default] for every
 * team without its own), parsed here so conf.c only hands the keys over.
 * Everything is checked while the file is read (time zone, every day's
 * spans, each holiday file's lines, the texts' variables), so a bad
 * section refuses the whole file with "FILE:LINE: ...". What the hours
 * mean at a given time is src/daemon/hours.c's.
 */
#ifndef CONF_HOURS_H
#define CONF_HOURS_H

#include <stddef.h>
#include <stdint.h>

struct conf;

#define CONF_HOURS_MAX		64	/* [hours X] sections */
#define CONF_HOURS_SPANS	8	/* opening spans in one day */
#define CONF_HOURS_HOLIDAYS	2048	/* holidays of one section */
#define CONF_HOURS_TEXTS	16	/* languages of one text */
#define CONF_HOURS_TEXT_MAX	1024	/* bytes of one auto-reply text */
#define CONF_HOURS_FILES	8	/* holiday files of one section */

struct conf_span {
	int	 from, to;		/* minutes after midnight, from < to */
};

struct conf_holiday {
	int32_t	 date;			/* YYYYMMDD, local to the zone */
	char	*name;			/* "" if the file gives none */
};

struct conf_text {
	char	*lang;			/* NULL: the section's default */
	char	*text;
};

struct conf_hours {
	char	*team;			/* NULL: the default section */
	char	*tz;			/* "Europe/Berlin" */
	int	 line;			/* where the section starts */
	int	 days;			/* bit per tm_wday given */
	struct conf_span spans[7][CONF_HOURS_SPANS];	/* by tm_wday */
	int	 nspans[7];
	struct conf_holiday *holidays;	/* sorted by date */
	size_t	 nholidays;
	/* holidays = files, read by conf_hours_finish (the daemon only) */
	char	*holiday_files[CONF_HOURS_FILES];
	int	 holiday_lines[CONF_HOURS_FILES];
	size_t	 nholiday_files;

	/* auto-replies (point 3) */
	char	*lang;			/* language of the default texts */
	struct conf_text away[CONF_HOURS_TEXTS];
	size_t	 naway;
	int64_t	 away_every;		/* seconds between two, per conv */
	struct conf_text busy[CONF_HOURS_TEXTS];
	size_t	 nbusy;
	uint32_t busy_when_waiting;	/* 0: no busy message */
	int64_t	 busy_every;
};

/*
 * A key of an [hours], [hours default] or [hours TEAM] section: -1 when
 * the section is not one; 1 taken; 0 refused with *cause ("FILE:LINE:
 * ...", allocated). dir resolves relative holiday file names.
 */
int	 conf_hours_key(struct conf *, const char *dir, int lineno,
	    int section_line, const char *section, const char *name,
	    const char *value, char **cause);
/*
 * After the file: every section has its time zone; with load_files (the
 * daemon; agents' clients need no holidays and may not be able to read
 * them) the holiday files are read. 0, or -1 and *cause.
 */
int	 conf_hours_finish(struct conf *, int load_files, char **cause);
void	 conf_hours_release(struct conf *);
/* The section for team (NULL, "": the default), else the default, else
 * NULL (no hours: always open). */
const struct conf_hours *conf_hours_find(const struct conf *,
	    const char *team);
/* Whether name is a time zone of the system's database (TZDIR). */
int	 conf_hours_tz_valid(const char *name);
/* The text for lang (NULL: the default) of a list: exact, then the same
 * language ("de" for "de_DE"), then the default; NULL if none. */
const char *conf_hours_text(const struct conf_text *, size_t n,
	    const char *lang);
/* text with each {{wait}} replaced by wait (allocated). */
char	*conf_hours_wait(const char *text, const char *wait);

#endif

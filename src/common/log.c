/*
 * One place that writes log lines, so their format and level are uniform:
 * "2026-05-04T10:00:00.123Z prog level: text". When stderr is systemd's
 * journal (JOURNAL_STREAM names it), lines carry the syslog priority
 * instead ("<6>prog info: text"): the journal stamps the time itself and
 * filters by priority (journalctl -p warning).
 */
#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

static const char	*log_prog = "support-inbox";
static enum log_level	 log_max = LOG_INFO;
static int		 log_journal;	/* stderr is the journal's stream */

/* Whether stderr is the stream systemd named in JOURNAL_STREAM. */
static int
log_is_journal(void)
{
	const char	*js = getenv("JOURNAL_STREAM");
	struct stat	 sb;
	uintmax_t	 dev, ino;
	char		*end;

	if (js == NULL)
		return (0);
	errno = 0;
	dev = strtoumax(js, &end, 10);
	if (errno != 0 || end == js || *end != ':')
		return (0);
	js = end + 1;
	ino = strtoumax(js, &end, 10);
	if (errno != 0 || end == js || *end != '\0')
		return (0);
	if (fstat(STDERR_FILENO, &sb) != 0)
		return (0);
	return ((uintmax_t)sb.st_dev == dev && (uintmax_t)sb.st_ino == ino);
}

void
log_init(const char *prog, enum log_level level)
{
	log_prog = prog;
	log_max = level;
	log_journal = log_is_journal();
}

void
log_set_level(enum log_level level)
{
	log_max = level;
}

const char *
log_level_name(enum log_level level)
{
	static const char *names[] = { "error", "warn", "info", "debug" };

	if ((unsigned)level >= sizeof names / sizeof names[0])
		return ("?");
	return (names[level]);
}

/*
 * The file takes stderr's place (dup2), so whatever else writes to stderr
 * (libevent, a sanitizer's report) lands there too. Opened anew each time:
 * after logrotate moved the old one away, a new one is created.
 */
int
log_open(const char *path, char **cause)
{
	int	fd;

	fd = open(path, O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC|O_NOFOLLOW|
	    O_NOCTTY, 0600);
	if (fd < 0) {
		*cause = xasprintf("cannot open log file '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	fflush(stderr);
	if (fd != STDERR_FILENO) {
		if (dup2(fd, STDERR_FILENO) < 0) {
			*cause = xasprintf("cannot use log file '%s': %s", path,
			    strerror(errno));
			close(fd);
			return (-1);
		}
		close(fd);
	}
	log_journal = 0;	/* a file wants its time stamps */
	return (0);
}

static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	static const char *tags[] = { "error", "warn", "info", "debug" };
	static const int prio[] = { 3, 4, 6, 7 };	/* syslog's */
	struct timespec	ts;
	struct tm	tm;
	char		when[32];

	if (level > log_max)
		return;
	if (log_journal) {
		fprintf(stderr, "<%d>%s %s: ", prio[level], log_prog,
		    tags[level]);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s %s: ", when, ts.tv_nsec / 1000000,
	    log_prog, tags[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FN(name, level)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list	ap;					\
	va_start(ap, fmt);				\
	log_vwrite(level, fmt, ap);			\
	va_end(ap);					\
}
LOG_FN(log_error, LOG_ERROR)
LOG_FN(log_warn, LOG_WARN)
LOG_FN(log_info, LOG_INFO)
LOG_FN(log_debug, LOG_DEBUG)

/* One place that writes log lines, so their format and level are uniform. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "xmalloc.h"

static const char	*log_prog = "support-inbox";
static enum log_level	 log_max = LOG_INFO;

void
log_init(const char *prog, enum log_level level)
{
	log_prog = prog;
	log_max = level;
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
	return (0);
}

static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	static const char *tags[] = { "error", "warn", "info", "debug" };
	struct timespec	ts;
	struct tm	tm;
	char		when[32];

	if (level > log_max)
		return;
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

/*
 * The [hook NAME] sections of the configuration file; see conf-hook.h.
 * Only paths and URLs live here: the secret and the card template are read
 * by conf_hook_finish (the daemon) and never quoted in a message.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "conf-hook.h"
#include "when.h"
#include "xmalloc.h"

static const char *const conf_hook_names[] = {
#define X(e, s) s,
	CONF_HOOK_EVENTS
#undef X
};

static const char *const conf_hook_includes[] = { "ids", "masked", "names",
    "text" };

const char *
conf_hook_event_name(int e)
{
	if (e < 0 || e >= CONF_HOOK_NEVENTS)
		return (NULL);
	return (conf_hook_names[e]);
}

int
conf_hook_event_from(const char *s)
{
	int	i;

	for (i = 0; i < CONF_HOOK_NEVENTS; i++)
		if (strcmp(conf_hook_names[i], s) == 0)
			return (i);
	return (-1);
}

const char *
conf_hook_include_name(int i)
{
	if (i < 0 || i > CONF_HOOK_TEXT)
		return ("ids");
	return (conf_hook_includes[i]);
}

const struct conf_hook *
conf_hook_by_name(const struct conf *conf, const char *name)
{
	size_t	i;

	for (i = 0; i < conf->nhooks; i++)
		if (strcmp(conf->hooks[i].name, name) == 0)
			return (&conf->hooks[i]);
	return (NULL);
}

static int
conf_hook_name_valid(const char *s)
{
	size_t	n = strspn(s, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

	return (n > 0 && n <= CONF_HOOK_NAME_MAX && s[n] == '\0');
}

static struct conf_hook *
conf_hook_section(struct conf *conf, const char *name, int lineno,
    char **cause)
{
	struct conf_hook	*h;
	size_t			 i;

	for (i = 0; i < conf->nhooks; i++)
		if (strcmp(conf->hooks[i].name, name) == 0)
			return (&conf->hooks[i]);
	if (conf->nhooks == CONF_HOOKS_MAX) {
		*cause = xasprintf("%s:%d: at most %d [hook] sections",
		    conf->path, lineno, CONF_HOOKS_MAX);
		return (NULL);
	}
	conf->hooks = xrealloc(conf->hooks, (conf->nhooks + 1) *
	    sizeof *conf->hooks);
	h = &conf->hooks[conf->nhooks++];
	memset(h, 0, sizeof *h);
	snprintf(h->name, sizeof h->name, "%s", name);
	h->include = CONF_HOOK_IDS;
	h->format = CONF_HOOK_JSON;
	h->timeout = 10;
	h->max_attempts = 8;
	h->backoff = 10;
	h->backoff_max = 3600;
	h->line = lineno;
	return (h);
}

/*
 * https://, or http:// to the loopback addresses (a test's receiver, a
 * local relay): never customer data in clear over a network.
 */
static int
conf_hook_url_valid(const char *v)
{
	static const char *const local[] = { "http://127.0.0.1:",
	    "http://127.0.0.1/", "http://[::1]:", "http://[::1]/" };
	size_t	i;

	if (strlen(v) > CONF_HOOK_URL_MAX || conf_has_control(v) ||
	    strchr(v, ' ') != NULL)
		return (0);
	if (strncmp(v, "https://", 8) == 0 && v[8] != '\0' && v[8] != '/')
		return (1);
	for (i = 0; i < sizeof local / sizeof local[0]; i++)
		if (strncmp(v, local[i], strlen(local[i])) == 0)
			return (1);
	return (0);
}

static char *
conf_hook_path(const char *dir, const char *v)
{
	if (dir == NULL || *v == '/')
		return (xstrdup(v));
	return (xasprintf("%s/%s", dir, v));
}

static int
conf_hook_uint(const char *v, uint32_t min, uint32_t max, uint32_t *out)
{
	char		*end;
	unsigned long	 n;

	errno = 0;
	if (*v < '0' || *v > '9')
		return (-1);
	n = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < min || n > max)
		return (-1);
	*out = (uint32_t)n;
	return (0);
}

static int
conf_hook_events(struct conf_hook *h, const char *v, char **why)
{
	char	*copy, *w, *last = NULL;
	int	 e, rc = 0;

	h->events = 0;
	copy = xstrdup(v);
	for (w = strtok_r(copy, " ,\t", &last); w != NULL;
	    w = strtok_r(NULL, " ,\t", &last)) {
		if ((e = conf_hook_event_from(w)) < 0) {
			*why = xasprintf("unknown event '%.64s' (known: "
			    "conversation.new conversation.assigned "
			    "conversation.resolved message.failed sla.breached "
			    "survey.answered campaign.finished "
			    "conversation.waiting)", w);
			rc = -1;
			break;
		}
		h->events |= 1u << e;
	}
	free(copy);
	if (rc == 0 && h->events == 0) {
		*why = xstrdup("expects one or more event names");
		rc = -1;
	}
	return (rc);
}

static int
conf_hook_args(struct conf_hook *h, const char *v, char **why)
{
	char	*copy, *w, *last = NULL;
	size_t	 n = 0;

	for (n = 0; h->args[n] != NULL; n++) {
		free(h->args[n]);
		h->args[n] = NULL;
	}
	if (conf_has_control(v) || strlen(v) > 1024) {
		*why = xstrdup("expects words on one line (at most 1024 "
		    "bytes)");
		return (-1);
	}
	copy = xstrdup(v);
	n = 0;
	for (w = strtok_r(copy, " \t", &last); w != NULL;
	    w = strtok_r(NULL, " \t", &last)) {
		if (n == CONF_HOOK_ARGS_MAX) {
			*why = xasprintf("at most %d words", CONF_HOOK_ARGS_MAX);
			free(copy);
			return (-1);
		}
		h->args[n++] = xstrdup(w);
	}
	free(copy);
	return (0);
}

/* digest = DURATION (when.c's syntax) from 1m to 24h, or 0 for off. */
static int
conf_hook_digest(struct conf_hook *h, const char *v, char **why)
{
	const char	*e = NULL;
	int64_t		 secs;

	if (strcmp(v, "0") == 0) {
		h->digest = 0;
		return (0);
	}
	if (when_duration(v, &secs, &e) != 0 || secs < CONF_HOOK_DIGEST_MIN ||
	    secs > CONF_HOOK_DIGEST_MAX) {
		*why = xstrdup("expects a duration from 1m to 24h (\"5m\"), "
		    "or 0 for one request per event");
		return (-1);
	}
	h->digest = (uint32_t)secs;
	return (0);
}

int
conf_hook_key(struct conf *conf, const char *dir, const char *section,
    const char *name, const char *value, int lineno, char **cause)
{
	struct conf_hook	*h;
	const char		*hname;
	char			*why = NULL;
	uint32_t		 n;
	int			 e;

	if (strncmp(section, "hook ", 5) != 0 && strncmp(section, "hook.",
	    5) != 0)
		return (-1);
	hname = section + 5;
	if (!conf_hook_name_valid(hname)) {
		*cause = xasprintf("%s:%d: [%.80s]: a hook's name is 1 to %d "
		    "letters, digits, '_' or '-'", conf->path, lineno,
		    section, CONF_HOOK_NAME_MAX);
		return (0);
	}
	if ((h = conf_hook_section(conf, hname, lineno, cause)) == NULL)
		return (0);

	if (strcmp(name, "events") == 0) {
		if (conf_hook_events(h, value, &why) != 0)
			goto bad;
	} else if (strcmp(name, "url") == 0) {
		if (!conf_hook_url_valid(value)) {
			why = xstrdup("expects an https:// URL (http:// only "
			    "to 127.0.0.1 or [::1]) of at most 2048 bytes");
			goto bad;
		}
		free(h->url);
		h->url = xstrdup(value);
	} else if (strcmp(name, "program") == 0) {
		if (*value != '/' || strlen(value) > PATH_MAX ||
		    conf_has_control(value)) {
			why = xstrdup("expects an absolute path");
			goto bad;
		}
		free(h->program);
		h->program = xstrdup(value);
	} else if (strcmp(name, "args") == 0) {
		if (conf_hook_args(h, value, &why) != 0)
			goto bad;
	} else if (strcmp(name, "secret_file") == 0 ||
	    strcmp(name, "card") == 0 || strcmp(name, "cacert") == 0) {
		if (*value == '\0' || strlen(value) > PATH_MAX ||
		    conf_has_control(value)) {
			why = xstrdup("expects a file name");
			goto bad;
		}
		if (name[0] == 's') {
			free(h->secret_file);
			h->secret_file = conf_hook_path(dir, value);
		} else if (strcmp(name, "card") == 0) {
			free(h->card_file);
			h->card_file = conf_hook_path(dir, value);
		} else {
			free(h->cacert);
			h->cacert = conf_hook_path(dir, value);
		}
	} else if (strcmp(name, "include") == 0) {
		for (e = 0; e <= CONF_HOOK_TEXT; e++)
			if (strcmp(value, conf_hook_includes[e]) == 0)
				break;
		if (e > CONF_HOOK_TEXT) {
			why = xstrdup("expects ids, masked, names or text");
			goto bad;
		}
		h->include = e;
	} else if (strcmp(name, "format") == 0) {
		if (strcmp(value, "json") == 0)
			h->format = CONF_HOOK_JSON;
		else if (strcmp(value, "teams") == 0)
			h->format = CONF_HOOK_TEAMS;
		else {
			why = xstrdup("expects json or teams");
			goto bad;
		}
	} else if (strcmp(name, "waiting_minutes") == 0) {
		if (conf_hook_uint(value, 1, 7 * 24 * 60, &n) != 0) {
			why = xstrdup("expects minutes from 1 to 10080");
			goto bad;
		}
		h->waiting_minutes = n;
	} else if (strcmp(name, "timeout") == 0) {
		if (conf_hook_uint(value, 1, 300, &h->timeout) != 0) {
			why = xstrdup("expects seconds from 1 to 300");
			goto bad;
		}
	} else if (strcmp(name, "max_attempts") == 0) {
		if (conf_hook_uint(value, 1, 100, &h->max_attempts) != 0) {
			why = xstrdup("expects a number from 1 to 100");
			goto bad;
		}
	} else if (strcmp(name, "backoff") == 0) {
		if (conf_hook_uint(value, 1, 86400, &h->backoff) != 0) {
			why = xstrdup("expects seconds from 1 to 86400");
			goto bad;
		}
	} else if (strcmp(name, "backoff_max") == 0) {
		if (conf_hook_uint(value, 1, 7 * 86400, &h->backoff_max) != 0) {
			why = xstrdup("expects seconds from 1 to 604800");
			goto bad;
		}
	} else if (strcmp(name, "digest") == 0) {
		if (conf_hook_digest(h, value, &why) != 0)
			goto bad;
	} else
		fprintf(stderr, "warning: %s:%d: unknown key '%s' in [%s]\n",
		    conf->path, lineno, name, section);
	return (1);

bad:
	*cause = xasprintf("%s:%d: [%s] %s %s", conf->path, lineno, section,
	    name, why);
	free(why);
	return (0);
}

/* The card template: a regular file of at most CONF_HOOK_CARD_MAX bytes. */
static char *
conf_hook_read_card(const char *path, char **why)
{
	struct stat	 st;
	char		*buf;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		*why = xasprintf("cannot open '%s': %s", path,
		    strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > CONF_HOOK_CARD_MAX) {
		*why = xasprintf("'%s' is not a regular file of at most %d "
		    "bytes", path, CONF_HOOK_CARD_MAX);
		close(fd);
		return (NULL);
	}
	buf = xmalloc(CONF_HOOK_CARD_MAX + 1);
	while (len < CONF_HOOK_CARD_MAX && (n = read(fd, buf + len,
	    CONF_HOOK_CARD_MAX - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = '\0';
	if (strlen(buf) != len || len == 0) {
		*why = xasprintf("'%s' is empty or holds a NUL byte", path);
		free(buf);
		return (NULL);
	}
	return (buf);
}

int
conf_hook_finish(struct conf *conf, int load_secrets, char **cause)
{
	struct conf_hook	*h;
	char			*why = NULL;
	size_t			 i;

	for (i = 0; i < conf->nhooks; i++) {
		h = &conf->hooks[i];
		if (h->events == 0)
			why = xstrdup("needs events =");
		else if ((h->url == NULL) == (h->program == NULL))
			why = xstrdup("needs exactly one of url = and "
			    "program =");
		else if (h->url != NULL && h->secret_file == NULL)
			why = xstrdup("needs secret_file = (the HMAC key its "
			    "receiver checks signatures with)");
		else if (h->program != NULL && h->format == CONF_HOOK_TEAMS)
			why = xstrdup("format = teams needs url =");
		else if (h->program != NULL && h->digest != 0)
			why = xstrdup("digest = needs url = (a program gets "
			    "one delivery per run)");
		else if (h->format == CONF_HOOK_TEAMS && h->card_file == NULL)
			why = xstrdup("format = teams needs card = (a card "
			    "template; contrib/teams/card.json)");
		else if ((h->events & (1u << CONF_HOOK_CONV_WAITING)) &&
		    h->waiting_minutes == 0)
			why = xstrdup("conversation.waiting needs "
			    "waiting_minutes =");
		else if (h->backoff > h->backoff_max)
			why = xstrdup("backoff is more than backoff_max");
		if (why == NULL && load_secrets && h->secret_file != NULL &&
		    h->secret == NULL)
			h->secret = conf_read_secret_file(h->secret_file, &why);
		if (why == NULL && load_secrets && h->card_file != NULL &&
		    h->card == NULL)
			h->card = conf_hook_read_card(h->card_file, &why);
		if (why != NULL) {
			*cause = xasprintf("%s:%d: [hook %s] %s", conf->path,
			    h->line, h->name, why);
			free(why);
			return (-1);
		}
	}
	return (0);
}

void
conf_hook_free(struct conf *conf)
{
	struct conf_hook	*h;
	size_t			 i, j;

	for (i = 0; i < conf->nhooks; i++) {
		h = &conf->hooks[i];
		free(h->url);
		free(h->program);
		for (j = 0; h->args[j] != NULL; j++)
			free(h->args[j]);
		free(h->secret_file);
		if (h->secret != NULL) {
			explicit_bzero(h->secret, strlen(h->secret));
			free(h->secret);
		}
		free(h->card_file);
		free(h->card);
		free(h->cacert);
	}
	free(conf->hooks);
	conf->hooks = NULL;
	conf->nhooks = 0;
}

static int
conf_hook_str_same(const char *a, const char *b)
{
	return ((a == NULL && b == NULL) || (a != NULL && b != NULL &&
	    strcmp(a, b) == 0));
}

static int
conf_hook_same(const struct conf_hook *a, const struct conf_hook *b)
{
	size_t	i;

	if (strcmp(a->name, b->name) != 0 || a->events != b->events ||
	    a->include != b->include || a->format != b->format ||
	    a->waiting_minutes != b->waiting_minutes ||
	    a->timeout != b->timeout || a->max_attempts != b->max_attempts ||
	    a->backoff != b->backoff || a->backoff_max != b->backoff_max ||
	    a->digest != b->digest ||
	    !conf_hook_str_same(a->url, b->url) ||
	    !conf_hook_str_same(a->program, b->program) ||
	    !conf_hook_str_same(a->secret, b->secret) ||
	    !conf_hook_str_same(a->card, b->card) ||
	    !conf_hook_str_same(a->cacert, b->cacert))
		return (0);
	for (i = 0; a->args[i] != NULL || b->args[i] != NULL; i++)
		if (!conf_hook_str_same(a->args[i], b->args[i]))
			return (0);
	return (1);
}

int
conf_hook_swap(struct conf *cur, struct conf *next)
{
	struct conf_hook	*h;
	size_t			 i, n;

	if (cur->nhooks == next->nhooks) {
		for (i = 0; i < cur->nhooks; i++)
			if (!conf_hook_same(&cur->hooks[i], &next->hooks[i]))
				break;
		if (i == cur->nhooks)
			return (0);
	}
	h = cur->hooks;
	n = cur->nhooks;
	cur->hooks = next->hooks;
	cur->nhooks = next->nhooks;
	next->hooks = h;
	next->nhooks = n;
	return (1);
}

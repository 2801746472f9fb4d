/*
 * The configuration file. Every key lives in one table (conf_keys) that gives
 * its section, type, default and limits, so defaults, parsing and messages
 * cannot drift apart; support-inbox.conf.example documents the same keys.
 */
#include <sys/stat.h>

#include <stdbool.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "conf.h"
#include "conf-notice.h"
#include "conf-hours.h"
#include "conf-sla.h"
#include "log.h"
#include "phone.h"
#include "xmalloc.h"

/*
 * Debian's libinih exports its line limit as a variable (200 bytes by
 * default, too short for an inline access token); upstream builds do not.
 * A weak reference lets us raise it where it exists and still link without.
 */
#pragma weak ini_max_line

#define CONF_LINE_MAX	(CONF_SECRET_MAX + 256)	/* bytes in one line */
#define CONF_SHOW_MAX	64	/* bytes of a bad value quoted in a message */

enum conf_type {
	CONF_STRING,		/* any non-empty text */
	CONF_URL,		/* http:// or https:// */
	CONF_URLPATH,		/* starts with '/' */
	CONF_PATH,		/* file name, resolved against the file's dir */
	CONF_BOOL,
	CONF_UINT,		/* uint32_t in [min, max] */
	CONF_ENUM,		/* int, from a name table */
	CONF_LISTEN,		/* host:port or "off" */
	CONF_SECRET,		/* inline secret: never quoted in messages */
	CONF_SECRET_FILE,	/* path of a secret for the field at .target */
	CONF_COUNTRY,		/* ISO 3166 alpha-2 the phone table knows */
};

#define CONF_OPTIONAL	0x1	/* empty or "none" leaves the field NULL */
#define CONF_DERIVED	0x2	/* default is data_dir/ + .dflt */

struct conf_enum {
	const char	*name;
	int		 value;
};

static const struct conf_enum conf_log_levels[] = {
	{ "error", LOG_ERROR }, { "warn", LOG_WARN }, { "info", LOG_INFO },
	{ "debug", LOG_DEBUG }, { NULL, 0 }
};
static const struct conf_enum conf_reopen_policies[] = {
	{ "reopen", 0 }, { "new", 1 }, { NULL, 0 }
};
static const struct conf_enum conf_act_on[] = {
	{ "own", CONF_ACT_OWN }, { "team", CONF_ACT_TEAM },
	{ "all", CONF_ACT_ALL }, { NULL, 0 }
};
static const struct conf_enum conf_handover[] = {
	{ "direct", CONF_HANDOVER_DIRECT }, { "request", CONF_HANDOVER_REQUEST },
	{ NULL, 0 }
};
static const struct conf_enum conf_bells[] = {
	{ "off", 0 }, { "bell", 1 }, { "osc777", 2 }, { NULL, 0 }
};
static const struct conf_enum conf_previews[] = {
	{ "own", CONF_PREVIEWS_OWN }, { "all", CONF_PREVIEWS_ALL },
	{ "none", CONF_PREVIEWS_NONE }, { NULL, 0 }
};

struct conf_key {
	const char		*section;
	const char		*name;
	enum conf_type		 type;
	size_t			 off;		/* field in struct conf */
	const char		*dflt;		/* NULL: unset */
	uint32_t		 min;		/* CONF_UINT */
	uint32_t		 max;
	const struct conf_enum	*names;		/* CONF_ENUM */
	int			 flags;
	size_t			 target;	/* CONF_SECRET_FILE: secret */
};

#define F(f)	offsetof(struct conf, f)
#define DAYS	36500	/* a century: enough for any retention period */

static const struct conf_key conf_keys[] = {
	{ "daemon", "data_dir", CONF_PATH, F(data_dir),
	  "/var/lib/support-inbox", 0, 0, NULL, 0, 0 },
	{ "daemon", "socket", CONF_PATH, F(socket),
	  "/run/support-inbox/socket", 0, 0, NULL, 0, 0 },
	{ "daemon", "socket_group", CONF_STRING, F(socket_group),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "daemon", "key_file", CONF_PATH, F(key_file),
	  "master.key", 0, 0, NULL, CONF_DERIVED, 0 },
	{ "daemon", "passphrase_file", CONF_PATH, F(passphrase_file),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "daemon", "log_level", CONF_ENUM, F(log_level),
	  "info", 0, 0, conf_log_levels, 0, 0 },
	{ "daemon", "log_file", CONF_PATH, F(log_file),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },

	{ "webhook", "listen", CONF_LISTEN, F(webhook_listen),
	  "127.0.0.1:8080", 0, 0, NULL, 0, 0 },
	{ "webhook", "path", CONF_URLPATH, F(webhook_path),
	  "/webhook", 0, 0, NULL, 0, 0 },
	{ "webhook", "max_body", CONF_UINT, F(webhook_max_body),
	  "3145728", 1024, 3145728, NULL, 0, 0 },
	{ "webhook", "max_connections", CONF_UINT, F(webhook_max_conns),
	  "256", 1, 65535, NULL, 0, 0 },
	{ "webhook", "max_inflight_bytes", CONF_UINT, F(webhook_max_inflight),
	  "67108864", 3145728, 1073741824, NULL, 0, 0 },
	{ "webhook", "timeout", CONF_UINT, F(webhook_timeout),
	  "10", 1, 3600, NULL, 0, 0 },
	{ "webhook", "app_secret", CONF_SECRET, F(app_secret),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "webhook", "app_secret_file", CONF_SECRET_FILE, F(app_secret_file),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, F(app_secret) },
	{ "webhook", "app_secret_previous", CONF_SECRET, F(app_secret_old),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "webhook", "app_secret_previous_file", CONF_SECRET_FILE,
	  F(app_secret_old_file), NULL, 0, 0, NULL, CONF_OPTIONAL,
	  F(app_secret_old) },
	{ "webhook", "verify_token", CONF_SECRET, F(verify_token),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "webhook", "verify_token_file", CONF_SECRET_FILE,
	  F(verify_token_file), NULL, 0, 0, NULL, CONF_OPTIONAL,
	  F(verify_token) },

	{ "graph", "api_base_url", CONF_URL, F(api_base_url),
	  "https://graph.facebook.com", 0, 0, NULL, 0, 0 },
	{ "graph", "api_version", CONF_STRING, F(api_version),
	  "v23.0", 0, 0, NULL, 0, 0 },
	{ "graph", "phone_number_id", CONF_STRING, F(phone_number_id),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "graph", "waba_id", CONF_STRING, F(waba_id),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "graph", "access_token", CONF_SECRET, F(access_token),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "graph", "access_token_file", CONF_SECRET_FILE, F(access_token_file),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, F(access_token) },
	{ "graph", "timeout", CONF_UINT, F(graph_timeout),
	  "15", 1, 600, NULL, 0, 0 },
	{ "graph", "max_attempts", CONF_UINT, F(max_attempts),
	  "8", 1, 100, NULL, 0, 0 },
	{ "graph", "retry_base_ms", CONF_UINT, F(retry_base_ms),
	  "1000", 10, 600000, NULL, 0, 0 },
	{ "graph", "template_sync_minutes", CONF_UINT,
	  F(template_sync_minutes), "60", 0, 10080, NULL, 0, 0 },
	{ "graph", "media_max_bytes", CONF_UINT, F(media_max_bytes),
	  "104857600", 1024, 104857600, NULL, 0, 0 },
	{ "graph", "media_hosts", CONF_STRING, F(media_hosts),
	  "lookaside.fbsbx.com", 0, 0, NULL, 0, 0 },

	{ "media", "uploads_per_agent", CONF_UINT, F(uploads_per_agent),
	  "4", 1, 64, NULL, 0, 0 },
	{ "media", "upload_bytes_per_agent", CONF_UINT,
	  F(upload_bytes_per_agent), "0", 0, 4294967295u, NULL, 0, 0 },
	{ "media", "upload_expiry", CONF_UINT, F(upload_expiry),
	  "600", 1, 86400, NULL, 0, 0 },

	{ "inbox", "reopen_policy", CONF_ENUM, F(reopen_new),
	  "reopen", 0, 0, conf_reopen_policies, 0, 0 },
	{ "inbox", "agents_act_on", CONF_ENUM, F(agents_act_on),
	  "own", 0, 0, conf_act_on, 0, 0 },
	{ "inbox", "mark_read", CONF_BOOL, F(mark_read),
	  "yes", 0, 0, NULL, 0, 0 },
	{ "inbox", "typing_indicator", CONF_BOOL, F(typing_indicator),
	  "yes", 0, 0, NULL, 0, 0 },
	{ "inbox", "window_hours", CONF_UINT, F(window_hours),
	  "24", 1, 24, NULL, 0, 0 },
	{ "inbox", "auto_assign", CONF_BOOL, F(auto_assign),
	  "no", 0, 0, NULL, 0, 0 },
	{ "inbox", "capacity", CONF_UINT, F(capacity),
	  "5", 1, 1000, NULL, 0, 0 },
	{ "inbox", "window_closing_hours", CONF_UINT, F(window_closing_hours),
	  "4", 1, 168, NULL, 0, 0 },

	{ "assign", "handover", CONF_ENUM, F(handover),
	  "direct", 0, 0, conf_handover, 0, 0 },

	{ "retention", "raw_events_days", CONF_UINT, F(keep_raw_events),
	  "30", 0, DAYS, NULL, 0, 0 },
	{ "retention", "resolved_days", CONF_UINT, F(keep_resolved),
	  "730", 0, DAYS, NULL, 0, 0 },
	{ "retention", "media_days", CONF_UINT, F(keep_media),
	  "365", 0, DAYS, NULL, 0, 0 },
	{ "retention", "audit_days", CONF_UINT, F(keep_audit),
	  "0", 0, DAYS, NULL, 0, 0 },

	{ "audit", "checkpoint_every", CONF_UINT, F(checkpoint_every),
	  "1000", 0, 10000000, NULL, 0, 0 },
	{ "audit", "checkpoint_minutes", CONF_UINT, F(checkpoint_minutes),
	  "60", 0, 10080, NULL, 0, 0 },
	{ "audit", "checkpoint_file", CONF_PATH, F(checkpoint_file),
	  "audit-checkpoints.log", 0, 0, NULL, CONF_DERIVED, 0 },
	{ "audit", "purpose_required", CONF_BOOL, F(purpose_required),
	  "yes", 0, 0, NULL, 0, 0 },

	{ "consent", "stop_keywords", CONF_STRING, F(stop_keywords),
	  "STOP, STOPP, ABMELDEN, ABBESTELLEN, UNSUBSCRIBE", 0, 0, NULL, 0,
	  0 },
	{ "consent", "start_keywords", CONF_STRING, F(start_keywords),
	  "START, ANMELDEN, SUBSCRIBE", 0, 0, NULL, 0, 0 },
	{ "consent", "text_version", CONF_STRING, F(consent_text_version),
	  "1", 0, 0, NULL, 0, 0 },
	{ "consent", "stop_reply", CONF_STRING, F(stop_reply),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "consent", "start_reply", CONF_STRING, F(start_reply),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },

	{ "client", "theme", CONF_STRING, F(theme),
	  "default", 0, 0, NULL, 0, 0 },
	{ "client", "keys_file", CONF_PATH, F(keys_file),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },
	{ "client", "enter_sends", CONF_BOOL, F(enter_sends),
	  "yes", 0, 0, NULL, 0, 0 },
	{ "client", "bell", CONF_ENUM, F(bell),
	  "bell", 0, 0, conf_bells, 0, 0 },
	{ "client", "download_dir", CONF_STRING, F(download_dir),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },

	{ "privacy", "list_previews", CONF_ENUM, F(list_previews),
	  "own", 0, 0, conf_previews, 0, 0 },

	/* Customers read it in replies: short, one line (max: bytes). */
	{ "business", "name", CONF_STRING, F(business_name),
	  NULL, 0, 64, NULL, CONF_OPTIONAL, 0 },
	{ "client", "undo_send_seconds", CONF_UINT, F(undo_send_seconds),
	  "5", 0, 60, NULL, 0, 0 },

	/* Prometheus text metrics (issue 14): off unless listen is set. */
	{ "metrics", "listen", CONF_LISTEN, F(metrics_listen),
	  NULL, 0, 0, NULL, 0, 0 },
	{ "metrics", "allow_remote", CONF_BOOL, F(metrics_allow_remote),
	  "no", 0, 0, NULL, 0, 0 },

	/* Several business numbers (issue 15): [graph]'s own number. */
	{ "graph", "label", CONF_STRING, F(graph_label),
	  "main", 0, CONF_LABEL_MAX, NULL, 0, 0 },
	{ "graph", "team", CONF_STRING, F(graph_team),
	  NULL, 0, 64, NULL, CONF_OPTIONAL, 0 },
	/* National numbers typed without a country code (issue 15). */
	{ "contacts", "default_country", CONF_COUNTRY, F(default_country),
	  "DE", 0, 0, NULL, 0, 0 },

	{ "automation", "rules", CONF_PATH, F(rules_file),
	  NULL, 0, 0, NULL, CONF_OPTIONAL, 0 },

	/* Campaigns (issue 17): Meta's messaging limit and throughput. */
	{ "campaign", "tier", CONF_STRING, F(campaign_tier),
	  "1000", 0, 16, NULL, 0, 0 },
	{ "campaign", "rate", CONF_UINT, F(campaign_rate),
	  "20", 1, 1000, NULL, 0, 0 },
};
#define CONF_NKEYS	(sizeof conf_keys / sizeof conf_keys[0])

#undef F

/* What conf_load carries through inih's callbacks. */
struct conf_parse {
	struct conf	*conf;
	FILE		*f;
	const char	*dir;		/* absolute directory of the file */
	int		 lineno;	/* line the reader returned last */
	int		 indented;	/* that line starts with white space */
	int		 lines[CONF_NKEYS]; /* where each key was set, or 0 */
	const struct conf_key *last;	/* key of the previous handler call */
	int		 last_lineno;
	char		*unknown_section; /* last one warned about */
	char		*cause;		/* first error */
	int		 cause_lineno;
	char		*number_section; /* [number X] of the previous key */
	int		 new_section;	/* a [section] line since that key */
	int		 section_lineno; /* the last [section] line */
};

static char **
conf_str(struct conf *conf, const struct conf_key *k)
{
	return ((char **)((char *)conf + k->off));
}

static int *
conf_int(struct conf *conf, const struct conf_key *k)
{
	return ((int *)((char *)conf + k->off));
}

static uint32_t *
conf_uint(struct conf *conf, const struct conf_key *k)
{
	return ((uint32_t *)((char *)conf + k->off));
}

static bool
conf_is_string(const struct conf_key *k)
{
	return (k->type != CONF_BOOL && k->type != CONF_UINT &&
	    k->type != CONF_ENUM);
}

static void
conf_free_str(char **sp, int secret)
{
	if (*sp == NULL)
		return;
	if (secret)
		explicit_bzero(*sp, strlen(*sp));
	free(*sp);
	*sp = NULL;
}

/* Replaces a string field; secrets are wiped on the way out. */
static void
conf_set_str(struct conf *conf, const struct conf_key *k, char *value)
{
	char	**sp = conf_str(conf, k);

	conf_free_str(sp, k->type == CONF_SECRET);
	*sp = value;
}

/* "error, warn, info or debug" for messages. */
static char *
conf_enum_list(const struct conf_enum *names)
{
	char	*s = NULL, *t;
	size_t	 i;

	for (i = 0; names[i].name != NULL; i++) {
		if (s == NULL)
			t = xstrdup(names[i].name);
		else if (names[i + 1].name == NULL)
			t = xasprintf("%s or %s", s, names[i].name);
		else
			t = xasprintf("%s, %s", s, names[i].name);
		free(s);
		s = t;
	}
	return (s);
}

/* A country code as the phone table spells it: "de" and "UK" read as DE, GB. */
static char *
conf_country(const char *v)
{
	char	*s;

	s = xstrdup(v);
	s[0] = (char)toupper((unsigned char)s[0]);
	s[1] = (char)toupper((unsigned char)s[1]);
	if (strcmp(s, "UK") == 0)
		memcpy(s, "GB", 2);
	return (s);
}

/* What a key expects, for "expects ..., not 'v'". Allocated. */
static char *
conf_expects(const struct conf_key *k)
{
	switch (k->type) {
	case CONF_STRING:
	case CONF_SECRET:
		if (k->max > 0)
			return (xasprintf("text of at most %u bytes without "
			    "control characters", k->max));
		return (xstrdup("a value"));
	case CONF_URL:
		return (xstrdup("an http:// or https:// URL"));
	case CONF_URLPATH:
		return (xstrdup("a URL path starting with '/'"));
	case CONF_PATH:
	case CONF_SECRET_FILE:
		return (xstrdup("a file name"));
	case CONF_BOOL:
		return (xstrdup("yes or no"));
	case CONF_UINT:
		return (xasprintf("a number from %u to %u", k->min, k->max));
	case CONF_ENUM:
		return (conf_enum_list(k->names));
	case CONF_LISTEN:
		return (xstrdup("host:port or off"));
	case CONF_COUNTRY:
		return (xstrdup("a two-letter country code such as DE, AT, "
		    "CH, GB or US (see doc/phone.md)"));
	}
	return (xstrdup("a value"));
}

/* C0 controls and DEL (a value is one line: no newline either). */
int
conf_has_control(const char *v)
{
	for (; *v != '\0'; v++) {
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return (1);
	}
	return (0);
}

int
conf_parse_bool(const char *v, int *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };
	size_t	i;

	for (i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return (0);
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return (0);
		}
	}
	return (-1);
}

/* Digits only: no sign, no white space, no suffix. */
static int
conf_parse_uint(const char *v, uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long long	n = 0;

	if (*v == '\0')
		return (-1);
	for (; *v != '\0'; v++) {
		if (*v < '0' || *v > '9')
			return (-1);
		n = n * 10 + (unsigned)(*v - '0');
		if (n > UINT32_MAX)
			return (-1);
	}
	if (n < min || n > max)
		return (-1);
	*out = (uint32_t)n;
	return (0);
}

/* host:port, host:port with [v6] brackets; the port from 1 to 65535. */
static int
conf_parse_listen(const char *v)
{
	const char	*colon, *p;
	uint32_t	 port;
	size_t		 hostlen;

	if ((colon = strrchr(v, ':')) == NULL)
		return (-1);
	hostlen = (size_t)(colon - v);
	if (hostlen == 0)
		return (-1);
	if (v[0] == '[') {
		if (hostlen < 3 || v[hostlen - 1] != ']')
			return (-1);
	} else if (memchr(v, ':', hostlen) != NULL)
		return (-1);	/* a bare IPv6 address needs brackets */
	for (p = v; p < colon; p++) {
		if (*p == ' ' || *p == '\t' || *p == '/')
			return (-1);
	}
	if (conf_parse_uint(colon + 1, 1, 65535, &port) != 0)
		return (-1);
	return (0);
}

/* Makes a relative path absolute against dir; dir NULL keeps it. */
static char *
conf_resolve(const char *dir, const char *v)
{
	if (dir == NULL || *v == '/')
		return (xstrdup(v));
	while (v[0] == '.' && v[1] == '/')
		v += 2;
	return (xasprintf("%s/%s", dir, v));
}

/*
 * Sets one key from its text. dir is the directory relative paths are
 * taken from (NULL for defaults). Returns 0, or -1 with *cause set to the
 * message tail "expects ..., not 'v'".
 */
static int
conf_set(struct conf *conf, const struct conf_key *k, const char *v,
    const char *dir, char **cause)
{
	const struct conf_enum	*e;
	char			*expects;
	int			 b;
	uint32_t		 n;

	if (conf_is_string(k) && (k->flags & CONF_OPTIONAL) &&
	    (*v == '\0' || (k->type != CONF_SECRET && strcmp(v, "none") == 0))) {
		conf_set_str(conf, k, NULL);
		return (0);
	}
	switch (k->type) {
	case CONF_STRING:
	case CONF_SECRET:
		if (*v == '\0')
			goto bad;
		if (k->max > 0 && (strlen(v) > k->max || conf_has_control(v)))
			goto bad;
		conf_set_str(conf, k, xstrdup(v));
		return (0);
	case CONF_URL:
		if (strncmp(v, "http://", 7) != 0 &&
		    strncmp(v, "https://", 8) != 0)
			goto bad;
		if (strchr(v, ' ') != NULL || strlen(v) < 9)
			goto bad;
		conf_set_str(conf, k, xstrdup(v));
		return (0);
	case CONF_COUNTRY:
		if (!phone_country_known(v))
			goto bad;
		conf_set_str(conf, k, conf_country(v));
		return (0);
	case CONF_URLPATH:
		if (*v != '/' || strpbrk(v, " \t?#") != NULL)
			goto bad;
		conf_set_str(conf, k, xstrdup(v));
		return (0);
	case CONF_PATH:
	case CONF_SECRET_FILE:
		if (*v == '\0')
			goto bad;
		conf_set_str(conf, k, conf_resolve(dir, v));
		return (0);
	case CONF_BOOL:
		if (conf_parse_bool(v, &b) != 0)
			goto bad;
		*conf_int(conf, k) = b;
		return (0);
	case CONF_UINT:
		if (conf_parse_uint(v, k->min, k->max, &n) != 0)
			goto bad;
		*conf_uint(conf, k) = n;
		return (0);
	case CONF_ENUM:
		for (e = k->names; e->name != NULL; e++) {
			if (strcasecmp(v, e->name) == 0) {
				*conf_int(conf, k) = e->value;
				return (0);
			}
		}
		goto bad;
	case CONF_LISTEN:
		if (strcasecmp(v, "off") == 0) {
			conf_set_str(conf, k, NULL);
			return (0);
		}
		if (conf_parse_listen(v) != 0)
			goto bad;
		conf_set_str(conf, k, xstrdup(v));
		return (0);
	}

bad:
	expects = conf_expects(k);
	if (k->type == CONF_SECRET || *v == '\0')
		*cause = xasprintf("expects %s", expects);
	else if (strlen(v) > CONF_SHOW_MAX)
		*cause = xasprintf("expects %s, not '%.*s...'", expects,
		    CONF_SHOW_MAX, v);
	else
		*cause = xasprintf("expects %s, not '%s'", expects, v);
	free(expects);
	return (-1);
}

/* Sets a CONF_DERIVED key to data_dir/name. */
static void
conf_derive(struct conf *conf, const struct conf_key *k)
{
	conf_set_str(conf, k, xasprintf("%s/%s", conf->data_dir, k->dflt));
}

void
conf_defaults(struct conf *conf)
{
	const struct conf_key	*k;
	char			*cause;
	size_t			 i;

	memset(conf, 0, sizeof *conf);
	for (i = 0; i < CONF_NKEYS; i++) {
		k = &conf_keys[i];
		if (k->dflt == NULL || (k->flags & CONF_DERIVED))
			continue;
		if (conf_set(conf, k, k->dflt, NULL, &cause) != 0) {
			/* The table is wrong: not something input can cause. */
			fprintf(stderr, "bad default for [%s] %s: %s\n",
			    k->section, k->name, cause);
			abort();
		}
	}
	for (i = 0; i < CONF_NKEYS; i++) {
		if (conf_keys[i].flags & CONF_DERIVED)
			conf_derive(conf, &conf_keys[i]);
	}
}

static void
conf_numbers_free(struct conf *conf)
{
	struct conf_number	*n;
	size_t			 i;

	for (i = 0; i < conf->nnumbers; i++) {
		n = &conf->numbers[i];
		free(n->label);
		free(n->phone_number_id);
		free(n->waba_id);
		conf_free_str(&n->token, 1);
		free(n->token_file);
		free(n->team);
	}
	free(conf->numbers);
	conf->numbers = NULL;
	conf->nnumbers = 0;
}

void
conf_release(struct conf *conf)
{
	const struct conf_key	*k;
	size_t			 i;

	for (i = 0; i < CONF_NKEYS; i++) {
		k = &conf_keys[i];
		if (conf_is_string(k))
			conf_free_str(conf_str(conf, k), k->type == CONF_SECRET);
	}
	conf_numbers_free(conf);
	conf_notice_free(conf);
	conf_survey_free(conf);
	conf_hook_free(conf);
	conf_hours_release(conf);
	conf_optin_free(conf);
	conf_sla_free(conf);		/* issue 19: conf-sla.c */
	free(conf->path);
	memset(conf, 0, sizeof *conf);
}

/*
 * Records an error; takes ownership of cause. Only the first error is
 * reported: a later one is freed here, and cp->cause stays the first (it is
 * handed to the caller of conf_load, so it must never be freed here).
 */
static void
conf_parse_error(struct conf_parse *cp, int lineno, char *cause)
{
	if (cp->cause != NULL) {
		free(cause);	/* only the first error is reported */
		return;
	}
	cp->cause = cause;
	cp->cause_lineno = lineno;
}

/*
 * The line reader for inih: fgets that counts lines, so the handler knows
 * where it is. A line longer than the buffer ends the parse with an error
 * instead of being split into two lines behind our back.
 */
static char *
conf_reader(char *s, int n, void *arg)
{
	struct conf_parse	*cp = arg;
	size_t			 len;

	if (fgets(s, n, cp->f) == NULL)
		return (NULL);
	cp->lineno++;
	cp->indented = (s[0] == ' ' || s[0] == '\t');
	if (s[strspn(s, " \t")] == '[') {
		cp->new_section = 1;
		cp->section_lineno = cp->lineno;
	}
	len = strlen(s);
	if (len > 0 && s[len - 1] != '\n' && !feof(cp->f)) {
		if (fgetc(cp->f) != EOF) {
			conf_parse_error(cp, cp->lineno, xasprintf("%s:%d: "
			    "line is longer than %d bytes", cp->conf->path,
			    cp->lineno, n - 2));
			return (NULL);
		}
	}
	return (s);
}

int
conf_label_valid(const char *s)
{
	size_t	i;

	if (s[0] == '\0' || strlen(s) > CONF_LABEL_MAX)
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '_' && s[i] != '-')
			return (0);
	}
	return (1);
}

/* Meta's ids go into Graph API paths: letters, digits, '_', '-'. */
static int
conf_id_valid(const char *s)
{
	size_t	i;

	if (s[0] == '\0' || strlen(s) > 64)
		return (0);
	for (i = 0; s[i] != '\0'; i++) {
		if (!(s[i] >= 'a' && s[i] <= 'z') &&
		    !(s[i] >= 'A' && s[i] <= 'Z') &&
		    !(s[i] >= '0' && s[i] <= '9') && s[i] != '_' && s[i] != '-')
			return (0);
	}
	return (1);
}

const struct conf_number *
conf_number_by_label(const struct conf *conf, const char *label)
{
	size_t	i;

	for (i = 0; label != NULL && i < conf->nnumbers; i++) {
		if (strcmp(conf->numbers[i].label, label) == 0)
			return (&conf->numbers[i]);
	}
	return (NULL);
}

const struct conf_number *
conf_number_by_id(const struct conf *conf, const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < conf->nnumbers; i++) {
		if (strcmp(conf->numbers[i].phone_number_id, id) == 0)
			return (&conf->numbers[i]);
	}
	return (NULL);
}

/*
 * A key of a [number LABEL] (or [number.LABEL]) section. Returns -1 when
 * the section is not one, else inih's 1 (go on) or 0 (error recorded).
 * The same section given twice is an error, not a merge: two numbers
 * sharing a label would route one's customers to the other.
 */
static int
conf_number_key(struct conf_parse *cp, const char *section, const char *name,
    const char *value)
{
	struct conf		*conf = cp->conf;
	struct conf_number	*n = NULL;
	const char		*label;
	char			**field = NULL;
	size_t			 i;
	int			 fresh;

	if (strncmp(section, "number", 6) != 0 ||
	    (section[6] != ' ' && section[6] != '.'))
		return (-1);
	label = section + 7;
	fresh = cp->new_section || cp->number_section == NULL ||
	    strcmp(cp->number_section, section) != 0;
	if (!conf_label_valid(label)) {
		conf_parse_error(cp, cp->lineno, xasprintf("%s:%d: [%s]: a "
		    "number's label is 1 to %d letters, digits, '_' or '-'",
		    conf->path, cp->lineno, section, CONF_LABEL_MAX));
		return (0);
	}
	for (i = 0; i < conf->nnumbers; i++) {
		if (strcmp(conf->numbers[i].label, label) == 0)
			n = &conf->numbers[i];
	}
	if (n != NULL && fresh) {
		conf_parse_error(cp, cp->lineno, xasprintf("%s:%d: [%s] is "
		    "given twice (first at line %d); each number has one "
		    "section and its own label", conf->path, cp->lineno,
		    section, n->line));
		return (0);
	}
	if (n == NULL) {
		if (conf->nnumbers == CONF_NUMBERS_MAX - 1) {
			conf_parse_error(cp, cp->lineno, xasprintf("%s:%d: "
			    "[%s]: at most %d numbers", conf->path,
			    cp->lineno, section, CONF_NUMBERS_MAX));
			return (0);
		}
		conf->numbers = xrealloc(conf->numbers,
		    (conf->nnumbers + 1) * sizeof *conf->numbers);
		n = &conf->numbers[conf->nnumbers++];
		memset(n, 0, sizeof *n);
		n->label = xstrdup(label);
		n->line = cp->section_lineno;
	}
	free(cp->number_section);
	cp->number_section = xstrdup(section);
	cp->last = NULL;

	if (strcmp(name, "phone_number_id") == 0 ||
	    strcmp(name, "waba_id") == 0) {
		field = name[0] == 'p' ? &n->phone_number_id : &n->waba_id;
		if (!conf_id_valid(value)) {
			conf_parse_error(cp, cp->lineno, xasprintf("%s:%d: "
			    "[%s] %s expects Meta's numeric id (letters, "
			    "digits, '_' and '-', at most 64)", conf->path,
			    cp->lineno, section, name));
			return (0);
		}
		free(*field);
		*field = xstrdup(value);
	} else if (strcmp(name, "token_file") == 0) {
		if (*value == '\0') {
			conf_parse_error(cp, cp->lineno, xasprintf("%s:%d: "
			    "[%s] token_file expects a file name", conf->path,
			    cp->lineno, section));
			return (0);
		}
		free(n->token_file);
		n->token_file = conf_resolve(cp->dir, value);
	} else if (strcmp(name, "team") == 0) {
		if (*value == '\0' || strlen(value) > 64 ||
		    conf_has_control(value)) {
			conf_parse_error(cp, cp->lineno, xasprintf("%s:%d: "
			    "[%s] team expects a team name of at most 64 "
			    "bytes", conf->path, cp->lineno, section));
			return (0);
		}
		free(n->team);
		n->team = strcmp(value, "none") == 0 ? NULL : xstrdup(value);
	} else
		fprintf(stderr, "warning: %s:%d: unknown key '%s' in [%s]\n",
		    conf->path, cp->lineno, name, section);
	return (1);
}

/*
 * After parsing: [graph]'s number goes first, every number needs its ids
 * and token, and no two share a label or a phone number id.
 */
static int
conf_numbers_finish(struct conf_parse *cp, int load_secrets, char **cause)
{
	struct conf		*conf = cp->conf;
	struct conf_number	*n, *m;
	char			*why = NULL;
	size_t			 i, j;

	if (conf->phone_number_id != NULL) {
		if (!conf_label_valid(conf->graph_label)) {
			*cause = xasprintf("%s: [graph] label expects 1 to %d "
			    "letters, digits, '_' or '-'", conf->path,
			    CONF_LABEL_MAX);
			return (-1);
		}
		conf->numbers = xrealloc(conf->numbers,
		    (conf->nnumbers + 1) * sizeof *conf->numbers);
		memmove(&conf->numbers[1], &conf->numbers[0],
		    conf->nnumbers * sizeof *conf->numbers);
		conf->nnumbers++;
		n = &conf->numbers[0];
		memset(n, 0, sizeof *n);
		n->graph = 1;
		n->label = xstrdup(conf->graph_label);
		n->phone_number_id = xstrdup(conf->phone_number_id);
		n->waba_id = conf->waba_id != NULL ? xstrdup(conf->waba_id) :
		    NULL;
		n->team = conf->graph_team != NULL ?
		    xstrdup(conf->graph_team) : NULL;
	}
	for (i = 0; i < conf->nnumbers; i++) {
		n = &conf->numbers[i];
		if (n->graph)
			continue;
		if (n->phone_number_id == NULL || n->waba_id == NULL ||
		    n->token_file == NULL) {
			*cause = xasprintf("%s:%d: [number %s] needs "
			    "phone_number_id, waba_id and token_file",
			    conf->path, n->line, n->label);
			return (-1);
		}
		for (j = 0; j < i; j++) {
			m = &conf->numbers[j];
			if (strcmp(m->label, n->label) == 0) {
				*cause = xasprintf("%s:%d: [number %s]: "
				    "[graph] label is '%s' already; give one "
				    "of them another label", conf->path,
				    n->line, n->label, m->label);
				return (-1);
			}
			if (strcmp(m->phone_number_id,
			    n->phone_number_id) == 0) {
				*cause = xasprintf("%s:%d: [number %s] has "
				    "the phone_number_id of %s%s%s; each "
				    "number is configured once", conf->path,
				    n->line, n->label, m->graph ? "[graph]" :
				    "[number ", m->graph ? "" : m->label,
				    m->graph ? "" : "]");
				return (-1);
			}
		}
		if (!load_secrets)
			continue;
		if ((n->token = conf_read_secret_file(n->token_file,
		    &why)) == NULL) {
			*cause = xasprintf("%s:%d: [number %s] token_file: %s",
			    conf->path, n->line, n->label, why);
			free(why);
			return (-1);
		}
	}
	return (0);
}

static int
conf_handler(void *arg, const char *section, const char *name,
    const char *value)
{
	struct conf_parse	*cp = arg;
	struct conf		*conf = cp->conf;
	const struct conf_key	*k;
	char			*cause;
	size_t			 i;
	int			 known_section = 0, r;

	/* [optin], display_number (issue 17): conf-optin.c */
	if ((r = conf_optin_key(conf, section, name, value, cp->lineno,
	    &cause)) != -1) {
		if (r == 0)
			conf_parse_error(cp, cp->lineno, cause);
		return (r);
	}
	r = conf_number_key(cp, section, name, value);
	cp->new_section = 0;
	if (r != -1)
		return (r);
	/* [notice], [notice LABEL] (issue 16): conf-notice.c */
	if ((r = conf_notice_key(conf, cp->dir, cp->lineno, section, name,
	    value, &cause)) != -1) {
		if (r == 1)
			conf_parse_error(cp, cp->lineno, cause);
		return (r == 0);
	}
	free(cp->number_section);	/* a later [number X] is a repeat */
	cp->number_section = NULL;
	/* The survey's sections (conf-survey.c). */
	r = conf_survey_key(conf, section, name, value, cp->lineno, &cause);
	if (r == 0)
		conf_parse_error(cp, cp->lineno, cause);
	if (r != -1)
		return (r);
	/* [hook NAME] (issue 18): conf-hook.c */
	if ((r = conf_hook_key(conf, cp->dir, section, name, value,
	    cp->lineno, &cause)) != -1) {
		if (r == 0)
			conf_parse_error(cp, cp->lineno, cause);
		return (r);
	}
	if ((r = conf_hours_key(conf, cp->dir, cp->lineno, cp->section_lineno,
	    section, name, value, &cause)) != -1) {
		if (r == 0)
			conf_parse_error(cp, cp->lineno, cause);
		return (r);
	}
	/* [sla], [sla TEAM] (issue 19): conf-sla.c */
	if ((r = conf_sla_key(conf, cp->lineno, section, name, value,
	    &cause)) != -1) {
		if (r == 0)
			conf_parse_error(cp, cp->lineno, cause);
		return (r);
	}
	for (i = 0; i < CONF_NKEYS; i++) {
		k = &conf_keys[i];
		if (strcmp(k->section, section) != 0)
			continue;
		known_section = 1;
		if (strcmp(k->name, name) == 0)
			break;
	}
	if (i == CONF_NKEYS) {
		if (*section == '\0') {
			fprintf(stderr, "warning: %s:%d: key '%s' outside any "
			    "[section] ignored\n", conf->path, cp->lineno, name);
		} else if (known_section) {
			fprintf(stderr, "warning: %s:%d: unknown key '%s' in "
			    "[%s]\n", conf->path, cp->lineno, name, section);
		} else if (cp->unknown_section == NULL ||
		    strcmp(cp->unknown_section, section) != 0) {
			fprintf(stderr, "warning: %s:%d: unknown section "
			    "[%s]\n", conf->path, cp->lineno, section);
			free(cp->unknown_section);
			cp->unknown_section = xstrdup(section);
		}
		cp->last = NULL;
		return (1);
	}

	/*
	 * inih takes an indented line after a key as more of its value and
	 * calls us again with the same name: say so rather than overwrite.
	 */
	if (cp->indented && cp->last == k && cp->last_lineno < cp->lineno) {
		conf_parse_error(cp, cp->lineno, xasprintf("%s:%d: [%s] %s: "
		    "indented line continues the value; values must fit on "
		    "one line", conf->path, cp->lineno, section, name));
		return (0);
	}
	cp->last = k;
	cp->last_lineno = cp->lineno;

	if (conf_set(conf, k, value, cp->dir, &cause) != 0) {
		conf_parse_error(cp, cp->lineno, xasprintf("%s:%d: [%s] %s %s",
		    conf->path, cp->lineno, section, name, cause));
		free(cause);
		return (0);
	}
	cp->lines[i] = cp->lineno;
	return (1);
}

/* The directory of path, absolute, or NULL with *cause. */
static char *
conf_dir(const char *path, char **cause)
{
	char	*copy, *slash, *dir;

	copy = xstrdup(path);
	if ((slash = strrchr(copy, '/')) == NULL) {
		free(copy);
		copy = xstrdup(".");
	} else if (slash == copy)
		slash[1] = '\0';
	else
		*slash = '\0';
	if ((dir = realpath(copy, NULL)) == NULL) {
		*cause = xasprintf("cannot resolve directory of '%s': %s",
		    path, strerror(errno));
		free(copy);
		return (NULL);
	}
	free(copy);
	if (strcmp(dir, "/") == 0)
		dir[0] = '\0';	/* so "dir/name" does not start with "//" */
	return (dir);
}

/*
 * [campaign] tier: Meta's tiers are 250, 2000 (1000 before), 10000,
 * 100000 and unlimited; any whole number is taken (a smaller limit of the
 * operator's own, or a test's). 0, or -1 with *cause.
 */
static int
conf_campaign_tier(struct conf *conf, char **cause)
{
	const char	*t = conf->campaign_tier;
	char		*end;
	unsigned long	 v;

	if (t == NULL || strcmp(t, "unlimited") == 0) {
		conf->campaign_tier_n = 0;
		return (0);
	}
	errno = 0;
	v = strtoul(t, &end, 10);
	if (!isdigit((unsigned char)*t) || *end != '\0' || errno != 0 ||
	    v < 1 || v > 100000000) {
		*cause = xasprintf("[campaign] tier expects a number of "
		    "recipients per 24 hours (250, 1000, 10000, 100000) or "
		    "unlimited, not '%.16s'", conf_has_control(t) ? "?" : t);
		return (-1);
	}
	conf->campaign_tier_n = (uint32_t)v;
	return (0);
}

/* After parsing: secret pairs, derived paths, secret files. */
static int
conf_finish(struct conf_parse *cp, int load_secrets, char **cause)
{
	struct conf		*conf = cp->conf;
	const struct conf_key	*k, *s;
	char			*secret, *why = NULL;
	size_t			 i, j;
	int			 inline_secrets = 0;
	struct stat		 st;

	if (conf_campaign_tier(conf, cause) != 0)
		return (-1);
	for (i = 0; i < CONF_NKEYS; i++) {
		k = &conf_keys[i];
		if ((k->flags & CONF_DERIVED) && cp->lines[i] == 0)
			conf_derive(conf, k);
		if (k->type == CONF_SECRET && *conf_str(conf, k) != NULL)
			inline_secrets = 1;
		if (k->type != CONF_SECRET_FILE || *conf_str(conf, k) == NULL)
			continue;
		for (j = 0; j < CONF_NKEYS; j++) {
			s = &conf_keys[j];
			if (s->type == CONF_SECRET && s->off == k->target)
				break;
		}
		if (j == CONF_NKEYS)
			abort();	/* the table is wrong */
		if (*conf_str(conf, s) != NULL) {
			*cause = xasprintf("%s:%d: [%s] %s and %s are both "
			    "given; keep one", conf->path,
			    cp->lines[i] > cp->lines[j] ? cp->lines[i] :
			    cp->lines[j], k->section, s->name, k->name);
			return (-1);
		}
		if (!load_secrets)
			continue;
		if ((secret = conf_read_secret_file(*conf_str(conf, k),
		    &why)) == NULL) {
			*cause = xasprintf("%s:%d: [%s] %s: %s", conf->path,
			    cp->lines[i], k->section, k->name, why);
			free(why);
			return (-1);
		}
		conf_set_str(conf, s, secret);
	}

	if (conf_numbers_finish(cp, load_secrets, cause) != 0)
		return (-1);
	if (conf_notice_finish(conf, load_secrets, cause) != 0)
		return (-1);
	if (conf_survey_finish(conf, cause) != 0)
		return (-1);
	if (conf_hours_finish(conf, load_secrets, cause) != 0)
		return (-1);
	if (conf_optin_finish(conf, cause) != 0)
		return (-1);
	if (conf_hook_finish(conf, load_secrets, cause) != 0)
		return (-1);

	/* Agents read this file too; secrets in it would be theirs. */
	if (load_secrets && inline_secrets &&
	    fstat(fileno(cp->f), &st) == 0 && (st.st_mode & 044) != 0) {
		fprintf(stderr, "warning: %s: holds secrets inline but is "
		    "readable by group or others (mode %04o); use *_file "
		    "keys\n", conf->path, (unsigned)(st.st_mode & 07777));
	}
	return (0);
}

int
conf_load(struct conf *conf, const char *path, int load_secrets,
    char **cause)
{
	struct conf_parse	 cp;
	int			 r, saved_max = 0, rc = -1;

	memset(&cp, 0, sizeof cp);
	cp.conf = conf;
	free(conf->path);
	conf->path = xstrdup(path);

	if ((cp.f = fopen(path, "re")) == NULL) {
		*cause = xasprintf("cannot open config file '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	if ((cp.dir = conf_dir(path, cause)) == NULL)
		goto out;

	if (&ini_max_line != NULL) {
		saved_max = ini_max_line;
		if (ini_max_line < CONF_LINE_MAX)
			ini_max_line = CONF_LINE_MAX;
	}
	r = ini_parse_stream(conf_reader, &cp, conf_handler, &cp);
	if (&ini_max_line != NULL)
		ini_max_line = saved_max;

	if (r > 0 && (cp.cause == NULL || r < cp.cause_lineno)) {
		free(cp.cause);
		cp.cause = xasprintf("%s:%d: syntax error: expected "
		    "[section] or key = value", path, r);
	} else if (r < 0 && cp.cause == NULL)
		cp.cause = xasprintf("cannot parse '%s'", path);
	if (cp.cause == NULL && ferror(cp.f))
		cp.cause = xasprintf("cannot read '%s'", path);
	if (cp.cause != NULL) {
		*cause = cp.cause;
		cp.cause = NULL;
		goto out;
	}
	if (conf_finish(&cp, load_secrets, cause) != 0)
		goto out;
	rc = 0;

out:
	fclose(cp.f);
	free((char *)cp.dir);
	free(cp.unknown_section);
	free(cp.number_section);
	return (rc);
}

int
conf_check_private_file(int fd, const char *path, char **cause)
{
	struct stat	st;
	int		isdir;

	if (fstat(fd, &st) != 0) {
		*cause = xasprintf("cannot stat '%s': %s", path,
		    strerror(errno));
		return (-1);
	}
	isdir = S_ISDIR(st.st_mode);
	if (!isdir && !S_ISREG(st.st_mode)) {
		*cause = xasprintf("'%s' is not a regular file or directory",
		    path);
		return (-1);
	}
	if (st.st_uid != geteuid()) {
		*cause = xasprintf("'%s' is owned by uid %u, not by this user "
		    "(uid %u)", path, (unsigned)st.st_uid, (unsigned)geteuid());
		return (-1);
	}
	if ((st.st_mode & 077) != 0) {
		*cause = xasprintf("'%s' is %s by group or others (mode %04o); "
		    "chmod %s it", path, isdir ? "accessible" : "readable",
		    (unsigned)(st.st_mode & 07777), isdir ? "700" : "600");
		return (-1);
	}
	return (0);
}

char *
conf_read_secret_file(const char *path, char **cause)
{
	struct stat	 st;
	char		 buf[CONF_SECRET_MAX + 1], *secret = NULL, *why;
	size_t		 len = 0;
	ssize_t		 n;
	int		 fd;

	/* O_NONBLOCK: a FIFO planted here must not hang the daemon. */
	fd = open(path, O_RDONLY|O_NOFOLLOW|O_CLOEXEC|O_NONBLOCK|O_NOCTTY);
	if (fd == -1) {
		*cause = xasprintf("cannot open secret file '%s': %s", path,
		    errno == ELOOP ? "is a symbolic link" : strerror(errno));
		return (NULL);
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		*cause = xasprintf("secret file '%s' is not a regular file",
		    path);
		goto out;
	}
	if (conf_check_private_file(fd, path, &why) != 0) {
		*cause = xasprintf("secret file %s", why);
		free(why);
		goto out;
	}
	for (;;) {
		n = read(fd, buf + len, sizeof buf - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			*cause = xasprintf("cannot read secret file '%s': %s",
			    path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CONF_SECRET_MAX) {
			*cause = xasprintf("secret file '%s' is larger than %d "
			    "bytes", path, CONF_SECRET_MAX);
			goto out;
		}
	}
	if (len > 0 && buf[len - 1] == '\n') {
		len--;
		if (len > 0 && buf[len - 1] == '\r')
			len--;
	}
	if (len == 0) {
		*cause = xasprintf("secret file '%s' is empty", path);
		goto out;
	}
	if (memchr(buf, '\0', len) != NULL) {
		*cause = xasprintf("secret file '%s' contains a NUL byte",
		    path);
		goto out;
	}
	secret = xstrndup(buf, len);

out:
	explicit_bzero(buf, sizeof buf);
	close(fd);
	return (secret);
}

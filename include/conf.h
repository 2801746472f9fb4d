/*
 * The configuration file: INI (inih) with [section] key = value and # comments.
 * Both programs read it; the client only needs [daemon] socket and [client].
 * Every key, its default and its meaning is in support-inbox.conf.example.
 */
#ifndef CONF_H
#define CONF_H

#include <stdint.h>

#include "conf-survey.h"
#include "conf-optin.h"
#include "conf-hook.h"

#define CONF_SECRET_MAX	4096	/* bytes in a secret or secret file */

struct conf {
	char	*path;			/* the file read, for messages */

	/* [daemon] */
	char	*data_dir;		/* database, key store, blobs; 0700 */
	char	*socket;		/* Unix socket path */
	char	*socket_group;		/* group that may connect, or NULL */
	char	*key_file;		/* master key; default data_dir/master.key */
	char	*passphrase_file;	/* if set, the master key is wrapped */
	int	 log_level;		/* enum log_level */
	char	*log_file;		/* NULL: stderr; reopened on SIGHUP */

	/* [webhook] */
	char	*webhook_listen;	/* "127.0.0.1:8080"; NULL = disabled */
	char	*webhook_path;		/* "/webhook" */
	uint32_t webhook_max_body;	/* bytes, at most 3 MiB */
	uint32_t webhook_max_conns;
	uint32_t webhook_max_inflight;	/* body bytes held at once */
	uint32_t webhook_timeout;	/* seconds per request */
	char	*app_secret;		/* from app_secret or app_secret_file */
	char	*app_secret_old;	/* previous secret during rotation */
	char	*verify_token;
	char	*app_secret_file;	/* as configured; read if load_secrets */
	char	*app_secret_old_file;	/* key app_secret_previous_file */
	char	*verify_token_file;

	/* [graph] */
	char	*api_base_url;
	char	*api_version;
	char	*phone_number_id;
	char	*waba_id;
	char	*access_token;
	char	*access_token_file;
	uint32_t graph_timeout;		/* seconds */
	uint32_t max_attempts;		/* sends of a message before failed */
	uint32_t retry_base_ms;		/* first backoff; doubles, jittered */
	uint32_t template_sync_minutes;	/* 0: only at start and on demand */
	uint32_t media_max_bytes;	/* inbound downloads and attachments */
	char	*media_hosts;	/* https hosts a media URL may name */

	/* [media] attachment uploads in progress (upload.h) */
	uint32_t uploads_per_agent;
	uint32_t upload_bytes_per_agent; /* 0: 2 x media_max_bytes */
	uint32_t upload_expiry;		/* seconds idle before dropped */

	/* [inbox] */
	int	 reopen_new;		/* 1: inbound on resolved starts new */
	int	 agents_act_on;		/* CONF_ACT_OWN, _TEAM, _ALL */
	int	 mark_read;
	int	 typing_indicator;
	uint32_t window_hours;		/* customer-service window: 24 */
	int	 auto_assign;		/* round-robin over online agents */
	uint32_t capacity;		/* open conversations per agent */
	uint32_t window_closing_hours;	/* the "window" view's horizon */

	/* [assign] */
	int	 handover;		/* CONF_HANDOVER_DIRECT, _REQUEST */

	/* [retention] days; 0 = keep forever */
	uint32_t keep_raw_events;
	uint32_t keep_resolved;
	uint32_t keep_media;
	uint32_t keep_audit;

	/* [audit] */
	uint32_t checkpoint_every;	/* records */
	uint32_t checkpoint_minutes;
	char	*checkpoint_file;	/* default data_dir/audit-checkpoints.log */
	int	 purpose_required;

	/* [consent] comma-separated keywords; an inbound text equal to one
	 * (case-insensitive, trimmed) records an opt-out / opt-in */
	char	*stop_keywords;
	char	*start_keywords;
	char	*consent_text_version;	/* recorded with each ledger entry */
	char	*stop_reply;		/* sent to the customer after a stop */
	char	*start_reply;		/* ... and after a start; NULL: none */

	/* [client] */
	char	*theme;
	char	*keys_file;
	int	 enter_sends;
	int	 bell;			/* 0 off, 1 bell, 2 OSC 777 */
	char	*download_dir;		/* files saved here; "~/" is $HOME */

	/* [privacy] list_previews: CONF_PREVIEWS_* (issue 13) */
	int	 list_previews;

	/* [business] */
	char	*business_name;		/* canned {{business.name}}; or NULL */
	uint32_t undo_send_seconds;	/* replies held for undo; 0 off */

	/* [metrics] (issue 14) */
	char	*metrics_listen;	/* "127.0.0.1:9464"; NULL = off */
	int	 metrics_allow_remote;	/* a non-loopback listen allowed */

	/* [contacts] (issue 15) */
	char	*default_country;	/* ISO 3166 alpha-2, "DE"; phone.h */
	/*
	 * Business numbers (issue 15): [graph]'s phone_number_id, when set,
	 * is numbers[0] (label [graph] label, "main"; its token stays
	 * access_token, which the outbox reloads); each [number LABEL]
	 * section follows in file order.
	 */
	char	*graph_label;
	char	*graph_team;
	struct conf_number	*numbers;
	size_t	 nnumbers;

	/* [notice], [notice LABEL] (issue 16): conf-notice.h */
	struct conf_notice	*notices;
	size_t	 nnotices;
	/* [automation] (issue 16) */
	char	*rules_file;		/* the rule file (doc/rules.md) */
	/* [survey], [survey TEAM] (issue 16; conf-survey.h) */
	struct conf_survey	*surveys;
	size_t	 nsurveys;
	/* [hours TEAM] business hours and auto-replies (issue 16; conf-hours.h) */
	struct conf_hours	*hours;
	size_t	 nhours;
	/* [optin], [optin LABEL], display_number (issue 17; conf-optin.h) */
	struct conf_optin	*optins;
	size_t	 noptins;
	struct conf_optin_display *optin_displays;
	size_t	 noptin_displays;
	/* [campaign] (issue 17; doc/campaigns.md) */
	char	*campaign_tier;		/* as written: "1000", "unlimited" */
	uint32_t campaign_tier_n;	/* unique recipients per 24 h; 0: no limit */
	uint32_t campaign_rate;		/* campaign messages per second */
	/* [hook NAME] event hooks (issue 18; conf-hook.h) */
	struct conf_hook	*hooks;
	size_t	 nhooks;
	/* [sla], [sla TEAM] service-level targets (issue 19; conf-sla.h) */
	struct conf_sla	*slas;
	size_t	 nslas;
	int64_t	 sla_soon;		/* [sla] soon; 0: the default */
};

#define CONF_NUMBERS_MAX	16	/* numbers one daemon serves */
#define CONF_LABEL_MAX		16	/* bytes of a number's label */

struct conf_number {
	char	*label;			/* [A-Za-z0-9_-]{1,16} */
	char	*phone_number_id;
	char	*waba_id;		/* NULL: no templates for it */
	char	*token;			/* read from token_file (daemon) */
	char	*token_file;
	char	*team;			/* new conversations' team, or NULL */
	int	 graph;			/* 1: [graph]'s; token is access_token */
	int	 line;			/* where its section starts */
};

/*
 * Fills every field with its default (allocating the strings); the struct
 * must later go to conf_release. key_file and checkpoint_file are derived
 * from data_dir.
 */
void	conf_defaults(struct conf *);
/*
 * Reads path over a struct filled by conf_defaults. Relative paths in the
 * file are taken relative to the file's directory and stored absolute. A
 * key given twice: the last one wins. Unknown sections and keys print
 * "warning: FILE:LINE: ..." on stderr and are otherwise ignored.
 * Returns 0, or -1 with *cause ("FILE:LINE: [sec] key expects ..., not 'v'"),
 * allocated; the caller frees it. Either way the struct stays valid for
 * conf_release.
 * A secret given both inline and as *_file is an error. When load_secrets is
 * set (the daemon), every *_file is read with conf_read_secret_file; when it
 * is 0 (the client), only the file names are recorded.
 */
int	conf_load(struct conf *, const char *path, int load_secrets,
	    char **cause);
/* Frees every string, wiping secrets first, and zeroes the struct. */
void	conf_release(struct conf *);

/*
 * The rule for private files and directories (secret files, key file, data
 * directory): fd must be a regular file or a directory, owned by geteuid(),
 * with no permission bits at all for group or others (mode & 077 == 0).
 * path is only used in the message. Returns 0, or -1 with *cause such as
 * "'/p' is readable by group or others (mode 0640); chmod 600 it" (700 for
 * a directory), allocated.
 */
int	conf_check_private_file(int fd, const char *path, char **cause);
/*
 * Reads a secret from path: opened O_NOFOLLOW, a regular file passing
 * conf_check_private_file, at most CONF_SECRET_MAX bytes, no NUL bytes, not
 * empty once one trailing newline ("\n" or "\r\n") is stripped.
 * Returns the secret as an allocated string (wipe it with explicit_bzero
 * before freeing), or NULL with *cause allocated.
 */
char	*conf_read_secret_file(const char *path, char **cause);

/*
 * Whether s is a number's label: 1 to CONF_LABEL_MAX letters, digits, '_'
 * or '-' (it is typed in filters: "number:DE").
 */
int	conf_label_valid(const char *s);
/* The number with this label or phone number id, or NULL. */
const struct conf_number *conf_number_by_label(const struct conf *,
	    const char *);
const struct conf_number *conf_number_by_id(const struct conf *,
	    const char *);

/* [inbox] agents_act_on: whose conversations an agent may change. */
#define CONF_ACT_OWN	0	/* own and unassigned */
#define CONF_ACT_TEAM	1	/* and those of the agent's team */
#define CONF_ACT_ALL	2	/* any */

/* [privacy] list_previews: whose list rows show their last message. */
#define CONF_PREVIEWS_OWN	0	/* own and unassigned conversations */
#define CONF_PREVIEWS_ALL	1	/* every conversation's */
#define CONF_PREVIEWS_NONE	2	/* none */
/* [assign] handover: how an agent hands a conversation to a colleague. */
#define CONF_HANDOVER_DIRECT	0	/* reassigned at once */
#define CONF_HANDOVER_REQUEST	1	/* the colleague accepts or declines */

/*
 * The value rules every section's parser shares (conf.c): a control
 * character (C0 or DEL) in a one-line value; yes/no, true/false, on/off,
 * 1/0 (0, or -1 if none of them).
 */
int	 conf_has_control(const char *);
int	 conf_parse_bool(const char *, int *);

#endif

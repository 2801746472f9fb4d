/*
 * The configuration file: INI (inih) with [section] key = value and # comments.
 * Both programs read it; the client only needs [daemon] socket and [client].
 * Every key, its default and its meaning is in support-inbox.conf.example.
 */
#ifndef CONF_H
#define CONF_H

#include <stdint.h>

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

	/* [webhook] */
	char	*webhook_listen;	/* "127.0.0.1:8080"; NULL = disabled */
	char	*webhook_path;		/* "/webhook" */
	uint32_t webhook_max_body;	/* bytes, at most 3 MiB */
	uint32_t webhook_max_conns;
	uint32_t webhook_timeout;	/* seconds per request */
	char	*app_secret;		/* from app_secret or app_secret_file */
	char	*app_secret_old;	/* previous secret during rotation */
	char	*verify_token;

	/* [graph] */
	char	*api_base_url;
	char	*api_version;
	char	*phone_number_id;
	char	*waba_id;
	char	*access_token;
	uint32_t graph_timeout;		/* seconds */

	/* [inbox] */
	int	 reopen_new;		/* 1: inbound on resolved starts new */
	int	 mark_read;
	int	 typing_indicator;
	uint32_t window_hours;		/* customer-service window: 24 */

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

	/* [client] */
	char	*theme;
	char	*keys_file;
	int	 enter_sends;
	int	 bell;			/* 0 off, 1 bell, 2 OSC 777 */
};

/* Fills every field with its default. */
void	conf_defaults(struct conf *);
/*
 * Reads path over the defaults. Unknown keys warn (file:line) on stderr.
 * Returns 0, or -1 with *cause ("FILE:LINE: key 'k' expects ..."), allocated.
 * When load_secrets is set, *_file keys are read and refused if group- or
 * world-readable or not owned by this user.
 */
int	conf_load(struct conf *, const char *path, int load_secrets,
	    char **cause);
void	conf_release(struct conf *);

#endif

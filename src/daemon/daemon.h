/*
 * The daemon's root state: one struct instead of scattered globals. One
 * thread, one event loop; this thread alone touches SQLite.
 */
#ifndef DAEMON_H
#define DAEMON_H

#include <sys/queue.h>

#include <stdint.h>
#include <time.h>

#include "conf.h"
#include "crypt.h"
#include "store.h"

struct event;
struct event_base;
struct server;
struct webhook;
struct graph;
struct rpc_denials;
struct outbox;
struct media;
struct uploads;
struct templates;
struct assign;
struct retention;
struct metrics;
struct rules;
struct campaign;
struct hook_state;

struct daemon {
	struct conf		 conf;
	struct crypt		*crypt;
	struct store		 store;
	struct event_base	*base;
	struct server		*server;
	/* the server's clients' peers (rpc-peer.c); zeroed is empty */
	LIST_HEAD(rpc_peer_list, rpc_peer) peers;
	struct webhook		*webhook;
	struct rpc_denials	*denials;	/* coalesced permission.denied */
	/* Graph API client for all; the outbox makes it and keeps its token */
	struct graph		*graph;
	struct outbox		*outbox;	/* sending (outbox.h) */
	struct media		*media;		/* downloads (media.h) */
	struct uploads		*uploads;	/* attachments coming in */
	struct templates	*templates;	/* WABA sync (templates.h) */
	struct assign		*assign;	/* assign.c: auto-assign, snooze */
	struct retention	*retention;	/* retention.c: daily purge */
	struct event		*search_ev;	/* search index fill slices */
	char			*display_number; /* ours, as webhooks say */
	/* The start-up store check: "ok", "damaged", "not completed". */
	const char		*store_check;
	char			*store_damage;	/* first problem, if damaged */
	time_t			 started;

	/* counters shown by "status"; reset at start */
	uint64_t		 wh_accepted;	/* POSTs answered 200 */
	uint64_t		 wh_bad_sig;	/* 401s */
	uint64_t		 wh_rejected;	/* 4xx other than 401 */
	uint64_t		 wh_db_errors;	/* 503s */
	uint64_t		 wh_busy;	/* 503s: max_inflight_bytes */
	uint64_t		 wh_batches;	/* group commits */
	uint64_t		 wh_events;	/* events stored */
	uint64_t		 wh_duplicates;
	/* phone endings of older contacts: filled with the search slices */
	int64_t			 phone_cursor;
	int			 phone_done;

	/*
	 * Issue 14 (operations). Which app secret signed the webhooks that
	 * were stored (memory only, since start): [0] the current, [1] the
	 * previous one, so an operator sees when the previous can go.
	 */
	uint64_t		 wh_secret_n[2];
	time_t			 wh_secret_last[2];
	time_t			 wh_secret_since; /* counted from; 0: start */
	struct metrics		*metrics;	/* metrics.c, or NULL */
	struct rules		*rules;		/* rules.c (issue 16) */
	struct hours		*hours;		/* hours.c: open/closed state */
	struct event		*tick;		/* tick.c: the inbox clock */
	struct campaign		*campaign;	/* campaign.c (issue 17) */
	struct hook_state	*hook;		/* hook.c (issue 18) */
};

/* Milliseconds since the epoch. */
int64_t	daemon_now_ms(void);

/*
 * Opens the in-memory search index and fills it in slices between other
 * work (store_search_build). Call again to rebuild it from the store.
 */
int	daemon_search_start(struct daemon *, char **cause);
void	daemon_search_stop(struct daemon *);

/*
 * Reads the configuration file again (reload.c, for SIGHUP and
 * daemon.reload). All valid: the secrets, the access token, the log level
 * and the log file (reopened) change, *changed lists what changed in words
 * without secrets ("app secret changed", "log level debug -> info"), and
 * each is logged. Anything invalid: nothing changes, -1 with *cause.
 */
struct json_t;
int	daemon_reload(struct daemon *, struct json_t **changed, char **cause);

/* What a refused write and the store alarm say to do. */
#define DAEMON_RESTORE_HINT \
	"restore the backup (stop the daemon, copy the files of " \
	"'support-inboxd backup' back into data_dir, start it; see README, " \
	"'Backup and restore')"

#endif

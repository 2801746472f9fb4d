/*
 * The agents' Unix socket: accept, learn the peer from SO_PEERCRED, read
 * newline-delimited JSON frames (capped), dispatch, answer. A client whose
 * unsent output grows past its cap is dropped and resyncs on reconnect.
 *
 * Dropping a client never frees it on the spot: the drop can happen deep
 * inside a callback that still uses it (a broadcast from the client's own
 * request, say). server_client_lost marks it dead, stops its I/O and wakes
 * the reaper; every walk over the clients skips dead ones, and the reaper,
 * an event of its own run after the current callback has returned, is the
 * one place that frees them (as tmux's CLIENT_DEAD and redis's
 * clients_to_close do).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/listener.h>

#include "buf.h"
#include "daemon.h"
#include "log.h"
#include "proto-names.h"
#include "proto.h"
#include "rpc.h"
#include "server.h"
#include "xmalloc.h"

#define SERVER_OUT_MAX		(16 * 1024 * 1024)
#define SERVER_CLIENTS_MAX	512

struct server_client {
	struct server		*server;
	struct bufferevent	*bev;
	struct rpc_peer		 peer;
	int			 dead;		/* lost: waits for the reaper */
	int			 skipping;	/* discarding an oversized frame */
	struct server_client	*next, *prev;
};

struct server {
	struct daemon		*d;
	struct evconnlistener	*listener;
	struct event		*reaper;	/* frees dead clients */
	char			*path;
	struct server_client	*clients;	/* live and dead */
	size_t			 nclients;	/* on the list */
	size_t			 ndead;		/* of them dead */
	int			 closing;	/* shutting down: no events */
};

/* Unlinks and frees; only the reaper and server_free call this. */
static void
server_client_free(struct server_client *c)
{
	struct server	*s = c->server;

	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->clients = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	s->nclients--;
	if (c->dead)
		s->ndead--;
	rpc_peer_leave(s->d, &c->peer);
	bufferevent_free(c->bev);
	free(c);
}

/*
 * The one way to drop a client: no more reading, writing or callbacks;
 * whoever is using it may go on to the end of what it does (an answer to
 * a dead client goes nowhere). The memory stays until the reaper runs.
 */
static void
server_client_lost(struct server_client *c)
{
	struct server	*s = c->server;

	if (c->dead)
		return;
	c->dead = 1;
	s->ndead++;
	/* The Unix login is no customer data; the client's tty is not logged. */
	log_info("client disconnected: %s (uid %u, pid %ld)", c->peer.user,
	    (unsigned)c->peer.uid, (long)c->peer.pid);
	rpc_peer_leave(s->d, &c->peer);
	bufferevent_disable(c->bev, EV_READ | EV_WRITE);
	bufferevent_setcb(c->bev, NULL, NULL, NULL, NULL);
	if (s->reaper != NULL)
		event_active(s->reaper, EV_TIMEOUT, 1);
}

static void
server_reap_cb(evutil_socket_t fd, short what, void *arg)
{
	struct server		*s = arg;
	struct server_client	*c;
	json_t			*ev;
	int64_t			 conv;
	char			 user[sizeof c->peer.user];

	(void)fd; (void)what;
	while (s->ndead > 0) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): a freed client is unlinked first, so the list holds only live ones */
		for (c = s->clients; c != NULL && !c->dead; c = c->next)
			;
		if (c == NULL)
			break;
		conv = c->peer.viewing != 0 ? c->peer.viewing :
		    c->peer.typing;
		memcpy(user, c->peer.user, sizeof user);
		server_client_free(c);
		/*
		 * An agent who goes away stops viewing and typing for
		 * everyone. This may drop more clients: the loop takes them.
		 */
		if (conv != 0 && !s->closing) {
			ev = json_pack("{sI sb sb ss}", "conversation",
			    (json_int_t)conv, "viewing", 0, "typing", 0, "by",
			    user);
			server_broadcast(s, PEV_PRESENCE, ev);
			json_decref(ev);
		}
	}
}

static int
server_send(struct server_client *c, json_t *j)
{
	struct evbuffer	*out = bufferevent_get_output(c->bev);
	char		*s;
	size_t		 len;

	if (c->dead)
		return (-1);
	if (evbuffer_get_length(out) > SERVER_OUT_MAX) {
		log_warn("client uid %u too slow; disconnecting",
		    (unsigned)c->peer.uid);
		server_client_lost(c);
		return (-1);
	}
	if ((s = proto_encode(j, &len)) == NULL) {
		json_t	*e = json_pack("{sO s{ss ss}}", "id",
		    json_object_get(j, "id") != NULL ?
		    json_object_get(j, "id") : json_null(), "error", "code",
		    "too_large", "message", "reply exceeds the frame limit; "
		    "ask for a smaller page");
		s = proto_encode(e, &len);
		json_decref(e);
		if (s == NULL)
			return (-1);
	}
	evbuffer_add(out, s, len);
	free(s);
	/*
	 * Out now, as far as the socket takes it: a cheap answer must not
	 * wait for the costly requests read in the same batch after it (the
	 * rest goes when the socket is writable, as before). The bufferevent
	 * keeps its output's front frozen against draining by others.
	 */
	evbuffer_unfreeze(out, 1);
	(void)evbuffer_write(out, bufferevent_getfd(c->bev));
	evbuffer_freeze(out, 1);
	return (0);
}

static json_t *
server_error_reply(json_t *id, const char *code, const char *msg)
{
	return (json_pack("{sO s{ss ss}}", "id", id != NULL ? id : json_null(),
	    "error", "code", code, "message", msg));
}

static void
server_reply_error(struct server_client *c, json_t *id, const char *code,
    const char *msg)
{
	json_t	*j;

	j = server_error_reply(id, code, msg);
	server_send(c, j);
	json_decref(j);
}

/* One frame: a request object. Nothing a peer sends can crash us. */
json_t *
server_request(struct daemon *d, struct rpc_peer *peer, const char *data,
    size_t len, json_t **events)
{
	json_t		*req, *id, *params, *res, *j;
	json_error_t	 jerr;
	const char	*method;
	struct rpc_err	 err = { NULL, NULL };

	*events = NULL;
	req = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (req == NULL || !json_is_object(req)) {
		json_decref(req);
		return (server_error_reply(NULL, PE_BAD_REQUEST,
		    "frame is not a JSON object"));
	}
	id = json_object_get(req, "id");
	method = json_string_value(json_object_get(req, "method"));
	params = json_object_get(req, "params");
	if (id != NULL && !json_is_integer(id))
		j = server_error_reply(NULL, PE_BAD_REQUEST,
		    "\"id\" must be an integer");
	else if (method == NULL)
		j = server_error_reply(id, PE_BAD_REQUEST,
		    "\"method\" must be a string");
	else if (params != NULL && !json_is_object(params))
		j = server_error_reply(id, PE_BAD_REQUEST,
		    "\"params\" must be an object");
	else {
		if (params == NULL)
			params = json_object();
		else
			json_incref(params);
		res = rpc_dispatch(d, peer, method, params, events, &err);
		if (res != NULL)
			j = json_pack("{sO so}", "id", id != NULL ? id :
			    json_null(), "result", res);
		else {
			j = server_error_reply(id, err.code != NULL ?
			    err.code : "error", err.message != NULL ?
			    err.message : "request failed");
			free(err.message);
		}
		json_decref(params);
	}
	json_decref(req);
	return (j);
}

/* The answer first, then the events the request raised. */
static void
server_frame(struct server_client *c, const char *data, size_t len)
{
	json_t	*j, *events;

	j = server_request(c->server->d, &c->peer, data, len, &events);
	server_send(c, j);
	json_decref(j);
	server_events(c->server, events);
}

static void
server_read_cb(struct bufferevent *bev, void *arg)
{
	struct server_client	*c = arg;
	struct evbuffer		*in = bufferevent_get_input(bev);
	struct evbuffer_ptr	 p;
	size_t			 n;
	char			*line;

	for (;;) {
		/* Dropped by what it asked for: the rest is not read. */
		if (c->dead)
			return;
		p = evbuffer_search_eol(in, NULL, &n, EVBUFFER_EOL_LF);
		if (c->skipping) {
			/*
			 * The rest of an oversized frame is read and dropped
			 * up to its newline; the connection then goes on.
			 */
			if (p.pos == -1) {
				evbuffer_drain(in, evbuffer_get_length(in));
				return;
			}
			evbuffer_drain(in, (size_t)p.pos + n);
			c->skipping = 0;
			continue;
		}
		if (p.pos == -1) {
			if (evbuffer_get_length(in) > PROTO_FRAME_MAX) {
				server_reply_error(c, NULL, PE_TOO_LARGE,
				    "frame exceeds 1 MiB; it was dropped");
				log_warn("client uid %u sent an oversized "
				    "frame", (unsigned)c->peer.uid);
				evbuffer_drain(in, evbuffer_get_length(in));
				c->skipping = 1;
			}
			return;
		}
		if ((size_t)p.pos > PROTO_FRAME_MAX) {
			evbuffer_drain(in, (size_t)p.pos + n);
			server_reply_error(c, NULL, PE_TOO_LARGE,
			    "frame exceeds 1 MiB; it was dropped");
			continue;
		}
		line = xmalloc((size_t)p.pos + 1);
		evbuffer_remove(in, line, (size_t)p.pos);
		evbuffer_drain(in, n);
		line[p.pos] = '\0';
		if (p.pos > 0)
			server_frame(c, line, (size_t)p.pos);
		free(line);
	}
}

static void
server_event_cb(struct bufferevent *bev, short what, void *arg)
{
	struct server_client	*c = arg;

	(void)bev;
	if (what & (BEV_EVENT_EOF | BEV_EVENT_ERROR))
		server_client_lost(c);
}

static void
server_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct server		*s = arg;
	struct server_client	*c;
	struct ucred		 uc;
	socklen_t		 uclen = sizeof uc;
	struct passwd		 pw, *pwp = NULL;
	char			 pwbuf[4096];

	(void)l; (void)sa; (void)salen;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &uclen) != 0) {
		log_warn("cannot read peer credentials: %s", strerror(errno));
		close(fd);
		return;
	}
	if (s->nclients >= SERVER_CLIENTS_MAX) {
		log_warn("too many clients; refusing uid %u",
		    (unsigned)uc.uid);
		close(fd);
		return;
	}
	c = xcalloc(1, sizeof *c);
	c->server = s;
	c->peer.uid = uc.uid;
	c->peer.pid = uc.pid;
	getpwuid_r(uc.uid, &pw, pwbuf, sizeof pwbuf, &pwp);
	if (pwp != NULL)
		snprintf(c->peer.user, sizeof c->peer.user, "%s",
		    pwp->pw_name);
	else
		snprintf(c->peer.user, sizeof c->peer.user, "uid%u",
		    (unsigned)uc.uid);
	c->bev = bufferevent_socket_new(s->d->base, fd,
	    BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(c->bev, server_read_cb, NULL,
	    server_event_cb, c);
	bufferevent_enable(c->bev, EV_READ | EV_WRITE);
	c->next = s->clients;
	if (s->clients != NULL)
		s->clients->prev = c;
	s->clients = c;
	s->nclients++;
	rpc_peer_join(s->d, &c->peer);
	log_info("client connected: %s (uid %u, pid %ld)", c->peer.user,
	    (unsigned)c->peer.uid, (long)c->peer.pid);
}

/* The daemon's user name, for the commands the messages name. */
static void
server_me(char *buf, size_t len)
{
	struct passwd	 pw, *pwp = NULL;
	char		 pwbuf[4096];

	getpwuid_r(geteuid(), &pw, pwbuf, sizeof pwbuf, &pwp);
	snprintf(buf, len, "%s", pwp != NULL ? pwp->pw_name : "USER");
}

/*
 * The socket directory is the door (permission bits on the socket itself
 * are not portable): it must be ours, a real directory, and closed to
 * writers other than us. Every refusal names the command that fixes it.
 */
static int
server_check_dir(const char *dir, gid_t gid, const char *group,
    char **cause)
{
	struct stat	sb;
	int		have_group = group != NULL;
	mode_t		want = have_group ? 0750 : 0700;
	char		me[64];

	server_me(me, sizeof me);

	if (lstat(dir, &sb) != 0) {
		if (errno != ENOENT) {
			*cause = xasprintf("cannot check socket directory "
			    "'%s': %s", dir, strerror(errno));
			return (-1);
		}
		if (mkdir(dir, want) != 0) {
			*cause = xasprintf("cannot create socket directory "
			    "'%s': %s; create it as root: install -d -o %s%s%s "
			    "-m %o %s (support-inboxd setup does; at boot, the "
			    "tmpfiles.d file or RuntimeDirectory=)", dir,
			    strerror(errno), me, have_group ? " -g " : "",
			    have_group ? group : "", (unsigned)want, dir);
			return (-1);
		}
		if ((have_group && chown(dir, (uid_t)-1, gid) != 0) ||
		    chmod(dir, want) != 0 || lstat(dir, &sb) != 0) {
			*cause = xasprintf("cannot set up socket directory "
			    "'%s': %s%s%s%s%s", dir, strerror(errno),
			    have_group ? "; add the daemon's user to the "
			    "socket group: usermod -aG " : "", have_group ?
			    group : "", have_group ? " " : "", have_group ?
			    me : "");
			return (-1);
		}
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("socket directory '%s' is not a directory",
		    dir);
		return (-1);
	}
	if (sb.st_uid != geteuid()) {
		*cause = xasprintf("socket directory '%s' is owned by uid %u, "
		    "not by the daemon (uid %u); give it to the daemon's user "
		    "as root: chown %s%s%s %s", dir, (unsigned)sb.st_uid,
		    (unsigned)geteuid(), me, have_group ? ":" : "",
		    have_group ? group : "", dir);
		return (-1);
	}
	if (sb.st_mode & 0022) {
		*cause = xasprintf("socket directory '%s' is writable by group "
		    "or others (mode %04o); chmod %o it", dir,
		    (unsigned)(sb.st_mode & 07777), (unsigned)want);
		return (-1);
	}
	if (!have_group && (sb.st_mode & 0077)) {
		*cause = xasprintf("socket directory '%s' is open to group or "
		    "others (mode %04o) but no socket_group is set; chmod 700 "
		    "it", dir, (unsigned)(sb.st_mode & 07777));
		return (-1);
	}
	if (have_group && sb.st_gid != gid) {
		*cause = xasprintf("socket directory '%s' does not belong to "
		    "the socket group '%s'; chgrp %s %s (the daemon's user "
		    "must be in the group: usermod -aG %s %s)", dir, group,
		    group, dir, group, me);
		return (-1);
	}
	return (0);
}

/* An existing socket file: another daemon (refuse) or stale (remove). */
static int
server_check_stale(const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	struct stat		 sb;
	int			 fd, r;

	if (lstat(path, &sb) != 0)
		return (0);
	if (!S_ISSOCK(sb.st_mode)) {
		*cause = xasprintf("'%s' exists and is not a socket", path);
		return (-1);
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	r = connect(fd, (struct sockaddr *)&sun, sizeof sun);
	close(fd);
	if (r == 0) {
		*cause = xasprintf("another daemon is listening on '%s'",
		    path);
		return (-1);
	}
	unlink(path);
	return (0);
}

struct server *
server_start(struct daemon *d, char **cause)
{
	struct server		*s;
	struct sockaddr_un	 sun;
	struct group		 gr, *grp = NULL;
	char			 grbuf[4096], *dir, *tmp, me[64];
	gid_t			 gid = 0;
	int			 fd;
	mode_t			 old;

	if (strlen(d->conf.socket) >= sizeof sun.sun_path) {
		*cause = xasprintf("socket path '%s' is too long",
		    d->conf.socket);
		return (NULL);
	}
	if (d->conf.socket_group != NULL) {
		getgrnam_r(d->conf.socket_group, &gr, grbuf, sizeof grbuf,
		    &grp);
		if (grp == NULL) {
			server_me(me, sizeof me);
			*cause = xasprintf("socket_group '%s' does not exist; "
			    "create it and add the daemon's user: groupadd %s "
			    "&& usermod -aG %s %s", d->conf.socket_group,
			    d->conf.socket_group, d->conf.socket_group, me);
			return (NULL);
		}
		gid = grp->gr_gid;
	}
	tmp = xstrdup(d->conf.socket);
	dir = dirname(tmp);
	if (server_check_dir(dir, gid, grp != NULL ? d->conf.socket_group :
	    NULL, cause) != 0 ||
	    server_check_stale(d->conf.socket, cause) != 0) {
		free(tmp);
		return (NULL);
	}
	free(tmp);

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", d->conf.socket);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		*cause = xasprintf("socket: %s", strerror(errno));
		return (NULL);
	}
	old = umask(grp != NULL ? 0117 : 0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		umask(old);
		*cause = xasprintf("cannot bind '%s': %s", d->conf.socket,
		    strerror(errno));
		close(fd);
		return (NULL);
	}
	umask(old);
	if (grp != NULL && (chown(d->conf.socket, (uid_t)-1, gid) != 0 ||
	    chmod(d->conf.socket, 0660) != 0)) {
		server_me(me, sizeof me);
		*cause = xasprintf("cannot set socket group on '%s': %s; add "
		    "the daemon's user to the socket group: usermod -aG %s %s, "
		    "then start the daemon again", d->conf.socket,
		    strerror(errno), d->conf.socket_group, me);
		close(fd);
		unlink(d->conf.socket);
		return (NULL);
	}
	s = xcalloc(1, sizeof *s);
	s->d = d;
	s->path = xstrdup(d->conf.socket);
	s->reaper = event_new(d->base, -1, 0, server_reap_cb, s);
	s->listener = evconnlistener_new(d->base, server_accept_cb, s,
	    LEV_OPT_CLOSE_ON_FREE, 64, fd);
	if (s->listener == NULL || s->reaper == NULL) {
		*cause = xasprintf("cannot listen on '%s'", d->conf.socket);
		if (s->listener != NULL)
			evconnlistener_free(s->listener);
		else
			close(fd);
		if (s->reaper != NULL)
			event_free(s->reaper);
		unlink(s->path);
		free(s->path);
		free(s);
		return (NULL);
	}
	log_info("listening on socket %s", d->conf.socket);
	return (s);
}

void
server_free(struct server *s)
{
	if (s == NULL)
		return;
	s->closing = 1;
	while (s->clients != NULL)
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): the free unlinks the head */
		server_client_free(s->clients);
	event_free(s->reaper);
	evconnlistener_free(s->listener);
	unlink(s->path);
	free(s->path);
	free(s);
}

/*
 * The walks below skip dead clients and never free one: a client that
 * cannot take more is marked dead by server_send and freed by the reaper.
 */
/* To every subscriber, or (to_one) to the subscribed clients of uid. */
static void
server_push(struct server *s, int to_one, unsigned uid, const char *name,
    json_t *data)
{
	struct server_client	*c;
	json_t			*j;

	if (s == NULL)
		return;
	j = json_pack("{ss sO}", "event", name, "data", data);
	for (c = s->clients; c != NULL; c = c->next) {
		/* NOLINTNEXTLINE(clang-analyzer-unix.Malloc): clients are freed only by the reaper, never during a broadcast */
		if (c->dead || c->peer.subscribed != 1 ||
		    (to_one && (unsigned)c->peer.uid != uid))
			continue;
		server_send(c, j);
	}
	json_decref(j);
}

void
server_broadcast(struct server *s, const char *name, json_t *data)
{
	server_push(s, 0, 0, name, data);
}

void
server_events(struct server *s, json_t *events)
{
	json_t		*ev, *uid;
	const char	*name;
	size_t		 i;

	json_array_foreach(events, i, ev) {
		name = json_string_value(json_object_get(ev, "event"));
		if (name == NULL)
			continue;
		if ((uid = json_object_get(ev, "uid")) != NULL)
			server_push(s, 1, (unsigned)json_integer_value(uid),
			    name, json_object_get(ev, "data"));
		else
			server_broadcast(s, name, json_object_get(ev, "data"));
	}
	json_decref(events);
}

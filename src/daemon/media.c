/*
 * The blob store and inbound media downloads (see media.h). Downloads run
 * one at a time in the background with bounded retries; the file is sealed
 * before it touches the disk.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <sodium.h>

#include "audit.h"
#include "crypt.h"
#include "daemon.h"
#include "graph.h"
#include "numbers.h"
#include "log.h"
#include "media.h"
#include "outbox.h"
#include "proto-names.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "xmalloc.h"

#define MEDIA_LOOKUP_MAX	(16 * 1024)

struct media {
	struct daemon	*d;
	struct event	*ev;		/* tick: retries come due */
	struct event	*kick;
	int		 busy;		/* a download is running */
	int64_t		 cur;		/* its media row */
	int64_t		 contact_id;
	int64_t		 attempts;
	char		 mime[128];
	int		 stopping;
	const struct conf_number *num;	/* the customer wrote to; its token */
};

/* --- limits --- */

static const struct {
	const char	*mime;
	const char	*type;
	size_t		 max;
} media_limits[] = {
	{ "audio/aac", "audio", 16 << 20 },
	{ "audio/amr", "audio", 16 << 20 },
	{ "audio/mpeg", "audio", 16 << 20 },
	{ "audio/mp4", "audio", 16 << 20 },
	{ "audio/ogg", "audio", 16 << 20 },
	{ "text/plain", "document", 100 << 20 },
	{ "application/pdf", "document", 100 << 20 },
	{ "application/msword", "document", 100 << 20 },
	{ "application/vnd.openxmlformats-officedocument."
	  "wordprocessingml.document", "document", 100 << 20 },
	{ "application/vnd.ms-excel", "document", 100 << 20 },
	{ "application/vnd.openxmlformats-officedocument."
	  "spreadsheetml.sheet", "document", 100 << 20 },
	{ "application/vnd.ms-powerpoint", "document", 100 << 20 },
	{ "application/vnd.openxmlformats-officedocument."
	  "presentationml.presentation", "document", 100 << 20 },
	{ "image/jpeg", "image", 5 << 20 },
	{ "image/png", "image", 5 << 20 },
	{ "image/webp", "sticker", 500 << 10 },
	{ "video/mp4", "video", 16 << 20 },
	{ "video/3gpp", "video", 16 << 20 },
};

const char *
media_check(const char *mime, size_t len, char **cause)
{
	size_t	i;

	for (i = 0; i < sizeof media_limits / sizeof media_limits[0]; i++) {
		if (strcasecmp(media_limits[i].mime, mime) != 0)
			continue;
		if (len == 0) {
			*cause = xstrdup("the attachment is empty");
			return (NULL);
		}
		if (len > media_limits[i].max) {
			*cause = xasprintf("WhatsApp takes %s files of at most "
			    "%zu KB; this one is %zu KB", mime,
			    media_limits[i].max / 1024, (len + 1023) / 1024);
			return (NULL);
		}
		return (media_limits[i].type);
	}
	*cause = xasprintf("WhatsApp does not take '%s' attachments (images: "
	    "jpeg, png; video: mp4, 3gp; audio: aac, amr, mp3, m4a, ogg; "
	    "documents: txt, pdf, office; stickers: webp)", mime);
	return (NULL);
}

/* --- blobs --- */

static char *
media_blob_path(struct daemon *d, int64_t id)
{
	return (xasprintf("%s/blobs/%lld", d->conf.data_dir, (long long)id));
}

int
media_blob_write(struct daemon *d, int64_t id, int64_t contact_id,
    const void *data, size_t len, char **cause)
{
	uint8_t		*ct;
	size_t		 ctlen, off = 0;
	char		*dir, *path, *tmp;
	ssize_t		 n;
	int		 fd, r = -1;

	dir = xasprintf("%s/blobs", d->conf.data_dir);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("cannot create '%s': %s", dir,
		    strerror(errno));
		free(dir);
		return (-1);
	}
	free(dir);
	if (store_media_seal(&d->store, contact_id, id, data, len, &ct,
	    &ctlen) != 0) {
		*cause = xstrdup("no data key for this contact (erased?)");
		return (-1);
	}
	path = media_blob_path(d, id);
	tmp = xasprintf("%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY|O_CREAT|O_TRUNC|O_CLOEXEC, 0600)) == -1) {
		*cause = xasprintf("cannot create blob: %s", strerror(errno));
		goto out;
	}
	while (off < ctlen) {
		n = write(fd, ct + off, ctlen - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			*cause = xasprintf("cannot write blob: %s",
			    strerror(errno));
			close(fd);
			unlink(tmp);
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
		*cause = xasprintf("cannot store blob: %s", strerror(errno));
		unlink(tmp);
		goto out;
	}
	r = 0;
out:
	free(ct);
	free(path);
	free(tmp);
	return (r);
}

int
media_blob_read(struct daemon *d, int64_t id, int64_t contact_id,
    struct media_blob *b, char **cause)
{
	struct store_media_row	 row;
	struct stat		 sb;
	uint8_t			*ct = NULL;
	char			*path, *pt;
	size_t			 off = 0, ptlen;
	ssize_t			 n;
	int			 fd, r = -1;

	memset(b, 0, sizeof *b);
	if (store_media_get(&d->store, id, &row) != 0 ||
	    row.contact_id != contact_id) {
		*cause = xstrdup("no such media");
		return (-1);
	}
	snprintf(b->mime, sizeof b->mime, "%s", row.mime);
	store_media_row_clear(&row);
	path = media_blob_path(d, id);
	if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1 ||
	    fstat(fd, &sb) != 0 || sb.st_size > (off_t)200 * 1024 * 1024) {
		*cause = xasprintf("cannot read blob %lld: %s", (long long)id,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		free(path);
		return (-1);
	}
	free(path);
	ct = xmalloc((size_t)sb.st_size + 1);
	while (off < (size_t)sb.st_size) {
		n = read(fd, ct + off, (size_t)sb.st_size - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	if (store_media_open(&d->store, contact_id, id, ct, off, &pt,
	    &ptlen) != 0) {
		*cause = xasprintf("blob %lld does not open (altered or "
		    "moved)", (long long)id);
		goto out;
	}
	b->data = (uint8_t *)pt;
	b->len = ptlen;
	r = 0;
out:
	free(ct);
	return (r);
}

void
media_blob_clear(struct media_blob *b)
{
	if (b->data != NULL)
		crypt_wipe_free(b->data, b->len);
	memset(b, 0, sizeof *b);
}

/* --- downloads --- */

int
media_on_inbound(struct daemon *d, int64_t msg_id, int64_t contact_id,
    const char *meta_id, const char *mime)
{
	int64_t	id;

	if (meta_id == NULL || strlen(meta_id) > 128)
		return (0);
	if (store_media_add(&d->store, msg_id, contact_id, "in", "queued",
	    mime, -1, meta_id, (int64_t)time(NULL), &id) != 0)
		return (-1);
	media_kick(d->media);
	return (0);
}

static void	media_next(struct media *);

static const struct audit_who media_who = { 0, "support-inboxd", "media" };

/* A download's outcome (rpc_act): its row, and "media" once it is there. */
struct media_result {
	struct media	*m;
	const char	*state;
	const char	*error;
	int64_t		 attempts;
	int64_t		 next;		/* retry at, or 0 */
	int64_t		 size;		/* -1: no file */
	int64_t		 now;
};

static int
media_record(struct rpc_ctx *ctx, void *arg, struct rpc_err *err)
{
	struct media_result	*r = arg;
	int			 done = strcmp(r->state, "done") == 0;

	if (store_media_set(&ctx->d->store, r->m->cur, r->state, r->attempts,
	    r->next, done ? r->m->mime : NULL, r->size, r->error,
	    r->now) != 0) {
		rpc_error(err, PE_INTERNAL, "database error");
		return (-1);
	}
	if (done)
		rpc_event(ctx, PEV_MEDIA, json_pack("{sI}", "media",
		    (json_int_t)r->m->cur));
	return (0);
}

static void
media_finish(struct media *m, const char *state, const uint8_t *data,
    size_t len, const char *error)
{
	struct daemon		*d = m->d;
	struct media_result	 r = { .m = m, .now = (int64_t)time(NULL),
				    .attempts = m->attempts + 1 };
	json_t			*events;
	char			*cause = NULL;

	if (data != NULL && media_blob_write(d, m->cur, m->contact_id, data,
	    len, &cause) != 0) {
		log_warn("media: %lld: %s", (long long)m->cur, cause);
		free(cause);
		cause = NULL;
		state = "queued";
		error = "cannot store the file";
	}
	if (strcmp(state, "queued") == 0) {
		if (r.attempts >= (int64_t)d->conf.max_attempts)
			state = "failed";
		else
			r.next = r.now + ((int64_t)1 << (r.attempts < 10 ?
			    r.attempts : 10));
	}
	r.state = state;
	r.error = error;
	r.size = data != NULL ? (int64_t)len : -1;
	if (rpc_act(d, &media_who, "media", media_record, &r, &events) == 0)
		server_events(d->server, events);
	m->busy = 0;
	media_kick(m);
}

static void
media_download_cb(const struct graph_resp *r, void *arg)
{
	struct media	*m = arg;

	if (r->transport == GRAPH_OK && r->http == 200)
		media_finish(m, "done", (const uint8_t *)r->body, r->len, NULL);
	else
		media_finish(m, "queued", NULL, 0, r->transport == GRAPH_OK ?
		    "download refused" : "download failed");
}

static void
media_lookup_cb(const struct graph_resp *r, void *arg)
{
	struct media	*m = arg;
	struct daemon	*d = m->d;
	const char	*url, *mime;

	if (r->transport != GRAPH_OK || r->http != 200 || r->has_error) {
		media_finish(m, r->has_error && r->code == 100 ? "failed" :
		    "queued", NULL, 0, "media lookup failed");
		return;
	}
	url = json_string_value(json_object_get(r->json, "url"));
	mime = json_string_value(json_object_get(r->json, "mime_type"));
	if (mime != NULL)
		snprintf(m->mime, sizeof m->mime, "%s", mime);
	/* The token goes only to the API and Meta's media hosts. */
	if (url == NULL || !graph_is_token_url(d->graph, url)) {
		log_warn("media %lld: the lookup named a URL outside the "
		    "API and [graph] media_hosts; not fetched",
		    (long long)m->cur);
		media_finish(m, "failed", NULL, 0, "bad media URL");
		return;
	}
	if (graph_request_as(d->graph, numbers_token(d, m->num), "GET", url,
	    NULL, NULL, 0, d->conf.media_max_bytes, media_download_cb, m) != 0)
		media_finish(m, "queued", NULL, 0, "cannot start download");
}

static void
media_next(struct media *m)
{
	struct daemon		*d = m->d;
	struct store_media_row	 row;
	char			*path;
	int			 rc;

	if (m->busy || m->stopping || d->outbox == NULL ||
	    outbox_paused(d->outbox))
		return;
	rc = store_media_due(&d->store, (int64_t)time(NULL), 0, &row);
	if (rc != 0)
		return;
	m->busy = 1;
	m->cur = row.id;
	m->contact_id = row.contact_id;
	m->attempts = row.attempts;
	snprintf(m->mime, sizeof m->mime, "%s", row.mime);
	if (!graph_is_id(row.meta_id)) {
		/* From a webhook: never let it shape the request's path. */
		store_media_row_clear(&row);
		log_warn("media %lld: the webhook's media id is not an id; "
		    "not fetched", (long long)m->cur);
		media_finish(m, "failed", NULL, 0, "invalid media id");
		return;
	}
	/* Asked as the number the customer sent it to. */
	m->num = numbers_of_msg(d, row.message_id);
	path = xasprintf("/%s%s%s", row.meta_id != NULL ? row.meta_id : "x",
	    m->num != NULL ? "?phone_number_id=" : "",
	    m->num != NULL ? m->num->phone_number_id : "");
	store_media_row_clear(&row);
	if (graph_request_as(d->graph, numbers_token(d, m->num), "GET", path,
	    NULL, NULL, 0, MEDIA_LOOKUP_MAX, media_lookup_cb, m) != 0) {
		m->busy = 0;
		log_warn("media: cannot start a lookup");
	}
	free(path);
}

static void
media_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd; (void)what;
	media_next(arg);
}

void
media_kick(struct media *m)
{
	struct timeval	tv = { 0, 0 };

	if (m == NULL || m->stopping)
		return;
	evtimer_add(m->kick, &tv);
}

struct media *
media_start(struct daemon *d, char **cause)
{
	struct media	*m;
	struct timeval	 tv = { 2, 0 };

	(void)cause;
	m = xcalloc(1, sizeof *m);
	m->d = d;
	/* Persistent: retries come due without anyone kicking. */
	m->ev = event_new(d->base, -1, EV_PERSIST, media_cb, m);
	event_add(m->ev, &tv);
	m->kick = evtimer_new(d->base, media_cb, m);
	return (m);
}

void
media_free(struct media *m)
{
	if (m == NULL)
		return;
	m->stopping = 1;
	event_free(m->ev);
	event_free(m->kick);
	free(m);
}

void
media_stop(struct media *m)
{
	if (m != NULL)
		m->stopping = 1;
}

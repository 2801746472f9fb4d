/*
 * Attachment uploads, streamed to sealed files (see upload.h).
 *
 * File format: the secretstream header (24 bytes), then one record per
 * piece of a chunk: ciphertext length (4 bytes, little endian) and the
 * ciphertext (crypto_secretstream_xchacha20poly1305_push, tag MESSAGE).
 * What was written (records, bytes) is remembered in memory, so a file cut
 * short or grown on disk does not open. The key and the push state are in
 * sodium_malloc'd memory and wiped when the upload ends.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <sodium.h>

#include "conf.h"
#include "crypt.h"
#include "daemon.h"
#include "log.h"
#include "store.h"
#include "upload.h"
#include "xmalloc.h"

#define UPLOAD_RECORD	(256 * 1024)	/* plaintext bytes per record */
#define UPLOAD_HDR	crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define UPLOAD_ABYTES	crypto_secretstream_xchacha20poly1305_ABYTES

struct upload_secret {
	uint8_t						key[
	    crypto_secretstream_xchacha20poly1305_KEYBYTES];
	crypto_secretstream_xchacha20poly1305_state	st;
};

struct upload {
	int64_t			 id;		/* 0: free slot */
	int64_t			 agent_id;
	time_t			 touched;	/* last chunk */
	uint64_t		 len;		/* plaintext bytes */
	uint64_t		 fsize;		/* bytes in the file */
	uint64_t		 nrec;
	int			 fd;
	char			 name[40];	/* random hex */
	struct upload_secret	*sec;
	int			 taken;		/* by a reply: uploads_take */
	int64_t			 msg_id;	/* what it was queued as */
};

struct uploads {
	struct daemon	*d;
	int		 dirfd;
	struct event	*tick;
	struct event	*settle;	/* taken uploads: after the commit */
	struct upload	 slots[UPLOAD_SLOTS];
	int64_t		 seq;
};

static uint64_t
uploads_agent_bytes_max(struct uploads *u)
{
	const struct conf	*c = &u->d->conf;

	if (c->upload_bytes_per_agent != 0)
		return (c->upload_bytes_per_agent);
	return (2 * (uint64_t)c->media_max_bytes);
}

/* Ends an upload: file deleted, key wiped, slot freed. */
static void
uploads_drop(struct uploads *u, struct upload *up)
{
	if (up->id == 0)
		return;
	if (up->fd != -1)
		close(up->fd);
	if (up->name[0] != '\0' && unlinkat(u->dirfd, up->name, 0) != 0 &&
	    errno != ENOENT)
		log_warn("uploads: cannot delete an upload file: %s",
		    strerror(errno));
	if (up->sec != NULL)
		sodium_free(up->sec);	/* wipes */
	memset(up, 0, sizeof *up);
	up->fd = -1;
}

/* An upload of agent_id; a taken one only if taken is set. */
static struct upload *
uploads_find(struct uploads *u, int64_t agent_id, int64_t id, int taken)
{
	size_t	i;

	if (id == 0)
		return (NULL);
	for (i = 0; i < UPLOAD_SLOTS; i++) {
		if (u->slots[i].id == id && u->slots[i].agent_id == agent_id &&
		    (taken || !u->slots[i].taken))
			return (&u->slots[i]);
	}
	return (NULL);
}

static int
uploads_write_all(int fd, const void *p, size_t len)
{
	const uint8_t	*b = p;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, b, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return (-1);
		}
		b += n;
		len -= (size_t)n;
	}
	return (0);
}

static int
uploads_read_all(int fd, void *p, size_t len)
{
	uint8_t	*b = p;
	ssize_t	 n;

	while (len > 0) {
		n = read(fd, b, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return (-1);
		b += n;
		len -= (size_t)n;
	}
	return (0);
}

/* A new upload: a fresh key, a file of a random name with the header. */
static int
uploads_open(struct uploads *u, struct upload *up, int64_t agent_id,
    char **cause)
{
	uint8_t	hdr[UPLOAD_HDR], rnd[16];
	int	try;

	memset(up, 0, sizeof *up);
	up->fd = -1;
	if ((up->sec = sodium_malloc(sizeof *up->sec)) == NULL) {
		*cause = xstrdup("out of memory for an upload key");
		return (-1);
	}
	crypto_secretstream_xchacha20poly1305_keygen(up->sec->key);
	crypto_secretstream_xchacha20poly1305_init_push(&up->sec->st, hdr,
	    up->sec->key);
	for (try = 0; try < 8 && up->fd == -1; try++) {
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2hex(up->name, sizeof up->name, rnd, sizeof rnd);
		up->fd = openat(u->dirfd, up->name, O_WRONLY|O_CREAT|O_EXCL|
		    O_NOFOLLOW|O_CLOEXEC, 0600);
		if (up->fd == -1 && errno != EEXIST)
			break;
	}
	if (up->fd == -1) {
		*cause = xasprintf("cannot create an upload file in "
		    "%s/uploads: %s", u->d->conf.data_dir, strerror(errno));
		up->name[0] = '\0';
		goto fail;
	}
	if (uploads_write_all(up->fd, hdr, sizeof hdr) != 0) {
		*cause = xasprintf("cannot write an upload file: %s",
		    strerror(errno));
		goto fail;
	}
	up->fsize = sizeof hdr;
	up->id = ++u->seq;
	up->agent_id = agent_id;
	up->touched = time(NULL);
	return (0);
fail:
	up->id = 1;	/* so that uploads_drop cleans it */
	uploads_drop(u, up);
	return (-1);
}

/* Seals data onto the end of the upload's file. */
static int
uploads_append(struct upload *up, const uint8_t *data, size_t len,
    char **cause)
{
	uint8_t			*rec;
	unsigned long long	 clen;
	size_t			 n;
	int			 r = 0;

	rec = xmalloc(4 + UPLOAD_RECORD + UPLOAD_ABYTES);
	while (len > 0 && r == 0) {
		n = len < UPLOAD_RECORD ? len : UPLOAD_RECORD;
		crypto_secretstream_xchacha20poly1305_push(&up->sec->st,
		    rec + 4, &clen, data, n, NULL, 0,
		    crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
		rec[0] = (uint8_t)clen;
		rec[1] = (uint8_t)(clen >> 8);
		rec[2] = (uint8_t)(clen >> 16);
		rec[3] = (uint8_t)(clen >> 24);
		if (uploads_write_all(up->fd, rec, 4 + (size_t)clen) != 0) {
			*cause = xasprintf("cannot write the upload file: %s",
			    strerror(errno));
			r = -1;
			break;
		}
		up->fsize += 4 + clen;
		up->nrec++;
		up->len += n;
		data += n;
		len -= n;
	}
	/* Only ciphertext was in it; no need to wipe. */
	free(rec);
	return (r);
}

int
uploads_add(struct uploads *u, int64_t agent_id, int64_t *id,
    const void *data, size_t len, size_t *total, const char **code,
    char **cause)
{
	const struct conf	*c = &u->d->conf;
	struct upload		*up = NULL;
	uint64_t		 mine = 0, bmax = uploads_agent_bytes_max(u);
	unsigned		 nmine = 0;
	size_t			 i;
	int64_t			 uid;

	for (i = 0; i < UPLOAD_SLOTS; i++) {
		if (u->slots[i].id != 0 && u->slots[i].agent_id == agent_id) {
			nmine++;
			mine += u->slots[i].len;
		}
	}
	if (*id == 0) {
		if (nmine >= c->uploads_per_agent) {
			*code = "quota";
			*cause = xasprintf("you have %u uploads in progress, "
			    "the most one agent may have ([media] "
			    "uploads_per_agent = %u); send or abort one, or "
			    "wait: an idle upload is dropped after %u s",
			    nmine, c->uploads_per_agent, c->upload_expiry);
			return (-1);
		}
		for (i = 0; i < UPLOAD_SLOTS && up == NULL; i++) {
			if (u->slots[i].id == 0)
				up = &u->slots[i];
		}
		if (up == NULL) {
			*code = "quota";
			*cause = xasprintf("all %d upload slots of the daemon "
			    "are in use (by all agents); try again in a "
			    "minute", UPLOAD_SLOTS);
			return (-1);
		}
		if (uploads_open(u, up, agent_id, cause) != 0) {
			*code = "internal";
			return (-1);
		}
		*id = up->id;
	} else if ((up = uploads_find(u, agent_id, *id, 0)) == NULL) {
		*code = "not_found";
		*cause = xasprintf("no upload %lld of yours in progress (sent, "
		    "aborted, refused, or dropped after %u s idle)",
		    (long long)*id, c->upload_expiry);
		return (-1);
	}
	uid = up->id;
	if (up->len + len > c->media_max_bytes) {
		uploads_drop(u, up);
		*code = "invalid";
		*cause = xasprintf("attachment larger than %u bytes ([graph] "
		    "media_max_bytes); upload %lld dropped",
		    c->media_max_bytes, (long long)uid);
		return (-1);
	}
	if (mine + len > bmax) {
		uploads_drop(u, up);
		*code = "quota";
		*cause = xasprintf("your uploads in progress would exceed %llu "
		    "bytes, the most one agent may have ([media] "
		    "upload_bytes_per_agent); upload %lld dropped",
		    (unsigned long long)bmax, (long long)uid);
		return (-1);
	}
	if (uploads_append(up, data, len, cause) != 0) {
		uploads_drop(u, up);
		*code = "internal";
		return (-1);
	}
	up->touched = time(NULL);
	*total = (size_t)up->len;
	return (0);
}

int
uploads_abort(struct uploads *u, int64_t agent_id, int64_t id)
{
	struct upload	*up;

	/* A taken one goes too: sent, or given up on either way. */
	if ((up = uploads_find(u, agent_id, id, 1)) == NULL)
		return (-1);
	uploads_drop(u, up);
	return (0);
}

uint8_t *
uploads_take(struct uploads *u, int64_t agent_id, int64_t id, size_t *len,
    char **cause)
{
	crypto_secretstream_xchacha20poly1305_state	 st;
	struct timeval	 zero = { 0, 0 };
	struct upload	*up;
	struct stat	 sb;
	uint8_t		 hdr[UPLOAD_HDR], lb[4], *out = NULL, *ct = NULL;
	unsigned long long mlen;
	uint64_t	 off = 0, rec;
	uint32_t	 clen;
	unsigned char	 tag;
	int		 fd = -1, ok = 0;

	if ((up = uploads_find(u, agent_id, id, 0)) == NULL) {
		*cause = xasprintf("no upload %lld of yours (sent, aborted, "
		    "refused, or dropped after %u s idle)", (long long)id,
		    u->d->conf.upload_expiry);
		return (NULL);
	}
	fd = openat(u->dirfd, up->name, O_RDONLY|O_NOFOLLOW|O_CLOEXEC);
	if (fd == -1 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size != up->fsize ||
	    uploads_read_all(fd, hdr, sizeof hdr) != 0 ||
	    crypto_secretstream_xchacha20poly1305_init_pull(&st, hdr,
	    up->sec->key) != 0)
		goto out;
	out = xmalloc((size_t)up->len + 1);
	ct = xmalloc(UPLOAD_RECORD + UPLOAD_ABYTES);
	for (rec = 0; rec < up->nrec; rec++) {
		if (uploads_read_all(fd, lb, sizeof lb) != 0)
			goto out;
		clen = (uint32_t)lb[0] | (uint32_t)lb[1] << 8 |
		    (uint32_t)lb[2] << 16 | (uint32_t)lb[3] << 24;
		if (clen < UPLOAD_ABYTES || clen > UPLOAD_RECORD +
		    UPLOAD_ABYTES || off + (clen - UPLOAD_ABYTES) > up->len ||
		    uploads_read_all(fd, ct, clen) != 0 ||
		    crypto_secretstream_xchacha20poly1305_pull(&st, out + off,
		    &mlen, &tag, ct, clen, NULL, 0) != 0 ||
		    tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE)
			goto out;
		off += mlen;
	}
	ok = off == up->len && read(fd, lb, 1) == 0;
out:
	sodium_memzero(&st, sizeof st);
	free(ct);
	if (fd != -1)
		close(fd);
	if (!ok) {
		if (out != NULL)
			crypt_wipe_free(out, (size_t)up->len + 1);
		*cause = xasprintf("upload %lld does not open (its file was "
		    "altered or removed); upload the file again",
		    (long long)id);
		uploads_drop(u, up);
		return (NULL);
	}
	*len = (size_t)up->len;
	up->taken = 1;
	up->msg_id = 0;
	evtimer_add(u->settle, &zero);
	return (out);
}

void
uploads_queued(struct uploads *u, int64_t agent_id, int64_t id,
    int64_t msg_id)
{
	struct upload	*up;

	if ((up = uploads_find(u, agent_id, id, 1)) != NULL && up->taken)
		up->msg_id = msg_id;
}

/*
 * The loop runs again after the transaction an upload was taken in: the
 * reply committed if its message has its outbox row, and the file goes;
 * if not (refused, rolled back), the upload is the agent's again.
 */
static void
uploads_settle_cb(evutil_socket_t fd, short what, void *arg)
{
	struct uploads		*u = arg;
	struct upload		*up;
	struct store_outbox_row	 r;
	size_t			 i;

	(void)fd; (void)what;
	for (i = 0; i < UPLOAD_SLOTS; i++) {
		up = &u->slots[i];
		if (up->id == 0 || !up->taken)
			continue;
		if (up->msg_id != 0 && store_outbox_get(&u->d->store,
		    up->msg_id, 1, &r) == STORE_FOUND)
			uploads_drop(u, up);
		else {
			up->taken = 0;
			up->msg_id = 0;
			up->touched = time(NULL);
		}
	}
}

static void
uploads_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct uploads	*u = arg;
	time_t		 now = time(NULL);
	size_t		 i;

	(void)fd; (void)what;
	for (i = 0; i < UPLOAD_SLOTS; i++) {
		if (u->slots[i].id != 0 && now - u->slots[i].touched >=
		    (time_t)u->d->conf.upload_expiry) {
			log_info("uploads: upload %lld idle for %u s; dropped",
			    (long long)u->slots[i].id,
			    u->d->conf.upload_expiry);
			uploads_drop(u, &u->slots[i]);
		}
	}
}

/* Everything in the directory is from an earlier run: its keys are gone. */
static int
uploads_clean_dir(struct uploads *u)
{
	DIR		*dir;
	struct dirent	*de;
	int		 fd, n = 0;

	if ((fd = dup(u->dirfd)) == -1 || (dir = fdopendir(fd)) == NULL) {
		if (fd != -1)
			close(fd);
		return (-1);
	}
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(u->dirfd, de->d_name, 0) == 0)
			n++;
		else
			log_warn("uploads: cannot delete a leftover entry in "
			    "%s/uploads: %s", u->d->conf.data_dir,
			    strerror(errno));
	}
	closedir(dir);
	return (n);
}

struct uploads *
uploads_start(struct daemon *d, char **cause)
{
	struct uploads	*u;
	struct timeval	 tv = { 1, 0 };
	char		*path;
	size_t		 i;
	int		 n;

	u = xcalloc(1, sizeof *u);
	u->d = d;
	for (i = 0; i < UPLOAD_SLOTS; i++)
		u->slots[i].fd = -1;
	path = xasprintf("%s/uploads", d->conf.data_dir);
	if (mkdir(path, 0700) != 0 && errno != EEXIST) {
		*cause = xasprintf("cannot create '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	if ((u->dirfd = open(path, O_RDONLY|O_DIRECTORY|O_NOFOLLOW|
	    O_CLOEXEC)) == -1) {
		*cause = xasprintf("cannot open '%s': %s (it must be a "
		    "directory, not a link)", path, strerror(errno));
		goto fail;
	}
	if (conf_check_private_file(u->dirfd, path, cause) != 0) {
		close(u->dirfd);
		goto fail;
	}
	if ((n = uploads_clean_dir(u)) > 0)
		log_info("uploads: %d unfinished upload file(s) of the last "
		    "run deleted", n);
	free(path);
	u->tick = event_new(d->base, -1, EV_PERSIST, uploads_tick_cb, u);
	event_add(u->tick, &tv);
	u->settle = evtimer_new(d->base, uploads_settle_cb, u);
	return (u);
fail:
	free(path);
	free(u);
	return (NULL);
}

void
uploads_free(struct uploads *u)
{
	size_t	i;

	if (u == NULL)
		return;
	for (i = 0; i < UPLOAD_SLOTS; i++)
		uploads_drop(u, &u->slots[i]);
	if (u->tick != NULL)
		event_free(u->tick);
	if (u->settle != NULL)
		event_free(u->settle);
	close(u->dirfd);
	free(u);
}

/*
 * The media endpoints: multipart upload into memory, the URL lookup with
 * Meta's shape, a download URL served by this simulator (with the bearer
 * token, as Meta requires), and delete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <sodium.h>

#include "sim.h"
#include "xmalloc.h"

#define SIM_MEDIA_STORE_MAX	(512UL * 1024 * 1024)

struct sim_media {
	char		 id[24];
	char		*mime;
	char		*data;
	size_t		 len;
	char		 sha256[65];	/* hex, as GET /{media-id} gives it */
	struct sim_media *next;
};

/* Supported types and their size limits (reference §4). */
static const struct {
	const char	*mime;
	size_t		 max;
} sim_media_types[] = {
	{ "audio/aac", 16 << 20 }, { "audio/amr", 16 << 20 },
	{ "audio/mpeg", 16 << 20 }, { "audio/mp4", 16 << 20 },
	{ "audio/ogg", 16 << 20 },
	{ "text/plain", 100 << 20 }, { "application/pdf", 100 << 20 },
	{ "application/msword", 100 << 20 },
	{ "application/vnd.openxmlformats-officedocument.wordprocessingml."
	  "document", 100 << 20 },
	{ "application/vnd.ms-excel", 100 << 20 },
	{ "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	  100 << 20 },
	{ "application/vnd.ms-powerpoint", 100 << 20 },
	{ "application/vnd.openxmlformats-officedocument.presentationml."
	  "presentation", 100 << 20 },
	{ "image/jpeg", 5 << 20 }, { "image/png", 5 << 20 },
	{ "image/webp", 500 << 10 },
	{ "video/mp4", 16 << 20 }, { "video/3gpp", 16 << 20 },
};

void
sim_media_init(struct sim_media_store *st)
{
	memset(st, 0, sizeof *st);
}

size_t
sim_media_count(struct sim_media_store *st)
{
	struct sim_media	*m;
	size_t			 n = 0;

	for (m = st->head; m != NULL; m = m->next)
		n++;
	return (n);
}

static void
sim_media_free(struct sim_media *m)
{
	free(m->mime);
	free(m->data);
	free(m);
}

void
sim_media_release(struct sim_media_store *st)
{
	struct sim_media	*m;

	while ((m = st->head) != NULL) {
		st->head = m->next;
		sim_media_free(m);
	}
	st->bytes = 0;
}

static struct sim_media **
sim_media_find(struct sim_media_store *st, const char *id)
{
	struct sim_media	**mp;

	for (mp = &st->head; *mp != NULL; mp = &(*mp)->next) {
		if (strcmp((*mp)->id, id) == 0)
			break;
	}
	return (mp);
}

/* One part of a multipart/form-data body. */
struct sim_media_part {
	char		 name[64];
	char		 type[128];	/* its Content-Type, or "" */
	const char	*data;
	size_t		 len;
};

/* Copies the value of key="..." (or key=token) from a header line. */
static int
sim_media_param(const char *h, size_t hlen, const char *key, char *out,
    size_t outlen)
{
	const char	*p = h, *end = h + hlen, *v;
	size_t		 klen = strlen(key), n;

	while (p < end) {
		p = memmem(p, (size_t)(end - p), key, klen);
		if (p == NULL)
			return (-1);
		if ((p == h || p[-1] == ' ' || p[-1] == ';') &&
		    p + klen < end && p[klen] == '=')
			break;
		p += klen;
	}
	if (p == NULL || p >= end)
		return (-1);
	v = p + klen + 1;
	if (v < end && *v == '"') {
		v++;
		for (n = 0; v + n < end && v[n] != '"'; n++)
			;
	} else {
		for (n = 0; v + n < end && v[n] != ';' && v[n] != ' ' &&
		    v[n] != '\r'; n++)
			;
	}
	if (n >= outlen)
		return (-1);
	memcpy(out, v, n);
	out[n] = '\0';
	return (0);
}

/*
 * Splits a multipart body; returns the number of parts found (at most
 * max), or -1 when the body is not multipart with that boundary.
 */
static int
sim_media_parts(const char *body, size_t len, const char *boundary,
    struct sim_media_part *parts, int max)
{
	char		 delim[128];
	const char	*p, *end = body + len, *hend, *next, *line, *eol;
	size_t		 dlen;
	int		 n = 0;

	dlen = (size_t)snprintf(delim, sizeof delim, "--%s", boundary);
	if (dlen >= sizeof delim)
		return (-1);
	if ((p = memmem(body, len, delim, dlen)) == NULL)
		return (-1);
	for (;;) {
		p += dlen;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;			/* closing delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return (-1);
		p += 2;
		hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (hend == NULL)
			return (-1);
		next = memmem(hend + 4, (size_t)(end - hend - 4), delim, dlen);
		if (next == NULL || next - 2 < hend + 4 || next[-2] != '\r')
			return (-1);
		if (n < max) {
			memset(&parts[n], 0, sizeof parts[n]);
			for (line = p; line < hend; line = eol + 2) {
				eol = memmem(line, (size_t)(hend + 2 - line),
				    "\r\n", 2);
				if (eol == NULL)
					break;
				if (strncasecmp(line, "Content-Disposition:",
				    20) == 0) {
					sim_media_param(line, (size_t)(eol -
					    line), "name", parts[n].name,
					    sizeof parts[n].name);
				} else if (strncasecmp(line, "Content-Type:",
				    13) == 0) {
					const char *v = line + 13;
					size_t vl;

					while (v < eol && *v == ' ')
						v++;
					vl = (size_t)(eol - v);
					if (vl < sizeof parts[n].type) {
						memcpy(parts[n].type, v, vl);
						parts[n].type[vl] = '\0';
					}
				}
			}
			parts[n].data = hend + 4;
			parts[n].len = (size_t)(next - 2 - (hend + 4));
			n++;
		}
		p = next;
	}
	return (n);
}

static void
sim_media_new_id(struct sim_media_store *st, char id[24])
{
	uint64_t	r;

	do {
		randombytes_buf(&r, sizeof r);
		snprintf(id, 24, "%llu", 1000000000000000ULL +
		    (unsigned long long)(r % 9000000000000000ULL));
	} while (*sim_media_find(st, id) != NULL);
}

void
sim_media_upload(struct sim_serve *s, struct evhttp_request *req,
    const char *phone)
{
	struct sim_media_part	 parts[16];
	struct sim_media	*m;
	const char		*ctype, *body, *mime = NULL, *product = NULL;
	const struct sim_media_part *file = NULL;
	char			 boundary[100], *semi, *details;
	char			 base[128], product_buf[32], type_buf[128];
	unsigned char		 digest[32];
	size_t			 len, i, max = 0;
	int			 n;

	(void)phone;
	ctype = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Content-Type");
	if (ctype == NULL || strncasecmp(ctype, "multipart/form-data", 19) != 0 ||
	    sim_media_param(ctype, strlen(ctype), "boundary", boundary,
	    sizeof boundary) != 0) {
		sim_error_param(req, "Invalid parameter",
		    "Upload media with Content-Type multipart/form-data.");
		return;
	}
	body = sim_util_body(req, &len);
	n = sim_media_parts(body, len, boundary, parts, 16);
	if (n < 0) {
		sim_error_param(req, "Invalid parameter",
		    "The multipart/form-data body could not be parsed.");
		return;
	}
	for (i = 0; i < (size_t)n; i++) {
		if (strcmp(parts[i].name, "file") == 0)
			file = &parts[i];
		else if (strcmp(parts[i].name, "type") == 0 &&
		    parts[i].len < sizeof type_buf) {
			memcpy(type_buf, parts[i].data, parts[i].len);
			type_buf[parts[i].len] = '\0';
			mime = type_buf;
		} else if (strcmp(parts[i].name, "messaging_product") == 0 &&
		    parts[i].len < sizeof product_buf) {
			memcpy(product_buf, parts[i].data, parts[i].len);
			product_buf[parts[i].len] = '\0';
			product = product_buf;
		}
	}
	if (product == NULL) {
		sim_error_param(req, "The parameter messaging_product is "
		    "required.", NULL);
		return;
	}
	if (strcmp(product, "whatsapp") != 0) {
		sim_error_param(req, "Invalid parameter",
		    "messaging_product must be whatsapp.");
		return;
	}
	if (file == NULL) {
		sim_error_param(req, "The parameter file is required.", NULL);
		return;
	}
	if (mime == NULL && file->type[0] != '\0')
		mime = file->type;
	if (mime == NULL) {
		sim_error_param(req, "The parameter type is required.", NULL);
		return;
	}
	/* "audio/ogg; codecs=opus" is audio/ogg. */
	snprintf(base, sizeof base, "%s", mime);
	if ((semi = strchr(base, ';')) != NULL)
		*semi = '\0';
	for (i = 0; i < sizeof sim_media_types / sizeof sim_media_types[0];
	    i++) {
		if (strcasecmp(sim_media_types[i].mime, base) == 0)
			max = sim_media_types[i].max;
	}
	if (max == 0 || file->len == 0 || file->len > max ||
	    s->media.bytes + file->len > SIM_MEDIA_STORE_MAX) {
		if (max == 0)
			details = xasprintf("Param file must be a file with one "
			    "of the following types: audio/aac, audio/amr, "
			    "audio/mpeg, audio/mp4, audio/ogg, text/plain, "
			    "application/pdf, image/jpeg, image/png, "
			    "image/webp, video/mp4, video/3gpp and office "
			    "documents. Received file of type '%s'.", base);
		else if (file->len == 0)
			details = xstrdup("The file is empty.");
		else
			details = xasprintf("File size %zu exceeds the limit "
			    "of %zu bytes for %s.", file->len, max, base);
		sim_error_reply(req, 400, sim_error_json(
		    "(#131053) Media upload error", "OAuthException", 131053,
		    0, details));
		free(details);
		return;
	}

	m = xcalloc(1, sizeof *m);
	sim_media_new_id(&s->media, m->id);
	m->mime = xstrdup(mime);
	m->data = xmalloc(file->len);
	memcpy(m->data, file->data, file->len);
	m->len = file->len;
	crypto_hash_sha256(digest, (const unsigned char *)m->data, m->len);
	sodium_bin2hex(m->sha256, sizeof m->sha256, digest, sizeof digest);
	m->next = s->media.head;
	s->media.head = m;
	s->media.bytes += m->len;
	s->media.uploads++;
	sim_util_reply_json(req, 200, json_pack("{s:s}", "id", m->id));
}

void
sim_media_get(struct sim_serve *s, struct evhttp_request *req,
    const char *id)
{
	struct sim_media	*m;
	char			*url, hash[40];

	if ((m = *sim_media_find(&s->media, id)) == NULL) {
		sim_error_no_object(req, "get", id);
		return;
	}
	sim_util_trace_id(hash, sizeof hash);
	url = xasprintf("%s/download/%s?mid=%s&ext=%lld&hash=%s", s->media_base,
	    m->id, m->id, (long long)time(NULL) + 300, hash);
	sim_util_reply_json(req, 200, json_pack("{s:s, s:s, s:s, s:I, s:s, "
	    "s:s}",
	    "url", url,
	    "mime_type", m->mime,
	    "sha256", m->sha256,
	    "file_size", (json_int_t)m->len,
	    "id", m->id,
	    "messaging_product", "whatsapp"));
	free(url);
}

void
sim_media_delete(struct sim_serve *s, struct evhttp_request *req,
    const char *id)
{
	struct sim_media	**mp, *m;

	mp = sim_media_find(&s->media, id);
	if ((m = *mp) == NULL) {
		sim_error_no_object(req, "delete", id);
		return;
	}
	*mp = m->next;
	s->media.bytes -= m->len;
	sim_media_free(m);
	sim_util_reply_str(req, 200, "{\"success\":true}");
}

void
sim_media_download(struct sim_serve *s, struct evhttp_request *req,
    const char *id)
{
	struct sim_media	*m;
	struct evbuffer		*out;

	if ((m = *sim_media_find(&s->media, id)) == NULL) {
		evhttp_send_error(req, 404, NULL);
		return;
	}
	s->media.downloads++;
	out = evhttp_request_get_output_buffer(req);
	evbuffer_add(out, m->data, m->len);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", m->mime);
	evhttp_send_reply(req, 200, "OK", NULL);
}

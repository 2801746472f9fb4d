/* Contact import and export; see contact-io.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "buf.h"
#include "contact-io.h"
#include "crypt.h"
#include "daemon.h"
#include "phone.h"
#include "proto-names.h"
#include "rpc.h"
#include "store.h"
#include "when.h"
#include "xmalloc.h"

#define CIO_ROWS_MAX	5000	/* rows of one import */
#define CIO_VALUE_MAX	256	/* bytes of one value */
#define CIO_NAME_MAX	128
#define CIO_BSUID_MAX	128
#define CIO_LANG_MAX	16
#define CIO_TEXT_MAX	200	/* source: as a reason or purpose */
#define CIO_ERRORS_MAX	1000	/* rejections listed in the answer */
#define CIO_PHONE_MAX	16	/* E.164: up to 15 digits */
#define CIO_EXPORT_PAGE	200

enum cio_field {
	CF_PHONE, CF_BSUID, CF_NAME, CF_LANGUAGE, CF_MARKETING, CF_SERVICE,
	CF_CONSENT_DATE, CF_SOURCE, CF_BASIS, CF_COUNT
};

static const char *const cio_fields[CF_COUNT] = { "phone", "bsuid", "name",
    "language", "marketing", "service", "consent_date", "source", "basis" };
#define CIO_FIELDS	"phone, bsuid, name, language, marketing, service, " \
			"consent_date, source, basis"

/* The legal bases of GDPR Art. 6(1), as words. */
static const char *const cio_bases[] = { "consent", "contract",
    "legal_obligation", "vital_interests", "public_task",
    "legitimate_interests", NULL };
#define CIO_BASES	"consent, contract, legal_obligation, " \
			"vital_interests, public_task, legitimate_interests"

/* What an entry does to the store. */
enum cio_state { CS_NEW, CS_UPDATED, CS_UNCHANGED, CS_REJECTED };

/* What an update changes (the audit record names them, never values). */
#define CC_NAME		0x01
#define CC_LANGUAGE	0x02
#define CC_PHONE	0x04
#define CC_BSUID	0x08
#define CC_CONSENT	0x10

/* One person of the file: the rows with the same number or BSUID. */
struct cio_entry {
	char				 phone[CIO_PHONE_MAX + 1];
	const char			*bsuid;	/* values point into params */
	const char			*name;
	const char			*language;
	int64_t				*lines;
	size_t				 nlines;
	struct store_consent_import	*consent;
	size_t				 nconsent;
	unsigned char			*write;	/* per consent row: new */
	int64_t				 cid;	/* existing contact, or 0 */
	enum cio_state			 state;
	unsigned			 changes;
};

/* The import's settings for every row, and what it found. */
struct cio_import {
	struct rpc_ctx		*ctx;
	const char		*source;
	const char		*basis;
	const char		*country;	/* of national numbers */
	int64_t			 ts;	/* --date, or now */
	int			 purposes[2];	/* file-wide opt-in: mkt, svc */
	int			 map[CF_COUNT];	/* column of field, or -1 */
	size_t			 nfields;
	struct cio_entry	*e;
	size_t			 ne;
	json_t			*errors;
	int64_t			 rejected, merged;
};

static const char *
cio_value(json_t *row, const struct cio_import *im, enum cio_field f)
{
	const char	*v;

	if (im->map[f] < 0)
		return (NULL);
	v = json_string_value(json_array_get(row, (size_t)im->map[f] + 1));
	return (v != NULL && *v != '\0' ? v : NULL);
}

static void
cio_reject(struct cio_import *im, int64_t line, const char *why)
{
	im->rejected++;
	if (json_array_size(im->errors) < CIO_ERRORS_MAX)
		json_array_append_new(im->errors, json_pack("{sI ss}", "line",
		    (json_int_t)line, "reason", why));
}

/* "phone number: too short for Germany (+49)": what and why. */
static void
cio_reject_why(struct cio_import *im, int64_t line, const char *what,
    const char *why)
{
	char	*s;

	s = xasprintf("%s: %s", what, why);
	cio_reject(im, line, s);
	free(s);
}

/*
 * The number as the digits of E.164 (the store keeps wa_id without '+'),
 * normalised as an agent's typing is (phone.h), with the import's country
 * for numbers written without a calling code.
 */
static int
cio_phone(const char *in, const char *country, char *digits, size_t len,
    const char **why)
{
	char	e164[PHONE_E164_MAX + 1];

	if (phone_normalise(in, country, e164, sizeof e164, why) != 0)
		return (-1);
	if (strlen(e164 + 1) >= len) {
		*why = "phone number is too long";
		return (-1);
	}
	memcpy(digits, e164 + 1, strlen(e164 + 1) + 1);
	return (0);
}

static int
cio_bsuid_valid(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++, n++) {
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' &&
		    *s != '-')
			return (0);
	}
	return (n > 0 && n <= CIO_BSUID_MAX);
}

/* "de", "en", "pt_BR", "zh-Hant": a code, not a name. */
static int
cio_language_valid(const char *s)
{
	size_t	i, n = strlen(s);

	if (n < 2 || n > CIO_LANG_MAX || !isalpha((unsigned char)s[0]) ||
	    !isalpha((unsigned char)s[1]))
		return (0);
	for (i = 0; i < n; i++) {
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' &&
		    s[i] != '-')
			return (0);
	}
	return (1);
}

/* One line of printable text (UTF-8 comes checked by the JSON parser). */
static int
cio_text_valid(const char *s, size_t max)
{
	size_t	n = 0;

	for (; *s != '\0'; s++, n++) {
		if (iscntrl((unsigned char)*s))
			return (0);
	}
	return (n <= max);
}

static int
cio_basis_valid(const char *s)
{
	size_t	i;

	for (i = 0; cio_bases[i] != NULL; i++) {
		if (strcmp(s, cio_bases[i]) == 0)
			return (1);
	}
	return (0);
}

/* yes/no: 1, 0, or -1 for anything else. */
static int
cio_yes_no(const char *s)
{
	if (strcasecmp(s, "yes") == 0 || strcasecmp(s, "y") == 0 ||
	    strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 ||
	    strcasecmp(s, "opt-in") == 0)
		return (1);
	if (strcasecmp(s, "no") == 0 || strcasecmp(s, "n") == 0 ||
	    strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0 ||
	    strcasecmp(s, "opt-out") == 0)
		return (0);
	return (-1);
}

/* A day, YYYY-MM-DD, not after today (when.c reads it). */
static int
cio_date(const char *s, int64_t *t)
{
	const char	*why;
	time_t		 now = time(NULL);
	int		 i;

	if (strlen(s) != 10)
		return (-1);
	for (i = 0; i < 10; i++) {
		if ((i == 4 || i == 7) ? s[i] != '-' :
		    !isdigit((unsigned char)s[i]))
			return (-1);
	}
	if (when_parse(s, now, t, &why) != 0 || *t > now + 86400)
		return (-1);
	return (0);
}

/* An entry of the file with this number or BSUID, or NULL. */
static struct cio_entry *
cio_find(struct cio_import *im, const char *phone, const char *bsuid)
{
	size_t	i;

	for (i = 0; i < im->ne; i++) {
		if (im->e[i].state == CS_REJECTED)
			continue;
		if (phone[0] != '\0' && strcmp(im->e[i].phone, phone) == 0)
			return (&im->e[i]);
		if (bsuid != NULL && im->e[i].bsuid != NULL &&
		    strcmp(im->e[i].bsuid, bsuid) == 0)
			return (&im->e[i]);
	}
	return (NULL);
}

static void
cio_add_consent(struct cio_entry *e, const struct store_consent_import *c)
{
	size_t	i;

	for (i = 0; i < e->nconsent; i++) {
		if (strcmp(e->consent[i].purpose, c->purpose) == 0 &&
		    e->consent[i].opt_in == c->opt_in &&
		    e->consent[i].ts == c->ts &&
		    strcmp(e->consent[i].source_text, c->source_text) == 0 &&
		    strcmp(e->consent[i].basis, c->basis) == 0)
			return;		/* the same row twice: once */
	}
	e->consent = xrealloc(e->consent, (e->nconsent + 1) *
	    sizeof *e->consent);
	e->consent[e->nconsent++] = *c;
}

/* Folds entry b (later in the file) into a: later non-empty wins. */
static void
cio_fold(struct cio_import *im, struct cio_entry *a, struct cio_entry *b)
{
	size_t	i;

	if (b->phone[0] != '\0')
		memcpy(a->phone, b->phone, sizeof a->phone);
	if (b->bsuid != NULL)
		a->bsuid = b->bsuid;
	if (b->name != NULL)
		a->name = b->name;
	if (b->language != NULL)
		a->language = b->language;
	for (i = 0; i < b->nconsent; i++)
		cio_add_consent(a, &b->consent[i]);
	a->lines = xrealloc(a->lines, (a->nlines + b->nlines) *
	    sizeof *a->lines);
	memcpy(a->lines + a->nlines, b->lines, b->nlines * sizeof *b->lines);
	a->nlines += b->nlines;
	im->merged += (int64_t)b->nlines;
	b->nlines = 0;
	b->state = CS_REJECTED;	/* gone into a; counted as merged */
}

/* Reads one row into a new entry, or rejects it (0), -1: a bad request. */
static int
cio_row(struct cio_import *im, json_t *row, int64_t *prev,
    struct rpc_err *err)
{
	struct cio_entry		 e, *a, *b;
	struct store_consent_import	 c;
	const char			*v, *why, *source, *basis;
	json_t				*x;
	size_t				 i, at = 0;
	int64_t				 line, ts;
	int				 p, yn;

	if (!json_is_array(row) || json_array_size(row) != im->nfields + 1 ||
	    !json_is_integer(json_array_get(row, 0)) ||
	    (line = json_integer_value(json_array_get(row, 0))) <= *prev) {
		rpc_error(err, PE_INVALID, "each row is [line, value, ...] "
		    "with one value per field and lines in increasing order");
		return (-1);
	}
	*prev = line;
	json_array_foreach(row, i, x) {
		if (i > 0 && (!json_is_string(x) ||
		    json_string_length(x) > CIO_VALUE_MAX ||
		    strlen(json_string_value(x)) != json_string_length(x))) {
			rpc_error(err, PE_INVALID, "line %lld: each value is "
			    "a string of at most %d bytes", (long long)line,
			    CIO_VALUE_MAX);
			return (-1);
		}
	}
	memset(&e, 0, sizeof e);
	if ((v = cio_value(row, im, CF_PHONE)) != NULL &&
	    cio_phone(v, im->country, e.phone, sizeof e.phone, &why) != 0) {
		cio_reject_why(im, line, "phone number", why);
		return (0);
	}
	if ((e.bsuid = cio_value(row, im, CF_BSUID)) != NULL &&
	    !cio_bsuid_valid(e.bsuid)) {
		cio_reject(im, line, "a BSUID is letters, digits, '.', '_' "
		    "and '-', at most 128");
		return (0);
	}
	if (e.phone[0] == '\0' && e.bsuid == NULL) {
		cio_reject(im, line, "neither a phone number nor a BSUID");
		return (0);
	}
	if ((e.name = cio_value(row, im, CF_NAME)) != NULL &&
	    !cio_text_valid(e.name, CIO_NAME_MAX)) {
		cio_reject(im, line, "name must be one line of at most 128 "
		    "bytes");
		return (0);
	}
	if ((e.language = cio_value(row, im, CF_LANGUAGE)) != NULL &&
	    !cio_language_valid(e.language)) {
		cio_reject(im, line, "language must be a code such as de, en "
		    "or pt_BR");
		return (0);
	}
	source = im->source;
	if ((v = cio_value(row, im, CF_SOURCE)) != NULL) {
		if (!cio_text_valid(v, CIO_TEXT_MAX)) {
			cio_reject(im, line, "source must be one line of at "
			    "most 200 bytes");
			return (0);
		}
		source = v;
	}
	basis = im->basis;
	if ((v = cio_value(row, im, CF_BASIS)) != NULL) {
		if (!cio_basis_valid(v)) {
			cio_reject(im, line, "basis must be one of " CIO_BASES);
			return (0);
		}
		basis = v;
	}
	ts = im->ts;
	if ((v = cio_value(row, im, CF_CONSENT_DATE)) != NULL &&
	    cio_date(v, &ts) != 0) {
		cio_reject(im, line, "consent_date must be a day, YYYY-MM-DD, "
		    "not after today");
		return (0);
	}
	for (p = 0; p < 2; p++) {
		yn = im->purposes[p] ? 1 : -1;
		if ((v = cio_value(row, im, p == 0 ? CF_MARKETING :
		    CF_SERVICE)) != NULL &&
		    (yn = cio_yes_no(v)) < 0) {
			cio_reject(im, line, p == 0 ? "marketing must be yes "
			    "or no" : "service must be yes or no");
			free(e.consent);
			return (0);
		}
		if (yn < 0)
			continue;
		c = (struct store_consent_import){ .purpose = p == 0 ?
		    "marketing" : "service", .opt_in = yn, .ts = ts,
		    .source_text = source, .basis = basis };
		cio_add_consent(&e, &c);
	}
	e.lines = xmalloc(sizeof *e.lines);
	e.lines[0] = line;
	e.nlines = 1;
	a = e.phone[0] != '\0' ? cio_find(im, e.phone, NULL) : NULL;
	b = e.bsuid != NULL ? cio_find(im, "", e.bsuid) : NULL;
	if ((a != NULL && b != NULL && a != b) || (a != NULL &&
	    e.bsuid != NULL && a->bsuid != NULL && b == NULL) ||
	    (b != NULL && e.phone[0] != '\0' && b->phone[0] != '\0' &&
	    a == NULL)) {
		cio_reject(im, line, "its phone number and BSUID belong to "
		    "two different people of earlier rows");
		free(e.consent);
		free(e.lines);
		return (0);
	}
	/* The array moves: keep the earlier entry's place, not its address. */
	if ((a = (a != NULL ? a : b)) != NULL)
		at = (size_t)(a - im->e);
	im->e = xrealloc(im->e, (im->ne + 1) * sizeof *im->e);
	im->e[im->ne++] = e;
	if (a != NULL)
		cio_fold(im, &im->e[at], &im->e[im->ne - 1]);
	return (0);
}

static void
cio_reject_entry(struct cio_import *im, struct cio_entry *e, const char *why)
{
	size_t	i;

	for (i = 0; i < e->nlines; i++)
		cio_reject(im, e->lines[i], why);
	/* Rows folded into it are rejected with it, not merged. */
	if (e->nlines > 1)
		im->merged -= (int64_t)e->nlines - 1;
	e->state = CS_REJECTED;
}

/* Compares the entry with the contact it names, if any: the plan. */
static int
cio_plan(struct cio_import *im, struct cio_entry *e)
{
	struct store	*s = &im->ctx->d->store;
	int64_t		 byphone = 0, bybsuid = 0;
	json_t		*det;
	char		*cur;
	int		 restricted = 0;
	size_t		 i, j;

	if (e->phone[0] != '\0' && store_contact_find(s, e->phone,
	    &byphone) == STORE_ERROR)
		return (-1);
	if (e->bsuid != NULL && store_contact_find(s, e->bsuid,
	    &bybsuid) == STORE_ERROR)
		return (-1);
	if (byphone != 0 && bybsuid != 0 && byphone != bybsuid) {
		cio_reject_entry(im, e, "its phone number and BSUID belong to "
		    "two different contacts; merge them first");
		return (0);
	}
	e->cid = byphone != 0 ? byphone : bybsuid;
	/* Two entries of the file for one contact are one entry too. */
	for (i = 0; e->cid != 0 && &im->e[i] != e; i++) {
		if (im->e[i].state != CS_REJECTED && im->e[i].cid == e->cid) {
			cio_reject_entry(im, e, "its phone number and BSUID "
			    "are one contact's, named apart on other rows; "
			    "put them on one row");
			return (0);
		}
	}
	for (i = 0; i < e->nconsent; i++)
		e->write[i] = 1;
	if (e->cid == 0) {
		e->state = CS_NEW;
		return (0);
	}
	if (store_contact_flags(s, e->cid, &restricted, NULL) ==
	    STORE_ERROR)
		return (-1);
	if (restricted) {
		cio_reject_entry(im, e, "the contact is restricted (Art. 18); "
		    "lift the restriction to change it");
		return (0);
	}
	if ((e->phone[0] != '\0' && byphone == 0) ||
	    (e->bsuid != NULL && bybsuid == 0)) {
		/* An identifier to add: only where the contact has none. */
		if ((det = store_contact_detail(s, e->cid, 0)) == NULL)
			return (-1);
		if ((e->phone[0] != '\0' && byphone == 0 &&
		    json_is_string(json_object_get(det, "phone_masked"))) ||
		    (e->bsuid != NULL && bybsuid == 0 &&
		    json_is_true(json_object_get(det, "has_bsuid")))) {
			json_decref(det);
			cio_reject_entry(im, e, "the contact has another phone "
			    "number or BSUID; change it on the contact");
			return (0);
		}
		json_decref(det);
		if (e->phone[0] != '\0' && byphone == 0)
			e->changes |= CC_PHONE;
		if (e->bsuid != NULL && bybsuid == 0)
			e->changes |= CC_BSUID;
	}
	if (e->name != NULL) {
		cur = store_contact_name(s, e->cid);
		if (cur == NULL || strcmp(cur, e->name) != 0)
			e->changes |= CC_NAME;
		if (cur != NULL)
			crypt_wipe_free(cur, strlen(cur));
	}
	if (e->language != NULL) {
		cur = store_contact_io_language(s, e->cid);
		if (cur == NULL || strcmp(cur, e->language) != 0)
			e->changes |= CC_LANGUAGE;
		free(cur);
	}
	for (j = 0; j < e->nconsent; j++) {
		if (store_consent_has_import(s, e->cid, &e->consent[j]) == 1)
			e->write[j] = 0;
		else
			e->changes |= CC_CONSENT;
	}
	e->state = e->changes != 0 ? CS_UPDATED : CS_UNCHANGED;
	return (0);
}

/* Carries out the plan of one entry, with its audit record. */
static int
cio_apply(struct cio_import *im, struct cio_entry *e, struct rpc_err *err)
{
	struct store			*s = &im->ctx->d->store;
	struct store_contact_in		 in;
	struct audit_rec		 rec;
	struct buf			 b;
	int64_t				 cid;
	size_t				 i;
	int				 created, rc;

	memset(&in, 0, sizeof in);
	in.wa_id = e->phone[0] != '\0' ? e->phone : NULL;
	in.user_id = e->bsuid;
	in.name = e->name;
	if (store_contact_upsert(s, &in, time(NULL), &cid, &created) != 0 ||
	    (e->state == CS_UPDATED && cid != e->cid) ||
	    (e->language != NULL && (e->state == CS_NEW ||
	    (e->changes & CC_LANGUAGE)) &&
	    store_contact_io_set_language(s, cid, e->language) != 0)) {
		rpc_error(err, PE_INTERNAL, "database error; see the daemon's "
		    "log");
		return (-1);
	}
	for (i = 0; i < e->nconsent; i++) {
		if (e->write[i] && store_consent_add_import(s, cid,
		    &e->consent[i], NULL) != 0) {
			rpc_error(err, PE_INTERNAL, "cannot record consent");
			return (-1);
		}
	}
	buf_init(&b, 0);
	if (e->state == CS_NEW)
		buf_adds(&b, "created");
	else
		buf_addf(&b, "updated:%s%s%s%s%s", (e->changes & CC_NAME) ?
		    " name" : "", (e->changes & CC_LANGUAGE) ? " language" : "",
		    (e->changes & CC_PHONE) ? " phone" : "",
		    (e->changes & CC_BSUID) ? " bsuid" : "",
		    (e->changes & CC_CONSENT) ? " consent" : "");
	rec = (struct audit_rec){ .action = "contact.import",
	    .object_type = "contact", .object_id = cid, .contact_id = cid,
	    .result = "ok", .detail = b.data };
	rc = rpc_audit(im->ctx, &rec, err);
	buf_release(&b);
	return (rc);
}

static void
cio_free(struct cio_import *im)
{
	size_t	i;

	for (i = 0; i < im->ne; i++) {
		free(im->e[i].lines);
		free(im->e[i].consent);
		free(im->e[i].write);
	}
	free(im->e);
	json_decref(im->errors);
}

/* The import's own parameters: fields, source, basis, date, purposes. */
static int
cio_params(struct rpc_ctx *ctx, struct cio_import *im, json_t *params,
    struct rpc_err *err)
{
	json_t		*fields, *v;
	const char	*date, *name;
	struct tm	 tm;
	time_t		 now;
	char		 today[16];
	size_t		 i;
	int		 f;

	for (f = 0; f < CF_COUNT; f++)
		im->map[f] = -1;
	fields = json_object_get(params, "fields");
	if (!json_is_array(fields) || json_array_size(fields) == 0 ||
	    json_array_size(fields) > CF_COUNT) {
		rpc_error(err, PE_INVALID, "'fields' is the list of fields of "
		    "each row (" CIO_FIELDS ")");
		return (-1);
	}
	json_array_foreach(fields, i, v) {
		name = json_string_value(v);
		for (f = 0; f < CF_COUNT; f++) {
			if (name != NULL && strcmp(name, cio_fields[f]) == 0)
				break;
		}
		if (f == CF_COUNT) {
			rpc_error(err, PE_INVALID, "unknown field '%s'; the "
			    "fields are " CIO_FIELDS, name != NULL &&
			    strlen(name) < 32 && cio_text_valid(name, 32) ?
			    name : "?");
			return (-1);
		}
		if (im->map[f] >= 0) {
			rpc_error(err, PE_INVALID, "field '%s' is mapped "
			    "twice", name);
			return (-1);
		}
		im->map[f] = (int)i;
	}
	im->nfields = json_array_size(fields);
	if (im->map[CF_PHONE] < 0 && im->map[CF_BSUID] < 0) {
		rpc_error(err, PE_INVALID, "map a column to phone or bsuid: "
		    "they say who a row is");
		return (-1);
	}
	if (rpc_privacy_text(params, "source", 1, &im->source, err) != 0 ||
	    rpc_param_str(params, "basis", 1, &im->basis, 32, err) != 0 ||
	    rpc_param_str(params, "country", 0, &im->country, 8, err) != 0 ||
	    rpc_param_str(params, "date", 0, &date, 16, err) != 0)
		return (-1);
	if (!cio_basis_valid(im->basis)) {
		rpc_error(err, PE_INVALID, "basis must be one of " CIO_BASES);
		return (-1);
	}
	/* National numbers: the import's country, else [contacts]'s. */
	if (im->country == NULL)
		im->country = ctx->d->conf.default_country;
	if (im->country != NULL && !phone_country_known(im->country)) {
		rpc_error(err, PE_INVALID, "country must be a country code "
		    "such as DE, AT or GB");
		return (-1);
	}
	/* A day, so a re-import the same day writes the same rows. */
	now = time(NULL);
	if (date == NULL && localtime_r(&now, &tm) != NULL &&
	    strftime(today, sizeof today, "%Y-%m-%d", &tm) == 10)
		date = today;
	if (date == NULL || cio_date(date, &im->ts) != 0) {
		rpc_error(err, PE_INVALID, "date must be a day, YYYY-MM-DD, "
		    "not after today");
		return (-1);
	}
	v = json_object_get(params, "purposes");
	if (v != NULL && !json_is_array(v)) {
		rpc_error(err, PE_INVALID, "'purposes' is a list: marketing, "
		    "service");
		return (-1);
	}
	json_array_foreach(v, i, fields) {
		name = json_string_value(fields);
		if (name != NULL && strcmp(name, "marketing") == 0)
			im->purposes[0] = 1;
		else if (name != NULL && strcmp(name, "service") == 0)
			im->purposes[1] = 1;
		else {
			rpc_error(err, PE_INVALID, "a purpose is marketing or "
			    "service");
			return (-1);
		}
	}
	return (0);
}

json_t *
contact_io_import(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct cio_import	 im;
	json_t			*rows, *row, *dry, *res;
	int64_t			 prev = 0, n[4] = { 0, 0, 0, 0 }, nconsent = 0;
	size_t			 i, j;
	int			 dry_run;

	memset(&im, 0, sizeof im);
	im.ctx = ctx;
	im.errors = json_array();
	dry = json_object_get(params, "dry_run");
	if (dry != NULL && !json_is_boolean(dry)) {
		cio_free(&im);
		return (rpc_error(err, PE_INVALID, "'dry_run' is true or "
		    "false"));
	}
	dry_run = json_is_true(dry);
	rows = json_object_get(params, "rows");
	if (cio_params(ctx, &im, params, err) != 0) {
		cio_free(&im);
		return (NULL);
	}
	if (!json_is_array(rows) || json_array_size(rows) > CIO_ROWS_MAX) {
		cio_free(&im);
		return (rpc_error(err, PE_INVALID, "'rows' is a list of at "
		    "most %d rows; split the file", CIO_ROWS_MAX));
	}
	json_array_foreach(rows, i, row) {
		if (cio_row(&im, row, &prev, err) != 0) {
			cio_free(&im);
			return (NULL);
		}
	}
	for (i = 0; i < im.ne; i++) {
		if (im.e[i].state == CS_REJECTED)
			continue;
		im.e[i].write = xcalloc(im.e[i].nconsent + 1, 1);
		if (cio_plan(&im, &im.e[i]) != 0) {
			cio_free(&im);
			return (rpc_error(err, PE_INTERNAL, "database error; "
			    "see the daemon's log"));
		}
	}
	/* The plan is the answer; a run then does exactly that. */
	for (i = 0; i < im.ne; i++) {
		if (im.e[i].state == CS_REJECTED)
			continue;
		n[im.e[i].state]++;
		for (j = 0; j < im.e[i].nconsent; j++)
			nconsent += im.e[i].write[j];
		if (!dry_run && im.e[i].state != CS_UNCHANGED &&
		    cio_apply(&im, &im.e[i], err) != 0) {
			cio_free(&im);
			return (NULL);
		}
	}
	ctx->audit = (struct audit_rec){ .action = "contact.import",
	    .object_type = "contact", .result = dry_run ? "dry-run" : "ok" };
	rpc_audit_detail(ctx, "source '%s', basis %s: %lld new, %lld updated, "
	    "%lld unchanged, %lld merged, %lld rejected, %lld consent records",
	    im.source, im.basis, (long long)n[CS_NEW],
	    (long long)n[CS_UPDATED], (long long)n[CS_UNCHANGED],
	    (long long)im.merged, (long long)im.rejected, (long long)nconsent);
	res = json_pack("{sb sI sI sI sI sI sI sO}", "dry_run", dry_run,
	    "new", (json_int_t)n[CS_NEW], "updated", (json_int_t)n[CS_UPDATED],
	    "unchanged", (json_int_t)n[CS_UNCHANGED], "merged",
	    (json_int_t)im.merged, "rejected", (json_int_t)im.rejected,
	    "consent_records", (json_int_t)nconsent, "errors", im.errors);
	cio_free(&im);
	return (res);
}

/* "yes", "no" or null: the latest row of the purpose. */
static json_t *
cio_consent_state(struct store *s, int64_t cid, const char *purpose)
{
	json_t	*hist, *r, *out = json_null();
	size_t	 i;

	hist = store_consent_history(s, cid);
	json_array_foreach(hist, i, r) {
		if (strcmp(json_string_value(json_object_get(r, "purpose")),
		    purpose) != 0)
			continue;
		json_decref(out);
		out = json_string(json_is_true(json_object_get(r, "opt_in")) ?
		    "yes" : "no");
	}
	json_decref(hist);
	return (out);
}

json_t *
contact_io_export(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	struct store	*s = &ctx->d->store;
	const char	*reason;
	json_t		*ids, *id, *out, *det, *o;
	int64_t		 after, cid, last = 0, withheld = 0;
	char		*lang;
	size_t		 i;
	int		 restricted, more;

	if (rpc_privacy_text(params, "reason", 1, &reason, err) != 0 ||
	    rpc_param_int(params, "after", 0, &after, 0, INT64_MAX, err) != 0)
		return (NULL);
	if ((ids = store_contact_io_page(s, after, CIO_EXPORT_PAGE)) == NULL)
		return (rpc_error(err, PE_INTERNAL, "database error; see the "
		    "daemon's log"));
	out = json_array();
	json_array_foreach(ids, i, id) {
		cid = last = json_integer_value(id);
		restricted = 0;
		/* Art. 18: a restricted contact is only kept, not handed on. */
		if (store_contact_flags(s, cid, &restricted, NULL) !=
		    STORE_FOUND || restricted) {
			withheld++;
			continue;
		}
		if ((det = store_contact_detail(s, cid, 1)) == NULL ||
		    json_is_true(json_object_get(det, "unreadable"))) {
			json_decref(det);
			withheld++;
			continue;
		}
		lang = store_contact_io_language(s, cid);
		o = json_pack("{sI sO sO sO ss? so so}", "contact_id",
		    (json_int_t)cid, "phone", json_object_get(det, "phone"),
		    "bsuid", json_object_get(det, "user_id") != NULL ?
		    json_object_get(det, "user_id") : json_null(), "name",
		    json_object_get(det, "name") != NULL ?
		    json_object_get(det, "name") : json_null(),
		    "language", lang, "marketing", cio_consent_state(s, cid,
		    "marketing"), "service", cio_consent_state(s, cid,
		    "service"));
		free(lang);
		json_decref(det);
		if (o != NULL)
			json_array_append_new(out, o);
	}
	ctx->audit = (struct audit_rec){ .action = "contact.export",
	    .object_type = "contact", .purpose = reason, .result = "ok" };
	rpc_audit_detail(ctx, "%zu contacts after %lld, %lld withheld",
	    json_array_size(out), (long long)after, (long long)withheld);
	more = json_array_size(ids) == CIO_EXPORT_PAGE;
	json_decref(ids);
	return (json_pack("{so sI sI sb}", "contacts", out, "withheld",
	    (json_int_t)withheld, "next", (json_int_t)last, "more", more));
}

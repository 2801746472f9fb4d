/* The first-contact privacy notice; see notice.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "automation.h"
#include "autosend.h"
#include "conf.h"
#include "conf-notice.h"
#include "daemon.h"
#include "log.h"
#include "notice.h"
#include "numbers.h"
#include "store.h"

int
notice_inbound(struct daemon *d, const struct auto_inbound *in)
{
	const struct conf_number	*num = NULL;
	const struct conf_notice	*n;
	const struct conf_notice_text	*t;
	const char			*scope;
	char				*lang, detail[64];
	int64_t				 mid = 0;
	int				 rc;

	/* A system message (number changed) is WhatsApp's, not the
	 * customer writing. */
	if (d->conf.nnotices == 0 || (in->type != NULL &&
	    strcmp(in->type, "system") == 0))
		return (0);
	if (d->conf.nnumbers > 0 &&
	    (num = numbers_of_conv(d, in->conv)) == NULL)
		return (0);	/* a number no longer configured: nothing goes */
	n = conf_notice_for(&d->conf, num != NULL ? num->label : NULL);
	if (n == NULL || !n->enabled)
		return (0);
	scope = n->label != NULL ? n->label : "";
	if ((rc = store_notice_informed(&d->store, in->contact, scope,
	    n->version)) != 0)
		return (rc < 0 ? -1 : 0);
	lang = store_contact_io_language(&d->store, in->contact);
	t = conf_notice_text(n, lang);
	free(lang);
	if (t == NULL || t->text == NULL)
		return (0);
	snprintf(detail, sizeof detail, "version %" PRIu32 " lang %s",
	    n->version, t->lang);
	rc = autosend_text(d, in->conv, t->text, "notice.send", detail, &mid);
	if (rc < 0)
		return (-1);
	if (rc > 0) {
		/* Not informed: the contact's next message tries again. */
		log_info("notice: conversation %lld: version %" PRIu32 " not "
		    "sent: %s", (long long)in->conv, n->version,
		    autosend_skip_name(rc));
		return (0);
	}
	log_info("notice: conversation %lld: version %" PRIu32 " lang %s "
	    "queued", (long long)in->conv, n->version, t->lang);
	return (store_notice_record(&d->store, in->contact, scope, n->version,
	    t->lang, mid, in->now));
}

json_t *
notice_status(struct daemon *d)
{
	const struct conf_notice	*n;
	const struct conf_notice_text	*t;
	json_t				*arr, *o, *nums, *langs;
	const char			*scope;
	size_t				 i, j;
	int				 w;

	arr = json_array();
	for (i = 0; i < d->conf.nnotices; i++) {
		n = &d->conf.notices[i];
		scope = n->label != NULL ? n->label : "";
		nums = json_array();
		for (j = 0; j < d->conf.nnumbers; j++) {
			if (conf_notice_for(&d->conf,
			    d->conf.numbers[j].label) == n)
				json_array_append_new(nums, json_string(
				    d->conf.numbers[j].label));
		}
		if (d->conf.nnumbers == 0 && n->label == NULL)
			json_array_append_new(nums, json_string("*"));
		langs = json_array();
		for (j = 0; j < n->ntexts; j++) {
			t = &n->texts[j];
			w = t->text != NULL ? (int)strlen(t->text) : 0;
			json_array_append_new(langs, json_pack("{ss ss sI}",
			    "lang", t->lang, "file", t->file, "bytes",
			    (json_int_t)w));
		}
		o = json_pack("{ss sb sI ss so so sI sI}",
		    "notice", n->label != NULL ? n->label : "*",
		    "enabled", n->enabled,
		    "version", (json_int_t)n->version,
		    "default_lang", n->default_lang[0] != '\0' ?
		    n->default_lang : n->ntexts > 0 ? n->texts[0].lang : "",
		    "numbers", nums,
		    "languages", langs,
		    "informed", (json_int_t)store_notice_count(&d->store,
		    scope, n->version),
		    "informed_any", (json_int_t)store_notice_count_any(
		    &d->store, scope));
		json_array_append_new(arr, o);
	}
	return (json_pack("{so}", "notices", arr));
}

/* Whether two notices say the same (version, texts, switch). */
static int
notice_same(const struct conf_notice *a, const struct conf_notice *b)
{
	size_t	i;

	if (a->version != b->version || a->enabled != b->enabled ||
	    a->ntexts != b->ntexts ||
	    strcmp(a->default_lang, b->default_lang) != 0)
		return (0);
	for (i = 0; i < a->ntexts; i++) {
		if (strcmp(a->texts[i].lang, b->texts[i].lang) != 0 ||
		    (a->texts[i].text == NULL) != (b->texts[i].text == NULL) ||
		    (a->texts[i].text != NULL &&
		    strcmp(a->texts[i].text, b->texts[i].text) != 0))
			return (0);
	}
	return (1);
}

void
notice_reload(struct daemon *d, struct conf *nc, json_t *changed)
{
	struct conf_notice	*tn;
	const struct conf_notice *old;
	size_t			 i, j, tc;

	for (i = 0; i < nc->nnotices; i++) {
		old = NULL;
		for (j = 0; j < d->conf.nnotices; j++) {
			if ((nc->notices[i].label == NULL &&
			    d->conf.notices[j].label == NULL) ||
			    (nc->notices[i].label != NULL &&
			    d->conf.notices[j].label != NULL &&
			    strcmp(nc->notices[i].label,
			    d->conf.notices[j].label) == 0))
				old = &d->conf.notices[j];
		}
		if (old != NULL && notice_same(old, &nc->notices[i]))
			continue;
		json_array_append_new(changed, json_sprintf("%s%s%s "
		    "version %" PRIu32 "%s", nc->notices[i].label != NULL ?
		    "[notice " : "[notice]", nc->notices[i].label != NULL ?
		    nc->notices[i].label : "", nc->notices[i].label != NULL ?
		    "]" : "", nc->notices[i].version, old == NULL ? " added" :
		    nc->notices[i].enabled ? "" : " disabled"));
	}
	for (j = 0; j < d->conf.nnotices; j++) {
		for (i = 0; i < nc->nnotices; i++) {
			if ((nc->notices[i].label == NULL) ==
			    (d->conf.notices[j].label == NULL) &&
			    (nc->notices[i].label == NULL ||
			    strcmp(nc->notices[i].label,
			    d->conf.notices[j].label) == 0))
				break;
		}
		if (i == nc->nnotices)
			json_array_append_new(changed, json_sprintf(
			    "%s%s%s removed", d->conf.notices[j].label != NULL ?
			    "[notice " : "[notice]", d->conf.notices[j].label !=
			    NULL ? d->conf.notices[j].label : "",
			    d->conf.notices[j].label != NULL ? "]" : ""));
	}
	/* Swapped: the old ones are freed with nc. */
	tn = d->conf.notices;
	tc = d->conf.nnotices;
	d->conf.notices = nc->notices;
	d->conf.nnotices = nc->nnotices;
	nc->notices = tn;
	nc->nnotices = tc;
}

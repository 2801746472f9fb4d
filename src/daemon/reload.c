/*
 * Reload on SIGHUP or "daemon.reload": the configuration file is read again
 * (secret files included) into a scratch struct; only when all of it is
 * valid do the secrets, the access tokens (each number's too), the log
 * level and the log file change. Anything wrong keeps the running values.
 * Other keys take effect at the next start.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "conf.h"
#include "daemon.h"
#include "hours.h"
#include "sla.h"
#include "log.h"
#include "notice.h"
#include "outbox.h"
#include "rules.h"
#include "xmalloc.h"

static int
reload_same(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

/* Moves *from into *to (the old value goes to *from, freed with it). */
static void
reload_swap(char **to, char **from)
{
	char	*t = *to;

	*to = *from;
	*from = t;
}

/* A secret and the file it came from; the change is named, never shown. */
static int
reload_secret(json_t *changed, const char *what, char **cur, char **next,
    char **cur_file, char **next_file)
{
	int	diff = !reload_same(*cur, *next);

	if (diff)
		json_array_append_new(changed, json_sprintf("%s %s", what,
		    *next == NULL ? "removed" : *cur == NULL ? "set" :
		    "changed"));
	reload_swap(cur, next);
	reload_swap(cur_file, next_file);
	return (diff);
}

/*
 * The business numbers (issue 15): a [number X] section's token file is
 * read again and its new token used from now on; numbers added, removed
 * or given other ids take effect at the next start (conversations and
 * templates hang on them).
 */
static int
reload_numbers(struct daemon *d, struct conf *nc, json_t *changed)
{
	struct conf_number	*cur, *next;
	size_t			 i;
	int			 same = d->conf.nnumbers == nc->nnumbers, any = 0;

	for (i = 0; same && i < nc->nnumbers; i++) {
		cur = &d->conf.numbers[i];
		next = &nc->numbers[i];
		if (!reload_same(cur->label, next->label) ||
		    !reload_same(cur->phone_number_id,
		    next->phone_number_id) ||
		    !reload_same(cur->waba_id, next->waba_id) ||
		    !reload_same(cur->team, next->team))
			same = 0;
	}
	if (!same) {
		json_array_append_new(changed, json_string("business numbers "
		    "changed: they take effect at the next start"));
		return (0);
	}
	for (i = 0; i < nc->nnumbers; i++) {
		cur = &d->conf.numbers[i];
		next = &nc->numbers[i];
		if (cur->graph || reload_same(cur->token, next->token))
			continue;
		json_array_append_new(changed, json_sprintf("access token of "
		    "number %s changed", cur->label));
		reload_swap(&cur->token, &next->token);
		any = 1;
	}
	return (any);
}

int
daemon_reload(struct daemon *d, json_t **changedp, char **cause)
{
	struct conf	 nc;
	json_t		*changed, *v;
	size_t		 i;
	int		 token, secrets, hours;

	*changedp = NULL;
	conf_defaults(&nc);
	if (conf_load(&nc, d->conf.path, 1, cause) != 0)
		goto fail;
	if (d->webhook != NULL && nc.app_secret == NULL) {
		*cause = xstrdup("[webhook] is enabled but no app_secret or "
		    "app_secret_file is set");
		goto fail;
	}
	/* The one step that can still fail, so before any change. */
	if (nc.log_file != NULL && log_open(nc.log_file, cause) != 0)
		goto fail;
	if (rules_reload(d, nc.rules_file, cause) != 0)
		goto fail;

	changed = json_array();
	if (!reload_same(d->conf.log_file, nc.log_file)) {
		if (nc.log_file == NULL)
			json_array_append_new(changed, json_string("log_file "
			    "none takes effect at the next start"));
		else {
			json_array_append_new(changed, json_string(
			    "log file changed"));
			reload_swap(&d->conf.log_file, &nc.log_file);
		}
	}
	if (nc.log_level != d->conf.log_level) {
		json_array_append_new(changed, json_sprintf("log level %s -> "
		    "%s", log_level_name((enum log_level)d->conf.log_level),
		    log_level_name((enum log_level)nc.log_level)));
		d->conf.log_level = nc.log_level;
		log_set_level((enum log_level)nc.log_level);
	}
	secrets = reload_secret(changed, "app secret", &d->conf.app_secret,
	    &nc.app_secret, &d->conf.app_secret_file, &nc.app_secret_file);
	secrets |= reload_secret(changed, "previous app secret",
	    &d->conf.app_secret_old, &nc.app_secret_old,
	    &d->conf.app_secret_old_file, &nc.app_secret_old_file);
	if (secrets) {
		/* Which secret signs the webhooks is counted anew (status). */
		memset(d->wh_secret_n, 0, sizeof d->wh_secret_n);
		memset(d->wh_secret_last, 0, sizeof d->wh_secret_last);
		d->wh_secret_since = time(NULL);
	}
	reload_secret(changed, "verify token", &d->conf.verify_token,
	    &nc.verify_token, &d->conf.verify_token_file,
	    &nc.verify_token_file);
	token = reload_secret(changed, "access token", &d->conf.access_token,
	    &nc.access_token, &d->conf.access_token_file,
	    &nc.access_token_file);
	/* A new token may end a pause its refusal caused. */
	if (reload_numbers(d, &nc, changed))
		token = 1;
	if (token)
		outbox_token_changed(d->outbox);
	notice_reload(d, &nc, changed);	/* issue 16: notice.h */
	/* The survey's texts and teams, from now on (conf-survey.h). */
	if (conf_survey_swap(&d->conf, &nc))
		json_array_append_new(changed, json_string("survey changed"));
	hours = hours_reload(d, &nc, changed);
	sla_reload(d, &nc, hours, changed);	/* issue 19: sla.h */
	/* The opt-in texts and public numbers (issue 17, conf-optin.h). */
	if (conf_optin_swap(&d->conf, &nc))
		json_array_append_new(changed, json_string("optin changed"));
	/* The event hooks (issue 18, conf-hook.h). */
	if (conf_hook_swap(&d->conf, &nc))
		json_array_append_new(changed, json_string("hooks changed"));

	if (json_array_size(changed) == 0)
		log_info("reload: nothing changed");
	json_array_foreach(changed, i, v)
		log_info("reload: %s", json_string_value(v));
	conf_release(&nc);	/* wipes the old secrets */
	*changedp = changed;
	return (0);
fail:
	log_error("reload failed, the running configuration is kept: %s",
	    *cause);
	conf_release(&nc);
	return (-1);
}

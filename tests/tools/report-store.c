/*
 * report-store: loads tests/tools/gen-report.py's events into a new store
 * through the store's own functions, so that migration 20's triggers make
 * the service-level clocks as they do in production.
 *   report-store DIR EVENTS.jsonl
 * DIR gets master.key, support-inbox.db and keystore.db; the caller's user
 * is the admin agent, the scenario's agents get uids of their own. The
 * deadlines (due) the generator decided are written with a plain UPDATE:
 * computing them is sla.c's (point 1, not on main yet); until then the
 * reports read what is stored.
 */
#include <sys/stat.h>

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "crypt.h"
#include "store.h"

#define NCONV	1000

static int64_t	 convs[NCONV], contacts[NCONV];
static json_t	*agents;	/* name -> id */
static json_t	*labels;	/* name -> id */

static int64_t
named(struct store *s, json_t *set, const char *name, int agent)
{
	json_t	*v;
	int64_t	 id = 0;
	char	*cause = NULL;

	if ((v = json_object_get(set, name)) != NULL)
		return (json_integer_value(v));
	if (agent) {
		if (store_agent_add(s, 71000 + (int64_t)json_object_size(set),
		    name, "agent", &id, &cause) != 0) {
			fprintf(stderr, "report-store: %s\n", cause);
			exit(1);
		}
	} else if (store_label_create(s, name, NULL, &id) != 0) {
		fprintf(stderr, "report-store: cannot create a label\n");
		exit(1);
	}
	json_object_set_new(set, name, json_integer(id));
	return (id);
}

static int
load(struct store *s, json_t *e, int64_t *seq)
{
	const char		*op = json_string_value(json_object_get(e, "op"));
	int64_t			 i = json_integer_value(json_object_get(e,
				    "conv"));
	int64_t			 ts = json_integer_value(json_object_get(e, "ts"));
	struct store_contact_in	 ci;
	struct store_msg_in	 m;
	struct store_survey	 sv;
	json_t			*v, *body;
	char			 wa[32], wamid[64], token[40];
	const char		*what;
	int64_t			 id, ag;
	int			 created, changed;
	size_t			 k;

	if (i < 0 || i >= NCONV)
		return (-1);
	if (strcmp(op, "conv") == 0) {
		memset(&ci, 0, sizeof ci);
		snprintf(wa, sizeof wa, "4917%08lld", (long long)i);
		ci.wa_id = wa;
		ci.name = "Kundin";
		if (store_contact_upsert(s, &ci, ts, &contacts[i], &created) != 0 ||
		    store_conv_for_inbound(s, contacts[i], json_string_value(
		    json_object_get(e, "number")), 0, ts, &convs[i],
		    &what) != 0 ||
		    store_conv_set_team(s, convs[i], json_string_value(
		    json_object_get(e, "team"))) != 0 ||
		    store_conv_set_priority(s, convs[i], (int)json_integer_value(
		    json_object_get(e, "priority"))) != 0)
			return (-1);
		json_array_foreach(json_object_get(e, "labels"), k, v)
			if (store_conv_label(s, convs[i], named(s, labels,
			    json_string_value(v), 0), 1) < 0)
				return (-1);
		return (0);
	}
	if (strcmp(op, "in") == 0 || strcmp(op, "out") == 0) {
		memset(&m, 0, sizeof m);
		body = json_pack("{ss}", "text", "hallo");
		snprintf(wamid, sizeof wamid, "wamid.rp%lld", (long long)++*seq);
		m.conv_id = convs[i];
		m.contact_id = contacts[i];
		m.wamid = wamid;
		m.outbound = op[0] == 'o';
		m.type = "text";
		m.supported = 1;
		m.ts = ts;
		m.body = body;
		m.preview = "hallo";
		m.status = m.outbound ? 3 : 0;
		if (m.outbound)
			m.agent_id = named(s, agents, json_string_value(
			    json_object_get(e, "agent")), 1);
		if (store_msg_insert(s, &m, ts, &id) != 0) {
			json_decref(body);
			return (-1);
		}
		json_decref(body);
		/* A failed send, as its status webhook records it. */
		if ((v = json_object_get(e, "failed")) != NULL &&
		    store_status_apply(s, wamid, 5, ts + 5, json_integer_value(v),
		    "failed", NULL, ts + 5, &changed) != 0)
			return (-1);
		return (0);
	}
	if (strcmp(op, "resolve") == 0) {
		ag = named(s, agents, json_string_value(json_object_get(e,
		    "agent")), 1);
		return (store_conv_set_assignee(s, convs[i], ag) != 0 ||
		    store_conv_set_state(s, convs[i], "resolved", 0, ts) != 0 ?
		    -1 : 0);
	}
	if (strcmp(op, "survey") == 0) {
		snprintf(token, sizeof token, "rptoken%lld", (long long)i);
		ag = named(s, agents, json_string_value(json_object_get(e,
		    "agent")), 1);
		if (store_survey_queue(s, convs[i], token, ag,
		    json_string_value(json_object_get(e, "team")),
		    json_string_value(json_object_get(e, "scale")), ts - 3600,
		    ts) < 0 || store_survey_by_token(s, token, &sv) != 0 ||
		    store_survey_sent(s, sv.id, 0, ts) != 0)
			return (-1);
		if (json_is_integer(json_object_get(e, "answered")) &&
		    store_survey_answer(s, sv.id, (int)json_integer_value(
		    json_object_get(e, "rating")), json_integer_value(
		    json_object_get(e, "answered"))) != 0)
			return (-1);
		return (0);
	}
	if (strcmp(op, "due") == 0) {
		sqlite3_stmt *st;
		int rc;

		if (sqlite3_prepare_v2(s->db, "UPDATE sla_clocks SET due = ? "
		    "WHERE conversation_id = ? AND kind = ?", -1, &st,
		    NULL) != SQLITE_OK)
			return (-1);
		sqlite3_bind_int64(st, 1, json_integer_value(json_object_get(e,
		    "due")));
		sqlite3_bind_int64(st, 2, convs[i]);
		sqlite3_bind_text(st, 3, json_string_value(json_object_get(e,
		    "kind")), -1, SQLITE_TRANSIENT);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
		return (rc == SQLITE_DONE ? 0 : -1);
	}
	return (-1);
}

int
main(int argc, char **argv)
{
	struct crypt	*crypt;
	struct store	 s;
	struct passwd	*pw;
	char		*cause = NULL, path[4096], line[4096];
	FILE		*f;
	json_t		*e;
	json_error_t	 je;
	int64_t		 seq = 0, n = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: report-store DIR EVENTS.jsonl\n");
		return (2);
	}
	if (crypt_global_init() != 0)
		return (1);
	if (mkdir(argv[1], 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "report-store: %s: %s\n", argv[1],
		    strerror(errno));
		return (1);
	}
	snprintf(path, sizeof path, "%s/master.key", argv[1]);
	if (crypt_keyfile_create(path, NULL, &cause) != 0 ||
	    (crypt = crypt_open(path, NULL, &cause)) == NULL ||
	    store_open(&s, argv[1], crypt, &cause) != 0) {
		fprintf(stderr, "report-store: %s\n", cause);
		return (1);
	}
	agents = json_object();
	labels = json_object();
	store_begin(&s);
	pw = getpwuid(getuid());
	if (store_agent_add(&s, getuid(), pw != NULL ? pw->pw_name : "root",
	    "admin", NULL, &cause) != 0) {
		fprintf(stderr, "report-store: %s\n", cause);
		return (1);
	}
	if ((f = fopen(argv[2], "r")) == NULL) {
		fprintf(stderr, "report-store: %s: %s\n", argv[2],
		    strerror(errno));
		return (1);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		n++;
		if ((e = json_loads(line, 0, &je)) == NULL ||
		    load(&s, e, &seq) != 0) {
			fprintf(stderr, "report-store: event %lld failed\n",
			    (long long)n);
			fclose(f);
			return (1);
		}
		json_decref(e);
	}
	fclose(f);
	if (store_commit(&s, &cause) != 0) {
		fprintf(stderr, "report-store: %s\n", cause);
		return (1);
	}
	printf("loaded %lld events\n", (long long)n);
	json_decref(agents);
	json_decref(labels);
	store_close(&s);
	crypt_free(crypt);
	return (0);
}

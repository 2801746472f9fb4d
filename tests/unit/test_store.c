/*
 * The store through its API on real SQLite files: what is written is sealed
 * (no clear personal data in the database, its WAL or the key store),
 * deduplicated, monotonic, and read back intact.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "audit.h"
#include "crypt.h"
#include "daemon.h"
#include "names.h"
#include "rmtree.h"
#include "store.h"
#include "wa-payload.h"
#include "xmalloc.h"

struct fix {
	char		 dir[64];
	struct daemon	 d;
};

static int
setup(void **state)
{
	struct fix	*f;
	char		*cause = NULL, *key;

	f = xcalloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/si-store-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	key = xasprintf("%s/master.key", f->dir);
	assert_int_equal(crypt_global_init(), 0);
	assert_int_equal(crypt_keyfile_create(key, NULL, &cause), 0);
	f->d.crypt = crypt_open(key, NULL, &cause);
	assert_non_null(f->d.crypt);
	free(key);
	conf_defaults(&f->d.conf);
	assert_int_equal(store_open(&f->d.store, f->dir, f->d.crypt, &cause),
	    0);
	*state = f;
	return (0);
}

static int
teardown(void **state)
{
	struct fix	*f = *state;

	store_close(&f->d.store);
	crypt_free(f->d.crypt);
	conf_release(&f->d.conf);
	assert_int_equal(rmtree(f->dir), 0);
	free(f);
	return (0);
}

/* 1 if the file holds the bytes anywhere. */
static int
file_has(const char *dir, const char *name, const char *needle)
{
	char	*path, *data;
	FILE	*fp;
	long	 len;
	int	 found;

	path = xasprintf("%s/%s", dir, name);
	fp = fopen(path, "rb");
	free(path);
	if (fp == NULL)
		return (0);
	fseek(fp, 0, SEEK_END);
	len = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	data = xmalloc((size_t)len + 1);
	assert_int_equal(fread(data, 1, (size_t)len, fp), (size_t)len);
	fclose(fp);
	found = memmem(data, (size_t)len, needle, strlen(needle)) != NULL;
	free(data);
	return (found);
}

static int64_t
add_message(struct fix *f, const char *phone, const char *name,
    const char *wamid, const char *text, int outbound, int64_t *conv)
{
	struct store_contact_in	 c = { phone, NULL, NULL, name };
	struct store_msg_in	 m;
	int64_t			 cid, mid = 0;
	int			 created, rc;
	const char		*what;

	assert_int_equal(store_begin(&f->d.store), 0);
	assert_int_equal(store_contact_upsert(&f->d.store, &c, 1000, &cid,
	    &created), 0);
	assert_int_equal(store_conv_for_inbound(&f->d.store, cid, "pn", 0,
	    1000, conv, &what), 0);
	memset(&m, 0, sizeof m);
	m.conv_id = *conv;
	m.contact_id = cid;
	m.wamid = wamid;
	m.outbound = outbound;
	m.type = "text";
	m.supported = 1;
	m.ts = 1000;
	m.body = json_pack("{ss}", "text", text);
	m.preview = text;
	rc = store_msg_insert(&f->d.store, &m, 1000, &mid);
	json_decref(m.body);
	assert_true(rc >= 0);
	{
		char *cause = NULL;

		assert_int_equal(store_commit(&f->d.store, &cause), 0);
	}
	return (rc == 1 ? -mid : mid);
}

static void
store_personal_fields_are_not_in_clear_on_disk(void **state)
{
	struct fix	*f = *state;
	int64_t		 conv;
	json_t		*show;
	const char	*files[] = { "support-inbox.db", "support-inbox.db-wal",
			    "keystore.db", "keystore.db-wal" };
	size_t		 i;

	add_message(f, "4915112398765", "Planted Person", "wamid.PLANTEDWAMID",
	    "PLANTED-TEXT-0815", 0, &conv);
	for (i = 0; i < sizeof files / sizeof files[0]; i++) {
		assert_false(file_has(f->dir, files[i], "PLANTED-TEXT-0815"));
		assert_false(file_has(f->dir, files[i], "4915112398765"));
		assert_false(file_has(f->dir, files[i], "Planted Person"));
		assert_false(file_has(f->dir, files[i], "PLANTEDWAMID"));
	}
	/* ... and yet it reads back. */
	show = store_conv_show(&f->d.store, conv, 0, 10, 1000, 24);
	assert_non_null(show);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(show, "messages"), 0), "body"),
	    "text")), "PLANTED-TEXT-0815");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    show, "conversation"), "name")), "Planted Person");
	json_decref(show);
}

static void
store_duplicate_wamid_is_stored_once(void **state)
{
	struct fix	*f = *state;
	int64_t		 conv, a, b;
	json_t		*show;

	a = add_message(f, "491700000001", "A", "wamid.DUP", "one", 0, &conv);
	b = add_message(f, "491700000001", "A", "wamid.DUP", "one", 0, &conv);
	assert_true(a > 0);
	assert_int_equal(b, -a);	/* duplicate: the first id, nothing new */
	show = store_conv_show(&f->d.store, conv, 0, 10, 1000, 24);
	assert_int_equal(json_array_size(json_object_get(show, "messages")), 1);
	json_decref(show);
}

static const char *
msg_status(struct fix *f, int64_t conv)
{
	static char	 buf[32];
	json_t		*show;

	show = store_conv_show(&f->d.store, conv, 0, 10, 1000, 24);
	snprintf(buf, sizeof buf, "%s", json_string_value(json_object_get(
	    json_array_get(json_object_get(show, "messages"), 0), "status")));
	json_decref(show);
	return (buf);
}

static void
apply(struct fix *f, const char *wamid, int st, int *changed)
{
	char	*cause = NULL;

	assert_int_equal(store_begin(&f->d.store), 0);
	assert_int_equal(store_status_apply(&f->d.store, wamid, st, 1000,
	    st == WA_ST_FAILED ? 131026 : 0, st == WA_ST_FAILED ?
	    "Message undeliverable" : NULL, NULL, 1000, changed), 0);
	assert_int_equal(store_commit(&f->d.store, &cause), 0);
}

static void
store_statuses_are_monotonic_and_failed_is_terminal(void **state)
{
	struct fix	*f = *state;
	int64_t		 conv;
	int		 changed;

	add_message(f, "491700000002", "B", "wamid.OUT1", "hi", 1, &conv);
	apply(f, "wamid.OUT1", WA_ST_READ, &changed);
	assert_true(changed);
	assert_string_equal(msg_status(f, conv), "read");
	apply(f, "wamid.OUT1", WA_ST_DELIVERED, &changed);
	assert_false(changed);			/* late delivered: no effect */
	assert_string_equal(msg_status(f, conv), "read");
	apply(f, "wamid.OUT1", WA_ST_READ, &changed);
	assert_false(changed);			/* duplicate */
	apply(f, "wamid.OUT1", WA_ST_FAILED, &changed);
	assert_true(changed);
	assert_string_equal(msg_status(f, conv), "failed");
	apply(f, "wamid.OUT1", WA_ST_PLAYED, &changed);
	assert_false(changed);			/* failed is terminal */
	assert_string_equal(msg_status(f, conv), "failed");
}

static void
store_status_before_its_message_is_applied_when_it_arrives(void **state)
{
	struct fix	*f = *state;
	int64_t		 conv;
	int		 changed;

	apply(f, "wamid.EARLY", WA_ST_DELIVERED, &changed);
	assert_false(changed);		/* no such message yet: kept */
	add_message(f, "491700000003", "C", "wamid.EARLY", "x", 1, &conv);
	assert_string_equal(msg_status(f, conv), "delivered");
}

static void
store_contact_found_by_formatted_phone_and_by_bsuid(void **state)
{
	struct fix		*f = *state;
	struct store_contact_in	 a = { NULL, "US.13491208655302741918", NULL,
				    "Bsuid User" };
	struct store_contact_in	 b = { "4915199990000",
				    "US.13491208655302741918", NULL, NULL };
	int64_t			 c1, c2, found;
	int			 created;
	char			*cause = NULL;

	assert_int_equal(store_begin(&f->d.store), 0);
	assert_int_equal(store_contact_upsert(&f->d.store, &a, 1, &c1,
	    &created), 0);
	assert_true(created);
	/* The phone number arrives later with the same BSUID: same contact. */
	assert_int_equal(store_contact_upsert(&f->d.store, &b, 2, &c2,
	    &created), 0);
	assert_false(created);
	assert_int_equal(c1, c2);
	assert_int_equal(store_commit(&f->d.store, &cause), 0);
	assert_int_equal(store_contact_find(&f->d.store, "+49 151 9999-0000",
	    &found), 0);
	assert_int_equal(found, c1);
	assert_int_equal(store_contact_find(&f->d.store,
	    "US.13491208655302741918", &found), 0);
	assert_int_equal(found, c1);
	assert_int_equal(store_contact_find(&f->d.store, "+1 555 000 0000",
	    &found), 1);
}

static void
store_ciphertext_moved_to_another_row_does_not_open(void **state)
{
	struct fix	*f = *state;
	int64_t		 conv1, conv2;
	sqlite3		*db;
	char		*path;
	json_t		*show;

	add_message(f, "491700000004", "D", "wamid.M1", "first secret", 0,
	    &conv1);
	add_message(f, "491700000004", "D", "wamid.M2", "second secret", 0,
	    &conv2);
	/* An attacker with file access copies one body over the other. */
	path = xasprintf("%s/support-inbox.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	free(path);
	assert_int_equal(sqlite3_exec(db, "UPDATE messages SET body_enc = "
	    "(SELECT body_enc FROM messages ORDER BY id LIMIT 1) WHERE id = "
	    "(SELECT max(id) FROM messages)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	show = store_conv_show(&f->d.store, conv2, 0, 10, 1000, 24);
	/* the moved body fails to open: shown as null, never as "first" */
	assert_true(json_is_null(json_object_get(json_array_get(
	    json_object_get(show, "messages"), 1), "body")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(json_object_get(show, "messages"), 0), "body"),
	    "text")), "first secret");
	json_decref(show);
}

static void
store_resolved_conversation_reopens_or_starts_new_per_policy(void **state)
{
	struct fix	*f = *state;
	int64_t		 conv, conv2, cid;
	const char	*what;
	sqlite3		*db;
	char		*path, *cause = NULL;

	add_message(f, "491700000005", "E", "wamid.R1", "hello", 0, &conv);
	path = xasprintf("%s/support-inbox.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	free(path);
	assert_int_equal(sqlite3_exec(db, "UPDATE conversations SET state = "
	    "'resolved'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_conv_contact(&f->d.store, conv, &cid), 0);
	assert_int_equal(store_begin(&f->d.store), 0);
	assert_int_equal(store_conv_for_inbound(&f->d.store, cid, "pn", 0, 2,
	    &conv2, &what), 0);
	assert_int_equal(conv2, conv);
	assert_string_equal(what, "reopened");
	assert_int_equal(store_commit(&f->d.store, &cause), 0);
	assert_int_equal(sqlite3_exec(db, "UPDATE conversations SET state = "
	    "'resolved'", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(store_begin(&f->d.store), 0);
	assert_int_equal(store_conv_for_inbound(&f->d.store, cid, "pn", 1, 3,
	    &conv2, &what), 0);
	assert_true(conv2 != conv);
	assert_string_equal(what, "new-after-resolved");
	assert_int_equal(store_commit(&f->d.store, &cause), 0);
}

static void
store_audit_log_refuses_update_and_delete(void **state)
{
	struct fix		*f = *state;
	struct audit_who	 who = { 0, "tester", NULL };
	struct audit_rec	 rec = { "test.action", NULL, 0, 0, NULL, "ok",
				    NULL };
	sqlite3			*db;
	char			*path;
	json_t			*v;

	assert_int_equal(audit_append_commit(&f->d, &who, &rec), 0);
	assert_int_equal(audit_append_commit(&f->d, &who, &rec), 0);
	v = audit_verify(&f->d, NULL, NULL);
	assert_true(json_is_true(json_object_get(v, "ok")));
	json_decref(v);
	path = xasprintf("%s/support-inbox.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	free(path);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET agent = 'x'",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL,
	    NULL), SQLITE_OK);
	/* Someone who drops the trigger is caught by the chain. */
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_no_update; "
	    "UPDATE audit SET agent = 'mallory' WHERE seq = 2", NULL, NULL,
	    NULL), SQLITE_OK);
	sqlite3_close(db);
	v = audit_verify(&f->d, NULL, NULL);
	assert_false(json_is_true(json_object_get(v, "ok")));
	assert_int_equal(json_integer_value(json_object_get(v,
	    "first_bad_seq")), 2);
	json_decref(v);
}

static size_t
search_hits(struct fix *f, const char *match, int *partial)
{
	struct store_search_q	 q;
	json_t			*rows;
	char			*cause = NULL;
	size_t			 n;

	memset(&q, 0, sizeof q);
	q.match = match;
	q.kinds = 7;
	q.assignee = -1;
	q.limit = 50;
	rows = store_search_run(&f->d.store, &q, 1, 1000, 24, &cause);
	assert_non_null(rows);
	n = json_array_size(rows);
	json_decref(rows);
	*partial = store_search_building(&f->d.store);
	return (n);
}

/*
 * The index fills in slices after it is opened: search answers meanwhile
 * (and says it is partial), a message stored during the fill is found at
 * once, and a renamed contact is found by the new name only.
 */
static void
store_search_fills_in_slices_and_follows_changes_meanwhile(void **state)
{
	struct fix	*f = *state;
	char		 phone[32], wamid[32], text[64];
	int64_t		 conv;
	int		 i, partial, slices = 0;
	size_t		 hits;
	json_t		*st;
	char		*cause = NULL;

	for (i = 0; i < 10; i++) {
		snprintf(phone, sizeof phone, "49170000100%d", i);
		snprintf(wamid, sizeof wamid, "wamid.FILL%d", i);
		snprintf(text, sizeof text, "common word%d", i);
		add_message(f, phone, "Old Name", wamid, text, 0, &conv);
	}
	assert_int_equal(store_search_open(&f->d.store, &cause), 0);
	assert_true(store_search_building(&f->d.store));
	assert_int_equal(search_hits(f, "common", &partial), 0);
	assert_true(partial);

	/* Names come first (the quick switch needs them), then messages:
	 * slices until some messages are in, not all. */
	do {
		assert_int_equal(store_search_build(&f->d.store, 4), 1);
		slices++;
		hits = search_hits(f, "common", &partial);
	} while (hits == 0 && slices < 10);
	assert_true(hits > 0 && hits < 10);
	assert_true(partial);
	assert_true(store_search_progress(&f->d.store) < 100);

	/* Stored during the fill: indexed by the commit hook at once. */
	add_message(f, "491700009999", "Late Comer", "wamid.LATE",
	    "latecomer arrives", 0, &conv);
	assert_int_equal(search_hits(f, "latecomer", &partial), 1);
	/* A renamed contact (its name not yet reached by the fill). */
	add_message(f, "491700001009", "New Name", "wamid.FILL9b", "again",
	    0, &conv);

	while (store_search_build(&f->d.store, 4))
		slices++;
	assert_true(slices >= 3);
	assert_false(store_search_building(&f->d.store));
	assert_int_equal(store_search_progress(&f->d.store), 100);
	assert_int_equal(search_hits(f, "common", &partial), 10);
	assert_false(partial);
	assert_int_equal(search_hits(f, "latecomer", &partial), 1);
	assert_int_equal(search_hits(f, "new", &partial), 1);
	/* Nine still carry the old name. */
	assert_int_equal(search_hits(f, "old", &partial), 9);
	/* 12 messages and 11 names, each counted once. */
	st = store_search_stats(&f->d.store);
	assert_int_equal(json_integer_value(json_object_get(st, "docs")), 23);
	json_decref(st);
	store_search_close(&f->d.store);
}

/* One more message in conversation conv of contact cid. */
static void
add_to(struct fix *f, int64_t conv, int64_t cid, int outbound,
    const char *type, int64_t ts)
{
	struct store_msg_in	 m;
	char			*cause = NULL;

	memset(&m, 0, sizeof m);
	m.conv_id = conv;
	m.contact_id = cid;
	m.outbound = outbound;
	m.type = type;
	m.supported = 1;
	m.ts = ts;
	m.body = json_pack("{ss}", "text", "x");
	m.preview = "x";
	assert_int_equal(store_begin(&f->d.store), 0);
	assert_int_equal(store_msg_insert(&f->d.store, &m, ts, NULL), 0);
	assert_int_equal(store_commit(&f->d.store, &cause), 0);
	json_decref(m.body);
}

/* The row of conv in the all view sorted by `sort`, and its place. */
static json_t *
inbox_row(struct fix *f, int64_t conv, int sort, int *place)
{
	json_t	*rows, *r, *found = NULL;
	size_t	 i;

	rows = store_inbox_list(&f->d.store, "all", 0, 0, 50, 1000, 24, 4,
	    sort);
	assert_non_null(rows);
	json_array_foreach(rows, i, r) {
		if (json_integer_value(json_object_get(r, "id")) == conv) {
			found = json_incref(r);
			if (place != NULL)
				*place = (int)i;
		}
	}
	json_decref(rows);
	assert_non_null(found);
	return (found);
}

static int64_t
waiting_since(struct fix *f, int64_t conv, const char **dir)
{
	static char	 d[8];
	json_t		*r = inbox_row(f, conv, -1, NULL);
	int64_t		 w;

	w = json_integer_value(json_object_get(r, "waiting_since"));
	snprintf(d, sizeof d, "%s", json_string_value(json_object_get(r,
	    "last_direction")) != NULL ? json_string_value(json_object_get(r,
	    "last_direction")) : "-");
	*dir = d;
	json_decref(r);
	return (w);
}

static void
store_waiting_since_follows_questions_and_answers(void **state)
{
	struct fix	*f = *state;
	int64_t		 a, b, cid;
	const char	*dir;
	int		 pa, pb;

	add_message(f, "491700000010", "A", "wamid.W1", "q", 0, &a);
	assert_int_equal(store_conv_contact(&f->d.store, a, &cid), STORE_FOUND);
	/* add_message's message is at 1000; an older one, out of order */
	add_to(f, a, cid, 0, "text", 900);
	assert_int_equal(waiting_since(f, a, &dir), 900);
	assert_string_equal(dir, "in");
	/* A reaction neither asks nor answers. */
	add_to(f, a, cid, 1, "reaction", 1100);
	assert_int_equal(waiting_since(f, a, &dir), 900);
	assert_string_equal(dir, "out");
	add_to(f, a, cid, 1, "text", 1200);
	assert_int_equal(waiting_since(f, a, &dir), 0);
	add_to(f, a, cid, 0, "reaction", 1300);
	assert_int_equal(waiting_since(f, a, &dir), 0);
	assert_string_equal(dir, "in");
	add_to(f, a, cid, 0, "text", 1400);
	assert_int_equal(waiting_since(f, a, &dir), 1400);

	/* b waits since 1000: before a (1400) when sorted by waiting. */
	add_message(f, "491700000011", "B", "wamid.W2", "q", 0, &b);
	json_decref(inbox_row(f, a, SORT_WAITING, &pa));
	json_decref(inbox_row(f, b, SORT_WAITING, &pb));
	assert_true(pb < pa);
	/* Newest first: a's last message (1400) is the newer. */
	json_decref(inbox_row(f, a, SORT_NEWEST, &pa));
	json_decref(inbox_row(f, b, SORT_NEWEST, &pb));
	assert_true(pa < pb);
	/* An unknown view is refused, whatever the sort. */
	assert_null(store_inbox_list(&f->d.store, "nosuch", 0, 0, 50, 1000,
	    24, 4, SORT_WAITING));
}

/* One count the slow way, as conv.counts computed it before migration 8. */
static int64_t
recount(struct fix *f, const char *sql, int64_t agent)
{
	sqlite3_stmt	*st;
	int64_t		 n;

	assert_int_equal(sqlite3_prepare_v2(f->d.store.db, sql, -1, &st,
	    NULL), SQLITE_OK);
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, agent);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return (n);
}

static void
exec_ok(struct fix *f, const char *sql)
{
	assert_int_equal(sqlite3_exec(f->d.store.db, sql, NULL, NULL, NULL),
	    SQLITE_OK);
}

/*
 * The counts kept by triggers (migration 8) equal a recount after every
 * one of 400 random changes of state, assignee, team, first customer
 * message, read marker, new and deleted conversations, for each agent.
 */
static void
store_kept_counts_equal_a_recount(void **state)
{
	static const char *const states[] = { "open", "pending", "snoozed",
				    "resolved" };
	static const char *const teams[] = { "NULL", "'sales'", "'billing'" };
	struct fix	*f = *state;
	json_t		*j, *teams_j;
	int64_t		 conv, agent, id, n;
	char		 phone[32], wamid[32], sql[256];
	int		 i, k;

	srandom(13);
	exec_ok(f, "INSERT INTO agents (id, uid, name, role, created) VALUES "
	    "(1, 70001, 'ta', 'agent', 0), (2, 70002, 'tb', 'agent', 0);");
	for (i = 0; i < 30; i++) {
		snprintf(phone, sizeof phone, "4917000001%02d", i);
		snprintf(wamid, sizeof wamid, "wamid.K%d", i);
		add_message(f, phone, "K", wamid, "hallo", i % 5 == 0, &conv);
	}
	for (i = 0; i < 400; i++) {
		id = 1 + random() % 32;	/* now and then one that is gone */
		switch (random() % 7) {
		case 0:
			snprintf(sql, sizeof sql, "UPDATE conversations SET "
			    "state = '%s' WHERE id = %lld", states[random() % 4],
			    (long long)id);
			break;
		case 1:
			k = (int)(random() % 3);
			snprintf(sql, sizeof sql, "UPDATE conversations SET "
			    "assignee_id = %s WHERE id = %lld", k == 0 ? "NULL" :
			    k == 1 ? "1" : "2", (long long)id);
			break;
		case 2:
			snprintf(sql, sizeof sql, "UPDATE conversations SET "
			    "team = %s WHERE id = %lld", teams[random() % 3],
			    (long long)id);
			break;
		case 3:
			snprintf(sql, sizeof sql, "UPDATE conversations SET "
			    "last_inbound_at = %d, last_msg_id = last_msg_id + 1"
			    " WHERE id = %lld", (int)(random() % 2) * 2000,
			    (long long)id);
			break;
		case 4:
			snprintf(sql, sizeof sql, "INSERT OR REPLACE INTO "
			    "read_markers (agent_id, conversation_id, "
			    "last_read_msg_id) SELECT %d, id, last_msg_id - %d "
			    "FROM conversations WHERE id = %lld",
			    1 + (int)(random() % 2), (int)(random() % 2),
			    (long long)id);
			break;
		case 5:
			snprintf(sql, sizeof sql, "INSERT INTO conversations "
			    "(contact_id, state, created, last_inbound_at, "
			    "last_msg_id, assignee_id) SELECT contact_id, '%s', "
			    "0, %d, 5, %s FROM conversations LIMIT 1",
			    states[random() % 4], (int)(random() % 2) * 1500,
			    random() % 2 ? "NULL" : "2");
			break;
		default:
			/* Gone with whatever points at it. */
			snprintf(sql, sizeof sql, "DELETE FROM read_markers "
			    "WHERE conversation_id = %lld; DELETE FROM messages "
			    "WHERE conversation_id = %lld; DELETE FROM "
			    "conversations WHERE id = %lld AND id > 30",
			    (long long)id, (long long)id, (long long)id);
			break;
		}
		exec_ok(f, sql);
		agent = 1 + i % 2;
		j = store_inbox_counts(&f->d.store, agent, 3000, 24, 4);
		assert_non_null(j);
		assert_int_equal(json_integer_value(json_object_get(j, "all")),
		    recount(f, "SELECT count(*) FROM conversations", 0));
		assert_int_equal(json_integer_value(json_object_get(j, "mine")),
		    recount(f, "SELECT count(*) FROM conversations WHERE "
		    "assignee_id = ? AND state != 'resolved'", agent));
		assert_int_equal(json_integer_value(json_object_get(j,
		    "unassigned")), recount(f, "SELECT count(*) FROM "
		    "conversations WHERE assignee_id IS NULL AND state IN "
		    "('open','pending')", 0));
		for (k = 0; k < 4; k++) {
			snprintf(sql, sizeof sql, "SELECT count(*) FROM "
			    "conversations WHERE state = '%s'", states[k]);
			assert_int_equal(json_integer_value(json_object_get(j,
			    states[k])), recount(f, sql, 0));
		}
		assert_int_equal(json_integer_value(json_object_get(j,
		    "unread_mine")), recount(f, "SELECT (SELECT count(*) "
		    "FROM conversations c LEFT JOIN read_markers r "
		    "ON r.agent_id = ?1 AND r.conversation_id = c.id "
		    "WHERE (c.assignee_id = ?1 OR c.assignee_id IS NULL) "
		    "AND c.state IN ('open','pending','snoozed') "
		    "AND c.last_inbound_at > 0 AND c.last_msg_id > "
		    "coalesce(r.last_read_msg_id, 0))", agent));
		teams_j = json_object_get(j, "teams");
		n = recount(f, "SELECT count(*) FROM conversations WHERE team = "
		    "'sales' AND state != 'resolved'", 0);
		assert_int_equal(json_integer_value(json_object_get(teams_j,
		    "sales")), n);
		assert_true(n > 0 || json_object_get(teams_j, "sales") == NULL);
		n = recount(f, "SELECT count(*) FROM conversations WHERE team = "
		    "'billing' AND state != 'resolved'", 0);
		assert_int_equal(json_integer_value(json_object_get(teams_j,
		    "billing")), n);
		json_decref(j);
	}
}

/*
 * Issue 19: the floor's figures per team and queue (store-floor.c, one
 * query per figure on its index) equal a recount of the rows after every
 * one of 300 random changes of state, assignee, team, waiting and last
 * inbound times and SLA clocks' dues.
 */
static json_t *
floor_queue(json_t *teams, const char *team, const char *queue)
{
	json_t	*t;
	size_t	 i;

	json_array_foreach(teams, i, t) {
		if ((team == NULL && json_is_null(json_object_get(t, "team"))) ||
		    (team != NULL && strcmp(team, json_string_value(
		    json_object_get(t, "team")) != NULL ? json_string_value(
		    json_object_get(t, "team")) : "") == 0))
			return (json_object_get(json_object_get(t, "queues"),
			    queue));
	}
	return (NULL);
}

static void
store_floor_figures_equal_a_recount(void **state)
{
	static const char *const states[] = { "open", "pending", "snoozed",
				    "resolved" };
	static const char *const teams[] = { NULL, "sales", "billing" };
	static const char *const queues[] = { "open", "pending", "snoozed",
	    "unassigned", "total" };
	static const char *const conds[] = { "c.state = 'open'",
	    "c.state = 'pending'", "c.state = 'snoozed'",
	    "c.assignee_id IS NULL AND c.state IN ('open','pending')",
	    "c.state IN ('open','pending','snoozed')" };
	struct fix	*f = *state;
	json_t		*floor, *q;
	int64_t		 id;
	char		 phone[32], wamid[32], sql[512], team[32];
	int		 i, k, t, seen[3] = { 0, 0, 0 };

	srandom(19);
	exec_ok(f, "INSERT INTO agents (id, uid, name, role, created) VALUES "
	    "(1, 70001, 'ta', 'agent', 0);");
	for (i = 0; i < 24; i++) {
		snprintf(phone, sizeof phone, "4917000019%02d", i);
		snprintf(wamid, sizeof wamid, "wamid.F%d", i);
		add_message(f, phone, "F", wamid, "hallo", 0, &id);
	}
	for (i = 0; i < 300; i++) {
		id = 1 + random() % 24;
		switch (random() % 6) {
		case 0:
			snprintf(sql, sizeof sql, "UPDATE conversations SET "
			    "state = '%s' WHERE id = %lld", states[random() % 4],
			    (long long)id);
			break;
		case 1:
			snprintf(sql, sizeof sql, "UPDATE conversations SET "
			    "assignee_id = %s WHERE id = %lld", random() % 2 ?
			    "NULL" : "1", (long long)id);
			break;
		case 2:
			k = (int)(random() % 3);
			snprintf(sql, sizeof sql, "UPDATE conversations SET "
			    "team = %s%s%s WHERE id = %lld", k ? "'" : "",
			    k ? teams[k] : "NULL", k ? "'" : "", (long long)id);
			break;
		case 3:
			snprintf(sql, sizeof sql, "UPDATE conversations SET "
			    "waiting_since = %d WHERE id = %lld",
			    (int)(random() % 3) * 1500, (long long)id);
			break;
		case 4:
			snprintf(sql, sizeof sql, "UPDATE conversations SET "
			    "last_inbound_at = %d WHERE id = %lld",
			    (int)(random() % 5) * 1000, (long long)id);
			break;
		default:
			snprintf(sql, sizeof sql, "UPDATE sla_clocks SET "
			    "due = %d WHERE conversation_id = %lld",
			    (int)(random() % 3) * 4000, (long long)id);
			break;
		}
		exec_ok(f, sql);
		floor = store_floor_teams(&f->d.store, 5000, 1000, 3000);
		assert_non_null(floor);
		for (t = 0; t < 3; t++) {
			if (teams[t] == NULL)
				snprintf(team, sizeof team, "c.team IS NULL");
			else
				snprintf(team, sizeof team, "c.team = '%s'",
				    teams[t]);
			for (k = 0; k < 5; k++) {
				q = floor_queue(floor, teams[t], queues[k]);
				snprintf(sql, sizeof sql, "SELECT count(*) FROM "
				    "conversations c WHERE %s AND %s", team,
				    conds[k]);
				assert_int_equal(json_integer_value(
				    json_object_get(q, "count")), recount(f, sql,
				    0));
				snprintf(sql, sizeof sql, "SELECT coalesce(5000 "
				    "- min(waiting_since), 0) FROM conversations "
				    "c WHERE %s AND %s AND c.state = 'open' AND "
				    "waiting_since > 0", team, conds[k]);
				assert_int_equal(json_integer_value(
				    json_object_get(q, "longest_wait")),
				    recount(f, sql, 0));
				snprintf(sql, sizeof sql, "SELECT count(*) FROM "
				    "conversations c WHERE %s AND %s AND "
				    "last_inbound_at > 1000 AND last_inbound_at "
				    "<= 3000", team, conds[k]);
				assert_int_equal(json_integer_value(
				    json_object_get(q, "window_closing")),
				    recount(f, sql, 0));
				snprintf(sql, sizeof sql, "SELECT count(*) FROM "
				    "sla_clocks k JOIN conversations c ON c.id = "
				    "k.conversation_id WHERE %s AND %s AND "
				    "k.stopped IS NULL AND k.due > 0 AND k.due "
				    "<= 5000", team, conds[k]);
				assert_int_equal(json_integer_value(
				    json_object_get(q, "breaches")), recount(f,
				    sql, 0));
				seen[0] |= json_integer_value(json_object_get(q,
				    "longest_wait")) > 0;
				seen[1] |= json_integer_value(json_object_get(q,
				    "window_closing")) > 0;
				seen[2] |= json_integer_value(json_object_get(q,
				    "breaches")) > 0;
			}
		}
		json_decref(floor);
	}
	/* The random walk met every figure, not only zeros. */
	assert_true(seen[0] && seen[1] && seen[2]);
}

/*
 * Issue 15: attribute values in canonical form per type, refused with a
 * reason that never quotes them, sealed (not on disk in clear), found by
 * blind index (text in any case), cleared, and gone with their contact.
 */
static void
store_contact_attributes_typed_sealed_and_found(void **state)
{
	struct fix	*f = *state;
	struct {
		const char	*type, *choices, *in, *out;
	} ok[] = {
		{ "number", NULL, "007", "7" },
		{ "number", NULL, "-0.500", "-0.5" },
		{ "number", NULL, "-0", "0" },
		{ "number", NULL, "+12.0", "12" },
		{ "date", NULL, "2028-02-29", "2028-02-29" },
		{ "bool", NULL, "YES", "true" },
		{ "bool", NULL, "0", "false" },
		{ "enum", "free,Gold", "gold", "Gold" },
		{ "text", NULL, "  Kunde 4711 ", "Kunde 4711" },
	}, bad[] = {
		{ "number", NULL, "1e5", NULL },
		{ "number", NULL, "12.", NULL },
		{ "number", NULL, "1234567890123456789", NULL },
		{ "date", NULL, "2027-02-29", NULL },
		{ "date", NULL, "2027-2-1", NULL },
		{ "bool", NULL, "maybe", NULL },
		{ "enum", "free,Gold", "silver", NULL },
		{ "text", NULL, "two\nlines", NULL },
		{ "text", NULL, "   ", NULL },
	};
	char		 out[256], err[200], *cause = NULL;
	int64_t		 conv, cid, id, found[4], n;
	size_t		 i;
	json_t		*v;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_int_equal(store_attribute_canon(ok[i].type,
		    ok[i].choices, ok[i].in, out, sizeof out, err,
		    sizeof err), 0);
		assert_string_equal(out, ok[i].out);
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(store_attribute_canon(bad[i].type,
		    bad[i].choices, bad[i].in, out, sizeof out, err,
		    sizeof err), -1);
		assert_null(strstr(err, bad[i].in));
	}
	assert_false(store_attribute_valid_name("Plan"));
	assert_false(store_attribute_valid_name("phone"));
	assert_false(store_attribute_valid_name("9lives"));
	assert_true(store_attribute_valid_name("customer_no"));

	add_message(f, "491700000077", "Attr Person", "wamid.ATTR1", "hi", 0,
	    &conv);
	assert_int_equal(store_contact_find(&f->d.store, "491700000077",
	    &cid), STORE_FOUND);
	assert_int_equal(store_begin(&f->d.store), 0);
	assert_int_equal(store_attribute_define(&f->d.store, "customer_no",
	    "text", NULL, 0, 1000, &id), 0);
	assert_int_equal(store_attribute_define(&f->d.store, "customer_no",
	    "text", NULL, 0, 1000, &id), 1);
	assert_int_equal(store_contact_attr_set(&f->d.store, cid,
	    "customer_no", "KDNR-UNIT-9931", err, sizeof err), 0);
	assert_int_equal(store_contact_attr_set(&f->d.store, cid, "nosuch",
	    "x", err, sizeof err), 1);
	assert_non_null(strstr(err, "no attribute 'nosuch'"));
	assert_int_equal(store_commit(&f->d.store, &cause), 0);

	v = store_attribute_values(&f->d.store, cid);
	assert_string_equal(json_string_value(json_object_get(v,
	    "customer_no")), "KDNR-UNIT-9931");
	json_decref(v);
	n = store_attribute_find(&f->d.store, "customer_no", "kdnr-unit-9931",
	    found, 4, err, sizeof err);
	assert_int_equal(n, 1);
	assert_int_equal(found[0], cid);
	assert_int_equal(store_attribute_find(&f->d.store, "customer_no",
	    "KDNR-UNIT-9932", found, 4, err, sizeof err), 0);
	store_close(&f->d.store);
	assert_false(file_has(f->dir, "support-inbox.db", "KDNR-UNIT-9931"));
	assert_false(file_has(f->dir, "support-inbox.db-wal",
	    "KDNR-UNIT-9931"));
	assert_int_equal(store_open(&f->d.store, f->dir, f->d.crypt, &cause),
	    0);

	/* NULL clears; an erased contact's values go with its row. */
	assert_int_equal(store_begin(&f->d.store), 0);
	assert_int_equal(store_contact_attr_set(&f->d.store, cid,
	    "customer_no", NULL, err, sizeof err), 0);
	assert_int_equal(store_contact_attr_set(&f->d.store, cid,
	    "customer_no", "again", err, sizeof err), 0);
	assert_int_equal(store_contact_erase(&f->d.store, cid, 0, 1000, NULL,
	    NULL), 0);
	assert_int_equal(store_commit(&f->d.store, &cause), 0);
	assert_int_equal(store_attribute_find(&f->d.store, "customer_no",
	    "again", found, 4, err, sizeof err), 0);
	v = store_attribute_list(&f->d.store);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(v,
	    0), "contacts")), 0);
	json_decref(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    store_personal_fields_are_not_in_clear_on_disk, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    store_duplicate_wamid_is_stored_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_statuses_are_monotonic_and_failed_is_terminal, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    store_status_before_its_message_is_applied_when_it_arrives,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_contact_found_by_formatted_phone_and_by_bsuid, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    store_ciphertext_moved_to_another_row_does_not_open, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    store_resolved_conversation_reopens_or_starts_new_per_policy,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_audit_log_refuses_update_and_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_search_fills_in_slices_and_follows_changes_meanwhile,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_waiting_since_follows_questions_and_answers, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    store_kept_counts_equal_a_recount, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    store_contact_attributes_typed_sealed_and_found, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    store_floor_figures_equal_a_recount, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

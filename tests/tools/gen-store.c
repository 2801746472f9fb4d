/*
 * gen-store: builds a store for benchmarks through the store's own
 * functions (so every field is sealed as in production): contacts with
 * names, conversations in every state, labels, teams, assignments, and
 * messages whose words follow a skewed distribution, some failed sends.
 *   gen-store DIR [CONVERSATIONS [MESSAGES]]    (default 100000 1000000)
 * DIR gets master.key, support-inbox.db and keystore.db; the caller's user
 * is the admin agent. The first 1% of conversations hold 150 messages each
 * (to open a long thread), the rest share what remains.
 */
#include <sys/stat.h>

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <sqlite3.h>

#include "crypt.h"
#include "store.h"
#include "xmalloc.h"

#define NAGENTS	10

static const char *firsts[] = { "Anna", "Bernd", "Carla", "David", "Elif",
    "Farid", "Greta", "Hannes", "Ines", "Jonas", "Katrin", "Lukas", "Mira",
    "Nils", "Olga", "Paul", "Rosa", "Stefan", "Tanja", "Yusuf" };
static const char *lasts[] = { "Schmidt", "Meier", "Rossi", "Nowak",
    "Yilmaz", "Fischer", "Weber", "Wagner", "Becker", "Hoffmann", "Kaya",
    "Schulz", "Koch", "Richter", "Klein", "Wolf" };
static const char *common[] = { "order", "parcel", "delivery", "invoice",
    "refund", "size", "color", "payment", "address", "return", "thanks",
    "hello", "please", "when", "where", "price", "discount", "account",
    "password", "tracking", "shipping", "broken", "exchange", "voucher" };

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
gen_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (rng);
}

static double
gen_unit(void)
{
	return ((double)(gen_rand() >> 11) / (double)(1ULL << 53));
}

/* A sentence of 4-14 words: frequent words often, a long tail rarely. */
static void
gen_text(char *buf, size_t len)
{
	size_t	n = 0;
	int	words = 4 + (int)(gen_rand() % 11), i, k;
	double	u;

	buf[0] = '\0';
	for (i = 0; i < words && n + 16 < len; i++) {
		u = gen_unit();
		if (u < 0.25)
			k = snprintf(buf + n, len - n, "%s%s", i ? " " : "",
			    common[gen_rand() % (sizeof common /
			    sizeof common[0])]);
		else
			k = snprintf(buf + n, len - n, "%sw%u", i ? " " : "",
			    (unsigned)(20000.0 * u * u * u * u));
		n += (size_t)k;
	}
}

int
main(int argc, char **argv)
{
	struct crypt		*crypt;
	struct store		 s;
	struct store_contact_in	 ci;
	struct store_msg_in	 m;
	struct passwd		*pw;
	char			*cause = NULL, path[4096], wa[32], name[64];
	char			 text[256], aname[32];
	int64_t			 nconv = 100000, nmsg = 1000000, i, j, k;
	int64_t			 cid, conv, mid, now = (int64_t)time(NULL);
	int64_t			 agents[NAGENTS], labels[3], per, ts, done = 0;
	int64_t			 longs, left;
	int			 created;
	const char		*what;
	json_t			*body;
	double			 u;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: gen-store DIR [CONVERSATIONS "
		    "[MESSAGES]]\n");
		return (2);
	}
	if (argc > 2)
		nconv = strtoll(argv[2], NULL, 10);
	if (argc > 3)
		nmsg = strtoll(argv[3], NULL, 10);
	if (nconv < 1 || nmsg < nconv) {
		fprintf(stderr, "gen-store: need 1 <= CONVERSATIONS <= "
		    "MESSAGES\n");
		return (2);
	}
	if (crypt_global_init() != 0)
		return (1);
	if (mkdir(argv[1], 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "gen-store: %s: %s\n", argv[1],
		    strerror(errno));
		return (1);
	}
	snprintf(path, sizeof path, "%s/master.key", argv[1]);
	if (crypt_keyfile_create(path, NULL, &cause) != 0 ||
	    (crypt = crypt_open(path, NULL, &cause)) == NULL ||
	    store_open(&s, argv[1], crypt, &cause) != 0) {
		fprintf(stderr, "gen-store: %s\n", cause);
		return (1);
	}
	/* A generator, not a service: durability does not matter here. */
	sqlite3_exec(s.db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	sqlite3_exec(s.ks, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	sqlite3_exec(s.ks, "BEGIN", NULL, NULL, NULL);

	store_begin(&s);
	pw = getpwuid(getuid());
	if (store_agent_add(&s, getuid(), pw != NULL ? pw->pw_name : "root",
	    "admin", NULL, &cause) != 0) {
		fprintf(stderr, "gen-store: %s\n", cause);
		return (1);
	}
	for (i = 0; i < NAGENTS; i++) {
		snprintf(aname, sizeof aname, "bench_a%02lld", (long long)i);
		store_agent_add(&s, 70000 + i, aname, "agent", &agents[i],
		    &cause);
		store_agent_set_team(&s, agents[i], i % 2 ? "sales" :
		    "billing");
	}
	store_label_create(&s, "vip", "red", &labels[0]);
	store_label_create(&s, "billing", NULL, &labels[1]);
	store_label_create(&s, "bug", NULL, &labels[2]);
	store_commit(&s, &cause);

	longs = nconv / 100;
	if (longs * 150 > nmsg / 2)
		longs = 0;
	left = nmsg - longs * 150;
	store_begin(&s);
	for (i = 0; i < nconv; i++) {
		snprintf(wa, sizeof wa, "4915%08lld", (long long)i);
		snprintf(name, sizeof name, "%s %s",
		    firsts[gen_rand() % (sizeof firsts / sizeof firsts[0])],
		    lasts[gen_rand() % (sizeof lasts / sizeof lasts[0])]);
		memset(&ci, 0, sizeof ci);
		ci.wa_id = wa;
		ci.name = name;
		ts = now - (int64_t)(gen_unit() * 30 * 86400);
		if (store_contact_upsert(&s, &ci, ts, &cid, &created) != 0 ||
		    store_conv_for_inbound(&s, cid, "106540352242922", 0, ts,
		    &conv, &what) != 0) {
			fprintf(stderr, "gen-store: insert failed\n");
			return (1);
		}
		per = i < longs ? 150 : left / (nconv - longs) +
		    (i - longs < left % (nconv - longs) ? 1 : 0);
		ts -= per * 60;
		for (j = 0; j < per; j++) {
			memset(&m, 0, sizeof m);
			gen_text(text, sizeof text);
			body = json_pack("{ss}", "text", text);
			m.conv_id = conv;
			m.contact_id = cid;
			m.outbound = j % 2 == 1;
			m.type = "text";
			m.supported = 1;
			m.ts = ts + j * 60;
			m.body = body;
			m.preview = text;
			m.status = m.outbound ? (gen_rand() % 100 == 0 ? 5 : 3) :
			    0;
			if (m.outbound)
				m.agent_id = agents[gen_rand() % NAGENTS];
			if (store_msg_insert(&s, &m, m.ts, &mid) < 0) {
				fprintf(stderr, "gen-store: insert failed\n");
				return (1);
			}
			json_decref(body);
			if (++done % 20000 == 0) {
				store_commit(&s, &cause);
				store_begin(&s);
			}
		}
		/* States, assignment, teams, labels, priority. */
		u = gen_unit();
		if (u < 0.60)
			store_conv_set_state(&s, conv, "resolved", 0, now);
		else if (u < 0.65)
			store_conv_set_state(&s, conv, "pending", 0, now);
		else if (u < 0.67)
			store_conv_set_state(&s, conv, "snoozed", now + 3600 +
			    (int64_t)(gen_unit() * 86400), now);
		if (gen_unit() < 0.5) {
			k = (int64_t)(gen_rand() % NAGENTS);
			store_conv_set_assignee(&s, conv, agents[k]);
			store_conv_set_team(&s, conv, k % 2 ? "sales" :
			    "billing");
		}
		if (gen_unit() < 0.05)
			store_conv_label(&s, conv, labels[gen_rand() % 3], 1);
		if (gen_unit() < 0.03)
			store_conv_set_priority(&s, conv, (int)(gen_rand() % 2));
	}
	if (store_commit(&s, &cause) != 0) {
		fprintf(stderr, "gen-store: %s\n", cause);
		return (1);
	}
	sqlite3_exec(s.ks, "COMMIT", NULL, NULL, NULL);
	sqlite3_exec(s.db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL,
	    NULL);
	printf("generated %lld conversations, %lld messages\n",
	    (long long)nconv, (long long)done);
	store_close(&s);
	crypt_free(crypt);
	return (0);
}

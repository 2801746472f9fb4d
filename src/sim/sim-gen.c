/*
 * Realistic webhook bodies: the envelope, contacts and message shapes of
 * Meta's examples, wamids in Meta's binary-record form, a few dozen
 * customers with non-ASCII names, and texts that exercise \u escapes,
 * surrogate pairs and "\/". Everything derives from the seed, so a run is
 * reproducible.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "buf.h"
#include "clock.h"
#include "sim.h"
#include "xmalloc.h"

static const char *sim_gen_names[] = {
	"Lena Schäfer", "Jürgen Müller", "Zoë Fischer", "Björn Åström",
	"José García", "François Dubois", "Łukasz Wójcik", "Ayşe Yılmaz",
	"Søren Kjærgaard", "Chloé Martin", "Ömer Demir", "Anaïs Lefèvre",
	"João Conceição", "Mia Wagner", "Noah Becker", "Sheena Nelson",
	"Emma Weiß", "Ben Schröder", "Hannah Krüger", "Paul Hoffmann",
	"Lea Köhler", "Finn Schulz", "Marie Bäcker", "Luis Peña",
	"Sofía Muñoz", "Mateo Núñez", "Élodie Girard", "Chiara Bianchi",
	"Giulia Rossi", "Dmitri Иванов", "Ольга", "Νίκος Παπαδόπουλος",
	"Yuki 佐藤", "Mehmet Öztürk", "Fatma Şahin", "Ingrid Løvås",
	"Tom 🚲", "Kim ✨", "Papa 👨‍👧", "Oma Gerda 🌻", "Amélie Roux",
	"Renée O'Brien", "Max Mustermann", "Erika Mustermann",
	"Nils Sjöberg", "Aleksandra Dąbrowska", "Zoltán Kovács",
	"Tomáš Dvořák", "Jiří Novák", "Charlotte Brontë",
};

static const char *sim_gen_texts[] = {
	"Hallo, wo bleibt meine Bestellung {n}? Danke! 🙏",
	"Guten Tag, ich möchte meine Lieferadresse ändern (Straße 12/3).",
	"Does it come in another color?",
	"Can I get a refund for order #{n}?",
	"Grüße aus München 🥨 — das Paket ist angekommen, aber beschädigt 😞",
	"¿Dónde está mi pedido {n}?",
	"Merci beaucoup ! 👍",
	"Wann öffnet ihr am Samstag?",
	"Rechnung {n} bitte per Mail an lena@example.org / danke",
	"Ich habe \"Express\" gewählt, aber es dauert schon 3 Tage…",
	"Hi! Is the size M still available? 👕",
	"Zoë here 👋 my code {n} doesn't work",
	"Zeile eins\nZeile zwei: Ähm, noch eine Frage",
	"OK 👌",
	"Können Sie mich zurückrufen? Tel. 030/1234567",
	"Çok teşekkürler 🙂",
	"Obrigado! A entrega foi rápida 🚚",
	"Η παραγγελία μου {n};",
	"Привет! Где мой заказ {n}?",
	"注文 {n} はいつ届きますか？",
	"The link https://example.com/track?id={n} says \"unknown\"",
	"😮😮😮",
};

/* Mobile number plans: country code, prefix, digits after the prefix. */
static const struct {
	const char	*cc;
	const char	*prefix;
	int		 digits;
} sim_gen_plans[] = {
	{ "49", "15", 9 }, { "49", "17", 9 }, { "49", "16", 8 },
	{ "43", "664", 7 }, { "41", "79", 7 }, { "1", "650", 7 },
	{ "1", "415", 7 }, { "44", "7", 9 }, { "34", "6", 8 },
	{ "33", "6", 8 }, { "39", "3", 9 }, { "55", "119", 8 },
	{ "90", "5", 9 }, { "31", "6", 8 },
};

#define nitems(a) (sizeof (a) / sizeof (a)[0])

static uint64_t
sim_gen_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

void
sim_gen_init(struct sim_gen *gen, uint64_t seed, const char *prefix,
    size_t ncustomers)
{
	struct sim_set	 seen;
	uint64_t	 r;
	size_t		 k, p;
	int		 d;
	char		*s;

	gen->key = sim_gen_mix(seed);
	for (; prefix != NULL && *prefix != '\0'; prefix++)
		gen->key = sim_gen_mix(gen->key ^ (unsigned char)*prefix);
	gen->waba_id = SIM_WABA_ID;
	gen->phone_number_id = SIM_PHONE_NUMBER_ID;
	gen->display_phone = SIM_DISPLAY_PHONE;
	gen->outbound = 0;
	if (ncustomers == 0)
		ncustomers = 1;
	gen->ncustomers = ncustomers;
	gen->customers = xcalloc(ncustomers, sizeof *gen->customers);

	sim_set_init(&seen);
	r = gen->key;
	for (k = 0; k < ncustomers; k++) {
		do {
			r = sim_gen_mix(r);
			p = r % nitems(sim_gen_plans);
			s = gen->customers[k].phone;
			s += snprintf(s, 8, "%s%s", sim_gen_plans[p].cc,
			    sim_gen_plans[p].prefix);
			for (d = 0; d < sim_gen_plans[p].digits; d++) {
				r = sim_gen_mix(r);
				*s++ = (char)('0' + r % 10);
			}
			*s = '\0';
		} while (!sim_set_add(&seen, gen->customers[k].phone));
		gen->customers[k].name = xstrdup(sim_gen_names[(k +
		    gen->key % nitems(sim_gen_names)) % nitems(sim_gen_names)]);
	}
	sim_set_release(&seen);
}

void
sim_gen_release(struct sim_gen *gen)
{
	size_t	k;

	for (k = 0; k < gen->ncustomers; k++)
		free(gen->customers[k].name);
	free(gen->customers);
	gen->customers = NULL;
	gen->ncustomers = 0;
}

/* A realistic wamid: "wamid." + base64 of Meta's small binary record. */
static char *
sim_gen_wamid(const char *phone, int outbound, const uint8_t rnd[10])
{
	unsigned char	 rec[64];
	char		 hex[21];
	char		*out;
	size_t		 plen = strlen(phone), n = 0, hlen, b64len;

	/* The record Meta base64-encodes: phone, direction, random hex. */
	if (plen > 20)
		plen = 20;
	hlen = outbound ? 18 : 20;
	sodium_bin2hex(hex, sizeof hex, rnd, 10);
	for (n = 0; n < hlen; n++) {
		if (hex[n] >= 'a' && hex[n] <= 'f')
			hex[n] = (char)(hex[n] - 'a' + 'A');
	}
	n = 0;
	rec[n++] = 0x1c;
	rec[n++] = 0x18;
	rec[n++] = (unsigned char)plen;
	memcpy(rec + n, phone, plen);
	n += plen;
	rec[n++] = 0x15;
	rec[n++] = 0x02;
	rec[n++] = 0x00;
	rec[n++] = outbound ? 0x11 : 0x12;
	rec[n++] = 0x18;
	rec[n++] = (unsigned char)hlen;
	memcpy(rec + n, hex, hlen);
	n += hlen;
	rec[n++] = 0x00;

	b64len = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	out = xmalloc(6 + b64len);
	memcpy(out, "wamid.", 6);
	sodium_bin2base64(out + 6, b64len, rec, n,
	    sodium_base64_VARIANT_ORIGINAL);
	return (out);
}

char *
sim_gen_outbound_wamid(struct sim_gen *gen, const char *to)
{
	uint8_t		rnd[10];
	uint64_t	r;
	char		digits[24];
	size_t		n = 0;

	for (; *to != '\0' && n + 1 < sizeof digits; to++) {
		if (*to >= '0' && *to <= '9')
			digits[n++] = *to;
	}
	digits[n] = '\0';
	r = sim_gen_mix(gen->key ^ 0x6f7574ULL) + ++gen->outbound *
	    0x9e3779b97f4a7c15ULL;
	memcpy(rnd, &r, 8);
	randombytes_buf(rnd + 8, 2);
	return (sim_gen_wamid(digits, 1, rnd));
}

char *
sim_gen_envelope(struct sim_gen *gen, const char *phone_number_id,
    json_t *value, size_t *len)
{
	json_t		*env, *v;
	char		*s;
	const char	*waba = gen->waba_id;
	size_t		 i;

	if (phone_number_id == NULL)
		phone_number_id = gen->phone_number_id;
	for (i = 0; i < gen->nextra; i++) {
		if (strcmp(gen->extra_phone[i], phone_number_id) == 0)
			waba = gen->extra_waba[i];
	}
	/* Key order as in Meta's examples: messaging_product, metadata. */
	v = json_pack("{s:s, s:{s:s, s:s}}",
	    "messaging_product", "whatsapp",
	    "metadata",
	    "display_phone_number", gen->display_phone,
	    "phone_number_id", phone_number_id);
	json_object_update(v, value);
	json_decref(value);
	env = json_pack("{s:s, s:[{s:s, s:[{s:o, s:s}]}]}",
	    "object", "whatsapp_business_account",
	    "entry",
	    "id", waba,
	    "changes",
	    "value", v,
	    "field", "messages");
	if (env == NULL)
		abort();
	s = sim_util_json_meta(env, len);
	json_decref(env);
	return (s);
}

static char *
sim_gen_message(struct sim_gen *gen, const char *from, const char *name,
    const char *wamid, const char *text, size_t *len)
{
	json_t	*value;
	char	 ts[32];

	snprintf(ts, sizeof ts, "%lld", (long long)clock_now());
	value = json_pack("{s:[{s:{s:s}, s:s}], s:[{s:s, s:s, s:s, s:s, "
	    "s:{s:s}}]}",
	    "contacts",
	    "profile", "name", name,
	    "wa_id", from,
	    "messages",
	    "from", from,
	    "id", wamid,
	    "timestamp", ts,
	    "type", "text",
	    "text", "body", text);
	if (value == NULL)
		return (NULL);
	return (sim_gen_envelope(gen, NULL, value, len));
}

char *
sim_gen_text_event(struct sim_gen *gen, uint64_t i, char **wamid,
    size_t *len)
{
	struct sim_gen_customer	*c;
	struct buf		 text;
	uint64_t		 r, u;
	uint8_t			 rnd[10];
	const char		*t, *mark;
	char			*body;

	r = sim_gen_mix(gen->key ^ sim_gen_mix(i));
	/* A few customers write much more often than the rest. */
	u = r % 1000;
	c = &gen->customers[(u * u / 1000) * gen->ncustomers / 1000];

	/*
	 * The random part of the wamid: a per-run tag, then the index run
	 * through a bijection of 2^48, so no two events of a run collide.
	 */
	u = sim_gen_mix(gen->key);
	memcpy(rnd, &u, 4);
	u = (i * 0x5851f42d4c957f2dULL + (u >> 16)) & 0xffffffffffffULL;
	rnd[4] = (uint8_t)(u >> 40);
	rnd[5] = (uint8_t)(u >> 32);
	rnd[6] = (uint8_t)(u >> 24);
	rnd[7] = (uint8_t)(u >> 16);
	rnd[8] = (uint8_t)(u >> 8);
	rnd[9] = (uint8_t)u;
	*wamid = sim_gen_wamid(c->phone, 0, rnd);

	buf_init(&text, 0);
	t = sim_gen_texts[(r >> 20) % nitems(sim_gen_texts)];
	if ((mark = strstr(t, "{n}")) != NULL) {
		buf_add(&text, t, (size_t)(mark - t));
		buf_addf(&text, "%llu", (unsigned long long)(10000 +
		    (r >> 32) % 90000));
		buf_adds(&text, mark + 3);
	} else
		buf_adds(&text, t);
	body = sim_gen_message(gen, c->phone, c->name, *wamid, text.data,
	    len);
	buf_release(&text);
	if (body == NULL)
		abort();
	return (body);
}

char *
sim_gen_inbound(struct sim_gen *gen, const char *from, const char *name,
    const char *text, char **wamid, size_t *len)
{
	uint8_t	 rnd[10];
	char	*body;

	randombytes_buf(rnd, sizeof rnd);
	*wamid = sim_gen_wamid(from, 0, rnd);
	body = sim_gen_message(gen, from, name, *wamid, text, len);
	if (body == NULL) {
		free(*wamid);
		*wamid = NULL;
	}
	return (body);
}

/* A new inbound wamid from a customer's digits (sim-reply.c). */
char *
sim_gen_inbound_wamid(const char *from)
{
	uint8_t	rnd[10];

	randombytes_buf(rnd, sizeof rnd);
	return (sim_gen_wamid(from, 0, rnd));
}

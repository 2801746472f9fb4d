/*
 * The demo's customers ("make demo", "support-inbox demo"): a shop's
 * Monday. "seed" posts two weeks of history through the daemon's real
 * webhook path, backdated by the messages' timestamps: a few hundred
 * customers writing in German and English about orders, returns, deliveries
 * and invoices, with photos, documents, a voice note, locations, reactions,
 * quoted replies and the shop's answers (as echoes of the WhatsApp Business
 * app). "serve --demo SECS" keeps them writing: every few seconds someone
 * writes, and a customer who gets a reply answers it a few seconds later.
 * Everything derives from the customer's index, so the same people come
 * back; nothing here is real (phone numbers from fictional ranges).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <sodium.h>

#include "buf.h"
#include "sim.h"
#include "xmalloc.h"

#define nitems(a) (sizeof (a) / sizeof (a)[0])

/* The customers seed makes unless told otherwise; chatter reuses them. */
#define SIM_DEMO_POOL		300
#define SIM_DEMO_DAYS		14
/* An answer to a reply comes this many seconds after it (and up to 5 more). */
#define SIM_DEMO_ANSWER_SECS	4

static const char *sim_demo_first_de[] = {
	"Lena", "Jürgen", "Sabine", "Thomas", "Anja", "Michael", "Katrin",
	"Stefan", "Julia", "Andreas", "Petra", "Markus", "Sophie", "Lukas",
	"Hannah", "Felix", "Ursula", "Klaus", "Mia", "Jonas", "Gülay",
	"Björn", "Renate", "Özlem",
};
static const char *sim_demo_last_de[] = {
	"Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer",
	"Wagner", "Becker", "Schulz", "Hoffmann", "Krüger", "Groß", "Weiß",
	"Köhler", "Schäfer", "Yılmaz", "Nowak",
};
static const char *sim_demo_first_en[] = {
	"Emily", "James", "Olivia", "Oliver", "Amelia", "Harry", "Isla",
	"Jack", "Grace", "George", "Chloe", "Charlie", "Priya", "Aidan",
};
static const char *sim_demo_last_en[] = {
	"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Davies",
	"Evans", "Clarke", "O'Neill", "Patel", "Murphy",
};

enum sim_demo_topic {
	SIM_DEMO_ORDER,
	SIM_DEMO_RETURN,
	SIM_DEMO_DELIVERY,
	SIM_DEMO_INVOICE,
};

/*
 * A conversation's lines, per language and topic: the customer's first
 * message, the shop's answer, the customer's follow-up (quoting the
 * answer), and the caption of what the customer attaches. {n} is an order
 * number, {f} the customer's first name.
 */
static const struct {
	const char	*open, *answer, *follow, *attach;
} sim_demo_script[2][4] = {
	{	/* English */
		{ "Hi, I ordered on Friday (order {n}). When will it ship?",
		  "Hi {f}, order {n} leaves our warehouse today. You will get "
		  "the tracking link by email.",
		  "Great, thanks a lot!", NULL },
		{ "Hello, I'd like to return the jacket from order {n}, it is "
		  "too small.",
		  "Sorry to hear that, {f}! The return label for order {n} is "
		  "on its way to your inbox.",
		  "Got the label, the parcel goes out tomorrow.",
		  "This is the seam that came apart" },
		{ "Where is my parcel? Tracking for order {n} has not moved for "
		  "3 days.",
		  "We asked the carrier about order {n}, {f}; it should arrive "
		  "by Wednesday.",
		  "Still nothing here 😕", "Please deliver it here instead" },
		{ "Could you send me the invoice for order {n} again? I can't "
		  "find it.",
		  "Of course, {f}: the invoice for order {n} is in your email "
		  "now.",
		  "Received, thank you 👍", "Proof of payment" },
	},
	{	/* German */
		{ "Hallo, ich habe am Freitag bestellt (Bestellung {n}). Wann "
		  "wird sie verschickt?",
		  "Hallo {f}, Ihre Bestellung {n} geht heute noch raus. Den "
		  "Sendungslink bekommen Sie per Mail.",
		  "Super, vielen Dank! 🙏", NULL },
		{ "Guten Tag, ich möchte die Jacke aus Bestellung {n} "
		  "zurückschicken, sie ist zu klein.",
		  "Das tut uns leid, {f}! Das Retourenetikett für {n} ist "
		  "unterwegs in Ihr Postfach.",
		  "Etikett ist da, das Paket geht morgen zurück.",
		  "So sieht die Naht aus" },
		{ "Wo bleibt mein Paket? Die Sendungsverfolgung zu {n} zeigt "
		  "seit 3 Tagen nichts Neues.",
		  "Wir haben beim Versanddienst nachgefragt, {f}: Bestellung {n} "
		  "sollte bis Mittwoch da sein.",
		  "Immer noch nichts da 😕", "Bitte lieber hierhin liefern" },
		{ "Können Sie mir die Rechnung zu Bestellung {n} noch einmal "
		  "schicken? Ich finde sie nicht.",
		  "Gerne, {f}: die Rechnung zu {n} ist eben per Mail "
		  "rausgegangen.",
		  "Angekommen, danke 👍", "Überweisungsbeleg" },
	},
};

/* What customers write out of the blue, and how they answer a reply. */
static const char *sim_demo_chatter[2][8] = {
	{ "Hi, is the blue version back in stock?",
	  "Do you ship to Ireland?", "My discount code {n} doesn't work 🤔",
	  "Can I still change the address for order {n}?",
	  "The parcel arrived damaged, what now?",
	  "Hello? Anyone there?", "Is there a warranty on the kettle?",
	  "Thanks for the quick help last week! 😊" },
	{ "Hallo, gibt es die Jacke wieder in Blau?",
	  "Liefert ihr auch nach Österreich?",
	  "Mein Gutscheincode {n} funktioniert nicht 🤔",
	  "Kann ich die Lieferadresse für {n} noch ändern?",
	  "Das Paket kam beschädigt an, was nun?", "Hallo? Ist jemand da?",
	  "Gibt es auf den Wasserkocher Garantie?",
	  "Danke für die schnelle Hilfe letzte Woche! 😊" },
};
static const char *sim_demo_answers[2][5] = {
	{ "Thanks for the quick answer! 👍", "OK, then I'll wait a bit.",
	  "Perfect, thank you!", "Hm, that doesn't help me, sorry.",
	  "Got it 🙂" },
	{ "Danke für die schnelle Antwort! 👍",
	  "Alles klar, dann warte ich noch.", "Perfekt, vielen Dank!",
	  "Hm, das hilft mir leider nicht weiter.", "Verstanden 🙂" },
};

/* One demo customer. */
struct sim_demo_who {
	char	 phone[24];
	char	 name[64];
	char	 first[32];
	int	 de;		/* 1: writes German */
};

struct sim_demo_answer {
	struct sim_demo		*demo;
	struct event		*ev;
	char			*body;
	size_t			 len;
	struct sim_demo_answer	*next;
};

struct sim_demo {
	struct sim_serve	*s;
	struct event		*tick;
	double			 every;
	uint64_t		 n;		/* messages written so far */
	size_t			 pool;		/* customers who exist */
	struct sim_demo_answer	*answers;	/* scheduled */
};

static uint64_t
sim_demo_mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return (x ^ (x >> 31));
}

/*
 * Customer k: three in five write German, from German mobile numbers
 * (+49 15x), the others English, from the UK's range for drama (+44 7700
 * 900xxx). Distinct for every k below 100000.
 */
static void
sim_demo_who(size_t k, struct sim_demo_who *w)
{
	uint64_t	r = sim_demo_mix(k);

	memset(w, 0, sizeof *w);
	w->de = k % 5 < 3;
	if (w->de) {
		snprintf(w->first, sizeof w->first, "%s",
		    sim_demo_first_de[r % nitems(sim_demo_first_de)]);
		snprintf(w->name, sizeof w->name, "%s %s", w->first,
		    sim_demo_last_de[(r >> 16) % nitems(sim_demo_last_de)]);
		snprintf(w->phone, sizeof w->phone, "4915%u%07u",
		    (unsigned)(1 + k % 7), (unsigned)((k * 7919 + 1234) %
		    10000000));
	} else {
		snprintf(w->first, sizeof w->first, "%s",
		    sim_demo_first_en[r % nitems(sim_demo_first_en)]);
		snprintf(w->name, sizeof w->name, "%s %s", w->first,
		    sim_demo_last_en[(r >> 16) % nitems(sim_demo_last_en)]);
		snprintf(w->phone, sizeof w->phone, "447700%06u",
		    (unsigned)(900000 + k % 100000));
	}
}

/* text with {n} and {f} filled in (allocated). */
static char *
sim_demo_fill(const char *text, uint64_t order, const char *first)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b, 0);
	for (p = text; *p != '\0'; p++) {
		if (strncmp(p, "{n}", 3) == 0) {
			buf_addf(&b, "%llu", (unsigned long long)order);
			p += 2;
		} else if (strncmp(p, "{f}", 3) == 0) {
			buf_adds(&b, first);
			p += 2;
		} else
			buf_add(&b, p, 1);
	}
	return (buf_detach(&b, NULL));
}

/* A unique wamid of Meta's shape (the daemon only needs it unique). */
static char *
sim_demo_wamid(void)
{
	unsigned char	rnd[27];
	char		b64[40];

	rnd[0] = 0x1c;
	rnd[1] = 0x18;
	randombytes_buf(rnd + 2, sizeof rnd - 2);
	sodium_bin2base64(b64, sizeof b64, rnd, sizeof rnd,
	    sodium_base64_VARIANT_ORIGINAL);
	return (xasprintf("wamid.%s", b64));
}

/*
 * The webhook body for one messages[] item (consumed) from customer w, or
 * with echo for one message_echoes[] item (the shop's app wrote it).
 */
static char *
sim_demo_body(const struct sim_demo_who *w, json_t *msg, int echo,
    size_t *len)
{
	json_t	*value, *env;
	char	*s;

	if (echo)
		value = json_pack("{s:s, s:{s:s, s:s}, s:[o]}",
		    "messaging_product", "whatsapp",
		    "metadata",
		    "display_phone_number", SIM_DISPLAY_PHONE,
		    "phone_number_id", SIM_PHONE_NUMBER_ID,
		    "message_echoes", msg);
	else
		value = json_pack("{s:s, s:{s:s, s:s}, s:[{s:{s:s}, s:s}], "
		    "s:[o]}",
		    "messaging_product", "whatsapp",
		    "metadata",
		    "display_phone_number", SIM_DISPLAY_PHONE,
		    "phone_number_id", SIM_PHONE_NUMBER_ID,
		    "contacts", "profile", "name", w->name, "wa_id", w->phone,
		    "messages", msg);
	env = json_pack("{s:s, s:[{s:s, s:[{s:o, s:s}]}]}",
	    "object", "whatsapp_business_account",
	    "entry", "id", SIM_WABA_ID,
	    "changes", "value", value,
	    "field", echo ? "smb_message_echoes" : "messages");
	if (env == NULL)
		abort();
	s = sim_util_json_meta(env, len);
	json_decref(env);
	return (s);
}

/* A customer's message of type (its object, consumed) at time ts. */
static json_t *
sim_demo_msg(const struct sim_demo_who *w, const char *wamid, time_t ts,
    const char *type, json_t *o)
{
	char	tbuf[24];

	snprintf(tbuf, sizeof tbuf, "%lld", (long long)ts);
	return (json_pack("{s:s, s:s, s:s, s:s, s:o}", "from", w->phone,
	    "id", wamid, "timestamp", tbuf, "type", type, type, o));
}

/* --- seed: two weeks of history, posted one by one --- */

struct sim_seed {
	CURL		*easy;
	struct curl_slist *headers;
	const char	*url;
	char		*secret;
	char		 error[CURL_ERROR_SIZE];
	uint64_t	 posted;
	uint64_t	 r;		/* the random state */
	char		*image, *pdf, *voice;	/* media ids */
};

static size_t
sim_seed_discard(void *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return (size * n);
}

static size_t
sim_seed_collect(void *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	if (b->len + size * n > 65536)
		return (0);
	buf_add(b, p, size * n);
	return (size * n);
}

static uint64_t
sim_seed_rand(struct sim_seed *sd, uint64_t n)
{
	sd->r = sim_demo_mix(sd->r);
	return (n > 0 ? sd->r % n : 0);
}

/* Posts one body (freed), signed, until the daemon acknowledges it. */
static int
sim_seed_post(struct sim_seed *sd, char *body, size_t len)
{
	struct curl_slist	*h;
	char			 sig[SIM_SIGN_LEN], line[SIM_SIGN_LEN + 32];
	long			 code = 0;
	int			 try;

	sim_sign_body(sd->secret, body, len, sig);
	snprintf(line, sizeof line, "X-Hub-Signature-256: %s", sig);
	h = curl_slist_append(NULL, "Content-Type: application/json");
	h = curl_slist_append(h, "Expect:");
	h = curl_slist_append(h, line);
	curl_easy_setopt(sd->easy, CURLOPT_URL, sd->url);
	curl_easy_setopt(sd->easy, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(sd->easy, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)len);
	curl_easy_setopt(sd->easy, CURLOPT_POSTFIELDS, body);
	for (try = 0; try < 20; try++) {
		if (curl_easy_perform(sd->easy) == CURLE_OK &&
		    curl_easy_getinfo(sd->easy, CURLINFO_RESPONSE_CODE,
		    &code) == CURLE_OK && code == 200)
			break;
		/* Meta retries too; the daemon may be busy a moment. */
		(void)nanosleep(&(struct timespec){ 0, 100000000 }, NULL);
	}
	curl_slist_free_all(h);
	free(body);
	if (code != 200) {
		fprintf(stderr, "support-inbox-sim: POST '%s': %s\n", sd->url,
		    code != 0 ? "not acknowledged" : sd->error);
		return (-1);
	}
	sd->posted++;
	return (0);
}

/* Uploads a file to the simulator's media store; its id, or NULL. */
static char *
sim_seed_upload(struct sim_seed *sd, const char *graph, const char *token,
    const char *name, const char *mime, const void *data, size_t len)
{
	struct buf		 resp;
	struct curl_slist	*h;
	curl_mime		*mime_post;
	curl_mimepart		*part;
	json_t			*j;
	char			*url, *auth, *id = NULL;
	long			 code = 0;

	buf_init(&resp, 0);
	url = xasprintf("%s/v23.0/%s/media", graph, SIM_PHONE_NUMBER_ID);
	auth = xasprintf("Authorization: Bearer %s", token);
	h = curl_slist_append(NULL, auth);
	mime_post = curl_mime_init(sd->easy);
	part = curl_mime_addpart(mime_post);
	curl_mime_name(part, "file");
	curl_mime_data(part, data, len);
	curl_mime_filename(part, name);
	curl_mime_type(part, mime);
	part = curl_mime_addpart(mime_post);
	curl_mime_name(part, "type");
	curl_mime_data(part, mime, CURL_ZERO_TERMINATED);
	part = curl_mime_addpart(mime_post);
	curl_mime_name(part, "messaging_product");
	curl_mime_data(part, "whatsapp", CURL_ZERO_TERMINATED);
	curl_easy_setopt(sd->easy, CURLOPT_URL, url);
	curl_easy_setopt(sd->easy, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(sd->easy, CURLOPT_MIMEPOST, mime_post);
	curl_easy_setopt(sd->easy, CURLOPT_WRITEFUNCTION, sim_seed_collect);
	curl_easy_setopt(sd->easy, CURLOPT_WRITEDATA, &resp);
	if (curl_easy_perform(sd->easy) == CURLE_OK)
		curl_easy_getinfo(sd->easy, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(sd->easy, CURLOPT_MIMEPOST, NULL);
	curl_easy_setopt(sd->easy, CURLOPT_WRITEFUNCTION, sim_seed_discard);
	curl_easy_setopt(sd->easy, CURLOPT_WRITEDATA, NULL);
	curl_mime_free(mime_post);
	curl_slist_free_all(h);
	sodium_memzero(auth, strlen(auth));
	free(auth);
	free(url);
	if (code == 200 && resp.len > 0 &&
	    (j = json_loadb(resp.data, resp.len, 0, NULL)) != NULL) {
		if (json_is_string(json_object_get(j, "id")))
			id = xstrdup(json_string_value(json_object_get(j,
			    "id")));
		json_decref(j);
	}
	buf_release(&resp);
	if (id == NULL)
		fprintf(stderr, "support-inbox-sim: cannot upload '%s' to the "
		    "simulator (HTTP %ld)\n", name, code);
	return (id);
}

/* The demo's files: a small picture, an invoice PDF, a voice note. */
static int
sim_seed_media(struct sim_seed *sd, const char *graph, const char *token)
{
	/* A 2x2 PNG (red, green / blue, white). */
	static const unsigned char png[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00,
		0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02,
		0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd,
		0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00, 0x16, 0x49, 0x44, 0x41,
		0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xc0, 0xf0, 0x1f,
		0x08, 0x18, 0x18, 0xfe, 0xff, 0x07, 0x00, 0x1f, 0xf0, 0x03,
		0xfd, 0x3f, 0x21, 0x6b, 0x10, 0x00, 0x00, 0x00, 0x00, 0x49,
		0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
	};
	static const char pdf[] =
	    "%PDF-1.4\n"
	    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
	    "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
	    "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
	    "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> "
	    "endobj\n"
	    "4 0 obj << /Length 58 >> stream\n"
	    "BT /F1 18 Tf 72 760 Td (Ueberweisungsbeleg - Demo) Tj ET\n"
	    "endstream endobj\n"
	    "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> "
	    "endobj\n"
	    "trailer << /Root 1 0 R >>\n%%EOF\n";
	unsigned char	voice[4096];

	/* Not a playable recording: the demo has none to ship. */
	randombytes_buf(voice, sizeof voice);
	memcpy(voice, "OggS", 4);
	sd->image = sim_seed_upload(sd, graph, token, "photo.png",
	    "image/png", png, sizeof png);
	sd->pdf = sim_seed_upload(sd, graph, token, "Beleg.pdf",
	    "application/pdf", pdf, sizeof pdf - 1);
	sd->voice = sim_seed_upload(sd, graph, token, "voice.ogg",
	    "audio/ogg", voice, sizeof voice);
	return (sd->image != NULL && sd->pdf != NULL && sd->voice != NULL ?
	    0 : -1);
}

/*
 * Customer k's conversation, starting at t0: the first message (and, by
 * topic, a photo, a location or a document), the shop's answer, then the
 * customer's follow-up quoting it or a reaction to it. Recent ones are
 * more often still unanswered. 0 or -1.
 */
static int
sim_seed_conversation(struct sim_seed *sd, size_t k, time_t t0, time_t now)
{
	struct sim_demo_who	 w;
	enum sim_demo_topic	 topic;
	uint64_t		 order = 100000 + sim_demo_mix(k ^ 0x5eed) %
				    900000;
	json_t			*o;
	char			*text, *wamid, *answer = NULL, *body, *cap;
	char			 tbuf[24];
	size_t			 len;
	time_t			 t = t0;
	int			 answered, rc = -1;

	sim_demo_who(k, &w);
	topic = (enum sim_demo_topic)(sim_demo_mix(k ^ 0x70c) % 4);
	/* Most are answered; of the last day's, only half. */
	answered = now - t0 > 86400 ? sim_seed_rand(sd, 10) < 9 :
	    sim_seed_rand(sd, 2) == 0;

	text = sim_demo_fill(sim_demo_script[w.de][topic].open, order,
	    w.first);
	wamid = sim_demo_wamid();
	o = json_pack("{s:s}", "body", text);
	body = sim_demo_body(&w, sim_demo_msg(&w, wamid, t, "text", o), 0,
	    &len);
	free(text);
	if (sim_seed_post(sd, body, len) != 0)
		goto out;
	cap = sim_demo_script[w.de][topic].attach != NULL ? sim_demo_fill(
	    sim_demo_script[w.de][topic].attach, order, w.first) : NULL;
	t += 20 + (time_t)sim_seed_rand(sd, 90);
	o = NULL;
	if (topic == SIM_DEMO_RETURN)
		o = json_pack("{s:s, s:s, s:s}", "caption", cap, "mime_type",
		    "image/png", "id", sd->image);
	else if (topic == SIM_DEMO_DELIVERY && k % 3 == 0)
		o = json_pack("{s:f, s:f, s:s, s:s}", "latitude",
		    52.52 + (double)(k % 50) / 1000, "longitude",
		    13.40 + (double)(k % 70) / 1000, "name", cap, "address",
		    w.de ? "Musterstraße 12, 10115 Berlin" :
		    "12 Example Road, London");
	else if (topic == SIM_DEMO_INVOICE && k % 2 == 0)
		o = json_pack("{s:s, s:s, s:s, s:s}", "caption", cap,
		    "filename", w.de ? "Ueberweisung.pdf" : "payment.pdf",
		    "mime_type", "application/pdf", "id", sd->pdf);
	if (o != NULL) {
		free(wamid);
		wamid = sim_demo_wamid();
		body = sim_demo_body(&w, sim_demo_msg(&w, wamid, t,
		    topic == SIM_DEMO_RETURN ? "image" : topic ==
		    SIM_DEMO_DELIVERY ? "location" : "document", o), 0, &len);
		if (sim_seed_post(sd, body, len) != 0) {
			free(cap);
			goto out;
		}
	}
	free(cap);
	/* One customer leaves a voice note. */
	if (k == 7) {
		free(wamid);
		wamid = sim_demo_wamid();
		t += 30;
		o = json_pack("{s:s, s:s, s:b}", "mime_type",
		    "audio/ogg; codecs=opus", "id", sd->voice, "voice", 1);
		body = sim_demo_body(&w, sim_demo_msg(&w, wamid, t, "audio",
		    o), 0, &len);
		if (sim_seed_post(sd, body, len) != 0)
			goto out;
	}
	if (!answered) {
		rc = 0;
		goto out;
	}

	/* The shop's answer, from the WhatsApp Business app (if by now). */
	t += 300 + (time_t)sim_seed_rand(sd, 5400);
	if (t >= now - 60) {
		rc = 0;
		goto out;
	}
	answer = sim_demo_wamid();
	text = sim_demo_fill(sim_demo_script[w.de][topic].answer, order,
	    w.first);
	snprintf(tbuf, sizeof tbuf, "%lld", (long long)t);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s}}",
	    "from", SIM_DISPLAY_PHONE, "to", w.phone, "id", answer,
	    "timestamp", tbuf, "type", "text", "text", "body", text);
	free(text);
	body = sim_demo_body(&w, o, 1, &len);
	if (sim_seed_post(sd, body, len) != 0)
		goto out;

	/* Then a thumbs-up, or a follow-up quoting the answer, or nothing. */
	t += 60 + (time_t)sim_seed_rand(sd, 7200);
	switch (t >= now - 30 ? 2 : sim_seed_rand(sd, 3)) {
	case 0:
		free(wamid);
		wamid = sim_demo_wamid();
		o = json_pack("{s:s, s:s}", "message_id", answer, "emoji",
		    k % 2 ? "👍" : "❤️");
		body = sim_demo_body(&w, sim_demo_msg(&w, wamid, t,
		    "reaction", o), 0, &len);
		break;
	case 1:
		free(wamid);
		wamid = sim_demo_wamid();
		text = sim_demo_fill(sim_demo_script[w.de][topic].follow,
		    order, w.first);
		o = sim_demo_msg(&w, wamid, t, "text", json_pack("{s:s}",
		    "body", text));
		free(text);
		json_object_set_new(o, "context", json_pack("{s:s, s:s}",
		    "from", SIM_DISPLAY_PHONE, "id", answer));
		body = sim_demo_body(&w, o, 0, &len);
		break;
	default:
		body = NULL;
		break;
	}
	if (body != NULL && sim_seed_post(sd, body, len) != 0)
		goto out;
	rc = 0;
out:
	free(answer);
	free(wamid);
	return (rc);
}

static void
sim_seed_usage(void)
{
	fprintf(stderr,
	    "usage: support-inbox-sim seed --url URL --secret-file FILE "
	    "--graph URL\n"
	    "           --token-file FILE [--conversations N] [--days D]\n");
}

int
sim_seed_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "url",		required_argument, NULL, 'u' },
		{ "secret-file",	required_argument, NULL, 's' },
		{ "graph",		required_argument, NULL, 'g' },
		{ "token-file",		required_argument, NULL, 't' },
		{ "conversations",	required_argument, NULL, 'n' },
		{ "days",		required_argument, NULL, 'd' },
		{ "help",		no_argument,	   NULL, 'h' },
		{ NULL,			0,		   NULL, 0 }
	};
	struct sim_seed	 sd;
	const char	*secret_file = NULL, *graph = NULL, *token_file = NULL;
	char		*cause = NULL, *token = NULL;
	long long	 n = SIM_DEMO_POOL, days = SIM_DEMO_DAYS;
	time_t		 now = time(NULL), t0;
	double		 age, t1;
	size_t		 k;
	int		 ch, r = 1;

	memset(&sd, 0, sizeof sd);
	sd.r = 0x5eed;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			sd.url = optarg;
			break;
		case 's':
			secret_file = optarg;
			break;
		case 'g':
			graph = optarg;
			break;
		case 't':
			token_file = optarg;
			break;
		case 'n':
			if (sim_util_number(optarg, 1, 5000, &n, &cause) != 0)
				goto bad;
			break;
		case 'd':
			if (sim_util_number(optarg, 1, 60, &days,
			    &cause) != 0)
				goto bad;
			break;
		default:
			sim_seed_usage();
			return (ch == 'h' ? 0 : 1);
		}
	}
	if (optind != argc || sd.url == NULL || secret_file == NULL ||
	    graph == NULL || token_file == NULL) {
		sim_seed_usage();
		return (1);
	}
	if (sim_util_url_loopback(sd.url, &cause) != 0 ||
	    sim_util_url_loopback(graph, &cause) != 0)
		goto bad;
	if ((sd.secret = sim_util_read_secret(secret_file, &cause)) == NULL ||
	    (token = sim_util_read_secret(token_file, &cause)) == NULL)
		goto bad;
	if ((sd.easy = curl_easy_init()) == NULL)
		abort();
	curl_easy_setopt(sd.easy, CURLOPT_ERRORBUFFER, sd.error);
	curl_easy_setopt(sd.easy, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(sd.easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(sd.easy, CURLOPT_WRITEFUNCTION, sim_seed_discard);
	if (sim_seed_media(&sd, graph, token) != 0) {
		cause = xasprintf("the simulator at '%s' did not take the "
		    "demo's files", graph);
		goto bad;
	}

	/*
	 * Oldest first, as they happened: customer k's first message is
	 * (1 - k/n)^2 of the span ago, so the last days are the busiest.
	 */
	t1 = sim_util_now();
	for (k = 0; k < (size_t)n; k++) {
		age = 1.0 - (double)k / (double)n;
		t0 = now - (time_t)(age * age * (double)days * 86400) - 600 -
		    (time_t)sim_seed_rand(&sd, 600);
		if (sim_seed_conversation(&sd, k, t0, now) != 0) {
			cause = xasprintf("the daemon at '%s' stopped taking "
			    "webhooks", sd.url);
			goto bad;
		}
	}
	printf("%lld conversations, %llu webhooks in %.1f s\n", n,
	    (unsigned long long)sd.posted, sim_util_now() - t1);
	r = 0;
	goto out;

bad:
	fprintf(stderr, "support-inbox-sim: %s\n", cause);
	free(cause);
out:
	if (sd.easy != NULL)
		curl_easy_cleanup(sd.easy);
	free(sd.image);
	free(sd.pdf);
	free(sd.voice);
	sim_util_free_secret(sd.secret);
	sim_util_free_secret(token);
	return (r);
}

/* --- serve --demo: customers who keep writing, and answer replies --- */

static void
sim_demo_answer_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim_demo_answer	*a = arg, **ap;
	struct sim_demo		*demo = a->demo;

	(void)fd;
	(void)what;
	for (ap = &demo->answers; *ap != NULL && *ap != a; ap = &(*ap)->next)
		;
	if (*ap == a)
		*ap = a->next;
	sim_hook_post(demo->s->hook, a->body, a->len, NULL, NULL);
	event_free(a->ev);
	free(a);
}

/* Posts body now (delay 0) or after delay seconds. */
static void
sim_demo_later(struct sim_demo *demo, char *body, size_t len, double delay)
{
	struct sim_demo_answer	*a;
	struct timeval		 tv;

	a = xcalloc(1, sizeof *a);
	a->demo = demo;
	a->body = body;
	a->len = len;
	a->ev = evtimer_new(demo->s->base, sim_demo_answer_cb, a);
	a->next = demo->answers;
	demo->answers = a;
	tv.tv_sec = (time_t)delay;
	tv.tv_usec = (suseconds_t)((delay - (double)tv.tv_sec) * 1e6);
	evtimer_add(a->ev, &tv);
}

/* A customer writes: mostly one who wrote before, now and then a new one. */
static void
sim_demo_tick_cb(evutil_socket_t fd, short what, void *arg)
{
	struct sim_demo		*demo = arg;
	struct sim_demo_who	 w;
	struct timeval		 tv;
	uint64_t		 r = sim_demo_mix(demo->n ^ 0xc4a7 ^
				    (uint64_t)time(NULL));
	size_t			 k, len;
	char			*text, *wamid, *body;
	double			 next;

	(void)fd;
	(void)what;
	demo->n++;
	if (r % 4 == 0)
		k = demo->pool++;
	else
		k = (size_t)((r >> 8) % demo->pool);
	sim_demo_who(k, &w);
	text = sim_demo_fill(sim_demo_chatter[w.de][(r >> 24) %
	    nitems(sim_demo_chatter[0])], 20000 + (r >> 32) % 80000,
	    w.first);
	wamid = sim_demo_wamid();
	body = sim_demo_body(&w, sim_demo_msg(&w, wamid, time(NULL), "text",
	    json_pack("{s:s}", "body", text)), 0, &len);
	free(text);
	free(wamid);
	sim_hook_post(demo->s->hook, body, len, NULL, NULL);

	/* Every "every" seconds, give or take a third. */
	next = demo->every * (0.67 + (double)((r >> 40) % 67) / 100);
	tv.tv_sec = (time_t)next;
	tv.tv_usec = (suseconds_t)((next - (double)tv.tv_sec) * 1e6);
	evtimer_add(demo->tick, &tv);
}

struct sim_demo *
sim_demo_start(struct sim_serve *s, double every)
{
	struct sim_demo	*demo;
	struct timeval	 tv;

	demo = xcalloc(1, sizeof *demo);
	demo->s = s;
	demo->every = every;
	demo->pool = SIM_DEMO_POOL;
	demo->tick = evtimer_new(s->base, sim_demo_tick_cb, demo);
	/* The first after two periods: the demo seeds its history first. */
	tv.tv_sec = (time_t)(every * 2);
	tv.tv_usec = 0;
	evtimer_add(demo->tick, &tv);
	return (demo);
}

void
sim_demo_sent(struct sim_demo *demo, const char *digits, const char *wamid,
    const char *type)
{
	struct sim_demo_who	 w;
	size_t			 k, len;
	uint64_t		 r;
	char			*text, *id, *body;
	json_t			*o;

	if (demo == NULL || digits == NULL || type == NULL ||
	    strcmp(type, "reaction") == 0)
		return;
	/* Only the demo's customers answer (nobody else would). */
	for (k = 0; k < demo->pool; k++) {
		sim_demo_who(k, &w);
		if (strcmp(w.phone, digits) == 0)
			break;
	}
	if (k == demo->pool)
		return;
	r = sim_demo_mix((uint64_t)time(NULL) ^ k);
	text = xstrdup(sim_demo_answers[w.de][r % nitems(
	    sim_demo_answers[0])]);
	id = sim_demo_wamid();
	o = sim_demo_msg(&w, id, time(NULL) + SIM_DEMO_ANSWER_SECS, "text",
	    json_pack("{s:s}", "body", text));
	/* Every other answer quotes the reply it answers. */
	if (r % 2 == 0 && wamid != NULL)
		json_object_set_new(o, "context", json_pack("{s:s, s:s}",
		    "from", SIM_DISPLAY_PHONE, "id", wamid));
	body = sim_demo_body(&w, o, 0, &len);
	free(text);
	free(id);
	sim_demo_later(demo, body, len, SIM_DEMO_ANSWER_SECS +
	    (double)((r >> 8) % 50) / 10);
}

void
sim_demo_free(struct sim_demo *demo)
{
	struct sim_demo_answer	*a;

	if (demo == NULL)
		return;
	while ((a = demo->answers) != NULL) {
		demo->answers = a->next;
		event_free(a->ev);
		free(a->body);
		free(a);
	}
	event_free(demo->tick);
	free(demo);
}

/*
 * The message templates the simulated WABA owns: approved ones in each
 * category, one paused and one rejected, so clients meet every case that
 * matters when picking a template to re-engage a customer.
 */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "xmalloc.h"

static const struct sim_template sim_templates[] = {
	{ "hello_world", "en_US", "APPROVED", "MARKETING", "711633970112948",
	  "Hello World", NULL,
	  "Welcome and congratulations!! This message demonstrates your "
	  "ability to send a message notification from WhatsApp Business "
	  "Platform\u2019s Cloud API. Thank you for taking the time to test "
	  "with us.",
	  "WhatsApp Business API Team", NULL },
	{ "support_followup", "de", "APPROVED", "UTILITY", "1387372356726668",
	  NULL, NULL,
	  "Hallo {{1}}, wir haben deine Nachricht zu {{2}} erhalten. "
	  "Antworte hier, damit wir weiterhelfen können.",
	  "Dein Support-Team", "QUICK_REPLY:Ja, bitte|QUICK_REPLY:Erledigt" },
	{ "sample_shipping_confirmation", "en_US", "APPROVED", "UTILITY",
	  "419824263320619", NULL, NULL,
	  "Your package has been shipped. It will be delivered in {{1}} "
	  "business days.",
	  "This message is from an unverified business.", NULL },
	{ "order_update", "de", "APPROVED", "UTILITY", "1667696820637468",
	  NULL, NULL,
	  "Hallo {{1}}, deine Bestellung {{2}} ist unterwegs. \U0001F69A",
	  NULL, NULL },
	{ "appointment_reminder", "en_US", "APPROVED", "UTILITY",
	  "5367414413280831", "Appointment reminder", NULL,
	  "Hi {{1}}, this is a reminder of your appointment on {{2}} at "
	  "{{3}}.",
	  NULL, "QUICK_REPLY:Confirm|QUICK_REPLY:Reschedule" },
	{ "summer_sale", "de", "APPROVED", "MARKETING", "1304694804498707",
	  NULL, "IMAGE",
	  "Hallo {{1}}! Unser Sommerschlussverkauf beginnt heute: {{2}} "
	  "Rabatt auf alles.",
	  "Antworte STOPP, um keine Angebote mehr zu erhalten.",
	  "QUICK_REPLY:Stopp" },
	{ "verification_code", "en_US", "APPROVED", "AUTHENTICATION",
	  "1092999222892024", NULL, NULL,
	  "*{{1}}* is your verification code. For your security, do not "
	  "share this code.",
	  NULL, "URL:Copy code" },
	{ "feedback_survey", "en_US", "PAUSED", "MARKETING", "1625063511800527",
	  NULL, NULL,
	  "Hi {{1}}, how did we do? Rate us from 1 to 5.",
	  NULL, NULL },
	{ "black_friday_blast", "en_US", "REJECTED", "MARKETING",
	  "1166414785519855", NULL, NULL,
	  "HUGE SALE!!! {{1}} OFF EVERYTHING!!! BUY NOW!!!",
	  NULL, NULL },
};

#define SIM_TEMPLATE_COUNT (sizeof sim_templates / sizeof sim_templates[0])

/*
 * A second WABA's own (serve --number): a template of the same name may
 * say something else there, and one exists only there.
 */
static const struct sim_template sim_templates_extra[] = {
	{ "hello_world", "en_US", "APPROVED", "MARKETING", "811633970112948",
	  "Hello World", NULL,
	  "Welcome to our sales team!", NULL, NULL },
	{ "sales_welcome", "en_US", "APPROVED", "UTILITY", "822419550311047",
	  NULL, NULL,
	  "Hi {{1}}, thanks for asking our sales team. We answer here.",
	  NULL, NULL },
};

#define SIM_TEMPLATE_EXTRA (sizeof sim_templates_extra / \
	sizeof sim_templates_extra[0])

const struct sim_template *
sim_template_get(size_t i)
{
	return (i < SIM_TEMPLATE_COUNT ? &sim_templates[i] : NULL);
}

const struct sim_template *
sim_template_get_extra(size_t i)
{
	return (i < SIM_TEMPLATE_EXTRA ? &sim_templates_extra[i] : NULL);
}

const struct sim_template *
sim_template_find(const char *name, const char *language)
{
	size_t	i;

	for (i = 0; i < SIM_TEMPLATE_COUNT; i++) {
		if (strcmp(sim_templates[i].name, name) == 0 &&
		    strcmp(sim_templates[i].language, language) == 0)
			return (&sim_templates[i]);
	}
	for (i = 0; i < SIM_TEMPLATE_EXTRA; i++) {
		if (strcmp(sim_templates_extra[i].name, name) == 0 &&
		    strcmp(sim_templates_extra[i].language, language) == 0)
			return (&sim_templates_extra[i]);
	}
	return (NULL);
}

int
sim_template_params(const struct sim_template *t)
{
	const char	*p = t->body;
	char		*end;
	long		 n, max = 0;

	while ((p = strstr(p, "{{")) != NULL) {
		n = strtol(p + 2, &end, 10);
		if (end != p + 2 && strncmp(end, "}}", 2) == 0 && n > max)
			max = n;
		p += 2;
	}
	return ((int)max);
}

static json_t *
sim_template_buttons(const char *spec)
{
	json_t	*a = json_array();
	char	*copy, *item, *save = NULL, *colon;

	copy = xstrdup(spec);
	for (item = strtok_r(copy, "|", &save); item != NULL;
	    item = strtok_r(NULL, "|", &save)) {
		if ((colon = strchr(item, ':')) == NULL)
			continue;
		*colon++ = '\0';
		if (strcmp(item, "URL") == 0) {
			json_array_append_new(a, json_pack("{s:s, s:s, s:s}",
			    "type", "URL", "text", colon,
			    "url", "https://www.example.com/otp/{{1}}"));
		} else {
			json_array_append_new(a, json_pack("{s:s, s:s}",
			    "type", item, "text", colon));
		}
	}
	free(copy);
	return (a);
}

json_t *
sim_template_json(const struct sim_template *t)
{
	static const char *examples[] = { "Lena", "#4711", "Friday", "10:30" };
	json_t	*c, *ex, *row;
	int	 i, n;

	c = json_array();
	if (t->header != NULL) {
		json_array_append_new(c, json_pack("{s:s, s:s, s:s}",
		    "type", "HEADER", "format", "TEXT", "text", t->header));
	} else if (t->header_format != NULL) {
		json_array_append_new(c, json_pack("{s:s, s:s}",
		    "type", "HEADER", "format", t->header_format));
	}
	n = sim_template_params(t);
	if (n > 0) {
		row = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(row, json_string(examples[i % 4]));
		ex = json_pack("{s:[o]}", "body_text", row);
		json_array_append_new(c, json_pack("{s:s, s:s, s:o}",
		    "type", "BODY", "text", t->body, "example", ex));
	} else {
		json_array_append_new(c, json_pack("{s:s, s:s}",
		    "type", "BODY", "text", t->body));
	}
	if (t->footer != NULL) {
		json_array_append_new(c, json_pack("{s:s, s:s}",
		    "type", "FOOTER", "text", t->footer));
	}
	if (t->buttons != NULL) {
		json_array_append_new(c, json_pack("{s:s, s:o}",
		    "type", "BUTTONS", "buttons",
		    sim_template_buttons(t->buttons)));
	}
	return (json_pack("{s:s, s:s, s:o, s:s, s:s, s:s, s:s}",
	    "name", t->name,
	    "parameter_format", "POSITIONAL",
	    "components", c,
	    "language", t->language,
	    "status", t->status,
	    "category", t->category,
	    "id", t->id));
}

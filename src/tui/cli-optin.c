/*
 * CLI: the click-to-chat opt-in link (optin.link, rpc-optin.c) as text,
 * or as a QR code in the terminal, a PNG or an SVG file (qr.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client.h"
#include "cli.h"
#include "proto-names.h"
#include "qr.h"

#define CLI_OPTIN_LINK_USAGE \
	"optin link [--number LABEL] [--text] [--json]"
#define CLI_OPTIN_QR_USAGE \
	"optin qr [--number LABEL] [--png FILE] [--svg FILE] [--force] [--json]"

/* optin.link for --number (NULL with the error printed). */
static json_t *
cli_optin_get(struct client *c, struct cli_opts *o)
{
	const char	*n;
	json_t		*params = json_object();

	if ((n = cli_flag(o, "number")) != NULL)
		json_object_set_new(params, "number", json_string(n));
	return (cli_call(c, PM_OPTIN_LINK, params));
}

static int
cli_optin_link(struct client *c, struct cli_opts *o)
{
	json_t	*r;

	if (o->nargs != 0)
		return (cli_err("usage: support-inbox " CLI_OPTIN_LINK_USAGE));
	if ((r = cli_optin_get(c, o)) == NULL)
		return (1);
	if (o->json)
		return (cli_print_free(r));
	printf("%s\n", cli_str(r, "link"));
	if (cli_flag(o, "text") != NULL)
		printf("number %s (+%s), text: %s\n", cli_str(r, "number"),
		    cli_str(r, "display_number"), cli_str(r, "text"));
	json_decref(r);
	return (0);
}

static int
cli_optin_qr(struct client *c, struct cli_opts *o)
{
	const char	*png, *svg;
	struct qr	 q;
	json_t		*r, *out;
	char		*cause;
	int		 force, rc = 1;

	if (o->nargs != 0)
		return (cli_err("usage: support-inbox " CLI_OPTIN_QR_USAGE));
	png = cli_flag(o, "png");
	svg = cli_flag(o, "svg");
	force = cli_flag(o, "force") != NULL;
	if ((png != NULL && *png == '\0') || (svg != NULL && *svg == '\0'))
		return (cli_err("--png and --svg expect a file name"));
	if (png != NULL && svg != NULL && strcmp(png, svg) == 0)
		return (cli_err("--png and --svg name the same file"));
	if ((r = cli_optin_get(c, o)) == NULL)
		return (1);
	if (qr_make(cli_str(r, "link"), &q, &cause) != 0) {
		cli_err("%s", cause);
		free(cause);
		json_decref(r);
		return (1);
	}
	if (png != NULL && qr_png(&q, png, force, &cause) != 0)
		goto fail;
	if (svg != NULL && qr_svg(&q, svg, force, &cause) != 0)
		goto fail;
	if (o->json) {
		out = json_pack("{sO sO si si}", "link", json_object_get(r,
		    "link"), "number", json_object_get(r, "number"),
		    "version", q.version, "modules", q.width);
		if (png != NULL)
			json_object_set_new(out, "png", json_string(png));
		if (svg != NULL)
			json_object_set_new(out, "svg", json_string(svg));
		cli_print_free(out);
	} else if (png == NULL && svg == NULL) {
		qr_terminal(&q, stdout);
		printf("%s\n", cli_str(r, "link"));
	} else {
		if (png != NULL)
			printf("wrote %s\n", png);
		if (svg != NULL)
			printf("wrote %s\n", svg);
		printf("QR version %d, %d x %d modules: %s\n", q.version,
		    q.width, q.width, cli_str(r, "link"));
	}
	rc = 0;
	goto out;
fail:
	cli_err("%s", cause);
	free(cause);
out:
	qr_free(&q);
	json_decref(r);
	return (rc);
}

const struct cli_entry cli_optin_table[] = {
	{ "optin", "link", CLI_OPTIN_LINK_USAGE, cli_optin_link },
	{ "optin", "qr", CLI_OPTIN_QR_USAGE, cli_optin_qr },
	{ NULL, NULL, NULL, NULL }
};

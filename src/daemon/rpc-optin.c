/*
 * optin.*: the click-to-chat opt-in link of a business number (issue 17).
 * Read-only and without personal data: the answer is the configuration
 * (the number's public phone number and its opt-in text), so, like
 * hours.status, it leaves no audit record.
 */
#include <stdlib.h>

#include "conf.h"
#include "daemon.h"
#include "optin.h"
#include "proto-names.h"
#include "rpc.h"

static json_t *
rpc_optin_link(struct rpc_ctx *ctx, json_t *params, struct rpc_err *err)
{
	const struct conf		*conf = &ctx->d->conf;
	const struct conf_number	*n;
	const char			*label = NULL, *digits;
	char				*text, *link;
	char				 version[OPTIN_VERSION_LEN];
	json_t				*r;

	if (rpc_param_str(params, "number", 0, &label, CONF_LABEL_MAX,
	    err) != 0)
		return (NULL);
	if (label == NULL) {
		if (conf->nnumbers == 0)
			return (rpc_error(err, PE_NOT_FOUND, "no business "
			    "number is configured ([graph] phone_number_id "
			    "or [number LABEL])"));
		n = &conf->numbers[0];
	} else if ((n = conf_number_by_label(conf, label)) == NULL)
		return (rpc_error(err, PE_NOT_FOUND, "no number has the label "
		    "'%s' (support-inbox.conf: [graph] label or [number "
		    "LABEL])", conf_label_valid(label) ? label : "?"));
	if ((digits = conf_optin_display(conf, n->label)) == NULL)
		return (rpc_error(err, PE_INVALID, "number '%s' has no "
		    "display_number: set its public phone number in %s%s%s "
		    "(display_number = +49 30 1234567) and reload", n->label,
		    n->graph ? "[graph]" : "[number ", n->graph ? "" :
		    n->label, n->graph ? "" : "]"));
	text = conf_optin_text(conf, n->label);
	link = conf_optin_link(digits, text);
	optin_version(text, version);
	r = json_pack("{ss ss ss ss ss}", "link", link, "number", n->label,
	    "display_number", digits, "text", text, "text_version", version);
	free(link);
	free(text);
	return (r);
}

const struct rpc_method rpc_optin_methods[] = {
	{ PM_OPTIN_LINK,	RPC_AGENT,	RPC_READONLY,	rpc_optin_link },
	{ NULL,			RPC_ANYONE,	0,		NULL }
};

/*
 * WhatsApp message templates as the customer reads them: the one place
 * that finds a template's placeholders and fills them with the send's
 * parameters. The daemon builds the send and stores the text the customer
 * received with it; the client shows a picker preview, each parameter's
 * place and the exact text before sending, all from these functions.
 *
 * Placeholders are {{1}} (positional) or {{first_name}} (named). A
 * component's distinct placeholders, in order of first use, take one
 * parameter each; the parameters of a send run over the components in
 * order: header text, body, then URL buttons.
 */
#ifndef TPL_RENDER_H
#define TPL_RENDER_H

#include <stddef.h>

#include <jansson.h>

#define TPL_NAME_MAX	64	/* bytes of a placeholder's name */
#define TPL_TEXT_MAX	8192	/* bytes of a rendered template */
#define TPL_NO_MARK	((size_t)-1)

/* The distinct placeholder names of text, in order of first use. */
json_t	*tpl_placeholders(const char *text);
/*
 * text with its placeholders filled from params (a JSON array of strings)
 * starting at params[*used]; *used advances by the placeholders text has.
 * A placeholder with no parameter yet stays {{name}}; the one whose
 * parameter index is mark is shown as [{{name}}] (TPL_NO_MARK: none).
 * Returns an allocated string, cut at TPL_TEXT_MAX bytes.
 */
char	*tpl_render_text(const char *text, json_t *params, size_t *used,
	    size_t mark);
/*
 * The whole template (its "components" array as synced): header text,
 * body and footer on lines of their own, then each button as "[Label]";
 * placeholders filled as tpl_render_text does. A media header shows as
 * "[image]" etc. Returns an allocated string.
 */
char	*tpl_render(json_t *components, json_t *params, size_t mark);

#endif

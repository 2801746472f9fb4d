/*
 * Several business numbers (issue 15): a conversation's number, and the
 * token its requests go with.
 */
#include <stdint.h>
#include <string.h>

#include "conf.h"
#include "daemon.h"
#include "numbers.h"
#include "store.h"

const struct conf_number *
numbers_of_conv(struct daemon *d, int64_t conv_id)
{
	char	id[STORE_NUMBER_ID_MAX];

	if (d->conf.nnumbers == 0)
		return (NULL);
	if (store_number_of_conv(&d->store, conv_id, id, sizeof id) != 0)
		return (NULL);
	if (id[0] == '\0')
		return (&d->conf.numbers[0]);
	return (conf_number_by_id(&d->conf, id));
}

const struct conf_number *
numbers_of_msg(struct daemon *d, int64_t msg_id)
{
	char	id[STORE_NUMBER_ID_MAX];

	if (d->conf.nnumbers == 0)
		return (NULL);
	if (store_number_of_msg(&d->store, msg_id, id, sizeof id) != 0)
		return (NULL);
	if (id[0] == '\0')
		return (&d->conf.numbers[0]);
	return (conf_number_by_id(&d->conf, id));
}

const char *
numbers_token(struct daemon *d, const struct conf_number *n)
{
	if (n == NULL)
		return (NULL);
	return (n->graph ? d->conf.access_token : n->token);
}

void
numbers_label_rows(struct daemon *d, json_t *rows)
{
	json_t		*row;
	const char	*label;
	size_t		 i;

	json_array_foreach(rows, i, row) {
		label = numbers_label(d, json_string_value(json_object_get(row,
		    "number_id")));
		if (label == NULL && json_object_get(row, "number_id") ==
		    NULL && d->conf.nnumbers > 0)
			label = d->conf.numbers[0].label;
		json_object_set_new(row, "number", label != NULL ?
		    json_string(label) : json_null());
		json_object_del(row, "number_id");
	}
}

const char *
numbers_label(struct daemon *d, const char *phone_number_id)
{
	const struct conf_number	*n;

	n = conf_number_by_id(&d->conf, phone_number_id);
	return (n != NULL ? n->label : NULL);
}

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

const char *
numbers_label(struct daemon *d, const char *phone_number_id)
{
	const struct conf_number	*n;

	n = conf_number_by_id(&d->conf, phone_number_id);
	return (n != NULL ? n->label : NULL);
}

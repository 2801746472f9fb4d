/*
 * Several business numbers (issue 15): which configured number a
 * conversation belongs to (the one the customer wrote to) and which token
 * speaks for it. The numbers themselves are struct conf's (conf.h).
 */
#ifndef NUMBERS_H
#define NUMBERS_H

#include <stdint.h>

#include <jansson.h>

struct daemon;
struct conf_number;

/*
 * The number conversation conv_id belongs to. One without a number (made
 * before numbers were recorded) belongs to the first; one whose number is
 * no longer configured to none: NULL, and nothing may leave for it.
 */
const struct conf_number *numbers_of_conv(struct daemon *, int64_t conv_id);
/* The same for the conversation of a message. */
const struct conf_number *numbers_of_msg(struct daemon *, int64_t msg_id);
/* The token the number's requests carry ([graph]'s is reloaded apart). */
const char	*numbers_token(struct daemon *, const struct conf_number *);
/*
 * Conversation rows (store-inbox.c's, with "number_id") get "number": the
 * label, the first number's for a row without one, null for a number no
 * longer configured; "number_id" goes.
 */
void		 numbers_label_rows(struct daemon *, json_t *rows);
/* The label of a phone number id, or NULL if it is not configured. */
const char	*numbers_label(struct daemon *, const char *phone_number_id);

#endif

/*
 * The one rule for where a note goes among the messages. Both carry whole
 * seconds, so a note and a message of the same second cannot be told
 * apart by time: the note goes first. A note is typed by an agent, who
 * cannot read a message and write a note about it within that second,
 * while a customer's message (or the agent's own reply, sent just before
 * saving the note... rarely) arriving in the second a note is saved is
 * common: with the message first, a note written before a customer's
 * "thanks" was drawn after it and after the agent's answer to it, so
 * G k R in the thread quoted the wrong message (tui-actions.sh in CI).
 */
#include <stddef.h>

#include "thread-order.h"

json_t *
thread_order_merge(json_t *msgs, json_t *notes)
{
	json_t	*out = json_array(), *m, *n, *created;
	size_t	 i = 0, j = 0, nm = json_array_size(msgs);
	size_t	 nn = json_array_size(notes);

	while (i < nm || j < nn) {
		m = json_array_get(msgs, i);
		n = json_array_get(notes, j);
		if (m != NULL && json_object_get(m, "_note") != NULL) {
			i++;
			continue;
		}
		if (n != NULL && (m == NULL || json_integer_value(
		    json_object_get(n, "created")) <= json_integer_value(
		    json_object_get(m, "ts")))) {
			n = json_deep_copy(n);
			json_object_set_new(n, "_note", json_true());
			if ((created = json_object_get(n, "created")) != NULL)
				json_object_set(n, "ts", created);
			json_array_append_new(out, n);
			j++;
		} else {
			json_array_append(out, m);
			i++;
		}
	}
	return (out);
}

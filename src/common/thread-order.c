/*
 * The one rule for where a note goes among the messages. A note saved
 * from schema 21 on knows the conversation's latest message then
 * (after_msg, 0 none): it goes right after that message and before the
 * next, which is exact, since the thread draws messages in id order (the
 * store's). An older note has only its time, in whole seconds, as the
 * messages: by time, and a note of the same second as a message goes
 * first (an agent cannot read a message and write a note about it within
 * that second, while a customer's message arriving in the second a note
 * is saved is common; with the message first, G k R in the thread quoted
 * the wrong message, tui-actions.sh in CI).
 */
#include <stddef.h>

#include "thread-order.h"

/* Whether note n goes before message m. */
static int
thread_order_before(json_t *n, json_t *m)
{
	json_t	*after = json_object_get(n, "after_msg");

	if (json_is_integer(after))
		return (json_integer_value(json_object_get(m, "id")) >
		    json_integer_value(after));
	return (json_integer_value(json_object_get(n, "created")) <=
	    json_integer_value(json_object_get(m, "ts")));
}

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
		if (n != NULL && (m == NULL || thread_order_before(n, m))) {
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

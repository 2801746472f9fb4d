/* thread-order.c: where notes go among the messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "thread-order.h"

/* "m1 n1 m2": each item's kind and id, in order. */
static void
order(json_t *a, char *out, size_t len)
{
	json_t	*x;
	size_t	 i, n = 0;

	out[0] = '\0';
	json_array_foreach(a, i, x)
		n += (size_t)snprintf(out + n, len - n, "%s%s%lld",
		    n > 0 ? " " : "", json_object_get(x, "_note") != NULL ?
		    "n" : "m", (long long)json_integer_value(
		    json_object_get(x, "id")));
}

/* The order thread_order_merge gives msgs and notes, as order() says. */
static const char *
merged(json_t *m, json_t *n)
{
	static char	 buf[64];
	json_t		*all = thread_order_merge(m, n);

	order(all, buf, sizeof buf);
	json_decref(all);
	return (buf);
}

static json_t *
msgs(void)
{
	return (json_pack("[{sI sI} {sI sI} {sI sI}]", "id", 1, "ts", 100,
	    "id", 7, "ts", 105, "id", 8, "ts", 105));
}

static void
a_note_goes_by_time(void **state)
{
	json_t	*m = msgs(), *n, *all;
	char	 buf[64];

	(void)state;
	n = json_pack("[{sI sI ss}]", "id", 1, "created", 103, "body", "x");
	all = thread_order_merge(m, n);
	order(all, buf, sizeof buf);
	assert_string_equal(buf, "m1 n1 m7 m8");
	/* the copy carries _note and its time as ts; the input is unchanged */
	assert_int_equal(json_integer_value(json_object_get(json_array_get(all,
	    1), "ts")), 103);
	assert_null(json_object_get(json_array_get(n, 0), "_note"));
	json_decref(all);
	json_decref(n);
	json_decref(m);
}

static void
a_note_of_the_same_second_goes_before_the_messages(void **state)
{
	json_t	*m = msgs(), *n;

	(void)state;
	/* written as the customer's 7 and the agent's 8 came, all at 105 */
	n = json_pack("[{sI sI}]", "id", 1, "created", 105);
	assert_string_equal(merged(m, n), "m1 n1 m7 m8");
	json_decref(n);
	json_decref(m);
}

static void
notes_after_the_last_message_and_merged_again(void **state)
{
	json_t	*m = msgs(), *n, *all;
	char	 buf[64];

	(void)state;
	n = json_pack("[{sI sI} {sI sI}]", "id", 1, "created", 90, "id", 2,
	    "created", 200);
	all = thread_order_merge(m, n);
	order(all, buf, sizeof buf);
	assert_string_equal(buf, "n1 m1 m7 m8 n2");
	/* merging a merged thread again leaves out the old copies */
	assert_string_equal(merged(all, n), "n1 m1 m7 m8 n2");
	json_decref(all);
	json_decref(n);
	json_decref(m);
}

static void
no_notes_or_no_messages(void **state)
{
	json_t	*m = msgs(), *none = json_array(), *n;

	(void)state;
	assert_string_equal(merged(m, none), "m1 m7 m8");
	n = json_pack("[{sI sI}]", "id", 3, "created", 5);
	assert_string_equal(merged(none, n), "n3");
	assert_string_equal(merged(NULL, NULL), "");
	json_decref(n);
	json_decref(none);
	json_decref(m);
}

/* From schema 21 a note knows the latest message when it was saved. */
static void
a_note_goes_after_the_message_it_was_written_after(void **state)
{
	json_t	*m = msgs(), *n;

	(void)state;
	/* saved after 7, in the second 8 came: between them */
	n = json_pack("[{sI sI sI}]", "id", 1, "created", 105, "after_msg", 7);
	assert_string_equal(merged(m, n), "m1 m7 n1 m8");
	json_decref(n);
	/* saved after 8 though its second is before 8's (a customer's
	 * clock, a backdated message): after 8 all the same */
	n = json_pack("[{sI sI sI}]", "id", 1, "created", 101, "after_msg", 8);
	assert_string_equal(merged(m, n), "m1 m7 m8 n1");
	json_decref(n);
	/* before any message; and an older note (no after_msg) by time
	 * next to newer ones */
	n = json_pack("[{sI sI sI} {sI sI} {sI sI sI}]", "id", 1, "created",
	    99, "after_msg", 0, "id", 2, "created", 103, "id", 3, "created",
	    105, "after_msg", 8);
	assert_string_equal(merged(m, n), "n1 m1 n2 m7 m8 n3");
	json_decref(n);
	json_decref(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_note_goes_by_time),
		cmocka_unit_test(a_note_of_the_same_second_goes_before_the_messages),
		cmocka_unit_test(notes_after_the_last_message_and_merged_again),
		cmocka_unit_test(no_notes_or_no_messages),
		cmocka_unit_test(
		    a_note_goes_after_the_message_it_was_written_after),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

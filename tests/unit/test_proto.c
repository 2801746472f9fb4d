/* Framing of the client protocol: complete, partial and oversized frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "proto.h"
#include "xmalloc.h"

static void
proto_complete_frame_is_found_and_partial_waits(void **state)
{
	struct buf	b;
	size_t		len;

	(void)state;
	buf_init(&b, 0);
	buf_adds(&b, "{\"id\":1}");
	assert_int_equal(proto_frame_next(&b, &len), 0);
	buf_adds(&b, "\n{\"id\":2");
	assert_int_equal(proto_frame_next(&b, &len), 1);
	assert_int_equal(len, 8);
	buf_consume(&b, len + 1);
	assert_int_equal(proto_frame_next(&b, &len), 0);
	buf_release(&b);
}

static void
proto_frame_over_the_cap_is_refused(void **state)
{
	struct buf	 b;
	size_t		 len;
	char		*big;

	(void)state;
	buf_init(&b, 0);
	big = xmalloc(PROTO_FRAME_MAX + 1);
	memset(big, 'x', PROTO_FRAME_MAX + 1);
	buf_add(&b, big, PROTO_FRAME_MAX);
	assert_int_equal(proto_frame_next(&b, &len), 0);	/* at the cap */
	buf_add(&b, "y", 1);
	assert_int_equal(proto_frame_next(&b, &len), -1);	/* past it */
	buf_release(&b);
	/* a frame of exactly the cap followed by its newline is fine */
	buf_init(&b, 0);
	buf_add(&b, big, PROTO_FRAME_MAX);
	buf_add(&b, "\n", 1);
	assert_int_equal(proto_frame_next(&b, &len), 1);
	assert_int_equal(len, PROTO_FRAME_MAX);
	buf_release(&b);
	free(big);
}

static void
proto_encode_refuses_oversized_and_ends_with_newline(void **state)
{
	json_t	*j;
	char	*s, *big;
	size_t	 len;

	(void)state;
	j = json_pack("{si ss}", "id", 7, "method", "status");
	s = proto_encode(j, &len);
	assert_non_null(s);
	assert_int_equal(s[len - 1], '\n');
	assert_null(memchr(s, '\n', len - 1));
	free(s);
	json_decref(j);
	big = xmalloc(PROTO_FRAME_MAX + 1);
	memset(big, 'a', PROTO_FRAME_MAX);
	big[PROTO_FRAME_MAX] = '\0';
	j = json_pack("{ss}", "text", big);
	assert_null(proto_encode(j, &len));
	json_decref(j);
	free(big);
}

static void
buf_refuses_growth_past_its_maximum(void **state)
{
	struct buf	b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_add(&b, "12345678", 8), 0);
	assert_int_equal(buf_add(&b, "9", 1), -1);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(proto_complete_frame_is_found_and_partial_waits),
		cmocka_unit_test(proto_frame_over_the_cap_is_refused),
		cmocka_unit_test(
		    proto_encode_refuses_oversized_and_ends_with_newline),
		cmocka_unit_test(buf_refuses_growth_past_its_maximum),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

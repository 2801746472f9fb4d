/* The client's base64 decoder against RFC 4648's test vectors and libsodium. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "base64.h"

static void
base64_rfc4648_vectors_decode(void **state)
{
	static const char *enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==",
	    "Zm9vYmE=", "Zm9vYmFy" };
	static const char *dec[] = { "", "f", "fo", "foo", "foob", "fooba",
	    "foobar" };
	uint8_t	out[16];
	size_t	i;
	long	n;

	(void)state;
	for (i = 0; i < sizeof enc / sizeof enc[0]; i++) {
		n = base64_decode(enc[i], strlen(enc[i]), out);
		assert_int_equal(n, (long)strlen(dec[i]));
		assert_memory_equal(out, dec[i], (size_t)n);
	}
}

static void
base64_agrees_with_libsodium_on_random_bytes(void **state)
{
	uint8_t	in[1000], out[1000];
	char	b64[1400];
	size_t	len;

	(void)state;
	assert_true(sodium_init() >= 0);
	for (len = 0; len < sizeof in; len += 37) {
		randombytes_buf(in, len);
		sodium_bin2base64(b64, sizeof b64, in, len,
		    sodium_base64_VARIANT_ORIGINAL);
		assert_int_equal(base64_decode(b64, strlen(b64), out),
		    (long)len);
		assert_memory_equal(in, out, len);
	}
}

static void
base64_rejects_bad_input(void **state)
{
	uint8_t	out[16];

	(void)state;
	assert_int_equal(base64_decode("Zm9", 3, out), -1);	/* length */
	assert_int_equal(base64_decode("Zm!v", 4, out), -1);	/* alphabet */
	assert_int_equal(base64_decode("Z===", 4, out), -1);	/* padding */
	assert_int_equal(base64_decode("Zg==Zm9v", 8, out), -1); /* pad inside */
	assert_int_equal(base64_decode("Zm=v", 4, out), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base64_rfc4648_vectors_decode),
		cmocka_unit_test(base64_agrees_with_libsodium_on_random_bytes),
		cmocka_unit_test(base64_rejects_bad_input),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}

/*
 * Webhook signatures: X-Hub-Signature-256 is HMAC-SHA256 of the exact body
 * bytes keyed with the app secret, as Meta sends it.
 */
#include <string.h>

#include <sodium.h>

#include "sim.h"

static void
sim_sign_mac(const char *secret, const void *body, size_t len,
    unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
	crypto_auth_hmacsha256_state	st;

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, body, len);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_memzero(&st, sizeof st);
}

void
sim_sign_body(const char *secret, const void *body, size_t len,
    char out[SIM_SIGN_LEN])
{
	unsigned char	mac[crypto_auth_hmacsha256_BYTES];

	sim_sign_mac(secret, body, len, mac);
	memcpy(out, "sha256=", 7);
	sodium_bin2hex(out + 7, SIM_SIGN_LEN - 7, mac, sizeof mac);
}

int
sim_sign_verify(const char *secret, const void *body, size_t len,
    const char *header)
{
	unsigned char	want[crypto_auth_hmacsha256_BYTES];
	unsigned char	got[crypto_auth_hmacsha256_BYTES];
	size_t		n;
	const char	*end;

	if (header == NULL || strncmp(header, "sha256=", 7) != 0)
		return (-1);
	header += 7;
	if (strlen(header) != 2 * sizeof got)
		return (-1);
	if (sodium_hex2bin(got, sizeof got, header, 2 * sizeof got, NULL, &n,
	    &end) != 0 || n != sizeof got || *end != '\0')
		return (-1);
	sim_sign_mac(secret, body, len, want);
	return (sodium_memcmp(want, got, sizeof got) == 0 ? 0 : -1);
}

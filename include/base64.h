/* Standard base64 (RFC 4648, with padding) for the client, which links no
 * crypto library; the daemon encodes with libsodium. */
#ifndef BASE64_H
#define BASE64_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes len characters into out (room for len / 4 * 3 bytes). Returns the
 * number of bytes written, or -1 on a character outside the alphabet, bad
 * padding or a length that is not a multiple of 4.
 */
long	base64_decode(const char *in, size_t len, uint8_t *out);

#endif

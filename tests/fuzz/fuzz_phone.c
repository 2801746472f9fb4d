/*
 * Phone numbers as typed (src/common/phone.c): what an agent types for
 * conv.start and N, any bytes, with a national and an international
 * default country; whatever normalises must group.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "phone.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const char	*why;
	char		*s, e164[PHONE_E164_MAX + 1], out[40];

	s = fuzz_str(data, len);
	if (phone_normalise(s, "DE", e164, sizeof e164, &why) == 0 &&
	    phone_group(e164, out, sizeof out) != 0)
		abort();
	if (phone_normalise(s, "US", e164, sizeof e164, &why) == 0 &&
	    phone_group(e164, out, sizeof out) != 0)
		abort();
	(void)phone_normalise(s, "IT", e164, 8, &why);
	(void)phone_group(s, out, sizeof out);
	(void)phone_country_known(s);
	free(s);
	return (0);
}

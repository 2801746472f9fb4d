/*
 * Config files (src/common/conf.c): any file loads or is refused with a
 * cause, and everything it allocated is released. Secrets are not read
 * (they name other files).
 */
#include <stdlib.h>

#include "conf.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct conf	 c;
	const char	*path;
	char		*cause = NULL;

	path = fuzz_file(data, len, ".conf");
	conf_defaults(&c);
	if (conf_load(&c, path, 0, &cause) != 0)
		free(cause);
	conf_release(&c);
	return (0);
}

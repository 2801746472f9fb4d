/*
 * Keys files (src/tui/keys.c): any file loads over the built-in table or
 * is refused, and each binding made can be looked up.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "keys.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct keys	 k;
	const char	*path;
	char		*cause = NULL;
	size_t		 i;
	int		 prefix;

	path = fuzz_file(data, len, ".keys");
	keys_init(&k);
	if (keys_load(&k, path, &cause) != 0)
		free(cause);
	for (i = 0; i < k.n; i++)
		(void)keys_lookup(&k, k.b[i].ctx, k.b[i].keys, &prefix);
	keys_release(&k);
	return (0);
}

/*
 * Runs a fuzz target's LLVMFuzzerTestOneInput on each file named, without
 * libFuzzer: the regression replay in make check (built with the normal
 * compiler, and under build/san with ASan and UBSan).
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

int
main(int argc, char **argv)
{
	FILE	*fp;
	uint8_t	*data;
	long	 len;
	int	 i;

	for (i = 1; i < argc; i++) {
		if ((fp = fopen(argv[i], "rb")) == NULL ||
		    fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
		    fseek(fp, 0, SEEK_SET) != 0) {
			perror(argv[i]);
			return (2);
		}
		/* One byte more, so an empty file is not malloc(0). */
		if ((data = malloc((size_t)len + 1)) == NULL ||
		    fread(data, 1, (size_t)len, fp) != (size_t)len) {
			perror(argv[i]);
			return (2);
		}
		fclose(fp);
		LLVMFuzzerTestOneInput(data, (size_t)len);
		free(data);
	}
	return (0);
}

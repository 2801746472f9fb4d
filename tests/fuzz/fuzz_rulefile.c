/*
 * The rule file (src/common/rulefile.c, issue 16): any bytes as a file,
 * parsed (a good one printed back, as rule list does) or refused with
 * errors; and the bytes as a message for whole-word matching.
 */
#include <stdint.h>
#include <stdlib.h>

#include "fuzz.h"
#include "rulefile.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct rulefile	*rf;
	json_t		*errors = NULL;
	char		*s, *words[] = { "refund", "R\xc3\xbc" "ckerstattung",
			    "money back", "\xc3\x9f" };
	size_t		 i, k;

	if (rulefile_parse("fuzz", (const char *)data, len, &rf,
	    &errors) == 0) {
		for (i = 0; i < rf->nrules; i++) {
			free(rulefile_trigger_text(&rf->rules[i]));
			for (k = 0; k < rf->rules[i].nconds; k++)
				free(rulefile_cond_text(&rf->rules[i].conds[k]));
			for (k = 0; k < rf->rules[i].nactions; k++)
				free(rulefile_action_text(
				    &rf->rules[i].actions[k]));
		}
		rulefile_free(rf);
	}
	json_decref(errors);
	s = fuzz_str(data, len);
	(void)rulefile_words_match(s, words, 4);
	free(s);
	return (0);
}

/*
 * Language codes, one owner: what a language code is ("de", "en",
 * "pt_BR", "zh-Hant") and which of several texts a contact of a language
 * gets. The privacy notice, the auto-replies and the survey ask here.
 */
#ifndef LANG_H
#define LANG_H

#include <stddef.h>

#define LANG_MAX	15	/* bytes of a code */

/*
 * Whether s is a language code: 2 or 3 lower-case letters, then
 * optionally '_' or '-' and a region or script of letters and digits;
 * at most LANG_MAX bytes.
 */
int	 lang_valid(const char *s);
/*
 * Which of langs[0..n) (NULL entries skipped) a contact of language want
 * reads: the same code (case aside), else the same language ("de_AT" and
 * "de", "de" and "de_DE"). Its index, or -1 (the caller's default then).
 */
int	 lang_pick(const char *const *langs, size_t n, const char *want);

#endif

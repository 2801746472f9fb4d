/*
 * The first-contact privacy notice's configuration (issue 16): [notice]
 * for every number, [notice LABEL] for the number with that label (see
 * [number LABEL]); a number with a section of its own uses only that one.
 *
 *	version = N		the notice's version, a positive integer:
 *				raised by the operator when the text changes
 *				in substance, so every contact gets it again
 *	text.LANG = FILE	the notice in language LANG ("de", "en",
 *				"pt_BR"), a UTF-8 file of at most
 *				NOTICE_TEXT_MAX characters
 *	default_lang = LANG	for a contact without a language
 *	enabled = yes|no
 *
 * A number is given, not derived from a hash of the text: a typo fixed
 * must not send every customer the notice again, and the ledger's
 * "informed, notice version 3" must name something the operator can find
 * in their own records.
 */
#ifndef CONF_NOTICE_H
#define CONF_NOTICE_H

#include <stddef.h>
#include <stdint.h>

struct conf;

#define NOTICE_TEXT_MAX		4096	/* characters: WhatsApp's text limit */
#define NOTICE_FILE_MAX		(4 * NOTICE_TEXT_MAX)	/* bytes */
#define NOTICE_LANGS_MAX	8	/* languages per notice */
#define NOTICE_LANG_MAX		15	/* bytes of a language code */

struct conf_notice_text {
	char	 lang[NOTICE_LANG_MAX + 1];
	char	*file;			/* absolute */
	char	*text;			/* read by the daemon, else NULL */
	int	 line;
};

struct conf_notice {
	char		*label;		/* the number's, NULL for [notice] */
	uint32_t	 version;	/* 0: not given */
	int		 enabled;
	char		 default_lang[NOTICE_LANG_MAX + 1];
	struct conf_notice_text texts[NOTICE_LANGS_MAX];
	size_t		 ntexts;
	int		 line;		/* of its first key */
};

/*
 * A key of a [notice] or [notice LABEL] section (conf_handler). Returns -1
 * when the section is not one, 0 when taken, 1 on an error with *cause
 * ("FILE:LINE: ...") allocated. dir resolves relative file names.
 */
int	 conf_notice_key(struct conf *, const char *dir, int lineno,
	    const char *section, const char *name, const char *value,
	    char **cause);
/*
 * After parsing (and after the numbers): every notice names a known
 * number, has a version and a text, and, when read_texts (the daemon),
 * each text file is read and checked: not empty, UTF-8, at most
 * NOTICE_TEXT_MAX characters, with an http(s) link (the full privacy
 * policy). A text that names none of [consent] stop_keywords is a
 * warning on stderr. 0, or -1 with *cause allocated.
 */
int	 conf_notice_finish(struct conf *, int read_texts, char **cause);
void	 conf_notice_free(struct conf *);
/* The notice for the number with this label (NULL: no number): its own
 * section, else [notice], else NULL. */
const struct conf_notice *conf_notice_for(const struct conf *,
	    const char *label);
/* The text for lang: that language, else its base ("de" for "de_AT"),
 * else default_lang, else the first configured. */
const struct conf_notice_text *conf_notice_text(const struct conf_notice *,
	    const char *lang);

#endif

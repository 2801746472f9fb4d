/*
 * Which program shows a file: the agent's mailcap (RFC 1524: $MAILCAPS,
 * else ~/.mailcap then /etc/mailcap, as Debian's mailcap package has it),
 * or $PAGER for text.
 */
#ifndef MAILCAP_H
#define MAILCAP_H

/*
 * The shell command that shows the file at path, of MIME type mime
 * (parameters such as "; codecs=opus" are ignored): text goes to $PAGER
 * when it is set; otherwise the first mailcap entry for the type (or
 * "type/ANY") whose test= command succeeds, with %s the quoted path (or the
 * file on stdin when there is no %s) and a copiousoutput entry piped to
 * the pager; text with neither goes to less. Allocated, or NULL with
 * *cause when nothing can show it.
 */
char	*mailcap_command(const char *mime, const char *path, char **cause);

#endif

/*
 * A growable byte buffer with a hard maximum, for everything that untrusted
 * input fills (curl's rule: no unbounded buffer fed by the network).
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;		/* always NUL-terminated when non-NULL */
	size_t	 len;		/* bytes used, without the NUL */
	size_t	 cap;		/* bytes allocated */
	size_t	 max;		/* buf_add fails past this many bytes; 0 = none */
};

void	 buf_init(struct buf *, size_t max);
void	 buf_release(struct buf *);
void	 buf_reset(struct buf *);
/* Returns 0, or -1 (nothing added) when the result would exceed max. */
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_adds(struct buf *, const char *);
int	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Removes the first n bytes. */
void	 buf_consume(struct buf *, size_t);
/* Hands the data to the caller (who frees it) and empties the buffer. */
char	*buf_detach(struct buf *, size_t *);

#endif

/*
 * Key bindings: every key maps to a command line (":next", ":assign me")
 * per context, from a built-in table overridden by a keys file in INI form
 * ([global], [list], [thread], [compose]; "key = :command", "key = none"
 * unbinds). A key is written as a character or <Name>: <C-d>, <M-e>,
 * <Enter>, <Esc>, <Tab>, <S-Tab>, <Space>, <BS>, <Del>, <Up>, <Down>,
 * <Left>, <Right>, <PgUp>, <PgDn>, <Home>, <End>, <F1>..<F12>; sequences
 * are written together ("gg", "<C-x><C-e>").
 */
#ifndef KEYS_H
#define KEYS_H

#include <stddef.h>
#include <wchar.h>

enum keys_ctx {
	KEYS_GLOBAL, KEYS_LIST, KEYS_THREAD, KEYS_COMPOSE, KEYS_NCTX
};

struct keys_binding {
	enum keys_ctx	 ctx;
	char		*keys;		/* canonical sequence */
	char		*cmd;		/* command line without ':' */
};

struct keys {
	struct keys_binding	*b;
	size_t			 n;
};

#define KEYS_SEQ_MAX	32	/* bytes of a pending key sequence */

void		 keys_init(struct keys *);	/* the built-in table */
void		 keys_release(struct keys *);
const char	*keys_ctx_name(enum keys_ctx);
/*
 * Binds keys (a spec as in a keys file) to cmd (NULL or "none" unbinds) in
 * ctx. Returns 0, or -1 with *cause allocated.
 */
int		 keys_bind(struct keys *, enum keys_ctx, const char *spec,
		     const char *cmd, char **cause);
/* Reads a keys file. Returns 0, or -1 with *cause ("FILE:LINE: ..."). */
int		 keys_load(struct keys *, const char *path, char **cause);
/*
 * The command bound to seq in ctx, or NULL; *prefix is set when seq begins
 * a longer binding (so the caller waits for the next key).
 */
const char	*keys_lookup(const struct keys *, enum keys_ctx,
		     const char *seq, int *prefix);
/*
 * The canonical name of what get_wch returned (code is 1 for KEY_CODE_YES)
 * with meta for an Esc prefix, written to out (KEYS_SEQ_MAX bytes).
 * Returns 0, or -1 for keys that have no name (ignored).
 */
int		 keys_name(int code, wint_t ch, int meta, char *out);

#endif

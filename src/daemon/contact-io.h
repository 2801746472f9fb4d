/*
 * Contact import and export (issue 15): the methods contact.import and
 * contact.export of rpc-contact.c's table.
 *
 * contact.import takes rows the client read from a CSV file and mapped to
 * fields, and trusts none of it: every value is checked again here. Rows
 * of one person (the same number or BSUID) become one entry, later
 * non-empty values winning and every consent row kept; an entry that
 * names an existing contact (blind index of the number or BSUID) updates
 * it. The plan (new, updated, unchanged, merged, rejected with line and
 * reason) is made first, without writing; a dry run answers it, a run
 * then carries out exactly that plan, so both answer the same.
 */
#ifndef CONTACT_IO_H
#define CONTACT_IO_H

#include <jansson.h>

struct rpc_ctx;
struct rpc_err;

json_t	*contact_io_import(struct rpc_ctx *, json_t *params,
	    struct rpc_err *);
json_t	*contact_io_export(struct rpc_ctx *, json_t *params,
	    struct rpc_err *);

#endif

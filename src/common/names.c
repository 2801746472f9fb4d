/*
 * The name tables of include/names.h, made from its lists and indexed by
 * the enums.
 */
#include <stddef.h>
#include <string.h>

#include "names.h"

#define NAMES_ENTRY(e, s)	[e] = (s),

static const char *const names_states[] = { NAMES_STATES(NAMES_ENTRY, ) };
static const char *const names_priorities[] = {
	NAMES_PRIORITIES(NAMES_ENTRY, )
};
static const char *const names_roles[] = { NAMES_ROLES(NAMES_ENTRY, ) };

/* The index of s in table (n names), or -1. */
static int
names_find(const char *const *table, size_t n, const char *s)
{
	size_t	i;

	for (i = 0; s != NULL && i < n; i++) {
		if (strcmp(table[i], s) == 0)
			return ((int)i);
	}
	return (-1);
}

const char *
names_state(enum conv_state v)
{
	return ((size_t)v < CONV_NSTATES ? names_states[v] : NULL);
}

const char *
names_priority(enum conv_priority v)
{
	return ((size_t)v < CONV_NPRIORITIES ? names_priorities[v] : NULL);
}

const char *
names_role(enum agent_role v)
{
	return ((size_t)v < ROLE_NROLES ? names_roles[v] : NULL);
}

int
names_state_from(const char *s, enum conv_state *v)
{
	int	i = names_find(names_states, CONV_NSTATES, s);

	if (i >= 0)
		*v = (enum conv_state)i;
	return (i >= 0 ? 0 : -1);
}

int
names_priority_from(const char *s, enum conv_priority *v)
{
	int	i = names_find(names_priorities, CONV_NPRIORITIES, s);

	if (i >= 0)
		*v = (enum conv_priority)i;
	return (i >= 0 ? 0 : -1);
}

int
names_role_from(const char *s, enum agent_role *v)
{
	int	i = names_find(names_roles, ROLE_NROLES, s);

	if (i >= 0)
		*v = (enum agent_role)i;
	return (i >= 0 ? 0 : -1);
}

static const char *const names_sorts[] = { NAMES_SORTS(NAMES_ENTRY, ) };

const char *
names_sort(enum list_sort v)
{
	return ((size_t)v < SORT_NSORTS ? names_sorts[v] : NULL);
}

int
names_sort_from(const char *s, enum list_sort *v)
{
	int	i = names_find(names_sorts, SORT_NSORTS, s);

	if (i >= 0)
		*v = (enum list_sort)i;
	return (i >= 0 ? 0 : -1);
}

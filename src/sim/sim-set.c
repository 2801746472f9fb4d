/* A set of strings, so the sink can tell a redelivery from a new event. */
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "xmalloc.h"

static uint64_t
sim_set_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	while (*s != '\0') {
		h ^= (unsigned char)*s++;
		h *= 1099511628211ULL;
	}
	return (h);
}

void
sim_set_init(struct sim_set *set)
{
	set->size = 64;
	set->count = 0;
	set->slots = xcalloc(set->size, sizeof *set->slots);
}

void
sim_set_release(struct sim_set *set)
{
	size_t	i;

	for (i = 0; i < set->size; i++)
		free(set->slots[i]);
	free(set->slots);
	set->slots = NULL;
	set->size = set->count = 0;
}

static char **
sim_set_find(char **slots, size_t size, const char *s)
{
	size_t	i = (size_t)sim_set_hash(s) & (size - 1);

	while (slots[i] != NULL && strcmp(slots[i], s) != 0)
		i = (i + 1) & (size - 1);
	return (&slots[i]);
}

static void
sim_set_grow(struct sim_set *set)
{
	char	**old = set->slots;
	size_t	  oldsize = set->size, i;

	set->size *= 2;
	set->slots = xcalloc(set->size, sizeof *set->slots);
	for (i = 0; i < oldsize; i++) {
		if (old[i] != NULL)
			*sim_set_find(set->slots, set->size, old[i]) = old[i];
	}
	free(old);
}

int
sim_set_add(struct sim_set *set, const char *s)
{
	char	**slot;

	if ((set->count + 1) * 2 > set->size)
		sim_set_grow(set);
	slot = sim_set_find(set->slots, set->size, s);
	if (*slot != NULL)
		return (0);
	*slot = xstrdup(s);
	set->count++;
	return (1);
}

int
sim_set_has(const struct sim_set *set, const char *s)
{
	return (*sim_set_find(set->slots, set->size, s) != NULL);
}

/*
 * The names of conversation states, priorities and agent roles, as the
 * protocol, the store and people spell them: one list each (below), from
 * which the enums, the name tables (names.c) and the usage strings are
 * made, so a name is written down once.
 */
#ifndef NAMES_H
#define NAMES_H

/* Each list is X(ENUM, "name") items with sep between them. */
#define NAMES_STATES(X, sep)						\
	X(CONV_OPEN, "open") sep X(CONV_PENDING, "pending") sep	\
	X(CONV_SNOOZED, "snoozed") sep X(CONV_RESOLVED, "resolved")
/* Most urgent first: the store keeps a priority as this number. */
#define NAMES_PRIORITIES(X, sep)					\
	X(CONV_URGENT, "urgent") sep X(CONV_HIGH, "high") sep		\
	X(CONV_NORMAL, "normal") sep X(CONV_LOW, "low")
/* Least rights first. */
#define NAMES_ROLES(X, sep)						\
	X(ROLE_AGENT, "agent") sep X(ROLE_SUPERVISOR, "supervisor") sep	\
	X(ROLE_ADMIN, "admin")

#define NAMES_ENUM(e, s)	e,
#define NAMES_STRING(e, s)	s

/*
 * Every name of a list as one string literal, sep (a literal) between:
 * NAMES_LIST(NAMES_STATES, "|") is "open|pending|snoozed|resolved".
 */
#define NAMES_LIST(list, sep)	list(NAMES_STRING, sep)

enum conv_state { NAMES_STATES(NAMES_ENUM, ) CONV_NSTATES };
enum conv_priority { NAMES_PRIORITIES(NAMES_ENUM, ) CONV_NPRIORITIES };
enum agent_role { NAMES_ROLES(NAMES_ENUM, ) ROLE_NROLES };

/* The name of a value; NULL for one out of range. */
const char	*names_state(enum conv_state);
const char	*names_priority(enum conv_priority);
const char	*names_role(enum agent_role);
/* The value of a name (exact, lower case): 0 and *v, or -1 if none. */
int		 names_state_from(const char *, enum conv_state *v);
int		 names_priority_from(const char *, enum conv_priority *v);
int		 names_role_from(const char *, enum agent_role *v);

/* The orders of the conversation list (conv.list "sort"); newest first. */
#define NAMES_SORTS(X, sep)						\
	X(SORT_NEWEST, "newest") sep X(SORT_WAITING, "waiting") sep	\
	X(SORT_WINDOW, "window") sep X(SORT_PRIORITY, "priority")
enum list_sort { NAMES_SORTS(NAMES_ENUM, ) SORT_NSORTS };
const char	*names_sort(enum list_sort);
int		 names_sort_from(const char *, enum list_sort *v);

#endif

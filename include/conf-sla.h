/*
 * Service-level targets (issue 19): [sla] (the default) and [sla TEAM]
 * sections, parsed here so conf.c only hands the keys over. A section's
 * keys:
 *   first_response = 1h	(durations in when.c's syntax: 90s 30m 2h 1d)
 *   next_response = 4h
 *   resolution = 3d
 *   first_response.urgent = 15m	(per priority: names.h's names)
 *   business_hours = yes|no	(counted in the team's [hours]; default yes)
 *   soon = 30m			([sla] only: the "breaching" view's horizon)
 * The most specific target wins: team+priority, team, default+priority,
 * default; none of them given: no target. What the targets mean for a
 * clock is src/daemon/sla.c's; doc/sla.md describes them for people.
 */
#ifndef CONF_SLA_H
#define CONF_SLA_H

#include <stddef.h>
#include <stdint.h>

#include "names.h"

struct conf;

#define CONF_SLA_MAX		64	/* [sla X] sections */
#define CONF_SLA_SOON		1800	/* the default horizon, seconds */

/* The clocks' kinds, as sla_clocks.kind spells them. */
enum conf_sla_kind { SLA_FIRST, SLA_NEXT, SLA_RESOLUTION, SLA_NKINDS };

struct conf_sla {
	char	*team;			/* NULL: [sla] (the default) */
	/* Seconds; 0: not given here. [k][CONV_NPRIORITIES]: any priority. */
	int64_t	 target[SLA_NKINDS][CONV_NPRIORITIES + 1];
	int	 business_hours;	/* -1 not given, 0 no, 1 yes */
	int	 line;			/* the section's first key */
};

/*
 * A key of an [sla] or [sla TEAM] section: -1 if the section is not one,
 * 1 taken, 0 refused with *cause ("FILE:LINE: ...", allocated).
 */
int	 conf_sla_key(struct conf *, int lineno, const char *section,
	    const char *name, const char *value, char **cause);
void	 conf_sla_free(struct conf *);
/* Moves next's sections into cur if they differ: 1 if they did. */
int	 conf_sla_swap(struct conf *cur, struct conf *next);

/* The kind's name ("first", "next", "resolution") and back (-1). */
const char *conf_sla_kind_name(int kind);
int	 conf_sla_kind_from(const char *);
/* The key's name of a kind ("first_response" ...). */
const char *conf_sla_key_name(int kind);
/* The target of team (NULL: none) at priority for kind: seconds, 0 none.
 * *from (if not NULL) says which section gave it: "team.priority",
 * "team", "default.priority", "default" or NULL. */
int64_t	 conf_sla_target(const struct conf *, const char *team,
	    int priority, int kind, const char **from);
/* Whether team's targets count business hours (default yes). */
int	 conf_sla_business_hours(const struct conf *, const char *team);
/* The "breaching" view's horizon in seconds ([sla] soon, 30m). */
int64_t	 conf_sla_soon(const struct conf *);
/* Whether any [sla] section exists. */
int	 conf_sla_any(const struct conf *);

#endif

/*
 * The [sla] and [sla TEAM] sections of the configuration file; see
 * conf-sla.h. Durations are when.c's (when_duration), priorities names.h's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "conf-sla.h"
#include "names.h"
#include "when.h"
#include "xmalloc.h"

#define SLA_TEAM_MAX	64	/* bytes of a team's name */

static const char *const sla_kinds[SLA_NKINDS] = {
	"first", "next", "resolution"
};
static const char *const sla_keys[SLA_NKINDS] = {
	"first_response", "next_response", "resolution"
};

const char *
conf_sla_kind_name(int kind)
{
	return (kind >= 0 && kind < SLA_NKINDS ? sla_kinds[kind] : NULL);
}

const char *
conf_sla_key_name(int kind)
{
	return (kind >= 0 && kind < SLA_NKINDS ? sla_keys[kind] : NULL);
}

int
conf_sla_kind_from(const char *s)
{
	int	i;

	for (i = 0; s != NULL && i < SLA_NKINDS; i++)
		if (strcmp(sla_kinds[i], s) == 0)
			return (i);
	return (-1);
}

static int
sla_same_team(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a == b);
	return (strcmp(a, b) == 0);
}

static struct conf_sla *
sla_find(const struct conf *conf, const char *team)
{
	size_t	i;

	for (i = 0; i < conf->nslas; i++)
		if (sla_same_team(conf->slas[i].team, team))
			return (&conf->slas[i]);
	return (NULL);
}

static struct conf_sla *
sla_section(struct conf *conf, const char *team, int lineno,
    const char *section, char **cause)
{
	struct conf_sla	*s;

	if ((s = sla_find(conf, team)) != NULL)
		return (s);
	if (conf->nslas >= CONF_SLA_MAX) {
		*cause = xasprintf("%s:%d: [%s]: at most %d [sla] sections",
		    conf->path, lineno, section, CONF_SLA_MAX);
		return (NULL);
	}
	conf->slas = xrealloc(conf->slas, (conf->nslas + 1) *
	    sizeof *conf->slas);
	s = &conf->slas[conf->nslas++];
	memset(s, 0, sizeof *s);
	s->team = team != NULL ? xstrdup(team) : NULL;
	s->business_hours = -1;
	s->line = lineno;
	return (s);
}

/* "first_response" or "first_response.urgent": 0 and *kind, *prio
 * (CONV_NPRIORITIES: any), or -1 (not a target's key), -2 (bad priority). */
static int
sla_target_key(const char *name, int *kind, int *prio)
{
	enum conv_priority	 p;
	size_t			 n;
	int			 k;

	for (k = 0; k < SLA_NKINDS; k++) {
		n = strlen(sla_keys[k]);
		if (strncmp(name, sla_keys[k], n) != 0)
			continue;
		if (name[n] == '\0') {
			*kind = k;
			*prio = CONV_NPRIORITIES;
			return (0);
		}
		if (name[n] != '.')
			continue;
		if (names_priority_from(name + n + 1, &p) != 0)
			return (-2);
		*kind = k;
		*prio = (int)p;
		return (0);
	}
	return (-1);
}

int
conf_sla_key(struct conf *conf, int lineno, const char *section,
    const char *name, const char *value, char **cause)
{
	struct conf_sla	*s;
	const char	*team = NULL, *why = NULL;
	int64_t		 secs;
	int		 kind, prio, r, b;

	if (strncmp(section, "sla", 3) != 0 || (section[3] != '\0' &&
	    section[3] != ' ' && section[3] != '.'))
		return (-1);
	if (section[3] != '\0' && strcmp(section + 4, "default") != 0)
		team = section + 4;
	if (team != NULL && (*team == '\0' || strlen(team) > SLA_TEAM_MAX ||
	    conf_has_control(team))) {
		*cause = xasprintf("%s:%d: [%.80s]: a team name has 1 to %d "
		    "bytes", conf->path, lineno, section, SLA_TEAM_MAX);
		return (0);
	}
	if ((s = sla_section(conf, team, lineno, section, cause)) == NULL)
		return (0);

	if ((r = sla_target_key(name, &kind, &prio)) == 0) {
		if (strcmp(value, "none") == 0)
			secs = -1;	/* given: no target here */
		else if (when_duration(value, &secs, &why) != 0)
			goto bad;
		s->target[kind][prio] = secs;
	} else if (r == -2) {
		*cause = xasprintf("%s:%d: [%s] %.40s: a per-priority target "
		    "is KEY.PRIORITY with a priority of %s", conf->path,
		    lineno, section, name,
		    NAMES_LIST(NAMES_PRIORITIES, ", "));
		return (0);
	} else if (strcmp(name, "business_hours") == 0) {
		if (conf_parse_bool(value, &b) != 0) {
			why = "expects yes or no";
			goto bad;
		}
		s->business_hours = b;
	} else if (strcmp(name, "soon") == 0) {
		if (team != NULL) {
			*cause = xasprintf("%s:%d: [%s] soon: the horizon of "
			    "the breaching view is one for all teams; set it "
			    "in [sla]", conf->path, lineno, section);
			return (0);
		}
		if (when_duration(value, &secs, &why) != 0)
			goto bad;
		conf->sla_soon = secs;
	} else {
		*cause = xasprintf("%s:%d: [%s]: unknown key '%.40s' (%s, "
		    "%s, %s, KEY.PRIORITY, business_hours, soon)", conf->path,
		    lineno, section, conf_has_control(name) ? "?" : name,
		    sla_keys[0], sla_keys[1], sla_keys[2]);
		return (0);
	}
	return (1);
bad:
	*cause = xasprintf("%s:%d: [%s] %s %s", conf->path, lineno, section,
	    name, why);
	return (0);
}

void
conf_sla_free(struct conf *conf)
{
	size_t	i;

	for (i = 0; i < conf->nslas; i++)
		free(conf->slas[i].team);
	free(conf->slas);
	conf->slas = NULL;
	conf->nslas = 0;
	conf->sla_soon = 0;
}

static int
sla_same(const struct conf_sla *a, const struct conf_sla *b)
{
	return (sla_same_team(a->team, b->team) &&
	    a->business_hours == b->business_hours &&
	    memcmp(a->target, b->target, sizeof a->target) == 0);
}

int
conf_sla_swap(struct conf *cur, struct conf *next)
{
	struct conf_sla	*t;
	size_t		 i, n;
	int64_t		 soon;

	if (cur->nslas == next->nslas && cur->sla_soon == next->sla_soon) {
		for (i = 0; i < cur->nslas; i++)
			if (!sla_same(&cur->slas[i], &next->slas[i]))
				break;
		if (i == cur->nslas)
			return (0);
	}
	t = cur->slas;
	n = cur->nslas;
	soon = cur->sla_soon;
	cur->slas = next->slas;
	cur->nslas = next->nslas;
	cur->sla_soon = next->sla_soon;
	next->slas = t;
	next->nslas = n;
	next->sla_soon = soon;
	return (1);
}

int64_t
conf_sla_target(const struct conf *conf, const char *team, int priority,
    int kind, const char **from)
{
	static const char *const names[4] = { "team.priority", "team",
	    "default.priority", "default" };
	const struct conf_sla	*order[2];
	int64_t			 v;
	int			 i, j, p;

	if (from != NULL)
		*from = NULL;
	if (kind < 0 || kind >= SLA_NKINDS)
		return (0);
	p = priority >= 0 && priority < CONV_NPRIORITIES ? priority :
	    CONV_NPRIORITIES;
	order[0] = team != NULL ? sla_find(conf, team) : NULL;
	order[1] = sla_find(conf, NULL);
	for (i = 0; i < 2; i++) {
		if (order[i] == NULL)
			continue;
		for (j = 0; j < 2; j++) {
			v = order[i]->target[kind][j == 0 ? p :
			    CONV_NPRIORITIES];
			if (v == 0)
				continue;
			if (from != NULL)
				*from = names[i * 2 + j];
			return (v < 0 ? 0 : v);
		}
	}
	return (0);
}

int
conf_sla_business_hours(const struct conf *conf, const char *team)
{
	const struct conf_sla	*s;

	if (team != NULL && (s = sla_find(conf, team)) != NULL &&
	    s->business_hours != -1)
		return (s->business_hours);
	if ((s = sla_find(conf, NULL)) != NULL && s->business_hours != -1)
		return (s->business_hours);
	return (1);
}

int64_t
conf_sla_soon(const struct conf *conf)
{
	return (conf->sla_soon > 0 ? conf->sla_soon : CONF_SLA_SOON);
}

int
conf_sla_any(const struct conf *conf)
{
	return (conf->nslas > 0);
}

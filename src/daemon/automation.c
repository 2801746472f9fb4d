/* The inbox's automation on a customer's message; see automation.h. */
#include "automation.h"
#include "autoreply.h"
#include "campaign.h"
#include "daemon.h"
#include "notice.h"
#include "rules.h"
#include "survey.h"

int
automation_inbound(struct daemon *d, const struct auto_inbound *in)
{
	int	rc;

	/* The privacy notice first: it is what a new contact reads first. */
	if (notice_inbound(d, in) != 0)
		return (-1);
	/* A reply to a campaign: counted, labelled campaign:NAME. */
	if (campaign_on_inbound(d, in) != 0)
		return (-1);
	/* A survey answer is stored, and is not a question for the rules. */
	if ((rc = survey_inbound(d, in)) != 0)
		return (rc < 0 ? -1 : 0);
	/* Rules before auto-replies: a rule may move it to another team,
	   whose hours and texts then apply. */
	if (rules_inbound(d, in) != 0)
		return (-1);
	if (autoreply_inbound(d, in) != 0)
		return (-1);
	return (0);
}

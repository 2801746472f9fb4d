/* The inbox's automation on a customer's message; see automation.h. */
#include "automation.h"
#include "daemon.h"
#include "notice.h"
#include "rules.h"

int
automation_inbound(struct daemon *d, const struct auto_inbound *in)
{
	/* The privacy notice first: it is what a new contact reads first. */
	if (notice_inbound(d, in) != 0)
		return (-1);
	if (rules_inbound(d, in) != 0)
		return (-1);
	return (0);
}

/* The inbox's automation on a customer's message; see automation.h. */
#include "automation.h"
#include "daemon.h"
#include "survey.h"

int
automation_inbound(struct daemon *d, const struct auto_inbound *in)
{
	(void)d;
	(void)in;
	if (survey_inbound(d, in) != 0)
		return (-1);
	return (0);
}

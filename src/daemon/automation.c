/* The inbox's automation on a customer's message; see automation.h. */
#include "automation.h"
#include "daemon.h"

int
automation_inbound(struct daemon *d, const struct auto_inbound *in)
{
	(void)d;
	(void)in;
	return (0);
}

/* The inbox's automation on a customer's message; see automation.h. */
#include "automation.h"
#include "autoreply.h"
#include "daemon.h"

int
automation_inbound(struct daemon *d, const struct auto_inbound *in)
{
	if (autoreply_inbound(d, in) != 0)
		return (-1);
	return (0);
}

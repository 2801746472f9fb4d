/* The customer-service window; see window.h. */
#include "window.h"

int64_t
window_open_since(int64_t now, unsigned hours)
{
	return (now - (int64_t)hours * 3600);
}

int64_t
window_left(int64_t last_inbound, int64_t now, unsigned hours)
{
	int64_t	left;

	if (last_inbound <= 0)
		return (0);
	left = last_inbound - window_open_since(now, hours);
	return (left > 0 ? left : 0);
}

bool
window_is_open(int64_t last_inbound, int64_t now, unsigned hours)
{
	return (window_left(last_inbound, now, hours) > 0);
}

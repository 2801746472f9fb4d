/*
 * The customer-service window, one owner: a business may answer freely
 * (no template) for [inbox] window_hours (24 on the Cloud API) after the
 * customer's last message. Every place that asks goes through here: the
 * send checks, the list rows' window_left, the "window" queue and its
 * count, and consent replies.
 */
#ifndef WINDOW_H
#define WINDOW_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds the window has left at now; 0 if closed or never opened. */
int64_t	 window_left(int64_t last_inbound, int64_t now, unsigned hours);
/* Whether a free-form message may be sent at now. */
bool	 window_is_open(int64_t last_inbound, int64_t now, unsigned hours);
/*
 * The earliest last-inbound time whose window is still open at now: the
 * lower bound for queries over open windows (last_inbound > this).
 */
int64_t	 window_open_since(int64_t now, unsigned hours);

#endif

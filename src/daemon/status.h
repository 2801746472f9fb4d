/*
 * "support-inboxd status": asks the running daemon (daemon.status) and
 * prints its counts and alarms, or the JSON with as_json. 0, or 1 with a
 * one-line error on stderr that names the fix.
 */
#ifndef STATUS_H
#define STATUS_H

struct conf;

int	status_main(const struct conf *, int as_json);

#endif

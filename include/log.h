/*
 * Logging to stderr (which log_open can point at a file). Callers never pass personal data (phone numbers, names,
 * message text, wamids): log internal ids and counts only.
 */
#ifndef LOG_H
#define LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void	log_init(const char *prog, enum log_level);
void	log_set_level(enum log_level);
const char *log_level_name(enum log_level);
/*
 * Sends stderr (and so every log line) to path, appended, created 0600;
 * called again after logrotate moved the file away, it starts a new one.
 * 0, or -1 with *cause allocated (stderr unchanged).
 */
int	log_open(const char *path, char **cause);
void	log_error(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));

#endif

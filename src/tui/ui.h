/* The full-screen terminal client (ncursesw). */
#ifndef UI_H
#define UI_H

/*
 * Runs the TUI against the daemon at socket_path until the user quits.
 * config is the -c path or NULL (for [client] theme, keys_file, ...).
 * Returns the process exit code.
 */
int	ui_main(const char *socket_path, const char *config);

#endif

/* Finding a viewer for a file; see mailcap.h. */
#include <sys/wait.h>

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mailcap.h"
#include "xmalloc.h"

#define MAILCAP_LINE	4096

/* 'path' for sh, with any ' in it closed, escaped and reopened. */
static char *
mailcap_quote(const char *s)
{
	size_t	 n = 3, i;
	char	*out, *o;

	for (i = 0; s[i] != '\0'; i++)
		n += s[i] == '\'' ? 4 : 1;
	out = o = xmalloc(n);
	*o++ = '\'';
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else
			*o++ = s[i];
	}
	*o++ = '\'';
	*o = '\0';
	return (out);
}

/* cmd with %s the quoted path and %t the type; *used if %s was there. */
static char *
mailcap_expand(const char *cmd, const char *type, const char *path,
    int *used)
{
	char	*q = mailcap_quote(path), *out, *tmp;
	size_t	 i;

	*used = 0;
	out = xstrdup("");
	for (i = 0; cmd[i] != '\0'; i++) {
		if (cmd[i] == '%' && (cmd[i + 1] == 's' || cmd[i + 1] == 't')) {
			if (cmd[i + 1] == 's')
				*used = 1;
			tmp = xasprintf("%s%s", out, cmd[i + 1] == 's' ? q :
			    type);
			i++;
		} else if (cmd[i] == '\\' && cmd[i + 1] != '\0') {
			tmp = xasprintf("%s%c", out, cmd[i + 1]);
			i++;
		} else
			tmp = xasprintf("%s%c", out, cmd[i]);
		free(out);
		out = tmp;
	}
	free(q);
	return (out);
}

/* A test= command: true if it exits 0 (its output goes nowhere). */
static int
mailcap_test(const char *cmd)
{
	pid_t	pid;
	int	status = -1, fd;

	if ((pid = fork()) == 0) {
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	if (pid == -1)
		return (0);
	while (waitpid(pid, &status, 0) == -1)
		;
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static char *
mailcap_trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return (s);
}

/* The next ';' not escaped by a backslash, or the end. */
static char *
mailcap_field_end(char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (*s == ';')
			return (s);
	}
	return (s);
}

/* One entry: the command for type if it fits, else NULL. */
static char *
mailcap_entry(char *line, const char *type, const char *path,
    const char *pager)
{
	char	*f[32], *p = line, *e, *view, *test = NULL, *cmd, *tmp;
	size_t	 nf = 0, i, tl;
	int	 copious = 0, used;

	while (nf < 32) {
		e = mailcap_field_end(p);
		f[nf++] = p;
		if (*e == '\0')
			break;
		*e = '\0';
		p = e + 1;
	}
	if (nf < 2)
		return (NULL);
	f[0] = mailcap_trim(f[0]);
	for (i = 0; f[0][i] != '\0'; i++)
		f[0][i] = (char)tolower((unsigned char)f[0][i]);
	tl = strcspn(type, "/");
	if (strcmp(f[0], type) != 0 && !(strncmp(f[0], type, tl) == 0 &&
	    (strcmp(f[0] + tl, "/*") == 0 || f[0][tl] == '\0')))
		return (NULL);
	view = mailcap_trim(f[1]);
	if (*view == '\0')
		return (NULL);
	for (i = 2; i < nf; i++) {
		p = mailcap_trim(f[i]);
		if (strcasecmp(p, "copiousoutput") == 0)
			copious = 1;
		else if (strncasecmp(p, "test", 4) == 0 &&
		    (tmp = strchr(p, '=')) != NULL)
			test = mailcap_trim(tmp + 1);
	}
	if (test != NULL) {
		cmd = mailcap_expand(test, type, path, &used);
		i = (size_t)mailcap_test(cmd);
		free(cmd);
		if (i == 0)
			return (NULL);
	}
	cmd = mailcap_expand(view, type, path, &used);
	if (!used) {
		tmp = mailcap_quote(path);
		e = xasprintf("%s < %s", cmd, tmp);
		free(tmp);
		free(cmd);
		cmd = e;
	}
	if (copious) {
		e = xasprintf("%s | %s", cmd, pager);
		free(cmd);
		cmd = e;
	}
	return (cmd);
}

static char *
mailcap_file(const char *file, const char *type, const char *path,
    const char *pager)
{
	FILE	*f;
	char	 buf[MAILCAP_LINE], line[MAILCAP_LINE * 4], *cmd = NULL;
	size_t	 n, len = 0;

	if ((f = fopen(file, "re")) == NULL)
		return (NULL);
	while (cmd == NULL && fgets(buf, sizeof buf, f) != NULL) {
		n = strcspn(buf, "\n");
		buf[n] = '\0';
		if (len == 0 && (buf[0] == '#' || buf[0] == '\0'))
			continue;
		/* A line ending in a backslash goes on on the next. */
		if (n > 0 && buf[n - 1] == '\\') {
			buf[n - 1] = '\0';
			if (len + n < sizeof line) {
				memcpy(line + len, buf, n);
				len += n - 1;
			}
			continue;
		}
		if (len + n + 1 > sizeof line) {
			len = 0;	/* too long: skipped */
			continue;
		}
		memcpy(line + len, buf, n + 1);
		len = 0;
		cmd = mailcap_entry(line, type, path, pager);
	}
	fclose(f);
	return (cmd);
}

char *
mailcap_command(const char *mime, const char *path, char **cause)
{
	const char	*pager = getenv("PAGER"), *list, *home = getenv("HOME");
	char		 type[128], *files, *file, *save = NULL, *cmd = NULL;
	char		*q;
	size_t		 i;

	for (i = 0; mime != NULL && mime[i] != '\0' && mime[i] != ';' &&
	    !isspace((unsigned char)mime[i]) && i < sizeof type - 1; i++)
		type[i] = (char)tolower((unsigned char)mime[i]);
	type[i] = '\0';
	if (pager == NULL || *pager == '\0')
		pager = NULL;
	if (strncmp(type, "text/", 5) == 0 && pager != NULL) {
		q = mailcap_quote(path);
		cmd = xasprintf("%s %s", pager, q);
		free(q);
		return (cmd);
	}
	if ((list = getenv("MAILCAPS")) != NULL && *list != '\0')
		files = xstrdup(list);
	else
		files = xasprintf("%s/.mailcap:/etc/mailcap", home != NULL ?
		    home : "");
	for (file = strtok_r(files, ":", &save); file != NULL && cmd == NULL &&
	    type[0] != '\0'; file = strtok_r(NULL, ":", &save))
		cmd = mailcap_file(file, type, path, pager != NULL ? pager :
		    "less");
	free(files);
	if (cmd == NULL && strncmp(type, "text/", 5) == 0) {
		q = mailcap_quote(path);
		cmd = xasprintf("less %s", q);
		free(q);
	}
	if (cmd == NULL)
		*cause = xasprintf("no viewer for %s in ~/.mailcap or "
		    "/etc/mailcap", type[0] != '\0' ? type : "this file");
	return (cmd);
}

/* Saving fetched files; see save.h. */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base64.h"
#include "save.h"
#include "xmalloc.h"

static const char *
save_ext(const char *mime)
{
	static const struct { const char *mime, *ext; } t[] = {
		{ "image/jpeg", "jpg" }, { "image/png", "png" },
		{ "image/webp", "webp" }, { "video/mp4", "mp4" },
		{ "video/3gpp", "3gp" }, { "audio/ogg", "ogg" },
		{ "audio/mpeg", "mp3" }, { "audio/mp4", "m4a" },
		{ "audio/aac", "aac" }, { "audio/amr", "amr" },
		{ "application/pdf", "pdf" }, { "text/plain", "txt" },
	};
	size_t	i;

	for (i = 0; mime != NULL && i < sizeof t / sizeof t[0]; i++) {
		if (strncmp(mime, t[i].mime, strlen(t[i].mime)) == 0)
			return (t[i].ext);
	}
	return ("bin");
}

char *
save_name(json_t *body, int64_t msg_id, const char *mime)
{
	const char	*fn, *base;
	char		*out;
	size_t		 i, n = 0;

	fn = json_string_value(json_object_get(json_object_get(body, "media"),
	    "filename"));
	if (fn != NULL) {
		base = strrchr(fn, '/');
		base = base != NULL ? base + 1 : fn;
		out = xmalloc(strlen(base) + 1);
		for (i = 0; base[i] != '\0' && n < 100; i++) {
			unsigned char c = (unsigned char)base[i];

			/* Keep UTF-8 and plain characters; drop controls. */
			if (c >= 0x80 || isalnum(c) || strchr(" ._-+()", c))
				out[n++] = (char)c;
		}
		out[n] = '\0';
		/* Nothing usable, or a hidden/parent name: use our own. */
		if (n > 0 && out[0] != '.')
			return (out);
		free(out);
	}
	return (xasprintf("media-%lld.%s", (long long)msg_id, save_ext(mime)));
}

char *
save_dir(const char *conf_dir, int cwd_last)
{
	const char	*env, *home = getenv("HOME");
	struct stat	 sb;
	char		*d;

	if (conf_dir != NULL && *conf_dir != '\0')
		return (save_expand(conf_dir));
	if ((env = getenv("SUPPORT_INBOX_DOWNLOADS")) != NULL && *env != '\0')
		return (save_expand(env));
	if (home != NULL && *home != '\0') {
		d = xasprintf("%s/Downloads", home);
		if (stat(d, &sb) == 0 && S_ISDIR(sb.st_mode))
			return (d);
		free(d);
		if (!cwd_last)
			return (xstrdup(home));
	}
	/* The TUI asks rather than writing where it happened to start. */
	return (xstrdup(cwd_last ? "." : ""));
}

char *
save_expand(const char *path)
{
	const char	*home = getenv("HOME");

	if (home != NULL && *home != '\0' && (strcmp(path, "~") == 0 ||
	    strncmp(path, "~/", 2) == 0))
		return (xasprintf("%s%s", home, path + 1));
	return (xstrdup(path));
}

int
save_dir_ok(const char *dir, char **cause)
{
	struct stat	sb;

	if (*dir == '\0') {
		*cause = xstrdup("no directory given");
		return (-1);
	}
	if (*dir != '/') {
		*cause = xasprintf("'%s' is not a full path (start with / or "
		    "~/)", dir);
		return (-1);
	}
	if (stat(dir, &sb) != 0) {
		*cause = xasprintf("cannot use '%s': %s", dir, strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(sb.st_mode)) {
		*cause = xasprintf("'%s' is not a directory", dir);
		return (-1);
	}
	if (access(dir, W_OK | X_OK) != 0) {
		*cause = xasprintf("cannot write to '%s': %s", dir,
		    strerror(errno));
		return (-1);
	}
	return (0);
}

int
save_create(const char *dir, const char *name, char **path, char **cause)
{
	const char	*dot;
	char		*p;
	int		 fd, i;

	dot = strrchr(name, '.');
	for (i = 0; i < 1000; i++) {
		if (i == 0)
			p = xasprintf("%s/%s", dir, name);
		else if (dot != NULL && dot != name)
			p = xasprintf("%s/%.*s-%d%s", dir, (int)(dot - name),
			    name, i, dot);
		else
			p = xasprintf("%s/%s-%d", dir, name, i);
		fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		    O_NOFOLLOW, 0600);
		if (fd != -1) {
			*path = p;
			return (fd);
		}
		if (errno != EEXIST) {
			*cause = xasprintf("cannot create '%s': %s", p,
			    strerror(errno));
			free(p);
			return (-1);
		}
		free(p);
	}
	*cause = xasprintf("too many files named like '%s' in '%s'", name, dir);
	return (-1);
}

int
save_chunk(int fd, json_t *res, int64_t *next, int *done, char **cause)
{
	const char	*data = json_string_value(json_object_get(res, "data"));
	size_t		 len, off = 0;
	uint8_t		*buf;
	long		 n;
	ssize_t		 w;

	if (data == NULL || !json_is_integer(json_object_get(res, "offset"))) {
		*cause = xstrdup("the daemon's answer has no data");
		return (-1);
	}
	len = strlen(data);
	buf = xmalloc(len / 4 * 3 + 3);
	if ((n = base64_decode(data, len, buf)) < 0) {
		free(buf);
		*cause = xstrdup("the daemon's answer is not valid base64");
		return (-1);
	}
	while (off < (size_t)n) {
		w = write(fd, buf + off, (size_t)n - off);
		if (w == -1 && errno == EINTR)
			continue;
		if (w <= 0) {
			*cause = xasprintf("cannot write the file: %s",
			    strerror(errno));
			free(buf);
			return (-1);
		}
		off += (size_t)w;
	}
	free(buf);
	*next = json_integer_value(json_object_get(res, "offset")) + n;
	*done = json_is_true(json_object_get(res, "done"));
	return (0);
}

int
save_complete(char *buf, size_t size, char **shown)
{
	DIR		*dp;
	struct dirent	*de;
	struct stat	 sb;
	char		*path, *dir, *full, *tmp, common[256] = "";
	const char	*slash, *base;
	size_t		 blen, clen = 0, i;
	int		 n = 0;

	*shown = NULL;
	path = save_expand(buf);
	slash = strrchr(path, '/');
	base = slash != NULL ? slash + 1 : path;
	blen = strlen(base);
	dir = slash == NULL ? xstrdup(".") : slash == path ? xstrdup("/") :
	    xstrndup(path, (size_t)(slash - path));
	if ((dp = opendir(dir)) == NULL) {
		free(dir);
		free(path);
		return (0);
	}
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strncmp(de->d_name, base, blen) != 0 ||
		    (de->d_name[0] == '.' && base[0] != '.') ||
		    strlen(de->d_name) >= sizeof common)
			continue;
		if (n == 0) {
			snprintf(common, sizeof common, "%s", de->d_name);
			clen = strlen(common);
		} else {
			for (i = 0; i < clen && common[i] == de->d_name[i]; i++)
				;
			clen = i;
		}
		if (n < 8) {
			tmp = xasprintf("%s%s%s", *shown != NULL ? *shown : "",
			    *shown != NULL ? "  " : "", de->d_name);
			free(*shown);
			*shown = tmp;
		}
		n++;
	}
	closedir(dp);
	if (n > 0) {
		/* Cut back to a whole UTF-8 character. */
		while (clen > 0 && ((unsigned char)common[clen] & 0xc0) == 0x80)
			clen--;
		common[clen] = '\0';
		full = xasprintf("%.*s%s", (int)(base - path), path, common);
		if (n == 1 && stat(full, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			tmp = xasprintf("%s/", full);
			free(full);
			full = tmp;
		}
		if (strlen(full) < size)
			snprintf(buf, size, "%s", full);
		free(full);
	}
	if (n <= 1) {
		free(*shown);
		*shown = NULL;
	}
	free(dir);
	free(path);
	return (n);
}

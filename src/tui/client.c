/* Client end of the Unix socket protocol; see client.h. */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client.h"
#include "conf.h"
#include "proto-names.h"
#include "proto.h"
#include "xmalloc.h"

#define CLIENT_DEFAULT_SOCKET	"/run/support-inbox/socket"

char *
client_socket_path(const char *opt_socket, const char *opt_config,
    char **cause)
{
	struct conf	 conf;
	const char	*env;
	char		*path;

	if (opt_socket != NULL)
		return (xstrdup(opt_socket));
	if ((env = getenv("SUPPORT_INBOX_SOCKET")) != NULL && *env != '\0')
		return (xstrdup(env));
	if (opt_config == NULL)
		opt_config = getenv("SUPPORT_INBOX_CONFIG");
	if (opt_config != NULL && *opt_config != '\0') {
		conf_defaults(&conf);
		if (conf_load(&conf, opt_config, 0, cause) != 0) {
			conf_release(&conf);
			return (NULL);
		}
		path = xstrdup(conf.socket);
		conf_release(&conf);
		return (path);
	}
	return (xstrdup(CLIENT_DEFAULT_SOCKET));
}

static int
client_write_all(int fd, const char *p, size_t len)
{
	struct pollfd	pfd;
	ssize_t		n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				pfd.fd = fd;
				pfd.events = POLLOUT;
				poll(&pfd, 1, 1000);
				continue;
			}
			return (-1);
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

int64_t
client_send(struct client *c, const char *method, json_t *params)
{
	json_t	*req;
	char	*s;
	size_t	 len;
	int64_t	 id;

	id = ++c->next_id;
	req = json_pack("{sI ss so}", "id", (json_int_t)id, "method", method,
	    "params", params != NULL ? params : json_object());
	s = proto_encode(req, &len);
	json_decref(req);
	if (s == NULL)
		return (-1);
	if (client_write_all(c->fd, s, len) != 0) {
		free(s);
		return (-1);
	}
	free(s);
	return (id);
}

int
client_read(struct client *c)
{
	char	tmp[65536];
	ssize_t	n;

	for (;;) {
		n = read(c->fd, tmp, sizeof tmp);
		if (n == 0)
			return (-1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return (0);
			return (-1);
		}
		if (buf_add(&c->in, tmp, (size_t)n) != 0)
			return (-1);
		if ((size_t)n < sizeof tmp)
			return (0);
	}
}

json_t *
client_next(struct client *c)
{
	json_t	*j;
	size_t	 len;

	while (proto_frame_next(&c->in, &len) == 1) {
		j = json_loadb(c->in.data, len, 0, NULL);
		buf_consume(&c->in, len + 1);
		if (j != NULL && json_is_object(j))
			return (j);
		json_decref(j);
	}
	return (NULL);
}

json_t *
client_next_event(struct client *c)
{
	json_t	*e;

	if (json_array_size(c->events) == 0)
		return (NULL);
	e = json_incref(json_array_get(c->events, 0));
	json_array_remove(c->events, 0);
	return (e);
}

json_t *
client_call(struct client *c, const char *method, json_t *params,
    char **code, char **message)
{
	struct pollfd	 pfd;
	json_t		*j, *res, *err;
	int64_t		 id;

	*code = *message = NULL;
	if ((id = client_send(c, method, params)) == -1) {
		*code = xstrdup("disconnected");
		*message = xstrdup("lost the connection to the daemon");
		return (NULL);
	}
	for (;;) {
		while ((j = client_next(c)) != NULL) {
			if (json_object_get(j, "event") != NULL) {
				json_array_append_new(c->events, j);
				continue;
			}
			if (json_integer_value(json_object_get(j, "id")) != id &&
			    !json_is_null(json_object_get(j, "id"))) {
				json_decref(j);
				continue;
			}
			if ((res = json_object_get(j, "result")) != NULL) {
				json_incref(res);
				json_decref(j);
				return (res);
			}
			err = json_object_get(j, "error");
			*code = xstrdup(json_string_value(json_object_get(err,
			    "code")) != NULL ? json_string_value(
			    json_object_get(err, "code")) : PE_ERROR);
			*message = xstrdup(json_string_value(json_object_get(
			    err, "message")) != NULL ? json_string_value(
			    json_object_get(err, "message")) : "request failed");
			json_decref(j);
			return (NULL);
		}
		pfd.fd = c->fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, -1) == -1 && errno != EINTR)
			break;
		if (client_read(c) != 0)
			break;
	}
	*code = xstrdup("disconnected");
	*message = xstrdup("the daemon closed the connection");
	return (NULL);
}

/*
 * The hello's parameters: the protocol version and where the user sits,
 * the terminal and the SSH connection (SSH_CONNECTION, or SSH_CLIENT from
 * older sshd), which the daemon keeps as the origin of every audit record
 * of this connection. The TUI and the CLI send the same.
 */
json_t *
client_hello_params(void)
{
	json_t		*params;
	const char	*tty, *ssh;

	params = json_pack("{si}", "version", PROTO_VERSION);
	if ((tty = ttyname(STDIN_FILENO)) != NULL && strlen(tty) < 64)
		json_object_set_new(params, "tty", json_string(tty));
	if ((ssh = getenv("SSH_CONNECTION")) == NULL || *ssh == '\0')
		ssh = getenv("SSH_CLIENT");
	if (ssh != NULL && *ssh != '\0' && strlen(ssh) < 128)
		json_object_set_new(params, "ssh", json_string(ssh));
	return (params);
}

int
client_connect(struct client *c, const char *path, char **cause)
{
	struct sockaddr_un	 sun;
	json_t			*params, *res;
	char			*code, *msg;

	memset(c, 0, sizeof *c);
	buf_init(&c->in, PROTO_FRAME_MAX + 65536);
	c->events = json_array();
	c->path = xstrdup(path);
	if (strlen(path) >= sizeof sun.sun_path) {
		*cause = xasprintf("socket path '%s' is too long", path);
		return (-1);
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd == -1 || connect(c->fd, (struct sockaddr *)&sun,
	    sizeof sun) != 0) {
		*cause = xasprintf("cannot connect to the daemon at '%s': %s",
		    path, strerror(errno));
		return (-1);
	}
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	params = client_hello_params();
	res = client_call(c, PM_HELLO, params, &code, &msg);
	if (res == NULL) {
		*cause = xasprintf("%s", msg);
		free(code);
		free(msg);
		return (-1);
	}
	c->hello = res;
	return (0);
}

void
client_close(struct client *c)
{
	if (c->fd > 0)
		close(c->fd);
	buf_release(&c->in);
	json_decref(c->events);
	json_decref(c->hello);
	free(c->path);
	memset(c, 0, sizeof *c);
}

/*
 * The hooks' sender: HTTPS posts through libcurl's multi interface on the
 * daemon's libevent loop (curl-ev.c, as for graph.c's Graph API), programs by
 * fork and exec with the body on standard input. Never blocks the loop;
 * an outcome goes back to hook.c's callback with an error that holds no
 * personal data (an HTTP status, a curl error, an exit status).
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <sodium.h>

#include "clock.h"
#include "conf-hook.h"
#include "curl-ev.h"
#include "daemon.h"
#include "hook.h"
#include "log.h"
#include "xmalloc.h"

struct hook_job {
	struct hook_send	*hs;
	int64_t			*ids;		/* the deliveries it carries */
	size_t			 nids;
	CURL			*easy;		/* a post, or NULL */
	struct curl_slist	*headers;
	char			*body;
	size_t			 body_len;
	pid_t			 pid;		/* a program, or 0 */
	time_t			 deadline;
	struct hook_job		*next;
};

struct hook_send {
	struct daemon		*d;
	hook_send_cb		*cb;
	CURLM			*multi;
	struct curl_ev		*loop;		/* on the event loop */
	struct hook_job		*jobs;
	size_t			 n;
};

static void	hook_send_check(struct hook_send *);

static void
hook_job_free(struct hook_job *j)
{
	struct hook_send	*hs = j->hs;
	struct hook_job		**p;

	for (p = &hs->jobs; *p != NULL; p = &(*p)->next) {
		if (*p == j) {
			*p = j->next;
			hs->n--;
			break;
		}
	}
	if (j->easy != NULL) {
		curl_multi_remove_handle(hs->multi, j->easy);
		curl_easy_cleanup(j->easy);
	}
	curl_slist_free_all(j->headers);	/* held the signature */
	if (j->body != NULL) {
		sodium_memzero(j->body, j->body_len);
		free(j->body);
	}
	free(j->ids);
	free(j);
}

/* The outcome: the job is freed before the callback writes it down. */
static void
hook_job_end(struct hook_job *j, int ok, const char *error)
{
	struct hook_send	*hs = j->hs;
	int64_t			*ids = j->ids;
	size_t			 n = j->nids;

	j->ids = NULL;
	hook_job_free(j);
	hs->cb(hs->d, ids, n, ok, error);
	free(ids);
}

static void
hook_check_cb(void *arg)
{
	hook_send_check(arg);
}

struct hook_send *
hook_send_new(struct daemon *d, hook_send_cb *cb)
{
	struct hook_send	*hs;

	curl_global_init(CURL_GLOBAL_DEFAULT);	/* graph.c did; counted */
	hs = xcalloc(1, sizeof *hs);
	hs->d = d;
	hs->cb = cb;
	hs->multi = curl_multi_init();
	hs->loop = curl_ev_new(d->base, hs->multi, hook_check_cb, hs);
	return (hs);
}

void
hook_send_free(struct hook_send *hs)
{
	struct hook_job	*j;

	if (hs == NULL)
		return;
	while ((j = hs->jobs) != NULL) {
		if (j->pid > 0) {
			kill(j->pid, SIGKILL);
			waitpid(j->pid, NULL, 0);
		}
		hook_job_free(j);
	}
	curl_multi_cleanup(hs->multi);
	curl_ev_free(hs->loop);
	free(hs);
	curl_global_cleanup();
}

int
hook_send_busy(struct hook_send *hs, int64_t id)
{
	struct hook_job	*j;
	size_t		 i;

	for (j = hs->jobs; j != NULL; j = j->next)
		for (i = 0; i < j->nids; i++)
			if (j->ids[i] == id)
				return (1);
	return (0);
}

size_t
hook_send_count(struct hook_send *hs)
{
	return (hs->n);
}

/* The answer's body is not kept: only its status counts. */
static size_t
hook_discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p; (void)arg;
	return (size * n);
}

static void
hook_send_check(struct hook_send *hs)
{
	struct hook_job	*j;
	CURLMsg		*m;
	long		 code = 0;
	int		 left;
	char		 error[128];

	while ((m = curl_multi_info_read(hs->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		j = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &j);
		if (j == NULL)
			continue;
		if (m->data.result != CURLE_OK) {
			snprintf(error, sizeof error, "transport: %s",
			    curl_easy_strerror(m->data.result));
			hook_job_end(j, 0, error);
			continue;
		}
		curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
		snprintf(error, sizeof error, "HTTP %ld", code);
		hook_job_end(j, code >= 200 && code < 300, error);
	}
}

/* "sha256=" and the hex HMAC-SHA256 over "<timestamp>.<body>". */
static void
hook_sign(const char *secret, const char *ts, const char *body,
    char *out, size_t len)
{
	crypto_auth_hmacsha256_state	st;
	unsigned char			mac[crypto_auth_hmacsha256_BYTES];
	char				hex[2 * sizeof mac + 1];

	crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret,
	    strlen(secret));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)ts,
	    strlen(ts));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)".", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body,
	    strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
	snprintf(out, len, "X-SI-Signature: sha256=%s", hex);
	sodium_memzero(&st, sizeof st);
}

static int
hook_post(struct hook_send *hs, struct hook_job *j, const struct conf_hook *h,
    const char *event, const char *key, char **error)
{
	char	line[256], ts[32];

	if ((j->easy = curl_easy_init()) == NULL) {
		*error = xstrdup("cannot initialise libcurl");
		return (-1);
	}
	snprintf(ts, sizeof ts, "%lld", (long long)time(NULL));
	j->headers = curl_slist_append(j->headers,
	    "Content-Type: application/json");
	snprintf(line, sizeof line, "X-SI-Event: %s", event);
	j->headers = curl_slist_append(j->headers, line);
	snprintf(line, sizeof line, "X-SI-Delivery: %s", key);
	j->headers = curl_slist_append(j->headers, line);
	snprintf(line, sizeof line, "X-SI-Timestamp: %s", ts);
	j->headers = curl_slist_append(j->headers, line);
	hook_sign(h->secret != NULL ? h->secret : "", ts, j->body, line,
	    sizeof line);
	j->headers = curl_slist_append(j->headers, line);
	j->headers = curl_slist_append(j->headers, "Expect:");
	curl_easy_setopt(j->easy, CURLOPT_URL, h->url);
	curl_easy_setopt(j->easy, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(j->easy, CURLOPT_HTTPHEADER, j->headers);
	curl_easy_setopt(j->easy, CURLOPT_POSTFIELDS, j->body);
	curl_easy_setopt(j->easy, CURLOPT_POSTFIELDSIZE, (long)j->body_len);
	curl_easy_setopt(j->easy, CURLOPT_TIMEOUT, (long)h->timeout);
	curl_easy_setopt(j->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(j->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(j->easy, CURLOPT_USERAGENT, "support-inboxd-hook");
	curl_easy_setopt(j->easy, CURLOPT_WRITEFUNCTION, hook_discard);
	curl_easy_setopt(j->easy, CURLOPT_MAXFILESIZE, 1024L * 1024);
	if (h->cacert != NULL)
		curl_easy_setopt(j->easy, CURLOPT_CAINFO, h->cacert);
	curl_easy_setopt(j->easy, CURLOPT_PRIVATE, j);
	if (curl_multi_add_handle(hs->multi, j->easy) != CURLM_OK) {
		*error = xstrdup("cannot start the request");
		return (-1);
	}
	return (0);
}

/* The program, its words, the body on a pipe to its standard input. */
static int
hook_exec(struct hook_job *j, const struct conf_hook *h, const char *event,
    const char *key, char **error)
{
	char	*argv[CONF_HOOK_ARGS_MAX + 2];
	int	 fds[2], null;
	size_t	 i;
	ssize_t	 n;
	pid_t	 pid;

	argv[0] = h->program;
	for (i = 0; h->args[i] != NULL; i++)
		argv[i + 1] = h->args[i];
	argv[i + 1] = NULL;
	if (pipe2(fds, O_CLOEXEC) != 0) {
		*error = xasprintf("pipe: %s", strerror(errno));
		return (-1);
	}
	/* The body fits the pipe's buffer (hook.c bounds it). */
	(void)fcntl(fds[1], F_SETPIPE_SZ, 64 * 1024);
	if ((pid = fork()) == -1) {
		*error = xasprintf("fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return (-1);
	}
	if (pid == 0) {
		null = open("/dev/null", O_RDWR);
		if (dup2(fds[0], 0) == -1 || null == -1 || dup2(null, 1) ==
		    -1 || dup2(null, 2) == -1)
			_exit(126);
		setenv("SI_HOOK_EVENT", event, 1);
		setenv("SI_HOOK_DELIVERY", key, 1);
		setenv("SI_HOOK_NAME", h->name, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	close(fds[0]);
	(void)fcntl(fds[1], F_SETFL, O_NONBLOCK);
	n = write(fds[1], j->body, j->body_len);
	close(fds[1]);
	j->pid = pid;
	j->deadline = time(NULL) + (time_t)h->timeout;
	if (n != (ssize_t)j->body_len)
		log_warn("hook %s: the program took %zd of %zu bytes",
		    h->name, n, j->body_len);
	return (0);
}

int
hook_send_start(struct hook_send *hs, const struct conf_hook *h,
    const int64_t *ids, size_t n, const char *event, const char *key,
    const char *body, char **error)
{
	struct hook_job	*j;
	int		 rc;

	j = xcalloc(1, sizeof *j);
	j->hs = hs;
	j->ids = xcalloc(n, sizeof *j->ids);
	memcpy(j->ids, ids, n * sizeof *ids);
	j->nids = n;
	j->body_len = strlen(body);
	j->body = xstrdup(body);
	j->next = hs->jobs;
	hs->jobs = j;
	hs->n++;
	if (h->url != NULL)
		rc = hook_post(hs, j, h, event, key, error);
	else
		rc = hook_exec(j, h, event, key, error);
	if (rc != 0)
		hook_job_free(j);
	return (rc);
}

void
hook_send_poll(struct hook_send *hs)
{
	struct hook_job	*j, *next;
	char		 error[64];
	int		 status;
	pid_t		 r;

	for (j = hs->jobs; j != NULL; j = next) {
		next = j->next;
		if (j->pid <= 0)
			continue;
		r = waitpid(j->pid, &status, WNOHANG);
		if (r == 0 && time(NULL) < j->deadline)
			continue;
		if (r == 0) {
			kill(j->pid, SIGKILL);
			waitpid(j->pid, NULL, 0);
			hook_job_end(j, 0, "timed out (killed)");
			continue;
		}
		if (r == -1) {
			hook_job_end(j, 0, "lost the program's status");
			continue;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			hook_job_end(j, 1, NULL);
			continue;
		}
		if (WIFEXITED(status))
			snprintf(error, sizeof error, "exit status %d",
			    WEXITSTATUS(status));
		else
			snprintf(error, sizeof error, "killed by signal %d",
			    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		hook_job_end(j, 0, error);
	}
}

/* ctl.c: the control socket: a request line in, a status line and text out. */
#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define SUBSCRIBER_MAX_QUEUE (1024 * 1024)

struct ctl_client {
	struct ctl_server *srv;
	struct loop_fd lfd;
	char req[CTL_MAX_REQUEST];
	size_t req_len;
	struct strbuf out;   /* answer not yet written */
	size_t out_sent;
	bool subscribed;
	bool closing;        /* close once out is written */
	struct ctl_client *next;
};

struct ctl_server {
	struct loop *loop;
	struct loop_fd lfd;
	char path[108];
	ctl_handler handler;
	void *ctx;
	struct ctl_client *clients;
	struct ctl_client *dead;
	struct loop_task reap;
};

static bool unix_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		errno = ENAMETOOLONG;
		return false;
	}
	strcpy(sa->sun_path, path);
	return true;
}

/* Client */

static bool write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

int ctl_request(const char *path, const char *cmd, FILE *out, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	int fd = -1;
	if (!unix_addr(path, &sa) || (fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		snprintf(err, errlen, "cannot reach nvad at %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!write_all(fd, cmd, strlen(cmd)) || !write_all(fd, "\n", 1)) {
		snprintf(err, errlen, "cannot send to nvad: %s", strerror(errno));
		close(fd);
		return -1;
	}
	char buf[8192];
	int status = -1;
	char head[16];
	size_t hl = 0;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t off = 0;
		while (status < 0 && off < (size_t)n) {
			char ch = buf[off++];
			if (ch == '\n') {
				head[hl] = '\0';
				status = atoi(head);
			} else if (hl + 1 < sizeof(head)) {
				head[hl++] = ch;
			}
		}
		if (status >= 0 && off < (size_t)n) {
			fwrite(buf + off, 1, (size_t)n - off, out);
			fflush(out);
		}
	}
	close(fd);
	if (status < 0)
		snprintf(err, errlen, "nvad closed the connection without an answer");
	return status;
}

/* Server */

static void client_drop(struct ctl_client *c)
{
	struct ctl_server *s = c->srv;
	struct ctl_client **pp = &s->clients;
	while (*pp && *pp != c)
		pp = &(*pp)->next;
	if (*pp)
		*pp = c->next;
	loop_fd_del(s->loop, &c->lfd);
	close(c->lfd.fd);
	c->lfd.fd = -1;
	/* Freed after this round of events. */
	c->next = s->dead;
	s->dead = c;
	loop_task_queue(s->loop, &s->reap);
}

static bool reap_run(struct loop_task *t)
{
	struct ctl_server *s = t->ctx;
	while (s->dead) {
		struct ctl_client *c = s->dead;
		s->dead = c->next;
		strbuf_free(&c->out);
		free(c);
	}
	return false;
}

static void client_flush(struct ctl_client *c)
{
	while (c->out_sent < c->out.len) {
		ssize_t n = send(c->lfd.fd, c->out.s + c->out_sent, c->out.len - c->out_sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			client_drop(c);
			return;
		}
		c->out_sent += (size_t)n;
	}
	if (c->out_sent == c->out.len) {
		strbuf_reset(&c->out);
		c->out_sent = 0;
		if (c->closing) {
			client_drop(c);
			return;
		}
	}
	loop_fd_mod(c->srv->loop, &c->lfd, EPOLLIN | (c->out.len ? EPOLLOUT : 0));
}

static void client_request(struct ctl_client *c)
{
	struct strbuf body = STRBUF_INIT;
	int status = c->srv->handler(c->srv->ctx, c->req, &body, c);
	strbuf_printf(&c->out, "%d\n", status < 0 ? 0 : status);
	strbuf_puts(&c->out, strbuf_str(&body));
	strbuf_free(&body);
	c->closing = status >= 0;
	client_flush(c);
}

static void client_io(struct loop_fd *f, uint32_t events)
{
	struct ctl_client *c = f->ctx;
	if (events & EPOLLOUT) {
		client_flush(c);
		if (c->lfd.fd < 0)
			return;
	}
	if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	char buf[1024];
	ssize_t n = recv(c->lfd.fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		client_drop(c);
		return;
	}
	if (n < 0 || c->subscribed || c->closing)
		return; /* a subscriber says nothing more; its close is what counts */
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || buf[i] == '\0') {
			c->req[c->req_len] = '\0';
			client_request(c);
			return;
		}
		if (c->req_len + 1 >= sizeof(c->req)) {
			strbuf_puts(&c->out, "1\nrequest too long\n");
			c->closing = true;
			client_flush(c);
			return;
		}
		c->req[c->req_len++] = buf[i];
	}
}

static void server_accept(struct loop_fd *f, uint32_t events)
{
	struct ctl_server *s = f->ctx;
	(void)events;
	int fd = accept4(f->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	struct ctl_client *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->srv = s;
	c->lfd = (struct loop_fd){ .fd = fd, .events = EPOLLIN, .cb = client_io, .ctx = c };
	if (!loop_fd_add(s->loop, &c->lfd)) {
		close(fd);
		free(c);
		return;
	}
	c->next = s->clients;
	s->clients = c;
}

struct ctl_server *ctl_server_open(struct loop *loop, const char *path, mode_t mode,
				   ctl_handler handler, void *ctx)
{
	struct sockaddr_un sa;
	if (!unix_addr(path, &sa))
		return NULL;
	struct ctl_server *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	unlink(path);
	mode_t old = umask((mode_t)~mode & 0777);
	int rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (rc != 0 || chmod(path, mode) != 0 || listen(fd, 16) != 0)
		goto fail;
	s->loop = loop;
	s->handler = handler;
	s->ctx = ctx;
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->lfd = (struct loop_fd){ .fd = fd, .events = EPOLLIN, .cb = server_accept, .ctx = s };
	s->reap = (struct loop_task){ .run = reap_run, .ctx = s };
	if (!loop_fd_add(loop, &s->lfd))
		goto fail;
	return s;
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	free(s);
	errno = e;
	return NULL;
}

void ctl_server_close(struct ctl_server *s)
{
	if (!s)
		return;
	while (s->clients)
		client_drop(s->clients);
	reap_run(&s->reap);
	loop_task_cancel(s->loop, &s->reap);
	loop_fd_del(s->loop, &s->lfd);
	close(s->lfd.fd);
	unlink(s->path);
	free(s);
}

void ctl_client_subscribe(struct ctl_client *c)
{
	c->subscribed = true;
}

void ctl_broadcast(struct ctl_server *s, const char *line)
{
	struct ctl_client *c = s->clients, *next;
	for (; c; c = next) {
		next = c->next;
		if (!c->subscribed)
			continue;
		if (c->out.len - c->out_sent > SUBSCRIBER_MAX_QUEUE) {
			client_drop(c);
			continue;
		}
		strbuf_puts(&c->out, line);
		strbuf_puts(&c->out, "\n");
		client_flush(c);
	}
}

size_t ctl_subscribers(const struct ctl_server *s)
{
	size_t n = 0;
	for (const struct ctl_client *c = s->clients; c; c = c->next)
		n += c->subscribed;
	return n;
}

/* lbprobe.c: the health probes of the emulated Standard load balancers
 * (R-E4). Every intervalInSeconds each backend gets a TCP connection from
 * 168.63.129.16 (the fabric's address for it) to the probe's port; after
 * numberOfProbes failures in a row (refused, or no answer within the
 * interval) it is down and gets no new flows, one success puts it back. The
 * supervisor asks after each tick and rewrites the fabric's load-balancer
 * rules (azlab_fabric_lb) when a backend went up or down.
 *
 * Sockets: made in the fabric's namespace (setns around socket(), as the
 * Route Servers' listeners), non-blocking; a probe is read at the next
 * tick, so the single-threaded supervisor never waits for one. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "azlab/live.h"

struct backend_probe {
	int fd;           /* the probe in flight, -1 */
	uint64_t started; /* when it was sent (ms, the supervisor's loop time) */
	uint64_t due;     /* when the next one goes */
	unsigned fails;   /* failures in a row */
};

struct azlab_lbprobe {
	const struct azlab_topo *t;
	int home, fabric;          /* namespace fds */
	bool **up;                 /* [lb][backend] */
	struct backend_probe **bp; /* [lb][backend] */
	const struct azlab_lb_probe **probe; /* [lb]: the probe of its first rule that has one */
};

static const struct azlab_lb_probe *lb_probe(const struct azlab_load_balancer *lb)
{
	for (size_t r = 0; r < lb->n_rules; r++)
		if (lb->rules[r].probe >= 0 && (size_t)lb->rules[r].probe < lb->n_probes)
			return &lb->probes[lb->rules[r].probe];
	return NULL;
}

struct azlab_lbprobe *azlab_lbprobe_new(const struct azlab_topo *t, const char *fabric_ns,
					char *err, size_t cap)
{
	struct azlab_lbprobe *p = calloc(1, sizeof *p);
	if (!p) {
		azlab_sfmt(err, cap, "out of memory");
		return NULL;
	}
	size_t n = t->n_lbs + 1;
	p->t = t;
	p->home = p->fabric = -1;
	if (!(p->up = calloc(n, sizeof *p->up)) || !(p->bp = calloc(n, sizeof *p->bp)) ||
	    !(p->probe = calloc(n, sizeof *p->probe))) {
		azlab_sfmt(err, cap, "out of memory");
		azlab_lbprobe_free(p);
		return NULL;
	}
	for (size_t i = 0; i < t->n_lbs; i++) {
		size_t nb = t->lbs[i].n_backends + 1;
		p->up[i] = calloc(nb, sizeof **p->up);
		p->bp[i] = calloc(nb, sizeof **p->bp);
		if (!p->up[i] || !p->bp[i]) {
			azlab_sfmt(err, cap, "out of memory");
			azlab_lbprobe_free(p);
			return NULL;
		}
		p->probe[i] = lb_probe(&t->lbs[i]);
		for (size_t k = 0; k < t->lbs[i].n_backends; k++) {
			p->up[i][k] = true; /* until its probe says otherwise */
			p->bp[i][k].fd = -1;
		}
	}
	char path[300];
	azlab_sfmt(path, sizeof path, "/run/netns/%s", fabric_ns);
	p->home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	p->fabric = open(path, O_RDONLY | O_CLOEXEC);
	if (p->home < 0 || p->fabric < 0) {
		azlab_sfmt(err, cap, "health probes: cannot open the namespaces (%s): %s", path,
			   strerror(errno));
		azlab_lbprobe_free(p);
		return NULL;
	}
	return p;
}

void azlab_lbprobe_free(struct azlab_lbprobe *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->t->n_lbs; i++) {
		for (size_t k = 0; p->bp && p->bp[i] && k < p->t->lbs[i].n_backends; k++)
			if (p->bp[i][k].fd >= 0)
				close(p->bp[i][k].fd);
		if (p->up)
			free(p->up[i]);
		if (p->bp)
			free(p->bp[i]);
	}
	free(p->up);
	free(p->bp);
	free(p->probe);
	if (p->home >= 0)
		close(p->home);
	if (p->fabric >= 0)
		close(p->fabric);
	free(p);
}

/* A non-blocking TCP connection from 168.63.129.16 to ip:port, made in the
 * fabric's namespace; -1 when it could not even start (a failure too). */
static int probe_start(struct azlab_lbprobe *p, uint32_t ip, uint32_t port)
{
	if (setns(p->fabric, CLONE_NEWNET) < 0)
		return -1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (setns(p->home, CLONE_NEWNET) < 0) {
		fprintf(stderr, "azlab: health probes: cannot return to azlab's namespace: %s\n",
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (fd < 0)
		return -1;
	struct sockaddr_in src = { .sin_family = AF_INET }, dst = { .sin_family = AF_INET };
	inet_pton(AF_INET, AZLAB_PROBE_SRC, &src.sin_addr);
	dst.sin_addr.s_addr = htonl(ip);
	dst.sin_port = htons((uint16_t)port);
	if (bind(fd, (struct sockaddr *)&src, sizeof src) < 0 ||
	    (connect(fd, (struct sockaddr *)&dst, sizeof dst) < 0 && errno != EINPROGRESS)) {
		close(fd);
		return -1;
	}
	return fd;
}

/* 1 the probe succeeded, 0 it failed, -1 no answer yet. */
static int probe_result(int fd)
{
	struct pollfd pf = { .fd = fd, .events = POLLOUT };
	if (poll(&pf, 1, 0) <= 0)
		return -1;
	int e = 0;
	socklen_t len = sizeof e;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		return 0;
	return e == 0 && (pf.revents & POLLOUT) ? 1 : 0;
}

/* Applies one probe's outcome; true when the backend went up or down. */
static bool outcome(struct azlab_lbprobe *p, size_t i, size_t k, bool ok, const char *why)
{
	const struct azlab_load_balancer *lb = &p->t->lbs[i];
	const struct azlab_lb_probe *pr = p->probe[i];
	struct backend_probe *b = &p->bp[i][k];
	const char *vm = p->t->vms[lb->backend_vms[k]].name;
	b->fails = ok ? 0 : b->fails + 1;
	if (ok && !p->up[i][k]) {
		p->up[i][k] = true;
		fprintf(stderr, "azlab: load balancer %s: backend %s is up (probe %s answered on port %u) (R-E4)\n",
			lb->name, vm, pr->name, pr->port);
		return true;
	}
	if (!ok && p->up[i][k] && b->fails >= pr->number_of_probes) {
		p->up[i][k] = false;
		fprintf(stderr, "azlab: load balancer %s: backend %s is down: probe %s from %s to port %u %s %u time%s in a row; no new flows go to it (R-E4)\n",
			lb->name, vm, pr->name, AZLAB_PROBE_SRC, pr->port, why, b->fails,
			b->fails == 1 ? "" : "s");
		return true;
	}
	return false;
}

bool azlab_lbprobe_tick(struct azlab_lbprobe *p, uint64_t now)
{
	bool changed = false;
	for (size_t i = 0; i < p->t->n_lbs; i++) {
		const struct azlab_lb_probe *pr = p->probe[i];
		const struct azlab_load_balancer *lb = &p->t->lbs[i];
		if (!pr)
			continue;
		uint64_t interval = (uint64_t)pr->interval_s * 1000;
		for (size_t k = 0; k < lb->n_backends; k++) {
			struct backend_probe *b = &p->bp[i][k];
			if (lb->backend_vms[k] < 0)
				continue;
			if (b->fd >= 0) {
				int r = probe_result(b->fd);
				if (r < 0 && now - b->started < interval)
					continue; /* still waiting */
				close(b->fd);
				b->fd = -1;
				changed |= outcome(p, i, k, r == 1,
						   r < 0 ? "got no answer" : "was refused");
			}
			if (now < b->due)
				continue;
			b->due = now + interval;
			b->started = now;
			b->fd = probe_start(p, p->t->vms[lb->backend_vms[k]].ip, pr->port);
			if (b->fd < 0)
				changed |= outcome(p, i, k, false, "could not be sent");
		}
	}
	return changed;
}

bool *const *azlab_lbprobe_up(const struct azlab_lbprobe *p)
{
	return p->up;
}

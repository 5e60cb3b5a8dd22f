/* nlmon.c: counts the IPv4 routes a daemon puts into the kernel, from the
 * route notifications of the network namespace it runs in (RTNLGRP_IPV4_ROUTE),
 * for bench/bench.sh. Every unicast route of table T (default: main) whose
 * protocol is not "kernel" is counted once per prefix: an add of a prefix
 * already held (a replace) does not count again, a delete removes it.
 *
 * Events as JSON lines on standard output, each with a CLOCK_MONOTONIC time
 * stamp "t" (the clock bgpblast uses): ready, first (the first route), target
 * (the count reached --target), progress (every second while routes come),
 * quiet (nothing for --quiet-ms since the last change, with the first and
 * last change and the count), overflow (the socket dropped notifications:
 * the count is then a lower bound), end (on SIGTERM). */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "pset.h"

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct mon {
	struct pset set;
	uint32_t table;
	size_t target;
	bool target_hit;
	double first, last;
	unsigned long adds, dels, changes_phase;
	unsigned long overflows;
};

struct rt_attrs {
	const struct nlattr *dst, *table;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct rt_attrs *r = data;
	switch (mnl_attr_get_type(a)) {
	case RTA_DST:
		r->dst = a;
		break;
	case RTA_TABLE:
		r->table = a;
		break;
	}
	return MNL_CB_OK;
}

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct mon *m = data;
	if (nlh->nlmsg_type != RTM_NEWROUTE && nlh->nlmsg_type != RTM_DELROUTE)
		return MNL_CB_OK;
	const struct rtmsg *rt = mnl_nlmsg_get_payload(nlh);
	if (rt->rtm_family != AF_INET || rt->rtm_protocol == RTPROT_KERNEL ||
	    rt->rtm_type != RTN_UNICAST)
		return MNL_CB_OK;
	struct rt_attrs ra = { 0 };
	mnl_attr_parse(nlh, sizeof(*rt), attr_cb, &ra);
	uint32_t table = ra.table ? mnl_attr_get_u32(ra.table) : rt->rtm_table;
	if (table != m->table)
		return MNL_CB_OK;
	struct prefix p = { .family = AF_INET, .len = rt->rtm_dst_len };
	if (ra.dst && mnl_attr_get_payload_len(ra.dst) == 4)
		memcpy(p.a, mnl_attr_get_payload(ra.dst), 4);
	uint64_t k = pkey(&p);
	double t = now();
	bool changed;
	if (nlh->nlmsg_type == RTM_NEWROUTE) {
		changed = pset_add(&m->set, k);
		m->adds += changed;
	} else {
		changed = pset_del(&m->set, k);
		m->dels += changed;
	}
	if (!changed)
		return MNL_CB_OK;
	if (!m->first) {
		m->first = t;
		printf("{\"ev\":\"first\",\"t\":%.6f}\n", t);
		fflush(stdout);
	}
	m->last = t;
	m->changes_phase++;
	if (!m->target_hit && m->target && m->set.n >= m->target) {
		m->target_hit = true;
		printf("{\"ev\":\"target\",\"t\":%.6f,\"count\":%zu}\n", t, m->set.n);
		fflush(stdout);
	}
	return MNL_CB_OK;
}

int main(int argc, char **argv)
{
	struct mon m = { .table = RT_TABLE_MAIN };
	unsigned quiet_ms = 2000;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--target") == 0)
			m.target = strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--table") == 0)
			m.table = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		else if (strcmp(argv[i], "--quiet-ms") == 0)
			quiet_ms = (unsigned)strtoul(argv[i + 1], NULL, 10);
		else {
			fprintf(stderr, "usage: nlmon [--target N] [--table T] [--quiet-ms MS]\n");
			return 2;
		}
	}
	if (argc % 2 == 0) {
		fprintf(stderr, "usage: nlmon [--target N] [--table T] [--quiet-ms MS]\n");
		return 2;
	}
	pset_init(&m.set, m.target ? m.target : 1u << 16);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl || mnl_socket_bind(nl, RTMGRP_IPV4_ROUTE, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlmon: netlink");
		return 1;
	}
	int fd = mnl_socket_get_fd(nl);
	int rcv = 512 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv)) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("{\"ev\":\"ready\",\"t\":%.6f}\n", now());
	fflush(stdout);
	static char buf[1 << 20];
	double last_progress = 0;
	size_t progress_n = 0;
	while (!g_stop) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int r = poll(&pf, 1, 100);
		double t = now();
		if (r > 0) {
			ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n < 0) {
				if (errno == ENOBUFS) {
					m.overflows++;
					printf("{\"ev\":\"overflow\",\"t\":%.6f,\"count\":%zu}\n", t, m.set.n);
					fflush(stdout);
				} else if (errno != EINTR && errno != EAGAIN) {
					perror("nlmon: recv");
					return 1;
				}
			} else {
				mnl_cb_run(buf, (size_t)n, 0, 0, msg_cb, &m);
			}
		}
		if (m.changes_phase && t - m.last >= quiet_ms / 1000.0) {
			printf("{\"ev\":\"quiet\",\"t\":%.6f,\"first\":%.6f,\"last\":%.6f,\"count\":%zu,"
			       "\"adds\":%lu,\"dels\":%lu,\"overflows\":%lu}\n",
			       t, m.first, m.last, m.set.n, m.adds, m.dels, m.overflows);
			fflush(stdout);
			m.changes_phase = 0;
		}
		if (m.set.n != progress_n && t - last_progress >= 1) {
			last_progress = t;
			progress_n = m.set.n;
			printf("{\"ev\":\"progress\",\"t\":%.6f,\"count\":%zu}\n", t, m.set.n);
			fflush(stdout);
		}
	}
	printf("{\"ev\":\"end\",\"t\":%.6f,\"count\":%zu,\"adds\":%lu,\"dels\":%lu,\"overflows\":%lu}\n",
	       now(), m.set.n, m.adds, m.dels, m.overflows);
	mnl_socket_close(nl);
	return 0;
}

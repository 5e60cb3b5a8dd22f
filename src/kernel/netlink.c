/* netlink.c: rtnetlink dumps and events for routes and addresses, parsed with
 * libmnl's attribute walkers (a well-kept library for a solved problem). */
#include "netlink.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

struct kernel {
	struct loop *loop;
	const struct logger *log;
	struct kernel_cb cb;
	struct mnl_socket *events;
	struct loop_fd lfd;
};

#define NL_BUF 32768

/* Attributes by type, up to a message kind's maximum. */
struct attrs {
	const struct nlattr **tb;
	int max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	int type = mnl_attr_get_type(a);
	if (type <= at->max)
		at->tb[type] = a;
	return MNL_CB_OK;
}

static bool copy_addr(const struct nlattr *a, uint8_t family, uint8_t *out)
{
	size_t want = family == AF_INET ? 4 : 16;
	if (!a || mnl_attr_get_payload_len(a) < want)
		return false;
	memcpy(out, mnl_attr_get_payload(a), want);
	return true;
}

static void on_route(struct kernel *k, const struct nlmsghdr *nlh)
{
	const struct rtmsg *rm = mnl_nlmsg_get_payload(nlh);
	if (rm->rtm_family != AF_INET && rm->rtm_family != AF_INET6)
		return;
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct attrs at = { tb, RTA_MAX };
	if (mnl_attr_parse(nlh, sizeof(*rm), attr_cb, &at) < 0)
		return;
	struct kernel_route r = { .protocol = rm->rtm_protocol, .type = rm->rtm_type,
				  .table = rm->rtm_table };
	r.dst.family = rm->rtm_family;
	r.dst.len = rm->rtm_dst_len;
	if (r.dst.len > prefix_family_bits(r.dst.family))
		return;
	if (tb[RTA_DST] && !copy_addr(tb[RTA_DST], rm->rtm_family, r.dst.a))
		return;
	prefix_mask(&r.dst);
	if (tb[RTA_TABLE] && mnl_attr_get_payload_len(tb[RTA_TABLE]) >= 4)
		r.table = mnl_attr_get_u32(tb[RTA_TABLE]);
	if (tb[RTA_PRIORITY] && mnl_attr_get_payload_len(tb[RTA_PRIORITY]) >= 4)
		r.metric = mnl_attr_get_u32(tb[RTA_PRIORITY]);
	if (tb[RTA_OIF] && mnl_attr_get_payload_len(tb[RTA_OIF]) >= 4)
		r.ifindex = (int)mnl_attr_get_u32(tb[RTA_OIF]);
	if (copy_addr(tb[RTA_GATEWAY], rm->rtm_family, r.gateway.a))
		r.gateway.family = rm->rtm_family;
	k->cb.route(k->cb.ctx, nlh->nlmsg_type == RTM_NEWROUTE, &r);
}

static void on_addr(struct kernel *k, const struct nlmsghdr *nlh)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	if (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6)
		return;
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	struct attrs at = { tb, IFA_MAX };
	if (mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, &at) < 0)
		return;
	struct kernel_addr a = { .ifindex = (int)ifa->ifa_index, .scope = ifa->ifa_scope,
				 .flags = ifa->ifa_flags };
	const struct nlattr *src = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	if (!copy_addr(src, ifa->ifa_family, a.addr.a))
		return;
	a.addr.family = ifa->ifa_family;
	if (ifa->ifa_prefixlen > prefix_family_bits(ifa->ifa_family))
		return;
	a.subnet.family = ifa->ifa_family;
	a.subnet.len = ifa->ifa_prefixlen;
	memcpy(a.subnet.a, a.addr.a, sizeof(a.subnet.a));
	prefix_mask(&a.subnet);
	k->cb.addr(k->cb.ctx, nlh->nlmsg_type == RTM_NEWADDR, &a);
}

static int msg_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kernel *k = data;
	switch (nlh->nlmsg_type) {
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
		on_route(k, nlh);
		break;
	case RTM_NEWADDR:
	case RTM_DELADDR:
		on_addr(k, nlh);
		break;
	}
	return MNL_CB_OK;
}

/* A dump on a socket of its own, read to the end. */
static bool dump(struct kernel *k, uint16_t type, uint8_t family)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl)
		return false;
	bool ok = false;
	char buf[NL_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	if (type == RTM_GETROUTE) {
		struct rtmsg *rm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rm));
		rm->rtm_family = family;
	} else {
		struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
		ifa->ifa_family = family;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		goto out;
	unsigned portid = mnl_socket_get_portid(nl);
	uint32_t seq = nlh->nlmsg_seq;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n <= 0)
			goto out;
		int rc = mnl_cb_run(buf, (size_t)n, seq, portid, msg_cb, k);
		if (rc == MNL_CB_STOP)
			break;
		if (rc < 0)
			goto out;
	}
	ok = true;
out:
	mnl_socket_close(nl);
	return ok;
}

static void on_events(struct loop_fd *f, uint32_t events)
{
	struct kernel *k = f->ctx;
	(void)events;
	char buf[NL_BUF];
	for (;;) {
		ssize_t n = recv(mnl_socket_get_fd(k->events), buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			if (errno == ENOBUFS) {
				/* Events were lost: read the whole state again. */
				log_warn(k->log, "netlink: events lost; reading the kernel's state again");
				dump(k, RTM_GETADDR, AF_UNSPEC);
				dump(k, RTM_GETROUTE, AF_UNSPEC);
				continue;
			}
			return;
		}
		if (n == 0)
			return;
		mnl_cb_run(buf, (size_t)n, 0, 0, msg_cb, k);
	}
}

struct kernel *kernel_open(struct loop *loop, const struct logger *log, const struct kernel_cb *cb)
{
	struct kernel *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->loop = loop;
	k->log = log;
	k->cb = *cb;
	k->events = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	unsigned groups = RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_IPV4_IFADDR |
			  RTMGRP_IPV6_IFADDR;
	if (!k->events || mnl_socket_bind(k->events, groups, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		if (k->events)
			mnl_socket_close(k->events);
		free(k);
		errno = e;
		return NULL;
	}
	k->lfd = (struct loop_fd){ .fd = mnl_socket_get_fd(k->events), .events = EPOLLIN,
				   .cb = on_events, .ctx = k };
	loop_fd_add(loop, &k->lfd);
	if (!dump(k, RTM_GETADDR, AF_UNSPEC) || !dump(k, RTM_GETROUTE, AF_UNSPEC))
		log_warn(log, "netlink: the initial dump failed: %s", strerror(errno));
	return k;
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	loop_fd_del(k->loop, &k->lfd);
	mnl_socket_close(k->events);
	free(k);
}

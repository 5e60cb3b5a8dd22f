/* netlink.c: rtnetlink dumps and events for links, routes and addresses,
 * parsed with libmnl's attribute walkers (a well-kept library for a solved
 * problem). It keeps what it reported (addresses, and the routes that are
 * not nvad's) so that an interface going down or up, or a resync after lost
 * events, can be told to the caller as the changes they amount to. */
#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/filter.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "lib/hash.h"

/* An address or a route as reported: shown while its interface is usable. */
struct kentry {
	uint64_t h;
	uint32_t gen;   /* the dump generation that last saw it */
	int ifindex;
	bool shown;
};

struct kaddr {
	struct kentry e; /* first */
	struct kernel_addr a;
};

struct kroute {
	struct kentry e; /* first */
	struct kernel_route r;
};

struct klink {
	struct kernel_link l;
	uint32_t gen;
};

struct kernel {
	struct loop *loop;
	const struct logger *log;
	struct kernel_cb cb;
	struct mnl_socket *events;
	struct loop_fd lfd;
	struct hset addrs;   /* struct kaddr */
	struct hset routes;  /* struct kroute, not nvad's */
	struct klink *links;
	size_t n_links, cap_links;
	uint32_t gen;        /* the current dump generation */
};

#define NL_BUF 32768
#define EVENT_RCVBUF (8 << 20) /* room for bursts of events before ENOBUFS */

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

/* ---------- what was reported ---------- */

static struct klink *link_find(struct kernel *k, int ifindex)
{
	for (size_t i = 0; i < k->n_links; i++)
		if (k->links[i].l.ifindex == ifindex)
			return &k->links[i];
	return NULL;
}

static bool link_usable(const struct klink *l)
{
	return !l || (l->l.admin_up && l->l.running && !l->l.removed);
}

static bool usable(struct kernel *k, int ifindex)
{
	return ifindex <= 0 || link_usable(link_find(k, ifindex));
}

/* Addresses are known by family, address, prefix length and interface. */
struct addr_key {
	uint8_t family, len;
	int ifindex;
	uint8_t a[16];
};

static struct addr_key addr_key_of(const struct kernel_addr *a)
{
	struct addr_key key;
	memset(&key, 0, sizeof(key));
	key.family = a->addr.family;
	key.len = a->subnet.len;
	key.ifindex = a->ifindex;
	memcpy(key.a, a->addr.a, sizeof(key.a));
	return key;
}

static uint64_t kentry_hash(const void *e)
{
	return ((const struct kentry *)e)->h;
}

static bool kaddr_eq(const void *e, const void *key)
{
	struct addr_key k = addr_key_of(&((const struct kaddr *)e)->a);
	return memcmp(&k, key, sizeof(k)) == 0;
}

/* Routes as the kernel knows them: family, table, destination and metric
 * (a route added again with these replaces the one there). */
struct route_key {
	uint8_t family, len;
	uint32_t table, metric;
	uint8_t a[16];
};

static struct route_key route_key_of(const struct kernel_route *r)
{
	struct route_key key;
	memset(&key, 0, sizeof(key));
	key.family = r->dst.family;
	key.len = r->dst.len;
	key.table = r->table;
	key.metric = r->metric;
	memcpy(key.a, r->dst.a, sizeof(key.a));
	return key;
}

static bool kroute_eq(const void *e, const void *key)
{
	struct route_key k = route_key_of(&((const struct kroute *)e)->r);
	return memcmp(&k, key, sizeof(k)) == 0;
}

static bool route_same(const struct kernel_route *a, const struct kernel_route *b)
{
	return a->protocol == b->protocol && a->type == b->type && a->ifindex == b->ifindex &&
	       a->gateway.family == b->gateway.family &&
	       memcmp(a->gateway.a, b->gateway.a, sizeof(a->gateway.a)) == 0;
}

static void addr_event(struct kernel *k, bool add, const struct kernel_addr *a)
{
	struct addr_key key = addr_key_of(a);
	uint64_t h = hash_bytes(&key, sizeof(key), 0);
	struct kaddr *e = hset_find(&k->addrs, h, kaddr_eq, &key);
	if (!add) {
		if (!e)
			return;
		if (e->e.shown)
			k->cb.addr(k->cb.ctx, false, &e->a);
		hset_remove(&k->addrs, e, h);
		free(e);
		return;
	}
	if (e) {
		e->e.gen = k->gen;
		e->a.flags = a->flags; /* the subnet is the key's: nothing else to tell */
		e->a.scope = a->scope;
		return;
	}
	e = calloc(1, sizeof(*e));
	if (!e || !hset_insert(&k->addrs, e, h)) {
		free(e);
		log_err(k->log, "netlink: out of memory: an address is not followed");
		return;
	}
	*e = (struct kaddr){ .e = { .h = h, .gen = k->gen, .ifindex = a->ifindex,
				    .shown = usable(k, a->ifindex) },
			     .a = *a };
	if (e->e.shown)
		k->cb.addr(k->cb.ctx, true, &e->a);
}

static void route_event(struct kernel *k, bool add, const struct kernel_route *r)
{
	struct route_key key = route_key_of(r);
	uint64_t h = hash_bytes(&key, sizeof(key), 0);
	struct kroute *e = hset_find(&k->routes, h, kroute_eq, &key);
	if (!add) {
		if (!e)
			return;
		if (e->e.shown)
			k->cb.route(k->cb.ctx, false, &e->r);
		hset_remove(&k->routes, e, h);
		free(e);
		return;
	}
	if (e) {
		e->e.gen = k->gen;
		if (route_same(&e->r, r))
			return;
		/* Replaced: the old one goes, the new one comes. */
		if (e->e.shown)
			k->cb.route(k->cb.ctx, false, &e->r);
		e->r = *r;
	} else {
		e = calloc(1, sizeof(*e));
		if (!e || !hset_insert(&k->routes, e, h)) {
			free(e);
			log_err(k->log, "netlink: out of memory: a route is not followed");
			return;
		}
		*e = (struct kroute){ .e = { .h = h, .gen = k->gen }, .r = *r };
	}
	e->e.ifindex = r->ifindex;
	e->e.shown = usable(k, r->ifindex);
	if (e->e.shown)
		k->cb.route(k->cb.ctx, true, &e->r);
}

/* The entries of a set on an interface (ifindex > 0), or not seen by the
 * current dump (ifindex 0), in an array of their own: the set must not change
 * while it is walked. NULL with *n 0 when there are none (or no memory). */
static struct kentry **collect(struct kernel *k, struct hset *set, int ifindex, size_t *n)
{
	*n = 0;
	struct kentry **v = malloc((hset_count(set) + 1) * sizeof(*v));
	if (!v)
		return NULL;
	size_t pos = 0;
	struct kentry *e;
	while ((e = hset_next(set, &pos)))
		if (ifindex > 0 ? e->ifindex == ifindex : e->gen != k->gen)
			v[(*n)++] = e;
	return v;
}

/* Reports the addresses and routes of an interface removed (show false) or
 * added again (show true). */
static void link_show(struct kernel *k, int ifindex, bool show)
{
	size_t n;
	struct kentry **v = collect(k, &k->addrs, ifindex, &n);
	for (size_t i = 0; i < n; i++) {
		struct kaddr *a = (struct kaddr *)v[i];
		if (a->e.shown != show) {
			a->e.shown = show;
			k->cb.addr(k->cb.ctx, show, &a->a);
		}
	}
	free(v);
	v = collect(k, &k->routes, ifindex, &n);
	for (size_t i = 0; i < n; i++) {
		struct kroute *r = (struct kroute *)v[i];
		if (r->e.shown != show) {
			r->e.shown = show;
			k->cb.route(k->cb.ctx, show, &r->r);
		}
	}
	free(v);
}

/* Forgets the entries of a set on an interface (reported removed already). */
static void link_forget(struct kernel *k, struct hset *set, int ifindex)
{
	size_t n;
	struct kentry **v = collect(k, set, ifindex, &n);
	for (size_t i = 0; i < n; i++) {
		hset_remove(set, v[i], v[i]->h);
		free(v[i]);
	}
	free(v);
}

static void link_event(struct kernel *k, const struct kernel_link *l)
{
	struct klink *e = link_find(k, l->ifindex);
	bool was = link_usable(e), known = e != NULL;
	if (!e && !l->removed) {
		if (k->n_links == k->cap_links) {
			size_t cap = k->cap_links ? 2 * k->cap_links : 16;
			struct klink *v = realloc(k->links, cap * sizeof(*v));
			if (!v) {
				log_err(k->log, "netlink: out of memory: interface %s not followed", l->name);
				return;
			}
			k->links = v;
			k->cap_links = cap;
		}
		e = &k->links[k->n_links++];
	}
	if (l->removed) {
		if (e) {
			link_show(k, l->ifindex, false);
			link_forget(k, &k->addrs, l->ifindex);
			link_forget(k, &k->routes, l->ifindex);
		}
		if (k->cb.link)
			k->cb.link(k->cb.ctx, l);
		if (e)
			*e = k->links[--k->n_links];
		return;
	}
	e->l = *l;
	e->gen = k->gen;
	bool now = link_usable(e);
	if (was && !now) {
		log_info(k->log, "netlink: interface %s (%d) down%s", l->name, l->ifindex,
			 l->admin_up ? " (no carrier)" : "");
		/* Set down, the kernel drops its IPv4 routes silently (IPv6 ones
		 * with events, which then find nothing); without carrier it keeps
		 * them, unusable, until the carrier returns. */
		link_show(k, l->ifindex, false);
		if (!l->admin_up)
			link_forget(k, &k->routes, l->ifindex);
	}
	if (k->cb.link && (!known || was != now))
		k->cb.link(k->cb.ctx, l);
	if (!was && now) {
		if (known)
			log_info(k->log, "netlink: interface %s (%d) up", l->name, l->ifindex);
		link_show(k, l->ifindex, true);
	}
}

/* After lost events: everything read again; what was not seen this time is
 * gone. */
static bool dump(struct kernel *k, uint16_t type, uint8_t family);

void kernel_resync(struct kernel *k)
{
	k->gen++;
	if (!dump(k, RTM_GETLINK, AF_UNSPEC) || !dump(k, RTM_GETADDR, AF_UNSPEC) ||
	    !dump(k, RTM_GETROUTE, AF_UNSPEC)) {
		log_warn(k->log, "netlink: reading the state again failed: %s", strerror(errno));
		return;
	}
	for (size_t i = 0; i < k->n_links;) {
		if (k->links[i].gen == k->gen) {
			i++;
			continue;
		}
		struct kernel_link gone = k->links[i].l;
		gone.removed = true;
		link_event(k, &gone); /* moves the last entry to i */
	}
	size_t n;
	struct kentry **v = collect(k, &k->addrs, 0, &n);
	for (size_t i = 0; i < n; i++) {
		struct kernel_addr gone = ((struct kaddr *)v[i])->a;
		addr_event(k, false, &gone);
	}
	free(v);
	v = collect(k, &k->routes, 0, &n);
	for (size_t i = 0; i < n; i++) {
		struct kernel_route gone = ((struct kroute *)v[i])->r;
		route_event(k, false, &gone);
	}
	free(v);
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
	if (r.protocol == KERNEL_RTPROT_NVAD)
		k->cb.route(k->cb.ctx, nlh->nlmsg_type == RTM_NEWROUTE, &r);
	else
		route_event(k, nlh->nlmsg_type == RTM_NEWROUTE, &r);
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
	addr_event(k, nlh->nlmsg_type == RTM_NEWADDR, &a);
}

static void on_link(struct kernel *k, const struct nlmsghdr *nlh)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct attrs at = { tb, IFLA_MAX };
	if (ifi->ifi_index <= 0 || mnl_attr_parse(nlh, sizeof(*ifi), attr_cb, &at) < 0)
		return;
	struct kernel_link l = { .ifindex = ifi->ifi_index,
				 .admin_up = (ifi->ifi_flags & IFF_UP) != 0,
				 /* The carrier as the driver reports it: IFF_RUNNING
				  * follows it only after the kernel's link watch
				  * (up to a second later), while traffic already flows. */
				 .running = (ifi->ifi_flags & IFF_LOWER_UP) != 0,
				 .removed = nlh->nlmsg_type == RTM_DELLINK };
	if (tb[IFLA_IFNAME] && mnl_attr_validate(tb[IFLA_IFNAME], MNL_TYPE_STRING) == 0)
		snprintf(l.name, sizeof(l.name), "%s", mnl_attr_get_str(tb[IFLA_IFNAME]));
	link_event(k, &l);
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
	case RTM_NEWLINK:
	case RTM_DELLINK:
		on_link(k, nlh);
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
	} else if (type == RTM_GETLINK) {
		struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
		ifi->ifi_family = family;
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
				kernel_resync(k);
				continue;
			}
			return;
		}
		if (n == 0)
			return;
		mnl_cb_run(buf, (size_t)n, 0, 0, msg_cb, k);
	}
}

/* The events of nvad's own routes are of no use here (the FIB knows what it
 * wrote) and, a full table of them, would overflow the socket and force a
 * resync after every burst of writes. A socket filter drops them in the
 * kernel: a notification is one message per packet, so the filter sees its
 * header (nlmsg_type at offset 4, in host order, which a BPF half-word load
 * reads as htons would give it) and the rtmsg after it (rtm_protocol at 21). */
static void quiet_own_routes(struct kernel *k)
{
	int fd = mnl_socket_get_fd(k->events);
	int sz = EVENT_RCVBUF;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, offsetof(struct nlmsghdr, nlmsg_type)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_NEWROUTE), 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htons(RTM_DELROUTE), 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, NLMSG_HDRLEN + offsetof(struct rtmsg, rtm_protocol)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, KERNEL_RTPROT_NVAD, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) < 0)
		log_warn(k->log, "netlink: no filter for nvad's own route events: %s", strerror(errno));
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
	hset_init(&k->addrs, kentry_hash);
	hset_init(&k->routes, kentry_hash);
	unsigned groups = RTMGRP_LINK | RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE | RTMGRP_IPV4_IFADDR |
			  RTMGRP_IPV6_IFADDR;
	if (!k->events || mnl_socket_bind(k->events, groups, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		if (k->events)
			mnl_socket_close(k->events);
		free(k);
		errno = e;
		return NULL;
	}
	quiet_own_routes(k);
	k->lfd = (struct loop_fd){ .fd = mnl_socket_get_fd(k->events), .events = EPOLLIN,
				   .cb = on_events, .ctx = k };
	loop_fd_add(loop, &k->lfd);
	if (!dump(k, RTM_GETLINK, AF_UNSPEC) || !dump(k, RTM_GETADDR, AF_UNSPEC) ||
	    !dump(k, RTM_GETROUTE, AF_UNSPEC))
		log_warn(log, "netlink: the initial dump failed: %s", strerror(errno));
	return k;
}

static void free_all(struct hset *set)
{
	size_t pos = 0;
	void *e;
	while ((e = hset_next(set, &pos)))
		free(e);
	hset_destroy(set);
}

void kernel_close(struct kernel *k)
{
	if (!k)
		return;
	loop_fd_del(k->loop, &k->lfd);
	mnl_socket_close(k->events);
	free_all(&k->addrs);
	free_all(&k->routes);
	free(k->links);
	free(k);
}

const struct kernel_link *kernel_link_get(const struct kernel *k, int ifindex)
{
	for (size_t i = 0; k && i < k->n_links; i++)
		if (k->links[i].l.ifindex == ifindex)
			return &k->links[i].l;
	return NULL;
}

/* link.c: VXLAN interfaces made, read back, changed and removed through
 * rtnetlink (RTM_NEWLINK/GETLINK/DELLINK, RTM_NEWADDR/GETADDR/DELADDR) with
 * libmnl, one request at a time on a socket of the call's own. */
#include "link.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NL_BUF 32768   /* one receive: what libmnl suggests, at most */
#define REQ_BUF 1024   /* one request: a link with its VXLAN attributes fits */
#define VXLAN_HEADROOM4 50 /* outer Ethernet (14) + IPv4 (20) + UDP (8) + VXLAN (8) */
#define VXLAN_HEADROOM6 70 /* same with IPv6 (40) */
#define LINK_MIN_MTU 68

/* ---------- lists of strings ---------- */

void kernel_names_free(struct kernel_names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void kernel_link_result_free(struct kernel_link_result *r)
{
	if (!r)
		return;
	kernel_names_free(&r->managed);
	kernel_names_free(&r->errors);
}

static bool names_add(struct kernel_names *l, const char *s)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return false;
	l->v = v;
	v[l->n] = strdup(s);
	if (!v[l->n])
		return false;
	l->n++;
	return true;
}

static bool conf_vxlan_in(const struct conf_vxlan *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return true;
	return false;
}

static bool names_has(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] && strcmp(v[i], s) == 0)
			return true;
	return false;
}

/* ---------- one request, its answer ---------- */

struct nl {
	struct mnl_socket *sock;
	unsigned portid;
	uint32_t seq;
	char why[256]; /* the last failure: strerror, and the kernel's own words */
};

static bool nl_open(struct nl *nl)
{
	int one = 1;
	memset(nl, 0, sizeof(*nl));
	nl->sock = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sock)
		return false;
	/* The kernel's message with an error, and errors without our request. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;
		mnl_socket_close(nl->sock);
		errno = e;
		return false;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	return true;
}

static void nl_close(struct nl *nl)
{
	if (nl->sock)
		mnl_socket_close(nl->sock);
	nl->sock = NULL;
}

static int ext_ack_cb(const struct nlattr *a, void *data)
{
	const char **msg = data;
	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		*msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

/* The error of an NLMSG_ERROR answer into nl->why; returns its errno (0 for
 * an acknowledgement). */
static int nl_error(struct nl *nl, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(struct nlmsgerr))) {
		snprintf(nl->why, sizeof(nl->why), "truncated netlink error");
		return EPROTO;
	}
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	if (e->error == 0)
		return 0;
	int err = -e->error;
	const char *msg = NULL;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		size_t off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
		if (mnl_nlmsg_size(off) <= nlh->nlmsg_len)
			mnl_attr_parse(nlh, (unsigned)off, ext_ack_cb, &msg);
	}
	snprintf(nl->why, sizeof(nl->why), "%s%s%s", strerror(err), msg ? ": " : "", msg ? msg : "");
	return err;
}

typedef void (*nl_msg_fn)(const struct nlmsghdr *nlh, void *data);

/* Sends req and reads its answer: every message goes to fn (may be NULL);
 * ends at the acknowledgement (requests get NLM_F_ACK) or at the end of a
 * dump. 0, or an errno with nl->why set. */
static int nl_talk(struct nl *nl, struct nlmsghdr *req, nl_msg_fn fn, void *data)
{
	char buf[NL_BUF];
	bool dump = (req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;

	req->nlmsg_flags |= NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK);
	req->nlmsg_seq = ++nl->seq;
	nl->why[0] = '\0';
	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0) {
		int e = errno;
		snprintf(nl->why, sizeof(nl->why), "netlink: %s", strerror(e));
		return e;
	}
	for (;;) {
		ssize_t got = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (got <= 0) {
			int e = got < 0 ? errno : EPROTO;
			snprintf(nl->why, sizeof(nl->why), "netlink: %s", strerror(e));
			return e;
		}
		int len = (int)got;
		for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_seq != nl->seq || (nlh->nlmsg_pid && nlh->nlmsg_pid != nl->portid))
				continue; /* not ours: an answer to an earlier request */
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return nl_error(nl, nlh);
			if (nlh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (fn)
				fn(nlh, data);
		}
	}
}

/* ---------- links: read ---------- */

struct link_info {
	int ifindex;
	unsigned flags;   /* IFF_* */
	uint32_t mtu;
	bool owned;       /* the alias is nvad's */
	bool vxlan;       /* kind "vxlan" */
	uint32_t vni;
	struct ipaddr remote, local; /* family 0 when absent */
	uint16_t port;    /* host order */
	uint32_t link;    /* underlay ifindex, 0 when none */
	char name[IFNAMSIZ];
};

struct attrs {
	const struct nlattr **tb;
	int max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	int type = mnl_attr_get_type(a);
	if (type >= 0 && type <= at->max)
		at->tb[type] = a;
	return MNL_CB_OK;
}

/* A string attribute, NUL or not, into out (truncated to cap). */
static void attr_str(const struct nlattr *a, char *out, size_t cap)
{
	size_t len = a ? mnl_attr_get_payload_len(a) : 0;
	if (len >= cap)
		len = cap - 1;
	if (len)
		memcpy(out, mnl_attr_get_payload(a), len);
	out[len] = '\0';
}

static uint32_t attr_u32(const struct nlattr *a)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : 0;
}

static void attr_ip(const struct nlattr *a, uint8_t family, struct ipaddr *out)
{
	size_t len = family == AF_INET ? 4 : 16;
	if (!a || mnl_attr_get_payload_len(a) < len)
		return;
	memset(out, 0, sizeof(*out));
	out->family = family;
	memcpy(out->a, mnl_attr_get_payload(a), len);
}

static void parse_vxlan(const struct nlattr *data, struct link_info *li)
{
	const struct nlattr *tb[IFLA_VXLAN_MAX + 1] = { 0 };
	struct attrs at = { tb, IFLA_VXLAN_MAX };
	if (mnl_attr_parse_nested(data, attr_cb, &at) < 0)
		return;
	li->vni = attr_u32(tb[IFLA_VXLAN_ID]);
	attr_ip(tb[IFLA_VXLAN_GROUP], AF_INET, &li->remote);
	attr_ip(tb[IFLA_VXLAN_GROUP6], AF_INET6, &li->remote);
	attr_ip(tb[IFLA_VXLAN_LOCAL], AF_INET, &li->local);
	attr_ip(tb[IFLA_VXLAN_LOCAL6], AF_INET6, &li->local);
	if (tb[IFLA_VXLAN_PORT] && mnl_attr_get_payload_len(tb[IFLA_VXLAN_PORT]) >= 2)
		li->port = ntohs(mnl_attr_get_u16(tb[IFLA_VXLAN_PORT]));
	li->link = attr_u32(tb[IFLA_VXLAN_LINK]);
}

static void parse_link(const struct nlmsghdr *nlh, struct link_info *li)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	struct attrs at = { tb, IFLA_MAX };
	char alias[64], kind[32];

	memset(li, 0, sizeof(*li));
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifi)) ||
	    mnl_attr_parse(nlh, sizeof(*ifi), attr_cb, &at) < 0)
		return;
	li->ifindex = ifi->ifi_index;
	li->flags = ifi->ifi_flags;
	li->mtu = attr_u32(tb[IFLA_MTU]);
	attr_str(tb[IFLA_IFNAME], li->name, sizeof(li->name));
	attr_str(tb[IFLA_IFALIAS], alias, sizeof(alias));
	li->owned = strcmp(alias, KERNEL_LINK_ALIAS) == 0;
	if (!tb[IFLA_LINKINFO])
		return;
	const struct nlattr *info[IFLA_INFO_MAX + 1] = { 0 };
	struct attrs ai = { info, IFLA_INFO_MAX };
	if (mnl_attr_parse_nested(tb[IFLA_LINKINFO], attr_cb, &ai) < 0)
		return;
	attr_str(info[IFLA_INFO_KIND], kind, sizeof(kind));
	li->vxlan = strcmp(kind, "vxlan") == 0;
	if (li->vxlan && info[IFLA_INFO_DATA])
		parse_vxlan(info[IFLA_INFO_DATA], li);
}

struct link_get_ctx {
	struct link_info *li;
	bool found;
};

static void link_get_cb(const struct nlmsghdr *nlh, void *data)
{
	struct link_get_ctx *g = data;
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return;
	parse_link(nlh, g->li);
	g->found = true;
}

/* 1 found, 0 no such interface, -1 error (nl->why). */
static int link_get(struct nl *nl, const char *name, struct link_info *li)
{
	char buf[REQ_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	struct link_get_ctx g = { li, false };
	int err = nl_talk(nl, nlh, link_get_cb, &g);
	if (err == ENODEV)
		return 0;
	if (err)
		return -1;
	return g.found ? 1 : 0;
}

/* ---------- links: change ---------- */

static int link_del(struct nl *nl, int ifindex)
{
	char buf[REQ_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_DELLINK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nl_talk(nl, nlh, NULL, NULL);
}

/* Up, and optionally the alias (mark) and the MTU (0: unchanged). */
static int link_set(struct nl *nl, int ifindex, bool mark, uint32_t mtu)
{
	char buf[REQ_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (mark)
		mnl_attr_put(nlh, IFLA_IFALIAS, strlen(KERNEL_LINK_ALIAS), KERNEL_LINK_ALIAS);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nl, nlh, NULL, NULL);
}

static void put_ip(struct nlmsghdr *nlh, uint16_t type4, uint16_t type6, const struct ipaddr *a)
{
	if (a->family == AF_INET)
		mnl_attr_put(nlh, type4, 4, a->a);
	else
		mnl_attr_put(nlh, type6, 16, a->a);
}

static int vxlan_create(struct nl *nl, const struct conf_vxlan *v, uint32_t link)
{
	char buf[REQ_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, v->name);
	if (v->mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, v->mtu);
	struct nlattr *info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
	struct nlattr *data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u32(nlh, IFLA_VXLAN_ID, v->vni);
	/* A unicast "group" is the default destination: the point-to-point
	 * remote (what `ip link add type vxlan remote` sends as well). */
	put_ip(nlh, IFLA_VXLAN_GROUP, IFLA_VXLAN_GROUP6, &v->remote);
	if (v->local.family)
		put_ip(nlh, IFLA_VXLAN_LOCAL, IFLA_VXLAN_LOCAL6, &v->local);
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(v->dstport));
	if (link)
		mnl_attr_put_u32(nlh, IFLA_VXLAN_LINK, link);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_talk(nl, nlh, NULL, NULL);
}

/* ---------- addresses ---------- */

struct addr_list {
	int ifindex;
	struct prefix v[64]; /* an address with its length, host part kept */
	size_t n;
	bool overflow;
};

static bool is_ipv6_link_local(const struct prefix *p)
{
	return p->family == AF_INET6 && p->a[0] == 0xfe && (p->a[1] & 0xc0) == 0x80;
}

static void addr_cb(const struct nlmsghdr *nlh, void *data)
{
	struct addr_list *l = data;
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)) ||
	    (int)ifa->ifa_index != l->ifindex ||
	    (ifa->ifa_family != AF_INET && ifa->ifa_family != AF_INET6))
		return;
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	struct attrs at = { tb, IFA_MAX };
	if (mnl_attr_parse(nlh, sizeof(*ifa), attr_cb, &at) < 0)
		return;
	struct ipaddr a = { 0 };
	attr_ip(tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS], ifa->ifa_family, &a);
	if (!a.family || ifa->ifa_prefixlen > prefix_family_bits(a.family))
		return;
	struct prefix p = { .family = a.family, .len = ifa->ifa_prefixlen };
	memcpy(p.a, a.a, sizeof(p.a));
	if (is_ipv6_link_local(&p))
		return; /* the kernel's own: not nvad's to manage */
	if (l->n == sizeof(l->v) / sizeof(l->v[0])) {
		l->overflow = true;
		return;
	}
	l->v[l->n++] = p;
}

static int addr_dump(struct nl *nl, int ifindex, struct addr_list *l)
{
	char buf[REQ_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_DUMP;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	l->ifindex = ifindex;
	l->n = 0;
	l->overflow = false;
	return nl_talk(nl, nlh, addr_cb, l);
}

static int addr_change(struct nl *nl, bool add, int ifindex, const struct prefix *p)
{
	char buf[REQ_BUF];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	if (add)
		nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = p->family;
	ifa->ifa_prefixlen = p->len;
	ifa->ifa_index = (unsigned)ifindex;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	/* A tunnel's two ends: no duplicate detection to wait for. */
	ifa->ifa_flags = p->family == AF_INET6 && add ? IFA_F_NODAD : 0;
	size_t len = p->family == AF_INET ? 4 : 16;
	mnl_attr_put(nlh, IFA_LOCAL, len, p->a);
	mnl_attr_put(nlh, IFA_ADDRESS, len, p->a);
	return nl_talk(nl, nlh, NULL, NULL);
}

static bool addr_in(const struct prefix *v, size_t n, const struct prefix *p)
{
	for (size_t i = 0; i < n; i++)
		if (prefix_equal(&v[i], p))
			return true;
	return false;
}

/* ---------- one interface ---------- */

struct run {
	struct nl nl;
	const struct logger *log;
	struct kernel_link_result *res;
	bool ok;
};

static void fail(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct run *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_err(r->log, "%s", msg);
	r->ok = false;
	if (r->res)
		names_add(&r->res->errors, msg);
}

static bool ip_eq(const struct ipaddr *a, const struct ipaddr *b)
{
	size_t len = a->family == AF_INET ? 4 : 16;
	return a->family == b->family && (!a->family || memcmp(a->a, b->a, len) == 0);
}

/* The VXLAN parameters that differ between the kernel's and the wanted, as
 * "vni, dev changed" ("" when none); only a new interface can change them. */
static void vxlan_delta(const struct link_info *li, const struct conf_vxlan *v, uint32_t link,
			char *out, size_t cap)
{
	struct ipaddr nolocal = { 0 };
	out[0] = '\0';
	if (!li->vxlan) {
		snprintf(out, cap, "it is not a VXLAN interface");
		return;
	}
	const struct {
		bool differs;
		const char *what;
	} f[] = {
		{ li->vni != v->vni, "vni" },
		{ !ip_eq(&li->remote, &v->remote), "remote" },
		{ !ip_eq(&li->local, v->local.family ? &v->local : &nolocal), "local" },
		{ li->port != v->dstport, "dstport" },
		{ li->link != link, "dev" },
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (f[i].differs) {
			size_t used = strlen(out);
			snprintf(out + used, cap - used, "%s%s", used ? ", " : "", f[i].what);
		}
	if (out[0]) {
		size_t used = strlen(out);
		snprintf(out + used, cap - used, " changed");
	}
}

/* The MTU the kernel gives a new interface without one. */
static uint32_t default_mtu(const struct conf_vxlan *v, const struct link_info *dev)
{
	if (!dev)
		return 1500;
	uint32_t head = v->remote.family == AF_INET6 ? VXLAN_HEADROOM6 : VXLAN_HEADROOM4;
	return dev->mtu > head + LINK_MIN_MTU ? dev->mtu - head : LINK_MIN_MTU;
}

/* Addresses: the stale ones removed first (a removed primary IPv4 address
 * can take its secondaries along), then the missing ones added. */
static void sync_addrs(struct run *r, const struct conf_vxlan *v, int ifindex)
{
	struct addr_list have;
	char buf[PREFIX_STRLEN];
	bool removed = false;

	if (addr_dump(&r->nl, ifindex, &have)) {
		fail(r, "%s: cannot read its addresses: %s", v->name, r->nl.why);
		return;
	}
	if (have.overflow) {
		fail(r, "%s: more than %zu addresses: not changed", v->name,
		     sizeof(have.v) / sizeof(have.v[0]));
		return;
	}
	for (size_t i = 0; i < have.n; i++) {
		if (addr_in(v->addrs, v->n_addrs, &have.v[i]))
			continue;
		prefix_fmt(&have.v[i], buf, sizeof(buf));
		int err = addr_change(&r->nl, false, ifindex, &have.v[i]);
		if (err && err != EADDRNOTAVAIL) /* gone with its primary: fine */
			fail(r, "%s: address %s: cannot remove: %s", v->name, buf, r->nl.why);
		else {
			log_info(r->log, "%s: address %s removed", v->name, buf);
			removed = true;
		}
	}
	if (removed && addr_dump(&r->nl, ifindex, &have)) {
		fail(r, "%s: cannot read its addresses: %s", v->name, r->nl.why);
		return;
	}
	for (size_t i = 0; i < v->n_addrs; i++) {
		if (addr_in(have.v, have.n, &v->addrs[i]))
			continue;
		prefix_fmt(&v->addrs[i], buf, sizeof(buf));
		if (addr_change(&r->nl, true, ifindex, &v->addrs[i]))
			fail(r, "%s: address %s: cannot add: %s", v->name, buf, r->nl.why);
		else
			log_info(r->log, "%s: address %s added", v->name, buf);
	}
}

static void vxlan_describe(const struct conf_vxlan *v, char *out, size_t cap)
{
	char rem[IPADDR_STRLEN], loc[IPADDR_STRLEN];
	ipaddr_fmt(&v->remote, rem, sizeof(rem));
	if (v->local.family)
		ipaddr_fmt(&v->local, loc, sizeof(loc));
	snprintf(out, cap, "VNI %u, remote %s%s%s, dstport %u%s%s", v->vni, rem,
		 v->local.family ? ", local " : "", v->local.family ? loc : "", v->dstport,
		 v->dev ? ", dev " : "", v->dev ? v->dev : "");
}

/* Creates v and marks it; the new interface's state in li. */
static bool create(struct run *r, const struct conf_vxlan *v, uint32_t link, struct link_info *li)
{
	char what[160];
	vxlan_describe(v, what, sizeof(what));
	if (vxlan_create(&r->nl, v, link)) {
		fail(r, "%s: cannot create (%s): %s", v->name, what, r->nl.why);
		return false;
	}
	if (link_get(&r->nl, v->name, li) != 1) {
		fail(r, "%s: created, then not found: %s", v->name, r->nl.why);
		return false;
	}
	if (link_set(&r->nl, li->ifindex, true, 0)) {
		char why[sizeof(r->nl.why)];
		memcpy(why, r->nl.why, sizeof(why));
		link_del(&r->nl, li->ifindex); /* never leave one without the mark */
		fail(r, "%s: cannot mark and set up: %s", v->name, why);
		return false;
	}
	log_info(r->log, "%s: created (%s)", v->name, what);
	if (link_get(&r->nl, v->name, li) != 1) {
		fail(r, "%s: created, then not found: %s", v->name, r->nl.why);
		return false;
	}
	return true;
}

static void apply_one(struct run *r, const struct conf_vxlan *v)
{
	struct link_info dev, li;
	uint32_t link = 0;
	char delta[128];

	if (v->dev) {
		int got = link_get(&r->nl, v->dev, &dev);
		if (got == 0) {
			fail(r, "%s: dev %s: no such interface", v->name, v->dev);
			return;
		}
		if (got < 0) {
			fail(r, "%s: dev %s: %s", v->name, v->dev, r->nl.why);
			return;
		}
		link = (uint32_t)dev.ifindex;
	}
	int got = link_get(&r->nl, v->name, &li);
	if (got < 0) {
		fail(r, "%s: cannot read the interface: %s", v->name, r->nl.why);
		return;
	}
	if (got == 1 && !li.owned) {
		fail(r, "%s: an interface of that name exists that nvad did not create (no alias "
			"\"" KERNEL_LINK_ALIAS "\"); it is left alone", v->name);
		return;
	}
	if (got == 1) {
		vxlan_delta(&li, v, link, delta, sizeof(delta));
		if (delta[0]) {
			log_info(r->log, "%s: %s: the interface is made again", v->name, delta);
			if (link_del(&r->nl, li.ifindex)) {
				fail(r, "%s: cannot delete it to make it again: %s", v->name, r->nl.why);
				return;
			}
			got = 0;
		}
	}
	if (got == 0 && !create(r, v, link, &li))
		return;
	/* In place: the MTU and the up state. */
	uint32_t dflt = default_mtu(v, v->dev ? &dev : NULL);
	uint32_t mtu = v->mtu ? v->mtu : dflt;
	if (li.mtu != mtu || !(li.flags & IFF_UP)) {
		char hint[64] = "";
		if (v->dev && mtu > dflt) /* the kernel clamps it at creation, refuses it after */
			snprintf(hint, sizeof(hint), " (at most %u over %s)", dflt, v->dev);
		if (link_set(&r->nl, li.ifindex, false, li.mtu != mtu ? mtu : 0) && li.mtu != mtu)
			fail(r, "%s: cannot set MTU %u: %s%s", v->name, mtu, r->nl.why, hint);
		else if (r->nl.why[0])
			fail(r, "%s: cannot set it up: %s", v->name, r->nl.why);
		else if (li.mtu != mtu)
			log_info(r->log, "%s: MTU %u -> %u", v->name, li.mtu, mtu);
		else
			log_info(r->log, "%s: set up", v->name);
	}
	sync_addrs(r, v, li.ifindex);
}

/* A managed interface no longer configured: deleted when it carries the mark. */
static void remove_one(struct run *r, const char *name)
{
	struct link_info li;
	int got = link_get(&r->nl, name, &li);
	if (got < 0)
		fail(r, "%s: cannot read the interface to remove it: %s", name, r->nl.why);
	else if (got == 1 && !li.owned)
		log_warn(r->log, "%s: no longer configured, but not removed: nvad did not create it "
				 "(no alias \"" KERNEL_LINK_ALIAS "\")", name);
	else if (got == 1 && link_del(&r->nl, li.ifindex))
		fail(r, "%s: cannot remove: %s", name, r->nl.why);
	else if (got == 1)
		log_info(r->log, "%s: removed (no longer configured)", name);
}

/* What nvad owns after the call, among the names it dealt with. */
static void collect_managed(struct run *r, const struct conf_vxlan *want, size_t n,
			    const char *const *old, size_t n_old)
{
	struct link_info li;
	for (size_t i = 0; i < n + n_old; i++) {
		const char *name = i < n ? want[i].name : old[i - n];
		if (!name || (i >= n && (names_has(old, i - n, name) || conf_vxlan_in(want, n, name))))
			continue;
		if (link_get(&r->nl, name, &li) == 1 && li.owned && !names_add(&r->res->managed, name))
			fail(r, "%s: out of memory", name);
	}
}

bool kernel_vxlan_apply(const struct conf_vxlan *want, size_t n, const char *const *managed_old,
			size_t n_old, const struct logger *log, struct kernel_link_result *res)
{
	struct run r = { .log = log, .res = res, .ok = true };
	if (res)
		*res = (struct kernel_link_result){ 0 };
	if (!nl_open(&r.nl)) {
		fail(&r, "vxlan: cannot open netlink: %s", strerror(errno));
		return false;
	}
	/* Removals first: they free names and VNIs the others may take. */
	for (size_t i = 0; i < n_old; i++)
		if (managed_old[i] && !conf_vxlan_in(want, n, managed_old[i]))
			remove_one(&r, managed_old[i]);
	for (size_t i = 0; i < n; i++)
		apply_one(&r, &want[i]);
	if (res)
		collect_managed(&r, want, n, managed_old, n_old);
	nl_close(&r.nl);
	return r.ok;
}

/* ---------- what carries the mark ---------- */

static void owned_cb(const struct nlmsghdr *nlh, void *data)
{
	struct kernel_names *l = data;
	struct link_info li;
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return;
	parse_link(nlh, &li);
	if (li.owned && li.name[0])
		names_add(l, li.name);
}

bool kernel_link_owned(struct kernel_names *out)
{
	struct nl nl;
	char buf[REQ_BUF];
	*out = (struct kernel_names){ 0 };
	if (!nl_open(&nl))
		return false;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_DUMP;
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	int err = nl_talk(&nl, nlh, owned_cb, out);
	nl_close(&nl);
	if (err) {
		kernel_names_free(out);
		errno = err;
		return false;
	}
	return true;
}

/* local.c: the routes nvad originates itself. `network` statements (origin
 * IGP), and under `redistribute`: the configuration's static routes, the
 * subnets of the interfaces' addresses (connected) and the main table's other
 * routes (kernel), all with origin incomplete and the route's metric as MED,
 * as FRR originates them. The kernel's part is followed through netlink. */
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>

#include "nvad.h"

struct kroute {
	struct prefix prefix;
	uint32_t metric;
	struct ipaddr gateway;
	unsigned refs; /* addresses in the same subnet, or routes of equal key */
};

struct kset {
	struct kroute *v;
	size_t n, cap;
};

struct local_route {
	uint8_t kind;
	struct prefix prefix;
	uint8_t origin;
	uint32_t med;
	struct ipaddr gateway; /* the route's next hop, family 0 when none */
};

struct local_set {
	struct local_route *r;
	size_t n, cap;
};

struct nvad_local {
	struct kset connected;
	struct kset kernel;
	struct local_set applied;
};

static bool grow(void **v, size_t *cap, size_t n, size_t item)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 16;
	void *q = realloc(*v, c * item);
	if (!q)
		return false;
	*v = q;
	*cap = c;
	return true;
}

static void kset_change(struct kset *s, bool add, const struct prefix *p, uint32_t metric,
			const struct ipaddr *gw)
{
	for (size_t i = 0; i < s->n; i++) {
		struct kroute *r = &s->v[i];
		if (!prefix_equal(&r->prefix, p) || r->metric != metric)
			continue;
		if (add) {
			r->refs++;
		} else if (--r->refs == 0) {
			s->v[i] = s->v[--s->n];
		}
		return;
	}
	if (add && grow((void **)&s->v, &s->cap, s->n, sizeof(*s->v)))
		s->v[s->n++] = (struct kroute){ .prefix = *p, .metric = metric, .gateway = *gw,
						.refs = 1 };
}

/* Addresses and destinations that are never redistributed: loopback,
 * IPv6 link-local, multicast. */
static bool unroutable(const struct prefix *p)
{
	if (p->family == AF_INET)
		return p->a[0] == 127 || p->a[0] >= 224;
	static const uint8_t loop6[16] = { [15] = 1 };
	return (p->len == 128 && memcmp(p->a, loop6, 16) == 0) ||
	       (p->a[0] == 0xfe && (p->a[1] & 0xc0) == 0x80) || p->a[0] == 0xff;
}

static void on_addr(void *ctx, bool add, const struct kernel_addr *a)
{
	struct nvad *d = ctx;
	if (!(a->addr.family == AF_INET6 && a->subnet.len == 128))
		nvad_kernel_underlay_addr(d, add, &a->subnet, a->ifindex);
	if (unroutable(&a->subnet))
		return;
	static const struct ipaddr none;
	kset_change(&d->local->connected, add, &a->subnet, 0, &none);
	nvad_local_sync(d);
}

static void on_route(void *ctx, bool add, const struct kernel_route *r)
{
	struct nvad *d = ctx;
	if (r->table == RT_TABLE_MAIN && r->protocol != KERNEL_RTPROT_NVAD &&
	    r->protocol != RTPROT_KERNEL && (r->type == RTN_UNICAST || r->type == RTN_BLACKHOLE))
		nvad_kernel_underlay_route(d, add, r);
	/* FRR's kernel routes: the main table's unicast routes that neither
	 * the kernel made for an address nor nvad installed. */
	if (r->table != RT_TABLE_MAIN || r->type != RTN_UNICAST || r->protocol == RTPROT_KERNEL ||
	    r->protocol == KERNEL_RTPROT_NVAD || unroutable(&r->dst))
		return;
	kset_change(&d->local->kernel, add, &r->dst, r->metric, &r->gateway);
	nvad_local_sync(d);
}

/* Its addresses and routes were reported removed already (netlink.c); the
 * BGP sessions over it may go too. */
static void on_link(void *ctx, const struct kernel_link *l)
{
	struct nvad *d = ctx;
	bool up = l->admin_up && l->running && !l->removed;
	if (!up && d->bgp)
		bgp_speaker_link_down(d->bgp, l->ifindex);
}

bool nvad_local_init(struct nvad *d)
{
	d->local = calloc(1, sizeof(*d->local));
	if (!d->local)
		return false;
	struct kernel_cb cb = { .route = on_route, .addr = on_addr, .link = on_link, .ctx = d };
	d->kernel = kernel_open(d->loop, &d->log, &cb);
	if (!d->kernel)
		log_warn(&d->log, "netlink unavailable: connected and kernel routes are not known");
	return true;
}

void nvad_local_free(struct nvad *d)
{
	if (!d->local)
		return;
	kernel_close(d->kernel);
	d->kernel = NULL;
	free(d->local->connected.v);
	free(d->local->kernel.v);
	free(d->local->applied.r);
	free(d->local);
	d->local = NULL;
}

static void push(struct local_set *ls, uint8_t kind, const struct prefix *p, uint8_t origin,
		 uint32_t med, const struct ipaddr *gw)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->r[i].kind == kind && prefix_equal(&ls->r[i].prefix, p)) {
			if (med < ls->r[i].med) /* the best of equal routes */
				ls->r[i].med = med;
			return;
		}
	if (grow((void **)&ls->r, &ls->cap, ls->n, sizeof(*ls->r)))
		ls->r[ls->n++] = (struct local_route){ kind, *p, origin, med, *gw };
}

static void redistribute(struct local_set *ls, uint8_t kind, const struct kset *s, uint8_t fam,
			 const struct conf_redist *rd)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].prefix.family == fam)
			push(ls, kind, &s->v[i].prefix, BGP_ORIGIN_INCOMPLETE,
			     rd->metric_set ? rd->metric : s->v[i].metric, &s->v[i].gateway);
}

/* What the configuration and the kernel say should be originated. */
static void desired(const struct nvad *d, struct local_set *ls)
{
	const struct conf *c = d->conf;
	if (!c || !c->bgp)
		return;
	for (int f = 0; f < CONF_AF_COUNT; f++) {
		const struct conf_bgp_af *af = &c->bgp->af[f];
		uint8_t fam = f == CONF_AF_IPV4 ? AF_INET : AF_INET6;
		static const struct ipaddr none;
		for (size_t i = 0; i < af->n_networks; i++)
			push(ls, BGP_LOCAL_NETWORK, &af->networks[i].prefix, BGP_ORIGIN_IGP, 0, &none);
		const struct conf_redist *rs = &af->redist[CONF_REDIST_STATIC];
		for (size_t i = 0; rs->on && i < c->n_statics; i++)
			if (c->statics[i].prefix.family == fam)
				push(ls, BGP_LOCAL_STATIC, &c->statics[i].prefix, BGP_ORIGIN_INCOMPLETE,
				     rs->metric_set ? rs->metric : 0,
				     c->statics[i].kind == CONF_NH_GATEWAY ? &c->statics[i].gateway
									   : &none);
		if (af->redist[CONF_REDIST_CONNECTED].on)
			redistribute(ls, BGP_LOCAL_CONNECTED, &d->local->connected, fam,
				     &af->redist[CONF_REDIST_CONNECTED]);
		if (af->redist[CONF_REDIST_KERNEL].on)
			redistribute(ls, BGP_LOCAL_KERNEL, &d->local->kernel, fam,
				     &af->redist[CONF_REDIST_KERNEL]);
	}
}

static const struct local_route *find(const struct local_set *ls, const struct local_route *r)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->r[i].kind == r->kind && prefix_equal(&ls->r[i].prefix, &r->prefix))
			return &ls->r[i];
	return NULL;
}

/* The route's own next hop goes with it, as FRR keeps it (shown in `show ip
 * bgp`; sessions put their own address in its place). */
static bool originate(struct nvad *d, const struct local_route *r)
{
	struct bgp_attrs a = { .origin = r->origin, .med = r->med };
	a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		 BGP_ATTR_BIT(BGP_ATTR_MED);
	if (r->gateway.family == AF_INET && r->prefix.family == AF_INET) {
		a.nexthop = load_be32(r->gateway.a);
		a.have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	} else if (r->gateway.family == AF_INET6 && r->prefix.family == AF_INET6) {
		memcpy(a.mp_nh, r->gateway.a, 16);
		a.mp_nh_len = 16;
		a.have |= BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI);
	}
	return bgp_local_add(d->bgp, r->kind, &r->prefix, &a);
}

void nvad_local_sync(struct nvad *d)
{
	if (!d->local)
		return;
	struct local_set want = { 0 };
	if (d->bgp)
		desired(d, &want);
	struct local_set *have = &d->local->applied;
	for (size_t i = 0; d->bgp && i < have->n; i++) {
		const struct local_route *w = find(&want, &have->r[i]);
		if (!w)
			bgp_local_del(d->bgp, have->r[i].kind, &have->r[i].prefix);
	}
	for (size_t i = 0; d->bgp && i < want.n; i++) {
		const struct local_route *h = find(have, &want.r[i]);
		if (h && h->origin == want.r[i].origin && h->med == want.r[i].med &&
		    memcmp(&h->gateway, &want.r[i].gateway, sizeof(h->gateway)) == 0)
			continue;
		if (!originate(d, &want.r[i]))
			log_err(&d->log, "cannot originate a route: out of memory");
	}
	free(have->r);
	*have = want;
}

void nvad_local_forget(struct nvad *d)
{
	if (d->local)
		d->local->applied.n = 0;
}

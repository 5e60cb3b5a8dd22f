/* kernel.c: the daemon's forwarding side. The speaker's selected routes and
 * the configuration's static routes go into the FIB model, the kernel's own
 * routes and addresses (from local.c's netlink feed) are its underlay, and a
 * task writes the differences with the batched netlink writer. Routes found
 * from a previous run are adopted and swept once the peers have sent their
 * tables (End-of-RIB) or after a grace time. */
#include <errno.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "nvad.h"

#define SWEEP_GRACE_MS (120 * 1000)

struct nvad_kernel {
	struct fib *fib;
	struct kernel_writer *writer; /* NULL: routes are computed, not written */
	bool write;                   /* false with --no-kernel or bgp no-rib */
	struct loop_task sync_task;
	struct loop_timer sweep_timer;
	bool swept;
	size_t adopted;               /* routes found from a previous run */
	struct conf_static *statics;  /* what was given to the FIB, for the diff */
	size_t n_statics;
};

static void write_install(void *ctx, const struct kernel_route_spec *r)
{
	struct nvad *d = ctx;
	if (d->k->writer && !kernel_route_replace(d->k->writer, r))
		log_err(&d->log, "kernel: a route has too many next hops to be written");
}

static void write_remove(void *ctx, const struct kernel_route_spec *r)
{
	struct nvad *d = ctx;
	if (d->k->writer)
		kernel_route_delete(d->k->writer, r);
}

static bool sync_run(struct loop_task *t)
{
	struct nvad *d = t->ctx;
	fib_sync(d->k->fib, write_install, write_remove, d);
	if (d->k->writer)
		kernel_writer_flush(d->k->writer);
	return false;
}

void nvad_kernel_changed(struct nvad *d)
{
	if (d->k)
		loop_task_queue(d->loop, &d->k->sync_task);
}

static void on_write_error(void *ctx, const struct prefix *dst, int err)
{
	struct nvad *d = ctx;
	char buf[PREFIX_STRLEN];
	if (dst->family == 0) {
		log_err(&d->log, "kernel: answers to route writes were lost (%s); some routes may "
				 "be missing until they change", strerror(err));
		return;
	}
	log_warn(&d->log, "kernel refused the route %s: %s", prefix_fmt(dst, buf, sizeof(buf)),
		 strerror(err));
}

/* `ip protocol PROTO route-map NAME`: the map for a protocol's routes in a
 * family (its own, else the one for any). Zebra's maps see no BGP
 * attributes, only the route: nvad evaluates them the same way. False when
 * the map denies; *src is what `set src` gave. */
static bool kernel_policy(struct nvad *d, const struct prefix *p, int proto, struct ipaddr *src)
{
	memset(src, 0, sizeof(*src));
	if (!d->conf)
		return true;
	int f = p->family == AF_INET6;
	const char *name = d->conf->proto_rmap[f][proto].name;
	if (!name)
		name = d->conf->proto_rmap[f][CONF_PROTO_ANY].name;
	if (!name)
		return true;
	if (!d->policy)
		return false;
	struct policy_ctx ctx;
	struct bgp_attrs none = { 0 };
	memset(&ctx, 0, sizeof(ctx));
	policy_ctx_init(&ctx, p, &none, 0);
	ctx.dir = POLICY_OUT;
	bool ok = policy_route_map(d->policy, name, &ctx) == POLICY_PERMIT;
	if (ok && ctx.src_set)
		*src = ctx.src;
	policy_ctx_release(&ctx);
	return ok;
}

/* The speaker's selection, into the FIB. */
static void on_bgp(void *ctx, const struct prefix *p, bool ebgp, const struct bgp_fib_nexthop *nh,
		   unsigned n)
{
	struct nvad *d = ctx;
	struct fib_nexthop fnh[BGP_FIB_MAX_NEXTHOPS];
	for (unsigned i = 0; i < n; i++)
		fnh[i] = (struct fib_nexthop){ .kind = KERNEL_NH_GATEWAY, .gateway = nh[i].addr,
					       .ifindex = nh[i].ifindex };
	struct ipaddr src;
	if (n && !kernel_policy(d, p, CONF_PROTO_BGP, &src))
		n = 0;
	/* A route leaves one source when it moves to the other. */
	fib_set_other(d->k->fib, ebgp ? FIB_SRC_IBGP : FIB_SRC_EBGP, ebgp ? FIB_SRC_EBGP : FIB_SRC_IBGP,
		      p, fnh, n, 0, &src);
	nvad_kernel_changed(d);
}

static void on_bgp_warm(void *ctx, const struct prefix *p, unsigned n)
{
	struct nvad *d = ctx;
	fib_warm(d->k->fib, p, n);
}

static void sweep_due(struct loop_timer *t)
{
	struct nvad *d = t->ctx;
	if (d->k->swept)
		return;
	d->k->swept = true;
	fib_sweep(d->k->fib);
	log_info(&d->log, "kernel: stale routes from the previous run removed");
	nvad_kernel_changed(d);
}

static void adopt_one(void *ctx, const struct kernel_route_spec *r)
{
	struct nvad *d = ctx;
	fib_adopt(d->k->fib, r);
	d->k->adopted++;
}

bool nvad_kernel_init(struct nvad *d, bool write)
{
	struct nvad_kernel *k = calloc(1, sizeof(*k));
	if (!k)
		return false;
	struct fib_opts o = { .table = d->table, .resolve_via_default = true,
			      .metric_ebgp = 20, .metric_ibgp = 200, .metric_static = 1 };
	k->fib = fib_new(&o);
	if (!k->fib) {
		free(k);
		return false;
	}
	d->k = k;
	k->write = write;
	k->sync_task = (struct loop_task){ .run = sync_run, .ctx = d };
	k->sweep_timer = (struct loop_timer){ .cb = sweep_due, .ctx = d };
	if (write) {
		k->writer = kernel_writer_open(d->loop, &d->log, on_write_error, d);
		if (!k->writer)
			log_err(&d->log, "kernel: cannot open netlink for writing routes: %s",
				strerror(errno));
		if (!kernel_routes_dump(d->table, KERNEL_RTPROT_NVAD, adopt_one, d))
			log_warn(&d->log, "kernel: cannot read the routes of a previous run");
		if (k->adopted)
			log_notice(&d->log, "kernel: %zu routes of a previous run kept until the "
					    "peers have sent their tables", k->adopted);
		loop_timer_set(d->loop, &k->sweep_timer, SWEEP_GRACE_MS);
	}
	return true;
}

void nvad_kernel_start_sender(struct nvad *d)
{
	if (d->k && d->k->writer && !kernel_writer_set_threaded(d->k->writer))
		log_warn(&d->log, "kernel: no sender thread; routes are written from the main loop");
}

void nvad_kernel_free(struct nvad *d)
{
	if (!d->k)
		return;
	loop_task_cancel(d->loop, &d->k->sync_task);
	loop_timer_stop(d->loop, &d->k->sweep_timer);
	/* The routes stay in the kernel: a restart loses no traffic. */
	kernel_writer_close(d->k->writer);
	fib_free(d->k->fib);
	free(d->k->statics);
	free(d->k);
	d->k = NULL;
}

bool nvad_kernel_restarting(const struct nvad *d)
{
	return d->k && d->k->writer && d->k->adopted && !d->k->swept;
}

const struct fib *nvad_kernel_fib(const struct nvad *d)
{
	return d->k ? d->k->fib : NULL;
}

bool nvad_kernel_writes(const struct nvad *d)
{
	return d->k && d->k->writer;
}

/* BGP's routes reach the FIB only when they are to be installed: without,
 * as with FRR's bgpd -n or `bgp no-rib`, they stay in BGP's table (and out of
 * `show ip route`), which spares the FIB's memory and work. */
void nvad_kernel_attach(struct nvad *d)
{
	if (d->k && d->bgp && d->k->write)
		bgp_speaker_on_fib(d->bgp, on_bgp, on_bgp_warm, d);
}

/* Every configured peer that is up has sent its End-of-RIB: what it did not
 * send again is stale. */
void nvad_kernel_eor(struct nvad *d)
{
	if (!d->k || d->k->swept || !d->k->writer)
		return;
	if (d->bgp && !bgp_speaker_all_eor(d->bgp))
		return;
	loop_timer_set(d->loop, &d->k->sweep_timer, 0);
}

/* The underlay, from local.c's netlink feed. */
void nvad_kernel_underlay_addr(struct nvad *d, bool add, const struct prefix *subnet, int ifindex)
{
	if (!d->k)
		return;
	struct kernel_nexthop nh = { .kind = KERNEL_NH_IFACE, .ifindex = ifindex, .weight = 1 };
	fib_underlay(d->k->fib, add, FIB_UL_CONNECTED, subnet, 0, &nh, 1);
	nvad_kernel_changed(d);
}

void nvad_kernel_underlay_route(struct nvad *d, bool add, const struct kernel_route *r)
{
	if (!d->k)
		return;
	struct kernel_nexthop nh = { .kind = r->gateway.family ? KERNEL_NH_GATEWAY : KERNEL_NH_IFACE,
				     .gateway = r->gateway, .ifindex = r->ifindex, .weight = 1 };
	if (r->type == RTN_BLACKHOLE)
		nh.kind = KERNEL_NH_BLACKHOLE;
	fib_underlay(d->k->fib, add, FIB_UL_KERNEL, &r->dst, r->metric, &nh, 1);
	nvad_kernel_changed(d);
}

/* The configuration's static routes, by difference with what the FIB has. */
static bool static_same(const struct conf_static *a, const struct conf_static *b)
{
	return prefix_equal(&a->prefix, &b->prefix);
}

static void static_to_fib(struct nvad *d, const struct conf_static *st, bool add)
{
	struct fib_nexthop nh = { .kind = KERNEL_NH_GATEWAY, .gateway = st->gateway };
	switch (st->kind) {
	case CONF_NH_GATEWAY:
		if (st->ifname)
			nh.ifindex = (int)if_nametoindex(st->ifname);
		break;
	case CONF_NH_IFNAME:
		nh.kind = KERNEL_NH_IFACE;
		nh.ifindex = (int)if_nametoindex(st->ifname);
		if (!nh.ifindex && add)
			log_warn(&d->log, "ip route: interface %s does not exist (yet)", st->ifname);
		break;
	default:
		nh.kind = KERNEL_NH_BLACKHOLE;
		break;
	}
	struct ipaddr src;
	if (add && !kernel_policy(d, &st->prefix, CONF_PROTO_STATIC, &src))
		add = false;
	fib_set(d->k->fib, FIB_SRC_STATIC, &st->prefix, add ? &nh : NULL, add ? 1 : 0, st->distance,
		add ? &src : NULL);
}

void nvad_kernel_statics(struct nvad *d)
{
	if (!d->k)
		return;
	struct nvad_kernel *k = d->k;
	const struct conf *c = d->conf;
	for (size_t i = 0; i < k->n_statics; i++) {
		bool kept = false;
		for (size_t j = 0; c && j < c->n_statics; j++)
			kept |= static_same(&k->statics[i], &c->statics[j]);
		if (!kept)
			static_to_fib(d, &k->statics[i], false);
	}
	/* Two lines for one prefix: the lower distance wins, as in zebra. */
	for (size_t j = 0; c && j < c->n_statics; j++) {
		bool better = true;
		for (size_t i = 0; i < c->n_statics; i++)
			if (i != j && prefix_equal(&c->statics[i].prefix, &c->statics[j].prefix) &&
			    (c->statics[i].distance < c->statics[j].distance ||
			     (c->statics[i].distance == c->statics[j].distance && i < j)))
				better = false;
		if (better)
			static_to_fib(d, &c->statics[j], true);
	}
	/* Remember the prefixes (only they are compared), not the strings. */
	free(k->statics);
	k->n_statics = 0;
	k->statics = c && c->n_statics ? calloc(c->n_statics, sizeof(*k->statics)) : NULL;
	for (size_t j = 0; k->statics && j < c->n_statics; j++) {
		k->statics[j].prefix = c->statics[j].prefix;
		k->n_statics++;
	}
	nvad_kernel_changed(d);
}

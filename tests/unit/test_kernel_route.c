/* test_kernel_route.c: the batched route writer against the real kernel, in a
 * network namespace of the test's own (unshare: it goes away with the
 * process): routes written, read back with kernel_routes_dump and compared
 * field by field; replace, delete, refusals named by prefix, big batches.
 * Skipped when not root or when a namespace cannot be made. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/route.h"

static bool ns_ready;
static int if_a, if_b; /* kr0 (10.1.0.1/24, 2001:db8:1::1/64), kr1 (10.2.0.1/24, 2001:db8:2::1/64) */
static struct logger lg;

/* ---- helpers ---------------------------------------------------------------- */

static void spec_init(struct kernel_route_spec *r, const char *pfx, uint32_t table, uint32_t metric)
{
	memset(r, 0, sizeof(*r));
	assert_true(prefix_parse(pfx, false, &r->dst));
	r->table = table;
	r->protocol = KERNEL_RTPROT_NVAD;
	r->metric = metric;
}

static void add_gw(struct kernel_route_spec *r, const char *gw, int ifindex, uint8_t weight)
{
	struct kernel_nexthop *nh = &r->nh[r->n_nh++];
	nh->kind = KERNEL_NH_GATEWAY;
	assert_true(ipaddr_parse(gw, &nh->gateway));
	nh->ifindex = ifindex;
	nh->weight = weight;
}

static void add_if(struct kernel_route_spec *r, int ifindex, uint8_t weight)
{
	struct kernel_nexthop *nh = &r->nh[r->n_nh++];
	nh->kind = KERNEL_NH_IFACE;
	nh->ifindex = ifindex;
	nh->weight = weight;
}

static void set_blackhole(struct kernel_route_spec *r)
{
	r->n_nh = 1;
	memset(&r->nh[0], 0, sizeof(r->nh[0]));
	r->nh[0].kind = KERNEL_NH_BLACKHOLE;
}

struct errs {
	int n, n_null;
	struct prefix dst[16];
	int err[16];
};

static void on_error(void *ctx, const struct prefix *dst, int err)
{
	struct errs *e = ctx;
	assert_non_null(dst);
	if (dst->family == 0) {
		e->n_null++;
		return;
	}
	if (e->n < 16) {
		e->dst[e->n] = *dst;
		e->err[e->n] = err;
	}
	e->n++;
}

static struct kernel_writer *writer(struct errs *e)
{
	memset(e, 0, sizeof(*e));
	struct kernel_writer *w = kernel_writer_open(NULL, &lg, on_error, e);
	assert_non_null(w);
	return w;
}

/* The routes a dump returned. */
struct found {
	size_t n, cap;
	struct kernel_route_spec *v;
};

static void collect(void *ctx, const struct kernel_route_spec *r)
{
	struct found *f = ctx;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = realloc(f->v, f->cap * sizeof(*f->v));
		assert_non_null(f->v);
	}
	f->v[f->n++] = *r;
}

static void dump(struct found *f, uint32_t table, uint8_t protocol)
{
	free(f->v);
	memset(f, 0, sizeof(*f));
	assert_true(kernel_routes_dump(table, protocol, collect, f));
}

static const struct kernel_route_spec *find(const struct found *f, const char *pfx)
{
	struct prefix p;
	assert_true(prefix_parse(pfx, false, &p));
	const struct kernel_route_spec *hit = NULL;
	for (size_t i = 0; i < f->n; i++) {
		if (prefix_equal(&f->v[i].dst, &p)) {
			assert_null(hit); /* one route per prefix in a table and protocol */
			hit = &f->v[i];
		}
	}
	return hit;
}

static bool nh_equal(const struct kernel_nexthop *want, const struct kernel_nexthop *got)
{
	if (want->kind != got->kind)
		return false;
	if (want->kind == KERNEL_NH_BLACKHOLE)
		return true;
	if ((want->weight ? want->weight : 1) != got->weight || want->ifindex != got->ifindex)
		return false;
	if (want->kind == KERNEL_NH_GATEWAY)
		return want->gateway.family == got->gateway.family &&
		       memcmp(want->gateway.a, got->gateway.a, want->gateway.family == AF_INET ? 4 : 16) == 0;
	return true;
}

/* want, with the interfaces the kernel is expected to choose filled in,
 * against what the dump returned: every field, next hops as a set. */
static void expect_route(const struct found *f, const char *pfx, const struct kernel_route_spec *want)
{
	const struct kernel_route_spec *got = find(f, pfx);
	if (!got)
		fail_msg("%s: not in the kernel", pfx);
	assert_true(prefix_equal(&got->dst, &want->dst));
	assert_int_equal(got->table, want->table ? want->table : 254);
	assert_int_equal(got->protocol, want->protocol);
	assert_int_equal(got->metric, want->metric);
	assert_int_equal(got->src.family, want->src.family);
	if (want->src.family)
		assert_memory_equal(got->src.a, want->src.a, want->src.family == AF_INET ? 4 : 16);
	assert_int_equal(got->n_nh, want->n_nh);
	bool used[KERNEL_MAX_NEXTHOPS] = { 0 };
	for (unsigned i = 0; i < want->n_nh; i++) {
		bool ok = false;
		for (unsigned j = 0; j < got->n_nh && !ok; j++) {
			if (!used[j] && nh_equal(&want->nh[i], &got->nh[j]))
				used[j] = ok = true;
		}
		if (!ok)
			fail_msg("%s: next hop %u (kind %u, ifindex %d, weight %u) not found", pfx, i,
				 want->nh[i].kind, want->nh[i].ifindex, want->nh[i].weight);
	}
}

/* Writes r, waits for the kernel, and checks no error came back. */
static void install(struct kernel_writer *w, struct errs *e, const struct kernel_route_spec *r)
{
	assert_true(kernel_route_replace(w, r));
	assert_true(kernel_writer_sync(w, 5000));
	assert_int_equal(e->n, 0);
	assert_int_equal(e->n_null, 0);
}

#define NEED_NS()                    \
	do {                         \
		if (!ns_ready)       \
			skip();      \
	} while (0)

/* ---- tests ------------------------------------------------------------------ */

static void test_encode_refusals(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec r;
	spec_init(&r, "10.200.0.0/24", 254, 20);
	assert_false(kernel_route_replace(w, &r)); /* no next hop */
	set_blackhole(&r);
	add_gw(&r, "10.1.0.2", 0, 1);
	assert_false(kernel_route_replace(w, &r)); /* blackhole and a gateway */
	spec_init(&r, "10.200.0.0/24", 254, 20);
	add_if(&r, 0, 1);
	assert_false(kernel_route_replace(w, &r)); /* interface without an index */
	spec_init(&r, "2001:db8:200::/48", 254, 20);
	add_gw(&r, "10.1.0.2", 0, 1);
	assert_false(kernel_route_replace(w, &r)); /* IPv6 via IPv4 */
	spec_init(&r, "10.200.0.0/24", 254, 20);
	add_gw(&r, "10.1.0.2", 0, 1);
	r.src.family = AF_INET6;
	assert_false(kernel_route_replace(w, &r)); /* source of another family */
	r.src.family = 0;
	r.dst.family = 0;
	assert_false(kernel_route_replace(w, &r));
	assert_false(kernel_route_delete(w, &r));
	struct kernel_writer_stats st;
	kernel_writer_get_stats(w, &st);
	assert_int_equal(st.queued, 0);
	kernel_writer_close(w);
}

static void test_ipv4_single(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec a, b;
	spec_init(&a, "10.100.0.0/24", 254, 20);
	add_gw(&a, "10.1.0.2", 0, 1); /* the kernel finds the interface */
	spec_init(&b, "10.100.10.0/24", 0, 30); /* table 0: main */
	add_gw(&b, "10.2.0.2", if_b, 1);
	assert_true(kernel_route_replace(w, &a));
	install(w, &e, &b);
	struct found f = { 0 };
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	a.nh[0].ifindex = if_a;
	expect_route(&f, "10.100.0.0/24", &a);
	expect_route(&f, "10.100.10.0/24", &b);
	free(f.v);
	kernel_writer_close(w);
}

static void test_ipv4_ecmp(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec r2, r4;
	spec_init(&r2, "10.100.1.0/24", 254, 20);
	add_gw(&r2, "10.1.0.2", if_a, 1);
	add_gw(&r2, "10.2.0.2", if_b, 3);
	spec_init(&r4, "10.100.11.0/24", 254, 20);
	add_gw(&r4, "10.1.0.2", 0, 1);
	add_gw(&r4, "10.1.0.3", 0, 2);
	add_gw(&r4, "10.2.0.2", if_b, 5);
	add_gw(&r4, "10.2.0.3", 0, 255);
	assert_true(kernel_route_replace(w, &r2));
	install(w, &e, &r4);
	struct found f = { 0 };
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	expect_route(&f, "10.100.1.0/24", &r2);
	r4.nh[0].ifindex = if_a;
	r4.nh[1].ifindex = if_a;
	r4.nh[3].ifindex = if_b;
	expect_route(&f, "10.100.11.0/24", &r4);
	free(f.v);
	kernel_writer_close(w);
}

static void test_ipv6(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec s, m;
	spec_init(&s, "2001:db8:101::/48", 254, 20);
	add_gw(&s, "2001:db8:1::2", 0, 1);
	spec_init(&m, "2001:db8:102::/48", 254, 20);
	add_gw(&m, "2001:db8:1::2", if_a, 1);
	add_gw(&m, "2001:db8:2::2", if_b, 2);
	add_gw(&m, "2001:db8:2::3", if_b, 1);
	assert_true(kernel_route_replace(w, &s));
	install(w, &e, &m);
	struct found f = { 0 };
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	s.nh[0].ifindex = if_a;
	expect_route(&f, "2001:db8:101::/48", &s);
	expect_route(&f, "2001:db8:102::/48", &m);
	free(f.v);
	kernel_writer_close(w);
}

static void test_blackhole(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec a, b;
	spec_init(&a, "10.100.2.0/24", 254, 20);
	set_blackhole(&a);
	spec_init(&b, "2001:db8:100::/48", 254, 20);
	set_blackhole(&b);
	assert_true(kernel_route_replace(w, &a));
	install(w, &e, &b);
	struct found f = { 0 };
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	expect_route(&f, "10.100.2.0/24", &a);
	expect_route(&f, "2001:db8:100::/48", &b);
	free(f.v);
	kernel_writer_close(w);
}

static void test_prefsrc(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec a, b;
	spec_init(&a, "10.100.3.0/24", 254, 20);
	add_gw(&a, "10.1.0.2", if_a, 1);
	assert_true(ipaddr_parse("10.2.0.1", &a.src));
	spec_init(&b, "2001:db8:103::/48", 254, 20);
	add_gw(&b, "2001:db8:1::2", if_a, 1);
	assert_true(ipaddr_parse("2001:db8:2::1", &b.src));
	assert_true(kernel_route_replace(w, &a));
	install(w, &e, &b);
	struct found f = { 0 };
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	expect_route(&f, "10.100.3.0/24", &a);
	expect_route(&f, "2001:db8:103::/48", &b);
	free(f.v);
	kernel_writer_close(w);
}

static void test_iface_routes(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec a, m, b;
	spec_init(&a, "10.100.5.0/24", 254, 20);
	add_if(&a, if_a, 1);
	spec_init(&m, "10.100.15.0/24", 254, 20); /* IPv4 ECMP over interfaces */
	add_if(&m, if_a, 1);
	add_if(&m, if_b, 2);
	spec_init(&b, "2001:db8:105::/48", 254, 20);
	add_if(&b, if_b, 1);
	assert_true(kernel_route_replace(w, &a));
	assert_true(kernel_route_replace(w, &m));
	install(w, &e, &b);
	struct found f = { 0 };
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	expect_route(&f, "10.100.5.0/24", &a);
	expect_route(&f, "10.100.15.0/24", &m);
	expect_route(&f, "2001:db8:105::/48", &b);
	free(f.v);
	kernel_writer_close(w);
}

static void test_ipv4_via_ipv6(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec a;
	spec_init(&a, "10.100.6.0/24", 254, 20);
	add_gw(&a, "2001:db8:1::2", if_a, 1);
	add_gw(&a, "10.2.0.2", if_b, 1);
	install(w, &e, &a);
	struct found f = { 0 };
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	expect_route(&f, "10.100.6.0/24", &a);
	free(f.v);
	kernel_writer_close(w);
}

static void test_tables_and_protocols(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	/* One prefix in three tables (one past 255), and in main under
	 * another protocol with another metric. */
	struct kernel_route_spec m, t100, t1000, other;
	spec_init(&m, "10.100.4.0/24", 254, 20);
	add_gw(&m, "10.1.0.2", if_a, 1);
	spec_init(&t100, "10.100.4.0/24", 100, 20);
	add_gw(&t100, "10.2.0.2", if_b, 1);
	spec_init(&t1000, "10.100.4.0/24", 1000, 20);
	add_gw(&t1000, "10.1.0.3", if_a, 1);
	add_gw(&t1000, "10.2.0.3", if_b, 1);
	spec_init(&other, "10.100.4.0/24", 254, 50);
	other.protocol = 200;
	set_blackhole(&other);
	assert_true(kernel_route_replace(w, &m));
	assert_true(kernel_route_replace(w, &t100));
	assert_true(kernel_route_replace(w, &t1000));
	install(w, &e, &other);
	struct found f = { 0 };
	dump(&f, 100, KERNEL_RTPROT_NVAD);
	assert_int_equal(f.n, 1);
	expect_route(&f, "10.100.4.0/24", &t100);
	dump(&f, 1000, KERNEL_RTPROT_NVAD);
	assert_int_equal(f.n, 1);
	expect_route(&f, "10.100.4.0/24", &t1000);
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	expect_route(&f, "10.100.4.0/24", &m);
	dump(&f, 254, 200);
	assert_int_equal(f.n, 1);
	expect_route(&f, "10.100.4.0/24", &other);
	dump(&f, 4242, 0); /* a table that does not exist */
	assert_int_equal(f.n, 0);
	/* Deleting nvad's route in main leaves the other protocol's. */
	assert_true(kernel_route_delete(w, &m));
	assert_true(kernel_route_delete(w, &t1000));
	assert_true(kernel_writer_sync(w, 5000));
	assert_int_equal(e.n, 0);
	dump(&f, 254, 0);
	expect_route(&f, "10.100.4.0/24", &other);
	dump(&f, 1000, 0);
	assert_int_equal(f.n, 0);
	dump(&f, 100, 0);
	assert_int_equal(f.n, 1);
	free(f.v);
	kernel_writer_close(w);
}

/* Next hops change, in every shape, for both families: one route remains,
 * the new one. */
static void replace_cycle(const char *pfx, bool v6)
{
	struct errs e;
	struct kernel_writer *w = writer(&e);
	const char *g1 = v6 ? "2001:db8:1::2" : "10.1.0.2";
	const char *g2 = v6 ? "2001:db8:2::2" : "10.2.0.2";
	const char *g3 = v6 ? "2001:db8:2::7" : "10.2.0.7";
	struct kernel_route_spec shapes[6];
	spec_init(&shapes[0], pfx, 254, 20);
	add_gw(&shapes[0], g1, if_a, 1);
	spec_init(&shapes[1], pfx, 254, 20);
	add_gw(&shapes[1], g1, if_a, 1);
	add_gw(&shapes[1], g2, if_b, 2);
	spec_init(&shapes[2], pfx, 254, 20);
	add_gw(&shapes[2], g2, if_b, 1);
	add_gw(&shapes[2], g3, if_b, 1);
	add_gw(&shapes[2], g1, if_a, 4);
	spec_init(&shapes[3], pfx, 254, 20);
	set_blackhole(&shapes[3]);
	spec_init(&shapes[4], pfx, 254, 20);
	add_if(&shapes[4], if_b, 1);
	spec_init(&shapes[5], pfx, 254, 20);
	add_gw(&shapes[5], g3, if_b, 1);
	static const int order[] = { 0, 1, 2, 0, 2, 3, 1, 4, 1, 5 };
	struct found f = { 0 };
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		install(w, &e, &shapes[order[i]]);
		dump(&f, 254, KERNEL_RTPROT_NVAD);
		expect_route(&f, pfx, &shapes[order[i]]);
	}
	/* A multipath route replaced within one batch, twice. */
	assert_true(kernel_route_replace(w, &shapes[1]));
	assert_true(kernel_route_replace(w, &shapes[2]));
	install(w, &e, &shapes[0]);
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	expect_route(&f, pfx, &shapes[0]);
	free(f.v);
	kernel_writer_close(w);
}

static void test_replace_ipv4(void **state)
{
	(void)state;
	NEED_NS();
	replace_cycle("10.100.7.0/24", false);
}

static void test_replace_ipv6(void **state)
{
	(void)state;
	NEED_NS();
	replace_cycle("2001:db8:107::/48", true);
}

static void test_delete(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec a, b, c;
	spec_init(&a, "10.100.8.0/24", 254, 20);
	add_gw(&a, "10.1.0.2", if_a, 1);
	add_gw(&a, "10.2.0.2", if_b, 1);
	spec_init(&b, "2001:db8:108::/48", 254, 20);
	add_gw(&b, "2001:db8:1::2", if_a, 1);
	add_gw(&b, "2001:db8:2::2", if_b, 1);
	spec_init(&c, "10.100.18.0/24", 254, 20);
	set_blackhole(&c);
	assert_true(kernel_route_replace(w, &a));
	assert_true(kernel_route_replace(w, &b));
	install(w, &e, &c);
	struct found f = { 0 };
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	assert_non_null(find(&f, "10.100.8.0/24"));
	assert_non_null(find(&f, "2001:db8:108::/48"));
	assert_non_null(find(&f, "10.100.18.0/24"));
	/* A delete names the route by prefix, table, protocol and metric. */
	c.n_nh = 0;
	assert_true(kernel_route_delete(w, &a));
	assert_true(kernel_route_delete(w, &b));
	assert_true(kernel_route_delete(w, &c));
	assert_true(kernel_writer_sync(w, 5000));
	assert_int_equal(e.n, 0);
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	assert_null(find(&f, "10.100.8.0/24"));
	assert_null(find(&f, "2001:db8:108::/48"));
	assert_null(find(&f, "10.100.18.0/24"));
	/* Deleting what is gone is not an error worth reporting. */
	assert_true(kernel_route_delete(w, &a));
	assert_true(kernel_route_delete(w, &b));
	assert_true(kernel_writer_sync(w, 5000));
	assert_int_equal(e.n, 0);
	assert_int_equal(e.n_null, 0);
	struct kernel_writer_stats st;
	kernel_writer_get_stats(w, &st);
	assert_int_equal(st.errors, 2);
	free(f.v);
	kernel_writer_close(w);
}

static void test_refused_named(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	struct kernel_route_spec good1, bad4, good2, bad6, badsrc;
	spec_init(&good1, "10.100.9.0/24", 254, 20);
	add_gw(&good1, "10.1.0.2", 0, 1);
	spec_init(&bad4, "10.100.19.0/24", 254, 20);
	add_gw(&bad4, "10.99.0.1", 0, 1); /* no route to the gateway */
	spec_init(&good2, "2001:db8:109::/48", 254, 20);
	add_gw(&good2, "2001:db8:1::2", 0, 1);
	spec_init(&bad6, "2001:db8:119::/48", 254, 20);
	add_gw(&bad6, "2001:db8:99::1", 0, 1);
	spec_init(&badsrc, "10.100.29.0/24", 254, 20);
	add_gw(&badsrc, "10.1.0.2", 0, 1);
	assert_true(ipaddr_parse("192.0.2.1", &badsrc.src)); /* not a local address */
	assert_true(kernel_route_replace(w, &good1));
	assert_true(kernel_route_replace(w, &bad4));
	assert_true(kernel_route_replace(w, &good2));
	assert_true(kernel_route_replace(w, &bad6));
	assert_true(kernel_route_replace(w, &badsrc));
	kernel_writer_flush(w);
	assert_true(kernel_writer_sync(w, 5000));
	assert_int_equal(e.n, 3);
	assert_int_equal(e.n_null, 0);
	assert_true(prefix_equal(&e.dst[0], &bad4.dst));
	assert_int_equal(e.err[0], ENETUNREACH);
	assert_true(prefix_equal(&e.dst[1], &bad6.dst));
	assert_true(e.err[1] != 0);
	assert_true(prefix_equal(&e.dst[2], &badsrc.dst));
	assert_true(e.err[2] != 0);
	/* The rest of the batch went in. */
	struct found f = { 0 };
	dump(&f, 254, KERNEL_RTPROT_NVAD);
	assert_non_null(find(&f, "10.100.9.0/24"));
	assert_non_null(find(&f, "2001:db8:109::/48"));
	assert_null(find(&f, "10.100.19.0/24"));
	assert_null(find(&f, "2001:db8:119::/48"));
	assert_null(find(&f, "10.100.29.0/24"));
	free(f.v);
	kernel_writer_close(w);
}

/* With a loop: the writer's socket is registered, and answers are still
 * named (they are read at the send already; the loop takes late ones). */
static void test_refused_through_loop(void **state)
{
	(void)state;
	NEED_NS();
	struct loop *l = loop_new();
	assert_non_null(l);
	struct errs e = { 0 };
	struct kernel_writer *w = kernel_writer_open(l, &lg, on_error, &e);
	assert_non_null(w);
	struct kernel_route_spec bad;
	spec_init(&bad, "10.100.39.0/24", 254, 20);
	add_gw(&bad, "10.98.0.1", 0, 1);
	assert_true(kernel_route_replace(w, &bad));
	kernel_writer_flush(w);
	for (int i = 0; i < 20 && e.n == 0; i++)
		loop_run_once(l, 50);
	assert_int_equal(e.n, 1);
	assert_true(prefix_equal(&e.dst[0], &bad.dst));
	assert_int_equal(e.err[0], ENETUNREACH);
	kernel_writer_close(w);
	loop_free(l);
}

static void count_cb(void *ctx, const struct kernel_route_spec *r)
{
	(void)r;
	(*(size_t *)ctx)++;
}

static size_t count(uint32_t table)
{
	size_t n = 0;
	assert_true(kernel_routes_dump(table, KERNEL_RTPROT_NVAD, count_cb, &n));
	return n;
}

static void bulk(bool v6, size_t batch, bool one_send, bool threaded)
{
	enum { N = 10000 };
	struct errs e;
	struct kernel_writer *w = writer(&e);
	if (threaded)
		assert_true(kernel_writer_set_threaded(w));
	assert_true(kernel_writer_set_batch(w, batch));
	uint32_t table = v6 ? 2006 : 2004;
	struct kernel_route_spec r;
	spec_init(&r, v6 ? "fd00::/16" : "11.0.0.0/8", table, 20);
	add_gw(&r, v6 ? "2001:db8:1::2" : "10.1.0.2", 0, 1);
	for (uint32_t i = 0; i < N; i++) {
		if (v6) {
			r.dst.len = 48; /* fd00:XXXX::/48 */
			r.dst.a[0] = 0xfd;
			r.dst.a[1] = 0x00;
			r.dst.a[2] = (uint8_t)(i >> 8);
			r.dst.a[3] = (uint8_t)i;
		} else {
			r.dst.len = 24;
			r.dst.a[0] = 11;
			r.dst.a[1] = (uint8_t)(i >> 8);
			r.dst.a[2] = (uint8_t)i;
		}
		assert_true(kernel_route_replace(w, &r));
	}
	assert_true(kernel_writer_sync(w, 20000));
	struct kernel_writer_stats st;
	kernel_writer_get_stats(w, &st);
	assert_int_equal(st.queued, N);
	if (one_send && st.batch >= batch)
		assert_int_equal(st.sends, 1);
	else
		assert_true(st.sends > 1);
	assert_int_equal(e.n, 0);
	assert_int_equal(e.n_null, 0);
	assert_int_equal(count(table), N);
	for (uint32_t i = 0; i < N; i++) {
		if (v6) {
			r.dst.a[2] = (uint8_t)(i >> 8);
			r.dst.a[3] = (uint8_t)i;
		} else {
			r.dst.a[1] = (uint8_t)(i >> 8);
			r.dst.a[2] = (uint8_t)i;
		}
		assert_true(kernel_route_delete(w, &r));
	}
	assert_true(kernel_writer_sync(w, 20000));
	assert_int_equal(e.n, 0);
	assert_int_equal(count(table), 0);
	kernel_writer_close(w);
}

static void test_bulk_one_batch(void **state)
{
	(void)state;
	NEED_NS();
	bulk(false, 1024 * 1024, true, false);
}

static void test_bulk_ipv6_small_batches(void **state)
{
	(void)state;
	NEED_NS();
	bulk(true, 16 * 1024, false, false);
}

/* The sender thread: many small batches in flight, both families. */
static void test_threaded_bulk(void **state)
{
	(void)state;
	NEED_NS();
	bulk(false, 16 * 1024, false, true);
	bulk(true, 8 * 1024, false, true);
}

/* The sender thread: refusals among thousands of good routes over many
 * batches are named, in order, once the caller syncs; the rest went in. */
static void test_threaded_refused(void **state)
{
	(void)state;
	NEED_NS();
	struct errs e;
	struct kernel_writer *w = writer(&e);
	assert_true(kernel_writer_set_threaded(w));
	assert_true(kernel_writer_set_batch(w, 8 * 1024));
	struct kernel_route_spec r;
	for (uint32_t i = 0; i < 3000; i++) {
		char pfx[32];
		snprintf(pfx, sizeof pfx, "12.%u.%u.0/24", i >> 8, i & 255);
		spec_init(&r, pfx, 2012, 20);
		add_gw(&r, i % 1000 == 999 ? "10.97.0.1" : "10.1.0.2", 0, 1); /* 3 unreachable */
		assert_true(kernel_route_replace(w, &r));
	}
	kernel_writer_flush(w);
	assert_true(kernel_writer_sync(w, 10000));
	assert_int_equal(e.n, 3);
	static const char *const bad[] = { "12.3.231.0/24", "12.7.207.0/24", "12.11.183.0/24" };
	for (int i = 0; i < 3; i++) {
		struct prefix p;
		assert_true(prefix_parse(bad[i], false, &p));
		assert_true(prefix_equal(&e.dst[i], &p));
		assert_int_equal(e.err[i], ENETUNREACH);
	}
	assert_int_equal(count(2012), 2997);
	struct kernel_writer_stats st;
	kernel_writer_get_stats(w, &st);
	assert_true(st.sends > 3);
	kernel_writer_close(w); /* the thread stops; nothing leaks (ASan) */
}

/* The sender thread with a loop: a refusal reaches the callback through the
 * loop, with nothing but a flush from the caller. */
static void test_threaded_loop(void **state)
{
	(void)state;
	NEED_NS();
	struct loop *l = loop_new();
	assert_non_null(l);
	struct errs e = { 0 };
	struct kernel_writer *w = kernel_writer_open(l, &lg, on_error, &e);
	assert_non_null(w);
	assert_true(kernel_writer_set_threaded(w));
	struct kernel_route_spec bad;
	spec_init(&bad, "10.100.49.0/24", 254, 20);
	add_gw(&bad, "10.98.0.1", 0, 1);
	assert_true(kernel_route_replace(w, &bad));
	kernel_writer_flush(w);
	for (int i = 0; i < 40 && e.n == 0; i++)
		loop_run_once(l, 50);
	assert_int_equal(e.n, 1);
	assert_true(prefix_equal(&e.dst[0], &bad.dst));
	assert_int_equal(e.err[0], ENETUNREACH);
	kernel_writer_close(w);
	loop_free(l);
}

/* More refusals in one send than the receive buffer holds answers for: the
 * loss is reported (a prefix of family 0, ENOBUFS), sync says so, and the writer
 * goes on working. */
static void test_answers_lost(void **state)
{
	(void)state;
	NEED_NS();
	enum { N = 250000 };
	struct errs e;
	struct kernel_writer *w = writer(&e);
	assert_true(kernel_writer_set_batch(w, KERNEL_BATCH_MAX));
	struct kernel_route_spec r;
	spec_init(&r, "12.0.0.0/24", 254, 20);
	add_gw(&r, "10.97.0.1", 0, 1); /* unreachable: every route refused */
	for (uint32_t i = 0; i < N; i++) {
		r.dst.a[1] = (uint8_t)(i >> 16);
		r.dst.a[2] = (uint8_t)(i >> 8);
		r.dst.a[3] = 0;
		r.dst.len = 24;
		r.dst.a[0] = (uint8_t)(12 + (i & 0xff));
		assert_true(kernel_route_replace(w, &r));
	}
	assert_false(kernel_writer_sync(w, 20000));
	assert_true(e.n_null >= 1);
	assert_true(e.n > 0 && e.n < N);
	struct kernel_writer_stats st;
	kernel_writer_get_stats(w, &st);
	assert_true(st.lost >= 1);
	/* Still usable. */
	memset(&e, 0, sizeof(e));
	spec_init(&r, "10.100.49.0/24", 254, 20);
	add_gw(&r, "10.1.0.2", 0, 1);
	install(w, &e, &r);
	kernel_writer_close(w);
}

/* ---- the namespace ---------------------------------------------------------- */

static void make_namespace(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "# not root: kernel route tests skipped\n");
		return;
	}
	if (unshare(CLONE_NEWNET) < 0) {
		fprintf(stderr, "# unshare(CLONE_NEWNET): %s: kernel route tests skipped\n", strerror(errno));
		return;
	}
	/* From here on, every socket and every `ip` run acts on the new
	 * namespace only. */
	int rc = system("exec >/dev/null 2>&1; ip link set lo up &&"
			" ip link add kr0 type veth peer name kr1 &&"
			" ip link set kr0 up && ip link set kr1 up &&"
			" ip addr add 10.1.0.1/24 dev kr0 && ip addr add 10.2.0.1/24 dev kr1 &&"
			" ip -6 addr add 2001:db8:1::1/64 dev kr0 nodad &&"
			" ip -6 addr add 2001:db8:2::1/64 dev kr1 nodad");
	if (rc != 0) {
		fprintf(stderr, "# setting up the namespace's interfaces failed: tests skipped\n");
		return;
	}
	if_a = (int)if_nametoindex("kr0");
	if_b = (int)if_nametoindex("kr1");
	ns_ready = if_a > 0 && if_b > 0;
}

int main(void)
{
	log_open(&lg, "test_kernel_route", LOG_LVL_WARN, false);
	make_namespace();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_refusals),
		cmocka_unit_test(test_ipv4_single),
		cmocka_unit_test(test_ipv4_ecmp),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_blackhole),
		cmocka_unit_test(test_prefsrc),
		cmocka_unit_test(test_iface_routes),
		cmocka_unit_test(test_ipv4_via_ipv6),
		cmocka_unit_test(test_tables_and_protocols),
		cmocka_unit_test(test_replace_ipv4),
		cmocka_unit_test(test_replace_ipv6),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_refused_named),
		cmocka_unit_test(test_refused_through_loop),
		cmocka_unit_test(test_bulk_one_batch),
		cmocka_unit_test(test_bulk_ipv6_small_batches),
		cmocka_unit_test(test_answers_lost),
		cmocka_unit_test(test_threaded_bulk),
		cmocka_unit_test(test_threaded_refused),
		cmocka_unit_test(test_threaded_loop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

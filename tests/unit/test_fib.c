/* test_fib.c: the FIB model, table-driven: each scenario is a list of steps
 * in a small language (underlay routes, static and BGP routes, adoption) with
 * the routes fib_sync must hand out after each "sync", or what `show` would
 * say of a prefix. Then a scale case: 100k BGP prefixes over two next hops. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/fib.h"
#include "kernel/netlink.h"

#define OUT_LEN 2048
#define MAX_LINES 64

struct rec {
	char lines[MAX_LINES][1200];
	unsigned n;
	unsigned installs, removes;
	bool keep; /* record lines (off for the scale case) */
};

static void fmt_nh(char *buf, size_t len, const struct kernel_nexthop *nh, unsigned n)
{
	size_t o = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < n && o < len; i++) {
		char a[IPADDR_STRLEN];
		const char *sep = i ? ", " : " ";
		if (nh[i].kind == KERNEL_NH_BLACKHOLE)
			o += (size_t)snprintf(buf + o, len - o, "%sblackhole", sep);
		else if (nh[i].kind == KERNEL_NH_IFACE)
			o += (size_t)snprintf(buf + o, len - o, "%sdev %d", sep, nh[i].ifindex);
		else
			o += (size_t)snprintf(buf + o, len - o, "%svia %s dev %d", sep,
					      ipaddr_fmt(&nh[i].gateway, a, sizeof(a)), nh[i].ifindex);
	}
}

static void rec_line(struct rec *r, char sign, const struct kernel_route_spec *s)
{
	assert_int_equal(s->table, 254);
	assert_int_equal(s->protocol, KERNEL_RTPROT_NVAD);
	if (!r->keep)
		return;
	assert_true(r->n < MAX_LINES);
	char p[PREFIX_STRLEN], nh[1024];
	fmt_nh(nh, sizeof(nh), s->nh, s->n_nh);
	snprintf(r->lines[r->n++], sizeof(r->lines[0]), "%c%s m%u%s", sign, prefix_fmt(&s->dst, p, sizeof(p)),
		 s->metric, nh);
}

static void on_install(void *ctx, const struct kernel_route_spec *s)
{
	struct rec *r = ctx;
	r->installs++;
	assert_true(s->n_nh > 0);
	rec_line(r, '+', s);
}

static void on_remove(void *ctx, const struct kernel_route_spec *s)
{
	struct rec *r = ctx;
	r->removes++;
	rec_line(r, '-', s);
}

static int line_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* What one fib_sync hands out, sorted, joined with " | ". */
static void sync_str(struct fib *f, char *out, size_t len)
{
	struct rec r;
	memset(&r, 0, sizeof(r));
	r.keep = true;
	fib_sync(f, on_install, on_remove, &r);
	qsort(r.lines, r.n, sizeof(r.lines[0]), line_cmp);
	size_t o = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < r.n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%s", i ? " | " : "", r.lines[i]);
}

/* `show` of one prefix: per candidate, a letter (K C S B b), > selected,
 * * installed, [distance/metric], and the resolved next hops or "unresolved". */
struct show_ctx {
	struct prefix want;
	char *out;
	size_t len, o;
};

static void show_fn(void *ctx, const struct fib_entry_view *e)
{
	struct show_ctx *s = ctx;
	if (!prefix_equal(e->prefix, &s->want))
		return;
	static const char letters[] = { 'S', 'B', 'b', 'C', 'K' };
	char nh[1024];
	fmt_nh(nh, sizeof(nh), e->resolved, e->n_resolved);
	s->o += (size_t)snprintf(s->out + s->o, s->len - s->o, "%s%c%s%s [%u/%u]%s", s->o ? " | " : "",
				 letters[e->source], e->selected ? ">" : "", e->installed ? "*" : "",
				 e->distance, e->metric, e->n_resolved ? nh : " unresolved");
}

static void show_str(struct fib *f, const char *pfx, char *out, size_t len)
{
	struct show_ctx s = { .out = out, .len = len };
	assert_true(prefix_parse(pfx, false, &s.want));
	out[0] = '\0';
	fib_walk(f, s.want.family, show_fn, &s);
}

/* ---- the step language ---- */

static char *next_tok(char **p)
{
	while (**p == ' ')
		(*p)++;
	if (!**p)
		return NULL;
	char *t = *p;
	while (**p && **p != ' ')
		(*p)++;
	if (**p)
		*(*p)++ = '\0';
	return t;
}

static struct prefix tok_prefix(char **p)
{
	struct prefix x;
	char *t = next_tok(p);
	assert_non_null(t);
	assert_true(prefix_parse(t, false, &x));
	return x;
}

static struct ipaddr tok_addr(const char *t)
{
	struct ipaddr a;
	if (!ipaddr_parse(t, &a))
		fail_msg("bad address in test table: %s", t);
	return a;
}

/* Next hops: "blackhole", "dev:N", "ADDR" or "ADDR%N". */
static unsigned tok_fnh(char **p, struct fib_nexthop *nh, unsigned max)
{
	unsigned n = 0;
	char *t;
	while ((t = next_tok(p)) && n < max) {
		memset(&nh[n], 0, sizeof(nh[n]));
		if (strcmp(t, "blackhole") == 0) {
			nh[n].kind = KERNEL_NH_BLACKHOLE;
		} else if (strncmp(t, "dev:", 4) == 0) {
			nh[n].kind = KERNEL_NH_IFACE;
			nh[n].ifindex = atoi(t + 4);
		} else {
			char *pct = strchr(t, '%');
			if (pct) {
				*pct = '\0';
				nh[n].ifindex = atoi(pct + 1);
			}
			nh[n].kind = KERNEL_NH_GATEWAY;
			nh[n].gateway = tok_addr(t);
		}
		n++;
	}
	return n;
}

static uint32_t tok_u32(char **p)
{
	char *t = next_tok(p);
	assert_non_null(t);
	return (uint32_t)strtoul(t, NULL, 0);
}

static void run_op(struct fib *f, const char *op, const char *expect)
{
	char buf[512], out[OUT_LEN];
	snprintf(buf, sizeof(buf), "%s", op);
	char *p = buf;
	char *verb = next_tok(&p);
	assert_non_null(verb);
	struct fib_nexthop fnh[KERNEL_MAX_NEXTHOPS];
	struct kernel_nexthop knh[2];
	memset(knh, 0, sizeof(knh));
	if (strcmp(verb, "sync") == 0) {
		sync_str(f, out, sizeof(out));
		if (strcmp(out, expect) != 0)
			fail_msg("sync:\n  got  \"%s\"\n  want \"%s\"", out, expect);
	} else if (strcmp(verb, "show") == 0) {
		char *t = next_tok(&p);
		show_str(f, t, out, sizeof(out));
		if (strcmp(out, expect) != 0)
			fail_msg("show %s:\n  got  \"%s\"\n  want \"%s\"", t, out, expect);
	} else if (strcmp(verb, "conn") == 0 || strcmp(verb, "conn-") == 0) {
		struct prefix x = tok_prefix(&p);
		knh[0].kind = KERNEL_NH_IFACE;
		knh[0].ifindex = (int)tok_u32(&p);
		assert_true(fib_underlay(f, verb[4] != '-', FIB_UL_CONNECTED, &x, 0, knh, 1));
	} else if (strcmp(verb, "kern") == 0) {
		/* kern PREFIX METRIC GW|- IFINDEX */
		struct prefix x = tok_prefix(&p);
		uint32_t metric = tok_u32(&p);
		char *gw = next_tok(&p);
		knh[0].ifindex = (int)tok_u32(&p);
		if (strcmp(gw, "-") == 0) {
			knh[0].kind = KERNEL_NH_IFACE;
		} else {
			knh[0].kind = KERNEL_NH_GATEWAY;
			knh[0].gateway = tok_addr(gw);
		}
		assert_true(fib_underlay(f, true, FIB_UL_KERNEL, &x, metric, knh, 1));
	} else if (strcmp(verb, "kern-") == 0) {
		struct prefix x = tok_prefix(&p);
		uint32_t metric = tok_u32(&p);
		assert_true(fib_underlay(f, false, FIB_UL_KERNEL, &x, metric, NULL, 0));
	} else if (strcmp(verb, "adopt") == 0) {
		/* adopt PREFIX METRIC NH... (with %ifindex) */
		struct kernel_route_spec s;
		memset(&s, 0, sizeof(s));
		s.dst = tok_prefix(&p);
		s.table = 254;
		s.protocol = KERNEL_RTPROT_NVAD;
		s.metric = tok_u32(&p);
		unsigned n = tok_fnh(&p, fnh, KERNEL_MAX_NEXTHOPS);
		for (unsigned i = 0; i < n; i++) {
			s.nh[i].kind = fnh[i].kind;
			s.nh[i].gateway = fnh[i].gateway;
			s.nh[i].ifindex = fnh[i].ifindex;
			s.nh[i].weight = 1;
		}
		s.n_nh = (uint8_t)n;
		assert_true(fib_adopt(f, &s));
	} else if (strcmp(verb, "sweep") == 0) {
		fib_sweep(f);
	} else {
		/* static|ebgp|ibgp[-|^] PREFIX [d=N] NH...: ^ also removes the
		 * other BGP source's route, in one call (fib_set_other) */
		size_t l = strlen(verb);
		bool del = verb[l - 1] == '-', move = verb[l - 1] == '^';
		if (del || move)
			verb[l - 1] = '\0';
		uint8_t src = strcmp(verb, "static") == 0 ? FIB_SRC_STATIC
			      : strcmp(verb, "ebgp") == 0 ? FIB_SRC_EBGP
			      : strcmp(verb, "ibgp") == 0 ? FIB_SRC_IBGP
							  : FIB_SRC_COUNT;
		if (src == FIB_SRC_COUNT)
			fail_msg("unknown step: %s", op);
		struct prefix x = tok_prefix(&p);
		uint8_t dist = 0;
		while (*p == ' ')
			p++;
		if (strncmp(p, "d=", 2) == 0) {
			char *t = next_tok(&p);
			dist = (uint8_t)atoi(t + 2);
		}
		unsigned n = del ? 0 : tok_fnh(&p, fnh, KERNEL_MAX_NEXTHOPS);
		uint8_t other = !move ? FIB_SRC_COUNT : src == FIB_SRC_EBGP ? FIB_SRC_IBGP : FIB_SRC_EBGP;
		assert_true(fib_set_other(f, other, src, &x, fnh, n, dist, NULL));
	}
}

struct step {
	const char *op;
	const char *expect; /* for sync and show */
};

struct scenario {
	const char *name;
	bool resolve_via_default;
	struct step steps[40];
};

/* The reference NVA: eth0 (ifindex 2) on 10.0.0.0/24, Azure's DHCP default
 * route, static routes towards the Route Server's subnet and a spoke, and
 * the Route Server's two instances announcing two prefixes (multipath). */
#define REF_UNDERLAY                                                                        \
	{ "conn 10.0.0.0/24 2", NULL }, { "kern 0.0.0.0/0 100 10.0.0.1 2", NULL },           \
		{ "static 10.0.210.0/24 10.0.0.1", NULL }, { "static 10.10.0.0/16 10.0.0.1", NULL }
#define REF_BGP                                                                               \
	{ "ebgp 10.0.0.0/16 10.0.210.4 10.0.210.5", NULL },                                   \
	{ "ebgp 10.100.0.0/16 10.0.210.4 10.0.210.5", NULL }
#define REF_SYNC                                                                              \
	"+10.0.0.0/16 m20 via 10.0.0.1 dev 2 | +10.0.210.0/24 m1 via 10.0.0.1 dev 2 | "       \
	"+10.10.0.0/16 m1 via 10.0.0.1 dev 2 | +10.100.0.0/16 m20 via 10.0.0.1 dev 2"

static const struct scenario scenarios[] = {
	{ "reference NVA: recursive via static, deduplicated, statics at distance 1",
	  false,
	  { REF_UNDERLAY, REF_BGP,
	    { "sync", REF_SYNC },
	    { "sync", "" },
	    { "show 10.0.0.0/16", "B>* [20/20] via 10.0.0.1 dev 2" },
	    { "show 10.0.210.0/24", "S>* [1/1] via 10.0.0.1 dev 2" },
	    { "show 0.0.0.0/0", "K>* [0/100] via 10.0.0.1 dev 2" },
	    { "show 10.0.0.0/24", "C>* [0/0] dev 2" } } },
	{ "through the default route only with resolve-via-default (off)",
	  false,
	  { { "conn 10.0.0.0/24 2", NULL },
	    { "kern 0.0.0.0/0 100 10.0.0.1 2", NULL },
	    { "ebgp 10.100.0.0/16 10.0.210.4", NULL },
	    { "static 10.11.0.0/16 10.0.210.9", NULL },
	    { "sync", "" },
	    { "show 10.100.0.0/16", "B [20/20] unresolved" },
	    { "show 10.11.0.0/16", "S [1/1] unresolved" } } },
	{ "through the default route only with resolve-via-default (on)",
	  true,
	  { { "conn 10.0.0.0/24 2", NULL },
	    { "kern 0.0.0.0/0 100 10.0.0.1 2", NULL },
	    { "ebgp 10.100.0.0/16 10.0.210.4", NULL },
	    { "sync", "+10.100.0.0/16 m20 via 10.0.0.1 dev 2" },
	    { "kern- 0.0.0.0/0 100", NULL },
	    { "sync", "-10.100.0.0/16 m20" } } },
	{ "a BGP route moving from eBGP to iBGP and back leaves the other source",
	  false,
	  { { "conn 10.0.0.0/24 2", NULL },
	    { "ebgp 10.70.0.0/16 10.0.0.7", NULL },
	    { "sync", "+10.70.0.0/16 m20 via 10.0.0.7 dev 2" },
	    { "ibgp^ 10.70.0.0/16 10.0.0.8", NULL },
	    { "sync", "+10.70.0.0/16 m200 via 10.0.0.8 dev 2 | -10.70.0.0/16 m20" },
	    { "show 10.70.0.0/16", "b>* [200/200] via 10.0.0.8 dev 2" },
	    { "ebgp^ 10.70.0.0/16 10.0.0.9", NULL },
	    { "sync", "+10.70.0.0/16 m20 via 10.0.0.9 dev 2 | -10.70.0.0/16 m200" },
	    { "show 10.70.0.0/16", "B>* [20/20] via 10.0.0.9 dev 2" },
	    { "ebgp^ 10.70.0.0/16", NULL },
	    { "sync", "-10.70.0.0/16 m20" } } },
	{ "unresolvable next hops are dropped; none left, nothing installed",
	  false,
	  { { "conn 10.0.0.0/24 2", NULL },
	    { "ebgp 10.60.0.0/16 192.168.1.1 10.0.0.7", NULL },
	    { "ebgp 10.61.0.0/16 192.168.1.1", NULL },
	    { "ibgp 10.62.0.0/16 fe80::1", NULL }, /* link-local without an interface */
	    { "sync", "+10.60.0.0/16 m20 via 10.0.0.7 dev 2" },
	    { "show 10.61.0.0/16", "B [20/20] unresolved" } } },
	{ "a next hop on a connected subnet is the gateway itself",
	  false,
	  { { "conn 10.0.0.0/24 2", NULL },
	    { "conn 10.0.1.0/24 3", NULL },
	    { "ebgp 10.50.0.0/16 10.0.0.7", NULL },
	    { "ibgp 10.51.0.0/16 10.0.1.9", NULL },
	    { "static 10.52.0.0/16 dev:3", NULL },
	    { "sync", "+10.50.0.0/16 m20 via 10.0.0.7 dev 2 | +10.51.0.0/16 m200 via 10.0.1.9 dev 3 | "
		      "+10.52.0.0/16 m1 dev 3" } } },
	{ "recursion: eight static routes deep resolve, nine do not; a loop does not",
	  false,
	  { { "conn 10.0.0.0/24 2", NULL },
	    { "static 10.1.0.0/16 10.2.0.1", NULL },
	    { "static 10.2.0.0/16 10.3.0.1", NULL },
	    { "static 10.3.0.0/16 10.4.0.1", NULL },
	    { "static 10.4.0.0/16 10.5.0.1", NULL },
	    { "static 10.5.0.0/16 10.6.0.1", NULL },
	    { "static 10.6.0.0/16 10.7.0.1", NULL },
	    { "static 10.7.0.0/16 10.8.0.1", NULL },
	    { "static 10.8.0.0/16 10.9.0.1", NULL },
	    { "static 10.9.0.0/16 10.0.0.9", NULL },
	    { "ebgp 10.90.0.0/16 10.2.0.5", NULL }, /* through 8 statics */
	    { "ebgp 10.91.0.0/16 10.1.0.5", NULL }, /* through 9 */
	    { "static 10.20.0.0/16 10.21.0.1", NULL },
	    { "static 10.21.0.0/16 10.20.0.1", NULL },
	    { "ebgp 10.92.0.0/16 10.20.0.5", NULL }, /* a loop */
	    { "sync", "+10.1.0.0/16 m1 via 10.0.0.9 dev 2 | +10.2.0.0/16 m1 via 10.0.0.9 dev 2 | "
		      "+10.3.0.0/16 m1 via 10.0.0.9 dev 2 | +10.4.0.0/16 m1 via 10.0.0.9 dev 2 | "
		      "+10.5.0.0/16 m1 via 10.0.0.9 dev 2 | +10.6.0.0/16 m1 via 10.0.0.9 dev 2 | "
		      "+10.7.0.0/16 m1 via 10.0.0.9 dev 2 | +10.8.0.0/16 m1 via 10.0.0.9 dev 2 | "
		      "+10.9.0.0/16 m1 via 10.0.0.9 dev 2 | +10.90.0.0/16 m20 via 10.0.0.9 dev 2" },
	    { "show 10.91.0.0/16", "B [20/20] unresolved" },
	    { "show 10.92.0.0/16", "B [20/20] unresolved" },
	    { "show 10.20.0.0/16", "S [1/1] unresolved" },
	    /* Breaking the loop with a connected route makes all three good. */
	    { "conn 10.21.0.0/24 4", NULL },
	    { "sync", "+10.20.0.0/16 m1 via 10.21.0.1 dev 4 | +10.21.0.0/16 m1 via 10.21.0.1 dev 4 | "
		      "+10.92.0.0/16 m20 via 10.21.0.1 dev 4" } } },
	{ "a route does not resolve through itself (but a host route may)",
	  false,
	  { { "conn 10.0.0.0/16 2", NULL },
	    { "static 10.0.210.0/24 10.0.210.1", NULL },
	    { "static 10.0.5.5/32 10.0.5.5", NULL },
	    { "sync", "+10.0.5.5/32 m1 via 10.0.5.5 dev 2" },
	    { "show 10.0.210.0/24", "S [1/1] unresolved" } } },
	{ "underlay change: the Route Server's subnet route goes and comes back (no default)",
	  false,
	  { REF_UNDERLAY, REF_BGP,
	    { "sync", REF_SYNC },
	    { "static- 10.0.210.0/24", NULL },
	    { "sync", "-10.0.0.0/16 m20 | -10.0.210.0/24 m1 | -10.100.0.0/16 m20" },
	    { "static 10.0.210.0/24 10.0.0.1", NULL },
	    { "sync", "+10.0.0.0/16 m20 via 10.0.0.1 dev 2 | +10.0.210.0/24 m1 via 10.0.0.1 dev 2 | "
		      "+10.100.0.0/16 m20 via 10.0.0.1 dev 2" },
	    /* A more specific kernel route moves the Route Server's next hops. */
	    { "kern 10.0.210.0/25 0 10.0.0.2 2", NULL },
	    { "sync", "+10.0.0.0/16 m20 via 10.0.0.2 dev 2 | +10.100.0.0/16 m20 via 10.0.0.2 dev 2" },
	    { "kern- 10.0.210.0/25 0", NULL },
	    { "sync", "+10.0.0.0/16 m20 via 10.0.0.1 dev 2 | +10.100.0.0/16 m20 via 10.0.0.1 dev 2" },
	    /* The connected subnet goes: nothing resolves any more. */
	    { "conn- 10.0.0.0/24 2", NULL },
	    { "sync", "-10.0.0.0/16 m20 | -10.0.210.0/24 m1 | -10.10.0.0/16 m1 | -10.100.0.0/16 m20" } } },
	{ "underlay change with resolve-via-default: the default takes over, unchanged routes stay",
	  true,
	  { REF_UNDERLAY, REF_BGP,
	    { "sync", REF_SYNC },
	    { "static- 10.0.210.0/24", NULL },
	    { "sync", "-10.0.210.0/24 m1" },
	    { "show 10.0.0.0/16", "B>* [20/20] via 10.0.0.1 dev 2" },
	    { "kern 0.0.0.0/0 100 10.0.0.3 2", NULL },
	    { "sync", "+10.0.0.0/16 m20 via 10.0.0.3 dev 2 | +10.100.0.0/16 m20 via 10.0.0.3 dev 2" },
	    { "static 10.0.210.0/24 10.0.0.1", NULL },
	    { "sync", "+10.0.0.0/16 m20 via 10.0.0.1 dev 2 | +10.0.210.0/24 m1 via 10.0.0.1 dev 2 | "
		      "+10.100.0.0/16 m20 via 10.0.0.1 dev 2" } } },
	{ "distances: eBGP beats iBGP, static beats eBGP, an underlay route at the prefix wins",
	  false,
	  { { "conn 10.0.0.0/24 2", NULL },
	    { "ibgp 10.70.0.0/16 10.0.0.5", NULL },
	    { "sync", "+10.70.0.0/16 m200 via 10.0.0.5 dev 2" },
	    { "ebgp 10.70.0.0/16 10.0.0.6", NULL },
	    { "sync", "+10.70.0.0/16 m20 via 10.0.0.6 dev 2 | -10.70.0.0/16 m200" },
	    { "static 10.70.0.0/16 10.0.0.7", NULL },
	    { "sync", "+10.70.0.0/16 m1 via 10.0.0.7 dev 2 | -10.70.0.0/16 m20" },
	    { "show 10.70.0.0/16", "S>* [1/1] via 10.0.0.7 dev 2 | B [20/20] via 10.0.0.6 dev 2 | "
				   "b [200/200] via 10.0.0.5 dev 2" },
	    { "kern 10.70.0.0/16 100 10.0.0.8 2", NULL },
	    { "sync", "-10.70.0.0/16 m1" },
	    { "show 10.70.0.0/16", "K>* [0/100] via 10.0.0.8 dev 2 | S [1/1] via 10.0.0.7 dev 2 | "
				   "B [20/20] via 10.0.0.6 dev 2 | b [200/200] via 10.0.0.5 dev 2" },
	    { "kern- 10.70.0.0/16 100", NULL },
	    { "sync", "+10.70.0.0/16 m1 via 10.0.0.7 dev 2" },
	    /* A floating static (distance 250) yields to BGP. */
	    { "static 10.70.0.0/16 d=250 10.0.0.7", NULL },
	    { "sync", "+10.70.0.0/16 m20 via 10.0.0.6 dev 2 | -10.70.0.0/16 m1" },
	    /* A kernel route whose metric's top byte says distance 255 never wins. */
	    { "kern 10.70.0.0/16 0xff000000 10.0.0.8 2", NULL },
	    { "sync", "" },
	    /* A connected subnet wins over everything. */
	    { "conn 10.70.0.0/16 3", NULL },
	    { "sync", "-10.70.0.0/16 m20" },
	    { "ebgp- 10.70.0.0/16", NULL },
	    { "ibgp- 10.70.0.0/16", NULL },
	    { "static- 10.70.0.0/16", NULL },
	    { "sync", "" } } },
	{ "ECMP over multipath next hops with different gateways",
	  false,
	  { { "conn 10.0.0.0/24 2", NULL },
	    { "static 10.0.210.0/25 10.0.0.1", NULL },
	    { "static 10.0.210.128/25 10.0.0.2", NULL },
	    { "ebgp 10.80.0.0/16 10.0.210.4 10.0.210.200 10.0.210.5", NULL },
	    { "sync", "+10.0.210.0/25 m1 via 10.0.0.1 dev 2 | +10.0.210.128/25 m1 via 10.0.0.2 dev 2 | "
		      "+10.80.0.0/16 m20 via 10.0.0.1 dev 2, via 10.0.0.2 dev 2" },
	    /* An ECMP static route resolves to both of its gateways. */
	    { "static 10.0.210.0/24 10.0.0.3 10.0.0.4", NULL },
	    { "static- 10.0.210.128/25", NULL },
	    { "sync", "+10.0.210.0/24 m1 via 10.0.0.3 dev 2, via 10.0.0.4 dev 2 | "
		      "+10.80.0.0/16 m20 via 10.0.0.1 dev 2, via 10.0.0.3 dev 2, via 10.0.0.4 dev 2 | "
		      "-10.0.210.128/25 m1" } } },
	{ "IPv6: a link-local next hop with its interface, a global one on a connected subnet",
	  false,
	  { { "conn 2001:db8::/64 3", NULL },
	    { "conn fe80::/64 3", NULL },
	    { "conn fe80::/64 4", NULL },
	    { "ebgp 2001:db8:100::/48 fe80::1%3 2001:db8::5", NULL },
	    { "ebgp 2001:db8:200::/48 fe80::2", NULL },
	    { "sync", "+2001:db8:100::/48 m20 via 2001:db8::5 dev 3, via fe80::1 dev 3" },
	    { "show 2001:db8:200::/48", "B [20/20] unresolved" },
	    { "conn- fe80::/64 4", NULL },
	    { "show fe80::/64", "C>* [0/0] dev 3" } } },
	{ "a blackhole static route resolves what falls in it to a blackhole",
	  false,
	  { { "static 10.0.0.0/8 blackhole", NULL },
	    { "ebgp 10.60.0.0/16 10.61.0.1", NULL },
	    { "sync", "+10.0.0.0/8 m1 blackhole | +10.60.0.0/16 m20 blackhole" } } },
	{ "a BGP prefix gains a static route, which next hops then resolve through, and loses it",
	  false,
	  { { "conn 10.0.0.0/24 2", NULL },
	    { "ebgp 10.5.0.0/16 10.0.0.7", NULL },
	    { "ebgp 10.9.0.0/16 10.5.1.1", NULL }, /* BGP routes resolve nothing */
	    { "sync", "+10.5.0.0/16 m20 via 10.0.0.7 dev 2" },
	    { "static 10.5.0.0/16 10.0.0.8", NULL },
	    { "sync", "+10.5.0.0/16 m1 via 10.0.0.8 dev 2 | +10.9.0.0/16 m20 via 10.0.0.8 dev 2 | "
		      "-10.5.0.0/16 m20" },
	    { "static 10.5.0.0/16 10.0.0.9", NULL }, /* replaced: the prefix stays resolving */
	    { "sync", "+10.5.0.0/16 m1 via 10.0.0.9 dev 2 | +10.9.0.0/16 m20 via 10.0.0.9 dev 2" },
	    { "static- 10.5.0.0/16", NULL },
	    { "sync", "+10.5.0.0/16 m20 via 10.0.0.7 dev 2 | -10.5.0.0/16 m1 | -10.9.0.0/16 m20" },
	    { "show 10.9.0.0/16", "B [20/20] unresolved" },
	    { "ebgp- 10.5.0.0/16", NULL },
	    { "conn- 10.0.0.0/24 2", NULL },
	    { "sync", "-10.5.0.0/16 m20" },
	    { "show 10.5.0.0/16", "" } } },
	{ "adoption: identical routes are kept, others replaced, the unwanted swept",
	  false,
	  { { "adopt 10.0.0.0/16 20 10.0.0.1%2", NULL },
	    { "adopt 10.99.0.0/16 20 10.0.0.1%2", NULL },
	    { "adopt 10.100.0.0/16 20 10.0.0.3%2", NULL },
	    { "adopt 10.10.0.0/16 20 10.0.0.1%2", NULL }, /* now wanted at metric 1 */
	    { "sync", "" },
	    REF_UNDERLAY,
	    REF_BGP,
	    { "sync", "+10.0.210.0/24 m1 via 10.0.0.1 dev 2 | +10.10.0.0/16 m1 via 10.0.0.1 dev 2 | "
		      "+10.100.0.0/16 m20 via 10.0.0.1 dev 2" },
	    { "show 10.0.0.0/16", "B>* [20/20] via 10.0.0.1 dev 2" },
	    { "sweep", NULL },
	    { "sync", "-10.10.0.0/16 m20 | -10.99.0.0/16 m20" },
	    { "sweep", NULL },
	    { "sync", "" } } },
};

static void run_scenario(const struct scenario *sc)
{
	struct fib_opts o = { .table = 254, .resolve_via_default = sc->resolve_via_default,
			      .metric_ebgp = 20, .metric_ibgp = 200, .metric_static = 1 };
	struct fib *f = fib_new(&o);
	assert_non_null(f);
	for (unsigned i = 0; i < sizeof(sc->steps) / sizeof(sc->steps[0]) && sc->steps[i].op; i++) {
		print_message("    %s\n", sc->steps[i].op);
		run_op(f, sc->steps[i].op, sc->steps[i].expect ? sc->steps[i].expect : "");
	}
	fib_free(f);
}

static void test_scenarios(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		print_message("  scenario: %s\n", scenarios[i].name);
		run_scenario(&scenarios[i]);
	}
}

/* 100k BGP prefixes over the Route Server's two next hops: every change
 * beneath them re-emits the 100k routes but resolves two addresses. */
static void test_scale(void **state)
{
	(void)state;
	struct fib_opts o = { .table = 254, .metric_ebgp = 20, .metric_ibgp = 200, .metric_static = 1 };
	struct fib *f = fib_new(&o);
	const char *setup[] = { "conn 10.0.0.0/24 2", "kern 0.0.0.0/0 100 10.0.0.1 2",
				"static 10.0.210.0/24 10.0.0.1" };
	for (size_t i = 0; i < 3; i++)
		run_op(f, setup[i], "");
	struct fib_nexthop nh[2];
	memset(nh, 0, sizeof(nh));
	nh[0].kind = nh[1].kind = KERNEL_NH_GATEWAY;
	nh[0].gateway = tok_addr("10.0.210.4");
	nh[1].gateway = tok_addr("10.0.210.5");
	const unsigned N = 100000;
	for (unsigned i = 0; i < N; i++) {
		struct prefix p;
		memset(&p, 0, sizeof(p));
		p.family = AF_INET;
		p.len = 24;
		p.a[0] = (uint8_t)(20 + i / 65536);
		p.a[1] = (uint8_t)(i / 256);
		p.a[2] = (uint8_t)i;
		assert_true(fib_set(f, FIB_SRC_EBGP, &p, nh, 2, 0, NULL));
	}
	struct rec r;
	memset(&r, 0, sizeof(r));
	fib_sync(f, on_install, on_remove, &r);
	assert_int_equal(r.installs, N + 1);
	struct fib_stats st0, st1;
	fib_get_stats(f, &st0);
	assert_int_equal(st0.nexthops, 3); /* 10.0.210.4, .5 and the static's 10.0.0.1 */
	assert_int_equal(st0.installed, N + 1);
	assert_int_equal(st0.prefixes, N + 3); /* and the connected, default and static ones */

	/* An unrelated underlay route: nothing resolved, nothing emitted. */
	run_op(f, "kern 192.168.0.0/16 0 10.0.0.1 2", "");
	fib_get_stats(f, &st1);
	assert_int_equal(st1.resolutions, st0.resolutions);
	memset(&r, 0, sizeof(r));
	fib_sync(f, on_install, on_remove, &r);
	assert_int_equal(r.installs + r.removes, 0);

	/* A more specific route under the Route Server: two resolutions, 100k
	 * routes re-emitted once. */
	run_op(f, "kern 10.0.210.0/25 0 10.0.0.2 2", "");
	fib_get_stats(f, &st1);
	assert_int_equal(st1.resolutions - st0.resolutions, 2);
	memset(&r, 0, sizeof(r));
	fib_sync(f, on_install, on_remove, &r);
	assert_int_equal(r.installs, N);
	assert_int_equal(r.removes, 0);
	memset(&r, 0, sizeof(r));
	fib_sync(f, on_install, on_remove, &r);
	assert_int_equal(r.installs + r.removes, 0);

	/* The static route goes (the /25 still covers both): nothing moves. */
	fib_get_stats(f, &st0);
	run_op(f, "static- 10.0.210.0/24", "");
	fib_get_stats(f, &st1);
	assert_int_equal(st1.resolutions - st0.resolutions, 2);
	memset(&r, 0, sizeof(r));
	fib_sync(f, on_install, on_remove, &r);
	assert_int_equal(r.installs, 0);
	assert_int_equal(r.removes, 1);

	/* The BGP routes go: their next hops leave the table. */
	for (unsigned i = 0; i < N; i++) {
		struct prefix p;
		memset(&p, 0, sizeof(p));
		p.family = AF_INET;
		p.len = 24;
		p.a[0] = (uint8_t)(20 + i / 65536);
		p.a[1] = (uint8_t)(i / 256);
		p.a[2] = (uint8_t)i;
		assert_true(fib_set(f, FIB_SRC_EBGP, &p, NULL, 0, 0, NULL));
	}
	memset(&r, 0, sizeof(r));
	fib_sync(f, on_install, on_remove, &r);
	assert_int_equal(r.removes, N);
	fib_get_stats(f, &st1);
	assert_int_equal(st1.nexthops, 0);
	assert_int_equal(st1.installed, 0);
	/* Left: the connected, default, 192.168.0.0/16 and /25 underlay routes. */
	assert_int_equal(st1.prefixes, 4);
	fib_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenarios),
		cmocka_unit_test(test_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

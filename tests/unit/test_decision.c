/* test_decision.c: best path selection (bgp_cand_cmp, bgp_cand_multipath,
 * bgp_rule_reason) against FRR's documented order of tie-breaks: weight,
 * local preference, local route, AS path length, origin, MED (same
 * neighbor AS unless always-compare-med), eBGP over iBGP, IGP metric, the
 * older of two eBGP paths (unless compare-routerid), router ID, cluster
 * length, neighbor address.
 *
 * A candidate is written as the differences from a base path, e.g.
 * "lp=200 ibgp": keys w (weight), lp, local, aslen, origin, med, nas
 * (neighbor AS), ebgp, ibgp, igp, rx (arrival order), rid (dotted quad),
 * cl (cluster length), peer (an IPv4 or IPv6 address). Options are words:
 * acm (always-compare-med), crid (compare-routerid), ignore (as-path
 * ignore), relax (as-path multipath-relax). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "bgp/decision.h"
#include "lib/prefix.h"
#include "testutil.h"

/* The base: an eBGP path from AS 65001 via 192.0.2.1, router ID 10.0.0.1,
 * AS path of 2, origin IGP, no MED, default local preference. */
/* A one-AS path per neighbor AS, so that equal neighbor ASes mean equal
 * paths (what multipath compares). */
static struct bgp_bytes path_for(uint32_t nas)
{
	static uint8_t paths[16][6];
	static uint32_t owners[16];
	static unsigned n;
	for (unsigned i = 0; i < n; i++)
		if (owners[i] == nas)
			return (struct bgp_bytes){ paths[i], 6 };
	assert_true(n < 16);
	uint8_t *p = paths[n];
	owners[n] = nas;
	p[0] = BGP_AS_SEQUENCE;
	p[1] = 1;
	p[2] = (uint8_t)(nas >> 24);
	p[3] = (uint8_t)(nas >> 16);
	p[4] = (uint8_t)(nas >> 8);
	p[5] = (uint8_t)nas;
	return (struct bgp_bytes){ paths[n++], 6 };
}

static struct bgp_cand base_cand(void)
{
	struct bgp_cand c;
	memset(&c, 0, sizeof(c));
	c.weight = 0;
	c.local_pref = 100;
	c.local = false;
	c.aspath_len = 2;
	c.origin = 0;
	c.med = 0;
	c.neighbor_as = 65001;
	c.aspath = path_for(65001);
	c.ebgp = true;
	c.igp_metric = 0;
	c.received = 10;
	c.router_id = 0x0a000001;
	c.cluster_len = 0;
	assert_true(ipaddr_parse("192.0.2.1", &c.peer));
	return c;
}

static uint64_t num(const char *key, const char *v)
{
	char *end;
	if (*v < '0' || *v > '9')
		fail_msg("bad value for %s in test table: \"%s\"", key, v);
	unsigned long long n = strtoull(v, &end, 10);
	if (*end != '\0')
		fail_msg("bad value for %s in test table: \"%s\"", key, v);
	return n;
}

static void apply(struct bgp_cand *c, const char *key, const char *v)
{
	struct ipaddr ip;
	if (!strcmp(key, "w"))
		c->weight = (uint32_t)num(key, v);
	else if (!strcmp(key, "lp"))
		c->local_pref = (uint32_t)num(key, v);
	else if (!strcmp(key, "local")) {
		/* As the RIB fills a locally originated path. */
		c->local = true;
		c->aspath_len = 0;
		c->neighbor_as = 0;
		c->aspath = (struct bgp_bytes){ NULL, 0 };
		c->ebgp = false;
		memset(&c->peer, 0, sizeof(c->peer));
	} else if (!strcmp(key, "aslen"))
		c->aspath_len = (unsigned)num(key, v);
	else if (!strcmp(key, "origin"))
		c->origin = (uint8_t)num(key, v);
	else if (!strcmp(key, "med"))
		c->med = (uint32_t)num(key, v);
	else if (!strcmp(key, "nas")) {
		c->neighbor_as = (uint32_t)num(key, v);
		c->aspath = path_for(c->neighbor_as);
	}
	else if (!strcmp(key, "ebgp"))
		c->ebgp = true;
	else if (!strcmp(key, "ibgp"))
		c->ebgp = false;
	else if (!strcmp(key, "igp"))
		c->igp_metric = (uint32_t)num(key, v);
	else if (!strcmp(key, "rx"))
		c->received = num(key, v);
	else if (!strcmp(key, "cl"))
		c->cluster_len = (unsigned)num(key, v);
	else if (!strcmp(key, "rid")) {
		if (!ipaddr_parse(v, &ip) || ip.family != AF_INET)
			fail_msg("bad rid in test table: \"%s\"", v);
		c->router_id = (uint32_t)ip.a[0] << 24 | (uint32_t)ip.a[1] << 16 |
			       (uint32_t)ip.a[2] << 8 | ip.a[3];
	} else if (!strcmp(key, "peer")) {
		if (!ipaddr_parse(v, &c->peer))
			fail_msg("bad peer in test table: \"%s\"", v);
	} else
		fail_msg("unknown key in test table: \"%s\"", key);
}

/* Calls fn(ctx, key, value) for each "key" or "key=value" word of s. */
static void words(const char *s, void (*fn)(void *, const char *, const char *), void *ctx)
{
	while (*s) {
		while (*s == ' ')
			s++;
		size_t n = strcspn(s, " ");
		if (!n)
			break;
		char w[64];
		if (n >= sizeof(w))
			fail_msg("word too long in test table: \"%s\"", s);
		memcpy(w, s, n);
		w[n] = '\0';
		s += n;
		char *eq = strchr(w, '=');
		const char *v = "";
		if (eq) {
			*eq = '\0';
			v = eq + 1;
		}
		fn(ctx, w, v);
	}
}

static void cand_word(void *ctx, const char *key, const char *v)
{
	apply(ctx, key, v);
}

static struct bgp_cand cand(const char *spec)
{
	struct bgp_cand c = base_cand();
	words(spec, cand_word, &c);
	return c;
}

static void opt_word(void *ctx, const char *key, const char *v)
{
	struct bgp_decision_opts *o = ctx;
	(void)v;
	if (!strcmp(key, "acm"))
		o->always_compare_med = true;
	else if (!strcmp(key, "crid"))
		o->compare_router_id = true;
	else if (!strcmp(key, "ignore"))
		o->as_path_ignore = true;
	else if (!strcmp(key, "relax"))
		o->multipath_relax = true;
	else
		fail_msg("unknown option in test table: \"%s\"", key);
}

static struct bgp_decision_opts opts(const char *spec)
{
	struct bgp_decision_opts o;
	memset(&o, 0, sizeof(o));
	words(spec, opt_word, &o);
	return o;
}

enum winner { WIN_A = -1, TIE = 0, WIN_B = 1 };

struct cmp_case {
	const char *name;
	const char *a, *b; /* differences from the base */
	const char *opts;
	int win;           /* enum winner */
	uint8_t rule;      /* enum bgp_rule */
};

static const struct cmp_case cmp_cases[] = {
	{ "identical paths", "", "", "", TIE, BGP_RULE_NONE },
	{ "identical with every option", "", "", "acm crid ignore relax", TIE, BGP_RULE_NONE },

	/* Weight: higher wins, before anything else. */
	{ "weight: higher a", "w=200", "", "", WIN_A, BGP_RULE_WEIGHT },
	{ "weight: higher b", "w=1", "w=32768", "", WIN_B, BGP_RULE_WEIGHT },
	{ "weight before local pref", "w=1 lp=50", "lp=500", "", WIN_A, BGP_RULE_WEIGHT },

	/* Local preference: higher wins. */
	{ "local pref: higher a", "lp=200", "", "", WIN_A, BGP_RULE_LOCAL_PREF },
	{ "local pref: higher b", "lp=50", "", "", WIN_B, BGP_RULE_LOCAL_PREF },
	{ "local pref before local route", "lp=200", "local", "", WIN_A, BGP_RULE_LOCAL_PREF },

	/* Locally originated (network, redistribute) over learned. */
	{ "local route: a", "local", "", "", WIN_A, BGP_RULE_LOCAL_ROUTE },
	{ "local route: b", "", "local", "", WIN_B, BGP_RULE_LOCAL_ROUTE },
	{ "local route before AS path", "local aslen=5", "aslen=1", "", WIN_A,
	  BGP_RULE_LOCAL_ROUTE },

	/* AS path: shorter wins, unless as-path ignore. */
	{ "AS path: shorter a", "aslen=1", "aslen=3", "", WIN_A, BGP_RULE_AS_PATH },
	{ "AS path: shorter b", "aslen=4", "", "", WIN_B, BGP_RULE_AS_PATH },
	{ "AS path before origin", "aslen=1 origin=2", "", "", WIN_A, BGP_RULE_AS_PATH },
	{ "as-path ignore: origin decides", "aslen=1 origin=2", "aslen=3", "ignore", WIN_B,
	  BGP_RULE_ORIGIN },
	{ "as-path ignore: otherwise equal", "aslen=1", "aslen=9", "ignore", TIE,
	  BGP_RULE_NONE },

	/* Origin: IGP (0) < EGP (1) < INCOMPLETE (2). */
	{ "origin: IGP over EGP", "origin=0", "origin=1", "", WIN_A, BGP_RULE_ORIGIN },
	{ "origin: EGP over INCOMPLETE", "origin=2", "origin=1", "", WIN_B, BGP_RULE_ORIGIN },
	{ "origin: IGP over INCOMPLETE", "origin=2", "", "", WIN_B, BGP_RULE_ORIGIN },
	{ "origin before MED", "origin=0 med=100", "origin=1", "", WIN_A, BGP_RULE_ORIGIN },

	/* MED: lower wins, only between paths from the same neighbor AS. */
	{ "MED: lower a", "med=10", "med=20", "", WIN_A, BGP_RULE_MED },
	{ "MED: lower b", "med=20", "med=10", "", WIN_B, BGP_RULE_MED },
	{ "MED before peer type", "med=10 ibgp", "med=20", "", WIN_A, BGP_RULE_MED },
	{ "MED between two iBGP paths", "ibgp med=5", "ibgp med=1", "", WIN_B, BGP_RULE_MED },
	{ "MED from different neighbor AS is skipped", "med=10 nas=65001 igp=20",
	  "med=50 nas=65002 igp=10", "", WIN_B, BGP_RULE_IGP_METRIC },
	{ "MED from different neighbor AS, otherwise equal", "med=10 nas=65001",
	  "med=50 nas=65002", "", TIE, BGP_RULE_NONE },
	{ "always-compare-med: different neighbor AS", "med=10 nas=65001 igp=20",
	  "med=50 nas=65002 igp=10", "acm", WIN_A, BGP_RULE_MED },
	{ "always-compare-med: b lower", "med=50 nas=65001", "med=10 nas=65002", "acm", WIN_B,
	  BGP_RULE_MED },

	/* Peer type: eBGP over iBGP. */
	{ "peer type: eBGP a", "", "ibgp", "", WIN_A, BGP_RULE_PEER_TYPE },
	{ "peer type: eBGP b", "ibgp", "", "", WIN_B, BGP_RULE_PEER_TYPE },
	{ "peer type before IGP metric", "igp=100", "ibgp igp=1", "", WIN_A,
	  BGP_RULE_PEER_TYPE },

	/* IGP metric to the next hop: lower wins. */
	{ "IGP metric: lower a", "igp=10", "igp=20", "", WIN_A, BGP_RULE_IGP_METRIC },
	{ "IGP metric: lower b", "ibgp igp=30", "ibgp igp=20", "", WIN_B, BGP_RULE_IGP_METRIC },
	{ "IGP metric before older path", "igp=10 rx=9", "igp=20 rx=1", "", WIN_A,
	  BGP_RULE_IGP_METRIC },

	/* Older path: only between two eBGP paths, and not with
	 * compare-routerid. */
	{ "older: a received first", "rx=1", "rx=2", "", WIN_A, BGP_RULE_OLDER },
	{ "older: b received first", "rx=7", "rx=3", "", WIN_B, BGP_RULE_OLDER },
	{ "older before router ID", "rx=1 rid=10.0.0.9", "rx=2 rid=10.0.0.2", "", WIN_A,
	  BGP_RULE_OLDER },
	{ "older skipped for two iBGP paths", "ibgp rx=1 rid=10.0.0.9",
	  "ibgp rx=2 rid=10.0.0.2", "", WIN_B, BGP_RULE_ROUTER_ID },
	{ "older skipped with compare-routerid", "rx=1 rid=10.0.0.9", "rx=2 rid=10.0.0.2",
	  "crid", WIN_B, BGP_RULE_ROUTER_ID },

	/* Router ID (ORIGINATOR_ID if any): lower wins, as a number. */
	{ "router ID: lower a", "rid=10.0.0.1", "rid=10.0.0.2", "", WIN_A, BGP_RULE_ROUTER_ID },
	{ "router ID: lower b", "ibgp rid=192.0.2.10", "ibgp rid=192.0.2.9", "", WIN_B,
	  BGP_RULE_ROUTER_ID },
	{ "router ID: 9.255.255.255 below 10.0.0.0", "ibgp rid=10.0.0.0",
	  "ibgp rid=9.255.255.255", "", WIN_B, BGP_RULE_ROUTER_ID },
	{ "router ID before cluster length", "ibgp rid=1.1.1.1 cl=3", "ibgp rid=2.2.2.2", "",
	  WIN_A, BGP_RULE_ROUTER_ID },

	/* Cluster list length: shorter wins. */
	{ "cluster length: shorter a", "ibgp cl=1", "ibgp cl=2", "", WIN_A,
	  BGP_RULE_CLUSTER_LEN },
	{ "cluster length: shorter b", "ibgp cl=4", "ibgp", "", WIN_B, BGP_RULE_CLUSTER_LEN },
	{ "cluster length before neighbor IP", "ibgp cl=0 peer=10.0.0.9",
	  "ibgp cl=1 peer=10.0.0.1", "", WIN_A, BGP_RULE_CLUSTER_LEN },

	/* Neighbor address: lower wins, IPv4 before IPv6. */
	{ "neighbor IP: lower a", "peer=192.0.2.1", "peer=192.0.2.2", "", WIN_A,
	  BGP_RULE_PEER_ADDR },
	{ "neighbor IP: lower b", "peer=192.0.2.10", "peer=192.0.2.9", "", WIN_B,
	  BGP_RULE_PEER_ADDR },
	{ "neighbor IP: 9.255.255.255 below 10.0.0.1", "peer=10.0.0.1",
	  "peer=9.255.255.255", "", WIN_B, BGP_RULE_PEER_ADDR },
	{ "neighbor IP: IPv6 lower b", "peer=2001:db8::2", "peer=2001:db8::1", "", WIN_B,
	  BGP_RULE_PEER_ADDR },
	{ "neighbor IP: IPv4 before IPv6", "peer=2001:db8::1", "peer=192.0.2.200", "", WIN_B,
	  BGP_RULE_PEER_ADDR },
	{ "neighbor IP: IPv4 before IPv6 (::)", "peer=255.255.255.255", "peer=::", "", WIN_A,
	  BGP_RULE_PEER_ADDR },
	{ "neighbor IP: iBGP", "ibgp peer=10.1.1.1", "ibgp peer=10.1.1.2", "", WIN_A,
	  BGP_RULE_PEER_ADDR },
};

#define N_CMP (sizeof(cmp_cases) / sizeof(cmp_cases[0]))

static int sign(int x)
{
	return x < 0 ? -1 : x > 0 ? 1 : 0;
}

static void test_cmp_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_CMP; i++) {
		const struct cmp_case *cc = &cmp_cases[i];
		print_message("case: %s\n", cc->name);
		struct bgp_cand a = cand(cc->a), b = cand(cc->b);
		struct bgp_decision_opts o = opts(cc->opts);
		uint8_t rule = 0xee, rrule = 0xee;

		int c = bgp_cand_cmp(&a, &b, &o, &rule);
		if (sign(c) != cc->win || rule != cc->rule)
			print_error("%s: got %d by \"%s\", want %d by \"%s\"\n", cc->name, sign(c),
				    bgp_rule_reason(rule), cc->win, bgp_rule_reason(cc->rule));
		assert_int_equal(sign(c), cc->win);
		assert_int_equal(rule, cc->rule);

		/* Antisymmetry: the other way round, the other path wins by
		 * the same rule. */
		int r = bgp_cand_cmp(&b, &a, &o, &rrule);
		assert_int_equal(sign(r), -sign(c));
		assert_int_equal(rrule, rule);

		/* Each path equals itself under every rule. */
		assert_int_equal(bgp_cand_cmp(&a, &a, &o, &rrule), 0);
		assert_int_equal(rrule, BGP_RULE_NONE);
		assert_int_equal(bgp_cand_cmp(&b, &b, &o, &rrule), 0);
		assert_int_equal(rrule, BGP_RULE_NONE);
	}
}

static void test_cmp_rule_coverage(void **state)
{
	(void)state;
	/* Every rule decides some row in each direction (NONE: a tie). */
	bool won_a[BGP_RULE_PEER_ADDR + 1] = { false }, won_b[BGP_RULE_PEER_ADDR + 1] = { false };
	for (size_t i = 0; i < N_CMP; i++) {
		assert_true(cmp_cases[i].rule <= BGP_RULE_PEER_ADDR);
		if (cmp_cases[i].win == WIN_A)
			won_a[cmp_cases[i].rule] = true;
		else if (cmp_cases[i].win == WIN_B)
			won_b[cmp_cases[i].rule] = true;
		else
			assert_int_equal(cmp_cases[i].rule, BGP_RULE_NONE);
	}
	for (unsigned r = BGP_RULE_WEIGHT; r <= BGP_RULE_PEER_ADDR; r++) {
		if (!won_a[r] || !won_b[r])
			print_error("rule %s lacks a direction\n", bgp_rule_reason((uint8_t)r));
		assert_true(won_a[r] && won_b[r]);
	}
}

struct mp_case {
	const char *name;
	const char *a, *b;
	const char *opts;
	bool multipath;
};

static const struct mp_case mp_cases[] = {
	{ "identical eBGP paths", "", "", "", true },
	{ "eBGP, same neighbor AS, differing after the IGP metric",
	  "rx=1 rid=10.0.0.1 peer=192.0.2.1", "rx=2 rid=10.0.0.2 peer=192.0.2.2", "", true },
	{ "eBGP, same neighbor AS, differing in cluster length", "cl=0", "cl=1", "", true },
	{ "eBGP, same neighbor AS, IPv4 and IPv6 neighbors", "peer=192.0.2.1",
	  "peer=2001:db8::1", "", true },
	{ "eBGP, different neighbor AS", "nas=65001 peer=192.0.2.1", "nas=65002 peer=192.0.2.2",
	  "", false },
	{ "eBGP, different neighbor AS, multipath-relax", "nas=65001 peer=192.0.2.1",
	  "nas=65002 peer=192.0.2.2", "relax", true },
	{ "eBGP, different neighbor AS and MED, multipath-relax", "nas=65001 med=10",
	  "nas=65002 med=20", "relax", true },
	{ "eBGP, same neighbor AS, different MED", "med=10", "med=20", "", false },
	{ "eBGP and iBGP", "", "ibgp", "", false },
	{ "eBGP and iBGP, multipath-relax", "", "ibgp", "relax", false },
	{ "different local pref", "lp=200", "", "", false },
	{ "different local pref, multipath-relax", "lp=200", "nas=65002", "relax", false },
	{ "different weight", "w=10", "", "", false },
	{ "different AS path length", "aslen=3", "", "", false },
	{ "different AS path length, as-path ignore", "aslen=3", "", "ignore", true },
	{ "different origin", "origin=1", "", "", false },
	{ "different IGP metric", "igp=10", "igp=20", "", false },
	{ "local route and learned", "local", "", "", false },
	{ "two iBGP paths, same neighbor AS", "ibgp rid=10.0.0.1 peer=10.1.1.1",
	  "ibgp rid=10.0.0.2 peer=10.1.1.2", "", true },
	/* FRR: iBGP paths join only with identical AS paths unless
	 * multipath-relax; a different first AS is a different AS path. */
	{ "two iBGP paths, different neighbor AS", "ibgp nas=65001 peer=10.1.1.1",
	  "ibgp nas=65002 peer=10.1.1.2", "", false },
	{ "two iBGP paths, different neighbor AS, multipath-relax",
	  "ibgp nas=65001 peer=10.1.1.1", "ibgp nas=65002 peer=10.1.1.2", "relax", true },
};

#define N_MP (sizeof(mp_cases) / sizeof(mp_cases[0]))

static void test_multipath_table(void **state)
{
	(void)state;
	unsigned bad = 0;
	for (size_t i = 0; i < N_MP; i++) {
		const struct mp_case *mc = &mp_cases[i];
		struct bgp_cand a = cand(mc->a), b = cand(mc->b);
		struct bgp_decision_opts o = opts(mc->opts);
		bool ab = bgp_cand_multipath(&a, &b, &o);
		bool ba = bgp_cand_multipath(&b, &a, &o);
		print_message("case: %s\n", mc->name);
		if (ab != mc->multipath || ba != mc->multipath) {
			print_error("%s: got %d/%d, want %d\n", mc->name, ab, ba, mc->multipath);
			bad++;
		}
	}
	if (bad)
		fail_msg("%u of %zu multipath rows differ", bad, N_MP);
}

static void test_rule_reason(void **state)
{
	(void)state;
	/* The reasons FRR prints in "show bgp ... bestpath" output. */
	static const struct {
		uint8_t rule;
		const char *reason;
	} reasons[] = {
		{ BGP_RULE_NONE, "First path received" },
		{ BGP_RULE_WEIGHT, "Weight" },
		{ BGP_RULE_LOCAL_PREF, "Local Pref" },
		{ BGP_RULE_LOCAL_ROUTE, "Local Route" },
		{ BGP_RULE_AS_PATH, "AS Path" },
		{ BGP_RULE_ORIGIN, "Origin" },
		{ BGP_RULE_MED, "MED" },
		{ BGP_RULE_PEER_TYPE, "Peer Type" },
		{ BGP_RULE_IGP_METRIC, "IGP Metric" },
		{ BGP_RULE_OLDER, "Older Path" },
		{ BGP_RULE_ROUTER_ID, "Router ID" },
		{ BGP_RULE_CLUSTER_LEN, "Cluster length" },
		{ BGP_RULE_PEER_ADDR, "Neighbor IP" },
	};
	for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		const char *r = bgp_rule_reason(reasons[i].rule);
		assert_non_null(r);
		assert_string_equal(r, reasons[i].reason);
	}
	/* Whatever the value, a string to print. */
	assert_non_null(bgp_rule_reason(0xff));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmp_table),
		cmocka_unit_test(test_cmp_rule_coverage),
		cmocka_unit_test(test_multipath_table),
		cmocka_unit_test(test_rule_reason),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

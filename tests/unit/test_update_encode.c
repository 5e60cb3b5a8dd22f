/* test_update_encode.c: UPDATE encoding. Round trips (attributes built by
 * hand, encoded, decoded, compared field by field and prefix by prefix, for
 * IPv4 and IPv6 and both AS sizes), packing of thousands of prefixes into
 * messages of at most max_len octets, End-of-RIB markers, and unknown
 * transitive attributes passed on with the Partial bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bgp/update.h"
#include "lib/hex.h"

#define MSGBUF (BGP_MAX_EXT_MSG + 1024)

static uint8_t msgbuf[MSGBUF];
static uint8_t scratch[BGP_UPDATE_SCRATCH_SIZE(BGP_MAX_EXT_MSG)];

static struct prefix pfx(const char *s)
{
	struct prefix p;
	memset(&p, 0, sizeof(p));
	if (!prefix_parse(s, false, &p))
		fail_msg("bad prefix in test: %s", s);
	return p;
}

/* Checks the header of the message in w and decodes its UPDATE body. */
static void decode_msg(const struct wbuf *w, size_t max_len, bool as4, struct bgp_update *u)
{
	assert_false(w->failed);
	uint8_t type = 0;
	uint16_t len = 0;
	struct bgp_notify err;
	memset(&err, 0, sizeof(err));
	if (!bgp_header_decode(w->p, w->len, max_len, &type, &len, &err))
		fail_msg("header rejected: %u/%u", err.code, err.subcode);
	assert_int_equal(type, BGP_MSG_UPDATE);
	assert_int_equal(len, w->len);
	struct bgp_decode_opts o = { .as4 = as4, .ibgp = true, .ext_msg = max_len > BGP_MAX_MSG };
	memset(u, 0, sizeof(*u));
	bgp_update_decode(w->p + BGP_HEADER_LEN, w->len - BGP_HEADER_LEN, &o, scratch,
			  sizeof(scratch), u);
	if (u->action != BGP_ACT_NONE) {
		for (unsigned i = 0; i < u->n_faults && i < BGP_UPDATE_MAX_FAULTS; i++)
			print_error("fault attr %u action %u: %s\n", u->faults[i].attr,
				    u->faults[i].action, u->faults[i].what);
		fail_msg("our own UPDATE decodes with action %u", u->action);
	}
}

static void expect_prefixes(const struct bgp_nlri *sec, const struct prefix *want, size_t n)
{
	assert_int_equal(sec->count, n);
	struct bgp_nlri_iter it = bgp_nlri_iter(sec);
	struct prefix p;
	for (size_t i = 0; i < n; i++) {
		assert_true(bgp_nlri_next(&it, &p));
		if (!prefix_equal(&p, &want[i])) {
			char a[PREFIX_STRLEN], b[PREFIX_STRLEN];
			fail_msg("prefix %zu: got %s want %s", i, prefix_fmt(&p, a, sizeof(a)),
				 prefix_fmt(&want[i], b, sizeof(b)));
		}
	}
	assert_false(bgp_nlri_next(&it, &p));
}

static void expect_same_bytes(struct bgp_bytes got, struct bgp_bytes want, const char *what)
{
	if (got.len != want.len)
		fail_msg("%s: length %u, want %u", what, got.len, want.len);
	if (want.len && memcmp(got.p, want.p, want.len) != 0)
		fail_msg("%s: bytes differ", what);
}

/* Attributes not compared through `have`: the AS4 ones are how a 2-octet
 * session carries AS_PATH and AGGREGATOR, and MP_REACH/NEXT_HOP follow the
 * family. */
#define HAVE_COMPARED \
	(~(BGP_ATTR_BIT(BGP_ATTR_AS4_PATH) | BGP_ATTR_BIT(BGP_ATTR_AS4_AGGREGATOR) | \
	   BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI) | BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP)))

static void compare_attrs(const struct bgp_attrs *got, const struct bgp_attrs *want, bool v6)
{
	assert_int_equal(got->have & HAVE_COMPARED, want->have & HAVE_COMPARED);
	assert_int_equal(got->origin, want->origin);
	expect_same_bytes(got->aspath, want->aspath, "AS_PATH");
	if (v6) {
		assert_int_equal(got->mp_nh_len, want->mp_nh_len);
		assert_memory_equal(got->mp_nh, want->mp_nh, want->mp_nh_len);
	} else {
		assert_true(bgp_attrs_has(got, BGP_ATTR_NEXT_HOP));
		assert_int_equal(got->nexthop, want->nexthop);
	}
	if (bgp_attrs_has(want, BGP_ATTR_MED))
		assert_int_equal(got->med, want->med);
	if (bgp_attrs_has(want, BGP_ATTR_LOCAL_PREF))
		assert_int_equal(got->local_pref, want->local_pref);
	if (bgp_attrs_has(want, BGP_ATTR_AGGREGATOR)) {
		assert_int_equal(got->aggregator_as, want->aggregator_as);
		assert_int_equal(got->aggregator_id, want->aggregator_id);
	}
	if (bgp_attrs_has(want, BGP_ATTR_ORIGINATOR_ID))
		assert_int_equal(got->originator_id, want->originator_id);
	expect_same_bytes(got->communities, want->communities, "COMMUNITIES");
	expect_same_bytes(got->ext_communities, want->ext_communities, "EXT_COMMUNITIES");
	expect_same_bytes(got->large_communities, want->large_communities, "LARGE_COMMUNITY");
	expect_same_bytes(got->cluster_list, want->cluster_list, "CLUSTER_LIST");
	expect_same_bytes(got->unknown, want->unknown, "unknown attributes");
}

/* ---- hand-built attributes -------------------------------------------- */

/* 65001 70000 65002 {1,70001}: two ASes that need 4 octets. */
static const uint8_t path_big[] = {
	0x02, 0x03, 0x00, 0x00, 0xfd, 0xe9, 0x00, 0x01, 0x11, 0x70, 0x00, 0x00, 0xfd, 0xea,
	0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x11, 0x71,
};
/* 65001 65002: all 2-octet. */
static const uint8_t path_small[] = {
	0x02, 0x02, 0x00, 0x00, 0xfd, 0xe9, 0x00, 0x00, 0xfd, 0xea,
};
static const uint8_t comms[] = { 0xfd, 0xe8, 0x00, 0x01, 0xfd, 0xe8, 0x00, 0x02 };
static const uint8_t ext_comms[] = { 0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x64 };
static const uint8_t large_comms[] = { 0x00, 0x00, 0xfd, 0xe9, 0, 0, 0, 1, 0, 0, 0, 2,
				       0x00, 0x01, 0x11, 0x70, 0, 0, 0, 3, 0, 0, 0, 4 };
static const uint8_t clusters[] = { 10, 0, 0, 3, 10, 0, 0, 4 };
static const uint8_t unknown_attr[] = { 0xe0, 0xfe, 0x03, 0x01, 0x02, 0x03 };

static struct bgp_attrs make_attrs(bool v6, bool big_path, bool everything)
{
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.origin = BGP_ORIGIN_INCOMPLETE;
	a.aspath = big_path ? (struct bgp_bytes){ path_big, sizeof(path_big) }
			    : (struct bgp_bytes){ path_small, sizeof(path_small) };
	if (v6) {
		a.have |= BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI);
		a.mp_nh_len = 32;
		const uint8_t nh[32] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01,
					 0xfe, 0x80, [31] = 0x01 };
		memcpy(a.mp_nh, nh, 32);
	} else {
		a.have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		a.nexthop = 0xc0000201; /* 192.0.2.1 */
	}
	if (!everything)
		return a;
	a.have |= BGP_ATTR_BIT(BGP_ATTR_MED) | BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) |
		  BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE) | BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR) |
		  BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES) | BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) |
		  BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST) | BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES) |
		  BGP_ATTR_BIT(BGP_ATTR_LARGE_COMMUNITIES);
	a.med = 4000000000u;
	a.local_pref = 250;
	a.aggregator_as = big_path ? 70000 : 65001;
	a.aggregator_id = 0x0a000009;
	a.originator_id = 0x0a000002;
	a.communities = (struct bgp_bytes){ comms, sizeof(comms) };
	a.ext_communities = (struct bgp_bytes){ ext_comms, sizeof(ext_comms) };
	a.large_communities = (struct bgp_bytes){ large_comms, sizeof(large_comms) };
	a.cluster_list = (struct bgp_bytes){ clusters, sizeof(clusters) };
	a.unknown = (struct bgp_bytes){ unknown_attr, sizeof(unknown_attr) };
	return a;
}

/* Finds attribute `type` in the message in w; false when absent. */
static bool find_attr(const struct wbuf *w, uint8_t type, const uint8_t **val, size_t *len)
{
	struct cursor c = cursor_make(w->p + BGP_HEADER_LEN, w->len - BGP_HEADER_LEN);
	uint16_t wl, al;
	if (!cursor_u16(&c, &wl) || !cursor_skip(&c, wl) || !cursor_u16(&c, &al))
		return false;
	struct cursor a;
	if (!cursor_sub(&c, al, &a))
		return false;
	while (cursor_left(&a)) {
		uint8_t f, t, l8;
		uint16_t l;
		if (!cursor_u8(&a, &f) || !cursor_u8(&a, &t))
			return false;
		if (f & BGP_ATTR_F_EXTLEN) {
			if (!cursor_u16(&a, &l))
				return false;
		} else {
			if (!cursor_u8(&a, &l8))
				return false;
			l = l8;
		}
		if (cursor_left(&a) < l)
			return false;
		if (t == type) {
			*val = cursor_ptr(&a);
			*len = l;
			return true;
		}
		cursor_skip(&a, l);
	}
	return false;
}

/* ---- round trips -------------------------------------------------------- */

struct rt_case {
	const char *name;
	bool v6, as4, big_path, everything;
	const char *prefixes[6];
};

static const struct rt_case rt_cases[] = {
	{ "IPv4, 4-octet session, every attribute", false, true, true, true,
	  { "10.0.0.0/8", "10.1.0.0/16", "192.0.2.0/24", "198.51.100.7/32", "0.0.0.0/0",
	    "172.16.128.0/17" } },
	{ "IPv4, 2-octet session, large ASes via AS4_PATH", false, false, true, true,
	  { "10.0.0.0/8", "192.0.2.0/24", "198.51.100.7/32" } },
	{ "IPv4, 2-octet session, small ASes", false, false, false, true,
	  { "10.0.0.0/8" } },
	{ "IPv4, mandatory attributes only", false, true, false, false,
	  { "203.0.113.0/24", "203.0.113.128/25" } },
	{ "IPv6, 4-octet session, every attribute", true, true, true, true,
	  { "2001:db8::/32", "2001:db8:1::/48", "::/0", "2001:db8::1/128",
	    "2001:db8:8000::/33" } },
	{ "IPv6, 2-octet session, large ASes via AS4_PATH", true, false, true, true,
	  { "2001:db8::/32", "2001:db8:ffff:ffff::/64" } },
	{ "IPv6, mandatory attributes only", true, false, false, false, { "2001:db8::/32" } },
};

static void test_round_trip_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rt_cases) / sizeof(rt_cases[0]); i++) {
		const struct rt_case *rc = &rt_cases[i];
		print_message("case: %s\n", rc->name);
		struct prefix list[6];
		size_t n = 0;
		while (n < 6 && rc->prefixes[n]) {
			list[n] = pfx(rc->prefixes[n]);
			n++;
		}
		struct bgp_attrs a = make_attrs(rc->v6, rc->big_path, rc->everything);
		struct bgp_encode_opts eo = { .as4 = rc->as4, .max_len = BGP_MAX_MSG };
		struct wbuf w = wbuf_make(msgbuf, MSGBUF);
		assert_int_equal(bgp_update_encode_announce(&w, &eo, &a, list, n), n);
		assert_true(w.len <= BGP_MAX_MSG);

		/* On the wire: 4-octet sessions get no AS4_PATH; 2-octet sessions
		 * get AS_TRANS in AS_PATH and the real path in AS4_PATH. */
		const uint8_t *v;
		size_t vl;
		assert_true(find_attr(&w, BGP_ATTR_AS_PATH, &v, &vl));
		if (rc->as4) {
			assert_false(find_attr(&w, BGP_ATTR_AS4_PATH, &v, &vl));
			assert_int_equal(vl, a.aspath.len);
			assert_memory_equal(v, a.aspath.p, vl);
		} else if (rc->big_path) {
			const uint8_t want2[] = { 0x02, 0x03, 0xfd, 0xe9, 0x5b, 0xa0, 0xfd, 0xea,
						  0x01, 0x02, 0x00, 0x01, 0x5b, 0xa0 };
			assert_int_equal(vl, sizeof(want2));
			assert_memory_equal(v, want2, vl);
			assert_true(find_attr(&w, BGP_ATTR_AS4_PATH, &v, &vl));
			assert_int_equal(vl, a.aspath.len);
			assert_memory_equal(v, a.aspath.p, vl);
		} else {
			const uint8_t want2[] = { 0x02, 0x02, 0xfd, 0xe9, 0xfd, 0xea };
			assert_int_equal(vl, sizeof(want2));
			assert_memory_equal(v, want2, vl);
		}
		if (!rc->v6)
			assert_false(find_attr(&w, BGP_ATTR_MP_REACH_NLRI, &v, &vl));
		else
			assert_false(find_attr(&w, BGP_ATTR_NEXT_HOP, &v, &vl));

		struct bgp_update u;
		decode_msg(&w, BGP_MAX_MSG, rc->as4, &u);
		compare_attrs(&u.attrs, &a, rc->v6);
		if (rc->v6) {
			assert_int_equal(u.mp_reach.afi, BGP_AFI_IPV6);
			assert_int_equal(u.mp_reach.safi, BGP_SAFI_UNICAST);
			expect_prefixes(&u.mp_reach, list, n);
			assert_int_equal(u.nlri.count, 0);
		} else {
			expect_prefixes(&u.nlri, list, n);
			assert_int_equal(u.mp_reach.count, 0);
		}
		assert_int_equal(u.withdrawn.count, 0);
		assert_false(u.eor);
	}
}

static void test_withdraw_round_trip(void **state)
{
	(void)state;
	const char *v4[] = { "10.0.0.0/8", "192.0.2.128/25", "0.0.0.0/0" };
	const char *v6[] = { "2001:db8::/32", "::/0", "2001:db8::1/128" };
	for (int fam = 0; fam < 2; fam++) {
		struct prefix list[3];
		for (int i = 0; i < 3; i++)
			list[i] = pfx(fam ? v6[i] : v4[i]);
		struct bgp_encode_opts eo = { .as4 = true, .max_len = BGP_MAX_MSG };
		struct wbuf w = wbuf_make(msgbuf, MSGBUF);
		assert_int_equal(bgp_update_encode_withdraw(&w, &eo, list, 3), 3);
		struct bgp_update u;
		decode_msg(&w, BGP_MAX_MSG, true, &u);
		if (fam) {
			assert_int_equal(u.mp_unreach.afi, BGP_AFI_IPV6);
			expect_prefixes(&u.mp_unreach, list, 3);
			assert_int_equal(u.withdrawn.count, 0);
		} else {
			expect_prefixes(&u.withdrawn, list, 3);
			assert_int_equal(u.mp_unreach.count, 0);
		}
		assert_int_equal(u.nlri.count, 0);
		assert_int_equal(u.mp_reach.count, 0);
		assert_false(u.eor);
	}
}

/* ---- packing -------------------------------------------------------------- */

static size_t wire_size(const struct prefix *p)
{
	return 1 + ((size_t)p->len + 7) / 8;
}

/* Deterministic prefixes of mixed lengths. */
static void make_prefixes(struct prefix *out, size_t n, bool v6)
{
	uint32_t x = 2463534242u;
	for (size_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof(out[i]));
		out[i].family = v6 ? AF_INET6 : AF_INET;
		unsigned bits = v6 ? 128 : 32;
		out[i].len = (uint8_t)(i % 5 == 0 ? bits : (i * 7) % (bits + 1));
		for (size_t k = 0; k < (v6 ? 16u : 4u); k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			out[i].a[k] = (uint8_t)x;
		}
		prefix_mask(&out[i]);
	}
}

struct pack_case {
	const char *name;
	bool v6, withdraw, as4;
	size_t n;
	size_t max_len;
};

static const struct pack_case pack_cases[] = {
	{ "announce 5000 IPv4 in 4096", false, false, true, 5000, BGP_MAX_MSG },
	{ "announce 5000 IPv4 in 65535", false, false, true, 5000, BGP_MAX_EXT_MSG },
	{ "announce 5000 IPv4 in 4096, 2-octet session", false, false, false, 5000, BGP_MAX_MSG },
	{ "withdraw 5000 IPv4 in 4096", false, true, true, 5000, BGP_MAX_MSG },
	{ "withdraw 5000 IPv4 in 65535", false, true, true, 5000, BGP_MAX_EXT_MSG },
	{ "announce 3000 IPv6 in 4096", true, false, true, 3000, BGP_MAX_MSG },
	{ "announce 3000 IPv6 in 65535", true, false, true, 3000, BGP_MAX_EXT_MSG },
	{ "withdraw 3000 IPv6 in 4096", true, true, true, 3000, BGP_MAX_MSG },
};

static void test_packing_table(void **state)
{
	(void)state;
	for (size_t ci = 0; ci < sizeof(pack_cases) / sizeof(pack_cases[0]); ci++) {
		const struct pack_case *pc = &pack_cases[ci];
		print_message("case: %s\n", pc->name);
		struct prefix *list = calloc(pc->n, sizeof(*list));
		assert_non_null(list);
		make_prefixes(list, pc->n, pc->v6);
		struct bgp_attrs a = make_attrs(pc->v6, true, true);
		struct bgp_encode_opts eo = { .as4 = pc->as4, .max_len = pc->max_len };

		size_t off = 0, msgs = 0;
		while (off < pc->n) {
			struct wbuf w = wbuf_make(msgbuf, MSGBUF);
			size_t k = pc->withdraw
				   ? bgp_update_encode_withdraw(&w, &eo, list + off, pc->n - off)
				   : bgp_update_encode_announce(&w, &eo, &a, list + off, pc->n - off);
			if (k == 0)
				fail_msg("message %zu took no prefix", msgs);
			assert_true(k <= pc->n - off);
			if (w.len > pc->max_len)
				fail_msg("message %zu is %zu octets, max %zu", msgs, w.len,
					 pc->max_len);
			/* Full: the next prefix would not have fit. */
			if (off + k < pc->n && w.len + wire_size(&list[off + k]) <= pc->max_len)
				fail_msg("message %zu (%zu octets, %zu prefixes) had room for "
					 "the next prefix (%zu octets)",
					 msgs, w.len, k, wire_size(&list[off + k]));

			struct bgp_update u;
			decode_msg(&w, pc->max_len, pc->as4, &u);
			const struct bgp_nlri *sec =
				pc->withdraw ? (pc->v6 ? &u.mp_unreach : &u.withdrawn)
					     : (pc->v6 ? &u.mp_reach : &u.nlri);
			expect_prefixes(sec, list + off, k);
			if (!pc->withdraw)
				compare_attrs(&u.attrs, &a, pc->v6);
			off += k;
			msgs++;
		}
		assert_int_equal(off, pc->n);
		print_message("  %zu messages\n", msgs);
		/* More than one message was needed at 4096 octets. */
		if (pc->max_len == BGP_MAX_MSG)
			assert_true(msgs > 1);
		free(list);
	}
}

static void test_nothing_fits(void **state)
{
	(void)state;
	struct prefix p = pfx("10.0.0.0/8");
	struct bgp_attrs a = make_attrs(false, true, true);
	struct bgp_encode_opts eo = { .as4 = true, .max_len = 30 };
	struct wbuf w = wbuf_make(msgbuf, MSGBUF);
	assert_int_equal(bgp_update_encode_announce(&w, &eo, &a, &p, 1), 0);
	assert_int_equal(w.len, 0);
	/* An empty list writes nothing either. */
	eo.max_len = BGP_MAX_MSG;
	assert_int_equal(bgp_update_encode_announce(&w, &eo, &a, &p, 0), 0);
	assert_int_equal(w.len, 0);
	assert_int_equal(bgp_update_encode_withdraw(&w, &eo, &p, 0), 0);
	assert_int_equal(w.len, 0);
}

static void test_appends_after_existing(void **state)
{
	(void)state;
	/* The encoder appends to a buffer that already holds a message. */
	struct prefix p = pfx("10.0.0.0/8");
	struct bgp_attrs a = make_attrs(false, false, false);
	struct bgp_encode_opts eo = { .as4 = true, .max_len = BGP_MAX_MSG };
	struct wbuf w = wbuf_make(msgbuf, MSGBUF);
	assert_true(bgp_update_encode_eor(&w, BGP_AFI_IPV4, BGP_SAFI_UNICAST));
	size_t first = w.len;
	assert_int_equal(bgp_update_encode_announce(&w, &eo, &a, &p, 1), 1);
	struct wbuf second = wbuf_make(msgbuf + first, MSGBUF - first);
	second.len = w.len - first;
	struct bgp_update u;
	decode_msg(&second, BGP_MAX_MSG, true, &u);
	expect_prefixes(&u.nlri, &p, 1);
}

/* ---- End-of-RIB ------------------------------------------------------------ */

static void test_eor(void **state)
{
	(void)state;
	const struct {
		uint16_t afi;
		uint8_t safi;
		const char *hex; /* the whole message, when only one form is right */
	} cases[] = {
		{ 1, 1, "ffffffffffffffffffffffffffffffff 0017 02 0000 0000" },
		{ 2, 1, NULL }, /* MP_UNREACH with AFI/SAFI only; length form free */
	};
	for (size_t i = 0; i < 2; i++) {
		struct wbuf w = wbuf_make(msgbuf, MSGBUF);
		assert_true(bgp_update_encode_eor(&w, cases[i].afi, cases[i].safi));
		if (cases[i].hex) {
			uint8_t want[64];
			size_t err_at;
			long n = hex_decode(cases[i].hex, want, sizeof(want), &err_at);
			assert_true(n > 0);
			assert_int_equal(w.len, (size_t)n);
			assert_memory_equal(msgbuf, want, (size_t)n);
		}
		struct bgp_update u;
		decode_msg(&w, BGP_MAX_MSG, true, &u);
		assert_true(u.eor);
		assert_int_equal(u.eor_afi, cases[i].afi);
		assert_int_equal(u.eor_safi, cases[i].safi);
		assert_false(bgp_update_is_empty(&u));
	}
}

/* ---- unknown transitive attributes ----------------------------------- */

static void test_unknown_transitive_passed_on(void **state)
{
	(void)state;
	/* Received: ORIGIN, AS_PATH 65001, NEXT_HOP, an unknown optional
	 * transitive attribute without the Partial bit, NLRI 10.1.0.0/16. */
	uint8_t body[128];
	size_t err_at;
	long n = hex_decode("0000 0019 40010100 40020602010000fde9 4003040a000001 c0fe02abcd"
			    " 100a01", body, sizeof(body), &err_at);
	assert_true(n > 0);
	static uint8_t scratch1[BGP_UPDATE_SCRATCH_SIZE(4096)];
	struct bgp_decode_opts o = { .as4 = true };
	struct bgp_update u1;
	memset(&u1, 0, sizeof(u1));
	assert_int_equal(bgp_update_decode(body, (size_t)n, &o, scratch1, sizeof(scratch1), &u1),
			 BGP_ACT_NONE);
	const uint8_t partial[] = { 0xe0, 0xfe, 0x02, 0xab, 0xcd };
	assert_int_equal(u1.attrs.unknown.len, sizeof(partial));
	assert_memory_equal(u1.attrs.unknown.p, partial, sizeof(partial));

	/* Passed on to another peer, with both AS sizes. */
	for (int as4 = 0; as4 < 2; as4++) {
		struct prefix p = pfx("10.1.0.0/16");
		struct bgp_encode_opts eo = { .as4 = as4, .max_len = BGP_MAX_MSG };
		struct wbuf w = wbuf_make(msgbuf, MSGBUF);
		assert_int_equal(bgp_update_encode_announce(&w, &eo, &u1.attrs, &p, 1), 1);
		const uint8_t *v;
		size_t vl;
		assert_true(find_attr(&w, 0xfe, &v, &vl));
		assert_int_equal(vl, 2);
		assert_int_equal(v[-3], 0xe0); /* flags, with Partial */
		struct bgp_update u2;
		decode_msg(&w, BGP_MAX_MSG, as4, &u2);
		assert_int_equal(u2.attrs.unknown.len, sizeof(partial));
		assert_memory_equal(u2.attrs.unknown.p, partial, sizeof(partial));
		expect_prefixes(&u2.nlri, &p, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_table),
		cmocka_unit_test(test_withdraw_round_trip),
		cmocka_unit_test(test_packing_table),
		cmocka_unit_test(test_nothing_fits),
		cmocka_unit_test(test_appends_after_existing),
		cmocka_unit_test(test_eor),
		cmocka_unit_test(test_unknown_transitive_passed_on),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

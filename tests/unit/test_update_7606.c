/* test_update_7606.c: UPDATE decoding against docs/error-handling.md (RFC 7606
 * and friends). One row per case: the bytes, the session options, the action
 * the whole UPDATE calls for, the NOTIFICATION for a reset, the attribute(s)
 * expected in u->faults, and what the decoded values must be.
 *
 * The bytes of a row are its Withdrawn Routes field (wd), its path attributes
 * (attrs) and its NLRI field (nlri), each in hex; the test writes the two
 * length fields between them, so that the hand-written lengths are only the
 * ones under test (attribute lengths, segment counts, prefix lengths). Rows
 * about the framing itself give the whole body in raw.
 *
 * Attribute header: flags, type, length (1 octet, 2 with the 0x10 flag).
 * Flags: 0x40 well-known, 0x80 optional non-transitive, 0xc0 optional
 * transitive, 0x20 Partial, 0x10 Extended Length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/update.h"
#include "lib/hex.h"
#include "lib/strbuf.h"

#define NONE BGP_ACT_NONE
#define DISCARD BGP_ACT_ATTR_DISCARD
#define TAW BGP_ACT_TREAT_AS_WITHDRAW
#define RESET BGP_ACT_SESSION_RESET

#define FAULT_ANY (-1)

struct exp_fault {
	bool set;
	int attr; /* attribute type, or FAULT_ANY */
	uint8_t action;
};

#define F(t, a) { .set = true, .attr = (t), .action = (a) }
#define FANY(a) { .set = true, .attr = FAULT_ANY, .action = (a) }

struct row {
	const char *name;
	const char *wd, *attrs, *nlri; /* composed into a body */
	const char *raw;               /* the whole body instead */
	bool as2;                      /* 2-octet AS session (opts.as4 false) */
	bool ibgp;
	uint8_t action;
	uint8_t code, subcode;         /* NOTIFICATION when action is RESET */
	struct exp_fault f1, f2;
	uint8_t absent;                /* attribute that must not be kept */
	uint8_t present;               /* attribute that must be kept */
	/* Prefixes each section must yield, comma-separated ("" = none). */
	const char *nlri_list, *wd_list, *mp_list, *mpun_list;
	bool eor;
	uint16_t eor_afi;
	uint8_t eor_safi;
	void (*check)(const struct bgp_update *u);
};

/* ---- building blocks (hex) --------------------------------------------- */

#define ORIGIN_IGP "40 01 01 00 "
#define ASP4 "40 02 06 02 01 0000fde9 " /* AS_PATH 65001, 4-octet */
#define ASP2 "40 02 04 02 01 fde9 "     /* AS_PATH 65001, 2-octet */
#define NH "40 03 04 0a000001 "         /* NEXT_HOP 10.0.0.1 */
#define BASE4 ORIGIN_IGP ASP4 NH
#define BASE2 ORIGIN_IGP ASP2 NH
#define PFX "10 0a01"                   /* 10.1.0.0/16 */
#define PFX_S "10.1.0.0/16"

#define MED "80 04 04 00000064 "                      /* 100 */
#define LP "40 05 04 000000c8 "                       /* 200 */
#define ATOMIC "40 06 00 "
#define AGG4 "c0 07 08 0000fde9 0a000009 "            /* 65001 10.0.0.9 */
#define AGG2 "c0 07 06 fde9 0a000009 "
#define COMM "c0 08 08 fde80001 fde80002 "            /* 65000:1 65000:2 */
#define EXTC "c0 10 08 0002fde8 00000064 "            /* rt 65000:100 */
#define LARGE "c0 20 0c 0000fde9 00000001 00000002 "  /* 65001:1:2 */
#define ORIGINATOR "80 09 04 0a000002 "
#define CLUSTER "80 0a 04 0a000003 "

#define V6_GLOBAL "20010db8000000000000000000000001"  /* 2001:db8::1 */
#define V6_LL "fe800000000000000000000000000001"      /* fe80::1 */
/* MP_REACH_NLRI IPv6 unicast, next hop 2001:db8::1, 2001:db8::/32 */
#define MPR6 "80 0e 1a 0002 01 10 " V6_GLOBAL " 00 20 20010db8 "
/* MP_UNREACH_NLRI IPv6 unicast, 2001:db8::/32 */
#define MPU6 "80 0f 08 0002 01 20 20010db8 "

/* ---- per-row checks of decoded values ---------------------------------- */

static void expect_aspath(const struct bgp_update *u, const char *text)
{
	assert_true(bgp_attrs_has(&u->attrs, BGP_ATTR_AS_PATH));
	struct strbuf sb = STRBUF_INIT;
	bgp_aspath_fmt(u->attrs.aspath, &sb);
	const char *s = strbuf_str(&sb);
	assert_string_equal(s ? s : "", text);
	strbuf_free(&sb);
}

static void expect_bytes(struct bgp_bytes b, const char *hex)
{
	uint8_t want[128];
	size_t err_at;
	long n = hex_decode(hex, want, sizeof(want), &err_at);
	assert_true(n >= 0);
	assert_int_equal(b.len, (size_t)n);
	if (n)
		assert_memory_equal(b.p, want, (size_t)n);
}

static void chk_basic(const struct bgp_update *u)
{
	assert_true(bgp_attrs_has(&u->attrs, BGP_ATTR_ORIGIN));
	assert_int_equal(u->attrs.origin, BGP_ORIGIN_IGP);
	expect_aspath(u, "65001");
	assert_true(bgp_attrs_has(&u->attrs, BGP_ATTR_NEXT_HOP));
	assert_int_equal(u->attrs.nexthop, 0x0a000001);
	assert_false(bgp_attrs_has(&u->attrs, BGP_ATTR_MED));
}

static void chk_full(const struct bgp_update *u)
{
	const struct bgp_attrs *a = &u->attrs;
	assert_int_equal(a->origin, BGP_ORIGIN_IGP);
	expect_aspath(u, "65001");
	assert_int_equal(a->nexthop, 0x0a000001);
	assert_true(bgp_attrs_has(a, BGP_ATTR_MED));
	assert_int_equal(a->med, 100);
	assert_true(bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF));
	assert_int_equal(a->local_pref, 200);
	assert_true(bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE));
	assert_true(bgp_attrs_has(a, BGP_ATTR_AGGREGATOR));
	assert_int_equal(a->aggregator_as, 65001);
	assert_int_equal(a->aggregator_id, 0x0a000009);
	assert_true(bgp_attrs_has(a, BGP_ATTR_COMMUNITIES));
	expect_bytes(a->communities, "fde80001 fde80002");
	assert_true(bgp_attrs_has(a, BGP_ATTR_EXT_COMMUNITIES));
	expect_bytes(a->ext_communities, "0002fde8 00000064");
	assert_true(bgp_attrs_has(a, BGP_ATTR_LARGE_COMMUNITIES));
	expect_bytes(a->large_communities, "0000fde9 00000001 00000002");
	assert_true(bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID));
	assert_int_equal(a->originator_id, 0x0a000002);
	assert_true(bgp_attrs_has(a, BGP_ATTR_CLUSTER_LIST));
	expect_bytes(a->cluster_list, "0a000003");
	assert_int_equal(a->unknown.len, 0);
	assert_int_equal(a->mp_nh_len, 0);
}

static void chk_origin_egp(const struct bgp_update *u)
{
	assert_int_equal(u->attrs.origin, BGP_ORIGIN_EGP);
}

static void chk_origin_incomplete(const struct bgp_update *u)
{
	assert_int_equal(u->attrs.origin, BGP_ORIGIN_INCOMPLETE);
}

static void chk_aspath_65001(const struct bgp_update *u)
{
	expect_aspath(u, "65001");
}

static void chk_aspath_empty(const struct bgp_update *u)
{
	expect_aspath(u, "");
	assert_int_equal(u->attrs.aspath.len, 0);
}

static void chk_aspath_confed(const struct bgp_update *u)
{
	expect_aspath(u, "(65000) 65001");
}

static void chk_mp6_ll(const struct bgp_update *u)
{
	assert_int_equal(u->mp_reach.afi, BGP_AFI_IPV6);
	assert_int_equal(u->mp_reach.safi, BGP_SAFI_UNICAST);
	assert_true(u->mp_reach.supported);
	assert_int_equal(u->attrs.mp_nh_len, 32);
	uint8_t want[32];
	size_t err_at;
	assert_int_equal(hex_decode(V6_GLOBAL V6_LL, want, sizeof(want), &err_at), 32);
	assert_memory_equal(u->attrs.mp_nh, want, 32);
	assert_true(bgp_attrs_has(&u->attrs, BGP_ATTR_MP_REACH_NLRI));
	assert_false(bgp_attrs_has(&u->attrs, BGP_ATTR_NEXT_HOP));
	assert_int_equal(u->nlri.count, 0);
	expect_aspath(u, "65001");
}

static void chk_mp6_global(const struct bgp_update *u)
{
	assert_int_equal(u->attrs.mp_nh_len, 16);
	uint8_t want[16];
	size_t err_at;
	assert_int_equal(hex_decode(V6_GLOBAL, want, sizeof(want), &err_at), 16);
	assert_memory_equal(u->attrs.mp_nh, want, 16);
}

static void chk_mp4(const struct bgp_update *u)
{
	assert_int_equal(u->mp_reach.afi, BGP_AFI_IPV4);
	assert_int_equal(u->attrs.mp_nh_len, 4);
	const uint8_t want[] = { 10, 0, 0, 1 };
	assert_memory_equal(u->attrs.mp_nh, want, 4);
}

static void chk_mp_unsupported(const struct bgp_update *u)
{
	assert_int_equal(u->mp_reach.afi, 25);
	assert_int_equal(u->mp_reach.safi, 70);
	assert_false(u->mp_reach.supported);
	assert_int_equal(u->mp_reach.count, 0);
}

static void chk_no_unknown(const struct bgp_update *u)
{
	assert_int_equal(u->attrs.unknown.len, 0);
}

static void chk_unknown_partial(const struct bgp_update *u)
{
	expect_bytes(u->attrs.unknown, "e0 fe 02 abcd");
}

static void chk_two_unknown(const struct bgp_update *u)
{
	expect_bytes(u->attrs.unknown, "e0 fd 01 11 e0 fe 02 abcd");
}

static void chk_lp_kept(const struct bgp_update *u)
{
	assert_int_equal(u->attrs.local_pref, 200);
}

static void chk_aggr_65001(const struct bgp_update *u)
{
	assert_true(bgp_attrs_has(&u->attrs, BGP_ATTR_AGGREGATOR));
	assert_int_equal(u->attrs.aggregator_as, 65001);
	assert_int_equal(u->attrs.aggregator_id, 0x0a000009);
}

static void chk_aggr_trans(const struct bgp_update *u)
{
	assert_true(bgp_attrs_has(&u->attrs, BGP_ATTR_AGGREGATOR));
	assert_int_equal(u->attrs.aggregator_as, BGP_AS_TRANS);
	expect_aspath(u, "65001");
}

static void chk_origin_first(const struct bgp_update *u)
{
	assert_int_equal(u->attrs.origin, BGP_ORIGIN_IGP);
}

static void chk_med_first(const struct bgp_update *u)
{
	assert_true(bgp_attrs_has(&u->attrs, BGP_ATTR_MED));
	assert_int_equal(u->attrs.med, 100);
}

static void chk_comm_first(const struct bgp_update *u)
{
	expect_bytes(u->attrs.communities, "fde80001");
}

/* ---- the table ---------------------------------------------------------- */

static const struct row rows[] = {
	/* Good messages and the values decoded from them. */
	{ .name = "good: basic eBGP announce", .attrs = BASE4, .nlri = PFX, .action = NONE,
	  .nlri_list = PFX_S, .check = chk_basic },
	{ .name = "good: iBGP with every common attribute",
	  .attrs = BASE4 MED LP ATOMIC AGG4 COMM EXTC LARGE ORIGINATOR CLUSTER, .nlri = PFX,
	  .ibgp = true, .action = NONE, .nlri_list = PFX_S, .check = chk_full },
	{ .name = "good: ORIGIN EGP with the extended length flag",
	  .attrs = "50 01 0001 01 " ASP4 NH, .nlri = PFX, .action = NONE, .nlri_list = PFX_S,
	  .check = chk_origin_egp },
	{ .name = "good: ORIGIN incomplete", .attrs = "40 01 01 02 " ASP4 NH, .nlri = PFX,
	  .action = NONE, .check = chk_origin_incomplete },
	{ .name = "good: 2-octet session", .attrs = BASE2, .nlri = PFX, .as2 = true,
	  .action = NONE, .nlri_list = PFX_S, .check = chk_basic },
	{ .name = "good: empty AS_PATH from iBGP", .attrs = ORIGIN_IGP "40 02 00 " NH,
	  .nlri = PFX, .ibgp = true, .action = NONE, .check = chk_aspath_empty },
	{ .name = "good: several prefixes", .attrs = BASE4,
	  .nlri = "08 0a 18 c00002 20 c6336407 00", .action = NONE,
	  .nlri_list = "10.0.0.0/8,192.0.2.0/24,198.51.100.7/32,0.0.0.0/0" },
	{ .name = "good: NLRI host bits cleared (11.13.0.0/13 is 11.8.0.0/13)", .attrs = BASE4,
	  .nlri = "0d 0b0d", .action = NONE, .nlri_list = "11.8.0.0/13" },
	{ .name = "good: MP_REACH IPv6, global and link-local next hop",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 2a 0002 01 20 " V6_GLOBAL V6_LL " 00 20 20010db8",
	  .action = NONE, .mp_list = "2001:db8::/32", .nlri_list = "", .check = chk_mp6_ll },
	{ .name = "good: MP_REACH IPv6, global next hop", .attrs = ORIGIN_IGP ASP4 MPR6,
	  .action = NONE, .mp_list = "2001:db8::/32", .check = chk_mp6_global },
	{ .name = "good: MP_REACH with the extended length flag",
	  .attrs = ORIGIN_IGP ASP4 "90 0e 001a 0002 01 10 " V6_GLOBAL " 00 20 20010db8",
	  .action = NONE, .mp_list = "2001:db8::/32", .check = chk_mp6_global },
	{ .name = "good: MP_REACH IPv4 unicast",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 0c 0001 01 04 0a000001 00 10 0a01", .action = NONE,
	  .mp_list = PFX_S, .check = chk_mp4 },
	{ .name = "good: MP_UNREACH IPv6", .attrs = MPU6, .action = NONE,
	  .mpun_list = "2001:db8::/32" },
	{ .name = "good: MP_REACH of a family not parsed (L2VPN EVPN) kept as bytes",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 0b 0019 46 04 0a000001 00 ffff", .action = NONE,
	  .check = chk_mp_unsupported },
	{ .name = "good: withdrawals only, no attributes needed", .wd = PFX, .action = NONE,
	  .wd_list = PFX_S, .nlri_list = "" },
	{ .name = "good: withdrawn and announced", .wd = "08 0b", .attrs = BASE4, .nlri = PFX,
	  .action = NONE, .wd_list = "11.0.0.0/8", .nlri_list = PFX_S },
	{ .name = "End-of-RIB IPv4 (empty UPDATE)", .raw = "0000 0000", .action = NONE,
	  .eor = true, .eor_afi = 1, .eor_safi = 1 },
	{ .name = "End-of-RIB IPv6 (MP_UNREACH with only AFI/SAFI)", .attrs = "80 0f 03 0002 01",
	  .action = NONE, .eor = true, .eor_afi = 2, .eor_safi = 1 },
	{ .name = "not End-of-RIB: empty MP_UNREACH with ORIGIN",
	  .attrs = ORIGIN_IGP "80 0f 03 0002 01", .action = NONE, .eor = false },
	{ .name = "not End-of-RIB: no routes but an ORIGIN", .attrs = ORIGIN_IGP, .action = NONE,
	  .eor = false },

	/* Unknown attributes. */
	{ .name = "unknown optional non-transitive ignored", .attrs = BASE4 "80 fe 02 abcd",
	  .nlri = PFX, .action = NONE, .nlri_list = PFX_S, .check = chk_no_unknown },
	{ .name = "unknown optional transitive kept with Partial set",
	  .attrs = BASE4 "c0 fe 02 abcd", .nlri = PFX, .action = NONE,
	  .check = chk_unknown_partial },
	{ .name = "two unknown optional transitive kept in order",
	  .attrs = BASE4 "c0 fd 01 11 e0 fe 02 abcd", .nlri = PFX, .action = NONE,
	  .check = chk_two_unknown },
	{ .name = "unrecognized well-known: reset 3/2", .attrs = BASE4 "40 fe 02 abcd",
	  .nlri = PFX, .action = RESET, .code = 3, .subcode = 2, .f1 = F(0xfe, RESET) },

	/* Optional/Transitive flags not as the type requires: treat-as-withdraw,
	 * but attribute discard for the attributes whose malformed copies are
	 * discarded (RFC 7606 3(c) with 7.5-7.7, 7.9, 7.10; RFC 6793 6). */
	{ .name = "flags: ORIGIN optional", .attrs = "c0 01 01 00 " ASP4 NH, .nlri = PFX,
	  .action = TAW, .f1 = F(1, TAW), .nlri_list = PFX_S },
	{ .name = "flags: AS_PATH optional", .attrs = ORIGIN_IGP "c0 02 06 02 01 0000fde9 " NH,
	  .nlri = PFX, .action = TAW, .f1 = F(2, TAW), .nlri_list = PFX_S },
	{ .name = "flags: NEXT_HOP not transitive", .attrs = ORIGIN_IGP ASP4 "00 03 04 0a000001",
	  .nlri = PFX, .action = TAW, .f1 = F(3, TAW), .nlri_list = PFX_S },
	{ .name = "flags: MED transitive", .attrs = BASE4 "c0 04 04 00000064", .nlri = PFX,
	  .action = TAW, .f1 = F(4, TAW) },
	{ .name = "flags: LOCAL_PREF optional (iBGP)", .attrs = BASE4 "80 05 04 000000c8",
	  .nlri = PFX, .ibgp = true, .action = TAW, .f1 = F(5, TAW) },
	{ .name = "flags: LOCAL_PREF optional (eBGP): discarded", .attrs = BASE4 "80 05 04 000000c8",
	  .nlri = PFX, .action = DISCARD, .f1 = F(5, DISCARD), .absent = 5, .nlri_list = PFX_S },
	{ .name = "flags: ATOMIC_AGGREGATE optional: discarded", .attrs = BASE4 "c0 06 00",
	  .nlri = PFX, .action = DISCARD, .f1 = F(6, DISCARD), .absent = 6, .nlri_list = PFX_S },
	{ .name = "flags: AGGREGATOR non-transitive: discarded",
	  .attrs = BASE4 "80 07 08 0000fde9 0a000009", .nlri = PFX, .action = DISCARD,
	  .f1 = F(7, DISCARD), .absent = 7, .nlri_list = PFX_S },
	{ .name = "flags: COMMUNITIES non-transitive", .attrs = BASE4 "80 08 04 fde80001",
	  .nlri = PFX, .action = TAW, .f1 = F(8, TAW) },
	{ .name = "flags: ORIGINATOR_ID transitive (iBGP)", .attrs = BASE4 "c0 09 04 0a000002",
	  .nlri = PFX, .ibgp = true, .action = TAW, .f1 = F(9, TAW) },
	{ .name = "flags: CLUSTER_LIST transitive (iBGP)", .attrs = BASE4 "c0 0a 04 0a000003",
	  .nlri = PFX, .ibgp = true, .action = TAW, .f1 = F(10, TAW) },
	{ .name = "flags: ORIGINATOR_ID transitive (eBGP): discarded",
	  .attrs = BASE4 "c0 09 04 0a000002", .nlri = PFX, .action = DISCARD, .f1 = F(9, DISCARD),
	  .absent = 9, .nlri_list = PFX_S },
	{ .name = "flags: MP_REACH_NLRI transitive",
	  .attrs = ORIGIN_IGP ASP4 "c0 0e 1a 0002 01 10 " V6_GLOBAL " 00 20 20010db8",
	  .action = TAW, .f1 = F(14, TAW), .mp_list = "2001:db8::/32" },
	{ .name = "flags: MP_UNREACH_NLRI transitive", .attrs = "c0 0f 08 0002 01 20 20010db8",
	  .action = TAW, .f1 = F(15, TAW) },
	{ .name = "flags: EXT_COMMUNITIES non-transitive",
	  .attrs = BASE4 "80 10 08 0002fde8 00000064", .nlri = PFX, .action = TAW,
	  .f1 = F(16, TAW) },
	{ .name = "flags: AS4_PATH non-transitive (2-octet session)",
	  .attrs = BASE2 "80 11 06 02 01 00011170", .nlri = PFX, .as2 = true, .action = DISCARD,
	  .f1 = F(17, DISCARD), .nlri_list = PFX_S },
	{ .name = "flags: AS4_AGGREGATOR non-transitive (2-octet session)",
	  .attrs = BASE2 "c0 07 06 5ba0 0a000009 80 12 08 00011170 0a000009", .nlri = PFX,
	  .as2 = true, .action = DISCARD, .f1 = F(18, DISCARD), .nlri_list = PFX_S },
	{ .name = "flags: LARGE_COMMUNITY non-transitive",
	  .attrs = BASE4 "80 20 0c 0000fde9 00000001 00000002", .nlri = PFX, .action = TAW,
	  .f1 = F(32, TAW) },

	/* ORIGIN */
	{ .name = "ORIGIN length 2", .attrs = "40 01 02 0000 " ASP4 NH, .nlri = PFX,
	  .action = TAW, .f1 = F(1, TAW), .nlri_list = PFX_S },
	{ .name = "ORIGIN length 0", .attrs = "40 01 00 " ASP4 NH, .nlri = PFX, .action = TAW,
	  .f1 = F(1, TAW) },
	{ .name = "ORIGIN value 3", .attrs = "40 01 01 03 " ASP4 NH, .nlri = PFX, .action = TAW,
	  .f1 = F(1, TAW), .nlri_list = PFX_S },

	/* AS_PATH */
	{ .name = "AS_PATH zero-length segment", .attrs = ORIGIN_IGP "40 02 02 02 00 " NH,
	  .nlri = PFX, .action = TAW, .f1 = F(2, TAW), .nlri_list = PFX_S },
	{ .name = "AS_PATH segment type 5", .attrs = ORIGIN_IGP "40 02 06 05 01 0000fde9 " NH,
	  .nlri = PFX, .action = TAW, .f1 = F(2, TAW) },
	{ .name = "AS_PATH segment type 0", .attrs = ORIGIN_IGP "40 02 06 00 01 0000fde9 " NH,
	  .nlri = PFX, .action = TAW, .f1 = F(2, TAW) },
	{ .name = "AS_PATH segment overrun", .attrs = ORIGIN_IGP "40 02 06 02 02 0000fde9 " NH,
	  .nlri = PFX, .action = TAW, .f1 = F(2, TAW) },
	{ .name = "AS_PATH trailing octet", .attrs = ORIGIN_IGP "40 02 07 02 01 0000fde9 00 " NH,
	  .nlri = PFX, .action = TAW, .f1 = F(2, TAW) },
	{ .name = "AS_PATH AS 0 (RFC 7607)", .attrs = ORIGIN_IGP "40 02 06 02 01 00000000 " NH,
	  .nlri = PFX, .action = TAW, .f1 = F(2, TAW) },
	{ .name = "AS_PATH AS 0 in an AS_SET",
	  .attrs = ORIGIN_IGP "40 02 10 02 01 0000fde9 01 02 00000001 00000000 " NH, .nlri = PFX,
	  .action = TAW, .f1 = F(2, TAW) },
	{ .name = "AS_PATH AS 0, 2-octet session", .attrs = ORIGIN_IGP "40 02 04 02 01 0000 " NH,
	  .nlri = PFX, .as2 = true, .action = TAW, .f1 = F(2, TAW) },
	{ .name = "AS_PATH 4-octet bytes on a 2-octet session", .attrs = BASE4, .nlri = PFX,
	  .as2 = true, .action = TAW, .f1 = F(2, TAW) },
	{ .name = "AS_PATH confed segment from eBGP",
	  .attrs = ORIGIN_IGP "40 02 0c 03 01 0000fde8 02 01 0000fde9 " NH, .nlri = PFX,
	  .action = TAW, .f1 = F(2, TAW), .nlri_list = PFX_S },
	{ .name = "AS_PATH confed segment from iBGP is fine",
	  .attrs = ORIGIN_IGP "40 02 0c 03 01 0000fde8 02 01 0000fde9 " NH, .nlri = PFX,
	  .ibgp = true, .action = NONE, .check = chk_aspath_confed },

	/* NEXT_HOP */
	{ .name = "NEXT_HOP length 3", .attrs = ORIGIN_IGP ASP4 "40 03 03 0a0000", .nlri = PFX,
	  .action = TAW, .f1 = F(3, TAW) },
	{ .name = "NEXT_HOP length 5", .attrs = ORIGIN_IGP ASP4 "40 03 05 0a00000100", .nlri = PFX,
	  .action = TAW, .f1 = F(3, TAW) },
	{ .name = "NEXT_HOP 0.0.0.0", .attrs = ORIGIN_IGP ASP4 "40 03 04 00000000", .nlri = PFX,
	  .action = TAW, .f1 = F(3, TAW), .nlri_list = PFX_S },
	{ .name = "NEXT_HOP 0.1.2.3 (0/8)", .attrs = ORIGIN_IGP ASP4 "40 03 04 00010203",
	  .nlri = PFX, .action = TAW, .f1 = F(3, TAW) },
	{ .name = "NEXT_HOP 127.0.0.1", .attrs = ORIGIN_IGP ASP4 "40 03 04 7f000001", .nlri = PFX,
	  .action = TAW, .f1 = F(3, TAW) },
	{ .name = "NEXT_HOP 224.0.0.1", .attrs = ORIGIN_IGP ASP4 "40 03 04 e0000001", .nlri = PFX,
	  .action = TAW, .f1 = F(3, TAW) },
	{ .name = "NEXT_HOP 240.0.0.1", .attrs = ORIGIN_IGP ASP4 "40 03 04 f0000001", .nlri = PFX,
	  .action = TAW, .f1 = F(3, TAW) },
	{ .name = "NEXT_HOP 223.255.255.254 is fine", .attrs = ORIGIN_IGP ASP4 "40 03 04 dffffffe",
	  .nlri = PFX, .action = NONE, .nlri_list = PFX_S },

	/* MULTI_EXIT_DISC */
	{ .name = "MED length 3", .attrs = BASE4 "80 04 03 000064", .nlri = PFX, .action = TAW,
	  .f1 = F(4, TAW), .nlri_list = PFX_S },
	{ .name = "MED length 5", .attrs = BASE4 "80 04 05 0000006400", .nlri = PFX,
	  .action = TAW, .f1 = F(4, TAW) },

	/* LOCAL_PREF */
	{ .name = "LOCAL_PREF from eBGP discarded", .attrs = BASE4 LP, .nlri = PFX,
	  .action = DISCARD, .f1 = F(5, DISCARD), .absent = 5, .nlri_list = PFX_S },
	{ .name = "LOCAL_PREF from iBGP kept", .attrs = BASE4 LP, .nlri = PFX, .ibgp = true,
	  .action = NONE, .present = 5, .check = chk_lp_kept },
	{ .name = "LOCAL_PREF length 3 (iBGP)", .attrs = BASE4 "40 05 03 0000c8", .nlri = PFX,
	  .ibgp = true, .action = TAW, .f1 = F(5, TAW) },

	/* ATOMIC_AGGREGATE, AGGREGATOR */
	{ .name = "ATOMIC_AGGREGATE length 1", .attrs = BASE4 "40 06 01 00", .nlri = PFX,
	  .action = DISCARD, .f1 = F(6, DISCARD), .absent = 6, .nlri_list = PFX_S },
	{ .name = "AGGREGATOR length 7", .attrs = BASE4 "c0 07 07 0000fde9 0a0000", .nlri = PFX,
	  .action = DISCARD, .f1 = F(7, DISCARD), .absent = 7, .nlri_list = PFX_S },
	{ .name = "AGGREGATOR length 6 on a 4-octet session", .attrs = BASE4 AGG2, .nlri = PFX,
	  .action = DISCARD, .f1 = F(7, DISCARD), .absent = 7 },
	{ .name = "AGGREGATOR length 8 on a 2-octet session", .attrs = BASE2 AGG4, .nlri = PFX,
	  .as2 = true, .action = DISCARD, .f1 = F(7, DISCARD), .absent = 7 },
	{ .name = "AGGREGATOR length 6 on a 2-octet session is fine", .attrs = BASE2 AGG2,
	  .nlri = PFX, .as2 = true, .action = NONE, .check = chk_aggr_65001 },
	{ .name = "AGGREGATOR AS 0", .attrs = BASE4 "c0 07 08 00000000 0a000009", .nlri = PFX,
	  .action = DISCARD, .f1 = F(7, DISCARD), .absent = 7 },

	/* COMMUNITIES */
	{ .name = "COMMUNITIES length 0", .attrs = BASE4 "c0 08 00", .nlri = PFX, .action = TAW,
	  .f1 = F(8, TAW), .nlri_list = PFX_S },
	{ .name = "COMMUNITIES length 5", .attrs = BASE4 "c0 08 05 fde8000100", .nlri = PFX,
	  .action = TAW, .f1 = F(8, TAW) },

	/* ORIGINATOR_ID, CLUSTER_LIST */
	{ .name = "ORIGINATOR_ID from eBGP discarded", .attrs = BASE4 ORIGINATOR, .nlri = PFX,
	  .action = DISCARD, .f1 = F(9, DISCARD), .absent = 9 },
	{ .name = "ORIGINATOR_ID length 3 (iBGP)", .attrs = BASE4 "80 09 03 0a0000", .nlri = PFX,
	  .ibgp = true, .action = TAW, .f1 = F(9, TAW) },
	{ .name = "CLUSTER_LIST from eBGP discarded", .attrs = BASE4 CLUSTER, .nlri = PFX,
	  .action = DISCARD, .f1 = F(10, DISCARD), .absent = 10 },
	{ .name = "CLUSTER_LIST length 0 (iBGP)", .attrs = BASE4 "80 0a 00", .nlri = PFX,
	  .ibgp = true, .action = TAW, .f1 = F(10, TAW) },
	{ .name = "CLUSTER_LIST length 5 (iBGP)", .attrs = BASE4 "80 0a 05 0a00000300",
	  .nlri = PFX, .ibgp = true, .action = TAW, .f1 = F(10, TAW) },

	/* MP_REACH_NLRI, MP_UNREACH_NLRI */
	{ .name = "MP_REACH too short (AFI/SAFI only)", .attrs = ORIGIN_IGP ASP4 "80 0e 03 0002 01",
	  .action = RESET, .code = 3, .subcode = 9, .f1 = F(14, RESET) },
	{ .name = "MP_REACH without the reserved octet",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 14 0002 01 10 " V6_GLOBAL, .action = RESET, .code = 3,
	  .subcode = 9, .f1 = F(14, RESET) },
	{ .name = "MP_REACH next hop past the attribute",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 06 0002 01 10 2001", .action = RESET, .code = 3,
	  .subcode = 9, .f1 = F(14, RESET) },
	{ .name = "MP_REACH IPv6 next hop length 8",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 12 0002 01 08 20010db800000001 00 20 20010db8",
	  .action = RESET, .code = 3, .subcode = 9, .f1 = F(14, RESET) },
	{ .name = "MP_REACH IPv4 next hop length 5",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 0d 0001 01 05 0a00000100 00 10 0a01", .action = RESET,
	  .code = 3, .subcode = 9, .f1 = F(14, RESET) },
	{ .name = "MP_REACH unspecified next hop ::",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 1a 0002 01 10 00000000000000000000000000000000 00 20 "
				 "20010db8",
	  .action = TAW, .f1 = F(14, TAW), .mp_list = "2001:db8::/32" },
	{ .name = "MP_REACH multicast next hop ff02::1",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 1a 0002 01 10 ff020000000000000000000000000001 00 20 "
				 "20010db8",
	  .action = TAW, .f1 = F(14, TAW), .mp_list = "2001:db8::/32" },
	{ .name = "MP_REACH prefix length 129",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 1a 0002 01 10 " V6_GLOBAL " 00 81 20010db8",
	  .action = RESET, .code = 3, .subcode = 10, .f1 = FANY(RESET) },
	{ .name = "MP_REACH prefix cut short",
	  .attrs = ORIGIN_IGP ASP4 "80 0e 1a 0002 01 10 " V6_GLOBAL " 00 30 20010db8",
	  .action = RESET, .code = 3, .subcode = 10, .f1 = FANY(RESET) },
	{ .name = "MP_UNREACH too short", .attrs = "80 0f 02 0002", .action = RESET, .code = 3,
	  .subcode = 9, .f1 = F(15, RESET) },
	{ .name = "MP_UNREACH IPv4 prefix length 33", .attrs = "80 0f 08 0001 01 21 0a000001",
	  .action = RESET, .code = 3, .subcode = 10, .f1 = FANY(RESET) },

	/* Duplicates */
	{ .name = "MP_REACH twice: reset 3/1", .attrs = ORIGIN_IGP ASP4 MPR6 MPR6,
	  .action = RESET, .code = 3, .subcode = 1, .f1 = F(14, RESET) },
	{ .name = "MP_UNREACH twice: reset 3/1", .attrs = MPU6 MPU6, .action = RESET, .code = 3,
	  .subcode = 1, .f1 = F(15, RESET) },
	{ .name = "ORIGIN twice: later copy discarded", .attrs = BASE4 "40 01 01 01", .nlri = PFX,
	  .action = DISCARD, .f1 = F(1, DISCARD), .present = 1, .nlri_list = PFX_S,
	  .check = chk_origin_first },
	{ .name = "MED twice: later copy discarded", .attrs = BASE4 MED "80 04 04 000000c8",
	  .nlri = PFX, .action = DISCARD, .f1 = F(4, DISCARD), .check = chk_med_first },
	{ .name = "COMMUNITIES twice: later copy discarded",
	  .attrs = BASE4 "c0 08 04 fde80001 c0 08 04 fde80002", .nlri = PFX, .action = DISCARD,
	  .f1 = F(8, DISCARD), .check = chk_comm_first },
	{ .name = "AS_PATH twice: later copy discarded",
	  .attrs = BASE4 "40 02 06 02 01 0000fdea", .nlri = PFX, .action = DISCARD,
	  .f1 = F(2, DISCARD), .check = chk_aspath_65001 },

	/* EXTENDED_COMMUNITIES, LARGE_COMMUNITY */
	{ .name = "EXT_COMMUNITIES length 12", .attrs = BASE4 "c0 10 0c 0002fde8 00000064 00000000",
	  .nlri = PFX, .action = TAW, .f1 = F(16, TAW), .nlri_list = PFX_S },
	{ .name = "EXT_COMMUNITIES length 0", .attrs = BASE4 "c0 10 00", .nlri = PFX,
	  .action = TAW, .f1 = F(16, TAW) },
	{ .name = "LARGE_COMMUNITY length 13",
	  .attrs = BASE4 "c0 20 0d 0000fde9 00000001 00000002 00", .nlri = PFX, .action = TAW,
	  .f1 = F(32, TAW), .nlri_list = PFX_S },
	{ .name = "LARGE_COMMUNITY length 0", .attrs = BASE4 "c0 20 00", .nlri = PFX,
	  .action = TAW, .f1 = F(32, TAW) },

	/* AS4_PATH, AS4_AGGREGATOR (RFC 6793 6: attribute discard) */
	{ .name = "AS4_PATH from a 4-octet session discarded",
	  .attrs = BASE4 "c0 11 06 02 01 00011170", .nlri = PFX, .action = DISCARD,
	  .f1 = F(17, DISCARD), .absent = 17, .check = chk_aspath_65001 },
	{ .name = "AS4_PATH malformed (overrun) discarded",
	  .attrs = BASE2 "c0 11 06 02 02 00011170", .nlri = PFX, .as2 = true, .action = DISCARD,
	  .f1 = F(17, DISCARD), .absent = 17, .check = chk_aspath_65001 },
	{ .name = "AS4_PATH zero-length segment discarded", .attrs = BASE2 "c0 11 02 02 00",
	  .nlri = PFX, .as2 = true, .action = DISCARD, .f1 = F(17, DISCARD),
	  .check = chk_aspath_65001 },
	{ .name = "AS4_PATH AS 0 discarded", .attrs = BASE2 "c0 11 06 02 01 00000000",
	  .nlri = PFX, .as2 = true, .action = DISCARD, .f1 = F(17, DISCARD),
	  .check = chk_aspath_65001 },
	{ .name = "AS4_PATH confed segment discarded", .attrs = BASE2 "c0 11 06 03 01 00011170",
	  .nlri = PFX, .as2 = true, .action = DISCARD, .f1 = F(17, DISCARD),
	  .check = chk_aspath_65001 },
	{ .name = "AS4_AGGREGATOR length 7 discarded",
	  .attrs = BASE2 "c0 07 06 5ba0 0a000009 c0 12 07 00011170 0a0000", .nlri = PFX,
	  .as2 = true, .action = DISCARD, .f1 = F(18, DISCARD), .absent = 18,
	  .check = chk_aggr_trans },
	{ .name = "AS4_AGGREGATOR from a 4-octet session discarded",
	  .attrs = BASE4 AGG4 "c0 12 08 00011170 0a000009", .nlri = PFX, .action = DISCARD,
	  .f1 = F(18, DISCARD), .absent = 18, .check = chk_aggr_65001 },
	{ .name = "AS4_AGGREGATOR AS 0 discarded",
	  .attrs = BASE2 "c0 07 06 5ba0 0a000009 c0 12 08 00000000 0a000009", .nlri = PFX,
	  .as2 = true, .action = DISCARD, .f1 = F(18, DISCARD), .check = chk_aggr_trans },

	/* Missing well-known attributes (RFC 7606 3(d)) */
	{ .name = "missing ORIGIN", .attrs = ASP4 NH, .nlri = PFX, .action = TAW, .f1 = F(1, TAW),
	  .nlri_list = PFX_S },
	{ .name = "missing AS_PATH", .attrs = ORIGIN_IGP NH, .nlri = PFX, .action = TAW,
	  .f1 = F(2, TAW), .nlri_list = PFX_S },
	{ .name = "missing NEXT_HOP", .attrs = ORIGIN_IGP ASP4, .nlri = PFX, .action = TAW,
	  .f1 = F(3, TAW), .nlri_list = PFX_S },
	{ .name = "no attributes at all, with NLRI", .nlri = PFX, .action = TAW,
	  .f1 = F(1, TAW), .nlri_list = PFX_S },
	{ .name = "missing ORIGIN with MP_REACH only", .attrs = ASP4 MPR6, .action = TAW,
	  .f1 = F(1, TAW), .mp_list = "2001:db8::/32" },
	{ .name = "missing AS_PATH with MP_REACH only", .attrs = ORIGIN_IGP MPR6, .action = TAW,
	  .f1 = F(2, TAW), .mp_list = "2001:db8::/32" },

	/* Attribute framing (RFC 7606 4) */
	{ .name = "attribute value overrun, IPv4 NLRI still located",
	  .attrs = ORIGIN_IGP ASP4 "40 03 05 0a000001", .nlri = PFX, .action = TAW,
	  .f1 = FANY(TAW), .nlri_list = PFX_S },
	{ .name = "attribute header cut short, IPv4 NLRI still located",
	  .attrs = BASE4 "c0 08", .nlri = PFX, .action = TAW, .f1 = FANY(TAW),
	  .nlri_list = PFX_S },
	{ .name = "extended length header cut short, IPv4 NLRI still located",
	  .attrs = BASE4 "d0 08 00", .nlri = PFX, .action = TAW, .f1 = FANY(TAW),
	  .nlri_list = PFX_S },
	{ .name = "attribute overrun, no NLRI, no MP attribute: reset 3/1",
	  .attrs = ORIGIN_IGP ASP4 "40 03 05 0a000001", .action = RESET, .code = 3, .subcode = 1,
	  .f1 = FANY(RESET) },
	{ .name = "attribute overrun hiding a later MP_REACH: reset 3/1",
	  .attrs = ORIGIN_IGP "40 02 ff 02 01 0000fde9 " MPR6, .action = RESET, .code = 3,
	  .subcode = 1, .f1 = FANY(RESET) },
	{ .name = "attribute overrun after MP_REACH: treat-as-withdraw",
	  .attrs = ORIGIN_IGP ASP4 MPR6 "c0 08 05 fde80001", .action = TAW, .f1 = FANY(TAW),
	  .mp_list = "2001:db8::/32" },
	{ .name = "attribute overrun after MP_UNREACH: treat-as-withdraw",
	  .attrs = MPU6 "c0 08 05 fde80001", .action = TAW, .f1 = FANY(TAW) },

	/* Message framing */
	{ .name = "withdrawn length overrun: reset 3/1", .raw = "0010 10 0a01 0000",
	  .action = RESET, .code = 3, .subcode = 1, .f1 = FANY(RESET) },
	{ .name = "total path attribute length overrun: reset 3/1", .raw = "0000 0020 40010100",
	  .action = RESET, .code = 3, .subcode = 1, .f1 = FANY(RESET) },
	{ .name = "body of 3 octets: reset 3/1", .raw = "0000 00", .action = RESET, .code = 3,
	  .subcode = 1, .f1 = FANY(RESET) },
	{ .name = "NLRI prefix length 33: reset 3/10", .attrs = BASE4, .nlri = "21 0a000001 00",
	  .action = RESET, .code = 3, .subcode = 10, .f1 = FANY(RESET) },
	{ .name = "NLRI prefix cut short: reset 3/10", .attrs = BASE4, .nlri = PFX " 18 0a01",
	  .action = RESET, .code = 3, .subcode = 10, .f1 = FANY(RESET) },
	{ .name = "withdrawn prefix length 33: reset 3/10", .wd = "21 0a000001 00",
	  .action = RESET, .code = 3, .subcode = 10, .f1 = FANY(RESET) },

	/* Several faults: the strongest wins, every fault is listed. */
	{ .name = "discard + treat-as-withdraw: treat-as-withdraw",
	  .attrs = BASE4 "40 06 01 00 80 04 03 000064", .nlri = PFX, .action = TAW,
	  .f1 = F(6, DISCARD), .f2 = F(4, TAW), .nlri_list = PFX_S },
	{ .name = "treat-as-withdraw + unrecognized well-known: reset 3/2",
	  .attrs = "40 01 01 03 " ASP4 NH "40 fe 02 abcd", .nlri = PFX, .action = RESET,
	  .code = 3, .subcode = 2, .f1 = F(1, TAW), .f2 = F(0xfe, RESET) },
	{ .name = "discard + MP_REACH twice: reset 3/1",
	  .attrs = ORIGIN_IGP ASP4 "40 06 01 00 " MPR6 MPR6, .action = RESET, .code = 3,
	  .subcode = 1, .f1 = F(6, DISCARD), .f2 = F(14, RESET) },
	{ .name = "LOCAL_PREF from eBGP + COMMUNITIES length 5: treat-as-withdraw",
	  .attrs = BASE4 LP "c0 08 05 fde8000100", .nlri = PFX, .action = TAW,
	  .f1 = F(5, DISCARD), .f2 = F(8, TAW), .nlri_list = PFX_S },
};

/* ---- the runner ---------------------------------------------------------- */

static size_t build_body(const struct row *r, uint8_t *out, size_t cap)
{
	size_t err_at = 0;
	long n;
	if (r->raw) {
		n = hex_decode(r->raw, out, cap, &err_at);
		assert_true(n >= 0);
		return (size_t)n;
	}
	size_t pos = 0;
	const char *parts[3] = { r->wd ? r->wd : "", r->attrs ? r->attrs : "",
				 r->nlri ? r->nlri : "" };
	for (int i = 0; i < 3; i++) {
		size_t at = pos;
		if (i < 2)
			pos += 2; /* the length field before the section */
		n = hex_decode(parts[i], out + pos, cap - pos, &err_at);
		if (n < 0)
			print_error("bad hex in row \"%s\" part %d at %zu\n", r->name, i, err_at);
		assert_true(n >= 0);
		if (i < 2) {
			out[at] = (uint8_t)(n >> 8);
			out[at + 1] = (uint8_t)n;
		}
		pos += (size_t)n;
	}
	return pos;
}

static void expect_section(const struct bgp_nlri *sec, const char *list, const char *what)
{
	if (!list)
		return;
	char want[512];
	snprintf(want, sizeof(want), "%s", list);
	struct bgp_nlri_iter it = bgp_nlri_iter(sec);
	struct prefix p;
	uint32_t n = 0;
	char *save = NULL;
	for (char *tok = strtok_r(want, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!bgp_nlri_next(&it, &p)) {
			print_error("%s: missing prefix %s\n", what, tok);
			fail();
		}
		char buf[PREFIX_STRLEN];
		prefix_fmt(&p, buf, sizeof(buf));
		if (strcmp(buf, tok) != 0) {
			print_error("%s: got %s, want %s\n", what, buf, tok);
			fail();
		}
		n++;
	}
	if (bgp_nlri_next(&it, &p)) {
		char buf[PREFIX_STRLEN];
		print_error("%s: unexpected extra prefix %s\n", what, prefix_fmt(&p, buf, sizeof(buf)));
		fail();
	}
	assert_int_equal(sec->count, n);
}

static void print_result(const struct row *r, const struct bgp_update *u)
{
	print_error("row \"%s\": action %u (want %u), notify %u/%u, %u fault(s):\n", r->name,
		    u->action, r->action, u->notify.code, u->notify.subcode, u->n_faults);
	for (unsigned i = 0; i < u->n_faults && i < BGP_UPDATE_MAX_FAULTS; i++)
		print_error("  attr %u action %u: %s\n", u->faults[i].attr, u->faults[i].action,
			    u->faults[i].what ? u->faults[i].what : "(null)");
}

static bool has_fault(const struct bgp_update *u, int attr, uint8_t action)
{
	for (unsigned i = 0; i < u->n_faults && i < BGP_UPDATE_MAX_FAULTS; i++)
		if ((attr == FAULT_ANY || u->faults[i].attr == attr) &&
		    u->faults[i].action == action)
			return true;
	return false;
}

static void run_row(void **state)
{
	const struct row *r = *state;
	uint8_t body[1024];
	size_t n = build_body(r, body, sizeof(body));
	static uint8_t scratch[BGP_UPDATE_SCRATCH_SIZE(4096)];
	struct bgp_decode_opts o = { .as4 = !r->as2, .ibgp = r->ibgp };
	struct bgp_update u;
	memset(&u, 0xa5, sizeof(u));
	uint8_t act = bgp_update_decode(body, n, &o, scratch, sizeof(scratch), &u);

	if (act != r->action || u.action != r->action)
		print_result(r, &u);
	assert_int_equal(act, u.action);
	assert_int_equal(u.action, r->action);
	if (r->action == RESET) {
		assert_int_equal(u.notify.code, r->code);
		assert_int_equal(u.notify.subcode, r->subcode);
	}

	/* The faults: the expected ones are there, none is stronger than the
	 * action, and some fault accounts for the action. */
	assert_true(u.n_faults <= BGP_UPDATE_MAX_FAULTS);
	for (unsigned i = 0; i < u.n_faults; i++) {
		if (u.faults[i].action > u.action)
			print_result(r, &u);
		assert_true(u.faults[i].action <= u.action);
		assert_non_null(u.faults[i].what);
	}
	if (r->action > NONE && !has_fault(&u, FAULT_ANY, r->action)) {
		print_result(r, &u);
		fail_msg("no fault with the message's action");
	}
	const struct exp_fault *fs[2] = { &r->f1, &r->f2 };
	for (int i = 0; i < 2; i++) {
		if (fs[i]->set && !has_fault(&u, fs[i]->attr, fs[i]->action)) {
			print_result(r, &u);
			fail_msg("expected fault attr %d action %u not found", fs[i]->attr,
				 fs[i]->action);
		}
	}

	if (r->action == RESET)
		return; /* nothing else of a reset message is meaningful */

	assert_int_equal(u.eor, r->eor);
	if (r->eor) {
		assert_int_equal(u.eor_afi, r->eor_afi);
		assert_int_equal(u.eor_safi, r->eor_safi);
		assert_int_equal(u.nlri.count, 0);
		assert_int_equal(u.withdrawn.count, 0);
	}
	if (r->absent)
		assert_false(bgp_attrs_has(&u.attrs, r->absent));
	if (r->present)
		assert_true(bgp_attrs_has(&u.attrs, r->present));
	expect_section(&u.nlri, r->nlri_list, "NLRI");
	expect_section(&u.withdrawn, r->wd_list, "withdrawn");
	expect_section(&u.mp_reach, r->mp_list, "MP_REACH");
	expect_section(&u.mp_unreach, r->mpun_list, "MP_UNREACH");
	if (r->check)
		r->check(&u);
}

int main(void)
{
	size_t n = sizeof(rows) / sizeof(rows[0]);
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));
	if (!tests)
		return 1;
	for (size_t i = 0; i < n; i++) {
		tests[i].name = rows[i].name;
		tests[i].test_func = run_row;
		tests[i].initial_state = (void *)&rows[i];
	}
	int rc = _cmocka_run_group_tests("update_7606", tests, n, NULL, NULL);
	free(tests);
	return rc;
}

/* test_attr_intern.c: the attribute table (bgp/attr_intern.h). Equal content
 * gives one pointer whatever buffers it came from, and the reference count
 * counts; a change to any one field gives another pointer; absent fields and
 * MP_UNREACH_NLRI do not matter; views of interned attributes survive the
 * source buffers and round trip through the UPDATE encoder and decoder;
 * entries are freed at the last unref (ASan checks for leaks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bgp/attr_intern.h"
#include "bgp/update.h"

#define MSGBUF (BGP_MAX_EXT_MSG + 1024)

static uint8_t msgbuf[MSGBUF];
static uint8_t scratch[BGP_UPDATE_SCRATCH_SIZE(BGP_MAX_EXT_MSG)];

/* 65001 70000 65002 {1,70001} */
static const uint8_t path_big[] = {
	0x02, 0x03, 0x00, 0x00, 0xfd, 0xe9, 0x00, 0x01, 0x11, 0x70, 0x00, 0x00, 0xfd, 0xea,
	0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x11, 0x71,
};
static const uint8_t comms[] = { 0xfd, 0xe8, 0x00, 0x01, 0xfd, 0xe8, 0x00, 0x02 };
static const uint8_t ext_comms[] = { 0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x64 };
static const uint8_t large_comms[] = { 0x00, 0x00, 0xfd, 0xe9, 0, 0, 0, 1, 0, 0, 0, 2 };
static const uint8_t clusters[] = { 10, 0, 0, 3, 10, 0, 0, 4 };
static const uint8_t unknown_attr[] = { 0xe0, 0xfe, 0x03, 0x01, 0x02, 0x03 };

/* Every attribute, the parts in a heap buffer of their own (to free later). */
struct owned {
	struct bgp_attrs a;
	uint8_t *buf;
};

static struct owned make_owned(bool v6)
{
	struct owned o;
	memset(&o, 0, sizeof(o));
	o.buf = malloc(256);
	assert_non_null(o.buf);
	uint8_t *p = o.buf;
#define PUT(field, src)                                                        \
	do {                                                                   \
		memcpy(p, src, sizeof(src));                                   \
		o.a.field = (struct bgp_bytes){ p, (uint32_t)sizeof(src) };    \
		p += sizeof(src);                                              \
	} while (0)
	PUT(aspath, path_big);
	PUT(communities, comms);
	PUT(ext_communities, ext_comms);
	PUT(large_communities, large_comms);
	PUT(cluster_list, clusters);
	PUT(unknown, unknown_attr);
#undef PUT
	struct bgp_attrs *a = &o.a;
	a->have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		  BGP_ATTR_BIT(BGP_ATTR_MED) | BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) |
		  BGP_ATTR_BIT(BGP_ATTR_ATOMIC_AGGREGATE) | BGP_ATTR_BIT(BGP_ATTR_AGGREGATOR) |
		  BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES) | BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) |
		  BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST) | BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES) |
		  BGP_ATTR_BIT(BGP_ATTR_LARGE_COMMUNITIES);
	a->origin = BGP_ORIGIN_EGP;
	a->med = 4000000000u;
	a->local_pref = 250;
	a->aggregator_as = 70000;
	a->aggregator_id = 0x0a000009;
	a->originator_id = 0x0a000002;
	if (v6) {
		a->have |= BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI);
		a->mp_nh_len = 32;
		const uint8_t nh[32] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01, 0xfe, 0x80, [31] = 0x01 };
		memcpy(a->mp_nh, nh, 32);
	} else {
		a->have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		a->nexthop = 0xc0000201;
	}
	return o;
}

/* ---- identity and reference counts ---------------------------------------- */

static void test_equal_content_same_pointer(void **state)
{
	(void)state;
	struct bgp_attr_table t;
	bgp_attr_table_init(&t);
	struct owned x = make_owned(false), y = make_owned(false);
	const struct bgp_iattrs *a = bgp_attr_intern(&t, &x.a);
	assert_non_null(a);
	assert_int_equal(bgp_iattrs_refcnt(a), 1);
	/* The same content from other buffers. */
	assert_ptr_equal(bgp_attr_intern(&t, &y.a), a);
	assert_int_equal(bgp_iattrs_refcnt(a), 2);
	assert_ptr_equal(bgp_attr_ref(a), a);
	assert_int_equal(bgp_iattrs_refcnt(a), 3);
	assert_int_equal(bgp_attr_table_count(&t), 1);
	assert_true(bgp_attr_table_bytes(&t) > 60 + sizeof(path_big));
	/* The source buffers may go: the table has its own copy. */
	memset(x.buf, 0xee, 256);
	free(x.buf);
	free(y.buf);
	struct bgp_bytes path = bgp_iattrs_aspath(a);
	assert_int_equal(path.len, sizeof(path_big));
	assert_memory_equal(path.p, path_big, sizeof(path_big));
	bgp_attr_unref(&t, a);
	bgp_attr_unref(&t, a);
	assert_int_equal(bgp_attr_table_count(&t), 1);
	bgp_attr_unref(&t, a); /* freed here */
	assert_int_equal(bgp_attr_table_count(&t), 0);
	assert_int_equal(t.bytes, 0);
	assert_int_equal(bgp_attr_table_destroy(&t), 0);
}

/* ---- every field makes a difference -------------------------------------- */

static const uint8_t path_other_as[] = {
	0x02, 0x03, 0x00, 0x00, 0xfd, 0xe9, 0x00, 0x01, 0x11, 0x70, 0x00, 0x00, 0xfd, 0xeb,
	0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x11, 0x71,
};
static const uint8_t path_set_to_seq[] = {
	0x02, 0x03, 0x00, 0x00, 0xfd, 0xe9, 0x00, 0x01, 0x11, 0x70, 0x00, 0x00, 0xfd, 0xea,
	0x02, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x11, 0x71,
};
static const uint8_t comms_more[] = { 0xfd, 0xe8, 0x00, 0x01, 0xfd, 0xe8, 0x00, 0x02,
				      0xfd, 0xe8, 0x00, 0x03 };
static const uint8_t comms_swapped[] = { 0xfd, 0xe8, 0x00, 0x02, 0xfd, 0xe8, 0x00, 0x01 };
static const uint8_t ext_other[] = { 0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00, 0x00, 0x65 };
static const uint8_t large_other[] = { 0x00, 0x00, 0xfd, 0xe9, 0, 0, 0, 1, 0, 0, 0, 3 };
static const uint8_t clusters_other[] = { 10, 0, 0, 3 };
static const uint8_t unknown_other[] = { 0xe0, 0xfe, 0x03, 0x01, 0x02, 0x04 };

#define BYTES(x) ((struct bgp_bytes){ x, (uint32_t)sizeof(x) })
#define CLEAR(type) (a->have &= ~BGP_ATTR_BIT(type))

static void m_origin(struct bgp_attrs *a) { a->origin = BGP_ORIGIN_IGP; }
static void m_no_origin(struct bgp_attrs *a) { CLEAR(BGP_ATTR_ORIGIN); }
static void m_path_as(struct bgp_attrs *a) { a->aspath = BYTES(path_other_as); }
static void m_path_seg(struct bgp_attrs *a) { a->aspath = BYTES(path_set_to_seq); }
static void m_path_short(struct bgp_attrs *a) { a->aspath.len = 14; }
static void m_path_empty(struct bgp_attrs *a) { a->aspath.len = 0; }
static void m_nexthop(struct bgp_attrs *a) { a->nexthop ^= 1; }
static void m_med(struct bgp_attrs *a) { a->med = 0; }
static void m_no_med(struct bgp_attrs *a) { CLEAR(BGP_ATTR_MED); }
static void m_lp(struct bgp_attrs *a) { a->local_pref = 100; }
static void m_no_lp(struct bgp_attrs *a) { CLEAR(BGP_ATTR_LOCAL_PREF); }
static void m_no_atomic(struct bgp_attrs *a) { CLEAR(BGP_ATTR_ATOMIC_AGGREGATE); }
static void m_agg_as(struct bgp_attrs *a) { a->aggregator_as = 65001; }
static void m_agg_id(struct bgp_attrs *a) { a->aggregator_id ^= 0x100; }
static void m_no_agg(struct bgp_attrs *a) { CLEAR(BGP_ATTR_AGGREGATOR); }
static void m_comms_more(struct bgp_attrs *a) { a->communities = BYTES(comms_more); }
static void m_comms_order(struct bgp_attrs *a) { a->communities = BYTES(comms_swapped); }
static void m_no_comms(struct bgp_attrs *a) { CLEAR(BGP_ATTR_COMMUNITIES); }
static void m_ext(struct bgp_attrs *a) { a->ext_communities = BYTES(ext_other); }
static void m_no_ext(struct bgp_attrs *a) { CLEAR(BGP_ATTR_EXT_COMMUNITIES); }
static void m_large(struct bgp_attrs *a) { a->large_communities = BYTES(large_other); }
static void m_no_large(struct bgp_attrs *a) { CLEAR(BGP_ATTR_LARGE_COMMUNITIES); }
static void m_orig_id(struct bgp_attrs *a) { a->originator_id = 1; }
static void m_no_orig_id(struct bgp_attrs *a) { CLEAR(BGP_ATTR_ORIGINATOR_ID); }
static void m_cluster(struct bgp_attrs *a) { a->cluster_list = BYTES(clusters_other); }
static void m_no_cluster(struct bgp_attrs *a) { CLEAR(BGP_ATTR_CLUSTER_LIST); }
static void m_unknown(struct bgp_attrs *a) { a->unknown = BYTES(unknown_other); }
static void m_no_unknown(struct bgp_attrs *a) { a->unknown = (struct bgp_bytes){ NULL, 0 }; }
/* A community moved into the next part: same bytes overall, other split. */
static void m_comm_to_ext(struct bgp_attrs *a)
{
	static const uint8_t c4[] = { 0xfd, 0xe8, 0x00, 0x01 };
	static const uint8_t e12[] = { 0xfd, 0xe8, 0x00, 0x02, 0x00, 0x02, 0xfd, 0xe8, 0x00, 0x00,
				       0x00, 0x64 };
	a->communities = BYTES(c4);
	a->ext_communities = BYTES(e12);
}
static void m_mp_nh(struct bgp_attrs *a)
{
	a->have |= BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI);
	a->mp_nh_len = 16;
	a->mp_nh[0] = 0x20;
}
static void m_mp_nh_ll(struct bgp_attrs *a)
{
	m_mp_nh(a);
	a->mp_nh_len = 32;
}
static void m_mp_nh_byte(struct bgp_attrs *a)
{
	m_mp_nh(a);
	a->mp_nh[15] = 2;
}
static void m_unknown_bit(struct bgp_attrs *a) { a->have |= BGP_ATTR_BIT(40); }

struct mutation {
	const char *name;
	void (*fn)(struct bgp_attrs *a);
};

static const struct mutation mutations[] = {
	{ "origin", m_origin },
	{ "no origin", m_no_origin },
	{ "one AS", m_path_as },
	{ "segment type", m_path_seg },
	{ "shorter path", m_path_short },
	{ "empty path", m_path_empty },
	{ "next hop", m_nexthop },
	{ "MED value", m_med },
	{ "no MED", m_no_med },
	{ "LOCAL_PREF value", m_lp },
	{ "no LOCAL_PREF", m_no_lp },
	{ "no ATOMIC_AGGREGATE", m_no_atomic },
	{ "aggregator AS", m_agg_as },
	{ "aggregator id", m_agg_id },
	{ "no aggregator", m_no_agg },
	{ "one more community", m_comms_more },
	{ "community order", m_comms_order },
	{ "no communities", m_no_comms },
	{ "extended community", m_ext },
	{ "no extended communities", m_no_ext },
	{ "large community", m_large },
	{ "no large communities", m_no_large },
	{ "originator id", m_orig_id },
	{ "no originator id", m_no_orig_id },
	{ "cluster list", m_cluster },
	{ "no cluster list", m_no_cluster },
	{ "unknown attribute", m_unknown },
	{ "no unknown attributes", m_no_unknown },
	{ "bytes moved between parts", m_comm_to_ext },
	{ "MP next hop", m_mp_nh },
	{ "MP next hop with link-local", m_mp_nh_ll },
	{ "MP next hop byte", m_mp_nh_byte },
	{ "another have bit", m_unknown_bit },
};

#define NMUT (sizeof(mutations) / sizeof(mutations[0]))

static void test_each_field_differs(void **state)
{
	(void)state;
	struct bgp_attr_table t;
	bgp_attr_table_init(&t);
	struct owned base = make_owned(false);
	const struct bgp_iattrs *got[NMUT + 1];
	got[NMUT] = bgp_attr_intern(&t, &base.a);
	assert_non_null(got[NMUT]);
	for (size_t i = 0; i < NMUT; i++) {
		print_message("case: %s\n", mutations[i].name);
		struct bgp_attrs a = base.a;
		mutations[i].fn(&a);
		got[i] = bgp_attr_intern(&t, &a);
		assert_non_null(got[i]);
		for (size_t k = 0; k < i; k++)
			if (got[k] == got[i])
				fail_msg("\"%s\" and \"%s\" share an entry", mutations[i].name,
					 mutations[k].name);
		assert_ptr_not_equal(got[i], got[NMUT]);
		/* Interning the same mutation again finds it. */
		struct bgp_attrs again = base.a;
		mutations[i].fn(&again);
		assert_ptr_equal(bgp_attr_intern(&t, &again), got[i]);
		assert_int_equal(bgp_iattrs_refcnt(got[i]), 2);
		/* The view gives back what went in, for the fields present. */
		struct bgp_attrs v;
		bgp_iattrs_view(got[i], &v);
		assert_int_equal(v.have, a.have);
		assert_true(bgp_iattrs_has(got[i], BGP_ATTR_AS_PATH));
	}
	assert_int_equal(bgp_attr_table_count(&t), NMUT + 1);
	for (size_t i = 0; i < NMUT; i++) {
		bgp_attr_unref(&t, got[i]);
		bgp_attr_unref(&t, got[i]);
	}
	bgp_attr_unref(&t, got[NMUT]);
	assert_int_equal(bgp_attr_table_count(&t), 0);
	assert_int_equal(bgp_attr_table_destroy(&t), 0);
	free(base.buf);
}

/* Values of absent attributes, and MP_UNREACH_NLRI, are not content. */
static void test_absent_fields_ignored(void **state)
{
	(void)state;
	struct bgp_attr_table t;
	bgp_attr_table_init(&t);
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		 BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.aspath = BYTES(path_big);
	a.nexthop = 0x0a000001;
	struct bgp_attrs b = a;
	b.med = 7;
	b.local_pref = 9;
	b.aggregator_as = 1;
	b.aggregator_id = 2;
	b.originator_id = 3;
	b.communities = BYTES(comms);
	b.ext_communities = BYTES(ext_comms);
	b.large_communities = BYTES(large_comms);
	b.cluster_list = BYTES(clusters);
	b.mp_nh_len = 16;
	b.mp_nh[3] = 1;
	b.have |= BGP_ATTR_BIT(BGP_ATTR_MP_UNREACH_NLRI);
	const struct bgp_iattrs *x = bgp_attr_intern(&t, &a), *y = bgp_attr_intern(&t, &b);
	assert_ptr_equal(x, y);
	struct bgp_attrs v;
	bgp_iattrs_view(x, &v);
	assert_int_equal(v.have, a.have);
	assert_int_equal(v.med, 0);
	assert_int_equal(v.communities.len, 0);
	assert_int_equal(v.mp_nh_len, 0);
	bgp_attr_unref(&t, x);
	/* A part longer than any message can carry is refused. */
	uint8_t *big = calloc(1, 70000);
	assert_non_null(big);
	a.have |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	a.communities = (struct bgp_bytes){ big, 70000 };
	assert_null(bgp_attr_intern(&t, &a));
	free(big);
	assert_int_equal(bgp_attr_table_destroy(&t), 1); /* y is still held */
}

/* ---- accessors and views through the codec -------------------------------- */

static void test_accessors(void **state)
{
	(void)state;
	struct bgp_attr_table t;
	bgp_attr_table_init(&t);
	struct owned o = make_owned(false);
	const struct bgp_iattrs *ia = bgp_attr_intern(&t, &o.a);
	assert_int_equal(bgp_iattrs_origin(ia), BGP_ORIGIN_EGP);
	assert_int_equal(bgp_iattrs_local_pref(ia), 250);
	assert_int_equal(bgp_iattrs_med(ia), 4000000000u);
	assert_int_equal(bgp_iattrs_nexthop(ia), 0xc0000201);
	assert_int_equal(bgp_iattrs_originator_id(ia), 0x0a000002);
	assert_int_equal(bgp_iattrs_aspath_length(ia), bgp_aspath_length(o.a.aspath));
	assert_int_equal(bgp_iattrs_aspath_length(ia), 4);
	assert_int_equal(bgp_iattrs_first_as(ia), 65001);
	assert_int_equal(bgp_iattrs_cluster_count(ia), 2);
	assert_int_equal(bgp_iattrs_have(ia), o.a.have);
	assert_int_not_equal(bgp_iattrs_hash(ia), 0);
	struct bgp_bytes c = bgp_iattrs_part(ia, BGP_IPART_LARGE_COMMUNITIES);
	assert_int_equal(c.len, sizeof(large_comms));
	assert_memory_equal(c.p, large_comms, sizeof(large_comms));
	c = bgp_iattrs_part(ia, BGP_IPART_UNKNOWN);
	assert_memory_equal(c.p, unknown_attr, sizeof(unknown_attr));
	bgp_attr_unref(&t, ia);
	bgp_attr_table_destroy(&t);
	free(o.buf);
}

static void expect_same(struct bgp_bytes got, struct bgp_bytes want, const char *what)
{
	if (got.len != want.len)
		fail_msg("%s: length %u, want %u", what, got.len, want.len);
	if (want.len && memcmp(got.p, want.p, want.len) != 0)
		fail_msg("%s: bytes differ", what);
}

struct rt_case {
	const char *name;
	bool v6, as4;
	const char *prefix;
};

static const struct rt_case rt_cases[] = {
	{ "IPv4, 4-octet session", false, true, "192.0.2.0/24" },
	{ "IPv4, 2-octet session", false, false, "10.0.0.0/8" },
	{ "IPv6, 4-octet session", true, true, "2001:db8::/32" },
	{ "IPv6, 2-octet session", true, false, "2001:db8:1::/48" },
};

static void test_view_round_trip_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rt_cases) / sizeof(rt_cases[0]); i++) {
		const struct rt_case *rc = &rt_cases[i];
		print_message("case: %s\n", rc->name);
		struct bgp_attr_table t;
		bgp_attr_table_init(&t);
		struct owned o = make_owned(rc->v6);
		struct bgp_attrs orig = o.a;
		const struct bgp_iattrs *ia = bgp_attr_intern(&t, &o.a);
		assert_non_null(ia);
		struct owned keep = make_owned(rc->v6); /* to compare against */
		memset(o.buf, 0, 256);
		free(o.buf);

		struct bgp_attrs v;
		bgp_iattrs_view(ia, &v);
		struct prefix p;
		memset(&p, 0, sizeof(p));
		assert_true(prefix_parse(rc->prefix, false, &p));
		struct bgp_encode_opts eo = { .as4 = rc->as4, .max_len = BGP_MAX_MSG };
		struct wbuf w = wbuf_make(msgbuf, MSGBUF);
		assert_int_equal(bgp_update_encode_announce(&w, &eo, &v, &p, 1), 1);
		assert_false(w.failed);

		struct bgp_decode_opts dopt = { .as4 = rc->as4, .ibgp = true };
		struct bgp_update u;
		memset(&u, 0, sizeof(u));
		uint8_t act = bgp_update_decode(w.p + BGP_HEADER_LEN, w.len - BGP_HEADER_LEN, &dopt,
						scratch, sizeof(scratch), &u);
		assert_int_equal(act, BGP_ACT_NONE);
		const struct bgp_attrs *d = &u.attrs;
		assert_int_equal(d->have, orig.have);
		assert_int_equal(d->origin, orig.origin);
		assert_int_equal(d->med, orig.med);
		assert_int_equal(d->local_pref, orig.local_pref);
		assert_int_equal(d->aggregator_as, orig.aggregator_as);
		assert_int_equal(d->aggregator_id, orig.aggregator_id);
		assert_int_equal(d->originator_id, orig.originator_id);
		if (rc->v6) {
			assert_int_equal(d->mp_nh_len, orig.mp_nh_len);
			assert_memory_equal(d->mp_nh, orig.mp_nh, orig.mp_nh_len);
		} else {
			assert_int_equal(d->nexthop, orig.nexthop);
		}
		expect_same(d->aspath, keep.a.aspath, "AS_PATH");
		expect_same(d->communities, keep.a.communities, "COMMUNITIES");
		expect_same(d->ext_communities, keep.a.ext_communities, "EXT_COMMUNITIES");
		expect_same(d->large_communities, keep.a.large_communities, "LARGE_COMMUNITIES");
		expect_same(d->cluster_list, keep.a.cluster_list, "CLUSTER_LIST");
		expect_same(d->unknown, keep.a.unknown, "unknown");
		/* What the decoder gives interns to the same entry. */
		assert_ptr_equal(bgp_attr_intern(&t, d), ia);
		assert_int_equal(bgp_iattrs_refcnt(ia), 2);
		bgp_attr_unref(&t, ia);
		bgp_attr_unref(&t, ia);
		assert_int_equal(bgp_attr_table_destroy(&t), 0);
		free(keep.buf);
	}
}

/* ---- many entries ------------------------------------------------------------ */

static void test_many_entries(void **state)
{
	(void)state;
	enum { N = 20000 };
	struct bgp_attr_table t;
	bgp_attr_table_init(&t);
	static const struct bgp_iattrs *ent[N];
	uint8_t path[2 + 4 * 3] = { BGP_AS_SEQUENCE, 3 };
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		 BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.aspath = BYTES(path);
	a.nexthop = 0x0a000001;
	for (int round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < N; i++) {
			uint32_t as = 64512 + i;
			path[10] = (uint8_t)(as >> 24), path[11] = (uint8_t)(as >> 16);
			path[12] = (uint8_t)(as >> 8), path[13] = (uint8_t)as;
			const struct bgp_iattrs *e = bgp_attr_intern(&t, &a);
			assert_non_null(e);
			if (round == 0)
				ent[i] = e;
			else
				assert_ptr_equal(e, ent[i]);
		}
		assert_int_equal(bgp_attr_table_count(&t), N);
	}
	size_t peak = bgp_attr_table_bytes(&t);
	/* Drop in a scattered order: every entry goes at its second unref. */
	for (uint32_t k = 0; k < 2 * N; k++) {
		uint32_t i = (uint32_t)((k * 7919u) % N);
		bgp_attr_unref(&t, ent[i]);
	}
	assert_int_equal(bgp_attr_table_count(&t), 0);
	assert_true(bgp_attr_table_bytes(&t) < peak / 8);
	assert_int_equal(bgp_attr_table_destroy(&t), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_equal_content_same_pointer),
		cmocka_unit_test(test_each_field_differs),
		cmocka_unit_test(test_absent_fields_ignored),
		cmocka_unit_test(test_accessors),
		cmocka_unit_test(test_view_round_trip_table),
		cmocka_unit_test(test_many_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

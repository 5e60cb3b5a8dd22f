/* test_aspath.c: AS_PATH parsing into the canonical 4-octet form, FRR-style
 * formatting, path length for route selection, the 2-octet encoding with
 * AS_TRANS, and the RFC 6793 4.2.3 reconciliation with AS4_PATH, both directly
 * and through a whole UPDATE from a 2-octet session.
 *
 * AS numbers in hex: 65515=ffeb 12076=2f2c 65001=fde9 65000=fde8 65002=fdea
 * 23456(AS_TRANS)=5ba0 70000=00011170 70001=00011171 80000=00013880
 * 90000=00015f90 100=64 200=c8 300=012c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "bgp/attr.h"
#include "bgp/update.h"
#include "lib/hex.h"
#include "testutil.h"
#include "lib/strbuf.h"


/* Formats a canonical path into buf (a static-sized copy for asserts). */
static void fmt_path(struct bgp_bytes path, char *buf, size_t cap)
{
	struct strbuf sb = STRBUF_INIT;
	bgp_aspath_fmt(path, &sb);
	const char *s = strbuf_str(&sb);
	snprintf(buf, cap, "%s", s ? s : "");
	strbuf_free(&sb);
}

/* Canonical path from hex. */
static struct bgp_bytes canon(const char *hex, uint8_t *buf, size_t cap)
{
	return (struct bgp_bytes){ .p = buf, .len = (uint32_t)unhex(hex, buf, cap) };
}

/* ---- parse + fmt + length + first_as + has_as4 + has_confed ---------- */

struct parse_case {
	const char *name;
	const char *wire;
	bool as4;
	bool ok;
	const char *canonical; /* NULL: same bytes as wire (4-octet input) */
	const char *text;
	unsigned length;
	uint32_t first_as;
	bool has_as4;
	bool has_confed;
};

static const struct parse_case parse_cases[] = {
	{ "4-octet sequence", "02 03 0000ffeb 00002f2c 00002f2c", true, true, NULL,
	  "65515 12076 12076", 3, 65515, false, false },
	{ "2-octet sequence", "02 03 ffeb 2f2c 2f2c", false, true,
	  "02 03 0000ffeb 00002f2c 00002f2c", "65515 12076 12076", 3, 65515, false, false },
	{ "AS_SET", "01 02 00000001 00000002", true, true, NULL, "{1,2}", 1, 0, false, false },
	{ "2-octet AS_SET", "01 02 0001 0002", false, true, "01 02 00000001 00000002", "{1,2}", 1,
	  0, false, false },
	{ "confed sequence", "03 02 00000003 00000004", true, true, NULL, "(3 4)", 0, 0, false,
	  true },
	{ "confed set", "04 02 00000005 00000006", true, true, NULL, "[5,6]", 0, 0, false, true },
	{ "all four segment types",
	  "03 02 00000003 00000004 04 02 00000005 00000006 02 02 0000ffeb 00002f2c"
	  " 01 02 00000001 00000002",
	  true, true, NULL, "(3 4) [5,6] 65515 12076 {1,2}", 3, 65515, false, true },
	{ "2-octet, all four segment types",
	  "03 02 0003 0004 04 02 0005 0006 02 02 ffeb 2f2c 01 02 0001 0002", false, true,
	  "03 02 00000003 00000004 04 02 00000005 00000006 02 02 0000ffeb 00002f2c"
	  " 01 02 00000001 00000002",
	  "(3 4) [5,6] 65515 12076 {1,2}", 3, 65515, false, true },
	{ "set first, then sequence", "01 02 00000001 00000002 02 01 0000fde9", true, true, NULL,
	  "{1,2} 65001", 2, 65001, false, false },
	{ "two sequences", "02 01 0000fde9 02 02 0000fdea 00000064", true, true, NULL,
	  "65001 65002 100", 3, 65001, false, false },
	{ "4-octet AS numbers", "02 02 00011170 0000fde9", true, true, NULL, "70000 65001", 2,
	  70000, true, false },
	{ "4-octet AS only in a set", "02 01 0000fde9 01 02 00000001 00011171", true, true, NULL,
	  "65001 {1,70001}", 2, 65001, true, false },
	{ "AS 65535 needs 2 octets", "02 01 0000ffff", true, true, NULL, "65535", 1, 65535, false,
	  false },
	{ "AS 65536 needs 4 octets", "02 01 00010000", true, true, NULL, "65536", 1, 65536, true,
	  false },
	{ "largest AS", "02 01 ffffffff", true, true, NULL, "4294967295", 1, 4294967295u, true,
	  false },
	{ "empty path (iBGP)", "", true, true, NULL, "", 0, 0, false, false },
	{ "zero-length segment", "02 00", true, false, NULL, NULL, 0, 0, false, false },
	{ "zero-length segment after a good one", "02 01 0000fde9 02 00", true, false, NULL, NULL,
	  0, 0, false, false },
	{ "segment type 0", "00 01 00000001", true, false, NULL, NULL, 0, 0, false, false },
	{ "segment type 5", "05 01 00000001", true, false, NULL, NULL, 0, 0, false, false },
	{ "segment overrun", "02 02 00000001", true, false, NULL, NULL, 0, 0, false, false },
	{ "2-octet segment overrun", "02 03 0001 0002", false, false, NULL, NULL, 0, 0, false,
	  false },
	{ "trailing octet", "02 01 00000001 00", true, false, NULL, NULL, 0, 0, false, false },
	{ "segment header cut short", "02", true, false, NULL, NULL, 0, 0, false, false },
	{ "4-octet path read as 2-octet", "02 01 0000fde9", false, false, NULL, NULL, 0, 0, false,
	  false },
};

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *pc = &parse_cases[i];
		print_message("case: %s\n", pc->name);
		uint8_t wire[128], out[256];
		size_t n = unhex(pc->wire, wire, sizeof(wire));
		/* Put something before the path: parse must append. */
		struct wbuf w = wbuf_make(out, sizeof(out));
		wbuf_u8(&w, 0xa5);
		const char *why = NULL;
		bool ok = bgp_aspath_parse(wire, n, pc->as4, &w, &why);
		assert_int_equal(ok, pc->ok);
		if (!ok) {
			assert_non_null(why);
			continue;
		}
		assert_int_equal(out[0], 0xa5);
		uint8_t want[256];
		size_t wn = pc->canonical ? unhex(pc->canonical, want, sizeof(want))
					  : unhex(pc->wire, want, sizeof(want));
		assert_int_equal(w.len - 1, wn);
		assert_memory_equal(out + 1, want, wn);

		struct bgp_bytes path = { .p = out + 1, .len = (uint32_t)(w.len - 1) };
		char text[256];
		fmt_path(path, text, sizeof(text));
		assert_string_equal(text, pc->text);
		assert_int_equal(bgp_aspath_length(path), pc->length);
		assert_int_equal(bgp_aspath_first_as(path), pc->first_as);
		assert_int_equal(bgp_aspath_has_as4(path), pc->has_as4);
		assert_int_equal(bgp_aspath_has_confed(path), pc->has_confed);
	}
}

static void test_parse_output_overflow(void **state)
{
	(void)state;
	/* A path whose canonical form does not fit the output buffer must not
	 * be reported as parsed into it. */
	uint8_t wire[64], out[8];
	size_t n = unhex("02 03 0001 0002 0003", wire, sizeof(wire));
	struct wbuf w = wbuf_make(out, sizeof(out));
	const char *why = NULL;
	bool ok = bgp_aspath_parse(wire, n, false, &w, &why);
	/* Either the parse fails or the overflow shows on the buffer. */
	assert_true(!ok || w.failed);
}

/* ---- encode ------------------------------------------------------------ */

struct enc_case {
	const char *name;
	const char *canonical;
	bool as4;
	const char *wire;
};

static const struct enc_case enc_cases[] = {
	{ "small ASes to 2 octets", "02 02 0000fde9 0000fdea", false, "02 02 fde9 fdea" },
	{ "large AS becomes AS_TRANS", "02 03 0000fde9 00011170 0000fdea", false,
	  "02 03 fde9 5ba0 fdea" },
	{ "set with a large AS", "02 01 0000fde9 01 02 00000001 00011171", false,
	  "02 01 fde9 01 02 0001 5ba0" },
	{ "confed segments kept", "03 01 0000fde8 02 01 00011170", false, "03 01 fde8 02 01 5ba0" },
	{ "4-octet session: as is", "02 03 0000fde9 00011170 0000fdea", true,
	  "02 03 0000fde9 00011170 0000fdea" },
	{ "65535 fits in 2 octets, 65536 does not", "02 02 0000ffff 00010000", false,
	  "02 02 ffff 5ba0" },
	{ "empty path", "", false, "" },
};

static void test_encode_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(enc_cases) / sizeof(enc_cases[0]); i++) {
		const struct enc_case *ec = &enc_cases[i];
		print_message("case: %s\n", ec->name);
		uint8_t cbuf[128], out[128], want[128];
		struct bgp_bytes path = canon(ec->canonical, cbuf, sizeof(cbuf));
		size_t wn = unhex(ec->wire, want, sizeof(want));
		struct wbuf w = wbuf_make(out, sizeof(out));
		bgp_aspath_encode(path, ec->as4, &w);
		assert_false(w.failed);
		assert_int_equal(w.len, wn);
		assert_memory_equal(out, want, wn);

		/* What was encoded parses back; for 2 octets the large ASes are
		 * AS_TRANS, else it is the same path. */
		uint8_t back[256];
		struct wbuf wb = wbuf_make(back, sizeof(back));
		const char *why;
		assert_true(bgp_aspath_parse(out, w.len, ec->as4, &wb, &why));
		if (ec->as4) {
			assert_int_equal(wb.len, path.len);
			assert_memory_equal(back, path.p, path.len);
		}
	}
}

/* ---- RFC 6793 4.2.3 merge ---------------------------------------------- */

struct merge_case {
	const char *name;
	const char *as_path;  /* canonical (as received in 2 octets, widened) */
	const char *as4_path; /* canonical */
	const char *text;     /* the merged path */
	unsigned length;
};

static const struct merge_case merge_cases[] = {
	{ "same count: AS4_PATH replaces",
	  "02 02 00005ba0 00005ba0", "02 02 00011170 00013880", "70000 80000", 2 },
	{ "AS4_PATH shorter: leading ASes of AS_PATH kept",
	  "02 03 0000fde9 0000fdea 00005ba0", "02 01 00011170", "65001 65002 70000", 3 },
	{ "AS4_PATH longer than AS_PATH: ignored",
	  "02 01 00005ba0", "02 02 00011170 00013880", "23456", 1 },
	{ "AS_SET counts one on both sides",
	  "02 03 00000064 00005ba0 00005ba0 01 02 000000c8 0000012c",
	  "02 02 00011170 00013880 01 02 000000c8 0000012c", "100 70000 80000 {200,300}", 4 },
	{ "AS_SET in AS4_PATH counts one: not longer",
	  "02 02 0000000a 00005ba0", "02 01 00011170 01 02 00000001 00000002", "70000 {1,2}", 2 },
	{ "AS_SET in AS_PATH counts one: AS4_PATH longer",
	  "02 01 00005ba0 01 03 00000001 00000002 00000003",
	  "02 03 00011170 00013880 00015f90", "23456 {1,2,3}", 2 },
	{ "empty AS4_PATH: AS_PATH kept",
	  "02 02 0000fde9 0000fdea", "", "65001 65002", 2 },
};

static void test_merge_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(merge_cases) / sizeof(merge_cases[0]); i++) {
		const struct merge_case *mc = &merge_cases[i];
		print_message("case: %s\n", mc->name);
		uint8_t a[128], b[128], out[256];
		struct bgp_bytes as_path = canon(mc->as_path, a, sizeof(a));
		struct bgp_bytes as4_path = canon(mc->as4_path, b, sizeof(b));
		struct wbuf w = wbuf_make(out, sizeof(out));
		bgp_aspath_merge_as4(as_path, as4_path, &w);
		assert_false(w.failed);
		struct bgp_bytes merged = { .p = out, .len = (uint32_t)w.len };
		char text[256];
		fmt_path(merged, text, sizeof(text));
		assert_string_equal(text, mc->text);
		assert_int_equal(bgp_aspath_length(merged), mc->length);
	}
}

/* The same rules through a whole UPDATE from a 2-octet session (opts.as4 =
 * false): ORIGIN IGP, AS_PATH, NEXT_HOP 10.0.0.1 and the AS4 attributes of
 * the row, announcing 10.1.0.0/16. */
#define ORIGIN "40 01 01 00 "
#define NH "40 03 04 0a000001 "

struct upd_merge_case {
	const char *name;
	const char *attrs; /* the path attributes; the test adds the framing */
	const char *text;
	uint32_t aggregator_as; /* 0: no AGGREGATOR expected */
};

static const struct upd_merge_case upd_merge_cases[] = {
	{ "AS4_PATH fills in AS_TRANS",
	  /* AS_PATH 65001 23456, AS4_PATH 70000 */
	  ORIGIN "40 02 06 02 02 fde9 5ba0 " NH "c0 11 06 02 01 00011170",
	  "65001 70000", 0 },
	{ "AS4_PATH same length replaces",
	  /* AS_PATH 23456 23456, AS4_PATH 70000 80000 */
	  ORIGIN "40 02 06 02 02 5ba0 5ba0 " NH "c0 11 0a 02 02 00011170 00013880",
	  "70000 80000", 0 },
	{ "AS4_PATH longer: ignored",
	  /* AS_PATH 23456, AS4_PATH 70000 80000 */
	  ORIGIN "40 02 04 02 01 5ba0 " NH "c0 11 0a 02 02 00011170 00013880",
	  "23456", 0 },
	{ "AGGREGATOR AS_TRANS: AS4_AGGREGATOR and AS4_PATH used",
	  /* AS_PATH 65001 23456, AGGREGATOR 23456 10.0.0.9, AS4_PATH 70000,
	   * AS4_AGGREGATOR 70000 10.0.0.9 */
	  ORIGIN "40 02 06 02 02 fde9 5ba0 " NH "c0 07 06 5ba0 0a000009 "
	  "c0 11 06 02 01 00011170 c0 12 08 00011170 0a000009",
	  "65001 70000", 70000 },
	{ "AGGREGATOR not AS_TRANS: AS4_AGGREGATOR and AS4_PATH ignored",
	  /* AS_PATH 65001 23456, AGGREGATOR 65001 10.0.0.9, AS4_PATH 70000,
	   * AS4_AGGREGATOR 70000 10.0.0.9 */
	  ORIGIN "40 02 06 02 02 fde9 5ba0 " NH "c0 07 06 fde9 0a000009 "
	  "c0 11 06 02 01 00011170 c0 12 08 00011170 0a000009",
	  "65001 23456", 65001 },
	{ "AS_SET counted as one",
	  /* AS_PATH 100 23456 23456 {200,300}, AS4_PATH 70000 80000 {200,300} */
	  ORIGIN "40 02 0e 02 03 0064 5ba0 5ba0 01 02 00c8 012c " NH
	  "c0 11 14 02 02 00011170 00013880 01 02 000000c8 0000012c",
	  "100 70000 80000 {200,300}", 0 },
};

static void test_merge_through_update(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(upd_merge_cases) / sizeof(upd_merge_cases[0]); i++) {
		const struct upd_merge_case *uc = &upd_merge_cases[i];
		print_message("case: %s\n", uc->name);
		/* Body: no withdrawn routes, the attributes, NLRI 10.1.0.0/16. */
		uint8_t body[256];
		size_t alen = unhex(uc->attrs, body + 4, sizeof(body) - 8);
		body[0] = 0;
		body[1] = 0;
		body[2] = (uint8_t)(alen >> 8);
		body[3] = (uint8_t)alen;
		size_t n = 4 + alen;
		body[n++] = 16;
		body[n++] = 10;
		body[n++] = 1;
		static uint8_t scratch[BGP_UPDATE_SCRATCH_SIZE(4096)];
		struct bgp_decode_opts o = { .as4 = false };
		struct bgp_update u;
		memset(&u, 0, sizeof(u));
		uint8_t act = bgp_update_decode(body, n, &o, scratch, sizeof(scratch), &u);
		/* Ignoring AS4 attributes is never a withdraw or a reset. */
		assert_true(act <= BGP_ACT_ATTR_DISCARD);
		assert_int_equal(u.nlri.count, 1);
		assert_true(bgp_attrs_has(&u.attrs, BGP_ATTR_AS_PATH));
		char text[256];
		fmt_path(u.attrs.aspath, text, sizeof(text));
		assert_string_equal(text, uc->text);
		if (uc->aggregator_as) {
			assert_true(bgp_attrs_has(&u.attrs, BGP_ATTR_AGGREGATOR));
			assert_int_equal(u.attrs.aggregator_as, uc->aggregator_as);
			assert_int_equal(u.attrs.aggregator_id, 0x0a000009);
		}
	}
}

static void test_fmt_appends(void **state)
{
	(void)state;
	uint8_t b[64];
	struct bgp_bytes path = canon("02 02 0000ffeb 00002f2c", b, sizeof(b));
	struct strbuf sb = STRBUF_INIT;
	strbuf_puts(&sb, "path: ");
	bgp_aspath_fmt(path, &sb);
	assert_string_equal(strbuf_str(&sb), "path: 65515 12076");
	strbuf_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_output_overflow),
		cmocka_unit_test(test_encode_table),
		cmocka_unit_test(test_merge_table),
		cmocka_unit_test(test_merge_through_update),
		cmocka_unit_test(test_fmt_appends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

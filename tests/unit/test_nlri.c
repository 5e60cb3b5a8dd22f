/* test_nlri.c: validation and iteration of NLRI sections (bgp_nlri_validate,
 * bgp_nlri_next): each prefix is a length octet and the fewest octets that
 * hold that many bits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bgp/update.h"
#include "lib/hex.h"
#include "testutil.h"


struct nlri_case {
	const char *name;
	uint16_t afi;
	const char *wire;
	bool ok;
	const char *prefixes[4]; /* expected, in order, when ok */
};

static const struct nlri_case cases[] = {
	{ "empty section", 1, "", true, { NULL } },
	{ "empty IPv6 section", 2, "", true, { NULL } },
	{ "IPv4 /0", 1, "00", true, { "0.0.0.0/0" } },
	{ "IPv4 /32", 1, "20 c0000201", true, { "192.0.2.1/32" } },
	{ "IPv4 /8 /16 /24", 1, "08 0a 10 ac10 18 c00002", true,
	  { "10.0.0.0/8", "172.16.0.0/16", "192.0.2.0/24" } },
	{ "IPv4 /1 and /9", 1, "01 80 09 0a80", true, { "128.0.0.0/1", "10.128.0.0/9" } },
	{ "host bits cleared: 11.13.0.0/13 is 11.8.0.0/13", 1, "0d 0b0d", true,
	  { "11.8.0.0/13" } },
	{ "host bits cleared in the last octet of a /31", 1, "1f c0000203", true,
	  { "192.0.2.2/31" } },
	{ "IPv4 length 33", 1, "21 0a000001 00", false, { NULL } },
	{ "IPv4 length 255", 1, "ff 0a000001", false, { NULL } },
	{ "IPv4 /24 cut short", 1, "18 0a01", false, { NULL } },
	{ "IPv4 good then cut short", 1, "10 0a01 20 0a0000", false, { NULL } },
	{ "IPv4 good then bad length", 1, "10 0a01 21 0a000001 00", false, { NULL } },
	{ "length octet alone", 1, "08", false, { NULL } },
	{ "IPv6 /0", 2, "00", true, { "::/0" } },
	{ "IPv6 /32", 2, "20 20010db8", true, { "2001:db8::/32" } },
	{ "IPv6 /128", 2, "80 20010db8000000000000000000000001", true, { "2001:db8::1/128" } },
	{ "IPv6 /64 and /48", 2, "40 20010db800010002 30 20010db80003", true,
	  { "2001:db8:1:2::/64", "2001:db8:3::/48" } },
	{ "IPv6 host bits cleared", 2, "21 20010db8ff", true, { "2001:db8:8000::/33" } },
	{ "IPv6 length 129", 2, "81 20010db8000000000000000000000001 00", false, { NULL } },
	{ "IPv6 /128 cut short", 2, "80 20010db8", false, { NULL } },
	{ "IPv4 /33 is fine as IPv6", 2, "21 20010db800", true, { "2001:db8::/33" } },
};

static void test_nlri_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct nlri_case *nc = &cases[i];
		print_message("case: %s\n", nc->name);
		uint8_t wire[64];
		size_t n = unhex(nc->wire, wire, sizeof(wire));
		uint32_t count = 0xdead;
		const char *why = NULL;
		bool ok = bgp_nlri_validate(nc->afi, wire, n, &count, &why);
		assert_int_equal(ok, nc->ok);
		if (!ok) {
			assert_non_null(why);
			continue;
		}
		uint32_t want_count = 0;
		while (want_count < 4 && nc->prefixes[want_count])
			want_count++;
		assert_int_equal(count, want_count);

		struct bgp_nlri sec = { .afi = nc->afi, .safi = 1, .supported = true,
					.p = wire, .len = (uint32_t)n, .count = count };
		struct bgp_nlri_iter it = bgp_nlri_iter(&sec);
		struct prefix p;
		for (uint32_t k = 0; k < want_count; k++) {
			assert_true(bgp_nlri_next(&it, &p));
			char buf[PREFIX_STRLEN];
			assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)), nc->prefixes[k]);
			assert_int_equal(p.family, nc->afi == 1 ? AF_INET : AF_INET6);
			/* The whole address array is masked, not only the printed part. */
			struct prefix m = p;
			prefix_mask(&m);
			assert_memory_equal(m.a, p.a, sizeof(p.a));
		}
		assert_false(bgp_nlri_next(&it, &p));
		/* The iterator stays at the end. */
		assert_false(bgp_nlri_next(&it, &p));
	}
}

static void test_nlri_iter_independent(void **state)
{
	(void)state;
	/* Two iterators over the same section do not share a position. */
	uint8_t wire[16];
	size_t n = unhex("08 0a 08 0b", wire, sizeof(wire));
	struct bgp_nlri sec = { .afi = 1, .safi = 1, .supported = true, .p = wire,
				.len = (uint32_t)n, .count = 2 };
	struct bgp_nlri_iter a = bgp_nlri_iter(&sec), b = bgp_nlri_iter(&sec);
	struct prefix p;
	assert_true(bgp_nlri_next(&a, &p));
	assert_true(bgp_nlri_next(&a, &p));
	assert_int_equal(p.a[0], 11);
	assert_true(bgp_nlri_next(&b, &p));
	assert_int_equal(p.a[0], 10);
}

static void test_nlri_absent_section(void **state)
{
	(void)state;
	/* An absent section (afi 0) yields nothing. */
	struct bgp_nlri sec;
	memset(&sec, 0, sizeof(sec));
	struct bgp_nlri_iter it = bgp_nlri_iter(&sec);
	struct prefix p;
	assert_false(bgp_nlri_next(&it, &p));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nlri_table),
		cmocka_unit_test(test_nlri_iter_independent),
		cmocka_unit_test(test_nlri_absent_section),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

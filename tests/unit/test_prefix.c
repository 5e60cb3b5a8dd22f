/* test_prefix.c: parsing, formatting and masking of IPv4/IPv6 prefixes and
 * addresses (lib/prefix.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "lib/prefix.h"

struct parse_case {
	const char *in;
	bool mask;
	bool ok;
	const char *out; /* prefix_fmt of the result when ok */
	uint8_t family;
	uint8_t len;
};

static const struct parse_case parse_cases[] = {
	/* IPv4 */
	{ "10.0.0.0/16", false, true, "10.0.0.0/16", AF_INET, 16 },
	{ "0.0.0.0/0", false, true, "0.0.0.0/0", AF_INET, 0 },
	{ "255.255.255.255/32", false, true, "255.255.255.255/32", AF_INET, 32 },
	{ "192.0.2.1/32", false, true, "192.0.2.1/32", AF_INET, 32 },
	{ "10.1.2.3/16", false, false, NULL, 0, 0 },            /* host bits */
	{ "10.1.2.3/16", true, true, "10.1.0.0/16", AF_INET, 16 }, /* masked */
	{ "11.13.0.0/13", false, false, NULL, 0, 0 },
	{ "11.13.0.0/13", true, true, "11.8.0.0/13", AF_INET, 13 },
	{ "1.2.3.4/0", true, true, "0.0.0.0/0", AF_INET, 0 },
	{ "10.0.0.0/33", false, false, NULL, 0, 0 },
	{ "10.0.0.0/33", true, false, NULL, 0, 0 },
	{ "10.0.0.0", false, false, NULL, 0, 0 },                /* no length */
	{ "10.0.0.0/", false, false, NULL, 0, 0 },
	{ "10.0.0.0/a", false, false, NULL, 0, 0 },
	{ "10.0.0.0/-1", false, false, NULL, 0, 0 },
	{ "10.0.0.0/+8", false, false, NULL, 0, 0 },
	{ "10.0.0.0/8x", false, false, NULL, 0, 0 },
	{ "10.0.0.0/8/8", false, false, NULL, 0, 0 },
	{ "10.0.0.256/32", false, false, NULL, 0, 0 },
	{ "10.0.0/8", false, false, NULL, 0, 0 },
	{ "/8", false, false, NULL, 0, 0 },
	{ "", false, false, NULL, 0, 0 },
	{ "example.com/8", false, false, NULL, 0, 0 },
	/* IPv6 */
	{ "2001:db8::/32", false, true, "2001:db8::/32", AF_INET6, 32 },
	{ "::/0", false, true, "::/0", AF_INET6, 0 },
	{ "2001:db8::1/128", false, true, "2001:db8::1/128", AF_INET6, 128 },
	{ "2001:DB8:0:0::/32", false, true, "2001:db8::/32", AF_INET6, 32 }, /* RFC 5952 */
	{ "2001:db8:0:0:1:0:0:0/128", false, true, "2001:db8:0:0:1::/128", AF_INET6, 128 },
	{ "2001:db8::1/64", false, false, NULL, 0, 0 },
	{ "2001:db8::1/64", true, true, "2001:db8::/64", AF_INET6, 64 },
	{ "2001:db8:ffff::/33", true, true, "2001:db8:8000::/33", AF_INET6, 33 },
	{ "2001:db8::/129", false, false, NULL, 0, 0 },
	{ "2001:db8::/129", true, false, NULL, 0, 0 },
	{ "2001:db8:::/32", false, false, NULL, 0, 0 },
	{ "2001:db8::g/128", false, false, NULL, 0, 0 },
	{ "fe80::1%eth0/128", false, false, NULL, 0, 0 },
};

static void test_prefix_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *pc = &parse_cases[i];
		print_message("case: \"%s\" mask=%d\n", pc->in, pc->mask);
		struct prefix p;
		memset(&p, 0xa5, sizeof(p));
		bool ok = prefix_parse(pc->in, pc->mask, &p);
		assert_int_equal(ok, pc->ok);
		if (!ok)
			continue;
		assert_int_equal(p.family, pc->family);
		assert_int_equal(p.len, pc->len);
		char buf[PREFIX_STRLEN];
		assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)), pc->out);
		/* Bits past the length are zero, in the whole 16-byte array. */
		struct prefix m = p;
		prefix_mask(&m);
		assert_memory_equal(m.a, p.a, sizeof(p.a));
		/* Formatting then parsing again gives the same value. */
		struct prefix again;
		assert_true(prefix_parse(buf, false, &again));
		assert_true(prefix_equal(&again, &p));
	}
}

struct mask_case {
	uint8_t family;
	uint8_t len;
	uint8_t in[16];
	uint8_t want[16];
};

static const struct mask_case mask_cases[] = {
	{ AF_INET, 13, { 11, 13, 255, 255 }, { 11, 8 } },
	{ AF_INET, 0, { 255, 255, 255, 255 }, { 0 } },
	{ AF_INET, 32, { 1, 2, 3, 4 }, { 1, 2, 3, 4 } },
	{ AF_INET, 24, { 192, 0, 2, 77, 9, 9, 9, 9 }, { 192, 0, 2 } }, /* junk past 4 bytes */
	{ AF_INET, 1, { 0xff, 0xff }, { 0x80 } },
	{ AF_INET6, 65,
	  { 0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	  { 0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4, 0x80 } },
	{ AF_INET6, 128,
	  { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 } },
	{ AF_INET6, 0, { 0xff, 0xff, 0xff }, { 0 } },
};

static void test_prefix_mask_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(mask_cases) / sizeof(mask_cases[0]); i++) {
		const struct mask_case *mc = &mask_cases[i];
		print_message("case %zu: family %u /%u\n", i, mc->family, mc->len);
		struct prefix p = { .family = mc->family, .len = mc->len };
		memcpy(p.a, mc->in, 16);
		prefix_mask(&p);
		assert_int_equal(p.len, mc->len);
		assert_memory_equal(p.a, mc->want, 16);
	}
}

static void test_family_bits(void **state)
{
	(void)state;
	assert_int_equal(prefix_family_bits(AF_INET), 32);
	assert_int_equal(prefix_family_bits(AF_INET6), 128);
	assert_int_equal(prefix_family_bits(0), 0);
	assert_int_equal(prefix_family_bits(AF_UNIX), 0);
}

static void test_prefix_equal(void **state)
{
	(void)state;
	struct prefix a, b, c, d;
	assert_true(prefix_parse("10.0.0.0/8", false, &a));
	assert_true(prefix_parse("10.0.0.0/8", false, &b));
	assert_true(prefix_parse("10.0.0.0/9", false, &c));
	assert_true(prefix_parse("::/8", true, &d));
	assert_true(prefix_equal(&a, &b));
	assert_false(prefix_equal(&a, &c));
	assert_false(prefix_equal(&a, &d));
	struct prefix v4zero, v6zero;
	assert_true(prefix_parse("0.0.0.0/0", false, &v4zero));
	assert_true(prefix_parse("::/0", false, &v6zero));
	assert_false(prefix_equal(&v4zero, &v6zero)); /* same bits, other family */
}

struct addr_case {
	const char *in;
	bool ok;
	uint8_t family;
	const char *out;
};

static const struct addr_case addr_cases[] = {
	{ "10.0.0.1", true, AF_INET, "10.0.0.1" },
	{ "0.0.0.0", true, AF_INET, "0.0.0.0" },
	{ "fe80::1", true, AF_INET6, "fe80::1" },
	{ "2001:0DB8:0000::0001", true, AF_INET6, "2001:db8::1" },
	{ "::ffff:192.0.2.1", true, AF_INET6, "::ffff:192.0.2.1" },
	{ "10.0.0.1/32", false, 0, NULL },
	{ "300.0.0.1", false, 0, NULL },
	{ "", false, 0, NULL },
	{ "1:2:3:4:5:6:7:8:9", false, 0, NULL },
};

static void test_ipaddr_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(addr_cases) / sizeof(addr_cases[0]); i++) {
		const struct addr_case *ac = &addr_cases[i];
		print_message("case: \"%s\"\n", ac->in);
		struct ipaddr a;
		assert_int_equal(ipaddr_parse(ac->in, &a), ac->ok);
		if (!ac->ok)
			continue;
		assert_int_equal(a.family, ac->family);
		char buf[IPADDR_STRLEN];
		assert_string_equal(ipaddr_fmt(&a, buf, sizeof(buf)), ac->out);
	}
}

static void test_longest_strings_fit(void **state)
{
	(void)state;
	struct prefix p;
	char buf[PREFIX_STRLEN];
	assert_true(prefix_parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", false, &p));
	assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)),
			    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	assert_true(prefix_parse("255.255.255.255/32", false, &p));
	assert_string_equal(prefix_fmt(&p, buf, sizeof(buf)), "255.255.255.255/32");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_parse_table),
		cmocka_unit_test(test_prefix_mask_table),
		cmocka_unit_test(test_family_bits),
		cmocka_unit_test(test_prefix_equal),
		cmocka_unit_test(test_ipaddr_table),
		cmocka_unit_test(test_longest_strings_fit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

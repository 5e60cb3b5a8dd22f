/* test_policy_regex.c: FRR's as-path regular expressions and as-path
 * access-lists (policy_aspath_list) against a table of paths. Every expected
 * result was produced by FRR 8.4.4's bgpd (run in a network namespace): each
 * path was originated with `network ... route-map` (`set as-path prepend`,
 * `aggregate-address ... as-set` for the sets), and each list was applied
 * with `show bgp ipv4 unicast filter-list NAME`.
 * Also: `_` inside brackets, regex compile errors, undefined lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/wire.h"
#include "conf/conf.h"
#include "policy/policy.h"

/* The lists, in the column order of the table below. */
static const struct {
	const char *name, *regex;
} lists[] = {
	{ "R01", "_65515_" },
	{ "R02", "_0_" },
	{ "R03", "_23456_" },
	{ "R04", "_1310[0-6][0-9]_|_13107[0-1]_" },
	{ "R05", "^65" },
	{ "R06", "^$" },
	{ "R07", ".*" },
	{ "R08", "_65000$" },
	{ "R09", "^65000_" },
	{ "R10", "[0-9]+" },
	{ "R11", "^(65515|12076)$" },
	{ "R12", "^65515$|^12076_" },
	{ "R13", "_1_" },
	{ "R14", "1" },
	{ "R15", "_65515$" },
	{ "R16", "^12076 65515$" },
	{ "R17", "_12076_12076_" },
	{ "R18", "\\{" },
	{ "R19", "^[0-9]+$" },
	{ "R20", "_(65000|64512)_" },
	{ "R31", "^65010_" },
	{ "bogon-asns", NULL }, /* the reference NVA's lists, below */
	{ "azure-asns", NULL },
	{ "NOSUCH", NULL },     /* undefined: denies */
};
#define N_LISTS (sizeof lists / sizeof lists[0])

static const char reference_lists[] =
	"bgp as-path access-list azure-asns seq 5 permit _65515_\n"
	"bgp as-path access-list bogon-asns seq 5 permit _0_\n"
	"bgp as-path access-list bogon-asns seq 10 permit _23456_\n"
	"bgp as-path access-list bogon-asns seq 15 permit _1310[0-6][0-9]_|_13107[0-1]_\n"
	"bgp as-path access-list bogon-asns seq 20 deny _65515_\n"
	"bgp as-path access-list bogon-asns seq 25 permit ^65\n";

/* P: the list permits the path; -: it denies. Verified with FRR 8.4.4. */
static const struct {
	const char *path, *expect;
} table[] = {
	{ "65515", "P---P-P--PPP-PP---P---P-" },
	{ "65515 12076 12076", "P---P-P--P---P--P-----P-" },
	{ "12076 65515", "P-----P--P-P-PPP------P-" },
	{ "", "-----PP-----------------" },
	{ "65001", "----P-P--P---P----P--P--" },
	{ "4200000001", "------P--P---P----P-----" },
	{ "131069", "---P--P--P---P----P--P--" },
	{ "65000", "----P-PPPP--------PP-P--" },
	{ "64512 65000", "------PP-P---P-----P----" },
	{ "65000 64512", "----P-P-PP---P-----P-P--" },
	{ "165000", "------P--P---P----P-----" },
	{ "23456", "--P---P--P--------P--P--" },
	{ "131070", "---P--P--P---P----P--P--" },
	{ "131072", "------P--P---P----P-----" },
	{ "{1,2}", "------P--P--PP---P------" },
	{ "1", "------P--P--PP----P-----" },
	{ "2", "------P--P--------P-----" },
	{ "65000 {65515}", "P---P-P-PP---P---P-P--P-" },
	{ "65000 65515", "P---P-P-PP---PP----P--P-" },
	{ "1 3", "------P--P--PP----------" },
	{ "65010 65010 65010 65010 65020", "----P-P--P---P------PP--" },
	{ "1 2 3", "------P--P--PP----------" },
	{ "7 8", "------P--P--------------" },
	{ "8", "------P--P--------P-----" },
	{ "65010 65020", "----P-P--P---P------PP--" },
};

/* "65000 {1,2} (3 4) [5,6]" in nvad's canonical form. */
static size_t path_from_str(const char *s, uint8_t *out, size_t cap)
{
	size_t len = 0, hdr = 0;
	uint8_t type = 0;
	while (*s) {
		if (*s == ' ' || *s == ',') {
			s++;
			continue;
		}
		uint8_t t = type;
		if (*s == '{' || *s == '(' || *s == '[') {
			t = *s == '{' ? BGP_AS_SET : *s == '(' ? BGP_AS_CONFED_SEQUENCE
							       : BGP_AS_CONFED_SET;
			type = 0;
			s++;
		} else if (*s == '}' || *s == ')' || *s == ']') {
			type = 0;
			s++;
			continue;
		} else if (type == 0) {
			t = BGP_AS_SEQUENCE;
		}
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		assert_true(end != s && len + 6 <= cap);
		if (t != type) {
			hdr = len;
			out[len++] = t;
			out[len++] = 0;
			type = t;
		}
		out[hdr + 1]++;
		out[len++] = (uint8_t)(v >> 24);
		out[len++] = (uint8_t)(v >> 16);
		out[len++] = (uint8_t)(v >> 8);
		out[len++] = (uint8_t)v;
		s = end;
		if (t == BGP_AS_SEQUENCE)
			type = BGP_AS_SEQUENCE;
	}
	return len;
}

static struct policy *compile_text(const char *text, struct conf **cp)
{
	struct conf_errors errs = CONF_ERRORS_INIT;
	struct conf *c = conf_parse(text, strlen(text), "t.conf", &errs);
	for (size_t i = 0; i < errs.n; i++)
		print_error("%s\n", errs.items[i].text);
	assert_non_null(c);
	conf_errors_free(&errs);
	struct policy *pol = policy_compile(c, &errs);
	for (size_t i = 0; i < errs.n; i++)
		print_error("%s\n", errs.items[i].text);
	assert_non_null(pol);
	conf_errors_free(&errs);
	*cp = c;
	return pol;
}

static void test_frr_table(void **state)
{
	(void)state;
	char text[8192];
	size_t n = 0;
	for (size_t i = 0; i < N_LISTS; i++)
		if (lists[i].regex)
			n += (size_t)snprintf(text + n, sizeof text - n,
					      "bgp as-path access-list %s permit %s\n", lists[i].name,
					      lists[i].regex);
	snprintf(text + n, sizeof text - n, "%s", reference_lists);
	struct conf *c;
	struct policy *pol = compile_text(text, &c);
	int failures = 0;
	for (size_t r = 0; r < sizeof table / sizeof table[0]; r++) {
		uint8_t buf[256];
		struct bgp_bytes path = { buf, (uint32_t)path_from_str(table[r].path, buf, sizeof buf) };
		assert_int_equal(strlen(table[r].expect), N_LISTS);
		for (size_t k = 0; k < N_LISTS; k++) {
			bool want = table[r].expect[k] == 'P';
			bool got = policy_aspath_list(pol, lists[k].name, path) == POLICY_PERMIT;
			if (want != got) {
				print_error("list %s (%s) on path \"%s\": expected %s\n", lists[k].name,
					    lists[k].regex ? lists[k].regex : "", table[r].path,
					    want ? "permit" : "deny");
				failures++;
			}
		}
	}
	assert_int_equal(failures, 0);
	assert_true(policy_aspath_list_exists(pol, "bogon-asns"));
	assert_false(policy_aspath_list_exists(pol, "NOSUCH"));
	policy_free(pol);
	conf_free(c);
}

/* Paths FRR prints with confederation segments and an empty path: the
 * boundary `_` also matches ( ) [ ]. */
static void test_confed_and_brackets(void **state)
{
	(void)state;
	static const struct {
		const char *regex, *path;
		bool permit;
	} rows[] = {
		{ "_65001_", "(65001 65002) 65515", true },
		{ "^\\(65001", "(65001 65002) 65515", true },
		/* `]` and `[` are not in the boundary set "[,{}() ]" */
		{ "_65002_", "[65001,65002] 1", false },
		{ "_65001,", "[65001,65002] 1", false },
		{ ",65002]", "[65001,65002] 1", true },
		{ "^65515_", "(65001 65002) 65515", false },
		{ "[_]65515", "1 65515", true },  /* `_` is replaced inside brackets too */
		{ "65515", "165515", true },      /* no anchor: a substring */
		{ "_65515_", "165515", false },
		{ "^$", "", true },
		{ "_", "", true },
		{ ".+", "", false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char text[512];
		snprintf(text, sizeof text, "bgp as-path access-list L permit %s\n", rows[i].regex);
		struct conf *c;
		struct policy *pol = compile_text(text, &c);
		uint8_t buf[256];
		struct bgp_bytes path = { buf, (uint32_t)path_from_str(rows[i].path, buf, sizeof buf) };
		if ((policy_aspath_list(pol, "L", path) == POLICY_PERMIT) != rows[i].permit)
			fail_msg("regex \"%s\" on \"%s\": expected %s", rows[i].regex, rows[i].path,
				 rows[i].permit ? "permit" : "deny");
		policy_free(pol);
		conf_free(c);
	}
}

/* First match wins, then the implicit deny. */
static void test_order(void **state)
{
	(void)state;
	struct conf *c;
	struct policy *pol = compile_text("bgp as-path access-list L seq 10 permit _1_\n"
					  "bgp as-path access-list L seq 5 deny _2_\n", &c);
	uint8_t buf[64];
	struct bgp_bytes p12 = { buf, (uint32_t)path_from_str("1 2", buf, sizeof buf) };
	assert_int_equal(policy_aspath_list(pol, "L", p12), POLICY_DENY);
	uint8_t buf2[64];
	struct bgp_bytes p13 = { buf2, (uint32_t)path_from_str("1 3", buf2, sizeof buf2) };
	assert_int_equal(policy_aspath_list(pol, "L", p13), POLICY_PERMIT);
	uint8_t buf3[64];
	struct bgp_bytes p3 = { buf3, (uint32_t)path_from_str("3", buf3, sizeof buf3) };
	assert_int_equal(policy_aspath_list(pol, "L", p3), POLICY_DENY);
	policy_free(pol);
	conf_free(c);
}

/* A regex glibc cannot compile is a compile error naming the line. */
static void test_bad_regex(void **state)
{
	(void)state;
	static const char *bad[] = { "(65000", "[0-9", "*{", "65000)|(" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char text[256];
		snprintf(text, sizeof text, "!\nbgp as-path access-list L permit %s\n", bad[i]);
		struct conf_errors errs = CONF_ERRORS_INIT;
		struct conf *c = conf_parse(text, strlen(text), "x.conf", &errs);
		assert_non_null(c);
		struct policy *pol = policy_compile(c, &errs);
		if (pol)
			fail_msg("regex \"%s\" compiled", bad[i]);
		assert_true(errs.n >= 1);
		assert_true(strncmp(errs.items[0].text, "x.conf:2: ", 10) == 0);
		conf_errors_free(&errs);
		conf_free(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frr_table),
		cmocka_unit_test(test_confed_and_brackets),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_bad_regex),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

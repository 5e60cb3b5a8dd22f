/* test_policy_plist.c: prefix-lists (policy_prefix_list): ge/le edge cases,
 * /0 and /32, `any`, seq order, implicit deny, IPv6, undefined lists. The
 * expected results were produced by FRR 8.4.4's bgpd (in a network namespace)
 * with `show bgp ipv4|ipv6 unicast prefix-list NAME` over locally originated
 * networks of each prefix in the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf/conf.h"
#include "policy/policy.h"

static const char config[] =
	"ip prefix-list P1 seq 5 permit 10.0.0.0/8\n"
	"ip prefix-list P2 seq 5 permit 10.0.0.0/8 le 24\n"
	"ip prefix-list P3 seq 5 permit 10.0.0.0/8 ge 16\n"
	"ip prefix-list P4 seq 5 permit 10.0.0.0/8 ge 16 le 24\n"
	"ip prefix-list P5 seq 5 permit any\n"
	"ip prefix-list P6 seq 5 permit 0.0.0.0/0\n"
	"ip prefix-list P7 seq 5 permit 0.0.0.0/0 le 32\n"
	"ip prefix-list P8 seq 5 permit 0.0.0.0/0 ge 32\n"
	"ip prefix-list P9 seq 10 permit 10.1.0.0/16 le 32\n"
	"ip prefix-list P9 seq 5 deny 10.1.2.0/24\n"
	"ip prefix-list P10 seq 5 permit 10.0.0.0/8 ge 8\n"
	"ip prefix-list P11 seq 5 permit 10.0.0.0/8 le 8\n"
	"ip prefix-list P12 seq 5 permit 192.0.2.1/32\n"
	"ip prefix-list PRE01 seq 5 deny 10.0.210.0/24\n"
	"ip prefix-list PRE01 seq 10 permit any\n"
	"ipv6 prefix-list Q1 seq 5 permit 2001:db8::/32 le 64\n"
	"ipv6 prefix-list Q2 seq 5 permit any\n"
	"ipv6 prefix-list Q3 seq 5 permit ::/0\n"
	"ipv6 prefix-list P1 seq 5 permit ::/0 le 128\n";

/* Each row: a list and the prefixes it permits, out of the candidates. */
static const char *const v4_candidates[] = {
	"10.0.0.0/8",  "10.0.0.0/7",     "10.1.0.0/16",  "10.1.2.0/24", "10.1.2.3/32",
	"10.1.2.0/25", "11.0.0.0/8",     "0.0.0.0/0",    "192.0.2.1/32", "10.0.0.0/9",
	"10.0.210.0/24", "10.0.210.0/25",
};
static const char *const v6_candidates[] = {
	"2001:db8::/32", "2001:db8::/64", "2001:db8::/65", "2001:db9::/32", "::/0", "2001:db8::1/128",
};

static const struct {
	uint8_t family;
	const char *list;
	const char *permits; /* space-separated, in any order; verified with FRR 8.4.4 */
} table[] = {
	{ AF_INET, "P1", "10.0.0.0/8" },
	{ AF_INET, "P2", "10.0.0.0/8 10.0.0.0/9 10.1.0.0/16 10.1.2.0/24 10.0.210.0/24" },
	{ AF_INET, "P3", "10.1.0.0/16 10.1.2.0/24 10.1.2.0/25 10.1.2.3/32 10.0.210.0/24 10.0.210.0/25" },
	{ AF_INET, "P4", "10.1.0.0/16 10.1.2.0/24 10.0.210.0/24" },
	{ AF_INET, "P5", "0.0.0.0/0 10.0.0.0/7 10.0.0.0/8 10.0.0.0/9 10.1.0.0/16 10.1.2.0/24 "
			 "10.1.2.0/25 10.1.2.3/32 11.0.0.0/8 192.0.2.1/32 10.0.210.0/24 10.0.210.0/25" },
	{ AF_INET, "P6", "0.0.0.0/0" },
	{ AF_INET, "P7", "0.0.0.0/0 10.0.0.0/7 10.0.0.0/8 10.0.0.0/9 10.1.0.0/16 10.1.2.0/24 "
			 "10.1.2.0/25 10.1.2.3/32 11.0.0.0/8 192.0.2.1/32 10.0.210.0/24 10.0.210.0/25" },
	{ AF_INET, "P8", "10.1.2.3/32 192.0.2.1/32" },
	{ AF_INET, "P9", "10.1.0.0/16 10.1.2.0/25 10.1.2.3/32" }, /* seq 5 deny comes first */
	{ AF_INET, "P10", "10.0.0.0/8 10.0.0.0/9 10.1.0.0/16 10.1.2.0/24 10.1.2.0/25 10.1.2.3/32 "
			  "10.0.210.0/24 10.0.210.0/25" },
	{ AF_INET, "P11", "10.0.0.0/8" },
	{ AF_INET, "P12", "192.0.2.1/32" },
	/* the reference NVA's outbound list: everything but 10.0.210.0/24 exactly */
	{ AF_INET, "PRE01", "0.0.0.0/0 10.0.0.0/7 10.0.0.0/8 10.0.0.0/9 10.1.0.0/16 10.1.2.0/24 "
			    "10.1.2.0/25 10.1.2.3/32 11.0.0.0/8 192.0.2.1/32 10.0.210.0/25" },
	{ AF_INET, "NOSUCH", "" }, /* undefined: denies */
	{ AF_INET, "Q1", "" },     /* an ipv6 list is not an ip list of the same name */
	{ AF_INET6, "Q1", "2001:db8::/32 2001:db8::/64" },
	{ AF_INET6, "Q2", "::/0 2001:db8::/32 2001:db8::/64 2001:db8::/65 2001:db8::1/128 "
			  "2001:db9::/32" },
	{ AF_INET6, "Q3", "::/0" },
	{ AF_INET6, "NOSUCH", "" },
};

static bool listed(const char *permits, const char *p)
{
	size_t n = strlen(p);
	for (const char *s = permits; (s = strstr(s, p)); s += n)
		if ((s == permits || s[-1] == ' ') && (s[n] == ' ' || s[n] == '\0'))
			return true;
	return false;
}

static void test_frr_table(void **state)
{
	(void)state;
	struct conf_errors errs = CONF_ERRORS_INIT;
	struct conf *c = conf_parse(config, strlen(config), "t.conf", &errs);
	assert_non_null(c);
	struct policy *pol = policy_compile(c, &errs);
	assert_non_null(pol);
	int failures = 0;
	for (size_t r = 0; r < sizeof table / sizeof table[0]; r++) {
		bool v4 = table[r].family == AF_INET;
		const char *const *cand = v4 ? v4_candidates : v6_candidates;
		size_t n = v4 ? sizeof v4_candidates / sizeof *v4_candidates
			      : sizeof v6_candidates / sizeof *v6_candidates;
		for (size_t k = 0; k < n; k++) {
			struct prefix p;
			assert_true(prefix_parse(cand[k], false, &p));
			bool want = listed(table[r].permits, cand[k]);
			bool got = policy_prefix_list(pol, table[r].family, table[r].list, &p) ==
				   POLICY_PERMIT;
			if (want != got) {
				print_error("%s %s on %s: expected %s\n", v4 ? "ip" : "ipv6",
					    table[r].list, cand[k], want ? "permit" : "deny");
				failures++;
			}
		}
	}
	assert_int_equal(failures, 0);
	/* a prefix of the other family never matches, even `any` */
	struct prefix p6;
	assert_true(prefix_parse("2001:db8::/32", false, &p6));
	assert_int_equal(policy_prefix_list(pol, AF_INET, "P5", &p6), POLICY_DENY);
	assert_true(policy_prefix_list_exists(pol, AF_INET6, "Q1"));
	assert_false(policy_prefix_list_exists(pol, AF_INET, "Q1"));
	assert_true(policy_prefix_list_exists(pol, AF_INET6, "P1"));
	policy_free(pol);
	conf_free(c);
	conf_errors_free(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frr_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

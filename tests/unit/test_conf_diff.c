/* test_conf_diff.c: conf_diff() for reload: neighbors added, removed, reset
 * (session parameters) or soft-reconfigured (policy and address-family
 * options), and the other parts that changed. Table-driven: old text, new
 * text, expected result. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "conf/conf.h"

static struct conf *parse(const char *text)
{
	struct conf_errors e = CONF_ERRORS_INIT;
	struct conf *c = conf_parse(text, strlen(text), "d.conf", &e);
	for (size_t i = 0; i < e.n; i++)
		print_error("%s\n", e.items[i].text);
	assert_non_null(c);
	conf_errors_free(&e);
	return c;
}

#define BASE                                                                                    \
	"frr version 8.4\nip route 10.10.0.0/16 10.0.0.1\nrouter bgp 65001\n"                   \
	" neighbor RS peer-group\n neighbor RS remote-as 65515\n neighbor RS ebgp-multihop 255\n" \
	" neighbor 10.0.210.4 peer-group RS\n neighbor 10.0.210.5 peer-group RS\n"               \
	" address-family ipv4 unicast\n  redistribute static\n"                                 \
	"  neighbor RS route-map IN in\n exit-address-family\n"                                 \
	"route-map IN permit 10\n"

struct nbr_want {
	const char *name;
	enum conf_nbr_change change;
	uint32_t session_fields; /* checked when non-zero */
	uint32_t af4_fields;     /* checked when non-zero */
};

struct diff_case {
	const char *name;
	const char *old_text; /* NULL: no configuration */
	const char *new_text;
	struct nbr_want nbrs[3];
	size_t n_nbrs;
	const char *policy; /* a changed policy object's name, or NULL */
	bool statics, redist4, globals, router_id, asn, header, networks4;
};

static const struct diff_case diff_cases[] = {
	{ "identical", BASE, BASE, { { 0 } }, 0, NULL, false, false, false, false, false, false, false },
	{ "added and removed",
	  BASE, BASE "router bgp 65001\n neighbor 10.0.210.6 remote-as 65515\n",
	  { { "10.0.210.6", CONF_NBR_ADDED, 0, 0 } }, 1, NULL, false, false, false, false, false, false, false },
	{ "removed",
	  BASE "router bgp 65001\n neighbor 10.0.210.6 remote-as 65515\n", BASE,
	  { { "10.0.210.6", CONF_NBR_REMOVED, 0, 0 } }, 1, NULL, false, false, false, false, false, false, false },
	{ "group multihop changes: every member resets",
	  BASE, BASE "router bgp 65001\n neighbor RS ebgp-multihop 2\n",
	  { { "10.0.210.4", CONF_NBR_RESET, CONF_S_MULTIHOP, 0 },
	    { "10.0.210.5", CONF_NBR_RESET, CONF_S_MULTIHOP, 0 } }, 2,
	  NULL, false, false, false, false, false, false, false },
	{ "password on one member",
	  BASE, BASE "router bgp 65001\n neighbor 10.0.210.5 password x\n",
	  { { "10.0.210.5", CONF_NBR_RESET, CONF_S_PASSWORD, 0 } }, 1,
	  NULL, false, false, false, false, false, false, false },
	{ "route-map out on a member: soft",
	  BASE, BASE "router bgp 65001\n address-family ipv4 unicast\n  neighbor 10.0.210.4 route-map IN out\n",
	  { { "10.0.210.4", CONF_NBR_SOFT, 0, CONF_A_RMAP_OUT } }, 1,
	  NULL, false, false, false, false, false, false, false },
	{ "description only: soft, no reset",
	  BASE, BASE "router bgp 65001\n neighbor 10.0.210.4 description hello\n",
	  { { "10.0.210.4", CONF_NBR_SOFT, CONF_S_DESCRIPTION, 0 } }, 1,
	  NULL, false, false, false, false, false, false, false },
	{ "deactivation resets",
	  BASE, BASE "router bgp 65001\n address-family ipv4 unicast\n  no neighbor 10.0.210.4 activate\n",
	  { { "10.0.210.4", CONF_NBR_RESET, 0, CONF_A_ACTIVATE } }, 1,
	  NULL, false, false, false, false, false, false, false },
	{ "router-id resets everyone",
	  BASE, BASE "router bgp 65001\n bgp router-id 1.1.1.1\n",
	  { { "10.0.210.4", CONF_NBR_RESET, 0, 0 }, { "10.0.210.5", CONF_NBR_RESET, 0, 0 } }, 2,
	  NULL, false, false, false, true, false, false, false },
	{ "global timers reset sessions using them",
	  BASE, BASE "router bgp 65001\n timers bgp 10 30\n",
	  { { "10.0.210.4", CONF_NBR_RESET, CONF_S_TIMERS, 0 },
	    { "10.0.210.5", CONF_NBR_RESET, CONF_S_TIMERS, 0 } }, 2,
	  NULL, false, false, true, false, false, false, false },
	{ "ebgp-requires-policy: soft for all",
	  BASE, BASE "router bgp 65001\n no bgp ebgp-requires-policy\n",
	  { { "10.0.210.4", CONF_NBR_SOFT, 0, 0 }, { "10.0.210.5", CONF_NBR_SOFT, 0, 0 } }, 2,
	  NULL, false, false, true, false, false, false, false },
	{ "policy object changed",
	  BASE, BASE "route-map IN permit 10\n set local-preference 50\n", { { 0 } }, 0,
	  "IN", false, false, false, false, false, false, false },
	{ "policy object added",
	  BASE, BASE "ip prefix-list NEW permit any\n", { { 0 } }, 0,
	  "NEW", false, false, false, false, false, false, false },
	{ "statics, redistribution, networks, header",
	  BASE, "hostname x\nfrr version 8.4\nip route 10.10.0.0/16 10.0.0.2\nrouter bgp 65001\n"
		" neighbor RS peer-group\n neighbor RS remote-as 65515\n neighbor RS ebgp-multihop 255\n"
		" neighbor 10.0.210.4 peer-group RS\n neighbor 10.0.210.5 peer-group RS\n"
		" network 10.9.0.0/16\n address-family ipv4 unicast\n  neighbor RS route-map IN in\n"
		" exit-address-family\nroute-map IN permit 10\n",
	  { { 0 } }, 0, NULL, true, true, false, false, false, true, true },
	{ "another ASN: all removed and added",
	  "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n", "router bgp 3\n neighbor 10.0.0.1 remote-as 2\n",
	  { { "10.0.0.1", CONF_NBR_REMOVED, 0, 0 }, { "10.0.0.1", CONF_NBR_ADDED, 0, 0 } }, 2,
	  NULL, false, false, false, false, true, false, false },
	{ "from nothing", NULL, "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n",
	  { { "10.0.0.1", CONF_NBR_ADDED, 0, 0 } }, 1, NULL, false, false, false, false, false, false, false },
};

static void check_case(const struct diff_case *dc)
{
	struct conf *a = dc->old_text ? parse(dc->old_text) : NULL;
	struct conf *b = parse(dc->new_text);
	struct conf_diff d;

	conf_diff(a, b, &d);
	assert_false(d.oom);
	assert_int_equal(d.n_neighbors, dc->n_nbrs);
	for (size_t i = 0; i < dc->n_nbrs; i++) {
		const struct nbr_want *w = &dc->nbrs[i];
		print_message("  neighbor %s: change %d, fields %x/%x\n", d.neighbors[i].name,
			      d.neighbors[i].change, d.neighbors[i].session_fields,
			      d.neighbors[i].af_fields[CONF_AF_IPV4]);
		assert_string_equal(d.neighbors[i].name, w->name);
		assert_int_equal(d.neighbors[i].change, w->change);
		if (w->session_fields)
			assert_int_equal(d.neighbors[i].session_fields, w->session_fields);
		if (w->af4_fields)
			assert_int_equal(d.neighbors[i].af_fields[CONF_AF_IPV4], w->af4_fields);
	}
	if (dc->policy) {
		assert_int_equal(d.n_policies, 1);
		assert_string_equal(d.policies[0].name, dc->policy);
	} else
		assert_int_equal(d.n_policies, 0);
	assert_int_equal(d.statics_changed, dc->statics);
	assert_int_equal(d.redistribute_changed[CONF_AF_IPV4], dc->redist4);
	assert_int_equal(d.networks_changed[CONF_AF_IPV4], dc->networks4);
	assert_int_equal(d.bgp_globals_changed, dc->globals);
	assert_int_equal(d.router_id_changed, dc->router_id);
	assert_int_equal(d.asn_changed, dc->asn);
	if (dc->old_text)
		assert_int_equal(d.header_changed, dc->header);
	assert_int_equal(conf_diff_empty(&d), strcmp(dc->name, "identical") == 0);
	conf_diff_free(&d);
	conf_free(a);
	conf_free(b);
}

static void test_diff_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof diff_cases / sizeof diff_cases[0]; i++) {
		print_message("case: %s\n", diff_cases[i].name);
		check_case(&diff_cases[i]);
	}
}

static void test_diff_to_nothing(void **state)
{
	(void)state;
	struct conf *a = parse(BASE);
	struct conf_diff d;
	conf_diff(a, NULL, &d);
	assert_true(d.bgp_removed);
	assert_true(d.statics_changed);
	assert_int_equal(d.n_neighbors, 2);
	assert_int_equal(d.neighbors[0].change, CONF_NBR_REMOVED);
	assert_int_equal(d.n_policies, 1);
	conf_diff_free(&d);
	conf_diff(NULL, NULL, &d);
	assert_true(conf_diff_empty(&d));
	conf_diff_free(&d);
	conf_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_table),
		cmocka_unit_test(test_diff_to_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

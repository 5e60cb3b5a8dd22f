/* test_conf_print.c: conf_print(): the exact text of chosen configs (FRR
 * 8.4's layout, defaults left out), the seed's P2 config printed back as FRR
 * printed it, and on every config the round trip parse(print(parse(x))) ==
 * parse(x) and the fixed point print(parse(print(parse(x)))) == print(parse(x)). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"

static struct conf *parse_ok(const char *text, size_t len)
{
	struct conf_errors e = CONF_ERRORS_INIT;
	struct conf *c = conf_parse(text, len, "p.conf", &e);
	for (size_t i = 0; i < e.n; i++)
		print_error("%s\n", e.items[i].text);
	assert_non_null(c);
	conf_errors_free(&e);
	return c;
}

static char *print_conf(const struct conf *c)
{
	struct strbuf b = STRBUF_INIT;
	conf_print(c, &b);
	assert_false(b.oom);
	char *s = strdup(strbuf_str(&b));
	strbuf_free(&b);
	return s;
}

/* The round trip and the fixed point; returns print(parse(x)). */
static char *check_round_trip(const char *text, size_t len)
{
	struct conf *c1 = parse_ok(text, len);
	char *p1 = print_conf(c1);
	struct conf *c2 = parse_ok(p1, strlen(p1));
	struct conf_diff d;
	conf_diff(c1, c2, &d);
	if (!conf_diff_empty(&d))
		print_error("round trip changed the model; printed:\n%s", p1);
	assert_true(conf_diff_empty(&d));
	conf_diff_free(&d);
	char *p2 = print_conf(c2);
	if (strcmp(p1, p2) != 0)
		print_error("not a fixed point:\n--- first\n%s--- second\n%s", p1, p2);
	assert_string_equal(p1, p2);
	free(p2);
	conf_free(c1);
	conf_free(c2);
	return p1;
}

struct print_case {
	const char *name;
	const char *in;
	const char *want; /* NULL: only the round trip is checked */
};

static const struct print_case print_cases[] = {
	{ "ip protocol route-maps after the static routes",
	  "ip route 10.10.0.0/16 169.254.0.1\nip protocol static route-map SRC\n"
	  "ipv6 protocol any route-map SRC6\n",
	  "!\nip route 10.10.0.0/16 169.254.0.1\n!\nip protocol static route-map SRC\n"
	  "ipv6 protocol any route-map SRC6\n!\nend\n" },
	{ "defaults are not printed",
	  "frr version 8.4\nfrr defaults traditional\nrouter bgp 65001\n bgp ebgp-requires-policy\n"
	  " no bgp log-neighbor-changes\n timers bgp 60 180\n bgp default ipv4-unicast\n"
	  " neighbor 10.0.0.1 remote-as 65002\n neighbor 10.0.0.1 send-community\n"
	  " neighbor 10.0.0.1 activate\n neighbor 10.0.0.1 port 179\n",
	  "frr version 8.4\nfrr defaults traditional\n!\nrouter bgp 65001\n"
	  " neighbor 10.0.0.1 remote-as 65002\nexit\n!\nend\n" },
	{ "non-defaults in bgpd's order",
	  "frr version 8.4\nrouter bgp 65001\n timers bgp 10 30\n no bgp network import-check\n"
	  " bgp deterministic-med\n no bgp default ipv4-unicast\n no bgp ebgp-requires-policy\n"
	  " bgp log-neighbor-changes\n bgp router-id 10.0.0.4\n no bgp fast-external-failover\n",
	  "frr version 8.4\n!\nrouter bgp 65001\n no bgp fast-external-failover\n"
	  " bgp router-id 10.0.0.4\n bgp log-neighbor-changes\n"
	  " no bgp ebgp-requires-policy\n no bgp default ipv4-unicast\n bgp deterministic-med\n"
	  " no bgp network import-check\n timers bgp 10 30\nexit\n!\nend\n" },
	{ "datacenter: what traditional prints, datacenter does not",
	  "frr version 8.4\nfrr defaults datacenter\nrouter bgp 1\n no bgp ebgp-requires-policy\n"
	  " bgp log-neighbor-changes\n timers bgp 3 9\n no bgp deterministic-med\n",
	  "frr version 8.4\nfrr defaults datacenter\n!\nrouter bgp 1\n no bgp deterministic-med\nexit\n"
	  "!\nend\n" },
	{ "neighbors sorted, groups first, members inherit",
	  "router bgp 65001\n neighbor 10.0.0.20 remote-as 65020\n neighbor 2001:db8::1 remote-as external\n"
	  " neighbor ZZ peer-group\n neighbor AA peer-group\n neighbor AA remote-as 65515\n"
	  " neighbor AA ebgp-multihop 255\n neighbor 10.0.0.3 peer-group AA\n"
	  " neighbor 10.0.0.3 description RS one\n neighbor ZZ remote-as internal\n"
	  " neighbor 10.0.0.20 timers 3 9\n neighbor 10.0.0.20 timers connect 5\n"
	  " neighbor 10.0.0.20 update-source eth0\n neighbor 10.0.0.20 password pw\n"
	  " neighbor 10.0.0.20 shutdown\n neighbor 10.0.0.20 passive\n neighbor 10.0.0.20 port 1179\n"
	  " neighbor 2001:db8::1 ttl-security hops 2\n neighbor 10.0.0.20 enforce-first-as\n"
	  " address-family ipv4 unicast\n  neighbor AA route-map IN in\n  no neighbor 10.0.0.3 activate\n"
	  " exit-address-family\n address-family ipv6 unicast\n  neighbor 2001:db8::1 activate\n"
	  "  neighbor 2001:db8::1 route-map IN in\n exit-address-family\n",
	  "!\nrouter bgp 65001\n neighbor AA peer-group\n neighbor AA remote-as 65515\n"
	  " neighbor AA ebgp-multihop 255\n neighbor ZZ peer-group\n neighbor ZZ remote-as internal\n"
	  " neighbor 10.0.0.3 peer-group AA\n neighbor 10.0.0.3 description RS one\n"
	  " neighbor 10.0.0.20 remote-as 65020\n neighbor 10.0.0.20 shutdown\n"
	  " neighbor 10.0.0.20 password pw\n neighbor 10.0.0.20 port 1179\n"
	  " neighbor 10.0.0.20 passive\n neighbor 10.0.0.20 enforce-first-as\n"
	  " neighbor 10.0.0.20 update-source eth0\n neighbor 10.0.0.20 timers 3 9\n"
	  " neighbor 10.0.0.20 timers connect 5\n neighbor 2001:db8::1 remote-as external\n"
	  " neighbor 2001:db8::1 ttl-security hops 2\n !\n address-family ipv4 unicast\n"
	  "  neighbor AA route-map IN in\n  no neighbor 10.0.0.3 activate\n exit-address-family\n !\n"
	  " address-family ipv6 unicast\n  neighbor 2001:db8::1 activate\n"
	  "  neighbor 2001:db8::1 route-map IN in\n exit-address-family\nexit\n!\nend\n" },
	{ "address-family contents in FRR's order",
	  "router bgp 65001\n no bgp default ipv4-unicast\n neighbor 10.0.0.1 remote-as 65002\n"
	  " address-family ipv4\n  maximum-paths 4\n  neighbor 10.0.0.1 weight 7\n"
	  "  neighbor 10.0.0.1 route-map OUT out\n  neighbor 10.0.0.1 filter-list F in\n"
	  "  neighbor 10.0.0.1 prefix-list P in\n  neighbor 10.0.0.1 allowas-in 2\n"
	  "  neighbor 10.0.0.1 maximum-prefix 100 80 warning-only\n  neighbor 10.0.0.1 soft-reconfiguration inbound\n"
	  "  neighbor 10.0.0.1 default-originate\n  no neighbor 10.0.0.1 send-community extended\n"
	  "  neighbor 10.0.0.1 as-override\n  neighbor 10.0.0.1 remove-private-AS all\n"
	  "  neighbor 10.0.0.1 next-hop-self\n  neighbor 10.0.0.1 activate\n  redistribute static route-map S\n"
	  "  redistribute connected metric 5\n  network 10.2.0.0/16\n  network 10.1.0.0/16 route-map N\n"
	  "  network 10.0.0.0/8\n  maximum-paths ibgp 3\n  neighbor 10.0.0.1 maximum-prefix-out 9\n",
	  "!\nrouter bgp 65001\n no bgp default ipv4-unicast\n neighbor 10.0.0.1 remote-as 65002\n !\n"
	  " address-family ipv4 unicast\n  network 10.0.0.0/8\n  network 10.1.0.0/16 route-map N\n"
	  "  network 10.2.0.0/16\n  redistribute connected metric 5\n  redistribute static route-map S\n"
	  "  neighbor 10.0.0.1 activate\n  neighbor 10.0.0.1 next-hop-self\n"
	  "  neighbor 10.0.0.1 remove-private-AS all\n  neighbor 10.0.0.1 as-override\n"
	  "  no neighbor 10.0.0.1 send-community extended\n  neighbor 10.0.0.1 default-originate\n"
	  "  neighbor 10.0.0.1 soft-reconfiguration inbound\n"
	  "  neighbor 10.0.0.1 maximum-prefix 100 80 warning-only\n"
	  "  neighbor 10.0.0.1 maximum-prefix-out 9\n  neighbor 10.0.0.1 allowas-in 2\n"
	  "  neighbor 10.0.0.1 weight 7\n  neighbor 10.0.0.1 prefix-list P in\n"
	  "  neighbor 10.0.0.1 route-map OUT out\n  neighbor 10.0.0.1 filter-list F in\n"
	  "  maximum-paths 4\n  maximum-paths ibgp 3\n exit-address-family\nexit\n!\nend\n" },
	{ "policy sections, seq numbers filled in",
	  "route-map B permit 20\n set metric 5\n match as-path A2\n on-match next\n"
	  "ipv6 prefix-list V6 permit ::/0\nip prefix-list P permit 10.0.0.0/8 le 24\n"
	  "bgp community-list standard C permit 1:1\nbgp as-path access-list Z permit _1_\n"
	  "bgp as-path access-list A2 permit ^$\nroute-map A deny 10\n description drop it\n"
	  "route-map B deny 10\n call A\n continue 20\n"
	  "bgp large-community-list expanded L permit ^1:.*$\nip route 10.0.0.0/8 reject 250\n"
	  "ipv6 route ::/0 2001:db8::1\nip route 10.1.0.0/16 10.0.0.1 eth0\nhostname h\nline vty\n"
	  "ip forwarding\nlog stdout\n",
	  "hostname h\nlog stdout\n!\nip route 10.0.0.0/8 reject 250\nip route 10.1.0.0/16 10.0.0.1 eth0\n"
	  "ipv6 route ::/0 2001:db8::1\n!\nip prefix-list P seq 5 permit 10.0.0.0/8 le 24\n!\n"
	  "ipv6 prefix-list V6 seq 5 permit ::/0\n!\nbgp as-path access-list A2 seq 5 permit ^$\n"
	  "bgp as-path access-list Z seq 5 permit _1_\n!\nbgp community-list standard C seq 5 permit 1:1\n"
	  "bgp large-community-list expanded L seq 5 permit ^1:.*$\n!\n"
	  "route-map B deny 10\n call A\n on-match goto 20\nexit\n!\n"
	  "route-map B permit 20\n match as-path A2\n set metric 5\n on-match next\nexit\n!\n"
	  "route-map A deny 10\n description drop it\nexit\n!\nip forwarding\n!\nline vty\nexit\n!\nend\n" },
	{ "old version: 7.3 defaults differ",
	  "frr version 7.3\nrouter bgp 1\n bgp ebgp-requires-policy\n bgp network import-check\n",
	  "frr version 7.3\n!\nrouter bgp 1\n bgp ebgp-requires-policy\n bgp network import-check\nexit\n"
	  "!\nend\n" },
	{ "empty", "", "!\nend\n" },
	{ "round trip: members, overrides, both families",
	  "frr version 8.3.1\nfrr defaults datacenter\nrouter bgp 65001\n neighbor RS peer-group\n"
	  " neighbor RS remote-as external\n neighbor RS timers 3 9\n neighbor 10.0.0.1 peer-group RS\n"
	  " neighbor 10.0.0.1 timers 1 3\n neighbor 10.0.0.2 peer-group RS\n"
	  " address-family ipv4 unicast\n  neighbor RS soft-reconfiguration inbound\n"
	  "  neighbor 10.0.0.1 allowas-in origin\n  no neighbor RS send-community\n exit-address-family\n"
	  " address-family ipv6 unicast\n  neighbor RS activate\n  no neighbor 10.0.0.2 activate\n"
	  "  neighbor 10.0.0.1 remove-private-AS replace-AS\n  neighbor 10.0.0.1 next-hop-self force\n",
	  NULL },
	{ "round trip: route-map clauses",
	  "route-map RM permit 10\n match ip address prefix-list PL\n match community C1 exact-match\n"
	  " set as-path prepend 65001 65001\n set community none\n set large-community 1:2:3 additive\n"
	  " set as-path exclude all\n set ip next-hop 10.0.0.1\n set src 2001:db8::1\n continue 20\n",
	  NULL },
	{ "no-rib and asdot", "bgp no-rib\nrouter bgp 1.1\n", "bgp no-rib\n!\nrouter bgp 65537\nexit\n!\nend\n" },
	{ "nvad vxlan: the P5 tunnel, after FRR's sections, defaults left out",
	  "nvad vxlan vxlan0 address 169.254.0.1/24 mtu 1450 dev eth0 dstport 4789 remote 10.100.0.4 vni 77\n"
	  "frr version 8.3.1\nhostname vm-hub00\nip route 10.100.0.0/16 169.254.0.2\nline vty\n",
	  "frr version 8.3.1\nhostname vm-hub00\n!\nip route 10.100.0.0/16 169.254.0.2\n!\nline vty\nexit\n!\n"
	  "nvad vxlan vxlan0 vni 77 remote 10.100.0.4 dev eth0 mtu 1450 address 169.254.0.1/24\n!\nend\n" },
	{ "nvad vxlan: IPv6, several, addresses in input order",
	  "nvad vxlan b vni 5 remote 2001:DB8:0::2 local 2001:db8::1 dstport 8472 address fd00::1/64 "
	  "address 10.0.0.1/31 10.0.0.9/32\nnvad vxlan a vni 6 remote 10.0.0.2\n",
	  "!\nnvad vxlan b vni 5 remote 2001:db8::2 local 2001:db8::1 dstport 8472 address fd00::1/64 "
	  "10.0.0.1/31 10.0.0.9/32\nnvad vxlan a vni 6 remote 10.0.0.2\n!\nend\n" },
};

static void test_print_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof print_cases / sizeof print_cases[0]; i++) {
		const struct print_case *pc = &print_cases[i];
		print_message("case: %s\n", pc->name);
		char *out = check_round_trip(pc->in, strlen(pc->in));
		if (pc->want && strcmp(out, pc->want) != 0)
			print_error("got:\n%s", out);
		if (pc->want)
			assert_string_equal(out, pc->want);
		free(out);
	}
}

static char *read_seed(const char *file, size_t *len)
{
	const char *dir = getenv("NVAD_SEED_DIR");
	const char *root = getenv("NVAD_SRC_ROOT");
	char path[4096];
	if (dir && *dir)
		snprintf(path, sizeof path, "%s/%s", dir, file);
	else
		snprintf(path, sizeof path, "%s/../shared/seed/reference/%s", root ? root : "..", file);
	FILE *f = fopen(path, "rb");
	if (!f)
		print_error("cannot open %s\n", path);
	assert_non_null(f);
	char *buf = calloc(1, 1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return buf;
}

static char *strip_cr(const char *s)
{
	char *o = strdup(s);
	size_t k = 0;
	for (size_t i = 0; s[i]; i++)
		if (s[i] != '\r')
			o[k++] = s[i];
	o[k] = '\0';
	return o;
}

/* The seed's configs are FRR's own `show run`: printed back, P2 is the same
 * text; the P5 files begin with a "!" line that nvad does not print. */
static void test_seed_print(void **state)
{
	(void)state;
	static const char *const files[] = { "p2-vm-hub00.frr.conf", "p5-vm-hub00.frr.conf",
					     "p5-vm-hub100.frr.conf" };
	for (size_t i = 0; i < 3; i++) {
		size_t len;
		char *raw = read_seed(files[i], &len);
		char *want = strip_cr(raw);
		char *out = check_round_trip(raw, len);
		const char *cmp = want;
		if (strncmp(cmp, "!\n", 2) == 0)
			cmp += 2;
		print_message("%s\n", files[i]);
		assert_string_equal(out, cmp);
		free(out);
		free(want);
		free(raw);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print_cases),
		cmocka_unit_test(test_seed_print),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_azlab_topology.c: the topology reader (azlab/topology.h): values of a
 * good file, and for bad files the FILE:LINE:COL and the words of the error:
 * unknown keys, wrong types, bad addresses, unknown names, aliases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "azlab_testutil.h"

static const char good[] =
	"name: t\n"
	"virtualNetworks:\n"
	"  - name: hub\n"
	"    addressPrefixes: [10.0.0.0/16, 10.1.0.0/16]\n"
	"    subnets:\n"
	"      - { name: default, addressPrefix: 10.0.0.0/24, routeTable: rt }\n"
	"      - { name: RouteServerSubnet, addressPrefix: 10.0.210.0/24 }\n"
	"routeTables:\n"
	"  - name: rt\n"
	"    disableBgpRoutePropagation: true\n"
	"    routes:\n"
	"      - { name: r1, addressPrefix: 10.10.0.0/16, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.0.4 }\n"
	"routeServers:\n"
	"  - { name: rs, virtualNetwork: hub, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 65001 }] }\n"
	"virtualMachines:\n"
	"  - name: nva\n"
	"    subnet: hub/default\n"
	"    privateIPAddress: 10.0.0.4\n"
	"    enableIPForwarding: true\n"
	"    nva:\n"
	"      asn: 65001\n"
	"      advertises: [{ prefix: 10.10.0.0/16, asPath: \"65001 65001\" }]\n"
	"      tunnels: [{ name: vxlan0, vni: 77, remote: 10.100.0.4, address: 169.254.0.1/24 }]\n"
	"loadBalancers:\n"
	"  - { name: lb, subnet: hub/default, frontendIPAddress: 10.0.0.10, backendPool: [nva],\n"
	"      rules: [{ name: ha, protocol: All, probe: p2 }],\n"
	"      probes: [{ name: p1, protocol: Tcp, port: 22 }, { name: p2, protocol: Tcp, port: 8081, intervalInSeconds: 10, numberOfProbes: 3 }] }\n"
	"expect:\n"
	"  - reach: { from: nva, to: 10.0.0.4 }\n";

static void test_good_file(void **state)
{
	(void)state;
	struct azlab_diag errs = AZLAB_DIAG_INIT;
	struct azlab_topo *t = azt_parse(good, &errs);
	for (size_t i = 0; i < errs.n; i++)
		print_error("%s\n", errs.msgs[i]);
	assert_non_null(t);
	assert_string_equal(t->name, "t");
	assert_int_equal(t->n_vnets, 1);
	assert_int_equal(t->vnets[0].n_prefixes, 2);
	assert_int_equal(t->vnets[0].prefixes[1].addr, 0x0a010000u);
	assert_int_equal(t->vnets[0].prefixes[1].len, 16);
	assert_int_equal(t->vnets[0].subnets[0].rt, 0);
	assert_int_equal(t->vnets[0].subnets[1].rt, -1);
	assert_true(t->route_tables[0].disable_bgp);
	assert_int_equal(t->route_tables[0].routes[0].next_hop_type, AZLAB_NH_VIRTUAL_APPLIANCE);
	assert_true(t->route_tables[0].routes[0].has_next_hop_ip);
	/* R-D1: the Route Server's two instances, .4 and .5 of its subnet */
	assert_true(t->route_servers[0].has_ips);
	assert_int_equal(t->route_servers[0].ips[0], 0x0a00d204u);
	assert_int_equal(t->route_servers[0].ips[1], 0x0a00d205u);
	assert_int_equal(t->route_servers[0].connections[0].vm, 0);
	const struct azlab_vm *vm = &t->vms[0];
	assert_string_equal(vm->nic_name, "nva-nic");
	assert_true(vm->ip_forwarding);
	assert_non_null(vm->nva);
	assert_int_equal(vm->nva->adverts[0].n_as_path, 2);
	assert_int_equal(vm->nva->tunnels[0].address, 0xa9fe0001u);
	assert_int_equal(vm->nva->tunnels[0].address_len, 24);
	assert_int_equal(vm->nva->tunnels[0].mtu, 1450); /* default (R-F2) */
	assert_int_equal(vm->nva->tunnels[0].dst_port, 4789);
	assert_true(t->peerings == NULL && t->n_peerings == 0);
	/* R-E4: probes, their defaults (5 s, 2), the rule's probe resolved */
	assert_int_equal(t->lbs[0].n_probes, 2);
	assert_int_equal(t->lbs[0].probes[0].interval_s, 5);
	assert_int_equal(t->lbs[0].probes[0].number_of_probes, 2);
	assert_int_equal(t->lbs[0].probes[1].port, 8081);
	assert_int_equal(t->lbs[0].probes[1].interval_s, 10);
	assert_int_equal(t->lbs[0].probes[1].number_of_probes, 3);
	assert_int_equal(t->lbs[0].rules[0].probe, 1);
	assert_int_equal(t->n_expects, 1);
	assert_non_null(t->expects[0].reach);
	azlab_topo_free(t);
	azlab_diag_free(&errs);
}

struct bad_case {
	const char *yaml;
	const char *error; /* a substring of the first error, with t.yaml:LINE:COL */
};

#define VN "virtualNetworks:\n  - { name: v, addressPrefixes: [10.0.0.0/16], subnets: [{ name: s, addressPrefix: 10.0.0.0/24 }] }\n"

static const struct bad_case bad_cases[] = {
	{ "", "t.yaml:1:1: empty file" },
	{ "virtualNetworks: [\n", "t.yaml:2:1: YAML syntax" },
	{ "- a\n- b\n", "t.yaml:1:1: expected a mapping (a topology), got a sequence" },
	{ "name: x\n", "t.yaml:1:1: topology lacks the required key \"virtualNetworks\"" },
	{ VN "colour: blue\n", "t.yaml:3:1: unknown key \"colour\" in topology" },
	{ "virtualNetworks:\n  - { name: v, adressPrefixes: [10.0.0.0/16] }\n",
	  "t.yaml:2:16: unknown key \"adressPrefixes\" in virtual network (expected one of: name, addressPrefixes" },
	{ "virtualNetworks:\n  - { name: v, addressPrefixes: [10.0.0.1/16] }\n",
	  "t.yaml:2:34: expected an IPv4 prefix (A.B.C.D/N, no host bits) for addressPrefixes, got \"10.0.0.1/16\"" },
	{ "virtualNetworks:\n  - { name: v, addressPrefixes: {a: b} }\n",
	  "t.yaml:2:33: expected a sequence for addressPrefixes, got a mapping" },
	{ "virtualNetworks: 3\n", "t.yaml:1:18: expected a sequence of virtual network entries for virtualNetworks, got a scalar" },
	{ "virtualNetworks:\n  - 3\n", "t.yaml:2:5: expected a mapping (a virtual network), got a scalar" },
	{ VN "routeTables: [{ name: r, disableBgpRoutePropagation: yes }]\n",
	  "t.yaml:3:54: expected true or false for disableBgpRoutePropagation, got \"yes\"" },
	{ VN "routeTables: [{ name: r, routes: [{ name: a, addressPrefix: 0.0.0.0/0, nextHopType: Appliance }] }]\n",
	  "t.yaml:3:85: expected one of VirtualAppliance, VirtualNetworkGateway, VnetLocal, Internet, None for nextHopType, got \"Appliance\"" },
	{ VN "routeServers: [{ name: r, virtualNetwork: v, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 99999999999 }] }]\n",
	  "expected an AS number (0..4294967295) for peerAsn, got \"99999999999\"" },
	{ VN "virtualMachines: [{ name: a, subnet: v/s, privateIPAddress: 10.0.0.256 }]\n",
	  "t.yaml:3:61: expected an IPv4 address (A.B.C.D) for privateIPAddress, got \"10.0.0.256\"" },
	{ VN "virtualMachines: [{ name: a, subnet: v/nope, privateIPAddress: 10.0.0.4 }]\n",
	  "t.yaml:3:19: unknown subnet \"v/nope\" (expected VNET/SUBNET)" },
	{ VN "virtualNetworkPeerings: [{ name: p, virtualNetwork: v, remoteVirtualNetwork: w }]\n",
	  "t.yaml:3:26: unknown virtual network \"w\"" },
	{ "virtualNetworks:\n  - { name: v, addressPrefixes: [10.0.0.0/16], subnets: [{ name: s, addressPrefix: 10.0.0.0/24, routeTable: nope }] }\n",
	  "t.yaml:2:109: unknown route table \"nope\"" },
	{ VN "virtualNetworks: []\n", "t.yaml:3:1: duplicate key \"virtualNetworks\" in topology" },
	{ VN "  - { name: v, addressPrefixes: [10.1.0.0/16] }\n", "t.yaml:3:5: virtual network \"v\" is declared twice" },
	{ "virtualNetworks:\n  - &a { name: v, addressPrefixes: [10.0.0.0/16] }\n  - *a\n",
	  "t.yaml:3:5: aliases (*name) are not supported" },
	{ VN "expect: [{ reach: { from: a, to: b }, trace: { from: a, to: b, hops: [] } }]\n",
	  "t.yaml:3:10: an expect entry holds exactly one of reach, noReach, trace, route, bgp (got 2)" },
	{ VN "expect: [{ route: { prefix: 10.0.0.0/16 } }]\n",
	  "t.yaml:3:19: route check lacks the required key \"at\"" },
	{ VN "virtualMachines: [{ name: a, subnet: v/s, privateIPAddress: 10.0.0.4, nva: { tunnels: [{ name: t, remote: 10.1.1.1, address: 169.254.0.1 }] } }]\n",
	  "expected an interface address (A.B.C.D/N) for address, got \"169.254.0.1\"" },
	{ VN "virtualMachines: [{ name: a, subnet: v/s, privateIPAddress: 10.0.0.4, nva: { advertises: [{ prefix: 10.9.0.0/16, to: [nope] }] } }]\n",
	  "unknown Route Server \"nope\" in to" },
	{ VN "---\nname: second\n", "a second YAML document" },
	/* R-E4: a rule's probe names one of its load balancer's probes */
	{ VN "loadBalancers: [{ name: lb, subnet: v/s, frontendIPAddress: 10.0.0.10, backendPool: [], rules: [{ name: ha, protocol: All, probe: nope }] }]\n",
	  "t.yaml:3:97: load balancer lb: rule ha: unknown probe \"nope\"" },
	{ VN "loadBalancers: [{ name: lb, subnet: v/s, frontendIPAddress: 10.0.0.10, backendPool: [], probes: [{ name: p, protocol: Http, port: 80 }] }]\n",
	  "expected one of Tcp for protocol, got \"Http\"" },
	{ "name: \"a\\0b\"\n" VN, "expected a string, got a string with a NUL byte" },
};

static void test_bad_files(void **state)
{
	(void)state;
	size_t failed = 0;
	for (size_t i = 0; i < sizeof bad_cases / sizeof *bad_cases; i++) {
		struct azlab_diag errs = AZLAB_DIAG_INIT;
		struct azlab_topo *t = azt_parse(bad_cases[i].yaml, &errs);
		bool found = false;
		for (size_t k = 0; k < errs.n; k++)
			if (strstr(errs.msgs[k], bad_cases[i].error))
				found = true;
		if (t || !found) {
			print_error("case %zu: wanted \"%s\", got %zu errors:\n", i, bad_cases[i].error,
				    errs.n);
			for (size_t k = 0; k < errs.n; k++)
				print_error("  %s\n", errs.msgs[k]);
		}
		if (t || !found)
			failed++;
		/* every message starts with the file's name */
		for (size_t k = 0; k < errs.n; k++)
			assert_int_equal(strncmp(errs.msgs[k], "t.yaml", 6), 0);
		azlab_topo_free(t);
		azlab_diag_free(&errs);
	}
	assert_int_equal(failed, 0);
}

/* Truncations of a good file never crash and never leak (under ASan). */
static void test_every_prefix(void **state)
{
	(void)state;
	size_t len = strlen(good);
	for (size_t n = 0; n <= len; n++) {
		struct azlab_diag errs = AZLAB_DIAG_INIT;
		struct azlab_topo *t = azlab_topo_parse(good, n, "t.yaml", &errs);
		if (!t)
			assert_true(errs.n > 0);
		azlab_topo_free(t);
		azlab_diag_free(&errs);
	}
}

static void test_load_missing_file(void **state)
{
	(void)state;
	struct azlab_diag errs = AZLAB_DIAG_INIT;
	assert_null(azlab_topo_load("/nonexistent/azlab.yaml", &errs));
	assert_int_equal(errs.n, 1);
	assert_non_null(strstr(errs.msgs[0], "/nonexistent/azlab.yaml: cannot open"));
	azlab_diag_free(&errs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_every_prefix),
		cmocka_unit_test(test_load_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_azlab_validate.c: what `azlab validate` refuses (azlab/validate.h),
 * one row per Azure rule, each with the line of the offending entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "azlab_testutil.h"

/* Line 2: hub with GatewaySubnet and RouteServerSubnet; line 3: spoke. */
#define BASE                                                                                     \
	"virtualNetworks:\n"                                                                      \
	"  - { name: hub, addressPrefixes: [10.0.0.0/16], subnets: [{ name: default, addressPrefix: 10.0.0.0/24 }, { name: GatewaySubnet, addressPrefix: 10.0.200.0/24 }, { name: RouteServerSubnet, addressPrefix: 10.0.210.0/24 }] }\n" \
	"  - { name: spoke, addressPrefixes: [10.10.0.0/16], subnets: [{ name: default, addressPrefix: 10.10.0.0/24 }, { name: GatewaySubnet, addressPrefix: 10.10.200.0/24 }] }\n" \
	"expressRouteCircuits: [{ name: c1 }, { name: c2 }]\n"

#define GW_HUB "  - { name: gw-hub, virtualNetwork: hub, connections: [{ name: a, circuit: c1 }] }\n"
#define GW_SPOKE "  - { name: gw-spoke, virtualNetwork: spoke, connections: [{ name: b, circuit: c2 }] }\n"
#define PEER(n, v, r, flags) "  - { name: " n ", virtualNetwork: " v ", remoteVirtualNetwork: " r flags " }\n"

struct vcase {
	const char *rule;
	const char *yaml;
	const char *error; /* substring; NULL: the file must be valid */
};

static const struct vcase cases[] = {
	{ "valid", BASE "expressRouteGateways:\n" GW_HUB "virtualNetworkPeerings:\n"
	  PEER("h2s", "hub", "spoke", ", allowGatewayTransit: true")
	  PEER("s2h", "spoke", "hub", ", useRemoteGateways: true"), NULL },
	/* R-B4 */
	{ "R-B4 own gateway", BASE "expressRouteGateways:\n" GW_HUB GW_SPOKE "virtualNetworkPeerings:\n"
	  PEER("h2s", "hub", "spoke", ", allowGatewayTransit: true")
	  PEER("s2h", "spoke", "hub", ", useRemoteGateways: true"),
	  "t.yaml:10:5: error: UseRemoteGatewaysNotAllowedWithLocalGateway: peering s2h cannot set useRemoteGateways because virtual network spoke has its own gateway gw-spoke (R-B4)" },
	{ "R-B4 no transit", BASE "expressRouteGateways:\n" GW_HUB "virtualNetworkPeerings:\n"
	  PEER("h2s", "hub", "spoke", "") PEER("s2h", "spoke", "hub", ", useRemoteGateways: true"),
	  "t.yaml:9:5: error: RemotePeeringDoesNotAllowGatewayTransit: peering s2h sets useRemoteGateways, but h2s of virtual network hub does not set allowGatewayTransit (R-B4)" },
	{ "R-B4 transit without gateway", BASE "virtualNetworkPeerings:\n"
	  PEER("h2s", "hub", "spoke", ", allowGatewayTransit: true") PEER("s2h", "spoke", "hub", ""),
	  "t.yaml:6:5: error: AllowGatewayTransitRequiresGateway: peering h2s sets allowGatewayTransit, but virtual network hub has no gateway and no Route Server (R-B4)" },
	{ "R-B4 two remote gateways",
	  "virtualNetworks:\n"
	  "  - { name: a, addressPrefixes: [10.1.0.0/16], subnets: [{ name: GatewaySubnet, addressPrefix: 10.1.200.0/24 }] }\n"
	  "  - { name: b, addressPrefixes: [10.2.0.0/16], subnets: [{ name: GatewaySubnet, addressPrefix: 10.2.200.0/24 }] }\n"
	  "  - { name: s, addressPrefixes: [10.3.0.0/16] }\n"
	  "expressRouteCircuits: [{ name: c1 }]\n"
	  "expressRouteGateways:\n"
	  "  - { name: ga, virtualNetwork: a, connections: [{ name: x, circuit: c1 }] }\n"
	  "  - { name: gb, virtualNetwork: b, connections: [{ name: y, circuit: c1 }] }\n"
	  "virtualNetworkPeerings:\n"
	  PEER("a2s", "a", "s", ", allowGatewayTransit: true") PEER("s2a", "s", "a", ", useRemoteGateways: true")
	  PEER("b2s", "b", "s", ", allowGatewayTransit: true") PEER("s2b", "s", "b", ", useRemoteGateways: true"),
	  "t.yaml:13:5: error: OnlyOnePeeringCanUseRemoteGateways: peering s2b sets useRemoteGateways, but peering s2a of virtual network s already does (R-B4)" },
	/* R-B1 */
	{ "R-B1 overlap",
	  "virtualNetworks:\n  - { name: a, addressPrefixes: [10.0.0.0/16] }\n  - { name: b, addressPrefixes: [10.0.128.0/17] }\n"
	  "virtualNetworkPeerings:\n" PEER("a2b", "a", "b", "") PEER("b2a", "b", "a", ""),
	  "t.yaml:5:5: error: VnetAddressSpacesOverlap: cannot create or update peering a2b: address space 10.0.0.0/16 of virtual network a overlaps address space 10.0.128.0/17 of remote virtual network b (R-B1)" },
	/* R-D1 */
	{ "R-D1 reserved ASN", BASE
	  "routeServers: [{ name: rs, virtualNetwork: hub, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 65517 }] }]\n",
	  "error: InvalidPeerAsn: BGP connection n of Route Server rs: ASN 65517 is reserved" },
	{ "R-D1 65515", BASE
	  "routeServers: [{ name: rs, virtualNetwork: hub, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 65515 }] }]\n",
	  "ASN 65515 is reserved" },
	{ "R-D1 12076", BASE
	  "routeServers: [{ name: rs, virtualNetwork: hub, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 12076 }] }]\n",
	  "ASN 12076 is reserved" },
	{ "R-D1 documentation range", BASE
	  "routeServers: [{ name: rs, virtualNetwork: hub, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 64500 }] }]\n",
	  "ASN 64500 is reserved" },
	{ "R-D1 good ASN", BASE
	  "routeServers: [{ name: rs, virtualNetwork: hub, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 65001 }] }]\n",
	  NULL },
	{ "R-D1 no RouteServerSubnet", BASE
	  "routeServers: [{ name: rs, virtualNetwork: spoke }]\n",
	  "RouteServerSubnetMissing: Route Server rs needs a subnet named RouteServerSubnet in virtual network spoke" },
	/* R-E4: Azure's limits on a health probe */
	{ "R-E4 probe interval", BASE "virtualMachines: [{ name: w, subnet: hub/default, privateIPAddress: 10.0.0.4 }]\n"
	  "loadBalancers: [{ name: lb, subnet: hub/default, frontendIPAddress: 10.0.0.10, backendPool: [w], probes: [{ name: p, protocol: Tcp, port: 80, intervalInSeconds: 4 }] }]\n",
	  "t.yaml:6:107: error: InvalidProbeInterval: probe p of load balancer lb: intervalInSeconds must be at least 5 (R-E4)" },
	{ "R-E4 probe count", BASE "virtualMachines: [{ name: w, subnet: hub/default, privateIPAddress: 10.0.0.4 }]\n"
	  "loadBalancers: [{ name: lb, subnet: hub/default, frontendIPAddress: 10.0.0.10, backendPool: [w], probes: [{ name: p, protocol: Tcp, port: 80, numberOfProbes: 0 }] }]\n",
	  "InvalidProbeCount: probe p of load balancer lb: numberOfProbes must be at least 1 (R-E4)" },
	{ "R-E4 probe port", BASE "virtualMachines: [{ name: w, subnet: hub/default, privateIPAddress: 10.0.0.4 }]\n"
	  "loadBalancers: [{ name: lb, subnet: hub/default, frontendIPAddress: 10.0.0.10, backendPool: [w], probes: [{ name: p, protocol: Tcp, port: 70000 }] }]\n",
	  "InvalidProbePort: probe p of load balancer lb: port 70000 is not 1-65535" },
	/* R-D2 */
	{ "R-D2 nine peers", BASE
	  "routeServers: [{ name: rs, virtualNetwork: hub, bgpConnections: [\n"
	  "  { name: a, peerIp: 10.0.0.11, peerAsn: 65001 }, { name: b, peerIp: 10.0.0.12, peerAsn: 65001 },\n"
	  "  { name: c, peerIp: 10.0.0.13, peerAsn: 65001 }, { name: d, peerIp: 10.0.0.14, peerAsn: 65001 },\n"
	  "  { name: e, peerIp: 10.0.0.15, peerAsn: 65001 }, { name: f, peerIp: 10.0.0.16, peerAsn: 65001 },\n"
	  "  { name: g, peerIp: 10.0.0.17, peerAsn: 65001 }, { name: h, peerIp: 10.0.0.18, peerAsn: 65001 },\n"
	  "  { name: i, peerIp: 10.0.0.19, peerAsn: 65001 } ] }]\n",
	  "t.yaml:10:3: error: MaxBgpConnectionsExceeded: Route Server rs has 9 BGP connections; at most 8 peers are supported (R-D2)" },
	/* R-A12 */
	{ "R-A12 route table on RouteServerSubnet",
	  "virtualNetworks:\n  - { name: hub, addressPrefixes: [10.0.0.0/16], subnets: [{ name: RouteServerSubnet, addressPrefix: 10.0.210.0/24, routeTable: rt }] }\n"
	  "routeTables: [{ name: rt }]\n",
	  "error: RouteServerSubnetCannotHaveRouteTable: subnet RouteServerSubnet of virtual network hub cannot be associated with route table rt (R-A12)" },
	{ "R-A12 reserved .3", BASE "virtualMachines: [{ name: vm, subnet: hub/default, privateIPAddress: 10.0.0.3 }]\n",
	  "t.yaml:5:19: error: PrivateIPAddressIsReserved: virtual machine vm: 10.0.0.3 is reserved in subnet default" },
	{ "R-A12 reserved last", BASE "virtualMachines: [{ name: vm, subnet: hub/default, privateIPAddress: 10.0.0.255 }]\n",
	  "10.0.0.255 is reserved" },
	{ "R-A12 first usable", BASE "virtualMachines: [{ name: vm, subnet: hub/default, privateIPAddress: 10.0.0.4 }]\n",
	  NULL },
	{ "VM outside its subnet", BASE "virtualMachines: [{ name: vm, subnet: hub/default, privateIPAddress: 10.0.1.4 }]\n",
	  "PrivateIPAddressNotInSubnet: virtual machine vm: 10.0.1.4 is not in subnet default (10.0.0.0/24)" },
	{ "VM in GatewaySubnet", BASE "virtualMachines: [{ name: vm, subnet: hub/GatewaySubnet, privateIPAddress: 10.0.200.4 }]\n",
	  "SubnetReservedForService: virtual machine vm cannot be placed in GatewaySubnet" },
	{ "subnet outside VNet",
	  "virtualNetworks:\n  - { name: v, addressPrefixes: [10.0.0.0/16], subnets: [{ name: s, addressPrefix: 10.1.0.0/24 }] }\n",
	  "t.yaml:2:58: error: NetcfgSubnetRangeOutsideVnet: subnet s (10.1.0.0/24) is not within the address space of virtual network v" },
	/* R-A10 */
	{ "R-A10 propagation off on GatewaySubnet",
	  "virtualNetworks:\n  - { name: hub, addressPrefixes: [10.0.0.0/16], subnets: [{ name: GatewaySubnet, addressPrefix: 10.0.200.0/24, routeTable: rt }] }\n"
	  "routeTables: [{ name: rt, disableBgpRoutePropagation: true }]\n",
	  "GatewaySubnetCannotDisableBgpRoutePropagation: route table rt has disableBgpRoutePropagation set and cannot be associated with GatewaySubnet of virtual network hub (R-A10)" },
	{ "R-A10 default route on GatewaySubnet",
	  "virtualNetworks:\n  - { name: hub, addressPrefixes: [10.0.0.0/16], subnets: [{ name: GatewaySubnet, addressPrefix: 10.0.200.0/24, routeTable: rt }] }\n"
	  "routeTables:\n  - name: rt\n    routes: [{ name: all, addressPrefix: 0.0.0.0/0, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.0.4 }]\n",
	  "t.yaml:5:14: error: RouteTableCannotHaveDefaultRouteOnGatewaySubnet: route all (0.0.0.0/0) in route table rt cannot apply to GatewaySubnet of virtual network hub (R-A10)" },
	/* R-A5 */
	{ "R-A5 appliance outside",
	  "virtualNetworks:\n  - { name: v, addressPrefixes: [10.0.0.0/16], subnets: [{ name: s, addressPrefix: 10.0.0.0/24, routeTable: rt }] }\n"
	  "routeTables:\n  - name: rt\n    routes: [{ name: x, addressPrefix: 10.9.0.0/16, nextHopType: VirtualAppliance, nextHopIpAddress: 10.5.0.4 }]\n",
	  "InvalidNextHopIpAddress: next hop 10.5.0.4 of route x (route table rt, used by v/s) is neither in virtual network v nor in a directly peered one (R-A5)" },
	{ "R-A5 appliance in a peer", BASE "routeTables:\n  - name: rt\n    routes: [{ name: x, addressPrefix: 10.9.0.0/16, nextHopType: VirtualAppliance, nextHopIpAddress: 10.10.0.4 }]\n"
	  "virtualNetworkPeerings:\n" PEER("h2s", "hub", "spoke", "") PEER("s2h", "spoke", "hub", "")
	  "virtualMachines: [{ name: vm, subnet: hub/default, privateIPAddress: 10.0.0.4 }]\n",
	  NULL },
	{ "R-A5 appliance without IP",
	  "virtualNetworks:\n  - { name: v, addressPrefixes: [10.0.0.0/16] }\n"
	  "routeTables:\n  - name: rt\n    routes: [{ name: x, addressPrefix: 10.9.0.0/16, nextHopType: VirtualAppliance }]\n",
	  "InvalidNextHopIpAddress: route x of route table rt has next hop type VirtualAppliance and no nextHopIpAddress (R-A5)" },
	{ "R-A5 ER gateway as next hop",
	  "virtualNetworks:\n  - { name: v, addressPrefixes: [10.0.0.0/16], subnets: [{ name: s, addressPrefix: 10.0.0.0/24, routeTable: rt }, { name: GatewaySubnet, addressPrefix: 10.0.200.0/24 }] }\n"
	  "routeTables:\n  - name: rt\n    routes: [{ name: x, addressPrefix: 10.9.0.0/16, nextHopType: VirtualNetworkGateway }]\n"
	  "expressRouteCircuits: [{ name: c1 }]\n"
	  "expressRouteGateways: [{ name: gw, virtualNetwork: v, connections: [{ name: a, circuit: c1 }] }]\n",
	  "VirtualNetworkGatewayNextHopNotAllowed: route x of route table rt names VirtualNetworkGateway, but the gateway of v is ExpressRoute gateway gw; only VPN gateways can be a next hop (R-A5)" },
	{ "gateway without GatewaySubnet",
	  "virtualNetworks:\n  - { name: v, addressPrefixes: [10.0.0.0/16] }\n"
	  "expressRouteCircuits: [{ name: c1 }]\n"
	  "expressRouteGateways: [{ name: gw, virtualNetwork: v, connections: [{ name: a, circuit: c1 }] }]\n",
	  "GatewaySubnetMissing: gateway gw needs a subnet named GatewaySubnet in virtual network v" },
	{ "NVA ASN differs from the connection", BASE
	  "routeServers: [{ name: rs, virtualNetwork: hub, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 65001 }] }]\n"
	  "virtualMachines: [{ name: nva, subnet: hub/default, privateIPAddress: 10.0.0.4, nva: { asn: 65002 } }]\n",
	  "BGP connection n expects ASN 65001, but nva runs ASN 65002" },
	{ "expect names an unknown VM", BASE "expect: [{ reach: { from: ghost, to: 10.0.0.4 } }]\n",
	  "expect: unknown sender \"ghost\"" },
};

static void test_rules(void **state)
{
	(void)state;
	size_t failed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct azlab_diag errs = AZLAB_DIAG_INIT, warns = AZLAB_DIAG_INIT;
		struct azlab_topo *t = azt_parse(cases[i].yaml, &errs);
		size_t n = t ? azlab_validate(t, &errs, &warns) : 0;
		bool found = cases[i].error == NULL ? t && n == 0 : false;
		for (size_t k = 0; cases[i].error && k < errs.n; k++)
			if (strstr(errs.msgs[k], cases[i].error))
				found = true;
		if (!found) {
			print_error("case %zu (%s): wanted %s%s%s; got:\n", i, cases[i].rule,
				    cases[i].error ? "\"" : "", cases[i].error ? cases[i].error : "no error",
				    cases[i].error ? "\"" : "");
			for (size_t k = 0; k < errs.n; k++)
				print_error("  %s\n", errs.msgs[k]);
		}
		if (!t || !found) /* these files parse; Azure's rules refuse them */
			failed++;
		azlab_topo_free(t);
		azlab_diag_free(&errs);
		azlab_diag_free(&warns);
	}
	assert_int_equal(failed, 0);
}

static void test_reserved_asns(void **state)
{
	(void)state;
	/* R-D1 */
	static const uint32_t reserved[] = { 8074, 8075, 12076, 65515, 65517, 65518, 65519, 65520,
					     23456, 64496, 64511, 65535, 65551 };
	static const uint32_t allowed[] = { 1, 65001, 65514, 65516, 64495, 64512, 65552, 4200000000u };
	for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
		assert_true(azlab_asn_reserved(reserved[i]));
	for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
		assert_false(azlab_asn_reserved(allowed[i]));
}

/* Files Azure accepts with a remark: one warning each, at its line. */
static void test_warnings(void **state)
{
	(void)state;
	static const struct vcase rows[] = {
		{ "R-A3 Initiated", BASE "virtualNetworkPeerings:\n" PEER("h2s", "hub", "spoke", ""),
		  "peering h2s is Initiated: spoke has no peering back to hub" },
		/* R-D9: no VPN gateway in the lab, so VpnGateway keeps ER first */
		{ "R-D9 VpnGateway", BASE "routeServers: [{ name: rs, virtualNetwork: hub, hubRoutingPreference: VpnGateway }]\n",
		  "t.yaml:5:16: warning: Route Server rs: hubRoutingPreference VpnGateway: the lab has no VPN gateway, so ExpressRoute routes are preferred as with ExpressRoute (R-D9)" },
		{ "R-D9 ASPath", BASE "routeServers: [{ name: rs, virtualNetwork: hub, hubRoutingPreference: ASPath }]\n",
		  NULL },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct azlab_diag errs = AZLAB_DIAG_INIT, warns = AZLAB_DIAG_INIT;
		struct azlab_topo *t = azt_parse(rows[i].yaml, &errs);
		assert_non_null(t);
		assert_int_equal(azlab_validate(t, &errs, &warns), 0);
		bool ok = rows[i].error ? warns.n == 1 && strstr(warns.msgs[0], rows[i].error) : warns.n == 0;
		if (!ok)
			print_error("%s: %zu warnings, first: %s\n", rows[i].rule, warns.n,
				    warns.n ? warns.msgs[0] : "none");
		assert_true(ok);
		azlab_topo_free(t);
		azlab_diag_free(&errs);
		azlab_diag_free(&warns);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_reserved_asns),
		cmocka_unit_test(test_warnings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

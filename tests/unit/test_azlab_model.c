/* test_azlab_model.c: the Azure rules of docs/azure-model.md in the model
 * (azlab/model.h), a table per rule id. NVA routes come in through the feed,
 * the interface the live back end uses too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "azlab_testutil.h"

enum { ANY = -1, DEF = AZLAB_SRC_DEFAULT, USR = AZLAB_SRC_USER, VNG = AZLAB_SRC_VNG };
enum { ACT = AZLAB_ACTIVE, INV = AZLAB_INVALID };

/* A hub with an ER gateway, a Route Server and two NVAs; a spoke; an
 * "on-premises" VNet on the same circuit. %s: the hub's default subnet's
 * route table line, the spoke peering's flags, gw-hub's
 * allowRemoteVnetTraffic, b2b, hubRoutingPreference, the site's CE software. */
static const char world_fmt[] =
	"virtualNetworks:\n"
	"  - name: hub\n"
	"    addressPrefixes: [10.0.0.0/16]\n"
	"    subnets:\n"
	"      - { name: default, addressPrefix: 10.0.0.0/24 %s }\n"
	"      - { name: vms, addressPrefix: 10.0.1.0/24 }\n"
	"      - { name: GatewaySubnet, addressPrefix: 10.0.200.0/24 }\n"
	"      - { name: RouteServerSubnet, addressPrefix: 10.0.210.0/24 }\n"
	"  - { name: spoke, addressPrefixes: [10.10.0.0/16], subnets: [{ name: default, addressPrefix: 10.10.0.0/24, routeTable: rt-spoke }] }\n"
	"  - { name: onprem, addressPrefixes: [10.100.0.0/16], subnets: [{ name: default, addressPrefix: 10.100.0.0/24 }, { name: GatewaySubnet, addressPrefix: 10.100.200.0/24 }] }\n"
	"routeTables:\n"
	"  - { name: rt-quiet, disableBgpRoutePropagation: true }\n"
	"  - name: rt-user\n"
	"    routes:\n"
	"      - { name: spoke-via-nva, addressPrefix: 10.10.0.0/16, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.0.4 }\n"
	"      - { name: drop-onprem, addressPrefix: 10.100.0.0/16, nextHopType: None }\n"
	"      - { name: own-range, addressPrefix: 10.0.1.0/24, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.0.5 }\n"
	"  - name: rt-spoke\n"
	"    routes: [{ name: to-onprem, addressPrefix: 10.100.0.0/16, nextHopType: VirtualAppliance, nextHopIpAddress: 10.0.0.4 }]\n"
	"virtualNetworkPeerings:\n"
	"  - { name: h2s, virtualNetwork: hub, remoteVirtualNetwork: spoke, allowGatewayTransit: true, allowForwardedTraffic: true }\n"
	"  - { name: s2h, virtualNetwork: spoke, remoteVirtualNetwork: hub %s }\n"
	"expressRouteCircuits: [{ name: c1 }]\n"
	"expressRouteGateways:\n"
	"  - { name: gw-hub, virtualNetwork: hub, allowRemoteVnetTraffic: %s, connections: [{ name: a, circuit: c1 }] }\n"
	"  - { name: gw-onprem, virtualNetwork: onprem, allowRemoteVnetTraffic: true, connections: [{ name: b, circuit: c1 }] }\n"
	"routeServers:\n"
	"  - name: rs\n"
	"    virtualNetwork: hub\n"
	"    allowBranchToBranchTraffic: %s\n"
	"    hubRoutingPreference: %s\n"
	"    bgpConnections: [{ name: n1, peerIp: 10.0.0.4, peerAsn: 65001 }, { name: n2, peerIp: 10.0.0.5, peerAsn: 65002 }]\n"
	"sites:\n"
	"  - { name: dc, circuit: c1, asn: 65100, routerIp: 192.168.0.1%s, prefixes: [192.168.0.0/16], hosts: [{ name: pc, ip: 192.168.1.10 }] }\n"
	"virtualMachines:\n"
	"  - { name: nva1, subnet: hub/default, privateIPAddress: 10.0.0.4, enableIPForwarding: true, nva: { asn: 65001, routes: [{ addressPrefix: 10.10.0.0/16, nextHop: 10.0.0.1 }] } }\n"
	"  - { name: nva2, subnet: hub/default, privateIPAddress: 10.0.0.5, enableIPForwarding: true, nva: { asn: 65002 } }\n"
	"  - { name: vm-hub, subnet: hub/vms, privateIPAddress: 10.0.1.4 }\n"
	"  - { name: vm-spoke, subnet: spoke/default, privateIPAddress: 10.10.0.4 }\n"
	"  - { name: vm-onprem, subnet: onprem/default, privateIPAddress: 10.100.0.4 }\n";

struct knobs {
	const char *hub_rt;     /* ", routeTable: rt-quiet" */
	const char *spoke_peer; /* ", useRemoteGateways: true" */
	const char *allow_remote, *b2b, *pref;
	const char *site_ce; /* ", software: nvad, config: ce.conf" */
};

static void open_world(struct world *w, const struct knobs *k)
{
	char yaml[sizeof world_fmt + 320];
	snprintf(yaml, sizeof yaml, world_fmt, k->hub_rt ? k->hub_rt : "",
		 k->spoke_peer ? k->spoke_peer : ", allowForwardedTraffic: true",
		 k->allow_remote ? k->allow_remote : "true", k->b2b ? k->b2b : "true",
		 k->pref ? k->pref : "ExpressRoute", k->site_ce ? k->site_ce : "");
	world_open(w, yaml);
}

struct rcase {
	const char *at, *prefix;
	int source, state; /* state -2: no such route */
	int nh_type;       /* -1: any */
	const char *nh_ip; /* NULL: any */
};

static void check_routes(const struct world *w, const struct rcase *c, size_t n, const char *rule)
{
	for (size_t i = 0; i < n; i++) {
		const struct azlab_eff_route *r = world_route(w, c[i].at, c[i].prefix, c[i].source);
		bool ok = c[i].state == -2 ? r == NULL :
			  r && (int)r->state == c[i].state &&
				  (c[i].nh_type < 0 || (int)r->nh_type == c[i].nh_type);
		if (ok && c[i].nh_ip && r) {
			uint32_t ip;
			assert_true(azlab_ip_parse(c[i].nh_ip, &ip));
			ok = r->n_nh > 0 && r->nh_ips[0] == ip;
		}
		if (!ok)
			print_error("%s row %zu: %s %s source %d: got %s %s\n", rule, i, c[i].at,
				    c[i].prefix, c[i].source, r ? azlab_rstate_name(r->state) : "nothing",
				    r ? azlab_nh_type_name(r->nh_type) : "");
		assert_true(ok);
	}
}

/* R-A1, R-A2, R-A3 */
static void test_system_routes(void **state)
{
	(void)state;
	struct world w;
	open_world(&w, &(struct knobs){ 0 });
	world_build(&w);
	static const struct rcase rows[] = {
		{ "vm-hub", "10.0.0.0/16", DEF, ACT, AZLAB_NH_VNET_LOCAL, NULL },       /* R-A1 */
		{ "vm-hub", "0.0.0.0/0", DEF, ACT, AZLAB_NH_INTERNET, NULL },           /* R-A1 */
		{ "vm-hub", "10.0.0.0/8", DEF, ACT, AZLAB_NH_NONE, NULL },              /* R-A2: inside */
		{ "vm-hub", "172.16.0.0/12", DEF, ACT, AZLAB_NH_NONE, NULL },
		{ "vm-hub", "192.168.0.0/16", DEF, INV, AZLAB_NH_NONE, NULL },          /* R-A7: BGP from the site */
		{ "vm-hub", "100.64.0.0/10", DEF, ACT, AZLAB_NH_NONE, NULL },
		{ "vm-hub", "10.10.0.0/16", DEF, ACT, AZLAB_NH_VNET_PEERING, NULL },    /* R-A3 */
		{ "vm-spoke", "10.0.0.0/16", DEF, ACT, AZLAB_NH_VNET_PEERING, NULL },   /* R-A3 */
		{ "vm-onprem", "10.10.0.0/16", ANY, -2, -1, NULL },                     /* not transitive */
	};
	check_routes(&w, rows, sizeof rows / sizeof *rows, "R-A1..A3");
	world_close(&w);

	/* R-A2: a VNet range equal to a reserved one replaces the None route */
	world_open(&w, "virtualNetworks: [{ name: big, addressPrefixes: [10.0.0.0/8], subnets: [{ name: s, addressPrefix: 10.1.0.0/24 }] }]\n");
	world_build(&w);
	static const struct rcase eq[] = {
		{ "big/s", "10.0.0.0/8", DEF, ACT, AZLAB_NH_VNET_LOCAL, NULL },
	};
	check_routes(&w, eq, 1, "R-A2");
	int v, s;
	const struct azlab_eff_table *tb = azlab_expect_table(w.m, "big/s", &v, &s);
	for (size_t i = 0; i < tb->n; i++)
		assert_false(tb->v[i].prefix.len == 8 && tb->v[i].nh_type == AZLAB_NH_NONE);
	world_close(&w);
}

/* R-A3: an Initiated peering (one side) adds nothing */
static void test_initiated_peering(void **state)
{
	(void)state;
	struct world w;
	world_open(&w, "virtualNetworks:\n"
		       "  - { name: a, addressPrefixes: [10.1.0.0/16], subnets: [{ name: s, addressPrefix: 10.1.0.0/24 }] }\n"
		       "  - { name: b, addressPrefixes: [10.2.0.0/16], subnets: [{ name: s, addressPrefix: 10.2.0.0/24 }] }\n"
		       "virtualNetworkPeerings: [{ name: a2b, virtualNetwork: a, remoteVirtualNetwork: b }]\n");
	world_build(&w);
	static const struct rcase rows[] = { { "a/s", "10.2.0.0/16", ANY, -2, -1, NULL } };
	check_routes(&w, rows, 1, "R-A3");
	world_close(&w);
}

/* R-A4, R-B5, R-C2, R-C3: gateway routes and MSEE AS-path rewriting */
static void test_gateway_routes_and_msee(void **state)
{
	(void)state;
	struct world w;
	open_world(&w, &(struct knobs){ .spoke_peer = ", useRemoteGateways: true" });
	world_adv(&w, "nva1", "rs", "10.50.0.0/16", "65001", false);
	world_build(&w);
	static const struct rcase rows[] = {
		{ "vm-hub", "10.100.0.0/16", VNG, ACT, AZLAB_NH_VIRTUAL_NETWORK_GATEWAY, "10.0.200.4" },   /* R-A4 */
		{ "vm-spoke", "10.100.0.0/16", VNG, INV, AZLAB_NH_VIRTUAL_NETWORK_GATEWAY, NULL },         /* R-B5, beaten by the UDR */
		{ "vm-spoke", "10.100.0.0/16", USR, ACT, AZLAB_NH_VIRTUAL_APPLIANCE, "10.0.0.4" },
		{ "vm-spoke", "192.168.0.0/16", VNG, ACT, -1, NULL },                                       /* R-B5 */
		{ "vm-spoke", "10.50.0.0/16", VNG, ACT, -1, "10.0.0.4" },                                   /* R-B5: the RS's NVA routes */
		{ "vm-onprem", "10.10.0.0/16", VNG, ACT, -1, "10.100.200.4" },                              /* R-C2: spoke advertised */
		{ "vm-onprem", "10.50.0.0/16", VNG, ACT, -1, NULL },                                        /* R-C2: b2b */
	};
	check_routes(&w, rows, sizeof rows / sizeof *rows, "R-A4/R-B5/R-C2");

	char ab[128];
	const struct azlab_rlist *l = azlab_model_gateway_learned(w.m, 1); /* gw-onprem */
	bool hub = false, nva = false;
	for (size_t i = 0; i < l->n; i++) {
		azlab_aspath_fmt(l->v[i].as_path, l->v[i].n_as, ab, sizeof ab);
		if (l->v[i].prefix.addr == 0x0a000000u) {
			assert_string_equal(ab, "12076 12076"); /* R-C3: 65515 -> 12076, 12076 prepended */
			hub = true;
		}
		if (l->v[i].prefix.addr == 0x0a320000u) {
			assert_string_equal(ab, "12076 12076 65001");
			nva = true;
		}
	}
	assert_true(hub && nva);
	/* toward on-premises: private ASNs stripped, 12076 prepended (R-C3) */
	l = azlab_model_site_learned(w.m, 0);
	assert_true(l->n > 0);
	for (size_t i = 0; i < l->n; i++) {
		azlab_aspath_fmt(l->v[i].as_path, l->v[i].n_as, ab, sizeof ab);
		assert_string_equal(ab, "12076");
	}
	/* the site's routes reach the VNets as 12076 65100 */
	l = azlab_model_gateway_learned(w.m, 0);
	bool site = false;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].prefix.addr == 0xc0a80000u) {
			azlab_aspath_fmt(l->v[i].as_path, l->v[i].n_as, ab, sizeof ab);
			assert_string_equal(ab, "12076 65100");
			site = true;
		}
	assert_true(site);
	world_close(&w);
}

/* The AS paths of prefix in l, "A B|C D", "" when none. */
static void paths_in(const struct azlab_rlist *l, const char *prefix, int instance, char *out,
		     size_t cap)
{
	struct azlab_pfx p;
	char ab[128];
	assert_true(azlab_pfx_parse(prefix, &p));
	out[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		if (!azlab_pfx_eq(l->v[i].prefix, p) || (instance >= 0 && l->v[i].instance != instance))
			continue;
		azlab_aspath_fmt(l->v[i].as_path, l->v[i].n_as, ab, sizeof ab);
		size_t used = strlen(out);
		snprintf(out + used, cap - used, "%s%s", used ? "|" : "", ab);
	}
}

enum { L_GW_HUB_IN, L_GW_ONPREM_IN, L_GW_HUB_OUT, L_RS_TO_N1, L_SITE, L_MSEE };

static const struct azlab_rlist *list_of(const struct world *w, int which)
{
	switch (which) {
	case L_GW_HUB_IN: return azlab_model_gateway_learned(w->m, 0);
	case L_GW_ONPREM_IN: return azlab_model_gateway_learned(w->m, 1);
	case L_GW_HUB_OUT: return azlab_model_gateway_advertised(w->m, 0);
	case L_RS_TO_N1: return azlab_model_rs_advertised(w->m, 0, 0);
	case L_SITE: return azlab_model_site_learned(w->m, 0);
	default: return azlab_model_msee(w->m, 0);
	}
}

/* R-C3 (and R-C1, R-C4, R-D4, R-A4): routes fed by a site's CE router over
 * its session with the MSEE, and what the MSEE makes of every path: toward a
 * gateway 65515 becomes 12076 and 12076 is prepended; toward the site
 * private ASNs are stripped and 12076 is prepended. */
static void test_site_ce_routes_and_msee_rewrite(void **state)
{
	(void)state;
	struct world w;
	open_world(&w, &(struct knobs){ .site_ce = ", software: nvad, config: ce.conf" });
	world_site_adv(&w, "dc", "192.168.0.0/16", "65100");
	world_site_adv(&w, "dc", "172.20.0.0/16", "65100 65100 65100"); /* prepended by the CE */
	world_site_adv(&w, "dc", "172.21.0.0/16", "65100 3356");       /* a public AS behind it */
	world_site_adv(&w, "dc", "172.22.0.0/16", "65100 65515");      /* 65515 behind the CE */
	world_adv(&w, "nva1", "rs", "10.50.0.0/16", "65001", false);
	world_adv(&w, "nva1", "rs", "10.51.0.0/16", "65001 3356", false);
	world_build(&w);
	static const struct {
		int list;
		const char *prefix, *paths, *rule;
	} rows[] = {
		/* the CE's routes as the MSEE holds them (the feed) */
		{ L_MSEE, "192.168.0.0/16", "65100", "R-C3: as the CE sent it" },
		{ L_MSEE, "172.22.0.0/16", "65100 65515", "R-C3" },
		/* toward a gateway: 12076 prepended */
		{ L_GW_HUB_IN, "192.168.0.0/16", "12076 65100", "R-C3" },
		{ L_GW_HUB_IN, "172.20.0.0/16", "12076 65100 65100 65100", "R-C3" },
		{ L_GW_HUB_IN, "172.21.0.0/16", "12076 65100 3356", "R-C3" },
		/* every 65515 becomes 12076, so R-C4 never drops what a circuit brings */
		{ L_GW_HUB_IN, "172.22.0.0/16", "12076 65100 12076", "R-C3, R-C4" },
		{ L_GW_ONPREM_IN, "192.168.0.0/16", "12076 65100", "R-C3: every gateway on the circuit" },
		/* a VNet range through the circuit: 65515 -> 12076, then 12076 */
		{ L_GW_ONPREM_IN, "10.0.0.0/16", "12076 12076", "R-C3" },
		{ L_GW_HUB_IN, "10.100.0.0/16", "12076 12076", "R-C3" },
		{ L_GW_ONPREM_IN, "10.50.0.0/16", "12076 12076 65001", "R-C3, R-C2 b2b" },
		{ L_GW_HUB_IN, "10.0.0.0/16", "", "not back to where it came from" },
		/* what the hub's gateway sends the MSEE */
		{ L_GW_HUB_OUT, "10.0.0.0/16", "65515", "R-C2" },
		{ L_GW_HUB_OUT, "10.50.0.0/16", "65515 65001", "R-C2, R-D5" },
		/* an NVA behind the Route Server sees ER routes with 65515 first */
		{ L_RS_TO_N1, "10.100.0.0/16", "65515 12076 12076", "R-C3, R-D4" },
		{ L_RS_TO_N1, "192.168.0.0/16", "65515 12076 65100", "R-C3, R-D4" },
		{ L_RS_TO_N1, "172.22.0.0/16", "65515 12076 65100 12076", "R-C3, R-D7" },
		/* toward the site: private ASNs stripped, 12076 prepended */
		{ L_SITE, "10.0.0.0/16", "12076", "R-C3" },
		{ L_SITE, "10.100.0.0/16", "12076", "R-C3" },
		{ L_SITE, "10.50.0.0/16", "12076", "R-C3: 65515 and 65001 stripped" },
		{ L_SITE, "10.51.0.0/16", "12076 3356", "R-C3: a public AS stays" },
		{ L_SITE, "192.168.0.0/16", "", "no site-to-site without Global Reach" },
	};
	char got[256];
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		paths_in(list_of(&w, rows[i].list), rows[i].prefix, rows[i].list == L_RS_TO_N1 ? 0 : -1,
			 got, sizeof got);
		if (strcmp(got, rows[i].paths))
			print_error("row %zu (%s): %s: got \"%s\", want \"%s\"\n", i, rows[i].rule,
				    rows[i].prefix, got, rows[i].paths);
		assert_string_equal(got, rows[i].paths);
	}
	/* R-A4: the CE's routes in the VNets' effective routes, next hop the gateway */
	static const struct rcase eff[] = {
		{ "vm-hub", "192.168.0.0/16", VNG, ACT, AZLAB_NH_VIRTUAL_NETWORK_GATEWAY, "10.0.200.4" },
		{ "vm-hub", "172.20.0.0/16", VNG, ACT, AZLAB_NH_VIRTUAL_NETWORK_GATEWAY, "10.0.200.4" },
		{ "vm-hub", "172.22.0.0/16", VNG, ACT, AZLAB_NH_VIRTUAL_NETWORK_GATEWAY, "10.0.200.4" },
		{ "vm-onprem", "192.168.0.0/16", VNG, ACT, AZLAB_NH_VIRTUAL_NETWORK_GATEWAY, "10.100.200.4" },
	};
	check_routes(&w, eff, sizeof eff / sizeof *eff, "R-A4/R-C3");
	world_close(&w);
}

/* R-C6: without allowRemoteVnetTraffic no VNet routes over the circuit */
static void test_allow_remote_vnet_traffic(void **state)
{
	(void)state;
	struct world w;
	open_world(&w, &(struct knobs){ .allow_remote = "false" });
	world_build(&w);
	static const struct rcase rows[] = {
		{ "vm-hub", "10.100.0.0/16", VNG, -2, -1, NULL },
		{ "vm-onprem", "10.0.0.0/16", VNG, -2, -1, NULL },
		{ "vm-hub", "192.168.0.0/16", VNG, ACT, -1, NULL }, /* a site is not a VNet */
	};
	check_routes(&w, rows, sizeof rows / sizeof *rows, "R-C6");
	struct azlab_reach r;
	assert_false(world_reach(&w, "vm-onprem", "vm-hub", &r));
	assert_non_null(strstr(r.reason, "10.0.0.0/8 None"));
	assert_true(world_reach(&w, "pc", "vm-hub", &r));
	world_close(&w);
}

/* R-C5: one gateway on two circuits passes nothing from one to the other */
static void test_no_transit_between_circuits(void **state)
{
	(void)state;
	struct world w;
	world_open(&w, "virtualNetworks: [{ name: hub, addressPrefixes: [10.0.0.0/16], subnets: [{ name: GatewaySubnet, addressPrefix: 10.0.200.0/24 }] }]\n"
		       "expressRouteCircuits: [{ name: c1 }, { name: c2 }]\n"
		       "expressRouteGateways: [{ name: gw, virtualNetwork: hub, connections: [{ name: a, circuit: c1 }, { name: b, circuit: c2 }] }]\n"
		       "sites:\n"
		       "  - { name: s1, circuit: c1, asn: 65101, prefixes: [192.168.1.0/24] }\n"
		       "  - { name: s2, circuit: c2, asn: 65102, prefixes: [192.168.2.0/24] }\n");
	world_build(&w);
	const struct azlab_rlist *l = azlab_model_site_learned(w.m, 0);
	for (size_t i = 0; i < l->n; i++)
		assert_int_not_equal(l->v[i].prefix.addr, 0xc0a80200u);
	assert_int_equal(l->n, 1); /* the hub's range only */
	world_close(&w);
}

/* R-A7: selection for one prefix; R-A8: the exception */
static void test_selection(void **state)
{
	(void)state;
	struct world w;
	open_world(&w, &(struct knobs){ 0 });
	world_adv(&w, "nva1", "rs", "10.0.1.128/25", "65001", false); /* inside the VNet: R-D6 */
	world_adv(&w, "nva1", "rs", "10.10.1.0/24", "65001", false);  /* inside the peered range */
	world_adv(&w, "nva1", "rs", "10.0.0.0/8", "65001", false);    /* equal to a None route */
	world_build(&w);
	static const struct rcase rows[] = {
		/* R-A7: BGP beats System for the same prefix */
		{ "vm-hub", "10.0.0.0/8", VNG, ACT, AZLAB_NH_VIRTUAL_NETWORK_GATEWAY, "10.0.0.4" },
		{ "vm-hub", "10.0.0.0/8", DEF, INV, AZLAB_NH_NONE, NULL },
		/* R-A8: more specific BGP inside a peered range loses to the peering */
		{ "vm-hub", "10.10.1.0/24", VNG, INV, -1, NULL },
		/* R-D6: inside the VNet's own range, not programmed at all */
		{ "vm-hub", "10.0.1.128/25", VNG, -2, -1, NULL },
	};
	check_routes(&w, rows, sizeof rows / sizeof *rows, "R-A7/R-A8");
	/* the lookup agrees: 10.10.1.9 goes over the peering */
	const struct azlab_eff_route *r = azlab_model_lookup(w.m, 0, 1, 0x0a0a0109u);
	assert_non_null(r);
	assert_int_equal(r->nh_type, AZLAB_NH_VNET_PEERING);
	world_close(&w);

	/* R-A7 with User routes: User beats System and BGP; R-A8: only a UDR overrides */
	open_world(&w, &(struct knobs){ .hub_rt = ", routeTable: rt-user" });
	world_build(&w);
	static const struct rcase user[] = {
		{ "nva1", "10.10.0.0/16", USR, ACT, AZLAB_NH_VIRTUAL_APPLIANCE, "10.0.0.4" },
		{ "nva1", "10.10.0.0/16", DEF, INV, AZLAB_NH_VNET_PEERING, NULL },
		{ "nva1", "10.100.0.0/16", USR, ACT, AZLAB_NH_NONE, NULL },
		{ "nva1", "10.100.0.0/16", VNG, INV, -1, NULL },
		{ "nva1", "10.0.1.0/24", USR, ACT, AZLAB_NH_VIRTUAL_APPLIANCE, "10.0.0.5" },
	};
	check_routes(&w, user, sizeof user / sizeof *user, "R-A7 User");
	struct azlab_nexthop nh;
	assert_true(azlab_model_nexthop(w.m, azlab_topo_vm(w.t, "nva1"), 0x0a0a0004u, &nh));
	assert_int_equal(nh.type, AZLAB_NH_VIRTUAL_APPLIANCE);
	assert_string_equal(nh.route_table_id, "rt-user");
	assert_true(azlab_model_nexthop(w.m, azlab_topo_vm(w.t, "vm-hub"), 0x0a0a0004u, &nh));
	assert_string_equal(nh.route_table_id, "System Route");
	world_close(&w);
}

/* The propagation flags: R-A10 disableBgpRoutePropagation on a subnet's
 * table, R-B5/R-A4 useRemoteGateways on the spoke's peering (with
 * allowGatewayTransit on the hub's), R-B2 allowVirtualNetworkAccess. */
static void test_propagation_flags(void **state)
{
	(void)state;
	static const struct {
		const char *hub_rt, *spoke_peer;
		const char *at, *prefix;
		int source, state; /* state -2: no such route */
		const char *rule;
	} rows[] = {
		{ NULL, ", useRemoteGateways: true", "vm-spoke", "192.168.0.0/16", VNG, ACT, "R-B5: gateway routes" },
		{ NULL, ", useRemoteGateways: true", "vm-spoke", "10.50.0.0/16", VNG, ACT, "R-B5: Route Server routes" },
		{ NULL, ", useRemoteGateways: false", "vm-spoke", "192.168.0.0/16", VNG, -2, "R-B5: without it none" },
		{ NULL, ", useRemoteGateways: false", "vm-spoke", "10.50.0.0/16", VNG, -2, "R-B5" },
		{ NULL, ", useRemoteGateways: false", "vm-spoke", "10.0.0.0/16", DEF, ACT, "R-A3: the peering still" },
		{ NULL, ", useRemoteGateways: true", "vm-onprem", "10.10.0.0/16", VNG, ACT, "R-C2: the spoke advertised" },
		{ NULL, ", useRemoteGateways: false", "vm-onprem", "10.10.0.0/16", VNG, -2, "R-C2" },
		{ ", routeTable: rt-quiet", ", useRemoteGateways: true", "nva1", "192.168.0.0/16", VNG, -2, "R-A10" },
		{ ", routeTable: rt-quiet", ", useRemoteGateways: true", "nva1", "10.10.0.0/16", DEF, ACT, "R-A10: system routes stay" },
		{ ", routeTable: rt-quiet", ", useRemoteGateways: true", "vm-spoke", "192.168.0.0/16", VNG, ACT, "R-A10: per subnet" },
		{ NULL, ", allowVirtualNetworkAccess: false", "vm-spoke", "10.0.0.0/16", DEF, ACT, "R-A3: the route stays, R-B2 drops" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct world w;
		open_world(&w, &(struct knobs){ .hub_rt = rows[i].hub_rt, .spoke_peer = rows[i].spoke_peer });
		world_adv(&w, "nva1", "rs", "10.50.0.0/16", "65001", false);
		world_build(&w);
		const struct azlab_eff_route *r = world_route(&w, rows[i].at, rows[i].prefix, rows[i].source);
		bool ok = rows[i].state == -2 ? r == NULL : r && (int)r->state == rows[i].state;
		if (!ok)
			print_error("row %zu (%s): %s %s: got %s\n", i, rows[i].rule, rows[i].at,
				    rows[i].prefix, r ? azlab_rstate_name(r->state) : "nothing");
		assert_true(ok);
		world_close(&w);
	}
}

/* R-A10: propagation off keeps gateway and Route Server routes out */
static void test_propagation(void **state)
{
	(void)state;
	struct world w;
	open_world(&w, &(struct knobs){ .hub_rt = ", routeTable: rt-quiet" });
	world_adv(&w, "nva1", "rs", "10.50.0.0/16", "65001", false);
	world_build(&w);
	static const struct rcase rows[] = {
		{ "nva1", "10.100.0.0/16", VNG, -2, -1, NULL },
		{ "nva1", "10.50.0.0/16", VNG, -2, -1, NULL },
		{ "vm-hub", "10.100.0.0/16", VNG, ACT, -1, NULL },
		{ "vm-hub", "10.50.0.0/16", VNG, ACT, -1, "10.0.0.4" },
	};
	check_routes(&w, rows, sizeof rows / sizeof *rows, "R-A10");
	world_close(&w);
}

/* R-D4: what the Route Server sends to an NVA */
static void test_route_server_advertises(void **state)
{
	(void)state;
	struct world w;
	char ab[128];
	for (int b2b = 0; b2b < 2; b2b++) {
		open_world(&w, &(struct knobs){ .b2b = b2b ? "true" : "false" });
		world_adv(&w, "nva2", "rs", "10.60.0.0/16", "65002", false);
		world_adv(&w, "nva2", "rs", "10.61.0.0/16", "65002", true); /* R-D8 */
		world_build(&w);
		const struct azlab_rlist *l = azlab_model_rs_advertised(w.m, 0, 0); /* to nva1 */
		bool vnet = false, other = false, er = false, noadv = false;
		for (size_t i = 0; i < l->n; i++) {
			azlab_aspath_fmt(l->v[i].as_path, l->v[i].n_as, ab, sizeof ab);
			uint32_t a = l->v[i].prefix.addr;
			assert_true(l->v[i].next_hop == 0x0a00d204u || l->v[i].next_hop == 0x0a00d205u);
			if (a == 0x0a000000u && !strcmp(ab, "65515"))
				vnet = true;
			if (a == 0x0a3c0000u && !strcmp(ab, "65515 65002"))
				other = true;
			if (a == 0x0a640000u && !strcmp(ab, "65515 12076 12076"))
				er = true;
			if (a == 0x0a3d0000u)
				noadv = true;
		}
		assert_true(vnet && other && !noadv);
		assert_int_equal(er, b2b); /* only with branch-to-branch */
		/* R-D8: NO_ADVERTISE is programmed into the VNet nonetheless */
		static const struct rcase rows[] = { { "vm-hub", "10.61.0.0/16", VNG, ACT, -1, "10.0.0.5" } };
		check_routes(&w, rows, 1, "R-D8");
		/* R-D5: with b2b the gateway gets NVA routes (not NO_ADVERTISE) */
		const struct azlab_rlist *g = azlab_model_gateway_advertised(w.m, 0);
		bool sixty = false;
		for (size_t i = 0; i < g->n; i++) {
			assert_int_not_equal(g->v[i].prefix.addr, 0x0a3d0000u);
			if (g->v[i].prefix.addr == 0x0a3c0000u)
				sixty = true;
		}
		assert_int_equal(sixty, b2b);
		world_close(&w);
	}
}

/* R-D5 ECMP and prepending, R-D7 65515 dropped, R-D2 more than 1000 routes */
static void test_route_server_accepts(void **state)
{
	(void)state;
	struct world w;
	open_world(&w, &(struct knobs){ 0 });
	world_adv(&w, "nva1", "rs", "10.70.0.0/16", "65001", false);
	world_adv(&w, "nva2", "rs", "10.70.0.0/16", "65002", false);
	world_adv(&w, "nva1", "rs", "10.71.0.0/16", "65001", false);
	world_adv(&w, "nva2", "rs", "10.71.0.0/16", "65002 65002", false);
	world_adv(&w, "nva1", "rs", "10.72.0.0/16", "65001 65515", false);
	world_build(&w);
	const struct azlab_eff_route *r = world_route(&w, "vm-hub", "10.70.0.0/16", VNG);
	assert_non_null(r);
	assert_int_equal(r->n_nh, 2); /* ECMP over both NVAs */
	r = world_route(&w, "vm-hub", "10.71.0.0/16", VNG);
	assert_non_null(r);
	assert_int_equal(r->n_nh, 1); /* the prepended path loses */
	assert_int_equal(r->nh_ips[0], 0x0a000004u);
	assert_null(world_route(&w, "vm-hub", "10.72.0.0/16", VNG)); /* R-D7 */
	const struct azlab_diag *notes = azlab_model_notes(w.m);
	bool noted = false;
	for (size_t i = 0; i < notes->n; i++)
		if (strstr(notes->msgs[i], "R-D7: Route Server rs drops 10.72.0.0/16 from n1"))
			noted = true;
	assert_true(noted);
	world_close(&w);

	/* R-D2: at most 1000 routes per peer; one more resets that session
	 * (none of its routes is used), the other peers are not affected */
	static const struct {
		int n_routes;
		bool programmed, reset;
	} limits[] = { { 1, true, false }, { 1000, true, false }, { 1001, false, true } };
	for (size_t k = 0; k < sizeof limits / sizeof *limits; k++) {
		open_world(&w, &(struct knobs){ 0 });
		char p[32];
		for (int i = 0; i < limits[k].n_routes; i++) {
			snprintf(p, sizeof p, "172.%d.%d.0/24", 16 + i / 256, i % 256);
			world_adv(&w, "nva1", "rs", p, "65001", false);
		}
		world_adv(&w, "nva2", "rs", "10.80.0.0/16", "65002", false);
		world_build(&w);
		bool reset = false;
		notes = azlab_model_notes(w.m);
		for (size_t i = 0; i < notes->n; i++)
			reset |= strstr(notes->msgs[i], "R-D2: n1 sends") != NULL;
		if ((world_route(&w, "vm-hub", "172.16.0.0/24", VNG) != NULL) != limits[k].programmed ||
		    reset != limits[k].reset)
			print_error("R-D2 row %zu: %d routes\n", k, limits[k].n_routes);
		assert_int_equal(world_route(&w, "vm-hub", "172.16.0.0/24", VNG) != NULL,
				 limits[k].programmed);
		assert_int_equal(reset, limits[k].reset);
		assert_non_null(world_route(&w, "vm-hub", "10.80.0.0/16", VNG));
		world_close(&w);
	}
}

/* R-D5, R-D4: two NVAs sending one prefix; the Route Server sends one path
 * per prefix and instance: each NVA the other's, never its own; with
 * branch-to-branch the gateway gets one path too, the better one (shorter,
 * then the lower NVA address), and the site behind the circuit one. */
static void test_route_server_one_path_per_prefix(void **state)
{
	(void)state;
	struct world w;
	open_world(&w, &(struct knobs){ 0 });
	world_adv(&w, "nva1", "rs", "10.70.0.0/16", "65001", false);
	world_adv(&w, "nva2", "rs", "10.70.0.0/16", "65002", false);
	world_adv(&w, "nva1", "rs", "10.71.0.0/16", "65001 65001 65001", false);
	world_adv(&w, "nva2", "rs", "10.71.0.0/16", "65002", false);
	world_build(&w);
	static const struct {
		int list; /* 0, 1: to connection n1, n2; 2: gateway gw-hub to the MSEE; 3: to site dc */
		const char *prefix, *paths;
	} rows[] = {
		{ 0, "10.70.0.0/16", "65515 65002" },             /* R-D4: not back to n1 */
		{ 1, "10.70.0.0/16", "65515 65001" },
		{ 0, "10.71.0.0/16", "65515 65002" },
		{ 1, "10.71.0.0/16", "65515 65001 65001 65001" }, /* the only other path */
		{ 2, "10.70.0.0/16", "65515 65001" },             /* tie: the lower address */
		{ 2, "10.71.0.0/16", "65515 65002" },             /* R-D5: the prepended path loses */
		{ 3, "10.70.0.0/16", "12076" },                   /* R-C3: one path to the site */
		{ 3, "10.71.0.0/16", "12076" },
	};
	char got[256];
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		const struct azlab_rlist *l =
			rows[i].list < 2 ? azlab_model_rs_advertised(w.m, 0, rows[i].list) :
			rows[i].list == 2 ? azlab_model_gateway_advertised(w.m, 0) :
					    azlab_model_site_learned(w.m, 0);
		paths_in(l, rows[i].prefix, rows[i].list < 2 ? 0 : -1, got, sizeof got);
		if (strcmp(got, rows[i].paths))
			print_error("R-D5 row %zu: %s: got \"%s\", want \"%s\"\n", i, rows[i].prefix,
				    got, rows[i].paths);
		assert_string_equal(got, rows[i].paths);
	}
	world_close(&w);
}

/* R-D6: not equal to or longer than the VNet's ranges; supernets are fine */
static void test_route_server_injection_limits(void **state)
{
	(void)state;
	struct world w;
	open_world(&w, &(struct knobs){ 0 });
	world_adv(&w, "nva1", "rs", "10.0.0.0/16", "65001", false);
	world_adv(&w, "nva1", "rs", "10.0.5.0/24", "65001", false);
	world_adv(&w, "nva1", "rs", "10.0.0.0/15", "65001", false);
	world_build(&w);
	static const struct rcase rows[] = {
		{ "vm-hub", "10.0.0.0/16", VNG, -2, -1, NULL },
		{ "vm-hub", "10.0.5.0/24", VNG, -2, -1, NULL },
		{ "vm-hub", "10.0.0.0/15", VNG, ACT, -1, "10.0.0.4" },
	};
	check_routes(&w, rows, sizeof rows / sizeof *rows, "R-D6");
	world_close(&w);
}

/* R-D9: ER against NVA for one prefix, and hubRoutingPreference ASPath */
static void test_hub_routing_preference(void **state)
{
	(void)state;
	struct world w;
	static const struct rcase er[] = {
		{ "vm-hub", "10.100.0.0/16", VNG, ACT, -1, "10.0.200.4" },
	};
	open_world(&w, &(struct knobs){ 0 });
	world_adv(&w, "nva1", "rs", "10.100.0.0/16", "65001", false);
	world_build(&w);
	check_routes(&w, er, 1, "R-D9 ExpressRoute");
	const struct azlab_eff_table *tb = azlab_model_routes(w.m, 0, 1);
	size_t invalid = 0;
	for (size_t i = 0; i < tb->n; i++)
		if (tb->v[i].route_server >= 0 && tb->v[i].prefix.addr == 0x0a640000u) {
			assert_int_equal(tb->v[i].state, AZLAB_INVALID);
			assert_string_equal(tb->v[i].rule, "R-D9");
			invalid++;
		}
	assert_int_equal(invalid, 1);
	world_close(&w);

	/* ASPath: the NVA's one-AS path beats ER's "12076 12076" */
	open_world(&w, &(struct knobs){ .pref = "ASPath" });
	world_adv(&w, "nva1", "rs", "10.100.0.0/16", "65001", false);
	world_build(&w);
	tb = azlab_model_routes(w.m, 0, 1);
	size_t seen = 0;
	for (size_t i = 0; i < tb->n; i++)
		if (tb->v[i].prefix.addr == 0x0a640000u && tb->v[i].source == AZLAB_SRC_VNG) {
			assert_int_equal(tb->v[i].state,
					 tb->v[i].route_server >= 0 ? AZLAB_ACTIVE : AZLAB_INVALID);
			seen++;
		}
	assert_int_equal(seen, 2);
	assert_int_equal(azlab_model_lookup(w.m, 0, 1, 0x0a640004u)->nh_ips[0], 0x0a000004u);
	world_close(&w);
}

/* R-D9 as a table: the ER route for 10.100.0.0/16 has path "12076 12076"
 * (length 2) at the hub; an NVA sends the same prefix with a path of 1 to 3
 * ASes. ExpressRoute keeps ER; ASPath takes the shorter path, ER on a tie;
 * VpnGateway, without VPN gateways, leaves ER before NVA (as ExpressRoute). */
static void test_hub_routing_preference_table(void **state)
{
	(void)state;
	static const struct {
		const char *pref, *nva_path;
		bool nva_wins;
	} rows[] = {
		{ "ExpressRoute", "65001", false },
		{ "ExpressRoute", "65001 65001 65001", false },
		{ "ASPath", "65001", true },
		{ "ASPath", "65001 65001", false }, /* equal length: ER */
		{ "ASPath", "65001 65001 65001", false },
		{ "VpnGateway", "65001", false },
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		struct world w;
		open_world(&w, &(struct knobs){ .pref = rows[i].pref });
		world_adv(&w, "nva1", "rs", "10.100.0.0/16", rows[i].nva_path, false);
		world_build(&w);
		const struct azlab_eff_route *r = azlab_model_lookup(w.m, 0, 1, 0x0a640004u);
		assert_non_null(r);
		bool nva = r->route_server >= 0;
		if (nva != rows[i].nva_wins)
			print_error("R-D9 row %zu: %s, NVA path %s: %s won\n", i, rows[i].pref,
				    rows[i].nva_path, nva ? "the NVA" : "ER");
		assert_int_equal(nva, rows[i].nva_wins);
		assert_int_equal(r->nh_ips[0], nva ? 0x0a000004u : 0x0a00c804u);
		/* the loser stays listed, Invalid by R-D9 (R-A9) */
		const struct azlab_eff_table *tb = azlab_model_routes(w.m, 0, 1);
		size_t invalid = 0;
		for (size_t k = 0; k < tb->n; k++)
			if (tb->v[k].prefix.addr == 0x0a640000u && tb->v[k].source == AZLAB_SRC_VNG &&
			    tb->v[k].state == AZLAB_INVALID && !strcmp(tb->v[k].rule, "R-D9"))
				invalid++;
		assert_int_equal(invalid, 1);
		world_close(&w);
	}
}

/* R-F1, R-B2, R-B3, R-A14, R-A11 in the path walk */
static void test_forwarding_rules(void **state)
{
	(void)state;
	struct world w;
	struct azlab_reach r;

	open_world(&w, &(struct knobs){ 0 });
	world_adv(&w, "nva1", "rs", "10.10.0.0/16", "65001", false); /* as in P2 */
	world_build(&w);
	/* on-premises -> spoke: GatewaySubnet (R-A11) -> peering; source outside
	 * the hub: the spoke's peering allows forwarded traffic (R-B3) */
	world_reach(&w, "pc", "vm-spoke", &r);
	assert_true(r.request.delivered);
	assert_int_equal(r.request.n_hops, 3);
	assert_string_equal(r.request.hops[0].addr, "192.168.0.1");
	assert_string_equal(r.request.hops[1].addr, "*"); /* R-C7 */
	/* R-C7: the ER hop says what happens to packets over 1400 bytes */
	assert_non_null(strstr(r.request.hops[1].why, "MTU 1400: a larger packet is fragmented, or dropped with DF set (R-C7)"));
	assert_string_equal(r.request.hops[2].addr, "10.10.0.4");
	/* the spoke has no route back to the site (no remote gateway, no UDR) */
	assert_false(r.ok);
	assert_non_null(strstr(r.reason, "192.168.0.0/16 None"));
	world_close(&w);

	/* R-B3: without allowForwardedTraffic the spoke drops it */
	open_world(&w, &(struct knobs){ .spoke_peer = "" });
	world_adv(&w, "nva1", "rs", "10.10.0.0/16", "65001", false);
	world_build(&w);
	assert_false(world_reach(&w, "pc", "vm-spoke", &r));
	assert_non_null(strstr(r.reason, "allowForwardedTraffic is off on peering s2h (R-B3)"));
	world_close(&w);

	/* R-B2 */
	open_world(&w, &(struct knobs){ .spoke_peer = ", allowVirtualNetworkAccess: false" });
	world_build(&w);
	assert_false(world_reach(&w, "vm-hub", "vm-spoke", &r));
	assert_non_null(strstr(r.reason, "peering s2h: allowVirtualNetworkAccess is false (R-B2)"));
	world_close(&w);

	/* R-F1: the spoke's UDR sends to 10.0.1.4, a VM without IP forwarding */
	world_open(&w, "virtualNetworks:\n"
		       "  - { name: a, addressPrefixes: [10.1.0.0/16], subnets: [{ name: s, addressPrefix: 10.1.0.0/24, routeTable: rt }] }\n"
		       "routeTables: [{ name: rt, routes: [{ name: x, addressPrefix: 10.1.0.8/29, nextHopType: VirtualAppliance, nextHopIpAddress: 10.1.0.4 }] }]\n"
		       "virtualMachines:\n"
		       "  - { name: vm1, subnet: a/s, privateIPAddress: 10.1.0.4 }\n"
		       "  - { name: vm2, subnet: a/s, privateIPAddress: 10.1.0.5 }\n"
		       "  - { name: vm3, subnet: a/s, privateIPAddress: 10.1.0.9 }\n");
	world_build(&w);
	assert_false(world_reach(&w, "vm2", "vm3", &r));
	assert_non_null(strstr(r.reason, "vm1's NIC drops a packet not addressed to it: enableIPForwarding is off (R-F1)"));
	assert_true(world_reach(&w, "vm2", "vm1", &r));
	/* R-A14 */
	assert_false(world_reach(&w, "vm2", "169.254.169.254", &r));
	assert_non_null(strstr(r.reason, "R-A14"));
	world_close(&w);
}

/* R-E3: the endpoint's /32 in its VNet and the directly peered ones */
static void test_private_endpoint_routes(void **state)
{
	(void)state;
	struct world w;
	world_open(&w, "virtualNetworks:\n"
		       "  - { name: a, addressPrefixes: [10.1.0.0/16], subnets: [{ name: s, addressPrefix: 10.1.0.0/24 }] }\n"
		       "  - { name: b, addressPrefixes: [10.2.0.0/16], subnets: [{ name: s, addressPrefix: 10.2.0.0/24 }] }\n"
		       "  - { name: c, addressPrefixes: [10.3.0.0/16], subnets: [{ name: s, addressPrefix: 10.3.0.0/24 }] }\n"
		       "virtualNetworkPeerings:\n"
		       "  - { name: a2b, virtualNetwork: a, remoteVirtualNetwork: b }\n"
		       "  - { name: b2a, virtualNetwork: b, remoteVirtualNetwork: a }\n"
		       "loadBalancers: [{ name: lb, subnet: c/s, frontendIPAddress: 10.3.0.10, backendPool: [vmc] }]\n"
		       "privateLinkServices: [{ name: pls, loadBalancer: lb, subnet: c/s, natIpAddresses: [10.3.0.5] }]\n"
		       "privateEndpoints: [{ name: pe, subnet: a/s, privateIPAddress: 10.1.0.5, privateLinkService: pls }]\n"
		       "virtualMachines:\n"
		       "  - { name: vmb, subnet: b/s, privateIPAddress: 10.2.0.4 }\n"
		       "  - { name: vmc, subnet: c/s, privateIPAddress: 10.3.0.4 }\n");
	world_build(&w);
	static const struct rcase rows[] = {
		{ "a/s", "10.1.0.5/32", DEF, ACT, AZLAB_NH_INTERFACE_ENDPOINT, NULL },
		{ "vmb", "10.1.0.5/32", DEF, ACT, AZLAB_NH_INTERFACE_ENDPOINT, NULL },
		{ "vmc", "10.1.0.5/32", ANY, -2, -1, NULL },
	};
	check_routes(&w, rows, sizeof rows / sizeof *rows, "R-E3");
	struct azlab_reach r;
	/* R-E1: the backend sees the NAT address; R-E2: it cannot open one back */
	assert_true(world_reach(&w, "vmb", "pe", &r));
	assert_string_equal(r.request.at, "vmc");
	assert_int_equal(r.request.src_seen, 0x0a030005u);
	assert_false(world_reach(&w, "vmc", "10.3.0.5", &r));
	assert_non_null(strstr(r.reason, "(R-E2)"));
	world_close(&w);
}

/* R-F2, R-F3: a VXLAN tunnel, the NVA's own packets, the preferred source */
static void test_vxlan(void **state)
{
	(void)state;
	static const char fmt[] =
		"virtualNetworks:\n"
		"  - { name: a, addressPrefixes: [10.1.0.0/16], subnets: [{ name: s, addressPrefix: 10.1.0.0/24 }] }\n"
		"  - { name: b, addressPrefixes: [10.2.0.0/16], subnets: [{ name: s, addressPrefix: 10.2.0.0/24, routeTable: rt }] }\n"
		"  - { name: c, addressPrefixes: [10.3.0.0/16], subnets: [{ name: s, addressPrefix: 10.3.0.0/24, routeTable: rt-c }] }\n"
		"routeTables:\n"
		"  - { name: rt, routes: [{ name: x, addressPrefix: 10.3.0.0/16, nextHopType: VirtualAppliance, nextHopIpAddress: 10.2.0.4 }] }\n"
		"  - { name: rt-c, routes: [{ name: y, addressPrefix: 10.2.0.0/16, nextHopType: VirtualAppliance, nextHopIpAddress: 10.1.0.4 }] }\n"
		"virtualNetworkPeerings:\n"
		"  - { name: a2b, virtualNetwork: a, remoteVirtualNetwork: b }\n"
		"  - { name: b2a, virtualNetwork: b, remoteVirtualNetwork: a, allowForwardedTraffic: true }\n"
		"  - { name: a2c, virtualNetwork: a, remoteVirtualNetwork: c, allowForwardedTraffic: true }\n"
		"  - { name: c2a, virtualNetwork: c, remoteVirtualNetwork: a, allowForwardedTraffic: true }\n"
		"virtualMachines:\n"
		"  - name: nva-a\n    subnet: a/s\n    privateIPAddress: 10.1.0.4\n    enableIPForwarding: true\n"
		"    nva: { routes: [{ addressPrefix: 10.2.0.0/16, nextHop: 169.254.0.2 }, { addressPrefix: 10.2.0.4/32, nextHop: 10.1.0.1 }], tunnels: [{ name: vx, type: %s, vni: 7, remote: 10.2.0.4, address: 169.254.0.1/24 }] }\n"
		"  - name: nva-b\n    subnet: b/s\n    privateIPAddress: 10.2.0.4\n    enableIPForwarding: true\n"
		"    nva: { routes: [{ addressPrefix: 10.3.0.0/16, nextHop: 169.254.0.1 %s }], tunnels: [{ name: vx, type: %s, vni: 7, remote: 10.1.0.4, address: 169.254.0.2/24 }] }\n"
		"  - { name: vm-b, subnet: b/s, privateIPAddress: 10.2.0.5 }\n"
		"  - { name: vm-c, subnet: c/s, privateIPAddress: 10.3.0.4 }\n";
	char yaml[sizeof fmt + 128];
	struct world w;
	struct azlab_reach r;

	snprintf(yaml, sizeof yaml, fmt, "vxlan", "", "vxlan");
	world_open(&w, yaml);
	world_build(&w);
	assert_true(world_reach(&w, "vm-b", "vm-c", &r));
	assert_int_equal(r.request.n_hops, 3);
	assert_string_equal(r.request.hops[0].addr, "10.2.0.4");
	assert_string_equal(r.request.hops[1].addr, "*"); /* answers from 169.254.0.1 */
	assert_string_equal(r.request.hops[2].addr, "10.3.0.4");
	/* R-F3: the NVA's own packet leaves with the tunnel's address */
	assert_false(world_reach(&w, "nva-b", "vm-c", &r));
	assert_int_equal(r.request.src_seen, 0xa9fe0002u);
	assert_non_null(strstr(r.reason, "169.254.0.2"));
	world_close(&w);

	snprintf(yaml, sizeof yaml, fmt, "vxlan", ", preferredSource: 10.2.0.4", "vxlan");
	world_open(&w, yaml);
	world_build(&w);
	assert_true(world_reach(&w, "nva-b", "vm-c", &r));
	assert_int_equal(r.request.src_seen, 0x0a020004u);
	world_close(&w);

	/* R-A14: GRE does not cross the fabric */
	snprintf(yaml, sizeof yaml, fmt, "gre", "", "gre");
	world_open(&w, yaml);
	world_build(&w);
	assert_false(world_reach(&w, "vm-b", "vm-c", &r));
	assert_non_null(strstr(r.reason, "GRE"));
	world_close(&w);
}

/* The offline relay (P3's NVAs): as-override makes the relay acceptable */
static void test_relay(void **state)
{
	(void)state;
	static const char fmt[] =
		"virtualNetworks:\n"
		"  - { name: hub, addressPrefixes: [10.0.0.0/16], subnets: [{ name: default, addressPrefix: 10.0.0.0/24 }, { name: RouteServerSubnet, addressPrefix: 10.0.210.0/24 }] }\n"
		"  - { name: spoke, addressPrefixes: [10.10.0.0/16], subnets: [{ name: default, addressPrefix: 10.10.0.0/24 }, { name: RouteServerSubnet, addressPrefix: 10.10.210.0/24 }] }\n"
		"virtualNetworkPeerings:\n"
		"  - { name: h2s, virtualNetwork: hub, remoteVirtualNetwork: spoke }\n"
		"  - { name: s2h, virtualNetwork: spoke, remoteVirtualNetwork: hub }\n"
		"routeServers:\n"
		"  - { name: rs-hub, virtualNetwork: hub, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 65001 }] }\n"
		"  - { name: rs-spoke, virtualNetwork: spoke, bgpConnections: [{ name: n, peerIp: 10.0.0.4, peerAsn: 65001 }] }\n"
		"virtualMachines:\n"
		"  - { name: nva, subnet: hub/default, privateIPAddress: 10.0.0.4, enableIPForwarding: true, nva: { asn: 65001, relay: true, asOverride: %s, advertises: [{ prefix: 10.99.0.0/16, to: [rs-hub] }] } }\n";
	char yaml[sizeof fmt + 16];
	char ab[128];
	for (int ovr = 0; ovr < 2; ovr++) {
		struct world w;
		snprintf(yaml, sizeof yaml, fmt, ovr ? "true" : "false");
		world_open(&w, yaml);
		w.m = azlab_model_build_offline(w.t, &w.feed);
		assert_non_null(w.m);
		const struct azlab_rlist *l = azlab_model_rs_accepted(w.m, 1); /* rs-spoke */
		bool hub = false;
		for (size_t i = 0; i < l->n; i++)
			if (l->v[i].prefix.addr == 0x0a000000u) {
				azlab_aspath_fmt(l->v[i].as_path, l->v[i].n_as, ab, sizeof ab);
				assert_string_equal(ab, "65001 65001");
				hub = true;
			}
		assert_int_equal(hub, ovr); /* R-D7: without as-override 65515 is dropped */
		world_close(&w);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_routes),
		cmocka_unit_test(test_initiated_peering),
		cmocka_unit_test(test_gateway_routes_and_msee),
		cmocka_unit_test(test_site_ce_routes_and_msee_rewrite),
		cmocka_unit_test(test_allow_remote_vnet_traffic),
		cmocka_unit_test(test_no_transit_between_circuits),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_propagation),
		cmocka_unit_test(test_propagation_flags),
		cmocka_unit_test(test_route_server_advertises),
		cmocka_unit_test(test_route_server_accepts),
		cmocka_unit_test(test_route_server_one_path_per_prefix),
		cmocka_unit_test(test_route_server_injection_limits),
		cmocka_unit_test(test_hub_routing_preference),
		cmocka_unit_test(test_hub_routing_preference_table),
		cmocka_unit_test(test_forwarding_rules),
		cmocka_unit_test(test_private_endpoint_routes),
		cmocka_unit_test(test_vxlan),
		cmocka_unit_test(test_relay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* topology.c: reads the topology YAML with libyaml's document API into the
 * structs of topology.h. The grammar is a table of field descriptors per
 * object kind; the same tables drive freeing. Names are resolved last. */
#include "azlab/topology.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define MAX_DEPTH 16

enum ftype {
	F_STR, F_BOOL, F_U32, F_ASN, F_IP, F_PFX, F_PFX_LIST, F_STR_LIST, F_IP_LIST,
	F_ASPATH, F_ENUM, F_SEQ, F_MAP,
};

struct objdesc;

struct field {
	const char *key;
	enum ftype type;
	size_t off;
	bool required;
	const struct objdesc *sub;       /* F_SEQ, F_MAP */
	const char *const *enum_names;   /* F_ENUM */
	size_t off_n;                    /* lists and F_SEQ: the count */
	size_t off_has;                  /* (size_t)-1 or a bool set when the key is given */
	size_t off_loc;                  /* (size_t)-1 or a struct azlab_loc of the value */
};

struct objdesc {
	const char *what;
	size_t size;
	const struct field *fields;
	void (*init)(void *obj);
};

#define NO ((size_t)-1)
#define FLD(T, k, ty, m, req) { k, ty, offsetof(T, m), req, NULL, NULL, NO, NO, NO }
#define FLDH(T, k, ty, m, req, h) { k, ty, offsetof(T, m), req, NULL, NULL, NO, offsetof(T, h), NO }
#define FLDL(T, k, ty, m, n, req) { k, ty, offsetof(T, m), req, NULL, NULL, offsetof(T, n), NO, NO }
#define FLDE(T, k, m, names, req) { k, F_ENUM, offsetof(T, m), req, NULL, names, NO, NO, NO }
#define FLDS(T, k, m, n, sd, req) { k, F_SEQ, offsetof(T, m), req, &sd, NULL, offsetof(T, n), NO, NO }
#define FLDM(T, k, m, sd) { k, F_MAP, offsetof(T, m), false, &sd, NULL, NO, NO, NO }
#define END { NULL, F_STR, 0, false, NULL, NULL, NO, NO, NO }

static const char *const nh_type_names[] = { "VirtualAppliance", "VirtualNetworkGateway",
	"VnetLocal", "Internet", "None", "VNetPeering", "InterfaceEndpoint", NULL };
static const char *const udr_nh_type_names[] = { "VirtualAppliance", "VirtualNetworkGateway",
	"VnetLocal", "Internet", "None", NULL };
static const char *const role_names[] = { "none", "hub", "spoke", "onPremises", NULL };
static const char *const pref_names[] = { "ExpressRoute", "ASPath", "VpnGateway", NULL };
static const char *const sw_names[] = { "nvad", "frr", "bird", "none", NULL };
static const char *const tun_names[] = { "vxlan", "gre", NULL };
static const char *const sku_circuit_names[] = { "Standard", "Premium", NULL };
static const char *const sku_lb_names[] = { "Standard", "Basic", NULL };
static const char *const proto_names[] = { "All", "Tcp", "Udp", NULL };
static const char *const probe_proto_names[] = { "Tcp", NULL };
static const char *const source_names[] = { "Default", "User", "VirtualNetworkGateway", NULL };
static const char *const state_names[] = { "Active", "Invalid", NULL };
static const char *const dir_names[] = { "received", "advertised", NULL };

const char *azlab_nh_type_name(enum azlab_nh_type t)
{
	return (unsigned)t < 7 ? nh_type_names[t] : "?";
}

/* ---- object descriptors ---- */

static void init_subnet(void *o) { ((struct azlab_subnet *)o)->rt = -1; }
static void init_peering(void *o) { ((struct azlab_peering *)o)->access = true; }
static void init_route_exp(void *o)
{
	struct azlab_expect_route *r = o;
	r->source = r->state = r->next_hop_type = -1;
}
static void init_tunnel(void *o)
{
	struct azlab_tunnel *t = o;
	t->mtu = 1450;
	t->dst_port = 4789;
}
static void init_site(void *o) { ((struct azlab_site *)o)->software = AZLAB_SW_NONE; }
static void init_nva(void *o) { ((struct azlab_nva *)o)->software = AZLAB_SW_NVAD; }

static const struct field subnet_fields[] = {
	FLD(struct azlab_subnet, "name", F_STR, name, true),
	FLD(struct azlab_subnet, "addressPrefix", F_PFX, prefix, true),
	{ "routeTable", F_STR, offsetof(struct azlab_subnet, route_table), false, NULL, NULL, NO, NO,
	  offsetof(struct azlab_subnet, route_table_loc) },
	END,
};
static const struct objdesc subnet_desc = { "subnet", sizeof(struct azlab_subnet), subnet_fields,
					    init_subnet };

static const struct field vnet_fields[] = {
	FLD(struct azlab_vnet, "name", F_STR, name, true),
	FLDL(struct azlab_vnet, "addressPrefixes", F_PFX_LIST, prefixes, n_prefixes, true),
	FLDE(struct azlab_vnet, "role", role, role_names, false),
	FLD(struct azlab_vnet, "location", F_STR, location, false),
	FLDS(struct azlab_vnet, "subnets", subnets, n_subnets, subnet_desc, false),
	END,
};
static const struct objdesc vnet_desc = { "virtual network", sizeof(struct azlab_vnet), vnet_fields,
					  NULL };

static const struct field udr_fields[] = {
	FLD(struct azlab_udr, "name", F_STR, name, true),
	FLD(struct azlab_udr, "addressPrefix", F_PFX, prefix, true),
	FLDE(struct azlab_udr, "nextHopType", next_hop_type, udr_nh_type_names, true),
	FLDH(struct azlab_udr, "nextHopIpAddress", F_IP, next_hop_ip, false, has_next_hop_ip),
	END,
};
static const struct objdesc udr_desc = { "route", sizeof(struct azlab_udr), udr_fields, NULL };

static const struct field rt_fields[] = {
	FLD(struct azlab_route_table, "name", F_STR, name, true),
	FLD(struct azlab_route_table, "disableBgpRoutePropagation", F_BOOL, disable_bgp, false),
	FLDS(struct azlab_route_table, "routes", routes, n_routes, udr_desc, false),
	END,
};
static const struct objdesc rt_desc = { "route table", sizeof(struct azlab_route_table), rt_fields,
					NULL };

static const struct field peering_fields[] = {
	FLD(struct azlab_peering, "name", F_STR, name, true),
	FLD(struct azlab_peering, "virtualNetwork", F_STR, vnet_name, true),
	FLD(struct azlab_peering, "remoteVirtualNetwork", F_STR, remote_name, true),
	FLD(struct azlab_peering, "allowVirtualNetworkAccess", F_BOOL, access, false),
	FLD(struct azlab_peering, "allowForwardedTraffic", F_BOOL, forwarded, false),
	FLD(struct azlab_peering, "allowGatewayTransit", F_BOOL, gw_transit, false),
	FLD(struct azlab_peering, "useRemoteGateways", F_BOOL, use_remote, false),
	END,
};
static const struct objdesc peering_desc = { "virtual network peering",
	sizeof(struct azlab_peering), peering_fields, init_peering };

static const struct field circuit_fields[] = {
	FLD(struct azlab_circuit, "name", F_STR, name, true),
	FLD(struct azlab_circuit, "peeringLocation", F_STR, peering_location, false),
	FLDE(struct azlab_circuit, "sku", sku, sku_circuit_names, false),
	END,
};
static const struct objdesc circuit_desc = { "ExpressRoute circuit", sizeof(struct azlab_circuit),
					     circuit_fields, NULL };

static const struct field conn_fields[] = {
	FLD(struct azlab_er_connection, "name", F_STR, name, true),
	FLD(struct azlab_er_connection, "circuit", F_STR, circuit_name, true),
	END,
};
static const struct objdesc conn_desc = { "connection", sizeof(struct azlab_er_connection),
					  conn_fields, NULL };

static const struct field gw_fields[] = {
	FLD(struct azlab_er_gateway, "name", F_STR, name, true),
	FLD(struct azlab_er_gateway, "virtualNetwork", F_STR, vnet_name, true),
	FLD(struct azlab_er_gateway, "allowRemoteVnetTraffic", F_BOOL, allow_remote_vnet, false),
	FLDH(struct azlab_er_gateway, "privateIPAddress", F_IP, ip, false, has_ip),
	FLDS(struct azlab_er_gateway, "connections", connections, n_connections, conn_desc, false),
	END,
};
static const struct objdesc gw_desc = { "ExpressRoute gateway", sizeof(struct azlab_er_gateway),
					gw_fields, NULL };

static const struct field bgpc_fields[] = {
	FLD(struct azlab_bgp_connection, "name", F_STR, name, true),
	FLD(struct azlab_bgp_connection, "peerIp", F_IP, peer_ip, true),
	FLD(struct azlab_bgp_connection, "peerAsn", F_ASN, peer_asn, true),
	END,
};
static const struct objdesc bgpc_desc = { "BGP connection", sizeof(struct azlab_bgp_connection),
					  bgpc_fields, NULL };

static const struct field rs_fields[] = {
	FLD(struct azlab_route_server, "name", F_STR, name, true),
	FLD(struct azlab_route_server, "virtualNetwork", F_STR, vnet_name, true),
	FLD(struct azlab_route_server, "allowBranchToBranchTraffic", F_BOOL, b2b, false),
	FLDE(struct azlab_route_server, "hubRoutingPreference", preference, pref_names, false),
	FLDS(struct azlab_route_server, "bgpConnections", connections, n_connections, bgpc_desc,
	     false),
	END,
};
static const struct objdesc rs_desc = { "Route Server", sizeof(struct azlab_route_server),
					rs_fields, NULL };

static const struct field lbrule_fields[] = {
	FLD(struct azlab_lb_rule, "name", F_STR, name, true),
	FLDE(struct azlab_lb_rule, "protocol", protocol, proto_names, true),
	FLD(struct azlab_lb_rule, "frontendPort", F_U32, frontend_port, false),
	FLD(struct azlab_lb_rule, "backendPort", F_U32, backend_port, false),
	FLD(struct azlab_lb_rule, "probe", F_STR, probe_name, false),
	END,
};
static const struct objdesc lbrule_desc = { "load-balancing rule", sizeof(struct azlab_lb_rule),
					    lbrule_fields, NULL };

static void lbprobe_init(void *obj)
{
	struct azlab_lb_probe *p = obj;
	p->interval_s = 5;
	p->number_of_probes = 2;
}

static const struct field lbprobe_fields[] = {
	FLD(struct azlab_lb_probe, "name", F_STR, name, true),
	FLDE(struct azlab_lb_probe, "protocol", protocol, probe_proto_names, true),
	FLD(struct azlab_lb_probe, "port", F_U32, port, true),
	FLD(struct azlab_lb_probe, "intervalInSeconds", F_U32, interval_s, false),
	FLD(struct azlab_lb_probe, "numberOfProbes", F_U32, number_of_probes, false),
	END,
};
static const struct objdesc lbprobe_desc = { "health probe", sizeof(struct azlab_lb_probe),
					     lbprobe_fields, lbprobe_init };

static const struct field lb_fields[] = {
	FLD(struct azlab_load_balancer, "name", F_STR, name, true),
	FLDE(struct azlab_load_balancer, "sku", sku, sku_lb_names, false),
	FLD(struct azlab_load_balancer, "subnet", F_STR, subnet_name, true),
	FLD(struct azlab_load_balancer, "frontendIPAddress", F_IP, frontend_ip, true),
	FLDL(struct azlab_load_balancer, "backendPool", F_STR_LIST, backends, n_backends, true),
	FLDS(struct azlab_load_balancer, "rules", rules, n_rules, lbrule_desc, false),
	FLDS(struct azlab_load_balancer, "probes", probes, n_probes, lbprobe_desc, false),
	END,
};
static const struct objdesc lb_desc = { "load balancer", sizeof(struct azlab_load_balancer),
					lb_fields, NULL };

static const struct field pls_fields[] = {
	FLD(struct azlab_pls, "name", F_STR, name, true),
	FLD(struct azlab_pls, "loadBalancer", F_STR, lb_name, true),
	FLD(struct azlab_pls, "subnet", F_STR, subnet_name, true),
	FLDL(struct azlab_pls, "natIpAddresses", F_IP_LIST, nat_ips, n_nat_ips, true),
	END,
};
static const struct objdesc pls_desc = { "Private Link Service", sizeof(struct azlab_pls),
					 pls_fields, NULL };

static const struct field pe_fields[] = {
	FLD(struct azlab_pe, "name", F_STR, name, true),
	FLD(struct azlab_pe, "subnet", F_STR, subnet_name, true),
	FLD(struct azlab_pe, "privateIPAddress", F_IP, ip, true),
	FLD(struct azlab_pe, "privateLinkService", F_STR, pls_name, true),
	END,
};
static const struct objdesc pe_desc = { "Private Endpoint", sizeof(struct azlab_pe), pe_fields,
					NULL };

static const struct field adv_fields[] = {
	FLDL(struct azlab_advert, "to", F_STR_LIST, to, n_to, false),
	FLD(struct azlab_advert, "prefix", F_PFX, prefix, true),
	FLDL(struct azlab_advert, "asPath", F_ASPATH, as_path, n_as_path, false),
	FLDH(struct azlab_advert, "nextHop", F_IP, next_hop, false, has_next_hop),
	FLD(struct azlab_advert, "noAdvertise", F_BOOL, no_advertise, false),
	END,
};
static const struct objdesc adv_desc = { "advertisement", sizeof(struct azlab_advert), adv_fields,
					 NULL };

static const struct field sr_fields[] = {
	FLD(struct azlab_static_route, "addressPrefix", F_PFX, prefix, true),
	FLD(struct azlab_static_route, "nextHop", F_IP, next_hop, true),
	FLDH(struct azlab_static_route, "preferredSource", F_IP, preferred_source, false,
	     has_preferred_source),
	END,
};
static const struct objdesc sr_desc = { "route", sizeof(struct azlab_static_route), sr_fields,
					NULL };

static const struct field tun_fields[] = {
	FLD(struct azlab_tunnel, "name", F_STR, name, true),
	FLDE(struct azlab_tunnel, "type", type, tun_names, false),
	FLD(struct azlab_tunnel, "vni", F_U32, vni, false),
	FLD(struct azlab_tunnel, "remote", F_IP, remote, true),
	FLD(struct azlab_tunnel, "address", F_STR, address_text, true),
	FLD(struct azlab_tunnel, "mtu", F_U32, mtu, false),
	FLD(struct azlab_tunnel, "dstPort", F_U32, dst_port, false),
	END,
};
static const struct objdesc tun_desc = { "tunnel", sizeof(struct azlab_tunnel), tun_fields,
					 init_tunnel };

static const struct field nva_fields[] = {
	FLDE(struct azlab_nva, "software", software, sw_names, false),
	FLD(struct azlab_nva, "config", F_STR, config, false),
	FLD(struct azlab_nva, "asn", F_ASN, asn, false),
	FLD(struct azlab_nva, "relay", F_BOOL, relay, false),
	FLD(struct azlab_nva, "asOverride", F_BOOL, as_override, false),
	FLDS(struct azlab_nva, "advertises", adverts, n_adverts, adv_desc, false),
	FLDS(struct azlab_nva, "routes", routes, n_routes, sr_desc, false),
	FLDS(struct azlab_nva, "tunnels", tunnels, n_tunnels, tun_desc, false),
	END,
};
static const struct objdesc nva_desc = { "NVA", sizeof(struct azlab_nva), nva_fields, init_nva };

static const struct field vm_fields[] = {
	FLD(struct azlab_vm, "name", F_STR, name, true),
	FLD(struct azlab_vm, "nicName", F_STR, nic_name, false),
	FLD(struct azlab_vm, "subnet", F_STR, subnet_name, true),
	FLD(struct azlab_vm, "privateIPAddress", F_IP, ip, true),
	FLD(struct azlab_vm, "enableIPForwarding", F_BOOL, ip_forwarding, false),
	FLDM(struct azlab_vm, "nva", nva, nva_desc),
	END,
};
static const struct objdesc vm_desc = { "virtual machine", sizeof(struct azlab_vm), vm_fields,
					NULL };

static const struct field host_fields[] = {
	FLD(struct azlab_site_host, "name", F_STR, name, true),
	FLD(struct azlab_site_host, "ip", F_IP, ip, true),
	END,
};
static const struct objdesc host_desc = { "host", sizeof(struct azlab_site_host), host_fields,
					  NULL };

static const struct field site_fields[] = {
	FLD(struct azlab_site, "name", F_STR, name, true),
	FLD(struct azlab_site, "circuit", F_STR, circuit_name, true),
	FLD(struct azlab_site, "asn", F_ASN, asn, true),
	FLDH(struct azlab_site, "routerIp", F_IP, router_ip, false, has_router_ip),
	FLDE(struct azlab_site, "software", software, sw_names, false),
	FLD(struct azlab_site, "config", F_STR, config, false),
	FLDL(struct azlab_site, "prefixes", F_PFX_LIST, prefixes, n_prefixes, true),
	FLDS(struct azlab_site, "hosts", hosts, n_hosts, host_desc, false),
	END,
};
static const struct objdesc site_desc = { "site", sizeof(struct azlab_site), site_fields,
					  init_site };

static const struct field flow_fields[] = {
	FLD(struct azlab_expect_flow, "from", F_STR, from, true),
	FLD(struct azlab_expect_flow, "to", F_STR, to, true),
	FLD(struct azlab_expect_flow, "at", F_STR, at, false),
	FLDH(struct azlab_expect_flow, "source", F_IP, source, false, has_source),
	FLD(struct azlab_expect_flow, "reason", F_STR, reason, false),
	END,
};
static const struct objdesc flow_desc = { "flow", sizeof(struct azlab_expect_flow), flow_fields,
					  NULL };

static const struct field trace_fields[] = {
	FLD(struct azlab_expect_trace, "from", F_STR, from, true),
	FLD(struct azlab_expect_trace, "to", F_STR, to, true),
	FLDL(struct azlab_expect_trace, "hops", F_STR_LIST, hops, n_hops, true),
	END,
};
static const struct objdesc trace_desc = { "trace", sizeof(struct azlab_expect_trace),
					   trace_fields, NULL };

static const struct field eroute_fields[] = {
	FLD(struct azlab_expect_route, "at", F_STR, at, true),
	FLD(struct azlab_expect_route, "prefix", F_PFX, prefix, true),
	FLDE(struct azlab_expect_route, "source", source, source_names, false),
	FLDE(struct azlab_expect_route, "state", state, state_names, false),
	FLDE(struct azlab_expect_route, "nextHopType", next_hop_type, nh_type_names, false),
	FLDL(struct azlab_expect_route, "nextHopIpAddress", F_IP_LIST, next_hop_ips,
	     n_next_hop_ips, false),
	FLD(struct azlab_expect_route, "absent", F_BOOL, absent, false),
	END,
};
static const struct objdesc eroute_desc = { "route check", sizeof(struct azlab_expect_route),
					    eroute_fields, init_route_exp };

static const struct field ebgp_fields[] = {
	FLD(struct azlab_expect_bgp, "routeServer", F_STR, route_server, true),
	FLD(struct azlab_expect_bgp, "nva", F_STR, nva, true),
	FLDE(struct azlab_expect_bgp, "direction", direction, dir_names, true),
	FLD(struct azlab_expect_bgp, "prefix", F_PFX, prefix, true),
	{ "asPath", F_ASPATH, offsetof(struct azlab_expect_bgp, as_path), false, NULL, NULL,
	  offsetof(struct azlab_expect_bgp, n_as_path), offsetof(struct azlab_expect_bgp, has_as_path),
	  NO },
	FLD(struct azlab_expect_bgp, "absent", F_BOOL, absent, false),
	END,
};
static const struct objdesc ebgp_desc = { "BGP check", sizeof(struct azlab_expect_bgp),
					  ebgp_fields, NULL };

static const struct field expect_fields[] = {
	FLDM(struct azlab_expect, "reach", reach, flow_desc),
	FLDM(struct azlab_expect, "noReach", no_reach, flow_desc),
	FLDM(struct azlab_expect, "trace", trace, trace_desc),
	FLDM(struct azlab_expect, "route", route, eroute_desc),
	FLDM(struct azlab_expect, "bgp", bgp, ebgp_desc),
	END,
};
static const struct objdesc expect_desc = { "expectation", sizeof(struct azlab_expect),
					    expect_fields, NULL };

static const struct field topo_fields[] = {
	FLD(struct azlab_topo, "name", F_STR, name, false),
	FLD(struct azlab_topo, "description", F_STR, description, false),
	FLDS(struct azlab_topo, "virtualNetworks", vnets, n_vnets, vnet_desc, true),
	FLDS(struct azlab_topo, "routeTables", route_tables, n_route_tables, rt_desc, false),
	FLDS(struct azlab_topo, "virtualNetworkPeerings", peerings, n_peerings, peering_desc, false),
	FLDS(struct azlab_topo, "expressRouteCircuits", circuits, n_circuits, circuit_desc, false),
	FLDS(struct azlab_topo, "expressRouteGateways", gateways, n_gateways, gw_desc, false),
	FLDS(struct azlab_topo, "routeServers", route_servers, n_route_servers, rs_desc, false),
	FLDS(struct azlab_topo, "loadBalancers", lbs, n_lbs, lb_desc, false),
	FLDS(struct azlab_topo, "privateLinkServices", pls, n_pls, pls_desc, false),
	FLDS(struct azlab_topo, "privateEndpoints", pes, n_pes, pe_desc, false),
	FLDS(struct azlab_topo, "virtualMachines", vms, n_vms, vm_desc, false),
	FLDS(struct azlab_topo, "sites", sites, n_sites, site_desc, false),
	FLDS(struct azlab_topo, "expect", expects, n_expects, expect_desc, false),
	END,
};
static const struct objdesc topo_desc = { "topology", sizeof(struct azlab_topo), topo_fields,
					  NULL };

/* ---- freeing, driven by the same tables ---- */

static void free_obj(const struct objdesc *d, void *obj);

static void free_field(const struct field *f, char *base)
{
	void **pp = (void **)(base + f->off);
	switch (f->type) {
	case F_STR:
	case F_PFX_LIST:
	case F_IP_LIST:
	case F_ASPATH:
		free(*pp);
		break;
	case F_STR_LIST: {
		char **v = *pp;
		size_t n = *(size_t *)(base + f->off_n);
		for (size_t i = 0; v && i < n; i++)
			free(v[i]);
		free(v);
		break;
	}
	case F_SEQ: {
		char *v = *pp;
		size_t n = *(size_t *)(base + f->off_n);
		for (size_t i = 0; v && i < n; i++)
			free_obj(f->sub, v + i * f->sub->size);
		free(v);
		break;
	}
	case F_MAP:
		if (*pp) {
			free_obj(f->sub, *pp);
			free(*pp);
		}
		break;
	default:
		break;
	}
}

static void free_obj(const struct objdesc *d, void *obj)
{
	for (const struct field *f = d->fields; f->key; f++)
		free_field(f, obj);
}

void azlab_topo_free(struct azlab_topo *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->lbs && i < t->n_lbs; i++)
		free(t->lbs[i].backend_vms);
	free_obj(&topo_desc, t);
	free(t->file);
	free(t->dir);
	free(t);
}

/* ---- reading ---- */

static bool azlab_topo_link(struct azlab_topo *t, struct azlab_diag *errs);

struct reader {
	yaml_document_t *doc;
	const char *file;
	struct azlab_diag *errs;
	unsigned n_errs;
	bool oom;
};

#define MAX_ERRORS 50

__attribute__((format(printf, 3, 4)))
static void err_at(struct reader *r, const yaml_node_t *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->n_errs++;
	if (r->errs && r->n_errs <= MAX_ERRORS)
		azlab_diag_add(r->errs, "%s:%zu:%zu: %s", r->file, n ? n->start_mark.line + 1 : 1,
			       n ? n->start_mark.column + 1 : 1, msg);
}

static struct azlab_loc loc_of(const yaml_node_t *n)
{
	struct azlab_loc l = { (unsigned)n->start_mark.line + 1, (unsigned)n->start_mark.column + 1 };
	return l;
}

static const char *kind_name(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_SCALAR_NODE: return "a scalar";
	case YAML_SEQUENCE_NODE: return "a sequence";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

static const char *scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_scalar(struct reader *r, const yaml_node_t *n, const char *what)
{
	if (n->type == YAML_SCALAR_NODE && strlen(scalar(n)) == n->data.scalar.length)
		return true;
	err_at(r, n, "expected %s, got %s", what,
	       n->type == YAML_SCALAR_NODE ? "a string with a NUL byte" : kind_name(n));
	return false;
}

static char *dup_or_oom(struct reader *r, const char *s)
{
	char *d = strdup(s);
	if (!d)
		r->oom = true;
	return d;
}

static bool parse_u32(const char *s, uint32_t *out)
{
	if (!*s || strlen(s) > 10)
		return false;
	uint64_t v = 0;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool read_scalar_value(struct reader *r, const struct field *f, const yaml_node_t *n,
			      void *dst)
{
	const char *s;
	switch (f->type) {
	case F_STR:
		if (!is_scalar(r, n, "a string"))
			return false;
		if (n->data.scalar.length == 0) {
			err_at(r, n, "expected a non-empty string for %s", f->key);
			return false;
		}
		*(char **)dst = dup_or_oom(r, scalar(n));
		return *(char **)dst != NULL;
	case F_BOOL:
		if (!is_scalar(r, n, "true or false"))
			return false;
		s = scalar(n);
		if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0)
			*(bool *)dst = true;
		else if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0)
			*(bool *)dst = false;
		else {
			err_at(r, n, "expected true or false for %s, got \"%s\"", f->key, s);
			return false;
		}
		return true;
	case F_U32:
	case F_ASN:
		if (!is_scalar(r, n, "a number"))
			return false;
		if (!parse_u32(scalar(n), dst)) {
			err_at(r, n, "expected %s for %s, got \"%s\"",
			       f->type == F_ASN ? "an AS number (0..4294967295)" :
						  "a number (0..4294967295)",
			       f->key, scalar(n));
			return false;
		}
		return true;
	case F_IP:
		if (!is_scalar(r, n, "an IPv4 address"))
			return false;
		if (!azlab_ip_parse(scalar(n), dst)) {
			err_at(r, n, "expected an IPv4 address (A.B.C.D) for %s, got \"%s\"", f->key,
			       scalar(n));
			return false;
		}
		return true;
	case F_PFX:
		if (!is_scalar(r, n, "an IPv4 prefix"))
			return false;
		if (!azlab_pfx_parse(scalar(n), dst)) {
			err_at(r, n,
			       "expected an IPv4 prefix (A.B.C.D/N, no host bits) for %s, got \"%s\"",
			       f->key, scalar(n));
			return false;
		}
		return true;
	case F_ENUM:
		if (!is_scalar(r, n, "a name"))
			return false;
		s = scalar(n);
		for (int i = 0; f->enum_names[i]; i++)
			if (strcmp(f->enum_names[i], s) == 0) {
				*(int *)dst = i;
				return true;
			}
		{
			char list[256] = "";
			for (int i = 0; f->enum_names[i]; i++) {
				size_t l = strlen(list);
				snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "",
					 f->enum_names[i]);
			}
			err_at(r, n, "expected one of %s for %s, got \"%s\"", list, f->key, s);
		}
		return false;
	default:
		return false;
	}
}

/* The items of a list field: a sequence, or for convenience one scalar
 * (and for an AS path, one string of space-separated numbers). */
static bool read_list(struct reader *r, const struct field *f, const yaml_node_t *n, char *base)
{
	size_t elt;
	enum ftype et;
	switch (f->type) {
	case F_PFX_LIST: elt = sizeof(struct azlab_pfx); et = F_PFX; break;
	case F_IP_LIST: elt = sizeof(uint32_t); et = F_IP; break;
	case F_ASPATH: elt = sizeof(uint32_t); et = F_ASN; break;
	default: elt = sizeof(char *); et = F_STR; break;
	}
	struct field ef = *f;
	ef.type = et;

	if (f->type == F_ASPATH && n->type == YAML_SCALAR_NODE) {
		/* "65515 12076 12076" */
		const char *s = scalar(n);
		uint32_t *v = calloc(AZLAB_MAX_ASPATH, sizeof *v);
		size_t cnt = 0;
		if (!v) {
			r->oom = true;
			return false;
		}
		*(uint32_t **)(base + f->off) = v;
		while (*s) {
			char tok[16];
			size_t l = strcspn(s, " ");
			if (l == 0) {
				s++;
				continue;
			}
			if (l >= sizeof tok || cnt == AZLAB_MAX_ASPATH) {
				err_at(r, n, "expected an AS path of at most %d numbers for %s",
				       AZLAB_MAX_ASPATH, f->key);
				return false;
			}
			memcpy(tok, s, l);
			tok[l] = '\0';
			if (!parse_u32(tok, &v[cnt])) {
				err_at(r, n, "expected an AS number in %s, got \"%s\"", f->key, tok);
				return false;
			}
			cnt++;
			s += l;
		}
		*(size_t *)(base + f->off_n) = cnt;
		return true;
	}
	const yaml_node_item_t *start = NULL, *top = NULL;
	const yaml_node_t *one = NULL;
	if (n->type == YAML_SEQUENCE_NODE) {
		start = n->data.sequence.items.start;
		top = n->data.sequence.items.top;
	} else if (n->type == YAML_SCALAR_NODE && n->data.scalar.length > 0) {
		one = n;
	} else {
		err_at(r, n, "expected a sequence for %s, got %s", f->key, kind_name(n));
		return false;
	}
	size_t cnt = one ? 1 : (size_t)(top - start);
	if (f->type == F_ASPATH && cnt > AZLAB_MAX_ASPATH) {
		err_at(r, n, "expected an AS path of at most %d numbers for %s", AZLAB_MAX_ASPATH,
		       f->key);
		return false;
	}
	char *v = calloc(cnt ? cnt : 1, elt);
	if (!v) {
		r->oom = true;
		return false;
	}
	*(char **)(base + f->off) = v;
	bool ok = true;
	for (size_t i = 0; i < cnt; i++) {
		const yaml_node_t *in = one ? one : yaml_document_get_node(r->doc, start[i]);
		if (!in) {
			err_at(r, n, "broken document");
			return false;
		}
		if (!read_scalar_value(r, &ef, in, v + i * elt))
			ok = false;
		*(size_t *)(base + f->off_n) = i + 1; /* what is there gets freed */
	}
	return ok;
}

static bool read_obj(struct reader *r, const struct objdesc *d, const yaml_node_t *n, void *obj,
		     int depth);

static bool read_seq(struct reader *r, const struct field *f, const yaml_node_t *n, char *base,
		     int depth)
{
	if (n->type != YAML_SEQUENCE_NODE) {
		if (n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0)
			return true; /* `key:` with nothing: an empty list */
		err_at(r, n, "expected a sequence of %s entries for %s, got %s", f->sub->what, f->key,
		       kind_name(n));
		return false;
	}
	size_t cnt = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (cnt == 0)
		return true;
	char *v = calloc(cnt, f->sub->size);
	if (!v) {
		r->oom = true;
		return false;
	}
	*(char **)(base + f->off) = v;
	bool ok = true;
	for (size_t i = 0; i < cnt; i++) {
		const yaml_node_t *in = yaml_document_get_node(r->doc, n->data.sequence.items.start[i]);
		*(size_t *)(base + f->off_n) = i + 1;
		if (!in) {
			err_at(r, n, "broken document");
			return false;
		}
		if (!read_obj(r, f->sub, in, v + i * f->sub->size, depth + 1))
			ok = false;
		if (r->oom)
			return false;
	}
	return ok;
}

static bool read_field(struct reader *r, const struct field *f, const yaml_node_t *v, char *base,
		       int depth)
{
	if (f->off_has != NO)
		*(bool *)(base + f->off_has) = true;
	if (f->off_loc != NO)
		*(struct azlab_loc *)(base + f->off_loc) = loc_of(v);
	switch (f->type) {
	case F_PFX_LIST:
	case F_STR_LIST:
	case F_IP_LIST:
	case F_ASPATH:
		return read_list(r, f, v, base);
	case F_SEQ:
		return read_seq(r, f, v, base, depth);
	case F_MAP: {
		void *o = calloc(1, f->sub->size);
		if (!o) {
			r->oom = true;
			return false;
		}
		*(void **)(base + f->off) = o;
		return read_obj(r, f->sub, v, o, depth + 1);
	}
	default:
		return read_scalar_value(r, f, v, base + f->off);
	}
}

static bool read_obj(struct reader *r, const struct objdesc *d, const yaml_node_t *n, void *obj,
		     int depth)
{
	char *base = obj;
	if (d->init)
		d->init(obj);
	((struct azlab_loc *)base)[0] = loc_of(n); /* every struct starts with its loc */
	if (depth > MAX_DEPTH) {
		err_at(r, n, "nesting too deep");
		return false;
	}
	if (n->type != YAML_MAPPING_NODE) {
		err_at(r, n, "expected a mapping (a %s), got %s", d->what, kind_name(n));
		return false;
	}
	bool ok = true;
	size_t nf = 0;
	while (d->fields[nf].key && nf < 32)
		nf++;
	bool seen[32] = { false };
	for (const yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
	     p++) {
		const yaml_node_t *k = yaml_document_get_node(r->doc, p->key);
		const yaml_node_t *v = yaml_document_get_node(r->doc, p->value);
		if (!k || !v) {
			err_at(r, n, "broken document");
			return false;
		}
		if (!is_scalar(r, k, "a key")) {
			ok = false;
			continue;
		}
		size_t i;
		for (i = 0; i < nf; i++)
			if (strcmp(d->fields[i].key, scalar(k)) == 0)
				break;
		if (i == nf) {
			char list[600] = "";
			for (size_t j = 0; j < nf; j++) {
				size_t l = strlen(list);
				snprintf(list + l, sizeof list - l, "%s%s", j ? ", " : "",
					 d->fields[j].key);
			}
			err_at(r, k, "unknown key \"%s\" in %s (expected one of: %s)", scalar(k),
			       d->what, list);
			ok = false;
			continue;
		}
		if (seen[i]) {
			err_at(r, k, "duplicate key \"%s\" in %s", scalar(k), d->what);
			ok = false;
			continue;
		}
		seen[i] = true;
		if (!read_field(r, &d->fields[i], v, base, depth))
			ok = false;
		if (r->oom)
			return false;
	}
	for (size_t i = 0; i < nf; i++)
		if (d->fields[i].required && !seen[i]) {
			err_at(r, n, "%s lacks the required key \"%s\"", d->what, d->fields[i].key);
			ok = false;
		}
	return ok;
}

/* libyaml resolves aliases into shared nodes, which would let a small file
 * expand without bound (and an anchor may contain its own alias): refused
 * in a first pass over the events. */
static bool refuse_aliases(const char *text, size_t len, struct reader *r)
{
	yaml_parser_t p;
	yaml_event_t ev;
	bool ok = true;
	if (!yaml_parser_initialize(&p)) {
		r->oom = true;
		return false;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	for (;;) {
		if (!yaml_parser_parse(&p, &ev)) {
			r->n_errs++;
			if (r->errs)
				azlab_diag_add(r->errs, "%s:%zu:%zu: YAML syntax: %s%s%s", r->file,
					       p.problem_mark.line + 1, p.problem_mark.column + 1,
					       p.problem ? p.problem : "error",
					       p.context ? " " : "", p.context ? p.context : "");
			ok = false;
			break;
		}
		yaml_event_type_t type = ev.type;
		if (type == YAML_ALIAS_EVENT) {
			r->n_errs++;
			if (r->errs)
				azlab_diag_add(r->errs,
					       "%s:%zu:%zu: aliases (*name) are not supported; write the value out",
					       r->file, ev.start_mark.line + 1,
					       ev.start_mark.column + 1);
			ok = false;
		}
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT || !ok)
			break;
	}
	yaml_parser_delete(&p);
	return ok;
}

struct azlab_topo *azlab_topo_parse(const char *text, size_t len, const char *filename,
				    struct azlab_diag *errs)
{
	struct reader r = { NULL, filename ? filename : "topology", errs, 0, false };
	struct azlab_topo *t = NULL;
	yaml_parser_t p;
	yaml_document_t doc;
	bool have_doc = false;

	if (len > AZLAB_MAX_FILE_SIZE) {
		err_at(&r, NULL, "file larger than %u bytes", AZLAB_MAX_FILE_SIZE);
		return NULL;
	}
	if (memchr(text, '\0', len)) {
		err_at(&r, NULL, "the file holds a NUL byte");
		return NULL;
	}
	if (!refuse_aliases(text, len, &r))
		goto out;
	if (!yaml_parser_initialize(&p)) {
		r.oom = true;
		goto out;
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &doc)) {
		err_at(&r, NULL, "YAML syntax: %s", p.problem ? p.problem : "error");
		yaml_parser_delete(&p);
		goto out;
	}
	have_doc = true;
	{
		yaml_document_t extra;
		if (yaml_parser_load(&p, &extra)) {
			if (yaml_document_get_root_node(&extra))
				err_at(&r, yaml_document_get_root_node(&extra),
				       "a second YAML document; one topology per file");
			yaml_document_delete(&extra);
		}
	}
	yaml_parser_delete(&p);
	r.doc = &doc;
	const yaml_node_t *root = yaml_document_get_root_node(&doc);
	if (!root) {
		err_at(&r, NULL, "empty file: expected a mapping with virtualNetworks");
		goto out;
	}
	t = calloc(1, sizeof *t);
	if (!t) {
		r.oom = true;
		goto out;
	}
	read_obj(&r, &topo_desc, root, t, 0);
out:
	if (have_doc)
		yaml_document_delete(&doc);
	if (r.oom && r.n_errs == 0) {
		r.n_errs++;
		if (errs)
			azlab_diag_add(errs, "%s: out of memory", r.file);
	}
	if (r.n_errs > MAX_ERRORS && errs)
		azlab_diag_add(errs, "%s: %u more errors not shown", r.file, r.n_errs - MAX_ERRORS);
	if (t && r.n_errs == 0) {
		t->file = strdup(r.file);
		const char *slash = strrchr(r.file, '/');
		t->dir = slash ? strndup(r.file, (size_t)(slash - r.file)) : strdup(".");
		if (!t->file || !t->dir) {
			r.n_errs++;
			if (errs)
				azlab_diag_add(errs, "%s: out of memory", r.file);
		}
	}
	if (t && r.n_errs == 0 && !azlab_topo_link(t, errs))
		r.n_errs++;
	if (r.n_errs) {
		azlab_topo_free(t);
		return NULL;
	}
	return t;
}

struct azlab_topo *azlab_topo_load(const char *path, struct azlab_diag *errs)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		if (errs)
			azlab_diag_add(errs, "%s: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (len == cap) {
			if (cap > AZLAB_MAX_FILE_SIZE)
				break;
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	bool rerr = ferror(f);
	fclose(f);
	if (!buf || rerr) {
		if (errs)
			azlab_diag_add(errs, "%s: cannot read%s", path, buf ? "" : ": out of memory");
		free(buf);
		return NULL;
	}
	struct azlab_topo *t = azlab_topo_parse(buf, len, path, errs);
	free(buf);
	return t;
}

/* ---- name resolution ---- */

struct linker {
	struct azlab_topo *t;
	struct azlab_diag *errs;
	bool ok;
};

__attribute__((format(printf, 3, 4)))
static void lerr(struct linker *l, struct azlab_loc loc, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	l->ok = false;
	if (l->errs)
		azlab_diag_add(l->errs, "%s:%u:%u: %s", l->t->file, loc.line, loc.col, msg);
}

int azlab_topo_vnet(const struct azlab_topo *t, const char *name)
{
	for (size_t i = 0; name && i < t->n_vnets; i++)
		if (strcmp(t->vnets[i].name, name) == 0)
			return (int)i;
	return -1;
}

int azlab_topo_vm(const struct azlab_topo *t, const char *name)
{
	for (size_t i = 0; name && i < t->n_vms; i++)
		if (strcmp(t->vms[i].name, name) == 0)
			return (int)i;
	return -1;
}

int azlab_topo_vm_by_nic(const struct azlab_topo *t, const char *nic)
{
	for (size_t i = 0; nic && i < t->n_vms; i++)
		if (t->vms[i].nic_name && strcmp(t->vms[i].nic_name, nic) == 0)
			return (int)i;
	return -1;
}

int azlab_topo_vm_by_ip(const struct azlab_topo *t, uint32_t ip)
{
	for (size_t i = 0; i < t->n_vms; i++)
		if (t->vms[i].ip == ip)
			return (int)i;
	return -1;
}

int azlab_topo_route_server(const struct azlab_topo *t, const char *name)
{
	for (size_t i = 0; name && i < t->n_route_servers; i++)
		if (strcmp(t->route_servers[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool azlab_topo_subnet(const struct azlab_topo *t, const char *ref, int *vnet, int *subnet)
{
	const char *slash = ref ? strchr(ref, '/') : NULL;
	if (!slash)
		return false;
	for (size_t i = 0; i < t->n_vnets; i++) {
		const struct azlab_vnet *v = &t->vnets[i];
		if (strlen(v->name) != (size_t)(slash - ref) || strncmp(v->name, ref, (size_t)(slash - ref)))
			continue;
		for (size_t j = 0; j < v->n_subnets; j++)
			if (strcmp(v->subnets[j].name, slash + 1) == 0) {
				*vnet = (int)i;
				*subnet = (int)j;
				return true;
			}
	}
	return false;
}

const struct azlab_subnet *azlab_topo_subnet_at(const struct azlab_topo *t, int vnet, int subnet)
{
	if (vnet < 0 || (size_t)vnet >= t->n_vnets || subnet < 0 ||
	    (size_t)subnet >= t->vnets[vnet].n_subnets)
		return NULL;
	return &t->vnets[vnet].subnets[subnet];
}

int azlab_topo_vnet_gateway(const struct azlab_topo *t, int vnet)
{
	for (size_t i = 0; i < t->n_gateways; i++)
		if (t->gateways[i].vnet == vnet)
			return (int)i;
	return -1;
}

int azlab_topo_vnet_route_server(const struct azlab_topo *t, int vnet)
{
	for (size_t i = 0; i < t->n_route_servers; i++)
		if (t->route_servers[i].vnet == vnet)
			return (int)i;
	return -1;
}

bool azlab_topo_site_host(const struct azlab_topo *t, const char *name, int *site, int *host)
{
	for (size_t i = 0; i < t->n_sites; i++)
		for (size_t j = 0; j < t->sites[i].n_hosts; j++)
			if (strcmp(t->sites[i].hosts[j].name, name) == 0) {
				*site = (int)i;
				*host = (int)j;
				return true;
			}
	return false;
}

static int find_named(const void *arr, size_t n, size_t size, const char *name)
{
	for (size_t i = 0; name && i < n; i++) {
		const char *nm = *(char *const *)((const char *)arr + i * size + sizeof(struct azlab_loc));
		if (nm && strcmp(nm, name) == 0)
			return (int)i;
	}
	return -1;
}

/* Every named kind has `char *name` right after its loc. */
static void check_unique(struct linker *l, const void *arr, size_t n, size_t size, const char *what)
{
	for (size_t i = 0; i < n; i++) {
		const char *base = (const char *)arr + i * size;
		const char *nm = *(char *const *)(base + sizeof(struct azlab_loc));
		int first = find_named(arr, i, size, nm);
		if (first >= 0)
			lerr(l, *(const struct azlab_loc *)base, "%s \"%s\" is declared twice", what, nm);
	}
}

static int need_vnet(struct linker *l, const char *name, struct azlab_loc loc)
{
	int v = azlab_topo_vnet(l->t, name);
	if (v < 0)
		lerr(l, loc, "unknown virtual network \"%s\"", name);
	return v;
}

static void need_subnet(struct linker *l, const char *ref, struct azlab_loc loc, int *vnet,
			int *subnet)
{
	*vnet = *subnet = -1;
	if (!azlab_topo_subnet(l->t, ref, vnet, subnet))
		lerr(l, loc, "unknown subnet \"%s\" (expected VNET/SUBNET)", ref);
}

static void link_vnets(struct linker *l)
{
	struct azlab_topo *t = l->t;
	check_unique(l, t->vnets, t->n_vnets, sizeof *t->vnets, "virtual network");
	check_unique(l, t->route_tables, t->n_route_tables, sizeof *t->route_tables, "route table");
	for (size_t i = 0; i < t->n_vnets; i++) {
		struct azlab_vnet *v = &t->vnets[i];
		check_unique(l, v->subnets, v->n_subnets, sizeof *v->subnets, "subnet");
		if (v->n_prefixes == 0)
			lerr(l, v->loc, "virtual network \"%s\" has no addressPrefixes", v->name);
		for (size_t j = 0; j < v->n_subnets; j++) {
			struct azlab_subnet *s = &v->subnets[j];
			s->vnet = (int)i;
			s->rt = -1;
			if (s->route_table) {
				s->rt = find_named(t->route_tables, t->n_route_tables,
						   sizeof *t->route_tables, s->route_table);
				if (s->rt < 0)
					lerr(l, s->route_table_loc, "unknown route table \"%s\"",
					     s->route_table);
			}
		}
	}
}

static void link_peerings(struct linker *l)
{
	struct azlab_topo *t = l->t;
	check_unique(l, t->peerings, t->n_peerings, sizeof *t->peerings, "virtual network peering");
	for (size_t i = 0; i < t->n_peerings; i++) {
		struct azlab_peering *p = &t->peerings[i];
		p->vnet = need_vnet(l, p->vnet_name, p->loc);
		p->remote = need_vnet(l, p->remote_name, p->loc);
	}
	for (size_t i = 0; i < t->n_peerings; i++) {
		struct azlab_peering *p = &t->peerings[i];
		p->reverse = -1;
		for (size_t j = 0; j < t->n_peerings; j++)
			if (t->peerings[j].vnet == p->remote && t->peerings[j].remote == p->vnet &&
			    p->vnet >= 0) {
				p->reverse = (int)j;
				break;
			}
	}
}

static void link_er(struct linker *l)
{
	struct azlab_topo *t = l->t;
	check_unique(l, t->circuits, t->n_circuits, sizeof *t->circuits, "ExpressRoute circuit");
	check_unique(l, t->gateways, t->n_gateways, sizeof *t->gateways, "ExpressRoute gateway");
	for (size_t i = 0; i < t->n_gateways; i++) {
		struct azlab_er_gateway *g = &t->gateways[i];
		g->vnet = need_vnet(l, g->vnet_name, g->loc);
		for (size_t j = 0; j < g->n_connections; j++) {
			struct azlab_er_connection *c = &g->connections[j];
			c->circuit = find_named(t->circuits, t->n_circuits, sizeof *t->circuits,
						c->circuit_name);
			if (c->circuit < 0)
				lerr(l, c->loc, "unknown ExpressRoute circuit \"%s\"", c->circuit_name);
		}
		if (!g->has_ip && g->vnet >= 0) {
			int v = g->vnet, s;
			char ref[300];
			snprintf(ref, sizeof ref, "%s/GatewaySubnet", t->vnets[v].name);
			if (azlab_topo_subnet(t, ref, &v, &s))
				g->ip = t->vnets[v].subnets[s].prefix.addr + 4;
		}
	}
	check_unique(l, t->sites, t->n_sites, sizeof *t->sites, "site");
	for (size_t i = 0; i < t->n_sites; i++) {
		struct azlab_site *s = &t->sites[i];
		s->circuit = find_named(t->circuits, t->n_circuits, sizeof *t->circuits,
					s->circuit_name);
		if (s->circuit < 0)
			lerr(l, s->loc, "unknown ExpressRoute circuit \"%s\"", s->circuit_name);
	}
}

static void link_route_servers(struct linker *l)
{
	struct azlab_topo *t = l->t;
	check_unique(l, t->route_servers, t->n_route_servers, sizeof *t->route_servers,
		     "Route Server");
	for (size_t i = 0; i < t->n_route_servers; i++) {
		struct azlab_route_server *rs = &t->route_servers[i];
		rs->vnet = need_vnet(l, rs->vnet_name, rs->loc);
		if (rs->vnet >= 0) {
			int v = rs->vnet, s;
			char ref[300];
			snprintf(ref, sizeof ref, "%s/RouteServerSubnet", t->vnets[v].name);
			if (azlab_topo_subnet(t, ref, &v, &s)) {
				/* R-D1: the first two usable addresses */
				rs->ips[0] = t->vnets[v].subnets[s].prefix.addr + 4;
				rs->ips[1] = t->vnets[v].subnets[s].prefix.addr + 5;
				rs->has_ips = true;
			}
		}
		for (size_t j = 0; j < rs->n_connections; j++)
			rs->connections[j].vm = azlab_topo_vm_by_ip(t, rs->connections[j].peer_ip);
	}
}

static void link_vms(struct linker *l)
{
	struct azlab_topo *t = l->t;
	check_unique(l, t->vms, t->n_vms, sizeof *t->vms, "virtual machine");
	for (size_t i = 0; i < t->n_vms; i++) {
		struct azlab_vm *vm = &t->vms[i];
		need_subnet(l, vm->subnet_name, vm->loc, &vm->vnet, &vm->subnet);
		if (!vm->nic_name) {
			if (asprintf(&vm->nic_name, "%s-nic", vm->name) < 0) {
				vm->nic_name = NULL;
				lerr(l, vm->loc, "out of memory");
			}
		}
		if (!vm->nva)
			continue;
		for (size_t j = 0; j < vm->nva->n_tunnels; j++) {
			struct azlab_tunnel *tu = &vm->nva->tunnels[j];
			if (!azlab_ifaddr_parse(tu->address_text, &tu->address, &tu->address_len))
				lerr(l, tu->loc,
				     "expected an interface address (A.B.C.D/N) for address, got \"%s\"",
				     tu->address_text);
		}
		for (size_t j = 0; j < vm->nva->n_adverts; j++) {
			struct azlab_advert *a = &vm->nva->adverts[j];
			for (size_t k = 0; k < a->n_to; k++)
				if (azlab_topo_route_server(t, a->to[k]) < 0)
					lerr(l, a->loc, "unknown Route Server \"%s\" in to", a->to[k]);
		}
	}
}

static void link_private_link(struct linker *l)
{
	struct azlab_topo *t = l->t;
	check_unique(l, t->lbs, t->n_lbs, sizeof *t->lbs, "load balancer");
	check_unique(l, t->pls, t->n_pls, sizeof *t->pls, "Private Link Service");
	check_unique(l, t->pes, t->n_pes, sizeof *t->pes, "Private Endpoint");
	for (size_t i = 0; i < t->n_lbs; i++) {
		struct azlab_load_balancer *lb = &t->lbs[i];
		need_subnet(l, lb->subnet_name, lb->loc, &lb->vnet, &lb->subnet);
		lb->backend_vms = calloc(lb->n_backends ? lb->n_backends : 1, sizeof(int));
		if (!lb->backend_vms) {
			lerr(l, lb->loc, "out of memory");
			continue;
		}
		for (size_t j = 0; j < lb->n_backends; j++) {
			lb->backend_vms[j] = azlab_topo_vm(t, lb->backends[j]);
			if (lb->backend_vms[j] < 0)
				lerr(l, lb->loc, "unknown virtual machine \"%s\" in backendPool",
				     lb->backends[j]);
		}
		check_unique(l, lb->probes, lb->n_probes, sizeof *lb->probes, "health probe");
		for (size_t j = 0; j < lb->n_rules; j++) {
			struct azlab_lb_rule *r = &lb->rules[j];
			r->probe = r->probe_name ? find_named(lb->probes, lb->n_probes,
							      sizeof *lb->probes, r->probe_name) : -1;
			if (r->probe_name && r->probe < 0)
				lerr(l, r->loc, "load balancer %s: rule %s: unknown probe \"%s\"",
				     lb->name, r->name, r->probe_name);
		}
	}
	for (size_t i = 0; i < t->n_pls; i++) {
		struct azlab_pls *p = &t->pls[i];
		p->lb = find_named(t->lbs, t->n_lbs, sizeof *t->lbs, p->lb_name);
		if (p->lb < 0)
			lerr(l, p->loc, "unknown load balancer \"%s\"", p->lb_name);
		need_subnet(l, p->subnet_name, p->loc, &p->vnet, &p->subnet);
	}
	for (size_t i = 0; i < t->n_pes; i++) {
		struct azlab_pe *e = &t->pes[i];
		need_subnet(l, e->subnet_name, e->loc, &e->vnet, &e->subnet);
		e->pls = find_named(t->pls, t->n_pls, sizeof *t->pls, e->pls_name);
		if (e->pls < 0)
			lerr(l, e->loc, "unknown Private Link Service \"%s\"", e->pls_name);
	}
}

static void link_expects(struct linker *l)
{
	struct azlab_topo *t = l->t;
	for (size_t i = 0; i < t->n_expects; i++) {
		struct azlab_expect *e = &t->expects[i];
		int n = !!e->reach + !!e->no_reach + !!e->trace + !!e->route + !!e->bgp;
		if (n != 1)
			lerr(l, e->loc,
			     "an expect entry holds exactly one of reach, noReach, trace, route, bgp (got %d)",
			     n);
	}
}

static bool azlab_topo_link(struct azlab_topo *t, struct azlab_diag *errs)
{
	struct linker l = { t, errs, true };
	link_vnets(&l);
	link_peerings(&l);
	link_er(&l);
	link_vms(&l);
	link_route_servers(&l);
	link_private_link(&l);
	link_expects(&l);
	return l.ok;
}

/* ---- JSON Schema, from the same tables ---- */

#include <json-c/json.h>

#define IP_PATTERN "^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$"
#define PFX_PATTERN "^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])/(3[0-2]|[12]?[0-9])$"

static json_object *schema_string(const char *pattern, const char *desc)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string("string"));
	if (pattern)
		json_object_object_add(o, "pattern", json_object_new_string(pattern));
	if (desc)
		json_object_object_add(o, "description", json_object_new_string(desc));
	return o;
}

static json_object *schema_array(json_object *items)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string("array"));
	json_object_object_add(o, "items", items);
	return o;
}

static json_object *schema_u32(void)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "type", json_object_new_string("integer"));
	json_object_object_add(o, "minimum", json_object_new_int(0));
	json_object_object_add(o, "maximum", json_object_new_int64(4294967295LL));
	return o;
}

static json_object *schema_obj(const struct objdesc *d);

static json_object *schema_field(const struct field *f)
{
	switch (f->type) {
	case F_STR: return schema_string(NULL, NULL);
	case F_BOOL: {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "type", json_object_new_string("boolean"));
		return o;
	}
	case F_U32:
	case F_ASN: return schema_u32();
	case F_IP: return schema_string(IP_PATTERN, "an IPv4 address");
	case F_PFX: return schema_string(PFX_PATTERN, "an IPv4 prefix without host bits");
	case F_PFX_LIST: return schema_array(schema_string(PFX_PATTERN, NULL));
	case F_IP_LIST: return schema_array(schema_string(IP_PATTERN, NULL));
	case F_STR_LIST: return schema_array(schema_string(NULL, NULL));
	case F_ASPATH: {
		json_object *o = json_object_new_object(), *any = json_object_new_array();
		json_object_array_add(any, schema_array(schema_u32()));
		json_object_array_add(any, schema_string("^[0-9]+( +[0-9]+)*$", "\"65515 12076 12076\""));
		json_object_object_add(o, "anyOf", any);
		return o;
	}
	case F_ENUM: {
		json_object *o = json_object_new_object(), *e = json_object_new_array();
		for (int i = 0; f->enum_names[i]; i++)
			json_object_array_add(e, json_object_new_string(f->enum_names[i]));
		json_object_object_add(o, "enum", e);
		return o;
	}
	case F_SEQ: return schema_array(schema_obj(f->sub));
	case F_MAP: return schema_obj(f->sub);
	}
	return json_object_new_object();
}

static json_object *schema_obj(const struct objdesc *d)
{
	json_object *o = json_object_new_object(), *props = json_object_new_object(),
		    *req = json_object_new_array();
	json_object_object_add(o, "type", json_object_new_string("object"));
	json_object_object_add(o, "description", json_object_new_string(d->what));
	for (const struct field *f = d->fields; f->key; f++) {
		json_object_object_add(props, f->key, schema_field(f));
		if (f->required)
			json_object_array_add(req, json_object_new_string(f->key));
	}
	json_object_object_add(o, "properties", props);
	if (json_object_array_length(req))
		json_object_object_add(o, "required", req);
	else
		json_object_put(req);
	json_object_object_add(o, "additionalProperties", json_object_new_boolean(0));
	return o;
}

char *azlab_topo_schema(void)
{
	json_object *root = schema_obj(&topo_desc);
	json_object *top = json_object_new_object();
	json_object_object_add(top, "$schema",
			       json_object_new_string("https://json-schema.org/draft/2020-12/schema"));
	json_object_object_add(top, "$id", json_object_new_string("https://nvad.invalid/azlab-topology.schema.json"));
	json_object_object_add(top, "title", json_object_new_string("azlab topology"));
	json_object_object_foreach(root, key, val)
		json_object_object_add(top, key, json_object_get(val));
	json_object_put(root);
	const char *s = json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY |
								JSON_C_TO_STRING_SPACED |
								JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out = s ? strdup(s) : NULL;
	json_object_put(top);
	return out;
}

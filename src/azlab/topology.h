/* topology.h: the lab's topology file (YAML, Azure's vocabulary) read into an
 * immutable model. Owns parsing, types and name resolution; the Azure rules
 * that refuse a well-formed file live in validate.c, the routing in model.c. */
#ifndef NVAD_AZLAB_TOPOLOGY_H
#define NVAD_AZLAB_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "azlab/common.h"

#define AZLAB_MAX_FILE_SIZE (4u << 20)
#define AZLAB_MAX_ASPATH 32

struct azlab_loc {
	unsigned line, col; /* 1-based */
};

enum azlab_nh_type {
	AZLAB_NH_VIRTUAL_APPLIANCE,
	AZLAB_NH_VIRTUAL_NETWORK_GATEWAY,
	AZLAB_NH_VNET_LOCAL,
	AZLAB_NH_INTERNET,
	AZLAB_NH_NONE,
	AZLAB_NH_VNET_PEERING,       /* system only */
	AZLAB_NH_INTERFACE_ENDPOINT, /* system only (R-E3) */
};
const char *azlab_nh_type_name(enum azlab_nh_type t);

enum azlab_role { AZLAB_ROLE_NONE, AZLAB_ROLE_HUB, AZLAB_ROLE_SPOKE, AZLAB_ROLE_ONPREM };
enum azlab_routing_pref { AZLAB_PREF_EXPRESSROUTE, AZLAB_PREF_ASPATH, AZLAB_PREF_VPNGATEWAY };
enum azlab_software { AZLAB_SW_NVAD, AZLAB_SW_FRR, AZLAB_SW_BIRD, AZLAB_SW_NONE };
enum azlab_tunnel_type { AZLAB_TUN_VXLAN, AZLAB_TUN_GRE };

struct azlab_subnet {
	struct azlab_loc loc;
	char *name;
	struct azlab_pfx prefix;
	char *route_table;
	struct azlab_loc route_table_loc;
	int rt;   /* resolved: index into routeTables, -1 without */
	int vnet; /* resolved: owning VNet */
};

struct azlab_vnet {
	struct azlab_loc loc;
	char *name;
	struct azlab_pfx *prefixes;
	size_t n_prefixes;
	int role;
	char *location;
	struct azlab_subnet *subnets;
	size_t n_subnets;
};

struct azlab_udr {
	struct azlab_loc loc;
	char *name;
	struct azlab_pfx prefix;
	int next_hop_type; /* enum azlab_nh_type */
	uint32_t next_hop_ip;
	bool has_next_hop_ip;
};

struct azlab_route_table {
	struct azlab_loc loc;
	char *name;
	bool disable_bgp;
	struct azlab_udr *routes;
	size_t n_routes;
};

struct azlab_peering {
	struct azlab_loc loc;
	char *name;
	char *vnet_name, *remote_name;
	bool access, forwarded, gw_transit, use_remote;
	int vnet, remote; /* resolved */
	int reverse;      /* resolved: the peering remote -> vnet, -1 when none (Initiated) */
};

struct azlab_circuit {
	struct azlab_loc loc;
	char *name;
	char *peering_location;
	int sku; /* 0 Standard, 1 Premium */
};

struct azlab_er_connection {
	struct azlab_loc loc;
	char *name;
	char *circuit_name;
	int circuit; /* resolved */
};

struct azlab_er_gateway {
	struct azlab_loc loc;
	char *name;
	char *vnet_name;
	bool allow_remote_vnet;
	uint32_t ip; /* optional; defaults to the 4th address of GatewaySubnet */
	bool has_ip;
	struct azlab_er_connection *connections;
	size_t n_connections;
	int vnet; /* resolved */
};

struct azlab_bgp_connection {
	struct azlab_loc loc;
	char *name;
	uint32_t peer_ip;
	uint32_t peer_asn;
	int vm; /* resolved: the VM whose privateIPAddress is peer_ip, -1 */
};

struct azlab_route_server {
	struct azlab_loc loc;
	char *name;
	char *vnet_name;
	bool b2b;
	int preference; /* enum azlab_routing_pref */
	struct azlab_bgp_connection *connections;
	size_t n_connections;
	int vnet;          /* resolved */
	uint32_t ips[2];   /* resolved: .4 and .5 of RouteServerSubnet (R-D1) */
	bool has_ips;
};

struct azlab_lb_rule {
	struct azlab_loc loc;
	char *name;
	int protocol; /* 0 All, 1 Tcp, 2 Udp */
	uint32_t frontend_port, backend_port;
	char *probe_name; /* NULL: no probe, every backend counts as healthy */
	int probe;        /* resolved: index in the load balancer's probes, -1 */
};

/* A health probe (R-E4): a TCP connection from 168.63.129.16 to each
 * backend's port every interval; numberOfProbes failures in a row take the
 * backend out of new flows, one success puts it back. */
struct azlab_lb_probe {
	struct azlab_loc loc;
	char *name;
	int protocol; /* 0 Tcp */
	uint32_t port;
	uint32_t interval_s;     /* intervalInSeconds, default 5 */
	uint32_t number_of_probes; /* numberOfProbes, default 2 */
};

struct azlab_load_balancer {
	struct azlab_loc loc;
	char *name;
	int sku; /* 0 Standard, 1 Basic */
	char *subnet_name;
	uint32_t frontend_ip;
	char **backends;
	size_t n_backends;
	struct azlab_lb_rule *rules;
	size_t n_rules;
	struct azlab_lb_probe *probes;
	size_t n_probes;
	int vnet, subnet;   /* resolved */
	int *backend_vms;   /* resolved */
};

struct azlab_pls {
	struct azlab_loc loc;
	char *name;
	char *lb_name;
	char *subnet_name;
	uint32_t *nat_ips;
	size_t n_nat_ips;
	int lb, vnet, subnet; /* resolved */
};

struct azlab_pe {
	struct azlab_loc loc;
	char *name;
	char *subnet_name;
	uint32_t ip;
	char *pls_name;
	int vnet, subnet, pls; /* resolved */
};

struct azlab_advert {
	struct azlab_loc loc;
	char **to; /* route server names; none = every Route Server peered with the NVA */
	size_t n_to;
	struct azlab_pfx prefix;
	uint32_t *as_path; /* as the Route Server receives it; none = the NVA's ASN */
	size_t n_as_path;
	uint32_t next_hop;
	bool has_next_hop;
	bool no_advertise;
};

struct azlab_static_route {
	struct azlab_loc loc;
	struct azlab_pfx prefix;
	uint32_t next_hop;
	uint32_t preferred_source;
	bool has_preferred_source;
};

struct azlab_tunnel {
	struct azlab_loc loc;
	char *name;
	int type; /* enum azlab_tunnel_type */
	uint32_t vni;
	uint32_t remote;
	char *address_text;
	uint32_t address; /* resolved from address_text */
	uint8_t address_len;
	uint32_t mtu;
	uint32_t dst_port;
};

struct azlab_nva {
	struct azlab_loc loc;
	int software;
	char *config;
	uint32_t asn;
	bool relay;       /* re-advertises its best routes between the Route Servers it peers with */
	bool as_override; /* relaying, it replaces 65515 by its own ASN (R-D7) */
	struct azlab_advert *adverts;
	size_t n_adverts;
	struct azlab_static_route *routes;
	size_t n_routes;
	struct azlab_tunnel *tunnels;
	size_t n_tunnels;
};

struct azlab_vm {
	struct azlab_loc loc;
	char *name;
	char *nic_name; /* defaults to NAME-nic */
	char *subnet_name;
	uint32_t ip;
	bool ip_forwarding;
	struct azlab_nva *nva; /* NULL: nothing routes inside */
	int vnet, subnet;      /* resolved */
};

struct azlab_site_host {
	struct azlab_loc loc;
	char *name;
	uint32_t ip;
};

struct azlab_site {
	struct azlab_loc loc;
	char *name;
	char *circuit_name;
	uint32_t asn;
	uint32_t router_ip;
	bool has_router_ip;
	int software;
	char *config;
	struct azlab_pfx *prefixes;
	size_t n_prefixes;
	struct azlab_site_host *hosts;
	size_t n_hosts;
	int circuit; /* resolved */
};

struct azlab_expect_flow {
	struct azlab_loc loc;
	char *from, *to;
	char *at;      /* reach: the endpoint that receives */
	uint32_t source; /* reach: the source address it sees */
	bool has_source;
	char *reason;  /* noReach: a substring of the reason */
};

struct azlab_expect_trace {
	struct azlab_loc loc;
	char *from, *to;
	char **hops; /* "*" or an address */
	size_t n_hops;
};

struct azlab_expect_route {
	struct azlab_loc loc;
	char *at; /* VM, NIC or VNET/SUBNET */
	struct azlab_pfx prefix;
	int source, state, next_hop_type; /* -1 when not given */
	uint32_t *next_hop_ips;
	size_t n_next_hop_ips;
	bool absent;
};

struct azlab_expect_bgp {
	struct azlab_loc loc;
	char *route_server, *nva;
	int direction; /* 0 received (RS -> NVA), 1 advertised (NVA -> RS, accepted) */
	struct azlab_pfx prefix;
	uint32_t *as_path;
	size_t n_as_path;
	bool has_as_path;
	bool absent;
};

struct azlab_expect {
	struct azlab_loc loc;
	struct azlab_expect_flow *reach, *no_reach;
	struct azlab_expect_trace *trace;
	struct azlab_expect_route *route;
	struct azlab_expect_bgp *bgp;
};

struct azlab_topo {
	struct azlab_loc loc;
	char *file; /* as given */
	char *dir;  /* the file's directory, for relative config paths */
	char *name;
	char *description;
	struct azlab_vnet *vnets;
	size_t n_vnets;
	struct azlab_route_table *route_tables;
	size_t n_route_tables;
	struct azlab_peering *peerings;
	size_t n_peerings;
	struct azlab_circuit *circuits;
	size_t n_circuits;
	struct azlab_er_gateway *gateways;
	size_t n_gateways;
	struct azlab_route_server *route_servers;
	size_t n_route_servers;
	struct azlab_load_balancer *lbs;
	size_t n_lbs;
	struct azlab_pls *pls;
	size_t n_pls;
	struct azlab_pe *pes;
	size_t n_pes;
	struct azlab_vm *vms;
	size_t n_vms;
	struct azlab_site *sites;
	size_t n_sites;
	struct azlab_expect *expects;
	size_t n_expects;
};

/* Parses a topology from memory. On error returns NULL and appends
 * "FILE:LINE:COL: message" lines to errs (which may be NULL). */
struct azlab_topo *azlab_topo_parse(const char *text, size_t len, const char *filename,
				    struct azlab_diag *errs);
/* Reads a file (at most AZLAB_MAX_FILE_SIZE) and parses it. */
struct azlab_topo *azlab_topo_load(const char *path, struct azlab_diag *errs);
void azlab_topo_free(struct azlab_topo *t);

/* The JSON Schema of the file (draft 2020-12), made from the same field
 * tables as the reader; a string to free, NULL when memory runs out. */
char *azlab_topo_schema(void);

/* Lookups by name; -1 when absent. */
int azlab_topo_vnet(const struct azlab_topo *t, const char *name);
int azlab_topo_vm(const struct azlab_topo *t, const char *name);
int azlab_topo_vm_by_nic(const struct azlab_topo *t, const char *nic);
int azlab_topo_vm_by_ip(const struct azlab_topo *t, uint32_t ip);
int azlab_topo_route_server(const struct azlab_topo *t, const char *name);
/* "VNET/SUBNET": fills both indices. */
bool azlab_topo_subnet(const struct azlab_topo *t, const char *ref, int *vnet, int *subnet);
const struct azlab_subnet *azlab_topo_subnet_at(const struct azlab_topo *t, int vnet, int subnet);
/* The gateway of a VNet, -1 without. */
int azlab_topo_vnet_gateway(const struct azlab_topo *t, int vnet);
int azlab_topo_vnet_route_server(const struct azlab_topo *t, int vnet);
/* Site and host owning a host name or address; false when none. */
bool azlab_topo_site_host(const struct azlab_topo *t, const char *name, int *site, int *host);

#endif

/* model.h: Azure's routing rules (docs/azure-model.md, sections A to F) as pure
 * functions over a topology and the BGP routes the NVAs advertise: effective
 * routes per subnet, Route Server / gateway / MSEE tables, next hop, path
 * walk and reachability. No I/O: the offline commands and the live fabric
 * both read their answers from here (design.md, principle 7). */
#ifndef NVAD_AZLAB_MODEL_H
#define NVAD_AZLAB_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "azlab/common.h"
#include "azlab/topology.h"

#define AZLAB_ASN_AZURE 65515u /* R-C1, R-D1 */
#define AZLAB_ASN_MSEE 12076u  /* R-C1 */
#define AZLAB_ER_MTU 1400u     /* R-C7: larger packets crossing ER are fragmented */
#define AZLAB_PL_IDLE_S 300u   /* R-E5: idle flows through Private Link expire (fixed in Azure) */
#define AZLAB_MAX_NH 8
#define AZLAB_MAX_HOPS 32

/* ---- the model's input: what the NVAs and the sites' CE routers advertise ----
 * One entry per route an NVA sends to a Route Server: in offline mode from
 * the file's `advertises:` (azlab_feed_from_topology), in live mode from the
 * Adj-RIB-In of the emulated Route Server instances. And, for a site that
 * runs CE software (`software:` nvad or frr), one entry per route its CE
 * sends the MSEE (from_site; vm and route_server -1): offline its declared
 * `prefixes` with the site's ASN as path, live what the emulated MSEE
 * received. A site without software always sends its `prefixes`. */
struct azlab_feed_route {
	int vm;           /* index of the NVA in topo->vms */
	int route_server; /* index in topo->route_servers */
	bool from_site;   /* a CE's route to its MSEE */
	int site;         /* with from_site: index in topo->sites */
	struct azlab_pfx prefix;
	uint32_t as_path[AZLAB_MAX_ASPATH]; /* as received: the NVA's AS first */
	uint8_t n_as;
	uint32_t next_hop;
	bool no_advertise; /* NO_ADVERTISE community (R-D8) */
};

struct azlab_model;

struct azlab_feed {
	struct azlab_feed_route *v;
	size_t n, cap;
};
#define AZLAB_FEED_INIT { 0 }

bool azlab_feed_add(struct azlab_feed *f, const struct azlab_feed_route *r);
/* A site whose CE router runs software of its own (nvad, FRR or BIRD, with a
 * config): its routes come from the feed, and live from a BGP session. */
bool azlab_site_runs_ce(const struct azlab_site *s);
/* The declared advertisements of every NVA to every Route Server they name
 * (or all those that list the NVA as a bgpConnection). */
bool azlab_feed_from_topology(const struct azlab_topo *t, struct azlab_feed *f);
void azlab_feed_free(struct azlab_feed *f);
/* The offline back end's static evaluation of NVAs with `relay: true`: the
 * declared routes plus, for each relaying NVA, its best received route per
 * prefix re-advertised to its other Route Servers (own AS prepended, 65515
 * replaced with asOverride; paths holding its own AS ignored). */
bool azlab_feed_relay(const struct azlab_model *m, const struct azlab_feed *declared,
		      struct azlab_feed *out);

/* ---- BGP routes inside the emulated Azure parts ---- */
enum azlab_origin_kind { AZLAB_FROM_NVA, AZLAB_FROM_GATEWAY, AZLAB_FROM_SITE, AZLAB_FROM_VNET };

struct azlab_bgp_route {
	struct azlab_pfx prefix;
	uint32_t next_hop;
	uint32_t as_path[AZLAB_MAX_ASPATH];
	uint8_t n_as;
	bool no_advertise;
	int origin_kind; /* enum azlab_origin_kind */
	int origin;      /* vm, gateway, site or vnet index */
	int circuit;     /* the circuit it came over, -1 */
	int instance;    /* Route Server instance (0, 1) it is sent from, -1 */
};

/* "65515 12076 12076" */
void azlab_aspath_fmt(const uint32_t *p, size_t n, char *buf, size_t cap);

struct azlab_rlist {
	struct azlab_bgp_route *v;
	size_t n, cap;
};

/* ---- effective routes (R-A9) ---- */
enum azlab_rsource { AZLAB_SRC_DEFAULT, AZLAB_SRC_USER, AZLAB_SRC_VNG };
enum azlab_rstate { AZLAB_ACTIVE, AZLAB_INVALID };
const char *azlab_rsource_name(enum azlab_rsource s);
const char *azlab_rstate_name(enum azlab_rstate s);

struct azlab_eff_route {
	enum azlab_rsource source;
	enum azlab_rstate state;
	struct azlab_pfx prefix;
	enum azlab_nh_type nh_type;
	uint32_t nh_ips[AZLAB_MAX_NH];
	size_t n_nh;
	const char *route_table; /* User: the table's name */
	const char *udr_name;    /* User: the route's name */
	int gateway;             /* VNG from an ER gateway: its index, else -1 */
	int route_server;        /* VNG from a Route Server (NVA route): its index, else -1 */
	int peer_vnet;           /* VNetPeering: the remote VNet; InterfaceEndpoint: the PE */
	uint8_t as_len;          /* VNG: AS path length, for hubRoutingPreference ASPath */
	const char *rule;        /* the rule that made it, or that made it Invalid */
};

struct azlab_eff_table {
	struct azlab_eff_route *v;
	size_t n, cap;
};

/* Builds the model; NULL only when memory runs out. Notes (routes dropped
 * and why) are kept in the model. */
struct azlab_model *azlab_model_build(const struct azlab_topo *t, const struct azlab_feed *feed);
void azlab_model_free(struct azlab_model *m);
/* Offline: the declared feed, then relays evaluated until nothing changes
 * (at most 16 rounds; a note says when it did not settle). feed receives
 * the final input. */
struct azlab_model *azlab_model_build_offline(const struct azlab_topo *t, struct azlab_feed *feed);
const struct azlab_diag *azlab_model_notes(const struct azlab_model *m);
const struct azlab_topo *azlab_model_topo(const struct azlab_model *m);

const struct azlab_eff_table *azlab_model_routes(const struct azlab_model *m, int vnet, int subnet);
/* The Active route that decides dst (longest prefix), NULL when none. */
const struct azlab_eff_route *azlab_model_lookup(const struct azlab_model *m, int vnet, int subnet,
						 uint32_t dst);

/* What Route Server rs accepted from NVAs (R-D1, R-D2, R-D7). */
const struct azlab_rlist *azlab_model_rs_accepted(const struct azlab_model *m, int rs);
/* What each instance of rs sends to the NVA of its connection conn (R-D4);
 * next_hop is the instance address, instance says which. */
const struct azlab_rlist *azlab_model_rs_advertised(const struct azlab_model *m, int rs, int conn);
/* What an ER gateway sends to the MSEE (R-C2) and learns from it (R-C3..C6). */
const struct azlab_rlist *azlab_model_gateway_advertised(const struct azlab_model *m, int gw);
const struct azlab_rlist *azlab_model_gateway_learned(const struct azlab_model *m, int gw);
/* What the MSEE of a circuit holds, and sends to an on-premises site (R-C3). */
const struct azlab_rlist *azlab_model_msee(const struct azlab_model *m, int circuit);
const struct azlab_rlist *azlab_model_site_learned(const struct azlab_model *m, int site);

/* ---- next hop of a flow (Network Watcher's answer) ---- */
struct azlab_nexthop {
	bool found;
	enum azlab_nh_type type;
	uint32_t ip;
	bool has_ip;
	char route_table_id[128]; /* the table name, or "System Route" */
	const struct azlab_eff_route *route;
};
bool azlab_model_nexthop(const struct azlab_model *m, int vm, uint32_t dst,
			 struct azlab_nexthop *out);

/* ---- paths ---- */
enum azlab_ep_kind { AZLAB_EP_VM, AZLAB_EP_HOST };
struct azlab_endpoint {
	int kind;  /* enum azlab_ep_kind */
	int index; /* vm, or site */
	int host;  /* site host */
	uint32_t ip;
};
/* Every VM, then every site host, as the reach matrices list them (at most
 * AZLAB_ENDPOINTS_MAX; the rest are left out). */
#define AZLAB_ENDPOINTS_MAX 256
struct azlab_endpoints {
	struct azlab_endpoint v[AZLAB_ENDPOINTS_MAX];
	const char *name[AZLAB_ENDPOINTS_MAX];
	size_t n;
};
void azlab_endpoints_list(const struct azlab_topo *t, struct azlab_endpoints *e);
/* A VM or site host by name; false when none. */
bool azlab_model_endpoint(const struct azlab_model *m, const char *name, struct azlab_endpoint *ep);
/* An address or a name (VM, site host, Private Endpoint). */
bool azlab_model_address(const struct azlab_model *m, const char *text, uint32_t *ip);

struct azlab_hop {
	char addr[AZLAB_IPSTR]; /* "*" for a hop that does not answer */
	char node[64];
	char why[512]; /* the decisions that brought the packet here */
};

struct azlab_path {
	bool delivered;
	char reason[512]; /* why it failed, with the rule id */
	struct azlab_hop hops[AZLAB_MAX_HOPS];
	size_t n_hops;
	char at[64];       /* the endpoint that received it */
	uint32_t src_seen; /* the source address it had on arrival */
	uint32_t src_sent; /* the source address it left with */
	int at_kind, at_index, at_host; /* receiver, as an endpoint */
	int via_pe;        /* the Private Endpoint on the way, -1 */
	char pending[512];
};

void azlab_model_walk(const struct azlab_model *m, const struct azlab_endpoint *from, uint32_t dst,
		      struct azlab_path *out);

struct azlab_reach {
	bool ok;
	struct azlab_path request, reply;
	char reason[1024];
};
/* Request from `from` to dst, then the receiver's reply to the source it saw. */
void azlab_model_reach(const struct azlab_model *m, const struct azlab_endpoint *from, uint32_t dst,
		       struct azlab_reach *out);

#endif

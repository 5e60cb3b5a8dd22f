/* decision.h: BGP best path selection (RFC 4271 9.1.2 with FRR's order of
 * tie-breaks), as a pure comparison of two candidate paths.
 *
 * The RIB fills a struct bgp_cand per path from its attributes and its peer,
 * then asks which of two is better and which rule decided; the same answer
 * tells whether two paths may share a multipath (ECMP) set. */
#ifndef NVAD_BGP_DECISION_H
#define NVAD_BGP_DECISION_H

#include <stdbool.h>
#include <stdint.h>

#include "attr.h"
#include "lib/prefix.h"

/* The rules, in the order they are applied. */
enum bgp_rule {
	BGP_RULE_NONE = 0,  /* the paths are equal under every rule */
	BGP_RULE_WEIGHT,
	BGP_RULE_LOCAL_PREF,
	BGP_RULE_LOCAL_ROUTE,
	BGP_RULE_AS_PATH,
	BGP_RULE_ORIGIN,
	BGP_RULE_MED,
	BGP_RULE_PEER_TYPE, /* eBGP over iBGP */
	BGP_RULE_IGP_METRIC,
	/* Paths equal up to here may form a multipath set. */
	BGP_RULE_OLDER,     /* the older of two eBGP paths */
	BGP_RULE_ROUTER_ID,
	BGP_RULE_CLUSTER_LEN,
	BGP_RULE_PEER_ADDR,
};

struct bgp_cand {
	uint32_t weight;
	uint32_t local_pref;   /* 100 when the path has none */
	bool local;            /* originated here: network, redistribute */
	unsigned aspath_len;   /* bgp_aspath_length */
	uint8_t origin;
	uint32_t med;          /* 0 when the path has none */
	uint32_t neighbor_as;  /* first AS of the path; 0 for local routes */
	struct bgp_bytes aspath; /* the path itself, for multipath */
	bool ebgp;
	uint32_t igp_metric;
	uint64_t received;     /* arrival order, smaller is older */
	uint32_t router_id;    /* ORIGINATOR_ID if present, else the peer's BGP ID */
	unsigned cluster_len;
	struct ipaddr peer;    /* the peer's address; unspecified for local routes */
};

struct bgp_decision_opts {
	bool always_compare_med;   /* bgp always-compare-med */
	bool compare_router_id;    /* bgp bestpath compare-routerid: skip "older" */
	bool as_path_ignore;       /* bgp bestpath as-path ignore */
	bool multipath_relax;      /* bgp bestpath as-path multipath-relax */
};

/* < 0 when a is better, > 0 when b is, 0 when no rule tells them apart.
 * *rule is the rule that decided. */
int bgp_cand_cmp(const struct bgp_cand *a, const struct bgp_cand *b,
		 const struct bgp_decision_opts *o, uint8_t *rule);

/* True when b may join a's multipath set: equal up to the IGP metric, both
 * of a's kind (eBGP or iBGP), and with the same AS path unless
 * multipath-relax (then the same length is enough), as FRR groups them. */
bool bgp_cand_multipath(const struct bgp_cand *a, const struct bgp_cand *b,
			const struct bgp_decision_opts *o);

/* The reason FRR prints for a rule ("Weight", "Local Pref", ...). */
const char *bgp_rule_reason(uint8_t rule);

#endif

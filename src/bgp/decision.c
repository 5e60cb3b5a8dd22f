/* decision.c: the rules of best path selection, one comparison each, applied
 * in FRR's order (bgpd's bgp_path_info_cmp is the behaviour users know). */
#include "decision.h"

#include <string.h>

/* Each rule: < 0 prefers a, > 0 prefers b, 0 goes on. */
typedef int (*rule_fn)(const struct bgp_cand *a, const struct bgp_cand *b,
		       const struct bgp_decision_opts *o);

static int higher(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static int lower(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

static int by_weight(const struct bgp_cand *a, const struct bgp_cand *b,
		     const struct bgp_decision_opts *o)
{
	(void)o;
	return higher(a->weight, b->weight);
}

static int by_local_pref(const struct bgp_cand *a, const struct bgp_cand *b,
			 const struct bgp_decision_opts *o)
{
	(void)o;
	return higher(a->local_pref, b->local_pref);
}

static int by_local_route(const struct bgp_cand *a, const struct bgp_cand *b,
			  const struct bgp_decision_opts *o)
{
	(void)o;
	return higher(a->local, b->local);
}

static int by_as_path(const struct bgp_cand *a, const struct bgp_cand *b,
		      const struct bgp_decision_opts *o)
{
	return o->as_path_ignore ? 0 : lower(a->aspath_len, b->aspath_len);
}

static int by_origin(const struct bgp_cand *a, const struct bgp_cand *b,
		     const struct bgp_decision_opts *o)
{
	(void)o;
	return lower(a->origin, b->origin);
}

/* MED is compared only between paths from the same neighbor AS (RFC 4271
 * 9.1.2.2 c), unless always-compare-med. */
static int by_med(const struct bgp_cand *a, const struct bgp_cand *b,
		  const struct bgp_decision_opts *o)
{
	if (!o->always_compare_med && a->neighbor_as != b->neighbor_as)
		return 0;
	return lower(a->med, b->med);
}

static int by_peer_type(const struct bgp_cand *a, const struct bgp_cand *b,
			const struct bgp_decision_opts *o)
{
	(void)o;
	return higher(a->ebgp, b->ebgp);
}

static int by_igp_metric(const struct bgp_cand *a, const struct bgp_cand *b,
			 const struct bgp_decision_opts *o)
{
	(void)o;
	return lower(a->igp_metric, b->igp_metric);
}

/* Of two eBGP paths the older is kept, which damps flapping (RFC 5004). */
static int by_older(const struct bgp_cand *a, const struct bgp_cand *b,
		    const struct bgp_decision_opts *o)
{
	if (o->compare_router_id || !a->ebgp || !b->ebgp)
		return 0;
	return lower(a->received, b->received);
}

static int by_router_id(const struct bgp_cand *a, const struct bgp_cand *b,
			const struct bgp_decision_opts *o)
{
	(void)o;
	return lower(a->router_id, b->router_id);
}

static int by_cluster_len(const struct bgp_cand *a, const struct bgp_cand *b,
			  const struct bgp_decision_opts *o)
{
	(void)o;
	return lower(a->cluster_len, b->cluster_len);
}

/* Lower address wins; IPv4 before IPv6. */
static int by_peer_addr(const struct bgp_cand *a, const struct bgp_cand *b,
			const struct bgp_decision_opts *o)
{
	(void)o;
	if (a->peer.family != b->peer.family)
		return lower(a->peer.family, b->peer.family);
	int c = memcmp(a->peer.a, b->peer.a, sizeof(a->peer.a));
	return c < 0 ? -1 : c > 0 ? 1 : 0;
}

static const struct {
	uint8_t rule;
	rule_fn fn;
	const char *reason;
} rules[] = {
	{ BGP_RULE_WEIGHT, by_weight, "Weight" },
	{ BGP_RULE_LOCAL_PREF, by_local_pref, "Local Pref" },
	{ BGP_RULE_LOCAL_ROUTE, by_local_route, "Local Route" },
	{ BGP_RULE_AS_PATH, by_as_path, "AS Path" },
	{ BGP_RULE_ORIGIN, by_origin, "Origin" },
	{ BGP_RULE_MED, by_med, "MED" },
	{ BGP_RULE_PEER_TYPE, by_peer_type, "Peer Type" },
	{ BGP_RULE_IGP_METRIC, by_igp_metric, "IGP Metric" },
	{ BGP_RULE_OLDER, by_older, "Older Path" },
	{ BGP_RULE_ROUTER_ID, by_router_id, "Router ID" },
	{ BGP_RULE_CLUSTER_LEN, by_cluster_len, "Cluster length" },
	{ BGP_RULE_PEER_ADDR, by_peer_addr, "Neighbor IP" },
};

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

int bgp_cand_cmp(const struct bgp_cand *a, const struct bgp_cand *b,
		 const struct bgp_decision_opts *o, uint8_t *rule)
{
	for (unsigned i = 0; i < N_RULES; i++) {
		int c = rules[i].fn(a, b, o);
		if (c) {
			*rule = rules[i].rule;
			return c;
		}
	}
	*rule = BGP_RULE_NONE;
	return 0;
}

bool bgp_cand_multipath(const struct bgp_cand *a, const struct bgp_cand *b,
			const struct bgp_decision_opts *o)
{
	uint8_t rule;
	bgp_cand_cmp(a, b, o, &rule);
	if (rule != BGP_RULE_NONE && rule < BGP_RULE_OLDER)
		return false;
	if (a->ebgp != b->ebgp)
		return false;
	return o->multipath_relax ||
	       (a->aspath.len == b->aspath.len &&
		(a->aspath.len == 0 || memcmp(a->aspath.p, b->aspath.p, a->aspath.len) == 0));
}

const char *bgp_rule_reason(uint8_t rule)
{
	for (unsigned i = 0; i < N_RULES; i++)
		if (rules[i].rule == rule)
			return rules[i].reason;
	return "First path received";
}

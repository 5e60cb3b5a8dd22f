/* policy.h: the routing policy engine: prefix-lists, as-path access-lists,
 * community lists and route-maps compiled from a struct conf and evaluated
 * exactly as FRR 8.4 bgpd does (see docs/policy.md). Pure: no I/O, no global
 * state; a compiled struct policy is immutable and may be shared read-only. */
#ifndef NVAD_POLICY_POLICY_H
#define NVAD_POLICY_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp/attr.h"
#include "conf/conf.h"
#include "lib/prefix.h"

enum policy_verdict { POLICY_DENY = 0, POLICY_PERMIT = 1 };

enum policy_dir { POLICY_IN, POLICY_OUT };

struct policy;

/* Compiles every prefix-list, as-path list, community list and route-map of
 * c. Returns NULL with "FILE:LINE: message" in errs (may be NULL) when a
 * regular expression does not compile, or when out of memory. References to
 * undefined objects are not errors (FRR accepts them; see docs/policy.md). */
struct policy *policy_compile(const struct conf *c, struct conf_errors *errs);
void policy_free(struct policy *pol);

/* ---- Prefix lists (family AF_INET: `ip prefix-list`, AF_INET6: `ipv6`). ----
 * Entries in seq order, first match wins, implicit deny. An undefined list
 * denies, which is what FRR does both for `neighbor X prefix-list NAME in|out`
 * (the route is filtered) and for `match ip address prefix-list NAME` (the
 * clause does not match). A prefix of the other family never matches. */
enum policy_verdict policy_prefix_list(const struct policy *pol, uint8_t family, const char *name,
				       const struct prefix *p);
bool policy_prefix_list_exists(const struct policy *pol, uint8_t family, const char *name);

/* ---- AS-path access lists: FRR's regex flavour over the path as FRR prints
 * it ("65515 12076 {1,2}"); first match wins, implicit deny. An undefined list
 * denies (neighbor filter-list: filtered; match as-path: no match). ---- */
enum policy_verdict policy_aspath_list(const struct policy *pol, const char *name,
				       struct bgp_bytes aspath);
bool policy_aspath_list_exists(const struct policy *pol, const char *name);

/* ---- Community lists: true when the first entry that matches the route's
 * communities (n x 4 octets) is a permit; false when none matches or the list
 * is undefined. exact: `match community NAME exact-match`. ---- */
bool policy_community_list_match(const struct policy *pol, const char *name,
				 struct bgp_bytes communities, bool exact);
bool policy_large_community_list_match(const struct policy *pol, const char *name,
				       struct bgp_bytes large, bool exact);
bool policy_community_list_exists(const struct policy *pol, bool large, const char *name);

/* ---- Route-maps. ----
 * A context carries one route through a route-map: inputs set by the caller
 * (policy_ctx_init), the attributes as a mutable copy, and what the sets did.
 * Rewritten variable parts (AS path, communities) live in buffers owned by the
 * ctx: views in ctx->attrs stay valid until the next policy call on this ctx
 * or policy_ctx_release. A ctx may be reused for many routes (its buffers are
 * kept, which saves allocations on the RIB's hot path). */
struct policy_buf {
	uint8_t *p;
	size_t cap;
};

struct policy_ctx {
	/* inputs */
	struct prefix prefix;
	enum policy_dir dir;
	struct ipaddr peer_addr; /* the neighbor the route is from (in) or to (out) */
	uint32_t peer_as;
	uint32_t local_as;       /* our AS toward that peer */
	/* in/out: the route */
	struct bgp_attrs attrs;
	uint32_t weight;
	/* out: side effects of sets that are not BGP attributes */
	bool nh_peer_address; /* `set ip next-hop peer-address` outbound: the
			       * Adj-RIB-Out must write our own address toward
			       * the peer (inbound the next hop is rewritten) */
	bool src_set;         /* `set src`: for the kernel route only */
	struct ipaddr src;
	bool oom;             /* a set ran out of memory: the verdict was deny */
	/* private */
	struct policy_buf buf[3], scratch;
	unsigned depth;
};

/* Starts a route: copies p and a (views, not bytes), clears side effects;
 * dir, peer and AS fields are to be set by the caller. Keeps the buffers of a
 * ctx used before (zero-initialise a new ctx first). */
void policy_ctx_init(struct policy_ctx *ctx, const struct prefix *p, const struct bgp_attrs *a,
		     uint32_t weight);
void policy_ctx_release(struct policy_ctx *ctx);

/* FRR's route_map_apply. An undefined route-map denies (FRR: `neighbor X
 * route-map NAME in|out` with an undefined NAME filters every route). */
enum policy_verdict policy_route_map(const struct policy *pol, const char *name,
				     struct policy_ctx *ctx);
bool policy_route_map_exists(const struct policy *pol, const char *name);

/* FRR's order for a neighbor in one address family: prefix-list, then
 * filter-list (on the path as received / as it stands before our AS is
 * prepended), then route-map. Any name may be NULL (not configured); a name
 * that is configured but undefined denies (verified against FRR 8.4). */
enum policy_verdict policy_peer_filter(const struct policy *pol, const char *plist,
				       const char *flist, const char *rmap, struct policy_ctx *ctx);

#endif

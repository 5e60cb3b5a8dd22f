/* fib.h: what the kernel should hold for nvad, computed: the winners among
 * nvad's sources for each prefix (BGP best paths and multipath sets, static
 * routes), by administrative distance as FRR's zebra chooses, with BGP next
 * hops resolved recursively against the routes of the kernel itself
 * (connected and kernel routes, and nvad's own static routes) — down to a
 * gateway on a connected subnet or an interface. Re-resolved when the
 * underlying routes change.
 *
 * Pure: no netlink here. Inputs go in; fib_sync hands out the routes to
 * install (replace) or remove, as kernel_route_spec values for route.c. */
#ifndef NVAD_KERNEL_FIB_H
#define NVAD_KERNEL_FIB_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "route.h"

enum fib_source {
	FIB_SRC_STATIC, /* ip route (distance 1 unless given) */
	FIB_SRC_EBGP,   /* distance 20 */
	FIB_SRC_IBGP,   /* distance 200 */
	FIB_SRC_COUNT,
};

/* A next hop as a source gives it: a gateway that may need resolving (BGP,
 * or a static route via an address), an interface (static), or a blackhole. */
struct fib_nexthop {
	uint8_t kind;          /* enum kernel_nh_kind */
	struct ipaddr gateway;
	int ifindex;           /* 0 unless given (static via address + interface, or interface) */
};

/* Underlay kinds: routes in the kernel that nvad did not put there. */
enum fib_underlay { FIB_UL_CONNECTED, FIB_UL_KERNEL };

struct fib;

struct fib_opts {
	uint32_t table;        /* where nvad's routes go (254: main) */
	bool resolve_via_default; /* a next hop (BGP's, or a static route's gateway) may resolve
				   * through 0.0.0.0/0 or ::/0 (FRR's ip nht resolve-via-default) */
	uint32_t metric_ebgp;  /* kernel metric of installed routes by source: 20, 200, 1... */
	uint32_t metric_ibgp;
	uint32_t metric_static;
};

struct fib *fib_new(const struct fib_opts *o);
void fib_free(struct fib *f);

/* A kernel route that is not nvad's (from netlink events; never one of
 * protocol KERNEL_RTPROT_NVAD): connected subnets (an interface address's
 * subnet, via that interface: nh[0] KERNEL_NH_IFACE with its ifindex) and
 * kernel routes (with their next hops). A route is known by its prefix, kind
 * and metric, and for a connected subnet also by the ifindex of nh[0] (the
 * same subnet may sit on two interfaces, as fe80::/64 does): add replaces the
 * one so known, add false removes it (a connected one with n_nh 0: the first
 * of that prefix and metric). A kernel route's distance is the top byte of its
 * metric, as zebra reads it (0 for the usual metrics). False when out of
 * memory (nothing changed). */
bool fib_underlay(struct fib *f, bool add, uint8_t kind, const struct prefix *p, uint32_t metric,
		  const struct kernel_nexthop *nh, unsigned n_nh);

/* The route of a source for a prefix (replacing that source's previous one);
 * n_nh 0 removes it. distance 0 means the source's default; 255 keeps the
 * route out of the kernel (zebra's "infinite" distance). src: preferred source
 * address to install with (NULL or family 0: none). Next hops past
 * KERNEL_MAX_NEXTHOPS are ignored. False when out of memory (nothing
 * changed). */
bool fib_set(struct fib *f, uint8_t source, const struct prefix *p, const struct fib_nexthop *nh,
	     unsigned n_nh, uint8_t distance, const struct ipaddr *src);
/* fib_set, and the route of the source `other` for the prefix removed, with
 * one lookup of the prefix: a BGP route moving between eBGP and iBGP. other
 * FIB_SRC_COUNT removes nothing. */
bool fib_set_other(struct fib *f, uint8_t other, uint8_t source, const struct prefix *p,
		   const struct fib_nexthop *nh, unsigned n_nh, uint8_t distance,
		   const struct ipaddr *src);

/* Advice before fib_set calls for the n prefixes p: their lookups are
 * started, to overlap. Changes nothing. */
void fib_warm(const struct fib *f, const struct prefix *p, unsigned n);

/* Routes to write since the last sync: install (replace) or remove. Each is
 * given once; f remembers what it handed out as installed (a 64-bit digest of
 * each route, not the route). A route that moves to another metric (another
 * source won) is installed at the new metric before the old one is removed.
 * A removal carries the prefix, table, protocol and metric, no next hops (the
 * kernel deletes by those). The callbacks must not call back into f; the spec
 * they get is valid during the call only. */
void fib_sync(struct fib *f, void (*install)(void *ctx, const struct kernel_route_spec *r),
	      void (*remove)(void *ctx, const struct kernel_route_spec *r), void *ctx);

/* Seeds what is already installed (routes of nvad's protocol found in the
 * kernel at start): they count as installed, so an equal route is not written
 * again; fib_sweep then removes those no source wanted (after the peers'
 * End-of-RIB, or a timer): it only marks them, the next fib_sync hands out the
 * removals. Routes of another table or protocol than nvad's are ignored.
 * False when out of memory. */
bool fib_adopt(struct fib *f, const struct kernel_route_spec *r);
void fib_sweep(struct fib *f);

/* Counters, for `show` and for tests. */
struct fib_stats {
	uint64_t resolutions; /* next-hop addresses (re)resolved, ever */
	size_t nexthops;      /* distinct next-hop addresses tracked now */
	size_t prefixes;      /* prefixes with a route of any source or installed */
	size_t installed;     /* routes nvad holds in the kernel (adopted included) */
};
void fib_get_stats(const struct fib *f, struct fib_stats *out);

/* For `show ip route`: every prefix's candidate routes, selected or not, and
 * how their next hops resolved. */
struct fib_entry_view {
	const struct prefix *prefix;
	uint8_t source;        /* enum fib_source, or FIB_SRC_COUNT + enum fib_underlay */
	uint8_t distance;
	uint32_t metric;
	bool selected;         /* the winner for this prefix */
	bool installed;        /* written to the kernel (nvad's) or there already (underlay) */
	unsigned n_nh;
	const struct fib_nexthop *nh;          /* as the source gave them */
	unsigned n_resolved;
	const struct kernel_nexthop *resolved; /* what is (or would be) installed */
};
/* In prefix order, a prefix's candidates in order of preference; the view's
 * pointers are valid during the call only. When the memory to sort the
 * prefixes cannot be had, they come in no particular order. */
void fib_walk(const struct fib *f, uint8_t family, void (*fn)(void *ctx, const struct fib_entry_view *e),
	      void *ctx);

#endif

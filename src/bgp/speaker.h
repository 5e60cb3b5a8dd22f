/* speaker.h: a BGP speaker: one instance of BGP (an AS, a router id, its
 * neighbors and its RIB) running on an event loop.
 *
 * A speaker is a value: nvad runs one, azlab several (an emulated Route
 * Server instance each). It owns its sockets, timers and routes; the caller
 * gives it a loop, a logger and configuration, and asks it questions through
 * the functions of show.h. */
#ifndef NVAD_BGP_SPEAKER_H
#define NVAD_BGP_SPEAKER_H

#include <stdbool.h>
#include <stdint.h>

#include "attr.h"
#include "lib/log.h"
#include "lib/loop.h"
#include "lib/prefix.h"

struct bgp_speaker;
struct bgp_peer;

enum bgp_family { BGP_FAM_IPV4, BGP_FAM_IPV6, BGP_FAM_COUNT };

enum bgp_remote_as_kind { BGP_REMOTE_AS_NUMBER, BGP_REMOTE_AS_EXTERNAL, BGP_REMOTE_AS_INTERNAL };

#define BGP_POLICY_NAME 129

/* Per neighbor and family. Policy names are "" when not configured. */
struct bgp_peer_af_cfg {
	bool active;
	bool soft_reconfig_in;  /* keep the Adj-RIB-In before policy */
	bool policy_in;         /* some inbound policy is configured */
	bool policy_out;        /* some outbound policy is configured */
	bool next_hop_self;
	uint32_t weight;
	char rmap_in[BGP_POLICY_NAME], rmap_out[BGP_POLICY_NAME];
	char plist_in[BGP_POLICY_NAME], plist_out[BGP_POLICY_NAME];
	char flist_in[BGP_POLICY_NAME], flist_out[BGP_POLICY_NAME];
	bool as_override;        /* our AS for every occurrence of the peer's (out) */
	uint8_t allowas_in;      /* our AS accepted up to N times in a path (in) */
	bool allowas_in_origin;  /* ...or only as the origin AS */
	uint8_t remove_private_as; /* enum bgp_rpas (out, eBGP) */
	uint32_t max_prefix;     /* 0: no limit (in) */
	uint8_t max_prefix_threshold; /* percent: warn from there */
	uint16_t max_prefix_restart;  /* minutes before a session cut by the limit restarts */
	bool max_prefix_warning_only;
	uint32_t max_prefix_out; /* 0: no limit */
	bool default_originate;  /* send a default route, whatever the RIB holds */
	uint8_t send_community;  /* BGP_SEND_* bits: the attributes that go out */
};

enum bgp_rpas { BGP_RPAS_OFF, BGP_RPAS_ON, BGP_RPAS_ALL, BGP_RPAS_REPLACE, BGP_RPAS_ALL_REPLACE };
#define BGP_SEND_STANDARD 0x1
#define BGP_SEND_EXTENDED 0x2
#define BGP_SEND_LARGE 0x4
#define BGP_SEND_ALL 0x7

struct bgp_peer_cfg {
	struct ipaddr addr;
	uint8_t remote_as_kind;  /* enum bgp_remote_as_kind */
	uint32_t remote_as;      /* with BGP_REMOTE_AS_NUMBER */
	char description[81];
	uint16_t port;           /* the peer's port, 179 unless set */
	uint8_t multihop_ttl;    /* ebgp-multihop N; 0: 1 for eBGP, 255 for iBGP */
	uint8_t ttl_security;    /* ttl-security hops N (GTSM), 0 off */
	struct ipaddr update_source; /* family 0 when not set */
	char update_source_if[16];
	char password[81];       /* TCP MD5 (RFC 2385), "" when none */
	bool shutdown;
	bool passive;
	bool enforce_first_as;   /* the first AS of eBGP paths must be the peer's */
	uint16_t keepalive;      /* 0xffff: the speaker's */
	uint16_t hold;           /* 0xffff: the speaker's */
	uint16_t connect_retry;  /* seconds, 0: the speaker's */
	char peer_group[BGP_POLICY_NAME]; /* "" when in none */
	struct bgp_peer_af_cfg af[BGP_FAM_COUNT];
};

struct bgp_speaker_cfg {
	uint32_t asn;
	uint32_t router_id;      /* host order; 0: the caller must pick one */
	uint16_t listen_port;    /* 179; 0 to not listen */
	uint16_t keepalive;      /* seconds */
	uint16_t hold;
	uint16_t connect_retry;
	bool ebgp_requires_policy;
	bool fast_external_failover; /* see bgp_speaker_link_down */
	bool log_neighbor_changes;
	uint8_t maximum_paths[BGP_FAM_COUNT];      /* eBGP multipath, 1 = off */
	uint8_t maximum_paths_ibgp[BGP_FAM_COUNT];
	const char *hostname;    /* for the FQDN capability; may be NULL */
	/* Graceful restart capability (RFC 4724): its restart time (0: not
	 * advertised), the Restart State bit (we restarted and kept our
	 * routes), and whether forwarding state is kept per family. */
	uint16_t gr_restart_time;
	bool gr_restarting;
	bool gr_forwarding;
};

void bgp_speaker_cfg_defaults(struct bgp_speaker_cfg *c);
void bgp_peer_cfg_defaults(struct bgp_peer_cfg *c);

struct bgp_speaker *bgp_speaker_new(struct loop *loop, const struct logger *log,
				    const struct bgp_speaker_cfg *cfg);
void bgp_speaker_free(struct bgp_speaker *s);

/* Applies changed instance settings (timers for new sessions, RFC 8212,
 * logging, multipath); neighbors affected by a policy change get a soft
 * reconfiguration. The ASN and router id are fixed for a speaker's life. */
void bgp_speaker_set(struct bgp_speaker *s, const struct bgp_speaker_cfg *cfg);
uint32_t bgp_speaker_router_id(const struct bgp_speaker *s);
uint32_t bgp_speaker_asn(const struct bgp_speaker *s);

/* The compiled policy the neighbors' route-maps and lists refer to (see
 * src/policy); NULL means none is defined. The speaker does not own it: the
 * caller keeps it alive until it sets another. With changed true, every
 * established neighbor's routes are evaluated again in and out (soft
 * reconfiguration); false only swaps in an equal policy. */
struct policy;
void bgp_speaker_set_policy(struct bgp_speaker *s, const struct policy *pol, bool changed);

/* An interface went down. With fast_external_failover, the sessions with
 * directly connected eBGP neighbors (no ebgp-multihop, or ttl-security hops
 * 1) over it are reset at once rather than left to their hold timer, as
 * FRR's bgp fast-external-failover does. */
void bgp_speaker_link_down(struct bgp_speaker *s, int ifindex);

/* Opens the listening sockets (IPv4 and IPv6 on the configured port). False
 * with errno set when neither could be opened. */
bool bgp_speaker_listen(struct bgp_speaker *s);
/* 0 when the speaker listens for family (AF_INET or AF_INET6), else why not
 * (an errno value; ENOTCONN before bgp_speaker_listen). One family can fail
 * while the other listens, and bgp_speaker_listen then returns true. */
int bgp_speaker_listen_error(const struct bgp_speaker *s, int family);

/* Neighbors. bgp_peer_set applies a new configuration to an existing peer and
 * resets the session only when a session parameter changed; it returns true
 * when it did reset. */
struct bgp_peer *bgp_peer_add(struct bgp_speaker *s, const struct bgp_peer_cfg *cfg);
struct bgp_peer *bgp_peer_find(struct bgp_speaker *s, const struct ipaddr *addr);
bool bgp_peer_set(struct bgp_peer *p, const struct bgp_peer_cfg *cfg);
void bgp_peer_remove(struct bgp_peer *p);
/* clear ip bgp X: a hard reset of the session. */
void bgp_peer_reset(struct bgp_peer *p);
/* clear ip bgp (*|X) [soft [in|out]]: one peer, or all when p is NULL. */
void bgp_speaker_clear(struct bgp_speaker *s, struct bgp_peer *p, bool soft, bool in, bool out);
/* clear ip bgp X soft in|out. */
void bgp_peer_soft_in(struct bgp_peer *p);
void bgp_peer_soft_out(struct bgp_peer *p);

/* Events for `monitor`: a session changed state, or a destination's best path
 * changed (attrs NULL: no route any more). Pointers are valid during the
 * call only. */
enum bgp_event_type { BGP_EVENT_SESSION, BGP_EVENT_ROUTE, BGP_EVENT_EOR };

struct bgp_speaker_event {
	uint8_t type;               /* enum bgp_event_type */
	const struct ipaddr *peer;  /* the session's neighbor; the route's source */
	bool local;                 /* a route originated here */
	uint8_t state;              /* BGP_EVENT_SESSION: enum bgp_state */
	const char *reason;         /* BGP_EVENT_SESSION: why it went down */
	const struct prefix *prefix;
	const struct bgp_attrs *attrs;
};

typedef void (*bgp_event_fn)(void *ctx, const struct bgp_speaker_event *ev);
void bgp_speaker_on_event(struct bgp_speaker *s, bgp_event_fn fn, void *ctx);

/* The forwarding side: for each destination whose selection changed, the
 * next hops of its best path and multipath set (n 0: no route any more),
 * eBGP or iBGP by the best path's peer. Locally originated routes are not
 * reported (they come from the kernel or the configuration already). */
#define BGP_FIB_MAX_NEXTHOPS 64

struct bgp_fib_nexthop {
	struct ipaddr addr;
	int ifindex;  /* for an IPv6 link-local next hop: the session's interface */
};

typedef void (*bgp_fib_fn)(void *ctx, const struct prefix *p, bool ebgp,
			   const struct bgp_fib_nexthop *nh, unsigned n);
/* Optional (may be NULL): the n prefixes whose fib_fn calls come next, so
 * that the forwarding side can bring what it will look up into the cache
 * (advice only; a prefix may then not be reported after all). */
typedef void (*bgp_fib_warm_fn)(void *ctx, const struct prefix *p, unsigned n);
void bgp_speaker_on_fib(struct bgp_speaker *s, bgp_fib_fn fn, bgp_fib_warm_fn warm, void *ctx);
/* Reports every destination to the forwarding side again (its policy for
 * the kernel changed). */
void bgp_speaker_fib_replay(struct bgp_speaker *s);
/* True when at least one session is up and every established session has
 * sent End-of-RIB for each of its families. */
bool bgp_speaker_all_eor(const struct bgp_speaker *s);

/* Local routes (network, redistribute): the speaker originates prefix with
 * these attributes (origin, MED, next hop) until withdrawn. */
enum bgp_local_kind { BGP_LOCAL_NETWORK, BGP_LOCAL_STATIC, BGP_LOCAL_CONNECTED,
		      BGP_LOCAL_KERNEL, BGP_LOCAL_COUNT };
bool bgp_local_add(struct bgp_speaker *s, uint8_t kind, const struct prefix *p,
		   const struct bgp_attrs *a);
void bgp_local_del(struct bgp_speaker *s, uint8_t kind, const struct prefix *p);

/* The routes a peer has sent in a family, in prefix order: fn gets each
 * prefix with its attributes as received (before inbound policy, when the
 * neighbor has soft-reconfiguration inbound; raw false or no such copy: as
 * accepted, and routes the policy denied are left out) and whether inbound
 * policy accepted it. The attributes are valid during the call only; fn must
 * not change the speaker. Returns the number of routes given to fn.
 * bgp_peer_updates_in counts the UPDATEs received from the peer, so that a
 * caller can tell cheaply whether walking again is worth it. */
typedef void (*bgp_route_fn)(void *ctx, const struct prefix *p, const struct bgp_attrs *a,
			     bool accepted);
size_t bgp_peer_routes(const struct bgp_peer *p, uint8_t fam, bool raw, bgp_route_fn fn, void *ctx);
uint64_t bgp_peer_updates_in(const struct bgp_peer *p);

#endif

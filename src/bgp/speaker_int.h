/* speaker_int.h: the inside of a speaker, shared by its modules (session,
 * rib, adjout, show) and nobody else. */
#ifndef NVAD_BGP_SPEAKER_INT_H
#define NVAD_BGP_SPEAKER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "attr_intern.h"
#include "decision.h"
#include "fsm.h"
#include "lib/pindex.h"
#include "lib/slab.h"
#include "msg.h"
#include "policy/policy.h"
#include "speaker.h"
#include "update.h"

#define BGP_HOLD_LARGE_MS (4 * 60 * 1000) /* RFC 4271 8.2.2: while OPEN is awaited */
#define BGP_OUT_HIGH_WATER (256 * 1024)    /* stop building updates above this */
#define BGP_MAX_PEERS 1024
#define BGP_SCRATCH_SIZE BGP_UPDATE_SCRATCH_SIZE(BGP_MAX_EXT_MSG)
#define BGP_STALE_WAIT_MS (360 * 1000) /* End-of-RIB awaited after a restart (FRR's stalepath-time) */

/* Bytes waiting to be sent: p[head..len). */
struct bgp_obuf {
	uint8_t *p;
	size_t head, len, cap;
};

struct bgp_conn {
	struct bgp_peer *peer;
	struct loop_fd lfd;     /* fd -1 when there is no connection */
	uint8_t state;          /* enum bgp_state */
	bool outgoing;
	bool connecting;        /* a non-blocking connect in progress */
	struct loop_timer hold_timer, keepalive_timer;
	uint16_t hold_time;     /* negotiated, seconds */
	uint16_t keepalive_time;
	uint32_t remote_id;     /* from the peer's OPEN */
	uint8_t *rbuf;          /* bytes read and not yet handled */
	size_t rlen, rcap;
	struct bgp_obuf out;
};

struct bgp_peer_stats {
	uint64_t open_in, open_out, update_in, update_out, notify_in, notify_out;
	uint64_t keepalive_in, keepalive_out, refresh_in, refresh_out;
	unsigned established, dropped;
};

/* The walks of the table that send to one peer. */
enum adjout_walk {
	WALK_INITIAL, /* a new session: what was not sent yet */
	WALK_RESYNC,  /* outbound settings changed: everything again */
	WALK_OWN,     /* the echo changed: the routes learned from the peer */
	WALK_REFRESH, /* route refresh: what was sent, again */
};

/* A family's route exchange with one peer. */
struct bgp_peer_af {
	bool negotiated;       /* both sides announced the family */
	bool eor_received, eor_sent;
	bool walking;          /* the table is being sent by a walk */
	uint8_t walk_mode;     /* ...which one: enum adjout_walk */
	bool refresh_due;      /* a route refresh is served by the walk */
	bool walk_started;
	/* Routes learned from this peer are advertised back to it: it shares its
	 * outbound settings with another established peer (see adjout_groups). */
	bool echo;
	uint32_t walk_next;    /* the pool index where the walk resumes */
	uint32_t pfx_received; /* paths held from the peer */
	uint32_t pfx_accepted; /* of those, accepted by inbound policy */
	uint32_t pfx_sent;     /* prefixes in the Adj-RIB-Out */
	bool max_prefix_warned;
	bool max_prefix_over;  /* warning-only: the excess was logged */
	bool default_sent;     /* default-originate: the default route is out */
};

struct bgp_peer {
	struct bgp_speaker *s;
	struct bgp_peer_cfg cfg;
	uint16_t slot;             /* 1.. ; 0 is the speaker's own routes */
	struct bgp_conn conn[2];   /* [0] outgoing, [1] incoming */
	struct bgp_conn *est;      /* the connection in Established, or NULL */
	struct loop_timer connect_retry;
	unsigned retry_count;
	bool held_down;            /* cut by maximum-prefix: no restart until cleared */
	/* Graceful restart, as helper (RFC 4724): what the peer's OPEN said, and
	 * its routes kept as stale while it restarts. */
	uint16_t gr_time;          /* the peer's restart time, 0: no capability */
	uint8_t gr_afs;            /* families it listed in the capability */
	bool gr_stale;             /* stale paths of the peer are in the RIB */
	struct loop_timer gr_timer;
	/* Negotiated on the established connection. */
	bool as4, ext_msg, route_refresh, enhanced_rr;
	uint32_t remote_id;
	uint32_t remote_as;        /* as the peer's OPEN says */
	uint16_t hold_time, keepalive_time;
	char remote_hostname[64];
	struct bgp_peer_af af[BGP_FAM_COUNT];
	struct bgp_peer_stats stats;
	int64_t state_since;       /* realtime seconds of the last up/down */
	char last_reset[320];      /* why the session last went down */
	struct loop_task out_task; /* builds UPDATEs for this peer */
	/* The batch of changes being packed into UPDATEs. */
	struct bgp_pending *pending;
	struct ipaddr local_addr;  /* our end of the established connection */
	/* Our next hops for the peer: the addresses of the interface that holds
	 * local_addr (family 0 when it has none of that kind). */
	struct ipaddr nh4, nh6, nh6_ll;
	int ifindex;               /* the interface of local_addr, 0 when unknown */
	struct bgp_peer *next_dead; /* in the speaker's graveyard */
	bool removed;
};

/* 32 bytes: a full table holds a million of them, most inside their
 * destination (see struct rib_dest). */
struct rib_path {
	struct rib_path *next;
	const struct bgp_iattrs *attrs; /* after inbound policy; NULL when denied */
	uint32_t seq;                   /* arrival order, modulo 2^32 (rib_path_age) */
	uint32_t weight;                /* the neighbor's, or as a route-map set it */
	uint16_t slot;                  /* peer slot; 0 for local routes */
	uint8_t kind;                   /* enum bgp_local_kind for local routes */
	uint8_t flags;
};

/* A path that keeps its attributes before policy as well (soft-reconfiguration
 * inbound): flag PATH_F_RAW, allocated from a pool of its own. */
struct rib_path_raw {
	struct rib_path p;
	const struct bgp_iattrs *raw;
};

#define PATH_F_BEST 0x01
#define PATH_F_MULTIPATH 0x02
#define PATH_F_STALE 0x04 /* kept for a restarting peer (graceful restart) */
#define PATH_F_RAW 0x08   /* a struct rib_path_raw */
#define PATH_F_HELD 0x10  /* the path inside a destination holds one */

static inline const struct bgp_iattrs *rib_path_raw(const struct rib_path *p)
{
	return (p->flags & PATH_F_RAW) ? ((const struct rib_path_raw *)p)->raw : NULL;
}

/* The Adj-RIB-Out of a destination is one bit per peer slot: whether a route
 * for it was sent to that peer (and not withdrawn since). What was sent is
 * not kept: it is what the export of the best path gives, computed again
 * when needed (BIRD keeps the same state). Slots 1..63 fit in the
 * destination itself; past that, an array of rib_adv_words() words from a
 * pool. */
#define RIB_ADV_INLINE_BITS 64

/* A destination: one prefix of the Loc-RIB, 56 octets for IPv4 (68 + 4 of
 * padding for IPv6), from a pool of its family (struct ipool: named by
 * index), found through the family's prefix index (struct pindex). Its
 * first path is held inside it; the others, and soft-reconfiguration paths,
 * are a list from first.next. Iterate with rib_paths(). */
struct rib_dest {
	struct rib_path first;          /* a path when flags has PATH_F_HELD */
	union {
		uint64_t inl;  /* adv_log 0: bit s for slot s */
		uint64_t *ext; /* adv_log > 0: 1 << adv_log words */
	} adv;
	uint32_t hnext;                 /* next in the hash chain: index + 1, 0 none */
	uint32_t self;                  /* its index in the pool */
	uint8_t family;                 /* enum bgp_family */
	uint8_t flags;
	uint8_t len;                    /* prefix length */
	uint8_t adv_log;
	uint32_t key[];                 /* the prefix, host order: 1 or 4 words */
};

/* The size of a destination of a family in its pool. */
#define RIB_DEST_SIZE(words) (offsetof(struct rib_dest, key) + 4 * (words))
_Static_assert(sizeof(struct rib_path) == 32, "a path is 32 octets");
_Static_assert(RIB_DEST_SIZE(1) == 56, "an IPv4 destination is 56 octets");

/* The words of d's Adj-RIB-Out array, 0 when the bits are inline. */
static inline unsigned rib_adv_words(const struct rib_dest *d)
{
	return d->adv_log ? 1u << d->adv_log : 0;
}

/* The paths of d: `for (p = rib_paths(d); p; p = p->next)`. */
static inline struct rib_path *rib_paths(const struct rib_dest *d)
{
	return (d->first.flags & PATH_F_HELD) ? (struct rib_path *)&d->first : d->first.next;
}

/* The best path of d, or NULL. */
static inline struct rib_path *rib_best(const struct rib_dest *d)
{
	for (struct rib_path *p = rib_paths(d); p; p = p->next)
		if (p->flags & PATH_F_BEST)
			return p;
	return NULL;
}

#define DEST_F_DIRTY 0x01
/* The best path, or its attributes or weight, changed since the destination
 * was last exported: peers may need an update. */
#define DEST_F_BEST 0x02

/* Whether a route for d was sent to the peer of slot. */
static inline bool rib_adv(const struct rib_dest *d, unsigned slot)
{
	if (d->adv_log)
		return slot / 64 < rib_adv_words(d) && (d->adv.ext[slot / 64] >> (slot % 64) & 1);
	return slot < 64 && (d->adv.inl >> slot & 1);
}

/* Whether a route for d was sent to any peer. */
static inline bool rib_adv_any(const struct rib_dest *d)
{
	if (!d->adv_log)
		return d->adv.inl != 0;
	for (unsigned i = 0; i < rib_adv_words(d); i++)
		if (d->adv.ext[i])
			return true;
	return false;
}

/* Adj-RIB-Out arrays come in sizes of 2, 4, 8 and 16 words from pools;
 * larger ones from malloc. */
#define RIB_ADV_POOLS 4

struct bgp_rib {
	/* The destinations of each family by prefix (lib/pindex.h); prefix
	 * order comes from sorting (rib_sorted) when a show needs it. */
	struct pindex dests[BGP_FAM_COUNT];
	struct slab path_pool, path_raw_pool;
	struct slab adv_pool[RIB_ADV_POOLS];
	struct bgp_attr_table attrs;
	/* Changed destinations waiting for adjout_run: one bit per pool index
	 * of each family (as DEST_F_DIRTY on the destination, which is not
	 * freed while set), taken in index order from a cursor that wraps
	 * around, the families in turn. Bounded by the pools, whatever the
	 * backlog. */
	uint64_t *dirty[BGP_FAM_COUNT];
	uint32_t dirty_words[BGP_FAM_COUNT];
	uint32_t dirty_at[BGP_FAM_COUNT];
	uint8_t dirty_fam;
	size_t n_dirty;
	struct loop_task task;          /* processes dirty dests */
	uint32_t seq;
};

struct bgp_speaker {
	struct loop *loop;
	const struct logger *log;
	struct bgp_speaker_cfg cfg;
	char hostname[64];
	struct loop_fd listen[2];       /* IPv4, IPv6 */
	int listen_err[2];              /* why each is not listening, 0 when it is */
	struct bgp_peer **peers;        /* by slot - 1 */
	uint16_t n_slots;
	struct bgp_rib rib;
	uint8_t *scratch;               /* BGP_SCRATCH_SIZE, for UPDATE decoding */
	uint8_t *scratch2;              /* 2 x BGP_MAX_EXT_MSG, for sorted communities */
	const struct policy *policy;    /* route-maps and lists, or NULL */
	struct policy_ctx pctx;         /* reused for every evaluation */
	bgp_fib_fn fib_fn;              /* the kernel side, or NULL */
	bgp_fib_warm_fn fib_warm_fn;
	void *fib_ctx;
	bgp_event_fn event_fn;          /* monitor, or NULL */
	void *event_ctx;
	struct bgp_peer *graveyard;     /* removed peers, freed by reap_task */
	struct loop_task reap_task;
};

static inline uint8_t family_of_afi(uint16_t afi)
{
	return afi == BGP_AFI_IPV6 ? BGP_FAM_IPV6 : BGP_FAM_IPV4;
}

static inline bool peer_is_ebgp(const struct bgp_peer *p)
{
	return p->cfg.remote_as_kind == BGP_REMOTE_AS_EXTERNAL ||
	       (p->cfg.remote_as_kind == BGP_REMOTE_AS_NUMBER && p->cfg.remote_as != p->s->cfg.asn);
}

static inline struct bgp_peer *speaker_peer(const struct bgp_speaker *s, uint16_t slot)
{
	return slot && slot <= s->n_slots ? s->peers[slot - 1] : NULL;
}

/* session.c */
void session_init(struct bgp_peer *p);
void session_start(struct bgp_peer *p);
void session_stop(struct bgp_peer *p, uint8_t subcode, const char *why);
/* Keeps a stopped session down: for seconds (then it starts again), or until
 * cleared when seconds is 0. */
void session_hold_down(struct bgp_peer *p, uint32_t seconds);
bool session_accept(struct bgp_peer *p, int fd);
/* The loop callback of a connection's socket (reads, and writes what waits). */
void session_conn_io(struct loop_fd *f, uint32_t events);
void session_send(struct bgp_conn *c, const uint8_t *msg, size_t len);
bool session_out_room(const struct bgp_peer *p);
bool session_set_md5(int fd, const struct ipaddr *addr, const char *password);
void peer_log(const struct bgp_peer *p, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* rib.c */
bool rib_init(struct bgp_rib *r, struct bgp_speaker *s);
void rib_destroy(struct bgp_rib *r);
void rib_update(struct bgp_peer *p, const struct bgp_update *u);
struct rib_dest *rib_dest_get(struct bgp_rib *r, const struct prefix *p, bool create);
/* Destinations of a family: the number, and the first live pool index at or
 * after idx (IPOOL_NONE past the last), for walks in no particular order
 * that may free the destination they are at. */
static inline size_t rib_dest_count(const struct bgp_rib *r, uint8_t fam)
{
	return r->dests[fam].pool.in_use;
}
static inline struct rib_dest *rib_dest_at(const struct bgp_rib *r, uint8_t fam, uint32_t idx)
{
	return ipool_at(&r->dests[fam].pool, idx);
}
/* The destinations of a family in prefix order (as FRR shows them), in a
 * new array of *n (NULL with *n 0 when empty or out of memory). */
struct rib_dest **rib_sorted(const struct bgp_rib *r, uint8_t fam, size_t *n);
void rib_dest_maybe_free(struct bgp_rib *r, struct rib_dest *d);
void rib_dest_prefix(const struct rib_dest *d, struct prefix *out);
/* Marks d as sent (or not) to the peer of slot; false when out of memory. */
bool rib_adv_set(struct bgp_rib *r, struct rib_dest *d, uint16_t slot, bool on);
void rib_peer_up(struct bgp_peer *p);
void rib_peer_down(struct bgp_peer *p);
/* The peer went down uncleanly and can restart gracefully: its paths stay,
 * marked stale, until it sends them again and End-of-RIB, or the restart
 * time runs out. */
void rib_peer_stale(struct bgp_peer *p);
/* Removes the stale paths of the peer in one family (all families: fam
 * BGP_FAM_COUNT). */
void rib_flush_stale(struct bgp_peer *p, uint8_t fam);
void rib_soft_in(struct bgp_peer *p);
/* The facts best path selection compares, for one path of a destination. */
void rib_path_cand(const struct bgp_speaker *s, uint8_t fam, const struct rib_path *path,
		   struct bgp_cand *c);

/* adjout.c */
bool adjout_run(struct loop_task *t);
void adjout_dest_changed(struct bgp_speaker *s, struct rib_dest *d);
void adjout_peer_reset(struct bgp_peer *p);
void adjout_refresh(struct bgp_peer *p, uint8_t fam);
void adjout_free_pending(struct bgp_peer *p);
void adjout_peer_init(struct bgp_peer *p);
void adjout_resync(struct bgp_peer *p, enum adjout_walk mode);
/* What the peer was sent for d, computed again (a reference), or NULL. */
const struct bgp_iattrs *adjout_advertised(const struct bgp_peer *p, const struct rib_dest *d);
void adjout_send_refresh_marker(struct bgp_peer *p, uint8_t fam, uint8_t subtype);
/* The settings that shape what goes out to a peer in a family are equal. */
bool adjout_af_cfg_same(const struct bgp_peer_af_cfg *a, const struct bgp_peer_af_cfg *b);
/* Peers came up, went down or changed their outbound settings: recomputes
 * which peers get their own routes back, and re-syncs those that changed. */
void adjout_groups(struct bgp_speaker *s);

#endif

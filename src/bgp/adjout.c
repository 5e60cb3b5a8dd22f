/* adjout.c: what each peer is told. For every changed destination and every
 * established peer, the attributes to advertise are computed (back to the
 * source peer only as FRR's update groups would, RFC 8212, eBGP/iBGP
 * rewriting), compared by pointer with the Adj-RIB-Out
 * (interned attributes), and only differences are queued. A batch of changes
 * is packed into UPDATEs grouped by attribute set. A new session gets the
 * whole table by a walk in slices, then End-of-RIB. */
#include <stdlib.h>
#include <string.h>

#include "speaker_int.h"

#define BATCH 2048        /* destinations per slice */
#define WARM_RUN 16       /* destinations the FIB is told of ahead (bgp_fib_warm_fn) */
#define MAP_SIZE 8192     /* open addressing, > 2 x BATCH */

struct pend_group {
	const struct bgp_iattrs *attrs; /* a reference of the group's own */
	uint8_t fam;
	size_t n, cap;
	struct prefix *pfx;
};

struct export_memo {
	const struct bgp_iattrs *from; /* a best path's attributes */
	uint16_t slot;                 /* ...and where it came from */
	const struct bgp_iattrs *to;   /* what goes to the peer (a reference) */
	uint8_t fam;
	bool used;
};

struct bgp_pending {
	struct prefix *wd[BGP_FAM_COUNT];
	size_t n_wd[BGP_FAM_COUNT], cap_wd[BGP_FAM_COUNT];
	struct pend_group *groups;
	size_t n_groups, cap_groups;
	int32_t map[MAP_SIZE];                /* group index + 1 by attrs, 0 empty */
	struct export_memo memo[MAP_SIZE];
	uint8_t msg[BGP_MAX_EXT_MSG];
};

static size_t ptr_hash(const void *p)
{
	uintptr_t x = (uintptr_t)p;
	x ^= x >> 17;
	x *= 0x9e3779b97f4a7c15ull;
	return (size_t)(x >> 32);
}

static struct bgp_pending *pending_of(struct bgp_peer *p)
{
	if (!p->pending) {
		p->pending = calloc(1, sizeof(*p->pending));
		if (!p->pending)
			peer_log(p, LOG_LVL_ERR, "out of memory for the update builder");
	}
	return p->pending;
}

static bool grow(void **arr, size_t *cap, size_t need, size_t item)
{
	if (need <= *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 64;
	while (c < need)
		c *= 2;
	void *q = realloc(*arr, c * item);
	if (!q)
		return false;
	*arr = q;
	*cap = c;
	return true;
}

static void pending_withdraw(struct bgp_pending *pd, uint8_t fam, const struct prefix *pfx)
{
	if (!grow((void **)&pd->wd[fam], &pd->cap_wd[fam], pd->n_wd[fam] + 1, sizeof(struct prefix)))
		return;
	pd->wd[fam][pd->n_wd[fam]++] = *pfx;
}

static void pending_announce(struct bgp_pending *pd, uint8_t fam, const struct bgp_iattrs *a,
			     const struct prefix *pfx)
{
	size_t h = ptr_hash(a) & (MAP_SIZE - 1);
	while (pd->map[h] && pd->groups[pd->map[h] - 1].attrs != a)
		h = (h + 1) & (MAP_SIZE - 1);
	struct pend_group *g;
	if (pd->map[h]) {
		g = &pd->groups[pd->map[h] - 1];
	} else {
		if (!grow((void **)&pd->groups, &pd->cap_groups, pd->n_groups + 1, sizeof(*g)))
			return;
		g = &pd->groups[pd->n_groups++];
		*g = (struct pend_group){ .attrs = bgp_attr_ref(a), .fam = fam };
		pd->map[h] = (int32_t)pd->n_groups;
	}
	if (!grow((void **)&g->pfx, &g->cap, g->n + 1, sizeof(struct prefix)))
		return;
	g->pfx[g->n++] = *pfx;
}

/* Attribute rewriting for a peer */

/* Prepends asn to a canonical path into buf; returns the new path. */
static struct bgp_bytes prepend_as(struct bgp_bytes path, uint32_t asn, uint8_t *buf, size_t cap)
{
	struct wbuf w = wbuf_make(buf, cap);
	if (path.len >= 2 && path.p[0] == BGP_AS_SEQUENCE && path.p[1] < 255) {
		wbuf_u8(&w, BGP_AS_SEQUENCE);
		wbuf_u8(&w, (uint8_t)(path.p[1] + 1));
		wbuf_u32(&w, asn);
		wbuf_bytes(&w, path.p + 2, path.len - 2);
	} else {
		wbuf_u8(&w, BGP_AS_SEQUENCE);
		wbuf_u8(&w, 1);
		wbuf_u32(&w, asn);
		wbuf_bytes(&w, path.p, path.len);
	}
	return w.failed ? path : (struct bgp_bytes){ buf, (uint32_t)w.len };
}

/* A copy of a canonical path with each AS mapped by fn (0 drops it; empty
 * segments go too), into buf. */
static struct bgp_bytes path_map(struct bgp_bytes in, uint8_t *buf, size_t cap,
				 uint32_t (*fn)(uint32_t asn, const void *ctx), const void *ctx)
{
	struct wbuf w = wbuf_make(buf, cap);
	for (uint32_t pos = 0; pos + 2 <= in.len;) {
		unsigned n = in.p[pos + 1];
		size_t head = w.len;
		wbuf_u8(&w, in.p[pos]);
		wbuf_u8(&w, 0);
		unsigned kept = 0;
		for (unsigned i = 0; i < n; i++) {
			uint32_t asn = fn(load_be32(in.p + pos + 2 + 4 * i), ctx);
			if (asn) {
				wbuf_u32(&w, asn);
				kept++;
			}
		}
		if (kept)
			wbuf_patch_u8(&w, head + 1, (uint8_t)kept);
		else
			w.len = head;
		pos += 2 + 4 * n;
	}
	return w.failed ? in : (struct bgp_bytes){ buf, (uint32_t)w.len };
}

/* Private AS numbers as FRR counts them (RFC 6996 and the top of each
 * range). */
static bool as_private(uint32_t asn)
{
	return (asn >= 64512 && asn <= 65535) || asn >= 4200000000u;
}

static bool path_all_private(struct bgp_bytes path)
{
	for (uint32_t pos = 0; pos + 2 <= path.len;) {
		unsigned n = path.p[pos + 1];
		for (unsigned i = 0; i < n; i++)
			if (!as_private(load_be32(path.p + pos + 2 + 4 * i)))
				return false;
		pos += 2 + 4 * n;
	}
	return true;
}

struct as_map {
	uint32_t from, to; /* as-override: the peer's AS -> ours */
	bool replace;      /* remove-private-AS replace-AS: private -> ours */
};

static uint32_t map_private(uint32_t asn, const void *ctx)
{
	const struct as_map *m = ctx;
	return as_private(asn) ? (m->replace ? m->to : 0) : asn;
}

static uint32_t map_override(uint32_t asn, const void *ctx)
{
	const struct as_map *m = ctx;
	return asn == m->from ? m->to : asn;
}

/* remove-private-AS (FRR's meaning: without `all`, only a path made of
 * private ASes loses them) and as-override, for an eBGP peer. */
static struct bgp_bytes rewrite_path(const struct bgp_peer *p, const struct bgp_peer_af_cfg *af,
				     struct bgp_bytes path, uint8_t *buf, uint8_t *buf2, size_t cap)
{
	uint8_t rp = af->remove_private_as;
	struct as_map m = { .from = p->remote_as, .to = p->s->cfg.asn,
			    .replace = rp == BGP_RPAS_REPLACE || rp == BGP_RPAS_ALL_REPLACE };
	bool all = rp == BGP_RPAS_ALL || rp == BGP_RPAS_ALL_REPLACE;
	if (rp != BGP_RPAS_OFF && (all || path_all_private(path)))
		path = path_map(path, buf, cap, map_private, &m);
	if (af->as_override)
		path = path_map(path, buf2, cap, map_override, &m);
	return path;
}

/* Our address as the next hop; false when we have none of the family, and
 * then the family is not advertised (as FRR does). */
static bool set_next_hop_self(const struct bgp_peer *p, uint8_t fam, struct bgp_attrs *a)
{
	if (fam == BGP_FAM_IPV4) {
		if (p->nh4.family != AF_INET)
			return false;
		a->nexthop = load_be32(p->nh4.a);
		a->have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		return true;
	}
	if (p->nh6.family != AF_INET6)
		return false;
	memcpy(a->mp_nh, p->nh6.a, 16);
	a->mp_nh_len = 16;
	/* The link-local address too when the peer shares our link (RFC 2545). */
	int ttl = p->cfg.multihop_ttl ? p->cfg.multihop_ttl : peer_is_ebgp(p) ? 1 : 255;
	if (p->nh6_ll.family == AF_INET6 && ttl == 1 && !p->cfg.ttl_security) {
		memcpy(a->mp_nh + 16, p->nh6_ll.a, 16);
		a->mp_nh_len = 32;
	}
	return true;
}

static bool comm_has(struct bgp_bytes comms, uint32_t c)
{
	for (uint32_t i = 0; i + 4 <= comms.len; i += 4)
		if (load_be32(comms.p + i) == c)
			return true;
	return false;
}

static const char *name_or_null(const char *name)
{
	return name[0] ? name : NULL;
}

static bool has_out_policy(const struct bgp_peer_af_cfg *af)
{
	return af->plist_out[0] || af->flist_out[0] || af->rmap_out[0];
}

/* The attributes to advertise to p for the best path of d, as a new
 * reference, or NULL when nothing is to be advertised. FRR's order: split
 * horizon and RFC 8212; the eBGP/iBGP rewriting of LOCAL_PREF and MED; the
 * neighbor's prefix-list, filter-list and route-map out; then the next hop
 * (self unless the route-map set one) and our AS prepended for eBGP. */
static const struct bgp_iattrs *export_compute(struct bgp_peer *p, const struct rib_path *best,
					       uint8_t fam, const struct prefix *pfx)
{
	struct bgp_speaker *s = p->s;
	struct bgp_peer *from = speaker_peer(s, best->slot);
	const struct bgp_peer_af_cfg *af = &p->cfg.af[fam];
	bool to_ebgp = peer_is_ebgp(p);
	if (from && !peer_is_ebgp(from) && !to_ebgp)
		return NULL; /* iBGP routes are not passed to iBGP peers */
	if (to_ebgp && s->cfg.ebgp_requires_policy && !af->policy_out)
		return NULL; /* RFC 8212 */
	struct bgp_attrs a;
	uint8_t path[4096];
	bgp_iattrs_view(best->attrs, &a);
	a.have &= ~BGP_ATTR_BIT(BGP_ATTR_MP_UNREACH_NLRI);
	/* Whose next hop goes out: ours, unless an iBGP peer gets a route
	 * learned from eBGP as it came (no next-hop-self). */
	bool self = to_ebgp || !from || af->next_hop_self;
	if (to_ebgp) {
		a.have &= ~(BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF) | BGP_ATTR_BIT(BGP_ATTR_ORIGINATOR_ID) |
			    BGP_ATTR_BIT(BGP_ATTR_CLUSTER_LIST));
		/* A MED learned from a neighboring AS stays in that AS (RFC 4271
		 * 5.1.4); FRR drops it the same way. Ours goes out. */
		if (from)
			a.have &= ~BGP_ATTR_BIT(BGP_ATTR_MED);
	} else if (!bgp_attrs_has(&a, BGP_ATTR_LOCAL_PREF)) {
		a.local_pref = 100;
		a.have |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	}
	if (self && fam == BGP_FAM_IPV4)
		a.have &= ~BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP); /* a route-map may set one */
	/* remove-private-AS and as-override come before the route-map, as in
	 * FRR: a map matching _65515_ sees the path after as-override. */
	uint8_t tmp1[4096], tmp2[4096];
	if (to_ebgp)
		a.aspath = rewrite_path(p, af, a.aspath, tmp1, tmp2, sizeof(tmp1));
	/* Well-known communities (RFC 1997): no-advertise goes to nobody,
	 * no-export and local-AS to no external peer. */
	if (bgp_attrs_has(&a, BGP_ATTR_COMMUNITIES) &&
	    (comm_has(a.communities, 0xffffff02) ||
	     (to_ebgp && (comm_has(a.communities, 0xffffff01) || comm_has(a.communities, 0xffffff03)))))
		return NULL;
	if (has_out_policy(af)) {
		if (!s->policy)
			return NULL; /* named but nothing is defined: FRR filters */
		struct policy_ctx *ctx = &s->pctx;
		policy_ctx_init(ctx, pfx, &a, best->weight);
		ctx->dir = POLICY_OUT;
		ctx->peer_addr = p->cfg.addr;
		ctx->peer_as = p->remote_as;
		ctx->local_as = s->cfg.asn;
		if (policy_peer_filter(s->policy, name_or_null(af->plist_out),
				       name_or_null(af->flist_out), name_or_null(af->rmap_out),
				       ctx) != POLICY_PERMIT)
			return NULL;
		a = ctx->attrs; /* views into ctx stay valid until the next policy call */
		if (ctx->nh_peer_address)
			a.have &= ~BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	}
	if (!(af->send_community & BGP_SEND_STANDARD))
		a.have &= ~BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
	if (!(af->send_community & BGP_SEND_EXTENDED))
		a.have &= ~BGP_ATTR_BIT(BGP_ATTR_EXT_COMMUNITIES);
	if (!(af->send_community & BGP_SEND_LARGE))
		a.have &= ~BGP_ATTR_BIT(BGP_ATTR_LARGE_COMMUNITIES);
	if (self && !bgp_attrs_has(&a, BGP_ATTR_NEXT_HOP) && !set_next_hop_self(p, fam, &a))
		return NULL;
	if (to_ebgp) {
		a.aspath = prepend_as(a.aspath, s->cfg.asn, path, sizeof(path));
		a.have |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	}
	if (fam == BGP_FAM_IPV4) {
		a.have &= ~BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI);
		a.mp_nh_len = 0;
	} else {
		a.have &= ~BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		a.have |= BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI);
		a.nexthop = 0;
	}
	return bgp_attr_intern(&s->rib.attrs, &a);
}

/* Whether d's best path may go to p at all, before its attributes are
 * looked at: not back to its source unless the update group says so (see
 * adjout_groups), nor a default route that default-originate replaces. */
static bool exportable(const struct bgp_peer *p, const struct rib_dest *d,
		       const struct rib_path *best)
{
	if (!best || !best->attrs || (best->slot == p->slot && !p->af[d->family].echo))
		return false;
	return !(p->cfg.af[d->family].default_originate && d->len == 0);
}

/* export_compute, memoized per batch: many destinations share a best path's
 * attributes, and so what goes out. Not with an outbound policy, whose
 * answer may depend on the prefix. */
static const struct bgp_iattrs *export_attrs(struct bgp_peer *p, struct bgp_pending *pd,
					     const struct rib_dest *d)
{
	const struct rib_path *best = rib_best(d);
	if (!exportable(p, d, best))
		return NULL;
	struct prefix pfx;
	if (has_out_policy(&p->cfg.af[d->family])) {
		rib_dest_prefix(d, &pfx);
		return export_compute(p, best, d->family, &pfx);
	}
	size_t h = ptr_hash(best->attrs) & (MAP_SIZE - 1);
	struct export_memo *m = &pd->memo[h];
	if (!(m->used && m->from == best->attrs && m->slot == best->slot && m->fam == d->family)) {
		rib_dest_prefix(d, &pfx);
		const struct bgp_iattrs *to = export_compute(p, best, d->family, &pfx);
		if (m->used && m->to)
			bgp_attr_unref(&p->s->rib.attrs, m->to);
		*m = (struct export_memo){ .from = best->attrs, .slot = best->slot, .to = to,
					   .fam = d->family, .used = true };
	}
	return m->to ? bgp_attr_ref(m->to) : NULL;
}

bool adjout_af_cfg_same(const struct bgp_peer_af_cfg *a, const struct bgp_peer_af_cfg *b)
{
	return a->policy_out == b->policy_out && a->next_hop_self == b->next_hop_self &&
	       a->as_override == b->as_override && a->remove_private_as == b->remove_private_as &&
	       a->send_community == b->send_community && a->max_prefix_out == b->max_prefix_out &&
	       a->default_originate == b->default_originate && !strcmp(a->rmap_out, b->rmap_out) &&
	       !strcmp(a->plist_out, b->plist_out) && !strcmp(a->flist_out, b->flist_out);
}

/* Whether a route goes back to the peer it came from follows FRR, whose peers
 * with the same outbound settings share one update group: the route is held
 * back only from a peer alone in its group, and sent to every member of a
 * shared one (iBGP routes never go to iBGP peers anyway; an eBGP peer drops
 * its own routes by its AS-path loop check, unless as-override rewrote the
 * path). Groups are FRR's: same eBGP/iBGP kind, peer-group, 4-octet AS
 * capability and outbound settings; maximum-prefix-out puts a peer in a group
 * of its own. */
static bool same_group(const struct bgp_peer *a, const struct bgp_peer *b, uint8_t fam)
{
	const struct bgp_peer_af_cfg *x = &a->cfg.af[fam], *y = &b->cfg.af[fam];
	return peer_is_ebgp(a) == peer_is_ebgp(b) && a->as4 == b->as4 && !x->max_prefix_out &&
	       !y->max_prefix_out && !strcmp(a->cfg.peer_group, b->cfg.peer_group) &&
	       adjout_af_cfg_same(x, y);
}

static bool peer_takes(const struct bgp_peer *p, uint8_t fam);

void adjout_groups(struct bgp_speaker *s)
{
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (!p)
			continue;
		bool changed = false;
		for (uint8_t f = 0; f < BGP_FAM_COUNT; f++) {
			bool echo = false;
			for (uint16_t j = 1; j <= s->n_slots && peer_takes(p, f) && !echo; j++) {
				const struct bgp_peer *q = speaker_peer(s, j);
				echo = j != i && peer_takes(q, f) && same_group(p, q, f);
			}
			changed |= echo != p->af[f].echo;
			p->af[f].echo = echo;
		}
		if (changed && p->est)
			adjout_resync(p, WALK_OWN);
	}
}

/* Brings p's Adj-RIB-Out for d up to date: the route the export of d's best
 * path gives is queued (again, when it was sent before: what was sent is
 * not kept), or a withdrawal when there is none now and one was sent. */
static void export_dest(struct bgp_peer *p, struct bgp_pending *pd, struct rib_dest *d)
{
	const struct bgp_iattrs *want = export_attrs(p, pd, d);
	bool sent = rib_adv(d, p->slot);
	struct bgp_speaker *s = p->s;
	if (!want && !sent)
		return;
	struct bgp_peer_af *af = &p->af[d->family];
	uint32_t max_out = p->cfg.af[d->family].max_prefix_out;
	if (want && !sent && max_out && af->pfx_sent >= max_out) {
		bgp_attr_unref(&s->rib.attrs, want); /* maximum-prefix-out: not sent */
		return;
	}
	if (!rib_adv_set(&s->rib, d, p->slot, want != NULL)) {
		peer_log(p, LOG_LVL_ERR, "out of memory for the Adj-RIB-Out");
		bgp_attr_unref(&s->rib.attrs, want);
		return;
	}
	struct prefix pfx;
	rib_dest_prefix(d, &pfx);
	if (want) {
		pending_announce(pd, d->family, want, &pfx);
		bgp_attr_unref(&s->rib.attrs, want);
		af->pfx_sent += !sent;
	} else {
		pending_withdraw(pd, d->family, &pfx);
		if (af->pfx_sent)
			af->pfx_sent--;
	}
}

const struct bgp_iattrs *adjout_advertised(const struct bgp_peer *p, const struct rib_dest *d)
{
	const struct rib_path *best = rib_best(d);
	if (!rib_adv(d, p->slot) || !exportable(p, d, best))
		return NULL;
	struct prefix pfx;
	rib_dest_prefix(d, &pfx);
	/* export_compute uses the speaker's policy context and attribute
	 * table, which a show on the speaker's thread may use. */
	return export_compute((struct bgp_peer *)p, best, d->family, &pfx);
}

/* Packing */

static void send_msgs(struct bgp_peer *p, size_t len)
{
	if (p->est)
		session_send(p->est, p->pending->msg, len);
	p->stats.update_out++;
}

static void flush(struct bgp_peer *p)
{
	struct bgp_pending *pd = p->pending;
	if (!pd)
		return;
	struct bgp_encode_opts o = { .as4 = p->as4, .max_len = p->ext_msg ? BGP_MAX_EXT_MSG : BGP_MAX_MSG };
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		for (size_t i = 0; i < pd->n_wd[f];) {
			struct wbuf w = wbuf_make(pd->msg, sizeof(pd->msg));
			size_t n = bgp_update_encode_withdraw(&w, &o, pd->wd[f] + i, pd->n_wd[f] - i);
			if (!n)
				break;
			send_msgs(p, w.len);
			i += n;
		}
		pd->n_wd[f] = 0;
	}
	for (size_t g = 0; g < pd->n_groups; g++) {
		struct pend_group *grp = &pd->groups[g];
		struct bgp_attrs a;
		bgp_iattrs_view(grp->attrs, &a);
		for (size_t i = 0; i < grp->n;) {
			struct wbuf w = wbuf_make(pd->msg, sizeof(pd->msg));
			size_t n = bgp_update_encode_announce(&w, &o, &a, grp->pfx + i, grp->n - i);
			if (!n) {
				peer_log(p, LOG_LVL_ERR, "attributes too long for one UPDATE; %zu prefixes not sent",
					 grp->n - i);
				break;
			}
			send_msgs(p, w.len);
			i += n;
		}
		free(grp->pfx);
		bgp_attr_unref(&p->s->rib.attrs, grp->attrs);
	}
	pd->n_groups = 0;
	memset(pd->map, 0, sizeof(pd->map));
	for (size_t i = 0; i < MAP_SIZE; i++) {
		if (pd->memo[i].used && pd->memo[i].to)
			bgp_attr_unref(&p->s->rib.attrs, pd->memo[i].to);
		pd->memo[i].used = false;
	}
}

void adjout_free_pending(struct bgp_peer *p)
{
	if (!p->pending)
		return;
	flush(p); /* releases the references; nothing is sent without a session */
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		free(p->pending->wd[f]);
	free(p->pending->groups);
	free(p->pending);
	p->pending = NULL;
}

/* Changed destinations */

void adjout_dest_changed(struct bgp_speaker *s, struct rib_dest *d)
{
	struct bgp_rib *r = &s->rib;
	if (d->flags & DEST_F_DIRTY)
		return;
	uint8_t f = d->family;
	uint32_t w = d->self / 64;
	if (w >= r->dirty_words[f]) {
		/* Room for every index the pool has now. */
		const struct ipool *pool = &r->dests[f].pool;
		uint32_t words = ((pool->n_chunks << IPOOL_SHIFT) + 63) / 64;
		uint64_t *v = realloc(r->dirty[f], words * sizeof(*v));
		if (!v) {
			log_err(s->log, "out of memory for the list of changes: a change is lost");
			return;
		}
		memset(v + r->dirty_words[f], 0, (words - r->dirty_words[f]) * sizeof(*v));
		r->dirty[f] = v;
		r->dirty_words[f] = words;
	}
	r->dirty[f][w] |= (uint64_t)1 << (d->self % 64);
	d->flags |= DEST_F_DIRTY;
	r->n_dirty++;
	loop_task_queue(s->loop, &r->task);
}

static bool dirty_any(const struct bgp_rib *r)
{
	return r->n_dirty != 0;
}

/* The first set bit at or after from, below to; UINT32_MAX when none. */
static uint32_t bits_next(const uint64_t *v, uint32_t from, uint32_t to)
{
	while (from < to) {
		uint64_t w = v[from / 64] >> (from % 64);
		if (w) {
			uint32_t i = from + (uint32_t)__builtin_ctzll(w);
			return i < to ? i : UINT32_MAX;
		}
		from = (from | 63) + 1;
	}
	return UINT32_MAX;
}

/* A changed destination, taken off the list, or NULL. */
static struct rib_dest *dirty_take(struct bgp_rib *r)
{
	for (int k = 0; k < BGP_FAM_COUNT && r->n_dirty; k++) {
		uint8_t f = r->dirty_fam;
		r->dirty_fam = (uint8_t)((f + 1) % BGP_FAM_COUNT);
		uint32_t end = r->dirty_words[f] * 64;
		uint32_t i = bits_next(r->dirty[f], r->dirty_at[f], end);
		if (i == UINT32_MAX)
			i = bits_next(r->dirty[f], 0, r->dirty_at[f] < end ? r->dirty_at[f] : end);
		if (i == UINT32_MAX)
			continue;
		r->dirty[f][i / 64] &= ~((uint64_t)1 << (i % 64));
		r->dirty_at[f] = i + 1;
		r->n_dirty--;
		return rib_dest_at(r, f, i);
	}
	return NULL;
}

static bool peer_takes(const struct bgp_peer *p, uint8_t fam)
{
	return p && !p->removed && p->est && p->af[fam].negotiated;
}

static void route_event(struct bgp_speaker *s, const struct rib_dest *d)
{
	if (!s->event_fn)
		return;
	struct prefix pfx;
	struct bgp_attrs a;
	const struct rib_path *b = rib_best(d);
	const struct bgp_peer *from = b ? speaker_peer(s, b->slot) : NULL;
	rib_dest_prefix(d, &pfx);
	if (b && b->attrs)
		bgp_iattrs_view(b->attrs, &a);
	struct bgp_speaker_event ev = { .type = BGP_EVENT_ROUTE, .prefix = &pfx,
				.attrs = b && b->attrs ? &a : NULL,
				.peer = from ? &from->cfg.addr : NULL, .local = b && b->slot == 0 };
	s->event_fn(s->event_ctx, &ev);
}

/* The next hop of a path for the kernel: NEXT_HOP for IPv4, the global MP
 * next hop for IPv6 (the link-local one when there is no global). */
static bool path_next_hop(const struct bgp_speaker *s, const struct rib_path *p, uint8_t fam,
			  struct bgp_fib_nexthop *nh)
{
	const struct bgp_iattrs *a = p->attrs;
	memset(nh, 0, sizeof(*nh));
	if (fam == BGP_FAM_IPV4) {
		if (!bgp_iattrs_has(a, BGP_ATTR_NEXT_HOP))
			return false;
		uint32_t v = bgp_iattrs_nexthop(a);
		nh->addr.family = AF_INET;
		nh->addr.a[0] = (uint8_t)(v >> 24);
		nh->addr.a[1] = (uint8_t)(v >> 16);
		nh->addr.a[2] = (uint8_t)(v >> 8);
		nh->addr.a[3] = (uint8_t)v;
		return true;
	}
	struct bgp_attrs v;
	bgp_iattrs_view(a, &v);
	if (v.mp_nh_len < 16)
		return false;
	nh->addr.family = AF_INET6;
	memcpy(nh->addr.a, v.mp_nh, 16);
	bool ll = v.mp_nh[0] == 0xfe && (v.mp_nh[1] & 0xc0) == 0x80;
	static const uint8_t zero[16];
	if (v.mp_nh_len == 32 && (ll || memcmp(v.mp_nh, zero, 16) == 0)) {
		memcpy(nh->addr.a, v.mp_nh + 16, 16);
		ll = true;
	}
	if (ll) {
		/* Link-local: only meaningful with the interface of the session. */
		const struct bgp_peer *peer = speaker_peer(s, p->slot);
		nh->ifindex = peer ? peer->ifindex : 0;
	}
	return true;
}

static void fib_event(struct bgp_speaker *s, const struct rib_dest *d)
{
	if (!s->fib_fn)
		return;
	struct bgp_fib_nexthop nh[BGP_FIB_MAX_NEXTHOPS];
	unsigned n = 0;
	const struct rib_path *b = rib_best(d);
	bool ebgp = false;
	struct prefix pfx;
	rib_dest_prefix(d, &pfx);
	if (b && b->attrs && b->slot != 0) {
		const struct bgp_peer *from = speaker_peer(s, b->slot);
		ebgp = from && peer_is_ebgp(from);
		for (const struct rib_path *p = rib_paths(d); p && n < BGP_FIB_MAX_NEXTHOPS; p = p->next)
			if ((p->flags & (PATH_F_BEST | PATH_F_MULTIPATH)) && p->attrs &&
			    path_next_hop(s, p, d->family, &nh[n]))
				n++;
	}
	s->fib_fn(s->fib_ctx, &pfx, ebgp, nh, n);
}

void bgp_speaker_fib_replay(struct bgp_speaker *s)
{
	for (int f = 0; f < BGP_FAM_COUNT && s->fib_fn; f++) {
		struct ipool *pool = &s->rib.dests[f].pool;
		for (uint32_t i = ipool_next(pool, 0); i != IPOOL_NONE; i = ipool_next(pool, i + 1))
			if (rib_best(ipool_at(pool, i)))
				fib_event(s, ipool_at(pool, i));
	}
}

bool adjout_run(struct loop_task *t)
{
	struct bgp_speaker *s = t->ctx;
	struct bgp_rib *r = &s->rib;
	/* A peer that cannot take more holds everyone back: its queue drains
	 * first (conn_io requeues the work). */
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (p && p->est && !session_out_room(p))
			return false;
	}
	/* In runs of WARM_RUN, the FIB told of the run first (its lookups
	 * then overlap). A destination taken stays flagged dirty, so it is not
	 * freed before its turn, and a change to it meanwhile is seen then. */
	struct rib_dest *run[WARM_RUN];
	struct prefix pfx[WARM_RUN];
	unsigned done = 0, k;
	do {
		for (k = 0; k < WARM_RUN && done + k < BATCH && (run[k] = dirty_take(r)); k++)
			rib_dest_prefix(run[k], &pfx[k]);
		if (k && s->fib_fn && s->fib_warm_fn)
			s->fib_warm_fn(s->fib_ctx, pfx, k);
		for (unsigned j = 0; j < k; j++) {
			struct rib_dest *d = run[j];
			bool exported = d->flags & DEST_F_BEST;
			d->flags &= (uint8_t)~(DEST_F_DIRTY | DEST_F_BEST);
			route_event(s, d);
			fib_event(s, d);
			for (uint16_t i = 1; i <= s->n_slots && exported; i++) {
				struct bgp_peer *p = speaker_peer(s, i);
				if (peer_takes(p, d->family) && pending_of(p))
					export_dest(p, p->pending, d);
			}
			rib_dest_maybe_free(r, d);
		}
		done += k;
	} while (k == WARM_RUN && done < BATCH);
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (p && p->pending)
			flush(p);
	}
	return dirty_any(r);
}

/* Whole-table walks: the initial advertisement, and route refresh. */

static void send_eor(struct bgp_peer *p, uint8_t fam)
{
	uint8_t buf[64];
	struct wbuf w = wbuf_make(buf, sizeof(buf));
	bgp_update_encode_eor(&w, fam == BGP_FAM_IPV4 ? BGP_AFI_IPV4 : BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	if (p->est)
		session_send(p->est, buf, w.len);
	p->af[fam].eor_sent = true;
	p->stats.update_out++;
}

/* One slice of the walk of a family; true when the walk is over. */
static bool walk_slice(struct bgp_peer *p, uint8_t fam, enum adjout_walk mode)
{
	struct bgp_peer_af *af = &p->af[fam];
	struct bgp_pending *pd = pending_of(p);
	if (!pd)
		return true;
	struct ipool *pool = &p->s->rib.dests[fam].pool;
	if (!af->walk_started)
		af->walk_next = 0;
	af->walk_started = true;
	uint32_t i = ipool_next(pool, af->walk_next);
	for (unsigned k = 0; k < BATCH && i != IPOOL_NONE; k++, i = ipool_next(pool, i + 1)) {
		struct rib_dest *d = ipool_at(pool, i);
		af->walk_next = i + 1;
		bool sent = rib_adv(d, p->slot);
		const struct rib_path *best = rib_best(d);
		bool own = best && best->slot == p->slot;
		/* The initial walk goes over the peer's own routes even when
		 * sent: their fate changes with the echo (see adjout_resync). */
		if ((mode == WALK_INITIAL && sent && !own) || (mode == WALK_REFRESH && !sent) ||
		    (mode == WALK_OWN && !own))
			continue;
		export_dest(p, pd, d);
		/* A destination kept only for a withdrawal to send may go: the
		 * walk allows removing the node it just returned. */
		rib_dest_maybe_free(&p->s->rib, d);
	}
	flush(p);
	return i == IPOOL_NONE;
}

/* default-originate: our own default route to this peer (origin IGP, next
 * hop self), whatever the RIB holds, sent once per session and again on a
 * refresh; withdrawn when the option goes away. */
static void default_sync(struct bgp_peer *p, uint8_t fam, bool again)
{
	struct bgp_peer_af *af = &p->af[fam];
	bool want = p->cfg.af[fam].default_originate;
	struct bgp_pending *pd = pending_of(p);
	if (!pd || (want == af->default_sent && !(want && again)))
		return;
	struct prefix dflt = { .family = fam == BGP_FAM_IPV4 ? AF_INET : AF_INET6 };
	if (want) {
		uint8_t path[8];
		struct bgp_attrs a = { .origin = BGP_ORIGIN_IGP };
		a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
			 BGP_ATTR_BIT(BGP_ATTR_MED); /* MED 0, as FRR sends it */
		if (peer_is_ebgp(p)) {
			a.aspath = prepend_as(a.aspath, p->s->cfg.asn, path, sizeof(path));
		} else {
			a.local_pref = 100;
			a.have |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		}
		if (!set_next_hop_self(p, fam, &a))
			return;
		if (fam == BGP_FAM_IPV6)
			a.have |= BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI);
		const struct bgp_iattrs *ia = bgp_attr_intern(&p->s->rib.attrs, &a);
		if (!ia)
			return;
		pending_announce(pd, fam, ia, &dflt);
		bgp_attr_unref(&p->s->rib.attrs, ia);
	} else {
		pending_withdraw(pd, fam, &dflt);
	}
	flush(p);
	af->default_sent = want;
}

static bool peer_out_run(struct loop_task *t)
{
	struct bgp_peer *p = t->ctx;
	if (!p->est || p->removed)
		return false;
	if (dirty_any(&p->s->rib))
		loop_task_queue(p->s->loop, &p->s->rib.task);
	if (!session_out_room(p))
		return false; /* resumed when the send buffer drains */
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct bgp_peer_af *af = &p->af[f];
		if (!af->walking)
			continue;
		if (!walk_slice(p, (uint8_t)f, af->walk_mode))
			return true;
		af->walking = false;
		af->walk_started = false;
		bool refresh = af->refresh_due;
		af->refresh_due = false;
		default_sync(p, (uint8_t)f, refresh);
		if (refresh) {
			if (p->enhanced_rr)
				adjout_send_refresh_marker(p, (uint8_t)f, BGP_RR_EORR);
		} else if (!af->eor_sent) {
			send_eor(p, (uint8_t)f);
		}
		return true;
	}
	return false;
}

void adjout_peer_init(struct bgp_peer *p)
{
	p->out_task = (struct loop_task){ .run = peer_out_run, .ctx = p };
}

/* Forgets the batch being built (the session went down). */
void adjout_peer_reset(struct bgp_peer *p)
{
	adjout_free_pending(p);
	loop_task_cancel(p->s->loop, &p->out_task);
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		p->af[f].walking = p->af[f].walk_started = p->af[f].refresh_due = false;
}

void adjout_send_refresh_marker(struct bgp_peer *p, uint8_t fam, uint8_t subtype)
{
	uint8_t buf[32];
	struct wbuf w = wbuf_make(buf, sizeof(buf));
	struct bgp_route_refresh rr = { .afi = fam == BGP_FAM_IPV4 ? BGP_AFI_IPV4 : BGP_AFI_IPV6,
					.subtype = subtype, .safi = BGP_SAFI_UNICAST };
	if (bgp_route_refresh_encode(&w, &rr) && p->est) {
		session_send(p->est, buf, w.len);
		p->stats.refresh_out++;
	}
}

/* clear ip bgp X soft out (WALK_RESYNC: every destination exported again),
 * or the peer's echo changed (WALK_OWN: the routes learned from it). A walk
 * under way starts over, as the wider of the two when they differ. */
void adjout_resync(struct bgp_peer *p, enum adjout_walk mode)
{
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct bgp_peer_af *af = &p->af[f];
		if (!af->negotiated)
			continue;
		/* A walk under way starts over, covering both: the initial walk
		 * covers the peer's own routes; a refresh and the own routes
		 * together take a full resync. */
		uint8_t m = (uint8_t)mode;
		if (af->walking && mode != WALK_RESYNC) {
			if (af->walk_mode == WALK_REFRESH)
				m = WALK_RESYNC;
			else
				m = af->walk_mode;
		}
		af->walking = true;
		af->walk_mode = m;
		af->walk_started = false;
	}
	loop_task_queue(p->s->loop, &p->out_task);
}

/* Re-sends the Adj-RIB-Out of a family as it is: nothing withdrawn, nothing
 * changed (RFC 2918; with RFC 7313 markers around it). */
void adjout_refresh(struct bgp_peer *p, uint8_t fam)
{
	struct bgp_peer_af *af = &p->af[fam];
	if (af->walking && (af->walk_mode == WALK_INITIAL || af->walk_mode == WALK_RESYNC))
		return; /* the walk under way sends everything anyway */
	if (p->enhanced_rr && !af->refresh_due)
		adjout_send_refresh_marker(p, fam, BGP_RR_BORR);
	/* A walk of the peer's own routes under way: both together take a
	 * full resync, which sends what a refresh does. */
	uint8_t m = af->walking && af->walk_mode == WALK_OWN ? WALK_RESYNC : WALK_REFRESH;
	af->walking = true;
	af->walk_mode = m;
	af->refresh_due = true;
	af->walk_started = false;
	loop_task_queue(p->s->loop, &p->out_task);
}

/* rib.c: the Loc-RIB: one hash table of destinations per family, each
 * destination holding the paths learned for it (the Adj-RIB-In, with the attributes before policy
 * kept when soft-reconfiguration inbound is on), the best path and the
 * multipath set chosen by decision.c. Changes go to adjout.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decision.h"
#include "speaker_int.h"

#define LOCAL_WEIGHT 32768 /* FRR's weight for routes originated here */
#define WARM_FAR 8
#define WARM_NEAR 4

bool rib_init(struct bgp_rib *r, struct bgp_speaker *s)
{
	memset(r, 0, sizeof(*r));
	bgp_attr_table_init(&r->attrs);
	pindex_init(&r->dests[BGP_FAM_IPV4], AF_INET, RIB_DEST_SIZE(1), offsetof(struct rib_dest, hnext),
		    offsetof(struct rib_dest, len), offsetof(struct rib_dest, key));
	pindex_init(&r->dests[BGP_FAM_IPV6], AF_INET6, RIB_DEST_SIZE(4), offsetof(struct rib_dest, hnext),
		    offsetof(struct rib_dest, len), offsetof(struct rib_dest, key));
	slab_init(&r->path_pool, sizeof(struct rib_path));
	slab_init(&r->path_raw_pool, sizeof(struct rib_path_raw));
	for (unsigned i = 0; i < RIB_ADV_POOLS; i++)
		slab_init(&r->adv_pool[i], sizeof(uint64_t) * (2u << i));
	r->task = (struct loop_task){ .run = adjout_run, .ctx = s };
	return true;
}

static void path_free(struct bgp_rib *r, struct rib_path *p)
{
	if (p->attrs)
		bgp_attr_unref(&r->attrs, p->attrs);
	if (p->flags & PATH_F_RAW) {
		struct rib_path_raw *x = (struct rib_path_raw *)p;
		if (x->raw)
			bgp_attr_unref(&r->attrs, x->raw);
		slab_free(&r->path_raw_pool, x);
	} else {
		slab_free(&r->path_pool, p);
	}
}

/* The pool of an Adj-RIB-Out array of n words, or NULL: malloc's. */
static struct slab *adv_pool(struct bgp_rib *r, unsigned n)
{
	for (unsigned i = 0; i < RIB_ADV_POOLS; i++)
		if (n == 2u << i)
			return &r->adv_pool[i];
	return NULL;
}

/* Drops the array of an Adj-RIB-Out held outside d; d is back to inline
 * bits, all clear. */
static void adv_free(struct bgp_rib *r, struct rib_dest *d)
{
	if (d->adv_log) {
		struct slab *pool = adv_pool(r, rib_adv_words(d));
		if (pool)
			slab_free(pool, d->adv.ext);
		else
			free(d->adv.ext);
	}
	d->adv.inl = 0;
	d->adv_log = 0;
}

bool rib_adv_set(struct bgp_rib *r, struct rib_dest *d, uint16_t slot, bool on)
{
	unsigned have = d->adv_log ? rib_adv_words(d) : 1;
	if (slot / 64 >= have) {
		if (!on)
			return true;
		uint8_t log = 1;
		while ((1u << log) <= slot / 64u)
			log++;
		unsigned n = 1u << log;
		struct slab *pool = adv_pool(r, n);
		uint64_t *w = pool ? slab_alloc(pool) : calloc(n, sizeof(*w));
		if (!w)
			return false;
		if (d->adv_log)
			memcpy(w, d->adv.ext, rib_adv_words(d) * sizeof(*w));
		else
			w[0] = d->adv.inl;
		adv_free(r, d);
		d->adv.ext = w;
		d->adv_log = log;
	}
	uint64_t *word = d->adv_log ? &d->adv.ext[slot / 64] : &d->adv.inl;
	uint64_t bit = (uint64_t)1 << (slot % 64);
	*word = on ? *word | bit : *word & ~bit;
	return true;
}

static void dest_free_contents(struct bgp_rib *r, struct rib_dest *d)
{
	while (d->first.next) {
		struct rib_path *p = d->first.next;
		d->first.next = p->next;
		path_free(r, p);
	}
	if ((d->first.flags & PATH_F_HELD) && d->first.attrs)
		bgp_attr_unref(&r->attrs, d->first.attrs);
	d->first.flags = 0;
	adv_free(r, d);
}

void rib_destroy(struct bgp_rib *r)
{
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct ipool *pool = &r->dests[f].pool;
		for (uint32_t i = ipool_next(pool, 0); i != IPOOL_NONE; i = ipool_next(pool, i + 1))
			dest_free_contents(r, ipool_at(pool, i)); /* the pools go in one piece */
		pindex_destroy(&r->dests[f]);
	}
	slab_destroy(&r->path_pool);
	slab_destroy(&r->path_raw_pool);
	for (unsigned i = 0; i < RIB_ADV_POOLS; i++)
		slab_destroy(&r->adv_pool[i]);
	bgp_attr_table_destroy(&r->attrs);
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		free(r->dirty[f]);
}

/* The index */

struct rib_dest *rib_dest_get(struct bgp_rib *r, const struct prefix *p, bool create)
{
	uint8_t f = p->family == AF_INET6 ? BGP_FAM_IPV6 : BGP_FAM_IPV4;
	if (!create)
		return pindex_find(&r->dests[f], p);
	uint32_t idx;
	bool created;
	struct rib_dest *d = pindex_get(&r->dests[f], p, &idx, &created);
	if (created) {
		d->family = f;
		d->self = idx;
	}
	return d;
}

void rib_dest_prefix(const struct rib_dest *d, struct prefix *out)
{
	pindex_key_prefix(d->family == BGP_FAM_IPV6 ? AF_INET6 : AF_INET, d->len, d->key, out);
}

/* Frees a destination nothing refers to any more: no path, nothing advertised,
 * not waiting in the change list. */
void rib_dest_maybe_free(struct bgp_rib *r, struct rib_dest *d)
{
	if (rib_paths(d) || (d->flags & DEST_F_DIRTY) || rib_adv_any(d))
		return;
	adv_free(r, d);
	pindex_remove(&r->dests[d->family], d);
}

struct rib_dest **rib_sorted(const struct bgp_rib *r, uint8_t fam, size_t *n)
{
	return (struct rib_dest **)pindex_sorted(&r->dests[fam], n);
}

/* Selection */

void rib_path_cand(const struct bgp_speaker *s, uint8_t fam, const struct rib_path *path,
		   struct bgp_cand *c)
{
	(void)fam;
	const struct bgp_iattrs *a = path->attrs;
	const struct bgp_peer *p = speaker_peer(s, path->slot);
	memset(c, 0, sizeof(*c));
	c->local = path->slot == 0;
	c->weight = path->weight;
	c->local_pref = bgp_iattrs_has(a, BGP_ATTR_LOCAL_PREF) ? bgp_iattrs_local_pref(a) : 100;
	c->aspath_len = bgp_iattrs_aspath_length(a);
	c->origin = bgp_iattrs_origin(a);
	c->med = bgp_iattrs_has(a, BGP_ATTR_MED) ? bgp_iattrs_med(a) : 0;
	c->neighbor_as = c->local ? 0 : bgp_iattrs_first_as(a);
	c->aspath = bgp_iattrs_aspath(a);
	c->ebgp = p && peer_is_ebgp(p);
	/* Arrival order from the age (modulo 2^32): smaller is older. */
	c->received = ((uint64_t)1 << 32) - (uint32_t)(s->rib.seq - path->seq);
	c->router_id = bgp_iattrs_has(a, BGP_ATTR_ORIGINATOR_ID) ? bgp_iattrs_originator_id(a)
			: p ? p->remote_id : s->cfg.router_id;
	c->cluster_len = bgp_iattrs_cluster_count(a);
	if (p)
		c->peer = p->cfg.addr;
}

static const struct bgp_decision_opts decision_opts = { 0 };

/* Picks the best path and the multipath set; true when what is advertised
 * could change (the best path or its attributes, or the set). */
static bool dest_select(struct bgp_speaker *s, struct rib_dest *d)
{
	struct rib_path *best = NULL, *was = rib_best(d);
	struct bgp_cand bc, c;
	uint8_t rule;
	for (struct rib_path *p = rib_paths(d); p; p = p->next) {
		if (!p->attrs)
			continue;
		rib_path_cand(s, d->family, p, &c);
		if (!best || bgp_cand_cmp(&c, &bc, &decision_opts, &rule) < 0) {
			best = p;
			bc = c;
		}
	}
	unsigned max = best && bc.ebgp ? s->cfg.maximum_paths[d->family]
				       : s->cfg.maximum_paths_ibgp[d->family];
	unsigned n = 1;
	bool changed = best != was;
	for (struct rib_path *p = rib_paths(d); p; p = p->next) {
		uint8_t old = p->flags;
		p->flags &= (uint8_t)~(PATH_F_BEST | PATH_F_MULTIPATH);
		if (p == best) {
			p->flags |= PATH_F_BEST;
		} else if (p->attrs && best && n < max) {
			rib_path_cand(s, d->family, p, &c);
			if (bgp_cand_multipath(&bc, &c, &decision_opts)) {
				p->flags |= PATH_F_MULTIPATH;
				n++;
			}
		}
		if (old != p->flags)
			changed = true;
	}
	return changed;
}

/* Path changes. The paths of a destination are kept newest first, as FRR
 * lists them: a new path takes the place inside the destination, and the one
 * there moves to the head of the list (a soft-reconfiguration path, which
 * needs more room, goes to the head of the list itself). Path pointers are
 * therefore not stable across changes. */

/* The path of a source (peer slot, local kind) for d, or NULL; *link is the
 * list link to it, NULL when it is the one held in d. */
static struct rib_path *path_find(struct rib_dest *d, uint16_t slot, uint8_t kind,
				  struct rib_path ***link)
{
	*link = NULL;
	if ((d->first.flags & PATH_F_HELD) && d->first.slot == slot && d->first.kind == kind)
		return &d->first;
	for (struct rib_path **pp = &d->first.next; *pp; pp = &(*pp)->next)
		if ((*pp)->slot == slot && (*pp)->kind == kind) {
			*link = pp;
			return *pp;
		}
	return NULL;
}

/* Moves the path held in d to the head of the list; false when out of
 * memory (nothing changed). */
static bool unhold(struct bgp_rib *r, struct rib_dest *d)
{
	if (!(d->first.flags & PATH_F_HELD))
		return true;
	struct rib_path *p = slab_alloc(&r->path_pool);
	if (!p)
		return false;
	*p = d->first; /* its next is the list's head */
	p->flags &= (uint8_t)~PATH_F_HELD;
	d->first = (struct rib_path){ .next = p };
	return true;
}

/* Empties the place in d of the path held there (its attributes released). */
static void held_clear(struct bgp_rib *r, struct rib_dest *d)
{
	if (d->first.attrs)
		bgp_attr_unref(&r->attrs, d->first.attrs);
	d->first = (struct rib_path){ .next = d->first.next };
}

/* What of the best path peers are told about, before a change. */
struct best_was {
	bool any;
	uint16_t slot;
	uint8_t kind;
	const struct bgp_iattrs *attrs;
	uint32_t weight;
};

static struct best_was best_was(const struct rib_dest *d)
{
	const struct rib_path *b = rib_best(d);
	return b ? (struct best_was){ true, b->slot, b->kind, b->attrs, b->weight }
		 : (struct best_was){ 0 };
}

/* Flags d for export when its best path is another, or another now. */
static void best_check(struct rib_dest *d, struct best_was w)
{
	const struct rib_path *b = rib_best(d);
	if (!b != !w.any ||
	    (b && (b->slot != w.slot || b->kind != w.kind || b->attrs != w.attrs || b->weight != w.weight)))
		d->flags |= DEST_F_BEST;
}

/* Sets the path of a source (peer slot, local kind) for d; takes over the
 * references of attrs and raw. */
static void path_set(struct bgp_speaker *s, struct rib_dest *d, uint16_t slot, uint8_t kind,
		     const struct bgp_iattrs *attrs, const struct bgp_iattrs *raw, uint32_t weight)
{
	struct bgp_rib *r = &s->rib;
	struct rib_path **link, *p = path_find(d, slot, kind, &link);
	struct best_was was = best_was(d);
	bool changed;
	if (p && raw && !(p->flags & PATH_F_RAW)) {
		/* soft-reconfiguration inbound was turned on: a path with room
		 * for the raw attributes takes this one's place (the head of
		 * the list, for the one held in d, which was the newest). */
		struct rib_path_raw *x = slab_alloc(&r->path_raw_pool);
		if (x) {
			x->p = *p;
			x->p.flags = (uint8_t)((p->flags & ~PATH_F_HELD) | PATH_F_RAW);
			if (link) {
				*link = &x->p;
				slab_free(&r->path_pool, p);
			} else {
				d->first = (struct rib_path){ .next = &x->p };
			}
			p = &x->p;
		}
	}
	if (p) {
		changed = p->attrs != attrs || p->weight != weight;
		p->weight = weight;
		p->flags &= (uint8_t)~PATH_F_STALE; /* sent again: fresh */
		if (p->attrs)
			bgp_attr_unref(&r->attrs, p->attrs);
		p->attrs = attrs;
		if (p->flags & PATH_F_RAW) {
			struct rib_path_raw *x = (struct rib_path_raw *)p;
			if (x->raw)
				bgp_attr_unref(&r->attrs, x->raw);
			x->raw = raw;
		} else if (raw) {
			bgp_attr_unref(&r->attrs, raw); /* no room (out of memory above) */
		}
		if (changed)
			p->seq = ++r->seq;
	} else {
		if (!unhold(r, d)) {
			p = NULL;
		} else if (raw) {
			struct rib_path_raw *x = slab_alloc(&r->path_raw_pool);
			p = x ? &x->p : NULL;
			if (x) {
				x->raw = raw;
				p->flags = PATH_F_RAW;
				p->next = d->first.next;
				d->first.next = p;
			}
		} else {
			p = &d->first;
			p->flags = PATH_F_HELD;
		}
		if (!p) {
			log_err(s->log, "out of memory for a path");
			if (attrs)
				bgp_attr_unref(&r->attrs, attrs);
			if (raw)
				bgp_attr_unref(&r->attrs, raw);
			return;
		}
		p->attrs = attrs;
		p->seq = ++r->seq;
		p->weight = weight;
		p->slot = slot;
		p->kind = kind;
		changed = true;
	}
	bool selected = dest_select(s, d);
	best_check(d, was);
	if (selected || (changed && (p->flags & (PATH_F_BEST | PATH_F_MULTIPATH))))
		adjout_dest_changed(s, d);
}

/* Removes the path of a source; false when there was none. */
static bool path_del(struct bgp_speaker *s, struct rib_dest *d, uint16_t slot, uint8_t kind)
{
	struct rib_path **link, *p = path_find(d, slot, kind, &link);
	if (!p)
		return false;
	bool mattered = p->flags & (PATH_F_BEST | PATH_F_MULTIPATH);
	if (p->flags & PATH_F_BEST)
		d->flags |= DEST_F_BEST;
	if (link) {
		*link = p->next;
		path_free(&s->rib, p);
	} else {
		held_clear(&s->rib, d);
	}
	struct best_was was = best_was(d);
	bool selected = dest_select(s, d);
	best_check(d, was);
	if (selected || mattered)
		adjout_dest_changed(s, d);
	rib_dest_maybe_free(&s->rib, d);
	return true;
}

/* Routes from a peer */

/* The AS loop check with allowas-in: our AS may appear up to n times (0:
 * not at all), or with origin only at the origin end of the path. */
static bool path_loops(uint32_t asn, struct bgp_bytes path, unsigned allowed, bool origin_only)
{
	unsigned count = 0, trailing = 0;
	for (uint32_t pos = 0; pos + 2 <= path.len;) {
		unsigned n = path.p[pos + 1];
		for (unsigned i = 0; i < n; i++) {
			bool ours = load_be32(path.p + pos + 2 + 4 * i) == asn;
			count += ours;
			trailing = ours ? trailing + 1 : 0;
		}
		pos += 2 + 4 * n;
	}
	if (origin_only)
		return count != trailing;
	return count > allowed;
}

static bool has_gshut(const struct bgp_attrs *a)
{
	for (uint32_t i = 0; bgp_attrs_has(a, BGP_ATTR_COMMUNITIES) && i + 4 <= a->communities.len;
	     i += 4)
		if (load_be32(a->communities.p + i) == 0xffff0000u)
			return true;
	return false;
}

static const char *name_or_null(const char *name)
{
	return name[0] ? name : NULL;
}

/* Inbound, in FRR's order: the AS loop check, RFC 8212, then the neighbor's
 * prefix-list, filter-list and route-map (src/policy). Returns the attributes
 * the path keeps (a reference), or NULL when it is denied; *weight is the
 * path's weight. */
static const struct bgp_iattrs *import(struct bgp_peer *p, uint8_t fam, const struct prefix *pfx,
				       const struct bgp_iattrs *raw, uint32_t *weight)
{
	struct bgp_speaker *s = p->s;
	const struct bgp_peer_af_cfg *af = &p->cfg.af[fam];
	*weight = af->weight;
	struct bgp_bytes path = bgp_iattrs_aspath(raw);
	if (path_loops(s->cfg.asn, path, af->allowas_in, af->allowas_in_origin))
		return NULL;
	if (peer_is_ebgp(p) && p->cfg.enforce_first_as && bgp_aspath_first_as(path) != p->remote_as)
		return NULL; /* enforce-first-as */
	if (peer_is_ebgp(p) && s->cfg.ebgp_requires_policy && !af->policy_in)
		return NULL;
	struct bgp_attrs a;
	bgp_iattrs_view(raw, &a);
	/* RFC 8326 graceful shutdown: FRR gives such eBGP routes local
	 * preference 0, whatever the route-map set. */
	bool gshut = peer_is_ebgp(p) && has_gshut(&a);
	if (!af->plist_in[0] && !af->flist_in[0] && !af->rmap_in[0]) {
		if (!gshut)
			return bgp_attr_ref(raw);
		a.local_pref = 0;
		a.have |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		return bgp_attr_intern(&s->rib.attrs, &a);
	}
	if (!s->policy)
		return NULL; /* named but nothing is defined: FRR filters the route */
	struct policy_ctx *ctx = &s->pctx;
	policy_ctx_init(ctx, pfx, &a, af->weight);
	ctx->dir = POLICY_IN;
	ctx->peer_addr = p->cfg.addr;
	ctx->peer_as = p->remote_as;
	ctx->local_as = s->cfg.asn;
	if (policy_peer_filter(s->policy, name_or_null(af->plist_in), name_or_null(af->flist_in),
			       name_or_null(af->rmap_in), ctx) != POLICY_PERMIT)
		return NULL;
	*weight = ctx->weight;
	if (peer_is_ebgp(p) && has_gshut(&ctx->attrs)) {
		ctx->attrs.local_pref = 0;
		ctx->attrs.have |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
	}
	return bgp_attr_intern(&s->rib.attrs, &ctx->attrs);
}

/* The path of a peer for d is gone (withdrawn, or denied and not kept). */
static void drop_path(struct bgp_peer *p, uint8_t fam, struct rib_dest *d)
{
	struct rib_path **link, *old = d ? path_find(d, p->slot, 0, &link) : NULL;
	if (!old)
		return;
	if (old->attrs && p->af[fam].pfx_accepted)
		p->af[fam].pfx_accepted--;
	if (p->af[fam].pfx_received)
		p->af[fam].pfx_received--;
	path_del(p->s, d, p->slot, 0);
}

static void withdraw_section(struct bgp_peer *p, const struct bgp_nlri *n)
{
	struct bgp_nlri_iter it = bgp_nlri_iter(n);
	struct prefix pfx;
	uint8_t fam = family_of_afi(n->afi);
	while (bgp_nlri_next(&it, &pfx))
		drop_path(p, fam, rib_dest_get(&p->s->rib, &pfx, false));
}

/* maximum-prefix: a warning from the threshold on, then (unless
 * warning-only) the session is cut with Cease 6/1 and kept down for the
 * restart time, or until cleared. False when the session went down. */
static bool max_prefix_ok(struct bgp_peer *p, uint8_t fam)
{
	const struct bgp_peer_af_cfg *af = &p->cfg.af[fam];
	uint32_t n = p->af[fam].pfx_accepted;
	if (!af->max_prefix)
		return true;
	if (!p->af[fam].max_prefix_warned &&
	    (uint64_t)n * 100 >= (uint64_t)af->max_prefix * af->max_prefix_threshold) {
		peer_log(p, LOG_LVL_WARN, "%u prefixes received, %u%% of the limit of %u", n,
			 af->max_prefix_threshold, af->max_prefix);
		p->af[fam].max_prefix_warned = true;
	}
	/* FRR compares the count before the new prefix is added: the session
	 * goes when a prefix arrives while more than the limit are held. */
	if (n <= af->max_prefix + 1u)
		return true;
	if (af->max_prefix_warning_only) {
		if (!p->af[fam].max_prefix_over) {
			peer_log(p, LOG_LVL_WARN, "%u prefixes exceed the limit of %u (warning-only)",
				 n, af->max_prefix);
			p->af[fam].max_prefix_over = true;
		}
		return true;
	}
	char why[128];
	snprintf(why, sizeof(why), "maximum-prefix %u exceeded", af->max_prefix);
	session_stop(p, BGP_CEASE_MAX_PREFIX, why);
	session_hold_down(p, (uint32_t)af->max_prefix_restart * 60);
	return false;
}

static void announce_section(struct bgp_peer *p, const struct bgp_nlri *n,
			     const struct bgp_iattrs *raw)
{
	struct bgp_speaker *s = p->s;
	uint8_t fam = family_of_afi(n->afi);
	bool keep_raw = p->cfg.af[fam].soft_reconfig_in;
	struct bgp_nlri_iter it = bgp_nlri_iter(n);
	/* The index is warmed ahead of the lookups: buckets WARM_FAR prefixes
	 * ahead, the objects they lead to WARM_NEAR ahead (pindex_warm). */
	struct pindex *x = &s->rib.dests[fam];
	struct bgp_nlri_iter far = it, near = it;
	struct prefix pfx, ahead;
	for (unsigned k = 0; k < WARM_FAR && bgp_nlri_next(&far, &ahead); k++)
		pindex_warm(x, &ahead, false);
	for (unsigned k = 0; k < WARM_NEAR && bgp_nlri_next(&near, &ahead); k++)
		pindex_warm(x, &ahead, true);
	while (bgp_nlri_next(&it, &pfx)) {
		if (bgp_nlri_next(&far, &ahead))
			pindex_warm(x, &ahead, false);
		if (bgp_nlri_next(&near, &ahead))
			pindex_warm(x, &ahead, true);
		uint32_t weight;
		const struct bgp_iattrs *accepted = import(p, fam, &pfx, raw, &weight);
		if (!accepted && !keep_raw) {
			/* Denied and not kept: as good as a withdrawal. */
			drop_path(p, fam, rib_dest_get(&s->rib, &pfx, false));
			continue;
		}
		struct rib_dest *d = rib_dest_get(&s->rib, &pfx, true);
		if (!d) {
			peer_log(p, LOG_LVL_ERR, "out of memory for a route");
			if (accepted)
				bgp_attr_unref(&s->rib.attrs, accepted);
			continue;
		}
		struct rib_path **link, *old = path_find(d, p->slot, 0, &link);
		if (!old)
			p->af[fam].pfx_received++;
		if (old && old->attrs && p->af[fam].pfx_accepted)
			p->af[fam].pfx_accepted--;
		if (accepted)
			p->af[fam].pfx_accepted++;
		path_set(s, d, p->slot, 0, accepted, keep_raw ? bgp_attr_ref(raw) : NULL, weight);
		if (accepted && !max_prefix_ok(p, fam))
			return; /* the session went down */
	}
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = load_be32(x), b = load_be32(y);
	return a < b ? -1 : a > b;
}

static int cmp_large(const void *x, const void *y)
{
	return memcmp(x, y, 12); /* big-endian: byte order is numeric order */
}

/* Sorts and deduplicates n items of size sz from src into dst; the length. */
static uint32_t sort_unique(const uint8_t *src, uint32_t len, uint8_t *dst, size_t sz,
			    int (*cmp)(const void *, const void *))
{
	memcpy(dst, src, len);
	size_t n = len / sz, k = 0;
	qsort(dst, n, sz, cmp);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || memcmp(dst + (k - 1) * sz, dst + i * sz, sz) != 0)
			memmove(dst + k++ * sz, dst + i * sz, sz);
	return (uint32_t)(k * sz);
}

/* The received attributes, interned as FRR keeps them: standard and large
 * communities sorted and without duplicates. */
static const struct bgp_iattrs *intern_received(struct bgp_speaker *s, const struct bgp_attrs *in)
{
	struct bgp_attrs a = *in;
	uint8_t *buf = s->scratch2;
	if (bgp_attrs_has(&a, BGP_ATTR_COMMUNITIES) && a.communities.len > 4) {
		a.communities.len = sort_unique(a.communities.p, a.communities.len, buf, 4, cmp_u32);
		a.communities.p = buf;
		buf += BGP_MAX_EXT_MSG;
	}
	if (bgp_attrs_has(&a, BGP_ATTR_LARGE_COMMUNITIES) && a.large_communities.len > 12) {
		a.large_communities.len = sort_unique(a.large_communities.p, a.large_communities.len,
						      buf, 12, cmp_large);
		a.large_communities.p = buf;
	}
	return bgp_attr_intern(&s->rib.attrs, &a);
}

void rib_update(struct bgp_peer *p, const struct bgp_update *u)
{
	struct bgp_speaker *s = p->s;
	withdraw_section(p, &u->withdrawn);
	if (u->mp_unreach.supported && p->af[family_of_afi(u->mp_unreach.afi)].negotiated)
		withdraw_section(p, &u->mp_unreach);
	if (u->eor) {
		uint8_t f = family_of_afi(u->eor_afi);
		if (!p->af[f].eor_received)
			peer_log(p, LOG_LVL_INFO, "End-of-RIB received for %s",
				 f == BGP_FAM_IPV4 ? "IPv4 unicast" : "IPv6 unicast");
		p->af[f].eor_received = true;
		if (p->gr_stale)
			rib_flush_stale(p, f);
		if (s->event_fn) {
			struct bgp_speaker_event ev = { .type = BGP_EVENT_EOR, .peer = &p->cfg.addr };
			s->event_fn(s->event_ctx, &ev);
		}
	}
	const struct bgp_nlri *sections[2] = { &u->nlri, &u->mp_reach };
	if (u->action == BGP_ACT_TREAT_AS_WITHDRAW) {
		for (int i = 0; i < 2; i++)
			if (sections[i]->supported && sections[i]->count)
				withdraw_section(p, sections[i]);
		return;
	}
	const struct bgp_iattrs *ia = NULL;
	for (int i = 0; i < 2; i++) {
		const struct bgp_nlri *n = sections[i];
		if (!n->supported || !n->count)
			continue;
		uint8_t fam = family_of_afi(n->afi);
		if (!p->af[fam].negotiated || !p->est)
			continue;
		if (!ia && !(ia = intern_received(s, &u->attrs))) {
			peer_log(p, LOG_LVL_ERR, "out of memory for attributes");
			return;
		}
		announce_section(p, n, ia);
	}
	if (ia)
		bgp_attr_unref(&s->rib.attrs, ia);
}

void rib_peer_up(struct bgp_peer *p)
{
	if (p->gr_stale) /* the peer is back: its stale routes wait for its End-of-RIB */
		loop_timer_set(p->s->loop, &p->gr_timer, BGP_STALE_WAIT_MS);
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct bgp_peer_af *af = &p->af[f];
		af->eor_received = af->eor_sent = false;
		if (!p->gr_stale)
			af->pfx_received = af->pfx_accepted = 0;
		af->pfx_sent = 0;
		af->walking = af->negotiated;
		af->walk_mode = WALK_INITIAL;
		af->walk_started = false;
		af->max_prefix_warned = false;
		af->max_prefix_over = false;
		af->default_sent = false;
	}
	adjout_groups(p->s);
	loop_task_queue(p->s->loop, &p->out_task);
}

/* Forgets what was sent to the peer, and (unless keep) drops its paths, or
 * marks them stale. */
static void peer_down_walk(struct bgp_peer *p, bool keep)
{
	struct bgp_speaker *s = p->s;
	adjout_peer_reset(p);
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct ipool *pool = &s->rib.dests[f].pool;
		for (uint32_t i = ipool_next(pool, 0); i != IPOOL_NONE; i = ipool_next(pool, i + 1)) {
			struct rib_dest *d = ipool_at(pool, i);
			rib_adv_set(&s->rib, d, p->slot, false);
			struct rib_path **link, *path = path_find(d, p->slot, 0, &link);
			if (keep && path && (p->gr_afs & (1u << f))) {
				path->flags |= PATH_F_STALE;
				continue;
			}
			if (!path_del(s, d, p->slot, 0))
				rib_dest_maybe_free(&s->rib, d);
		}
		if (!keep || !(p->gr_afs & (1u << f)))
			p->af[f].pfx_received = p->af[f].pfx_accepted = 0;
		p->af[f].pfx_sent = 0;
		p->af[f].walking = false;
	}
	adjout_groups(s);
}

void rib_peer_stale(struct bgp_peer *p)
{
	peer_down_walk(p, true);
	p->gr_stale = true;
}

void rib_flush_stale(struct bgp_peer *p, uint8_t fam)
{
	struct bgp_speaker *s = p->s;
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		if (fam != BGP_FAM_COUNT && f != fam)
			continue;
		struct ipool *pool = &s->rib.dests[f].pool;
		for (uint32_t i = ipool_next(pool, 0); i != IPOOL_NONE; i = ipool_next(pool, i + 1)) {
			struct rib_dest *d = ipool_at(pool, i);
			struct rib_path **link, *path = path_find(d, p->slot, 0, &link);
			if (path && (path->flags & PATH_F_STALE))
				drop_path(p, (uint8_t)f, d);
		}
	}
	if (fam == BGP_FAM_COUNT || !p->est) {
		p->gr_stale = false;
		loop_timer_stop(s->loop, &p->gr_timer);
		return;
	}
	/* Stale paths remain only in families whose End-of-RIB is awaited. */
	bool waiting = false;
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		waiting |= p->af[f].negotiated && !p->af[f].eor_received;
	if (!waiting) {
		p->gr_stale = false;
		loop_timer_stop(s->loop, &p->gr_timer);
	}
}

/* Drops every path learned from the peer and forgets what was sent to it. */
void rib_peer_down(struct bgp_peer *p)
{
	if (p->gr_stale) {
		p->gr_stale = false;
		loop_timer_stop(p->s->loop, &p->gr_timer);
	}
	peer_down_walk(p, false);
}

/* clear ip bgp X soft in, with soft-reconfiguration inbound: the kept
 * routes go through inbound policy again; only changed paths change. */
void rib_soft_in(struct bgp_peer *p)
{
	struct bgp_speaker *s = p->s;
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct ipool *pool = &s->rib.dests[f].pool;
		for (uint32_t i = ipool_next(pool, 0); i != IPOOL_NONE; i = ipool_next(pool, i + 1)) {
			struct rib_dest *d = ipool_at(pool, i);
			struct rib_path **link, *path = path_find(d, p->slot, 0, &link);
			if (!path || !rib_path_raw(path))
				continue;
			struct prefix pfx;
			uint32_t weight;
			rib_dest_prefix(d, &pfx);
			const struct bgp_iattrs *a = import(p, (uint8_t)f, &pfx, rib_path_raw(path), &weight);
			if (a == path->attrs && weight == path->weight) {
				if (a)
					bgp_attr_unref(&s->rib.attrs, a);
				continue;
			}
			if (path->attrs && p->af[f].pfx_accepted)
				p->af[f].pfx_accepted--;
			if (a)
				p->af[f].pfx_accepted++;
			path_set(s, d, p->slot, 0, a, bgp_attr_ref(rib_path_raw(path)), weight);
		}
	}
}

/* Local routes */

size_t bgp_peer_routes(const struct bgp_peer *p, uint8_t fam, bool raw, bgp_route_fn fn, void *ctx)
{
	if (fam >= BGP_FAM_COUNT)
		return 0;
	const struct bgp_speaker *s = p->s;
	size_t count = 0, n = 0;
	/* In prefix order: the Route Servers of azlab feed on this. */
	struct rib_dest **v = rib_sorted(&s->rib, fam, &n);
	for (size_t k = 0; k < n; k++) {
		const struct rib_dest *d = v[k];
		const struct rib_path *path = NULL;
		for (const struct rib_path *x = rib_paths(d); x && !path; x = x->next)
			if (x->slot == p->slot)
				path = x;
		if (!path)
			continue;
		const struct bgp_iattrs *ia = raw && rib_path_raw(path) ? rib_path_raw(path) : path->attrs;
		if (!ia)
			continue;
		struct prefix pfx;
		struct bgp_attrs a;
		rib_dest_prefix(d, &pfx);
		bgp_iattrs_view(ia, &a);
		fn(ctx, &pfx, &a, path->attrs != NULL);
		count++;
	}
	free(v);
	return count;
}

uint64_t bgp_peer_updates_in(const struct bgp_peer *p)
{
	return p->stats.update_in;
}

bool bgp_local_add(struct bgp_speaker *s, uint8_t kind, const struct prefix *p,
		   const struct bgp_attrs *a)
{
	const struct bgp_iattrs *ia = bgp_attr_intern(&s->rib.attrs, a);
	struct rib_dest *d = ia ? rib_dest_get(&s->rib, p, true) : NULL;
	if (!d) {
		if (ia)
			bgp_attr_unref(&s->rib.attrs, ia);
		return false;
	}
	path_set(s, d, 0, kind, ia, NULL, LOCAL_WEIGHT);
	return true;
}

void bgp_local_del(struct bgp_speaker *s, uint8_t kind, const struct prefix *p)
{
	struct rib_dest *d = rib_dest_get(&s->rib, p, false);
	if (d)
		path_del(s, d, 0, kind);
}

/* fib.c: the FIB model of fib.h: per-prefix candidates (nvad's sources and the
 * kernel's own routes) chosen by distance as zebra chooses, next hops resolved
 * once per distinct address in a shared table and re-resolved only when a
 * route covering them changes, and the difference against what was handed out.
 *
 * Prefixes are found by exact match in a hash index (lib/pindex.h). Only the
 * prefixes with a route that next hops may resolve through (static,
 * connected, kernel) are also in a trie, for the longest matches of
 * resolution: a full BGP table costs no trie insert and no glue node. */
#include "fib.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"
#include "lib/pindex.h"
#include "lib/ptrie.h"
#include "lib/slab.h"
#include "netlink.h"

/* A next hop resolves through at most this many static routes in a chain. */
#define FIB_MAX_DEPTH 8
/* Addresses looked up while resolving one next hop that are remembered to
 * tell whether a change concerns it; past that, every change does. */
#define FIB_CHAIN_MAX 16
#define FIB_DISTANCE_INFINITY 255

#define SRC_CONNECTED (FIB_SRC_COUNT + FIB_UL_CONNECTED)
#define SRC_KERNEL (FIB_SRC_COUNT + FIB_UL_KERNEL)

struct fib_nhe;
struct fib_dest;

/* A candidate's hold on a next-hop entry: its slot in the entry's users. */
struct fib_ref {
	struct fib_nhe *nhe;
	uint32_t slot;
};

/* A source's route, shared by every prefix the source gives it for: a
 * full table from one peer is a million prefixes over a few next-hop sets,
 * so a prefix holds only a link to its route, and next hops are tracked per
 * route. Interned in fib.cands by content; n_dests counts the holders. */
struct fib_cand {
	uint64_t hash;            /* of the content, for fib.cands */
	uint32_t n_dests;
	bool changed;             /* its next hops resolved anew: its prefixes to be marked */
	struct fib_nexthop *nh;   /* n_nh, as given */
	struct fib_ref *ref;      /* n_nh, nvad's sources only: gateway entries */
	struct ipaddr src;
	uint32_t metric;          /* kernel metric (given for underlay, from opts for nvad's) */
	uint8_t source;           /* enum fib_source, or FIB_SRC_COUNT + enum fib_underlay */
	uint8_t distance;
	uint8_t n_nh;
	/* A single next hop (a BGP route's usual case) is held here, nh and
	 * ref pointing at these, rather than in arrays of their own. */
	struct fib_nexthop nh1;
	struct fib_ref ref1;
};

/* A route nvad holds in the kernel for a prefix, one per metric: a digest of
 * what was handed out, enough to tell whether the wanted route differs. */
struct fib_inst {
	struct fib_inst *next;
	uint64_t digest;
	uint32_t metric;
	bool adopted;             /* found at start, not yet confirmed or swept */
};

/* A prefix's hold on a candidate route: a list in order of preference, the
 * first link held in the prefix itself. */
struct fib_link {
	struct fib_link *next;
	struct fib_cand *c;       /* NULL only in an empty prefix's first link */
};

/* A prefix: 48 octets for IPv4, 56 for IPv6, in the pool of its family's
 * index, which owns hnext, len and key. */
struct fib_dest {
	struct fib_link first;    /* its candidates */
	struct fib_inst *inst;
	struct fib_dest *dirty_next;
	uint32_t hnext;
	uint8_t len;
	uint8_t n_rcands;         /* underlay and static candidates: the resolving ones */
	bool dirty;
	bool v6;
	uint32_t key[];           /* 1 word, or 4 for IPv6 */
};
_Static_assert(PINDEX_SIZE(offsetof(struct fib_dest, key), AF_INET) == 48, "an IPv4 prefix is 48 octets");

/* A prefix with resolving candidates in the trie. The trie node comes last:
 * an IPv6 one is allocated with the extra key words of a ptrie_node6 after
 * it. */
struct fib_tnode {
	struct fib_dest *d;
	struct ptrie_node node;
};

/* A distinct next-hop address (with the interface it was given with, if any)
 * and how it resolves, shared by every route that names it. */
struct fib_nhe {
	uint64_t hash;
	struct ipaddr addr;
	int ifindex;
	struct fib_cand **users;
	uint32_t n_users, cap_users;
	/* The longest non-BGP prefix matching addr, where resolution started: a
	 * route for that very prefix may not use this entry (zebra's rule that a
	 * next hop does not resolve through the route being resolved). */
	bool has_first;
	bool chain_all;           /* chain overflowed: every change concerns it */
	uint8_t n_chain;
	uint8_t n_res;
	struct prefix first;
	struct ipaddr chain[FIB_CHAIN_MAX];  /* every address looked up */
	struct kernel_nexthop res[KERNEL_MAX_NEXTHOPS];
};

struct fib {
	struct fib_opts o;
	struct pindex px4, px6;   /* every prefix */
	struct ptrie t4, t6;      /* the prefixes with resolving candidates */
	struct slab tn4, tn6, links, insts; /* a full table's worth of insts */
	struct hset cands;        /* the candidate routes, interned */
	struct hset nhes;
	struct fib_dest *dirty;
	struct fib_stats st;
	struct kernel_route_spec spec; /* scratch for fib_sync */
};

/* ---- small helpers ---- */

static bool is_underlay(uint8_t source)
{
	return source >= FIB_SRC_COUNT;
}

static bool is_bgp(uint8_t source)
{
	return source == FIB_SRC_EBGP || source == FIB_SRC_IBGP;
}

static struct fib_dest *dest_of(const struct ptrie_node *n)
{
	return ((const struct fib_tnode *)(const void *)((const char *)n - offsetof(struct fib_tnode, node)))->d;
}

static const struct ptrie *trie_of(const struct fib *f, uint8_t family)
{
	return family == AF_INET ? &f->t4 : family == AF_INET6 ? &f->t6 : NULL;
}

static struct pindex *pindex_of(struct fib *f, uint8_t family)
{
	return family == AF_INET ? &f->px4 : family == AF_INET6 ? &f->px6 : NULL;
}

static void dest_prefix(const struct fib_dest *d, struct prefix *out)
{
	pindex_key_prefix(d->v6 ? AF_INET6 : AF_INET, d->len, d->key, out);
}

static bool prefix_has(const struct prefix *p, const struct ipaddr *a)
{
	if (p->family != a->family)
		return false;
	unsigned full = p->len / 8, rest = p->len % 8;
	if (memcmp(p->a, a->a, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (p->a[full] & mask) == (a->a[full] & mask);
}

static bool ipaddr_same(const struct ipaddr *a, const struct ipaddr *b)
{
	unsigned n = a->family == AF_INET ? 4 : 16;
	return a->family == b->family && (a->family == 0 || memcmp(a->a, b->a, n) == 0);
}

static bool is_linklocal6(const struct ipaddr *a)
{
	return a->family == AF_INET6 && a->a[0] == 0xfe && (a->a[1] & 0xc0) == 0x80;
}

static bool is_host(const struct prefix *p)
{
	return p->len == prefix_family_bits(p->family);
}

static uint8_t default_distance(uint8_t source)
{
	switch (source) {
	case FIB_SRC_STATIC:
		return 1;
	case FIB_SRC_EBGP:
		return 20;
	default:
		return 200;
	}
}

static uint32_t source_metric(const struct fib *f, uint8_t source)
{
	switch (source) {
	case FIB_SRC_STATIC:
		return f->o.metric_static;
	case FIB_SRC_EBGP:
		return f->o.metric_ebgp;
	default:
		return f->o.metric_ibgp;
	}
}

/* Next hops in one canonical order, so that equal sets give equal digests. */
static int knh_cmp(const struct kernel_nexthop *a, const struct kernel_nexthop *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->gateway.family != b->gateway.family)
		return a->gateway.family < b->gateway.family ? -1 : 1;
	int c = memcmp(a->gateway.a, b->gateway.a, sizeof(a->gateway.a));
	if (c)
		return c;
	if (a->ifindex != b->ifindex)
		return a->ifindex < b->ifindex ? -1 : 1;
	return 0;
}

static int knh_qcmp(const void *a, const void *b)
{
	return knh_cmp(a, b);
}

static struct kernel_nexthop knh_make(uint8_t kind, const struct ipaddr *gw, int ifindex)
{
	struct kernel_nexthop k;
	memset(&k, 0, sizeof(k));
	k.kind = kind;
	if (gw && kind == KERNEL_NH_GATEWAY)
		k.gateway = *gw;
	k.ifindex = kind == KERNEL_NH_BLACKHOLE ? 0 : ifindex;
	k.weight = 1;
	return k;
}

/* Appends k unless present or full; true when it is in the set after. */
static bool knh_add(struct kernel_nexthop *set, unsigned *n, const struct kernel_nexthop *k)
{
	for (unsigned i = 0; i < *n; i++)
		if (knh_cmp(&set[i], k) == 0)
			return true;
	if (*n >= KERNEL_MAX_NEXTHOPS)
		return false;
	set[(*n)++] = *k;
	return true;
}

/* The installable form of a set: a blackhole only when nothing else is left
 * (the kernel takes no blackhole among multipath next hops), sorted. */
static unsigned knh_finish(struct kernel_nexthop *set, unsigned n)
{
	unsigned w = 0;
	bool other = false;
	for (unsigned i = 0; i < n; i++)
		other |= set[i].kind != KERNEL_NH_BLACKHOLE;
	if (other) {
		for (unsigned i = 0; i < n; i++)
			if (set[i].kind != KERNEL_NH_BLACKHOLE)
				set[w++] = set[i];
		n = w;
	} else if (n > 1) {
		n = 1;
	}
	qsort(set, n, sizeof(*set), knh_qcmp);
	return n;
}

/* A digest of a route as the kernel holds it: metric, source address, next
 * hops in canonical order (weights 0 and 1 are the same). */
static uint64_t route_digest(uint32_t metric, const struct ipaddr *src, const struct kernel_nexthop *nh,
			     unsigned n)
{
	uint8_t buf[8 + 17 + KERNEL_MAX_NEXTHOPS * 23];
	size_t o = 0;
	memcpy(buf + o, &metric, 4);
	o += 4;
	buf[o++] = (uint8_t)n;
	buf[o++] = src ? src->family : 0;
	if (src && src->family)
		memcpy(buf + o, src->a, 16);
	else
		memset(buf + o, 0, 16);
	o += 16;
	for (unsigned i = 0; i < n && i < KERNEL_MAX_NEXTHOPS; i++) {
		buf[o++] = nh[i].kind;
		buf[o++] = nh[i].gateway.family;
		memcpy(buf + o, nh[i].gateway.a, 16);
		o += 16;
		memcpy(buf + o, &nh[i].ifindex, 4);
		o += 4;
		buf[o++] = nh[i].weight ? nh[i].weight : 1;
	}
	return hash_bytes(buf, o, 0x6e766164666962ULL);
}

/* ---- candidates in order of preference ---- */

/* zebra's order: a connected route first whatever the distances, then the
 * lower distance; at equal distance kernel, static, eBGP, iBGP; then the lower
 * metric. */
static unsigned source_rank(uint8_t source)
{
	switch (source) {
	case SRC_CONNECTED:
		return 0;
	case SRC_KERNEL:
		return 1;
	case FIB_SRC_STATIC:
		return 2;
	case FIB_SRC_EBGP:
		return 3;
	default:
		return 4;
	}
}

static int cand_cmp(const struct fib_cand *a, const struct fib_cand *b)
{
	bool ca = a->source == SRC_CONNECTED, cb = b->source == SRC_CONNECTED;
	if (ca != cb)
		return ca ? -1 : 1;
	if (a->distance != b->distance)
		return a->distance < b->distance ? -1 : 1;
	unsigned ra = source_rank(a->source), rb = source_rank(b->source);
	if (ra != rb)
		return ra < rb ? -1 : 1;
	if (a->metric != b->metric)
		return a->metric < b->metric ? -1 : 1;
	return 0;
}

/* Puts d in the trie of resolving prefixes (when it gets its first resolving
 * candidate): false when out of memory. */
static bool tnode_add(struct fib *f, struct fib_dest *d)
{
	struct slab *pool = d->v6 ? &f->tn6 : &f->tn4;
	struct fib_tnode *tn = slab_alloc(pool);
	if (!tn)
		return false;
	struct prefix dp;
	dest_prefix(d, &dp);
	tn->d = d;
	if (ptrie_insert(d->v6 ? &f->t6 : &f->t4, &dp, &tn->node) != &tn->node) {
		slab_free(pool, tn); /* no glue node to be had (d is never there already) */
		return false;
	}
	return true;
}

/* Takes d out of the trie (its last resolving candidate went). */
static void tnode_drop(struct fib *f, struct fib_dest *d)
{
	struct prefix dp;
	dest_prefix(d, &dp);
	struct ptrie *t = d->v6 ? &f->t6 : &f->t4;
	struct ptrie_node *n = ptrie_lookup(t, &dp);
	if (!n)
		return;
	ptrie_remove(t, n);
	slab_free(d->v6 ? &f->tn6 : &f->tn4, (char *)n - offsetof(struct fib_tnode, node));
}

/* d's candidates in order of preference:
 * `for (l = links_of(d); l; l = l->next)`, the route at l->c. */
static const struct fib_link *links_of(const struct fib_dest *d)
{
	return d->first.c ? &d->first : NULL;
}

/* Links c into d in order of preference (d takes over the caller's hold on
 * c); false when out of memory (c not linked). */
static bool cand_link(struct fib *f, struct fib_dest *d, struct fib_cand *c)
{
	bool resolving = !is_bgp(c->source);
	bool entered = resolving && d->n_rcands == 0;
	if (entered && !tnode_add(f, d))
		return false;
	if (!d->first.c) {
		d->first.c = c;
		d->first.next = NULL;
	} else {
		struct fib_link *l = slab_alloc(&f->links);
		if (!l) {
			if (entered)
				tnode_drop(f, d);
			return false;
		}
		if (cand_cmp(d->first.c, c) > 0) {
			/* c goes first: the first link's route moves to the new one. */
			*l = d->first;
			d->first.c = c;
			d->first.next = l;
		} else {
			struct fib_link *at = &d->first;
			while (at->next && cand_cmp(at->next->c, c) <= 0)
				at = at->next;
			l->c = c;
			l->next = at->next;
			at->next = l;
		}
	}
	if (resolving)
		d->n_rcands++;
	return true;
}

/* Unlinks c from d (the caller takes over d's hold on c). */
static void cand_unlink(struct fib *f, struct fib_dest *d, const struct fib_cand *c)
{
	if (d->first.c == c) {
		struct fib_link *n = d->first.next;
		if (n) {
			d->first = *n;
			slab_free(&f->links, n);
		} else {
			d->first.c = NULL;
		}
	} else {
		for (struct fib_link *at = &d->first; at->next; at = at->next)
			if (at->next->c == c) {
				struct fib_link *x = at->next;
				at->next = x->next;
				slab_free(&f->links, x);
				break;
			}
	}
	if (!is_bgp(c->source) && --d->n_rcands == 0)
		tnode_drop(f, d);
}

/* ---- prefixes ---- */

static struct fib_dest *dest_get(struct fib *f, const struct prefix *p, bool create)
{
	struct pindex *x = pindex_of(f, p->family);
	if (!x)
		return NULL;
	if (!create)
		return pindex_find(x, p);
	bool created;
	struct fib_dest *d = pindex_get(x, p, NULL, &created);
	if (created)
		d->v6 = p->family == AF_INET6;
	return d;
}

static void dest_mark(struct fib *f, struct fib_dest *d)
{
	if (d->dirty)
		return;
	d->dirty = true;
	d->dirty_next = f->dirty;
	f->dirty = d;
}

/* ---- next-hop resolution ---- */

struct cover {
	const struct fib_dest *d[PTRIE_MAX_DEPTH];
	unsigned n;
};

static int cover_fn(struct ptrie_node *n, void *arg)
{
	struct cover *c = arg;
	/* Only prefixes with resolving candidates are in the trie. */
	if (c->n < PTRIE_MAX_DEPTH)
		c->d[c->n++] = dest_of(n);
	return 0;
}

struct rctx {
	const struct fib *f;
	unsigned n;
	unsigned n_chain;
	bool chain_all;
	bool has_first;
	unsigned sp;
	struct prefix first;
	const struct fib_dest *stack[FIB_MAX_DEPTH + 1];
	struct ipaddr chain[FIB_CHAIN_MAX];
	struct kernel_nexthop out[KERNEL_MAX_NEXTHOPS];
};

static void chain_note(struct rctx *rc, const struct ipaddr *a)
{
	for (unsigned i = 0; i < rc->n_chain; i++)
		if (ipaddr_same(&rc->chain[i], a))
			return;
	if (rc->n_chain < FIB_CHAIN_MAX)
		rc->chain[rc->n_chain++] = *a;
	else
		rc->chain_all = true;
}

static bool on_stack(const struct rctx *rc, const struct fib_dest *d)
{
	for (unsigned i = 0; i < rc->sp; i++)
		if (rc->stack[i] == d)
			return true;
	return false;
}

static bool resolve_addr(struct rctx *rc, const struct ipaddr *a, int ifindex, unsigned depth);

/* Address a through the routes of d (a covers it): true when some route of d
 * usable for resolution gave next hops. */
static bool resolve_through(struct rctx *rc, const struct fib_dest *d, const struct ipaddr *a, unsigned depth)
{
	for (const struct fib_link *l = links_of(d); l; l = l->next) {
		const struct fib_cand *c = l->c;
		if (is_bgp(c->source) || c->distance == FIB_DISTANCE_INFINITY)
			continue;
		if (c->source == SRC_CONNECTED) {
			int ifi = c->n_nh ? c->nh[0].ifindex : 0;
			struct kernel_nexthop k = knh_make(KERNEL_NH_GATEWAY, a, ifi);
			knh_add(rc->out, &rc->n, &k);
			return true;
		}
		if (c->source == SRC_KERNEL) {
			/* The kernel's own routes are resolved already: their
			 * gateways are on-link. */
			for (unsigned i = 0; i < c->n_nh; i++) {
				const struct fib_nexthop *h = &c->nh[i];
				struct kernel_nexthop k;
				if (h->kind == KERNEL_NH_GATEWAY)
					k = knh_make(KERNEL_NH_GATEWAY, &h->gateway, h->ifindex);
				else if (h->kind == KERNEL_NH_IFACE)
					k = knh_make(KERNEL_NH_GATEWAY, a, h->ifindex);
				else
					k = knh_make(KERNEL_NH_BLACKHOLE, NULL, 0);
				knh_add(rc->out, &rc->n, &k);
			}
			return true;
		}
		/* A static route: its own next hops, resolved in turn. */
		unsigned before = rc->n;
		if (rc->sp > FIB_MAX_DEPTH)
			return false;
		rc->stack[rc->sp++] = d;
		for (unsigned i = 0; i < c->n_nh; i++) {
			const struct fib_nexthop *h = &c->nh[i];
			struct kernel_nexthop k;
			if (h->kind == KERNEL_NH_GATEWAY) {
				if (h->gateway.family)
					resolve_addr(rc, &h->gateway, h->ifindex, depth + 1);
				continue;
			}
			if (h->kind == KERNEL_NH_IFACE)
				k = knh_make(KERNEL_NH_GATEWAY, a, h->ifindex);
			else
				k = knh_make(KERNEL_NH_BLACKHOLE, NULL, 0);
			knh_add(rc->out, &rc->n, &k);
		}
		rc->sp--;
		if (rc->n > before)
			return true;
		/* Inactive: the next candidate of the prefix, as zebra selects
		 * only routes whose next hops resolve. */
	}
	return false;
}

/* Resolves a into rc->out: true when it gave next hops. */
static bool resolve_addr(struct rctx *rc, const struct ipaddr *a, int ifindex, unsigned depth)
{
	if (ifindex > 0) {
		/* Given with its interface (a link-local next hop, a static
		 * "via A dev X"): on-link there, nothing to look up. */
		struct kernel_nexthop k = knh_make(KERNEL_NH_GATEWAY, a, ifindex);
		return knh_add(rc->out, &rc->n, &k);
	}
	if (is_linklocal6(a) || depth > FIB_MAX_DEPTH)
		return false;
	const struct ptrie *t = trie_of(rc->f, a->family);
	if (!t)
		return false;
	chain_note(rc, a);
	struct prefix host;
	memset(&host, 0, sizeof(host));
	host.family = a->family;
	host.len = (uint8_t)prefix_family_bits(a->family);
	memcpy(host.a, a->a, sizeof(host.a));
	struct cover cv;
	cv.n = 0;
	ptrie_walk_covering(t, &host, cover_fn, &cv);
	/* Longest first; a prefix with no usable route passes to the next
	 * shorter one (zebra walks up the tree the same way). */
	for (unsigned i = cv.n; i-- > 0;) {
		const struct fib_dest *d = cv.d[i];
		struct prefix dp;
		dest_prefix(d, &dp);
		if (depth == 0 && !rc->has_first) {
			rc->has_first = true;
			rc->first = dp;
		}
		if (dp.len == 0 && !rc->f->o.resolve_via_default)
			return false;
		if (on_stack(rc, d))
			return false; /* a loop through static routes */
		if (resolve_through(rc, d, a, depth))
			return true;
	}
	return false;
}

static bool knh_same(const struct kernel_nexthop *a, unsigned na, const struct kernel_nexthop *b, unsigned nb)
{
	if (na != nb)
		return false;
	for (unsigned i = 0; i < na; i++)
		if (knh_cmp(&a[i], &b[i]) != 0 || a[i].weight != b[i].weight)
			return false;
	return true;
}

/* (Re)resolves e; true when the outcome changed. */
static bool nhe_resolve(struct fib *f, struct fib_nhe *e)
{
	struct rctx rc;
	rc.f = f;
	rc.n = 0;
	rc.n_chain = 0;
	rc.chain_all = false;
	rc.has_first = false;
	rc.sp = 0;
	memset(&rc.first, 0, sizeof(rc.first));
	resolve_addr(&rc, &e->addr, e->ifindex, 0);
	rc.n = knh_finish(rc.out, rc.n);
	f->st.resolutions++;
	bool changed = !knh_same(rc.out, rc.n, e->res, e->n_res) || rc.has_first != e->has_first ||
		       (rc.has_first && !prefix_equal(&rc.first, &e->first));
	memcpy(e->res, rc.out, rc.n * sizeof(rc.out[0]));
	e->n_res = (uint8_t)rc.n;
	e->has_first = rc.has_first;
	e->first = rc.first;
	e->chain_all = rc.chain_all;
	e->n_chain = (uint8_t)rc.n_chain;
	memcpy(e->chain, rc.chain, rc.n_chain * sizeof(rc.chain[0]));
	return changed;
}

struct nhe_key {
	const struct ipaddr *addr;
	int ifindex;
};

static uint64_t nhe_hash_of(const struct ipaddr *a, int ifindex)
{
	uint8_t b[21];
	b[0] = a->family;
	memcpy(b + 1, a->a, 16);
	memcpy(b + 17, &ifindex, 4);
	return hash_bytes(b, sizeof(b), 0x6e68);
}

static uint64_t nhe_hash(const void *elem)
{
	return ((const struct fib_nhe *)elem)->hash;
}

static bool nhe_eq(const void *elem, const void *key)
{
	const struct fib_nhe *e = elem;
	const struct nhe_key *k = key;
	return e->ifindex == k->ifindex && ipaddr_same(&e->addr, k->addr);
}

static void nhe_free(struct fib *f, struct fib_nhe *e)
{
	hset_remove(&f->nhes, e, e->hash);
	free(e->users);
	free(e);
}

/* Takes a slot in the entry of (a, ifindex), created and resolved when new. */
static bool ref_take(struct fib *f, struct fib_cand *c, struct fib_ref *r, const struct ipaddr *a, int ifindex)
{
	struct nhe_key k = { a, ifindex };
	uint64_t h = nhe_hash_of(a, ifindex);
	struct fib_nhe *e = hset_find(&f->nhes, h, nhe_eq, &k);
	if (!e) {
		e = calloc(1, sizeof(*e));
		if (!e)
			return false;
		e->hash = h;
		e->addr = *a;
		e->ifindex = ifindex;
		if (!hset_insert(&f->nhes, e, h)) {
			free(e);
			return false;
		}
		nhe_resolve(f, e);
	}
	if (e->n_users == e->cap_users) {
		uint32_t cap = e->cap_users ? e->cap_users * 2 : 4;
		struct fib_cand **u = realloc(e->users, cap * sizeof(*u));
		if (!u) {
			if (e->n_users == 0)
				nhe_free(f, e);
			return false;
		}
		e->users = u;
		e->cap_users = cap;
	}
	r->nhe = e;
	r->slot = e->n_users;
	e->users[e->n_users++] = c;
	return true;
}

static void ref_drop(struct fib *f, struct fib_ref *r)
{
	struct fib_nhe *e = r->nhe;
	if (!e)
		return;
	uint32_t last = --e->n_users;
	if (r->slot != last) {
		struct fib_cand *m = e->users[last];
		e->users[r->slot] = m;
		for (unsigned i = 0; i < m->n_nh; i++)
			if (m->ref[i].nhe == e && m->ref[i].slot == last) {
				m->ref[i].slot = r->slot;
				break;
			}
	}
	r->nhe = NULL;
	if (e->n_users == 0)
		nhe_free(f, e);
}

/* ---- candidate routes, interned ---- */

static bool fnh_same(const struct fib_nexthop *a, const struct fib_nexthop *b)
{
	return a->kind == b->kind && a->ifindex == b->ifindex && ipaddr_same(&a->gateway, &b->gateway);
}

static bool nhs_same(const struct fib_nexthop *a, unsigned na, const struct fib_nexthop *b, unsigned nb)
{
	if (na != nb)
		return false;
	for (unsigned i = 0; i < na; i++)
		if (!fnh_same(&a[i], &b[i]))
			return false;
	return true;
}

/* The content of a route: its source, distance, metric, source address and
 * next hops as given. */
static uint64_t cand_content_hash(const struct fib_cand *c)
{
	uint8_t buf[8 + 17 + KERNEL_MAX_NEXTHOPS * 22];
	size_t o = 0;
	buf[o++] = c->source;
	buf[o++] = c->distance;
	buf[o++] = c->n_nh;
	memcpy(buf + o, &c->metric, 4);
	o += 4;
	buf[o++] = c->src.family;
	memcpy(buf + o, c->src.a, 16);
	o += 16;
	for (unsigned i = 0; i < c->n_nh; i++) {
		buf[o++] = c->nh[i].kind;
		buf[o++] = c->nh[i].gateway.family;
		memcpy(buf + o, c->nh[i].gateway.a, 16);
		o += 16;
		memcpy(buf + o, &c->nh[i].ifindex, 4);
		o += 4;
	}
	return hash_bytes(buf, o, 0x6e76616463616e64ULL);
}

static uint64_t cand_hash(const void *elem)
{
	return ((const struct fib_cand *)elem)->hash;
}

static bool cand_eq(const void *elem, const void *key)
{
	const struct fib_cand *a = elem, *b = key;
	return a->source == b->source && a->distance == b->distance && a->metric == b->metric &&
	       ipaddr_same(&a->src, &b->src) && nhs_same(a->nh, a->n_nh, b->nh, b->n_nh);
}

static void cand_free(struct fib_cand *c)
{
	if (c->nh != &c->nh1)
		free(c->nh);
	if (c->ref != &c->ref1)
		free(c->ref);
	free(c);
}

/* The route with want's content (source, distance, metric, src, n_nh and
 * nh), held once more, or made (taking its next-hop entries) with a first
 * hold; NULL when out of memory. */
static struct fib_cand *cand_get(struct fib *f, struct fib_cand *want)
{
	want->hash = cand_content_hash(want);
	struct fib_cand *c = hset_find(&f->cands, want->hash, cand_eq, want);
	if (c) {
		c->n_dests++;
		return c;
	}
	unsigned n = want->n_nh;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->nh = n == 1 ? &c->nh1 : calloc(n, sizeof(*c->nh));
	/* Underlay routes take no references. */
	c->ref = n == 1 || is_underlay(want->source) ? &c->ref1 : calloc(n, sizeof(*c->ref));
	if (!c->nh || !c->ref) {
		c->nh = c->nh ? c->nh : &c->nh1;
		c->ref = c->ref ? c->ref : &c->ref1;
		cand_free(c);
		return NULL;
	}
	c->hash = want->hash;
	c->src = want->src;
	c->metric = want->metric;
	c->source = want->source;
	c->distance = want->distance;
	memcpy(c->nh, want->nh, n * sizeof(*c->nh));
	/* All n counted from the start: a reference dropped on failure may
	 * move another of c's own in its entry's list (ref_drop), found among
	 * c->ref[0..n_nh); those not taken yet have no entry. */
	c->n_nh = (uint8_t)n;
	for (unsigned i = 0; i < n && !is_underlay(c->source); i++) {
		const struct fib_nexthop *h = &c->nh[i];
		if (h->kind == KERNEL_NH_GATEWAY && h->gateway.family &&
		    !ref_take(f, c, &c->ref[i], &h->gateway, h->ifindex)) {
			for (unsigned j = 0; j < i; j++)
				ref_drop(f, &c->ref[j]);
			cand_free(c);
			return NULL;
		}
	}
	if (!hset_insert(&f->cands, c, c->hash)) {
		for (unsigned j = 0; j < n && !is_underlay(c->source); j++)
			ref_drop(f, &c->ref[j]);
		cand_free(c);
		return NULL;
	}
	c->n_dests = 1;
	return c;
}

/* Lets go of one hold on c: the last frees it and its next-hop entries. */
static void cand_put(struct fib *f, struct fib_cand *c)
{
	if (--c->n_dests)
		return;
	hset_remove(&f->cands, c, c->hash);
	for (unsigned i = 0; i < c->n_nh && !is_underlay(c->source); i++)
		ref_drop(f, &c->ref[i]);
	cand_free(c);
}

static bool nhe_depends(const struct fib_nhe *e, const struct prefix *p)
{
	if (e->chain_all)
		return true;
	for (unsigned i = 0; i < e->n_chain; i++)
		if (prefix_has(p, &e->chain[i]))
			return true;
	return false;
}

/* Marks the prefixes holding a route flagged changed, and clears the
 * flags. Routes do not list their prefixes (a million pointers for one
 * route): the prefixes are walked, which a change that concerns the
 * routes of a full table costs anyway. */
static void mark_changed(struct fib *f)
{
	struct pindex *xs[] = { &f->px4, &f->px6 };
	for (unsigned k = 0; k < 2; k++) {
		struct ipool *pool = &xs[k]->pool;
		for (uint32_t i = ipool_next(pool, 0); i != IPOOL_NONE; i = ipool_next(pool, i + 1)) {
			struct fib_dest *d = ipool_at(pool, i);
			for (const struct fib_link *l = links_of(d); l; l = l->next)
				if (l->c->changed) {
					dest_mark(f, d);
					break;
				}
		}
	}
	size_t pos = 0;
	struct fib_cand *c;
	while ((c = hset_next(&f->cands, &pos)))
		c->changed = false;
}

/* A route usable for resolution changed at p: re-resolves the entries whose
 * lookups p covers, and marks the prefixes using those that changed. */
static void nht_changed(struct fib *f, const struct prefix *p)
{
	if (p->len == 0 && !f->o.resolve_via_default)
		return; /* the default route resolves nothing */
	size_t pos = 0;
	struct fib_nhe *e;
	bool any = false;
	while ((e = hset_next(&f->nhes, &pos))) {
		if (!nhe_depends(e, p) || !nhe_resolve(f, e))
			continue;
		for (uint32_t i = 0; i < e->n_users; i++)
			e->users[i]->changed = true;
		any = true;
	}
	if (any)
		mark_changed(f);
}

/* ---- what a candidate would install ---- */

/* The next hops of an nvad candidate at prefix dp, resolved, in installable
 * form. */
static unsigned cand_resolved(const struct fib_cand *c, const struct prefix *dp, struct kernel_nexthop *out)
{
	unsigned n = 0;
	for (unsigned i = 0; i < c->n_nh; i++) {
		const struct fib_nexthop *h = &c->nh[i];
		struct kernel_nexthop k;
		if (h->kind == KERNEL_NH_BLACKHOLE) {
			k = knh_make(KERNEL_NH_BLACKHOLE, NULL, 0);
			knh_add(out, &n, &k);
		} else if (h->kind == KERNEL_NH_IFACE) {
			k = knh_make(KERNEL_NH_IFACE, NULL, h->ifindex);
			knh_add(out, &n, &k);
		} else if (c->ref && c->ref[i].nhe) {
			const struct fib_nhe *e = c->ref[i].nhe;
			if (e->has_first && prefix_equal(&e->first, dp) && !is_host(dp))
				continue;
			for (unsigned j = 0; j < e->n_res; j++)
				knh_add(out, &n, &e->res[j]);
		}
	}
	return knh_finish(out, n);
}

/* The winner at d: the first candidate in order of preference that can be
 * used (an underlay route always; an nvad route with a resolved next hop).
 * For an nvad winner, its resolved next hops are left in out. */
static const struct fib_cand *dest_select(const struct fib_dest *d, const struct prefix *dp,
					  struct kernel_nexthop *out, unsigned *n_out)
{
	*n_out = 0;
	for (const struct fib_link *l = links_of(d); l; l = l->next) {
		const struct fib_cand *c = l->c;
		if (c->distance == FIB_DISTANCE_INFINITY)
			continue;
		if (is_underlay(c->source))
			return c;
		unsigned n = cand_resolved(c, dp, out);
		if (n) {
			*n_out = n;
			return c;
		}
	}
	return NULL;
}

/* ---- public ---- */

struct fib *fib_new(const struct fib_opts *o)
{
	struct fib *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->o = *o;
	ptrie_init(&f->t4, AF_INET);
	ptrie_init(&f->t6, AF_INET6);
	hset_init(&f->nhes, nhe_hash);
	pindex_init(&f->px4, AF_INET, PINDEX_SIZE(offsetof(struct fib_dest, key), AF_INET),
		    offsetof(struct fib_dest, hnext), offsetof(struct fib_dest, len),
		    offsetof(struct fib_dest, key));
	pindex_init(&f->px6, AF_INET6, PINDEX_SIZE(offsetof(struct fib_dest, key), AF_INET6),
		    offsetof(struct fib_dest, hnext), offsetof(struct fib_dest, len),
		    offsetof(struct fib_dest, key));
	slab_init(&f->tn4, sizeof(struct fib_tnode));
	slab_init(&f->tn6, sizeof(struct fib_tnode) + sizeof(struct ptrie_node6) - sizeof(struct ptrie_node));
	slab_init(&f->links, sizeof(struct fib_link));
	slab_init(&f->insts, sizeof(struct fib_inst));
	hset_init(&f->cands, cand_hash);
	return f;
}

void fib_free(struct fib *f)
{
	if (!f)
		return;
	size_t pos = 0;
	struct fib_nhe *e;
	while ((e = hset_next(&f->nhes, &pos))) {
		free(e->users);
		free(e);
	}
	hset_destroy(&f->nhes);
	pos = 0;
	struct fib_cand *c;
	while ((c = hset_next(&f->cands, &pos)))
		cand_free(c);
	hset_destroy(&f->cands);
	/* Prefixes, links, trie nodes and instances go with their pools. */
	ptrie_destroy(&f->t4, NULL, NULL);
	ptrie_destroy(&f->t6, NULL, NULL);
	pindex_destroy(&f->px4);
	pindex_destroy(&f->px6);
	slab_destroy(&f->tn4);
	slab_destroy(&f->tn6);
	slab_destroy(&f->links);
	slab_destroy(&f->insts);
	free(f);
}

static bool prefix_ok(const struct prefix *p, struct prefix *out)
{
	if (!p || (p->family != AF_INET && p->family != AF_INET6) || p->len > prefix_family_bits(p->family))
		return false;
	*out = *p;
	prefix_mask(out);
	return true;
}

static struct fib_cand *cand_find(const struct fib_dest *d, uint8_t source)
{
	for (const struct fib_link *l = links_of(d); l; l = l->next)
		if (l->c->source == source)
			return l->c;
	return NULL;
}

/* Removes the route of a source from d, if it has one. */
static void cand_clear(struct fib *f, struct fib_dest *d, uint8_t source, const struct prefix *pm)
{
	struct fib_cand *old = cand_find(d, source);
	if (!old)
		return;
	cand_unlink(f, d, old);
	cand_put(f, old);
	dest_mark(f, d);
	if (source == FIB_SRC_STATIC)
		nht_changed(f, pm);
}

bool fib_set(struct fib *f, uint8_t source, const struct prefix *p, const struct fib_nexthop *nh,
	     unsigned n_nh, uint8_t distance, const struct ipaddr *src)
{
	return fib_set_other(f, FIB_SRC_COUNT, source, p, nh, n_nh, distance, src);
}

/* Puts the route of want's content in d in place of old (NULL: none), the
 * new one held before the old one goes, so that next-hop entries they share
 * are not freed and resolved again. */
static bool cand_replace(struct fib *f, struct fib_dest *d, struct fib_cand *old, struct fib_cand *want)
{
	struct fib_cand *c = cand_get(f, want);
	if (!c) {
		dest_mark(f, d); /* freed by the next sync if left empty */
		return false;
	}
	if (c == old) {
		cand_put(f, c); /* told again what it knew */
		return true;
	}
	if (!cand_link(f, d, c)) {
		cand_put(f, c);
		dest_mark(f, d);
		return false;
	}
	if (old) {
		cand_unlink(f, d, old);
		cand_put(f, old);
	}
	dest_mark(f, d);
	return true;
}

bool fib_set_other(struct fib *f, uint8_t other, uint8_t source, const struct prefix *p,
		   const struct fib_nexthop *nh, unsigned n_nh, uint8_t distance,
		   const struct ipaddr *src)
{
	struct prefix pm;
	if (source >= FIB_SRC_COUNT || !prefix_ok(p, &pm))
		return false;
	if (n_nh > KERNEL_MAX_NEXTHOPS)
		n_nh = KERNEL_MAX_NEXTHOPS;
	struct fib_dest *d = dest_get(f, &pm, n_nh > 0);
	if (!d)
		return n_nh == 0;
	if (other < FIB_SRC_COUNT && other != source)
		cand_clear(f, d, other, &pm);
	if (n_nh == 0) {
		cand_clear(f, d, source, &pm);
		return true;
	}
	struct fib_nexthop given[KERNEL_MAX_NEXTHOPS];
	memcpy(given, nh, n_nh * sizeof(*nh));
	struct fib_cand want;
	memset(&want, 0, sizeof(want));
	want.nh = given;
	want.n_nh = (uint8_t)n_nh;
	want.source = source;
	want.distance = distance ? distance : default_distance(source);
	want.metric = source_metric(f, source);
	if (src && (src->family == AF_INET || src->family == AF_INET6))
		want.src = *src;
	if (!cand_replace(f, d, cand_find(d, source), &want))
		return false;
	if (source == FIB_SRC_STATIC)
		nht_changed(f, &pm);
	return true;
}

bool fib_underlay(struct fib *f, bool add, uint8_t kind, const struct prefix *p, uint32_t metric,
		  const struct kernel_nexthop *nh, unsigned n_nh)
{
	struct prefix pm;
	if ((kind != FIB_UL_CONNECTED && kind != FIB_UL_KERNEL) || !prefix_ok(p, &pm))
		return false;
	if (n_nh > KERNEL_MAX_NEXTHOPS)
		n_nh = KERNEL_MAX_NEXTHOPS;
	if (add && n_nh == 0)
		return false;
	uint8_t source = (uint8_t)(FIB_SRC_COUNT + kind);
	struct fib_dest *d = dest_get(f, &pm, add);
	if (!d)
		return !add;
	struct fib_cand *c = NULL;
	for (const struct fib_link *l = links_of(d); l; l = l->next) {
		struct fib_cand *x = l->c;
		if (x->source != source || x->metric != metric)
			continue;
		if (kind == FIB_UL_CONNECTED && n_nh && x->n_nh && x->nh[0].ifindex != nh[0].ifindex)
			continue;
		c = x;
		break;
	}
	if (!add) {
		if (!c)
			return true;
		cand_unlink(f, d, c);
		cand_put(f, c);
		dest_mark(f, d);
		nht_changed(f, &pm);
		return true;
	}
	struct fib_nexthop given[KERNEL_MAX_NEXTHOPS];
	memset(given, 0, sizeof(given));
	for (unsigned i = 0; i < n_nh; i++) {
		given[i].kind = nh[i].kind;
		given[i].ifindex = nh[i].ifindex;
		if (nh[i].kind == KERNEL_NH_GATEWAY)
			given[i].gateway = nh[i].gateway;
	}
	if (c && nhs_same(c->nh, c->n_nh, given, n_nh))
		return true; /* told again what it knew */
	struct fib_cand want;
	memset(&want, 0, sizeof(want));
	want.nh = given;
	want.n_nh = (uint8_t)n_nh;
	want.source = source;
	want.metric = metric;
	want.distance = kind == FIB_UL_KERNEL ? (uint8_t)(metric >> 24) : 0;
	if (!cand_replace(f, d, c, &want))
		return false;
	nht_changed(f, &pm);
	return true;
}

void fib_warm(const struct fib *f, const struct prefix *p, unsigned n)
{
	for (int head = 0; head < 2; head++)
		for (unsigned i = 0; i < n; i++) {
			const struct pindex *x = p[i].family == AF_INET6 ? &f->px6 : &f->px4;
			pindex_warm(x, &p[i], head);
		}
}

static void emit_remove(struct fib *f, const struct prefix *dp, uint32_t metric,
			void (*remove)(void *ctx, const struct kernel_route_spec *r), void *ctx)
{
	struct kernel_route_spec *s = &f->spec;
	s->dst = *dp;
	s->table = f->o.table;
	s->protocol = KERNEL_RTPROT_NVAD;
	s->metric = metric;
	memset(&s->src, 0, sizeof(s->src));
	s->n_nh = 0;
	remove(ctx, s);
}

static void sync_dest(struct fib *f, struct fib_dest *d,
		      void (*install)(void *ctx, const struct kernel_route_spec *r),
		      void (*remove)(void *ctx, const struct kernel_route_spec *r), void *ctx)
{
	struct prefix dp;
	dest_prefix(d, &dp);
	struct kernel_route_spec *s = &f->spec;
	unsigned n = 0;
	const struct fib_cand *best = dest_select(d, &dp, s->nh, &n);
	struct fib_inst *keep = NULL;
	if (best && !is_underlay(best->source)) {
		uint64_t dg = route_digest(best->metric, &best->src, s->nh, n);
		for (struct fib_inst *i = d->inst; i; i = i->next)
			if (i->metric == best->metric)
				keep = i;
		bool write = true;
		if (keep) {
			write = keep->digest != dg;
		} else if ((keep = slab_alloc(&f->insts))) {
			keep->metric = best->metric;
			keep->next = d->inst;
			d->inst = keep;
			f->st.installed++;
		}
		if (keep) {
			keep->digest = dg;
			keep->adopted = false;
		}
		if (write) {
			s->dst = dp;
			s->table = f->o.table;
			s->protocol = KERNEL_RTPROT_NVAD;
			s->metric = best->metric;
			s->src = best->src;
			s->n_nh = (uint8_t)n;
			install(ctx, s);
		}
	}
	/* Then whatever else nvad holds for the prefix goes, but for routes
	 * adopted at start that wait for the sweep. */
	for (struct fib_inst **pp = &d->inst; *pp;) {
		struct fib_inst *i = *pp;
		if (i == keep || i->adopted) {
			pp = &i->next;
			continue;
		}
		*pp = i->next;
		emit_remove(f, &dp, i->metric, remove, ctx);
		slab_free(&f->insts, i);
		f->st.installed--;
	}
	if (!d->first.c && !d->inst) {
		pindex_remove(pindex_of(f, dp.family), d);
	}
}

void fib_sync(struct fib *f, void (*install)(void *ctx, const struct kernel_route_spec *r),
	      void (*remove)(void *ctx, const struct kernel_route_spec *r), void *ctx)
{
	struct fib_dest *d;
	while ((d = f->dirty)) {
		f->dirty = d->dirty_next;
		d->dirty_next = NULL;
		d->dirty = false;
		sync_dest(f, d, install, remove, ctx);
	}
}

bool fib_adopt(struct fib *f, const struct kernel_route_spec *r)
{
	struct prefix pm;
	if (r->table != f->o.table || r->protocol != KERNEL_RTPROT_NVAD || !prefix_ok(&r->dst, &pm))
		return true;
	struct fib_dest *d = dest_get(f, &pm, true);
	if (!d)
		return false;
	struct kernel_nexthop nh[KERNEL_MAX_NEXTHOPS];
	unsigned n = 0;
	for (unsigned i = 0; i < r->n_nh && i < KERNEL_MAX_NEXTHOPS; i++) {
		struct kernel_nexthop k = knh_make(r->nh[i].kind, &r->nh[i].gateway, r->nh[i].ifindex);
		k.weight = r->nh[i].weight ? r->nh[i].weight : 1;
		knh_add(nh, &n, &k);
	}
	qsort(nh, n, sizeof(nh[0]), knh_qcmp);
	struct fib_inst *i = d->inst;
	while (i && i->metric != r->metric)
		i = i->next;
	if (!i) {
		i = slab_alloc(&f->insts);
		if (!i) {
			dest_mark(f, d);
			return false;
		}
		i->metric = r->metric;
		i->next = d->inst;
		d->inst = i;
		f->st.installed++;
	}
	i->digest = route_digest(r->metric, &r->src, nh, n);
	i->adopted = true;
	dest_mark(f, d);
	return true;
}

void fib_sweep(struct fib *f)
{
	struct pindex *xs[] = { &f->px4, &f->px6 };
	for (unsigned k = 0; k < 2; k++) {
		struct ipool *pool = &xs[k]->pool;
		for (uint32_t j = ipool_next(pool, 0); j != IPOOL_NONE; j = ipool_next(pool, j + 1)) {
			struct fib_dest *d = ipool_at(pool, j);
			bool any = false;
			for (struct fib_inst *i = d->inst; i; i = i->next) {
				any |= i->adopted;
				i->adopted = false;
			}
			if (any)
				dest_mark(f, d);
		}
	}
}

void fib_get_stats(const struct fib *f, struct fib_stats *out)
{
	*out = f->st;
	out->nexthops = hset_count(&f->nhes);
	out->prefixes = pindex_count(&f->px4) + pindex_count(&f->px6);
}

static void walk_dest(const struct fib_dest *d, void (*fn)(void *ctx, const struct fib_entry_view *e),
		      void *ctx)
{
	if (!d->first.c)
		return;
	struct prefix dp;
	dest_prefix(d, &dp);
	struct kernel_nexthop sel[KERNEL_MAX_NEXTHOPS], res[KERNEL_MAX_NEXTHOPS];
	unsigned n_sel = 0;
	const struct fib_cand *best = dest_select(d, &dp, sel, &n_sel);
	for (const struct fib_link *l = links_of(d); l; l = l->next) {
		const struct fib_cand *c = l->c;
		struct fib_entry_view v;
		memset(&v, 0, sizeof(v));
		v.prefix = &dp;
		v.source = c->source;
		v.distance = c->distance;
		v.metric = c->metric;
		v.selected = c == best;
		v.n_nh = c->n_nh;
		v.nh = c->nh;
		unsigned n = 0;
		if (is_underlay(c->source)) {
			for (unsigned i = 0; i < c->n_nh; i++) {
				res[n] = knh_make(c->nh[i].kind, &c->nh[i].gateway, c->nh[i].ifindex);
				n++;
			}
			v.installed = true;
		} else {
			n = cand_resolved(c, &dp, res);
			if (v.selected) {
				uint64_t dg = route_digest(c->metric, &c->src, res, n);
				for (const struct fib_inst *i = d->inst; i; i = i->next)
					if (i->metric == c->metric && i->digest == dg)
						v.installed = true;
			}
		}
		v.n_resolved = n;
		v.resolved = res;
		fn(ctx, &v);
	}
}

void fib_walk(const struct fib *f, uint8_t family, void (*fn)(void *ctx, const struct fib_entry_view *e),
	      void *ctx)
{
	const struct pindex *x = family == AF_INET ? &f->px4 : family == AF_INET6 ? &f->px6 : NULL;
	if (!x)
		return;
	size_t n;
	void **v = pindex_sorted(x, &n);
	if (!v) {
		/* No memory to sort: every prefix still, in no order. */
		for (uint32_t i = ipool_next(&x->pool, 0); i != IPOOL_NONE; i = ipool_next(&x->pool, i + 1))
			walk_dest(pindex_at(x, i), fn, ctx);
		return;
	}
	for (size_t i = 0; i < n; i++)
		walk_dest(v[i], fn, ctx);
	free(v);
}

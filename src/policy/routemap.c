/* routemap.c: route-maps evaluated as FRR 8.4's route_map_apply_ext: entries
 * in seq order; an entry matches when all its match clauses do. A permit
 * entry that matches applies its sets in order, then `call` (a deny from the
 * called map denies), then its exit policy: none = permit now, `on-match next`
 * = go on, `on-match goto N` / `continue N` = go on at the first entry >= N.
 * A deny entry that matches denies. Falling off the end gives the last result:
 * permit unless an entry after the last permit failed to match (implicit
 * deny). Matches of later entries see the attributes as earlier sets left them. */
#include "policy/policy_int.h"

#include <stdlib.h>
#include <string.h>

#include "bgp/wire.h"
#include "lib/cursor.h"

#define RMAP_RECURSION_LIMIT 10 /* FRR's, for `call` */

static const struct bgp_bytes no_bytes = { NULL, 0 };

static struct bgp_bytes part(const struct bgp_attrs *a, unsigned type, struct bgp_bytes v)
{
	return bgp_attrs_has(a, type) ? v : no_bytes;
}

static bool match_one(const struct pol_clause *c, const struct policy_ctx *ctx)
{
	const struct bgp_attrs *a = &ctx->attrs;
	switch (c->kind) {
	case CONF_MATCH_IP_PREFIX_LIST:
	case CONF_MATCH_IPV6_PREFIX_LIST:
		return c->ref && pol_plist_apply(c->ref, &ctx->prefix) == POLICY_PERMIT;
	case CONF_MATCH_AS_PATH:
		return c->ref && pol_aslist_apply(c->ref, part(a, BGP_ATTR_AS_PATH, a->aspath)) ==
					 POLICY_PERMIT;
	case CONF_MATCH_COMMUNITY:
		return pol_clist_match(c->ref, part(a, BGP_ATTR_COMMUNITIES, a->communities), c->exact);
	case CONF_MATCH_LARGE_COMMUNITY:
		return pol_clist_match(c->ref,
				       part(a, BGP_ATTR_LARGE_COMMUNITIES, a->large_communities),
				       c->exact);
	case CONF_MATCH_METRIC:
		/* FRR compares the stored value even when the attribute was
		 * dropped (a MED learned from another AS, on its way to an eBGP
		 * peer), while `set metric +N` starts from 0 then: both kept.
		 * Decoded attributes hold 0 when there is no MED. */
		return a->med == c->num;
	case CONF_MATCH_ORIGIN:
		return a->origin == c->num;
	default:
		return false;
	}
}

/* ---- buffers owned by the ctx ---- */

static bool buf_reserve(struct policy_buf *b, size_t n)
{
	if (b->cap >= n)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < n)
		cap *= 2;
	uint8_t *p = realloc(b->p, cap);
	if (!p)
		return false;
	b->p = p;
	b->cap = cap;
	return true;
}

/* Makes the scratch buffer the part's own and returns a view of n bytes. */
static struct bgp_bytes buf_commit(struct policy_ctx *ctx, int k, size_t n)
{
	struct policy_buf t = ctx->buf[k];
	ctx->buf[k] = ctx->scratch;
	ctx->scratch = t;
	return (struct bgp_bytes){ ctx->buf[k].p, (uint32_t)n };
}

/* ---- AS path writer: merges consecutive AS_SEQUENCE numbers into segments
 * of at most 255, as FRR's normalisation and packing do; other segments are
 * written as they come. ---- */
struct pathw {
	struct wbuf w;
	size_t hdr;      /* offset of the open segment's header */
	uint8_t type;    /* of the open segment, 0 when none */
	unsigned count;
};

static void pw_start(struct pathw *pw, uint8_t type)
{
	pw->hdr = wbuf_reserve(&pw->w, 2);
	wbuf_patch_u8(&pw->w, pw->hdr, type);
	pw->type = type;
	pw->count = 0;
}

static void pw_add(struct pathw *pw, uint8_t type, uint32_t asn)
{
	if (pw->type != type || pw->count == 255)
		pw_start(pw, type);
	wbuf_u32(&pw->w, asn);
	pw->count++;
	wbuf_patch_u8(&pw->w, pw->hdr + 1, (uint8_t)pw->count);
}

/* Copies a path's segments; drop_as: ASes to leave out (exclude), or NULL. */
static void pw_copy(struct pathw *pw, struct bgp_bytes path, bool skip_confed_seq,
		    const uint32_t *drop, size_t n_drop, bool replace_any, uint32_t old_as,
		    uint32_t new_as, bool replace)
{
	struct cursor c = cursor_make(path.p, path.len);
	uint8_t type, count;
	bool leading = true;
	while (cursor_u8(&c, &type) && cursor_u8(&c, &count)) {
		if (leading && skip_confed_seq && type == BGP_AS_CONFED_SEQUENCE) {
			cursor_skip(&c, 4u * count);
			continue;
		}
		leading = false;
		if (type != BGP_AS_SEQUENCE)
			pw->type = 0; /* each other segment stands alone */
		for (unsigned i = 0; i < count; i++) {
			uint32_t asn;
			if (!cursor_u32(&c, &asn))
				return;
			bool dropped = false;
			for (size_t k = 0; k < n_drop && !dropped; k++)
				dropped = drop[k] == asn;
			if (dropped)
				continue;
			if (replace && (replace_any || asn == old_as))
				asn = new_as;
			pw_add(pw, type, asn);
		}
		if (type != BGP_AS_SEQUENCE)
			pw->type = 0;
	}
}

static uint32_t path_leftmost(struct bgp_bytes path)
{
	if (path.len >= 6 && path.p[0] == BGP_AS_SEQUENCE && path.p[1] > 0)
		return load_be32(path.p + 2);
	return 0;
}

static bool set_aspath(const struct pol_clause *c, struct policy_ctx *ctx)
{
	struct bgp_attrs *a = &ctx->attrs;
	struct bgp_bytes old = part(a, BGP_ATTR_AS_PATH, a->aspath);
	size_t extra = 4u * (c->kind == CONF_SET_AS_PATH_PREPEND ? (c->flag ? c->num : c->n_asns) : 0);
	size_t cap = old.len + extra + 2u * (extra / 4u / 255u + 2u) + 2u * (old.len / 6u + 1u);
	if (c->kind == CONF_SET_AS_PATH_REPLACE && ctx->peer_as == ctx->local_as)
		return true; /* FRR 8.4: `set as-path replace` acts on eBGP peers only */
	if (!buf_reserve(&ctx->scratch, cap))
		return false;
	struct pathw pw = { .w = wbuf_make(ctx->scratch.p, ctx->scratch.cap) };
	switch (c->kind) {
	case CONF_SET_AS_PATH_PREPEND:
		if (c->flag) { /* last-as N: the leftmost AS, N more times */
			uint32_t asn = path_leftmost(old);
			if (!asn)
				return true;
			for (uint32_t i = 0; i < c->num; i++)
				pw_add(&pw, BGP_AS_SEQUENCE, asn);
			pw_copy(&pw, old, false, NULL, 0, false, 0, 0, false);
		} else {
			for (size_t i = 0; i < c->n_asns; i++)
				pw_add(&pw, BGP_AS_SEQUENCE, c->asns[i]);
			pw_copy(&pw, old, true, NULL, 0, false, 0, 0, false);
		}
		break;
	case CONF_SET_AS_PATH_EXCLUDE:
		if (!c->flag) /* all: the empty path */
			pw_copy(&pw, old, false, c->asns, c->n_asns, false, 0, 0, false);
		break;
	case CONF_SET_AS_PATH_REPLACE:
		pw_copy(&pw, old, false, NULL, 0, c->flag, c->num2, c->num ? c->num : ctx->local_as,
			true);
		break;
	default:
		return true;
	}
	if (pw.w.failed)
		return false;
	a->aspath = buf_commit(ctx, 0, pw.w.len);
	a->have |= BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	return true;
}

static bool set_communities(const struct pol_clause *c, struct policy_ctx *ctx)
{
	struct bgp_attrs *a = &ctx->attrs;
	bool large = c->kind == CONF_SET_LARGE_COMMUNITY;
	unsigned type = large ? BGP_ATTR_LARGE_COMMUNITIES : BGP_ATTR_COMMUNITIES;
	struct bgp_bytes *view = large ? &a->large_communities : &a->communities;
	size_t w = large ? 12 : 4;
	if (c->flag) { /* none */
		a->have &= ~BGP_ATTR_BIT(type);
		*view = no_bytes;
		return true;
	}
	struct bgp_bytes old = part(a, type, *view);
	size_t n_old = c->additive ? old.len / w : 0;
	if (!buf_reserve(&ctx->scratch, (n_old + c->n_vals) * w + 1))
		return false;
	if (n_old)
		memcpy(ctx->scratch.p, old.p, n_old * w);
	if (c->n_vals)
		memcpy(ctx->scratch.p + n_old * w, c->vals, c->n_vals * w);
	size_t n = pol_values_sort_uniq(ctx->scratch.p, n_old + c->n_vals, large);
	*view = buf_commit(ctx, large ? 2 : 1, n * w);
	a->have |= BGP_ATTR_BIT(type);
	return true;
}

/* FRR's route_value_adjust: +N saturates at 2^32-1, -N at 0. */
static uint32_t adjust(int8_t sign, uint32_t cur, uint32_t v)
{
	if (sign > 0)
		return cur > UINT32_MAX - v ? UINT32_MAX : cur + v;
	if (sign < 0)
		return cur <= v ? 0 : cur - v;
	return v;
}

static bool set_one(const struct pol_clause *c, struct policy_ctx *ctx)
{
	struct bgp_attrs *a = &ctx->attrs;
	switch (c->kind) {
	case CONF_SET_AS_PATH_PREPEND:
	case CONF_SET_AS_PATH_EXCLUDE:
	case CONF_SET_AS_PATH_REPLACE:
		return set_aspath(c, ctx);
	case CONF_SET_IP_NEXT_HOP:
		if (ctx->prefix.family != AF_INET)
			return true; /* FRR: no effect on IPv6 routes */
		if (!c->flag) {
			a->nexthop = load_be32(c->addr.a);
			a->have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		} else if (ctx->dir == POLICY_IN) {
			if (ctx->peer_addr.family == AF_INET) {
				a->nexthop = load_be32(ctx->peer_addr.a);
				a->have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
			}
		} else {
			ctx->nh_peer_address = true;
			a->nexthop = 0;
		}
		return true;
	case CONF_SET_LOCAL_PREFERENCE:
		a->local_pref = adjust(c->sign,
				       bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF) ? a->local_pref : 0, c->num);
		a->have |= BGP_ATTR_BIT(BGP_ATTR_LOCAL_PREF);
		return true;
	case CONF_SET_METRIC:
		a->med = adjust(c->sign, bgp_attrs_has(a, BGP_ATTR_MED) ? a->med : 0, c->num);
		a->have |= BGP_ATTR_BIT(BGP_ATTR_MED);
		return true;
	case CONF_SET_WEIGHT:
		ctx->weight = c->num;
		return true;
	case CONF_SET_ORIGIN:
		a->origin = (uint8_t)c->num;
		a->have |= BGP_ATTR_BIT(BGP_ATTR_ORIGIN);
		return true;
	case CONF_SET_COMMUNITY:
	case CONF_SET_LARGE_COMMUNITY:
		return set_communities(c, ctx);
	case CONF_SET_SRC:
		ctx->src = c->addr;
		ctx->src_set = true;
		return true;
	default:
		return true;
	}
}

enum policy_verdict pol_rmap_apply(const struct policy *pol, const struct pol_rmap *m,
				   struct policy_ctx *ctx)
{
	if (ctx->depth > RMAP_RECURSION_LIMIT || !m || m->n == 0)
		return POLICY_DENY;
	enum policy_verdict ret = POLICY_PERMIT;
	for (size_t i = 0; i < m->n; i++) {
		const struct pol_rm_entry *e = &m->e[i];
		bool matched = true;
		for (size_t k = 0; k < e->n_matches && matched; k++)
			matched = match_one(&e->matches[k], ctx);
		if (!matched) {
			ret = POLICY_DENY;
			continue;
		}
		if (!e->permit)
			return POLICY_DENY;
		ret = POLICY_PERMIT;
		for (size_t k = 0; k < e->n_sets; k++)
			if (!set_one(&e->sets[k], ctx)) {
				ctx->oom = true;
				return POLICY_DENY;
			}
		if (e->has_call && e->call) { /* an undefined called map is skipped */
			ctx->depth++;
			ret = pol_rmap_apply(pol, e->call, ctx);
			ctx->depth--;
			if (ret == POLICY_DENY)
				return POLICY_DENY;
		}
		switch (e->exit_policy) {
		case CONF_RM_EXIT_NONE:
			return ret;
		case CONF_RM_EXIT_NEXT:
			break;
		case CONF_RM_EXIT_GOTO: {
			size_t j = i + 1;
			while (j < m->n && m->e[j].seq < e->goto_seq)
				j++;
			if (j == m->n)
				return ret;
			i = j - 1;
			break;
		}
		}
	}
	return ret;
}

void policy_ctx_init(struct policy_ctx *ctx, const struct prefix *p, const struct bgp_attrs *a,
		     uint32_t weight)
{
	ctx->prefix = *p;
	ctx->attrs = *a;
	ctx->weight = weight;
	ctx->nh_peer_address = false;
	ctx->src_set = false;
	memset(&ctx->src, 0, sizeof(ctx->src));
	ctx->oom = false;
	ctx->depth = 0;
}

void policy_ctx_release(struct policy_ctx *ctx)
{
	for (int k = 0; k < 3; k++) {
		free(ctx->buf[k].p);
		ctx->buf[k] = (struct policy_buf){ 0 };
	}
	free(ctx->scratch.p);
	ctx->scratch = (struct policy_buf){ 0 };
}

enum policy_verdict policy_route_map(const struct policy *pol, const char *name,
				     struct policy_ctx *ctx)
{
	ctx->depth = 0;
	return pol_rmap_apply(pol, pol_find_rmap(pol, name), ctx);
}

bool policy_route_map_exists(const struct policy *pol, const char *name)
{
	return pol_find_rmap(pol, name) != NULL;
}

enum policy_verdict policy_peer_filter(const struct policy *pol, const char *plist,
				       const char *flist, const char *rmap, struct policy_ctx *ctx)
{
	const struct bgp_attrs *a = &ctx->attrs;
	if (plist && policy_prefix_list(pol, ctx->prefix.family, plist, &ctx->prefix) == POLICY_DENY)
		return POLICY_DENY;
	if (flist && policy_aspath_list(pol, flist, part(a, BGP_ATTR_AS_PATH, a->aspath)) ==
			     POLICY_DENY)
		return POLICY_DENY;
	if (rmap)
		return policy_route_map(pol, rmap, ctx);
	return POLICY_PERMIT;
}

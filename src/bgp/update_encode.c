/* update_encode.c: UPDATE messages for a peer, many prefixes per message.
 *
 * Attributes are written once per message, MP_REACH_NLRI / MP_UNREACH_NLRI
 * first (RFC 7606 5.1) and the rest in ascending type order, then as many
 * prefixes as the negotiated message size holds. A 2-octet AS session gets
 * AS_TRANS in AS_PATH and AGGREGATOR, with AS4_PATH and AS4_AGGREGATOR
 * carrying the real numbers (RFC 6793 4.2.2). */
#include "update.h"

#include <string.h>

static void put_attr_header(struct wbuf *w, uint8_t flags, uint8_t type, size_t len)
{
	if (len > 255) {
		wbuf_u8(w, flags | BGP_ATTR_F_EXTLEN);
		wbuf_u8(w, type);
		wbuf_u16(w, (uint16_t)(len > UINT16_MAX ? UINT16_MAX : len));
	} else {
		wbuf_u8(w, flags & (uint8_t)~BGP_ATTR_F_EXTLEN);
		wbuf_u8(w, type);
		wbuf_u8(w, (uint8_t)len);
	}
	if (len > UINT16_MAX)
		w->failed = true;
}

static void put_attr(struct wbuf *w, uint8_t type, const void *v, size_t len)
{
	put_attr_header(w, (uint8_t)bgp_attr_expected_flags(type), type, len);
	wbuf_bytes(w, v, len);
}

static void put_attr_u32(struct wbuf *w, uint8_t type, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	put_attr(w, type, b, 4);
}

static size_t as_path_wire_len(struct bgp_bytes path, bool as4)
{
	if (as4)
		return path.len;
	/* Same segment headers, half the octets per AS. */
	size_t n = 0, pos = 0;
	while (pos + 2 <= path.len) {
		unsigned count = path.p[pos + 1];
		n += 2 + 2 * (size_t)count;
		pos += 2 + 4 * (size_t)count;
	}
	return n;
}

/* The AS4_PATH of a 2-octet session: the path without confederation
 * segments (RFC 6793 3). */
static void put_as4_path(struct wbuf *w, struct bgp_bytes path)
{
	size_t len = 0, pos;
	for (pos = 0; pos + 2 <= path.len; pos += 2 + 4 * (size_t)path.p[pos + 1])
		if (path.p[pos] == BGP_AS_SET || path.p[pos] == BGP_AS_SEQUENCE)
			len += 2 + 4 * (size_t)path.p[pos + 1];
	put_attr_header(w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE, BGP_ATTR_AS4_PATH, len);
	for (pos = 0; pos + 2 <= path.len; pos += 2 + 4 * (size_t)path.p[pos + 1])
		if (path.p[pos] == BGP_AS_SET || path.p[pos] == BGP_AS_SEQUENCE)
			wbuf_bytes(w, path.p + pos, 2 + 4 * (size_t)path.p[pos + 1]);
}

static void put_aggregator(struct wbuf *w, const struct bgp_attrs *a, bool as4)
{
	uint8_t b[8];
	struct wbuf v = wbuf_make(b, sizeof(b));
	if (as4)
		wbuf_u32(&v, a->aggregator_as);
	else
		wbuf_u16(&v, a->aggregator_as > UINT16_MAX ? BGP_AS_TRANS : (uint16_t)a->aggregator_as);
	wbuf_u32(&v, a->aggregator_id);
	put_attr(w, BGP_ATTR_AGGREGATOR, b, v.len);
	if (!as4 && a->aggregator_as > UINT16_MAX) {
		v = wbuf_make(b, sizeof(b));
		wbuf_u32(&v, a->aggregator_as);
		wbuf_u32(&v, a->aggregator_id);
		put_attr(w, BGP_ATTR_AS4_AGGREGATOR, b, v.len);
	}
}

/* Every attribute but the MP ones; NEXT_HOP only when with_next_hop. */
static void put_attrs(struct wbuf *w, const struct bgp_attrs *a, bool as4, bool with_next_hop)
{
	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN))
		put_attr(w, BGP_ATTR_ORIGIN, &a->origin, 1);
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH)) {
		put_attr_header(w, BGP_ATTR_F_TRANSITIVE, BGP_ATTR_AS_PATH,
				as_path_wire_len(a->aspath, as4));
		bgp_aspath_encode(a->aspath, as4, w);
	}
	if (with_next_hop && bgp_attrs_has(a, BGP_ATTR_NEXT_HOP))
		put_attr_u32(w, BGP_ATTR_NEXT_HOP, a->nexthop);
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		put_attr_u32(w, BGP_ATTR_MED, a->med);
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		put_attr_u32(w, BGP_ATTR_LOCAL_PREF, a->local_pref);
	if (bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE))
		put_attr(w, BGP_ATTR_ATOMIC_AGGREGATE, NULL, 0);
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR))
		put_aggregator(w, a, as4);
	if (bgp_attrs_has(a, BGP_ATTR_COMMUNITIES))
		put_attr(w, BGP_ATTR_COMMUNITIES, a->communities.p, a->communities.len);
	if (bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID))
		put_attr_u32(w, BGP_ATTR_ORIGINATOR_ID, a->originator_id);
	if (bgp_attrs_has(a, BGP_ATTR_CLUSTER_LIST))
		put_attr(w, BGP_ATTR_CLUSTER_LIST, a->cluster_list.p, a->cluster_list.len);
	if (bgp_attrs_has(a, BGP_ATTR_EXT_COMMUNITIES))
		put_attr(w, BGP_ATTR_EXT_COMMUNITIES, a->ext_communities.p, a->ext_communities.len);
	if (!as4 && bgp_attrs_has(a, BGP_ATTR_AS_PATH) && bgp_aspath_has_as4(a->aspath))
		put_as4_path(w, a->aspath);
	if (bgp_attrs_has(a, BGP_ATTR_LARGE_COMMUNITIES))
		put_attr(w, BGP_ATTR_LARGE_COMMUNITIES, a->large_communities.p,
			 a->large_communities.len);
	wbuf_bytes(w, a->unknown.p, a->unknown.len);
}

static size_t prefix_wire_len(const struct prefix *p)
{
	return 1 + ((size_t)p->len + 7) / 8;
}

static void put_prefix(struct wbuf *w, const struct prefix *p)
{
	wbuf_u8(w, p->len);
	wbuf_bytes(w, p->a, ((size_t)p->len + 7) / 8);
}

/* How many of pfx[0..n) fit in room octets, and their size. */
static size_t prefixes_fitting(const struct prefix *pfx, size_t n, size_t room, size_t *bytes)
{
	size_t i, used = 0;
	for (i = 0; i < n; i++) {
		size_t l = prefix_wire_len(&pfx[i]);
		if (used + l > room)
			break;
		used += l;
	}
	*bytes = used;
	return i;
}

static uint16_t family_afi(uint8_t family)
{
	return family == AF_INET6 ? BGP_AFI_IPV6 : BGP_AFI_IPV4;
}

/* The end of the message: the smaller of the negotiated size and the buffer. */
static size_t message_limit(const struct wbuf *w, size_t start, size_t max_len)
{
	size_t room = w->cap - start;
	if (max_len == 0 || max_len > BGP_MAX_EXT_MSG)
		max_len = max_len ? BGP_MAX_EXT_MSG : BGP_MAX_MSG;
	return start + (room < max_len ? room : max_len);
}

/* Rolls back a message that could not be completed. */
static size_t abandon(struct wbuf *w, size_t start)
{
	w->len = start;
	w->failed = false;
	return 0;
}

/* Opens an MP_REACH_NLRI with its next hop; returns where its length goes. */
static size_t put_mp_reach_head(struct wbuf *w, const struct bgp_attrs *a, uint16_t afi)
{
	wbuf_u8(w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_EXTLEN);
	wbuf_u8(w, BGP_ATTR_MP_REACH_NLRI);
	size_t len_at = wbuf_reserve(w, 2);
	wbuf_u16(w, afi);
	wbuf_u8(w, BGP_SAFI_UNICAST);
	wbuf_u8(w, a->mp_nh_len);
	wbuf_bytes(w, a->mp_nh, a->mp_nh_len);
	wbuf_u8(w, 0); /* reserved */
	return len_at;
}

size_t bgp_update_encode_announce(struct wbuf *w, const struct bgp_encode_opts *o,
				  const struct bgp_attrs *a, const struct prefix *pfx, size_t n)
{
	size_t start = w->len, limit = message_limit(w, start, o->max_len), bytes, took;
	if (n == 0)
		return 0;
	bool v6 = pfx[0].family == AF_INET6;
	size_t at = bgp_msg_begin(w, BGP_MSG_UPDATE);
	wbuf_u16(w, 0); /* no withdrawn routes */
	size_t alen_at = wbuf_reserve(w, 2);
	if (!v6) {
		put_attrs(w, a, o->as4, true);
		if (w->failed || w->len > limit)
			return abandon(w, start);
		wbuf_patch_u16(w, alen_at, (uint16_t)(w->len - alen_at - 2));
		took = prefixes_fitting(pfx, n, limit - w->len, &bytes);
		for (size_t i = 0; i < took; i++)
			put_prefix(w, &pfx[i]);
	} else {
		size_t mp_len_at = put_mp_reach_head(w, a, family_afi(pfx[0].family));
		size_t mp_end = w->len;
		put_attrs(w, a, o->as4, false);
		if (w->failed || w->len > limit)
			return abandon(w, start);
		took = prefixes_fitting(pfx, n, limit - w->len, &bytes);
		/* Open a gap after the MP_REACH head for the prefixes. */
		size_t rest = w->len - mp_end;
		if (!wbuf_room(w, bytes))
			return abandon(w, start);
		memmove(w->p + mp_end + bytes, w->p + mp_end, rest);
		struct wbuf gap = wbuf_make(w->p + mp_end, bytes);
		for (size_t i = 0; i < took; i++)
			put_prefix(&gap, &pfx[i]);
		w->len += bytes;
		wbuf_patch_u16(w, mp_len_at, (uint16_t)(mp_end + bytes - mp_len_at - 2));
		wbuf_patch_u16(w, alen_at, (uint16_t)(w->len - alen_at - 2));
	}
	if (took == 0 || !bgp_msg_finish(w, at))
		return abandon(w, start);
	return took;
}

size_t bgp_update_encode_withdraw(struct wbuf *w, const struct bgp_encode_opts *o,
				  const struct prefix *pfx, size_t n)
{
	size_t start = w->len, limit = message_limit(w, start, o->max_len), bytes, took;
	if (n == 0)
		return 0;
	size_t at = bgp_msg_begin(w, BGP_MSG_UPDATE);
	if (pfx[0].family != AF_INET6) {
		size_t wlen_at = wbuf_reserve(w, 2);
		if (w->failed || w->len + 2 > limit)
			return abandon(w, start);
		took = prefixes_fitting(pfx, n, limit - w->len - 2, &bytes);
		for (size_t i = 0; i < took; i++)
			put_prefix(w, &pfx[i]);
		wbuf_patch_u16(w, wlen_at, (uint16_t)bytes);
		wbuf_u16(w, 0); /* no attributes */
	} else {
		wbuf_u16(w, 0);
		size_t alen_at = wbuf_reserve(w, 2);
		wbuf_u8(w, BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_EXTLEN);
		wbuf_u8(w, BGP_ATTR_MP_UNREACH_NLRI);
		size_t mp_len_at = wbuf_reserve(w, 2);
		wbuf_u16(w, BGP_AFI_IPV6);
		wbuf_u8(w, BGP_SAFI_UNICAST);
		if (w->failed || w->len > limit)
			return abandon(w, start);
		took = prefixes_fitting(pfx, n, limit - w->len, &bytes);
		for (size_t i = 0; i < took; i++)
			put_prefix(w, &pfx[i]);
		wbuf_patch_u16(w, mp_len_at, (uint16_t)(w->len - mp_len_at - 2));
		wbuf_patch_u16(w, alen_at, (uint16_t)(w->len - alen_at - 2));
	}
	if (took == 0 || !bgp_msg_finish(w, at))
		return abandon(w, start);
	return took;
}

bool bgp_update_encode_eor(struct wbuf *w, uint16_t afi, uint8_t safi)
{
	size_t at = bgp_msg_begin(w, BGP_MSG_UPDATE);
	wbuf_u16(w, 0);
	if (afi == BGP_AFI_IPV4 && safi == BGP_SAFI_UNICAST) {
		wbuf_u16(w, 0);
	} else {
		wbuf_u16(w, 6);
		wbuf_u8(w, BGP_ATTR_F_OPTIONAL);
		wbuf_u8(w, BGP_ATTR_MP_UNREACH_NLRI);
		wbuf_u8(w, 3);
		wbuf_u16(w, afi);
		wbuf_u8(w, safi);
	}
	return bgp_msg_finish(w, at);
}

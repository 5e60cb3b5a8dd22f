/* aspath.c: AS_PATH and AS4_PATH in canonical 4-octet form: validation of
 * received paths (RFC 4271, RFC 7606 7.2, RFC 7607), reconciliation of a
 * 2-octet session's AS_PATH with its AS4_PATH (RFC 6793 4.2.3), the counts
 * route selection needs, FRR's text form, and encoding for a peer. */
#include "attr.h"

#include <stdio.h>

/* Walks the canonical segments of a path. */
struct seg_iter {
	const uint8_t *p, *end;
};

struct seg {
	uint8_t type;
	uint8_t count;
	const uint8_t *as; /* count x 4 octets */
};

static bool seg_next(struct seg_iter *it, struct seg *s)
{
	if (it->end - it->p < 2)
		return false;
	s->type = it->p[0];
	s->count = it->p[1];
	s->as = it->p + 2;
	if ((size_t)(it->end - s->as) < (size_t)s->count * 4)
		return false; /* cannot happen on a canonical path */
	it->p = s->as + (size_t)s->count * 4;
	return true;
}

static struct seg_iter seg_iter(struct bgp_bytes path)
{
	return (struct seg_iter){ path.p, path.p + path.len };
}

static bool seg_type_known(uint8_t t)
{
	return t >= BGP_AS_SET && t <= BGP_AS_CONFED_SET;
}

static bool seg_is_confed(uint8_t t)
{
	return t == BGP_AS_CONFED_SEQUENCE || t == BGP_AS_CONFED_SET;
}

bool bgp_aspath_parse(const uint8_t *p, size_t len, bool as4, struct wbuf *out, const char **why)
{
	struct cursor c = cursor_make(p, len);
	size_t asn_len = as4 ? 4 : 2;
	size_t start = out->len;
	while (cursor_left(&c) > 0) {
		uint8_t type, count;
		if (!cursor_u8(&c, &type) || !cursor_u8(&c, &count)) {
			*why = "trailing octet after the last segment";
			goto fail;
		}
		if (!seg_type_known(type)) {
			*why = "unknown segment type";
			goto fail;
		}
		if (count == 0) {
			*why = "segment of length 0";
			goto fail;
		}
		if (cursor_left(&c) < count * asn_len) {
			*why = "segment overruns the attribute";
			goto fail;
		}
		wbuf_u8(out, type);
		wbuf_u8(out, count);
		for (unsigned i = 0; i < count; i++) {
			uint32_t asn = 0;
			uint16_t a16;
			if (as4)
				cursor_u32(&c, &asn);
			else if (cursor_u16(&c, &a16))
				asn = a16;
			if (asn == 0) {
				*why = "AS 0 in the path (RFC 7607)";
				goto fail;
			}
			wbuf_u32(out, asn);
		}
	}
	if (out->failed) {
		*why = "path too long";
		goto fail;
	}
	return true;
fail:
	out->len = start < out->len ? start : out->len;
	return false;
}

/* Counts ASes the way RFC 6793 4.2.3 compares AS_PATH and AS4_PATH: a set is
 * one, confederation segments are nothing. */
unsigned bgp_aspath_length(struct bgp_bytes path)
{
	struct seg_iter it = seg_iter(path);
	struct seg s;
	unsigned n = 0;
	while (seg_next(&it, &s)) {
		if (s.type == BGP_AS_SEQUENCE)
			n += s.count;
		else if (s.type == BGP_AS_SET)
			n += 1;
	}
	return n;
}

void bgp_aspath_merge_as4(struct bgp_bytes as_path, struct bgp_bytes as4_path, struct wbuf *out)
{
	unsigned n2 = bgp_aspath_length(as_path), n4 = bgp_aspath_length(as4_path);
	if (n2 < n4) {
		wbuf_bytes(out, as_path.p, as_path.len);
		return;
	}
	/* Keep the leading n2 - n4 ASes of AS_PATH (and any confederation
	 * segments among them), then all of AS4_PATH. */
	unsigned keep = n2 - n4;
	struct seg_iter it = seg_iter(as_path);
	struct seg s;
	while (keep > 0 && seg_next(&it, &s)) {
		if (seg_is_confed(s.type)) {
			wbuf_bytes(out, s.as - 2, 2 + (size_t)s.count * 4);
			continue;
		}
		if (s.type == BGP_AS_SET) {
			wbuf_bytes(out, s.as - 2, 2 + (size_t)s.count * 4);
			keep--;
			continue;
		}
		unsigned take = s.count < keep ? s.count : keep;
		wbuf_u8(out, s.type);
		wbuf_u8(out, (uint8_t)take);
		wbuf_bytes(out, s.as, (size_t)take * 4);
		keep -= take;
	}
	wbuf_bytes(out, as4_path.p, as4_path.len);
}

bool bgp_aspath_has_as4(struct bgp_bytes path)
{
	struct seg_iter it = seg_iter(path);
	struct seg s;
	while (seg_next(&it, &s))
		for (unsigned i = 0; i < s.count; i++)
			if (load_be32(s.as + 4 * i) > UINT16_MAX)
				return true;
	return false;
}

bool bgp_aspath_has_confed(struct bgp_bytes path)
{
	struct seg_iter it = seg_iter(path);
	struct seg s;
	while (seg_next(&it, &s))
		if (seg_is_confed(s.type))
			return true;
	return false;
}

uint32_t bgp_aspath_first_as(struct bgp_bytes path)
{
	struct seg_iter it = seg_iter(path);
	struct seg s;
	while (seg_next(&it, &s))
		if (s.type == BGP_AS_SEQUENCE)
			return load_be32(s.as);
	return 0;
}

void bgp_aspath_fmt(struct bgp_bytes path, struct strbuf *out)
{
	struct seg_iter it = seg_iter(path);
	struct seg s;
	bool first = true;
	while (seg_next(&it, &s)) {
		const char *open = "", *close = "", *sep = " ";
		switch (s.type) {
		case BGP_AS_SET: open = "{"; close = "}"; sep = ","; break;
		case BGP_AS_CONFED_SEQUENCE: open = "("; close = ")"; break;
		case BGP_AS_CONFED_SET: open = "["; close = "]"; sep = ","; break;
		}
		strbuf_printf(out, "%s%s", first ? "" : " ", open);
		for (unsigned i = 0; i < s.count; i++)
			strbuf_printf(out, "%s%u", i ? sep : "", load_be32(s.as + 4 * i));
		strbuf_puts(out, close);
		first = false;
	}
	if (first)
		strbuf_puts(out, "");
}

void bgp_aspath_encode(struct bgp_bytes path, bool as4, struct wbuf *w)
{
	if (as4) {
		wbuf_bytes(w, path.p, path.len);
		return;
	}
	struct seg_iter it = seg_iter(path);
	struct seg s;
	while (seg_next(&it, &s)) {
		wbuf_u8(w, s.type);
		wbuf_u8(w, s.count);
		for (unsigned i = 0; i < s.count; i++) {
			uint32_t asn = load_be32(s.as + 4 * i);
			wbuf_u16(w, asn > UINT16_MAX ? BGP_AS_TRANS : (uint16_t)asn);
		}
	}
}

/* msg.c: header, OPEN and capabilities, NOTIFICATION, KEEPALIVE and
 * ROUTE-REFRESH: decoding with the checks of RFC 4271 section 6, encoding. */
#include "msg.h"

#include <stdio.h>
#include <string.h>

void bgp_notify_set(struct bgp_notify *n, uint8_t code, uint8_t subcode)
{
	*n = (struct bgp_notify){ .code = code, .subcode = subcode };
}

void bgp_notify_set_data(struct bgp_notify *n, uint8_t code, uint8_t subcode,
			 const uint8_t *data, size_t len)
{
	bgp_notify_set(n, code, subcode);
	if (len == 0)
		return;
	if (len <= sizeof(n->local)) {
		memcpy(n->local, data, len);
		n->local_len = (uint8_t)len;
	} else {
		n->data = data;
		n->data_len = (uint16_t)(len > UINT16_MAX ? UINT16_MAX : len);
	}
}

const uint8_t *bgp_notify_data(const struct bgp_notify *n, size_t *len)
{
	if (n->local_len) {
		*len = n->local_len;
		return n->local;
	}
	*len = n->data_len;
	return n->data;
}

const char *bgp_err_code_name(uint8_t code)
{
	switch (code) {
	case BGP_ERR_HEADER: return "Message Header Error";
	case BGP_ERR_OPEN: return "OPEN Message Error";
	case BGP_ERR_UPDATE: return "UPDATE Message Error";
	case BGP_ERR_HOLD_TIMER: return "Hold Timer Expired";
	case BGP_ERR_FSM: return "Finite State Machine Error";
	case BGP_ERR_CEASE: return "Cease";
	case BGP_ERR_ROUTE_REFRESH: return "ROUTE-REFRESH Message Error";
	}
	return "Unknown Error";
}

static const char *const header_subcodes[] = {
	[BGP_HDR_NOT_SYNCHRONIZED] = "Connection Not Synchronized",
	[BGP_HDR_BAD_LENGTH] = "Bad Message Length",
	[BGP_HDR_BAD_TYPE] = "Bad Message Type",
};
static const char *const open_subcodes[] = {
	[BGP_OPEN_UNSUPPORTED_VERSION] = "Unsupported Version Number",
	[BGP_OPEN_BAD_PEER_AS] = "Bad Peer AS",
	[BGP_OPEN_BAD_BGP_ID] = "Bad BGP Identifier",
	[BGP_OPEN_UNSUPPORTED_PARAM] = "Unsupported Optional Parameter",
	[5] = "Authentication Failure",
	[BGP_OPEN_BAD_HOLD_TIME] = "Unacceptable Hold Time",
	[BGP_OPEN_UNSUPPORTED_CAPABILITY] = "Unsupported Capability",
	[BGP_OPEN_ROLE_MISMATCH] = "Role Mismatch",
};
static const char *const update_subcodes[] = {
	[BGP_UPD_MALFORMED_ATTR_LIST] = "Malformed Attribute List",
	[BGP_UPD_UNRECOGNIZED_WELLKNOWN] = "Unrecognized Well-known Attribute",
	[BGP_UPD_MISSING_WELLKNOWN] = "Missing Well-known Attribute",
	[BGP_UPD_ATTR_FLAGS] = "Attribute Flags Error",
	[BGP_UPD_ATTR_LENGTH] = "Attribute Length Error",
	[BGP_UPD_INVALID_ORIGIN] = "Invalid ORIGIN Attribute",
	[7] = "AS Routing Loop",
	[BGP_UPD_INVALID_NEXT_HOP] = "Invalid NEXT_HOP Attribute",
	[BGP_UPD_OPTIONAL_ATTR] = "Optional Attribute Error",
	[BGP_UPD_INVALID_NETWORK] = "Invalid Network Field",
	[BGP_UPD_MALFORMED_AS_PATH] = "Malformed AS_PATH",
};
static const char *const cease_subcodes[] = {
	[BGP_CEASE_MAX_PREFIX] = "Maximum Number of Prefixes Reached",
	[BGP_CEASE_ADMIN_SHUTDOWN] = "Administrative Shutdown",
	[BGP_CEASE_PEER_DECONFIGURED] = "Peer De-configured",
	[BGP_CEASE_ADMIN_RESET] = "Administrative Reset",
	[BGP_CEASE_CONNECTION_REJECTED] = "Connection Rejected",
	[BGP_CEASE_CONFIG_CHANGE] = "Other Configuration Change",
	[BGP_CEASE_COLLISION] = "Connection Collision Resolution",
	[BGP_CEASE_OUT_OF_RESOURCES] = "Out of Resources",
	[BGP_CEASE_HARD_RESET] = "Hard Reset",
};
static const char *const fsm_subcodes[] = {
	[1] = "Unexpected Message in OpenSent State",
	[2] = "Unexpected Message in OpenConfirm State",
	[3] = "Unexpected Message in Established State",
};

#define PICK(table, i) ((i) < sizeof(table) / sizeof((table)[0]) && (table)[i] ? (table)[i] : NULL)

const char *bgp_err_subcode_name(uint8_t code, uint8_t subcode)
{
	const char *name = NULL;
	switch (code) {
	case BGP_ERR_HEADER: name = PICK(header_subcodes, subcode); break;
	case BGP_ERR_OPEN: name = PICK(open_subcodes, subcode); break;
	case BGP_ERR_UPDATE: name = PICK(update_subcodes, subcode); break;
	case BGP_ERR_FSM: name = PICK(fsm_subcodes, subcode); break;
	case BGP_ERR_CEASE: name = PICK(cease_subcodes, subcode); break;
	case BGP_ERR_ROUTE_REFRESH:
		name = subcode == BGP_RR_INVALID_LENGTH ? "Invalid Message Length" : NULL;
		break;
	}
	if (name)
		return name;
	return subcode == 0 ? "Unspecific" : "Unknown Subcode";
}

/* Header */

static unsigned header_min_len(uint8_t type)
{
	switch (type) {
	case BGP_MSG_OPEN: return 29;
	case BGP_MSG_UPDATE: return 23;
	case BGP_MSG_NOTIFICATION: return 21;
	case BGP_MSG_KEEPALIVE: return 19;
	case BGP_MSG_ROUTE_REFRESH: return 19; /* body length checked per RFC 7313 */
	}
	return 0;
}

bool bgp_header_decode(const uint8_t *buf, size_t n, size_t max_len, uint8_t *type,
		       uint16_t *len, struct bgp_notify *err)
{
	struct cursor c = cursor_make(buf, n);
	uint8_t marker[BGP_MARKER_LEN];
	uint16_t l = 0;
	uint8_t t = 0;
	if (!cursor_bytes(&c, marker, sizeof(marker)) || !cursor_u16(&c, &l) ||
	    !cursor_u8(&c, &t)) {
		bgp_notify_set(err, BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH);
		return false;
	}
	for (size_t i = 0; i < sizeof(marker); i++) {
		if (marker[i] != 0xff) {
			bgp_notify_set(err, BGP_ERR_HEADER, BGP_HDR_NOT_SYNCHRONIZED);
			return false;
		}
	}
	if (max_len > BGP_MAX_EXT_MSG)
		max_len = BGP_MAX_EXT_MSG;
	unsigned min = header_min_len(t);
	if (min == 0) {
		bgp_notify_set_data(err, BGP_ERR_HEADER, BGP_HDR_BAD_TYPE, &t, 1);
		return false;
	}
	/* RFC 8654: OPEN and KEEPALIVE stay within 4096 octets. */
	size_t type_max = (t == BGP_MSG_OPEN || t == BGP_MSG_KEEPALIVE) ? BGP_MAX_MSG : max_len;
	if (l < min || l > type_max || (t == BGP_MSG_KEEPALIVE && l != BGP_HEADER_LEN)) {
		uint8_t data[2] = { (uint8_t)(l >> 8), (uint8_t)l };
		bgp_notify_set_data(err, BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH, data, 2);
		return false;
	}
	*type = t;
	*len = l;
	return true;
}

void bgp_header_encode(struct wbuf *w, uint8_t type, uint16_t len)
{
	static const uint8_t marker[BGP_MARKER_LEN] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	wbuf_bytes(w, marker, sizeof(marker));
	wbuf_u16(w, len);
	wbuf_u8(w, type);
}

size_t bgp_msg_begin(struct wbuf *w, uint8_t type)
{
	size_t at = w->len;
	bgp_header_encode(w, type, 0);
	return at;
}

bool bgp_msg_finish(struct wbuf *w, size_t at)
{
	size_t len = w->len - at;
	if (w->failed || len > BGP_MAX_EXT_MSG)
		return false;
	wbuf_patch_u16(w, at + BGP_MARKER_LEN, (uint16_t)len);
	return true;
}

/* Capabilities */

const char *bgp_cap_name(uint8_t code)
{
	switch (code) {
	case BGP_CAP_MP: return "multiprotocol";
	case BGP_CAP_ROUTE_REFRESH: return "route-refresh";
	case 5: return "extended-nexthop";
	case BGP_CAP_EXT_MSG: return "extended-message";
	case 9: return "role";
	case BGP_CAP_GR: return "graceful-restart";
	case BGP_CAP_AS4: return "4-octet-as";
	case 69: return "add-path";
	case BGP_CAP_ENHANCED_RR: return "enhanced-route-refresh";
	case 71: return "long-lived-graceful-restart";
	case BGP_CAP_FQDN: return "hostname";
	case BGP_CAP_ROUTE_REFRESH_OLD: return "route-refresh-old";
	}
	return "unknown";
}

bool bgp_caps_has_afi(const struct bgp_caps *c, uint16_t afi, uint8_t safi)
{
	for (unsigned i = 0; i < c->n_mp; i++)
		if (c->mp[i].afi == afi && c->mp[i].safi == safi)
			return true;
	return false;
}

/* Copies a length-prefixed string of the FQDN capability, keeping printable
 * ASCII only so that it can be shown safely. */
static bool fqdn_string(struct cursor *c, char *out, size_t cap)
{
	uint8_t n;
	if (!cursor_u8(c, &n) || !cursor_need(c, n))
		return false;
	size_t k = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t ch = cursor_ptr(c)[i];
		if (k + 1 < cap)
			out[k++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
	}
	out[k] = '\0';
	return cursor_skip(c, n);
}

static void cap_keep_raw(struct bgp_caps *caps, uint8_t code, uint8_t len, const uint8_t *value)
{
	if (caps->n_unknown == BGP_CAPS_MAX_UNKNOWN) {
		if (caps->n_dropped < UINT8_MAX)
			caps->n_dropped++;
		return;
	}
	caps->unknown[caps->n_unknown++] = (struct bgp_cap_raw){ code, len, value };
}

/* Decodes one capability value; false when its length is wrong for its code. */
static bool cap_decode_one(struct bgp_caps *caps, uint8_t code, struct cursor v)
{
	size_t len = v.len;
	switch (code) {
	case BGP_CAP_MP: {
		uint16_t afi;
		uint8_t reserved, safi;
		if (len != 4 || !cursor_u16(&v, &afi) || !cursor_u8(&v, &reserved) ||
		    !cursor_u8(&v, &safi))
			return false;
		caps->have |= BGP_CAPB_MP;
		if (bgp_caps_has_afi(caps, afi, safi))
			return true;
		if (caps->n_mp == BGP_CAPS_MAX_AFS) {
			caps->n_dropped++;
			return true;
		}
		caps->mp[caps->n_mp++] = (struct bgp_afi_safi){ .afi = afi, .safi = safi };
		return true;
	}
	case BGP_CAP_ROUTE_REFRESH:
	case BGP_CAP_ROUTE_REFRESH_OLD:
	case BGP_CAP_ENHANCED_RR:
	case BGP_CAP_EXT_MSG:
		if (len != 0)
			return false;
		caps->have |= code == BGP_CAP_ROUTE_REFRESH ? BGP_CAPB_ROUTE_REFRESH
			    : code == BGP_CAP_ROUTE_REFRESH_OLD ? BGP_CAPB_ROUTE_REFRESH_OLD
			    : code == BGP_CAP_ENHANCED_RR ? BGP_CAPB_ENHANCED_RR
			    : BGP_CAPB_EXT_MSG;
		return true;
	case BGP_CAP_AS4:
		if (len != 4 || !cursor_u32(&v, &caps->as4))
			return false;
		caps->have |= BGP_CAPB_AS4;
		return true;
	case BGP_CAP_GR: {
		uint16_t word;
		if (len < 2 || (len - 2) % 4 != 0 || !cursor_u16(&v, &word))
			return false;
		caps->have |= BGP_CAPB_GR;
		caps->gr_flags = (uint8_t)(word >> 12);
		caps->gr_time = word & 0x0fff;
		caps->n_gr = 0;
		while (cursor_left(&v) >= 4) {
			struct bgp_afi_safi af = { 0 };
			cursor_u16(&v, &af.afi);
			cursor_u8(&v, &af.safi);
			cursor_u8(&v, &af.flags);
			if (caps->n_gr < BGP_CAPS_MAX_AFS)
				caps->gr[caps->n_gr++] = af;
			else
				caps->n_dropped++;
		}
		return true;
	}
	case BGP_CAP_FQDN:
		if (!fqdn_string(&v, caps->hostname, sizeof(caps->hostname)) ||
		    !fqdn_string(&v, caps->domainname, sizeof(caps->domainname)) ||
		    cursor_left(&v) != 0)
			return false;
		caps->have |= BGP_CAPB_FQDN;
		return true;
	}
	cap_keep_raw(caps, code, (uint8_t)len, v.p);
	return true;
}

/* Decodes the capabilities inside one Capabilities optional parameter. */
static bool caps_decode(struct bgp_caps *caps, struct cursor c, struct bgp_notify *err)
{
	while (cursor_left(&c) > 0) {
		uint8_t code, len;
		struct cursor v;
		if (!cursor_u8(&c, &code) || !cursor_u8(&c, &len) || !cursor_sub(&c, len, &v)) {
			bgp_notify_set(err, BGP_ERR_OPEN, 0);
			return false;
		}
		if (!cap_decode_one(caps, code, v)) {
			bgp_notify_set(err, BGP_ERR_OPEN, 0);
			return false;
		}
	}
	return true;
}

uint32_t bgp_open_peer_as(const struct bgp_open *o)
{
	return (o->caps.have & BGP_CAPB_AS4) ? o->caps.as4 : o->my_as;
}

bool bgp_open_decode(const uint8_t *body, size_t len, struct bgp_open *o,
		     struct bgp_notify *err)
{
	struct cursor c = cursor_make(body, len);
	uint8_t opt_len;
	memset(o, 0, sizeof(*o));
	if (!cursor_u8(&c, &o->version) || !cursor_u16(&c, &o->my_as) ||
	    !cursor_u16(&c, &o->hold_time) || !cursor_u32(&c, &o->bgp_id) ||
	    !cursor_u8(&c, &opt_len)) {
		uint8_t data[2] = { (uint8_t)((len + BGP_HEADER_LEN) >> 8),
				    (uint8_t)(len + BGP_HEADER_LEN) };
		bgp_notify_set_data(err, BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH, data, 2);
		return false;
	}
	if (o->version != BGP_VERSION) {
		uint8_t data[2] = { 0, BGP_VERSION };
		bgp_notify_set_data(err, BGP_ERR_OPEN, BGP_OPEN_UNSUPPORTED_VERSION, data, 2);
		return false;
	}
	if (o->hold_time == 1 || o->hold_time == 2) {
		bgp_notify_set(err, BGP_ERR_OPEN, BGP_OPEN_BAD_HOLD_TIME);
		return false;
	}
	if (o->bgp_id == 0) {
		bgp_notify_set(err, BGP_ERR_OPEN, BGP_OPEN_BAD_BGP_ID);
		return false;
	}

	/* RFC 9072: a non-extended length of 255 with type 255 announces
	 * 2-octet parameter lengths. */
	bool extended = false;
	size_t params_len = opt_len;
	if (opt_len == 255 && cursor_left(&c) >= 3 && cursor_ptr(&c)[0] == BGP_OPT_PARAM_EXTENDED) {
		uint8_t type;
		uint16_t l16;
		cursor_u8(&c, &type);
		cursor_u16(&c, &l16);
		params_len = l16;
		extended = true;
	}
	struct cursor params;
	if (!cursor_sub(&c, params_len, &params) || cursor_left(&c) != 0) {
		bgp_notify_set(err, BGP_ERR_OPEN, 0);
		return false;
	}
	while (cursor_left(&params) > 0) {
		uint8_t type;
		uint16_t plen = 0;
		uint8_t plen8;
		struct cursor p;
		bool ok = cursor_u8(&params, &type) &&
			  (extended ? cursor_u16(&params, &plen)
				    : (cursor_u8(&params, &plen8) && ((plen = plen8), true))) &&
			  cursor_sub(&params, plen, &p);
		if (!ok) {
			bgp_notify_set(err, BGP_ERR_OPEN, 0);
			return false;
		}
		if (type != BGP_OPT_PARAM_CAPABILITIES) {
			bgp_notify_set(err, BGP_ERR_OPEN, BGP_OPEN_UNSUPPORTED_PARAM);
			return false;
		}
		if (!caps_decode(&o->caps, p, err))
			return false;
	}
	return true;
}

static void cap_put(struct wbuf *w, uint8_t code, const void *value, uint8_t len)
{
	wbuf_u8(w, code);
	wbuf_u8(w, len);
	wbuf_bytes(w, value, len);
}

static void caps_encode(struct wbuf *w, const struct bgp_caps *caps)
{
	for (unsigned i = 0; i < caps->n_mp; i++) {
		uint8_t v[4] = { (uint8_t)(caps->mp[i].afi >> 8), (uint8_t)caps->mp[i].afi, 0,
				 caps->mp[i].safi };
		cap_put(w, BGP_CAP_MP, v, 4);
	}
	if (caps->have & BGP_CAPB_ROUTE_REFRESH)
		cap_put(w, BGP_CAP_ROUTE_REFRESH, NULL, 0);
	if (caps->have & BGP_CAPB_ROUTE_REFRESH_OLD)
		cap_put(w, BGP_CAP_ROUTE_REFRESH_OLD, NULL, 0);
	if (caps->have & BGP_CAPB_ENHANCED_RR)
		cap_put(w, BGP_CAP_ENHANCED_RR, NULL, 0);
	if (caps->have & BGP_CAPB_AS4) {
		uint8_t v[4] = { (uint8_t)(caps->as4 >> 24), (uint8_t)(caps->as4 >> 16),
				 (uint8_t)(caps->as4 >> 8), (uint8_t)caps->as4 };
		cap_put(w, BGP_CAP_AS4, v, 4);
	}
	if (caps->have & BGP_CAPB_EXT_MSG)
		cap_put(w, BGP_CAP_EXT_MSG, NULL, 0);
	if (caps->have & BGP_CAPB_GR) {
		uint8_t v[2 + 4 * BGP_CAPS_MAX_AFS];
		uint16_t word = (uint16_t)((caps->gr_flags & 0xf) << 12 | (caps->gr_time & 0x0fff));
		unsigned n = 0;
		v[n++] = (uint8_t)(word >> 8);
		v[n++] = (uint8_t)word;
		for (unsigned i = 0; i < caps->n_gr && i < BGP_CAPS_MAX_AFS; i++) {
			v[n++] = (uint8_t)(caps->gr[i].afi >> 8);
			v[n++] = (uint8_t)caps->gr[i].afi;
			v[n++] = caps->gr[i].safi;
			v[n++] = caps->gr[i].flags;
		}
		cap_put(w, BGP_CAP_GR, v, (uint8_t)n);
	}
	if (caps->have & BGP_CAPB_FQDN) {
		size_t hl = strnlen(caps->hostname, 255), dl = strnlen(caps->domainname, 255);
		if (hl + dl + 2 <= 255) {
			wbuf_u8(w, BGP_CAP_FQDN);
			wbuf_u8(w, (uint8_t)(hl + dl + 2));
			wbuf_u8(w, (uint8_t)hl);
			wbuf_bytes(w, caps->hostname, hl);
			wbuf_u8(w, (uint8_t)dl);
			wbuf_bytes(w, caps->domainname, dl);
		}
	}
	for (unsigned i = 0; i < caps->n_unknown; i++)
		cap_put(w, caps->unknown[i].code, caps->unknown[i].value, caps->unknown[i].len);
}

bool bgp_open_encode(struct wbuf *w, const struct bgp_open *o)
{
	size_t at = bgp_msg_begin(w, BGP_MSG_OPEN);
	wbuf_u8(w, o->version ? o->version : BGP_VERSION);
	wbuf_u16(w, o->my_as);
	wbuf_u16(w, o->hold_time);
	wbuf_u32(w, o->bgp_id);
	size_t opt_len_at = wbuf_reserve(w, 1);
	wbuf_u8(w, BGP_OPT_PARAM_CAPABILITIES);
	size_t param_len_at = wbuf_reserve(w, 1);
	caps_encode(w, &o->caps);
	size_t caps_len = w->len - param_len_at - 1;
	/* One Capabilities parameter; RFC 9072 would be needed past 253 octets. */
	if (w->failed || caps_len > 253)
		return false;
	wbuf_patch_u8(w, param_len_at, (uint8_t)caps_len);
	wbuf_patch_u8(w, opt_len_at, (uint8_t)(caps_len + 2));
	return bgp_msg_finish(w, at);
}

/* NOTIFICATION */

bool bgp_notification_decode(const uint8_t *body, size_t len, struct bgp_notify *n,
			     struct bgp_notify *err)
{
	struct cursor c = cursor_make(body, len);
	uint8_t code, subcode;
	if (!cursor_u8(&c, &code) || !cursor_u8(&c, &subcode)) {
		bgp_notify_set(err, BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH);
		return false;
	}
	bgp_notify_set(n, code, subcode);
	n->data = cursor_ptr(&c);
	n->data_len = (uint16_t)cursor_left(&c);
	return true;
}

bool bgp_notification_encode(struct wbuf *w, const struct bgp_notify *n)
{
	size_t at = bgp_msg_begin(w, BGP_MSG_NOTIFICATION);
	size_t len;
	const uint8_t *data = bgp_notify_data(n, &len);
	wbuf_u8(w, n->code);
	wbuf_u8(w, n->subcode);
	/* The data is cut to what fits in a 4096-octet message. */
	size_t room = BGP_MAX_MSG - BGP_HEADER_LEN - 2;
	wbuf_bytes(w, data, len < room ? len : room);
	return bgp_msg_finish(w, at);
}

bool bgp_notification_shutdown_msg(const struct bgp_notify *n, char *buf, size_t cap)
{
	size_t len;
	const uint8_t *data = bgp_notify_data(n, &len);
	if (n->code != BGP_ERR_CEASE ||
	    (n->subcode != BGP_CEASE_ADMIN_SHUTDOWN && n->subcode != BGP_CEASE_ADMIN_RESET) ||
	    len < 1 || cap == 0)
		return false;
	size_t mlen = data[0];
	if (mlen == 0 || mlen + 1 > len)
		return false;
	size_t k = 0;
	for (size_t i = 0; i < mlen && k + 1 < cap; i++) {
		uint8_t ch = data[1 + i];
		/* UTF-8 is allowed; show it, but not control characters. */
		buf[k++] = (ch < 0x20 || ch == 0x7f) ? '?' : (char)ch;
	}
	buf[k] = '\0';
	return true;
}

bool bgp_keepalive_encode(struct wbuf *w)
{
	bgp_header_encode(w, BGP_MSG_KEEPALIVE, BGP_HEADER_LEN);
	return !w->failed;
}

/* ROUTE-REFRESH */

bool bgp_route_refresh_decode(const uint8_t *body, size_t len, struct bgp_route_refresh *rr,
			      struct bgp_notify *err)
{
	struct cursor c = cursor_make(body, len);
	if (len != 4 || !cursor_u16(&c, &rr->afi) || !cursor_u8(&c, &rr->subtype) ||
	    !cursor_u8(&c, &rr->safi)) {
		/* RFC 7313 5: the data is the offending message; the body is
		 * what this function sees (bgp_msg_decode gives the whole). */
		bgp_notify_set_data(err, BGP_ERR_ROUTE_REFRESH, BGP_RR_INVALID_LENGTH, body, len);
		return false;
	}
	return true;
}

bool bgp_route_refresh_encode(struct wbuf *w, const struct bgp_route_refresh *rr)
{
	size_t at = bgp_msg_begin(w, BGP_MSG_ROUTE_REFRESH);
	wbuf_u16(w, rr->afi);
	wbuf_u8(w, rr->subtype);
	wbuf_u8(w, rr->safi);
	return bgp_msg_finish(w, at);
}

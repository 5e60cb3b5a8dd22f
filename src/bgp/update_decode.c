/* update_decode.c: UPDATE decoding with the error handling of RFC 7606.
 *
 * The decoder walks the message once. Each fault is recorded with the action
 * it calls for; the message's action is the strongest of them. A session reset
 * stops the walk and names the NOTIFICATION to send. See
 * docs/error-handling.md for the table this file implements. */
#include "update.h"

#include <string.h>

struct decoder {
	const struct bgp_decode_opts *o;
	struct bgp_update *u;
	struct wbuf unknown; /* region of scratch for unknown transitive attributes */
	struct wbuf paths;   /* region of scratch for canonical AS paths */
	uint8_t seen[32];    /* attribute types met, for duplicates and missing ones */
	bool has_as4_path;
	struct bgp_bytes as4_path;
	bool has_as4_aggregator;
	uint32_t as4_aggregator_as, as4_aggregator_id;
	bool mp_seen;        /* an MP_REACH or MP_UNREACH was parsed */
};

const char *bgp_action_name(uint8_t action)
{
	switch (action) {
	case BGP_ACT_NONE: return "none";
	case BGP_ACT_ATTR_DISCARD: return "attribute-discard";
	case BGP_ACT_TREAT_AS_WITHDRAW: return "treat-as-withdraw";
	case BGP_ACT_SESSION_RESET: return "session-reset";
	}
	return "unknown";
}

static void fault_at(struct decoder *d, uint8_t attr, const char *where, uint8_t action,
		     const char *what)
{
	struct bgp_update *u = d->u;
	if (u->n_faults < BGP_UPDATE_MAX_FAULTS)
		u->faults[u->n_faults++] = (struct bgp_fault){ attr, action, where, what };
	else if (u->n_faults_dropped < UINT8_MAX)
		u->n_faults_dropped++;
	if (action > u->action)
		u->action = action;
}

static void fault(struct decoder *d, uint8_t attr, uint8_t action, const char *what)
{
	fault_at(d, attr, NULL, action, what);
}

/* A session reset: the first one names the NOTIFICATION. */
static void reset_at(struct decoder *d, uint8_t attr, const char *where, uint8_t subcode,
		     const uint8_t *data, size_t len, const char *what)
{
	if (d->u->action != BGP_ACT_SESSION_RESET)
		bgp_notify_set_data(&d->u->notify, BGP_ERR_UPDATE, subcode, data, len);
	fault_at(d, attr, where, BGP_ACT_SESSION_RESET, what);
}

static void reset(struct decoder *d, uint8_t attr, uint8_t subcode, const uint8_t *data,
		  size_t len, const char *what)
{
	reset_at(d, attr, NULL, subcode, data, len, what);
}

static bool seen(const struct decoder *d, uint8_t type)
{
	return d->seen[type / 8] & (1u << (type % 8));
}

static void keep(struct decoder *d, uint8_t type)
{
	d->u->attrs.have |= BGP_ATTR_BIT(type);
}

/* One attribute as received. */
struct attr {
	uint8_t flags, type;
	const uint8_t *whole; /* from the flags octet */
	size_t whole_len;
	struct cursor v;      /* the value */
};

static bool ipv4_martian(uint32_t a)
{
	uint8_t first = (uint8_t)(a >> 24);
	return first == 0 || first == 127 || first >= 224;
}

static void parse_origin(struct decoder *d, struct attr *a)
{
	uint8_t v;
	if (a->v.len != 1 || !cursor_u8(&a->v, &v)) {
		fault(d, a->type, BGP_ACT_TREAT_AS_WITHDRAW, "length is not 1");
		return;
	}
	if (v > BGP_ORIGIN_INCOMPLETE) {
		fault(d, a->type, BGP_ACT_TREAT_AS_WITHDRAW, "undefined ORIGIN value");
		return;
	}
	d->u->attrs.origin = v;
	keep(d, a->type);
}

static void parse_as_path(struct decoder *d, struct attr *a)
{
	const char *why;
	size_t start = d->paths.len;
	if (!bgp_aspath_parse(a->v.p, a->v.len, d->o->as4, &d->paths, &why)) {
		fault(d, a->type, BGP_ACT_TREAT_AS_WITHDRAW, why);
		return;
	}
	struct bgp_bytes path = { d->paths.p + start, (uint32_t)(d->paths.len - start) };
	if (!d->o->ibgp && bgp_aspath_has_confed(path)) {
		fault(d, a->type, BGP_ACT_TREAT_AS_WITHDRAW,
		      "confederation segment from an external peer");
		return;
	}
	d->u->attrs.aspath = path;
	keep(d, a->type);
}

static void parse_next_hop(struct decoder *d, struct attr *a)
{
	uint32_t nh;
	if (a->v.len != 4 || !cursor_u32(&a->v, &nh)) {
		fault(d, a->type, BGP_ACT_TREAT_AS_WITHDRAW, "length is not 4");
		return;
	}
	if (ipv4_martian(nh)) {
		fault(d, a->type, BGP_ACT_TREAT_AS_WITHDRAW, "not a unicast host address");
		return;
	}
	d->u->attrs.nexthop = nh;
	keep(d, a->type);
}

/* A 4-octet value whose wrong length calls for treat-as-withdraw. */
static void parse_u32(struct decoder *d, struct attr *a, uint32_t *out)
{
	if (a->v.len != 4 || !cursor_u32(&a->v, out)) {
		fault(d, a->type, BGP_ACT_TREAT_AS_WITHDRAW, "length is not 4");
		return;
	}
	keep(d, a->type);
}

static void parse_local_pref(struct decoder *d, struct attr *a)
{
	if (!d->o->ibgp) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD, "from an external peer");
		return;
	}
	parse_u32(d, a, &d->u->attrs.local_pref);
}

static void parse_originator_id(struct decoder *d, struct attr *a)
{
	if (!d->o->ibgp) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD, "from an external peer");
		return;
	}
	parse_u32(d, a, &d->u->attrs.originator_id);
}

static void parse_atomic_aggregate(struct decoder *d, struct attr *a)
{
	if (a->v.len != 0) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD, "length is not 0");
		return;
	}
	keep(d, a->type);
}

/* AGGREGATOR and AS4_AGGREGATOR: AS (2 or 4 octets) then an IPv4 address. */
static bool read_aggregator(struct decoder *d, struct attr *a, bool as4, uint32_t *as,
			    uint32_t *id)
{
	uint16_t as16;
	bool ok = a->v.len == (as4 ? 8u : 6u) &&
		  (as4 ? cursor_u32(&a->v, as) : (cursor_u16(&a->v, &as16) && ((*as = as16), true))) &&
		  cursor_u32(&a->v, id);
	if (!ok) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD,
		      as4 ? "length is not 8" : "length is not 6");
		return false;
	}
	if (*as == 0) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD, "AS 0 (RFC 7607)");
		return false;
	}
	return true;
}

static void parse_aggregator(struct decoder *d, struct attr *a)
{
	struct bgp_attrs *at = &d->u->attrs;
	if (read_aggregator(d, a, d->o->as4, &at->aggregator_as, &at->aggregator_id))
		keep(d, a->type);
}

/* A list of fixed-size items: empty or ragged calls for treat-as-withdraw. */
static void parse_list(struct decoder *d, struct attr *a, unsigned item, struct bgp_bytes *out)
{
	if (a->v.len == 0 || a->v.len % item != 0) {
		static const char *const why[] = {
			[4] = "length is not a non-zero multiple of 4",
			[8] = "length is not a non-zero multiple of 8",
			[12] = "length is not a non-zero multiple of 12",
		};
		fault(d, a->type, BGP_ACT_TREAT_AS_WITHDRAW, why[item]);
		return;
	}
	*out = (struct bgp_bytes){ a->v.p, (uint32_t)a->v.len };
	keep(d, a->type);
}

static void parse_cluster_list(struct decoder *d, struct attr *a)
{
	if (!d->o->ibgp) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD, "from an external peer");
		return;
	}
	parse_list(d, a, 4, &d->u->attrs.cluster_list);
}

static bool family_supported(uint16_t afi, uint8_t safi)
{
	return (afi == BGP_AFI_IPV4 || afi == BGP_AFI_IPV6) && safi == BGP_SAFI_UNICAST;
}

/* Validates the prefixes of an MP attribute into *n. */
static bool mp_nlri(struct decoder *d, struct attr *a, struct bgp_nlri *n, uint16_t afi,
		    uint8_t safi)
{
	*n = (struct bgp_nlri){ .afi = afi, .safi = safi, .p = cursor_ptr(&a->v),
				.len = (uint32_t)cursor_left(&a->v) };
	if (!family_supported(afi, safi))
		return true; /* kept as bytes, not parsed */
	const char *why;
	if (!bgp_nlri_validate(afi, n->p, n->len, &n->count, &why)) {
		reset(d, a->type, BGP_UPD_INVALID_NETWORK, a->whole, a->whole_len, why);
		return false;
	}
	n->supported = true;
	return true;
}

static bool mp_next_hop_ok(uint16_t afi, const uint8_t *nh)
{
	if (afi == BGP_AFI_IPV4)
		return !ipv4_martian(load_be32(nh));
	static const uint8_t zero[16];
	return memcmp(nh, zero, 16) != 0 && nh[0] != 0xff;
}

static void parse_mp_reach(struct decoder *d, struct attr *a)
{
	uint16_t afi;
	uint8_t safi, nh_len, reserved;
	const uint8_t *nh;
	if (!cursor_u16(&a->v, &afi) || !cursor_u8(&a->v, &safi) || !cursor_u8(&a->v, &nh_len) ||
	    !cursor_need(&a->v, (size_t)nh_len + 1)) {
		reset(d, a->type, BGP_UPD_OPTIONAL_ATTR, a->whole, a->whole_len,
		      "too short for its next hop");
		return;
	}
	nh = cursor_ptr(&a->v);
	cursor_skip(&a->v, nh_len);
	cursor_u8(&a->v, &reserved);
	d->mp_seen = true;
	if (family_supported(afi, safi)) {
		bool len_ok = afi == BGP_AFI_IPV4 ? nh_len == 4 : (nh_len == 16 || nh_len == 32);
		if (!len_ok) {
			reset(d, a->type, BGP_UPD_OPTIONAL_ATTR, a->whole, a->whole_len,
			      "next hop length does not match the address family");
			return;
		}
	}
	if (!mp_nlri(d, a, &d->u->mp_reach, afi, safi))
		return;
	if (!family_supported(afi, safi))
		return;
	if (!mp_next_hop_ok(afi, nh)) {
		fault(d, a->type, BGP_ACT_TREAT_AS_WITHDRAW, "next hop is not a unicast address");
		return;
	}
	struct bgp_attrs *at = &d->u->attrs;
	at->mp_nh_len = nh_len;
	memcpy(at->mp_nh, nh, nh_len);
	keep(d, a->type);
}

static void parse_mp_unreach(struct decoder *d, struct attr *a)
{
	uint16_t afi;
	uint8_t safi;
	if (!cursor_u16(&a->v, &afi) || !cursor_u8(&a->v, &safi)) {
		reset(d, a->type, BGP_UPD_OPTIONAL_ATTR, a->whole, a->whole_len,
		      "shorter than AFI and SAFI");
		return;
	}
	d->mp_seen = true;
	if (mp_nlri(d, a, &d->u->mp_unreach, afi, safi))
		keep(d, a->type);
}

static void parse_as4_path(struct decoder *d, struct attr *a)
{
	const char *why;
	if (d->o->as4) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD, "from a 4-octet AS session");
		return;
	}
	size_t start = d->paths.len;
	if (!bgp_aspath_parse(a->v.p, a->v.len, true, &d->paths, &why)) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD, why);
		return;
	}
	struct bgp_bytes path = { d->paths.p + start, (uint32_t)(d->paths.len - start) };
	if (bgp_aspath_has_confed(path)) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD, "confederation segment in AS4_PATH");
		return;
	}
	d->as4_path = path;
	d->has_as4_path = true;
}

static void parse_as4_aggregator(struct decoder *d, struct attr *a)
{
	if (d->o->as4) {
		fault(d, a->type, BGP_ACT_ATTR_DISCARD, "from a 4-octet AS session");
		return;
	}
	if (read_aggregator(d, a, true, &d->as4_aggregator_as, &d->as4_aggregator_id))
		d->has_as4_aggregator = true;
}

static void parse_unknown(struct decoder *d, struct attr *a)
{
	if (!(a->flags & BGP_ATTR_F_OPTIONAL)) {
		reset(d, a->type, BGP_UPD_UNRECOGNIZED_WELLKNOWN, a->whole, a->whole_len,
		      "unrecognized well-known attribute");
		return;
	}
	if (!(a->flags & BGP_ATTR_F_TRANSITIVE))
		return; /* RFC 4271 5: quietly ignored */
	wbuf_u8(&d->unknown, a->flags | BGP_ATTR_F_PARTIAL);
	wbuf_bytes(&d->unknown, a->whole + 1, a->whole_len - 1);
	struct bgp_attrs *at = &d->u->attrs;
	at->unknown = (struct bgp_bytes){ d->unknown.p, (uint32_t)d->unknown.len };
}

static void parse_attr_value(struct decoder *d, struct attr *a)
{
	struct bgp_attrs *at = &d->u->attrs;
	switch (a->type) {
	case BGP_ATTR_ORIGIN: parse_origin(d, a); break;
	case BGP_ATTR_AS_PATH: parse_as_path(d, a); break;
	case BGP_ATTR_NEXT_HOP: parse_next_hop(d, a); break;
	case BGP_ATTR_MED: parse_u32(d, a, &at->med); break;
	case BGP_ATTR_LOCAL_PREF: parse_local_pref(d, a); break;
	case BGP_ATTR_ATOMIC_AGGREGATE: parse_atomic_aggregate(d, a); break;
	case BGP_ATTR_AGGREGATOR: parse_aggregator(d, a); break;
	case BGP_ATTR_COMMUNITIES: parse_list(d, a, 4, &at->communities); break;
	case BGP_ATTR_ORIGINATOR_ID: parse_originator_id(d, a); break;
	case BGP_ATTR_CLUSTER_LIST: parse_cluster_list(d, a); break;
	case BGP_ATTR_MP_REACH_NLRI: parse_mp_reach(d, a); break;
	case BGP_ATTR_MP_UNREACH_NLRI: parse_mp_unreach(d, a); break;
	case BGP_ATTR_EXT_COMMUNITIES: parse_list(d, a, 8, &at->ext_communities); break;
	case BGP_ATTR_AS4_PATH: parse_as4_path(d, a); break;
	case BGP_ATTR_AS4_AGGREGATOR: parse_as4_aggregator(d, a); break;
	case BGP_ATTR_LARGE_COMMUNITIES: parse_list(d, a, 12, &at->large_communities); break;
	default: parse_unknown(d, a); break;
	}
}

/* RFC 7606 4: an attribute that runs past the path attributes. The NLRI field
 * is still found through the Total Path Attribute Length; MP NLRI after the
 * fault cannot be, so with nothing else located the session is reset. */
static void attr_length_error(struct decoder *d, uint8_t type, const char *what)
{
	if (d->u->nlri.count == 0 && !d->mp_seen)
		reset(d, type, BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0, what);
	else
		fault(d, type, BGP_ACT_TREAT_AS_WITHDRAW, what);
}

/* Reads one attribute header; false (fault recorded) on overrun. */
static bool read_attr(struct decoder *d, struct cursor *c, struct attr *a)
{
	size_t start = c->pos;
	uint8_t len8;
	uint16_t len = 0;
	if (!cursor_u8(c, &a->flags) || !cursor_u8(c, &a->type)) {
		attr_length_error(d, 0, "octets left in the path attributes that cannot hold an attribute");
		return false;
	}
	bool ok = (a->flags & BGP_ATTR_F_EXTLEN) ? cursor_u16(c, &len)
						 : (cursor_u8(c, &len8) && ((len = len8), true));
	if (!ok) {
		attr_length_error(d, a->type, "attribute header runs past the path attributes");
		return false;
	}
	if (!cursor_sub(c, len, &a->v)) {
		attr_length_error(d, a->type, "attribute length runs past the path attributes");
		return false;
	}
	a->whole = c->p + start;
	a->whole_len = c->pos - start;
	return true;
}

/* RFC 7606 3(c): wrong Optional or Transitive flags make the attribute
 * malformed, handled by treat-as-withdraw unless the attribute's own rules
 * say otherwise: those whose malformed copies are discarded (7.6, 7.7,
 * RFC 6793 6) and those an external peer's UPDATE loses anyway (7.5, 7.9,
 * 7.10). */
static uint8_t flags_error_action(const struct decoder *d, uint8_t type)
{
	switch (type) {
	case BGP_ATTR_ATOMIC_AGGREGATE:
	case BGP_ATTR_AGGREGATOR:
	case BGP_ATTR_AS4_PATH:
	case BGP_ATTR_AS4_AGGREGATOR:
		return BGP_ACT_ATTR_DISCARD;
	case BGP_ATTR_LOCAL_PREF:
	case BGP_ATTR_ORIGINATOR_ID:
	case BGP_ATTR_CLUSTER_LIST:
		return d->o->ibgp ? BGP_ACT_TREAT_AS_WITHDRAW : BGP_ACT_ATTR_DISCARD;
	default:
		return BGP_ACT_TREAT_AS_WITHDRAW;
	}
}

static void parse_attrs(struct decoder *d, struct cursor c)
{
	while (cursor_left(&c) > 0 && d->u->action != BGP_ACT_SESSION_RESET) {
		struct attr a;
		if (!read_attr(d, &c, &a))
			return;
		if (seen(d, a.type)) {
			if (a.type == BGP_ATTR_MP_REACH_NLRI || a.type == BGP_ATTR_MP_UNREACH_NLRI)
				reset(d, a.type, BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
				      "appears twice");
			else
				fault(d, a.type, BGP_ACT_ATTR_DISCARD,
				      "appears twice; later copy discarded");
			continue;
		}
		d->seen[a.type / 8] |= (uint8_t)(1u << (a.type % 8));
		int expected = bgp_attr_expected_flags(a.type);
		uint8_t ot = a.flags & (BGP_ATTR_F_OPTIONAL | BGP_ATTR_F_TRANSITIVE);
		if (expected >= 0 && ot != expected) {
			fault(d, a.type, flags_error_action(d, a.type),
			      "Optional or Transitive flag wrong for the type");
			/* The MP attributes are still read: their prefixes
			 * are what gets withdrawn. */
			if (a.type != BGP_ATTR_MP_REACH_NLRI && a.type != BGP_ATTR_MP_UNREACH_NLRI)
				continue;
		}
		parse_attr_value(d, &a);
	}
}

/* RFC 6793 4.2.3: a 2-octet session's AS4_AGGREGATOR and AS4_PATH. */
static void reconcile_as4(struct decoder *d)
{
	struct bgp_attrs *at = &d->u->attrs;
	if (d->o->as4)
		return;
	if (d->has_as4_aggregator && bgp_attrs_has(at, BGP_ATTR_AGGREGATOR)) {
		if (at->aggregator_as != BGP_AS_TRANS)
			return; /* both AS4 attributes are ignored */
		at->aggregator_as = d->as4_aggregator_as;
		at->aggregator_id = d->as4_aggregator_id;
	}
	if (d->has_as4_path && bgp_attrs_has(at, BGP_ATTR_AS_PATH)) {
		size_t start = d->paths.len;
		bgp_aspath_merge_as4(at->aspath, d->as4_path, &d->paths);
		if (!d->paths.failed)
			at->aspath = (struct bgp_bytes){ d->paths.p + start,
							 (uint32_t)(d->paths.len - start) };
	}
}

static void check_mandatory(struct decoder *d)
{
	struct bgp_update *u = d->u;
	bool announces = u->nlri.count > 0 || (u->mp_reach.supported && u->mp_reach.count > 0);
	if (!announces)
		return;
	if (!seen(d, BGP_ATTR_ORIGIN))
		fault(d, BGP_ATTR_ORIGIN, BGP_ACT_TREAT_AS_WITHDRAW, "missing");
	if (!seen(d, BGP_ATTR_AS_PATH))
		fault(d, BGP_ATTR_AS_PATH, BGP_ACT_TREAT_AS_WITHDRAW, "missing");
	if (u->nlri.count > 0 && !seen(d, BGP_ATTR_NEXT_HOP))
		fault(d, BGP_ATTR_NEXT_HOP, BGP_ACT_TREAT_AS_WITHDRAW, "missing");
}

static void check_eor(struct decoder *d, size_t len)
{
	struct bgp_update *u = d->u;
	if (len == 4) {
		u->eor = true;
		u->eor_afi = BGP_AFI_IPV4;
		u->eor_safi = BGP_SAFI_UNICAST;
		return;
	}
	/* Only an empty MP_UNREACH_NLRI, nothing else. */
	if (u->withdrawn.len || u->nlri.len || u->mp_unreach.afi == 0 || u->mp_unreach.len ||
	    u->attrs.have != BGP_ATTR_BIT(BGP_ATTR_MP_UNREACH_NLRI) || u->n_faults)
		return;
	u->eor = true;
	u->eor_afi = u->mp_unreach.afi;
	u->eor_safi = u->mp_unreach.safi;
}

static bool ipv4_section(struct decoder *d, struct bgp_nlri *n, struct cursor c,
			 const char *where)
{
	const char *why;
	*n = (struct bgp_nlri){ .afi = BGP_AFI_IPV4, .safi = BGP_SAFI_UNICAST, .p = c.p,
				.len = (uint32_t)c.len };
	if (!bgp_nlri_validate(BGP_AFI_IPV4, c.p, c.len, &n->count, &why)) {
		reset_at(d, 0, where, BGP_UPD_INVALID_NETWORK, NULL, 0, why);
		return false;
	}
	n->supported = true;
	return true;
}

bool bgp_update_is_empty(const struct bgp_update *u)
{
	return !u->eor && u->withdrawn.count == 0 && u->nlri.count == 0 &&
	       u->mp_reach.count == 0 && u->mp_unreach.count == 0;
}

uint8_t bgp_update_decode(const uint8_t *body, size_t len, const struct bgp_decode_opts *o,
			  uint8_t *scratch, size_t scratch_cap, struct bgp_update *u)
{
	memset(u, 0, sizeof(*u));
	struct decoder d = { .o = o, .u = u };
	/* Unknown attributes never outgrow the attributes they come from. */
	size_t unknown_cap = len < scratch_cap ? len : scratch_cap;
	d.unknown = wbuf_make(scratch, unknown_cap);
	d.paths = wbuf_make(scratch + unknown_cap, scratch_cap - unknown_cap);

	struct cursor c = cursor_make(body, len), withdrawn, attrs;
	uint16_t wlen, alen;
	if (!cursor_u16(&c, &wlen) || !cursor_sub(&c, wlen, &withdrawn)) {
		reset_at(&d, 0, "Withdrawn Routes", BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
			 "length runs past the message");
		return u->action;
	}
	if (!cursor_u16(&c, &alen) || !cursor_sub(&c, alen, &attrs)) {
		reset_at(&d, 0, "Path Attributes", BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0,
			 "Total Path Attribute Length runs past the message");
		return u->action;
	}
	struct cursor nlri = cursor_make(cursor_ptr(&c), cursor_left(&c));
	if (!ipv4_section(&d, &u->withdrawn, withdrawn, "Withdrawn Routes") ||
	    !ipv4_section(&d, &u->nlri, nlri, "NLRI"))
		return u->action;

	parse_attrs(&d, attrs);
	if (u->action == BGP_ACT_SESSION_RESET)
		return u->action;
	if (d.unknown.failed || d.paths.failed) {
		/* Only a scratch buffer smaller than asked for gets here. */
		reset(&d, 0, BGP_UPD_MALFORMED_ATTR_LIST, NULL, 0, "decoder scratch too small");
		return u->action;
	}
	reconcile_as4(&d);
	check_mandatory(&d);
	check_eor(&d, len);
	return u->action;
}

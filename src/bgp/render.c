/* render.c: a decoded message as text for people and as JSON for programs.
 * Names and notations follow FRR's show output where FRR has one (AS paths,
 * communities, origin names). */
#include "message.h"

#include <arpa/inet.h>
#include <stdio.h>

static const char *afi_name(uint16_t afi)
{
	return afi == BGP_AFI_IPV4 ? "ipv4" : afi == BGP_AFI_IPV6 ? "ipv6" : NULL;
}

static const char *safi_name(uint8_t safi)
{
	switch (safi) {
	case 1: return "unicast";
	case 2: return "multicast";
	case 4: return "labeled-unicast";
	case 128: return "vpn";
	case 133: return "flowspec";
	}
	return NULL;
}

static void fmt_family(char *buf, size_t n, uint16_t afi, uint8_t safi, char sep)
{
	const char *a = afi_name(afi), *s = safi_name(safi);
	char abuf[16], sbuf[16];
	if (!a) {
		snprintf(abuf, sizeof(abuf), "afi%u", afi);
		a = abuf;
	}
	if (!s) {
		snprintf(sbuf, sizeof(sbuf), "safi%u", safi);
		s = sbuf;
	}
	snprintf(buf, n, "%s%c%s", a, sep, s);
}

static void fmt_ipv4(uint32_t host_order, char *buf, size_t n)
{
	struct in_addr a = { htonl(host_order) };
	inet_ntop(AF_INET, &a, buf, (socklen_t)n);
}

static void fmt_hex(struct strbuf *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strbuf_printf(out, "%02x", p[i]);
}

static void fmt_community(uint32_t c, char *buf, size_t n)
{
	switch (c) {
	case 0xffff0000: snprintf(buf, n, "gshut"); return;
	case 0xffff0001: snprintf(buf, n, "accept-own"); return;
	case 0xffff0006: snprintf(buf, n, "llgr-stale"); return;
	case 0xffff0007: snprintf(buf, n, "no-llgr"); return;
	case 0xffff029a: snprintf(buf, n, "blackhole"); return;
	case 0xffffff01: snprintf(buf, n, "no-export"); return;
	case 0xffffff02: snprintf(buf, n, "no-advertise"); return;
	case 0xffffff03: snprintf(buf, n, "local-AS"); return;
	case 0xffffff04: snprintf(buf, n, "no-peer"); return;
	}
	snprintf(buf, n, "%u:%u", c >> 16, c & 0xffff);
}

/* Route targets and sites of origin as FRR names them, others in hex. */
static void fmt_ext_community(const uint8_t *e, char *buf, size_t n)
{
	uint8_t type = e[0] & 0x3f, sub = e[1];
	const char *kind = sub == 0x02 ? "RT" : sub == 0x03 ? "SoO" : NULL;
	char ip[INET_ADDRSTRLEN];
	if (kind && type == 0x00) {
		snprintf(buf, n, "%s:%u:%u", kind, load_be16(e + 2), load_be32(e + 4));
	} else if (kind && type == 0x01) {
		fmt_ipv4(load_be32(e + 2), ip, sizeof(ip));
		snprintf(buf, n, "%s:%s:%u", kind, ip, load_be16(e + 6));
	} else if (kind && type == 0x02) {
		snprintf(buf, n, "%s:%u:%u", kind, load_be32(e + 2), load_be16(e + 6));
	} else {
		snprintf(buf, n, "0x%02x%02x%02x%02x%02x%02x%02x%02x", e[0], e[1], e[2], e[3], e[4],
			 e[5], e[6], e[7]);
	}
}

static void fmt_mp_next_hops(const struct bgp_attrs *a, char (*out)[INET6_ADDRSTRLEN],
			     unsigned *n)
{
	*n = 0;
	if (a->mp_nh_len == 4) {
		inet_ntop(AF_INET, a->mp_nh, out[(*n)++], INET6_ADDRSTRLEN);
		return;
	}
	for (unsigned off = 0; off + 16 <= a->mp_nh_len && *n < 2; off += 16)
		inet_ntop(AF_INET6, a->mp_nh + off, out[(*n)++], INET6_ADDRSTRLEN);
}

static void notify_text(const struct bgp_notify *n, struct strbuf *out)
{
	strbuf_printf(out, "%u/%u (%s, %s)", n->code, n->subcode, bgp_err_code_name(n->code),
		      bgp_err_subcode_name(n->code, n->subcode));
	size_t len;
	const uint8_t *data = bgp_notify_data(n, &len);
	if (len) {
		strbuf_puts(out, ", data ");
		fmt_hex(out, data, len);
	}
}

/* Text */

static void text_prefixes(struct strbuf *out, const char *title, const struct bgp_nlri *n)
{
	char fam[32], buf[PREFIX_STRLEN];
	fmt_family(fam, sizeof(fam), n->afi, n->safi, ' ');
	if (!n->supported) {
		strbuf_printf(out, "  %s: %s, %u octets not decoded\n", title, fam, n->len);
		return;
	}
	strbuf_printf(out, "  %s (%s, %u):\n", title, fam, n->count);
	struct bgp_nlri_iter it = bgp_nlri_iter(n);
	struct prefix p;
	while (bgp_nlri_next(&it, &p))
		strbuf_printf(out, "    %s\n", prefix_fmt(&p, buf, sizeof(buf)));
}

static void text_attrs(struct strbuf *out, const struct bgp_update *u)
{
	const struct bgp_attrs *a = &u->attrs;
	char buf[64];
	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN))
		strbuf_printf(out, "  ORIGIN: %s\n", bgp_origin_name(a->origin));
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH)) {
		strbuf_puts(out, "  AS_PATH: ");
		bgp_aspath_fmt(a->aspath, out);
		strbuf_puts(out, a->aspath.len ? "\n" : "(empty)\n");
	}
	if (bgp_attrs_has(a, BGP_ATTR_NEXT_HOP)) {
		fmt_ipv4(a->nexthop, buf, sizeof(buf));
		strbuf_printf(out, "  NEXT_HOP: %s\n", buf);
	}
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		strbuf_printf(out, "  MULTI_EXIT_DISC: %u\n", a->med);
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		strbuf_printf(out, "  LOCAL_PREF: %u\n", a->local_pref);
	if (bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE))
		strbuf_puts(out, "  ATOMIC_AGGREGATE\n");
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR)) {
		fmt_ipv4(a->aggregator_id, buf, sizeof(buf));
		strbuf_printf(out, "  AGGREGATOR: AS %u, %s\n", a->aggregator_as, buf);
	}
	if (bgp_attrs_has(a, BGP_ATTR_COMMUNITIES)) {
		strbuf_puts(out, "  COMMUNITIES:");
		for (uint32_t i = 0; i + 4 <= a->communities.len; i += 4) {
			fmt_community(load_be32(a->communities.p + i), buf, sizeof(buf));
			strbuf_printf(out, " %s", buf);
		}
		strbuf_puts(out, "\n");
	}
	if (bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID)) {
		fmt_ipv4(a->originator_id, buf, sizeof(buf));
		strbuf_printf(out, "  ORIGINATOR_ID: %s\n", buf);
	}
	if (bgp_attrs_has(a, BGP_ATTR_CLUSTER_LIST)) {
		strbuf_puts(out, "  CLUSTER_LIST:");
		for (uint32_t i = 0; i + 4 <= a->cluster_list.len; i += 4) {
			fmt_ipv4(load_be32(a->cluster_list.p + i), buf, sizeof(buf));
			strbuf_printf(out, " %s", buf);
		}
		strbuf_puts(out, "\n");
	}
	if (bgp_attrs_has(a, BGP_ATTR_EXT_COMMUNITIES)) {
		strbuf_puts(out, "  EXTENDED_COMMUNITIES:");
		for (uint32_t i = 0; i + 8 <= a->ext_communities.len; i += 8) {
			fmt_ext_community(a->ext_communities.p + i, buf, sizeof(buf));
			strbuf_printf(out, " %s", buf);
		}
		strbuf_puts(out, "\n");
	}
	if (bgp_attrs_has(a, BGP_ATTR_LARGE_COMMUNITIES)) {
		strbuf_puts(out, "  LARGE_COMMUNITY:");
		for (uint32_t i = 0; i + 12 <= a->large_communities.len; i += 12) {
			const uint8_t *l = a->large_communities.p + i;
			strbuf_printf(out, " %u:%u:%u", load_be32(l), load_be32(l + 4),
				      load_be32(l + 8));
		}
		strbuf_puts(out, "\n");
	}
	for (uint32_t pos = 0; pos + 3 <= a->unknown.len;) {
		const uint8_t *p = a->unknown.p + pos;
		bool ext = p[0] & BGP_ATTR_F_EXTLEN;
		uint32_t hl = ext ? 4 : 3, vl = ext ? load_be16(p + 2) : p[2];
		strbuf_printf(out, "  attribute %u (flags 0x%02x, %u octets, passed on as partial): ",
			      p[1], p[0], vl);
		fmt_hex(out, p + hl, vl);
		strbuf_puts(out, "\n");
		pos += hl + vl;
	}
	if (u->mp_reach.afi) {
		char nh[2][INET6_ADDRSTRLEN];
		unsigned n;
		fmt_mp_next_hops(a, nh, &n);
		if (n)
			strbuf_printf(out, "  MP_REACH_NLRI next hop: %s%s%s\n", nh[0],
				      n > 1 ? " " : "", n > 1 ? nh[1] : "");
		text_prefixes(out, "MP_REACH_NLRI", &u->mp_reach);
	}
	if (u->mp_unreach.afi && !u->eor)
		text_prefixes(out, "MP_UNREACH_NLRI", &u->mp_unreach);
}

static void text_update(struct strbuf *out, const struct bgp_update *u)
{
	if (u->withdrawn.count)
		text_prefixes(out, "Withdrawn", &u->withdrawn);
	text_attrs(out, u);
	if (u->nlri.count)
		text_prefixes(out, "NLRI", &u->nlri);
	if (u->eor) {
		char fam[32];
		fmt_family(fam, sizeof(fam), u->eor_afi, u->eor_safi, ' ');
		strbuf_printf(out, "  End-of-RIB: %s\n", fam);
	}
	for (unsigned i = 0; i < u->n_faults; i++) {
		const struct bgp_fault *f = &u->faults[i];
		char label[32];
		if (f->attr && bgp_attr_expected_flags(f->attr) >= 0)
			snprintf(label, sizeof(label), "%s: ", bgp_attr_name(f->attr));
		else if (f->attr)
			snprintf(label, sizeof(label), "attribute %u: ", f->attr);
		else if (f->where)
			snprintf(label, sizeof(label), "%s: ", f->where);
		else
			label[0] = '\0';
		strbuf_printf(out, "  Fault: %s%s -> %s\n", label, f->what, bgp_action_name(f->action));
	}
	if (u->n_faults_dropped)
		strbuf_printf(out, "  (%u more faults)\n", u->n_faults_dropped);
}

static void text_open(struct strbuf *out, const struct bgp_open *o)
{
	const struct bgp_caps *c = &o->caps;
	char buf[64], fam[32];
	fmt_ipv4(o->bgp_id, buf, sizeof(buf));
	strbuf_printf(out, "  Version: %u\n  My AS: %u\n  Hold time: %u\n  BGP identifier: %s\n",
		      o->version, o->my_as, o->hold_time, buf);
	strbuf_puts(out, "  Capabilities:\n");
	for (unsigned i = 0; i < c->n_mp; i++) {
		fmt_family(fam, sizeof(fam), c->mp[i].afi, c->mp[i].safi, ' ');
		strbuf_printf(out, "    multiprotocol: %s\n", fam);
	}
	if (c->have & BGP_CAPB_ROUTE_REFRESH)
		strbuf_puts(out, "    route-refresh\n");
	if (c->have & BGP_CAPB_ROUTE_REFRESH_OLD)
		strbuf_puts(out, "    route-refresh (old code 128)\n");
	if (c->have & BGP_CAPB_ENHANCED_RR)
		strbuf_puts(out, "    enhanced-route-refresh\n");
	if (c->have & BGP_CAPB_AS4)
		strbuf_printf(out, "    4-octet-as: %u\n", c->as4);
	if (c->have & BGP_CAPB_EXT_MSG)
		strbuf_puts(out, "    extended-message\n");
	if (c->have & BGP_CAPB_GR) {
		strbuf_printf(out, "    graceful-restart: restart time %u%s%s\n", c->gr_time,
			      (c->gr_flags & BGP_GR_F_RESTART) ? ", restarting" : "",
			      (c->gr_flags & BGP_GR_F_NOTIFICATION) ? ", notification" : "");
		for (unsigned i = 0; i < c->n_gr; i++) {
			fmt_family(fam, sizeof(fam), c->gr[i].afi, c->gr[i].safi, ' ');
			strbuf_printf(out, "      %s%s\n", fam,
				      (c->gr[i].flags & BGP_GR_AF_F_FORWARDING) ? ", forwarding kept" : "");
		}
	}
	if (c->have & BGP_CAPB_FQDN)
		strbuf_printf(out, "    hostname: %s, domain: %s\n", c->hostname,
			      c->domainname[0] ? c->domainname : "(none)");
	for (unsigned i = 0; i < c->n_unknown; i++) {
		const struct bgp_cap_raw *r = &c->unknown[i];
		strbuf_printf(out, "    %s (code %u, %u octets): ", bgp_cap_name(r->code), r->code, r->len);
		fmt_hex(out, r->value, r->len);
		strbuf_puts(out, "\n");
	}
	if (c->n_dropped)
		strbuf_printf(out, "    (%u more not kept)\n", c->n_dropped);
}

static const char *msg_type_name(uint8_t type)
{
	switch (type) {
	case BGP_MSG_OPEN: return "OPEN";
	case BGP_MSG_UPDATE: return "UPDATE";
	case BGP_MSG_NOTIFICATION: return "NOTIFICATION";
	case BGP_MSG_KEEPALIVE: return "KEEPALIVE";
	case BGP_MSG_ROUTE_REFRESH: return "ROUTE-REFRESH";
	}
	return "INVALID";
}

static const char *rr_subtype_name(uint8_t subtype)
{
	switch (subtype) {
	case BGP_RR_NORMAL: return "request";
	case BGP_RR_BORR: return "beginning of refresh";
	case BGP_RR_EORR: return "end of refresh";
	}
	return "unknown subtype";
}

void bgp_msg_render_text(const struct bgp_msg *m, struct strbuf *out)
{
	char fam[32], text[256];
	strbuf_printf(out, "%s, %u octets\n", msg_type_name(m->type), m->len);
	bool body_ok = m->action != BGP_ACT_SESSION_RESET;
	switch (m->type) {
	case BGP_MSG_OPEN:
		if (body_ok)
			text_open(out, &m->open);
		break;
	case BGP_MSG_UPDATE:
		text_update(out, &m->update);
		break;
	case BGP_MSG_NOTIFICATION:
		if (!body_ok)
			break;
		strbuf_puts(out, "  Error: ");
		notify_text(&m->notification, out);
		strbuf_puts(out, "\n");
		if (bgp_notification_shutdown_msg(&m->notification, text, sizeof(text)))
			strbuf_printf(out, "  Shutdown message: \"%s\"\n", text);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		if (!body_ok)
			break;
		fmt_family(fam, sizeof(fam), m->refresh.afi, m->refresh.safi, ' ');
		strbuf_printf(out, "  %s, %s\n", fam, rr_subtype_name(m->refresh.subtype));
		break;
	}
	if (m->action == BGP_ACT_SESSION_RESET) {
		strbuf_puts(out, "  Result: session reset; NOTIFICATION to send: ");
		notify_text(&m->error, out);
		strbuf_puts(out, "\n");
	} else if (m->action != BGP_ACT_NONE) {
		strbuf_printf(out, "  Result: %s\n", bgp_action_name(m->action));
	} else {
		strbuf_puts(out, "  Result: accepted\n");
	}
}

/* JSON */

static struct json_object *json_hex(const uint8_t *p, size_t n)
{
	struct strbuf b = STRBUF_INIT;
	fmt_hex(&b, p, n);
	struct json_object *s = json_object_new_string(strbuf_str(&b));
	strbuf_free(&b);
	return s;
}

static struct json_object *json_notify(const struct bgp_notify *n)
{
	struct json_object *o = json_object_new_object();
	size_t len;
	const uint8_t *data = bgp_notify_data(n, &len);
	json_object_object_add(o, "code", json_object_new_int(n->code));
	json_object_object_add(o, "subcode", json_object_new_int(n->subcode));
	json_object_object_add(o, "codeName", json_object_new_string(bgp_err_code_name(n->code)));
	json_object_object_add(o, "subcodeName",
			       json_object_new_string(bgp_err_subcode_name(n->code, n->subcode)));
	json_object_object_add(o, "data", json_hex(data, len));
	return o;
}

static struct json_object *json_prefixes(const struct bgp_nlri *n)
{
	struct json_object *arr = json_object_new_array();
	char buf[PREFIX_STRLEN];
	struct bgp_nlri_iter it = bgp_nlri_iter(n);
	struct prefix p;
	while (bgp_nlri_next(&it, &p))
		json_object_array_add(arr, json_object_new_string(prefix_fmt(&p, buf, sizeof(buf))));
	return arr;
}

static struct json_object *json_mp(const struct bgp_nlri *n)
{
	struct json_object *o = json_object_new_object();
	char buf[16];
	const char *a = afi_name(n->afi), *s = safi_name(n->safi);
	snprintf(buf, sizeof(buf), "%u", n->afi);
	json_object_object_add(o, "afi", json_object_new_string(a ? a : buf));
	snprintf(buf, sizeof(buf), "%u", n->safi);
	json_object_object_add(o, "safi", json_object_new_string(s ? s : buf));
	json_object_object_add(o, "decoded", json_object_new_boolean(n->supported));
	json_object_object_add(o, "prefixes", json_prefixes(n));
	return o;
}

static void json_add_str(struct json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

static void json_add_ipv4(struct json_object *o, const char *key, uint32_t host_order)
{
	char buf[INET_ADDRSTRLEN];
	fmt_ipv4(host_order, buf, sizeof(buf));
	json_add_str(o, key, buf);
}

static struct json_object *json_list(struct bgp_bytes b, unsigned item,
				     void (*fmt)(const uint8_t *, char *, size_t))
{
	struct json_object *arr = json_object_new_array();
	char buf[64];
	for (uint32_t i = 0; i + item <= b.len; i += item) {
		fmt(b.p + i, buf, sizeof(buf));
		json_object_array_add(arr, json_object_new_string(buf));
	}
	return arr;
}

static void fmt_community_at(const uint8_t *p, char *buf, size_t n)
{
	fmt_community(load_be32(p), buf, n);
}

static void fmt_large_at(const uint8_t *p, char *buf, size_t n)
{
	snprintf(buf, n, "%u:%u:%u", load_be32(p), load_be32(p + 4), load_be32(p + 8));
}

static void fmt_ipv4_at(const uint8_t *p, char *buf, size_t n)
{
	fmt_ipv4(load_be32(p), buf, n);
}

static struct json_object *json_attrs(const struct bgp_update *u)
{
	const struct bgp_attrs *a = &u->attrs;
	struct json_object *o = json_object_new_object();
	if (bgp_attrs_has(a, BGP_ATTR_ORIGIN))
		json_add_str(o, "origin", bgp_origin_name(a->origin));
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH)) {
		struct strbuf b = STRBUF_INIT;
		bgp_aspath_fmt(a->aspath, &b);
		json_add_str(o, "asPath", strbuf_str(&b));
		json_object_object_add(o, "asPathLength",
				       json_object_new_int((int)bgp_aspath_length(a->aspath)));
		strbuf_free(&b);
	}
	if (bgp_attrs_has(a, BGP_ATTR_NEXT_HOP))
		json_add_ipv4(o, "nextHop", a->nexthop);
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		json_object_object_add(o, "med", json_object_new_int64(a->med));
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		json_object_object_add(o, "localPref", json_object_new_int64(a->local_pref));
	if (bgp_attrs_has(a, BGP_ATTR_ATOMIC_AGGREGATE))
		json_object_object_add(o, "atomicAggregate", json_object_new_boolean(1));
	if (bgp_attrs_has(a, BGP_ATTR_AGGREGATOR)) {
		struct json_object *ag = json_object_new_object();
		json_object_object_add(ag, "as", json_object_new_int64(a->aggregator_as));
		json_add_ipv4(ag, "id", a->aggregator_id);
		json_object_object_add(o, "aggregator", ag);
	}
	if (bgp_attrs_has(a, BGP_ATTR_COMMUNITIES))
		json_object_object_add(o, "communities", json_list(a->communities, 4, fmt_community_at));
	if (bgp_attrs_has(a, BGP_ATTR_EXT_COMMUNITIES))
		json_object_object_add(o, "extendedCommunities",
				       json_list(a->ext_communities, 8, fmt_ext_community));
	if (bgp_attrs_has(a, BGP_ATTR_LARGE_COMMUNITIES))
		json_object_object_add(o, "largeCommunities",
				       json_list(a->large_communities, 12, fmt_large_at));
	if (bgp_attrs_has(a, BGP_ATTR_ORIGINATOR_ID))
		json_add_ipv4(o, "originatorId", a->originator_id);
	if (bgp_attrs_has(a, BGP_ATTR_CLUSTER_LIST))
		json_object_object_add(o, "clusterList", json_list(a->cluster_list, 4, fmt_ipv4_at));
	if (a->unknown.len) {
		struct json_object *arr = json_object_new_array();
		for (uint32_t pos = 0; pos + 3 <= a->unknown.len;) {
			const uint8_t *p = a->unknown.p + pos;
			bool ext = p[0] & BGP_ATTR_F_EXTLEN;
			uint32_t hl = ext ? 4 : 3, vl = ext ? load_be16(p + 2) : p[2];
			struct json_object *x = json_object_new_object();
			json_object_object_add(x, "typeCode", json_object_new_int(p[1]));
			json_object_object_add(x, "flags", json_object_new_int(p[0]));
			json_object_object_add(x, "value", json_hex(p + hl, vl));
			json_object_array_add(arr, x);
			pos += hl + vl;
		}
		json_object_object_add(o, "unknown", arr);
	}
	return o;
}

static void json_update(struct json_object *o, const struct bgp_update *u)
{
	json_object_object_add(o, "withdrawn", json_prefixes(&u->withdrawn));
	json_object_object_add(o, "attributes", json_attrs(u));
	json_object_object_add(o, "nlri", json_prefixes(&u->nlri));
	if (u->mp_reach.afi) {
		struct json_object *mp = json_mp(&u->mp_reach), *nhs = json_object_new_array();
		char nh[2][INET6_ADDRSTRLEN];
		unsigned n;
		fmt_mp_next_hops(&u->attrs, nh, &n);
		for (unsigned i = 0; i < n; i++)
			json_object_array_add(nhs, json_object_new_string(nh[i]));
		json_object_object_add(mp, "nextHops", nhs);
		json_object_object_add(o, "mpReach", mp);
	}
	if (u->mp_unreach.afi && !u->eor)
		json_object_object_add(o, "mpUnreach", json_mp(&u->mp_unreach));
	if (u->eor) {
		char fam[32];
		fmt_family(fam, sizeof(fam), u->eor_afi, u->eor_safi, '-');
		json_add_str(o, "endOfRib", fam);
	}
	struct json_object *faults = json_object_new_array();
	for (unsigned i = 0; i < u->n_faults; i++) {
		const struct bgp_fault *f = &u->faults[i];
		struct json_object *x = json_object_new_object();
		if (f->attr) {
			json_add_str(x, "attribute", bgp_attr_name(f->attr));
			json_object_object_add(x, "typeCode", json_object_new_int(f->attr));
		} else if (f->where) {
			json_add_str(x, "field", f->where);
		}
		json_add_str(x, "action", bgp_action_name(f->action));
		json_add_str(x, "reason", f->what);
		json_object_array_add(faults, x);
	}
	json_object_object_add(o, "faults", faults);
}

/* Appends a capability object {code, name} to caps and returns it. */
static struct json_object *cap_obj(struct json_object *caps, uint8_t code)
{
	struct json_object *x = json_object_new_object();
	json_object_object_add(x, "code", json_object_new_int(code));
	json_add_str(x, "name", bgp_cap_name(code));
	json_object_array_add(caps, x);
	return x;
}

static void json_open(struct json_object *o, const struct bgp_open *op)
{
	const struct bgp_caps *c = &op->caps;
	json_object_object_add(o, "version", json_object_new_int(op->version));
	json_object_object_add(o, "myAs", json_object_new_int(op->my_as));
	json_object_object_add(o, "asn", json_object_new_int64(bgp_open_peer_as(op)));
	json_object_object_add(o, "holdTime", json_object_new_int(op->hold_time));
	json_add_ipv4(o, "bgpId", op->bgp_id);
	struct json_object *caps = json_object_new_array();

	char fam[32];
	for (unsigned i = 0; i < c->n_mp; i++) {
		struct json_object *x = cap_obj(caps, BGP_CAP_MP);
		fmt_family(fam, sizeof(fam), c->mp[i].afi, c->mp[i].safi, '-');
		json_add_str(x, "family", fam);
	}
	if (c->have & BGP_CAPB_ROUTE_REFRESH)
		cap_obj(caps, BGP_CAP_ROUTE_REFRESH);
	if (c->have & BGP_CAPB_ROUTE_REFRESH_OLD)
		cap_obj(caps, BGP_CAP_ROUTE_REFRESH_OLD);
	if (c->have & BGP_CAPB_ENHANCED_RR)
		cap_obj(caps, BGP_CAP_ENHANCED_RR);
	if (c->have & BGP_CAPB_AS4)
		json_object_object_add(cap_obj(caps, BGP_CAP_AS4), "asn", json_object_new_int64(c->as4));
	if (c->have & BGP_CAPB_EXT_MSG)
		cap_obj(caps, BGP_CAP_EXT_MSG);
	if (c->have & BGP_CAPB_GR) {
		struct json_object *x = cap_obj(caps, BGP_CAP_GR), *afs = json_object_new_array();
		json_object_object_add(x, "restartTime", json_object_new_int(c->gr_time));
		json_object_object_add(x, "restarting",
				       json_object_new_boolean(c->gr_flags & BGP_GR_F_RESTART));
		json_object_object_add(x, "notification",
				       json_object_new_boolean(c->gr_flags & BGP_GR_F_NOTIFICATION));
		for (unsigned i = 0; i < c->n_gr; i++) {
			struct json_object *af = json_object_new_object();
			fmt_family(fam, sizeof(fam), c->gr[i].afi, c->gr[i].safi, '-');
			json_add_str(af, "family", fam);
			json_object_object_add(af, "forwardingPreserved",
					       json_object_new_boolean(c->gr[i].flags & BGP_GR_AF_F_FORWARDING));
			json_object_array_add(afs, af);
		}
		json_object_object_add(x, "families", afs);
	}
	if (c->have & BGP_CAPB_FQDN) {
		struct json_object *x = cap_obj(caps, BGP_CAP_FQDN);
		json_add_str(x, "hostname", c->hostname);
		json_add_str(x, "domainname", c->domainname);
	}
	for (unsigned i = 0; i < c->n_unknown; i++)
		json_object_object_add(cap_obj(caps, c->unknown[i].code), "value",
				       json_hex(c->unknown[i].value, c->unknown[i].len));
	json_object_object_add(o, "capabilities", caps);
}

struct json_object *bgp_msg_render_json(const struct bgp_msg *m)
{
	struct json_object *o = json_object_new_object();
	char buf[256];
	json_add_str(o, "type", msg_type_name(m->type));
	json_object_object_add(o, "length", json_object_new_int(m->len));
	json_add_str(o, "action", bgp_action_name(m->action));
	if (m->action == BGP_ACT_SESSION_RESET)
		json_object_object_add(o, "notification", json_notify(&m->error));
	bool body_ok = m->action != BGP_ACT_SESSION_RESET;
	switch (m->type) {
	case BGP_MSG_OPEN:
		if (body_ok)
			json_open(o, &m->open);
		break;
	case BGP_MSG_UPDATE:
		json_update(o, &m->update);
		break;
	case BGP_MSG_NOTIFICATION:
		if (!body_ok)
			break;
		json_object_object_add(o, "error", json_notify(&m->notification));
		if (bgp_notification_shutdown_msg(&m->notification, buf, sizeof(buf)))
			json_add_str(o, "shutdownMessage", buf);
		break;
	case BGP_MSG_ROUTE_REFRESH:
		if (!body_ok)
			break;
		fmt_family(buf, sizeof(buf), m->refresh.afi, m->refresh.safi, '-');
		json_add_str(o, "family", buf);
		json_object_object_add(o, "subtype", json_object_new_int(m->refresh.subtype));
		break;
	}
	return o;
}

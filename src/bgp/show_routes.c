/* show_routes.c: the routes as FRR 8.4 shows them: `show ip bgp` (the table
 * and the detailed view of one prefix) and `show ip bgp neighbors A
 * advertised-routes|received-routes|routes`, in text with FRR's columns and
 * in JSON with FRR's field names. Reads the RIB; changes nothing. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decision.h"
#include "fmt.h"
#include "show_int.h"


/* Paths and their neighbors */

static const struct bgp_peer *path_peer(const struct bgp_speaker *s, const struct rib_path *p)
{
	return speaker_peer(s, p->slot);
}


static bool path_internal(const struct bgp_speaker *s, const struct rib_path *p)
{
	const struct bgp_peer *peer = path_peer(s, p);
	return peer && !peer_is_ebgp(peer);
}

/* FRR's "best (reason)": the rule of the last comparison against the best
 * path, "First path received" when it had no rival. */
static const char *best_reason(const struct bgp_speaker *s, const struct rib_dest *d)
{
	static const struct bgp_decision_opts opts = { 0 };
	uint8_t rule = 0xff;
	struct bgp_cand best, c;
	const struct rib_path *b = rib_best(d);
	if (!b || !b->attrs)
		return "";
	rib_path_cand(s, d->family, b, &best);
	for (const struct rib_path *p = rib_paths(d); p; p = p->next) {
		if (p == b || !p->attrs)
			continue;
		rib_path_cand(s, d->family, p, &c);
		bgp_cand_cmp(&best, &c, &opts, &rule);
	}
	return rule == 0xff ? "First path received" : bgp_rule_reason(rule);
}

/* The version FRR gives a destination: here the RIB's change counter at the
 * newest of its paths. */
static uint64_t dest_version(const struct rib_dest *d)
{
	uint64_t v = 0;
	for (const struct rib_path *p = rib_paths(d); p; p = p->next)
		if (p->attrs && p->seq > v)
			v = p->seq;
	return v;
}

static unsigned dest_paths(const struct rib_dest *d)
{
	unsigned n = 0;
	for (const struct rib_path *p = rib_paths(d); p; p = p->next)
		n += p->attrs != NULL;
	return n;
}

/* Next hops */

struct nh_view {
	char global[INET6_ADDRSTRLEN];
	char ll[INET6_ADDRSTRLEN]; /* IPv6 link-local, "" when none */
	bool v6;
};

static void nh_of(const struct bgp_attrs *a, uint8_t fam, struct nh_view *v)
{
	memset(v, 0, sizeof(*v));
	v->v6 = fam == BGP_FAM_IPV6;
	if (!v->v6) {
		if (!bgp_attrs_has(a, BGP_ATTR_NEXT_HOP) && a->mp_nh_len == 4)
			inet_ntop(AF_INET, a->mp_nh, v->global, sizeof(v->global));
		else
			bgp_fmt_ipv4(a->nexthop, v->global, sizeof(v->global));
		return;
	}
	static const uint8_t zero[16];
	inet_ntop(AF_INET6, a->mp_nh_len >= 16 ? a->mp_nh : zero, v->global, sizeof(v->global));
	if (a->mp_nh_len >= 32)
		inet_ntop(AF_INET6, a->mp_nh + 16, v->ll, sizeof(v->ll));
}

/* FRR shows the link-local next hop in the table when there is one. */
static const char *nh_shown(const struct nh_view *v)
{
	return v->ll[0] ? v->ll : v->global;
}

/* AS paths */

/* The path without its first AS when that is asn (the AS nvad prepends
 * towards eBGP peers, which FRR's advertised-routes does not show). */
static struct bgp_bytes strip_own_as(struct bgp_bytes path, uint32_t asn, uint8_t *buf, size_t cap)
{
	if (path.len < 6 || path.p[0] != BGP_AS_SEQUENCE || path.p[1] == 0 ||
	    load_be32(path.p + 2) != asn || path.len - 4 > cap)
		return path;
	if (path.p[1] == 1)
		return (struct bgp_bytes){ path.len > 6 ? path.p + 6 : NULL, path.len - 6 };
	buf[0] = BGP_AS_SEQUENCE;
	buf[1] = (uint8_t)(path.p[1] - 1);
	memcpy(buf + 2, path.p + 6, path.len - 6);
	return (struct bgp_bytes){ buf, path.len - 4 };
}

static void aspath_str(struct bgp_bytes path, struct strbuf *sb)
{
	strbuf_reset(sb);
	strbuf_puts(sb, "");
	if (path.len)
		bgp_aspath_fmt(path, sb);
}

static struct json_object *aspath_json(struct bgp_bytes path, unsigned length)
{
	struct strbuf sb = STRBUF_INIT;
	aspath_str(path, &sb);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "string", json_object_new_string(sb.len ? strbuf_str(&sb) : "Local"));
	strbuf_free(&sb);
	struct json_object *segs = json_object_new_array();
	for (uint32_t pos = 0; pos + 2 <= path.len;) {
		uint8_t type = path.p[pos];
		unsigned count = path.p[pos + 1];
		const char *name = type == BGP_AS_SET		 ? "as-set"
				   : type == BGP_AS_CONFED_SEQUENCE ? "as-confed-sequence"
				   : type == BGP_AS_CONFED_SET	 ? "as-confed-set"
								 : "as-sequence";
		struct json_object *seg = json_object_new_object(), *list = json_object_new_array();
		json_object_object_add(seg, "type", json_object_new_string(name));
		for (unsigned i = 0; i < count && pos + 2 + 4 * i + 4 <= path.len; i++)
			json_object_array_add(list, json_object_new_int64(load_be32(path.p + pos + 2 + 4 * i)));
		json_object_object_add(seg, "list", list);
		json_object_array_add(segs, seg);
		pos += 2 + 4 * count;
	}
	json_object_object_add(o, "segments", segs);
	json_object_object_add(o, "length", json_object_new_int((int)length));
	return o;
}

/* The table */

static void table_header(const struct bgp_speaker *s, struct strbuf *out)
{
	char rid[INET_ADDRSTRLEN];
	strbuf_printf(out,
		      "BGP table version is %llu, local router ID is %s, vrf id 0\n"
		      "Default local pref 100, local AS %u\n"
		      "Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,\n"
		      "               i internal, r RIB-failure, S Stale, R Removed\n"
		      "Nexthop codes: @NNN nexthop's vrf id, < announce-nh-self\n"
		      "Origin codes:  i - IGP, e - EGP, ? - incomplete\n"
		      "RPKI validation codes: V valid, I invalid, N Not found\n"
		      "\n"
		      "   Network          Next Hop            Metric LocPrf Weight Path\n",
		      (unsigned long long)s->rib.seq, bgp_fmt_ipv4(s->cfg.router_id, rid, sizeof(rid)),
		      s->cfg.asn);
}

static void pad(struct strbuf *out, int printed, int width, int wrap_indent)
{
	int n = width - printed;
	if (n < 1)
		strbuf_printf(out, "\n%*s", wrap_indent, "");
	else
		strbuf_printf(out, "%*s", n, "");
}

/* One line of the table: FRR's route_vty_out layout. pfx NULL leaves the
 * Network column blank (a further path of the same prefix). */
static void row_text(struct strbuf *out, const char *status, const struct prefix *pfx,
		     const char *nh, const struct bgp_attrs *a, uint32_t weight,
		     struct bgp_bytes path)
{
	char buf[PREFIX_STRLEN];
	strbuf_puts(out, status);
	if (pfx) {
		prefix_fmt(pfx, buf, sizeof(buf));
		strbuf_puts(out, buf);
		pad(out, (int)strlen(buf), 17, 20);
	} else {
		strbuf_printf(out, "%17s", "");
	}
	strbuf_puts(out, nh);
	pad(out, (int)strlen(nh), 16, 36);
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		strbuf_printf(out, "%10u", a->med);
	else
		strbuf_printf(out, "%10s", "");
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		strbuf_printf(out, "%7u", a->local_pref);
	else
		strbuf_printf(out, "%7s", "");
	strbuf_printf(out, "%7u ", weight);
	if (path.len) {
		bgp_aspath_fmt(path, out);
		strbuf_puts(out, " ");
	}
	strbuf_printf(out, "%c\n", bgp_origin_code(a->origin));
}

static void path_status(const struct bgp_speaker *s, const struct rib_path *p, char st[4])
{
	st[0] = (p->flags & PATH_F_STALE) ? 'S' : '*'; /* FRR: stale shows in place of valid */
	st[1] = (p->flags & PATH_F_BEST) ? '>' : (p->flags & PATH_F_MULTIPATH) ? '=' : ' ';
	st[2] = path_internal(s, p) ? 'i' : ' ';
	st[3] = '\0';
}

static void nexthops_json(struct json_object *o, const struct nh_view *v, const char *hostname,
			  bool detail)
{
	struct json_object *arr = json_object_new_array();
	for (int i = 0; i < (v->ll[0] ? 2 : 1); i++) {
		struct json_object *nh = json_object_new_object();
		json_object_object_add(nh, "ip", json_object_new_string(i ? v->ll : v->global));
		if (hostname && hostname[0])
			json_object_object_add(nh, "hostname", json_object_new_string(hostname));
		json_object_object_add(nh, "afi", json_object_new_string(v->v6 ? "ipv6" : "ipv4"));
		if (v->v6)
			json_object_object_add(nh, "scope", json_object_new_string(i ? "link-local" : "global"));
		if (detail) {
			if (i == 0)
				json_object_object_add(nh, "metric", json_object_new_int(0));
			json_object_object_add(nh, "accessible", json_object_new_boolean(true));
		}
		if (i == 1 || !v->ll[0])
			json_object_object_add(nh, "used", json_object_new_boolean(true));
		json_object_array_add(arr, nh);
	}
	json_object_object_add(o, "nexthops", arr);
}

static const char *path_hostname(const struct bgp_speaker *s, const struct rib_path *p)
{
	const struct bgp_peer *peer = path_peer(s, p);
	return p->slot == 0 ? s->hostname : peer ? peer->remote_hostname : NULL;
}

static void add_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void add_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void add_true(struct json_object *o, const char *k)
{
	json_object_object_add(o, k, json_object_new_boolean(true));
}

/* One path of `show ip bgp json`. */
static struct json_object *path_json_brief(const struct bgp_speaker *s, const struct rib_dest *d,
					   const struct rib_path *p, const struct prefix *pfx)
{
	struct bgp_attrs a;
	bgp_iattrs_view(p->attrs, &a);
	struct json_object *o = json_object_new_object();
	char buf[PREFIX_STRLEN], addr[INET6_ADDRSTRLEN];
	add_true(o, "valid");
	if (p->flags & PATH_F_STALE)
		add_true(o, "stale");
	if (p->flags & PATH_F_MULTIPATH)
		add_true(o, "multipath");
	if (p->flags & PATH_F_BEST) {
		add_true(o, "bestpath");
		add_str(o, "selectionReason", best_reason(s, d));
	}
	add_str(o, "pathFrom", path_internal(s, p) ? "internal" : "external");
	inet_ntop(pfx->family, pfx->a, addr, sizeof(addr));
	add_str(o, "prefix", addr);
	add_int(o, "prefixLen", pfx->len);
	add_str(o, "network", prefix_fmt(pfx, buf, sizeof(buf)));
	add_int(o, "version", (int64_t)dest_version(d));
	if (bgp_attrs_has(&a, BGP_ATTR_MED))
		add_int(o, "metric", a.med);
	if (bgp_attrs_has(&a, BGP_ATTR_LOCAL_PREF))
		add_int(o, "locPrf", a.local_pref);
	add_int(o, "weight", p->weight);
	const struct bgp_peer *peer = path_peer(s, p);
	add_str(o, "peerId", peer ? ipaddr_fmt(&peer->cfg.addr, addr, sizeof(addr)) : "(unspec)");
	struct strbuf sb = STRBUF_INIT;
	aspath_str(a.aspath, &sb);
	add_str(o, "path", strbuf_str(&sb));
	strbuf_free(&sb);
	add_str(o, "origin", bgp_origin_name(a.origin));
	struct nh_view nh;
	nh_of(&a, d->family, &nh);
	nexthops_json(o, &nh, path_hostname(s, p), false);
	return o;
}

static struct json_object *table_json_head(const struct bgp_speaker *s)
{
	char rid[INET_ADDRSTRLEN];
	struct json_object *o = json_object_new_object();
	add_int(o, "vrfId", 0);
	add_str(o, "vrfName", "default");
	add_int(o, "tableVersion", (int64_t)s->rib.seq);
	add_str(o, "routerId", bgp_fmt_ipv4(s->cfg.router_id, rid, sizeof(rid)));
	add_int(o, "defaultLocPrf", 100);
	add_int(o, "localAS", s->cfg.asn);
	return o;
}

static unsigned total_paths(const struct bgp_speaker *s, uint8_t fam)
{
	unsigned total = 0;
	const struct ipool *pool = &s->rib.dests[fam].pool;
	for (uint32_t i = ipool_next(pool, 0); i != IPOOL_NONE; i = ipool_next(pool, i + 1))
		total += dest_paths(ipool_at(pool, i));
	return total;
}

/* The table, or with only a neighbor's accepted paths (slot != 0xffff). */
static void show_table(const struct bgp_speaker *s, uint8_t fam, uint32_t slot, bool json,
		       struct strbuf *out)
{
	struct json_object *top = json ? table_json_head(s) : NULL;
	struct json_object *routes = json ? json_object_new_object() : NULL;
	unsigned n_routes = 0, n_paths = 0;
	size_t nd = 0;
	struct rib_dest **v = rib_sorted(&s->rib, fam, &nd);
	for (size_t k = 0; k < nd; k++) {
		const struct rib_dest *d = v[k];
		struct prefix pfx;
		rib_dest_prefix(d, &pfx);
		bool first = true;
		struct json_object *arr = NULL;
		for (const struct rib_path *p = rib_paths(d); p; p = p->next) {
			if (!p->attrs || (slot != 0xffff && p->slot != slot))
				continue;
			n_paths++;
			if (json) {
				if (!arr)
					arr = json_object_new_array();
				json_object_array_add(arr, path_json_brief(s, d, p, &pfx));
			} else {
				if (n_routes == 0 && first)
					table_header(s, out);
				struct bgp_attrs a;
				struct nh_view nh;
				char st[4];
				bgp_iattrs_view(p->attrs, &a);
				nh_of(&a, fam, &nh);
				path_status(s, p, st);
				row_text(out, st, first ? &pfx : NULL, nh_shown(&nh), &a,
					 p->weight, a.aspath);
			}
			if (first)
				n_routes++;
			first = false;
		}
		if (arr) {
			char buf[PREFIX_STRLEN];
			json_object_object_add(routes, prefix_fmt(&pfx, buf, sizeof(buf)), arr);
		}
	}
	free(v);
	if (json) {
		json_object_object_add(top, "routes", routes);
		show_json_out(top, out);
		return;
	}
	unsigned total = slot == 0xffff ? n_paths : total_paths(s, fam);
	if (n_routes)
		strbuf_printf(out, "\nDisplayed  %u routes and %u total paths\n", n_routes, total);
	else if (slot == 0xffff)
		strbuf_printf(out, "No BGP prefixes displayed, %u exist\n", total);
}

/* The detailed view of one prefix */

static void detail_text(const struct bgp_speaker *s, const struct rib_dest *d,
			const struct prefix *pfx, struct strbuf *out)
{
	char buf[PREFIX_STRLEN], addr[INET6_ADDRSTRLEN], rid[INET_ADDRSTRLEN];
	unsigned n = 0, best_at = 0;
	for (const struct rib_path *p = rib_paths(d); p; p = p->next) {
		if (!p->attrs)
			continue;
		n++;
		if (p->flags & PATH_F_BEST)
			best_at = n;
	}
	strbuf_printf(out, "BGP routing table entry for %s, version %llu\n",
		      prefix_fmt(pfx, buf, sizeof(buf)), (unsigned long long)dest_version(d));
	if (best_at)
		strbuf_printf(out, "Paths: (%u available, best #%u, table default)\n", n, best_at);
	else
		strbuf_printf(out, "Paths: (%u available, no best path)\n", n);
	bool any = false;
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		const struct bgp_peer *peer = speaker_peer(s, i);
		if (!peer || !rib_adv(d, i))
			continue;
		strbuf_printf(out, "%s %s", any ? "" : "  Advertised to non peer-group peers:\n ",
			      ipaddr_fmt(&peer->cfg.addr, addr, sizeof(addr)));
		any = true;
	}
	strbuf_puts(out, any ? "\n" : "  Not advertised to any peer\n");
	bool has_mp = false;
	for (const struct rib_path *p = rib_paths(d); p; p = p->next)
		has_mp |= p->attrs && (p->flags & PATH_F_MULTIPATH);
	for (const struct rib_path *p = rib_paths(d); p; p = p->next) {
		if (!p->attrs)
			continue;
		struct bgp_attrs a;
		bgp_iattrs_view(p->attrs, &a);
		const struct bgp_peer *peer = path_peer(s, p);
		/* The AS path line. */
		strbuf_puts(out, "  ");
		if (a.aspath.len)
			bgp_aspath_fmt(a.aspath, out);
		else
			strbuf_puts(out, "Local");
		if (bgp_attrs_has(&a, BGP_ATTR_AGGREGATOR))
			strbuf_printf(out, ", (aggregated by %u %s)", a.aggregator_as,
				      bgp_fmt_ipv4(a.aggregator_id, rid, sizeof(rid)));
		strbuf_puts(out, "\n");
		/* Next hop, from whom. */
		struct nh_view nh;
		nh_of(&a, d->family, &nh);
		const char *from = peer ? ipaddr_fmt(&peer->cfg.addr, addr, sizeof(addr))
					: d->family == BGP_FAM_IPV6 ? "::" : "0.0.0.0";
		uint32_t id = bgp_attrs_has(&a, BGP_ATTR_ORIGINATOR_ID) ? a.originator_id
			      : peer ? peer->remote_id : s->cfg.router_id;
		strbuf_printf(out, "    %s from %s (%s)\n", nh.global, from,
			      bgp_fmt_ipv4(id, rid, sizeof(rid)));
		if (nh.ll[0])
			strbuf_printf(out, "    (%s) (used)\n", nh.ll);
		/* Origin and the rest. */
		strbuf_printf(out, "      Origin %s", bgp_origin_name(a.origin));
		if (bgp_attrs_has(&a, BGP_ATTR_MED))
			strbuf_printf(out, ", metric %u", a.med);
		if (bgp_attrs_has(&a, BGP_ATTR_LOCAL_PREF))
			strbuf_printf(out, ", localpref %u", a.local_pref);
		uint32_t w = p->weight;
		if (w)
			strbuf_printf(out, ", weight %u", w);
		strbuf_puts(out, ", valid");
		if (peer)
			strbuf_puts(out, peer_is_ebgp(peer) ? ", external" : ", internal");
		else
			strbuf_puts(out, p->kind == BGP_LOCAL_NETWORK ? ", sourced, local" : ", sourced");
		if (bgp_attrs_has(&a, BGP_ATTR_ATOMIC_AGGREGATE))
			strbuf_puts(out, ", atomic-aggregate");
		if ((p->flags & PATH_F_MULTIPATH) || ((p->flags & PATH_F_BEST) && has_mp))
			strbuf_puts(out, ", multipath");
		if (p->flags & PATH_F_BEST)
			strbuf_printf(out, ", best (%s)", best_reason(s, d));
		strbuf_puts(out, "\n");
		if (bgp_attrs_has(&a, BGP_ATTR_COMMUNITIES)) {
			strbuf_puts(out, "      Community: ");
			bgp_fmt_communities(a.communities, out);
			strbuf_puts(out, "\n");
		}
		if (bgp_attrs_has(&a, BGP_ATTR_EXT_COMMUNITIES)) {
			strbuf_puts(out, "      Extended Community: ");
			bgp_fmt_ext_communities(a.ext_communities, out);
			strbuf_puts(out, "\n");
		}
		if (bgp_attrs_has(&a, BGP_ATTR_LARGE_COMMUNITIES)) {
			strbuf_puts(out, "      Large Community: ");
			bgp_fmt_large_communities(a.large_communities, out);
			strbuf_puts(out, "\n");
		}
		if (bgp_attrs_has(&a, BGP_ATTR_ORIGINATOR_ID)) {
			strbuf_printf(out, "      Originator: %s", bgp_fmt_ipv4(a.originator_id, rid, sizeof(rid)));
			if (bgp_attrs_has(&a, BGP_ATTR_CLUSTER_LIST)) {
				strbuf_puts(out, ", Cluster list: ");
				for (uint32_t i = 0; i + 4 <= a.cluster_list.len; i += 4)
					strbuf_printf(out, "%s ", bgp_fmt_ipv4(load_be32(a.cluster_list.p + i),
									       rid, sizeof(rid)));
			}
			strbuf_puts(out, "\n");
		}
	}
}

static struct json_object *path_json_detail(const struct bgp_speaker *s, const struct rib_dest *d,
					    const struct rib_path *p, bool has_mp)
{
	struct bgp_attrs a;
	char addr[INET6_ADDRSTRLEN], rid[INET_ADDRSTRLEN];
	bgp_iattrs_view(p->attrs, &a);
	const struct bgp_peer *peer = path_peer(s, p);
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "aspath", aspath_json(a.aspath, bgp_iattrs_aspath_length(p->attrs)));
	if (bgp_attrs_has(&a, BGP_ATTR_AGGREGATOR)) {
		add_int(o, "aggregatorAs", a.aggregator_as);
		add_str(o, "aggregatorId", bgp_fmt_ipv4(a.aggregator_id, rid, sizeof(rid)));
	}
	add_str(o, "origin", bgp_origin_name(a.origin));
	if (bgp_attrs_has(&a, BGP_ATTR_MED))
		add_int(o, "metric", a.med);
	if (bgp_attrs_has(&a, BGP_ATTR_LOCAL_PREF))
		add_int(o, "locPrf", a.local_pref);
	uint32_t w = p->weight;
	if (w)
		add_int(o, "weight", w);
	add_true(o, "valid");
	if (p->flags & PATH_F_STALE)
		add_true(o, "stale");
	add_int(o, "version", (int64_t)dest_version(d));
	if (!peer) {
		add_true(o, "sourced");
		if (p->kind == BGP_LOCAL_NETWORK)
			add_true(o, "local");
	}
	if (bgp_attrs_has(&a, BGP_ATTR_ATOMIC_AGGREGATE))
		add_true(o, "atomicAggregate");
	if ((p->flags & PATH_F_MULTIPATH) || ((p->flags & PATH_F_BEST) && has_mp))
		add_true(o, "multipath");
	if (p->flags & PATH_F_BEST) {
		struct json_object *b = json_object_new_object();
		add_true(b, "overall");
		add_str(b, "selectionReason", best_reason(s, d));
		json_object_object_add(o, "bestpath", b);
	}
	struct strbuf sb = STRBUF_INIT;
	if (bgp_attrs_has(&a, BGP_ATTR_COMMUNITIES)) {
		bgp_fmt_communities(a.communities, &sb);
		struct json_object *c = json_object_new_object();
		add_str(c, "string", strbuf_str(&sb));
		json_object_object_add(o, "community", c);
	}
	if (bgp_attrs_has(&a, BGP_ATTR_EXT_COMMUNITIES)) {
		strbuf_reset(&sb);
		bgp_fmt_ext_communities(a.ext_communities, &sb);
		struct json_object *c = json_object_new_object();
		add_str(c, "string", strbuf_str(&sb));
		json_object_object_add(o, "extendedCommunity", c);
	}
	if (bgp_attrs_has(&a, BGP_ATTR_LARGE_COMMUNITIES)) {
		strbuf_reset(&sb);
		bgp_fmt_large_communities(a.large_communities, &sb);
		struct json_object *c = json_object_new_object();
		add_str(c, "string", strbuf_str(&sb));
		json_object_object_add(o, "largeCommunity", c);
	}
	strbuf_free(&sb);
	if (bgp_attrs_has(&a, BGP_ATTR_ORIGINATOR_ID))
		add_str(o, "originatorId", bgp_fmt_ipv4(a.originator_id, rid, sizeof(rid)));
	struct nh_view nh;
	nh_of(&a, d->family, &nh);
	nexthops_json(o, &nh, path_hostname(s, p), true);
	struct json_object *pj = json_object_new_object();
	add_str(pj, "peerId", peer ? ipaddr_fmt(&peer->cfg.addr, addr, sizeof(addr))
			       : d->family == BGP_FAM_IPV6 ? "::" : "0.0.0.0");
	add_str(pj, "routerId", bgp_fmt_ipv4(peer ? peer->remote_id : s->cfg.router_id, rid, sizeof(rid)));
	if (peer && peer->remote_hostname[0])
		add_str(pj, "hostname", peer->remote_hostname);
	if (peer)
		add_str(pj, "type", peer_is_ebgp(peer) ? "external" : "internal");
	json_object_object_add(o, "peer", pj);
	return o;
}

static void detail_json(const struct bgp_speaker *s, const struct rib_dest *d,
			const struct prefix *pfx, struct strbuf *out)
{
	char buf[PREFIX_STRLEN], addr[INET6_ADDRSTRLEN];
	struct json_object *o = json_object_new_object();
	add_str(o, "prefix", prefix_fmt(pfx, buf, sizeof(buf)));
	add_int(o, "version", (int64_t)dest_version(d));
	struct json_object *adv = NULL;
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		const struct bgp_peer *peer = speaker_peer(s, i);
		if (!peer || !rib_adv(d, i))
			continue;
		if (!adv)
			adv = json_object_new_object();
		struct json_object *e = json_object_new_object();
		if (peer->remote_hostname[0])
			add_str(e, "hostname", peer->remote_hostname);
		json_object_object_add(adv, ipaddr_fmt(&peer->cfg.addr, addr, sizeof(addr)), e);
	}
	if (adv)
		json_object_object_add(o, "advertisedTo", adv);
	bool has_mp = false;
	for (const struct rib_path *p = rib_paths(d); p; p = p->next)
		has_mp |= p->attrs && (p->flags & PATH_F_MULTIPATH);
	struct json_object *paths = json_object_new_array();
	for (const struct rib_path *p = rib_paths(d); p; p = p->next)
		if (p->attrs)
			json_object_array_add(paths, path_json_detail(s, d, p, has_mp));
	json_object_object_add(o, "paths", paths);
	show_json_out(o, out);
}

void bgp_show_routes(const struct bgp_speaker *s, uint8_t fam, const struct prefix *p, bool json,
		     const struct bgp_show_opts *o, struct strbuf *out)
{
	(void)o;
	if (fam >= BGP_FAM_COUNT)
		fam = BGP_FAM_IPV4;
	if (!p) {
		show_table(s, fam, 0xffff, json, out);
		return;
	}
	if (p->family != (fam == BGP_FAM_IPV6 ? AF_INET6 : AF_INET)) {
		strbuf_puts(out, json ? "{\n}\n" : "% Network not in table\n");
		return;
	}
	/* A lookup changes nothing: the cast is for rib_dest_get's other use. */
	const struct rib_dest *d = rib_dest_get((struct bgp_rib *)&s->rib, p, false);
	if (!d || !dest_paths(d)) {
		strbuf_puts(out, json ? "{\n}\n" : "% Network not in table\n");
		return;
	}
	if (json)
		detail_json(s, d, p, out);
	else
		detail_text(s, d, p, out);
}

/* A neighbor's routes */

/* The next hop FRR shows in advertised-routes: 0.0.0.0 (or ::) where nvad
 * put its own address (session.c's nh4, nh6), as FRR fills that in only when
 * it writes the UPDATE. */
static void adv_nh(const struct bgp_peer *p, uint8_t fam, const struct bgp_attrs *a,
		   struct nh_view *v)
{
	nh_of(a, fam, v);
	bool self;
	if (fam == BGP_FAM_IPV4)
		self = p->nh4.family == AF_INET && a->nexthop == load_be32(p->nh4.a);
	else
		self = p->nh6.family == AF_INET6 && a->mp_nh_len >= 16 &&
		       memcmp(a->mp_nh, p->nh6.a, 16) == 0;
	if (self) {
		snprintf(v->global, sizeof(v->global), "%s", fam == BGP_FAM_IPV4 ? "0.0.0.0" : "::");
		v->ll[0] = '\0';
	}
}

static struct json_object *adj_json_head(const struct bgp_speaker *s)
{
	char rid[INET_ADDRSTRLEN];
	struct json_object *o = json_object_new_object();
	add_int(o, "bgpTableVersion", (int64_t)s->rib.seq);
	add_str(o, "bgpLocalRouterId", bgp_fmt_ipv4(s->cfg.router_id, rid, sizeof(rid)));
	add_int(o, "defaultLocPrf", 100);
	add_int(o, "localAS", s->cfg.asn);
	struct json_object *sc = json_object_new_object();
	static const char *const codes[][2] = {
		{ "suppressed", "s" }, { "damped", "d" },   { "history", "h" },    { "valid", "*" },
		{ "best", ">" },       { "multipath", "=" }, { "internal", "i" },  { "ribFailure", "r" },
		{ "stale", "S" },      { "removed", "R" },
	};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		add_str(sc, codes[i][0], codes[i][1]);
	json_object_object_add(o, "bgpStatusCodes", sc);
	struct json_object *oc = json_object_new_object();
	add_str(oc, "igp", "i");
	add_str(oc, "egp", "e");
	add_str(oc, "incomplete", "?");
	json_object_object_add(o, "bgpOriginCodes", oc);
	return o;
}

static struct json_object *adj_json_route(const struct prefix *pfx, const char *nh,
					  const struct bgp_attrs *a, uint32_t weight,
					  struct bgp_bytes path)
{
	char buf[PREFIX_STRLEN], addr[INET6_ADDRSTRLEN];
	struct json_object *r = json_object_new_object();
	inet_ntop(pfx->family, pfx->a, addr, sizeof(addr));
	add_str(r, "addrPrefix", addr);
	add_int(r, "prefixLen", pfx->len);
	add_str(r, "network", prefix_fmt(pfx, buf, sizeof(buf)));
	add_str(r, "nextHop", nh);
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		add_int(r, "metric", a->med);
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		add_int(r, "locPrf", a->local_pref);
	add_int(r, "weight", weight);
	struct strbuf sb = STRBUF_INIT;
	aspath_str(path, &sb);
	add_str(r, "path", strbuf_str(&sb));
	strbuf_free(&sb);
	char oc[2] = { bgp_origin_code(a->origin), '\0' };
	add_str(r, "bgpOriginCode", oc);
	struct json_object *st = json_object_new_object();
	add_true(st, "*");
	add_true(st, ">");
	json_object_object_add(r, "appliedStatusSymbols", st);
	return r;
}

/* advertised-routes and received-routes: one line per prefix, as FRR's
 * route_vty_out_tmp. */
static void show_adj(const struct bgp_speaker *s, const struct bgp_peer *peer, uint8_t fam,
		     bool advertised, bool json, struct strbuf *out)
{
	struct json_object *routes = json ? json_object_new_object() : NULL;
	unsigned count = 0;
	size_t nd = 0;
	struct rib_dest **v = rib_sorted(&s->rib, fam, &nd);
	for (size_t k = 0; k < nd; k++) {
		const struct rib_dest *d = v[k];
		const struct bgp_iattrs *ia = NULL;
		uint32_t weight = peer->cfg.af[fam].weight;
		if (advertised) {
			ia = adjout_advertised(peer, d);
			if (ia)
				weight = rib_best(d)->weight;
		} else {
			for (const struct rib_path *p = rib_paths(d); p && !ia; p = p->next)
				if (p->slot == peer->slot && rib_path_raw(p))
					ia = rib_path_raw(p);
		}
		if (!ia)
			continue;
		struct prefix pfx;
		struct bgp_attrs a;
		struct nh_view nh;
		uint8_t pbuf[4096];
		rib_dest_prefix(d, &pfx);
		bgp_iattrs_view(ia, &a);
		struct bgp_bytes path = a.aspath;
		if (advertised) {
			adv_nh(peer, fam, &a, &nh);
			if (peer_is_ebgp(peer))
				path = strip_own_as(a.aspath, s->cfg.asn, pbuf, sizeof(pbuf));
		} else {
			nh_of(&a, fam, &nh);
		}
		if (json) {
			char buf[PREFIX_STRLEN];
			json_object_object_add(routes, prefix_fmt(&pfx, buf, sizeof(buf)),
					       adj_json_route(&pfx, nh_shown(&nh), &a, weight, path));
		} else {
			if (!count)
				table_header(s, out);
			row_text(out, "*> ", &pfx, nh_shown(&nh), &a, weight, path);
		}
		if (advertised) /* computed for this show: its reference goes */
			bgp_attr_unref((struct bgp_attr_table *)&s->rib.attrs, ia);
		count++;
	}
	free(v);
	if (json) {
		struct json_object *o = count ? adj_json_head(s) : json_object_new_object();
		json_object_object_add(o, advertised ? "advertisedRoutes" : "receivedRoutes", routes);
		add_int(o, "totalPrefixCounter", count);
		add_int(o, "filteredPrefixCounter", 0);
		show_json_out(o, out);
	} else if (count) {
		strbuf_printf(out, "\nTotal number of prefixes %u\n", count);
	}
}

static void json_warning(struct strbuf *out, const char *msg)
{
	struct json_object *o = json_object_new_object();
	add_str(o, "warning", msg);
	show_json_out(o, out);
}

bool bgp_show_neighbor_routes(const struct bgp_speaker *s, const struct ipaddr *a, uint8_t fam,
			      int which, bool json, const struct bgp_show_opts *o,
			      struct strbuf *out)
{
	(void)o;
	if (fam >= BGP_FAM_COUNT)
		fam = BGP_FAM_IPV4;
	const struct bgp_peer *peer = show_peer_find(s, a);
	if (!peer) {
		if (json)
			json_warning(out, "No such neighbor in this view/vrf");
		else
			strbuf_puts(out, "No such neighbor in this view/vrf\n");
		return false;
	}
	if (!peer->cfg.af[fam].active) {
		if (json)
			json_warning(out, "No such neighbor or address family");
		else
			strbuf_puts(out, "% No such neighbor or address family\n");
		return false;
	}
	switch (which) {
	case BGP_SHOW_ADVERTISED:
		show_adj(s, peer, fam, true, json, out);
		return true;
	case BGP_SHOW_RECEIVED:
		if (!peer->cfg.af[fam].soft_reconfig_in) {
			if (json)
				json_warning(out, "Inbound soft reconfiguration not enabled");
			else
				strbuf_puts(out, "% Inbound soft reconfiguration not enabled\n");
			return false;
		}
		show_adj(s, peer, fam, false, json, out);
		return true;
	default:
		show_table(s, fam, peer->slot, json, out);
		return true;
	}
}

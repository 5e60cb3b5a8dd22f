/* model.c: the Azure routing rules of docs/azure-model.md as pure functions.
 * azlab_model_build runs the control plane once (Route Servers, gateways,
 * MSEEs, effective routes); path.c walks packets through the result. */
#include "azlab/model.h"
#include "azlab/model_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *azlab_rsource_name(enum azlab_rsource s)
{
	static const char *const n[] = { "Default", "User", "VirtualNetworkGateway" };
	return (unsigned)s < 3 ? n[s] : "?";
}

const char *azlab_rstate_name(enum azlab_rstate s)
{
	return s == AZLAB_ACTIVE ? "Active" : "Invalid";
}

/* ---- feed ---- */

bool azlab_feed_add(struct azlab_feed *f, const struct azlab_feed_route *r)
{
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 16;
		struct azlab_feed_route *nv = realloc(f->v, nc * sizeof *nv);
		if (!nv)
			return false;
		f->v = nv;
		f->cap = nc;
	}
	f->v[f->n++] = *r;
	return true;
}

void azlab_feed_free(struct azlab_feed *f)
{
	free(f->v);
	*f = (struct azlab_feed)AZLAB_FEED_INIT;
}

static bool rs_peers_with(const struct azlab_route_server *rs, uint32_t ip)
{
	for (size_t i = 0; i < rs->n_connections; i++)
		if (rs->connections[i].peer_ip == ip)
			return true;
	return false;
}

bool azlab_feed_from_topology(const struct azlab_topo *t, struct azlab_feed *f)
{
	for (size_t v = 0; v < t->n_vms; v++) {
		const struct azlab_vm *vm = &t->vms[v];
		if (!vm->nva)
			continue;
		for (size_t a = 0; a < vm->nva->n_adverts; a++) {
			const struct azlab_advert *ad = &vm->nva->adverts[a];
			struct azlab_feed_route r = { .vm = (int)v, .prefix = ad->prefix,
						      .next_hop = ad->has_next_hop ? ad->next_hop : vm->ip,
						      .no_advertise = ad->no_advertise };
			if (ad->n_as_path) {
				r.n_as = (uint8_t)(ad->n_as_path > AZLAB_MAX_ASPATH ? AZLAB_MAX_ASPATH :
										    ad->n_as_path);
				memcpy(r.as_path, ad->as_path, r.n_as * sizeof(uint32_t));
			} else {
				r.as_path[0] = vm->nva->asn;
				r.n_as = 1;
			}
			for (size_t s = 0; s < t->n_route_servers; s++) {
				bool named = false;
				for (size_t k = 0; k < ad->n_to; k++)
					if (strcmp(ad->to[k], t->route_servers[s].name) == 0)
						named = true;
				if (ad->n_to ? !named : !rs_peers_with(&t->route_servers[s], vm->ip))
					continue;
				r.route_server = (int)s;
				if (!azlab_feed_add(f, &r))
					return false;
			}
		}
	}
	for (size_t s = 0; s < t->n_sites; s++) {
		const struct azlab_site *site = &t->sites[s];
		if (!azlab_site_runs_ce(site))
			continue;
		for (size_t i = 0; i < site->n_prefixes; i++) {
			struct azlab_feed_route r = { .vm = -1, .route_server = -1, .from_site = true,
						      .site = (int)s, .prefix = site->prefixes[i],
						      .as_path = { site->asn }, .n_as = 1,
						      .next_hop = site->router_ip };
			if (!azlab_feed_add(f, &r))
				return false;
		}
	}
	return true;
}

bool azlab_site_runs_ce(const struct azlab_site *s)
{
	return s->software != AZLAB_SW_NONE && s->config;
}

/* ---- route lists ---- */

bool azlab_rlist_add(struct azlab_model *m, struct azlab_rlist *l, const struct azlab_bgp_route *r)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 8;
		struct azlab_bgp_route *nv = realloc(l->v, nc * sizeof *nv);
		if (!nv) {
			m->oom = true;
			return false;
		}
		l->v = nv;
		l->cap = nc;
	}
	l->v[l->n++] = *r;
	return true;
}

static void rlist_free(struct azlab_rlist *l)
{
	free(l->v);
}

static bool path_has(const struct azlab_bgp_route *r, uint32_t asn)
{
	for (size_t i = 0; i < r->n_as; i++)
		if (r->as_path[i] == asn)
			return true;
	return false;
}

static bool prepend(struct azlab_bgp_route *r, uint32_t asn)
{
	if (r->n_as >= AZLAB_MAX_ASPATH)
		return false;
	memmove(r->as_path + 1, r->as_path, r->n_as * sizeof(uint32_t));
	r->as_path[0] = asn;
	r->n_as++;
	return true;
}

static bool private_asn(uint32_t a)
{
	return (a >= 64512 && a <= 65534) || (a >= 4200000000u && a <= 4294967294u);
}

void azlab_aspath_fmt(const uint32_t *p, size_t n, char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < cap; i++) {
		int w = snprintf(buf + used, cap - used, "%s%u", i ? " " : "", p[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static const struct azlab_bgp_route *best_of(const struct azlab_rlist *l, struct azlab_pfx p)
{
	const struct azlab_bgp_route *b = NULL;
	for (size_t i = 0; i < l->n; i++)
		if (azlab_pfx_eq(l->v[i].prefix, p) && (!b || l->v[i].n_as < b->n_as))
			b = &l->v[i];
	return b;
}

/* BGP's choice between two routes for one prefix that a single speaker
 * (Route Server instance, gateway, MSEE) sends on: the shorter AS path, then
 * the lower next hop as received (the lower peer address, RFC 4271 9.1.2.2).
 * An ER route against an NVA route follows hubRoutingPreference (R-D9):
 * ExpressRoute (and VpnGateway, no VPN gateways here) keeps ER, ASPath the
 * shorter path, ER on a tie. A VNet's own range (no path) beats both. */
static bool route_better(int pref, const struct azlab_bgp_route *a, const struct azlab_bgp_route *b)
{
	bool a_er = a->origin_kind == AZLAB_FROM_GATEWAY || a->origin_kind == AZLAB_FROM_SITE;
	bool b_er = b->origin_kind == AZLAB_FROM_GATEWAY || b->origin_kind == AZLAB_FROM_SITE;
	bool a_nva = a->origin_kind == AZLAB_FROM_NVA, b_nva = b->origin_kind == AZLAB_FROM_NVA;
	if (a->origin_kind == AZLAB_FROM_VNET || b->origin_kind == AZLAB_FROM_VNET)
		return a->origin_kind == AZLAB_FROM_VNET && b->origin_kind != AZLAB_FROM_VNET;
	if ((a_er && b_nva) || (a_nva && b_er)) {
		if (pref == AZLAB_PREF_ASPATH && a->n_as != b->n_as)
			return a->n_as < b->n_as;
		return a_er;
	}
	if (a->n_as != b->n_as)
		return a->n_as < b->n_as;
	return a->next_hop < b->next_hop;
}

/* Adds to out, for each prefix of in that keep() lets through, the one
 * route route_better picks (a BGP speaker sends one path per prefix). */
static void add_best_per_prefix(struct azlab_model *m, struct azlab_rlist *out,
				const struct azlab_rlist *in, int pref,
				bool (*keep)(const struct azlab_bgp_route *r, int arg), int arg)
{
	for (size_t i = 0; i < in->n; i++) {
		const struct azlab_bgp_route *r = &in->v[i];
		if (keep && !keep(r, arg))
			continue;
		bool best = true;
		for (size_t j = 0; j < in->n && best; j++) {
			const struct azlab_bgp_route *o = &in->v[j];
			if (j == i || !azlab_pfx_eq(o->prefix, r->prefix) || (keep && !keep(o, arg)))
				continue;
			/* strictly better, or as good and earlier: one winner */
			if (route_better(pref, o, r) || (j < i && !route_better(pref, r, o)))
				best = false;
		}
		if (best)
			azlab_rlist_add(m, out, r);
	}
}

/* ---- topology helpers ---- */

/* The peering vnet -> remote when both sides exist (Connected), else -1. */
int azlab_connected_peering(const struct azlab_topo *t, int vnet, int remote)
{
	for (size_t i = 0; i < t->n_peerings; i++) {
		const struct azlab_peering *p = &t->peerings[i];
		if (p->vnet == vnet && p->remote == remote && p->reverse >= 0)
			return (int)i;
	}
	return -1;
}

/* The VNet whose gateways vnet uses (useRemoteGateways on a Connected peering
 * whose other side allows gateway transit), -1 without. */
int azlab_remote_gateway_vnet(const struct azlab_topo *t, int vnet)
{
	for (size_t i = 0; i < t->n_peerings; i++) {
		const struct azlab_peering *p = &t->peerings[i];
		if (p->vnet == vnet && p->use_remote && p->reverse >= 0 &&
		    t->peerings[p->reverse].gw_transit)
			return p->remote;
	}
	return -1;
}

bool azlab_vnet_has(const struct azlab_topo *t, int vnet, uint32_t ip)
{
	for (size_t i = 0; i < t->vnets[vnet].n_prefixes; i++)
		if (azlab_pfx_has(t->vnets[vnet].prefixes[i], ip))
			return true;
	return false;
}

static bool vnet_covers(const struct azlab_topo *t, int vnet, struct azlab_pfx p)
{
	for (size_t i = 0; i < t->vnets[vnet].n_prefixes; i++)
		if (azlab_pfx_covers(t->vnets[vnet].prefixes[i], p))
			return true;
	return false;
}

static void add_vnet_ranges(struct azlab_model *m, struct azlab_rlist *l, int vnet, uint32_t nh)
{
	const struct azlab_vnet *v = &m->t->vnets[vnet];
	for (size_t i = 0; i < v->n_prefixes; i++) {
		struct azlab_bgp_route r = { .prefix = v->prefixes[i], .next_hop = nh,
					     .origin_kind = AZLAB_FROM_VNET, .origin = vnet,
					     .circuit = -1, .instance = -1 };
		azlab_rlist_add(m, l, &r);
	}
}

/* ---- Route Servers: what they accept (R-D1, R-D2, R-D7) ---- */

static int rs_connection_of(const struct azlab_route_server *rs, uint32_t ip)
{
	for (size_t i = 0; i < rs->n_connections; i++)
		if (rs->connections[i].peer_ip == ip)
			return (int)i;
	return -1;
}

static void rs_accept(struct azlab_model *m, const struct azlab_feed *feed)
{
	const struct azlab_topo *t = m->t;
	char pb[AZLAB_PFXSTR];
	for (size_t s = 0; s < t->n_route_servers; s++) {
		const struct azlab_route_server *rs = &t->route_servers[s];
		for (size_t c = 0; c < rs->n_connections; c++) {
			const struct azlab_bgp_connection *bc = &rs->connections[c];
			size_t count = 0;
			for (size_t i = 0; i < feed->n; i++)
				if (feed->v[i].route_server == (int)s && feed->v[i].vm >= 0 &&
				    t->vms[feed->v[i].vm].ip == bc->peer_ip)
					count++;
			if (count > 1000) { /* R-D2 */
				azlab_diag_add(&m->notes,
					       "R-D2: %s sends %zu routes to Route Server %s (limit 1000): the session is reset, none is used",
					       bc->name, count, rs->name);
				continue;
			}
			for (size_t i = 0; i < feed->n; i++) {
				const struct azlab_feed_route *f = &feed->v[i];
				if (f->route_server != (int)s || f->vm < 0 || (size_t)f->vm >= t->n_vms ||
				    t->vms[f->vm].ip != bc->peer_ip)
					continue;
				struct azlab_bgp_route r = { .prefix = f->prefix, .next_hop = f->next_hop,
							     .n_as = f->n_as, .no_advertise = f->no_advertise,
							     .origin_kind = AZLAB_FROM_NVA, .origin = f->vm,
							     .circuit = -1, .instance = -1 };
				memcpy(r.as_path, f->as_path, sizeof r.as_path);
				if (path_has(&r, AZLAB_ASN_AZURE)) { /* R-D7, R-C4 */
					azlab_diag_add(&m->notes,
						       "R-D7: Route Server %s drops %s from %s: its AS path holds 65515",
						       rs->name, azlab_pfx_fmt(r.prefix, pb), bc->name);
					continue;
				}
				azlab_rlist_add(m, &m->rs_in[s], &r);
			}
		}
		/* routes fed for a Route Server the NVA has no connection with */
		for (size_t i = 0; i < feed->n; i++) {
			const struct azlab_feed_route *f = &feed->v[i];
			if (f->route_server == (int)s && f->vm >= 0 && (size_t)f->vm < t->n_vms &&
			    rs_connection_of(rs, t->vms[f->vm].ip) < 0)
				azlab_diag_add(&m->notes,
					       "%s advertises %s to Route Server %s, which has no bgpConnection to %s: ignored",
					       t->vms[f->vm].name, azlab_pfx_fmt(f->prefix, pb),
					       rs->name, t->vms[f->vm].name);
		}
	}
}

/* ---- ExpressRoute (R-C2..R-C6, R-C8) ---- */

/* A route a Route Server passes on: not NO_ADVERTISE (R-D8), and not back to
 * the NVA it came from (nva; -1: none). */
static bool advertisable(const struct azlab_bgp_route *r, int nva)
{
	return !r->no_advertise && !(nva >= 0 && r->origin_kind == AZLAB_FROM_NVA && r->origin == nva);
}

static void gateway_advertise(struct azlab_model *m)
{
	const struct azlab_topo *t = m->t;
	for (size_t g = 0; g < t->n_gateways; g++) {
		const struct azlab_er_gateway *gw = &t->gateways[g];
		struct azlab_rlist *out = &m->gw_adv[g];
		if (gw->vnet < 0)
			continue;
		add_vnet_ranges(m, out, gw->vnet, gw->ip);
		/* spokes that use this gateway (R-C2, R-B5) */
		for (size_t v = 0; v < t->n_vnets; v++)
			if (azlab_remote_gateway_vnet(t, (int)v) == gw->vnet)
				add_vnet_ranges(m, out, (int)v, gw->ip);
		/* NVA routes through the Route Server, with branch-to-branch (R-C2,
		 * R-D5): one path per prefix, the best of those the NVAs sent */
		int s = azlab_topo_vnet_route_server(t, gw->vnet);
		size_t from = out->n;
		if (s >= 0 && t->route_servers[s].b2b)
			add_best_per_prefix(m, out, &m->rs_in[s], t->route_servers[s].preference,
					    advertisable, -1);
		for (size_t i = 0; i < out->n; i++) {
			if (i >= from)
				out->v[i].next_hop = gw->ip;
			prepend(&out->v[i], AZLAB_ASN_AZURE);
		}
		if (out->n > 1000) { /* R-C8 */
			azlab_diag_add(&m->notes,
				       "R-C8: gateway %s would advertise %zu routes (limit 1000): its BGP sessions to the MSEE drop",
				       gw->name, out->n);
			out->n = 0;
		}
	}
}

static void msee_collect(struct azlab_model *m, const struct azlab_feed *feed)
{
	const struct azlab_topo *t = m->t;
	for (size_t c = 0; c < t->n_circuits; c++) {
		for (size_t g = 0; g < t->n_gateways; g++)
			for (size_t k = 0; k < t->gateways[g].n_connections; k++) {
				if (t->gateways[g].connections[k].circuit != (int)c)
					continue;
				for (size_t i = 0; i < m->gw_adv[g].n; i++) {
					struct azlab_bgp_route r = m->gw_adv[g].v[i];
					r.origin_kind = AZLAB_FROM_GATEWAY;
					r.origin = (int)g;
					r.circuit = (int)c;
					azlab_rlist_add(m, &m->msee[c], &r);
				}
			}
		for (size_t s = 0; s < t->n_sites; s++) {
			const struct azlab_site *site = &t->sites[s];
			if (site->circuit != (int)c)
				continue;
			size_t limit = t->circuits[c].sku == 1 ? 10000 : 4000;
			bool ce = azlab_site_runs_ce(site);
			size_t n = 0;
			for (size_t i = 0; ce && i < feed->n; i++)
				n += feed->v[i].from_site && feed->v[i].site == (int)s;
			if (!ce)
				n = site->n_prefixes;
			if (n > limit) { /* R-C8 */
				azlab_diag_add(&m->notes,
					       "R-C8: site %s sends %zu prefixes over %s (limit %zu): the session drops",
					       site->name, n, t->circuits[c].name, limit);
				continue;
			}
			/* a CE router's routes as it sent them (the feed) */
			for (size_t i = 0; ce && i < feed->n; i++) {
				const struct azlab_feed_route *f = &feed->v[i];
				if (!f->from_site || f->site != (int)s)
					continue;
				struct azlab_bgp_route r = { .prefix = f->prefix, .next_hop = f->next_hop,
							     .n_as = f->n_as, .origin_kind = AZLAB_FROM_SITE,
							     .origin = (int)s, .circuit = (int)c,
							     .instance = -1 };
				memcpy(r.as_path, f->as_path, sizeof r.as_path);
				azlab_rlist_add(m, &m->msee[c], &r);
			}
			for (size_t i = 0; !ce && i < site->n_prefixes; i++) {
				struct azlab_bgp_route r = { .prefix = site->prefixes[i],
							     .next_hop = site->router_ip,
							     .as_path = { site->asn }, .n_as = 1,
							     .origin_kind = AZLAB_FROM_SITE,
							     .origin = (int)s, .circuit = (int)c,
							     .instance = -1 };
				azlab_rlist_add(m, &m->msee[c], &r);
			}
		}
	}
}

static bool gateway_on_circuit(const struct azlab_er_gateway *g, int c)
{
	for (size_t k = 0; k < g->n_connections; k++)
		if (g->connections[k].circuit == c)
			return true;
	return false;
}

static void gateway_learn(struct azlab_model *m)
{
	const struct azlab_topo *t = m->t;
	char pb[AZLAB_PFXSTR];
	for (size_t h = 0; h < t->n_gateways; h++) {
		const struct azlab_er_gateway *gw = &t->gateways[h];
		for (size_t c = 0; c < t->n_circuits; c++) {
			if (!gateway_on_circuit(gw, (int)c))
				continue;
			bool noted = false;
			for (size_t i = 0; i < m->msee[c].n; i++) {
				struct azlab_bgp_route r = m->msee[c].v[i];
				if (r.origin_kind == AZLAB_FROM_GATEWAY) {
					if (r.origin == (int)h) /* not back to where it came from */
						continue;
					/* R-C6: VNet-to-VNet over a circuit needs the knob on both */
					if (!gw->allow_remote_vnet || !t->gateways[r.origin].allow_remote_vnet) {
						if (!noted)
							azlab_diag_add(&m->notes,
								       "R-C6: %s does not learn the VNet routes of %s over %s (allowRemoteVnetTraffic is off on %s)",
								       gw->name, t->gateways[r.origin].name,
								       t->circuits[c].name,
								       gw->allow_remote_vnet ?
									       t->gateways[r.origin].name :
									       gw->name);
						noted = true;
						continue;
					}
				}
				/* R-C3: toward a gateway, 65515 becomes 12076 and 12076 is prepended */
				for (size_t k = 0; k < r.n_as; k++)
					if (r.as_path[k] == AZLAB_ASN_AZURE)
						r.as_path[k] = AZLAB_ASN_MSEE;
				prepend(&r, AZLAB_ASN_MSEE);
				if (path_has(&r, AZLAB_ASN_AZURE)) { /* R-C4 */
					azlab_diag_add(&m->notes, "R-C4: %s drops %s (AS path holds 65515)",
						       gw->name, azlab_pfx_fmt(r.prefix, pb));
					continue;
				}
				r.next_hop = gw->ip;
				azlab_rlist_add(m, &m->gw_in[h], &r);
			}
		}
	}
}

static void site_learn(struct azlab_model *m)
{
	const struct azlab_topo *t = m->t;
	for (size_t s = 0; s < t->n_sites; s++) {
		int c = t->sites[s].circuit;
		if (c < 0)
			continue;
		struct azlab_rlist all = { 0 };
		for (size_t i = 0; i < m->msee[c].n; i++) {
			struct azlab_bgp_route r = m->msee[c].v[i];
			if (r.origin_kind != AZLAB_FROM_GATEWAY) /* no site-to-site without Global Reach */
				continue;
			/* R-C3: toward on-premises, private ASNs stripped and 12076 prepended */
			uint8_t k = 0;
			for (size_t j = 0; j < r.n_as; j++)
				if (!private_asn(r.as_path[j]))
					r.as_path[k++] = r.as_path[j];
			r.n_as = k;
			prepend(&r, AZLAB_ASN_MSEE);
			azlab_rlist_add(m, &all, &r);
		}
		/* the MSEE sends the site one path per prefix (two gateways may
		 * advertise the same range) */
		add_best_per_prefix(m, &m->site_in[s], &all, AZLAB_PREF_EXPRESSROUTE, NULL, 0);
		rlist_free(&all);
	}
}

/* ---- Route Servers: what they send to NVAs (R-D4) ---- */

static void rs_advertise(struct azlab_model *m)
{
	const struct azlab_topo *t = m->t;
	for (size_t s = 0; s < t->n_route_servers; s++) {
		const struct azlab_route_server *rs = &t->route_servers[s];
		if (rs->vnet < 0)
			continue;
		for (size_t c = 0; c < rs->n_connections; c++) {
			struct azlab_rlist tmp = { 0 }, best = { 0 };
			int nva = rs->connections[c].vm;
			add_vnet_ranges(m, &tmp, rs->vnet, 0);
			for (size_t v = 0; v < t->n_vnets; v++)
				if (azlab_remote_gateway_vnet(t, (int)v) == rs->vnet)
					add_vnet_ranges(m, &tmp, (int)v, 0);
			/* other NVAs' routes: not back to the sender; NO_ADVERTISE
			 * stays in the VNet (R-D8) */
			for (size_t i = 0; i < m->rs_in[s].n; i++)
				if (advertisable(&m->rs_in[s].v[i], nva))
					azlab_rlist_add(m, &tmp, &m->rs_in[s].v[i]);
			int g = azlab_topo_vnet_gateway(t, rs->vnet);
			if (rs->b2b && g >= 0)
				for (size_t i = 0; i < m->gw_in[g].n; i++)
					azlab_rlist_add(m, &tmp, &m->gw_in[g].v[i]);
			/* one path per prefix, as any BGP speaker: two NVAs sending one
			 * prefix give a third NVA the better of the two (R-D5) */
			add_best_per_prefix(m, &best, &tmp, rs->preference, NULL, 0);
			for (int inst = 0; inst < 2 && rs->has_ips; inst++)
				for (size_t i = 0; i < best.n; i++) {
					struct azlab_bgp_route r = best.v[i];
					prepend(&r, AZLAB_ASN_AZURE);
					r.next_hop = rs->ips[inst];
					r.instance = inst;
					azlab_rlist_add(m, &m->rs_out[s][c], &r);
				}
			rlist_free(&tmp);
			rlist_free(&best);
		}
	}
}

/* ---- effective routes (R-A1..R-A10, R-B5, R-D5, R-D6, R-D9, R-E3) ---- */

static void eff_add(struct azlab_model *m, struct azlab_eff_table *tb, const struct azlab_eff_route *r)
{
	if (tb->n == tb->cap) {
		size_t nc = tb->cap ? tb->cap * 2 : 16;
		struct azlab_eff_route *nv = realloc(tb->v, nc * sizeof *nv);
		if (!nv) {
			m->oom = true;
			return;
		}
		tb->v = nv;
		tb->cap = nc;
	}
	tb->v[tb->n++] = *r;
}

static struct azlab_eff_route sys_route(struct azlab_pfx p, enum azlab_nh_type nh, const char *rule)
{
	struct azlab_eff_route r = { .source = AZLAB_SRC_DEFAULT, .state = AZLAB_ACTIVE, .prefix = p,
				     .nh_type = nh, .gateway = -1, .route_server = -1, .peer_vnet = -1,
				     .rule = rule };
	return r;
}

static void add_system(struct azlab_model *m, struct azlab_eff_table *tb, int vnet)
{
	static const struct azlab_pfx reserved[] = {
		{ 0x0a000000u, 8 }, { 0xac100000u, 12 }, { 0xc0a80000u, 16 }, { 0x64400000u, 10 },
	};
	const struct azlab_vnet *v = &m->t->vnets[vnet];
	for (size_t i = 0; i < v->n_prefixes; i++) {
		struct azlab_eff_route r = sys_route(v->prefixes[i], AZLAB_NH_VNET_LOCAL, "R-A1");
		eff_add(m, tb, &r);
	}
	struct azlab_eff_route inet = sys_route((struct azlab_pfx){ 0, 0 }, AZLAB_NH_INTERNET, "R-A1");
	eff_add(m, tb, &inet);
	for (size_t k = 0; k < sizeof reserved / sizeof *reserved; k++) {
		bool equal = false; /* R-A2: a VNet range equal to it replaces it */
		for (size_t i = 0; i < v->n_prefixes; i++)
			if (azlab_pfx_eq(v->prefixes[i], reserved[k]))
				equal = true;
		if (!equal) {
			struct azlab_eff_route r = sys_route(reserved[k], AZLAB_NH_NONE, "R-A1");
			eff_add(m, tb, &r);
		}
	}
}

static void add_peerings(struct azlab_model *m, struct azlab_eff_table *tb, int vnet)
{
	const struct azlab_topo *t = m->t;
	for (size_t i = 0; i < t->n_peerings; i++) {
		const struct azlab_peering *p = &t->peerings[i];
		if (p->vnet != vnet || p->reverse < 0 || p->remote < 0) /* R-A3: Connected only */
			continue;
		const struct azlab_vnet *rv = &t->vnets[p->remote];
		for (size_t k = 0; k < rv->n_prefixes; k++) {
			struct azlab_eff_route r = sys_route(rv->prefixes[k], AZLAB_NH_VNET_PEERING,
							     "R-A3");
			r.peer_vnet = p->remote;
			eff_add(m, tb, &r);
		}
	}
}

static void add_endpoints(struct azlab_model *m, struct azlab_eff_table *tb, int vnet)
{
	const struct azlab_topo *t = m->t;
	for (size_t i = 0; i < t->n_pes; i++) {
		const struct azlab_pe *e = &t->pes[i];
		if (e->vnet < 0 || (e->vnet != vnet && azlab_connected_peering(t, vnet, e->vnet) < 0))
			continue;
		struct azlab_eff_route r = sys_route((struct azlab_pfx){ e->ip, 32 },
						     AZLAB_NH_INTERFACE_ENDPOINT, "R-E3");
		r.peer_vnet = (int)i;
		eff_add(m, tb, &r);
	}
}

static void add_gateway_routes(struct azlab_model *m, struct azlab_eff_table *tb, int g)
{
	const struct azlab_rlist *l = &m->gw_in[g];
	for (size_t i = 0; i < l->n; i++) {
		const struct azlab_bgp_route *b = best_of(l, l->v[i].prefix);
		if (b != &l->v[i]) /* one entry per prefix: the shortest path */
			continue;
		struct azlab_eff_route r = { .source = AZLAB_SRC_VNG, .state = AZLAB_ACTIVE,
					     .prefix = b->prefix,
					     .nh_type = AZLAB_NH_VIRTUAL_NETWORK_GATEWAY,
					     .nh_ips = { m->t->gateways[g].ip }, .n_nh = 1,
					     .gateway = g, .route_server = -1, .peer_vnet = -1,
					     .as_len = b->n_as, .rule = "R-A4" };
		eff_add(m, tb, &r);
	}
}

static void add_rs_routes(struct azlab_model *m, struct azlab_eff_table *tb, int s)
{
	const struct azlab_topo *t = m->t;
	const struct azlab_rlist *l = &m->rs_in[s];
	int rsv = t->route_servers[s].vnet;
	for (size_t i = 0; i < l->n; i++) {
		const struct azlab_bgp_route *b = best_of(l, l->v[i].prefix);
		bool first = true;
		for (size_t j = 0; j < i; j++)
			if (azlab_pfx_eq(l->v[j].prefix, l->v[i].prefix))
				first = false;
		if (!first || !b)
			continue;
		if (rsv >= 0 && vnet_covers(t, rsv, b->prefix)) /* R-D6 */
			continue;
		struct azlab_eff_route r = { .source = AZLAB_SRC_VNG, .state = AZLAB_ACTIVE,
					     .prefix = b->prefix,
					     .nh_type = AZLAB_NH_VIRTUAL_NETWORK_GATEWAY,
					     .gateway = -1, .route_server = s, .peer_vnet = -1,
					     .as_len = b->n_as, .rule = "R-D5" };
		/* ECMP over the NVAs with the shortest path (R-D5) */
		for (size_t j = 0; j < l->n && r.n_nh < AZLAB_MAX_NH; j++) {
			if (!azlab_pfx_eq(l->v[j].prefix, b->prefix) || l->v[j].n_as != b->n_as)
				continue;
			bool dup = false;
			for (size_t k = 0; k < r.n_nh; k++)
				if (r.nh_ips[k] == l->v[j].next_hop)
					dup = true;
			if (!dup)
				r.nh_ips[r.n_nh++] = l->v[j].next_hop;
		}
		eff_add(m, tb, &r);
	}
}

static void add_udrs(struct azlab_model *m, struct azlab_eff_table *tb, int rt)
{
	const struct azlab_route_table *tab = &m->t->route_tables[rt];
	for (size_t i = 0; i < tab->n_routes; i++) {
		const struct azlab_udr *u = &tab->routes[i];
		struct azlab_eff_route r = { .source = AZLAB_SRC_USER, .state = AZLAB_ACTIVE,
					     .prefix = u->prefix, .nh_type = u->next_hop_type,
					     .route_table = tab->name, .udr_name = u->name,
					     .gateway = -1, .route_server = -1, .peer_vnet = -1,
					     .rule = "R-A5" };
		if (u->has_next_hop_ip) {
			r.nh_ips[0] = u->next_hop_ip;
			r.n_nh = 1;
		}
		eff_add(m, tb, &r);
	}
}

static int rank(const struct azlab_eff_route *r)
{
	switch (r->source) {
	case AZLAB_SRC_USER: return 4;
	case AZLAB_SRC_VNG: return 3;
	default: return r->nh_type == AZLAB_NH_NONE || r->nh_type == AZLAB_NH_INTERNET ? 1 : 2;
	}
}

/* R-D9: between an ER route and an NVA route for one prefix. */
static bool vng_beats(const struct azlab_model *m, const struct azlab_eff_route *a,
		      const struct azlab_eff_route *b)
{
	const struct azlab_eff_route *er = a->gateway >= 0 ? a : b->gateway >= 0 ? b : NULL;
	const struct azlab_eff_route *nva = a->route_server >= 0 ? a : b->route_server >= 0 ? b : NULL;
	if (!er || !nva || er == nva)
		return false;
	int pref = m->t->route_servers[nva->route_server].preference;
	if (pref == AZLAB_PREF_ASPATH && nva->as_len < er->as_len)
		return a == nva;
	return a == er;
}

static void select_routes(const struct azlab_model *m, struct azlab_eff_table *tb)
{
	/* R-A8: the VNet's own and peered ranges beat BGP, even more specific BGP */
	for (size_t i = 0; i < tb->n; i++) {
		struct azlab_eff_route *r = &tb->v[i];
		if (r->source != AZLAB_SRC_VNG)
			continue;
		for (size_t j = 0; j < tb->n; j++) {
			const struct azlab_eff_route *d = &tb->v[j];
			if (d->source == AZLAB_SRC_DEFAULT &&
			    (d->nh_type == AZLAB_NH_VNET_LOCAL || d->nh_type == AZLAB_NH_VNET_PEERING) &&
			    azlab_pfx_covers(d->prefix, r->prefix)) {
				r->state = AZLAB_INVALID;
				r->rule = "R-A8";
				break;
			}
		}
	}
	/* R-A7: for one prefix, User beats BGP beats System */
	for (size_t i = 0; i < tb->n; i++) {
		struct azlab_eff_route *r = &tb->v[i];
		if (r->state != AZLAB_ACTIVE)
			continue;
		for (size_t j = 0; j < tb->n; j++) {
			const struct azlab_eff_route *o = &tb->v[j];
			if (j == i || o->state != AZLAB_ACTIVE || !azlab_pfx_eq(o->prefix, r->prefix))
				continue;
			bool loses = rank(o) > rank(r) ||
				     (rank(o) == rank(r) && r->source == AZLAB_SRC_VNG &&
				      vng_beats(m, o, r)) ||
				     (rank(o) == rank(r) && j < i && !(r->source == AZLAB_SRC_VNG &&
								       vng_beats(m, r, o)));
			if (loses) {
				r->state = AZLAB_INVALID;
				r->rule = r->source == AZLAB_SRC_VNG && o->source == AZLAB_SRC_VNG ?
						  "R-D9" : "R-A7";
				break;
			}
		}
	}
}

static void build_subnet(struct azlab_model *m, struct azlab_eff_table *tb, int vnet, int subnet)
{
	const struct azlab_topo *t = m->t;
	const struct azlab_subnet *sn = &t->vnets[vnet].subnets[subnet];
	add_system(m, tb, vnet);
	add_peerings(m, tb, vnet);
	add_endpoints(m, tb, vnet);
	bool propagate = sn->rt < 0 || !t->route_tables[sn->rt].disable_bgp; /* R-A10 */
	if (propagate) {
		int hub = azlab_remote_gateway_vnet(t, vnet); /* R-A4, R-B5 */
		int vn[2] = { vnet, hub };
		for (int k = 0; k < 2; k++) {
			if (vn[k] < 0)
				continue;
			int g = azlab_topo_vnet_gateway(t, vn[k]);
			if (g >= 0)
				add_gateway_routes(m, tb, g);
			int s = azlab_topo_vnet_route_server(t, vn[k]);
			if (s >= 0)
				add_rs_routes(m, tb, s);
		}
	}
	if (sn->rt >= 0)
		add_udrs(m, tb, sn->rt);
	select_routes(m, tb);
}

/* ---- building and queries ---- */

struct azlab_model *azlab_model_build(const struct azlab_topo *t, const struct azlab_feed *feed)
{
	struct azlab_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->t = t;
	size_t nrs = t->n_route_servers, ng = t->n_gateways;
	m->rs_in = calloc(nrs + 1, sizeof *m->rs_in);
	m->rs_out = calloc(nrs + 1, sizeof *m->rs_out);
	m->gw_adv = calloc(ng + 1, sizeof *m->gw_adv);
	m->gw_in = calloc(ng + 1, sizeof *m->gw_in);
	m->msee = calloc(t->n_circuits + 1, sizeof *m->msee);
	m->site_in = calloc(t->n_sites + 1, sizeof *m->site_in);
	m->subnet_base = calloc(t->n_vnets + 1, sizeof *m->subnet_base);
	if (!m->rs_in || !m->rs_out || !m->gw_adv || !m->gw_in || !m->msee || !m->site_in ||
	    !m->subnet_base)
		goto oom;
	for (size_t s = 0; s < nrs; s++) {
		m->rs_out[s] = calloc(t->route_servers[s].n_connections + 1, sizeof **m->rs_out);
		if (!m->rs_out[s])
			goto oom;
	}
	for (size_t v = 0; v < t->n_vnets; v++) {
		m->subnet_base[v] = m->n_tables;
		m->n_tables += t->vnets[v].n_subnets;
	}
	m->tables = calloc(m->n_tables + 1, sizeof *m->tables);
	if (!m->tables)
		goto oom;

	struct azlab_feed empty = AZLAB_FEED_INIT;
	rs_accept(m, feed ? feed : &empty);
	gateway_advertise(m);
	msee_collect(m, feed ? feed : &empty);
	gateway_learn(m);
	site_learn(m);
	rs_advertise(m);
	for (size_t v = 0; v < t->n_vnets; v++)
		for (size_t s = 0; s < t->vnets[v].n_subnets; s++)
			build_subnet(m, &m->tables[m->subnet_base[v] + s], (int)v, (int)s);
	if (m->oom || m->notes.oom)
		goto oom;
	return m;
oom:
	azlab_model_free(m);
	return NULL;
}

void azlab_model_free(struct azlab_model *m)
{
	if (!m)
		return;
	const struct azlab_topo *t = m->t;
	for (size_t s = 0; m->rs_in && s < t->n_route_servers; s++)
		rlist_free(&m->rs_in[s]);
	for (size_t s = 0; m->rs_out && s < t->n_route_servers; s++) {
		for (size_t c = 0; m->rs_out[s] && c < t->route_servers[s].n_connections; c++)
			rlist_free(&m->rs_out[s][c]);
		free(m->rs_out[s]);
	}
	for (size_t g = 0; g < t->n_gateways; g++) {
		if (m->gw_adv)
			rlist_free(&m->gw_adv[g]);
		if (m->gw_in)
			rlist_free(&m->gw_in[g]);
	}
	for (size_t c = 0; m->msee && c < t->n_circuits; c++)
		rlist_free(&m->msee[c]);
	for (size_t s = 0; m->site_in && s < t->n_sites; s++)
		rlist_free(&m->site_in[s]);
	for (size_t i = 0; m->tables && i < m->n_tables; i++)
		free(m->tables[i].v);
	free(m->rs_in);
	free(m->rs_out);
	free(m->gw_adv);
	free(m->gw_in);
	free(m->msee);
	free(m->site_in);
	free(m->tables);
	free(m->subnet_base);
	azlab_diag_free(&m->notes);
	free(m);
}

const struct azlab_diag *azlab_model_notes(const struct azlab_model *m) { return &m->notes; }
const struct azlab_topo *azlab_model_topo(const struct azlab_model *m) { return m->t; }

const struct azlab_eff_table *azlab_model_routes(const struct azlab_model *m, int vnet, int subnet)
{
	if (!azlab_topo_subnet_at(m->t, vnet, subnet))
		return NULL;
	return &m->tables[m->subnet_base[vnet] + (size_t)subnet];
}

const struct azlab_eff_route *azlab_model_lookup(const struct azlab_model *m, int vnet, int subnet,
						 uint32_t dst)
{
	const struct azlab_eff_table *tb = azlab_model_routes(m, vnet, subnet);
	const struct azlab_eff_route *best = NULL;
	for (size_t i = 0; tb && i < tb->n; i++) {
		const struct azlab_eff_route *r = &tb->v[i];
		if (r->state == AZLAB_ACTIVE && azlab_pfx_has(r->prefix, dst) &&
		    (!best || r->prefix.len > best->prefix.len))
			best = r;
	}
	return best;
}

#define CHECKED(arr, i, n) ((i) >= 0 && (size_t)(i) < (n) ? &(arr)[i] : NULL)

const struct azlab_rlist *azlab_model_rs_accepted(const struct azlab_model *m, int rs)
{
	return CHECKED(m->rs_in, rs, m->t->n_route_servers);
}

const struct azlab_rlist *azlab_model_rs_advertised(const struct azlab_model *m, int rs, int conn)
{
	if (rs < 0 || (size_t)rs >= m->t->n_route_servers || conn < 0 ||
	    (size_t)conn >= m->t->route_servers[rs].n_connections)
		return NULL;
	return &m->rs_out[rs][conn];
}

const struct azlab_rlist *azlab_model_gateway_advertised(const struct azlab_model *m, int gw)
{
	return CHECKED(m->gw_adv, gw, m->t->n_gateways);
}

const struct azlab_rlist *azlab_model_gateway_learned(const struct azlab_model *m, int gw)
{
	return CHECKED(m->gw_in, gw, m->t->n_gateways);
}

const struct azlab_rlist *azlab_model_msee(const struct azlab_model *m, int circuit)
{
	return CHECKED(m->msee, circuit, m->t->n_circuits);
}

const struct azlab_rlist *azlab_model_site_learned(const struct azlab_model *m, int site)
{
	return CHECKED(m->site_in, site, m->t->n_sites);
}

bool azlab_model_nexthop(const struct azlab_model *m, int vm, uint32_t dst,
			 struct azlab_nexthop *out)
{
	memset(out, 0, sizeof *out);
	if (vm < 0 || (size_t)vm >= m->t->n_vms)
		return false;
	const struct azlab_vm *v = &m->t->vms[vm];
	const struct azlab_eff_route *r = azlab_model_lookup(m, v->vnet, v->subnet, dst);
	if (!r)
		return false;
	out->found = true;
	out->route = r;
	out->type = r->nh_type;
	if (r->n_nh) {
		out->ip = r->nh_ips[0];
		out->has_ip = true;
	}
	snprintf(out->route_table_id, sizeof out->route_table_id, "%s",
		 r->source == AZLAB_SRC_USER ? r->route_table : "System Route");
	return true;
}

/* ---- the offline evaluation of relaying NVAs ---- */

static bool feed_has(const struct azlab_feed *f, int vm, int rs, struct azlab_pfx p)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].vm == vm && f->v[i].route_server == rs && azlab_pfx_eq(f->v[i].prefix, p))
			return true;
	return false;
}

static bool relay_one(const struct azlab_model *m, int vmi, const struct azlab_feed *declared,
		      struct azlab_feed *out)
{
	const struct azlab_topo *t = m->t;
	const struct azlab_vm *vm = &t->vms[vmi];
	const struct azlab_nva *nva = vm->nva;
	for (size_t s = 0; s < t->n_route_servers; s++)
		for (size_t c = 0; c < t->route_servers[s].n_connections; c++) {
			if (t->route_servers[s].connections[c].peer_ip != vm->ip)
				continue;
			const struct azlab_rlist *l = &m->rs_out[s][c];
			for (size_t i = 0; i < l->n; i++) {
				const struct azlab_bgp_route *r = &l->v[i];
				if (r->instance != 0 || path_has(r, nva->asn))
					continue;
				/* the NVA's best path for the prefix: the shortest, first seen */
				bool best = true;
				for (size_t s2 = 0; s2 < t->n_route_servers && best; s2++)
					for (size_t c2 = 0; c2 < t->route_servers[s2].n_connections; c2++) {
						if (t->route_servers[s2].connections[c2].peer_ip != vm->ip)
							continue;
						const struct azlab_rlist *l2 = &m->rs_out[s2][c2];
						for (size_t k = 0; k < l2->n; k++) {
							const struct azlab_bgp_route *o = &l2->v[k];
							if (o->instance != 0 || path_has(o, nva->asn) ||
							    !azlab_pfx_eq(o->prefix, r->prefix))
								continue;
							if (o->n_as < r->n_as ||
							    (o->n_as == r->n_as && (s2 < s || (s2 == s && k < i))))
								best = false;
						}
					}
				if (!best)
					continue;
				for (size_t to = 0; to < t->n_route_servers; to++) {
					if (to == s || !rs_peers_with(&t->route_servers[to], vm->ip) ||
					    feed_has(declared, vmi, (int)to, r->prefix) ||
					    feed_has(out, vmi, (int)to, r->prefix))
						continue;
					struct azlab_feed_route f = { .vm = vmi, .route_server = (int)to,
								      .prefix = r->prefix,
								      .next_hop = vm->ip };
					struct azlab_bgp_route tmp = *r;
					for (size_t k = 0; nva->as_override && k < tmp.n_as; k++)
						if (tmp.as_path[k] == AZLAB_ASN_AZURE)
							tmp.as_path[k] = nva->asn;
					if (!prepend(&tmp, nva->asn))
						continue;
					memcpy(f.as_path, tmp.as_path, sizeof f.as_path);
					f.n_as = tmp.n_as;
					if (!azlab_feed_add(out, &f))
						return false;
				}
			}
		}
	return true;
}

bool azlab_feed_relay(const struct azlab_model *m, const struct azlab_feed *declared,
		      struct azlab_feed *out)
{
	const struct azlab_topo *t = m->t;
	out->n = 0;
	for (size_t i = 0; i < declared->n; i++)
		if (!azlab_feed_add(out, &declared->v[i]))
			return false;
	for (size_t v = 0; v < t->n_vms; v++)
		if (t->vms[v].nva && t->vms[v].nva->relay && !relay_one(m, (int)v, declared, out))
			return false;
	return true;
}

static bool feed_equal(const struct azlab_feed *a, const struct azlab_feed *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const struct azlab_feed_route *x = &a->v[i], *y = &b->v[i];
		if (x->vm != y->vm || x->route_server != y->route_server ||
		    x->from_site != y->from_site || x->site != y->site ||
		    !azlab_pfx_eq(x->prefix, y->prefix) || x->n_as != y->n_as ||
		    memcmp(x->as_path, y->as_path, x->n_as * sizeof(uint32_t)) != 0 ||
		    x->next_hop != y->next_hop || x->no_advertise != y->no_advertise)
			return false;
	}
	return true;
}

struct azlab_model *azlab_model_build_offline(const struct azlab_topo *t, struct azlab_feed *feed)
{
	struct azlab_feed declared = AZLAB_FEED_INIT, next = AZLAB_FEED_INIT;
	struct azlab_model *m = NULL;
	bool relays = false;
	for (size_t v = 0; v < t->n_vms; v++)
		if (t->vms[v].nva && t->vms[v].nva->relay)
			relays = true;
	if (!azlab_feed_from_topology(t, &declared))
		goto out;
	if (!relays) {
		m = azlab_model_build(t, &declared);
		azlab_feed_free(feed);
		*feed = declared;
		return m;
	}
	struct azlab_feed cur = AZLAB_FEED_INIT;
	for (size_t i = 0; i < declared.n; i++)
		if (!azlab_feed_add(&cur, &declared.v[i]))
			goto out_cur;
	for (int round = 0; round < 16; round++) {
		azlab_model_free(m);
		m = azlab_model_build(t, &cur);
		if (!m || !azlab_feed_relay(m, &declared, &next))
			goto out_cur;
		if (feed_equal(&cur, &next))
			break;
		struct azlab_feed tmp = cur;
		cur = next;
		next = tmp;
		if (round == 15)
			azlab_diag_add(&m->notes, "the NVAs' relayed routes did not settle in 16 rounds");
	}
	azlab_model_free(m);
	m = azlab_model_build(t, &cur);
	azlab_feed_free(feed);
	*feed = cur;
	cur = (struct azlab_feed)AZLAB_FEED_INIT;
out_cur:
	azlab_feed_free(&cur);
out:
	azlab_feed_free(&declared);
	azlab_feed_free(&next);
	return m;
}

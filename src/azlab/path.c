/* path.c: walks a packet through the model: NICs (R-F1), the fabric's
 * effective routes, peerings (R-B2, R-B3), ExpressRoute (R-A11, R-C7),
 * NVAs with their own routes and VXLAN tunnels (R-F2, R-F3), Private Link
 * (R-E1..R-E3). Pure: the result is a path value with a reason. */
#include "azlab/model.h"
#include "azlab/model_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 48

struct pkt {
	uint32_t src, dst;
};

struct walker {
	const struct azlab_model *m;
	const struct azlab_topo *t;
	struct azlab_path *p;
	int steps;
	bool record;  /* hops of this walk are visible (not a tunnel's underlay) */
	int depth;
	int pl_pe;    /* reply through Private Link: the PE, -1 */
	uint32_t pl_consumer;
};

enum from_kind { FROM_VM, FROM_GATEWAY, FROM_PE };

__attribute__((format(printf, 2, 3)))
static void note(struct walker *w, const char *fmt, ...)
{
	char line[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	size_t used = strlen(w->p->pending);
	if (used + 4 < sizeof w->p->pending)
		snprintf(w->p->pending + used, sizeof w->p->pending - used, "%s%s",
			 used ? "; " : "", line);
}

__attribute__((format(printf, 2, 3)))
static bool fail(struct walker *w, const char *fmt, ...)
{
	va_list ap;
	if (w->p->reason[0])
		return false; /* the first, innermost reason stays */
	va_start(ap, fmt);
	vsnprintf(w->p->reason, sizeof w->p->reason, fmt, ap);
	va_end(ap);
	return false;
}

static void add_hop(struct walker *w, uint32_t addr, bool silent, const char *node)
{
	struct azlab_path *p = w->p;
	if (!w->record)
		return;
	if (p->n_hops < AZLAB_MAX_HOPS) {
		struct azlab_hop *h = &p->hops[p->n_hops++];
		if (silent)
			snprintf(h->addr, sizeof h->addr, "*");
		else
			azlab_ip_fmt(addr, h->addr);
		snprintf(h->node, sizeof h->node, "%s", node);
		snprintf(h->why, sizeof h->why, "%s", p->pending);
	}
	p->pending[0] = '\0';
}

static bool special_dst(uint32_t ip, const char **what)
{
	if ((ip >> 16) == 0xa9fe) {
		*what = "169.254.0.0/16";
		return true;
	}
	if ((ip >> 24) == 127) {
		*what = "127.0.0.0/8";
		return true;
	}
	if ((ip >> 28) == 0xe) {
		*what = "multicast";
		return true;
	}
	if (ip == 0xffffffffu) {
		*what = "broadcast";
		return true;
	}
	return false;
}

static bool fabric(struct walker *w, int vnet, int subnet, struct pkt pk, int from_kind, int from);
static bool vm_send(struct walker *w, int vm, struct pkt pk, bool originated);
static bool site_send(struct walker *w, int site, struct pkt pk);

static const char *vnet_name(const struct walker *w, int v)
{
	return v >= 0 ? w->t->vnets[v].name : "?";
}

static bool deliver(struct walker *w, int kind, int index, int host, const char *name, struct pkt pk)
{
	struct azlab_path *p = w->p;
	add_hop(w, pk.dst, false, name);
	p->delivered = true;
	snprintf(p->at, sizeof p->at, "%s", name);
	p->src_seen = pk.src;
	p->at_kind = kind;
	p->at_index = index;
	p->at_host = host;
	return true;
}

/* ---- NVAs: their own forwarding table ---- */

struct fib_res {
	int tunnel; /* -1: eth0 */
	uint32_t pref_src;
	bool has_src;
	char why[160];
};

static void fib_consider(struct fib_res *res, int *best_len, int *best_dist, struct azlab_pfx p,
			 int dist, int tunnel, const struct azlab_static_route *sr, const char *why)
{
	if (p.len < *best_len || (p.len == *best_len && dist >= *best_dist))
		return;
	*best_len = p.len;
	*best_dist = dist;
	res->tunnel = tunnel;
	res->has_src = sr && sr->has_preferred_source;
	res->pref_src = sr ? sr->preferred_source : 0;
	snprintf(res->why, sizeof res->why, "%s", why);
}

static void nva_fib(const struct walker *w, int vmi, uint32_t dst, struct fib_res *res)
{
	const struct azlab_topo *t = w->t;
	const struct azlab_vm *vm = &t->vms[vmi];
	const struct azlab_nva *nva = vm->nva;
	const struct azlab_subnet *sn = azlab_topo_subnet_at(t, vm->vnet, vm->subnet);
	int best_len = -1, best_dist = 1000;
	char why[160], pb[AZLAB_PFXSTR], ib[AZLAB_IPSTR];

	memset(res, 0, sizeof *res);
	res->tunnel = -1;
	/* the DHCP default route via the subnet's .1 */
	fib_consider(res, &best_len, &best_dist, (struct azlab_pfx){ 0, 0 }, 0, -1, NULL,
		     "default via the subnet gateway (.1)");
	if (sn && azlab_pfx_has(sn->prefix, dst)) {
		snprintf(why, sizeof why, "connected %s dev eth0", azlab_pfx_fmt(sn->prefix, pb));
		fib_consider(res, &best_len, &best_dist, sn->prefix, 0, -1, NULL, why);
	}
	if (!nva)
		return;
	for (size_t i = 0; i < nva->n_tunnels; i++) {
		const struct azlab_tunnel *tu = &nva->tunnels[i];
		struct azlab_pfx p = { tu->address & azlab_mask(tu->address_len), tu->address_len };
		if (azlab_pfx_has(p, dst)) {
			snprintf(why, sizeof why, "connected %s dev %s", azlab_pfx_fmt(p, pb), tu->name);
			fib_consider(res, &best_len, &best_dist, p, 0, (int)i, NULL, why);
		}
	}
	for (size_t i = 0; i < nva->n_routes; i++) {
		const struct azlab_static_route *sr = &nva->routes[i];
		if (!azlab_pfx_has(sr->prefix, dst))
			continue;
		int tun = -1;
		for (size_t k = 0; k < nva->n_tunnels; k++) {
			const struct azlab_tunnel *tu = &nva->tunnels[k];
			struct azlab_pfx p = { tu->address & azlab_mask(tu->address_len),
					       tu->address_len };
			if (azlab_pfx_has(p, sr->next_hop))
				tun = (int)k;
		}
		snprintf(why, sizeof why, "static %s via %s%s%s", azlab_pfx_fmt(sr->prefix, pb),
			 azlab_ip_fmt(sr->next_hop, ib), tun >= 0 ? " dev " : "",
			 tun >= 0 ? nva->tunnels[tun].name : "");
		fib_consider(res, &best_len, &best_dist, sr->prefix, 1, tun, sr, why);
	}
	/* BGP routes the Route Servers send it (R-D4); their next hops resolve via eth0 */
	for (size_t s = 0; s < t->n_route_servers; s++)
		for (size_t c = 0; c < t->route_servers[s].n_connections; c++) {
			if (t->route_servers[s].connections[c].peer_ip != vm->ip)
				continue;
			const struct azlab_rlist *l = azlab_model_rs_advertised(w->m, (int)s, (int)c);
			for (size_t i = 0; l && i < l->n; i++)
				if (azlab_pfx_has(l->v[i].prefix, dst)) {
					snprintf(why, sizeof why, "bgp %s via %s (from %s)",
						 azlab_pfx_fmt(l->v[i].prefix, pb),
						 azlab_ip_fmt(l->v[i].next_hop, ib),
						 t->route_servers[s].name);
					fib_consider(res, &best_len, &best_dist, l->v[i].prefix, 20, -1,
						     NULL, why);
				}
		}
}

/* ---- tunnels (R-F2, R-A14) ---- */

static bool tunnel_send(struct walker *w, int vmi, int tun, struct pkt inner)
{
	const struct azlab_topo *t = w->t;
	const struct azlab_vm *vm = &t->vms[vmi];
	const struct azlab_tunnel *tu = &vm->nva->tunnels[tun];
	char ib[AZLAB_IPSTR];
	if (tu->type == AZLAB_TUN_GRE)
		return fail(w, "%s: GRE to %s is dropped by the fabric (R-A14; only UDP, so VXLAN, passes)",
			    vm->name, azlab_ip_fmt(tu->remote, ib));
	if (w->depth >= 2)
		return fail(w, "%s: tunnel inside a tunnel", vm->name);
	/* the outer packet: UDP from the NIC to the remote end, invisible to traceroute */
	struct fib_res ures;
	nva_fib(w, vmi, tu->remote, &ures);
	if (ures.tunnel >= 0)
		return fail(w, "%s: the route to the tunnel's remote end %s goes into %s itself (%s); a more specific route via the subnet gateway (.1) is needed",
			    vm->name, azlab_ip_fmt(tu->remote, ib), vm->nva->tunnels[ures.tunnel].name,
			    ures.why);
	struct azlab_path under;
	memset(&under, 0, sizeof under);
	struct walker uw = { w->m, t, &under, w->steps, false, w->depth + 1, -1, 0 };
	struct pkt outer = { vm->ip, tu->remote };
	note(w, "%s encapsulates into %s (VXLAN VNI %u, UDP %u, inner MTU %u: R-F2) toward %s", vm->name,
	     tu->name, tu->vni, tu->dst_port, tu->mtu, azlab_ip_fmt(tu->remote, ib));
	if (!vm_send(&uw, vmi, outer, true)) {
		return fail(w, "%s: the %s underlay to %s fails: %s", vm->name, tu->name,
			    azlab_ip_fmt(tu->remote, ib), under.reason);
	}
	w->steps = uw.steps;
	if (under.at_kind != AZLAB_EP_VM || under.at_index < 0 || !t->vms[under.at_index].nva)
		return fail(w, "%s: the %s underlay reaches %s, which runs no tunnel end", vm->name,
			    tu->name, under.at);
	int rvi = under.at_index;
	const struct azlab_vm *rv = &t->vms[rvi];
	for (size_t k = 0; k < rv->nva->n_tunnels; k++) {
		const struct azlab_tunnel *rt = &rv->nva->tunnels[k];
		if (rt->remote == vm->ip && rt->vni == tu->vni && rt->type == tu->type) {
			note(w, "%s decapsulates from %s", rv->name, rt->name);
			if (inner.dst == rt->address)
				return deliver(w, AZLAB_EP_VM, rvi, -1, rv->name, inner);
			/* The remote end is a hop. Linux answers traceroute from the
			 * source its route back to the sender picks: the route's
			 * preferred source, else the address of the interface it
			 * leaves by (the tunnel's, or the NIC's). */
			struct fib_res back;
			nva_fib(w, rvi, inner.src, &back);
			uint32_t from = back.has_src ? back.pref_src
				      : back.tunnel >= 0 ? rv->nva->tunnels[back.tunnel].address
							 : rv->ip;
			const char *sp;
			bool silent = special_dst(from, &sp);
			if (silent)
				note(w, "%s answers traceroute from %s, not routable (R-A14)", rv->name,
				     azlab_ip_fmt(from, ib));
			add_hop(w, from, silent, rv->name);
			return vm_send(w, rvi, inner, false);
		}
	}
	return fail(w, "%s has no tunnel back to %s with VNI %u", rv->name,
		    azlab_ip_fmt(vm->ip, ib), tu->vni);
}

/* ---- VMs ---- */

/* A VM sends a packet: its own, or one it forwards. */
static bool vm_send(struct walker *w, int vmi, struct pkt pk, bool originated)
{
	const struct azlab_vm *vm = &w->t->vms[vmi];
	char ib[AZLAB_IPSTR];
	if (++w->steps > MAX_STEPS)
		return fail(w, "routing loop at %s (R-D10 when an NVA is handed its own routes)",
			    vm->name);
	if (!originated && !vm->nva)
		return fail(w, "%s does not route: no NVA runs in it (net.ipv4.ip_forward off, R-F1)",
			    vm->name);
	struct fib_res res;
	nva_fib(w, vmi, pk.dst, &res);
	if (vm->nva)
		note(w, "%s: %s", vm->name, res.why);
	if (originated && pk.src == 0) {
		pk.src = res.has_src ? res.pref_src :
			 res.tunnel >= 0 ? vm->nva->tunnels[res.tunnel].address : vm->ip;
		if (res.has_src)
			note(w, "%s: preferred source %s (R-F3)", vm->name, azlab_ip_fmt(pk.src, ib));
		else if (res.tunnel >= 0)
			note(w, "%s: source %s, the address of %s (R-F3)", vm->name,
			     azlab_ip_fmt(pk.src, ib), vm->nva->tunnels[res.tunnel].name);
		w->p->src_sent = pk.src;
	}
	if (res.tunnel >= 0)
		return tunnel_send(w, vmi, res.tunnel, pk);
	return fabric(w, vm->vnet, vm->subnet, pk, FROM_VM, vmi);
}

/* A packet reaches a VM's NIC from the fabric. */
static bool vm_receive(struct walker *w, int vmi, struct pkt pk)
{
	const struct azlab_vm *vm = &w->t->vms[vmi];
	if (pk.dst == vm->ip)
		return deliver(w, AZLAB_EP_VM, vmi, -1, vm->name, pk);
	if (!vm->ip_forwarding)
		return fail(w, "%s's NIC drops a packet not addressed to it: enableIPForwarding is off (R-F1)",
			    vm->name);
	add_hop(w, vm->ip, false, vm->name);
	return vm_send(w, vmi, pk, false);
}

/* ---- Private Link (R-E1, R-E2) ---- */

static bool pe_receive(struct walker *w, int pei, struct pkt pk)
{
	const struct azlab_topo *t = w->t;
	const struct azlab_pe *e = &t->pes[pei];
	char ib[AZLAB_IPSTR];
	(void)pk; /* the consumer's source goes no further: the service sees the NAT address */
	add_hop(w, e->ip, false, e->name); /* the endpoint answers for the service */
	w->p->via_pe = pei;
	if (e->pls < 0)
		return fail(w, "Private Endpoint %s has no service", e->name);
	const struct azlab_pls *pls = &t->pls[e->pls];
	const struct azlab_load_balancer *lb = pls->lb >= 0 ? &t->lbs[pls->lb] : NULL;
	if (!lb || lb->n_backends == 0 || pls->n_nat_ips == 0)
		return fail(w, "Private Link Service %s has no backend or NAT address", pls->name);
	int b = lb->backend_vms[0];
	struct pkt inner = { pls->nat_ips[0], t->vms[b].ip };
	note(w, "Private Link Service %s: source NAT to %s (R-E1), load balancer %s frontend %s -> backend %s; the flow expires after %u s idle (R-E5)",
	     pls->name, azlab_ip_fmt(inner.src, ib), lb->name,
	     azlab_ip_fmt(lb->frontend_ip, (char[AZLAB_IPSTR]){ 0 }), t->vms[b].name, AZLAB_PL_IDLE_S);
	bool rec = w->record;
	w->record = false; /* the provider side is hidden behind the endpoint */
	bool ok = vm_receive(w, b, inner);
	w->record = rec;
	return ok;
}

static bool pls_receive(struct walker *w, int plsi, struct pkt pk)
{
	const struct azlab_topo *t = w->t;
	char ib[AZLAB_IPSTR];
	if (w->pl_pe < 0 || t->pes[w->pl_pe].pls != plsi)
		return fail(w, "%s is a NAT address of Private Link Service %s, which only answers connections opened through its Private Endpoint (R-E2)",
			    azlab_ip_fmt(pk.dst, ib), t->pls[plsi].name);
	const struct azlab_pe *e = &t->pes[w->pl_pe];
	struct pkt back = { e->ip, w->pl_consumer };
	note(w, "Private Link Service %s returns the reply through %s (%s)", t->pls[plsi].name,
	     e->name, azlab_ip_fmt(e->ip, ib));
	return fabric(w, e->vnet, e->subnet, back, FROM_PE, w->pl_pe);
}

/* ---- the fabric ---- */

static bool deliver_in_vnet(struct walker *w, int vnet, struct pkt pk)
{
	const struct azlab_topo *t = w->t;
	char ib[AZLAB_IPSTR];
	for (size_t i = 0; i < t->n_vms; i++)
		if (t->vms[i].vnet == vnet && t->vms[i].ip == pk.dst)
			return vm_receive(w, (int)i, pk);
	for (size_t i = 0; i < t->n_pes; i++)
		if (t->pes[i].vnet == vnet && t->pes[i].ip == pk.dst)
			return pe_receive(w, (int)i, pk);
	for (size_t i = 0; i < t->n_lbs; i++)
		if (t->lbs[i].vnet == vnet && t->lbs[i].frontend_ip == pk.dst && t->lbs[i].n_backends) {
			int b = t->lbs[i].backend_vms[0];
			note(w, "load balancer %s sends the flow to %s (R-E4: HA ports, each flow to one backend whose probe answers, by its 5-tuple; the model follows the first)",
			     t->lbs[i].name, t->vms[b].name);
			pk.dst = t->vms[b].ip;
			return vm_receive(w, b, pk);
		}
	for (size_t i = 0; i < t->n_pls; i++)
		for (size_t k = 0; k < t->pls[i].n_nat_ips; k++)
			if (t->pls[i].vnet == vnet && t->pls[i].nat_ips[k] == pk.dst)
				return pls_receive(w, (int)i, pk);
	return fail(w, "no NIC has %s in %s", azlab_ip_fmt(pk.dst, ib), vnet_name(w, vnet));
}

/* A packet crosses from VNet `from` into `to` (R-B1..R-B3). */
static bool cross(struct walker *w, int from, int to, struct pkt pk, bool via_gateway)
{
	const struct azlab_topo *t = w->t;
	char ib[AZLAB_IPSTR];
	if (from == to)
		return true;
	int p = azlab_connected_peering(t, from, to);
	if (p < 0)
		return fail(w, "%s and %s are not peered (both sides needed; R-B1: not transitive)",
			    vnet_name(w, from), vnet_name(w, to));
	const struct azlab_peering *out = &t->peerings[p], *in = &t->peerings[out->reverse];
	if (!out->access || !in->access)
		return fail(w, "peering %s: allowVirtualNetworkAccess is false (R-B2)",
			    out->access ? in->name : out->name);
	bool transit = via_gateway && in->use_remote;
	if (!azlab_vnet_has(t, from, pk.src) && !in->forwarded && !transit)
		return fail(w, "%s drops %s's packet from %s: source outside %s and allowForwardedTraffic is off on peering %s (R-B3)",
			    vnet_name(w, to), vnet_name(w, from), azlab_ip_fmt(pk.src, ib),
			    vnet_name(w, from), in->name);
	return true;
}

static bool er_send(struct walker *w, int g, const struct azlab_eff_route *r, struct pkt pk)
{
	const struct azlab_topo *t = w->t;
	const struct azlab_rlist *l = azlab_model_gateway_learned(w->m, g);
	const struct azlab_bgp_route *b = NULL;
	char pb[AZLAB_PFXSTR], ab[128];
	for (size_t i = 0; l && i < l->n; i++)
		if (azlab_pfx_eq(l->v[i].prefix, r->prefix) && (!b || l->v[i].n_as < b->n_as))
			b = &l->v[i];
	if (!b)
		return fail(w, "gateway %s has no route for %s", t->gateways[g].name,
			    azlab_pfx_fmt(r->prefix, pb));
	azlab_aspath_fmt(b->as_path, b->n_as, ab, sizeof ab);
	note(w, "gateway %s -> MSEE of %s (%s path %s)", t->gateways[g].name,
	     t->circuits[b->circuit].name, azlab_pfx_fmt(b->prefix, pb), ab);
	/* R-C7: gateway, MSEE and the far side show as one silent hop */
	note(w, "ExpressRoute MTU %u: a larger packet is fragmented, or dropped with DF set (R-C7)",
	     AZLAB_ER_MTU);
	char node[64];
	snprintf(node, sizeof node, "ExpressRoute %s", t->circuits[b->circuit].name);
	add_hop(w, 0, true, node);
	if (b->origin_kind == AZLAB_FROM_SITE)
		return site_send(w, b->origin, pk);
	const struct azlab_er_gateway *h = &t->gateways[b->origin];
	int v = h->vnet, s;
	char ref[300];
	snprintf(ref, sizeof ref, "%s/GatewaySubnet", t->vnets[v].name);
	if (!azlab_topo_subnet(t, ref, &v, &s))
		return fail(w, "%s has no GatewaySubnet", t->vnets[h->vnet].name);
	note(w, "gateway %s routes with GatewaySubnet's routes (R-A11)", h->name);
	return fabric(w, v, s, pk, FROM_GATEWAY, b->origin);
}

static bool fabric(struct walker *w, int vnet, int subnet, struct pkt pk, int from_kind, int from)
{
	const struct azlab_topo *t = w->t;
	char ib[AZLAB_IPSTR], pb[AZLAB_PFXSTR], nb[AZLAB_IPSTR];
	const char *sp;
	if (++w->steps > MAX_STEPS)
		return fail(w, "routing loop in %s (R-D10 when an NVA is handed its own routes)",
			    vnet_name(w, vnet));
	if (from_kind == FROM_VM) { /* R-F1 */
		const struct azlab_vm *vm = &t->vms[from];
		if (pk.src != vm->ip && !vm->ip_forwarding)
			return fail(w, "%s's NIC drops a packet with the foreign source %s: enableIPForwarding is off (R-F1)",
				    vm->name, azlab_ip_fmt(pk.src, ib));
	}
	if (special_dst(pk.dst, &sp))
		return fail(w, "the fabric does not route %s (%s, R-A14)", azlab_ip_fmt(pk.dst, ib), sp);
	const struct azlab_subnet *sn = azlab_topo_subnet_at(t, vnet, subnet);
	const struct azlab_eff_route *r = azlab_model_lookup(w->m, vnet, subnet, pk.dst);
	if (!r || !sn)
		return fail(w, "%s/%s has no route for %s", vnet_name(w, vnet), sn ? sn->name : "?",
			    azlab_ip_fmt(pk.dst, ib));
	note(w, "%s/%s: %s %s%s%s (%s%s%s, %s)", vnet_name(w, vnet), sn->name,
	     azlab_pfx_fmt(r->prefix, pb), azlab_nh_type_name(r->nh_type), r->n_nh ? " " : "",
	     r->n_nh ? azlab_ip_fmt(r->nh_ips[0], nb) : "", azlab_rsource_name(r->source),
	     r->route_table ? " " : "", r->route_table ? r->route_table : "", r->rule);
	switch (r->nh_type) {
	case AZLAB_NH_NONE:
		return fail(w, "%s/%s drops it: route %s None (%s)", vnet_name(w, vnet), sn->name,
			    azlab_pfx_fmt(r->prefix, pb),
			    r->source == AZLAB_SRC_USER ? "User, R-A5" : "Default, R-A1");
	case AZLAB_NH_INTERNET:
		return fail(w, "%s/%s sends %s to the Internet (route %s), outside the lab",
			    vnet_name(w, vnet), sn->name, azlab_ip_fmt(pk.dst, ib),
			    azlab_pfx_fmt(r->prefix, pb));
	case AZLAB_NH_VNET_LOCAL:
		return deliver_in_vnet(w, vnet, pk);
	case AZLAB_NH_VNET_PEERING:
		if (!cross(w, vnet, r->peer_vnet, pk, from_kind == FROM_GATEWAY))
			return false;
		return deliver_in_vnet(w, r->peer_vnet, pk);
	case AZLAB_NH_INTERFACE_ENDPOINT: {
		const struct azlab_pe *e = &t->pes[r->peer_vnet];
		if (!cross(w, vnet, e->vnet, pk, from_kind == FROM_GATEWAY))
			return false;
		return pe_receive(w, r->peer_vnet, pk);
	}
	case AZLAB_NH_VIRTUAL_NETWORK_GATEWAY:
		if (r->gateway >= 0) {
			int gv = t->gateways[r->gateway].vnet;
			if (gv != vnet)
				note(w, "through %s's gateway (useRemoteGateways)", vnet_name(w, gv));
			return er_send(w, r->gateway, r, pk);
		}
		/* a Route Server route: the NVA's address (R-D5); ECMP takes the first */
		/* fall through */
	case AZLAB_NH_VIRTUAL_APPLIANCE: {
		if (r->n_nh == 0)
			return fail(w, "route %s has no next hop address", azlab_pfx_fmt(r->prefix, pb));
		int nva = azlab_topo_vm_by_ip(t, r->nh_ips[0]);
		if (nva < 0)
			return fail(w, "next hop %s of route %s is no NIC: the packet is dropped",
				    azlab_ip_fmt(r->nh_ips[0], nb), azlab_pfx_fmt(r->prefix, pb));
		int nv = t->vms[nva].vnet;
		if (!cross(w, vnet, nv, pk, from_kind == FROM_GATEWAY))
			return false;
		if (pk.dst == t->vms[nva].ip)
			return vm_receive(w, nva, pk);
		if (!t->vms[nva].ip_forwarding)
			return fail(w, "%s's NIC drops a packet not addressed to it: enableIPForwarding is off (R-F1)",
				    t->vms[nva].name);
		add_hop(w, t->vms[nva].ip, false, t->vms[nva].name);
		return vm_send(w, nva, pk, false);
	}
	}
	return fail(w, "unknown next hop type");
}

/* ---- sites ---- */

static bool site_receive(struct walker *w, int si, struct pkt pk)
{
	const struct azlab_site *s = &w->t->sites[si];
	char ib[AZLAB_IPSTR];
	if (s->has_router_ip && pk.dst == s->router_ip)
		return deliver(w, AZLAB_EP_HOST, si, -1, s->name, pk);
	add_hop(w, s->router_ip, !s->has_router_ip, s->name);
	for (size_t h = 0; h < s->n_hosts; h++)
		if (s->hosts[h].ip == pk.dst)
			return deliver(w, AZLAB_EP_HOST, si, (int)h, s->hosts[h].name, pk);
	return fail(w, "site %s has no host %s", s->name, azlab_ip_fmt(pk.dst, ib));
}

/* A packet at a site's CE router, arriving from the MSEE or from a host. */
static bool site_send(struct walker *w, int si, struct pkt pk)
{
	const struct azlab_topo *t = w->t;
	const struct azlab_site *s = &t->sites[si];
	char ib[AZLAB_IPSTR], pb[AZLAB_PFXSTR];
	if (++w->steps > MAX_STEPS)
		return fail(w, "routing loop at site %s", s->name);
	for (size_t i = 0; i < s->n_prefixes; i++)
		if (azlab_pfx_has(s->prefixes[i], pk.dst))
			return site_receive(w, si, pk);
	const struct azlab_rlist *l = azlab_model_site_learned(w->m, si);
	const struct azlab_bgp_route *b = NULL;
	for (size_t i = 0; l && i < l->n; i++) {
		const struct azlab_bgp_route *r = &l->v[i];
		if (azlab_pfx_has(r->prefix, pk.dst) &&
		    (!b || r->prefix.len > b->prefix.len ||
		     (r->prefix.len == b->prefix.len && r->n_as < b->n_as)))
			b = r;
	}
	if (!b)
		return fail(w, "site %s has no route for %s (nothing learned over %s)", s->name,
			    azlab_ip_fmt(pk.dst, ib), s->circuit >= 0 ? t->circuits[s->circuit].name : "?");
	note(w, "%s: bgp %s from the MSEE", s->name, azlab_pfx_fmt(b->prefix, pb));
	add_hop(w, s->router_ip, !s->has_router_ip, s->name);
	char node[64];
	snprintf(node, sizeof node, "ExpressRoute %s", t->circuits[b->circuit].name);
	note(w, "MSEE of %s -> gateway %s; MTU %u: a larger packet is fragmented, or dropped with DF set (R-C7)",
	     t->circuits[b->circuit].name, t->gateways[b->origin].name, AZLAB_ER_MTU);
	add_hop(w, 0, true, node); /* R-C7 */
	const struct azlab_er_gateway *h = &t->gateways[b->origin];
	int v = h->vnet, sub;
	char ref[300];
	snprintf(ref, sizeof ref, "%s/GatewaySubnet", t->vnets[v].name);
	if (!azlab_topo_subnet(t, ref, &v, &sub))
		return fail(w, "%s has no GatewaySubnet", t->vnets[h->vnet].name);
	note(w, "gateway %s routes with GatewaySubnet's routes (R-A11)", h->name);
	return fabric(w, v, sub, pk, FROM_GATEWAY, b->origin);
}

/* ---- entry points ---- */

static void walk(const struct azlab_model *m, const struct azlab_endpoint *from, struct pkt pk,
		 struct azlab_path *out, int pl_pe, uint32_t pl_consumer)
{
	memset(out, 0, sizeof *out);
	out->via_pe = -1;
	out->at_index = out->at_host = -1;
	struct walker w = { m, m->t, out, 0, true, 0, pl_pe, pl_consumer };
	if (from->kind == AZLAB_EP_VM) {
		vm_send(&w, from->index, pk, true);
	} else {
		out->src_sent = pk.src;
		site_send(&w, from->index, pk);
	}
}

void azlab_model_walk(const struct azlab_model *m, const struct azlab_endpoint *from, uint32_t dst,
		      struct azlab_path *out)
{
	struct pkt pk = { from->kind == AZLAB_EP_VM ? 0 : from->ip, dst };
	walk(m, from, pk, out, -1, 0);
	if (!out->src_sent)
		out->src_sent = from->ip;
}

void azlab_model_reach(const struct azlab_model *m, const struct azlab_endpoint *from, uint32_t dst,
		       struct azlab_reach *out)
{
	char ib[AZLAB_IPSTR];
	memset(out, 0, sizeof *out);
	azlab_model_walk(m, from, dst, &out->request);
	if (!out->request.delivered) {
		snprintf(out->reason, sizeof out->reason, "%s", out->request.reason);
		return;
	}
	/* the receiver answers the source it saw */
	struct azlab_endpoint back = { out->request.at_kind, out->request.at_index,
				       out->request.at_host, 0 };
	const struct azlab_topo *t = m->t;
	uint32_t answer_from = back.kind == AZLAB_EP_VM ? t->vms[back.index].ip :
			       back.host >= 0 ? t->sites[back.index].hosts[back.host].ip :
						t->sites[back.index].router_ip;
	struct pkt pk = { answer_from, out->request.src_seen };
	walk(m, &back, pk, &out->reply, out->request.via_pe, out->request.src_sent);
	if (!out->reply.delivered) {
		snprintf(out->reason, sizeof out->reason, "the reply from %s to %s fails: %s",
			 out->request.at, azlab_ip_fmt(out->request.src_seen, ib),
			 out->reply.reason);
		return;
	}
	bool home = out->reply.at_kind == from->kind && out->reply.at_index == from->index &&
		    (from->kind == AZLAB_EP_VM || out->reply.at_host == from->host);
	if (!home) {
		snprintf(out->reason, sizeof out->reason, "the reply reaches %s, not the sender",
			 out->reply.at);
		return;
	}
	out->ok = true;
}

bool azlab_model_endpoint(const struct azlab_model *m, const char *name, struct azlab_endpoint *ep)
{
	const struct azlab_topo *t = m->t;
	int v = azlab_topo_vm(t, name);
	if (v >= 0) {
		*ep = (struct azlab_endpoint){ AZLAB_EP_VM, v, -1, t->vms[v].ip };
		return true;
	}
	int s, h;
	if (azlab_topo_site_host(t, name, &s, &h)) {
		*ep = (struct azlab_endpoint){ AZLAB_EP_HOST, s, h, t->sites[s].hosts[h].ip };
		return true;
	}
	return false;
}

bool azlab_model_address(const struct azlab_model *m, const char *text, uint32_t *ip)
{
	const struct azlab_topo *t = m->t;
	struct azlab_endpoint ep;
	if (azlab_ip_parse(text, ip))
		return true;
	if (azlab_model_endpoint(m, text, &ep)) {
		*ip = ep.ip;
		return true;
	}
	for (size_t i = 0; i < t->n_pes; i++)
		if (strcmp(t->pes[i].name, text) == 0) {
			*ip = t->pes[i].ip;
			return true;
		}
	return false;
}

void azlab_endpoints_list(const struct azlab_topo *t, struct azlab_endpoints *e)
{
	e->n = 0;
	for (size_t i = 0; i < t->n_vms && e->n < AZLAB_ENDPOINTS_MAX; i++) {
		e->v[e->n] = (struct azlab_endpoint){ AZLAB_EP_VM, (int)i, -1, t->vms[i].ip };
		e->name[e->n++] = t->vms[i].name;
	}
	for (size_t s = 0; s < t->n_sites; s++)
		for (size_t h = 0; h < t->sites[s].n_hosts && e->n < AZLAB_ENDPOINTS_MAX; h++) {
			e->v[e->n] = (struct azlab_endpoint){ AZLAB_EP_HOST, (int)s, (int)h,
							      t->sites[s].hosts[h].ip };
			e->name[e->n++] = t->sites[s].hosts[h].name;
		}
}

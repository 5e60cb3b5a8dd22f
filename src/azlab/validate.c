/* validate.c: the checks Azure makes before it accepts a resource, applied
 * to the whole topology. Each message names the resource, its VNet and the
 * rule id of docs/azure-model.md. */
#include "azlab/validate.h"
#include "azlab/model_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct vctx {
	const struct azlab_topo *t;
	struct azlab_diag *errs, *warns;
	size_t n_errs;
};

__attribute__((format(printf, 3, 4)))
static void verr(struct vctx *c, struct azlab_loc loc, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	c->n_errs++;
	if (c->errs)
		azlab_diag_add(c->errs, "%s:%u:%u: error: %s", c->t->file, loc.line, loc.col, msg);
}

__attribute__((format(printf, 3, 4)))
static void vwarn(struct vctx *c, struct azlab_loc loc, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (c->warns)
		azlab_diag_add(c->warns, "%s:%u:%u: warning: %s", c->t->file, loc.line, loc.col, msg);
}

bool azlab_asn_reserved(uint32_t asn)
{
	return asn == 0 || asn == 8074 || asn == 8075 || asn == 12076 || asn == 65515 ||
	       (asn >= 65517 && asn <= 65520) || asn == 23456 || (asn >= 64496 && asn <= 64511) ||
	       (asn >= 65535 && asn <= 65551) || asn == 4294967295u;
}

static const struct azlab_subnet *named_subnet(const struct azlab_topo *t, int vnet, const char *name)
{
	for (size_t i = 0; vnet >= 0 && i < t->vnets[vnet].n_subnets; i++)
		if (strcmp(t->vnets[vnet].subnets[i].name, name) == 0)
			return &t->vnets[vnet].subnets[i];
	return NULL;
}

static void check_vnets(struct vctx *c)
{
	const struct azlab_topo *t = c->t;
	char a[AZLAB_PFXSTR], b[AZLAB_PFXSTR];
	for (size_t i = 0; i < t->n_vnets; i++) {
		const struct azlab_vnet *v = &t->vnets[i];
		for (size_t k = 0; k < v->n_prefixes; k++)
			for (size_t l = k + 1; l < v->n_prefixes; l++)
				if (azlab_pfx_overlap(v->prefixes[k], v->prefixes[l]))
					verr(c, v->loc, "NetcfgInvalidAddressPrefixes: address prefixes %s and %s of virtual network %s overlap",
					     azlab_pfx_fmt(v->prefixes[k], a), azlab_pfx_fmt(v->prefixes[l], b),
					     v->name);
		for (size_t s = 0; s < v->n_subnets; s++) {
			const struct azlab_subnet *sn = &v->subnets[s];
			bool inside = false;
			for (size_t k = 0; k < v->n_prefixes; k++)
				if (azlab_pfx_covers(v->prefixes[k], sn->prefix))
					inside = true;
			if (!inside)
				verr(c, sn->loc, "NetcfgSubnetRangeOutsideVnet: subnet %s (%s) is not within the address space of virtual network %s",
				     sn->name, azlab_pfx_fmt(sn->prefix, a), v->name);
			if (sn->prefix.len > 29)
				verr(c, sn->loc, "subnet %s: %s is smaller than /29, the smallest subnet Azure allows",
				     sn->name, azlab_pfx_fmt(sn->prefix, a));
			for (size_t o = s + 1; o < v->n_subnets; o++)
				if (azlab_pfx_overlap(sn->prefix, v->subnets[o].prefix))
					verr(c, v->subnets[o].loc, "NetcfgSubnetRangesOverlap: subnet %s overlaps subnet %s in virtual network %s",
					     v->subnets[o].name, sn->name, v->name);
			if (strcmp(sn->name, "RouteServerSubnet") == 0 && sn->rt >= 0) /* R-A12 */
				verr(c, sn->route_table_loc, "RouteServerSubnetCannotHaveRouteTable: subnet RouteServerSubnet of virtual network %s cannot be associated with route table %s (R-A12)",
				     v->name, sn->route_table);
			if (strcmp(sn->name, "GatewaySubnet") == 0 && sn->rt >= 0) { /* R-A10 */
				const struct azlab_route_table *rt = &t->route_tables[sn->rt];
				if (rt->disable_bgp)
					verr(c, sn->route_table_loc, "GatewaySubnetCannotDisableBgpRoutePropagation: route table %s has disableBgpRoutePropagation set and cannot be associated with GatewaySubnet of virtual network %s (R-A10)",
					     rt->name, v->name);
				for (size_t r = 0; r < rt->n_routes; r++)
					if (rt->routes[r].prefix.len == 0)
						verr(c, rt->routes[r].loc, "RouteTableCannotHaveDefaultRouteOnGatewaySubnet: route %s (0.0.0.0/0) in route table %s cannot apply to GatewaySubnet of virtual network %s (R-A10)",
						     rt->routes[r].name, rt->name, v->name);
			}
		}
	}
}

static void check_udrs(struct vctx *c)
{
	const struct azlab_topo *t = c->t;
	char ib[AZLAB_IPSTR];
	for (size_t r = 0; r < t->n_route_tables; r++) {
		const struct azlab_route_table *rt = &t->route_tables[r];
		for (size_t i = 0; i < rt->n_routes; i++) {
			const struct azlab_udr *u = &rt->routes[i];
			bool va = u->next_hop_type == AZLAB_NH_VIRTUAL_APPLIANCE;
			if (va && !u->has_next_hop_ip)
				verr(c, u->loc, "InvalidNextHopIpAddress: route %s of route table %s has next hop type VirtualAppliance and no nextHopIpAddress (R-A5)",
				     u->name, rt->name);
			if (!va && u->has_next_hop_ip)
				verr(c, u->loc, "NextHopIpAddressNotAllowed: route %s of route table %s: nextHopIpAddress is only allowed with VirtualAppliance (R-A5)",
				     u->name, rt->name);
			for (size_t j = 0; j < i; j++)
				if (azlab_pfx_eq(rt->routes[j].prefix, u->prefix))
					verr(c, u->loc, "RouteConflict: routes %s and %s of route table %s have the same address prefix",
					     rt->routes[j].name, u->name, rt->name);
			/* the subnets it serves */
			for (size_t v = 0; v < t->n_vnets; v++)
				for (size_t s = 0; s < t->vnets[v].n_subnets; s++) {
					if (t->vnets[v].subnets[s].rt != (int)r)
						continue;
					if (va && u->has_next_hop_ip) {
						bool ok = azlab_vnet_has(t, (int)v, u->next_hop_ip);
						for (size_t p = 0; !ok && p < t->n_peerings; p++) {
							const struct azlab_peering *pe = &t->peerings[p];
							if (pe->vnet == (int)v && pe->reverse >= 0 &&
							    azlab_vnet_has(t, pe->remote, u->next_hop_ip))
								ok = true;
						}
						if (!ok)
							verr(c, u->loc, "InvalidNextHopIpAddress: next hop %s of route %s (route table %s, used by %s/%s) is neither in virtual network %s nor in a directly peered one (R-A5)",
							     azlab_ip_fmt(u->next_hop_ip, ib), u->name, rt->name,
							     t->vnets[v].name, t->vnets[v].subnets[s].name,
							     t->vnets[v].name);
					}
					if (u->next_hop_type == AZLAB_NH_VIRTUAL_NETWORK_GATEWAY) {
						int g = azlab_topo_vnet_gateway(t, (int)v);
						if (g < 0)
							g = azlab_topo_vnet_gateway(t, azlab_remote_gateway_vnet(t, (int)v));
						if (g >= 0)
							verr(c, u->loc, "VirtualNetworkGatewayNextHopNotAllowed: route %s of route table %s names VirtualNetworkGateway, but the gateway of %s is ExpressRoute gateway %s; only VPN gateways can be a next hop (R-A5)",
							     u->name, rt->name, t->vnets[v].name, t->gateways[g].name);
						else
							verr(c, u->loc, "route %s of route table %s names VirtualNetworkGateway, but virtual network %s has no gateway (R-A5)",
							     u->name, rt->name, t->vnets[v].name);
					}
				}
		}
	}
}

static void check_peerings(struct vctx *c)
{
	const struct azlab_topo *t = c->t;
	char a[AZLAB_PFXSTR], b[AZLAB_PFXSTR];
	for (size_t i = 0; i < t->n_peerings; i++) {
		const struct azlab_peering *p = &t->peerings[i];
		const struct azlab_vnet *v = &t->vnets[p->vnet], *rv = &t->vnets[p->remote];
		if (p->vnet == p->remote) {
			verr(c, p->loc, "peering %s: a virtual network cannot peer with itself", p->name);
			continue;
		}
		for (size_t j = 0; j < i; j++)
			if (t->peerings[j].vnet == p->vnet && t->peerings[j].remote == p->remote)
				verr(c, p->loc, "VnetPeeringAlreadyExists: %s and %s already peer through %s",
				     v->name, rv->name, t->peerings[j].name);
		for (size_t k = 0; k < v->n_prefixes; k++) /* R-B1 */
			for (size_t l = 0; l < rv->n_prefixes; l++)
				if (azlab_pfx_overlap(v->prefixes[k], rv->prefixes[l]))
					verr(c, p->loc, "VnetAddressSpacesOverlap: cannot create or update peering %s: address space %s of virtual network %s overlaps address space %s of remote virtual network %s (R-B1)",
					     p->name, azlab_pfx_fmt(v->prefixes[k], a), v->name,
					     azlab_pfx_fmt(rv->prefixes[l], b), rv->name);
		if (p->reverse < 0)
			vwarn(c, p->loc, "peering %s is Initiated: %s has no peering back to %s, so nothing crosses it",
			      p->name, rv->name, v->name);
		if (p->gw_transit && azlab_topo_vnet_gateway(t, p->vnet) < 0 &&
		    azlab_topo_vnet_route_server(t, p->vnet) < 0) /* R-B4 */
			verr(c, p->loc, "AllowGatewayTransitRequiresGateway: peering %s sets allowGatewayTransit, but virtual network %s has no gateway and no Route Server (R-B4)",
			     p->name, v->name);
		if (!p->use_remote)
			continue;
		int own = azlab_topo_vnet_gateway(t, p->vnet);
		if (own >= 0) /* R-B4: the premise of the project */
			verr(c, p->loc, "UseRemoteGatewaysNotAllowedWithLocalGateway: peering %s cannot set useRemoteGateways because virtual network %s has its own gateway %s (R-B4)",
			     p->name, v->name, t->gateways[own].name);
		int own_rs = azlab_topo_vnet_route_server(t, p->vnet);
		if (own_rs >= 0)
			verr(c, p->loc, "UseRemoteGatewaysNotAllowedWithLocalGateway: peering %s cannot set useRemoteGateways because virtual network %s has its own Route Server %s (R-B4)",
			     p->name, v->name, t->route_servers[own_rs].name);
		if (p->reverse < 0 || !t->peerings[p->reverse].gw_transit)
			verr(c, p->loc, "RemotePeeringDoesNotAllowGatewayTransit: peering %s sets useRemoteGateways, but %s of virtual network %s does not set allowGatewayTransit (R-B4)",
			     p->name, p->reverse < 0 ? "the remote peering" : t->peerings[p->reverse].name,
			     rv->name);
		else if (azlab_topo_vnet_gateway(t, p->remote) < 0 &&
			 azlab_topo_vnet_route_server(t, p->remote) < 0)
			verr(c, p->loc, "RemoteVnetHasNoGateway: peering %s sets useRemoteGateways, but virtual network %s has no gateway (R-B4)",
			     p->name, rv->name);
		for (size_t j = 0; j < i; j++)
			if (t->peerings[j].vnet == p->vnet && t->peerings[j].use_remote)
				verr(c, p->loc, "OnlyOnePeeringCanUseRemoteGateways: peering %s sets useRemoteGateways, but peering %s of virtual network %s already does (R-B4)",
				     p->name, t->peerings[j].name, v->name);
	}
}

static void check_gateways(struct vctx *c)
{
	const struct azlab_topo *t = c->t;
	for (size_t g = 0; g < t->n_gateways; g++) {
		const struct azlab_er_gateway *gw = &t->gateways[g];
		if (!named_subnet(t, gw->vnet, "GatewaySubnet"))
			verr(c, gw->loc, "GatewaySubnetMissing: gateway %s needs a subnet named GatewaySubnet in virtual network %s",
			     gw->name, t->vnets[gw->vnet].name);
		for (size_t h = 0; h < g; h++)
			if (t->gateways[h].vnet == gw->vnet)
				verr(c, gw->loc, "virtual network %s already has ExpressRoute gateway %s",
				     t->vnets[gw->vnet].name, t->gateways[h].name);
		for (size_t k = 0; k < gw->n_connections; k++)
			for (size_t l = 0; l < k; l++)
				if (gw->connections[k].circuit == gw->connections[l].circuit)
					verr(c, gw->connections[k].loc, "gateway %s connects twice to circuit %s",
					     gw->name, gw->connections[k].circuit_name);
	}
}

static void check_route_servers(struct vctx *c)
{
	const struct azlab_topo *t = c->t;
	char ib[AZLAB_IPSTR];
	for (size_t s = 0; s < t->n_route_servers; s++) {
		const struct azlab_route_server *rs = &t->route_servers[s];
		const struct azlab_subnet *sn = named_subnet(t, rs->vnet, "RouteServerSubnet");
		if (!sn)
			verr(c, rs->loc, "RouteServerSubnetMissing: Route Server %s needs a subnet named RouteServerSubnet in virtual network %s (R-D1)",
			     rs->name, t->vnets[rs->vnet].name);
		else if (sn->prefix.len > 27)
			verr(c, sn->loc, "RouteServerSubnet of %s must be /27 or larger", t->vnets[rs->vnet].name);
		for (size_t o = 0; o < s; o++)
			if (t->route_servers[o].vnet == rs->vnet)
				verr(c, rs->loc, "virtual network %s already has Route Server %s",
				     t->vnets[rs->vnet].name, t->route_servers[o].name);
		if (rs->n_connections > 8) /* R-D2 */
			verr(c, rs->connections[8].loc, "MaxBgpConnectionsExceeded: Route Server %s has %zu BGP connections; at most 8 peers are supported (R-D2)",
			     rs->name, rs->n_connections);
		if (rs->preference == AZLAB_PREF_VPNGATEWAY)
			vwarn(c, rs->loc, "Route Server %s: hubRoutingPreference VpnGateway: the lab has no VPN gateway, so ExpressRoute routes are preferred as with ExpressRoute (R-D9)",
			      rs->name);
		for (size_t k = 0; k < rs->n_connections; k++) {
			const struct azlab_bgp_connection *bc = &rs->connections[k];
			if (azlab_asn_reserved(bc->peer_asn)) /* R-D1 */
				verr(c, bc->loc, "InvalidPeerAsn: BGP connection %s of Route Server %s: ASN %u is reserved and cannot be used for a peer (65515, 65517-65520, 8074, 8075, 12076, 23456, 64496-64511, 65535-65551) (R-D1)",
				     bc->name, rs->name, bc->peer_asn);
			for (size_t l = 0; l < k; l++)
				if (rs->connections[l].peer_ip == bc->peer_ip)
					verr(c, bc->loc, "BGP connections %s and %s of Route Server %s have the same peer IP",
					     rs->connections[l].name, bc->name, rs->name);
			if (bc->vm < 0) {
				vwarn(c, bc->loc, "BGP connection %s of Route Server %s: no virtual machine has %s",
				      bc->name, rs->name, azlab_ip_fmt(bc->peer_ip, ib));
				continue;
			}
			const struct azlab_vm *vm = &t->vms[bc->vm];
			if (vm->vnet != rs->vnet && azlab_remote_gateway_vnet(t, vm->vnet) != rs->vnet &&
			    azlab_connected_peering(t, rs->vnet, vm->vnet) < 0)
				verr(c, bc->loc, "BGP connection %s: peer %s (%s) is neither in virtual network %s nor in a peered one",
				     bc->name, azlab_ip_fmt(bc->peer_ip, ib), vm->name, t->vnets[rs->vnet].name);
			if (!vm->nva)
				vwarn(c, bc->loc, "BGP connection %s: %s runs no routing software (no nva:)",
				      bc->name, vm->name);
			else if (vm->nva->asn && vm->nva->asn != bc->peer_asn)
				verr(c, bc->loc, "BGP connection %s expects ASN %u, but %s runs ASN %u",
				     bc->name, bc->peer_asn, vm->name, vm->nva->asn);
		}
	}
}

static bool usable_in(const struct azlab_subnet *sn, uint32_t ip)
{
	uint32_t off = ip - sn->prefix.addr, last = ~azlab_mask(sn->prefix.len);
	return azlab_pfx_has(sn->prefix, ip) && off > 3 && off != last;
}

static void check_address(struct vctx *c, struct azlab_loc loc, const char *what, const char *name,
			  int vnet, int subnet, uint32_t ip)
{
	const struct azlab_subnet *sn = azlab_topo_subnet_at(c->t, vnet, subnet);
	char ib[AZLAB_IPSTR], pb[AZLAB_PFXSTR];
	if (!sn)
		return;
	if (!azlab_pfx_has(sn->prefix, ip))
		verr(c, loc, "PrivateIPAddressNotInSubnet: %s %s: %s is not in subnet %s (%s)", what,
		     name, azlab_ip_fmt(ip, ib), sn->name, azlab_pfx_fmt(sn->prefix, pb));
	else if (!usable_in(sn, ip)) /* R-A12 */
		verr(c, loc, "PrivateIPAddressIsReserved: %s %s: %s is reserved in subnet %s (%s: the first four and the last address are Azure's, R-A12)",
		     what, name, azlab_ip_fmt(ip, ib), sn->name, azlab_pfx_fmt(sn->prefix, pb));
}

struct owner {
	uint32_t ip;
	int vnet;
	const char *name;
};

static void check_addresses(struct vctx *c)
{
	const struct azlab_topo *t = c->t;
	char ib[AZLAB_IPSTR];
	for (size_t i = 0; i < t->n_vms; i++) {
		const struct azlab_vm *vm = &t->vms[i];
		check_address(c, vm->loc, "virtual machine", vm->name, vm->vnet, vm->subnet, vm->ip);
		const struct azlab_subnet *sn = azlab_topo_subnet_at(t, vm->vnet, vm->subnet);
		if (sn && (strcmp(sn->name, "GatewaySubnet") == 0 ||
			   strcmp(sn->name, "RouteServerSubnet") == 0))
			verr(c, vm->loc, "SubnetReservedForService: virtual machine %s cannot be placed in %s",
			     vm->name, sn->name);
		for (size_t j = 0; j < i; j++)
			if (t->vms[j].ip == vm->ip && t->vms[j].vnet == vm->vnet)
				verr(c, vm->loc, "PrivateIPAddressInUse: %s is already used by %s",
				     azlab_ip_fmt(vm->ip, ib), t->vms[j].name);
		if (vm->nva && vm->nva->relay && vm->nva->asn == 0)
			verr(c, vm->nva->loc, "NVA %s relays routes but declares no asn", vm->name);
		if (vm->nva && vm->nva->n_adverts && vm->nva->asn == 0)
			verr(c, vm->nva->loc, "NVA %s advertises routes but declares no asn", vm->name);
		if (vm->nva && vm->nva->n_adverts && !vm->ip_forwarding)
			vwarn(c, vm->nva->loc, "NVA %s advertises routes but its NIC has enableIPForwarding off (R-F1)",
			      vm->name);
		for (size_t a = 0; vm->nva && a < vm->nva->n_adverts; a++) {
			const struct azlab_advert *ad = &vm->nva->adverts[a];
			for (size_t k = 0; k < ad->n_to; k++) {
				int s = azlab_topo_route_server(t, ad->to[k]);
				bool peer = false;
				for (size_t q = 0; s >= 0 && q < t->route_servers[s].n_connections; q++)
					if (t->route_servers[s].connections[q].peer_ip == vm->ip)
						peer = true;
				if (s >= 0 && !peer)
					verr(c, ad->loc, "%s advertises to Route Server %s, which has no bgpConnection with %s",
					     vm->name, ad->to[k], azlab_ip_fmt(vm->ip, ib));
			}
		}
	}
	for (size_t i = 0; i < t->n_pes; i++)
		check_address(c, t->pes[i].loc, "private endpoint", t->pes[i].name, t->pes[i].vnet,
			      t->pes[i].subnet, t->pes[i].ip);
	for (size_t i = 0; i < t->n_lbs; i++) {
		check_address(c, t->lbs[i].loc, "load balancer", t->lbs[i].name, t->lbs[i].vnet,
			      t->lbs[i].subnet, t->lbs[i].frontend_ip);
		if (t->lbs[i].sku != 0)
			verr(c, t->lbs[i].loc, "load balancer %s: Private Link Service needs the Standard SKU (R-E1)",
			     t->lbs[i].name);
		for (size_t k = 0; k < t->lbs[i].n_probes; k++) { /* R-E4, Azure's limits */
			const struct azlab_lb_probe *p = &t->lbs[i].probes[k];
			if (p->port < 1 || p->port > 65535)
				verr(c, p->loc, "InvalidProbePort: probe %s of load balancer %s: port %u is not 1-65535",
				     p->name, t->lbs[i].name, p->port);
			if (p->interval_s < 5)
				verr(c, p->loc, "InvalidProbeInterval: probe %s of load balancer %s: intervalInSeconds must be at least 5 (R-E4)",
				     p->name, t->lbs[i].name);
			if (p->number_of_probes < 1)
				verr(c, p->loc, "InvalidProbeCount: probe %s of load balancer %s: numberOfProbes must be at least 1 (R-E4)",
				     p->name, t->lbs[i].name);
		}
	}
	for (size_t i = 0; i < t->n_pls; i++)
		for (size_t k = 0; k < t->pls[i].n_nat_ips; k++)
			check_address(c, t->pls[i].loc, "private link service", t->pls[i].name,
				      t->pls[i].vnet, t->pls[i].subnet, t->pls[i].nat_ips[k]);
}

static void check_expects(struct vctx *c)
{
	const struct azlab_topo *t = c->t;
	for (size_t i = 0; i < t->n_expects; i++) {
		const struct azlab_expect *e = &t->expects[i];
		const char *from = e->reach ? e->reach->from : e->no_reach ? e->no_reach->from :
				   e->trace ? e->trace->from : NULL;
		int s, h;
		if (from && azlab_topo_vm(t, from) < 0 && !azlab_topo_site_host(t, from, &s, &h))
			verr(c, e->loc, "expect: unknown sender \"%s\" (a virtual machine or a site host)",
			     from);
		if (e->route) {
			int v, sn;
			if (azlab_topo_vm(t, e->route->at) < 0 && azlab_topo_vm_by_nic(t, e->route->at) < 0 &&
			    !azlab_topo_subnet(t, e->route->at, &v, &sn))
				verr(c, e->route->loc, "expect: unknown VM, NIC or VNET/SUBNET \"%s\"",
				     e->route->at);
		}
		if (e->bgp) {
			if (azlab_topo_route_server(t, e->bgp->route_server) < 0)
				verr(c, e->bgp->loc, "expect: unknown Route Server \"%s\"", e->bgp->route_server);
			if (azlab_topo_vm(t, e->bgp->nva) < 0)
				verr(c, e->bgp->loc, "expect: unknown NVA \"%s\"", e->bgp->nva);
		}
	}
}

size_t azlab_validate(const struct azlab_topo *t, struct azlab_diag *errs, struct azlab_diag *warns)
{
	struct vctx c = { t, errs, warns, 0 };
	check_vnets(&c);
	check_udrs(&c);
	check_peerings(&c);
	check_gateways(&c);
	check_route_servers(&c);
	check_addresses(&c);
	check_expects(&c);
	return c.n_errs;
}

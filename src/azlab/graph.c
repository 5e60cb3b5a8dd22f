/* graph.c: writes the DOT text of a topology; the edge (main.c) pipes it
 * through `dot -Tsvg`. Pure: text in a strbuf. */
#include "azlab/graph.h"

#include <stdio.h>
#include <string.h>

/* DOT identifiers are quoted; names come from the file, so escape. */
static void q(struct strbuf *o, const char *prefix, const char *s)
{
	strbuf_printf(o, "\"%s", prefix);
	for (const char *p = s; *p; p++) {
		if (*p == '"' || *p == '\\')
			strbuf_puts(o, "\\");
		if ((unsigned char)*p >= 0x20)
			strbuf_printf(o, "%c", *p);
	}
	strbuf_puts(o, "\"");
}

static int vnet_group(const struct azlab_topo *t, int v)
{
	if (t->vnets[v].role != AZLAB_ROLE_NONE)
		return t->vnets[v].role;
	if (azlab_topo_vnet_gateway(t, v) >= 0 || azlab_topo_vnet_route_server(t, v) >= 0)
		return AZLAB_ROLE_HUB;
	return AZLAB_ROLE_SPOKE;
}

static void vnet_cluster(const struct azlab_topo *t, int v, struct strbuf *o)
{
	const struct azlab_vnet *vn = &t->vnets[v];
	char pb[AZLAB_PFXSTR], ib[AZLAB_IPSTR];
	strbuf_printf(o, "  subgraph \"cluster_vnet_%d\" {\n    label=", v);
	q(o, "", vn->name);
	strbuf_puts(o, "; style=rounded; color=\"#0078d4\";\n");
	strbuf_puts(o, "    ");
	q(o, "vnet:", vn->name);
	strbuf_puts(o, " [shape=note, label=\"");
	for (size_t k = 0; k < vn->n_prefixes; k++)
		strbuf_printf(o, "%s%s", k ? "\\n" : "", azlab_pfx_fmt(vn->prefixes[k], pb));
	strbuf_puts(o, "\"];\n");
	for (size_t s = 0; s < vn->n_subnets; s++) {
		const struct azlab_subnet *sn = &vn->subnets[s];
		strbuf_printf(o, "    subgraph \"cluster_sn_%d_%zu\" {\n      label=\"", v, s);
		for (const char *p = sn->name; *p; p++)
			if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
				strbuf_printf(o, "%c", *p);
		strbuf_printf(o, " %s%s%s\"; style=dashed;\n", azlab_pfx_fmt(sn->prefix, pb),
			      sn->rt >= 0 ? "\\nrt: " : "", sn->rt >= 0 ? t->route_tables[sn->rt].name : "");
		for (size_t i = 0; i < t->n_vms; i++) {
			const struct azlab_vm *vm = &t->vms[i];
			if (vm->vnet != v || vm->subnet != (int)s)
				continue;
			strbuf_puts(o, "      ");
			q(o, "vm:", vm->name);
			strbuf_printf(o, " [shape=%s, label=\"%s\\n%s%s\"];\n", vm->nva ? "box3d" : "box",
				      vm->name, azlab_ip_fmt(vm->ip, ib),
				      vm->nva ? (vm->nva->software == AZLAB_SW_FRR ? "\\nNVA (FRR)" :
						 vm->nva->software == AZLAB_SW_BIRD ? "\\nNVA (BIRD)" :
										      "\\nNVA (nvad)") : "");
		}
		for (size_t i = 0; i < t->n_gateways; i++)
			if (t->gateways[i].vnet == v && strcmp(sn->name, "GatewaySubnet") == 0) {
				strbuf_puts(o, "      ");
				q(o, "gw:", t->gateways[i].name);
				strbuf_printf(o, " [shape=hexagon, label=\"%s\\nER gateway AS 65515%s\"];\n",
					      t->gateways[i].name,
					      t->gateways[i].allow_remote_vnet ? "\\nallowRemoteVnetTraffic" : "");
			}
		for (size_t i = 0; i < t->n_route_servers; i++)
			if (t->route_servers[i].vnet == v && strcmp(sn->name, "RouteServerSubnet") == 0) {
				const struct azlab_route_server *rs = &t->route_servers[i];
				strbuf_puts(o, "      ");
				q(o, "rs:", rs->name);
				strbuf_printf(o, " [shape=doubleoctagon, label=\"%s\\nRoute Server AS 65515\\n%s, .5%s\"];\n",
					      rs->name, azlab_ip_fmt(rs->ips[0], ib),
					      rs->b2b ? "\\nbranch-to-branch" : "");
			}
		for (size_t i = 0; i < t->n_pes; i++)
			if (t->pes[i].vnet == v && t->pes[i].subnet == (int)s) {
				strbuf_puts(o, "      ");
				q(o, "pe:", t->pes[i].name);
				strbuf_printf(o, " [shape=circle, label=\"PE\\n%s\"];\n",
					      azlab_ip_fmt(t->pes[i].ip, ib));
			}
		for (size_t i = 0; i < t->n_pls; i++)
			if (t->pls[i].vnet == v && t->pls[i].subnet == (int)s) {
				strbuf_puts(o, "      ");
				q(o, "pls:", t->pls[i].name);
				strbuf_printf(o, " [shape=component, label=\"PLS %s\"];\n", t->pls[i].name);
			}
		strbuf_puts(o, "    }\n");
	}
	strbuf_puts(o, "  }\n");
}

void azlab_graph_dot(const struct azlab_topo *t, struct strbuf *o)
{
	static const char *const group_label[] = { "", "hub", "spoke", "on-premises" };
	char pb[AZLAB_PFXSTR];
	strbuf_puts(o, "digraph azlab {\n  graph [rankdir=LR, fontname=\"Helvetica\", compound=true];\n"
		       "  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=9];\n");
	strbuf_puts(o, "  label=");
	q(o, "", t->name ? t->name : t->file);
	strbuf_puts(o, ";\n");
	for (int g = AZLAB_ROLE_HUB; g <= AZLAB_ROLE_ONPREM; g++) {
		bool any = false;
		for (size_t v = 0; v < t->n_vnets; v++)
			if (vnet_group(t, (int)v) == g)
				any = true;
		for (size_t s = 0; g == AZLAB_ROLE_ONPREM && s < t->n_sites; s++)
			any = true;
		if (!any)
			continue;
		strbuf_printf(o, " subgraph \"cluster_group_%d\" {\n  label=\"%s\"; style=filled; fillcolor=\"#f4f4f4\";\n",
			      g, group_label[g]);
		for (size_t v = 0; v < t->n_vnets; v++)
			if (vnet_group(t, (int)v) == g)
				vnet_cluster(t, (int)v, o);
		for (size_t s = 0; g == AZLAB_ROLE_ONPREM && s < t->n_sites; s++) {
			const struct azlab_site *site = &t->sites[s];
			strbuf_puts(o, "  ");
			q(o, "site:", site->name);
			strbuf_printf(o, " [shape=house, label=\"%s\\nCE AS %u", site->name, site->asn);
			for (size_t k = 0; k < site->n_prefixes; k++)
				strbuf_printf(o, "\\n%s", azlab_pfx_fmt(site->prefixes[k], pb));
			strbuf_puts(o, "\"];\n");
		}
		strbuf_puts(o, " }\n");
	}
	for (size_t c = 0; c < t->n_circuits; c++) {
		strbuf_puts(o, "  ");
		q(o, "er:", t->circuits[c].name);
		strbuf_printf(o, " [shape=cylinder, label=\"%s\\nMSEE AS 12076\"];\n", t->circuits[c].name);
	}
	/* peerings: one edge per direction, labelled with its flags */
	for (size_t i = 0; i < t->n_peerings; i++) {
		const struct azlab_peering *p = &t->peerings[i];
		strbuf_puts(o, "  ");
		q(o, "vnet:", t->vnets[p->vnet].name);
		strbuf_puts(o, " -> ");
		q(o, "vnet:", t->vnets[p->remote].name);
		strbuf_printf(o, " [color=\"#107c10\", label=\"%s%s%s%s%s\"%s];\n", p->name,
			      p->access ? "" : "\\n!access", p->forwarded ? "\\nforwarded" : "",
			      p->gw_transit ? "\\ngatewayTransit" : "",
			      p->use_remote ? "\\nuseRemoteGateways" : "",
			      p->reverse < 0 ? ", style=dashed" : "");
	}
	for (size_t g = 0; g < t->n_gateways; g++)
		for (size_t k = 0; k < t->gateways[g].n_connections; k++) {
			const struct azlab_er_connection *c = &t->gateways[g].connections[k];
			strbuf_puts(o, "  ");
			q(o, "gw:", t->gateways[g].name);
			strbuf_puts(o, " -> ");
			q(o, "er:", c->circuit_name);
			strbuf_puts(o, " [dir=both, color=\"#d83b01\", label=\"eBGP\"];\n");
		}
	for (size_t s = 0; s < t->n_sites; s++) {
		strbuf_puts(o, "  ");
		q(o, "site:", t->sites[s].name);
		strbuf_puts(o, " -> ");
		q(o, "er:", t->sites[s].circuit_name);
		strbuf_puts(o, " [dir=both, color=\"#d83b01\", label=\"eBGP\"];\n");
	}
	for (size_t r = 0; r < t->n_route_servers; r++)
		for (size_t k = 0; k < t->route_servers[r].n_connections; k++) {
			const struct azlab_bgp_connection *bc = &t->route_servers[r].connections[k];
			if (bc->vm < 0)
				continue;
			strbuf_puts(o, "  ");
			q(o, "rs:", t->route_servers[r].name);
			strbuf_puts(o, " -> ");
			q(o, "vm:", t->vms[bc->vm].name);
			strbuf_printf(o, " [dir=both, style=dotted, color=\"#5c2d91\", label=\"eBGP AS %u\"];\n",
				      bc->peer_asn);
		}
	for (size_t v = 0; v < t->n_vms; v++)
		for (size_t k = 0; t->vms[v].nva && k < t->vms[v].nva->n_tunnels; k++) {
			const struct azlab_tunnel *tu = &t->vms[v].nva->tunnels[k];
			int r = azlab_topo_vm_by_ip(t, tu->remote);
			if (r < 0 || (size_t)r < v)
				continue;
			strbuf_puts(o, "  ");
			q(o, "vm:", t->vms[v].name);
			strbuf_puts(o, " -> ");
			q(o, "vm:", t->vms[r].name);
			strbuf_printf(o, " [dir=both, style=bold, color=\"#008575\", label=\"%s VNI %u\"];\n",
				      tu->type == AZLAB_TUN_GRE ? "GRE" : "VXLAN", tu->vni);
		}
	for (size_t e = 0; e < t->n_pes; e++)
		if (t->pes[e].pls >= 0) {
			strbuf_puts(o, "  ");
			q(o, "pe:", t->pes[e].name);
			strbuf_puts(o, " -> ");
			q(o, "pls:", t->pls[t->pes[e].pls].name);
			strbuf_puts(o, " [style=dashed, label=\"Private Link\"];\n");
		}
	strbuf_puts(o, "}\n");
}

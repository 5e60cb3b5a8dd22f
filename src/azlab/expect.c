/* expect.c: the checks a topology file declares (reach, noReach, trace,
 * route, bgp), evaluated against the offline model; the same entries will be
 * evaluated against the live lab. */
#include "azlab/expect.h"
#include "azlab/model_int.h"

#include <stdio.h>
#include <string.h>

void azlab_expect_describe(const struct azlab_expect *e, char *buf, size_t cap)
{
	char pb[AZLAB_PFXSTR];
	if (e->reach)
		snprintf(buf, cap, "reach %s -> %s", e->reach->from, e->reach->to);
	else if (e->no_reach)
		snprintf(buf, cap, "noReach %s -> %s", e->no_reach->from, e->no_reach->to);
	else if (e->trace)
		snprintf(buf, cap, "trace %s -> %s", e->trace->from, e->trace->to);
	else if (e->route)
		snprintf(buf, cap, "route %s %s", e->route->at, azlab_pfx_fmt(e->route->prefix, pb));
	else if (e->bgp)
		snprintf(buf, cap, "bgp %s %s %s %s", e->bgp->route_server,
			 e->bgp->direction ? "from" : "to", e->bgp->nva,
			 azlab_pfx_fmt(e->bgp->prefix, pb));
	else
		snprintf(buf, cap, "empty");
}

const struct azlab_eff_table *azlab_expect_table(const struct azlab_model *m, const char *at,
						 int *vnet, int *subnet)
{
	const struct azlab_topo *t = azlab_model_topo(m);
	int v = azlab_topo_vm(t, at);
	if (v < 0)
		v = azlab_topo_vm_by_nic(t, at);
	if (v >= 0) {
		*vnet = t->vms[v].vnet;
		*subnet = t->vms[v].subnet;
	} else if (!azlab_topo_subnet(t, at, vnet, subnet)) {
		return NULL;
	}
	return azlab_model_routes(m, *vnet, *subnet);
}

static bool flow(const struct azlab_model *m, const struct azlab_expect_flow *f, bool want,
		 char *d, size_t cap)
{
	struct azlab_endpoint ep;
	uint32_t dst;
	char ib[AZLAB_IPSTR];
	if (!azlab_model_endpoint(m, f->from, &ep)) {
		snprintf(d, cap, "unknown sender %s", f->from);
		return false;
	}
	if (!azlab_model_address(m, f->to, &dst)) {
		snprintf(d, cap, "unknown destination %s", f->to);
		return false;
	}
	struct azlab_reach r;
	azlab_model_reach(m, &ep, dst, &r);
	if (!r.ok) {
		snprintf(d, cap, "fails: %s", r.reason);
		return !want && (!f->reason || strstr(r.reason, f->reason));
	}
	snprintf(d, cap, "reaches %s (source seen %s)", r.request.at,
		 azlab_ip_fmt(r.request.src_seen, ib));
	if (!want)
		return false;
	if (f->at && strcmp(f->at, r.request.at) != 0)
		return false;
	if (f->has_source && f->source != r.request.src_seen)
		return false;
	return true;
}

static bool trace(const struct azlab_model *m, const struct azlab_expect_trace *tr, char *d,
		  size_t cap)
{
	struct azlab_endpoint ep;
	uint32_t dst;
	if (!azlab_model_endpoint(m, tr->from, &ep) || !azlab_model_address(m, tr->to, &dst)) {
		snprintf(d, cap, "unknown sender or destination");
		return false;
	}
	struct azlab_path p;
	azlab_model_walk(m, &ep, dst, &p);
	size_t used = (size_t)snprintf(d, cap, "hops:");
	bool same = p.n_hops == tr->n_hops;
	for (size_t i = 0; i < p.n_hops; i++) {
		if (used < cap)
			used += (size_t)snprintf(d + used, cap - used, " %s", p.hops[i].addr);
		if (same && strcmp(p.hops[i].addr, tr->hops[i]) != 0)
			same = false;
	}
	if (!p.delivered && used < cap)
		snprintf(d + used, cap - used, " (then fails: %s)", p.reason);
	return same;
}

static bool route(const struct azlab_model *m, const struct azlab_expect_route *er, char *d,
		  size_t cap)
{
	int v, s;
	char pb[AZLAB_PFXSTR], ib[AZLAB_IPSTR];
	const struct azlab_eff_table *tb = azlab_expect_table(m, er->at, &v, &s);
	if (!tb) {
		snprintf(d, cap, "unknown %s", er->at);
		return false;
	}
	size_t used = (size_t)snprintf(d, cap, "found:");
	bool any = false;
	for (size_t i = 0; i < tb->n; i++) {
		const struct azlab_eff_route *r = &tb->v[i];
		if (!azlab_pfx_eq(r->prefix, er->prefix))
			continue;
		char one[160];
		int w = snprintf(one, sizeof one, "%s %s %s %s", azlab_rsource_name(r->source),
				 azlab_rstate_name(r->state), azlab_pfx_fmt(r->prefix, pb),
				 azlab_nh_type_name(r->nh_type));
		for (size_t k = 0; k < r->n_nh && w > 0 && (size_t)w < sizeof one; k++)
			w += snprintf(one + w, sizeof one - (size_t)w, " %s",
				      azlab_ip_fmt(r->nh_ips[k], ib));
		if (used < cap)
			used += (size_t)snprintf(d + used, cap - used, " [%s]", one);
		if (er->source >= 0 && (int)r->source != er->source)
			continue;
		if (er->state >= 0 && (int)r->state != er->state)
			continue;
		if (er->next_hop_type >= 0 && (int)r->nh_type != er->next_hop_type)
			continue;
		if (er->n_next_hop_ips) {
			bool eq = er->n_next_hop_ips == r->n_nh;
			for (size_t k = 0; eq && k < r->n_nh; k++) {
				bool in = false;
				for (size_t l = 0; l < er->n_next_hop_ips; l++)
					if (er->next_hop_ips[l] == r->nh_ips[k])
						in = true;
				eq = in;
			}
			if (!eq)
				continue;
		}
		any = true;
	}
	if (used == strlen("found:") && used < cap)
		snprintf(d + used, cap - used, " nothing for this prefix");
	return er->absent ? !any : any;
}

static bool bgp(const struct azlab_model *m, const struct azlab_expect_bgp *eb, char *d, size_t cap)
{
	const struct azlab_topo *t = azlab_model_topo(m);
	int s = azlab_topo_route_server(t, eb->route_server), vm = azlab_topo_vm(t, eb->nva);
	char ab[256];
	if (s < 0 || vm < 0) {
		snprintf(d, cap, "unknown Route Server or NVA");
		return false;
	}
	const struct azlab_rlist *l = NULL;
	if (eb->direction == 0) {
		for (size_t c = 0; c < t->route_servers[s].n_connections; c++)
			if (t->route_servers[s].connections[c].peer_ip == t->vms[vm].ip)
				l = azlab_model_rs_advertised(m, s, (int)c);
	} else {
		l = azlab_model_rs_accepted(m, s);
	}
	bool any = false;
	size_t used = (size_t)snprintf(d, cap, "paths:");
	for (size_t i = 0; l && i < l->n; i++) {
		const struct azlab_bgp_route *r = &l->v[i];
		if (!azlab_pfx_eq(r->prefix, eb->prefix) || (eb->direction == 1 && r->origin != vm))
			continue;
		azlab_aspath_fmt(r->as_path, r->n_as, ab, sizeof ab);
		if (used < cap)
			used += (size_t)snprintf(d + used, cap - used, " [%s]", ab);
		if (eb->has_as_path &&
		    (r->n_as != eb->n_as_path ||
		     memcmp(r->as_path, eb->as_path, r->n_as * sizeof(uint32_t)) != 0))
			continue;
		any = true;
	}
	if (used == strlen("paths:") && used < cap)
		snprintf(d + used, cap - used, " none");
	return eb->absent ? !any : any;
}

bool azlab_expect_eval(const struct azlab_model *m, const struct azlab_expect *e, char *detail,
		       size_t cap)
{
	detail[0] = '\0';
	if (e->reach)
		return flow(m, e->reach, true, detail, cap);
	if (e->no_reach)
		return flow(m, e->no_reach, false, detail, cap);
	if (e->trace)
		return trace(m, e->trace, detail, cap);
	if (e->route)
		return route(m, e->route, detail, cap);
	if (e->bgp)
		return bgp(m, e->bgp, detail, cap);
	return false;
}

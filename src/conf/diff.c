/* diff.c: conf_diff(), what a reload changes: neighbors added, removed,
 * reset (session parameters) or soft-reconfigured (policy and address-family
 * options), and which other parts changed. Pure: compares effective values
 * (peer-group inheritance and defaults resolved) and allocates the result.
 * `nvad vxlan` interfaces are compared by name: added, removed or changed. */
#include "conf/conf.h"

#include <stdlib.h>
#include <string.h>

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static uint32_t session_delta(const struct conf_session *a, const struct conf_session *b)
{
	uint32_t d = 0;
	if (a->as_type != b->as_type || a->remote_as != b->remote_as)
		d |= CONF_S_REMOTE_AS;
	if (!str_eq(a->description, b->description))
		d |= CONF_S_DESCRIPTION;
	if (a->shutdown != b->shutdown)
		d |= CONF_S_SHUTDOWN;
	if (!str_eq(a->password, b->password))
		d |= CONF_S_PASSWORD;
	if (a->port != b->port)
		d |= CONF_S_PORT;
	if (a->passive != b->passive)
		d |= CONF_S_PASSIVE;
	if (a->multihop != b->multihop)
		d |= CONF_S_MULTIHOP;
	if (a->ttl_security != b->ttl_security)
		d |= CONF_S_TTL_SECURITY;
	if (a->enforce_first_as != b->enforce_first_as)
		d |= CONF_S_ENFORCE_FIRST_AS;
	if (a->update_source_is_addr != b->update_source_is_addr ||
	    (a->update_source_is_addr &&
	     memcmp(&a->update_source_addr, &b->update_source_addr, sizeof a->update_source_addr)) ||
	    !str_eq(a->update_source_ifname, b->update_source_ifname))
		d |= CONF_S_UPDATE_SOURCE;
	if (a->keepalive != b->keepalive || a->holdtime != b->holdtime)
		d |= CONF_S_TIMERS;
	if (a->connect_retry != b->connect_retry)
		d |= CONF_S_CONNECT;
	return d;
}

static uint32_t af_delta(const struct conf_af_opts *a, const struct conf_af_opts *b)
{
	uint32_t d = 0;
	if (a->active != b->active)
		d |= CONF_A_ACTIVATE;
	if (!str_eq(a->rmap_in, b->rmap_in))
		d |= CONF_A_RMAP_IN;
	if (!str_eq(a->rmap_out, b->rmap_out))
		d |= CONF_A_RMAP_OUT;
	if (!str_eq(a->plist_in, b->plist_in))
		d |= CONF_A_PLIST_IN;
	if (!str_eq(a->plist_out, b->plist_out))
		d |= CONF_A_PLIST_OUT;
	if (!str_eq(a->flist_in, b->flist_in))
		d |= CONF_A_FLIST_IN;
	if (!str_eq(a->flist_out, b->flist_out))
		d |= CONF_A_FLIST_OUT;
	if (a->next_hop_self != b->next_hop_self)
		d |= CONF_A_NEXT_HOP_SELF;
	if (a->as_override != b->as_override)
		d |= CONF_A_AS_OVERRIDE;
	if (a->allowas_in != b->allowas_in || a->allowas_in_origin != b->allowas_in_origin)
		d |= CONF_A_ALLOWAS_IN;
	if (a->remove_private_as != b->remove_private_as)
		d |= CONF_A_REMOVE_PRIVATE_AS;
	if (a->max_prefix != b->max_prefix || a->max_prefix_threshold != b->max_prefix_threshold ||
	    a->max_prefix_restart != b->max_prefix_restart ||
	    a->max_prefix_warning_only != b->max_prefix_warning_only ||
	    a->max_prefix_force != b->max_prefix_force)
		d |= CONF_A_MAX_PREFIX;
	if (a->max_prefix_out != b->max_prefix_out)
		d |= CONF_A_MAX_PREFIX_OUT;
	if (a->default_originate != b->default_originate ||
	    !str_eq(a->default_originate_rmap, b->default_originate_rmap))
		d |= CONF_A_DEFAULT_ORIGINATE;
	if (a->send_community != b->send_community)
		d |= CONF_A_SEND_COMMUNITY;
	if (a->weight != b->weight)
		d |= CONF_A_WEIGHT;
	if (a->soft_reconfig != b->soft_reconfig)
		d |= CONF_A_SOFT_RECONFIG;
	return d;
}

/* A description is not part of the session: it changes nothing on the wire. */
#define SESSION_RESET_FIELDS (~(uint32_t)CONF_S_DESCRIPTION)

static bool nbr_push(struct conf_diff *d, const struct conf_nbr_diff *x)
{
	struct conf_nbr_diff *v = realloc(d->neighbors, (d->n_neighbors + 1) * sizeof(*v));
	if (!v) {
		d->oom = true;
		return false;
	}
	d->neighbors = v;
	v[d->n_neighbors] = *x;
	v[d->n_neighbors].name = strdup(x->name);
	if (!v[d->n_neighbors].name) {
		d->oom = true;
		return false;
	}
	d->n_neighbors++;
	return true;
}

static bool local_changed(const struct conf *a, const struct conf *b)
{
	const struct conf_bgp *x = a->bgp, *y = b->bgp;
	return x->router_id_set != y->router_id_set ||
	       (x->router_id_set && memcmp(&x->router_id, &y->router_id, sizeof x->router_id)) ||
	       x->asn != y->asn;
}

static void diff_kept(const struct conf *a, const struct conf *b, const struct conf_neighbor *na,
		      const struct conf_neighbor *nb, struct conf_diff *d)
{
	struct conf_session sa = conf_session_effective(a, na), sb = conf_session_effective(b, nb);
	struct conf_nbr_diff x = { .name = nb->name };
	x.session_fields = session_delta(&sa, &sb);
	x.local_changed = local_changed(a, b);
	bool activation = false;
	for (int f = 0; f < CONF_AF_COUNT; f++) {
		struct conf_af_opts fa = conf_af_effective(a, na, (enum conf_afi)f);
		struct conf_af_opts fb = conf_af_effective(b, nb, (enum conf_afi)f);
		x.af_fields[f] = af_delta(&fa, &fb);
		activation |= (x.af_fields[f] & CONF_A_ACTIVATE) != 0;
	}
	bool soft = a->bgp->ebgp_requires_policy != b->bgp->ebgp_requires_policy;
	for (int f = 0; f < CONF_AF_COUNT; f++)
		soft |= x.af_fields[f] != 0;
	if ((x.session_fields & SESSION_RESET_FIELDS) || x.local_changed || activation)
		x.change = CONF_NBR_RESET;
	else if (soft || x.session_fields)
		x.change = CONF_NBR_SOFT;
	else
		return;
	nbr_push(d, &x);
}

static void diff_neighbors(const struct conf *a, const struct conf *b, struct conf_diff *d)
{
	const struct conf_bgp *x = a && a->bgp ? a->bgp : NULL;
	const struct conf_bgp *y = b && b->bgp ? b->bgp : NULL;
	bool same_instance = x && y && x->asn == y->asn;

	for (size_t i = 0; x && i < x->n_neighbors; i++) {
		const struct conf_neighbor *n = &x->neighbors[i];
		const struct conf_neighbor *m = same_instance ? conf_neighbor_find(b, n->name) : NULL;
		if (n->is_group)
			continue;
		if (!m || m->is_group) {
			struct conf_nbr_diff r = { .name = n->name, .change = CONF_NBR_REMOVED };
			nbr_push(d, &r);
		} else
			diff_kept(a, b, n, m, d);
	}
	for (size_t i = 0; y && i < y->n_neighbors; i++) {
		const struct conf_neighbor *m = &y->neighbors[i];
		const struct conf_neighbor *n = same_instance ? conf_neighbor_find(a, m->name) : NULL;
		if (m->is_group || (n && !n->is_group))
			continue;
		struct conf_nbr_diff r = { .name = m->name, .change = CONF_NBR_ADDED };
		nbr_push(d, &r);
	}
}

/* ---------- the other parts: compared through their printed text ---------- */

/* Prints one part of a configuration into a string (NULL on OOM). */
typedef void (*part_fn)(const struct conf *c, const void *obj, struct strbuf *o);

static bool text_differs(struct conf_diff *d, const struct strbuf *x, const struct strbuf *y)
{
	if (x->oom || y->oom)
		d->oom = true;
	return strcmp(strbuf_str(x), strbuf_str(y)) != 0;
}

static bool static_eq(const struct conf_static *x, const struct conf_static *y)
{
	return prefix_equal(&x->prefix, &y->prefix) && x->kind == y->kind &&
	       x->distance == y->distance && str_eq(x->ifname, y->ifname) &&
	       (x->kind != CONF_NH_GATEWAY || !memcmp(&x->gateway, &y->gateway, sizeof x->gateway));
}

/* Routes of one family, in order (the printed text groups them by family). */
bool conf_proto_rmaps_equal(const struct conf *a, const struct conf *b)
{
	static const struct conf none;
	a = a ? a : &none;
	b = b ? b : &none;
	for (int f = 0; f < 2; f++)
		for (int i = 0; i < CONF_PROTO_COUNT; i++) {
			const char *x = a->proto_rmap[f][i].name, *y = b->proto_rmap[f][i].name;
			if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0))
				return false;
		}
	return true;
}

static bool statics_equal(const struct conf *a, const struct conf *b)
{
	const uint8_t fams[] = { AF_INET, AF_INET6 };
	for (size_t f = 0; f < 2; f++) {
		size_t i = 0, k = 0;
		for (;;) {
			while (i < a->n_statics && a->statics[i].prefix.family != fams[f])
				i++;
			while (k < b->n_statics && b->statics[k].prefix.family != fams[f])
				k++;
			if (i == a->n_statics || k == b->n_statics)
				break;
			if (!static_eq(&a->statics[i++], &b->statics[k++]))
				return false;
		}
		if (i != a->n_statics || k != b->n_statics)
			return false;
	}
	return true;
}

static bool networks_equal(const struct conf_bgp_af *x, const struct conf_bgp_af *y)
{
	if (x->n_networks != y->n_networks)
		return false;
	for (size_t i = 0; i < x->n_networks; i++) {
		size_t k = 0;
		while (k < y->n_networks && !prefix_equal(&x->networks[i].prefix, &y->networks[k].prefix))
			k++;
		if (k == y->n_networks || !str_eq(x->networks[i].rmap, y->networks[k].rmap))
			return false;
	}
	return true;
}

static bool redist_equal(const struct conf_bgp_af *x, const struct conf_bgp_af *y)
{
	for (int t = 0; t < CONF_REDIST_COUNT; t++) {
		const struct conf_redist *p = &x->redist[t], *q = &y->redist[t];
		if (p->on != q->on || p->metric_set != q->metric_set || p->metric != q->metric ||
		    !str_eq(p->rmap, q->rmap))
			return false;
	}
	return true;
}

static bool globals_equal(const struct conf_bgp *x, const struct conf_bgp *y)
{
	return x->ebgp_requires_policy == y->ebgp_requires_policy &&
	       x->fast_external_failover == y->fast_external_failover &&
	       x->import_check == y->import_check &&
	       x->log_neighbor_changes == y->log_neighbor_changes &&
	       x->deterministic_med == y->deterministic_med &&
	       x->suppress_duplicates == y->suppress_duplicates &&
	       x->graceful_notification == y->graceful_notification &&
	       x->hard_admin_reset == y->hard_admin_reset &&
	       x->default_ipv4_unicast == y->default_ipv4_unicast && x->keepalive == y->keepalive &&
	       x->holdtime == y->holdtime;
}

static void diff_bgp(const struct conf *a, const struct conf *b, struct conf_diff *d)
{
	const struct conf_bgp *x = a->bgp, *y = b->bgp;
	d->bgp_added = !x && y;
	d->bgp_removed = x && !y;
	if (!x || !y)
		return;
	d->asn_changed = x->asn != y->asn;
	d->router_id_changed = x->router_id_set != y->router_id_set ||
			       memcmp(&x->router_id, &y->router_id, sizeof x->router_id) != 0;
	d->bgp_globals_changed = !globals_equal(x, y);
	for (int f = 0; f < CONF_AF_COUNT; f++) {
		d->networks_changed[f] = !networks_equal(&x->af[f], &y->af[f]);
		d->redistribute_changed[f] = !redist_equal(&x->af[f], &y->af[f]);
		d->maxpaths_changed[f] = x->af[f].maxpaths_ebgp != y->af[f].maxpaths_ebgp ||
					 x->af[f].maxpaths_ibgp != y->af[f].maxpaths_ibgp;
	}
}

/* Verbatim lines of one section, in order. */
static bool verbatim_equal(const struct conf *a, const struct conf *b,
			   enum conf_verbatim_section sec)
{
	size_t i = 0, k = 0;
	for (;;) {
		while (i < a->n_verbatim && a->verbatim[i].section != sec)
			i++;
		while (k < b->n_verbatim && b->verbatim[k].section != sec)
			k++;
		if (i == a->n_verbatim || k == b->n_verbatim)
			return i == a->n_verbatim && k == b->n_verbatim;
		if (strcmp(a->verbatim[i++].text, b->verbatim[k++].text) != 0)
			return false;
	}
}

static bool header_equal(const struct conf *a, const struct conf *b)
{
	if (!str_eq(a->hostname, b->hostname) || !str_eq(a->version_text, b->version_text) ||
	    a->profile != b->profile || a->profile_given != b->profile_given ||
	    !verbatim_equal(a, b, CONF_SECTION_TOP) ||
	    !verbatim_equal(a, b, CONF_SECTION_FORWARDING) ||
	    (a->line_vty == NULL) != (b->line_vty == NULL))
		return false;
	if (a->line_vty) {
		if (a->line_vty->n != b->line_vty->n)
			return false;
		for (size_t i = 0; i < a->line_vty->n; i++)
			if (strcmp(a->line_vty->lines[i], b->line_vty->lines[i]) != 0)
				return false;
	}
	return true;
}

/* Policy objects are compared by the text a one-object config prints. */
static void policy_text(const struct conf *c, enum conf_policy_kind k, const char *name,
			struct strbuf *o)
{
	if (k == CONF_POL_PREFIX_LIST) {
		for (int f = 0; f < 2; f++) {
			const struct conf_prefix_list *l =
				conf_prefix_list_find(c, f ? AF_INET6 : AF_INET, name);
			for (size_t i = 0; l && i < l->n; i++) {
				char p[PREFIX_STRLEN];
				const struct conf_plist_entry *e = &l->entries[i];
				strbuf_printf(o, "%d %u %d %d %s %u %u\n", f, e->seq, e->action, e->any,
					      prefix_fmt(&e->prefix, p, sizeof p), e->ge, e->le);
			}
		}
	} else if (k == CONF_POL_ASPATH_LIST) {
		const struct conf_aspath_list *l = conf_aspath_list_find(c, name);
		for (size_t i = 0; l && i < l->n; i++)
			strbuf_printf(o, "%u %d %s\n", l->entries[i].seq, l->entries[i].action,
				      l->entries[i].regex);
	} else if (k == CONF_POL_COMMUNITY_LIST) {
		for (int lg = 0; lg < 2; lg++) {
			const struct conf_community_list *l = conf_community_list_find(c, lg, name);
			for (size_t i = 0; l && i < l->n; i++)
				strbuf_printf(o, "%d %d %u %d %s\n", lg, l->kind, l->entries[i].seq,
					      l->entries[i].action, l->entries[i].value);
		}
	} else {
		const struct conf_route_map *m = conf_route_map_find(c, name);
		for (size_t i = 0; m && i < m->n; i++) {
			const struct conf_rm_entry *e = &m->entries[i];
			strbuf_printf(o, "%u %d %s %d %u\n", e->seq, e->action, e->call ? e->call : "-",
				      e->exit_policy, e->goto_seq);
			for (size_t j = 0; j < e->n_matches + e->n_sets; j++) {
				const struct conf_rm_clause *cl =
					j < e->n_matches ? &e->matches[j] : &e->sets[j - e->n_matches];
				strbuf_printf(o, " %d", cl->kind);
				for (size_t q = 0; q < cl->argc; q++)
					strbuf_printf(o, " %s", cl->args[q]);
				strbuf_puts(o, "\n");
			}
		}
	}
}

static void policy_push(struct conf_diff *d, enum conf_policy_kind k, const char *name)
{
	for (size_t i = 0; i < d->n_policies; i++)
		if (d->policies[i].kind == k && strcmp(d->policies[i].name, name) == 0)
			return;
	struct conf_policy_diff *v = realloc(d->policies, (d->n_policies + 1) * sizeof(*v));
	if (!v) {
		d->oom = true;
		return;
	}
	d->policies = v;
	v[d->n_policies].kind = k;
	v[d->n_policies].name = strdup(name);
	if (!v[d->n_policies].name) {
		d->oom = true;
		return;
	}
	d->n_policies++;
}

static void policy_check(const struct conf *a, const struct conf *b, enum conf_policy_kind k,
			 const char *name, struct conf_diff *d)
{
	struct strbuf x = STRBUF_INIT, y = STRBUF_INIT;
	policy_text(a, k, name, &x);
	policy_text(b, k, name, &y);
	if (text_differs(d, &x, &y))
		policy_push(d, k, name);
	strbuf_free(&x);
	strbuf_free(&y);
}

/* Every name of every kind in c, checked against the other config. */
static void policy_walk(const struct conf *c, const struct conf *a, const struct conf *b,
			struct conf_diff *d)
{
	for (size_t i = 0; i < c->n_prefix_lists; i++)
		policy_check(a, b, CONF_POL_PREFIX_LIST, c->prefix_lists[i].name, d);
	for (size_t i = 0; i < c->n_aspath_lists; i++)
		policy_check(a, b, CONF_POL_ASPATH_LIST, c->aspath_lists[i].name, d);
	for (size_t i = 0; i < c->n_community_lists; i++)
		policy_check(a, b, CONF_POL_COMMUNITY_LIST, c->community_lists[i].name, d);
	for (size_t i = 0; i < c->n_route_maps; i++)
		policy_check(a, b, CONF_POL_ROUTE_MAP, c->route_maps[i].name, d);
}

/* ---------- nvad vxlan: by name ---------- */

static void vxlan_push(struct conf_diff *d, const char *name, enum conf_vxlan_change ch)
{
	struct conf_vxlan_diff *v = realloc(d->vxlans, (d->n_vxlans + 1) * sizeof(*v));
	if (!v) {
		d->oom = true;
		return;
	}
	d->vxlans = v;
	v[d->n_vxlans].change = ch;
	v[d->n_vxlans].name = strdup(name);
	if (!v[d->n_vxlans].name) {
		d->oom = true;
		return;
	}
	d->n_vxlans++;
}

static void diff_vxlans(const struct conf *a, const struct conf *b, struct conf_diff *d)
{
	for (size_t i = 0; i < a->nvad.n_vxlans; i++) {
		const struct conf_vxlan *x = &a->nvad.vxlans[i];
		const struct conf_vxlan *y = conf_vxlan_find(b, x->name);
		if (!y)
			vxlan_push(d, x->name, CONF_VXLAN_REMOVED);
		else if (!conf_vxlan_equal(x, y))
			vxlan_push(d, x->name, CONF_VXLAN_CHANGED);
	}
	for (size_t i = 0; i < b->nvad.n_vxlans; i++)
		if (!conf_vxlan_find(a, b->nvad.vxlans[i].name))
			vxlan_push(d, b->nvad.vxlans[i].name, CONF_VXLAN_ADDED);
}

static const struct conf empty_conf;

void conf_diff(const struct conf *old_c, const struct conf *new_c, struct conf_diff *d)
{
	const struct conf *a = old_c ? old_c : &empty_conf;
	const struct conf *b = new_c ? new_c : &empty_conf;

	memset(d, 0, sizeof *d);
	d->header_changed = !header_equal(a, b);
	d->statics_changed = !statics_equal(a, b) || !conf_proto_rmaps_equal(a, b);
	d->no_rib_changed = a->bgp_no_rib != b->bgp_no_rib;
	diff_bgp(a, b, d);
	diff_neighbors(a, b, d);
	policy_walk(a, a, b, d);
	policy_walk(b, a, b, d);
	diff_vxlans(a, b, d);
}

void conf_diff_free(struct conf_diff *d)
{
	for (size_t i = 0; i < d->n_neighbors; i++)
		free(d->neighbors[i].name);
	free(d->neighbors);
	for (size_t i = 0; i < d->n_policies; i++)
		free(d->policies[i].name);
	free(d->policies);
	for (size_t i = 0; i < d->n_vxlans; i++)
		free(d->vxlans[i].name);
	free(d->vxlans);
	memset(d, 0, sizeof *d);
}

bool conf_diff_empty(const struct conf_diff *d)
{
	bool any = d->bgp_added || d->bgp_removed || d->asn_changed || d->router_id_changed ||
		   d->bgp_globals_changed || d->header_changed || d->statics_changed ||
		   d->no_rib_changed || d->n_neighbors || d->n_policies || d->n_vxlans || d->oom;
	for (int f = 0; f < CONF_AF_COUNT; f++)
		any = any || d->networks_changed[f] || d->redistribute_changed[f] ||
		      d->maxpaths_changed[f];
	return !any;
}

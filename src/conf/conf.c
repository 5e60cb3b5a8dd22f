/* conf.c: the model's own functions: release, lookups, the effective view
 * of a neighbor (peer-group inheritance and global defaults), and the
 * warnings about things FRR accepts but that are probably mistakes. */
#include "conf/parse_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- release ---------- */

void conf_rm_clause_release(struct conf_rm_clause *cl)
{
	for (size_t i = 0; cl->args && i < cl->argc; i++)
		free(cl->args[i]);
	free(cl->args);
	cl->args = NULL;
}

void conf_neighbor_release(struct conf_neighbor *n)
{
	free(n->name);
	free(n->group);
	free(n->s.description);
	free(n->s.password);
	free(n->s.update_source_ifname);
	for (int f = 0; f < CONF_AF_COUNT; f++) {
		struct conf_af_opts *a = &n->af[f];
		free(a->rmap_in);
		free(a->rmap_out);
		free(a->plist_in);
		free(a->plist_out);
		free(a->flist_in);
		free(a->flist_out);
		free(a->default_originate_rmap);
	}
}

static void bgp_free(struct conf_bgp *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_neighbors; i++)
		conf_neighbor_release(&b->neighbors[i]);
	free(b->neighbors);
	for (int f = 0; f < CONF_AF_COUNT; f++) {
		for (size_t i = 0; i < b->af[f].n_networks; i++)
			free(b->af[f].networks[i].rmap);
		free(b->af[f].networks);
		for (int r = 0; r < CONF_REDIST_COUNT; r++)
			free(b->af[f].redist[r].rmap);
	}
	free(b);
}

static void rm_entry_free(struct conf_rm_entry *e)
{
	for (size_t i = 0; i < e->n_matches; i++)
		conf_rm_clause_release(&e->matches[i]);
	for (size_t i = 0; i < e->n_sets; i++)
		conf_rm_clause_release(&e->sets[i]);
	free(e->matches);
	free(e->sets);
	free(e->description);
	free(e->call);
}

static void policy_free(struct conf *c)
{
	for (size_t i = 0; i < c->n_prefix_lists; i++) {
		free(c->prefix_lists[i].name);
		free(c->prefix_lists[i].entries);
	}
	free(c->prefix_lists);
	for (size_t i = 0; i < c->n_aspath_lists; i++) {
		for (size_t k = 0; k < c->aspath_lists[i].n; k++)
			free(c->aspath_lists[i].entries[k].regex);
		free(c->aspath_lists[i].entries);
		free(c->aspath_lists[i].name);
	}
	free(c->aspath_lists);
	for (size_t i = 0; i < c->n_community_lists; i++) {
		for (size_t k = 0; k < c->community_lists[i].n; k++)
			free(c->community_lists[i].entries[k].value);
		free(c->community_lists[i].entries);
		free(c->community_lists[i].name);
	}
	free(c->community_lists);
	for (size_t i = 0; i < c->n_route_maps; i++) {
		for (size_t k = 0; k < c->route_maps[i].n; k++)
			rm_entry_free(&c->route_maps[i].entries[k]);
		free(c->route_maps[i].entries);
		free(c->route_maps[i].name);
	}
	free(c->route_maps);
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	free(c->filename);
	free(c->version_text);
	free(c->hostname);
	for (size_t i = 0; i < c->n_verbatim; i++)
		free(c->verbatim[i].text);
	free(c->verbatim);
	if (c->line_vty) {
		for (size_t i = 0; i < c->line_vty->n; i++)
			free(c->line_vty->lines[i]);
		free(c->line_vty->lines);
		free(c->line_vty);
	}
	for (size_t i = 0; i < c->n_statics; i++)
		free(c->statics[i].ifname);
	free(c->statics);
	for (int f = 0; f < 2; f++)
		for (int i = 0; i < CONF_PROTO_COUNT; i++)
			free(c->proto_rmap[f][i].name);
	bgp_free(c->bgp);
	policy_free(c);
	for (size_t i = 0; i < c->nvad.n_vxlans; i++) {
		free(c->nvad.vxlans[i].name);
		free(c->nvad.vxlans[i].dev);
		free(c->nvad.vxlans[i].addrs);
	}
	free(c->nvad.vxlans);
	free(c);
}

/* ---------- nvad vxlan ---------- */

const struct conf_vxlan *conf_vxlan_find(const struct conf *c, const char *name)
{
	for (size_t i = 0; c && i < c->nvad.n_vxlans; i++)
		if (strcmp(c->nvad.vxlans[i].name, name) == 0)
			return &c->nvad.vxlans[i];
	return NULL;
}

static bool vx_str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool vx_has_addr(const struct conf_vxlan *v, const struct prefix *p)
{
	for (size_t i = 0; i < v->n_addrs; i++)
		if (prefix_equal(&v->addrs[i], p))
			return true;
	return false;
}

bool conf_vxlan_equal(const struct conf_vxlan *a, const struct conf_vxlan *b)
{
	if (strcmp(a->name, b->name) != 0 || a->vni != b->vni || a->dstport != b->dstport ||
	    a->mtu != b->mtu || !vx_str_eq(a->dev, b->dev) || a->n_addrs != b->n_addrs ||
	    memcmp(&a->remote, &b->remote, sizeof a->remote) != 0 ||
	    memcmp(&a->local, &b->local, sizeof a->local) != 0)
		return false;
	for (size_t i = 0; i < a->n_addrs; i++) /* addresses are unique on a line */
		if (!vx_has_addr(b, &a->addrs[i]))
			return false;
	return true;
}

/* ---------- lookups ---------- */

const struct conf_neighbor *conf_neighbor_find(const struct conf *c, const char *name)
{
	if (!c->bgp)
		return NULL;
	for (size_t i = 0; i < c->bgp->n_neighbors; i++)
		if (strcmp(c->bgp->neighbors[i].name, name) == 0)
			return &c->bgp->neighbors[i];
	return NULL;
}

const struct conf_prefix_list *conf_prefix_list_find(const struct conf *c, uint8_t family,
						     const char *name)
{
	for (size_t i = 0; i < c->n_prefix_lists; i++)
		if (c->prefix_lists[i].family == family && strcmp(c->prefix_lists[i].name, name) == 0)
			return &c->prefix_lists[i];
	return NULL;
}

const struct conf_aspath_list *conf_aspath_list_find(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_aspath_lists; i++)
		if (strcmp(c->aspath_lists[i].name, name) == 0)
			return &c->aspath_lists[i];
	return NULL;
}

const struct conf_community_list *conf_community_list_find(const struct conf *c, bool large,
							   const char *name)
{
	for (size_t i = 0; i < c->n_community_lists; i++)
		if (c->community_lists[i].large == large &&
		    strcmp(c->community_lists[i].name, name) == 0)
			return &c->community_lists[i];
	return NULL;
}

const struct conf_route_map *conf_route_map_find(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_route_maps; i++)
		if (strcmp(c->route_maps[i].name, name) == 0)
			return &c->route_maps[i];
	return NULL;
}

/* ---------- effective values ---------- */

static const struct conf_neighbor *group_of(const struct conf *c, const struct conf_neighbor *n)
{
	return n->group ? conf_neighbor_find(c, n->group) : NULL;
}

/* Copies the fields of `from` that `into` does not set. */
static void session_inherit(struct conf_session *into, const struct conf_session *from)
{
	uint32_t take = from->set & ~into->set;
	if (take & CONF_S_REMOTE_AS) {
		into->as_type = from->as_type;
		into->remote_as = from->remote_as;
	}
	if (take & CONF_S_DESCRIPTION)
		into->description = from->description;
	if (take & CONF_S_SHUTDOWN)
		into->shutdown = from->shutdown;
	if (take & CONF_S_PASSWORD)
		into->password = from->password;
	if (take & CONF_S_PORT)
		into->port = from->port;
	if (take & CONF_S_PASSIVE)
		into->passive = from->passive;
	if (take & CONF_S_MULTIHOP)
		into->multihop = from->multihop;
	if (take & CONF_S_TTL_SECURITY)
		into->ttl_security = from->ttl_security;
	if (take & CONF_S_ENFORCE_FIRST_AS)
		into->enforce_first_as = from->enforce_first_as;
	if (take & CONF_S_UPDATE_SOURCE) {
		into->update_source_is_addr = from->update_source_is_addr;
		into->update_source_addr = from->update_source_addr;
		into->update_source_ifname = from->update_source_ifname;
	}
	if (take & CONF_S_TIMERS) {
		into->keepalive = from->keepalive;
		into->holdtime = from->holdtime;
	}
	if (take & CONF_S_CONNECT)
		into->connect_retry = from->connect_retry;
	into->set |= take;
}

struct conf_session conf_session_effective(const struct conf *c, const struct conf_neighbor *n)
{
	struct conf_session s = n->s;
	const struct conf_neighbor *g = group_of(c, n);
	if (g)
		session_inherit(&s, &g->s);
	if (!(s.set & CONF_S_TIMERS) && c->bgp) {
		s.keepalive = c->bgp->keepalive;
		s.holdtime = c->bgp->holdtime;
	}
	if (!(s.set & CONF_S_CONNECT))
		s.connect_retry = c->defaults.connect_retry;
	if (!(s.set & CONF_S_ENFORCE_FIRST_AS))
		s.enforce_first_as = c->defaults.enforce_first_as;
	return s;
}

static void af_inherit(struct conf_af_opts *into, const struct conf_af_opts *from)
{
	uint32_t take = from->set & ~into->set;
	struct conf_af_opts r = *into;
	if (take & CONF_A_ACTIVATE)
		r.active = from->active;
	if (take & CONF_A_RMAP_IN)
		r.rmap_in = from->rmap_in;
	if (take & CONF_A_RMAP_OUT)
		r.rmap_out = from->rmap_out;
	if (take & CONF_A_PLIST_IN)
		r.plist_in = from->plist_in;
	if (take & CONF_A_PLIST_OUT)
		r.plist_out = from->plist_out;
	if (take & CONF_A_FLIST_IN)
		r.flist_in = from->flist_in;
	if (take & CONF_A_FLIST_OUT)
		r.flist_out = from->flist_out;
	if (take & CONF_A_NEXT_HOP_SELF)
		r.next_hop_self = from->next_hop_self;
	if (take & CONF_A_AS_OVERRIDE)
		r.as_override = from->as_override;
	if (take & CONF_A_ALLOWAS_IN) {
		r.allowas_in = from->allowas_in;
		r.allowas_in_origin = from->allowas_in_origin;
	}
	if (take & CONF_A_REMOVE_PRIVATE_AS)
		r.remove_private_as = from->remove_private_as;
	if (take & CONF_A_MAX_PREFIX) {
		r.max_prefix = from->max_prefix;
		r.max_prefix_threshold = from->max_prefix_threshold;
		r.max_prefix_restart = from->max_prefix_restart;
		r.max_prefix_warning_only = from->max_prefix_warning_only;
		r.max_prefix_force = from->max_prefix_force;
	}
	if (take & CONF_A_MAX_PREFIX_OUT)
		r.max_prefix_out = from->max_prefix_out;
	if (take & CONF_A_DEFAULT_ORIGINATE) {
		r.default_originate = from->default_originate;
		r.default_originate_rmap = from->default_originate_rmap;
	}
	if (take & CONF_A_SEND_COMMUNITY)
		r.send_community = from->send_community;
	if (take & CONF_A_WEIGHT)
		r.weight = from->weight;
	if (take & CONF_A_SOFT_RECONFIG)
		r.soft_reconfig = from->soft_reconfig;
	r.set |= take;
	*into = r;
}

struct conf_af_opts conf_af_effective(const struct conf *c, const struct conf_neighbor *n,
				      enum conf_afi afi)
{
	struct conf_af_opts a = n->af[afi];
	const struct conf_neighbor *g = group_of(c, n);
	if (g)
		af_inherit(&a, &g->af[afi]);
	if (!(a.set & CONF_A_ACTIVATE))
		a.active = afi == CONF_AF_IPV4 && c->bgp && c->bgp->default_ipv4_unicast;
	return a;
}

bool conf_neighbor_is_ibgp(const struct conf *c, const struct conf_neighbor *n)
{
	struct conf_session s = conf_session_effective(c, n);
	return s.as_type == CONF_AS_INTERNAL ||
	       (s.as_type == CONF_AS_NUMBER && c->bgp && s.remote_as == c->bgp->asn);
}

/* ---------- warnings ---------- */

static void warn(const struct conf *c, struct conf_errors *w, unsigned line, const char *msg)
{
	char full[800];
	snprintf(full, sizeof full, "%s:%u: warning: %s", c->filename ? c->filename : "-", line, msg);
	if (w->n >= CONF_MAX_ERRORS) {
		w->truncated = true;
		return;
	}
	if (!vec_grow((void **)&w->items, &w->cap, w->n, sizeof(*w->items)))
		return;
	char *t = strdup(full);
	if (t)
		w->items[w->n++] = (struct conf_diag){ .line = line, .text = t };
}

static void check_ref(const struct conf *c, struct conf_errors *w, unsigned line, const char *who,
		      const char *kind, const char *name, bool found)
{
	char what[600];
	if (!name || found)
		return;
	snprintf(what, sizeof what, "%s refers to %s \"%s\", which is not defined (FRR accepts "
				    "it: an undefined route-map denies, an undefined list matches "
				    "nothing)", who, kind, name);
	warn(c, w, line, what);
}

static void warn_neighbor_refs(const struct conf *c, struct conf_errors *w,
			       const struct conf_neighbor *n)
{
	char who[200];
	snprintf(who, sizeof who, "neighbor %s", n->name);
	for (int f = 0; f < CONF_AF_COUNT; f++) {
		const struct conf_af_opts *a = &n->af[f];
		uint8_t fam = f == CONF_AF_IPV4 ? AF_INET : AF_INET6;
		check_ref(c, w, n->line, who, "route-map", a->rmap_in,
			  a->rmap_in && conf_route_map_find(c, a->rmap_in));
		check_ref(c, w, n->line, who, "route-map", a->rmap_out,
			  a->rmap_out && conf_route_map_find(c, a->rmap_out));
		check_ref(c, w, n->line, who, "prefix-list", a->plist_in,
			  a->plist_in && conf_prefix_list_find(c, fam, a->plist_in));
		check_ref(c, w, n->line, who, "prefix-list", a->plist_out,
			  a->plist_out && conf_prefix_list_find(c, fam, a->plist_out));
		check_ref(c, w, n->line, who, "as-path access-list", a->flist_in,
			  a->flist_in && conf_aspath_list_find(c, a->flist_in));
		check_ref(c, w, n->line, who, "as-path access-list", a->flist_out,
			  a->flist_out && conf_aspath_list_find(c, a->flist_out));
	}
}

static bool clause_ref_found(const struct conf *c, const struct conf_rm_clause *cl,
			     const char **kind)
{
	const char *name = cl->args[0];
	switch (cl->kind) {
	case CONF_MATCH_IP_PREFIX_LIST:
		*kind = "prefix-list";
		return conf_prefix_list_find(c, AF_INET, name) != NULL;
	case CONF_MATCH_IPV6_PREFIX_LIST:
		*kind = "ipv6 prefix-list";
		return conf_prefix_list_find(c, AF_INET6, name) != NULL;
	case CONF_MATCH_AS_PATH:
		*kind = "as-path access-list";
		return conf_aspath_list_find(c, name) != NULL;
	case CONF_MATCH_COMMUNITY:
		*kind = "community-list";
		return conf_community_list_find(c, false, name) != NULL;
	case CONF_MATCH_LARGE_COMMUNITY:
		*kind = "large-community-list";
		return conf_community_list_find(c, true, name) != NULL;
	default:
		return true;
	}
}

static void warn_rmap_refs(const struct conf *c, struct conf_errors *w)
{
	for (size_t i = 0; i < c->n_route_maps; i++)
		for (size_t k = 0; k < c->route_maps[i].n; k++) {
			const struct conf_rm_entry *e = &c->route_maps[i].entries[k];
			char who[200];
			snprintf(who, sizeof who, "route-map %s entry %u", c->route_maps[i].name,
				 e->seq);
			for (size_t m = 0; m < e->n_matches; m++) {
				const char *kind = "";
				bool ok = clause_ref_found(c, &e->matches[m], &kind);
				check_ref(c, w, e->matches[m].line, who, kind, e->matches[m].args[0], ok);
			}
			check_ref(c, w, e->line, who, "route-map", e->call,
				  e->call && conf_route_map_find(c, e->call));
		}
}

/* The Azure trap: an inbound route-map whose deny entry matches an as-path
 * list that permits "_ASN_" of the peer's own AS drops every route the peer
 * sends (every path from that peer starts with its AS). Kept simple: a deny
 * entry with a single `match as-path L` where L has a permit entry whose
 * regex is exactly _ASN_ or ^ASN_ / ^ASN$ for the neighbor's remote AS. */
static bool aspath_matches_as(const struct conf_aspath_list *l, uint32_t asn)
{
	char forms[3][32];
	snprintf(forms[0], sizeof forms[0], "_%u_", asn);
	snprintf(forms[1], sizeof forms[1], "^%u_", asn);
	snprintf(forms[2], sizeof forms[2], "^%u$", asn);
	for (size_t i = 0; i < l->n; i++) {
		if (l->entries[i].action != CONF_PERMIT)
			continue;
		for (int f = 0; f < 3; f++)
			if (strcmp(l->entries[i].regex, forms[f]) == 0)
				return true;
	}
	return false;
}

static void warn_denies_peer_as(const struct conf *c, struct conf_errors *w,
				const struct conf_neighbor *n)
{
	struct conf_session s = conf_session_effective(c, n);
	if (n->is_group || s.as_type != CONF_AS_NUMBER)
		return;
	for (int f = 0; f < CONF_AF_COUNT; f++) {
		struct conf_af_opts a = conf_af_effective(c, n, (enum conf_afi)f);
		const struct conf_route_map *m = a.rmap_in ? conf_route_map_find(c, a.rmap_in) : NULL;
		for (size_t k = 0; m && k < m->n; k++) {
			const struct conf_rm_entry *e = &m->entries[k];
			if (e->action != CONF_DENY || e->n_matches != 1 ||
			    e->matches[0].kind != CONF_MATCH_AS_PATH)
				continue;
			const struct conf_aspath_list *l = conf_aspath_list_find(c, e->matches[0].args[0]);
			if (l && aspath_matches_as(l, s.remote_as)) {
				char msg[400];
				snprintf(msg, sizeof msg, "neighbor %s (remote-as %u): route-map %s in "
					 "denies every path from the peer's own AS", n->name,
					 s.remote_as, m->name);
				warn(c, w, e->line, msg);
			}
		}
	}
}

void conf_warnings(const struct conf *c, struct conf_errors *warns)
{
	if (!c || !warns)
		return;
	if (c->bgp)
		for (size_t i = 0; i < c->bgp->n_neighbors; i++) {
			warn_neighbor_refs(c, warns, &c->bgp->neighbors[i]);
			warn_denies_peer_as(c, warns, &c->bgp->neighbors[i]);
		}
	warn_rmap_refs(c, warns);
	if (c->bgp)
		for (int f = 0; f < CONF_AF_COUNT; f++) {
			const struct conf_bgp_af *af = &c->bgp->af[f];
			for (size_t i = 0; i < af->n_networks; i++)
				check_ref(c, warns, af->networks[i].line, "network", "route-map",
					  af->networks[i].rmap,
					  af->networks[i].rmap &&
						  conf_route_map_find(c, af->networks[i].rmap));
			for (int r = 0; r < CONF_REDIST_COUNT; r++)
				check_ref(c, warns, af->redist[r].line, "redistribute", "route-map",
					  af->redist[r].rmap,
					  af->redist[r].rmap &&
						  conf_route_map_find(c, af->redist[r].rmap));
		}
}

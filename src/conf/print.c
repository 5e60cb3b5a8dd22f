/* print.c: conf_print(), the canonical text of a configuration, in the order
 * and layout of FRR 8.4's `show running-config` (vtysh's sections: header,
 * static routes, router bgp, prefix-lists, as-path lists, community lists,
 * route-maps, forwarding, line vty; then nvad's own `nvad ...` lines).
 * Statements equal to their default for the config's `frr version`/`frr
 * defaults` are not printed, as FRR does. */
#include "conf/conf.h"

#include <stdlib.h>
#include <string.h>

/* ---------- header and static routes ---------- */

static void print_header(const struct conf *c, struct strbuf *o)
{
	if (c->version_given)
		strbuf_printf(o, "frr version %s\n", c->version_text);
	if (c->profile_given)
		strbuf_printf(o, "frr defaults %s\n",
			      c->profile == CONF_PROFILE_DATACENTER ? "datacenter" : "traditional");
	if (c->hostname)
		strbuf_printf(o, "hostname %s\n", c->hostname);
	for (size_t i = 0; i < c->n_verbatim; i++)
		if (c->verbatim[i].section == CONF_SECTION_TOP)
			strbuf_printf(o, "%s\n", c->verbatim[i].text);
	if (c->bgp_no_rib)
		strbuf_puts(o, "bgp no-rib\n");
	strbuf_puts(o, "!\n");
}

static void print_static(const struct conf_static *s, struct strbuf *o)
{
	char p[PREFIX_STRLEN], gw[IPADDR_STRLEN];
	static const char *const fixed[] = {
		[CONF_NH_BLACKHOLE] = "blackhole", [CONF_NH_NULL0] = "Null0", [CONF_NH_REJECT] = "reject",
	};

	strbuf_printf(o, "%s %s", s->prefix.family == AF_INET ? "ip route" : "ipv6 route",
		      prefix_fmt(&s->prefix, p, sizeof p));
	if (s->kind == CONF_NH_GATEWAY) {
		strbuf_printf(o, " %s", ipaddr_fmt(&s->gateway, gw, sizeof gw));
		if (s->ifname)
			strbuf_printf(o, " %s", s->ifname);
	} else if (s->kind == CONF_NH_IFNAME)
		strbuf_printf(o, " %s", s->ifname);
	else
		strbuf_printf(o, " %s", fixed[s->kind]);
	if (s->distance != 1)
		strbuf_printf(o, " %u", s->distance);
	strbuf_puts(o, "\n");
}

static void print_proto_rmaps(const struct conf *c, struct strbuf *o)
{
	static const char *const names[CONF_PROTO_COUNT] = { "any", "bgp", "static" };
	bool any = false;
	for (int f = 0; f < 2; f++)
		for (int i = 0; i < CONF_PROTO_COUNT; i++)
			if (c->proto_rmap[f][i].name) {
				strbuf_printf(o, "%s protocol %s route-map %s\n", f ? "ipv6" : "ip",
					      names[i], c->proto_rmap[f][i].name);
				any = true;
			}
	if (any)
		strbuf_puts(o, "!\n");
}

static void print_statics(const struct conf *c, struct strbuf *o)
{
	const uint8_t families[] = { AF_INET, AF_INET6 };
	for (size_t f = 0; f < 2; f++)
		for (size_t i = 0; i < c->n_statics; i++)
			if (c->statics[i].prefix.family == families[f])
				print_static(&c->statics[i], o);
	if (c->n_statics)
		strbuf_puts(o, "!\n");
}

/* ---------- neighbors, in FRR's order: peer-groups by name, peers by address ---------- */

static int nbr_cmp(const void *pa, const void *pb)
{
	const struct conf_neighbor *a = *(const struct conf_neighbor *const *)pa;
	const struct conf_neighbor *b = *(const struct conf_neighbor *const *)pb;
	if (a->is_group != b->is_group)
		return a->is_group ? -1 : 1;
	if (a->is_group)
		return strcmp(a->name, b->name);
	if (a->addr.family != b->addr.family)
		return a->addr.family < b->addr.family ? -1 : 1;
	return memcmp(a->addr.a, b->addr.a, sizeof a->addr.a);
}

/* The neighbors sorted for printing; NULL when there are none (or OOM). */
static const struct conf_neighbor **sorted_neighbors(const struct conf_bgp *b)
{
	if (b->n_neighbors == 0)
		return NULL;
	const struct conf_neighbor **v = calloc(b->n_neighbors, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < b->n_neighbors; i++)
		v[i] = &b->neighbors[i];
	qsort(v, b->n_neighbors, sizeof(*v), nbr_cmp);
	return v;
}

static void print_remote_as(const char *name, const struct conf_session *s, struct strbuf *o)
{
	if (s->as_type == CONF_AS_NUMBER)
		strbuf_printf(o, " neighbor %s remote-as %u\n", name, s->remote_as);
	else if (s->as_type == CONF_AS_INTERNAL)
		strbuf_printf(o, " neighbor %s remote-as internal\n", name);
	else if (s->as_type == CONF_AS_EXTERNAL)
		strbuf_printf(o, " neighbor %s remote-as external\n", name);
}

static void print_identity(const struct conf *c, const struct conf_neighbor *n, struct strbuf *o)
{
	const struct conf_neighbor *g = n->group ? conf_neighbor_find(c, n->group) : NULL;
	if (n->is_group)
		strbuf_printf(o, " neighbor %s peer-group\n", n->name);
	if (n->s.set & CONF_S_REMOTE_AS && !(g && (g->s.set & CONF_S_REMOTE_AS)))
		print_remote_as(n->name, &n->s, o);
	if (g)
		strbuf_printf(o, " neighbor %s peer-group %s\n", n->name, g->name);
}

static void print_session(const struct conf *c, const struct conf_neighbor *n, struct strbuf *o)
{
	const struct conf_session *s = &n->s;
	const char *a = n->name;
	char buf[IPADDR_STRLEN];

	print_identity(c, n, o);
	if (s->set & CONF_S_DESCRIPTION)
		strbuf_printf(o, " neighbor %s description %s\n", a, s->description);
	if (s->set & CONF_S_SHUTDOWN && s->shutdown)
		strbuf_printf(o, " neighbor %s shutdown\n", a);
	if (s->set & CONF_S_PASSWORD)
		strbuf_printf(o, " neighbor %s password %s\n", a, s->password);
	if (s->set & CONF_S_PORT && s->port != 179)
		strbuf_printf(o, " neighbor %s port %u\n", a, s->port);
	if (s->set & CONF_S_PASSIVE && s->passive)
		strbuf_printf(o, " neighbor %s passive\n", a);
	if (s->set & CONF_S_MULTIHOP && s->multihop != 1 && (n->is_group || !conf_neighbor_is_ibgp(c, n)))
		strbuf_printf(o, " neighbor %s ebgp-multihop %u\n", a, s->multihop);
	if (s->set & CONF_S_TTL_SECURITY)
		strbuf_printf(o, " neighbor %s ttl-security hops %u\n", a, s->ttl_security);
	if (s->set & CONF_S_ENFORCE_FIRST_AS && s->enforce_first_as != c->defaults.enforce_first_as)
		strbuf_printf(o, " %sneighbor %s enforce-first-as\n", s->enforce_first_as ? "" : "no ", a);
	if (s->set & CONF_S_UPDATE_SOURCE)
		strbuf_printf(o, " neighbor %s update-source %s\n", a,
			      s->update_source_is_addr
				      ? ipaddr_fmt(&s->update_source_addr, buf, sizeof buf)
				      : s->update_source_ifname);
	if (s->set & CONF_S_TIMERS)
		strbuf_printf(o, " neighbor %s timers %u %u\n", a, s->keepalive, s->holdtime);
	if (s->set & CONF_S_CONNECT)
		strbuf_printf(o, " neighbor %s timers connect %u\n", a, s->connect_retry);
}

/* ---------- router bgp ---------- */

struct flag_line {
	const char *words;
	size_t bgp_off;
	size_t dflt_off;
};

#define FLAG(w, field) { w, offsetof(struct conf_bgp, field), offsetof(struct conf_bgp_defaults, field) }

/* In the order bgpd writes them. */
static const struct flag_line flag_lines_first[] = {
	FLAG("bgp fast-external-failover", fast_external_failover),
};
static const struct flag_line flag_lines_early[] = {
	FLAG("bgp log-neighbor-changes", log_neighbor_changes),
	FLAG("bgp ebgp-requires-policy", ebgp_requires_policy),
	FLAG("bgp suppress-duplicates", suppress_duplicates),
	FLAG("bgp hard-administrative-reset", hard_admin_reset),
};
static const struct flag_line flag_lines_late[] = {
	FLAG("bgp deterministic-med", deterministic_med),
	FLAG("bgp graceful-restart notification", graceful_notification),
	FLAG("bgp network import-check", import_check),
};

static void print_flags(const struct conf *c, const struct flag_line *v, size_t n, struct strbuf *o)
{
	for (size_t i = 0; i < n; i++) {
		bool on = *(const bool *)((const char *)c->bgp + v[i].bgp_off);
		bool dflt = *(const bool *)((const char *)&c->defaults + v[i].dflt_off);
		if (on != dflt)
			strbuf_printf(o, " %s%s\n", on ? "" : "no ", v[i].words);
	}
}

static void print_bgp_globals(const struct conf *c, struct strbuf *o)
{
	const struct conf_bgp *b = c->bgp;
	char buf[IPADDR_STRLEN];

	strbuf_printf(o, "router bgp %u\n", b->asn);
	print_flags(c, flag_lines_first, sizeof flag_lines_first / sizeof flag_lines_first[0], o);
	if (b->router_id_set)
		strbuf_printf(o, " bgp router-id %s\n", ipaddr_fmt(&b->router_id, buf, sizeof buf));
	print_flags(c, flag_lines_early, sizeof flag_lines_early / sizeof flag_lines_early[0], o);
	if (!b->default_ipv4_unicast)
		strbuf_puts(o, " no bgp default ipv4-unicast\n");
	print_flags(c, flag_lines_late, sizeof flag_lines_late / sizeof flag_lines_late[0], o);
	if (b->keepalive != c->defaults.keepalive || b->holdtime != c->defaults.holdtime)
		strbuf_printf(o, " timers bgp %u %u\n", b->keepalive, b->holdtime);
}

/* Activation, as FRR writes it: relative to the group for a member, to
 * `bgp default ipv4-unicast` otherwise. */
static void print_activate(const struct conf *c, const struct conf_neighbor *n, enum conf_afi afi,
			   struct strbuf *o)
{
	const struct conf_neighbor *g = n->group ? conf_neighbor_find(c, n->group) : NULL;
	bool active = conf_af_effective(c, n, afi).active;
	bool base = g ? conf_af_effective(c, g, afi).active
		      : afi == CONF_AF_IPV4 && c->bgp->default_ipv4_unicast;
	if (active != base)
		strbuf_printf(o, "  %sneighbor %s activate\n", active ? "" : "no ", n->name);
}

static void print_send_community(const char *a, uint8_t bits, struct strbuf *o)
{
	uint8_t off = (uint8_t)(~bits & CONF_COMM_ALL);
	if (off == CONF_COMM_ALL) {
		strbuf_printf(o, "  no neighbor %s send-community all\n", a);
		return;
	}
	if (off & CONF_COMM_STANDARD)
		strbuf_printf(o, "  no neighbor %s send-community\n", a);
	if (off & CONF_COMM_EXTENDED)
		strbuf_printf(o, "  no neighbor %s send-community extended\n", a);
	if (off & CONF_COMM_LARGE)
		strbuf_printf(o, "  no neighbor %s send-community large\n", a);
}

static void print_max_prefix(const char *a, const struct conf_af_opts *f, struct strbuf *o)
{
	strbuf_printf(o, "  neighbor %s maximum-prefix %u", a, f->max_prefix);
	if (f->max_prefix_threshold != 75)
		strbuf_printf(o, " %u", f->max_prefix_threshold);
	if (f->max_prefix_warning_only)
		strbuf_puts(o, " warning-only");
	if (f->max_prefix_restart)
		strbuf_printf(o, " restart %u", f->max_prefix_restart);
	if (f->max_prefix_force)
		strbuf_puts(o, " force");
	strbuf_puts(o, "\n");
}

static void print_filters(const char *a, const struct conf_af_opts *f, struct strbuf *o)
{
	const struct {
		uint32_t bit;
		const char *what;
		const char *name;
		const char *dir;
	} v[] = {
		{ CONF_A_PLIST_IN, "prefix-list", f->plist_in, "in" },
		{ CONF_A_PLIST_OUT, "prefix-list", f->plist_out, "out" },
		{ CONF_A_RMAP_IN, "route-map", f->rmap_in, "in" },
		{ CONF_A_RMAP_OUT, "route-map", f->rmap_out, "out" },
		{ CONF_A_FLIST_IN, "filter-list", f->flist_in, "in" },
		{ CONF_A_FLIST_OUT, "filter-list", f->flist_out, "out" },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (f->set & v[i].bit)
			strbuf_printf(o, "  neighbor %s %s %s %s\n", a, v[i].what, v[i].name, v[i].dir);
}

static void print_neighbor_af(const struct conf *c, const struct conf_neighbor *n,
			      enum conf_afi afi, struct strbuf *o)
{
	const struct conf_af_opts *f = &n->af[afi];
	const char *a = n->name;
	static const char *const rpas[] = { "", "", " all", " replace-AS", " all replace-AS" };

	print_activate(c, n, afi, o);
	if (f->set & CONF_A_NEXT_HOP_SELF && f->next_hop_self != CONF_NHS_OFF)
		strbuf_printf(o, "  neighbor %s next-hop-self%s\n", a,
			      f->next_hop_self == CONF_NHS_FORCE ? " force" : "");
	if (f->set & CONF_A_REMOVE_PRIVATE_AS && f->remove_private_as != CONF_RPAS_OFF)
		strbuf_printf(o, "  neighbor %s remove-private-AS%s\n", a, rpas[f->remove_private_as]);
	if (f->set & CONF_A_AS_OVERRIDE && f->as_override)
		strbuf_printf(o, "  neighbor %s as-override\n", a);
	if (f->set & CONF_A_SEND_COMMUNITY)
		print_send_community(a, f->send_community, o);
	if (f->set & CONF_A_DEFAULT_ORIGINATE && f->default_originate) {
		strbuf_printf(o, "  neighbor %s default-originate", a);
		if (f->default_originate_rmap)
			strbuf_printf(o, " route-map %s", f->default_originate_rmap);
		strbuf_puts(o, "\n");
	}
	if (f->set & CONF_A_SOFT_RECONFIG && f->soft_reconfig)
		strbuf_printf(o, "  neighbor %s soft-reconfiguration inbound\n", a);
	if (f->set & CONF_A_MAX_PREFIX)
		print_max_prefix(a, f, o);
	if (f->set & CONF_A_MAX_PREFIX_OUT)
		strbuf_printf(o, "  neighbor %s maximum-prefix-out %u\n", a, f->max_prefix_out);
	if (f->set & CONF_A_ALLOWAS_IN) {
		if (f->allowas_in_origin)
			strbuf_printf(o, "  neighbor %s allowas-in origin\n", a);
		else if (f->allowas_in == 3)
			strbuf_printf(o, "  neighbor %s allowas-in\n", a);
		else
			strbuf_printf(o, "  neighbor %s allowas-in %u\n", a, f->allowas_in);
	}
	if (f->set & CONF_A_WEIGHT)
		strbuf_printf(o, "  neighbor %s weight %u\n", a, f->weight);
	print_filters(a, f, o);
}

static int network_cmp(const void *pa, const void *pb)
{
	const struct conf_network *a = *(const struct conf_network *const *)pa;
	const struct conf_network *b = *(const struct conf_network *const *)pb;
	int r = memcmp(a->prefix.a, b->prefix.a, sizeof a->prefix.a);
	return r ? r : (int)a->prefix.len - (int)b->prefix.len;
}

static void print_networks(const struct conf_bgp_af *af, struct strbuf *o)
{
	const struct conf_network **v = af->n_networks ? calloc(af->n_networks, sizeof(*v)) : NULL;
	if (!v)
		return;
	for (size_t i = 0; i < af->n_networks; i++)
		v[i] = &af->networks[i];
	qsort(v, af->n_networks, sizeof(*v), network_cmp);
	for (size_t i = 0; i < af->n_networks; i++) {
		char p[PREFIX_STRLEN];
		strbuf_printf(o, "  network %s", prefix_fmt(&v[i]->prefix, p, sizeof p));
		if (v[i]->rmap)
			strbuf_printf(o, " route-map %s", v[i]->rmap);
		strbuf_puts(o, "\n");
	}
	free(v);
}

static void print_redistribute(const struct conf_bgp_af *af, struct strbuf *o)
{
	static const char *const names[CONF_REDIST_COUNT] = { "kernel", "connected", "static" };
	for (int t = 0; t < CONF_REDIST_COUNT; t++) {
		const struct conf_redist *r = &af->redist[t];
		if (!r->on)
			continue;
		strbuf_printf(o, "  redistribute %s", names[t]);
		if (r->metric_set)
			strbuf_printf(o, " metric %u", r->metric);
		if (r->rmap)
			strbuf_printf(o, " route-map %s", r->rmap);
		strbuf_puts(o, "\n");
	}
}

/* An address-family block is printed only when something is in it. */
static void print_af(const struct conf *c, const struct conf_neighbor **nb, enum conf_afi afi,
		     struct strbuf *o)
{
	const struct conf_bgp_af *af = &c->bgp->af[afi];
	struct strbuf body = STRBUF_INIT;

	print_networks(af, &body);
	print_redistribute(af, &body);
	for (size_t i = 0; nb && i < c->bgp->n_neighbors; i++)
		print_neighbor_af(c, nb[i], afi, &body);
	if (af->maxpaths_ebgp)
		strbuf_printf(&body, "  maximum-paths %u\n", af->maxpaths_ebgp);
	if (af->maxpaths_ibgp)
		strbuf_printf(&body, "  maximum-paths ibgp %u\n", af->maxpaths_ibgp);
	if (body.len) {
		strbuf_printf(o, " !\n address-family %s unicast\n", afi == CONF_AF_IPV4 ? "ipv4" : "ipv6");
		strbuf_puts(o, strbuf_str(&body));
		strbuf_puts(o, " exit-address-family\n");
	}
	if (body.oom)
		o->oom = true;
	strbuf_free(&body);
}

static void print_bgp(const struct conf *c, struct strbuf *o)
{
	if (!c->bgp)
		return;
	const struct conf_neighbor **nb = sorted_neighbors(c->bgp);
	if (!nb && c->bgp->n_neighbors)
		o->oom = true;
	print_bgp_globals(c, o);
	for (size_t i = 0; nb && i < c->bgp->n_neighbors; i++)
		print_session(c, nb[i], o);
	for (int f = 0; f < CONF_AF_COUNT; f++)
		print_af(c, nb, (enum conf_afi)f, o);
	strbuf_puts(o, "exit\n!\n");
	free(nb);
}

/* ---------- policy ---------- */

static const char *action_str(enum conf_action a)
{
	return a == CONF_PERMIT ? "permit" : "deny";
}

static void print_prefix_lists(const struct conf *c, uint8_t family, struct strbuf *o)
{
	bool any = false;
	for (size_t i = 0; i < c->n_prefix_lists; i++) {
		const struct conf_prefix_list *l = &c->prefix_lists[i];
		if (l->family != family)
			continue;
		for (size_t k = 0; k < l->n; k++) {
			const struct conf_plist_entry *e = &l->entries[k];
			char p[PREFIX_STRLEN];
			strbuf_printf(o, "%s prefix-list %s seq %u %s %s", family == AF_INET ? "ip" : "ipv6",
				      l->name, e->seq, action_str(e->action),
				      e->any ? "any" : prefix_fmt(&e->prefix, p, sizeof p));
			if (e->ge)
				strbuf_printf(o, " ge %u", e->ge);
			if (e->le)
				strbuf_printf(o, " le %u", e->le);
			strbuf_puts(o, "\n");
			any = true;
		}
	}
	if (any)
		strbuf_puts(o, "!\n");
}

static void print_aspath_lists(const struct conf *c, struct strbuf *o)
{
	for (size_t i = 0; i < c->n_aspath_lists; i++)
		for (size_t k = 0; k < c->aspath_lists[i].n; k++) {
			const struct conf_aspath_entry *e = &c->aspath_lists[i].entries[k];
			strbuf_printf(o, "bgp as-path access-list %s seq %u %s %s\n",
				      c->aspath_lists[i].name, e->seq, action_str(e->action), e->regex);
		}
	if (c->n_aspath_lists)
		strbuf_puts(o, "!\n");
}

static void print_community_lists(const struct conf *c, struct strbuf *o)
{
	for (size_t i = 0; i < c->n_community_lists; i++) {
		const struct conf_community_list *l = &c->community_lists[i];
		for (size_t k = 0; k < l->n; k++)
			strbuf_printf(o, "bgp %scommunity-list %s %s seq %u %s %s\n",
				      l->large ? "large-" : "",
				      l->kind == CONF_CLIST_STANDARD ? "standard" : "expanded", l->name,
				      l->entries[k].seq, action_str(l->entries[k].action),
				      l->entries[k].value);
	}
	if (c->n_community_lists)
		strbuf_puts(o, "!\n");
}

static void print_clause(const struct conf_rm_clause *cl, struct strbuf *o)
{
	strbuf_printf(o, " %s", conf_rm_kind_words(cl->kind));
	for (size_t i = 0; i < cl->argc; i++)
		strbuf_printf(o, " %s", cl->args[i]);
	strbuf_puts(o, "\n");
}

static void print_rm_entry(const char *name, const struct conf_rm_entry *e, struct strbuf *o)
{
	strbuf_printf(o, "route-map %s %s %u\n", name, action_str(e->action), e->seq);
	if (e->description)
		strbuf_printf(o, " description %s\n", e->description);
	for (size_t i = 0; i < e->n_matches; i++)
		print_clause(&e->matches[i], o);
	for (size_t i = 0; i < e->n_sets; i++)
		print_clause(&e->sets[i], o);
	if (e->call)
		strbuf_printf(o, " call %s\n", e->call);
	if (e->exit_policy == CONF_RM_EXIT_NEXT)
		strbuf_puts(o, " on-match next\n");
	else if (e->exit_policy == CONF_RM_EXIT_GOTO)
		strbuf_printf(o, " on-match goto %u\n", e->goto_seq);
	strbuf_puts(o, "exit\n!\n");
}

static void print_route_maps(const struct conf *c, struct strbuf *o)
{
	for (size_t i = 0; i < c->n_route_maps; i++)
		for (size_t k = 0; k < c->route_maps[i].n; k++)
			print_rm_entry(c->route_maps[i].name, &c->route_maps[i].entries[k], o);
}

static void print_tail(const struct conf *c, struct strbuf *o)
{
	bool fwd = false;
	for (size_t i = 0; i < c->n_verbatim; i++)
		if (c->verbatim[i].section == CONF_SECTION_FORWARDING) {
			strbuf_printf(o, "%s\n", c->verbatim[i].text);
			fwd = true;
		}
	if (fwd)
		strbuf_puts(o, "!\n");
	if (c->line_vty) {
		strbuf_puts(o, "line vty\n");
		for (size_t i = 0; i < c->line_vty->n; i++)
			strbuf_printf(o, " %s\n", c->line_vty->lines[i]);
		strbuf_puts(o, "exit\n!\n");
	}
}

/* ---------- nvad's own statements, after FRR's ---------- */

static void print_vxlan(const struct conf_vxlan *v, struct strbuf *o)
{
	char buf[PREFIX_STRLEN];
	strbuf_printf(o, "nvad vxlan %s vni %u remote %s", v->name, v->vni,
		      ipaddr_fmt(&v->remote, buf, sizeof buf));
	if (v->local.family)
		strbuf_printf(o, " local %s", ipaddr_fmt(&v->local, buf, sizeof buf));
	if (v->dstport != CONF_VXLAN_PORT_DEFAULT)
		strbuf_printf(o, " dstport %u", v->dstport);
	if (v->dev)
		strbuf_printf(o, " dev %s", v->dev);
	if (v->mtu)
		strbuf_printf(o, " mtu %u", v->mtu);
	if (v->n_addrs)
		strbuf_puts(o, " address");
	for (size_t i = 0; i < v->n_addrs; i++)
		strbuf_printf(o, " %s", prefix_fmt(&v->addrs[i], buf, sizeof buf));
	strbuf_puts(o, "\n");
}

static void print_nvad(const struct conf *c, struct strbuf *o)
{
	for (size_t i = 0; i < c->nvad.n_vxlans; i++)
		print_vxlan(&c->nvad.vxlans[i], o);
	if (c->nvad.n_vxlans)
		strbuf_puts(o, "!\n");
}

void conf_print(const struct conf *c, struct strbuf *out)
{
	if (!c)
		return;
	print_header(c, out);
	print_statics(c, out);
	print_proto_rmaps(c, out);
	print_bgp(c, out);
	print_prefix_lists(c, AF_INET, out);
	print_prefix_lists(c, AF_INET6, out);
	print_aspath_lists(c, out);
	print_community_lists(c, out);
	print_route_maps(c, out);
	print_tail(c, out);
	print_nvad(c, out);
	strbuf_puts(out, "end\n");
}

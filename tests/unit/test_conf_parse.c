/* test_conf_parse.c: the configuration parser (conf/conf.h): each statement
 * form gives the right model, each error its "FILE:LINE: message", the
 * reference configs of the seed load, warnings, and hostile input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf/conf.h"

static struct conf *parse(const char *text)
{
	struct conf_errors e = CONF_ERRORS_INIT;
	struct conf *c = conf_parse(text, strlen(text), "t.conf", &e);
	for (size_t i = 0; i < e.n; i++)
		print_error("unexpected: %s\n", e.items[i].text);
	assert_int_equal(e.n, 0);
	assert_non_null(c);
	conf_errors_free(&e);
	return c;
}

static const struct conf_neighbor *nbr(const struct conf *c, const char *name)
{
	const struct conf_neighbor *n = conf_neighbor_find(c, name);
	assert_non_null(n);
	return n;
}

static const char *arg(const struct conf_rm_clause *cl, size_t i)
{
	assert_true(i < cl->argc);
	return cl->args[i];
}

/* ---------- statement forms: text and a check of the model ---------- */

struct form_case {
	const char *name;
	const char *text;
	void (*check)(const struct conf *c);
};

static void chk_header(const struct conf *c)
{
	assert_true(c->version_given);
	assert_string_equal(c->version_text, "8.3.1");
	assert_int_equal(c->version.major, 8);
	assert_int_equal(c->version.minor, 3);
	assert_int_equal(c->version.patch, 1);
	assert_int_equal(c->profile, CONF_PROFILE_DATACENTER);
	assert_string_equal(c->hostname, "r1");
	assert_int_equal(c->n_verbatim, 4);
	assert_string_equal(c->verbatim[0].text, "log syslog informational");
	assert_int_equal(c->verbatim[0].line, 4);
	assert_string_equal(c->verbatim[1].text, "no ipv6 forwarding");
	assert_int_equal(c->verbatim[1].section, CONF_SECTION_TOP);
	assert_string_equal(c->verbatim[2].text, "ip forwarding");
	assert_int_equal(c->verbatim[2].section, CONF_SECTION_FORWARDING);
	assert_string_equal(c->verbatim[3].text, "service integrated-vtysh-config");
	assert_non_null(c->line_vty);
	assert_int_equal(c->line_vty->n, 1);
	assert_string_equal(c->line_vty->lines[0], "exec-timeout 0 0");
	assert_true(c->bgp_no_rib);
}

static void chk_statics(const struct conf *c)
{
	char buf[64];
	assert_int_equal(c->n_statics, 6);
	assert_string_equal(prefix_fmt(&c->statics[0].prefix, buf, sizeof buf), "10.10.0.0/16");
	assert_int_equal(c->statics[0].kind, CONF_NH_GATEWAY);
	assert_string_equal(ipaddr_fmt(&c->statics[0].gateway, buf, sizeof buf), "10.0.0.1");
	assert_int_equal(c->statics[0].distance, 1);
	assert_int_equal(c->statics[0].line, 1);
	assert_int_equal(c->statics[1].kind, CONF_NH_IFNAME);
	assert_string_equal(c->statics[1].ifname, "eth0");
	assert_int_equal(c->statics[1].distance, 200);
	assert_int_equal(c->statics[2].kind, CONF_NH_BLACKHOLE);
	assert_int_equal(c->statics[3].kind, CONF_NH_NULL0);
	assert_int_equal(c->statics[4].prefix.family, AF_INET6);
	assert_string_equal(c->statics[4].ifname, "eth1");
	assert_string_equal(prefix_fmt(&c->statics[5].prefix, buf, sizeof buf), "10.1.0.0/16");
}

static void chk_bgp_globals(const struct conf *c)
{
	const struct conf_bgp *b = c->bgp;
	char buf[64];
	assert_non_null(b);
	assert_int_equal(b->asn, 65001);
	assert_true(b->router_id_set);
	assert_string_equal(ipaddr_fmt(&b->router_id, buf, sizeof buf), "10.0.0.4");
	assert_false(b->ebgp_requires_policy);
	assert_true(b->log_neighbor_changes);
	assert_false(b->default_ipv4_unicast);
	assert_true(b->deterministic_med);
	assert_int_equal(b->keepalive, 10);
	assert_int_equal(b->holdtime, 30);
	assert_int_equal(b->af[CONF_AF_IPV4].maxpaths_ebgp, 4);
	assert_int_equal(b->af[CONF_AF_IPV4].maxpaths_ibgp, 2);
	assert_int_equal(b->af[CONF_AF_IPV6].maxpaths_ebgp, 8);
}

static void chk_asdot(const struct conf *c)
{
	assert_int_equal(c->bgp->asn, 65536u * 1 + 10);
	assert_int_equal(nbr(c, "10.0.0.1")->s.remote_as, 4294967295u);
}

static void chk_vxlan(const struct conf *c)
{
	char buf[64];
	assert_int_equal(c->nvad.n_vxlans, 3);
	const struct conf_vxlan *v = conf_vxlan_find(c, "vxlan0");
	assert_non_null(v);
	assert_ptr_equal(v, &c->nvad.vxlans[0]);
	assert_int_equal(v->line, 2);
	assert_int_equal(v->vni, 77);
	assert_string_equal(ipaddr_fmt(&v->remote, buf, sizeof buf), "10.100.0.4");
	assert_int_equal(v->local.family, 0);
	assert_int_equal(v->dstport, 4789);
	assert_string_equal(v->dev, "eth0");
	assert_int_equal(v->mtu, 1450);
	assert_int_equal(v->n_addrs, 1);
	assert_string_equal(prefix_fmt(&v->addrs[0], buf, sizeof buf), "169.254.0.1/24"); /* host part kept */
	v = conf_vxlan_find(c, "vx-6");
	assert_non_null(v);
	assert_int_equal(v->vni, 16777215);
	assert_int_equal(v->remote.family, AF_INET6);
	assert_string_equal(ipaddr_fmt(&v->remote, buf, sizeof buf), "2001:db8::2");
	assert_string_equal(ipaddr_fmt(&v->local, buf, sizeof buf), "2001:db8::1");
	assert_int_equal(v->dstport, 8472);
	assert_null(v->dev);
	assert_int_equal(v->mtu, 0);
	assert_int_equal(v->n_addrs, 3); /* `address` repeated and with several values */
	assert_string_equal(prefix_fmt(&v->addrs[0], buf, sizeof buf), "fd00::1/64");
	assert_string_equal(prefix_fmt(&v->addrs[1], buf, sizeof buf), "10.9.9.9/31");
	assert_string_equal(prefix_fmt(&v->addrs[2], buf, sizeof buf), "10.8.0.1/32");
	v = conf_vxlan_find(c, "v1");
	assert_non_null(v);
	assert_int_equal(v->vni, 1);
	assert_int_equal(v->n_addrs, 0);
	assert_null(conf_vxlan_find(c, "vxlan1"));
}

static void chk_defaults_traditional_84(const struct conf *c)
{
	/* no frr version: FRR 8.4 traditional */
	assert_false(c->version_given);
	assert_true(c->bgp->ebgp_requires_policy);
	assert_true(c->bgp->import_check);
	assert_false(c->bgp->log_neighbor_changes);
	assert_true(c->bgp->suppress_duplicates);
	assert_true(c->bgp->graceful_notification);
	assert_int_equal(c->bgp->keepalive, 60);
	assert_int_equal(c->bgp->holdtime, 180);
	assert_true(c->bgp->default_ipv4_unicast);
}

static void chk_defaults_73(const struct conf *c)
{
	assert_false(c->bgp->ebgp_requires_policy);
	assert_false(c->bgp->import_check);
	assert_false(c->bgp->suppress_duplicates);
	assert_false(c->bgp->graceful_notification);
}

static void chk_defaults_dc(const struct conf *c)
{
	assert_false(c->bgp->ebgp_requires_policy);
	assert_true(c->bgp->log_neighbor_changes);
	assert_int_equal(c->bgp->keepalive, 3);
	assert_int_equal(c->bgp->holdtime, 9);
	assert_int_equal(c->defaults.connect_retry, 10);
}

static void chk_neighbor_session(const struct conf *c)
{
	const struct conf_neighbor *n = nbr(c, "10.0.210.4");
	char buf[64];
	assert_int_equal(n->line, 2);
	assert_int_equal(n->s.as_type, CONF_AS_NUMBER);
	assert_int_equal(n->s.remote_as, 65515);
	assert_string_equal(n->s.description, "Route Server 1");
	assert_int_equal(n->s.multihop, 255);
	assert_string_equal(ipaddr_fmt(&n->s.update_source_addr, buf, sizeof buf), "10.0.0.4");
	assert_string_equal(n->s.password, "s3cret");
	assert_true(n->s.shutdown);
	assert_int_equal(n->s.keepalive, 5);
	assert_int_equal(n->s.holdtime, 15);
	assert_int_equal(n->s.connect_retry, 7);
	assert_int_equal(n->s.port, 1179);
	assert_true(n->s.passive);
	assert_true(n->s.enforce_first_as);
	const struct conf_neighbor *m = nbr(c, "2001:db8::1"); /* canonical form */
	assert_int_equal(m->s.as_type, CONF_AS_EXTERNAL);
	assert_int_equal(m->s.ttl_security, 3);
	assert_string_equal(m->s.update_source_ifname, "eth0");
	assert_int_equal(nbr(c, "10.0.0.9")->s.as_type, CONF_AS_INTERNAL);
	assert_int_equal(nbr(c, "10.0.0.9")->s.multihop, 1); /* ignored on iBGP, as FRR does */
}

static void chk_peer_group(const struct conf *c)
{
	const struct conf_neighbor *g = nbr(c, "RS");
	const struct conf_neighbor *m = nbr(c, "10.0.210.4");
	const struct conf_neighbor *o = nbr(c, "10.0.210.5");
	assert_true(g->is_group);
	assert_string_equal(m->group, "RS");
	struct conf_session s = conf_session_effective(c, m);
	assert_int_equal(s.remote_as, 65515);
	assert_int_equal(s.multihop, 255);
	assert_int_equal(s.keepalive, 60); /* from `timers bgp` default */
	struct conf_af_opts a = conf_af_effective(c, m, CONF_AF_IPV4);
	assert_string_equal(a.rmap_in, "IN");
	assert_string_equal(a.rmap_out, "MEMBER-OUT"); /* its own wins */
	assert_true(a.soft_reconfig);
	assert_true(a.active);
	struct conf_af_opts b = conf_af_effective(c, o, CONF_AF_IPV4);
	assert_string_equal(b.rmap_out, "OUT");
	assert_false(b.active); /* no neighbor 10.0.210.5 activate */
	assert_false(conf_af_effective(c, o, CONF_AF_IPV6).active);
	assert_true(conf_af_effective(c, m, CONF_AF_IPV6).active);
	assert_false(conf_neighbor_is_ibgp(c, m));
}

static void chk_af_options(const struct conf *c)
{
	const struct conf_neighbor *n = nbr(c, "10.0.0.1");
	const struct conf_af_opts *a = &n->af[CONF_AF_IPV4];
	assert_string_equal(a->plist_in, "P-IN");
	assert_string_equal(a->plist_out, "P-OUT");
	assert_string_equal(a->flist_in, "AS-IN");
	assert_int_equal(a->next_hop_self, CONF_NHS_FORCE);
	assert_true(a->as_override);
	assert_true(a->allowas_in_origin);
	assert_int_equal(a->remove_private_as, CONF_RPAS_ALL_REPLACE);
	assert_int_equal(a->max_prefix, 1000);
	assert_int_equal(a->max_prefix_threshold, 90);
	assert_int_equal(a->max_prefix_restart, 5);
	assert_int_equal(a->max_prefix_out, 50);
	assert_true(a->default_originate);
	assert_string_equal(a->default_originate_rmap, "DEF");
	assert_int_equal(a->send_community, CONF_COMM_STANDARD | CONF_COMM_EXTENDED);
	assert_int_equal(a->weight, 100);
	const struct conf_af_opts *v6 = &n->af[CONF_AF_IPV6];
	assert_true(v6->active);
	assert_int_equal(v6->allowas_in, 3);
	assert_true(v6->max_prefix_warning_only);
	assert_int_equal(v6->send_community, 0);
	const struct conf_bgp_af *af4 = &c->bgp->af[CONF_AF_IPV4];
	assert_int_equal(af4->n_networks, 2);
	assert_string_equal(af4->networks[0].rmap, "NET");
	assert_true(af4->redist[CONF_REDIST_STATIC].on);
	assert_true(af4->redist[CONF_REDIST_CONNECTED].metric_set);
	assert_int_equal(af4->redist[CONF_REDIST_CONNECTED].metric, 20);
	assert_string_equal(af4->redist[CONF_REDIST_CONNECTED].rmap, "CONN");
	assert_int_equal(c->bgp->af[CONF_AF_IPV6].n_networks, 1);
}

static void chk_prefix_lists(const struct conf *c)
{
	const struct conf_prefix_list *l = conf_prefix_list_find(c, AF_INET, "PL");
	assert_non_null(l);
	assert_int_equal(l->n, 4);
	assert_int_equal(l->entries[0].seq, 5);
	assert_int_equal(l->entries[1].seq, 10);
	assert_true(l->entries[1].any);
	assert_int_equal(l->entries[2].seq, 12);
	assert_int_equal(l->entries[2].ge, 24);
	assert_int_equal(l->entries[2].le, 28);
	assert_int_equal(l->entries[3].seq, 15); /* auto: max 12 -> 15 */
	assert_int_equal(l->entries[3].action, CONF_DENY);
	const struct conf_prefix_list *l6 = conf_prefix_list_find(c, AF_INET6, "PL");
	assert_non_null(l6);
	assert_int_equal(l6->entries[0].le, 64);
}

static void chk_aspath(const struct conf *c)
{
	assert_int_equal(c->n_aspath_lists, 2);
	assert_string_equal(c->aspath_lists[0].name, "a-list"); /* sorted by name */
	const struct conf_aspath_list *z = conf_aspath_list_find(c, "z-list");
	assert_int_equal(z->n, 2);
	assert_string_equal(z->entries[0].regex, "^65515_");
	assert_string_equal(z->entries[1].regex, "_1310[0-6][0-9]_|_13107[0-1]_");
	assert_int_equal(z->entries[1].seq, 10);
	assert_string_equal(c->aspath_lists[0].entries[0].regex, "^(65001 )+$");
}

static void chk_clists(const struct conf *c)
{
	const struct conf_community_list *s = conf_community_list_find(c, false, "C1");
	assert_non_null(s);
	assert_int_equal(s->kind, CONF_CLIST_STANDARD);
	assert_string_equal(s->entries[0].value, "65000:1 no-export");
	const struct conf_community_list *e = conf_community_list_find(c, false, "C2");
	assert_int_equal(e->kind, CONF_CLIST_EXPANDED);
	assert_string_equal(e->entries[0].value, "^65000:.*$");
	const struct conf_community_list *l = conf_community_list_find(c, true, "L1");
	assert_true(l->large);
	assert_int_equal(l->entries[0].seq, 7);
	assert_string_equal(l->entries[0].value, "65000:1:2");
}

static void chk_route_map(const struct conf *c)
{
	const struct conf_route_map *m = conf_route_map_find(c, "RM");
	assert_non_null(m);
	assert_int_equal(m->n, 2);
	assert_int_equal(m->entries[0].seq, 5); /* sorted by seq */
	assert_int_equal(m->entries[0].action, CONF_DENY);
	const struct conf_rm_entry *e = &m->entries[1];
	assert_int_equal(e->seq, 10);
	assert_string_equal(e->description, "tag the routes");
	assert_int_equal(e->n_matches, 7);
	assert_int_equal(e->matches[0].kind, CONF_MATCH_IP_PREFIX_LIST);
	assert_string_equal(arg(&e->matches[0], 0), "PL");
	assert_int_equal(e->matches[0].line, 3);
	assert_int_equal(e->matches[1].kind, CONF_MATCH_IPV6_PREFIX_LIST);
	assert_int_equal(e->matches[2].kind, CONF_MATCH_AS_PATH);
	assert_int_equal(e->matches[3].kind, CONF_MATCH_COMMUNITY);
	assert_string_equal(arg(&e->matches[3], 1), "exact-match");
	assert_int_equal(e->matches[4].kind, CONF_MATCH_LARGE_COMMUNITY);
	assert_int_equal(e->matches[5].kind, CONF_MATCH_METRIC);
	assert_int_equal(e->matches[6].kind, CONF_MATCH_ORIGIN);
	assert_int_equal(e->n_sets, 11);
	assert_int_equal(e->sets[0].kind, CONF_SET_AS_PATH_PREPEND);
	assert_int_equal(e->sets[0].argc, 3);
	assert_int_equal(e->sets[1].kind, CONF_SET_AS_PATH_EXCLUDE);
	assert_int_equal(e->sets[2].kind, CONF_SET_IP_NEXT_HOP);
	assert_string_equal(arg(&e->sets[2], 0), "peer-address");
	assert_int_equal(e->sets[3].kind, CONF_SET_LOCAL_PREFERENCE);
	assert_int_equal(e->sets[4].kind, CONF_SET_METRIC);
	assert_string_equal(arg(&e->sets[4], 0), "+10");
	assert_int_equal(e->sets[5].kind, CONF_SET_WEIGHT);
	assert_int_equal(e->sets[6].kind, CONF_SET_ORIGIN);
	assert_int_equal(e->sets[7].kind, CONF_SET_COMMUNITY);
	assert_string_equal(arg(&e->sets[7], 2), "additive");
	assert_int_equal(e->sets[8].kind, CONF_SET_LARGE_COMMUNITY);
	assert_int_equal(e->sets[9].kind, CONF_SET_SRC);
	assert_int_equal(e->sets[10].kind, CONF_SET_AS_PATH_REPLACE);
	assert_string_equal(e->call, "OTHER");
	assert_int_equal(e->exit_policy, CONF_RM_EXIT_GOTO);
	assert_int_equal(e->goto_seq, 20);
	assert_int_equal(m->entries[0].exit_policy, CONF_RM_EXIT_NEXT);
	/* a second clause of the same kind replaces the first */
	const struct conf_route_map *r = conf_route_map_find(c, "R2");
	assert_int_equal(r->entries[0].n_sets, 1);
	assert_string_equal(arg(&r->entries[0].sets[0], 0), "200");
	assert_int_equal(r->entries[0].sets[0].kind, CONF_SET_LOCAL_PREFERENCE);
	assert_string_equal(arg(&conf_route_map_find(c, "R3")->entries[0].sets[0], 0), "last-as");
}

static void chk_fallback(const struct conf *c)
{
	/* no exit lines: FRR falls back to the parent node */
	assert_non_null(c->bgp);
	assert_non_null(conf_prefix_list_find(c, AF_INET, "X"));
	assert_int_equal(c->n_route_maps, 1);
	assert_string_equal(nbr(c, "10.0.0.2")->af[CONF_AF_IPV4].rmap_in, "M");
	assert_int_equal(nbr(c, "10.0.0.3")->s.remote_as, 65003);
}

static const struct form_case form_cases[] = {
	{ "header",
	  "frr version 8.3.1\r\nfrr defaults datacenter\nhostname r1\n log syslog informational\n"
	  "no ipv6 forwarding\nip forwarding\nservice integrated-vtysh-config\n!\nbgp no-rib\n"
	  "line vty\n exec-timeout 0 0\nexit\n! comment\n# comment\n\n\t\nend\n",
	  chk_header },
	{ "statics",
	  "ip route 10.10.0.0/16 10.0.0.1\nip route 10.20.0.0/16 eth0 200\n"
	  "ip route 10.30.0.0/16 blackhole\nip route 10.40.0.0/16 Null0\n"
	  "ipv6 route 2001:db8::/32 2001:db8::1 eth1\nip route 10.1.2.3/16 10.0.0.1\n",
	  chk_statics },
	{ "bgp globals",
	  "frr version 8.4\nrouter bgp 65001\n bgp router-id 10.0.0.4\n no bgp ebgp-requires-policy\n"
	  " bgp log-neighbor-changes\n no bgp default ipv4-unicast\n bgp deterministic-med\n"
	  " timers bgp 10 30\n maximum-paths 4\n maximum-paths ibgp 2\n address-family ipv6 unicast\n"
	  "  maximum-paths 8\n exit-address-family\nexit\n",
	  chk_bgp_globals },
	{ "asdot", "router bgp 1.10\n neighbor 10.0.0.1 remote-as 4294967295\n", chk_asdot },
	{ "defaults 8.4 traditional", "router bgp 1\n", chk_defaults_traditional_84 },
	{ "defaults 7.3", "frr version 7.3.1\nfrr defaults traditional\nrouter bgp 1\n", chk_defaults_73 },
	{ "defaults datacenter", "frr version 8.4\nfrr defaults datacenter\nrouter bgp 1\n",
	  chk_defaults_dc },
	{ "neighbor session",
	  "router bgp 65001\n neighbor 10.0.210.4 remote-as 65515\n neighbor 10.0.210.4 description Route Server 1\n"
	  " neighbor 10.0.210.4 ebgp-multihop\n neighbor 10.0.210.4 update-source 10.0.0.4\n"
	  " neighbor 10.0.210.4 password s3cret\n neighbor 10.0.210.4 shutdown\n"
	  " neighbor 10.0.210.4 timers 5 15\n neighbor 10.0.210.4 timers connect 7\n"
	  " neighbor 10.0.210.4 port 1179\n neighbor 10.0.210.4 passive\n"
	  " neighbor 10.0.210.4 enforce-first-as\n neighbor 2001:DB8::1 remote-as external\n"
	  " neighbor 2001:db8::1 ttl-security hops 3\n neighbor 2001:db8::1 update-source eth0\n"
	  " neighbor 10.0.0.9 remote-as internal\n neighbor 10.0.0.9 ebgp-multihop 5\n",
	  chk_neighbor_session },
	{ "peer-group",
	  "router bgp 65001\n neighbor RS peer-group\n neighbor RS remote-as 65515\n"
	  " neighbor RS ebgp-multihop 255\n neighbor 10.0.210.4 peer-group RS\n"
	  " neighbor 10.0.210.5 peer-group RS\n address-family ipv4 unicast\n"
	  "  neighbor RS route-map IN in\n  neighbor RS route-map OUT out\n"
	  "  neighbor RS soft-reconfiguration inbound\n  neighbor 10.0.210.4 route-map MEMBER-OUT out\n"
	  "  no neighbor 10.0.210.5 activate\n exit-address-family\n address-family ipv6\n"
	  "  neighbor 10.0.210.4 activate\n exit-address-family\n",
	  chk_peer_group },
	{ "address-family options",
	  "router bgp 65001\n neighbor 10.0.0.1 remote-as 65002\n address-family ipv4 unicast\n"
	  "  network 10.10.0.0/16 route-map NET\n  network 10.20.0.0/16\n  redistribute static\n"
	  "  redistribute connected route-map CONN metric 20\n  neighbor 10.0.0.1 prefix-list P-IN in\n"
	  "  neighbor 10.0.0.1 prefix-list P-OUT out\n  neighbor 10.0.0.1 filter-list AS-IN in\n"
	  "  neighbor 10.0.0.1 next-hop-self force\n  neighbor 10.0.0.1 as-override\n"
	  "  neighbor 10.0.0.1 allowas-in origin\n  neighbor 10.0.0.1 remove-private-AS all replace-AS\n"
	  "  neighbor 10.0.0.1 maximum-prefix 1000 90 restart 5\n"
	  "  neighbor 10.0.0.1 maximum-prefix-out 50\n"
	  "  neighbor 10.0.0.1 default-originate route-map DEF\n"
	  "  no neighbor 10.0.0.1 send-community large\n  neighbor 10.0.0.1 weight 100\n"
	  " exit-address-family\n address-family ipv6 unicast\n  network 2001:db8::/32\n"
	  "  neighbor 10.0.0.1 activate\n  neighbor 10.0.0.1 allowas-in\n"
	  "  neighbor 10.0.0.1 maximum-prefix 10 warning-only\n"
	  "  no neighbor 10.0.0.1 send-community all\n exit-address-family\n",
	  chk_af_options },
	{ "prefix-lists",
	  "ip prefix-list PL seq 5 permit 10.0.0.0/8\nip prefix-list PL seq 10 permit any\n"
	  "ip prefix-list PL seq 12 permit 10.0.0.0/16 ge 24 le 28\nip prefix-list PL deny 0.0.0.0/0 le 32\n"
	  "ipv6 prefix-list PL permit 2001:db8::/32 le 64\n",
	  chk_prefix_lists },
	{ "as-path lists",
	  "bgp as-path access-list z-list permit ^65515_\n"
	  "bgp as-path access-list z-list permit _1310[0-6][0-9]_|_13107[0-1]_\n"
	  "bgp as-path access-list z-list permit ^65515_\n"
	  "bgp as-path access-list a-list seq 5 deny ^(65001 )+$\n",
	  chk_aspath },
	{ "community lists",
	  "bgp community-list standard C1 permit 65000:1 no-export\n"
	  "bgp community-list expanded C2 seq 5 permit ^65000:.*$\n"
	  "bgp large-community-list standard L1 seq 7 deny 65000:1:2\n",
	  chk_clists },
	{ "route-map",
	  "route-map RM permit 10\n description tag the routes\n match ip address prefix-list PL\n"
	  " match ipv6 address prefix-list PL6\n match as-path AP\n match community C1 exact-match\n"
	  " match large-community L1\n match metric 10\n match origin igp\n"
	  " set as-path prepend 65001 65001 65001\n set as-path exclude 65515\n"
	  " set ip next-hop peer-address\n set local-preference 200\n set metric +10\n"
	  " set weight 10\n set origin incomplete\n set community 65000:1 no-export additive\n"
	  " set large-community 65000:1:1\n set src 10.0.0.4\n set as-path replace any 65001\n"
	  " call OTHER\n on-match goto 20\nexit\nroute-map RM deny 5\n on-match next\n"
	  "route-map R2 permit 10\n set local-preference 100\n set local-preference 200\n"
	  "route-map R3 permit 10\n set as-path prepend last-as 2\n",
	  chk_route_map },
	{ "parent fallback",
	  "router bgp 65001\n neighbor 10.0.0.2 remote-as 65002\n address-family ipv4 unicast\n"
	  "  neighbor 10.0.0.2 route-map M in\n neighbor 10.0.0.3 remote-as 65003\n"
	  "ip prefix-list X permit any\nroute-map M permit 10\nip prefix-list X permit 10.0.0.0/8\n",
	  chk_fallback },
	{ "nvad vxlan",
	  "hostname vm-hub00\nnvad vxlan vxlan0 vni 77 remote 10.100.0.4 dstport 4789 dev eth0 mtu 1450 "
	  "address 169.254.0.1/24\nip route 10.100.0.0/16 169.254.0.2\n"
	  "nvad vxlan vx-6 address fd00::1/64 10.9.9.9/31 dstport 8472 vni 16777215 "
	  "remote 2001:DB8::2 local 2001:db8::1 address 10.8.0.1/32\n"
	  "router bgp 1\nnvad vxlan v1 vni 1 remote 10.0.0.1\n",
	  chk_vxlan },
};

static void test_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof form_cases / sizeof form_cases[0]; i++) {
		print_message("case: %s\n", form_cases[i].name);
		struct conf *c = parse(form_cases[i].text);
		form_cases[i].check(c);
		conf_free(c);
	}
}

/* ---------- errors: line number and key words ---------- */

struct error_case {
	const char *text;
	unsigned line;
	const char *words[3];
};

static const struct error_case error_cases[] = {
	{ "router bgp 1\n bgp frobnicate\n", 2, { "t.conf:2: ", "unknown command \"bgp frobnicate\"" } },
	{ "hostname a\nfoo bar\n", 2, { "unknown command \"foo bar\"" } },
	/* FRR 8.4 refuses these two; so does nvad (found by the FRR differential). */
	{ "route-map M permit 10\n match metric 0\n", 2, { "t.conf:2: ", "match metric", "1..4294967295" } },
	{ "route-map M permit 10\n continue\n", 2, { "t.conf:2: ", "continue" } },
	{ "ip protocol ospf route-map X\n", 1, { "t.conf:1: ", "ip protocol", "not supported" } },
	{ "ip protocol bgp map X\n", 1, { "t.conf:1: ", "route-map NAME" } },
	/* Found by fuzz_conf: a value-taking command given without its value. */
	{ "router bgp 1\n bgp router-id\n", 2, { "t.conf:2: ", "bgp router-id", "A.B.C.D" } },
	{ "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n neighbor 10.0.0.1 password\n", 3,
	  { "t.conf:3: ", "password" } },
	{ "router bgp 1\n maximum-paths\n", 2, { "t.conf:2: ", "maximum-paths" } },
	{ "router bgp 65001\n neighbor 10.0.210.9 ebgp-multihop 2\n", 2,
	  { "neighbor 10.0.210.9", "remote-as must come first" } },
	{ "router bgp 65001\n address-family ipv4 unicast\n  neighbor 10.0.0.1 activate\n", 3,
	  { "neighbor 10.0.0.1", "remote-as must come first" } },
	{ "router bgp 1\n neighbor 10.0.0.1 peer-group NOPE\n", 2, { "NOPE", "no such peer-group" } },
	{ "router bgp 1\n neighbor NOPE remote-as 2\n", 2, { "NOPE", "no such peer-group" } },
	{ "router bgp 1\n neighbor G peer-group\n neighbor 10.0.0.1 peer-group G\n", 3,
	  { "remote-as must come first" } },
	{ "router bgp 1\n neighbor G peer-group\n neighbor G remote-as 2\n neighbor 10.0.0.1 peer-group G\n"
	  " neighbor 10.0.0.1 remote-as 3\n", 5, { "cannot override", "remote-as" } },
	{ "router bgp 1\nrouter bgp 2\n", 2, { "router bgp 2", "another instance", "line 1" } },
	{ "router bgp 0\n", 1, { "router bgp", "1..4294967295", "\"0\"" } },
	{ "router bgp 4294967296\n", 1, { "AS number" } },
	{ "router bgp 1.70000\n", 1, { "AS number" } },
	{ "router bgp 1 vrf red\n", 1, { "VRF" } },
	{ "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n neighbor 10.0.0.1 local-as 5\n", 3,
	  { "local-as", "not supported" } },
	{ "router bgp 1\n neighbor 10.0.0.1 remote-as abc\n", 2, { "remote-as", "\"abc\"" } },
	{ "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n neighbor 10.0.0.1 ebgp-multihop 300\n", 3,
	  { "ebgp-multihop", "1..255" } },
	{ "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n neighbor 10.0.0.1 ttl-security hops 2\n"
	  " neighbor 10.0.0.1 ebgp-multihop 2\n", 4, { "cannot be configured together" } },
	{ "router bgp 1\n neighbor 10.0.0.1 remote-as 2\n neighbor 10.0.0.1 timers 10 2\n", 3,
	  { "hold time" } },
	{ "router bgp 1\n timers bgp 10\n", 2, { "timers bgp" } },
	{ "router bgp 1\n address-family l2vpn evpn\n", 2, { "address-family", "l2vpn" } },
	{ "router bgp 1\n address-family ipv4 multicast\n", 2, { "multicast", "not supported" } },
	{ "router bgp 1\n redistribute ospf\n", 2, { "redistribute ospf", "not supported" } },
	{ "router bgp 1\n network 2001:db8::/32\n", 2, { "not a prefix of address-family ipv4" } },
	{ "ip prefix-list P permit 10.0.0.0/24 ge 16\n", 1, { "length <= ge <= le" } },
	{ "ip prefix-list P permit 10.0.0.0/8 ge 24 le 16\n", 1, { "length <= ge <= le" } },
	{ "ip prefix-list P permit 10.0.0.0/8 le 33\n", 1, { "0..32" } },
	{ "ip prefix-list P permit 2001:db8::/32\n", 1, { "IPv4 prefix" } },
	{ "ip prefix-list P seq 5 permit 10.0.0.0/8\nip prefix-list P seq 10 permit 10.0.0.0/8\n", 2,
	  { "duplicate of seq 5", "line 1" } },
	{ "ip prefix-list P allow any\n", 1, { "permit or deny", "\"allow\"" } },
	{ "bgp as-path access-list A permit ^65515_[a-z]\n", 1, { "invalid character" } },
	{ "bgp community-list standard C permit 65000:99999\n", 1, { "not a community" } },
	{ "bgp community-list 10 permit 65000:1\n", 1, { "standard|expanded" } },
	{ "bgp large-community-list standard L permit 1:2\n", 1, { "large community" } },
	{ "route-map R permit 10\n match tag 5\n", 2, { "route-map R", "\"match tag 5\"" } },
	{ "route-map R permit 10\n set frobnicate 1\n", 2, { "\"set frobnicate 1\"" } },
	{ "route-map R permit 10\n set as-path prepend 0\n", 2, { "set as-path prepend", "AS numbers" } },
	{ "route-map R permit 10\n set ip next-hop 2001:db8::1\n", 2, { "set ip next-hop" } },
	{ "route-map R permit 10\n on-match goto 5\n", 2, { "later entry" } },
	{ "route-map R allow 10\n", 1, { "permit or deny" } },
	{ "route-map R permit 70000\n", 1, { "1..65535" } },
	{ "frr defaults fast\n", 1, { "traditional or datacenter" } },
	{ "frr version eight\n", 1, { "frr version", "\"eight\"" } },
	{ "ip route 10.0.0.0/8\n", 1, { "ip route", "expected" } },
	{ "ip route 10.0.0.0/8 10.0.0.1 300\n", 1, { "distance 1..255" } },
	{ "ip route 2001:db8::/32 10.0.0.1\n", 1, { "IPv4 prefix" } },
	{ "interface eth0\n", 1, { "unknown command \"interface eth0\"" } },
	{ "nvad frobnicate\n", 1, { "nvad statement" } },
	{ "hostname a\n\nip route 10.0.0.0/8 10.0.0.1 foo bar\n", 3, { "t.conf:3:" } },
	{ "router bgp 1\n neighbor 1.2.3.4 peer-group\n", 2, { "cannot be an address" } },
	{ "nvad vxlan\n", 1, { "nvad vxlan", "NAME vni N remote ADDR" } },
	{ "nvad vxlan vxlan0 vni 0 remote 10.0.0.1\n", 1, { "vxlan0", "vni", "1..16777215" } },
	{ "nvad vxlan vxlan0 vni 16777216 remote 10.0.0.1\n", 1, { "vni", "\"16777216\"" } },
	{ "nvad vxlan vxlan0 vni x remote 10.0.0.1\n", 1, { "vni", "\"x\"" } },
	{ "nvad vxlan a234567890123456 vni 7 remote 10.0.0.1\n", 1,
	  { "\"a234567890123456\"", "not a valid interface name", "1..15" } },
	{ "nvad vxlan a/b vni 7 remote 10.0.0.1\n", 1, { "not a valid interface name" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1\nhostname h\nnvad vxlan vxlan0 vni 8 remote 10.0.0.2\n",
	  3, { "t.conf:3: ", "vxlan0", "already defined at line 1" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1\nnvad vxlan vxlan1 vni 7 remote 10.0.0.2\n", 2,
	  { "vxlan1", "VNI 7 on port 4789", "vxlan0 (line 1)" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 address 169.254.0.1\n", 1,
	  { "vxlan0: address", "ADDRESS/LENGTH", "\"169.254.0.1\"" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 address 169.254.0.300/24\n", 1, { "address", "169.254.0.300" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 address 10.0.0.1/33\n", 1, { "address", "10.0.0.1/33" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 address\n", 1, { "address", "one or more" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 address 10.1.1.1/24 address 10.1.1.1/16\n", 1,
	  { "address 10.1.1.1 is given twice" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.256\n", 1, { "remote", "unicast", "\"10.0.0.256\"" } },
	{ "nvad vxlan vxlan0 vni 7 remote 239.1.1.1\n", 1, { "remote", "unicast" } },
	{ "nvad vxlan vxlan0 vni 7 remote 0.0.0.0\n", 1, { "remote", "unicast" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 local 2001:db8::1\n", 1, { "same family" } },
	{ "nvad vxlan vxlan0 vni 7\n", 1, { "vxlan0", "remote is missing" } },
	{ "nvad vxlan vxlan0 remote 10.0.0.1\n", 1, { "vxlan0", "vni is missing" } },
	{ "nvad vxlan vxlan0 vni 7 vni 8 remote 10.0.0.1\n", 1, { "vni is given twice" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 dstport 0\n", 1, { "dstport", "1..65535" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 mtu 67\n", 1, { "mtu", "68..65535" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 mtu\n", 1, { "mtu", "a value is missing" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 dev mtu 1400\n", 1, { "dev", "a value is missing" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 dev a:b\n", 1, { "dev", "not a valid interface name" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 ttl 5\n", 1, { "unexpected \"ttl\"" } },
	{ "no nvad vxlan vxlan0\n", 1, { "\"no nvad vxlan\" is not supported" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1 dev vxlan0\n", 1, { "dev must be another interface" } },
	{ "nvad vxlan vxlan0 vni 7 remote 10.0.0.1\nnvad vxlan vx6 vni 7 remote 2001:db8::1\n"
	  "nvad vxlan vxlan1 vni 7 remote 10.0.0.2 dstport 8472\nnvad vxlan vxlan2 vni 7 remote 10.0.0.3\n", 4,
	  { "vxlan2", "VNI 7 on port 4789", "vxlan0 (line 1)" } },
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0]; i++) {
		const struct error_case *ec = &error_cases[i];
		struct conf_errors e = CONF_ERRORS_INIT;
		print_message("case %zu: %s", i, ec->text);
		struct conf *c = conf_parse(ec->text, strlen(ec->text), "t.conf", &e);
		assert_null(c);
		assert_true(e.n >= 1);
		print_message("  -> %s\n", e.items[0].text);
		assert_int_equal(e.items[0].line, ec->line);
		char prefix[32];
		snprintf(prefix, sizeof prefix, "t.conf:%u: ", ec->line);
		assert_true(strncmp(e.items[0].text, prefix, strlen(prefix)) == 0);
		for (size_t w = 0; w < 3 && ec->words[w]; w++)
			assert_non_null(strstr(e.items[0].text, ec->words[w]));
		conf_errors_free(&e);
	}
}

static void test_all_errors_reported(void **state)
{
	(void)state;
	const char *text = "foo\nbar\nrouter bgp 1\n neighbor 10.0.0.1 weight 5\nbaz\n";
	struct conf_errors e = CONF_ERRORS_INIT;
	assert_null(conf_parse(text, strlen(text), "x.conf", &e));
	assert_int_equal(e.n, 4);
	assert_string_equal(e.items[0].text, "x.conf:1: unknown command \"foo\"");
	assert_int_equal(e.items[2].line, 4);
	assert_int_equal(e.items[3].line, 5);
	conf_errors_free(&e);
	assert_null(conf_parse(text, strlen(text), "x.conf", NULL)); /* errs may be NULL */
}

/* ---------- hostile input ---------- */

static void test_hostile(void **state)
{
	(void)state;
	struct conf_errors e = CONF_ERRORS_INIT;
	const char nul[] = "hostname a\nhost\0name b\n";
	assert_null(conf_parse(nul, sizeof nul - 1, "n.conf", &e));
	assert_int_equal(e.n, 1);
	assert_non_null(strstr(e.items[0].text, "n.conf:2: NUL byte"));
	conf_errors_free(&e);

	char *longl = malloc(CONF_MAX_LINE + 20);
	assert_non_null(longl);
	memset(longl, 'a', CONF_MAX_LINE + 10);
	memcpy(longl + CONF_MAX_LINE + 10, "\nend\n", 5);
	assert_null(conf_parse(longl, CONF_MAX_LINE + 15, "l.conf", &e));
	assert_non_null(strstr(e.items[0].text, "l.conf:1: line too long"));
	conf_errors_free(&e);
	free(longl);

	const char ctl[] = "hostname a\x01\n";
	assert_null(conf_parse(ctl, sizeof ctl - 1, "c.conf", &e));
	assert_non_null(strstr(e.items[0].text, "control character 0x01"));
	conf_errors_free(&e);

	struct strbuf many = STRBUF_INIT;
	for (int i = 0; i < 80; i++)
		strbuf_puts(&many, "x ");
	assert_null(conf_parse(many.s, many.len, "m.conf", &e));
	assert_non_null(strstr(e.items[0].text, "too many words"));
	conf_errors_free(&e);
	strbuf_free(&many);

	strbuf_reset(&many);
	for (int i = 0; i < 500; i++)
		strbuf_puts(&many, "bogus\n");
	assert_null(conf_parse(many.s, many.len, "m.conf", &e));
	assert_int_equal(e.n, CONF_MAX_ERRORS);
	assert_true(e.truncated);
	conf_errors_free(&e);
	strbuf_free(&many);

	/* no newline at the end, empty input */
	struct conf *c = conf_parse("hostname a", 10, "e.conf", NULL);
	assert_non_null(c);
	assert_string_equal(c->hostname, "a");
	conf_free(c);
	c = conf_parse("", 0, "e.conf", NULL);
	assert_non_null(c);
	assert_null(c->bgp);
	conf_free(c);
}

/* Random bytes and mutated configs must never crash (the sanitizers watch). */
static void test_random_input(void **state)
{
	(void)state;
	static const char *const base = "router bgp 65001\n neighbor 10.0.0.1 remote-as 65515\n"
					"address-family ipv4 unicast\n neighbor 10.0.0.1 route-map X in\n"
					"ip prefix-list P seq 5 permit 10.0.0.0/8 ge 9 le 24\n"
					"route-map X permit 10\n set community 1:1 additive\n";
	uint32_t x = 12345;
	char buf[512];
	for (int round = 0; round < 3000; round++) {
		size_t n = strlen(base);
		memcpy(buf, base, n);
		for (int k = 0; k < 1 + round % 8; k++) {
			x = x * 1103515245u + 12345u;
			buf[(x >> 8) % n] = (char)(x >> 20);
		}
		struct conf_errors e = CONF_ERRORS_INIT;
		struct conf *c = conf_parse(buf, n, "r.conf", &e);
		if (c) {
			struct strbuf s = STRBUF_INIT;
			conf_print(c, &s);
			strbuf_free(&s);
			struct conf_errors w = CONF_ERRORS_INIT;
			conf_warnings(c, &w);
			conf_errors_free(&w);
		}
		conf_free(c);
		conf_errors_free(&e);
	}
}

/* ---------- files: the seed's reference configs ---------- */

static void seed_path(char *out, size_t n, const char *file)
{
	const char *dir = getenv("NVAD_SEED_DIR");
	const char *root = getenv("NVAD_SRC_ROOT");
	if (dir && *dir)
		snprintf(out, n, "%s/%s", dir, file);
	else
		snprintf(out, n, "%s/../shared/seed/reference/%s", root ? root : "..", file);
}

static void test_seed_configs(void **state)
{
	(void)state;
	static const char *const files[] = { "p2-vm-hub00.frr.conf", "p5-vm-hub00.frr.conf",
					     "p5-vm-hub100.frr.conf" };
	for (size_t i = 0; i < 3; i++) {
		char path[4096];
		seed_path(path, sizeof path, files[i]);
		print_message("loading %s\n", path);
		struct conf_errors e = CONF_ERRORS_INIT;
		struct conf *c = conf_load_file(path, &e);
		for (size_t k = 0; k < e.n; k++)
			print_error("%s\n", e.items[k].text);
		assert_non_null(c);
		assert_int_equal(e.n, 0);
		assert_true(c->version_given);
		assert_int_equal(c->version.minor, 3);
		if (i == 0) {
			assert_int_equal(c->bgp->asn, 65001);
			assert_true(c->bgp->ebgp_requires_policy); /* 8.3.1 traditional */
			const struct conf_neighbor *n = nbr(c, "10.0.210.4");
			assert_int_equal(n->s.remote_as, 65515);
			assert_int_equal(n->s.multihop, 255);
			assert_string_equal(n->af[CONF_AF_IPV4].plist_out, "PRE01");
			assert_int_equal(c->route_maps[0].entries[0].matches[0].kind, CONF_MATCH_AS_PATH);
			struct conf_errors w = CONF_ERRORS_INIT;
			conf_warnings(c, &w);
			assert_int_equal(w.n, 0);
			conf_errors_free(&w);
		}
		conf_free(c);
	}
}

static void test_load_file_errors(void **state)
{
	(void)state;
	struct conf_errors e = CONF_ERRORS_INIT;
	assert_null(conf_load_file("/nonexistent/nvad.conf", &e));
	assert_int_equal(e.n, 1);
	assert_string_equal(e.items[0].text, "/nonexistent/nvad.conf: cannot open: No such file or directory");
	conf_errors_free(&e);
	assert_null(conf_load_file("/", &e));
	assert_non_null(strstr(e.items[0].text, "directory"));
	conf_errors_free(&e);
}

/* ---------- warnings ---------- */

static void test_warnings(void **state)
{
	(void)state;
	const char *text =
		"router bgp 65001\n neighbor 10.0.210.4 remote-as 65515\n address-family ipv4 unicast\n"
		"  neighbor 10.0.210.4 route-map RS-IN in\n  neighbor 10.0.210.4 prefix-list NOPE out\n"
		" exit-address-family\n!\nbgp as-path access-list azure seq 5 permit _65515_\n"
		"route-map RS-IN deny 5\n match as-path azure\nroute-map RS-IN permit 10\n"
		" match ip address prefix-list MISSING\n";
	struct conf *c = parse(text);
	struct conf_errors w = CONF_ERRORS_INIT;
	conf_warnings(c, &w);
	bool undef_plist = false, undef_match = false, own_as = false;
	for (size_t i = 0; i < w.n; i++) {
		print_message("%s\n", w.items[i].text);
		undef_plist |= strstr(w.items[i].text, "t.conf:2: warning: neighbor 10.0.210.4 refers "
						       "to prefix-list \"NOPE\"") != NULL;
		undef_match |= strstr(w.items[i].text, "t.conf:12: warning: route-map RS-IN entry 10 "
						       "refers to prefix-list \"MISSING\"") != NULL;
		own_as |= strstr(w.items[i].text, "t.conf:9: warning:") &&
			  strstr(w.items[i].text, "denies every path from the peer's own AS");
	}
	assert_int_equal(w.n, 3);
	assert_true(undef_plist);
	assert_true(undef_match);
	assert_true(own_as);
	conf_errors_free(&w);
	conf_free(c);
}

/* ---------- nvad vxlan on reload: conf_diff by name ---------- */

struct vxlan_diff_case {
	const char *old_text, *new_text;
	const char *name; /* NULL: no change */
	enum conf_vxlan_change change;
};

#define VX0 "nvad vxlan vxlan0 vni 77 remote 10.100.0.4 dev eth0 mtu 1450 address 169.254.0.1/24 fd00::1/64\n"

static const struct vxlan_diff_case vxlan_diff_cases[] = {
	{ VX0, VX0, NULL, 0 },
	{ VX0, "nvad vxlan vxlan0 dev eth0 remote 10.100.0.4 vni 77 mtu 1450 address fd00::1/64 "
	       "address 169.254.0.1/24 dstport 4789\n", NULL, 0 },
	{ "", VX0, "vxlan0", CONF_VXLAN_ADDED },
	{ VX0, "hostname h\n", "vxlan0", CONF_VXLAN_REMOVED },
	{ VX0, "nvad vxlan vxlan0 vni 78 remote 10.100.0.4 dev eth0 mtu 1450 address 169.254.0.1/24 fd00::1/64\n",
	  "vxlan0", CONF_VXLAN_CHANGED },
	{ VX0, "nvad vxlan vxlan0 vni 77 remote 10.100.0.4 dev eth0 address 169.254.0.1/24 fd00::1/64\n",
	  "vxlan0", CONF_VXLAN_CHANGED },
	{ VX0, "nvad vxlan vxlan0 vni 77 remote 10.100.0.4 dev eth0 mtu 1450 address 169.254.0.1/16 fd00::1/64\n",
	  "vxlan0", CONF_VXLAN_CHANGED },
	{ VX0, "nvad vxlan vxlan0 vni 77 remote 10.100.0.4 dev eth0 mtu 1450 address 169.254.0.1/24 fd00::1/64 "
	       "local 10.0.0.4\n", "vxlan0", CONF_VXLAN_CHANGED },
	{ VX0, "nvad vxlan vxlan0 vni 77 remote 10.100.0.4 mtu 1450 address 169.254.0.1/24 fd00::1/64\n",
	  "vxlan0", CONF_VXLAN_CHANGED },
};

static void test_vxlan_diff(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof vxlan_diff_cases / sizeof vxlan_diff_cases[0]; i++) {
		const struct vxlan_diff_case *vc = &vxlan_diff_cases[i];
		print_message("case %zu\n", i);
		struct conf *a = parse(vc->old_text), *b = parse(vc->new_text);
		struct conf_diff d;
		conf_diff(a, b, &d);
		if (!vc->name) {
			assert_int_equal(d.n_vxlans, 0);
			assert_true(conf_diff_empty(&d));
		} else {
			assert_int_equal(d.n_vxlans, 1);
			assert_string_equal(d.vxlans[0].name, vc->name);
			assert_int_equal(d.vxlans[0].change, vc->change);
			assert_false(conf_diff_empty(&d));
		}
		conf_diff_free(&d);
		conf_diff(NULL, b, &d); /* from no configuration: every interface is added */
		assert_int_equal(d.n_vxlans, b->nvad.n_vxlans);
		conf_diff_free(&d);
		conf_free(a);
		conf_free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_vxlan_diff),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_all_errors_reported),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_random_input),
		cmocka_unit_test(test_seed_configs),
		cmocka_unit_test(test_load_file_errors),
		cmocka_unit_test(test_warnings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

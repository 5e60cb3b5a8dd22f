/* parse_bgp.c: the statements of `router bgp` and its address families:
 * instance flags and timers, neighbors and peer-groups (one table of
 * options, session-wide or per address family), networks, redistribution
 * and maximum-paths. */
#include "conf/parse_int.h"

#include <stdlib.h>
#include <string.h>

static struct conf_bgp *bgp_of(struct pstate *ps)
{
	return ps->c->bgp;
}

static enum conf_afi cur_afi(const struct pstate *ps)
{
	return ps->node == N_AF ? ps->afi : CONF_AF_IPV4;
}

/* ---------- router bgp and instance statements ---------- */

static enum pres cmd_router_bgp(struct pstate *ps, const struct toks *a, bool no)
{
	uint32_t asn;

	if (no)
		return perr(ps, "\"no router bgp\" is not read from a file; remove the block instead");
	if (!tok_asn(a->v[0], &asn))
		return perr(ps, "router bgp: expected an AS number 1..4294967295 or X.Y, found \"%.64s\"",
			    a->v[0]);
	if (a->n > 1)
		return perr(ps, "router bgp %.64s %.64s: VRFs and views are not supported by nvad",
			    a->v[0], a->v[1]);
	struct conf_bgp *b = bgp_of(ps);
	if (b && b->asn != asn)
		return perr(ps, "router bgp %u: another instance, router bgp %u (line %u), exists; "
				"nvad runs one", asn, b->asn, b->line);
	if (!b) {
		b = calloc(1, sizeof(*b));
		if (!b)
			return poom(ps);
		b->line = ps->line;
		b->asn = asn;
		b->default_ipv4_unicast = true;
		ps->c->bgp = b;
	}
	ps->node = N_BGP;
	return P_OK;
}

static enum pres cmd_router_id(struct pstate *ps, const struct toks *a, bool no)
{
	struct conf_bgp *b = bgp_of(ps);
	if (no) {
		b->router_id_set = false;
		return P_OK;
	}
	if (!ipaddr_parse(a->v[0], &b->router_id) || b->router_id.family != AF_INET)
		return perr(ps, "bgp router-id: expected an IPv4 address, found \"%.64s\"", a->v[0]);
	b->router_id_set = true;
	return P_OK;
}

/* The version-dependent flags: the tag is the enum pflag. */
static enum pres cmd_bgp_flag(struct pstate *ps, const struct toks *a, bool no)
{
	(void)a;
	ps->flag[ps->tag] = no ? 0 : 1;
	return P_OK;
}

static enum pres cmd_default_ipv4(struct pstate *ps, const struct toks *a, bool no)
{
	(void)a;
	bgp_of(ps)->default_ipv4_unicast = !no;
	return P_OK;
}

static bool timers_read(struct pstate *ps, const char *what, const struct toks *a, size_t i,
			uint16_t *ka, uint16_t *hold)
{
	uint32_t k, h;
	if (!tok_u32(a->v[i], 0, 65535, &k)) {
		perr(ps, "%s: expected a keepalive 0..65535, found \"%.64s\"", what, a->v[i]);
		return false;
	}
	if (!tok_u32(a->v[i + 1], 0, 65535, &h) || (h != 0 && h < 3)) {
		perr(ps, "%s: expected a hold time of 0 or 3..65535, found \"%.64s\"", what,
		     a->v[i + 1]);
		return false;
	}
	*ka = (uint16_t)k;
	*hold = (uint16_t)h;
	return true;
}

static enum pres cmd_timers_bgp(struct pstate *ps, const struct toks *a, bool no)
{
	struct conf_bgp *b = bgp_of(ps);
	if (no) {
		ps->timers_set = false;
		return P_OK;
	}
	if (a->n != 2)
		return perr(ps, "timers bgp: expected \"timers bgp KEEPALIVE HOLDTIME\"");
	if (!timers_read(ps, "timers bgp", a, 0, &b->keepalive, &b->holdtime))
		return P_ERR;
	ps->timers_set = true;
	return P_OK;
}

static enum pres cmd_no_rib(struct pstate *ps, const struct toks *a, bool no)
{
	(void)a;
	ps->c->bgp_no_rib = !no;
	return P_OK;
}

/* ---------- address families ---------- */

static enum pres cmd_address_family(struct pstate *ps, const struct toks *a, bool no)
{
	if (no)
		return perr(ps, "\"no address-family\" is not supported");
	enum conf_afi afi;
	if (tok_is(a->v[0], "ipv4"))
		afi = CONF_AF_IPV4;
	else if (tok_is(a->v[0], "ipv6"))
		afi = CONF_AF_IPV6;
	else
		return perr(ps, "address-family: expected ipv4 or ipv6, found \"%.64s\" (nvad "
				"supports ipv4 unicast and ipv6 unicast)", a->v[0]);
	if (a->n == 2 && !tok_is(a->v[1], "unicast"))
		return perr(ps, "address-family %s %.64s is not supported (only unicast)", a->v[0],
			    a->v[1]);
	ps->afi = afi;
	ps->node = N_AF;
	return P_OK;
}

static uint8_t afi_family(enum conf_afi afi)
{
	return afi == CONF_AF_IPV4 ? AF_INET : AF_INET6;
}

static const char *afi_name(enum conf_afi afi)
{
	return afi == CONF_AF_IPV4 ? "ipv4 unicast" : "ipv6 unicast";
}

static enum pres cmd_network(struct pstate *ps, const struct toks *a, bool no)
{
	enum conf_afi afi = cur_afi(ps);
	struct conf_bgp_af *af = &bgp_of(ps)->af[afi];
	struct prefix p;

	if (!prefix_parse(a->v[0], true, &p))
		return perr(ps, "network: expected a prefix A.B.C.D/M or X:X::X/M, found \"%.64s\"",
			    a->v[0]);
	if (p.family != afi_family(afi))
		return perr(ps, "network %.64s: not a prefix of address-family %s", a->v[0],
			    afi_name(afi));
	const char *rmap = NULL;
	if (a->n == 3 && tok_is(a->v[1], "route-map")) {
		if (!tok_name(ps, "route-map", a->v[2]))
			return P_ERR;
		rmap = a->v[2];
	} else if (a->n != 1)
		return perr(ps, "network %.64s: expected \"route-map NAME\" after the prefix", a->v[0]);
	size_t i = 0;
	while (i < af->n_networks && !prefix_equal(&af->networks[i].prefix, &p))
		i++;
	if (no) {
		if (i < af->n_networks) {
			free(af->networks[i].rmap);
			memmove(&af->networks[i], &af->networks[i + 1],
				(af->n_networks - i - 1) * sizeof(*af->networks));
			af->n_networks--;
		}
		return P_OK;
	}
	if (i == af->n_networks) {
		size_t cap = af->n_networks;
		if (!vec_grow((void **)&af->networks, &cap, af->n_networks, sizeof(*af->networks)))
			return poom(ps);
		af->networks[af->n_networks++] = (struct conf_network){ .prefix = p };
	}
	struct conf_network *n = &af->networks[i];
	n->line = ps->line;
	free(n->rmap);
	n->rmap = rmap ? xstrdup(ps, rmap) : NULL;
	return P_OK;
}

static const char *const redist_names[CONF_REDIST_COUNT] = {
	[CONF_REDIST_KERNEL] = "kernel",
	[CONF_REDIST_CONNECTED] = "connected",
	[CONF_REDIST_STATIC] = "static",
};

static enum pres redist_options(struct pstate *ps, struct conf_redist *r, const struct toks *a)
{
	for (size_t i = 1; i < a->n; i += 2) {
		if (i + 1 >= a->n)
			return perr(ps, "redistribute %s: \"%.64s\" needs a value", a->v[0], a->v[i]);
		if (tok_is(a->v[i], "metric") && !r->metric_set) {
			if (!tok_u32(a->v[i + 1], 0, UINT32_MAX, &r->metric))
				return perr(ps, "redistribute %s: expected a metric 0..4294967295, "
						"found \"%.64s\"", a->v[0], a->v[i + 1]);
			r->metric_set = true;
		} else if (tok_is(a->v[i], "route-map") && !r->rmap) {
			if (!tok_name(ps, "route-map", a->v[i + 1]))
				return P_ERR;
			r->rmap = xstrdup(ps, a->v[i + 1]);
		} else
			return perr(ps, "redistribute %s: expected metric N or route-map NAME, found "
					"\"%.64s\"", a->v[0], a->v[i]);
	}
	return P_OK;
}

static enum pres cmd_redistribute(struct pstate *ps, const struct toks *a, bool no)
{
	struct conf_bgp_af *af = &bgp_of(ps)->af[cur_afi(ps)];
	size_t t = 0;

	while (t < CONF_REDIST_COUNT && !tok_is(a->v[0], redist_names[t]))
		t++;
	if (t == CONF_REDIST_COUNT)
		return perr(ps, "redistribute %.64s is not supported (nvad redistributes static, "
				"connected and kernel)", a->v[0]);
	struct conf_redist *r = &af->redist[t];
	free(r->rmap);
	*r = (struct conf_redist){ 0 };
	if (no)
		return P_OK;
	r->on = true;
	r->line = ps->line;
	return redist_options(ps, r, a);
}

/* Tag 0: maximum-paths (eBGP), tag 1: maximum-paths ibgp. */
static enum pres cmd_maxpaths(struct pstate *ps, const struct toks *a, bool no)
{
	struct conf_bgp_af *af = &bgp_of(ps)->af[cur_afi(ps)];
	uint16_t *slot = ps->tag ? &af->maxpaths_ibgp : &af->maxpaths_ebgp;
	uint32_t n = 0;

	if (no) {
		*slot = 0;
		return P_OK;
	}
	if (a->n != 1 || !tok_u32(a->v[0], 1, 256, &n))
		return perr(ps, "maximum-paths%s: expected a number of paths 1..256, found \"%.64s\"",
			    ps->tag ? " ibgp" : "", a->n ? a->v[0] : "");
	*slot = (uint16_t)n;
	return P_OK;
}

/* ---------- neighbors ---------- */

struct nctx {
	struct conf_neighbor *n;
	struct conf_af_opts *af;
	enum conf_afi afi;
	const char *id; /* as written, for messages */
};

typedef enum pres (*nopt_fn)(struct pstate *ps, struct nctx *x, const struct toks *a, bool no);

enum nscope { NS_SESSION, NS_AF };

struct nopt {
	const char *words;
	enum nscope scope;
	bool creates; /* may name a neighbor that does not exist yet */
	uint8_t min, max;
	nopt_fn fn;
	const char *usage;
};

static struct conf_neighbor *nbr_find(struct conf_bgp *b, const char *name)
{
	for (size_t i = 0; i < b->n_neighbors; i++)
		if (strcmp(b->neighbors[i].name, name) == 0)
			return &b->neighbors[i];
	return NULL;
}

static struct conf_neighbor *nbr_new(struct pstate *ps, const char *name, bool group,
				     const struct ipaddr *addr)
{
	struct conf_bgp *b = bgp_of(ps);
	size_t cap = b->n_neighbors;
	if (!vec_grow((void **)&b->neighbors, &cap, b->n_neighbors, sizeof(*b->neighbors)))
		return NULL;
	struct conf_neighbor *n = &b->neighbors[b->n_neighbors];
	*n = (struct conf_neighbor){ .line = ps->line, .is_group = group };
	n->name = strdup(name);
	if (!n->name)
		return NULL;
	if (addr)
		n->addr = *addr;
	n->s.port = 179;
	n->s.multihop = 1;
	for (int f = 0; f < CONF_AF_COUNT; f++) {
		n->af[f].send_community = CONF_COMM_ALL;
		n->af[f].max_prefix_threshold = 75;
	}
	b->n_neighbors++;
	return n;
}

static const struct conf_neighbor *group_of(struct pstate *ps, const struct conf_neighbor *n)
{
	return n->group ? nbr_find(bgp_of(ps), n->group) : NULL;
}

static enum conf_remote_as effective_as(struct pstate *ps, const struct conf_neighbor *n,
					uint32_t *asn)
{
	const struct conf_neighbor *g = group_of(ps, n);
	const struct conf_session *s = (n->s.set & CONF_S_REMOTE_AS) || !g ? &n->s : &g->s;
	*asn = s->remote_as;
	return s->as_type;
}

static bool nbr_is_ibgp(struct pstate *ps, const struct conf_neighbor *n)
{
	uint32_t asn;
	enum conf_remote_as t = effective_as(ps, n, &asn);
	return t == CONF_AS_INTERNAL || (t == CONF_AS_NUMBER && asn == bgp_of(ps)->asn);
}

static enum pres opt_remote_as(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_session *s = &x->n->s;
	if (no)
		return perr(ps, "\"no neighbor %s remote-as\" is not read from a file; remove the "
				"neighbor instead", x->id);
	const struct conf_neighbor *g = group_of(ps, x->n);
	if (g && (g->s.set & CONF_S_REMOTE_AS))
		return perr(ps, "neighbor %s: a member of peer-group %s cannot override its "
				"remote-as", x->id, g->name);
	if (tok_is(a->v[0], "internal"))
		s->as_type = CONF_AS_INTERNAL;
	else if (tok_is(a->v[0], "external"))
		s->as_type = CONF_AS_EXTERNAL;
	else if (tok_asn(a->v[0], &s->remote_as))
		s->as_type = CONF_AS_NUMBER;
	else
		return perr(ps, "neighbor %s remote-as: expected an AS number 1..4294967295, X.Y, "
				"internal or external, found \"%.64s\"", x->id, a->v[0]);
	s->set |= CONF_S_REMOTE_AS;
	return P_OK;
}

static enum pres opt_peer_group(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	if (no)
		return perr(ps, "\"no neighbor %s peer-group\" is not supported", x->id);
	if (a->n == 0)
		return P_OK; /* the definition: done by nbr_resolve */
	if (x->n->is_group)
		return perr(ps, "neighbor %s: a peer-group cannot be a member of another", x->id);
	struct conf_neighbor *g = nbr_find(bgp_of(ps), a->v[0]);
	if (!g || !g->is_group)
		return perr(ps, "neighbor %s peer-group %.64s: no such peer-group (define it first "
				"with \"neighbor %.64s peer-group\")", x->id, a->v[0], a->v[0]);
	if (x->n->group && strcmp(x->n->group, g->name) != 0)
		return perr(ps, "neighbor %s: already a member of peer-group %s", x->id,
			    x->n->group);
	if (!(x->n->s.set & CONF_S_REMOTE_AS) && !(g->s.set & CONF_S_REMOTE_AS))
		return perr(ps, "neighbor %s: remote-as must come first (peer-group %s has none; "
				"FRR says: Specify remote-as or peer-group commands first)", x->id,
			    g->name);
	if ((x->n->s.set & CONF_S_REMOTE_AS) && (g->s.set & CONF_S_REMOTE_AS) &&
	    (x->n->s.as_type != g->s.as_type || x->n->s.remote_as != g->s.remote_as))
		return perr(ps, "neighbor %s: its remote-as differs from peer-group %s's", x->id,
			    g->name);
	if (!x->n->group) {
		x->n->group = xstrdup(ps, g->name);
		if (g->s.set & CONF_S_REMOTE_AS)
			x->n->s.set &= ~(uint32_t)CONF_S_REMOTE_AS;
	}
	return P_OK;
}

static enum pres opt_local_as(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	(void)a;
	(void)no;
	return perr(ps, "neighbor %s local-as: not supported by nvad yet", x->id);
}

static enum pres opt_description(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_session *s = &x->n->s;
	free(s->description);
	s->description = NULL;
	s->set &= ~(uint32_t)CONF_S_DESCRIPTION;
	if (no)
		return P_OK;
	if (a->n == 0)
		return perr(ps, "neighbor %s description: expected a text", x->id);
	s->description = toks_join(a, 0);
	if (!s->description)
		return poom(ps);
	if (strlen(s->description) > 256)
		return perr(ps, "neighbor %s description: longer than 256 characters", x->id);
	s->set |= CONF_S_DESCRIPTION;
	return P_OK;
}

/* shutdown, passive, enforce-first-as: tag is the field. */
static enum pres opt_session_bool(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	(void)a;
	struct conf_session *s = &x->n->s;
	bool *slot = ps->tag == CONF_S_SHUTDOWN ? &s->shutdown
		     : ps->tag == CONF_S_PASSIVE ? &s->passive
						 : &s->enforce_first_as;
	*slot = !no;
	s->set |= (uint32_t)ps->tag;
	if (no && ps->tag != CONF_S_ENFORCE_FIRST_AS)
		s->set &= ~(uint32_t)ps->tag;
	return P_OK;
}

static enum pres opt_password(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_session *s = &x->n->s;
	free(s->password);
	s->password = NULL;
	s->set &= ~(uint32_t)CONF_S_PASSWORD;
	if (no)
		return P_OK;
	if (a->n != 1 || strlen(a->v[0]) > 80)
		return perr(ps, "neighbor %s password: expected one word of at most 80 characters",
			    x->id);
	s->password = xstrdup(ps, a->v[0]);
	s->set |= CONF_S_PASSWORD;
	return P_OK;
}

static enum pres opt_port(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_session *s = &x->n->s;
	uint32_t port = 179;
	if (!no && (a->n != 1 || !tok_u32(a->v[0], 0, 65535, &port)))
		return perr(ps, "neighbor %s port: expected a port 0..65535, found \"%.64s\"", x->id,
			    a->n ? a->v[0] : "");
	s->port = (uint16_t)port;
	if (no)
		s->set &= ~(uint32_t)CONF_S_PORT;
	else
		s->set |= CONF_S_PORT;
	return P_OK;
}

static enum pres opt_multihop(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_session *s = &x->n->s;
	uint32_t ttl = 255;
	if (no) {
		s->multihop = 1;
		s->set &= ~(uint32_t)CONF_S_MULTIHOP;
		return P_OK;
	}
	if (a->n == 1 && !tok_u32(a->v[0], 1, 255, &ttl))
		return perr(ps, "neighbor %s ebgp-multihop: expected a TTL 1..255, found \"%.64s\"",
			    x->id, a->v[0]);
	if (s->ttl_security)
		return perr(ps, "neighbor %s: ebgp-multihop and ttl-security cannot be configured "
				"together", x->id);
	if (!x->n->is_group && nbr_is_ibgp(ps, x->n))
		return P_OK; /* FRR ignores it on an internal peer */
	s->multihop = (uint8_t)ttl;
	s->set |= CONF_S_MULTIHOP;
	return P_OK;
}

static enum pres opt_ttl_security(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_session *s = &x->n->s;
	uint32_t hops = 0;
	if (no) {
		s->ttl_security = 0;
		s->set &= ~(uint32_t)CONF_S_TTL_SECURITY;
		return P_OK;
	}
	if (a->n != 1 || !tok_u32(a->v[0], 1, 254, &hops))
		return perr(ps, "neighbor %s ttl-security hops: expected 1..254, found \"%.64s\"",
			    x->id, a->n ? a->v[0] : "");
	if (s->set & CONF_S_MULTIHOP)
		return perr(ps, "neighbor %s: ebgp-multihop and ttl-security cannot be configured "
				"together", x->id);
	s->ttl_security = (uint8_t)hops;
	s->set |= CONF_S_TTL_SECURITY;
	return P_OK;
}

static enum pres opt_update_source(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_session *s = &x->n->s;
	free(s->update_source_ifname);
	s->update_source_ifname = NULL;
	s->update_source_is_addr = false;
	s->set &= ~(uint32_t)CONF_S_UPDATE_SOURCE;
	if (no)
		return P_OK;
	if (a->n != 1)
		return perr(ps, "neighbor %s update-source: expected an address or an interface",
			    x->id);
	if (ipaddr_parse(a->v[0], &s->update_source_addr))
		s->update_source_is_addr = true;
	else if (a->v[0][0] >= '0' && a->v[0][0] <= '9')
		return perr(ps, "neighbor %s update-source: \"%.64s\" is not an address", x->id,
			    a->v[0]);
	else if (!tok_name(ps, "interface", a->v[0]))
		return P_ERR;
	else
		s->update_source_ifname = xstrdup(ps, a->v[0]);
	s->set |= CONF_S_UPDATE_SOURCE;
	return P_OK;
}

static enum pres opt_timers(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_session *s = &x->n->s;
	if (no) {
		s->keepalive = s->holdtime = 0;
		s->set &= ~(uint32_t)CONF_S_TIMERS;
		return P_OK;
	}
	if (a->n != 2)
		return perr(ps, "neighbor %s timers: expected KEEPALIVE HOLDTIME", x->id);
	if (!timers_read(ps, "neighbor timers", a, 0, &s->keepalive, &s->holdtime))
		return P_ERR;
	s->set |= CONF_S_TIMERS;
	return P_OK;
}

static enum pres opt_timers_connect(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_session *s = &x->n->s;
	uint32_t v = 0;
	if (no) {
		s->connect_retry = 0;
		s->set &= ~(uint32_t)CONF_S_CONNECT;
		return P_OK;
	}
	if (a->n != 1 || !tok_u32(a->v[0], 1, 65535, &v))
		return perr(ps, "neighbor %s timers connect: expected 1..65535 seconds, found \"%.64s\"",
			    x->id, a->n ? a->v[0] : "");
	s->connect_retry = (uint16_t)v;
	s->set |= CONF_S_CONNECT;
	return P_OK;
}

/* --- per address family options --- */

static void af_mark(struct conf_af_opts *af, uint32_t field, bool no)
{
	if (no)
		af->set &= ~field;
	else
		af->set |= field;
}

static enum pres opt_activate(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	(void)ps;
	(void)a;
	x->af->active = !no;
	x->af->set |= CONF_A_ACTIVATE;
	return P_OK;
}

/* route-map / prefix-list / filter-list NAME in|out; tag: 0, 1, 2. */
static enum pres opt_filter(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	static const char *const what[] = { "route-map", "prefix-list", "filter-list" };
	static const uint32_t field[3][2] = {
		{ CONF_A_RMAP_IN, CONF_A_RMAP_OUT },
		{ CONF_A_PLIST_IN, CONF_A_PLIST_OUT },
		{ CONF_A_FLIST_IN, CONF_A_FLIST_OUT },
	};
	struct conf_af_opts *af = x->af;
	char **slots[3][2] = {
		{ &af->rmap_in, &af->rmap_out },
		{ &af->plist_in, &af->plist_out },
		{ &af->flist_in, &af->flist_out },
	};
	int k = ps->tag;
	const char *dir = a->n ? a->v[a->n - 1] : "";
	int out = tok_is(dir, "out") ? 1 : tok_is(dir, "in") ? 0 : -1;

	if (out < 0 || (!no && a->n != 2))
		return perr(ps, "neighbor %s %s: expected NAME in|out", x->id, what[k]);
	char **slot = slots[k][out];
	free(*slot);
	*slot = NULL;
	af_mark(af, field[k][out], no);
	if (no)
		return P_OK;
	if (!tok_name(ps, what[k], a->v[0]))
		return P_ERR;
	*slot = xstrdup(ps, a->v[0]);
	return P_OK;
}

static enum pres opt_nhs(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	if (a->n == 1 && !tok_is(a->v[0], "force"))
		return perr(ps, "neighbor %s next-hop-self: expected [force], found \"%.64s\"", x->id,
			    a->v[0]);
	x->af->next_hop_self = no ? CONF_NHS_OFF : a->n ? CONF_NHS_FORCE : CONF_NHS_ON;
	af_mark(x->af, CONF_A_NEXT_HOP_SELF, no);
	return P_OK;
}

static enum pres opt_as_override(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	(void)ps;
	(void)a;
	x->af->as_override = !no;
	af_mark(x->af, CONF_A_AS_OVERRIDE, no);
	return P_OK;
}

static enum pres opt_soft_reconfig(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	(void)ps;
	(void)a;
	x->af->soft_reconfig = !no;
	af_mark(x->af, CONF_A_SOFT_RECONFIG, no);
	return P_OK;
}

static enum pres opt_allowas_in(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_af_opts *af = x->af;
	uint32_t n = 3;
	af->allowas_in_origin = false;
	af_mark(af, CONF_A_ALLOWAS_IN, no);
	if (no) {
		af->allowas_in = 0;
		return P_OK;
	}
	if (a->n == 1 && tok_is(a->v[0], "origin"))
		af->allowas_in_origin = true;
	else if (a->n == 1 && !tok_u32(a->v[0], 1, 10, &n))
		return perr(ps, "neighbor %s allowas-in: expected 1..10 or origin, found \"%.64s\"",
			    x->id, a->v[0]);
	af->allowas_in = af->allowas_in_origin ? 0 : (uint8_t)n;
	return P_OK;
}

static enum pres opt_remove_private(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	bool all = false, replace = false;
	for (size_t i = 0; i < a->n; i++) {
		if (tok_is(a->v[i], "all") && i == 0)
			all = true;
		else if (tok_is(a->v[i], "replace-AS") && i == a->n - 1)
			replace = true;
		else
			return perr(ps, "neighbor %s remove-private-AS: expected [all] [replace-AS], "
					"found \"%.64s\"", x->id, a->v[i]);
	}
	x->af->remove_private_as = no ? CONF_RPAS_OFF
				   : all && replace ? CONF_RPAS_ALL_REPLACE
				   : all ? CONF_RPAS_ALL
				   : replace ? CONF_RPAS_REPLACE
					     : CONF_RPAS_ON;
	af_mark(x->af, CONF_A_REMOVE_PRIVATE_AS, no);
	return P_OK;
}

static enum pres maxpfx_option(struct pstate *ps, struct nctx *x, const struct toks *a, size_t *i)
{
	struct conf_af_opts *af = x->af;
	uint32_t v;
	const char *w = a->v[*i];

	if (tok_is(w, "warning-only"))
		af->max_prefix_warning_only = true;
	else if (tok_is(w, "force"))
		af->max_prefix_force = true;
	else if (tok_is(w, "restart") && *i + 1 < a->n && tok_u32(a->v[*i + 1], 1, 65535, &v)) {
		af->max_prefix_restart = (uint16_t)v;
		++*i;
	} else if (*i == 1 && tok_u32(w, 1, 100, &v))
		af->max_prefix_threshold = (uint8_t)v;
	else
		return perr(ps, "neighbor %s maximum-prefix: expected [THRESHOLD] [restart MINUTES] "
				"[warning-only] [force], found \"%.64s\"", x->id, w);
	++*i;
	return P_OK;
}

static enum pres opt_max_prefix(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	struct conf_af_opts *af = x->af;
	af->max_prefix = 0;
	af->max_prefix_threshold = 75;
	af->max_prefix_restart = 0;
	af->max_prefix_warning_only = af->max_prefix_force = false;
	af_mark(af, CONF_A_MAX_PREFIX, no);
	if (no)
		return P_OK;
	if (!tok_u32(a->v[0], 1, UINT32_MAX, &af->max_prefix))
		return perr(ps, "neighbor %s maximum-prefix: expected 1..4294967295, found \"%.64s\"",
			    x->id, a->v[0]);
	for (size_t i = 1; i < a->n;)
		if (maxpfx_option(ps, x, a, &i) != P_OK)
			return P_ERR;
	if (af->max_prefix_warning_only && af->max_prefix_restart)
		return perr(ps, "neighbor %s maximum-prefix: restart and warning-only exclude each "
				"other", x->id);
	return P_OK;
}

static enum pres opt_max_prefix_out(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	x->af->max_prefix_out = 0;
	af_mark(x->af, CONF_A_MAX_PREFIX_OUT, no);
	if (no)
		return P_OK;
	if (a->n != 1 || !tok_u32(a->v[0], 1, UINT32_MAX, &x->af->max_prefix_out))
		return perr(ps, "neighbor %s maximum-prefix-out: expected 1..4294967295", x->id);
	return P_OK;
}

static enum pres opt_default_originate(struct pstate *ps, struct nctx *x, const struct toks *a,
				       bool no)
{
	struct conf_af_opts *af = x->af;
	free(af->default_originate_rmap);
	af->default_originate_rmap = NULL;
	af->default_originate = !no;
	af_mark(af, CONF_A_DEFAULT_ORIGINATE, no);
	if (no || a->n == 0)
		return P_OK;
	if (a->n != 2 || !tok_is(a->v[0], "route-map"))
		return perr(ps, "neighbor %s default-originate: expected [route-map NAME]", x->id);
	if (!tok_name(ps, "route-map", a->v[1]))
		return P_ERR;
	af->default_originate_rmap = xstrdup(ps, a->v[1]);
	return P_OK;
}

static enum pres opt_send_community(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	static const struct {
		const char *word;
		uint8_t bits;
	} kinds[] = {
		{ "standard", CONF_COMM_STANDARD }, { "extended", CONF_COMM_EXTENDED },
		{ "large", CONF_COMM_LARGE },       { "both", CONF_COMM_STANDARD | CONF_COMM_EXTENDED },
		{ "all", CONF_COMM_ALL },
	};
	uint8_t bits = CONF_COMM_STANDARD;
	if (a->n == 1) {
		size_t i = 0;
		while (i < sizeof kinds / sizeof kinds[0] && !tok_is(a->v[0], kinds[i].word))
			i++;
		if (i == sizeof kinds / sizeof kinds[0])
			return perr(ps, "neighbor %s send-community: expected standard, extended, "
					"large, both or all, found \"%.64s\"", x->id, a->v[0]);
		bits = kinds[i].bits;
	}
	struct conf_af_opts *af = x->af;
	af->send_community = no ? (uint8_t)(af->send_community & ~bits) : (uint8_t)(af->send_community | bits);
	af_mark(af, CONF_A_SEND_COMMUNITY, af->send_community == CONF_COMM_ALL);
	return P_OK;
}

static enum pres opt_weight(struct pstate *ps, struct nctx *x, const struct toks *a, bool no)
{
	uint32_t w = 0;
	if (!no && (a->n != 1 || !tok_u32(a->v[0], 0, 65535, &w)))
		return perr(ps, "neighbor %s weight: expected 0..65535, found \"%.64s\"", x->id,
			    a->n ? a->v[0] : "");
	x->af->weight = (uint16_t)w;
	af_mark(x->af, CONF_A_WEIGHT, no);
	return P_OK;
}

struct nopt_entry {
	struct nopt o;
	int tag;
};

static const struct nopt_entry nopts[] = {
	{ { "remote-as", NS_SESSION, true, 1, 1, opt_remote_as, "ASN|internal|external" }, 0 },
	{ { "peer-group", NS_SESSION, true, 0, 1, opt_peer_group, "[NAME]" }, 0 },
	{ { "local-as", NS_SESSION, false, 0, ARGS_ANY, opt_local_as, "ASN" }, 0 },
	{ { "description", NS_SESSION, false, 0, ARGS_ANY, opt_description, "TEXT" }, 0 },
	{ { "shutdown", NS_SESSION, false, 0, 0, opt_session_bool, "" }, CONF_S_SHUTDOWN },
	{ { "passive", NS_SESSION, false, 0, 0, opt_session_bool, "" }, CONF_S_PASSIVE },
	{ { "enforce-first-as", NS_SESSION, false, 0, 0, opt_session_bool, "" },
	  CONF_S_ENFORCE_FIRST_AS },
	{ { "password", NS_SESSION, false, 0, 1, opt_password, "SECRET" }, 0 },
	{ { "port", NS_SESSION, false, 0, 1, opt_port, "0..65535" }, 0 },
	{ { "ebgp-multihop", NS_SESSION, false, 0, 1, opt_multihop, "[1..255]" }, 0 },
	{ { "ttl-security hops", NS_SESSION, false, 0, 1, opt_ttl_security, "1..254" }, 0 },
	{ { "update-source", NS_SESSION, false, 0, 1, opt_update_source, "ADDRESS|IFNAME" }, 0 },
	{ { "timers", NS_SESSION, false, 0, 2, opt_timers, "KEEPALIVE HOLDTIME" }, 0 },
	{ { "timers connect", NS_SESSION, false, 0, 1, opt_timers_connect, "1..65535" }, 0 },
	{ { "activate", NS_AF, false, 0, 0, opt_activate, "" }, 0 },
	{ { "route-map", NS_AF, false, 1, 2, opt_filter, "NAME in|out" }, 0 },
	{ { "prefix-list", NS_AF, false, 1, 2, opt_filter, "NAME in|out" }, 1 },
	{ { "filter-list", NS_AF, false, 1, 2, opt_filter, "NAME in|out" }, 2 },
	{ { "next-hop-self", NS_AF, false, 0, 1, opt_nhs, "[force]" }, 0 },
	{ { "as-override", NS_AF, false, 0, 0, opt_as_override, "" }, 0 },
	{ { "allowas-in", NS_AF, false, 0, 1, opt_allowas_in, "[1..10|origin]" }, 0 },
	{ { "remove-private-AS", NS_AF, false, 0, 2, opt_remove_private, "[all] [replace-AS]" }, 0 },
	{ { "maximum-prefix", NS_AF, false, 1, 6, opt_max_prefix,
	    "N [THRESHOLD] [restart M] [warning-only] [force]" }, 0 },
	{ { "maximum-prefix-out", NS_AF, false, 0, 1, opt_max_prefix_out, "N" }, 0 },
	{ { "default-originate", NS_AF, false, 0, 2, opt_default_originate, "[route-map NAME]" }, 0 },
	{ { "send-community", NS_AF, false, 0, 1, opt_send_community,
	    "[standard|extended|large|both|all]" }, 0 },
	{ { "weight", NS_AF, false, 0, 1, opt_weight, "0..65535" }, 0 },
	{ { "soft-reconfiguration inbound", NS_AF, false, 0, 0, opt_soft_reconfig, "" }, 0 },
};

static const struct nopt_entry *nopt_find(const struct toks *t, enum pnode node, size_t *nw)
{
	const struct nopt_entry *best = NULL;
	size_t best_n = 0;
	for (size_t i = 0; i < sizeof nopts / sizeof nopts[0]; i++) {
		if (node == N_AF && nopts[i].o.scope == NS_SESSION)
			continue;
		size_t m = words_match(nopts[i].o.words, t, 1);
		if (m > best_n) {
			best = &nopts[i];
			best_n = m;
		}
	}
	*nw = best_n;
	return best;
}

/* Finds (or, for remote-as and peer-group, creates) the neighbor named id. */
static enum pres nbr_resolve(struct pstate *ps, const char *id, const struct nopt_entry *e,
			     const struct toks *args, struct conf_neighbor **out)
{
	struct conf_bgp *b = bgp_of(ps);
	struct ipaddr addr;
	char name[IPADDR_STRLEN];
	bool is_addr = ipaddr_parse(id, &addr);

	if (is_addr)
		ipaddr_fmt(&addr, name, sizeof name);
	else if (!tok_name(ps, "peer-group", id))
		return P_ERR;
	*out = nbr_find(b, is_addr ? name : id);
	if (*out)
		return P_OK;
	bool define = e->o.fn == opt_peer_group && args->n == 0;
	if (define && is_addr)
		return perr(ps, "neighbor %s peer-group: a peer-group name cannot be an address", id);
	if (define || (is_addr && e->o.creates)) {
		*out = nbr_new(ps, is_addr ? name : id, define, is_addr ? &addr : NULL);
		return *out ? P_OK : poom(ps);
	}
	if (is_addr)
		return perr(ps, "neighbor %s: remote-as must come first (FRR says: Specify "
				"remote-as or peer-group commands first)", id);
	return perr(ps, "neighbor %.64s: no such peer-group (define it first with \"neighbor %.64s "
			"peer-group\")", id, id);
}

static enum pres cmd_neighbor(struct pstate *ps, const struct toks *a, bool no)
{
	size_t nw;
	const struct nopt_entry *e = nopt_find(a, ps->node, &nw);
	if (!e)
		return P_NOMATCH;
	struct toks args = toks_from(a, 1 + nw);
	if (!no && (args.n < usage_min(e->o.usage, e->o.min) ||
		    (e->o.max != ARGS_ANY && args.n > e->o.max)))
		return perr(ps, "neighbor %s %s: expected \"%s%s%s\"", a->v[0], e->o.words,
			    e->o.words, e->o.usage[0] ? " " : "", e->o.usage);
	struct nctx x = { .afi = cur_afi(ps), .id = a->v[0] };
	if (strlen(x.id) > CONF_MAX_NAME)
		return perr(ps, "neighbor: name longer than %d characters", CONF_MAX_NAME);
	if (nbr_resolve(ps, a->v[0], e, &args, &x.n) != P_OK)
		return P_ERR;
	if (e->o.fn == opt_peer_group && args.n == 0 && !x.n->is_group)
		return perr(ps, "neighbor %s peer-group: %s is already a neighbor", a->v[0], a->v[0]);
	x.af = &x.n->af[x.afi];
	ps->tag = e->tag;
	return e->o.fn(ps, &x, &args, no);
}

/* ---------- the table ---------- */

static const struct cmd bgp_cmds[] = {
	{ N_TOP, "router bgp", true, 1, 3, cmd_router_bgp, "ASN", 0 },
	{ N_TOP, "bgp no-rib", true, 0, 0, cmd_no_rib, "", 0 },
	{ N_BGP, "bgp router-id", true, 0, 1, cmd_router_id, "A.B.C.D", 0 },
	{ N_BGP, "bgp ebgp-requires-policy", true, 0, 0, cmd_bgp_flag, "", PF_EBGP_POLICY },
	{ N_BGP, "bgp fast-external-failover", true, 0, 0, cmd_bgp_flag, "", PF_FAST_FAILOVER },
	{ N_BGP, "bgp network import-check", true, 0, 0, cmd_bgp_flag, "", PF_IMPORT_CHECK },
	{ N_BGP, "bgp log-neighbor-changes", true, 0, 0, cmd_bgp_flag, "", PF_LOG_NBR },
	{ N_BGP, "bgp deterministic-med", true, 0, 0, cmd_bgp_flag, "", PF_DET_MED },
	{ N_BGP, "bgp suppress-duplicates", true, 0, 0, cmd_bgp_flag, "", PF_SUPP_DUP },
	{ N_BGP, "bgp graceful-restart notification", true, 0, 0, cmd_bgp_flag, "", PF_GR_NOTIF },
	{ N_BGP, "bgp hard-administrative-reset", true, 0, 0, cmd_bgp_flag, "", PF_HARD_RESET },
	{ N_BGP, "bgp default ipv4-unicast", true, 0, 0, cmd_default_ipv4, "", 0 },
	{ N_BGP, "timers bgp", true, 0, 2, cmd_timers_bgp, "KEEPALIVE HOLDTIME", 0 },
	{ N_BGP, "neighbor", true, 2, ARGS_ANY, cmd_neighbor, "PEER OPTION ...", 0 },
	{ N_BGP, "address-family", true, 1, 2, cmd_address_family, "ipv4|ipv6 [unicast]", 0 },
	{ N_BGP, "network", true, 1, 3, cmd_network, "PREFIX [route-map NAME]", 0 },
	{ N_BGP, "redistribute", true, 1, 5, cmd_redistribute,
	  "static|connected|kernel [metric N] [route-map NAME]", 0 },
	{ N_BGP, "maximum-paths", true, 0, 1, cmd_maxpaths, "1..256", 0 },
	{ N_BGP, "maximum-paths ibgp", true, 0, 1, cmd_maxpaths, "1..256", 1 },
	{ N_AF, "neighbor", true, 2, ARGS_ANY, cmd_neighbor, "PEER OPTION ...", 0 },
	{ N_AF, "network", true, 1, 3, cmd_network, "PREFIX [route-map NAME]", 0 },
	{ N_AF, "redistribute", true, 1, 5, cmd_redistribute,
	  "static|connected|kernel [metric N] [route-map NAME]", 0 },
	{ N_AF, "maximum-paths", true, 0, 1, cmd_maxpaths, "1..256", 0 },
	{ N_AF, "maximum-paths ibgp", true, 0, 1, cmd_maxpaths, "1..256", 1 },
};

const struct cmd_table conf_bgp_cmds = { bgp_cmds, sizeof bgp_cmds / sizeof bgp_cmds[0] };

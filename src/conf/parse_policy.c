/* parse_policy.c: the policy objects: ip/ipv6 prefix-lists, as-path
 * access-lists, community and large-community lists, and route-maps with
 * their match/set clauses (one table of clause kinds with a checker each).
 * Objects are parsed and kept; evaluating them is another module's work. */
#include "conf/parse_int.h"

#include <stdlib.h>
#include <string.h>

static bool action_read(const char *s, enum conf_action *a)
{
	if (tok_is(s, "permit"))
		*a = CONF_PERMIT;
	else if (tok_is(s, "deny"))
		*a = CONF_DENY;
	else
		return false;
	return true;
}

/* "[seq N] permit|deny" at a->v[*i]; advances *i. seq 0 = automatic. */
static enum pres seq_action(struct pstate *ps, const char *what, const struct toks *a, size_t *i,
			    uint32_t *seq, enum conf_action *act)
{
	*seq = 0;
	if (*i < a->n && tok_is(a->v[*i], "seq")) {
		if (*i + 1 >= a->n || !tok_u32(a->v[*i + 1], 1, UINT32_MAX - 1, seq))
			return perr(ps, "%s: expected a sequence number 1..4294967294 after seq", what);
		*i += 2;
	}
	if (*i >= a->n || !action_read(a->v[*i], act))
		return perr(ps, "%s: expected permit or deny, found \"%.64s\"", what,
			    *i < a->n ? a->v[*i] : "");
	++*i;
	return P_OK;
}

/* ---------- prefix-lists ---------- */

static struct conf_prefix_list *plist_get(struct pstate *ps, uint8_t family, const char *name)
{
	struct conf *c = ps->c;
	for (size_t i = 0; i < c->n_prefix_lists; i++)
		if (c->prefix_lists[i].family == family && strcmp(c->prefix_lists[i].name, name) == 0)
			return &c->prefix_lists[i];
	size_t cap = c->n_prefix_lists;
	if (!vec_grow((void **)&c->prefix_lists, &cap, c->n_prefix_lists, sizeof(*c->prefix_lists)))
		return NULL;
	struct conf_prefix_list *l = &c->prefix_lists[c->n_prefix_lists];
	*l = (struct conf_prefix_list){ .family = family, .name = strdup(name) };
	if (!l->name)
		return NULL;
	c->n_prefix_lists++;
	return l;
}

static enum pres plist_range(struct pstate *ps, const char *what, struct conf_plist_entry *e,
			     const struct toks *a, size_t i)
{
	unsigned max = prefix_family_bits(e->prefix.family);
	for (; i < a->n; i += 2) {
		uint32_t v;
		bool ge = tok_is(a->v[i], "ge"), le = tok_is(a->v[i], "le");
		if ((!ge && !le) || (ge && e->ge) || (le && e->le))
			return perr(ps, "%s: expected ge N or le N, found \"%.64s\"", what, a->v[i]);
		if (i + 1 >= a->n || !tok_u32(a->v[i + 1], 0, max, &v))
			return perr(ps, "%s: expected a length 0..%u after %s", what, max, a->v[i]);
		*(ge ? &e->ge : &e->le) = (uint8_t)v;
	}
	unsigned len = e->prefix.len;
	if ((e->ge && e->ge < len) || (e->le && e->le < len) || (e->ge && e->le && e->ge > e->le))
		return perr(ps, "%s: invalid range for /%u: make sure that length <= ge <= le <= %u",
			    what, len, max);
	return P_OK;
}

static bool plist_same(const struct conf_plist_entry *x, const struct conf_plist_entry *y)
{
	return x->action == y->action && x->any == y->any && x->ge == y->ge && x->le == y->le &&
	       prefix_equal(&x->prefix, &y->prefix);
}

static enum pres plist_insert(struct pstate *ps, const char *what, struct conf_prefix_list *l,
			      struct conf_plist_entry *e)
{
	uint32_t max = 0;
	for (size_t k = 0; k < l->n; k++) {
		if (l->entries[k].seq > max)
			max = l->entries[k].seq;
		if (plist_same(&l->entries[k], e) && l->entries[k].seq != e->seq)
			return perr(ps, "%s: duplicate of seq %u (line %u)", what, l->entries[k].seq,
				    l->entries[k].line);
	}
	if (e->seq == 0)
		e->seq = next_seq(max);
	size_t k = 0;
	while (k < l->n && l->entries[k].seq < e->seq)
		k++;
	if (k < l->n && l->entries[k].seq == e->seq) {
		l->entries[k] = *e; /* same seq: replaced, as FRR does */
		return P_OK;
	}
	size_t cap = l->n;
	if (!vec_grow((void **)&l->entries, &cap, l->n, sizeof(*l->entries)))
		return poom(ps);
	memmove(&l->entries[k + 1], &l->entries[k], (l->n - k) * sizeof(*l->entries));
	l->entries[k] = *e;
	l->n++;
	return P_OK;
}

static enum pres prefix_list(struct pstate *ps, const struct toks *a, uint8_t family)
{
	const char *what = family == AF_INET ? "ip prefix-list" : "ipv6 prefix-list";
	struct conf_plist_entry e = { .line = ps->line };
	size_t i = 1;

	if (!tok_name(ps, "prefix-list", a->v[0]))
		return P_ERR;
	if (seq_action(ps, what, a, &i, &e.seq, &e.action) != P_OK)
		return P_ERR;
	if (i >= a->n)
		return perr(ps, "%s %.64s: expected a prefix or any", what, a->v[0]);
	if (tok_is(a->v[i], "any")) {
		e.any = true;
		e.prefix = (struct prefix){ .family = family };
		if (i + 1 != a->n)
			return perr(ps, "%s %.64s: nothing may follow any", what, a->v[0]);
	} else {
		if (!prefix_parse(a->v[i], true, &e.prefix) || e.prefix.family != family)
			return perr(ps, "%s %.64s: expected an %s prefix or any, found \"%.64s\"", what,
				    a->v[0], family == AF_INET ? "IPv4" : "IPv6", a->v[i]);
		if (plist_range(ps, what, &e, a, i + 1) != P_OK)
			return P_ERR;
	}
	struct conf_prefix_list *l = plist_get(ps, family, a->v[0]);
	if (!l)
		return poom(ps);
	return plist_insert(ps, what, l, &e);
}

static enum pres cmd_ip_plist(struct pstate *ps, const struct toks *a, bool no)
{
	if (no)
		return perr(ps, "\"no ip prefix-list\" is not read from a file; remove the entry");
	return prefix_list(ps, a, AF_INET);
}

static enum pres cmd_ipv6_plist(struct pstate *ps, const struct toks *a, bool no)
{
	if (no)
		return perr(ps, "\"no ipv6 prefix-list\" is not read from a file; remove the entry");
	return prefix_list(ps, a, AF_INET6);
}

/* ---------- as-path access-lists ---------- */

static bool aspath_regex_ok(const char *s)
{
	return strspn(s, "1234567890_^|[,{}() ]$*+.?-\\") == strlen(s);
}

static struct conf_aspath_list *aspath_get(struct pstate *ps, const char *name)
{
	struct conf *c = ps->c;
	size_t k = 0;
	while (k < c->n_aspath_lists && strcmp(c->aspath_lists[k].name, name) < 0)
		k++;
	if (k < c->n_aspath_lists && strcmp(c->aspath_lists[k].name, name) == 0)
		return &c->aspath_lists[k];
	size_t cap = c->n_aspath_lists;
	char *copy = strdup(name);
	if (!copy || !vec_grow((void **)&c->aspath_lists, &cap, c->n_aspath_lists,
			       sizeof(*c->aspath_lists))) {
		free(copy);
		return NULL;
	}
	memmove(&c->aspath_lists[k + 1], &c->aspath_lists[k],
		(c->n_aspath_lists - k) * sizeof(*c->aspath_lists));
	c->aspath_lists[k] = (struct conf_aspath_list){ .name = copy };
	c->n_aspath_lists++;
	return &c->aspath_lists[k];
}

static enum pres cmd_aspath(struct pstate *ps, const struct toks *a, bool no)
{
	const char *what = "bgp as-path access-list";
	struct conf_aspath_entry e = { .line = ps->line };
	size_t i = 1;

	if (no)
		return perr(ps, "\"no %s\" is not read from a file; remove the entry", what);
	if (!tok_name(ps, "as-path access-list", a->v[0]) ||
	    seq_action(ps, what, a, &i, &e.seq, &e.action) != P_OK)
		return P_ERR;
	if (i >= a->n)
		return perr(ps, "%s %.64s: expected a regular expression", what, a->v[0]);
	char *re = toks_join(a, i);
	if (!re)
		return poom(ps);
	if (!aspath_regex_ok(re)) {
		free(re);
		return perr(ps, "%s %.64s: invalid character in the regular expression (allowed: "
				"digits and _^|[,{}() ]$*+.?-\\)", what, a->v[0]);
	}
	struct conf_aspath_list *l = aspath_get(ps, a->v[0]);
	if (!l) {
		free(re);
		return poom(ps);
	}
	uint32_t max = 0;
	for (size_t k = 0; k < l->n; k++) {
		if (l->entries[k].seq > max)
			max = l->entries[k].seq;
		if (l->entries[k].action == e.action && strcmp(l->entries[k].regex, re) == 0) {
			free(re); /* FRR drops a duplicate silently */
			return P_OK;
		}
	}
	e.regex = re;
	if (e.seq == 0)
		e.seq = next_seq(max);
	size_t k = 0;
	while (k < l->n && l->entries[k].seq < e.seq)
		k++;
	if (k < l->n && l->entries[k].seq == e.seq) {
		free(l->entries[k].regex);
		l->entries[k] = e;
		return P_OK;
	}
	size_t cap = l->n;
	if (!vec_grow((void **)&l->entries, &cap, l->n, sizeof(*l->entries))) {
		free(re);
		return poom(ps);
	}
	memmove(&l->entries[k + 1], &l->entries[k], (l->n - k) * sizeof(*l->entries));
	l->entries[k] = e;
	l->n++;
	return P_OK;
}

/* ---------- communities ---------- */

static const char *const wellknown_communities[] = {
	"internet",   "local-AS",   "no-advertise", "no-export",  "graceful-shutdown",
	"accept-own", "blackhole",  "no-peer",      "llgr-stale", "no-llgr",
	"accept-own-nexthop", "route-filter-v4", "route-filter-v6",
	"route-filter-translated-v4", "route-filter-translated-v6",
};

static bool community_ok(const char *s)
{
	for (size_t i = 0; i < sizeof wellknown_communities / sizeof wellknown_communities[0]; i++)
		if (tok_is(s, wellknown_communities[i]))
			return true;
	uint32_t v;
	const char *colon = strchr(s, ':');
	if (!colon)
		return tok_u32(s, 0, UINT32_MAX, &v);
	char left[8];
	size_t n = (size_t)(colon - s);
	if (n == 0 || n >= sizeof left)
		return false;
	memcpy(left, s, n);
	left[n] = '\0';
	return tok_u32(left, 0, 65535, &v) && tok_u32(colon + 1, 0, 65535, &v);
}

static bool large_community_ok(const char *s)
{
	char buf[40];
	uint32_t v;
	if (strlen(s) >= sizeof buf)
		return false;
	strcpy(buf, s);
	char *p = buf;
	for (int part = 0; part < 3; part++) {
		char *colon = strchr(p, ':');
		if ((part < 2) != (colon != NULL))
			return false;
		if (colon)
			*colon = '\0';
		if (!tok_u32(p, 0, UINT32_MAX, &v))
			return false;
		p = colon ? colon + 1 : p;
	}
	return true;
}

static enum pres values_check(struct pstate *ps, const char *what, const struct toks *a, size_t i,
			      bool large)
{
	for (; i < a->n; i++)
		if (!(large ? large_community_ok(a->v[i]) : community_ok(a->v[i])))
			return perr(ps, "%s: \"%.64s\" is not a %scommunity (%s)", what, a->v[i],
				    large ? "large " : "", large ? "A:B:C" : "AA:NN or a well-known name");
	return P_OK;
}

static struct conf_community_list *clist_get(struct pstate *ps, bool large,
					     enum conf_clist_kind kind, const char *name)
{
	struct conf *c = ps->c;
	for (size_t i = 0; i < c->n_community_lists; i++)
		if (c->community_lists[i].large == large &&
		    strcmp(c->community_lists[i].name, name) == 0)
			return &c->community_lists[i];
	size_t cap = c->n_community_lists;
	if (!vec_grow((void **)&c->community_lists, &cap, c->n_community_lists,
		      sizeof(*c->community_lists)))
		return NULL;
	struct conf_community_list *l = &c->community_lists[c->n_community_lists];
	*l = (struct conf_community_list){ .large = large, .kind = kind, .name = strdup(name) };
	if (!l->name)
		return NULL;
	c->n_community_lists++;
	return l;
}

static enum pres clist_insert(struct pstate *ps, const char *what, struct conf_community_list *l,
			      struct conf_clist_entry *e)
{
	uint32_t max = 0;
	for (size_t k = 0; k < l->n; k++)
		if (l->entries[k].seq > max)
			max = l->entries[k].seq;
	if (e->seq == 0)
		e->seq = next_seq(max);
	size_t k = 0;
	while (k < l->n && l->entries[k].seq < e->seq)
		k++;
	if (k < l->n && l->entries[k].seq == e->seq) {
		free(l->entries[k].value);
		l->entries[k] = *e;
		return P_OK;
	}
	size_t cap = l->n;
	if (!vec_grow((void **)&l->entries, &cap, l->n, sizeof(*l->entries))) {
		free(e->value);
		return poom(ps);
	}
	(void)what;
	memmove(&l->entries[k + 1], &l->entries[k], (l->n - k) * sizeof(*l->entries));
	l->entries[k] = *e;
	l->n++;
	return P_OK;
}

/* tag 0: bgp community-list, 1: bgp large-community-list */
static enum pres cmd_clist(struct pstate *ps, const struct toks *a, bool no)
{
	bool large = ps->tag == 1;
	const char *what = large ? "bgp large-community-list" : "bgp community-list";
	struct conf_clist_entry e = { .line = ps->line };
	enum conf_clist_kind kind;
	size_t i = 2;

	if (no)
		return perr(ps, "\"no %s\" is not read from a file; remove the entry", what);
	if (tok_is(a->v[0], "standard"))
		kind = CONF_CLIST_STANDARD;
	else if (tok_is(a->v[0], "expanded"))
		kind = CONF_CLIST_EXPANDED;
	else
		return perr(ps, "%s: expected standard or expanded, found \"%.64s\"", what, a->v[0]);
	if (!tok_name(ps, "community-list", a->v[1]) ||
	    seq_action(ps, what, a, &i, &e.seq, &e.action) != P_OK)
		return P_ERR;
	if (i >= a->n)
		return perr(ps, "%s %.64s: expected %s", what, a->v[1],
			    kind == CONF_CLIST_STANDARD ? "communities" : "a regular expression");
	if (kind == CONF_CLIST_STANDARD && values_check(ps, what, a, i, large) != P_OK)
		return P_ERR;
	struct conf_community_list *l = clist_get(ps, large, kind, a->v[1]);
	if (!l)
		return poom(ps);
	if (l->kind != kind)
		return perr(ps, "%s %.64s: already defined as %s", what, a->v[1],
			    l->kind == CONF_CLIST_STANDARD ? "standard" : "expanded");
	e.value = toks_join(a, i);
	if (!e.value)
		return poom(ps);
	return clist_insert(ps, what, l, &e);
}

/* ---------- route-maps ---------- */

static struct conf_route_map *rmap_cur(struct pstate *ps)
{
	return &ps->c->route_maps[ps->rmap];
}

static struct conf_rm_entry *rm_entry_cur(struct pstate *ps)
{
	struct conf_route_map *m = rmap_cur(ps);
	for (size_t i = 0; i < m->n; i++)
		if (m->entries[i].seq == ps->rmap_seq)
			return &m->entries[i];
	return NULL; /* not reached: the entry was made by `route-map` */
}

static enum pres rmap_find_or_add(struct pstate *ps, const char *name, size_t *idx)
{
	struct conf *c = ps->c;
	for (size_t i = 0; i < c->n_route_maps; i++)
		if (strcmp(c->route_maps[i].name, name) == 0) {
			*idx = i;
			return P_OK;
		}
	size_t cap = c->n_route_maps;
	if (!vec_grow((void **)&c->route_maps, &cap, c->n_route_maps, sizeof(*c->route_maps)))
		return poom(ps);
	c->route_maps[c->n_route_maps] = (struct conf_route_map){ .name = strdup(name) };
	if (!c->route_maps[c->n_route_maps].name)
		return poom(ps);
	*idx = c->n_route_maps++;
	return P_OK;
}

static enum pres cmd_route_map(struct pstate *ps, const struct toks *a, bool no)
{
	enum conf_action act;
	uint32_t seq;

	if (no)
		return perr(ps, "\"no route-map\" is not read from a file; remove the block");
	if (!tok_name(ps, "route-map", a->v[0]))
		return P_ERR;
	if (!action_read(a->v[1], &act))
		return perr(ps, "route-map %.64s: expected permit or deny, found \"%.64s\"", a->v[0],
			    a->v[1]);
	if (!tok_u32(a->v[2], 1, 65535, &seq))
		return perr(ps, "route-map %.64s: expected a sequence number 1..65535, found \"%.64s\"",
			    a->v[0], a->v[2]);
	size_t idx = 0;
	if (rmap_find_or_add(ps, a->v[0], &idx) != P_OK)
		return P_ERR;
	struct conf_route_map *m = &ps->c->route_maps[idx];
	size_t k = 0;
	while (k < m->n && m->entries[k].seq < seq)
		k++;
	if (k == m->n || m->entries[k].seq != seq) {
		size_t cap = m->n;
		if (!vec_grow((void **)&m->entries, &cap, m->n, sizeof(*m->entries)))
			return poom(ps);
		memmove(&m->entries[k + 1], &m->entries[k], (m->n - k) * sizeof(*m->entries));
		m->entries[k] = (struct conf_rm_entry){ .line = ps->line, .seq = seq };
		m->n++;
	}
	m->entries[k].action = act;
	ps->rmap = idx;
	ps->rmap_seq = seq;
	ps->node = N_RMAP;
	return P_OK;
}

/* --- clause kinds: keywords, argument counts, and a checker --- */

typedef enum pres (*clause_check)(struct pstate *ps, const char *what, const struct toks *a);

static enum pres chk_name(struct pstate *ps, const char *what, const struct toks *a)
{
	(void)what;
	return tok_name(ps, "list", a->v[0]) ? P_OK : P_ERR;
}

static enum pres chk_comm_name(struct pstate *ps, const char *what, const struct toks *a)
{
	if (a->n == 2 && !tok_is(a->v[1], "exact-match"))
		return perr(ps, "%s: expected [exact-match], found \"%.64s\"", what, a->v[1]);
	return chk_name(ps, what, a);
}

static enum pres chk_u32(struct pstate *ps, const char *what, const struct toks *a)
{
	uint32_t v;
	return tok_u32(a->v[0], 0, UINT32_MAX, &v)
		       ? P_OK
		       : perr(ps, "%s: expected 0..4294967295, found \"%.64s\"", what, a->v[0]);
}

/* FRR 8.4's YANG model takes 1..4294967295 for `match metric`. */
static enum pres chk_match_metric(struct pstate *ps, const char *what, const struct toks *a)
{
	uint32_t v;
	return tok_u32(a->v[0], 1, UINT32_MAX, &v)
		       ? P_OK
		       : perr(ps, "%s: expected 1..4294967295, found \"%.64s\"", what, a->v[0]);
}

static enum pres chk_weight(struct pstate *ps, const char *what, const struct toks *a)
{
	uint32_t v;
	return tok_u32(a->v[0], 0, 4294967295u, &v)
		       ? P_OK
		       : perr(ps, "%s: expected a weight 0..4294967295, found \"%.64s\"", what, a->v[0]);
}

static enum pres chk_metric(struct pstate *ps, const char *what, const struct toks *a)
{
	const char *s = a->v[0];
	uint32_t v;
	if (s[0] == '+' || s[0] == '-')
		s++;
	return tok_u32(s, 0, UINT32_MAX, &v)
		       ? P_OK
		       : perr(ps, "%s: expected N, +N or -N, found \"%.64s\"", what, a->v[0]);
}

static enum pres chk_origin(struct pstate *ps, const char *what, const struct toks *a)
{
	const char *s = a->v[0];
	return tok_is(s, "igp") || tok_is(s, "egp") || tok_is(s, "incomplete")
		       ? P_OK
		       : perr(ps, "%s: expected igp, egp or incomplete, found \"%.64s\"", what, s);
}

static enum pres chk_asns(struct pstate *ps, const char *what, const struct toks *a, size_t from)
{
	uint32_t v;
	for (size_t i = from; i < a->n; i++)
		if (!tok_asn(a->v[i], &v))
			return perr(ps, "%s: expected AS numbers, found \"%.64s\"", what, a->v[i]);
	return P_OK;
}

static enum pres chk_prepend(struct pstate *ps, const char *what, const struct toks *a)
{
	uint32_t v;
	if (tok_is(a->v[0], "last-as"))
		return a->n == 2 && tok_u32(a->v[1], 1, 10, &v)
			       ? P_OK
			       : perr(ps, "%s last-as: expected a count 1..10", what);
	return chk_asns(ps, what, a, 0);
}

static enum pres chk_exclude(struct pstate *ps, const char *what, const struct toks *a)
{
	if (tok_is(a->v[0], "all"))
		return a->n == 1 ? P_OK : perr(ps, "%s all: nothing may follow all", what);
	return chk_asns(ps, what, a, 0);
}

static enum pres chk_replace(struct pstate *ps, const char *what, const struct toks *a)
{
	uint32_t v;
	if (!tok_is(a->v[0], "any") && !tok_asn(a->v[0], &v))
		return perr(ps, "%s: expected any or an AS number, found \"%.64s\"", what, a->v[0]);
	return chk_asns(ps, what, a, 1);
}

static enum pres chk_nexthop(struct pstate *ps, const char *what, const struct toks *a)
{
	struct ipaddr ip;
	if (tok_is(a->v[0], "peer-address"))
		return P_OK;
	return ipaddr_parse(a->v[0], &ip) && ip.family == AF_INET
		       ? P_OK
		       : perr(ps, "%s: expected A.B.C.D or peer-address, found \"%.64s\"", what,
			      a->v[0]);
}

static enum pres chk_src(struct pstate *ps, const char *what, const struct toks *a)
{
	struct ipaddr ip;
	return ipaddr_parse(a->v[0], &ip)
		       ? P_OK
		       : perr(ps, "%s: expected an address, found \"%.64s\"", what, a->v[0]);
}

static enum pres chk_set_comm(struct pstate *ps, const char *what, const struct toks *a, bool large)
{
	if (tok_is(a->v[0], "none"))
		return a->n == 1 ? P_OK : perr(ps, "%s none: nothing may follow none", what);
	size_t n = a->n;
	if (n > 1 && tok_is(a->v[n - 1], "additive"))
		n--;
	struct toks vals = *a;
	vals.n = n;
	return values_check(ps, what, &vals, 0, large);
}

static enum pres chk_community(struct pstate *ps, const char *what, const struct toks *a)
{
	return chk_set_comm(ps, what, a, false);
}

static enum pres chk_large(struct pstate *ps, const char *what, const struct toks *a)
{
	return chk_set_comm(ps, what, a, true);
}

struct clause_kind {
	enum conf_rm_kind kind;
	const char *words;
	uint8_t min, max;
	clause_check check;
};

static const struct clause_kind clause_kinds[CONF_RM_KIND_COUNT] = {
	{ CONF_MATCH_IP_PREFIX_LIST, "match ip address prefix-list", 1, 1, chk_name },
	{ CONF_MATCH_IPV6_PREFIX_LIST, "match ipv6 address prefix-list", 1, 1, chk_name },
	{ CONF_MATCH_AS_PATH, "match as-path", 1, 1, chk_name },
	{ CONF_MATCH_COMMUNITY, "match community", 1, 2, chk_comm_name },
	{ CONF_MATCH_LARGE_COMMUNITY, "match large-community", 1, 2, chk_comm_name },
	{ CONF_MATCH_METRIC, "match metric", 1, 1, chk_match_metric },
	{ CONF_MATCH_ORIGIN, "match origin", 1, 1, chk_origin },
	{ CONF_SET_AS_PATH_PREPEND, "set as-path prepend", 1, 32, chk_prepend },
	{ CONF_SET_AS_PATH_EXCLUDE, "set as-path exclude", 1, 32, chk_exclude },
	{ CONF_SET_AS_PATH_REPLACE, "set as-path replace", 1, 2, chk_replace },
	{ CONF_SET_IP_NEXT_HOP, "set ip next-hop", 1, 1, chk_nexthop },
	{ CONF_SET_LOCAL_PREFERENCE, "set local-preference", 1, 1, chk_u32 },
	{ CONF_SET_METRIC, "set metric", 1, 1, chk_metric },
	{ CONF_SET_WEIGHT, "set weight", 1, 1, chk_weight },
	{ CONF_SET_ORIGIN, "set origin", 1, 1, chk_origin },
	{ CONF_SET_COMMUNITY, "set community", 1, 32, chk_community },
	{ CONF_SET_LARGE_COMMUNITY, "set large-community", 1, 32, chk_large },
	{ CONF_SET_SRC, "set src", 1, 1, chk_src },
};

const char *conf_rm_kind_words(enum conf_rm_kind k)
{
	return (unsigned)k < CONF_RM_KIND_COUNT ? clause_kinds[k].words : "?";
}

bool conf_rm_kind_is_match(enum conf_rm_kind k)
{
	return k <= CONF_MATCH_ORIGIN;
}

static enum pres clause_store(struct pstate *ps, struct conf_rm_entry *e,
			      const struct clause_kind *ck, const struct toks *a)
{
	bool match = conf_rm_kind_is_match(ck->kind);
	struct conf_rm_clause **v = match ? &e->matches : &e->sets;
	size_t *n = match ? &e->n_matches : &e->n_sets;
	struct conf_rm_clause cl = { .line = ps->line, .kind = ck->kind, .argc = a->n };

	cl.args = calloc(a->n, sizeof(*cl.args));
	if (!cl.args)
		return poom(ps);
	for (size_t i = 0; i < a->n; i++)
		if (!(cl.args[i] = strdup(a->v[i]))) {
			conf_rm_clause_release(&cl);
			return poom(ps);
		}
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].kind == ck->kind) { /* one clause per kind: the new one replaces */
			conf_rm_clause_release(&(*v)[i]);
			(*v)[i] = cl;
			return P_OK;
		}
	size_t cap = *n;
	if (!vec_grow((void **)v, &cap, *n, sizeof(**v))) {
		conf_rm_clause_release(&cl);
		return poom(ps);
	}
	(*v)[(*n)++] = cl;
	return P_OK;
}

/* `match ...` and `set ...`: the whole statement, keywords included. */
static enum pres cmd_clause(struct pstate *ps, const struct toks *a, bool no)
{
	struct toks t = { .n = 0 };
	const struct clause_kind *best = NULL;
	size_t best_n = 0;

	t.v[t.n++] = ps->tag ? "set" : "match";
	for (size_t i = 0; i < a->n && t.n < CONF_MAX_TOKENS; i++)
		t.v[t.n++] = a->v[i];
	for (size_t k = 0; k < CONF_RM_KIND_COUNT; k++) {
		size_t m = words_match(clause_kinds[k].words, &t, 0);
		if (m > best_n) {
			best = &clause_kinds[k];
			best_n = m;
		}
	}
	char *text = toks_join(&t, 0);
	if (!text)
		return poom(ps);
	enum pres r;
	struct toks args = toks_from(&t, best_n);
	if (!best)
		r = perr(ps, "route-map %s: unknown or unsupported clause \"%.200s\"", rmap_cur(ps)->name,
			 text);
	else if (no)
		r = perr(ps, "\"no %s\" is not read from a file; remove the clause", best->words);
	else if (args.n < best->min || args.n > best->max)
		r = perr(ps, "%s: wrong number of arguments (%zu)", best->words, args.n);
	else if ((r = best->check(ps, best->words, &args)) == P_OK)
		r = clause_store(ps, rm_entry_cur(ps), best, &args);
	free(text);
	return r;
}

static enum pres cmd_rm_description(struct pstate *ps, const struct toks *a, bool no)
{
	struct conf_rm_entry *e = rm_entry_cur(ps);
	free(e->description);
	e->description = NULL;
	if (no)
		return P_OK;
	if (a->n == 0)
		return perr(ps, "description: expected a text");
	if (!(e->description = toks_join(a, 0)))
		return poom(ps);
	return P_OK;
}

static enum pres cmd_rm_call(struct pstate *ps, const struct toks *a, bool no)
{
	struct conf_rm_entry *e = rm_entry_cur(ps);
	free(e->call);
	e->call = NULL;
	if (no)
		return P_OK;
	if (a->n != 1 || !tok_name(ps, "route-map", a->v[0]))
		return a->n == 1 ? P_ERR : perr(ps, "call: expected a route-map name");
	e->call = xstrdup(ps, a->v[0]);
	return P_OK;
}

/* tag 0: on-match next, 1: on-match goto N, 2: continue [N] */
static enum pres cmd_rm_exit(struct pstate *ps, const struct toks *a, bool no)
{
	struct conf_rm_entry *e = rm_entry_cur(ps);
	uint32_t n = 0;

	e->exit_policy = CONF_RM_EXIT_NONE;
	e->goto_seq = 0;
	if (no)
		return P_OK;
	if (ps->tag == 0) {
		e->exit_policy = CONF_RM_EXIT_NEXT;
		return P_OK;
	}
	if (a->n != 1 || !tok_u32(a->v[0], 1, 65535, &n))
		return perr(ps, "%s: expected a sequence number 1..65535",
			    ps->tag == 1 ? "on-match goto" : "continue");
	if (n <= e->seq)
		return perr(ps, "%s %u: must go to a later entry than %u",
			    ps->tag == 1 ? "on-match goto" : "continue", n, e->seq);
	e->exit_policy = CONF_RM_EXIT_GOTO;
	e->goto_seq = n;
	return P_OK;
}

static const struct cmd policy_cmds[] = {
	{ N_TOP, "ip prefix-list", true, 3, 9, cmd_ip_plist,
	  "NAME [seq N] permit|deny PREFIX|any [ge N] [le N]", 0 },
	{ N_TOP, "ipv6 prefix-list", true, 3, 9, cmd_ipv6_plist,
	  "NAME [seq N] permit|deny PREFIX|any [ge N] [le N]", 0 },
	{ N_TOP, "bgp as-path access-list", true, 3, ARGS_ANY, cmd_aspath,
	  "NAME [seq N] permit|deny REGEX", 0 },
	{ N_TOP, "bgp community-list", true, 4, ARGS_ANY, cmd_clist,
	  "standard|expanded NAME [seq N] permit|deny ...", 0 },
	{ N_TOP, "bgp large-community-list", true, 4, ARGS_ANY, cmd_clist,
	  "standard|expanded NAME [seq N] permit|deny ...", 1 },
	{ N_TOP, "route-map", true, 3, 3, cmd_route_map, "NAME permit|deny 1..65535", 0 },
	{ N_RMAP, "match", true, 1, ARGS_ANY, cmd_clause, "...", 0 },
	{ N_RMAP, "set", true, 1, ARGS_ANY, cmd_clause, "...", 1 },
	{ N_RMAP, "description", true, 0, ARGS_ANY, cmd_rm_description, "TEXT", 0 },
	{ N_RMAP, "call", true, 0, 1, cmd_rm_call, "NAME", 0 },
	{ N_RMAP, "on-match next", true, 0, 0, cmd_rm_exit, "", 0 },
	{ N_RMAP, "on-match goto", true, 0, 1, cmd_rm_exit, "1..65535", 1 },
	{ N_RMAP, "continue", true, 0, 1, cmd_rm_exit, "1..65535", 2 },
};

const struct cmd_table conf_policy_cmds = { policy_cmds, sizeof policy_cmds / sizeof policy_cmds[0] };

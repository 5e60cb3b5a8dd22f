/* parse.c: reads FRR configuration text into a struct conf: splits lines
 * into words, dispatches each statement through the command tables (with
 * FRR's fall back to the parent node), and holds the top-level statements
 * (header, harmless lines, static routes). BGP and policy are in
 * parse_bgp.c and parse_policy.c. */
#include "conf/parse_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---------- errors ---------- */

static void diag_add(struct conf_errors *e, unsigned line, const char *text)
{
	if (e->n >= CONF_MAX_ERRORS) {
		e->truncated = true;
		return;
	}
	if (!vec_grow((void **)&e->items, &e->cap, e->n, sizeof(*e->items)))
		return;
	char *copy = strdup(text);
	if (!copy)
		return;
	e->items[e->n++] = (struct conf_diag){ .line = line, .text = copy };
}

void conf_errors_free(struct conf_errors *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->n; i++)
		free(e->items[i].text);
	free(e->items);
	*e = (struct conf_errors)CONF_ERRORS_INIT;
}

enum pres perr(struct pstate *ps, const char *fmt, ...)
{
	char msg[512];
	char full[768];
	va_list ap;

	ps->n_errors++;
	if (!ps->errs)
		return P_ERR;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ps->line)
		snprintf(full, sizeof full, "%s:%u: %s", ps->filename, ps->line, msg);
	else
		snprintf(full, sizeof full, "%s: %s", ps->filename, msg);
	diag_add(ps->errs, ps->line, full);
	return P_ERR;
}

enum pres poom(struct pstate *ps)
{
	ps->oom = true;
	return perr(ps, "out of memory");
}

/* ---------- small helpers ---------- */

bool vec_grow(void **v, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return true;
	size_t ncap = *cap ? *cap * 2 : 4;
	void *p = realloc(*v, ncap * sz);
	if (!p)
		return false;
	memset((char *)p + *cap * sz, 0, (ncap - *cap) * sz);
	*v = p;
	*cap = ncap;
	return true;
}

char *xstrdup(struct pstate *ps, const char *s)
{
	char *d = strdup(s);
	if (!d)
		ps->oom = true;
	return d;
}

bool tok_is(const char *s, const char *word)
{
	return strcmp(s, word) == 0;
}

bool tok_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (!s[0])
		return false;
	for (; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9' || i >= 10)
			return false;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

bool tok_asn(const char *s, uint32_t *out)
{
	const char *dot = strchr(s, '.');
	uint32_t hi, lo;

	if (!dot)
		return tok_u32(s, 1, UINT32_MAX, out);
	char left[8];
	size_t n = (size_t)(dot - s);
	if (n == 0 || n >= sizeof left)
		return false;
	memcpy(left, s, n);
	left[n] = '\0';
	if (!tok_u32(left, 0, 65535, &hi) || !tok_u32(dot + 1, 0, 65535, &lo))
		return false;
	*out = hi << 16 | lo;
	return *out != 0;
}

bool tok_name(struct pstate *ps, const char *what, const char *s)
{
	if (strlen(s) > CONF_MAX_NAME) {
		perr(ps, "%s name is longer than %d characters", what, CONF_MAX_NAME);
		return false;
	}
	return true;
}

size_t words_match(const char *words, const struct toks *t, size_t from)
{
	size_t k = from;
	const char *w = words;

	while (*w) {
		const char *end = strchr(w, ' ');
		size_t len = end ? (size_t)(end - w) : strlen(w);
		if (k >= t->n || strlen(t->v[k]) != len || memcmp(t->v[k], w, len) != 0)
			return 0;
		k++;
		w += len;
		while (*w == ' ')
			w++;
	}
	return k - from;
}

char *toks_join(const struct toks *t, size_t from)
{
	size_t len = 1;
	for (size_t i = from; i < t->n; i++)
		len += strlen(t->v[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	size_t off = 0;
	for (size_t i = from; i < t->n; i++) {
		size_t l = strlen(t->v[i]);
		if (i > from)
			s[off++] = ' ';
		memcpy(s + off, t->v[i], l);
		off += l;
	}
	s[off] = '\0';
	return s;
}

struct toks toks_from(const struct toks *t, size_t from)
{
	struct toks r = { .n = 0 };
	for (size_t i = from; i < t->n; i++)
		r.v[r.n++] = t->v[i];
	return r;
}

uint32_t next_seq(uint32_t max_seq)
{
	uint64_t s = (uint64_t)max_seq / 5 * 5 + 5;
	return s > UINT32_MAX ? UINT32_MAX : (uint32_t)s;
}

/* ---------- header and harmless statements ---------- */

static bool version_parse(const char *s, struct conf_version *v)
{
	uint32_t part[3] = { 0, 0, 0 };
	size_t i = 0, k = 0;

	for (; k < 3; k++) {
		size_t start = i;
		uint32_t x = 0;
		while (s[i] >= '0' && s[i] <= '9' && i - start < 5)
			x = x * 10 + (uint32_t)(s[i++] - '0');
		if (i == start || x > 65535)
			return false;
		part[k] = x;
		if (s[i] != '.')
			break;
		i++;
	}
	if (k == 0 && s[i] != '\0')
		return false; /* "8" alone is fine, "8x" is not */
	*v = (struct conf_version){ (uint16_t)part[0], (uint16_t)part[1], (uint16_t)part[2] };
	return true;
}

static enum pres cmd_frr_version(struct pstate *ps, const struct toks *a, bool no)
{
	(void)no;
	struct conf_version v;
	if (!version_parse(a->v[0], &v))
		return perr(ps, "frr version: expected a version like 8.4.1, found \"%.64s\"", a->v[0]);
	free(ps->c->version_text);
	ps->c->version_text = xstrdup(ps, a->v[0]);
	ps->c->version = v;
	ps->c->version_given = true;
	return P_OK;
}

static enum pres cmd_frr_defaults(struct pstate *ps, const struct toks *a, bool no)
{
	(void)no;
	if (tok_is(a->v[0], "traditional"))
		ps->c->profile = CONF_PROFILE_TRADITIONAL;
	else if (tok_is(a->v[0], "datacenter"))
		ps->c->profile = CONF_PROFILE_DATACENTER;
	else
		return perr(ps, "frr defaults: expected traditional or datacenter, found \"%.64s\"",
			    a->v[0]);
	ps->c->profile_given = true;
	return P_OK;
}

static enum pres cmd_hostname(struct pstate *ps, const struct toks *a, bool no)
{
	(void)no;
	if (!tok_name(ps, "host", a->v[0]))
		return P_ERR;
	free(ps->c->hostname);
	ps->c->hostname = xstrdup(ps, a->v[0]);
	return P_OK;
}

/* The fixed list of harmless statements, kept verbatim and printed back. */
struct harmless {
	const char *words;
	enum conf_verbatim_section section;
};

static const struct harmless harmless_list[] = {
	{ "log", CONF_SECTION_TOP },
	{ "service", CONF_SECTION_TOP },
	{ "password", CONF_SECTION_TOP },
	{ "enable password", CONF_SECTION_TOP },
	{ "agentx", CONF_SECTION_TOP },
	{ "ip forwarding", CONF_SECTION_FORWARDING },
	{ "ipv6 forwarding", CONF_SECTION_FORWARDING },
	{ "ip nht resolve-via-default", CONF_SECTION_TOP },
	{ "ipv6 nht resolve-via-default", CONF_SECTION_TOP },
};

static enum pres verbatim_add(struct pstate *ps, const struct toks *line, bool no,
			      enum conf_verbatim_section section)
{
	struct conf *c = ps->c;
	size_t cap = c->n_verbatim;
	char *body = toks_join(line, 0);
	if (!body)
		return poom(ps);
	size_t len = strlen(body) + 4;
	char *text = malloc(len);
	if (!text || !vec_grow((void **)&c->verbatim, &cap, c->n_verbatim, sizeof(*c->verbatim))) {
		free(body);
		free(text);
		return poom(ps);
	}
	snprintf(text, len, "%s%s", no ? "no " : "", body);
	free(body);
	c->verbatim[c->n_verbatim++] = (struct conf_verbatim){
		.line = ps->line,
		.section = no ? CONF_SECTION_TOP : section,
		.text = text,
	};
	return P_OK;
}

/* Tries the harmless list on a whole statement (no stripped). */
static enum pres harmless_try(struct pstate *ps, const struct toks *t, bool no)
{
	for (size_t i = 0; i < sizeof harmless_list / sizeof harmless_list[0]; i++) {
		size_t m = words_match(harmless_list[i].words, t, 0);
		if (m == 0)
			continue;
		if (strchr(harmless_list[i].words, ' ') && m != t->n)
			continue; /* fixed statements take no arguments */
		return verbatim_add(ps, t, no, harmless_list[i].section);
	}
	return P_NOMATCH;
}

/* `line vty` and the few statements inside it, kept verbatim. */
static enum pres cmd_line_vty(struct pstate *ps, const struct toks *a, bool no)
{
	(void)a;
	(void)no;
	if (!ps->c->line_vty) {
		ps->c->line_vty = calloc(1, sizeof(*ps->c->line_vty));
		if (!ps->c->line_vty)
			return poom(ps);
		ps->c->line_vty->line = ps->line;
	}
	ps->node = N_VTY;
	return P_OK;
}

static enum pres vty_line_add(struct pstate *ps, const struct toks *t, bool no)
{
	struct conf_line_vty *v = ps->c->line_vty;
	size_t cap = v->n;
	char *body = toks_join(t, 0);
	if (!body || !vec_grow((void **)&v->lines, &cap, v->n, sizeof(*v->lines))) {
		free(body);
		return poom(ps);
	}
	size_t len = strlen(body) + 4;
	char *text = malloc(len);
	if (!text) {
		free(body);
		return poom(ps);
	}
	snprintf(text, len, "%s%s", no ? "no " : "", body);
	free(body);
	v->lines[v->n++] = text;
	return P_OK;
}

static enum pres cmd_vty_inner(struct pstate *ps, const struct toks *a, bool no)
{
	(void)ps;
	(void)a;
	(void)no;
	return P_OK; /* the statement is stored by dispatch (it needs the whole line) */
}

/* ---------- static routes ---------- */

static enum pres static_nexthop(struct pstate *ps, struct conf_static *st, const struct toks *a,
				size_t *i)
{
	const char *w = a->v[*i];

	if (tok_is(w, "blackhole"))
		st->kind = CONF_NH_BLACKHOLE;
	else if (tok_is(w, "Null0"))
		st->kind = CONF_NH_NULL0;
	else if (tok_is(w, "reject"))
		st->kind = CONF_NH_REJECT;
	else if (ipaddr_parse(w, &st->gateway)) {
		if (st->gateway.family != st->prefix.family)
			return perr(ps, "ip route: next hop %.64s is not of the prefix's family", w);
		st->kind = CONF_NH_GATEWAY;
		uint32_t d;
		if (*i + 1 < a->n && !tok_u32(a->v[*i + 1], 0, UINT32_MAX, &d)) {
			if (!tok_name(ps, "interface", a->v[*i + 1]))
				return P_ERR;
			st->ifname = xstrdup(ps, a->v[++*i]);
		}
	} else {
		if (w[0] >= '0' && w[0] <= '9')
			return perr(ps, "ip route: expected a next hop address, an interface, "
					"blackhole or Null0, found \"%.64s\"", w);
		if (!tok_name(ps, "interface", w))
			return P_ERR;
		st->kind = CONF_NH_IFNAME;
		st->ifname = xstrdup(ps, w);
	}
	++*i;
	return P_OK;
}

static enum pres static_route(struct pstate *ps, const struct toks *a, uint8_t family)
{
	const char *cmd = family == AF_INET ? "ip route" : "ipv6 route";
	struct conf_static st = { .line = ps->line, .distance = 1 };
	size_t i = 1;

	if (!prefix_parse(a->v[0], true, &st.prefix) || st.prefix.family != family)
		return perr(ps, "%s: expected an %s prefix, found \"%.64s\"", cmd,
			    family == AF_INET ? "IPv4" : "IPv6", a->v[0]);
	if (static_nexthop(ps, &st, a, &i) != P_OK) {
		free(st.ifname);
		return P_ERR;
	}
	if (i < a->n) {
		uint32_t d;
		if (!tok_u32(a->v[i], 1, 255, &d)) {
			free(st.ifname);
			return perr(ps, "%s: expected a distance 1..255, found \"%.64s\"", cmd,
				    a->v[i]);
		}
		st.distance = (uint8_t)d;
		i++;
	}
	if (i < a->n) {
		free(st.ifname);
		return perr(ps, "%s: unexpected \"%.64s\" (nvad reads PREFIX NEXTHOP [IFNAME] "
				"[DISTANCE])", cmd, a->v[i]);
	}
	struct conf *c = ps->c;
	size_t cap = c->n_statics;
	if (!vec_grow((void **)&c->statics, &cap, c->n_statics, sizeof(*c->statics))) {
		free(st.ifname);
		return poom(ps);
	}
	c->statics[c->n_statics++] = st;
	return P_OK;
}

static enum pres cmd_ip_route(struct pstate *ps, const struct toks *a, bool no)
{
	if (no)
		return perr(ps, "\"no ip route\" is not read from a file; remove the route instead");
	return static_route(ps, a, AF_INET);
}

static enum pres cmd_ipv6_route(struct pstate *ps, const struct toks *a, bool no)
{
	if (no)
		return perr(ps, "\"no ipv6 route\" is not read from a file; remove the route instead");
	return static_route(ps, a, AF_INET6);
}

static const char *const proto_names[CONF_PROTO_COUNT] = {
	[CONF_PROTO_ANY] = "any", [CONF_PROTO_BGP] = "bgp", [CONF_PROTO_STATIC] = "static",
};

static enum pres ip_protocol(struct pstate *ps, const struct toks *a, bool no, int fam)
{
	const char *cmd = fam ? "ipv6 protocol" : "ip protocol";
	int proto = -1;
	for (int i = 0; i < CONF_PROTO_COUNT; i++)
		if (tok_is(a->v[0], proto_names[i]))
			proto = i;
	if (proto < 0)
		return perr(ps, "%s: protocol \"%.64s\" not supported (any, bgp, static)", cmd, a->v[0]);
	if (!tok_is(a->v[1], "route-map"))
		return perr(ps, "%s %s: expected \"route-map NAME\", found \"%.64s\"", cmd, a->v[0],
			    a->v[1]);
	struct conf_proto_rmap *r = &ps->c->proto_rmap[fam][proto];
	free(r->name);
	r->name = NULL;
	if (no)
		return P_OK;
	r->name = strdup(a->v[2]);
	r->line = ps->line;
	return r->name ? P_OK : poom(ps);
}

static enum pres cmd_ip_protocol(struct pstate *ps, const struct toks *a, bool no)
{
	return ip_protocol(ps, a, no, 0);
}

static enum pres cmd_ipv6_protocol(struct pstate *ps, const struct toks *a, bool no)
{
	return ip_protocol(ps, a, no, 1);
}

/* ---------- node changes ---------- */

static enum pres cmd_exit(struct pstate *ps, const struct toks *a, bool no)
{
	(void)a;
	(void)no;
	ps->node = ps->node == N_AF ? N_BGP : N_TOP;
	return P_OK;
}

static enum pres cmd_end(struct pstate *ps, const struct toks *a, bool no)
{
	(void)a;
	(void)no;
	ps->node = N_TOP;
	return P_OK;
}

/* The place for nvad's own statements: `nvad ...` at the top level. Each
 * one is a line of the table below ("nvad vxlan"); what no line matches
 * comes here. */
static enum pres cmd_nvad(struct pstate *ps, const struct toks *a, bool no)
{
	(void)no;
	return perr(ps, "unknown nvad statement \"nvad %.64s\" (nvad defines: vxlan)", a->v[0]);
}

/* ---------- nvad vxlan ---------- */

/* The kernel's rule for an interface name (dev_valid_name): 1..15
 * characters, not "." or "..", no '/', ':' or white space. */
static bool ifname_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CONF_VXLAN_NAME_MAX || tok_is(s, ".") || tok_is(s, ".."))
		return false;
	return strpbrk(s, "/: \t") == NULL;
}

/* A unicast address: not unspecified, multicast or the IPv4 broadcast. */
static bool ipaddr_unicast(const struct ipaddr *a)
{
	static const uint8_t zero[16];
	if (a->family == AF_INET)
		return memcmp(a->a, zero, 4) != 0 && (a->a[0] & 0xf0) != 0xe0 &&
		       !(a->a[0] == 255 && a->a[1] == 255 && a->a[2] == 255 && a->a[3] == 255);
	return memcmp(a->a, zero, 16) != 0 && a->a[0] != 0xff;
}

/* "ADDRESS/LEN" with the host part kept; LEN 1..32 or 1..128. */
static bool addr_with_len(const char *s, struct prefix *p)
{
	const char *slash = strchr(s, '/');
	char addr[IPADDR_STRLEN];
	struct ipaddr a;
	if (!slash || (size_t)(slash - s) >= sizeof addr || !prefix_parse(s, true, p) || p->len == 0)
		return false;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';
	if (!ipaddr_parse(addr, &a))
		return false;
	memcpy(p->a, a.a, sizeof p->a);
	return true;
}

static const char *const vxlan_keywords[] = { "vni", "remote", "local", "dstport", "dev", "mtu",
					      "address" };
enum { VX_VNI, VX_REMOTE, VX_LOCAL, VX_DSTPORT, VX_DEV, VX_MTU, VX_ADDRESS, VX_NKEYS };

static int vxlan_keyword(const char *s)
{
	for (int k = 0; k < VX_NKEYS; k++)
		if (tok_is(s, vxlan_keywords[k]))
			return k;
	return -1;
}

static void vxlan_release(struct conf_vxlan *v)
{
	free(v->name);
	free(v->dev);
	free(v->addrs);
}

/* The addresses after `address`, up to the next keyword. */
static enum pres vxlan_addresses(struct pstate *ps, struct conf_vxlan *v, const struct toks *a,
				 size_t *i)
{
	size_t cap = v->n_addrs, first = *i;
	for (; *i < a->n && vxlan_keyword(a->v[*i]) < 0; ++*i) {
		struct prefix p;
		char buf[IPADDR_STRLEN];
		if (!addr_with_len(a->v[*i], &p))
			return perr(ps, "nvad vxlan %s: address: expected ADDRESS/LENGTH (an IPv4 or "
					"IPv6 address and its prefix length, 1 or more), found \"%.64s\"",
				    v->name, a->v[*i]);
		for (size_t k = 0; k < v->n_addrs; k++)
			if (v->addrs[k].family == p.family &&
			    memcmp(v->addrs[k].a, p.a, sizeof p.a) == 0) {
				struct ipaddr x = { .family = p.family };
				memcpy(x.a, p.a, sizeof x.a);
				return perr(ps, "nvad vxlan %s: address %s is given twice", v->name,
					    ipaddr_fmt(&x, buf, sizeof buf));
			}
		if (!vec_grow((void **)&v->addrs, &cap, v->n_addrs, sizeof(*v->addrs)))
			return poom(ps);
		v->addrs[v->n_addrs++] = p;
	}
	if (*i == first)
		return perr(ps, "nvad vxlan %s: address: expected one or more ADDRESS/LENGTH",
			    v->name);
	return P_OK;
}

/* One keyword and its value; *i is past the keyword on entry. */
static enum pres vxlan_option(struct pstate *ps, struct conf_vxlan *v, int key,
			      const struct toks *a, size_t *i)
{
	const char *kw = vxlan_keywords[key];
	if (key == VX_ADDRESS)
		return vxlan_addresses(ps, v, a, i);
	if (*i >= a->n || vxlan_keyword(a->v[*i]) >= 0)
		return perr(ps, "nvad vxlan %s: %s: a value is missing", v->name, kw);
	const char *w = a->v[(*i)++];
	uint32_t n;
	switch (key) {
	case VX_VNI:
		if (!tok_u32(w, 1, CONF_VXLAN_VNI_MAX, &v->vni))
			return perr(ps, "nvad vxlan %s: vni: expected 1..%u, found \"%.64s\"", v->name,
				    CONF_VXLAN_VNI_MAX, w);
		return P_OK;
	case VX_REMOTE:
	case VX_LOCAL: {
		struct ipaddr *x = key == VX_REMOTE ? &v->remote : &v->local;
		if (!ipaddr_parse(w, x) || !ipaddr_unicast(x))
			return perr(ps, "nvad vxlan %s: %s: expected a unicast IPv4 or IPv6 address, "
					"found \"%.64s\"", v->name, kw, w);
		return P_OK;
	}
	case VX_DSTPORT:
		if (!tok_u32(w, 1, 65535, &n))
			return perr(ps, "nvad vxlan %s: dstport: expected 1..65535, found \"%.64s\"",
				    v->name, w);
		v->dstport = (uint16_t)n;
		return P_OK;
	case VX_DEV:
		if (!ifname_valid(w))
			return perr(ps, "nvad vxlan %s: dev: \"%.64s\" is not a valid interface name "
					"(1..15 characters, no '/' or ':')", v->name, w);
		v->dev = xstrdup(ps, w);
		return v->dev ? P_OK : poom(ps);
	default: /* VX_MTU */
		if (!tok_u32(w, 68, 65535, &n))
			return perr(ps, "nvad vxlan %s: mtu: expected 68..65535, found \"%.64s\"",
				    v->name, w);
		v->mtu = (uint16_t)n;
		return P_OK;
	}
}

/* What the whole line must say, and what must not clash with the others. */
static enum pres vxlan_check(struct pstate *ps, const struct conf_vxlan *v, const bool *seen)
{
	const struct conf_nvad_ext *x = &ps->c->nvad;
	if (!seen[VX_VNI])
		return perr(ps, "nvad vxlan %s: vni is missing (expected \"vni 1..%u\")", v->name,
			    CONF_VXLAN_VNI_MAX);
	if (!seen[VX_REMOTE])
		return perr(ps, "nvad vxlan %s: remote is missing (the other end's address)",
			    v->name);
	if (v->dev && strcmp(v->dev, v->name) == 0)
		return perr(ps, "nvad vxlan %s: dev must be another interface (the underlay)", v->name);
	if (v->local.family && v->local.family != v->remote.family)
		return perr(ps, "nvad vxlan %s: local and remote must be of the same family",
			    v->name);
	for (size_t k = 0; k < x->n_vxlans; k++) {
		const struct conf_vxlan *o = &x->vxlans[k];
		if (strcmp(o->name, v->name) == 0)
			return perr(ps, "nvad vxlan %s: already defined at line %u", v->name, o->line);
		if (o->vni == v->vni && o->dstport == v->dstport &&
		    o->remote.family == v->remote.family)
			return perr(ps, "nvad vxlan %s: VNI %u on port %u is already used by %s "
					"(line %u); the kernel allows one interface for it",
				    v->name, v->vni, v->dstport, o->name, o->line);
	}
	return P_OK;
}

static enum pres cmd_nvad_vxlan(struct pstate *ps, const struct toks *a, bool no)
{
	(void)no;
	if (!ifname_valid(a->v[0]))
		return perr(ps, "nvad vxlan: \"%.64s\" is not a valid interface name (1..15 "
				"characters, no '/' or ':')", a->v[0]);
	struct conf_vxlan v = { .line = ps->line, .dstport = CONF_VXLAN_PORT_DEFAULT };
	bool seen[VX_NKEYS] = { false };
	enum pres r = P_OK;
	v.name = xstrdup(ps, a->v[0]);
	if (!v.name)
		return poom(ps);
	for (size_t i = 1; i < a->n && r == P_OK;) {
		int key = vxlan_keyword(a->v[i]);
		if (key < 0)
			r = perr(ps, "nvad vxlan %s: unexpected \"%.64s\" (expected vni, remote, local, "
				     "dstport, dev, mtu or address)", v.name, a->v[i]);
		else if (seen[key] && key != VX_ADDRESS)
			r = perr(ps, "nvad vxlan %s: %s is given twice", v.name, a->v[i]);
		else {
			seen[key] = true;
			i++;
			r = vxlan_option(ps, &v, key, a, &i);
		}
	}
	if (r == P_OK)
		r = vxlan_check(ps, &v, seen);
	struct conf_nvad_ext *x = &ps->c->nvad;
	size_t cap = x->n_vxlans;
	if (r == P_OK && !vec_grow((void **)&x->vxlans, &cap, x->n_vxlans, sizeof(*x->vxlans)))
		r = poom(ps);
	if (r != P_OK) {
		vxlan_release(&v);
		return r;
	}
	x->vxlans[x->n_vxlans++] = v;
	return P_OK;
}

static const struct cmd core_cmds[] = {
	{ N_TOP, "frr version", false, 1, 1, cmd_frr_version, "VERSION", 0 },
	{ N_TOP, "frr defaults", false, 1, 1, cmd_frr_defaults, "traditional|datacenter", 0 },
	{ N_TOP, "hostname", false, 1, 1, cmd_hostname, "NAME", 0 },
	{ N_TOP, "line vty", false, 0, 0, cmd_line_vty, "", 0 },
	{ N_TOP, "ip route", true, 2, 4, cmd_ip_route, "PREFIX NEXTHOP|IFNAME|blackhole|Null0 [DISTANCE]", 0 },
	{ N_TOP, "ipv6 route", true, 2, 4, cmd_ipv6_route, "PREFIX NEXTHOP|IFNAME|blackhole|Null0 [DISTANCE]", 0 },
	{ N_TOP, "ip protocol", true, 3, 3, cmd_ip_protocol, "any|bgp|static route-map NAME", 0 },
	{ N_TOP, "ipv6 protocol", true, 3, 3, cmd_ipv6_protocol, "any|bgp|static route-map NAME", 0 },
	{ N_TOP, "nvad", false, 1, ARGS_ANY, cmd_nvad, "...", 0 },
	{ N_TOP, "nvad vxlan", false, 1, ARGS_ANY, cmd_nvad_vxlan,
	  "NAME vni N remote ADDR [local ADDR] [dstport N] [dev IFNAME] [mtu N] [address A/LEN...]", 0 },
	{ N_TOP, "end", false, 0, 0, cmd_end, "", 0 },
	{ N_TOP, "exit", false, 0, 0, cmd_end, "", 0 },
	{ N_VTY, "exec-timeout", true, 0, 2, cmd_vty_inner, "MINUTES [SECONDS]", 0 },
	{ N_VTY, "access-class", true, 1, 1, cmd_vty_inner, "NAME", 0 },
	{ N_VTY, "ipv6 access-class", true, 1, 1, cmd_vty_inner, "NAME", 0 },
	{ N_VTY, "login", true, 0, 0, cmd_vty_inner, "", 0 },
	{ N_VTY, "exit", false, 0, 0, cmd_exit, "", 0 },
	{ N_VTY, "quit", false, 0, 0, cmd_exit, "", 0 },
	{ N_VTY, "end", false, 0, 0, cmd_end, "", 0 },
	{ N_BGP, "exit", false, 0, 0, cmd_exit, "", 0 },
	{ N_BGP, "quit", false, 0, 0, cmd_exit, "", 0 },
	{ N_BGP, "end", false, 0, 0, cmd_end, "", 0 },
	{ N_AF, "exit-address-family", false, 0, 0, cmd_exit, "", 0 },
	{ N_AF, "exit", false, 0, 0, cmd_exit, "", 0 },
	{ N_AF, "quit", false, 0, 0, cmd_exit, "", 0 },
	{ N_AF, "end", false, 0, 0, cmd_end, "", 0 },
	{ N_RMAP, "exit", false, 0, 0, cmd_exit, "", 0 },
	{ N_RMAP, "quit", false, 0, 0, cmd_exit, "", 0 },
	{ N_RMAP, "end", false, 0, 0, cmd_end, "", 0 },
};

static const struct cmd_table core_table = { core_cmds, sizeof core_cmds / sizeof core_cmds[0] };

/* ---------- dispatch ---------- */

static enum pnode node_parent(enum pnode n)
{
	return n == N_AF ? N_BGP : N_TOP;
}

/* The command of `node` whose keywords match most of t. */
static const struct cmd *cmd_find(enum pnode node, const struct toks *t, size_t *nwords)
{
	const struct cmd_table *tables[] = { &core_table, &conf_bgp_cmds, &conf_policy_cmds };
	const struct cmd *best = NULL;
	size_t best_n = 0;

	for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++)
		for (size_t i = 0; i < tables[k]->n; i++) {
			const struct cmd *c = &tables[k]->v[i];
			if (c->node != node)
				continue;
			size_t m = words_match(c->words, t, 0);
			if (m > best_n) {
				best = c;
				best_n = m;
			}
		}
	*nwords = best_n;
	return best;
}

static enum pres run_cmd(struct pstate *ps, const struct cmd *c, const struct toks *t, size_t nw,
			 bool no)
{
	size_t nargs = t->n - nw;

	if (no && !c->no_ok)
		return perr(ps, "\"no %s\" is not supported", c->words);
	size_t min = no ? c->min : usage_min(c->usage, c->min);
	if (nargs < min || (c->max != ARGS_ANY && nargs > c->max))
		return perr(ps, "%s: expected \"%s%s%s\", found %zu word%s after it", c->words,
			    c->words, c->usage[0] ? " " : "", c->usage, nargs, nargs == 1 ? "" : "s");
	struct toks a = toks_from(t, nw);
	ps->tag = c->tag;
	enum pres r = c->fn(ps, &a, no);
	if (r == P_OK && ps->node == N_VTY && c->fn == cmd_vty_inner)
		return vty_line_add(ps, t, no);
	return r;
}

static void dispatch(struct pstate *ps, const struct toks *line)
{
	bool no = line->n > 1 && tok_is(line->v[0], "no");
	struct toks t = no ? toks_from(line, 1) : *line;
	enum pnode start = ps->node;

	for (enum pnode node = start;; node = node_parent(node)) {
		size_t nw;
		const struct cmd *c = cmd_find(node, &t, &nw);
		if (c) {
			ps->node = node;
			enum pres r = run_cmd(ps, c, &t, nw, no);
			if (r == P_OK)
				return;
			if (r == P_ERR) {
				ps->node = start;
				return;
			}
		}
		if (node == N_TOP)
			break;
	}
	ps->node = N_TOP;
	if (harmless_try(ps, &t, no) != P_NOMATCH)
		return;
	ps->node = start;
	char *text = toks_join(line, 0);
	if (!text) {
		poom(ps);
		return;
	}
	perr(ps, "unknown command \"%.200s\"%s", text, strlen(text) > 200 ? "..." : "");
	free(text);
}

/* ---------- lines ---------- */

/* Splits buf (modified in place) into words; false when there are too many. */
static bool tokenize(char *buf, struct toks *t)
{
	t->n = 0;
	char *p = buf;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return true;
		if (t->n == CONF_MAX_TOKENS)
			return false;
		t->v[t->n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static bool line_check(struct pstate *ps, const char *s, size_t len)
{
	if (len > CONF_MAX_LINE) {
		perr(ps, "line too long (%zu characters, at most %d)", len, CONF_MAX_LINE);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '\0') {
			perr(ps, "NUL byte in line (column %zu)", i + 1);
			return false;
		}
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
			perr(ps, "control character 0x%02x in line (column %zu)", ch, i + 1);
			return false;
		}
	}
	return true;
}

static void parse_line(struct pstate *ps, const char *s, size_t len)
{
	char buf[CONF_MAX_LINE + 1];
	struct toks t;

	if (!line_check(ps, s, len))
		return;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!tokenize(buf, &t)) {
		perr(ps, "too many words (at most %d)", CONF_MAX_TOKENS);
		return;
	}
	if (t.n == 0 || t.v[0][0] == '!' || t.v[0][0] == '#')
		return;
	dispatch(ps, &t);
}

/* ---------- defaults and the end of the file ---------- */

static bool version_before(struct conf_version v, uint16_t major, uint16_t minor)
{
	return v.major < major || (v.major == major && v.minor < minor);
}

struct conf_bgp_defaults conf_bgp_defaults_for(struct conf_version v, enum conf_profile p)
{
	bool dc = p == CONF_PROFILE_DATACENTER;
	return (struct conf_bgp_defaults){
		.fast_external_failover = true,
		.ebgp_requires_policy = !dc && !version_before(v, 7, 4),
		.import_check = dc || !version_before(v, 7, 4),
		.log_neighbor_changes = dc,
		.deterministic_med = dc,
		.suppress_duplicates = !version_before(v, 7, 6),
		.graceful_notification = !version_before(v, 8, 3),
		.hard_admin_reset = !version_before(v, 8, 3),
		.enforce_first_as = !version_before(v, 9, 1),
		.keepalive = dc ? 3 : 60,
		.holdtime = dc ? 9 : 180,
		.connect_retry = dc ? 10 : 120,
	};
}

static bool flag_or(int8_t explicit_value, bool dflt)
{
	return explicit_value < 0 ? dflt : explicit_value != 0;
}

static void finish(struct pstate *ps)
{
	struct conf *c = ps->c;
	c->defaults = conf_bgp_defaults_for(c->version, c->profile);
	if (!c->bgp)
		return;
	struct conf_bgp *b = c->bgp;
	const struct conf_bgp_defaults *d = &c->defaults;
	b->ebgp_requires_policy = flag_or(ps->flag[PF_EBGP_POLICY], d->ebgp_requires_policy);
	b->fast_external_failover = flag_or(ps->flag[PF_FAST_FAILOVER], d->fast_external_failover);
	b->import_check = flag_or(ps->flag[PF_IMPORT_CHECK], d->import_check);
	b->log_neighbor_changes = flag_or(ps->flag[PF_LOG_NBR], d->log_neighbor_changes);
	b->deterministic_med = flag_or(ps->flag[PF_DET_MED], d->deterministic_med);
	b->suppress_duplicates = flag_or(ps->flag[PF_SUPP_DUP], d->suppress_duplicates);
	b->graceful_notification = flag_or(ps->flag[PF_GR_NOTIF], d->graceful_notification);
	b->hard_admin_reset = flag_or(ps->flag[PF_HARD_RESET], d->hard_admin_reset);
	if (!ps->timers_set) {
		b->keepalive = d->keepalive;
		b->holdtime = d->holdtime;
	}
}

struct conf *conf_parse(const char *text, size_t len, const char *filename,
			struct conf_errors *errs)
{
	struct conf *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	struct pstate ps = { .c = c, .errs = errs, .filename = filename ? filename : "-" };
	memset(ps.flag, -1, sizeof ps.flag);
	c->version = CONF_VERSION_TARGET;
	c->profile = CONF_PROFILE_TRADITIONAL;
	c->filename = xstrdup(&ps, ps.filename);

	size_t off = 0;
	while (off < len && !ps.oom) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) : len;
		size_t l = end - off;
		ps.line++;
		if (l > 0 && text[off + l - 1] == '\r')
			l--;
		parse_line(&ps, text + off, l);
		off = end + 1;
	}
	finish(&ps);
	if (ps.n_errors || ps.oom) {
		if (ps.oom && !ps.n_errors)
			poom(&ps);
		conf_free(c);
		return NULL;
	}
	return c;
}

struct conf *conf_load_file(const char *path, struct conf_errors *errs)
{
	struct pstate ps = { .errs = errs, .filename = path, .line = 0 };
	FILE *f = fopen(path, "rb");
	if (!f) {
		perr(&ps, "cannot open: %s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		perr(&ps, "cannot read: it is a directory");
		return NULL;
	}
	char *buf = malloc(CONF_MAX_FILE_SIZE + 1);
	if (!buf) {
		fclose(f);
		perr(&ps, "out of memory");
		return NULL;
	}
	size_t n = fread(buf, 1, CONF_MAX_FILE_SIZE + 1, f);
	bool bad = ferror(f) != 0;
	fclose(f);
	if (bad || n > CONF_MAX_FILE_SIZE) {
		free(buf);
		if (bad)
			perr(&ps, "cannot read: I/O error");
		else
			perr(&ps, "file too large (more than %u bytes)", CONF_MAX_FILE_SIZE);
		return NULL;
	}
	struct conf *c = conf_parse(buf, n, path, errs);
	free(buf);
	return c;
}

/* compile.c: policy_compile builds the immutable struct policy from a struct
 * conf: lists sorted by name for binary search, regexes compiled once, and
 * every name a route-map clause or `call` uses resolved to a pointer. */
#include "policy/policy_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pol_error(struct conf_errors *errs, const char *file, unsigned line, const char *fmt, ...)
{
	char msg[600], full[800];
	va_list ap;
	if (!errs)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(full, sizeof full, "%s:%u: %s", file ? file : "-", line, msg);
	if (errs->n >= CONF_MAX_ERRORS) {
		errs->truncated = true;
		return;
	}
	if (errs->n == errs->cap) {
		size_t cap = errs->cap ? errs->cap * 2 : 8;
		struct conf_diag *v = realloc(errs->items, cap * sizeof(*v));
		if (!v)
			return;
		errs->items = v;
		errs->cap = cap;
	}
	char *t = strdup(full);
	if (t)
		errs->items[errs->n++] = (struct conf_diag){ .line = line, .text = t };
}

/* ---- lookups ---- */

static int cmp_plist(const void *x, const void *y)
{
	const struct pol_plist *a = x, *b = y;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return strcmp(a->name, b->name);
}

static int cmp_aslist(const void *x, const void *y)
{
	return strcmp(((const struct pol_aslist *)x)->name, ((const struct pol_aslist *)y)->name);
}

static int cmp_clist(const void *x, const void *y)
{
	const struct pol_clist *a = x, *b = y;
	if (a->large != b->large)
		return a->large ? 1 : -1;
	return strcmp(a->name, b->name);
}

static int cmp_rmap(const void *x, const void *y)
{
	return strcmp(((const struct pol_rmap *)x)->name, ((const struct pol_rmap *)y)->name);
}

const struct pol_plist *pol_find_plist(const struct policy *pol, uint8_t family, const char *name)
{
	struct pol_plist key = { .name = (char *)name, .family = family };
	return pol && name ? bsearch(&key, pol->plists, pol->n_plists, sizeof key, cmp_plist) : NULL;
}

const struct pol_aslist *pol_find_aslist(const struct policy *pol, const char *name)
{
	struct pol_aslist key = { .name = (char *)name };
	return pol && name ? bsearch(&key, pol->aslists, pol->n_aslists, sizeof key, cmp_aslist)
			   : NULL;
}

const struct pol_clist *pol_find_clist(const struct policy *pol, bool large, const char *name)
{
	struct pol_clist key = { .name = (char *)name, .large = large };
	return pol && name ? bsearch(&key, pol->clists, pol->n_clists, sizeof key, cmp_clist) : NULL;
}

const struct pol_rmap *pol_find_rmap(const struct policy *pol, const char *name)
{
	struct pol_rmap key = { .name = (char *)name };
	return pol && name ? bsearch(&key, pol->rmaps, pol->n_rmaps, sizeof key, cmp_rmap) : NULL;
}

/* ---- clauses ---- */

static bool num_parse(const char *s, uint32_t *out)
{
	uint64_t v = 0;
	if (!*s || strlen(s) > 10)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10u + (uint64_t)(*s - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* An AS number, plain or asdot ("1.10"). */
static bool asn_parse(const char *s, uint32_t *out)
{
	const char *dot = strchr(s, '.');
	uint32_t hi, lo;
	if (!dot)
		return num_parse(s, out);
	char left[8];
	size_t n = (size_t)(dot - s);
	if (n == 0 || n >= sizeof left)
		return false;
	memcpy(left, s, n);
	left[n] = '\0';
	if (!num_parse(left, &hi) || !num_parse(dot + 1, &lo) || hi > 65535 || lo > 65535)
		return false;
	*out = hi << 16 | lo;
	return true;
}

static bool asns_parse(char **args, size_t n, struct pol_clause *c)
{
	c->asns = calloc(n ? n : 1, sizeof(*c->asns));
	if (!c->asns)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!asn_parse(args[i], &c->asns[c->n_asns++]))
			return false;
	return true;
}

/* Returns false on a bad argument (not produced by conf_parse) or no memory. */
static bool clause_build(const struct policy *pol, const struct conf_rm_clause *in,
			 struct pol_clause *c)
{
	char **a = in->args;
	size_t n = in->argc;
	c->kind = in->kind;
	if (n == 0)
		return false;
	switch (in->kind) {
	case CONF_MATCH_IP_PREFIX_LIST:
		c->ref = pol_find_plist(pol, AF_INET, a[0]);
		return true;
	case CONF_MATCH_IPV6_PREFIX_LIST:
		c->ref = pol_find_plist(pol, AF_INET6, a[0]);
		return true;
	case CONF_MATCH_AS_PATH:
		c->ref = pol_find_aslist(pol, a[0]);
		return true;
	case CONF_MATCH_COMMUNITY:
	case CONF_MATCH_LARGE_COMMUNITY:
		c->ref = pol_find_clist(pol, in->kind == CONF_MATCH_LARGE_COMMUNITY, a[0]);
		c->exact = n == 2 && strcmp(a[1], "exact-match") == 0;
		return true;
	case CONF_MATCH_METRIC:
	case CONF_SET_WEIGHT:
		return num_parse(a[0], &c->num);
	case CONF_MATCH_ORIGIN:
	case CONF_SET_ORIGIN:
		c->num = strcmp(a[0], "igp") == 0 ? 0 : strcmp(a[0], "egp") == 0 ? 1 : 2;
		return true;
	case CONF_SET_AS_PATH_PREPEND:
		if (strcmp(a[0], "last-as") == 0) {
			c->flag = true;
			return n == 2 && num_parse(a[1], &c->num) && c->num >= 1 && c->num <= 10;
		}
		return asns_parse(a, n, c);
	case CONF_SET_AS_PATH_EXCLUDE:
		if (strcmp(a[0], "all") == 0) {
			c->flag = true;
			return true;
		}
		return asns_parse(a, n, c);
	case CONF_SET_AS_PATH_REPLACE:
		c->flag = strcmp(a[0], "any") == 0;
		if (!c->flag && !asn_parse(a[0], &c->num2))
			return false;
		return n < 2 || asn_parse(a[1], &c->num);
	case CONF_SET_IP_NEXT_HOP:
		if (strcmp(a[0], "peer-address") == 0) {
			c->flag = true;
			return true;
		}
		return ipaddr_parse(a[0], &c->addr) && c->addr.family == AF_INET;
	case CONF_SET_LOCAL_PREFERENCE: /* +N / -N: FRR accepts them, conf does not yet */
	case CONF_SET_METRIC: {
		const char *s = a[0];
		if (*s == '+' || *s == '-')
			c->sign = *s++ == '+' ? 1 : -1;
		return num_parse(s, &c->num);
	}
	case CONF_SET_COMMUNITY:
	case CONF_SET_LARGE_COMMUNITY:
		if (strcmp(a[0], "none") == 0) {
			c->flag = true;
			return true;
		}
		if (n > 1 && strcmp(a[n - 1], "additive") == 0) {
			c->additive = true;
			n--;
		}
		return pol_values_parse(a, n, in->kind == CONF_SET_LARGE_COMMUNITY, &c->vals,
					&c->n_vals);
	case CONF_SET_SRC:
		return ipaddr_parse(a[0], &c->addr);
	default:
		return false;
	}
}

static void clauses_free(struct pol_clause *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].asns);
		free(v[i].vals);
	}
	free(v);
}

static bool clauses_build(const struct policy *pol, const struct conf *c,
			  const struct conf_route_map *m, const struct conf_rm_clause *in, size_t n,
			  struct pol_clause **out, size_t *n_out, struct conf_errors *errs, bool *bad)
{
	*out = calloc(n ? n : 1, sizeof(**out));
	if (!*out)
		return false;
	for (size_t i = 0; i < n; i++) {
		*n_out = i + 1;
		if (!clause_build(pol, &in[i], &(*out)[i])) {
			pol_error(errs, c->filename, in[i].line, "route-map %s: cannot compile \"%s\"",
				  m->name, conf_rm_kind_words(in[i].kind));
			*bad = true;
		}
	}
	return true;
}

static bool rmap_build(const struct policy *pol, const struct conf *c, const struct conf_route_map *m,
		       struct pol_rmap *out, struct conf_errors *errs, bool *bad)
{
	out->e = m->n ? calloc(m->n, sizeof(*out->e)) : NULL;
	if (m->n && !out->e)
		return false;
	for (size_t i = 0; i < m->n; i++) {
		const struct conf_rm_entry *ce = &m->entries[i];
		struct pol_rm_entry *e = &out->e[i];
		out->n = i + 1;
		e->seq = ce->seq;
		e->permit = ce->action == CONF_PERMIT;
		e->exit_policy = ce->exit_policy;
		e->goto_seq = ce->goto_seq;
		e->has_call = ce->call != NULL;
		e->call = ce->call ? pol_find_rmap(pol, ce->call) : NULL;
		if (!clauses_build(pol, c, m, ce->matches, ce->n_matches, &e->matches, &e->n_matches,
				   errs, bad) ||
		    !clauses_build(pol, c, m, ce->sets, ce->n_sets, &e->sets, &e->n_sets, errs, bad))
			return false;
	}
	return true;
}

void policy_free(struct policy *pol)
{
	if (!pol)
		return;
	for (size_t i = 0; i < pol->n_plists; i++)
		pol_plist_free(&pol->plists[i]);
	for (size_t i = 0; i < pol->n_aslists; i++)
		pol_aslist_free(&pol->aslists[i]);
	for (size_t i = 0; i < pol->n_clists; i++)
		pol_clist_free(&pol->clists[i]);
	for (size_t i = 0; i < pol->n_rmaps; i++) {
		struct pol_rmap *m = &pol->rmaps[i];
		for (size_t k = 0; k < m->n; k++) {
			clauses_free(m->e[k].matches, m->e[k].n_matches);
			clauses_free(m->e[k].sets, m->e[k].n_sets);
		}
		free(m->e);
		free(m->name);
	}
	free(pol->plists);
	free(pol->aslists);
	free(pol->clists);
	free(pol->rmaps);
	free(pol);
}

struct policy *policy_compile(const struct conf *c, struct conf_errors *errs)
{
	struct policy *pol = calloc(1, sizeof(*pol));
	bool bad = false;
	if (!pol)
		return NULL;
	pol->plists = calloc(c->n_prefix_lists + 1, sizeof(*pol->plists));
	pol->aslists = calloc(c->n_aspath_lists + 1, sizeof(*pol->aslists));
	pol->clists = calloc(c->n_community_lists + 1, sizeof(*pol->clists));
	pol->rmaps = calloc(c->n_route_maps + 1, sizeof(*pol->rmaps));
	if (!pol->plists || !pol->aslists || !pol->clists || !pol->rmaps)
		goto oom;

	for (size_t i = 0; i < c->n_prefix_lists; i++) {
		pol->n_plists = i + 1;
		if (!pol_plist_build(&pol->plists[i], &c->prefix_lists[i]))
			goto oom;
	}
	for (size_t i = 0; i < c->n_aspath_lists; i++) {
		const struct conf_aspath_list *in = &c->aspath_lists[i];
		struct pol_aslist *l = &pol->aslists[i];
		pol->n_aslists = i + 1;
		l->name = strdup(in->name);
		l->e = calloc(in->n + 1, sizeof(*l->e));
		if (!l->name || !l->e)
			goto oom;
		for (size_t k = 0; k < in->n; k++) {
			char err[160];
			l->n = k + 1;
			l->e[k].permit = in->entries[k].action == CONF_PERMIT;
			if (!pol_regex_compile(in->entries[k].regex, &l->e[k], err, sizeof err)) {
				pol_error(errs, c->filename, in->entries[k].line,
					  "bgp as-path access-list %s: cannot compile \"%.200s\": %s",
					  in->name, in->entries[k].regex, err);
				bad = true;
			}
		}
	}
	for (size_t i = 0; i < c->n_community_lists; i++) {
		pol->n_clists = i + 1;
		if (!pol_clist_build(&pol->clists[i], &c->community_lists[i], c->filename, errs, &bad))
			goto oom;
	}
	qsort(pol->plists, pol->n_plists, sizeof(*pol->plists), cmp_plist);
	qsort(pol->aslists, pol->n_aslists, sizeof(*pol->aslists), cmp_aslist);
	qsort(pol->clists, pol->n_clists, sizeof(*pol->clists), cmp_clist);

	/* names first, sorted, so that `call` resolves to its final address */
	for (size_t i = 0; i < c->n_route_maps; i++) {
		pol->n_rmaps = i + 1;
		if (!(pol->rmaps[i].name = strdup(c->route_maps[i].name)))
			goto oom;
	}
	qsort(pol->rmaps, pol->n_rmaps, sizeof(*pol->rmaps), cmp_rmap);
	for (size_t i = 0; i < pol->n_rmaps; i++) {
		const struct conf_route_map *m = conf_route_map_find(c, pol->rmaps[i].name);
		if (m && !rmap_build(pol, c, m, &pol->rmaps[i], errs, &bad))
			goto oom;
	}
	if (bad) {
		policy_free(pol);
		return NULL;
	}
	return pol;
oom:
	pol_error(errs, c->filename, 0, "out of memory while compiling the policy");
	policy_free(pol);
	return NULL;
}

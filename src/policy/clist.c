/* clist.c: community and large-community lists as FRR 8.4 evaluates them.
 * Standard entry: the route carries every listed value (exact-match: exactly
 * those); a standard entry naming `internet` matches any route. Expanded
 * entry: an FRR regex over the communities as FRR prints them, sorted and
 * without duplicates ("65000:1 65000:100 no-export"; "" when there are none).
 * First matching entry decides; no match (or an undefined list) = false. */
#include "policy/policy_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cursor.h"

static const struct {
	const char *name;
	uint32_t v;
} wellknown[] = {
	{ "internet", 0x00000000 },
	{ "graceful-shutdown", 0xffff0000 },
	{ "accept-own", 0xffff0001 },
	{ "route-filter-translated-v4", 0xffff0002 },
	{ "route-filter-v4", 0xffff0003 },
	{ "route-filter-translated-v6", 0xffff0004 },
	{ "route-filter-v6", 0xffff0005 },
	{ "llgr-stale", 0xffff0006 },
	{ "no-llgr", 0xffff0007 },
	{ "accept-own-nexthop", 0xffff0008 },
	{ "blackhole", 0xffff029a },
	{ "no-export", 0xffffff01 },
	{ "no-advertise", 0xffffff02 },
	{ "local-AS", 0xffffff03 },
	{ "no-peer", 0xffffff04 },
};
#define N_WELLKNOWN (sizeof wellknown / sizeof wellknown[0])

static bool u32_parse(const char *s, size_t n, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10u + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

bool pol_community_parse(const char *s, bool large, uint8_t *out)
{
	uint32_t a, b, c;
	if (large) {
		const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (!c2 || !u32_parse(s, (size_t)(c1 - s), UINT32_MAX, &a) ||
		    !u32_parse(c1 + 1, (size_t)(c2 - c1 - 1), UINT32_MAX, &b) ||
		    !u32_parse(c2 + 1, strlen(c2 + 1), UINT32_MAX, &c))
			return false;
		put32(out, a);
		put32(out + 4, b);
		put32(out + 8, c);
		return true;
	}
	for (size_t i = 0; i < N_WELLKNOWN; i++)
		if (strcmp(s, wellknown[i].name) == 0) {
			put32(out, wellknown[i].v);
			return true;
		}
	const char *colon = strchr(s, ':');
	if (!colon) {
		if (!u32_parse(s, strlen(s), UINT32_MAX, &a))
			return false;
		put32(out, a);
		return true;
	}
	if (!u32_parse(s, (size_t)(colon - s), 65535, &a) ||
	    !u32_parse(colon + 1, strlen(colon + 1), 65535, &b))
		return false;
	put32(out, a << 16 | b);
	return true;
}

static int cmp4(const void *x, const void *y)
{
	return memcmp(x, y, 4);
}

static int cmp12(const void *x, const void *y)
{
	return memcmp(x, y, 12);
}

/* Big-endian octets compare as the numbers FRR sorts by. */
size_t pol_values_sort_uniq(uint8_t *v, size_t n, bool large)
{
	size_t w = large ? 12 : 4;
	if (n < 2)
		return n;
	qsort(v, n, w, large ? cmp12 : cmp4);
	size_t k = 1;
	for (size_t i = 1; i < n; i++)
		if (memcmp(v + (k - 1) * w, v + i * w, w) != 0) {
			if (k != i)
				memcpy(v + k * w, v + i * w, w);
			k++;
		}
	return k;
}

bool pol_values_parse(char **words, size_t n, bool large, uint8_t **vals, size_t *n_vals)
{
	size_t w = large ? 12 : 4;
	uint8_t *v = malloc(n * w + 1);
	if (!v)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!pol_community_parse(words[i], large, v + i * w)) {
			free(v);
			return false;
		}
	*vals = v;
	*n_vals = pol_values_sort_uniq(v, n, large);
	return true;
}

/* The sorted unique values of an attribute, in a buffer the caller frees. */
static uint8_t *sorted_copy(struct bgp_bytes a, bool large, size_t *n)
{
	size_t w = large ? 12 : 4;
	*n = a.len / w;
	uint8_t *v = malloc(*n * w + 1);
	if (!v)
		return NULL;
	if (*n)
		memcpy(v, a.p, *n * w);
	*n = pol_values_sort_uniq(v, *n, large);
	return v;
}

static char *values_str(const uint8_t *v, size_t n, bool large)
{
	char *s = malloc(n * 36 + 1), *w = s;
	if (!s)
		return NULL;
	*w = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*w++ = ' ';
		if (large) {
			const uint8_t *p = v + 12 * i;
			w += sprintf(w, "%u:%u:%u", load_be32(p), load_be32(p + 4), load_be32(p + 8));
			continue;
		}
		uint32_t c = load_be32(v + 4 * i);
		const char *name = NULL;
		for (size_t k = 0; k < N_WELLKNOWN && !name; k++)
			if (wellknown[k].v == c)
				name = wellknown[k].name;
		if (name)
			w += sprintf(w, "%s", name);
		else
			w += sprintf(w, "%u:%u", c >> 16, c & 0xffffu);
	}
	return s;
}

bool pol_clist_build(struct pol_clist *out, const struct conf_community_list *in,
		     const char *file, struct conf_errors *errs, bool *regex_failed)
{
	out->name = strdup(in->name);
	out->large = in->large;
	out->e = in->n ? calloc(in->n, sizeof(*out->e)) : NULL;
	if (!out->name || (in->n && !out->e))
		return false;
	for (size_t i = 0; i < in->n; i++) {
		const struct conf_clist_entry *ce = &in->entries[i];
		struct pol_clist_entry *e = &out->e[i];
		out->n = i + 1;
		e->permit = ce->action == CONF_PERMIT;
		e->expanded = in->kind == CONF_CLIST_EXPANDED;
		if (e->expanded) {
			char err[160];
			if (!pol_regex_compile(ce->value, &e->rx, err, sizeof err)) {
				pol_error(errs, file, ce->line, "bgp %scommunity-list %s: cannot compile "
					  "\"%.200s\": %s", in->large ? "large-" : "", in->name,
					  ce->value, err);
				*regex_failed = true;
			}
			continue;
		}
		/* the words of the value, split on single spaces */
		char *copy = strdup(ce->value);
		char *words[CONF_MAX_TOKENS];
		size_t nw = 0;
		if (!copy)
			return false;
		for (char *save = NULL, *t = strtok_r(copy, " ", &save); t && nw < CONF_MAX_TOKENS;
		     t = strtok_r(NULL, " ", &save))
			words[nw++] = t;
		for (size_t k = 0; k < nw && !in->large; k++)
			if (strcmp(words[k], "internet") == 0)
				e->internet = true;
		bool ok = pol_values_parse(words, nw, in->large, &e->vals, &e->n);
		free(copy);
		if (!ok) {
			pol_error(errs, file, ce->line, "bgp %scommunity-list %s: invalid value \"%.200s\"",
				  in->large ? "large-" : "", in->name, ce->value);
			*regex_failed = true;
		}
	}
	return true;
}

void pol_clist_free(struct pol_clist *l)
{
	for (size_t i = 0; i < l->n; i++) {
		pol_regex_free(&l->e[i].rx);
		free(l->e[i].vals);
	}
	free(l->e);
	free(l->name);
}

/* Every value of the entry in the route's sorted set v. */
static bool includes_all(const uint8_t *v, size_t n, const struct pol_clist_entry *e, size_t w)
{
	for (size_t i = 0; i < e->n; i++) {
		bool found = false;
		for (size_t k = 0; k < n && !found; k++)
			found = memcmp(v + k * w, e->vals + i * w, w) == 0;
		if (!found)
			return false;
	}
	return true;
}

bool pol_clist_match(const struct pol_clist *l, struct bgp_bytes a, bool exact)
{
	if (!l)
		return false;
	size_t w = l->large ? 12 : 4, n;
	uint8_t *v = sorted_copy(a, l->large, &n);
	char *s = NULL;
	bool r = false;
	if (!v)
		return false;
	for (size_t i = 0; i < l->n; i++) {
		const struct pol_clist_entry *e = &l->e[i];
		bool m;
		if (e->expanded) {
			if (!s && !(s = values_str(v, n, l->large)))
				break;
			m = pol_regex_match(&e->rx, s);
		} else if (e->internet) {
			m = true;
		} else if (n == 0) {
			m = false; /* FRR: no attribute never matches a standard entry */
		} else if (exact) {
			m = n == e->n && memcmp(v, e->vals, n * w) == 0;
		} else {
			m = includes_all(v, n, e, w);
		}
		if (m) {
			r = e->permit;
			break;
		}
	}
	free(s);
	free(v);
	return r;
}

bool policy_community_list_match(const struct policy *pol, const char *name,
				 struct bgp_bytes communities, bool exact)
{
	return pol_clist_match(pol_find_clist(pol, false, name), communities, exact);
}

bool policy_large_community_list_match(const struct policy *pol, const char *name,
				       struct bgp_bytes large, bool exact)
{
	return pol_clist_match(pol_find_clist(pol, true, name), large, exact);
}

bool policy_community_list_exists(const struct policy *pol, bool large, const char *name)
{
	return pol_find_clist(pol, large, name) != NULL;
}

/* plist.c: ip/ipv6 prefix-lists as FRR 8.4 evaluates them: entries in seq
 * order, the first that matches decides, implicit deny. An entry P/len with
 * neither ge nor le matches exactly P/len; with ge G and/or le L it matches
 * any prefix inside P whose length is in [G or len, L or the family's max]. */
#include "policy/policy_int.h"

#include <stdlib.h>
#include <string.h>

bool pol_plist_build(struct pol_plist *out, const struct conf_prefix_list *in)
{
	out->name = strdup(in->name);
	out->family = in->family;
	out->n = in->n;
	out->e = in->n ? calloc(in->n, sizeof(*out->e)) : NULL;
	if (!out->name || (in->n && !out->e))
		return false;
	uint8_t max = (uint8_t)prefix_family_bits(in->family);
	for (size_t i = 0; i < in->n; i++) {
		const struct conf_plist_entry *ce = &in->entries[i];
		struct pol_plist_entry *e = &out->e[i];
		e->permit = ce->action == CONF_PERMIT;
		e->pfx = ce->prefix;
		e->pfx.family = in->family;
		if (ce->any) { /* FRR stores `any` as 0/0 le max */
			e->pfx.len = 0;
			e->lo = 0;
			e->hi = max;
		} else if (!ce->ge && !ce->le) {
			e->lo = e->hi = ce->prefix.len;
		} else {
			e->lo = ce->ge ? ce->ge : ce->prefix.len;
			e->hi = ce->le ? ce->le : max;
		}
	}
	return true;
}

void pol_plist_free(struct pol_plist *l)
{
	free(l->name);
	free(l->e);
}

/* p inside q: same family, at least as long, same leading q->len bits. */
static bool prefix_inside(const struct prefix *q, const struct prefix *p)
{
	if (p->family != q->family || p->len < q->len)
		return false;
	unsigned full = q->len / 8u, rem = q->len % 8u;
	if (memcmp(p->a, q->a, full) != 0)
		return false;
	if (rem) {
		uint8_t mask = (uint8_t)(0xffu << (8u - rem));
		if ((p->a[full] & mask) != (q->a[full] & mask))
			return false;
	}
	return true;
}

enum policy_verdict pol_plist_apply(const struct pol_plist *l, const struct prefix *p)
{
	if (!l)
		return POLICY_DENY; /* FRR: prefix_list_apply(NULL) is a deny */
	for (size_t i = 0; i < l->n; i++) {
		const struct pol_plist_entry *e = &l->e[i];
		if (p->len >= e->lo && p->len <= e->hi && prefix_inside(&e->pfx, p))
			return e->permit ? POLICY_PERMIT : POLICY_DENY;
	}
	return POLICY_DENY;
}

enum policy_verdict policy_prefix_list(const struct policy *pol, uint8_t family, const char *name,
				       const struct prefix *p)
{
	return pol_plist_apply(pol_find_plist(pol, family, name), p);
}

bool policy_prefix_list_exists(const struct policy *pol, uint8_t family, const char *name)
{
	return pol_find_plist(pol, family, name) != NULL;
}

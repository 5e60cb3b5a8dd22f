/* aspath_regex.c: FRR's regular expressions (POSIX extended, glibc's regcomp,
 * with `_` standing for "(^|[,{}() ]|$)") and the as-path access-lists that
 * apply them to the AS path as FRR prints it: "65515 12076 {1,2} (3 4) [5,6]". */
#include "policy/policy_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/wire.h"
#include "lib/cursor.h"

#define FRR_UNDERSCORE "(^|[,{}() ]|$)"

bool pol_regex_compile(const char *frr_regex, struct pol_regex_entry *e, char *err, size_t errlen)
{
	size_t n = 0, len = strlen(frr_regex);
	for (size_t i = 0; i < len; i++)
		n += frr_regex[i] == '_';
	char *s = malloc(len + n * (sizeof(FRR_UNDERSCORE) - 2) + 1);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	size_t j = 0;
	for (size_t i = 0; i < len; i++) {
		if (frr_regex[i] == '_') { /* everywhere, as bgp_regcomp does */
			memcpy(s + j, FRR_UNDERSCORE, sizeof(FRR_UNDERSCORE) - 1);
			j += sizeof(FRR_UNDERSCORE) - 1;
		} else {
			s[j++] = frr_regex[i];
		}
	}
	s[j] = '\0';
	int rc = regcomp(&e->re, s, REG_EXTENDED | REG_NOSUB);
	free(s);
	if (rc != 0) {
		char msg[128];
		regerror(rc, NULL, msg, sizeof msg);
		snprintf(err, errlen, "%s", msg);
		e->compiled = false;
		return false;
	}
	e->compiled = true;
	return true;
}

void pol_regex_free(struct pol_regex_entry *e)
{
	if (e->compiled)
		regfree(&e->re);
	e->compiled = false;
}

bool pol_regex_match(const struct pol_regex_entry *e, const char *s)
{
	return e->compiled && regexec(&e->re, s, 0, NULL, 0) == 0;
}

char *pol_aspath_str(struct bgp_bytes path)
{
	/* at most 10 digits and a separator per AS, 3 per segment, and the NUL */
	size_t cap = (size_t)path.len / 4u * 11u + (size_t)path.len / 2u * 3u + 2u;
	char *s = malloc(cap), *w = s;
	if (!s)
		return NULL;
	struct cursor c = cursor_make(path.p, path.len);
	bool first = true;
	uint8_t type, count;
	*w = '\0';
	while (cursor_u8(&c, &type) && cursor_u8(&c, &count)) {
		const char *open = "", *close = "", *sep = " ";
		switch (type) {
		case BGP_AS_SET: open = "{"; close = "}"; sep = ","; break;
		case BGP_AS_CONFED_SEQUENCE: open = "("; close = ")"; break;
		case BGP_AS_CONFED_SET: open = "["; close = "]"; sep = ","; break;
		default: break;
		}
		w += sprintf(w, "%s%s", first ? "" : " ", open);
		for (unsigned i = 0; i < count; i++) {
			uint32_t asn;
			if (!cursor_u32(&c, &asn))
				break;
			w += sprintf(w, "%s%u", i ? sep : "", asn);
		}
		w += sprintf(w, "%s", close);
		first = false;
	}
	return s;
}

enum policy_verdict pol_aslist_apply(const struct pol_aslist *l, struct bgp_bytes path)
{
	if (!l)
		return POLICY_DENY; /* FRR: as_list_apply(NULL) is a deny */
	char *s = pol_aspath_str(path);
	if (!s)
		return POLICY_DENY;
	enum policy_verdict v = POLICY_DENY;
	for (size_t i = 0; i < l->n; i++)
		if (pol_regex_match(&l->e[i], s)) {
			v = l->e[i].permit ? POLICY_PERMIT : POLICY_DENY;
			break;
		}
	free(s);
	return v;
}

void pol_aslist_free(struct pol_aslist *l)
{
	for (size_t i = 0; i < l->n; i++)
		pol_regex_free(&l->e[i]);
	free(l->e);
	free(l->name);
}

enum policy_verdict policy_aspath_list(const struct policy *pol, const char *name,
				       struct bgp_bytes aspath)
{
	return pol_aslist_apply(pol_find_aslist(pol, name), aspath);
}

bool policy_aspath_list_exists(const struct policy *pol, const char *name)
{
	return pol_find_aslist(pol, name) != NULL;
}

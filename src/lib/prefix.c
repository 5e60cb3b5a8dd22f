/* prefix.c: parsing, formatting and masking of addresses and prefixes. */
#include "prefix.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

unsigned prefix_family_bits(uint8_t family)
{
	return family == AF_INET ? 32 : family == AF_INET6 ? 128 : 0;
}

void prefix_mask(struct prefix *p)
{
	unsigned bits = prefix_family_bits(p->family);
	if (p->len > bits)
		p->len = (uint8_t)bits;
	unsigned full = p->len / 8, rem = p->len % 8;
	if (rem) {
		p->a[full] &= (uint8_t)(0xff00u >> rem);
		full++;
	}
	memset(p->a + full, 0, sizeof(p->a) - full);
}

bool prefix_equal(const struct prefix *a, const struct prefix *b)
{
	return a->family == b->family && a->len == b->len &&
	       memcmp(a->a, b->a, sizeof(a->a)) == 0;
}

char *ipaddr_fmt(const struct ipaddr *a, char *buf, size_t n)
{
	if (!inet_ntop(a->family, a->a, buf, (socklen_t)n))
		snprintf(buf, n, "?");
	return buf;
}

char *prefix_fmt(const struct prefix *p, char *buf, size_t n)
{
	char addr[IPADDR_STRLEN];
	if (!inet_ntop(p->family, p->a, addr, sizeof(addr)))
		snprintf(addr, sizeof(addr), "?");
	snprintf(buf, n, "%s/%u", addr, p->len);
	return buf;
}

bool ipaddr_parse(const char *s, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->a) == 1) {
		a->family = AF_INET;
		return true;
	}
	if (inet_pton(AF_INET6, s, a->a) == 1) {
		a->family = AF_INET6;
		return true;
	}
	return false;
}

bool prefix_parse(const char *s, bool mask, struct prefix *p)
{
	const char *slash = strchr(s, '/');
	char addr[IPADDR_STRLEN];
	if (!slash || (size_t)(slash - s) >= sizeof(addr))
		return false;
	memcpy(addr, s, (size_t)(slash - s));
	addr[slash - s] = '\0';

	struct ipaddr a;
	if (!ipaddr_parse(addr, &a))
		return false;
	const char *digits = slash + 1;
	if (*digits < '0' || *digits > '9')
		return false;
	char *end;
	unsigned long len = strtoul(digits, &end, 10);
	if (*end != '\0' || end - digits > 3 || len > prefix_family_bits(a.family))
		return false;

	p->family = a.family;
	p->len = (uint8_t)len;
	memcpy(p->a, a.a, sizeof(p->a));
	struct prefix masked = *p;
	prefix_mask(&masked);
	if (!mask && !prefix_equal(&masked, p))
		return false;
	*p = masked;
	return true;
}

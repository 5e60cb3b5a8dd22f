/* prefix.h: IPv4 and IPv6 addresses and prefixes as plain values.
 *
 * A prefix always has its host bits cleared (prefix_mask); parsing and
 * formatting follow the usual dotted and RFC 5952 notations. */
#ifndef NVAD_LIB_PREFIX_H
#define NVAD_LIB_PREFIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Enough for "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128". */
#define PREFIX_STRLEN 50
#define IPADDR_STRLEN 46

struct ipaddr {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t a[16];  /* network order; IPv4 uses the first 4 bytes */
};

struct prefix {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t len;    /* 0..32 or 0..128 */
	uint8_t a[16];  /* network order; bits past len are zero */
};

/* Maximum prefix length of a family, 0 for an unknown family. */
unsigned prefix_family_bits(uint8_t family);

/* Clears the bits past p->len. */
void prefix_mask(struct prefix *p);

bool prefix_equal(const struct prefix *a, const struct prefix *b);

/* Writes "10.0.0.0/16" or "2001:db8::/32"; returns buf. */
char *prefix_fmt(const struct prefix *p, char *buf, size_t n);
char *ipaddr_fmt(const struct ipaddr *a, char *buf, size_t n);

/* Parses "A.B.C.D/N" or "X:X::X/N"; host bits are an error unless mask is
 * true, in which case they are cleared. */
bool prefix_parse(const char *s, bool mask, struct prefix *p);
bool ipaddr_parse(const char *s, struct ipaddr *a);

#endif

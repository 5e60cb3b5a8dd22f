/* nlri.c: prefixes as BGP encodes them (RFC 4271 4.3: a length in bits, then
 * just enough octets), validated once and then read without checks. */
#include "update.h"

#include <string.h>

static unsigned afi_bits(uint16_t afi)
{
	return afi == BGP_AFI_IPV4 ? 32 : afi == BGP_AFI_IPV6 ? 128 : 0;
}

bool bgp_nlri_validate(uint16_t afi, const uint8_t *p, size_t len, uint32_t *count,
		       const char **why)
{
	unsigned max = afi_bits(afi);
	size_t pos = 0;
	uint32_t n = 0;
	*count = 0;
	if (max == 0) {
		*why = "unsupported address family";
		return false;
	}
	while (pos < len) {
		unsigned bits = p[pos];
		if (bits > max) {
			*why = afi == BGP_AFI_IPV4 ? "prefix length above 32" : "prefix length above 128";
			return false;
		}
		size_t octets = (bits + 7) / 8;
		if (len - pos - 1 < octets) {
			*why = "prefix overruns the field";
			return false;
		}
		pos += 1 + octets;
		n++;
	}
	*count = n;
	return true;
}

bool bgp_nlri_next(struct bgp_nlri_iter *it, struct prefix *out)
{
	const struct bgp_nlri *n = it->n;
	if (!n->supported || it->pos >= n->len)
		return false;
	unsigned bits = n->p[it->pos];
	size_t octets = (bits + 7) / 8;
	memset(out, 0, sizeof(*out));
	out->family = n->afi == BGP_AFI_IPV4 ? AF_INET : AF_INET6;
	out->len = (uint8_t)bits;
	memcpy(out->a, n->p + it->pos + 1, octets);
	prefix_mask(out);
	it->pos += 1 + (uint32_t)octets;
	return true;
}

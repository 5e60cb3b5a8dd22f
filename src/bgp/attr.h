/* attr.h: path attributes as decoded values, and the AS_PATH helpers.
 *
 * struct bgp_attrs is the set of attributes of one UPDATE after RFC 7606
 * handling. Variable-length attributes are views (struct bgp_bytes) into the
 * received message or into the decoder's scratch buffer; the AS_PATH is always
 * in one canonical form, 4-octet segments, whatever the session negotiated. */
#ifndef NVAD_BGP_ATTR_H
#define NVAD_BGP_ATTR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/cursor.h"
#include "lib/strbuf.h"
#include "wire.h"

struct bgp_bytes {
	const uint8_t *p;
	uint32_t len;
};

#define BGP_ATTR_BIT(type) (UINT64_C(1) << (type))

struct bgp_attrs {
	uint64_t have; /* BGP_ATTR_BIT(type) of each attribute kept */
	uint8_t origin;
	struct bgp_bytes aspath; /* segments: type(1) count(1) count x AS(4) */
	uint32_t nexthop;        /* NEXT_HOP, host order */
	uint32_t med;
	uint32_t local_pref;
	uint32_t aggregator_as;  /* after AS4_AGGREGATOR reconciliation */
	uint32_t aggregator_id;  /* host order */
	uint32_t originator_id;  /* host order */
	struct bgp_bytes communities;       /* n x 4 octets */
	struct bgp_bytes ext_communities;   /* n x 8 octets */
	struct bgp_bytes large_communities; /* n x 12 octets */
	struct bgp_bytes cluster_list;      /* n x 4 octets */
	/* Next hop of MP_REACH_NLRI: 4 (IPv4), 16 (IPv6 global) or 32 (global
	 * then link-local) octets. */
	uint8_t mp_nh_len;
	uint8_t mp_nh[32];
	/* Unknown optional transitive attributes, whole (flags, type, length,
	 * value), Partial bit set, in the order received. */
	struct bgp_bytes unknown;
};

static inline bool bgp_attrs_has(const struct bgp_attrs *a, unsigned type)
{
	return type < 64 && (a->have & BGP_ATTR_BIT(type));
}

const char *bgp_attr_name(uint8_t type);
const char *bgp_origin_name(uint8_t origin);     /* "IGP", "EGP", "incomplete" */
char bgp_origin_code(uint8_t origin);            /* 'i', 'e', '?' as in show ip bgp */

/* The flags a known attribute must carry (Optional and Transitive bits), or
 * -1 for a type this codec does not know. */
int bgp_attr_expected_flags(uint8_t type);

/* AS_PATH in canonical form. */

/* Validates a received AS_PATH or AS4_PATH value with as4 (4-octet) or 2-octet
 * AS numbers and appends its canonical form to out. On failure returns false
 * and sets *why to a static description of the fault. */
bool bgp_aspath_parse(const uint8_t *p, size_t len, bool as4, struct wbuf *out,
		      const char **why);
/* Reconciles a 2-octet session's AS_PATH with its AS4_PATH (RFC 6793 4.2.3),
 * both canonical; appends the result to out. */
void bgp_aspath_merge_as4(struct bgp_bytes as_path, struct bgp_bytes as4_path,
			  struct wbuf *out);
/* Number of ASes for route selection: a set counts one, confederation
 * segments count nothing (RFC 4271 9.1.2.2, RFC 5065). */
unsigned bgp_aspath_length(struct bgp_bytes path);
/* True when the path holds an AS that needs four octets. */
bool bgp_aspath_has_as4(struct bgp_bytes path);
/* True when the path holds a confederation segment. */
bool bgp_aspath_has_confed(struct bgp_bytes path);
/* The leftmost AS of the first AS_SEQUENCE, 0 when none. */
uint32_t bgp_aspath_first_as(struct bgp_bytes path);
/* Appends the path as FRR prints it: "65515 12076 {1,2} (3 4) [5,6]". */
void bgp_aspath_fmt(struct bgp_bytes path, struct strbuf *out);
/* Encodes the path for a peer: as it is for a 4-octet session, else with
 * 2-octet numbers, AS_TRANS standing for the large ones. */
void bgp_aspath_encode(struct bgp_bytes path, bool as4, struct wbuf *w);

#endif

/* update.h: the UPDATE message (RFC 4271, 4760), decoded with the error
 * handling of RFC 7606, and encoded with many prefixes packed per message.
 *
 * Decoding never aborts: it returns the strongest action the message calls
 * for (none, attribute discard, treat-as-withdraw, session reset), the faults
 * behind it, and, for a session reset, the NOTIFICATION to send. NLRI sections
 * are kept as validated views, read with bgp_nlri_next. */
#ifndef NVAD_BGP_UPDATE_H
#define NVAD_BGP_UPDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "lib/prefix.h"
#include "msg.h"

/* What a received UPDATE calls for, weakest first (RFC 7606 section 2). */
enum bgp_action {
	BGP_ACT_NONE = 0,
	BGP_ACT_ATTR_DISCARD = 1,
	BGP_ACT_TREAT_AS_WITHDRAW = 2,
	BGP_ACT_SESSION_RESET = 3,
};

const char *bgp_action_name(uint8_t action); /* "treat-as-withdraw", ... */

struct bgp_decode_opts {
	bool as4;     /* 4-octet AS negotiated (RFC 6793) */
	bool ibgp;    /* internal peer: LOCAL_PREF, ORIGINATOR_ID, CLUSTER_LIST kept */
	bool ext_msg; /* extended messages negotiated (RFC 8654): 65535 octets */
};

/* One fault found in a message: which attribute (0 when the fault is in the
 * message framing or an NLRI field, then named by `where`), what it made of
 * it, and why. */
struct bgp_fault {
	uint8_t attr;
	uint8_t action;
	const char *where; /* static: the field at fault when attr is 0, or NULL */
	const char *what;  /* static text */
};

#define BGP_UPDATE_MAX_FAULTS 16

/* A section of NLRI: the IPv4 withdrawn and NLRI fields, or the NLRI of
 * MP_REACH_NLRI and MP_UNREACH_NLRI. afi is 0 when the section is absent.
 * When `supported` is false (a family this codec does not parse) the bytes are
 * kept but count is 0. */
struct bgp_nlri {
	uint16_t afi;
	uint8_t safi;
	bool supported;
	const uint8_t *p;
	uint32_t len;
	uint32_t count;
};

struct bgp_nlri_iter {
	const struct bgp_nlri *n;
	uint32_t pos;
};

static inline struct bgp_nlri_iter bgp_nlri_iter(const struct bgp_nlri *n)
{
	return (struct bgp_nlri_iter){ .n = n };
}

/* Next prefix of a validated section, host bits cleared. */
bool bgp_nlri_next(struct bgp_nlri_iter *it, struct prefix *out);

/* Checks a section of len bytes for family afi: every prefix length within the
 * family, no overrun. Sets *count; on failure *why. */
bool bgp_nlri_validate(uint16_t afi, const uint8_t *p, size_t len, uint32_t *count,
		       const char **why);

struct bgp_update {
	struct bgp_nlri withdrawn;  /* IPv4 Withdrawn Routes field */
	struct bgp_nlri nlri;       /* IPv4 NLRI field */
	struct bgp_nlri mp_reach;   /* MP_REACH_NLRI prefixes (next hop in attrs) */
	struct bgp_nlri mp_unreach; /* MP_UNREACH_NLRI prefixes */
	struct bgp_attrs attrs;
	uint8_t action;             /* enum bgp_action */
	struct bgp_notify notify;   /* set when action is BGP_ACT_SESSION_RESET */
	uint8_t n_faults;
	uint8_t n_faults_dropped;   /* faults past BGP_UPDATE_MAX_FAULTS */
	struct bgp_fault faults[BGP_UPDATE_MAX_FAULTS];
	bool eor;                   /* End-of-RIB marker (RFC 4724) */
	uint16_t eor_afi;
	uint8_t eor_safi;
};

/* Scratch a body of len octets may need for the canonical AS_PATH and the
 * kept unknown attributes. A session keeps one of BGP_MAX_EXT_MSG. */
#define BGP_UPDATE_SCRATCH_SIZE(len) (5 * (size_t)(len) + 64)

/* Decodes an UPDATE body (after the header). Views in *u point into body and
 * scratch. Returns u->action. */
uint8_t bgp_update_decode(const uint8_t *body, size_t len, const struct bgp_decode_opts *o,
			  uint8_t *scratch, size_t scratch_cap, struct bgp_update *u);

/* True when the UPDATE announces or withdraws nothing and is not an EoR. */
bool bgp_update_is_empty(const struct bgp_update *u);

struct bgp_encode_opts {
	bool as4;       /* 4-octet AS: else AS_PATH in 2 octets plus AS4_PATH */
	size_t max_len; /* BGP_MAX_MSG, or BGP_MAX_EXT_MSG when negotiated */
};

/* Writes one UPDATE announcing as many of pfx[0..n) as fit in max_len, all
 * with attributes a. IPv4 prefixes go in the NLRI field with NEXT_HOP; IPv6
 * ones in MP_REACH_NLRI with a->mp_nh. All prefixes share one family. Returns
 * how many it took; 0 (and nothing written) when not even one fits. */
size_t bgp_update_encode_announce(struct wbuf *w, const struct bgp_encode_opts *o,
				  const struct bgp_attrs *a, const struct prefix *pfx, size_t n);
/* Writes one UPDATE withdrawing as many of pfx[0..n) as fit; same family. */
size_t bgp_update_encode_withdraw(struct wbuf *w, const struct bgp_encode_opts *o,
				  const struct prefix *pfx, size_t n);
/* Writes the End-of-RIB marker of a family. */
bool bgp_update_encode_eor(struct wbuf *w, uint16_t afi, uint8_t safi);

#endif

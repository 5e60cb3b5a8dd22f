/* msg.h: the BGP messages other than UPDATE: the 19-octet header, OPEN with
 * its capabilities, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH.
 *
 * Pure functions over byte buffers: no I/O, no globals, no allocation. A
 * decoder that finds an error fills a struct bgp_notify with the NOTIFICATION
 * the session must send; views (pointers with lengths) in decoded structs point
 * into the caller's buffer and live as long as it does. */
#ifndef NVAD_BGP_MSG_H
#define NVAD_BGP_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/cursor.h"
#include "wire.h"

/* A NOTIFICATION to send or one received. Its data is either a view into a
 * message (data/data_len) or a few bytes of its own (local/local_len). */
struct bgp_notify {
	uint8_t code;
	uint8_t subcode;
	uint8_t local_len;
	uint8_t local[8];
	uint16_t data_len;
	const uint8_t *data;
};

void bgp_notify_set(struct bgp_notify *n, uint8_t code, uint8_t subcode);
void bgp_notify_set_data(struct bgp_notify *n, uint8_t code, uint8_t subcode,
			 const uint8_t *data, size_t len);
/* The data octets of n, wherever they live. */
const uint8_t *bgp_notify_data(const struct bgp_notify *n, size_t *len);
const char *bgp_err_code_name(uint8_t code);
const char *bgp_err_subcode_name(uint8_t code, uint8_t subcode);

/* Checks the header at buf (n >= BGP_HEADER_LEN): marker, length within
 * [per-type minimum, max_len] and a known type. max_len is BGP_MAX_MSG, or
 * BGP_MAX_EXT_MSG once extended messages are negotiated. */
bool bgp_header_decode(const uint8_t *buf, size_t n, size_t max_len, uint8_t *type,
		       uint16_t *len, struct bgp_notify *err);
void bgp_header_encode(struct wbuf *w, uint8_t type, uint16_t len);
/* Writes a header with a zero length; bgp_msg_finish patches it. */
size_t bgp_msg_begin(struct wbuf *w, uint8_t type);
/* Patches the length of the message begun at `at`; false if it overflowed. */
bool bgp_msg_finish(struct wbuf *w, size_t at);

/* Capabilities of an OPEN (RFC 5492). */
#define BGP_CAPS_MAX_AFS 16
#define BGP_CAPS_MAX_UNKNOWN 32

struct bgp_afi_safi {
	uint16_t afi;
	uint8_t safi;
	uint8_t flags; /* graceful restart: per-family flags (F bit 0x80) */
};

struct bgp_cap_raw {
	uint8_t code;
	uint8_t len;
	const uint8_t *value;
};

enum bgp_cap_bit {
	BGP_CAPB_MP = 1u << 0,
	BGP_CAPB_ROUTE_REFRESH = 1u << 1,
	BGP_CAPB_ENHANCED_RR = 1u << 2,
	BGP_CAPB_AS4 = 1u << 3,
	BGP_CAPB_GR = 1u << 4,
	BGP_CAPB_EXT_MSG = 1u << 5,
	BGP_CAPB_FQDN = 1u << 6,
	BGP_CAPB_ROUTE_REFRESH_OLD = 1u << 7,
};

#define BGP_GR_F_RESTART 0x8     /* R bit, in the top nibble of restart flags */
#define BGP_GR_F_NOTIFICATION 0x4 /* N bit (RFC 8538) */
#define BGP_GR_AF_F_FORWARDING 0x80

struct bgp_caps {
	uint32_t have; /* enum bgp_cap_bit */
	uint8_t n_mp;
	struct bgp_afi_safi mp[BGP_CAPS_MAX_AFS];
	uint32_t as4;
	uint8_t gr_flags;   /* top 4 bits of the restart flags/time word */
	uint16_t gr_time;   /* seconds, 12 bits */
	uint8_t n_gr;
	struct bgp_afi_safi gr[BGP_CAPS_MAX_AFS];
	char hostname[256]; /* FQDN capability, printable ASCII only */
	char domainname[256];
	uint8_t n_unknown;
	uint8_t n_dropped;  /* capabilities past the limits above, not kept */
	struct bgp_cap_raw unknown[BGP_CAPS_MAX_UNKNOWN];
};

bool bgp_caps_has_afi(const struct bgp_caps *c, uint16_t afi, uint8_t safi);
const char *bgp_cap_name(uint8_t code);

struct bgp_open {
	uint8_t version;
	uint16_t my_as;    /* as sent: AS_TRANS when the real AS needs 4 octets */
	uint16_t hold_time;
	uint32_t bgp_id;   /* host order */
	struct bgp_caps caps;
};

/* The peer's AS: the 4-octet capability when present, else my_as. */
uint32_t bgp_open_peer_as(const struct bgp_open *o);

/* Decodes an OPEN body (after the header). Checks what the message alone can
 * tell (version, hold time 0 or >= 3, non-zero identifier, parameter types,
 * capability framing); the session checks the peer AS. */
bool bgp_open_decode(const uint8_t *body, size_t len, struct bgp_open *o,
		     struct bgp_notify *err);
/* Encodes a whole OPEN message with the capabilities in o->caps (the unknown
 * ones are copied as they are). */
bool bgp_open_encode(struct wbuf *w, const struct bgp_open *o);

/* NOTIFICATION: decode keeps data as a view; a Cease with the shutdown
 * communication of RFC 9003 also yields its text. */
bool bgp_notification_decode(const uint8_t *body, size_t len, struct bgp_notify *n,
			     struct bgp_notify *err);
bool bgp_notification_encode(struct wbuf *w, const struct bgp_notify *n);
/* The RFC 9003 message of an administrative shutdown or reset, copied into buf
 * as printable text; false when the NOTIFICATION carries none. */
bool bgp_notification_shutdown_msg(const struct bgp_notify *n, char *buf, size_t cap);

bool bgp_keepalive_encode(struct wbuf *w);

struct bgp_route_refresh {
	uint16_t afi;
	uint8_t subtype; /* enum bgp_rr_subtype */
	uint8_t safi;
};

bool bgp_route_refresh_decode(const uint8_t *body, size_t len, struct bgp_route_refresh *rr,
			      struct bgp_notify *err);
bool bgp_route_refresh_encode(struct wbuf *w, const struct bgp_route_refresh *rr);

#endif

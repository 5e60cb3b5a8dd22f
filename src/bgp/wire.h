/* wire.h: the numbers of the BGP-4 wire format (RFC 4271 and the RFCs that
 * extend it): message types, attribute types and flags, capability codes,
 * NOTIFICATION codes and subcodes, address families. No code. */
#ifndef NVAD_BGP_WIRE_H
#define NVAD_BGP_WIRE_H

#define BGP_HEADER_LEN 19
#define BGP_MARKER_LEN 16
#define BGP_MAX_MSG 4096      /* RFC 4271 */
#define BGP_MAX_EXT_MSG 65535 /* RFC 8654 */
#define BGP_VERSION 4
#define BGP_AS_TRANS 23456    /* RFC 6793 */

enum bgp_msg_type {
	BGP_MSG_OPEN = 1,
	BGP_MSG_UPDATE = 2,
	BGP_MSG_NOTIFICATION = 3,
	BGP_MSG_KEEPALIVE = 4,
	BGP_MSG_ROUTE_REFRESH = 5, /* RFC 2918 */
};

/* Path attribute flags (RFC 4271 4.3). */
#define BGP_ATTR_F_OPTIONAL 0x80
#define BGP_ATTR_F_TRANSITIVE 0x40
#define BGP_ATTR_F_PARTIAL 0x20
#define BGP_ATTR_F_EXTLEN 0x10

enum bgp_attr_type {
	BGP_ATTR_ORIGIN = 1,
	BGP_ATTR_AS_PATH = 2,
	BGP_ATTR_NEXT_HOP = 3,
	BGP_ATTR_MED = 4,
	BGP_ATTR_LOCAL_PREF = 5,
	BGP_ATTR_ATOMIC_AGGREGATE = 6,
	BGP_ATTR_AGGREGATOR = 7,
	BGP_ATTR_COMMUNITIES = 8,      /* RFC 1997 */
	BGP_ATTR_ORIGINATOR_ID = 9,    /* RFC 4456 */
	BGP_ATTR_CLUSTER_LIST = 10,    /* RFC 4456 */
	BGP_ATTR_MP_REACH_NLRI = 14,   /* RFC 4760 */
	BGP_ATTR_MP_UNREACH_NLRI = 15, /* RFC 4760 */
	BGP_ATTR_EXT_COMMUNITIES = 16, /* RFC 4360 */
	BGP_ATTR_AS4_PATH = 17,        /* RFC 6793 */
	BGP_ATTR_AS4_AGGREGATOR = 18,  /* RFC 6793 */
	BGP_ATTR_LARGE_COMMUNITIES = 32, /* RFC 8092 */
};

enum bgp_origin { BGP_ORIGIN_IGP = 0, BGP_ORIGIN_EGP = 1, BGP_ORIGIN_INCOMPLETE = 2 };

enum bgp_aspath_seg {
	BGP_AS_SET = 1,
	BGP_AS_SEQUENCE = 2,
	BGP_AS_CONFED_SEQUENCE = 3, /* RFC 5065 */
	BGP_AS_CONFED_SET = 4,
};

/* Capability codes (IANA). */
enum bgp_cap_code {
	BGP_CAP_MP = 1,             /* RFC 4760 */
	BGP_CAP_ROUTE_REFRESH = 2,  /* RFC 2918 */
	BGP_CAP_EXT_MSG = 6,        /* RFC 8654 */
	BGP_CAP_GR = 64,            /* RFC 4724 */
	BGP_CAP_AS4 = 65,           /* RFC 6793 */
	BGP_CAP_ENHANCED_RR = 70,   /* RFC 7313 */
	BGP_CAP_FQDN = 73,          /* draft-walton-bgp-hostname-capability */
	BGP_CAP_ROUTE_REFRESH_OLD = 128, /* pre-standard Cisco code */
};

/* OPEN optional parameter types. */
#define BGP_OPT_PARAM_CAPABILITIES 2
#define BGP_OPT_PARAM_EXTENDED 255 /* RFC 9072 */

#define BGP_AFI_IPV4 1
#define BGP_AFI_IPV6 2
#define BGP_SAFI_UNICAST 1

/* ROUTE-REFRESH subtypes (RFC 7313). */
enum bgp_rr_subtype { BGP_RR_NORMAL = 0, BGP_RR_BORR = 1, BGP_RR_EORR = 2 };

/* NOTIFICATION error codes and subcodes (RFC 4271 4.5 and later RFCs). */
enum bgp_err_code {
	BGP_ERR_HEADER = 1,
	BGP_ERR_OPEN = 2,
	BGP_ERR_UPDATE = 3,
	BGP_ERR_HOLD_TIMER = 4,
	BGP_ERR_FSM = 5,
	BGP_ERR_CEASE = 6,
	BGP_ERR_ROUTE_REFRESH = 7, /* RFC 7313 */
};

enum bgp_header_subcode {
	BGP_HDR_NOT_SYNCHRONIZED = 1,
	BGP_HDR_BAD_LENGTH = 2,
	BGP_HDR_BAD_TYPE = 3,
};

enum bgp_open_subcode {
	BGP_OPEN_UNSUPPORTED_VERSION = 1,
	BGP_OPEN_BAD_PEER_AS = 2,
	BGP_OPEN_BAD_BGP_ID = 3,
	BGP_OPEN_UNSUPPORTED_PARAM = 4,
	BGP_OPEN_BAD_HOLD_TIME = 6,
	BGP_OPEN_UNSUPPORTED_CAPABILITY = 7, /* RFC 5492 */
	BGP_OPEN_ROLE_MISMATCH = 11,         /* RFC 9234 */
};

enum bgp_update_subcode {
	BGP_UPD_MALFORMED_ATTR_LIST = 1,
	BGP_UPD_UNRECOGNIZED_WELLKNOWN = 2,
	BGP_UPD_MISSING_WELLKNOWN = 3,
	BGP_UPD_ATTR_FLAGS = 4,
	BGP_UPD_ATTR_LENGTH = 5,
	BGP_UPD_INVALID_ORIGIN = 6,
	BGP_UPD_INVALID_NEXT_HOP = 8,
	BGP_UPD_OPTIONAL_ATTR = 9,
	BGP_UPD_INVALID_NETWORK = 10,
	BGP_UPD_MALFORMED_AS_PATH = 11,
};

enum bgp_cease_subcode {
	BGP_CEASE_MAX_PREFIX = 1,
	BGP_CEASE_ADMIN_SHUTDOWN = 2, /* RFC 8203 / 9003 message */
	BGP_CEASE_PEER_DECONFIGURED = 3,
	BGP_CEASE_ADMIN_RESET = 4,    /* RFC 8203 / 9003 message */
	BGP_CEASE_CONNECTION_REJECTED = 5,
	BGP_CEASE_CONFIG_CHANGE = 6,
	BGP_CEASE_COLLISION = 7,
	BGP_CEASE_OUT_OF_RESOURCES = 8,
	BGP_CEASE_HARD_RESET = 9, /* RFC 8538 */
};

#define BGP_RR_INVALID_LENGTH 1 /* RFC 7313 */

#endif

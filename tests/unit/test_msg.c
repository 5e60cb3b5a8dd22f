/* test_msg.c: the BGP messages other than UPDATE (bgp/msg.h): header checks,
 * OPEN with its capabilities and errors, NOTIFICATION (with the RFC 9003
 * shutdown communication), KEEPALIVE and ROUTE-REFRESH. Inputs are hex. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <string.h>

#include "bgp/msg.h"
#include "lib/hex.h"
#include "testutil.h"


/* The data of a NOTIFICATION read as a big-endian number. */
static unsigned long notify_data_value(const struct bgp_notify *n)
{
	size_t len = 0;
	const uint8_t *d = bgp_notify_data(n, &len);
	unsigned long v = 0;
	for (size_t i = 0; i < len; i++)
		v = v << 8 | d[i];
	return v;
}

/* ---- header ---------------------------------------------------------- */

struct hdr_case {
	const char *name;
	bool bad_marker;
	uint16_t len;
	uint8_t type;
	size_t max_len;
	bool ok;
	uint8_t code, subcode;
	long data; /* expected data as a number, -1 to not check */
	size_t data_len;
};

static const struct hdr_case hdr_cases[] = {
	{ "KEEPALIVE 19", false, 19, 4, 4096, true, 0, 0, -1, 0 },
	{ "KEEPALIVE 20", false, 20, 4, 4096, false, 1, 2, 20, 2 },
	{ "OPEN 29 (minimum)", false, 29, 1, 4096, true, 0, 0, -1, 0 },
	{ "OPEN 28", false, 28, 1, 4096, false, 1, 2, 28, 2 },
	{ "UPDATE 23 (minimum)", false, 23, 2, 4096, true, 0, 0, -1, 0 },
	{ "UPDATE 22", false, 22, 2, 4096, false, 1, 2, 22, 2 },
	{ "NOTIFICATION 21 (minimum)", false, 21, 3, 4096, true, 0, 0, -1, 0 },
	{ "NOTIFICATION 20", false, 20, 3, 4096, false, 1, 2, 20, 2 },
	{ "ROUTE-REFRESH 23", false, 23, 5, 4096, true, 0, 0, -1, 0 },
	{ "length 18", false, 18, 4, 4096, false, 1, 2, 18, 2 },
	{ "length 0", false, 0, 2, 4096, false, 1, 2, 0, 2 },
	{ "UPDATE 4096 (maximum)", false, 4096, 2, 4096, true, 0, 0, -1, 0 },
	{ "UPDATE 4097", false, 4097, 2, 4096, false, 1, 2, 4097, 2 },
	{ "OPEN 4097", false, 4097, 1, 4096, false, 1, 2, 4097, 2 },
	{ "UPDATE 4097 with extended messages", false, 4097, 2, 65535, true, 0, 0, -1, 0 },
	{ "UPDATE 65535 with extended messages", false, 65535, 2, 65535, true, 0, 0, -1, 0 },
	{ "marker not all ones", true, 19, 4, 4096, false, 1, 1, -1, 0 },
	{ "type 0", false, 19, 0, 4096, false, 1, 3, 0, 1 },
	{ "type 6", false, 19, 6, 4096, false, 1, 3, 6, 1 },
	{ "type 255", false, 23, 255, 4096, false, 1, 3, 255, 1 },
};

static void test_header_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(hdr_cases) / sizeof(hdr_cases[0]); i++) {
		const struct hdr_case *hc = &hdr_cases[i];
		print_message("case: %s\n", hc->name);
		uint8_t buf[BGP_HEADER_LEN];
		memset(buf, 0xff, BGP_MARKER_LEN);
		if (hc->bad_marker)
			buf[7] = 0xfe;
		buf[16] = (uint8_t)(hc->len >> 8);
		buf[17] = (uint8_t)hc->len;
		buf[18] = hc->type;
		uint8_t type = 0xee;
		uint16_t len = 0xeeee;
		struct bgp_notify err;
		memset(&err, 0, sizeof(err));
		bool ok = bgp_header_decode(buf, sizeof(buf), hc->max_len, &type, &len, &err);
		assert_int_equal(ok, hc->ok);
		if (ok) {
			assert_int_equal(type, hc->type);
			assert_int_equal(len, hc->len);
			continue;
		}
		assert_int_equal(err.code, hc->code);
		assert_int_equal(err.subcode, hc->subcode);
		if (hc->data >= 0) {
			size_t dlen = 0;
			bgp_notify_data(&err, &dlen);
			assert_int_equal(dlen, hc->data_len);
			assert_int_equal(notify_data_value(&err), hc->data);
		}
	}
}

static void test_header_encode(void **state)
{
	(void)state;
	uint8_t buf[64];
	struct wbuf w = wbuf_make(buf, sizeof(buf));
	size_t at = bgp_msg_begin(&w, BGP_MSG_UPDATE);
	wbuf_u32(&w, 0); /* an empty UPDATE body */
	assert_true(bgp_msg_finish(&w, at));
	uint8_t want[23];
	assert_int_equal(unhex("ffffffffffffffffffffffffffffffff 0017 02 00000000", want,
			       sizeof(want)), 23);
	assert_int_equal(w.len, 23);
	assert_memory_equal(buf, want, 23);

	struct wbuf w2 = wbuf_make(buf, sizeof(buf));
	bgp_header_encode(&w2, BGP_MSG_KEEPALIVE, 19);
	assert_int_equal(w2.len, 19);
	assert_int_equal(buf[16], 0);
	assert_int_equal(buf[17], 19);
	assert_int_equal(buf[18], 4);

	/* A message that overflowed its buffer does not finish. */
	uint8_t small[20];
	struct wbuf w3 = wbuf_make(small, sizeof(small));
	size_t at3 = bgp_msg_begin(&w3, BGP_MSG_UPDATE);
	wbuf_u32(&w3, 0);
	assert_false(bgp_msg_finish(&w3, at3));
}

/* ---- OPEN -------------------------------------------------------------- */

/* OPEN body before the optional parameters: version 4, AS 65001, hold 180,
 * BGP identifier 10.0.0.1. */
#define OPEN_FIXED "04 fde9 00b4 0a000001"

typedef void (*open_check)(const struct bgp_open *o);

static void chk_mp_v4(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_MP);
	assert_int_equal(o->caps.n_mp, 1);
	assert_int_equal(o->caps.mp[0].afi, BGP_AFI_IPV4);
	assert_int_equal(o->caps.mp[0].safi, BGP_SAFI_UNICAST);
	assert_true(bgp_caps_has_afi(&o->caps, 1, 1));
	assert_false(bgp_caps_has_afi(&o->caps, 2, 1));
}

static void chk_mp_v6(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_MP);
	assert_int_equal(o->caps.n_mp, 1);
	assert_int_equal(o->caps.mp[0].afi, BGP_AFI_IPV6);
	assert_int_equal(o->caps.mp[0].safi, BGP_SAFI_UNICAST);
	assert_true(bgp_caps_has_afi(&o->caps, 2, 1));
	assert_false(bgp_caps_has_afi(&o->caps, 1, 1));
}

static void chk_mp_both(const struct bgp_open *o)
{
	assert_int_equal(o->caps.n_mp, 2);
	assert_true(bgp_caps_has_afi(&o->caps, 1, 1));
	assert_true(bgp_caps_has_afi(&o->caps, 2, 1));
	assert_false(bgp_caps_has_afi(&o->caps, 1, 2));
}

static void chk_rr(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_ROUTE_REFRESH);
	assert_false(o->caps.have & BGP_CAPB_ENHANCED_RR);
	assert_int_equal(o->caps.n_unknown, 0);
}

static void chk_rr_old(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_ROUTE_REFRESH_OLD);
	assert_int_equal(o->caps.n_unknown, 0);
}

static void chk_err(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_ENHANCED_RR);
	assert_int_equal(o->caps.n_unknown, 0);
}

static void chk_as4(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_AS4);
	assert_int_equal(o->caps.as4, 70000);
	assert_int_equal(o->my_as, BGP_AS_TRANS);
	assert_int_equal(bgp_open_peer_as(o), 70000);
}

static void chk_no_as4(const struct bgp_open *o)
{
	assert_false(o->caps.have & BGP_CAPB_AS4);
	assert_int_equal(bgp_open_peer_as(o), 65001);
}

static void chk_gr(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_GR);
	assert_int_equal(o->caps.gr_flags, BGP_GR_F_RESTART);
	assert_int_equal(o->caps.gr_time, 120);
	assert_int_equal(o->caps.n_gr, 2);
	assert_int_equal(o->caps.gr[0].afi, 1);
	assert_int_equal(o->caps.gr[0].safi, 1);
	assert_int_equal(o->caps.gr[0].flags, BGP_GR_AF_F_FORWARDING);
	assert_int_equal(o->caps.gr[1].afi, 2);
	assert_int_equal(o->caps.gr[1].safi, 1);
	assert_int_equal(o->caps.gr[1].flags, 0);
}

static void chk_gr_helper(const struct bgp_open *o)
{
	/* Restart and Notification bits, maximum 12-bit time, no families. */
	assert_true(o->caps.have & BGP_CAPB_GR);
	assert_int_equal(o->caps.gr_flags, BGP_GR_F_RESTART | BGP_GR_F_NOTIFICATION);
	assert_int_equal(o->caps.gr_time, 4095);
	assert_int_equal(o->caps.n_gr, 0);
}

static void chk_ext_msg(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_EXT_MSG);
}

static void chk_fqdn(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_FQDN);
	assert_string_equal(o->caps.hostname, "nva1");
	assert_string_equal(o->caps.domainname, "example.com");
}

static void chk_fqdn_nodomain(const struct bgp_open *o)
{
	assert_true(o->caps.have & BGP_CAPB_FQDN);
	assert_string_equal(o->caps.hostname, "r1");
	assert_string_equal(o->caps.domainname, "");
}

static void chk_unknown(const struct bgp_open *o)
{
	assert_int_equal(o->caps.n_unknown, 1);
	assert_int_equal(o->caps.unknown[0].code, 0xfe);
	assert_int_equal(o->caps.unknown[0].len, 3);
	const uint8_t want[] = { 0xaa, 0xbb, 0xcc };
	assert_memory_equal(o->caps.unknown[0].value, want, 3);
	assert_int_equal(o->caps.have, 0);
}

static void chk_none(const struct bgp_open *o)
{
	assert_int_equal(o->caps.have, 0);
	assert_int_equal(o->caps.n_unknown, 0);
	assert_int_equal(o->caps.n_mp, 0);
}

static void chk_all(const struct bgp_open *o)
{
	chk_mp_both(o);
	assert_true(o->caps.have & BGP_CAPB_ROUTE_REFRESH);
	assert_true(o->caps.have & BGP_CAPB_ENHANCED_RR);
	chk_as4(o);
	chk_gr(o);
	chk_ext_msg(o);
	chk_fqdn(o);
	assert_int_equal(o->caps.n_unknown, 1);
	assert_int_equal(o->caps.unknown[0].code, 0xfe);
}

struct open_case {
	const char *name;
	const char *body; /* OPEN body after the header */
	open_check check;
};

/* Capabilities, each as code, length, value; wrapped in one parameter
 * (type 2) by the rows below. */
#define CAP_MP4 "01 04 0001 00 01"
#define CAP_MP6 "01 04 0002 00 01"
#define CAP_RR "02 00"
#define CAP_RR_OLD "80 00"
#define CAP_ERR "46 00"
#define CAP_AS4 "41 04 00011170"                        /* AS 70000 */
#define CAP_GR "40 0a 8078 0001 01 80 0002 01 00"        /* R, 120 s */
#define CAP_EXT "06 00"
#define CAP_FQDN "49 11 04 6e766131 0b 6578616d706c652e636f6d" /* nva1, example.com */
#define CAP_UNK "fe 03 aabbcc"

static const struct open_case open_cases[] = {
	{ "no optional parameters", OPEN_FIXED " 00", chk_none },
	{ "multiprotocol IPv4 unicast", OPEN_FIXED " 08 02 06" CAP_MP4, chk_mp_v4 },
	{ "multiprotocol IPv6 unicast", OPEN_FIXED " 08 02 06" CAP_MP6, chk_mp_v6 },
	{ "both families, one parameter each", OPEN_FIXED " 10 0206" CAP_MP4 " 0206" CAP_MP6,
	  chk_mp_both },
	{ "both families, one parameter", OPEN_FIXED " 0e 020c" CAP_MP4 CAP_MP6, chk_mp_both },
	{ "route refresh", OPEN_FIXED " 04 02 02" CAP_RR, chk_rr },
	{ "route refresh, old Cisco code", OPEN_FIXED " 04 02 02" CAP_RR_OLD, chk_rr_old },
	{ "enhanced route refresh", OPEN_FIXED " 04 02 02" CAP_ERR, chk_err },
	{ "4-octet AS", "04 5ba0 00b4 0a000001 08 02 06" CAP_AS4, chk_as4 },
	{ "no 4-octet AS", OPEN_FIXED " 04 02 02" CAP_RR, chk_no_as4 },
	{ "graceful restart with families", OPEN_FIXED " 0e 02 0c" CAP_GR, chk_gr },
	{ "graceful restart R+N, time 4095, no families", OPEN_FIXED " 06 02 04 40 02 cfff",
	  chk_gr_helper },
	{ "extended message", OPEN_FIXED " 04 02 02" CAP_EXT, chk_ext_msg },
	{ "FQDN hostname and domain", OPEN_FIXED " 15 02 13" CAP_FQDN, chk_fqdn },
	{ "FQDN without domain", OPEN_FIXED " 08 02 06 49 04 02 7231 00", chk_fqdn_nodomain },
	{ "unknown capability kept as bytes", OPEN_FIXED " 07 02 05" CAP_UNK, chk_unknown },
	{ "all of them in one parameter",
	  "04 5ba0 00b4 0a000001 3e 02 3c" CAP_MP4 CAP_MP6 CAP_RR CAP_ERR CAP_AS4 CAP_GR CAP_EXT
	  CAP_FQDN CAP_UNK,
	  chk_all },
	{ "RFC 9072 extended optional parameters",
	  OPEN_FIXED " ff ff 0009 02 0006" CAP_MP6, chk_mp_v6 },
};

static void compare_open(const struct bgp_open *a, const struct bgp_open *b)
{
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->my_as, b->my_as);
	assert_int_equal(a->hold_time, b->hold_time);
	assert_int_equal(a->bgp_id, b->bgp_id);
	const struct bgp_caps *x = &a->caps, *y = &b->caps;
	assert_int_equal(x->have, y->have);
	assert_int_equal(x->n_mp, y->n_mp);
	for (unsigned i = 0; i < x->n_mp; i++) {
		assert_int_equal(x->mp[i].afi, y->mp[i].afi);
		assert_int_equal(x->mp[i].safi, y->mp[i].safi);
	}
	assert_int_equal(x->as4, y->as4);
	if (x->have & BGP_CAPB_GR) {
		assert_int_equal(x->gr_flags, y->gr_flags);
		assert_int_equal(x->gr_time, y->gr_time);
		assert_int_equal(x->n_gr, y->n_gr);
		for (unsigned i = 0; i < x->n_gr; i++) {
			assert_int_equal(x->gr[i].afi, y->gr[i].afi);
			assert_int_equal(x->gr[i].safi, y->gr[i].safi);
			assert_int_equal(x->gr[i].flags, y->gr[i].flags);
		}
	}
	assert_string_equal(x->hostname, y->hostname);
	assert_string_equal(x->domainname, y->domainname);
	assert_int_equal(x->n_unknown, y->n_unknown);
	for (unsigned i = 0; i < x->n_unknown; i++) {
		assert_int_equal(x->unknown[i].code, y->unknown[i].code);
		assert_int_equal(x->unknown[i].len, y->unknown[i].len);
		assert_memory_equal(x->unknown[i].value, y->unknown[i].value, x->unknown[i].len);
	}
}

static void test_open_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(open_cases) / sizeof(open_cases[0]); i++) {
		const struct open_case *oc = &open_cases[i];
		print_message("case: %s\n", oc->name);
		uint8_t body[512];
		size_t n = unhex(oc->body, body, sizeof(body));
		struct bgp_open o;
		struct bgp_notify err;
		memset(&o, 0, sizeof(o));
		memset(&err, 0, sizeof(err));
		bool ok = bgp_open_decode(body, n, &o, &err);
		if (!ok)
			print_error("decode failed with %u/%u\n", err.code, err.subcode);
		assert_true(ok);
		assert_int_equal(o.version, 4);
		assert_int_equal(o.hold_time, 180);
		assert_int_equal(o.bgp_id, 0x0a000001);
		oc->check(&o);

		/* Encode what was decoded; it must decode to the same. */
		uint8_t msg[1024];
		struct wbuf w = wbuf_make(msg, sizeof(msg));
		assert_true(bgp_open_encode(&w, &o));
		assert_false(w.failed);
		uint8_t type;
		uint16_t len;
		assert_true(bgp_header_decode(msg, w.len, BGP_MAX_MSG, &type, &len, &err));
		assert_int_equal(type, BGP_MSG_OPEN);
		assert_int_equal(len, w.len);
		struct bgp_open o2;
		memset(&o2, 0, sizeof(o2));
		assert_true(bgp_open_decode(msg + BGP_HEADER_LEN, w.len - BGP_HEADER_LEN, &o2, &err));
		compare_open(&o, &o2);
		oc->check(&o2);
	}
}

static void test_open_encode_bytes(void **state)
{
	(void)state;
	/* An OPEN built by hand encodes to the exact bytes expected. */
	struct bgp_open o;
	memset(&o, 0, sizeof(o));
	o.version = 4;
	o.my_as = 65001;
	o.hold_time = 90;
	o.bgp_id = 0xc0000201;
	o.caps.have = BGP_CAPB_MP;
	o.caps.n_mp = 1;
	o.caps.mp[0].afi = 1;
	o.caps.mp[0].safi = 1;
	uint8_t msg[256];
	struct wbuf w = wbuf_make(msg, sizeof(msg));
	assert_true(bgp_open_encode(&w, &o));
	uint8_t want[64];
	size_t n = unhex("ffffffffffffffffffffffffffffffff 0025 01"
			 "04 fde9 005a c0000201 08 02 06 01 04 0001 00 01", want, sizeof(want));
	assert_int_equal(w.len, n);
	assert_memory_equal(msg, want, n);
}

struct open_err_case {
	const char *name;
	const char *body;
	uint8_t subcode; /* code is always 2 */
	long data;       /* -1: not checked */
};

static const struct open_err_case open_err_cases[] = {
	{ "version 3", "03 fde9 00b4 0a000001 00", BGP_OPEN_UNSUPPORTED_VERSION, 4 },
	{ "version 5", "05 fde9 00b4 0a000001 00", BGP_OPEN_UNSUPPORTED_VERSION, 4 },
	{ "hold time 1", "04 fde9 0001 0a000001 00", BGP_OPEN_BAD_HOLD_TIME, -1 },
	{ "hold time 2", "04 fde9 0002 0a000001 00", BGP_OPEN_BAD_HOLD_TIME, -1 },
	{ "BGP identifier 0", "04 fde9 00b4 00000000 00", BGP_OPEN_BAD_BGP_ID, -1 },
	{ "optional parameter type 1 (authentication)",
	  "04 fde9 00b4 0a000001 04 01 02 0000", BGP_OPEN_UNSUPPORTED_PARAM, -1 },
	{ "optional parameter type 3 after a good one",
	  "04 fde9 00b4 0a000001 0a 02 02 0200 03 04 00000000", BGP_OPEN_UNSUPPORTED_PARAM, -1 },
	{ "parameters length past the body",
	  "04 fde9 00b4 0a000001 0a 02 02 0200", 0, -1 },
	{ "parameter length past the parameters",
	  "04 fde9 00b4 0a000001 06 02 06 01 04 0001", 0, -1 },
	{ "parameter header cut short", "04 fde9 00b4 0a000001 01 02", 0, -1 },
	{ "capability length past its parameter",
	  "04 fde9 00b4 0a000001 04 02 02 01 06", 0, -1 },
	{ "capability header cut short", "04 fde9 00b4 0a000001 03 02 01 01", 0, -1 },
	{ "multiprotocol capability of length 3",
	  "04 fde9 00b4 0a000001 07 02 05 01 03 000100", 0, -1 },
	{ "4-octet AS capability of length 2",
	  "04 fde9 00b4 0a000001 06 02 04 41 02 fde9", 0, -1 },
	{ "graceful restart with a partial family",
	  "04 fde9 00b4 0a000001 09 02 07 40 05 0078 000101", 0, -1 },
	{ "extended parameters length past the body",
	  "04 fde9 00b4 0a000001 ff ff 0010 02 0006 01 04 0001 0001", 0, -1 },
};

static void test_open_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(open_err_cases) / sizeof(open_err_cases[0]); i++) {
		const struct open_err_case *ec = &open_err_cases[i];
		print_message("case: %s\n", ec->name);
		uint8_t body[256];
		size_t n = unhex(ec->body, body, sizeof(body));
		struct bgp_open o;
		struct bgp_notify err;
		memset(&o, 0, sizeof(o));
		memset(&err, 0, sizeof(err));
		assert_false(bgp_open_decode(body, n, &o, &err));
		assert_int_equal(err.code, BGP_ERR_OPEN);
		assert_int_equal(err.subcode, ec->subcode);
		if (ec->data >= 0)
			assert_int_equal(notify_data_value(&err), ec->data);
	}
}

static void test_open_hold_time_ok(void **state)
{
	(void)state;
	const char *bodies[] = { "04 fde9 0000 0a000001 00", "04 fde9 0003 0a000001 00",
				 "04 fde9 ffff 0a000001 00" };
	const uint16_t holds[] = { 0, 3, 65535 };
	for (size_t i = 0; i < 3; i++) {
		uint8_t body[32];
		size_t n = unhex(bodies[i], body, sizeof(body));
		struct bgp_open o;
		struct bgp_notify err;
		assert_true(bgp_open_decode(body, n, &o, &err));
		assert_int_equal(o.hold_time, holds[i]);
	}
}

/* ---- NOTIFICATION ------------------------------------------------------ */

struct notif_case {
	const char *name;
	const char *body;
	uint8_t code, subcode;
	size_t data_len;
	const char *shutdown; /* expected RFC 9003 text, NULL when none */
};

static const struct notif_case notif_cases[] = {
	{ "cease admin shutdown with message",
	  "06 02 0a 676f696e6720646f776e", 6, 2, 11, "going down" },
	{ "cease admin reset with message", "06 04 05 68656c6c6f", 6, 4, 6, "hello" },
	{ "cease admin shutdown without data", "06 02", 6, 2, 0, NULL },
	{ "cease admin shutdown, empty message", "06 02 00", 6, 2, 1, NULL },
	{ "cease admin shutdown, length past data", "06 02 10 6162", 6, 2, 3, NULL },
	{ "cease max prefix", "06 01 0001 01 00000064", 6, 1, 7, NULL },
	{ "update malformed AS_PATH", "03 0b", 3, 11, 0, NULL },
	{ "header bad length with data", "01 02 0014", 1, 2, 2, NULL },
	{ "hold timer expired", "04 00", 4, 0, 0, NULL },
};

static void test_notification_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(notif_cases) / sizeof(notif_cases[0]); i++) {
		const struct notif_case *nc = &notif_cases[i];
		print_message("case: %s\n", nc->name);
		uint8_t body[128];
		size_t n = unhex(nc->body, body, sizeof(body));
		struct bgp_notify nt, err;
		memset(&nt, 0, sizeof(nt));
		memset(&err, 0, sizeof(err));
		assert_true(bgp_notification_decode(body, n, &nt, &err));
		assert_int_equal(nt.code, nc->code);
		assert_int_equal(nt.subcode, nc->subcode);
		size_t dlen = 99;
		const uint8_t *d = bgp_notify_data(&nt, &dlen);
		assert_int_equal(dlen, nc->data_len);
		if (dlen)
			assert_memory_equal(d, body + 2, dlen);
		char text[256];
		memset(text, 'x', sizeof(text));
		bool has = bgp_notification_shutdown_msg(&nt, text, sizeof(text));
		assert_int_equal(has, nc->shutdown != NULL);
		if (nc->shutdown)
			assert_string_equal(text, nc->shutdown);

		/* Encoding what was decoded gives the same body back. */
		uint8_t msg[256];
		struct wbuf w = wbuf_make(msg, sizeof(msg));
		assert_true(bgp_notification_encode(&w, &nt));
		assert_int_equal(w.len, BGP_HEADER_LEN + n);
		uint8_t type;
		uint16_t len;
		assert_true(bgp_header_decode(msg, w.len, BGP_MAX_MSG, &type, &len, &err));
		assert_int_equal(type, BGP_MSG_NOTIFICATION);
		assert_int_equal(len, w.len);
		assert_memory_equal(msg + BGP_HEADER_LEN, body, n);
	}
}

static void test_notification_too_short(void **state)
{
	(void)state;
	const uint8_t body[] = { 0x06 };
	struct bgp_notify nt, err;
	memset(&err, 0, sizeof(err));
	assert_false(bgp_notification_decode(body, sizeof(body), &nt, &err));
	assert_false(bgp_notification_decode(body, 0, &nt, &err));
}

static void test_shutdown_msg_printable_and_bounded(void **state)
{
	(void)state;
	/* A message with a newline, an escape and a NUL: the copy is printable. */
	uint8_t body[64];
	size_t n = unhex("06 02 08 61 0a 62 1b 63 00 64 65", body, sizeof(body));
	struct bgp_notify nt, err;
	assert_true(bgp_notification_decode(body, n, &nt, &err));
	char text[64];
	if (bgp_notification_shutdown_msg(&nt, text, sizeof(text))) {
		assert_true(strlen(text) < sizeof(text));
		for (const char *c = text; *c; c++)
			assert_true(isprint((unsigned char)*c));
		assert_non_null(strchr(text, 'a'));
		assert_non_null(strchr(text, 'b'));
	}

	/* A long message into a small buffer: cut, and NUL-terminated. */
	n = unhex("06 02 0a 676f696e6720646f776e", body, sizeof(body));
	assert_true(bgp_notification_decode(body, n, &nt, &err));
	char small[6];
	memset(small, 'x', sizeof(small));
	assert_true(bgp_notification_shutdown_msg(&nt, small, sizeof(small)));
	assert_true(memchr(small, '\0', sizeof(small)) != NULL);
	assert_int_equal(strncmp(small, "going", strlen(small)), 0);
}

static void test_notification_encode_bytes(void **state)
{
	(void)state;
	struct bgp_notify nt;
	memset(&nt, 0, sizeof(nt));
	const uint8_t data[] = { 0x04, 'b', 'y', 'e', '!' };
	bgp_notify_set_data(&nt, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN, data, sizeof(data));
	uint8_t msg[64];
	struct wbuf w = wbuf_make(msg, sizeof(msg));
	assert_true(bgp_notification_encode(&w, &nt));
	uint8_t want[64];
	size_t n = unhex("ffffffffffffffffffffffffffffffff 001a 03 06 02 04 62796521", want,
			 sizeof(want));
	assert_int_equal(w.len, n);
	assert_memory_equal(msg, want, n);
	char text[32];
	assert_true(bgp_notification_shutdown_msg(&nt, text, sizeof(text)));
	assert_string_equal(text, "bye!");

	/* Without data. */
	bgp_notify_set(&nt, BGP_ERR_UPDATE, BGP_UPD_MALFORMED_AS_PATH);
	size_t dlen = 99;
	bgp_notify_data(&nt, &dlen);
	assert_int_equal(dlen, 0);
	w = wbuf_make(msg, sizeof(msg));
	assert_true(bgp_notification_encode(&w, &nt));
	n = unhex("ffffffffffffffffffffffffffffffff 0015 03 03 0b", want, sizeof(want));
	assert_int_equal(w.len, n);
	assert_memory_equal(msg, want, n);
}

static void test_notify_data_sizes(void **state)
{
	(void)state;
	uint8_t big[40];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	const size_t sizes[] = { 0, 1, 2, 8, 9, 40 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct bgp_notify nt;
		memset(&nt, 0, sizeof(nt));
		bgp_notify_set_data(&nt, 3, 1, big, sizes[i]);
		assert_int_equal(nt.code, 3);
		assert_int_equal(nt.subcode, 1);
		size_t len = 99;
		const uint8_t *d = bgp_notify_data(&nt, &len);
		assert_int_equal(len, sizes[i]);
		if (len)
			assert_memory_equal(d, big, len);
	}
}

static void test_err_names(void **state)
{
	(void)state;
	assert_non_null(strstr(bgp_err_code_name(BGP_ERR_UPDATE), "UPDATE"));
	assert_non_null(strstr(bgp_err_code_name(BGP_ERR_OPEN), "OPEN"));
	assert_non_null(strstr(bgp_err_code_name(BGP_ERR_CEASE), "Cease"));
	assert_non_null(strstr(bgp_err_subcode_name(BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN),
			       "Shutdown"));
	assert_non_null(strstr(bgp_err_subcode_name(BGP_ERR_UPDATE, BGP_UPD_MALFORMED_AS_PATH),
			       "AS_PATH"));
	/* Unknown numbers still give a printable string. */
	assert_non_null(bgp_err_code_name(200));
	assert_non_null(bgp_err_subcode_name(3, 200));
}

/* ---- KEEPALIVE and ROUTE-REFRESH -------------------------------------- */

static void test_keepalive(void **state)
{
	(void)state;
	uint8_t msg[32];
	struct wbuf w = wbuf_make(msg, sizeof(msg));
	assert_true(bgp_keepalive_encode(&w));
	uint8_t want[19];
	unhex("ffffffffffffffffffffffffffffffff 0013 04", want, sizeof(want));
	assert_int_equal(w.len, 19);
	assert_memory_equal(msg, want, 19);
	uint8_t small[18];
	struct wbuf w2 = wbuf_make(small, sizeof(small));
	assert_false(bgp_keepalive_encode(&w2));
}

struct rr_case {
	const char *name;
	const char *body;
	bool ok;
	uint16_t afi;
	uint8_t subtype, safi;
};

static const struct rr_case rr_cases[] = {
	{ "normal IPv4 unicast", "0001 00 01", true, 1, BGP_RR_NORMAL, 1 },
	{ "normal IPv6 unicast", "0002 00 01", true, 2, BGP_RR_NORMAL, 1 },
	{ "BoRR IPv6 unicast", "0002 01 01", true, 2, BGP_RR_BORR, 1 },
	{ "EoRR IPv4 unicast", "0001 02 01", true, 1, BGP_RR_EORR, 1 },
	{ "body of 3 octets", "0001 00", false, 0, 0, 0 },
	{ "body of 5 octets", "0001 00 01 00", false, 0, 0, 0 },
	{ "empty body", "", false, 0, 0, 0 },
};

static void test_route_refresh_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rr_cases) / sizeof(rr_cases[0]); i++) {
		const struct rr_case *rc = &rr_cases[i];
		print_message("case: %s\n", rc->name);
		uint8_t body[16];
		size_t n = unhex(rc->body, body, sizeof(body));
		struct bgp_route_refresh rr;
		struct bgp_notify err;
		memset(&rr, 0, sizeof(rr));
		memset(&err, 0, sizeof(err));
		bool ok = bgp_route_refresh_decode(body, n, &rr, &err);
		assert_int_equal(ok, rc->ok);
		if (!ok) {
			assert_int_equal(err.code, BGP_ERR_ROUTE_REFRESH);
			assert_int_equal(err.subcode, BGP_RR_INVALID_LENGTH);
			continue;
		}
		assert_int_equal(rr.afi, rc->afi);
		assert_int_equal(rr.subtype, rc->subtype);
		assert_int_equal(rr.safi, rc->safi);

		uint8_t msg[64];
		struct wbuf w = wbuf_make(msg, sizeof(msg));
		assert_true(bgp_route_refresh_encode(&w, &rr));
		assert_int_equal(w.len, 23);
		assert_int_equal(msg[17], 23);
		assert_int_equal(msg[18], BGP_MSG_ROUTE_REFRESH);
		assert_memory_equal(msg + BGP_HEADER_LEN, body, 4);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_table),
		cmocka_unit_test(test_header_encode),
		cmocka_unit_test(test_open_table),
		cmocka_unit_test(test_open_encode_bytes),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_open_hold_time_ok),
		cmocka_unit_test(test_notification_table),
		cmocka_unit_test(test_notification_too_short),
		cmocka_unit_test(test_shutdown_msg_printable_and_bounded),
		cmocka_unit_test(test_notification_encode_bytes),
		cmocka_unit_test(test_notify_data_sizes),
		cmocka_unit_test(test_err_names),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_route_refresh_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

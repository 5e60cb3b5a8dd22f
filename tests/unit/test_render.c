/* test_render.c: whole messages through bgp_msg_decode, then rendered as text
 * (what `nvactl decode` prints) and as JSON. The text layout is free; the
 * tests look for the pieces a user reads: prefixes, the action with the
 * attribute at fault, the NOTIFICATION numbers. JSON fields are checked by
 * name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "bgp/message.h"
#include "lib/hex.h"

static uint8_t scratch[BGP_UPDATE_SCRATCH_SIZE(4096)];

/* Whole message: header, then for an UPDATE the withdrawn routes, path
 * attributes and NLRI with their length fields, else the body as is. */
static size_t build_msg(uint8_t type, const char *wd, const char *attrs, const char *nlri,
			uint8_t *out, size_t cap)
{
	size_t err_at = 0;
	memset(out, 0xff, BGP_MARKER_LEN);
	out[18] = type;
	size_t pos = BGP_HEADER_LEN;
	const char *parts[3] = { wd ? wd : "", attrs ? attrs : "", nlri ? nlri : "" };
	for (int i = 0; i < 3; i++) {
		bool framed = type == BGP_MSG_UPDATE && i < 2;
		size_t at = pos;
		if (framed)
			pos += 2;
		long n = hex_decode(parts[i], out + pos, cap - pos, &err_at);
		assert_true(n >= 0);
		if (framed) {
			out[at] = (uint8_t)(n >> 8);
			out[at + 1] = (uint8_t)n;
		}
		pos += (size_t)n;
	}
	out[16] = (uint8_t)(pos >> 8);
	out[17] = (uint8_t)pos;
	return pos;
}

/* Follows a dotted path of object keys ("attributes.origin"). */
static json_object *jget(json_object *o, const char *path)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	char *save = NULL;
	for (char *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		json_object *next = NULL;
		if (!o || !json_object_object_get_ex(o, k, &next)) {
			print_error("JSON field \"%s\" missing (at \"%s\")\n", path, k);
			return NULL;
		}
		o = next;
	}
	return o;
}

static void expect_jstr(json_object *root, const char *path, const char *want)
{
	json_object *v = jget(root, path);
	assert_non_null(v);
	assert_string_equal(json_object_get_string(v), want);
}

static void expect_jint(json_object *root, const char *path, int64_t want)
{
	json_object *v = jget(root, path);
	assert_non_null(v);
	assert_int_equal(json_object_get_int64(v), want);
}

/* The array at path holds exactly the strings of want (a NULL-ended list),
 * in order. */
static void expect_jstrs(json_object *root, const char *path, const char *const *want)
{
	json_object *v = jget(root, path);
	assert_non_null(v);
	assert_true(json_object_is_type(v, json_type_array));
	size_t n = 0;
	while (want[n])
		n++;
	assert_int_equal(json_object_array_length(v), n);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(json_object_get_string(json_object_array_get_idx(v, i)),
				    want[i]);
}

/* Some element of the faults array has these attribute and action names. */
static void expect_jfault(json_object *root, const char *attr, const char *action)
{
	json_object *faults = jget(root, "faults");
	assert_non_null(faults);
	assert_true(json_object_is_type(faults, json_type_array));
	for (size_t i = 0; i < json_object_array_length(faults); i++) {
		json_object *f = json_object_array_get_idx(faults, i);
		json_object *a, *act;
		if (json_object_object_get_ex(f, "attribute", &a) &&
		    json_object_object_get_ex(f, "action", &act) &&
		    strcmp(json_object_get_string(a), attr) == 0 &&
		    strcmp(json_object_get_string(act), action) == 0)
			return;
	}
	fail_msg("no fault {attribute: %s, action: %s} in %s", attr, action,
		 json_object_to_json_string(faults));
}

#define ORIGIN_IGP "40 01 01 00 "
#define ASP4 "40 02 06 02 01 0000fde9 "
#define NH "40 03 04 0a000001 "
#define V6_GLOBAL "20010db8000000000000000000000001"
#define V6_LL "fe800000000000000000000000000001"
#define MPR6 "80 0e 2a 0002 01 20 " V6_GLOBAL V6_LL " 00 20 20010db8 "

struct render_case {
	const char *name;
	uint8_t type;
	const char *wd, *attrs, *nlri; /* for non-UPDATE, attrs is the body */
	struct bgp_decode_opts opts;
	uint8_t action;
	const char *text_has[5];
	void (*check)(json_object *j);
};

static void j_good(json_object *j)
{
	expect_jstr(j, "type", "UPDATE");
	expect_jstr(j, "action", "none");
	expect_jstrs(j, "nlri", (const char *const[]){ "10.1.0.0/16", "192.0.2.0/24", NULL });
	expect_jstr(j, "attributes.origin", "IGP");
	expect_jstr(j, "attributes.asPath", "65001");
	expect_jstr(j, "attributes.nextHop", "10.0.0.1");
	expect_jint(j, "attributes.med", 100);
	expect_jint(j, "attributes.localPref", 200);
	expect_jstrs(j, "attributes.communities",
		     (const char *const[]){ "65000:1", "65000:2", NULL });
}

static void j_egp(json_object *j)
{
	expect_jstr(j, "attributes.origin", "EGP");
}

static void j_incomplete(json_object *j)
{
	expect_jstr(j, "attributes.origin", "incomplete");
}

static void j_taw(json_object *j)
{
	expect_jstr(j, "type", "UPDATE");
	expect_jstr(j, "action", "treat-as-withdraw");
	expect_jfault(j, "AS_PATH", "treat-as-withdraw");
	expect_jstrs(j, "nlri", (const char *const[]){ "10.1.0.0/16", NULL });
	json_object *nt = NULL;
	/* No NOTIFICATION for a message that keeps the session up. */
	assert_true(!json_object_object_get_ex(j, "notification", &nt) || nt == NULL);
}

static void j_discard(json_object *j)
{
	expect_jstr(j, "action", "attribute-discard");
	expect_jfault(j, "LOCAL_PREF", "attribute-discard");
}

static void j_reset(json_object *j)
{
	expect_jstr(j, "type", "UPDATE");
	expect_jstr(j, "action", "session-reset");
	expect_jint(j, "notification.code", 3);
	expect_jint(j, "notification.subcode", 1);
	expect_jfault(j, "MP_REACH_NLRI", "session-reset");
}

static void j_reset_nlri(json_object *j)
{
	expect_jstr(j, "action", "session-reset");
	expect_jint(j, "notification.code", 3);
	expect_jint(j, "notification.subcode", 10);
}

static void j_mp(json_object *j)
{
	expect_jstr(j, "action", "none");
	/* afi/safi as numbers or as names */
	json_object *afi = jget(j, "mpReach.afi"), *safi = jget(j, "mpReach.safi");
	assert_non_null(afi);
	assert_non_null(safi);
	if (json_object_is_type(afi, json_type_int))
		assert_int_equal(json_object_get_int(afi), 2);
	else
		assert_string_equal(json_object_get_string(afi), "ipv6");
	if (json_object_is_type(safi, json_type_int))
		assert_int_equal(json_object_get_int(safi), 1);
	else
		assert_string_equal(json_object_get_string(safi), "unicast");
	expect_jstrs(j, "mpReach.nextHops", (const char *const[]){ "2001:db8::1", "fe80::1", NULL });
	expect_jstrs(j, "mpReach.prefixes", (const char *const[]){ "2001:db8::/32", NULL });
}

static void j_withdrawn(json_object *j)
{
	expect_jstrs(j, "withdrawn", (const char *const[]){ "10.1.0.0/16", "11.0.0.0/8", NULL });
}

static void j_eor4(json_object *j)
{
	expect_jstr(j, "endOfRib", "ipv4-unicast");
}

static void j_eor6(json_object *j)
{
	expect_jstr(j, "endOfRib", "ipv6-unicast");
}

static void j_notification(json_object *j)
{
	expect_jstr(j, "type", "NOTIFICATION");
	expect_jstr(j, "action", "none");
}

static void j_open(json_object *j)
{
	expect_jstr(j, "type", "OPEN");
	expect_jstr(j, "action", "none");
}

static void j_open_bad(json_object *j)
{
	expect_jstr(j, "type", "OPEN");
	expect_jstr(j, "action", "session-reset");
	expect_jint(j, "notification.code", 2);
	expect_jint(j, "notification.subcode", 6);
}

static void j_keepalive(json_object *j)
{
	expect_jstr(j, "type", "KEEPALIVE");
	expect_jstr(j, "action", "none");
}

static void j_refresh_bad(json_object *j)
{
	expect_jstr(j, "type", "ROUTE-REFRESH");
	expect_jstr(j, "action", "session-reset");
	expect_jint(j, "notification.code", 7);
	expect_jint(j, "notification.subcode", 1);
}

static const struct render_case cases[] = {
	{ "good UPDATE", BGP_MSG_UPDATE, NULL,
	  ORIGIN_IGP ASP4 NH "80 04 04 00000064 40 05 04 000000c8 c0 08 08 fde80001 fde80002",
	  "10 0a01 18 c00002", { .as4 = true, .ibgp = true }, BGP_ACT_NONE,
	  { "10.1.0.0/16", "192.0.2.0/24", "65001", "10.0.0.1", "65000:2" }, j_good },
	{ "ORIGIN EGP", BGP_MSG_UPDATE, NULL, "40 01 01 01 " ASP4 NH, "10 0a01", { .as4 = true },
	  BGP_ACT_NONE, { "10.1.0.0/16" }, j_egp },
	{ "ORIGIN incomplete", BGP_MSG_UPDATE, NULL, "40 01 01 02 " ASP4 NH, "10 0a01",
	  { .as4 = true }, BGP_ACT_NONE, { "10.1.0.0/16" }, j_incomplete },
	{ "treat-as-withdraw on a bad AS_PATH", BGP_MSG_UPDATE, NULL,
	  ORIGIN_IGP "40 02 06 05 01 0000fde9 " NH, "10 0a01", { .as4 = true },
	  BGP_ACT_TREAT_AS_WITHDRAW, { "treat-as-withdraw", "AS_PATH", "10.1.0.0/16" }, j_taw },
	{ "attribute discard of LOCAL_PREF from eBGP", BGP_MSG_UPDATE, NULL,
	  ORIGIN_IGP ASP4 NH "40 05 04 000000c8", "10 0a01", { .as4 = true },
	  BGP_ACT_ATTR_DISCARD, { "attribute-discard", "LOCAL_PREF" }, j_discard },
	{ "session reset: MP_REACH twice", BGP_MSG_UPDATE, NULL, ORIGIN_IGP ASP4 MPR6 MPR6, NULL,
	  { .as4 = true }, BGP_ACT_SESSION_RESET, { "reset", "3/1", "MP_REACH_NLRI" }, j_reset },
	{ "session reset: NLRI length 33", BGP_MSG_UPDATE, NULL, ORIGIN_IGP ASP4 NH,
	  "21 0a000001 00", { .as4 = true }, BGP_ACT_SESSION_RESET, { "reset", "3/10" },
	  j_reset_nlri },
	{ "MP_REACH IPv6", BGP_MSG_UPDATE, NULL, ORIGIN_IGP ASP4 MPR6, NULL, { .as4 = true },
	  BGP_ACT_NONE, { "2001:db8::/32", "2001:db8::1", "fe80::1" }, j_mp },
	{ "withdrawn routes", BGP_MSG_UPDATE, "10 0a01 08 0b", NULL, NULL, { .as4 = true },
	  BGP_ACT_NONE, { "10.1.0.0/16", "11.0.0.0/8" }, j_withdrawn },
	{ "End-of-RIB IPv4", BGP_MSG_UPDATE, NULL, NULL, NULL, { .as4 = true }, BGP_ACT_NONE,
	  { NULL }, j_eor4 },
	{ "End-of-RIB IPv6", BGP_MSG_UPDATE, NULL, "80 0f 03 0002 01", NULL, { .as4 = true },
	  BGP_ACT_NONE, { NULL }, j_eor6 },
	{ "NOTIFICATION Cease/Administrative Shutdown", BGP_MSG_NOTIFICATION, NULL,
	  "06 02 0a 676f696e6720646f776e", NULL, { .as4 = true }, BGP_ACT_NONE,
	  { "going down" }, j_notification },
	{ "OPEN", BGP_MSG_OPEN, NULL, "04 fde9 00b4 0a000001 08 02 06 01 04 0001 0001", NULL,
	  { .as4 = true }, BGP_ACT_NONE, { "65001", "180", "10.0.0.1" }, j_open },
	{ "OPEN hold time 1", BGP_MSG_OPEN, NULL, "04 fde9 0001 0a000001 00", NULL,
	  { .as4 = true }, BGP_ACT_SESSION_RESET, { "reset", "2/6" }, j_open_bad },
	{ "KEEPALIVE", BGP_MSG_KEEPALIVE, NULL, NULL, NULL, { .as4 = true }, BGP_ACT_NONE,
	  { "KEEPALIVE" }, j_keepalive },
	{ "ROUTE-REFRESH of 5 octets", BGP_MSG_ROUTE_REFRESH, NULL, "0001 00 01 00", NULL,
	  { .as4 = true }, BGP_ACT_SESSION_RESET, { "reset", "7/1" }, j_refresh_bad },
};

static void run_case(void **state)
{
	const struct render_case *rc = *state;
	uint8_t msg[1024];
	size_t n = build_msg(rc->type, rc->wd, rc->attrs, rc->nlri, msg, sizeof(msg));
	static struct bgp_msg m;
	memset(&m, 0, sizeof(m));
	size_t used = 0;
	uint8_t act = bgp_msg_decode(msg, n, &rc->opts, scratch, sizeof(scratch), &m, &used);
	assert_int_equal(act, rc->action);
	assert_int_equal(m.action, rc->action);
	assert_int_equal(used, n);
	assert_int_equal(m.type, rc->type);
	assert_int_equal(m.len, n);

	struct strbuf sb = STRBUF_INIT;
	bgp_msg_render_text(&m, &sb);
	const char *text = strbuf_str(&sb);
	assert_non_null(text);
	assert_false(sb.oom);
	assert_true(sb.len > 0);
	assert_int_equal(text[sb.len - 1], '\n');
	for (int i = 0; i < 5 && rc->text_has[i]; i++) {
		if (!strstr(text, rc->text_has[i]))
			fail_msg("text lacks \"%s\":\n%s", rc->text_has[i], text);
	}

	json_object *j = bgp_msg_render_json(&m);
	assert_non_null(j);
	print_message("%s\n", json_object_to_json_string(j));
	rc->check(j);
	json_object_put(j);
	strbuf_free(&sb);
}

static void test_bad_header(void **state)
{
	(void)state;
	/* A marker with a zero byte: reset 1/1, reported in JSON and text. */
	uint8_t msg[32];
	size_t err_at;
	long n = hex_decode("ffffffffffffff00ffffffffffffffff 0013 04", msg, sizeof(msg), &err_at);
	assert_int_equal(n, 19);
	static struct bgp_msg m;
	memset(&m, 0, sizeof(m));
	struct bgp_decode_opts o = { .as4 = true };
	size_t used = 0;
	assert_int_equal(bgp_msg_decode(msg, 19, &o, scratch, sizeof(scratch), &m, &used),
			 BGP_ACT_SESSION_RESET);
	assert_int_equal(used, 19);
	assert_int_equal(m.error.code, 1);
	assert_int_equal(m.error.subcode, 1);
	json_object *j = bgp_msg_render_json(&m);
	assert_non_null(j);
	expect_jstr(j, "action", "session-reset");
	expect_jint(j, "notification.code", 1);
	expect_jint(j, "notification.subcode", 1);
	json_object_put(j);
	struct strbuf sb = STRBUF_INIT;
	bgp_msg_render_text(&m, &sb);
	assert_non_null(strstr(strbuf_str(&sb), "reset"));
	assert_non_null(strstr(strbuf_str(&sb), "1/1"));
	strbuf_free(&sb);
}

static void test_two_messages_in_a_buffer(void **state)
{
	(void)state;
	/* bgp_msg_decode spans only the first message. */
	uint8_t buf[64];
	size_t err_at;
	long n = hex_decode("ffffffffffffffffffffffffffffffff 0013 04"
			    "ffffffffffffffffffffffffffffffff 0017 02 00000000",
			    buf, sizeof(buf), &err_at);
	assert_int_equal(n, 19 + 23);
	static struct bgp_msg m;
	struct bgp_decode_opts o = { .as4 = true };
	size_t used = 0;
	memset(&m, 0, sizeof(m));
	assert_int_equal(bgp_msg_decode(buf, (size_t)n, &o, scratch, sizeof(scratch), &m, &used),
			 BGP_ACT_NONE);
	assert_int_equal(m.type, BGP_MSG_KEEPALIVE);
	assert_int_equal(used, 19);
	memset(&m, 0, sizeof(m));
	assert_int_equal(bgp_msg_decode(buf + used, (size_t)n - used, &o, scratch, sizeof(scratch),
					&m, &used),
			 BGP_ACT_NONE);
	assert_int_equal(m.type, BGP_MSG_UPDATE);
	assert_int_equal(used, 23);
	assert_true(m.update.eor);
}

static void test_update_body_entry(void **state)
{
	(void)state;
	/* bgp_msg_decode_update_body: the same UPDATE without its header. */
	uint8_t body[64];
	size_t err_at;
	long n = hex_decode("0000 0014 40010100 40020602010000fde9 4003040a000001 100a01", body,
			    sizeof(body), &err_at);
	assert_true(n > 0);
	static struct bgp_msg m;
	memset(&m, 0, sizeof(m));
	struct bgp_decode_opts o = { .as4 = true };
	assert_int_equal(bgp_msg_decode_update_body(body, (size_t)n, &o, scratch, sizeof(scratch),
						    &m),
			 BGP_ACT_NONE);
	assert_int_equal(m.type, BGP_MSG_UPDATE);
	json_object *j = bgp_msg_render_json(&m);
	expect_jstrs(j, "nlri", (const char *const[]){ "10.1.0.0/16", NULL });
	expect_jstr(j, "attributes.asPath", "65001");
	json_object_put(j);
}

int main(void)
{
	size_t n = sizeof(cases) / sizeof(cases[0]);
	struct CMUnitTest tests[sizeof(cases) / sizeof(cases[0]) + 3];
	memset(tests, 0, sizeof(tests));
	for (size_t i = 0; i < n; i++) {
		tests[i].name = cases[i].name;
		tests[i].test_func = run_case;
		tests[i].initial_state = (void *)&cases[i];
	}
	tests[n] = (struct CMUnitTest)cmocka_unit_test(test_bad_header);
	tests[n + 1] = (struct CMUnitTest)cmocka_unit_test(test_two_messages_in_a_buffer);
	tests[n + 2] = (struct CMUnitTest)cmocka_unit_test(test_update_body_entry);
	return _cmocka_run_group_tests("render", tests, n + 3, NULL, NULL);
}

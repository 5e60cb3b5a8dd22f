/* test_show.c: the show renderers against FRR 8.4's real output. A speaker is
 * built without sockets in the state of the reference NVA (vm-hub00, AS 65001,
 * two Route Server peers, a shut down one, one connecting, one without policy,
 * an IPv6 one), routes fed through rib_update; the expected text was captured
 * from FRR 8.4 (vtysh) in network namespaces holding the same state, with the
 * clock fixed through bgp_show_opts. Lines marked with a trailing '*' compare
 * as prefixes (values that are nvad's own: memory, table versions). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "bgp/fmt.h"
#include "conf/conf.h"
#include "policy/policy.h"
#include "bgp/show.h"
#include "bgp/speaker_int.h"

#define NOW 1795932896 /* the capture's clock */

struct fixture {
	struct conf *conf;
	struct policy *pol;
	struct loop *loop;
	struct logger log;
	struct bgp_speaker *s;
	struct bgp_peer *rs4, *rs5, *rs8, *rs9, *fw6, *v6;
};

static uint8_t scratch[BGP_UPDATE_SCRATCH_SIZE(4096)];

static struct ipaddr addr_of(const char *s)
{
	struct ipaddr a;
	memset(&a, 0, sizeof(a));
	assert_true(ipaddr_parse(s, &a));
	return a;
}

static struct prefix pfx_of(const char *s)
{
	struct prefix p;
	assert_true(prefix_parse(s, false, &p));
	return p;
}

static struct bgp_peer *add_peer(struct bgp_speaker *s, const char *addr, uint32_t as,
				 void (*tweak)(struct bgp_peer_cfg *))
{
	struct bgp_peer_cfg c;
	bgp_peer_cfg_defaults(&c);
	c.addr = addr_of(addr);
	c.remote_as = as;
	c.passive = true; /* never connects */
	if (tweak)
		tweak(&c);
	struct bgp_peer *p = bgp_peer_add(s, &c);
	assert_non_null(p);
	return p;
}

/* The reference NVA's lists and route-maps (p2-vm-hub00.frr.conf). */
static const char ref_policy[] =
	"ip prefix-list PRE01 seq 5 deny 10.0.210.0/24\n"
	"ip prefix-list PRE01 seq 10 permit any\n"
	"bgp as-path access-list azure-asns seq 5 permit _65515_\n"
	"bgp as-path access-list bogon-asns seq 5 permit _0_\n"
	"bgp as-path access-list bogon-asns seq 10 permit _23456_\n"
	"bgp as-path access-list bogon-asns seq 15 permit _1310[0-6][0-9]_|_13107[0-1]_\n"
	"bgp as-path access-list bogon-asns seq 20 deny _65515_\n"
	"bgp as-path access-list bogon-asns seq 25 permit ^65\n"
	"route-map rmap-bogon-asns deny 5\n match as-path bogon-asns\n"
	"route-map rmap-bogon-asns permit 10\n"
	"route-map rmap-azure-asns deny 5\n match as-path azure-asns\n"
	"route-map rmap-azure-asns permit 10\n";

static void rs_cfg(struct bgp_peer_cfg *c)
{
	c->multihop_ttl = 255;
	struct bgp_peer_af_cfg *af = &c->af[BGP_FAM_IPV4];
	af->soft_reconfig_in = true;
	af->policy_in = af->policy_out = true;
	snprintf(af->plist_out, sizeof(af->plist_out), "PRE01");
	snprintf(af->rmap_in, sizeof(af->rmap_in), "rmap-bogon-asns");
	snprintf(af->rmap_out, sizeof(af->rmap_out), "rmap-azure-asns");
}

static void shut_cfg(struct bgp_peer_cfg *c)
{
	c->shutdown = true;
}

static void multihop_cfg(struct bgp_peer_cfg *c)
{
	c->multihop_ttl = 255;
}

static void fw_cfg(struct bgp_peer_cfg *c)
{
	snprintf(c->description, sizeof(c->description), "spoke firewall");
	c->af[BGP_FAM_IPV4].soft_reconfig_in = true;
}

static void v6_cfg(struct bgp_peer_cfg *c)
{
	c->af[BGP_FAM_IPV4].active = false;
	c->af[BGP_FAM_IPV6].active = true;
	c->af[BGP_FAM_IPV6].policy_in = c->af[BGP_FAM_IPV6].policy_out = true;
}

/* Marks a peer Established as session.c would after the OPEN exchange. */
static void establish(struct bgp_peer *p, const char *local, uint32_t remote_id, int64_t up_for,
		      const char *hostname)
{
	p->conn[0].state = BGP_ST_ESTABLISHED;
	p->est = &p->conn[0];
	p->local_addr = addr_of(local);
	if (p->local_addr.family == AF_INET)
		p->nh4 = p->local_addr;
	else
		p->nh6 = p->local_addr;
	p->remote_id = remote_id;
	p->remote_as = p->cfg.remote_as;
	p->hold_time = 180;
	p->keepalive_time = 60;
	p->as4 = p->ext_msg = p->route_refresh = p->enhanced_rr = true;
	snprintf(p->remote_hostname, sizeof(p->remote_hostname), "%s", hostname);
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		p->af[f].negotiated = p->cfg.af[f].active;
	p->stats.established = 1;
	p->state_since = NOW - up_for;
	loop_timer_stop(p->s->loop, &p->connect_retry);
	rib_peer_up(p);
}

/* An UPDATE from p: ORIGIN, AS_PATH (4-octet), NEXT_HOP or MP_REACH_NLRI,
 * MED 0, for one prefix. */
static void feed(struct bgp_peer *p, const char *prefix, const uint32_t *path, unsigned n,
		 const char *nh, const char *nh_ll)
{
	uint8_t body[512], *w = body + 4;
	struct prefix pfx = pfx_of(prefix);
	*w++ = 0x40, *w++ = 1, *w++ = 1, *w++ = 0; /* ORIGIN IGP */
	*w++ = 0x40, *w++ = 2, *w++ = (uint8_t)(2 + 4 * n), *w++ = 2, *w++ = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		uint32_t be = htonl(path[i]);
		memcpy(w, &be, 4);
		w += 4;
	}
	*w++ = 0x80, *w++ = 4, *w++ = 4, *w++ = 0, *w++ = 0, *w++ = 0, *w++ = 0; /* MED 0 */
	unsigned plen = (pfx.len + 7) / 8;
	if (pfx.family == AF_INET) {
		*w++ = 0x40, *w++ = 3, *w++ = 4;
		assert_int_equal(inet_pton(AF_INET, nh, w), 1);
		w += 4;
	} else {
		uint8_t *len = NULL;
		*w++ = 0x80, *w++ = 14, len = w++;
		*w++ = 0, *w++ = 2, *w++ = 1, *w++ = nh_ll ? 32 : 16;
		assert_int_equal(inet_pton(AF_INET6, nh, w), 1);
		w += 16;
		if (nh_ll) {
			assert_int_equal(inet_pton(AF_INET6, nh_ll, w), 1);
			w += 16;
		}
		*w++ = 0;
		*w++ = pfx.len;
		memcpy(w, pfx.a, plen);
		w += plen;
		*len = (uint8_t)(w - len - 1);
	}
	size_t attr_len = (size_t)(w - body - 4);
	body[0] = body[1] = 0;
	body[2] = (uint8_t)(attr_len >> 8);
	body[3] = (uint8_t)attr_len;
	if (pfx.family == AF_INET) {
		*w++ = pfx.len;
		memcpy(w, pfx.a, plen);
		w += plen;
	}
	struct bgp_update u;
	struct bgp_decode_opts o = { .as4 = true };
	assert_int_equal(bgp_update_decode(body, (size_t)(w - body), &o, scratch, sizeof(scratch), &u),
			 BGP_ACT_NONE);
	rib_update(p, &u);
	p->stats.update_in++;
}

static void local_route(struct bgp_speaker *s, uint8_t kind, const char *prefix, uint8_t origin,
			const char *nh)
{
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_MED);
	a.origin = origin;
	if (nh) {
		struct in_addr in;
		assert_int_equal(inet_pton(AF_INET, nh, &in), 1);
		a.nexthop = ntohl(in.s_addr);
		a.have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	}
	struct prefix p = pfx_of(prefix);
	assert_true(bgp_local_add(s, kind, &p, &a));
}

static void run(struct fixture *f)
{
	for (int i = 0; i < 20; i++)
		loop_run_once(f->loop, 0);
}

static int setup(void **state)
{
	static struct fixture f;
	memset(&f, 0, sizeof(f));
	f.loop = loop_new();
	assert_non_null(f.loop);
	f.log = (struct logger){ .level = LOG_LVL_ERR, .tag = "test_show" };
	struct bgp_speaker_cfg c;
	bgp_speaker_cfg_defaults(&c);
	c.asn = 65001;
	c.router_id = 0x0a000004;
	c.listen_port = 0;
	c.hostname = "vm-hub00";
	f.s = bgp_speaker_new(f.loop, &f.log, &c);
	assert_non_null(f.s);
	struct conf_errors errs = CONF_ERRORS_INIT;
	f.conf = conf_parse(ref_policy, strlen(ref_policy), "ref.conf", &errs);
	assert_non_null(f.conf);
	f.pol = policy_compile(f.conf, &errs);
	assert_non_null(f.pol);
	assert_int_equal(errs.n, 0);
	conf_errors_free(&errs);
	bgp_speaker_set_policy(f.s, f.pol, true);
	f.rs4 = add_peer(f.s, "10.0.210.4", 65515, rs_cfg);
	f.rs5 = add_peer(f.s, "10.0.210.5", 65515, rs_cfg);
	f.rs8 = add_peer(f.s, "10.0.210.8", 65515, shut_cfg);
	f.rs9 = add_peer(f.s, "10.0.210.9", 65003, multihop_cfg);
	f.fw6 = add_peer(f.s, "10.0.220.6", 65002, fw_cfg);
	f.v6 = add_peer(f.s, "fd00:4::2", 65515, v6_cfg);
	f.rs9->conn[0].state = BGP_ST_CONNECT; /* a connection attempt under way */

	local_route(f.s, BGP_LOCAL_STATIC, "10.10.0.0/16", BGP_ORIGIN_INCOMPLETE, "10.0.0.1");
	local_route(f.s, BGP_LOCAL_NETWORK, "fd00:10::/48", BGP_ORIGIN_IGP, NULL);
	establish(f.rs4, "10.0.0.4", 0x0a00d204, 20, "rs4");
	establish(f.rs5, "10.0.0.4", 0x0a00d205, 19, "rs5");
	establish(f.fw6, "10.0.220.1", 0x0a00dc06, 18, "rs6");
	establish(f.v6, "fd00:4::1", 0x0a00d204, 20, "rs4");
	run(&f);

	static const uint32_t rs[] = { 65515 }, rs_far[] = { 65515, 12076, 12076 },
			      fw[] = { 65002 };
	feed(f.rs4, "10.0.0.0/16", rs, 1, "10.0.210.4", NULL);
	feed(f.rs4, "10.100.0.0/16", rs_far, 3, "10.0.210.4", NULL);
	feed(f.rs5, "10.0.0.0/16", rs, 1, "10.0.210.5", NULL);
	feed(f.rs5, "10.100.0.0/16", rs_far, 3, "10.0.210.5", NULL);
	feed(f.fw6, "10.200.0.0/16", fw, 1, "10.0.220.6", NULL);
	feed(f.v6, "2001:db8:100::/48", rs_far, 3, "fd00:4::2", "fe80::a0a9:adff:fe92:f773");
	run(&f);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	bgp_speaker_free(f->s);
	loop_free(f->loop);
	policy_free(f->pol);
	conf_free(f->conf);
	return 0;
}

/* Compares out with the expected lines; a line ending in '*' is a prefix. */
static void expect_lines(const char *out, const char *const *want, size_t n)
{
	const char *p = out;
	for (size_t i = 0; i < n; i++) {
		const char *nl = strchr(p, '\n');
		if (!nl)
			fail_msg("output ends before line %zu (\"%s\"):\n%s", i + 1, want[i], out);
		size_t len = (size_t)(nl - p), wl = strlen(want[i]);
		bool prefix = wl && want[i][wl - 1] == '*';
		bool ok = prefix ? len >= wl - 1 && strncmp(p, want[i], wl - 1) == 0
				 : len == wl && strncmp(p, want[i], wl) == 0;
		if (!ok)
			fail_msg("line %zu:\n  got  \"%.*s\"\n  want \"%s\"\nwhole output:\n%s", i + 1,
				 (int)len, p, want[i], out);
		p = nl + 1;
	}
	if (*p)
		fail_msg("extra output after %zu lines:\n%s", n, p);
}

#define EXPECT(out, ...)                                                                  \
	do {                                                                              \
		static const char *const want_[] = { __VA_ARGS__ };                       \
		expect_lines((out), want_, sizeof(want_) / sizeof(want_[0]));             \
	} while (0)

static json_object *jget(json_object *o, const char *path)
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", path);
	char *save = NULL;
	for (char *k = strtok_r(buf, "|", &save); k; k = strtok_r(NULL, "|", &save)) {
		json_object *next = NULL;
		if (json_object_is_type(o, json_type_array))
			next = json_object_array_get_idx(o, (size_t)atoi(k));
		else if (!o || !json_object_object_get_ex(o, k, &next))
			next = NULL;
		if (!next)
			fail_msg("JSON field \"%s\" missing (at \"%s\")", path, k);
		o = next;
	}
	return o;
}

static const struct bgp_show_opts opts = { .now = NOW };

static const char *const TABLE_HEAD[] = {
	"Default local pref 100, local AS 65001",
	"Status codes:  s suppressed, d damped, h history, * valid, > best, = multipath,",
	"               i internal, r RIB-failure, S Stale, R Removed",
	"Nexthop codes: @NNN nexthop's vrf id, < announce-nh-self",
	"Origin codes:  i - IGP, e - EGP, ? - incomplete",
	"RPKI validation codes: V valid, I invalid, N Not found",
	"",
	"   Network          Next Hop            Metric LocPrf Weight Path",
};

static void test_summary(void **state)
{
	struct fixture *f = *state;
	/* The message counters of the capture. */
	struct bgp_peer_stats st = { .open_in = 1, .open_out = 1, .keepalive_in = 1,
				     .keepalive_out = 1, .update_in = 4, .update_out = 2,
				     .established = 1 };
	f->rs4->stats = f->rs5->stats = st;
	f->fw6->stats = (struct bgp_peer_stats){ .open_in = 1, .open_out = 1, .keepalive_in = 1,
						 .keepalive_out = 1, .update_in = 2,
						 .update_out = 1, .established = 1 };
	uint32_t sent5 = f->rs5->af[BGP_FAM_IPV4].pfx_sent;
	f->rs5->af[BGP_FAM_IPV4].pfx_sent = 1; /* FRR's outbound filter kept 1 */
	struct strbuf out = STRBUF_INIT;
	bgp_show_summary(f->s, BGP_FAM_IPV4, false, &opts, &out);
	EXPECT(strbuf_str(&out), "", "IPv4 Unicast Summary (VRF default):",
	       "BGP router identifier 10.0.0.4, local AS number 65001 vrf-id 0",
	       "BGP table version *", "RIB entries *", "Peers 5, using *", "",
	       "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc",
	       "10.0.210.4      4      65515         6         4        0    0    0 00:00:20            2        1 N/A",
	       "10.0.210.5      4      65515         6         4        0    0    0 00:00:19            2        1 N/A",
	       "10.0.210.8      4      65515         0         0        0    0    0    never Idle (Admin)        0 N/A",
	       "10.0.210.9      4      65003         0         0        0    0    0    never      Connect        0 N/A",
	       "10.0.220.6      4      65002         4         3        0    0    0 00:00:18     (Policy) (Policy) spoke firewall",
	       "", "Total number of neighbors 5");

	/* show bgp ipv6 unicast summary: no title (FRR names no family then). */
	strbuf_reset(&out);
	struct bgp_show_opts named = { .now = NOW, .afi_safi = true };
	f->v6->stats = (struct bgp_peer_stats){ .open_in = 1, .open_out = 2, .keepalive_in = 1,
						.keepalive_out = 1, .update_in = 4, .update_out = 4,
						.notify_in = 2, .refresh_in = 2, .refresh_out = 1,
						.established = 1 };
	bgp_show_summary(f->s, BGP_FAM_IPV6, false, &named, &out);
	EXPECT(strbuf_str(&out), "BGP router identifier 10.0.0.4, local AS number 65001 vrf-id 0",
	       "BGP table version *", "RIB entries *", "Peers 1, using *", "",
	       "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc",
	       "fd00:4::2       4      65515        10         8        0    0    0 00:00:20            1        1 N/A",
	       "", "Total number of neighbors 1");

	strbuf_reset(&out);
	bgp_show_summary(f->s, BGP_FAM_IPV4, true, &opts, &out);
	json_object *j = json_tokener_parse(strbuf_str(&out));
	assert_non_null(j);
	assert_string_equal(json_object_get_string(jget(j, "ipv4Unicast|routerId")), "10.0.0.4");
	assert_int_equal(json_object_get_int(jget(j, "ipv4Unicast|as")), 65001);
	assert_int_equal(json_object_get_int(jget(j, "ipv4Unicast|peerCount")), 5);
	assert_int_equal(json_object_get_int(jget(j, "ipv4Unicast|failedPeers")), 2);
	assert_int_equal(json_object_get_int(jget(j, "ipv4Unicast|totalPeers")), 5);
	assert_string_equal(json_object_get_string(jget(j, "ipv4Unicast|bestPath|multiPathRelax")), "false");
	const char *rs4 = "ipv4Unicast|peers|10.0.210.4|";
	char k[128];
#define K(field) (snprintf(k, sizeof(k), "%s%s", rs4, field), k)
	assert_int_equal(json_object_get_int(jget(j, K("remoteAs"))), 65515);
	assert_int_equal(json_object_get_int(jget(j, K("msgRcvd"))), 6);
	assert_int_equal(json_object_get_int(jget(j, K("pfxRcd"))), 2);
	assert_int_equal(json_object_get_int(jget(j, K("pfxSnt"))), 1);
	assert_string_equal(json_object_get_string(jget(j, K("peerUptime"))), "00:00:20");
	assert_int_equal(json_object_get_int64(jget(j, K("peerUptimeMsec"))), 20000);
	assert_int_equal(json_object_get_int64(jget(j, K("peerUptimeEstablishedEpoch"))), NOW - 20);
	assert_string_equal(json_object_get_string(jget(j, K("state"))), "Established");
	assert_string_equal(json_object_get_string(jget(j, K("peerState"))), "OK");
	assert_string_equal(json_object_get_string(jget(j, K("hostname"))), "rs4");
	assert_string_equal(json_object_get_string(jget(j, K("idType"))), "ipv4");
	assert_string_equal(json_object_get_string(jget(j, "ipv4Unicast|peers|10.0.210.8|state")),
			    "Idle (Admin)");
	assert_string_equal(json_object_get_string(jget(j, "ipv4Unicast|peers|10.0.210.8|peerState")),
			    "Admin");
	assert_string_equal(json_object_get_string(jget(j, "ipv4Unicast|peers|10.0.220.6|peerState")),
			    "Policy");
	assert_string_equal(json_object_get_string(jget(j, "ipv4Unicast|peers|10.0.220.6|desc")),
			    "spoke firewall");
	json_object_put(j);

	/* Named family: not wrapped. */
	strbuf_reset(&out);
	bgp_show_summary(f->s, BGP_FAM_IPV6, true, &named, &out);
	j = json_tokener_parse(strbuf_str(&out));
	assert_int_equal(json_object_get_int(jget(j, "peers|fd00:4::2|pfxRcd")), 1);
	assert_string_equal(json_object_get_string(jget(j, "peers|fd00:4::2|idType")), "ipv6");
	json_object_put(j);
	f->rs5->af[BGP_FAM_IPV4].pfx_sent = sent5;
	strbuf_free(&out);
}

static void test_table(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	bgp_show_routes(f->s, BGP_FAM_IPV4, NULL, false, &opts, &out);
	const char *s = strbuf_str(&out);
	assert_true(strncmp(s, "BGP table version is ", 21) == 0);
	const char *nl = strchr(s, '\n');
	assert_true(strncmp(strstr(s, ","), ", local router ID is 10.0.0.4, vrf id 0\n", 40) == 0);
	EXPECT(nl + 1, TABLE_HEAD[0], TABLE_HEAD[1], TABLE_HEAD[2], TABLE_HEAD[3], TABLE_HEAD[4],
	       TABLE_HEAD[5], TABLE_HEAD[6], TABLE_HEAD[7],
	       "*= 10.0.0.0/16      10.0.210.5               0             0 65515 i",
	       "*>                  10.0.210.4               0             0 65515 i",
	       "*> 10.10.0.0/16     10.0.0.1                 0         32768 ?",
	       "*= 10.100.0.0/16    10.0.210.5               0             0 65515 12076 12076 i",
	       "*>                  10.0.210.4               0             0 65515 12076 12076 i",
	       "", "Displayed  3 routes and 5 total paths");

	/* IPv6: a long prefix and a link-local next hop wrap as in FRR. */
	strbuf_reset(&out);
	bgp_show_routes(f->s, BGP_FAM_IPV6, NULL, false, &opts, &out);
	s = strbuf_str(&out);
	nl = strchr(s, '\n');
	EXPECT(nl + 1, TABLE_HEAD[0], TABLE_HEAD[1], TABLE_HEAD[2], TABLE_HEAD[3], TABLE_HEAD[4],
	       TABLE_HEAD[5], TABLE_HEAD[6], TABLE_HEAD[7], "*> 2001:db8:100::/48",
	       "                    fe80::a0a9:adff:fe92:f773",
	       "                                             0             0 65515 12076 12076 i",
	       "*> fd00:10::/48     ::                       0         32768 i", "",
	       "Displayed  2 routes and 2 total paths");

	strbuf_reset(&out);
	bgp_show_routes(f->s, BGP_FAM_IPV4, NULL, true, &opts, &out);
	json_object *j = json_tokener_parse(strbuf_str(&out));
	assert_non_null(j);
	assert_int_equal(json_object_get_int(jget(j, "localAS")), 65001);
	assert_int_equal(json_object_get_int(jget(j, "defaultLocPrf")), 100);
	assert_string_equal(json_object_get_string(jget(j, "routerId")), "10.0.0.4");
	assert_string_equal(json_object_get_string(jget(j, "vrfName")), "default");
	assert_true(json_object_get_boolean(jget(j, "routes|10.0.0.0/16|0|multipath")));
	assert_true(json_object_get_boolean(jget(j, "routes|10.0.0.0/16|1|bestpath")));
	assert_string_equal(json_object_get_string(jget(j, "routes|10.0.0.0/16|1|selectionReason")),
			    "Older Path");
	assert_string_equal(json_object_get_string(jget(j, "routes|10.0.0.0/16|1|pathFrom")), "external");
	assert_string_equal(json_object_get_string(jget(j, "routes|10.0.0.0/16|1|peerId")), "10.0.210.4");
	assert_string_equal(json_object_get_string(jget(j, "routes|10.0.0.0/16|1|network")), "10.0.0.0/16");
	assert_string_equal(json_object_get_string(jget(j, "routes|10.0.0.0/16|1|prefix")), "10.0.0.0");
	assert_int_equal(json_object_get_int(jget(j, "routes|10.0.0.0/16|1|prefixLen")), 16);
	assert_string_equal(json_object_get_string(jget(j, "routes|10.0.0.0/16|1|origin")), "IGP");
	assert_string_equal(json_object_get_string(jget(j, "routes|10.100.0.0/16|0|path")),
			    "65515 12076 12076");
	assert_string_equal(json_object_get_string(jget(j, "routes|10.0.0.0/16|1|nexthops|0|ip")),
			    "10.0.210.4");
	assert_string_equal(json_object_get_string(jget(j, "routes|10.0.0.0/16|1|nexthops|0|afi")), "ipv4");
	assert_true(json_object_get_boolean(jget(j, "routes|10.0.0.0/16|1|nexthops|0|used")));
	assert_int_equal(json_object_get_int(jget(j, "routes|10.10.0.0/16|0|weight")), 32768);
	assert_string_equal(json_object_get_string(jget(j, "routes|10.10.0.0/16|0|peerId")), "(unspec)");
	assert_string_equal(json_object_get_string(jget(j, "routes|10.10.0.0/16|0|path")), "");
	assert_string_equal(json_object_get_string(jget(j, "routes|10.10.0.0/16|0|origin")), "incomplete");
	json_object_put(j);
	strbuf_free(&out);
}

static void test_detail(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	struct prefix p = pfx_of("10.10.0.0/16");
	bgp_show_routes(f->s, BGP_FAM_IPV4, &p, false, &opts, &out);
	EXPECT(strbuf_str(&out), "BGP routing table entry for 10.10.0.0/16, version *",
	       "Paths: (1 available, best #1, table default)",
	       "  Advertised to non peer-group peers:", "  10.0.210.4 10.0.210.5", "  Local",
	       "    10.0.0.1 from 0.0.0.0 (10.0.0.4)",
	       "      Origin incomplete, metric 0, weight 32768, valid, sourced, best (First path received)");

	strbuf_reset(&out);
	p = pfx_of("10.100.0.0/16");
	bgp_show_routes(f->s, BGP_FAM_IPV4, &p, false, &opts, &out);
	/* route-map rmap-azure-asns keeps it from both Route Servers. */
	EXPECT(strbuf_str(&out), "BGP routing table entry for 10.100.0.0/16, version *",
	       "Paths: (2 available, best #2, table default)",
	       "  Not advertised to any peer", "  65515 12076 12076",
	       "    10.0.210.5 from 10.0.210.5 (10.0.210.5)",
	       "      Origin IGP, metric 0, valid, external, multipath", "  65515 12076 12076",
	       "    10.0.210.4 from 10.0.210.4 (10.0.210.4)",
	       "      Origin IGP, metric 0, valid, external, multipath, best (Older Path)");

	strbuf_reset(&out);
	p = pfx_of("2001:db8:100::/48");
	bgp_show_routes(f->s, BGP_FAM_IPV6, &p, false, &opts, &out);
	EXPECT(strbuf_str(&out), "BGP routing table entry for 2001:db8:100::/48, version *",
	       "Paths: (1 available, best #1, table default)", "  Not advertised to any peer",
	       "  65515 12076 12076", "    fd00:4::2 from fd00:4::2 (10.0.210.4)",
	       "    (fe80::a0a9:adff:fe92:f773) (used)",
	       "      Origin IGP, metric 0, valid, external, best (First path received)");

	strbuf_reset(&out);
	p = pfx_of("10.55.0.0/16");
	bgp_show_routes(f->s, BGP_FAM_IPV4, &p, false, &opts, &out);
	assert_string_equal(strbuf_str(&out), "% Network not in table\n");
	/* Denied by RFC 8212 (no inbound policy): not in the table either. */
	strbuf_reset(&out);
	p = pfx_of("10.200.0.0/16");
	bgp_show_routes(f->s, BGP_FAM_IPV4, &p, false, &opts, &out);
	assert_string_equal(strbuf_str(&out), "% Network not in table\n");

	strbuf_reset(&out);
	p = pfx_of("10.0.0.0/16");
	bgp_show_routes(f->s, BGP_FAM_IPV4, &p, true, &opts, &out);
	json_object *j = json_tokener_parse(strbuf_str(&out));
	assert_non_null(j);
	assert_string_equal(json_object_get_string(jget(j, "prefix")), "10.0.0.0/16");
	assert_string_equal(json_object_get_string(jget(j, "paths|1|aspath|string")), "65515");
	assert_string_equal(json_object_get_string(jget(j, "paths|1|aspath|segments|0|type")), "as-sequence");
	assert_int_equal(json_object_get_int(jget(j, "paths|1|aspath|segments|0|list|0")), 65515);
	assert_int_equal(json_object_get_int(jget(j, "paths|1|aspath|length")), 1);
	assert_true(json_object_get_boolean(jget(j, "paths|1|bestpath|overall")));
	assert_string_equal(json_object_get_string(jget(j, "paths|1|bestpath|selectionReason")), "Older Path");
	assert_true(json_object_get_boolean(jget(j, "paths|1|multipath")));
	assert_string_equal(json_object_get_string(jget(j, "paths|1|peer|peerId")), "10.0.210.4");
	assert_string_equal(json_object_get_string(jget(j, "paths|1|peer|routerId")), "10.0.210.4");
	assert_string_equal(json_object_get_string(jget(j, "paths|1|peer|type")), "external");
	assert_string_equal(json_object_get_string(jget(j, "paths|1|peer|hostname")), "rs4");
	assert_true(json_object_get_boolean(jget(j, "paths|1|nexthops|0|accessible")));
	json_object *adv = NULL;
	assert_false(json_object_object_get_ex(j, "advertisedTo", &adv));
	json_object_put(j);
	strbuf_reset(&out);
	p = pfx_of("10.10.0.0/16");
	bgp_show_routes(f->s, BGP_FAM_IPV4, &p, true, &opts, &out);
	j = json_tokener_parse(strbuf_str(&out));
	assert_non_null(j);
	assert_string_equal(json_object_get_string(jget(j, "advertisedTo|10.0.210.5|hostname")), "rs5");
	json_object_put(j);
	strbuf_free(&out);
}

/* bgp_peer_routes, the walk behind received-routes for programs (azlab's
 * Route Servers): as received or as accepted, with the verdict. */
struct walked {
	char line[8][96];
	unsigned n;
};

static void walk_cb(void *ctx, const struct prefix *p, const struct bgp_attrs *a, bool accepted)
{
	struct walked *w = ctx;
	char pb[PREFIX_STRLEN];
	struct strbuf path = STRBUF_INIT;
	bgp_aspath_fmt(a->aspath, &path);
	if (w->n < 8)
		snprintf(w->line[w->n], sizeof w->line[0], "%s %s %s", prefix_fmt(p, pb, sizeof pb),
			 strbuf_str(&path), accepted ? "accepted" : "denied");
	w->n++;
	strbuf_free(&path);
}

static void test_peer_routes(void **state)
{
	struct fixture *f = *state;
	struct walked w = { 0 };
	assert_int_equal(bgp_peer_routes(f->rs4, BGP_FAM_IPV4, true, walk_cb, &w), 2);
	assert_string_equal(w.line[0], "10.0.0.0/16 65515 accepted");
	assert_string_equal(w.line[1], "10.100.0.0/16 65515 12076 12076 accepted");
	/* The firewall's route: kept as received, denied for want of policy. */
	memset(&w, 0, sizeof w);
	assert_int_equal(bgp_peer_routes(f->fw6, BGP_FAM_IPV4, true, walk_cb, &w), 1);
	assert_string_equal(w.line[0], "10.200.0.0/16 65002 denied");
	memset(&w, 0, sizeof w);
	assert_int_equal(bgp_peer_routes(f->fw6, BGP_FAM_IPV4, false, walk_cb, &w), 0);
	assert_int_equal(bgp_peer_routes(f->rs4, BGP_FAM_IPV6, true, walk_cb, &w), 0);
	assert_true(bgp_peer_updates_in(f->rs4) >= 2);
}

static void test_neighbor_routes(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	struct ipaddr a = addr_of("10.0.210.4");
	/* The reference: one prefix advertised to 10.0.210.4. */
	assert_true(bgp_show_neighbor_routes(f->s, &a, BGP_FAM_IPV4, BGP_SHOW_ADVERTISED, false, &opts, &out));
	const char *s = strbuf_str(&out);
	EXPECT(strchr(s, '\n') + 1, TABLE_HEAD[0], TABLE_HEAD[1], TABLE_HEAD[2], TABLE_HEAD[3],
	       TABLE_HEAD[4], TABLE_HEAD[5], TABLE_HEAD[6], TABLE_HEAD[7],
	       "*> 10.10.0.0/16     0.0.0.0                  0         32768 ?", "",
	       "Total number of prefixes 1");

	/* ...and two received from it, before policy. */
	strbuf_reset(&out);
	assert_true(bgp_show_neighbor_routes(f->s, &a, BGP_FAM_IPV4, BGP_SHOW_RECEIVED, false, &opts, &out));
	s = strbuf_str(&out);
	EXPECT(strchr(s, '\n') + 1, TABLE_HEAD[0], TABLE_HEAD[1], TABLE_HEAD[2], TABLE_HEAD[3],
	       TABLE_HEAD[4], TABLE_HEAD[5], TABLE_HEAD[6], TABLE_HEAD[7],
	       "*> 10.0.0.0/16      10.0.210.4               0             0 65515 i",
	       "*> 10.100.0.0/16    10.0.210.4               0             0 65515 12076 12076 i", "",
	       "Total number of prefixes 2");

	strbuf_reset(&out);
	assert_true(bgp_show_neighbor_routes(f->s, &a, BGP_FAM_IPV4, BGP_SHOW_ROUTES, false, &opts, &out));
	s = strbuf_str(&out);
	EXPECT(strchr(s, '\n') + 1, TABLE_HEAD[0], TABLE_HEAD[1], TABLE_HEAD[2], TABLE_HEAD[3],
	       TABLE_HEAD[4], TABLE_HEAD[5], TABLE_HEAD[6], TABLE_HEAD[7],
	       "*> 10.0.0.0/16      10.0.210.4               0             0 65515 i",
	       "*> 10.100.0.0/16    10.0.210.4               0             0 65515 12076 12076 i", "",
	       "Displayed  2 routes and 5 total paths");

	/* Advertised to an eBGP peer: FRR shows the path before our AS is
	 * prepended and 0.0.0.0 for the next hop we set to ourselves. Without
	 * its outbound route-map and prefix-list (a soft out), rs5 gets the
	 * Route Server routes too. */
	struct bgp_peer_cfg c5 = f->rs5->cfg;
	c5.af[BGP_FAM_IPV4].rmap_out[0] = c5.af[BGP_FAM_IPV4].plist_out[0] = '\0';
	assert_false(bgp_peer_set(f->rs5, &c5));
	run(f);
	strbuf_reset(&out);
	struct ipaddr a5 = addr_of("10.0.210.5");
	assert_true(bgp_show_neighbor_routes(f->s, &a5, BGP_FAM_IPV4, BGP_SHOW_ADVERTISED, false, &opts, &out));
	s = strbuf_str(&out);
	const char *row = strstr(s, "\n*> 10.100.0.0/16    0.0.0.0          ");
	assert_non_null(row);
	assert_true(strncmp(strchr(row + 1, '\n') - 27, "      0 65515 12076 12076 i", 27) == 0);

	/* The firewall sent one route, denied for want of policy: received
	 * shows it, routes shows nothing (as FRR: empty output). */
	strbuf_reset(&out);
	struct ipaddr a6 = addr_of("10.0.220.6");
	assert_true(bgp_show_neighbor_routes(f->s, &a6, BGP_FAM_IPV4, BGP_SHOW_RECEIVED, false, &opts, &out));
	assert_non_null(strstr(strbuf_str(&out),
			       "\n*> 10.200.0.0/16    10.0.220.6               0             0 65002 i\n\nTotal number of prefixes 1\n"));
	strbuf_reset(&out);
	assert_true(bgp_show_neighbor_routes(f->s, &a6, BGP_FAM_IPV4, BGP_SHOW_ROUTES, false, &opts, &out));
	assert_string_equal(strbuf_str(&out), "");
	strbuf_reset(&out);
	assert_true(bgp_show_neighbor_routes(f->s, &a6, BGP_FAM_IPV4, BGP_SHOW_ADVERTISED, false, &opts, &out));
	assert_string_equal(strbuf_str(&out), "");

	/* Errors, in FRR's words. */
	strbuf_reset(&out);
	struct ipaddr a8 = addr_of("10.0.210.8");
	assert_false(bgp_show_neighbor_routes(f->s, &a8, BGP_FAM_IPV4, BGP_SHOW_RECEIVED, false, &opts, &out));
	assert_string_equal(strbuf_str(&out), "% Inbound soft reconfiguration not enabled\n");
	strbuf_reset(&out);
	assert_false(bgp_show_neighbor_routes(f->s, &a8, BGP_FAM_IPV4, BGP_SHOW_RECEIVED, true, &opts, &out));
	json_object *j = json_tokener_parse(strbuf_str(&out));
	assert_string_equal(json_object_get_string(jget(j, "warning")), "Inbound soft reconfiguration not enabled");
	json_object_put(j);
	strbuf_reset(&out);
	struct ipaddr none = addr_of("10.9.9.9");
	assert_false(bgp_show_neighbor_routes(f->s, &none, BGP_FAM_IPV4, BGP_SHOW_ROUTES, false, &opts, &out));
	assert_string_equal(strbuf_str(&out), "No such neighbor in this view/vrf\n");
	strbuf_reset(&out);
	assert_false(bgp_show_neighbor_routes(f->s, &a, BGP_FAM_IPV6, BGP_SHOW_ROUTES, false, &opts, &out));
	assert_string_equal(strbuf_str(&out), "% No such neighbor or address family\n");

	strbuf_reset(&out);
	assert_true(bgp_show_neighbor_routes(f->s, &a, BGP_FAM_IPV4, BGP_SHOW_ADVERTISED, true, &opts, &out));
	j = json_tokener_parse(strbuf_str(&out));
	assert_non_null(j);
	assert_int_equal(json_object_get_int(jget(j, "totalPrefixCounter")), 1);
	assert_int_equal(json_object_get_int(jget(j, "filteredPrefixCounter")), 0);
	assert_string_equal(json_object_get_string(jget(j, "bgpLocalRouterId")), "10.0.0.4");
	assert_string_equal(json_object_get_string(jget(j, "bgpStatusCodes|multipath")), "=");
	assert_string_equal(json_object_get_string(jget(j, "advertisedRoutes|10.10.0.0/16|nextHop")), "0.0.0.0");
	assert_int_equal(json_object_get_int(jget(j, "advertisedRoutes|10.10.0.0/16|weight")), 32768);
	assert_string_equal(json_object_get_string(jget(j, "advertisedRoutes|10.10.0.0/16|path")), "");
	assert_string_equal(json_object_get_string(jget(j, "advertisedRoutes|10.10.0.0/16|bgpOriginCode")), "?");
	assert_true(json_object_get_boolean(jget(j, "advertisedRoutes|10.10.0.0/16|appliedStatusSymbols|>")));
	json_object_put(j);

	strbuf_reset(&out);
	assert_true(bgp_show_neighbor_routes(f->s, &a, BGP_FAM_IPV4, BGP_SHOW_RECEIVED, true, &opts, &out));
	j = json_tokener_parse(strbuf_str(&out));
	assert_string_equal(json_object_get_string(jget(j, "receivedRoutes|10.100.0.0/16|path")),
			    "65515 12076 12076");
	assert_string_equal(json_object_get_string(jget(j, "receivedRoutes|10.0.0.0/16|nextHop")), "10.0.210.4");
	json_object_put(j);
	strbuf_free(&out);
}

static void test_neighbors(void **state)
{
	struct fixture *f = *state;
	struct strbuf out = STRBUF_INIT;
	struct ipaddr a = addr_of("10.0.210.4");
	f->rs4->stats = (struct bgp_peer_stats){ .open_in = 1, .open_out = 1, .keepalive_in = 1,
						 .keepalive_out = 1, .update_in = 4, .update_out = 2,
						 .established = 1 };
	bgp_show_neighbors(f->s, &a, false, &opts, &out);
	EXPECT(strbuf_str(&out),
	       "BGP neighbor is 10.0.210.4, remote AS 65515, local AS 65001, external link",
	       "  Local Role: undefined", "  Remote Role: undefined", "Hostname: rs4",
	       "  BGP version 4, remote router ID 10.0.210.4, local router ID 10.0.0.4",
	       "  BGP state = Established, up for 00:00:20",
	       "  Hold time is 180 seconds, keepalive interval is 60 seconds",
	       "  Configured hold time is 180 seconds, keepalive interval is 60 seconds",
	       "  Neighbor capabilities:", "    4 Byte AS: advertised and received",
	       "    Extended Message: advertised and received",
	       "    Route refresh: advertised and received",
	       "    Enhanced Route Refresh: advertised and received",
	       "    Address Family IPv4 Unicast: advertised and received",
	       "    Hostname Capability: advertised (name: vm-hub00,domain name: n/a) received (name: rs4,domain name: n/a)",
	       "  Message statistics:", "    Inq depth is 0", "    Outq depth is 0",
	       "                         Sent       Rcvd",
	       "    Opens:                  1          1",
	       "    Notifications:          0          0",
	       "    Updates:                2          4",
	       "    Keepalives:             1          1",
	       "    Route Refresh:          0          0",
	       "    Capability:             0          0",
	       "    Total:                  4          6",
	       "  Minimum time between advertisement runs is 0 seconds", "",
	       " For address family: IPv4 Unicast", "  Inbound soft reconfiguration allowed",
	       "  Community attribute sent to this neighbor(all)",
	       "  Inbound path policy configured", "  Outbound path policy configured",
	       "  2 accepted prefixes", "", "  Connections established 1; dropped 0",
	       "  Last reset never", "  External BGP neighbor may be up to 255 hops away.",
	       "Local host: 10.0.0.4, Local port: -1", "Foreign host: 10.0.210.4, Foreign port: -1",
	       "Nexthop: 10.0.0.4", "Nexthop global: ::", "Nexthop local: ::",
	       "BGP Connect Retry Timer in Seconds: 120", "");

	strbuf_reset(&out);
	a = addr_of("10.0.210.8");
	bgp_show_neighbors(f->s, &a, false, &opts, &out);
	const char *s = strbuf_str(&out);
	assert_non_null(strstr(s, "  Remote Role: undefined\n Administratively shut down\n"
				  "  BGP version 4, remote router ID 0.0.0.0, local router ID 10.0.0.4\n"
				  "  BGP state = Idle\n"));
	assert_non_null(strstr(s, "  Inbound updates discarded due to missing policy\n"
				  "  Outbound updates discarded due to missing policy\n"
				  "  0 accepted prefixes\n"));
	assert_non_null(strstr(s, "  External BGP neighbor may be up to 1 hops away.\n"));
	assert_null(strstr(s, "Neighbor capabilities"));

	strbuf_reset(&out);
	a = addr_of("10.0.220.6");
	bgp_show_neighbors(f->s, &a, false, &opts, &out);
	assert_non_null(strstr(strbuf_str(&out), "  Remote Role: undefined\n Description: spoke firewall\nHostname: rs6\n"));

	strbuf_reset(&out);
	a = addr_of("10.9.9.9");
	bgp_show_neighbors(f->s, &a, false, &opts, &out);
	assert_string_equal(strbuf_str(&out), "% No such neighbor in this view/vrf\n\n");
	strbuf_reset(&out);
	bgp_show_neighbors(f->s, &a, true, &opts, &out);
	json_object *j = json_tokener_parse(strbuf_str(&out));
	assert_true(json_object_get_boolean(jget(j, "bgpNoSuchNeighbor")));
	json_object_put(j);

	/* All of them, by address; and JSON. */
	strbuf_reset(&out);
	bgp_show_neighbors(f->s, NULL, false, &opts, &out);
	s = strbuf_str(&out);
	const char *order[] = { "10.0.210.4,", "10.0.210.5,", "10.0.210.8,", "10.0.210.9,", "10.0.220.6,", "fd00:4::2," };
	const char *at = s;
	for (size_t i = 0; i < 6; i++) {
		char want[64];
		snprintf(want, sizeof(want), "BGP neighbor is %s", order[i]);
		at = strstr(at, want);
		assert_non_null(at);
	}
	strbuf_reset(&out);
	bgp_show_neighbors(f->s, NULL, true, &opts, &out);
	j = json_tokener_parse(strbuf_str(&out));
	assert_non_null(j);
	assert_int_equal(json_object_get_int(jget(j, "10.0.210.4|remoteAs")), 65515);
	assert_true(json_object_get_boolean(jget(j, "10.0.210.4|nbrExternalLink")));
	assert_string_equal(json_object_get_string(jget(j, "10.0.210.4|bgpState")), "Established");
	assert_int_equal(json_object_get_int64(jget(j, "10.0.210.4|bgpTimerUpMsec")), 20000);
	assert_string_equal(json_object_get_string(jget(j, "10.0.210.4|neighborCapabilities|4byteAs")),
			    "advertisedAndReceived");
	assert_true(json_object_get_boolean(jget(j, "10.0.210.4|neighborCapabilities|multiprotocolExtensions|ipv4Unicast|advertisedAndReceived")));
	assert_int_equal(json_object_get_int(jget(j, "10.0.210.4|messageStats|totalRecv")), 6);
	assert_int_equal(json_object_get_int(jget(j, "10.0.210.4|addressFamilyInfo|ipv4Unicast|acceptedPrefixCounter")), 2);
	assert_true(json_object_get_boolean(jget(j, "10.0.210.4|addressFamilyInfo|ipv4Unicast|inboundSoftConfigPermit")));
	assert_int_equal(json_object_get_int(jget(j, "10.0.210.4|externalBgpNbrMaxHopsAway")), 255);
	assert_true(json_object_get_boolean(jget(j, "10.0.210.8|adminShutDown")));
	assert_string_equal(json_object_get_string(jget(j, "10.0.210.8|hostLocal")), "Unknown");
	assert_string_equal(json_object_get_string(jget(j, "10.0.220.6|nbrDesc")), "spoke firewall");
	assert_string_equal(json_object_get_string(jget(j, "10.0.220.6|addressFamilyInfo|ipv4Unicast|inboundEbgpRequiresPolicy")),
			    "Inbound updates discarded due to missing policy");
	json_object_put(j);
	strbuf_free(&out);
}

static void test_uptime(void **state)
{
	(void)state;
	char b[32];
	assert_string_equal(bgp_fmt_uptime(0, NOW, b, sizeof(b)), "never");
	assert_string_equal(bgp_fmt_uptime(NOW - 59, NOW, b, sizeof(b)), "00:00:59");
	assert_string_equal(bgp_fmt_uptime(NOW - 86399, NOW, b, sizeof(b)), "23:59:59");
	assert_string_equal(bgp_fmt_uptime(NOW - (86400 + 2 * 3600 + 3 * 60 + 4), NOW, b, sizeof(b)),
			    "1d02h03m");
	assert_string_equal(bgp_fmt_uptime(NOW - (8 * 86400 + 5 * 3600), NOW, b, sizeof(b)), "01w1d05h");
	assert_string_equal(bgp_fmt_uptime(NOW - (20 * 86400), NOW, b, sizeof(b)), "02w6d00h");
}

static void test_no_neighbors(void **state)
{
	(void)state;
	struct loop *loop = loop_new();
	struct logger log = { .level = LOG_LVL_ERR, .tag = "test_show" };
	struct bgp_speaker_cfg c;
	bgp_speaker_cfg_defaults(&c);
	c.asn = 65002;
	c.router_id = 0x0a00dc06;
	c.listen_port = 0;
	struct bgp_speaker *s = bgp_speaker_new(loop, &log, &c);
	struct strbuf out = STRBUF_INIT;
	bgp_show_summary(s, BGP_FAM_IPV6, false, &opts, &out);
	assert_string_equal(strbuf_str(&out), "% No BGP neighbors found in VRF default\n");
	strbuf_reset(&out);
	bgp_show_routes(s, BGP_FAM_IPV6, NULL, false, &opts, &out);
	assert_string_equal(strbuf_str(&out), "No BGP prefixes displayed, 0 exist\n");
	strbuf_free(&out);
	bgp_speaker_free(s);
	loop_free(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neighbor_routes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_neighbors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_routes, setup, teardown),
		cmocka_unit_test(test_uptime),
		cmocka_unit_test(test_no_neighbors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

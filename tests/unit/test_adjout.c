/* test_adjout.c: the Adj-RIB-Out, judged by what a peer receives. A speaker
 * (AS 65001) is built with two passive eBGP neighbors; a neighbor is made
 * Established by hand on one end of a socketpair, the way session.c leaves it
 * after the OPEN exchange, and the test reads the other end, decoding message
 * by message: what is announced (with which attributes), what is withdrawn,
 * End-of-RIB and the route refresh markers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bgp/message.h"
#include "bgp/speaker_int.h"

#define ASN 65001
#define LINE_LEN 128

/* One neighbor and the far end of its socketpair. */
struct side {
	struct bgp_peer *p;
	const char *local;     /* our address towards it: the next hop self */
	uint32_t remote_id;
	int far;               /* the test's end; -1 when never established */
	uint8_t *rx;           /* read and not yet decoded */
	size_t rx_len, rx_cap;
};

struct fx {
	struct loop *loop;
	struct logger log;
	struct bgp_speaker *s;
	struct side side[2];   /* [0]: 10.0.1.2 AS 65002, [1]: 10.0.2.2 AS 65003 */
};

/* What one peer received since the last look. */
struct drain {
	unsigned msgs;
	unsigned updates;       /* UPDATE messages that announce or withdraw */
	unsigned announced, withdrawn;
	unsigned eor[BGP_FAM_COUNT];
	unsigned borr, eorr, refresh_normal;
	unsigned other;         /* KEEPALIVE, NOTIFICATION, OPEN, empty UPDATEs */
	size_t max_len;         /* longest message */
	char seq[256];          /* a letter per message, in order (A W M E B R N ?) */
	size_t n;
	char (*line)[LINE_LEN]; /* "A pfx attrs" / "W pfx" / "EOR ipv4", sorted */
};

static uint8_t scratch[BGP_UPDATE_SCRATCH_SIZE(BGP_MAX_EXT_MSG)];
static uint8_t inj_scratch[BGP_UPDATE_SCRATCH_SIZE(BGP_MAX_EXT_MSG)];

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

static uint32_t v4_of(const char *s)
{
	struct in_addr in;
	assert_int_equal(inet_pton(AF_INET, s, &in), 1);
	return ntohl(in.s_addr);
}

/* Fixture */

static struct bgp_peer *add_peer(struct bgp_speaker *s, const char *addr, uint32_t as)
{
	struct bgp_peer_cfg c;
	bgp_peer_cfg_defaults(&c);
	c.addr = addr_of(addr);
	c.remote_as = as;
	c.passive = true; /* never connects */
	struct bgp_peer *p = bgp_peer_add(s, &c);
	assert_non_null(p);
	return p;
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	f->loop = loop_new();
	assert_non_null(f->loop);
	f->log = (struct logger){ .level = LOG_LVL_ERR, .tag = "test_adjout" };
	struct bgp_speaker_cfg c;
	bgp_speaker_cfg_defaults(&c);
	c.asn = ASN;
	c.router_id = v4_of("10.0.0.254");
	c.listen_port = 0;
	c.ebgp_requires_policy = false;
	f->s = bgp_speaker_new(f->loop, &f->log, &c);
	assert_non_null(f->s);
	f->side[0] = (struct side){ .p = add_peer(f->s, "10.0.1.2", 65002), .local = "10.0.1.1",
				    .remote_id = v4_of("10.0.1.2"), .far = -1 };
	f->side[1] = (struct side){ .p = add_peer(f->s, "10.0.2.2", 65003), .local = "10.0.2.1",
				    .remote_id = v4_of("10.0.2.2"), .far = -1 };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	/* Closes the speaker's ends of the socketpairs (session_stop). */
	bgp_speaker_free(f->s);
	for (int i = 0; i < 2; i++) {
		if (f->side[i].far >= 0)
			close(f->side[i].far);
		free(f->side[i].rx);
	}
	loop_free(f->loop);
	free(f);
	return 0;
}

/* Sessions */

/* Makes the neighbor Established as session_up would, on a socketpair: the
 * speaker's end goes in conn[0], registered with the loop as session.c does
 * (messages are written when the loop polls); the socket buffers are large
 * enough for everything to leave (checked by settle). */
static void establish(struct fx *f, int i)
{
	struct side *sd = &f->side[i];
	struct bgp_peer *p = sd->p;
	struct bgp_conn *c = &p->conn[0];
	if (sd->far < 0) {
		int sv[2];
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv),
				 0);
		int big = 4 << 20;
		setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &big, sizeof(big));
		setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
		c->lfd = (struct loop_fd){ .fd = sv[0], .events = EPOLLIN, .cb = session_conn_io,
					   .ctx = c };
		assert_true(loop_fd_add(f->loop, &c->lfd));
		sd->far = sv[1];
	}
	c->state = BGP_ST_ESTABLISHED;
	c->connecting = false;
	c->remote_id = sd->remote_id;
	c->hold_time = 180;
	c->keepalive_time = 60;
	p->est = c;
	p->local_addr = addr_of(sd->local);
	p->nh4 = p->local_addr;
	p->nh6 = p->nh6_ll = (struct ipaddr){ 0 };
	p->remote_id = sd->remote_id;
	p->remote_as = p->cfg.remote_as;
	p->hold_time = 180;
	p->keepalive_time = 60;
	p->as4 = p->route_refresh = true;
	p->ext_msg = p->enhanced_rr = false;
	for (int fam = 0; fam < BGP_FAM_COUNT; fam++)
		p->af[fam].negotiated = p->cfg.af[fam].active;
	loop_timer_stop(f->loop, &p->connect_retry);
	rib_peer_up(p);
}

/* The session goes down as session_down takes it: no longer established,
 * then the RIB forgets the peer. The socket stays for the next session. */
static void session_lost(struct fx *f, int i)
{
	struct bgp_peer *p = f->side[i].p;
	p->est = NULL;
	p->conn[0].state = BGP_ST_ACTIVE;
	rib_peer_down(p);
}

static void read_far(struct side *sd)
{
	if (sd->far < 0)
		return;
	for (;;) {
		if (sd->rx_cap - sd->rx_len < 65536) {
			size_t cap = sd->rx_cap ? sd->rx_cap * 2 : 1 << 17;
			sd->rx = realloc(sd->rx, cap);
			assert_non_null(sd->rx);
			sd->rx_cap = cap;
		}
		ssize_t n = read(sd->far, sd->rx + sd->rx_len, sd->rx_cap - sd->rx_len);
		if (n > 0) {
			sd->rx_len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		assert_true(n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
		return;
	}
}

/* Runs the loop until the work is done, reading what the peers get. */
static void settle(struct fx *f)
{
	for (int r = 0; r < 40; r++) {
		loop_run_once(f->loop, 0);
		for (int i = 0; i < 2; i++)
			read_far(&f->side[i]);
	}
	for (int i = 0; i < 2; i++) {
		const struct bgp_obuf *b = &f->side[i].p->conn[0].out;
		if (b->len != b->head)
			fail_msg("peer %d: %zu octets stuck in the send buffer", i + 1, b->len - b->head);
	}
}

/* Decoding what a peer received */

static void fmt_attrs(const struct bgp_attrs *a, bool v6, char *out, size_t cap)
{
	struct strbuf path = STRBUF_INIT;
	char nh[INET6_ADDRSTRLEN] = "-", med[16] = "-", lp[24] = "";
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH)) {
		bgp_aspath_fmt(a->aspath, &path);
	}
	if (!v6 && bgp_attrs_has(a, BGP_ATTR_NEXT_HOP)) {
		uint32_t be = htonl(a->nexthop);
		inet_ntop(AF_INET, &be, nh, sizeof(nh));
	} else if (v6 && a->mp_nh_len >= 16) {
		inet_ntop(AF_INET6, a->mp_nh, nh, sizeof(nh));
	}
	if (bgp_attrs_has(a, BGP_ATTR_MED))
		snprintf(med, sizeof(med), "%u", a->med);
	if (bgp_attrs_has(a, BGP_ATTR_LOCAL_PREF))
		snprintf(lp, sizeof(lp), " lp=%u", a->local_pref);
	const char *ps = strbuf_str(&path);
	if (!bgp_attrs_has(a, BGP_ATTR_AS_PATH))
		ps = "none";
	snprintf(out, cap, "path=%s nh=%s med=%s%s", ps ? ps : "", nh, med, lp);
	strbuf_free(&path);
}

static void add_line(struct drain *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add_line(struct drain *d, const char *fmt, ...)
{
	d->line = realloc(d->line, (d->n + 1) * sizeof(*d->line));
	assert_non_null(d->line);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(d->line[d->n++], LINE_LEN, fmt, ap);
	va_end(ap);
}

static unsigned nlri_lines(struct drain *d, const struct bgp_nlri *n, const char *kind,
			   const char *attrs)
{
	unsigned count = 0;
	if (!n->supported)
		return 0;
	struct bgp_nlri_iter it = bgp_nlri_iter(n);
	struct prefix pfx;
	char buf[PREFIX_STRLEN];
	while (bgp_nlri_next(&it, &pfx)) {
		if (attrs)
			add_line(d, "%s %s %s", kind, prefix_fmt(&pfx, buf, sizeof(buf)), attrs);
		else
			add_line(d, "%s %s", kind, prefix_fmt(&pfx, buf, sizeof(buf)));
		count++;
	}
	return count;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void seq_add(struct drain *d, char c)
{
	size_t l = strlen(d->seq);
	if (l + 1 < sizeof(d->seq)) {
		d->seq[l] = c;
		d->seq[l + 1] = '\0';
	}
}

/* Decodes and consumes everything peer i received. Messages over 4096
 * octets fail to decode (no extended messages), which fails the test. */
static void take(struct fx *f, int i, struct drain *d)
{
	struct side *sd = &f->side[i];
	memset(d, 0, sizeof(*d));
	read_far(sd);
	struct bgp_decode_opts o = { .as4 = true, .ext_msg = false };
	static struct bgp_msg m;
	size_t pos = 0;
	while (pos < sd->rx_len) {
		size_t used = 0;
		uint8_t act = bgp_msg_decode(sd->rx + pos, sd->rx_len - pos, &o, scratch,
					     sizeof(scratch), &m, &used);
		if (act == BGP_ACT_SESSION_RESET)
			fail_msg("peer %d: message %u at octet %zu does not decode (error %u/%u)", i + 1,
				 d->msgs + 1, pos, m.error.code, m.error.subcode);
		d->msgs++;
		if (m.len > d->max_len)
			d->max_len = m.len;
		pos += used;
		if (m.type == BGP_MSG_ROUTE_REFRESH) {
			if (m.refresh.subtype == BGP_RR_BORR)
				d->borr++, seq_add(d, 'B');
			else if (m.refresh.subtype == BGP_RR_EORR)
				d->eorr++, seq_add(d, 'R');
			else
				d->refresh_normal++, seq_add(d, 'N');
			continue;
		}
		if (m.type != BGP_MSG_UPDATE) {
			d->other++;
			seq_add(d, '?');
			continue;
		}
		const struct bgp_update *u = &m.update;
		if (act != BGP_ACT_NONE)
			fail_msg("peer %d: UPDATE %u decodes with action %s", i + 1, d->msgs,
				 bgp_action_name(act));
		if (u->eor) {
			uint8_t fam = family_of_afi(u->eor_afi);
			d->eor[fam]++;
			add_line(d, "EOR %s", fam == BGP_FAM_IPV4 ? "ipv4" : "ipv6");
			seq_add(d, 'E');
			continue;
		}
		char v4[96] = "", v6[96] = "";
		if (u->nlri.count)
			fmt_attrs(&u->attrs, false, v4, sizeof(v4));
		if (u->mp_reach.count)
			fmt_attrs(&u->attrs, true, v6, sizeof(v6));
		unsigned w = nlri_lines(d, &u->withdrawn, "W", NULL) +
			     nlri_lines(d, &u->mp_unreach, "W", NULL);
		unsigned a = nlri_lines(d, &u->nlri, "A", v4) + nlri_lines(d, &u->mp_reach, "A", v6);
		d->withdrawn += w;
		d->announced += a;
		if (a || w) {
			d->updates++;
			seq_add(d, a && w ? 'M' : a ? 'A' : 'W');
		} else {
			d->other++;
			seq_add(d, '?');
		}
	}
	sd->rx_len = 0;
	if (d->n)
		qsort(d->line, d->n, sizeof(*d->line), cmp_line);
}

static void drain_free(struct drain *d)
{
	free(d->line);
	d->line = NULL;
	d->n = 0;
}

static void drain_dump(const struct drain *d, struct strbuf *out)
{
	strbuf_printf(out, "  %zu lines, messages \"%s\":\n", d->n, d->seq);
	for (size_t i = 0; i < d->n && i < 40; i++)
		strbuf_printf(out, "    %s\n", d->line[i]);
	if (d->n > 40)
		strbuf_printf(out, "    ...\n");
}

/* The sorted lines of d are exactly want (in any order). */
static void expect_set(const struct drain *d, const char *const *want, size_t n)
{
	const char **w = calloc(n ? n : 1, sizeof(*w));
	assert_non_null(w);
	memcpy(w, want, n * sizeof(*w));
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(w[j - 1], w[j]) > 0; j--) {
			const char *t = w[j];
			w[j] = w[j - 1];
			w[j - 1] = t;
		}
	bool ok = d->n == n;
	for (size_t i = 0; ok && i < n; i++)
		ok = strcmp(d->line[i], w[i]) == 0;
	if (!ok) {
		struct strbuf out = STRBUF_INIT;
		strbuf_printf(&out, "peer received:\n");
		drain_dump(d, &out);
		strbuf_printf(&out, "expected %zu lines:\n", n);
		for (size_t i = 0; i < n; i++)
			strbuf_printf(&out, "    %s\n", w[i]);
		print_error("%s", strbuf_str(&out));
		strbuf_free(&out);
		free(w);
		fail();
	}
	free(w);
}

#define EXPECT_SET(d, ...)                                                                \
	do {                                                                              \
		static const char *const want_[] = { __VA_ARGS__ };                       \
		expect_set((d), want_, sizeof(want_) / sizeof(want_[0]));                 \
	} while (0)

static void expect_nothing(struct fx *f, int i)
{
	struct drain d;
	take(f, i, &d);
	if (d.msgs) {
		struct strbuf out = STRBUF_INIT;
		drain_dump(&d, &out);
		print_error("peer %d should have received nothing, got %u messages:\n%s", i + 1,
			    d.msgs, strbuf_str(&out));
		strbuf_free(&out);
		drain_free(&d);
		fail();
	}
	drain_free(&d);
}

/* Routes */

static void local_route(struct fx *f, const char *prefix, int med)
{
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN);
	a.origin = BGP_ORIGIN_IGP;
	if (med >= 0) {
		a.med = (uint32_t)med;
		a.have |= BGP_ATTR_BIT(BGP_ATTR_MED);
	}
	struct prefix p = pfx_of(prefix);
	assert_true(bgp_local_add(f->s, BGP_LOCAL_NETWORK, &p, &a));
}

static void local_del(struct fx *f, const char *prefix)
{
	struct prefix p = pfx_of(prefix);
	bgp_local_del(f->s, BGP_LOCAL_NETWORK, &p);
}

/* Hands an encoded UPDATE to the RIB as handle_update would. */
static void inject(struct bgp_peer *p, const uint8_t *msg, size_t len)
{
	static struct bgp_msg m;
	size_t used = 0;
	struct bgp_decode_opts o = { .as4 = p->as4, .ibgp = !peer_is_ebgp(p) };
	assert_int_equal(bgp_msg_decode(msg, len, &o, inj_scratch, sizeof(inj_scratch), &m, &used),
			 BGP_ACT_NONE);
	assert_int_equal(m.type, BGP_MSG_UPDATE);
	assert_int_equal(used, len);
	rib_update(p, &m.update);
}

/* peer announces prefix with AS_PATH path, NEXT_HOP nh and MED med (-1: none). */
static void peer_announce(struct bgp_peer *p, const char *prefix, const uint32_t *path,
			  unsigned n, const char *nh, int med)
{
	uint8_t asp[2 + 4 * 16];
	assert_true(n >= 1 && n <= 16);
	asp[0] = BGP_AS_SEQUENCE;
	asp[1] = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		uint32_t be = htonl(path[i]);
		memcpy(asp + 2 + 4 * i, &be, 4);
	}
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		 BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	a.origin = BGP_ORIGIN_IGP;
	a.aspath = (struct bgp_bytes){ asp, 2 + 4 * n };
	a.nexthop = v4_of(nh);
	if (med >= 0) {
		a.med = (uint32_t)med;
		a.have |= BGP_ATTR_BIT(BGP_ATTR_MED);
	}
	struct prefix px = pfx_of(prefix);
	uint8_t msg[BGP_MAX_MSG];
	struct wbuf w = wbuf_make(msg, sizeof(msg));
	struct bgp_encode_opts eo = { .as4 = true, .max_len = BGP_MAX_MSG };
	assert_int_equal(bgp_update_encode_announce(&w, &eo, &a, &px, 1), 1);
	inject(p, msg, w.len);
}

static void peer_withdraw(struct bgp_peer *p, const char *prefix)
{
	struct prefix px = pfx_of(prefix);
	uint8_t msg[BGP_MAX_MSG];
	struct wbuf w = wbuf_make(msg, sizeof(msg));
	struct bgp_encode_opts eo = { .as4 = true, .max_len = BGP_MAX_MSG };
	assert_int_equal(bgp_update_encode_withdraw(&w, &eo, &px, 1), 1);
	inject(p, msg, w.len);
}

/* The table of most cases: two prefixes sharing attributes, one apart. */
static void three_routes(struct fx *f)
{
	local_route(f, "10.10.0.0/16", 0);
	local_route(f, "10.11.0.0/16", 0);
	local_route(f, "10.12.0.0/16", 5);
}

#define R10 "A 10.10.0.0/16 path=65001 nh=10.0.1.1 med=0"
#define R11 "A 10.11.0.0/16 path=65001 nh=10.0.1.1 med=0"
#define R12 "A 10.12.0.0/16 path=65001 nh=10.0.1.1 med=5"

/* Peer 1 up with the three routes sent and read. */
static void up_with_three(struct fx *f)
{
	three_routes(f);
	settle(f);
	establish(f, 0);
	settle(f);
	struct drain d;
	take(f, 0, &d);
	EXPECT_SET(&d, R10, R11, R12, "EOR ipv4");
	drain_free(&d);
}

/* 1. The initial table: packed per attribute set, then End-of-RIB once. */
static void test_initial_table(void **state)
{
	struct fx *f = *state;
	three_routes(f);
	settle(f); /* nobody established: nothing goes anywhere */
	establish(f, 0);
	settle(f);
	struct drain d;
	take(f, 0, &d);
	EXPECT_SET(&d, R10, R11, R12, "EOR ipv4");
	assert_int_equal(d.announced, 3);
	assert_int_equal(d.withdrawn, 0);
	assert_int_equal(d.updates, 2); /* {10.10, 10.11} and {10.12} */
	assert_int_equal(d.eor[BGP_FAM_IPV4], 1);
	assert_int_equal(d.eor[BGP_FAM_IPV6], 0); /* IPv6 not negotiated */
	assert_string_equal(d.seq, "AAE");         /* End-of-RIB comes last */
	assert_int_equal(d.other, 0);
	assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, 3);
	drain_free(&d);
	/* Nothing more later, and nothing to the peer that is not up. */
	settle(f);
	expect_nothing(f, 0);
	assert_int_equal(f->side[1].far, -1);
}

/* 1b. An empty table: End-of-RIB alone. */
static void test_initial_empty(void **state)
{
	struct fx *f = *state;
	establish(f, 0);
	settle(f);
	struct drain d;
	take(f, 0, &d);
	EXPECT_SET(&d, "EOR ipv4");
	assert_string_equal(d.seq, "E");
	drain_free(&d);
}

/* 2. A path sent again as it was sends nothing. The Adj-RIB-Out keeps one
 * bit per peer, not the attributes sent (as BIRD): when the best path is
 * withdrawn and comes back, or changes and changes back, within one batch,
 * the route goes out again, once, the same (FRR would compare and send
 * nothing). */
enum unchanged_how { SAME_ADD, DEL_THEN_ADD, ADD_TWICE_OTHER_THEN_BACK };

static void test_unchanged(void **state)
{
	static const struct {
		const char *name;
		enum unchanged_how how;
		const char *again; /* what goes out again, or NULL */
	} cases[] = {
		{ "the same attributes again", SAME_ADD, NULL },
		{ "withdrawn and added back in one batch", DEL_THEN_ADD, R11 },
		{ "changed and changed back in one batch", ADD_TWICE_OTHER_THEN_BACK, R12 },
	};
	struct fx *f = *state;
	up_with_three(f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("  case: %s\n", cases[i].name);
		switch (cases[i].how) {
		case SAME_ADD:
			local_route(f, "10.10.0.0/16", 0);
			local_route(f, "10.12.0.0/16", 5);
			break;
		case DEL_THEN_ADD:
			local_del(f, "10.11.0.0/16");
			local_route(f, "10.11.0.0/16", 0);
			break;
		case ADD_TWICE_OTHER_THEN_BACK:
			local_route(f, "10.12.0.0/16", 99);
			local_route(f, "10.12.0.0/16", 5);
			break;
		}
		settle(f);
		if (cases[i].again) {
			struct drain d;
			take(f, 0, &d);
			expect_set(&d, &cases[i].again, 1);
			assert_int_equal(d.msgs, 1);
			drain_free(&d);
		} else {
			expect_nothing(f, 0);
		}
		assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, 3);
	}
}

/* 3. A changed attribute: that prefix alone, once. */
static void test_changed_med(void **state)
{
	struct fx *f = *state;
	up_with_three(f);
	local_route(f, "10.10.0.0/16", 50);
	settle(f);
	struct drain d;
	take(f, 0, &d);
	EXPECT_SET(&d, "A 10.10.0.0/16 path=65001 nh=10.0.1.1 med=50");
	assert_int_equal(d.updates, 1);
	assert_int_equal(d.msgs, 1);
	drain_free(&d);
	/* And back: 10.10 joins its old attribute set again, still alone. */
	local_route(f, "10.10.0.0/16", 0);
	settle(f);
	take(f, 0, &d);
	EXPECT_SET(&d, R10);
	assert_int_equal(d.msgs, 1);
	drain_free(&d);
	assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, 3);
}

/* 4. A withdrawal once; withdrawing what is gone sends nothing. */
static void test_withdraw(void **state)
{
	struct fx *f = *state;
	up_with_three(f);
	local_del(f, "10.11.0.0/16");
	settle(f);
	struct drain d;
	take(f, 0, &d);
	EXPECT_SET(&d, "W 10.11.0.0/16");
	assert_int_equal(d.msgs, 1);
	assert_int_equal(d.announced, 0);
	drain_free(&d);
	assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, 2);

	local_del(f, "10.11.0.0/16");
	settle(f);
	expect_nothing(f, 0);

	/* Added and withdrawn within one batch: the peer never had it. */
	local_route(f, "10.99.0.0/16", 0);
	local_del(f, "10.99.0.0/16");
	settle(f);
	expect_nothing(f, 0);

	/* Withdrawing one prefix while another of the same UPDATE is changed. */
	local_del(f, "10.10.0.0/16");
	local_route(f, "10.12.0.0/16", 6);
	settle(f);
	take(f, 0, &d);
	EXPECT_SET(&d, "W 10.10.0.0/16", "A 10.12.0.0/16 path=65001 nh=10.0.1.1 med=6");
	assert_int_equal(d.msgs, 2);
	drain_free(&d);
	assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, 1);
}

/* 5. Routes between two eBGP peers: our AS prepended, next hop self, the
 * neighbor AS's MED dropped, never back to the source; withdrawals follow. */
static void test_transit(void **state)
{
	struct fx *f = *state;
	struct bgp_peer *p1 = f->side[0].p;
	local_route(f, "10.10.0.0/16", 0);
	establish(f, 0);
	establish(f, 1);
	settle(f);
	struct drain d;
	take(f, 0, &d);
	EXPECT_SET(&d, R10, "EOR ipv4");
	drain_free(&d);
	take(f, 1, &d);
	EXPECT_SET(&d, "A 10.10.0.0/16 path=65001 nh=10.0.2.1 med=0", "EOR ipv4");
	drain_free(&d);

	static const uint32_t path1[] = { 65002, 64900 };
	peer_announce(p1, "10.50.0.0/16", path1, 2, "10.0.1.2", 77);
	peer_announce(p1, "10.51.0.0/16", path1, 2, "10.0.1.2", 77);
	peer_announce(p1, "10.52.0.0/16", path1, 2, "10.0.1.2", 77);
	settle(f);
	/* As FRR does: both peers have the same outbound settings (one update
	 * group), so peer 1 gets its own routes back too; its AS-path loop
	 * check is what drops them. */
	take(f, 0, &d);
	EXPECT_SET(&d, "A 10.50.0.0/16 path=65001 65002 64900 nh=10.0.1.1 med=-",
		   "A 10.51.0.0/16 path=65001 65002 64900 nh=10.0.1.1 med=-",
		   "A 10.52.0.0/16 path=65001 65002 64900 nh=10.0.1.1 med=-");
	drain_free(&d);
	take(f, 1, &d);
	EXPECT_SET(&d, "A 10.50.0.0/16 path=65001 65002 64900 nh=10.0.2.1 med=-",
		   "A 10.51.0.0/16 path=65001 65002 64900 nh=10.0.2.1 med=-",
		   "A 10.52.0.0/16 path=65001 65002 64900 nh=10.0.2.1 med=-");
	assert_int_equal(d.updates, 1); /* one attribute set */
	drain_free(&d);
	assert_int_equal(f->side[1].p->af[BGP_FAM_IPV4].pfx_sent, 4);
	assert_int_equal(p1->af[BGP_FAM_IPV4].pfx_sent, 4);

	/* The same UPDATE again from peer 1: nothing new for anyone. */
	peer_announce(p1, "10.50.0.0/16", path1, 2, "10.0.1.2", 77);
	settle(f);
	expect_nothing(f, 0);
	expect_nothing(f, 1);

	/* Only the MED changes: the best path's attributes changed, so each
	 * peer gets the route again, the same, once (what was sent is not kept
	 * to compare with; FRR would send nothing). */
	peer_announce(p1, "10.50.0.0/16", path1, 2, "10.0.1.2", 78);
	settle(f);
	take(f, 0, &d);
	EXPECT_SET(&d, "A 10.50.0.0/16 path=65001 65002 64900 nh=10.0.1.1 med=-");
	assert_int_equal(d.msgs, 1);
	drain_free(&d);
	take(f, 1, &d);
	EXPECT_SET(&d, "A 10.50.0.0/16 path=65001 65002 64900 nh=10.0.2.1 med=-");
	assert_int_equal(d.msgs, 1);
	drain_free(&d);

	/* Peer 2 offers a shorter path for 10.51: it becomes the best and goes
	 * to both peers. */
	static const uint32_t path2[] = { 65003 };
	peer_announce(f->side[1].p, "10.51.0.0/16", path2, 1, "10.0.2.2", 3);
	settle(f);
	take(f, 0, &d);
	EXPECT_SET(&d, "A 10.51.0.0/16 path=65001 65003 nh=10.0.1.1 med=-");
	drain_free(&d);
	take(f, 1, &d);
	EXPECT_SET(&d, "A 10.51.0.0/16 path=65001 65003 nh=10.0.2.1 med=-");
	drain_free(&d);

	/* Peer 1 withdraws one prefix: each peer is told, once. */
	peer_withdraw(p1, "10.50.0.0/16");
	settle(f);
	for (int i = 0; i < 2; i++) {
		take(f, i, &d);
		EXPECT_SET(&d, "W 10.50.0.0/16");
		assert_int_equal(d.msgs, 1);
		drain_free(&d);
	}
	peer_withdraw(p1, "10.50.0.0/16");
	settle(f);
	expect_nothing(f, 0);
	expect_nothing(f, 1);

	/* Peer 1's session goes down: what it taught peer 2 is withdrawn; its
	 * losing path for 10.51 changes nothing. Peer 2 is alone now, so its
	 * own route for 10.51 is withdrawn from it. */
	session_lost(f, 0);
	settle(f);
	expect_nothing(f, 0);
	take(f, 1, &d);
	EXPECT_SET(&d, "W 10.51.0.0/16", "W 10.52.0.0/16");
	drain_free(&d);
	assert_int_equal(f->side[1].p->af[BGP_FAM_IPV4].pfx_sent, 1);
}

/* 5b. A peer whose outbound settings differ from every other's (here a
 * maximum-prefix-out, which gives it an update group of its own in FRR) does
 * not get its own routes back; when a second peer with its settings comes
 * up, it does, and when that one goes, they are withdrawn from it again. */
static void test_echo_groups(void **state)
{
	struct fx *f = *state;
	struct bgp_peer *p1 = f->side[0].p, *p2 = f->side[1].p;
	struct bgp_peer_cfg c = p1->cfg;
	c.af[BGP_FAM_IPV4].next_hop_self = true; /* not p2's: a group of its own */
	assert_false(bgp_peer_set(p1, &c));
	establish(f, 0);
	establish(f, 1);
	settle(f);
	struct drain d;
	take(f, 0, &d);
	drain_free(&d);
	take(f, 1, &d);
	drain_free(&d);

	static const uint32_t path1[] = { 65002 };
	peer_announce(p1, "10.60.0.0/16", path1, 1, "10.0.1.2", -1);
	settle(f);
	expect_nothing(f, 0); /* alone in its group: not back to its source */
	take(f, 1, &d);
	EXPECT_SET(&d, "A 10.60.0.0/16 path=65001 65002 nh=10.0.2.1 med=-");
	drain_free(&d);

	/* Peer 2 takes the same settings: the two share a group, and peer 1
	 * gets its route back (its own routes only). Peer 2's settings
	 * changed, so it gets its table again. */
	c = p2->cfg;
	c.af[BGP_FAM_IPV4].next_hop_self = true;
	assert_false(bgp_peer_set(p2, &c));
	settle(f);
	take(f, 0, &d);
	EXPECT_SET(&d, "A 10.60.0.0/16 path=65001 65002 nh=10.0.1.1 med=-");
	drain_free(&d);
	take(f, 1, &d);
	EXPECT_SET(&d, "A 10.60.0.0/16 path=65001 65002 nh=10.0.2.1 med=-");
	drain_free(&d);

	/* maximum-prefix-out on peer 1: a group of its own again. */
	c = p1->cfg;
	c.af[BGP_FAM_IPV4].max_prefix_out = 100;
	assert_false(bgp_peer_set(p1, &c));
	settle(f);
	take(f, 0, &d);
	EXPECT_SET(&d, "W 10.60.0.0/16");
	drain_free(&d);
	expect_nothing(f, 1);
}

/* 6. Many prefixes, two attribute sets: packed into as few UPDATEs of at most
 * 4096 octets as the sizes allow, each prefix exactly once. An UPDATE here
 * has 19 + 4 octets of framing and 27 of attributes (ORIGIN 4, AS_PATH 9,
 * NEXT_HOP 7, MED 7): 4046 left, 1011 /24s or 809 /32s. */
struct many_case {
	const char *name;
	unsigned plen;      /* 24 or 32 */
	unsigned mod;       /* every mod-th prefix has MED 20, the others MED 10 */
	unsigned updates;   /* the least number of UPDATEs that can carry them */
	unsigned wd_updates;
};

static const struct many_case many_cases[] = {
	{ "1000 /24, 500 and 500", 24, 2, 2, 1 },  /* 1000 x 4 octets: one withdrawal */
	{ "1000 /32, 900 and 100", 32, 10, 3, 2 }, /* 900 /32s need two UPDATEs */
};

static void many_pfx(const struct many_case *c, unsigned i, char *buf, size_t cap)
{
	if (c->plen == 24)
		snprintf(buf, cap, "10.%u.%u.0/24", 100 + i / 256, i % 256);
	else
		snprintf(buf, cap, "10.200.%u.%u/32", i / 256, i % 256);
}

static void many_routes(struct fx *f, const struct many_case *c, unsigned n, int med_offset)
{
	for (unsigned i = 0; i < n; i++) {
		char pfx[32];
		many_pfx(c, i, pfx, sizeof(pfx));
		local_route(f, pfx, (i % c->mod ? 10 : 20) + med_offset);
	}
}

static void many_expect(const struct drain *d, const struct many_case *c, unsigned n,
			int med_offset, bool eor)
{
	const char **want = calloc(n + 1, sizeof(*want));
	char (*buf)[LINE_LEN] = calloc(n, sizeof(*buf));
	assert_non_null(want);
	assert_non_null(buf);
	for (unsigned i = 0; i < n; i++) {
		char pfx[32];
		many_pfx(c, i, pfx, sizeof(pfx));
		snprintf(buf[i], LINE_LEN, "A %s path=65001 nh=10.0.1.1 med=%d", pfx,
			 (i % c->mod ? 10 : 20) + med_offset);
		want[i] = buf[i];
	}
	if (eor)
		want[n] = "EOR ipv4";
	expect_set(d, want, n + (eor ? 1 : 0));
	free(want);
	free(buf);
}

static void test_many(void **state)
{
	struct fx *f = *state;
	const unsigned n = 1000;
	for (size_t k = 0; k < sizeof(many_cases) / sizeof(many_cases[0]); k++) {
		const struct many_case *c = &many_cases[k];
		print_message("  case: %s\n", c->name);
		struct drain d;
		/* Before the session: sent by the initial walk, then End-of-RIB. */
		many_routes(f, c, n, 0);
		settle(f);
		establish(f, 0);
		settle(f);
		take(f, 0, &d);
		many_expect(&d, c, n, 0, true);
		assert_true(d.max_len <= BGP_MAX_MSG);
		assert_int_equal(d.updates, c->updates);
		assert_int_equal(d.eor[BGP_FAM_IPV4], 1);
		assert_int_equal(d.seq[strlen(d.seq) - 1], 'E');
		drain_free(&d);
		assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, n);

		/* Changed after: sent as the changes of one batch. */
		many_routes(f, c, n, 1);
		settle(f);
		take(f, 0, &d);
		many_expect(&d, c, n, 1, false);
		assert_true(d.max_len <= BGP_MAX_MSG);
		assert_int_equal(d.updates, c->updates);
		drain_free(&d);

		/* All withdrawn: withdrawals are packed too. */
		for (unsigned i = 0; i < n; i++) {
			char pfx[32];
			many_pfx(c, i, pfx, sizeof(pfx));
			local_del(f, pfx);
		}
		settle(f);
		take(f, 0, &d);
		assert_int_equal(d.withdrawn, n);
		assert_int_equal(d.announced, 0);
		assert_int_equal(d.n, n);
		for (size_t i = 1; i < d.n; i++)
			assert_true(strcmp(d.line[i - 1], d.line[i]) < 0); /* each once */
		assert_true(d.max_len <= BGP_MAX_MSG);
		assert_int_equal(d.updates, c->wd_updates);
		drain_free(&d);
		assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, 0);
		session_lost(f, 0);
	}
}

/* 7. Route refresh: the Adj-RIB-Out as it is, framed with the RFC 7313
 * markers when enhanced route refresh is negotiated. */
static void test_refresh(void **state)
{
	static const struct {
		const char *name;
		bool enhanced;
		const char *seq;
	} cases[] = {
		{ "RFC 2918", false, "AA" },
		{ "RFC 7313", true, "BAAR" },
	};
	struct fx *f = *state;
	up_with_three(f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("  case: %s\n", cases[i].name);
		f->side[0].p->enhanced_rr = cases[i].enhanced;
		adjout_refresh(f->side[0].p, BGP_FAM_IPV4);
		settle(f);
		struct drain d;
		take(f, 0, &d);
		EXPECT_SET(&d, R10, R11, R12);
		assert_string_equal(d.seq, cases[i].seq);
		assert_int_equal(d.withdrawn, 0);
		assert_int_equal(d.eor[BGP_FAM_IPV4], 0);
		drain_free(&d);
		assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, 3);
	}
	/* A refresh asked while a walk of the peer's own routes is under way
	 * (its echo changed), or while a soft out is: the whole table once,
	 * between one BoRR and one EoRR. */
	static const enum adjout_walk under_way[] = { WALK_OWN, WALK_RESYNC };
	for (size_t i = 0; i < 2; i++) {
		print_message("  case: refresh during %s\n", i ? "a soft out" : "an own-routes walk");
		f->side[0].p->enhanced_rr = true;
		adjout_resync(f->side[0].p, under_way[i]);
		adjout_refresh(f->side[0].p, BGP_FAM_IPV4);
		settle(f);
		struct drain d;
		take(f, 0, &d);
		EXPECT_SET(&d, R10, R11, R12);
		/* During a soft out the refresh is already covered: no markers. */
		assert_string_equal(d.seq, i ? "AA" : "BAAR");
		drain_free(&d);
		assert_false(f->side[0].p->af[BGP_FAM_IPV4].refresh_due);
	}
	/* A refresh does not disturb later changes. */
	local_route(f, "10.11.0.0/16", 7);
	settle(f);
	struct drain d;
	take(f, 0, &d);
	EXPECT_SET(&d, "A 10.11.0.0/16 path=65001 nh=10.0.1.1 med=7");
	drain_free(&d);
}

/* 8. A new session starts from nothing: the whole table and End-of-RIB again,
 * including what changed while the session was down. */
static void test_session_down_up(void **state)
{
	struct fx *f = *state;
	up_with_three(f);
	session_lost(f, 0);
	assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, 0);
	local_route(f, "10.12.0.0/16", 9);
	local_del(f, "10.11.0.0/16");
	local_route(f, "10.13.0.0/16", 0);
	settle(f);
	expect_nothing(f, 0);
	establish(f, 0);
	settle(f);
	struct drain d;
	take(f, 0, &d);
	EXPECT_SET(&d, R10, "A 10.12.0.0/16 path=65001 nh=10.0.1.1 med=9",
		   "A 10.13.0.0/16 path=65001 nh=10.0.1.1 med=0", "EOR ipv4");
	assert_int_equal(d.withdrawn, 0);
	assert_int_equal(d.eor[BGP_FAM_IPV4], 1);
	assert_string_equal(d.seq, "AAE");
	drain_free(&d);
	assert_int_equal(f->side[0].p->af[BGP_FAM_IPV4].pfx_sent, 3);

	/* Down and up with nothing changed: the same table again. */
	session_lost(f, 0);
	establish(f, 0);
	settle(f);
	take(f, 0, &d);
	EXPECT_SET(&d, R10, "A 10.12.0.0/16 path=65001 nh=10.0.1.1 med=9",
		   "A 10.13.0.0/16 path=65001 nh=10.0.1.1 med=0", "EOR ipv4");
	drain_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_initial_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initial_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_changed_med, setup, teardown),
		cmocka_unit_test_setup_teardown(test_withdraw, setup, teardown),
		cmocka_unit_test_setup_teardown(test_transit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_echo_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refresh, setup, teardown),
		cmocka_unit_test_setup_teardown(test_session_down_up, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_kernel_netlink.c: what src/kernel/netlink.c reports of the real
 * kernel, in a network namespace of the test process's own (unshare, gone at
 * exit), as interfaces go down and up, routes are replaced and events are
 * lost; skipped when not root. Every report is recorded as one line, so a
 * test reads as the sequence of changes the FIB and `redistribute` see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "netns_testutil.h"

#include <arpa/inet.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/netlink.h"
#include "lib/strbuf.h"

static bool usable; /* root, a namespace of our own and `ip` */
static struct logger lg;

static int setup(void **state)
{
	(void)state;
	log_open(&lg, "test_kernel_netlink", LOG_LVL_ERR, false);
	/* v0 (10.1.0.4/24) with its peer v1 up: v0 has carrier. */
	int rc = netns_enter("ip link set lo up && ip link add v0 type veth peer name v1 && "
			     "ip link set v0 up && ip link set v1 up && ip addr add 10.1.0.4/24 dev v0");
	usable = rc == 0;
	return rc < 0 ? -1 : 0;
}

#define NEED_NS()             \
	do {                  \
		if (!usable)  \
			skip(); \
	} while (0)

/* ---------- the recorder ---------- */

struct rec {
	struct strbuf log; /* one line per report, of the interfaces named v0 */
	int v0;            /* its ifindex */
};

static void on_route(void *ctx, bool add, const struct kernel_route *r)
{
	struct rec *c = ctx;
	/* Only the test's routes: 10.9x.0.0/16 of the main table. */
	if (r->table != RT_TABLE_MAIN || r->dst.family != AF_INET || r->dst.len != 16 ||
	    r->dst.a[0] != 10 || r->dst.a[1] < 90 || r->dst.a[1] > 99)
		return;
	char gw[INET_ADDRSTRLEN] = "-";
	if (r->gateway.family == AF_INET)
		inet_ntop(AF_INET, r->gateway.a, gw, sizeof gw);
	strbuf_printf(&c->log, "%s route 10.%u.0.0/16 via %s%s\n", add ? "+" : "-", r->dst.a[1], gw,
		      r->ifindex == c->v0 ? " v0" : "");
}

static void on_addr(void *ctx, bool add, const struct kernel_addr *a)
{
	struct rec *c = ctx;
	if (a->ifindex != c->v0 || a->addr.family != AF_INET)
		return;
	char s[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, a->addr.a, s, sizeof s);
	strbuf_printf(&c->log, "%s addr %s/%u\n", add ? "+" : "-", s, a->subnet.len);
}

static void on_link(void *ctx, const struct kernel_link *l)
{
	struct rec *c = ctx;
	if (strcmp(l->name, "v0") != 0)
		return;
	c->v0 = l->ifindex;
	strbuf_printf(&c->log, "link v0 %s%s%s\n", l->admin_up ? "up" : "down",
		      l->running ? " running" : "", l->removed ? " removed" : "");
}

struct fx {
	struct loop *loop;
	struct kernel *k;
	struct rec rec;
};

static void pump(struct fx *f)
{
	for (int i = 0; i < 10; i++)
		loop_run_once(f->loop, 20);
}

/* The lines recorded since the last call are exactly want. */
static void expect(struct fx *f, const char *want)
{
	pump(f);
	const char *got = strbuf_str(&f->rec.log);
	if (strcmp(got, want) != 0)
		fail_msg("reported:\n%s\nwanted:\n%s", got, want);
	strbuf_reset(&f->rec.log);
}

static int fx_setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof f);
	f.rec.log = (struct strbuf)STRBUF_INIT;
	*state = &f;
	if (!usable)
		return 0;
	f.loop = loop_new();
	assert_non_null(f.loop);
	struct kernel_cb cb = { .route = on_route, .addr = on_addr, .link = on_link, .ctx = &f.rec };
	f.k = kernel_open(f.loop, &lg, &cb);
	assert_non_null(f.k);
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;
	kernel_close(f->k);
	if (f->loop)
		loop_free(f->loop);
	strbuf_free(&f->rec.log);
	sh("ip link set v0 up 2>/dev/null; ip link set v1 up 2>/dev/null; "
	   "for i in 0 1 2 3 4 5 6 7 8 9; do ip route del 10.9$i.0.0/16 2>/dev/null; done");
	return 0;
}

/* ---------- tests ---------- */

/* Start: the link, then its address; a route through it once, however often
 * the kernel repeats it; a replaced one as a removal and an addition. */
static void test_dump_and_replace(void **state)
{
	NEED_NS();
	struct fx *f = *state;
	expect(f, "link v0 up running\n+ addr 10.1.0.4/24\n");
	assert_int_equal(sh("ip route add 10.90.0.0/16 via 10.1.0.5"), 0);
	expect(f, "+ route 10.90.0.0/16 via 10.1.0.5 v0\n");
	assert_int_equal(sh("ip route replace 10.90.0.0/16 via 10.1.0.5"), 0);
	expect(f, "");
	assert_int_equal(sh("ip route replace 10.90.0.0/16 via 10.1.0.6"), 0);
	expect(f, "- route 10.90.0.0/16 via 10.1.0.5 v0\n+ route 10.90.0.0/16 via 10.1.0.6 v0\n");
	assert_int_equal(sh("ip route del 10.90.0.0/16"), 0);
	expect(f, "- route 10.90.0.0/16 via 10.1.0.6 v0\n");
	/* nvad's own routes (protocol 186): their events never arrive. */
	assert_int_equal(sh("ip route add 10.97.0.0/16 via 10.1.0.5 proto 186 && "
			    "ip route del 10.97.0.0/16 proto 186"), 0);
	expect(f, "");
	const struct kernel_link *l = kernel_link_get(f->k, f->rec.v0);
	assert_non_null(l);
	assert_true(l->admin_up && l->running);
}

/* Set down: the kernel drops the route without an event; it is reported
 * removed with the address, and only the address comes back. */
static void test_admin_down(void **state)
{
	NEED_NS();
	struct fx *f = *state;
	expect(f, "link v0 up running\n+ addr 10.1.0.4/24\n");
	assert_int_equal(sh("ip route add 10.91.0.0/16 via 10.1.0.5"), 0);
	expect(f, "+ route 10.91.0.0/16 via 10.1.0.5 v0\n");
	assert_int_equal(sh("ip link set v0 down"), 0);
	expect(f, "- addr 10.1.0.4/24\n- route 10.91.0.0/16 via 10.1.0.5 v0\nlink v0 down\n");
	assert_int_not_equal(sh("ip route show 10.91.0.0/16 | grep -q ."), 0); /* the kernel's too */
	assert_int_equal(sh("ip link set v0 up"), 0);
	expect(f, "link v0 up running\n+ addr 10.1.0.4/24\n");
}

/* No carrier (the other end down): the kernel keeps the route, linkdown;
 * reported removed, then added again when the carrier returns. */
static void test_carrier(void **state)
{
	NEED_NS();
	struct fx *f = *state;
	expect(f, "link v0 up running\n+ addr 10.1.0.4/24\n");
	assert_int_equal(sh("ip route add 10.92.0.0/16 via 10.1.0.5"), 0);
	expect(f, "+ route 10.92.0.0/16 via 10.1.0.5 v0\n");
	assert_int_equal(sh("ip link set v1 down"), 0);
	expect(f, "- addr 10.1.0.4/24\n- route 10.92.0.0/16 via 10.1.0.5 v0\nlink v0 up\n");
	assert_int_equal(sh("ip route show 10.92.0.0/16 | grep -q linkdown"), 0);
	/* A route added meanwhile through the link is held back too. */
	assert_int_equal(sh("ip route add 10.93.0.0/16 via 10.1.0.5 dev v0 onlink"), 0);
	expect(f, "");
	assert_int_equal(sh("ip link set v1 up"), 0);
	pump(f);
	const char *got = strbuf_str(&f->rec.log);
	assert_non_null(strstr(got, "link v0 up running\n+ addr 10.1.0.4/24\n"));
	assert_non_null(strstr(got, "+ route 10.92.0.0/16 via 10.1.0.5 v0\n"));
	assert_non_null(strstr(got, "+ route 10.93.0.0/16 via 10.1.0.5 v0\n"));
	strbuf_reset(&f->rec.log);
}

/* Lost events: a route deleted behind the module's back is reported removed
 * by the resync, and the late event for it is not reported again; one added
 * meanwhile is reported once. */
static void test_resync(void **state)
{
	NEED_NS();
	struct fx *f = *state;
	expect(f, "link v0 up running\n+ addr 10.1.0.4/24\n");
	assert_int_equal(sh("ip route add 10.94.0.0/16 via 10.1.0.5"), 0);
	expect(f, "+ route 10.94.0.0/16 via 10.1.0.5 v0\n");
	/* Changes whose events are not read before the resync. */
	assert_int_equal(sh("ip route del 10.94.0.0/16 && ip route add 10.95.0.0/16 via 10.1.0.6"), 0);
	kernel_resync(f->k);
	const char *got = strbuf_str(&f->rec.log);
	assert_string_equal(got, "+ route 10.95.0.0/16 via 10.1.0.6 v0\n- route 10.94.0.0/16 via 10.1.0.5 v0\n");
	strbuf_reset(&f->rec.log);
	expect(f, ""); /* the queued events change nothing */
	assert_int_equal(sh("ip route del 10.95.0.0/16"), 0);
	expect(f, "- route 10.95.0.0/16 via 10.1.0.6 v0\n");
}

/* A removed interface: its address and routes reported removed, then the
 * link itself. */
static void test_removed(void **state)
{
	NEED_NS();
	struct fx *f = *state;
	expect(f, "link v0 up running\n+ addr 10.1.0.4/24\n");
	assert_int_equal(sh("ip route add 10.96.0.0/16 via 10.1.0.5"), 0);
	expect(f, "+ route 10.96.0.0/16 via 10.1.0.5 v0\n");
	assert_int_equal(sh("ip link del v0"), 0);
	pump(f);
	const char *got = strbuf_str(&f->rec.log);
	/* Deleting a veth first sets it down: either way, each once. */
	assert_non_null(strstr(got, "- addr 10.1.0.4/24\n"));
	assert_non_null(strstr(got, "- route 10.96.0.0/16 via 10.1.0.5 v0\n"));
	assert_null(strstr(strstr(got, "- addr") + 1, "- addr"));
	assert_null(strstr(strstr(got, "- route") + 1, "- route"));
	assert_non_null(strstr(got, "removed\n"));
	assert_null(kernel_link_get(f->k, f->rec.v0));
	strbuf_reset(&f->rec.log);
	/* Back for any later test. */
	assert_int_equal(sh("ip link add v0 type veth peer name v1 && ip link set v0 up && "
			    "ip link set v1 up && ip addr add 10.1.0.4/24 dev v0"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dump_and_replace, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_admin_down, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_carrier, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_resync, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_removed, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}

/* test_kernel_link.c: kernel_vxlan_apply() against the real kernel, in a
 * network namespace of the test process's own (unshare, gone at exit), read
 * back with `ip -d -j link` and `ip -j addr`; skipped when not root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "netns_testutil.h"

#include <json-c/json.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf/conf.h"
#include "kernel/link.h"

static bool usable; /* root, a namespace of our own and `ip` */
static struct logger lg;

static int setup(void **state)
{
	(void)state;
	log_open(&lg, "test_kernel_link", LOG_LVL_INFO, false);
	/* The underlay: a veth pair, both ends in this namespace. */
	int rc = netns_enter("ip link set lo up && ip link add ul0 type veth peer name ul1 && "
			     "ip link set ul0 up && ip link set ul1 up && ip addr add 10.0.0.4/24 dev ul0");
	usable = rc == 0;
	return rc < 0 ? -1 : 0;
}

#define NEED_NS()             \
	do {                  \
		if (!usable)  \
			skip(); \
	} while (0)

/* ---------- the configuration, through the parser ---------- */

static struct conf *cfg(const char *text)
{
	struct conf_errors e = CONF_ERRORS_INIT;
	struct conf *c = conf_parse(text, strlen(text), "k.conf", &e);
	for (size_t i = 0; i < e.n; i++)
		print_error("%s\n", e.items[i].text);
	assert_non_null(c);
	conf_errors_free(&e);
	return c;
}

/* What the caller remembers between calls: the names nvad manages. */
static struct kernel_names managed;

/* Applies text; returns the result (free it) and keeps its managed names. */
static bool apply(const char *text, struct kernel_link_result *res)
{
	struct conf *c = cfg(text);
	bool ok = kernel_vxlan_apply(c->nvad.vxlans, c->nvad.n_vxlans,
				     (const char *const *)managed.v, managed.n, &lg, res);
	conf_free(c);
	kernel_names_free(&managed);
	managed = res->managed;
	res->managed = (struct kernel_names){ 0 };
	for (size_t i = 0; i < res->errors.n; i++)
		print_message("error: %s\n", res->errors.v[i]);
	return ok;
}

static bool has_name(const struct kernel_names *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

/* ---------- the kernel's state, through iproute2's JSON ---------- */

static struct json_object *ip_json(const char *args)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "ip %s 2>/dev/null", args);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	int rc = pclose(f);
	if (rc != 0)
		return NULL;
	return json_tokener_parse(buf);
}

struct link_view {
	bool exists;
	int ifindex;
	int mtu;
	bool up;
	char alias[64];
	long vni;
	char remote[64], local[64], link[32];
	int port;
	char addrs[256]; /* "A/L A/L", kernel order, link-local IPv6 left out */
};

static const char *jstr(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
		return "";
	return json_object_get_string(v);
}

static long jint(struct json_object *o, const char *key)
{
	struct json_object *v;
	if (!o || !json_object_object_get_ex(o, key, &v))
		return -1;
	return (long)json_object_get_int64(v);
}

static void copy(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

static struct link_view view(const char *name)
{
	struct link_view lv = { 0 };
	char args[128];
	snprintf(args, sizeof args, "-d -j link show dev %s", name);
	struct json_object *j = ip_json(args);
	if (!j)
		return lv;
	struct json_object *l = json_object_array_get_idx(j, 0), *info, *data, *flags;
	lv.exists = l != NULL;
	lv.ifindex = (int)jint(l, "ifindex");
	lv.mtu = (int)jint(l, "mtu");
	copy(lv.alias, sizeof lv.alias, jstr(l, "ifalias"));
	if (json_object_object_get_ex(l, "flags", &flags))
		for (size_t i = 0; i < json_object_array_length(flags); i++)
			lv.up |= strcmp(json_object_get_string(json_object_array_get_idx(flags, i)), "UP") == 0;
	if (json_object_object_get_ex(l, "linkinfo", &info) &&
	    json_object_object_get_ex(info, "info_data", &data)) {
		lv.vni = jint(data, "id");
		copy(lv.remote, sizeof lv.remote, *jstr(data, "remote") ? jstr(data, "remote") : jstr(data, "remote6"));
		copy(lv.local, sizeof lv.local, *jstr(data, "local") ? jstr(data, "local") : jstr(data, "local6"));
		copy(lv.link, sizeof lv.link, jstr(data, "link"));
		lv.port = (int)jint(data, "port");
	}
	json_object_put(j);

	snprintf(args, sizeof args, "-j addr show dev %s", name);
	j = ip_json(args);
	struct json_object *ai;
	l = j ? json_object_array_get_idx(j, 0) : NULL;
	if (l && json_object_object_get_ex(l, "addr_info", &ai))
		for (size_t i = 0; i < json_object_array_length(ai); i++) {
			struct json_object *a = json_object_array_get_idx(ai, i);
			if (strcmp(jstr(a, "scope"), "link") == 0)
				continue;
			size_t used = strlen(lv.addrs);
			snprintf(lv.addrs + used, sizeof lv.addrs - used, "%s%s/%ld", used ? " " : "",
				 jstr(a, "local"), jint(a, "prefixlen"));
		}
	if (j)
		json_object_put(j);
	return lv;
}

/* ---------- the cases, in order: each starts from the previous one's state ---------- */

#define P5 "nvad vxlan vxlan0 vni 77 remote 10.100.0.4 dstport 4789 dev ul0 mtu 1450 address 169.254.0.1/24\n"

static int first_ifindex;

static void test_create(void **state)
{
	(void)state;
	NEED_NS();
	struct kernel_link_result res;
	assert_true(apply(P5, &res));
	assert_int_equal(res.errors.n, 0);
	assert_int_equal(managed.n, 1);
	assert_string_equal(managed.v[0], "vxlan0");
	kernel_link_result_free(&res);

	struct link_view lv = view("vxlan0");
	assert_true(lv.exists);
	assert_int_equal(lv.vni, 77);
	assert_string_equal(lv.remote, "10.100.0.4");
	assert_string_equal(lv.local, "");
	assert_int_equal(lv.port, 4789);
	assert_string_equal(lv.link, "ul0");
	assert_int_equal(lv.mtu, 1450);
	assert_true(lv.up);
	assert_string_equal(lv.alias, KERNEL_LINK_ALIAS);
	assert_string_equal(lv.addrs, "169.254.0.1/24");
	first_ifindex = lv.ifindex;
}

static void test_again_nothing_changes(void **state)
{
	(void)state;
	NEED_NS();
	/* The same interface, written in another order. */
	struct kernel_link_result res;
	assert_true(apply("nvad vxlan vxlan0 address 169.254.0.1/24 mtu 1450 dev ul0 remote 10.100.0.4 "
			  "vni 77\n", &res));
	assert_int_equal(res.errors.n, 0);
	kernel_link_result_free(&res);
	struct link_view lv = view("vxlan0");
	assert_int_equal(lv.ifindex, first_ifindex);
	assert_int_equal(lv.vni, 77);
	assert_int_equal(lv.mtu, 1450);
	assert_string_equal(lv.addrs, "169.254.0.1/24");
	assert_true(managed.n == 1 && has_name(&managed, "vxlan0"));
}

static void test_in_place(void **state)
{
	(void)state;
	NEED_NS();
	/* Someone set it down: brought back up too. */
	assert_int_equal(sh("ip link set vxlan0 down"), 0);
	struct kernel_link_result res;
	assert_true(apply("nvad vxlan vxlan0 vni 77 remote 10.100.0.4 dev ul0 mtu 1400 "
			  "address 169.254.0.1/16 fd00:77::1/64 169.254.9.1/24\n", &res));
	assert_int_equal(res.errors.n, 0);
	kernel_link_result_free(&res);
	struct link_view lv = view("vxlan0");
	assert_int_equal(lv.ifindex, first_ifindex);
	assert_int_equal(lv.mtu, 1400);
	assert_true(lv.up);
	assert_string_equal(lv.addrs, "169.254.0.1/16 169.254.9.1/24 fd00:77::1/64");

	/* An address removed, MTU left to the kernel: ul0's 1500 less 50. */
	assert_true(apply("nvad vxlan vxlan0 vni 77 remote 10.100.0.4 dev ul0 address 169.254.9.1/24\n",
			  &res));
	kernel_link_result_free(&res);
	lv = view("vxlan0");
	assert_int_equal(lv.ifindex, first_ifindex);
	assert_int_equal(lv.mtu, 1450);
	assert_string_equal(lv.addrs, "169.254.9.1/24");
}

static void test_recreated(void **state)
{
	(void)state;
	NEED_NS();
	struct kernel_link_result res;
	assert_true(apply("nvad vxlan vxlan0 vni 78 remote 10.100.0.4 dev ul0 mtu 1450 "
			  "address 169.254.0.1/24\n", &res));
	assert_int_equal(res.errors.n, 0);
	kernel_link_result_free(&res);
	struct link_view lv = view("vxlan0");
	assert_true(lv.exists);
	assert_int_not_equal(lv.ifindex, first_ifindex);
	assert_int_equal(lv.vni, 78);
	assert_int_equal(lv.mtu, 1450);
	assert_string_equal(lv.alias, KERNEL_LINK_ALIAS);
	assert_string_equal(lv.addrs, "169.254.0.1/24");
	int second = lv.ifindex;

	/* local, port and dev are VXLAN parameters too. */
	assert_true(apply("nvad vxlan vxlan0 vni 78 remote 10.100.0.4 local 10.0.0.4 dstport 8472 "
			  "mtu 1450 address 169.254.0.1/24\n", &res));
	kernel_link_result_free(&res);
	lv = view("vxlan0");
	assert_int_not_equal(lv.ifindex, second);
	assert_string_equal(lv.local, "10.0.0.4");
	assert_int_equal(lv.port, 8472);
	assert_string_equal(lv.link, "");
	assert_int_equal(lv.mtu, 1450);
}

static void test_ipv6_underlay(void **state)
{
	(void)state;
	NEED_NS();
	struct kernel_link_result res;
	assert_true(apply("nvad vxlan vxlan0 vni 78 remote 10.100.0.4 local 10.0.0.4 dstport 8472 "
			  "mtu 1450 address 169.254.0.1/24\n"
			  "nvad vxlan vx6 vni 77 remote 2001:db8::2 local 2001:db8::1 dev ul0 "
			  "address fd00:6::1/64\n", &res));
	assert_int_equal(res.errors.n, 0);
	kernel_link_result_free(&res);
	assert_int_equal(managed.n, 2);
	struct link_view lv = view("vx6");
	assert_int_equal(lv.vni, 77);
	assert_string_equal(lv.remote, "2001:db8::2");
	assert_string_equal(lv.local, "2001:db8::1");
	assert_int_equal(lv.mtu, 1430); /* 1500 less the IPv6 overhead */
	assert_string_equal(lv.addrs, "fd00:6::1/64");

	struct kernel_names owned;
	assert_true(kernel_link_owned(&owned));
	assert_int_equal(owned.n, 2);
	assert_true(has_name(&owned, "vxlan0") && has_name(&owned, "vx6"));
	kernel_names_free(&owned);
}

static void test_removed(void **state)
{
	(void)state;
	NEED_NS();
	struct kernel_link_result res;
	assert_true(apply("nvad vxlan vx6 vni 77 remote 2001:db8::2 local 2001:db8::1 dev ul0 "
			  "address fd00:6::1/64\n", &res));
	kernel_link_result_free(&res);
	assert_false(view("vxlan0").exists);
	assert_true(view("vx6").exists);
	assert_true(managed.n == 1 && has_name(&managed, "vx6"));
	assert_true(apply("hostname h\n", &res));
	kernel_link_result_free(&res);
	assert_false(view("vx6").exists);
	assert_int_equal(managed.n, 0);
	assert_true(view("ul0").exists); /* the underlay is not nvad's */
}

static void test_foreign_left_alone(void **state)
{
	(void)state;
	NEED_NS();
	assert_int_equal(sh("ip link add vxlan0 type vxlan id 5 remote 10.1.1.1 dstport 4789 && "
			    "ip addr add 192.0.2.1/24 dev vxlan0"), 0);
	struct link_view before = view("vxlan0");
	struct kernel_link_result res;
	assert_false(apply(P5, &res));
	assert_int_equal(res.errors.n, 1);
	assert_non_null(strstr(res.errors.v[0], "vxlan0: "));
	assert_non_null(strstr(res.errors.v[0], "nvad did not create"));
	kernel_link_result_free(&res);
	assert_int_equal(managed.n, 0);
	struct link_view lv = view("vxlan0");
	assert_int_equal(lv.ifindex, before.ifindex);
	assert_int_equal(lv.vni, 5);
	assert_string_equal(lv.addrs, "192.0.2.1/24");
	assert_string_equal(lv.alias, "");

	/* Named as managed by a confused caller: still not removed. */
	char *name = strdup("vxlan0");
	const char *const old[] = { name };
	assert_true(kernel_vxlan_apply(NULL, 0, old, 1, &lg, &res));
	assert_int_equal(res.managed.n, 0);
	kernel_link_result_free(&res);
	free(name);
	assert_int_equal(view("vxlan0").ifindex, before.ifindex);
	assert_int_equal(sh("ip link del vxlan0"), 0);
}

static void test_errors_others_applied(void **state)
{
	(void)state;
	NEED_NS();
	struct kernel_link_result res;
	/* VNI 12 on port 4789 is taken by an interface nvad does not own. */
	assert_int_equal(sh("ip link add vxf type vxlan id 12 remote 10.1.1.1 dstport 4789"), 0);
	assert_false(apply("nvad vxlan vxa vni 10 remote 10.100.0.4 dev eth9 address 169.254.1.1/24\n"
			   "nvad vxlan vxb vni 11 remote 10.100.0.5 dev ul0 address 169.254.2.1/24\n"
			   "nvad vxlan vxc vni 12 remote 10.100.0.6 dev ul0\n"
			   "nvad vxlan vxd vni 13 remote 10.100.0.7 dev ul0 mtu 1490\n", &res));
	assert_int_equal(res.errors.n, 3);
	assert_string_equal(res.errors.v[0], "vxa: dev eth9: no such interface");
	/* The kernel's refusal, with its reason (its extended ack when it gives one). */
	print_message("kernel: %s\n", res.errors.v[1]);
	assert_true(strncmp(res.errors.v[1], "vxc: cannot create (VNI 12, ", 28) == 0);
	assert_non_null(strstr(res.errors.v[1], "File exists"));
	/* An MTU above what dev allows: the kernel clamps it at creation and
	 * refuses it after; reported, with the limit. */
	print_message("kernel: %s\n", res.errors.v[2]);
	assert_string_equal(res.errors.v[2], "vxd: cannot set MTU 1490: Invalid argument (at most 1450 over ul0)");
	kernel_link_result_free(&res);
	assert_false(view("vxa").exists);
	assert_false(view("vxc").exists);
	assert_int_equal(view("vxf").vni, 12);
	assert_int_equal(view("vxd").mtu, 1450);
	assert_int_equal(sh("ip link del vxf"), 0);
	struct link_view lv = view("vxb");
	assert_int_equal(lv.vni, 11);
	assert_string_equal(lv.addrs, "169.254.2.1/24");
	assert_true(managed.n == 2 && has_name(&managed, "vxb") && has_name(&managed, "vxd"));

	/* A working one whose dev goes bad: reported, and the old one kept. */
	assert_false(apply("nvad vxlan vxb vni 11 remote 10.100.0.5 dev eth9 address 169.254.2.1/24\n",
			   &res));
	assert_int_equal(res.errors.n, 1);
	assert_string_equal(res.errors.v[0], "vxb: dev eth9: no such interface");
	kernel_link_result_free(&res);
	assert_int_equal(view("vxb").ifindex, lv.ifindex);
	assert_true(has_name(&managed, "vxb"));

	assert_true(apply("", &res));
	kernel_link_result_free(&res);
	assert_false(view("vxb").exists);
}

/* The names given as managed_old may repeat or be gone already. */
static void test_managed_old_oddities(void **state)
{
	(void)state;
	NEED_NS();
	struct kernel_link_result res;
	const char *const old[] = { "gone0", "gone0", "vxq" };
	struct conf *c = cfg("nvad vxlan vxq vni 300 remote 10.100.0.9\n");
	assert_true(kernel_vxlan_apply(c->nvad.vxlans, c->nvad.n_vxlans, old, 3, &lg, &res));
	assert_int_equal(res.managed.n, 1);
	assert_string_equal(res.managed.v[0], "vxq");
	assert_int_equal(view("vxq").mtu, 1500); /* no dev: the kernel's 1500 */
	kernel_link_result_free(&res);
	assert_true(kernel_vxlan_apply(c->nvad.vxlans, c->nvad.n_vxlans, old, 3, NULL, NULL));
	assert_true(kernel_vxlan_apply(NULL, 0, old, 3, &lg, NULL));
	assert_false(view("vxq").exists);
	conf_free(c);
}

/* An interface with nvad's mark that is not a VXLAN one is nvad's: made again. */
static void test_marked_other_kind(void **state)
{
	(void)state;
	NEED_NS();
	if (sh("ip link add vxk type veth peer name vxk-peer 2>/dev/null") != 0)
		skip();
	assert_int_equal(sh("ip link set vxk alias '" KERNEL_LINK_ALIAS "'"), 0);
	int before = view("vxk").ifindex;
	struct kernel_link_result res;
	struct conf *c = cfg("nvad vxlan vxk vni 400 remote 10.100.0.9 dev ul0\n");
	assert_true(kernel_vxlan_apply(c->nvad.vxlans, c->nvad.n_vxlans, NULL, 0, &lg, &res));
	assert_int_equal(res.managed.n, 1);
	kernel_link_result_free(&res);
	struct link_view lv = view("vxk");
	assert_int_not_equal(lv.ifindex, before);
	assert_int_equal(lv.vni, 400);
	assert_false(view("vxk-peer").exists); /* went with its pair */
	const char *const old[] = { "vxk" };
	assert_true(kernel_vxlan_apply(NULL, 0, old, 1, &lg, NULL));
	assert_false(view("vxk").exists);
	conf_free(c);
}

static int teardown(void **state)
{
	(void)state;
	kernel_names_free(&managed);
	return 0; /* the namespace goes with the process */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create),
		cmocka_unit_test(test_again_nothing_changes),
		cmocka_unit_test(test_in_place),
		cmocka_unit_test(test_recreated),
		cmocka_unit_test(test_ipv6_underlay),
		cmocka_unit_test(test_removed),
		cmocka_unit_test(test_foreign_left_alone),
		cmocka_unit_test(test_errors_others_applied),
		cmocka_unit_test(test_managed_old_oddities),
		cmocka_unit_test(test_marked_other_kind),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

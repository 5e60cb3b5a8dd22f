/* nl_writer.c: the minimal batched netlink writer, as a yardstick for route
 * installation: N synthetic routes written with kernel_route_replace and
 * flushed, timed until the kernel has them all, then deleted, timed too.
 * Run it in a namespace of its own: bench/nl_writer.sh sets one up. */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/route.h"

struct opts {
	unsigned long n;
	bool v6;
	size_t batch;
	unsigned ecmp;
	uint32_t table;
	const char *dev;
	bool verify;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: nl_writer N [--ipv6] [--batch BYTES] [--ecmp K] [--table T] [--dev IF]\n"
		"                   [--no-verify]\n"
		"  Installs N routes (IPv4 /24s from 16.0.0.0, or IPv6 /48s from fd01::) via\n"
		"  gateways 10.0.0.2.. or fd00:ffff::2.. on IF (default nlw0, which must hold\n"
		"  10.0.0.1/24 and fd00:ffff::1/64), then deletes them; prints the rates.\n");
	exit(2);
}

static bool parse_ulong(const char *s, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (errno || end == s || *end)
		return false;
	*out = v;
	return true;
}

static void parse(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .batch = KERNEL_BATCH_DEFAULT, .ecmp = 1, .table = 254, .dev = "nlw0",
			    .verify = true };
	bool have_n = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		unsigned long v;
		if (strcmp(a, "--ipv6") == 0) {
			o->v6 = true;
		} else if (strcmp(a, "--no-verify") == 0) {
			o->verify = false;
		} else if (strcmp(a, "--dev") == 0 && i + 1 < argc) {
			o->dev = argv[++i];
		} else if ((strcmp(a, "--batch") == 0 || strcmp(a, "--ecmp") == 0 ||
			    strcmp(a, "--table") == 0) && i + 1 < argc) {
			if (!parse_ulong(argv[++i], &v))
				usage();
			if (a[2] == 'b')
				o->batch = v;
			else if (a[2] == 'e')
				o->ecmp = (unsigned)v;
			else
				o->table = (uint32_t)v;
		} else if (!have_n && parse_ulong(a, &v)) {
			o->n = v;
			have_n = true;
		} else {
			usage();
		}
	}
	if (!have_n || o->n == 0 || o->n > (1ul << 22) || o->ecmp < 1 || o->ecmp > 64 || !o->table)
		usage();
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The i-th synthetic prefix. */
static void nth_prefix(const struct opts *o, unsigned long i, struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	if (o->v6) {
		p->family = AF_INET6;
		p->len = 48;
		p->a[0] = 0xfd;
		p->a[1] = 0x01;
		p->a[2] = (uint8_t)(i >> 24);
		p->a[3] = (uint8_t)(i >> 16);
		p->a[4] = (uint8_t)(i >> 8);
		p->a[5] = (uint8_t)i;
	} else {
		uint32_t a = (16u << 24) + ((uint32_t)i << 8);
		p->family = AF_INET;
		p->len = 24;
		p->a[0] = (uint8_t)(a >> 24);
		p->a[1] = (uint8_t)(a >> 16);
		p->a[2] = (uint8_t)(a >> 8);
	}
}

struct errs {
	unsigned long n;
};

static void on_error(void *ctx, const struct prefix *dst, int err)
{
	struct errs *e = ctx;
	if (e->n++ < 5) {
		char buf[PREFIX_STRLEN] = "(answers lost)";
		if (dst->family)
			prefix_fmt(dst, buf, sizeof(buf));
		fprintf(stderr, "nl_writer: %s: %s\n", buf, strerror(err));
	}
}

static void count_cb(void *ctx, const struct kernel_route_spec *r)
{
	(void)r;
	(*(unsigned long *)ctx)++;
}

static unsigned long count(const struct opts *o)
{
	unsigned long n = 0;
	if (!kernel_routes_dump(o->table, KERNEL_RTPROT_NVAD, count_cb, &n))
		fprintf(stderr, "nl_writer: dump failed: %s\n", strerror(errno));
	return n;
}

/* Writes (or deletes) every route, then waits for the kernel; seconds. */
static double run(struct kernel_writer *w, const struct opts *o, struct kernel_route_spec *r, bool del)
{
	double t0 = now();
	for (unsigned long i = 0; i < o->n; i++) {
		nth_prefix(o, i, &r->dst);
		if (!(del ? kernel_route_delete(w, r) : kernel_route_replace(w, r))) {
			fprintf(stderr, "nl_writer: cannot encode route %lu\n", i);
			exit(1);
		}
	}
	if (!kernel_writer_sync(w, 600000))
		fprintf(stderr, "nl_writer: sync failed (answers lost, or no answer in time)\n");
	return now() - t0;
}

int main(int argc, char **argv)
{
	struct opts o;
	parse(argc, argv, &o);
	struct logger log;
	log_open(&log, "nl_writer", LOG_LVL_WARN, false);
	int ifindex = (int)if_nametoindex(o.dev);
	if (!ifindex) {
		fprintf(stderr, "nl_writer: no interface %s (run through bench/nl_writer.sh)\n", o.dev);
		return 1;
	}
	struct errs e = { 0 };
	struct kernel_writer *w = kernel_writer_open(NULL, &log, on_error, &e);
	if (!w) {
		fprintf(stderr, "nl_writer: netlink: %s\n", strerror(errno));
		return 1;
	}
	if (!kernel_writer_set_batch(w, o.batch)) {
		fprintf(stderr, "nl_writer: batch of %zu bytes refused\n", o.batch);
		return 1;
	}
	static struct kernel_route_spec r;
	r.table = o.table;
	r.protocol = KERNEL_RTPROT_NVAD;
	r.metric = 20;
	r.n_nh = (uint8_t)o.ecmp;
	for (unsigned k = 0; k < o.ecmp; k++) {
		struct kernel_nexthop *nh = &r.nh[k];
		nh->kind = KERNEL_NH_GATEWAY;
		nh->ifindex = ifindex;
		nh->weight = 1;
		char gw[IPADDR_STRLEN];
		if (o.v6)
			snprintf(gw, sizeof(gw), "fd00:ffff::%x", k + 2);
		else
			snprintf(gw, sizeof(gw), "10.0.0.%u", k + 2);
		ipaddr_parse(gw, &nh->gateway);
	}

	struct kernel_writer_stats s0, s1, s2;
	kernel_writer_get_stats(w, &s0);
	double t_add = run(w, &o, &r, false);
	kernel_writer_get_stats(w, &s1);
	unsigned long installed = o.verify ? count(&o) : o.n;
	printf("install: %lu routes (%s, %u next hop%s, batch %zu bytes) in %.3f s: %lu sends, %.1f MB, "
	       "%lu errors; %lu in the kernel%s\n",
	       o.n, o.v6 ? "IPv6" : "IPv4", o.ecmp, o.ecmp > 1 ? "s" : "", o.batch, t_add,
	       (unsigned long)(s1.sends - s0.sends), (double)(s1.bytes - s0.bytes) / 1e6,
	       (unsigned long)(s1.errors - s0.errors), installed, o.verify ? "" : " (not checked)");
	double t_del = run(w, &o, &r, true);
	kernel_writer_get_stats(w, &s2);
	unsigned long left = o.verify ? count(&o) : 0;
	printf("delete: %lu routes in %.3f s: %lu sends, %lu errors; %lu left%s\n", o.n, t_del,
	       (unsigned long)(s2.sends - s1.sends), (unsigned long)(s2.errors - s1.errors), left,
	       o.verify ? "" : " (not checked)");
	printf("install %lu routes: %.0f routes/s; delete: %.0f routes/s\n", o.n, (double)o.n / t_add,
	       (double)o.n / t_del);
	kernel_writer_close(w);
	return installed == o.n && left == 0 && e.n == 0 ? 0 : 1;
}

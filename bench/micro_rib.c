/* micro_rib.c: a benchmark of the RIB's two core structures. It loads N
 * synthetic IPv4 prefixes shaped like the real table (prefix lengths from
 * dfz-stats.json) into a ptrie, one intrusive node per prefix holding a
 * pointer to interned attributes (P distinct sets), and prints rates and
 * memory. Not a test: run by hand (see docs/data-structures.md). */
#include <json-c/json.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "bgp/attr_intern.h"
#include "dfz.h"
#include "lib/ptrie.h"


/* A RIB destination as the RIB will have it: the trie node and one pointer
 * (to the best path; here straight to its interned attributes). */
struct dest {
	struct ptrie_node n;
	const struct bgp_iattrs *attrs;
};

struct opts {
	const char *stats;
	size_t n;
	size_t paths;
	bool slab;
	bool sorted; /* insert in address order, as a peer sends its table */
};

/* ---- small helpers ------------------------------------------------------------ */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd;
}

static size_t rss_bytes(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	if (!f)
		return 0;
	char line[256];
	size_t kb = 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %zu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);
	if (!p) {
		fprintf(stderr, "micro_rib: out of memory\n");
		exit(1);
	}
	return p;
}

/* ---- the run ------------------------------------------------------------------------ */

static double rate(size_t n, double secs)
{
	return secs > 0 ? (double)n / secs : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: micro_rib [--prefixes N] [--paths P] [--slab] [--sorted] [--stats FILE]\n");
	return 2;
}

static bool parse_opts(int argc, char **argv, struct opts *o)
{
	*o = (struct opts){ .stats = DFZ_DEFAULT_STATS, .n = 1000000, .paths = 1000 };
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--slab") == 0)
			o->slab = true;
		else if (strcmp(argv[i], "--sorted") == 0)
			o->sorted = true;
		else if (i + 1 < argc && strcmp(argv[i], "--prefixes") == 0)
			o->n = strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(argv[i], "--paths") == 0)
			o->paths = strtoul(argv[++i], NULL, 10);
		else if (i + 1 < argc && strcmp(argv[i], "--stats") == 0)
			o->stats = argv[++i];
		else
			return false;
	}
	return o->n > 0 && o->paths > 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	if (!parse_opts(argc, argv, &o))
		return usage();
	struct dfz_shape shape;
	if (!dfz_load_shape(o.stats, &shape))
		return 1;
	uint64_t *keys = dfz_make_prefixes(o.n, &shape, o.sorted);
	uint8_t *arena;
	struct bgp_attrs *sets = dfz_make_attrs(o.paths, &shape, NULL, &arena);
	uint32_t *probe = xcalloc(o.n, sizeof(*probe));
	for (size_t i = 0; i < o.n; i++)
		probe[i] = dfz_unicast_addr();
	malloc_trim(0);

	size_t heap0 = heap_bytes(), rss0 = rss_bytes();
	struct ptrie t;
	ptrie_init(&t, AF_INET);
	struct bgp_attr_table at;
	bgp_attr_table_init(&at);

	/* Destinations: one malloc each, or one slab for all (a pool's floor). */
	double t0 = now();
	struct dest **d = xcalloc(o.n, sizeof(*d));
	struct dest *slab = o.slab ? xcalloc(o.n, sizeof(*slab)) : NULL;
	for (size_t i = 0; i < o.n; i++)
		d[i] = slab ? &slab[i] : xcalloc(1, sizeof(struct dest));
	double t1 = now();
	size_t heap_a = heap_bytes();
	for (size_t i = 0; i < o.n; i++) {
		d[i]->attrs = bgp_attr_intern(&at, &sets[i % o.paths]);
		if (!d[i]->attrs)
			return 1;
	}
	double t2 = now();
	size_t heap_b = heap_bytes();
	for (size_t i = 0; i < o.n; i++) {
		struct prefix p = dfz_key_prefix(keys[i]);
		if (ptrie_insert(&t, &p, &d[i]->n) != &d[i]->n) {
			fprintf(stderr, "micro_rib: insert failed\n");
			return 1;
		}
	}
	double t3 = now();
	size_t heap1 = heap_bytes(), rss1 = rss_bytes();

	/* Exact lookups in another random order, longest matches of random
	 * addresses, and one full walk. */
	size_t found = 0;
	double t4 = now();
	for (size_t i = 0; i < o.n; i++) {
		struct prefix p = dfz_key_prefix(keys[(i * 7919) % o.n]);
		found += ptrie_lookup(&t, &p) != NULL;
	}
	double t5 = now();
	size_t matched = 0;
	for (size_t i = 0; i < o.n; i++) {
		struct ipaddr a = { .family = AF_INET };
		a.a[0] = (uint8_t)(probe[i] >> 24), a.a[1] = (uint8_t)(probe[i] >> 16);
		a.a[2] = (uint8_t)(probe[i] >> 8), a.a[3] = (uint8_t)probe[i];
		matched += ptrie_match(&t, &a) != NULL;
	}
	double t6 = now();
	struct ptrie_iter it;
	ptrie_iter_init(&it, &t);
	size_t walked = 0;
	while (ptrie_iter_next(&it))
		walked++;
	double t7 = now();
	if (found != o.n || walked != o.n) {
		fprintf(stderr, "micro_rib: found %zu walked %zu of %zu\n", found, walked, o.n);
		return 1;
	}

	size_t attr_bytes = bgp_attr_table_bytes(&at), attr_n = bgp_attr_table_count(&at);
	size_t rss = rss1 - rss0;
	size_t index = o.n * sizeof(struct dest *); /* the bench's own d[] array */
	size_t dest_heap = heap_a - heap0 - index, attr_heap = heap_b - heap_a;
	size_t trie_heap = heap1 - heap_b, rib_heap = dest_heap + trie_heap;
	printf("prefixes            %zu (IPv4, glue nodes %zu = %.2f per prefix)\n", o.n, t.glue,
	       (double)t.glue / (double)o.n);
	printf("dest allocation     %s, %zu bytes per dest struct; insert order %s\n",
	       o.slab ? "one slab" : "malloc each", sizeof(struct dest),
	       o.sorted ? "by address" : "random");
	printf("attribute sets      %zu distinct: %zu bytes counted by the table, %zu on the "
	       "heap (%.1f per set)\n",
	       attr_n, attr_bytes, attr_heap, (double)attr_heap / (double)attr_n);
	printf("insert (trie)       %.2f M/s\n", rate(o.n, t3 - t2) / 1e6);
	printf("intern (per route)  %.2f M/s\n", rate(o.n, t2 - t1) / 1e6);
	printf("dest alloc          %.2f M/s\n", rate(o.n, t1 - t0) / 1e6);
	printf("lookup exact        %.2f M/s\n", rate(o.n, t5 - t4) / 1e6);
	printf("longest match       %.2f M/s (%zu of %zu random addresses matched)\n",
	       rate(o.n, t6 - t5) / 1e6, matched, o.n);
	printf("walk                %.2f M/s\n", rate(o.n, t7 - t6) / 1e6);
	printf("trie glue pool      %zu bytes (%.1f per prefix)\n", ptrie_bytes(&t),
	       (double)ptrie_bytes(&t) / (double)o.n);
	printf("heap: dests         %.1f bytes per prefix\n", (double)dest_heap / (double)o.n);
	printf("heap: trie glue     %.1f bytes per prefix\n", (double)trie_heap / (double)o.n);
	printf("heap: trie + dests  %.1f bytes per prefix (%.1f MiB)\n",
	       (double)rib_heap / (double)o.n, (double)rib_heap / 1048576.0);
	printf("heap: with attrs    %.1f bytes per prefix (%.1f MiB)\n",
	       (double)(rib_heap + attr_heap) / (double)o.n,
	       (double)(rib_heap + attr_heap) / 1048576.0);
	printf("RSS growth          %.1f MiB (includes the bench's %.1f MiB index)\n",
	       (double)rss / 1048576.0, (double)index / 1048576.0);

	/* Tear down: remove every prefix, drop every reference. */
	double t8 = now();
	for (size_t i = 0; i < o.n; i++)
		if (!ptrie_remove(&t, &d[i]->n))
			return 1;
	double t9 = now();
	for (size_t i = 0; i < o.n; i++) {
		bgp_attr_unref(&at, d[i]->attrs);
		if (!slab)
			free(d[i]);
	}
	printf("remove              %.2f M/s\n", rate(o.n, t9 - t8) / 1e6);
	ptrie_destroy(&t, NULL, NULL);
	size_t left = bgp_attr_table_destroy(&at);
	free(slab);
	free(d);
	free(probe);
	free(sets);
	free(arena);
	free(keys);
	if (left) {
		fprintf(stderr, "micro_rib: %zu attribute sets still referenced\n", left);
		return 1;
	}
	return 0;
}

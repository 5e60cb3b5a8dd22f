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
#include "lib/ptrie.h"

#define DEFAULT_STATS "/work/shared/data/dfz-stats.json"
#define MAX_LEN_HIST 33
#define MAX_PATH 16

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

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

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

/* ---- the shape of the table ---------------------------------------------------- */

struct shape {
	double len_weight[MAX_LEN_HIST];     /* prefix length -> share */
	double path_weight[MAX_PATH + 1];    /* AS path length -> share */
	double prepend_share;
};

static bool load_hist(json_object *h, double *w, size_t cap, bool slash)
{
	if (!h || !json_object_is_type(h, json_type_object))
		return false;
	double total = 0;
	json_object_object_foreach(h, key, val)
	{
		unsigned k = (unsigned)atoi(key + (slash && key[0] == '/' ? 1 : 0));
		if (k < cap) {
			w[k] = json_object_get_double(val);
			total += w[k];
		}
	}
	for (size_t i = 0; i < cap; i++)
		w[i] /= total;
	return total > 0;
}

static bool load_shape(const char *file, struct shape *s)
{
	memset(s, 0, sizeof(*s));
	json_object *root = json_object_from_file(file);
	if (!root) {
		fprintf(stderr, "micro_rib: cannot read %s: %s\n", file, json_util_get_last_err());
		return false;
	}
	json_object *pfx, *rib, *h, *share;
	bool ok = json_object_object_get_ex(root, "routeviews_rv2_pfx2as_2024_04_06", &pfx) &&
		  json_object_object_get_ex(pfx, "prefix_length_histogram", &h) &&
		  load_hist(h, s->len_weight, MAX_LEN_HIST, true) &&
		  json_object_object_get_ex(root, "routeviews_rib_2014_05_23_firstMB", &rib) &&
		  json_object_object_get_ex(rib, "len_hist_no_prepend", &h) &&
		  load_hist(h, s->path_weight, MAX_PATH + 1, false) &&
		  json_object_object_get_ex(rib, "share_with_prepending", &share);
	if (ok)
		s->prepend_share = json_object_get_double(share);
	else
		fprintf(stderr, "micro_rib: %s lacks the expected histograms\n", file);
	json_object_put(root);
	return ok;
}

static unsigned draw(const double *w, size_t n)
{
	double r = (double)(rng() >> 11) / 9007199254740992.0, acc = 0;
	for (size_t i = 0; i < n; i++) {
		acc += w[i];
		if (r < acc)
			return (unsigned)i;
	}
	return (unsigned)(n - 1);
}

/* ---- synthetic prefixes ---------------------------------------------------------- */

/* Prefixes cluster in allocations: lengths 16 and up fall in one of BLOCKS
 * random /16s (about 25 prefixes each for 1M, as in the real table), shorter
 * ones anywhere in unicast space. Key: address << 8 | length. */
#define BLOCKS 40000

static uint32_t unicast_addr(void)
{
	for (;;) {
		uint32_t a = (uint32_t)(rng() >> 32);
		uint8_t first = (uint8_t)(a >> 24);
		if (first != 0 && first != 10 && first != 127 && first < 224)
			return a;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t *make_prefixes(size_t n, const struct shape *s, bool sorted)
{
	uint32_t *block = xcalloc(BLOCKS, sizeof(*block));
	for (size_t i = 0; i < BLOCKS; i++)
		block[i] = unicast_addr() & 0xffff0000u;
	uint64_t *k = xcalloc(n, sizeof(*k));
	size_t have = 0;
	while (have < n) {
		for (size_t i = have; i < n; i++) {
			unsigned len = draw(s->len_weight, MAX_LEN_HIST);
			uint32_t a = unicast_addr();
			if (len >= 16)
				a = block[rng() % BLOCKS] | (a & 0xffffu);
			a = len ? a & ~(UINT32_MAX >> len) : 0;
			k[i] = (uint64_t)a << 8 | len;
		}
		qsort(k, n, sizeof(*k), cmp_u64);
		have = 0;
		for (size_t i = 0; i < n; i++)
			if (!have || k[i] != k[have - 1])
				k[have++] = k[i];
	}
	/* Random order unless asked: the worst case for locality. */
	for (size_t i = n - 1; i > 0 && !sorted; i--) {
		size_t j = rng() % (i + 1);
		uint64_t t = k[i];
		k[i] = k[j];
		k[j] = t;
	}
	free(block);
	return k;
}

static struct prefix key_prefix(uint64_t k)
{
	struct prefix p = { .family = AF_INET, .len = (uint8_t)(k & 0xff) };
	uint32_t a = (uint32_t)(k >> 8);
	p.a[0] = (uint8_t)(a >> 24), p.a[1] = (uint8_t)(a >> 16);
	p.a[2] = (uint8_t)(a >> 8), p.a[3] = (uint8_t)a;
	return p;
}

/* ---- synthetic attribute sets ------------------------------------------------------ */

/* P distinct sets: path lengths from the histogram, prepending as often as in
 * the real table, 40% with 2 to 4 communities, one of two next hops. Each set
 * has its own origin AS, which keeps them distinct. */
static struct bgp_attrs *make_attrs(size_t paths, const struct shape *s, uint8_t **arena_out)
{
	struct bgp_attrs *a = xcalloc(paths, sizeof(*a));
	size_t per = 2 + 4 * (MAX_PATH + 3) + 4 * 4;
	uint8_t *arena = xcalloc(paths, per);
	static const uint32_t neighbours[] = { 174, 1299, 2914, 3257, 3356, 6453, 6939, 12076 };
	for (size_t i = 0; i < paths; i++) {
		uint8_t *p = arena + i * per, *w = p;
		unsigned len = draw(s->path_weight, MAX_PATH + 1);
		if (len < 1)
			len = 1;
		unsigned prepend = (double)(rng() >> 11) / 9007199254740992.0 < s->prepend_share
					   ? 1 + (unsigned)(rng() % 2)
					   : 0;
		uint32_t as[MAX_PATH + 3];
		unsigned n = 0;
		as[n++] = neighbours[rng() % 8];
		for (unsigned k = 0; k < prepend; k++)
			as[n++] = as[0];
		for (unsigned k = 1; k + 1 < len; k++)
			as[n++] = 1 + (uint32_t)(rng() % 64000);
		if (len > 1)
			as[n++] = 1000 + (uint32_t)i; /* the origin, unique per set */
		else
			as[0] = 1000 + (uint32_t)i;
		*w++ = BGP_AS_SEQUENCE;
		*w++ = (uint8_t)n;
		for (unsigned k = 0; k < n; k++) {
			*w++ = (uint8_t)(as[k] >> 24), *w++ = (uint8_t)(as[k] >> 16);
			*w++ = (uint8_t)(as[k] >> 8), *w++ = (uint8_t)as[k];
		}
		a[i].have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
			    BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		a[i].origin = BGP_ORIGIN_IGP;
		a[i].aspath = (struct bgp_bytes){ p, (uint32_t)(w - p) };
		a[i].nexthop = rng() & 1 ? 0x0a000004 : 0x0a000005;
		if (rng() % 10 < 4) {
			uint8_t *c = w;
			unsigned nc = 2 + (unsigned)(rng() % 3);
			for (unsigned k = 0; k < nc; k++) {
				uint32_t v = as[0] << 16 | (uint32_t)(rng() % 1000);
				*w++ = (uint8_t)(v >> 24), *w++ = (uint8_t)(v >> 16);
				*w++ = (uint8_t)(v >> 8), *w++ = (uint8_t)v;
			}
			a[i].have |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
			a[i].communities = (struct bgp_bytes){ c, (uint32_t)(w - c) };
		}
	}
	*arena_out = arena;
	return a;
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
	*o = (struct opts){ .stats = DEFAULT_STATS, .n = 1000000, .paths = 1000 };
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
	struct shape shape;
	if (!load_shape(o.stats, &shape))
		return 1;
	uint64_t *keys = make_prefixes(o.n, &shape, o.sorted);
	uint8_t *arena;
	struct bgp_attrs *sets = make_attrs(o.paths, &shape, &arena);
	uint32_t *probe = xcalloc(o.n, sizeof(*probe));
	for (size_t i = 0; i < o.n; i++)
		probe[i] = unicast_addr();
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
		struct prefix p = key_prefix(keys[i]);
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
		struct prefix p = key_prefix(keys[(i * 7919) % o.n]);
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

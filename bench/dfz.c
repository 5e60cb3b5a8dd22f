/* dfz.c: the synthetic table of dfz.h. */
#include "dfz.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define DFZ_SEED 0x2545f4914f6cdd1dULL

static uint64_t rng_state = DFZ_SEED;

void dfz_seed(uint64_t seed)
{
	rng_state = seed ? seed * 0x9e3779b97f4a7c15ULL ^ DFZ_SEED : DFZ_SEED;
	if (!rng_state)
		rng_state = DFZ_SEED;
}

uint64_t dfz_rng(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static double unit(void)
{
	return (double)(dfz_rng() >> 11) / 9007199254740992.0;
}

static void *xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n, sz);
	if (!p) {
		fprintf(stderr, "dfz: out of memory\n");
		exit(1);
	}
	return p;
}

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

bool dfz_load_shape(const char *file, struct dfz_shape *s)
{
	memset(s, 0, sizeof(*s));
	json_object *root = json_object_from_file(file);
	if (!root) {
		fprintf(stderr, "dfz: cannot read %s: %s\n", file, json_util_get_last_err());
		return false;
	}
	json_object *pfx, *rib, *h, *share;
	bool ok = json_object_object_get_ex(root, "routeviews_rv2_pfx2as_2024_04_06", &pfx) &&
		  json_object_object_get_ex(pfx, "prefix_length_histogram", &h) &&
		  load_hist(h, s->len_weight, DFZ_MAX_LEN_HIST, true) &&
		  json_object_object_get_ex(root, "routeviews_rib_2014_05_23_firstMB", &rib) &&
		  json_object_object_get_ex(rib, "len_hist_no_prepend", &h) &&
		  load_hist(h, s->path_weight, DFZ_MAX_PATH + 1, false) &&
		  json_object_object_get_ex(rib, "share_with_prepending", &share);
	if (ok)
		s->prepend_share = json_object_get_double(share);
	else
		fprintf(stderr, "dfz: %s lacks the expected histograms\n", file);
	json_object_put(root);
	return ok;
}

static unsigned draw(const double *w, size_t n)
{
	double r = unit(), acc = 0;
	for (size_t i = 0; i < n; i++) {
		acc += w[i];
		if (r < acc)
			return (unsigned)i;
	}
	return (unsigned)(n - 1);
}

uint32_t dfz_unicast_addr(void)
{
	for (;;) {
		uint32_t a = (uint32_t)(dfz_rng() >> 32);
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

/* Prefixes cluster in allocations: lengths 16 and up fall in one of BLOCKS
 * random /16s (about 25 prefixes each for 1M, as in the real table), shorter
 * ones anywhere in unicast space. */
#define BLOCKS 40000

uint64_t *dfz_make_prefixes(size_t n, const struct dfz_shape *s, bool sorted)
{
	uint32_t *block = xcalloc(BLOCKS, sizeof(*block));
	for (size_t i = 0; i < BLOCKS; i++)
		block[i] = dfz_unicast_addr() & 0xffff0000u;
	uint64_t *k = xcalloc(n ? n : 1, sizeof(*k));
	size_t have = 0;
	while (have < n) {
		for (size_t i = have; i < n; i++) {
			unsigned len = draw(s->len_weight, DFZ_MAX_LEN_HIST);
			uint32_t a = dfz_unicast_addr();
			if (len >= 16)
				a = block[dfz_rng() % BLOCKS] | (a & 0xffffu);
			/* a shift by 32 is undefined: /32 keeps the whole address */
			a = len == 0 ? 0 : len >= 32 ? a : a & ~(UINT32_MAX >> len);
			k[i] = (uint64_t)a << 8 | len;
		}
		qsort(k, n, sizeof(*k), cmp_u64);
		have = 0;
		for (size_t i = 0; i < n; i++)
			if (!have || k[i] != k[have - 1])
				k[have++] = k[i];
	}
	/* Random order unless asked: the worst case for locality. */
	for (size_t i = n ? n - 1 : 0; i > 0 && !sorted; i--) {
		size_t j = dfz_rng() % (i + 1);
		uint64_t t = k[i];
		k[i] = k[j];
		k[j] = t;
	}
	free(block);
	return k;
}

struct prefix dfz_key_prefix(uint64_t k)
{
	struct prefix p = { .family = AF_INET, .len = (uint8_t)(k & 0xff) };
	uint32_t a = (uint32_t)(k >> 8);
	p.a[0] = (uint8_t)(a >> 24), p.a[1] = (uint8_t)(a >> 16);
	p.a[2] = (uint8_t)(a >> 8), p.a[3] = (uint8_t)a;
	return p;
}

struct bgp_attrs *dfz_make_attrs(size_t paths, const struct dfz_shape *s,
				 const struct dfz_attr_opts *o, uint8_t **arena_out)
{
	struct bgp_attrs *a = xcalloc(paths, sizeof(*a));
	size_t per = 2 + 4 * (DFZ_MAX_PATH + 4) + 4 * 4;
	uint8_t *arena = xcalloc(paths, per);
	uint32_t base = o && o->origin_base ? o->origin_base : 1000;
	static const uint32_t neighbours[] = { 174, 1299, 2914, 3257, 3356, 6453, 6939, 12076 };
	for (size_t i = 0; i < paths; i++) {
		uint8_t *p = arena + i * per, *w = p;
		unsigned len = draw(s->path_weight, DFZ_MAX_PATH + 1);
		if (len < 1)
			len = 1;
		unsigned prepend = unit() < s->prepend_share ? 1 + (unsigned)(dfz_rng() % 2) : 0;
		uint32_t as[DFZ_MAX_PATH + 4];
		unsigned n = 0;
		if (o && o->first_as)
			as[n++] = o->first_as;
		unsigned f = n;
		as[n++] = neighbours[dfz_rng() % 8];
		for (unsigned k = 0; k < prepend; k++)
			as[n++] = as[f];
		for (unsigned k = 1; k + 1 < len; k++) {
			uint32_t x = 1 + (uint32_t)(dfz_rng() % 64000);
			as[n++] = x == 23456 ? 23457 : x; /* never AS_TRANS */
		}
		if (len > 1)
			as[n++] = base + (uint32_t)i; /* the origin, unique per set */
		else
			as[f] = base + (uint32_t)i;
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
		if (o && o->nexthop)
			a[i].nexthop = o->nexthop;
		else
			a[i].nexthop = dfz_rng() & 1 ? 0x0a000004 : 0x0a000005;
		if (dfz_rng() % 10 < 4) {
			uint8_t *c = w;
			unsigned nc = 2 + (unsigned)(dfz_rng() % 3);
			for (unsigned k = 0; k < nc; k++) {
				uint32_t v = as[f] << 16 | (uint32_t)(dfz_rng() % 1000);
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

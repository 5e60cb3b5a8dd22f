/* dfz.h: a synthetic IPv4 table shaped like the real one, for the benchmarks
 * (micro_rib, bgpblast). The shape comes from ../shared/data/dfz-stats.json:
 * the prefix-length histogram, the AS-path length histogram and the share of
 * paths with prepending. Everything is drawn from one seeded generator, so a
 * seed gives the same table on every run. */
#ifndef NVAD_BENCH_DFZ_H
#define NVAD_BENCH_DFZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp/attr.h"
#include "lib/prefix.h"

#define DFZ_DEFAULT_STATS "/work/shared/data/dfz-stats.json"
#define DFZ_MAX_LEN_HIST 33
#define DFZ_MAX_PATH 16

struct dfz_shape {
	double len_weight[DFZ_MAX_LEN_HIST]; /* prefix length -> share */
	double path_weight[DFZ_MAX_PATH + 1]; /* AS path length -> share */
	double prepend_share;
};

/* The generator: xorshift64*, seeded (0 picks the built-in seed). */
void dfz_seed(uint64_t seed);
uint64_t dfz_rng(void);
/* A random unicast address (not 0/8, 10/8, 127/8 or class D/E). */
uint32_t dfz_unicast_addr(void);

/* Reads the histograms; false (and a message on stderr) when they are missing. */
bool dfz_load_shape(const char *file, struct dfz_shape *s);

/* n distinct prefixes with the shape's length histogram, as keys
 * address << 8 | length; in random order unless sorted. Never NULL (exits
 * on allocation failure). */
uint64_t *dfz_make_prefixes(size_t n, const struct dfz_shape *s, bool sorted);
struct prefix dfz_key_prefix(uint64_t key);

/* Options of the attribute sets. */
struct dfz_attr_opts {
	uint32_t first_as; /* when non-zero, put first in every path (the sender's AS) */
	uint32_t nexthop;  /* host order; 0: one of 10.0.0.4 and 10.0.0.5 */
	uint32_t origin_base; /* origin AS of set i is origin_base + i (default 1000) */
};

/* paths distinct attribute sets: path lengths from the histogram, prepending
 * as often as in the real table, 40% with 2 to 4 communities. Each set has its
 * own origin AS, which keeps them distinct. The sets point into *arena_out;
 * free both. */
struct bgp_attrs *dfz_make_attrs(size_t paths, const struct dfz_shape *s,
				 const struct dfz_attr_opts *o, uint8_t **arena_out);

#endif

/* attr_intern.h: interned (hash-consed) path attributes.
 *
 * A struct bgp_attr_table keeps one immutable, refcounted copy of each
 * distinct set of attributes: equal content gives the same pointer, so the RIB
 * stores one pointer per route and compares attribute sets by pointer. Each
 * copy is one allocation: a fixed part of 60 bytes, then the variable parts
 * (AS path, communities, ...) packed after it. Single-threaded: the table is
 * owned by one thread (the RIB's); it holds no global state. */
#ifndef NVAD_BGP_ATTR_INTERN_H
#define NVAD_BGP_ATTR_INTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "lib/hash.h"

/* Variable parts, in the order they are packed after the fixed part. */
enum bgp_iattr_part {
	BGP_IPART_ASPATH,
	BGP_IPART_COMMUNITIES,
	BGP_IPART_EXT_COMMUNITIES,
	BGP_IPART_LARGE_COMMUNITIES,
	BGP_IPART_CLUSTER_LIST,
	BGP_IPART_UNKNOWN,
	BGP_IPART_COUNT
};

/* Read through the accessors; the layout is public so that they inline. No
 * padding: content is compared with memcmp from `nexthop` to the end of
 * data. Fields of attributes that are absent are zero. */
struct bgp_iattrs {
	uint64_t hash;          /* hash_bytes of the content */
	uint32_t refcnt;
	/* content */
	uint32_t nexthop;       /* NEXT_HOP, host order */
	uint64_t have;          /* as in struct bgp_attrs, minus MP_UNREACH_NLRI */
	uint32_t med;
	uint32_t local_pref;
	uint32_t aggregator_as;
	uint32_t aggregator_id;
	uint32_t originator_id;
	uint16_t aspath_count;  /* bgp_aspath_length of the path, cached */
	uint16_t len[BGP_IPART_COUNT];
	uint8_t origin;
	uint8_t mp_nh_len;      /* the MP next hop is the last mp_nh_len bytes */
	uint8_t data[];
};

struct bgp_attr_table {
	struct hset set;
	size_t bytes;       /* sum of the sizes of the live entries */
	uint8_t *scratch;   /* where a candidate is built before lookup */
	size_t scratch_cap;
};

void bgp_attr_table_init(struct bgp_attr_table *t);
/* Frees every entry, referenced or not, and the table's own memory. Returns
 * how many entries were still live (0 when every reference was dropped). */
size_t bgp_attr_table_destroy(struct bgp_attr_table *t);

/* Live entries, and the bytes they and the table's index take. */
size_t bgp_attr_table_count(const struct bgp_attr_table *t);
size_t bgp_attr_table_bytes(const struct bgp_attr_table *t);

/* The interned copy of a, with one reference taken for the caller. Equality
 * is on content: `have` (MP_UNREACH_NLRI aside, which belongs to the message
 * and not to a route) and the value of every attribute present, the unknown
 * attributes, and the MP next hop when MP_REACH_NLRI is present. Returns NULL
 * when out of memory, or when a part is longer than 65535 octets (which no
 * BGP message can carry). */
const struct bgp_iattrs *bgp_attr_intern(struct bgp_attr_table *t, const struct bgp_attrs *a);

/* Takes one more reference; returns ia. */
const struct bgp_iattrs *bgp_attr_ref(const struct bgp_iattrs *ia);

/* Drops one reference; the entry is freed when none is left. */
void bgp_attr_unref(struct bgp_attr_table *t, const struct bgp_iattrs *ia);

/* Fills *out as the decoder would, its views pointing into ia: valid while the
 * caller holds a reference. */
void bgp_iattrs_view(const struct bgp_iattrs *ia, struct bgp_attrs *out);

/* One variable part as a view into ia. */
struct bgp_bytes bgp_iattrs_part(const struct bgp_iattrs *ia, enum bgp_iattr_part part);

/* Hot fields for route selection, without a view. */
static inline uint64_t bgp_iattrs_have(const struct bgp_iattrs *ia)
{
	return ia->have;
}

static inline bool bgp_iattrs_has(const struct bgp_iattrs *ia, unsigned type)
{
	return type < 64 && (ia->have & BGP_ATTR_BIT(type));
}

static inline uint8_t bgp_iattrs_origin(const struct bgp_iattrs *ia)
{
	return ia->origin;
}

static inline uint32_t bgp_iattrs_local_pref(const struct bgp_iattrs *ia)
{
	return ia->local_pref;
}

static inline uint32_t bgp_iattrs_med(const struct bgp_iattrs *ia)
{
	return ia->med;
}

static inline uint32_t bgp_iattrs_nexthop(const struct bgp_iattrs *ia)
{
	return ia->nexthop;
}

static inline uint32_t bgp_iattrs_originator_id(const struct bgp_iattrs *ia)
{
	return ia->originator_id;
}

/* bgp_aspath_length of the AS path (0 without one). */
static inline unsigned bgp_iattrs_aspath_length(const struct bgp_iattrs *ia)
{
	return ia->aspath_count;
}

/* The AS path (the first part, at the start of data). */
static inline struct bgp_bytes bgp_iattrs_aspath(const struct bgp_iattrs *ia)
{
	return (struct bgp_bytes){ ia->data, ia->len[BGP_IPART_ASPATH] };
}

/* bgp_aspath_first_as of the path: the neighbouring AS. */
static inline uint32_t bgp_iattrs_first_as(const struct bgp_iattrs *ia)
{
	return bgp_aspath_first_as(bgp_iattrs_aspath(ia));
}

/* Number of CLUSTER_LIST entries (route reflection tie-break). */
static inline unsigned bgp_iattrs_cluster_count(const struct bgp_iattrs *ia)
{
	return ia->len[BGP_IPART_CLUSTER_LIST] / 4u;
}

static inline uint64_t bgp_iattrs_hash(const struct bgp_iattrs *ia)
{
	return ia->hash;
}

static inline uint32_t bgp_iattrs_refcnt(const struct bgp_iattrs *ia)
{
	return ia->refcnt;
}

#endif

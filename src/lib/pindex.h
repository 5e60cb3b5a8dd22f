/* pindex.h: the prefixes of one family, each an object in an ipool, found by
 * exact prefix through chained hashing. For tables that never need a longest
 * match (the BGP RIB; the FIB's BGP routes): per prefix it costs a 4-octet
 * chain link and a 4-octet bucket (as many buckets as objects, or up to twice
 * as many), where a trie costs its glue nodes and a walk of cache misses per
 * insert. Prefix order comes from sorting (pindex_sorted) when a show needs it.
 *
 * The objects are the caller's: a struct of its own in which the index owns
 * three fields, named by their offsets at init: the chain link (uint32_t),
 * the prefix length (uint8_t) and the key, the prefix's address as host-order
 * 32-bit words (1 for IPv4, 4 for IPv6) at the end of the object. Not
 * thread-safe. */
#ifndef NVAD_LIB_PINDEX_H
#define NVAD_LIB_PINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipool.h"
#include "prefix.h"

struct pindex {
	struct ipool pool;
	uint32_t *buckets; /* index + 1 of the chain's head, 0 none; mapped */
	uint32_t mask;     /* buckets - 1 */
	uint8_t family;    /* AF_INET or AF_INET6 */
	uint8_t words;     /* of key: 1 or 4 */
	uint16_t off_hnext, off_len, off_key;
};

/* The size of an object whose key starts at off_key, rounded as the pool
 * wants it. */
#define PINDEX_SIZE(off_key, family) (((off_key) + ((family) == AF_INET6 ? 16 : 4) + 7) / 8 * 8)

/* An empty index of family's prefixes, in objects of `size` octets (at least
 * off_key + 4 or 16). */
void pindex_init(struct pindex *x, uint8_t family, size_t size, size_t off_hnext, size_t off_len,
		 size_t off_key);
/* Frees the pool and buckets, whatever objects are left (the caller frees
 * what they point to first, walking the pool). */
void pindex_destroy(struct pindex *x);

/* The object of prefix p (host bits ignored), or NULL. */
void *pindex_find(const struct pindex *x, const struct prefix *p);
/* The object of p, made when absent: zeroed but for the index's fields, with
 * *created true. NULL when out of memory, or p is not of the family. idx
 * (may be NULL): a new object's pool index, set only when created. */
void *pindex_get(struct pindex *x, const struct prefix *p, uint32_t *idx, bool *created);
/* Advice for a run of lookups, whose cost is two cache misses each (the
 * bucket, then the chain's first object): pindex_warm(x, p, false) a few
 * lookups before p's brings its bucket into the cache, pindex_warm(x, p,
 * true) a few lookups later (the bucket there by then) its chain's first
 * object. Changes nothing. */
void pindex_warm(const struct pindex *x, const struct prefix *p, bool head);
/* Unlinks and frees obj, which must be in x. */
void pindex_remove(struct pindex *x, void *obj);

/* The prefix of an object of x. */
void pindex_prefix(const struct pindex *x, const void *obj, struct prefix *out);
/* The prefix of a key as the index holds it, for callers that know their
 * object's layout. */
void pindex_key_prefix(uint8_t family, uint8_t len, const uint32_t *key, struct prefix *out);
/* x's objects in prefix order (by address, then shorter first: a prefix
 * before the ones it covers), in a new array of *n; NULL with *n 0 when empty
 * or out of memory. */
void **pindex_sorted(const struct pindex *x, size_t *n);

static inline size_t pindex_count(const struct pindex *x)
{
	return x->pool.in_use;
}

static inline void *pindex_at(const struct pindex *x, uint32_t idx)
{
	return ipool_at(&x->pool, idx);
}

/* Bytes held from the system: objects and buckets. */
size_t pindex_bytes(const struct pindex *x);

#endif

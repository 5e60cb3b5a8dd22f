/* hash.h: a fast non-cryptographic hash of bytes, and an open-addressing set
 * of pointers keyed by that hash.
 *
 * The set stores the caller's elements (pointers) and never looks inside
 * them except through the caller's functions; it allocates only its slot
 * array. Not for keys an attacker chooses to collide on purpose unless seeded
 * (hash_bytes takes a seed). */
#ifndef NVAD_LIB_HASH_H
#define NVAD_LIB_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* 64-bit hash of n bytes at p. Equal bytes and seed give equal hashes on any
 * host; the low bits are as good as the high ones. */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);

/* Final mixing of one 64-bit value (a bijection). */
static inline uint64_t hash_mix64(uint64_t x)
{
	x ^= x >> 32;
	x *= UINT64_C(0xd6e8feb86659fd93);
	x ^= x >> 32;
	x *= UINT64_C(0xd6e8feb86659fd93);
	x ^= x >> 32;
	return x;
}

/* The hash an element was inserted with, recomputed when the set grows or
 * moves entries on removal: keep it in the element for speed. */
typedef uint64_t (*hset_hash_fn)(const void *elem);
/* Whether element elem is the one key designates. */
typedef bool (*hset_eq_fn)(const void *elem, const void *key);

struct hset {
	void **slots;  /* NULL when empty */
	size_t mask;   /* slots - 1, slots a power of two; 0 before first insert */
	size_t count;
	hset_hash_fn hash;
};

void hset_init(struct hset *s, hset_hash_fn hash);
/* Frees the slot array (not the elements). */
void hset_destroy(struct hset *s);

static inline size_t hset_count(const struct hset *s)
{
	return s->count;
}

/* Bytes of the slot array. */
static inline size_t hset_bytes(const struct hset *s)
{
	return s->slots ? (s->mask + 1) * sizeof(void *) : 0;
}

/* The element with hash h for which eq(elem, key) holds, or NULL. */
void *hset_find(const struct hset *s, uint64_t h, hset_eq_fn eq, const void *key);

/* Adds elem, with hash h (= s->hash(elem)); the caller has made sure no equal
 * element is present. Returns false when the set could not grow (out of
 * memory); the set is unchanged then. */
bool hset_insert(struct hset *s, void *elem, uint64_t h);

/* Removes elem (the same pointer), with hash h. Returns false when it is not
 * in the set. May shrink the slot array. */
bool hset_remove(struct hset *s, const void *elem, uint64_t h);

/* Iteration: *pos starts at 0; returns the next element or NULL at the end.
 * The set must not change during an iteration. */
void *hset_next(const struct hset *s, size_t *pos);

#endif

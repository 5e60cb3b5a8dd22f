/* hash.c: hash_bytes and the linear-probing pointer set of lib/hash.h.
 * Removal shifts later entries back (no tombstones), so lookups stay short
 * after any amount of churn. */
#include "hash.h"

#include <stdlib.h>
#include <string.h>

/* ---- hash_bytes ------------------------------------------------------------ */

#define K1 UINT64_C(0x9e3779b97f4a7c15) /* 2^64 / golden ratio, odd */
#define K2 UINT64_C(0xc2b2ae3d27d4eb4f)
#define K3 UINT64_C(0x165667b19e3779f9)

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	v = __builtin_bswap64(v);
#endif
	return v;
}

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
	return x << r | x >> (64 - r);
}

/* One 8-byte word into the state: multiply spreads low bits up, the rotate
 * brings high bits down, the second multiply spreads again. */
static inline uint64_t absorb(uint64_t h, uint64_t w)
{
	w *= K2;
	w = rotl64(w, 31);
	w *= K1;
	h ^= w;
	return rotl64(h, 27) * 5 + K3;
}

uint64_t hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const uint8_t *b = p;
	uint64_t h = seed ^ ((uint64_t)n * K1);
	/* Two independent lanes over 16-byte blocks, then one. */
	if (n >= 32) {
		uint64_t h2 = rotl64(h, 32) ^ K3;
		while (n >= 16) {
			h = absorb(h, load64(b));
			h2 = absorb(h2, load64(b + 8));
			b += 16;
			n -= 16;
		}
		h ^= rotl64(h2, 17) * K2;
	}
	while (n >= 8) {
		h = absorb(h, load64(b));
		b += 8;
		n -= 8;
	}
	if (n) {
		/* The last 1..7 bytes, with their count so that trailing zero
		 * bytes still change the hash. */
		uint64_t w = (uint64_t)n << 56;
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)b[i] << (8 * i);
		h = absorb(h, w);
	}
	return hash_mix64(h);
}

/* ---- hset ------------------------------------------------------------------ */

#define HSET_MIN_SLOTS 16

void hset_init(struct hset *s, hset_hash_fn hash)
{
	memset(s, 0, sizeof(*s));
	s->hash = hash;
}

void hset_destroy(struct hset *s)
{
	free(s->slots);
	hset_hash_fn hash = s->hash;
	hset_init(s, hash);
}

void *hset_find(const struct hset *s, uint64_t h, hset_eq_fn eq, const void *key)
{
	if (!s->slots)
		return NULL;
	for (size_t i = (size_t)h & s->mask;; i = (i + 1) & s->mask) {
		void *e = s->slots[i];
		if (!e)
			return NULL;
		if (eq(e, key))
			return e;
	}
}

/* Places e in the first free slot from its home; the table has room. */
static void place(void **slots, size_t mask, void *e, uint64_t h)
{
	size_t i = (size_t)h & mask;
	while (slots[i])
		i = (i + 1) & mask;
	slots[i] = e;
}

static bool resize(struct hset *s, size_t nslots)
{
	void **ns = calloc(nslots, sizeof(*ns));
	if (!ns)
		return false;
	if (s->slots) {
		for (size_t i = 0; i <= s->mask; i++)
			if (s->slots[i])
				place(ns, nslots - 1, s->slots[i], s->hash(s->slots[i]));
		free(s->slots);
	}
	s->slots = ns;
	s->mask = nslots - 1;
	return true;
}

/* Load factor at most 3/4 after an insert. */
bool hset_insert(struct hset *s, void *elem, uint64_t h)
{
	size_t nslots = s->slots ? s->mask + 1 : 0;
	if ((s->count + 1) * 4 > nslots * 3) {
		size_t want = nslots ? nslots * 2 : HSET_MIN_SLOTS;
		if (!resize(s, want))
			return false;
	}
	place(s->slots, s->mask, elem, h);
	s->count++;
	return true;
}

bool hset_remove(struct hset *s, const void *elem, uint64_t h)
{
	if (!s->slots)
		return false;
	size_t mask = s->mask, i = (size_t)h & mask;
	while (s->slots[i] != elem) {
		if (!s->slots[i])
			return false;
		i = (i + 1) & mask;
	}
	/* Backward shift: move up every later entry of the run whose home is
	 * not between the hole and itself (cyclically). */
	for (size_t j = (i + 1) & mask; s->slots[j]; j = (j + 1) & mask) {
		size_t home = (size_t)s->hash(s->slots[j]) & mask;
		bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
		if (stays)
			continue;
		s->slots[i] = s->slots[j];
		i = j;
	}
	s->slots[i] = NULL;
	s->count--;
	/* Shrink below 1/8 full; a failed shrink costs only memory. */
	size_t nslots = mask + 1;
	if (nslots > HSET_MIN_SLOTS && s->count * 8 < nslots)
		(void)resize(s, nslots / 2);
	return true;
}

void *hset_next(const struct hset *s, size_t *pos)
{
	if (!s->slots)
		return NULL;
	while (*pos <= s->mask) {
		void *e = s->slots[(*pos)++];
		if (e)
			return e;
	}
	return NULL;
}

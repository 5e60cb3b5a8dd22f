/* pindex.c: the prefix index of pindex.h. */
#include "pindex.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "cursor.h"

static uint32_t *hnext_of(const struct pindex *x, const void *o)
{
	return (uint32_t *)(void *)((char *)o + x->off_hnext);
}

static uint8_t *len_of(const struct pindex *x, const void *o)
{
	return (uint8_t *)o + x->off_len;
}

static uint32_t *key_of(const struct pindex *x, const void *o)
{
	return (uint32_t *)(void *)((char *)o + x->off_key);
}

static uint32_t key_hash(const uint32_t *key, unsigned words, uint8_t len)
{
	uint64_t h = len * 0x9e3779b97f4a7c15ull;
	for (unsigned i = 0; i < words; i++) {
		h ^= key[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	h *= 0xc4ceb9fe1a85ec53ull;
	return (uint32_t)(h >> 32);
}

static uint32_t *bucket_of(const struct pindex *x, const void *o)
{
	return &x->buckets[key_hash(key_of(x, o), x->words, *len_of(x, o)) & x->mask];
}

void pindex_init(struct pindex *x, uint8_t family, size_t size, size_t off_hnext, size_t off_len,
		 size_t off_key)
{
	memset(x, 0, sizeof(*x));
	x->family = family;
	x->words = family == AF_INET6 ? 4 : 1;
	x->off_hnext = (uint16_t)off_hnext;
	x->off_len = (uint16_t)off_len;
	x->off_key = (uint16_t)off_key;
	ipool_init(&x->pool, size);
}

/* Bucket arrays are mapped from the system, not taken from the heap: the
 * ones outgrown go back whole instead of leaving holes there. */
static void buckets_free(struct pindex *x)
{
	if (x->buckets)
		munmap(x->buckets, ((size_t)x->mask + 1) * sizeof(*x->buckets));
	x->buckets = NULL;
	x->mask = 0;
}

void pindex_destroy(struct pindex *x)
{
	buckets_free(x);
	ipool_destroy(&x->pool);
}

/* Doubles the buckets (from none: 1024), threading every object again.
 * False when out of memory: the table stays as it was, only slower. */
static bool grow(struct pindex *x)
{
	uint32_t n = x->buckets ? (x->mask + 1) * 2 : 1024;
	uint32_t *b = mmap(NULL, (size_t)n * sizeof(*b), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0);
	if (b == MAP_FAILED)
		return false;
	buckets_free(x);
	x->buckets = b;
	x->mask = n - 1;
	for (uint32_t i = ipool_next(&x->pool, 0); i != IPOOL_NONE; i = ipool_next(&x->pool, i + 1)) {
		void *o = ipool_at(&x->pool, i);
		uint32_t *head = bucket_of(x, o);
		*hnext_of(x, o) = *head;
		*head = i + 1;
	}
	return true;
}

/* p's key with host bits cleared (they would make another key for the same
 * prefix); false when p is not of x's family. */
static bool key_make(const struct pindex *x, const struct prefix *p, uint32_t key[4])
{
	if (p->family != x->family || p->len > 32 * x->words)
		return false;
	for (unsigned i = 0; i < x->words; i++) {
		unsigned bits = p->len > 32 * i ? p->len - 32 * i : 0;
		uint32_t mask = bits >= 32 ? UINT32_MAX : bits ? ~(UINT32_MAX >> bits) : 0;
		key[i] = load_be32(p->a + 4 * i) & mask;
	}
	return true;
}

static void *find(const struct pindex *x, const uint32_t *key, uint8_t len, uint32_t h)
{
	if (!x->buckets)
		return NULL;
	for (uint32_t i = x->buckets[h & x->mask]; i;) {
		void *o = ipool_at(&x->pool, i - 1);
		if (*len_of(x, o) == len && !memcmp(key_of(x, o), key, 4u * x->words))
			return o;
		i = *hnext_of(x, o);
	}
	return NULL;
}

void *pindex_find(const struct pindex *x, const struct prefix *p)
{
	uint32_t key[4];
	if (!key_make(x, p, key))
		return NULL;
	return find(x, key, p->len, key_hash(key, x->words, p->len));
}

void *pindex_get(struct pindex *x, const struct prefix *p, uint32_t *idx, bool *created)
{
	uint32_t key[4];
	*created = false;
	if (!key_make(x, p, key))
		return NULL;
	uint32_t h = key_hash(key, x->words, p->len);
	void *o = find(x, key, p->len, h);
	if (o)
		return o;
	if (x->pool.in_use >= (size_t)(x->buckets ? x->mask + 1 : 0) && !grow(x) && !x->buckets)
		return NULL;
	uint32_t i;
	o = ipool_alloc(&x->pool, &i);
	if (!o)
		return NULL;
	*len_of(x, o) = p->len;
	memcpy(key_of(x, o), key, 4u * x->words);
	uint32_t *head = &x->buckets[h & x->mask];
	*hnext_of(x, o) = *head;
	*head = i + 1;
	if (idx)
		*idx = i;
	*created = true;
	return o;
}

void pindex_warm(const struct pindex *x, const struct prefix *p, bool head)
{
	uint32_t key[4];
	if (!x->buckets || !key_make(x, p, key))
		return;
	const uint32_t *b = &x->buckets[key_hash(key, x->words, p->len) & x->mask];
	if (!head)
		__builtin_prefetch(b);
	else if (*b)
		__builtin_prefetch((char *)ipool_at(&x->pool, *b - 1) + x->off_len);
}

void pindex_remove(struct pindex *x, void *obj)
{
	for (uint32_t *link = bucket_of(x, obj); *link;) {
		void *o = ipool_at(&x->pool, *link - 1);
		if (o == obj) {
			uint32_t i = *link - 1;
			*link = *hnext_of(x, o);
			ipool_free(&x->pool, i);
			return;
		}
		link = hnext_of(x, o);
	}
}

void pindex_key_prefix(uint8_t family, uint8_t len, const uint32_t *key, struct prefix *out)
{
	memset(out, 0, sizeof(*out));
	out->family = family;
	out->len = len;
	for (unsigned i = 0; i < (family == AF_INET6 ? 4u : 1u); i++)
		for (unsigned b = 0; b < 4; b++)
			out->a[4 * i + b] = (uint8_t)(key[i] >> (24 - 8 * b));
}

void pindex_prefix(const struct pindex *x, const void *obj, struct prefix *out)
{
	pindex_key_prefix(x->family, *len_of(x, obj), key_of(x, obj), out);
}

static int obj_cmp(const void *pa, const void *pb, void *arg)
{
	const struct pindex *x = arg;
	const void *a = *(void *const *)pa, *b = *(void *const *)pb;
	const uint32_t *ka = key_of(x, a), *kb = key_of(x, b);
	for (unsigned i = 0; i < x->words; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	uint8_t la = *len_of(x, a), lb = *len_of(x, b);
	return (la > lb) - (la < lb);
}

void **pindex_sorted(const struct pindex *x, size_t *n)
{
	*n = 0;
	void **v = x->pool.in_use ? malloc(x->pool.in_use * sizeof(*v)) : NULL;
	if (!v)
		return NULL;
	for (uint32_t i = ipool_next(&x->pool, 0); i != IPOOL_NONE; i = ipool_next(&x->pool, i + 1))
		v[(*n)++] = ipool_at(&x->pool, i);
	qsort_r(v, *n, sizeof(*v), obj_cmp, (void *)x);
	return v;
}

size_t pindex_bytes(const struct pindex *x)
{
	return ipool_bytes(&x->pool) + (x->buckets ? ((size_t)x->mask + 1) * sizeof(*x->buckets) : 0);
}

/* pset.h: a set of IPv4 prefixes for the bench programs (the sink's table,
 * the kernel monitor's), header-only. */
#ifndef NVAD_BENCH_PSET_H
#define NVAD_BENCH_PSET_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cursor.h"
#include "lib/prefix.h"

/* An open-addressing set of IPv4 prefixes (key: address << 8 | length, with
 * the top bit set so that no key is 0), linear probing, deletion by backward
 * shift. */
struct pset {
	uint64_t *k;
	size_t mask;
	size_t n;
};

static inline size_t pset_slot(const struct pset *s, uint64_t k)
{
	return (size_t)((k * 0x9e3779b97f4a7c15ULL) >> 20) & s->mask;
}

static inline void pset_init(struct pset *s, size_t expect)
{
	size_t cap = 1024;
	while (cap < 2 * expect)
		cap *= 2;
	s->k = calloc(cap, sizeof(*s->k));
	if (!s->k)
		{
		fprintf(stderr, "pset: out of memory\n");
		exit(1);
	}
	s->mask = cap - 1;
	s->n = 0;
}

static inline bool pset_add(struct pset *s, uint64_t k);

static inline void pset_grow(struct pset *s)
{
	struct pset o = *s;
	s->k = calloc(2 * (o.mask + 1), sizeof(*s->k));
	if (!s->k)
		{
		fprintf(stderr, "pset: out of memory\n");
		exit(1);
	}
	s->mask = 2 * (o.mask + 1) - 1;
	s->n = 0;
	for (size_t i = 0; i <= o.mask; i++)
		if (o.k[i])
			pset_add(s, o.k[i]);
	free(o.k);
}

static inline bool pset_add(struct pset *s, uint64_t k)
{
	if (2 * (s->n + 1) > s->mask + 1)
		pset_grow(s);
	for (size_t i = pset_slot(s, k);; i = (i + 1) & s->mask) {
		if (s->k[i] == k)
			return false;
		if (!s->k[i]) {
			s->k[i] = k;
			s->n++;
			return true;
		}
	}
}

static inline bool pset_del(struct pset *s, uint64_t k)
{
	size_t i = pset_slot(s, k);
	for (;; i = (i + 1) & s->mask) {
		if (!s->k[i])
			return false;
		if (s->k[i] == k)
			break;
	}
	/* Backward shift: move later entries of the run into the hole when their
	 * home slot is not between the hole and them. */
	size_t hole = i;
	for (size_t j = (i + 1) & s->mask; s->k[j]; j = (j + 1) & s->mask) {
		size_t home = pset_slot(s, s->k[j]);
		bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
		if (movable) {
			s->k[hole] = s->k[j];
			hole = j;
		}
	}
	s->k[hole] = 0;
	s->n--;
	return true;
}

static inline uint64_t pkey(const struct prefix *p)
{
	return 1ULL << 63 | (uint64_t)load_be32(p->a) << 8 | p->len;
}


/* A table of IPv4 prefixes: a bit per possible prefix of length 24 or less
 * (2^25 bits, 4 MiB, mostly cache-resident, so the sink keeps up with the
 * feeder), the hash set above for the longer ones. */
struct ptab {
	uint64_t *bits;
	struct pset longer;
	size_t n;
};

static inline void ptab_init(struct ptab *t)
{
	t->bits = malloc((1u << 25) / 8);
	if (!t->bits) {
		fprintf(stderr, "ptab: out of memory\n");
		exit(1);
	}
	memset(t->bits, 0, (1u << 25) / 8); /* touched now, not while timing */
	pset_init(&t->longer, 1u << 16);
	t->n = 0;
}

static inline size_t ptab_bit(const struct prefix *p)
{
	uint32_t a = load_be32(p->a);
	return ((size_t)1 << p->len) - 1 + (p->len ? a >> (32 - p->len) : 0);
}

static inline bool ptab_add(struct ptab *t, const struct prefix *p)
{
	if (p->len > 24) {
		bool added = pset_add(&t->longer, pkey(p));
		t->n += added;
		return added;
	}
	size_t i = ptab_bit(p);
	uint64_t m = UINT64_C(1) << (i & 63);
	if (t->bits[i >> 6] & m)
		return false;
	t->bits[i >> 6] |= m;
	t->n++;
	return true;
}

static inline bool ptab_del(struct ptab *t, const struct prefix *p)
{
	if (p->len > 24) {
		bool gone = pset_del(&t->longer, pkey(p));
		t->n -= gone;
		return gone;
	}
	size_t i = ptab_bit(p);
	uint64_t m = UINT64_C(1) << (i & 63);
	if (!(t->bits[i >> 6] & m))
		return false;
	t->bits[i >> 6] &= ~m;
	t->n--;
	return true;
}

#endif

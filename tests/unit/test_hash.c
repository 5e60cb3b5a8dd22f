/* test_hash.c: hash_bytes (stability, sensitivity to every byte and the
 * length, avalanche, spread over buckets) and the pointer set (lib/hash.h):
 * find, insert, remove with backward shift under heavy collisions, growth and
 * shrinking, checked against a model over random operations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/hash.h"

/* ---- hash_bytes ------------------------------------------------------------- */

struct differ_case {
	const char *name;
	const char *a, *b;
	size_t alen, blen;
};

static const struct differ_case differ_cases[] = {
	{ "empty vs one zero byte", "", "\0", 0, 1 },
	{ "trailing zero", "a", "a\0", 1, 2 },
	{ "two trailing zeros", "abcdefgh", "abcdefgh\0\0", 8, 10 },
	{ "last byte of a 7-byte tail", "abcdefg", "abcdefh", 7, 7 },
	{ "first byte", "xbcdefghijklmnop", "ybcdefghijklmnop", 16, 16 },
	{ "byte 31 of 32", "0123456789abcdef0123456789abcdeX", "0123456789abcdef0123456789abcdeY",
	  32, 32 },
	{ "swapped words", "AAAAAAAABBBBBBBB", "BBBBBBBBAAAAAAAA", 16, 16 },
	{ "swapped lanes", "AAAAAAAABBBBBBBBCCCCCCCCDDDDDDDD", "BBBBBBBBAAAAAAAADDDDDDDDCCCCCCCC",
	  32, 32 },
};

static void test_hash_differs_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(differ_cases) / sizeof(differ_cases[0]); i++) {
		const struct differ_case *dc = &differ_cases[i];
		print_message("case: %s\n", dc->name);
		assert_int_not_equal(hash_bytes(dc->a, dc->alen, 0), hash_bytes(dc->b, dc->blen, 0));
		/* Same input, same hash; another seed, another hash. */
		assert_int_equal(hash_bytes(dc->a, dc->alen, 7), hash_bytes(dc->a, dc->alen, 7));
		assert_int_not_equal(hash_bytes(dc->a, dc->alen, 1), hash_bytes(dc->a, dc->alen, 2));
	}
}

static unsigned popcount64(uint64_t x)
{
	return (unsigned)__builtin_popcountll(x);
}

/* Flipping any one input bit flips about half the output bits, on average
 * over many inputs, for every length from 1 to 64. */
static void test_hash_avalanche(void **state)
{
	(void)state;
	uint8_t buf[64];
	uint64_t x = 88172645463325252u;
	for (size_t len = 1; len <= sizeof(buf); len++) {
		unsigned long flips = 0, trials = 0;
		unsigned worst_min = 64;
		for (int round = 0; round < 8; round++) {
			for (size_t i = 0; i < len; i++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				buf[i] = (uint8_t)x;
			}
			uint64_t h0 = hash_bytes(buf, len, 0);
			for (size_t bit = 0; bit < len * 8; bit++) {
				buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
				unsigned f = popcount64(h0 ^ hash_bytes(buf, len, 0));
				buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
				assert_true(f > 0);
				if (f < worst_min)
					worst_min = f;
				flips += f;
				trials++;
			}
		}
		double mean = (double)flips / (double)trials;
		if (mean < 30.0 || mean > 34.0 || worst_min < 10)
			fail_msg("length %zu: mean %.2f bits flipped, fewest %u", len, mean, worst_min);
	}
}

/* Sequential integers, and short strings that differ in one byte, spread
 * evenly over 1024 buckets by the low bits (what the set uses). */
static void test_hash_buckets(void **state)
{
	(void)state;
	enum { BUCKETS = 1024, KEYS = 1024 * 64 };
	for (int kind = 0; kind < 2; kind++) {
		static unsigned count[BUCKETS];
		memset(count, 0, sizeof(count));
		for (uint32_t k = 0; k < KEYS; k++) {
			uint8_t key[12] = { 0 };
			if (kind == 0)
				memcpy(key, &k, 4);
			else
				key[11] = (uint8_t)k, key[5] = (uint8_t)(k >> 8);
			count[hash_bytes(key, kind == 0 ? 4 : 12, 0) & (BUCKETS - 1)]++;
		}
		double expect = (double)KEYS / BUCKETS, chi = 0;
		for (int b = 0; b < BUCKETS; b++)
			chi += ((double)count[b] - expect) * ((double)count[b] - expect) / expect;
		/* 1023 degrees of freedom: mean 1023, sd about 45. */
		if (chi > 1250)
			fail_msg("kind %d: chi-square %.1f", kind, chi);
	}
}

/* ---- hset ------------------------------------------------------------------- */

struct elem {
	uint64_t h;
	uint32_t key;
	bool in;
};

static uint64_t elem_hash(const void *e)
{
	return ((const struct elem *)e)->h;
}

static bool elem_eq(const void *e, const void *key)
{
	return ((const struct elem *)e)->key == *(const uint32_t *)key;
}

/* hash_bytes of the key, or a poor hash with few values to force long runs
 * that wrap around the end of the slot array. */
static uint64_t key_hash(uint32_t key, int quality)
{
	if (quality == 0)
		return hash_bytes(&key, sizeof(key), 0);
	if (quality == 1)
		return (uint64_t)(key % 7) * 0x1000 + 0xffff; /* clusters near the top */
	return 42;
}

static void hset_random(int quality, unsigned nkeys, unsigned ops)
{
	struct elem *e = calloc(nkeys, sizeof(*e));
	assert_non_null(e);
	for (uint32_t i = 0; i < nkeys; i++) {
		e[i].key = i * 2654435761u;
		e[i].h = key_hash(e[i].key, quality);
	}
	struct hset s;
	hset_init(&s, elem_hash);
	assert_null(hset_find(&s, 1, elem_eq, &e[0].key));
	assert_false(hset_remove(&s, &e[0], e[0].h));
	size_t live = 0, max_slots = 0;
	uint64_t x = 0x9e3779b97f4a7c15u ^ (uint64_t)quality;
	for (unsigned op = 0; op < ops; op++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		struct elem *t = &e[x % nkeys];
		/* Fill up for the first half, then drain: growth and shrinking. */
		bool fill = op < ops / 2 ? (x >> 40) % 4 != 0 : (x >> 40) % 4 == 0;
		void *got = hset_find(&s, t->h, elem_eq, &t->key);
		assert_ptr_equal(got, t->in ? t : NULL);
		if (fill && !t->in) {
			assert_true(hset_insert(&s, t, t->h));
			t->in = true;
			live++;
		} else if (!fill && t->in) {
			assert_true(hset_remove(&s, t, t->h));
			assert_false(hset_remove(&s, t, t->h));
			t->in = false;
			live--;
		}
		assert_int_equal(hset_count(&s), live);
		if (hset_bytes(&s) > max_slots)
			max_slots = hset_bytes(&s);
		/* Load factor at most 3/4. */
		assert_true(hset_count(&s) * 4 <= hset_bytes(&s) / sizeof(void *) * 3 ||
			    hset_count(&s) == 0);
	}
	/* Every member is found, and iteration yields each exactly once. */
	size_t pos = 0, seen = 0;
	void *p;
	while ((p = hset_next(&s, &pos)) != NULL) {
		struct elem *m = p;
		assert_true(m->in);
		seen++;
	}
	assert_int_equal(seen, live);
	for (uint32_t i = 0; i < nkeys; i++)
		assert_ptr_equal(hset_find(&s, e[i].h, elem_eq, &e[i].key), e[i].in ? &e[i] : NULL);
	/* Draining shrinks the table. */
	for (uint32_t i = 0; i < nkeys; i++)
		if (e[i].in)
			assert_true(hset_remove(&s, &e[i], e[i].h));
	assert_int_equal(hset_count(&s), 0);
	assert_true(hset_bytes(&s) <= 32 * sizeof(void *));
	assert_true(hset_bytes(&s) < max_slots);
	hset_destroy(&s);
	assert_int_equal(hset_count(&s), 0);
	free(e);
}

static void test_hset_good_hash(void **state)
{
	(void)state;
	hset_random(0, 20000, 200000);
}

static void test_hset_clustered_hash(void **state)
{
	(void)state;
	hset_random(1, 2000, 60000);
}

static void test_hset_constant_hash(void **state)
{
	(void)state;
	hset_random(2, 300, 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hash_differs_table),
		cmocka_unit_test(test_hash_avalanche),
		cmocka_unit_test(test_hash_buckets),
		cmocka_unit_test(test_hset_good_hash),
		cmocka_unit_test(test_hset_clustered_hash),
		cmocka_unit_test(test_hset_constant_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_ipool.c: the indexed pool (lib/ipool.h): indices are dense and reused
 * after a free, objects come zeroed and keep their contents, the walk sees
 * exactly the live indices in order (also when freeing during it), and a
 * model of random allocations and frees agrees with the pool throughout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/ipool.h"

struct obj {
	uint32_t free_link_room; /* the pool links freed objects through here */
	uint32_t id;
	uint64_t payload[4];
};

static void test_dense_and_reused(void **state)
{
	(void)state;
	struct ipool p;
	ipool_init(&p, sizeof(struct obj));
	uint32_t idx[3000];
	for (uint32_t i = 0; i < 3000; i++) {
		struct obj *o = ipool_alloc(&p, &idx[i]);
		assert_non_null(o);
		assert_int_equal(idx[i], i); /* dense: 0, 1, 2, ... across chunks */
		assert_int_equal(o->id, 0);  /* zeroed */
		o->id = i + 1;
		o->payload[3] = ~(uint64_t)i;
	}
	assert_int_equal(p.in_use, 3000);
	for (uint32_t i = 0; i < 3000; i++) {
		const struct obj *o = ipool_at(&p, i);
		assert_int_equal(o->id, i + 1);
		assert_true(o->payload[3] == ~(uint64_t)i);
	}
	ipool_free(&p, 5);
	ipool_free(&p, 2047);
	uint32_t a, b, c;
	struct obj *oa = ipool_alloc(&p, &a);
	ipool_alloc(&p, &b);
	ipool_alloc(&p, &c);
	/* The last freed comes back first, zeroed; then new ones. */
	assert_int_equal(a, 2047);
	assert_int_equal(oa->id, 0);
	assert_int_equal(b, 5);
	assert_int_equal(c, 3000);
	assert_true(ipool_bytes(&p) >= 3001 * sizeof(struct obj));
	ipool_destroy(&p);
	assert_int_equal(p.in_use, 0);
	assert_int_equal(ipool_next(&p, 0), IPOOL_NONE);
}

static void test_walk_with_frees(void **state)
{
	(void)state;
	struct ipool p;
	ipool_init(&p, 24);
	uint32_t ix;
	for (int i = 0; i < 5000; i++)
		assert_non_null(ipool_alloc(&p, &ix));
	/* Free every index divisible by 3 or 64 before the walk. */
	for (uint32_t i = 0; i < 5000; i++)
		if (i % 3 == 0 || i % 64 == 0)
			ipool_free(&p, i);
	/* During the walk, free each visited index that is even: the walk
	 * still visits every live index once, in order. */
	uint32_t seen = 0, last = 0;
	bool first = true;
	for (uint32_t i = ipool_next(&p, 0); i != IPOOL_NONE; i = ipool_next(&p, i + 1)) {
		assert_false(i % 3 == 0 || i % 64 == 0);
		assert_true(first || i > last);
		first = false;
		last = i;
		seen++;
		if (i % 2 == 0)
			ipool_free(&p, i);
	}
	uint32_t want = 0;
	for (uint32_t i = 0; i < 5000; i++)
		want += !(i % 3 == 0 || i % 64 == 0);
	assert_int_equal(seen, want);
	for (uint32_t i = ipool_next(&p, 0); i != IPOOL_NONE; i = ipool_next(&p, i + 1))
		assert_true(i % 2 == 1);
	ipool_destroy(&p);
}

static void test_against_model(void **state)
{
	(void)state;
	enum { N = 20000 };
	static bool model[N];
	memset(model, 0, sizeof(model));
	struct ipool p;
	ipool_init(&p, sizeof(struct obj));
	srand(7);
	size_t live = 0;
	for (int step = 0; step < 200000; step++) {
		if (rand() % 3 != 0 || live == 0) {
			uint32_t i;
			struct obj *o = ipool_alloc(&p, &i);
			assert_non_null(o);
			assert_true(i < N);
			assert_false(model[i]);
			model[i] = true;
			o->id = i;
			live++;
		} else {
			uint32_t i = (uint32_t)rand() % N;
			while (!model[i])
				i = (i + 1) % N;
			assert_int_equal(((struct obj *)ipool_at(&p, i))->id, i);
			ipool_free(&p, i);
			model[i] = false;
			live--;
		}
		if (live > N - 100) /* keep it under the model's size */
			for (uint32_t i = 0; i < N && live > N / 2; i++)
				if (model[i]) {
					ipool_free(&p, i);
					model[i] = false;
					live--;
				}
	}
	assert_int_equal(p.in_use, live);
	size_t walked = 0;
	for (uint32_t i = ipool_next(&p, 0); i != IPOOL_NONE; i = ipool_next(&p, i + 1)) {
		assert_true(model[i]);
		assert_int_equal(((struct obj *)ipool_at(&p, i))->id, i);
		walked++;
	}
	assert_int_equal(walked, live);
	ipool_destroy(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dense_and_reused),
		cmocka_unit_test(test_walk_with_frees),
		cmocka_unit_test(test_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

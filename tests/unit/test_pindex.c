/* test_pindex.c: the prefix index (lib/pindex.h) against a model: random
 * prefixes of every length, with host bits set, added and removed through
 * several growths of the buckets; after each round every model prefix is
 * found (with its payload), removed ones are not, and the sorted walk gives
 * the model's prefix order (by address, shorter first). IPv4 and IPv6. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/pindex.h"

struct obj {
	uint64_t payload;
	uint32_t hnext;
	uint8_t len;
	uint8_t spare_[3];
	uint32_t key[];
};

#define N 6000

struct model {
	struct prefix p[N];
	bool live[N];
};

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)(rnd_state >> 16);
}

static int prefix_order(const void *x, const void *y)
{
	const struct prefix *a = x, *b = y;
	int c = memcmp(a->a, b->a, sizeof(a->a));
	if (c)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

/* Distinct masked prefixes: a few lengths over few addresses, so that
 * prefixes share addresses and differ only by length. */
static void make_prefixes(struct model *m, uint8_t family)
{
	unsigned bits = family == AF_INET6 ? 128 : 32;
	for (unsigned i = 0; i < N; i++) {
		for (;;) {
			struct prefix p;
			memset(&p, 0, sizeof(p));
			p.family = family;
			p.len = (uint8_t)(rnd() % (bits + 1));
			for (unsigned b = 0; b < bits / 8; b++)
				p.a[b] = (uint8_t)(b < 2 ? rnd() % 4 : rnd());
			prefix_mask(&p);
			bool dup = false;
			for (unsigned j = 0; j < i && !dup; j++)
				dup = prefix_equal(&m->p[j], &p);
			if (!dup) {
				m->p[i] = p;
				break;
			}
		}
		m->live[i] = false;
	}
}

static void check(const struct pindex *x, const struct model *m)
{
	size_t live = 0;
	for (unsigned i = 0; i < N; i++) {
		/* Host bits in the query are ignored. */
		struct prefix q = m->p[i];
		for (unsigned b = q.len; b < (q.family == AF_INET6 ? 128u : 32u); b++)
			q.a[b / 8] |= (uint8_t)(0x80 >> (b % 8));
		const struct obj *o = pindex_find(x, &q);
		if (!m->live[i]) {
			assert_null(o);
			continue;
		}
		live++;
		assert_non_null(o);
		assert_int_equal(o->payload, i + 1);
		struct prefix back;
		pindex_prefix(x, o, &back);
		assert_true(prefix_equal(&back, &m->p[i]));
	}
	assert_int_equal(pindex_count(x), live);
	struct prefix *want = malloc((live ? live : 1) * sizeof(*want));
	assert_non_null(want);
	size_t k = 0;
	for (unsigned i = 0; i < N; i++)
		if (m->live[i])
			want[k++] = m->p[i];
	qsort(want, live, sizeof(*want), prefix_order);
	size_t n;
	void **v = pindex_sorted(x, &n);
	assert_int_equal(n, live);
	for (size_t i = 0; i < n; i++) {
		struct prefix got;
		pindex_prefix(x, v[i], &got);
		assert_true(prefix_equal(&got, &want[i]));
	}
	free(v);
	free(want);
}

static void run(uint8_t family)
{
	static struct model m;
	make_prefixes(&m, family);
	struct pindex x;
	pindex_init(&x, family, PINDEX_SIZE(offsetof(struct obj, key), family), offsetof(struct obj, hnext),
		    offsetof(struct obj, len), offsetof(struct obj, key));
	for (unsigned round = 0; round < 6; round++) {
		for (unsigned j = 0; j < N; j++) {
			unsigned i = rnd() % N;
			bool created;
			if (!m.live[i] && rnd() % 3 != 0) {
				struct obj *o = pindex_get(&x, &m.p[i], NULL, &created);
				assert_non_null(o);
				assert_true(created);
				assert_int_equal(o->payload, 0); /* zeroed */
				o->payload = i + 1;
				m.live[i] = true;
			} else if (m.live[i]) {
				struct obj *o = pindex_get(&x, &m.p[i], NULL, &created);
				assert_false(created);
				assert_int_equal(o->payload, i + 1);
				if (rnd() % 2) {
					pindex_remove(&x, o);
					m.live[i] = false;
				}
			}
		}
		check(&x, &m);
	}
	/* Of another family: neither found nor made. */
	struct prefix other;
	memset(&other, 0, sizeof(other));
	other.family = family == AF_INET ? AF_INET6 : AF_INET;
	bool created;
	assert_null(pindex_find(&x, &other));
	assert_null(pindex_get(&x, &other, NULL, &created));
	assert_false(created);
	assert_true(pindex_bytes(&x) > 0);
	pindex_destroy(&x);
}

static void test_ipv4(void **state)
{
	(void)state;
	run(AF_INET);
}

static void test_ipv6(void **state)
{
	(void)state;
	run(AF_INET6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

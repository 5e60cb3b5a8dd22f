/* test_rib.c: the Loc-RIB's own structures (src/bgp/rib.c): destinations
 * found through the hash table of each family, created and freed as paths
 * come and go (against a model over random operations, IPv4 and IPv6, /0 to
 * full length, one address at several lengths); the prefix order of
 * rib_sorted; paths listed newest first as FRR lists them, with the one held
 * inside the destination moving to the list; and the bitmap of changes,
 * emptied by the RIB's task and no larger than the pool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/speaker_int.h"

struct fx {
	struct loop *loop;
	struct logger log;
	struct bgp_speaker *s;
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof(f));
	f.loop = loop_new();
	f.log = (struct logger){ .level = LOG_LVL_ERR, .tag = "test_rib" };
	struct bgp_speaker_cfg c;
	bgp_speaker_cfg_defaults(&c);
	c.asn = 65001;
	c.router_id = 0x0a000001;
	c.listen_port = 0;
	f.s = bgp_speaker_new(f.loop, &f.log, &c);
	assert_non_null(f.s);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	bgp_speaker_free(f->s);
	loop_free(f->loop);
	return 0;
}

static void settle(struct fx *f)
{
	for (int i = 0; i < 2000 && f->s->rib.n_dirty; i++)
		loop_run_once(f->loop, 0);
	assert_int_equal(f->s->rib.n_dirty, 0);
}

static bool add(struct fx *f, uint8_t kind, const struct prefix *p, uint32_t med)
{
	struct bgp_attrs a = { .origin = BGP_ORIGIN_IGP, .med = med };
	a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
		 BGP_ATTR_BIT(BGP_ATTR_MED);
	if (p->family == AF_INET) {
		a.nexthop = 0x0a000001;
		a.have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
	}
	return bgp_local_add(f->s, kind, p, &a);
}

/* Candidate i of n: IPv4 or IPv6, lengths 0 to the full length, and many
 * addresses at several lengths (10.x.0.0/16 and 10.x.0.0/24, ...). */
static struct prefix candidate(unsigned i)
{
	struct prefix p = { 0 };
	unsigned v6 = i % 5 == 4;
	unsigned bits = v6 ? 128 : 32;
	uint32_t x = (i / 5) * 2654435761u;
	p.family = v6 ? AF_INET6 : AF_INET;
	p.len = (uint8_t)((i / 3) % (bits + 1));
	if (i % 7 == 0)
		x &= 0xffff0000u; /* shares an address with others */
	for (unsigned k = 0; k < bits / 8; k++)
		p.a[k] = (uint8_t)(x >> (8 * (k % 4))) ^ (uint8_t)(k * 31 * v6);
	prefix_mask(&p);
	return p;
}

static const struct prefix *sort_cand;

/* By prefix, then by index: the first of equal ones is the lowest. */
static int cand_cmp(const void *x, const void *y)
{
	unsigned a = *(const unsigned *)x, b = *(const unsigned *)y;
	int c = memcmp(&sort_cand[a], &sort_cand[b], sizeof(struct prefix));
	return c ? c : (a > b) - (a < b);
}

static void test_index_against_model(void **state)
{
	struct fx *f = *state;
	enum { N = 30000 };
	static bool model[N];
	static struct prefix cand[N];
	memset(model, 0, sizeof(model));
	for (unsigned i = 0; i < N; i++)
		cand[i] = candidate(i);
	/* Equal candidates (every /0 of a family, ...) share the model's
	 * answer: the lowest index of the equal ones stands for them. */
	static unsigned canon[N], order[N];
	for (unsigned i = 0; i < N; i++)
		order[i] = i;
	sort_cand = cand;
	qsort(order, N, sizeof(order[0]), cand_cmp);
	for (unsigned k = 0; k < N; k++) {
		unsigned i = order[k];
		bool same = k && !memcmp(&cand[order[k - 1]], &cand[i], sizeof(cand[i]));
		canon[i] = same ? canon[order[k - 1]] : i;
	}
	srand(11);
	for (int round = 0; round < 4; round++) {
		for (int step = 0; step < 40000; step++) {
			unsigned i = (unsigned)rand() % N, c = canon[i];
			if (rand() % 3) {
				assert_true(add(f, BGP_LOCAL_NETWORK, &cand[i], 1));
				model[c] = true;
			} else {
				bgp_local_del(f->s, BGP_LOCAL_NETWORK, &cand[i]);
				model[c] = false;
			}
		}
		settle(f);
		size_t want = 0;
		for (unsigned i = 0; i < N; i++) {
			struct rib_dest *d = rib_dest_get(&f->s->rib, &cand[i], false);
			assert_int_equal(d != NULL, model[canon[i]]);
			if (d) {
				struct prefix back;
				rib_dest_prefix(d, &back);
				assert_memory_equal(&back, &cand[i], sizeof(back));
				assert_non_null(rib_best(d));
			}
			want += canon[i] == i && model[i];
		}
		assert_int_equal(rib_dest_count(&f->s->rib, BGP_FAM_IPV4) +
					 rib_dest_count(&f->s->rib, BGP_FAM_IPV6),
				 want);
	}
	/* Everything withdrawn: no destination is left, the pools are empty. */
	for (unsigned i = 0; i < N; i++)
		bgp_local_del(f->s, BGP_LOCAL_NETWORK, &cand[i]);
	settle(f);
	assert_int_equal(rib_dest_count(&f->s->rib, BGP_FAM_IPV4), 0);
	assert_int_equal(rib_dest_count(&f->s->rib, BGP_FAM_IPV6), 0);
	/* The bitmap of changes covers the pool and no more. */
	for (int fam = 0; fam < BGP_FAM_COUNT; fam++)
		assert_true((size_t)f->s->rib.dirty_words[fam] * 64 <=
			    ((size_t)f->s->rib.dests[fam].pool.n_chunks << IPOOL_SHIFT) + 63);
}

static int pfx_cmp(const void *x, const void *y)
{
	const struct prefix *a = x, *b = y;
	int c = memcmp(a->a, b->a, 16); /* network order: numeric order */
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

static void test_sorted(void **state)
{
	struct fx *f = *state;
	static const char *const v4[] = { "10.1.0.0/16", "0.0.0.0/0", "10.0.0.0/8", "10.0.0.0/16",
					  "192.168.1.0/24", "10.0.0.0/24", "9.255.255.255/32",
					  "10.0.0.128/25", "172.16.0.0/12" };
	struct prefix want[16];
	size_t n = sizeof(v4) / sizeof(v4[0]);
	for (size_t i = 0; i < n; i++) {
		assert_true(prefix_parse(v4[i], true, &want[i]));
		assert_true(add(f, BGP_LOCAL_STATIC, &want[i], 0));
	}
	qsort(want, n, sizeof(want[0]), pfx_cmp);
	size_t got = 0;
	struct rib_dest **v = rib_sorted(&f->s->rib, BGP_FAM_IPV4, &got);
	assert_int_equal(got, n);
	for (size_t i = 0; i < n; i++) {
		struct prefix p;
		rib_dest_prefix(v[i], &p);
		assert_memory_equal(&p, &want[i], sizeof(p));
	}
	free(v);
	/* A prefix given with host bits set is the same destination. */
	struct prefix host = want[0];
	for (size_t i = 0; i < n; i++)
		if (want[i].len == 16)
			host = want[i];
	assert_int_equal(host.len, 16);
	host.a[2] = 2;
	host.a[3] = 3;
	struct prefix clean = host;
	prefix_mask(&clean);
	assert_ptr_equal(rib_dest_get(&f->s->rib, &host, false), rib_dest_get(&f->s->rib, &clean, false));
	assert_non_null(rib_dest_get(&f->s->rib, &host, false));
	/* An empty family: no array. */
	assert_null(rib_sorted(&f->s->rib, BGP_FAM_IPV6, &got));
	assert_int_equal(got, 0);
}

static void kinds_in_order(struct rib_dest *d, const uint8_t *kinds, size_t n)
{
	size_t i = 0;
	for (const struct rib_path *p = rib_paths(d); p; p = p->next, i++) {
		assert_true(i < n);
		assert_int_equal(p->kind, kinds[i]);
	}
	assert_int_equal(i, n);
}

static void test_paths_newest_first(void **state)
{
	struct fx *f = *state;
	struct prefix p;
	assert_true(prefix_parse("10.9.0.0/16", true, &p));
	assert_true(add(f, BGP_LOCAL_NETWORK, &p, 30));
	struct rib_dest *d = rib_dest_get(&f->s->rib, &p, false);
	assert_non_null(d);
	assert_true(d->first.flags & PATH_F_HELD); /* one path: inside the destination */
	assert_null(d->first.next);
	assert_true(add(f, BGP_LOCAL_STATIC, &p, 20));
	assert_true(add(f, BGP_LOCAL_CONNECTED, &p, 10));
	kinds_in_order(d, (const uint8_t[]){ BGP_LOCAL_CONNECTED, BGP_LOCAL_STATIC, BGP_LOCAL_NETWORK }, 3);
	/* The lowest MED wins among equal local paths. */
	assert_int_equal(rib_best(d)->kind, BGP_LOCAL_CONNECTED);
	/* A changed path keeps its place. */
	assert_true(add(f, BGP_LOCAL_STATIC, &p, 5));
	kinds_in_order(d, (const uint8_t[]){ BGP_LOCAL_CONNECTED, BGP_LOCAL_STATIC, BGP_LOCAL_NETWORK }, 3);
	assert_int_equal(rib_best(d)->kind, BGP_LOCAL_STATIC);
	/* The held one goes; a new one is held and listed first. */
	bgp_local_del(f->s, BGP_LOCAL_CONNECTED, &p);
	assert_false(d->first.flags & PATH_F_HELD);
	kinds_in_order(d, (const uint8_t[]){ BGP_LOCAL_STATIC, BGP_LOCAL_NETWORK }, 2);
	assert_true(add(f, BGP_LOCAL_KERNEL, &p, 50));
	assert_true(d->first.flags & PATH_F_HELD);
	kinds_in_order(d, (const uint8_t[]){ BGP_LOCAL_KERNEL, BGP_LOCAL_STATIC, BGP_LOCAL_NETWORK }, 3);
	assert_int_equal(rib_best(d)->kind, BGP_LOCAL_STATIC);
	/* All gone: the destination is freed once its change is processed. */
	bgp_local_del(f->s, BGP_LOCAL_STATIC, &p);
	bgp_local_del(f->s, BGP_LOCAL_NETWORK, &p);
	bgp_local_del(f->s, BGP_LOCAL_KERNEL, &p);
	settle(f);
	assert_null(rib_dest_get(&f->s->rib, &p, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_index_against_model, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sorted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_paths_newest_first, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_ptrie.c: the Patricia trie (lib/ptrie.h). Scripted shapes (/0, host
 * routes, nesting, siblings, removal of nodes with 0, 1 and 2 children,
 * re-insertion) checked by walk order and glue count; longest match; subtree
 * and covering walks; removal during a walk; and a random differential test
 * against a sorted-array model for both families. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "lib/ptrie.h"

/* A caller's node: the trie node first, then the prefix as the test knows it.
 * ptrie_node6 serves both families (an IPv4 trie uses only .n). */
struct tnode {
	struct ptrie_node6 n;
	struct prefix p;
	int mark;
};

static struct tnode *tn(struct ptrie_node *n)
{
	return (struct tnode *)(void *)n;
}

static struct prefix pfx(const char *s)
{
	struct prefix p;
	memset(&p, 0, sizeof(p));
	if (!prefix_parse(s, false, &p))
		fail_msg("bad prefix in test: %s", s);
	return p;
}

static struct tnode *new_node(const struct prefix *p)
{
	struct tnode *x = calloc(1, sizeof(*x));
	assert_non_null(x);
	x->p = *p;
	return x;
}

static void free_tnode(struct ptrie_node *n, void *arg)
{
	size_t *freed = arg;
	if (freed)
		(*freed)++;
	free(tn(n));
}

/* Inserts p, which must be new. */
static struct tnode *add(struct ptrie *t, const struct prefix *p)
{
	struct tnode *x = new_node(p);
	struct ptrie_node *r = ptrie_insert(t, p, &x->n.n);
	assert_ptr_equal(r, &x->n.n);
	return x;
}

/* The walk as "p1 p2 ...", checking each node's prefix on the way. */
static void walk_str(const struct ptrie *t, const struct prefix *sub, char *out, size_t cap)
{
	struct ptrie_iter it;
	if (sub)
		ptrie_iter_init_sub(&it, t, sub);
	else
		ptrie_iter_init(&it, t);
	size_t len = 0;
	out[0] = 0;
	struct ptrie_node *n;
	while ((n = ptrie_iter_next(&it)) != NULL) {
		struct prefix got;
		ptrie_node_prefix(n, &got);
		assert_true(prefix_equal(&got, &tn(n)->p));
		char b[PREFIX_STRLEN];
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " " : "",
					prefix_fmt(&got, b, sizeof(b)));
		assert_true(len < cap);
	}
}

/* ---- scripted shapes ------------------------------------------------------- */

struct shape_case {
	const char *name;
	uint8_t family;
	const char *ops[12]; /* "+P" inserts, "-P" removes */
	const char *walk;    /* expected order after the ops */
	size_t glue;
};

static const struct shape_case shape_cases[] = {
	{ "empty", AF_INET, { NULL }, "", 0 },
	{ "default route alone", AF_INET, { "+0.0.0.0/0" }, "0.0.0.0/0", 0 },
	{ "host route alone", AF_INET, { "+192.0.2.1/32" }, "192.0.2.1/32", 0 },
	{ "default and host routes", AF_INET, { "+255.255.255.255/32", "+0.0.0.0/0", "+0.0.0.0/32" },
	  "0.0.0.0/0 0.0.0.0/32 255.255.255.255/32", 0 },
	{ "siblings need a glue node", AF_INET, { "+10.0.0.0/16", "+10.1.0.0/16" },
	  "10.0.0.0/16 10.1.0.0/16", 1 },
	{ "covering prefix inserted after", AF_INET,
	  { "+10.0.0.0/16", "+10.1.0.0/16", "+10.0.0.0/15" },
	  "10.0.0.0/15 10.0.0.0/16 10.1.0.0/16", 0 },
	{ "nested chain, shortest first at equal address", AF_INET,
	  { "+10.0.0.0/24", "+10.0.0.0/8", "+10.0.0.0/16", "+10.0.0.0/32" },
	  "10.0.0.0/8 10.0.0.0/16 10.0.0.0/24 10.0.0.0/32", 0 },
	{ "prefix lands on a glue node", AF_INET,
	  { "+10.0.0.0/16", "+10.128.0.0/16", "+10.0.0.0/8" },
	  "10.0.0.0/8 10.0.0.0/16 10.128.0.0/16", 0 },
	{ "remove node with two children leaves glue", AF_INET,
	  { "+10.0.0.0/16", "+10.128.0.0/16", "+10.0.0.0/8", "-10.0.0.0/8" },
	  "10.0.0.0/16 10.128.0.0/16", 1 },
	{ "remove node with one child", AF_INET,
	  { "+10.0.0.0/8", "+10.1.0.0/16", "-10.0.0.0/8" }, "10.1.0.0/16", 0 },
	{ "remove leaf, glue parent goes", AF_INET,
	  { "+10.0.0.0/16", "+10.1.0.0/16", "+10.2.0.0/16", "-10.1.0.0/16" },
	  "10.0.0.0/16 10.2.0.0/16", 1 },
	{ "remove every leaf", AF_INET,
	  { "+10.0.0.0/16", "+10.1.0.0/16", "+10.2.0.0/16", "-10.1.0.0/16", "-10.0.0.0/16",
	    "-10.2.0.0/16" },
	  "", 0 },
	{ "remove then re-insert", AF_INET,
	  { "+10.0.0.0/8", "+10.1.0.0/16", "+10.2.0.0/16", "-10.0.0.0/8", "+10.0.0.0/8",
	    "-10.2.0.0/16", "+10.2.0.0/16" },
	  "10.0.0.0/8 10.1.0.0/16 10.2.0.0/16", 1 },
	{ "default route over split halves", AF_INET,
	  { "+0.0.0.0/1", "+128.0.0.0/1", "+0.0.0.0/0", "-0.0.0.0/0" },
	  "0.0.0.0/1 128.0.0.0/1", 1 },
	{ "odd bit boundaries", AF_INET,
	  { "+11.8.0.0/13", "+11.12.0.0/14", "+11.8.0.0/14", "+11.0.0.0/13" },
	  "11.0.0.0/13 11.8.0.0/13 11.8.0.0/14 11.12.0.0/14", 1 },
	{ "IPv6 default, /128 and /64s", AF_INET6,
	  { "+2001:db8::1/128", "+::/0", "+2001:db8::/64", "+2001:db8:0:1::/64" },
	  "::/0 2001:db8::/64 2001:db8::1/128 2001:db8:0:1::/64", 1 },
	{ "IPv6 parting past bit 64", AF_INET6,
	  { "+2001:db8:0:0:8000::/65", "+2001:db8::/65", "+ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
	    "+2001:db8::/64" },
	  "2001:db8::/64 2001:db8::/65 2001:db8:0:0:8000::/65 "
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
	  1 },
	{ "IPv6 remove internal node", AF_INET6,
	  { "+2001:db8::/32", "+2001:db8::/48", "+2001:db8:8000::/33", "-2001:db8::/32",
	    "-2001:db8::/48" },
	  "2001:db8:8000::/33", 0 },
};

static void test_shapes_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(shape_cases) / sizeof(shape_cases[0]); i++) {
		const struct shape_case *sc = &shape_cases[i];
		print_message("case: %s\n", sc->name);
		struct ptrie t;
		assert_true(ptrie_init(&t, sc->family));
		size_t live = 0;
		for (size_t k = 0; k < 12 && sc->ops[k]; k++) {
			struct prefix p = pfx(sc->ops[k] + 1);
			if (sc->ops[k][0] == '+') {
				add(&t, &p);
				live++;
			} else {
				struct ptrie_node *n = ptrie_lookup(&t, &p);
				assert_non_null(n);
				assert_true(ptrie_remove(&t, n));
				free(tn(n));
				assert_null(ptrie_lookup(&t, &p));
				live--;
			}
			assert_int_equal(ptrie_count(&t), live);
		}
		char buf[1024];
		walk_str(&t, NULL, buf, sizeof(buf));
		assert_string_equal(buf, sc->walk);
		assert_int_equal(t.glue, sc->glue);
		/* Every prefix walked is found by lookup. */
		struct ptrie_iter it;
		ptrie_iter_init(&it, &t);
		struct ptrie_node *n;
		while ((n = ptrie_iter_next(&it)) != NULL)
			assert_ptr_equal(ptrie_lookup(&t, &tn(n)->p), n);
		size_t freed = 0;
		ptrie_destroy(&t, free_tnode, &freed);
		assert_int_equal(freed, live);
		assert_int_equal(ptrie_count(&t), 0);
	}
}

static void test_insert_existing_and_errors(void **state)
{
	(void)state;
	struct ptrie t;
	assert_false(ptrie_init(&t, 0));
	assert_true(ptrie_init(&t, AF_INET));
	struct prefix p = pfx("10.0.0.0/8");
	struct tnode *a = add(&t, &p);
	struct tnode *b = new_node(&p);
	memset(&b->n, 0x5a, sizeof(b->n));
	struct ptrie_node6 before = b->n;
	assert_ptr_equal(ptrie_insert(&t, &p, &b->n.n), &a->n.n); /* the existing one */
	assert_memory_equal(&b->n, &before, sizeof(before));    /* untouched */
	struct prefix v6 = pfx("2001:db8::/32");
	assert_null(ptrie_insert(&t, &v6, &b->n.n)); /* other family */
	assert_null(ptrie_lookup(&t, &v6));
	struct ipaddr a6;
	assert_true(ipaddr_parse("2001:db8::1", &a6));
	assert_null(ptrie_match(&t, &a6));
	/* A glue position is not a prefix. */
	struct prefix q = pfx("10.128.0.0/9"), r = pfx("11.0.0.0/8");
	free(b);
	add(&t, &r);
	assert_null(ptrie_lookup(&t, &q));
	assert_null(ptrie_lookup(&t, &(struct prefix){ .family = AF_INET, .len = 7, .a = { 10 } }));
	assert_int_equal(t.glue, 1);
	assert_true(ptrie_bytes(&t) > 0);
	ptrie_destroy(&t, free_tnode, NULL);
}

/* ---- longest match and covering walks ------------------------------------- */

static const char *const lpm_table[] = {
	"0.0.0.0/0", "10.0.0.0/8", "10.1.0.0/16", "10.1.2.0/24", "10.1.2.3/32",
	"10.128.0.0/9", "192.0.2.0/24", "192.0.2.128/25",
};

struct lpm_case {
	const char *addr;
	const char *want; /* NULL: no match */
};

static const struct lpm_case lpm_cases[] = {
	{ "10.1.2.3", "10.1.2.3/32" },
	{ "10.1.2.4", "10.1.2.0/24" },
	{ "10.1.3.1", "10.1.0.0/16" },
	{ "10.2.0.0", "10.0.0.0/8" },
	{ "10.200.0.1", "10.128.0.0/9" },
	{ "192.0.2.200", "192.0.2.128/25" },
	{ "192.0.2.127", "192.0.2.0/24" },
	{ "192.0.3.1", "0.0.0.0/0" },
	{ "255.255.255.255", "0.0.0.0/0" },
};

static void test_lpm_table(void **state)
{
	(void)state;
	struct ptrie t;
	ptrie_init(&t, AF_INET);
	for (size_t i = 0; i < sizeof(lpm_table) / sizeof(lpm_table[0]); i++) {
		struct prefix p = pfx(lpm_table[i]);
		add(&t, &p);
	}
	for (size_t i = 0; i < sizeof(lpm_cases) / sizeof(lpm_cases[0]); i++) {
		const struct lpm_case *lc = &lpm_cases[i];
		print_message("case: %s\n", lc->addr);
		struct ipaddr a;
		assert_true(ipaddr_parse(lc->addr, &a));
		struct ptrie_node *n = ptrie_match(&t, &a);
		assert_non_null(n);
		char b[PREFIX_STRLEN];
		assert_string_equal(prefix_fmt(&tn(n)->p, b, sizeof(b)), lc->want);
	}
	/* Without the default route, an address outside everything has no match. */
	struct prefix def = pfx("0.0.0.0/0");
	struct ptrie_node *d = ptrie_lookup(&t, &def);
	assert_true(ptrie_remove(&t, d));
	free(tn(d));
	struct ipaddr a;
	assert_true(ipaddr_parse("192.0.3.1", &a));
	assert_null(ptrie_match(&t, &a));
	/* Longest match of a prefix: itself when present, else the nearest cover. */
	struct prefix q = pfx("10.1.2.0/24");
	assert_ptr_equal(ptrie_match_prefix(&t, &q), ptrie_lookup(&t, &q));
	q = pfx("10.1.2.0/23");
	struct prefix want = pfx("10.1.0.0/16");
	assert_ptr_equal(ptrie_match_prefix(&t, &q), ptrie_lookup(&t, &want));
	ptrie_destroy(&t, free_tnode, NULL);
}

static int collect(struct ptrie_node *n, void *arg)
{
	char *buf = arg;
	char b[PREFIX_STRLEN];
	if (buf[0])
		strcat(buf, " ");
	strcat(buf, prefix_fmt(&tn(n)->p, b, sizeof(b)));
	return 0;
}

static int stop_at_second(struct ptrie_node *n, void *arg)
{
	int *seen = arg;
	(void)n;
	return ++*seen == 2 ? 42 : 0;
}

struct walk_case {
	const char *under;
	bool covering; /* less specifics instead of more specifics */
	const char *want;
};

static const struct walk_case walk_cases[] = {
	{ "10.0.0.0/8", false, "10.0.0.0/8 10.1.0.0/16 10.1.2.0/24 10.1.2.3/32 10.128.0.0/9" },
	{ "10.1.0.0/16", false, "10.1.0.0/16 10.1.2.0/24 10.1.2.3/32" },
	{ "10.0.0.0/9", false, "10.1.0.0/16 10.1.2.0/24 10.1.2.3/32" }, /* not present itself */
	{ "10.1.2.3/32", false, "10.1.2.3/32" },
	{ "11.0.0.0/8", false, "" },
	{ "0.0.0.0/0", false,
	  "0.0.0.0/0 10.0.0.0/8 10.1.0.0/16 10.1.2.0/24 10.1.2.3/32 10.128.0.0/9 192.0.2.0/24 "
	  "192.0.2.128/25" },
	{ "10.1.2.3/32", true, "0.0.0.0/0 10.0.0.0/8 10.1.0.0/16 10.1.2.0/24 10.1.2.3/32" },
	{ "10.1.2.0/25", true, "0.0.0.0/0 10.0.0.0/8 10.1.0.0/16 10.1.2.0/24" },
	{ "192.0.2.0/24", true, "0.0.0.0/0 192.0.2.0/24" },
	{ "0.0.0.0/0", true, "0.0.0.0/0" },
};

static void test_walks_table(void **state)
{
	(void)state;
	struct ptrie t;
	ptrie_init(&t, AF_INET);
	for (size_t i = 0; i < sizeof(lpm_table) / sizeof(lpm_table[0]); i++) {
		struct prefix p = pfx(lpm_table[i]);
		add(&t, &p);
	}
	for (size_t i = 0; i < sizeof(walk_cases) / sizeof(walk_cases[0]); i++) {
		const struct walk_case *wc = &walk_cases[i];
		print_message("case: %s %s\n", wc->covering ? "covering" : "under", wc->under);
		struct prefix p = pfx(wc->under);
		char buf[1024] = "";
		if (wc->covering)
			assert_int_equal(ptrie_walk_covering(&t, &p, collect, buf), 0);
		else
			assert_int_equal(ptrie_walk(&t, &p, collect, buf), 0);
		assert_string_equal(buf, wc->want);
		if (!wc->covering) {
			char buf2[1024];
			walk_str(&t, &p, buf2, sizeof(buf2));
			assert_string_equal(buf2, wc->want);
		}
	}
	int seen = 0;
	assert_int_equal(ptrie_walk(&t, NULL, stop_at_second, &seen), 42);
	assert_int_equal(seen, 2);
	ptrie_destroy(&t, free_tnode, NULL);
}

/* The node just returned by the iterator may be removed and freed. */
static void test_remove_during_walk(void **state)
{
	(void)state;
	for (int fam = 0; fam < 2; fam++) {
		struct ptrie t;
		ptrie_init(&t, fam ? AF_INET6 : AF_INET);
		/* A full binary tree of depth 6 with every inner prefix present. */
		size_t total = 0;
		for (unsigned len = 0; len <= 6; len++)
			for (unsigned v = 0; v < (1u << len); v++) {
				struct prefix p = { .family = fam ? AF_INET6 : AF_INET,
						    .len = (uint8_t)len };
				p.a[0] = (uint8_t)(len ? v << (8 - len) : 0);
				add(&t, &p);
				total++;
			}
		for (int pass = 0; pass < 3 && ptrie_count(&t); pass++) {
			struct ptrie_iter it;
			ptrie_iter_init(&it, &t);
			struct ptrie_node *n;
			size_t k = 0, removed = 0, before = ptrie_count(&t);
			while ((n = ptrie_iter_next(&it)) != NULL) {
				if (pass == 2 || k++ % 2 == 0) {
					assert_true(ptrie_remove(&t, n));
					free(tn(n));
					removed++;
				}
			}
			assert_int_equal(ptrie_count(&t), before - removed);
			/* What is left walks in order and is found by lookup. */
			char buf[8192];
			walk_str(&t, NULL, buf, sizeof(buf));
			ptrie_iter_init(&it, &t);
			while ((n = ptrie_iter_next(&it)) != NULL)
				assert_ptr_equal(ptrie_lookup(&t, &tn(n)->p), n);
		}
		assert_int_equal(ptrie_count(&t), 0);
		assert_int_equal(t.glue, 0);
		assert_null(t.root);
		(void)total;
		ptrie_destroy(&t, NULL, NULL);
	}
}

/* ---- random differential test ----------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

/* Address order, shorter first at an equal address. */
static int model_cmp(const void *a, const void *b)
{
	const struct prefix *x = a, *y = b;
	int c = memcmp(x->a, y->a, sizeof(x->a));
	if (c)
		return c;
	return (int)x->len - (int)y->len;
}

static bool covers(const struct prefix *outer, const struct prefix *inner)
{
	if (outer->len > inner->len)
		return false;
	struct prefix m = *inner;
	m.len = outer->len;
	prefix_mask(&m);
	return memcmp(m.a, outer->a, sizeof(m.a)) == 0;
}

/* A random prefix from a small universe so that operations collide, nest and
 * share long common parts: a few hundred address stems, lengths clustered at
 * the family's common ones and its extremes. */
static struct prefix random_prefix(uint64_t *s, uint8_t family)
{
	unsigned bits = prefix_family_bits(family);
	struct prefix p = { .family = family };
	uint64_t r = rng_next(s);
	uint64_t stem = r % 300;
	uint64_t st = stem * 0x9e3779b97f4a7c15u;
	for (unsigned i = 0; i < bits / 8; i++)
		p.a[i] = (uint8_t)(st >> (8 * (i % 8)));
	if (stem % 3 == 0) /* some stems share a first half */
		p.a[0] = p.a[1] = 0x20;
	unsigned choice = (unsigned)(r >> 32) % 10;
	unsigned len;
	if (choice == 0)
		len = 0;
	else if (choice == 1)
		len = bits;
	else
		len = (unsigned)(rng_next(s) % (bits + 1));
	/* Vary the low bits so that siblings exist under each stem. */
	unsigned vary = (unsigned)(r >> 40) & 0xff;
	if (len >= 8)
		p.a[(len - 1) / 8] ^= (uint8_t)vary;
	p.len = (uint8_t)len;
	prefix_mask(&p);
	return p;
}

struct model {
	struct prefix *v;
	size_t n, cap;
};

static ssize_t model_find(const struct model *m, const struct prefix *p)
{
	for (size_t i = 0; i < m->n; i++)
		if (prefix_equal(&m->v[i], p))
			return (ssize_t)i;
	return -1;
}

static void check_against_model(struct ptrie *t, struct model *m, uint64_t *s)
{
	qsort(m->v, m->n, sizeof(m->v[0]), model_cmp);
	assert_int_equal(ptrie_count(t), m->n);
	struct ptrie_iter it;
	ptrie_iter_init(&it, t);
	struct ptrie_node *n;
	size_t i = 0;
	while ((n = ptrie_iter_next(&it)) != NULL) {
		assert_true(i < m->n);
		struct prefix got;
		ptrie_node_prefix(n, &got);
		if (!prefix_equal(&got, &m->v[i])) {
			char a[PREFIX_STRLEN], b[PREFIX_STRLEN];
			fail_msg("walk position %zu: got %s want %s", i,
				 prefix_fmt(&got, a, sizeof(a)), prefix_fmt(&m->v[i], b, sizeof(b)));
		}
		i++;
	}
	assert_int_equal(i, m->n);
	/* Glue nodes are fewer than prefixes. */
	assert_true(t->glue < m->n || m->n == 0);
	/* A subtree walk under a random prefix matches the model's filter. */
	struct prefix under = random_prefix(s, t->family);
	ptrie_iter_init_sub(&it, t, &under);
	i = 0;
	for (size_t k = 0; k < m->n; k++) {
		if (!covers(&under, &m->v[k]))
			continue;
		n = ptrie_iter_next(&it);
		assert_non_null(n);
		assert_true(prefix_equal(&tn(n)->p, &m->v[k]));
	}
	assert_null(ptrie_iter_next(&it));
	/* Resuming after a random prefix (in the trie or not) yields exactly the
	 * model's elements that sort after it: how a walk in slices resumes. */
	struct prefix after = random_prefix(s, t->family);
	if (m->n && rng_next(s) % 2)
		after = m->v[rng_next(s) % m->n];
	ptrie_iter_init_after(&it, t, &after);
	for (size_t k = 0; k < m->n; k++) {
		if (model_cmp(&m->v[k], &after) <= 0)
			continue;
		n = ptrie_iter_next(&it);
		if (!n || !prefix_equal(&tn(n)->p, &m->v[k])) {
			char a[PREFIX_STRLEN], b[PREFIX_STRLEN];
			fail_msg("walk after %s: expected %s next", prefix_fmt(&after, a, sizeof(a)),
				 prefix_fmt(&m->v[k], b, sizeof(b)));
		}
	}
	assert_null(ptrie_iter_next(&it));
}

static void differential(uint8_t family, unsigned ops, uint64_t seed)
{
	struct ptrie t;
	ptrie_init(&t, family);
	struct model m = { .cap = 4096 };
	m.v = calloc(m.cap, sizeof(m.v[0]));
	assert_non_null(m.v);
	uint64_t s = seed;
	for (unsigned op = 0; op < ops; op++) {
		/* Insert while the model is small, remove more once it is not;
		 * removals take an existing prefix half the time. */
		unsigned kind = (unsigned)(rng_next(&s) % 8);
		unsigned inserts = m.n < 1500 ? 4 : 2;
		bool ins = kind < inserts, del = !ins && kind < 7;
		struct prefix p = random_prefix(&s, family);
		if (del && m.n && (rng_next(&s) & 1))
			p = m.v[rng_next(&s) % m.n];
		ssize_t at = model_find(&m, &p);
		struct ptrie_node *n = ptrie_lookup(&t, &p);
		assert_int_equal(n != NULL, at >= 0);
		if (n)
			assert_true(prefix_equal(&tn(n)->p, &p));
		if (ins) {
			struct tnode *x = new_node(&p);
			struct ptrie_node *r = ptrie_insert(&t, &p, &x->n.n);
			if (at >= 0) {
				assert_ptr_equal(r, n);
				free(x);
			} else {
				assert_ptr_equal(r, &x->n.n);
				assert_true(m.n < m.cap);
				m.v[m.n++] = p;
			}
		} else if (del) {
			if (n) {
				assert_true(ptrie_remove(&t, n));
				free(tn(n));
				m.v[at] = m.v[--m.n];
				assert_null(ptrie_lookup(&t, &p));
			}
		} else { /* longest match against a linear scan */
			struct ptrie_node *lm = ptrie_match_prefix(&t, &p);
			const struct prefix *best = NULL;
			for (size_t k = 0; k < m.n; k++)
				if (covers(&m.v[k], &p) && (!best || m.v[k].len > best->len))
					best = &m.v[k];
			if (!best)
				assert_null(lm);
			else
				assert_true(lm && prefix_equal(&tn(lm)->p, best));
			struct ipaddr a = { .family = family };
			memcpy(a.a, p.a, 16);
			lm = ptrie_match(&t, &a);
			best = NULL;
			struct prefix host = p;
			host.len = (uint8_t)prefix_family_bits(family);
			for (size_t k = 0; k < m.n; k++)
				if (covers(&m.v[k], &host) && (!best || m.v[k].len > best->len))
					best = &m.v[k];
			if (!best)
				assert_null(lm);
			else
				assert_true(lm && prefix_equal(&tn(lm)->p, best));
		}
		if (op % 5000 == 4999)
			check_against_model(&t, &m, &s);
	}
	check_against_model(&t, &m, &s);
	size_t freed = 0;
	ptrie_destroy(&t, free_tnode, &freed);
	assert_int_equal(freed, m.n);
	free(m.v);
}

static void test_differential_ipv4(void **state)
{
	(void)state;
	differential(AF_INET, 100000, 0x1234567887654321u);
}

static void test_differential_ipv6(void **state)
{
	(void)state;
	differential(AF_INET6, 100000, 0x0fedcba987654321u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes_table),
		cmocka_unit_test(test_insert_existing_and_errors),
		cmocka_unit_test(test_lpm_table),
		cmocka_unit_test(test_walks_table),
		cmocka_unit_test(test_remove_during_walk),
		cmocka_unit_test(test_differential_ipv4),
		cmocka_unit_test(test_differential_ipv6),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

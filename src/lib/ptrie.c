/* ptrie.c: the Patricia trie of lib/ptrie.h. Keys are 32-bit words in host
 * order so that branching is a shift and a mask; every glue node has exactly
 * two children, so there are fewer glue nodes than prefixes. */
#include "ptrie.h"

#include <stdlib.h>
#include <string.h>

/* Glue nodes come from chunks of this many, never returned before destroy:
 * a table that shrinks after a session drops usually grows back. */
#define POOL_CHUNK_NODES 512

struct ptrie_pool_chunk {
	struct ptrie_pool_chunk *next;
	/* nodes follow, node_size(t) bytes each */
};

/* ---- keys ----------------------------------------------------------------- */

static size_t node_size(const struct ptrie *t)
{
	return t->words == 1 ? sizeof(struct ptrie_node) : sizeof(struct ptrie_node6);
}

static inline uint32_t node_word(const struct ptrie_node *n, unsigned i)
{
	if (i == 0)
		return n->key;
	const struct ptrie_node6 *n6 = (const struct ptrie_node6 *)n;
	return n6->key_rest[i - 1];
}

static void set_node_key(struct ptrie_node *n, const uint32_t *k, unsigned words)
{
	n->key = k[0];
	if (words > 1) {
		struct ptrie_node6 *n6 = (struct ptrie_node6 *)n;
		for (unsigned i = 1; i < words; i++)
			n6->key_rest[i - 1] = k[i];
	}
}

/* Key words of a prefix, host order. */
static void prefix_key(const struct prefix *p, unsigned words, uint32_t *k)
{
	for (unsigned i = 0; i < words; i++)
		k[i] = (uint32_t)p->a[4 * i] << 24 | (uint32_t)p->a[4 * i + 1] << 16 |
		       (uint32_t)p->a[4 * i + 2] << 8 | p->a[4 * i + 3];
}

/* Bit b (0 = most significant) of a key. */
static inline unsigned key_bit(const uint32_t *k, unsigned b)
{
	return (k[b >> 5] >> (31 - (b & 31))) & 1;
}

static inline unsigned node_bit(const struct ptrie_node *n, unsigned b)
{
	return (node_word(n, b >> 5) >> (31 - (b & 31))) & 1;
}

/* The first bit below limit where k and n's key differ, or limit. */
static inline unsigned first_diff(const uint32_t *k, const struct ptrie_node *n, unsigned limit)
{
	for (unsigned i = 0; i * 32 < limit; i++) {
		uint32_t x = k[i] ^ node_word(n, i);
		if (x) {
			unsigned d = i * 32 + (unsigned)__builtin_clz(x);
			return d < limit ? d : limit;
		}
	}
	return limit;
}

/* Does n's key agree with k on n's first n->len bits? */
static inline bool node_covers(const struct ptrie_node *n, const uint32_t *k)
{
	return first_diff(k, n, n->len) == n->len;
}

/* The key k cleared past len bits, into out. */
static void key_masked(const uint32_t *k, unsigned words, unsigned len, uint32_t *out)
{
	for (unsigned i = 0; i < words; i++) {
		unsigned lo = i * 32;
		if (len >= lo + 32)
			out[i] = k[i];
		else if (len <= lo)
			out[i] = 0;
		else
			out[i] = k[i] & ~(UINT32_MAX >> (len - lo));
	}
}

static bool family_ok(const struct ptrie *t, uint8_t family)
{
	return family == t->family;
}

static uint8_t family_flag(const struct ptrie *t)
{
	return t->words == 4 ? PTRIE_F_V6 : 0;
}

/* ---- jump table (IPv4) -----------------------------------------------------
 *
 * All nodes of length 16 or more under one /16 form one subtree (two of them
 * part at a bit past 15, where their nearest common node is), so jump[x] is
 * that subtree's top. Kept true by two rules at every change of a link. */

#define JUMP_BITS 16

static inline struct ptrie_node **jump_slot(const struct ptrie *t, const struct ptrie_node *n)
{
	return &t->jump[n->key >> (32 - JUMP_BITS)];
}

/* Node x leaves its place and y (NULL for nobody) takes it. */
static void jump_replace(struct ptrie *t, const struct ptrie_node *x, struct ptrie_node *y)
{
	if (!t->jump || x->len < JUMP_BITS)
		return;
	struct ptrie_node **j = jump_slot(t, x);
	if (*j != x)
		return;
	if (!y)
		*j = NULL;
	else if (y->len >= JUMP_BITS)
		*j = y;
	/* else y is shorter and x stays below it, still the top. */
}

/* A node was added: it is the top of its /16 when that was empty. */
static void jump_fill(struct ptrie *t, struct ptrie_node *n)
{
	if (t->jump && n->len >= JUMP_BITS && !*jump_slot(t, n))
		*jump_slot(t, n) = n;
}

/* Where a search for a key of len bits may start. */
static inline struct ptrie_node *search_start(const struct ptrie *t, const uint32_t *k,
					      unsigned len)
{
	if (t->jump && len >= JUMP_BITS)
		return t->jump[k[0] >> (32 - JUMP_BITS)];
	return t->root;
}

/* ---- glue pool ------------------------------------------------------------ */

static struct ptrie_node *glue_alloc(struct ptrie *t)
{
	if (!t->free_glue) {
		size_t sz = node_size(t);
		/* Nodes start after the chunk header, at pointer alignment. */
		size_t hdr = (sizeof(struct ptrie_pool_chunk) + sizeof(void *) - 1) &
			     ~(sizeof(void *) - 1);
		struct ptrie_pool_chunk *c = malloc(hdr + POOL_CHUNK_NODES * sz);
		if (!c)
			return NULL;
		c->next = t->chunks;
		t->chunks = c;
		uint8_t *base = (uint8_t *)c + hdr;
		for (size_t i = POOL_CHUNK_NODES; i-- > 0;) {
			struct ptrie_node *g = (struct ptrie_node *)(void *)(base + i * sz);
			g->child[0] = t->free_glue;
			t->free_glue = g;
		}
		t->pool_nodes += POOL_CHUNK_NODES;
	}
	struct ptrie_node *g = t->free_glue;
	t->free_glue = g->child[0];
	memset(g, 0, node_size(t));
	g->flags = PTRIE_F_GLUE | family_flag(t);
	t->glue++;
	return g;
}

static void glue_free(struct ptrie *t, struct ptrie_node *g)
{
	g->child[0] = t->free_glue;
	g->child[1] = NULL;
	t->free_glue = g;
	t->glue--;
}

/* ---- setup ---------------------------------------------------------------- */

bool ptrie_init(struct ptrie *t, uint8_t family)
{
	memset(t, 0, sizeof(*t));
	if (family != AF_INET && family != AF_INET6)
		return false;
	t->family = family;
	t->words = family == AF_INET ? 1 : 4;
	return true;
}

void ptrie_destroy(struct ptrie *t, void (*free_node)(struct ptrie_node *n, void *arg),
		   void *arg)
{
	if (free_node && t->root) {
		struct ptrie_node *stack[PTRIE_MAX_DEPTH];
		unsigned sp = 0;
		stack[sp++] = t->root;
		while (sp) {
			struct ptrie_node *n = stack[--sp];
			if (n->child[0])
				stack[sp++] = n->child[0];
			if (n->child[1])
				stack[sp++] = n->child[1];
			if (!(n->flags & PTRIE_F_GLUE))
				free_node(n, arg);
		}
	}
	struct ptrie_pool_chunk *c = t->chunks;
	while (c) {
		struct ptrie_pool_chunk *next = c->next;
		free(c);
		c = next;
	}
	free(t->jump);
	uint8_t family = t->family;
	ptrie_init(t, family);
}

size_t ptrie_bytes(const struct ptrie *t)
{
	size_t chunks = t->pool_nodes / POOL_CHUNK_NODES;
	size_t jump = t->jump ? (sizeof(*t->jump) << JUMP_BITS) : 0;
	return t->pool_nodes * node_size(t) + chunks * sizeof(struct ptrie_pool_chunk) + jump;
}

void ptrie_node_prefix(const struct ptrie_node *n, struct prefix *out)
{
	memset(out, 0, sizeof(*out));
	unsigned words = n->flags & PTRIE_F_V6 ? 4 : 1;
	out->family = words == 4 ? AF_INET6 : AF_INET;
	out->len = n->len;
	for (unsigned i = 0; i < words; i++) {
		uint32_t w = node_word(n, i);
		out->a[4 * i] = (uint8_t)(w >> 24);
		out->a[4 * i + 1] = (uint8_t)(w >> 16);
		out->a[4 * i + 2] = (uint8_t)(w >> 8);
		out->a[4 * i + 3] = (uint8_t)w;
	}
}

/* ---- lookup --------------------------------------------------------------- */

static bool prefix_ok(const struct ptrie *t, const struct prefix *p)
{
	return family_ok(t, p->family) && p->len <= t->words * 32;
}

struct ptrie_node *ptrie_lookup(const struct ptrie *t, const struct prefix *p)
{
	if (!prefix_ok(t, p))
		return NULL;
	uint32_t k[4];
	prefix_key(p, t->words, k);
	struct ptrie_node *n = search_start(t, k, p->len);
	/* Descend on bits alone; one full comparison at the end. */
	while (n && n->len < p->len)
		n = n->child[key_bit(k, n->len)];
	if (!n || n->len != p->len || (n->flags & PTRIE_F_GLUE))
		return NULL;
	for (unsigned i = 0; i < t->words; i++)
		if (node_word(n, i) != k[i])
			return NULL;
	return n;
}

static struct ptrie_node *match_from(struct ptrie_node *n, const uint32_t *k, unsigned len)
{
	struct ptrie_node *best = NULL;
	while (n && n->len <= len && node_covers(n, k)) {
		if (!(n->flags & PTRIE_F_GLUE))
			best = n;
		if (n->len == len)
			break;
		n = n->child[key_bit(k, n->len)];
	}
	return best;
}

static struct ptrie_node *match_key(const struct ptrie *t, const uint32_t *k, unsigned len)
{
	if (t->jump && len >= JUMP_BITS) {
		/* The /16's subtree first; then the shorter prefixes only. */
		struct ptrie_node *best = match_from(search_start(t, k, len), k, len);
		return best ? best : match_from(t->root, k, JUMP_BITS - 1);
	}
	return match_from(t->root, k, len);
}

struct ptrie_node *ptrie_match_prefix(const struct ptrie *t, const struct prefix *p)
{
	if (!prefix_ok(t, p))
		return NULL;
	uint32_t k[4];
	prefix_key(p, t->words, k);
	return match_key(t, k, p->len);
}

struct ptrie_node *ptrie_match(const struct ptrie *t, const struct ipaddr *a)
{
	if (!family_ok(t, a->family))
		return NULL;
	struct prefix p = { .family = a->family, .len = (uint8_t)(t->words * 32) };
	memcpy(p.a, a->a, sizeof(p.a));
	uint32_t k[4];
	prefix_key(&p, t->words, k);
	return match_key(t, k, p.len);
}

/* ---- insert --------------------------------------------------------------- */

/* Puts caller node n where glue node g is, g's children becoming n's. */
static void replace_glue(struct ptrie *t, struct ptrie_node **link, struct ptrie_node *g,
			 struct ptrie_node *n)
{
	n->child[0] = g->child[0];
	n->child[1] = g->child[1];
	*link = n;
	glue_free(t, g);
}

struct ptrie_node *ptrie_insert(struct ptrie *t, const struct prefix *p, struct ptrie_node *n)
{
	if (!prefix_ok(t, p))
		return NULL;
	uint32_t k[4];
	prefix_key(p, t->words, k);
	unsigned len = p->len;
	if (!t->root && !t->jump && t->words == 1)
		t->jump = calloc((size_t)1 << JUMP_BITS, sizeof(*t->jump)); /* NULL is fine */

	struct ptrie_node **link = &t->root;
	struct ptrie_node *cur = *link;
	unsigned diff = len;
	while (cur) {
		unsigned lim = cur->len < len ? cur->len : len;
		diff = first_diff(k, cur, lim);
		if (diff < lim || cur->len >= len)
			break;
		/* cur covers p and is shorter: go down. */
		link = &cur->child[key_bit(k, cur->len)];
		cur = *link;
	}

	if (cur && diff == len && cur->len == len) {
		if (!(cur->flags & PTRIE_F_GLUE))
			return cur;
		set_node_key(n, k, t->words);
		n->len = (uint8_t)len;
		n->flags = family_flag(t);
		jump_replace(t, cur, n);
		replace_glue(t, link, cur, n);
		t->count++;
		return n;
	}

	struct ptrie_node *glue = NULL;
	if (cur && diff < len && diff < cur->len) {
		/* p and cur part at bit diff: a glue node there holds both. */
		glue = glue_alloc(t);
		if (!glue)
			return NULL;
	}
	set_node_key(n, k, t->words);
	n->len = (uint8_t)len;
	n->flags = family_flag(t);
	n->child[0] = n->child[1] = NULL;

	if (!cur) {
		*link = n;
	} else if (!glue) {
		/* p covers cur: n goes above it. */
		n->child[node_bit(cur, len)] = cur;
		*link = n;
		jump_replace(t, cur, n);
	} else {
		uint32_t gk[4] = { 0 };
		key_masked(k, t->words, diff, gk);
		set_node_key(glue, gk, t->words);
		glue->len = (uint8_t)diff;
		unsigned b = key_bit(k, diff);
		glue->child[b] = n;
		glue->child[!b] = cur;
		*link = glue;
		jump_replace(t, cur, glue);
	}
	jump_fill(t, n);
	t->count++;
	return n;
}

/* ---- remove --------------------------------------------------------------- */

bool ptrie_remove(struct ptrie *t, struct ptrie_node *n)
{
	uint32_t k[4];
	for (unsigned i = 0; i < t->words; i++)
		k[i] = node_word(n, i);

	struct ptrie_node **plink = NULL, **link = &t->root;
	while (*link && *link != n) {
		struct ptrie_node *cur = *link;
		if (cur->len >= n->len)
			abort(); /* n is not in this trie */
		plink = link;
		link = &cur->child[key_bit(k, cur->len)];
	}
	if (!*link)
		abort(); /* n is not in this trie */

	if (n->child[0] && n->child[1]) {
		struct ptrie_node *g = glue_alloc(t);
		if (!g)
			return false;
		set_node_key(g, k, t->words);
		g->len = n->len;
		g->child[0] = n->child[0];
		g->child[1] = n->child[1];
		*link = g;
		jump_replace(t, n, g);
	} else if (n->child[0] || n->child[1]) {
		*link = n->child[0] ? n->child[0] : n->child[1];
		jump_replace(t, n, *link);
	} else {
		*link = NULL;
		jump_replace(t, n, NULL);
		/* A glue parent left with one child gives way to that child. */
		struct ptrie_node *parent = plink ? *plink : NULL;
		if (parent && (parent->flags & PTRIE_F_GLUE)) {
			*plink = parent->child[0] ? parent->child[0] : parent->child[1];
			jump_replace(t, parent, *plink);
			glue_free(t, parent);
		}
	}
	n->child[0] = n->child[1] = NULL;
	t->count--;
	return true;
}

/* ---- walks ---------------------------------------------------------------- */

void ptrie_iter_init(struct ptrie_iter *it, const struct ptrie *t)
{
	it->sp = 0;
	if (t->root)
		it->stack[it->sp++] = t->root;
}

void ptrie_iter_init_sub(struct ptrie_iter *it, const struct ptrie *t, const struct prefix *p)
{
	it->sp = 0;
	if (!prefix_ok(t, p))
		return;
	uint32_t k[4];
	prefix_key(p, t->words, k);
	struct ptrie_node *n = search_start(t, k, p->len);
	while (n && n->len < p->len)
		n = n->child[key_bit(k, n->len)];
	/* The first node at or below p's length on p's path is the top of p's
	 * subtree when it agrees with p on p's bits. */
	if (n && first_diff(k, n, p->len) == p->len)
		it->stack[it->sp++] = n;
}

struct ptrie_node *ptrie_iter_next(struct ptrie_iter *it)
{
	while (it->sp) {
		struct ptrie_node *n = it->stack[--it->sp];
		/* Children first on the stack: n may then be removed by the
		 * caller, which changes only links above and at n. */
		if (n->child[1])
			it->stack[it->sp++] = n->child[1];
		if (n->child[0])
			it->stack[it->sp++] = n->child[0];
		if (!(n->flags & PTRIE_F_GLUE))
			return n;
	}
	return NULL;
}

int ptrie_walk(const struct ptrie *t, const struct prefix *p, ptrie_walk_fn fn, void *arg)
{
	struct ptrie_iter it;
	if (p)
		ptrie_iter_init_sub(&it, t, p);
	else
		ptrie_iter_init(&it, t);
	struct ptrie_node *n;
	while ((n = ptrie_iter_next(&it)) != NULL) {
		int r = fn(n, arg);
		if (r)
			return r;
	}
	return 0;
}

int ptrie_walk_covering(const struct ptrie *t, const struct prefix *p, ptrie_walk_fn fn,
			void *arg)
{
	if (!prefix_ok(t, p))
		return 0;
	uint32_t k[4];
	prefix_key(p, t->words, k);
	struct ptrie_node *n = t->root;
	while (n && n->len <= p->len && node_covers(n, k)) {
		struct ptrie_node *next =
			n->len < p->len ? n->child[key_bit(k, n->len)] : NULL;
		if (!(n->flags & PTRIE_F_GLUE)) {
			int r = fn(n, arg);
			if (r)
				return r;
		}
		n = next;
	}
	return 0;
}

/* Positions it so that the walk goes on with the first prefix after p (in
 * walk order), whether or not p is in the trie: how a walk done in slices
 * resumes while the trie changes between the slices. */
void ptrie_iter_init_after(struct ptrie_iter *it, const struct ptrie *t, const struct prefix *p)
{
	it->sp = 0;
	if (!prefix_ok(t, p))
		return;
	uint32_t k[4];
	prefix_key(p, t->words, k);
	struct ptrie_node *n = t->root;
	while (n) {
		unsigned common = n->len < p->len ? n->len : p->len;
		unsigned d = first_diff(k, n, common);
		if (d < common) {
			/* n's subtree lies wholly on one side of p. */
			if (!key_bit(k, d))
				it->stack[it->sp++] = n;
			return;
		}
		if (n->len > p->len) {
			it->stack[it->sp++] = n; /* more specifics of p: all after it */
			return;
		}
		if (n->len == p->len) {
			if (n->child[1])
				it->stack[it->sp++] = n->child[1];
			if (n->child[0])
				it->stack[it->sp++] = n->child[0];
			return;
		}
		/* n covers p and comes before it: go down towards p, leaving the
		 * right-hand branch for after p's side. */
		unsigned bit = key_bit(k, n->len);
		if (bit == 0 && n->child[1])
			it->stack[it->sp++] = n->child[1];
		n = n->child[bit];
	}
}

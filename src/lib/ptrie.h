/* ptrie.h: a path-compressed binary (Patricia) trie of prefixes of one family.
 *
 * Intrusive: the caller's per-prefix struct embeds a struct ptrie_node (IPv4)
 * or struct ptrie_node6 (IPv6), which also holds the key, so a RIB destination
 * is one allocation; the trie allocates only the glue nodes where two branches
 * part, from a pool of its own. It owns no caller node and never frees one. */
#ifndef NVAD_LIB_PTRIE_H
#define NVAD_LIB_PTRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "prefix.h"

/* Read the fields through the functions below; the layout is public only so
 * that callers can embed it. 24 bytes on LP64. */
struct ptrie_node {
	struct ptrie_node *child[2];
	uint32_t key;  /* bits 0..31 of the prefix, host order */
	uint8_t len;   /* prefix length */
	uint8_t flags; /* PTRIE_F_* */
	uint8_t spare_[2];
};

/* The node of an IPv6 trie: 40 bytes. Embed this one and pass &x.n. */
struct ptrie_node6 {
	struct ptrie_node n;
	uint32_t key_rest[3]; /* bits 32..127, host order */
};

#define PTRIE_F_GLUE 0x01 /* internal: no prefix of the caller's here */
#define PTRIE_F_V6 0x02

struct ptrie_pool_chunk;

struct ptrie {
	struct ptrie_node *root;
	uint8_t family;     /* AF_INET or AF_INET6 */
	uint8_t words;      /* 32-bit words of key: 1 or 4 */
	size_t count;       /* prefixes (caller nodes) in the trie */
	size_t glue;        /* glue nodes in the trie */
	/* Pool of glue nodes: chunks, and a free list through child[0]. */
	struct ptrie_pool_chunk *chunks;
	struct ptrie_node *free_glue;
	size_t pool_nodes;  /* glue nodes allocated, in use or free */
	/* IPv4 only, NULL until the first insert (or if it could not be had):
	 * for each /16, the top node of length 16 or more under it, so that
	 * lookups skip the first levels. An accelerator; never required. */
	struct ptrie_node **jump;
};

/* An empty trie for AF_INET or AF_INET6; false for any other family. */
bool ptrie_init(struct ptrie *t, uint8_t family);

/* Frees the glue nodes. When free_node is not NULL it is called once for every
 * caller node still in the trie (in no particular order; the trie does not
 * touch a node after passing it). The trie is empty and reusable after. */
void ptrie_destroy(struct ptrie *t, void (*free_node)(struct ptrie_node *n, void *arg),
		   void *arg);

static inline size_t ptrie_count(const struct ptrie *t)
{
	return t->count;
}

/* Bytes the trie itself holds (glue pool, jump table), for `show memory`. */
size_t ptrie_bytes(const struct ptrie *t);

/* The prefix of a node found in or given to the trie. */
void ptrie_node_prefix(const struct ptrie_node *n, struct prefix *out);

/* Adds node n with prefix p (its family must be the trie's, host bits zero).
 * Returns n when added; the node already holding p, leaving n untouched, when
 * present; NULL when p is of another family or a glue node could not be
 * allocated (the trie is unchanged). */
struct ptrie_node *ptrie_insert(struct ptrie *t, const struct prefix *p, struct ptrie_node *n);

/* The node holding exactly p, or NULL. */
struct ptrie_node *ptrie_lookup(const struct ptrie *t, const struct prefix *p);

/* Removes n, which must be in t. Returns false, leaving the trie unchanged,
 * only when n had two children and no glue node could be allocated to stand
 * in for it. The caller may free n after true. */
bool ptrie_remove(struct ptrie *t, struct ptrie_node *n);

/* The node of the longest prefix that contains p (p itself included), or
 * NULL. */
struct ptrie_node *ptrie_match_prefix(const struct ptrie *t, const struct prefix *p);

/* The node of the longest prefix that contains address a (a /32 or /128
 * match), or NULL: the next-hop resolution query. */
struct ptrie_node *ptrie_match(const struct ptrie *t, const struct ipaddr *a);

/* Walks in `show ip bgp` order: by address, the shorter prefix first at an
 * equal address (a pre-order walk of the trie).
 *
 * Rule for changes during a walk: the node just returned (or passed to the
 * callback) may be removed, and freed; no other node may be removed and
 * nothing may be inserted until the walk ends. To change the trie at large,
 * collect first or restart the walk. */
#define PTRIE_MAX_DEPTH 130

struct ptrie_iter {
	struct ptrie_node *stack[PTRIE_MAX_DEPTH];
	unsigned sp;
};

/* Every prefix of the trie. */
void ptrie_iter_init(struct ptrie_iter *it, const struct ptrie *t);
/* The prefixes that p covers: p itself and all its more specifics. */
void ptrie_iter_init_sub(struct ptrie_iter *it, const struct ptrie *t, const struct prefix *p);
/* The prefixes after p in walk order, p itself excluded and whether or not
 * it is in the trie: how a walk in slices resumes after the trie changed. */
void ptrie_iter_init_after(struct ptrie_iter *it, const struct ptrie *t, const struct prefix *p);
/* The next node, or NULL at the end. */
struct ptrie_node *ptrie_iter_next(struct ptrie_iter *it);

/* Callback forms of the walks above: fn returns nonzero to stop the walk, and
 * the walk returns that value (0 when it ran to the end). p NULL walks all. */
typedef int (*ptrie_walk_fn)(struct ptrie_node *n, void *arg);
int ptrie_walk(const struct ptrie *t, const struct prefix *p, ptrie_walk_fn fn, void *arg);

/* The prefixes that contain p (p included when present), shortest first:
 * the less specifics of p. */
int ptrie_walk_covering(const struct ptrie *t, const struct prefix *p, ptrie_walk_fn fn,
			void *arg);

#endif

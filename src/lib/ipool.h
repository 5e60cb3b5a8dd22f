/* ipool.h: a pool of fixed-size objects named by 32-bit indices, for the
 * structures a daemon holds by the million and links to each other (the
 * RIB's destinations): an index takes half a pointer's room. Objects are
 * packed 1024 to a chunk with no per-object header, each chunk mapped from
 * the system on its own (1024 objects of a multiple of 8 octets fill whole
 * pages), so that a million objects leave no hole in the heap; a bitmap per
 * chunk says which are live, so the pool can be walked in index order, and
 * an object freed during a walk does not disturb it. Freed indices are
 * reused first. Memory goes back to the system only when the pool is
 * destroyed. Not thread-safe. */
#ifndef NVAD_LIB_IPOOL_H
#define NVAD_LIB_IPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IPOOL_SHIFT 10 /* objects per chunk: 1 << IPOOL_SHIFT */
#define IPOOL_NONE UINT32_MAX

struct ipool_chunk {
	uint64_t live[(1u << IPOOL_SHIFT) / 64];
	void *data;
};

struct ipool {
	size_t size;                 /* object size, a multiple of 8 */
	struct ipool_chunk *chunks;  /* chunk i holds indices i << IPOOL_SHIFT .. */
	uint32_t n_chunks, cap_chunks;
	uint32_t next;               /* indices below it were handed out once */
	uint32_t free;               /* freed index + 1, linked through objects; 0: none */
	size_t in_use;
};

/* size: the object size (at least 4 octets). */
void ipool_init(struct ipool *p, size_t size);
/* Frees every chunk, whatever is still in use. */
void ipool_destroy(struct ipool *p);
/* A zeroed object and its index in *idx, or NULL when out of memory (or of
 * indices). */
void *ipool_alloc(struct ipool *p, uint32_t *idx);
/* idx must be live. */
void ipool_free(struct ipool *p, uint32_t idx);
/* Bytes held from the system. */
size_t ipool_bytes(const struct ipool *p);

/* The object of a live index. */
static inline void *ipool_at(const struct ipool *p, uint32_t idx)
{
	const struct ipool_chunk *c = &p->chunks[idx >> IPOOL_SHIFT];
	return (char *)c->data + (size_t)(idx & ((1u << IPOOL_SHIFT) - 1)) * p->size;
}

/* The first live index at or after idx, or IPOOL_NONE: a walk in index
 * order is `for (i = ipool_next(p, 0); i != IPOOL_NONE; i = ipool_next(p, i + 1))`. */
uint32_t ipool_next(const struct ipool *p, uint32_t idx);

#endif

/* slab.h: a pool of fixed-size objects for structures a daemon holds by the
 * million (RIB destinations and paths): no per-object malloc header, objects
 * packed in 64 KiB chunks, freed objects reused first. Memory goes back to
 * the system only when the pool is destroyed; a table withdrawn and learned
 * again reuses the same chunks, so it does not grow. Not thread-safe. */
#ifndef NVAD_LIB_SLAB_H
#define NVAD_LIB_SLAB_H

#include <stddef.h>

struct slab_chunk;

struct slab {
	size_t size;              /* object size, rounded up to pointer alignment */
	void *free;               /* freed objects, linked through their first word */
	struct slab_chunk *chunks;
	size_t chunk_count;
	size_t in_use;            /* objects handed out and not freed */
};

/* size: the object size (at least a pointer's). */
void slab_init(struct slab *s, size_t size);
/* Frees every chunk, whatever is still in use. */
void slab_destroy(struct slab *s);
/* A zeroed object, or NULL when out of memory. */
void *slab_alloc(struct slab *s);
/* p must come from slab_alloc of the same pool; NULL is ignored. */
void slab_free(struct slab *s, void *p);
/* Bytes held from the system. */
size_t slab_bytes(const struct slab *s);

#endif

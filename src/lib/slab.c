/* slab.c: fixed-size object pools (see slab.h). */
#include "slab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES (64 * 1024)

struct slab_chunk {
	struct slab_chunk *next;
	size_t used;  /* objects carved from this chunk so far */
	size_t count; /* objects it holds */
	max_align_t align_[];
};

void slab_init(struct slab *s, size_t size)
{
	size_t a = sizeof(void *);
	if (size < a)
		size = a;
	*s = (struct slab){ .size = (size + a - 1) & ~(a - 1) };
}

void slab_destroy(struct slab *s)
{
	struct slab_chunk *c = s->chunks;
	while (c) {
		struct slab_chunk *next = c->next;
		free(c);
		c = next;
	}
	s->chunks = NULL;
	s->free = NULL;
	s->chunk_count = s->in_use = 0;
}

void *slab_alloc(struct slab *s)
{
	void *p = s->free;
	if (p) {
		memcpy(&s->free, p, sizeof(void *));
	} else {
		struct slab_chunk *c = s->chunks;
		if (!c || c->used == c->count) {
			size_t count = (CHUNK_BYTES - sizeof(*c)) / s->size;
			if (count == 0)
				count = 1;
			c = malloc(sizeof(*c) + count * s->size);
			if (!c)
				return NULL;
			c->next = s->chunks;
			c->used = 0;
			c->count = count;
			s->chunks = c;
			s->chunk_count++;
		}
		p = (uint8_t *)(c + 1) + c->used++ * s->size;
	}
	memset(p, 0, s->size);
	s->in_use++;
	return p;
}

void slab_free(struct slab *s, void *p)
{
	if (!p)
		return;
	memcpy(p, &s->free, sizeof(void *));
	s->free = p;
	s->in_use--;
}

size_t slab_bytes(const struct slab *s)
{
	size_t n = 0;
	for (const struct slab_chunk *c = s->chunks; c; c = c->next)
		n += sizeof(*c) + c->count * s->size;
	return n;
}

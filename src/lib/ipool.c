/* ipool.c: fixed-size objects named by 32-bit indices (see ipool.h). */
#include "ipool.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define PER_CHUNK (1u << IPOOL_SHIFT)

void ipool_init(struct ipool *p, size_t size)
{
	if (size < 4)
		size = 4;
	*p = (struct ipool){ .size = (size + 7) & ~(size_t)7 };
}

void ipool_destroy(struct ipool *p)
{
	for (uint32_t i = 0; i < p->n_chunks; i++)
		munmap(p->chunks[i].data, PER_CHUNK * p->size);
	free(p->chunks);
	size_t size = p->size;
	ipool_init(p, size);
}

static bool add_chunk(struct ipool *p)
{
	if (p->n_chunks == p->cap_chunks) {
		uint32_t cap = p->cap_chunks ? p->cap_chunks * 2 : 16;
		if (cap > (UINT32_MAX >> IPOOL_SHIFT))
			return false; /* indices run out before the table does */
		struct ipool_chunk *t = realloc(p->chunks, cap * sizeof(*t));
		if (!t)
			return false;
		p->chunks = t;
		p->cap_chunks = cap;
	}
	/* Zero pages from the kernel: touched only as objects are handed out. */
	void *data = mmap(NULL, PER_CHUNK * p->size, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (data == MAP_FAILED)
		return false;
	struct ipool_chunk *c = &p->chunks[p->n_chunks++];
	memset(c->live, 0, sizeof(c->live));
	c->data = data;
	return true;
}

void *ipool_alloc(struct ipool *p, uint32_t *idx)
{
	uint32_t i;
	if (p->free) {
		i = p->free - 1;
		memcpy(&p->free, ipool_at(p, i), sizeof(p->free));
	} else {
		if (p->next == (p->n_chunks << IPOOL_SHIFT) && !add_chunk(p))
			return NULL;
		i = p->next++;
	}
	struct ipool_chunk *c = &p->chunks[i >> IPOOL_SHIFT];
	c->live[(i % PER_CHUNK) / 64] |= (uint64_t)1 << (i % 64);
	void *o = ipool_at(p, i);
	memset(o, 0, p->size);
	p->in_use++;
	*idx = i;
	return o;
}

void ipool_free(struct ipool *p, uint32_t idx)
{
	struct ipool_chunk *c = &p->chunks[idx >> IPOOL_SHIFT];
	c->live[(idx % PER_CHUNK) / 64] &= ~((uint64_t)1 << (idx % 64));
	memcpy(ipool_at(p, idx), &p->free, sizeof(p->free));
	p->free = idx + 1;
	p->in_use--;
}

size_t ipool_bytes(const struct ipool *p)
{
	return p->n_chunks * PER_CHUNK * p->size + p->cap_chunks * sizeof(*p->chunks);
}

uint32_t ipool_next(const struct ipool *p, uint32_t idx)
{
	while (idx < p->next) {
		const struct ipool_chunk *c = &p->chunks[idx >> IPOOL_SHIFT];
		uint64_t w = c->live[(idx % PER_CHUNK) / 64] >> (idx % 64);
		if (w)
			return idx + (uint32_t)__builtin_ctzll(w);
		idx = (idx | 63) + 1; /* the next word */
	}
	return IPOOL_NONE;
}

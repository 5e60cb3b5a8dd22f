/* cursor.h: bounds-checked reading and writing of byte buffers.
 *
 * Every byte nvad takes from the network or a file is read through a struct
 * cursor. Its getters fail closed: on underflow they return false, leave the
 * output untouched and mark the cursor failed, so a later read fails too. The
 * writer (struct wbuf) writes into a caller-owned buffer and never grows it; an
 * overflow marks it failed. Neither allocates. */
#ifndef NVAD_LIB_CURSOR_H
#define NVAD_LIB_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct cursor {
	const uint8_t *p;
	size_t len;
	size_t pos;
	bool failed;
};

static inline struct cursor cursor_make(const uint8_t *p, size_t len)
{
	return (struct cursor){ .p = p, .len = len };
}

static inline size_t cursor_left(const struct cursor *c)
{
	return c->failed ? 0 : c->len - c->pos;
}

static inline const uint8_t *cursor_ptr(const struct cursor *c)
{
	return c->p + c->pos;
}

static inline bool cursor_need(struct cursor *c, size_t n)
{
	if (c->failed || c->len - c->pos < n) {
		c->failed = true;
		return false;
	}
	return true;
}

static inline bool cursor_u8(struct cursor *c, uint8_t *v)
{
	if (!cursor_need(c, 1))
		return false;
	*v = c->p[c->pos++];
	return true;
}

static inline bool cursor_u16(struct cursor *c, uint16_t *v)
{
	if (!cursor_need(c, 2))
		return false;
	*v = (uint16_t)(c->p[c->pos] << 8 | c->p[c->pos + 1]);
	c->pos += 2;
	return true;
}

static inline bool cursor_u32(struct cursor *c, uint32_t *v)
{
	if (!cursor_need(c, 4))
		return false;
	const uint8_t *b = c->p + c->pos;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	c->pos += 4;
	return true;
}

static inline bool cursor_bytes(struct cursor *c, void *dst, size_t n)
{
	if (!cursor_need(c, n))
		return false;
	if (n)
		memcpy(dst, c->p + c->pos, n);
	c->pos += n;
	return true;
}

static inline bool cursor_skip(struct cursor *c, size_t n)
{
	if (!cursor_need(c, n))
		return false;
	c->pos += n;
	return true;
}

/* Takes the next n bytes as a cursor of their own. */
static inline bool cursor_sub(struct cursor *c, size_t n, struct cursor *sub)
{
	if (!cursor_need(c, n))
		return false;
	*sub = cursor_make(c->p + c->pos, n);
	c->pos += n;
	return true;
}

/* Big-endian loads for bytes already known to be in bounds. */
static inline uint16_t load_be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t load_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

struct wbuf {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool failed;
};

static inline struct wbuf wbuf_make(uint8_t *p, size_t cap)
{
	return (struct wbuf){ .p = p, .cap = cap };
}

static inline bool wbuf_room(struct wbuf *w, size_t n)
{
	if (w->failed || w->cap - w->len < n) {
		w->failed = true;
		return false;
	}
	return true;
}

static inline void wbuf_u8(struct wbuf *w, uint8_t v)
{
	if (wbuf_room(w, 1))
		w->p[w->len++] = v;
}

static inline void wbuf_u16(struct wbuf *w, uint16_t v)
{
	if (!wbuf_room(w, 2))
		return;
	w->p[w->len++] = (uint8_t)(v >> 8);
	w->p[w->len++] = (uint8_t)v;
}

static inline void wbuf_u32(struct wbuf *w, uint32_t v)
{
	if (!wbuf_room(w, 4))
		return;
	w->p[w->len++] = (uint8_t)(v >> 24);
	w->p[w->len++] = (uint8_t)(v >> 16);
	w->p[w->len++] = (uint8_t)(v >> 8);
	w->p[w->len++] = (uint8_t)v;
}

static inline void wbuf_bytes(struct wbuf *w, const void *src, size_t n)
{
	if (!wbuf_room(w, n))
		return;
	if (n)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

/* Reserves n bytes to be filled later (a length field); returns their offset. */
static inline size_t wbuf_reserve(struct wbuf *w, size_t n)
{
	size_t at = w->len;
	if (wbuf_room(w, n)) {
		memset(w->p + at, 0, n);
		w->len += n;
	}
	return at;
}

static inline void wbuf_patch_u8(struct wbuf *w, size_t at, uint8_t v)
{
	if (!w->failed && at < w->len)
		w->p[at] = v;
}

static inline void wbuf_patch_u16(struct wbuf *w, size_t at, uint16_t v)
{
	if (!w->failed && at + 2 <= w->len) {
		w->p[at] = (uint8_t)(v >> 8);
		w->p[at + 1] = (uint8_t)v;
	}
}

#endif

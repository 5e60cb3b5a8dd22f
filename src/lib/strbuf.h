/* strbuf.h: a growable text buffer for rendering (show output, logs, JSON).
 *
 * Appends never fail from the caller's view: on allocation failure the buffer
 * keeps what it had and sets oom, which the edge reports. */
#ifndef NVAD_LIB_STRBUF_H
#define NVAD_LIB_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s;    /* always NUL-terminated once anything was appended */
	size_t len;
	size_t cap;
	bool oom;
};

#define STRBUF_INIT { 0 }

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void strbuf_puts(struct strbuf *b, const char *s);
const char *strbuf_str(const struct strbuf *b);
void strbuf_reset(struct strbuf *b);
void strbuf_free(struct strbuf *b);

#endif

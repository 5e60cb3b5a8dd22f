/* hex.h: hexadecimal text to bytes, for tools and tests that take BGP
 * messages as hex (nvactl decode, the unit tables). */
#ifndef NVAD_LIB_HEX_H
#define NVAD_LIB_HEX_H

#include <stddef.h>
#include <stdint.h>

/* Decodes pairs of hex digits into out. White space, ':' and '-' between
 * bytes are skipped, as is a leading "0x". Returns the byte count, or -1 with
 * *err_at set to the offset of the offending character (or of the dangling
 * digit), or -2 when out is too small. */
long hex_decode(const char *s, uint8_t *out, size_t cap, size_t *err_at);

#endif

/* hex.c: hex decoding. */
#include "hex.h"

#include <ctype.h>

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int hex_is_separator(char c)
{
	return isspace((unsigned char)c) || c == ':' || c == '-';
}

long hex_decode(const char *s, uint8_t *out, size_t cap, size_t *err_at)
{
	size_t i = 0, n = 0;
	while (hex_is_separator(s[i]))
		i++;
	if (s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
		i += 2;
	for (;;) {
		while (hex_is_separator(s[i]))
			i++;
		if (s[i] == '\0')
			return (long)n;
		int hi = hex_digit(s[i]);
		if (hi < 0) {
			*err_at = i;
			return -1;
		}
		int lo = hex_digit(s[i + 1]);
		if (lo < 0) {
			*err_at = s[i + 1] ? i + 1 : i;
			return -1;
		}
		if (n == cap)
			return -2;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
}

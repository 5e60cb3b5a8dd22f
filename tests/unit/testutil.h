/* testutil.h: helpers shared by the unit tests. Include after <cmocka.h>. */
#ifndef NVAD_TESTS_TESTUTIL_H
#define NVAD_TESTS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/hex.h"

/* The bytes of a hex string from a test table; a bad table fails the test. */
static inline size_t unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t err_at = 0;
	long r = hex_decode(s, out, cap, &err_at);
	if (r < 0)
		print_error("bad hex in test table: \"%s\" (at %zu)\n", s, err_at);
	assert_true(r >= 0);
	return (size_t)r;
}

#endif

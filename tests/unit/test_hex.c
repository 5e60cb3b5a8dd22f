/* test_hex.c: hex_decode (lib/hex.h), the way nvactl and the unit tables read
 * BGP messages given as text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lib/hex.h"

#define NO_ERR ((size_t)-1)

struct hex_case {
	const char *in;
	size_t cap;
	long ret;           /* byte count, -1 bad digit, -2 too small */
	uint8_t want[8];    /* the bytes when ret >= 0 */
	size_t err_at;      /* when ret == -1 */
};

static const struct hex_case cases[] = {
	{ "00ff10", 8, 3, { 0x00, 0xff, 0x10 }, NO_ERR },
	{ "ABcdEf", 8, 3, { 0xab, 0xcd, 0xef }, NO_ERR },
	{ "", 8, 0, { 0 }, NO_ERR },
	{ "   \t\n", 8, 0, { 0 }, NO_ERR },
	/* separators between bytes */
	{ "00 ff:10-20", 8, 4, { 0x00, 0xff, 0x10, 0x20 }, NO_ERR },
	{ "ff ff\nff\tff", 8, 4, { 0xff, 0xff, 0xff, 0xff }, NO_ERR },
	{ "  01  02  ", 8, 2, { 0x01, 0x02 }, NO_ERR },
	{ "01::02--03", 8, 3, { 0x01, 0x02, 0x03 }, NO_ERR },
	/* leading 0x */
	{ "0x0aFF", 8, 2, { 0x0a, 0xff }, NO_ERR },
	{ "0X0a", 8, 1, { 0x0a }, NO_ERR },
	{ "  0x 01 02", 8, 2, { 0x01, 0x02 }, NO_ERR },
	{ "0x", 8, 0, { 0 }, NO_ERR },
	/* a "0x" that is not leading is a bad digit */
	{ "00 0x11", 8, -1, { 0 }, 4 },
	/* odd digit count: the dangling digit's offset */
	{ "abc", 8, -1, { 0 }, 2 },
	{ "a", 8, -1, { 0 }, 0 },
	{ "00 1", 8, -1, { 0 }, 3 },
	{ "0x123", 8, -1, { 0 }, 4 },
	/* bad digits: the offending character's offset */
	{ "0g", 8, -1, { 0 }, 1 },
	{ "g0", 8, -1, { 0 }, 0 },
	{ "0011zz", 8, -1, { 0 }, 4 },
	{ "00 11 2x", 8, -1, { 0 }, 7 },
	{ "00.11", 8, -1, { 0 }, 2 },
	/* output too small */
	{ "0011", 1, -2, { 0 }, NO_ERR },
	{ "0011", 0, -2, { 0 }, NO_ERR },
	{ "0011", 2, 2, { 0x00, 0x11 }, NO_ERR },
	{ "", 0, 0, { 0 }, NO_ERR },
};

static void test_hex_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hex_case *hc = &cases[i];
		print_message("case: \"%s\" cap %zu\n", hc->in, hc->cap);
		uint8_t out[16];
		memset(out, 0xee, sizeof(out));
		size_t err_at = NO_ERR;
		long r = hex_decode(hc->in, out, hc->cap, &err_at);
		assert_int_equal(r, hc->ret);
		if (r >= 0)
			assert_memory_equal(out, hc->want, (size_t)r);
		if (r == -1)
			assert_int_equal(err_at, hc->err_at);
		/* Nothing past cap is ever written. */
		for (size_t k = hc->cap; k < sizeof(out); k++)
			assert_int_equal(out[k], 0xee);
	}
}

static void test_hex_long_message(void **state)
{
	(void)state;
	/* A KEEPALIVE as one would paste it. */
	const char *s = "ffffffff ffffffff ffffffff ffffffff 0013 04";
	uint8_t out[19];
	size_t err_at;
	assert_int_equal(hex_decode(s, out, sizeof(out), &err_at), 19);
	for (int i = 0; i < 16; i++)
		assert_int_equal(out[i], 0xff);
	assert_int_equal(out[16], 0x00);
	assert_int_equal(out[17], 0x13);
	assert_int_equal(out[18], 0x04);
	/* One byte short of room. */
	assert_int_equal(hex_decode(s, out, 18, &err_at), -2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_table),
		cmocka_unit_test(test_hex_long_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

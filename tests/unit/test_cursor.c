/* test_cursor.c: the bounds-checked reader (struct cursor) and writer
 * (struct wbuf) of lib/cursor.h. Both must fail closed: a short read or an
 * overflowing write leaves the output untouched, marks the object failed, and
 * every later operation fails too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "lib/cursor.h"

/* A read script: a sequence of operations on one buffer, each with the result
 * it must give. */
enum op { OP_END, OP_U8, OP_U16, OP_U32, OP_SKIP, OP_BYTES };

struct step {
	enum op op;
	size_t n;        /* for OP_SKIP / OP_BYTES */
	bool ok;
	uint32_t value;  /* for OP_U8/16/32 when ok */
	size_t left;     /* cursor_left after the step */
};

struct read_case {
	const char *name;
	uint8_t buf[8];
	size_t len;
	struct step steps[6];
};

static const struct read_case read_cases[] = {
	{ "big-endian getters advance", { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07 }, 7,
	  { { OP_U8, 0, true, 0x01, 6 },
	    { OP_U16, 0, true, 0x0203, 4 },
	    { OP_U32, 0, true, 0x04050607, 0 },
	    { OP_U8, 0, false, 0, 0 } } },
	{ "u32 with 3 bytes left fails, later u8 fails too", { 0xaa, 0xbb, 0xcc }, 3,
	  { { OP_U32, 0, false, 0, 0 },
	    { OP_U8, 0, false, 0, 0 },
	    { OP_U16, 0, false, 0, 0 } } },
	{ "u16 with 1 byte left fails", { 0xaa }, 1,
	  { { OP_U16, 0, false, 0, 0 },
	    { OP_U8, 0, false, 0, 0 } } },
	{ "empty buffer", { 0 }, 0,
	  { { OP_BYTES, 0, true, 0, 0 },
	    { OP_SKIP, 0, true, 0, 0 },
	    { OP_U8, 0, false, 0, 0 } } },
	{ "skip past end fails and sticks", { 1, 2, 3, 4 }, 4,
	  { { OP_SKIP, 2, true, 0, 2 },
	    { OP_SKIP, 3, false, 0, 0 },
	    { OP_U8, 0, false, 0, 0 } } },
	{ "bytes exactly to the end then nothing", { 9, 8, 7, 6, 5 }, 5,
	  { { OP_U8, 0, true, 9, 4 },
	    { OP_BYTES, 4, true, 0, 0 },
	    { OP_BYTES, 0, true, 0, 0 },
	    { OP_BYTES, 1, false, 0, 0 } } },
	{ "bytes past the end leaves dst alone", { 1, 2, 3 }, 3,
	  { { OP_BYTES, 4, false, 0, 0 },
	    { OP_U8, 0, false, 0, 0 } } },
	{ "u32 max value", { 0xff, 0xff, 0xff, 0xff }, 4,
	  { { OP_U32, 0, true, 0xffffffffu, 0 } } },
};

static void test_read_scripts(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(read_cases) / sizeof(read_cases[0]); i++) {
		const struct read_case *rc = &read_cases[i];
		print_message("case: %s\n", rc->name);
		struct cursor c = cursor_make(rc->buf, rc->len);
		for (const struct step *s = rc->steps; s->op != OP_END; s++) {
			bool ok = false;
			uint32_t got = 0xdeadbeef;
			uint8_t dst[8];
			memset(dst, 0x5a, sizeof(dst));
			switch (s->op) {
			case OP_U8: {
				uint8_t v = 0x5a;
				ok = cursor_u8(&c, &v);
				if (!ok)
					assert_int_equal(v, 0x5a);
				got = v;
				break;
			}
			case OP_U16: {
				uint16_t v = 0x5a5a;
				ok = cursor_u16(&c, &v);
				if (!ok)
					assert_int_equal(v, 0x5a5a);
				got = v;
				break;
			}
			case OP_U32: {
				uint32_t v = 0x5a5a5a5a;
				ok = cursor_u32(&c, &v);
				if (!ok)
					assert_int_equal(v, 0x5a5a5a5a);
				got = v;
				break;
			}
			case OP_SKIP:
				ok = cursor_skip(&c, s->n);
				break;
			case OP_BYTES:
				ok = cursor_bytes(&c, dst, s->n);
				if (ok && s->n)
					assert_memory_equal(dst, rc->buf + c.pos - s->n, s->n);
				if (!ok)
					for (size_t k = 0; k < sizeof(dst); k++)
						assert_int_equal(dst[k], 0x5a);
				break;
			case OP_END:
				break;
			}
			assert_int_equal(ok, s->ok);
			if (s->ok && (s->op == OP_U8 || s->op == OP_U16 || s->op == OP_U32))
				assert_int_equal(got, s->value);
			if (!s->ok)
				assert_true(c.failed);
			assert_int_equal(cursor_left(&c), s->left);
		}
	}
}

static void test_sub_cursor(void **state)
{
	(void)state;
	const uint8_t buf[] = { 0x00, 0x03, 0xaa, 0xbb, 0xcc, 0x11, 0x22 };
	struct cursor c = cursor_make(buf, sizeof(buf));
	uint16_t n;
	assert_true(cursor_u16(&c, &n));
	struct cursor sub;
	assert_true(cursor_sub(&c, n, &sub));
	/* The parent moved past the sub-cursor's bytes. */
	assert_int_equal(cursor_left(&c), 2);
	assert_int_equal(cursor_left(&sub), 3);
	assert_ptr_equal(cursor_ptr(&sub), buf + 2);

	uint16_t v16;
	uint8_t v8;
	assert_true(cursor_u16(&sub, &v16));
	assert_int_equal(v16, 0xaabb);
	/* Reading past the sub-cursor fails even though the parent has bytes. */
	assert_false(cursor_u16(&sub, &v16));
	assert_int_equal(v16, 0xaabb);
	assert_true(sub.failed);
	assert_false(cursor_u8(&sub, &v8));
	/* ... and does not touch the parent. */
	assert_false(c.failed);
	assert_true(cursor_u16(&c, &v16));
	assert_int_equal(v16, 0x1122);
}

static void test_sub_cursor_too_long(void **state)
{
	(void)state;
	const uint8_t buf[] = { 1, 2, 3 };
	struct cursor c = cursor_make(buf, sizeof(buf));
	struct cursor sub = cursor_make(NULL, 0);
	sub.pos = 77; /* a marker: a failed cursor_sub leaves it alone */
	assert_false(cursor_sub(&c, 4, &sub));
	assert_int_equal(sub.pos, 77);
	assert_true(c.failed);
	assert_int_equal(cursor_left(&c), 0);
	struct cursor sub2;
	assert_false(cursor_sub(&c, 0, &sub2));
}

static void test_load_be(void **state)
{
	(void)state;
	const uint8_t b[] = { 0x80, 0x01, 0xfe, 0x7f };
	assert_int_equal(load_be16(b), 0x8001);
	assert_int_equal(load_be32(b), 0x8001fe7fu);
}

struct write_case {
	const char *name;
	size_t cap;
	/* writes: u8 0x11, u16 0x2233, u32 0x44556677, bytes {0x88,0x99} in order */
	size_t want_len;
	bool want_failed;
};

static const struct write_case write_cases[] = {
	{ "everything fits", 9, 9, false },
	{ "room to spare", 32, 9, false },
	{ "u32 overflows: u8 and u16 kept, nothing after", 5, 3, true },
	{ "last bytes overflow by one", 8, 7, true },
	{ "u16 overflows by one", 2, 1, true },
	{ "zero capacity", 0, 0, true },
};

static void test_write_cases(void **state)
{
	(void)state;
	const uint8_t all[] = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99 };
	for (size_t i = 0; i < sizeof(write_cases) / sizeof(write_cases[0]); i++) {
		const struct write_case *wc = &write_cases[i];
		print_message("case: %s\n", wc->name);
		uint8_t buf[40];
		memset(buf, 0xee, sizeof(buf));
		struct wbuf w = wbuf_make(buf, wc->cap);
		wbuf_u8(&w, 0x11);
		wbuf_u16(&w, 0x2233);
		wbuf_u32(&w, 0x44556677);
		const uint8_t tail[] = { 0x88, 0x99 };
		wbuf_bytes(&w, tail, sizeof(tail));
		assert_int_equal(w.len, wc->want_len);
		assert_int_equal(w.failed, wc->want_failed);
		if (wc->want_len)
			assert_memory_equal(buf, all, wc->want_len);
		/* Nothing written past len, even partially. */
		for (size_t k = wc->want_len; k < sizeof(buf); k++)
			assert_int_equal(buf[k], 0xee);
	}
}

static void test_write_failure_sticks(void **state)
{
	(void)state;
	uint8_t buf[4] = { 0 };
	struct wbuf w = wbuf_make(buf, sizeof(buf));
	wbuf_u16(&w, 0x0102);
	wbuf_u32(&w, 0x03040506); /* overflows */
	assert_true(w.failed);
	wbuf_u8(&w, 0x07);        /* would fit, but the buffer failed */
	wbuf_u16(&w, 0x0809);
	assert_int_equal(w.len, 2);
	assert_int_equal(buf[2], 0);
	assert_int_equal(buf[3], 0);
}

static void test_reserve_and_patch(void **state)
{
	(void)state;
	uint8_t buf[16];
	memset(buf, 0xee, sizeof(buf));
	struct wbuf w = wbuf_make(buf, sizeof(buf));
	wbuf_u8(&w, 0x01);
	size_t at16 = wbuf_reserve(&w, 2);
	size_t at8 = wbuf_reserve(&w, 1);
	assert_int_equal(at16, 1);
	assert_int_equal(at8, 3);
	assert_int_equal(w.len, 4);
	/* Reserved bytes are zeroed. */
	assert_int_equal(buf[1], 0);
	assert_int_equal(buf[2], 0);
	assert_int_equal(buf[3], 0);
	wbuf_bytes(&w, "\xaa\xbb", 2);
	wbuf_patch_u16(&w, at16, 0xbeef);
	wbuf_patch_u8(&w, at8, 0x42);
	const uint8_t want[] = { 0x01, 0xbe, 0xef, 0x42, 0xaa, 0xbb };
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	/* Patches outside what was written are ignored. */
	wbuf_patch_u16(&w, 5, 0x1234); /* would straddle len */
	wbuf_patch_u8(&w, 6, 0x55);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(buf[6], 0xee);
	assert_false(w.failed);
}

static void test_reserve_overflow(void **state)
{
	(void)state;
	uint8_t buf[3];
	memset(buf, 0xee, sizeof(buf));
	struct wbuf w = wbuf_make(buf, sizeof(buf));
	wbuf_u16(&w, 0x0102);
	size_t at = wbuf_reserve(&w, 2);
	assert_true(w.failed);
	assert_int_equal(w.len, 2);
	assert_int_equal(buf[2], 0xee);
	/* Patching a failed buffer does nothing. */
	wbuf_patch_u16(&w, 0, 0xffff);
	wbuf_patch_u8(&w, at, 0xff);
	assert_int_equal(buf[0], 0x01);
	assert_int_equal(buf[1], 0x02);
	assert_int_equal(buf[2], 0xee);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_scripts),
		cmocka_unit_test(test_sub_cursor),
		cmocka_unit_test(test_sub_cursor_too_long),
		cmocka_unit_test(test_load_be),
		cmocka_unit_test(test_write_cases),
		cmocka_unit_test(test_write_failure_sticks),
		cmocka_unit_test(test_reserve_and_patch),
		cmocka_unit_test(test_reserve_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* fuzz_conf.c: libFuzzer target for the configuration reader.
 *
 * The input is read as a configuration file: parsed, and when it is
 * accepted, printed, checked for warnings, diffed against itself (which
 * must find nothing) and parsed again from its printed text (which must
 * succeed and print the same text). Errors must come with text. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "lib/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_conf: broken promise: %s\n", what);
	abort();
}

static void check_accepted(const struct conf *c)
{
	struct strbuf p1 = STRBUF_INIT, p2 = STRBUF_INIT;
	struct conf_errors warns = CONF_ERRORS_INIT;
	struct conf_diff d;

	conf_print(c, &p1);
	conf_warnings(c, &warns);
	conf_errors_free(&warns);
	conf_diff(c, c, &d);
	if (!d.oom && !conf_diff_empty(&d))
		fail("a config differs from itself");
	conf_diff_free(&d);

	struct conf *again = conf_parse(strbuf_str(&p1), p1.len, "printed", NULL);
	if (!again && !p1.oom)
		fail("the printed text of an accepted config does not parse");
	if (again) {
		conf_print(again, &p2);
		if (!p1.oom && !p2.oom && strcmp(strbuf_str(&p1), strbuf_str(&p2)) != 0)
			fail("print is not a fixed point");
	}
	conf_free(again);
	strbuf_free(&p1);
	strbuf_free(&p2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf_errors errs = CONF_ERRORS_INIT;
	struct conf *c = conf_parse((const char *)data, size, "fuzz.conf", &errs);

	if (c)
		check_accepted(c);
	for (size_t i = 0; i < errs.n; i++)
		if (!errs.items[i].text || strncmp(errs.items[i].text, "fuzz.conf", 9) != 0)
			fail("an error without its FILE:LINE prefix");
	conf_free(c);
	conf_errors_free(&errs);
	return 0;
}

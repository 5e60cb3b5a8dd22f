/* netns_testutil.h: for unit tests that talk to the real kernel: a shell
 * command from a format, and a network namespace of the test process's own
 * (unshare; it goes away when the test exits). Header-only, included by one
 * test file each. */
#ifndef NVAD_TESTS_NETNS_TESTUTIL_H
#define NVAD_TESTS_NETNS_TESTUTIL_H

#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	return system(cmd);
}

/* Enters a namespace of its own and runs the set-up commands there. 0: ready;
 * 1: not possible here (not root, no `ip`, no unshare): the tests skip;
 * -1: the set-up failed. */
static int netns_enter(const char *setup)
{
	if (geteuid() != 0 || sh("ip -V >/dev/null 2>&1") != 0)
		return 1;
	if (unshare(CLONE_NEWNET) != 0)
		return 1;
	return sh("%s", setup) == 0 ? 0 : -1;
}

#endif

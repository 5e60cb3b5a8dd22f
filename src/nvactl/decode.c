/* decode.c: `nvactl decode`, BGP messages from hex to text or JSON.
 *
 * Exit status: 0 when no message calls for a session reset (treat-as-withdraw
 * and attribute discard included), 1 when one does, 2 on bad usage or input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/message.h"
#include "lib/hex.h"
#include "nvactl.h"

struct decode_args {
	bool json;
	bool update_body;
	struct bgp_decode_opts opts;
	struct strbuf hex;
};

static int decode_usage(void)
{
	fputs("usage: nvactl decode [--json] [--update-body] [--as2] [--ibgp] [--ext-msg] [HEX...]\n"
	      "  HEX            the message bytes in hex; read from standard input when absent\n"
	      "  --json         print a JSON array, one object per message\n"
	      "  --update-body  the bytes are an UPDATE body, without the 19-octet header\n"
	      "  --as2          the session did not negotiate 4-octet AS numbers\n"
	      "  --ibgp         the message comes from an internal peer\n"
	      "  --ext-msg      extended messages (RFC 8654) were negotiated\n",
	      stderr);
	return 2;
}

static bool read_stdin(struct strbuf *out)
{
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk) - 1, stdin)) > 0) {
		chunk[n] = '\0';
		if (memchr(chunk, '\0', n)) {
			fputs("nvactl decode: standard input holds a NUL byte, not hex text\n", stderr);
			return false;
		}
		strbuf_puts(out, chunk);
	}
	if (ferror(stdin)) {
		perror("nvactl decode: standard input");
		return false;
	}
	return true;
}

static int parse_args(int argc, char **argv, struct decode_args *a)
{
	bool operands = false;
	a->opts.as4 = true;
	for (int i = 0; i < argc; i++) {
		const char *s = argv[i];
		if (!operands && strcmp(s, "--") == 0) {
			operands = true;
		} else if (!operands && strcmp(s, "--json") == 0) {
			a->json = true;
		} else if (!operands && strcmp(s, "--update-body") == 0) {
			a->update_body = true;
		} else if (!operands && strcmp(s, "--as2") == 0) {
			a->opts.as4 = false;
		} else if (!operands && strcmp(s, "--ibgp") == 0) {
			a->opts.ibgp = true;
		} else if (!operands && strcmp(s, "--ext-msg") == 0) {
			a->opts.ext_msg = true;
		} else if (!operands && (strcmp(s, "-h") == 0 || strcmp(s, "--help") == 0)) {
			return decode_usage();
		} else if (!operands && s[0] == '-' && s[1] == '-') {
			fprintf(stderr, "nvactl decode: unknown option '%s'\n", s);
			return decode_usage();
		} else {
			strbuf_puts(&a->hex, s);
			strbuf_puts(&a->hex, " ");
		}
	}
	if (a->hex.len == 0 && !read_stdin(&a->hex))
		return 2;
	if (a->hex.oom) {
		fputs("nvactl decode: out of memory\n", stderr);
		return 2;
	}
	return 0;
}

/* Decodes and prints every message in bytes; returns the exit status. */
static int decode_all(const struct decode_args *a, const uint8_t *bytes, size_t n)
{
	uint8_t *scratch = malloc(BGP_UPDATE_SCRATCH_SIZE(n));
	struct bgp_msg *m = malloc(sizeof(*m));
	struct json_object *arr = json_object_new_array();
	struct strbuf text = STRBUF_INIT;
	int status = 0;
	if (!scratch || !m || !arr) {
		fputs("nvactl decode: out of memory\n", stderr);
		status = 2;
		goto out;
	}
	size_t pos = 0;
	do {
		size_t used = n - pos;
		uint8_t action;
		if (a->update_body)
			action = bgp_msg_decode_update_body(bytes, n, &a->opts, scratch,
							    BGP_UPDATE_SCRATCH_SIZE(n), m);
		else
			action = bgp_msg_decode(bytes + pos, n - pos, &a->opts, scratch,
						BGP_UPDATE_SCRATCH_SIZE(n), m, &used);
		if (action == BGP_ACT_SESSION_RESET)
			status = 1;
		if (a->json) {
			json_object_array_add(arr, bgp_msg_render_json(m));
		} else {
			if (pos)
				strbuf_puts(&text, "\n");
			bgp_msg_render_text(m, &text);
		}
		pos += used;
	} while (!a->update_body && pos < n);

	if (a->json)
		puts(json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		fputs(strbuf_str(&text), stdout);
out:
	json_object_put(arr);
	strbuf_free(&text);
	free(m);
	free(scratch);
	return status;
}

int nvactl_decode(int argc, char **argv)
{
	struct decode_args a = { 0 };
	int status = parse_args(argc, argv, &a);
	if (status) {
		strbuf_free(&a.hex);
		return status;
	}
	size_t cap = a.hex.len / 2 + 1, err_at = 0;
	uint8_t *bytes = malloc(cap);
	long n = bytes ? hex_decode(strbuf_str(&a.hex), bytes, cap, &err_at) : -2;
	if (n == -1) {
		char c = strbuf_str(&a.hex)[err_at];
		if (c)
			fprintf(stderr, "nvactl decode: bad hex: '%c' at offset %zu\n", c, err_at);
		else
			fprintf(stderr, "nvactl decode: bad hex: odd number of digits\n");
		status = 2;
	} else if (n < 0) {
		fputs("nvactl decode: out of memory\n", stderr);
		status = 2;
	} else if (n == 0) {
		fputs("nvactl decode: no bytes to decode\n", stderr);
		status = 2;
	} else {
		status = decode_all(&a, bytes, (size_t)n);
	}
	free(bytes);
	strbuf_free(&a.hex);
	return status;
}

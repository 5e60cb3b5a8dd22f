/* fuzz_decode.c: libFuzzer target for the whole-message decoder.
 *
 * The input is read as a stream of BGP messages and decoded under every
 * combination of the session options (4-octet AS, internal peer, extended
 * messages), then once more as a bare UPDATE body. Every decoded message is
 * rendered as text and JSON and every NLRI section of an UPDATE is walked, so
 * the sanitizers see all the views the decoder hands out. Besides memory
 * errors it checks a few promises of message.h and update.h and aborts when
 * one is broken. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "bgp/message.h"
#include "bgp/update.h"
#include "lib/prefix.h"
#include "lib/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what)
{
	fprintf(stderr, "fuzz_decode: broken promise: %s\n", what);
	abort();
}

static void walk_nlri(const struct bgp_nlri *n, uint8_t action)
{
	struct bgp_nlri_iter it = bgp_nlri_iter(n);
	struct prefix p;
	char buf[PREFIX_STRLEN];
	uint32_t seen = 0;

	while (bgp_nlri_next(&it, &p)) {
		if (prefix_family_bits(p.family) == 0 || p.len > prefix_family_bits(p.family))
			fail("bgp_nlri_next gave a prefix of a bad family or length");
		prefix_fmt(&p, buf, sizeof buf);
		if (++seen > n->count + 1)
			break; /* reported below, without looping forever */
	}
	/* A section the decoder kept is validated: the walk yields count
	 * prefixes. On a session reset the message is dropped whole, so its
	 * sections may be partial. */
	if (action != BGP_ACT_SESSION_RESET && n->afi != 0 && n->supported && seen != n->count)
		fail("walking an NLRI section gave another number of prefixes than its count");
	if (!n->supported && n->count != 0)
		fail("an unsupported NLRI section has a non-zero count");
}

static void render(const struct bgp_msg *m)
{
	struct strbuf sb = STRBUF_INIT;
	struct json_object *j;

	bgp_msg_render_text(m, &sb);
	(void)strbuf_str(&sb);
	strbuf_free(&sb);

	j = bgp_msg_render_json(m);
	if (j != NULL)
		(void)json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	json_object_put(j);

	if (m->type == BGP_MSG_UPDATE) {
		const struct bgp_update *u = &m->update;

		if (u->n_faults > BGP_UPDATE_MAX_FAULTS)
			fail("n_faults past BGP_UPDATE_MAX_FAULTS");
		walk_nlri(&u->withdrawn, m->action);
		walk_nlri(&u->nlri, m->action);
		walk_nlri(&u->mp_reach, m->action);
		walk_nlri(&u->mp_unreach, m->action);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap = BGP_UPDATE_SCRATCH_SIZE(size);
	uint8_t *scratch = malloc(cap);
	struct bgp_msg *m = malloc(sizeof *m);

	if (scratch == NULL || m == NULL) {
		free(scratch);
		free(m);
		return 0;
	}

	for (unsigned combo = 0; combo < 8; combo++) {
		struct bgp_decode_opts o = {
			.as4 = (combo & 1) != 0,
			.ibgp = (combo & 2) != 0,
			.ext_msg = (combo & 4) != 0,
		};
		size_t off = 0;

		while (off < size) {
			size_t used = 0;
			uint8_t action;

			memset(m, 0, sizeof *m);
			action = bgp_msg_decode(data + off, size - off, &o, scratch, cap, m, &used);
			if (action != m->action)
				fail("bgp_msg_decode returned another action than m->action");
			if (action > BGP_ACT_SESSION_RESET)
				fail("action out of range");
			if (used == 0 || used > size - off)
				fail("bgp_msg_decode set *used outside (0, n]");
			render(m);
			off += used;
		}
	}

	for (unsigned combo = 0; combo < 8; combo++) {
		struct bgp_decode_opts o = {
			.as4 = (combo & 1) != 0,
			.ibgp = (combo & 2) != 0,
			.ext_msg = (combo & 4) != 0,
		};
		uint8_t action;

		memset(m, 0, sizeof *m);
		action = bgp_msg_decode_update_body(data, size, &o, scratch, cap, m);
		if (action != m->action)
			fail("bgp_msg_decode_update_body returned another action than m->action");
		render(m);
	}

	free(m);
	free(scratch);
	return 0;
}

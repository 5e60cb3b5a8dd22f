/* message.h: one whole BGP message, any type, decoded from its bytes; the entry
 * point of tools (nvactl decode), logs and the fuzzer. Sessions call the
 * per-type decoders directly. */
#ifndef NVAD_BGP_MESSAGE_H
#define NVAD_BGP_MESSAGE_H

#include <json-c/json.h>

#include "lib/strbuf.h"
#include "msg.h"
#include "update.h"

struct bgp_msg {
	uint8_t type;             /* enum bgp_msg_type; 0 when the header is bad */
	uint16_t len;             /* from the header */
	uint8_t action;           /* enum bgp_action: for non-UPDATE, none or reset */
	struct bgp_notify error;  /* the NOTIFICATION to send on a reset */
	struct bgp_open open;
	struct bgp_update update;
	struct bgp_notify notification;
	struct bgp_route_refresh refresh;
};

/* Decodes the message at the start of buf[0..n). Sets *used to the bytes it
 * spans (the header length), or to n when the header itself is bad. scratch
 * must hold BGP_UPDATE_SCRATCH_SIZE(n) bytes. Returns m->action. */
uint8_t bgp_msg_decode(const uint8_t *buf, size_t n, const struct bgp_decode_opts *o,
		       uint8_t *scratch, size_t scratch_cap, struct bgp_msg *m, size_t *used);

/* Decodes a bare UPDATE body as if it came in a message of its own. */
uint8_t bgp_msg_decode_update_body(const uint8_t *body, size_t n, const struct bgp_decode_opts *o,
				   uint8_t *scratch, size_t scratch_cap, struct bgp_msg *m);

/* Human-readable rendering, several lines, each ending in '\n'. */
void bgp_msg_render_text(const struct bgp_msg *m, struct strbuf *out);
/* JSON rendering; the caller puts the object. */
struct json_object *bgp_msg_render_json(const struct bgp_msg *m);

#endif

/* message.c: decoding of one whole message of any type, for tools, logs and
 * the fuzzer. */
#include "message.h"

#include <string.h>

static uint8_t decode_body(const uint8_t *msg, const uint8_t *body, size_t blen,
			   const struct bgp_decode_opts *o, uint8_t *scratch, size_t scratch_cap,
			   struct bgp_msg *m)
{
	bool ok = true;
	switch (m->type) {
	case BGP_MSG_OPEN:
		ok = bgp_open_decode(body, blen, &m->open, &m->error);
		break;
	case BGP_MSG_UPDATE:
		m->action = bgp_update_decode(body, blen, o, scratch, scratch_cap, &m->update);
		if (m->action == BGP_ACT_SESSION_RESET)
			m->error = m->update.notify;
		return m->action;
	case BGP_MSG_NOTIFICATION:
		ok = bgp_notification_decode(body, blen, &m->notification, &m->error);
		break;
	case BGP_MSG_KEEPALIVE:
		break;
	case BGP_MSG_ROUTE_REFRESH:
		ok = bgp_route_refresh_decode(body, blen, &m->refresh, &m->error);
		/* RFC 7313 5: the whole message is the data. */
		if (!ok && msg && m->error.code == BGP_ERR_ROUTE_REFRESH)
			bgp_notify_set_data(&m->error, m->error.code, m->error.subcode, msg,
					    blen + BGP_HEADER_LEN);
		break;
	}
	m->action = ok ? BGP_ACT_NONE : BGP_ACT_SESSION_RESET;
	return m->action;
}

uint8_t bgp_msg_decode(const uint8_t *buf, size_t n, const struct bgp_decode_opts *o,
		       uint8_t *scratch, size_t scratch_cap, struct bgp_msg *m, size_t *used)
{
	memset(m, 0, sizeof(*m));
	size_t max = o->ext_msg ? BGP_MAX_EXT_MSG : BGP_MAX_MSG;
	uint8_t type;
	uint16_t len;
	if (!bgp_header_decode(buf, n, max, &type, &len, &m->error)) {
		*used = n;
		m->action = BGP_ACT_SESSION_RESET;
		return m->action;
	}
	m->type = type;
	m->len = len;
	if (len > n) {
		/* A message cut short: the session would wait for more bytes;
		 * a tool has no more to give. */
		*used = n;
		uint8_t data[2] = { (uint8_t)(len >> 8), (uint8_t)len };
		bgp_notify_set_data(&m->error, BGP_ERR_HEADER, BGP_HDR_BAD_LENGTH, data, 2);
		m->action = BGP_ACT_SESSION_RESET;
		return m->action;
	}
	*used = len;
	return decode_body(buf, buf + BGP_HEADER_LEN, len - BGP_HEADER_LEN, o, scratch,
			   scratch_cap, m);
}

uint8_t bgp_msg_decode_update_body(const uint8_t *body, size_t n, const struct bgp_decode_opts *o,
				   uint8_t *scratch, size_t scratch_cap, struct bgp_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = BGP_MSG_UPDATE;
	m->len = (uint16_t)(n + BGP_HEADER_LEN > UINT16_MAX ? UINT16_MAX : n + BGP_HEADER_LEN);
	return decode_body(NULL, body, n, o, scratch, scratch_cap, m);
}

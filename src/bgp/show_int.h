/* show_int.h: helpers shared by the show renderers (show_routes.c,
 * show_neighbors.c) and nobody else. */
#ifndef NVAD_BGP_SHOW_INT_H
#define NVAD_BGP_SHOW_INT_H

#include <json-c/json.h>
#include <string.h>
#include <time.h>

#include "show.h"
#include "speaker_int.h"

static inline int64_t show_now(const struct bgp_show_opts *o)
{
	return o && o->now ? o->now : (int64_t)time(NULL);
}

/* The live neighbor with address a, or NULL. */
static inline const struct bgp_peer *show_peer_find(const struct bgp_speaker *s,
						    const struct ipaddr *a)
{
	size_t n = a->family == AF_INET ? 4 : 16;
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		const struct bgp_peer *p = speaker_peer(s, i);
		if (p && !p->removed && p->cfg.addr.family == a->family &&
		    memcmp(p->cfg.addr.a, a->a, n) == 0)
			return p;
	}
	return NULL;
}

/* Appends o as FRR prints JSON (pretty, slashes unescaped) and frees it. */
static inline void show_json_out(struct json_object *o, struct strbuf *out)
{
	strbuf_puts(out, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
	strbuf_puts(out, "\n");
	json_object_put(o);
}

static inline const char *show_fam_title(uint8_t fam)
{
	return fam == BGP_FAM_IPV6 ? "IPv6 Unicast" : "IPv4 Unicast";
}

static inline const char *show_fam_key(uint8_t fam)
{
	return fam == BGP_FAM_IPV6 ? "ipv6Unicast" : "ipv4Unicast";
}

/* Whether RFC 8212 blocks the neighbor's routes in (or out) for fam. */
static inline bool show_policy_blocks(const struct bgp_peer *p, uint8_t fam, bool out)
{
	return peer_is_ebgp(p) && p->s->cfg.ebgp_requires_policy &&
	       !(out ? p->cfg.af[fam].policy_out : p->cfg.af[fam].policy_in);
}

#endif

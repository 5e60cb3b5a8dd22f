/* show.h: what `nvactl show ...` prints: pure renderers from a speaker's
 * state into a strbuf, as FRR 8.4's vtysh prints the same state (text), or
 * with the field names of FRR's `... json` forms (JSON, pretty-printed).
 * docs/show-commands.md lists the commands and where nvad differs. */
#ifndef NVAD_BGP_SHOW_H
#define NVAD_BGP_SHOW_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/prefix.h"
#include "lib/strbuf.h"
#include "speaker.h"

/* How a command was asked. Every renderer takes a pointer to one, or NULL for
 * the defaults (now = time(NULL), afi_safi = false). */
struct bgp_show_opts {
	/* Realtime seconds that uptimes are measured against: the one place
	 * the renderers read the clock (0 reads time(NULL)). Tests set it. */
	int64_t now;
	/* The command named both AFI and SAFI ("show bgp ipv6 unicast
	 * summary"): FRR then prints no "IPv6 Unicast Summary (VRF default):"
	 * title and does not wrap the JSON in {"ipv6Unicast": ...}. False for
	 * "show ip bgp summary", "show bgp ipv6 summary", "show bgp summary". */
	bool afi_safi;
};

/* show ip bgp summary / show bgp ipv6 [unicast] summary: fam is
 * BGP_FAM_IPV4 or BGP_FAM_IPV6, or BGP_FAM_COUNT for every family with a
 * neighbor (show bgp summary). */
void bgp_show_summary(const struct bgp_speaker *s, uint8_t fam, bool json,
		      const struct bgp_show_opts *o, struct strbuf *out);

/* show ip bgp (p NULL: the table) and show ip bgp PREFIX (p given: the
 * detailed view of that exact prefix). fam selects the table. */
void bgp_show_routes(const struct bgp_speaker *s, uint8_t fam, const struct prefix *p, bool json,
		     const struct bgp_show_opts *o, struct strbuf *out);

/* show ip bgp neighbors [A]: every neighbor when a is NULL. */
void bgp_show_neighbors(const struct bgp_speaker *s, const struct ipaddr *a, bool json,
			const struct bgp_show_opts *o, struct strbuf *out);

enum bgp_show_which {
	BGP_SHOW_ADVERTISED, /* advertised-routes: the Adj-RIB-Out */
	BGP_SHOW_RECEIVED,   /* received-routes: the Adj-RIB-In before policy */
	BGP_SHOW_ROUTES,     /* routes: the neighbor's paths in the Loc-RIB */
};

/* show ip bgp neighbors A advertised-routes|received-routes|routes. False,
 * with FRR's message in out, when the neighbor does not exist, the family is
 * not active for it, or received-routes is asked without soft-reconfiguration
 * inbound. */
bool bgp_show_neighbor_routes(const struct bgp_speaker *s, const struct ipaddr *a, uint8_t fam,
			      int which, bool json, const struct bgp_show_opts *o,
			      struct strbuf *out);

#endif

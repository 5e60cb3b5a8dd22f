/* fmt.h: small formatters shared by the show renderers (and available to
 * render.c): communities, times and addresses written the way FRR writes them
 * in its show output. Pure functions; no state. */
#ifndef NVAD_BGP_FMT_H
#define NVAD_BGP_FMT_H

#include <stddef.h>
#include <stdint.h>

#include "attr.h"
#include "lib/strbuf.h"

/* "10.0.0.1" from a host-order IPv4 address. */
char *bgp_fmt_ipv4(uint32_t host_order, char *buf, size_t n);

/* An elapsed time as FRR's peer_uptime writes it: "hh:mm:ss" under a day,
 * "XdHHhMMm" under a week, then "WWwXdHHh"; "never" when since is 0. */
char *bgp_fmt_uptime(int64_t since, int64_t now, char *buf, size_t n);

/* One community (RFC 1997): "65001:100", or its well-known name. */
char *bgp_fmt_community(uint32_t c, char *buf, size_t n);
/* One extended community (8 octets): "RT:65001:1", "SoO:...", else hex. */
char *bgp_fmt_ext_community(const uint8_t *e, char *buf, size_t n);

/* Whole attributes, space-separated, as FRR's "Community:" lines show them. */
void bgp_fmt_communities(struct bgp_bytes v, struct strbuf *out);
void bgp_fmt_ext_communities(struct bgp_bytes v, struct strbuf *out);
void bgp_fmt_large_communities(struct bgp_bytes v, struct strbuf *out);

#endif

/* fmt.c: the formatters of fmt.h: FRR's notations for communities and
 * elapsed times, shared by the show renderers. */
#include "fmt.h"

#include <arpa/inet.h>
#include <stdio.h>

char *bgp_fmt_ipv4(uint32_t host_order, char *buf, size_t n)
{
	struct in_addr a = { htonl(host_order) };
	if (!inet_ntop(AF_INET, &a, buf, (socklen_t)n) && n)
		buf[0] = '\0';
	return buf;
}

char *bgp_fmt_uptime(int64_t since, int64_t now, char *buf, size_t n)
{
	if (since <= 0) {
		snprintf(buf, n, "never");
		return buf;
	}
	int64_t t = now > since ? now - since : 0;
	int64_t days = t / 86400, h = t / 3600 % 24, m = t / 60 % 60, s = t % 60;
	if (t < 86400)
		snprintf(buf, n, "%02d:%02d:%02d", (int)h, (int)m, (int)s);
	else if (t < 7 * 86400)
		snprintf(buf, n, "%dd%02dh%02dm", (int)days, (int)h, (int)m);
	else
		snprintf(buf, n, "%02dw%dd%02dh", (int)(days / 7), (int)(days % 7), (int)h);
	return buf;
}

char *bgp_fmt_community(uint32_t c, char *buf, size_t n)
{
	const char *name = NULL;
	switch (c) {
	case 0xffff0000: name = "graceful-shutdown"; break;
	case 0xffff0001: name = "accept-own"; break;
	case 0xffff0006: name = "llgr-stale"; break;
	case 0xffff0007: name = "no-llgr"; break;
	case 0xffff029a: name = "blackhole"; break;
	case 0xffffff01: name = "no-export"; break;
	case 0xffffff02: name = "no-advertise"; break;
	case 0xffffff03: name = "local-AS"; break;
	case 0xffffff04: name = "no-peer"; break;
	}
	if (name)
		snprintf(buf, n, "%s", name);
	else
		snprintf(buf, n, "%u:%u", c >> 16, c & 0xffff);
	return buf;
}

char *bgp_fmt_ext_community(const uint8_t *e, char *buf, size_t n)
{
	uint8_t type = e[0] & 0x3f, sub = e[1];
	const char *kind = sub == 0x02 ? "RT" : sub == 0x03 ? "SoO" : NULL;
	char ip[INET_ADDRSTRLEN];
	if (kind && type == 0x00)
		snprintf(buf, n, "%s:%u:%u", kind, load_be16(e + 2), load_be32(e + 4));
	else if (kind && type == 0x01)
		snprintf(buf, n, "%s:%s:%u", kind, bgp_fmt_ipv4(load_be32(e + 2), ip, sizeof(ip)),
			 load_be16(e + 6));
	else if (kind && type == 0x02)
		snprintf(buf, n, "%s:%u:%u", kind, load_be32(e + 2), load_be16(e + 6));
	else
		snprintf(buf, n, "0x%02x%02x%02x%02x%02x%02x%02x%02x", e[0], e[1], e[2], e[3], e[4],
			 e[5], e[6], e[7]);
	return buf;
}

void bgp_fmt_communities(struct bgp_bytes v, struct strbuf *out)
{
	char buf[32];
	for (uint32_t i = 0; i + 4 <= v.len; i += 4)
		strbuf_printf(out, "%s%s", i ? " " : "", bgp_fmt_community(load_be32(v.p + i), buf, sizeof(buf)));
}

void bgp_fmt_ext_communities(struct bgp_bytes v, struct strbuf *out)
{
	char buf[48];
	for (uint32_t i = 0; i + 8 <= v.len; i += 8)
		strbuf_printf(out, "%s%s", i ? " " : "", bgp_fmt_ext_community(v.p + i, buf, sizeof(buf)));
}

void bgp_fmt_large_communities(struct bgp_bytes v, struct strbuf *out)
{
	for (uint32_t i = 0; i + 12 <= v.len; i += 12)
		strbuf_printf(out, "%s%u:%u:%u", i ? " " : "", load_be32(v.p + i), load_be32(v.p + i + 4),
			      load_be32(v.p + i + 8));
}

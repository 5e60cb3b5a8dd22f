/* common.c: IPv4 address and prefix helpers and the diagnostics list of
 * azlab (see common.h). */
#include "azlab/common.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool azlab_ip_parse(const char *s, uint32_t *ip)
{
	struct in_addr a;
	if (!s || strlen(s) > 15 || inet_pton(AF_INET, s, &a) != 1)
		return false;
	*ip = ntohl(a.s_addr);
	return true;
}

uint32_t azlab_mask(uint8_t len)
{
	return len == 0 ? 0 : len >= 32 ? 0xffffffffu : ~(0xffffffffu >> len);
}

bool azlab_ifaddr_parse(const char *s, uint32_t *ip, uint8_t *len)
{
	char buf[20];
	const char *slash = s ? strchr(s, '/') : NULL;
	if (!slash || (size_t)(slash - s) >= sizeof buf)
		return false;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	const char *n = slash + 1;
	size_t nl = strlen(n);
	if (nl < 1 || nl > 2 || n[0] < '0' || n[0] > '9' || (nl == 2 && (n[1] < '0' || n[1] > '9')))
		return false;
	unsigned v = (unsigned)atoi(n);
	if (v > 32 || !azlab_ip_parse(buf, ip))
		return false;
	*len = (uint8_t)v;
	return true;
}

bool azlab_pfx_parse(const char *s, struct azlab_pfx *p)
{
	uint32_t ip;
	uint8_t len;
	if (!azlab_ifaddr_parse(s, &ip, &len) || (ip & ~azlab_mask(len)) != 0)
		return false;
	p->addr = ip;
	p->len = len;
	return true;
}

char *azlab_ip_fmt(uint32_t ip, char *buf)
{
	snprintf(buf, AZLAB_IPSTR, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255,
		 ip & 255);
	return buf;
}

char *azlab_pfx_fmt(struct azlab_pfx p, char *buf)
{
	char ip[AZLAB_IPSTR];
	snprintf(buf, AZLAB_PFXSTR, "%s/%u", azlab_ip_fmt(p.addr, ip), p.len);
	return buf;
}

bool azlab_pfx_has(struct azlab_pfx p, uint32_t ip)
{
	return (ip & azlab_mask(p.len)) == p.addr;
}

bool azlab_pfx_covers(struct azlab_pfx outer, struct azlab_pfx inner)
{
	return inner.len >= outer.len && (inner.addr & azlab_mask(outer.len)) == outer.addr;
}

bool azlab_pfx_overlap(struct azlab_pfx a, struct azlab_pfx b)
{
	return azlab_pfx_covers(a, b) || azlab_pfx_covers(b, a);
}

bool azlab_pfx_eq(struct azlab_pfx a, struct azlab_pfx b)
{
	return a.len == b.len && a.addr == b.addr;
}

void azlab_diag_add(struct azlab_diag *d, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, fmt);
	int r = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (r < 0) {
		d->oom = true;
		return;
	}
	if (d->n == d->cap) {
		size_t nc = d->cap ? d->cap * 2 : 8;
		char **nm = realloc(d->msgs, nc * sizeof *nm);
		if (!nm) {
			free(s);
			d->oom = true;
			return;
		}
		d->msgs = nm;
		d->cap = nc;
	}
	d->msgs[d->n++] = s;
}

void azlab_diag_free(struct azlab_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->msgs[i]);
	free(d->msgs);
	*d = (struct azlab_diag)AZLAB_DIAG_INIT;
}

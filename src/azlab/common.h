/* common.h: what every azlab module shares: IPv4 addresses and prefixes as
 * host-order integers (the lab is IPv4 like the article's deployments) and a
 * list of diagnostics (errors, notes) that the edge prints. */
#ifndef NVAD_AZLAB_COMMON_H
#define NVAD_AZLAB_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AZLAB_IPSTR 16
#define AZLAB_PFXSTR 20

struct azlab_pfx {
	uint32_t addr; /* host order, bits past len are zero */
	uint8_t len;
};

bool azlab_ip_parse(const char *s, uint32_t *ip);
/* "A.B.C.D/N" with no host bits. */
bool azlab_pfx_parse(const char *s, struct azlab_pfx *p);
/* "A.B.C.D/N" where host bits are allowed (an interface address). */
bool azlab_ifaddr_parse(const char *s, uint32_t *ip, uint8_t *len);
char *azlab_ip_fmt(uint32_t ip, char *buf);   /* buf of AZLAB_IPSTR */
char *azlab_pfx_fmt(struct azlab_pfx p, char *buf); /* buf of AZLAB_PFXSTR */
uint32_t azlab_mask(uint8_t len);
bool azlab_pfx_has(struct azlab_pfx p, uint32_t ip);
/* outer covers inner (equal or longer). */
bool azlab_pfx_covers(struct azlab_pfx outer, struct azlab_pfx inner);
bool azlab_pfx_overlap(struct azlab_pfx a, struct azlab_pfx b);
bool azlab_pfx_eq(struct azlab_pfx a, struct azlab_pfx b);

/* A growing list of messages; appends never fail from the caller's view
 * (on allocation failure `oom` is set and the message dropped). */
struct azlab_diag {
	char **msgs;
	size_t n, cap;
	bool oom;
};
#define AZLAB_DIAG_INIT { 0 }
void azlab_diag_add(struct azlab_diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void azlab_diag_free(struct azlab_diag *d);

#endif

/* netlink.h: the kernel's routing state as nvad sees it, through rtnetlink
 * (libmnl): the routes of the main table and the addresses of interfaces,
 * read once and then followed through netlink events.
 *
 * This module reports; it owns no policy. Route installation (the FIB side)
 * will live next to it in src/kernel/. */
#ifndef NVAD_KERNEL_NETLINK_H
#define NVAD_KERNEL_NETLINK_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "lib/prefix.h"

#define KERNEL_RTPROT_NVAD 186 /* RTPROT_BGP: the protocol of routes nvad installs */

struct kernel_route {
	struct prefix dst;
	uint8_t protocol; /* RTPROT_* */
	uint8_t type;     /* RTN_* */
	uint32_t table;
	uint32_t metric;  /* RTA_PRIORITY */
	struct ipaddr gateway; /* family 0 when none */
	int ifindex;
};

struct kernel_addr {
	struct ipaddr addr;
	struct prefix subnet; /* addr with its prefix length, host bits cleared */
	int ifindex;
	uint8_t scope;
	uint32_t flags;       /* IFA_F_* */
};

struct kernel_cb {
	void (*route)(void *ctx, bool add, const struct kernel_route *r);
	void (*addr)(void *ctx, bool add, const struct kernel_addr *a);
	void *ctx;
};

struct kernel;

/* Subscribes to route and address events, then reports the current routes of
 * the main table and all addresses as additions. NULL with errno when netlink
 * cannot be opened. */
struct kernel *kernel_open(struct loop *loop, const struct logger *log, const struct kernel_cb *cb);
void kernel_close(struct kernel *k);

#endif

/* netlink.h: the kernel's routing state as nvad sees it, through rtnetlink
 * (libmnl): the routes of the main table and the addresses of interfaces,
 * read once and then followed through netlink events, together with the
 * interfaces' state.
 *
 * This module reports; it owns no policy. Route installation is route.c's,
 * what to install fib.c's. */
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

/* An interface's state: usable when administratively up and running (it has
 * carrier: the kernel's IFF_LOWER_UP, which IFF_RUNNING and the operational
 * state follow only after the kernel's link watch, up to a second later). */
struct kernel_link {
	int ifindex;
	char name[16];
	bool admin_up;
	bool running;
	bool removed;  /* RTM_DELLINK */
};

struct kernel_cb {
	void (*route)(void *ctx, bool add, const struct kernel_route *r);
	void (*addr)(void *ctx, bool add, const struct kernel_addr *a);
	/* An interface appeared, changed state or went away (may be NULL). Called
	 * after the addresses and routes it no longer carries were reported
	 * removed, and before those it carries again are reported added. */
	void (*link)(void *ctx, const struct kernel_link *l);
	void *ctx;
};

struct kernel;

/* Subscribes to link, route and address events, then reports the current
 * links, all addresses and the routes of every table as additions. NULL with
 * errno when netlink cannot be opened.
 *
 * What is reported follows the interfaces' state, as zebra sees it: while an
 * interface is down (administratively, or without carrier) its addresses and
 * the routes through it are reported removed, and added again when it comes
 * back. The kernel itself drops IPv4 routes through an interface set down
 * without telling anyone, and keeps them, marked linkdown, on a loss of
 * carrier; this module tells the difference. Each address and route is
 * reported once, however often the kernel repeats it; when events were lost
 * (ENOBUFS) the state is read again and what disappeared meanwhile is
 * reported removed. Routes of protocol KERNEL_RTPROT_NVAD are not kept, and
 * their events are dropped by a socket filter before they reach nvad (a full
 * table of them would overflow the socket); dumps still report them. */
struct kernel *kernel_open(struct loop *loop, const struct logger *log, const struct kernel_cb *cb);
void kernel_close(struct kernel *k);

/* Reads the whole state again, as after lost events: what is there and was
 * not reported is reported added, what was reported and is gone reported
 * removed. */
void kernel_resync(struct kernel *k);

/* The state of an interface, or NULL when unknown. */
const struct kernel_link *kernel_link_get(const struct kernel *k, int ifindex);

#endif

/* route.h: writing routes into the kernel through rtnetlink (libmnl), in
 * batches: many route messages per send, errors collected asynchronously
 * rather than waited for one by one. Also reads back the routes of a given
 * protocol (to adopt them after a restart).
 *
 * Routes written here carry nvad's protocol number (KERNEL_RTPROT_NVAD) and
 * a metric of their own, so `ip route` reads naturally ("proto bgp metric 20"). */
#ifndef NVAD_KERNEL_ROUTE_H
#define NVAD_KERNEL_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/log.h"
#include "lib/loop.h"
#include "lib/prefix.h"
#include "netlink.h" /* KERNEL_RTPROT_NVAD */

#define KERNEL_MAX_NEXTHOPS 64

enum kernel_nh_kind { KERNEL_NH_GATEWAY, KERNEL_NH_IFACE, KERNEL_NH_BLACKHOLE };

struct kernel_nexthop {
	uint8_t kind;          /* enum kernel_nh_kind */
	struct ipaddr gateway; /* KERNEL_NH_GATEWAY */
	int ifindex;           /* 0: let the kernel find it (gateway on-link) */
	uint8_t weight;        /* ECMP weight, 1 by default */
};

struct kernel_route_spec {
	struct prefix dst;
	uint32_t table;        /* RT_TABLE_MAIN = 254 */
	uint8_t protocol;      /* KERNEL_RTPROT_NVAD unless a test says otherwise */
	uint32_t metric;       /* RTA_PRIORITY */
	struct ipaddr src;     /* preferred source, family 0 when none */
	uint8_t n_nh;
	struct kernel_nexthop nh[KERNEL_MAX_NEXTHOPS];
};

/* The writer's errors: a route the kernel refused, reported once the kernel
 * answers (after the batch was sent; in practice within kernel_writer_flush,
 * since the kernel handles a batch inside the send). dst->family is 0 (never
 * NULL) when answers were lost (err ENOBUFS: the socket's receive buffer
 * overflowed) or when the failing message is no longer known: the caller
 * should then read the kernel's routes again (kernel_routes_dump) to learn
 * what it holds.
 * A delete of a route that is already gone (ESRCH) is not reported. The
 * callback may queue further routes. */
typedef void (*kernel_route_error_fn)(void *ctx, const struct prefix *dst, int err);

struct kernel_writer;

/* A writer on its own netlink socket, registered with loop to read the
 * kernel's answers (loop may be NULL: answers are then read at each flush and
 * sync only). NULL with errno when netlink cannot be opened. */
struct kernel_writer *kernel_writer_open(struct loop *loop, const struct logger *log,
					 kernel_route_error_fn on_error, void *ctx);
/* Sends what is still queued, then closes. */
void kernel_writer_close(struct kernel_writer *w);

/* Size of the batch buffer: queued messages go out in one send when it is
 * full. KERNEL_BATCH_DEFAULT unless set; sends what is queued first. Clamped
 * to [KERNEL_BATCH_MIN, KERNEL_BATCH_MAX]. False when memory runs out (the
 * previous buffer is kept). */
#define KERNEL_BATCH_DEFAULT (256u * 1024)
#define KERNEL_BATCH_MIN 4096u
#define KERNEL_BATCH_MAX (16u * 1024 * 1024)
bool kernel_writer_set_batch(struct kernel_writer *w, size_t bytes);

/* Queue a route to add or replace (NLM_F_CREATE | NLM_F_REPLACE), or to
 * delete; queued messages go out when the batch buffer is full or at
 * kernel_writer_flush. False only when the route cannot be encoded (bad
 * family or prefix, no or too many next hops, a blackhole mixed with other
 * next hops, an interface next hop without an interface).
 *
 * Field use: table 0 means RT_TABLE_MAIN; protocol 0 means KERNEL_RTPROT_NVAD;
 * the metric is written as given (IPv6 turns 0 into 1024). A route whose next
 * hops are all interfaces gets scope link. An IPv4 route may have IPv6
 * gateways (RTA_VIA). The kernel refuses IPv6 multipath routes with
 * interface-only next hops (reported through the error callback).
 * A delete matches on prefix, table, protocol and metric only: it removes
 * nvad's route whatever its next hops (all of them for a multipath route). */
bool kernel_route_replace(struct kernel_writer *w, const struct kernel_route_spec *r);
bool kernel_route_delete(struct kernel_writer *w, const struct kernel_route_spec *r);
/* Sends what is queued (threaded: hands it to the sender) and reads the
 * kernel's answers so far. */
void kernel_writer_flush(struct kernel_writer *w);
/* From now on batches are sent by a thread of the writer's own, so the
 * kernel inserts one batch while the caller builds the next; errors still
 * reach the callback in the caller's thread (answers as the loop reads them,
 * a failed send when its buffer comes back, at latest at the next flush or
 * sync). False when the thread could not be started (nothing changed). */
bool kernel_writer_set_threaded(struct kernel_writer *w);
/* Flush, then a round trip (an acknowledged no-op): when it returns true the
 * kernel has handled every message sent and their errors were reported.
 * False on a timeout, a socket error, or when answers were lost (ENOBUFS,
 * reported to the error callback with a prefix of family 0). */
bool kernel_writer_sync(struct kernel_writer *w, int timeout_ms);

struct kernel_writer_stats {
	uint64_t queued;  /* route messages queued (replace and delete) */
	uint64_t sends;   /* sendto calls */
	uint64_t bytes;   /* bytes sent */
	uint64_t errors;  /* messages refused by the kernel (reported or ESRCH on delete) */
	uint64_t lost;    /* receive overflows (ENOBUFS): answers lost */
	size_t batch;     /* the batch size in effect (the send buffer may cap it) */
};
void kernel_writer_get_stats(const struct kernel_writer *w, struct kernel_writer_stats *st);

/* Reads the kernel's routes of a protocol in a table (a blocking dump on a
 * socket of its own, for start-up): calls fn for each unicast or blackhole
 * route, IPv4 and IPv6, multipath decoded into nh[] (weight = rtnh_hops + 1).
 * table 0 or protocol 0 means any. A gateway next hop carries the interface
 * the kernel chose. False when the dump failed. */
bool kernel_routes_dump(uint32_t table, uint8_t protocol,
			void (*fn)(void *ctx, const struct kernel_route_spec *r), void *ctx);

#endif

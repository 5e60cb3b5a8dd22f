/* link.h: the interfaces nvad owns, made to match the configuration through
 * rtnetlink: the point-to-point VXLAN tunnels of `nvad vxlan` (created, kept,
 * changed in place, recreated or removed; idempotent). */
#ifndef NVAD_KERNEL_LINK_H
#define NVAD_KERNEL_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"
#include "lib/log.h"

/* Ownership: every interface nvad creates carries this alias (`ip link show`
 * prints it). nvad changes or deletes only interfaces with that mark; an
 * interface of a configured name without it is reported and left alone. */
#define KERNEL_LINK_ALIAS "managed by nvad"

/* A list of strings owned by it. */
struct kernel_names {
	char **v;
	size_t n;
};

void kernel_names_free(struct kernel_names *l);

struct kernel_link_result {
	/* The interfaces nvad owns after the call (configured or not yet
	 * removed): the managed_old of the next call. */
	struct kernel_names managed;
	/* One line per failure, "NAME: cause" (e.g. "vxlan0: dev eth9: no such
	 * interface"); also logged as errors. */
	struct kernel_names errors;
};

void kernel_link_result_free(struct kernel_link_result *r);

/* Makes the kernel's VXLAN interfaces match want[0..n):
 *  - one that does not exist is created (with its MTU), marked, set up and
 *    given its addresses;
 *  - one that exists with the same VXLAN parameters (VNI, remote, local,
 *    port, dev) is left as it is, only its MTU, up state and addresses are
 *    brought to the configuration (an absent `mtu` means the kernel's default:
 *    dev's MTU less the VXLAN overhead, 1500 without dev);
 *  - one whose VXLAN parameters differ is deleted and created again;
 *  - the names of managed_old[0..n_old) (what the previous call returned)
 *    that are no longer configured are deleted.
 * Each interface is done on its own: a failure is reported and the others
 * are still applied. res may be NULL (errors are logged in any case); else it
 * is filled (free it with kernel_link_result_free). True when everything was
 * applied. */
bool kernel_vxlan_apply(const struct conf_vxlan *want, size_t n, const char *const *managed_old,
			size_t n_old, const struct logger *log, struct kernel_link_result *res);

/* The names of the interfaces that carry nvad's mark, e.g. left by an earlier
 * run: the managed_old of the first call after a start. False (and nothing in
 * out) when netlink fails. */
bool kernel_link_owned(struct kernel_names *out);

#endif

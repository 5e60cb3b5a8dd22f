/* nvad.h: the daemon's state and the pieces of src/nvad/ that share it: the
 * running configuration applied to a speaker (apply.c), control commands
 * (commands.c), and the main loop (main.c). */
#ifndef NVAD_NVAD_H
#define NVAD_NVAD_H

#include <stdbool.h>
#include <sys/types.h>

#include "bgp/speaker.h"
#include "conf/conf.h"
#include "ctl/ctl.h"
#include "kernel/fib.h"
#include "kernel/link.h"
#include "kernel/netlink.h"
#include "kernel/route.h"
#include "policy/policy.h"
#include "lib/log.h"
#include "lib/loop.h"

struct nvad {
	struct loop *loop;
	struct logger log;
	const char *conf_path;
	const char *socket_path;
	uint16_t port;           /* BGP listening port (--port), 179 by default */
	bool no_kernel;
	uint32_t table;          /* the kernel table nvad writes its routes to (--table) */
	struct conf *conf;       /* the running configuration */
	struct policy *policy;   /* its compiled route-maps and lists */
	struct bgp_speaker *bgp; /* NULL without `router bgp` */
	struct ctl_server *ctl;
	struct kernel *kernel;   /* the kernel's routes and addresses, or NULL */
	struct nvad_local *local; /* locally originated routes (local.c) */
	struct nvad_kernel *k;    /* the FIB and its writer (kernel.c) */
	struct kernel_names vxlans; /* the VXLAN interfaces nvad manages */
	bool vxlans_read;         /* those of a previous run were looked up */
};

/* Reads and checks a configuration file: the model and its compiled policy,
 * or NULL with every error in errs. */
struct conf *nvad_load(const char *path, struct policy **pol, struct conf_errors *errs);

/* Makes the daemon's state follow conf and pol (both taken over on success):
 * creates, changes or removes the speaker, its neighbors and its local
 * routes, and re-evaluates routes under the new policy. A new ASN or router
 * id recreates the speaker. False with a message in err when the
 * configuration cannot be applied (nothing was changed then). */
bool nvad_apply(struct nvad *d, struct conf *conf, struct policy *pol, char *err, size_t errlen);

/* Reads the configuration file again and applies it; on any error the running
 * configuration stays. Writes what happened to out. */
bool nvad_reload(struct nvad *d, struct strbuf *out);

/* Local routes: `network`, and `redistribute static|connected|kernel` from the
 * configuration's static routes and the kernel's addresses and routes. sync
 * brings the speaker's local routes to what the configuration and the kernel
 * say, by difference with what it originated before; forget drops that memory
 * (a new speaker has nothing). */
bool nvad_local_init(struct nvad *d);
void nvad_local_sync(struct nvad *d);
void nvad_local_forget(struct nvad *d);
void nvad_local_free(struct nvad *d);

/* The forwarding side (kernel.c): the FIB model fed by the speaker, the
 * static routes and the kernel's own routes and addresses; written to the
 * kernel when write is true. Routes stay in the kernel when nvad stops. */
bool nvad_kernel_init(struct nvad *d, bool write);
void nvad_kernel_free(struct nvad *d);
/* Starts the writer's sender thread: after nvad_privs_drop, since a thread
 * keeps the capabilities it was created with (capset is per thread). */
void nvad_kernel_start_sender(struct nvad *d);
void nvad_kernel_attach(struct nvad *d);      /* a new speaker reports to the FIB */
bool nvad_kernel_restarting(const struct nvad *d); /* routes of a previous run held */
bool nvad_kernel_writes(const struct nvad *d);
const struct fib *nvad_kernel_fib(const struct nvad *d);
void nvad_kernel_statics(struct nvad *d);     /* after a configuration change */
void nvad_kernel_changed(struct nvad *d);     /* schedules a write of the differences */
void nvad_kernel_eor(struct nvad *d);         /* an End-of-RIB arrived */
void nvad_kernel_underlay_addr(struct nvad *d, bool add, const struct prefix *subnet, int ifindex);
void nvad_kernel_underlay_route(struct nvad *d, bool add, const struct kernel_route *r);
/* Privileges (privs.c). nvad_user_parse reads --user USER[:GROUP] (names or
 * numbers; the group defaults to the user's own) from the user database.
 * nvad_privs_drop switches to that user when one is set, then keeps only
 * CAP_NET_ADMIN, and CAP_NET_BIND_SERVICE when bind_low (the BGP port is below
 * 1024), of the capabilities the process has; every other one leaves the
 * bounding set too. Both false with a message in err. */
struct nvad_user {
	bool set;
	uid_t uid;
	gid_t gid;
	char name[64];
};
bool nvad_user_parse(const char *spec, struct nvad_user *u, char *err, size_t errlen);
bool nvad_privs_drop(const struct nvad_user *u, bool bind_low, char *err, size_t errlen);
void nvad_privs_describe(char *buf, size_t len); /* "uid N, gid N, capabilities ..." */

/* show ip route / show ipv6 route, from the FIB model. */
void nvad_show_route(struct nvad *d, uint8_t family, bool json, struct strbuf *out);

/* The speaker's events, broadcast to `monitor` clients. */
void nvad_event(void *ctx, const struct bgp_speaker_event *ev);

/* The control socket's handler. */
int nvad_command(void *ctx, const char *cmd, struct strbuf *out, struct ctl_client *c);

#endif

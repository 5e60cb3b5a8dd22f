/* live.h: azlab's live back end (design.md, "The lab's fabric"): the lab's
 * namespaces and fabric (fabric.c), the emulated Route Servers on nvad's BGP
 * speaker (routeserver.c), the supervisor that keeps them in step with the
 * model, and the live commands up/down/status/exec/reach/test/trace (live.c).
 * The model (model.h) stays pure; everything here is an effect at the edge. */
#ifndef NVAD_AZLAB_LIVE_H
#define NVAD_AZLAB_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "azlab/model.h"
#include "azlab/topology.h"

#define AZLAB_RUN_DIR "/run/azlab"
#define AZLAB_NAME_MAX 40
#define AZLAB_NS_MAX 128

/* Options of the live commands. */
struct azlab_live_opts {
	const char *name;   /* --name, NULL: the topology's name */
	const char *nvad;   /* --nvad PATH, NULL: next to azlab, then $PATH */
	int timeout_s;      /* up: how long to wait for BGP (--timeout) */
	bool json;
	bool offline;       /* test: the model only */
};

/* snprintf that is allowed to cut (names and messages; the compiler's
 * truncation warnings do not apply to it). */
int azlab_sfmt(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- running programs (fabric.c) ---- */
/* Runs argv (argv[0] searched in $PATH) with optional standard input; its
 * standard output and error go to out (cut at cap) when out is not NULL,
 * else to the log. Returns the exit status, or -1 when it could not run. */
int azlab_run(const char *const *argv, const char *input, char *out, size_t cap);
/* The same inside a lab namespace (setns in the child). */
int azlab_run_ns(const char *ns, const char *const *argv, const char *input, char *out,
		 size_t cap);
/* Where azlab_run writes what commands print when out is NULL (the
 * supervisor's log; default standard error). */
void azlab_run_log(int fd);

/* ---- the lab's names and files ---- */
struct azlab_lab_names {
	char name[AZLAB_NAME_MAX + 1];
	char dir[256]; /* /run/azlab/NAME */
};
/* False (with a message) when the name has characters other than letters,
 * digits, '-', '_' and '.' or is too long. */
bool azlab_lab_names(const char *name, struct azlab_lab_names *out, char *err, size_t cap);
/* "azl-NAME-WHAT" */
void azlab_ns_name(const struct azlab_lab_names *n, const char *what, char *buf, size_t cap);
/* Records a namespace (before it is made) and a process, for `down`. */
void azlab_record(const struct azlab_lab_names *n, const char *file, const char *line);

/* ---- the fabric (fabric.c) ---- */
struct azlab_fabric;
/* Builds every namespace, link, address, rule and firewall of the lab for
 * topology t. NULL with a message in err when something failed (what was
 * made is recorded, so `down` removes it). */
struct azlab_fabric *azlab_fabric_build(const struct azlab_topo *t, const struct azlab_lab_names *n,
					char *err, size_t cap);
/* Installs the model's Active effective routes into the subnet tables, the
 * MSEE tables and the sites' routers; only what changed is rewritten. */
bool azlab_fabric_sync(struct azlab_fabric *f, const struct azlab_model *m);
void azlab_fabric_free(struct azlab_fabric *f);
/* The load balancers' rules (R-E4): flows to a frontend, and to a Private
 * Endpoint of a Private Link Service on it, go to a backend that is up, by
 * a hash of their 5-tuple. up[lb][k]: backend k of lb is up (NULL: all). */
bool azlab_fabric_lb(struct azlab_fabric *f, bool *const *up, char *err, size_t cap);
#define AZLAB_PROBE_SRC "168.63.129.16" /* R-E4: where the health probes come from */

/* ---- the load balancers' health probes (lbprobe.c, R-E4) ---- */
struct azlab_lbprobe;
struct azlab_lbprobe *azlab_lbprobe_new(const struct azlab_topo *t, const char *fabric_ns,
					char *err, size_t cap);
/* Reads the probes that answered (or timed out) and sends those due; now is
 * the supervisor's loop time in ms. True when a backend went up or down:
 * then azlab_fabric_lb(f, azlab_lbprobe_up(p), ...) applies it. */
bool azlab_lbprobe_tick(struct azlab_lbprobe *p, uint64_t now);
bool *const *azlab_lbprobe_up(const struct azlab_lbprobe *p);
void azlab_lbprobe_free(struct azlab_lbprobe *p);
/* Namespace of a VM, of a site host or CE router ("SITE" for its router),
 * of a Route Server instance. */
void azlab_fabric_vm_ns(const struct azlab_lab_names *n, const struct azlab_topo *t, int vm,
			char *buf, size_t cap);
void azlab_fabric_rs_ns(const struct azlab_lab_names *n, const struct azlab_topo *t, int rs,
			int inst, char *buf, size_t cap);
/* The namespace of an endpoint by name (VM, site host, site); false when none. */
bool azlab_fabric_endpoint_ns(const struct azlab_lab_names *n, const struct azlab_topo *t,
			      const char *name, char *buf, size_t cap);
/* The addresses of site s's link between its CE router and the MSEE, a /30
 * as ExpressRoute's peering subnets: the CE has the first usable address,
 * the MSEE the second; 169.254.(s / 64 + 1).(4 (s % 64)) / 30, so site 0's CE
 * is 169.254.1.1 and its MSEE 169.254.1.2. The BGP session of a CE that
 * runs software (azlab_site_runs_ce) is between these two. */
void azlab_site_link(int s, uint32_t *ce, uint32_t *msee);
/* Refuses names that would collide (two objects mapped to one namespace). */
bool azlab_fabric_check_names(const struct azlab_topo *t, const struct azlab_lab_names *n, char *err,
			      size_t cap);

/* ---- the emulated Route Servers (routeserver.c) ---- */
struct azlab_rs;
struct loop;
struct azlab_rs *azlab_rs_new(struct loop *loop, const struct azlab_topo *t,
			      const struct azlab_lab_names *n, char *err, size_t cap);
void azlab_rs_free(struct azlab_rs *r);
/* What the instances received from the NVAs, as the model's feed; true when
 * it differs from the last call's. */
bool azlab_rs_feed(struct azlab_rs *r, struct azlab_feed *out, bool *changed);
/* Appends the routes of the last walk. */
bool azlab_rs_last(const struct azlab_rs *r, struct azlab_feed *out);
/* Originates what the model says each instance sends to each NVA (R-D4). */
void azlab_rs_sync(struct azlab_rs *r, const struct azlab_model *m);
/* Sessions as JSON (array), and whether every session with an NVA is
 * Established and has sent End-of-RIB. */
struct json_object;
struct json_object *azlab_rs_sessions(struct azlab_rs *r, bool *all_up);

/* ---- the emulated MSEEs' BGP side (routeserver.c) ----
 * One speaker (AS 12076) per circuit with a site whose CE runs software. */
struct azlab_msee;
struct azlab_msee *azlab_msee_new(struct loop *loop, const struct azlab_topo *t,
				  const struct azlab_lab_names *n, char *err, size_t cap);
void azlab_msee_free(struct azlab_msee *ms);
/* Appends what the CE routers sent (from_site routes) to out when any was
 * walked again; changed: they differ from the last call's. */
bool azlab_msee_feed(struct azlab_msee *ms, struct azlab_feed *out, bool *changed);
/* Appends the CE routes of the last walk. */
bool azlab_msee_last(const struct azlab_msee *ms, struct azlab_feed *out);
/* Originates toward each CE what the model says its site learns (R-C3). */
void azlab_msee_sync(struct azlab_msee *ms, const struct azlab_model *m);
struct json_object *azlab_msee_sessions(struct azlab_msee *ms, bool *all_up);

/* ---- the commands (live.c) ---- */
int azlab_live_up(const char *file, const struct azlab_live_opts *o);
int azlab_live_down(const char *file, bool file_given, const struct azlab_live_opts *o);
int azlab_live_status(const char *file, bool file_given, const struct azlab_live_opts *o);
int azlab_live_exec(const char *file, bool file_given, const struct azlab_live_opts *o,
		    const char *target, char **cmd);
int azlab_live_reach(const char *file, bool file_given, const struct azlab_live_opts *o);
/* azlab test FILE against the running lab of that file; -1 when no lab of
 * that name is up (the caller then evaluates offline). */
int azlab_live_test(const char *file, const struct azlab_live_opts *o);
/* The real traceroute from inside SRC beside the predicted path p; -1 when
 * no lab is up. */
int azlab_live_trace(const char *file, const struct azlab_live_opts *o, const char *src,
		     uint32_t dst, const struct azlab_path *p);

#endif

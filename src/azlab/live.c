/* live.c: the live commands. `up` validates the file, then forks the
 * supervisor: a daemon that builds the fabric (fabric.c), runs the emulated
 * Route Servers (routeserver.c) and the NVAs' programs, and on every change
 * of what the Route Servers receive rebuilds the model and rewrites the
 * fabric's tables and what the Route Servers send (principle 7). Its state
 * lives in /run/azlab/NAME/: supervisor.pid, namespaces and pids (appended
 * before anything is made, so `down` finds everything even after a crash)
 * and state.json (sessions, the live feed, the programs), which `status`,
 * `reach`, `test` and `trace` read to rebuild the same model. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "azlab/expect.h"
#include "azlab/live.h"
#include "azlab/validate.h"
#include "lib/loop.h"
#include "lib/strbuf.h"

#define POLL_MS 300
#define STABLE_MS 2000
/* FRR (measured with 8.4 on P2) sends End-of-RIB at once and its
 * redistributed static routes about 4 s after the session came up (they
 * reach bgpd through staticd and zebra); a lab with FRR or BIRD in a VM or
 * site waits for a longer quiet feed before it says it converged. 8 s was
 * once too short at a load average of 7 on 2 cores: 12 s. */
#define STABLE_MS_ROUTER 12000

/* ---- small helpers ---- */

static bool is_root(void)
{
	return geteuid() == 0;
}

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return NULL;
	struct strbuf b = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf - 1, f)) > 0) {
		buf[n] = '\0';
		strbuf_puts(&b, buf);
	}
	fclose(f);
	if (b.oom || !b.s) {
		strbuf_free(&b);
		return b.oom ? NULL : strdup("");
	}
	return b.s;
}

static bool write_atomic(const char *path, const char *text)
{
	char tmp[PATH_MAX];
	azlab_sfmt(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "we");
	if (!f)
		return false;
	bool ok = fputs(text, f) >= 0;
	ok &= fclose(f) == 0;
	return ok && rename(tmp, path) == 0;
}

static bool pid_alive(pid_t pid)
{
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM);
}

static pid_t read_pid(const char *path)
{
	char *s = read_text(path);
	pid_t p = s ? (pid_t)atol(s) : 0;
	free(s);
	return p;
}

static struct azlab_topo *load_valid(const char *file, char *err, size_t cap)
{
	struct azlab_diag errs = AZLAB_DIAG_INIT, warns = AZLAB_DIAG_INIT;
	struct azlab_topo *t = azlab_topo_load(file, &errs);
	if (!t) {
		azlab_sfmt(err, cap, "%s", errs.n ? errs.msgs[0] : "cannot read the topology");
		azlab_diag_free(&errs);
		return NULL;
	}
	size_t n = azlab_validate(t, &errs, &warns);
	if (n) {
		azlab_sfmt(err, cap, "%s\n%s: %zu error%s: Azure would refuse this topology",
			 errs.msgs[0], file, n, n == 1 ? "" : "s");
		azlab_topo_free(t);
		t = NULL;
	}
	azlab_diag_free(&errs);
	azlab_diag_free(&warns);
	return t;
}

/* The lab the command is about: --name; else the name of the file given;
 * else the only lab that is up. */
static bool resolve_lab(const char *file, bool file_given, const struct azlab_live_opts *o,
			struct azlab_lab_names *n)
{
	char err[512];
	if (o->name)
		goto named;
	if (file_given) {
		struct azlab_diag errs = AZLAB_DIAG_INIT;
		struct azlab_topo *t = azlab_topo_load(file, &errs);
		azlab_diag_free(&errs);
		if (!t) {
			fprintf(stderr, "azlab: cannot read %s (give the lab with --name)\n", file);
			return false;
		}
		bool ok = azlab_lab_names(t->name ? t->name : "lab", n, err, sizeof err);
		azlab_topo_free(t);
		if (!ok)
			fprintf(stderr, "azlab: %s\n", err);
		return ok;
	}
	DIR *d = opendir(AZLAB_RUN_DIR);
	int found = 0;
	char only[AZLAB_NAME_MAX + 1] = "";
	struct dirent *de;
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		found++;
		azlab_sfmt(only, sizeof only, "%s", de->d_name);
	}
	if (d)
		closedir(d);
	if (found == 1)
		return azlab_lab_names(only, n, err, sizeof err);
	if (found == 0)
		fprintf(stderr, "azlab: no lab is up (azlab up FILE starts one)\n");
	else
		fprintf(stderr, "azlab: several labs are up (see %s): say which with --name NAME\n",
			AZLAB_RUN_DIR);
	return false;
named:
	if (!azlab_lab_names(o->name, n, err, sizeof err)) {
		fprintf(stderr, "azlab: %s\n", err);
		return false;
	}
	return true;
}

static bool lab_running(const struct azlab_lab_names *n)
{
	char p[PATH_MAX];
	azlab_sfmt(p, sizeof p, "%s/supervisor.pid", n->dir);
	return pid_alive(read_pid(p));
}

static json_object *read_state(const struct azlab_lab_names *n)
{
	char p[PATH_MAX];
	azlab_sfmt(p, sizeof p, "%s/state.json", n->dir);
	char *s = read_text(p);
	json_object *o = s ? json_tokener_parse(s) : NULL;
	free(s);
	return o;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;
	if (o && json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string))
		return json_object_get_string(v);
	return "";
}

static int64_t jint(json_object *o, const char *key)
{
	json_object *v;
	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

static json_object *jget(json_object *o, const char *key)
{
	json_object *v = NULL;
	if (o)
		json_object_object_get_ex(o, key, &v);
	return v;
}

/* ---- programs of the NVAs ---- */

static const char *self_dir(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (slash)
		*slash = '\0';
	return buf;
}

/* nvad: --nvad, $AZLAB_NVAD, next to azlab, then $PATH. */
static bool find_nvad(const struct azlab_live_opts *o, char *out, size_t cap)
{
	const char *e = o->nvad ? o->nvad : getenv("AZLAB_NVAD");
	if (e && *e) {
		azlab_sfmt(out, cap, "%s", e);
		return access(out, X_OK) == 0;
	}
	char d[PATH_MAX];
	if (self_dir(d, sizeof d)) {
		azlab_sfmt(out, cap, "%s/nvad", d);
		if (access(out, X_OK) == 0)
			return true;
	}
	const char *path = getenv("PATH");
	char *dup = strdup(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (char *save = NULL, *p = dup ? strtok_r(dup, ":", &save) : NULL; p;
	     p = strtok_r(NULL, ":", &save)) {
		azlab_sfmt(out, cap, "%s/nvad", p);
		if (access(out, X_OK) == 0) {
			free(dup);
			return true;
		}
	}
	free(dup);
	azlab_sfmt(out, cap, "nvad");
	return false;
}

static void config_path(const struct azlab_topo *t, const char *cfg, char *out, size_t cap)
{
	if (cfg[0] == '/')
		azlab_sfmt(out, cap, "%s", cfg);
	else
		azlab_sfmt(out, cap, "%s/%s", t->dir ? t->dir : ".", cfg);
	char real[PATH_MAX];
	if (realpath(out, real))
		azlab_sfmt(out, cap, "%s", real);
}

/* Why nvad cannot run: the path given (--nvad, $AZLAB_NVAD) and what is
 * wrong with it, or where it was looked for. */
static void nvad_missing(const char *who, const char *nvad, char *err, size_t cap)
{
	if (strchr(nvad, '/')) {
		const char *why = access(nvad, F_OK) ? strerror(errno) : "not executable";
		azlab_sfmt(err, cap, "%s runs nvad, but %s cannot be run: %s (build it, or give --nvad PATH)",
			   who, nvad, why);
	} else {
		azlab_sfmt(err, cap,
			   "%s runs nvad, which is neither next to azlab nor on $PATH (build it, or give --nvad PATH)",
			   who);
	}
}

/* Checks the program and config of the router of `who` (a VM's NVA or a
 * site's CE): the config is readable, the program installed, and nvad and
 * BIRD accept the config (`nvad --check`, `bird -p`). */
static bool check_router(const struct azlab_topo *t, const char *who, int sw, const char *config,
			 const char *nvad, bool have_nvad, char *err, size_t cap)
{
	static const char *const names[] = { [AZLAB_SW_NVAD] = "nvad", [AZLAB_SW_FRR] = "FRR",
					     [AZLAB_SW_BIRD] = "BIRD" };
	char cfg[PATH_MAX], out[2048];
	if (!config) {
		azlab_sfmt(err, cap, "%s runs %s but names no config file", who, names[sw]);
		return false;
	}
	config_path(t, config, cfg, sizeof cfg);
	if (access(cfg, R_OK) != 0) {
		azlab_sfmt(err, cap, "%s: cannot read its config %s: %s", who, cfg, strerror(errno));
		return false;
	}
	if (sw == AZLAB_SW_NVAD) {
		if (!have_nvad) {
			nvad_missing(who, nvad, err, cap);
			return false;
		}
		const char *argv[] = { nvad, "--check", "-f", cfg, NULL };
		if (azlab_run(argv, NULL, out, sizeof out) != 0) {
			azlab_sfmt(err, cap, "%s: nvad refuses %s:\n%.1500s", who, cfg, out);
			return false;
		}
	} else if (sw == AZLAB_SW_FRR) {
		if (access("/usr/lib/frr/bgpd", X_OK) || access("/usr/lib/frr/zebra", X_OK)) {
			azlab_sfmt(err, cap, "%s runs FRR, which is not installed (/usr/lib/frr/bgpd)", who);
			return false;
		}
	} else if (sw == AZLAB_SW_BIRD) {
		if (access("/usr/sbin/bird", X_OK)) {
			azlab_sfmt(err, cap, "%s runs BIRD, which is not installed (/usr/sbin/bird)", who);
			return false;
		}
		const char *argv[] = { "/usr/sbin/bird", "-p", "-c", cfg, NULL };
		if (azlab_run(argv, NULL, out, sizeof out) != 0) {
			azlab_sfmt(err, cap, "%s: BIRD refuses %s:\n%.1500s", who, cfg, out);
			return false;
		}
	}
	return true;
}

/* Checks, before anything is made, that every program and file is there. */
static bool check_programs(const struct azlab_topo *t, const char *nvad, bool have_nvad, char *err,
			   size_t cap)
{
	for (size_t v = 0; v < t->n_vms; v++) {
		const struct azlab_nva *nv = t->vms[v].nva;
		if (nv && nv->software != AZLAB_SW_NONE &&
		    !check_router(t, t->vms[v].name, nv->software, nv->config, nvad, have_nvad, err, cap))
			return false;
	}
	for (size_t i = 0; i < t->n_sites; i++) {
		const struct azlab_site *st = &t->sites[i];
		char who[128];
		azlab_sfmt(who, sizeof who, "site %s", st->name);
		if (st->software != AZLAB_SW_NONE &&
		    !check_router(t, who, st->software, st->config, nvad, have_nvad, err, cap))
			return false;
	}
	const char *tools[] = { "/usr/sbin/nft", "/usr/sbin/iptables", "/usr/bin/ping" };
	for (size_t i = 0; i < 3; i++)
		if (access(tools[i], X_OK) && access(strrchr(tools[i], '/') + 1, X_OK)) {
			char alt[64];
			azlab_sfmt(alt, sizeof alt, "/sbin/%s", strrchr(tools[i], '/') + 1);
			if (access(alt, X_OK)) {
				azlab_sfmt(err, cap, "%s is not installed (./run deps)", tools[i]);
				return false;
			}
		}
	return true;
}

struct proc {
	char name[96];
	char ns[AZLAB_NS_MAX];
	char log[PATH_MAX];
	char socket[PATH_MAX];
	const char *software;
	int vm;
	pid_t pid;
	int status; /* -1 while running */
};

struct sup {
	const struct azlab_topo *t;
	struct azlab_lab_names n;
	char topo_path[PATH_MAX];
	char nvad[PATH_MAX];
	struct loop *loop;
	struct azlab_fabric *fab;
	struct azlab_rs *rs;
	struct azlab_msee *msee; /* the MSEEs' sessions with CE routers, NULL without */
	struct azlab_lbprobe *probes; /* the load balancers' health probes (R-E4) */
	struct azlab_feed feed;
	struct azlab_model *m;
	struct proc *procs;
	size_t n_procs;
	struct loop_timer tick;
	uint64_t last_change;
	uint64_t stable_ms; /* how long the feed must stay unchanged */
	bool converged;
	const char *phase;
	char error[2048];
	unsigned rebuilds;
};

static pid_t spawn_in(const char *ns, const char *const *argv, const char *log)
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	char path[300];
	azlab_sfmt(path, sizeof path, "/run/netns/%s", ns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		_exit(126);
	int out = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int nul = open("/dev/null", O_RDONLY);
	dup2(nul, STDIN_FILENO);
	if (out >= 0) {
		dup2(out, STDOUT_FILENO);
		dup2(out, STDERR_FILENO);
	}
	signal(SIGPIPE, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execv(argv[0], (char *const *)argv);
	dprintf(STDERR_FILENO, "azlab: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static bool add_proc(struct sup *s, const char *name, const char *ns, const char *software, int vm,
		     const char *const *argv, const char *log, const char *sock)
{
	void *p = realloc(s->procs, (s->n_procs + 1) * sizeof *s->procs);
	if (!p)
		return false;
	s->procs = p;
	struct proc *pr = &s->procs[s->n_procs];
	memset(pr, 0, sizeof *pr);
	azlab_sfmt(pr->name, sizeof pr->name, "%s", name);
	azlab_sfmt(pr->ns, sizeof pr->ns, "%s", ns);
	azlab_sfmt(pr->log, sizeof pr->log, "%s", log);
	azlab_sfmt(pr->socket, sizeof pr->socket, "%s", sock ? sock : "");
	pr->software = software;
	pr->vm = vm;
	pr->status = -1;
	pr->pid = spawn_in(ns, argv, log);
	if (pr->pid < 0)
		return false;
	char line[200];
	azlab_sfmt(line, sizeof line, "%ld %s", (long)pr->pid, name);
	azlab_record(&s->n, "pids", line);
	s->n_procs++;
	return true;
}

static bool wait_file(const char *path, int ms)
{
	for (int i = 0; i < ms / 50; i++) {
		if (access(path, F_OK) == 0)
			return true;
		usleep(50000);
	}
	return false;
}

/* Starts the routing software of a VM (vm >= 0) or of a site's CE router
 * (vm -1, site >= 0) named name, in namespace ns, files in /run/azlab/NAME/name. */
static bool start_router(struct sup *s, const char *name, const char *ns, int sw,
			 const char *config, int vm)
{
	const struct azlab_topo *t = s->t;
	char dir[PATH_MAX], cfg[PATH_MAX], log[PATH_MAX + 32], sock[PATH_MAX + 32];
	azlab_sfmt(dir, sizeof dir, "%s/%s", s->n.dir, name);
	mkdir(dir, 0755);
	config_path(t, config, cfg, sizeof cfg);
	if (sw == AZLAB_SW_NVAD) {
		azlab_sfmt(log, sizeof log, "%s/nvad.log", dir);
		azlab_sfmt(sock, sizeof sock, "%s/nvad.sock", dir);
		const char *argv[] = { s->nvad, "-f", cfg, "--socket", sock, "--port", "179",
				       "--log-level", "info", NULL };
		if (!add_proc(s, name, ns, "nvad", vm, argv, log, sock)) {
			azlab_sfmt(s->error, sizeof s->error, "%s: cannot start nvad", name);
			return false;
		}
	} else if (sw == AZLAB_SW_FRR) {
		char zc[PATH_MAX + 32], bc[PATH_MAX + 32], api[PATH_MAX + 32], pid[PATH_MAX + 32],
			cmd[PATH_MAX * 2];
		azlab_sfmt(zc, sizeof zc, "%s/zebra.conf", dir);
		azlab_sfmt(bc, sizeof bc, "%s/frr.conf", dir);
		azlab_sfmt(api, sizeof api, "%s/zserv.api", dir);
		FILE *z = fopen(zc, "we");
		if (z) {
			fprintf(z, "hostname %s\nip nht resolve-via-default\n", name);
			fclose(z);
		}
		azlab_sfmt(cmd, sizeof cmd, "cp '%s' '%s' && chown -R frr:frr '%s'", cfg, bc, dir);
		const char *sh[] = { "sh", "-c", cmd, NULL };
		if (azlab_run(sh, NULL, NULL, 0) != 0) {
			azlab_sfmt(s->error, sizeof s->error, "%s: cannot prepare FRR's files in %s",
				   name, dir);
			return false;
		}
		azlab_sfmt(log, sizeof log, "%s/zebra.log", dir);
		azlab_sfmt(pid, sizeof pid, "%s/zebra.pid", dir);
		const char *za[] = { "/usr/lib/frr/zebra", "-f", zc, "-i", pid, "-z", api,
				     "--vty_socket", dir, "-u", "frr", "-g", "frr", NULL };
		char pname[128];
		azlab_sfmt(pname, sizeof pname, "%s-zebra", name);
		if (!add_proc(s, pname, ns, "frr", vm, za, log, NULL) || !wait_file(api, 10000)) {
			azlab_sfmt(s->error, sizeof s->error, "%s: FRR's zebra did not start (see %s)",
				   name, log);
			return false;
		}
		static const char *const daemons[] = { "staticd", "bgpd" };
		for (size_t k = 0; k < 2; k++) {
			char prog[64];
			azlab_sfmt(prog, sizeof prog, "/usr/lib/frr/%s", daemons[k]);
			azlab_sfmt(log, sizeof log, "%s/%s.log", dir, daemons[k]);
			azlab_sfmt(pid, sizeof pid, "%s/%s.pid", dir, daemons[k]);
			azlab_sfmt(pname, sizeof pname, "%s-%s", name, daemons[k]);
			const char *ba[] = { prog, "-f", bc, "-i", pid, "-z", api, "--vty_socket", dir,
					     "-u", "frr", "-g", "frr", k ? "-p" : NULL, "179", NULL };
			if (!add_proc(s, pname, ns, "frr", vm, ba, log, NULL)) {
				azlab_sfmt(s->error, sizeof s->error, "%s: cannot start FRR's %s", name,
					   daemons[k]);
				return false;
			}
		}
	} else if (sw == AZLAB_SW_BIRD) {
		azlab_sfmt(log, sizeof log, "%s/bird.log", dir);
		azlab_sfmt(sock, sizeof sock, "%s/bird.ctl", dir);
		const char *argv[] = { "/usr/sbin/bird", "-f", "-c", cfg, "-s", sock, NULL };
		if (!add_proc(s, name, ns, "bird", vm, argv, log, sock)) {
			azlab_sfmt(s->error, sizeof s->error, "%s: cannot start BIRD", name);
			return false;
		}
	}
	return true;
}

static bool start_nvas(struct sup *s)
{
	const struct azlab_topo *t = s->t;
	for (size_t v = 0; v < t->n_vms; v++) {
		const struct azlab_nva *nv = t->vms[v].nva;
		if (!nv || nv->software == AZLAB_SW_NONE || !nv->config)
			continue;
		char ns[AZLAB_NS_MAX];
		azlab_fabric_vm_ns(&s->n, t, (int)v, ns, sizeof ns);
		if (!start_router(s, t->vms[v].name, ns, nv->software, nv->config, (int)v))
			return false;
	}
	/* the sites' CE routers that run software, after the MSEEs listen */
	for (size_t i = 0; i < t->n_sites; i++) {
		if (!azlab_site_runs_ce(&t->sites[i]))
			continue;
		char ns[AZLAB_NS_MAX];
		azlab_ns_name(&s->n, t->sites[i].name, ns, sizeof ns);
		if (!start_router(s, t->sites[i].name, ns, t->sites[i].software, t->sites[i].config, -1))
			return false;
	}
	return true;
}

/* ---- the supervisor's state file ---- */

static void write_state(struct sup *s, json_object *sessions, json_object *msee_sessions)
{
	const struct azlab_topo *t = s->t;
	char ib[AZLAB_IPSTR], pb[AZLAB_PFXSTR], ab[256], ns[AZLAB_NS_MAX];
	json_object *o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(s->n.name));
	json_object_object_add(o, "topology", json_object_new_string(s->topo_path));
	json_object_object_add(o, "supervisor", json_object_new_int64(getpid()));
	json_object_object_add(o, "phase", json_object_new_string(s->phase));
	json_object_object_add(o, "converged", json_object_new_boolean(s->converged));
	json_object_object_add(o, "error", json_object_new_string(s->error));
	json_object_object_add(o, "modelBuilds", json_object_new_int64(s->rebuilds));
	json_object_object_add(o, "updated", json_object_new_int64(time(NULL)));
	char fab[AZLAB_NS_MAX];
	azlab_ns_name(&s->n, "fabric", fab, sizeof fab);
	json_object_object_add(o, "fabric", json_object_new_string(fab));
	json_object_object_add(o, "nvad", json_object_new_string(s->nvad));
	json_object *vms = json_object_new_array();
	for (size_t v = 0; v < t->n_vms; v++) {
		const struct azlab_vm *vm = &t->vms[v];
		json_object *e = json_object_new_object();
		azlab_fabric_vm_ns(&s->n, t, (int)v, ns, sizeof ns);
		json_object_object_add(e, "name", json_object_new_string(vm->name));
		json_object_object_add(e, "namespace", json_object_new_string(ns));
		json_object_object_add(e, "address", json_object_new_string(azlab_ip_fmt(vm->ip, ib)));
		json_object_object_add(e, "subnet", json_object_new_string(vm->subnet_name));
		json_object_object_add(e, "ipForwarding", json_object_new_boolean(vm->ip_forwarding));
		const char *sw = "";
		if (vm->nva)
			sw = vm->nva->software == AZLAB_SW_NVAD ? "nvad" :
			     vm->nva->software == AZLAB_SW_FRR	? "frr" :
			     vm->nva->software == AZLAB_SW_BIRD ? "bird" : "";
		json_object_object_add(e, "software", json_object_new_string(sw));
		for (size_t k = 0; k < s->n_procs; k++)
			if (s->procs[k].vm == (int)v && (!strcmp(s->procs[k].name, vm->name) ||
							 !strstr(s->procs[k].name, "-zebra"))) {
				json_object_object_add(e, "pid", json_object_new_int64(s->procs[k].pid));
				json_object_object_add(e, "running",
						       json_object_new_boolean(s->procs[k].status < 0));
				json_object_object_add(e, "socket",
						       json_object_new_string(s->procs[k].socket));
				json_object_object_add(e, "log", json_object_new_string(s->procs[k].log));
				break;
			}
		json_object_array_add(vms, e);
	}
	json_object_object_add(o, "virtualMachines", vms);
	json_object *hosts = json_object_new_array();
	for (size_t si = 0; si < t->n_sites; si++)
		for (size_t h = 0; h < t->sites[si].n_hosts; h++) {
			json_object *e = json_object_new_object();
			azlab_ns_name(&s->n, t->sites[si].hosts[h].name, ns, sizeof ns);
			json_object_object_add(e, "name", json_object_new_string(t->sites[si].hosts[h].name));
			json_object_object_add(e, "site", json_object_new_string(t->sites[si].name));
			json_object_object_add(e, "namespace", json_object_new_string(ns));
			json_object_object_add(e, "address",
					       json_object_new_string(azlab_ip_fmt(t->sites[si].hosts[h].ip, ib)));
			json_object_array_add(hosts, e);
		}
	json_object_object_add(o, "siteHosts", hosts);
	json_object *procs = json_object_new_array();
	for (size_t k = 0; k < s->n_procs; k++) {
		json_object *e = json_object_new_object();
		json_object_object_add(e, "name", json_object_new_string(s->procs[k].name));
		json_object_object_add(e, "pid", json_object_new_int64(s->procs[k].pid));
		json_object_object_add(e, "namespace", json_object_new_string(s->procs[k].ns));
		json_object_object_add(e, "running", json_object_new_boolean(s->procs[k].status < 0));
		json_object_object_add(e, "log", json_object_new_string(s->procs[k].log));
		json_object_array_add(procs, e);
	}
	json_object_object_add(o, "processes", procs);
	json_object_object_add(o, "sessions", sessions ? sessions : json_object_new_array());
	json_object_object_add(o, "mseeSessions",
			       msee_sessions ? msee_sessions : json_object_new_array());
	json_object *sites = json_object_new_array();
	for (size_t si = 0; si < t->n_sites; si++) {
		const struct azlab_site *st = &t->sites[si];
		json_object *e = json_object_new_object();
		azlab_ns_name(&s->n, st->name, ns, sizeof ns);
		json_object_object_add(e, "name", json_object_new_string(st->name));
		json_object_object_add(e, "namespace", json_object_new_string(ns));
		json_object_object_add(e, "software",
				       json_object_new_string(!azlab_site_runs_ce(st) ? "" :
							      st->software == AZLAB_SW_NVAD ? "nvad" : "frr"));
		uint32_t ce, me;
		azlab_site_link((int)si, &ce, &me);
		json_object_object_add(e, "linkAddress", json_object_new_string(azlab_ip_fmt(ce, ib)));
		json_object_object_add(e, "mseeAddress", json_object_new_string(azlab_ip_fmt(me, ib)));
		for (size_t k = 0; k < s->n_procs; k++)
			if (s->procs[k].vm < 0 && (!strcmp(s->procs[k].name, st->name) ||
						   (!strncmp(s->procs[k].name, st->name, strlen(st->name)) &&
						    !strcmp(s->procs[k].name + strlen(st->name), "-bgpd")))) {
				json_object_object_add(e, "pid", json_object_new_int64(s->procs[k].pid));
				json_object_object_add(e, "running",
						       json_object_new_boolean(s->procs[k].status < 0));
				json_object_object_add(e, "socket",
						       json_object_new_string(s->procs[k].socket));
				break;
			}
		json_object_array_add(sites, e);
	}
	json_object_object_add(o, "sites", sites);
	json_object *feed = json_object_new_array();
	for (size_t i = 0; i < s->feed.n; i++) {
		const struct azlab_feed_route *r = &s->feed.v[i];
		json_object *e = json_object_new_object(), *path = json_object_new_array();
		if (r->from_site) {
			json_object_object_add(e, "site", json_object_new_string(t->sites[r->site].name));
		} else {
			json_object_object_add(e, "vm", json_object_new_string(t->vms[r->vm].name));
			json_object_object_add(e, "routeServer",
					       json_object_new_string(t->route_servers[r->route_server].name));
		}
		json_object_object_add(e, "prefix", json_object_new_string(azlab_pfx_fmt(r->prefix, pb)));
		for (size_t a = 0; a < r->n_as; a++)
			json_object_array_add(path, json_object_new_int64(r->as_path[a]));
		json_object_object_add(e, "asPath", path);
		azlab_aspath_fmt(r->as_path, r->n_as, ab, sizeof ab);
		json_object_object_add(e, "path", json_object_new_string(ab));
		json_object_object_add(e, "nextHop", json_object_new_string(azlab_ip_fmt(r->next_hop, ib)));
		json_object_object_add(e, "noAdvertise", json_object_new_boolean(r->no_advertise));
		json_object_array_add(feed, e);
	}
	json_object_object_add(o, "feed", feed);
	char p[PATH_MAX];
	azlab_sfmt(p, sizeof p, "%s/state.json", s->n.dir);
	write_atomic(p, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static bool rebuild(struct sup *s)
{
	struct azlab_model *m = azlab_model_build(s->t, &s->feed);
	if (!m)
		return false;
	azlab_model_free(s->m);
	s->m = m;
	s->rebuilds++;
	bool ok = azlab_fabric_sync(s->fab, m);
	if (s->rs)
		azlab_rs_sync(s->rs, m);
	if (s->msee)
		azlab_msee_sync(s->msee, m);
	return ok;
}

static void on_tick(struct loop_timer *tm)
{
	struct sup *s = tm->ctx;
	int st;
	pid_t pid;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (size_t k = 0; k < s->n_procs; k++)
			if (s->procs[k].pid == pid) {
				s->procs[k].status = st;
				fprintf(stderr, "azlab: %s (pid %ld) exited (status %d)\n",
					s->procs[k].name, (long)pid, st);
			}
	bool up = true, up2 = true;
	json_object *sessions = NULL, *msee_sessions = NULL;
	struct azlab_feed f1 = AZLAB_FEED_INIT, f2 = AZLAB_FEED_INIT;
	bool c1 = false, c2 = false, ok = true;
	if (s->rs)
		ok &= azlab_rs_feed(s->rs, &f1, &c1);
	if (s->msee)
		ok &= azlab_msee_feed(s->msee, &f2, &c2);
	azlab_feed_free(&f1);
	azlab_feed_free(&f2);
	if (ok && (c1 || c2)) {
		/* the feed: what the Route Servers and the MSEEs last received */
		struct azlab_feed f = AZLAB_FEED_INIT;
		if ((!s->rs || azlab_rs_last(s->rs, &f)) && (!s->msee || azlab_msee_last(s->msee, &f))) {
			azlab_feed_free(&s->feed);
			s->feed = f;
			s->last_change = loop_now(s->loop);
			size_t ce = 0;
			for (size_t i = 0; i < s->feed.n; i++)
				ce += s->feed.v[i].from_site;
			fprintf(stderr,
				"azlab: the Route Servers hold %zu routes from NVAs, the MSEEs %zu from CE routers: model rebuilt\n",
				s->feed.n - ce, ce);
			rebuild(s);
		} else {
			azlab_feed_free(&f);
		}
	}
	if (s->probes && azlab_lbprobe_tick(s->probes, loop_now(s->loop))) {
		char err[1024];
		if (!azlab_fabric_lb(s->fab, azlab_lbprobe_up(s->probes), err, sizeof err))
			fprintf(stderr, "azlab: %s\n", err);
	}
	if (s->rs)
		sessions = azlab_rs_sessions(s->rs, &up);
	if (s->msee)
		msee_sessions = azlab_msee_sessions(s->msee, &up2);
	up = up && up2;
	bool conv = up && loop_now(s->loop) - s->last_change >= s->stable_ms;
	if (conv && !s->converged)
		fprintf(stderr, "azlab: converged\n");
	s->converged = conv;
	s->phase = conv ? "converged" : "converging";
	write_state(s, sessions, msee_sessions);
	loop_timer_set(s->loop, &s->tick, POLL_MS);
}

static void on_signal(struct loop_fd *f, uint32_t events)
{
	(void)events;
	struct signalfd_siginfo si;
	while (read(f->fd, &si, sizeof si) == (ssize_t)sizeof si)
		if (si.ssi_signo == SIGTERM || si.ssi_signo == SIGINT || si.ssi_signo == SIGHUP)
			loop_stop(f->ctx);
}

/* The daemon: never returns. */
static void supervise(struct sup *s)
{
	char p[PATH_MAX];
	azlab_sfmt(p, sizeof p, "%s/supervisor.log", s->n.dir);
	int log = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int nul = open("/dev/null", O_RDONLY);
	if (nul >= 0)
		dup2(nul, STDIN_FILENO);
	if (log >= 0) {
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
	}
	azlab_run_log(STDERR_FILENO);
	signal(SIGPIPE, SIG_IGN);
	s->phase = "building";
	write_state(s, NULL, NULL);
	fprintf(stderr, "azlab: building lab %s from %s\n", s->n.name, s->topo_path);
	s->loop = loop_new();
	s->fab = azlab_fabric_build(s->t, &s->n, s->error, sizeof s->error);
	bool ok = s->fab && s->loop;
	if (ok && !rebuild(s)) {
		azlab_sfmt(s->error, sizeof s->error, "the first model could not be installed (see %s)", p);
		ok = false;
	}
	if (ok && s->t->n_route_servers) {
		s->rs = azlab_rs_new(s->loop, s->t, &s->n, s->error, sizeof s->error);
		if (!s->rs)
			ok = false;
		else
			azlab_rs_sync(s->rs, s->m);
	}
	bool ces = false;
	for (size_t i = 0; i < s->t->n_sites; i++)
		ces |= azlab_site_runs_ce(&s->t->sites[i]);
	if (ok && ces) {
		s->msee = azlab_msee_new(s->loop, s->t, &s->n, s->error, sizeof s->error);
		if (!s->msee)
			ok = false;
		else
			azlab_msee_sync(s->msee, s->m);
	}
	if (ok && s->t->n_lbs) {
		char fab[AZLAB_NS_MAX];
		azlab_ns_name(&s->n, "fabric", fab, sizeof fab);
		s->probes = azlab_lbprobe_new(s->t, fab, s->error, sizeof s->error);
		ok = s->probes != NULL;
	}
	if (ok)
		ok = start_nvas(s);
	if (!ok) {
		fprintf(stderr, "azlab: up failed: %s\n", s->error);
		s->phase = "failed";
		write_state(s, NULL, NULL);
		_exit(1);
	}
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	struct loop_fd sig = { .fd = sfd, .events = 0x001 /* EPOLLIN */, .cb = on_signal, .ctx = s->loop };
	if (sfd >= 0)
		loop_fd_add(s->loop, &sig);
	s->phase = "converging";
	s->last_change = loop_now(s->loop);
	s->stable_ms = STABLE_MS;
	for (size_t v = 0; v < s->t->n_vms; v++)
		if (s->t->vms[v].nva && (s->t->vms[v].nva->software == AZLAB_SW_FRR ||
					 s->t->vms[v].nva->software == AZLAB_SW_BIRD))
			s->stable_ms = STABLE_MS_ROUTER;
	for (size_t i = 0; i < s->t->n_sites; i++)
		if (azlab_site_runs_ce(&s->t->sites[i]) && (s->t->sites[i].software == AZLAB_SW_FRR ||
							     s->t->sites[i].software == AZLAB_SW_BIRD))
			s->stable_ms = STABLE_MS_ROUTER;
	s->tick = (struct loop_timer){ .cb = on_tick, .ctx = s };
	loop_timer_set(s->loop, &s->tick, 0);
	fprintf(stderr, "azlab: running\n");
	loop_run(s->loop);
	fprintf(stderr, "azlab: supervisor stopping (azlab down removes the lab)\n");
	azlab_rs_free(s->rs);
	azlab_msee_free(s->msee);
	azlab_lbprobe_free(s->probes);
	_exit(0);
}

/* ---- down ---- */

static void kill_wait(pid_t pid)
{
	if (!pid_alive(pid))
		return;
	kill(pid, SIGTERM);
	for (int i = 0; i < 30 && pid_alive(pid); i++) {
		waitpid(pid, NULL, WNOHANG);
		usleep(100000);
	}
	if (pid_alive(pid)) {
		kill(pid, SIGKILL);
		usleep(50000);
		waitpid(pid, NULL, WNOHANG);
	}
}

/* Every process whose network namespace is ns (the namespace file's inode). */
static void kill_in_ns(const char *ns)
{
	char path[300];
	struct stat want;
	azlab_sfmt(path, sizeof path, "/run/netns/%s", ns);
	if (stat(path, &want) < 0)
		return;
	for (int round = 0; round < 2; round++) {
		DIR *d = opendir("/proc");
		struct dirent *de;
		while (d && (de = readdir(d))) {
			char *end;
			long pid = strtol(de->d_name, &end, 10);
			if (*end || pid <= 1 || pid == getpid())
				continue;
			char p[64];
			struct stat st;
			azlab_sfmt(p, sizeof p, "/proc/%ld/ns/net", pid);
			if (stat(p, &st) == 0 && st.st_ino == want.st_ino && st.st_dev == want.st_dev)
				kill((pid_t)pid, round ? SIGKILL : SIGTERM);
		}
		if (d)
			closedir(d);
		if (!round)
			usleep(300000);
	}
}

/* Namespaces recorded by other labs: a prefix scan must not take them. */
static bool recorded_elsewhere(const struct azlab_lab_names *n, const char *ns)
{
	DIR *d = opendir(AZLAB_RUN_DIR);
	struct dirent *de;
	bool found = false;
	while (!found && d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, n->name))
			continue;
		char p[PATH_MAX];
		azlab_sfmt(p, sizeof p, "%s/%s/namespaces", AZLAB_RUN_DIR, de->d_name);
		char *s = read_text(p);
		for (char *save = NULL, *l = s ? strtok_r(s, "\n", &save) : NULL; l && !found;
		     l = strtok_r(NULL, "\n", &save))
			found = !strcmp(l, ns);
		free(s);
	}
	if (d)
		closedir(d);
	return found;
}

static int do_down(const struct azlab_lab_names *n, bool quiet)
{
	char p[PATH_MAX];
	size_t n_ns = 0, n_proc = 0;
	azlab_sfmt(p, sizeof p, "%s/supervisor.pid", n->dir);
	pid_t sup = read_pid(p);
	if (sup > 0 && pid_alive(sup)) {
		kill_wait(sup);
		n_proc++;
	}
	azlab_sfmt(p, sizeof p, "%s/pids", n->dir);
	char *s = read_text(p);
	for (char *save = NULL, *l = s ? strtok_r(s, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		pid_t pid = (pid_t)atol(l);
		if (pid_alive(pid)) {
			kill_wait(pid);
			n_proc++;
		}
	}
	free(s);
	/* recorded namespaces, then any azl-NAME-* that no other lab recorded */
	struct strbuf names = STRBUF_INIT;
	azlab_sfmt(p, sizeof p, "%s/namespaces", n->dir);
	s = read_text(p);
	if (s)
		strbuf_puts(&names, s);
	free(s);
	char prefix[AZLAB_NS_MAX];
	azlab_ns_name(n, "", prefix, sizeof prefix);
	DIR *d = opendir("/run/netns");
	struct dirent *de;
	while (d && (de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)) && !recorded_elsewhere(n, de->d_name))
			strbuf_printf(&names, "\n%s", de->d_name);
	if (d)
		closedir(d);
	char *all = names.s ? strdup(names.s) : NULL;
	strbuf_free(&names);
	for (char *save = NULL, *l = all ? strtok_r(all, "\n", &save) : NULL; l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (strncmp(l, prefix, strlen(prefix)) != 0)
			continue; /* never anything that is not the lab's */
		char path[300];
		azlab_sfmt(path, sizeof path, "/run/netns/%s", l);
		if (access(path, F_OK) != 0)
			continue;
		kill_in_ns(l);
		const char *argv[] = { "ip", "netns", "del", l, NULL };
		char out[512];
		if (azlab_run(argv, NULL, out, sizeof out) == 0)
			n_ns++;
		else
			fprintf(stderr, "azlab down: cannot delete namespace %s: %s", l, out);
	}
	free(all);
	const char *rm[] = { "rm", "-rf", n->dir, NULL };
	azlab_run(rm, NULL, NULL, 0);
	if (!quiet)
		printf("lab %s: %zu namespace%s deleted, %zu process%s stopped\n", n->name, n_ns,
		       n_ns == 1 ? "" : "s", n_proc, n_proc == 1 ? "" : "es");
	return 0;
}

int azlab_live_down(const char *file, bool file_given, const struct azlab_live_opts *o)
{
	if (!is_root()) {
		fprintf(stderr, "azlab down: needs root (network namespaces)\n");
		return 1;
	}
	struct azlab_lab_names n;
	if (!resolve_lab(file, file_given, o, &n)) {
		/* nothing to say when no lab is up at all */
		DIR *d = opendir(AZLAB_RUN_DIR);
		bool any = false;
		struct dirent *de;
		while (d && (de = readdir(d)))
			any |= de->d_name[0] != '.';
		if (d)
			closedir(d);
		return any ? 2 : 0;
	}
	return do_down(&n, false);
}

/* ---- status ---- */

static void print_status(json_object *st)
{
	printf("lab %s (%s): %s, supervisor pid %ld\n", jstr(st, "name"), jstr(st, "topology"),
	       jstr(st, "phase"), (long)jint(st, "supervisor"));
	if (*jstr(st, "error"))
		printf("error: %s\n", jstr(st, "error"));
	printf("\n%-14s %-34s %-15s %-26s %s\n", "VM", "namespace", "address", "subnet", "program");
	json_object *vms = jget(st, "virtualMachines");
	for (size_t i = 0; vms && i < json_object_array_length(vms); i++) {
		json_object *v = json_object_array_get_idx(vms, i);
		char prog[96] = "-";
		if (*jstr(v, "software"))
			azlab_sfmt(prog, sizeof prog, "%s pid %ld %s", jstr(v, "software"),
				 (long)jint(v, "pid"),
				 json_object_get_boolean(jget(v, "running")) ? "running" : "EXITED");
		printf("%-14s %-34s %-15s %-26s %s\n", jstr(v, "name"), jstr(v, "namespace"),
		       jstr(v, "address"), jstr(v, "subnet"), prog);
	}
	json_object *hosts = jget(st, "siteHosts");
	for (size_t i = 0; hosts && i < json_object_array_length(hosts); i++) {
		json_object *v = json_object_array_get_idx(hosts, i);
		char sub[96];
		azlab_sfmt(sub, sizeof sub, "site %s", jstr(v, "site"));
		printf("%-14s %-34s %-15s %-26s -\n", jstr(v, "name"), jstr(v, "namespace"),
		       jstr(v, "address"), sub);
	}
	json_object *ss = jget(st, "sessions");
	if (ss && json_object_array_length(ss)) {
		printf("\n%-12s %-15s %-15s %-10s %-7s %-12s %s\n", "Route Server", "instance", "peer",
		       "NVA", "AS", "state", "routes in/out");
		for (size_t i = 0; i < json_object_array_length(ss); i++) {
			json_object *v = json_object_array_get_idx(ss, i);
			char inst[40];
			azlab_sfmt(inst, sizeof inst, "%s", jstr(v, "address"));
			size_t in = 0;
			json_object *feed = jget(st, "feed");
			for (size_t k = 0; feed && k < json_object_array_length(feed); k++) {
				json_object *f = json_object_array_get_idx(feed, k);
				if (!strcmp(jstr(f, "routeServer"), jstr(v, "routeServer")) &&
				    !strcmp(jstr(f, "vm"), jstr(v, "vm")))
					in++;
			}
			printf("%-12s %-15s %-15s %-10s %-7ld %-12s %zu/%ld\n", jstr(v, "routeServer"),
			       inst, jstr(v, "peer"), jstr(v, "vm"), (long)jint(v, "peerAsn"),
			       jstr(v, "state"), in, (long)jint(v, "pfxSnt"));
		}
	}
	json_object *ms = jget(st, "mseeSessions");
	if (ms && json_object_array_length(ms)) {
		printf("\n%-12s %-15s %-15s %-14s %-7s %-12s %s\n", "MSEE of", "address", "peer",
		       "site", "AS", "state", "routes in/out");
		for (size_t i = 0; i < json_object_array_length(ms); i++) {
			json_object *v = json_object_array_get_idx(ms, i);
			size_t in = 0;
			json_object *feed = jget(st, "feed");
			for (size_t k = 0; feed && k < json_object_array_length(feed); k++)
				in += !strcmp(jstr(json_object_array_get_idx(feed, k), "site"),
					      jstr(v, "site"));
			printf("%-12s %-15s %-15s %-14s %-7ld %-12s %zu/%ld\n", jstr(v, "circuit"),
			       jstr(v, "address"), jstr(v, "peer"), jstr(v, "site"),
			       (long)jint(v, "peerAsn"), jstr(v, "state"), in, (long)jint(v, "pfxSnt"));
		}
	}
	json_object *feed = jget(st, "feed");
	if (feed && json_object_array_length(feed)) {
		printf("\nRoutes the Route Servers and MSEEs received (the model's live feed):\n");
		for (size_t k = 0; k < json_object_array_length(feed); k++) {
			json_object *f = json_object_array_get_idx(feed, k);
			if (*jstr(f, "site")) {
				printf("  %-12s from %-10s %-19s next hop %-15s path %s\n", "MSEE",
				       jstr(f, "site"), jstr(f, "prefix"), jstr(f, "nextHop"),
				       jstr(f, "path"));
				continue;
			}
			printf("  %-12s from %-10s %-19s next hop %-15s path %s%s\n",
			       jstr(f, "routeServer"), jstr(f, "vm"), jstr(f, "prefix"), jstr(f, "nextHop"),
			       jstr(f, "path"),
			       json_object_get_boolean(jget(f, "noAdvertise")) ? " (no-advertise)" : "");
		}
	}
}

int azlab_live_status(const char *file, bool file_given, const struct azlab_live_opts *o)
{
	struct azlab_lab_names n;
	if (!resolve_lab(file, file_given, o, &n))
		return 2;
	json_object *st = read_state(&n);
	if (!st) {
		fprintf(stderr, "azlab status: lab %s is not up\n", n.name);
		return 1;
	}
	bool alive = lab_running(&n);
	if (o->json) {
		json_object_object_add(st, "supervisorRunning", json_object_new_boolean(alive));
		printf("%s\n", json_object_to_json_string_ext(st, JSON_C_TO_STRING_PRETTY |
								      JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		print_status(st);
		if (!alive)
			printf("\nthe supervisor is not running: azlab --name %s down removes what is left\n",
			       n.name);
	}
	json_object_put(st);
	return alive ? 0 : 1;
}

/* ---- up ---- */

int azlab_live_up(const char *file, const struct azlab_live_opts *o)
{
	char err[4096];
	if (!is_root()) {
		fprintf(stderr, "azlab up: needs root (network namespaces): sudo azlab up %s\n", file);
		return 1;
	}
	struct azlab_topo *t = load_valid(file, err, sizeof err);
	if (!t) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	struct azlab_lab_names n;
	if (!azlab_lab_names(o->name ? o->name : t->name ? t->name : "lab", &n, err, sizeof err) ||
	    !azlab_fabric_check_names(t, &n, err, sizeof err)) {
		fprintf(stderr, "azlab up: %s\n", err);
		azlab_topo_free(t);
		return 1;
	}
	struct sup *s = calloc(1, sizeof *s);
	if (!s) {
		azlab_topo_free(t);
		return 1;
	}
	s->t = t;
	s->n = n;
	if (!realpath(file, s->topo_path))
		azlab_sfmt(s->topo_path, sizeof s->topo_path, "%s", file);
	bool have_nvad = find_nvad(o, s->nvad, sizeof s->nvad);
	if (!check_programs(t, s->nvad, have_nvad, err, sizeof err)) {
		fprintf(stderr, "azlab up: %s\n", err);
		azlab_topo_free(t);
		free(s);
		return 1;
	}
	if (lab_running(&n)) {
		printf("lab %s is already up; its state:\n\n", n.name);
		json_object *st = read_state(&n);
		if (st)
			print_status(st);
		json_object_put(st);
		azlab_topo_free(t);
		free(s);
		return 0;
	}
	struct stat sb;
	char prefix[AZLAB_NS_MAX];
	azlab_ns_name(&n, "", prefix, sizeof prefix);
	if (stat(n.dir, &sb) == 0) {
		printf("azlab: removing what an earlier run of %s left behind\n", n.name);
		do_down(&n, true);
	}
	mkdir(AZLAB_RUN_DIR, 0755);
	if (mkdir(n.dir, 0755) < 0) {
		fprintf(stderr, "azlab up: cannot make %s: %s\n", n.dir, strerror(errno));
		azlab_topo_free(t);
		free(s);
		return 1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "azlab up: cannot start the supervisor: fork: %s\n", strerror(errno));
		do_down(&n, true); /* the run directory made above */
		azlab_topo_free(t);
		free(s);
		return 1;
	}
	if (pid == 0) {
		setsid();
		pid_t p2 = fork();
		if (p2 != 0)
			_exit(p2 < 0 ? 1 : 0);
		char pp[PATH_MAX], line[32];
		azlab_sfmt(pp, sizeof pp, "%s/supervisor.pid", n.dir);
		azlab_sfmt(line, sizeof line, "%ld\n", (long)getpid());
		write_atomic(pp, line);
		supervise(s);
	}
	waitpid(pid, NULL, 0);
	printf("azlab: lab %s starting (namespaces %s*, files in %s)\n", n.name, prefix, n.dir);
	fflush(stdout);
	int limit = (o->timeout_s > 0 ? o->timeout_s : 60) * 10;
	json_object *st = NULL;
	const char *phase = "";
	for (int i = 0; i < limit; i++) {
		usleep(100000);
		json_object_put(st);
		st = read_state(&n);
		phase = jstr(st, "phase");
		if (!strcmp(phase, "converged") || !strcmp(phase, "failed"))
			break;
		char pp[PATH_MAX];
		azlab_sfmt(pp, sizeof pp, "%s/supervisor.pid", n.dir);
		if (i > 20 && !lab_running(&n)) {
			phase = "failed";
			break;
		}
	}
	int rc = 0;
	if (!strcmp(phase, "failed")) {
		fprintf(stderr, "azlab up: %s\n",
			*jstr(st, "error") ? jstr(st, "error") : "the supervisor stopped (see its log)");
		char lp[PATH_MAX];
		azlab_sfmt(lp, sizeof lp, "%s/supervisor.log", n.dir);
		char *log = read_text(lp);
		if (log && *log)
			fprintf(stderr, "supervisor log:\n%s", log);
		free(log);
		fprintf(stderr, "azlab up: removing what was made\n");
		do_down(&n, false);
		rc = 1;
	} else if (!strcmp(phase, "converged")) {
		printf("azlab: BGP converged\n\n");
		print_status(st);
		printf("\nazlab --name %s status | reach | test FILE | exec VM -- CMD | down\n", n.name);
	} else {
		printf("azlab: BGP has not converged after %d s; the lab stays up as it is:\n\n",
		       limit / 10);
		if (st)
			print_status(st);
		printf("\nlogs in %s; azlab --name %s down removes it\n", n.dir, n.name);
		rc = 1;
	}
	json_object_put(st);
	azlab_topo_free(t);
	free(s);
	return rc;
}

/* ---- exec ---- */

int azlab_live_exec(const char *file, bool file_given, const struct azlab_live_opts *o,
		    const char *target, char **cmd)
{
	struct azlab_lab_names n;
	if (!resolve_lab(file, file_given, o, &n))
		return 2;
	json_object *st = read_state(&n);
	if (!st) {
		fprintf(stderr, "azlab exec: lab %s is not up\n", n.name);
		return 1;
	}
	char err[512];
	struct azlab_topo *t = load_valid(jstr(st, "topology"), err, sizeof err);
	json_object_put(st);
	if (!t) {
		fprintf(stderr, "azlab exec: %s\n", err);
		return 1;
	}
	char ns[AZLAB_NS_MAX];
	bool found = azlab_fabric_endpoint_ns(&n, t, target, ns, sizeof ns);
	azlab_topo_free(t);
	if (!found) {
		fprintf(stderr, "azlab exec: no VM, site or site host named \"%s\" in lab %s\n", target,
			n.name);
		return 2;
	}
	if (!cmd || !cmd[0]) {
		fprintf(stderr, "usage: azlab exec VM -- CMD [ARGS]\n");
		return 2;
	}
	size_t k = 0;
	while (cmd[k])
		k++;
	char **argv = calloc(k + 5, sizeof *argv);
	if (!argv)
		return 1;
	argv[0] = "ip";
	argv[1] = "netns";
	argv[2] = "exec";
	argv[3] = ns;
	for (size_t i = 0; i < k; i++)
		argv[4 + i] = cmd[i];
	fflush(NULL);
	execvp("ip", argv);
	fprintf(stderr, "azlab exec: cannot run ip: %s\n", strerror(errno));
	free(argv);
	return 1;
}

/* ---- the live model and probes ---- */

struct live {
	struct azlab_lab_names n;
	struct azlab_topo *t;
	struct azlab_feed feed;
	struct azlab_model *m;
	json_object *st;
};

static void live_free(struct live *l)
{
	azlab_model_free(l->m);
	azlab_feed_free(&l->feed);
	azlab_topo_free(l->t);
	json_object_put(l->st);
}

/* Opens the running lab: its topology and the model of its live feed. 1
 * when none is up, -1 on error, 0 done. */
static int live_open(struct live *l, const struct azlab_lab_names *n)
{
	memset(l, 0, sizeof *l);
	l->n = *n;
	if (!lab_running(n))
		return 1;
	l->st = read_state(n);
	if (!l->st)
		return 1;
	char err[4096];
	l->t = load_valid(jstr(l->st, "topology"), err, sizeof err);
	if (!l->t) {
		fprintf(stderr, "azlab: the lab's topology: %s\n", err);
		live_free(l);
		return -1;
	}
	json_object *feed = jget(l->st, "feed");
	for (size_t i = 0; feed && i < json_object_array_length(feed); i++) {
		json_object *f = json_object_array_get_idx(feed, i), *path = jget(f, "asPath");
		struct azlab_feed_route r = { .vm = azlab_topo_vm(l->t, jstr(f, "vm")),
					      .route_server = azlab_topo_route_server(l->t,
										jstr(f, "routeServer")) };
		if (*jstr(f, "site")) { /* a CE router's route to its MSEE */
			r.from_site = true;
			r.site = -1;
			for (size_t k = 0; k < l->t->n_sites; k++)
				if (!strcmp(l->t->sites[k].name, jstr(f, "site")))
					r.site = (int)k;
			if (r.site < 0)
				continue;
			r.vm = r.route_server = -1;
		} else if (r.vm < 0 || r.route_server < 0) {
			continue;
		}
		if (!azlab_pfx_parse(jstr(f, "prefix"), &r.prefix) ||
		    !azlab_ip_parse(jstr(f, "nextHop"), &r.next_hop))
			continue;
		for (size_t a = 0; path && a < json_object_array_length(path) && a < AZLAB_MAX_ASPATH; a++)
			r.as_path[r.n_as++] = (uint32_t)json_object_get_int64(json_object_array_get_idx(path, a));
		r.no_advertise = json_object_get_boolean(jget(f, "noAdvertise"));
		azlab_feed_add(&l->feed, &r);
	}
	l->m = azlab_model_build(l->t, &l->feed);
	if (!l->m) {
		live_free(l);
		return -1;
	}
	return 0;
}

static bool ep_ns(const struct live *l, const struct azlab_endpoint *ep, char *ns, size_t cap)
{
	if (ep->kind == AZLAB_EP_VM) {
		azlab_fabric_vm_ns(&l->n, l->t, ep->index, ns, cap);
		return true;
	}
	azlab_ns_name(&l->n, l->t->sites[ep->index].hosts[ep->host].name, ns, cap);
	return true;
}

static pid_t ping_start(const char *ns, uint32_t dst)
{
	char ib[AZLAB_IPSTR];
	azlab_ip_fmt(dst, ib);
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	char path[300];
	azlab_sfmt(path, sizeof path, "/run/netns/%s", ns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		_exit(126);
	int nul = open("/dev/null", O_RDWR);
	dup2(nul, STDIN_FILENO);
	dup2(nul, STDOUT_FILENO);
	dup2(nul, STDERR_FILENO);
	execlp("ping", "ping", "-n", "-q", "-c", "3", "-i", "0.2", "-W", "1", "-w", "2", ib,
	       (char *)NULL);
	_exit(127);
}

static bool ping_wait(pid_t pid)
{
	int st;
	if (pid < 0)
		return false;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return false;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* ---- reach ---- */


int azlab_live_reach(const char *file, bool file_given, const struct azlab_live_opts *o)
{
	struct azlab_lab_names n;
	if (!resolve_lab(file, file_given, o, &n))
		return 2;
	struct live l;
	int rc = live_open(&l, &n);
	if (rc) {
		if (rc > 0)
			fprintf(stderr, "azlab reach: lab %s is not up (azlab up FILE; azlab check FILE is the offline matrix)\n",
				n.name);
		return 2;
	}
	struct azlab_endpoints *e = malloc(sizeof *e);
	size_t cols = 0;
	if (!e) {
		live_free(&l);
		return 1;
	}
	azlab_endpoints_list(l.t, e);
	cols = e->n + l.t->n_pes;
	bool *ok = calloc(e->n * cols + 1, sizeof *ok);
	pid_t *pids = calloc(e->n * cols + 1, sizeof *pids);
	struct azlab_reach *r = malloc(sizeof *r);
	if (!ok || !pids || !r) {
		free(ok);
		free(pids);
		free(r);
		free(e);
		live_free(&l);
		return 1;
	}
	/* every flow at once, real pings (request and reply) */
	for (size_t i = 0; i < e->n; i++) {
		char ns[AZLAB_NS_MAX];
		ep_ns(&l, &e->v[i], ns, sizeof ns);
		for (size_t j = 0; j < cols; j++) {
			pids[i * cols + j] = -1;
			if (j == i)
				continue;
			uint32_t dst = j < e->n ? e->v[j].ip : l.t->pes[j - e->n].ip;
			pids[i * cols + j] = ping_start(ns, dst);
		}
	}
	for (size_t k = 0; k < e->n * cols; k++)
		ok[k] = pids[k] > 0 ? ping_wait(pids[k]) : false;
	printf("Reachability (live lab %s: ping; row = sender, column = receiver; ok = request and reply)\n\n%-14s",
	       n.name, "");
	for (size_t j = 0; j < e->n; j++)
		printf(" %-12.12s", e->name[j]);
	printf("\n");
	size_t differ = 0, total = 0, works = 0;
	for (size_t i = 0; i < e->n; i++) {
		printf("%-14.14s", e->name[i]);
		for (size_t j = 0; j < e->n; j++)
			printf(" %-12s", i == j ? "-" : ok[i * cols + j] ? "ok" : "FAIL");
		printf("\n");
	}
	printf("\n");
	for (size_t i = 0; i < e->n; i++)
		for (size_t j = 0; j < cols; j++) {
			if (i == j)
				continue;
			uint32_t dst = j < e->n ? e->v[j].ip : l.t->pes[j - e->n].ip;
			const char *dn = j < e->n ? e->name[j] : l.t->pes[j - e->n].name;
			azlab_model_reach(l.m, &e->v[i], dst, r);
			bool live = ok[i * cols + j];
			total++;
			works += live;
			if (j >= e->n)
				printf("%-4s %s -> %s (Private Endpoint)\n", live ? "ok" : "FAIL", e->name[i], dn);
			if (live != r->ok) {
				differ++;
				printf("DIFFERS %s -> %s: live %s, the model says %s%s%s\n", e->name[i], dn,
				       live ? "works" : "fails", r->ok ? "works" : "fails: ",
				       r->ok ? "" : r->reason, "");
			}
		}
	printf("\n%zu of %zu flows work; %s\n", works, total,
	       differ ? "the live lab and the model DISAGREE" : "the live lab agrees with the model");
	free(ok);
	free(pids);
	free(r);
	free(e);
	live_free(&l);
	return differ ? 1 : 0;
}

/* ---- traceroute ---- */

/* The hops of a real traceroute from ns to dst: "*" or an address each. */
static size_t traceroute(const char *ns, uint32_t dst, char hops[][AZLAB_IPSTR], size_t max,
			 char *raw, size_t rawcap)
{
	char ib[AZLAB_IPSTR], m[8];
	azlab_ip_fmt(dst, ib);
	azlab_sfmt(m, sizeof m, "%zu", max);
	const char *argv[] = { "traceroute", "-n", "-q", "1", "-w", "1", "-m", m, ib, NULL };
	char out[8192];
	azlab_run_ns(ns, argv, NULL, out, sizeof out);
	if (raw)
		azlab_sfmt(raw, rawcap, "%s", out);
	size_t n = 0;
	for (char *save = NULL, *line = strtok_r(out, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		char *end;
		long hop = strtol(line, &end, 10);
		if (end == line || hop <= 0)
			continue;
		while (*end == ' ')
			end++;
		size_t k = 0;
		while (end[k] && end[k] != ' ' && k < AZLAB_IPSTR - 1)
			k++;
		memcpy(hops[n], end, k);
		hops[n][k] = '\0';
		n++;
	}
	return n;
}

static void hops_text(char hops[][AZLAB_IPSTR], size_t n, char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used + 1 < cap; i++)
		used += (size_t)azlab_sfmt(buf + used, cap - used, "%s%s", i ? " " : "", hops[i]);
}

int azlab_live_trace(const char *file, const struct azlab_live_opts *o, const char *src,
		     uint32_t dst, const struct azlab_path *p)
{
	struct azlab_lab_names n;
	if (!resolve_lab(file, true, o, &n))
		return -1;
	struct live l;
	if (live_open(&l, &n) != 0)
		return -1;
	struct azlab_endpoint ep;
	char ns[AZLAB_NS_MAX], live[AZLAB_MAX_HOPS][AZLAB_IPSTR], a[512], b[512];
	if (!azlab_model_endpoint(l.m, src, &ep)) {
		live_free(&l);
		return -1;
	}
	ep_ns(&l, &ep, ns, sizeof ns);
	size_t nl = traceroute(ns, dst, live, 12, NULL, 0);
	/* the predicted hops, from the live model */
	struct azlab_path lp;
	azlab_model_walk(l.m, &ep, dst, &lp);
	(void)p;
	char pred[AZLAB_MAX_HOPS][AZLAB_IPSTR];
	for (size_t i = 0; i < lp.n_hops; i++)
		azlab_sfmt(pred[i], AZLAB_IPSTR, "%s", lp.hops[i].addr);
	hops_text(pred, lp.n_hops, a, sizeof a);
	hops_text(live, nl, b, sizeof b);
	printf("\nlive traceroute from %s (lab %s):\n", src, n.name);
	for (size_t i = 0; i < nl; i++)
		printf("%2zu  %s\n", i + 1, live[i]);
	bool same = lp.delivered && !strcmp(a, b);
	if (same)
		printf("the live path agrees with the model: %s\n", b);
	else if (!lp.delivered)
		printf("the model says the packet does not arrive%s (live: %s)\n",
		       nl && strcmp(live[nl - 1], "*") ? "; DISAGREES: traceroute reached it" : "", b);
	else
		printf("DISAGREES: the model predicts %s, traceroute shows %s\n", a, b);
	live_free(&l);
	return same || (!lp.delivered && (!nl || !strcmp(live[nl - 1], "*"))) ? 0 : 1;
}

/* ---- test ---- */

/* A counter in the receiver's namespace: did echo requests from src arrive? */
static bool probe_begin(const char *ns, uint32_t src)
{
	char ib[AZLAB_IPSTR], rule[512];
	if (src)
		azlab_sfmt(rule, sizeof rule,
			 "table ip azlabprobe {\n chain in { type filter hook prerouting priority -400;\n"
			 "  ip saddr %s icmp type echo-request counter\n }\n}\n",
			 azlab_ip_fmt(src, ib));
	else
		azlab_sfmt(rule, sizeof rule,
			 "table ip azlabprobe {\n chain in { type filter hook prerouting priority -400;\n"
			 "  icmp type echo-request counter\n }\n}\n");
	const char *del[] = { "nft", "delete", "table", "ip", "azlabprobe", NULL };
	char out[512];
	azlab_run_ns(ns, del, NULL, out, sizeof out);
	const char *argv[] = { "nft", "-f", "-", NULL };
	return azlab_run_ns(ns, argv, rule, out, sizeof out) == 0;
}

static long probe_end(const char *ns)
{
	char out[2048];
	const char *argv[] = { "nft", "list", "table", "ip", "azlabprobe", NULL };
	long n = -1;
	if (azlab_run_ns(ns, argv, NULL, out, sizeof out) == 0) {
		const char *p = strstr(out, "packets ");
		if (p)
			n = atol(p + 8);
	}
	const char *del[] = { "nft", "delete", "table", "ip", "azlabprobe", NULL };
	azlab_run_ns(ns, del, NULL, out, sizeof out);
	return n;
}

static bool live_flow(struct live *l, const struct azlab_expect_flow *f, bool want, char *d,
		      size_t cap)
{
	struct azlab_endpoint ep, at;
	uint32_t dst;
	char ns[AZLAB_NS_MAX], atns[AZLAB_NS_MAX] = "", ib[AZLAB_IPSTR];
	if (!azlab_model_endpoint(l->m, f->from, &ep)) {
		azlab_sfmt(d, cap, "unknown sender %s", f->from);
		return false;
	}
	if (!azlab_model_address(l->m, f->to, &dst)) {
		azlab_sfmt(d, cap, "unknown destination %s", f->to);
		return false;
	}
	ep_ns(l, &ep, ns, sizeof ns);
	bool probing = want && f->at && azlab_model_endpoint(l->m, f->at, &at);
	if (probing) {
		ep_ns(l, &at, atns, sizeof atns);
		probing = probe_begin(atns, f->has_source ? f->source : 0);
	}
	bool ok = ping_wait(ping_start(ns, dst));
	long seen = probing ? probe_end(atns) : -1;
	if (!want) {
		azlab_sfmt(d, cap, ok ? "live: ping %s from %s is answered" : "live: no answer (ping)",
			 azlab_ip_fmt(dst, ib), f->from);
		return !ok;
	}
	if (!ok) {
		azlab_sfmt(d, cap, "live: ping %s from %s gets no answer", azlab_ip_fmt(dst, ib), f->from);
		return false;
	}
	if (probing && seen <= 0) {
		char sb[AZLAB_IPSTR];
		azlab_sfmt(d, cap, "live: answered, but %s saw no echo request%s%s", f->at,
			 f->has_source ? " from " : "", f->has_source ? azlab_ip_fmt(f->source, sb) : "");
		return false;
	}
	if (probing) {
		char sb[AZLAB_IPSTR];
		azlab_sfmt(d, cap, "live: ping answered; %s received it%s%s", f->at,
			 f->has_source ? " from " : "", f->has_source ? azlab_ip_fmt(f->source, sb) : "");
	} else {
		azlab_sfmt(d, cap, "live: ping answered");
	}
	return true;
}

static bool live_trace_check(struct live *l, const struct azlab_expect_trace *tr, char *d,
			     size_t cap)
{
	struct azlab_endpoint ep;
	uint32_t dst;
	char ns[AZLAB_NS_MAX], hops[AZLAB_MAX_HOPS][AZLAB_IPSTR], got[512], want[512];
	if (!azlab_model_endpoint(l->m, tr->from, &ep) || !azlab_model_address(l->m, tr->to, &dst)) {
		azlab_sfmt(d, cap, "unknown sender or destination");
		return false;
	}
	ep_ns(l, &ep, ns, sizeof ns);
	size_t max = tr->n_hops + 3 < 8 ? 8 : tr->n_hops + 3;
	size_t n = traceroute(ns, dst, hops, max, NULL, 0);
	hops_text(hops, n, got, sizeof got);
	size_t used = 0;
	want[0] = '\0';
	for (size_t i = 0; i < tr->n_hops && used + 1 < sizeof want; i++)
		used += (size_t)azlab_sfmt(want + used, sizeof want - used, "%s%s", i ? " " : "",
					 tr->hops[i]);
	bool ok = n == tr->n_hops;
	for (size_t i = 0; ok && i < n; i++)
		ok = !strcmp(hops[i], tr->hops[i]);
	azlab_sfmt(d, cap, "live traceroute: %s%s%s", got, ok ? "" : ", expected ", ok ? "" : want);
	return ok;
}

/* What the Route Server instances really sent the NVA (their Adj-RIB-Out,
 * from the supervisor's state): true when the expectation holds for every
 * instance with an Established session. */
static bool rs_sent(struct live *l, const struct azlab_expect_bgp *b, char *d, size_t cap)
{
	char pb[AZLAB_PFXSTR], want[256];
	azlab_pfx_fmt(b->prefix, pb);
	azlab_aspath_fmt(b->as_path, b->n_as_path, want, sizeof want);
	json_object *ss = jget(l->st, "sessions");
	int up = 0, good = 0;
	struct strbuf seen = STRBUF_INIT;
	for (size_t i = 0; ss && i < json_object_array_length(ss); i++) {
		json_object *x = json_object_array_get_idx(ss, i);
		if (strcmp(jstr(x, "routeServer"), b->route_server) || strcmp(jstr(x, "vm"), b->nva) ||
		    strcmp(jstr(x, "state"), "Established"))
			continue;
		up++;
		json_object *p = jget(jget(x, "advertised"), pb);
		const char *path = p ? json_object_get_string(p) : NULL;
		char full[300];
		/* shown before the speaker prepends its own AS */
		azlab_sfmt(full, sizeof full, "%u%s%s", AZLAB_ASN_AZURE, path && *path ? " " : "",
			   path ? path : "");
		if (path)
			strbuf_printf(&seen, "%s[%s]", seen.len ? " " : "", full);
		if (b->absent ? !path : path && (!b->has_as_path || !strcmp(full, want)))
			good++;
	}
	azlab_sfmt(d, cap, "live: %d instance%s sent %s", up, up == 1 ? "" : "s",
		   seen.len ? strbuf_str(&seen) : "nothing for this prefix");
	strbuf_free(&seen);
	return up > 0 && good == up;
}

/* ---- the BGP RIB of a router program in a VM or a site ---- */

struct rib_path {
	struct azlab_pfx prefix;
	char peer[AZLAB_IPSTR];
	char path[256];
};

struct rib {
	struct rib_path *v;
	size_t n;
};

static const char *sw_name(int sw)
{
	return sw == AZLAB_SW_NVAD ? "nvad" : sw == AZLAB_SW_FRR ? "FRR" : "BIRD";
}

static bool rib_add(struct rib *r, const char *prefix, const char *peer, const char *path)
{
	struct azlab_pfx p;
	if (!azlab_pfx_parse(prefix, &p))
		return true; /* not IPv4 unicast: not ours to compare */
	void *v = realloc(r->v, (r->n + 1) * sizeof *r->v);
	if (!v)
		return false;
	r->v = v;
	struct rib_path *e = &r->v[r->n++];
	e->prefix = p;
	azlab_sfmt(e->peer, sizeof e->peer, "%s", peer);
	azlab_sfmt(e->path, sizeof e->path, "%s", path);
	return true;
}

/* `show ip bgp json` of nvactl and vtysh: "routes": { PREFIX: [ { "peerId",
 * "path" } ] } */
static bool rib_from_json(struct rib *r, const char *text)
{
	json_object *root = json_tokener_parse(text);
	json_object *routes = jget(root, "routes");
	bool ok = routes && json_object_is_type(routes, json_type_object);
	if (ok) {
		json_object_object_foreach(routes, key, val)
		{
			for (size_t i = 0; json_object_is_type(val, json_type_array) &&
					   i < json_object_array_length(val);
			     i++) {
				json_object *p = json_object_array_get_idx(val, i);
				ok &= rib_add(r, key, jstr(p, "peerId"), jstr(p, "path"));
			}
		}
	}
	json_object_put(root);
	return ok;
}

/* birdc `show route all` (a prefix at the start of a line, each path's
 * "[PROTOCOL ...", its "BGP.as_path: ...") with the neighbor address of each
 * protocol from `show protocols all` ("Neighbor address: ..."). */
static bool rib_from_bird(struct rib *r, char *routes, char *protocols)
{
	char names[64][64], addrs[64][AZLAB_IPSTR], proto[64] = "", prefix[AZLAB_PFXSTR] = "";
	size_t n = 0;
	for (char *save = NULL, *l = strtok_r(protocols, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		char a[AZLAB_IPSTR];
		if (*l != ' ' && n < 64 && sscanf(l, "%63s", names[n]) == 1)
			addrs[n++][0] = '\0';
		else if (n && sscanf(l, " Neighbor address: %15s", a) == 1)
			azlab_sfmt(addrs[n - 1], sizeof addrs[n - 1], "%s", a);
	}
	bool ok = true;
	for (char *save = NULL, *l = strtok_r(routes, "\n", &save); l && ok;
	     l = strtok_r(NULL, "\n", &save)) {
		char *br = strchr(l, '[');
		if (*l != ' ' && *l != '\t')
			sscanf(l, "%18s", prefix);
		if (br && *l != '\t')
			sscanf(br + 1, "%63[^] ]", proto);
		const char *key = "\tBGP.as_path:";
		if (strncmp(l, key, strlen(key)) != 0)
			continue;
		const char *path = l + strlen(key) + (l[strlen(key)] == ' ');
		for (size_t i = 0; i < n; i++)
			if (!strcmp(names[i], proto) && addrs[i][0])
				ok = rib_add(r, prefix, addrs[i], path);
	}
	return ok;
}

static int rib_cmp(const void *a, const void *b)
{
	const struct rib_path *x = a, *y = b;
	if (x->prefix.addr != y->prefix.addr)
		return x->prefix.addr < y->prefix.addr ? -1 : 1;
	return (int)x->prefix.len - (int)y->prefix.len;
}

/* Every BGP path that the router program of VM or site `name` holds (asked
 * in its namespace ns: nvactl, vtysh or birdc on the sockets start_router
 * gave it), in prefix order. False when it cannot be asked. */
static bool router_rib(struct live *l, const char *name, const char *ns, int sw, struct rib *r)
{
	char prog[PATH_MAX + 16], dir[PATH_MAX], sock[PATH_MAX + 16];
	azlab_sfmt(dir, sizeof dir, "%s/%s", l->n.dir, name);
	if (sw == AZLAB_SW_NVAD) {
		azlab_sfmt(prog, sizeof prog, "%s", jstr(l->st, "nvad"));
		char *slash = strrchr(prog, '/');
		if (!slash)
			return false;
		azlab_sfmt(slash + 1, sizeof prog - (size_t)(slash + 1 - prog), "nvactl");
		azlab_sfmt(sock, sizeof sock, "%s/nvad.sock", dir);
	} else if (sw == AZLAB_SW_FRR) {
		azlab_sfmt(prog, sizeof prog, "/usr/bin/vtysh"); /* FRR's vty sockets are in dir */
	} else if (sw == AZLAB_SW_BIRD) {
		azlab_sfmt(prog, sizeof prog, "/usr/sbin/birdc");
		azlab_sfmt(sock, sizeof sock, "%s/bird.ctl", dir);
	} else {
		return false;
	}
	if (access(prog, X_OK) != 0)
		return false;
	const char *nv_argv[] = { prog, "--socket", sock, "show", "ip", "bgp", "json", NULL };
	const char *frr_argv[] = { prog, "--vty_socket", dir, "-c", "show ip bgp json", NULL };
	const char *bird_routes[] = { prog, "-s", sock, "show", "route", "all", NULL };
	const char *bird_protos[] = { prog, "-s", sock, "show", "protocols", "all", NULL };
	size_t cap = 1 << 20;
	char *out = malloc(cap), *out2 = sw == AZLAB_SW_BIRD ? malloc(cap) : NULL;
	bool ok = out && (sw != AZLAB_SW_BIRD || out2);
	if (ok && sw == AZLAB_SW_BIRD)
		ok = azlab_run_ns(ns, bird_routes, NULL, out, cap) == 0 &&
		     azlab_run_ns(ns, bird_protos, NULL, out2, cap) == 0 &&
		     rib_from_bird(r, out, out2);
	else if (ok)
		ok = azlab_run_ns(ns, sw == AZLAB_SW_NVAD ? nv_argv : frr_argv, NULL, out, cap) == 0 &&
		     rib_from_json(r, out);
	free(out);
	free(out2);
	if (!ok) {
		free(r->v);
		*r = (struct rib){ 0 };
		return false;
	}
	if (r->n)
		qsort(r->v, r->n, sizeof *r->v, rib_cmp);
	return true;
}

/* What an NVA running nvad, FRR or BIRD really received from the Route
 * Server (its RIB, router_rib). -1 when it cannot be asked. */
static int nva_received(struct live *l, const struct azlab_expect_bgp *b, char *d, size_t cap)
{
	int vm = azlab_topo_vm(l->t, b->nva), rs = azlab_topo_route_server(l->t, b->route_server);
	if (vm < 0 || rs < 0 || !l->t->vms[vm].nva)
		return -1;
	int sw = l->t->vms[vm].nva->software;
	char ns[AZLAB_NS_MAX], pb[AZLAB_PFXSTR], ib[AZLAB_IPSTR], want[256];
	struct rib r = { 0 };
	azlab_fabric_vm_ns(&l->n, l->t, vm, ns, sizeof ns);
	if (!router_rib(l, b->nva, ns, sw, &r))
		return -1;
	azlab_pfx_fmt(b->prefix, pb);
	azlab_aspath_fmt(b->as_path, b->n_as_path, want, sizeof want);
	int from = 0, match = 0;
	char seen[256] = "";
	for (size_t i = 0; i < r.n; i++) {
		const struct rib_path *p = &r.v[i];
		bool ours = false;
		for (int k = 0; k < 2; k++)
			ours |= !strcmp(p->peer, azlab_ip_fmt(l->t->route_servers[rs].ips[k], ib));
		if (!ours || !azlab_pfx_eq(p->prefix, b->prefix))
			continue;
		from++;
		azlab_sfmt(seen, sizeof seen, "%s", p->path);
		if (!b->has_as_path || !strcmp(p->path, want))
			match++;
	}
	free(r.v);
	int ok = b->absent ? from == 0 : match > 0;
	azlab_sfmt(d, cap, "%s's %s: %s", b->nva, sw_name(sw),
		 from ? "" : "not in its RIB (dropped by its inbound policy?)");
	if (from)
		azlab_sfmt(d + strlen(d), cap - strlen(d), "%d path%s from the Route Server, path %s", from,
			 from == 1 ? "" : "s", seen);
	return ok;
}

/* A site whose CE runs software: what its BGP RIB holds from the MSEE
 * (router_rib) against what the model says
 * the MSEE sends the site (R-C3), prefix and path. -1 when it cannot be
 * asked. */
static int site_learned_check(struct live *l, int si, char *d, size_t cap)
{
	const struct azlab_site *st = &l->t->sites[si];
	if (!azlab_site_runs_ce(st))
		return -1;
	char ns[AZLAB_NS_MAX], ib[AZLAB_IPSTR];
	struct rib r = { 0 };
	azlab_ns_name(&l->n, st->name, ns, sizeof ns);
	if (!router_rib(l, st->name, ns, st->software, &r))
		return -1;
	uint32_t ce, me;
	azlab_site_link(si, &ce, &me);
	azlab_ip_fmt(me, ib);
	struct strbuf live = STRBUF_INIT, model = STRBUF_INIT;
	for (size_t i = 0; i < r.n; i++) {
		char pb[AZLAB_PFXSTR];
		if (!strcmp(r.v[i].peer, ib))
			strbuf_printf(&live, "%s%s [%s]", live.len ? " " : "",
				      azlab_pfx_fmt(r.v[i].prefix, pb), r.v[i].path);
	}
	free(r.v);
	/* the model's list in prefix order, as the RIBs print */
	const struct azlab_rlist *ml = azlab_model_site_learned(l->m, si);
	size_t n = ml ? ml->n : 0;
	bool *done = calloc(n + 1, sizeof *done);
	for (size_t k = 0; done && k < n; k++) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (!done[i] && (best == n || ml->v[i].prefix.addr < ml->v[best].prefix.addr ||
					 (ml->v[i].prefix.addr == ml->v[best].prefix.addr &&
					  ml->v[i].prefix.len < ml->v[best].prefix.len)))
				best = i;
		done[best] = true;
		char pb[AZLAB_PFXSTR], ab[256];
		azlab_aspath_fmt(ml->v[best].as_path, ml->v[best].n_as, ab, sizeof ab);
		strbuf_printf(&model, "%s%s [%s]", model.len ? " " : "",
			      azlab_pfx_fmt(ml->v[best].prefix, pb), ab);
	}
	free(done);
	bool ok = !live.oom && !model.oom && !strcmp(strbuf_str(&live), strbuf_str(&model));
	if (ok)
		azlab_sfmt(d, cap, "live: its %s learned from the MSEE %s, as the model says",
			   sw_name(st->software),
			   live.len ? strbuf_str(&live) : "nothing");
	else
		azlab_sfmt(d, cap, "live: its %s learned from the MSEE %s; the model says %s",
			   sw_name(st->software),
			   live.len ? strbuf_str(&live) : "nothing",
			   model.len ? strbuf_str(&model) : "nothing");
	strbuf_free(&live);
	strbuf_free(&model);
	return ok;
}

int azlab_live_test(const char *file, const struct azlab_live_opts *o)
{
	struct azlab_lab_names n;
	struct azlab_live_opts oo = *o;
	if (!resolve_lab(file, true, &oo, &n))
		return -1;
	struct live l;
	int rc = live_open(&l, &n);
	if (rc)
		return rc > 0 ? -1 : 2;
	/* the expectations come from FILE; the lab runs its own copy */
	struct azlab_diag errs = AZLAB_DIAG_INIT;
	struct azlab_topo *ft = azlab_topo_load(file, &errs);
	azlab_diag_free(&errs);
	if (!ft) {
		live_free(&l);
		return 2;
	}
	printf("live lab %s (%s)\n", n.name, jstr(l.st, "phase"));
	size_t pass = 0, fail = 0;
	char desc[256], detail[2048];
	for (size_t i = 0; i < ft->n_expects; i++) {
		const struct azlab_expect *e = &ft->expects[i];
		azlab_expect_describe(e, desc, sizeof desc);
		bool ok;
		if (e->reach)
			ok = live_flow(&l, e->reach, true, detail, sizeof detail);
		else if (e->no_reach)
			ok = live_flow(&l, e->no_reach, false, detail, sizeof detail);
		else if (e->trace)
			ok = live_trace_check(&l, e->trace, detail, sizeof detail);
		else {
			/* routes and the Route Servers' tables: the model of the live feed */
			ok = azlab_expect_eval(l.m, e, detail, sizeof detail);
			if (e->bgp && e->bgp->direction == 0) {
				char d2[512];
				bool sent = rs_sent(&l, e->bgp, d2, sizeof d2);
				ok = ok && sent;
				size_t len = strlen(detail);
				azlab_sfmt(detail + len, sizeof detail - len, "; %s", d2);
				/* and, for nvad, FRR and BIRD, whether it kept them (its
				 * policy, RFC 8212) */
				if (nva_received(&l, e->bgp, d2, sizeof d2) >= 0) {
					len = strlen(detail);
					azlab_sfmt(detail + len, sizeof detail - len, "; %s", d2);
				}
			}
		}
		printf("%s %s:%u: %s: %s\n", ok ? "PASS" : "FAIL", ft->file, e->loc.line, desc, detail);
		if (ok)
			pass++;
		else
			fail++;
	}
	/* the CE routers that run software: what their BGP holds from the MSEE */
	for (size_t si = 0; si < l.t->n_sites; si++) {
		int r = site_learned_check(&l, (int)si, detail, sizeof detail);
		if (r < 0) {
			if (azlab_site_runs_ce(&l.t->sites[si])) {
				printf("FAIL %s:%u: site %s: its CE router cannot be asked\n", ft->file,
				       l.t->sites[si].loc.line, l.t->sites[si].name);
				fail++;
			}
			continue;
		}
		printf("%s %s:%u: site %s: %s\n", r ? "PASS" : "FAIL", ft->file, l.t->sites[si].loc.line,
		       l.t->sites[si].name, detail);
		if (r)
			pass++;
		else
			fail++;
	}
	printf("%zu passed, %zu failed\n", pass, fail);
	azlab_topo_free(ft);
	live_free(&l);
	return fail ? 1 : 0;
}

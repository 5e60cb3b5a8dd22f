/* fabric.c: the live lab's network: one namespace per VM, Route Server
 * instance, MSEE (one per circuit), site router and site host, and one fabric
 * namespace playing the Azure SDN. In the fabric each subnet has its own
 * routing table chosen by the ingress interface and holding the subnet's
 * Active effective routes from the model; nftables enforce the NIC and
 * peering rules and Private Link's NAT; iptables' TTL target keeps the
 * fabric out of traceroute (R-A13), and an MSEE is the one silent hop of an
 * ExpressRoute traversal (R-C7). Nothing is attached to the host's links. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "azlab/live.h"
#include "lib/strbuf.h"

int azlab_sfmt(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- running programs ---- */

static int run_log_fd = STDERR_FILENO;

void azlab_run_log(int fd)
{
	run_log_fd = fd;
}

static int run_in(const char *ns, const char *const *argv, const char *input, char *out, size_t cap)
{
	int in[2] = { -1, -1 }, op[2] = { -1, -1 };
	if (out && cap)
		out[0] = '\0';
	if (input && pipe2(in, O_CLOEXEC) < 0)
		return -1;
	if (out && pipe2(op, O_CLOEXEC) < 0) {
		if (input) {
			close(in[0]);
			close(in[1]);
		}
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (ns) {
			char path[300];
			azlab_sfmt(path, sizeof path, "/run/netns/%s", ns);
			int fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
				dprintf(out ? op[1] : run_log_fd, "azlab: namespace %s: %s\n", ns,
					strerror(errno));
				_exit(126);
			}
		}
		int nul = open("/dev/null", O_RDWR);
		dup2(input ? in[0] : nul, STDIN_FILENO);
		dup2(out ? op[1] : run_log_fd, STDOUT_FILENO);
		dup2(out ? op[1] : run_log_fd, STDERR_FILENO);
		signal(SIGPIPE, SIG_DFL);
		execvp(argv[0], (char *const *)argv);
		dprintf(STDERR_FILENO, "azlab: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	if (input) {
		close(in[0]);
		size_t len = strlen(input), off = 0;
		while (off < len) {
			ssize_t w = write(in[1], input + off, len - off);
			if (w <= 0) {
				if (w < 0 && errno == EINTR)
					continue;
				break;
			}
			off += (size_t)w;
		}
		close(in[1]);
	}
	if (out) {
		close(op[1]);
		size_t used = 0;
		char sink[512];
		for (;;) {
			char *dst = used + 1 < cap ? out + used : sink;
			size_t room = used + 1 < cap ? cap - 1 - used : sizeof sink;
			ssize_t r = read(op[0], dst, room);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			if (dst != sink)
				used += (size_t)r;
		}
		if (cap)
			out[used < cap ? used : cap - 1] = '\0';
		close(op[0]);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int azlab_run(const char *const *argv, const char *input, char *out, size_t cap)
{
	return run_in(NULL, argv, input, out, cap);
}

int azlab_run_ns(const char *ns, const char *const *argv, const char *input, char *out,
		 size_t cap)
{
	return run_in(ns, argv, input, out, cap);
}

/* ---- names ---- */

bool azlab_lab_names(const char *name, struct azlab_lab_names *out, char *err, size_t cap)
{
	size_t len = name ? strlen(name) : 0;
	if (len == 0 || len > AZLAB_NAME_MAX) {
		azlab_sfmt(err, cap, "lab name \"%s\": 1 to %d characters expected", name ? name : "",
			 AZLAB_NAME_MAX);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.')) {
			azlab_sfmt(err, cap,
				 "lab name \"%s\": only letters, digits, '-', '_' and '.' are allowed",
				 name);
			return false;
		}
	}
	if (name[0] == '.') {
		azlab_sfmt(err, cap, "lab name \"%s\" must not start with '.'", name);
		return false;
	}
	memset(out, 0, sizeof *out);
	memcpy(out->name, name, len);
	azlab_sfmt(out->dir, sizeof out->dir, "%s/%s", AZLAB_RUN_DIR, name);
	return true;
}

void azlab_ns_name(const struct azlab_lab_names *n, const char *what, char *buf, size_t cap)
{
	azlab_sfmt(buf, cap, "azl-%s-%s", n->name, what);
}

void azlab_record(const struct azlab_lab_names *n, const char *file, const char *line)
{
	char path[320];
	azlab_sfmt(path, sizeof path, "%s/%s", n->dir, file);
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	dprintf(fd, "%s\n", line);
	fsync(fd);
	close(fd);
}

void azlab_fabric_vm_ns(const struct azlab_lab_names *n, const struct azlab_topo *t, int vm,
			char *buf, size_t cap)
{
	azlab_ns_name(n, t->vms[vm].name, buf, cap);
}

void azlab_fabric_rs_ns(const struct azlab_lab_names *n, const struct azlab_topo *t, int rs,
			int inst, char *buf, size_t cap)
{
	char what[200];
	azlab_sfmt(what, sizeof what, "rs-%s-%d", t->route_servers[rs].name, inst);
	azlab_ns_name(n, what, buf, cap);
}

static void msee_ns(const struct azlab_lab_names *n, const struct azlab_topo *t, int c, char *buf,
		    size_t cap)
{
	char what[200];
	azlab_sfmt(what, sizeof what, "msee-%s", t->circuits[c].name);
	azlab_ns_name(n, what, buf, cap);
}

bool azlab_fabric_endpoint_ns(const struct azlab_lab_names *n, const struct azlab_topo *t,
			      const char *name, char *buf, size_t cap)
{
	if (azlab_topo_vm(t, name) >= 0) {
		azlab_ns_name(n, name, buf, cap);
		return true;
	}
	for (size_t s = 0; s < t->n_sites; s++) {
		if (!strcmp(t->sites[s].name, name)) {
			azlab_ns_name(n, name, buf, cap);
			return true;
		}
		for (size_t h = 0; h < t->sites[s].n_hosts; h++)
			if (!strcmp(t->sites[s].hosts[h].name, name)) {
				azlab_ns_name(n, name, buf, cap);
				return true;
			}
	}
	return false;
}

/* Every namespace of the lab, in build order. */
struct ns_list {
	char (*v)[AZLAB_NS_MAX];
	size_t n;
};

static bool ns_push(struct ns_list *l, const char *name)
{
	void *p = realloc(l->v, (l->n + 1) * sizeof *l->v);
	if (!p)
		return false;
	l->v = p;
	azlab_sfmt(l->v[l->n++], AZLAB_NS_MAX, "%s", name);
	return true;
}

static bool all_namespaces(const struct azlab_topo *t, const struct azlab_lab_names *n,
			   struct ns_list *l)
{
	char b[AZLAB_NS_MAX];
	bool ok = true;
	azlab_ns_name(n, "fabric", b, sizeof b);
	ok &= ns_push(l, b);
	for (size_t v = 0; v < t->n_vms; v++) {
		azlab_fabric_vm_ns(n, t, (int)v, b, sizeof b);
		ok &= ns_push(l, b);
	}
	for (size_t r = 0; r < t->n_route_servers; r++)
		for (int i = 0; i < 2; i++) {
			azlab_fabric_rs_ns(n, t, (int)r, i, b, sizeof b);
			ok &= ns_push(l, b);
		}
	for (size_t c = 0; c < t->n_circuits; c++) {
		msee_ns(n, t, (int)c, b, sizeof b);
		ok &= ns_push(l, b);
	}
	for (size_t s = 0; s < t->n_sites; s++) {
		azlab_ns_name(n, t->sites[s].name, b, sizeof b);
		ok &= ns_push(l, b);
		for (size_t h = 0; h < t->sites[s].n_hosts; h++) {
			azlab_ns_name(n, t->sites[s].hosts[h].name, b, sizeof b);
			ok &= ns_push(l, b);
		}
	}
	return ok;
}

bool azlab_fabric_check_names(const struct azlab_topo *t, const struct azlab_lab_names *n, char *err,
			      size_t cap)
{
	struct ns_list l = { 0 };
	if (!all_namespaces(t, n, &l)) {
		free(l.v);
		azlab_sfmt(err, cap, "out of memory");
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < l.n && ok; i++) {
		if (strlen(l.v[i]) >= AZLAB_NS_MAX - 1 || strchr(l.v[i], '/')) {
			azlab_sfmt(err, cap, "namespace name %s is too long or has a '/'", l.v[i]);
			ok = false;
		}
		for (size_t j = i + 1; j < l.n && ok; j++)
			if (!strcmp(l.v[i], l.v[j])) {
				azlab_sfmt(err, cap,
					 "two objects of the topology would share the namespace %s: rename one",
					 l.v[i]);
				ok = false;
			}
	}
	free(l.v);
	return ok;
}

/* ---- the fabric ---- */

#define TABLE_BASE 1000
#define PROBE_TABLE 999 /* the health probes' routes (R-E4) */
#define ER_FABRIC_IP "169.254.0.1" /* the fabric's end of every internal link */
#define ER_FAR_IP "169.254.0.2"    /* an MSEE's or site router's end */
#define PA_MAC "02:a1:00:00:%02zx:%02zx"
#define PB_MAC "02:b1:00:00:%02zx:%02zx"

struct azlab_fabric {
	const struct azlab_topo *t;
	struct azlab_lab_names n;
	char fabric[AZLAB_NS_MAX];
	int *subnet_base; /* per VNet: the flat index of its first subnet */
	size_t n_subnets;
	char **table_text; /* per flat subnet: what is installed */
	char **msee_text;  /* per circuit */
	char **site_text;  /* per site */
	char *lb_text;     /* table azlablb as installed */
};

static int table_of(const struct azlab_fabric *f, int vnet, int subnet)
{
	return TABLE_BASE + f->subnet_base[vnet] + subnet;
}

static char *ipstr(uint32_t ip, char *b)
{
	return azlab_ip_fmt(ip, b);
}

/* The subnet's gateway address, .1 (R-A12). */
static uint32_t subnet_gw(const struct azlab_subnet *s)
{
	return s->prefix.addr + 1;
}

static int batch(const char *ns, struct strbuf *b, char *err, size_t cap, const char *what)
{
	if (b->oom) {
		azlab_sfmt(err, cap, "%s: out of memory", what);
		return -1;
	}
	if (!b->len)
		return 0;
	char out[2048];
	const char *argv[] = { "ip", "-force", "-n", ns, "-batch", "-", NULL };
	int rc = azlab_run(argv, strbuf_str(b), out, sizeof out);
	if (rc != 0) {
		azlab_sfmt(err, cap, "%s (in %s): ip -batch failed: %.1500s", what, ns, out);
		return -1;
	}
	return 0;
}

static int run_ns_checked(const char *ns, const char *const *argv, const char *input, char *err,
			  size_t cap, const char *what)
{
	char out[2048];
	int rc = azlab_run_ns(ns, argv, input, out, sizeof out);
	if (rc != 0) {
		azlab_sfmt(err, cap, "%s (in %s): %s exited %d: %.1500s", what, ns, argv[0], rc, out);
		return -1;
	}
	return 0;
}

static int sysctls(const char *ns, const char *const *kv, char *err, size_t cap)
{
	const char *argv[24] = { "sysctl", "-qw" };
	size_t k = 2;
	for (; *kv && k < 23; kv++)
		argv[k++] = *kv;
	argv[k] = NULL;
	return run_ns_checked(ns, argv, NULL, err, cap, "sysctl");
}

/* The interface in the fabric for VM v: "n<v>"; Route Server instance:
 * "r<rs>i<i>"; gateway g's connection c: "g<g>c<c>"; Private Endpoint p's
 * hairpin: "pa<p>" (consumer end) and "pb<p>" (provider end). */

/* The subnet's prefix length for an address that is in no subnet: /24. */
static uint8_t site_plen(const struct azlab_site *s, uint32_t ip)
{
	for (size_t i = 0; i < s->n_prefixes; i++)
		if (azlab_pfx_has(s->prefixes[i], ip))
			return s->prefixes[i].len;
	return 24;
}

void azlab_site_link(int s, uint32_t *ce, uint32_t *msee)
{
	uint32_t base = (169u << 24) | (254u << 16) | ((uint32_t)(s / 64 + 1) << 8) |
			(uint32_t)(4 * (s % 64));
	*ce = base + 1;
	*msee = base + 2;
}

static uint32_t site_router(const struct azlab_site *s)
{
	if (s->has_router_ip)
		return s->router_ip;
	return s->n_prefixes ? s->prefixes[0].addr + 1 : 0;
}

/* The first backend of the load balancer behind PLS p, -1. */
static int pls_backend(const struct azlab_topo *t, int pls)
{
	if (pls < 0 || (size_t)pls >= t->n_pls)
		return -1;
	int lb = t->pls[pls].lb;
	if (lb < 0 || (size_t)lb >= t->n_lbs || !t->lbs[lb].n_backends || !t->lbs[lb].backend_vms)
		return -1;
	return t->lbs[lb].backend_vms[0];
}

static bool build_fabric_nft(struct azlab_fabric *f, char *err, size_t cap)
{
	const struct azlab_topo *t = f->t;
	struct strbuf b = STRBUF_INIT;
	char ib[AZLAB_IPSTR], pb[AZLAB_PFXSTR];
	/* the fabric answers nothing and sends nothing (R-A13), but for the
	 * load balancers' health probes from 168.63.129.16 (R-E4) */
	strbuf_puts(&b, "table ip azlab {\n"
			" chain input { type filter hook input priority 0; policy drop;\n"
			"  ip daddr " AZLAB_PROBE_SRC " meta l4proto tcp accept\n }\n"
			" chain output { type filter hook output priority 0; policy drop;\n"
			"  ip saddr " AZLAB_PROBE_SRC " meta l4proto tcp accept\n }\n"
			" chain forward { type filter hook forward priority 0; policy accept;\n"
			/* R-A14 */
			"  ip daddr { 127.0.0.0/8, 169.254.0.0/16, 224.0.0.0/4, 255.255.255.255 } drop\n"
			/* nor from a link-local source (a tunnel's address, R-F3) */
			"  ip saddr { 127.0.0.0/8, 169.254.0.0/16 } drop\n"
			"  ip protocol { gre, ipencap } drop\n");
	/* R-F1: a NIC without IP forwarding sends only from and receives only
	 * for its own address. */
	for (size_t v = 0; v < t->n_vms; v++) {
		if (t->vms[v].ip_forwarding)
			continue;
		ipstr(t->vms[v].ip, ib);
		strbuf_printf(&b, "  iifname \"n%zu\" ip saddr != %s drop\n", v, ib);
		strbuf_printf(&b, "  oifname \"n%zu\" ip daddr != %s drop\n", v, ib);
	}
	/* R-B2, R-B3: what crosses a peering from NIC to NIC. */
	for (size_t p = 0; p < t->n_peerings; p++) {
		const struct azlab_peering *pe = &t->peerings[p];
		int x = pe->vnet, y = pe->remote;
		if (x < 0 || y < 0 || (pe->access && pe->forwarded))
			continue;
		struct strbuf nx = STRBUF_INIT, ny = STRBUF_INIT, ry = STRBUF_INIT;
		for (size_t v = 0; v < t->n_vms; v++) {
			if (t->vms[v].vnet == x)
				strbuf_printf(&nx, "%s\"n%zu\"", nx.len ? ", " : "", v);
			if (t->vms[v].vnet == y)
				strbuf_printf(&ny, "%s\"n%zu\"", ny.len ? ", " : "", v);
		}
		for (size_t k = 0; k < t->vnets[y].n_prefixes; k++)
			strbuf_printf(&ry, "%s%s", ry.len ? ", " : "",
				      azlab_pfx_fmt(t->vnets[y].prefixes[k], pb));
		if (nx.len && ny.len) {
			if (!pe->access || pe->reverse < 0)
				strbuf_printf(&b, "  iifname { %s } oifname { %s } drop\n",
					      strbuf_str(&ny), strbuf_str(&nx));
			else if (ry.len)
				strbuf_printf(&b,
					      "  iifname { %s } oifname { %s } ip saddr != { %s } drop\n",
					      strbuf_str(&ny), strbuf_str(&nx), strbuf_str(&ry));
		}
		strbuf_free(&nx);
		strbuf_free(&ny);
		strbuf_free(&ry);
	}
	strbuf_puts(&b, " }\n}\n");
	/* Private Link (R-E1, R-E2): packets for a Private Endpoint leave the
	 * consumer's table by pa<p> and come back by pb<p>, in a conntrack zone
	 * of their own, where the PE address becomes the backend's and the
	 * source one of the PLS NAT addresses; the backend's reply to that
	 * address takes pb<p> back to pa<p>, where conntrack undoes both.
	 * Which backend: the load balancer's rules (azlab_fabric_lb, R-E4).
	 * R-E5: the NATed flow (the entry made at pb<p>) takes an idle
	 * timeout of 300 s, a conntrack timeout policy for TCP established
	 * and UDP (the kernel's defaults: 5 days, 30 s/120 s), set on the new
	 * entry just after conntrack made it (priority -199: the zone already
	 * took the template slot before it). */
	bool nat = false;
	for (size_t p = 0; p < t->n_pes; p++)
		if (pls_backend(t, t->pes[p].pls) >= 0 && t->pls[t->pes[p].pls].n_nat_ips)
			nat = true;
	if (nat) {
		strbuf_printf(&b, "table ip azlabnat {\n"
				  " ct timeout pl-idle-tcp { protocol tcp; l3proto ip; policy = { established: %u }; }\n"
				  " ct timeout pl-idle-udp { protocol udp; l3proto ip; policy = { unreplied: %u, replied: %u }; }\n"
				  " chain idle { type filter hook prerouting priority -199;\n",
			      AZLAB_PL_IDLE_S, AZLAB_PL_IDLE_S, AZLAB_PL_IDLE_S);
		for (size_t p = 0; p < t->n_pes; p++)
			if (pls_backend(t, t->pes[p].pls) >= 0 && t->pls[t->pes[p].pls].n_nat_ips)
				strbuf_printf(&b,
					      "  iifname \"pb%zu\" meta l4proto tcp ct timeout set \"pl-idle-tcp\"\n"
					      "  iifname \"pb%zu\" meta l4proto udp ct timeout set \"pl-idle-udp\"\n",
					      p, p);
		strbuf_puts(&b, " }\n chain raw { type filter hook prerouting priority -300;\n");
		for (size_t p = 0; p < t->n_pes; p++)
			if (pls_backend(t, t->pes[p].pls) >= 0 && t->pls[t->pes[p].pls].n_nat_ips)
				strbuf_printf(&b,
					      "  iifname \"pb%zu\" meta mark set %zu ct zone set %zu\n"
					      "  iifname \"pa%zu\" ct zone set %zu\n",
					      p, 0x100 + p, p + 1, p, p + 1);
		/* the PE's address becomes a backend's in table azlablb (R-E4) */
		strbuf_puts(&b, " }\n chain post { type nat hook postrouting priority 100;\n");
		for (size_t p = 0; p < t->n_pes; p++) {
			int be = pls_backend(t, t->pes[p].pls);
			if (be < 0 || !t->pls[t->pes[p].pls].n_nat_ips)
				continue;
			strbuf_printf(&b, "  meta mark %zu snat to %s\n", 0x100 + p,
				      ipstr(t->pls[t->pes[p].pls].nat_ips[0], ib));
		}
		strbuf_puts(&b, " }\n}\n");
	}
	if (b.oom) {
		strbuf_free(&b);
		azlab_sfmt(err, cap, "out of memory");
		return false;
	}
	const char *argv[] = { "nft", "-f", "-", NULL };
	int rc = run_ns_checked(f->fabric, argv, strbuf_str(&b), err, cap, "the fabric's nftables");
	strbuf_free(&b);
	return rc == 0;
}

static bool changed(char **old, const struct strbuf *b);

/* "dnat to" the backends of a load balancer that are up: by a hash of the
 * 5-tuple for TCP and UDP (key "ip saddr . ip daddr . meta l4proto . th
 * sport . th dport"), of the addresses for the rest; "drop" with none. */
static void lb_target(struct strbuf *b, const struct azlab_topo *t, int lb, const bool *up,
		      const char *key)
{
	const struct azlab_load_balancer *l = &t->lbs[lb];
	char ib[AZLAB_IPSTR];
	size_t n = 0;
	for (size_t k = 0; k < l->n_backends; k++)
		n += l->backend_vms[k] >= 0 && (!up || up[k]);
	if (n == 0) {
		strbuf_puts(b, "drop\n");
		return;
	}
	if (n == 1) {
		for (size_t k = 0; k < l->n_backends; k++)
			if (l->backend_vms[k] >= 0 && (!up || up[k]))
				strbuf_printf(b, "dnat to %s\n", ipstr(t->vms[l->backend_vms[k]].ip, ib));
		return;
	}
	strbuf_printf(b, "dnat to jhash %s mod %zu map {", key, n);
	size_t i = 0;
	for (size_t k = 0; k < l->n_backends; k++)
		if (l->backend_vms[k] >= 0 && (!up || up[k])) {
			strbuf_printf(b, "%s %zu : %s", i ? "," : "", i,
				      ipstr(t->vms[l->backend_vms[k]].ip, ib));
			i++;
		}
	strbuf_puts(b, " }\n");
}

/* The rules that send one destination (with match, e.g. an iifname) to
 * load balancer lb's backends (R-E4: HA ports, every TCP and UDP flow by its
 * 5-tuple; other protocols by the addresses). */
static void lb_dest(struct strbuf *b, const struct azlab_topo *t, int lb, const bool *up,
		    const char *match, uint32_t dst)
{
	char ib[AZLAB_IPSTR];
	ipstr(dst, ib);
	strbuf_printf(b, "  %sip daddr %s meta l4proto { tcp, udp } ", match, ib);
	lb_target(b, t, lb, up, "ip saddr . ip daddr . meta l4proto . th sport . th dport");
	strbuf_printf(b, "  %sip daddr %s ", match, ib);
	lb_target(b, t, lb, up, "ip saddr . ip daddr");
}

bool azlab_fabric_lb(struct azlab_fabric *f, bool *const *up, char *err, size_t cap)
{
	const struct azlab_topo *t = f->t;
	struct strbuf b = STRBUF_INIT;
	strbuf_puts(&b, "table ip azlablb\ndelete table ip azlablb\n"
			"table ip azlablb {\n chain pre { type nat hook prerouting priority -100;\n");
	for (size_t i = 0; i < t->n_lbs; i++) {
		if (!t->lbs[i].n_backends)
			continue;
		const bool *u = up ? up[i] : NULL;
		/* the frontend, for clients in the VNet and its peers */
		lb_dest(&b, t, (int)i, u, "", t->lbs[i].frontend_ip);
		/* each Private Endpoint of a Private Link Service on it, as it
		 * comes back by its hairpin (R-E1) */
		for (size_t p = 0; p < t->n_pes; p++) {
			int pl = t->pes[p].pls;
			if (pl < 0 || t->pls[pl].lb != (int)i || !t->pls[pl].n_nat_ips)
				continue;
			char m[32];
			azlab_sfmt(m, sizeof m, "iifname \"pb%zu\" ", p);
			lb_dest(&b, t, (int)i, u, m, t->pes[p].ip);
		}
	}
	strbuf_puts(&b, " }\n}\n");
	int rc = 0;
	if (b.oom) {
		azlab_sfmt(err, cap, "out of memory");
		rc = -1;
	} else if (changed(&f->lb_text, &b)) {
		const char *argv[] = { "nft", "-f", "-", NULL };
		rc = run_ns_checked(f->fabric, argv, strbuf_str(&b), err, cap,
				    "the load balancers' nftables");
		if (rc < 0) { /* try again next time */
			free(f->lb_text);
			f->lb_text = NULL;
		}
	}
	strbuf_free(&b);
	return rc == 0;
}

static bool make_namespaces(struct azlab_fabric *f, char *err, size_t cap)
{
	struct ns_list l = { 0 };
	if (!all_namespaces(f->t, &f->n, &l)) {
		free(l.v);
		azlab_sfmt(err, cap, "out of memory");
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < l.n && ok; i++) {
		char path[300];
		azlab_sfmt(path, sizeof path, "/run/netns/%s", l.v[i]);
		if (access(path, F_OK) == 0) {
			azlab_sfmt(err, cap,
				 "namespace %s exists already (another lab of that name? azlab --name %s down)",
				 l.v[i], f->n.name);
			ok = false;
			break;
		}
		azlab_record(&f->n, "namespaces", l.v[i]);
		const char *add[] = { "ip", "netns", "add", l.v[i], NULL };
		const char *lo[] = { "ip", "-n", l.v[i], "link", "set", "lo", "up", NULL };
		char out[1024];
		if (azlab_run(add, NULL, out, sizeof out) != 0 ||
		    azlab_run(lo, NULL, out, sizeof out) != 0) {
			azlab_sfmt(err, cap, "cannot make namespace %s: %s", l.v[i], out);
			ok = false;
		}
	}
	free(l.v);
	return ok;
}

/* A NIC-like endpoint: veth "eth0" in ns, "ifname" in the fabric with the
 * subnet's .1, the rule that selects the subnet's table. */
static void nic(struct azlab_fabric *f, struct strbuf *fab, const char *ns, const char *ifname,
		uint32_t ip, int vnet, int subnet, unsigned pref, char *err, size_t cap, bool *ok)
{
	const struct azlab_subnet *s = &f->t->vnets[vnet].subnets[subnet];
	char ib[AZLAB_IPSTR], gb[AZLAB_IPSTR];
	ipstr(ip, ib);
	ipstr(subnet_gw(s), gb);
	strbuf_printf(fab, "link add %s type veth peer name eth0 netns %s\n", ifname, ns);
	strbuf_printf(fab, "addr add %s/32 dev %s\n", gb, ifname);
	strbuf_printf(fab, "link set %s up\n", ifname);
	strbuf_printf(fab, "rule add pref %u iif %s lookup %d\n", pref, ifname,
		      table_of(f, vnet, subnet));
	if (!*ok)
		return;
	/* the link must exist before the endpoint's side is set up */
	if (batch(f->fabric, fab, err, cap, "the fabric's links") < 0) {
		*ok = false;
		return;
	}
	strbuf_reset(fab);
	struct strbuf e = STRBUF_INIT;
	strbuf_printf(&e, "addr add %s/%u dev eth0\nlink set eth0 up\nroute add default via %s\n", ib,
		      s->prefix.len, gb);
	if (batch(ns, &e, err, cap, "a NIC") < 0)
		*ok = false;
	strbuf_free(&e);
}

struct azlab_fabric *azlab_fabric_build(const struct azlab_topo *t, const struct azlab_lab_names *n,
					char *err, size_t cap)
{
	struct azlab_fabric *f = calloc(1, sizeof *f);
	if (!f) {
		azlab_sfmt(err, cap, "out of memory");
		return NULL;
	}
	f->t = t;
	f->n = *n;
	azlab_ns_name(n, "fabric", f->fabric, sizeof f->fabric);
	f->subnet_base = calloc(t->n_vnets + 1, sizeof *f->subnet_base);
	for (size_t v = 0; f->subnet_base && v < t->n_vnets; v++) {
		f->subnet_base[v] = (int)f->n_subnets;
		f->n_subnets += t->vnets[v].n_subnets;
	}
	f->table_text = calloc(f->n_subnets + 1, sizeof *f->table_text);
	f->msee_text = calloc(t->n_circuits + 1, sizeof *f->msee_text);
	f->site_text = calloc(t->n_sites + 1, sizeof *f->site_text);
	if (!f->subnet_base || !f->table_text || !f->msee_text || !f->site_text) {
		azlab_sfmt(err, cap, "out of memory");
		azlab_fabric_free(f);
		return NULL;
	}
	if (!make_namespaces(f, err, cap)) {
		azlab_fabric_free(f);
		return NULL;
	}
	bool ok = true;
	static const char *const fab_sys[] = {
		"net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0",
		"net.ipv4.conf.default.rp_filter=0", "net.ipv4.conf.all.send_redirects=0",
		"net.ipv4.conf.default.send_redirects=0", "net.ipv4.conf.default.proxy_arp=1",
		"net.ipv4.conf.all.accept_redirects=0", NULL
	};
	if (sysctls(f->fabric, fab_sys, err, cap) < 0)
		ok = false;
	char ns[AZLAB_NS_MAX];
	struct strbuf fab = STRBUF_INIT;
	unsigned pref = 100;
	for (size_t v = 0; ok && v < t->n_vms; v++) {
		const struct azlab_vm *vm = &t->vms[v];
		azlab_fabric_vm_ns(n, t, (int)v, ns, sizeof ns);
		const char *fwd = vm->nva ? "net.ipv4.ip_forward=1" : "net.ipv4.ip_forward=0";
		const char *vs[] = { fwd, "net.ipv4.icmp_ratelimit=0", "net.ipv4.conf.all.rp_filter=0",
				     "net.ipv4.conf.default.rp_filter=0", NULL };
		if (sysctls(ns, vs, err, cap) < 0) {
			ok = false;
			break;
		}
		char ifn[16];
		azlab_sfmt(ifn, sizeof ifn, "n%zu", v);
		nic(f, &fab, ns, ifn, vm->ip, vm->vnet, vm->subnet, pref++, err, cap, &ok);
	}
	for (size_t r = 0; ok && r < t->n_route_servers; r++) {
		const struct azlab_route_server *rs = &t->route_servers[r];
		int rss = -1;
		for (size_t s = 0; rs->vnet >= 0 && s < t->vnets[rs->vnet].n_subnets; s++)
			if (!strcmp(t->vnets[rs->vnet].subnets[s].name, "RouteServerSubnet"))
				rss = (int)s;
		if (rss < 0 || !rs->has_ips) {
			azlab_sfmt(err, cap, "route server %s: no RouteServerSubnet in its VNet",
				 rs->name);
			ok = false;
			break;
		}
		for (int i = 0; ok && i < 2; i++) {
			azlab_fabric_rs_ns(n, t, (int)r, i, ns, sizeof ns);
			char ifn[16];
			azlab_sfmt(ifn, sizeof ifn, "r%zui%d", r, i);
			nic(f, &fab, ns, ifn, rs->ips[i], rs->vnet, rss, pref++, err, cap, &ok);
		}
	}
	/* ExpressRoute: one link per gateway connection between the fabric and
	 * the MSEE of its circuit; what arrives from a circuit is routed with
	 * the GatewaySubnet's table (R-A11). */
	static const char *const msee_sys[] = { "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0",
						"net.ipv4.conf.default.rp_filter=0",
						"net.ipv4.conf.all.send_redirects=0",
						"net.ipv4.conf.default.send_redirects=0", NULL };
	for (size_t c = 0; ok && c < t->n_circuits; c++) {
		msee_ns(n, t, (int)c, ns, sizeof ns);
		if (sysctls(ns, msee_sys, err, cap) < 0) {
			ok = false;
			break;
		}
		/* The MSEE never answers (R-C7): it originates nothing but its
		 * BGP sessions with the CE routers that run software. */
		struct strbuf nf = STRBUF_INIT, in = STRBUF_INIT, out = STRBUF_INIT;
		for (size_t si = 0; si < t->n_sites; si++)
			if (t->sites[si].circuit == (int)c && azlab_site_runs_ce(&t->sites[si])) {
				strbuf_printf(&in, "  iifname \"s%zu\" tcp dport 179 accept\n"
						   "  iifname \"s%zu\" tcp sport 179 accept\n", si, si);
				strbuf_printf(&out, "  oifname \"s%zu\" tcp sport 179 accept\n"
						    "  oifname \"s%zu\" tcp dport 179 accept\n", si, si);
			}
		strbuf_printf(&nf,
			      "table ip azlab {\n"
			      " chain input { type filter hook input priority 0; policy drop;\n%s }\n"
			      " chain output { type filter hook output priority 0; policy drop;\n%s }\n"
			      "}\n",
			      strbuf_str(&in), strbuf_str(&out));
		const char *argv[] = { "nft", "-f", "-", NULL };
		if (nf.oom || run_ns_checked(ns, argv, strbuf_str(&nf), err, cap,
					     "the MSEE's nftables") < 0)
			ok = false;
		strbuf_free(&nf);
		strbuf_free(&in);
		strbuf_free(&out);
	}
	for (size_t g = 0; ok && g < t->n_gateways; g++) {
		const struct azlab_er_gateway *gw = &t->gateways[g];
		int gws = -1;
		for (size_t s = 0; gw->vnet >= 0 && s < t->vnets[gw->vnet].n_subnets; s++)
			if (!strcmp(t->vnets[gw->vnet].subnets[s].name, "GatewaySubnet"))
				gws = (int)s;
		for (size_t k = 0; ok && k < gw->n_connections; k++) {
			int c = gw->connections[k].circuit;
			if (c < 0)
				continue;
			msee_ns(n, t, c, ns, sizeof ns);
			/* R-C7: MTU 1400 on both ends; the fabric fragments what is
			 * larger, and drops it with DF set (its ICMP is dropped
			 * too: the fabric never answers, R-A13) */
			strbuf_printf(&fab, "link add g%zuc%zu mtu %u type veth peer name g%zuc%zu mtu %u netns %s\n",
				      g, k, AZLAB_ER_MTU, g, k, AZLAB_ER_MTU, ns);
			strbuf_printf(&fab, "addr add " ER_FABRIC_IP "/32 dev g%zuc%zu\n", g, k);
			strbuf_printf(&fab, "link set g%zuc%zu up\n", g, k);
			if (gws >= 0)
				strbuf_printf(&fab, "rule add pref %u iif g%zuc%zu lookup %d\n", pref++, g,
					      k, table_of(f, gw->vnet, gws));
			if (batch(f->fabric, &fab, err, cap, "an ExpressRoute link") < 0) {
				ok = false;
				break;
			}
			strbuf_reset(&fab);
			struct strbuf m = STRBUF_INIT;
			strbuf_printf(&m, "addr add " ER_FAR_IP "/32 dev g%zuc%zu\nlink set g%zuc%zu up\n", g,
				      k, g, k);
			if (batch(ns, &m, err, cap, "an ExpressRoute link") < 0)
				ok = false;
			strbuf_free(&m);
		}
	}
	/* Private Link hairpins. */
	for (size_t p = 0; ok && p < t->n_pes; p++) {
		const struct azlab_pe *pe = &t->pes[p];
		if (pls_backend(t, pe->pls) < 0)
			continue;
		const struct azlab_pls *pls = &t->pls[pe->pls];
		/* fixed MACs: the fabric's routes into a hairpin resolve through
		 * permanent neighbours (a gateway address would be the fabric's own) */
		strbuf_printf(&fab,
			      "link add pa%zu address " PA_MAC " type veth peer name pb%zu address " PB_MAC "\n",
			      p, (p >> 8) & 0xff, p & 0xff, p, (p >> 8) & 0xff, p & 0xff);
		strbuf_printf(&fab, "addr add " ER_FABRIC_IP "/32 dev pa%zu\n", p);
		strbuf_printf(&fab, "addr add " ER_FABRIC_IP "/32 dev pb%zu\n", p);
		strbuf_printf(&fab, "link set pa%zu up\nlink set pb%zu up\n", p, p);
		char ib[AZLAB_IPSTR];
		strbuf_printf(&fab, "neigh replace %s lladdr " PB_MAC " dev pa%zu nud permanent\n",
			      ipstr(pe->ip, ib), (p >> 8) & 0xff, p & 0xff, p);
		for (size_t k = 0; k < pls->n_nat_ips; k++)
			strbuf_printf(&fab, "neigh replace %s lladdr " PA_MAC " dev pb%zu nud permanent\n",
				      ipstr(pls->nat_ips[k], ib), (p >> 8) & 0xff, p & 0xff, p);
		strbuf_printf(&fab, "rule add pref %u iif pa%zu lookup %d\n", pref++, p,
			      table_of(f, pe->vnet, pe->subnet));
		strbuf_printf(&fab, "rule add pref %u iif pb%zu lookup %d\n", pref++, p,
			      table_of(f, pls->vnet, pls->subnet));
	}
	/* R-E4: the probes leave the fabric from 168.63.129.16 straight to
	 * each backend's NIC (its own packets only: iif lo) */
	bool probes = false;
	for (size_t i = 0; i < t->n_lbs; i++)
		for (size_t k = 0; k < t->lbs[i].n_backends; k++) {
			int be = t->lbs[i].backend_vms[k];
			if (be < 0)
				continue;
			char ib[AZLAB_IPSTR];
			if (!probes)
				strbuf_puts(&fab, "addr add " AZLAB_PROBE_SRC "/32 dev lo\n");
			probes = true;
			ipstr(t->vms[be].ip, ib);
			strbuf_printf(&fab, "route replace %s/32 dev n%d src " AZLAB_PROBE_SRC " table %d\n",
				      ib, be, PROBE_TABLE);
			strbuf_printf(&fab, "rule add pref 60 iif lo to %s/32 lookup %d\n", ib, PROBE_TABLE);
		}
	strbuf_puts(&fab, "rule add pref 32000 blackhole\n");
	if (ok && batch(f->fabric, &fab, err, cap, "the fabric's rules") < 0)
		ok = false;
	strbuf_free(&fab);
	/* Sites: a router (the customer edge) behind the circuit's MSEE, its
	 * hosts on a bridge. */
	for (size_t s = 0; ok && s < t->n_sites; s++) {
		const struct azlab_site *st = &t->sites[s];
		char ce[AZLAB_NS_MAX], mns[AZLAB_NS_MAX], ib[AZLAB_IPSTR];
		azlab_ns_name(n, st->name, ce, sizeof ce);
		if (st->circuit < 0)
			continue;
		msee_ns(n, t, st->circuit, mns, sizeof mns);
		const char *cs[] = { "net.ipv4.ip_forward=1", "net.ipv4.icmp_ratelimit=0",
				     "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
				     NULL };
		if (sysctls(ce, cs, err, cap) < 0) {
			ok = false;
			break;
		}
		struct strbuf m = STRBUF_INIT, c = STRBUF_INIT;
		strbuf_printf(&m, "link add s%zu mtu %u type veth peer name msee mtu %u netns %s\n", s,
			      AZLAB_ER_MTU, AZLAB_ER_MTU, ce); /* R-C7 */
		strbuf_printf(&m, "addr add " ER_FAR_IP "/32 dev s%zu\nlink set s%zu up\n", s, s);
		uint32_t rip = site_router(st), lce, lmsee;
		azlab_site_link((int)s, &lce, &lmsee);
		char lb[AZLAB_IPSTR];
		strbuf_printf(&m, "addr add %s/30 dev s%zu\n", ipstr(lmsee, lb), s);
		/* the CE's link addresses have scope link, so that a route a BGP
		 * daemon installs without a source takes the router's LAN
		 * address (the one traceroute shows) */
		strbuf_printf(&c, "addr add " ER_FABRIC_IP "/32 dev msee scope link\n");
		strbuf_printf(&c, "addr add %s/30 dev msee scope link\nlink set msee up\n",
			      ipstr(lce, lb));
		strbuf_printf(&c, "link add lan type bridge\naddr add %s/%u dev lan\nlink set lan up\n",
			      ipstr(rip, ib), site_plen(st, rip));
		if (batch(mns, &m, err, cap, "a site's link") < 0 ||
		    batch(ce, &c, err, cap, "a site's router") < 0)
			ok = false;
		strbuf_reset(&c);
		for (size_t h = 0; ok && h < st->n_hosts; h++) {
			char hns[AZLAB_NS_MAX], rb[AZLAB_IPSTR];
			azlab_ns_name(n, st->hosts[h].name, hns, sizeof hns);
			const char *hs[] = { "net.ipv4.icmp_ratelimit=0", NULL };
			if (sysctls(hns, hs, err, cap) < 0) {
				ok = false;
				break;
			}
			strbuf_printf(&c, "link add h%zu type veth peer name eth0 netns %s\n", h, hns);
			strbuf_printf(&c, "link set h%zu master lan\nlink set h%zu up\n", h, h);
			if (batch(ce, &c, err, cap, "a site host") < 0) {
				ok = false;
				break;
			}
			strbuf_reset(&c);
			struct strbuf hb = STRBUF_INIT;
			strbuf_printf(&hb,
				      "addr add %s/%u dev eth0\nlink set eth0 up\nroute add default via %s\n",
				      ipstr(st->hosts[h].ip, ib), site_plen(st, st->hosts[h].ip),
				      ipstr(rip, rb));
			if (batch(hns, &hb, err, cap, "a site host") < 0)
				ok = false;
			strbuf_free(&hb);
		}
		strbuf_free(&m);
		strbuf_free(&c);
	}
	/* proxy ARP answers at once (a VM's ARP for a neighbour in its subnet:
	 * the fabric answers, as Azure's does) */
	for (size_t v = 0; ok && v < t->n_vms; v++) {
		char kv[64];
		azlab_sfmt(kv, sizeof kv, "net.ipv4.neigh.n%zu.proxy_delay=0", v);
		const char *ks[] = { kv, NULL };
		if (sysctls(f->fabric, ks, err, cap) < 0)
			ok = false;
	}
	if (ok && !build_fabric_nft(f, err, cap))
		ok = false;
	if (ok && !azlab_fabric_lb(f, NULL, err, cap))
		ok = false;
	if (ok) {
		/* R-A13: the fabric does not decrement the TTL. */
		const char *ttl[] = { "iptables", "-w", "-t", "mangle", "-A", "PREROUTING", "-j", "TTL",
				      "--ttl-inc", "1", NULL };
		if (run_ns_checked(f->fabric, ttl, NULL, err, cap,
				   "the fabric's TTL rule (R-A13; needs iptables and xt_TTL)") < 0)
			ok = false;
	}
	if (!ok) {
		azlab_fabric_free(f);
		return NULL;
	}
	return f;
}

void azlab_fabric_free(struct azlab_fabric *f)
{
	if (!f)
		return;
	for (size_t i = 0; f->table_text && i < f->n_subnets; i++)
		free(f->table_text[i]);
	for (size_t i = 0; f->msee_text && i < f->t->n_circuits; i++)
		free(f->msee_text[i]);
	for (size_t i = 0; f->site_text && i < f->t->n_sites; i++)
		free(f->site_text[i]);
	free(f->table_text);
	free(f->msee_text);
	free(f->site_text);
	free(f->subnet_base);
	free(f->lb_text);
	free(f);
}

/* ---- routes ---- */

/* The gateway connection that carries prefix p for gateway g (the circuit
 * it was learned over), -1 when none. */
static int gw_connection(const struct azlab_topo *t, const struct azlab_model *m, int g,
			 struct azlab_pfx p)
{
	const struct azlab_rlist *l = azlab_model_gateway_learned(m, g);
	int circuit = -1;
	for (size_t i = 0; l && i < l->n; i++)
		if (azlab_pfx_eq(l->v[i].prefix, p)) {
			circuit = l->v[i].circuit;
			break;
		}
	const struct azlab_er_gateway *gw = &t->gateways[g];
	for (size_t k = 0; k < gw->n_connections; k++)
		if (circuit < 0 || gw->connections[k].circuit == circuit)
			return (int)k;
	return -1;
}

/* Appends "P nexthop..." toward the NVAs at ips, or a blackhole. */
static void nva_route(const struct azlab_topo *t, struct strbuf *b, const char *pfx,
		      const uint32_t *ips, size_t n, int table)
{
	char ib[AZLAB_IPSTR];
	size_t found = 0;
	struct strbuf hops = STRBUF_INIT;
	for (size_t k = 0; k < n; k++) {
		int v = azlab_topo_vm_by_ip(t, ips[k]);
		if (v < 0)
			continue;
		strbuf_printf(&hops, " nexthop via %s dev n%d onlink", ipstr(ips[k], ib), v);
		found++;
	}
	if (found == 1) {
		int v = -1;
		for (size_t k = 0; k < n && v < 0; k++)
			if ((v = azlab_topo_vm_by_ip(t, ips[k])) >= 0)
				strbuf_printf(b, "route replace %s via %s dev n%d onlink table %d\n", pfx,
					      ipstr(ips[k], ib), v, table);
	} else if (found > 1) {
		strbuf_printf(b, "route replace %s table %d%s\n", pfx, table, strbuf_str(&hops));
	} else {
		strbuf_printf(b, "route replace blackhole %s table %d\n", pfx, table);
	}
	strbuf_free(&hops);
}

/* Delivery inside VNet dv for the addresses of this table whose lookup lands
 * on route r: a /32 to the NIC or Route Server instance. */
static void deliveries(const struct azlab_fabric *f, const struct azlab_model *m, struct strbuf *b,
		       int vnet, int subnet, const struct azlab_eff_route *r, int dv, int table)
{
	const struct azlab_topo *t = f->t;
	char ib[AZLAB_IPSTR];
	for (size_t v = 0; v < t->n_vms; v++) {
		if (t->vms[v].vnet != dv || !azlab_pfx_has(r->prefix, t->vms[v].ip) ||
		    azlab_model_lookup(m, vnet, subnet, t->vms[v].ip) != r)
			continue;
		strbuf_printf(b, "route replace %s/32 dev n%zu table %d\n", ipstr(t->vms[v].ip, ib), v,
			      table);
	}
	/* a load balancer's frontend: its flows are sent to a backend before
	 * routing (azlab_fabric_lb); this route lets proxy ARP answer for it */
	for (size_t i = 0; i < t->n_lbs; i++) {
		const struct azlab_load_balancer *lb = &t->lbs[i];
		if (lb->vnet != dv || !lb->n_backends || lb->backend_vms[0] < 0 ||
		    !azlab_pfx_has(r->prefix, lb->frontend_ip) ||
		    azlab_model_lookup(m, vnet, subnet, lb->frontend_ip) != r)
			continue;
		strbuf_printf(b, "route replace %s/32 dev n%d table %d\n", ipstr(lb->frontend_ip, ib),
			      lb->backend_vms[0], table);
	}
	for (size_t s = 0; s < t->n_route_servers; s++) {
		const struct azlab_route_server *rs = &t->route_servers[s];
		if (rs->vnet != dv || !rs->has_ips)
			continue;
		for (int i = 0; i < 2; i++)
			if (azlab_pfx_has(r->prefix, rs->ips[i]) &&
			    azlab_model_lookup(m, vnet, subnet, rs->ips[i]) == r)
				strbuf_printf(b, "route replace %s/32 dev r%zui%d table %d\n",
					      ipstr(rs->ips[i], ib), s, i, table);
	}
}

static void subnet_table(const struct azlab_fabric *f, const struct azlab_model *m, int vnet,
			 int subnet, struct strbuf *b)
{
	const struct azlab_topo *t = f->t;
	const struct azlab_eff_table *tb = azlab_model_routes(m, vnet, subnet);
	int table = table_of(f, vnet, subnet);
	char pb[AZLAB_PFXSTR], ib[AZLAB_IPSTR];
	strbuf_printf(b, "route flush table %d\n", table);
	for (size_t i = 0; tb && i < tb->n; i++) {
		const struct azlab_eff_route *r = &tb->v[i];
		if (r->state != AZLAB_ACTIVE)
			continue;
		azlab_pfx_fmt(r->prefix, pb);
		switch (r->nh_type) {
		case AZLAB_NH_VNET_LOCAL:
			strbuf_printf(b, "route replace blackhole %s table %d\n", pb, table);
			deliveries(f, m, b, vnet, subnet, r, vnet, table);
			break;
		case AZLAB_NH_VNET_PEERING:
			strbuf_printf(b, "route replace blackhole %s table %d\n", pb, table);
			deliveries(f, m, b, vnet, subnet, r, r->peer_vnet, table);
			break;
		case AZLAB_NH_VIRTUAL_APPLIANCE:
			nva_route(t, b, pb, r->nh_ips, r->n_nh, table);
			break;
		case AZLAB_NH_VIRTUAL_NETWORK_GATEWAY:
			if (r->gateway >= 0) {
				int k = gw_connection(t, m, r->gateway, r->prefix);
				if (k >= 0)
					strbuf_printf(b,
						      "route replace %s via " ER_FAR_IP
						      " dev g%dc%d onlink table %d\n",
						      pb, r->gateway, k, table);
				else
					strbuf_printf(b, "route replace blackhole %s table %d\n", pb,
						      table);
			} else {
				nva_route(t, b, pb, r->nh_ips, r->n_nh, table);
			}
			break;
		case AZLAB_NH_INTERFACE_ENDPOINT: {
			int p = r->peer_vnet;
			if (p >= 0 && (size_t)p < t->n_pes && pls_backend(t, t->pes[p].pls) >= 0)
				strbuf_printf(b, "route replace %s dev pa%d table %d\n", pb, p, table);
			else
				strbuf_printf(b, "route replace blackhole %s table %d\n", pb, table);
			break;
		}
		default: /* None, Internet: nothing leaves the lab */
			strbuf_printf(b, "route replace blackhole %s table %d\n", pb, table);
			break;
		}
	}
	/* The PLS NAT addresses in the provider's VNet: back through the
	 * hairpin (the provider has no other route to consumers, R-E2). */
	for (size_t p = 0; p < t->n_pes; p++) {
		const struct azlab_pe *pe = &t->pes[p];
		if (pls_backend(t, pe->pls) < 0 || t->pls[pe->pls].vnet != vnet)
			continue;
		for (size_t k = 0; k < t->pls[pe->pls].n_nat_ips; k++)
			strbuf_printf(b, "route replace %s/32 dev pb%zu table %d\n",
				      ipstr(t->pls[pe->pls].nat_ips[k], ib), p, table);
	}
}

/* Replaces *old with the text of b and says whether it changed. */
static bool changed(char **old, const struct strbuf *b)
{
	const char *s = strbuf_str(b);
	if (*old && !strcmp(*old, s))
		return false;
	free(*old);
	*old = strdup(s);
	return true;
}

bool azlab_fabric_sync(struct azlab_fabric *f, const struct azlab_model *m)
{
	const struct azlab_topo *t = f->t;
	char err[2048], pb[AZLAB_PFXSTR], ns[AZLAB_NS_MAX];
	bool ok = true;
	struct strbuf all = STRBUF_INIT, b = STRBUF_INIT;
	for (size_t v = 0; v < t->n_vnets; v++)
		for (size_t s = 0; s < t->vnets[v].n_subnets; s++) {
			strbuf_reset(&b);
			subnet_table(f, m, (int)v, (int)s, &b);
			if (changed(&f->table_text[f->subnet_base[v] + s], &b))
				strbuf_puts(&all, strbuf_str(&b));
		}
	if (batch(f->fabric, &all, err, sizeof err, "the subnet tables") < 0) {
		dprintf(run_log_fd, "azlab: %s\n", err);
		ok = false;
	}
	/* Each MSEE: toward the gateway or site each route came from. */
	for (size_t c = 0; c < t->n_circuits; c++) {
		strbuf_reset(&b);
		/* only azlab's routes: the site links' connected routes stay */
		strbuf_puts(&b, "route flush table main proto static\n");
		const struct azlab_rlist *l = azlab_model_msee(m, (int)c);
		for (size_t i = 0; l && i < l->n; i++) {
			const struct azlab_bgp_route *r = &l->v[i];
			/* the shortest path per prefix; the first of equals */
			bool better = false;
			for (size_t j = 0; j < l->n && !better; j++)
				if (j != i && azlab_pfx_eq(l->v[j].prefix, r->prefix) &&
				    (l->v[j].n_as < r->n_as || (l->v[j].n_as == r->n_as && j < i)))
					better = true;
			if (better)
				continue;
			azlab_pfx_fmt(r->prefix, pb);
			if (r->origin_kind == AZLAB_FROM_GATEWAY) {
				const struct azlab_er_gateway *gw = &t->gateways[r->origin];
				for (size_t k = 0; k < gw->n_connections; k++)
					if (gw->connections[k].circuit == (int)c) {
						strbuf_printf(&b,
							      "route replace %s via " ER_FABRIC_IP
							      " dev g%dc%zu onlink proto static\n",
							      pb, r->origin, k);
						break;
					}
			} else if (r->origin_kind == AZLAB_FROM_SITE) {
				strbuf_printf(&b,
					      "route replace %s via " ER_FABRIC_IP " dev s%d onlink proto static\n",
					      pb, r->origin);
			}
		}
		if (changed(&f->msee_text[c], &b)) {
			msee_ns(&f->n, t, (int)c, ns, sizeof ns);
			if (batch(ns, &b, err, sizeof err, "an MSEE's table") < 0) {
				dprintf(run_log_fd, "azlab: %s\n", err);
				ok = false;
			}
		}
	}
	/* Each site's router: what the MSEE sends it (R-C3); a CE that runs
	 * software learns it over its BGP session instead. */
	for (size_t s = 0; s < t->n_sites; s++) {
		if (azlab_site_runs_ce(&t->sites[s]))
			continue;
		strbuf_reset(&b);
		strbuf_puts(&b, "route flush table main proto static\n");
		char rb[AZLAB_IPSTR];
		ipstr(site_router(&t->sites[s]), rb);
		const struct azlab_rlist *l = azlab_model_site_learned(m, (int)s);
		for (size_t i = 0; l && i < l->n; i++)
			strbuf_printf(&b,
				      "route replace %s via " ER_FAR_IP " dev msee onlink src %s proto static\n",
				      azlab_pfx_fmt(l->v[i].prefix, pb), rb);
		if (changed(&f->site_text[s], &b)) {
			azlab_ns_name(&f->n, t->sites[s].name, ns, sizeof ns);
			if (batch(ns, &b, err, sizeof err, "a site router's table") < 0) {
				dprintf(run_log_fd, "azlab: %s\n", err);
				ok = false;
			}
		}
	}
	strbuf_free(&all);
	strbuf_free(&b);
	return ok;
}

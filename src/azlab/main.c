/* main.c: the azlab program: reads a topology, validates it, builds the
 * model and answers the offline questions (validate, check, routes, nexthop,
 * trace, tables, graph, test); the live verbs (up, down, status, exec,
 * reach, and test/trace against a running lab) are in live.c. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "azlab/expect.h"
#include "azlab/graph.h"
#include "azlab/live.h"
#include "azlab/model.h"
#include "azlab/model_int.h"
#include "azlab/topology.h"
#include "azlab/validate.h"
#include "lib/strbuf.h"

#define EXIT_USAGE 2

static void usage(FILE *f)
{
	fputs("usage: azlab [-f FILE] COMMAND [ARGS]\n"
	      "  validate [FILE]              refuse what Azure refuses (exit 1 on any error)\n"
	      "  check [FILE]                 reachability matrix between all VMs and site hosts\n"
	      "  routes TARGET [--json]       effective routes of a VM, NIC or VNET/SUBNET\n"
	      "  nexthop VM DEST [--json]     next hop of a flow (Network Watcher's answer)\n"
	      "  trace SRC DEST [--tcp PORT]  the model's predicted path, hop by hop\n"
	      "  tables [FILE]                Route Server, gateway and MSEE BGP tables\n"
	      "  graph [FILE] [--dot]         SVG diagram (through Graphviz `dot`), or DOT text\n"
	      "  test [FILE]                  run the file's expect: entries against the model\n"
	      "  schema                       the JSON Schema of the topology file\n"
	      "the live lab (root; namespaces azl-NAME-*, state in /run/azlab/NAME):\n"
	      "  up [FILE] [--nvad PATH] [--timeout S]  build it, start the NVAs, wait for BGP\n"
	      "  down [FILE]                  remove everything the lab made (also after a crash)\n"
	      "  status [FILE] [--json]       namespaces, programs, Route Server sessions, feed\n"
	      "  exec VM|HOST -- CMD [ARGS]   run CMD inside a VM's or site host's namespace\n"
	      "  reach [FILE]                 live reachability matrix (ping), compared with the model\n"
	      "  test and trace use the running lab of FILE when it is up (test --offline: the model)\n"
	      "  --name NAME                  the lab's name (default: the topology's name)\n"
	      "FILE defaults to $AZLAB_TOPOLOGY, then ./topology.yaml.\n",
	      f);
}

static void print_diag(const struct azlab_diag *d, FILE *f)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(f, "%s\n", d->msgs[i]);
	if (d->oom)
		fprintf(f, "azlab: out of memory while reporting\n");
}

struct lab {
	struct azlab_topo *t;
	struct azlab_feed feed;
	struct azlab_model *m;
};

static void lab_free(struct lab *l)
{
	azlab_model_free(l->m);
	azlab_feed_free(&l->feed);
	azlab_topo_free(l->t);
}

/* Loads, validates (errors refuse, warnings go to stderr) and builds. */
static int lab_open(const char *file, bool quiet_warnings, struct lab *l)
{
	struct azlab_diag errs = AZLAB_DIAG_INIT, warns = AZLAB_DIAG_INIT;
	memset(l, 0, sizeof *l);
	l->t = azlab_topo_load(file, &errs);
	if (!l->t) {
		print_diag(&errs, stderr);
		azlab_diag_free(&errs);
		return EXIT_USAGE;
	}
	size_t n = azlab_validate(l->t, &errs, &warns);
	print_diag(&errs, stderr);
	if (!quiet_warnings)
		print_diag(&warns, stderr);
	azlab_diag_free(&errs);
	azlab_diag_free(&warns);
	if (n) {
		fprintf(stderr, "%s: %zu error%s: Azure would refuse this topology\n", file, n,
			n == 1 ? "" : "s");
		lab_free(l);
		return 1;
	}
	if (!(l->m = azlab_model_build_offline(l->t, &l->feed))) {
		fprintf(stderr, "azlab: out of memory\n");
		lab_free(l);
		return 1;
	}
	return 0;
}

/* ---- validate ---- */

static int cmd_validate(const char *file)
{
	struct azlab_diag errs = AZLAB_DIAG_INIT, warns = AZLAB_DIAG_INIT;
	struct azlab_topo *t = azlab_topo_load(file, &errs);
	if (!t) {
		print_diag(&errs, stderr);
		azlab_diag_free(&errs);
		return EXIT_USAGE;
	}
	size_t n = azlab_validate(t, &errs, &warns);
	print_diag(&errs, stderr);
	print_diag(&warns, stderr);
	if (n == 0)
		printf("%s: valid (%zu virtual networks, %zu virtual machines, %zu expectations)\n", file,
		       t->n_vnets, t->n_vms, t->n_expects);
	azlab_diag_free(&errs);
	azlab_diag_free(&warns);
	azlab_topo_free(t);
	return n ? 1 : 0;
}

/* ---- routes ---- */

static void routes_text(const struct azlab_eff_table *tb)
{
	char pb[AZLAB_PFXSTR], ib[AZLAB_IPSTR];
	printf("%-22s %-8s %-19s %-22s %s\n", "Source", "State", "Address Prefix", "Next Hop Type",
	       "Next Hop IP");
	printf("%-22s %-8s %-19s %-22s %s\n", "----------------------", "--------",
	       "-------------------", "----------------------", "-------------");
	for (size_t i = 0; i < tb->n; i++) {
		const struct azlab_eff_route *r = &tb->v[i];
		printf("%-22s %-8s %-19s %-22s ", azlab_rsource_name(r->source),
		       azlab_rstate_name(r->state), azlab_pfx_fmt(r->prefix, pb),
		       azlab_nh_type_name(r->nh_type));
		for (size_t k = 0; k < r->n_nh; k++)
			printf("%s%s", k ? ", " : "", azlab_ip_fmt(r->nh_ips[k], ib));
		printf("\n");
	}
}

static void routes_json(const struct azlab_eff_table *tb)
{
	char pb[AZLAB_PFXSTR], ib[AZLAB_IPSTR];
	json_object *root = json_object_new_object(), *arr = json_object_new_array();
	for (size_t i = 0; i < tb->n; i++) {
		const struct azlab_eff_route *r = &tb->v[i];
		json_object *o = json_object_new_object(), *pfx = json_object_new_array(),
			    *nh = json_object_new_array();
		if (r->udr_name)
			json_object_object_add(o, "name", json_object_new_string(r->udr_name));
		json_object_object_add(o, "source", json_object_new_string(azlab_rsource_name(r->source)));
		json_object_object_add(o, "state", json_object_new_string(azlab_rstate_name(r->state)));
		json_object_array_add(pfx, json_object_new_string(azlab_pfx_fmt(r->prefix, pb)));
		json_object_object_add(o, "addressPrefix", pfx);
		json_object_object_add(o, "nextHopType",
				       json_object_new_string(azlab_nh_type_name(r->nh_type)));
		for (size_t k = 0; k < r->n_nh; k++)
			json_object_array_add(nh, json_object_new_string(azlab_ip_fmt(r->nh_ips[k], ib)));
		json_object_object_add(o, "nextHopIpAddress", nh);
		json_object_object_add(o, "rule", json_object_new_string(r->rule ? r->rule : ""));
		json_object_array_add(arr, o);
	}
	json_object_object_add(root, "value", arr);
	printf("%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY |
								   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(root);
}

static int cmd_routes(const struct lab *l, const char *target, bool json)
{
	int v, s;
	const struct azlab_eff_table *tb = azlab_expect_table(l->m, target, &v, &s);
	if (!tb) {
		fprintf(stderr, "azlab routes: no VM, NIC or VNET/SUBNET named \"%s\"\n", target);
		return EXIT_USAGE;
	}
	if (json) {
		routes_json(tb);
	} else {
		printf("Effective routes of %s (%s/%s)\n\n", target, l->t->vnets[v].name,
		       l->t->vnets[v].subnets[s].name);
		routes_text(tb);
	}
	return 0;
}

/* ---- nexthop ---- */

static int cmd_nexthop(const struct lab *l, const char *vm, const char *dest, bool json)
{
	int v = azlab_topo_vm(l->t, vm);
	uint32_t dst;
	char ib[AZLAB_IPSTR];
	struct azlab_nexthop nh;
	if (v < 0) {
		fprintf(stderr, "azlab nexthop: no virtual machine named \"%s\"\n", vm);
		return EXIT_USAGE;
	}
	if (!azlab_model_address(l->m, dest, &dst)) {
		fprintf(stderr, "azlab nexthop: \"%s\" is neither an address nor a known name\n", dest);
		return EXIT_USAGE;
	}
	if (!azlab_model_nexthop(l->m, v, dst, &nh)) {
		fprintf(stderr, "azlab nexthop: no route\n");
		return 1;
	}
	const char *type = azlab_nh_type_name(nh.type);
	if (nh.type == AZLAB_NH_NONE)
		type = "None";
	if (json) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "nextHopIpAddress",
				       nh.has_ip ? json_object_new_string(azlab_ip_fmt(nh.ip, ib)) : NULL);
		json_object_object_add(o, "nextHopType", json_object_new_string(type));
		json_object_object_add(o, "routeTableId", json_object_new_string(nh.route_table_id));
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
								      JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		printf("nextHopType       %s\nnextHopIpAddress  %s\nrouteTableId      %s\n", type,
		       nh.has_ip ? azlab_ip_fmt(nh.ip, ib) : "", nh.route_table_id);
	}
	return 0;
}

/* ---- trace ---- */

static void print_path(const struct azlab_topo *t, const struct azlab_path *p)
{
	char ib[AZLAB_IPSTR];
	for (size_t i = 0; i < p->n_hops; i++) {
		const struct azlab_hop *h = &p->hops[i];
		printf("%2zu  %-15s %s\n", i + 1, h->addr, h->node);
		if (h->why[0])
			printf("      because %s\n", h->why);
	}
	if (p->delivered && p->via_pe >= 0)
		printf("reached %s through Private Endpoint %s, which it sees as %s\n", p->at,
		       t->pes[p->via_pe].name, azlab_ip_fmt(p->src_seen, ib));
	else if (p->delivered)
		printf("reached %s\n", p->at);
	else
		printf("%2zu  fails: %s%s%s\n", p->n_hops + 1, p->reason, p->pending[0] ? "\n      after " : "",
		       p->pending);
}

static int cmd_trace(const struct lab *l, const char *src, const char *dest,
		     const struct azlab_live_opts *o)
{
	struct azlab_endpoint ep;
	uint32_t dst;
	char ib[AZLAB_IPSTR];
	if (!azlab_model_endpoint(l->m, src, &ep)) {
		fprintf(stderr, "azlab trace: no VM or site host named \"%s\"\n", src);
		return EXIT_USAGE;
	}
	if (!azlab_model_address(l->m, dest, &dst)) {
		fprintf(stderr, "azlab trace: \"%s\" is neither an address nor a known name\n", dest);
		return EXIT_USAGE;
	}
	struct azlab_path p;
	azlab_model_walk(l->m, &ep, dst, &p);
	printf("traceroute %s -> %s (predicted by the model)\n", src, azlab_ip_fmt(dst, ib));
	print_path(l->t, &p);
	int live = azlab_live_trace(l->t->file, o, src, dst, &p);
	if (live < 0)
		printf("(no lab of this file is up: `azlab up` adds the real traceroute beside it)\n");
	else if (live > 0)
		return 1;
	return p.delivered ? 0 : 1;
}

/* ---- check ---- */


static int cmd_check(const struct lab *l)
{
	struct azlab_endpoints *e = malloc(sizeof *e);
	struct azlab_reach *r = malloc(sizeof *r);
	if (!e || !r) {
		free(e);
		free(r);
		fprintf(stderr, "azlab: out of memory\n");
		return 1;
	}
	azlab_endpoints_list(l->t, e);
	size_t fails = 0, total = 0;
	if (e->n == 256)
		printf("note: the matrix shows the first 256 VMs and site hosts\n");
	printf("Reachability (offline model; row = sender, column = receiver; ok = request and reply)\n\n%-14s",
	       "");
	for (size_t j = 0; j < e->n; j++)
		printf(" %-12.12s", e->name[j]);
	printf("\n");
	for (size_t i = 0; i < e->n; i++) {
		printf("%-14.14s", e->name[i]);
		for (size_t j = 0; j < e->n; j++) {
			if (i == j) {
				printf(" %-12s", "-");
				continue;
			}
			azlab_model_reach(l->m, &e->v[i], e->v[j].ip, r);
			printf(" %-12s", r->ok ? "ok" : "FAIL");
		}
		printf("\n");
	}
	printf("\n");
	for (size_t i = 0; i < e->n; i++)
		for (size_t j = 0; j < e->n; j++) {
			if (i == j)
				continue;
			total++;
			azlab_model_reach(l->m, &e->v[i], e->v[j].ip, r);
			if (!r->ok) {
				fails++;
				printf("FAIL %s -> %s: %s\n", e->name[i], e->name[j], r->reason);
			}
		}
	for (size_t k = 0; k < l->t->n_pes; k++)
		for (size_t i = 0; i < e->n; i++) {
			total++;
			azlab_model_reach(l->m, &e->v[i], l->t->pes[k].ip, r);
			if (r->ok)
				printf("ok   %s -> %s (Private Endpoint): reaches %s\n", e->name[i],
				       l->t->pes[k].name, r->request.at);
			else {
				fails++;
				printf("FAIL %s -> %s (Private Endpoint): %s\n", e->name[i],
				       l->t->pes[k].name, r->reason);
			}
		}
	printf("\n%zu of %zu flows work\n", total - fails, total);
	free(e);
	free(r);
	return 0;
}

/* ---- tables ---- */

static void print_rlist(const struct azlab_topo *t, const struct azlab_rlist *l, const char *indent)
{
	char pb[AZLAB_PFXSTR], ib[AZLAB_IPSTR], ab[256];
	if (!l || l->n == 0) {
		printf("%s(none)\n", indent);
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct azlab_bgp_route *r = &l->v[i];
		azlab_aspath_fmt(r->as_path, r->n_as, ab, sizeof ab);
		printf("%s%-19s next hop %-15s path %s", indent, azlab_pfx_fmt(r->prefix, pb),
		       azlab_ip_fmt(r->next_hop, ib), ab[0] ? ab : "(empty)");
		if (r->origin_kind == AZLAB_FROM_NVA)
			printf("  (from %s)", t->vms[r->origin].name);
		printf("\n");
	}
}

static int cmd_tables(const struct lab *l)
{
	const struct azlab_topo *t = l->t;
	for (size_t s = 0; s < t->n_route_servers; s++) {
		const struct azlab_route_server *rs = &t->route_servers[s];
		printf("Route Server %s (AS 65515)\n  accepted from NVAs:\n", rs->name);
		print_rlist(t, azlab_model_rs_accepted(l->m, (int)s), "    ");
		for (size_t c = 0; c < rs->n_connections; c++) {
			printf("  advertised to %s (%s, AS %u):\n", rs->connections[c].name,
			       azlab_ip_fmt(rs->connections[c].peer_ip, (char[AZLAB_IPSTR]){ 0 }),
			       rs->connections[c].peer_asn);
			print_rlist(t, azlab_model_rs_advertised(l->m, (int)s, (int)c), "    ");
		}
	}
	for (size_t g = 0; g < t->n_gateways; g++) {
		printf("ExpressRoute gateway %s (AS 65515)\n  advertised to the MSEE:\n",
		       t->gateways[g].name);
		print_rlist(t, azlab_model_gateway_advertised(l->m, (int)g), "    ");
		printf("  learned:\n");
		print_rlist(t, azlab_model_gateway_learned(l->m, (int)g), "    ");
	}
	for (size_t c = 0; c < t->n_circuits; c++) {
		printf("MSEE of %s (AS 12076)\n", t->circuits[c].name);
		print_rlist(t, azlab_model_msee(l->m, (int)c), "    ");
	}
	for (size_t s = 0; s < t->n_sites; s++) {
		printf("Site %s (AS %u) learned:\n", t->sites[s].name, t->sites[s].asn);
		print_rlist(t, azlab_model_site_learned(l->m, (int)s), "    ");
	}
	const struct azlab_diag *notes = azlab_model_notes(l->m);
	if (notes->n) {
		printf("Notes:\n");
		for (size_t i = 0; i < notes->n; i++)
			printf("  %s\n", notes->msgs[i]);
	}
	return 0;
}

/* ---- graph ---- */

static int cmd_graph(const char *file, bool dot_only)
{
	struct azlab_diag errs = AZLAB_DIAG_INIT;
	struct azlab_topo *t = azlab_topo_load(file, &errs);
	struct strbuf b = STRBUF_INIT;
	int rc = 0;
	if (!t) {
		print_diag(&errs, stderr);
		azlab_diag_free(&errs);
		return EXIT_USAGE;
	}
	azlab_graph_dot(t, &b);
	if (b.oom) {
		fprintf(stderr, "azlab graph: out of memory\n");
		rc = 1;
	} else if (dot_only) {
		fputs(strbuf_str(&b), stdout);
	} else {
		fflush(stdout);
		FILE *p = popen("dot -Tsvg", "w");
		if (!p) {
			fprintf(stderr, "azlab graph: cannot run Graphviz `dot` (apt-get install graphviz)\n");
			rc = 1;
		} else {
			fputs(strbuf_str(&b), p);
			int st = pclose(p);
			if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
				fprintf(stderr, "azlab graph: `dot -Tsvg` failed%s\n",
					WIFEXITED(st) && WEXITSTATUS(st) == 127 ?
						" (not installed? apt-get install graphviz)" : "");
				rc = 1;
			}
		}
	}
	strbuf_free(&b);
	azlab_topo_free(t);
	azlab_diag_free(&errs);
	return rc;
}

/* ---- test ---- */

static int cmd_test(const struct lab *l)
{
	size_t pass = 0, failn = 0;
	char desc[256], detail[2048];
	for (size_t i = 0; i < l->t->n_expects; i++) {
		const struct azlab_expect *e = &l->t->expects[i];
		azlab_expect_describe(e, desc, sizeof desc);
		bool ok = azlab_expect_eval(l->m, e, detail, sizeof detail);
		printf("%s %s:%u: %s: %s\n", ok ? "PASS" : "FAIL", l->t->file, e->loc.line, desc, detail);
		if (ok)
			pass++;
		else
			failn++;
	}
	printf("%zu passed, %zu failed\n", pass, failn);
	return failn ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *file = getenv("AZLAB_TOPOLOGY");
	int i = 1;
	if (!file || !*file)
		file = "topology.yaml";
	bool file_given = getenv("AZLAB_TOPOLOGY") != NULL;
	struct azlab_live_opts lo = { .timeout_s = 60 };
	/* options before the command: -f FILE, --name NAME, --nvad PATH */
	while (i + 1 < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-f") == 0) {
			file = argv[i + 1];
			file_given = true;
		} else if (strcmp(argv[i], "--name") == 0) {
			lo.name = argv[i + 1];
		} else if (strcmp(argv[i], "--nvad") == 0) {
			lo.nvad = argv[i + 1];
		} else {
			break;
		}
		i += 2;
	}
	if (i >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *cmd = argv[i++];
	bool json = false, dot = false;
	const char *tcp = NULL;
	char **rest = NULL;
	const char *pos[3] = { NULL, NULL, NULL };
	int npos = 0;
	for (; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--dot") == 0)
			dot = true;
		else if (strcmp(argv[i], "--tcp") == 0 && i + 1 < argc)
			tcp = argv[++i];
		else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
			file = argv[++i];
			file_given = true;
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			lo.name = argv[++i];
		else if (strcmp(argv[i], "--nvad") == 0 && i + 1 < argc)
			lo.nvad = argv[++i];
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			lo.timeout_s = atoi(argv[++i]);
		else if (strcmp(argv[i], "--offline") == 0)
			lo.offline = true;
		else if (strcmp(argv[i], "--") == 0) {
			rest = argv + i + 1;
			break;
		} else if (npos < 3)
			pos[npos++] = argv[i];
		else {
			fprintf(stderr, "azlab %s: too many arguments\n", cmd);
			return EXIT_USAGE;
		}
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(cmd, "schema") && npos == 0) {
		char *sc = azlab_topo_schema();
		if (!sc) {
			fprintf(stderr, "azlab: out of memory\n");
			return 1;
		}
		printf("%s\n", sc);
		free(sc);
		return 0;
	}
	lo.json = json;
	if (!strcmp(cmd, "up") || !strcmp(cmd, "down") || !strcmp(cmd, "status") ||
	    !strcmp(cmd, "reach")) {
		if (npos > 1) {
			fprintf(stderr, "azlab %s: expected at most one FILE\n", cmd);
			return EXIT_USAGE;
		}
		if (npos == 1) {
			file = pos[0];
			file_given = true;
		}
		if (!strcmp(cmd, "up"))
			return azlab_live_up(file, &lo);
		if (!strcmp(cmd, "down"))
			return azlab_live_down(file, file_given, &lo);
		if (!strcmp(cmd, "status"))
			return azlab_live_status(file, file_given, &lo);
		return azlab_live_reach(file, file_given, &lo);
	}
	if (!strcmp(cmd, "exec")) {
		if (npos != 1 || !rest || !rest[0]) {
			fprintf(stderr, "usage: azlab [--name NAME] exec VM -- CMD [ARGS]\n");
			return EXIT_USAGE;
		}
		return azlab_live_exec(file, file_given, &lo, pos[0], rest);
	}
	if (rest) {
		fprintf(stderr, "azlab %s: unexpected \"--\"\n", cmd);
		return EXIT_USAGE;
	}
	bool takes_file = !strcmp(cmd, "validate") || !strcmp(cmd, "check") ||
			  !strcmp(cmd, "graph") || !strcmp(cmd, "test") || !strcmp(cmd, "tables");
	if (takes_file && npos == 1)
		file = pos[0];
	else if (takes_file && npos > 1) {
		fprintf(stderr, "azlab %s: expected at most one FILE\n", cmd);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "validate"))
		return cmd_validate(file);
	if (!strcmp(cmd, "graph"))
		return cmd_graph(file, dot);
	int need = !strcmp(cmd, "routes") ? 1 : !strcmp(cmd, "nexthop") || !strcmp(cmd, "trace") ? 2 :
		   takes_file ? npos : -1;
	if (need < 0) {
		fprintf(stderr, "azlab: unknown command \"%s\"\n", cmd);
		usage(stderr);
		return EXIT_USAGE;
	}
	if (npos != need) {
		fprintf(stderr, "azlab %s: expected %d argument%s\n", cmd, need, need == 1 ? "" : "s");
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "test") && !lo.offline) {
		int lr = azlab_live_test(file, &lo);
		if (lr >= 0)
			return lr;
	}
	struct lab l;
	int rc = lab_open(file, !strcmp(cmd, "test"), &l);
	if (rc)
		return rc;
	if (!strcmp(cmd, "check"))
		rc = cmd_check(&l);
	else if (!strcmp(cmd, "routes"))
		rc = cmd_routes(&l, pos[0], json);
	else if (!strcmp(cmd, "nexthop"))
		rc = cmd_nexthop(&l, pos[0], pos[1], json);
	else if (!strcmp(cmd, "trace")) {
		if (tcp)
			printf("note: --tcp %s: the offline model has no port rules (no NSGs), so the path is the same for every port\n",
			       tcp);
		rc = cmd_trace(&l, pos[0], pos[1], &lo);
	}
	else if (!strcmp(cmd, "tables"))
		rc = cmd_tables(&l);
	else
		rc = cmd_test(&l);
	lab_free(&l);
	return rc;
}

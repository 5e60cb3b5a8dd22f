/* show_route.c: `show ip route` / `show ipv6 route` as FRR's zebra prints
 * them: the kernel's own routes (K, C) and nvad's (B, S), selected or not,
 * with recursive next hops and what they resolve to; and the JSON form with
 * zebra's field names. Rendered from the FIB model (src/kernel/fib.h). */
#include <json-c/json.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "nvad.h"

static const char code_of[] = { [FIB_SRC_STATIC] = 'S', [FIB_SRC_EBGP] = 'B', [FIB_SRC_IBGP] = 'B',
				[FIB_SRC_COUNT + FIB_UL_CONNECTED] = 'C',
				[FIB_SRC_COUNT + FIB_UL_KERNEL] = 'K' };
static const char *const proto_of[] = { [FIB_SRC_STATIC] = "static", [FIB_SRC_EBGP] = "bgp",
					[FIB_SRC_IBGP] = "bgp",
					[FIB_SRC_COUNT + FIB_UL_CONNECTED] = "connected",
					[FIB_SRC_COUNT + FIB_UL_KERNEL] = "kernel" };

static const char *ifname_of(int ifindex, char *buf)
{
	if (ifindex <= 0 || !if_indextoname((unsigned)ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "%s", ifindex > 0 ? "?" : "");
	return buf;
}

/* One next hop: "via 10.0.0.1, eth0", "is directly connected, eth0",
 * "unreachable (blackhole)". */
static void nh_text(struct strbuf *out, uint8_t kind, const struct ipaddr *gw, int ifindex)
{
	char a[IPADDR_STRLEN], ifn[IF_NAMESIZE];
	if (kind == KERNEL_NH_BLACKHOLE) {
		strbuf_puts(out, "unreachable (blackhole)");
	} else if (kind == KERNEL_NH_IFACE || !gw->family) {
		strbuf_printf(out, "is directly connected, %s", ifname_of(ifindex, ifn));
	} else {
		strbuf_printf(out, "via %s", ipaddr_fmt(gw, a, sizeof(a)));
		if (ifindex > 0)
			strbuf_printf(out, ", %s", ifname_of(ifindex, ifn));
	}
}

struct render {
	struct strbuf *out;
	struct json_object *json;
};

/* The resolved next hop a given one stands for directly (a gateway on a
 * connected subnet, an interface), or NULL when it was resolved through
 * another route (recursive). */
static const struct kernel_nexthop *direct_of(const struct fib_entry_view *e, unsigned i)
{
	const struct fib_nexthop *n = &e->nh[i];
	for (unsigned k = 0; k < e->n_resolved; k++) {
		const struct kernel_nexthop *r = &e->resolved[k];
		if (r->kind == n->kind && (n->kind != KERNEL_NH_GATEWAY ||
					   memcmp(&r->gateway, &n->gateway, sizeof(r->gateway)) == 0))
			return r;
	}
	return NULL;
}

static bool recursive(const struct fib_entry_view *e, unsigned i)
{
	return e->source < FIB_SRC_COUNT && e->nh[i].kind == KERNEL_NH_GATEWAY && !direct_of(e, i);
}

static void text_entry(void *ctx, const struct fib_entry_view *e)
{
	struct render *r = ctx;
	struct strbuf *out = r->out;
	char pfx[PREFIX_STRLEN];
	prefix_fmt(e->prefix, pfx, sizeof(pfx));
	bool fib = e->installed && e->selected;
	int indent = (int)strlen(pfx) + 2;
	bool any_recursive = false;
	for (unsigned i = 0; i < e->n_nh; i++)
		any_recursive |= recursive(e, i);
	strbuf_printf(out, "%c%c%c %s", code_of[e->source], e->selected ? '>' : ' ',
		      fib && !any_recursive ? '*' : ' ', pfx);
	/* zebra's [distance/metric]: the metric is the route's own (MED for BGP,
	 * 0 for a static route), the kernel's for kernel routes. */
	if (e->source != FIB_SRC_COUNT + FIB_UL_CONNECTED)
		strbuf_printf(out, " [%u/%u]", e->distance, e->source < FIB_SRC_COUNT ? 0 : e->metric);
	for (unsigned i = 0; i < e->n_nh; i++) {
		if (i)
			strbuf_printf(out, "\n  %c%*s", fib && !recursive(e, i) ? '*' : ' ', indent, "");
		else
			strbuf_puts(out, " ");
		const struct kernel_nexthop *d = direct_of(e, i);
		if (d) {
			nh_text(out, d->kind, &d->gateway, d->ifindex);
		} else {
			nh_text(out, e->nh[i].kind, &e->nh[i].gateway, e->nh[i].ifindex);
			if (recursive(e, i))
				strbuf_puts(out, e->n_resolved ? " (recursive)" : " inactive");
		}
	}
	/* What the recursive next hops resolved to, as installed. */
	for (unsigned k = 0; any_recursive && k < e->n_resolved; k++) {
		strbuf_printf(out, "\n  %c%*s", fib ? '*' : ' ', indent + 2, "");
		nh_text(out, e->resolved[k].kind, &e->resolved[k].gateway, e->resolved[k].ifindex);
	}
	if (e->n_nh == 0)
		strbuf_puts(out, " inactive");
	strbuf_puts(out, "\n");
}

static void json_nh(struct json_object *arr, uint8_t kind, const struct ipaddr *gw, int ifindex,
		    bool fib, bool recursive, bool resolver)
{
	char a[IPADDR_STRLEN], ifn[IF_NAMESIZE];
	struct json_object *n = json_object_new_object();
	if (fib)
		json_object_object_add(n, "fib", json_object_new_boolean(1));
	if (kind == KERNEL_NH_BLACKHOLE) {
		json_object_object_add(n, "unreachable", json_object_new_boolean(1));
		json_object_object_add(n, "blackhole", json_object_new_boolean(1));
	} else if (kind == KERNEL_NH_IFACE || !gw->family) {
		json_object_object_add(n, "directlyConnected", json_object_new_boolean(1));
	} else {
		json_object_object_add(n, "ip", json_object_new_string(ipaddr_fmt(gw, a, sizeof(a))));
		json_object_object_add(n, "afi", json_object_new_string(gw->family == AF_INET ? "ipv4"
											: "ipv6"));
	}
	if (ifindex > 0) {
		json_object_object_add(n, "interfaceIndex", json_object_new_int(ifindex));
		json_object_object_add(n, "interfaceName",
				       json_object_new_string(ifname_of(ifindex, ifn)));
	}
	json_object_object_add(n, "active", json_object_new_boolean(1));
	if (recursive)
		json_object_object_add(n, "recursive", json_object_new_boolean(1));
	if (resolver)
		json_object_object_add(n, "resolver", json_object_new_boolean(1));
	json_object_object_add(n, "weight", json_object_new_int(1));
	json_object_array_add(arr, n);
}

static void json_entry(void *ctx, const struct fib_entry_view *e)
{
	struct render *r = ctx;
	char pfx[PREFIX_STRLEN];
	prefix_fmt(e->prefix, pfx, sizeof(pfx));
	struct json_object *list;
	if (!json_object_object_get_ex(r->json, pfx, &list)) {
		list = json_object_new_array();
		json_object_object_add(r->json, pfx, list);
	}
	struct json_object *o = json_object_new_object();
	bool fib = e->installed && e->selected;
	json_object_object_add(o, "prefix", json_object_new_string(pfx));
	json_object_object_add(o, "prefixLen", json_object_new_int(e->prefix->len));
	json_object_object_add(o, "protocol", json_object_new_string(proto_of[e->source]));
	json_object_object_add(o, "vrfId", json_object_new_int(0));
	json_object_object_add(o, "vrfName", json_object_new_string("default"));
	if (e->selected) {
		json_object_object_add(o, "selected", json_object_new_boolean(1));
		json_object_object_add(o, "destSelected", json_object_new_boolean(1));
	}
	json_object_object_add(o, "distance", json_object_new_int(e->distance));
	json_object_object_add(o, "metric", json_object_new_int64(e->source < FIB_SRC_COUNT ? 0 : e->metric));
	if (fib)
		json_object_object_add(o, "installed", json_object_new_boolean(1));
	json_object_object_add(o, "table", json_object_new_int(254));
	struct json_object *nhs = json_object_new_array();
	bool any_recursive = false;
	for (unsigned i = 0; i < e->n_nh; i++) {
		bool rec = recursive(e, i);
		const struct kernel_nexthop *d = direct_of(e, i);
		any_recursive |= rec;
		if (d)
			json_nh(nhs, d->kind, &d->gateway, d->ifindex, fib, false, false);
		else
			json_nh(nhs, e->nh[i].kind, &e->nh[i].gateway, e->nh[i].ifindex, false, rec,
				false);
	}
	for (unsigned k = 0; any_recursive && k < e->n_resolved; k++)
		json_nh(nhs, e->resolved[k].kind, &e->resolved[k].gateway, e->resolved[k].ifindex, fib,
			false, true);
	json_object_object_add(o, "nexthops", nhs);
	json_object_array_add(list, o);
}

void nvad_show_route(struct nvad *d, uint8_t family, bool json, struct strbuf *out)
{
	const struct fib *fib = nvad_kernel_fib(d);
	if (!fib) {
		strbuf_puts(out, json ? "{}\n" : "% no routing table\n");
		return;
	}
	struct render r = { .out = out };
	if (json) {
		r.json = json_object_new_object();
		fib_walk(fib, family, json_entry, &r);
		strbuf_puts(out, json_object_to_json_string_ext(r.json, JSON_C_TO_STRING_PRETTY |
								   JSON_C_TO_STRING_NOSLASHESCAPE));
		strbuf_puts(out, "\n");
		json_object_put(r.json);
		return;
	}
	strbuf_puts(out,
		    "Codes: K - kernel route, C - connected, S - static, R - RIP,\n"
		    "       O - OSPF, I - IS-IS, B - BGP, E - EIGRP, N - NHRP,\n"
		    "       T - Table, v - VNC, V - VNC-Direct, A - Babel, F - PBR,\n"
		    "       f - OpenFabric,\n"
		    "       > - selected route, * - FIB route, q - queued, r - rejected, b - backup\n"
		    "       t - trapped, o - offload failure\n\n");
	fib_walk(fib, family, text_entry, &r);
}

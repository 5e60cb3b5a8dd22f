/* routeserver.c: the emulated Azure Route Servers, two instances each (R-D1),
 * every instance a speaker of nvad's BGP library (a value, principle 2) with
 * ASN 65515 and real eBGP multihop sessions with the NVAs. The speakers do no
 * routing of their own: what they receive is kept before policy (inbound
 * everything is denied) and becomes the model's feed, read with
 * bgp_peer_routes (attributes as received, communities included, so
 * NO_ADVERTISE reaches the model: R-D8) whenever the peer's UPDATE count or
 * its session changed; what they send is what the model says
 * (azlab_model_rs_advertised): each prefix originated once with an empty
 * path, and per NVA a route-map that lets through its prefixes and prepends
 * the path the model gives that NVA (two NVAs with one prefix each get the
 * other's path, R-D5).
 * Azure's rules (R-D1, R-D2, R-D4..R-D8) live in the model.
 *
 * Sockets: the supervisor is single-threaded; it enters the instance's
 * namespace (setns) only around bgp_speaker_listen, so the listening
 * sockets, and the sessions they accept, belong to that namespace. The
 * peers are passive (the NVAs connect), so no socket is ever made later. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "azlab/live.h"
#include "bgp/show.h"
#include "bgp/speaker.h"
#include "conf/conf.h"
#include "lib/strbuf.h"
#include "policy/policy.h"

/* What one instance received from one NVA, as last walked. */
struct rs_conn {
	struct bgp_peer *peer;
	uint64_t updates_seen; /* bgp_peer_updates_in at the last walk */
	bool walked;
	struct azlab_feed routes;
};

struct rs_inst {
	int rs, inst;
	uint32_t ip;
	struct bgp_speaker *sp;
	struct policy *pol;
	struct conf *conf;
	char *policy_text;
	struct azlab_pfx *orig; /* what it originates */
	size_t n_orig;
	struct rs_conn *conns;  /* per bgpConnection of its Route Server */
	bool session_changed;   /* a session went up or down since the last walk */
};

struct azlab_rs {
	const struct azlab_topo *t;
	struct logger log;
	struct rs_inst *v;
	size_t n;
	struct azlab_feed last;
};

static void ip_to_addr(uint32_t ip, struct ipaddr *a)
{
	memset(a, 0, sizeof *a);
	a->family = AF_INET;
	uint32_t be = htonl(ip);
	memcpy(a->a, &be, 4);
}

/* ---- originating what the model says a speaker advertises ---- */

static void prefix_of(struct azlab_pfx p, struct prefix *out)
{
	memset(out, 0, sizeof *out);
	out->family = AF_INET;
	out->len = p.len;
	uint32_t be = htonl(p.addr);
	memcpy(out->a, &be, 4);
}

/* Adds p to the set; false when it was there already (or memory ran out). */
static bool want_add(struct azlab_pfx **want, size_t *n, struct azlab_pfx p)
{
	for (size_t i = 0; i < *n; i++)
		if (azlab_pfx_eq((*want)[i], p))
			return false;
	struct azlab_pfx *v = realloc(*want, (*n + 1) * sizeof *v);
	if (!v)
		return false;
	*want = v;
	v[(*n)++] = p;
	return true;
}

/* Originates br with origin IGP, its AS path less the speaker's own AS in
 * front (the speaker prepends it toward eBGP peers), and next hop nexthop
 * (host order; 0: none, the speaker's own). */
static void originate(struct bgp_speaker *sp, const struct azlab_bgp_route *br, uint32_t own_as,
		      uint32_t nexthop)
{
	size_t skip = br->n_as && br->as_path[0] == own_as ? 1 : 0;
	uint8_t seg[2 + 4 * AZLAB_MAX_ASPATH];
	size_t nas = br->n_as - skip, len = 0;
	if (nas) {
		seg[0] = 2; /* AS_SEQUENCE */
		seg[1] = (uint8_t)nas;
		len = 2;
		for (size_t a = 0; a < nas; a++) {
			uint32_t be = htonl(br->as_path[skip + a]);
			memcpy(seg + len, &be, 4);
			len += 4;
		}
	}
	struct bgp_attrs at = { .origin = BGP_ORIGIN_IGP };
	at.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	at.aspath = (struct bgp_bytes){ seg, (uint32_t)len };
	if (nexthop) {
		at.have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		at.nexthop = nexthop;
	}
	struct prefix px;
	prefix_of(br->prefix, &px);
	bgp_local_add(sp, BGP_LOCAL_NETWORK, &px, &at);
}

/* Withdraws what was originated (old) and is no longer wanted. */
static void withdraw_unwanted(struct bgp_speaker *sp, const struct azlab_pfx *old, size_t n_old,
			      const struct azlab_pfx *want, size_t n_want)
{
	for (size_t j = 0; j < n_old; j++) {
		bool keep = false;
		for (size_t i = 0; i < n_want && !keep; i++)
			keep = azlab_pfx_eq(want[i], old[j]);
		if (keep)
			continue;
		struct prefix px;
		prefix_of(old[j], &px);
		bgp_local_del(sp, BGP_LOCAL_NETWORK, &px);
	}
}

static bool set_policy(struct rs_inst *ri, const char *text)
{
	if (ri->policy_text && !strcmp(ri->policy_text, text))
		return true;
	struct conf_errors errs = CONF_ERRORS_INIT;
	struct conf *c = conf_parse(text, strlen(text), "azlab-route-server", &errs);
	struct policy *pol = c ? policy_compile(c, &errs) : NULL;
	if (!pol) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "azlab: route server policy: %s\n", errs.items[i].text);
		conf_errors_free(&errs);
		conf_free(c);
		return false;
	}
	conf_errors_free(&errs);
	bgp_speaker_set_policy(ri->sp, pol, ri->pol != NULL);
	policy_free(ri->pol);
	conf_free(ri->conf);
	ri->pol = pol;
	ri->conf = c;
	free(ri->policy_text);
	ri->policy_text = strdup(text);
	return true;
}

/* A session that goes down takes its routes without an UPDATE: walk again. */
static void on_event(void *ctx, const struct bgp_speaker_event *ev)
{
	struct rs_inst *ri = ctx;
	if (ev->type == BGP_EVENT_SESSION || ev->type == BGP_EVENT_EOR)
		ri->session_changed = true;
}

static int enter_ns(const char *ns)
{
	char path[300];
	azlab_sfmt(path, sizeof path, "/run/netns/%s", ns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = setns(fd, CLONE_NEWNET);
	close(fd);
	return rc;
}

/* Listens on port 179 in the namespace entered. The NVAs and CE routers
 * connect over IPv4, so IPv4 failing is a failure even when IPv6 listens
 * (a program of the user's holding 0.0.0.0:179 in the namespace). */
static bool listen_v4(struct bgp_speaker *sp, const char *who, const char *ns, char *err,
		      size_t cap)
{
	bgp_speaker_listen(sp);
	int e = bgp_speaker_listen_error(sp, AF_INET);
	if (e)
		azlab_sfmt(err, cap, "%s: cannot listen on port 179 in %s: %s", who, ns, strerror(e));
	return e == 0;
}

struct azlab_rs *azlab_rs_new(struct loop *loop, const struct azlab_topo *t,
			      const struct azlab_lab_names *n, char *err, size_t cap)
{
	struct azlab_rs *r = calloc(1, sizeof *r);
	if (!r || !(r->v = calloc(t->n_route_servers * 2 + 1, sizeof *r->v))) {
		free(r);
		azlab_sfmt(err, cap, "out of memory");
		return NULL;
	}
	r->t = t;
	log_open(&r->log, "azlab-rs", LOG_LVL_NOTICE, false);
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		azlab_sfmt(err, cap, "cannot open this process's network namespace: %s",
			 strerror(errno));
		free(r->v);
		free(r);
		return NULL;
	}
	bool ok = true;
	for (size_t s = 0; ok && s < t->n_route_servers; s++) {
		const struct azlab_route_server *rs = &t->route_servers[s];
		for (int i = 0; ok && i < 2; i++) {
			struct rs_inst *ri = &r->v[r->n++];
			ri->rs = (int)s;
			ri->inst = i;
			ri->ip = rs->ips[i];
			struct bgp_speaker_cfg cfg;
			bgp_speaker_cfg_defaults(&cfg);
			cfg.asn = AZLAB_ASN_AZURE;   /* R-D1 */
			cfg.router_id = ri->ip;
			cfg.listen_port = 179;
			cfg.keepalive = 60;          /* R-D1: 60/180 */
			cfg.hold = 180;
			cfg.ebgp_requires_policy = false;
			cfg.log_neighbor_changes = true;
			cfg.hostname = rs->name;
			ri->sp = bgp_speaker_new(loop, &r->log, &cfg);
			ri->conns = calloc(rs->n_connections + 1, sizeof *ri->conns);
			if (!ri->sp || !ri->conns) {
				azlab_sfmt(err, cap, "route server %s: cannot make a BGP speaker", rs->name);
				ok = false;
				break;
			}
			bgp_speaker_on_event(ri->sp, on_event, ri);
			ri->session_changed = true;
			struct strbuf pt = STRBUF_INIT;
			strbuf_puts(&pt, "route-map AZL-IN deny 10\nexit\n");
			if (!set_policy(ri, strbuf_str(&pt))) {
				azlab_sfmt(err, cap, "route server %s: policy does not compile", rs->name);
				strbuf_free(&pt);
				ok = false;
				break;
			}
			strbuf_free(&pt);
			for (size_t c = 0; c < rs->n_connections; c++) {
				const struct azlab_bgp_connection *bc = &rs->connections[c];
				struct bgp_peer_cfg pc;
				bgp_peer_cfg_defaults(&pc);
				ip_to_addr(bc->peer_ip, &pc.addr);
				pc.remote_as_kind = BGP_REMOTE_AS_NUMBER;
				pc.remote_as = bc->peer_asn;
				pc.passive = true;
				pc.multihop_ttl = 255;
				azlab_sfmt(pc.description, sizeof pc.description, "%s", bc->name);
				struct bgp_peer_af_cfg *af = &pc.af[BGP_FAM_IPV4];
				af->active = true;
				af->soft_reconfig_in = true; /* the feed: routes before policy */
				af->policy_in = af->policy_out = true;
				azlab_sfmt(af->rmap_in, sizeof af->rmap_in, "AZL-IN");
				azlab_sfmt(af->rmap_out, sizeof af->rmap_out, "AZL-OUT-%zu", c);
				if (!(ri->conns[c].peer = bgp_peer_add(ri->sp, &pc))) {
					azlab_sfmt(err, cap, "route server %s: cannot add neighbor %s",
						 rs->name, bc->name);
					ok = false;
					break;
				}
			}
			char ns[AZLAB_NS_MAX];
			azlab_fabric_rs_ns(n, t, (int)s, i, ns, sizeof ns);
			if (ok && enter_ns(ns) < 0) {
				azlab_sfmt(err, cap, "route server %s: namespace %s: %s", rs->name, ns,
					 strerror(errno));
				ok = false;
			}
			if (ok) {
				char who[160];
				azlab_sfmt(who, sizeof who, "route server %s instance %d", rs->name, i);
				ok = listen_v4(ri->sp, who, ns, err, cap);
			}
			if (setns(home, CLONE_NEWNET) < 0) {
				azlab_sfmt(err, cap, "cannot return to azlab's namespace: %s", strerror(errno));
				ok = false;
			}
		}
	}
	close(home);
	if (!ok) {
		azlab_rs_free(r);
		return NULL;
	}
	return r;
}

void azlab_rs_free(struct azlab_rs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		for (size_t c = 0; r->v[i].conns && c < r->t->route_servers[r->v[i].rs].n_connections; c++)
			azlab_feed_free(&r->v[i].conns[c].routes);
		free(r->v[i].conns);
		bgp_speaker_free(r->v[i].sp);
		policy_free(r->v[i].pol);
		conf_free(r->v[i].conf);
		free(r->v[i].policy_text);
		free(r->v[i].orig);
	}
	free(r->v);
	azlab_feed_free(&r->last);
	free(r);
}

/* The AS numbers of a canonical AS_PATH (segments: type, count, count x 4
 * octets), sequences and sets in order; confederation segments are skipped,
 * as they never reach an eBGP peer. */
static uint8_t path_of(struct bgp_bytes p, uint32_t *as)
{
	uint8_t n = 0;
	for (uint32_t off = 0; off + 2 <= p.len;) {
		uint8_t type = p.p[off], cnt = p.p[off + 1];
		off += 2;
		for (uint8_t k = 0; k < cnt && off + 4 <= p.len; k++, off += 4) {
			uint32_t be;
			memcpy(&be, p.p + off, 4);
			if ((type == 1 || type == 2) && n < AZLAB_MAX_ASPATH)
				as[n++] = ntohl(be);
		}
	}
	return n;
}

#define COMM_NO_ADVERTISE 0xffffff02u /* 65535:65282, RFC 1997 */

static bool has_community(struct bgp_bytes c, uint32_t want)
{
	for (uint32_t off = 0; off + 4 <= c.len; off += 4) {
		uint32_t be;
		memcpy(&be, c.p + off, 4);
		if (ntohl(be) == want)
			return true;
	}
	return false;
}

struct walk {
	const struct azlab_bgp_connection *bc;
	int rs;
	struct azlab_feed *out;
	bool oom;
};

static void walk_route(void *ctx, const struct prefix *p, const struct bgp_attrs *a, bool accepted)
{
	(void)accepted; /* the inbound policy denies everything: the feed is what was sent */
	struct walk *w = ctx;
	if (p->family != AF_INET)
		return;
	struct azlab_feed_route fr = { .vm = w->bc->vm, .route_server = w->rs };
	uint32_t be;
	memcpy(&be, p->a, 4);
	fr.prefix.addr = ntohl(be);
	fr.prefix.len = p->len;
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH))
		fr.n_as = path_of(a->aspath, fr.as_path);
	fr.next_hop = bgp_attrs_has(a, BGP_ATTR_NEXT_HOP) && a->nexthop ? a->nexthop : w->bc->peer_ip;
	fr.no_advertise = bgp_attrs_has(a, BGP_ATTR_COMMUNITIES) &&
			  has_community(a->communities, COMM_NO_ADVERTISE);
	if (!azlab_feed_add(w->out, &fr))
		w->oom = true;
}

static bool same_route(const struct azlab_feed_route *a, const struct azlab_feed_route *b)
{
	return a->vm == b->vm && a->route_server == b->route_server &&
	       azlab_pfx_eq(a->prefix, b->prefix) && a->n_as == b->n_as &&
	       !memcmp(a->as_path, b->as_path, a->n_as * sizeof a->as_path[0]) &&
	       a->next_hop == b->next_hop && a->no_advertise == b->no_advertise;
}

bool azlab_rs_feed(struct azlab_rs *r, struct azlab_feed *out, bool *changed)
{
	const struct azlab_topo *t = r->t;
	bool walked = false;
	for (size_t k = 0; k < r->n; k++) {
		struct rs_inst *ri = &r->v[k];
		const struct azlab_route_server *rs = &t->route_servers[ri->rs];
		bool sess = ri->session_changed;
		ri->session_changed = false;
		for (size_t c = 0; c < rs->n_connections; c++) {
			const struct azlab_bgp_connection *bc = &rs->connections[c];
			struct rs_conn *rc = &ri->conns[c];
			if (bc->vm < 0 || !rc->peer)
				continue;
			uint64_t upd = bgp_peer_updates_in(rc->peer);
			if (rc->walked && !sess && upd == rc->updates_seen)
				continue;
			struct walk w = { .bc = bc, .rs = ri->rs, .out = &rc->routes };
			azlab_feed_free(&rc->routes);
			bgp_peer_routes(rc->peer, BGP_FAM_IPV4, true, walk_route, &w);
			if (w.oom) {
				ri->session_changed = true; /* try again next time */
				return false;
			}
			rc->updates_seen = upd;
			rc->walked = true;
			walked = true;
		}
	}
	*changed = false;
	if (!walked)
		return true;
	/* the union, in instance and connection order; both instances of a
	 * Route Server usually hold the same route once */
	for (size_t k = 0; k < r->n; k++) {
		const struct rs_inst *ri = &r->v[k];
		const struct azlab_route_server *rs = &t->route_servers[ri->rs];
		for (size_t c = 0; c < rs->n_connections; c++) {
			const struct azlab_feed *l = &ri->conns[c].routes;
			for (size_t i = 0; i < l->n; i++) {
				bool dup = false;
				for (size_t j = 0; j < out->n && !dup; j++)
					dup = same_route(&out->v[j], &l->v[i]);
				if (!dup && !azlab_feed_add(out, &l->v[i]))
					return false;
			}
		}
	}
	*changed = out->n != r->last.n;
	for (size_t i = 0; !*changed && i < out->n; i++)
		*changed = !same_route(&out->v[i], &r->last.v[i]);
	if (*changed) {
		azlab_feed_free(&r->last);
		for (size_t i = 0; i < out->n; i++)
			if (!azlab_feed_add(&r->last, &out->v[i]))
				return false;
	}
	return true;
}

bool azlab_rs_last(const struct azlab_rs *r, struct azlab_feed *out)
{
	for (size_t i = 0; i < r->last.n; i++)
		if (!azlab_feed_add(out, &r->last.v[i]))
			return false;
	return true;
}

/* The path a route-map prepends for br: its AS path less the leading 65515,
 * which the speaker adds itself ("" when nothing else). */
static void path_tail(const struct azlab_bgp_route *br, char *buf, size_t cap)
{
	size_t skip = br->n_as && br->as_path[0] == AZLAB_ASN_AZURE ? 1 : 0;
	azlab_aspath_fmt(br->as_path + skip, br->n_as - skip, buf, cap);
}

/* The outbound policy of connection c: one prefix-list per distinct AS
 * path the model sends that NVA, each with a route-map entry that prepends
 * the path. Each prefix is originated once per instance with an empty path
 * (so two NVAs sending one prefix give a third the path the model chose for
 * it, and each of the two the other's: R-D5), and the route-map gives every
 * NVA its own path. */
static void conn_policy(struct strbuf *pt, size_t c, const struct azlab_rlist *l, int inst)
{
	char pb[AZLAB_PFXSTR], path[16 * AZLAB_MAX_ASPATH], other[16 * AZLAB_MAX_ASPATH];
	unsigned group = 0;
	for (size_t i = 0; l && i < l->n; i++) {
		const struct azlab_bgp_route *br = &l->v[i];
		if (br->instance >= 0 && br->instance != inst)
			continue;
		path_tail(br, path, sizeof path);
		bool first = true; /* the first route with this path opens a group */
		for (size_t j = 0; j < i && first; j++) {
			if (l->v[j].instance >= 0 && l->v[j].instance != inst)
				continue;
			path_tail(&l->v[j], other, sizeof other);
			first = strcmp(path, other) != 0;
		}
		if (!first)
			continue;
		unsigned seq = 5;
		for (size_t j = i; j < l->n; j++) {
			if (l->v[j].instance >= 0 && l->v[j].instance != inst)
				continue;
			path_tail(&l->v[j], other, sizeof other);
			if (strcmp(path, other))
				continue;
			strbuf_printf(pt, "ip prefix-list AZL-OUT-%zu-%u seq %u permit %s\n", c, group,
				      seq, azlab_pfx_fmt(l->v[j].prefix, pb));
			seq += 5;
		}
		strbuf_printf(pt, "route-map AZL-OUT-%zu permit %u\n match ip address prefix-list AZL-OUT-%zu-%u\n",
			      c, 10 * (group + 1), c, group);
		if (path[0])
			strbuf_printf(pt, " set as-path prepend %s\n", path);
		strbuf_puts(pt, "exit\n");
		group++;
	}
	strbuf_printf(pt, "route-map AZL-OUT-%zu deny 65535\nexit\n", c);
}

void azlab_rs_sync(struct azlab_rs *r, const struct azlab_model *m)
{
	const struct azlab_topo *t = r->t;
	for (size_t k = 0; k < r->n; k++) {
		struct rs_inst *ri = &r->v[k];
		const struct azlab_route_server *rs = &t->route_servers[ri->rs];
		struct strbuf pt = STRBUF_INIT;
		strbuf_puts(&pt, "route-map AZL-IN deny 10\nexit\n");
		struct azlab_pfx *want = NULL;
		size_t n_want = 0;
		for (size_t c = 0; c < rs->n_connections; c++) {
			const struct azlab_rlist *l = azlab_model_rs_advertised(m, ri->rs, (int)c);
			conn_policy(&pt, c, l, ri->inst);
			for (size_t i = 0; l && i < l->n; i++) {
				const struct azlab_bgp_route *br = &l->v[i];
				if (br->instance >= 0 && br->instance != ri->inst)
					continue;
				/* R-D4: next hop the instance's own address; the path
				 * comes from the connection's route-map, 65515 from
				 * the speaker. */
				struct azlab_bgp_route bare = *br;
				bare.n_as = 0;
				if (want_add(&want, &n_want, br->prefix))
					originate(ri->sp, &bare, AZLAB_ASN_AZURE, ri->ip);
			}
		}
		withdraw_unwanted(ri->sp, ri->orig, ri->n_orig, want, n_want);
		free(ri->orig);
		ri->orig = want;
		ri->n_orig = n_want;
		if (!pt.oom)
			set_policy(ri, strbuf_str(&pt));
		strbuf_free(&pt);
	}
}

json_object *azlab_rs_sessions(struct azlab_rs *r, bool *all_up)
{
	const struct azlab_topo *t = r->t;
	json_object *arr = json_object_new_array();
	struct strbuf sb = STRBUF_INIT;
	char ib[AZLAB_IPSTR];
	*all_up = true;
	for (size_t k = 0; k < r->n; k++) {
		const struct rs_inst *ri = &r->v[k];
		const struct azlab_route_server *rs = &t->route_servers[ri->rs];
		strbuf_reset(&sb);
		bgp_show_summary(ri->sp, BGP_FAM_IPV4, true, NULL, &sb);
		json_object *root = json_tokener_parse(strbuf_str(&sb)), *fam = NULL, *peers = NULL;
		if (root)
			json_object_object_get_ex(root, "ipv4Unicast", &fam);
		if (fam)
			json_object_object_get_ex(fam, "peers", &peers);
		bool eor = bgp_speaker_all_eor(ri->sp);
		for (size_t c = 0; c < rs->n_connections; c++) {
			const struct azlab_bgp_connection *bc = &rs->connections[c];
			json_object *o = json_object_new_object(), *p = NULL, *v;
			json_object_object_add(o, "routeServer", json_object_new_string(rs->name));
			json_object_object_add(o, "instance", json_object_new_int(ri->inst));
			json_object_object_add(o, "address", json_object_new_string(azlab_ip_fmt(ri->ip, ib)));
			json_object_object_add(o, "peer", json_object_new_string(azlab_ip_fmt(bc->peer_ip, ib)));
			json_object_object_add(o, "peerAsn", json_object_new_int64(bc->peer_asn));
			json_object_object_add(o, "vm", json_object_new_string(bc->vm >= 0 ? t->vms[bc->vm].name : ""));
			const char *state = "Idle";
			int64_t rcd = 0, snt = 0;
			if (peers)
				json_object_object_get_ex(peers, azlab_ip_fmt(bc->peer_ip, ib), &p);
			if (p && json_object_object_get_ex(p, "state", &v))
				state = json_object_get_string(v);
			if (p && json_object_object_get_ex(p, "pfxRcd", &v))
				rcd = json_object_get_int64(v);
			if (p && json_object_object_get_ex(p, "pfxSnt", &v))
				snt = json_object_get_int64(v);
			json_object_object_add(o, "state", json_object_new_string(state));
			/* what this instance really sent the NVA (its Adj-RIB-Out) */
			json_object *adv = json_object_new_object();
			struct ipaddr pa;
			struct strbuf ab = STRBUF_INIT;
			ip_to_addr(bc->peer_ip, &pa);
			if (bgp_show_neighbor_routes(ri->sp, &pa, BGP_FAM_IPV4, BGP_SHOW_ADVERTISED, true,
						     NULL, &ab)) {
				json_object *ar = json_tokener_parse(strbuf_str(&ab)), *rt;
				if (ar && json_object_object_get_ex(ar, "advertisedRoutes", &rt) &&
				    json_object_is_type(rt, json_type_object)) {
					json_object_object_foreach(rt, key, val)
					{
						json_object *pv;
						const char *path = json_object_object_get_ex(val, "path", &pv) ?
									   json_object_get_string(pv) : "";
						json_object_object_add(adv, key, json_object_new_string(path));
					}
				}
				json_object_put(ar);
			}
			strbuf_free(&ab);
			json_object_object_add(o, "advertised", adv);
			json_object_object_add(o, "pfxRcd", json_object_new_int64(rcd));
			json_object_object_add(o, "pfxSnt", json_object_new_int64(snt));
			bool nva = bc->vm >= 0 && t->vms[bc->vm].nva;
			if (nva && (strcmp(state, "Established") != 0 || !eor))
				*all_up = false;
			json_object_array_add(arr, o);
		}
		json_object_put(root);
	}
	strbuf_free(&sb);
	return arr;
}

/* ---- the MSEEs: a speaker per circuit whose sites run CE software ----
 *
 * Each is a speaker of nvad's BGP library with ASN 12076 (R-C1) in the
 * circuit's MSEE namespace, listening on the MSEE's end of each site link
 * (azlab_site_link) with passive eBGP sessions to the CE routers. As with
 * the Route Servers, inbound everything is denied with soft-reconfiguration
 * inbound, so what the CE sent (as received) is the model's site feed;
 * outbound, the MSEE originates what azlab_model_site_learned gives each
 * site (R-C3: private ASNs stripped, 12076 prepended; the leading 12076 is
 * the speaker's own), one prefix-list per site. The next hop is the
 * session's local address (eBGP, next-hop-self). */

struct msee_site {
	int site;
	struct bgp_peer *peer;
	uint64_t updates_seen;
	bool walked;
	struct azlab_feed routes;
};

struct msee_inst {
	int circuit;
	struct bgp_speaker *sp;
	struct policy *pol;
	struct conf *conf;
	char *policy_text;
	struct azlab_pfx *orig;
	size_t n_orig;
	struct msee_site *sites;
	size_t n_sites;
	bool session_changed;
};

struct azlab_msee {
	const struct azlab_topo *t;
	struct logger log;
	struct msee_inst *v;
	size_t n;
	struct azlab_feed last;
};

static bool msee_policy(struct msee_inst *mi, const char *text)
{
	if (mi->policy_text && !strcmp(mi->policy_text, text))
		return true;
	struct conf_errors errs = CONF_ERRORS_INIT;
	struct conf *c = conf_parse(text, strlen(text), "azlab-msee", &errs);
	struct policy *pol = c ? policy_compile(c, &errs) : NULL;
	if (!pol) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "azlab: MSEE policy: %s\n", errs.items[i].text);
		conf_errors_free(&errs);
		conf_free(c);
		return false;
	}
	conf_errors_free(&errs);
	bgp_speaker_set_policy(mi->sp, pol, mi->pol != NULL);
	policy_free(mi->pol);
	conf_free(mi->conf);
	mi->pol = pol;
	mi->conf = c;
	free(mi->policy_text);
	mi->policy_text = strdup(text);
	return true;
}

static void msee_on_event(void *ctx, const struct bgp_speaker_event *ev)
{
	struct msee_inst *mi = ctx;
	if (ev->type == BGP_EVENT_SESSION || ev->type == BGP_EVENT_EOR)
		mi->session_changed = true;
}

void azlab_msee_free(struct azlab_msee *ms)
{
	if (!ms)
		return;
	for (size_t i = 0; i < ms->n; i++) {
		struct msee_inst *mi = &ms->v[i];
		for (size_t k = 0; k < mi->n_sites; k++)
			azlab_feed_free(&mi->sites[k].routes);
		free(mi->sites);
		bgp_speaker_free(mi->sp);
		policy_free(mi->pol);
		conf_free(mi->conf);
		free(mi->policy_text);
		free(mi->orig);
	}
	free(ms->v);
	azlab_feed_free(&ms->last);
	free(ms);
}

struct azlab_msee *azlab_msee_new(struct loop *loop, const struct azlab_topo *t,
				  const struct azlab_lab_names *n, char *err, size_t cap)
{
	struct azlab_msee *ms = calloc(1, sizeof *ms);
	if (!ms || !(ms->v = calloc(t->n_circuits + 1, sizeof *ms->v))) {
		free(ms);
		azlab_sfmt(err, cap, "out of memory");
		return NULL;
	}
	ms->t = t;
	log_open(&ms->log, "azlab-msee", LOG_LVL_NOTICE, false);
	int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0) {
		azlab_sfmt(err, cap, "cannot open this process's network namespace: %s",
			   strerror(errno));
		azlab_msee_free(ms);
		return NULL;
	}
	bool ok = true;
	for (size_t c = 0; ok && c < t->n_circuits; c++) {
		size_t want = 0;
		for (size_t s = 0; s < t->n_sites; s++)
			want += t->sites[s].circuit == (int)c && azlab_site_runs_ce(&t->sites[s]);
		if (!want)
			continue;
		struct msee_inst *mi = &ms->v[ms->n++];
		mi->circuit = (int)c;
		mi->session_changed = true;
		mi->sites = calloc(want, sizeof *mi->sites);
		struct bgp_speaker_cfg cfg;
		bgp_speaker_cfg_defaults(&cfg);
		cfg.asn = AZLAB_ASN_MSEE; /* R-C1 */
		cfg.listen_port = 179;
		cfg.keepalive = 60;
		cfg.hold = 180;
		cfg.ebgp_requires_policy = false;
		cfg.log_neighbor_changes = true;
		cfg.hostname = t->circuits[c].name;
		for (size_t s = 0; s < t->n_sites; s++)
			if (t->sites[s].circuit == (int)c && azlab_site_runs_ce(&t->sites[s])) {
				uint32_t ce, me;
				azlab_site_link((int)s, &ce, &me);
				cfg.router_id = me; /* the first site's link address */
				break;
			}
		mi->sp = mi->sites ? bgp_speaker_new(loop, &ms->log, &cfg) : NULL;
		if (!mi->sp || !msee_policy(mi, "route-map AZL-IN deny 10\nexit\n")) {
			azlab_sfmt(err, cap, "MSEE of %s: cannot make a BGP speaker", t->circuits[c].name);
			ok = false;
			break;
		}
		bgp_speaker_on_event(mi->sp, msee_on_event, mi);
		for (size_t s = 0; ok && s < t->n_sites; s++) {
			const struct azlab_site *st = &t->sites[s];
			if (st->circuit != (int)c || !azlab_site_runs_ce(st))
				continue;
			uint32_t ce, me;
			azlab_site_link((int)s, &ce, &me);
			struct bgp_peer_cfg pc;
			bgp_peer_cfg_defaults(&pc);
			ip_to_addr(ce, &pc.addr);
			pc.remote_as_kind = BGP_REMOTE_AS_NUMBER;
			pc.remote_as = st->asn;
			pc.passive = true; /* the CE connects: no socket outside the namespace */
			azlab_sfmt(pc.description, sizeof pc.description, "%s", st->name);
			struct bgp_peer_af_cfg *af = &pc.af[BGP_FAM_IPV4];
			af->active = true;
			af->soft_reconfig_in = true;
			af->policy_in = af->policy_out = true;
			azlab_sfmt(af->rmap_in, sizeof af->rmap_in, "AZL-IN");
			azlab_sfmt(af->plist_out, sizeof af->plist_out, "AZL-SITE-%zu", s);
			struct msee_site *ms_site = &mi->sites[mi->n_sites];
			ms_site->site = (int)s;
			if (!(ms_site->peer = bgp_peer_add(mi->sp, &pc))) {
				azlab_sfmt(err, cap, "MSEE of %s: cannot add the CE of %s",
					   t->circuits[c].name, st->name);
				ok = false;
				break;
			}
			mi->n_sites++;
		}
		char ns[AZLAB_NS_MAX], what[200];
		azlab_sfmt(what, sizeof what, "msee-%s", t->circuits[c].name);
		azlab_ns_name(n, what, ns, sizeof ns);
		if (ok && enter_ns(ns) < 0) {
			azlab_sfmt(err, cap, "MSEE of %s: namespace %s: %s", t->circuits[c].name, ns,
				   strerror(errno));
			ok = false;
		}
		if (ok) {
			char who[160];
			azlab_sfmt(who, sizeof who, "MSEE of %s", t->circuits[c].name);
			ok = listen_v4(mi->sp, who, ns, err, cap);
		}
		if (setns(home, CLONE_NEWNET) < 0) {
			azlab_sfmt(err, cap, "cannot return to azlab's namespace: %s", strerror(errno));
			ok = false;
		}
	}
	close(home);
	if (!ok) {
		azlab_msee_free(ms);
		return NULL;
	}
	return ms;
}

struct site_walk {
	int site;
	uint32_t ce;
	struct azlab_feed *out;
	bool oom;
};

static void walk_site_route(void *ctx, const struct prefix *p, const struct bgp_attrs *a,
			    bool accepted)
{
	(void)accepted;
	struct site_walk *w = ctx;
	if (p->family != AF_INET)
		return;
	struct azlab_feed_route fr = { .vm = -1, .route_server = -1, .from_site = true,
				       .site = w->site };
	uint32_t be;
	memcpy(&be, p->a, 4);
	fr.prefix.addr = ntohl(be);
	fr.prefix.len = p->len;
	if (bgp_attrs_has(a, BGP_ATTR_AS_PATH))
		fr.n_as = path_of(a->aspath, fr.as_path);
	fr.next_hop = bgp_attrs_has(a, BGP_ATTR_NEXT_HOP) && a->nexthop ? a->nexthop : w->ce;
	fr.no_advertise = bgp_attrs_has(a, BGP_ATTR_COMMUNITIES) &&
			  has_community(a->communities, COMM_NO_ADVERTISE);
	if (!azlab_feed_add(w->out, &fr))
		w->oom = true;
}

static bool same_site_route(const struct azlab_feed_route *a, const struct azlab_feed_route *b)
{
	return a->site == b->site && azlab_pfx_eq(a->prefix, b->prefix) && a->n_as == b->n_as &&
	       !memcmp(a->as_path, b->as_path, a->n_as * sizeof a->as_path[0]) &&
	       a->next_hop == b->next_hop && a->no_advertise == b->no_advertise;
}

bool azlab_msee_feed(struct azlab_msee *ms, struct azlab_feed *out, bool *changed)
{
	bool walked = false;
	*changed = false;
	for (size_t i = 0; i < ms->n; i++) {
		struct msee_inst *mi = &ms->v[i];
		bool sess = mi->session_changed;
		mi->session_changed = false;
		for (size_t k = 0; k < mi->n_sites; k++) {
			struct msee_site *x = &mi->sites[k];
			uint64_t upd = bgp_peer_updates_in(x->peer);
			if (x->walked && !sess && upd == x->updates_seen)
				continue;
			uint32_t ce, me;
			azlab_site_link(x->site, &ce, &me);
			struct site_walk w = { .site = x->site, .ce = ce, .out = &x->routes };
			azlab_feed_free(&x->routes);
			bgp_peer_routes(x->peer, BGP_FAM_IPV4, true, walk_site_route, &w);
			if (w.oom) {
				mi->session_changed = true;
				return false;
			}
			x->updates_seen = upd;
			x->walked = true;
			walked = true;
		}
	}
	if (!walked)
		return true;
	size_t first = out->n;
	for (size_t i = 0; i < ms->n; i++)
		for (size_t k = 0; k < ms->v[i].n_sites; k++) {
			const struct azlab_feed *l = &ms->v[i].sites[k].routes;
			for (size_t j = 0; j < l->n; j++)
				if (!azlab_feed_add(out, &l->v[j]))
					return false;
		}
	size_t n = out->n - first;
	*changed = n != ms->last.n;
	for (size_t i = 0; !*changed && i < n; i++)
		*changed = !same_site_route(&out->v[first + i], &ms->last.v[i]);
	if (*changed) {
		azlab_feed_free(&ms->last);
		for (size_t i = 0; i < n; i++)
			if (!azlab_feed_add(&ms->last, &out->v[first + i]))
				return false;
	}
	return true;
}

/* The routes last walked (for a caller whose feed changed elsewhere). */
bool azlab_msee_last(const struct azlab_msee *ms, struct azlab_feed *out)
{
	for (size_t i = 0; i < ms->last.n; i++)
		if (!azlab_feed_add(out, &ms->last.v[i]))
			return false;
	return true;
}

void azlab_msee_sync(struct azlab_msee *ms, const struct azlab_model *m)
{
	char pb[AZLAB_PFXSTR];
	for (size_t i = 0; i < ms->n; i++) {
		struct msee_inst *mi = &ms->v[i];
		struct strbuf pt = STRBUF_INIT;
		strbuf_puts(&pt, "route-map AZL-IN deny 10\nexit\n");
		struct azlab_pfx *want = NULL;
		size_t n_want = 0;
		for (size_t k = 0; k < mi->n_sites; k++) {
			int s = mi->sites[k].site;
			const struct azlab_rlist *l = azlab_model_site_learned(m, s);
			unsigned seq = 5;
			for (size_t j = 0; l && j < l->n; j++) {
				const struct azlab_bgp_route *br = &l->v[j];
				strbuf_printf(&pt, "ip prefix-list AZL-SITE-%d seq %u permit %s\n", s, seq,
					      azlab_pfx_fmt(br->prefix, pb));
				seq += 5;
				/* The speaker prepends its own 12076. */
				if (want_add(&want, &n_want, br->prefix))
					originate(mi->sp, br, AZLAB_ASN_MSEE, 0);
			}
		}
		withdraw_unwanted(mi->sp, mi->orig, mi->n_orig, want, n_want);
		free(mi->orig);
		mi->orig = want;
		mi->n_orig = n_want;
		if (!pt.oom)
			msee_policy(mi, strbuf_str(&pt));
		strbuf_free(&pt);
	}
}

json_object *azlab_msee_sessions(struct azlab_msee *ms, bool *all_up)
{
	const struct azlab_topo *t = ms->t;
	json_object *arr = json_object_new_array();
	struct strbuf sb = STRBUF_INIT;
	char ib[AZLAB_IPSTR];
	*all_up = true;
	for (size_t i = 0; i < ms->n; i++) {
		const struct msee_inst *mi = &ms->v[i];
		strbuf_reset(&sb);
		bgp_show_summary(mi->sp, BGP_FAM_IPV4, true, NULL, &sb);
		json_object *root = json_tokener_parse(strbuf_str(&sb)), *fam = NULL, *peers = NULL;
		if (root)
			json_object_object_get_ex(root, "ipv4Unicast", &fam);
		if (fam)
			json_object_object_get_ex(fam, "peers", &peers);
		bool eor = bgp_speaker_all_eor(mi->sp);
		for (size_t k = 0; k < mi->n_sites; k++) {
			const struct azlab_site *st = &t->sites[mi->sites[k].site];
			uint32_t ce, me;
			azlab_site_link(mi->sites[k].site, &ce, &me);
			json_object *o = json_object_new_object(), *p = NULL, *v;
			json_object_object_add(o, "circuit",
					       json_object_new_string(t->circuits[mi->circuit].name));
			json_object_object_add(o, "site", json_object_new_string(st->name));
			json_object_object_add(o, "address", json_object_new_string(azlab_ip_fmt(me, ib)));
			json_object_object_add(o, "peer", json_object_new_string(azlab_ip_fmt(ce, ib)));
			json_object_object_add(o, "peerAsn", json_object_new_int64(st->asn));
			const char *state = "Idle";
			int64_t rcd = 0, snt = 0;
			if (peers)
				json_object_object_get_ex(peers, azlab_ip_fmt(ce, ib), &p);
			if (p && json_object_object_get_ex(p, "state", &v))
				state = json_object_get_string(v);
			if (p && json_object_object_get_ex(p, "pfxRcd", &v))
				rcd = json_object_get_int64(v);
			if (p && json_object_object_get_ex(p, "pfxSnt", &v))
				snt = json_object_get_int64(v);
			json_object_object_add(o, "state", json_object_new_string(state));
			json_object_object_add(o, "pfxRcd", json_object_new_int64(rcd));
			json_object_object_add(o, "pfxSnt", json_object_new_int64(snt));
			if (strcmp(state, "Established") != 0 || !eor)
				*all_up = false;
			json_object_array_add(arr, o);
		}
		json_object_put(root);
	}
	strbuf_free(&sb);
	return arr;
}

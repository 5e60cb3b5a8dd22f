/* fuzz_update_rib.c: libFuzzer target for the UPDATE path from the wire
 * through inbound policy into the RIB.
 *
 * A speaker (AS 65001) with a policy of prefix-lists, as-path regexes,
 * community lists and a route-map that sets communities, MED, local
 * preference and prepends, and three peers marked Established the way
 * session.c marks them: an external one with the route-map inbound, an
 * internal one with soft-reconfiguration inbound and a prefix-list, and an
 * external 2-octet-AS one without policy. The input is a series of records
 * [peer selector (1 octet)] [length (2 octets)] [UPDATE body]; each body is
 * decoded with its peer's options and handed to the RIB as session.c does
 * (a session reset takes the peer down, as the session would). Then the RIB
 * work runs, the tables are rendered as text and JSON, a soft reset inbound
 * replays the Adj-RIB-In through the policy, the tables and every neighbor
 * view are rendered, and the speaker is freed, so that LeakSanitizer sees
 * anything left behind. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bgp/show.h"
#include "bgp/speaker_int.h"
#include "conf/conf.h"
#include "lib/strbuf.h"
#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_PEERS 3

static const char policy_text[] =
	"ip prefix-list PL-IN seq 5 deny 10.0.0.0/8 ge 30\n"
	"ip prefix-list PL-IN seq 10 permit 10.0.0.0/8 le 28\n"
	"ip prefix-list PL-IN seq 15 permit 0.0.0.0/0 le 24\n"
	"ipv6 prefix-list PL6-IN seq 5 permit 2001:db8::/32 le 64\n"
	"bgp as-path access-list AP-BOGON seq 5 permit _0_\n"
	"bgp as-path access-list AP-BOGON seq 10 permit _6451[2-9]_|_65[0-5][0-9][0-9]_$\n"
	"bgp as-path access-list AP-AZURE seq 5 permit ^65515( 12076)*$\n"
	"bgp community-list standard CL-NOEXPORT seq 5 permit no-export\n"
	"bgp community-list expanded CL-EXP seq 5 permit ^65002:1[0-9]+\n"
	"bgp large-community-list standard LC-ONE seq 5 permit 65002:1:1\n"
	"route-map RM-IN deny 5\n match as-path AP-BOGON\n"
	"route-map RM-IN permit 10\n match ip address prefix-list PL-IN\n match as-path AP-AZURE\n"
	" set community 65001:100 additive\n set local-preference 200\n"
	"route-map RM-IN permit 20\n match community CL-EXP\n set metric 77\n"
	" set as-path prepend 65002 65002\n"
	"route-map RM-IN deny 30\n match community CL-NOEXPORT\n"
	"route-map RM-IN permit 40\n match large-community LC-ONE\n set weight 100\n"
	"route-map RM-IN permit 50\n match ipv6 address prefix-list PL6-IN\n"
	" set large-community 65001:2:3\n"
	"route-map RM-NONE deny 10\n";

static struct conf *conf;
static struct policy *pol;

static void load_policy(void)
{
	struct conf_errors errs = CONF_ERRORS_INIT;
	conf = conf_parse(policy_text, strlen(policy_text), "fuzz-policy.conf", &errs);
	if (conf)
		pol = policy_compile(conf, &errs);
	if (!conf || !pol || errs.n) {
		for (size_t i = 0; i < errs.n; i++)
			fprintf(stderr, "%s\n", errs.items[i].text);
		fprintf(stderr, "fuzz_update_rib: the target's policy does not load\n");
		abort();
	}
	conf_errors_free(&errs);
}

struct peer_def {
	const char *addr, *local;
	uint32_t as;
	bool as4;
	bool rmap, soft_in;
};

static const struct peer_def defs[N_PEERS] = {
	{ "10.0.0.2", "10.0.0.1", 65002, true, true, false },
	{ "10.0.0.3", "10.0.0.1", 65001, true, false, true },
	{ "10.0.0.4", "10.0.0.1", 64999, false, false, false },
};

static struct bgp_peer *add_peer(struct bgp_speaker *s, const struct peer_def *d)
{
	struct bgp_peer_cfg c;
	bgp_peer_cfg_defaults(&c);
	if (!ipaddr_parse(d->addr, &c.addr))
		abort();
	c.remote_as = d->as;
	c.passive = true; /* never connects */
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct bgp_peer_af_cfg *af = &c.af[f];
		af->active = true;
		af->soft_reconfig_in = d->soft_in;
		if (d->rmap)
			snprintf(af->rmap_in, sizeof(af->rmap_in), "RM-IN");
		/* Nothing goes out: the Adj-RIB-Out's packing is not this
		 * target's subject and would take most of its time. */
		snprintf(af->rmap_out, sizeof(af->rmap_out), "RM-NONE");
		if (d->soft_in)
			snprintf(af->plist_in, sizeof(af->plist_in), "%s",
				 f == BGP_FAM_IPV4 ? "PL-IN" : "PL6-IN");
	}
	return bgp_peer_add(s, &c);
}

/* Established, as session.c leaves a peer after the OPEN exchange. */
static void establish(struct bgp_peer *p, const struct peer_def *d, uint32_t remote_id)
{
	p->remote_id = remote_id;
	p->conn[0].state = BGP_ST_ESTABLISHED;
	p->est = &p->conn[0];
	if (!ipaddr_parse(d->local, &p->local_addr))
		abort();
	p->nh4 = p->local_addr;
	p->remote_as = d->as;
	p->hold_time = 180;
	p->keepalive_time = 60;
	p->as4 = d->as4;
	p->ext_msg = p->route_refresh = true;
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		p->af[f].negotiated = true;
	loop_timer_stop(p->s->loop, &p->connect_retry);
	rib_peer_up(p);
}

static void run(struct loop *loop)
{
	for (int i = 0; i < 16; i++)
		loop_run_once(loop, 0);
}

/* The Loc-RIB as text and JSON; with all, also the summary, every
 * neighbor's received-routes and routes, and the neighbors. (advertised-
 * routes is left out: RM-NONE keeps the Adj-RIB-Out empty.) */
static void render(struct bgp_speaker *s, struct bgp_peer *const *peers, bool all)
{
	static const struct bgp_show_opts o = { .now = 1795932896 };
	struct strbuf out = STRBUF_INIT;
	for (uint8_t fam = 0; fam < BGP_FAM_COUNT; fam++) {
		for (int json = 0; json < 2; json++) {
			bgp_show_routes(s, fam, NULL, json, &o, &out);
			for (int i = 0; all && i < N_PEERS; i++)
				for (int which = BGP_SHOW_RECEIVED; which <= BGP_SHOW_ROUTES; which++)
					bgp_show_neighbor_routes(s, &peers[i]->cfg.addr, fam, which, json,
								 &o, &out);
			if (all)
				bgp_show_summary(s, fam, json, &o, &out);
			strbuf_free(&out);
		}
	}
	if (all)
		bgp_show_neighbors(s, NULL, true, &o, &out);
	strbuf_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!pol)
		load_policy();
	struct loop *loop = loop_new();
	/* Level -1: every line dropped (peer_log writes per UPDATE fault). */
	struct logger log = { .level = -1, .tag = "fuzz_update_rib" };
	struct bgp_speaker_cfg sc;
	bgp_speaker_cfg_defaults(&sc);
	sc.asn = 65001;
	sc.router_id = 0x0a000001;
	sc.listen_port = 0;
	struct bgp_speaker *s = loop ? bgp_speaker_new(loop, &log, &sc) : NULL;
	if (!s)
		abort();
	bgp_speaker_set_policy(s, pol, true);
	struct bgp_peer *peers[N_PEERS];
	bool up[N_PEERS];
	for (int i = 0; i < N_PEERS; i++) {
		peers[i] = add_peer(s, &defs[i]);
		if (!peers[i])
			abort();
		establish(peers[i], &defs[i], 0x0a000002u + (uint32_t)i);
		up[i] = true;
	}
	run(loop);

	size_t off = 0;
	while (size - off >= 3) {
		unsigned which = data[off] % N_PEERS;
		size_t len = (size_t)data[off + 1] << 8 | data[off + 2];
		off += 3;
		if (len > size - off)
			len = size - off;
		const uint8_t *body = data + off;
		off += len;
		struct bgp_peer *p = peers[which];
		if (!up[which])
			continue;
		struct bgp_update u;
		struct bgp_decode_opts o = { .as4 = p->as4, .ibgp = p->remote_as == sc.asn,
					     .ext_msg = p->ext_msg };
		if (bgp_update_decode(body, len, &o, s->scratch, BGP_SCRATCH_SIZE, &u) ==
		    BGP_ACT_SESSION_RESET) {
			rib_peer_down(p);
			up[which] = false;
			continue;
		}
		rib_update(p, &u);
		p->stats.update_in++;
	}
	run(loop);
	render(s, peers, false);
	/* Soft reset inbound: the Adj-RIB-In (peer 1) or a route refresh. */
	for (int i = 0; i < N_PEERS; i++)
		if (up[i])
			bgp_peer_soft_in(peers[i]);
	run(loop);
	render(s, peers, true);

	bgp_speaker_free(s);
	loop_free(loop);
	return 0;
}

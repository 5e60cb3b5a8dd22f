/* show_neighbors.c: the neighbors as FRR 8.4 shows them: `show ip bgp
 * summary` (one line per neighbor, FRR's columns) and `show ip bgp neighbors
 * [A]` (the long form), in text and in JSON with FRR's field names. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fmt.h"
#include "show_int.h"

/* Neighbor facts shared by both views */

static uint64_t msgs_in(const struct bgp_peer_stats *st)
{
	return st->open_in + st->update_in + st->notify_in + st->keepalive_in + st->refresh_in;
}

static uint64_t msgs_out(const struct bgp_peer_stats *st)
{
	return st->open_out + st->update_out + st->notify_out + st->keepalive_out + st->refresh_out;
}

/* The state FRR names: the most advanced of the two connections. */
static uint8_t peer_state(const struct bgp_peer *p)
{
	if (p->est)
		return BGP_ST_ESTABLISHED;
	uint8_t a = p->conn[0].state, b = p->conn[1].state;
	return a > b ? a : b;
}

static const char *state_text(const struct bgp_peer *p)
{
	if (p->cfg.shutdown)
		return "Idle (Admin)";
	return bgp_state_name(peer_state(p));
}

static uint32_t remote_as_of(const struct bgp_peer *p)
{
	if (p->cfg.remote_as_kind == BGP_REMOTE_AS_NUMBER)
		return p->cfg.remote_as;
	if (p->cfg.remote_as_kind == BGP_REMOTE_AS_INTERNAL)
		return p->s->cfg.asn;
	return p->remote_as; /* external: what the OPEN said, 0 before */
}

static uint16_t cfg_hold(const struct bgp_peer *p)
{
	return p->cfg.hold != 0xffff ? p->cfg.hold : p->s->cfg.hold;
}

static uint16_t cfg_keepalive(const struct bgp_peer *p)
{
	return p->cfg.keepalive != 0xffff ? p->cfg.keepalive : p->s->cfg.keepalive;
}

static uint16_t cfg_connect_retry(const struct bgp_peer *p)
{
	return p->cfg.connect_retry ? p->cfg.connect_retry : p->s->cfg.connect_retry;
}

/* The TTL the session is sent with (what "may be up to N hops away" says). */
static unsigned peer_hops(const struct bgp_peer *p)
{
	if (p->cfg.ttl_security)
		return p->cfg.ttl_security;
	if (p->cfg.multihop_ttl)
		return p->cfg.multihop_ttl;
	return peer_is_ebgp(p) ? 1 : 255;
}

static const struct bgp_peer **sorted_peers(const struct bgp_speaker *s, size_t *n)
{
	const struct bgp_peer **v = calloc(s->n_slots ? s->n_slots : 1, sizeof(*v));
	*n = 0;
	if (!v)
		return NULL;
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		const struct bgp_peer *p = speaker_peer(s, i);
		if (p && !p->removed)
			v[(*n)++] = p;
	}
	/* FRR lists neighbors by address: IPv4 first, then IPv6. */
	for (size_t i = 1; i < *n; i++) {
		const struct bgp_peer *x = v[i];
		size_t j = i;
		for (; j > 0; j--) {
			const struct ipaddr *a = &v[j - 1]->cfg.addr, *b = &x->cfg.addr;
			int c = a->family != b->family ? (a->family == AF_INET ? -1 : 1)
						       : memcmp(a->a, b->a, 16);
			if (c <= 0)
				break;
			v[j] = v[j - 1];
		}
		v[j] = x;
	}
	return v;
}

/* show ip bgp summary */

static void summary_family(const struct bgp_speaker *s, uint8_t fam, bool json, bool title,
			   int64_t now, const struct bgp_peer **peers, size_t np,
			   struct json_object *wrap, struct strbuf *out)
{
	char rid[INET_ADDRSTRLEN], addr[INET6_ADDRSTRLEN], up[32];
	size_t count = 0, failed = 0;
	for (size_t i = 0; i < np; i++)
		if (peers[i]->cfg.af[fam].active) {
			count++;
			failed += !peers[i]->est;
		}
	/* Destinations, their pool and hash table (FRR counts its nodes). */
	size_t rib_count = rib_dest_count(&s->rib, fam);
	size_t rib_mem = pindex_bytes(&s->rib.dests[fam]);
	size_t peer_mem = count * sizeof(struct bgp_peer);
	bgp_fmt_ipv4(s->cfg.router_id, rid, sizeof(rid));
	if (json) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "routerId", json_object_new_string(rid));
		json_object_object_add(o, "as", json_object_new_int64(s->cfg.asn));
		json_object_object_add(o, "vrfId", json_object_new_int(0));
		json_object_object_add(o, "vrfName", json_object_new_string("default"));
		json_object_object_add(o, "tableVersion", json_object_new_int64((int64_t)s->rib.seq));
		json_object_object_add(o, "ribCount", json_object_new_int64((int64_t)rib_count));
		json_object_object_add(o, "ribMemory", json_object_new_int64((int64_t)rib_mem));
		json_object_object_add(o, "peerCount", json_object_new_int64((int64_t)count));
		json_object_object_add(o, "peerMemory", json_object_new_int64((int64_t)peer_mem));
		struct json_object *pj = json_object_new_object();
		for (size_t i = 0; i < np; i++) {
			const struct bgp_peer *p = peers[i];
			if (!p->cfg.af[fam].active)
				continue;
			struct json_object *e = json_object_new_object();
			if (p->remote_hostname[0])
				json_object_object_add(e, "hostname", json_object_new_string(p->remote_hostname));
			json_object_object_add(e, "remoteAs", json_object_new_int64(remote_as_of(p)));
			json_object_object_add(e, "localAs", json_object_new_int64(s->cfg.asn));
			json_object_object_add(e, "version", json_object_new_int(4));
			json_object_object_add(e, "msgRcvd", json_object_new_int64((int64_t)msgs_in(&p->stats)));
			json_object_object_add(e, "msgSent", json_object_new_int64((int64_t)msgs_out(&p->stats)));
			json_object_object_add(e, "tableVersion", json_object_new_int(0));
			json_object_object_add(e, "outq", json_object_new_int(0));
			json_object_object_add(e, "inq", json_object_new_int(0));
			json_object_object_add(e, "peerUptime",
					       json_object_new_string(bgp_fmt_uptime(p->state_since, now, up, sizeof(up))));
			int64_t el = p->state_since > 0 && now > p->state_since ? now - p->state_since : 0;
			json_object_object_add(e, "peerUptimeMsec", json_object_new_int64(el * 1000));
			if (p->est)
				json_object_object_add(e, "peerUptimeEstablishedEpoch",
						       json_object_new_int64(p->state_since));
			json_object_object_add(e, "pfxRcd", json_object_new_int64(p->af[fam].pfx_accepted));
			json_object_object_add(e, "pfxSnt", json_object_new_int64(p->af[fam].pfx_sent));
			json_object_object_add(e, "state", json_object_new_string(state_text(p)));
			const char *ps = p->cfg.shutdown ? "Admin"
					 : show_policy_blocks(p, fam, false) || show_policy_blocks(p, fam, true)
						 ? "Policy"
						 : "OK";
			json_object_object_add(e, "peerState", json_object_new_string(ps));
			json_object_object_add(e, "connectionsEstablished", json_object_new_int64(p->stats.established));
			json_object_object_add(e, "connectionsDropped", json_object_new_int64(p->stats.dropped));
			if (p->cfg.description[0])
				json_object_object_add(e, "desc", json_object_new_string(p->cfg.description));
			json_object_object_add(e, "idType", json_object_new_string(
								    p->cfg.addr.family == AF_INET6 ? "ipv6" : "ipv4"));
			json_object_object_add(pj, ipaddr_fmt(&p->cfg.addr, addr, sizeof(addr)), e);
		}
		json_object_object_add(o, "peers", pj);
		json_object_object_add(o, "failedPeers", json_object_new_int64((int64_t)failed));
		json_object_object_add(o, "displayedPeers", json_object_new_int64((int64_t)count));
		json_object_object_add(o, "totalPeers", json_object_new_int64((int64_t)count));
		json_object_object_add(o, "dynamicPeers", json_object_new_int(0));
		struct json_object *bp = json_object_new_object();
		json_object_object_add(bp, "multiPathRelax", json_object_new_string("false"));
		json_object_object_add(o, "bestPath", bp);
		if (title)
			json_object_object_add(wrap, show_fam_key(fam), o);
		else
			show_json_out(o, out);
		return;
	}
	if (title)
		strbuf_printf(out, "\n%s Summary (VRF default):\n", show_fam_title(fam));
	strbuf_printf(out,
		      "BGP router identifier %s, local AS number %u vrf-id 0\n"
		      "BGP table version %llu\n"
		      "RIB entries %zu, using %zu bytes of memory\n"
		      "Peers %zu, using %zu KiB of memory\n"
		      "\n"
		      "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc\n",
		      rid, s->cfg.asn, (unsigned long long)s->rib.seq, rib_count, rib_mem, count,
		      peer_mem / 1024);
	for (size_t i = 0; i < np; i++) {
		const struct bgp_peer *p = peers[i];
		if (!p->cfg.af[fam].active)
			continue;
		ipaddr_fmt(&p->cfg.addr, addr, sizeof(addr));
		strbuf_puts(out, addr);
		int padn = 16 - (int)strlen(addr);
		if (padn < 1)
			strbuf_printf(out, "\n%16s", "");
		else
			strbuf_printf(out, "%*s", padn, "");
		strbuf_printf(out, "4 %10u %9llu %9llu %8u %4u %4u %8s", remote_as_of(p),
			      (unsigned long long)msgs_in(&p->stats), (unsigned long long)msgs_out(&p->stats),
			      0u, 0u, 0u, bgp_fmt_uptime(p->state_since, now, up, sizeof(up)));
		if (p->est) {
			if (show_policy_blocks(p, fam, false))
				strbuf_printf(out, " %12s", "(Policy)");
			else
				strbuf_printf(out, " %12u", p->af[fam].pfx_accepted);
			if (show_policy_blocks(p, fam, true))
				strbuf_printf(out, " %8s", "(Policy)");
			else
				strbuf_printf(out, " %8u", p->af[fam].pfx_sent);
		} else {
			strbuf_printf(out, " %12s %8u", state_text(p), p->af[fam].pfx_sent);
		}
		if (p->cfg.description[0])
			strbuf_printf(out, " %.20s\n", p->cfg.description);
		else
			strbuf_puts(out, " N/A\n");
	}
	strbuf_printf(out, "\nTotal number of neighbors %zu\n", count);
}

void bgp_show_summary(const struct bgp_speaker *s, uint8_t fam, bool json,
		      const struct bgp_show_opts *o, struct strbuf *out)
{
	int64_t now = show_now(o);
	size_t np;
	const struct bgp_peer **peers = sorted_peers(s, &np);
	bool title = !(o && o->afi_safi);
	struct json_object *wrap = json && title ? json_object_new_object() : NULL;
	bool any = false;
	for (uint8_t f = 0; f < BGP_FAM_COUNT; f++) {
		if (fam != BGP_FAM_COUNT && f != fam)
			continue;
		bool has = false;
		for (size_t i = 0; i < np && !has; i++)
			has = peers[i]->cfg.af[f].active;
		if (!has)
			continue;
		summary_family(s, f, json, title, now, peers, np, wrap, out);
		any = true;
	}
	if (wrap)
		show_json_out(wrap, out);
	else if (json && !any)
		strbuf_puts(out, "{}\n");
	if (!json && !any)
		strbuf_puts(out, "% No BGP neighbors found in VRF default\n");
	free(peers);
}

/* show ip bgp neighbors */

static const char *adv_rcv(bool adv, bool rcv)
{
	return adv && rcv ? "advertised and received" : adv ? "advertised" : rcv ? "received" : NULL;
}

static void sock_ports(const struct bgp_peer *p, int *lport, int *rport)
{
	*lport = *rport = -1;
	if (!p->est || p->est->lfd.fd < 0)
		return;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	if (getsockname(p->est->lfd.fd, (struct sockaddr *)&ss, &sl) == 0)
		*lport = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						       : ((struct sockaddr_in6 *)&ss)->sin6_port);
	sl = sizeof(ss);
	if (getpeername(p->est->lfd.fd, (struct sockaddr *)&ss, &sl) == 0)
		*rport = ntohs(ss.ss_family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
						       : ((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* Our next hops towards the peer (session.c's nh4, nh6, nh6_ll): FRR's
 * "Nexthop:", "Nexthop global:" and "Nexthop local:". */
static void nexthops_of(const struct bgp_peer *p, char *v4, char *v6, char *ll, size_t n)
{
	snprintf(v4, n, "0.0.0.0");
	snprintf(v6, n, "::");
	snprintf(ll, n, "::");
	if (p->nh4.family == AF_INET)
		inet_ntop(AF_INET, p->nh4.a, v4, (socklen_t)n);
	if (p->nh6.family == AF_INET6)
		inet_ntop(AF_INET6, p->nh6.a, v6, (socklen_t)n);
	if (p->nh6_ll.family == AF_INET6)
		inet_ntop(AF_INET6, p->nh6_ll.a, ll, (socklen_t)n);
}

static void neighbor_text(const struct bgp_speaker *s, const struct bgp_peer *p, int64_t now,
			  struct strbuf *out)
{
	char addr[INET6_ADDRSTRLEN], rid[INET_ADDRSTRLEN], lid[INET_ADDRSTRLEN], up[32];
	bool ebgp = peer_is_ebgp(p);
	strbuf_printf(out, "BGP neighbor is %s, remote AS %u, local AS %u, %s link\n",
		      ipaddr_fmt(&p->cfg.addr, addr, sizeof(addr)), remote_as_of(p), s->cfg.asn,
		      ebgp ? "external" : "internal");
	strbuf_puts(out, "  Local Role: undefined\n  Remote Role: undefined\n");
	if (p->cfg.shutdown)
		strbuf_puts(out, " Administratively shut down\n");
	if (p->cfg.description[0])
		strbuf_printf(out, " Description: %s\n", p->cfg.description);
	if (p->remote_hostname[0])
		strbuf_printf(out, "Hostname: %s\n", p->remote_hostname);
	strbuf_printf(out, "  BGP version 4, remote router ID %s, local router ID %s\n",
		      bgp_fmt_ipv4(p->est ? p->remote_id : 0, rid, sizeof(rid)),
		      bgp_fmt_ipv4(s->cfg.router_id, lid, sizeof(lid)));
	if (p->est)
		strbuf_printf(out, "  BGP state = Established, up for %s\n",
			      bgp_fmt_uptime(p->state_since, now, up, sizeof(up)));
	else
		strbuf_printf(out, "  BGP state = %s\n", bgp_state_name(peer_state(p)));
	uint16_t hold = p->est ? p->hold_time : cfg_hold(p);
	uint16_t ka = p->est ? p->keepalive_time : cfg_keepalive(p);
	strbuf_printf(out, "  Hold time is %u seconds, keepalive interval is %u seconds\n", hold, ka);
	strbuf_printf(out, "  Configured hold time is %u seconds, keepalive interval is %u seconds\n",
		      cfg_hold(p), cfg_keepalive(p));
	if (p->est) {
		strbuf_puts(out, "  Neighbor capabilities:\n");
		strbuf_printf(out, "    4 Byte AS: %s\n", adv_rcv(true, p->as4));
		strbuf_printf(out, "    Extended Message: %s\n", adv_rcv(true, p->ext_msg));
		strbuf_printf(out, "    Route refresh: %s\n", adv_rcv(true, p->route_refresh));
		strbuf_printf(out, "    Enhanced Route Refresh: %s\n", adv_rcv(true, p->enhanced_rr));
		for (uint8_t f = 0; f < BGP_FAM_COUNT; f++) {
			const char *t = adv_rcv(p->cfg.af[f].active, p->af[f].negotiated);
			if (t)
				strbuf_printf(out, "    Address Family %s: %s\n", show_fam_title(f), t);
		}
		if (s->hostname[0] || p->remote_hostname[0]) {
			strbuf_puts(out, "    Hostname Capability:");
			if (s->hostname[0])
				strbuf_printf(out, " advertised (name: %s,domain name: n/a)", s->hostname);
			else
				strbuf_puts(out, " not advertised");
			if (p->remote_hostname[0])
				strbuf_printf(out, " received (name: %s,domain name: n/a)\n", p->remote_hostname);
			else
				strbuf_puts(out, " not received\n");
		}
	}
	const struct bgp_peer_stats *st = &p->stats;
	strbuf_printf(out,
		      "  Message statistics:\n"
		      "    Inq depth is 0\n"
		      "    Outq depth is 0\n"
		      "                         Sent       Rcvd\n"
		      "    Opens:         %10llu %10llu\n"
		      "    Notifications: %10llu %10llu\n"
		      "    Updates:       %10llu %10llu\n"
		      "    Keepalives:    %10llu %10llu\n"
		      "    Route Refresh: %10llu %10llu\n"
		      "    Capability:    %10d %10d\n"
		      "    Total:         %10llu %10llu\n"
		      "  Minimum time between advertisement runs is 0 seconds\n",
		      (unsigned long long)st->open_out, (unsigned long long)st->open_in,
		      (unsigned long long)st->notify_out, (unsigned long long)st->notify_in,
		      (unsigned long long)st->update_out, (unsigned long long)st->update_in,
		      (unsigned long long)st->keepalive_out, (unsigned long long)st->keepalive_in,
		      (unsigned long long)st->refresh_out, (unsigned long long)st->refresh_in, 0, 0,
		      (unsigned long long)msgs_out(st), (unsigned long long)msgs_in(st));
	for (uint8_t f = 0; f < BGP_FAM_COUNT; f++) {
		const struct bgp_peer_af_cfg *ac = &p->cfg.af[f];
		if (!ac->active)
			continue;
		strbuf_printf(out, "\n For address family: %s\n", show_fam_title(f));
		if (ac->soft_reconfig_in)
			strbuf_puts(out, "  Inbound soft reconfiguration allowed\n");
		if (ac->next_hop_self)
			strbuf_puts(out, "  NEXT_HOP is always this router\n");
		strbuf_puts(out, "  Community attribute sent to this neighbor(all)\n");
		if (show_policy_blocks(p, f, false))
			strbuf_puts(out, "  Inbound updates discarded due to missing policy\n");
		if (show_policy_blocks(p, f, true))
			strbuf_puts(out, "  Outbound updates discarded due to missing policy\n");
		if (ac->policy_in)
			strbuf_puts(out, "  Inbound path policy configured\n");
		if (ac->policy_out)
			strbuf_puts(out, "  Outbound path policy configured\n");
		strbuf_printf(out, "  %u accepted prefixes\n", p->af[f].pfx_accepted);
	}
	strbuf_printf(out, "\n  Connections established %u; dropped %u\n", st->established, st->dropped);
	/* The reset time is not kept: the last change of state stands for it
	 * (for an established session, the reset came just before). */
	if (p->state_since > 0 && (!p->est || st->dropped))
		strbuf_printf(out, "  Last reset %s,  %s\n",
			      bgp_fmt_uptime(p->state_since, now, up, sizeof(up)), p->last_reset);
	else
		strbuf_puts(out, "  Last reset never\n");
	if (ebgp)
		strbuf_printf(out, "  External BGP neighbor may be up to %u hops away.\n", peer_hops(p));
	else if (p->cfg.ttl_security)
		strbuf_printf(out, "  Internal BGP neighbor may be up to %u hops away.\n", peer_hops(p));
	if (p->est) {
		int lport, rport;
		char local[INET6_ADDRSTRLEN], v4[INET6_ADDRSTRLEN], v6[INET6_ADDRSTRLEN],
			ll[INET6_ADDRSTRLEN];
		sock_ports(p, &lport, &rport);
		ipaddr_fmt(&p->local_addr, local, sizeof(local));
		nexthops_of(p, v4, v6, ll, sizeof(v4));
		strbuf_printf(out, "Local host: %s, Local port: %d\n", local, lport);
		strbuf_printf(out, "Foreign host: %s, Foreign port: %d\n", addr, rport);
		strbuf_printf(out, "Nexthop: %s\nNexthop global: %s\nNexthop local: %s\n", v4, v6, ll);
	}
	strbuf_printf(out, "BGP Connect Retry Timer in Seconds: %u\n", cfg_connect_retry(p));
	if (!p->est && loop_timer_armed(&p->connect_retry))
		strbuf_printf(out, "Next connect timer due in %llu seconds\n",
			      (unsigned long long)(loop_timer_left(s->loop, &p->connect_retry) + 999) / 1000);
	strbuf_puts(out, "\n");
}

static void jadd_int(struct json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

static void jadd_str(struct json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void jadd_bool(struct json_object *o, const char *k, bool v)
{
	json_object_object_add(o, k, json_object_new_boolean(v));
}

static const char *cap_json(bool adv, bool rcv)
{
	return adv && rcv ? "advertisedAndReceived" : adv ? "advertised" : "received";
}

static struct json_object *neighbor_json(const struct bgp_speaker *s, const struct bgp_peer *p,
					 int64_t now)
{
	char rid[INET_ADDRSTRLEN], up[32];
	struct json_object *o = json_object_new_object();
	bool ebgp = peer_is_ebgp(p);
	jadd_int(o, "remoteAs", remote_as_of(p));
	jadd_int(o, "localAs", s->cfg.asn);
	jadd_bool(o, ebgp ? "nbrExternalLink" : "nbrInternalLink", true);
	jadd_str(o, "localRole", "undefined");
	jadd_str(o, "remoteRole", "undefined");
	if (p->cfg.description[0])
		jadd_str(o, "nbrDesc", p->cfg.description);
	if (p->remote_hostname[0])
		jadd_str(o, "hostname", p->remote_hostname);
	if (p->cfg.shutdown)
		jadd_bool(o, "adminShutDown", true);
	jadd_int(o, "bgpVersion", 4);
	jadd_str(o, "remoteRouterId", bgp_fmt_ipv4(p->est ? p->remote_id : 0, rid, sizeof(rid)));
	jadd_str(o, "localRouterId", bgp_fmt_ipv4(s->cfg.router_id, rid, sizeof(rid)));
	jadd_str(o, "bgpState", bgp_state_name(peer_state(p)));
	if (p->est) {
		int64_t el = now > p->state_since ? now - p->state_since : 0;
		jadd_int(o, "bgpTimerUpMsec", el * 1000);
		jadd_str(o, "bgpTimerUpString", bgp_fmt_uptime(p->state_since, now, up, sizeof(up)));
		jadd_int(o, "bgpTimerUpEstablishedEpoch", p->state_since);
	}
	jadd_int(o, "bgpTimerConfiguredHoldTimeMsecs", cfg_hold(p) * 1000);
	jadd_int(o, "bgpTimerConfiguredKeepAliveIntervalMsecs", cfg_keepalive(p) * 1000);
	jadd_int(o, "bgpTimerHoldTimeMsecs", (p->est ? p->hold_time : cfg_hold(p)) * 1000);
	jadd_int(o, "bgpTimerKeepAliveIntervalMsecs",
		 (p->est ? p->keepalive_time : cfg_keepalive(p)) * 1000);
	if (p->est) {
		struct json_object *c = json_object_new_object();
		jadd_str(c, "4byteAs", cap_json(true, p->as4));
		jadd_str(c, "extendedMessage", cap_json(true, p->ext_msg));
		jadd_str(c, "routeRefresh", cap_json(true, p->route_refresh));
		jadd_str(c, "enhancedRouteRefresh", cap_json(true, p->enhanced_rr));
		struct json_object *mp = json_object_new_object();
		for (uint8_t f = 0; f < BGP_FAM_COUNT; f++) {
			if (!p->cfg.af[f].active && !p->af[f].negotiated)
				continue;
			struct json_object *e = json_object_new_object();
			jadd_bool(e, p->af[f].negotiated ? "advertisedAndReceived" : "advertised", true);
			json_object_object_add(mp, show_fam_key(f), e);
		}
		json_object_object_add(c, "multiprotocolExtensions", mp);
		struct json_object *hn = json_object_new_object();
		if (s->hostname[0]) {
			jadd_str(hn, "advHostName", s->hostname);
			jadd_str(hn, "advDomainName", "n/a");
		}
		if (p->remote_hostname[0]) {
			jadd_str(hn, "rcvHostName", p->remote_hostname);
			jadd_str(hn, "rcvDomainName", "n/a");
		}
		json_object_object_add(c, "hostName", hn);
		json_object_object_add(o, "neighborCapabilities", c);
	}
	const struct bgp_peer_stats *st = &p->stats;
	struct json_object *ms = json_object_new_object();
	jadd_int(ms, "depthInq", 0);
	jadd_int(ms, "depthOutq", 0);
	jadd_int(ms, "opensSent", (int64_t)st->open_out);
	jadd_int(ms, "opensRecv", (int64_t)st->open_in);
	jadd_int(ms, "notificationsSent", (int64_t)st->notify_out);
	jadd_int(ms, "notificationsRecv", (int64_t)st->notify_in);
	jadd_int(ms, "updatesSent", (int64_t)st->update_out);
	jadd_int(ms, "updatesRecv", (int64_t)st->update_in);
	jadd_int(ms, "keepalivesSent", (int64_t)st->keepalive_out);
	jadd_int(ms, "keepalivesRecv", (int64_t)st->keepalive_in);
	jadd_int(ms, "routeRefreshSent", (int64_t)st->refresh_out);
	jadd_int(ms, "routeRefreshRecv", (int64_t)st->refresh_in);
	jadd_int(ms, "capabilitySent", 0);
	jadd_int(ms, "capabilityRecv", 0);
	jadd_int(ms, "totalSent", (int64_t)msgs_out(st));
	jadd_int(ms, "totalRecv", (int64_t)msgs_in(st));
	json_object_object_add(o, "messageStats", ms);
	jadd_int(o, "minBtwnAdvertisementRunsTimerMsecs", 0);
	struct json_object *afi = json_object_new_object();
	for (uint8_t f = 0; f < BGP_FAM_COUNT; f++) {
		const struct bgp_peer_af_cfg *ac = &p->cfg.af[f];
		if (!ac->active)
			continue;
		struct json_object *e = json_object_new_object();
		if (ac->soft_reconfig_in)
			jadd_bool(e, "inboundSoftConfigPermit", true);
		if (ac->next_hop_self)
			jadd_bool(e, "routerAlwaysNextHop", true);
		jadd_str(e, "commAttriSentToNbr", "extendedAndStandard");
		if (show_policy_blocks(p, f, false))
			jadd_str(e, "inboundEbgpRequiresPolicy",
				 "Inbound updates discarded due to missing policy");
		if (show_policy_blocks(p, f, true))
			jadd_str(e, "outboundEbgpRequiresPolicy",
				 "Outbound updates discarded due to missing policy");
		if (ac->policy_in)
			jadd_bool(e, "inboundPathPolicyConfig", true);
		if (ac->policy_out)
			jadd_bool(e, "outboundPathPolicyConfig", true);
		jadd_int(e, "acceptedPrefixCounter", p->af[f].pfx_accepted);
		if (p->est)
			jadd_int(e, "sentPrefixCounter", p->af[f].pfx_sent);
		json_object_object_add(afi, show_fam_key(f), e);
	}
	json_object_object_add(o, "addressFamilyInfo", afi);
	jadd_int(o, "connectionsEstablished", st->established);
	jadd_int(o, "connectionsDropped", st->dropped);
	if (p->state_since > 0 && (!p->est || st->dropped)) {
		jadd_int(o, "lastResetTimerMsecs", (now > p->state_since ? now - p->state_since : 0) * 1000);
		jadd_str(o, "lastResetDueTo", p->last_reset);
	}
	if (ebgp)
		jadd_int(o, "externalBgpNbrMaxHopsAway", peer_hops(p));
	else if (p->cfg.ttl_security)
		jadd_int(o, "internalBgpNbrMaxHopsAway", peer_hops(p));
	char addr[INET6_ADDRSTRLEN];
	if (p->est) {
		int lport, rport;
		char v4[INET6_ADDRSTRLEN], v6[INET6_ADDRSTRLEN], ll[INET6_ADDRSTRLEN];
		sock_ports(p, &lport, &rport);
		jadd_str(o, "hostLocal", ipaddr_fmt(&p->local_addr, addr, sizeof(addr)));
		jadd_int(o, "portLocal", lport);
		jadd_str(o, "hostForeign", ipaddr_fmt(&p->cfg.addr, addr, sizeof(addr)));
		jadd_int(o, "portForeign", rport);
		nexthops_of(p, v4, v6, ll, sizeof(v4));
		jadd_str(o, "nexthop", v4);
		jadd_str(o, "nexthopGlobal", v6);
		jadd_str(o, "nexthopLocal", ll);
	} else {
		jadd_str(o, "hostLocal", "Unknown");
		jadd_int(o, "portLocal", -1);
		jadd_str(o, "hostForeign", "Unknown");
		jadd_int(o, "portForeign", -1);
	}
	jadd_int(o, "connectRetryTimer", cfg_connect_retry(p));
	if (!p->est && loop_timer_armed(&p->connect_retry))
		jadd_int(o, "nextConnectTimerDueInMsecs",
			 (int64_t)loop_timer_left(s->loop, &p->connect_retry));
	return o;
}

void bgp_show_neighbors(const struct bgp_speaker *s, const struct ipaddr *a, bool json,
			const struct bgp_show_opts *o, struct strbuf *out)
{
	int64_t now = show_now(o);
	char addr[INET6_ADDRSTRLEN];
	if (a) {
		const struct bgp_peer *p = show_peer_find(s, a);
		if (!p) {
			if (json) {
				struct json_object *j = json_object_new_object();
				jadd_bool(j, "bgpNoSuchNeighbor", true);
				show_json_out(j, out);
			} else {
				strbuf_puts(out, "% No such neighbor in this view/vrf\n\n");
			}
			return;
		}
		if (json) {
			struct json_object *j = json_object_new_object();
			json_object_object_add(j, ipaddr_fmt(&p->cfg.addr, addr, sizeof(addr)),
					       neighbor_json(s, p, now));
			show_json_out(j, out);
		} else {
			neighbor_text(s, p, now, out);
		}
		return;
	}
	size_t np;
	const struct bgp_peer **peers = sorted_peers(s, &np);
	struct json_object *j = json ? json_object_new_object() : NULL;
	for (size_t i = 0; i < np; i++) {
		if (json)
			json_object_object_add(j, ipaddr_fmt(&peers[i]->cfg.addr, addr, sizeof(addr)),
					       neighbor_json(s, peers[i], now));
		else
			neighbor_text(s, peers[i], now, out);
	}
	if (json)
		show_json_out(j, out);
	free(peers);
}

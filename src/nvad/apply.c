/* apply.c: the running configuration made real: speaker settings and
 * neighbors (added, changed in place with a reset only when a session
 * parameter changed, removed), by difference with what runs; local routes
 * follow through local.c. */
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nvad.h"

/* FRR's choice when no router id is configured: the highest IPv4 address of
 * an interface that is up, loopback excluded. 0 when there is none. */
static uint32_t pick_router_id(void)
{
	struct ifaddrs *ifs, *i;
	uint32_t best = 0;
	if (getifaddrs(&ifs) != 0)
		return 0;
	for (i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET || !(i->ifa_flags & IFF_UP) ||
		    (i->ifa_flags & IFF_LOOPBACK))
			continue;
		uint32_t a = ntohl(((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
		if (a > best)
			best = a;
	}
	freeifaddrs(ifs);
	return best;
}

static void speaker_cfg_of(const struct nvad *d, const struct conf *c, struct bgp_speaker_cfg *sc)
{
	const struct conf_bgp *b = c->bgp;
	bgp_speaker_cfg_defaults(sc);
	sc->asn = b->asn;
	sc->router_id = b->router_id_set ? load_be32(b->router_id.a) : pick_router_id();
	sc->listen_port = d->port;
	sc->keepalive = b->keepalive;
	sc->hold = b->holdtime;
	sc->connect_retry = c->defaults.connect_retry;
	sc->ebgp_requires_policy = b->ebgp_requires_policy;
	sc->fast_external_failover = b->fast_external_failover;
	sc->log_neighbor_changes = b->log_neighbor_changes;
	sc->hostname = c->hostname;
	sc->gr_restarting = nvad_kernel_restarting(d);
	sc->gr_forwarding = nvad_kernel_writes(d);
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		if (b->af[f].maxpaths_ebgp)
			sc->maximum_paths[f] = (uint8_t)(b->af[f].maxpaths_ebgp > 255 ? 255 : b->af[f].maxpaths_ebgp);
		if (b->af[f].maxpaths_ibgp)
			sc->maximum_paths_ibgp[f] =
				(uint8_t)(b->af[f].maxpaths_ibgp > 255 ? 255 : b->af[f].maxpaths_ibgp);
	}
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

static void peer_cfg_of(const struct conf *c, const struct conf_neighbor *n, struct bgp_peer_cfg *pc)
{
	struct conf_session s = conf_session_effective(c, n);
	bgp_peer_cfg_defaults(pc);
	pc->addr = n->addr;
	pc->remote_as_kind = s.as_type == CONF_AS_EXTERNAL   ? BGP_REMOTE_AS_EXTERNAL
			     : s.as_type == CONF_AS_INTERNAL ? BGP_REMOTE_AS_INTERNAL
							     : BGP_REMOTE_AS_NUMBER;
	pc->remote_as = s.remote_as;
	copy_str(pc->description, sizeof(pc->description), s.description);
	copy_str(pc->peer_group, sizeof(pc->peer_group), n->group);
	pc->port = s.port ? s.port : 179;
	pc->multihop_ttl = (s.set & CONF_S_MULTIHOP) ? s.multihop : 0;
	pc->ttl_security = s.ttl_security;
	if (s.update_source_is_addr)
		pc->update_source = s.update_source_addr;
	else
		copy_str(pc->update_source_if, sizeof(pc->update_source_if), s.update_source_ifname);
	copy_str(pc->password, sizeof(pc->password), s.password);
	pc->shutdown = s.shutdown;
	pc->passive = s.passive;
	pc->enforce_first_as = s.enforce_first_as;
	if (s.set & CONF_S_TIMERS) {
		pc->keepalive = s.keepalive;
		pc->hold = s.holdtime;
	}
	pc->connect_retry = s.connect_retry;
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		struct conf_af_opts a = conf_af_effective(c, n, (enum conf_afi)f);
		struct bgp_peer_af_cfg *af = &pc->af[f];
		af->active = a.active;
		af->soft_reconfig_in = a.soft_reconfig;
		copy_str(af->rmap_in, sizeof(af->rmap_in), a.rmap_in);
		copy_str(af->rmap_out, sizeof(af->rmap_out), a.rmap_out);
		copy_str(af->plist_in, sizeof(af->plist_in), a.plist_in);
		copy_str(af->plist_out, sizeof(af->plist_out), a.plist_out);
		copy_str(af->flist_in, sizeof(af->flist_in), a.flist_in);
		copy_str(af->flist_out, sizeof(af->flist_out), a.flist_out);
		af->policy_in = a.rmap_in || a.plist_in || a.flist_in;
		af->policy_out = a.rmap_out || a.plist_out || a.flist_out;
		af->next_hop_self = a.next_hop_self != CONF_NHS_OFF;
		af->weight = a.weight;
		af->as_override = a.as_override;
		af->allowas_in = a.allowas_in_origin ? 0 : a.allowas_in;
		af->allowas_in_origin = a.allowas_in_origin;
		af->remove_private_as = (uint8_t)a.remove_private_as;
		af->max_prefix = a.max_prefix;
		af->max_prefix_threshold = a.max_prefix_threshold ? a.max_prefix_threshold : 75;
		af->max_prefix_restart = a.max_prefix_restart;
		af->max_prefix_warning_only = a.max_prefix_warning_only;
		af->max_prefix_out = a.max_prefix_out;
		af->default_originate = a.default_originate;
		af->send_community = a.send_community;
	}
}

static void apply_neighbors(struct nvad *d, const struct conf *c)
{
	const struct conf_bgp *b = c->bgp;
	/* Remove the neighbors that are gone. */
	struct bgp_peer_cfg pc;
	for (size_t i = 0; d->conf && d->conf->bgp && i < d->conf->bgp->n_neighbors; i++) {
		const struct conf_neighbor *n = &d->conf->bgp->neighbors[i];
		if (n->is_group)
			continue;
		const struct conf_neighbor *m = conf_neighbor_find(c, n->name);
		if (!m || m->is_group) {
			struct bgp_peer *p = bgp_peer_find(d->bgp, &n->addr);
			if (p)
				bgp_peer_remove(p);
		}
	}
	for (size_t i = 0; i < b->n_neighbors; i++) {
		const struct conf_neighbor *n = &b->neighbors[i];
		if (n->is_group)
			continue;
		peer_cfg_of(c, n, &pc);
		struct bgp_peer *p = bgp_peer_find(d->bgp, &n->addr);
		if (!p) {
			if (!bgp_peer_add(d->bgp, &pc))
				log_err(&d->log, "neighbor %s: cannot be added", n->name);
		} else if (bgp_peer_set(p, &pc)) {
			log_info(&d->log, "neighbor %s: session reset to apply the new configuration",
				 n->name);
		}
	}
}

/* Whether any prefix-list, as-path or community list or route-map differs. */
static bool policy_changed(const struct conf *old_c, const struct conf *new_c)
{
	struct conf_diff diff;
	conf_diff(old_c, new_c, &diff);
	bool changed = diff.n_policies > 0 || diff.oom;
	conf_diff_free(&diff);
	return changed;
}

struct conf *nvad_load(const char *path, struct policy **pol, struct conf_errors *errs)
{
	struct conf *c = conf_load_file(path, errs);
	if (!c)
		return NULL;
	*pol = policy_compile(c, errs);
	if (!*pol) {
		conf_free(c);
		return NULL;
	}
	return c;
}

bool nvad_apply(struct nvad *d, struct conf *conf, struct policy *pol, char *err, size_t errlen)
{
	struct bgp_speaker_cfg sc;
	bool fresh = false;
	if (conf->bgp) {
		speaker_cfg_of(d, conf, &sc);
		if (!sc.router_id) {
			snprintf(err, errlen, "no router id: set `bgp router-id` (no interface has an "
					      "IPv4 address to take it from)");
			return false;
		}
	}
	/* Tunnels first: static routes may point into them (P5: 169.254.0.x
	 * over vxlan0). Their errors are logged; the rest still applies. */
	if (!d->vxlans_read) {
		kernel_link_owned(&d->vxlans);
		d->vxlans_read = true;
	}
	struct kernel_link_result lr;
	kernel_vxlan_apply(conf->nvad.vxlans, conf->nvad.n_vxlans, (const char *const *)d->vxlans.v,
			   d->vxlans.n, &d->log, &lr);
	kernel_names_free(&d->vxlans);
	d->vxlans = lr.managed;
	lr.managed = (struct kernel_names){ 0 };
	kernel_link_result_free(&lr);

	/* A new AS or router id is a new speaker. */
	if (d->bgp && (!conf->bgp || d->conf->bgp->asn != conf->bgp->asn ||
		       (conf->bgp && bgp_speaker_router_id(d->bgp) != sc.router_id))) {
		bgp_speaker_free(d->bgp);
		d->bgp = NULL;
	}
	if (conf->bgp && !d->bgp) {
		d->bgp = bgp_speaker_new(d->loop, &d->log, &sc);
		if (!d->bgp) {
			snprintf(err, errlen, "cannot create the BGP instance: out of memory");
			return false;
		}
		bgp_speaker_on_event(d->bgp, nvad_event, d);
		nvad_kernel_attach(d);
		if (d->port && !bgp_speaker_listen(d->bgp))
			log_err(&d->log, "BGP cannot listen on port %u; only outgoing sessions", d->port);
		fresh = true;
	} else if (d->bgp) {
		bgp_speaker_set(d->bgp, &sc);
	}
	bool policy_was_changed = policy_changed(d->conf, conf) || !conf_proto_rmaps_equal(d->conf, conf);
	if (fresh)
		nvad_local_forget(d);
	if (d->bgp) {
		/* Neighbors first: their new policy names, then the new policy,
		 * which re-evaluates every route once. */
		apply_neighbors(d, conf);
		bgp_speaker_set_policy(d->bgp, pol, policy_was_changed);
	}
	policy_free(d->policy);
	d->policy = pol;
	conf_free(d->conf);
	d->conf = conf;
	nvad_local_sync(d);
	nvad_kernel_statics(d);
	if (d->bgp && policy_was_changed)
		bgp_speaker_fib_replay(d->bgp); /* `ip protocol` maps may have changed */
	return true;
}

bool nvad_reload(struct nvad *d, struct strbuf *out)
{
	struct conf_errors errs = CONF_ERRORS_INIT;
	struct policy *pol = NULL;
	struct conf *c = nvad_load(d->conf_path, &pol, &errs);
	if (!c) {
		strbuf_printf(out, "reload failed; the running configuration is kept:\n");
		for (size_t i = 0; i < errs.n; i++)
			strbuf_printf(out, "%s\n", errs.items[i].text);
		log_err(&d->log, "reload of %s failed (%zu errors); running configuration kept",
			d->conf_path, errs.n);
		for (size_t i = 0; i < errs.n; i++)
			log_err(&d->log, "%s", errs.items[i].text);
		conf_errors_free(&errs);
		return false;
	}
	conf_errors_free(&errs);
	char err[256];
	if (!nvad_apply(d, c, pol, err, sizeof(err))) {
		strbuf_printf(out, "reload failed; the running configuration is kept: %s\n", err);
		log_err(&d->log, "reload failed: %s", err);
		policy_free(pol);
		conf_free(c);
		return false;
	}
	strbuf_printf(out, "configuration reloaded from %s\n", d->conf_path);
	log_notice(&d->log, "configuration reloaded from %s", d->conf_path);
	return true;
}

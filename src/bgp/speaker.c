/* speaker.c: a speaker's life: creation, listening sockets and the refusal
 * of unknown neighbors, neighbors added, changed and removed, clear commands,
 * and the end. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "speaker_int.h"

void bgp_speaker_cfg_defaults(struct bgp_speaker_cfg *c)
{
	*c = (struct bgp_speaker_cfg){ .listen_port = 179, .keepalive = 60, .hold = 180,
				       .connect_retry = 120, .ebgp_requires_policy = true,
				       .fast_external_failover = true, .gr_restart_time = 120 };
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		c->maximum_paths[f] = c->maximum_paths_ibgp[f] = 64;
}

void bgp_peer_cfg_defaults(struct bgp_peer_cfg *c)
{
	*c = (struct bgp_peer_cfg){ .port = 179, .keepalive = 0xffff, .hold = 0xffff };
	c->af[BGP_FAM_IPV4].active = true;
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		c->af[f].send_community = BGP_SEND_ALL;
		c->af[f].max_prefix_threshold = 75;
	}
}

static bool reap_run(struct loop_task *t);

struct bgp_speaker *bgp_speaker_new(struct loop *loop, const struct logger *log,
				    const struct bgp_speaker_cfg *cfg)
{
	struct bgp_speaker *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->loop = loop;
	s->log = log;
	s->cfg = *cfg;
	if (cfg->hostname)
		snprintf(s->hostname, sizeof(s->hostname), "%s", cfg->hostname);
	s->cfg.hostname = NULL;
	s->listen[0].fd = s->listen[1].fd = -1;
	s->listen_err[0] = s->listen_err[1] = ENOTCONN; /* not asked to listen yet */
	s->scratch = malloc(BGP_SCRATCH_SIZE);
	s->scratch2 = malloc(2 * (size_t)BGP_MAX_EXT_MSG);
	s->reap_task = (struct loop_task){ .run = reap_run, .ctx = s };
	if (!s->scratch || !s->scratch2 || !rib_init(&s->rib, s)) {
		free(s->scratch);
		free(s->scratch2);
		free(s);
		return NULL;
	}
	return s;
}

void bgp_speaker_set_policy(struct bgp_speaker *s, const struct policy *pol, bool changed)
{
	s->policy = pol;
	for (uint16_t i = 1; changed && i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (!p)
			continue;
		bgp_peer_soft_in(p);
		bgp_peer_soft_out(p);
	}
}

void bgp_speaker_on_fib(struct bgp_speaker *s, bgp_fib_fn fn, bgp_fib_warm_fn warm, void *ctx)
{
	s->fib_fn = fn;
	s->fib_warm_fn = warm;
	s->fib_ctx = ctx;
}

bool bgp_speaker_all_eor(const struct bgp_speaker *s)
{
	bool any = false;
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		const struct bgp_peer *p = speaker_peer(s, i);
		if (!p || !p->est)
			continue;
		any = true;
		for (int f = 0; f < BGP_FAM_COUNT; f++)
			if (p->af[f].negotiated && !p->af[f].eor_received)
				return false;
	}
	return any;
}

void bgp_speaker_on_event(struct bgp_speaker *s, bgp_event_fn fn, void *ctx)
{
	s->event_fn = fn;
	s->event_ctx = ctx;
}

uint32_t bgp_speaker_router_id(const struct bgp_speaker *s)
{
	return s->cfg.router_id;
}

uint32_t bgp_speaker_asn(const struct bgp_speaker *s)
{
	return s->cfg.asn;
}

void bgp_speaker_set(struct bgp_speaker *s, const struct bgp_speaker_cfg *cfg)
{
	bool policy_changed = s->cfg.ebgp_requires_policy != cfg->ebgp_requires_policy;
	s->cfg.keepalive = cfg->keepalive;
	s->cfg.hold = cfg->hold;
	s->cfg.connect_retry = cfg->connect_retry;
	s->cfg.ebgp_requires_policy = cfg->ebgp_requires_policy;
	s->cfg.fast_external_failover = cfg->fast_external_failover;
	s->cfg.log_neighbor_changes = cfg->log_neighbor_changes;
	memcpy(s->cfg.maximum_paths, cfg->maximum_paths, sizeof(s->cfg.maximum_paths));
	memcpy(s->cfg.maximum_paths_ibgp, cfg->maximum_paths_ibgp, sizeof(s->cfg.maximum_paths_ibgp));
	snprintf(s->hostname, sizeof(s->hostname), "%s", cfg->hostname ? cfg->hostname : "");
	if (!policy_changed)
		return;
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (p && peer_is_ebgp(p)) {
			bgp_peer_soft_in(p);
			bgp_peer_soft_out(p);
		}
	}
}

static void ipaddr_from_sockaddr(const struct sockaddr_storage *ss, struct ipaddr *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		a->family = AF_INET;
		memcpy(a->a, &((const struct sockaddr_in *)ss)->sin_addr, 4);
		return;
	}
	const struct in6_addr *in6 = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	if (IN6_IS_ADDR_V4MAPPED(in6)) {
		a->family = AF_INET;
		memcpy(a->a, in6->s6_addr + 12, 4);
		return;
	}
	a->family = AF_INET6;
	memcpy(a->a, in6, 16);
}

struct bgp_peer *bgp_peer_find(struct bgp_speaker *s, const struct ipaddr *addr)
{
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (p && !p->removed && p->cfg.addr.family == addr->family &&
		    memcmp(p->cfg.addr.a, addr->a, sizeof(addr->a)) == 0)
			return p;
	}
	return NULL;
}

static void accept_one(struct loop_fd *f, uint32_t events)
{
	struct bgp_speaker *s = f->ctx;
	(void)events;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	int fd = accept4(f->fd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		return;
	struct ipaddr from;
	char buf[IPADDR_STRLEN];
	ipaddr_from_sockaddr(&ss, &from);
	struct bgp_peer *p = bgp_peer_find(s, &from);
	if (!p) {
		log_notice(s->log, "connection from %s refused: not a configured neighbor",
			   ipaddr_fmt(&from, buf, sizeof(buf)));
		close(fd);
		return;
	}
	if (!session_accept(p, fd))
		close(fd);
}

static int listen_on(struct bgp_speaker *s, int family)
{
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	socklen_t sl;
	if (family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(s->cfg.listen_port);
		sl = sizeof(*sin);
	} else {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(s->cfg.listen_port);
		sl = sizeof(*sin6);
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0 || listen(fd, 64) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Keys of the neighbors with a password on the listening socket of their
 * family, so that their SYNs are accepted (RFC 2385). */
static void listen_md5(struct bgp_speaker *s, const struct bgp_peer *p, const char *password)
{
	int idx = p->cfg.addr.family == AF_INET ? 0 : 1;
	if (s->listen[idx].fd < 0)
		return;
	if (!session_set_md5(s->listen[idx].fd, &p->cfg.addr, password) && password[0])
		peer_log(p, LOG_LVL_ERR, "cannot set the TCP MD5 key on the listening socket: %s",
			 strerror(errno));
}

bool bgp_speaker_listen(struct bgp_speaker *s)
{
	static const int families[2] = { AF_INET, AF_INET6 };
	bool any = false;
	int err = 0;
	for (int i = 0; i < 2; i++) {
		int fd = listen_on(s, families[i]);
		s->listen_err[i] = fd < 0 ? errno : 0;
		if (fd < 0) {
			err = errno;
			log_warn(s->log, "cannot listen on %s port %u: %s",
				 i ? "IPv6" : "IPv4", s->cfg.listen_port, strerror(errno));
			continue;
		}
		s->listen[i] = (struct loop_fd){ .fd = fd, .events = EPOLLIN, .cb = accept_one, .ctx = s };
		loop_fd_add(s->loop, &s->listen[i]);
		any = true;
	}
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (p && !p->removed && p->cfg.password[0])
			listen_md5(s, p, p->cfg.password);
	}
	if (!any)
		errno = err;
	return any;
}

int bgp_speaker_listen_error(const struct bgp_speaker *s, int family)
{
	return s->listen_err[family == AF_INET ? 0 : 1];
}

static uint16_t free_slot(struct bgp_speaker *s)
{
	for (uint16_t i = 1; i <= s->n_slots; i++)
		if (!s->peers[i - 1])
			return i;
	if (s->n_slots >= BGP_MAX_PEERS)
		return 0;
	struct bgp_peer **peers = realloc(s->peers, (s->n_slots + 1u) * sizeof(*peers));
	if (!peers)
		return 0;
	s->peers = peers;
	s->peers[s->n_slots] = NULL;
	return ++s->n_slots;
}

struct bgp_peer *bgp_peer_add(struct bgp_speaker *s, const struct bgp_peer_cfg *cfg)
{
	if (bgp_peer_find(s, &cfg->addr))
		return NULL;
	uint16_t slot = free_slot(s);
	struct bgp_peer *p = slot ? calloc(1, sizeof(*p)) : NULL;
	if (!p)
		return NULL;
	p->s = s;
	p->cfg = *cfg;
	p->slot = slot;
	s->peers[slot - 1] = p;
	snprintf(p->last_reset, sizeof(p->last_reset), "never established");
	session_init(p);
	adjout_peer_init(p);
	if (p->cfg.password[0])
		listen_md5(s, p, p->cfg.password);
	session_start(p);
	return p;
}

/* Whether two configurations differ in what the session itself depends on. */
static bool session_params_differ(const struct bgp_peer_cfg *a, const struct bgp_peer_cfg *b)
{
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		if (a->af[f].active != b->af[f].active)
			return true;
	return a->remote_as_kind != b->remote_as_kind || a->remote_as != b->remote_as ||
	       a->enforce_first_as != b->enforce_first_as ||
	       a->port != b->port || a->multihop_ttl != b->multihop_ttl ||
	       a->ttl_security != b->ttl_security ||
	       memcmp(&a->update_source, &b->update_source, sizeof(a->update_source)) != 0 ||
	       strcmp(a->update_source_if, b->update_source_if) != 0 ||
	       strcmp(a->password, b->password) != 0 || a->shutdown != b->shutdown ||
	       a->passive != b->passive || a->keepalive != b->keepalive || a->hold != b->hold ||
	       a->connect_retry != b->connect_retry;
}

bool bgp_peer_set(struct bgp_peer *p, const struct bgp_peer_cfg *cfg)
{
	if (session_params_differ(&p->cfg, cfg)) {
		if (strcmp(p->cfg.password, cfg->password) != 0)
			listen_md5(p->s, p, cfg->password);
		session_stop(p, cfg->shutdown ? BGP_CEASE_ADMIN_SHUTDOWN : BGP_CEASE_CONFIG_CHANGE,
			     cfg->shutdown ? "shut down by configuration" : "configuration changed");
		p->cfg = *cfg;
		session_start(p);
		return true;
	}
	bool in_changed = false, out_changed = false;
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		const struct bgp_peer_af_cfg *o = &p->cfg.af[f], *n = &cfg->af[f];
		in_changed |= o->policy_in != n->policy_in || o->weight != n->weight ||
			      o->allowas_in != n->allowas_in || o->allowas_in_origin != n->allowas_in_origin ||
			      o->soft_reconfig_in != n->soft_reconfig_in ||
			      strcmp(o->rmap_in, n->rmap_in) || strcmp(o->plist_in, n->plist_in) ||
			      strcmp(o->flist_in, n->flist_in);
		out_changed |= !adjout_af_cfg_same(o, n);
	}
	bool group_changed = strcmp(p->cfg.peer_group, cfg->peer_group) != 0;
	memcpy(p->cfg.description, cfg->description, sizeof(p->cfg.description));
	memcpy(p->cfg.peer_group, cfg->peer_group, sizeof(p->cfg.peer_group));
	memcpy(p->cfg.af, cfg->af, sizeof(p->cfg.af));
	if (in_changed)
		bgp_peer_soft_in(p);
	if (out_changed)
		bgp_peer_soft_out(p);
	if (out_changed || group_changed)
		adjout_groups(p->s);
	return false;
}

static void peer_free(struct bgp_peer *p)
{
	adjout_free_pending(p);
	free(p);
}

static bool reap_run(struct loop_task *t)
{
	struct bgp_speaker *s = t->ctx;
	while (s->graveyard) {
		struct bgp_peer *p = s->graveyard;
		s->graveyard = p->next_dead;
		peer_free(p);
	}
	return false;
}

void bgp_peer_remove(struct bgp_peer *p)
{
	struct bgp_speaker *s = p->s;
	if (p->cfg.password[0])
		listen_md5(s, p, "");
	session_stop(p, BGP_CEASE_PEER_DECONFIGURED, "neighbor removed");
	adjout_peer_reset(p);
	p->removed = true;
	s->peers[p->slot - 1] = NULL;
	/* Freed after the events of this round: one may still name it. */
	p->next_dead = s->graveyard;
	s->graveyard = p;
	loop_task_queue(s->loop, &s->reap_task);
}

void bgp_speaker_link_down(struct bgp_speaker *s, int ifindex)
{
	if (!s->cfg.fast_external_failover || ifindex <= 0)
		return;
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (!p || !p->est || p->ifindex != ifindex || !peer_is_ebgp(p))
			continue;
		bool direct = p->cfg.ttl_security ? p->cfg.ttl_security == 1 : p->cfg.multihop_ttl <= 1;
		if (!direct)
			continue;
		session_stop(p, 0, "interface down (fast-external-failover)");
		session_start(p);
	}
}

void bgp_peer_reset(struct bgp_peer *p)
{
	p->held_down = false;
	session_stop(p, BGP_CEASE_ADMIN_RESET, "cleared by the operator");
	session_start(p);
}

void bgp_peer_soft_in(struct bgp_peer *p)
{
	if (!p->est)
		return;
	bool all_kept = true;
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		if (p->af[f].negotiated && !p->cfg.af[f].soft_reconfig_in)
			all_kept = false;
	if (all_kept) {
		rib_soft_in(p);
		return;
	}
	if (!p->route_refresh) {
		peer_log(p, LOG_LVL_WARN, "soft in: the peer supports no route refresh and "
					  "soft-reconfiguration inbound is off");
		return;
	}
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		if (!p->af[f].negotiated)
			continue;
		uint8_t buf[32];
		struct wbuf w = wbuf_make(buf, sizeof(buf));
		struct bgp_route_refresh rr = { .afi = f == BGP_FAM_IPV4 ? BGP_AFI_IPV4 : BGP_AFI_IPV6,
						.safi = BGP_SAFI_UNICAST };
		if (bgp_route_refresh_encode(&w, &rr)) {
			session_send(p->est, buf, w.len);
			p->stats.refresh_out++;
		}
	}
}

void bgp_peer_soft_out(struct bgp_peer *p)
{
	if (p->est)
		adjout_resync(p, WALK_RESYNC);
}

void bgp_speaker_clear(struct bgp_speaker *s, struct bgp_peer *one, bool soft, bool in, bool out)
{
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (!p || (one && p != one))
			continue;
		if (!soft) {
			bgp_peer_reset(p);
			continue;
		}
		if (in)
			bgp_peer_soft_in(p);
		if (out)
			bgp_peer_soft_out(p);
	}
}

void bgp_speaker_free(struct bgp_speaker *s)
{
	if (!s)
		return;
	for (uint16_t i = 1; i <= s->n_slots; i++) {
		struct bgp_peer *p = speaker_peer(s, i);
		if (!p)
			continue;
		session_stop(p, BGP_CEASE_ADMIN_SHUTDOWN, "shutting down");
		adjout_peer_reset(p);
		loop_timer_stop(s->loop, &p->connect_retry);
		s->peers[i - 1] = NULL;
		peer_free(p);
	}
	reap_run(&s->reap_task);
	loop_task_cancel(s->loop, &s->reap_task);
	loop_task_cancel(s->loop, &s->rib.task);
	for (int i = 0; i < 2; i++) {
		if (s->listen[i].fd >= 0) {
			loop_fd_del(s->loop, &s->listen[i]);
			close(s->listen[i].fd);
		}
	}
	rib_destroy(&s->rib);
	policy_ctx_release(&s->pctx);
	free(s->peers);
	free(s->scratch);
	free(s->scratch2);
	free(s);
}

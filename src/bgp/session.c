/* session.c: BGP sessions: TCP connections (active and passive), the socket
 * options of a neighbor (TTL, GTSM, TCP MD5, update-source), reading and
 * framing messages, driving the state machine of fsm.c, OPEN negotiation and
 * connection collisions (RFC 4271 6.8). Routes go to rib.c. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "message.h"
#include "speaker_int.h"

#define RBUF_SIZE (2 * BGP_MAX_EXT_MSG)

static void conn_event(struct bgp_conn *c, uint8_t ev, const struct bgp_notify *n);
void session_conn_io(struct loop_fd *f, uint32_t events);

void peer_log(const struct bgp_peer *p, int level, const char *fmt, ...)
{
	char addr[IPADDR_STRLEN], line[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	log_msg(p->s->log, level, "neighbor %s: %s", ipaddr_fmt(&p->cfg.addr, addr, sizeof(addr)),
		line);
}

static int64_t realtime_now(void)
{
	return (int64_t)time(NULL);
}

static uint16_t peer_hold(const struct bgp_peer *p)
{
	return p->cfg.hold != 0xffff ? p->cfg.hold : p->s->cfg.hold;
}

static uint16_t peer_keepalive(const struct bgp_peer *p)
{
	return p->cfg.keepalive != 0xffff ? p->cfg.keepalive : p->s->cfg.keepalive;
}

static uint16_t peer_connect_retry(const struct bgp_peer *p)
{
	return p->cfg.connect_retry ? p->cfg.connect_retry : p->s->cfg.connect_retry;
}

/* Socket options */

static socklen_t sockaddr_of(const struct ipaddr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->a, 4);
		return sizeof(*sin);
	}
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	memcpy(&sin6->sin6_addr, a->a, 16);
	return sizeof(*sin6);
}

/* The TTL we send with, and the lowest we accept (GTSM, RFC 5082). */
static void peer_ttls(const struct bgp_peer *p, int *ttl, int *minttl)
{
	*minttl = 0;
	if (p->cfg.ttl_security) {
		*ttl = 255;
		*minttl = 256 - p->cfg.ttl_security;
	} else if (p->cfg.multihop_ttl) {
		*ttl = p->cfg.multihop_ttl;
	} else {
		*ttl = peer_is_ebgp(p) ? 1 : 255;
	}
}

static bool set_ttl(int fd, uint8_t family, int ttl, int minttl)
{
	bool ok;
	if (family == AF_INET) {
		ok = setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == 0;
		if (ok && minttl)
			ok = setsockopt(fd, IPPROTO_IP, IP_MINTTL, &minttl, sizeof(minttl)) == 0;
	} else {
		ok = setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) == 0;
		if (ok && minttl)
			ok = setsockopt(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, &minttl, sizeof(minttl)) == 0;
	}
	return ok;
}

/* Installs (or, with an empty password, removes) the TCP MD5 key for addr on
 * a socket (RFC 2385). */
bool session_set_md5(int fd, const struct ipaddr *addr, const char *password)
{
	struct tcp_md5sig sig;
	memset(&sig, 0, sizeof(sig));
	size_t len = strlen(password);
	if (len > TCP_MD5SIG_MAXKEYLEN)
		len = TCP_MD5SIG_MAXKEYLEN;
	sockaddr_of(addr, 0, &sig.tcpm_addr);
	sig.tcpm_keylen = (uint16_t)len;
	memcpy(sig.tcpm_key, password, len);
	return setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG, &sig, sizeof(sig)) == 0;
}

/* Buffers */

static bool obuf_append(struct bgp_obuf *b, const uint8_t *p, size_t n)
{
	if (b->head && b->head == b->len)
		b->head = b->len = 0;
	if (b->cap - b->len < n) {
		if (b->head) {
			memmove(b->p, b->p + b->head, b->len - b->head);
			b->len -= b->head;
			b->head = 0;
		}
		if (b->cap - b->len < n) {
			size_t cap = b->cap ? b->cap : 16384;
			while (cap - b->len < n)
				cap *= 2;
			uint8_t *q = realloc(b->p, cap);
			if (!q)
				return false;
			b->p = q;
			b->cap = cap;
		}
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return true;
}

static size_t obuf_pending(const struct bgp_obuf *b)
{
	return b->len - b->head;
}

static void obuf_free(struct bgp_obuf *b)
{
	free(b->p);
	*b = (struct bgp_obuf){ 0 };
}

/* Connections */

static bool conn_open(const struct bgp_conn *c)
{
	return c->lfd.fd >= 0;
}

static void conn_close(struct bgp_conn *c)
{
	struct loop *loop = c->peer->s->loop;
	loop_timer_stop(loop, &c->hold_timer);
	loop_timer_stop(loop, &c->keepalive_timer);
	if (c->lfd.fd >= 0) {
		loop_fd_del(loop, &c->lfd);
		close(c->lfd.fd);
		c->lfd.fd = -1;
	}
	c->connecting = false;
	free(c->rbuf);
	c->rbuf = NULL;
	c->rlen = c->rcap = 0;
	obuf_free(&c->out);
}

static void conn_want_write(struct bgp_conn *c, bool on)
{
	if (!conn_open(c))
		return;
	uint32_t ev = EPOLLIN | (on ? EPOLLOUT : 0);
	loop_fd_mod(c->peer->s->loop, &c->lfd, ev);
}

/* Writes what it can; false when the connection failed. */
static bool conn_flush(struct bgp_conn *c)
{
	struct bgp_obuf *b = &c->out;
	while (obuf_pending(b)) {
		ssize_t n = send(c->lfd.fd, b->p + b->head, obuf_pending(b), MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			if (errno == EINTR)
				continue;
			return false;
		}
		b->head += (size_t)n;
	}
	conn_want_write(c, obuf_pending(b) > 0);
	return true;
}

void session_send(struct bgp_conn *c, const uint8_t *msg, size_t len)
{
	if (!conn_open(c) || c->connecting)
		return;
	bool was_empty = obuf_pending(&c->out) == 0;
	if (!obuf_append(&c->out, msg, len)) {
		peer_log(c->peer, LOG_LVL_ERR, "out of memory for the send buffer");
		return;
	}
	/* Written when the loop next polls (the socket is writable at once):
	 * what this round produces for the peer leaves in one send, not one
	 * per message. */
	if (was_empty)
		conn_want_write(c, true);
}

bool session_out_room(const struct bgp_peer *p)
{
	return p->est && obuf_pending(&p->est->out) < BGP_OUT_HIGH_WATER;
}

static void send_notification(struct bgp_conn *c, const struct bgp_notify *n)
{
	uint8_t buf[BGP_MAX_MSG];
	struct wbuf w = wbuf_make(buf, sizeof(buf));
	if (!bgp_notification_encode(&w, n))
		return;
	session_send(c, buf, w.len);
	conn_flush(c);
	if (obuf_pending(&c->out) && conn_open(c)) {
		/* The connection closes right after: give the NOTIFICATION a
		 * second to leave rather than drop it behind queued updates. */
		struct timeval tv = { .tv_sec = 1 };
		int flags = fcntl(c->lfd.fd, F_GETFL);
		setsockopt(c->lfd.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		fcntl(c->lfd.fd, F_SETFL, flags & ~O_NONBLOCK);
		conn_flush(c);
		fcntl(c->lfd.fd, F_SETFL, flags);
	}
	c->peer->stats.notify_out++;
	snprintf(c->peer->last_reset, sizeof(c->peer->last_reset), "sent NOTIFICATION %u/%u (%s, %s)",
		 n->code, n->subcode, bgp_err_code_name(n->code),
		 bgp_err_subcode_name(n->code, n->subcode));
	peer_log(c->peer, LOG_LVL_WARN, "%s", c->peer->last_reset);
}

static uint8_t family_bits(const struct bgp_peer *p)
{
	uint8_t bits = 0;
	for (int f = 0; f < BGP_FAM_COUNT; f++)
		if (p->cfg.af[f].active)
			bits |= (uint8_t)(1u << f);
	return bits;
}

static void send_open(struct bgp_conn *c)
{
	struct bgp_peer *p = c->peer;
	struct bgp_speaker *s = p->s;
	struct bgp_open o = { .version = BGP_VERSION, .hold_time = peer_hold(p),
			      .bgp_id = s->cfg.router_id };
	o.my_as = s->cfg.asn > UINT16_MAX ? BGP_AS_TRANS : (uint16_t)s->cfg.asn;
	struct bgp_caps *caps = &o.caps;
	uint8_t fams = family_bits(p);
	if (fams & (1u << BGP_FAM_IPV4))
		caps->mp[caps->n_mp++] = (struct bgp_afi_safi){ .afi = BGP_AFI_IPV4, .safi = 1 };
	if (fams & (1u << BGP_FAM_IPV6))
		caps->mp[caps->n_mp++] = (struct bgp_afi_safi){ .afi = BGP_AFI_IPV6, .safi = 1 };
	caps->have = BGP_CAPB_MP | BGP_CAPB_ROUTE_REFRESH | BGP_CAPB_ENHANCED_RR | BGP_CAPB_AS4 |
		     BGP_CAPB_EXT_MSG;
	caps->as4 = s->cfg.asn;
	if (s->cfg.gr_restart_time) {
		/* So that peers send End-of-RIB, and know our routes stay in
		 * the kernel across a restart. */
		caps->have |= BGP_CAPB_GR;
		caps->gr_time = s->cfg.gr_restart_time;
		caps->gr_flags = s->cfg.gr_restarting ? BGP_GR_F_RESTART : 0;
		for (unsigned i = 0; i < caps->n_mp; i++)
			caps->gr[caps->n_gr++] = (struct bgp_afi_safi){
				.afi = caps->mp[i].afi, .safi = caps->mp[i].safi,
				.flags = s->cfg.gr_forwarding ? BGP_GR_AF_F_FORWARDING : 0 };
	}
	if (s->hostname[0]) {
		caps->have |= BGP_CAPB_FQDN;
		snprintf(caps->hostname, sizeof(caps->hostname), "%s", s->hostname);
	}
	uint8_t buf[BGP_MAX_MSG];
	struct wbuf w = wbuf_make(buf, sizeof(buf));
	if (bgp_open_encode(&w, &o)) {
		session_send(c, buf, w.len);
		p->stats.open_out++;
	}
}

static void send_keepalive(struct bgp_conn *c)
{
	uint8_t buf[BGP_HEADER_LEN];
	struct wbuf w = wbuf_make(buf, sizeof(buf));
	bgp_keepalive_encode(&w);
	session_send(c, buf, w.len);
	c->peer->stats.keepalive_out++;
}

/* Timers */

static void conn_timer_start(struct bgp_conn *c, struct loop_timer *t, uint64_t ms)
{
	loop_timer_set(c->peer->s->loop, t, ms);
}

/* Keepalive interval with the jitter of RFC 4271 10 (75% to 100%). */
static uint64_t jittered(uint64_t ms)
{
	return ms - (ms * (uint64_t)(rand() % 26)) / 100;
}

static void hold_expired(struct loop_timer *t)
{
	struct bgp_conn *c = t->ctx;
	snprintf(c->peer->last_reset, sizeof(c->peer->last_reset), "hold timer expired");
	conn_event(c, BGP_EV_HOLD_EXPIRED, NULL);
}

static void keepalive_due(struct loop_timer *t)
{
	conn_event(t->ctx, BGP_EV_KEEPALIVE_TIMER, NULL);
}

/* The peer's connect-retry timer: a new outgoing attempt, or the restart of a
 * session that went down. */
static void connect_retry_due(struct loop_timer *t)
{
	struct bgp_peer *p = t->ctx;
	struct bgp_conn *c = &p->conn[0];
	if (p->cfg.shutdown || p->removed)
		return;
	p->held_down = false;
	if (c->state == BGP_ST_IDLE)
		conn_event(c, p->cfg.passive ? BGP_EV_START_PASSIVE : BGP_EV_START, NULL);
	else
		conn_event(c, BGP_EV_CONNECT_RETRY, NULL);
}

/* After a session went down: try again after an exponential backoff capped by
 * the connect-retry time, the way FRR's idle hold works. */
static void peer_schedule_restart(struct bgp_peer *p)
{
	if (p->cfg.shutdown || p->removed || p->held_down)
		return;
	if (p->conn[0].state != BGP_ST_IDLE || p->conn[1].state != BGP_ST_IDLE)
		return;
	unsigned shift = p->retry_count > 6 ? 6 : p->retry_count;
	uint64_t ms = 1000ull << shift;
	uint64_t cap = (uint64_t)peer_connect_retry(p) * 1000;
	loop_timer_set(p->s->loop, &p->connect_retry, ms < cap ? ms : cap);
}

/* The first address of a family on an interface (update-source IFNAME is
 * the interface's address as the source, as FRR reads it); link-local IPv6
 * addresses only when there is no other. */
static bool interface_address(const char *ifname, uint8_t family, struct ipaddr *out)
{
	struct ifaddrs *ifs, *i;
	bool found = false;
	if (getifaddrs(&ifs) != 0)
		return false;
	for (i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family || strcmp(i->ifa_name, ifname) != 0)
			continue;
		struct ipaddr a = { .family = family };
		if (family == AF_INET)
			memcpy(a.a, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		else
			memcpy(a.a, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
		bool ll = family == AF_INET6 && a.a[0] == 0xfe && (a.a[1] & 0xc0) == 0x80;
		if (!found || !ll) {
			*out = a;
			found = true;
			if (!ll)
				break;
		}
	}
	freeifaddrs(ifs);
	return found;
}

/* Outgoing connection */

static bool conn_connect(struct bgp_conn *c)
{
	struct bgp_peer *p = c->peer;
	struct sockaddr_storage ss;
	socklen_t sl = sockaddr_of(&p->cfg.addr, p->cfg.port, &ss);
	int fd = socket(p->cfg.addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	int ttl, minttl, one = 1;
	peer_ttls(p, &ttl, &minttl);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!set_ttl(fd, p->cfg.addr.family, ttl, minttl))
		peer_log(p, LOG_LVL_WARN, "cannot set TTL %d: %s", ttl, strerror(errno));
	if (p->cfg.password[0] && !session_set_md5(fd, &p->cfg.addr, p->cfg.password))
		peer_log(p, LOG_LVL_ERR, "cannot set the TCP MD5 key: %s", strerror(errno));
	struct ipaddr src = p->cfg.update_source;
	if (p->cfg.update_source_if[0] && !interface_address(p->cfg.update_source_if,
							     p->cfg.addr.family, &src))
		peer_log(p, LOG_LVL_WARN, "update-source %s: the interface has no %s address",
			 p->cfg.update_source_if, p->cfg.addr.family == AF_INET ? "IPv4" : "IPv6");
	if (src.family == p->cfg.addr.family) {
		struct sockaddr_storage ss_src;
		socklen_t srcl = sockaddr_of(&src, 0, &ss_src);
		if (bind(fd, (struct sockaddr *)&ss_src, srcl) != 0)
			peer_log(p, LOG_LVL_WARN, "update-source: bind: %s", strerror(errno));
	}
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0 && errno != EINPROGRESS) {
		int e = errno;
		close(fd);
		errno = e;
		return false;
	}
	c->lfd = (struct loop_fd){ .fd = fd, .events = EPOLLOUT, .cb = session_conn_io, .ctx = c };
	c->connecting = true;
	c->outgoing = true;
	if (!loop_fd_add(p->s->loop, &c->lfd)) {
		close(fd);
		c->lfd.fd = -1;
		return false;
	}
	return true;
}

static bool conn_setup_buffers(struct bgp_conn *c)
{
	c->rbuf = malloc(RBUF_SIZE);
	c->rcap = c->rbuf ? RBUF_SIZE : 0;
	c->rlen = 0;
	return c->rbuf != NULL;
}

/* Collisions (RFC 4271 6.8): the connection opened by the speaker with the
 * higher BGP Identifier survives. Returns true when c itself must go. */
static bool resolve_collision(struct bgp_conn *c)
{
	struct bgp_peer *p = c->peer;
	struct bgp_conn *other = &p->conn[c == &p->conn[0] ? 1 : 0];
	if (!conn_open(other))
		return false;
	if (other->state == BGP_ST_ESTABLISHED)
		return true;
	if (other->state != BGP_ST_OPENCONFIRM)
		return false;
	bool keep_outgoing = p->s->cfg.router_id > c->remote_id;
	struct bgp_conn *loser = keep_outgoing ? &p->conn[1] : &p->conn[0];
	peer_log(p, LOG_LVL_INFO, "connection collision: keeping the %s connection",
		 keep_outgoing ? "outgoing" : "incoming");
	if (loser == c)
		return true;
	conn_event(loser, BGP_EV_COLLISION_DUMP, NULL);
	return false;
}

/* OPEN */

static bool remote_as_ok(const struct bgp_peer *p, uint32_t as)
{
	switch (p->cfg.remote_as_kind) {
	case BGP_REMOTE_AS_EXTERNAL: return as != p->s->cfg.asn;
	case BGP_REMOTE_AS_INTERNAL: return as == p->s->cfg.asn;
	}
	return as == p->cfg.remote_as;
}

static void handle_open(struct bgp_conn *c, const uint8_t *body, size_t len)
{
	struct bgp_peer *p = c->peer;
	struct bgp_open o;
	struct bgp_notify err;
	p->stats.open_in++;
	if (!bgp_open_decode(body, len, &o, &err)) {
		conn_event(c, BGP_EV_MSG_ERROR, &err);
		return;
	}
	uint32_t as = bgp_open_peer_as(&o);
	if (!remote_as_ok(p, as)) {
		uint8_t data[2] = { (uint8_t)(o.my_as >> 8), (uint8_t)o.my_as };
		bgp_notify_set_data(&err, BGP_ERR_OPEN, BGP_OPEN_BAD_PEER_AS, data, 2);
		peer_log(p, LOG_LVL_WARN, "OPEN with AS %u, expected %s", as,
			 p->cfg.remote_as_kind == BGP_REMOTE_AS_EXTERNAL ? "an external AS"
			 : p->cfg.remote_as_kind == BGP_REMOTE_AS_INTERNAL ? "our own AS"
									   : "the configured one");
		conn_event(c, BGP_EV_MSG_ERROR, &err);
		return;
	}
	if (o.bgp_id == p->s->cfg.router_id && as == p->s->cfg.asn) {
		bgp_notify_set(&err, BGP_ERR_OPEN, BGP_OPEN_BAD_BGP_ID);
		conn_event(c, BGP_EV_MSG_ERROR, &err);
		return;
	}
	c->remote_id = o.bgp_id;
	uint16_t ours = peer_hold(p);
	c->hold_time = o.hold_time < ours ? o.hold_time : ours;
	uint16_t ka = peer_keepalive(p);
	c->keepalive_time = c->hold_time ? (ka < c->hold_time / 3 ? ka : c->hold_time / 3) : 0;
	if (c->hold_time && c->keepalive_time == 0)
		c->keepalive_time = 1;

	/* What the session will use once established. */
	p->remote_as = as;
	p->as4 = (o.caps.have & BGP_CAPB_AS4) != 0;
	p->ext_msg = (o.caps.have & BGP_CAPB_EXT_MSG) != 0;
	p->route_refresh = (o.caps.have & (BGP_CAPB_ROUTE_REFRESH | BGP_CAPB_ROUTE_REFRESH_OLD)) != 0;
	p->enhanced_rr = (o.caps.have & BGP_CAPB_ENHANCED_RR) != 0;
	p->gr_time = (o.caps.have & BGP_CAPB_GR) ? o.caps.gr_time : 0;
	p->gr_afs = 0;
	for (unsigned i = 0; i < o.caps.n_gr; i++)
		if ((o.caps.gr[i].afi == BGP_AFI_IPV4 || o.caps.gr[i].afi == BGP_AFI_IPV6) &&
		    o.caps.gr[i].safi == BGP_SAFI_UNICAST)
			p->gr_afs |= (uint8_t)(1u << family_of_afi(o.caps.gr[i].afi));
	memcpy(p->remote_hostname, o.caps.hostname, sizeof(p->remote_hostname) - 1);
	p->remote_hostname[sizeof(p->remote_hostname) - 1] = '\0';
	for (int f = 0; f < BGP_FAM_COUNT; f++) {
		uint16_t afi = f == BGP_FAM_IPV4 ? BGP_AFI_IPV4 : BGP_AFI_IPV6;
		/* No multiprotocol capability at all means IPv4 unicast (RFC 4760). */
		bool theirs = (o.caps.have & BGP_CAPB_MP) ? bgp_caps_has_afi(&o.caps, afi, 1)
							   : afi == BGP_AFI_IPV4;
		p->af[f].negotiated = theirs && p->cfg.af[f].active;
	}
	if (resolve_collision(c)) {
		conn_event(c, BGP_EV_COLLISION_DUMP, NULL);
		return;
	}
	conn_event(c, BGP_EV_OPEN, NULL);
}

static void handle_notification(struct bgp_conn *c, const uint8_t *body, size_t len)
{
	struct bgp_peer *p = c->peer;
	struct bgp_notify n, err;
	char text[200] = "";
	p->stats.notify_in++;
	if (bgp_notification_decode(body, len, &n, &err)) {
		char msg[128];
		if (bgp_notification_shutdown_msg(&n, msg, sizeof(msg)))
			snprintf(text, sizeof(text), ": \"%s\"", msg);
		snprintf(p->last_reset, sizeof(p->last_reset), "received NOTIFICATION %u/%u (%s, %s)%s",
			 n.code, n.subcode, bgp_err_code_name(n.code),
			 bgp_err_subcode_name(n.code, n.subcode), text);
	} else {
		snprintf(p->last_reset, sizeof(p->last_reset), "received a truncated NOTIFICATION");
	}
	peer_log(p, LOG_LVL_WARN, "%s", p->last_reset);
	conn_event(c, BGP_EV_NOTIFICATION, NULL);
}

static void handle_update(struct bgp_conn *c, const uint8_t *body, size_t len)
{
	struct bgp_peer *p = c->peer;
	p->stats.update_in++;
	if (c->state != BGP_ST_ESTABLISHED) {
		conn_event(c, BGP_EV_UPDATE, NULL); /* an FSM error in this state */
		return;
	}
	struct bgp_update u;
	struct bgp_decode_opts o = { .as4 = p->as4, .ibgp = !peer_is_ebgp(p), .ext_msg = p->ext_msg };
	bgp_update_decode(body, len, &o, p->s->scratch, BGP_SCRATCH_SIZE, &u);
	for (unsigned i = 0; i < u.n_faults; i++)
		peer_log(p, u.faults[i].action == BGP_ACT_SESSION_RESET ? LOG_LVL_ERR : LOG_LVL_WARN,
			 "UPDATE: %s%s%s -> %s",
			 u.faults[i].attr ? bgp_attr_name(u.faults[i].attr)
					  : (u.faults[i].where ? u.faults[i].where : ""),
			 u.faults[i].attr || u.faults[i].where ? ": " : "", u.faults[i].what,
			 bgp_action_name(u.faults[i].action));
	if (u.action == BGP_ACT_SESSION_RESET) {
		conn_event(c, BGP_EV_UPDATE_ERROR, &u.notify);
		return;
	}
	conn_event(c, BGP_EV_UPDATE, NULL);
	if (p->est == c)
		rib_update(p, &u);
}

static void handle_refresh(struct bgp_conn *c, const uint8_t *body, size_t len)
{
	struct bgp_peer *p = c->peer;
	struct bgp_route_refresh rr;
	struct bgp_notify err;
	p->stats.refresh_in++;
	if (!bgp_route_refresh_decode(body, len, &rr, &err)) {
		conn_event(c, BGP_EV_MSG_ERROR, &err);
		return;
	}
	conn_event(c, BGP_EV_UPDATE, NULL); /* restarts the hold timer, checks the state */
	if (p->est != c || rr.safi != BGP_SAFI_UNICAST || rr.subtype != BGP_RR_NORMAL)
		return;
	if (rr.afi == BGP_AFI_IPV4 || rr.afi == BGP_AFI_IPV6) {
		uint8_t f = family_of_afi(rr.afi);
		if (p->af[f].negotiated) {
			peer_log(p, LOG_LVL_INFO, "route refresh requested for %s",
				 f == BGP_FAM_IPV4 ? "IPv4 unicast" : "IPv6 unicast");
			adjout_refresh(p, f);
		}
	}
}

/* Handles one whole message; false when the connection is gone. */
static bool handle_message(struct bgp_conn *c, uint8_t type, const uint8_t *msg, size_t len)
{
	const uint8_t *body = msg + BGP_HEADER_LEN;
	size_t blen = len - BGP_HEADER_LEN;
	switch (type) {
	case BGP_MSG_OPEN: handle_open(c, body, blen); break;
	case BGP_MSG_UPDATE: handle_update(c, body, blen); break;
	case BGP_MSG_NOTIFICATION: handle_notification(c, body, blen); break;
	case BGP_MSG_KEEPALIVE:
		c->peer->stats.keepalive_in++;
		conn_event(c, BGP_EV_KEEPALIVE, NULL);
		break;
	case BGP_MSG_ROUTE_REFRESH: handle_refresh(c, body, blen); break;
	}
	return conn_open(c);
}

static void conn_read(struct bgp_conn *c)
{
	ssize_t n = read(c->lfd.fd, c->rbuf + c->rlen, c->rcap - c->rlen);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		snprintf(c->peer->last_reset, sizeof(c->peer->last_reset), "%s",
			 n == 0 ? "connection closed by the peer" : strerror(errno));
		if (c->state >= BGP_ST_OPENSENT || n < 0)
			peer_log(c->peer, LOG_LVL_INFO, "%s", c->peer->last_reset);
		conn_event(c, BGP_EV_TCP_FAILED, NULL);
		return;
	}
	if (n < 0)
		return;
	c->rlen += (size_t)n;
	size_t pos = 0;
	size_t max = c->peer->ext_msg && c->state == BGP_ST_ESTABLISHED ? BGP_MAX_EXT_MSG : BGP_MAX_MSG;
	while (c->rlen - pos >= BGP_HEADER_LEN) {
		uint8_t type;
		uint16_t len;
		struct bgp_notify err;
		if (!bgp_header_decode(c->rbuf + pos, c->rlen - pos, max, &type, &len, &err)) {
			conn_event(c, BGP_EV_MSG_ERROR, &err);
			return;
		}
		if (c->rlen - pos < len)
			break;
		if (!handle_message(c, type, c->rbuf + pos, len))
			return;
		pos += len;
	}
	memmove(c->rbuf, c->rbuf + pos, c->rlen - pos);
	c->rlen -= pos;
}

static void conn_connected(struct bgp_conn *c)
{
	int err = 0;
	socklen_t el = sizeof(err);
	getsockopt(c->lfd.fd, SOL_SOCKET, SO_ERROR, &err, &el);
	c->connecting = false;
	if (err) {
		peer_log(c->peer, LOG_LVL_DEBUG, "connect: %s", strerror(err));
		snprintf(c->peer->last_reset, sizeof(c->peer->last_reset), "connect: %s",
			 strerror(err));
		conn_event(c, BGP_EV_TCP_FAILED, NULL);
		return;
	}
	if (!conn_setup_buffers(c)) {
		conn_event(c, BGP_EV_TCP_FAILED, NULL);
		return;
	}
	conn_want_write(c, false);
	conn_event(c, BGP_EV_TCP_CONNECTED, NULL);
}

void session_conn_io(struct loop_fd *f, uint32_t events)
{
	struct bgp_conn *c = f->ctx;
	if (c->connecting) {
		if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
			conn_connected(c);
		return;
	}
	if ((events & EPOLLOUT) && conn_open(c)) {
		if (!conn_flush(c)) {
			conn_event(c, BGP_EV_TCP_FAILED, NULL);
			return;
		}
		if (!obuf_pending(&c->out) && c->peer->est == c)
			loop_task_queue(c->peer->s->loop, &c->peer->out_task);
	}
	if ((events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && conn_open(c))
		conn_read(c);
}

/* Our next hops towards a peer: the local end of the session, and the other
 * family's addresses of the same interface, as FRR takes them (an IPv6 next
 * hop for IPv6 routes over an IPv4 session, and the reverse). */
static void local_next_hops(struct bgp_peer *p)
{
	struct ifaddrs *ifs, *i;
	const struct ipaddr *l = &p->local_addr;
	char ifname[IF_NAMESIZE + 1] = "";
	p->nh4 = p->nh6 = p->nh6_ll = (struct ipaddr){ 0 };
	if (l->family == AF_INET)
		p->nh4 = *l;
	else if (l->family == AF_INET6 && !(l->a[0] == 0xfe && (l->a[1] & 0xc0) == 0x80))
		p->nh6 = *l;
	if (getifaddrs(&ifs) != 0)
		return;
	for (i = ifs; i && !ifname[0]; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != l->family)
			continue;
		const void *a = l->family == AF_INET
					? (const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr
					: (const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
		if (memcmp(a, l->a, l->family == AF_INET ? 4 : 16) == 0)
			snprintf(ifname, sizeof(ifname), "%s", i->ifa_name);
	}
	p->ifindex = ifname[0] ? (int)if_nametoindex(ifname) : 0;
	for (i = ifs; i && ifname[0]; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, ifname) != 0)
			continue;
		if (i->ifa_addr->sa_family == AF_INET && !p->nh4.family) {
			p->nh4.family = AF_INET;
			memcpy(p->nh4.a, &((struct sockaddr_in *)i->ifa_addr)->sin_addr, 4);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			const uint8_t *a6 = ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr.s6_addr;
			bool ll = a6[0] == 0xfe && (a6[1] & 0xc0) == 0x80;
			struct ipaddr *dst = ll ? &p->nh6_ll : &p->nh6;
			if (!dst->family) {
				dst->family = AF_INET6;
				memcpy(dst->a, a6, 16);
			}
		}
	}
	freeifaddrs(ifs);
}

/* The state machine's actions */

static void session_event(const struct bgp_peer *p, uint8_t state)
{
	if (!p->s->event_fn)
		return;
	struct bgp_speaker_event ev = { .type = BGP_EVENT_SESSION, .peer = &p->cfg.addr, .state = state,
				.reason = state == BGP_ST_ESTABLISHED ? NULL : p->last_reset };
	p->s->event_fn(p->s->event_ctx, &ev);
}

static void session_up(struct bgp_conn *c)
{
	struct bgp_peer *p = c->peer;
	struct bgp_conn *other = &p->conn[c == &p->conn[0] ? 1 : 0];
	if (conn_open(other))
		conn_event(other, BGP_EV_COLLISION_DUMP, NULL);
	p->est = c;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	memset(&p->local_addr, 0, sizeof(p->local_addr));
	if (getsockname(c->lfd.fd, (struct sockaddr *)&ss, &sl) == 0) {
		if (ss.ss_family == AF_INET) {
			p->local_addr.family = AF_INET;
			memcpy(p->local_addr.a, &((struct sockaddr_in *)&ss)->sin_addr, 4);
		} else {
			p->local_addr.family = AF_INET6;
			memcpy(p->local_addr.a, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
		}
	}
	local_next_hops(p);
	p->remote_id = c->remote_id;
	p->hold_time = c->hold_time;
	p->keepalive_time = c->keepalive_time;
	p->retry_count = 0;
	p->stats.established++;
	p->state_since = realtime_now();
	loop_timer_stop(p->s->loop, &p->connect_retry);
	if (p->s->cfg.log_neighbor_changes)
		peer_log(p, LOG_LVL_NOTICE, "session up (%s connection)",
			 c->outgoing ? "outgoing" : "incoming");
	session_event(p, BGP_ST_ESTABLISHED);
	rib_peer_up(p);
}

/* Graceful restart as helper: the peer's routes outlive a session whose
 * connection broke without a NOTIFICATION (the peer's process restarted),
 * when the peer announced the capability; for its restart time. */
static void gr_expired(struct loop_timer *t)
{
	struct bgp_peer *p = t->ctx;
	if (!p->gr_stale)
		return;
	peer_log(p, LOG_LVL_NOTICE, "graceful restart: restart time over; stale routes removed");
	rib_flush_stale(p, BGP_FAM_COUNT);
}

static void session_down(struct bgp_conn *c, bool graceful)
{
	struct bgp_peer *p = c->peer;
	if (p->est != c)
		return;
	p->est = NULL;
	p->stats.dropped++;
	p->state_since = realtime_now();
	if (p->s->cfg.log_neighbor_changes)
		peer_log(p, LOG_LVL_NOTICE, "session down: %s", p->last_reset);
	session_event(p, BGP_ST_IDLE);
	/* Only the families the peer listed in its capability (RFC 4724 4.2):
	 * a helper-only speaker lists none. */
	if (graceful && p->gr_time && p->gr_afs) {
		peer_log(p, LOG_LVL_NOTICE, "graceful restart: keeping its routes for %u s",
			 p->gr_time);
		rib_peer_stale(p);
		loop_timer_set(p->s->loop, &p->gr_timer, (uint64_t)p->gr_time * 1000);
		return;
	}
	rib_peer_down(p);
}

static void conn_event(struct bgp_conn *c, uint8_t ev, const struct bgp_notify *n)
{
	struct bgp_peer *p = c->peer;
	struct loop *loop = p->s->loop;
	struct bgp_fsm_step st = bgp_fsm_step(c->state, ev);
	uint32_t a = st.actions;
	uint8_t from = c->state;
	if (p->cfg.passive) {
		/* A passive neighbor is only ever waited for. */
		a &= ~(uint32_t)(BGP_FA_CONNECT | BGP_FA_CONNECT_RETRY_START);
		if (st.next == BGP_ST_CONNECT)
			st.next = BGP_ST_ACTIVE;
	}

	if ((a & BGP_FA_SEND_NOTIFY) && conn_open(c) && !c->connecting) {
		struct bgp_notify own;
		if (st.code) {
			bgp_notify_set(&own, st.code, st.subcode);
			n = &own;
		}
		if (n)
			send_notification(c, n);
	}
	if (a & BGP_FA_TIMERS_STOP) {
		loop_timer_stop(loop, &c->hold_timer);
		loop_timer_stop(loop, &c->keepalive_timer);
	}
	if (a & BGP_FA_DOWN)
		session_down(c, ev == BGP_EV_TCP_FAILED);
	if (a & BGP_FA_CLOSE)
		conn_close(c);
	if (a & BGP_FA_RETRY_COUNT)
		p->retry_count++;
	c->state = st.next;
	if (a & BGP_FA_CONNECT_RETRY_STOP)
		loop_timer_stop(loop, &p->connect_retry);
	if ((a & BGP_FA_CONNECT_RETRY_START) && c->outgoing)
		loop_timer_set(loop, &p->connect_retry, (uint64_t)peer_connect_retry(p) * 1000);
	if (a & BGP_FA_CONNECT) {
		c->outgoing = true;
		if (!conn_connect(c)) {
			peer_log(p, LOG_LVL_DEBUG, "connect: %s", strerror(errno));
			c->state = BGP_ST_ACTIVE;
		}
	}
	if (a & BGP_FA_SEND_OPEN)
		send_open(c);
	if (a & BGP_FA_SEND_KEEPALIVE)
		send_keepalive(c);
	if (a & BGP_FA_HOLD_START_LARGE)
		conn_timer_start(c, &c->hold_timer, BGP_HOLD_LARGE_MS);
	if ((a & BGP_FA_HOLD_START) && c->hold_time)
		conn_timer_start(c, &c->hold_timer, (uint64_t)c->hold_time * 1000);
	if ((a & BGP_FA_KEEPALIVE_START) && c->keepalive_time)
		conn_timer_start(c, &c->keepalive_timer, jittered((uint64_t)c->keepalive_time * 1000));
	if (a & BGP_FA_UP)
		session_up(c);

	if (from != c->state)
		peer_log(p, LOG_LVL_DEBUG, "%s connection: %s -> %s on %s",
			 c->outgoing ? "outgoing" : "incoming", bgp_state_name(from),
			 bgp_state_name(c->state), bgp_event_name(ev));
	/* An incoming connection has no way back from a failure: it is gone. */
	if (!c->outgoing && (c->state == BGP_ST_ACTIVE || c->state == BGP_ST_CONNECT)) {
		conn_close(c);
		c->state = BGP_ST_IDLE;
	}
	if (c->state == BGP_ST_IDLE)
		peer_schedule_restart(p);
}

/* Entry points */

static void conn_init(struct bgp_conn *c, struct bgp_peer *p, bool outgoing)
{
	*c = (struct bgp_conn){ .peer = p, .outgoing = outgoing, .state = BGP_ST_IDLE };
	c->lfd.fd = -1;
	c->hold_timer = (struct loop_timer){ .cb = hold_expired, .ctx = c };
	c->keepalive_timer = (struct loop_timer){ .cb = keepalive_due, .ctx = c };
}

void session_init(struct bgp_peer *p)
{
	conn_init(&p->conn[0], p, true);
	conn_init(&p->conn[1], p, false);
	p->connect_retry = (struct loop_timer){ .cb = connect_retry_due, .ctx = p };
	p->gr_timer = (struct loop_timer){ .cb = gr_expired, .ctx = p };
}

void session_hold_down(struct bgp_peer *p, uint32_t seconds)
{
	p->held_down = true;
	loop_timer_stop(p->s->loop, &p->connect_retry);
	if (seconds) {
		peer_log(p, LOG_LVL_NOTICE, "session held down for %u s", seconds);
		loop_timer_set(p->s->loop, &p->connect_retry, (uint64_t)seconds * 1000);
	} else {
		peer_log(p, LOG_LVL_NOTICE, "session held down until cleared (clear ip bgp)");
	}
}

void session_start(struct bgp_peer *p)
{
	if (p->cfg.shutdown || p->removed)
		return;
	struct bgp_conn *c = &p->conn[0];
	if (c->state == BGP_ST_IDLE)
		conn_event(c, p->cfg.passive ? BGP_EV_START_PASSIVE : BGP_EV_START, NULL);
}

void session_stop(struct bgp_peer *p, uint8_t subcode, const char *why)
{
	snprintf(p->last_reset, sizeof(p->last_reset), "%s", why);
	loop_timer_stop(p->s->loop, &p->connect_retry);
	if (p->gr_stale && !p->est)
		rib_peer_down(p); /* stopped by us: its stale routes go too */
	for (int i = 0; i < 2; i++) {
		struct bgp_conn *c = &p->conn[i];
		if (c->state >= BGP_ST_OPENSENT && conn_open(c)) {
			struct bgp_notify n;
			bgp_notify_set(&n, BGP_ERR_CEASE, subcode);
			send_notification(c, &n);
		}
		if (c->state == BGP_ST_ESTABLISHED)
			session_down(c, false);
		conn_close(c);
		c->state = BGP_ST_IDLE;
	}
	snprintf(p->last_reset, sizeof(p->last_reset), "%s", why);
}

bool session_accept(struct bgp_peer *p, int fd)
{
	struct bgp_conn *c = &p->conn[1];
	if (p->cfg.shutdown || p->removed || conn_open(c) || p->est) {
		peer_log(p, LOG_LVL_INFO, "incoming connection refused: %s",
			 p->cfg.shutdown ? "neighbor is shut down"
			 : p->est      ? "session already established"
				       : "a connection is already being opened");
		return false;
	}
	int ttl, minttl, one = 1;
	peer_ttls(p, &ttl, &minttl);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (!set_ttl(fd, p->cfg.addr.family, ttl, minttl))
		peer_log(p, LOG_LVL_WARN, "cannot set TTL %d: %s", ttl, strerror(errno));
	conn_init(c, p, false);
	c->lfd = (struct loop_fd){ .fd = fd, .events = EPOLLIN, .cb = session_conn_io, .ctx = c };
	if (!conn_setup_buffers(c) || !loop_fd_add(p->s->loop, &c->lfd)) {
		free(c->rbuf);
		c->rbuf = NULL;
		c->lfd.fd = -1;
		return false;
	}
	c->state = BGP_ST_ACTIVE;
	conn_event(c, BGP_EV_TCP_CONNECTED, NULL);
	return true;
}

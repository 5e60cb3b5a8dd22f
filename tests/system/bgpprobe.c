/* bgpprobe.c: a small BGP speaker for the interoperability tests.
 *
 * It runs one session with a real BGP daemon using only nvad's codec: its OPEN,
 * KEEPALIVEs, UPDATEs, End-of-RIB markers and NOTIFICATIONs are built by
 * src/bgp, and every message it receives is framed and decoded by src/bgp too.
 * The received stream is written to a file (--record) so the test script can
 * decode it again with `nvactl decode` and compare it with what the daemon was
 * configured to send. Bytes are written as each message is framed, so the file
 * always ends on a message boundary (a message still partly in flight when the
 * probe stops is left out) and can be decoded while the session runs.
 *
 * One socket, poll(), no threads. The session ends after --duration seconds or
 * on SIGTERM/SIGINT with a Cease NOTIFICATION (administrative shutdown).
 *
 * Exit status: 0 when the session was established and closed by us; 1 when it
 * never came up or the peer closed it or sent a NOTIFICATION; 2 on bad usage. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bgp/message.h"
#include "bgp/msg.h"
#include "bgp/update.h"

#define PROBE_MAX_ASPATH 64
#define PROBE_MAX_COMMUNITIES 64
#define PROBE_MAX_LARGE 32
#define PROBE_RECV_CAP (4 * BGP_MAX_MSG)

enum probe_state {
	ST_CONNECT,     /* connecting, or waiting for the peer to connect */
	ST_OPEN_SENT,   /* our OPEN is out, waiting for theirs */
	ST_OPEN_CONFIRM,
	ST_ESTABLISHED,
};

struct probe_cfg {
	uint32_t local_as;
	uint32_t peer_as; /* 0: accept any */
	uint32_t router_id; /* host order */
	bool listen_mode;
	struct sockaddr_storage addr;
	socklen_t addr_len;
	uint16_t hold;
	unsigned announce_v4;
	unsigned announce_v6;
	uint32_t aspath[PROBE_MAX_ASPATH];
	unsigned n_aspath;
	uint8_t communities[4 * PROBE_MAX_COMMUNITIES];
	unsigned n_communities;
	uint8_t large[12 * PROBE_MAX_LARGE];
	unsigned n_large;
	bool have_med;
	uint32_t med;
	bool have_nh4;
	struct ipaddr nh4;
	bool have_nh6;
	struct ipaddr nh6;
	bool gr; /* offer the graceful restart capability (helper only) */
	const char *record;
	const char *record_sent;
	unsigned duration;
};

/* A growable output queue of encoded messages. */
struct outq {
	uint8_t *p;
	size_t len;
	size_t sent;
	size_t cap;
};

struct probe {
	struct probe_cfg cfg;
	enum probe_state state;
	int fd;        /* session socket, -1 when none */
	int lfd;       /* listening socket in --listen mode */
	int rec_fd;
	int rec_sent_fd;
	struct outq out;
	uint8_t in[PROBE_RECV_CAP];
	size_t in_len;
	uint8_t *scratch;
	size_t scratch_cap;
	struct bgp_update *upd;
	struct bgp_decode_opts dopts;
	struct bgp_encode_opts eopts;
	uint32_t peer_as;
	bool peer_v4, peer_v6;
	uint16_t hold;       /* negotiated; 0 means no keepalives */
	double last_recv;    /* monotonic seconds */
	double last_sent;
	double next_connect;
	double deadline;
	bool established_once;
	/* counters for the summary */
	unsigned long rx_msgs[6];
	unsigned long rx_announced, rx_withdrawn, rx_faults, rx_eor;
	unsigned long tx_updates, tx_prefixes;
};

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bgpprobe: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void log_hex(const char *what, const uint8_t *p, size_t n)
{
	fprintf(stderr, "bgpprobe: %s (%zu octets): ", what, n);
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%02x", p[i]);
	fputc('\n', stderr);
}

static int usage(void)
{
	fputs("usage: bgpprobe --local-as N --router-id A.B.C.D (--connect ADDR[:PORT] | --listen ADDR[:PORT])\n"
	      "                [--peer-as N] [--hold 90] [--announce-v4 COUNT] [--announce-v6 COUNT]\n"
	      "                [--as-path \"65010 4200000001\"] [--communities \"65000:1 65000:2\"]\n"
	      "                [--large \"65000:1:2\"] [--med N] [--next-hop A.B.C.D] [--next-hop6 X::Y]\n"
	      "                [--record FILE] [--record-sent FILE] [--duration SECONDS]\n"
	      "                [--graceful-restart]\n"
	      "  IPv6 addresses with a port are written [X::Y]:PORT; the port defaults to 179.\n"
	      "  Announces 100.64.0.0/24 upward (v4) and 2001:db8:N::/48 (v6).\n",
	      stderr);
	return 2;
}

static bool parse_u32(const char *s, uint32_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 10);
	if (errno || end == s || *end || x > UINT32_MAX || s[0] == '-')
		return false;
	*v = (uint32_t)x;
	return true;
}

static bool parse_endpoint(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *port = NULL;
	size_t hl;
	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close)
			return false;
		hl = (size_t)(close - s - 1);
		if (hl >= sizeof(host))
			return false;
		memcpy(host, s + 1, hl);
		host[hl] = '\0';
		if (close[1] == ':')
			port = close + 2;
		else if (close[1])
			return false;
	} else {
		const char *colon = strchr(s, ':');
		/* More than one colon: a bare IPv6 address without a port. */
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;
		hl = colon ? (size_t)(colon - s) : strlen(s);
		if (hl >= sizeof(host))
			return false;
		memcpy(host, s, hl);
		host[hl] = '\0';
		if (colon)
			port = colon + 1;
	}
	uint32_t p = 179;
	if (port && (!parse_u32(port, &p) || p == 0 || p > 65535))
		return false;
	memset(ss, 0, sizeof(*ss));
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)p);
		*len = sizeof(*s4);
		return true;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)p);
		*len = sizeof(*s6);
		return true;
	}
	return false;
}

/* Splits s on white space and commas into a fixed array of tokens. */
static unsigned split_words(char *s, char **words, unsigned max)
{
	unsigned n = 0;
	for (char *t = strtok(s, " \t,"); t; t = strtok(NULL, " \t,")) {
		if (n == max)
			return max + 1;
		words[n++] = t;
	}
	return n;
}

static bool parse_aspath(const char *arg, struct probe_cfg *c)
{
	char buf[1024], *w[PROBE_MAX_ASPATH];
	if (strlen(arg) >= sizeof(buf))
		return false;
	strcpy(buf, arg);
	unsigned n = split_words(buf, w, PROBE_MAX_ASPATH - 1);
	if (n > PROBE_MAX_ASPATH - 1)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (!parse_u32(w[i], &c->aspath[i]))
			return false;
	c->n_aspath = n;
	return true;
}

/* Parses "A:B" or "A:B:C" numbers into out, each part at most maxv. */
static bool parse_colon_nums(char *s, uint32_t *out, unsigned parts, uint32_t maxv)
{
	for (unsigned i = 0; i < parts; i++) {
		char *colon = strchr(s, ':');
		if ((i + 1 < parts) != (colon != NULL))
			return false;
		if (colon)
			*colon = '\0';
		if (!parse_u32(s, &out[i]) || out[i] > maxv)
			return false;
		s = colon ? colon + 1 : s;
	}
	return true;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static bool parse_communities(const char *arg, struct probe_cfg *c)
{
	char buf[2048], *w[PROBE_MAX_COMMUNITIES];
	if (strlen(arg) >= sizeof(buf))
		return false;
	strcpy(buf, arg);
	unsigned n = split_words(buf, w, PROBE_MAX_COMMUNITIES);
	if (n > PROBE_MAX_COMMUNITIES)
		return false;
	for (unsigned i = 0; i < n; i++) {
		uint32_t v[2];
		if (!parse_colon_nums(w[i], v, 2, 0xffff))
			return false;
		put_be32(c->communities + 4 * i, v[0] << 16 | v[1]);
	}
	c->n_communities = n;
	return true;
}

static bool parse_large(const char *arg, struct probe_cfg *c)
{
	char buf[2048], *w[PROBE_MAX_LARGE];
	if (strlen(arg) >= sizeof(buf))
		return false;
	strcpy(buf, arg);
	unsigned n = split_words(buf, w, PROBE_MAX_LARGE);
	if (n > PROBE_MAX_LARGE)
		return false;
	for (unsigned i = 0; i < n; i++) {
		uint32_t v[3];
		if (!parse_colon_nums(w[i], v, 3, UINT32_MAX))
			return false;
		for (unsigned j = 0; j < 3; j++)
			put_be32(c->large + 12 * i + 4 * j, v[j]);
	}
	c->n_large = n;
	return true;
}

static int parse_args(int argc, char **argv, struct probe_cfg *c)
{
	bool have_as = false, have_id = false, have_ep = false;
	c->hold = 90;
	c->duration = 60;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0)
			return usage();
		if (strcmp(o, "--graceful-restart") == 0) {
			c->gr = true;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "bgpprobe: option '%s' needs a value or is unknown\n", o);
			return usage();
		}
		const char *v = argv[++i];
		uint32_t x;
		struct in_addr ia;
		bool ok = true;
		if (strcmp(o, "--local-as") == 0) {
			ok = parse_u32(v, &c->local_as) && c->local_as != 0;
			have_as = true;
		} else if (strcmp(o, "--peer-as") == 0) {
			ok = parse_u32(v, &c->peer_as);
		} else if (strcmp(o, "--router-id") == 0) {
			ok = inet_pton(AF_INET, v, &ia) == 1 && ia.s_addr != 0;
			c->router_id = ntohl(ia.s_addr);
			have_id = true;
		} else if (strcmp(o, "--connect") == 0 || strcmp(o, "--listen") == 0) {
			ok = !have_ep && parse_endpoint(v, &c->addr, &c->addr_len);
			c->listen_mode = strcmp(o, "--listen") == 0;
			have_ep = true;
		} else if (strcmp(o, "--hold") == 0) {
			ok = parse_u32(v, &x) && x <= 65535 && (x == 0 || x >= 3);
			c->hold = (uint16_t)x;
		} else if (strcmp(o, "--announce-v4") == 0) {
			/* 100.64.0.0/24 upward stays inside 100.64.0.0/10. */
			ok = parse_u32(v, &x) && x <= 16384;
			c->announce_v4 = x;
		} else if (strcmp(o, "--announce-v6") == 0) {
			ok = parse_u32(v, &x) && x <= 65536;
			c->announce_v6 = x;
		} else if (strcmp(o, "--as-path") == 0) {
			ok = parse_aspath(v, c);
		} else if (strcmp(o, "--communities") == 0) {
			ok = parse_communities(v, c);
		} else if (strcmp(o, "--large") == 0) {
			ok = parse_large(v, c);
		} else if (strcmp(o, "--med") == 0) {
			ok = parse_u32(v, &c->med);
			c->have_med = true;
		} else if (strcmp(o, "--next-hop") == 0) {
			ok = ipaddr_parse(v, &c->nh4) && c->nh4.family == AF_INET;
			c->have_nh4 = true;
		} else if (strcmp(o, "--next-hop6") == 0) {
			ok = ipaddr_parse(v, &c->nh6) && c->nh6.family == AF_INET6;
			c->have_nh6 = true;
		} else if (strcmp(o, "--record") == 0) {
			c->record = v;
		} else if (strcmp(o, "--record-sent") == 0) {
			c->record_sent = v;
		} else if (strcmp(o, "--duration") == 0) {
			ok = parse_u32(v, &x) && x > 0;
			c->duration = x;
		} else {
			fprintf(stderr, "bgpprobe: unknown option '%s'\n", o);
			return usage();
		}
		if (!ok) {
			fprintf(stderr, "bgpprobe: bad value for %s: '%s'\n", o, v);
			return usage();
		}
	}
	if (!have_as || !have_id || !have_ep) {
		fputs("bgpprobe: --local-as, --router-id and --connect or --listen are required\n", stderr);
		return usage();
	}
	if (c->announce_v6 && !c->have_nh6 && c->addr.ss_family != AF_INET6) {
		fputs("bgpprobe: --announce-v6 over an IPv4 session needs --next-hop6\n", stderr);
		return usage();
	}
	return 0;
}

/* Output queue */

static bool outq_reserve(struct outq *q, size_t n)
{
	if (q->cap - q->len >= n)
		return true;
	if (q->sent) { /* drop what is already on the wire */
		memmove(q->p, q->p + q->sent, q->len - q->sent);
		q->len -= q->sent;
		q->sent = 0;
		if (q->cap - q->len >= n)
			return true;
	}
	size_t cap = q->cap ? q->cap : 65536;
	while (cap - q->len < n)
		cap *= 2;
	uint8_t *p = realloc(q->p, cap);
	if (!p)
		return false;
	q->p = p;
	q->cap = cap;
	return true;
}

/* A writer over the free tail of the queue, at least room octets. */
static bool outq_writer(struct outq *q, size_t room, struct wbuf *w)
{
	if (!outq_reserve(q, room))
		return false;
	*w = wbuf_make(q->p + q->len, q->cap - q->len);
	return true;
}

static void outq_commit(struct probe *p, const struct wbuf *w)
{
	if (p->rec_sent_fd >= 0 && w->len) {
		ssize_t r = write(p->rec_sent_fd, p->out.p + p->out.len, w->len);
		(void)r;
	}
	p->out.len += w->len;
}

/* Writes as much of the queue as the socket takes. False on a socket error. */
static bool outq_flush(struct probe *p)
{
	struct outq *q = &p->out;
	while (q->sent < q->len) {
		ssize_t n = send(p->fd, q->p + q->sent, q->len - q->sent, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return true;
			logf_("send: %s", strerror(errno));
			return false;
		}
		q->sent += (size_t)n;
		p->last_sent = now_s();
	}
	q->len = q->sent = 0;
	return true;
}

/* Message builders */

static bool queue_open(struct probe *p)
{
	struct bgp_open *o = calloc(1, sizeof(*o));
	struct wbuf w;
	bool ok = o && outq_writer(&p->out, BGP_MAX_MSG, &w);
	if (ok) {
		o->version = BGP_VERSION;
		o->my_as = p->cfg.local_as > UINT16_MAX ? BGP_AS_TRANS : (uint16_t)p->cfg.local_as;
		o->hold_time = p->cfg.hold;
		o->bgp_id = p->cfg.router_id;
		o->caps.have = BGP_CAPB_MP | BGP_CAPB_ROUTE_REFRESH | BGP_CAPB_AS4;
		o->caps.n_mp = 2;
		o->caps.mp[0] = (struct bgp_afi_safi){ .afi = BGP_AFI_IPV4, .safi = BGP_SAFI_UNICAST };
		o->caps.mp[1] = (struct bgp_afi_safi){ .afi = BGP_AFI_IPV6, .safi = BGP_SAFI_UNICAST };
		o->caps.as4 = p->cfg.local_as;
		if (p->cfg.gr) {
			/* Receiving speaker only (RFC 4724 3): no families, no R bit.
			 * Some daemons send End-of-RIB only to such peers. */
			o->caps.have |= BGP_CAPB_GR;
			o->caps.gr_time = 120;
		}
		ok = bgp_open_encode(&w, o);
	}
	if (ok)
		outq_commit(p, &w);
	free(o);
	return ok;
}

static bool queue_keepalive(struct probe *p)
{
	struct wbuf w;
	if (!outq_writer(&p->out, BGP_HEADER_LEN, &w) || !bgp_keepalive_encode(&w))
		return false;
	outq_commit(p, &w);
	return true;
}

static bool queue_notification(struct probe *p, const struct bgp_notify *n)
{
	struct wbuf w;
	if (!outq_writer(&p->out, BGP_MAX_MSG, &w) || !bgp_notification_encode(&w, n))
		return false;
	outq_commit(p, &w);
	return true;
}

static void gen_prefixes(struct prefix *pfx, unsigned n, uint8_t family)
{
	for (unsigned i = 0; i < n; i++) {
		memset(&pfx[i], 0, sizeof(pfx[i]));
		pfx[i].family = family;
		if (family == AF_INET) {
			uint32_t a = (100u << 24 | 64u << 16) + (i << 8);
			put_be32(pfx[i].a, a);
			pfx[i].len = 24;
		} else {
			/* 2001:db8:N::/48 */
			pfx[i].a[0] = 0x20;
			pfx[i].a[1] = 0x01;
			pfx[i].a[2] = 0x0d;
			pfx[i].a[3] = 0xb8;
			pfx[i].a[4] = (uint8_t)(i >> 8);
			pfx[i].a[5] = (uint8_t)i;
			pfx[i].len = 48;
		}
	}
}

/* The local address of the session socket, for a default next hop. */
static bool local_addr(const struct probe *p, uint8_t family, struct ipaddr *out)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	if (getsockname(p->fd, (struct sockaddr *)&ss, &sl) != 0 || ss.ss_family != family)
		return false;
	memset(out, 0, sizeof(*out));
	out->family = family;
	if (family == AF_INET)
		memcpy(out->a, &((struct sockaddr_in *)&ss)->sin_addr, 4);
	else
		memcpy(out->a, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
	return true;
}

/* Queues the announcements of one family and its End-of-RIB. */
static bool queue_family(struct probe *p, uint8_t family, unsigned count)
{
	const struct probe_cfg *c = &p->cfg;
	uint8_t aspath[2 + 4 * PROBE_MAX_ASPATH];
	struct wbuf pw = wbuf_make(aspath, sizeof(aspath));
	bool prepend = p->peer_as != c->local_as && (c->n_aspath == 0 || c->aspath[0] != c->local_as);
	unsigned n_as = c->n_aspath + (prepend ? 1 : 0);
	struct bgp_attrs a;
	memset(&a, 0, sizeof(a));
	a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH);
	a.origin = BGP_ORIGIN_IGP;
	if (n_as) {
		wbuf_u8(&pw, BGP_AS_SEQUENCE);
		wbuf_u8(&pw, (uint8_t)n_as);
		if (prepend)
			wbuf_u32(&pw, c->local_as);
		for (unsigned i = 0; i < c->n_aspath; i++)
			wbuf_u32(&pw, c->aspath[i]);
	}
	a.aspath = (struct bgp_bytes){ .p = aspath, .len = (uint32_t)pw.len };
	if (family == AF_INET) {
		struct ipaddr nh;
		if (c->have_nh4)
			nh = c->nh4;
		else if (!local_addr(p, AF_INET, &nh)) {
			logf_("no IPv4 next hop: give --next-hop");
			return false;
		}
		a.have |= BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
		a.nexthop = load_be32(nh.a);
	} else {
		struct ipaddr nh;
		if (c->have_nh6)
			nh = c->nh6;
		else if (!local_addr(p, AF_INET6, &nh)) {
			logf_("no IPv6 next hop: give --next-hop6");
			return false;
		}
		a.have |= BGP_ATTR_BIT(BGP_ATTR_MP_REACH_NLRI);
		a.mp_nh_len = 16;
		memcpy(a.mp_nh, nh.a, 16);
	}
	if (c->have_med) {
		a.have |= BGP_ATTR_BIT(BGP_ATTR_MED);
		a.med = c->med;
	}
	if (c->n_communities) {
		a.have |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
		a.communities = (struct bgp_bytes){ .p = c->communities, .len = 4 * c->n_communities };
	}
	if (c->n_large) {
		a.have |= BGP_ATTR_BIT(BGP_ATTR_LARGE_COMMUNITIES);
		a.large_communities = (struct bgp_bytes){ .p = c->large, .len = 12 * c->n_large };
	}

	struct prefix *pfx = count ? calloc(count, sizeof(*pfx)) : NULL;
	if (count && !pfx)
		return false;
	gen_prefixes(pfx, count, family);
	unsigned done = 0, msgs = 0;
	bool ok = true;
	while (done < count) {
		struct wbuf w;
		if (!outq_writer(&p->out, BGP_MAX_MSG, &w)) {
			ok = false;
			break;
		}
		size_t took = bgp_update_encode_announce(&w, &p->eopts, &a, pfx + done, count - done);
		if (took == 0) {
			logf_("bgp_update_encode_announce took no prefix");
			ok = false;
			break;
		}
		outq_commit(p, &w);
		done += (unsigned)took;
		msgs++;
	}
	free(pfx);
	if (!ok)
		return false;
	struct wbuf w;
	uint16_t afi = family == AF_INET ? BGP_AFI_IPV4 : BGP_AFI_IPV6;
	if (!outq_writer(&p->out, BGP_MAX_MSG, &w) || !bgp_update_encode_eor(&w, afi, BGP_SAFI_UNICAST))
		return false;
	outq_commit(p, &w);
	p->tx_updates += msgs + 1;
	p->tx_prefixes += done;
	logf_("queued %u %s prefixes in %u UPDATEs and End-of-RIB", done,
	      family == AF_INET ? "IPv4" : "IPv6", msgs);
	return true;
}

static bool queue_routes(struct probe *p)
{
	/* Only the families the peer offered too (RFC 4760 6). */
	if (p->peer_v4 && !queue_family(p, AF_INET, p->cfg.announce_v4))
		return false;
	if (p->peer_v6 && !queue_family(p, AF_INET6, p->cfg.announce_v6))
		return false;
	if (!p->peer_v6 && p->cfg.announce_v6)
		logf_("peer did not offer IPv6 unicast: not announcing IPv6");
	return true;
}

/* Received messages */

static void record(struct probe *p, const uint8_t *b, size_t n)
{
	if (p->rec_fd < 0)
		return;
	while (n) {
		ssize_t w = write(p->rec_fd, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			logf_("record: %s", strerror(errno));
			close(p->rec_fd);
			p->rec_fd = -1;
			return;
		}
		b += w;
		n -= (size_t)w;
	}
}

/* Sends a NOTIFICATION for a fault of ours to report and ends the session. */
static int fail_session(struct probe *p, const struct bgp_notify *n)
{
	logf_("sending NOTIFICATION %u/%u (%s / %s)", n->code, n->subcode,
	      bgp_err_code_name(n->code), bgp_err_subcode_name(n->code, n->subcode));
	queue_notification(p, n);
	outq_flush(p);
	return -1;
}

static int handle_open(struct probe *p, const uint8_t *msg, uint16_t len)
{
	struct bgp_open *o = calloc(1, sizeof(*o));
	struct bgp_notify err;
	memset(&err, 0, sizeof(err));
	if (!o)
		return -1;
	int rc = 0;
	if (p->state != ST_OPEN_SENT) {
		bgp_notify_set(&err, BGP_ERR_FSM, 0);
		rc = fail_session(p, &err);
		goto out;
	}
	if (!bgp_open_decode(msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN, o, &err)) {
		log_hex("peer OPEN rejected by bgp_open_decode", msg, len);
		rc = fail_session(p, &err);
		goto out;
	}
	p->peer_as = bgp_open_peer_as(o);
	char id[INET_ADDRSTRLEN];
	struct in_addr ia = { .s_addr = htonl(o->bgp_id) };
	inet_ntop(AF_INET, &ia, id, sizeof(id));
	logf_("peer OPEN: AS %" PRIu32 ", id %s, hold %u, as4 %s, ipv4 %s, ipv6 %s", p->peer_as, id,
	      o->hold_time, (o->caps.have & BGP_CAPB_AS4) ? "yes" : "no",
	      bgp_caps_has_afi(&o->caps, BGP_AFI_IPV4, BGP_SAFI_UNICAST) ? "yes" : "no",
	      bgp_caps_has_afi(&o->caps, BGP_AFI_IPV6, BGP_SAFI_UNICAST) ? "yes" : "no");
	if (p->cfg.peer_as && p->peer_as != p->cfg.peer_as) {
		uint8_t d[2] = { (uint8_t)(o->my_as >> 8), (uint8_t)o->my_as };
		bgp_notify_set_data(&err, BGP_ERR_OPEN, BGP_OPEN_BAD_PEER_AS, d, 2);
		rc = fail_session(p, &err);
		goto out;
	}
	if (o->bgp_id == p->cfg.router_id && p->peer_as == p->cfg.local_as) {
		bgp_notify_set(&err, BGP_ERR_OPEN, BGP_OPEN_BAD_BGP_ID);
		rc = fail_session(p, &err);
		goto out;
	}
	/* A peer without the MP capability speaks IPv4 unicast only. */
	p->peer_v4 = !(o->caps.have & BGP_CAPB_MP) ||
		     bgp_caps_has_afi(&o->caps, BGP_AFI_IPV4, BGP_SAFI_UNICAST);
	p->peer_v6 = bgp_caps_has_afi(&o->caps, BGP_AFI_IPV6, BGP_SAFI_UNICAST);
	p->dopts.as4 = (o->caps.have & BGP_CAPB_AS4) != 0;
	p->dopts.ibgp = p->peer_as == p->cfg.local_as;
	p->dopts.ext_msg = false; /* we do not offer extended messages */
	p->eopts.as4 = p->dopts.as4;
	p->eopts.max_len = BGP_MAX_MSG;
	p->hold = o->hold_time < p->cfg.hold ? o->hold_time : p->cfg.hold;
	p->state = ST_OPEN_CONFIRM;
	if (!queue_keepalive(p))
		rc = -1;
out:
	free(o);
	return rc;
}

static void handle_update(struct probe *p, const uint8_t *msg, uint16_t len)
{
	struct bgp_update *u = p->upd;
	uint8_t action = bgp_update_decode(msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN, &p->dopts,
					   p->scratch, p->scratch_cap, u);
	if (u->eor) {
		p->rx_eor++;
		logf_("End-of-RIB received for afi %u safi %u", u->eor_afi, u->eor_safi);
	}
	p->rx_announced += u->nlri.count + u->mp_reach.count;
	p->rx_withdrawn += u->withdrawn.count + u->mp_unreach.count;
	if (u->n_faults || action != BGP_ACT_NONE) {
		p->rx_faults += u->n_faults;
		logf_("UPDATE decoded with action %s and %u faults:", bgp_action_name(action),
		      u->n_faults);
		for (unsigned i = 0; i < u->n_faults; i++)
			logf_("  fault: attr %u: %s -> %s", u->faults[i].attr, u->faults[i].what,
			      bgp_action_name(u->faults[i].action));
		log_hex("the UPDATE", msg, len);
	}
}

static void handle_notification(struct probe *p, const uint8_t *msg, uint16_t len)
{
	struct bgp_notify n, err;
	(void)p;
	if (!bgp_notification_decode(msg + BGP_HEADER_LEN, len - BGP_HEADER_LEN, &n, &err)) {
		log_hex("malformed NOTIFICATION", msg, len);
		return;
	}
	size_t dl;
	const uint8_t *d = bgp_notify_data(&n, &dl);
	logf_("NOTIFICATION received: %u/%u (%s / %s)", n.code, n.subcode,
	      bgp_err_code_name(n.code), bgp_err_subcode_name(n.code, n.subcode));
	char text[256];
	if (bgp_notification_shutdown_msg(&n, text, sizeof(text)))
		logf_("  shutdown message: \"%s\"", text);
	if (dl)
		log_hex("  data", d, dl);
}

/* Frames and handles the complete messages in the input buffer. Returns -1 to
 * end the session. */
static int process_input(struct probe *p)
{
	size_t pos = 0;
	int rc = 0;
	while (rc == 0 && p->in_len - pos >= BGP_HEADER_LEN) {
		const uint8_t *m = p->in + pos;
		uint8_t type;
		uint16_t len;
		struct bgp_notify err;
		memset(&err, 0, sizeof(err));
		if (!bgp_header_decode(m, p->in_len - pos, BGP_MAX_MSG, &type, &len, &err)) {
			record(p, m, p->in_len - pos);
			log_hex("bad message header", m, p->in_len - pos < 64 ? p->in_len - pos : 64);
			rc = fail_session(p, &err);
			pos = p->in_len;
			break;
		}
		if (len > p->in_len - pos)
			break; /* wait for the rest */
		/* Whole messages only, so the recording always decodes. */
		record(p, m, len);
		if (type < 6)
			p->rx_msgs[type]++;
		switch (type) {
		case BGP_MSG_OPEN:
			rc = handle_open(p, m, len);
			break;
		case BGP_MSG_KEEPALIVE:
			if (p->state == ST_OPEN_CONFIRM) {
				p->state = ST_ESTABLISHED;
				p->established_once = true;
				logf_("session established (hold %u)", p->hold);
				if (!queue_routes(p))
					rc = -1;
			}
			break;
		case BGP_MSG_UPDATE:
			if (p->state != ST_ESTABLISHED) {
				bgp_notify_set(&err, BGP_ERR_FSM, 0);
				rc = fail_session(p, &err);
				break;
			}
			handle_update(p, m, len);
			break;
		case BGP_MSG_NOTIFICATION:
			handle_notification(p, m, len);
			rc = -1;
			break;
		case BGP_MSG_ROUTE_REFRESH: {
			struct bgp_route_refresh rr;
			if (bgp_route_refresh_decode(m + BGP_HEADER_LEN, len - BGP_HEADER_LEN, &rr,
						     &err) &&
			    rr.subtype == BGP_RR_NORMAL && rr.safi == BGP_SAFI_UNICAST &&
			    p->state == ST_ESTABLISHED) {
				logf_("ROUTE-REFRESH for afi %u: announcing again", rr.afi);
				if (rr.afi == BGP_AFI_IPV4 && p->peer_v4 && !queue_family(p, AF_INET, p->cfg.announce_v4))
					rc = -1;
				if (rr.afi == BGP_AFI_IPV6 && p->peer_v6 &&
				    !queue_family(p, AF_INET6, p->cfg.announce_v6))
					rc = -1;
			}
			break;
		}
		}
		pos += len;
	}
	memmove(p->in, p->in + pos, p->in_len - pos);
	p->in_len -= pos;
	return rc;
}

/* Connection set-up */

static int start_socket(struct probe *p)
{
	const struct probe_cfg *c = &p->cfg;
	int fd = socket(c->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0) {
		logf_("socket: %s", strerror(errno));
		return -1;
	}
	int one = 1;
	if (c->listen_mode) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (const struct sockaddr *)&c->addr, c->addr_len) != 0 || listen(fd, 4) != 0) {
			logf_("listen: %s", strerror(errno));
			close(fd);
			return -1;
		}
		p->lfd = fd;
		return 0;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (const struct sockaddr *)&c->addr, c->addr_len) != 0 &&
	    errno != EINPROGRESS) {
		logf_("connect: %s", strerror(errno));
		close(fd);
		return 0; /* retried later */
	}
	p->fd = fd;
	return 0;
}

static bool session_start(struct probe *p)
{
	p->state = ST_OPEN_SENT;
	p->last_recv = now_s();
	logf_("TCP connected, sending OPEN (AS %" PRIu32 ", hold %u)", p->cfg.local_as,
	      p->cfg.hold);
	return queue_open(p);
}

/* Ends the session with a Cease and leaves the socket closed. */
static void send_cease(struct probe *p)
{
	if (p->fd < 0 || p->state == ST_CONNECT)
		return;
	static const char text[] = "bgpprobe done";
	uint8_t data[1 + sizeof(text) - 1];
	data[0] = (uint8_t)(sizeof(text) - 1);
	memcpy(data + 1, text, sizeof(text) - 1);
	struct bgp_notify n;
	memset(&n, 0, sizeof(n));
	n.code = BGP_ERR_CEASE;
	n.subcode = BGP_CEASE_ADMIN_SHUTDOWN;
	n.data = data;
	n.data_len = sizeof(data);
	queue_notification(p, &n);
	/* Give the socket up to two seconds to take the rest of the queue. */
	double until = now_s() + 2;
	while (p->out.sent < p->out.len && now_s() < until) {
		if (!outq_flush(p))
			break;
		struct pollfd pf = { .fd = p->fd, .events = POLLOUT };
		poll(&pf, 1, 100);
	}
	logf_("sent Cease NOTIFICATION");
	shutdown(p->fd, SHUT_WR);
	/* Drain briefly so the peer sees an orderly close. */
	until = now_s() + 1;
	while (now_s() < until) {
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };
		if (poll(&pf, 1, 100) <= 0)
			continue;
		uint8_t junk[4096];
		ssize_t n2 = recv(p->fd, junk, sizeof(junk), 0);
		if (n2 <= 0)
			break;
	}
}

static int run(struct probe *p)
{
	double start = now_s();
	p->deadline = start + p->cfg.duration;
	if (start_socket(p) < 0)
		return 1;
	bool connecting = p->fd >= 0;
	if (!p->cfg.listen_mode && p->fd < 0)
		p->next_connect = now_s() + 1;
	for (;;) {
		double t = now_s();
		if (g_stop || t >= p->deadline) {
			logf_(g_stop ? "stopping on signal" : "duration over");
			send_cease(p);
			return p->established_once ? 0 : 1;
		}
		/* Timers: keepalive, hold, reconnect. */
		if (p->fd >= 0 && p->state >= ST_OPEN_CONFIRM && p->hold &&
		    t - p->last_sent >= p->hold / 3.0 && p->out.len == p->out.sent) {
			queue_keepalive(p);
		}
		if (p->fd >= 0 && p->state >= ST_OPEN_SENT) {
			/* RFC 4271 suggests a large hold time before the OPEN arrives. */
			double hold = p->state == ST_OPEN_SENT ? 240 : p->hold;
			if (hold && t - p->last_recv > hold) {
				struct bgp_notify n;
				memset(&n, 0, sizeof(n));
				bgp_notify_set(&n, BGP_ERR_HOLD_TIMER, 0);
				fail_session(p, &n);
				return 1;
			}
		}
		if (!p->cfg.listen_mode && p->fd < 0 && t >= p->next_connect) {
			if (start_socket(p) < 0)
				return 1;
			connecting = p->fd >= 0;
			if (p->fd < 0)
				p->next_connect = t + 1;
		}

		struct pollfd pf[2];
		nfds_t npf = 0;
		if (p->fd >= 0) {
			pf[npf].fd = p->fd;
			pf[npf].events = POLLIN;
			if (connecting || p->out.sent < p->out.len)
				pf[npf].events |= POLLOUT;
			npf++;
		} else if (p->lfd >= 0) {
			pf[npf].fd = p->lfd;
			pf[npf].events = POLLIN;
			npf++;
		}
		int timeout = 200; /* timers are checked at this granularity */
		int r = poll(pf, npf, timeout);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			logf_("poll: %s", strerror(errno));
			return 1;
		}
		if (r == 0)
			continue;
		if (p->fd < 0 && p->lfd >= 0) {
			if (pf[0].revents & POLLIN) {
				int fd = accept4(p->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (fd >= 0) {
					int one = 1;
					setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
					p->fd = fd;
					close(p->lfd);
					p->lfd = -1;
					if (!session_start(p))
						return 1;
				}
			}
			continue;
		}
		short rev = pf[0].revents;
		if (connecting) {
			if (!(rev & (POLLOUT | POLLERR | POLLHUP)))
				continue;
			int err = 0;
			socklen_t el = sizeof(err);
			getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &el);
			if (err) {
				logf_("connect: %s (retrying)", strerror(err));
				close(p->fd);
				p->fd = -1;
				p->next_connect = now_s() + 1;
				connecting = false;
				continue;
			}
			connecting = false;
			if (!session_start(p))
				return 1;
			continue;
		}
		if (rev & POLLOUT) {
			if (!outq_flush(p))
				return 1;
		}
		if (rev & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = recv(p->fd, p->in + p->in_len, sizeof(p->in) - p->in_len, 0);
			if (n < 0) {
				if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)
					continue;
				logf_("recv: %s", strerror(errno));
				return 1;
			}
			if (n == 0) {
				logf_("peer closed the connection");
				return 1;
			}
			p->in_len += (size_t)n;
			p->last_recv = now_s();
			if (process_input(p) < 0)
				return 1;
			if (!outq_flush(p))
				return 1;
		}
	}
}

int main(int argc, char **argv)
{
	struct probe *p = calloc(1, sizeof(*p));
	if (!p)
		return 1;
	int rc = parse_args(argc, argv, &p->cfg);
	if (rc) {
		free(p);
		return rc;
	}
	p->fd = p->lfd = p->rec_fd = p->rec_sent_fd = -1;
	p->scratch_cap = BGP_UPDATE_SCRATCH_SIZE(BGP_MAX_EXT_MSG);
	p->scratch = malloc(p->scratch_cap);
	p->upd = malloc(sizeof(*p->upd));
	if (!p->scratch || !p->upd) {
		rc = 1;
		goto out;
	}
	if (p->cfg.record) {
		p->rec_fd = open(p->cfg.record, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (p->rec_fd < 0) {
			logf_("%s: %s", p->cfg.record, strerror(errno));
			rc = 2;
			goto out;
		}
	}
	if (p->cfg.record_sent) {
		p->rec_sent_fd = open(p->cfg.record_sent, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (p->rec_sent_fd < 0) {
			logf_("%s: %s", p->cfg.record_sent, strerror(errno));
			rc = 2;
			goto out;
		}
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	rc = run(p);
	logf_("summary: received %lu OPEN, %lu UPDATE, %lu NOTIFICATION, %lu KEEPALIVE; "
	      "%lu prefixes announced, %lu withdrawn, %lu End-of-RIB, %lu faults; "
	      "sent %lu UPDATEs with %lu prefixes",
	      p->rx_msgs[BGP_MSG_OPEN], p->rx_msgs[BGP_MSG_UPDATE], p->rx_msgs[BGP_MSG_NOTIFICATION],
	      p->rx_msgs[BGP_MSG_KEEPALIVE], p->rx_announced, p->rx_withdrawn, p->rx_eor,
	      p->rx_faults, p->tx_updates, p->tx_prefixes);
out:
	if (p->fd >= 0)
		close(p->fd);
	if (p->lfd >= 0)
		close(p->lfd);
	if (p->rec_fd >= 0)
		close(p->rec_fd);
	if (p->rec_sent_fd >= 0)
		close(p->rec_sent_fd);
	free(p->out.p);
	free(p->scratch);
	free(p->upd);
	free(p);
	return rc;
}

/* bgpblast.c: the feeder and the sink of the convergence benchmark
 * (bench/bench.sh), built on nvad's own codec.
 *
 *   bgpblast feed ...   generates a table shaped like the real one (dfz.h) from
 *                       a seed, encodes every UPDATE before the session comes
 *                       up, then writes them as fast as the socket takes them,
 *                       then End-of-RIB, then keeps the session up. On SIGUSR1
 *                       it replays the IPv4 UPDATEs of an MRT file (churn),
 *                       also encoded in advance. With --rounds, SIGUSR2
 *                       withdraws the whole table, the next SIGUSR2 announces
 *                       it again, and so on (the memory test of
 *                       tests/system/robust.sh). With --reconnect, a session
 *                       that ends (the peer closed it or sent a NOTIFICATION)
 *                       is opened again and the table sent again, and
 *                       SIGHUP closes the session with a Cease (then it is
 *                       opened again).
 *   bgpblast sink ...   holds a session and counts the prefixes it currently
 *                       holds (announcements add, withdrawals remove).
 *
 * Both print events as JSON lines on standard output, each with a
 * CLOCK_MONOTONIC time stamp "t" in seconds (one clock for every process on
 * the machine, whatever the namespace); diagnostics go to standard error.
 * One socket, poll(), no threads. SIGTERM/SIGINT end the session with a Cease.
 *
 * Feeder events: established, sent (the table and End-of-RIB are in the
 * socket), churn_start, churn_sent, withdraw_start, withdrawn (the
withdrawals and End-of-RIB are in the socket), closed. Sink events: established, eor, target
 * (the sink holds --target prefixes), progress (every second while
 * UPDATEs come), quiet (no UPDATE for --quiet-ms, with what came since the
 * previous quiet: first and last UPDATE times, counts). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
#include <zlib.h>

#include "bgp/msg.h"
#include "bgp/update.h"
#include "dfz.h"
#include "pset.h"

#define RECV_CAP (1u << 20)
#define CHUNK (256u * 1024u)

enum mode { FEED, SINK };
enum state { ST_IDLE, ST_OPEN_SENT, ST_OPEN_CONFIRM, ST_ESTABLISHED };

struct cfg {
	enum mode mode;
	uint32_t local_as;
	uint32_t router_id; /* host order */
	bool listen;
	struct sockaddr_in addr;
	uint16_t hold;
	/* feed */
	size_t n;
	size_t paths; /* 0: n / 4 */
	uint64_t seed;
	const char *stats;
	const char *mrt;
	size_t churn_max; /* UPDATE records of the MRT file at most; 0: all */
	uint32_t nexthop; /* host order */
	bool rounds;    /* SIGUSR2 withdraws the table, the next announces it */
	bool reconnect; /* a session that ends is opened again */
	/* sink */
	size_t target;
	unsigned quiet_ms;
};

/* A growable byte buffer of whole BGP messages. */
struct buf {
	uint8_t *p;
	size_t len, cap;
	size_t msgs;
};

struct blast {
	struct cfg c;
	enum state st;
	int fd, lfd;
	uint8_t *in;
	size_t in_len;
	uint8_t *scratch;
	size_t scratch_cap;
	struct bgp_update *upd;
	/* output: small control messages first, then the streams, each written
	 * in chunks that end on a message boundary */
	struct buf ctl;
	size_t ctl_sent;
	struct buf table, churn, wd;
	size_t table_off, churn_off, wd_off;
	const uint8_t *cur;
	size_t cur_len, cur_sent;
	bool table_on, table_done, churn_on, churn_done, wd_on, wd_done;
	unsigned long sessions, rounds;
	uint16_t hold;
	double last_recv, last_sent;
	/* sink */
	struct ptab set;
	bool target_hit;
	double ph_first, ph_last; /* this phase's first and last UPDATE */
	unsigned long ph_updates, ph_ann, ph_wd;
	unsigned long tot_updates, tot_ann, tot_wd;
	double last_progress;
	size_t progress_held;
	/* churn contents */
	unsigned long churn_ann, churn_wd, churn_records;
};

static volatile sig_atomic_t g_stop, g_churn, g_round, g_flap;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		g_churn = 1;
	else if (sig == SIGUSR2)
		g_round = 1;
	else if (sig == SIGHUP)
		g_flap = 1;
	else
		g_stop = 1;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bgpblast: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void note(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bgpblast: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One event line: {"ev":NAME,"t":T, then the extra fields}. */
static void event(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void event(const char *name, const char *fmt, ...)
{
	printf("{\"ev\":\"%s\",\"t\":%.6f", name, now());
	if (fmt && *fmt) {
		va_list ap;
		va_start(ap, fmt);
		putchar(',');
		vprintf(fmt, ap);
		va_end(ap);
	}
	puts("}");
	fflush(stdout);
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		die("out of memory");
	return p;
}

/* ---- buffers of messages ------------------------------------------------------ */

static struct wbuf buf_writer(struct buf *b, size_t room)
{
	if (b->cap - b->len < room) {
		size_t cap = b->cap ? b->cap : 1u << 20;
		while (cap - b->len < room)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	return wbuf_make(b->p + b->len, b->cap - b->len);
}

static void buf_commit(struct buf *b, const struct wbuf *w)
{
	b->len += w->len;
	b->msgs++;
}

/* The end of a chunk of at most CHUNK bytes from off, on a message boundary. */
static size_t chunk_end(const struct buf *b, size_t off)
{
	size_t end = off;
	while (end < b->len) {
		size_t l = load_be16(b->p + end + 16);
		if (end + l - off > CHUNK && end > off)
			break;
		end += l;
	}
	return end;
}

/* ---- the table -------------------------------------------------------------------------- */

static struct bgp_encode_opts g_eopts = { .as4 = true, .max_len = BGP_MAX_MSG };

static void encode_announce(struct buf *b, const struct bgp_attrs *a, const struct prefix *p,
			    size_t n)
{
	size_t done = 0;
	while (done < n) {
		struct wbuf w = buf_writer(b, BGP_MAX_MSG);
		size_t took = bgp_update_encode_announce(&w, &g_eopts, a, p + done, n - done);
		if (!took)
			die("an UPDATE takes no prefix (attributes too long?)");
		buf_commit(b, &w);
		done += took;
	}
}

static void encode_withdraw(struct buf *b, const struct prefix *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		struct wbuf w = buf_writer(b, BGP_MAX_MSG);
		size_t took = bgp_update_encode_withdraw(&w, &g_eopts, p + done, n - done);
		if (!took)
			die("a withdrawal takes no prefix");
		buf_commit(b, &w);
		done += took;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* N prefixes over P attribute sets, each prefix given a set at random; the
 * UPDATEs are grouped by set (as a speaker packs them), prefixes in address
 * order within a set. */
static void build_table(struct blast *b)
{
	const struct cfg *c = &b->c;
	struct dfz_shape shape;
	if (!dfz_load_shape(c->stats, &shape))
		exit(1);
	dfz_seed(c->seed);
	size_t paths = c->paths ? c->paths : (c->n / 4 ? c->n / 4 : 1);
	uint64_t *keys = dfz_make_prefixes(c->n, &shape, true);
	struct dfz_attr_opts ao = { .first_as = c->local_as, .nexthop = c->nexthop,
				    .origin_base = 200000 };
	uint8_t *arena;
	struct bgp_attrs *sets = dfz_make_attrs(paths, &shape, &ao, &arena);
	/* (set << 32 | index) sorted: prefixes grouped by set, in address order. */
	uint64_t *order = calloc(c->n ? c->n : 1, sizeof(*order));
	struct prefix *pfx = calloc(c->n ? c->n : 1, sizeof(*pfx));
	if (!order || !pfx)
		die("out of memory");
	for (size_t i = 0; i < c->n; i++) {
		/* Every set is used at least once when paths <= n. */
		uint64_t set = i < paths ? i : dfz_rng() % paths;
		order[i] = set << 32 | i;
	}
	qsort(order, c->n, sizeof(*order), cmp_u64);
	if (c->rounds) {
		/* The whole table withdrawn, in address order, then End-of-RIB. */
		for (size_t k = 0; k < c->n; k++)
			pfx[k] = dfz_key_prefix(keys[k]);
		encode_withdraw(&b->wd, pfx, c->n);
		struct wbuf we = buf_writer(&b->wd, BGP_MAX_MSG);
		if (!bgp_update_encode_eor(&we, BGP_AFI_IPV4, BGP_SAFI_UNICAST))
			die("End-of-RIB");
		buf_commit(&b->wd, &we);
	}
	size_t i = 0;
	while (i < c->n) {
		size_t set = (size_t)(order[i] >> 32), j = i;
		for (; j < c->n && (order[j] >> 32) == set; j++)
			pfx[j - i] = dfz_key_prefix(keys[order[j] & 0xffffffffu]);
		encode_announce(&b->table, &sets[set], pfx, j - i);
		i = j;
	}
	struct wbuf w = buf_writer(&b->table, BGP_MAX_MSG);
	if (!bgp_update_encode_eor(&w, BGP_AFI_IPV4, BGP_SAFI_UNICAST))
		die("End-of-RIB");
	buf_commit(&b->table, &w);
	note("table: %zu prefixes, %zu paths, %zu UPDATEs, %.1f MB", c->n, paths, b->table.msgs,
	     (double)b->table.len / 1e6);
	free(order);
	free(pfx);
	free(sets);
	free(arena);
	free(keys);
}

/* ---- the churn: IPv4 UPDATEs of an MRT file ------------------------------------------ */

/* The path with our AS first: into the first AS_SEQUENCE when it has room,
 * else as a segment of its own. */
static uint32_t prepend_as(struct bgp_bytes path, uint32_t as, uint8_t *out, size_t cap)
{
	struct wbuf w = wbuf_make(out, cap);
	if (path.len >= 2 && path.p[0] == BGP_AS_SEQUENCE && path.p[1] < 255) {
		wbuf_u8(&w, BGP_AS_SEQUENCE);
		wbuf_u8(&w, (uint8_t)(path.p[1] + 1));
		wbuf_u32(&w, as);
		wbuf_bytes(&w, path.p + 2, path.len - 2);
	} else {
		wbuf_u8(&w, BGP_AS_SEQUENCE);
		wbuf_u8(&w, 1);
		wbuf_u32(&w, as);
		wbuf_bytes(&w, path.p, path.len);
	}
	return w.failed ? 0 : (uint32_t)w.len;
}

static bool gz_read(gzFile f, void *p, size_t n)
{
	return n == 0 || gzread(f, p, (unsigned)n) == (int)n;
}

static void build_churn(struct blast *b)
{
	gzFile f = gzopen(b->c.mrt, "rb");
	if (!f)
		die("%s: cannot open", b->c.mrt);
	gzbuffer(f, 1u << 20);
	uint8_t hdr[12];
	uint8_t *rec = malloc(1u << 20);
	struct prefix *pfx = malloc(4096 * sizeof(*pfx));
	uint8_t *path = malloc(4 * BGP_MAX_EXT_MSG);
	if (!rec || !pfx || !path)
		die("out of memory");
	struct bgp_decode_opts dopts = { .as4 = true };
	unsigned long records = 0, skipped = 0;
	while (gz_read(f, hdr, sizeof(hdr))) {
		uint16_t type = load_be16(hdr + 4), sub = load_be16(hdr + 6);
		uint32_t len = load_be32(hdr + 8);
		if (len > (1u << 20) || !gz_read(f, rec, len))
			break;
		if (type != 16 && type != 17)
			continue;
		if (sub != 1 && sub != 4 && sub != 6 && sub != 7)
			continue;
		struct cursor cur = cursor_make(rec, len);
		if (type == 17)
			cursor_skip(&cur, 4); /* microseconds */
		bool as4 = sub == 4 || sub == 7;
		uint16_t afi;
		cursor_skip(&cur, as4 ? 8 : 4);
		cursor_skip(&cur, 2); /* interface index */
		if (!cursor_u16(&cur, &afi) || (afi != 1 && afi != 2))
			continue;
		cursor_skip(&cur, afi == 1 ? 8 : 32);
		size_t left = cursor_left(&cur);
		const uint8_t *m = cursor_ptr(&cur);
		if (left < BGP_HEADER_LEN || m[18] != BGP_MSG_UPDATE)
			continue;
		uint16_t mlen = load_be16(m + 16);
		if (mlen > left || mlen < BGP_HEADER_LEN + 4)
			continue;
		dopts.as4 = as4;
		struct bgp_update *u = b->upd;
		uint8_t act = bgp_update_decode(m + BGP_HEADER_LEN, mlen - BGP_HEADER_LEN, &dopts,
						b->scratch, b->scratch_cap, u);
		if (act >= BGP_ACT_TREAT_AS_WITHDRAW) {
			skipped++;
			continue;
		}
		size_t n = 0;
		struct bgp_nlri_iter it = bgp_nlri_iter(&u->withdrawn);
		while (n < 4096 && bgp_nlri_next(&it, &pfx[n]))
			n++;
		if (n) {
			encode_withdraw(&b->churn, pfx, n);
			b->churn_wd += n;
		}
		n = 0;
		it = bgp_nlri_iter(&u->nlri);
		while (n < 4096 && bgp_nlri_next(&it, &pfx[n]))
			n++;
		if (n && bgp_attrs_has(&u->attrs, BGP_ATTR_AS_PATH)) {
			/* Only what any eBGP peer takes: origin, our AS first, our next
			 * hop, communities. */
			struct bgp_attrs a;
			memset(&a, 0, sizeof(a));
			a.have = BGP_ATTR_BIT(BGP_ATTR_ORIGIN) | BGP_ATTR_BIT(BGP_ATTR_AS_PATH) |
				 BGP_ATTR_BIT(BGP_ATTR_NEXT_HOP);
			a.origin = u->attrs.origin;
			uint32_t pl = prepend_as(u->attrs.aspath, b->c.local_as, path, 4 * BGP_MAX_EXT_MSG);
			if (!pl) {
				skipped++;
				continue;
			}
			a.aspath = (struct bgp_bytes){ path, pl };
			a.nexthop = b->c.nexthop;
			if (bgp_attrs_has(&u->attrs, BGP_ATTR_COMMUNITIES)) {
				a.have |= BGP_ATTR_BIT(BGP_ATTR_COMMUNITIES);
				a.communities = u->attrs.communities;
			}
			if (bgp_attrs_has(&u->attrs, BGP_ATTR_LARGE_COMMUNITIES)) {
				a.have |= BGP_ATTR_BIT(BGP_ATTR_LARGE_COMMUNITIES);
				a.large_communities = u->attrs.large_communities;
			}
			encode_announce(&b->churn, &a, pfx, n);
			b->churn_ann += n;
		}
		records++;
		if (b->c.churn_max && records >= b->c.churn_max)
			break;
	}
	gzclose(f);
	free(rec);
	free(pfx);
	free(path);
	b->churn_records = records;
	note("churn: %lu MRT UPDATEs (%lu skipped): %lu announcements, %lu withdrawals in %zu "
	     "UPDATEs, %.1f MB",
	     records, skipped, b->churn_ann, b->churn_wd, b->churn.msgs, (double)b->churn.len / 1e6);
}

/* ---- the session ------------------------------------------------------------------------- */

static void queue_ctl_open(struct blast *b)
{
	struct bgp_open *o = calloc(1, sizeof(*o));
	if (!o)
		die("out of memory");
	o->version = BGP_VERSION;
	o->my_as = b->c.local_as > UINT16_MAX ? BGP_AS_TRANS : (uint16_t)b->c.local_as;
	o->hold_time = b->c.hold;
	o->bgp_id = b->c.router_id;
	o->caps.have = BGP_CAPB_MP | BGP_CAPB_ROUTE_REFRESH | BGP_CAPB_AS4;
	o->caps.n_mp = 1;
	o->caps.mp[0] = (struct bgp_afi_safi){ .afi = BGP_AFI_IPV4, .safi = BGP_SAFI_UNICAST };
	o->caps.as4 = b->c.local_as;
	struct wbuf w = buf_writer(&b->ctl, BGP_MAX_MSG);
	if (!bgp_open_encode(&w, o))
		die("OPEN");
	buf_commit(&b->ctl, &w);
	free(o);
}

static void queue_ctl_keepalive(struct blast *b)
{
	struct wbuf w = buf_writer(&b->ctl, BGP_HEADER_LEN);
	bgp_keepalive_encode(&w);
	buf_commit(&b->ctl, &w);
}

static void queue_ctl_notify(struct blast *b, uint8_t code, uint8_t sub)
{
	struct bgp_notify n;
	memset(&n, 0, sizeof(n));
	bgp_notify_set(&n, code, sub);
	struct wbuf w = buf_writer(&b->ctl, BGP_MAX_MSG);
	bgp_notification_encode(&w, &n);
	buf_commit(&b->ctl, &w);
}

/* The next chunk of stream s from *off as the current piece; false when the
 * stream is all out. */
static bool take_chunk(struct blast *b, const struct buf *s, size_t *off)
{
	if (*off == s->len)
		return false;
	size_t end = chunk_end(s, *off);
	b->cur = s->p + *off;
	b->cur_len = end - *off;
	*off = end;
	return true;
}

/* Picks the next piece to write when the current one is out. */
static bool next_piece(struct blast *b)
{
	if (b->cur_sent < b->cur_len)
		return true;
	if (b->cur == b->ctl.p && b->cur_len) {
		b->ctl_sent += b->cur_len;
		if (b->ctl_sent == b->ctl.len)
			b->ctl.len = b->ctl_sent = 0;
	}
	b->cur = NULL;
	b->cur_len = b->cur_sent = 0;
	if (b->ctl.len > b->ctl_sent) {
		/* ctl only grows at its end and is reset when all of it is out */
		b->cur = b->ctl.p;
		memmove(b->ctl.p, b->ctl.p + b->ctl_sent, b->ctl.len - b->ctl_sent);
		b->ctl.len -= b->ctl_sent;
		b->ctl_sent = 0;
		b->cur_len = b->ctl.len;
		return true;
	}
	if (b->table_on && !b->table_done) {
		if (take_chunk(b, &b->table, &b->table_off))
			return true;
		b->table_done = true;
		event("sent", "\"updates\":%zu,\"bytes\":%zu,\"prefixes\":%zu", b->table.msgs,
		      b->table.len, b->c.n);
	}
	if (b->wd_on && !b->wd_done) {
		if (take_chunk(b, &b->wd, &b->wd_off))
			return true;
		b->wd_done = true;
		event("withdrawn", "\"round\":%lu,\"updates\":%zu,\"bytes\":%zu,\"prefixes\":%zu",
		      b->rounds, b->wd.msgs, b->wd.len, b->c.n);
	}
	if (b->churn_on && !b->churn_done) {
		if (take_chunk(b, &b->churn, &b->churn_off))
			return true;
		b->churn_done = true;
		event("churn_sent", "\"updates\":%zu,\"bytes\":%zu,\"announced\":%lu,\"withdrawn\":%lu",
		      b->churn.msgs, b->churn.len, b->churn_ann, b->churn_wd);
	}
	return false;
}

/* Writes as much as the socket takes; false on an error. */
static bool flush_out(struct blast *b)
{
	while (next_piece(b)) {
		ssize_t n = send(b->fd, b->cur + b->cur_sent, b->cur_len - b->cur_sent, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return true;
			note("send: %s", strerror(errno));
			return false;
		}
		b->cur_sent += (size_t)n;
		b->last_sent = now();
	}
	return true;
}

static bool want_write(const struct blast *b)
{
	return b->cur_sent < b->cur_len || b->ctl.len > b->ctl_sent ||
	       (b->table_on && !b->table_done) || (b->churn_on && !b->churn_done) ||
	       (b->wd_on && !b->wd_done);
}

static void sink_quiet(struct blast *b)
{
	event("quiet",
	      "\"first\":%.6f,\"last\":%.6f,\"updates\":%lu,\"announced\":%lu,\"withdrawn\":%lu,"
	      "\"held\":%zu",
	      b->ph_first, b->ph_last, b->ph_updates, b->ph_ann, b->ph_wd, b->set.n);
	b->ph_updates = b->ph_ann = b->ph_wd = 0;
}

static void sink_update(struct blast *b, const uint8_t *m, uint16_t len)
{
	static const struct bgp_decode_opts dopts = { .as4 = true };
	struct bgp_update *u = b->upd;
	uint8_t act = bgp_update_decode(m + BGP_HEADER_LEN, len - BGP_HEADER_LEN, &dopts, b->scratch,
					b->scratch_cap, u);
	double t = now();
	if (!b->ph_updates)
		b->ph_first = t;
	b->ph_last = t;
	b->ph_updates++;
	b->tot_updates++;
	if (u->eor) {
		event("eor", "\"held\":%zu", b->set.n);
		return;
	}
	struct prefix p;
	struct bgp_nlri_iter it = bgp_nlri_iter(&u->withdrawn);
	while (bgp_nlri_next(&it, &p)) {
		ptab_del(&b->set, &p);
		b->ph_wd++;
	}
	it = bgp_nlri_iter(&u->nlri);
	bool withdraw = act >= BGP_ACT_TREAT_AS_WITHDRAW;
	while (bgp_nlri_next(&it, &p)) {
		if (withdraw) {
			ptab_del(&b->set, &p);
			b->ph_wd++;
		} else {
			ptab_add(&b->set, &p);
			b->ph_ann++;
		}
	}
	if (!b->target_hit && b->c.target && b->set.n >= b->c.target) {
		b->target_hit = true;
		event("target", "\"held\":%zu,\"updates\":%lu", b->set.n, b->tot_updates);
	}
}

static int handle_open(struct blast *b, const uint8_t *m, uint16_t len)
{
	struct bgp_open *o = calloc(1, sizeof(*o));
	struct bgp_notify err;
	if (!o)
		die("out of memory");
	if (b->st != ST_OPEN_SENT || !bgp_open_decode(m + BGP_HEADER_LEN, len - BGP_HEADER_LEN, o, &err)) {
		note("unexpected or bad OPEN");
		queue_ctl_notify(b, BGP_ERR_OPEN, 0);
		free(o);
		return -1;
	}
	if (!(o->caps.have & BGP_CAPB_AS4)) {
		note("the peer does not do 4-octet AS numbers");
		free(o);
		return -1;
	}
	b->hold = o->hold_time < b->c.hold ? o->hold_time : b->c.hold;
	note("peer OPEN: AS %" PRIu32 ", hold %u", bgp_open_peer_as(o), b->hold);
	free(o);
	b->st = ST_OPEN_CONFIRM;
	queue_ctl_keepalive(b);
	return 0;
}

static int process_input(struct blast *b)
{
	size_t pos = 0;
	int rc = 0;
	while (rc == 0 && b->in_len - pos >= BGP_HEADER_LEN) {
		const uint8_t *m = b->in + pos;
		uint8_t type;
		uint16_t len;
		struct bgp_notify err;
		if (!bgp_header_decode(m, b->in_len - pos, BGP_MAX_MSG, &type, &len, &err)) {
			note("bad message header");
			return -1;
		}
		if (len > b->in_len - pos)
			break;
		switch (type) {
		case BGP_MSG_OPEN:
			rc = handle_open(b, m, len);
			break;
		case BGP_MSG_KEEPALIVE:
			if (b->st == ST_OPEN_CONFIRM) {
				b->st = ST_ESTABLISHED;
				b->sessions++;
				event("established", "\"hold\":%u,\"session\":%lu", b->hold, b->sessions);
				if (b->c.mode == FEED)
					b->table_on = true;
			}
			break;
		case BGP_MSG_UPDATE:
			if (b->c.mode == SINK && b->st == ST_ESTABLISHED)
				sink_update(b, m, len);
			break;
		case BGP_MSG_NOTIFICATION: {
			struct bgp_notify n;
			if (bgp_notification_decode(m + BGP_HEADER_LEN, len - BGP_HEADER_LEN, &n, &err))
				note("NOTIFICATION received: %u/%u (%s / %s)", n.code, n.subcode,
				     bgp_err_code_name(n.code), bgp_err_subcode_name(n.code, n.subcode));
			event("notification", NULL);
			rc = -1;
			break;
		}
		default:
			break;
		}
		pos += len;
	}
	memmove(b->in, b->in + pos, b->in_len - pos);
	b->in_len -= pos;
	return rc;
}

static void send_cease(struct blast *b)
{
	if (b->fd < 0 || b->st == ST_IDLE)
		return;
	/* Drop what is queued beyond the current piece; then the Cease. */
	b->table_on = b->churn_on = b->wd_on = false;
	queue_ctl_notify(b, BGP_ERR_CEASE, BGP_CEASE_ADMIN_SHUTDOWN);
	double until = now() + 2;
	while (want_write(b) && now() < until) {
		if (!flush_out(b))
			break;
		struct pollfd pf = { .fd = b->fd, .events = POLLOUT };
		poll(&pf, 1, 100);
	}
	shutdown(b->fd, SHUT_WR);
}

static int run(struct blast *b)
{
	int one = 1;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		die("socket: %s", strerror(errno));
	if (b->c.listen) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if (bind(fd, (struct sockaddr *)&b->c.addr, sizeof(b->c.addr)) || listen(fd, 4))
			die("listen: %s", strerror(errno));
		b->lfd = fd;
		while (b->fd < 0 && !g_stop) {
			struct pollfd pf = { .fd = fd, .events = POLLIN };
			if (poll(&pf, 1, 200) > 0)
				b->fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		}
		close(fd);
		if (g_stop)
			return 1;
	} else {
		double until = now() + 60;
		while (connect(fd, (struct sockaddr *)&b->c.addr, sizeof(b->c.addr)) != 0) {
			if (g_stop || now() > until)
				die("connect: %s", strerror(errno));
			close(fd);
			usleep(200000);
			fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, IPPROTO_TCP);
		}
		b->fd = fd;
	}
	setsockopt(b->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (fcntl(b->fd, F_SETFL, fcntl(b->fd, F_GETFL) | O_NONBLOCK) != 0)
		die("fcntl: %s", strerror(errno));
	b->st = ST_OPEN_SENT;
	b->last_recv = b->last_sent = now();
	queue_ctl_open(b);
	for (;;) {
		double t = now();
		if (g_stop) {
			send_cease(b);
			return 0;
		}
		if (g_flap && b->c.reconnect) {
			/* Our side of a flap: a Cease, then run() again. */
			g_flap = 0;
			send_cease(b);
			event("closed", "\"by\":\"us\"");
			return 1;
		}
		if (g_churn && b->c.mode == FEED) {
			g_churn = 0;
			if (b->st == ST_ESTABLISHED && !b->churn_on) {
				b->churn_on = true;
				event("churn_start", "\"updates\":%zu,\"records\":%lu", b->churn.msgs,
				      b->churn_records);
			}
		}
		if (g_round && b->c.mode == FEED && b->c.rounds && b->st == ST_ESTABLISHED &&
		    b->table_done && (!b->wd_on || b->wd_done)) {
			/* The previous stream is out: withdraw what is announced, or
			 * announce what was withdrawn. */
			g_round = 0;
			if (!b->wd_on) {
				b->rounds++;
				b->wd_on = true;
				b->wd_done = false;
				b->wd_off = 0;
				event("withdraw_start", "\"round\":%lu", b->rounds);
			} else {
				b->wd_on = false;
				b->table_done = false;
				b->table_off = 0;
				event("announce_start", "\"round\":%lu", b->rounds + 1);
			}
		}
		if (b->st == ST_ESTABLISHED && b->hold && t - b->last_sent >= b->hold / 3.0 &&
		    b->ctl.len == b->ctl_sent)
			queue_ctl_keepalive(b);
		if (b->hold && b->st == ST_ESTABLISHED && t - b->last_recv > b->hold) {
			note("hold timer expired");
			queue_ctl_notify(b, BGP_ERR_HOLD_TIMER, 0);
			flush_out(b);
			event("hold_expired", NULL);
			return 1;
		}
		if (b->c.mode == SINK && b->ph_updates && t - b->ph_last >= b->c.quiet_ms / 1000.0)
			sink_quiet(b);
		if (b->c.mode == SINK && b->set.n != b->progress_held && t - b->last_progress >= 1) {
			b->last_progress = t;
			b->progress_held = b->set.n;
			event("progress", "\"held\":%zu,\"updates\":%lu", b->set.n, b->tot_updates);
		}
		struct pollfd pf = { .fd = b->fd, .events = POLLIN };
		if (want_write(b))
			pf.events |= POLLOUT;
		int timeout = 100;
		if (b->c.mode == SINK && b->ph_updates) {
			int left = (int)((b->ph_last + b->c.quiet_ms / 1000.0 - t) * 1000) + 1;
			if (left < timeout)
				timeout = left < 1 ? 1 : left;
		}
		int r = poll(&pf, 1, timeout);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		if (pf.revents & POLLOUT && !flush_out(b))
			return 1;
		if (pf.revents & (POLLIN | POLLHUP | POLLERR)) {
			/* Read until the socket is empty, a bounded number of times so
			 * that timers still run under a continuous stream. */
			for (int reads = 0; reads < 64; reads++) {
				ssize_t n = recv(b->fd, b->in + b->in_len, RECV_CAP - b->in_len, 0);
				if (n < 0) {
					if (errno == EINTR)
						continue;
					if (errno == EAGAIN || errno == EWOULDBLOCK)
						break;
					note("recv: %s", strerror(errno));
					return 1;
				}
				if (n == 0) {
					note("peer closed the connection");
					event("closed", NULL);
					return 1;
				}
				b->in_len += (size_t)n;
				b->last_recv = now();
				if (process_input(b) < 0) {
					flush_out(b);
					return 1;
				}
				if (b->in_len == RECV_CAP)
					die("a message larger than the receive buffer");
			}
			if (!flush_out(b))
				return 1;
		}
	}
}

/* Forgets the session that ended, so that run() can open the next one: the
 * table is sent again from its start. */
static void session_reset(struct blast *b)
{
	if (b->fd >= 0)
		close(b->fd);
	b->fd = -1;
	b->st = ST_IDLE;
	b->in_len = 0;
	b->ctl.len = b->ctl_sent = 0;
	b->cur = NULL;
	b->cur_len = b->cur_sent = 0;
	b->table_on = b->table_done = false;
	b->table_off = 0;
	b->churn_on = b->churn_done = false;
	b->churn_off = 0;
	b->wd_on = b->wd_done = false;
	b->wd_off = 0;
	g_round = g_churn = g_flap = 0;
}

/* ---- options ----------------------------------------------------------------------------- */

static int usage(void)
{
	fputs("usage: bgpblast feed|sink --local-as N --router-id A.B.C.D (--connect|--listen) ADDR[:PORT]\n"
	      "                [--hold SECONDS]\n"
	      "  feed: --prefixes N [--paths P (default N/4)] [--seed S] [--stats dfz-stats.json]\n"
	      "        --next-hop A.B.C.D [--mrt FILE[.gz] [--churn-max RECORDS]]\n"
	      "        [--rounds 1] [--reconnect 1]\n"
	      "        (SIGUSR1: replay the MRT file's IPv4 UPDATEs; with --rounds, SIGUSR2\n"
	      "        withdraws the table, the next SIGUSR2 announces it again; with\n"
	      "        --reconnect, a session that ends is opened again and SIGHUP ends it)\n"
	      "  sink: [--target N] [--quiet-ms MS (default 1000)]\n"
	      "  Events as JSON lines on standard output; see the head of bench/bgpblast.c.\n",
	      stderr);
	return 2;
}

static bool parse_u64(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	unsigned long long x = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-')
		return false;
	*v = x;
	return true;
}

static bool parse_ep(const char *s, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strchr(s, ':');
	size_t hl = colon ? (size_t)(colon - s) : strlen(s);
	uint64_t port = 179;
	if (hl >= sizeof(host) || (colon && (!parse_u64(colon + 1, &port) || !port || port > 65535)))
		return false;
	memcpy(host, s, hl);
	host[hl] = '\0';
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1;
}

static bool parse_v4(const char *s, uint32_t *v)
{
	struct in_addr ia;
	if (inet_pton(AF_INET, s, &ia) != 1)
		return false;
	*v = ntohl(ia.s_addr);
	return true;
}

static int parse_args(int argc, char **argv, struct cfg *c)
{
	if (argc < 2)
		return usage();
	if (strcmp(argv[1], "feed") == 0)
		c->mode = FEED;
	else if (strcmp(argv[1], "sink") == 0)
		c->mode = SINK;
	else
		return usage();
	c->hold = 240;
	c->quiet_ms = 1000;
	c->stats = DFZ_DEFAULT_STATS;
	bool have_ep = false;
	for (int i = 2; i < argc; i++) {
		const char *o = argv[i];
		if (i + 1 >= argc)
			return usage();
		const char *v = argv[++i];
		uint64_t x = 0;
		bool ok = true;
		if (strcmp(o, "--local-as") == 0)
			ok = parse_u64(v, &x) && x && x <= UINT32_MAX, c->local_as = (uint32_t)x;
		else if (strcmp(o, "--router-id") == 0)
			ok = parse_v4(v, &c->router_id) && c->router_id;
		else if (strcmp(o, "--connect") == 0 || strcmp(o, "--listen") == 0)
			ok = parse_ep(v, &c->addr), c->listen = o[2] == 'l', have_ep = true;
		else if (strcmp(o, "--hold") == 0)
			ok = parse_u64(v, &x) && (x == 0 || (x >= 3 && x <= 65535)), c->hold = (uint16_t)x;
		else if (strcmp(o, "--prefixes") == 0)
			ok = parse_u64(v, &x) && x <= (1u << 24), c->n = (size_t)x;
		else if (strcmp(o, "--paths") == 0)
			ok = parse_u64(v, &x), c->paths = (size_t)x;
		else if (strcmp(o, "--seed") == 0)
			ok = parse_u64(v, &c->seed);
		else if (strcmp(o, "--stats") == 0)
			c->stats = v;
		else if (strcmp(o, "--mrt") == 0)
			c->mrt = v;
		else if (strcmp(o, "--churn-max") == 0)
			ok = parse_u64(v, &x), c->churn_max = (size_t)x;
		else if (strcmp(o, "--next-hop") == 0)
			ok = parse_v4(v, &c->nexthop);
		else if (strcmp(o, "--rounds") == 0)
			ok = parse_u64(v, &x) && x <= 1, c->rounds = x == 1;
		else if (strcmp(o, "--reconnect") == 0)
			ok = parse_u64(v, &x) && x <= 1, c->reconnect = x == 1;
		else if (strcmp(o, "--target") == 0)
			ok = parse_u64(v, &x), c->target = (size_t)x;
		else if (strcmp(o, "--quiet-ms") == 0)
			ok = parse_u64(v, &x) && x && x < 600000, c->quiet_ms = (unsigned)x;
		else {
			fprintf(stderr, "bgpblast: unknown option '%s'\n", o);
			return usage();
		}
		if (!ok) {
			fprintf(stderr, "bgpblast: bad value for %s: '%s'\n", o, v);
			return usage();
		}
	}
	if (!c->local_as || !c->router_id || !have_ep) {
		fputs("bgpblast: --local-as, --router-id and --connect or --listen are required\n", stderr);
		return usage();
	}
	if (c->mode == FEED && !c->nexthop) {
		fputs("bgpblast: feed needs --next-hop\n", stderr);
		return usage();
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct blast *b = calloc(1, sizeof(*b));
	if (!b)
		return 1;
	int rc = parse_args(argc, argv, &b->c);
	if (rc)
		return rc;
	b->fd = b->lfd = -1;
	b->in = malloc(RECV_CAP);
	b->scratch_cap = BGP_UPDATE_SCRATCH_SIZE(BGP_MAX_EXT_MSG);
	b->scratch = malloc(b->scratch_cap);
	b->upd = malloc(sizeof(*b->upd));
	if (!b->in || !b->scratch || !b->upd)
		die("out of memory");
	if (b->c.mode == FEED) {
		double t0 = now();
		build_table(b);
		if (b->c.mrt)
			build_churn(b);
		event("ready", "\"secs\":%.3f,\"updates\":%zu,\"churn_updates\":%zu", now() - t0,
		      b->table.msgs, b->churn.msgs);
	} else {
		ptab_init(&b->set);
		event("ready", NULL);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	if (b->c.reconnect)
		sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	rc = run(b);
	while (rc == 1 && b->c.mode == FEED && b->c.reconnect && !g_stop) {
		session_reset(b);
		rc = run(b);
	}
	if (b->c.mode == SINK) {
		if (b->ph_updates)
			sink_quiet(b);
		event("end", "\"held\":%zu,\"updates\":%lu", b->set.n, b->tot_updates);
	} else {
		event("end", NULL);
	}
	return rc;
}

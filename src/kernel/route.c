/* route.c: the batched route writer (route messages back to back in one
 * buffer, one send per full buffer, failures named back by sequence number)
 * and the blocking dump that reads routes of a protocol back.
 *
 * Choices:
 * - No NLM_F_ACK: the kernel answers only the messages it refuses, with an
 *   NLMSG_ERROR carrying the failing message's sequence number; a ring of
 *   (seq -> prefix) names them. NETLINK_CAP_ACK keeps answers small,
 *   NETLINK_EXT_ACK adds the kernel's reason to the log line.
 * - rtnetlink handles a whole batch inside the sendto, so the answers are
 *   read right after each send (as well as from the loop): the receive
 *   buffer then needs room for one batch's answers only, and the ring for
 *   one batch's messages. A receive overflow (ENOBUFS) is reported.
 * - Replace is NLM_F_CREATE | NLM_F_REPLACE for both families, multipath
 *   included: on current kernels an IPv6 replace swaps the whole sibling set
 *   (single <-> multipath <-> blackhole <-> interface; checked by
 *   test_kernel_route), so no delete-then-add is needed.
 * - A delete names prefix, table, protocol and metric, with scope NOWHERE
 *   and no next hops: it removes nvad's route whatever it points to.
 * - Threaded (kernel_writer_set_threaded): the kernel inserts routes inside
 *   the sendto, in the sender's time, so a sender thread lets it work on a
 *   batch while the caller builds the next (up to SEND_BUFS batches in
 *   flight). The ring then names every message in flight; answers are read
 *   by the caller's thread as before; a failed send is reported when the
 *   caller takes its buffer back (woken by an eventfd). */
#include "route.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Largest gateway attribute: RTA_VIA with an IPv6 address. */
#define GW_ATTR_MAX MNL_ALIGN(sizeof(struct nlattr) + sizeof(struct rtvia) + 16)
/* Largest route message: header, rtmsg, RTA_DST, RTA_PREFSRC, RTA_TABLE,
 * RTA_PRIORITY, RTA_OIF, and RTA_MULTIPATH with every next hop. */
#define MSG_MAX                                                                          \
	(MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg)) +                            \
	 2 * MNL_ALIGN(sizeof(struct nlattr) + 16) + 3 * MNL_ALIGN(sizeof(struct nlattr) + 4) + \
	 GW_ATTR_MAX + MNL_ALIGN(sizeof(struct nlattr)) +                                  \
	 KERNEL_MAX_NEXTHOPS * (RTNH_ALIGN(sizeof(struct rtnexthop)) + GW_ATTR_MAX))
/* Smallest route message (an IPv4 delete of 0.0.0.0/0): bounds how many
 * messages a batch holds, hence the ring's size. */
#define MSG_MIN                                                                          \
	(MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct rtmsg)) + 2 * MNL_ALIGN(sizeof(struct nlattr) + 4))
/* Answers are small (errors carry only the failing message's header, with
 * NETLINK_CAP_ACK) but without CAP_ACK they quote the whole message. */
#define RBUF_SIZE (2 * MSG_MAX + 4096)
#define RCVBUF_MIN (8 * 1024 * 1024)
#define RCVBUF_MAX (64 * 1024 * 1024)
#define DUMP_BUF (64 * 1024)

/* Batches in flight with a sender thread (one filled, the others queued or
 * being sent). */
#define SEND_BUFS 3

enum { B_FREE, B_QUEUED, B_SENDING, B_SENT };

struct wbatch {
	char *buf;
	size_t len;
	uint32_t first_seq, last_seq;
	int err;               /* the send's errno, 0 when it went */
	uint8_t state;
};

/* A message in flight: what to name when the kernel refuses it. */
struct pending {
	uint32_t seq;
	bool del;
	struct prefix dst;
};

struct kernel_writer {
	struct loop *loop;
	const struct logger *log;
	kernel_route_error_fn on_error;
	void *ctx;
	struct mnl_socket *nl;
	struct loop_fd lfd;
	bool registered;

	char *buf;            /* the batch */
	size_t cap, len;
	uint32_t seq;         /* last sequence number used */

	struct pending *ring; /* indexed by seq & mask */
	uint32_t mask;

	char *rbuf;           /* answers */
	bool draining;
	uint32_t sync_seq;
	bool sync_done;

	struct kernel_writer_stats st;

	/* The sender thread, when threaded. buf is bat[cur].buf then. */
	bool threaded;
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool stop;
	struct wbatch bat[SEND_BUFS];
	unsigned queue[SEND_BUFS], q_head, q_len;
	unsigned cur;
	int efd;               /* the thread's "a batch was sent" */
	struct loop_fd efd_lfd;
};

static uint32_t next_seq(struct kernel_writer *w)
{
	if (++w->seq == 0) /* 0 marks an unused ring slot */
		w->seq = 1;
	return w->seq;
}

static size_t addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

/* ---- answers ---------------------------------------------------------------- */

static int ext_cb(const struct nlattr *a, void *data)
{
	const char **msg = data;
	if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) >= 0)
		*msg = mnl_attr_get_str(a);
	return MNL_CB_OK;
}

/* The kernel's explanation (extended ack), when it gave one. */
static const char *ext_msg(const struct nlmsghdr *nlh)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += MNL_ALIGN(e->msg.nlmsg_len) - MNL_NLMSG_HDRLEN;
	if (off > mnl_nlmsg_get_payload_len(nlh))
		return NULL;
	const char *msg = NULL;
	mnl_attr_parse(nlh, (unsigned)off, ext_cb, &msg);
	return msg;
}

static void report(struct kernel_writer *w, uint32_t seq, int err, const char *why)
{
	const struct pending *p = &w->ring[seq & w->mask];
	bool known = p->seq == seq && seq != 0;
	char pfx[PREFIX_STRLEN] = "?";
	if (known)
		prefix_fmt(&p->dst, pfx, sizeof(pfx));
	w->st.errors++;
	if (known && p->del && err == ESRCH) {
		log_debug(w->log, "kernel: delete of %s: already gone", pfx);
		return;
	}
	log_info(w->log, "kernel: %s %s refused: %s%s%s%s", known && p->del ? "delete of" : "route",
		 pfx, strerror(err), why ? " (" : "", why ? why : "", why ? ")" : "");
	/* Copied: the callback may queue routes, which reuses ring slots. */
	struct prefix dst = { 0 };
	if (known)
		dst = p->dst;
	w->on_error(w->ctx, &dst, err);
}

static void answer(struct kernel_writer *w, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_type != NLMSG_ERROR ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nlmsgerr))
		return;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	uint32_t seq = nlh->nlmsg_seq;
	if (seq == w->sync_seq && w->sync_seq != 0) {
		w->sync_done = true;
		return;
	}
	if (e->error == 0)
		return;
	report(w, seq, -e->error, ext_msg(nlh));
}

/* Reads every answer waiting on the socket. */
static void drain(struct kernel_writer *w)
{
	if (w->draining) /* a callback queued routes that filled a batch */
		return;
	w->draining = true;
	int fd = mnl_socket_get_fd(w->nl);
	for (;;) {
		ssize_t n = recv(fd, w->rbuf, RBUF_SIZE, MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				w->st.lost++;
				/* The sync's acknowledgement may be among the lost:
				 * the kernel is past it anyway (it handles a batch
				 * within the send), and what is left is read below. */
				if (w->sync_seq)
					w->sync_done = true;
				log_err(w->log, "kernel: route answers lost (receive buffer full)");
				struct prefix none = { 0 };
				w->on_error(w->ctx, &none, ENOBUFS);
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn(w->log, "kernel: reading route answers: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		int len = (int)n;
		for (const struct nlmsghdr *nlh = (const struct nlmsghdr *)w->rbuf; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len))
			answer(w, nlh);
	}
	w->draining = false;
}

static void on_readable(struct loop_fd *f, uint32_t events)
{
	(void)events;
	drain(f->ctx);
}

/* ---- sending ---------------------------------------------------------------- */

/* Every message from first to last failed with e (a send that failed). */
static void report_range(struct kernel_writer *w, uint32_t first, uint32_t last, int e)
{
	for (uint32_t s = first;; s++) {
		if (s != 0 && s != w->sync_seq)
			report(w, s, e, NULL);
		if (s == last)
			break;
	}
}

/* Sends the batch from this thread, then reads the answers (the kernel
 * handles the messages inside the send, so they are already there). False
 * when the send failed: every route of the batch is then reported with the
 * send's error. */
static bool send_now(struct kernel_writer *w)
{
	if (w->len == 0)
		return true;
	const struct nlmsghdr *first = (const struct nlmsghdr *)w->buf;
	uint32_t first_seq = first->nlmsg_seq, last_seq = w->seq;
	size_t len = w->len;
	w->len = 0;
	ssize_t n;
	do
		n = mnl_socket_sendto(w->nl, w->buf, len);
	while (n < 0 && errno == EINTR);
	w->st.sends++;
	if (n < 0) {
		int e = errno;
		log_err(w->log, "kernel: sending %zu bytes of routes: %s", len, strerror(e));
		report_range(w, first_seq, last_seq, e);
		drain(w);
		return false;
	}
	w->st.bytes += (uint64_t)n;
	drain(w);
	return true;
}

/* ---- the sender thread ------------------------------------------------------ */

static void *sender_main(void *arg)
{
	struct kernel_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->stop && w->q_len == 0)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->q_len == 0)
			break; /* stopping, nothing left */
		struct wbatch *b = &w->bat[w->queue[w->q_head]];
		w->q_head = (w->q_head + 1) % SEND_BUFS;
		w->q_len--;
		b->state = B_SENDING;
		pthread_mutex_unlock(&w->mu);
		ssize_t n;
		do
			n = mnl_socket_sendto(w->nl, b->buf, b->len);
		while (n < 0 && errno == EINTR);
		int e = n < 0 ? errno : 0;
		pthread_mutex_lock(&w->mu);
		b->err = e;
		if (n > 0)
			w->st.bytes += (uint64_t)n;
		w->st.sends++;
		b->state = B_SENT;
		pthread_cond_broadcast(&w->cv);
		uint64_t one = 1;
		if (write(w->efd, &one, sizeof(one)) < 0) {
			/* the counter is only a wake-up: a full one wakes too */
		}
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Takes back the sent buffers (w->mu held); failed sends are copied out to
 * be reported once the lock is released. */
struct failed {
	uint32_t first, last;
	int err;
};

static unsigned reclaim_locked(struct kernel_writer *w, struct failed *out)
{
	unsigned n = 0;
	for (unsigned i = 0; i < SEND_BUFS; i++) {
		struct wbatch *b = &w->bat[i];
		if (b->state != B_SENT)
			continue;
		if (b->err)
			out[n++] = (struct failed){ b->first_seq, b->last_seq, b->err };
		b->state = B_FREE;
		b->len = 0;
	}
	return n;
}

static void report_failed(struct kernel_writer *w, const struct failed *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		log_err(w->log, "kernel: sending a batch of routes: %s", strerror(f[i].err));
		report_range(w, f[i].first, f[i].last, f[i].err);
	}
}

/* Hands the filled batch to the thread and takes a free buffer, waiting for
 * one when all are in flight. */
static void handoff(struct kernel_writer *w)
{
	struct failed f[SEND_BUFS];
	unsigned nf;
	pthread_mutex_lock(&w->mu);
	struct wbatch *b = &w->bat[w->cur];
	b->len = w->len;
	b->first_seq = ((const struct nlmsghdr *)b->buf)->nlmsg_seq;
	b->last_seq = w->seq;
	b->state = B_QUEUED;
	w->queue[(w->q_head + w->q_len) % SEND_BUFS] = w->cur;
	w->q_len++;
	pthread_cond_broadcast(&w->cv);
	nf = 0;
	for (;;) {
		nf += reclaim_locked(w, f + nf); /* frees a buffer when it finds any */
		unsigned i = 0;
		while (i < SEND_BUFS && w->bat[i].state != B_FREE)
			i++;
		if (i < SEND_BUFS) {
			w->cur = i;
			break;
		}
		pthread_cond_wait(&w->cv, &w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	w->buf = w->bat[w->cur].buf; /* before the reports: a callback may queue */
	w->len = 0;
	report_failed(w, f, nf);
	drain(w);
}

/* Waits until every queued batch was sent; reports what failed. */
static void wait_idle(struct kernel_writer *w)
{
	struct failed f[SEND_BUFS];
	unsigned nf = 0;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		bool busy = w->q_len > 0;
		for (unsigned i = 0; i < SEND_BUFS; i++)
			busy |= w->bat[i].state == B_SENDING;
		if (!busy)
			break;
		pthread_cond_wait(&w->cv, &w->mu);
	}
	nf = reclaim_locked(w, f);
	pthread_mutex_unlock(&w->mu);
	report_failed(w, f, nf);
	drain(w);
}

static void on_sent(struct loop_fd *lf, uint32_t events)
{
	(void)events;
	struct kernel_writer *w = lf->ctx;
	uint64_t v;
	if (read(w->efd, &v, sizeof(v)) < 0) {
		/* nothing to read: another call took it */
	}
	struct failed f[SEND_BUFS];
	pthread_mutex_lock(&w->mu);
	unsigned nf = reclaim_locked(w, f);
	pthread_mutex_unlock(&w->mu);
	report_failed(w, f, nf);
	drain(w);
}

static bool send_batch(struct kernel_writer *w)
{
	if (!w->threaded)
		return send_now(w);
	if (w->len)
		handoff(w);
	return true;
}

/* Room for one more message of any size. */
static void make_room(struct kernel_writer *w)
{
	if (w->cap - w->len < MSG_MAX)
		send_batch(w);
}

void kernel_writer_flush(struct kernel_writer *w)
{
	send_batch(w);
}

/* ---- encoding --------------------------------------------------------------- */

static bool nh_valid(uint8_t family, const struct kernel_nexthop *nh)
{
	switch (nh->kind) {
	case KERNEL_NH_GATEWAY:
		if (nh->gateway.family == AF_INET6)
			return true; /* RTA_GATEWAY, or RTA_VIA for an IPv4 route */
		return nh->gateway.family == AF_INET && family == AF_INET;
	case KERNEL_NH_IFACE:
		return nh->ifindex > 0;
	default:
		return false;
	}
}

static void put_gateway(struct nlmsghdr *nlh, uint8_t family, const struct ipaddr *gw)
{
	if (gw->family == family) {
		mnl_attr_put(nlh, RTA_GATEWAY, addr_len(family), gw->a);
		return;
	}
	char via[sizeof(struct rtvia) + 16];
	struct rtvia *v = (struct rtvia *)via;
	v->rtvia_family = gw->family;
	memcpy(via + sizeof(struct rtvia), gw->a, addr_len(gw->family));
	mnl_attr_put(nlh, RTA_VIA, sizeof(struct rtvia) + addr_len(gw->family), via);
}

static void put_multipath(struct nlmsghdr *nlh, uint8_t family, const struct kernel_route_spec *r)
{
	struct nlattr *mp = mnl_attr_nest_start(nlh, RTA_MULTIPATH);
	for (unsigned i = 0; i < r->n_nh; i++) {
		const struct kernel_nexthop *nh = &r->nh[i];
		struct rtnexthop *rtnh = mnl_nlmsg_get_payload_tail(nlh);
		memset(rtnh, 0, sizeof(*rtnh));
		nlh->nlmsg_len += RTNH_ALIGN(sizeof(*rtnh));
		rtnh->rtnh_hops = nh->weight ? (uint8_t)(nh->weight - 1) : 0;
		rtnh->rtnh_ifindex = nh->ifindex;
		if (nh->kind == KERNEL_NH_GATEWAY)
			put_gateway(nlh, family, &nh->gateway);
		rtnh->rtnh_len = (unsigned short)((char *)mnl_nlmsg_get_payload_tail(nlh) - (char *)rtnh);
	}
	mnl_attr_nest_end(nlh, mp);
}

static bool queue(struct kernel_writer *w, const struct kernel_route_spec *r, bool del)
{
	uint8_t family = r->dst.family;
	if ((family != AF_INET && family != AF_INET6) || r->dst.len > prefix_family_bits(family))
		return false;
	bool blackhole = false, all_iface = true;
	if (!del) {
		if (r->n_nh == 0 || r->n_nh > KERNEL_MAX_NEXTHOPS)
			return false;
		if (r->nh[0].kind == KERNEL_NH_BLACKHOLE) {
			if (r->n_nh != 1)
				return false;
			blackhole = true;
		} else {
			for (unsigned i = 0; i < r->n_nh; i++) {
				if (!nh_valid(family, &r->nh[i]))
					return false;
				if (r->nh[i].kind != KERNEL_NH_IFACE)
					all_iface = false;
			}
		}
		if (r->src.family && r->src.family != family)
			return false;
	}
	struct prefix dst = r->dst;
	prefix_mask(&dst);
	uint32_t table = r->table ? r->table : RT_TABLE_MAIN;
	uint8_t protocol = r->protocol ? r->protocol : KERNEL_RTPROT_NVAD;

	make_room(w);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(w->buf + w->len);
	nlh->nlmsg_type = del ? RTM_DELROUTE : RTM_NEWROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | (del ? 0 : NLM_F_CREATE | NLM_F_REPLACE);
	nlh->nlmsg_seq = next_seq(w);
	struct rtmsg *rm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rm));
	rm->rtm_family = family;
	rm->rtm_dst_len = dst.len;
	rm->rtm_table = table < 256 ? (uint8_t)table : RT_TABLE_UNSPEC;
	rm->rtm_protocol = protocol;
	if (del) {
		/* Any scope, any type: prefix, table, protocol and metric decide. */
		rm->rtm_scope = RT_SCOPE_NOWHERE;
		rm->rtm_type = RTN_UNSPEC;
	} else {
		rm->rtm_scope = !blackhole && all_iface ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE;
		rm->rtm_type = blackhole ? RTN_BLACKHOLE : RTN_UNICAST;
	}
	if (dst.len)
		mnl_attr_put(nlh, RTA_DST, addr_len(family), dst.a);
	mnl_attr_put_u32(nlh, RTA_TABLE, table);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, r->metric);
	if (!del && !blackhole) {
		if (r->src.family)
			mnl_attr_put(nlh, RTA_PREFSRC, addr_len(family), r->src.a);
		if (r->n_nh == 1) {
			if (r->nh[0].kind == KERNEL_NH_GATEWAY)
				put_gateway(nlh, family, &r->nh[0].gateway);
			if (r->nh[0].ifindex > 0)
				mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)r->nh[0].ifindex);
		} else {
			put_multipath(nlh, family, r);
		}
	}
	w->len += nlh->nlmsg_len;
	struct pending *p = &w->ring[nlh->nlmsg_seq & w->mask];
	p->seq = nlh->nlmsg_seq;
	p->del = del;
	p->dst = dst;
	w->st.queued++;
	if (w->cap - w->len < MSG_MAX)
		send_batch(w);
	return true;
}

bool kernel_route_replace(struct kernel_writer *w, const struct kernel_route_spec *r)
{
	return queue(w, r, false);
}

bool kernel_route_delete(struct kernel_writer *w, const struct kernel_route_spec *r)
{
	return queue(w, r, true);
}

/* ---- the writer ------------------------------------------------------------- */

static int sock_int(int fd, int opt)
{
	int v = 0;
	socklen_t l = sizeof(v);
	getsockopt(fd, SOL_SOCKET, opt, &v, &l);
	return v;
}

/* SO_*BUFFORCE passes the system's limits (needs CAP_NET_ADMIN); the plain
 * option is the fallback. The kernel doubles the value it is given. */
static int set_buf(int fd, int force_opt, int opt, int bytes)
{
	int half = bytes / 2;
	if (setsockopt(fd, SOL_SOCKET, force_opt, &half, sizeof(half)) < 0)
		setsockopt(fd, SOL_SOCKET, opt, &half, sizeof(half));
	return sock_int(fd, opt);
}

bool kernel_writer_set_batch(struct kernel_writer *w, size_t bytes)
{
	if (bytes < KERNEL_BATCH_MIN)
		bytes = KERNEL_BATCH_MIN;
	if (bytes > KERNEL_BATCH_MAX)
		bytes = KERNEL_BATCH_MAX;
	if (w->buf)
		send_batch(w);
	if (w->threaded)
		wait_idle(w);
	int fd = mnl_socket_get_fd(w->nl);
	/* A send larger than the send buffer (less 32 bytes) is refused. */
	int snd = set_buf(fd, SO_SNDBUFFORCE, SO_SNDBUF, (int)bytes * 2 + 65536);
	if (snd > 64 && (size_t)snd - 64 < bytes) {
		log_info(w->log, "kernel: route batches limited to %d bytes by the send buffer", snd - 64);
		bytes = (size_t)snd - 64;
	}
	if (bytes < KERNEL_BATCH_MIN)
		return false;
	/* Answers: room for one per message of a batch full of failures (about
	 * 1 KiB each as the kernel counts them), within reason. */
	size_t rcv = bytes / MSG_MIN * 1024;
	if (rcv < RCVBUF_MIN)
		rcv = RCVBUF_MIN;
	if (rcv > RCVBUF_MAX)
		rcv = RCVBUF_MAX;
	set_buf(fd, SO_RCVBUFFORCE, SO_RCVBUF, (int)rcv);

	/* The ring names every message that may still be answered: one batch's
	 * worth (twice, for the batch being filled), or with a sender thread
	 * every batch in flight too. */
	size_t slots = 1;
	while (slots < (w->threaded ? SEND_BUFS + 1 : 2) * (bytes / MSG_MIN + 1))
		slots <<= 1;
	unsigned nbuf = w->threaded ? SEND_BUFS : 1;
	char *bufs[SEND_BUFS] = { 0 };
	struct pending *ring = calloc(slots, sizeof(*ring));
	bool ok = ring != NULL;
	for (unsigned i = 0; i < nbuf; i++)
		ok &= (bufs[i] = calloc(1, bytes)) != NULL; /* padding libmnl leaves unset is zero */
	if (!ok) {
		for (unsigned i = 0; i < nbuf; i++)
			free(bufs[i]);
		free(ring);
		return false;
	}
	/* Nothing is in flight (the batches were sent and answered): the old
	 * ring's names are no longer needed. */
	if (w->threaded) {
		for (unsigned i = 0; i < SEND_BUFS; i++) {
			free(w->bat[i].buf);
			w->bat[i] = (struct wbatch){ .buf = bufs[i] };
		}
		w->cur = 0;
	} else {
		free(w->buf);
	}
	free(w->ring);
	char *buf = bufs[0];
	w->buf = buf;
	w->cap = bytes;
	w->st.batch = bytes;
	w->len = 0;
	w->ring = ring;
	w->mask = (uint32_t)(slots - 1);
	return true;
}

struct kernel_writer *kernel_writer_open(struct loop *loop, const struct logger *log,
					 kernel_route_error_fn on_error, void *ctx)
{
	struct kernel_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->loop = loop;
	w->log = log;
	w->on_error = on_error;
	w->ctx = ctx;
	w->seq = (uint32_t)time(NULL);
	w->rbuf = malloc(RBUF_SIZE);
	w->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!w->rbuf || !w->nl || mnl_socket_bind(w->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	/* Errors quote only the failing message's header, and explain. */
	int one = 1;
	mnl_socket_setsockopt(w->nl, NETLINK_CAP_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(w->nl, NETLINK_EXT_ACK, &one, sizeof(one));
	if (!kernel_writer_set_batch(w, KERNEL_BATCH_DEFAULT)) {
		errno = ENOMEM;
		goto fail;
	}
	if (loop) {
		w->lfd = (struct loop_fd){ .fd = mnl_socket_get_fd(w->nl), .events = EPOLLIN,
					   .cb = on_readable, .ctx = w };
		if (!loop_fd_add(loop, &w->lfd))
			goto fail;
		w->registered = true;
	}
	return w;
fail:;
	int e = errno;
	if (w->nl)
		mnl_socket_close(w->nl);
	free(w->rbuf);
	free(w->buf);
	free(w->ring);
	free(w);
	errno = e;
	return NULL;
}

static void stop_thread(struct kernel_writer *w)
{
	if (!w->threaded)
		return;
	wait_idle(w);
	pthread_mutex_lock(&w->mu);
	w->stop = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thr, NULL);
	if (w->efd_lfd.fd > 0 && w->loop)
		loop_fd_del(w->loop, &w->efd_lfd);
	close(w->efd);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
	for (unsigned i = 0; i < SEND_BUFS; i++)
		if (w->bat[i].buf != w->buf)
			free(w->bat[i].buf);
	w->threaded = false; /* w->buf stays: the last buffer in use */
}

bool kernel_writer_set_threaded(struct kernel_writer *w)
{
	if (w->threaded)
		return true;
	send_now(w);
	w->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (w->efd < 0)
		return false;
	if (pthread_mutex_init(&w->mu, NULL) != 0) {
		close(w->efd);
		return false;
	}
	pthread_cond_init(&w->cv, NULL);
	w->stop = false;
	w->q_head = w->q_len = 0;
	for (unsigned i = 0; i < SEND_BUFS; i++)
		w->bat[i] = (struct wbatch){ 0 };
	w->threaded = true;
	/* Buffers and a ring sized for batches in flight. */
	size_t bytes = w->cap;
	w->bat[0].buf = w->buf; /* handed over to set_batch, which frees it */
	w->buf = NULL;
	if (!kernel_writer_set_batch(w, bytes)) {
		w->buf = w->bat[0].buf;
		w->bat[0].buf = NULL;
		w->threaded = false;
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		close(w->efd);
		return false;
	}
	if (pthread_create(&w->thr, NULL, sender_main, w) != 0) {
		/* Back to sending from the caller's thread: keep buffer 0. */
		for (unsigned i = 1; i < SEND_BUFS; i++)
			free(w->bat[i].buf);
		w->buf = w->bat[0].buf;
		w->threaded = false;
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		close(w->efd);
		return false;
	}
	if (w->loop) {
		w->efd_lfd = (struct loop_fd){ .fd = w->efd, .events = EPOLLIN, .cb = on_sent, .ctx = w };
		if (!loop_fd_add(w->loop, &w->efd_lfd))
			w->efd_lfd.fd = -1;
	}
	return true;
}

void kernel_writer_close(struct kernel_writer *w)
{
	if (!w)
		return;
	send_batch(w);
	stop_thread(w);
	if (w->registered)
		loop_fd_del(w->loop, &w->lfd);
	mnl_socket_close(w->nl);
	free(w->rbuf);
	free(w->buf);
	free(w->ring);
	free(w);
}

bool kernel_writer_sync(struct kernel_writer *w, int timeout_ms)
{
	/* An acknowledged no-op behind the batch: its answer comes after those
	 * of every message before it. */
	if (w->threaded) { /* everything before the no-op is out first */
		send_batch(w);
		wait_idle(w);
	}
	make_room(w);
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(w->buf + w->len);
	nlh->nlmsg_type = NLMSG_NOOP;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = next_seq(w);
	w->ring[nlh->nlmsg_seq & w->mask].seq = 0;
	w->len += nlh->nlmsg_len;
	w->sync_seq = nlh->nlmsg_seq;
	w->sync_done = false;
	uint64_t lost = w->st.lost;
	bool ok = send_now(w); /* from this thread: it is idle */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ok && !w->sync_done) {
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		long spent = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (spent >= timeout_ms) {
			ok = false;
			break;
		}
		struct pollfd pfd = { .fd = mnl_socket_get_fd(w->nl), .events = POLLIN };
		int n = poll(&pfd, 1, (int)(timeout_ms - spent));
		if (n < 0 && errno != EINTR)
			ok = false;
		else if (n > 0)
			drain(w);
	}
	w->sync_seq = 0;
	return ok && w->st.lost == lost;
}

void kernel_writer_get_stats(const struct kernel_writer *w, struct kernel_writer_stats *st)
{
	struct kernel_writer *mw = (struct kernel_writer *)w; /* the lock only */
	if (w->threaded)
		pthread_mutex_lock(&mw->mu);
	*st = w->st;
	if (w->threaded)
		pthread_mutex_unlock(&mw->mu);
}

/* ---- reading back ----------------------------------------------------------- */

struct attrs {
	const struct nlattr **tb;
	int max;
};

static int attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	int type = mnl_attr_get_type(a);
	if (type <= at->max)
		at->tb[type] = a;
	return MNL_CB_OK;
}

static bool get_addr(const struct nlattr *a, uint8_t family, uint8_t *out)
{
	if (!a || mnl_attr_get_payload_len(a) < addr_len(family))
		return false;
	memcpy(out, mnl_attr_get_payload(a), addr_len(family));
	return true;
}

static uint32_t get_u32(const struct nlattr *a, uint32_t dflt)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : dflt;
}

/* A gateway from RTA_GATEWAY or RTA_VIA; false when neither is there. */
static bool get_gateway(const struct nlattr *const *tb, uint8_t family, struct ipaddr *gw)
{
	if (get_addr(tb[RTA_GATEWAY], family, gw->a)) {
		gw->family = family;
		return true;
	}
	const struct nlattr *via = tb[RTA_VIA];
	if (!via || mnl_attr_get_payload_len(via) < sizeof(struct rtvia))
		return false;
	const struct rtvia *v = mnl_attr_get_payload(via);
	if (v->rtvia_family != AF_INET && v->rtvia_family != AF_INET6)
		return false;
	if (mnl_attr_get_payload_len(via) < sizeof(struct rtvia) + addr_len((uint8_t)v->rtvia_family))
		return false;
	gw->family = (uint8_t)v->rtvia_family;
	memcpy(gw->a, (const char *)v + sizeof(struct rtvia), addr_len(gw->family));
	return true;
}

static bool decode_multipath(const struct nlattr *mp, uint8_t family, struct kernel_route_spec *r)
{
	const char *p = mnl_attr_get_payload(mp);
	size_t rem = mnl_attr_get_payload_len(mp);
	while (rem >= sizeof(struct rtnexthop)) {
		const struct rtnexthop *rtnh = (const struct rtnexthop *)p;
		if (rtnh->rtnh_len < sizeof(*rtnh) || rtnh->rtnh_len > rem)
			return false;
		if (r->n_nh == KERNEL_MAX_NEXTHOPS)
			return true; /* more than nvad writes: keep the first ones */
		struct kernel_nexthop *nh = &r->nh[r->n_nh++];
		memset(nh, 0, sizeof(*nh));
		nh->ifindex = rtnh->rtnh_ifindex;
		nh->weight = (uint8_t)(rtnh->rtnh_hops + 1);
		const struct nlattr *tb[RTA_MAX + 1] = { 0 };
		struct attrs at = { tb, RTA_MAX };
		size_t hl = RTNH_ALIGN(sizeof(*rtnh));
		if (rtnh->rtnh_len > hl &&
		    mnl_attr_parse_payload(p + hl, rtnh->rtnh_len - hl, attr_cb, &at) < 0)
			return false;
		nh->kind = get_gateway(tb, family, &nh->gateway) ? KERNEL_NH_GATEWAY : KERNEL_NH_IFACE;
		size_t step = RTNH_ALIGN(rtnh->rtnh_len);
		if (step >= rem)
			break;
		p += step;
		rem -= step;
	}
	return r->n_nh > 0;
}

/* A route message as a spec; false for what nvad does not write (other
 * types, cached clones, next hop objects). */
static bool decode_route(const struct nlmsghdr *nlh, struct kernel_route_spec *r)
{
	if (nlh->nlmsg_type != RTM_NEWROUTE || mnl_nlmsg_get_payload_len(nlh) < sizeof(struct rtmsg))
		return false;
	const struct rtmsg *rm = mnl_nlmsg_get_payload(nlh);
	uint8_t family = rm->rtm_family;
	if ((family != AF_INET && family != AF_INET6) || rm->rtm_dst_len > prefix_family_bits(family))
		return false;
	if ((rm->rtm_type != RTN_UNICAST && rm->rtm_type != RTN_BLACKHOLE) ||
	    (rm->rtm_flags & RTM_F_CLONED))
		return false;
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	struct attrs at = { tb, RTA_MAX };
	if (mnl_attr_parse(nlh, sizeof(*rm), attr_cb, &at) < 0)
		return false;
	memset(r, 0, offsetof(struct kernel_route_spec, nh));
	r->dst.family = family;
	r->dst.len = rm->rtm_dst_len;
	if (tb[RTA_DST] && !get_addr(tb[RTA_DST], family, r->dst.a))
		return false;
	prefix_mask(&r->dst);
	r->table = get_u32(tb[RTA_TABLE], rm->rtm_table);
	r->protocol = rm->rtm_protocol;
	r->metric = get_u32(tb[RTA_PRIORITY], 0);
	if (get_addr(tb[RTA_PREFSRC], family, r->src.a))
		r->src.family = family;
	if (rm->rtm_type == RTN_BLACKHOLE) {
		r->n_nh = 1;
		memset(&r->nh[0], 0, sizeof(r->nh[0]));
		r->nh[0].kind = KERNEL_NH_BLACKHOLE;
		r->nh[0].weight = 1;
		return true;
	}
	if (tb[RTA_MULTIPATH])
		return decode_multipath(tb[RTA_MULTIPATH], family, r);
	if (tb[RTA_NH_ID])
		return false;
	struct kernel_nexthop *nh = &r->nh[0];
	memset(nh, 0, sizeof(*nh));
	nh->ifindex = (int)get_u32(tb[RTA_OIF], 0);
	nh->weight = 1;
	nh->kind = get_gateway(tb, family, &nh->gateway) ? KERNEL_NH_GATEWAY : KERNEL_NH_IFACE;
	r->n_nh = 1;
	return true;
}

struct dump_req {
	uint32_t table;
	uint8_t protocol;
	void (*fn)(void *ctx, const struct kernel_route_spec *r);
	void *ctx;
	struct kernel_route_spec spec;
};

/* One family's dump; the kernel filters by table and protocol when it
 * checks dump requests strictly, and the filter is applied here again. */
static bool dump_family(struct mnl_socket *nl, uint8_t family, struct dump_req *d, char *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = (uint32_t)time(NULL) + family;
	struct rtmsg *rm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rm));
	rm->rtm_family = family;
	rm->rtm_protocol = d->protocol;
	rm->rtm_table = d->table < 256 ? (uint8_t)d->table : RT_TABLE_UNSPEC;
	if (d->table >= 256)
		mnl_attr_put_u32(nlh, RTA_TABLE, d->table);
	uint32_t seq = nlh->nlmsg_seq;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return false;
	unsigned portid = mnl_socket_get_portid(nl);
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, DUMP_BUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		int len = (int)n;
		for (const struct nlmsghdr *m = (const struct nlmsghdr *)buf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq || m->nlmsg_pid != portid)
				continue;
			if (m->nlmsg_type == NLMSG_DONE || m->nlmsg_type == NLMSG_ERROR) {
				int err = 0;
				if (mnl_nlmsg_get_payload_len(m) >= sizeof(int))
					err = *(const int *)mnl_nlmsg_get_payload(m);
				/* No such table: nothing in it. */
				if (err < 0 && err != -ENOENT) {
					errno = -err;
					return false;
				}
				return true;
			}
			if (!decode_route(m, &d->spec))
				continue;
			if ((d->table && d->spec.table != d->table) ||
			    (d->protocol && d->spec.protocol != d->protocol))
				continue;
			d->fn(d->ctx, &d->spec);
		}
	}
}

bool kernel_routes_dump(uint32_t table, uint8_t protocol,
			void (*fn)(void *ctx, const struct kernel_route_spec *r), void *ctx)
{
	struct dump_req *d = malloc(sizeof(*d));
	char *buf = malloc(DUMP_BUF);
	struct mnl_socket *nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	bool ok = false;
	if (!d || !buf || !nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		goto out;
	int one = 1;
	mnl_socket_setsockopt(nl, NETLINK_GET_STRICT_CHK, &one, sizeof(one));
	*d = (struct dump_req){ .table = table, .protocol = protocol, .fn = fn, .ctx = ctx };
	ok = dump_family(nl, AF_INET, d, buf) && dump_family(nl, AF_INET6, d, buf);
out:;
	int e = errno;
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	free(d);
	errno = e;
	return ok;
}

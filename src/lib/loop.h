/* loop.h: the event loop: file descriptors (epoll), timers on the monotonic
 * clock (a binary heap), and sliced background work.
 *
 * Work that may be long (RIB processing, building updates for a peer) runs as
 * tasks in slices of a bounded duration; the loop checks sockets and timers
 * between slices, so keepalives and hold timers never wait behind it. */
#ifndef NVAD_LIB_LOOP_H
#define NVAD_LIB_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;

struct loop_fd {
	int fd;
	uint32_t events; /* EPOLLIN, EPOLLOUT */
	void (*cb)(struct loop_fd *f, uint32_t events);
	void *ctx;
};

struct loop_timer {
	uint64_t at;     /* deadline, ms on the loop's clock */
	size_t slot;     /* position in the heap, 0 when not armed */
	void (*cb)(struct loop_timer *t);
	void *ctx;
};

/* A task runs while it returns true ("more to do") and the slice lasts. */
struct loop_task {
	bool (*run)(struct loop_task *t);
	void *ctx;
	struct loop_task *next;
	bool queued;
};

struct loop *loop_new(void);
void loop_free(struct loop *l);

/* Milliseconds on the monotonic clock, read once per loop iteration. */
uint64_t loop_now(const struct loop *l);
uint64_t loop_clock_ms(void);

bool loop_fd_add(struct loop *l, struct loop_fd *f);
bool loop_fd_mod(struct loop *l, struct loop_fd *f, uint32_t events);
void loop_fd_del(struct loop *l, struct loop_fd *f);

void loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t after_ms);
void loop_timer_stop(struct loop *l, struct loop_timer *t);
static inline bool loop_timer_armed(const struct loop_timer *t)
{
	return t->slot != 0;
}
/* Milliseconds left before t fires, 0 when not armed. */
uint64_t loop_timer_left(const struct loop *l, const struct loop_timer *t);

/* Queues a task (once; queuing a queued task does nothing). */
void loop_task_queue(struct loop *l, struct loop_task *t);
void loop_task_cancel(struct loop *l, struct loop_task *t);
/* Milliseconds a slice of tasks may last (default 10). */
void loop_set_slice(struct loop *l, unsigned ms);

/* One round: waits up to max_wait_ms for events (less when timers or tasks
 * are due), dispatches them, fires due timers, runs a slice of tasks. */
void loop_run_once(struct loop *l, int max_wait_ms);
/* Rounds until loop_stop. */
void loop_run(struct loop *l);
void loop_stop(struct loop *l);

#endif

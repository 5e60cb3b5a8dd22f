/* loop.c: epoll, a timer heap and a task queue. */
#include "loop.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

struct loop {
	int epfd;
	uint64_t now;
	bool stop;
	unsigned slice_ms;
	/* Timer heap, 1-based: heap[1] is the earliest. */
	struct loop_timer **heap;
	size_t n, cap;
	struct loop_task *tasks, *tasks_tail;
};

uint64_t loop_clock_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct loop *loop_new(void)
{
	struct loop *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return NULL;
	}
	l->now = loop_clock_ms();
	l->slice_ms = 10;
	return l;
}

void loop_free(struct loop *l)
{
	if (!l)
		return;
	close(l->epfd);
	free(l->heap);
	free(l);
}

uint64_t loop_now(const struct loop *l)
{
	return l->now;
}

bool loop_fd_add(struct loop *l, struct loop_fd *f)
{
	struct epoll_event ev = { .events = f->events, .data.ptr = f };
	return epoll_ctl(l->epfd, EPOLL_CTL_ADD, f->fd, &ev) == 0;
}

bool loop_fd_mod(struct loop *l, struct loop_fd *f, uint32_t events)
{
	if (f->events == events)
		return true;
	f->events = events;
	struct epoll_event ev = { .events = events, .data.ptr = f };
	return epoll_ctl(l->epfd, EPOLL_CTL_MOD, f->fd, &ev) == 0;
}

void loop_fd_del(struct loop *l, struct loop_fd *f)
{
	if (f->fd >= 0)
		epoll_ctl(l->epfd, EPOLL_CTL_DEL, f->fd, NULL);
}

/* Heap */

static void heap_place(struct loop *l, size_t i, struct loop_timer *t)
{
	l->heap[i] = t;
	t->slot = i;
}

static void heap_up(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];
	while (i > 1 && l->heap[i / 2]->at > t->at) {
		heap_place(l, i, l->heap[i / 2]);
		i /= 2;
	}
	heap_place(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
	struct loop_timer *t = l->heap[i];
	for (;;) {
		size_t c = 2 * i;
		if (c > l->n)
			break;
		if (c + 1 <= l->n && l->heap[c + 1]->at < l->heap[c]->at)
			c++;
		if (l->heap[c]->at >= t->at)
			break;
		heap_place(l, i, l->heap[c]);
		i = c;
	}
	heap_place(l, i, t);
}

void loop_timer_stop(struct loop *l, struct loop_timer *t)
{
	size_t i = t->slot;
	if (!i)
		return;
	t->slot = 0;
	struct loop_timer *last = l->heap[l->n--];
	if (i > l->n)
		return;
	heap_place(l, i, last);
	heap_up(l, i);
	heap_down(l, last->slot);
}

void loop_timer_set(struct loop *l, struct loop_timer *t, uint64_t after_ms)
{
	loop_timer_stop(l, t);
	if (l->n + 1 >= l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct loop_timer **h = realloc(l->heap, cap * sizeof(*h));
		if (!h)
			abort(); /* a timer that cannot be armed breaks every session */
		l->heap = h;
		l->cap = cap;
	}
	t->at = l->now + after_ms;
	l->n++;
	heap_place(l, l->n, t);
	heap_up(l, l->n);
}

uint64_t loop_timer_left(const struct loop *l, const struct loop_timer *t)
{
	if (!t->slot)
		return 0;
	return t->at > l->now ? t->at - l->now : 0;
}

static void fire_timers(struct loop *l)
{
	while (l->n && l->heap[1]->at <= l->now) {
		struct loop_timer *t = l->heap[1];
		loop_timer_stop(l, t);
		t->cb(t);
	}
}

/* Tasks */

void loop_task_queue(struct loop *l, struct loop_task *t)
{
	if (t->queued)
		return;
	t->queued = true;
	t->next = NULL;
	if (l->tasks_tail)
		l->tasks_tail->next = t;
	else
		l->tasks = t;
	l->tasks_tail = t;
}

void loop_task_cancel(struct loop *l, struct loop_task *t)
{
	if (!t->queued)
		return;
	struct loop_task **pp = &l->tasks, *prev = NULL;
	while (*pp && *pp != t) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (*pp) {
		*pp = t->next;
		if (l->tasks_tail == t)
			l->tasks_tail = prev;
	}
	t->queued = false;
	t->next = NULL;
}

void loop_set_slice(struct loop *l, unsigned ms)
{
	l->slice_ms = ms ? ms : 1;
}

/* Runs queued tasks round robin until the slice is used up. */
static void run_tasks(struct loop *l)
{
	uint64_t end = loop_clock_ms() + l->slice_ms;
	while (l->tasks) {
		struct loop_task *t = l->tasks;
		l->tasks = t->next;
		if (!l->tasks)
			l->tasks_tail = NULL;
		t->queued = false;
		t->next = NULL;
		if (t->run(t))
			loop_task_queue(l, t);
		if (loop_clock_ms() >= end)
			break;
	}
}

void loop_run_once(struct loop *l, int max_wait_ms)
{
	int wait = max_wait_ms;
	l->now = loop_clock_ms();
	if (l->tasks) {
		wait = 0;
	} else if (l->n) {
		uint64_t due = l->heap[1]->at > l->now ? l->heap[1]->at - l->now : 0;
		if (wait < 0 || due < (uint64_t)wait)
			wait = (int)due;
	}
	struct epoll_event evs[64];
	int n = epoll_wait(l->epfd, evs, 64, wait);
	l->now = loop_clock_ms();
	for (int i = 0; i < n; i++) {
		struct loop_fd *f = evs[i].data.ptr;
		f->cb(f, evs[i].events);
	}
	l->now = loop_clock_ms();
	fire_timers(l);
	run_tasks(l);
}

void loop_run(struct loop *l)
{
	l->stop = false;
	while (!l->stop)
		loop_run_once(l, -1);
}

void loop_stop(struct loop *l)
{
	l->stop = true;
}

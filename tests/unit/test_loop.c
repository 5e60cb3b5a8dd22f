/* test_loop.c: the event loop: timers fire in deadline order and only once,
 * stopping and re-arming work, tasks run in slices round robin while timers
 * and file descriptors still get their turn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/epoll.h>
#include <unistd.h>

#include "lib/loop.h"

struct rec {
	char order[32];
	int n;
};

struct named_timer {
	struct loop_timer t;
	char name;
	struct rec *rec;
};

static void named_fired(struct loop_timer *t)
{
	struct named_timer *nt = (struct named_timer *)t;
	nt->rec->order[nt->rec->n++] = nt->name;
}

static void run_until(struct loop *l, struct rec *r, int want, int max_rounds)
{
	for (int i = 0; i < max_rounds && r->n < want; i++)
		loop_run_once(l, 50);
}

static void test_timer_order(void **state)
{
	(void)state;
	struct loop *l = loop_new();
	assert_non_null(l);
	struct rec r = { 0 };
	/* Deadlines 30, 10, 20, 0 ms: they fire as 0, 10, 20, 30. */
	struct named_timer t[4] = {
		{ .t = { .cb = named_fired }, .name = 'd', .rec = &r },
		{ .t = { .cb = named_fired }, .name = 'a', .rec = &r },
		{ .t = { .cb = named_fired }, .name = 'b', .rec = &r },
		{ .t = { .cb = named_fired }, .name = 'z', .rec = &r },
	};
	loop_timer_set(l, &t[0].t, 30);
	loop_timer_set(l, &t[1].t, 10);
	loop_timer_set(l, &t[2].t, 20);
	loop_timer_set(l, &t[3].t, 0);
	assert_true(loop_timer_armed(&t[0].t));
	run_until(l, &r, 4, 100);
	r.order[r.n] = '\0';
	assert_string_equal(r.order, "zabd");
	for (int i = 0; i < 4; i++)
		assert_false(loop_timer_armed(&t[i].t));
	/* Nothing fires twice. */
	loop_run_once(l, 40);
	assert_int_equal(r.n, 4);
	loop_free(l);
}

static void test_timer_stop_and_rearm(void **state)
{
	(void)state;
	struct loop *l = loop_new();
	struct rec r = { 0 };
	struct named_timer a = { .t = { .cb = named_fired }, .name = 'a', .rec = &r };
	struct named_timer b = { .t = { .cb = named_fired }, .name = 'b', .rec = &r };
	struct named_timer c = { .t = { .cb = named_fired }, .name = 'c', .rec = &r };
	loop_timer_set(l, &a.t, 5);
	loop_timer_set(l, &b.t, 10);
	loop_timer_set(l, &c.t, 15);
	loop_timer_stop(l, &b.t);      /* stopped: never fires */
	loop_timer_stop(l, &b.t);      /* stopping twice is harmless */
	loop_timer_set(l, &a.t, 25);   /* re-armed later: fires after c */
	assert_true(loop_timer_left(l, &a.t) > 15);
	assert_int_equal(loop_timer_left(l, &b.t), 0);
	run_until(l, &r, 2, 100);
	loop_run_once(l, 20);
	r.order[r.n] = '\0';
	assert_string_equal(r.order, "ca");
	loop_free(l);
}

/* Many timers in a random order still come out sorted by deadline, and
 * the stopped ones never fire. */
struct heap_rec {
	uint64_t last;
	int fired;
	bool sorted;
};

static void heap_fired(struct loop_timer *t)
{
	struct heap_rec *h = t->ctx;
	if (t->at < h->last)
		h->sorted = false;
	h->last = t->at;
	h->fired++;
}

static void test_timer_heap_many(void **state)
{
	(void)state;
	enum { N = 200 };
	struct loop *l = loop_new();
	static struct loop_timer t[N];
	struct heap_rec h = { .sorted = true };
	uint64_t x = 88172645463325252ull;
	for (int i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		t[i] = (struct loop_timer){ .cb = heap_fired, .ctx = &h };
		loop_timer_set(l, &t[i], x % 40);
	}
	int stopped = 0;
	for (int i = 0; i < N; i += 3, stopped++)
		loop_timer_stop(l, &t[i]);
	for (int round = 0; round < 200 && h.fired < N - stopped; round++)
		loop_run_once(l, 10);
	assert_int_equal(h.fired, N - stopped);
	assert_true(h.sorted);
	for (int i = 0; i < N; i++)
		assert_false(loop_timer_armed(&t[i]));
	loop_free(l);
}

struct task_ctx {
	int runs_left;
	char name;
	char *log;
	int *n;
};

static bool task_run(struct loop_task *t)
{
	struct task_ctx *c = t->ctx;
	c->log[(*c->n)++] = c->name;
	return --c->runs_left > 0;
}

static void test_tasks_round_robin(void **state)
{
	(void)state;
	struct loop *l = loop_new();
	char log[32] = { 0 };
	int n = 0;
	struct task_ctx ca = { 3, 'a', log, &n }, cb = { 2, 'b', log, &n };
	struct loop_task a = { .run = task_run, .ctx = &ca }, b = { .run = task_run, .ctx = &cb };
	loop_task_queue(l, &a);
	loop_task_queue(l, &a); /* queuing twice runs it once per turn */
	loop_task_queue(l, &b);
	for (int i = 0; i < 10 && (a.queued || b.queued); i++)
		loop_run_once(l, 0);
	assert_string_equal(log, "ababa");
	/* A cancelled task does not run. */
	ca.runs_left = 5;
	loop_task_queue(l, &a);
	loop_task_cancel(l, &a);
	loop_run_once(l, 0);
	assert_int_equal(n, 5);
	loop_free(l);
}

/* A task that always has more to do does not keep a due timer or a readable
 * descriptor waiting: both are served within a few rounds. */
struct busy {
	int slices;
};

static bool busy_run(struct loop_task *t)
{
	struct busy *b = t->ctx;
	b->slices++;
	uint64_t end = loop_clock_ms() + 2;
	while (loop_clock_ms() < end)
		;
	return true;
}

struct fd_ctx {
	int reads;
};

static void on_readable(struct loop_fd *f, uint32_t events)
{
	struct fd_ctx *c = f->ctx;
	char buf[16];
	(void)events;
	if (read(f->fd, buf, sizeof(buf)) > 0)
		c->reads++;
}

static void test_tasks_do_not_starve_timers_and_fds(void **state)
{
	(void)state;
	struct loop *l = loop_new();
	loop_set_slice(l, 5);
	struct busy busy = { 0 };
	struct loop_task t = { .run = busy_run, .ctx = &busy };
	loop_task_queue(l, &t);
	struct rec r = { 0 };
	struct named_timer tm = { .t = { .cb = named_fired }, .name = 't', .rec = &r };
	loop_timer_set(l, &tm.t, 20);
	int p[2];
	assert_int_equal(pipe(p), 0);
	struct fd_ctx fc = { 0 };
	struct loop_fd f = { .fd = p[0], .events = EPOLLIN, .cb = on_readable, .ctx = &fc };
	assert_true(loop_fd_add(l, &f));
	assert_int_equal(write(p[1], "x", 1), 1);
	int rounds = 0;
	while ((r.n == 0 || fc.reads == 0) && rounds < 50) {
		loop_run_once(l, 100);
		rounds++;
	}
	assert_int_equal(r.n, 1);
	assert_int_equal(fc.reads, 1);
	assert_true(busy.slices > 0);
	loop_fd_del(l, &f);
	close(p[0]);
	close(p[1]);
	loop_task_cancel(l, &t);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timer_order),
		cmocka_unit_test(test_timer_stop_and_rearm),
		cmocka_unit_test(test_timer_heap_many),
		cmocka_unit_test(test_tasks_round_robin),
		cmocka_unit_test(test_tasks_do_not_starve_timers_and_fds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

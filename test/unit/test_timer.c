/*
 * test_timer.c - the shared timer layer (timer/timer.c, timer_proc.c).
 *
 * Most tests drive the layer in one process, in virtual time: they arm with
 * absolute deadlines (timer_arm_at) relative to a base read once, and call
 * timer_run(now) / timer_slow_run() themselves, so results do not depend on
 * scheduling.  The last tests are about processes and fork the real timer
 * and timer slow processes; they check behaviour with wide time bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/errors.h"
#include "core/proc.h"
#include "shm/lock.h"
#include "shm/shm.h"
#include "timer/timer.h"
#include "timer/timer_priv.h"

struct obj {
	struct timer_link tl;
	int fired;                   /* handler runs */
	uint64_t now_seen;           /* now_ms of the last run */
	enum timer_state state_seen; /* timer_state(self) inside the handler */
	int rc_seen;    /* result of an action inside the handler */
	int rearm_left; /* periodic: re-arms still to do */
	uint64_t period;
	struct obj *victim; /* disarmed by the handler */
	int order;          /* global firing order */
	volatile int done;  /* set last, for the process tests */
	pid_t pid_seen;     /* process that ran the handler */
};

static int fire_order;
static uint64_t base;

/* processes forked by a test, killed by teardown if a test failed */
static pid_t kids[8];

static void kid_add(pid_t pid)
{
	unsigned i;

	for (i = 0; kids[i] != 0; i++)
		;
	kids[i] = pid;
}

static void kid_del(pid_t pid)
{
	unsigned i;

	for (i = 0; kids[i] != pid; i++)
		;
	kids[i] = 0;
}

static struct obj *obj_of(struct timer_link *tl)
{
	return container_of(tl, struct obj, tl);
}

static void h_count(struct timer_link *tl, uint64_t now)
{
	struct obj *o = obj_of(tl);

	o->fired++;
	o->now_seen = now;
	o->state_seen = timer_state(tl);
	o->order = ++fire_order;
	o->pid_seen = getpid();
	__atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
}

static int setup(void **state)
{
	proc_pid = getpid();
	if (shm_init(8 << 20) != SV_OK || timer_init() != SV_OK)
		return -1;
	base = timer_now_ms() + 10;
	fire_order = 0;
	return 0;
}

static int teardown(void **state)
{
	unsigned i;

	for (i = 0; i < sizeof(kids) / sizeof(kids[0]); i++) {
		if (kids[i] > 0) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], NULL, 0);
			kids[i] = 0;
		}
	}
	timer_destroy();
	shm_destroy();
	return 0;
}

static void obj_init(struct obj *o, timer_handler_f h, unsigned flags)
{
	*o = (struct obj){.fired = 0};
	timer_link_init(&o->tl, h, flags);
}

/* Init twice is refused; out of shm is an error, not a crash. */
static void test_init_errors(void **state)
{
	assert_int_equal(timer_init(), SV_EEXIST);
	timer_destroy();
	shm_fail_after(0);
	assert_int_equal(timer_init(), SV_ENOMEM);
	shm_fail_after(-1);
	assert_int_equal(timer_init(), SV_OK);
}

/* Arm, nothing before the deadline, exactly one run at it. */
static void test_arm_fire(void **state)
{
	struct obj o;
	struct timer_stats st;

	obj_init(&o, h_count, 0);
	assert_int_equal(timer_state(&o.tl), TIMER_IDLE);
	assert_int_equal(timer_arm_at(&o.tl, base + 10), SV_OK);
	assert_int_equal(timer_state(&o.tl), TIMER_ARMED);
	assert_true(timer_run(base + 9) == base + 10);
	assert_int_equal(o.fired, 0);
	assert_true(timer_run(base + 10) == WHEEL_NEVER);
	assert_int_equal(o.fired, 1);
	assert_true(o.now_seen == base + 10);
	assert_int_equal(o.state_seen, TIMER_FIRING);
	assert_int_equal(timer_state(&o.tl), TIMER_IDLE);
	timer_run(base + 5000);
	assert_int_equal(o.fired, 1);
	timer_get_stats(&st);
	assert_int_equal(st.fired, 1);
	assert_int_equal(st.armed, 0);
}

/* Relative arming: never before delay_ms, at most a ms rounding after. */
static void test_arm_relative(void **state)
{
	struct obj o;
	uint64_t before = timer_now_ms(), after;

	obj_init(&o, h_count, 0);
	assert_int_equal(timer_arm(&o.tl, 50), SV_OK);
	after = timer_now_ms();
	assert_true(timer_expires(&o.tl) >= before + 50);
	assert_true(timer_expires(&o.tl) <= after + 51);
	timer_run(timer_expires(&o.tl) - 1);
	assert_int_equal(o.fired, 0);
	timer_run(timer_expires(&o.tl));
	assert_int_equal(o.fired, 1);
}

/* A link without a handler is refused. */
static void test_arm_no_handler(void **state)
{
	struct obj o;

	obj_init(&o, NULL, 0);
	assert_int_equal(timer_arm(&o.tl, 5), SV_EINVAL);
	assert_int_equal(timer_state(&o.tl), TIMER_IDLE);
}

/* Re-arming moves the deadline; it fires once, at the new one. */
static void test_rearm_moves(void **state)
{
	struct obj o;

	obj_init(&o, h_count, 0);
	timer_arm_at(&o.tl, base + 100);
	timer_arm_at(&o.tl, base + 20);
	timer_run(base + 20);
	assert_int_equal(o.fired, 1);
	timer_arm_at(&o.tl, base + 300);
	timer_arm_at(&o.tl, base + 30000); /* later, another level */
	timer_run(base + 29999);
	assert_int_equal(o.fired, 1);
	timer_run(base + 30000);
	assert_int_equal(o.fired, 2);
	assert_true(o.now_seen == base + 30000);
}

/* Disarm: SV_OK when armed, SV_ENOTFOUND otherwise; it never fires. */
static void test_disarm(void **state)
{
	struct obj o;
	struct timer_stats st;

	obj_init(&o, h_count, 0);
	assert_int_equal(timer_disarm(&o.tl), SV_ENOTFOUND);
	timer_arm_at(&o.tl, base + 5);
	assert_int_equal(timer_disarm(&o.tl), SV_OK);
	assert_int_equal(timer_disarm(&o.tl), SV_ENOTFOUND);
	assert_int_equal(timer_state(&o.tl), TIMER_IDLE);
	timer_run(base + 100);
	assert_int_equal(o.fired, 0);
	timer_get_stats(&st);
	assert_int_equal(st.armed, 0);
	/* after firing and finishing: not armed again */
	timer_arm_at(&o.tl, base + 200);
	timer_run(base + 200);
	assert_int_equal(timer_disarm(&o.tl), SV_ENOTFOUND);
}

static void h_disarm_victim(struct timer_link *tl, uint64_t now)
{
	struct obj *o = obj_of(tl);

	h_count(tl, now);
	o->rc_seen = timer_disarm(&o->victim->tl);
}

/* A link already due (on the due list) can still be disarmed. */
static void test_disarm_while_due(void **state)
{
	struct obj a, b;

	obj_init(&a, h_disarm_victim, 0);
	obj_init(&b, h_count, 0);
	a.victim = &b;
	timer_arm_at(&a.tl, base + 7); /* same ms: a runs first */
	timer_arm_at(&b.tl, base + 7);
	timer_run(base + 7);
	assert_int_equal(a.fired, 1);
	assert_int_equal(a.rc_seen, SV_OK);
	assert_int_equal(b.fired, 0);
	assert_int_equal(timer_state(&b.tl), TIMER_IDLE);
}

static void h_self_disarm(struct timer_link *tl, uint64_t now)
{
	struct obj *o = obj_of(tl);

	h_count(tl, now);
	o->rc_seen = timer_disarm(tl);
}

/* Disarming a running handler's link answers SV_EBUSY. */
static void test_ebusy_while_firing(void **state)
{
	struct obj o;

	obj_init(&o, h_self_disarm, 0);
	timer_arm_at(&o.tl, base + 3);
	timer_run(base + 3);
	assert_int_equal(o.fired, 1);
	assert_int_equal(o.state_seen, TIMER_FIRING);
	assert_int_equal(o.rc_seen, SV_EBUSY);
	assert_int_equal(timer_disarm(&o.tl), SV_ENOTFOUND);
	assert_int_equal(timer_state(&o.tl), TIMER_IDLE);
}

static void h_periodic(struct timer_link *tl, uint64_t now)
{
	struct obj *o = obj_of(tl);

	h_count(tl, now);
	if (o->rearm_left-- > 0) {
		/* drift-free: next deadline from the previous one */
		timer_arm_at(tl, timer_expires(tl) + o->period);
		o->state_seen = timer_state(tl);
	}
}

/* A handler re-arms itself; deadlines stay on the period grid. */
static void test_handler_rearms_self(void **state)
{
	struct obj o;
	uint64_t t;

	obj_init(&o, h_periodic, 0);
	o.rearm_left = 4;
	o.period = 300;
	timer_arm_at(&o.tl, base + 300);
	/* run late each time: deadlines still on the 300 ms grid */
	for (t = base + 310; t <= base + 1600; t += 300)
		timer_run(t);
	assert_int_equal(o.fired, 5);
	assert_true(timer_expires(&o.tl) == base + 1500);
	assert_int_equal(timer_state(&o.tl), TIMER_IDLE);
	/* inside the handler, after re-arming: armed */
	o.rearm_left = 1;
	timer_arm_at(&o.tl, base + 2000);
	timer_run(base + 2000);
	assert_int_equal(o.state_seen, TIMER_ARMED);
	assert_int_equal(timer_state(&o.tl), TIMER_ARMED);
	assert_int_equal(timer_disarm(&o.tl), SV_OK);
}

static void h_rearm_then_disarm(struct timer_link *tl, uint64_t now)
{
	struct obj *o = obj_of(tl);

	h_count(tl, now);
	timer_arm(tl, 10);
	o->rc_seen = timer_disarm(tl); /* cancels the re-arm, still busy */
}

/* Disarm during the run cancels a re-arm made by the handler. */
static void test_disarm_cancels_rearm(void **state)
{
	struct obj o;

	obj_init(&o, h_rearm_then_disarm, 0);
	timer_arm_at(&o.tl, base + 1);
	timer_run(base + 1);
	assert_int_equal(o.rc_seen, SV_EBUSY);
	assert_int_equal(timer_state(&o.tl), TIMER_IDLE);
	timer_run(base + 100000);
	assert_int_equal(o.fired, 1);
}

static void h_free_self(struct timer_link *tl, uint64_t now)
{
	free(obj_of(tl));
}

/* A handler may free its own object (ASan checks nobody touches it). */
static void test_handler_frees_object(void **state)
{
	struct obj *o = malloc(sizeof(*o));
	struct obj *p = malloc(sizeof(*p));

	assert_non_null(o);
	assert_non_null(p);
	obj_init(o, h_free_self, 0);
	obj_init(p, h_free_self, TIMER_SLOW);
	timer_arm_at(&o->tl, base + 2);
	timer_arm_at(&p->tl, base + 2);
	timer_run(base + 2);
	assert_int_equal(timer_slow_run(10), 1);
}

/* Deadlines in the past fire at the next pass; many, in deadline order. */
static void test_order_and_past(void **state)
{
	enum { N = 500 };
	struct obj *o = calloc(N, sizeof(*o));
	uint64_t seed = 12345, t;
	int i, j;

	assert_non_null(o);
	for (i = 0; i < N; i++) {
		obj_init(&o[i], h_count, 0);
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		timer_arm_at(&o[i].tl, base + (seed >> 33) % 20000);
	}
	for (t = base; t <= base + 20000; t += 97)
		timer_run(t);
	for (i = 0; i < N; i++) {
		assert_int_equal(o[i].fired, 1);
		assert_true(o[i].now_seen >= timer_expires(&o[i].tl));
		assert_true(o[i].now_seen - timer_expires(&o[i].tl) < 97);
		for (j = 0; j < i; j++) /* earlier deadline, earlier run */
			if (timer_expires(&o[j].tl) < timer_expires(&o[i].tl))
				assert_true(o[j].order < o[i].order);
	}
	/* a deadline already past: due at the next pass, kept as given */
	obj_init(&o[0], h_count, 0);
	timer_arm_at(&o[0].tl, base + 100);
	timer_run(t);
	assert_int_equal(o[0].fired, 1);
	assert_true(o[0].now_seen == t);
	assert_true(timer_expires(&o[0].tl) == base + 100);
	free(o);
}

/* TIMER_SLOW: queued by the timer pass, run by the slow runner. */
static void test_slow_queue(void **state)
{
	struct obj fast, slow, slow2, gone;
	struct timer_stats st;

	obj_init(&fast, h_count, 0);
	obj_init(&slow, h_count, TIMER_SLOW);
	obj_init(&slow2, h_count, TIMER_SLOW);
	obj_init(&gone, h_count, TIMER_SLOW);
	timer_arm_at(&slow.tl, base + 5);
	timer_arm_at(&gone.tl, base + 5);
	timer_arm_at(&slow2.tl, base + 6);
	timer_arm_at(&fast.tl, base + 6);
	timer_run(base + 6);
	assert_int_equal(fast.fired, 1);
	assert_int_equal(slow.fired, 0);
	assert_int_equal(timer_state(&slow.tl), TIMER_ARMED);
	timer_get_stats(&st);
	assert_int_equal(st.slow_queue, 3);
	assert_int_equal(st.armed, 3);
	/* queued but not started: disarm wins */
	assert_int_equal(timer_disarm(&gone.tl), SV_OK);
	assert_int_equal(timer_slow_run(1), 1);
	assert_int_equal(slow.fired, 1);
	assert_int_equal(slow.state_seen, TIMER_FIRING);
	assert_int_equal(timer_slow_run(10), 1);
	assert_int_equal(slow2.fired, 1);
	assert_true(slow.order < slow2.order);
	assert_int_equal(gone.fired, 0);
	assert_int_equal(timer_slow_run(10), 0);
	timer_get_stats(&st);
	assert_int_equal(st.slow_queue, 0);
	assert_int_equal(st.armed, 0);
	assert_int_equal(st.fired, 1);
	assert_int_equal(st.fired_slow, 2);
	/* re-armed while queued: back in the wheel, off the queue */
	timer_arm_at(&slow.tl, base + 50);
	timer_run(base + 50);
	timer_arm_at(&slow.tl, base + 60);
	timer_get_stats(&st);
	assert_int_equal(st.slow_queue, 0);
	timer_run(base + 60);
	assert_int_equal(timer_slow_run(10), 1);
	assert_int_equal(slow.fired, 2);
}

/* ---------------------------------------------------- process tests -- */

static void on_term(int sig)
{
	proc_stop = 1;
}

/* Forks a process running body (a timer process), signals installed. */
static pid_t start_proc(void (*body)(int, void *))
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sigaction sa = {.sa_handler = on_term};

		sigemptyset(&sa.sa_mask);
		sigaction(SIGTERM, &sa, NULL); /* no SA_RESTART */
		proc_pid = getpid();
		body(1, NULL);
		_exit(0);
	}
	assert_true(pid > 0);
	kid_add(pid);
	return pid;
}

/* Stops a process started by start_proc(); asserts a clean exit. */
static void stop_proc(pid_t pid)
{
	int status, i;

	kid_del(pid);
	kill(pid, SIGTERM);
	timer_wake_all();
	for (i = 0; i < 300; i++) { /* 3 s */
		if (waitpid(pid, &status, WNOHANG) == pid) {
			assert_true(WIFEXITED(status));
			assert_int_equal(WEXITSTATUS(status), 0);
			return;
		}
		usleep(10000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	fail_msg("timer process %d did not stop", (int)pid);
}

/* Waits (up to 3 s) for o->done; returns 1 when set. */
static int wait_done(struct obj *o)
{
	int i;

	for (i = 0; i < 3000; i++) {
		if (__atomic_load_n(&o->done, __ATOMIC_ACQUIRE))
			return 1;
		usleep(1000);
	}
	return 0;
}

/* The timer process sleeps idle; an arm wakes it; it fires on time. */
static void test_process_fires_and_wakes(void **state)
{
	struct obj *o = shm_calloc(sizeof(*o));
	pid_t pid;
	uint64_t t0;

	assert_non_null(o);
	obj_init(o, h_count, 0);
	pid = start_proc(timer_main);
	usleep(50000); /* let it go to sleep with nothing armed */
	t0 = timer_now_ms();
	timer_arm(&o->tl, 30);
	assert_true(wait_done(o));
	assert_int_equal(o->fired, 1);
	assert_true(o->pid_seen == pid);
	/* not early; woken well before its 1 s idle sleep ended */
	assert_true(o->now_seen >= t0 + 30);
	assert_true(o->now_seen < t0 + 500);
	stop_proc(pid);
	shm_free(o);
}

static void h_slow_sleeper(struct timer_link *tl, uint64_t now)
{
	uint64_t started = timer_now_ms();

	usleep(400000);
	h_count(tl, now);
	obj_of(tl)->now_seen = started;
}

/*
 * A long TIMER_SLOW handler runs in the slow process; a fast timer due
 * meanwhile is not held up by it.
 */
static void test_process_slow_handoff(void **state)
{
	struct obj *slow = shm_calloc(sizeof(*slow));
	struct obj *fast = shm_calloc(sizeof(*fast));
	pid_t tp, sp;
	uint64_t t0;

	assert_non_null(slow);
	assert_non_null(fast);
	obj_init(slow, h_slow_sleeper, TIMER_SLOW);
	obj_init(fast, h_count, 0);
	tp = start_proc(timer_main);
	sp = start_proc(timer_slow_main);
	t0 = timer_now_ms();
	timer_arm(&slow->tl, 10);
	timer_arm(&fast->tl, 100); /* due while the slow one still sleeps */
	assert_true(wait_done(fast));
	assert_false(__atomic_load_n(&slow->done, __ATOMIC_ACQUIRE));
	assert_true(fast->pid_seen == tp);
	assert_true(fast->now_seen < t0 + 300);
	assert_true(wait_done(slow));
	assert_true(slow->pid_seen == sp);
	/* the slow process was woken for it, not at its idle timeout */
	assert_true(slow->now_seen >= t0 + 10);
	assert_true(slow->now_seen < t0 + 300);
	stop_proc(tp);
	stop_proc(sp);
	shm_free(slow);
	shm_free(fast);
}

static void h_stress(struct timer_link *tl, uint64_t now)
{
	struct obj *o = obj_of(tl);

	__atomic_fetch_add(&o->fired, 1, __ATOMIC_RELAXED);
	if ((now + (uint64_t)o->period) % 4 == 0)
		timer_arm(tl, 1); /* re-arm from the handler, racing workers */
}

/* A worker: random arm / re-arm / disarm for ms milliseconds. */
static void stress_worker(struct obj *o, int n, unsigned seed, uint64_t ms)
{
	uint64_t end = timer_now_ms() + ms;
	int rc;

	proc_pid = getpid();
	while (timer_now_ms() < end) {
		struct obj *x = &o[rand_r(&seed) % (unsigned)n];

		switch (rand_r(&seed) % 4) {
		case 0:
		case 1:
			timer_arm(&x->tl, rand_r(&seed) % 4);
			break;
		case 2:
			rc = timer_disarm(&x->tl);
			if (rc != SV_OK && rc != SV_ENOTFOUND && rc != SV_EBUSY)
				_exit(2);
			break;
		default:
			timer_arm_at(&x->tl, timer_now_ms() - 5); /* past */
		}
	}
	_exit(0);
}

/*
 * Two workers arm and disarm 64 shared links at random while the real
 * timer and slow processes fire them: afterwards nothing is lost or
 * corrupted (counts agree, lists are empty once everything is disarmed).
 */
static void test_process_stress(void **state)
{
	enum { N = 64, WORKERS = 2 };
	struct obj *o = shm_calloc(N * sizeof(*o));
	pid_t tp, sp, w[WORKERS];
	long fired = 0;
	int i, status;

	assert_non_null(o);
	for (i = 0; i < N; i++) {
		obj_init(&o[i], h_stress, i % 8 == 0 ? TIMER_SLOW : 0);
		o[i].period = i;
	}
	tp = start_proc(timer_main);
	sp = start_proc(timer_slow_main);
	for (i = 0; i < WORKERS; i++) {
		w[i] = fork();
		if (w[i] == 0)
			stress_worker(o, N, 1234u + (unsigned)i, 300);
		assert_true(w[i] > 0);
		kid_add(w[i]);
	}
	for (i = 0; i < WORKERS; i++) {
		assert_true(waitpid(w[i], &status, 0) == w[i]);
		kid_del(w[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	usleep(50000); /* let the last armed ones fire */
	stop_proc(tp);
	stop_proc(sp);
	for (i = 0; i < N; i++) {
		timer_disarm(&o[i].tl);
		assert_int_equal(timer_state(&o[i].tl), TIMER_IDLE);
		fired += o[i].fired;
	}
	assert_true(fired > 100);
	assert_int_equal(wheel_count(&timer_sh->wheel), 0);
	assert_true(wheel_list_empty(&timer_sh->due));
	assert_true(wheel_list_empty(&timer_sh->slowq));
	assert_true(timer_sh->running[TIMER_RUNNER_FAST] == NULL);
	assert_true(timer_sh->running[TIMER_RUNNER_SLOW] == NULL);
	assert_int_equal(timer_sh->st.armed, 0);
	assert_int_equal(timer_sh->slow_len, 0);
	assert_true(wheel_next_expiry(&timer_sh->wheel) == WHEEL_NEVER);
	shm_free(o);
}

/* Every test gets fresh shm and timer state. */
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	/* one test per line */
	/* clang-format off */
	const struct CMUnitTest tests[] = {
		T(test_init_errors),
		T(test_arm_fire),
		T(test_arm_relative),
		T(test_arm_no_handler),
		T(test_rearm_moves),
		T(test_disarm),
		T(test_disarm_while_due),
		T(test_ebusy_while_firing),
		T(test_handler_rearms_self),
		T(test_disarm_cancels_rearm),
		T(test_handler_frees_object),
		T(test_order_and_past),
		T(test_slow_queue),
		T(test_process_fires_and_wakes),
		T(test_process_slow_handoff),
		T(test_process_stress),
	};
	/* clang-format on */

	return cmocka_run_group_tests(tests, NULL, NULL);
}

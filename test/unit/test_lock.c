/*
 * test_lock.c - the futex lock (shm/lock.h) across real processes.
 *
 * The lock exists to serialise processes, so these tests fork: several
 * children increment a plain (non-atomic) counter under the lock and the
 * total must be exact; a child blocked in lock_get() must get the lock when
 * the holder releases it, or when the master breaks the lock of a holder
 * that died.  Children report through their exit status; the parent waits
 * for them with a deadline (WAIT_MS) and kills them when it passes, so a
 * broken lock fails the test instead of hanging it.  Waiting for "the child
 * is asleep on the lock" is done by polling the waiters bit, which the
 * child sets just before FUTEX_WAIT, never by sleeping a fixed time.
 * Children die with the test process (PR_SET_PDEATHSIG).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "shm/lock.h"
#include "shm/shm.h"

#define NPROC 4
#define ITERATIONS 200000
#define WAIT_MS 5000

struct shared {
	lock_t lock;
	volatile int ready;  /* children waiting at the start line */
	volatile int go;     /* set by the parent once all are ready */
	volatile long counter;
	volatile int flag;
	volatile long per_lock[16];
};

static struct shared *sh;

static int setup(void **state)
{
	(void)state;
	proc_pid = getpid();
	if (shm_init(1 << 20) != SV_OK)
		return -1;
	sh = shm_calloc(sizeof(*sh));
	if (sh == NULL)
		return -1;
	lock_init(&sh->lock);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	shm_free(sh);
	shm_destroy();
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/*
 * Waits up to WAIT_MS for pid; returns its exit status, or -1 when it did
 * not exit normally in time (it is then killed and reaped).
 */
static int wait_child(pid_t pid)
{
	int st, ms;

	for (ms = 0; ms < WAIT_MS; ms++) {
		pid_t r = waitpid(pid, &st, WNOHANG);

		if (r == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		if (r < 0)
			return -1;
		sleep_ms(1);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	return -1;
}

/* Waits up to WAIT_MS for the waiters bit of l; returns 1 when seen. */
static int wait_for_sleeper(const lock_t *l)
{
	int ms;

	for (ms = 0; ms < WAIT_MS; ms++) {
		if (__atomic_load_n(&l->word, __ATOMIC_ACQUIRE) & LOCK_WAITERS)
			return 1;
		sleep_ms(1);
	}
	return 0;
}

/*
 * Forks a child that runs fn() with proc_pid set and exits with its result.
 * The child is killed if the test process dies, so a test killed from
 * outside leaves no process behind.
 */
static pid_t spawn(int (*fn)(void))
{
	pid_t parent = getpid(), pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(3);
		proc_pid = getpid();
		_exit(fn());
	}
	return pid;
}

/* ---------------------------------------------------------- contention -- */

/* Holds a child until every child of the test is forked. */
static void start_line(void)
{
	__atomic_fetch_add(&sh->ready, 1, __ATOMIC_ACQ_REL);
	while (!__atomic_load_n(&sh->go, __ATOMIC_ACQUIRE))
		sched_yield();
}

/* Lets n children waiting at start_line() run at the same moment. */
static void release_start_line(int n)
{
	while (__atomic_load_n(&sh->ready, __ATOMIC_ACQUIRE) < n)
		sleep_ms(1);
	__atomic_store_n(&sh->go, 1, __ATOMIC_RELEASE);
}

static int incrementer(void)
{
	long i, v;

	start_line();
	for (i = 0; i < ITERATIONS; i++) {
		lock_get(&sh->lock);
		v = sh->counter;  /* a read-modify-write the lock must protect */
		sh->counter = v + 1;
		lock_release(&sh->lock);
	}
	return 0;
}

static void test_contention_exact_total(void **state)
{
	pid_t pids[NPROC];
	int i;

	(void)state;
	for (i = 0; i < NPROC; i++)
		pids[i] = spawn(incrementer);
	release_start_line(NPROC);
	for (i = 0; i < NPROC; i++)
		assert_int_equal(wait_child(pids[i]), 0);
	assert_int_equal(sh->counter, (long)NPROC * ITERATIONS);
	assert_int_equal(sh->lock.word, 0);
}

/* ----------------------------------------------------- try and owner -- */

static int try_busy(void)
{
	if (lock_try(&sh->lock) != SV_EBUSY)
		return 1;
	return lock_owner(&sh->lock) == getppid() ? 0 : 2;
}

static int try_free(void)
{
	if (lock_try(&sh->lock) != SV_OK)
		return 1;
	if (lock_owner(&sh->lock) != getpid())
		return 2;
	lock_release(&sh->lock);
	return 0;
}

static void test_try_and_owner(void **state)
{
	(void)state;
	assert_int_equal(lock_owner(&sh->lock), 0);
	assert_int_equal(lock_try(&sh->lock), SV_OK);
	assert_int_equal(lock_owner(&sh->lock), getpid());
	assert_int_equal(lock_try(&sh->lock), SV_EBUSY);
	assert_int_equal(wait_child(spawn(try_busy)), 0);
	lock_release(&sh->lock);
	assert_int_equal(lock_owner(&sh->lock), 0);
	assert_int_equal(wait_child(spawn(try_free)), 0);
	assert_int_equal(lock_owner(&sh->lock), 0);
}

/* A process that never set proc_pid must still exclude others. */
static void test_unset_proc_pid(void **state)
{
	(void)state;
	proc_pid = 0;
	lock_get(&sh->lock);
	assert_int_equal(lock_owner(&sh->lock), getpid());
	assert_int_equal(lock_try(&sh->lock), SV_EBUSY);
	lock_release(&sh->lock);
	assert_int_equal(sh->lock.word, 0);
	proc_pid = getpid();
}

/* ------------------------------------------------------------ waiters -- */

/* Blocks on the lock, then marks that it got it. */
static int blocked_locker(void)
{
	lock_get(&sh->lock);
	sh->flag = 1;
	lock_release(&sh->lock);
	return 0;
}

static void test_waiter_woken_on_release(void **state)
{
	pid_t pid;

	(void)state;
	lock_get(&sh->lock);
	pid = spawn(blocked_locker);
	assert_true(wait_for_sleeper(&sh->lock));
	assert_int_equal(sh->flag, 0);
	assert_int_equal(lock_owner(&sh->lock), getpid());
	lock_release(&sh->lock);
	assert_int_equal(wait_child(pid), 0);
	assert_int_equal(sh->flag, 1);
	assert_int_equal(sh->lock.word, 0);
}

/* Takes the lock and exits holding it. */
static int die_holding(void)
{
	lock_get(&sh->lock);
	return 0;
}

static void test_break_dead_owner(void **state)
{
	pid_t dead, waiter;

	(void)state;
	dead = spawn(die_holding);
	assert_int_equal(wait_child(dead), 0);
	assert_int_equal(lock_owner(&sh->lock), dead);
	assert_int_equal(lock_break_if_owner(&sh->lock, getpid()),
	                 SV_ENOTFOUND);
	assert_int_equal(lock_break_if_owner(&sh->lock, 0), SV_ENOTFOUND);
	waiter = spawn(blocked_locker);
	assert_true(wait_for_sleeper(&sh->lock));
	assert_int_equal(sh->flag, 0);
	assert_int_equal(lock_break_if_owner(&sh->lock, dead), SV_OK);
	assert_int_equal(wait_child(waiter), 0);
	assert_int_equal(sh->flag, 1);
	assert_int_equal(lock_owner(&sh->lock), 0);
	assert_int_equal(lock_break_if_owner(&sh->lock, dead), SV_ENOTFOUND);
}

/* ------------------------------------------------------------ lock sets -- */

static lock_set_t *set;

/* Increments per_lock[i % 16] under lock i % 16. */
static int set_incrementer(void)
{
	long i, v;

	start_line();
	for (i = 0; i < ITERATIONS; i++) {
		unsigned k = (unsigned)(i % 16);

		lock_get(lock_set_at(set, k));
		v = sh->per_lock[k];
		sh->per_lock[k] = v + 1;
		lock_release(lock_set_at(set, k));
	}
	return 0;
}

static void test_lock_set(void **state)
{
	struct shm_stats st0, st;
	pid_t pids[2];
	unsigned i;

	(void)state;
	shm_get_stats(&st0);
	set = lock_set_alloc(16);
	assert_non_null(set);
	assert_int_equal(set->size, 16);
	for (i = 0; i < 16; i++)
		assert_int_equal(lock_owner(lock_set_at(set, i)), 0);
	lock_get(lock_set_at(set, 3));
	assert_int_equal(lock_owner(lock_set_at(set, 3)), getpid());
	assert_int_equal(lock_owner(lock_set_at(set, 4)), 0);
	assert_int_equal(lock_try(lock_set_at(set, 4)), SV_OK);
	lock_release(lock_set_at(set, 4));
	lock_release(lock_set_at(set, 3));
	pids[0] = spawn(set_incrementer);
	pids[1] = spawn(set_incrementer);
	release_start_line(2);
	assert_int_equal(wait_child(pids[0]), 0);
	assert_int_equal(wait_child(pids[1]), 0);
	for (i = 0; i < 16; i++)
		assert_int_equal(sh->per_lock[i],
		                 2 * ((ITERATIONS - (long)i + 15) / 16));
	lock_set_free(set);
	shm_get_stats(&st);
	assert_int_equal(st.used_size, st0.used_size);
	assert_int_equal(st.fragments, st0.fragments);
}

static void test_lock_set_out_of_memory(void **state)
{
	int level = log_get_level();

	(void)state;
	log_set_level(L_ALERT - 1);  /* both failures are logged */
	shm_fail_after(0);
	assert_null(lock_set_alloc(8));
	shm_fail_after(-1);
	log_set_level(level);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_contention_exact_total),
		T(test_try_and_owner),
		T(test_unset_proc_pid),
		T(test_waiter_woken_on_release),
		T(test_break_dead_owner),
		T(test_lock_set),
		T(test_lock_set_out_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * lock.c - futex mutex slow paths and lock sets.
 *
 * See lock.h for the protocol.  The slow path follows the classic
 * three-state futex mutex (Drepper, "Futexes Are Tricky"), with the owner pid
 * in place of the "1" state: once a process had to wait it always takes the
 * lock with the waiters bit set, so the eventual unlock wakes the next
 * sleeper (at worst one spurious wake-up).
 */
#include "lock.h"
#include "shm.h"
#include "core/errors.h"
#include "core/log.h"

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LOCK_SPINS 100

pid_t proc_pid;

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause" ::: "memory");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#else
	__asm__ __volatile__("" ::: "memory");
#endif
}

static long futex(volatile uint32_t *addr, int op, uint32_t val)
{
	return syscall(SYS_futex, addr, op, val, NULL, NULL, 0);
}

int lock_init(lock_t *l)
{
	__atomic_store_n(&l->word, 0, __ATOMIC_RELEASE);
	return SV_OK;
}

/*
 * The value this process stores in a lock word.  It must never be 0 (0 is
 * "free": a CAS 0 -> 0 would "take" the lock without changing the word, and
 * every process would be let in), so a process that never set proc_pid gets
 * its real pid here.
 */
static inline uint32_t my_word(void)
{
	if (__builtin_expect(proc_pid == 0, 0))
		proc_pid = getpid();
	return (uint32_t)proc_pid & LOCK_PID_MASK;
}

int lock_try(lock_t *l)
{
	uint32_t expected = 0;

	if (__atomic_compare_exchange_n(&l->word, &expected, my_word(), 0,
	                                __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return SV_OK;
	return SV_EBUSY;
}

/* Contended path: spin a little, then sleep with the waiters bit set. */
static void lock_wait(lock_t *l)
{
	uint32_t me = my_word(), cur;
	int i;

	for (i = 0; i < LOCK_SPINS; i++) {
		cpu_relax();
		cur = __atomic_load_n(&l->word, __ATOMIC_RELAXED);
		if (cur == 0 && lock_try(l) == SV_OK)
			return;
	}
	for (;;) {
		cur = __atomic_load_n(&l->word, __ATOMIC_RELAXED);
		if (cur == 0) {
			/* take it marked: others may still sleep */
			if (__atomic_compare_exchange_n(&l->word, &cur,
			        me | LOCK_WAITERS, 0, __ATOMIC_ACQUIRE,
			        __ATOMIC_RELAXED))
				return;
			continue;
		}
		if ((cur & LOCK_PID_MASK) == me)
			LM_CRIT("lock %p already held by this process %d\n",
			        (void *)l, (int)proc_pid);
		if (!(cur & LOCK_WAITERS) &&
		    !__atomic_compare_exchange_n(&l->word, &cur,
		            cur | LOCK_WAITERS, 0, __ATOMIC_RELAXED,
		            __ATOMIC_RELAXED))
			continue;
		futex(&l->word, FUTEX_WAIT, cur | LOCK_WAITERS);
	}
}

void lock_get(lock_t *l)
{
	uint32_t expected = 0;

	if (__builtin_expect(__atomic_compare_exchange_n(&l->word, &expected,
	        my_word(), 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED), 1))
		return;
	lock_wait(l);
}

void lock_release(lock_t *l)
{
	uint32_t old = __atomic_exchange_n(&l->word, 0, __ATOMIC_RELEASE);

	if (__builtin_expect(old & LOCK_WAITERS, 0))
		futex(&l->word, FUTEX_WAKE, 1);
}

/*
 * The word of a lock whose owner died can still change: a waiter may set
 * the waiters bit between our load and our CAS.  So retry for as long as
 * the pid part names the dead process.
 */
int lock_break_if_owner(lock_t *l, pid_t dead_pid)
{
	uint32_t dead = (uint32_t)dead_pid & LOCK_PID_MASK;
	uint32_t cur = __atomic_load_n(&l->word, __ATOMIC_ACQUIRE);

	do {
		if (dead == 0 || (cur & LOCK_PID_MASK) != dead)
			return SV_ENOTFOUND;
	} while (!__atomic_compare_exchange_n(
	    &l->word, &cur, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE));
	futex(&l->word, FUTEX_WAKE, 0x7fffffff);
	return SV_OK;
}

lock_set_t *lock_set_alloc(unsigned n)
{
	lock_set_t *set = shm_malloc(sizeof(*set) + (size_t)n * sizeof(lock_t));
	unsigned i;

	if (set == NULL) {
		LM_ERR("no shared memory for a set of %u locks\n", n);
		return NULL;
	}
	set->size = n;
	for (i = 0; i < n; i++)
		lock_init(&set->locks[i]);
	return set;
}

void lock_set_free(lock_set_t *set)
{
	shm_free(set);
}

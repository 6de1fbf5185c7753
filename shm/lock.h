/*
 * lock.h - futex mutexes that live in shared memory.
 *
 * The lock word is 0 when free, otherwise the pid of the owner, with bit 31
 * set when other processes may be sleeping on it:
 *
 *   lock    compare-and-swap 0 -> pid            (one atomic op uncontended)
 *   unlock  exchange -> 0; FUTEX_WAKE one waiter only if bit 31 was set
 *
 * On contention a locker spins briefly (pause instruction, no sched_yield),
 * then sets the waiters bit and sleeps in FUTEX_WAIT until woken.  The futex
 * calls are the shared (non-private) variants because the word lives in a
 * MAP_SHARED mapping used by many processes.  Storing the owner pid lets the
 * master name the process that held a lock when it died (lock_owner()).
 *
 * The lock is not recursive; locking twice from one process deadlocks
 * (lock_get() logs it at LM_CRIT once its brief spin is over, then sleeps
 * for ever).  A lock_set_t groups N locks addressed by index, e.g. one per
 * hash bucket.
 *
 * The pid used is proc_pid (set after every fork by the process code).  A
 * process that never set it (proc_pid == 0) locks with getpid() instead; a
 * child that forgets to update it after fork still gets mutual exclusion but
 * is reported under its parent's pid, so set it right after fork().
 *
 * A lock may live in memory that is freed and reused once unlocked (e.g. in
 * a transaction cell): lock_release() may issue its FUTEX_WAKE after another
 * process took and freed the lock, which costs at most a spurious wake-up
 * because the segment stays mapped.
 */
#ifndef SERVAL_SHM_LOCK_H
#define SERVAL_SHM_LOCK_H

#include <stdint.h>
#include <sys/types.h>

typedef struct lock {
	volatile uint32_t word;  /* 0 free, owner pid | LOCK_WAITERS */
} lock_t;

#define LOCK_WAITERS 0x80000000u
#define LOCK_PID_MASK 0x7fffffffu

/* pid of the calling process, kept current across fork (see proc.c). */
extern pid_t proc_pid;

/* Initialises a lock to the unlocked state.  Always SV_OK. */
int lock_init(lock_t *l);

/* Takes the lock, sleeping in the kernel while another process holds it. */
void lock_get(lock_t *l);

/* Tries once: returns SV_OK when taken, SV_EBUSY when held by another. */
int lock_try(lock_t *l);

/* Releases a lock held by the caller. */
void lock_release(lock_t *l);

/* Returns the pid holding the lock, 0 when free. No lock needed. */
static inline pid_t lock_owner(const lock_t *l)
{
	return (pid_t)(__atomic_load_n(&l->word, __ATOMIC_RELAXED) & LOCK_PID_MASK);
}

/*
 * If the lock is held by dead_pid, forces it free and wakes all waiters
 * (one of them gets it).  Used by the master after a child died; dead_pid
 * must really be dead.  Returns SV_OK when it freed the lock, SV_ENOTFOUND
 * when dead_pid (or 0) did not hold it.
 */
int lock_break_if_owner(lock_t *l, pid_t dead_pid);

typedef struct lock_set {
	unsigned size;   /* number of locks */
	lock_t locks[];  /* size entries */
} lock_set_t;

/*
 * Allocates a set of n initialised locks in shared memory.
 * Returns NULL (logged) when shm is exhausted.  Free with lock_set_free().
 */
lock_set_t *lock_set_alloc(unsigned n);

/* Frees a set made by lock_set_alloc(); no lock of it may be held. */
void lock_set_free(lock_set_t *set);

/* Lock i of a set (i < set->size). */
static inline lock_t *lock_set_at(lock_set_t *set, unsigned i)
{
	return &set->locks[i];
}

#endif /* SERVAL_SHM_LOCK_H */

/*
 * shm.h - the shared memory segment and its allocator.
 *
 * The master maps one anonymous MAP_SHARED region of -m MB before it forks,
 * so every process sees it at the same address and raw pointers into it are
 * valid everywhere.  An allocator inside the region (see shm/tlsf.h) serves
 * shm_malloc/shm_free/shm_realloc under one futex lock that itself lives in
 * the region.
 *
 *   shm_malloc(n)         takes the lock
 *   shm_malloc_locked(n)  expects the caller to hold it (shm_lock()), for
 *                         callers that batch several operations in one
 *                         critical section
 *
 * Out of memory returns NULL and logs one line per burst (not per failed
 * call): an LM_ERR line at the first failure, then one LM_NOTICE line
 * "N shm allocation(s) failed ..." when an allocation succeeds again;
 * nothing aborts.  shm_fail_after(n) makes every allocation after the next
 * n successful ones fail, for tests of out-of-memory paths.
 *
 * Lock order: the allocator lock is the innermost lock of serval; code
 * holding it must not take any other lock.
 */
#ifndef SERVAL_SHM_SHM_H
#define SERVAL_SHM_SHM_H

#include <stddef.h>

#define SHM_DEFAULT_MB 64

/*
 * Creates the segment (size bytes, rounded up to pages) and its allocator.
 * Master only, once, before forking.  Returns SV_OK, SV_EINVAL for a size
 * below 64 KiB or above the allocator's limit (512 GiB), SV_EEXIST when the
 * segment already exists, SV_ENOMEM when the mapping fails (all logged).
 */
int shm_init(size_t size);

/* Unmaps the segment (master at exit, tests).  Pointers become invalid. */
void shm_destroy(void);

/* Returns 1 once shm_init() succeeded (and until shm_destroy()). */
int shm_ready(void);

/*
 * Allocates n bytes (8-byte aligned; n = 0 gives a minimal unique block).
 * NULL when exhausted or before shm_init().  Takes the lock.
 */
void *shm_malloc(size_t n);

/*
 * Frees p (NULL is ignored).  A pointer that is not an allocated block of
 * the segment is logged (LM_CRIT) and ignored.  Takes the lock.
 */
void shm_free(void *p);

/*
 * Resizes p to n bytes keeping the content (like realloc): shrinks in place,
 * grows in place when the next block is free, else moves.  p = NULL is
 * shm_malloc(n).  NULL when exhausted, p left untouched.  Every call counts
 * as an allocation for shm_fail_after().  Takes the lock.
 */
void *shm_realloc(void *p, size_t n);

/* The same three without locking: the caller holds shm_lock(). */
void *shm_malloc_locked(size_t n);
void shm_free_locked(void *p);
void *shm_realloc_locked(void *p, size_t n);

/* Takes / releases the allocator lock (after shm_init() only). */
void shm_lock(void);
void shm_unlock(void);

/* Allocates with shm_malloc and zero-fills. NULL when exhausted. */
void *shm_calloc(size_t n);

/* Copies a NUL-terminated string into shm. NULL when exhausted. */
char *shm_strdup(const char *s);

struct shm_stats {
	unsigned long total_size;     /* bytes in the segment */
	unsigned long used_size;      /* bytes handed out, as rounded up to
	                                 8 (min 24): block capacities */
	unsigned long real_used_size; /* used + block headers + allocator
	                                 and segment headers */
	unsigned long max_used_size;  /* high-water mark of real_used_size */
	unsigned long free_size;      /* total - real_used */
	unsigned long fragments;      /* number of free blocks */
};

/* Fills *st with a consistent snapshot (takes the lock); zeros before init. */
void shm_get_stats(struct shm_stats *st);

/* Resets max_used_size to the current real_used_size. */
void shm_reset_max_used(void);

/*
 * Test hook: after n more successful allocations, every allocation fails
 * until shm_fail_after(-1) disarms it.  n = 0 fails the next one.  The
 * counter lives in the segment, so it applies to every process.
 */
void shm_fail_after(long n);

/*
 * Verifies the whole heap (see tlsf_check()) under the lock.  Returns SV_OK,
 * or SV_ERR after logging the first inconsistency.  O(blocks): for tests,
 * debugging, and an operator's explicit request, not for the hot path.
 */
int shm_check(void);

#endif /* SERVAL_SHM_SHM_H */

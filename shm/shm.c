/*
 * shm.c - the shared memory segment: one mapping, one TLSF heap, one lock.
 *
 * shm_init() maps one anonymous MAP_SHARED region; every process forked
 * afterwards inherits it at the same address.  The segment is laid out as
 *
 *   struct shm_head | struct tlsf (allocator instance) | blocks ... | sentinel
 *
 * struct shm_head holds everything the processes must share about the
 * allocator besides the heap itself: the futex lock, the fail-after-N test
 * counter and the out-of-memory burst counter.  The static variables below
 * are per-process copies of where the segment is; they are set before
 * fork() and never change afterwards.
 *
 * Locking: the allocator lock (shm_head->lock) guards the heap and every
 * field of shm_head.  shm_malloc() and friends take it around one operation;
 * the *_locked variants let a caller batch several operations under one
 * shm_lock() (tm frees a whole transaction that way).  Nothing here takes
 * any other lock, so shm is always the innermost lock.
 *
 * Out-of-memory logging, one burst = consecutive failures: the first failed
 * allocation logs one LM_ERR line (size asked, free bytes, fragments); later
 * failures are only counted; the first allocation that succeeds again logs
 * one LM_NOTICE line "N shm allocation(s) failed ..." and ends the burst.
 * So an exhausted server logs two lines per episode, not one per request.
 * These lines are written while the lock is held (a write(2) twice per
 * episode), which keeps the counter and its report consistent.
 *
 * Statistics: see struct shm_stats.  used_size is in rounded block
 * capacities (see shm/tlsf.h); real_used_size also counts every block
 * header, the allocator instance and struct shm_head, so an idle segment
 * reports a real_used_size of a few KiB.
 */
#include "shm.h"
#include "lock.h"
#include "lock_registry.h"
#include "tlsf.h"
#include "core/errors.h"
#include "core/log.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Smallest segment shm_init() accepts. */
#define SHM_MIN_SIZE (64 * 1024)

struct shm_head {
	lock_t lock;              /* the allocator lock */
	long fail_after;          /* -1 off; else successes before failing */
	unsigned long oom_failed; /* failures in the current burst */
	tlsf_t *heap;             /* right after this header */
};

static char *shm_base;          /* the mapping, NULL before shm_init() */
static size_t shm_size;         /* its length in bytes */
static struct shm_head *shm_hd; /* == shm_base once initialised */

/* Rounds size up to whole pages; 0 on overflow. */
static size_t page_round(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (size > SIZE_MAX - page)
		return 0;
	return (size + page - 1) / page * page;
}

int shm_init(size_t size)
{
	size_t head = (sizeof(struct shm_head) + 15) & ~(size_t)15;
	void *p;

	if (shm_hd != NULL) {
		LM_ERR("shared memory already initialised\n");
		return SV_EEXIST;
	}
	if (size < SHM_MIN_SIZE || size > tlsf_max_region()) {
		LM_ERR("shared memory size %zu out of range (%d..%zu)\n", size,
		       SHM_MIN_SIZE, tlsf_max_region());
		return SV_EINVAL;
	}
	size = page_round(size);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	         -1, 0);
	if (p == MAP_FAILED) {
		LM_ERR("cannot map %zu bytes of shared memory: %s\n", size,
		       strerror(errno));
		return SV_ENOMEM;
	}
	shm_hd = p;
	lock_init(&shm_hd->lock);
	lock_register(&shm_hd->lock, "shm allocator");
	shm_hd->fail_after = -1;
	shm_hd->oom_failed = 0;
	shm_hd->heap = tlsf_create((char *)p + head, size - head);
	if (shm_hd->heap == NULL) {
		LM_ERR("cannot build the allocator over %zu bytes\n", size);
		munmap(p, size);
		shm_hd = NULL;
		return SV_EINVAL;
	}
	shm_base = p;
	shm_size = size;
	LM_DBG("shared memory: %zu bytes at %p\n", size, p);
	return SV_OK;
}

void shm_destroy(void)
{
	if (shm_base == NULL)
		return;
	if (munmap(shm_base, shm_size) != 0)
		LM_ERR("cannot unmap shared memory: %s\n", strerror(errno));
	shm_base = NULL;
	shm_hd = NULL;
	shm_size = 0;
}

int shm_ready(void)
{
	return shm_hd != NULL;
}

void shm_lock(void)
{
	lock_get(&shm_hd->lock);
}

void shm_unlock(void)
{
	lock_release(&shm_hd->lock);
}

/* ----------------------------------------------- failure bookkeeping -- */

/* 1 when shm_fail_after() says this allocation must fail.  Lock held. */
static int fail_injected(void)
{
	return shm_hd->fail_after == 0;
}

/* Records a failed allocation of n bytes; logs the first of a burst. */
static void *alloc_failed(size_t n, int injected)
{
	struct tlsf_stats st;

	if (shm_hd->oom_failed++ == 0) {
		tlsf_get_stats(shm_hd->heap, &st);
		LM_ERR("out of shared memory: %zu bytes requested, %zu free in "
		       "%zu fragments%s\n",
		       n, st.free, st.fragments,
		       injected ? " (failure injected by shm_fail_after)" : "");
	}
	return NULL;
}

/* Records a successful allocation; ends a failure burst.  Returns p. */
static void *alloc_done(void *p)
{
	if (shm_hd->fail_after > 0)
		shm_hd->fail_after--;
	if (shm_hd->oom_failed > 0) {
		LM_NOTICE("%lu shm allocation(s) failed before this one "
		          "succeeded\n",
		          shm_hd->oom_failed);
		shm_hd->oom_failed = 0;
	}
	return p;
}

/* ------------------------------------------------------- allocation -- */

void *shm_malloc_locked(size_t n)
{
	void *p;

	if (fail_injected())
		return alloc_failed(n, 1);
	p = tlsf_malloc(shm_hd->heap, n);
	return p != NULL ? alloc_done(p) : alloc_failed(n, 0);
}

void shm_free_locked(void *p)
{
	tlsf_free(shm_hd->heap, p);
}

void *shm_realloc_locked(void *p, size_t n)
{
	void *q;

	if (p == NULL)
		return shm_malloc_locked(n);
	if (fail_injected())
		return alloc_failed(n, 1);
	q = tlsf_realloc(shm_hd->heap, p, n);
	return q != NULL ? alloc_done(q) : alloc_failed(n, 0);
}

/* 1 when shm exists; logs a misuse (call before shm_init) otherwise. */
static int shm_usable(const char *fn)
{
	if (__builtin_expect(shm_hd != NULL, 1))
		return 1;
	LM_CRIT("%s called before shm_init()\n", fn);
	return 0;
}

void *shm_malloc(size_t n)
{
	void *p;

	if (!shm_usable("shm_malloc"))
		return NULL;
	lock_get(&shm_hd->lock);
	p = shm_malloc_locked(n);
	lock_release(&shm_hd->lock);
	return p;
}

void shm_free(void *p)
{
	if (p == NULL || !shm_usable("shm_free"))
		return;
	lock_get(&shm_hd->lock);
	tlsf_free(shm_hd->heap, p);
	lock_release(&shm_hd->lock);
}

void *shm_realloc(void *p, size_t n)
{
	void *q;

	if (!shm_usable("shm_realloc"))
		return NULL;
	lock_get(&shm_hd->lock);
	q = shm_realloc_locked(p, n);
	lock_release(&shm_hd->lock);
	return q;
}

void *shm_calloc(size_t n)
{
	void *p = shm_malloc(n);

	if (p != NULL)
		memset(p, 0, n);
	return p;
}

char *shm_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = shm_malloc(n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

/* ------------------------------------------------------- statistics -- */

void shm_get_stats(struct shm_stats *st)
{
	struct tlsf_stats ts;
	size_t outside;

	memset(st, 0, sizeof(*st));
	if (!shm_usable("shm_get_stats"))
		return;
	lock_get(&shm_hd->lock);
	tlsf_get_stats(shm_hd->heap, &ts);
	lock_release(&shm_hd->lock);
	/* bytes of the segment before the allocator instance */
	outside = shm_size - ts.total;
	st->total_size = shm_size;
	st->used_size = ts.used;
	st->real_used_size = ts.real_used + outside;
	st->max_used_size = ts.max_used + outside;
	st->free_size = ts.free;
	st->fragments = ts.fragments;
}

void shm_reset_max_used(void)
{
	if (!shm_usable("shm_reset_max_used"))
		return;
	lock_get(&shm_hd->lock);
	tlsf_reset_max_used(shm_hd->heap);
	lock_release(&shm_hd->lock);
}

void shm_fail_after(long n)
{
	if (!shm_usable("shm_fail_after"))
		return;
	lock_get(&shm_hd->lock);
	shm_hd->fail_after = n < 0 ? -1 : n;
	lock_release(&shm_hd->lock);
}

int shm_check(void)
{
	int rc;

	if (!shm_usable("shm_check"))
		return SV_ERR;
	lock_get(&shm_hd->lock);
	rc = tlsf_check(shm_hd->heap);
	lock_release(&shm_hd->lock);
	return rc;
}

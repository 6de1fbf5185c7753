/*
 * atomic.h - the few atomic operations serval uses on shared memory.
 *
 * Thin wrappers over the GCC/Clang __atomic builtins on plain integer types,
 * so counters in shm need no special declaration.  Counters use relaxed
 * ordering (statistics need atomicity, not ordering); flags that publish data
 * use acquire/release.
 */
#ifndef SERVAL_SHM_ATOMIC_H
#define SERVAL_SHM_ATOMIC_H

typedef volatile long atomic_counter_t;

static inline void atomic_inc(atomic_counter_t *c)
{
	__atomic_fetch_add(c, 1, __ATOMIC_RELAXED);
}

static inline void atomic_dec(atomic_counter_t *c)
{
	__atomic_fetch_sub(c, 1, __ATOMIC_RELAXED);
}

static inline void atomic_add(atomic_counter_t *c, long v)
{
	__atomic_fetch_add(c, v, __ATOMIC_RELAXED);
}

static inline long atomic_get(const atomic_counter_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

static inline void atomic_set(atomic_counter_t *c, long v)
{
	__atomic_store_n(c, v, __ATOMIC_RELAXED);
}

/* Returns the value before the exchange. */
static inline long atomic_xchg(atomic_counter_t *c, long v)
{
	return __atomic_exchange_n(c, v, __ATOMIC_ACQ_REL);
}

/* Returns 1 when *c was expected and is now desired, else 0. */
static inline int atomic_cas(atomic_counter_t *c, long expected, long desired)
{
	return __atomic_compare_exchange_n(c, &expected, desired, 0,
	                                   __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
}

#endif /* SERVAL_SHM_ATOMIC_H */

/*
 * lock_registry.h - the list of shared locks, so a dead holder can be named.
 *
 * Locks and lock sets that several processes use are registered by name in
 * the master before fork (the registry itself is private memory inherited by
 * every child; it points into shm).  When a child dies, the master calls
 * lock_break_owned_by(pid): every registered lock whose word records that
 * pid is logged ("lock <name>[i] was held by process <pid>") and forced free,
 * so the orderly stop that follows cannot hang on it (nginx's lesson;
 * OpenSER only freed its memory lock).
 */
#ifndef SERVAL_SHM_LOCK_REGISTRY_H
#define SERVAL_SHM_LOCK_REGISTRY_H

#include "lock.h"

/*
 * Registers a single lock under name (a static string).  Master only,
 * before fork.  Returns SV_OK or SV_ENOMEM when the registry is full.
 */
int lock_register(lock_t *l, const char *name);

/* Registers a lock set under name.  Same rules as lock_register(). */
int lock_set_register(lock_set_t *set, const char *name);

/* Forgets a registered lock or set (before freeing it). */
void lock_unregister(const void *lock_or_set);

/*
 * Frees every registered lock held by pid, logging each.  Returns the
 * number of locks freed.  Master only, after pid was reaped.
 */
int lock_break_owned_by(pid_t pid);

#endif /* SERVAL_SHM_LOCK_REGISTRY_H */

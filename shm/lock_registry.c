/*
 * lock_registry.c - see lock_registry.h.  A fixed array: the number of
 * distinct lock objects in serval is small (allocator, timer wheel, tm
 * table, statistics ...); sets count as one entry however many locks they
 * hold.
 */
#include "lock_registry.h"
#include "core/errors.h"
#include "core/log.h"

#include <stddef.h>

#define LOCK_REGISTRY_MAX 64

struct lock_entry {
	const char *name;
	lock_t *lock;      /* single lock, or NULL */
	lock_set_t *set;   /* lock set, or NULL */
};

static struct lock_entry entries[LOCK_REGISTRY_MAX];
static int entry_count;

static int registry_add(lock_t *l, lock_set_t *set, const char *name)
{
	if (entry_count >= LOCK_REGISTRY_MAX) {
		LM_ERR("lock registry full, cannot register %s\n", name);
		return SV_ENOMEM;
	}
	entries[entry_count].name = name;
	entries[entry_count].lock = l;
	entries[entry_count].set = set;
	entry_count++;
	return SV_OK;
}

int lock_register(lock_t *l, const char *name)
{
	return registry_add(l, NULL, name);
}

int lock_set_register(lock_set_t *set, const char *name)
{
	return registry_add(NULL, set, name);
}

void lock_unregister(const void *lock_or_set)
{
	int i;

	for (i = 0; i < entry_count; i++) {
		if ((const void *)entries[i].lock == lock_or_set ||
		    (const void *)entries[i].set == lock_or_set) {
			entries[i] = entries[--entry_count];
			return;
		}
	}
}

int lock_break_owned_by(pid_t pid)
{
	int i, n = 0;
	unsigned j;

	for (i = 0; i < entry_count; i++) {
		struct lock_entry *e = &entries[i];

		if (e->lock && lock_break_if_owner(e->lock, pid) == SV_OK) {
			LM_CRIT("lock %s was held by dead process %d, freed\n",
			        e->name, (int)pid);
			n++;
		}
		for (j = 0; e->set && j < e->set->size; j++) {
			if (lock_break_if_owner(&e->set->locks[j], pid) ==
			    SV_OK) {
				LM_CRIT("lock %s[%u] was held by dead process "
				        "%d, freed\n", e->name, j, (int)pid);
				n++;
			}
		}
	}
	return n;
}

/*
 * h_table.c - the transaction table, cells, references and the one path
 * that frees a cell (see h_table.h).
 *
 * Buckets are 24 bytes (first cell, next label, two counters); their locks
 * are a separate lock set so the lock registry can name a dead holder.
 * Cells are inserted at the head of their bucket: order does not matter to
 * matching, which compares every cell of the bucket.
 *
 * Freeing takes the allocator lock once for the whole cell (branches,
 * their stored replies and CANCELs, the upstream reply buffer, the cell),
 * so a transaction costs one critical section of the allocator to free
 * (plus one per AVP its routes kept, freed just before).
 */
#include "h_table.h"
#include "t_stats.h"
#include "t_timer.h"

#include "core/avp.h"
#include "core/errors.h"
#include "core/log.h"
#include "shm/lock_registry.h"
#include "shm/shm.h"

#include <stddef.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

struct tm_entry {
	struct cell *first; /* bucket lock */
	uint32_t next_label;
	uint32_t cur; /* cells linked now (written under the lock) */
	uint32_t acc; /* cells ever linked */
};

struct tm_table {
	lock_set_t *locks;
	struct tm_entry entry[TM_TABLE_ENTRIES];
};

static struct tm_table *tm_table;

/* The cell whose reply lock this process holds, if any. */
static const struct cell *tm_locked_cell;

/* A 32-bit seed for the labels, different at every start. */
static uint32_t label_seed(void)
{
	struct timespec ts;
	uint32_t x;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint32_t)ts.tv_nsec ^ (uint32_t)ts.tv_sec ^
	    ((uint32_t)getpid() << 16);
	return x ? x : 0x9e3779b9u;
}

/* xorshift32: the next seed. */
static uint32_t next_seed(uint32_t x)
{
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

int tm_table_init(void)
{
	uint32_t seed = label_seed();
	unsigned i;

	tm_table = shm_calloc(sizeof(*tm_table));
	if (tm_table == NULL) {
		LM_ERR("tm: no shared memory for the transaction table "
		       "(%zu bytes)\n",
		       sizeof(*tm_table));
		return SV_ENOMEM;
	}
	tm_table->locks = lock_set_alloc(TM_TABLE_ENTRIES);
	if (tm_table->locks == NULL) {
		shm_free(tm_table);
		tm_table = NULL;
		return SV_ENOMEM;
	}
	if (lock_set_register(tm_table->locks, "tm buckets") != SV_OK)
		LM_WARN("tm: bucket locks not registered (registry full)\n");
	for (i = 0; i < TM_TABLE_ENTRIES; i++) {
		seed = next_seed(seed);
		tm_table->entry[i].next_label = seed;
	}
	return SV_OK;
}

void tm_table_destroy(void)
{
	struct cell *t, *next;
	unsigned i;

	if (tm_table == NULL)
		return;
	for (i = 0; i < TM_TABLE_ENTRIES; i++) {
		for (t = tm_table->entry[i].first; t; t = next) {
			next = t->next;
			atomic_set(&t->ref, 1);
			tm_unref(t);
		}
	}
	lock_unregister(tm_table->locks);
	lock_set_free(tm_table->locks);
	shm_free(tm_table);
	tm_table = NULL;
}

unsigned tm_hash(const str *callid, uint32_t cseq)
{
	uint32_t h = 2166136261u; /* FNV-1a over the Call-ID ... */
	int i;

	for (i = 0; i < callid->len; i++) {
		h ^= (unsigned char)callid->s[i];
		h *= 16777619u;
	}
	h ^= cseq; /* ... then the CSeq number, mixed in */
	h *= 0x85ebca6bu;
	h ^= h >> 15;
	h ^= h >> 16;
	return h & TM_HASH_MASK;
}

void tm_bucket_lock(unsigned hash)
{
	lock_get(lock_set_at(tm_table->locks, hash));
}

void tm_bucket_unlock(unsigned hash)
{
	lock_release(lock_set_at(tm_table->locks, hash));
}

pid_t tm_bucket_owner(unsigned hash)
{
	return lock_owner(lock_set_at(tm_table->locks, hash));
}

struct cell *tm_bucket_first(unsigned hash)
{
	return tm_table->entry[hash].first;
}

void tm_bucket_counts(unsigned hash, unsigned *cur, unsigned *total)
{
	struct tm_entry *e = &tm_table->entry[hash];

	*cur = __atomic_load_n(&e->cur, __ATOMIC_RELAXED);
	*total = __atomic_load_n(&e->acc, __ATOMIC_RELAXED);
}

struct cell *tm_cell_alloc(unsigned hash, int method, uint32_t var_len)
{
	uint32_t room = ((var_len + 7u) & ~7u) + TM_UAS_INLINE;
	struct cell *t = shm_malloc(sizeof(*t) + room);

	if (t == NULL)
		return NULL;
	memset(t, 0, sizeof(*t));
	t->var_len = var_len;
	t->uas.buf = tm_uas_inline(t);
	t->uas.cap = TM_UAS_INLINE;
	t->hash = hash;
	t->method = method;
	atomic_set(&t->ref, 1);
	lock_init(&t->reply_lock);
	lock_init(&t->avp_lock);
	t->fail_branch = -1;
	timer_link_init(&t->uas.tl, tm_uas_timer, 0);
	timer_link_init(&t->wait_tl, tm_wait_timer, 0);
	tm_stat_add(TS_INUSE, 1);
	return t;
}

void tm_cell_insert_locked(struct cell *t)
{
	struct tm_entry *e = &tm_table->entry[t->hash];

	t->label = e->next_label++;
	t->prev = NULL;
	t->next = e->first;
	if (e->first)
		e->first->prev = t;
	e->first = t;
	t->linked = 1;
	__atomic_store_n(&e->cur, e->cur + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&e->acc, e->acc + 1, __ATOMIC_RELAXED);
	tm_ref(t); /* the table's */
}

int tm_cell_unlink(struct cell *t)
{
	struct tm_entry *e = &tm_table->entry[t->hash];
	int done = 0;

	tm_bucket_lock(t->hash);
	if (t->linked) {
		if (t->prev)
			t->prev->next = t->next;
		else
			e->first = t->next;
		if (t->next)
			t->next->prev = t->prev;
		t->next = t->prev = NULL;
		t->linked = 0;
		__atomic_store_n(&e->cur, e->cur - 1, __ATOMIC_RELAXED);
		done = 1;
	}
	tm_bucket_unlock(t->hash);
	return done;
}

/* The one path that frees a cell: everything it owns, one allocator lock. */
static void tm_cell_free(struct cell *t)
{
	struct tm_branch *b;
	int i;

	avp_list_free(&t->avps);
	shm_lock();
	for (i = 0; i < TM_MAX_BRANCHES; i++) {
		b = t->br[i];
		if (b == NULL)
			continue;
		shm_free_locked(b->reply);
		shm_free_locked(b->cancel);
		if (b->dst.v != &b->dst.first)
			shm_free_locked(b->dst.v);
		shm_free_locked(b);
	}
	if (t->uas.buf != tm_uas_inline(t))
		shm_free_locked(t->uas.buf);
	shm_free_locked(t);
	shm_unlock();
	tm_stat_add(TS_INUSE, -1);
}

void tm_unref(struct cell *t)
{
	long left = __atomic_sub_fetch(&t->ref, 1, __ATOMIC_ACQ_REL);

	if (left == 0)
		tm_cell_free(t);
	else if (left < 0)
		LM_CRIT("tm: transaction %u:%u released too often (%ld)\n",
		        t->hash, t->label, left);
}

void tm_unref_n(struct cell *t, int n)
{
	while (n-- > 0)
		tm_unref(t);
}

struct tm_branch *tm_branch_alloc(struct cell *t, int idx, const char *req,
                                  uint32_t len)
{
	struct tm_branch *b = shm_malloc(sizeof(*b) + len);

	if (b == NULL)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->t = t;
	b->idx = (uint16_t)idx;
	b->buf = b->data;
	b->len = len;
	memcpy(b->data, req, len);
	b->dst.v = &b->dst.first;
	b->dst.n = 1;
	timer_link_init(&b->retr_tl, tm_retr_timer, 0);
	timer_link_init(&b->fr_tl, tm_fr_timer, TIMER_SLOW);
	return b;
}

void tm_branch_free(struct tm_branch *b)
{
	if (b->dst.v != &b->dst.first)
		shm_free(b->dst.v);
	shm_free(b);
}

int tm_lock_reply(struct cell *t)
{
	if (tm_locked_cell == t)
		return 0;
	if (tm_locked_cell != NULL)
		LM_CRIT("tm: reply lock of %u:%u taken while %u:%u's is held\n",
		        t->hash, t->label, tm_locked_cell->hash,
		        tm_locked_cell->label);
	lock_get(&t->reply_lock);
	tm_locked_cell = t;
	return 1;
}

void tm_unlock_reply(struct cell *t, int taken)
{
	if (!taken)
		return;
	tm_locked_cell = NULL;
	lock_release(&t->reply_lock);
}

int tm_reply_locked(const struct cell *t)
{
	return tm_locked_cell == t;
}

int tm_holds_reply_lock(void)
{
	return tm_locked_cell != NULL;
}

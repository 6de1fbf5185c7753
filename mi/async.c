/*
 * async.c - deferred MI replies (see async.h for the protocol).
 *
 * The handle is a small shm object.  The completer publishes the reply
 * pointer first and then flips the state with a compare-and-swap (release
 * ordering), so a transport that sees DONE (acquire load) also sees the
 * reply.  The reply copy is one shm block (tree_flat.c), freed by
 * mi_root_free() in the transport once rendered.
 */
#include "async.h"
#include "core/errors.h"
#include "core/log.h"
#include "shm/atomic.h"
#include "shm/shm.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

enum { MI_ASYNC_PENDING = 0, MI_ASYNC_DONE, MI_ASYNC_ABANDONED };

struct mi_async {
	atomic_counter_t state;
	struct mi_root *reply; /* shm flat copy; valid once DONE */
	int notify_fd;
};

static long state_acquire(struct mi_async *a)
{
	return __atomic_load_n(&a->state, __ATOMIC_ACQUIRE);
}

struct mi_async *mi_async_new(int notify_fd)
{
	struct mi_async *a = shm_malloc(sizeof(*a));

	if (a == NULL)
		return NULL;
	atomic_set(&a->state, MI_ASYNC_PENDING);
	a->reply = NULL;
	a->notify_fd = notify_fd;
	return a;
}

/* Copies a pkg tree into one shm block.  NULL when shm is exhausted. */
static struct mi_root *shm_copy(const struct mi_root *tree)
{
	size_t size = mi_tree_flat_size(tree);
	void *block = shm_malloc(size);
	struct mi_root *copy;

	if (block == NULL)
		return NULL;
	copy = mi_tree_flat_copy(tree, block, size, 1);
	if (copy == NULL) {
		LM_CRIT("flat copy of an MI reply does not fit its size\n");
		shm_free(block);
	}
	return copy;
}

static void notify(int fd)
{
	char c = 1;

	if (fd < 0)
		return;
	/* a full pipe already holds a pending wake-up: nothing lost */
	if (write(fd, &c, 1) < 0 && errno != EAGAIN)
		LM_WARN("cannot wake the MI process: %s\n", strerror(errno));
}

int mi_async_complete(struct mi_async *a, struct mi_root *reply)
{
	struct mi_root *copy = NULL;
	int rc = SV_OK;

	if (reply != NULL && reply != MI_ROOT_ASYNC_RPL) {
		copy = shm_copy(reply);
		if (copy == NULL)
			rc = SV_ENOMEM;
	}
	mi_root_free(reply);
	a->reply = copy;
	if (!atomic_cas(&a->state, MI_ASYNC_PENDING, MI_ASYNC_DONE)) {
		/* abandoned by the transport: the handle is ours to free */
		mi_root_free(copy);
		shm_free(a);
		return SV_ETIMEOUT;
	}
	notify(a->notify_fd);
	return rc;
}

int mi_async_take(struct mi_async *a, struct mi_root **reply)
{
	if (state_acquire(a) != MI_ASYNC_DONE)
		return SV_EAGAIN;
	*reply = a->reply;
	shm_free(a);
	return SV_OK;
}

void mi_async_abandon(struct mi_async *a)
{
	if (atomic_cas(&a->state, MI_ASYNC_PENDING, MI_ASYNC_ABANDONED))
		return; /* the completer frees it */
	mi_root_free(a->reply);
	shm_free(a);
}

void mi_async_free(struct mi_async *a)
{
	shm_free(a);
}

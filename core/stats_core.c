/*
 * stats_core.c - the core: and shmem: statistic groups.
 *
 * core: are plain counters that the receive and forward paths update
 * through core_stats (OpenSER's names, so get_statistics output reads the
 * same).  shmem: are computed on read from one shm_get_stats() snapshot
 * each; a read therefore takes the allocator lock briefly, which is fine
 * for an MI command and never happens on the SIP path.
 */
#include "stats.h"
#include "errors.h"
#include "shm/shm.h"

#include <stddef.h>

static const struct {
	const char *name;
	size_t offset; /* of the struct stat_var * in struct core_stats */
} core_table[] = {
    {"rcv_requests", offsetof(struct core_stats, rcv_requests)},
    {"rcv_replies", offsetof(struct core_stats, rcv_replies)},
    {"fwd_requests", offsetof(struct core_stats, fwd_requests)},
    {"fwd_replies", offsetof(struct core_stats, fwd_replies)},
    {"drop_requests", offsetof(struct core_stats, drop_requests)},
    {"drop_replies", offsetof(struct core_stats, drop_replies)},
    {"err_requests", offsetof(struct core_stats, err_requests)},
    {"err_replies", offsetof(struct core_stats, err_replies)},
    {"bad_URIs_rcvd", offsetof(struct core_stats, bad_URIs_rcvd)},
    {"unsupported_methods", offsetof(struct core_stats, unsupported_methods)},
    {"bad_msg_hdr", offsetof(struct core_stats, bad_msg_hdr)},
};

static struct shm_stats shm_snapshot(void)
{
	struct shm_stats st = {0};

	if (shm_ready())
		shm_get_stats(&st);
	return st;
}

static long shm_total(void)
{
	return (long)shm_snapshot().total_size;
}

static long shm_used(void)
{
	return (long)shm_snapshot().used_size;
}

static long shm_real_used(void)
{
	return (long)shm_snapshot().real_used_size;
}

static long shm_max_used(void)
{
	return (long)shm_snapshot().max_used_size;
}

static long shm_free_size(void)
{
	return (long)shm_snapshot().free_size;
}

static long shm_fragments(void)
{
	return (long)shm_snapshot().fragments;
}

static const struct {
	const char *name;
	stat_func func;
} shmem_table[] = {
    {"total_size", shm_total},         {"used_size", shm_used},
    {"real_used_size", shm_real_used}, {"max_used_size", shm_max_used},
    {"free_size", shm_free_size},      {"fragments", shm_fragments},
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int register_shmem(void)
{
	struct stat_var *v;
	unsigned i;
	int rc;

	for (i = 0; i < ARRAY_LEN(shmem_table); i++) {
		rc = stat_register("shmem", shmem_table[i].name,
		                   STAT_IS_FUNC | STAT_NO_RESET, NULL,
		                   shmem_table[i].func);
		if (rc != SV_OK)
			return rc;
	}
	/* the high-water mark may be reset: to the current usage */
	v = stat_find("shmem:max_used_size", -1);
	v->flags &= ~STAT_NO_RESET;
	v->reset_f = shm_reset_max_used;
	return SV_OK;
}

int stats_init(void)
{
	unsigned i;
	int rc;

	for (i = 0; i < ARRAY_LEN(core_table); i++) {
		struct stat_var **slot =
		    (struct stat_var **)((char *)&core_stats +
		                         core_table[i].offset);

		rc = stat_register("core", core_table[i].name, 0, slot, NULL);
		if (rc != SV_OK)
			return rc;
	}
	return register_shmem();
}

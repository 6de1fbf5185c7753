/*
 * test_stats.c - the statistics registry (core/stats.h).
 *
 * Registration and naming rules, counters updated from several forked
 * processes (exact totals: the counters live in shm and are atomic, or
 * each process counts in its own row),
 * resets versus STAT_NO_RESET, computed statistics, lookups by name and
 * group:name, the selectors of get_statistics, module tables, and the
 * core: and shmem: groups.  Each test gets a fresh shm segment.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/proc.h"
#include "core/stats.h"
#include "shm/lock.h"
#include "shm/shm.h"

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int setup(void **state)
{
	proc_pid = getpid();
	log_set_level(L_CRIT); /* the error paths below log on purpose */
	return shm_init(4 << 20) == SV_OK ? 0 : -1;
}

static int teardown(void **state)
{
	stats_destroy();
	shm_destroy();
	return 0;
}

static void register_update_get(void **state)
{
	struct stat_var *a = NULL, *b = NULL;

	assert_int_equal(stat_register("grp", "a", 0, &a, NULL), SV_OK);
	assert_int_equal(stat_register("grp", "b", 0, &b, NULL), SV_OK);
	assert_non_null(a);
	assert_string_equal(a->name, "a");
	assert_string_equal(a->group->name, "grp");
	assert_int_equal(stat_get(a), 0);
	stat_update(a, 5);
	stat_update(a, -2);
	stat_update(b, 7);
	assert_int_equal(stat_get(a), 3);
	assert_int_equal(stat_get(b), 7);
	stat_update(NULL, 1); /* harmless */
	assert_int_equal(stat_get(NULL), 0);
}

static void bad_names_and_duplicates(void **state)
{
	struct stat_var *v;
	char longname[STAT_NAME_MAX + 2];

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(stat_register("g", "ok", 0, &v, NULL), SV_OK);
	assert_int_equal(stat_register("g", "ok", 0, &v, NULL), SV_EEXIST);
	assert_int_equal(stat_register("h", "ok", 0, &v, NULL), SV_OK);
	assert_int_equal(stat_register("g", "a:b", 0, &v, NULL), SV_EINVAL);
	assert_int_equal(stat_register("g", "a b", 0, &v, NULL), SV_EINVAL);
	assert_int_equal(stat_register("g", "", 0, &v, NULL), SV_EINVAL);
	assert_int_equal(stat_register("", "x", 0, &v, NULL), SV_EINVAL);
	assert_int_equal(stat_register(NULL, "x", 0, &v, NULL), SV_EINVAL);
	assert_int_equal(stat_register("g", longname, 0, &v, NULL), SV_EINVAL);
	longname[STAT_NAME_MAX] = '\0';
	assert_int_equal(stat_register("g", longname, 0, &v, NULL), SV_OK);
	assert_int_equal(stat_register("g", "f", STAT_IS_FUNC, NULL, NULL),
	                 SV_EINVAL);
}

static void needs_shm(void **state)
{
	struct stat_var *v = NULL;

	log_set_level(L_CRIT);
	assert_false(shm_ready());
	assert_int_equal(stat_register("g", "x", 0, &v, NULL), SV_EINVAL);
	assert_null(v);
	stats_destroy();
}

static void refused_after_fork(void **state)
{
	struct proc_info child = {.role = ROLE_UDP_RECEIVER,
	                          .desc = "udp receiver #1"};
	struct stat_var *v = NULL;

	proc_self = &child;
	assert_int_equal(stat_register("g", "late", 0, &v, NULL), SV_EINVAL);
	proc_self = NULL;
	assert_null(v);
	assert_null(stat_find("g:late", -1));
}

static void reset_and_no_reset(void **state)
{
	struct stat_var *c, *gauge;

	stat_register("g", "counter", 0, &c, NULL);
	stat_register("g", "gauge", STAT_NO_RESET, &gauge, NULL);
	stat_update(c, 10);
	stat_update(gauge, 4);
	assert_int_equal(stat_reset(c), SV_OK);
	assert_int_equal(stat_reset(gauge), SV_EINVAL);
	assert_int_equal(stat_get(c), 0);
	assert_int_equal(stat_get(gauge), 4);
	assert_int_equal(stat_reset(NULL), SV_EINVAL);
}

static long forty_two(void)
{
	return 42;
}

static void function_stats(void **state)
{
	struct stat_var *f = NULL;

	assert_int_equal(stat_register("g", "f", STAT_IS_FUNC, &f, forty_two),
	                 SV_OK);
	assert_non_null(f);
	assert_null(f->val);
	assert_int_equal(stat_get(f), 42);
	stat_update(f, 5); /* ignored */
	assert_int_equal(stat_get(f), 42);
	assert_int_equal(stat_reset(f), SV_EINVAL);
}

static void lookups(void **state)
{
	struct stat_var *a1, *a2, *b;

	stat_register("one", "a", 0, &a1, NULL);
	stat_register("two", "a", 0, &a2, NULL);
	stat_register("two", "b", 0, &b, NULL);
	assert_ptr_equal(stat_find("a", -1), a1); /* first registered */
	assert_ptr_equal(stat_find("one:a", -1), a1);
	assert_ptr_equal(stat_find("two:a", -1), a2);
	assert_ptr_equal(stat_find("b", -1), b);
	assert_ptr_equal(stat_find("two:bxyz", 5), b);
	assert_null(stat_find("three:a", -1));
	assert_null(stat_find("two:", -1));
	assert_null(stat_find("c", -1));
	assert_null(stat_find(":a", -1));
	assert_non_null(stats_group_find("two", -1));
	assert_null(stats_group_find("tw", -1));
}

static void group_listing(void **state)
{
	struct stat_group *g;
	struct stat_var *v;

	stat_register("zeta", "z1", 0, &v, NULL);
	stat_register("alpha", "a1", 0, &v, NULL);
	stat_register("zeta", "z2", 0, &v, NULL);
	g = stats_groups();
	assert_string_equal(g->name, "zeta"); /* registration order */
	assert_int_equal(g->count, 2);
	assert_string_equal(g->first->name, "z1");
	assert_string_equal(g->first->next->name, "z2");
	assert_null(g->first->next->next);
	g = g->next;
	assert_string_equal(g->name, "alpha");
	assert_int_equal(g->count, 1);
	assert_null(g->next);
}

struct collect {
	char names[16][80];
	int n;
};

static int collect_cb(struct stat_var *v, void *arg)
{
	struct collect *c = arg;

	snprintf(c->names[c->n++], sizeof(c->names[0]), "%s:%s", v->group->name,
	         v->name);
	return c->n == 16 ? SV_ETOOBIG : SV_OK;
}

static int stop_cb(struct stat_var *v, void *arg)
{
	return SV_EIO;
}

static void matching(void **state)
{
	struct collect c;
	struct stat_var *v;

	stat_register("one", "a", 0, &v, NULL);
	stat_register("one", "b", 0, &v, NULL);
	stat_register("two", "a", 0, &v, NULL);
	memset(&c, 0, sizeof(c));
	assert_int_equal(stats_match("all", -1, collect_cb, &c), 3);
	assert_string_equal(c.names[2], "two:a");
	memset(&c, 0, sizeof(c));
	assert_int_equal(stats_match("one:", -1, collect_cb, &c), 2);
	assert_string_equal(c.names[0], "one:a");
	assert_string_equal(c.names[1], "one:b");
	memset(&c, 0, sizeof(c));
	assert_int_equal(stats_match("a", -1, collect_cb, &c), 2);
	assert_string_equal(c.names[0], "one:a");
	assert_string_equal(c.names[1], "two:a");
	memset(&c, 0, sizeof(c));
	assert_int_equal(stats_match("two:a", -1, collect_cb, &c), 1);
	assert_int_equal(stats_match("two:c", -1, collect_cb, &c), 0);
	assert_int_equal(stats_match("three:", -1, collect_cb, &c), 0);
	assert_int_equal(stats_match("nothing", -1, collect_cb, &c), 0);
	assert_int_equal(stats_match("all", -1, stop_cb, NULL), SV_EIO);
}

static struct stat_var *mod_a, *mod_gauge;

static long seven(void)
{
	return 7;
}

static void module_table(void **state)
{
	const struct stat_export table[] = {
	    {"a", 0, &mod_a},
	    {"inuse", STAT_NO_RESET, &mod_gauge},
	    {"computed", STAT_IS_FUNC, (struct stat_var **)seven},
	    {NULL, 0, NULL}};
	const struct stat_export dup[] = {{"a", 0, &mod_a}, {NULL, 0, NULL}};

	assert_int_equal(stats_register_module("tm", table), SV_OK);
	assert_non_null(mod_a);
	assert_ptr_equal(stat_find("tm:a", -1), mod_a);
	assert_ptr_equal(stat_find("tm:inuse", -1), mod_gauge);
	assert_int_equal(stat_get(stat_find("tm:computed", -1)), 7);
	assert_int_equal(stats_register_module("sl", NULL), SV_OK);
	assert_int_equal(stats_register_module("tm", dup), SV_EEXIST);
}

#define CHILDREN 4
#define ROUNDS   100000

static void counts_from_forked_processes(void **state)
{
	struct stat_var *v, *w;
	int i, status;
	pid_t pids[CHILDREN];

	stat_register("g", "hits", 0, &v, NULL);
	stat_register("g", "down", 0, &w, NULL);
	for (i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			int k;

			for (k = 0; k < ROUNDS; k++) {
				stat_update(v, 1);
				stat_update(w, -1);
			}
			_exit(0);
		}
	}
	for (i = 0; i < CHILDREN; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(stat_get(v), (long)CHILDREN * ROUNDS);
	assert_int_equal(stat_get(w), -(long)CHILDREN * ROUNDS);
}

/* With per-process rows: each child counts in its own row, exactly. */
static void counts_in_rows(void **state)
{
	struct stat_var *v, *w, *late;
	int i, status;
	pid_t pids[CHILDREN];

	stat_register("g", "hits", 0, &v, NULL);
	stat_register("g", "gauge", STAT_NO_RESET, &w, NULL);
	stat_update(v, 10); /* before the rows: in the shared counter */
	assert_int_equal(stats_init_rows(CHILDREN + 1), SV_OK);
	assert_non_null(stat_row); /* the master takes row 0 */
	stat_update(v, 5);
	/* registered after the rows: counted in the shared counter */
	stat_register("g", "late", 0, &late, NULL);
	for (i = 0; i < CHILDREN; i++) {
		pids[i] = fork();
		assert_true(pids[i] >= 0);
		if (pids[i] == 0) {
			int k;

			stats_use_row(i + 1);
			for (k = 0; k < ROUNDS; k++) {
				stat_update(v, 1);
				/* up in one process, down in another */
				stat_update(w, i % 2 ? -1 : 1);
				stat_update(late, 1);
			}
			_exit(0);
		}
	}
	for (i = 0; i < CHILDREN; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(stat_get(v), 15 + (long)CHILDREN * ROUNDS);
	assert_int_equal(stat_get(w), 0);
	assert_int_equal(stat_get(late), (long)CHILDREN * ROUNDS);
	/* a reset brings the sum to 0; counting goes on from there */
	assert_int_equal(stat_reset(v), SV_OK);
	assert_int_equal(stat_get(v), 0);
	stat_update(v, 3);
	assert_int_equal(stat_get(v), 3);
	assert_int_equal(stat_reset(w), SV_EINVAL);
	/* an unknown row: back to the shared counter */
	stats_use_row(CHILDREN + 1);
	assert_null(stat_row);
	stat_update(v, 1);
	assert_int_equal(stat_get(v), 4);
	assert_int_equal(stats_init_rows(3), SV_EINVAL); /* once */
}

static void many_counters_span_slabs(void **state)
{
	struct stat_var *v[200];
	char name[16];
	int i;

	for (i = 0; i < 200; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		assert_int_equal(stat_register("big", name, 0, &v[i], NULL),
		                 SV_OK);
		stat_update(v[i], i);
	}
	for (i = 0; i < 200; i++)
		assert_int_equal(stat_get(v[i]), i);
	assert_int_equal(stats_group_find("big", -1)->count, 200);
}

static void core_and_shmem_groups(void **state)
{
	struct shm_stats st;
	struct stat_var *max;
	void *p;

	assert_int_equal(stats_init(), SV_OK);
	assert_non_null(core_stats.rcv_requests);
	assert_non_null(core_stats.bad_msg_hdr);
	stat_update(core_stats.rcv_requests, 3);
	assert_int_equal(stat_get(stat_find("core:rcv_requests", -1)), 3);
	assert_ptr_equal(stat_find("bad_URIs_rcvd", -1),
	                 core_stats.bad_URIs_rcvd);
	assert_int_equal(stats_group_find("core", -1)->count, 11);
	assert_int_equal(stats_group_find("shmem", -1)->count, 6);
	shm_get_stats(&st);
	assert_int_equal(stat_get(stat_find("shmem:total_size", -1)),
	                 (long)st.total_size);
	assert_int_equal(stat_get(stat_find("shmem:fragments", -1)),
	                 (long)st.fragments);
	assert_int_equal(stat_reset(stat_find("shmem:used_size", -1)),
	                 SV_EINVAL);
	/* the high-water mark can be reset to the current use */
	p = shm_malloc(512 * 1024);
	assert_non_null(p);
	shm_free(p);
	max = stat_find("shmem:max_used_size", -1);
	assert_true(stat_get(max) >=
	            stat_get(stat_find("shmem:real_used_size", -1)) +
	                512 * 1024);
	assert_int_equal(stat_reset(max), SV_OK);
	assert_int_equal(stat_get(max),
	                 stat_get(stat_find("shmem:real_used_size", -1)));
	stats_destroy();
	assert_null(core_stats.rcv_requests);
	assert_null(stats_groups());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(needs_shm),
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(register_update_get),
	    T(bad_names_and_duplicates),
	    T(refused_after_fork),
	    T(reset_and_no_reset),
	    T(function_stats),
	    T(lookups),
	    T(group_listing),
	    T(matching),
	    T(module_table),
	    T(counts_from_forked_processes),
	    T(counts_in_rows),
	    T(many_counters_span_slabs),
	    T(core_and_shmem_groups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

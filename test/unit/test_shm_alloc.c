/*
 * test_shm_alloc.c - the shared segment through its public API (shm/shm.h).
 *
 * Each test gets a fresh 4 MiB segment (setup/teardown).  Covered: init
 * limits, malloc/free/realloc/calloc/strdup, statistics returning to their
 * baseline, the fail-after-N hook (also across fork, since its counter is in
 * the segment), exhaustion with its one-line-per-burst logging (stderr is
 * redirected to a temporary file and the lines counted), and allocations
 * made by a forked child being usable and freeable by the parent.
 * Children report through their exit status only; cmocka asserts run in
 * the parent.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "shm/lock.h"
#include "shm/shm.h"

#define SEG_SIZE (4u << 20)

static int setup(void **state)
{
	(void)state;
	proc_pid = getpid();
	return shm_init(SEG_SIZE) == SV_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	shm_destroy();
	return 0;
}

/* Waits for pid and returns its exit status, -1 if it did not exit. */
static int child_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* Stats equal except max_used_size, which only grows. */
static void assert_stats_back(const struct shm_stats *a,
                              const struct shm_stats *b)
{
	assert_int_equal(a->total_size, b->total_size);
	assert_int_equal(a->used_size, b->used_size);
	assert_int_equal(a->real_used_size, b->real_used_size);
	assert_int_equal(a->free_size, b->free_size);
	assert_int_equal(a->fragments, b->fragments);
	assert_true(b->max_used_size >= a->max_used_size);
}

/* ---------------------------------------------------------------- init -- */

static void test_init_limits(void **state)
{
	long page = sysconf(_SC_PAGESIZE);
	int level = log_get_level();
	struct shm_stats st;

	(void)state;
	proc_pid = getpid();
	assert_int_equal(shm_ready(), 0);
	log_set_level(L_ALERT - 1);  /* the misuses below log */
	assert_null(shm_malloc(10));
	assert_int_equal(shm_init(1000), SV_EINVAL);
	assert_int_equal(shm_init(100000), SV_OK);
	assert_int_equal(shm_init(100000), SV_EEXIST);
	log_set_level(level);
	assert_int_equal(shm_ready(), 1);
	shm_get_stats(&st);
	assert_int_equal(st.total_size, (100000 + page - 1) / page * page);
	assert_int_equal(st.used_size, 0);
	assert_int_equal(st.fragments, 1);
	assert_int_equal(st.free_size + st.real_used_size, st.total_size);
	assert_true(st.real_used_size < 16384);
	assert_int_equal(st.max_used_size, st.real_used_size);
	shm_destroy();
	assert_int_equal(shm_ready(), 0);
}

/* ------------------------------------------------------------ allocate -- */

static void test_malloc_realloc_calloc_strdup(void **state)
{
	char *p, *q, *z, *s;
	int i;

	(void)state;
	p = shm_malloc(100);
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % 8, 0);
	for (i = 0; i < 100; i++)
		p[i] = (char)(i + 1);
	q = shm_realloc(p, 10000);
	assert_non_null(q);
	for (i = 0; i < 100; i++)
		assert_int_equal(q[i], (char)(i + 1));
	q = shm_realloc(q, 50);
	for (i = 0; i < 50; i++)
		assert_int_equal(q[i], (char)(i + 1));
	/* calloc must clear memory that was dirty */
	z = shm_malloc(256);
	memset(z, 0xaa, 256);
	shm_free(z);
	z = shm_calloc(256);
	assert_non_null(z);
	for (i = 0; i < 256; i++)
		assert_int_equal(z[i], 0);
	s = shm_strdup("sip:alice@example.com");
	assert_string_equal(s, "sip:alice@example.com");
	p = shm_realloc(NULL, 30);
	assert_non_null(p);
	assert_int_equal(shm_check(), SV_OK);
	shm_free(p);
	shm_free(q);
	shm_free(z);
	shm_free(s);
	shm_free(NULL);
	assert_int_equal(shm_check(), SV_OK);
}

static void test_locked_variants(void **state)
{
	struct shm_stats st0, st;
	void *a, *b;

	(void)state;
	shm_get_stats(&st0);
	shm_lock();
	a = shm_malloc_locked(500);
	b = shm_malloc_locked(700);
	a = shm_realloc_locked(a, 1500);
	shm_free_locked(b);
	shm_free_locked(a);
	shm_unlock();
	assert_non_null(a);
	shm_get_stats(&st);
	assert_stats_back(&st0, &st);
}

/* --------------------------------------------------------------- stats -- */

static void test_stats_return_to_baseline(void **state)
{
	struct shm_stats st0, st;
	void *p[200];
	size_t want = 0;
	int i;

	(void)state;
	shm_get_stats(&st0);
	for (i = 0; i < 200; i++) {
		size_t n = 64 + (size_t)(i * 37) % 4000;

		p[i] = shm_malloc(n);
		assert_non_null(p[i]);
		want += (n + 7) & ~(size_t)7;
	}
	for (i = 0; i < 200; i += 2)
		shm_free(p[i]);
	shm_get_stats(&st);
	assert_true(st.used_size > 0 && st.used_size < want);
	assert_true(st.real_used_size >= st.used_size + 100 * 8);
	assert_int_equal(st.free_size, st.total_size - st.real_used_size);
	assert_true(st.fragments > 50);
	for (i = 1; i < 200; i += 2)
		shm_free(p[i]);
	shm_get_stats(&st);
	assert_stats_back(&st0, &st);
	assert_true(st.max_used_size >= st0.real_used_size + want);
	shm_reset_max_used();
	shm_get_stats(&st);
	assert_int_equal(st.max_used_size, st.real_used_size);
}

/* ---------------------------------------------------------- fail-after -- */

static void test_fail_after(void **state)
{
	struct shm_stats st0, st;
	void *ok[3], *p;
	int level = log_get_level(), i;

	(void)state;
	p = shm_malloc(32);
	shm_get_stats(&st0);
	log_set_level(L_ALERT - 1);
	shm_fail_after(3);
	for (i = 0; i < 3; i++) {
		ok[i] = shm_malloc(100);
		assert_non_null(ok[i]);
	}
	for (i = 0; i < 5; i++)
		assert_null(shm_malloc(8));
	assert_null(shm_calloc(8));
	assert_null(shm_strdup("x"));
	assert_null(shm_realloc(p, 16));
	shm_fail_after(-1);
	for (i = 0; i < 3; i++)
		shm_free(ok[i]);
	shm_get_stats(&st);
	assert_stats_back(&st0, &st);
	/* n = 0 fails the very next one */
	shm_fail_after(0);
	assert_null(shm_malloc(8));
	shm_fail_after(-1);
	ok[0] = shm_malloc(8);
	log_set_level(level);
	assert_non_null(ok[0]);
	shm_free(ok[0]);
	shm_free(p);
}

static void test_fail_after_across_fork(void **state)
{
	int level = log_get_level();
	pid_t pid;

	(void)state;
	log_set_level(L_ALERT - 1);
	shm_fail_after(1);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		void *a, *b;

		proc_pid = getpid();
		a = shm_malloc(64);
		b = shm_malloc(64);
		_exit(a != NULL && b == NULL ? 0 : 1);
	}
	assert_int_equal(child_status(pid), 0);
	/* the child used up the count: the parent fails too */
	assert_null(shm_malloc(64));
	shm_fail_after(-1);
	log_set_level(level);
	assert_int_equal(shm_check(), SV_OK);
}

/* ---------------------------------------------------------- exhaustion -- */

/* Counts the lines of file f that contain needle. */
static int count_lines(FILE *f, const char *needle)
{
	char line[4096];
	int n = 0;

	rewind(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, needle) != NULL)
			n++;
	return n;
}

static void test_exhaustion_logs_once(void **state)
{
	static void *blk[SEG_SIZE / 65536 + 1];
	FILE *log = tmpfile();
	int saved = dup(STDERR_FILENO), level = log_get_level();
	struct shm_stats st0, st;
	size_t n = 0, i;

	(void)state;
	assert_non_null(log);
	shm_get_stats(&st0);
	log_set_level(L_NOTICE);
	dup2(fileno(log), STDERR_FILENO);
	while ((blk[n] = shm_malloc(65536)) != NULL)
		n++;
	for (i = 0; i < 10; i++)
		assert_null(shm_malloc(65536));
	shm_free(blk[--n]);
	blk[n] = shm_malloc(1000);  /* succeeds: ends the burst */
	dup2(saved, STDERR_FILENO);
	close(saved);
	log_set_level(level);
	assert_non_null(blk[n]);
	assert_true(n > 60);
	assert_int_equal(count_lines(log, "out of shared memory"), 1);
	assert_int_equal(count_lines(log, "11 shm allocation(s) failed"), 1);
	fclose(log);
	assert_int_equal(shm_check(), SV_OK);
	for (i = 0; i <= n; i++)
		shm_free(blk[i]);
	shm_get_stats(&st);
	assert_stats_back(&st0, &st);
}

/* ---------------------------------------------------------------- fork -- */

static void test_child_allocation_visible(void **state)
{
	struct shm_stats st0, st;
	char **slot, *parent_str;
	pid_t pid;

	(void)state;
	slot = shm_calloc(sizeof(*slot));
	parent_str = shm_strdup("from the parent");
	shm_get_stats(&st0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		proc_pid = getpid();
		if (strcmp(parent_str, "from the parent") != 0)
			_exit(2);
		*slot = shm_strdup("from the child");
		_exit(*slot != NULL ? 0 : 1);
	}
	assert_int_equal(child_status(pid), 0);
	assert_non_null(*slot);
	assert_string_equal(*slot, "from the child");
	shm_get_stats(&st);
	assert_true(st.used_size > st0.used_size);
	shm_free(*slot);
	shm_get_stats(&st);
	assert_stats_back(&st0, &st);
	shm_free(parent_str);
	shm_free(slot);
	assert_int_equal(shm_check(), SV_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_limits),
		cmocka_unit_test_setup_teardown(
			test_malloc_realloc_calloc_strdup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locked_variants, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_stats_return_to_baseline,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_fail_after, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_fail_after_across_fork,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion_logs_once,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_child_allocation_visible,
		                                setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

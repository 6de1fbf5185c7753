/*
 * test_mi_async.c - deferred MI replies completed by another process.
 *
 * A forked process completes the handle the way a SIP worker would after
 * a final reply; the test (standing for the transport's process) waits on
 * the notify pipe, takes the reply and renders it.  Every ordering of
 * complete/take/abandon is covered, and shm use must return to where it
 * was: exactly one side frees the handle and the copy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "mi/async.h"
#include "mi/render.h"
#include "shm/lock.h"
#include "shm/shm.h"

#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int pipefd[2];
static unsigned long used_before;

static unsigned long shm_used(void)
{
	struct shm_stats st;

	shm_get_stats(&st);
	return st.used_size;
}

static int setup(void **state)
{
	proc_pid = getpid();
	log_set_level(L_CRIT);
	if (shm_init(1 << 20) != SV_OK ||
	    pipe2(pipefd, O_NONBLOCK | O_CLOEXEC) != 0)
		return -1;
	used_before = shm_used();
	return 0;
}

static int teardown(void **state)
{
	unsigned long used = shm_used();

	close(pipefd[0]);
	close(pipefd[1]);
	shm_destroy();
	return used == used_before ? 0 : -1; /* no leak, no double free */
}

static struct mi_root *sample_reply(void)
{
	struct mi_root *r = mi_root_new(200, "OK");
	struct mi_node *n = mi_add_child(&r->node, "Status", -1, "200 OK", -1);

	mi_add_attr(n, "branch", -1, "0", -1);
	mi_add_child(n, NULL, 0, "From: <sip:a@b>;tag=1\r\n", -1);
	return r;
}

static const char *expected =
    "200 OK\nStatus:: 200 OK branch=0\n\tFrom: <sip:a@b>;tag=1\r\n\n\n";

/* Forks a process that completes a after delay_ms; returns its pid. */
static pid_t complete_later(struct mi_async *a, int delay_ms, int null_reply)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int rc;

		proc_pid = getpid();
		usleep(delay_ms * 1000);
		rc = mi_async_complete(a, null_reply ? NULL : sample_reply());
		_exit(rc == SV_OK ? 0 : rc == SV_ETIMEOUT ? 2 : 1);
	}
	return pid;
}

static int exit_code(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void wait_notify(void)
{
	struct pollfd p = {.fd = pipefd[0], .events = POLLIN};
	char c;

	assert_int_equal(poll(&p, 1, 5000), 1);
	assert_int_equal(read(pipefd[0], &c, 1), 1);
}

static void completed_by_other_process(void **state)
{
	struct mi_async *a = mi_async_new(pipefd[1]);
	struct mi_root *rpl = NULL;
	char text[256];
	pid_t pid;

	assert_non_null(a);
	assert_int_equal(mi_async_take(a, &rpl), SV_EAGAIN);
	pid = complete_later(a, 50, 0);
	wait_notify();
	assert_int_equal(mi_async_take(a, &rpl), SV_OK);
	assert_non_null(rpl);
	assert_true(rpl->in_shm);
	assert_true(mi_render_text_buf(rpl, NULL, text, sizeof(text)) > 0);
	assert_string_equal(text, expected);
	mi_root_free(rpl);
	assert_int_equal(exit_code(pid), 0);
}

static void abandoned_then_completed(void **state)
{
	struct mi_async *a = mi_async_new(pipefd[1]);
	pid_t pid = complete_later(a, 50, 0);

	mi_async_abandon(a); /* the completer frees everything */
	assert_int_equal(exit_code(pid), 2);
}

static void completed_then_abandoned(void **state)
{
	struct mi_async *a = mi_async_new(-1);
	pid_t pid = complete_later(a, 0, 0);

	assert_int_equal(exit_code(pid), 0);
	mi_async_abandon(a); /* the reply arrived: freed here */
}

static void failed_command(void **state)
{
	struct mi_async *a = mi_async_new(pipefd[1]);
	struct mi_root *rpl = MI_ROOT_ASYNC_RPL;
	pid_t pid = complete_later(a, 0, 1);

	assert_int_equal(exit_code(pid), 0);
	wait_notify();
	assert_int_equal(mi_async_take(a, &rpl), SV_OK);
	assert_null(rpl); /* the transport answers 500 */
}

static void no_shm_for_the_copy(void **state)
{
	struct mi_async *a = mi_async_new(-1);
	struct mi_root *rpl = MI_ROOT_ASYNC_RPL;

	shm_fail_after(0);
	assert_int_equal(mi_async_complete(a, sample_reply()), SV_ENOMEM);
	shm_fail_after(-1);
	assert_int_equal(mi_async_take(a, &rpl), SV_OK);
	assert_null(rpl);
}

static void unused_handle(void **state)
{
	struct mi_async *a = mi_async_new(-1);

	assert_non_null(a);
	mi_async_free(a);
	shm_fail_after(0);
	assert_null(mi_async_new(-1));
	shm_fail_after(-1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	    T(completed_by_other_process), T(abandoned_then_completed),
	    T(completed_then_abandoned),   T(failed_command),
	    T(no_shm_for_the_copy),        T(unused_handle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

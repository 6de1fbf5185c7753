/*
 * test_mi_tree.c - MI trees and their text rendering.
 *
 * Builds trees with the public API and checks the exact bytes of the
 * FIFO text form (OpenSER's writer: "name:: value", " attr=value",
 * children one tab deeper, final empty line), streaming through a small
 * writer, iterative traversal of deep trees, flat copies, and the
 * argument accessors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/errors.h"
#include "mi/render.h"
#include "mi/tree.h"

#include <stdlib.h>
#include <string.h>

static char out[65536];

static const char *render(const struct mi_root *root)
{
	int n = mi_render_text_buf(root, NULL, out, sizeof(out));

	assert_true(n >= 0);
	return out;
}

static void status_only(void **state)
{
	struct mi_root *r = mi_root_new(200, MI_OK_S);

	assert_non_null(r);
	assert_string_equal(render(r), "200 OK\n\n");
	mi_root_free(r);
	r = mi_root_new(400, MI_MISSING_PARM_S);
	assert_string_equal(render(r), "400 Too few or too many arguments\n\n");
	mi_root_free(r);
	r = mi_root_newf(500, "command '%s' failed", "t_uac_dlg");
	assert_string_equal(render(r), "500 command 't_uac_dlg' failed\n\n");
	mi_root_free(r);
	r = mi_root_new(404, NULL);
	assert_string_equal(render(r), "404 \n\n");
	mi_root_free(r);
}

static void names_values_attrs(void **state)
{
	struct mi_root *r = mi_root_new(200, "OK");
	struct mi_node *n;

	assert_non_null(mi_add_child(&r->node, NULL, 0, "core:x = 1", -1));
	assert_non_null(mi_add_child(&r->node, "Up time", -1, "12 [sec]", -1));
	n = mi_add_child(&r->node, "Process", -1, NULL, 0);
	assert_non_null(mi_add_attrf(n, "ID", -1, "%d", 0));
	assert_non_null(mi_add_attrf(n, "PID", -1, "%d", 123));
	assert_non_null(mi_add_attr(n, "Type", -1, "attendant", -1));
	n = mi_add_child(&r->node, "empty", -1, "", 0);
	assert_non_null(n);
	n = mi_add_child(&r->node, NULL, 0, "v", -1);
	assert_non_null(mi_add_attr(n, NULL, 0, "bare", -1));
	assert_string_equal(render(r),
	                    "200 OK\n"
	                    "core:x = 1\n"
	                    "Up time:: 12 [sec]\n"
	                    "Process::  ID=0 PID=123 Type=attendant\n"
	                    "empty:: \n"
	                    "vbare\n"
	                    "\n");
	mi_root_free(r);
}

static void nesting_and_indent(void **state)
{
	struct mi_root *r = mi_root_new(200, "OK");
	struct mi_node *a, *b;

	a = mi_add_child(&r->node, "a", -1, "1", -1);
	b = mi_add_child(a, "b", -1, "2", -1);
	mi_add_child(b, "c", -1, "3", -1);
	mi_add_child(a, "d", -1, "4", -1);
	mi_add_child(&r->node, "e", -1, "5", -1);
	assert_string_equal(render(r), "200 OK\na:: 1\n\tb:: 2\n\t\tc:: 3\n"
	                               "\td:: 4\ne:: 5\n\n");
	assert_true(mi_render_text_buf(r, "  ", out, sizeof(out)) > 0);
	assert_string_equal(out, "200 OK\na:: 1\n  b:: 2\n    c:: 3\n"
	                         "  d:: 4\ne:: 5\n\n");
	mi_root_free(r);
}

static void values_are_copied_and_terminated(void **state)
{
	struct mi_root *r = mi_root_new(200, "OK");
	char name[] = "abcdef", value[] = "0123456789";
	struct mi_node *n = mi_add_child(&r->node, name, 3, value, 4);

	memset(name, 'x', sizeof(name) - 1);
	memset(value, 'y', sizeof(value) - 1);
	assert_int_equal(n->name.len, 3);
	assert_string_equal(n->name.s, "abc");
	assert_int_equal(n->value.len, 4);
	assert_string_equal(n->value.s, "0123");
	assert_ptr_equal(n->parent, &r->node);
	mi_root_free(r);
}

struct chunks {
	int calls;
	size_t total;
	char data[200000];
	int fail_at;
};

static int chunk_write(void *ctx, const char *buf, size_t len)
{
	struct chunks *c = ctx;

	c->calls++;
	if (c->fail_at && c->calls >= c->fail_at)
		return SV_EIO;
	assert_true(c->total + len <= sizeof(c->data));
	memcpy(c->data + c->total, buf, len);
	c->total += len;
	return SV_OK;
}

static void streaming_large_reply(void **state)
{
	struct mi_root *r = mi_root_new(200, "OK");
	static struct chunks c;
	char big[10000];
	int i;

	memset(big, 'z', sizeof(big));
	for (i = 0; i < 1000; i++)
		mi_add_childf(&r->node, "n", -1, "%d", i);
	mi_add_child(&r->node, "big", -1, big, sizeof(big));
	memset(&c, 0, sizeof(c));
	assert_int_equal(mi_render_text(r, NULL, chunk_write, &c), SV_OK);
	assert_true(c.calls > 2);
	assert_memory_equal(c.data, "200 OK\nn:: 0\nn:: 1\n", 19);
	assert_memory_equal(c.data + c.total - 3, "z\n\n", 3);
	/* the writer's error stops rendering and is returned */
	memset(&c, 0, sizeof(c));
	c.fail_at = 2;
	assert_int_equal(mi_render_text(r, NULL, chunk_write, &c), SV_EIO);
	assert_int_equal(c.calls, 2);
	mi_root_free(r);
}

static void render_buf_too_small(void **state)
{
	struct mi_root *r = mi_root_new(200, "OK");
	char small[8];

	mi_add_child(&r->node, "name", -1, "value", -1);
	assert_int_equal(mi_render_text_buf(r, NULL, small, sizeof(small)),
	                 SV_ETOOBIG);
	assert_string_equal(small, "200 OK\n");
	mi_root_free(r);
}

static void nodes_only(void **state)
{
	struct mi_root *r = mi_root_new(404, "Statistics Not Found");
	static struct chunks c;

	mi_add_child(&r->node, "x", -1, "1", -1);
	memset(&c, 0, sizeof(c));
	assert_int_equal(mi_render_nodes(r, NULL, chunk_write, &c), SV_OK);
	assert_int_equal(c.total, 6);
	assert_memory_equal(c.data, "x:: 1\n", 6);
	mi_root_free(r);
}

static void deep_tree_no_recursion(void **state)
{
	struct mi_root *r = mi_root_new(200, "OK");
	struct mi_node *n = &r->node;
	int i, depth = 0, count = 0, max = 0;

	for (i = 0; i < 100000; i++)
		n = mi_add_child(n, NULL, 0, "d", 1);
	assert_non_null(n);
	for (n = r->node.kids; n; n = mi_node_next(&r->node, n, &depth)) {
		count++;
		if (depth > max)
			max = depth;
	}
	assert_int_equal(count, 100000);
	assert_int_equal(max, 99999);
	mi_root_free(r); /* must not overflow the stack either */
}

static void arguments(void **state)
{
	struct mi_root *r = mi_root_new(0, NULL);

	assert_int_equal(mi_arg_count(r), 0);
	assert_null(mi_arg(r, 0));
	mi_add_child(&r->node, NULL, 0, "first", -1);
	mi_add_child(&r->node, "name", -1, "second", -1);
	assert_int_equal(mi_arg_count(r), 2);
	assert_string_equal(mi_arg(r, 0)->value.s, "first");
	assert_null(mi_arg(r, 0)->name.s);
	assert_string_equal(mi_arg(r, 1)->name.s, "name");
	assert_null(mi_arg(r, 2));
	assert_null(mi_arg(r, -1));
	mi_root_free(r);
	mi_root_free(NULL);
	mi_root_free(MI_ROOT_ASYNC_RPL);
}

static struct mi_root *sample_tree(void)
{
	struct mi_root *r = mi_root_new(200, "OK");
	struct mi_node *a, *b;

	a = mi_add_child(&r->node, "a", -1, "1", -1);
	mi_add_attr(a, "x", -1, "y", -1);
	b = mi_add_child(a, NULL, 0, "2", -1);
	mi_add_child(b, "c", -1, NULL, 0);
	mi_add_child(a, "d", -1, "4", -1);
	mi_add_child(&r->node, "e", -1, "5", -1);
	mi_add_attr(&r->node, "top", -1, "t", -1);
	return r;
}

static void flat_copy(void **state)
{
	struct mi_root *r = sample_tree(), *c;
	size_t size = mi_tree_flat_size(r);
	char expect[512];
	void *block;

	assert_true(mi_render_text_buf(r, NULL, expect, sizeof(expect)) > 0);
	block = malloc(size);
	assert_null(mi_tree_flat_copy(r, block, size - 8, 0));
	c = mi_tree_flat_copy(r, block, size, 0);
	assert_ptr_equal(c, block);
	mi_root_free(r); /* the copy does not depend on the original */
	assert_string_equal(render(c), expect);
	assert_string_equal(c->node.attrs->name.s, "top");
	assert_int_equal(c->arena, c->arena_end); /* size was exact */
	mi_root_free(c); /* not in shm: the caller's block, left alone */
	free(block);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(status_only),
	    cmocka_unit_test(names_values_attrs),
	    cmocka_unit_test(nesting_and_indent),
	    cmocka_unit_test(values_are_copied_and_terminated),
	    cmocka_unit_test(streaming_large_reply),
	    cmocka_unit_test(render_buf_too_small),
	    cmocka_unit_test(nodes_only),
	    cmocka_unit_test(deep_tree_no_recursion),
	    cmocka_unit_test(arguments),
	    cmocka_unit_test(flat_copy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

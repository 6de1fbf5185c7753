/*
 * test_mi_fifo_parser.c - framing and parsing of MI FIFO requests.
 *
 * Good requests (plain, named, quoted, multi-line, escaped values, CRLF),
 * malformed ones (no leading colon, no second colon, bad or escaping reply
 * names, oversize lines, unterminated quotes, text after a quote, bad
 * command names) and the recovery rule: garbage is skipped up to the next
 * empty line and the following request parses normally.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/errors.h"
#include "modules/mi_fifo/fifo_parser.h"

#include <stdlib.h>
#include <string.h>

static struct fifo_request req;

/* Frames and parses the first request of text. */
static int parse(const char *text)
{
	size_t len = strlen(text), skip, end;

	skip = fifo_skip_blank_lines(text, len);
	end = fifo_request_end(text + skip, len - skip);
	assert_true(end > 0);
	return fifo_parse_request(text + skip, end, &req);
}

static void done(void)
{
	mi_root_free(req.args);
	req.args = NULL;
}

static void assert_arg(int i, const char *name, const char *value)
{
	struct mi_node *n = mi_arg(req.args, i);

	assert_non_null(n);
	if (name == NULL)
		assert_null(n->name.s);
	else
		assert_string_equal(n->name.s, name);
	assert_non_null(n->value.s);
	assert_int_equal(n->value.len, strlen(value));
	assert_memory_equal(n->value.s, value, strlen(value));
}

static void simple(void **state)
{
	assert_int_equal(parse(":uptime:serval_reply_1\n\n"), SV_OK);
	assert_string_equal(req.cmd, "uptime");
	assert_string_equal(req.reply, "serval_reply_1");
	assert_int_equal(mi_arg_count(req.args), 0);
	done();
	assert_int_equal(parse("\n\n:ps:openser_receiver_42\n\n"), SV_OK);
	assert_string_equal(req.cmd, "ps");
	assert_string_equal(req.reply, "openser_receiver_42");
	done();
}

static void no_reply_fifo(void **state)
{
	assert_int_equal(parse(":kill:\n\n"), SV_OK);
	assert_string_equal(req.cmd, "kill");
	assert_string_equal(req.reply, "");
	done();
	assert_int_equal(parse(":kill:   \n\n"), SV_OK);
	assert_string_equal(req.reply, "");
	done();
}

static void plain_and_named(void **state)
{
	assert_int_equal(parse(":get_statistics:r\ncore:\n  tm:  \n"
	                       "name::value\nn2::  v2 \nempty::\n::1\n"
	                       "sip:[::1]:5060\na b::c\n\n"),
	                 SV_OK);
	assert_int_equal(mi_arg_count(req.args), 8);
	assert_arg(0, NULL, "core:");
	assert_arg(1, NULL, "tm:");
	assert_arg(2, "name", "value");
	assert_arg(3, "n2", "v2");
	assert_arg(4, "empty", "");
	assert_arg(5, NULL, "::1");
	assert_arg(6, NULL, "sip:[::1]:5060");
	assert_arg(7, NULL, "a b::c");
	done();
}

static void quoted(void **state)
{
	assert_int_equal(parse(":t_uac_dlg:r\n\"  spaced  \"\n"
	                       "hdr::\"a::b\"  \n\"say \\\"hi\\\" \\x\"\n"
	                       "\"\"\n\n"),
	                 SV_OK);
	assert_int_equal(mi_arg_count(req.args), 4);
	assert_arg(0, NULL, "  spaced  ");
	assert_arg(1, "hdr", "a::b");
	assert_arg(2, NULL, "say \"hi\" \\x");
	assert_arg(3, NULL, "");
	done();
}

static void quoted_multi_line(void **state)
{
	assert_int_equal(parse(":t_uac_dlg:r\nOPTIONS\n\"From: <sip:a@b>\r\n"
	                       "To: <sip:c@d>\r\n\"\n.\n\n"),
	                 SV_OK);
	assert_int_equal(mi_arg_count(req.args), 3);
	assert_arg(0, NULL, "OPTIONS");
	assert_arg(1, NULL, "From: <sip:a@b>\r\nTo: <sip:c@d>\r\n");
	assert_arg(2, NULL, ".");
	done();
	/* blank lines inside quotes are content */
	assert_int_equal(parse(":x:r\n\"a\n   \nb\"\n\n"), SV_OK);
	assert_arg(0, NULL, "a\n   \nb");
	done();
}

static void crlf_and_blank_lines(void **state)
{
	assert_int_equal(parse(":x:r\r\nv1\r\n   \r\n\t\n\tv2 \r\n\r\n"),
	                 SV_OK);
	assert_string_equal(req.cmd, "x");
	assert_string_equal(req.reply, "r");
	assert_int_equal(mi_arg_count(req.args), 2);
	assert_arg(0, NULL, "v1");
	assert_arg(1, NULL, "v2");
	done();
}

static void assert_bad(const char *text, const char *reply, int line)
{
	assert_int_equal(parse(text), SV_EINVAL);
	assert_null(req.args);
	assert_non_null(req.error);
	assert_string_equal(req.reply, reply);
	assert_int_equal(req.error_line, line);
}

static void missing_colons(void **state)
{
	assert_bad("uptime\n\n", "", 1);
	assert_string_equal(req.error, "request does not start with ':'");
	assert_bad(":uptime\n\n", "", 1);
	assert_string_equal(req.error, "missing ':' after the command name");
	assert_bad("::r\n\n", "r", 1);
	assert_string_equal(req.error, "empty command name");
}

static void bad_reply_names(void **state)
{
	assert_bad(":uptime:../etc/passwd\n\n", "", 1);
	assert_string_equal(req.error, "bad reply fifo name");
	assert_string_equal(req.cmd, "uptime");
	assert_bad(":uptime:a/b\n\n", "", 1);
	assert_bad(":uptime:/tmp/x\n\n", "", 1);
	assert_bad(":uptime:..\n\n", "", 1);
	assert_bad(":uptime:.hidden\n\n", "", 1);
	assert_bad(":uptime:a\\b\n\n", "", 1);
	assert_bad(":uptime:a b\n\n", "", 1);
	assert_bad(":uptime:a:b\n\n", "", 1);
}

static void reply_name_length(void **state)
{
	char text[400];

	memset(text, 0, sizeof(text));
	strcpy(text, ":ps:");
	memset(text + 4, 'r', MI_FIFO_REPLY_MAX);
	strcat(text, "\n\n");
	assert_int_equal(parse(text), SV_OK);
	assert_int_equal(strlen(req.reply), MI_FIFO_REPLY_MAX);
	done();
	memset(text + 4, 'r', MI_FIFO_REPLY_MAX + 1);
	strcpy(text + 4 + MI_FIFO_REPLY_MAX + 1, "\n\n");
	assert_bad(text, "", 1);
}

static void bad_command_names(void **state)
{
	char text[200];

	assert_bad(":up\x01time:r\n\n", "r", 1);
	assert_string_equal(req.error, "bad command name");
	assert_string_equal(req.cmd, "up?time");
	memset(text, 0, sizeof(text));
	text[0] = ':';
	memset(text + 1, 'c', MI_CMD_NAME_MAX + 1);
	strcat(text, ":r\n\n");
	assert_bad(text, "r", 1);
	assert_string_equal(req.error, "command name too long");
	assert_int_equal(strlen(req.cmd), MI_CMD_NAME_MAX);
}

static void oversize_lines(void **state)
{
	size_t n = MI_FIFO_LINE_MAX + 64;
	char *text = calloc(1, n + 64);

	text[0] = ':';
	memset(text + 1, 'c', MI_FIFO_LINE1_MAX);
	strcat(text, ":r\n\n");
	assert_bad(text, "", 1);
	assert_string_equal(req.error, "first line too long");

	strcpy(text, ":x:r\nok\n");
	memset(text + 8, 'v', MI_FIFO_LINE_MAX);
	strcpy(text + 8 + MI_FIFO_LINE_MAX, "\n\n");
	assert_int_equal(parse(text), SV_OK); /* exactly the limit */
	assert_int_equal(mi_arg(req.args, 1)->value.len, MI_FIFO_LINE_MAX);
	done();
	memset(text + 8, 'v', MI_FIFO_LINE_MAX + 1);
	strcpy(text + 8 + MI_FIFO_LINE_MAX + 1, "\n\n");
	assert_bad(text, "r", 3);
	assert_string_equal(req.error, "argument line too long");
	free(text);
}

static void quote_errors(void **state)
{
	assert_bad(":x:r\nok\n\"abc\n\n", "r", 3);
	assert_string_equal(req.error, "unterminated quoted value");
	assert_bad(":x:r\n\"abc\" d\n\n", "r", 2);
	assert_string_equal(req.error, "text after a closing quote");
	assert_bad(":x:r\n\"a\nb\" d\n\n", "r", 3);
	assert_bad(":x:r\nname::\"a \\\"\n\n", "r", 2);
	assert_string_equal(req.error, "unterminated quoted value");
}

/* Walks buf as the server does; returns the number of good requests. */
static int walk(const char *buf, int *bad)
{
	size_t len = strlen(buf), pos = 0, skip, end;
	int good = 0;

	*bad = 0;
	for (;;) {
		skip = fifo_skip_blank_lines(buf + pos, len - pos);
		pos += skip;
		end = fifo_request_end(buf + pos, len - pos);
		if (end == 0)
			return good;
		if (fifo_parse_request(buf + pos, end, &req) == SV_OK) {
			good++;
			assert_string_equal(req.cmd, "uptime");
			done();
		} else {
			(*bad)++;
		}
		pos += end;
	}
}

static void garbage_between_requests(void **state)
{
	int bad;

	assert_int_equal(walk(":uptime:a\n\ngarbage\nmore garbage\n\n\n"
	                      ":uptime:b\n\n\"x\n\n:uptime:c\n\n"
	                      ":uptime:d\n\"open\n\nstill\"\n\n"
	                      ":uptime:e\n\n:partial:f\n",
	                      &bad),
	                 4);
	/* garbage; the quote cut by an empty line (twice: its tail is
	   garbage too); the partial request is not framed yet */
	assert_int_equal(bad, 4);
}

static void framing(void **state)
{
	const char *two = ":a:r\nx\n\n:b:r\n\n";

	assert_int_equal(fifo_request_end(two, strlen(two)), 8);
	assert_int_equal(fifo_request_end(two + 8, strlen(two) - 8), 6);
	assert_int_equal(fifo_request_end(":a:r\nx\n", 7), 0);
	assert_int_equal(fifo_request_end(":a:r\r\n\r\n", 8), 8);
	assert_int_equal(fifo_skip_blank_lines("\n\r\n\n:a", 6), 4);
	assert_int_equal(fifo_skip_blank_lines("\r", 1), 0);
	assert_int_equal(fifo_skip_blank_lines("", 0), 0);
	/* not framed: refused, not overrun */
	assert_int_equal(fifo_parse_request(":a:r\nx\n", 7, &req), SV_EINVAL);
	assert_string_equal(req.error, "incomplete request");
	assert_string_equal(req.reply, "r");
}

static void head_only(void **state)
{
	char *big = malloc(MI_FIFO_REQ_MAX);

	memset(big, 'x', MI_FIFO_REQ_MAX);
	memcpy(big, ":ps:rr\n", 7);
	assert_int_equal(
	    fifo_parse_head(big, MI_FIFO_REQ_MAX, "request too big", &req),
	    SV_EINVAL);
	assert_string_equal(req.cmd, "ps");
	assert_string_equal(req.reply, "rr");
	assert_string_equal(req.error, "request too big");
	/* no complete first line: nobody to answer */
	memset(big, 'x', MI_FIFO_REQ_MAX);
	big[0] = ':';
	assert_int_equal(fifo_parse_head(big, MI_FIFO_REQ_MAX, "too big", &req),
	                 SV_EINVAL);
	assert_string_equal(req.reply, "");
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(simple),
	    cmocka_unit_test(no_reply_fifo),
	    cmocka_unit_test(plain_and_named),
	    cmocka_unit_test(quoted),
	    cmocka_unit_test(quoted_multi_line),
	    cmocka_unit_test(crlf_and_blank_lines),
	    cmocka_unit_test(missing_colons),
	    cmocka_unit_test(bad_reply_names),
	    cmocka_unit_test(reply_name_length),
	    cmocka_unit_test(bad_command_names),
	    cmocka_unit_test(oversize_lines),
	    cmocka_unit_test(quote_errors),
	    cmocka_unit_test(garbage_between_requests),
	    cmocka_unit_test(framing),
	    cmocka_unit_test(head_only),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

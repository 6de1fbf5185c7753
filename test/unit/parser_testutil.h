/*
 * parser_testutil.h - helpers shared by the parser unit tests (static, so
 * each test file includes its own copy; no support object needed).
 *
 * Every message handed to the parser is copied into a heap buffer of
 * exactly its length, with no NUL after it, so AddressSanitizer reports any
 * read past the end of a message.
 */
#ifndef SERVAL_TEST_PARSER_TESTUTIL_H
#define SERVAL_TEST_PARSER_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/parser/msg.h"

struct tmsg {
	char *buf;
	int len;
	int rc; /* parse_msg() result */
	struct sip_msg *msg;
};

/* Parses len bytes of text (len < 0: strlen) from an exact-size copy. */
static inline void tmsg_parse_n(struct tmsg *t, const char *text, int len)
{
	if (len < 0)
		len = (int)strlen(text);
	t->len = len;
	t->buf = malloc(len > 0 ? (size_t)len : 1);
	assert_non_null(t->buf);
	memcpy(t->buf, text, (size_t)len);
	t->msg = malloc(sizeof(*t->msg));
	assert_non_null(t->msg);
	t->rc = parse_msg(t->buf, len, t->msg);
}

static inline void tmsg_parse(struct tmsg *t, const char *text)
{
	tmsg_parse_n(t, text, -1);
}

static inline void tmsg_free(struct tmsg *t)
{
	free_sip_msg(t->msg);
	free(t->msg);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

/* Reads a corpus file (relative to the repository top) and parses it. */
static inline void tmsg_load(struct tmsg *t, const char *rel)
{
	const char *top = getenv("SERVAL_TOP");
	char path[512], *data;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = malloc((size_t)n + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	tmsg_parse_n(t, data, (int)n);
	free(data);
}

/* cmocka has no "fail with a formatted message at file:line". */
static inline void fail_str_at(const char *file, int line, const str *s,
                               const char *lit, size_t n)
{
	print_error("%s:%d: got [%.*s] (%d bytes), want [%.*s] (%zu bytes)\n",
	            file, line, s->s ? s->len : 0, s->s ? s->s : "", s->len,
	            (int)n, lit, n);
	fail();
}

/* Asserts that s holds exactly the n bytes of lit (NULs allowed). */
static inline void assert_strn(const str *s, const char *lit, size_t n,
                               const char *file, int line)
{
	if (s->len != (int)n || (n && memcmp(s->s, lit, n) != 0))
		fail_str_at(file, line, s, lit, n);
}

#define assert_str(s, lit)                                                     \
	assert_strn((s), (lit), sizeof(lit) - 1, __FILE__, __LINE__)
#define assert_str_empty(s) assert_int_equal((s)->len, 0)

#endif /* SERVAL_TEST_PARSER_TESTUTIL_H */

/*
 * test_cfg_lexer.c - the script lexer: tokens, positions, values, errors.
 *
 * Each case lexes a small text and checks the token list (type, text or
 * number, line:col) or the exact error message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cfg/lexer.h"
#include "core/errors.h"
#include "core/log.h"

#define MAXTOK 64

static struct cfg_arena arena;
static struct cfg_token toks[MAXTOK];
static int ntoks;

/* Lexes text; returns the code of the first failure (or SV_OK). */
static int lex_all(const char *text)
{
	struct cfg_lexer lx;
	int rc;

	cfg_arena_free(&arena);
	cfg_clear_error();
	ntoks = 0;
	rc = cfg_lexer_init(&lx, "t.cfg", text, strlen(text), &arena);
	while (rc == SV_OK && ntoks < MAXTOK) {
		rc = cfg_lex(&lx, &toks[ntoks]);
		if (rc != SV_OK || toks[ntoks++].type == TK_EOF)
			break;
	}
	return rc;
}

static void check_tok(int i, enum cfg_tok type, const char *text, int line,
                      int col)
{
	assert_true(i < ntoks);
	assert_int_equal(toks[i].type, type);
	if (text)
		assert_string_equal(toks[i].text, text);
	assert_int_equal(toks[i].pos.line, line);
	assert_int_equal(toks[i].pos.col, col);
	assert_string_equal(toks[i].pos.file, "t.cfg");
}

static void test_comments_positions(void **state)
{
	assert_int_equal(lex_all("# comment\n  debug=3 /* a\n /* nested */ b"
	                         " */ fork = no\n"),
	                 SV_OK);
	assert_int_equal(ntoks, 7);
	check_tok(0, TK_WORD, "debug", 2, 3);
	check_tok(1, TK_ASSIGN, NULL, 2, 8);
	check_tok(2, TK_NUMBER, "3", 2, 9);
	assert_int_equal(toks[2].num, 3);
	check_tok(3, TK_WORD, "fork", 3, 20);
	check_tok(5, TK_WORD, "no", 3, 27);
	assert_int_equal(toks[5].kw, KW_NO);
	check_tok(6, TK_EOF, NULL, 4, 1);
}

static void test_strings(void **state)
{
	assert_int_equal(lex_all("\"a\\tb\\\"c\\x41\\101\\+\\1\" 'x\\ty'"),
	                 SV_OK);
	check_tok(0, TK_STRING, "a\tb\"cAA\\+\\1", 1, 1);
	check_tok(1, TK_STRING, "x\\ty", 1, 23);
	assert_int_equal(lex_all("\"one \\\ntwo\" x"), SV_OK);
	check_tok(0, TK_STRING, "one two", 1, 1);
	check_tok(1, TK_WORD, "x", 2, 6);
	assert_int_equal(lex_all("\"\""), SV_OK);
	check_tok(0, TK_STRING, "", 1, 1);
	assert_int_equal(toks[0].text_len, 0);
}

/* Strings cost their own length, not the rest of the file. */
static void test_string_memory(void **state)
{
	static char text[2000 * 13 + 1];
	struct cfg_lexer lx;
	struct cfg_token t;
	int i, n = 0;

	for (i = 0; i < 2000; i++)
		n += snprintf(text + n, sizeof(text) - n, "\"abcdefghij\" ");
	cfg_arena_free(&arena);
	assert_int_equal(cfg_lexer_init(&lx, "t.cfg", text, n, &arena), SV_OK);
	for (i = 0; i < 2000; i++) {
		assert_int_equal(cfg_lex(&lx, &t), SV_OK);
		assert_int_equal(t.type, TK_STRING);
	}
	assert_true(arena.total < 2000 * 64);
}

static void test_numbers(void **state)
{
	assert_int_equal(lex_all("10 0x1F 010 (-5) 5-1 $var(a)-1 = -7"), SV_OK);
	assert_int_equal(toks[0].num, 10);
	assert_int_equal(toks[1].num, 31);
	assert_int_equal(toks[2].num, 8);
	check_tok(4, TK_NUMBER, "-5", 1, 14);
	assert_int_equal(toks[4].num, -5);
	check_tok(6, TK_NUMBER, "5", 1, 18);
	check_tok(7, TK_MINUS, NULL, 1, 19);
	check_tok(8, TK_NUMBER, "1", 1, 20);
	check_tok(9, TK_PV, "$var(a)", 1, 22);
	check_tok(10, TK_MINUS, NULL, 1, 29);
	check_tok(13, TK_NUMBER, "-7", 1, 34);
}

static void test_addresses(void **state)
{
	assert_int_equal(lex_all("udp:127.0.0.1:5060 [::1]:5060 2001:db8::1/64"
	                         " case 1: ::ffff:10.0.0.1"),
	                 SV_OK);
	check_tok(0, TK_WORD, "udp", 1, 1);
	assert_int_equal(toks[0].kw, KW_UDP);
	check_tok(1, TK_COLON, NULL, 1, 4);
	check_tok(2, TK_IPV4, "127.0.0.1", 1, 5);
	check_tok(3, TK_COLON, NULL, 1, 14);
	check_tok(4, TK_NUMBER, "5060", 1, 15);
	check_tok(5, TK_LBRACK, NULL, 1, 20);
	check_tok(6, TK_IPV6, "::1", 1, 21);
	check_tok(7, TK_RBRACK, NULL, 1, 24);
	check_tok(10, TK_IPV6, "2001:db8::1", 1, 31);
	check_tok(11, TK_SLASH, NULL, 1, 42);
	check_tok(12, TK_NUMBER, "64", 1, 43);
	check_tok(13, TK_WORD, "case", 1, 46);
	assert_int_equal(toks[13].kw, KW_CASE);
	check_tok(14, TK_NUMBER, "1", 1, 51);
	check_tok(15, TK_COLON, NULL, 1, 52);
	check_tok(16, TK_IPV6, "::ffff:10.0.0.1", 1, 54);
	/* adjacency is what glues a listen spec together */
	assert_ptr_equal(toks[0].raw + toks[0].raw_len, toks[1].raw);
}

static void test_pseudo_variables(void **state)
{
	static const char *const pvs[] = {
	    "$ru",        "$var(x)",        "$avp(s:name)",    "$avp(i:24)",
	    "$hdr(Name)", "$hdr(Name[1])",  "$(hdr(Name)[1])", "$T_reply_code",
	    "$err.rcode", "$(avp(s:x)[*])",
	};
	char text[256] = "";
	unsigned i;

	for (i = 0; i < sizeof(pvs) / sizeof(pvs[0]); i++) {
		strcat(text, pvs[i]);
		strcat(text, "==");
	}
	assert_int_equal(lex_all(text), SV_OK);
	for (i = 0; i < sizeof(pvs) / sizeof(pvs[0]); i++) {
		assert_int_equal(toks[2 * i].type, TK_PV);
		assert_string_equal(toks[2 * i].text, pvs[i]);
		assert_int_equal(toks[2 * i + 1].type, TK_EQ);
	}
	assert_int_equal(lex_all("f($ru,$fU);"), SV_OK);
	check_tok(2, TK_PV, "$ru", 1, 3);
	check_tok(4, TK_PV, "$fU", 1, 7);
}

static void test_operators(void **state)
{
	static const enum cfg_tok want[] = {
	    TK_EQ,    TK_NE,      TK_MATCH,  TK_NOMATCH, TK_LE,      TK_GE,
	    TK_LT,    TK_GT,      TK_LSHIFT, TK_RSHIFT,  TK_AND,     TK_OR,
	    TK_NOT,   TK_AND,     TK_OR,     TK_NOT,     TK_COLONEQ, TK_ASSIGN,
	    TK_BAND,  TK_BOR,     TK_BXOR,   TK_BNOT,    TK_PLUS,    TK_STAR,
	    TK_SLASH, TK_PERCENT, TK_LBRACE, TK_RBRACE,  TK_SEMI,    TK_COMMA,
	    TK_DOT,   TK_MSGLEN,  TK_WORD,   TK_EOF};
	unsigned i;

	assert_int_equal(lex_all("== != =~ !~ <= >= < > << >> && || ! and or"
	                         " not := = & | ^ ~ + * / % { } ; , . "
	                         "msg:len msg"),
	                 SV_OK);
	assert_int_equal(ntoks, (int)(sizeof(want) / sizeof(want[0])));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(toks[i].type, want[i]);
}

static void test_keywords(void **state)
{
	assert_int_equal(lex_all("if IF UDP esac failure_route route_x NULL"),
	                 SV_OK);
	assert_int_equal(toks[0].kw, KW_IF);
	assert_int_equal(toks[1].kw, KW_NONE);
	assert_int_equal(toks[2].kw, KW_UDP);
	assert_int_equal(toks[3].kw, KW_BREAK);
	assert_int_equal(toks[4].kw, KW_FAILURE_ROUTE);
	assert_int_equal(toks[5].kw, KW_NONE);
	assert_int_equal(toks[6].kw, KW_NULL);
}

static void check_error(const char *text, const char *msg)
{
	assert_int_equal(lex_all(text), SV_EINVAL);
	assert_string_equal(cfg_last_error(), msg);
}

static void test_errors(void **state)
{
	check_error("x = 1;\n  sl(\"abc);\n",
	            "t.cfg:2:6: error: unterminated string: missing closing \""
	            " on this line");
	check_error("a 'b\n", "t.cfg:1:3: error: unterminated string: missing "
	                      "closing ' on this line");
	check_error("a\n /* x /* y */\n",
	            "t.cfg:2:2: error: unterminated "
	            "comment: '/*' is never closed by '*/'");
	check_error("route { @ }", "t.cfg:1:9: error: unexpected character "
	                           "'@'");
	check_error("x = $ 1",
	            "t.cfg:1:5: error: '$' must start a "
	            "pseudo-variable name ($ru, $var(x), $avp(s:name) ...)");
	check_error("$var(x == 1", "t.cfg:1:1: error: unterminated "
	                           "pseudo-variable: missing ')' on this line");
	check_error("src_ip==300.1.1.1",
	            "t.cfg:1:9: error: invalid IPv4 "
	            "address (a part is greater than 255)");
	check_error("x=09", "t.cfg:1:3: error: invalid octal number '09'");
	check_error("x=0x", "t.cfg:1:3: error: invalid hexadecimal number");
}

static void test_describe(void **state)
{
	char buf[80];

	assert_int_equal(lex_all("route \"s\" 42 ; $ru"), SV_OK);
	assert_string_equal(cfg_tok_describe(&toks[0], buf, sizeof(buf)),
	                    "'route'");
	assert_string_equal(cfg_tok_describe(&toks[1], buf, sizeof(buf)),
	                    "string \"s\"");
	assert_string_equal(cfg_tok_describe(&toks[2], buf, sizeof(buf)),
	                    "number 42");
	assert_string_equal(cfg_tok_describe(&toks[3], buf, sizeof(buf)),
	                    "';'");
	assert_string_equal(cfg_tok_describe(&toks[4], buf, sizeof(buf)),
	                    "'$ru'");
	assert_string_equal(cfg_tok_describe(&toks[5], buf, sizeof(buf)),
	                    "end of file");
}

static int teardown(void **state)
{
	cfg_arena_free(&arena);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_comments_positions),
	    cmocka_unit_test(test_strings),
	    cmocka_unit_test(test_string_memory),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_addresses),
	    cmocka_unit_test(test_pseudo_variables),
	    cmocka_unit_test(test_operators),
	    cmocka_unit_test(test_keywords),
	    cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_describe),
	};

	log_set_level(L_CRIT); /* the errors above are expected */
	return cmocka_run_group_tests(tests, NULL, teardown);
}

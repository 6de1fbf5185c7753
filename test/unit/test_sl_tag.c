/*
 * test_sl_tag.c - sl's stateless to-tags (modules/sl/sl_tag.h): the hash,
 * the signature, determinism for retransmissions, distinct tags for
 * distinct transactions, and recognising the tag in an ACK.
 */
#include "parser_testutil.h"

#include "core/parser/to_from.h"
#include "modules/sl/sl_tag.h"

/* An INVITE whose top Via is "SIP/2.0/UDP <host>;branch=<branch>". */
static void parse_invite(struct tmsg *t, const char *method,
                         const char *via_host, const char *branch,
                         const char *to_tag)
{
	char text[1024];

	snprintf(text, sizeof(text),
	         "%s sip:bob@example.com SIP/2.0\r\n"
	         "Via: SIP/2.0/UDP %s;branch=%s\r\n"
	         "Via: SIP/2.0/UDP 192.0.2.9:5080;branch=z9hG4bKfar\r\n"
	         "From: <sip:alice@example.com>;tag=a1\r\n"
	         "To: <sip:bob@example.com>%s%s\r\n"
	         "Call-ID: c1@example.com\r\n"
	         "CSeq: 1 %s\r\n"
	         "Content-Length: 0\r\n\r\n",
	         method, via_host, branch, to_tag ? ";tag=" : "",
	         to_tag ? to_tag : "", method);
	tmsg_parse(t, text);
	assert_int_equal(t->rc, SV_OK);
}

/* The tag sl gives a request with that top Via. */
static void tag_for(const char *host, const char *branch, char *out)
{
	struct tmsg t;

	parse_invite(&t, "INVITE", host, branch, NULL);
	assert_int_equal(sl_tag_make(t.msg, out), SL_TAG_LEN);
	tmsg_free(&t);
}

static int setup(void **state)
{
	str addr = STR_LIT("127.0.0.1"), port = STR_LIT("5060");

	sl_tag_init(&addr, &port);
	return 0;
}

static void hash_parts(void **state)
{
	str whole = STR_LIT("123456789"), again = STR_LIT("123456789");
	str split[3] = {STR_LIT("12"), STR_LIT(""), STR_LIT("3456789")};
	str moved[3] = {STR_LIT("123"), STR_LIT(""), STR_LIT("456789")};
	str long1 = STR_LIT("z9hG4bK.0123456789abcdef0123456789abcdef");
	str long2 = STR_LIT("z9hG4bK.0123456789abcdef0123456789abcdeF");

	/* deterministic */
	assert_int_equal(sl_hash32(&whole, 1), sl_hash32(&again, 1));
	assert_int_equal(sl_hash32(split, 3), sl_hash32(split, 3));
	/* where the strings are cut matters, and empty strings count */
	assert_int_not_equal(sl_hash32(&whole, 1), sl_hash32(split, 3));
	assert_int_not_equal(sl_hash32(split, 3), sl_hash32(moved, 3));
	assert_int_not_equal(sl_hash32(split, 2), sl_hash32(split, 3));
	assert_int_not_equal(sl_hash32(NULL, 0), sl_hash32(split + 1, 1));
	/* the last byte of a long string (tail after whole words) counts */
	assert_int_not_equal(sl_hash32(&long1, 1), sl_hash32(&long2, 1));
}

static void tag_shape(void **state)
{
	char tag[SL_TAG_LEN];
	int i;

	tag_for("client.example.com:5070", "z9hG4bKabc", tag);
	for (i = 0; i < SL_TAG_LEN; i++) {
		if (i == SL_TAG_SIG_LEN)
			assert_int_equal(tag[i], SL_TAG_SEP);
		else
			assert_non_null(strchr("0123456789abcdef", tag[i]));
	}
	assert_int_equal(SL_TAG_LEN, 41); /* OpenSER's, 4 more suffix digits */
}

static void retransmission_same_tag(void **state)
{
	char a[SL_TAG_LEN], b[SL_TAG_LEN];

	tag_for("client.example.com:5070", "z9hG4bKabc", a);
	tag_for("client.example.com:5070", "z9hG4bKabc", b);
	assert_memory_equal(a, b, SL_TAG_LEN);
}

static void transactions_differ(void **state)
{
	char base[SL_TAG_LEN], other[SL_TAG_LEN];

	tag_for("client.example.com:5070", "z9hG4bKabc", base);
	tag_for("client.example.com:5070", "z9hG4bKabd", other);
	assert_memory_not_equal(base, other, SL_TAG_LEN);
	tag_for("client.example.com:5071", "z9hG4bKabc", other);
	assert_memory_not_equal(base, other, SL_TAG_LEN);
	tag_for("client.example.net:5070", "z9hG4bKabc", other);
	assert_memory_not_equal(base, other, SL_TAG_LEN);
	/* the separators keep host and port apart */
	tag_for("client.example.com:507", "0z9hG4bKabc", other);
	assert_memory_not_equal(base, other, SL_TAG_LEN);
	/* the signature is shared: only the suffix differs */
	assert_memory_equal(base, other, SL_TAG_SIG_LEN + 1);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Many branches: the 32-bit suffixes spread (no collision expected). */
static void suffixes_spread(void **state)
{
	enum { N = 20000 };
	static uint32_t v[N];
	char tag[SL_TAG_LEN], branch[32], hex[SL_TAG_SUFFIX_LEN + 1] = {0};
	int i, collisions = 0, high = 0;

	for (i = 0; i < N; i++) {
		snprintf(branch, sizeof(branch), "z9hG4bK%d", i);
		tag_for("10.0.0.1", branch, tag);
		memcpy(hex, tag + SL_TAG_SIG_LEN + 1, SL_TAG_SUFFIX_LEN);
		v[i] = (uint32_t)strtoul(hex, NULL, 16);
		high += v[i] >> 31;
	}
	qsort(v, N, sizeof(v[0]), cmp_u32);
	for (i = 1; i < N; i++)
		collisions += v[i] == v[i - 1];
	/* 20000 draws among 2^32: 0.05 collisions expected */
	assert_true(collisions <= 1);
	/* the top bit is set about half the time */
	assert_true(high > N / 2 - N / 20 && high < N / 2 + N / 20);
}

static void signature_per_server(void **state)
{
	char a[SL_TAG_LEN], b[SL_TAG_LEN];
	str addr = STR_LIT("127.0.0.1"), port = STR_LIT("5061");

	tag_for("h", "z9hG4bK1", a);
	sl_tag_init(&addr, &port);
	tag_for("h", "z9hG4bK1", b);
	assert_memory_not_equal(a, b, SL_TAG_SIG_LEN);
	assert_memory_equal(a + SL_TAG_SIG_LEN, b + SL_TAG_SIG_LEN,
	                    SL_TAG_LEN - SL_TAG_SIG_LEN);
	setup(state);
	tag_for("h", "z9hG4bK1", b);
	assert_memory_equal(a, b, SL_TAG_LEN);
}

/* Is tag ours for an ACK with that top Via? */
static int ack_matches(const char *host, const char *branch, const char *tag)
{
	struct tmsg t;
	int r;

	parse_invite(&t, "ACK", host, branch, tag);
	assert_int_equal(parse_to_header(t.msg), SV_OK);
	r = sl_tag_is_ours(t.msg, &get_to(t.msg)->tag_value);
	tmsg_free(&t);
	return r;
}

static void ack_matching(void **state)
{
	char tag[SL_TAG_LEN + 1] = {0}, bad[SL_TAG_LEN + 2] = {0};

	tag_for("client.example.com:5070", "z9hG4bKabc", tag);
	/* the ACK of a negative reply repeats the INVITE's top Via */
	assert_true(ack_matches("client.example.com:5070", "z9hG4bKabc", tag));
	/* another transaction, another hop, another port */
	assert_false(ack_matches("client.example.com:5070", "z9hG4bKabx", tag));
	assert_false(ack_matches("client.example.com:5071", "z9hG4bKabc", tag));
	assert_false(ack_matches("proxy.example.com:5070", "z9hG4bKabc", tag));
	/* a tag of the right length but another signature */
	memcpy(bad, tag, SL_TAG_LEN);
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	assert_false(ack_matches("client.example.com:5070", "z9hG4bKabc", bad));
	/* the separator is part of the form */
	memcpy(bad, tag, SL_TAG_LEN);
	bad[SL_TAG_SIG_LEN] = '-';
	assert_false(ack_matches("client.example.com:5070", "z9hG4bKabc", bad));
	/* one character more or less */
	memcpy(bad, tag, SL_TAG_LEN);
	bad[SL_TAG_LEN] = '0';
	assert_false(ack_matches("client.example.com:5070", "z9hG4bKabc", bad));
	bad[SL_TAG_LEN - 1] = '\0';
	assert_false(ack_matches("client.example.com:5070", "z9hG4bKabc", bad));
	assert_false(
	    ack_matches("client.example.com:5070", "z9hG4bKabc", "a6f3"));
}

static void from_listen_sockets(void **state)
{
	char a[SL_TAG_LEN], b[SL_TAG_LEN];

	/* no socket (unit test): empty address and port, still a signature */
	sl_tag_init_listen();
	assert_true(sl_tag_ready());
	tag_for("h", "z9hG4bK1", a);
	sl_tag_init_listen();
	tag_for("h", "z9hG4bK1", b);
	assert_memory_equal(a, b, SL_TAG_LEN);
	setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(hash_parts),
	    cmocka_unit_test(tag_shape),
	    cmocka_unit_test(retransmission_same_tag),
	    cmocka_unit_test(transactions_differ),
	    cmocka_unit_test(suffixes_spread),
	    cmocka_unit_test(signature_per_server),
	    cmocka_unit_test(ack_matching),
	    cmocka_unit_test(from_listen_sockets),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

/*
 * test_tm_match.c - tm's matching and decisions as pure functions: our
 * branch ids (both forms) and their parsing, request matching (RFC 3261
 * and RFC 2543 rules, ruri_matching, via1_matching, ACK and CANCEL, the
 * end-to-end ACK of a local 2xx, keys copied when the script edited the
 * request), and the best-reply pick of RFC 3261 §16.7.
 */
#include "parser_testutil.h"

#include "core/lump.h"
#include "core/msg_builder.h"
#include "core/pv.h"
#include "modules/tm/h_table.h"
#include "modules/tm/t_lookup.h"
#include "modules/tm/t_msgbuilder.h"
#include "modules/tm/t_reply.h"
#include "modules/tm/tm_cfg.h"
#include "shm/shm.h"

static const char *REQ = "%s %s SIP/2.0\r\n"
                         "Via: SIP/2.0/UDP %s;branch=%s\r\n"
                         "From: \"A\" <sip:alice@example.org>;tag=%s\r\n"
                         "To: <sip:bob@example.com>%s\r\n"
                         "Call-ID: c1@host\r\n"
                         "CSeq: %s %s\r\n"
                         "Content-Length: 0\r\n"
                         "\r\n";

struct req {
	const char *method;
	const char *ruri;
	const char *sent_by;
	const char *branch;
	const char *ftag;
	const char *to_tail; /* ";tag=..." or "" */
	const char *cseq;
	const char *cseq_method;
};

static void parse_req(struct tmsg *t, const struct req *r)
{
	char text[2048];

	snprintf(text, sizeof(text), REQ, r->method, r->ruri, r->sent_by,
	         r->branch, r->ftag, r->to_tail, r->cseq,
	         r->cseq_method ? r->cseq_method : r->method);
	tmsg_parse(t, text);
	assert_int_equal(t->rc, SV_OK);
	t->msg->rcv.proto = PROTO_UDP;
}

static const struct req INV3261 = {"INVITE",
                                   "sip:bob@example.com",
                                   "192.0.2.1:5060",
                                   "z9hG4bKabc1",
                                   "f1",
                                   "",
                                   "1",
                                   NULL};
static const struct req INV2543 = {
    "INVITE", "sip:bob@example.com", "192.0.2.1:5060", "old-1", "f1", "", "1",
    NULL};

/* A cell made from request r, and the keys of request q. */
static struct cell *cell_of(const struct req *r)
{
	struct tmsg t;
	struct tm_mkeys k;
	struct cell *c;
	int err;

	parse_req(&t, r);
	assert_int_equal(tm_mkeys_get(t.msg, &k), SV_OK);
	c = tm_cell_new(t.msg, &k, tm_hash(&k.callid, k.cseq), &err);
	assert_non_null(c);
	tmsg_free(&t);
	return c;
}

/* Does request q match cell c for kind? */
static int matches(struct cell *c, const struct req *q, enum tm_match_kind kind)
{
	struct tmsg t;
	struct tm_mkeys k;
	int m;

	parse_req(&t, q);
	assert_int_equal(tm_mkeys_get(t.msg, &k), SV_OK);
	m = tm_match_request(c, &k, kind);
	tmsg_free(&t);
	return m;
}

static int setup(void **state)
{
	return shm_init(4 << 20) == SV_OK ? 0 : -1;
}

static int teardown(void **state)
{
	shm_destroy();
	return 0;
}

static void test_branch_ids(void **state)
{
	struct cell *c = cell_of(&INV3261);
	char id[TM_BRANCH_MAX + 1];
	unsigned h, l, i;
	str s, md5;

	c->label = 0x1234abcd;
	s.s = id;
	s.len = tm_branch_id(c, 11, id);
	id[s.len] = '\0';
	assert_true(strncmp(id, "z9hG4bK", 7) == 0);
	assert_non_null(strstr(id, ".1234abcd.b"));
	assert_int_equal(tm_parse_branch_id(&s, &h, &l, &md5, &i), SV_OK);
	assert_int_equal(h, c->hash);
	assert_int_equal(l, 0x1234abcd);
	assert_int_equal(i, 11);
	assert_int_equal(md5.len, 0);
	tm_unref(c);

	/* syn_branch=0: the MD5 form, the same for the same request */
	tm_cfg.syn_branch = 0;
	c = cell_of(&INV3261);
	s.len = tm_branch_id(c, 0, id);
	assert_int_equal(tm_parse_branch_id(&s, &h, &l, &md5, &i), SV_OK);
	assert_int_equal(md5.len, TM_MD5_LEN);
	assert_memory_equal(md5.s, c->buf + c->key[TMK_MD5].off, TM_MD5_LEN);
	{
		struct cell *c2 = cell_of(&INV3261);
		char id2[TM_BRANCH_MAX];

		assert_int_equal(tm_branch_id(c2, 0, id2), s.len);
		assert_memory_equal(id, id2, (size_t)s.len);
		tm_unref(c2);
	}
	tm_unref(c);
	tm_cfg.syn_branch = 1;
}

static void test_branch_id_rejects(void **state)
{
	static const char *bad[] = {
	    "z9hG4bK",       "z9hG4bKsl1234",
	    "z9hG4bK1.2",    "z9hG4bK10000.1.0",
	    "z9hG4bK1.2.c",  "z9hG4bK1..0",
	    "z9hG4bK1.2.0.", "abc1.2.3",
	    "z9hG4bK1.g.0",  "z9hG4bK1.123456789.0",
	};
	unsigned h, l, i, k;
	str s, md5;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		s = str_from_cstr(bad[k]);
		assert_int_equal(tm_parse_branch_id(&s, &h, &l, &md5, &i),
		                 SV_ENOTFOUND);
	}
}

static void test_match_3261(void **state)
{
	struct cell *c = cell_of(&INV3261);
	struct req q = INV3261;

	assert_true(matches(c, &q, TM_MATCH_REQ));
	q.sent_by = "192.0.2.1"; /* port 5060 written vs. absent */
	assert_false(matches(c, &q, TM_MATCH_REQ));
	q = INV3261;
	q.branch = "z9hG4bKabc2";
	assert_false(matches(c, &q, TM_MATCH_REQ));
	q = INV3261;
	q.method = "BYE";
	assert_false(matches(c, &q, TM_MATCH_REQ));
	/* the ACK of a negative reply and a CANCEL: same branch */
	q = INV3261;
	q.method = "ACK";
	q.to_tail = ";tag=x";
	assert_true(matches(c, &q, TM_MATCH_ACK));
	q.method = "CANCEL";
	assert_true(matches(c, &q, TM_MATCH_CANCEL));
	q.branch = "z9hG4bKother";
	assert_false(matches(c, &q, TM_MATCH_CANCEL));
	tm_unref(c);
}

static void test_match_3261_sent_by_case(void **state)
{
	struct req r = INV3261;
	struct cell *c;

	r.sent_by = "Host.Example.ORG:5070";
	c = cell_of(&r);
	r.sent_by = "host.example.org:5070";
	assert_true(matches(c, &r, TM_MATCH_REQ));
	r.sent_by = "host.example.org:5071";
	assert_false(matches(c, &r, TM_MATCH_REQ));
	tm_unref(c);
}

static void test_match_2543(void **state)
{
	struct cell *c = cell_of(&INV2543);
	struct req q = INV2543;

	assert_true(matches(c, &q, TM_MATCH_REQ));
	q.cseq = "2";
	assert_false(matches(c, &q, TM_MATCH_REQ));
	q = INV2543;
	q.ftag = "f2";
	assert_false(matches(c, &q, TM_MATCH_REQ));
	q = INV2543;
	q.to_tail = ";tag=t9"; /* a whole To that differs */
	assert_false(matches(c, &q, TM_MATCH_REQ));
	/* ACK and CANCEL: To tags are not compared, only the URI */
	q.method = "ACK";
	assert_true(matches(c, &q, TM_MATCH_ACK));
	q.method = "CANCEL";
	assert_true(matches(c, &q, TM_MATCH_CANCEL));
	tm_unref(c);
}

static void test_match_2543_ruri_via(void **state)
{
	struct cell *c = cell_of(&INV2543);
	struct req q = INV2543;

	q.method = "ACK";
	q.ruri = "sip:bob@10.0.0.1";
	assert_false(matches(c, &q, TM_MATCH_ACK));
	tm_cfg.ruri_matching = 0;
	assert_true(matches(c, &q, TM_MATCH_ACK));
	tm_cfg.ruri_matching = 1;

	q = INV2543;
	q.method = "CANCEL";
	q.branch = "old-1;received=10.1.1.1";
	assert_false(matches(c, &q, TM_MATCH_CANCEL));
	tm_cfg.via1_matching = 0;
	assert_true(matches(c, &q, TM_MATCH_CANCEL));
	tm_cfg.via1_matching = 1;
	tm_unref(c);
}

static void test_match_modes_apart(void **state)
{
	struct cell *c = cell_of(&INV2543);
	struct req q = INV3261;

	/* a cookie request never matches a cell made the RFC 2543 way */
	q.branch = "z9hG4bKold-1";
	assert_false(matches(c, &q, TM_MATCH_REQ));
	tm_unref(c);
	c = cell_of(&INV3261);
	q = INV2543;
	assert_false(matches(c, &q, TM_MATCH_REQ));
	tm_unref(c);
}

static void test_match_other_method(void **state)
{
	struct req r = INV3261;
	struct cell *c;

	r.method = "FOO";
	c = cell_of(&r);
	assert_true(matches(c, &r, TM_MATCH_REQ));
	r.method = "BAR";
	assert_false(matches(c, &r, TM_MATCH_REQ));
	/* only INVITE transactions are found by ACK and CANCEL */
	r.method = "CANCEL";
	assert_false(matches(c, &r, TM_MATCH_CANCEL));
	tm_unref(c);
}

static void test_local_ack(void **state)
{
	struct cell *c = cell_of(&INV3261);
	char tag[TM_TAG_MAX + 8];
	struct req q = INV3261;
	struct tmsg t;
	struct tm_mkeys k;
	int n;

	c->label = 77;
	tm_tag_init();
	tag[0] = ';';
	memcpy(tag + 1, "tag=", 4);
	n = tm_to_tag(c, tag + 5);
	tag[5 + n] = '\0';
	q.method = "ACK";
	q.branch = "z9hG4bKnew";
	q.to_tail = tag;
	parse_req(&t, &q);
	assert_int_equal(tm_mkeys_get(t.msg, &k), SV_OK);
	assert_true(tm_match_local_ack(c, &k));
	tmsg_free(&t);
	q.to_tail = ";tag=someone-else";
	parse_req(&t, &q);
	assert_int_equal(tm_mkeys_get(t.msg, &k), SV_OK);
	assert_false(tm_match_local_ack(c, &k));
	tmsg_free(&t);
	tm_unref(c);
}

/* Keys come from the request as received, even when the script edited it. */
static void test_keys_after_edits(void **state)
{
	str from = STR_LIT("From: <sip:changed@example.net>;tag=zz\r\n");
	struct tm_mkeys k;
	struct tmsg t;
	struct cell *c;
	int err;

	parse_req(&t, &INV2543);
	assert_int_equal(tm_mkeys_get(t.msg, &k), SV_OK);
	assert_int_equal(lump_delete_header(t.msg, t.msg->from, 0), SV_OK);
	assert_int_equal(lump_append_header(t.msg, &from, 0), SV_OK);
	c = tm_cell_new(t.msg, &k, tm_hash(&k.callid, k.cseq), &err);
	assert_non_null(c);
	tmsg_free(&t);
	/* the copy is the edited request ... */
	assert_non_null(memmem(c->buf, c->req_len, "changed@", 8));
	assert_null(memmem(c->buf, c->req_len, "alice@", 6));
	/* ... and a retransmission of the received one still matches */
	assert_true(matches(c, &INV2543, TM_MATCH_REQ));
	tm_unref(c);
}

static void test_bad_tuple(void **state)
{
	struct tmsg t;
	struct tm_mkeys k;

	tmsg_parse(&t, "OPTIONS sip:a@b SIP/2.0\r\n"
	               "Via: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bK1\r\n"
	               "From: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\n"
	               "CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(tm_mkeys_get(t.msg, &k), SV_EBADTUPLE); /* Call-ID */
	tmsg_free(&t);
}

/* ------------------------------------------------------------- pick -- */

static int pick(const int *codes, int n, const unsigned char *faked,
                int cancelled)
{
	unsigned char none[16] = {0};

	return tm_pick_best(codes, faked ? faked : none, n, cancelled);
}

static void test_pick_pending(void **state)
{
	int a[] = {404, 180};
	int b[] = {603, 100}; /* even a 6xx waits for the others */

	assert_int_equal(pick(a, 2, NULL, 0), -1);
	assert_int_equal(pick(b, 2, NULL, 0), -1);
	assert_int_equal(pick(a, 0, NULL, 0), -2);
}

static void test_pick_classes(void **state)
{
	int six[] = {404, 486, 603, 302};
	int low[] = {503, 404};
	int redir[] = {302, 404, 500};
	int five[] = {503, 500};
	int only503[] = {503};

	assert_int_equal(pick(six, 4, NULL, 0), 2);
	assert_int_equal(pick(low, 2, NULL, 0), 1);
	assert_int_equal(pick(redir, 3, NULL, 0), 0);
	assert_int_equal(pick(five, 2, NULL, 0), 1); /* 503 least preferred */
	assert_int_equal(pick(only503, 1, NULL, 0), 0);
}

static void test_pick_preferences(void **state)
{
	int chal[] = {404, 407, 401, 486};
	int resub[] = {404, 486, 484};
	int faked_408[] = {408, 486};
	unsigned char f1[] = {1, 0};
	int canc[] = {486, 487};
	int codes_only_faked[] = {408, 408};
	unsigned char ff[] = {1, 1};

	assert_int_equal(pick(chal, 4, NULL, 0), 2); /* 401 before 407 */
	assert_int_equal(pick(resub, 3, NULL, 0), 2);
	assert_int_equal(pick(faked_408, 2, f1, 0), 1);
	assert_int_equal(pick(canc, 2, NULL, 0), 0);
	assert_int_equal(pick(canc, 2, NULL, 1), 1); /* cancelled: 487 */
	assert_int_equal(pick(codes_only_faked, 2, ff, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_branch_ids),
	    cmocka_unit_test(test_branch_id_rejects),
	    cmocka_unit_test(test_match_3261),
	    cmocka_unit_test(test_match_3261_sent_by_case),
	    cmocka_unit_test(test_match_2543),
	    cmocka_unit_test(test_match_2543_ruri_via),
	    cmocka_unit_test(test_match_modes_apart),
	    cmocka_unit_test(test_match_other_method),
	    cmocka_unit_test(test_local_ack),
	    cmocka_unit_test(test_keys_after_edits),
	    cmocka_unit_test(test_bad_tuple),
	    cmocka_unit_test(test_pick_pending),
	    cmocka_unit_test(test_pick_classes),
	    cmocka_unit_test(test_pick_preferences),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * test_parser_msg.c - parse_msg(): first lines, header boundaries and types,
 * folding, compact forms, body framing, header offsets, lookup by name,
 * arena growth, methods.
 */
#include "parser_testutil.h"

#include "core/parser/hdr_find.h"
#include "core/parser/method.h"
#include "core/parser/num_hdr.h"

#define HDRS                                                                   \
	"Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n"        \
	"To: Bob <sip:bob@example.com>\r\n"                                    \
	"From: Alice <sip:alice@example.com>;tag=1928301774\r\n"               \
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n"                         \
	"CSeq: 314159 INVITE\r\n"

static void t_request_line(void **state)
{
	struct tmsg t;
	struct sip_msg *m;

	tmsg_parse(&t, "INVITE sip:bob@example.com SIP/2.0\r\n" HDRS
	               "Content-Length: 0\r\n\r\n");
	m = t.msg;
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(m->first_line.type, SIP_REQUEST);
	assert_str(&REQ_LINE(m).method, "INVITE");
	assert_int_equal(REQ_LINE(m).method_value, METHOD_INVITE);
	assert_int_equal(msg_method(m), METHOD_INVITE);
	assert_str(&REQ_LINE(m).uri, "sip:bob@example.com");
	assert_str(&REQ_LINE(m).version, "SIP/2.0");
	assert_str(&m->first_line.line,
	           "INVITE sip:bob@example.com SIP/2.0\r\n");
	assert_int_equal(m->hdr_count, 6);
	assert_int_equal(m->err.eclass, ERR_CLASS_NONE);
	tmsg_free(&t);
}

static void t_status_line(void **state)
{
	struct tmsg t;

	tmsg_parse(&t, "SIP/2.0 180 Ringing now\r\n" HDRS "\r\n");
	assert_int_equal(t.rc, SV_OK);
	assert_true(msg_is_reply(t.msg));
	assert_int_equal(REPLY_LINE(t.msg).statuscode, 180);
	assert_str(&REPLY_LINE(t.msg).status, "180");
	assert_str(&REPLY_LINE(t.msg).reason, "Ringing now");
	assert_int_equal(msg_method(t.msg), METHOD_UNDEF);
	tmsg_free(&t);
	/* no SP and no reason at all: accepted as an empty reason */
	tmsg_parse(&t, "SIP/2.0 200\r\n" HDRS "\r\n");
	assert_int_equal(t.rc, SV_OK);
	assert_str_empty(&REPLY_LINE(t.msg).reason);
	tmsg_free(&t);
	tmsg_parse(&t, "sip/2.0 699 x\r\n\r\n");
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(REPLY_LINE(t.msg).statuscode, 699);
	tmsg_free(&t);
}

static void t_bad_first_lines(void **state)
{
	static const char *const bad[] = {
	    "INVITE  sip:a@b SIP/2.0\r\n\r\n",
	    "INVITE sip:a@b  SIP/2.0\r\n\r\n",
	    "INVITE sip:a@b SIP/2.0 \r\n\r\n",
	    "INVITE <sip:a@b> SIP/2.0\r\n\r\n",
	    "INVITE sip:a@b\r\n\r\n",
	    "INVITE sip:a@b HTTP/1.1\r\n\r\n",
	    "INVITE sip:a@b SIP/2\r\n\r\n",
	    "INVITE sip:a@b SIP/.0\r\n\r\n",
	    "INV\x01TE sip:a@b SIP/2.0\r\n\r\n",
	    "INVITE nocolon SIP/2.0\r\n\r\n",
	    "INVITE sip:a\x7f@b SIP/2.0\r\n\r\n",
	    " INVITE sip:a@b SIP/2.0\r\n\r\n",
	    "SIP/2.0 20 OK\r\n\r\n",
	    "SIP/2.0 2000 OK\r\n\r\n",
	    "SIP/2.0 099 Low\r\n\r\n",
	    "SIP/2.0 700 High\r\n\r\n",
	    "SIP/2.0 200OK\r\n\r\n",
	    "SIP/2.0 200 O\x01K\r\n\r\n",
	    "SIP/2.0\r\n\r\n",
	    "SIP/2.0 4294967301 better not break the receiver\r\n\r\n",
	    "INVITE sip:a@b SIP/2.0",
	    "\r\n\r\n",
	    "",
	};
	struct tmsg t;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tmsg_parse(&t, bad[i]);
		if (t.rc != SV_EBADMSG)
			fail_msg("accepted [%s]", bad[i]);
		assert_int_equal(t.msg->err.rcode, 400);
		assert_int_equal(t.msg->first_line.type, SIP_INVALID);
		tmsg_free(&t);
	}
}

static void t_leading_crlf_and_lf_only(void **state)
{
	struct tmsg t;

	tmsg_parse(&t, "\r\n\r\nOPTIONS sip:a@b SIP/2.0\nVia: SIP/2.0/UDP h\n"
	               "l: 2\n\nabXX");
	assert_int_equal(t.rc, SV_OK);
	assert_str(&REQ_LINE(t.msg).method, "OPTIONS");
	assert_str(&t.msg->h_via1->body, "SIP/2.0/UDP h");
	assert_int_equal(t.msg->h_via1->len,
	                 (int)strlen("Via: SIP/2.0/UDP h\n"));
	assert_str(&t.msg->body, "ab");
	tmsg_free(&t);
}

static void t_folding_and_names(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	struct hdr_field *h;

	tmsg_parse(&t, "OPTIONS sip:a@b SIP/2.0\r\n"
	               "v :\r\n SIP/2.0/UDP\r\n\th1 \r\n"
	               "X-Custom:\tvalue one\r\n  two\t \r\n"
	               "Empty:\r\n"
	               "i:c1\r\n"
	               "sUbJeCt: hello\r\n\r\n");
	m = t.msg;
	assert_int_equal(t.rc, SV_OK);
	h = m->headers;
	assert_int_equal(h->type, HDR_VIA_T);
	assert_str(&h->name, "v");
	assert_str(&h->body, "SIP/2.0/UDP\r\n\th1");
	assert_ptr_equal(m->h_via1, h);
	h = h->next;
	assert_int_equal(h->type, HDR_OTHER_T);
	assert_str(&h->body, "value one\r\n  two");
	h = h->next;
	assert_str(&h->name, "Empty");
	assert_str_empty(&h->body);
	h = h->next;
	assert_ptr_equal(m->callid, h);
	assert_str(&h->body, "c1");
	h = h->next;
	assert_ptr_equal(m->subject, h);
	assert_str(&h->body, "hello");
	assert_null(h->next);
	assert_ptr_equal(m->last_header, h);
	assert_int_equal(m->hdr_count, 5);
	tmsg_free(&t);
}

static void t_bad_header_lines(void **state)
{
	static const char *const bad[] = {
	    "OPTIONS sip:a@b SIP/2.0\r\n continuation first\r\n\r\n",
	    "OPTIONS sip:a@b SIP/2.0\r\nNo colon here\r\n\r\n",
	    "OPTIONS sip:a@b SIP/2.0\r\n: no name\r\n\r\n",
	    "OPTIONS sip:a@b SIP/2.0\r\nBad Name: x\r\n\r\n",
	    "OPTIONS sip:a@b SIP/2.0\r\nVia\r\n\r\n",
	};
	static const char nul_name[] = "OPTIONS sip:a@b SIP/2.0\r\n"
	                               "N\x00me: x\r\n\r\n";
	struct tmsg t;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tmsg_parse(&t, bad[i]);
		if (t.rc != SV_EBADMSG)
			fail_msg("accepted header section %u", i);
		assert_int_equal(t.msg->err.rcode, 400);
		tmsg_free(&t);
	}
	tmsg_parse_n(&t, nul_name, (int)sizeof(nul_name) - 1);
	assert_int_equal(t.rc, SV_EBADMSG);
	tmsg_free(&t);
}

static void t_offsets(void **state)
{
	const char *text = "INVITE sip:bob@example.com SIP/2.0\r\n" HDRS
	                   "Content-Length: 4\r\n\r\nbody";
	struct tmsg t;
	struct hdr_field *h;
	char *expect;

	tmsg_parse(&t, text);
	assert_int_equal(t.rc, SV_OK);
	/* the fields tile the header section exactly, CRLFs included */
	expect = t.buf + t.msg->first_line.line.len;
	for (h = t.msg->headers; h; h = h->next) {
		assert_ptr_equal(hdr_start(h), expect);
		assert_memory_equal(hdr_end(h) - 2, "\r\n", 2);
		expect = hdr_end(h);
	}
	assert_ptr_equal(t.msg->eoh, expect);
	assert_ptr_equal(t.msg->body.s, expect + 2);
	assert_str(&t.msg->body, "body");
	tmsg_free(&t);
}

static void t_quick_pointers_and_siblings(void **state)
{
	struct tmsg t;
	struct sip_msg *m;

	tmsg_parse(&t, "INVITE sip:b@h SIP/2.0\r\n" HDRS
	               "Route: <sip:r1;lr>\r\nRecord-Route: <sip:rr1;lr>\r\n"
	               "Route: <sip:r2;lr>\r\nContact: <sip:c@h>\r\n"
	               "Max-Forwards: 70\r\nExpires: 60\r\nRequire: x\r\n"
	               "Proxy-Require: y\r\nContent-Type: text/plain\r\n"
	               "v: SIP/2.0/TCP second\r\nPath: <sip:p;lr>\r\n"
	               "Min-Expires: 30\r\n\r\n");
	m = t.msg;
	assert_int_equal(t.rc, SV_OK);
	assert_non_null(m->h_via1);
	assert_str(&m->h_via1->sibling->body, "SIP/2.0/TCP second");
	assert_null(m->h_via1->sibling->sibling);
	assert_str(&m->route->body, "<sip:r1;lr>");
	assert_str(&m->route->sibling->body, "<sip:r2;lr>");
	assert_str(&m->record_route->body, "<sip:rr1;lr>");
	assert_non_null(m->contact);
	assert_non_null(m->max_forwards);
	assert_non_null(m->expires);
	assert_non_null(m->require);
	assert_non_null(m->proxy_require);
	assert_non_null(m->content_type);
	assert_non_null(m->path);
	assert_null(m->content_length);
	assert_int_equal(msg_hdr_count(m, HDR_ROUTE_T), 2);
	assert_int_equal(msg_hdr_count(m, HDR_VIA_T), 2);
	assert_int_equal(msg_hdr_count(m, HDR_CONTENTLENGTH_T), 0);
	assert_str(&msg_first_hdr(m, HDR_MIN_EXPIRES_T)->body, "30");
	assert_null(msg_first_hdr(m, HDR_OTHER_T));
	tmsg_free(&t);
}

static void t_framing(void **state)
{
	struct tmsg t;

	/* trailing bytes after Content-Length are ignored */
	tmsg_parse(&t, "OPTIONS sip:a@b SIP/2.0\r\nl: 3\r\n\r\nabcdef");
	assert_int_equal(t.rc, SV_OK);
	assert_str(&t.msg->body, "abc");
	tmsg_free(&t);
	/* absent: the rest of the datagram */
	tmsg_parse(&t, "OPTIONS sip:a@b SIP/2.0\r\nX: y\r\n\r\nabcdef");
	assert_str(&t.msg->body, "abcdef");
	tmsg_free(&t);
	/* no empty line at all: the headers end with the datagram */
	tmsg_parse(&t, "OPTIONS sip:a@b SIP/2.0\r\nX: y\r\nZ: w");
	assert_int_equal(t.rc, SV_OK);
	assert_str(&t.msg->last_header->body, "w");
	assert_int_equal(t.msg->body.len, 0);
	tmsg_free(&t);
	/* two Content-Length headers that agree frame the body */
	tmsg_parse(&t, "OPTIONS sip:a@b SIP/2.0\r\nl: 2\r\n"
	               "Content-Length: 02\r\n\r\nabc");
	assert_int_equal(t.rc, SV_OK);
	assert_str(&t.msg->body, "ab");
	tmsg_free(&t);
}

static void t_bad_framing(void **state)
{
	static const char *const bad[] = {
	    "OPTIONS sip:a@b SIP/2.0\r\nl: 4\r\n\r\nabc",
	    "OPTIONS sip:a@b SIP/2.0\r\nl: -1\r\n\r\nabc",
	    "OPTIONS sip:a@b SIP/2.0\r\nl: 1x\r\n\r\nabc",
	    "OPTIONS sip:a@b SIP/2.0\r\nl:\r\n\r\nabc",
	    "OPTIONS sip:a@b SIP/2.0\r\nl: 1 2\r\n\r\nabc",
	    "OPTIONS sip:a@b SIP/2.0\r\nl: 99999999999\r\n\r\nabc",
	    "OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\nl: 2\r\n\r\nabc",
	    "OPTIONS sip:a@b SIP/2.0\r\nl: 1",
	};
	struct tmsg t;
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tmsg_parse(&t, bad[i]);
		if (t.rc != SV_EBADMSG)
			fail_msg("accepted framing %u", i);
		assert_int_equal(t.msg->err.rcode, 400);
		tmsg_free(&t);
	}
}

static void t_lookup_by_name(void **state)
{
	struct tmsg t;
	struct sip_msg *m;
	str via = STR_LIT("via"), v = STR_LIT("V"), xa = STR_LIT("x-a");
	str s = STR_LIT("s"), none = STR_LIT("X-None"), ac = STR_LIT("a");
	str empty = STR_NULL;

	tmsg_parse(&t, "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP 1\r\n"
	               "X-A: one\r\nv: SIP/2.0/UDP 2\r\nx-a: two\r\n"
	               "Subject: subj\r\nAccept-Contact: *;audio\r\n"
	               "X-A: three\r\n\r\n");
	m = t.msg;
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(count_hdr_by_name(m, &via), 2);
	assert_str(&get_hdr_by_name(m, &v, 0)->body, "SIP/2.0/UDP 1");
	assert_str(&get_hdr_by_name(m, &via, 1)->body, "SIP/2.0/UDP 2");
	assert_str(&get_hdr_by_name(m, &via, -1)->body, "SIP/2.0/UDP 2");
	assert_null(get_hdr_by_name(m, &via, 2));
	assert_null(get_hdr_by_name(m, &via, -3));
	assert_int_equal(count_hdr_by_name(m, &xa), 3);
	assert_str(&get_hdr_by_name(m, &xa, 1)->body, "two");
	assert_str(&get_hdr_by_name(m, &xa, -1)->body, "three");
	assert_str(&get_hdr_by_name(m, &xa, -3)->body, "one");
	assert_str(&get_hdr_by_name(m, &s, 0)->body, "subj");
	assert_str(&get_hdr_by_name(m, &ac, 0)->body, "*;audio");
	assert_null(get_hdr_by_name(m, &none, 0));
	assert_null(get_hdr_by_name(m, &empty, 0));
	assert_int_equal(count_hdr_by_name(m, &none), 0);
	tmsg_free(&t);
}

static void t_header_names(void **state)
{
	str a = STR_LIT("v"), b = STR_LIT("VIA"), c = STR_LIT("k");
	str d = STR_LIT("supported"), e = STR_LIT("x"), f = STR_LIT("X");
	str g = STR_LIT("t"), h = STR_LIT("f");

	assert_int_equal(hdr_type_from_name("cAlL-iD", 7), HDR_CALLID_T);
	assert_int_equal(hdr_type_from_name("i", 1), HDR_CALLID_T);
	assert_int_equal(hdr_type_from_name("m", 1), HDR_CONTACT_T);
	assert_int_equal(hdr_type_from_name("l", 1), HDR_CONTENTLENGTH_T);
	assert_int_equal(hdr_type_from_name("c", 1), HDR_CONTENTTYPE_T);
	assert_int_equal(hdr_type_from_name("e", 1), HDR_CONTENTENCODING_T);
	assert_int_equal(hdr_type_from_name("f", 1), HDR_FROM_T);
	assert_int_equal(hdr_type_from_name("T", 1), HDR_TO_T);
	assert_int_equal(hdr_type_from_name("s", 1), HDR_SUBJECT_T);
	assert_int_equal(hdr_type_from_name("k", 1), HDR_SUPPORTED_T);
	assert_int_equal(hdr_type_from_name("o", 1), HDR_EVENT_T);
	assert_int_equal(hdr_type_from_name("r", 1), HDR_REFER_TO_T);
	assert_int_equal(hdr_type_from_name("u", 1), HDR_ALLOW_EVENTS_T);
	assert_int_equal(hdr_type_from_name("x", 1), HDR_SESSION_EXPIRES_T);
	assert_int_equal(hdr_type_from_name("b", 1), HDR_REFERRED_BY_T);
	assert_int_equal(hdr_type_from_name("z", 1), HDR_OTHER_T);
	assert_int_equal(hdr_type_from_name("WWW-Authenticate", 16),
	                 HDR_WWW_AUTHENTICATE_T);
	assert_int_equal(hdr_type_from_name("record-route", 12),
	                 HDR_RECORDROUTE_T);
	assert_int_equal(hdr_type_from_name("Viaa", 4), HDR_OTHER_T);
	assert_int_equal(hdr_type_from_name("1", 1), HDR_OTHER_T);
	assert_int_equal(hdr_type_from_name("", 0), HDR_OTHER_T);
	/* every byte of a known name matters, in any case, nothing else */
	assert_int_equal(hdr_type_from_name("Content-Lengtx", 14), HDR_OTHER_T);
	assert_int_equal(hdr_type_from_name("Content_Length", 14), HDR_OTHER_T);
	assert_int_equal(hdr_type_from_name("Content\rLength", 14),
	                 HDR_OTHER_T);
	assert_int_equal(hdr_type_from_name("CONTENT-LENGTH", 14),
	                 HDR_CONTENTLENGTH_T);
	assert_int_equal(hdr_type_from_name("p-preferred-identitY", 20),
	                 HDR_PPI_T);
	assert_int_equal(hdr_type_from_name("P-Preferred-Identit", 19),
	                 HDR_OTHER_T);
	assert_int_equal(hdr_type_from_name("tO", 2), HDR_TO_T);
	assert_int_equal(hdr_type_from_name("T\x0f", 2), HDR_OTHER_T);
	assert_int_equal(hdr_type_from_name("cseQ", 4), HDR_CSEQ_T);
	assert_int_equal(hdr_type_from_name("Cseq", 3), HDR_OTHER_T);
	assert_int_equal(hdr_type_from_name("X-A-Very-Long-Header-Name-Indeed",
	                                    31), HDR_OTHER_T);
	/* a compact form has the type of its long name, in either case */
	{
		static const char *const compact[][2] = {
		    {"a", "Accept-Contact"}, {"b", "Referred-By"},
		    {"c", "Content-Type"},   {"d", "Request-Disposition"},
		    {"e", "Content-Encoding"}, {"f", "From"},
		    {"i", "Call-ID"},        {"j", "Reject-Contact"},
		    {"k", "Supported"},      {"l", "Content-Length"},
		    {"m", "Contact"},        {"n", "Identity-Info"},
		    {"o", "Event"},          {"r", "Refer-To"},
		    {"s", "Subject"},        {"t", "To"},
		    {"u", "Allow-Events"},   {"v", "Via"},
		    {"x", "Session-Expires"}, {"y", "Identity"},
		};
		char up[2] = {0};
		unsigned i;
		int t;

		for (i = 0; i < sizeof(compact) / sizeof(compact[0]); i++) {
			t = hdr_type_from_name(compact[i][1],
			                       (int)strlen(compact[i][1]));
			assert_int_equal(hdr_type_from_name(compact[i][0], 1), t);
			up[0] = (char)(compact[i][0][0] - 32);
			assert_int_equal(hdr_type_from_name(up, 1), t);
		}
	}
	assert_string_equal(hdr_type_name(HDR_CSEQ_T), "CSeq");
	assert_null(hdr_type_name(HDR_OTHER_T));
	assert_int_equal(hdr_name_eq(&a, &b), 1);
	assert_int_equal(hdr_name_eq(&c, &d), 1);
	assert_int_equal(hdr_name_eq(&e, &f), 1);
	assert_int_equal(hdr_name_eq(&g, &h), 0);
	assert_int_equal(hdr_name_eq(&a, &d), 0);
}

static void t_methods(void **state)
{
	str list = STR_LIT("INVITE|bye|Options"), bad = STR_LIT("INVITE|FOO");
	str empty_el = STR_LIT("INVITE||BYE"), empty = STR_NULL;
	unsigned mask = 0;
	int id;

	assert_int_equal(method_from_name("INVITE", 6), METHOD_INVITE);
	assert_int_equal(method_from_name("invite", 6), METHOD_OTHER);
	assert_int_equal(method_from_name("RE%47IST%45R", 12), METHOD_OTHER);
	assert_int_equal(method_from_name("PUBLISH", 7), METHOD_PUBLISH);
	assert_int_equal(method_from_name("PRACK", 5), METHOD_PRACK);
	assert_string_equal(method_name(METHOD_SUBSCRIBE), "SUBSCRIBE");
	assert_null(method_name(METHOD_OTHER));
	/* every known method by its name, and nothing one byte off */
	for (id = METHOD_INVITE; id < METHOD_OTHER; id <<= 1) {
		const char *n = method_name(id);
		char off[16];
		int len;

		assert_non_null(n);
		len = (int)strlen(n);
		assert_int_equal(method_from_name(n, len), id);
		memcpy(off, n, (size_t)len);
		off[len - 1] = (char)(off[len - 1] + 1);
		assert_int_equal(method_from_name(off, len), METHOD_OTHER);
		off[0] = (char)(off[0] + 1);
		off[len - 1] = n[len - 1];
		assert_int_equal(method_from_name(off, len), METHOD_OTHER);
	}
	assert_int_equal(method_mask_parse(&list, &mask), SV_OK);
	assert_int_equal(mask, METHOD_INVITE | METHOD_BYE | METHOD_OPTIONS);
	assert_int_equal(method_mask_parse(&bad, &mask), SV_EINVAL);
	assert_int_equal(method_mask_parse(&empty_el, &mask), SV_EINVAL);
	assert_int_equal(method_mask_parse(&empty, &mask), SV_EINVAL);
	assert_int_equal(mask, METHOD_INVITE | METHOD_BYE | METHOD_OPTIONS);
}

static void t_many_headers(void **state)
{
	struct tmsg t;
	char *text, *p;
	int i, n = 600;

	text = malloc((size_t)n * 32 + 64);
	assert_non_null(text);
	p = text + sprintf(text, "OPTIONS sip:a@b SIP/2.0\r\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "Route: <sip:r%d;lr>\r\n", i);
	strcpy(p, "\r\n");
	tmsg_parse(&t, text);
	assert_int_equal(t.rc, SV_OK);
	assert_int_equal(t.msg->hdr_count, n);
	assert_int_equal(msg_hdr_count(t.msg, HDR_ROUTE_T), n);
	assert_true(t.msg->arena.total > ARENA_INLINE_SIZE);
	assert_non_null(t.msg->arena.blocks);
	tmsg_free(&t);
	/* more than MSG_MAX_HEADERS (1024): 513 */
	text = realloc(text, 1100 * 8 + 64);
	assert_non_null(text);
	p = text + sprintf(text, "OPTIONS sip:a@b SIP/2.0\r\n");
	for (i = 0; i < 1100; i++)
		p += sprintf(p, "X: y\r\n");
	strcpy(p, "\r\n");
	tmsg_parse(&t, text);
	assert_int_equal(t.rc, SV_ETOOBIG);
	assert_int_equal(t.msg->err.rcode, 513);
	tmsg_free(&t);
	free(text);
}

static void t_reuse_after_free(void **state)
{
	struct sip_msg *m = malloc(sizeof(*m));
	char a[] = "OPTIONS sip:a@b SIP/2.0\r\nX: 1\r\n\r\n";
	char b[] = "SIP/2.0 200 OK\r\nY: 2\r\n\r\n";
	unsigned id;

	assert_non_null(m);
	assert_int_equal(parse_msg(a, (int)strlen(a), m), SV_OK);
	id = m->id;
	free_sip_msg(m);
	assert_null(m->headers);
	assert_null(m->buf);
	assert_int_equal(parse_msg(b, (int)strlen(b), m), SV_OK);
	assert_true(msg_is_reply(m));
	assert_str(&m->headers->name, "Y");
	assert_true(m->id != id);
	free_sip_msg(m);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(t_request_line),
	    cmocka_unit_test(t_status_line),
	    cmocka_unit_test(t_bad_first_lines),
	    cmocka_unit_test(t_leading_crlf_and_lf_only),
	    cmocka_unit_test(t_folding_and_names),
	    cmocka_unit_test(t_bad_header_lines),
	    cmocka_unit_test(t_offsets),
	    cmocka_unit_test(t_quick_pointers_and_siblings),
	    cmocka_unit_test(t_framing),
	    cmocka_unit_test(t_bad_framing),
	    cmocka_unit_test(t_lookup_by_name),
	    cmocka_unit_test(t_header_names),
	    cmocka_unit_test(t_methods),
	    cmocka_unit_test(t_many_headers),
	    cmocka_unit_test(t_reuse_after_free),
	};

	log_set_level(L_CRIT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

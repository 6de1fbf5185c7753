/*
 * parse_bench.c - SIP parser throughput.
 *
 * Prints key=value lines:
 *   invite_msgs_per_sec     parse_msg() + free of a typical INVITE (13
 *                           headers, SDP body)
 *   reply_msgs_per_sec      the same for a 200 OK to it
 *   invite30_msgs_per_sec   the same for an INVITE with 30 headers
 *   routing_ns_per_msg      parse_msg() plus what a proxy needs to route:
 *                           top Via, To, From, CSeq (Call-ID is a view)
 *   check_ns_per_msg        parse_msg() plus check_request() (every Via,
 *                           From, To, CSeq, Max-Forwards, Contact, R-URI)
 *
 * With an argument, only the figure of that name is measured.
 * Each figure is the best of 25 timed rounds of about 20 ms each: on a
 * shared machine the best round is the one nobody preempted.  Messages are
 * parsed from the same buffer each time, as a receiver parses its receive
 * buffer.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/parser/cseq.h"
#include "core/parser/msg.h"
#include "core/parser/msg_check.h"
#include "core/parser/to_from.h"
#include "core/parser/via.h"

#define SDP                                                                    \
	"v=0\r\no=alice 2890844526 2890844526 IN IP4 pc33.example.com\r\n"     \
	"s=-\r\nc=IN IP4 192.0.2.101\r\nt=0 0\r\n"                             \
	"m=audio 49172 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"

static char invite[] =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP "
    "pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE\r\n"
    "Supported: replaces, timer\r\n"
    "User-Agent: SoftPhone/1.0\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 141\r\n"
    "\r\n" SDP;

static char reply[] =
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/UDP "
    "server10.biloxi.example.com;branch=z9hG4bK4b43c2ff8.1;received=192.0.2."
    "3\r\n"
    "Via: SIP/2.0/UDP "
    "pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;received=192.0.2."
    "1\r\n"
    "Record-Route: <sip:server10.biloxi.example.com;lr>\r\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:bob@192.0.2.4>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 141\r\n"
    "\r\n" SDP;

static char invite30[] =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP edge.example.net:5060;branch=z9hG4bK3a1f.2;rport\r\n"
    "Via: SIP/2.0/TCP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 69\r\n"
    "Route: <sip:core1.example.net;lr>, <sip:core2.example.net;lr>\r\n"
    "Record-Route: <sip:edge.example.net;lr>\r\n"
    "To: \"Bob B.\" <sip:bob@biloxi.example.com>\r\n"
    "From: \"Alice A.\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: "
    "<sip:alice@pc33.atlanta.example.com;transport=tcp>;+sip.instance=\"<urn:"
    "uuid:00000000-0000-1000-8000-000A95A0E128>\"\r\n"
    "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REFER, "
    "NOTIFY\r\n"
    "Supported: replaces, timer, 100rel, path, gruu\r\n"
    "Require: timer\r\n"
    "Session-Expires: 1800;refresher=uac\r\n"
    "Min-SE: 90\r\n"
    "User-Agent: SoftPhone/1.0 (Linux)\r\n"
    "Accept: application/sdp, multipart/mixed\r\n"
    "Accept-Language: en, fr;q=0.5\r\n"
    "Accept-Encoding: identity\r\n"
    "P-Asserted-Identity: \"Alice A.\" <sip:alice@atlanta.example.com>\r\n"
    "Privacy: none\r\n"
    "Allow-Events: talk, hold, refer\r\n"
    "Organization: Atlanta Example\r\n"
    "Subject: lunch\r\n"
    "Priority: normal\r\n"
    "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"
    "X-Account: 12345\r\n"
    "X-Trace: 7f3c9a\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 141\r\n"
    "\r\n" SDP;

#define ROUNDS        25
#define ROUND_SECONDS 0.02

static struct sip_msg msg;
static volatile unsigned sink;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

enum work { PARSE_ONLY, ROUTING, CHECK };

static void one(char *buf, int len, enum work w)
{
	struct sip_msg *m = &msg;

	if (parse_msg(buf, len, m) != SV_OK) {
		fprintf(stderr, "parse failed: %.*s\n", m->err.info.len,
		        m->err.info.s);
		return;
	}
	if (w == ROUTING) {
		if (parse_via1(m) || parse_to_header(m) ||
		    parse_from_header(m) || parse_cseq_header(m) || !m->callid)
			fprintf(stderr, "routing headers failed\n");
		sink += m->via1->branch->body.len + get_cseq(m)->num +
		        (unsigned)m->callid->body.len;
	} else if (w == CHECK) {
		if (check_request(m) != SV_OK)
			fprintf(stderr, "check failed\n");
	}
	sink += (unsigned)m->hdr_count;
	free_sip_msg(m);
}

/* Best-of-ROUNDS nanoseconds per message. */
static double ns_per_msg(char *buf, enum work w)
{
	int len = (int)strlen(buf), i, round;
	long n = 1000;
	double t0, dt, best = 1e30;

	for (;;) { /* calibrate: about ROUND_SECONDS per round */
		t0 = now();
		for (i = 0; i < n; i++)
			one(buf, len, w);
		dt = now() - t0;
		if (dt > ROUND_SECONDS / 2)
			break;
		n *= 2;
	}
	n = (long)((double)n * ROUND_SECONDS / dt) + 1;
	for (round = 0; round < ROUNDS; round++) {
		t0 = now();
		for (i = 0; i < n; i++)
			one(buf, len, w);
		dt = (now() - t0) * 1e9 / (double)n;
		if (dt < best)
			best = dt;
	}
	return best;
}

/* Prints one figure when only is NULL or names it. */
static void report(const char *only, const char *key, char *buf, enum work w,
                   int rate)
{
	double ns;

	if (only && strcmp(only, key) != 0)
		return;
	ns = ns_per_msg(buf, w);
	printf("%s=%.0f\n", key, rate ? 1e9 / ns : ns);
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;

	log_set_level(L_ALERT);
	report(only, "invite_msgs_per_sec", invite, PARSE_ONLY, 1);
	report(only, "reply_msgs_per_sec", reply, PARSE_ONLY, 1);
	report(only, "invite30_msgs_per_sec", invite30, PARSE_ONLY, 1);
	report(only, "routing_ns_per_msg", invite, ROUTING, 0);
	report(only, "check_ns_per_msg", invite, CHECK, 0);
	return sink == 0xdeadbeef;
}

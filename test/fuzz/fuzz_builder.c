/*
 * fuzz_builder.c - libFuzzer target for what serval writes back: the
 * reply builder and the stateless request builder, over any input.
 *
 * Each input is parsed from a heap buffer of exactly its size; a request,
 * even a malformed one, is then answered as the receive path would (a
 * reply with a to-tag, an extra header and a body, for a source address
 * that differs from its top Via or not, with rport forced or not: the
 * first input byte chooses), and a parseable one is also printed for
 * stateless forwarding with a rewritten Request-URI, our Via, its branch
 * derived from the message, received/rport and Max-Forwards edits.  The
 * outputs must fit their buffers and must themselves parse as messages.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/msg_builder.h"
#include "core/parser/msg.h"
#include "core/parser/msg_check.h"
#include "core/socket.h"

static volatile unsigned sink;

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

/* The socket our Via names. */
static struct socket_info sock = {
	.fd = -1,
	.proto = PROTO_UDP,
	.port = 5060,
	.name = STR_LIT("udp:192.0.2.1:5060"),
	.address_str = STR_LIT("192.0.2.1"),
	.port_str = STR_LIT("5060"),
	.host_str = STR_LIT("192.0.2.1"),
};

/* The source of the message: IPv4 or IPv6, as choice says. */
static void set_source(struct sip_msg *msg, unsigned choice)
{
	str v4 = STR_LIT("10.0.0.1"), v6 = STR_LIT("2001:db8::1");

	ip_addr_parse(choice & 1 ? &v6 : &v4, &msg->rcv.src_ip);
	msg->rcv.src_port = choice & 2 ? 5062 : 5060;
	msg->rcv.proto = PROTO_UDP;
	msg->rcv.bind_address = &sock;
	if (choice & 4)
		msg->core_flags |= MSG_CF_FORCE_RPORT;
}

/* What was built must parse again; its parse is discarded. */
static void reparse(char *out, int len)
{
	static struct sip_msg again;

	if (len <= 0)
		return;
	if (parse_msg(out, len, &again) == SV_OK)
		sink += (unsigned)again.len;
	free_sip_msg(&again);
}

static void answer(struct sip_msg *msg, unsigned choice)
{
	static char out[SIP_MSG_MAX + 1];
	str reason = STR_LIT("Bad Request"), tag = STR_LIT("abc123.1");
	str hdrs = STR_LIT("Warning: 399 fuzz \"x\"\r\n"), body = STR_LIT("b");
	struct reply_build rb = { choice & 8 ? 180 : 400, &reason, &tag,
		                  &hdrs, choice & 16 ? &body : NULL };
	int n = build_reply(msg, &rb, out, sizeof(out) - 1);

	if (n > 0) {
		out[n] = '\0';
		reparse(out, n);
	}
}

static void relay(struct sip_msg *msg)
{
	static char out[SIP_MSG_MAX + 1];
	char branch[BRANCH_MAX + 1];
	str ruri = STR_LIT("sip:carol@192.0.2.9:5080;transport=udp"), b;
	struct req_build rb = { &ruri, &sock, &b, 0 };
	int n;

	n = stateless_branch(msg, branch);
	if (n <= 0)
		return;
	b.s = branch;
	b.len = n;
	n = build_request(msg, &rb, out, sizeof(out) - 1);
	if (n > 0)
		reparse(out, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sip_msg msg;
	unsigned choice;
	char *buf;

	if (size < 1 || size > 65536)
		return 0;
	log_set_level(L_ALERT);
	choice = data[0];
	buf = malloc(size - 1 ? size - 1 : 1);
	if (!buf)
		return 0;
	memcpy(buf, data + 1, size - 1);
	if (parse_msg(buf, (int)size - 1, &msg) == SV_OK ||
	    msg.first_line.type == SIP_REQUEST) {
		set_source(&msg, choice);
		if (msg.first_line.type == SIP_REQUEST) {
			answer(&msg, choice);
			if (check_request(&msg) == SV_OK)
				relay(&msg);
		}
	}
	free_sip_msg(&msg);
	free(buf);
	return 0;
}

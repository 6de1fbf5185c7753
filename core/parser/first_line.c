/*
 * first_line.c - Request-Line and Status-Line (RFC 3261 §7.1, §7.2).
 *
 *   Request-Line = Method SP Request-URI SP SIP-Version CRLF
 *   Status-Line  = SIP-Version SP Status-Code SP Reason-Phrase CRLF
 *
 * Strict about the separators: exactly one SP between the elements and none
 * after the version, which makes the RFC 4475 messages with LWS in the
 * Request-URI (§3.1.2.8), extra SPs (§3.1.2.9, §3.1.2.10) or a URI in <>
 * (§3.1.2.7) malformed (400).  The Request-URI is only checked for its
 * scheme and for visible ASCII here; its full syntax is checked by
 * check_request() (a URI of an unknown scheme is legal, RFC 4475 §3.3.2).
 * A SIP version other than 2.0 parses (the element answers 505 later); a
 * status code must be three digits in 100..699 (§3.1.2.19).  The line end
 * may be CRLF or a bare LF.
 */
#include <string.h>

#include "lex.h"
#include "method.h"
#include "msg_priv.h"

/* "SIP/" 1*DIGIT "." 1*DIGIT at p; returns its end or NULL. */
static char *scan_version(char *p, char *end)
{
	char *q;

	if (end - p < 7 || !ascii_caseeq(p, "SIP/", 4))
		return NULL;
	q = skip_class(p + 4, end, CT_DIGIT);
	if (q == p + 4 || q >= end || *q != '.')
		return NULL;
	p = q + 1;
	q = skip_class(p, end, CT_DIGIT);
	return q == p ? NULL : q;
}

/* scheme ":" followed by visible ASCII only */
static int ruri_shape_ok(const char *p, const char *end)
{
	const char *q;

	if (p >= end || !ct_is(*p, CT_ALPHA))
		return 0;
	for (q = p + 1; q < end && ct_is(*q, CT_SCHEME); q++)
		;
	if (q >= end - 1 || *q != ':')
		return 0;
	for (; q < end; q++)
		if ((unsigned char)*q <= 0x20 || (unsigned char)*q >= 0x7f)
			return 0;
	return 1;
}

static int parse_request_line(struct sip_msg *msg, char *p, char *end)
{
	char *q = skip_class(p, end, CT_TOKEN);

	if (q == p || q >= end || *q != ' ')
		return msg_bad(msg, "malformed method in Request-Line");
	REQ_LINE(msg).method.s = p;
	REQ_LINE(msg).method.len = (int)(q - p);
	REQ_LINE(msg).method_value = method_from_name(p, (int)(q - p));
	p = q + 1;
	q = memchr(p, ' ', end - p);
	if (!q || !ruri_shape_ok(p, q))
		return msg_bad(msg, "malformed Request-URI");
	REQ_LINE(msg).uri.s = p;
	REQ_LINE(msg).uri.len = (int)(q - p);
	p = q + 1;
	q = scan_version(p, end);
	if (!q || q != end)
		return msg_bad(msg, "malformed SIP version in Request-Line");
	REQ_LINE(msg).version.s = p;
	REQ_LINE(msg).version.len = (int)(q - p);
	msg->first_line.type = SIP_REQUEST;
	return SV_OK;
}

/* Reason-Phrase: anything but control characters (UTF-8 allowed). */
static int reason_ok(const char *p, const char *end)
{
	for (; p < end; p++)
		if (((unsigned char)*p < 0x20 && *p != '\t') || *p == 0x7f)
			return 0;
	return 1;
}

static int parse_status_line(struct sip_msg *msg, char *p, char *end)
{
	char *q = scan_version(p, end);
	int code;

	if (!q || q >= end || *q != ' ')
		return msg_bad(msg, "malformed SIP version in Status-Line");
	REPLY_LINE(msg).version.s = p;
	REPLY_LINE(msg).version.len = (int)(q - p);
	p = q + 1;
	q = skip_class(p, end, CT_DIGIT);
	if (q - p != 3)
		return msg_bad(msg, "status code is not three digits");
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (code < 100 || code > 699)
		return msg_bad(msg, "status code out of range");
	REPLY_LINE(msg).status.s = p;
	REPLY_LINE(msg).status.len = 3;
	REPLY_LINE(msg).statuscode = code;
	if (q < end && *q != ' ')
		return msg_bad(msg, "malformed Status-Line");
	p = q < end ? q + 1 : q; /* "100" CRLF without SP: empty reason */
	if (!reason_ok(p, end))
		return msg_bad(msg, "control character in Reason-Phrase");
	REPLY_LINE(msg).reason.s = p;
	REPLY_LINE(msg).reason.len = (int)(end - p);
	msg->first_line.type = SIP_REPLY;
	return SV_OK;
}

int parse_first_line(struct sip_msg *msg, char **pp, char *end)
{
	char *p = *pp, *eol, *line_end;
	int rc;

	eol = memchr(p, '\n', end - p);
	if (!eol)
		return msg_bad(msg, "first line is not terminated");
	line_end = (eol > p && eol[-1] == '\r') ? eol - 1 : eol;
	msg->first_line.line.s = p;
	msg->first_line.line.len = (int)(eol + 1 - p);
	if (line_end - p >= 4 && ascii_caseeq(p, "SIP/", 4))
		rc = parse_status_line(msg, p, line_end);
	else
		rc = parse_request_line(msg, p, line_end);
	if (rc < 0) {
		msg->first_line.type = SIP_INVALID;
		return rc;
	}
	*pp = eol + 1;
	return SV_OK;
}

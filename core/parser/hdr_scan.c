/*
 * hdr_scan.c - cutting the header section into header records.
 *
 *   message-header = field-name HCOLON field-value CRLF
 *   HCOLON = *( SP / HTAB ) ":" SWS
 *
 * One memchr() per physical line: a line whose next line starts with SP or
 * HTAB is folded into it.  The header section ends at an empty line (CRLF or
 * bare LF).  A datagram that ends without the empty line is accepted: the end
 * of the datagram ends the headers and the body is empty.  A line that does
 * not start with a token followed by ':' is malformed (a continuation line
 * right after the first line included).
 *
 * Each header gets its type from its name; the first header of a known type
 * is hooked into its named slot of struct sip_msg and later ones are chained
 * to it through `sibling`.
 */
#include <stddef.h>
#include <string.h>

#include "lex.h"
#include "msg_priv.h"

#define SLOT(field) offsetof(struct sip_msg, field)

/* offset of the named first-of-type slot in struct sip_msg, 0 for none */
static const unsigned short first_slot[HDR_NUM_T] = {
    [HDR_VIA_T] = SLOT(h_via1),
    [HDR_TO_T] = SLOT(to),
    [HDR_FROM_T] = SLOT(from),
    [HDR_CSEQ_T] = SLOT(cseq),
    [HDR_CALLID_T] = SLOT(callid),
    [HDR_CONTACT_T] = SLOT(contact),
    [HDR_MAXFORWARDS_T] = SLOT(max_forwards),
    [HDR_ROUTE_T] = SLOT(route),
    [HDR_RECORDROUTE_T] = SLOT(record_route),
    [HDR_PATH_T] = SLOT(path),
    [HDR_CONTENTTYPE_T] = SLOT(content_type),
    [HDR_CONTENTLENGTH_T] = SLOT(content_length),
    [HDR_CONTENTDISPOSITION_T] = SLOT(content_disposition),
    [HDR_AUTHORIZATION_T] = SLOT(authorization),
    [HDR_PROXYAUTH_T] = SLOT(proxy_auth),
    [HDR_WWW_AUTHENTICATE_T] = SLOT(www_authenticate),
    [HDR_PROXY_AUTHENTICATE_T] = SLOT(proxy_authenticate),
    [HDR_EXPIRES_T] = SLOT(expires),
    [HDR_SUPPORTED_T] = SLOT(supported),
    [HDR_REQUIRE_T] = SLOT(require),
    [HDR_PROXYREQUIRE_T] = SLOT(proxy_require),
    [HDR_UNSUPPORTED_T] = SLOT(unsupported),
    [HDR_ALLOW_T] = SLOT(allow),
    [HDR_EVENT_T] = SLOT(event),
    [HDR_ACCEPT_T] = SLOT(accept),
    [HDR_ACCEPTLANGUAGE_T] = SLOT(accept_language),
    [HDR_ORGANIZATION_T] = SLOT(organization),
    [HDR_PRIORITY_T] = SLOT(priority),
    [HDR_SUBJECT_T] = SLOT(subject),
    [HDR_USERAGENT_T] = SLOT(user_agent),
    [HDR_SERVER_T] = SLOT(server),
    [HDR_DATE_T] = SLOT(date),
    [HDR_RETRY_AFTER_T] = SLOT(retry_after),
    [HDR_CALL_INFO_T] = SLOT(call_info),
    [HDR_DIVERSION_T] = SLOT(diversion),
    [HDR_RPID_T] = SLOT(rpid),
    [HDR_REFER_TO_T] = SLOT(refer_to),
    [HDR_SESSION_EXPIRES_T] = SLOT(session_expires),
    [HDR_MIN_SE_T] = SLOT(min_se),
    [HDR_PPI_T] = SLOT(ppi),
    [HDR_PAI_T] = SLOT(pai),
    [HDR_PRIVACY_T] = SLOT(privacy),
};

struct hdr_field **msg_first_slot(struct sip_msg *msg, int type)
{
	if (type <= HDR_OTHER_T || type >= HDR_NUM_T || !first_slot[type])
		return NULL;
	return (struct hdr_field **)((char *)msg + first_slot[type]);
}

/*
 * End of the field that starts its value at p: the CR (or LF) of the line
 * end that is not followed by a fold.  *next gets the start of the next
 * line (end when the field runs to the end of the buffer).
 */
static char *field_end(char *p, char *end, char **next)
{
	char *start = p, *nl;

	for (;;) {
		nl = memchr(p, '\n', end - p);
		if (!nl) {
			*next = end;
			return end;
		}
		if (nl + 1 < end && is_wsp(nl[1])) {
			p = nl + 1;
			continue;
		}
		*next = nl + 1;
		return (nl > start && nl[-1] == '\r') ? nl - 1 : nl;
	}
}

/* Trailing SP, HTAB, CR, LF of a body. */
static char *trim_end(char *s, char *e)
{
	while (e > s && (is_wsp(e[-1]) || e[-1] == '\r' || e[-1] == '\n'))
		e--;
	return e;
}

/* One header line at *pp into a new record *out; *pp moves past it. */
static int scan_one(struct sip_msg *msg, char **pp, char *end,
                    struct hdr_field **out)
{
	char *p = *pp, *q, *vend, *next;
	struct hdr_field *h;

	q = skip_class(p, end, CT_TOKEN);
	if (q == p)
		return msg_bad(msg, "malformed header name");
	h = msg_alloc(msg, sizeof(*h));
	if (!h)
		return SV_ENOMEM;
	h->name.s = p;
	h->name.len = (int)(q - p);
	while (q < end && is_wsp(*q))
		q++;
	if (q >= end || *q != ':')
		return msg_bad(msg, "header line without ':'");
	vend = field_end(q + 1, end, &next);
	q = skip_lws(q + 1, vend);
	h->body.s = q;
	h->body.len = (int)(trim_end(q, vend) - q);
	h->len = (int)(next - p);
	h->type = hdr_type_from_name(h->name.s, h->name.len);
	*pp = next;
	*out = h;
	return SV_OK;
}

/*
 * The last header of each type seen so far.  Only entries whose bit is set
 * in `seen` are valid, so the array needs no clearing per message.
 */
struct type_tails {
	unsigned long long seen;
	struct hdr_field *last[HDR_NUM_T];
};

_Static_assert(HDR_NUM_T <= 64, "one bit per header type in type_tails");

/* Appends h to the header list, the first-of-type slot and its chain. */
static void link_header(struct sip_msg *msg, struct hdr_field *h,
                        struct type_tails *tails)
{
	unsigned long long bit = 1ULL << h->type;
	struct hdr_field **slot;

	if (msg->last_header)
		msg->last_header->next = h;
	else
		msg->headers = h;
	msg->last_header = h;
	msg->hdr_count++;
	if (h->type == HDR_OTHER_T)
		return;
	if (tails->seen & bit) {
		tails->last[h->type]->sibling = h;
	} else {
		tails->seen |= bit;
		slot = msg_first_slot(msg, h->type);
		if (slot)
			*slot = h;
	}
	tails->last[h->type] = h;
}

/* Length of the empty line at p (CRLF 2, LF 1), 0 when p is no empty line. */
static int empty_line(const char *p, const char *end)
{
	if (*p == '\n')
		return 1;
	if (*p == '\r' && (p + 1 == end || p[1] == '\n'))
		return (int)(p + 1 == end ? 1 : 2);
	return 0;
}

int scan_headers(struct sip_msg *msg, char *p, char *end, char **body)
{
	struct type_tails tails;
	struct hdr_field *h = NULL;
	int rc, n;

	tails.seen = 0;
	while (p < end) {
		n = empty_line(p, end);
		if (n) {
			msg->eoh = p;
			*body = p + n;
			return SV_OK;
		}
		if (msg->hdr_count >= MSG_MAX_HEADERS)
			return msg_error(msg, SV_ETOOBIG, 513,
			                 "Message Too Large",
			                 "too many headers");
		rc = scan_one(msg, &p, end, &h);
		if (rc < 0)
			return rc;
		link_header(msg, h, &tails);
	}
	msg->eoh = end;
	*body = end;
	return SV_OK;
}

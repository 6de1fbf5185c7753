/*
 * hdr_name.c - header names to types, with compact forms.
 *
 * Lookup runs for every header of every message, so it must be cheap: the
 * long names sit in a small open-addressing hash keyed on the first and
 * last characters (case folded) and the length (built on first use), which
 * leaves one candidate to compare for every known name; the comparison is
 * name_caseeq() (lex.h), a few word compares against the lower-case
 * spelling.  One-byte names are the compact forms and go through a table.
 *
 * Compact forms of headers without a type of their own (a Accept-Contact,
 * j Reject-Contact, d Request-Disposition, b Referred-By ...) still map to
 * their long names, for hdr_name_eq() and so $hdr(Name) finds them.
 */
#include "hdr.h"

#include <string.h>

#include "lex.h"

struct hdr_name {
	const char *name;
	unsigned char len;
	signed char type;
};

static const struct hdr_name names[] = {
    {"Accept", 6, HDR_ACCEPT_T},
    {"Accept-Contact", 14, HDR_OTHER_T},
    {"Accept-Encoding", 15, HDR_ACCEPTENCODING_T},
    {"Accept-Language", 15, HDR_ACCEPTLANGUAGE_T},
    {"Allow", 5, HDR_ALLOW_T},
    {"Allow-Events", 12, HDR_ALLOW_EVENTS_T},
    {"Authorization", 13, HDR_AUTHORIZATION_T},
    {"Call-ID", 7, HDR_CALLID_T},
    {"Call-Info", 9, HDR_CALL_INFO_T},
    {"Contact", 7, HDR_CONTACT_T},
    {"Content-Disposition", 19, HDR_CONTENTDISPOSITION_T},
    {"Content-Encoding", 16, HDR_CONTENTENCODING_T},
    {"Content-Length", 14, HDR_CONTENTLENGTH_T},
    {"Content-Type", 12, HDR_CONTENTTYPE_T},
    {"CSeq", 4, HDR_CSEQ_T},
    {"Date", 4, HDR_DATE_T},
    {"Diversion", 9, HDR_DIVERSION_T},
    {"Event", 5, HDR_EVENT_T},
    {"Expires", 7, HDR_EXPIRES_T},
    {"From", 4, HDR_FROM_T},
    {"Identity", 8, HDR_IDENTITY_T},
    {"Identity-Info", 13, HDR_IDENTITY_INFO_T},
    {"Max-Forwards", 12, HDR_MAXFORWARDS_T},
    {"Min-Expires", 11, HDR_MIN_EXPIRES_T},
    {"Min-SE", 6, HDR_MIN_SE_T},
    {"Organization", 12, HDR_ORGANIZATION_T},
    {"P-Asserted-Identity", 19, HDR_PAI_T},
    {"P-Preferred-Identity", 20, HDR_PPI_T},
    {"Path", 4, HDR_PATH_T},
    {"Priority", 8, HDR_PRIORITY_T},
    {"Privacy", 7, HDR_PRIVACY_T},
    {"Proxy-Authenticate", 18, HDR_PROXY_AUTHENTICATE_T},
    {"Proxy-Authorization", 19, HDR_PROXYAUTH_T},
    {"Proxy-Require", 13, HDR_PROXYREQUIRE_T},
    {"RAck", 4, HDR_RACK_T},
    {"Record-Route", 12, HDR_RECORDROUTE_T},
    {"Refer-To", 8, HDR_REFER_TO_T},
    {"Referred-By", 11, HDR_REFERRED_BY_T},
    {"Reject-Contact", 14, HDR_OTHER_T},
    {"Remote-Party-ID", 15, HDR_RPID_T},
    {"Request-Disposition", 19, HDR_OTHER_T},
    {"Require", 7, HDR_REQUIRE_T},
    {"Retry-After", 11, HDR_RETRY_AFTER_T},
    {"Route", 5, HDR_ROUTE_T},
    {"RSeq", 4, HDR_RSEQ_T},
    {"Server", 6, HDR_SERVER_T},
    {"Session-Expires", 15, HDR_SESSION_EXPIRES_T},
    {"Subject", 7, HDR_SUBJECT_T},
    {"Supported", 9, HDR_SUPPORTED_T},
    {"To", 2, HDR_TO_T},
    {"Unsupported", 11, HDR_UNSUPPORTED_T},
    {"User-Agent", 10, HDR_USERAGENT_T},
    {"Via", 3, HDR_VIA_T},
    {"Warning", 7, HDR_WARNING_T},
    {"WWW-Authenticate", 16, HDR_WWW_AUTHENTICATE_T},
};

#define N_NAMES (int)(sizeof(names) / sizeof(names[0]))

#define NAME_SLOTS 256 /* power of two, well above twice N_NAMES */
#define NAME_MAX_LEN 24 /* longer than every known name, a multiple of 8 */

/*
 * A hash slot holds everything a lookup compares, in one cache line: a
 * message's headers touch one line each here (this runs with cold caches
 * when requests are rare).  len 0 marks an empty slot.
 */
struct name_slot {
	unsigned char len;
	signed char type;
	char lc[NAME_MAX_LEN];   /* lower-case spelling */
	char mask[NAME_MAX_LEN]; /* 0x20 where a letter is (name_caseeq) */
} __attribute__((aligned(64)));

static struct name_slot name_tab[NAME_SLOTS];
static int name_tab_ready;

/* Folds case for hashing only: letters exactly, other bytes collide. */
static unsigned name_hash(const char *s, int len)
{
	return ((unsigned)(s[0] | 0x20) * 7 + (unsigned)(s[len - 1] | 0x20) * 3 +
	        (unsigned)len * 13) &
	       (NAME_SLOTS - 1);
}

static void build_name_tab(void)
{
	struct name_slot *slot;
	unsigned h;
	int i, j;

	for (i = 0; i < N_NAMES; i++) {
		h = name_hash(names[i].name, names[i].len);
		while (name_tab[h].len)
			h = (h + 1) & (NAME_SLOTS - 1);
		slot = &name_tab[h];
		slot->len = names[i].len;
		slot->type = names[i].type;
		for (j = 0; j < names[i].len; j++) {
			slot->lc[j] = (char)ascii_lower(names[i].name[j]);
			slot->mask[j] =
			    ct_is(names[i].name[j], CT_ALPHA) ? 0x20 : 0;
		}
	}
	name_tab_ready = 1;
}

/* Long name of a compact form, or NULL. */
static const char *compact_long_name(char c)
{
	switch (ascii_lower(c)) {
	case 'a':
		return "Accept-Contact";
	case 'b':
		return "Referred-By";
	case 'c':
		return "Content-Type";
	case 'd':
		return "Request-Disposition";
	case 'e':
		return "Content-Encoding";
	case 'f':
		return "From";
	case 'i':
		return "Call-ID";
	case 'j':
		return "Reject-Contact";
	case 'k':
		return "Supported";
	case 'l':
		return "Content-Length";
	case 'm':
		return "Contact";
	case 'n':
		return "Identity-Info";
	case 'o':
		return "Event";
	case 'r':
		return "Refer-To";
	case 's':
		return "Subject";
	case 't':
		return "To";
	case 'u':
		return "Allow-Events";
	case 'v':
		return "Via";
	case 'x':
		return "Session-Expires";
	case 'y':
		return "Identity";
	default:
		return NULL;
	}
}

/* Type of a long name (2 <= len < NAME_MAX_LEN). */
static int long_name_type(const char *name, int len)
{
	const struct name_slot *slot;
	unsigned h;

	if (!name_tab_ready)
		build_name_tab();
	for (h = name_hash(name, len); (slot = &name_tab[h])->len;
	     h = (h + 1) & (NAME_SLOTS - 1))
		if (slot->len == len &&
		    name_caseeq(name, slot->lc, slot->mask, len))
			return slot->type;
	return HDR_OTHER_T;
}

/* Type of each compact form by its byte (both cases), 0 for none. */
static const signed char compact_type[256] = {
#define C(c, t) [c] = t, [c - 32] = t
    C('c', HDR_CONTENTTYPE_T),    C('e', HDR_CONTENTENCODING_T),
    C('f', HDR_FROM_T),           C('i', HDR_CALLID_T),
    C('k', HDR_SUPPORTED_T),      C('l', HDR_CONTENTLENGTH_T),
    C('m', HDR_CONTACT_T),        C('n', HDR_IDENTITY_INFO_T),
    C('o', HDR_EVENT_T),          C('r', HDR_REFER_TO_T),
    C('s', HDR_SUBJECT_T),        C('t', HDR_TO_T),
    C('u', HDR_ALLOW_EVENTS_T),   C('v', HDR_VIA_T),
    C('x', HDR_SESSION_EXPIRES_T), C('y', HDR_IDENTITY_T),
    C('b', HDR_REFERRED_BY_T),
#undef C
};

int hdr_type_from_name(const char *name, int len)
{
	if (len <= 0 || len >= NAME_MAX_LEN)
		return HDR_OTHER_T;
	if (len == 1)
		return compact_type[(unsigned char)name[0]];
	return long_name_type(name, len);
}

const char *hdr_type_name(int type)
{
	int i;

	if (type <= HDR_OTHER_T || type >= HDR_NUM_T)
		return NULL;
	for (i = 0; i < N_NAMES; i++)
		if (names[i].type == type)
			return names[i].name;
	return NULL;
}

/* The long spelling of a name: itself, or the expansion of a compact form. */
static str long_form(const str *n)
{
	str r = *n;
	const char *full;

	if (n->len == 1 && (full = compact_long_name(n->s[0])) != NULL) {
		r.s = (char *)full;
		r.len = (int)strlen(full);
	}
	return r;
}

int hdr_name_eq(const str *a, const str *b)
{
	str la, lb;

	if (str_caseeq(a, b))
		return 1;
	if (a->len != 1 && b->len != 1)
		return 0;
	la = long_form(a);
	lb = long_form(b);
	return str_caseeq(&la, &lb);
}

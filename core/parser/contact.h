/*
 * contact.h - Contact headers (RFC 3261 §20.10):
 *
 *   Contact = ("Contact" / "m") HCOLON
 *             ( STAR / (contact-param *(COMMA contact-param)) )
 *   contact-param = (name-addr / addr-spec) *(SEMI contact-params)
 *
 * A Contact header gives a struct contact_body: either the star or a list
 * of contacts, each with its display name, URI and parameters; q, expires,
 * methods, received and +sip.instance are reachable directly.  In addr-spec
 * form every ';' starts a header parameter (RFC 4475 §3.3.12).  The q value
 * is checked at parse time (0..1, at most three decimals); expires only when
 * asked (contact_expires()), since an overlarge value may mean the default
 * to a registrar (RFC 4475 §3.1.2.4).  A message may hold several Contact
 * headers: parse_contacts() parses them all.
 */
#ifndef SERVAL_CORE_PARSER_CONTACT_H
#define SERVAL_CORE_PARSER_CONTACT_H

#include "msg.h"
#include "params.h"

struct contact {
	str display; /* as written, quotes included */
	str uri;     /* without <> */
	str full;    /* the whole contact-param as written */
	struct sip_param *params;
	struct sip_param *last_param;
	struct sip_param *q, *expires, *methods, *received, *instance;
	struct contact *next;
};

struct contact_body {
	int star;                 /* "Contact: *" */
	struct contact *contacts; /* NULL for the star */
};

/*
 * Parses one Contact header once; the result is (struct contact_body *)
 * hdr->parsed.  Returns SV_OK, SV_EBADMSG (msg->err filled, 400; a star
 * mixed with addresses is malformed) or SV_ENOMEM.
 */
int parse_contact_header(struct sip_msg *msg, struct hdr_field *hdr);

/*
 * Parses every Contact header of msg.  Returns the number of contacts
 * (0 when there is no Contact or only a star), or the first error.
 */
int parse_contacts(struct sip_msg *msg);

/*
 * The q value of c in thousandths (q=0.5 gives 500) into *q.  Returns SV_OK,
 * or SV_ENOTFOUND when c has no q parameter.
 */
int contact_q(const struct contact *c, int *q);

/*
 * The expires parameter of c into *expires.  Returns SV_OK, SV_ENOTFOUND
 * when absent, SV_EINVAL when not a number up to 2**32-1.
 */
int contact_expires(const struct contact *c, unsigned int *expires);

static inline struct contact_body *hdr_contact(const struct hdr_field *h)
{
	return (struct contact_body *)h->parsed;
}

#endif /* SERVAL_CORE_PARSER_CONTACT_H */

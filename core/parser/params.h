/*
 * params.h - header parameter lists: ";name=value" after a Via, To/From,
 * Contact, Route, Content-Type value (not URI parameters: see uri.h).
 *
 *   *( SEMI generic-param ),  generic-param = token [ EQUAL gen-value ]
 *   gen-value = token / host / quoted-string
 *   SEMI = SWS ";" SWS,  EQUAL = SWS "=" SWS
 *
 * LWS (folds included) is allowed around ';' and '=' (RFC 4475 §3.1.1.1).
 * A list ends at the end of the value or at a ',' that separates it from the
 * next value of the same header.  An empty parameter (";;", RFC 4475
 * §3.1.2.1) or an empty value after '=' is malformed.
 *
 * Each parameter is a struct sip_param in the message arena, in order; its
 * type says which well-known parameter it is, depending on the header
 * class: branch/received/rport/i/alias/maddr/ttl for Via, tag for To/From,
 * q/expires/methods/received/+sip.instance for Contact.
 */
#ifndef SERVAL_CORE_PARSER_PARAMS_H
#define SERVAL_CORE_PARSER_PARAMS_H

#include "msg.h"

enum param_class { PCLASS_GENERIC = 0, PCLASS_VIA, PCLASS_TO, PCLASS_CONTACT };

enum param_type {
	P_OTHER = 0,
	P_BRANCH,   /* Via */
	P_RECEIVED, /* Via, Contact */
	P_RPORT,    /* Via */
	P_I,        /* Via (i=) */
	P_ALIAS,    /* Via */
	P_MADDR,    /* Via */
	P_TTL,      /* Via */
	P_TAG,      /* To/From */
	P_Q,        /* Contact */
	P_EXPIRES,  /* Contact */
	P_METHODS,  /* Contact */
	P_INSTANCE  /* Contact (+sip.instance) */
};

struct sip_param {
	int type; /* enum param_type */
	str name; /* as written */
	str body; /* value without quotes; empty when absent */
	str full; /* "name = value" as written, quotes included */
	unsigned char has_value; /* an '=' was there */
	unsigned char quoted;    /* the value was a quoted-string */
	struct sip_param *next;
};

/*
 * Parses parameters from *pp (at the first ';', or LWS before it) for a
 * header of class pclass, appending to *first and *last.  Stops at the end or
 * at a ',' (LWS before it skipped), where *pp is left.  Returns SV_OK,
 * SV_EBADMSG (malformed; msg->err is left to the caller) or SV_ENOMEM.
 */
int parse_params(struct sip_msg *msg, char **pp, char *end, int pclass,
                 struct sip_param **first, struct sip_param **last);

/* First parameter called name (ignoring case) in list, or NULL. */
struct sip_param *param_find(struct sip_param *list, const char *name);

#endif /* SERVAL_CORE_PARSER_PARAMS_H */

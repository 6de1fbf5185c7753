/*
 * method.h - SIP request methods.
 *
 * Known methods are bits so that a set of them is one unsigned mask and
 * is_method("INVITE|BYE") is one AND.  The numbers are OpenSER's, so code and
 * scripts ported from it see the same values.  RFC 3261 makes the method
 * case-sensitive: "INVITE" is METHOD_INVITE, "invite" and "RE%47IST%45R" are
 * METHOD_OTHER and are kept by name in the first line.
 */
#ifndef SERVAL_CORE_PARSER_METHOD_H
#define SERVAL_CORE_PARSER_METHOD_H

#include "../str.h"

enum request_method {
	METHOD_UNDEF = 0,
	METHOD_INVITE = 1,
	METHOD_CANCEL = 2,
	METHOD_ACK = 4,
	METHOD_BYE = 8,
	METHOD_INFO = 16,
	METHOD_OPTIONS = 32,
	METHOD_UPDATE = 64,
	METHOD_REGISTER = 128,
	METHOD_MESSAGE = 256,
	METHOD_SUBSCRIBE = 512,
	METHOD_NOTIFY = 1024,
	METHOD_PRACK = 2048,
	METHOD_REFER = 4096,
	METHOD_PUBLISH = 8192,
	METHOD_OTHER = 16384
};

/*
 * Returns the method id of the name [s, s+len): the METHOD_* bit of a known
 * method (exact case), METHOD_OTHER for any other name.
 */
int method_from_name(const char *s, int len);

/*
 * Returns the canonical name of a known method id (e.g. "INVITE"), or NULL
 * for METHOD_OTHER, METHOD_UNDEF and combinations.
 */
const char *method_name(int method_id);

/*
 * Parses a '|'-separated list of method names as scripts write them
 * ("INVITE|BYE", known names matched ignoring case) into *mask.  Returns
 * SV_OK, or SV_EINVAL (mask untouched) when the list is empty, has an empty
 * element or names an unknown method (the caller may then compare by name).
 */
int method_mask_parse(const str *list, unsigned *mask);

#endif /* SERVAL_CORE_PARSER_METHOD_H */

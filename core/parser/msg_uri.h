/*
 * msg_uri.h - the Request-URI of a message as routing sees it.
 *
 * The script may rewrite the R-URI ($ru, rewritehost ...): the new value is
 * kept in msg->new_uri (a private copy the message owns) and every later
 * reader uses it instead of the first line's URI.  parse_sip_msg_uri()
 * parses the current R-URI once into msg->parsed_uri; changing new_uri
 * through set_new_uri()/reset_new_uri() invalidates that cache, so code
 * must not write msg->new_uri directly.  msg->dst_uri (the next hop forced
 * by the script, $du) is owned the same way.
 */
#ifndef SERVAL_CORE_PARSER_MSG_URI_H
#define SERVAL_CORE_PARSER_MSG_URI_H

#include "msg.h"

/* The current R-URI: new_uri when set, else the Request-Line's URI. */
static inline str *msg_ruri(struct sip_msg *msg)
{
	return msg->new_uri.s ? &msg->new_uri : &msg->first_line.u.request.uri;
}

/*
 * Parses the current R-URI of a request into msg->parsed_uri (once per
 * value).  Returns SV_OK, SV_EINVAL for a reply, or SV_EBADURI (msg->err
 * filled, 400).
 */
int parse_sip_msg_uri(struct sip_msg *msg);

/*
 * Parses the R-URI as received (ignoring new_uri) into
 * msg->parsed_orig_ruri, once.  Same results as parse_sip_msg_uri().
 */
int parse_orig_ruri(struct sip_msg *msg);

/*
 * Sets the R-URI to a private copy of uri and invalidates the parsed R-URI.
 * Returns SV_OK, or SV_ENOMEM (the previous value is kept).
 */
int set_new_uri(struct sip_msg *msg, const str *uri);

/* Drops new_uri (back to the received R-URI); invalidates the cache. */
void reset_new_uri(struct sip_msg *msg);

/* Sets / drops dst_uri (a private copy).  set: SV_OK or SV_ENOMEM. */
int set_dst_uri(struct sip_msg *msg, const str *uri);
void reset_dst_uri(struct sip_msg *msg);

/*
 * The part of a request that is per branch: the R-URI as rewritten, $du,
 * the branch flags of the R-URI branch and the forced send socket.  tm
 * saves it around a branch_route, whose changes belong to one branch only.
 */
struct msg_branch_state {
	str new_uri; /* owned copies (NULL: none) */
	str dst_uri;
	unsigned int bflags;
	struct socket_info *sock;
};

/*
 * Copies msg's per-branch state into *st (the strings duplicated).
 * Returns SV_OK, or SV_ENOMEM with nothing to release.
 */
int msg_branch_save(struct sip_msg *msg, struct msg_branch_state *st);

/*
 * Gives msg back the state saved in *st (which is emptied: its strings
 * now belong to msg), dropping what msg had meanwhile.
 */
void msg_branch_restore(struct sip_msg *msg, struct msg_branch_state *st);

#endif /* SERVAL_CORE_PARSER_MSG_URI_H */

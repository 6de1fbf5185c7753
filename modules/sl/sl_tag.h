/*
 * sl_tag.h - the to-tags of stateless replies, and recognising them in ACKs.
 *
 * A stateless reply carries a to-tag that sl can recognise later without
 * keeping any state, so the ACK of a negative reply to an INVITE can be
 * absorbed (RFC 3261 §17.1.1.3: that ACK is hop-by-hop and goes to whoever
 * sent the reply).  The tag has two parts (41 characters; OpenSER's form
 * with a suffix twice as long):
 *
 *   <signature: 32 hex digits>.<suffix: 8 hex digits>
 *
 * The signature is the MD5 of a fixed string and the first listen address
 * and port; it is computed once per process (sl_tag_init) and is the same
 * in every process of a server.  The suffix is a 32-bit hash of the
 * request's top Via host, port and branch: a retransmission of the request,
 * and the ACK of a non-2xx reply (which carries the INVITE's top Via
 * branch, RFC 3261 §17.1.1.3), give the same suffix; another transaction
 * gives another one (1 chance in 2^32 of a collision, where OpenSER's
 * CRC-16 had 1 in 65536).  An ACK for a
 * 2xx reply has a branch of its own, so it does not match and reaches the
 * script, which is what an end-to-end ACK must do.
 */
#ifndef SERVAL_MODULES_SL_SL_TAG_H
#define SERVAL_MODULES_SL_SL_TAG_H

#include <stdint.h>

#include "core/str.h"

struct sip_msg;

#define SL_TAG_SIG_LEN    32
#define SL_TAG_SEP        '.'
#define SL_TAG_SUFFIX_LEN 8
#define SL_TAG_LEN        (SL_TAG_SIG_LEN + 1 + SL_TAG_SUFFIX_LEN)

/* The fixed part the signature is computed over with the address. */
#define SL_TAG_SEED "serval-stateless"

/*
 * Computes this process's signature from addr and port (the first listen
 * socket's address and port as text).  Calling it again replaces it.
 */
void sl_tag_init(const str *addr, const str *port);

/*
 * sl_tag_init() from the first listen socket (core/socket.h), or from
 * empty strings when there is none.  Run in each child after the sockets
 * are open (child_init); every process gets the same signature.
 */
void sl_tag_init_listen(void);

/* Returns 1 once a signature was computed, else 0. */
int sl_tag_ready(void);

/*
 * Makes the to-tag for a reply to msg into out (at least SL_TAG_LEN bytes)
 * and returns its length (SL_TAG_LEN).  Parses the top Via; a request
 * without a parsable one gets the suffix of empty parts.  Computes the
 * signature from the listen sockets first if no sl_tag_init() ran.
 */
int sl_tag_make(struct sip_msg *msg, char *out);

/*
 * Returns 1 when tag is the to-tag sl_tag_make() gives for msg (an ACK:
 * same signature, same suffix from its own top Via), else 0.  Computes the
 * signature from the listen sockets first if no sl_tag_init() ran.
 */
int sl_tag_is_ours(struct sip_msg *msg, const str *tag);

/*
 * A 32-bit hash of the n strings, each delimited (so moving a byte from
 * one string to the next changes it).  Deterministic within one build and
 * byte order; not a cryptographic hash.
 */
#define SL_HASH_SEED 0x736c746167ULL /* "sltag" */
uint32_t sl_hash32(const str *parts, int n);

#endif /* SERVAL_MODULES_SL_SL_TAG_H */

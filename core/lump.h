/*
 * lump.h - edits of a received message, applied when it is printed.
 *
 * Script functions never rewrite the receive buffer: they record edits
 * ("lumps", as OpenSER called them) on the message, and the printer applies
 * them while copying the buffer into an outgoing one.  An edit is an
 * insertion of text at an offset of the original buffer, or the deletion of
 * a range of it; a replacement is both at the same offset.
 *
 *   at one offset, insertions come out in the order they were made, before
 *   the deletion that starts there;
 *   overlapping deletions delete their union;
 *   an insertion inside a deleted range still comes out (at its offset).
 *
 * Edits flagged LUMP_BRANCH belong to the branch being built (tm's
 * branch_route) and are dropped with lumps_drop_branch() once it is
 * printed.  Edits live in the message's arena and die with it.
 */
#ifndef SERVAL_CORE_LUMP_H
#define SERVAL_CORE_LUMP_H

#include "str.h"

struct sip_msg;
struct hdr_field;

#define LUMP_BRANCH 0x01  /* only for the branch being printed */

struct lump {
	int offset;        /* in msg->buf */
	int del_len;       /* bytes deleted at offset (0: insertion) */
	str ins;           /* text inserted at offset (arena copy) */
	unsigned flags;
	unsigned seq;      /* creation order */
	struct lump *next; /* in creation order */
};

/*
 * Inserts a copy of text at offset (0..msg->len).  Returns SV_OK,
 * SV_EINVAL for an offset outside the message, SV_ENOMEM.
 */
int lump_insert(struct sip_msg *msg, int offset, const str *text,
                unsigned flags);

/* Deletes [offset, offset+len).  Returns SV_OK, SV_EINVAL, SV_ENOMEM. */
int lump_delete(struct sip_msg *msg, int offset, int len, unsigned flags);

/* Deletes a whole header line (folds and CRLF included). */
int lump_delete_header(struct sip_msg *msg, const struct hdr_field *hdr,
                       unsigned flags);

/* Inserts a header line (must end with CRLF) after the last header. */
int lump_append_header(struct sip_msg *msg, const str *line, unsigned flags);

/* Inserts a header line (must end with CRLF) before the first header. */
int lump_prepend_header(struct sip_msg *msg, const str *line, unsigned flags);

/* Returns 1 when [offset, offset+len) is already deleted by some edit. */
int lump_is_deleted(const struct sip_msg *msg, int offset, int len);

/* Forgets the LUMP_BRANCH edits (after a branch was printed). */
void lumps_drop_branch(struct sip_msg *msg);

/*
 * A mark in this process's sequence of edits: every edit made later, on any
 * message, compares after it.  With lumps_drop_since() it scopes edits to
 * a stretch of code (tm's branch_route: what the route changes goes into
 * that branch only).
 */
unsigned lump_mark(void);

/* Forgets the edits of msg made after mark (lump_mark()). */
void lumps_drop_since(struct sip_msg *msg, unsigned mark);

/*
 * Copies msg->buf[from, to) into out (capacity size) applying every edit
 * that starts in [from, to) (LUMP_BRANCH ones only when with_branch).
 * Returns the number of bytes written, or SV_ETOOBIG.  Deletions that
 * start inside the range may not extend past to (the caller's ranges are
 * header-aligned).
 */
int lumps_apply(const struct sip_msg *msg, int from, int to, int with_branch,
                char *out, int size);

#endif /* SERVAL_CORE_LUMP_H */

/*
 * t_write.h - t_write_req() and t_write_unix(): the description of a
 * request, written to an external application (a voicemail, a logger)
 * through a FIFO or a unix datagram socket, in the line format of
 * OpenSER/SER's t_fifo ("0.3"), with the extra lines of a tw_append list.
 *
 * tw_append.  modparam("tm", "tw_append", "name:element;element...") is
 * repeatable; each line defines a named list (names are unique, compared
 * without case).  An element is "[title=]value":
 *   - a pseudo-variable (OpenSER 1.2): "ua=$hdr(User-Agent)", which needs
 *     a title, or "$rb" alone (no title), which makes the body be written;
 *   - OpenSER 1.1's bracket form: "avp[i:12]", "hdr[User-Agent]" (title
 *     defaults to the AVP's name or number, or the header's name) and
 *     "msg[body]" (the body, any title ignored).
 * Everything is parsed when the modparam is applied, in the master; the
 * lists live (malloc'ed) until the module is destroyed and are read-only
 * afterwards.
 *
 * The twenty lines (each ends with "\n"):
 *    0 "0.3"                     10 To body
 *    1 "sip_request.<action>"    11 Call-ID
 *    2 method                    12 From tag
 *    3 R-URI user                13 To tag
 *    4 R-URI host                14 CSeq number
 *    5 receiving address         15 "hash:label" (decimal)
 *    6 its port, "." for 5060    16 route set "<u>,<u>" or "."
 *    7 Request-URI as received   17 next hop or "."
 *    8 URI for new requests      18 "P-MsgFlags: <hex>", "title: value"
 *    9 From body                    lines, "." (one block of lines)
 *                                19 body (INVITE, INFO, $rb/msg[body]),
 *                                   else "."
 * Line 8 is the first Contact URI, else the From URI.  With Record-Route
 * (RFC 3261 §12.1.1, every RR URI of every header in order): when the
 * first RR URI has ;lr it is the next hop (17) and the route set (16) is
 * all of them; otherwise line 8 is the first RR URI and the route set is
 * the others followed by the Contact/From URI (strict routing).
 *
 * Sending.  The lines are printed into one per-process buffer, then
 *   - FIFO: opened O_WRONLY|O_NONBLOCK (no reader: error), written, closed;
 *   - unix: this process's AF_UNIX SOCK_DGRAM socket (made in child_init,
 *     non-blocking) is connected to the path and sends one datagram.
 * Either waits for the other side (poll) at most unix_tx_timeout seconds.
 *
 * A final reply is guaranteed, as OpenSER's add_blind_uac() did: before
 * writing, the transaction gets a "blind" branch (t_fwd.h, tm_add_blind):
 * nothing is sent on it, its fr_timer ends in the internal 408 upstream
 * unless the script (t_reply) or a failure route answers first.  In a
 * branch route no blind branch is added: the branch being relayed has its
 * own timer.
 */
#ifndef SERVAL_MODULES_TM_T_WRITE_H
#define SERVAL_MODULES_TM_T_WRITE_H

#include "core/str.h"

struct sip_msg;
struct fixup_ctx;
struct pv_spec;

#define TW_LINES   20
#define TW_VERSION "0.3"

struct tw_elem {
	char *title;          /* malloc'ed */
	struct pv_spec *spec; /* its value */
	struct tw_elem *next;
};

struct tw_append {
	char *name; /* malloc'ed */
	int add_body;
	struct tw_elem *elems;
	struct tw_append *next;
};

/* t_write_*'s first argument after its fixup. */
struct tw_info {
	str action;                  /* owned copy */
	const struct tw_append *app; /* NULL: no append list */
};

/*
 * Parses one tw_append definition s into a new list *out (not yet
 * registered).  Returns SV_OK, SV_EINVAL with the reason in err, or
 * SV_ENOMEM.
 */
int tw_append_parse(const char *s, struct tw_append **out, char *err,
                    int errlen);

/* Frees one list (NULL is fine). */
void tw_append_free(struct tw_append *a);

/*
 * The tw_append modparam setter: parses and registers the list, refusing
 * a duplicate name.  Returns SV_OK or SV_EINVAL (logged).
 */
int tw_append_param(int type, void *value);

/* The registered list named name, or NULL. */
const struct tw_append *tw_append_find(const char *name, int len);

/* Frees every registered list (destroy, tests). */
void tw_appends_free(void);

/*
 * Fixups of t_write_req/t_write_unix: argument 0 "action[/append]" becomes
 * a struct tw_info * (empty action, empty or unknown append name refused),
 * argument 1 the path, a str *.
 */
int tw_fixup(struct fixup_ctx *ctx, void **param, int idx);
void tw_fixup_free(void **param, int idx);

/*
 * Prints the twenty lines for msg (transaction hash:label) into buf.
 * Missing headers give empty lines.  Returns the length, SV_ETOOBIG, or
 * SV_EBADMSG for a message whose headers cannot be parsed.
 */
int tw_print(struct sip_msg *msg, const struct tw_info *twi, unsigned hash,
             unsigned label, char *buf, int size);

enum tw_kind { TW_FIFO, TW_UNIX };

/*
 * t_write_req (TW_FIFO) / t_write_unix (TW_UNIX): as described above.
 * Returns 1 written, -1 on error (no transaction, print or send error).
 */
int tm_t_write(struct sip_msg *msg, const struct tw_info *twi, const str *path,
               enum tw_kind kind);

/* Opens this process's unix datagram socket.  Returns SV_OK or SV_ERR. */
int tw_child_init(void);

#endif /* SERVAL_MODULES_TM_T_WRITE_H */

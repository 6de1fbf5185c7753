/*
 * rr_mod.h - what the rr module's files share (module-internal; the module
 * exports only its `exports` table).
 *
 *   rr.c       tables, parameters, fixups
 *   record.c   record_route(), record_route(params), record_route_preset()
 *   loose.c    loose_route()
 *   routed.c   the parameters of the Route entry loose_route() consumed,
 *              for check_route_param() and is_direction()
 */
#ifndef SERVAL_MODULES_RR_MOD_H
#define SERVAL_MODULES_RR_MOD_H

#include "core/str.h"

struct sip_msg;
struct sip_uri;

/* modparams (rr.c) */
extern int rr_enable_full_lr; /* ";lr=on" instead of ";lr" */
extern int rr_append_fromtag; /* ";ftag=<From tag>" in Record-Route */

/* Script functions (cmd_function signature); see README.md. */
int w_record_route(struct sip_msg *msg, void **params);
int w_record_route_params(struct sip_msg *msg, void **params);
int w_record_route_preset(struct sip_msg *msg, void **params);
int w_loose_route(struct sip_msg *msg, void **params);
int w_check_route_param(struct sip_msg *msg, void **params);
int w_is_direction(struct sip_msg *msg, void **params);

/* is_direction() argument, as the fixup stores it in the pointer */
#define RR_DOWNSTREAM 1
#define RR_UPSTREAM   2

/*
 * Inserts "Record-Route: <sip:" hostport [transport] [ftag] params lr
 * ">\r\n" before the first header of msg.  transport may be NULL (none);
 * params may be empty.  Returns SV_OK, SV_EBADMSG (no usable From when
 * append_fromtag is set), SV_ENOMEM.
 */
int rr_insert(struct sip_msg *msg, const str *hostport, const char *transport,
              const str *params);

/* Returns 1 when the parsed URI u designates this server (myself). */
int rr_uri_is_myself(const struct sip_uri *u);

/*
 * Remembers params (a URI's parameters, without the leading ';') as those
 * of the route msg was routed by; rr_routed_reset() forgets them for msg.
 * The copy is per process and tied to msg->id.  Returns SV_OK or
 * SV_ENOMEM.
 */
int rr_routed_set(const struct sip_msg *msg, const str *params);
void rr_routed_reset(const struct sip_msg *msg);

/*
 * The remembered parameters for msg, ";"-prefixed and NUL terminated
 * (";ftag=x;lr"): SV_OK, or SV_ENOTFOUND when loose_route() consumed no
 * route of ours for msg.
 */
int rr_routed_get(const struct sip_msg *msg, str *params);

/* Frees the remembered copy (module destroy). */
void rr_routed_free(void);

#endif /* SERVAL_MODULES_RR_MOD_H */

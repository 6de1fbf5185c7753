/*
 * pv_core.h - the core's pseudo-variables (OpenSER 1.2 items.c names).
 *
 * PVT_* identify each core pseudo-variable; the getters shared by a family
 * (pv_get_addr, pv_get_msg ...) switch on sp->exp->type.
 * Aliases share a type ($ru and $ruri, $si and $src_ip ...).  Modules
 * number their own pseudo-variables from PVT_MODULE upwards.
 */
#ifndef SERVAL_CORE_PV_CORE_H
#define SERVAL_CORE_PV_CORE_H

#include "pv.h"

enum pv_core_type {
	PVT_NONE = 0,
	PVT_RURI,
	PVT_RURI_USER,
	PVT_RURI_DOMAIN,
	PVT_RURI_PORT,
	PVT_RURI_PROTO,
	PVT_OURI,
	PVT_OURI_USER,
	PVT_OURI_DOMAIN,
	PVT_OURI_PORT,
	PVT_OURI_PROTO,
	PVT_DSTURI,
	PVT_DSTURI_DOMAIN,
	PVT_DSTURI_PORT,
	PVT_DSTURI_PROTO,
	PVT_DSET,
	PVT_BRANCH,
	PVT_BRANCHES,
	PVT_FROM,
	PVT_FROM_USER,
	PVT_FROM_DOMAIN,
	PVT_FROM_DISPLAY,
	PVT_FROM_TAG,
	PVT_TO,
	PVT_TO_USER,
	PVT_TO_DOMAIN,
	PVT_TO_DISPLAY,
	PVT_TO_TAG,
	PVT_CALLID,
	PVT_CSEQ,
	PVT_METHOD,
	PVT_CONTACT,
	PVT_CONTENT_TYPE,
	PVT_CONTENT_LENGTH,
	PVT_USER_AGENT,
	PVT_REFER_TO,
	PVT_DIVERSION,
	PVT_RPID,
	PVT_PAI,
	PVT_PPI,
	PVT_PPI_USER,
	PVT_PPI_DOMAIN,
	PVT_PPI_DISPLAY,
	PVT_BODY,
	PVT_MSG_BUF,
	PVT_MSG_LEN,
	PVT_MSG_ID,
	PVT_STATUS,
	PVT_REASON,
	PVT_SRC_IP,
	PVT_SRC_PORT,
	PVT_RCV_IP,
	PVT_RCV_PORT,
	PVT_FORCE_SOCK,
	PVT_MFLAGS,
	PVT_MFLAGS_HEX,
	PVT_BFLAGS,
	PVT_BFLAGS_HEX,
	PVT_SFLAGS,
	PVT_SFLAGS_HEX,
	PVT_AUTH_USER,
	PVT_AUTH_REALM,
	PVT_AUTH_USERNAME,
	PVT_RETCODE,
	PVT_PID,
	PVT_TIME_S,
	PVT_TIME_F,
	PVT_ERR_CLASS,
	PVT_ERR_LEVEL,
	PVT_ERR_INFO,
	PVT_ERR_RCODE,
	PVT_ERR_RREASON,
	PVT_AVP,
	PVT_HDR,
	PVT_VAR,
	PVT_MODULE = 1000 /* first id free for modules */
};

/*
 * What $rc/$retcode reads: the value returned by the last function, route
 * or return statement (written by the interpreter, per process).
 */
extern int pv_retcode;

/* The core table, terminated by a NULL name. */
extern const struct pv_export pv_core_exports[];

#endif /* SERVAL_CORE_PV_CORE_H */

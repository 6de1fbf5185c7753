/*
 * standin.h - shared bits of the script-interface stand-ins under
 * test/modules/ (tm, usrloc, registrar, auth, mi_fifo).  A real module
 * without a stand-in (sl, maxfwd, textops, rr, xlog, uri) is copied
 * into the test modules' directory by the Makefile instead, so deleting
 * a stand-in makes the script tests use the real module.
 *
 * A stand-in exports the script interface of the OpenSER 1.2 module of
 * the same name (function names, arities, allowed route types, argument
 * fixups, parameters and their types, pseudo-variables) so that real
 * OpenSER scripts can be parsed and fixed up by the cfg tests before the
 * real modules exist.  The function bodies do nothing; these are never
 * installed or used outside the unit tests.
 */
#ifndef SERVAL_TEST_STANDIN_H
#define SERVAL_TEST_STANDIN_H

#include <stddef.h>

#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/module.h"
#include "core/pv.h"

#define R REQUEST_ROUTE
#define F FAILURE_ROUTE
#define O ONREPLY_ROUTE
#define B BRANCH_ROUTE
#define E ERROR_ROUTE

/* The body every stand-in function shares. */
static inline int standin_ok(struct sip_msg *msg, void **params)
{
	return 1;
}

#define STANDIN_EXPORTS(n, c, p, v)                                            \
	SERVAL_MODULE_EXPORT const struct module_exports exports = {           \
	    .abi_version = MODULE_ABI_VERSION,                                 \
	    .build_signature = SERVAL_BUILD_SIGNATURE,                         \
	    .name = n,                                                         \
	    .cmds = c,                                                         \
	    .params = p,                                                       \
	    .pvs = v,                                                          \
	}

#endif /* SERVAL_TEST_STANDIN_H */

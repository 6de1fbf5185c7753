/*
 * tmod_pvdup.c - a test module exporting a pseudo-variable the core
 * already has ($ru): the loader must refuse it.
 */
#include <stddef.h>

#include "core/module.h"
#include "core/pv.h"

static const struct pv_export pvs[] = {{"ru", 1003, 0, NULL, NULL, NULL},
                                       {NULL, 0, 0, NULL, NULL, NULL}};

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "tmod_pvdup",
    .pvs = pvs,
};

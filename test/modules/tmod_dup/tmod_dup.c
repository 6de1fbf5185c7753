/*
 * tmod_dup.c - a test module that claims the name of tmod_a: loading both
 * must be refused as a duplicate.
 */
#include "core/module.h"

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "tmod_a",
};

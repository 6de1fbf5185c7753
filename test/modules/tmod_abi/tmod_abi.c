/* tmod_abi.c - a test module built for another module ABI version. */
#include "core/module.h"

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION + 1,
    .build_signature = SERVAL_BUILD_SIGNATURE,
    .name = "tmod_abi",
};

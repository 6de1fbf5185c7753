/* tmod_sig.c - a test module whose build signature is another serval's. */
#include "core/module.h"

SERVAL_MODULE_EXPORT const struct module_exports exports = {
    .abi_version = MODULE_ABI_VERSION,
    .build_signature = "serval 0.0.1 abi1 OTHER_FLAGS",
    .name = "tmod_sig",
};

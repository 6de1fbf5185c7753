/* auth.c - script-interface stand-in of auth (see ../standin.h). */
#include "../standin.h"

static const struct cmd_export cmds[] = {
    {"www_challenge", standin_ok, 2, fixup_str, R, fixup_free_str},
    {"proxy_challenge", standin_ok, 2, fixup_str, R, fixup_free_str},
    {"consume_credentials", standin_ok, 0, NULL, R, NULL},
    {"append_rpid", standin_ok, 0, NULL, R | B | F, NULL},
    {"is_rpid_user_e164", standin_ok, 0, NULL, R, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

static char *secret, *rpid_prefix;

static const struct param_export params[] = {
    {"secret", PARAM_STR, &secret},
    {"rpid_prefix", PARAM_STR, &rpid_prefix},
    {NULL, 0, NULL}};

STANDIN_EXPORTS("auth", cmds, params, NULL);

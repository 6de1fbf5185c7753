/* rr.c - script-interface stand-in of rr (see ../standin.h). */
#include "../standin.h"

static const struct cmd_export cmds[] = {
    {"loose_route", standin_ok, 0, NULL, R, NULL},
    {"record_route", standin_ok, 0, NULL, R | B | F, NULL},
    {"record_route", standin_ok, 1, fixup_pvfmt, R | B | F, fixup_free_pvfmt},
    {"record_route_preset", standin_ok, 1, fixup_pvfmt, R | B | F,
     fixup_free_pvfmt},
    {"check_route_param", standin_ok, 1, fixup_regex, R, fixup_free_regex},
    {"is_direction", standin_ok, 1, fixup_str, R, fixup_free_str},
    {NULL, NULL, 0, NULL, 0, NULL}};

static int enable_full_lr, append_fromtag = 1, enable_double_rr = 1;

static const struct param_export params[] = {
    {"enable_full_lr", PARAM_INT, &enable_full_lr},
    {"append_fromtag", PARAM_INT, &append_fromtag},
    {"enable_double_rr", PARAM_INT, &enable_double_rr},
    {NULL, 0, NULL}};

STANDIN_EXPORTS("rr", cmds, params, NULL);

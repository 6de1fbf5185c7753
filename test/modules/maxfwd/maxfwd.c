/* maxfwd.c - script-interface stand-in of maxfwd (see ../standin.h). */
#include "../standin.h"

static const struct cmd_export cmds[] = {
    {"mf_process_maxfwd_header", standin_ok, 1, fixup_int, R, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

static int max_limit = 16;

static const struct param_export params[] = {
    {"max_limit", PARAM_INT, &max_limit}, {NULL, 0, NULL}};

STANDIN_EXPORTS("maxfwd", cmds, params, NULL);

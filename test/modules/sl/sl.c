/*
 * sl.c - script-interface stand-in of the sl module (see ../standin.h):
 * OpenSER 1.2's sl_send_reply/sl_reply_error and the later send_reply,
 * with both seed documents' parameters.
 */
#include "../standin.h"

static const struct cmd_export cmds[] = {
    {"sl_send_reply", standin_ok, 2, fixup_pvfmt, R | E, fixup_free_pvfmt},
    {"send_reply", standin_ok, 2, fixup_pvfmt, R | F | B, fixup_free_pvfmt},
    {"sl_reply_error", standin_ok, 0, NULL, R, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

static int enable_stats = 1, default_code = 500, bind_tm = 1;
static char *default_reason;

static const struct param_export params[] = {
    {"enable_stats", PARAM_INT, &enable_stats},
    {"default_code", PARAM_INT, &default_code},
    {"default_reason", PARAM_STR, &default_reason},
    {"bind_tm", PARAM_INT, &bind_tm},
    {NULL, 0, NULL}};

STANDIN_EXPORTS("sl", cmds, params, NULL);

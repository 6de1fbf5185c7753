/* uri.c - script-interface stand-in of uri (see ../standin.h). */
#include "../standin.h"

static const struct cmd_export cmds[] = {
    {"has_totag", standin_ok, 0, NULL, ANY_ROUTE, NULL},
    {"is_user", standin_ok, 1, fixup_str, R, fixup_free_str},
    {"uri_param", standin_ok, 1, fixup_str, R, fixup_free_str},
    {"uri_param", standin_ok, 2, fixup_str, R, fixup_free_str},
    {"add_uri_param", standin_ok, 1, fixup_str, R, fixup_free_str},
    {NULL, NULL, 0, NULL, 0, NULL}};

STANDIN_EXPORTS("uri", cmds, NULL, NULL);

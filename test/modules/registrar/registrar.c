/* registrar.c - script-interface stand-in of registrar (../standin.h). */
#include "../standin.h"

static const struct cmd_export cmds[] = {
    {"save", standin_ok, 1, fixup_str, R | F, fixup_free_str},
    {"save", standin_ok, 2, fixup_str, R | F, fixup_free_str},
    {"lookup", standin_ok, 1, fixup_str, R | F, fixup_free_str},
    {"registered", standin_ok, 1, fixup_str, R | F, fixup_free_str},
    {NULL, NULL, 0, NULL, 0, NULL}};

static int default_expires = 3600, min_expires = 60;

static const struct param_export params[] = {
    {"default_expires", PARAM_INT, &default_expires},
    {"min_expires", PARAM_INT, &min_expires},
    {NULL, 0, NULL}};

STANDIN_EXPORTS("registrar", cmds, params, NULL);

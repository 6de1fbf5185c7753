/* textops.c - script-interface stand-in of textops (see ../standin.h). */
#include "../standin.h"

#define ANYR (R | F | O | B)

static const struct cmd_export cmds[] = {
    {"search", standin_ok, 1, fixup_regex, ANYR, fixup_free_regex},
    {"search_append", standin_ok, 2, fixup_str, R | F | B, fixup_free_str},
    {"replace", standin_ok, 2, fixup_str, ANYR, fixup_free_str},
    {"replace_all", standin_ok, 2, fixup_str, ANYR, fixup_free_str},
    {"subst", standin_ok, 1, fixup_str, ANYR, fixup_free_str},
    {"subst_uri", standin_ok, 1, fixup_str, R | F | B, fixup_free_str},
    {"append_hf", standin_ok, 1, fixup_pvfmt, ANYR, fixup_free_pvfmt},
    {"append_to_reply", standin_ok, 1, fixup_pvfmt, R | E, fixup_free_pvfmt},
    {"remove_hf", standin_ok, 1, fixup_str, ANYR, fixup_free_str},
    {"is_present_hf", standin_ok, 1, fixup_str, ANYR, fixup_free_str},
    {"is_method", standin_ok, 1, fixup_str, ANYR, fixup_free_str},
    {"has_body", standin_ok, 0, NULL, ANYR, NULL},
    {NULL, NULL, 0, NULL, 0, NULL}};

STANDIN_EXPORTS("textops", cmds, NULL, NULL);

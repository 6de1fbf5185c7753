/* usrloc.c - script-interface stand-in of usrloc (see ../standin.h). */
#include "../standin.h"

static int db_mode, timer_interval = 60;
static char *db_url;

static const struct param_export params[] = {
    {"db_mode", PARAM_INT, &db_mode},
    {"timer_interval", PARAM_INT, &timer_interval},
    {"db_url", PARAM_STR, &db_url},
    {NULL, 0, NULL}};

STANDIN_EXPORTS("usrloc", NULL, params, NULL);

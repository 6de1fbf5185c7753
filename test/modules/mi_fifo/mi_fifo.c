/* mi_fifo.c - parameter stand-in of mi_fifo (see ../standin.h). */
#include "../standin.h"

static char *fifo_name, *fifo_mode;

static const struct param_export params[] = {
    {"fifo_name", PARAM_STR, &fifo_name},
    {"fifo_mode", PARAM_STR, &fifo_mode},
    {NULL, 0, NULL}};

STANDIN_EXPORTS("mi_fifo", NULL, params, NULL);

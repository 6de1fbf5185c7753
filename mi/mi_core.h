/*
 * mi_core.h - the MI commands of the core.
 *
 *   which             one line per registered command name
 *   ps                "Process::  ID=<i> PID=<pid> Type=<desc>" per process
 *   uptime            "Now:: <ctime>", "Up since:: <ctime>",
 *                     "Up time:: <n> [sec]"
 *   version           "Server:: serval <version> (<arch>/<os>)"
 *   pwd               "WD:: <working directory>"
 *   arg               one line per command line argument
 *   kill              asks the master to stop the server; answers 200 OK
 *   debug [level]     "DEBUG:: <level>"; with an argument first sets the
 *                     shared log level (L_ALERT -3 .. 9), else 400
 *   get_statistics    all | group: | group:name | name ... ->
 *                     "group:name = value" lines; 404 Statistics Not Found
 *                     when nothing matches, 400 without arguments
 *   reset_statistics  the same selectors; resets what can be reset; 404
 *                     when nothing matches, 400 without arguments
 */
#ifndef SERVAL_MI_MI_CORE_H
#define SERVAL_MI_MI_CORE_H

/*
 * Registers the core commands (module "core"), records the start time for
 * uptime and copies argv for arg.  Master only, before modules register
 * theirs (so a module cannot take a core name) and before forking.
 * Returns SV_OK or the registration error.
 */
int mi_core_init(int argc, char **argv);

/* Frees the copy of argv (tests, master at exit). */
void mi_core_destroy(void);

/* Registers get_statistics and reset_statistics (part of mi_core_init). */
int mi_stats_init(void);

#endif /* SERVAL_MI_MI_CORE_H */

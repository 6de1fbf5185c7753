/*
 * log.h - the one logging family.
 *
 * LM_ALERT ... LM_DBG test the level before evaluating their arguments, so a
 * disabled debug line costs one load and one compare.  The level is shared by
 * all processes once shared memory exists (log_share_level()), which is how
 * MI "debug" changes it for the whole server.  Levels are OpenSER's numbers so
 * that "debug=" in an OpenSER script means the same thing:
 *
 *   L_ALERT -3, L_CRIT -2, L_ERR -1, L_DEFAULT 0, L_WARN 1, L_NOTICE 2,
 *   L_INFO 3, L_DBG 4
 *
 * A line carries the pid, the level, the process context set with
 * log_set_context() (e.g. "udp#1") and the source file:line.  Each line is
 * emitted with one write(2) on stderr, or one syslog(3) call.
 */
#ifndef SERVAL_CORE_LOG_H
#define SERVAL_CORE_LOG_H

#define L_ALERT -3
#define L_CRIT -2
#define L_ERR -1
#define L_DEFAULT 0
#define L_WARN 1
#define L_NOTICE 2
#define L_INFO 3
#define L_DBG 4

/* Current level; points to a process-local int until log_share_level(). */
extern volatile int *log_level_ptr;

#define LOG_ENABLED(lev) ((lev) <= *log_level_ptr)

#define LOG(lev, ...)                                                      \
	do {                                                               \
		if (LOG_ENABLED(lev))                                      \
			log_emit((lev), __FILE__, __LINE__, __VA_ARGS__);  \
	} while (0)

#define LM_ALERT(...) LOG(L_ALERT, __VA_ARGS__)
#define LM_CRIT(...) LOG(L_CRIT, __VA_ARGS__)
#define LM_ERR(...) LOG(L_ERR, __VA_ARGS__)
#define LM_WARN(...) LOG(L_WARN, __VA_ARGS__)
#define LM_NOTICE(...) LOG(L_NOTICE, __VA_ARGS__)
#define LM_INFO(...) LOG(L_INFO, __VA_ARGS__)
#define LM_DBG(...) LOG(L_DBG, __VA_ARGS__)

/*
 * Formats and writes one line at level lev.  A trailing newline in fmt is
 * accepted and not doubled.  Lines longer than 4 KiB are truncated.  Never
 * fails visibly; safe to call from any process, not from signal handlers.
 */
void log_emit(int lev, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Sets the level of this process (and of all, once shared). */
void log_set_level(int level);

/* Returns the current level. */
int log_get_level(void);

/*
 * Moves the level into *shared (an int in shm), keeping its value, so that
 * every process forked later reads and writes the same level.  Called once
 * by the master after shm exists.
 */
void log_share_level(int *shared);

/*
 * Gives this process its own level (the script's setdebug(level)), which
 * the shared level no longer affects until log_reset_proc_level() (the
 * script's setdebug()) returns to the shared one.
 */
void log_set_proc_level(int level);
void log_reset_proc_level(void);

/* Chooses stderr (to_stderr=1) or syslog with facility and ident name. */
void log_set_target(int to_stderr, int facility, const char *name);

/* Returns 1 when logging goes to stderr. */
int log_to_stderr(void);

/* Sets the per-process context shown on each line (copied, max 31 chars). */
void log_set_context(const char *ctx);

/* Returns a level's name ("ERROR", "DEBUG" ...). */
const char *log_level_name(int lev);

/*
 * Parses a syslog facility name ("LOG_DAEMON", "LOG_LOCAL0" ...).
 * Returns the facility value, or SV_EINVAL when unknown.
 */
int log_facility_from_name(const char *name);

#endif /* SERVAL_CORE_LOG_H */

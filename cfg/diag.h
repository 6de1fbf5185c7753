/*
 * diag.h - source positions and the script's error messages.
 *
 * Every token and every AST node carries a struct cfg_pos: the file name
 * as it was given (or as an include_file made it), the 1-based line and the
 * 1-based column (a tab counts as one column, like a byte offset).  All
 * script diagnostics go through cfg_error()/cfg_warn(), which print
 *
 *     file:line:col: error: what was wrong
 *
 * as one log line.  The script is checked until the first error and no
 * further, so there is exactly one message per broken script; the last
 * error text is also kept (cfg_last_error()) for `serval -c` and the tests.
 */
#ifndef SERVAL_CFG_DIAG_H
#define SERVAL_CFG_DIAG_H

struct cfg_pos {
	const char *file; /* owned by the script (arena) */
	int line;
	int col;
};

#define CFG_ERR_MAX 512

/*
 * Formats "file:line:col: error: <fmt>" (or without the position when pos
 * is NULL), logs it at L_ERR and keeps it as the last error.  Returns
 * SV_EINVAL so that callers can write `return cfg_error(...)`.
 */
int cfg_error(const struct cfg_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Same, for an error whose text was already formatted by a callee. */
int cfg_error_str(const struct cfg_pos *pos, const char *msg);

/* Logs "file:line:col: warning: <fmt>" at L_WARN; not kept. */
void cfg_warn(const struct cfg_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Logs "file:line:col: notice: <fmt>" at L_NOTICE; not kept. */
void cfg_notice(const struct cfg_pos *pos, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Returns the last error message (without the log prefix), "" when there
 * was none since cfg_clear_error().  Static storage, overwritten by the
 * next error.
 */
const char *cfg_last_error(void);

/* Forgets the last error (cfg_load() does this first). */
void cfg_clear_error(void);

/* Number of errors reported so far (to tell whether a callee reported). */
unsigned cfg_error_count(void);

#endif /* SERVAL_CFG_DIAG_H */

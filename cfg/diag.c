/*
 * diag.c - formatting of script errors, warnings and notices.
 *
 * The message is built once into a buffer, logged, and (for errors) kept in
 * last_error.  Only the master reads the script, so one static buffer is
 * enough.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/errors.h"
#include "core/log.h"

static char last_error[CFG_ERR_MAX];
static unsigned error_count;

static void format_msg(char *buf, int size, const struct cfg_pos *pos,
                       const char *kind, const char *fmt, va_list ap)
{
	int n = 0;

	if (pos && pos->file)
		n = snprintf(buf, size, "%s:%d:%d: %s: ", pos->file, pos->line,
		             pos->col, kind);
	else
		n = snprintf(buf, size, "%s: ", kind);
	if (n < 0 || n >= size)
		return;
	vsnprintf(buf + n, size - n, fmt, ap);
}

int cfg_error(const struct cfg_pos *pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format_msg(last_error, sizeof(last_error), pos, "error", fmt, ap);
	va_end(ap);
	LM_ERR("%s", last_error);
	error_count++;
	return SV_EINVAL;
}

int cfg_error_str(const struct cfg_pos *pos, const char *msg)
{
	return cfg_error(pos, "%s", msg);
}

void cfg_warn(const struct cfg_pos *pos, const char *fmt, ...)
{
	char buf[CFG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	format_msg(buf, sizeof(buf), pos, "warning", fmt, ap);
	va_end(ap);
	LM_WARN("%s", buf);
}

void cfg_notice(const struct cfg_pos *pos, const char *fmt, ...)
{
	char buf[CFG_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	format_msg(buf, sizeof(buf), pos, "notice", fmt, ap);
	va_end(ap);
	LM_NOTICE("%s", buf);
}

const char *cfg_last_error(void)
{
	return last_error;
}

void cfg_clear_error(void)
{
	last_error[0] = '\0';
}

unsigned cfg_error_count(void)
{
	return error_count;
}

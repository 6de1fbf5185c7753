/*
 * words.c - splitting a console line into arguments.
 *
 * A small shell-like splitter, so "t_uac_dlg OPTIONS sip:x . .
 * "From: <sip:a@b>\r\nTo: <sip:c@d>\r\n"" can be typed on one line:
 * blanks separate words; inside "..." blanks are kept and \" \\ \n \r \t
 * are understood (any other backslash stays as it is); inside '...'
 * everything is literal.  Quotes may join parts of a word (a"b c"d is one
 * word).  One pass over the line; each word is at most as long as the
 * line.
 */
#include "ctl.h"
#include "core/errors.h"

#include <stdlib.h>
#include <string.h>

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char unescape(char c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	default:
		return c; /* '"' and '\\' */
	}
}

/* Copies one word starting at *p into out; advances *p.  0 or error. */
static int one_word(const char **p, char *out)
{
	const char *s = *p;
	char quote = 0;

	for (; *s && (quote || !is_blank(*s)); s++) {
		if (quote == 0 && (*s == '"' || *s == '\'')) {
			quote = *s;
		} else if (quote && *s == quote) {
			quote = 0;
		} else if (quote == '"' && *s == '\\' && s[1] &&
		           strchr("\"\\nrt", s[1])) {
			*out++ = unescape(*++s);
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
	*p = s;
	return quote ? SV_EINVAL : SV_OK;
}

void words_free(int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}

int words_split(const char *line, char ***argv)
{
	size_t len = strlen(line);
	char **v = calloc(len / 2 + 2, sizeof(*v));
	int n = 0;

	*argv = NULL;
	if (v == NULL)
		return SV_ENOMEM;
	for (;;) {
		while (is_blank(*line))
			line++;
		if (*line == '\0')
			break;
		v[n] = malloc(len + 1);
		if (v[n] == NULL || one_word(&line, v[n]) != SV_OK) {
			int rc = v[n] ? SV_EINVAL : SV_ENOMEM;

			words_free(n + 1, v);
			return rc;
		}
		n++;
	}
	*argv = v;
	return n;
}

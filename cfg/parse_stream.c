/*
 * parse_stream.c - the parser's token stream: lookahead, expectations,
 * glued words, and include_file / import_file.
 *
 * include_file "f" and import_file "f" may appear anywhere a token may; the
 * named file is read and its tokens are spliced in.  A relative name is
 * looked up next to the including file first, then from the working
 * directory.  import_file skips a file that does not exist (with a
 * notice); include_file makes that an error.  Nesting is limited to
 * CFG_INCLUDE_MAX levels, which also stops include loops.
 */
#include "parse_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/errors.h"

int cfg_read_file(const char *path, char **buf, size_t *len)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	int fd, saved;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? SV_ENOTFOUND : SV_EIO;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		saved = S_ISDIR(st.st_mode) ? EISDIR : errno;
		close(fd);
		errno = saved;
		return SV_EIO;
	}
	*buf = malloc((size_t)st.st_size + 1);
	if (!*buf) {
		close(fd);
		return SV_ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, *buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	(*buf)[got] = '\0';
	*len = got;
	return SV_OK;
}

int ps_push(struct cfg_parser *p, const char *file, const char *buf, size_t len)
{
	int d = p->lex[0].buf ? p->depth + 1 : 0;

	if (cfg_lexer_init(&p->lex[d], file, buf, len, p->a) != SV_OK)
		return cfg_error(NULL, "out of memory");
	p->depth = d;
	return SV_OK;
}

/* Keeps buf until the script is freed. */
static int keep_source(struct cfg_script *s, char *buf)
{
	char **n = realloc(s->sources, (s->nsources + 1) * sizeof(char *));

	if (!n) {
		free(buf);
		return SV_ENOMEM;
	}
	s->sources = n;
	s->sources[s->nsources++] = buf;
	return SV_OK;
}

/* Tries name next to the including file, then as given. */
static int read_include(const char *from, const char *name, char *path,
                        int size, char **buf, size_t *len)
{
	const char *slash = strrchr(from, '/');
	int rc = SV_ENOTFOUND;

	if (name[0] != '/' && slash) {
		snprintf(path, size, "%.*s/%s", (int)(slash - from), from,
		         name);
		rc = cfg_read_file(path, buf, len);
	}
	if (rc == SV_ENOTFOUND) {
		snprintf(path, size, "%s", name);
		rc = cfg_read_file(path, buf, len);
	}
	return rc;
}

static int do_include(struct cfg_parser *p, const struct cfg_token *kw)
{
	struct cfg_lexer *lx = &p->lex[p->depth];
	struct cfg_token name;
	char path[1024], *buf;
	size_t len;
	int rc;

	rc = cfg_lex(lx, &name);
	if (rc != SV_OK)
		return rc;
	if (name.type != TK_STRING)
		return ps_unexpected(&name, "a file name in quotes after "
		                            "include_file");
	if (p->depth >= CFG_INCLUDE_MAX)
		return cfg_error(&kw->pos,
		                 "include files nested too deep "
		                 "(more than %d levels; an include loop?)",
		                 CFG_INCLUDE_MAX);
	rc = read_include(lx->file, name.text, path, sizeof(path), &buf, &len);
	if (rc == SV_ENOTFOUND && kw->kw == KW_IMPORT_FILE) {
		cfg_notice(&name.pos, "import_file: '%s' not found, skipped",
		           name.text);
		return SV_OK;
	}
	if (rc != SV_OK)
		return cfg_error(&name.pos, "cannot read include file '%s': %s",
		                 name.text, strerror(errno));
	if (keep_source(p->s, buf) != SV_OK)
		return cfg_error(NULL, "out of memory");
	return ps_push(p, path, buf, len);
}

/* Reads the next token of the stream (across includes). */
static int fill(struct cfg_parser *p, struct cfg_token *t)
{
	int rc;

	for (;;) {
		rc = cfg_lex(&p->lex[p->depth], t);
		if (rc != SV_OK)
			return rc;
		if (t->type == TK_EOF && p->depth > 0) {
			p->depth--;
			continue;
		}
		if (t->type == TK_WORD &&
		    (t->kw == KW_INCLUDE_FILE || t->kw == KW_IMPORT_FILE)) {
			rc = do_include(p, t);
			if (rc != SV_OK)
				return rc;
			continue;
		}
		return SV_OK;
	}
}

int ps_peek(struct cfg_parser *p, int k, struct cfg_token **t)
{
	int rc;

	while (p->nla <= k) {
		rc = fill(p, &p->la[p->nla]);
		if (rc != SV_OK)
			return rc;
		p->nla++;
	}
	*t = &p->la[k];
	return SV_OK;
}

int ps_next(struct cfg_parser *p, struct cfg_token *t)
{
	struct cfg_token *tok;
	int rc = ps_peek(p, 0, &tok);

	if (rc != SV_OK)
		return rc;
	p->last = *tok;
	if (t)
		*t = *tok;
	p->la[0] = p->la[1];
	p->nla--;
	return SV_OK;
}

int ps_unexpected(const struct cfg_token *t, const char *what)
{
	char d[80];

	return cfg_error(&t->pos, "expected %s, found %s", what,
	                 cfg_tok_describe(t, d, sizeof(d)));
}

int ps_expect(struct cfg_parser *p, enum cfg_tok type, const char *context,
              struct cfg_token *t)
{
	struct cfg_token *tok;
	char what[96];
	int rc = ps_peek(p, 0, &tok);

	if (rc != SV_OK)
		return rc;
	if (tok->type != type) {
		snprintf(what, sizeof(what), "%s %s", cfg_tok_name(type),
		         context);
		return ps_unexpected(tok, what);
	}
	return ps_next(p, t);
}

int ps_adjacent(const struct cfg_token *a, const struct cfg_token *b)
{
	return a->pos.file == b->pos.file && b->type != TK_EOF &&
	       a->raw + a->raw_len == b->raw;
}

static int is_run_start(enum cfg_tok t)
{
	return t == TK_WORD || t == TK_NUMBER || t == TK_IPV4 || t == TK_IPV6 ||
	       t == TK_LBRACK;
}

static int is_run_part(enum cfg_tok t)
{
	return is_run_start(t) || t == TK_COLON || t == TK_DOT ||
	       t == TK_MINUS || t == TK_RBRACK || t == TK_SLASH;
}

int ps_word_run(struct cfg_parser *p, char **text, struct cfg_pos *pos)
{
	struct cfg_token first, *t;
	const char *start;
	int rc, len;

	rc = ps_peek(p, 0, &t);
	if (rc != SV_OK)
		return rc;
	if (!is_run_start(t->type))
		return ps_unexpected(t, "a name or an address");
	ps_next(p, &first);
	start = first.raw;
	len = first.raw_len;
	for (;;) {
		rc = ps_peek(p, 0, &t);
		if (rc != SV_OK)
			return rc;
		if (!is_run_part(t->type) || !ps_adjacent(&p->last, t))
			break;
		len = (int)(t->raw + t->raw_len - start);
		ps_next(p, NULL);
	}
	*pos = first.pos;
	*text = cfg_strndup(p->a, start, (size_t)len);
	if (!*text)
		return cfg_error(NULL, "out of memory");
	return SV_OK;
}

int ps_enter(struct cfg_parser *p)
{
	struct cfg_token *t;

	if (p->nest < CFG_NEST_MAX) {
		p->nest++;
		return SV_OK;
	}
	if (ps_peek(p, 0, &t) != SV_OK)
		return SV_EINVAL;
	return cfg_error(&t->pos, "statements or expressions nested more "
	                 "than %d deep", CFG_NEST_MAX);
}

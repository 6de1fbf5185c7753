/*
 * re_cache.c - regular expressions matched against message text, and the
 * per-process cache of patterns that come from pseudo-variables at run
 * time (uri =~ $avp(s:pattern)).
 *
 * regexec() wants a NUL-terminated subject and message text is a view,
 * so the subject is copied first (on the stack up to 511 bytes, else into
 * the statement's scratch space; REG_STARTEND would avoid the copy, but
 * not every regexec, sanitizer interceptors included, honours it).  The
 * cache holds RE_CACHE_SLOTS
 * patterns of up to RE_CACHE_PATLEN bytes, replaced round-robin; a longer
 * pattern is compiled, used and freed each time.  A pattern that does not
 * compile is logged and matches nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "interp_priv.h"
#include "core/log.h"

#define RE_CACHE_SLOTS  8
#define RE_CACHE_PATLEN 256
#define RE_FLAGS        (REG_EXTENDED | REG_ICASE | REG_NOSUB)

struct re_slot {
	int used;
	int len;
	char pat[RE_CACHE_PATLEN];
	regex_t re;
};

static struct re_slot slots[RE_CACHE_SLOTS];
static unsigned next_victim;

int regex_match(const regex_t *re, const str *s)
{
	char buf[512], *p = buf;

	if (s->len >= (int)sizeof(buf) && !(p = scratch_alloc(s->len + 1)))
		return 0;
	if (s->len > 0)
		memcpy(p, s->s, s->len);
	p[s->len > 0 ? s->len : 0] = '\0';
	return regexec(re, p, 0, NULL, 0) == 0;
}

static int compile(regex_t *re, const char *pat)
{
	char msg[128];
	int rc = regcomp(re, pat, RE_FLAGS);

	if (rc != 0) {
		regerror(rc, re, msg, sizeof(msg));
		LM_ERR("bad regular expression \"%s\": %s\n", pat, msg);
		return 0;
	}
	return 1;
}

static int match_uncached(const str *pattern, const str *s)
{
	char *pat = malloc(pattern->len + 1);
	regex_t re;
	int m = 0;

	if (!pat)
		return 0;
	memcpy(pat, pattern->s, pattern->len);
	pat[pattern->len] = '\0';
	if (compile(&re, pat)) {
		m = regex_match(&re, s);
		regfree(&re);
	}
	free(pat);
	return m;
}

int re_cache_match(const str *pattern, const str *s)
{
	struct re_slot *sl;
	int i;

	if (pattern->len >= RE_CACHE_PATLEN)
		return match_uncached(pattern, s);
	for (i = 0; i < RE_CACHE_SLOTS; i++) {
		sl = &slots[i];
		if (sl->used && sl->len == pattern->len &&
		    memcmp(sl->pat, pattern->s, pattern->len) == 0)
			return regex_match(&sl->re, s);
	}
	sl = &slots[next_victim++ % RE_CACHE_SLOTS];
	if (sl->used) {
		regfree(&sl->re);
		sl->used = 0;
	}
	memcpy(sl->pat, pattern->s, pattern->len);
	sl->pat[pattern->len] = '\0';
	sl->len = pattern->len;
	if (!compile(&sl->re, sl->pat))
		return 0;
	sl->used = 1;
	return regex_match(&sl->re, s);
}

void re_cache_flush(void)
{
	int i;

	for (i = 0; i < RE_CACHE_SLOTS; i++) {
		if (slots[i].used)
			regfree(&slots[i].re);
		slots[i].used = 0;
	}
}

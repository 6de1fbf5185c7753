/*
 * test_modules_readme.c - every module's README.md documents exactly what
 * the module exports, and nothing else.
 *
 * For each folder modules/<m>/ holding C sources, the test loads the built
 * module (SERVAL_MODULES_DIR/<m>/<m>.so, dlopen'ed, its `exports` read)
 * and checks modules/<m>/README.md against the tables.  One TAP line per
 * module.  The README convention (modules/README.md says the same):
 *
 *   # <name>                       first line: the module's name
 *   ## Overview                    required
 *   ## Dependencies                required
 *   ## Exported Parameters         one "### <name> (<type>)" per parameter;
 *                                  type "integer", "string" or "integer or
 *                                  string" (the PARAM_INT/PARAM_STR bits)
 *   ## Exported Functions          one "### <name>(<args>)" per function;
 *                                  args separated by ',', an optional tail
 *                                  in brackets: "xlog([level,] format)"
 *                                  documents arities 1 and 2; each heading
 *                                  is followed, before the next heading,
 *                                  by a line starting "This function can be
 *                                  used from " naming the route types
 *                                  (REQUEST_ROUTE, FAILURE_ROUTE,
 *                                  ONREPLY_ROUTE, BRANCH_ROUTE,
 *                                  ERROR_ROUTE, or ANY_ROUTE), which must
 *                                  equal the exported route types of every
 *                                  arity the heading covers
 *   ## Exported Statistics         one "### <name>" per statistic
 *   ## Exported MI Functions       one "### <name>" per MI command
 *   ## Exported Pseudo-Variables   one "### $<name>" or "### $<name>(...)"
 *
 * A section whose table is empty may be absent (or say "None").  Other
 * "##" sections are free text; "###" headings inside them are not checked.
 * Every export needs its heading and every heading its export.
 *
 * The checker itself is tested first on small made-up tables and texts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/pv.h"

#define MAX_MODULES  64
#define MAX_HEADINGS 256

enum section {
	SEC_OTHER,
	SEC_PARAMS,
	SEC_FUNCS,
	SEC_STATS,
	SEC_MI,
	SEC_PVS,
	SEC_NUM
};

static const char *const section_names[SEC_NUM] = {
    NULL,
    "Exported Parameters",
    "Exported Functions",
    "Exported Statistics",
    "Exported MI Functions",
    "Exported Pseudo-Variables",
};

/* One "###" heading of a checked section. */
struct heading {
	enum section sec;
	char name[128];
	unsigned arities; /* functions: bit n set = n arguments */
	unsigned covered; /* functions: the arities found exported */
	unsigned routes;  /* functions: from "This function can be used" */
	int has_routes;
	int type; /* parameters: PARAM_INT | PARAM_STR */
	int line;
	int used;
};

struct checker {
	const struct module_exports *e;
	struct heading h[MAX_HEADINGS];
	int n;
	int has_section[SEC_NUM];
	int has_overview, has_dependencies;
	char *err;
	int errlen, errors;
};

static void problem(struct checker *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Appends one problem line to the report. */
static void problem(struct checker *c, const char *fmt, ...)
{
	size_t used = strlen(c->err);
	va_list ap;

	c->errors++;
	if (used + 2 >= (size_t)c->errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err + used, (size_t)c->errlen - used, fmt, ap);
	va_end(ap);
	used = strlen(c->err);
	if (used + 1 < (size_t)c->errlen)
		strcat(c->err, "\n");
}

static unsigned route_bit(const char *w, size_t n)
{
	static const struct {
		const char *name;
		unsigned bit;
	} routes[] = {
	    {"REQUEST_ROUTE", REQUEST_ROUTE}, {"FAILURE_ROUTE", FAILURE_ROUTE},
	    {"ONREPLY_ROUTE", ONREPLY_ROUTE}, {"BRANCH_ROUTE", BRANCH_ROUTE},
	    {"ERROR_ROUTE", ERROR_ROUTE},     {"ANY_ROUTE", ANY_ROUTE},
	};
	size_t i;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (strlen(routes[i].name) == n &&
		    strncmp(routes[i].name, w, n) == 0)
			return routes[i].bit;
	return 0;
}

/* Route types named on a "This function can be used from ..." line. */
static unsigned parse_routes(struct checker *c, const char *s, int line)
{
	unsigned mask = 0, bit;
	const char *w;

	while (*s) {
		if (!isupper((unsigned char)*s)) {
			s++;
			continue;
		}
		for (w = s; isupper((unsigned char)*s) || *s == '_'; s++)
			;
		bit = route_bit(w, (size_t)(s - w));
		if (bit)
			mask |= bit;
		else if (s - w > 6 && strncmp(s - 6, "_ROUTE", 6) == 0)
			problem(c, "README:%d: unknown route type %.*s", line,
			        (int)(s - w), w);
	}
	return mask;
}

/*
 * Arities of "a, b[, c]" / "[level,] format" / "": the mandatory arguments
 * plus any subset of the bracketed groups (groups are not nested).
 */
static unsigned parse_arities(const char *args, size_t len)
{
	int mandatory = 0, groups[8] = {0}, ng = 0, in_group = 0, any = 0;
	unsigned mask = 0;
	size_t i;
	int sub, n, g;

	for (i = 0; i < len; i++) {
		char ch = args[i];

		if (ch == '[') {
			mandatory += any;
			in_group = 1;
			groups[ng] = 0;
			any = 0;
		} else if (ch == ']') {
			if (!in_group)
				continue;
			groups[ng] += any;
			ng += ng < 7;
			in_group = 0;
			any = 0;
		} else if (ch == ',') {
			if (in_group)
				groups[ng] += any;
			else
				mandatory += any;
			any = 0;
		} else if (!isspace((unsigned char)ch)) {
			any = 1;
		}
	}
	mandatory += any;
	for (sub = 0; sub < (1 << ng); sub++) {
		for (n = mandatory, g = 0; g < ng; g++)
			if (sub & (1 << g))
				n += groups[g];
		if (n < 32)
			mask |= 1u << n;
	}
	return mask;
}

static int parse_param_type(const char *t, size_t n)
{
	if (n == 7 && strncmp(t, "integer", 7) == 0)
		return PARAM_INT;
	if (n == 6 && strncmp(t, "string", 6) == 0)
		return PARAM_STR;
	if (n == 17 && strncmp(t, "integer or string", 17) == 0)
		return PARAM_INT | PARAM_STR;
	return 0;
}

/* Parses the text of a "###" heading of section sec. */
static void add_heading(struct checker *c, enum section sec, const char *t,
                        int line)
{
	struct heading *h;
	const char *open, *end = t + strlen(t);
	size_t n;

	if (c->n == MAX_HEADINGS) {
		problem(c, "README:%d: too many headings", line);
		return;
	}
	h = &c->h[c->n++];
	memset(h, 0, sizeof(*h));
	h->sec = sec;
	h->line = line;
	while (end > t && isspace((unsigned char)end[-1]))
		end--;
	open = memchr(t, '(', (size_t)(end - t));
	n = (size_t)((open ? open : end) - t);
	while (n > 0 && isspace((unsigned char)t[n - 1]))
		n--;
	if (sec == SEC_PVS && t[0] == '$') {
		t++;
		n--;
	} else if (sec == SEC_PVS) {
		problem(c, "README:%d: a pseudo-variable heading starts with $",
		        line);
	}
	snprintf(h->name, sizeof(h->name), "%.*s", (int)n, t);
	if (sec == SEC_FUNCS) {
		if (!open || end[-1] != ')' || open[-1] == ' ')
			problem(c, "README:%d: expected \"### name(args)\"",
			        line);
		else
			h->arities =
			    parse_arities(open + 1, (size_t)(end - open - 2));
	} else if (sec == SEC_PARAMS) {
		if (open && end[-1] == ')')
			h->type = parse_param_type(open + 1,
			                           (size_t)(end - open - 2));
		if (!h->type)
			problem(c,
			        "README:%d: expected \"### name (integer)\" "
			        "or \"### name (string)\"",
			        line);
	}
}

static enum section section_of(const char *title)
{
	int s;

	for (s = SEC_PARAMS; s < SEC_NUM; s++)
		if (strcmp(title, section_names[s]) == 0)
			return (enum section)s;
	return SEC_OTHER;
}

/*
 * A "This function can be used from ..." sentence may wrap: the lines up
 * to the next empty line belong to it.
 */
static void route_line(struct checker *c, const char *line, int no,
                       int *in_sentence)
{
	struct heading *h = c->n > 0 ? &c->h[c->n - 1] : NULL;
	static const char lead[] = "This function can be used from";

	if (*line == '\0') {
		*in_sentence = 0;
	} else if (*in_sentence) {
		h->routes |= parse_routes(c, line, no);
	} else if (h && h->sec == SEC_FUNCS && !h->has_routes &&
	           strncmp(line, lead, sizeof(lead) - 1) == 0) {
		h->routes = parse_routes(c, line + sizeof(lead) - 1, no);
		h->has_routes = 1;
		*in_sentence = 1;
	}
}

/* Reads the README text line by line into c. */
static void scan_readme(struct checker *c, char *text)
{
	enum section sec = SEC_OTHER;
	char *line, *eol;
	int no = 0, in_sentence = 0;

	for (line = text; *line; line = eol) {
		eol = line + strcspn(line, "\n");
		if (*eol)
			*eol++ = '\0';
		no++;
		line[strcspn(line, "\r")] = '\0';
		if (no == 1 && (strncmp(line, "# ", 2) != 0 ||
		                strcmp(line + 2, c->e->name) != 0))
			problem(c, "README:1: the title must be \"# %s\"",
			        c->e->name);
		if (strncmp(line, "## ", 3) == 0) {
			sec = section_of(line + 3);
			c->has_section[sec] = 1;
			c->has_overview |= strcmp(line + 3, "Overview") == 0;
			c->has_dependencies |=
			    strcmp(line + 3, "Dependencies") == 0;
			in_sentence = 0;
		} else if (strncmp(line, "### ", 4) == 0 && sec != SEC_OTHER) {
			add_heading(c, sec, line + 4, no);
			in_sentence = 0;
		} else if (sec == SEC_FUNCS) {
			route_line(c, line, no, &in_sentence);
		}
	}
}

/* The heading of section sec called name, or NULL. */
static struct heading *find_heading(struct checker *c, enum section sec,
                                    const char *name)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->h[i].sec == sec && strcmp(c->h[i].name, name) == 0)
			return &c->h[i];
	return NULL;
}

/* The function heading called name that documents n arguments, or NULL. */
static struct heading *find_function(struct checker *c, const char *name, int n)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->h[i].sec == SEC_FUNCS &&
		    strcmp(c->h[i].name, name) == 0 &&
		    (c->h[i].arities & (1u << n)))
			return &c->h[i];
	return NULL;
}

static void check_functions(struct checker *c)
{
	const struct cmd_export *f;
	struct heading *h;

	for (f = c->e->cmds; f && f->name; f++) {
		h = find_function(c, f->name, f->param_no);
		if (!h) {
			problem(c,
			        "function %s/%d is exported but has no "
			        "\"### %s(...)\" heading covering %d "
			        "argument(s)",
			        f->name, f->param_no, f->name, f->param_no);
			continue;
		}
		h->used = 1;
		h->covered |= 1u << f->param_no;
		if (!h->has_routes)
			problem(c,
			        "README:%d: %s: no \"This function can be "
			        "used from ...\" line",
			        h->line, f->name);
		else if (h->routes != f->route_types)
			problem(c,
			        "README:%d: %s/%d: route types 0x%x in the "
			        "README, 0x%x exported",
			        h->line, f->name, f->param_no, h->routes,
			        f->route_types);
	}
}

static void check_params(struct checker *c)
{
	const struct param_export *p;
	struct heading *h;

	for (p = c->e->params; p && p->name; p++) {
		h = find_heading(c, SEC_PARAMS, p->name);
		if (!h) {
			problem(c,
			        "parameter %s is exported but has no "
			        "\"### %s (type)\" heading",
			        p->name, p->name);
			continue;
		}
		h->used = 1;
		if (h->type && h->type != (p->type & (PARAM_INT | PARAM_STR)))
			problem(c,
			        "README:%d: parameter %s: the README and "
			        "the table disagree on its type",
			        h->line, p->name);
	}
}

/* Statistics, MI commands, pseudo-variables: names only. */
static void check_name(struct checker *c, enum section sec, const char *name)
{
	struct heading *h = find_heading(c, sec, name);

	if (h)
		h->used = 1;
	else
		problem(c, "%s: %s%s is exported but has no heading",
		        section_names[sec], sec == SEC_PVS ? "$" : "", name);
}

static void check_tables(struct checker *c)
{
	const struct stat_export *s;
	const struct mi_export *m;
	const struct pv_export *v;
	int i;

	check_functions(c);
	check_params(c);
	for (s = c->e->stats; s && s->name; s++)
		check_name(c, SEC_STATS, s->name);
	for (m = c->e->mi_cmds; m && m->name; m++)
		check_name(c, SEC_MI, m->name);
	for (v = c->e->pvs; v && v->name; v++)
		check_name(c, SEC_PVS, v->name);
	for (i = 0; i < c->n; i++) {
		if (!c->h[i].used)
			problem(c, "README:%d: %s: \"%s\" is not exported",
			        c->h[i].line, section_names[c->h[i].sec],
			        c->h[i].name);
		else if (c->h[i].sec == SEC_FUNCS &&
		         c->h[i].arities != c->h[i].covered)
			problem(c,
			        "README:%d: %s is documented with more "
			        "arities than exported",
			        c->h[i].line, c->h[i].name);
	}
	if (!c->has_overview)
		problem(c, "README: no \"## Overview\" section");
	if (!c->has_dependencies)
		problem(c, "README: no \"## Dependencies\" section");
}

/*
 * Checks README text against e.  Returns the number of problems; their
 * descriptions, one per line, go to err.
 */
static int readme_check(const char *text, const struct module_exports *e,
                        char *err, int errlen)
{
	struct checker *c = calloc(1, sizeof(*c));
	char *copy = strdup(text);
	int n;

	assert_non_null(c);
	assert_non_null(copy);
	c->e = e;
	c->err = err;
	c->errlen = errlen;
	err[0] = '\0';
	scan_readme(c, copy);
	check_tables(c);
	n = c->errors;
	free(copy);
	free(c);
	return n;
}

/* ------------------------------------------------ the checker, tested -- */

static int f_dummy(struct sip_msg *msg, void **params)
{
	return 1;
}

static int p_int, p_str_dummy;

static const struct cmd_export fake_cmds[] = {
    {"f", f_dummy, 1, NULL, REQUEST_ROUTE, NULL},
    {"f", f_dummy, 2, NULL, REQUEST_ROUTE, NULL},
    {"g", f_dummy, 0, NULL, ANY_ROUTE, NULL},
    {NULL, NULL, 0, NULL, 0, NULL},
};

static const struct param_export fake_params[] = {
    {"n", PARAM_INT, &p_int},
    {"s", PARAM_STR | PARAM_USE_FUNC, &p_str_dummy},
    {NULL, 0, NULL},
};

static const struct module_exports fake = {
    .name = "fake",
    .cmds = fake_cmds,
    .params = fake_params,
};

#define FAKE_OK                                                                \
	"# fake\n\n## Overview\n\nx\n\n## Dependencies\n\nNone.\n\n"           \
	"## Exported Parameters\n\n### n (integer)\n\n### s (string)\n\n"      \
	"## Exported Functions\n\n### f(a[, b])\n\n"                           \
	"This function can be used from REQUEST_ROUTE.\n\n"                    \
	"### g()\n\nThis function can be used from ANY_ROUTE.\n\n"             \
	"## Notes\n\n### anything (here)\n"

static void expect_problem(const char *text, const char *what)
{
	char err[2048];

	if (readme_check(text, &fake, err, sizeof(err)) == 0)
		fail_msg("no problem found, expected \"%s\"", what);
	if (strstr(err, what) == NULL)
		fail_msg("expected \"%s\" in:\n%s", what, err);
}

/* Replaces the first `from` of FAKE_OK by `to`. */
static const char *fake_with(const char *from, const char *to)
{
	static char buf[2048];
	const char *at = strstr(FAKE_OK, from);

	assert_non_null(at);
	snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - FAKE_OK), FAKE_OK, to,
	         at + strlen(from));
	return buf;
}

static void t_checker(void **state)
{
	char err[2048];

	if (readme_check(FAKE_OK, &fake, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(parse_arities("", 0), 1u << 0);
	assert_int_equal(parse_arities("[level,] format", 15), 6u);
	assert_int_equal(parse_arities("a, b", 4), 1u << 2);
	assert_int_equal(parse_arities("[a]", 3), 3u);

	/* a wrapped sentence; a later paragraph does not count */
	if (readme_check(fake_with("used from REQUEST_ROUTE.",
	                           "used from\nREQUEST_ROUTE.\n\n"
	                           "Not from FAILURE_ROUTE."),
	                 &fake, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	expect_problem(fake_with("used from REQUEST_ROUTE.",
	                         "used from REQUEST_ROUTE\nand "
	                         "BRANCH_ROUTE."),
	               "route types 0x9 in the README, 0x1 exported");
	expect_problem(fake_with("# fake", "# other"), "title");
	expect_problem(fake_with("## Overview", "## Intro"), "Overview");
	expect_problem(fake_with("## Dependencies", "## Deps"), "Dependencies");
	expect_problem(fake_with("### n (integer)", "### m (integer)"),
	               "parameter n is exported");
	expect_problem(fake_with("### n (integer)", "### m (integer)"),
	               "\"m\" is not exported");
	expect_problem(fake_with("### s (string)", "### s (integer)"),
	               "disagree on its type");
	expect_problem(fake_with("### s (string)", "### s"), "expected");
	expect_problem(fake_with("### f(a[, b])", "### f(a)"),
	               "function f/2 is exported");
	expect_problem(fake_with("### f(a[, b])", "### f(a[, b[, c]])"),
	               "more arities");
	expect_problem(fake_with("used from REQUEST_ROUTE.",
	                         "used from REQUEST_ROUTE and "
	                         "FAILURE_ROUTE."),
	               "route types 0x3 in the README, 0x1 exported");
	expect_problem(
	    fake_with("This function can be used from ANY_ROUTE.", "Anywhere."),
	    "g: no \"This function");
	expect_problem(fake_with("### g()", "### g"), "name(args)");
	expect_problem(fake_with("ANY_ROUTE.", "ANY_ROUTE, BOGUS_ROUTE."),
	               "unknown route type BOGUS_ROUTE");
}

/* ------------------------------------------------------ real modules -- */

struct module_case {
	char name[256];
	char test_name[272];
};

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void t_module(void **state)
{
	const struct module_case *mc = *state;
	char path[1024], err[8192];
	const struct module_exports *e;
	char *text;
	void *h;

	snprintf(path, sizeof(path), "%s%s/%s.so", SERVAL_MODULES_DIR, mc->name,
	         mc->name);
	h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		fail_msg("cannot load %s: %s", path, dlerror());
	e = dlsym(h, "exports");
	assert_non_null(e);
	assert_string_equal(e->name, mc->name);
	snprintf(path, sizeof(path), "modules/%s/README.md", mc->name);
	text = read_file(path);
	if (!text)
		fail_msg("%s: no README.md", mc->name);
	if (readme_check(text, e, err, sizeof(err)) != 0)
		fail_msg("modules/%s/README.md:\n%s", mc->name, err);
	free(text);
	dlclose(h);
}

/* Module folders: modules/<m>/ holding at least one .c file. */
static int list_modules(struct module_case *out, int max)
{
	DIR *d = opendir("modules");
	struct dirent *de;
	char path[512];
	struct stat st;
	int n = 0;
	DIR *sub;
	struct dirent *f;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL && n < max) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "modules/%s", de->d_name);
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		sub = opendir(path);
		while (sub && (f = readdir(sub)) != NULL) {
			size_t l = strlen(f->d_name);

			if (l > 2 && strcmp(f->d_name + l - 2, ".c") == 0) {
				snprintf(out[n].name, sizeof(out[n].name), "%s",
				         de->d_name);
				snprintf(out[n].test_name,
				         sizeof(out[n].test_name), "readme_%s",
				         de->d_name);
				n++;
				break;
			}
		}
		if (sub)
			closedir(sub);
	}
	closedir(d);
	return n;
}

int main(void)
{
	static struct module_case mods[MAX_MODULES];
	struct CMUnitTest tests[MAX_MODULES + 1];
	int n, i;

	log_set_level(L_ALERT);
	memset(tests, 0, sizeof(tests));
	tests[0] = (struct CMUnitTest)cmocka_unit_test(t_checker);
	n = list_modules(mods, MAX_MODULES);
	for (i = 0; i < n; i++) {
		tests[i + 1].name = mods[i].test_name;
		tests[i + 1].test_func = t_module;
		tests[i + 1].initial_state = &mods[i];
	}
	return _cmocka_run_group_tests("modules_readme", tests, (size_t)n + 1,
	                               NULL, NULL);
}

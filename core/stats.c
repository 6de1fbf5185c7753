/*
 * stats.c - the statistics registry (see stats.h).
 *
 * Layout
 *  - Groups form a list in registration order; each group lists its
 *    statistics in registration order.  Both live in pkg memory, written
 *    only by the master before fork, so readers in any process walk them
 *    without locking.  The registry is small (tens of entries), so lookups
 *    are linear scans.
 *  - Counters are carved from slabs of STAT_SLAB atomic longs taken from
 *    shm with one allocation each, which keeps a hundred statistics from
 *    costing a hundred allocator headers.  Counters of one slab share
 *    cache lines: after fork they only take what processes without a row
 *    count, and resets.
 *  - The rows: one shm block of nrows x row_len counters, each row
 *    starting on a cache line of its own, so workers counting every
 *    request never write to a line another worker writes to.  A value is
 *    the shared counter plus the sum of its column; a reset stores minus
 *    the column's sum in the shared counter (counts that race with it are
 *    kept, as with a plain store of 0).
 *  - A statistic and its name are one pkg allocation; a group likewise.
 */
#include "stats.h"
#include "errors.h"
#include "log.h"
#include "proc.h"
#include "shm/shm.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define STAT_SLAB 64

struct stat_slab {
	atomic_counter_t *counters; /* shm, STAT_SLAB of them */
	int used;
	struct stat_slab *next;
};

#define STAT_LINE 64 /* bytes of a cache line */
#define STAT_PER_LINE (STAT_LINE / (int)sizeof(atomic_counter_t))

struct core_stats core_stats;

static struct stat_group *groups, *groups_last;
static struct stat_slab *slabs;
static int n_counters;       /* counters registered (next column) */
static void *rows_mem;       /* shm block holding the rows */
static atomic_counter_t *rows; /* nrows rows of row_len, line aligned */
static int nrows, row_len;

atomic_counter_t *stat_row;
int stat_row_len;

/* Returns a zeroed counter in shm, or NULL when shm is exhausted. */
static atomic_counter_t *counter_alloc(void)
{
	struct stat_slab *s = slabs;

	if (s == NULL || s->used == STAT_SLAB) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			return NULL;
		s->counters = shm_calloc(STAT_SLAB * sizeof(atomic_counter_t));
		if (s->counters == NULL) {
			free(s);
			return NULL;
		}
		s->next = slabs;
		slabs = s;
	}
	return &s->counters[s->used++];
}

/* A name is 1..STAT_NAME_MAX bytes without ':' or whitespace. */
static int name_ok(const char *name, int len)
{
	int i;

	if (len <= 0 || len > STAT_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (name[i] == ':' || name[i] <= ' ' || name[i] == 0x7f)
			return 0;
	return 1;
}

struct stat_group *stats_group_find(const char *name, int len)
{
	struct stat_group *g;

	if (len < 0)
		len = (int)strlen(name);
	for (g = groups; g != NULL; g = g->next)
		if (g->name_len == len && memcmp(g->name, name, len) == 0)
			return g;
	return NULL;
}

struct stat_group *stats_groups(void)
{
	return groups;
}

/* Finds or creates a group. NULL when out of pkg memory. */
static struct stat_group *group_get(const char *name, int len)
{
	struct stat_group *g = stats_group_find(name, len);
	char *copy;

	if (g != NULL)
		return g;
	g = calloc(1, sizeof(*g) + (size_t)len + 1);
	if (g == NULL)
		return NULL;
	copy = (char *)(g + 1);
	memcpy(copy, name, len);
	g->name = copy;
	g->name_len = len;
	if (groups_last)
		groups_last->next = g;
	else
		groups = g;
	groups_last = g;
	return g;
}

static struct stat_var *group_find_var(const struct stat_group *g,
                                       const char *name, int len)
{
	struct stat_var *v;

	for (v = g->first; v != NULL; v = v->next)
		if (v->name_len == len && memcmp(v->name, name, len) == 0)
			return v;
	return NULL;
}

/* Allocates a statistic (name copied) and its counter unless a function. */
static struct stat_var *var_new(const char *name, int len, unsigned flags,
                                stat_func func)
{
	struct stat_var *v = calloc(1, sizeof(*v) + (size_t)len + 1);
	char *copy;

	if (v == NULL)
		return NULL;
	copy = (char *)(v + 1);
	memcpy(copy, name, len);
	v->name = copy;
	v->name_len = len;
	v->flags = flags;
	if (flags & STAT_IS_FUNC) {
		v->func = func;
	} else {
		v->val = counter_alloc();
		if (v->val == NULL) {
			free(v);
			return NULL;
		}
		v->idx = n_counters++;
	}
	return v;
}

static void group_append(struct stat_group *g, struct stat_var *v)
{
	v->group = g;
	if (g->last)
		g->last->next = v;
	else
		g->first = v;
	g->last = v;
	g->count++;
}

static int register_check(const char *group, const char *name, unsigned flags,
                          stat_func func)
{
	if (group == NULL || name == NULL ||
	    !name_ok(group, (int)strlen(group)) ||
	    !name_ok(name, (int)strlen(name))) {
		LM_ERR("bad statistic name '%s:%s'\n", group ? group : "",
		       name ? name : "");
		return SV_EINVAL;
	}
	if (proc_self != NULL && proc_self->role != ROLE_ATTENDANT) {
		/* a child would count in a private copy nobody else sees */
		LM_CRIT("statistic %s:%s registered after fork, in %s\n", group,
		        name, proc_self->desc);
		return SV_EINVAL;
	}
	if ((flags & STAT_IS_FUNC) && func == NULL) {
		LM_ERR("statistic %s:%s has no function\n", group, name);
		return SV_EINVAL;
	}
	if (!(flags & STAT_IS_FUNC) && !shm_ready()) {
		LM_ERR("statistic %s:%s registered before shm exists\n", group,
		       name);
		return SV_EINVAL;
	}
	return SV_OK;
}

int stat_register(const char *group, const char *name, unsigned flags,
                  struct stat_var **var, stat_func func)
{
	struct stat_group *g;
	struct stat_var *v;
	int nlen, rc;

	rc = register_check(group, name, flags, func);
	if (rc != SV_OK)
		return rc;
	nlen = (int)strlen(name);
	g = stats_group_find(group, -1);
	if (g != NULL && group_find_var(g, name, nlen) != NULL) {
		LM_ERR("statistic %s:%s registered twice\n", group, name);
		return SV_EEXIST;
	}
	g = group_get(group, (int)strlen(group));
	v = g ? var_new(name, nlen, flags, func) : NULL;
	if (v == NULL) {
		LM_ERR("no memory for statistic %s:%s\n", group, name);
		return SV_ENOMEM;
	}
	group_append(g, v);
	if (var != NULL)
		*var = v;
	return SV_OK;
}

int stats_register_module(const char *module, const struct stat_export *table)
{
	const struct stat_export *e;
	int rc;

	if (table == NULL)
		return SV_OK;
	for (e = table; e->name != NULL; e++) {
		if (e->flags & STAT_IS_FUNC)
			rc = stat_register(module, e->name, e->flags, NULL,
			                   (stat_func)e->var);
		else
			rc = stat_register(module, e->name, e->flags, e->var,
			                   NULL);
		if (rc != SV_OK)
			return rc;
	}
	return SV_OK;
}

/* Sum of var's column over every row. */
static long column_sum(const struct stat_var *var)
{
	long sum = 0;
	int r;

	if (rows == NULL || var->idx >= row_len)
		return 0;
	for (r = 0; r < nrows; r++)
		sum += atomic_get(&rows[(size_t)r * row_len + var->idx]);
	return sum;
}

long stat_get(const struct stat_var *var)
{
	if (var == NULL)
		return 0;
	if (var->val != NULL)
		return atomic_get(var->val) + column_sum(var);
	return var->func ? var->func() : 0;
}

int stats_init_rows(int n)
{
	size_t line = STAT_LINE, bytes;

	if (rows != NULL || n <= 0)
		return SV_EINVAL;
	row_len = (n_counters + STAT_PER_LINE - 1) / STAT_PER_LINE *
	          STAT_PER_LINE;
	if (row_len == 0)
		return SV_OK;
	bytes = (size_t)n * (size_t)row_len * sizeof(atomic_counter_t);
	rows_mem = shm_calloc(bytes + line);
	if (rows_mem == NULL) {
		LM_WARN("no shm for per-process counters; sharing them\n");
		row_len = 0;
		return SV_ENOMEM;
	}
	rows = (atomic_counter_t *)(((uintptr_t)rows_mem + line - 1) &
	                            ~(uintptr_t)(line - 1));
	nrows = n;
	stats_use_row(0);
	return SV_OK;
}

void stats_use_row(int row)
{
	if (rows == NULL || row < 0 || row >= nrows) {
		stat_row = NULL;
		stat_row_len = 0;
		return;
	}
	stat_row = rows + (size_t)row * row_len;
	stat_row_len = row_len;
}

int stat_reset(struct stat_var *var)
{
	if (var == NULL || (var->flags & STAT_NO_RESET))
		return SV_EINVAL;
	if (var->val != NULL) {
		atomic_set(var->val, -column_sum(var));
		return SV_OK;
	}
	if (var->reset_f == NULL)
		return SV_EINVAL;
	var->reset_f();
	return SV_OK;
}

struct stat_var *stat_find(const char *name, int len)
{
	const char *colon;
	struct stat_group *g;
	struct stat_var *v;

	if (len < 0)
		len = (int)strlen(name);
	colon = memchr(name, ':', len);
	if (colon != NULL) {
		g = stats_group_find(name, (int)(colon - name));
		return g ? group_find_var(g, colon + 1,
		                          len - (int)(colon - name) - 1)
		         : NULL;
	}
	for (g = groups; g != NULL; g = g->next) {
		v = group_find_var(g, name, len);
		if (v != NULL)
			return v;
	}
	return NULL;
}

/* Visits every statistic of g (name == NULL) or those called name. */
static int visit_group(struct stat_group *g, const char *name, int len,
                       stat_visit_f cb, void *arg)
{
	struct stat_var *v;
	int n = 0, rc;

	for (v = g->first; v != NULL; v = v->next) {
		if (name && (v->name_len != len || memcmp(v->name, name, len)))
			continue;
		rc = cb(v, arg);
		if (rc < 0)
			return rc;
		n++;
	}
	return n;
}

int stats_match(const char *spec, int len, stat_visit_f cb, void *arg)
{
	const char *colon, *name = NULL;
	struct stat_group *g;
	int n = 0, rc, nlen = 0;

	if (len < 0)
		len = (int)strlen(spec);
	colon = memchr(spec, ':', len);
	if (colon != NULL) {
		g = stats_group_find(spec, (int)(colon - spec));
		if (g == NULL)
			return 0;
		nlen = len - (int)(colon - spec) - 1;
		return visit_group(g, nlen ? colon + 1 : NULL, nlen, cb, arg);
	}
	if (!(len == 3 && memcmp(spec, "all", 3) == 0)) {
		name = spec;
		nlen = len;
	}
	for (g = groups; g != NULL; g = g->next) {
		rc = visit_group(g, name, nlen, cb, arg);
		if (rc < 0)
			return rc;
		n += rc;
	}
	return n;
}

void stats_destroy(void)
{
	struct stat_group *g, *gn;
	struct stat_var *v, *vn;
	struct stat_slab *s, *sn;

	for (g = groups; g != NULL; g = gn) {
		gn = g->next;
		for (v = g->first; v != NULL; v = vn) {
			vn = v->next;
			free(v);
		}
		free(g);
	}
	groups = groups_last = NULL;
	for (s = slabs; s != NULL; s = sn) {
		sn = s->next;
		if (shm_ready())
			shm_free((void *)s->counters);
		free(s);
	}
	slabs = NULL;
	if (rows_mem != NULL && shm_ready())
		shm_free(rows_mem);
	rows_mem = NULL;
	rows = NULL;
	nrows = row_len = n_counters = 0;
	stat_row = NULL;
	stat_row_len = 0;
	memset(&core_stats, 0, sizeof(core_stats));
}

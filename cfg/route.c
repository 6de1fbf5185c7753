/*
 * route.c - route table and route names for messages.
 *
 * A script has a handful of routes, so lookups walk the list; they only
 * happen at fixup time (the interpreter holds direct pointers).
 */
#include "route.h"

#include <stdio.h>
#include <string.h>

#include "core/errors.h"

static const char *const type_names[] = {"request_route", "failure_route",
                                         "onreply_route", "branch_route",
                                         "error_route"};

static const char *const block_names[] = {
    "route", "failure_route", "onreply_route", "branch_route", "error_route"};

int cfg_route_type_index(int type)
{
	int i;

	for (i = 0; i < 5; i++)
		if (type == (1 << i))
			return i;
	return 0;
}

const char *cfg_route_type_name(int type)
{
	return type_names[cfg_route_type_index(type)];
}

const char *cfg_route_label(const struct cfg_route *r, char *buf, int size)
{
	const char *block = block_names[cfg_route_type_index(r->type)];

	if (strcmp(r->name, "0") == 0)
		snprintf(buf, size, "%s", block);
	else
		snprintf(buf, size, "%s[%s]", block, r->name);
	return buf;
}

struct cfg_route *cfg_route_lookup(const struct cfg_script *s, int type,
                                   const char *name)
{
	struct cfg_route *r;

	for (r = s->routes; r; r = r->next)
		if (r->type == type && strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

struct cfg_route *cfg_route_add(struct cfg_script *s, int type,
                                const char *name, const struct cfg_pos *pos)
{
	struct cfg_route *r = cfg_alloc(&s->arena, sizeof(*r));

	if (!r || !(r->name = cfg_strndup(&s->arena, name, strlen(name)))) {
		cfg_error(pos, "out of memory");
		return NULL;
	}
	r->type = type;
	r->pos = *pos;
	r->id = s->nroutes++;
	*s->route_tail = r;
	s->route_tail = &r->next;
	return r;
}

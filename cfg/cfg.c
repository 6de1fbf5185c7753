/*
 * cfg.c - loading and freeing a script: the entry points of cfg.h.
 *
 * cfg_load_buffer() creates the script, runs the parser over the buffer
 * (and its includes), then hands the listen= values to the socket layer,
 * reporting a refused one at its own position.
 */
#include "cfg.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "parse_int.h"
#include "route.h"
#include "core/config.h"
#include "core/errors.h"

int cfg_own(struct cfg_script *s, void (*release)(void *), void *obj)
{
	struct cfg_owned *o = cfg_alloc(&s->arena, sizeof(*o));

	if (!o) {
		release(obj);
		return SV_ENOMEM;
	}
	o->release = release;
	o->obj = obj;
	o->next = s->owned;
	s->owned = o;
	return SV_OK;
}

static int apply_listen(struct cfg_script *s)
{
	char err[CFG_ERR_MAX];
	struct cfg_listen *l;
	int bad = 0, rc;

	err[0] = '\0';
	rc = core_config_apply_listen(&bad, err, sizeof(err));
	if (rc == SV_OK)
		return SV_OK;
	if (rc == SV_ENOMEM) {
		cfg_error(NULL, "out of memory");
		return SV_ENOMEM;
	}
	for (l = s->listen; l && bad > 0; l = l->next)
		bad--;
	return cfg_error(l ? &l->pos : NULL, "listen: %s", err);
}

int cfg_load_buffer(const char *name, const char *buf, size_t len,
                    struct cfg_script **out)
{
	struct cfg_parser *p;
	struct cfg_script *s;
	int rc = SV_ENOMEM;

	*out = NULL;
	cfg_clear_error();
	s = calloc(1, sizeof(*s));
	p = calloc(1, sizeof(*p));
	if (!s || !p) {
		free(s);
		free(p);
		cfg_error(NULL, "out of memory");
		return SV_ENOMEM;
	}
	s->route_tail = &s->routes;
	s->listen_tail = &s->listen;
	p->s = s;
	p->a = &s->arena;
	s->file = cfg_strndup(&s->arena, name, strlen(name));
	if (s->file)
		rc = ps_push(p, name, buf, len);
	if (rc == SV_OK)
		rc = parse_script(p);
	if (rc == SV_OK)
		rc = apply_listen(s);
	free(p);
	if (rc != SV_OK) {
		cfg_free(s);
		return rc;
	}
	*out = s;
	return SV_OK;
}

int cfg_load(const char *path, struct cfg_script **out)
{
	char *buf;
	size_t len;
	int rc;

	*out = NULL;
	cfg_clear_error();
	rc = cfg_read_file(path, &buf, &len);
	if (rc != SV_OK && rc != SV_ENOMEM) {
		cfg_error(NULL, "cannot read script '%s': %s", path,
		          strerror(errno));
		return rc;
	}
	if (rc == SV_ENOMEM) {
		cfg_error(NULL, "out of memory");
		return rc;
	}
	rc = cfg_load_buffer(path, buf, len, out);
	free(buf);
	return rc;
}

struct cfg_route *cfg_main_route(const struct cfg_script *s, int type)
{
	return cfg_route_lookup(s, type, "0");
}

void cfg_free(struct cfg_script *s)
{
	struct cfg_owned *o;
	int i;

	if (!s)
		return;
	for (o = s->owned; o; o = o->next)
		o->release(o->obj);
	for (i = 0; i < s->nsources; i++)
		free(s->sources[i]);
	free(s->sources);
	cfg_arena_free(&s->arena);
	free(s);
}

/*
 * method.c - method names to ids and back.
 *
 * Fourteen names: a linear scan guarded by the length and the first byte
 * costs a few compares, which is all the first line of a message needs.
 */
#include "method.h"

#include <string.h>
#include <strings.h>

#include "../errors.h"

static const struct {
	const char *name;
	int len;
	int id;
} methods[] = {
    {"INVITE", 6, METHOD_INVITE},     {"ACK", 3, METHOD_ACK},
    {"BYE", 3, METHOD_BYE},           {"CANCEL", 6, METHOD_CANCEL},
    {"REGISTER", 8, METHOD_REGISTER}, {"OPTIONS", 7, METHOD_OPTIONS},
    {"INFO", 4, METHOD_INFO},         {"UPDATE", 6, METHOD_UPDATE},
    {"MESSAGE", 7, METHOD_MESSAGE},   {"SUBSCRIBE", 9, METHOD_SUBSCRIBE},
    {"NOTIFY", 6, METHOD_NOTIFY},     {"PRACK", 5, METHOD_PRACK},
    {"REFER", 5, METHOD_REFER},       {"PUBLISH", 7, METHOD_PUBLISH},
};

#define N_METHODS (int)(sizeof(methods) / sizeof(methods[0]))

int method_from_name(const char *s, int len)
{
	int i;

	for (i = 0; i < N_METHODS; i++)
		if (methods[i].len == len && methods[i].name[0] == s[0] &&
		    memcmp(methods[i].name, s, len) == 0)
			return methods[i].id;
	return METHOD_OTHER;
}

const char *method_name(int method_id)
{
	int i;

	for (i = 0; i < N_METHODS; i++)
		if (methods[i].id == method_id)
			return methods[i].name;
	return NULL;
}

static int method_from_name_icase(const char *s, int len)
{
	int i;

	for (i = 0; i < N_METHODS; i++)
		if (methods[i].len == len &&
		    strncasecmp(methods[i].name, s, len) == 0)
			return methods[i].id;
	return METHOD_OTHER;
}

int method_mask_parse(const str *list, unsigned *mask)
{
	const char *p = list->s, *end, *bar;
	unsigned m = 0;
	int id;

	if (!p || list->len <= 0)
		return SV_EINVAL;
	end = p + list->len;
	for (;;) {
		bar = memchr(p, '|', end - p);
		if (!bar)
			bar = end;
		if (bar == p)
			return SV_EINVAL;
		id = method_from_name_icase(p, (int)(bar - p));
		if (id == METHOD_OTHER)
			return SV_EINVAL;
		m |= (unsigned)id;
		if (bar == end)
			break;
		p = bar + 1;
	}
	*mask = m;
	return SV_OK;
}

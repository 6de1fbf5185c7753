/*
 * method.c - method names to ids and back.
 *
 * Fourteen names.  Names to ids is on the path of every request (a switch
 * on the length); ids to names and the case-insensitive lookup of script
 * method lists scan the table.
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

/* s (of the literal's length) is the method name lit, exactly */
#define IS(lit) (memcmp(s, lit, sizeof(lit) - 1) == 0)

/*
 * Every request goes through here (and its CSeq too): a switch on the
 * length and compares of constant size, which the compiler turns into a
 * load and a compare or two, no call.
 */
int method_from_name(const char *s, int len)
{
	switch (len) {
	case 3:
		return IS("ACK") ? METHOD_ACK : IS("BYE") ? METHOD_BYE
		                                          : METHOD_OTHER;
	case 4:
		return IS("INFO") ? METHOD_INFO : METHOD_OTHER;
	case 5:
		return IS("PRACK") ? METHOD_PRACK : IS("REFER") ? METHOD_REFER
		                                                : METHOD_OTHER;
	case 6:
		return IS("INVITE")   ? METHOD_INVITE
		       : IS("CANCEL") ? METHOD_CANCEL
		       : IS("UPDATE") ? METHOD_UPDATE
		       : IS("NOTIFY") ? METHOD_NOTIFY
		                      : METHOD_OTHER;
	case 7:
		return IS("OPTIONS")   ? METHOD_OPTIONS
		       : IS("MESSAGE") ? METHOD_MESSAGE
		       : IS("PUBLISH") ? METHOD_PUBLISH
		                       : METHOD_OTHER;
	case 8:
		return IS("REGISTER") ? METHOD_REGISTER : METHOD_OTHER;
	case 9:
		return IS("SUBSCRIBE") ? METHOD_SUBSCRIBE : METHOD_OTHER;
	default:
		return METHOD_OTHER;
	}
}

#undef IS

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

/*
 * script_cb.c - see script_cb.h.  A fixed array: a handful of modules
 * register one or two callbacks each.
 */
#include "script_cb.h"
#include "errors.h"
#include "log.h"

#include <stddef.h>

#define SCRIPT_CB_MAX 32

struct script_cb {
	script_cb_f cb;
	unsigned when;
	void *param;
};

static struct script_cb cbs[SCRIPT_CB_MAX];
static int cb_count;

int register_script_cb(script_cb_f cb, unsigned when, void *param)
{
	if (cb == NULL || !(when & (SCB_PRE | SCB_POST)) ||
	    !(when & (SCB_REQUEST | SCB_REPLY)))
		return SV_EINVAL;
	if (cb_count >= SCRIPT_CB_MAX) {
		LM_ERR("too many script callbacks\n");
		return SV_ENOMEM;
	}
	cbs[cb_count].cb = cb;
	cbs[cb_count].when = when;
	cbs[cb_count].param = param;
	cb_count++;
	return SV_OK;
}

int exec_pre_script_cb(struct sip_msg *msg, unsigned type)
{
	int i;

	for (i = 0; i < cb_count; i++)
		if ((cbs[i].when & SCB_PRE) && (cbs[i].when & type) &&
		    cbs[i].cb(msg, cbs[i].param) == 0)
			return 0;
	return 1;
}

void exec_post_script_cb(struct sip_msg *msg, unsigned type)
{
	int i;

	for (i = 0; i < cb_count; i++)
		if ((cbs[i].when & SCB_POST) && (cbs[i].when & type))
			cbs[i].cb(msg, cbs[i].param);
}

void script_cb_reset(void)
{
	cb_count = 0;
}

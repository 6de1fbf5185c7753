/*
 * tm_testutil.h - helpers shared by the unit tests of the tm module
 * (static; include after parser_testutil.h).
 *
 * tm_make_reply() writes a downstream reply to a request tm sent;
 * tm_stat() and tm_shm_used() read what "nothing left behind" is checked
 * against; add_static_module() and remove_static_modules() put the tm
 * module linked into the test (and a test module) in the module list and
 * take them out again, as the loader would with dlopen.
 */
#ifndef SERVAL_TEST_TM_TESTUTIL_H
#define SERVAL_TEST_TM_TESTUTIL_H

#include "parser_testutil.h"

#include "core/module.h"
#include "core/pv.h"
#include "core/stats.h"
#include "modules/tm/t_stats.h"
#include "shm/shm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * A reply to request text rq (as tm sent it downstream): every Via, From,
 * To with to_tag (none when NULL), Call-ID, CSeq, extra header lines, no
 * body.  The text lives in a static buffer until the next call.
 */
static inline const char *tm_make_reply(const char *rq, int code,
                                        const char *reason,
                                        const char *to_tag, const char *extra)
{
	static char rpl_text[4096];
	struct tmsg t;
	struct hdr_field *h;
	int n;

	assert_non_null(rq);
	tmsg_parse(&t, rq);
	assert_int_equal(t.rc, SV_OK);
	n = snprintf(rpl_text, sizeof(rpl_text), "SIP/2.0 %d %s\r\n", code,
	             reason);
	for (h = t.msg->headers; h; h = h->next) {
		if (h->type == HDR_VIA_T || h->type == HDR_FROM_T ||
		    h->type == HDR_CALLID_T || h->type == HDR_CSEQ_T)
			n += snprintf(rpl_text + n, sizeof(rpl_text) - n,
			              "%.*s", h->len, hdr_start(h));
		else if (h->type == HDR_TO_T)
			n += snprintf(rpl_text + n, sizeof(rpl_text) - n,
			              "To: %.*s%s%s\r\n", STR_FMT(&h->body),
			              to_tag ? ";tag=" : "",
			              to_tag ? to_tag : "");
	}
	snprintf(rpl_text + n, sizeof(rpl_text) - n,
	         "%sContent-Length: 0\r\n\r\n", extra ? extra : "");
	tmsg_free(&t);
	return rpl_text;
}

/* A tm statistic's value. */
static inline long tm_stat(enum tm_stat s)
{
	return stat_get(tm_stat_vars[s]);
}

/* shmem:used_size now. */
static inline unsigned long tm_shm_used(void)
{
	struct shm_stats st;

	shm_get_stats(&st);
	return st.used_size;
}

/* Puts a module linked into this test in the module list. */
static inline void add_static_module(const struct module_exports *e)
{
	struct module *m = calloc(1, sizeof(*m));
	char err[128];

	assert_non_null(m);
	m->exports = e;
	m->path = strdup("(linked in)");
	m->next = module_list;
	module_list = m;
	if (e->pvs)
		assert_int_equal(pv_register_table(e->pvs, e->name, err,
		                                   sizeof(err)),
		                 SV_OK);
}

/* Takes the linked-in modules out again (no dlclose for them). */
static inline void remove_static_modules(void)
{
	struct module **pp = &module_list, *m;

	while ((m = *pp) != NULL) {
		if (m->handle == NULL) {
			*pp = m->next;
			pv_unregister_owner(m->exports->name);
			module_free_strparams(m);
			free(m->path);
			free(m);
		} else {
			pp = &m->next;
		}
	}
}

#endif /* SERVAL_TEST_TM_TESTUTIL_H */

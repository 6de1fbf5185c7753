/*
 * tmod_a.h - the state tmod_a exposes to the tests through its "state"
 * API (module_find_api("tmod_a", "state") returns a function returning a
 * pointer to it).
 */
#ifndef SERVAL_TEST_TMOD_A_H
#define SERVAL_TEST_TMOD_A_H

struct tmod_a_state {
	int p_int, p_fint, fail_init, eat_replies; /* parameters */
	char *p_str;
	char p_fstr[64];
	int inits, child_inits, destroys; /* hooks run */
	int fixups, frees, responses;
};

#endif /* SERVAL_TEST_TMOD_A_H */

/*
 * avp.h - attribute-value pairs ($avp(...)): per-message variables.
 *
 * An AVP has a name (an integer, $avp(i:24), or a string, $avp(s:uid))
 * and a value (an integer or a string).  A name may carry several values:
 * the newest is added at the head of the list and is found first, as in
 * OpenSER ($avp(s:x) and $(avp(s:x)[0]) are the newest, [-1] the oldest).
 *
 * Memory: every AVP is one shm block (struct, name and value bytes
 * together), as OpenSER kept them, so that tm can move a request's whole
 * list into its transaction at t_relay without copying anything
 * (avp_list_detach) and run failure/onreply routes against the
 * transaction's list later, possibly in another process.
 *
 * Lists: a list is a `struct usr_avp *` head.  Each process has one
 * per-message list, which receive.c empties after every request unless a
 * module detached it.  All operations work on the *current* list, which is
 * the per-message list unless a module switched it (avp_set_list) - tm
 * points it at a transaction's list while it runs a failure_route and
 * switches it back afterwards.  Nothing here locks: a list is used by one
 * process at a time (tm serialises access to a transaction's list under
 * its reply lock).
 *
 * Out of shm: avp_add() returns SV_ENOMEM and the list is unchanged.
 */
#ifndef SERVAL_CORE_AVP_H
#define SERVAL_CORE_AVP_H

#include "str.h"

/* usr_avp flags */
#define AVP_NAME_STR 0x01 /* name.s is valid (else the integer id) */
#define AVP_VAL_STR  0x02 /* val.s is valid (else val.n) */

/* The name of an AVP: an integer id, or a string (with its hash). */
struct avp_name {
	int is_str;
	unsigned int id; /* the integer, or avp_name_hash(s) */
	str s;           /* is_str only */
};

struct avp_value {
	int is_str;
	long n;
	str s;
};

struct usr_avp {
	unsigned short flags;
	unsigned int id; /* integer name or hash of the string name */
	str name;        /* AVP_NAME_STR: inside this block */
	union {
		long n;
		str s; /* AVP_VAL_STR: inside this block */
	} val;
	struct usr_avp *next;
};

typedef struct usr_avp *avp_list_t;

/* The hash stored in struct avp_name.id for a string name. */
unsigned int avp_name_hash(const char *s, int len);

/* Fills *n for a string name (a view, no copy) / an integer name. */
void avp_name_str(struct avp_name *n, const str *s);
void avp_name_int(struct avp_name *n, unsigned int id);

/*
 * Adds an AVP at the head of the current list (it becomes the newest
 * value of its name).  Name and value are copied.  Returns SV_OK or
 * SV_ENOMEM (nothing added, logged).
 */
int avp_add(const struct avp_name *name, const struct avp_value *val);

/*
 * Returns the newest AVP called name in the current list, or NULL.  To
 * walk every value of a name (newest first), pass the previous result to
 * avp_search_next().
 */
struct usr_avp *avp_search(const struct avp_name *name);
struct usr_avp *avp_search_next(const struct usr_avp *prev);

/*
 * Returns value number idx of name (0 newest; negative counts from the
 * oldest, -1 being the oldest), or NULL.
 */
struct usr_avp *avp_search_index(const struct avp_name *name, int idx);

/* Number of values of name in the current list. */
int avp_count(const struct avp_name *name);

/* Unlinks and frees one AVP of the current list (no-op if absent). */
void avp_destroy(struct usr_avp *avp);

/* Deletes every value of name (all=1) or only the newest (all=0). */
void avp_delete(const struct avp_name *name, int all);

/* Reads an AVP's value as a struct avp_value (strings are views). */
void avp_get_value(const struct usr_avp *avp, struct avp_value *val);

/*
 * Makes *list the current list and returns the previous current list, so
 * the caller can switch back: old = avp_set_list(&t->avps); ...;
 * avp_set_list(old).  NULL selects the per-message list.
 */
avp_list_t *avp_set_list(avp_list_t *list);

/* The current list / this process's per-message list. */
avp_list_t *avp_get_list(void);
avp_list_t *avp_msg_list(void);

/*
 * Takes every AVP out of *list and returns them (the caller owns them
 * now, e.g. a transaction); *list becomes empty.
 */
avp_list_t avp_list_detach(avp_list_t *list);

/*
 * Copies every AVP of src, in order, into a new list stored in *dst (which
 * must be empty); src is unchanged.  tm keeps such a copy of a request's
 * AVPs in its transaction.  Returns SV_OK, or SV_ENOMEM with *dst empty.
 */
int avp_list_copy(avp_list_t src, avp_list_t *dst);

/* Frees every AVP of *list (shm) and empties it. */
void avp_list_free(avp_list_t *list);

/* Frees the per-message list: the end of every request (receive.c). */
void avp_reset_msg_list(void);

#endif /* SERVAL_CORE_AVP_H */

/*
 * avp.c - AVP lists in shared memory (see avp.h).
 *
 * An AVP is one shm block: the struct, then the name bytes, then the
 * value bytes, so adding costs one allocation and freeing one free, and a
 * whole list can change owner by moving its head pointer.  Searching is a
 * linear walk comparing the 32-bit id first (an integer name, or the hash
 * of a string name) and the bytes only when the ids agree; scripts keep a
 * handful of AVPs per message, so nothing fancier pays off.
 */
#include "avp.h"

#include <string.h>

#include "errors.h"
#include "log.h"
#include "shm/shm.h"

static avp_list_t msg_avps;
static avp_list_t *cur_list = &msg_avps;

unsigned int avp_name_hash(const char *s, int len)
{
	unsigned int h = 2166136261u; /* FNV-1a */
	int i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

void avp_name_str(struct avp_name *n, const str *s)
{
	n->is_str = 1;
	n->s = *s;
	n->id = avp_name_hash(s->s, s->len);
}

void avp_name_int(struct avp_name *n, unsigned int id)
{
	n->is_str = 0;
	n->s.s = NULL;
	n->s.len = 0;
	n->id = id;
}

int avp_add(const struct avp_name *name, const struct avp_value *val)
{
	size_t nlen = name->is_str ? (size_t)name->s.len : 0;
	size_t vlen = val->is_str ? (size_t)val->s.len : 0;
	struct usr_avp *a = shm_malloc(sizeof(*a) + nlen + vlen);
	char *p;

	if (!a) {
		LM_ERR("out of shared memory for an AVP\n");
		return SV_ENOMEM;
	}
	p = (char *)(a + 1);
	a->flags = 0;
	a->id = name->id;
	a->name.s = NULL;
	a->name.len = 0;
	if (name->is_str) {
		a->flags |= AVP_NAME_STR;
		memcpy(p, name->s.s, nlen);
		a->name.s = p;
		a->name.len = (int)nlen;
		p += nlen;
	}
	if (val->is_str) {
		a->flags |= AVP_VAL_STR;
		if (vlen)
			memcpy(p, val->s.s, vlen);
		a->val.s.s = p;
		a->val.s.len = (int)vlen;
	} else {
		a->val.n = val->n;
	}
	a->next = *cur_list;
	*cur_list = a;
	return SV_OK;
}

static int avp_matches(const struct usr_avp *a, const struct avp_name *n)
{
	if (a->id != n->id)
		return 0;
	if (!n->is_str)
		return !(a->flags & AVP_NAME_STR);
	return (a->flags & AVP_NAME_STR) && str_eq(&a->name, &n->s);
}

static struct usr_avp *search_from(struct usr_avp *a, const struct avp_name *n)
{
	for (; a; a = a->next)
		if (avp_matches(a, n))
			return a;
	return NULL;
}

struct usr_avp *avp_search(const struct avp_name *name)
{
	return search_from(*cur_list, name);
}

struct usr_avp *avp_search_next(const struct usr_avp *prev)
{
	struct avp_name n;

	if (!prev)
		return NULL;
	n.is_str = (prev->flags & AVP_NAME_STR) != 0;
	n.id = prev->id;
	n.s = prev->name;
	return search_from(prev->next, &n);
}

int avp_count(const struct avp_name *name)
{
	struct usr_avp *a;
	int n = 0;

	for (a = avp_search(name); a; a = search_from(a->next, name))
		n++;
	return n;
}

struct usr_avp *avp_search_index(const struct avp_name *name, int idx)
{
	struct usr_avp *a;

	if (idx < 0) {
		idx += avp_count(name);
		if (idx < 0)
			return NULL;
	}
	for (a = avp_search(name); a && idx > 0; idx--)
		a = search_from(a->next, name);
	return a;
}

void avp_destroy(struct usr_avp *avp)
{
	struct usr_avp **pp;

	for (pp = cur_list; *pp; pp = &(*pp)->next) {
		if (*pp == avp) {
			*pp = avp->next;
			shm_free(avp);
			return;
		}
	}
}

void avp_delete(const struct avp_name *name, int all)
{
	struct usr_avp **pp = cur_list, *a;

	while (*pp) {
		a = *pp;
		if (!avp_matches(a, name)) {
			pp = &a->next;
			continue;
		}
		*pp = a->next;
		shm_free(a);
		if (!all)
			return;
	}
}

void avp_get_value(const struct usr_avp *avp, struct avp_value *val)
{
	val->is_str = (avp->flags & AVP_VAL_STR) != 0;
	if (val->is_str) {
		val->s = avp->val.s;
		val->n = 0;
	} else {
		val->n = avp->val.n;
		val->s.s = NULL;
		val->s.len = 0;
	}
}

avp_list_t *avp_set_list(avp_list_t *list)
{
	avp_list_t *old = cur_list;

	cur_list = list ? list : &msg_avps;
	return old;
}

avp_list_t *avp_get_list(void)
{
	return cur_list;
}

avp_list_t *avp_msg_list(void)
{
	return &msg_avps;
}

avp_list_t avp_list_detach(avp_list_t *list)
{
	avp_list_t l = *list;

	*list = NULL;
	return l;
}

/* Bytes of a's block: the struct, its name and its value. */
static size_t avp_block_size(const struct usr_avp *a)
{
	size_t n = sizeof(*a);

	if (a->flags & AVP_NAME_STR)
		n += (size_t)a->name.len;
	if (a->flags & AVP_VAL_STR)
		n += (size_t)a->val.s.len;
	return n;
}

/* A copy of block a (its inner strings moved to the copy). */
static struct usr_avp *avp_clone(const struct usr_avp *a)
{
	size_t n = avp_block_size(a);
	struct usr_avp *c = shm_malloc(n);
	char *p;

	if (!c)
		return NULL;
	memcpy(c, a, n);
	p = (char *)(c + 1);
	if (a->flags & AVP_NAME_STR) {
		c->name.s = p;
		p += a->name.len;
	}
	if (a->flags & AVP_VAL_STR)
		c->val.s.s = p;
	c->next = NULL;
	return c;
}

int avp_list_copy(avp_list_t src, avp_list_t *dst)
{
	avp_list_t *tail = dst;
	const struct usr_avp *a;

	*dst = NULL;
	for (a = src; a; a = a->next) {
		*tail = avp_clone(a);
		if (!*tail) {
			LM_ERR("out of shared memory copying AVPs\n");
			avp_list_free(dst);
			return SV_ENOMEM;
		}
		tail = &(*tail)->next;
	}
	return SV_OK;
}

void avp_list_free(avp_list_t *list)
{
	struct usr_avp *a = *list, *n;

	for (; a; a = n) {
		n = a->next;
		shm_free(a);
	}
	*list = NULL;
}

void avp_reset_msg_list(void)
{
	avp_list_free(&msg_avps);
	cur_list = &msg_avps;
}

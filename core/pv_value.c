/*
 * pv_value.c - reading, writing and printing pseudo-variables: pv_get,
 * pv_set, pv_format_print (pv.h) and the value helpers of pv_priv.h.
 *
 * Dispatch is one indirect call through the export found when the spec
 * was parsed; nothing is looked up by name at run time.  Numbers get their
 * text in a ring of small per-process buffers, so a format string with
 * several numeric variables prints without allocating.
 */
#include "pv.h"

#include <limits.h>

#include <string.h>

#include "errors.h"
#include "log.h"
#include "pv_priv.h"

#define INT_RING 16
#define INT_BUF  24

int pv_itoa(long n, char *buf)
{
	char tmp[INT_BUF];
	unsigned long u = n < 0 ? 0UL - (unsigned long)n : (unsigned long)n;
	int i = 0, len = 0;

	do {
		tmp[i++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (n < 0)
		buf[len++] = '-';
	while (i)
		buf[len++] = tmp[--i];
	buf[len] = '\0';
	return len;
}

int pv_int(struct pv_value *res, long n)
{
	static char ring[INT_RING][INT_BUF];
	static unsigned next;
	char *b = ring[next++ % INT_RING];

	res->flags = PV_VAL_INT | PV_VAL_STR;
	res->ri = n;
	res->rs.s = b;
	res->rs.len = pv_itoa(n, b);
	return SV_OK;
}

int pv_value_to_int(const struct pv_value *v, long *n)
{
	const char *s;
	int i = 0, neg = 0;
	long r = 0;

	if (v->flags & PV_VAL_INT) {
		*n = v->ri;
		return SV_OK;
	}
	if (!(v->flags & PV_VAL_STR) || v->rs.len == 0)
		return SV_EINVAL;
	s = v->rs.s;
	if (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-';
		i = 1;
	}
	if (i == v->rs.len)
		return SV_EINVAL;
	for (; i < v->rs.len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return SV_EINVAL;
		if (r > (LONG_MAX - (s[i] - '0')) / 10)
			return SV_EINVAL;  /* too big to be a number here */
		r = r * 10 + (s[i] - '0');
	}
	*n = neg ? -r : r;
	return SV_OK;
}

int pv_get(struct sip_msg *msg, const struct pv_spec *sp, struct pv_value *val)
{
	int rc;

	if (!sp->exp->get) {
		pv_null(val);
		return SV_EINVAL;
	}
	rc = sp->exp->get(msg, sp, val);
	if (rc != SV_OK)
		pv_null(val);
	return rc;
}

int pv_set(struct sip_msg *msg, const struct pv_spec *sp, int op,
           const struct pv_value *val)
{
	if (!(sp->exp->flags & PV_WRITABLE) || !sp->exp->set) {
		LM_ERR("%.*s cannot be assigned\n", STR_FMT(&sp->text));
		return SV_EINVAL;
	}
	if (val && (val->flags & PV_VAL_NULL))
		val = NULL;
	return sp->exp->set(msg, sp, op, val);
}

static int put(char *buf, int size, int *n, const char *s, int len)
{
	if (len > size - *n)
		return SV_ETOOBIG;
	memcpy(buf + *n, s, len);
	*n += len;
	return SV_OK;
}

int pv_format_print(struct sip_msg *msg, const struct pv_format *f, char *buf,
                    int size, str *out)
{
	const struct pv_format_part *p;
	struct pv_value v;
	char num[INT_BUF];
	int i, n = 0, rc = SV_OK;

	if (!f->has_pv) {
		*out = f->whole;
		return SV_OK;
	}
	for (i = 0; i < f->n && rc == SV_OK; i++) {
		p = &f->parts[i];
		if (!p->spec) {
			rc = put(buf, size, &n, p->text.s, p->text.len);
			continue;
		}
		pv_get(msg, p->spec, &v);
		if (v.flags & PV_VAL_STR)
			rc = put(buf, size, &n, v.rs.s, v.rs.len);
		else if (v.flags & PV_VAL_INT)
			rc = put(buf, size, &n, num, pv_itoa(v.ri, num));
		else
			rc = put(buf, size, &n, "<null>", 6);
	}
	if (rc != SV_OK)
		return rc;
	out->s = buf;
	out->len = n;
	return SV_OK;
}

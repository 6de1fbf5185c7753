/*
 * dset.c - the destination set (see dset.h).
 */
#include "dset.h"

#include <stdio.h>
#include <string.h>

#include "errors.h"
#include "parser/msg.h"
#include "parser/msg_uri.h"

static struct dset_branch branches[DSET_MAX_BRANCHES - 1];
static int nbranches;
static int ruri_q = DSET_Q_UNSPECIFIED;

static void slot_set(char *buf, str *dst, const str *src)
{
	if (src && src->len > 0)
		memcpy(buf, src->s, src->len);
	dst->s = buf;
	dst->len = src ? src->len : 0;
}

int dset_append(const str *uri, const str *dst_uri, int q, unsigned int flags,
                struct socket_info *sock)
{
	struct dset_branch *b;

	if (nbranches >= DSET_MAX_BRANCHES - 1)
		return SV_ETOOMANY;
	if (!uri || uri->len <= 0 || uri->len > DSET_MAX_URI ||
	    (dst_uri && dst_uri->len > DSET_MAX_URI))
		return uri && uri->len > 0 ? SV_ETOOBIG : SV_EINVAL;
	if (q != DSET_Q_UNSPECIFIED && (q < 0 || q > DSET_Q_MAX))
		return SV_EQVALUE;
	b = &branches[nbranches];
	slot_set(b->uri_buf, &b->uri, uri);
	slot_set(b->dst_buf, &b->dst_uri, dst_uri);
	b->q = q;
	b->flags = flags;
	b->force_send_socket = sock;
	nbranches++;
	return SV_OK;
}

int dset_append_ruri(struct sip_msg *msg)
{
	return dset_append(msg_ruri(msg), &msg->dst_uri, ruri_q,
	                   msg->ruri_bflags, msg->force_send_socket);
}

struct dset_branch *dset_branch(int idx)
{
	return (idx >= 0 && idx < nbranches) ? &branches[idx] : NULL;
}

int dset_count(void)
{
	return nbranches;
}

int dset_set_uri(int idx, const str *uri)
{
	struct dset_branch *b = dset_branch(idx);

	if (!b)
		return SV_ENOTFOUND;
	if (uri->len > DSET_MAX_URI)
		return SV_ETOOBIG;
	slot_set(b->uri_buf, &b->uri, uri);
	return SV_OK;
}

void dset_clear(void)
{
	nbranches = 0;
	ruri_q = DSET_Q_UNSPECIFIED;
}

void dset_set_ruri_q(int q)
{
	ruri_q = q;
}

int dset_get_ruri_q(void)
{
	return ruri_q;
}

int dset_print_q(int q, char *buf)
{
	int n;

	if (q >= DSET_Q_MAX)
		return sprintf(buf, "1");
	if (q <= 0)
		return sprintf(buf, "0");
	n = sprintf(buf, "0.%03d", q);
	while (buf[n - 1] == '0')
		n--;
	buf[n] = '\0';
	return n;
}

/* Appends "<uri>[;q=x]" with a ", " before it when not first. */
static int print_one(char *buf, int size, int n, const str *uri, int q)
{
	char qs[8];
	int len;

	if (q == DSET_Q_UNSPECIFIED)
		len = snprintf(buf + n, size - n, "%s<%.*s>", n ? ", " : "",
		               STR_FMT(uri));
	else
		len = (dset_print_q(q, qs),
		       snprintf(buf + n, size - n, "%s<%.*s>;q=%s",
		                n ? ", " : "", STR_FMT(uri), qs));
	return (len < 0 || len >= size - n) ? SV_ETOOBIG : n + len;
}

int dset_print(struct sip_msg *msg, char *buf, int size)
{
	int i, n;

	if (nbranches == 0)
		return 0;
	n = print_one(buf, size, 0, msg_ruri(msg), ruri_q);
	for (i = 0; i < nbranches && n >= 0; i++)
		n = print_one(buf, size, n, &branches[i].uri, branches[i].q);
	return n;
}

/*
 * t_replicate.c - t_replicate() (see t_replicate.h).
 *
 * A replica is made like the transaction t_newtran() makes (the request
 * printed with the script's edits, its keys), flagged T_IS_REPLICA before
 * it is inserted, so the bucket lock covers "no replica of this request
 * yet" and the insertion in one step; then its branches are built,
 * published and sent with t_fwd.c's pieces, from the message itself.
 */
#include "t_replicate.h"
#include "t_fwd.h"
#include "t_funcs.h"
#include "t_lookup.h"
#include "t_reply.h"
#include "t_stats.h"

#include "core/dset.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/parser/method.h"
#include "core/parser/msg.h"
#include "core/parser/msg_uri.h"

/*
 * A replica of msg (keys k): a new one (*created 1, referenced) unless msg
 * is a retransmission, that is, a replica of the request exists and this
 * message made none (*created 0, NULL).  Returns SV_OK or the creation
 * error.
 */
static int replica_get(struct sip_msg *msg, const struct tm_mkeys *k,
                       struct cell **out, int *created)
{
	unsigned hash = tm_hash(&k->callid, k->cseq);
	struct cell *t, *old;
	int rc;

	*out = NULL;
	*created = 0;
	t = tm_cell_new(msg, k, hash, &rc);
	if (t) {
		t->flags |= T_IS_REPLICA;
		/* its branch ids carry its label, even with syn_branch=0: an
		   MD5 of the request would be the same for every replica and
		   the request's own transaction */
		t->key[TMK_MD5].len = 0;
	}
	tm_bucket_lock(hash);
	old = tm_ctx.replicas ? NULL
	                      : tm_lookup_locked(hash, k, TM_MATCH_REPLICA);
	if (old == NULL && t != NULL)
		tm_cell_insert_locked(t);
	tm_bucket_unlock(hash);
	if (old) {
		tm_unref(old);
		if (t)
			tm_unref(t);
		return SV_OK;
	}
	if (t == NULL)
		return rc;
	tm_ctx.replicas++;
	*out = t;
	*created = 1;
	return SV_OK;
}

/* The replica's branches: to uri, then the destination set's. */
static int collect(struct sip_msg *msg, const str *uri, struct tm_cand *c)
{
	struct dset_branch *d;
	int i, n = 0;

	c[n].uri = *msg_ruri(msg);
	c[n].dst_uri = *uri;
	c[n].bflags = msg->ruri_bflags;
	c[n].sock = msg->force_send_socket;
	n++;
	for (i = 0; (d = dset_branch(i)) != NULL && n < TM_MAX_BRANCHES; i++) {
		c[n].uri = d->uri;
		c[n].dst_uri = d->dst_uri.len ? d->dst_uri : d->uri;
		c[n].bflags = d->flags;
		c[n].sock = d->force_send_socket;
		n++;
	}
	return n;
}

/* Builds, publishes and sends the replica's branches. */
static int replicate_branches(struct cell *t, struct sip_msg *msg,
                              const str *uri)
{
	struct tm_cand c[TM_MAX_BRANCHES];
	struct tm_branch *nb[TM_MAX_BRANCHES];
	int i, nc, n = 0, rc = SV_ENODEST;

	nc = collect(msg, uri, c);
	for (i = 0; i < nc; i++) {
		rc = tm_build_branch(t, msg, n, &c[i], NULL, &nb[n]);
		if (rc == SV_OK)
			n++;
		else
			LM_NOTICE("tm: t_replicate: no copy to %.*s (%s)\n",
			          STR_FMT(&c[i].dst_uri), sv_strerror(rc));
	}
	if (n == 0)
		return rc;
	rc = tm_publish(t, nb, n, 0, 0, 0);
	if (rc != SV_OK) {
		while (n-- > 0)
			tm_branch_free(nb[n]);
		return rc;
	}
	return tm_send_branches(t, nb, n) > 0 ? SV_OK : SV_ESEND;
}

int tm_replicate(struct sip_msg *msg, const str *uri, unsigned flags)
{
	struct tm_mkeys k;
	struct cell *t;
	int rc, created;

	if (!msg_is_request(msg) || msg_method(msg) == METHOD_ACK) {
		LM_ERR("tm: t_replicate: not for an ACK\n");
		return -1;
	}
	if (tm_mkeys_get(msg, &k) != SV_OK)
		return tm_script_error(SV_EBADTUPLE);
	rc = replica_get(msg, &k, &t, &created);
	if (rc == SV_OK && created) {
		if (flags & TM_RELAY_NO_DNS_FAILOVER)
			t->flags |= T_NO_DNS_FAILOVER;
		rc = replicate_branches(t, msg, uri);
		if (rc == SV_OK)
			tm_stat_add(TS_UAC, 1);
		else
			tm_terminate(t, NULL, rc, 0);
		tm_unref(t);
	}
	dset_clear();
	if (rc != SV_OK) {
		sv_last_error = rc;
		return tm_script_error(rc);
	}
	return 1;
}

/*
 * loose.c - loose_route(): routing by the Route header (RFC 3261 §16.4 and
 * §16.6 items 6-7), with strict-router compatibility, as OpenSER's rr.
 *
 * The Route entries of every Route header line are collected in order into
 * an array (message arena) and marked as they are consumed; the edits that
 * delete them are made at the end, per header line: a line whose entries
 * are all consumed is deleted whole, otherwise each run of consumed entries
 * is cut out with the comma that separates it from a kept neighbour.  So
 * "Route: <a>, <b>" loses "<a>, " and "Route: <a>, <b>" with b consumed
 * loses ", <b>".
 *
 * The steps:
 *
 *  1. No Route header: false.
 *  2. The Request-URI is ours and carries lr: it is a Record-Route value of
 *     ours that a strict router put there (§16.4).  The last Route entry
 *     (the remote target the strict router saved) becomes the R-URI and is
 *     consumed.
 *  3. The first remaining entry is ours (a listen address or alias and its
 *     port, 5060/5061 when absent): it is consumed (§16.4).
 *  4. The first remaining entry is the next hop (§16.6 item 6):
 *     - loose (lr): it becomes the destination URI ($du); the R-URI stays;
 *     - strict: the R-URI is added as the last Route value (a new Route
 *       line after the last one), the entry becomes the R-URI and is
 *       consumed.
 *     Either way the request was routed by its Route set: true.
 *  5. Nothing remains: true when step 2 rewrote the R-URI, or the request
 *     is in a dialog (To tag); false for a request without To tag whose
 *     only route was ours (a preloaded route to this proxy: the script goes
 *     on with its initial-request logic), as OpenSER.
 *
 * The parameters of the entry (or R-URI) of ours consumed in step 2 or 3
 * are remembered for check_route_param() and is_direction() (routed.c).
 * "maddr" in a Route URI is not used to pick the destination.
 */
#include "rr_mod.h"

#include "core/errors.h"
#include "core/log.h"
#include "core/lump.h"
#include "core/parser/msg.h"
#include "core/parser/msg_uri.h"
#include "core/parser/rr.h"
#include "core/parser/to_from.h"
#include "core/socket.h"

#include <stdio.h>
#include <stdlib.h>

struct route_ent {
	struct hdr_field *hdr;
	struct rr *rr;
	int consumed;
};

struct route_set {
	struct route_ent *e;
	int n;
};

int rr_uri_is_myself(const struct sip_uri *u)
{
	unsigned short port = u->port_no;

	if (u->type != URI_SIP && u->type != URI_SIPS)
		return 0;
	if (port == 0)
		port = u->type == URI_SIPS ? 5061 : SIP_DEFAULT_PORT;
	return socket_is_myself(&u->host, port);
}

/* Collects every entry of every Route header, in order. */
static int collect(struct sip_msg *msg, struct route_set *rs)
{
	struct hdr_field *h;
	struct rr *r;
	int n = 0, rc;

	for (h = msg->route; h; h = h->sibling) {
		if ((rc = parse_rr_header(msg, h)) != SV_OK)
			return rc;
		for (r = hdr_rr(h); r; r = r->next)
			n++;
	}
	rs->n = 0;
	rs->e = msg_alloc(msg, (size_t)(n ? n : 1) * sizeof(*rs->e));
	if (rs->e == NULL)
		return SV_ENOMEM;
	for (h = msg->route; h; h = h->sibling)
		for (r = hdr_rr(h); r; r = r->next)
			rs->e[rs->n++] = (struct route_ent){h, r, 0};
	return SV_OK;
}

static struct route_ent *first_left(struct route_set *rs)
{
	int i;

	for (i = 0; i < rs->n; i++)
		if (!rs->e[i].consumed)
			return &rs->e[i];
	return NULL;
}

/* 1 when the entry's URI is ours, 0 when not, <0 when it does not parse. */
static int ent_is_myself(struct sip_msg *msg, struct route_ent *e,
                         struct sip_uri **u)
{
	int rc = rr_uri(msg, e->rr, u);

	if (rc != SV_OK) {
		LM_ERR("rr: bad Route URI '%.*s'\n", STR_FMT(&e->rr->uri));
		return rc;
	}
	return rr_uri_is_myself(*u);
}

/* Step 2: a strict router before us put our Record-Route in the R-URI. */
static int after_strict_router(struct sip_msg *msg, struct route_set *rs,
                               int *rewrote)
{
	struct route_ent *last = &rs->e[rs->n - 1];
	struct sip_uri *u = &msg->parsed_uri;

	*rewrote = 0;
	if (u->lr.s == NULL || !rr_uri_is_myself(u))
		return SV_OK;
	if (rr_routed_set(msg, &u->params) != SV_OK ||
	    set_new_uri(msg, &last->rr->uri) != SV_OK)
		return SV_ENOMEM;
	last->consumed = 1;
	*rewrote = 1;
	return SV_OK;
}

/* Step 4, strict next hop: R-URI to the end of the route set. */
static int to_strict_hop(struct sip_msg *msg, struct route_set *rs,
                         struct route_ent *next)
{
	struct hdr_field *last = rs->e[rs->n - 1].hdr;
	const str *ruri = msg_ruri(msg);
	str line;
	int rc;

	line.len = ruri->len + (int)sizeof("Route: <>\r\n") - 1;
	line.s = malloc((size_t)line.len + 1);
	if (line.s == NULL)
		return SV_ENOMEM;
	snprintf(line.s, (size_t)line.len + 1, "Route: <%.*s>\r\n",
	         STR_FMT(ruri));
	rc = lump_insert(msg, (int)(hdr_end(last) - msg->buf), &line, 0);
	free(line.s);
	if (rc == SV_OK)
		rc = set_new_uri(msg, &next->rr->uri);
	next->consumed = 1;
	return rc;
}

/* Deletes the consumed entries of one header line, entries [i, j). */
static int cut_header(struct sip_msg *msg, struct route_ent *e, int i, int j)
{
	int a, b, all = 1, from, to;

	for (a = i; a < j; a++)
		all &= e[a].consumed;
	if (all)
		return lump_delete_header(msg, e[i].hdr, 0);
	for (a = i; a < j; a = b) {
		for (b = a; b < j && e[b].consumed == e[a].consumed; b++)
			;
		if (!e[a].consumed)
			continue;
		if (b < j) { /* "<a>, " up to the next kept entry */
			from = (int)(e[a].rr->full.s - msg->buf);
			to = (int)(e[b].rr->full.s - msg->buf);
		} else { /* ", <a>" after the previous kept entry */
			from = (int)(e[a - 1].rr->full.s +
			             e[a - 1].rr->full.len - msg->buf);
			to = (int)(e[b - 1].rr->full.s + e[b - 1].rr->full.len -
			           msg->buf);
		}
		if (lump_delete(msg, from, to - from, 0) != SV_OK)
			return SV_ENOMEM;
	}
	return SV_OK;
}

static int cut_consumed(struct sip_msg *msg, struct route_set *rs)
{
	int i, j, rc;

	for (i = 0; i < rs->n; i = j) {
		for (j = i; j < rs->n && rs->e[j].hdr == rs->e[i].hdr; j++)
			;
		if ((rc = cut_header(msg, rs->e, i, j)) != SV_OK)
			return rc;
	}
	return SV_OK;
}

static int in_dialog(struct sip_msg *msg)
{
	return parse_to_header(msg) == SV_OK && get_to(msg)->tag_value.len > 0;
}

/* Steps 3-5: *result gets the script's answer; returns SV_OK or an error. */
static int route_by_set(struct sip_msg *msg, struct route_set *rs, int rewrote,
                        int *result)
{
	struct route_ent *next = first_left(rs);
	struct sip_uri *u;
	int rc;

	*result = 1;
	if (next && (rc = ent_is_myself(msg, next, &u)) != 0) {
		if (rc < 0)
			return rc;
		next->consumed = 1;
		if (rr_routed_set(msg, &u->params) != SV_OK)
			return SV_ENOMEM;
		next = first_left(rs);
	}
	if (next == NULL) {
		*result = rewrote || in_dialog(msg) ? 1 : -1;
		return SV_OK;
	}
	if ((rc = rr_is_loose(msg, next->rr)) < 0) {
		LM_ERR("rr: bad Route URI '%.*s'\n", STR_FMT(&next->rr->uri));
		return rc;
	}
	return rc == 1 ? set_dst_uri(msg, &next->rr->uri)
	               : to_strict_hop(msg, rs, next);
}

int w_loose_route(struct sip_msg *msg, void **params)
{
	struct route_set rs;
	int rc, rewrote, result;

	rr_routed_reset(msg);
	if (msg->route == NULL)
		return -1;
	if (collect(msg, &rs) != SV_OK || rs.n == 0) {
		LM_ERR("rr: loose_route: bad Route header\n");
		return -1;
	}
	if (parse_sip_msg_uri(msg) != SV_OK) {
		LM_ERR("rr: loose_route: bad Request-URI\n");
		return -1;
	}
	rc = after_strict_router(msg, &rs, &rewrote);
	if (rc == SV_OK)
		rc = route_by_set(msg, &rs, rewrote, &result);
	if (rc == SV_OK)
		rc = cut_consumed(msg, &rs);
	if (rc == SV_OK)
		return result;
	LM_ERR("rr: loose_route failed: %s\n", sv_strerror(rc));
	return -1;
}

/*
 * t_write.c - t_write_req(), t_write_unix() and the tw_append lists (see
 * t_write.h for the format and the guarantees).
 *
 * Parsing of a tw_append definition is a small hand-written scanner:
 * name, ':', then elements separated by ';' with blanks allowed around
 * every token.  A value starting with '$' is one pseudo-variable (its
 * extent found by pv_scan(), parsed by pv_spec_parse()); the bracket form
 * "type[name]" is turned into the equivalent pseudo-variable ("avp[i:12]"
 * is "$avp(i:12)"), so values are always read through the core's pv_get().
 *
 * Printing happens into one static buffer per process (a process handles
 * one message at a time); the bytes sent are exactly that buffer.
 */
#include "t_write.h"
#include "t_fwd.h"
#include "t_funcs.h"
#include "tm_cfg.h"

#include "cfg/fixup.h"
#include "core/errors.h"
#include "core/log.h"
#include "core/module.h"
#include "core/msg_builder.h"
#include "core/outbuf.h"
#include "core/pv.h"
#include "core/pv_core.h"
#include "core/socket.h"
#include "core/parser/contact.h"
#include "core/parser/cseq.h"
#include "core/parser/method.h"
#include "core/parser/msg.h"
#include "core/parser/msg_uri.h"
#include "core/parser/rr.h"
#include "core/parser/to_from.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ parsing -- */

static struct tw_append *appends;

struct scan {
	const char *s; /* the definition */
	const char *p; /* where we are */
	char *err;
	int errlen;
};

static int scan_error(struct scan *sc, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int scan_error(struct scan *sc, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(sc->err, (size_t)sc->errlen, "%s at position %d of \"%s\"",
	         what, (int)(sc->p - sc->s), sc->s);
	return SV_EINVAL;
}

static void skip_blanks(struct scan *sc)
{
	while (*sc->p && isspace((unsigned char)*sc->p))
		sc->p++;
}

/* A token: up to a blank or one of stop. */
static str token(struct scan *sc, const char *stop)
{
	str t = {(char *)sc->p, 0};

	while (*sc->p && !isspace((unsigned char)*sc->p) &&
	       !strchr(stop, *sc->p))
		sc->p++;
	t.len = (int)(sc->p - t.s);
	return t;
}

static int add_elem(struct tw_append *a, char *title, struct pv_spec *sp)
{
	struct tw_elem *e = calloc(1, sizeof(*e)), **pp;

	if (e == NULL) {
		free(title);
		pv_spec_free(sp);
		return SV_ENOMEM;
	}
	e->title = title;
	e->spec = sp;
	for (pp = &a->elems; *pp; pp = &(*pp)->next)
		;
	*pp = e;
	return SV_OK;
}

/* Parses the pseudo-variable text pv; its error goes into sc. */
static int parse_spec(struct scan *sc, const str *pv, struct pv_spec **sp)
{
	char why[128];
	int rc = pv_spec_parse(pv, sp, why, sizeof(why));

	if (rc == SV_EINVAL)
		return scan_error(sc, "%s", why);
	return rc;
}

/* Element "[title=]$pv" (sc at '$'); title NULL when not given. */
static int elem_pv(struct scan *sc, struct tw_append *a, char *title)
{
	int n = pv_scan(sc->p, (int)strlen(sc->p));
	struct pv_spec *sp;
	str pv = {(char *)sc->p, n};
	int rc;

	if (n <= 0)
		return scan_error(sc, "bad pseudo-variable");
	rc = parse_spec(sc, &pv, &sp);
	if (rc != SV_OK)
		return rc;
	sc->p += n;
	if (sp->exp->type == PVT_BODY) {
		pv_spec_free(sp);
		if (title)
			return scan_error(sc, "$rb takes no title");
		a->add_body = 1;
		return SV_OK;
	}
	if (title == NULL) {
		pv_spec_free(sp);
		return scan_error(sc, "'%.*s' needs a title (title=%.*s)", n,
		                  pv.s, n, pv.s);
	}
	return add_elem(a, strdup(title), sp);
}

/* The default title of a bracket element: the AVP's name, the header's. */
static char *bracket_title(const struct pv_spec *sp, const str *inner)
{
	char num[24];

	if (sp->exp->type == PVT_AVP && sp->name.type == PV_NAME_INT) {
		pv_itoa(sp->name.n, num);
		return strdup(num);
	}
	if (sp->exp->type == PVT_AVP && sp->name.type == PV_NAME_STR)
		return strndup(sp->name.s.s, (size_t)sp->name.s.len);
	return strndup(inner->s, (size_t)inner->len);
}

/* Element "[title=]type[name]" (sc at '[' after type). */
static int elem_bracket(struct scan *sc, struct tw_append *a, const str *type,
                        const char *title)
{
	char pv[256];
	struct pv_spec *sp;
	str inner, spec;
	int rc;

	sc->p++;
	inner = token(sc, "];");
	if (*sc->p != ']' || inner.len == 0)
		return scan_error(sc, "expected name]");
	sc->p++;
	if (type->len == 3 && strncasecmp(type->s, "msg", 3) == 0) {
		if (inner.len != 4 || strncasecmp(inner.s, "body", 4) != 0)
			return scan_error(sc, "msg[] knows only body");
		a->add_body = 1;
		return SV_OK;
	}
	if (type->len != 3 || (strncasecmp(type->s, "avp", 3) != 0 &&
	                       strncasecmp(type->s, "hdr", 3) != 0))
		return scan_error(sc, "unknown element type '%.*s'", type->len,
		                  type->s);
	spec.s = pv;
	spec.len = snprintf(pv, sizeof(pv), "$%.3s(%.*s)", type->s, inner.len,
	                    inner.s);
	for (rc = 1; rc < 4; rc++)
		pv[rc] = (char)tolower((unsigned char)pv[rc]);
	if (spec.len >= (int)sizeof(pv))
		return scan_error(sc, "name too long");
	rc = parse_spec(sc, &spec, &sp);
	if (rc != SV_OK)
		return rc;
	return add_elem(a, title ? strdup(title) : bracket_title(sp, &inner),
	                sp);
}

/* One element, sc at its first character. */
static int parse_elem(struct scan *sc, struct tw_append *a)
{
	char title[128];
	int has_title = 0;
	str t;

	if (*sc->p == '$')
		return elem_pv(sc, a, NULL);
	t = token(sc, "[=;");
	if (t.len == 0)
		return scan_error(sc, "empty element");
	if (*sc->p == '[')
		return elem_bracket(sc, a, &t, NULL);
	skip_blanks(sc);
	if (*sc->p != '=')
		return scan_error(sc, "expected '=' after title '%.*s'", t.len,
		                  t.s);
	if (t.len >= (int)sizeof(title))
		return scan_error(sc, "title too long");
	snprintf(title, sizeof(title), "%.*s", t.len, t.s);
	has_title = 1;
	sc->p++;
	skip_blanks(sc);
	if (*sc->p == '$')
		return elem_pv(sc, a, has_title ? title : NULL);
	t = token(sc, "[;");
	if (*sc->p != '[' || t.len == 0)
		return scan_error(sc,
		                  "expected a pseudo-variable or type[name]");
	return elem_bracket(sc, a, &t, title);
}

/* "name:" at the start; the name goes into a. */
static int parse_name(struct scan *sc, struct tw_append *a)
{
	str n;

	skip_blanks(sc);
	n = token(sc, ":");
	if (n.len == 0)
		return scan_error(sc, "no list name");
	skip_blanks(sc);
	if (*sc->p != ':')
		return scan_error(sc, "expected ':' after the list name");
	sc->p++;
	a->name = strndup(n.s, (size_t)n.len);
	return a->name ? SV_OK : SV_ENOMEM;
}

int tw_append_parse(const char *s, struct tw_append **out, char *err,
                    int errlen)
{
	struct scan sc = {s, s, err, errlen};
	struct tw_append *a = calloc(1, sizeof(*a));
	int rc;

	if (a == NULL)
		return SV_ENOMEM;
	rc = parse_name(&sc, a);
	skip_blanks(&sc);
	if (rc == SV_OK && *sc.p == '\0')
		rc = scan_error(&sc, "no element");
	while (rc == SV_OK && *sc.p) {
		rc = parse_elem(&sc, a);
		skip_blanks(&sc);
		if (rc != SV_OK || *sc.p == '\0')
			break;
		if (*sc.p != ';')
			rc = scan_error(&sc, "expected ';'");
		sc.p++;
		skip_blanks(&sc);
		if (rc == SV_OK && *sc.p == '\0')
			rc = scan_error(&sc, "empty element after ';'");
	}
	if (rc != SV_OK) {
		tw_append_free(a);
		return rc;
	}
	*out = a;
	return SV_OK;
}

void tw_append_free(struct tw_append *a)
{
	struct tw_elem *e;

	if (a == NULL)
		return;
	while ((e = a->elems) != NULL) {
		a->elems = e->next;
		free(e->title);
		pv_spec_free(e->spec);
		free(e);
	}
	free(a->name);
	free(a);
}

const struct tw_append *tw_append_find(const char *name, int len)
{
	struct tw_append *a;

	for (a = appends; a; a = a->next)
		if ((int)strlen(a->name) == len &&
		    strncasecmp(a->name, name, (size_t)len) == 0)
			return a;
	return NULL;
}

int tw_append_param(int type, void *value)
{
	struct tw_append *a;
	char err[256];
	int rc;

	if (type != PARAM_STR)
		return SV_EINVAL;
	rc = tw_append_parse(value, &a, err, sizeof(err));
	if (rc != SV_OK) {
		LM_ERR("tm: tw_append: %s\n",
		       rc == SV_EINVAL ? err : sv_strerror(rc));
		return SV_EINVAL;
	}
	if (tw_append_find(a->name, (int)strlen(a->name))) {
		LM_ERR("tm: tw_append: list \"%s\" is defined twice\n",
		       a->name);
		tw_append_free(a);
		return SV_EINVAL;
	}
	a->next = appends;
	appends = a;
	return SV_OK;
}

void tw_appends_free(void)
{
	struct tw_append *a;

	while ((a = appends) != NULL) {
		appends = a->next;
		tw_append_free(a);
	}
}

/* ------------------------------------------------------------ fixups -- */

static int fixup_info(struct fixup_ctx *ctx, void **param)
{
	const char *s = *param, *slash = strchr(s, '/');
	int alen = slash ? (int)(slash - s) : (int)strlen(s);
	const struct tw_append *app = NULL;
	struct tw_info *ti;

	if (alen == 0)
		return fixup_error(ctx, "empty action in \"%s\"", s);
	if (slash && slash[1] == '\0')
		return fixup_error(ctx, "empty append name in \"%s\"", s);
	if (slash &&
	    (app = tw_append_find(slash + 1, (int)strlen(slash + 1))) == NULL)
		return fixup_error(ctx, "unknown tw_append list \"%s\"",
		                   slash + 1);
	ti = calloc(1, sizeof(*ti) + (size_t)alen + 1);
	if (ti == NULL)
		return fixup_error(ctx, "out of memory");
	ti->action.s = (char *)(ti + 1);
	ti->action.len = alen;
	memcpy(ti->action.s, s, (size_t)alen);
	ti->app = app;
	*param = ti;
	return SV_OK;
}

int tw_fixup(struct fixup_ctx *ctx, void **param, int idx)
{
	if (idx == 0)
		return fixup_info(ctx, param);
	if (*(const char *)*param == '\0')
		return fixup_error(ctx, "empty path");
	if (ctx->func && strcmp(ctx->func, "t_write_unix") == 0 &&
	    strlen(*param) >= sizeof(((struct sockaddr_un *)0)->sun_path))
		return fixup_error(ctx, "socket path too long");
	return fixup_str(ctx, param, idx);
}

void tw_fixup_free(void **param, int idx)
{
	free(*param);
	*param = NULL;
}

/* ----------------------------------------------------------- printing -- */

/* One line: s then "\n"; "." when dot_if_empty and s is empty. */
static void line(struct outbuf *o, const str *s, int dot_if_empty)
{
	if (s && s->len)
		outbuf_str(o, s);
	else if (dot_if_empty)
		outbuf_put(o, ".", 1);
	outbuf_put(o, "\n", 1);
}

/* What lines 8, 16 and 17 are made of. */
struct tw_dialog {
	str target;  /* line 8 */
	str nexthop; /* line 17, len 0: "." */
	str rr[32];  /* the Record-Route URIs in order */
	int nrr;
	int loose;
};

/* The first Contact URI, else the From URI. */
static str remote_target(struct sip_msg *msg)
{
	str none = {NULL, 0};
	struct contact_body *cb;

	if (msg->contact && parse_contacts(msg) > 0) {
		cb = hdr_contact(msg->contact);
		if (cb && cb->contacts)
			return cb->contacts->uri;
	}
	if (msg->from && parse_from_header(msg) == SV_OK)
		return get_from(msg)->uri;
	return none;
}

static void collect_rr(struct sip_msg *msg, struct tw_dialog *d)
{
	struct hdr_field *h;
	struct rr *r;

	if (msg->record_route == NULL ||
	    parse_rr_headers(msg, HDR_RECORDROUTE_T) < 0)
		return;
	for (h = msg->record_route; h; h = h->sibling)
		for (r = hdr_rr(h); r && d->nrr < 32; r = r->next)
			d->rr[d->nrr++] = r->uri;
	d->loose = rr_is_loose(msg, hdr_rr(msg->record_route)) == 1;
}

static void dialog_of(struct sip_msg *msg, struct tw_dialog *d)
{
	memset(d, 0, sizeof(*d));
	d->target = remote_target(msg);
	collect_rr(msg, d);
	if (d->nrr > 0 && d->loose)
		d->nexthop = d->rr[0];
}

/* Line 16: "<u>,<u>" or ".". */
static void route_line(struct outbuf *o, const struct tw_dialog *d)
{
	int i = (d->nrr > 0 && !d->loose) ? 1 : 0, n = 0;

	for (; i < d->nrr; i++, n++) {
		outbuf_put(o, n ? ",<" : "<", n ? 2 : 1);
		outbuf_str(o, &d->rr[i]);
		outbuf_put(o, ">", 1);
	}
	if (d->nrr > 0 && !d->loose) {
		outbuf_put(o, n ? ",<" : "<", n ? 2 : 1);
		outbuf_str(o, &d->target);
		outbuf_put(o, ">", 1);
		n++;
	}
	if (n == 0)
		outbuf_put(o, ".", 1);
	outbuf_put(o, "\n", 1);
}

/* "title: value\n" for each element that has a value. */
static void append_elems(struct outbuf *o, struct sip_msg *msg,
                         const struct tw_append *a)
{
	const struct tw_elem *e;
	struct pv_value v;
	char num[24];
	str s;

	for (e = a ? a->elems : NULL; e; e = e->next) {
		if (pv_get(msg, e->spec, &v) != SV_OK ||
		    (v.flags & PV_VAL_NULL))
			continue;
		if (v.flags & PV_VAL_STR) {
			s = v.rs;
		} else {
			s.s = num;
			s.len = pv_itoa(v.ri, num);
		}
		outbuf_cstr(o, e->title);
		outbuf_put(o, ": ", 2);
		outbuf_str(o, &s);
		outbuf_put(o, "\n", 1);
	}
}

/* Line 18: the append block. */
static void append_line(struct outbuf *o, struct sip_msg *msg,
                        const struct tw_info *twi)
{
	char hex[32];

	snprintf(hex, sizeof(hex), "P-MsgFlags: %x\n", msg->flags);
	outbuf_cstr(o, hex);
	append_elems(o, msg, twi->app);
	outbuf_put(o, ".\n", 2);
}

/* Lines 2..7: method, R-URI user and host, our socket, R-URI. */
static void request_lines(struct outbuf *o, struct sip_msg *msg)
{
	const struct socket_info *si = msg->rcv.bind_address;
	int uri_ok = parse_sip_msg_uri(msg) == SV_OK;
	str dot = STR_LIT(".");

	line(o, &REQ_LINE(msg).method, 0);
	line(o, uri_ok ? &msg->parsed_uri.user : NULL, 0);
	line(o, uri_ok ? &msg->parsed_uri.host : NULL, 0);
	line(o, si ? &si->address_str : NULL, 0);
	line(o,
	     msg->rcv.dst_port == SIP_DEFAULT_PORT || !si ? &dot
	                                                  : &si->port_str,
	     0);
	line(o, &REQ_LINE(msg).uri, 0);
}

/* Lines 9..14: From, To, Call-ID, tags, CSeq number. */
static void header_lines(struct outbuf *o, struct sip_msg *msg)
{
	struct to_body *f = NULL, *t = NULL;

	if (msg->from && parse_from_header(msg) == SV_OK)
		f = get_from(msg);
	if (msg->to && parse_to_header(msg) == SV_OK)
		t = get_to(msg);
	line(o, f ? &f->body : NULL, 0);
	line(o, t ? &t->body : NULL, 0);
	line(o, msg->callid ? &msg->callid->body : NULL, 0);
	line(o, f ? &f->tag_value : NULL, 0);
	line(o, t ? &t->tag_value : NULL, 0);
	line(o, parse_cseq_header(msg) == SV_OK ? &get_cseq(msg)->number : NULL,
	     0);
}

int tw_print(struct sip_msg *msg, const struct tw_info *twi, unsigned hash,
             unsigned label, char *buf, int size)
{
	struct outbuf o = OUTBUF_INIT(buf, size);
	struct tw_dialog d;
	char id[48];
	int m = msg_method(msg);

	if (!msg_is_request(msg))
		return SV_EBADMSG;
	dialog_of(msg, &d);
	outbuf_cstr(&o, TW_VERSION "\nsip_request.");
	line(&o, &twi->action, 0);
	request_lines(&o, msg);
	line(&o, d.nrr > 0 && !d.loose ? &d.rr[0] : &d.target, 1);
	header_lines(&o, msg);
	snprintf(id, sizeof(id), "%u:%u\n", hash, label);
	outbuf_cstr(&o, id);
	route_line(&o, &d);
	line(&o, &d.nexthop, 1);
	append_line(&o, msg, twi);
	if (m == METHOD_INVITE || m == METHOD_INFO ||
	    (twi->app && twi->app->add_body))
		line(&o, &msg->body, 0);
	else
		outbuf_put(&o, ".\n", 2);
	return outbuf_result(&o);
}

/* ------------------------------------------------------------ sending -- */

static int unix_fd = -1;

int tw_child_init(void)
{
	if (unix_fd >= 0)
		close(unix_fd);
	unix_fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (unix_fd < 0) {
		LM_ERR("tm: cannot create the t_write_unix socket: %s\n",
		       strerror(errno));
		return SV_ERR;
	}
	return SV_OK;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Writes buf[0..len) to non-blocking fd (send() when sock), waiting for
 * room at most until deadline (ms).  Returns SV_OK, SV_ETIMEOUT or
 * SV_ESEND (errno kept).
 */
static int write_all(int fd, int sock, const char *buf, int len,
                     long long deadline)
{
	struct pollfd pfd = {fd, POLLOUT, 0};
	long long left;
	ssize_t n;

	while (len > 0) {
		n = sock ? send(fd, buf, (size_t)len, MSG_NOSIGNAL)
		         : write(fd, buf, (size_t)len);
		if (n > 0) {
			buf += n;
			len -= (int)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
			return SV_ESEND;
		left = deadline - mono_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0)
			return SV_ETIMEOUT;
	}
	return SV_OK;
}

static long long deadline_ms(void)
{
	return mono_ms() + (long long)tm_cfg.unix_tx_timeout * 1000;
}

static int to_fifo(const char *path, const char *buf, int len)
{
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC), rc;

	if (fd < 0) {
		if (errno == ENXIO)
			LM_ERR("tm: t_write_req: nobody is reading FIFO %s\n",
			       path);
		else
			LM_ERR("tm: t_write_req: cannot open FIFO %s: %s\n",
			       path, strerror(errno));
		return SV_ESEND;
	}
	rc = write_all(fd, 0, buf, len, deadline_ms());
	if (rc != SV_OK)
		LM_ERR("tm: t_write_req: writing to %s failed: %s\n", path,
		       rc == SV_ETIMEOUT ? "timeout" : strerror(errno));
	close(fd);
	return rc;
}

static int to_unix(const char *path, const char *buf, int len)
{
	struct sockaddr_un su;
	int rc;

	if (unix_fd < 0 && tw_child_init() != SV_OK)
		return SV_ESEND;
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_UNIX;
	snprintf(su.sun_path, sizeof(su.sun_path), "%s", path);
	if (connect(unix_fd, (struct sockaddr *)&su, sizeof(su)) < 0) {
		LM_ERR("tm: t_write_unix: cannot reach %s: %s\n", path,
		       strerror(errno));
		return SV_ESEND;
	}
	rc = write_all(unix_fd, 1, buf, len, deadline_ms());
	if (rc != SV_OK)
		LM_ERR("tm: t_write_unix: sending to %s failed: %s\n", path,
		       rc == SV_ETIMEOUT ? "timeout" : strerror(errno));
	return rc;
}

/* -------------------------------------------------------- t_write_* -- */

static char tw_buf[SIP_MSG_MAX + 16384];

/*
 * The blind branch (t_write.h); none in a branch route.  A transaction
 * that can take no branch (answered, cancelled) needs none.  Returns
 * SV_OK or the error.
 */
static int blind_branch(struct cell *t, struct sip_msg *msg)
{
	int rc;

	if (tm_ctx.branch_idx)
		return SV_OK;
	rc = tm_add_blind(t, msg);
	if (rc == SV_ENODEST)
		return SV_OK;
	if (rc != SV_OK)
		LM_ERR("tm: %u:%u: t_write: cannot add the blind branch (%s)\n",
		       t->hash, t->label, sv_strerror(rc));
	return rc;
}

int tm_t_write(struct sip_msg *msg, const struct tw_info *twi, const str *path,
               enum tw_kind kind)
{
	const char *f = kind == TW_FIFO ? "t_write_req" : "t_write_unix";
	struct cell *t = tm_ctx.t;
	int n;

	if (t == T_UNDEFINED || t == NULL) {
		LM_ERR("tm: %s: no transaction (call t_newtran() first)\n", f);
		return -1;
	}
	n = tw_print(msg, twi, t->hash, t->label, tw_buf, sizeof(tw_buf));
	if (n < 0) {
		LM_ERR("tm: %s: cannot print the request (%s)\n", f,
		       sv_strerror(n));
		return -1;
	}
	if (blind_branch(t, msg) != SV_OK)
		return -1;
	if (tm_ctx.kr == TM_KR_NONE)
		tm_ctx.kr = TM_KR_FWDED;
	if (kind == TW_FIFO)
		return to_fifo(path->s, tw_buf, n) == SV_OK ? 1 : -1;
	return to_unix(path->s, tw_buf, n) == SV_OK ? 1 : -1;
}

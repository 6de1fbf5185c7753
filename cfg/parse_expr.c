/*
 * parse_expr.c - conditions and values.
 *
 * One grammar serves if/while conditions, assignment right-hand sides and
 * "[ ]" arithmetic, from loosest to tightest binding:
 *
 *   or    := and (('||' | 'or') and)*
 *   and   := not (('&&' | 'and') not)*
 *   not   := ('!' | 'not') not | cmp
 *   cmp   := bits [('==' '!=' '<' '>' '<=' '>=' '=~' '!~') bits]
 *   bits  := '|' over '^' over '&' over ('<<' '>>') over ('+' '-') over
 *            ('*' '/' '%'), all left-associative
 *   unary := '-' unary | '~' unary | primary
 *   primary := '(' or ')' | '[' or ']' | operand
 *   operand := number | string | $pv | ip[/mask] | method | uri | status
 *            | from_uri | to_uri | src_ip | dst_ip | src_port | dst_port
 *            | proto | af | msg:len | myself | null | max_len | udp ...
 *            | name '(' args ')' | route '(' name ')' | bare word
 *
 * A comparison is checked as soon as both sides are known, with OpenSER's
 * rules (ports against numbers, myself only against URIs and addresses
 * with == and != ...), so a wrong one is reported at its operator.  A bare
 * word is a string (method == INVITE, uri =~ sip.example.com).
 */
#include "parse_int.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core_cmds.h"
#include "core/errors.h"

#define MAX_LEN_VALUE 65535 /* "max_len": OpenSER's BUF_SIZE */

static int parse_or(struct cfg_parser *p, struct cfg_expr **out);
static int parse_unary(struct cfg_parser *p, struct cfg_expr **out);

static struct cfg_expr *new_expr(struct cfg_parser *p, enum cfg_expr_kind k,
                                 int op, const struct cfg_pos *pos)
{
	struct cfg_expr *e = parse_alloc(p, sizeof(*e));

	if (e) {
		e->kind = k;
		e->op = op;
		e->pos = *pos;
	}
	return e;
}

static struct cfg_expr *new_operand(struct cfg_parser *p, enum cfg_opd_kind k,
                                    const struct cfg_pos *pos)
{
	struct cfg_expr *e = new_expr(p, EXPR_OPERAND, 0, pos);

	if (e)
		e->u.opd.kind = k;
	return e;
}

static void make_mask(struct ip_addr *mask, unsigned len, int bits)
{
	unsigned i;

	memset(mask, 0, sizeof(*mask));
	mask->len = len;
	for (i = 0; i < len; i++, bits -= 8)
		mask->u.addr[i] = bits >= 8  ? 0xff
		                  : bits > 0 ? (uint8_t)(0xff << (8 - bits))
		                             : 0;
}

static int text_to_ip(const char *s, struct ip_addr *ip)
{
	memset(ip, 0, sizeof(*ip));
	if (inet_pton(AF_INET, s, ip->u.addr) == 1) {
		ip->af = AF_INET;
		ip->len = 4;
		return SV_OK;
	}
	if (inet_pton(AF_INET6, s, ip->u.addr) == 1) {
		ip->af = AF_INET6;
		ip->len = 16;
		return SV_OK;
	}
	return SV_EINVAL;
}

/* "/24" or "/255.255.255.0" after an address. */
static int parse_mask(struct cfg_parser *p, struct cfg_net *net)
{
	struct cfg_token t;
	struct ip_addr m;
	int rc = ps_next(p, NULL), max = (int)net->ip.len * 8;

	if (rc == SV_OK)
		rc = ps_next(p, &t);
	if (rc != SV_OK)
		return rc;
	if (t.type == TK_NUMBER) {
		if (t.num < 0 || t.num > max)
			return cfg_error(&t.pos,
			                 "invalid netmask /%ld (0 to %d bits)",
			                 t.num, max);
		net->bits = (int)t.num;
		make_mask(&net->mask, net->ip.len, net->bits);
		return SV_OK;
	}
	if ((t.type == TK_IPV4 || t.type == TK_IPV6) &&
	    text_to_ip(t.text, &m) == SV_OK && m.af == net->ip.af) {
		net->mask = m;
		net->bits = -1;
		return SV_OK;
	}
	return ps_unexpected(&t, "a netmask (bits or an address of the same "
	                         "family)");
}

static int parse_net(struct cfg_parser *p, const struct cfg_token *t,
                     struct cfg_expr **out)
{
	struct cfg_expr *e = new_operand(p, OPD_NET, &t->pos);
	struct cfg_token *n;
	int rc;

	if (!e)
		return SV_ENOMEM;
	*out = e;
	if (text_to_ip(t->text, &e->u.opd.net.ip) != SV_OK)
		return cfg_error(&t->pos, "invalid IP address '%s'", t->text);
	e->u.opd.net.bits = (int)e->u.opd.net.ip.len * 8;
	make_mask(&e->u.opd.net.mask, e->u.opd.net.ip.len, e->u.opd.net.bits);
	rc = ps_peek(p, 0, &n);
	if (rc == SV_OK && n->type == TK_SLASH)
		rc = parse_mask(p, &e->u.opd.net);
	return rc;
}

/* OpenSER's keyword operands and value words. */
static int keyword_operand(enum cfg_kw kw, enum cfg_opd_kind *k, long *num)
{
	static const struct {
		enum cfg_kw kw;
		enum cfg_opd_kind k;
		long num;
	} map[] = {
	    {KW_METHOD, OPD_METHOD, 0},
	    {KW_URI, OPD_URI, 0},
	    {KW_STATUS, OPD_STATUS, 0},
	    {KW_FROM_URI, OPD_FROM_URI, 0},
	    {KW_TO_URI, OPD_TO_URI, 0},
	    {KW_SRC_IP, OPD_SRC_IP, 0},
	    {KW_DST_IP, OPD_DST_IP, 0},
	    {KW_SRC_PORT, OPD_SRC_PORT, 0},
	    {KW_DST_PORT, OPD_DST_PORT, 0},
	    {KW_PROTO, OPD_PROTO, 0},
	    {KW_AF, OPD_AF, 0},
	    {KW_MYSELF, OPD_MYSELF, 0},
	    {KW_NULL, OPD_NULL, 0},
	    {KW_MAX_LEN, OPD_NUMBER, MAX_LEN_VALUE},
	    {KW_UDP, OPD_NUMBER, PROTO_UDP},
	    {KW_TCP, OPD_NUMBER, PROTO_TCP},
	    {KW_TLS, OPD_NUMBER, PROTO_TLS},
	    {KW_SCTP, OPD_NUMBER, PROTO_SCTP},
	    {KW_INET, OPD_NUMBER, AF_INET},
	    {KW_INET6, OPD_NUMBER, AF_INET6},
	    {KW_YES, OPD_NUMBER, 1},
	    {KW_NO, OPD_NUMBER, 0},
	};
	unsigned i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].kw == kw) {
			*k = map[i].k;
			*num = map[i].num;
			return 1;
		}
	}
	return 0;
}

static int parse_route_expr(struct cfg_parser *p, const struct cfg_token *kw,
                            struct cfg_expr **out)
{
	struct cfg_token t;
	struct cfg_expr *e;
	char num[24];
	int rc = ps_next(p, NULL); /* '(' */

	if (rc == SV_OK)
		rc = ps_next(p, &t);
	if (rc != SV_OK)
		return rc;
	if (t.type != TK_NUMBER && t.type != TK_WORD && t.type != TK_STRING)
		return ps_unexpected(&t, "a route number or name");
	e = new_expr(p, EXPR_ROUTE, 0, &kw->pos);
	if (!e)
		return SV_ENOMEM;
	e->u.route.pos = t.pos;
	snprintf(num, sizeof(num), "%ld", t.num);
	e->u.route.name =
	    t.type == TK_NUMBER ? cfg_strndup(p->a, num, strlen(num)) : t.text;
	*out = e;
	return ps_expect(p, TK_RPAREN, "after the route name", NULL);
}

static int parse_word(struct cfg_parser *p, struct cfg_expr **out)
{
	struct cfg_token *t, *n, tok;
	struct cfg_expr *e;
	enum cfg_opd_kind k;
	long num;
	int rc;

	ps_peek(p, 0, &t);
	rc = ps_peek(p, 1, &n);
	if (rc != SV_OK)
		return rc;
	if (n->type == TK_LPAREN ||
	    (t->kw == KW_NONE && core_cmd_bare_ok(t->text))) {
		ps_next(p, &tok);
		if (tok.kw == KW_ROUTE)
			return parse_route_expr(p, &tok, out);
		if (tok.kw != KW_NONE)
			return ps_unexpected(&tok, "an expression");
		e = new_expr(p, EXPR_CALL, 0, &tok.pos);
		if (!e)
			return SV_ENOMEM;
		*out = e;
		return parse_call(p, &tok, &e->u.call);
	}
	if (keyword_operand(t->kw, &k, &num)) {
		ps_next(p, &tok);
		e = new_operand(p, k, &tok.pos);
		if (!e)
			return SV_ENOMEM;
		e->u.opd.num = num;
		e->u.opd.s.s = tok.text;
		e->u.opd.s.len = tok.text_len;
		*out = e;
		return SV_OK;
	}
	if (t->kw != KW_NONE)
		return ps_unexpected(t, "an expression");
	e = new_operand(p, OPD_STRING, &t->pos);
	if (!e)
		return SV_ENOMEM;
	*out = e;
	rc = ps_word_run(p, &e->u.opd.s.s, &e->pos);
	if (rc == SV_OK)
		e->u.opd.s.len = (int)strlen(e->u.opd.s.s);
	return rc;
}

static int parse_operand(struct cfg_parser *p, struct cfg_expr **out)
{
	struct cfg_token *t, tok;
	struct cfg_expr *e;
	enum cfg_opd_kind k;

	ps_peek(p, 0, &t);
	switch (t->type) {
	case TK_WORD:
		return parse_word(p, out);
	case TK_IPV4:
	case TK_IPV6:
		ps_next(p, &tok);
		return parse_net(p, &tok, out);
	case TK_NUMBER:
		k = OPD_NUMBER;
		break;
	case TK_STRING:
		k = OPD_STRING;
		break;
	case TK_PV:
		k = OPD_PV;
		break;
	case TK_MSGLEN:
		k = OPD_MSGLEN;
		break;
	default:
		return ps_unexpected(t, "an expression");
	}
	ps_next(p, &tok);
	e = new_operand(p, k, &tok.pos);
	if (!e)
		return SV_ENOMEM;
	e->u.opd.num = tok.num;
	e->u.opd.s.s = tok.text;
	e->u.opd.s.len = tok.text_len;
	e->u.opd.pv.text = tok.text;
	e->u.opd.pv.pos = tok.pos;
	*out = e;
	return SV_OK;
}

/* '(' expr ')' or '[' expr ']' (or a bracketed IPv6 address) */
static int parse_group(struct cfg_parser *p, struct cfg_expr **out)
{
	struct cfg_token open, *a, *b, tok;
	enum cfg_tok close;
	int rc;

	ps_peek(p, 0, &a);
	if (a->type == TK_LBRACK && ps_peek(p, 1, &a) == SV_OK &&
	    a->type == TK_IPV6) {
		ps_next(p, &open);
		ps_next(p, &tok);
		rc = ps_peek(p, 0, &b);
		if (rc == SV_OK && b->type == TK_RBRACK) {
			ps_next(p, NULL);
			return parse_net(p, &tok, out);
		}
		return rc == SV_OK ? ps_unexpected(b, "']' after the IPv6 "
		                                      "address")
		                   : rc;
	}
	ps_next(p, &open);
	close = open.type == TK_LPAREN ? TK_RPAREN : TK_RBRACK;
	rc = parse_or(p, out);
	if (rc != SV_OK)
		return rc;
	return ps_expect(p, close,
	                 open.type == TK_LPAREN ? "to close the '('"
	                                        : "to close the '['",
	                 NULL);
}

static int parse_unary_nested(struct cfg_parser *p, struct cfg_expr **out);

/* Every nested group or unary operator passes here: depth bounded. */
static int parse_unary(struct cfg_parser *p, struct cfg_expr **out)
{
	int rc = ps_enter(p);

	if (rc != SV_OK)
		return rc;
	rc = parse_unary_nested(p, out);
	ps_leave(p);
	return rc;
}

static int parse_unary_nested(struct cfg_parser *p, struct cfg_expr **out)
{
	struct cfg_token *t, tok;
	struct cfg_expr *e;
	int rc = ps_peek(p, 0, &t);

	if (rc != SV_OK)
		return rc;
	if (t->type == TK_LPAREN || t->type == TK_LBRACK)
		return parse_group(p, out);
	if (t->type != TK_MINUS && t->type != TK_BNOT)
		return parse_operand(p, out);
	ps_next(p, &tok);
	rc = parse_unary(p, out);
	if (rc != SV_OK)
		return rc;
	if (tok.type == TK_MINUS && (*out)->kind == EXPR_OPERAND &&
	    (*out)->u.opd.kind == OPD_NUMBER) {
		/* wraps like the interpreter's arithmetic (-LONG_MIN) */
		(*out)->u.opd.num =
		    (long)(0UL - (unsigned long)(*out)->u.opd.num);
		(*out)->pos = tok.pos;
		return SV_OK;
	}
	e = new_expr(p, tok.type == TK_MINUS ? EXPR_NEG : EXPR_BNOT, tok.type,
	             &tok.pos);
	if (!e)
		return SV_ENOMEM;
	e->u.bin.l = *out;
	*out = e;
	return SV_OK;
}

/* Binary arithmetic levels, loosest first. */
static const enum cfg_tok levels[][3] = {
    {TK_BOR},
    {TK_BXOR},
    {TK_BAND},
    {TK_LSHIFT, TK_RSHIFT},
    {TK_PLUS, TK_MINUS},
    {TK_STAR, TK_SLASH, TK_PERCENT},
};
#define NLEVELS ((int)(sizeof(levels) / sizeof(levels[0])))

static int in_level(int level, enum cfg_tok t)
{
	int i;

	for (i = 0; i < 3; i++)
		if (levels[level][i] == t && t != TK_EOF)
			return 1;
	return 0;
}

static int parse_bits(struct cfg_parser *p, int level, struct cfg_expr **out)
{
	struct cfg_token *t, op;
	struct cfg_expr *e, *r;
	int rc;

	if (level == NLEVELS)
		return parse_unary(p, out);
	rc = parse_bits(p, level + 1, out);
	while (rc == SV_OK && ps_peek(p, 0, &t) == SV_OK &&
	       in_level(level, t->type)) {
		ps_next(p, &op);
		rc = parse_bits(p, level + 1, &r);
		if (rc != SV_OK)
			return rc;
		e = new_expr(p, EXPR_ARITH, op.type, &op.pos);
		if (!e)
			return SV_ENOMEM;
		e->u.bin.l = *out;
		e->u.bin.r = r;
		*out = e;
	}
	return rc;
}

static int is_cmp(enum cfg_tok t)
{
	return t == TK_EQ || t == TK_NE || t == TK_LT || t == TK_GT ||
	       t == TK_LE || t == TK_GE || t == TK_MATCH || t == TK_NOMATCH;
}

static enum cfg_opd_kind opd_kind(const struct cfg_expr *e)
{
	return e->kind == EXPR_OPERAND ? e->u.opd.kind : 0;
}

static int is_uri_kind(enum cfg_opd_kind k)
{
	return k == OPD_URI || k == OPD_FROM_URI || k == OPD_TO_URI;
}

static int is_ip_kind(enum cfg_opd_kind k)
{
	return k == OPD_SRC_IP || k == OPD_DST_IP;
}

static int is_num_kind(enum cfg_opd_kind k)
{
	return k == OPD_SRC_PORT || k == OPD_DST_PORT || k == OPD_MSGLEN ||
	       k == OPD_AF || k == OPD_PROTO;
}

/* A string that is an IP address, compared with src_ip/dst_ip ==. */
static void string_to_net(struct cfg_expr *r)
{
	struct cfg_net net;

	if (opd_kind(r) != OPD_STRING || text_to_ip(r->u.opd.s.s, &net.ip))
		return;
	net.bits = (int)net.ip.len * 8;
	make_mask(&net.mask, net.ip.len, net.bits);
	r->u.opd.kind = OPD_NET;
	r->u.opd.net = net;
}

static int check_left(const struct cfg_expr *e, const struct cfg_expr *l,
                      const struct cfg_expr *r)
{
	enum cfg_opd_kind lk = opd_kind(l), rk = opd_kind(r);
	int eq = e->op == TK_EQ || e->op == TK_NE;
	const char *name = l->u.opd.s.s;

	if (lk == OPD_METHOD && rk != OPD_STRING && rk != OPD_PV)
		return cfg_error(&r->pos, "'method' can only be compared with "
		                          "a string");
	if ((is_uri_kind(lk) || lk == OPD_STATUS) && rk != OPD_STRING &&
	    rk != OPD_PV && rk != OPD_MYSELF &&
	    !(lk == OPD_STATUS && rk == OPD_NUMBER))
		return cfg_error(&r->pos,
		                 "'%s' can only be compared with a "
		                 "string or myself",
		                 name);
	if (is_ip_kind(lk) && rk != OPD_NET && rk != OPD_STRING &&
	    rk != OPD_PV && rk != OPD_MYSELF)
		return cfg_error(&r->pos,
		                 "'%s' can only be compared with an "
		                 "address, a network, a string or myself",
		                 name);
	if (is_ip_kind(lk) && rk == OPD_NET && !eq)
		return cfg_error(&e->pos, "an address can only be compared "
		                          "with '==' or '!='");
	if (is_num_kind(lk) && rk != OPD_NUMBER && rk != OPD_PV)
		return cfg_error(
		    &r->pos, "'%s' can only be compared with a number", name);
	return SV_OK;
}

static int check_cmp(struct cfg_expr *e)
{
	struct cfg_expr *l = e->u.bin.l, *r = e->u.bin.r;
	enum cfg_opd_kind lk = opd_kind(l), rk = opd_kind(r);
	int eq = e->op == TK_EQ || e->op == TK_NE;
	int match = e->op == TK_MATCH || e->op == TK_NOMATCH;

	if (lk == OPD_MYSELF && rk != OPD_MYSELF) { /* myself == uri */
		e->u.bin.l = r;
		e->u.bin.r = l;
		return check_cmp(e);
	}
	if (rk == OPD_MYSELF &&
	    (!eq || !(is_uri_kind(lk) || is_ip_kind(lk) || lk == OPD_PV)))
		return cfg_error(&r->pos,
		                 "myself can only be compared with "
		                 "uri, from_uri, to_uri, src_ip or dst_ip, "
		                 "using '==' or '!='");
	if (rk == OPD_NULL && (!eq || lk != OPD_PV))
		return cfg_error(&r->pos,
		                 "null can only be compared with a "
		                 "pseudo-variable, using '==' or '!='");
	if (match && rk != OPD_STRING && rk != OPD_PV)
		return cfg_error(&r->pos,
		                 "the right side of '%s' must be a "
		                 "regular expression in a string",
		                 e->op == TK_MATCH ? "=~" : "!~");
	if (match && is_num_kind(lk))
		return cfg_error(&e->pos,
		                 "'%s' is a number and cannot be "
		                 "matched against a regular expression",
		                 l->u.opd.s.s);
	if (is_ip_kind(lk) && eq)
		string_to_net(r);
	return check_left(e, l, r);
}

static int parse_cmp(struct cfg_parser *p, struct cfg_expr **out)
{
	struct cfg_token *t, op;
	struct cfg_expr *e, *r;
	int rc = parse_bits(p, 0, out);

	if (rc == SV_OK)
		rc = ps_peek(p, 0, &t);
	if (rc != SV_OK)
		return rc;
	if (t->type == TK_ASSIGN)
		return cfg_error(&t->pos, "'=' in a condition: use '==' to "
		                          "compare");
	if (!is_cmp(t->type))
		return SV_OK;
	ps_next(p, &op);
	rc = parse_bits(p, 0, &r);
	if (rc != SV_OK)
		return rc;
	e = new_expr(p, EXPR_CMP, op.type, &op.pos);
	if (!e)
		return SV_ENOMEM;
	e->u.bin.l = *out;
	e->u.bin.r = r;
	*out = e;
	rc = check_cmp(e);
	if (rc == SV_OK && ps_peek(p, 0, &t) == SV_OK && is_cmp(t->type))
		return cfg_error(&t->pos, "comparisons cannot be chained: use "
		                          "'&&' or '||'");
	return rc;
}

static int parse_not(struct cfg_parser *p, struct cfg_expr **out)
{
	struct cfg_token *t, op;
	struct cfg_expr *e;
	int rc = ps_peek(p, 0, &t);

	if (rc != SV_OK)
		return rc;
	if (t->type != TK_NOT)
		return parse_cmp(p, out);
	ps_next(p, &op);
	e = new_expr(p, EXPR_NOT, TK_NOT, &op.pos);
	if (!e)
		return SV_ENOMEM;
	*out = e;
	rc = ps_enter(p);
	if (rc != SV_OK)
		return rc;
	rc = parse_not(p, &e->u.bin.l);
	ps_leave(p);
	return rc;
}

/* A left-associative chain of one logical operator. */
static int parse_logic(struct cfg_parser *p, enum cfg_tok op_type,
                       int (*sub)(struct cfg_parser *, struct cfg_expr **),
                       struct cfg_expr **out)
{
	struct cfg_token *t, op;
	struct cfg_expr *e, *r;
	int rc = sub(p, out);

	while (rc == SV_OK && ps_peek(p, 0, &t) == SV_OK &&
	       t->type == op_type) {
		ps_next(p, &op);
		rc = sub(p, &r);
		if (rc != SV_OK)
			return rc;
		e = new_expr(p, op_type == TK_AND ? EXPR_AND : EXPR_OR, op_type,
		             &op.pos);
		if (!e)
			return SV_ENOMEM;
		e->u.bin.l = *out;
		e->u.bin.r = r;
		*out = e;
	}
	return rc;
}

static int parse_and(struct cfg_parser *p, struct cfg_expr **out)
{
	return parse_logic(p, TK_AND, parse_not, out);
}

static int parse_or(struct cfg_parser *p, struct cfg_expr **out)
{
	return parse_logic(p, TK_OR, parse_and, out);
}

int parse_expr(struct cfg_parser *p, struct cfg_expr **out)
{
	*out = NULL;
	return parse_or(p, out);
}

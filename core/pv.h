/*
 * pv.h - pseudo-variables: the name registry, spec parsing, format strings.
 *
 * A pseudo-variable ($ru, $avp(s:name), $hdr(Via[1]), $T_reply_code ...)
 * is named in the script and in module parameters.  The core exports a
 * table of its own (core/pv_core.c); each module may export more through
 * module_exports.pvs, registered when the module is loaded.  Names are
 * unique across the core and all modules.
 *
 * Spec syntax, all OpenSER forms:
 *
 *   $name                   $ru, $T_reply_code, $err.rcode
 *   $name(inner)            $var(x), $avp(s:name), $avp(i:24), $hdr(Via)
 *   $name(inner[idx])       OpenSER 1.2 index: $hdr(Via[1]), $avp(s:x[*])
 *   $(name(inner)[idx])     OpenSER 1.3 index: $(hdr(Via)[1]), $(avp(x)[-1])
 *
 * where idx is an integer (negative counts from the end) or '*' (all).
 * Transformations ($(x{s.len})) are not supported and are refused.
 *
 * Parsing happens once, in the master, while the script is fixed up; the
 * result (struct pv_spec) is what the getters receive.  A format
 * string ("Invalid user - $fU") is split into literal and spec parts.
 *
 * Memory: specs and formats are malloc'ed and owned by whoever asked for
 * them (pv_spec_free / pv_format_free).  The registry keeps pointers to
 * the exporting tables, which must outlive the registration (module tables
 * live until the module is unloaded, which unregisters them first).
 */
#ifndef SERVAL_CORE_PV_H
#define SERVAL_CORE_PV_H

#include "str.h"

struct sip_msg;
struct pv_spec;

/* A value read from or written to a pseudo-variable. */
#define PV_VAL_NULL 0x01 /* no value ($avp that does not exist) */
#define PV_VAL_STR  0x02 /* rs is valid */
#define PV_VAL_INT  0x04 /* ri is valid (a number may have both) */

struct pv_value {
	unsigned flags;
	str rs;
	long ri;
};

/* How a setter combines the new value with the old ones. */
#define PV_OP_SET     0 /* "=": add (AVP) or replace (others) */
#define PV_OP_REPLACE 1 /* ":=": replace every value (AVP) */

/*
 * Getter: fills *res for msg.  Returns SV_OK, or a negative code (the value
 * is then treated as null by the script).  The core ones are core/pv_*.c.
 */
typedef int (*pv_getter)(struct sip_msg *msg, const struct pv_spec *sp,
                         struct pv_value *res);

/*
 * Setter: applies op with val (NULL val: "= null", delete/reset).
 * Returns SV_OK or a negative code.
 */
typedef int (*pv_setter)(struct sip_msg *msg, const struct pv_spec *sp, int op,
                         const struct pv_value *val);

/*
 * Parses the part inside the parentheses (without any index) into
 * sp->name.  Returns SV_OK, or SV_EINVAL after writing why into err.
 */
typedef int (*pv_name_parser)(struct pv_spec *sp, const str *inner, char *err,
                              int errlen);

/* pv_export flags */
#define PV_WRITABLE  0x01 /* may be assigned in the script */
#define PV_INDEXABLE 0x02 /* accepts [idx] */

struct pv_export {
	const char *name; /* without '$' and parentheses: "avp" */
	int type;         /* PVT_* of the core, or module's own id */
	unsigned flags;   /* PV_WRITABLE | PV_INDEXABLE */
	pv_name_parser
	    parse_name; /* non-NULL: "(inner)" required, else refused */
	pv_getter get;  /* NULL: reads as null (pv_get returns SV_EINVAL) */
	pv_setter set;
};

/* What was inside the parentheses. */
#define PV_NAME_NONE 0
#define PV_NAME_STR  1 /* name.s */
#define PV_NAME_INT  2 /* name.n ($avp(i:24)) */

struct pv_name {
	int type;
	str s; /* owned copy (NUL terminated) */
	long n;
};

#define PV_IDX_NONE 0
#define PV_IDX_INT  1 /* idx holds it; negative counts from the end */
#define PV_IDX_ALL  2 /* [*] */

struct pv_spec {
	const struct pv_export *exp;
	struct pv_name name;
	int idx_type;
	int idx;
	str text; /* the spec as written, owned copy (for messages) */
};

/*
 * Registers one export under owner (a module name).  Returns SV_OK,
 * SV_EEXIST when the name is taken (err names the owner), SV_EINVAL for a
 * malformed export, SV_ENOMEM.  Master only.
 */
int pv_register(const struct pv_export *exp, const char *owner, char *err,
                int errlen);

/*
 * Registers a NULL-name-terminated table; all or nothing.  Returns as
 * pv_register().
 */
int pv_register_table(const struct pv_export *tab, const char *owner, char *err,
                      int errlen);

/* Removes every export registered by owner. */
void pv_unregister_owner(const char *owner);

/* Returns the export named name (len bytes, no '$'), or NULL. */
const struct pv_export *pv_lookup(const char *name, int len);

/*
 * Returns how many bytes of s (len bytes, s[0] == '$') make up one
 * pseudo-variable: "$ru" in "$ru;", "$avp(s:x)" in "$avp(s:x)==1",
 * "$(hdr(A)[1])".  A dotted name is cut back to its longest registered
 * prefix ("$fU." -> "$fU").  Returns 0 when s does not start a
 * pseudo-variable ("$5", "$ "), -1 when a parenthesis is not closed on the
 * same line.
 */
int pv_scan(const char *s, int len);

/*
 * Parses the whole of in as one spec.  On success *out is a new spec owned
 * by the caller and SV_OK is returned; otherwise SV_EINVAL with the reason
 * in err ("unknown pseudo-variable '$foo'"), or SV_ENOMEM.
 */
int pv_spec_parse(const str *in, struct pv_spec **out, char *err, int errlen);

/* Frees a spec (NULL is fine). */
void pv_spec_free(struct pv_spec *sp);

/* Returns 1 when the spec may be assigned to. */
static inline int pv_is_writable(const struct pv_spec *sp)
{
	return (sp->exp->flags & PV_WRITABLE) != 0;
}

/* One piece of a format string: literal text, or a pseudo-variable. */
struct pv_format_part {
	str text; /* literal (spec == NULL) or the spec's text */
	struct pv_spec *spec;
};

struct pv_format {
	str whole;  /* owned copy of the format */
	int has_pv; /* 0: whole is the constant result */
	int n;
	struct pv_format_part parts[];
};

/*
 * Splits in into literal and pseudo-variable parts.  A '$' that does not
 * start a pseudo-variable stays literal.  On success *out is owned by the
 * caller (pv_format_free) and SV_OK is returned; otherwise SV_EINVAL with
 * the reason in err and the byte offset of the bad part in *err_off, or
 * SV_ENOMEM.
 */
int pv_format_parse(const str *in, struct pv_format **out, int *err_off,
                    char *err, int errlen);

/* Frees a format and its specs (NULL is fine). */
void pv_format_free(struct pv_format *f);

/*
 * Reads the value of sp for msg into *val (strings point into the message
 * or a per-process buffer valid until the next pv_get of the same kind).
 * Returns SV_OK (val->flags says NULL/STR/INT) or an error code.
 */
int pv_get(struct sip_msg *msg, const struct pv_spec *sp,
           struct pv_value *val);

/*
 * Assigns val to sp (op: PV_OP_SET or PV_OP_REPLACE; val NULL or flagged
 * PV_VAL_NULL deletes/resets).  Returns SV_OK, SV_EINVAL (not writable or
 * bad value), SV_ENOMEM.
 */
int pv_set(struct sip_msg *msg, const struct pv_spec *sp, int op,
           const struct pv_value *val);

/*
 * Prints format f for msg into buf (capacity size): literal parts as they
 * are, each pseudo-variable as its string value ("<null>" when it has
 * none, as OpenSER printed).  *out gets the result (buf, or f->whole when
 * there is no pseudo-variable).  Returns SV_OK or SV_ETOOBIG.
 */
int pv_format_print(struct sip_msg *msg, const struct pv_format *f, char *buf,
                    int size, str *out);

/*
 * Writes n in decimal into buf (at least 24 bytes, NUL terminated);
 * returns the length.  No locale, no printf.
 */
int pv_itoa(long n, char *buf);

/*
 * Reads a value as an integer: its INT part, or a string that is a decimal
 * number with an optional sign.  Returns SV_OK, or SV_EINVAL (null, or
 * text that is not a number).
 */
int pv_value_to_int(const struct pv_value *v, long *n);

#endif /* SERVAL_CORE_PV_H */

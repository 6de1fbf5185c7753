/*
 * md5.h - MD5 (RFC 1321), used for deterministic identifiers: the
 * stateless to-tag signature, the stateless Via branch and tm's optional
 * non-synonym branch.  Not used for anything security related.
 */
#ifndef SERVAL_CORE_MD5_H
#define SERVAL_CORE_MD5_H

#include <stddef.h>
#include <stdint.h>

#include "str.h"

struct md5_ctx {
	uint32_t state[4];
	uint64_t bytes;        /* total length fed so far */
	unsigned char buf[64]; /* pending partial block */
};

void md5_init(struct md5_ctx *c);
void md5_update(struct md5_ctx *c, const void *data, size_t len);
/* Writes the 16-byte digest; the context must be re-initialised to reuse. */
void md5_final(struct md5_ctx *c, unsigned char digest[16]);

/*
 * Hashes the concatenation of n strings and writes 32 lowercase hex
 * digits (no NUL) into hex.
 */
void md5_hex_strs(char hex[32], const str *parts, int n);

#endif /* SERVAL_CORE_MD5_H */

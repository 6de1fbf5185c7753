/*
 * sl_tag.c - stateless to-tags (see sl_tag.h).
 *
 * The signature lives in a per-process static buffer: it depends only on
 * the listen sockets, which every process inherits unchanged, so no shared
 * memory and no lock are needed.  The suffix is recomputed for each reply
 * and each ACK checked, so its hash is made for speed: eight bytes at a
 * time, a multiply and a shift each (some sixty instructions for a usual
 * Via, where a nibble-wise CRC-16 took seven hundred).  It reads the bytes
 * in host order: tags only need to agree between the processes of one
 * server, never across machines.
 */
#include "sl_tag.h"

#include <string.h>

#include "core/errors.h"
#include "core/md5.h"
#include "core/socket.h"
#include "core/parser/msg.h"
#include "core/parser/via.h"

static char sig[SL_TAG_SIG_LEN];
static int sig_ready;

static const char hex_digits[] = "0123456789abcdef";

#define HASH_MUL 0x9e3779b97f4a7c15ULL /* 2^64 / golden ratio, odd */

static uint64_t hash_mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * HASH_MUL;
	return h ^ (h >> 29);
}

/*
 * One string into h: whole words, then the tail as one word made of
 * (overlapping) loads that stay inside the string, then the length.
 */
static uint64_t hash_part(uint64_t h, const str *part)
{
	const unsigned char *p = (const unsigned char *)part->s;
	int n = part->len;
	uint64_t w;

	for (; n > 8; n -= 8, p += 8) {
		memcpy(&w, p, 8);
		h = hash_mix(h, w);
	}
	if (n == 8) {
		memcpy(&w, p, 8);
	} else if (n >= 4) {
		uint32_t a, b;

		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else if (n > 0) {
		w = (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1];
	} else {
		w = 0;
	}
	h = hash_mix(h, w);
	/* the length ends the part: "a" + "bc" and "ab" + "c" differ */
	return hash_mix(h, (uint64_t)part->len + 1);
}

uint32_t sl_hash32(const str *parts, int n)
{
	uint64_t h = SL_HASH_SEED;
	int i;

	for (i = 0; i < n; i++)
		h = hash_part(h, &parts[i]);
	h *= HASH_MUL;
	return (uint32_t)(h >> 32);
}

void sl_tag_init(const str *addr, const str *port)
{
	str parts[3] = {STR_LIT(SL_TAG_SEED), *addr, *port};

	md5_hex_strs(sig, parts, 3);
	sig_ready = 1;
}

void sl_tag_init_listen(void)
{
	str none = STR_NULL;

	if (listen_list != NULL)
		sl_tag_init(&listen_list->address_str, &listen_list->port_str);
	else
		sl_tag_init(&none, &none);
}

int sl_tag_ready(void)
{
	return sig_ready;
}

/* Writes the hex digits of the suffix for msg's top Via into out. */
static void tag_suffix(struct sip_msg *msg, char *out)
{
	str parts[3] = {STR_NULL, STR_NULL, STR_NULL};
	struct via_body *v;
	uint32_t h;
	int i;

	if (parse_via1(msg) == SV_OK) {
		v = msg->via1;
		parts[0] = v->host;
		parts[1] = v->port_str;
		if (v->branch != NULL)
			parts[2] = v->branch->body;
	}
	h = sl_hash32(parts, 3);
	for (i = SL_TAG_SUFFIX_LEN - 1; i >= 0; i--, h >>= 4)
		out[i] = hex_digits[h & 15];
}

int sl_tag_make(struct sip_msg *msg, char *out)
{
	if (!sig_ready)
		sl_tag_init_listen();
	memcpy(out, sig, SL_TAG_SIG_LEN);
	out[SL_TAG_SIG_LEN] = SL_TAG_SEP;
	tag_suffix(msg, out + SL_TAG_SIG_LEN + 1);
	return SL_TAG_LEN;
}

int sl_tag_is_ours(struct sip_msg *msg, const str *tag)
{
	char suffix[SL_TAG_SUFFIX_LEN];

	if (tag->len != SL_TAG_LEN)
		return 0;
	if (!sig_ready)
		sl_tag_init_listen();
	if (tag->s[SL_TAG_SIG_LEN] != SL_TAG_SEP ||
	    memcmp(tag->s, sig, SL_TAG_SIG_LEN) != 0)
		return 0;
	tag_suffix(msg, suffix);
	return !memcmp(suffix, tag->s + SL_TAG_SIG_LEN + 1, SL_TAG_SUFFIX_LEN);
}

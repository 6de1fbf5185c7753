/*
 * sl_tag.c - stateless to-tags (see sl_tag.h).
 *
 * The signature lives in a per-process static buffer: it depends only on
 * the listen sockets, which every process inherits unchanged, so no shared
 * memory and no lock are needed.  The suffix is recomputed for each reply
 * and each ACK checked; it costs one pass of a table-driven CRC over some
 * sixty bytes.
 *
 * The CRC works a nibble at a time with a 16-entry table: a quarter of the
 * work of the bitwise form, and a table small enough to write down rather
 * than generate at start-up.  Separators go between the Via parts so that
 * "a" + "bc" and "ab" + "c" do not hash alike.
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

/* crc_tab[i] is the CRC register after shifting the nibble i out. */
static const uint16_t crc_tab[16] = {
    0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
    0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef,
};

uint16_t sl_crc16(uint16_t crc, const str *parts, int n)
{
	const unsigned char *p, *end;
	int i;

	for (i = 0; i < n; i++) {
		p = (const unsigned char *)parts[i].s;
		end = p + parts[i].len;
		for (; p < end; p++) {
			crc = (uint16_t)(crc << 4) ^
			      crc_tab[(crc >> 12) ^ (*p >> 4)];
			crc = (uint16_t)(crc << 4) ^
			      crc_tab[(crc >> 12) ^ (*p & 15)];
		}
	}
	return crc;
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

/* Writes the 4 hex digits of the suffix for msg's top Via into out. */
static void tag_suffix(struct sip_msg *msg, char *out)
{
	str parts[5] = {STR_NULL, STR_LIT(":"), STR_NULL, STR_LIT(";"),
	                STR_NULL};
	struct via_body *v;
	uint16_t crc;
	int i;

	if (parse_via1(msg) == SV_OK) {
		v = msg->via1;
		parts[0] = v->host;
		parts[2] = v->port_str;
		if (v->branch != NULL)
			parts[4] = v->branch->body;
	}
	crc = sl_crc16(SL_CRC16_INIT, parts, 5);
	for (i = SL_TAG_SUFFIX_LEN - 1; i >= 0; i--, crc >>= 4)
		out[i] = hex_digits[crc & 15];
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

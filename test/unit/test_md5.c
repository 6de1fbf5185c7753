/*
 * test_md5.c - MD5 against the RFC 1321 test suite (appendix A.5), split
 * updates, and the multi-string helper.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/md5.h"

static void hex_of(const char *in, size_t len, char out[33])
{
	str s = { (char *)in, (int)len };

	md5_hex_strs(out, &s, 1);
	out[32] = '\0';
}

static void test_rfc1321_suite(void **state)
{
	static const struct { const char *in, *out; } v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz",
		  "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890123456789012345678901234"
		  "5678901234567890", "57edf4a22be3c955ac49da2e2107b67a" },
	};
	char hex[33];
	unsigned i;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		hex_of(v[i].in, strlen(v[i].in), hex);
		assert_string_equal(hex, v[i].out);
	}
}

static void test_split_updates(void **state)
{
	char big[1000], hex1[33], hex2[33];
	str parts[3];
	unsigned i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7 + 3);
	hex_of(big, sizeof(big), hex1);
	parts[0] = (str){ big, 1 };
	parts[1] = (str){ big + 1, 63 };
	parts[2] = (str){ big + 64, 936 };
	md5_hex_strs(hex2, parts, 3);
	hex2[32] = '\0';
	assert_string_equal(hex1, hex2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1321_suite),
		cmocka_unit_test(test_split_updates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

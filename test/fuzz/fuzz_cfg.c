/*
 * fuzz_cfg.c - libFuzzer target: any bytes given as a routing script must
 * either load and fix up, or be refused with one error, never crash or
 * leak (ASan/UBSan).
 *
 * Inputs that would reach outside the process are skipped: loadmodule
 * (dlopen of arbitrary paths), include_file/import_file (reading files),
 * listen/alias (kept in the socket layer's process-wide lists, which
 * would grow for the whole run).  Every other construct is exercised,
 * through cfg_load_buffer() and cfg_fixup_all() with the core's
 * functions and pseudo-variables.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cfg/cfg.h"
#include "core/config.h"
#include "core/log.h"
#include "core/script_var.h"

static const char *const skipped[] = { "loadmodule", "include_file",
	                               "import_file", "listen", "alias" };

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(L_ALERT - 1); /* refused scripts are the common case */
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_script *s = NULL;
	unsigned i;

	for (i = 0; i < sizeof(skipped) / sizeof(skipped[0]); i++)
		if (memmem(data, size, skipped[i], strlen(skipped[i])))
			return 0;
	if (cfg_load_buffer("fuzz.cfg", (const char *)data, size, &s) == 0)
		cfg_fixup_all(s);
	cfg_free(s);
	core_config_reset();
	script_vars_free(); /* $var names the script interned */
	return 0;
}

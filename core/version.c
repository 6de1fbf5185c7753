/*
 * version.c - serval -V output.
 */
#include "version.h"

void version_print(FILE *out)
{
	fprintf(out, "%s\n", SERVAL_FULL_VERSION);
	fprintf(out, "flags: %s\n", SERVAL_BUILD_FLAGS);
	fprintf(out, "compiled with %s on %s %s\n",
#if defined(__clang__)
	        "clang " __clang_version__,
#elif defined(__GNUC__)
	        "gcc " __VERSION__,
#else
	        "an unknown compiler",
#endif
	        __DATE__, __TIME__);
}

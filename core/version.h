/*
 * version.h - the version and build description of this binary.
 * SERVAL_VERSION, SERVAL_ARCH, SERVAL_OS and SERVAL_BUILD_FLAGS come from
 * the Makefile.
 */
#ifndef SERVAL_CORE_VERSION_H
#define SERVAL_CORE_VERSION_H

#include <stdio.h>

/* "serval 0.1.0 (x86_64/linux)" */
#define SERVAL_FULL_VERSION \
	"serval " SERVAL_VERSION " (" SERVAL_ARCH "/" SERVAL_OS ")"

/* Prints the version line and the build flags (serval -V). */
void version_print(FILE *out);

#endif /* SERVAL_CORE_VERSION_H */

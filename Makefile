# serval - top-level Makefile (GNU make, no autotools).
#
#   make            build ./serval, ./servalctl and modules/<name>/<name>.so
#   make run        build, then run serval in the foreground on 127.0.0.1:5060
#   make test       unit + integration tests; last line "N passed, N failed"
#   make asan-test  the same tests, everything built with ASan + UBSan
#   make fuzz       libFuzzer targets (clang) in build/fuzz/
#   make bench      benchmarks (bench/), never part of the tests
#   make install    PREFIX=/usr/local DESTDIR=
#
# Flavours: BUILD=release (default) puts the binaries at the top of the tree
# (./serval, modules/<m>/<m>.so, as OpenSER's tree did); BUILD=asan and
# BUILD=fuzz keep everything under build/<flavour>/.  Sources are found by
# wildcard: a new .c file in a listed folder, a new module folder or a new
# test/unit/test_*.c needs no Makefile edit.

VERSION := 0.1.0
PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= release

ifeq ($(BUILD),release)
  OUT := build/release
  BIN_DIR := .
  OPT := -O2
  SAN :=
else ifeq ($(BUILD),asan)
  OUT := build/asan
  BIN_DIR := $(OUT)
  OPT := -O1
  SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
         -fno-omit-frame-pointer
else ifeq ($(BUILD),fuzz)
  CC := clang
  OUT := build/fuzz
  BIN_DIR := $(OUT)
  OPT := -O1
  SAN := -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer \
         -fno-sanitize-recover=undefined
else
  $(error BUILD must be release, asan or fuzz)
endif

# V=1 shows the full commands
ifeq ($(V),1)
  Q :=
  say := @true
else
  Q := @
  say := @printf '  %-6s %s\n'
endif

ARCH := $(shell uname -m)
OS := $(shell uname -s | tr A-Z a-z)
BUILD_FLAGS := SHM_TLSF FUTEX_LOCK TIMER_WHEEL_MS USE_UDP $(BUILD)

WARN := -Wall -Wextra -Werror -Wno-unused-parameter
CPPFLAGS += -I. -D_GNU_SOURCE -DSERVAL_VERSION='"$(VERSION)"' \
            -DSERVAL_ARCH='"$(ARCH)"' -DSERVAL_OS='"$(OS)"' \
            -DSERVAL_BUILD_FLAGS='"$(BUILD_FLAGS)"' \
            -DSERVAL_DEFAULT_MPATH='"$(PREFIX)/lib/serval/modules/"'
CFLAGS += -std=gnu11 -g $(OPT) $(WARN) $(SAN) -pthread -MMD -MP
LDFLAGS += $(SAN) -pthread
LIBS := -ldl -lm

# ---------------------------------------------------------------- sources --
LIB_DIRS := core core/parser shm timer cfg mi
MAIN_SRC := core/main.c
LIB_SRCS := $(filter-out $(MAIN_SRC),$(wildcard $(addsuffix /*.c,$(LIB_DIRS))))
LIB_OBJS := $(LIB_SRCS:%.c=$(OUT)/obj/%.o)
LIB_A := $(OUT)/libserval.a
SERVAL := $(if $(wildcard $(MAIN_SRC)),$(BIN_DIR)/serval)

MODULES := $(sort $(patsubst modules/%/,%,$(dir $(wildcard modules/*/*.c))))
MOD_SOS := $(foreach m,$(MODULES),$(BIN_DIR)/modules/$(m)/$(m).so)
# a module folder may hold module.mk setting LIBS_<name> (extra -l flags)
-include $(wildcard modules/*/module.mk)

CTL_SRCS := $(wildcard utils/servalctl/*.c)
SERVALCTL := $(if $(CTL_SRCS),$(BIN_DIR)/servalctl)

UNIT_SRCS := $(wildcard test/unit/test_*.c)
UNIT_NAMES := $(UNIT_SRCS:test/unit/%.c=%)
UNIT_BINS := $(UNIT_NAMES:%=$(OUT)/test/unit/%)
UNIT_SUPPORT := $(wildcard test/unit/support/*.c)

BENCH_SRCS := $(wildcard bench/*.c)
BENCH_BINS := $(BENCH_SRCS:bench/%.c=$(OUT)/bench/%)

FUZZ_SRCS := $(wildcard test/fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRCS:test/fuzz/%.c=build/fuzz/%)

.PHONY: all run test unit integration asan-test fuzz fuzz-bins bench \
        install clean bench-bins deps-build deps-test deps-bench unit-bins check-style
.DEFAULT_GOAL := all

all: $(SERVAL) $(MOD_SOS) $(SERVALCTL)

# --------------------------------------------------------------- objects --
$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(OUT)/obj/%.pic.o: %.c
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(LIB_A): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(say) AR $@
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

# modules resolve core symbols against the executable: export them all.
# Modules are linked -Bsymbolic: they are dlopen'ed RTLD_GLOBAL and all
# define `exports`; without it a module's own references to that symbol
# would bind to the first loaded module's (ASan reports it as an ODR
# violation).
MOD_LDFLAGS := -shared -Wl,-Bsymbolic
$(BIN_DIR)/serval: $(OUT)/obj/$(MAIN_SRC:.c=.o) $(LIB_A)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) -rdynamic -o $@ $< -Wl,--whole-archive $(LIB_A) \
	    -Wl,--no-whole-archive $(LIBS)

define module_rule
MOD_OBJS_$(1) := $$(patsubst %.c,$(OUT)/obj/%.pic.o,$$(wildcard modules/$(1)/*.c))
$(BIN_DIR)/modules/$(1)/$(1).so: $$(MOD_OBJS_$(1))
	@mkdir -p $$(dir $$@)
	$$(say) LINK $$@
	$$(Q)$$(CC) $$(LDFLAGS) $$(MOD_LDFLAGS) -o $$@ $$^ $$(LIBS_$(1))
endef
$(foreach m,$(MODULES),$(eval $(call module_rule,$(m))))

$(SERVALCTL): $(CTL_SRCS:%.c=$(OUT)/obj/%.o) $(LIB_A)
	$(say) LINK $@
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIB_A) -lreadline $(LIBS)

# ------------------------------------------------------------ unit tests --
# test_<module>_*.c also links that module's objects (e.g. test_tm_match.c);
# for names with underscores the longest module name wins
# (test_mi_fifo_parser.c links mi_fifo).
unit_module = $(lastword $(sort $(foreach m,$(MODULES),\
    $(if $(filter test_$(m)_%,$(1)),$(m)))))
define unit_rule
$(OUT)/test/unit/$(1): test/unit/$(1).c $(UNIT_SUPPORT) $(LIB_A) \
    $$(MOD_OBJS_$(call unit_module,$(1)))
	@mkdir -p $$(dir $$@)
	$$(say) LINK $$@
	$$(Q)$$(CC) $$(CPPFLAGS) $$(CFLAGS) -Itest/unit \
	    -DSERVAL_TEST_MODULES='"$(OUT)/test/modules/"' \
	    -DSERVAL_MODULES_DIR='"$(BIN_DIR)/modules/"' \
	    -o $$@ $$(filter %.c %.o,$$^) \
	    -Wl,--whole-archive $(LIB_A) -Wl,--no-whole-archive \
	    $$(LIBS_$(call unit_module,$(1))) \
	    -lcmocka $$(LDFLAGS) -rdynamic $$(LIBS)
endef
$(foreach t,$(UNIT_NAMES),$(eval $(call unit_rule,$(t))))

# test/modules/<name>/*.c -> $(OUT)/test/modules/<name>/<name>.so: small
# modules the loader and script tests dlopen (never installed).  Unit tests
# find them through SERVAL_TEST_MODULES.
TEST_MODULES := $(sort $(patsubst test/modules/%/,%,$(dir $(wildcard test/modules/*/*.c))))
TEST_MOD_SOS := $(foreach m,$(TEST_MODULES),$(OUT)/test/modules/$(m)/$(m).so)

define test_module_rule
$(OUT)/test/modules/$(1)/$(1).so: $$(patsubst %.c,$(OUT)/obj/%.pic.o,$$(wildcard test/modules/$(1)/*.c))
	@mkdir -p $$(dir $$@)
	$$(say) LINK $$@
	$$(Q)$$(CC) $$(LDFLAGS) $$(MOD_LDFLAGS) -o $$@ $$^
endef
$(foreach m,$(TEST_MODULES),$(eval $(call test_module_rule,$(m))))

# A real module without a stand-in of the same name is copied next to the
# stand-ins, so the script tests load the real one: deleting a stand-in is
# all it takes to test scripts against the module that replaced it.
REAL_TEST_MODULES := $(filter-out $(TEST_MODULES),$(MODULES))
TEST_MOD_SOS += $(foreach m,$(REAL_TEST_MODULES),$(OUT)/test/modules/$(m)/$(m).so)

define test_real_module_rule
$(OUT)/test/modules/$(1)/$(1).so: $(BIN_DIR)/modules/$(1)/$(1).so
	@mkdir -p $$(dir $$@)
	$$(say) CP $$@
	$$(Q)cp $$< $$@
endef
$(foreach m,$(REAL_TEST_MODULES),$(eval $(call test_real_module_rule,$(m))))

unit-bins: $(UNIT_BINS) $(TEST_MOD_SOS)

# ---------------------------------------------------------- bench tools --
# bench/<name>.c: a micro-benchmark program linked with libserval.a
$(OUT)/bench/%: bench/%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(say) LINK $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< -Wl,--whole-archive $(LIB_A) \
	    -Wl,--no-whole-archive $(LDFLAGS) -rdynamic $(LIBS)

bench-bins: $(BENCH_BINS)

# ------------------------------------------------------------------ fuzz --
build/fuzz/fuzz_%: test/fuzz/fuzz_%.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(say) LINK $@
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(LIB_A) $(LDFLAGS) $(LIBS)

fuzz-bins: $(if $(filter fuzz,$(BUILD)),$(FUZZ_BINS))

fuzz: deps-test
	$(MAKE) --no-print-directory BUILD=fuzz fuzz-bins

# ----------------------------------------------------------------- tests --
deps-build:
	@utils/install-deps.sh build

deps-test:
	@utils/install-deps.sh test

deps-bench:
	@utils/install-deps.sh bench

test: deps-test
	$(MAKE) --no-print-directory BUILD=$(BUILD) all unit-bins
	$(if $(FUZZ_SRCS),$(MAKE) --no-print-directory BUILD=fuzz fuzz-bins)
	@SERVAL_OUT=$(OUT) SERVAL_BIN_DIR=$(BIN_DIR) test/run.sh all

unit: deps-test
	$(MAKE) --no-print-directory BUILD=$(BUILD) all unit-bins
	@SERVAL_OUT=$(OUT) SERVAL_BIN_DIR=$(BIN_DIR) test/run.sh unit

integration: deps-test
	$(MAKE) --no-print-directory BUILD=$(BUILD) all
	@SERVAL_OUT=$(OUT) SERVAL_BIN_DIR=$(BIN_DIR) test/run.sh integration

asan-test:
	$(MAKE) --no-print-directory BUILD=asan test

run: deps-build all
	$(SERVAL) -D -E -L $(BIN_DIR)/modules -f etc/serval.cfg

bench: deps-bench all bench-bins
	SERVAL_OUT=$(OUT) bench/run.sh

check-style:
	@clang-format --dry-run $(LIB_SRCS) $(MAIN_SRC) \
	    $(wildcard modules/*/*.c) 2>&1 | grep -o '^[^:]*:' | sort | uniq -c

# ---------------------------------------------------------------- install --
install: all
	install -d $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(PREFIX)/lib/serval/modules \
	    $(DESTDIR)$(PREFIX)/etc/serval
	install -m 755 $(SERVAL) $(DESTDIR)$(PREFIX)/sbin/serval
	$(if $(SERVALCTL),install -m 755 $(SERVALCTL) $(DESTDIR)$(PREFIX)/sbin/servalctl)
	$(foreach so,$(MOD_SOS),install -m 644 $(so) \
	    $(DESTDIR)$(PREFIX)/lib/serval/modules/$(notdir $(so));)
	$(if $(wildcard etc/*.cfg),install -m 644 $(wildcard etc/*.cfg) \
	    $(DESTDIR)$(PREFIX)/etc/serval/)

clean:
	rm -rf build serval servalctl $(foreach m,$(MODULES),modules/$(m)/$(m).so)

-include $(shell find build -name '*.d' 2>/dev/null)

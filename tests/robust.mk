# SPDX-License-Identifier: MIT
# tests/robust.mk - robustness tests: C helpers of tests/robust/, libFuzzer
# harnesses (tests/fuzz/) and the csmith differential test
# (tests/differential/).  Included by the top-level Makefile, whose settings
# ($(BUILD), $(CC), $(CFLAGS), $(LDFLAGS), $(CPPFLAGS_CORE), $(LIBS_CORE),
# $(LLVM_MAJOR), $(Q)) it uses.  See docs/reliability.md.
#
#   make robust-tests   build the C helpers into $(BUILD)/robust/ (also built
#                       by `make check`, through unit-tests)
#   make fuzz           build every harness with clang -fsanitize=fuzzer,
#                       address,undefined and run each FUZZ_SECONDS (60)
#   make check-diff     differential test: DIFF_PROGRAMS (300) csmith programs,
#                       zero soundness misses allowed
#
# Key invariant: fault injection wraps allocation and SQLite entry points
# with -Wl,--wrap, which only reroutes calls made from fnprop's own objects;
# libclang's and SQLite's internal allocations are untouched.

# ---------------------------------------------------------------- settings
FUZZ_SECONDS  ?= 60
FUZZ_CC       ?= $(CLANG)
FUZZ_BUILD    ?= build-fuzz
DIFF_PROGRAMS ?= 300
DIFF_SEED     ?= 1

ROBUST_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup \
               -Wl,--wrap=sqlite3_step,--wrap=sqlite3_prepare_v2,--wrap=sqlite3_prepare_v3 \
               -Wl,--wrap=sqlite3_exec,--wrap=sqlite3_open_v2
FUZZ_NAMES  := compdb json rt config model
ROBUST_BINS := $(BUILD)/robust/fault_inject $(BUILD)/robust/overlap $(FUZZ_NAMES:%=$(BUILD)/robust/fuzz_%)

# libFuzzer builds compile the parsers' sources themselves, instrumented.
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -pthread \
               -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_CORE   := analyzer/util.c analyzer/compdb.c analyzer/config.c analyzer/model.c \
               analyzer/effects.c analyzer/vocab.c analyzer/verdict.c $(BUILD)/gen/model_library.c
FUZZ_RT     := runtime-shim/fnprop_rt.c

# Sanitized test runs: leaks that LeakSanitizer finds inside libclang (its
# caches and global state) are not fnprop's; tests/lsan.supp says so.
ifneq ($(findstring address,$(SAN)),)
export LSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
endif
asan: export LSAN_OPTIONS ?= suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

# ------------------------------------------------------------- C helpers
robust-tests: $(ROBUST_BINS)

# `make check` builds unit-tests; the robust helpers come along.
unit-tests: robust-tests

$(BUILD)/robust/fault_inject: $(BUILD)/obj/tests/robust/fault_inject.o $(BUILD)/libfnprop_core.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) $(ROBUST_WRAP) -rdynamic -o $@ $^ $(LIBS_CORE)

# A run that pauses between its solve and its store (test_overlap.sh).
$(BUILD)/robust/overlap: $(BUILD)/obj/tests/robust/overlap.o $(BUILD)/libfnprop_core.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -Wl,--wrap=gr_solve -o $@ $^ $(LIBS_CORE)

# The harnesses without libFuzzer: tests/fuzz/standalone.c feeds them files,
# so the corpora are regression tests (tests/robust/test_fuzz_corpus.sh).
$(BUILD)/obj/tests/fuzz/fuzz_rt.o: CPPFLAGS_CORE += -Iruntime-shim

$(BUILD)/robust/fuzz_rt: $(BUILD)/obj/tests/fuzz/fuzz_rt.o $(BUILD)/obj/tests/fuzz/standalone.o \
                         $(BUILD)/libfnprop_rt.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(BUILD)/robust/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/standalone.o \
                        $(BUILD)/libfnprop_core.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_CORE)

# Keep the objects (make would delete them as intermediates).
.SECONDARY: $(FUZZ_NAMES:%=$(BUILD)/obj/tests/fuzz/fuzz_%.o) $(BUILD)/obj/tests/fuzz/standalone.o \
            $(BUILD)/obj/tests/robust/fault_inject.o $(BUILD)/obj/tests/robust/overlap.o

# ---------------------------------------------------------------- fuzzing
fuzz-build: $(FUZZ_NAMES:%=$(FUZZ_BUILD)/fuzz_%)

$(FUZZ_BUILD)/fuzz_rt: tests/fuzz/fuzz_rt.c $(FUZZ_RT) runtime-shim/fnprop_rt.h runtime-shim/fnprop_rtInt.h
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -Iinclude -Iruntime-shim -o $@ tests/fuzz/fuzz_rt.c $(FUZZ_RT)

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_CORE) | deps-probe
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZCC  $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(CPPFLAGS_CORE) $(CPPFLAGS_FE) -o $@ $< $(FUZZ_CORE) $(LIBS_CORE)

fuzz: fuzz-build
	$(Q)tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

# ----------------------------------------------------------- differential
check-diff: $(BUILD)/fnprop
	$(Q)tests/differential/run.sh $(BUILD)/fnprop $(DIFF_PROGRAMS) $(DIFF_SEED)

.PHONY: robust-tests fuzz fuzz-build check-diff

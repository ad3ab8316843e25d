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
FUZZ_CC       ?= $(or $(shell command -v clang-$(LLVM_MAJOR) 2>/dev/null),clang)
FUZZ_BUILD    ?= build-fuzz
DIFF_PROGRAMS ?= 300
DIFF_SEED     ?= 1

ROBUST_WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup \
               -Wl,--wrap=sqlite3_step,--wrap=sqlite3_prepare_v2,--wrap=sqlite3_prepare_v3 \
               -Wl,--wrap=sqlite3_exec,--wrap=sqlite3_open_v2
ROBUST_BINS := $(BUILD)/robust/fault_inject

# ------------------------------------------------------------- C helpers
robust-tests: $(ROBUST_BINS)

# `make check` builds unit-tests; the robust helpers come along.
unit-tests: robust-tests

$(BUILD)/robust/fault_inject: $(BUILD)/obj/tests/robust/fault_inject.o $(BUILD)/libfnprop_core.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) $(ROBUST_WRAP) -rdynamic -o $@ $^ $(LIBS_CORE)

.PHONY: robust-tests fuzz fuzz-build check-diff

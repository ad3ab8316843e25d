# SPDX-License-Identifier: MIT
# fnprop - whole-program !tls / !panic analyzer for C.
#
#   make            build build/fnprop, the runtime library and, when the
#                   clang-tidy headers are installed, the clang-tidy plugin
#   make man        regenerate docs/fnprop.1's check list from the table
#   make demo       install missing dependencies, build, analyze examples/
#   make check      install missing dependencies, build, run every test
#   make bench      benchmarks (ratios against a baseline of the same run)
#   make asan|ubsan the test suite under a sanitizer
#   make install    PREFIX=/usr/local DESTDIR=
#   make format     clang-format the C sources (.clang-format)
#   make clean      remove every build folder
#   V=1             show the commands

# ---------------------------------------------------------------- settings
PREFIX     ?= /usr/local
DESTDIR    ?=
BUILD      ?= build
CC         ?= cc
SAN        ?=
OPT        ?= -O2 -g

# libclang: LLVM_CONFIG=... overrides; otherwise the newest llvm-config-N.
LLVM_CONFIG ?= $(firstword $(foreach v,19 18 17 16 15 14,$(shell command -v llvm-config-$(v) 2>/dev/null)) $(shell command -v llvm-config 2>/dev/null))
LLVM_INC    := $(if $(LLVM_CONFIG),$(shell $(LLVM_CONFIG) --includedir))
LLVM_LIB    := $(if $(LLVM_CONFIG),$(shell $(LLVM_CONFIG) --libdir))
LLVM_MAJOR  := $(if $(LLVM_CONFIG),$(firstword $(subst ., ,$(shell $(LLVM_CONFIG) --version))))
LLVM_BIN    := $(if $(LLVM_CONFIG),$(shell $(LLVM_CONFIG) --bindir))

# Tools the tests and benchmarks run, always through these variables (the
# environment of every test has them): on a machine with only clang-19
# installed there is no plain `clang` on PATH.
CLANG       ?= $(LLVM_BIN)/clang
CLANGXX     ?= $(LLVM_BIN)/clang++
CLANG_TIDY  ?= $(LLVM_BIN)/clang-tidy
CLANG_APPLY_REPLACEMENTS ?= $(LLVM_BIN)/clang-apply-replacements
# clang-format of libclang's major (scripts/install-deps.sh format installs it).
CLANG_FORMAT ?= $(LLVM_BIN)/clang-format
# Graphviz dot (the report's pictures) and a headless browser (its test).
DOT         ?= dot
CHROMIUM    ?= chromium
# bear records a Make build's compile database (the runtime recipe's test).
BEAR        ?= bear
export CLANG CLANGXX CLANG_TIDY CLANG_APPLY_REPLACEMENTS LLVM_CONFIG LLVM_MAJOR LLVM_BIN DOT CHROMIUM BEAR

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wno-unused-parameter
SANFLAGS := $(if $(SAN),-fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all)
CFLAGS  ?=
CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(SANFLAGS) -MMD -MP -pthread
FNPROP_VERSION := 0.1.0
# Identifies the analysis code: cached facts and results of a build with
# other analyzer sources are never reused (a release and a development
# build of the same version differ here).
FNPROP_BUILD_ID := $(shell cat analyzer/*.c analyzer/*.h properties-db/*.c properties-db/*.h models/*.model 2>/dev/null | cksum | cut -d' ' -f1)
CPPFLAGS_CORE := -Iinclude -Ianalyzer -Iproperties-db -I$(BUILD)/gen -DFNPROP_VERSION='"$(FNPROP_VERSION)"'
# libclang's headers are seen by the front end's objects alone (FE_SRCS);
# sqlite3.h by properties-db alone (scripts/check-layering.sh checks both).
CPPFLAGS_FE   := -isystem $(LLVM_INC)
LDFLAGS ?=
LDFLAGS += $(SANFLAGS) -pthread
LIBS_CORE := -L$(LLVM_LIB) -Wl,-rpath,$(LLVM_LIB) -lclang -lsqlite3 -lm
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)


ifeq ($(V),1)
Q :=
else
Q := @
endif

# ----------------------------------------------------------------- sources
CORE_SRCS := \
	analyzer/verdict.c \
	analyzer/effects.c \
	analyzer/vocab.c \
	analyzer/util.c \
	analyzer/hsearch.c \
	analyzer/facts.c \
	analyzer/flow.c \
	analyzer/model.c \
	analyzer/compdb.c \
	analyzer/asmscan.c \
	analyzer/ompdir.c \
	analyzer/syntax.c \
	analyzer/frontend.c \
	analyzer/frontend_omp.c \
	analyzer/frontend_flow.c \
	analyzer/graph.c \
	analyzer/migrate.c \
	analyzer/driver.c \
	analyzer/config.c \
	analyzer/programs.c \
	analyzer/buildcmd.c \
	analyzer/solver.c \
	analyzer/results.c \
	analyzer/witness.c \
	analyzer/mwitness.c \
	analyzer/report.c \
	analyzer/dump.c \
	analyzer/export_c.c \
	analyzer/diffcmd.c \
	analyzer/diag_opts.c \
	analyzer/diag_sink.c \
	analyzer/diag_src.c \
	analyzer/diag_nolint.c \
	analyzer/diag_emit.c \
	analyzer/diag_base.c \
	analyzer/diag_witness.c \
	analyzer/diag_checks.c \
	analyzer/diag.c \
	analyzer/htmlreport.c \
	analyzer/factblob.c \
	analyzer/factstore.c \
	properties-db/pdb.c

CLI_SRCS  := analyzer/main.c analyzer/fsguard.c
# The sources that include <clang-c/...> (the front end), and the unit
# suite that tests it through syntax.h.
FE_SRCS   := analyzer/frontend.c analyzer/frontend_omp.c analyzer/frontend_flow.c analyzer/syntax.c analyzer/compdb.c \
             tests/unit/test_frontend.c tests/unit/test_frontend_flow.c

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))

CORE_OBJS := $(CORE_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/model_library.o $(BUILD)/obj/gen/model_openmp.o

# The shipped library model is compiled into the binary.
LIBRARY_MODEL := $(wildcard models/libc.model)
OPENMP_MODEL := $(wildcard models/openmp.model)
CLI_OBJS  := $(CLI_SRCS:%.c=$(BUILD)/obj/%.o)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_OBJS := $(UNIT_SRCS:%.c=$(BUILD)/obj/%.o)

# Unit suites link what they use from libfnprop_core.a.  The solver and
# graph suites link without libclang and SQLite, the properties-db suite
# without libclang: proof that those modules need nothing more.
UNIT_LIBS = $(LIBS_CORE)
$(BUILD)/tests/test_solver $(BUILD)/tests/test_graph $(BUILD)/tests/test_util $(BUILD)/tests/test_asmscan: UNIT_LIBS = -lm
$(BUILD)/tests/test_pdb: UNIT_LIBS = -lsqlite3

all: $(BUILD)/fnprop runtime

# ------------------------------------------------------------------- rules
# Objects are rebuilt when the flags change (a new version, SAN=, OPT=...).
FLAGS_STAMP := $(BUILD)/.flags
FLAGS_NOW := $(CC) $(CPPFLAGS_CORE) $(CFLAGS)
$(shell mkdir -p $(BUILD) && { [ "$$(cat $(FLAGS_STAMP) 2>/dev/null)" = '$(subst ','"'"',$(FLAGS_NOW))' ] || printf '%s' '$(subst ','"'"',$(FLAGS_NOW))' > $(FLAGS_STAMP); })
# build_id.h changes (and recompiles its one user) only when the id does.
BUILD_ID_H := $(BUILD)/gen/build_id.h
$(shell mkdir -p $(BUILD)/gen && { grep -qs '"$(FNPROP_BUILD_ID)"' $(BUILD_ID_H) || printf '#define FNPROP_BUILD_ID "%s"\n' '$(FNPROP_BUILD_ID)' > $(BUILD_ID_H); })

$(BUILD)/obj/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS_CORE) $(CFLAGS) -c $< -o $@

$(FE_SRCS:%.c=$(BUILD)/obj/%.o): CPPFLAGS_CORE += $(CPPFLAGS_FE)
$(CLI_OBJS): CPPFLAGS_CORE += -DFNPROP_LLVM_MAJOR=$(LLVM_MAJOR)
# Test-only settings reach the test objects only, never the production ones.
$(UNIT_OBJS): CPPFLAGS_CORE += -DTEST_DATA_DIR=\"$(CURDIR)/tests/unit/data\"

$(BUILD)/gen/model_library.c: $(LIBRARY_MODEL) scripts/embed.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/embed.sh md_library_text $(LIBRARY_MODEL) > $@

$(BUILD)/obj/gen/model_library.o: $(BUILD)/gen/model_library.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/gen/model_openmp.c: $(OPENMP_MODEL) scripts/embed.sh
	@mkdir -p $(dir $@)
	$(Q)scripts/embed.sh md_openmp_text $(OPENMP_MODEL) > $@

$(BUILD)/obj/gen/model_openmp.o: $(BUILD)/gen/model_openmp.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libfnprop_core.a: $(CORE_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

# fsguard.c's open() serves libclang's reads too (analyzer/fsguard.c).
$(BUILD)/fnprop: $(CLI_OBJS) $(BUILD)/libfnprop_core.a | deps-probe
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -Wl,--export-dynamic-symbol=open,--export-dynamic-symbol=open64 -o $@ $^ $(LIBS_CORE)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(BUILD)/libfnprop_core.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(UNIT_LIBS) $(CHECK_LIBS)

deps-probe:
	@test -n "$(LLVM_CONFIG)" || { echo "error: no llvm-config found; install libclang-19-dev (or run scripts/install-deps.sh) or set LLVM_CONFIG=" >&2; exit 2; }
	@test -f "$(LLVM_INC)/clang-c/Index.h" || { echo "error: $(LLVM_INC)/clang-c/Index.h missing; install libclang-$(LLVM_MAJOR)-dev" >&2; exit 2; }

deps:
	$(Q)scripts/install-deps.sh build

deps-test:
	$(Q)scripts/install-deps.sh test

# Every tool and header the test suites use is present (1 s, names the
# package); run by `make check` before anything is built.
check-deps:
	$(Q)scripts/install-deps.sh --check test

include runtime-shim/rules.mk
include tests/robust.mk
include integrations/clang-tidy/rules.mk

# The plugin is part of `make` wherever its headers are (rules.mk says
# how to get them otherwise).
all: $(if $(TIDY_HAVE),tidy-plugin)

# docs/fnprop.1's CHECKS list comes from analyzer/diag_checks.def
# (tests/integration/docs.sh fails when they differ).
man:
	$(Q)CC='$(CC)' scripts/man-checks.sh --update docs/fnprop.1

# ------------------------------------------------------------------ targets
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)examples/run-demo.sh $(BUILD)/fnprop

check: deps-test
	$(Q)$(MAKE) --no-print-directory check-deps
	$(Q)$(MAKE) --no-print-directory all unit-tests runtime-tests
	$(Q)SAN='$(SAN)' OPT='$(OPT)' tests/run-all.sh $(BUILD)

unit-tests: $(UNIT_BINS)

asan:
	$(Q)$(MAKE) --no-print-directory check BUILD=build-asan SAN=address,undefined OPT='-O1 -g'

ubsan:
	$(Q)$(MAKE) --no-print-directory check BUILD=build-ubsan SAN=undefined OPT='-O1 -g'

# The README's two commands in a minimal Debian chroot, from a clean clone
# of HEAD (root only, ~20 min).
check-fresh:
	$(Q)scripts/test-fresh-machine.sh

bench: all
	$(Q)bench/run.sh $(BUILD)

# Installed layout under $(DESTDIR)$(PREFIX): the CLI, the annotation header,
# the runtime library with its header and pkg-config file, the clang-tidy
# plugin (when its headers are installed), the git hook, the library models
# and the man pages.  `uninstall` removes exactly these files.
INST_BIN   = $(DESTDIR)$(PREFIX)/bin
INST_INC   = $(DESTDIR)$(PREFIX)/include
INST_LIB   = $(DESTDIR)$(PREFIX)/lib
INST_SHARE = $(DESTDIR)$(PREFIX)/share/fnprop
INST_MAN   = $(DESTDIR)$(PREFIX)/share/man
INST_MODELS := $(wildcard models/*.model)
INST_DOC   = $(DESTDIR)$(PREFIX)/share/doc/fnprop
# The documents the man page and --help point to, and the CI examples.
INST_DOCS  := $(wildcard docs/*.md)
INST_CI    := $(wildcard docs/ci/*.yml)

install: all $(if $(TIDY_HAVE),tidy-plugin)
	install -d $(INST_BIN) $(INST_INC) $(INST_LIB)/pkgconfig $(INST_SHARE) $(INST_MAN)/man1 $(INST_MAN)/man3
	install -m 755 $(BUILD)/fnprop $(INST_BIN)/fnprop
	install -m 644 include/fnprop.h runtime-shim/fnprop_rt.h $(INST_INC)/
	install -m 644 $(BUILD)/libfnprop_rt.a $(INST_LIB)/libfnprop_rt.a
	install -m 755 $(BUILD)/libfnprop_rt.so $(INST_LIB)/libfnprop_rt.so
	sed 's|^prefix=.*|prefix=$(PREFIX)|' $(BUILD)/fnprop-rt.pc > $(INST_LIB)/pkgconfig/fnprop-rt.pc
	chmod 644 $(INST_LIB)/pkgconfig/fnprop-rt.pc
	install -m 755 scripts/git-pre-commit scripts/install-git-hook $(INST_SHARE)/
	install -m 644 docs/fnprop.1 $(INST_MAN)/man1/fnprop.1
	install -m 644 docs/fnprop.h.3 $(INST_MAN)/man3/fnprop.h.3
	$(if $(INST_MODELS),install -d $(INST_SHARE)/models && install -m 644 $(INST_MODELS) $(INST_SHARE)/models/)
	install -d $(INST_DOC)/ci
	install -m 644 README.md $(INST_DOCS) $(INST_DOC)/
	$(if $(INST_CI),install -m 644 $(INST_CI) $(INST_DOC)/ci/)
	$(if $(TIDY_HAVE),install -d $(INST_LIB)/fnprop && install -m 755 $(TIDY_PLUGIN) $(INST_LIB)/fnprop/)

uninstall:
	rm -f $(INST_BIN)/fnprop $(INST_INC)/fnprop.h $(INST_INC)/fnprop_rt.h \
	      $(INST_LIB)/libfnprop_rt.a $(INST_LIB)/libfnprop_rt.so $(INST_LIB)/pkgconfig/fnprop-rt.pc \
	      $(INST_SHARE)/git-pre-commit $(INST_SHARE)/install-git-hook \
	      $(INST_MAN)/man1/fnprop.1 $(INST_MAN)/man3/fnprop.h.3 \
	      $(INST_SHARE)/models/*.model $(INST_LIB)/fnprop/fnprop-tidy-*.so \
	      $(INST_DOC)/README.md $(addprefix $(INST_DOC)/,$(notdir $(INST_DOCS))) \
	      $(addprefix $(INST_DOC)/ci/,$(notdir $(INST_CI)))
	rmdir $(INST_SHARE)/models $(INST_SHARE) $(INST_LIB)/fnprop $(INST_DOC)/ci $(INST_DOC) 2>/dev/null || true

.PHONY: uninstall

# Every build folder: the default and the current $(BUILD), the sanitizer
# and fuzzing builds, and any other build-* a BUILD= setting made.
clean:
	rm -rf $(BUILD) build $(wildcard build-*) $(FUZZ_BUILD)

# clang-format over the C sources with the checked-in .clang-format (not
# examples/: the demo's line numbers are part of documented output).
FORMAT_SRCS = $(sort $(wildcard analyzer/*.[ch] properties-db/*.[ch] runtime-shim/*.[ch] include/*.h \
                tests/*.h tests/unit/*.c tests/robust/*.c tests/fuzz/*.c bench/*.c))
format: deps-format
	$(Q)$(CLANG_FORMAT) -i --style=file $(FORMAT_SRCS)

deps-format:
	$(Q)scripts/install-deps.sh format

.PHONY: man all demo check check-deps check-fresh bench install clean deps deps-test deps-probe unit-tests asan ubsan runtime runtime-tests format deps-format

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

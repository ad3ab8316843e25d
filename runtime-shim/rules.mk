# SPDX-License-Identifier: MIT
# runtime-shim/rules.mk - the runtime shim (libfnprop_rt), the reference
# scheduler (fsched), sched-demo, and the runtime tests.  Included by the
# top-level Makefile, whose settings ($(BUILD), $(CC), $(CFLAGS), $(LDFLAGS),
# $(CHECK_LIBS), $(Q)) it uses.
#
# Key invariant: nothing here links libclang or SQLite.  sched-demo's verdict
# table is `fnprop export --format=c` of the demo's own source whenever the
# CLI is part of the tree (SCHED_DEMO_VERDICTS=fnprop, the default then);
# before that, a hand-written fallback table (SCHED_DEMO_VERDICTS=builtin),
# and the demo's JSON says which.  The runtime tests never need the analyzer.
#
#   make runtime          libfnprop_rt.{a,so}, fnprop-rt.pc, sched-demo
#   make runtime-tests    test executables in $(BUILD)/rt-tests/
#   make runtime-check    build and run them
# (`make install` in the top-level Makefile installs the library, header and
# pkg-config file.)

# ---------------------------------------------------------------- settings
RT_OBJ      := $(BUILD)/obj/runtime-shim
RT_CPPFLAGS := -Iinclude -Iruntime-shim -Ianalyzer
RT_TESTDIR  := $(BUILD)/rt-tests
RT_TESTLIB  := $(BUILD)/rt-tests-lib
RT_DEMO_DB  := $(BUILD)/sched-demo-db
RT_DEMO_SRC := runtime-shim/sched_demo.c
RT_DEMO_DEPS := $(RT_DEMO_SRC) runtime-shim/fsched.h runtime-shim/fnprop_rt.h include/fnprop.h

SCHED_DEMO_VERDICTS ?= $(if $(wildcard analyzer/main.c),fnprop,builtin)

RT_TESTS    := test_shim test_export test_sched test_gen test_shared test_identity test_reload
RT_TEST_BINS := $(RT_TESTS:%=$(RT_TESTDIR)/%)

RT_CC_MSG = @$(if $(Q),echo "  CC      $<")
RT_LD_MSG = @$(if $(Q),echo "  LINK    $@")

# ----------------------------------------------------------------- targets
runtime: $(BUILD)/libfnprop_rt.a $(BUILD)/libfnprop_rt.so $(BUILD)/fnprop-rt.pc \
         $(BUILD)/sched-demo $(BUILD)/sched-demo-raw-errno $(BUILD)/sched-bench-decide

runtime-tests: $(RT_TEST_BINS)

runtime-check: runtime-tests
	$(Q)set -e; for t in $(RT_TEST_BINS); do echo "  RUN     $$t"; $$t; done

.PHONY: runtime runtime-tests runtime-check

# ------------------------------------------------------------ the library
# One PIC object serves the static and the shared library, so the static
# library also links into a user's shared object.  Only the fnprop_rt_*
# API is exported (-fvisibility=hidden; FNPROP_RT_API marks the rest).
$(RT_OBJ)/fnprop_rt.o: runtime-shim/fnprop_rt.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_CPPFLAGS) $(CFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(BUILD)/libfnprop_rt.a: $(RT_OBJ)/fnprop_rt.o
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/libfnprop_rt.so: $(RT_OBJ)/fnprop_rt.o
	$(RT_LD_MSG)
	$(Q)$(CC) $(LDFLAGS) -shared -Wl,-soname,libfnprop_rt.so -o $@ $^

$(BUILD)/fnprop-rt.pc: runtime-shim/fnprop-rt.pc.in
	@mkdir -p $(dir $@)
	$(Q)sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(FNPROP_VERSION)|g' $< > $@

# ------------------------------------------------- other runtime objects
$(RT_OBJ)/fsched.o $(RT_OBJ)/sched_demo_fallback.o: $(RT_OBJ)/%.o: runtime-shim/%.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_CPPFLAGS) $(CFLAGS) -c $< -o $@

$(RT_OBJ)/export_c.o: analyzer/export_c.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_CPPFLAGS) $(CFLAGS) -c $< -o $@

# Entries are matched by their file's canonical path: compiled by absolute
# path, with the real path for the hand-written rows.
$(RT_OBJ)/sched_decide.o: bench/sched_decide.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_CPPFLAGS) $(CFLAGS) -DBENCH_REAL_FILE='"$(realpath bench/sched_decide.c)"' \
	  -c $(abspath $<) -o $@

$(BUILD)/sched-bench-decide: $(RT_OBJ)/sched_decide.o $(BUILD)/libfnprop_rt.a
	$(RT_LD_MSG)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

# ---------------------------------------------------------------- sched-demo
# The demo's own compile database: one TU, absolute paths.  fsched.c is not
# in it on purpose: fsched_yield() is a trusted FNPROP_NOTLS yield point.
$(RT_DEMO_DB)/compile_commands.json: runtime-shim/rules.mk
	@mkdir -p $(dir $@)
	$(Q)printf '[\n  {\n    "directory": "%s",\n    "file": "%s",\n    "arguments": ["%s", "-std=c11", "-D_GNU_SOURCE", "-I%s", "-I%s", "-c", "%s", "-o", "%s"]\n  }\n]\n' \
	  '$(abspath .)' '$(abspath $(RT_DEMO_SRC))' '$(CC)' '$(abspath include)' \
	  '$(abspath runtime-shim)' '$(abspath $(RT_DEMO_SRC))' \
	  '$(abspath $(RT_OBJ)/sched_demo.o)' > $@.tmp && mv $@.tmp $@

# A hash is one lowercase-hex word; anything else stops the build.
RT_CHECK_HASH = { h=$$(awk 'NR==1{print $$1}' $@.tmp); \
  case "$$h" in ''|*[!0-9a-f]*) echo "error: '$(1)' printed no hex hash ('$$h')" >&2; rm -f $@.tmp; exit 1;; esac; \
  printf '%s\n' "$$h" > $@.tmp && mv $@.tmp $@; }

ifeq ($(SCHED_DEMO_VERDICTS),fnprop)
# Verdicts from fnprop's analysis of the demo; the sources hash the demo is
# compiled with comes from the same tree at the same time, so the table is
# fresh by construction and stale as soon as either is reused alone.
$(RT_DEMO_DB)/verdicts.c: $(RT_DEMO_DB)/compile_commands.json $(RT_DEMO_DEPS) $(BUILD)/fnprop
	@$(if $(Q),echo "  FNPROP  $@")
	$(Q)$(BUILD)/fnprop export -p $(RT_DEMO_DB) --db $(RT_DEMO_DB)/fnprop.db --format=c > $@.tmp \
	  || { echo "error: 'fnprop export --format=c' failed for sched-demo (SCHED_DEMO_VERDICTS=builtin builds the demo with hand-written verdicts)" >&2; rm -f $@.tmp; exit 1; }
	$(Q)mv $@.tmp $@

# After the export: the two commands share the database, so never in parallel.
$(RT_DEMO_DB)/sources.hash: $(RT_DEMO_DB)/verdicts.c
	$(Q)$(BUILD)/fnprop hash -p $(RT_DEMO_DB) --db $(RT_DEMO_DB)/fnprop.db > $@.tmp || { rm -f $@.tmp; exit 1; }
	$(Q)$(call RT_CHECK_HASH,fnprop hash)
else
# Fallback until the CLI exists: verdicts written by hand in
# runtime-shim/sched_demo_fallback.c, hash = sha256 of the demo's sources.
$(RT_OBJ)/sched-demo-fallback: $(RT_OBJ)/sched_demo_fallback.o $(RT_OBJ)/export_c.o
	$(RT_LD_MSG)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(RT_DEMO_DB)/sources.hash: $(RT_DEMO_DEPS)
	@mkdir -p $(dir $@)
	$(Q)cat $(RT_DEMO_DEPS) | sha256sum > $@.tmp
	$(Q)$(call RT_CHECK_HASH,sha256sum)

$(RT_DEMO_DB)/verdicts.c: $(RT_DEMO_DB)/sources.hash $(RT_OBJ)/sched-demo-fallback
	@$(if $(Q),echo "  GEN     $@ (builtin verdicts: no fnprop CLI yet)")
	$(Q)$(RT_OBJ)/sched-demo-fallback '$(abspath $(RT_DEMO_SRC))' "$$(cat $<)" > $@.tmp && mv $@.tmp $@
endif

$(RT_OBJ)/sched_demo.o: $(RT_DEMO_SRC) $(RT_DEMO_DB)/sources.hash
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_CPPFLAGS) $(CFLAGS) -DSCHED_DEMO_VERDICTS='"$(SCHED_DEMO_VERDICTS)"' \
	  -DFNPROP_RT_SOURCES_HASH="\"$$(cat $(RT_DEMO_DB)/sources.hash)\"" -c $(abspath $<) -o $@

# The same source without FNPROP_RT_FRESH_ERRNO: plain errno, whose address
# the compiler keeps across yields (bench/sched_bench.sh shows the cost).
$(RT_OBJ)/sched_demo_raw_errno.o: $(RT_DEMO_SRC) $(RT_DEMO_DB)/sources.hash
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_CPPFLAGS) $(CFLAGS) -DSCHED_DEMO_RAW_ERRNO -DSCHED_DEMO_VERDICTS='"$(SCHED_DEMO_VERDICTS)"' \
	  -DFNPROP_RT_SOURCES_HASH="\"$$(cat $(RT_DEMO_DB)/sources.hash)\"" -c $(abspath $<) -o $@

$(BUILD)/sched-demo-raw-errno: $(RT_OBJ)/sched_demo_raw_errno.o $(RT_OBJ)/sched_demo_verdicts.o $(RT_OBJ)/fsched.o \
                               $(BUILD)/libfnprop_rt.a
	$(RT_LD_MSG)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(RT_OBJ)/sched_demo_verdicts.o: $(RT_DEMO_DB)/verdicts.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_CPPFLAGS) $(CFLAGS) -c $< -o $@

$(BUILD)/sched-demo: $(RT_OBJ)/sched_demo.o $(RT_OBJ)/sched_demo_verdicts.o $(RT_OBJ)/fsched.o \
                     $(BUILD)/libfnprop_rt.a
	$(RT_LD_MSG)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

# --------------------------------------------------------------- the tests
RT_TEST_HASH := 5eed0123456789abcdef

# Test TUs are compiled by absolute path (the shim matches registrations
# by canonical file); RT_REAL_DIR is where hand-written rows point.
RT_REAL_DIR := $(realpath tests/runtime)
RT_TEST_CPPFLAGS := $(RT_CPPFLAGS) -DRT_REAL_DIR='"$(RT_REAL_DIR)"'

$(RT_OBJ)/tests/%.o: tests/runtime/%.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_TEST_CPPFLAGS) $(CFLAGS) -c $(abspath $<) -o $@

# test_gen: against a table that xc_write generated and the compiler had to
# accept with -Werror; compiled as ./tests/... with FNPROP_RT_FILE naming it.
$(RT_OBJ)/tests/test_gen.o: tests/runtime/test_gen.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_TEST_CPPFLAGS) $(CFLAGS) -DFNPROP_RT_SOURCES_HASH='"$(RT_TEST_HASH)"' \
	  -DFNPROP_RT_FILE='"$(abspath tests/runtime/test_gen.c)"' -c ./tests/runtime/test_gen.c -o $@

# test_identity: its own TU with a relative __FILE__; rt_symlinked.c through
# a symlinked directory; rt_override.c relative with FNPROP_RT_FILE and the
# table's hash; rt_stale.c built with another sources hash.
RT_SYMDIR := $(abspath $(BUILD))/rt-symlinked-dir
$(RT_OBJ)/tests/test_identity.o: tests/runtime/test_identity.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_TEST_CPPFLAGS) $(CFLAGS) -c $< -o $@

$(RT_OBJ)/tests/rt_symlinked.o: tests/runtime/rt_symlinked.c
	@mkdir -p $(dir $@) $(dir $(RT_SYMDIR))
	$(RT_CC_MSG)
	$(Q)rm -f $(RT_SYMDIR) && ln -s $(RT_REAL_DIR) $(RT_SYMDIR)
	$(Q)$(CC) $(RT_TEST_CPPFLAGS) $(CFLAGS) -c $(RT_SYMDIR)/rt_symlinked.c -o $@

$(RT_OBJ)/tests/rt_override.o: tests/runtime/rt_override.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_TEST_CPPFLAGS) $(CFLAGS) -DFNPROP_RT_FILE='"$(RT_REAL_DIR)/rt_override.c"' \
	  -DFNPROP_RT_SOURCES_HASH='"feedf00d"' -c $< -o $@

$(RT_OBJ)/tests/rt_stale.o: tests/runtime/rt_stale.c
	@mkdir -p $(dir $@)
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_TEST_CPPFLAGS) $(CFLAGS) -DFNPROP_RT_SOURCES_HASH='"0ther5ources"' -c $(abspath $<) -o $@

$(RT_OBJ)/tests/rt-gen-table: $(RT_OBJ)/tests/rt_gen_table.o $(RT_OBJ)/export_c.o
	$(RT_LD_MSG)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

$(RT_OBJ)/tests/gen_table.c: $(RT_OBJ)/tests/rt-gen-table
	$(Q)$< '$(abspath tests/runtime/test_gen.c)' '$(RT_TEST_HASH)' > $@.tmp && mv $@.tmp $@

$(RT_OBJ)/tests/gen_table.o: $(RT_OBJ)/tests/gen_table.c
	$(RT_CC_MSG)
	$(Q)$(CC) $(RT_CPPFLAGS) $(CFLAGS) -c $< -o $@

# Shared objects for test_shared live outside rt-tests/, whose every file
# the test driver runs.
$(RT_TESTLIB)/librt_plugin.so $(RT_TESTLIB)/librt_late.so $(RT_TESTLIB)/librt_many.so: $(RT_TESTLIB)/librt_%.so: \
    tests/runtime/rt_%.c $(BUILD)/libfnprop_rt.so
	@mkdir -p $(dir $@)
	$(RT_LD_MSG)
	$(Q)$(CC) $(RT_CPPFLAGS) $(CFLAGS) -fPIC -shared -o $@ $(abspath $<) $(LDFLAGS) \
	  -L$(BUILD) -Wl,-rpath,'$(abspath $(BUILD))' -lfnprop_rt
	@rm -f $(RT_TESTLIB)/librt_$*.d

$(RT_TESTDIR)/test_shim: $(RT_OBJ)/tests/test_shim.o $(BUILD)/libfnprop_rt.a
$(RT_TESTDIR)/test_export: $(RT_OBJ)/tests/test_export.o $(RT_OBJ)/export_c.o
$(RT_TESTDIR)/test_sched: $(RT_OBJ)/tests/test_sched.o $(RT_OBJ)/fsched.o $(BUILD)/libfnprop_rt.a
$(RT_TESTDIR)/test_gen: $(RT_OBJ)/tests/test_gen.o $(RT_OBJ)/tests/gen_table.o $(BUILD)/libfnprop_rt.a
$(RT_TESTDIR)/test_identity: $(RT_OBJ)/tests/test_identity.o $(RT_OBJ)/tests/rt_symlinked.o \
                             $(RT_OBJ)/tests/rt_override.o $(RT_OBJ)/tests/rt_stale.o $(BUILD)/libfnprop_rt.a

$(filter-out $(RT_TESTDIR)/test_shared $(RT_TESTDIR)/test_reload,$(RT_TEST_BINS)):
	@mkdir -p $(dir $@)
	$(RT_LD_MSG)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(CHECK_LIBS)

# test_shared: the shared libfnprop_rt, an entry in a linked shared object
# and one in a dlopen()ed shared object.
$(RT_TESTDIR)/test_shared: $(RT_OBJ)/tests/test_shared.o $(RT_TESTLIB)/librt_plugin.so \
                           $(RT_TESTLIB)/librt_late.so $(BUILD)/libfnprop_rt.so
	@mkdir -p $(dir $@)
	$(RT_LD_MSG)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(RT_OBJ)/tests/test_shared.o -L$(RT_TESTLIB) -L$(BUILD) \
	  -Wl,-rpath,'$(abspath $(RT_TESTLIB))' -Wl,-rpath,'$(abspath $(BUILD))' \
	  -lrt_plugin -lfnprop_rt -ldl $(CHECK_LIBS)

$(RT_OBJ)/tests/test_shared.o: CFLAGS += -DRT_LATE_SO='"$(abspath $(RT_TESTLIB))/librt_late.so"'

# test_reload: a 50-entry plugin, dlopen()ed and dlclose()d 300 times.
$(RT_TESTDIR)/test_reload: $(RT_OBJ)/tests/test_reload.o $(RT_TESTLIB)/librt_many.so $(BUILD)/libfnprop_rt.so
	@mkdir -p $(dir $@)
	$(RT_LD_MSG)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(RT_OBJ)/tests/test_reload.o -L$(BUILD) -Wl,-rpath,'$(abspath $(BUILD))' \
	  -lfnprop_rt -ldl $(CHECK_LIBS)

$(RT_OBJ)/tests/test_reload.o: CFLAGS += -DRT_MANY_SO='"$(abspath $(RT_TESTLIB))/librt_many.so"' \
  -DRL_MANY_C='"$(RT_REAL_DIR)/rt_many.c"'

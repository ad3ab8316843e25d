# SPDX-License-Identifier: MIT
# fnprop.mk - run fnprop's fact extraction as one build step per translation
# unit, so `make -j` (and distcc or any remote-execution wrapper around the
# command) parallelizes and caches it; then merge and solve once.
#
# Use from a project Makefile:
#   FNPROP_BUILD := build                 # holds compile_commands.json
#   FNPROP_SRCS  := $(wildcard src/*.c)   # the TUs of the compile database
#   include fnprop.mk
#   lint: $(FNPROP_BUILD)/fnprop.db
#
# Each facts file depends on every header its TU read (--deps writes a
# make dependency file), so a header change re-extracts exactly its
# includers.  The merge re-solves the whole program.
FNPROP       ?= fnprop
FNPROP_BUILD ?= build
FNPROP_FACTS := $(FNPROP_SRCS:%.c=$(FNPROP_BUILD)/fnprop-facts/%.facts)

$(FNPROP_BUILD)/fnprop-facts/%.facts: %.c $(FNPROP_BUILD)/compile_commands.json
	@mkdir -p $(dir $@)
	$(FNPROP) extract -p $(FNPROP_BUILD) --deps=$@.d -o $@ $<

$(FNPROP_BUILD)/fnprop.db: $(FNPROP_FACTS)
	$(FNPROP) merge -p $(FNPROP_BUILD) --quiet $(FNPROP_FACTS)
	@touch $@

-include $(FNPROP_FACTS:=.d)

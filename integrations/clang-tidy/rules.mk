# SPDX-License-Identifier: MIT
# integrations/clang-tidy/rules.mk - the clang-tidy plugin
# $(BUILD)/fnprop-tidy-N.so, N the LLVM major of $(LLVM_CONFIG).  Included
# by the top-level Makefile, whose settings ($(BUILD), $(LLVM_CONFIG),
# $(LLVM_INC), $(LLVM_MAJOR), $(OPT), $(Q)) it uses.
#
# Key invariant: the plugin is built against the clang-tidy headers of the
# selected LLVM only (libclang-N-dev ships them in $(LLVM_INC)/clang-tidy),
# carries N in its file name, and links no LLVM library: it binds to the
# clang-tidy process that loads it, and refuses to run in another major.
#
#   make tidy-plugin                      build/fnprop-tidy-N.so (skipped
#                                         with a message without headers)
#   make tidy-plugin LLVM_CONFIG=llvm-config-16   the plugin for clang-tidy-16
#   make tidy-plugin-wrong-major          test build claiming another major

# ---------------------------------------------------------------- settings
TIDY_INC     := $(LLVM_INC)/clang-tidy
# clang-tidy's headers come with libclang-N-dev, the LLVM headers they
# include (llvm/ADT/...) with llvm-N-dev: both are needed.
TIDY_HAVE    := $(if $(LLVM_CONFIG),$(and $(wildcard $(TIDY_INC)/ClangTidyModuleRegistry.h),$(wildcard $(LLVM_INC)/llvm/ADT/IntrusiveRefCntPtr.h)))
# The C++ compiler of the selected LLVM (clang-N ships clang++; a minimal
# system has no g++).
TIDY_CXX     ?= $(or $(CLANGXX),$(CXX))
TIDY_SRC     := integrations/clang-tidy/FnpropTidyModule.cpp
TIDY_OBJ     := $(BUILD)/obj/integrations/clang-tidy
TIDY_PLUGIN  := $(BUILD)/fnprop-tidy-$(LLVM_MAJOR).so
TIDY_WRONG   := $(BUILD)/tidy-test/fnprop-tidy-wrong-major.so
# LLVM's flags with its headers as system headers (their warnings are not
# ours), RTTI as LLVM was built, and our own warnings as errors.
TIDY_CXXFLAGS = $(patsubst -I%,-isystem %,$(shell $(LLVM_CONFIG) --cxxflags)) -isystem $(TIDY_INC) \
                $(if $(filter NO,$(shell $(LLVM_CONFIG) --has-rtti)),-fno-rtti) \
                -std=c++17 -fPIC -fvisibility-inlines-hidden -Wall -Wextra -Werror $(OPT) -MMD -MP
TIDY_LDFLAGS := -shared -Wl,-soname,fnprop-tidy-$(LLVM_MAJOR).so

# ----------------------------------------------------------------- targets
ifneq ($(TIDY_HAVE),)
tidy-plugin: $(TIDY_PLUGIN)
tidy-plugin-wrong-major: $(TIDY_WRONG)
else
tidy-plugin tidy-plugin-wrong-major:
	@echo "tidy-plugin: skipped: the clang-tidy $(LLVM_MAJOR) headers ($(TIDY_INC)/ClangTidyModuleRegistry.h, $(LLVM_INC)/llvm/ADT/IntrusiveRefCntPtr.h) are not installed; install libclang-$(LLVM_MAJOR)-dev and llvm-$(LLVM_MAJOR)-dev to build the clang-tidy $(LLVM_MAJOR) plugin" >&2
endif

.PHONY: tidy-plugin tidy-plugin-wrong-major

# ------------------------------------------------------------------- rules
$(TIDY_OBJ)/FnpropTidyModule.o: $(TIDY_SRC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $<")
	$(Q)$(TIDY_CXX) $(TIDY_CXXFLAGS) -c $< -o $@

$(TIDY_PLUGIN): $(TIDY_OBJ)/FnpropTidyModule.o
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(TIDY_CXX) $(TIDY_LDFLAGS) -o $@ $<

# The same source claiming a major no clang-tidy has: the refusal test.
$(TIDY_OBJ)/FnpropTidyModule-wrong.o: $(TIDY_SRC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CXX     $< (wrong major)")
	$(Q)$(TIDY_CXX) $(TIDY_CXXFLAGS) -DFNPROP_TIDY_BUILT_MAJOR=1 -c $< -o $@

$(TIDY_WRONG): $(TIDY_OBJ)/FnpropTidyModule-wrong.o
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(TIDY_CXX) $(TIDY_LDFLAGS) -o $@ $<

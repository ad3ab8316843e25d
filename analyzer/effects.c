/* SPDX-License-Identifier: MIT */
/*
 * effects.c - the table of effect and reason kinds, with their wording.
 *
 * Invariant: every kind a user can meet has a reason text, so no report
 * falls back to printing a bare name.
 */
#include <string.h>

#include "effects.h"
#include "vocab.h"

#define BODY   FX_IN_BODY
#define CALLEE FX_IN_CALLEE
#define DEFN   FX_IN_DEFINITION

static const fx_info fx_table[FX_NKINDS] = {
    [FX_NONE] = {"none", -1, VD_PROVEN, BODY, "%1", NULL, 0, NULL},
    [FX_TLS_VAR] = {"tls-var", VD_TLS, VD_VIOLATED, BODY, "uses thread-local variable '%1'", NULL, 0, NULL},
    [FX_ERRNO] = {"errno", VD_TLS, VD_VIOLATED, CALLEE, "'%1' accesses errno, which is thread-local",
                  "which is thread-local", 0, NULL},
    [FX_TLS_API] = {"tls-api", VD_TLS, VD_VIOLATED, CALLEE,
                    "'%1' observes the calling thread's identity or thread-local storage",
                    "which observes the calling thread", 0,
                    "executes %1, which reads the thread pointer or the CPU's identity"},
    [FX_TLS_DECLARED] = {"tls-declared", VD_TLS, VD_VIOLATED, CALLEE,
                         "'%1' is declared to touch thread-local state (FNPROP_TLS)",
                         "which is declared to touch thread-local state", 1, NULL},
    [FX_TLS_STATE] = {"tls-state", VD_TLS, VD_VIOLATED, CALLEE,
                      "'%1' keeps per-thread state that its callers can observe",
                      "which keeps per-thread state that its callers can observe", 0, NULL},
    [FX_PANIC_CALL] = {"panic-call", VD_PANIC, VD_VIOLATED, CALLEE, "'%1' ends the program or abandons its caller",
                       "which ends the program", 0, "executes %1, which ends the program"},
    [FX_NORETURN] = {"noreturn", VD_PANIC, VD_VIOLATED, CALLEE,
                     "'%1' is declared noreturn and has no body in the program",
                     "which is declared noreturn and has no body in the program", 1, NULL},
    [FX_PANIC_DECLARED] = {"panic-declared", VD_PANIC, VD_VIOLATED, CALLEE, "'%1' is declared to abort (FNPROP_PANIC)",
                           "which is declared to end the program", 1, NULL},
    [FX_INDIRECT] = {"indirect-call", -1, VD_UNKNOWN, BODY,
                     "calls through a pointer of type '%1' whose targets are not resolved", NULL, 0, NULL},
    [FX_EXTERNAL] = {"external", -1, VD_UNKNOWN, CALLEE, "'%1' has no body in the program and no model",
                     "which has no body in the program and no model", 1, NULL},
    [FX_INCOMPLETE] = {"incomplete-parse", -1, VD_UNKNOWN, DEFN, "is defined in '%1', which did not parse completely",
                       NULL, 0, NULL},
    [FX_MODEL_UNKNOWN] = {"model-unknown", -1, VD_UNKNOWN, CALLEE,
                          "'%1' is modeled, but its model leaves the effect unknown",
                          "whose model leaves the effect unknown", 0, NULL},
    [FX_WEAK] = {"weak", -1, VD_UNKNOWN, DEFN,
                 "is a weak definition: the linked program may use another one in its place (--weak=trust "
                 "trusts it)",
                 NULL, 0, NULL},
    [FX_INTERPOSABLE] = {"interposable", -1, VD_UNKNOWN, DEFN,
                         "has default visibility in position-independent code: another library or LD_PRELOAD may "
                         "replace it (--interposition=none trusts it)",
                         NULL, 0, NULL},
    [FX_UNSEEN] = {"unseen-code", -1, VD_UNKNOWN, BODY,
                   "contains %1, code fnprop does not understand; if you checked that it touches no thread-local "
                   "state and cannot abort, annotate the function FNPROP_NOTLS / FNPROP_NOPANIC, otherwise report "
                   "the construct",
                   NULL, 0, NULL},
};

const fx_info *fx_get(fx_kind k) { return (unsigned)k < FX_NKINDS ? &fx_table[k] : &fx_table[0]; }

int fx_affects(fx_kind k, vd_prop p) {
  const fx_info *i = fx_get(k);
  return k != FX_NONE && (i->prop < 0 || i->prop == (int)p);
}

int fx_executed(fx_kind k, const char *detail) {
  return fx_get(k)->executed && detail && strncmp(detail, FX_ASM_DETAIL, sizeof FX_ASM_DETAIL - 1) == 0;
}

void fx_text(char *buf, size_t n, fx_kind k, const char *detail) {
  const fx_info *i = fx_get(k);
  /* A kind added without wording still says what it is about. */
  vc_fill(buf, n, fx_executed(k, detail) ? i->executed : i->reason ? i->reason : "%1", detail, NULL);
}

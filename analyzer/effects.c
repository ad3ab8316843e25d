/* SPDX-License-Identifier: MIT */
/* effects.c - the table of effect and reason kinds. */
#include "effects.h"

static const fx_info fx_table[FX_NKINDS] = {
    [FX_NONE] = {"none", -1, VD_PROVEN},
    [FX_TLS_VAR] = {"tls-var", VD_TLS, VD_VIOLATED},
    [FX_ERRNO] = {"errno", VD_TLS, VD_VIOLATED},
    [FX_TLS_API] = {"tls-api", VD_TLS, VD_VIOLATED},
    [FX_TLS_DECLARED] = {"tls-declared", VD_TLS, VD_VIOLATED},
    [FX_TLS_STATE] = {"tls-state", VD_TLS, VD_VIOLATED},
    [FX_PANIC_CALL] = {"panic-call", VD_PANIC, VD_VIOLATED},
    [FX_NORETURN] = {"noreturn", VD_PANIC, VD_VIOLATED},
    [FX_PANIC_DECLARED] = {"panic-declared", VD_PANIC, VD_VIOLATED},
    [FX_INDIRECT] = {"indirect-call", -1, VD_UNKNOWN},
    [FX_EXTERNAL] = {"external", -1, VD_UNKNOWN},
    [FX_INCOMPLETE] = {"incomplete-parse", -1, VD_UNKNOWN},
    [FX_MODEL_UNKNOWN] = {"model-unknown", -1, VD_UNKNOWN},
    [FX_WEAK] = {"weak", -1, VD_UNKNOWN},
    [FX_INTERPOSABLE] = {"interposable", -1, VD_UNKNOWN},
    [FX_UNSEEN] = {"unseen-code", -1, VD_UNKNOWN},
};

const fx_info *fx_get(fx_kind k) { return (unsigned)k < FX_NKINDS ? &fx_table[k] : &fx_table[0]; }

int fx_affects(fx_kind k, vd_prop p) {
  const fx_info *i = fx_get(k);
  return k != FX_NONE && (i->prop < 0 || i->prop == (int)p);
}

/* SPDX-License-Identifier: MIT */
/*
 * vocab.c - the tables of the shared vocabulary and the template filler.
 *
 * Invariant: each table is indexed by its enum and is the only place its
 * words appear; a stored word is mapped back to its enum here and nowhere
 * else.
 */
#include <string.h>

#include "vocab.h"

void vc_fill(char *buf, size_t n, const char *tmpl, const char *a, const char *b) {
  size_t o = 0;
  if (!n) return;
  for (const char *p = tmpl ? tmpl : "%1"; *p && o + 1 < n; p++) {
    if (p[0] == '%' && (p[1] == '1' || p[1] == '2')) {
      const char *s = p[1] == '1' ? a : b;
      for (s = s ? s : "?"; *s && o + 1 < n; s++) buf[o++] = *s;
      p++;
    } else {
      buf[o++] = *p;
    }
  }
  buf[o] = '\0';
}

/* ---- edge kinds ----------------------------------------------------------- */
static const struct {
  const char *name, *text;
} vc_edges[VC_NEDGES] = {
    [VC_EDGE_CALL] = {"call", "calls '%1'"},
    [VC_EDGE_POINTER] = {"pointer", "calls '%1' through a function pointer"},
    [VC_EDGE_CALLBACK] = {"callback", "passes '%1' to '%2', which calls it"},
    [VC_EDGE_SPAWN] = {"spawn", "passes '%1' to '%2', which runs it on another thread"},
};

const char *vc_edge_name(int edge) { return edge >= 0 && edge < VC_NEDGES ? vc_edges[edge].name : "?"; }

void vc_edge_text(char *buf, size_t n, int edge, const char *callee, const char *through) {
  vc_fill(buf, n, vc_edges[edge >= 0 && edge < VC_NEDGES ? edge : VC_EDGE_CALL].text, callee, through);
}

/* ---- resolution modes ------------------------------------------------------ */
static const char *const vc_res_names[VC_NRES] = {
    [VC_RES_UNKNOWN] = "unknown", [VC_RES_SIGNATURE] = "signature", [VC_RES_FIELD] = "field",
    [VC_RES_TRUSTED] = "trusted", [VC_RES_OPEN] = "open-world",     [VC_RES_CALLBACK] = "callback",
    [VC_RES_VAR] = "variable",
};

const char *vc_res_name(int mode) { return mode >= 0 && mode < VC_NRES ? vc_res_names[mode] : "?"; }

/* ---- linkage ---------------------------------------------------------------- */
static const char *const vc_linkage_names[] = {[VC_LINK_INTERNAL] = "internal", [VC_LINK_EXTERNAL] = "external"};

const char *vc_linkage_name(vc_linkage l) { return vc_linkage_names[l == VC_LINK_EXTERNAL]; }

vc_linkage vc_linkage_of(const char *name) {
  return name && strcmp(name, vc_linkage_names[VC_LINK_EXTERNAL]) == 0 ? VC_LINK_EXTERNAL : VC_LINK_INTERNAL;
}

/* ---- origins ---------------------------------------------------------------- */
static const struct {
  const char *text;   /* stored; NULL: the entry's own "file:line" */
  const char *label;  /* explain's label */
} vc_origins[] = {
    [VC_ORIGIN_NONE] = {NULL, ""},
    [VC_ORIGIN_ANNOTATION] = {"annotation", "[annotation]"},
    [VC_ORIGIN_BUILTIN] = {"built-in", "[built-in]"},
    [VC_ORIGIN_MODEL] = {NULL, "[model %1]"},
};

const char *vc_origin_text(vc_origin o, const char *where) {
  if (o == VC_ORIGIN_MODEL) return where;
  return o == VC_ORIGIN_ANNOTATION || o == VC_ORIGIN_BUILTIN ? vc_origins[o].text : NULL;
}

vc_origin vc_origin_of(const char *text) {
  if (!text) return VC_ORIGIN_NONE;
  for (int o = VC_ORIGIN_ANNOTATION; o <= VC_ORIGIN_BUILTIN; o++)
    if (strcmp(text, vc_origins[o].text) == 0) return (vc_origin)o;
  return VC_ORIGIN_MODEL;
}

void vc_origin_label(char *buf, size_t n, const char *text) {
  vc_fill(buf, n, vc_origins[vc_origin_of(text)].label, text, NULL);
}

/* ---- the indirect-calls setting ---------------------------------------------- */
const char *const vc_indirect_words[VC_NINDIRECT + 1] = {
    [VC_INDIRECT_UNKNOWN] = "unknown", [VC_INDIRECT_SIGNATURE] = "signature", [VC_INDIRECT_FIELD] = "field", NULL};

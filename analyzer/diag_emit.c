/* SPDX-License-Identifier: MIT */
/*
 * diag_emit.c - the writers: clang text (with source line and caret), JSON,
 * SARIF 2.1.0 and clang-tidy's export-fixes YAML, and their escaping.
 *
 * Invariant: the machine formats are valid for any byte string a path,
 * name or message may hold — JSON strings (ut_buf_json) replace invalid
 * UTF-8 with U+FFFD, SARIF URIs percent-encode every byte outside RFC 3986's
 * unreserved set, YAML switches to double quotes with escapes when single
 * quotes cannot hold a string.  Clang text is for terminals and line-based
 * tools: control characters in it are shown as '?', never sent raw.
 */
#include <stdlib.h>
#include <string.h>

#include "diag_emit.h"

#ifndef FNPROP_VERSION
#define FNPROP_VERSION "0"
#endif
/* Where the SARIF rules' documentation lives; empty leaves it out. */
#ifndef FNPROP_INFORMATION_URI
#define FNPROP_INFORMATION_URI ""
#endif

/* ---- escaping ----------------------------------------------------------------- */
void dg_yaml_str(ut_buf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)(s ? s : "");
  int plain = 1;
  for (const unsigned char *q = p; *q; q++)
    if (*q < 0x20 || *q == 0x7f) plain = 0;
  if (plain) {
    ut_buf_add(b, "'", 1);
    for (; *p; p++) ut_buf_add(b, *p == '\'' ? "''" : (const char *)p, *p == '\'' ? 2 : 1);
    ut_buf_add(b, "'", 1);
    return;
  }
  ut_buf_add(b, "\"", 1);
  for (; *p; p++) {
    switch (*p) {
    case '"': ut_buf_puts(b, "\\\""); break;
    case '\\': ut_buf_puts(b, "\\\\"); break;
    case '\n': ut_buf_puts(b, "\\n"); break;
    case '\t': ut_buf_puts(b, "\\t"); break;
    case '\r': ut_buf_puts(b, "\\r"); break;
    default:
      if (*p < 0x20 || *p == 0x7f) ut_buf_printf(b, "\\x%02x", *p);
      else ut_buf_add(b, (const char *)p, 1);
    }
  }
  ut_buf_add(b, "\"", 1);
}

void dg_uri_path(ut_buf *b, const char *path) {
  static const char hex[] = "0123456789ABCDEF";
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    unsigned char c = *p;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      ut_buf_add(b, (const char *)p, 1);
    } else {
      char e[3] = {'%', hex[c >> 4], hex[c & 15]};
      ut_buf_add(b, e, 3);
    }
  }
}

uint64_t dg_fingerprint(const dg_diag *d, const dg_src *src) {
  uint64_t h = ut_hash_str(UT_HASH_INIT, dg_checks[d->check].name);
  h = ut_hash(h, "\0", 1);
  /* Without a function (parse errors, NOLINT) the message identifies it. */
  h = ut_hash_str(h, d->func ? d->func : d->msg);
  h = ut_hash(h, "\0", 1);
  const char *text;
  size_t len;
  if (src && dg_src_line(src, d->at.line, &text, &len) == 0)
    for (size_t i = 0; i < len; i++)
      if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r' && text[i] != '\f' && text[i] != '\v')
        h = ut_hash(h, text + i, 1);
  return h;
}

/* ---- clang text ------------------------------------------------------------------- */
#define C_BOLD    "\033[1m"
#define C_RESET   "\033[0m"
#define C_ERROR   "\033[0;1;31m"
#define C_WARNING "\033[0;1;35m"
#define C_NOTE    "\033[0;1;30m"
#define C_CARET   "\033[0;1;32m"

/* Appends s with control characters shown as '?'. */
static void dg_put_text(ut_buf *b, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    ut_buf_add(b, c < 0x20 || c == 0x7f ? "?" : s + i, 1);
  }
}

static void dg_put_loc(const dg_out *w, ut_buf *b, const dg_loc *at) {
  const char *file = w->rel ? ut_relpath(at->file, w->rel) : at->file;
  dg_put_text(b, file, strlen(file));
  if (at->line > 0) ut_buf_printf(b, ":%d", at->line);
  if (at->line > 0 && at->col > 0) ut_buf_printf(b, ":%d", at->col);
  ut_buf_puts(b, ": ");
}

/* Display width of text[0..n) with tabs to 8-column stops; UTF-8
 * continuation bytes take no column. */
static size_t dg_width(const char *t, size_t n, size_t start) {
  size_t w = start;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)t[i];
    if (c == '\t') w = (w / 8 + 1) * 8;
    else if ((c & 0xc0) != 0x80) w++;
  }
  return w;
}

/* The source line and a caret under `at`, as clang 19 prints them. */
static void dg_put_snippet(const dg_out *w, ut_buf *b, const dg_loc *at) {
  const char *text;
  size_t len;
  if (w->brief) return;
  dg_src *src = dg_src_get(w->srcs, at->file);
  if (!src || at->line < 1 || dg_src_line(src, at->line, &text, &len) < 0) return;
  int digits = 1;
  for (int l = at->line; l >= 10; l /= 10) digits++;
  int gutter = (digits > 4 ? digits : 4) + 1;
  ut_buf_printf(b, "%*d | ", gutter, at->line);
  size_t col = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '\t') {
      size_t next = (col / 8 + 1) * 8;
      for (; col < next; col++) ut_buf_add(b, " ", 1);
    } else {
      dg_put_text(b, text + i, 1);
      if ((c & 0xc0) != 0x80) col++;
    }
  }
  ut_buf_puts(b, "\n");
  if (at->col < 1 || (size_t)at->col - 1 > len) return;
  ut_buf_printf(b, "%*s | ", gutter, "");
  size_t pad = dg_width(text, (size_t)at->col - 1, 0);
  for (size_t i = 0; i < pad; i++) ut_buf_add(b, " ", 1);
  if (w->color) ut_buf_puts(b, C_CARET);
  ut_buf_puts(b, "^");
  size_t tl = at->tok ? strlen(at->tok) : 0;
  if (tl > 1 && (size_t)at->col - 1 + tl <= len && memcmp(text + at->col - 1, at->tok, tl) == 0)
    for (size_t i = 1; i < tl; i++) ut_buf_add(b, "~", 1);
  if (w->color) ut_buf_puts(b, C_RESET);
  ut_buf_puts(b, "\n");
}

static int dg_flush_buf(ut_buf *b, FILE *out) {
  int rc = b->failed || (b->n && fwrite(b->s, 1, b->n, out) != b->n) ? -1 : 0;
  b->n = 0;
  return rc;
}

int dg_write_clang(const dg_out *w, const dg_diag *v, size_t n, FILE *out) {
  ut_buf b = {0};
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    const dg_diag *d = &v[i];
    int err = d->level == DG_ERROR;
    if (w->color) ut_buf_puts(&b, C_BOLD);
    dg_put_loc(w, &b, &d->at);
    if (w->color) ut_buf_puts(&b, C_RESET), ut_buf_puts(&b, err ? C_ERROR : C_WARNING);
    ut_buf_puts(&b, err ? "error: " : "warning: ");
    if (w->color) ut_buf_puts(&b, C_RESET C_BOLD);
    dg_put_text(&b, d->msg, strlen(d->msg));
    ut_buf_printf(&b, " [%s%s]", dg_checks[d->check].name, d->promoted ? ",-warnings-as-errors" : "");
    if (w->color) ut_buf_puts(&b, C_RESET);
    ut_buf_puts(&b, "\n");
    dg_put_snippet(w, &b, &d->at);
    for (size_t k = 0; k < d->notes.n; k++) {
      const dg_note *nt = &d->notes.v[k];
      if (w->color) ut_buf_puts(&b, C_BOLD);
      dg_put_loc(w, &b, &nt->at);
      if (w->color) ut_buf_puts(&b, C_RESET C_NOTE);
      ut_buf_puts(&b, "note: ");
      if (w->color) ut_buf_puts(&b, C_RESET);
      dg_put_text(&b, nt->msg, strlen(nt->msg));
      ut_buf_puts(&b, "\n");
      dg_put_snippet(w, &b, &nt->at);
    }
    rc = dg_flush_buf(&b, out);
  }
  ut_buf_free(&b);
  return rc;
}

/* ---- JSON ------------------------------------------------------------------------ */
static void dg_json_loc(ut_buf *b, const dg_loc *at) {
  ut_buf_puts(b, "\"file\":");
  ut_buf_json(b, at->file);
  ut_buf_printf(b, ",\"line\":%d,\"column\":%d", at->line, at->col);
}

int dg_write_json(const dg_out *w, const dg_diag *v, size_t n, FILE *out) {
  ut_buf b = {0};
  int rc = 0;
  ut_buf_puts(&b, n ? "[\n" : "[]\n");
  for (size_t i = 0; rc == 0 && i < n; i++) {
    const dg_diag *d = &v[i];
    ut_buf_printf(&b, "  {\"check\":\"%s\",\"severity\":\"%s\",\"message\":", dg_checks[d->check].name,
                  dg_level_name(d->level));
    ut_buf_json(&b, d->msg);
    ut_buf_puts(&b, ",");
    dg_json_loc(&b, &d->at);
    ut_buf_puts(&b, ",\"function\":");
    if (d->func) ut_buf_json(&b, d->func);
    else ut_buf_puts(&b, "null");
    ut_buf_printf(&b, ",\"warnings_as_errors\":%s,\"notes\":[", d->promoted ? "true" : "false");
    for (size_t k = 0; k < d->notes.n; k++) {
      ut_buf_puts(&b, k ? ",{\"message\":" : "{\"message\":");
      ut_buf_json(&b, d->notes.v[k].msg);
      ut_buf_puts(&b, ",");
      dg_json_loc(&b, &d->notes.v[k].at);
      ut_buf_puts(&b, "}");
    }
    ut_buf_puts(&b, "],\"replacements\":[");
    for (size_t k = 0; k < d->fixes.n; k++) {
      const dg_fix *f = &d->fixes.v[k];
      ut_buf_puts(&b, k ? ",{\"file\":" : "{\"file\":");
      ut_buf_json(&b, f->file);
      ut_buf_printf(&b, ",\"offset\":%ld,\"length\":%ld,\"text\":", f->offset, f->length);
      ut_buf_json(&b, f->text);
      ut_buf_puts(&b, "}");
    }
    ut_buf_puts(&b, i + 1 < n ? "]},\n" : "]}\n]\n");
    rc = dg_flush_buf(&b, out);
  }
  if (rc == 0) rc = dg_flush_buf(&b, out);
  ut_buf_free(&b);
  (void)w;
  return rc;
}

/* ---- SARIF 2.1.0 ------------------------------------------------------------------ */
static void dg_sarif_artifact(const dg_out *w, ut_buf *b, const char *path) {
  size_t n = strlen(w->cwd);
  int below = n > 0 && strncmp(path, w->cwd, n) == 0 && (path[n] == '/' || w->cwd[n - 1] == '/') && path[n];
  ut_buf_puts(b, "{\"uri\":\"");
  if (below) {
    const char *rel = path + n;
    while (*rel == '/') rel++;
    dg_uri_path(b, rel);
    ut_buf_puts(b, "\",\"uriBaseId\":\"%SRCROOT%\"}");
  } else {
    ut_buf_puts(b, "file://");
    dg_uri_path(b, path);
    ut_buf_puts(b, "\"}");
  }
}

/* SARIF columns count Unicode code points (columnKind unicodeCodePoints);
 * fnprop's are bytes: convert through the source line when it is readable. */
static int dg_cp_col(const dg_out *w, const dg_loc *at) {
  const char *text;
  size_t len;
  dg_src *src = dg_src_get(w->srcs, at->file);
  if (!src || at->col < 1 || dg_src_line(src, at->line, &text, &len) < 0 || (size_t)at->col - 1 > len) return at->col;
  int col = 1;
  for (int i = 0; i < at->col - 1; i++)
    if (((unsigned char)text[i] & 0xc0) != 0x80) col++;
  return col;
}

static void dg_sarif_physical(const dg_out *w, ut_buf *b, const dg_loc *at) {
  ut_buf_puts(b, "{\"physicalLocation\":{\"artifactLocation\":");
  dg_sarif_artifact(w, b, at->file);
  if (at->line > 0) {
    ut_buf_printf(b, ",\"region\":{\"startLine\":%d", at->line);
    if (at->col > 0) ut_buf_printf(b, ",\"startColumn\":%d", dg_cp_col(w, at));
    ut_buf_puts(b, "}");
  }
  ut_buf_puts(b, "}}");
}

static void dg_sarif_text(ut_buf *b, const char *key, const char *text) {
  ut_buf_printf(b, "\"%s\":{\"text\":", key);
  ut_buf_json(b, text);
  ut_buf_puts(b, "}");
}

static void dg_sarif_rules(ut_buf *b) {
  for (int c = 0; c < DG_NCHECKS; c++) {
    const dg_check *k = &dg_checks[c];
    ut_buf_puts(b, c ? ",\n          {\"id\":" : "\n          {\"id\":");
    ut_buf_json(b, k->name);
    /* The friendly name: the id in PascalCase, without the tool prefix. */
    ut_buf_puts(b, ",\"name\":\"");
    for (const char *p = strncmp(k->name, "fnprop-", 7) ? k->name : k->name + 7; *p; p++) {
      if (*p == '-') continue;
      char ch = p == k->name + 7 || p == k->name || p[-1] == '-' ? (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p) : *p;
      ut_buf_add(b, &ch, 1);
    }
    ut_buf_puts(b, "\",");
    dg_sarif_text(b, "shortDescription", k->summary);
    ut_buf_puts(b, ",");
    dg_sarif_text(b, "fullDescription", k->description);
    ut_buf_puts(b, ",");
    dg_sarif_text(b, "help", k->help);
    ut_buf_printf(b, ",\"defaultConfiguration\":{\"enabled\":%s,\"level\":\"%s\"}", k->flags & DG_ON ? "true" : "false",
                  dg_level_name(k->level));
    ut_buf_printf(b, ",\"properties\":{\"tags\":[\"fnprop\"],\"problem.severity\":\"%s\"}}",
                  k->level == DG_ERROR     ? "error"
                  : k->level == DG_WARNING ? "warning"
                                           : "recommendation");
  }
}

static void dg_sarif_result(const dg_out *w, ut_buf *b, const dg_diag *d, uint64_t fp, int occurrence) {
  ut_buf_printf(b, "{\"ruleId\":\"%s\",\"ruleIndex\":%d,\"level\":\"%s\",", dg_checks[d->check].name, (int)d->check,
                dg_level_name(d->level));
  dg_sarif_text(b, "message", d->msg);
  ut_buf_puts(b, ",\"locations\":[");
  dg_sarif_physical(w, b, &d->at);
  ut_buf_printf(b, "],\"partialFingerprints\":{\"primaryLocationLineHash\":\"%016llx:%d\"}", (unsigned long long)fp,
                occurrence);
  if (d->notes.n) {
    ut_buf_puts(b, ",\"codeFlows\":[{\"threadFlows\":[{\"locations\":[");
    for (size_t k = 0; k < d->notes.n; k++) {
      const dg_note *nt = &d->notes.v[k];
      ut_buf_puts(b, k ? ",{\"location\":" : "{\"location\":");
      dg_sarif_physical(w, b, &nt->at);
      b->n--; /* reopen the location object to add its message */
      ut_buf_puts(b, ",");
      dg_sarif_text(b, "message", nt->msg);
      ut_buf_printf(b, "},\"executionOrder\":%zu}", k + 1);
    }
    ut_buf_puts(b, "]}]}]");
  }
  if (d->fixes.n) {
    ut_buf_puts(b, ",\"fixes\":[{\"description\":{\"text\":\"Apply the suggested annotation.\"},\"artifactChanges\":[");
    for (size_t k = 0; k < d->fixes.n; k++) {
      const dg_fix *f = &d->fixes.v[k];
      int same = k > 0 && !strcmp(f->file, d->fixes.v[k - 1].file);
      if (k && !same) ut_buf_puts(b, "]},");
      if (!same) {
        ut_buf_puts(b, "{\"artifactLocation\":");
        dg_sarif_artifact(w, b, f->file);
        ut_buf_puts(b, ",\"replacements\":[");
      } else {
        ut_buf_puts(b, ",");
      }
      ut_buf_printf(b, "{\"deletedRegion\":{\"byteOffset\":%ld,\"byteLength\":%ld},\"insertedContent\":{\"text\":",
                    f->offset, f->length);
      ut_buf_json(b, f->text);
      ut_buf_puts(b, "}}");
    }
    ut_buf_puts(b, "]}]}]");
  }
  ut_buf_puts(b, "}");
}

int dg_write_sarif(const dg_out *w, const dg_diag *v, size_t n, FILE *out) {
  ut_buf b = {0};
  ut_buf_puts(&b, "{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                  "sarif-schema-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n");
  ut_buf_puts(&b, "      \"tool\": {\"driver\": {\"name\": \"fnprop\", \"version\": \"" FNPROP_VERSION
                  "\", \"semanticVersion\": \"" FNPROP_VERSION "\"");
  if (FNPROP_INFORMATION_URI[0]) ut_buf_puts(&b, ", \"informationUri\": \"" FNPROP_INFORMATION_URI "\"");
  ut_buf_puts(&b, ", \"rules\": [");
  dg_sarif_rules(&b);
  ut_buf_puts(&b, "]}},\n      \"automationDetails\": {\"id\": \"fnprop/\"},\n");
  ut_buf_puts(&b, "      \"originalUriBaseIds\": {\"%SRCROOT%\": {\"uri\": \"file://");
  dg_uri_path(&b, w->cwd);
  if (!w->cwd[0] || w->cwd[strlen(w->cwd) - 1] != '/') ut_buf_puts(&b, "/");
  ut_buf_puts(&b, "\"}},\n      \"invocations\": [{\"executionSuccessful\": true, \"workingDirectory\": {\"uri\": "
                  "\"file://");
  dg_uri_path(&b, w->cwd);
  if (!w->cwd[0] || w->cwd[strlen(w->cwd) - 1] != '/') ut_buf_puts(&b, "/");
  ut_buf_puts(&b, "\"}}],\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [");
  int rc = dg_flush_buf(&b, out);
  uint64_t *fps = malloc((n + 1) * sizeof *fps);
  if (!fps) rc = -1;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    fps[i] = v[i].fp_n ? v[i].fp : dg_fingerprint(&v[i], dg_src_get(w->srcs, v[i].at.file));
    int occurrence = 1;
    for (size_t k = 0; k < i; k++) occurrence += fps[k] == fps[i];
    if (v[i].fp_n) occurrence = v[i].fp_n; /* numbered before a baseline left some out */
    ut_buf_puts(&b, i ? ",\n        " : "\n        ");
    dg_sarif_result(w, &b, &v[i], fps[i], occurrence);
    rc = dg_flush_buf(&b, out);
  }
  free(fps);
  ut_buf_puts(&b, n ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n");
  if (rc == 0) rc = dg_flush_buf(&b, out);
  ut_buf_free(&b);
  return rc;
}

/* ---- export-fixes YAML -------------------------------------------------------------- */
static long dg_offset(const dg_out *w, const dg_loc *at) {
  long off = dg_src_offset(dg_src_get(w->srcs, at->file), at->line, at->col > 0 ? at->col : 1);
  return off < 0 ? 0 : off;
}

static void dg_yaml_key(ut_buf *b, int indent, const char *key) {
  ut_buf_printf(b, "%*s%s:", indent, "", key);
  size_t pad = strlen(key) + 1 < 17 ? 17 - strlen(key) - 1 : 1;
  ut_buf_printf(b, "%*s", (int)pad, "");
}

static void dg_yaml_message(const dg_out *w, ut_buf *b, int indent, const char *msg, const dg_loc *at,
                            const dg_fix *fixes, size_t nfix) {
  dg_yaml_key(b, indent, "Message");
  dg_yaml_str(b, msg);
  ut_buf_puts(b, "\n");
  dg_yaml_key(b, indent, "FilePath");
  dg_yaml_str(b, at->file);
  ut_buf_puts(b, "\n");
  dg_yaml_key(b, indent, "FileOffset");
  ut_buf_printf(b, "%ld\n", dg_offset(w, at));
  dg_yaml_key(b, indent, "Replacements");
  if (!nfix) ut_buf_puts(b, "[]\n");
  else ut_buf_puts(b, "\n");
  for (size_t k = 0; k < nfix; k++) {
    ut_buf_printf(b, "%*s- ", indent + 2, "");
    dg_yaml_key(b, 0, "FilePath");
    dg_yaml_str(b, fixes[k].file);
    ut_buf_puts(b, "\n");
    dg_yaml_key(b, indent + 4, "Offset");
    ut_buf_printf(b, "%ld\n", fixes[k].offset);
    dg_yaml_key(b, indent + 4, "Length");
    ut_buf_printf(b, "%ld\n", fixes[k].length);
    dg_yaml_key(b, indent + 4, "ReplacementText");
    dg_yaml_str(b, fixes[k].text);
    ut_buf_puts(b, "\n");
  }
}

/* clang-apply-replacements applies two identical insertions twice: keep the
 * first of each (the `#include <fnprop.h>` several suggestions share). */
static size_t dg_unique_fixes(ut_map *seen, ut_arena *a, const dg_diag *d, dg_fix *out, int *oom) {
  size_t m = 0;
  for (size_t k = 0; k < d->fixes.n; k++) {
    const dg_fix *f = &d->fixes.v[k];
    ut_buf key = {0};
    ut_buf_printf(&key, "%s%c%ld%c%ld%c%s", f->file, 0x1f, f->offset, 0x1f, f->length, 0x1f, f->text);
    uint32_t dummy;
    const char *kept = key.failed ? NULL : ut_arena_strdup(a, key.s);
    ut_buf_free(&key);
    if (!kept) return *oom = 1, m;
    if (ut_map_get(seen, kept, &dummy)) continue;
    if (ut_map_put(seen, kept, 1) < 0) return *oom = 1, m;
    out[m++] = *f;
  }
  return m;
}

int dg_write_fixes(const dg_out *w, const dg_diag *v, size_t n, FILE *out) {
  ut_buf b = {0};
  ut_map seen = {0};
  ut_arena keys = {0};
  int oom = 0;
  ut_buf_puts(&b, "---\n");
  dg_yaml_key(&b, 0, "MainSourceFile");
  dg_yaml_str(&b, w->o->files.n == 1 ? w->o->files.v[0] : "");
  ut_buf_puts(&b, n ? "\nDiagnostics:\n" : "\nDiagnostics:     []\n");
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    const dg_diag *d = &v[i];
    ut_buf_puts(&b, "  - ");
    dg_yaml_key(&b, 0, "DiagnosticName");
    dg_yaml_str(&b, dg_checks[d->check].name);
    ut_buf_puts(&b, "\n    DiagnosticMessage:\n");
    dg_fix *fixes = malloc((d->fixes.n + 1) * sizeof *fixes);
    if (!fixes) {
      rc = -1;
      break;
    }
    size_t nfix = dg_unique_fixes(&seen, &keys, d, fixes, &oom);
    dg_yaml_message(w, &b, 6, d->msg, &d->at, fixes, nfix);
    free(fixes);
    if (d->notes.n) ut_buf_puts(&b, "    Notes:\n");
    for (size_t k = 0; k < d->notes.n; k++) {
      ut_buf_puts(&b, "      - ");
      /* The first key shares the line with the dash. */
      ut_buf b2 = {0};
      dg_yaml_message(w, &b2, 8, d->notes.v[k].msg, &d->notes.v[k].at, NULL, 0);
      if (b2.failed) b.failed = 1;
      else ut_buf_add(&b, b2.s + 8, b2.n - 8);
      ut_buf_free(&b2);
    }
    dg_yaml_key(&b, 4, "Level");
    ut_buf_puts(&b, d->level == DG_ERROR ? "Error\n" : "Warning\n");
    dg_yaml_key(&b, 4, "BuildDirectory");
    dg_yaml_str(&b, w->o->build_dir ? w->o->build_dir : w->cwd);
    ut_buf_puts(&b, "\n");
    rc = dg_flush_buf(&b, out);
  }
  ut_buf_puts(&b, "...\n");
  if (rc == 0) rc = dg_flush_buf(&b, out);
  ut_buf_free(&b);
  ut_map_free(&seen);
  ut_arena_free(&keys);
  return oom ? -1 : rc;
}

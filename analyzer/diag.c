/* SPDX-License-Identifier: MIT */
/*
 * diag.c - the filter pipeline from findings to printed lines.
 *
 * Pipeline (dg_run): producers fill the sink -> file arguments -> header
 * filter -> NOLINT (plus errors for unmatched NOLINTBEGIN/END) ->
 * --warnings-as-errors -> sort and deduplicate -> one writer -> counts.
 * Checks flagged DG_ALWAYS (parse errors, NOLINT misuse) skip the check,
 * header and NOLINT filters, as clang's own errors do in clang-tidy.
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "diag_base.h"
#include "diag_checks.h"
#include "diag_emit.h"
#include "diag_nolint.h"
#include "diag_sink.h"
#include "diag_src.h"

/* ---- filtering -------------------------------------------------------------------- */
typedef struct dg_filter {
  const dg_opts *o;
  dg_srcs *srcs;
  ut_map mains;          /* main files of TUs */
  ut_arena keys;
  regex_t hf;
  int has_hf;
  struct {
    dg_src **v;
    size_t n, cap;
  } touched; /* files whose NOLINTs were read */
} dg_filter;

static int dg_main_fn(void *arg, const char *file) {
  dg_filter *f = arg;
  const char *k = ut_arena_strdup(&f->keys, file);
  return k && ut_map_put(&f->mains, k, 1) == 0 ? 0 : -1;
}

static int dg_in_files(const dg_opts *o, const char *path) {
  if (!o->files.n) return 1;
  if (!path) return 0;
  for (size_t i = 0; i < o->files.n; i++)
    if (!strcmp(o->files.v[i], path)) return 1;
  return 0;
}

/* Does the finding concern one of the named files: its location, its TU
 * (parse errors), a step of its witness or the header declaring the
 * contract it checks?  A change there can cause it, so a pre-commit hook
 * naming only the changed files still reports what CI would. */
static int dg_concerns(const dg_opts *o, const dg_diag *d) {
  if (dg_in_files(o, d->at.file) || (d->unit && dg_in_files(o, d->unit)) || (d->decl && dg_in_files(o, d->decl)))
    return 1;
  for (size_t i = 0; i < d->notes.n; i++)
    if (d->notes.v[i].at.file && d->notes.v[i].at.file[0] && dg_in_files(o, d->notes.v[i].at.file)) return 1;
  return 0;
}

/* 1 to keep, 0 when filtered out; counts suppressed ones in res. */
static int dg_keep(dg_filter *f, const dg_diag *d, dg_result *res) {
  const dg_opts *o = f->o;
  if (!dg_concerns(o, d)) return 0;
  if (dg_checks[d->check].flags & DG_ALWAYS) return 1;
  uint32_t dummy;
  if (d->at.file[0] && !ut_map_get(&f->mains, d->at.file, &dummy) && f->o->header_filter &&
      (!f->has_hf || regexec(&f->hf, d->at.file, 0, NULL, 0) != 0)) {
    res->non_user++;
    return 0;
  }
  dg_src *src = dg_src_get(f->srcs, d->at.file);
  if (!src) return 1;
  if (!src->nolint) {
    if (UT_PUSH(f->touched, src) < 0) return -1;
    src->nolint = dg_nolint_parse(src);
    if (!src->nolint) return -1;
  }
  if (dg_nolint_suppresses(src->nolint, d->at.line, d->at.col, dg_checks[d->check].name)) {
    res->nolint++;
    return 0;
  }
  return 1;
}

/* Unmatched NOLINTBEGIN/END of every file whose comments were consulted. */
static int dg_nolint_errors(dg_filter *f, dg_sink *s) {
  for (size_t i = 0; i < f->touched.n; i++) {
    dg_src *src = f->touched.v[i];
    int line, col, begin;
    for (size_t k = 0; dg_nolint_unmatched(src->nolint, k, &line, &col, &begin) == 0; k++) {
      dg_loc at = {src->path, line, col, NULL};
      if (begin)
        dg_report(s, DG_NOLINT, at, NULL, "unmatched 'NOLINTBEGIN' comment without a subsequent 'NOLINTEND' comment");
      else dg_report(s, DG_NOLINT, at, NULL, "unmatched 'NOLINTEND' comment without a previous 'NOLINTBEGIN' comment");
    }
  }
  return s->failed ? -1 : 0;
}

static int dg_diag_cmp(const void *a, const void *b) {
  const dg_diag *x = *(const dg_diag *const *)a, *y = *(const dg_diag *const *)b;
  int c = strcmp(x->at.file, y->at.file);
  if (c) return c;
  if (x->at.line != y->at.line) return x->at.line < y->at.line ? -1 : 1;
  if (x->at.col != y->at.col) return x->at.col < y->at.col ? -1 : 1;
  c = strcmp(dg_checks[x->check].name, dg_checks[y->check].name);
  if (c) return c;
  c = strcmp(x->msg, y->msg);
  if (c) return c;
  return (x > y) - (x < y);
}

static int dg_same(const dg_diag *x, const dg_diag *y) {
  return x->check == y->check && x->at.line == y->at.line && x->at.col == y->at.col &&
         !strcmp(x->at.file, y->at.file) && !strcmp(x->msg, y->msg);
}

static void dg_counts(const dg_result *r, FILE *err) {
  if (r->warnings || r->errors) {
    if (r->warnings) fprintf(err, "%ld warning%s", r->warnings, r->warnings == 1 ? "" : "s");
    if (r->warnings && r->errors) fputs(" and ", err);
    if (r->errors) fprintf(err, "%ld error%s", r->errors, r->errors == 1 ? "" : "s");
    fputs(" generated.\n", err);
  }
  long ignored = r->nolint + r->non_user + r->baseline;
  if (ignored) {
    const char *sep = "";
    fprintf(err, "Suppressed %ld warning%s (", ignored, ignored == 1 ? "" : "s");
    if (r->non_user) fprintf(err, "%ld in non-user code", r->non_user), sep = ", ";
    if (r->nolint) fprintf(err, "%s%ld NOLINT", sep, r->nolint), sep = ", ";
    if (r->baseline) fprintf(err, "%s%ld in baseline", sep, r->baseline);
    fputs(").\n", err);
    if (r->non_user) fputs("Use --header-filter=.* to display diagnostics from every header.\n", err);
  }
  if (r->promoted)
    fprintf(err, "%ld warning%s treated as error%s\n", r->promoted, r->promoted == 1 ? "" : "s",
            r->promoted == 1 ? "" : "s");
}

static int dg_write(const dg_opts *o, dg_srcs *srcs, dg_diag **kept, size_t n, FILE *out, char *eb, size_t en) {
  char cwd[PATH_MAX];
  dg_out w = {o, srcs, getcwd(cwd, sizeof cwd) ? cwd : "/", 0, NULL, 0};
  w.color = o->color == -1 ? isatty(fileno(out)) : o->color;
  /* The writers take an array of diagnostics: copy the sorted view. */
  dg_diag *v = malloc((n + 1) * sizeof *v);
  if (!v) return snprintf(eb, en, "out of memory"), -2;
  for (size_t i = 0; i < n; i++) v[i] = *kept[i];
  int rc = o->format == DG_FMT_JSON    ? dg_write_json(&w, v, n, out)
           : o->format == DG_FMT_SARIF ? dg_write_sarif(&w, v, n, out)
                                       : dg_write_clang(&w, v, n, out);
  if (rc < 0 || fflush(out) != 0) {
    free(v);
    return snprintf(eb, en, "cannot write the diagnostics"), -2;
  }
  if (o->export_fixes) {
    FILE *f = fopen(o->export_fixes, "w");
    if (!f) {
      free(v);
      return snprintf(eb, en, "cannot write export-fixes file '%s': %s", o->export_fixes, strerror(errno)), -2;
    }
    rc = dg_write_fixes(&w, v, n, f);
    if (fclose(f) != 0 || rc < 0) {
      free(v);
      return snprintf(eb, en, "cannot write export-fixes file '%s'", o->export_fixes), -2;
    }
  }
  free(v);
  return 0;
}

/* Fingerprints every finding kept so far (as SARIF numbers them), writes
 * --write-baseline, then leaves out the findings --baseline lists.  0 or
 * -1 with a message in eb. */
static int dg_baseline(const dg_opts *o, dg_srcs *srcs, dg_diag **kept, size_t *m, dg_result *res, char *eb,
                       size_t en) {
  for (size_t i = 0; i < *m; i++) {
    kept[i]->fp = dg_fingerprint(kept[i], dg_src_get(srcs, kept[i]->at.file));
    kept[i]->fp_n = 1;
    for (size_t k = 0; k < i; k++) kept[i]->fp_n += kept[k]->fp == kept[i]->fp;
  }
  if (!o->baseline && !o->write_baseline) return 0;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "/");
  if (o->write_baseline && dg_base_write(o->write_baseline, kept, *m, cwd, eb, en) < 0) return -1;
  if (!o->baseline) return 0;
  dg_base *b = dg_base_load(o->baseline, eb, en);
  if (!b) return -1;
  size_t k = 0;
  for (size_t i = 0; i < *m; i++) {
    if (dg_base_has(b, kept[i], cwd)) res->baseline++;
    else kept[k++] = kept[i];
  }
  *m = k;
  dg_base_free(b);
  return 0;
}

/* The pipeline; the kept findings are printed on out, or with fn handed
 * to fn one by one (nothing printed). */
static int dg_pipeline(pdb *db, const dg_opts *o, FILE *out, FILE *err, dg_result *res, char *eb, size_t en,
                       int (*fn)(void *arg, const dg_diag *d), void *arg) {
  memset(res, 0, sizeof *res);
  dg_srcs srcs;
  memset(&srcs, 0, sizeof srcs);
  dg_sink *s = dg_sink_create(o, &srcs);
  dg_filter f;
  memset(&f, 0, sizeof f);
  f.o = o;
  f.srcs = &srcs;
  dg_diag **kept = NULL;
  int rc = -2;
  snprintf(eb, en, "out of memory");
  if (!s) goto done;
  if (o->header_filter && o->header_filter[0]) {
    if (regcomp(&f.hf, o->header_filter, REG_EXTENDED | REG_NOSUB) != 0) {
      snprintf(eb, en, "invalid header-filter regular expression '%s'", o->header_filter);
      goto done;
    }
    f.has_hf = 1;
  }
  dg_ctx ctx = {db, s, &srcs};
  if (dg_produce(&ctx) < 0 || pdb_each_main_file(db, dg_main_fn, &f) < 0) {
    rc = s->failed ? -2 : -1;
    goto done;
  }
  /* Filter into marks, then add NOLINT errors (which may move the array). */
  size_t produced = s->diags.n;
  unsigned char *keep = calloc(produced + 1, 1);
  if (!keep) goto done;
  for (size_t i = 0; i < produced; i++) {
    int k = dg_keep(&f, &s->diags.v[i], res);
    if (k < 0) {
      free(keep);
      goto done;
    }
    keep[i] = (unsigned char)k;
  }
  if (dg_nolint_errors(&f, s) < 0) {
    free(keep);
    goto done;
  }
  kept = malloc((s->diags.n + 1) * sizeof *kept);
  if (!kept) {
    free(keep);
    goto done;
  }
  size_t n = 0;
  for (size_t i = 0; i < s->diags.n; i++)
    if (i >= produced || keep[i]) kept[n++] = &s->diags.v[i];
  free(keep);
  for (size_t i = 0; i < n; i++) {
    dg_diag *d = kept[i];
    if (d->level < DG_ERROR && dg_globs_decide(o->warnings_as_errors.s, dg_checks[d->check].name, 0))
      d->level = DG_ERROR, d->promoted = 1;
  }
  if (n) qsort(kept, n, sizeof *kept, dg_diag_cmp);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (m == 0 || !dg_same(kept[m - 1], kept[i])) kept[m++] = kept[i];
  if (dg_baseline(o, &srcs, kept, &m, res, eb, en) < 0) goto done;
  for (size_t i = 0; i < m; i++) {
    if (kept[i]->promoted) res->promoted++;
    if (kept[i]->level == DG_ERROR && !kept[i]->promoted) res->errors++;
    else res->warnings++;
  }
  if (fn) {
    rc = 0;
    for (size_t i = 0; rc == 0 && i < m; i++)
      if (fn(arg, kept[i]) != 0) rc = -2, snprintf(eb, en, "out of memory");
  } else {
    rc = dg_write(o, &srcs, kept, m, out, eb, en);
  }
  if (rc == 0 && !o->quiet && !fn) dg_counts(res, err);
  /* Promoted warnings are errors for the exit status. */
  res->errors += res->promoted;
done:
  free(kept);
  if (f.has_hf) regfree(&f.hf);
  ut_map_free(&f.mains);
  ut_arena_free(&f.keys);
  for (size_t i = 0; i < f.touched.n; i++) dg_nolint_free(f.touched.v[i]->nolint), f.touched.v[i]->nolint = NULL;
  free(f.touched.v);
  dg_sink_destroy(s);
  dg_srcs_free(&srcs);
  return rc;
}

int dg_run(pdb *db, const dg_opts *o, FILE *out, FILE *err, dg_result *res, char *eb, size_t en) {
  return dg_pipeline(db, o, out, err, res, eb, en, NULL, NULL);
}

int dg_each(pdb *db, const dg_opts *o, int (*fn)(void *arg, const dg_diag *d), void *arg, dg_result *res, char *eb,
            size_t en) {
  return dg_pipeline(db, o, NULL, NULL, res, eb, en, fn, arg);
}

/* Sorts and deduplicates the sink's diagnostics into *out (n of them). */
static int dg_sorted(dg_sink *s, dg_diag ***out, size_t *n) {
  dg_diag **v = malloc((s->diags.n + 1) * sizeof *v);
  if (!v) return -1;
  for (size_t i = 0; i < s->diags.n; i++) v[i] = &s->diags.v[i];
  if (s->diags.n) qsort(v, s->diags.n, sizeof *v, dg_diag_cmp);
  size_t m = 0;
  for (size_t i = 0; i < s->diags.n; i++)
    if (m == 0 || !dg_same(v[m - 1], v[i])) v[m++] = v[i];
  *out = v, *n = m;
  return 0;
}

int dg_parse_errors(pdb *db, FILE *out, const char *cwd, char *eb, size_t en) {
  dg_opts o;
  dg_opts_init(&o);
  dg_srcs srcs;
  memset(&srcs, 0, sizeof srcs);
  dg_sink *s = dg_sink_create(&o, &srcs);
  dg_ctx ctx = {db, s, &srcs};
  dg_diag **v = NULL;
  size_t n = 0;
  int rc = -2;
  snprintf(eb, en, "out of memory");
  if (s && dg_produce_parse_errors(&ctx) < 0) rc = s->failed ? -2 : -1;
  else if (s && dg_sorted(s, &v, &n) == 0) {
    dg_out w = {&o, &srcs, cwd ? cwd : "/", 0, cwd, 1};
    dg_diag *flat = malloc((n + 1) * sizeof *flat);
    for (size_t i = 0; flat && i < n; i++) flat[i] = *v[i];
    rc = !flat ? -2 : dg_write_clang(&w, flat, n, out) < 0 ? (snprintf(eb, en, "cannot write the output"), -2) : (int)n;
    free(flat);
  }
  free(v);
  dg_sink_destroy(s);
  dg_srcs_free(&srcs);
  dg_opts_free(&o);
  return rc;
}

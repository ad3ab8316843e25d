/* SPDX-License-Identifier: MIT */
/*
 * htmlreport.c - the static HTML report (htmlreport.h).
 *
 * Invariant: text reaches a page only through hr_esc (HTML) or hr_dot_str
 * (Graphviz, whose SVG output escapes it again), and a URL only as a
 * number.  Graphviz runs once for all pictures, with an argument vector
 * (no shell), on a file in the output directory; its SVG documents are
 * split in input order and inlined, so a page is one self-contained file.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag_src.h"
#include "effects.h"
#include "htmlreport.h"
#include "util.h"
#include "verdict.h"
#include "vocab.h"
#include "witness.h"

extern char **environ;

typedef struct hr_note {
  char *file, *msg;
  int line, col;
} hr_note;

typedef struct hr_find {
  int check, level, promoted;
  char *file, *func, *msg;
  int line, col;
  struct {
    hr_note *v;
    size_t n, cap;
  } notes;
} hr_find;

typedef struct hr_fn {
  int64_t id;
  char *name, *file, *linkage, *note;
  int line, col, task;
  int verdict[VD_NPROPS];
  wt_path path[VD_NPROPS];
  char *svg;                /* the picture, or NULL */
} hr_fn;

struct hr_report {
  pdb *db;
  hr_opts o;
  struct {
    hr_fn *v;
    size_t n, cap;
  } fns;
  struct {
    hr_find *v;
    size_t n, cap;
  } finds;
  struct {
    char **v;
    size_t n, cap;
  } files; /* every file a page links to, sorted */
  ut_map file_index;        /* path -> index + 1 */
  unsigned char *page;      /* page[id]: function id has a page */
  int64_t npage;
  dg_srcs srcs;
  int failed;               /* sticky: out of memory */
};

/* ---- escaping ------------------------------------------------------------------- */
/* Length of the valid UTF-8 sequence at p (up to end), 0 when invalid. */
static size_t hr_utf8(const unsigned char *p, const unsigned char *end) {
  size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 : (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;
  if (!n || (size_t)(end - p) < n || (n == 2 && *p < 0xc2)) return 0;
  for (size_t i = 1; i < n; i++)
    if ((p[i] & 0xc0) != 0x80) return 0;
  return n;
}

/* s[0..len) as HTML text or attribute value: markup characters as
 * entities, control characters and invalid UTF-8 as U+FFFD. */
static void hr_esc_n(ut_buf *b, const char *s, size_t len) {
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  while (p < end) {
    size_t n = hr_utf8(p, end);
    if (!n) ut_buf_puts(b, "\xef\xbf\xbd"), p++;
    else if (n > 1) ut_buf_add(b, (const char *)p, n), p += n;
    else {
      switch (*p) {
      case '&': ut_buf_puts(b, "&amp;"); break;
      case '<': ut_buf_puts(b, "&lt;"); break;
      case '>': ut_buf_puts(b, "&gt;"); break;
      case '"': ut_buf_puts(b, "&quot;"); break;
      case '\'': ut_buf_puts(b, "&#39;"); break;
      case '\t': ut_buf_puts(b, "\t"); break;
      default:
        if (*p < 0x20 || *p == 0x7f) ut_buf_puts(b, "\xef\xbf\xbd");
        else ut_buf_add(b, (const char *)p, 1);
      }
      p++;
    }
  }
}

static void hr_esc(ut_buf *b, const char *s) { hr_esc_n(b, s ? s : "", s ? strlen(s) : 0); }

/* s inside a double-quoted DOT string: quotes and backslashes escaped,
 * control characters and invalid UTF-8 as '?'. */
static void hr_dot_str(ut_buf *b, const char *s) {
  const unsigned char *p = (const unsigned char *)(s ? s : ""), *end = p + strlen((const char *)p);
  while (p < end) {
    size_t n = hr_utf8(p, end);
    if (!n || (n == 1 && (*p < 0x20 || *p == 0x7f))) ut_buf_puts(b, "?"), p++;
    else if (n == 1 && (*p == '"' || *p == '\\')) ut_buf_add(b, "\\", 1), ut_buf_add(b, (const char *)p++, 1);
    else ut_buf_add(b, (const char *)p, n), p += n;
  }
}

/* ---- collecting ------------------------------------------------------------------ */
static char *hr_dup(hr_report *r, const char *s) {
  char *d = ut_strdup(s ? s : "");
  if (!d) r->failed = 1;
  return d;
}

hr_report *hr_create(pdb *db, const hr_opts *o) {
  hr_report *r = calloc(1, sizeof *r);
  if (!r) return NULL;
  r->db = db;
  r->o = *o;
  return r;
}

static void hr_fn_free(hr_fn *f) {
  free(f->name), free(f->file), free(f->linkage), free(f->note), free(f->svg);
  for (int p = 0; p < VD_NPROPS; p++) wt_path_free(&f->path[p]);
}

void hr_destroy(hr_report *r) {
  if (!r) return;
  for (size_t i = 0; i < r->fns.n; i++) hr_fn_free(&r->fns.v[i]);
  free(r->fns.v);
  for (size_t i = 0; i < r->finds.n; i++) {
    hr_find *f = &r->finds.v[i];
    free(f->file), free(f->func), free(f->msg);
    for (size_t k = 0; k < f->notes.n; k++) free(f->notes.v[k].file), free(f->notes.v[k].msg);
    free(f->notes.v);
  }
  free(r->finds.v);
  for (size_t i = 0; i < r->files.n; i++) free(r->files.v[i]);
  free(r->files.v);
  ut_map_free(&r->file_index);
  free(r->page);
  dg_srcs_free(&r->srcs);
  free(r);
}

int hr_add_finding(hr_report *r, const dg_diag *d) {
  hr_find f = {(int)d->check,
               (int)d->level,
               d->promoted,
               hr_dup(r, d->at.file),
               d->func ? hr_dup(r, d->func) : NULL,
               hr_dup(r, d->msg),
               d->at.line,
               d->at.col,
               {0}};
  for (size_t i = 0; i < d->notes.n; i++) {
    hr_note n = {hr_dup(r, d->notes.v[i].at.file), hr_dup(r, d->notes.v[i].msg), d->notes.v[i].at.line,
                 d->notes.v[i].at.col};
    if (UT_PUSH(f.notes, n) < 0) free(n.file), free(n.msg), r->failed = 1;
  }
  if (UT_PUSH(r->finds, f) < 0) r->failed = 1;
  return r->failed ? -1 : 0;
}

static int hr_fn_row(void *arg, const pdb_func *f) {
  hr_report *r = arg;
  hr_fn x = {f->id,
             hr_dup(r, f->name),
             hr_dup(r, f->file),
             hr_dup(r, f->linkage),
             f->note ? hr_dup(r, f->note) : NULL,
             f->line,
             f->col,
             f->task,
             {f->verdict[0], f->verdict[1]},
             {{0}},
             NULL};
  if (UT_PUSH(r->fns, x) < 0) hr_fn_free(&x), r->failed = 1;
  return r->failed ? -1 : 0;
}

static void hr_file_add(hr_report *r, const char *path) {
  if (!path || !path[0]) return;
  uint32_t v;
  if (ut_map_get(&r->file_index, path, &v)) return;
  char *k = hr_dup(r, path);
  if (!k || UT_PUSH(r->files, k) < 0 || ut_map_put(&r->file_index, k, 0) < 0) r->failed = 1;
}

static int hr_strcmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Every file a page links to, indexed in sorted order (stable names). */
static int hr_index_files(hr_report *r) {
  for (size_t i = 0; i < r->fns.n; i++) {
    hr_fn *f = &r->fns.v[i];
    hr_file_add(r, f->file);
    for (int p = 0; p < VD_NPROPS; p++)
      for (size_t k = 0; k < f->path[p].n; k++)
        hr_file_add(r, f->path[p].v[k].file), hr_file_add(r, f->path[p].v[k].decl_file);
  }
  for (size_t i = 0; i < r->finds.n; i++) {
    hr_file_add(r, r->finds.v[i].file);
    for (size_t k = 0; k < r->finds.v[i].notes.n; k++) hr_file_add(r, r->finds.v[i].notes.v[k].file);
  }
  if (r->failed) return -1;
  if (r->files.n) qsort(r->files.v, r->files.n, sizeof *r->files.v, hr_strcmp);
  for (size_t i = 0; i < r->files.n; i++)
    if (ut_map_put(&r->file_index, r->files.v[i], (uint32_t)i + 1) < 0) return -1;
  return 0;
}

/* Index of a file's page, or -1 when it has none. */
static long hr_file_of(const hr_report *r, const char *path) {
  uint32_t v;
  return path && path[0] && ut_map_get(&r->file_index, path, &v) && v ? (long)v - 1 : -1;
}

/* The function page a finding is about: the only function of that name,
 * else the one defined in the finding's file; -1 when none. */
static long hr_fn_of(const hr_report *r, const char *name, const char *file) {
  long only = -1, same = -1, count = 0;
  for (size_t i = 0; name && i < r->fns.n; i++)
    if (!strcmp(r->fns.v[i].name, name)) {
      count++, only = (long)i;
      if (file && !strcmp(r->fns.v[i].file, file)) same = (long)i;
    }
  return count == 1 ? only : same;
}

/* ---- pages: common parts ---------------------------------------------------------- */
static const char hr_css[] =
    "body{font-family:sans-serif;margin:1.5em;color:#222;background:#fff}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}"
    "th a{color:inherit}pre{margin:0;font-family:monospace}.error{color:#b00}.warning{color:#a60}.note{color:#06c}"
    ".violated{color:#b00;font-weight:bold}.unknown{color:#a60;font-weight:bold}.proven{color:#080}"
    "table.src td{border:none;padding:0 .5em}table.src td.ln{text-align:right;color:#888}"
    "table.src tr:target{background:#ffa}.excerpt{background:#f6f6f6;padding:.3em;margin:.3em 0}"
    ".excerpt a{text-decoration:none;color:#888}.excerpt .hit{background:#ffa}.picture{border:1px solid "
    "#ccc;padding:.5em;overflow:auto}"
    ".missing{color:#a60}ol.path li{margin-bottom:.6em}";

/* Sorts the rows of table.sortable by the data-KEY attribute named in the
 * URL (#sort=check), ties in the original order; no hash: the original. */
static const char hr_js[] =
    "(function(){function sortBy(k){var t=document.querySelector('table.sortable tbody');if(!t)return;"
    "var r=[].slice.call(t.rows);r.sort(function(a,b){var x=a.getAttribute('data-'+k)||'',"
    "y=b.getAttribute('data-'+k)||'';if(x<y)return -1;if(x>y)return 1;"
    "return a.getAttribute('data-order')<b.getAttribute('data-order')?-1:1;});"
    "r.forEach(function(e){t.appendChild(e);});document.body.setAttribute('data-sorted',k);}"
    "function apply(){var m=/sort=([a-z]+)/.exec(location.hash);sortBy(m?m[1]:'order');}"
    "window.addEventListener('hashchange',apply);apply();})();";

static void hr_head(ut_buf *b, const hr_report *r, const char *title) {
  ut_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
                 "style-src 'unsafe-inline'; script-src 'unsafe-inline'\"><title>");
  hr_esc(b, title);
  if (r->o.title) ut_buf_puts(b, " - "), hr_esc(b, r->o.title);
  ut_buf_puts(b, "</title><style>");
  ut_buf_puts(b, hr_css);
  ut_buf_puts(b, "</style></head>\n<body>\n");
}

static const char *hr_rel(const hr_report *r, const char *path) { return r->o.cwd ? ut_relpath(path, r->o.cwd) : path; }

/* <a href="PREFIXsrc/K.html#LN">file:line:col</a>, or the text alone. */
static void hr_loc(ut_buf *b, const hr_report *r, const char *prefix, const char *file, int line, int col) {
  long k = hr_file_of(r, file);
  if (k >= 0) ut_buf_printf(b, "<a href=\"%ssrc/%ld.html#L%d\">", prefix, k, line > 0 ? line : 1);
  hr_esc(b, hr_rel(r, file));
  if (line > 0) ut_buf_printf(b, ":%d", line);
  if (col > 0) ut_buf_printf(b, ":%d", col);
  if (k >= 0) ut_buf_puts(b, "</a>");
}

static int hr_save(hr_report *r, const char *rel, ut_buf *b, char *err, size_t errlen) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", r->o.dir, rel);
  if (b->failed) return snprintf(err, errlen, "out of memory writing '%s'", path), -2;
  FILE *f = fopen(path, "w");
  int ok = f && fwrite(b->s, 1, b->n, f) == b->n;
  if (f && fclose(f) != 0) ok = 0;
  if (!ok) return snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno ? errno : EIO)), -2;
  return 0;
}

static const char *hr_level(int level) {
  return level == DG_ERROR ? "error" : level == DG_WARNING ? "warning" : "note";
}

/* ---- pictures ---------------------------------------------------------------------- */
/* One graph per function with a non-proven verdict: the functions of its
 * witness paths as nodes (linked to their pages), the calls as edges, the
 * reasons as boxes; tls red, panic blue. */
static int hr_has_page(const hr_report *r, int64_t id) { return id > 0 && id < r->npage && r->page[id]; }

static void hr_dot_node(ut_buf *b, const hr_report *r, int64_t id, const char *name, int bold) {
  ut_buf_printf(b, "  n%lld [label=\"", (long long)id);
  hr_dot_str(b, name);
  ut_buf_puts(b, "\"");
  if (bold) ut_buf_puts(b, ", style=bold");
  if (hr_has_page(r, id)) ut_buf_printf(b, ", URL=\"%lld.html\"", (long long)id);
  ut_buf_puts(b, "];\n");
}

static void hr_dot_graph(ut_buf *b, const hr_report *r, const hr_fn *f) {
  static const char *const color[VD_NPROPS] = {"#b00000", "#0050b0"};
  ut_buf_printf(b,
                "digraph f%lld {\n  graph [rankdir=LR, fontname=\"sans-serif\", fontsize=10];\n"
                "  node [shape=ellipse, fontname=\"sans-serif\", fontsize=10];\n"
                "  edge [fontname=\"sans-serif\", fontsize=9];\n",
                (long long)f->id);
  hr_dot_node(b, r, f->id, f->name, 1);
  for (int p = 0; p < VD_NPROPS; p++) {
    const wt_path *w = &f->path[p];
    for (size_t i = 0; i < w->n; i++) {
      const wt_step *s = &w->v[i];
      if (s->elided) continue;
      if (s->id > 0 && s->id != f->id) hr_dot_node(b, r, s->id, s->func, 0);
      int64_t next = 0;
      for (size_t k = i + 1; k < w->n && !next; k++) next = w->v[k].elided ? 0 : w->v[k].id;
      if (s->callee && next > 0) {
        ut_buf_printf(b, "  n%lld -> n%lld [color=\"%s\", fontcolor=\"%s\", label=\"%s:%d\"];\n", (long long)s->id,
                      (long long)next, color[p], color[p], vd_prop_name((vd_prop)p), s->line);
      } else if (!s->callee) {
        char msg[1024];
        wt_step_text(msg, sizeof msg, s, 0);
        ut_buf_printf(b, "  r%d [shape=box, color=\"%s\", fontcolor=\"%s\", label=\"", p, color[p], color[p]);
        hr_dot_str(b, msg);
        ut_buf_printf(b, "\"];\n  n%lld -> r%d [color=\"%s\", fontcolor=\"%s\", label=\"%s:%d\"];\n", (long long)s->id,
                      p, color[p], color[p], vd_prop_name((vd_prop)p), s->line);
      }
    }
  }
  ut_buf_puts(b, "}\n");
}

static int hr_drawn_fn(const hr_fn *f) { return f->verdict[0] != VD_PROVEN || f->verdict[1] != VD_PROVEN; }

/* Runs dot on every graph; sets each function's svg.  0, or -1 with why. */
static int hr_draw(hr_report *r, char *why, size_t whylen) {
  if (!r->o.dot || !r->o.dot[0]) return snprintf(why, whylen, "no Graphviz dot was given"), -1;
  ut_buf in = {0};
  size_t graphs = 0;
  for (size_t i = 0; i < r->fns.n; i++)
    if (hr_drawn_fn(&r->fns.v[i])) hr_dot_graph(&in, r, &r->fns.v[i]), graphs++;
  if (!graphs) return ut_buf_free(&in), 0;
  char src[4096], dst[4096];
  snprintf(src, sizeof src, "%s/.paths.dot", r->o.dir);
  snprintf(dst, sizeof dst, "%s/.paths.svg", r->o.dir);
  FILE *f = in.failed ? NULL : fopen(src, "w");
  int ok = f && fwrite(in.s, 1, in.n, f) == in.n;
  if (f && fclose(f) != 0) ok = 0;
  ut_buf_free(&in);
  if (!ok) return snprintf(why, whylen, "cannot write '%s'", src), -1;
  /* every graph's SVG on dot's standard output (-o keeps only the first) */
  char *argv[] = {(char *)r->o.dot, "-Tsvg", src, NULL};
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, dst, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  pid_t pid;
  int rc = strchr(r->o.dot, '/') ? posix_spawn(&pid, r->o.dot, &fa, NULL, argv, environ)
                                 : posix_spawnp(&pid, r->o.dot, &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  int status = 0;
  if (rc == 0)
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  unlink(src);
  if (rc != 0) {
    unlink(dst);
    return snprintf(why, whylen,
                    "Graphviz '%s' could not be run (%s); install the Debian package graphviz or "
                    "name dot with --dot=PATH",
                    r->o.dot, strerror(rc)),
           -1;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    unlink(dst);
    return snprintf(why, whylen, "Graphviz '%s' failed (exit status %d)", r->o.dot,
                    WIFEXITED(status) ? WEXITSTATUS(status) : -1),
           -1;
  }
  dg_src *out = NULL;
  dg_srcs tmp;
  memset(&tmp, 0, sizeof tmp);
  out = dg_src_get(&tmp, dst);
  size_t got = 0;
  const char *p = out && out->text ? out->text : "";
  for (size_t i = 0; i < r->fns.n; i++) {
    if (!hr_drawn_fn(&r->fns.v[i])) continue;
    const char *a = strstr(p, "<svg"), *e = a ? strstr(a, "</svg>") : NULL;
    if (!e) break;
    e += 6;
    r->fns.v[i].svg = malloc((size_t)(e - a) + 1);
    if (!r->fns.v[i].svg) break;
    memcpy(r->fns.v[i].svg, a, (size_t)(e - a));
    r->fns.v[i].svg[e - a] = '\0';
    got++;
    p = e;
  }
  dg_srcs_free(&tmp);
  unlink(dst);
  if (got != graphs) {
    for (size_t i = 0; i < r->fns.n; i++) free(r->fns.v[i].svg), r->fns.v[i].svg = NULL;
    return snprintf(why, whylen, "Graphviz '%s' drew %zu of %zu pictures", r->o.dot, got, graphs), -1;
  }
  return 0;
}

/* ---- the pages ----------------------------------------------------------------------- */
static void hr_verdict(ut_buf *b, int v) {
  const char *n = vd_name((vd_verdict)v);
  ut_buf_printf(b, "<span class=\"%s\">%s</span>", n, n);
}

/* Lines line-2 .. line+2 of file, the step's line marked, each linking to
 * the source page. */
static void hr_excerpt(ut_buf *b, hr_report *r, const char *file, int line) {
  dg_src *s = line > 0 ? dg_src_get(&r->srcs, file) : NULL;
  long k = hr_file_of(r, file);
  if (!s || !s->text || k < 0) return;
  ut_buf_puts(b, "<pre class=\"excerpt\">");
  for (int l = line - 2; l <= line + 2; l++) {
    const char *t;
    size_t n;
    if (l < 1 || dg_src_line(s, l, &t, &n) < 0) continue;
    ut_buf_printf(b, "<span%s><a href=\"../src/%ld.html#L%d\">%5d</a> | ", l == line ? " class=\"hit\"" : "", k, l, l);
    hr_esc_n(b, t, n);
    ut_buf_puts(b, "</span>\n");
  }
  ut_buf_puts(b, "</pre>");
}

static void hr_findings_table(ut_buf *b, hr_report *r, const char *prefix, const char *only_fn, long only_idx) {
  if (only_fn)
    ut_buf_puts(b, "<table><thead><tr><th>check</th><th>severity</th><th>location</th><th>function</th>"
                   "<th>message</th></tr></thead><tbody>\n");
  else
    ut_buf_puts(b, "<table class=\"sortable\"><thead><tr><th><a href=\"#sort=check\">check</a></th>"
                   "<th><a href=\"#sort=severity\">severity</a></th><th><a href=\"#sort=file\">location</a></th>"
                   "<th><a href=\"#sort=function\">function</a></th><th>message</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < r->finds.n; i++) {
    const hr_find *f = &r->finds.v[i];
    long fi = f->func ? hr_fn_of(r, f->func, f->file) : -1;
    if (only_fn && fi != only_idx) continue;
    const char *lvl = hr_level(f->level);
    ut_buf_printf(b, "<tr data-order=\"%08zu\" data-check=\"%s\" data-severity=\"%d%s\" data-file=\"", i,
                  dg_checks[f->check].name, 2 - f->level, lvl);
    hr_esc(b, hr_rel(r, f->file));
    ut_buf_printf(b, ":%08d:%08d\" data-function=\"", f->line, f->col);
    hr_esc(b, f->func);
    ut_buf_printf(b, "\"><td>%s</td><td class=\"%s\">%s%s</td><td>", dg_checks[f->check].name, lvl, lvl,
                  f->promoted ? " (warning as error)" : "");
    hr_loc(b, r, prefix, f->file, f->line, f->col);
    ut_buf_puts(b, "</td><td>");
    if (fi >= 0) ut_buf_printf(b, "<a href=\"%sfn/%lld.html\">", prefix, (long long)r->fns.v[fi].id);
    hr_esc(b, f->func);
    if (fi >= 0) ut_buf_puts(b, "</a>");
    ut_buf_puts(b, "</td><td>");
    hr_esc(b, f->msg);
    if (f->notes.n) {
      ut_buf_puts(b, "<details><summary>notes</summary><ul>");
      for (size_t k = 0; k < f->notes.n; k++) {
        ut_buf_puts(b, "<li>");
        hr_loc(b, r, prefix, f->notes.v[k].file, f->notes.v[k].line, f->notes.v[k].col);
        ut_buf_puts(b, ": ");
        hr_esc(b, f->notes.v[k].msg);
        ut_buf_puts(b, "</li>");
      }
      ut_buf_puts(b, "</ul></details>");
    }
    ut_buf_puts(b, "</td></tr>\n");
  }
  ut_buf_puts(b, "</tbody></table>\n");
}

static int hr_index_page(hr_report *r, int drawn, const char *why, char *err, size_t errlen) {
  ut_buf b = {0};
  hr_head(&b, r, "fnprop report");
  ut_buf_puts(&b, "<h1>fnprop report</h1>\n<p>");
  if (r->o.title) hr_esc(&b, r->o.title), ut_buf_puts(&b, ": ");
  long v[VD_NPROPS][3] = {{0}};
  for (size_t i = 0; i < r->fns.n; i++)
    for (int p = 0; p < VD_NPROPS; p++)
      if (r->fns.v[i].verdict[p] >= 0 && r->fns.v[i].verdict[p] < 3) v[p][r->fns.v[i].verdict[p]]++;
  ut_buf_printf(&b,
                "%zu functions (<a href=\"functions.html\">all of them</a>), %zu findings.</p>\n"
                "<table><tr><th>property</th><th>proven</th><th>unknown</th><th>violated</th></tr>\n",
                r->fns.n, r->finds.n);
  for (int p = 0; p < VD_NPROPS; p++)
    ut_buf_printf(&b, "<tr><td>!%s</td><td>%ld</td><td>%ld</td><td>%ld</td></tr>\n", vd_prop_name((vd_prop)p), v[p][0],
                  v[p][1], v[p][2]);
  ut_buf_puts(&b, "</table>\n");
  if (!drawn) {
    ut_buf_puts(&b, "<p class=\"missing\">Call-graph pictures were not drawn: ");
    hr_esc(&b, why);
    ut_buf_puts(&b, ".</p>\n");
  }
  ut_buf_puts(&b, "<h2>Findings</h2>\n<p>Sort by <a href=\"#sort=check\">check</a>, <a href=\"#sort=file\">file</a>, "
                  "<a href=\"#sort=severity\">severity</a>, <a href=\"#sort=function\">function</a> or "
                  "<a href=\"#\">as reported</a>.</p>\n");
  hr_findings_table(&b, r, "", NULL, -1);
  ut_buf_puts(&b, "<script>");
  ut_buf_puts(&b, hr_js);
  ut_buf_puts(&b, "</script>\n</body></html>\n");
  int rc = hr_save(r, "index.html", &b, err, errlen);
  ut_buf_free(&b);
  return rc;
}

static int hr_functions_page(hr_report *r, char *err, size_t errlen) {
  ut_buf b = {0};
  hr_head(&b, r, "functions");
  ut_buf_puts(&b, "<p><a href=\"index.html\">report</a></p><h1>Functions</h1>\n"
                  "<table class=\"sortable\"><thead><tr><th><a href=\"#sort=name\">function</a></th>"
                  "<th><a href=\"#sort=file\">defined at</a></th><th><a href=\"#sort=tls\">!tls</a></th>"
                  "<th><a href=\"#sort=panic\">!panic</a></th></tr></thead><tbody>\n");
  for (size_t i = 0; i < r->fns.n; i++) {
    const hr_fn *f = &r->fns.v[i];
    ut_buf_printf(&b, "<tr data-order=\"%08zu\" data-name=\"", i);
    hr_esc(&b, f->name);
    ut_buf_puts(&b, "\" data-file=\"");
    hr_esc(&b, hr_rel(r, f->file));
    ut_buf_printf(&b, ":%08d\" data-tls=\"%d\" data-panic=\"%d\"><td><a href=\"fn/%lld.html\">", f->line,
                  2 - f->verdict[0], 2 - f->verdict[1], (long long)f->id);
    hr_esc(&b, f->name);
    ut_buf_puts(&b, "</a></td><td>");
    hr_loc(&b, r, "", f->file, f->line, f->col);
    ut_buf_puts(&b, "</td><td>");
    hr_verdict(&b, f->verdict[0]);
    ut_buf_puts(&b, "</td><td>");
    hr_verdict(&b, f->verdict[1]);
    ut_buf_puts(&b, "</td></tr>\n");
  }
  ut_buf_puts(&b, "</tbody></table>\n<script>");
  ut_buf_puts(&b, hr_js);
  ut_buf_puts(&b, "</script>\n</body></html>\n");
  int rc = hr_save(r, "functions.html", &b, err, errlen);
  ut_buf_free(&b);
  return rc;
}

static int hr_fn_page(hr_report *r, size_t idx, int drawn, const char *why, char *err, size_t errlen) {
  hr_fn *f = &r->fns.v[idx];
  ut_buf b = {0};
  char title[600];
  snprintf(title, sizeof title, "function %s", f->name);
  hr_head(&b, r, title);
  ut_buf_puts(&b, "<p><a href=\"../index.html\">report</a> &middot; <a href=\"../functions.html\">functions</a></p>\n"
                  "<h1>function <code>");
  hr_esc(&b, f->name);
  ut_buf_puts(&b, "</code></h1>\n<p>");
  hr_esc(&b, f->linkage);
  ut_buf_puts(&b, f->task ? " linkage, a task entry point, defined at " : " linkage, defined at ");
  hr_loc(&b, r, "../", f->file, f->line, f->col);
  ut_buf_puts(&b, "</p>\n");
  hr_excerpt(&b, r, f->file, f->line);
  ut_buf_puts(&b, "<table><tr><th>!tls</th><td>");
  hr_verdict(&b, f->verdict[0]);
  ut_buf_puts(&b, "</td></tr><tr><th>!panic</th><td>");
  hr_verdict(&b, f->verdict[1]);
  ut_buf_puts(&b, "</td></tr></table>\n");
  if (f->note) ut_buf_puts(&b, "<p>note: "), hr_esc(&b, f->note), ut_buf_puts(&b, "</p>\n");
  if (hr_drawn_fn(f)) {
    ut_buf_puts(&b, "<h2>The witness paths as a call graph</h2>\n<div class=\"picture\" id=\"picture\">");
    if (f->svg) {
      ut_buf_puts(&b, f->svg); /* dot's SVG: its text escaped by dot, its links numbers */
    } else {
      ut_buf_puts(&b, "<p class=\"missing\">Not drawn: ");
      hr_esc(&b, drawn ? "Graphviz gave no picture for this function" : why);
      ut_buf_puts(&b, ".</p>");
    }
    ut_buf_puts(&b, "</div>\n");
  }
  for (int p = 0; p < VD_NPROPS; p++) {
    if (f->verdict[p] == VD_PROVEN) continue;
    ut_buf_printf(&b, "<h2>Why !%s is %s</h2>\n<ol class=\"path\">\n", vd_prop_name((vd_prop)p),
                  vd_name((vd_verdict)f->verdict[p]));
    for (size_t i = 0; i < f->path[p].n; i++) {
      const wt_step *s = &f->path[p].v[i];
      if (s->elided) {
        ut_buf_printf(&b, "<li>&hellip; %ld more calls &hellip;</li>\n", s->elided);
        continue;
      }
      char msg[1024];
      wt_step_text(msg, sizeof msg, s, 1);
      ut_buf_puts(&b, "<li>");
      int link = s->id != f->id && hr_has_page(r, s->id);
      if (link) ut_buf_printf(&b, "<a href=\"%lld.html\">", (long long)s->id);
      ut_buf_puts(&b, "<code>");
      hr_esc(&b, s->func);
      ut_buf_puts(&b, "</code>");
      if (link) ut_buf_puts(&b, "</a>");
      if (s->file[0]) ut_buf_puts(&b, " at "), hr_loc(&b, r, "../", s->file, s->line, s->col);
      ut_buf_puts(&b, ": ");
      hr_esc(&b, msg);
      if (s->file[0]) hr_excerpt(&b, r, s->file, s->line);
      if (!s->callee && s->decl_file[0] && s->decl_line > 0) {
        ut_buf_puts(&b, "declared at ");
        hr_loc(&b, r, "../", s->decl_file, s->decl_line, 0);
      }
      ut_buf_puts(&b, "</li>\n");
    }
    ut_buf_puts(&b, "</ol>\n");
  }
  ut_buf_puts(&b, "<h2>Findings</h2>\n");
  hr_findings_table(&b, r, "../", f->name, (long)idx);
  ut_buf_puts(&b, "</body></html>\n");
  char rel[64];
  snprintf(rel, sizeof rel, "fn/%lld.html", (long long)f->id);
  int rc = hr_save(r, rel, &b, err, errlen);
  ut_buf_free(&b);
  return rc;
}

static int hr_src_page(hr_report *r, size_t k, char *err, size_t errlen) {
  const char *path = r->files.v[k];
  ut_buf b = {0};
  hr_head(&b, r, hr_rel(r, path));
  ut_buf_puts(&b, "<p><a href=\"../index.html\">report</a></p>\n<h1><code>");
  hr_esc(&b, hr_rel(r, path));
  ut_buf_puts(&b, "</code></h1>\n");
  dg_src *s = dg_src_get(&r->srcs, path);
  if (!s || !s->text) {
    ut_buf_puts(&b, "<p class=\"missing\">The file could not be read when the report was written.</p>\n");
  } else {
    ut_buf_puts(&b, "<table class=\"src\">\n");
    for (size_t l = 1; l <= s->nlines; l++) {
      const char *t;
      size_t n;
      if (dg_src_line(s, (int)l, &t, &n) < 0) break;
      ut_buf_printf(&b, "<tr id=\"L%zu\"><td class=\"ln\"><a href=\"#L%zu\">%zu</a></td><td><pre>", l, l, l);
      hr_esc_n(&b, t, n);
      ut_buf_puts(&b, "</pre></td></tr>\n");
    }
    ut_buf_puts(&b, "</table>\n");
  }
  ut_buf_puts(&b, "</body></html>\n");
  char rel[64];
  snprintf(rel, sizeof rel, "src/%zu.html", k);
  int rc = hr_save(r, rel, &b, err, errlen);
  ut_buf_free(&b);
  return rc;
}

static int hr_mkdir(const char *path, char *err, size_t errlen) {
  if (mkdir(path, 0777) == 0 || errno == EEXIST) {
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return 0;
    errno = ENOTDIR;
  }
  snprintf(err, errlen, "cannot create the report directory '%s': %s", path, strerror(errno));
  return -2;
}

int hr_write(hr_report *r, int *drawn, char *why, size_t whylen, char *err, size_t errlen) {
  char sub[4096];
  *drawn = 0;
  why[0] = '\0';
  if (hr_mkdir(r->o.dir, err, errlen) < 0) return -2;
  snprintf(sub, sizeof sub, "%s/fn", r->o.dir);
  if (hr_mkdir(sub, err, errlen) < 0) return -2;
  snprintf(sub, sizeof sub, "%s/src", r->o.dir);
  if (hr_mkdir(sub, err, errlen) < 0) return -2;
  if (pdb_each_func(r->db, NULL, hr_fn_row, r) < 0)
    return r->failed ? (snprintf(err, errlen, "out of memory"), -2) : -1;
  r->npage = pdb_max_func_id(r->db) + 1;
  if (r->npage <= 0) return -1;
  r->page = calloc((size_t)r->npage, 1);
  if (!r->page) return snprintf(err, errlen, "out of memory"), -2;
  for (size_t i = 0; i < r->fns.n; i++)
    if (r->fns.v[i].id > 0 && r->fns.v[i].id < r->npage) r->page[r->fns.v[i].id] = 1;
  wt_cache *cache = wt_cache_load(r->db);
  if (!cache) return -1;
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < r->fns.n; i++)
    for (int p = 0; rc == 0 && p < VD_NPROPS; p++)
      if (r->fns.v[i].verdict[p] != VD_PROVEN) rc = wt_walk(r->db, cache, r->fns.v[i].id, p, 64, &r->fns.v[i].path[p]);
  wt_cache_free(cache);
  if (rc < 0) return -1;
  if (hr_index_files(r) < 0) return snprintf(err, errlen, "out of memory"), -2;
  *drawn = hr_draw(r, why, whylen) == 0;
  rc = hr_index_page(r, *drawn, why, err, errlen);
  if (rc == 0) rc = hr_functions_page(r, err, errlen);
  for (size_t i = 0; rc == 0 && i < r->fns.n; i++) rc = hr_fn_page(r, i, *drawn, why, err, errlen);
  for (size_t k = 0; rc == 0 && k < r->files.n; k++) rc = hr_src_page(r, k, err, errlen);
  return rc;
}

/* SPDX-License-Identifier: MIT */
/*
 * mwitness.c - the stage-3 migrate witness walker and its writers.
 *
 * Invariant: a walk follows stored `next` hops only, at most one per
 * function of the program (a valid chain never revisits a function); a
 * bounded walk jumps to the stored terminal function, so listing the
 * witness of every function stays linear in the hops listed.  Whatever it
 * cannot read is an error, never a shortened path.
 */
#include <stdlib.h>
#include <string.h>

#include "mwitness.h"
#include "verdict.h"

static void mw_step_free(mw_step *s) { free(s->file), free(s->text); }

void mw_path_free(mw_path *p) {
  for (size_t i = 0; i < p->hops.n; i++) free(p->hops.v[i].func), free(p->hops.v[i].callee), free(p->hops.v[i].file);
  free(p->hops.v);
  free(p->func);
  mw_step_free(&p->at), mw_step_free(&p->access), mw_step_free(&p->susp), mw_step_free(&p->use);
  memset(p, 0, sizeof *p);
}

static char *mw_dup(const char *s, int *failed) {
  char *d = ut_strdup(s ? s : "");
  if (!d) *failed = 1;
  return d;
}

static void mw_set(mw_step *s, const char *file, int line, int col, const char *text, int *failed) {
  s->file = mw_dup(file, failed);
  s->line = file && file[0] ? line : 0;
  s->col = file && file[0] ? col : 0;
  s->text = mw_dup(text, failed);
}

int mw_walk(pdb *db, int64_t func, const char *name, long max_hops, mw_path *p) {
  memset(p, 0, sizeof *p);
  int64_t bound = pdb_max_func_id(db);
  if (bound < 0) return -1;
  pdb_migrate m;
  if (pdb_get_migrate(db, func, &m) < 0) return -1;
  p->verdict = m.verdict;
  if (m.verdict == VD_PROVEN) return 0;
  int failed = 0;
  char *cur = mw_dup(name, &failed);
  for (int64_t k = 0; !failed && m.why == PDB_WHY_EDGE; k++) {
    if (k > bound) { /* a damaged database: a chain that loops */
      free(cur);
      return -1;
    }
    if (max_hops > 0 && (long)p->hops.n >= max_hops && m.terminal && m.terminal != func) {
      /* the rest of the chain is counted, not walked: jump to its end */
      p->elided = m.depth > 0 ? m.depth : 1;
      free(cur);
      cur = NULL;
      int64_t end = m.terminal;
      pdb_func f;
      if (pdb_get_func(db, end, &f) < 0) return -1;
      cur = mw_dup(f.name, &failed);
      if (pdb_get_migrate(db, end, &m) < 0) return free(cur), -1;
      break;
    }
    mw_hop h = {cur, mw_dup(m.next_name ? m.next_name : "?", &failed), mw_dup(m.file, &failed), m.file ? m.line : 0,
                m.file ? m.col : 0};
    cur = NULL;
    if (UT_PUSH(p->hops, h) < 0) {
      free(h.func), free(h.callee), free(h.file);
      return -1;
    }
    cur = mw_dup(h.callee, &failed);
    func = m.next;
    if (pdb_get_migrate(db, func, &m) < 0) return free(cur), -1;
    if (m.verdict == VD_PROVEN) { /* a damaged database: the hop leads nowhere */
      free(cur);
      return -1;
    }
  }
  p->func = cur;
  mw_set(&p->at, m.file, m.line, m.col, m.text, &failed);
  p->finding = m.kind != 0 && m.access_text && m.susp_text && m.use_text;
  if (p->finding) {
    mw_set(&p->access, m.access_file, m.access_line, m.access_col, m.access_text, &failed);
    mw_set(&p->susp, m.susp_file, m.susp_line, m.susp_col, m.susp_text, &failed);
    mw_set(&p->use, m.use_file, m.use_line, m.use_col, m.use_text, &failed);
  }
  return failed ? -1 : 0;
}

static void mw_json_place(ut_buf *b, const char *key, const mw_step *s) {
  ut_buf_printf(b, ",\"%s\":{\"file\":", key);
  ut_buf_json(b, s->file);
  ut_buf_printf(b, ",\"line\":%d,\"column\":%d,\"text\":", s->line, s->col);
  ut_buf_json(b, s->text);
  ut_buf_puts(b, "}");
}

void mw_write_json(ut_buf *b, const mw_path *p) {
  ut_buf_puts(b, "{\"calls\":[");
  for (size_t i = 0; i < p->hops.n; i++) {
    const mw_hop *h = &p->hops.v[i];
    ut_buf_puts(b, i ? ",{\"function\":" : "{\"function\":");
    ut_buf_json(b, h->func);
    ut_buf_puts(b, ",\"file\":");
    ut_buf_json(b, h->file);
    ut_buf_printf(b, ",\"line\":%d,\"column\":%d,\"calls\":", h->line, h->col);
    ut_buf_json(b, h->callee);
    ut_buf_puts(b, "}");
  }
  if (p->elided) ut_buf_printf(b, "%s{\"elided\":%ld}", p->hops.n ? "," : "", p->elided);
  ut_buf_puts(b, "],\"function\":");
  ut_buf_json(b, p->func ? p->func : "");
  ut_buf_puts(b, ",\"message\":");
  ut_buf_json(b, p->at.text ? p->at.text : "");
  if (p->finding) {
    mw_json_place(b, "access", &p->access);
    mw_json_place(b, "suspension", &p->susp);
    mw_json_place(b, "use", &p->use);
  } else {
    mw_json_place(b, "reason", &p->at);
  }
  ut_buf_puts(b, "}");
}

void mw_relative(ut_buf *b, const char *text, const char *cwd) {
  size_t n = cwd ? strlen(cwd) : 0;
  const char *run = text;
  for (const char *t = text; *t;) {
    if (n && !strncmp(t, cwd, n) && t[n] == '/') {
      ut_buf_add(b, run, (size_t)(t - run));
      t += n + 1;
      run = t;
      continue;
    }
    t++;
  }
  ut_buf_puts(b, run);
}

static int mw_text_step(FILE *out, const char *label, const mw_step *s, const char *cwd) {
  ut_buf b = {0};
  if (s->file[0])
    ut_buf_printf(&b, "       %-10s %s:%d:%d: ", label, cwd ? ut_relpath(s->file, cwd) : s->file, s->line, s->col);
  else ut_buf_printf(&b, "       %-10s ", label);
  mw_relative(&b, s->text, cwd);
  ut_buf_puts(&b, "\n");
  int rc = b.failed || fwrite(b.s, 1, b.n, out) != b.n ? -1 : 0;
  ut_buf_free(&b);
  return rc;
}

int mw_write_text(FILE *out, const mw_path *p, const char *cwd) {
  size_t i = 0;
  for (; i < p->hops.n; i++) {
    const mw_hop *h = &p->hops.v[i];
    if (fprintf(out, "  #%zu %s at %s:%d:%d: calls '%s'\n", i, h->func, cwd ? ut_relpath(h->file, cwd) : h->file,
                h->line, h->col, h->callee) < 0)
      return -1;
  }
  if (p->elided && fprintf(out, "  ... %ld more calls ...\n", p->elided) < 0) return -1;
  ut_buf b = {0};
  ut_buf_printf(&b, "  #%zu %s", i, p->func ? p->func : "?");
  if (p->at.file[0])
    ut_buf_printf(&b, " at %s:%d:%d", cwd ? ut_relpath(p->at.file, cwd) : p->at.file, p->at.line, p->at.col);
  ut_buf_puts(&b, ": ");
  mw_relative(&b, p->at.text, cwd);
  ut_buf_puts(&b, "\n");
  int rc = b.failed || fwrite(b.s, 1, b.n, out) != b.n ? -1 : 0;
  ut_buf_free(&b);
  if (rc == 0 && p->finding)
    rc = mw_text_step(out, "access", &p->access, cwd) | mw_text_step(out, "suspension", &p->susp, cwd) |
         mw_text_step(out, "use", &p->use, cwd);
  return rc;
}

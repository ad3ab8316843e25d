/* SPDX-License-Identifier: MIT */
/*
 * diag_checks.c - the producers: contract checks, stores of unproven
 * functions into contract-annotated pointers, task entries the runtime
 * shim pins, the missing-annotation suggestion with its fix-it, parse
 * errors.  Each is named in the PRODUCER column of diag_checks.def.
 *
 * Producers only add to the sink; filtering, ordering and printing happen
 * in diag.c; the words of witness paths are diag_witness.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "diag_checks.h"
#include "diag_witness.h"
#include "effects.h"
#include "facts.h"
#include "mwitness.h"
#include "vocab.h"

/* ---- contracts: fnprop-{notls,nopanic}-{violation,unproven} ----------------- */
typedef struct dg_fn {
  int64_t id;
  char *name, *file, *linkage;
  int line, col;
  uint32_t annots;
  int verdict[2];
  char *hdecl_file;      /* the front end's header declaration, or NULL */
  int hdecl_line, hdecl_col;
  int64_t hdecl_end;
} dg_fn;

typedef struct dg_fns {
  dg_fn *v;
  size_t n, cap;
} dg_fns;

static void dg_fns_free(dg_fns *f) {
  for (size_t i = 0; i < f->n; i++)
    free(f->v[i].name), free(f->v[i].file), free(f->v[i].linkage), free(f->v[i].hdecl_file);
  free(f->v);
  memset(f, 0, sizeof *f);
}

/* Copies the functions a producer wants (witness walks reuse the function
 * statement, so they run after the listing). */
typedef struct dg_pick {
  dg_fns *out;
  int (*want)(const pdb_func *f);
} dg_pick;

static int dg_pick_fn(void *arg, const pdb_func *f) {
  dg_pick *p = arg;
  if (!p->want(f)) return 0;
  dg_fn c = {f->id,
             ut_strdup(f->name),
             ut_strdup(f->file),
             ut_strdup(f->linkage),
             f->line,
             f->col,
             f->annots,
             {f->verdict[0], f->verdict[1]},
             f->hdecl_file ? ut_strdup(f->hdecl_file) : NULL,
             f->hdecl_line,
             f->hdecl_col,
             f->hdecl_end};
  if (!c.name || !c.file || !c.linkage || (f->hdecl_file && !c.hdecl_file) || UT_PUSH(*p->out, c) < 0) {
    free(c.name), free(c.file), free(c.linkage), free(c.hdecl_file);
    return -1;
  }
  return 0;
}

static int dg_want_contract(const pdb_func *f) {
  for (int p = 0; p < VD_NPROPS; p++)
    if ((f->annots & ft_contract_bit((vd_prop)p)) && f->verdict[p] != VD_PROVEN) return 1;
  return 0;
}

static int dg_check_contracts(dg_ctx *c) {
  static const dg_check_id ids[VD_NPROPS][2] = {{DG_NOTLS_UNPROVEN, DG_NOTLS_VIOLATION},
                                                {DG_NOPANIC_UNPROVEN, DG_NOPANIC_VIOLATION}};
  dg_fns fns = {0};
  dg_pick pick = {&fns, dg_want_contract};
  int rc = pdb_each_func(c->db, NULL, dg_pick_fn, &pick);
  for (size_t i = 0; rc == 0 && i < fns.n; i++) {
    const dg_fn *f = &fns.v[i];
    for (int p = 0; rc == 0 && p < VD_NPROPS; p++) {
      if (!(f->annots & ft_contract_bit((vd_prop)p)) || f->verdict[p] == VD_PROVEN) continue;
      dg_check_id id = ids[p][f->verdict[p] == VD_VIOLATED];
      if (!dg_enabled(c->sink->opts, id)) continue;
      char what[600], msg[2048];
      snprintf(what, sizeof what, "function '%s' is declared %s", f->name, ft_contract_name((vd_prop)p));
      if (dg_witness_message(c->db, f->id, p, what, msg, sizeof msg) < 0) {
        rc = -1;
        break;
      }
      dg_loc at = {f->file, f->line, f->col, f->name};
      dg_diag *d = dg_report(c->sink, id, at, f->name, "%s", msg);
      if (d && f->hdecl_file) d->decl = dg_sink_str(c->sink, f->hdecl_file);
      rc = dg_witness_notes(c->sink, d, c->db, f->id, p);
    }
  }
  dg_fns_free(&fns);
  return rc;
}

/* ---- fnprop-contract-pointer ----------------------------------------------------- */
static int dg_ident_span(const char *b, const char *e) {
  if (b >= e || (*b >= '0' && *b <= '9')) return 0;
  for (const char *p = b; p < e; p++)
    if (!dg_ident_char(*p)) return 0;
  return 1;
}

int dg_usr_name(const char *usr, char *buf, size_t n, char *rec, size_t recn) {
  buf[0] = '\0';
  if (recn) rec[0] = '\0';
  /* The last four `@` components: ... K @ R @ FI @ NAME for a field. */
  const char *c[5] = {NULL, NULL, NULL, NULL, NULL};
  int k = 0;
  for (const char *p = usr ? usr : ""; *p; p++)
    if (*p == '@') {
      memmove(c, c + 1, 4 * sizeof c[0]);
      c[4] = p + 1, k++;
    }
  if (!k || !dg_ident_span(c[4], c[4] + strlen(c[4]))) return 0;
  snprintf(buf, n, "%s", c[4]);
  if (k < 4 || !recn || strncmp(c[3], "FI@", 3) != 0 || !dg_ident_span(c[2], c[3] - 1)) return 1;
  int rl = (int)(c[3] - 1 - c[2]);
  size_t kl = (size_t)(c[2] - 1 - c[1]);
  if (kl == 1 && (c[1][0] == 'S' || c[1][0] == 'U'))
    snprintf(rec, recn, "%s %.*s", c[1][0] == 'S' ? "struct" : "union", rl, c[2]);
  else if (kl == 2 && (c[1][0] == 'S' || c[1][0] == 'U') && c[1][1] == 'A')
    snprintf(rec, recn, "%.*s", rl, c[2]); /* typedef of an anonymous record */
  return 1;
}

void dg_store_place(char *buf, size_t n, int dest_kind, const char *dest, const char *callee, int arg,
                    const char *in_name, const char *contract) {
  char name[256], rec[300];
  int named = dg_usr_name(dest, name, sizeof name, rec, sizeof rec);
  switch (dest_kind) {
  case FT_SLOT_FIELD:
    if (named && rec[0]) snprintf(buf, n, "stored into field '%s' of '%s', which is declared %s", name, rec, contract);
    else if (named) snprintf(buf, n, "stored into field '%s', which is declared %s", name, contract);
    else snprintf(buf, n, "stored into a field declared %s", contract);
    break;
  case FT_SLOT_VAR:
  case FT_SLOT_PARAM: {
    const char *what = dest_kind == FT_SLOT_VAR ? "variable" : "parameter";
    if (named) snprintf(buf, n, "stored into %s '%s', which is declared %s", what, name, contract);
    else snprintf(buf, n, "stored into a %s declared %s", what, contract);
    break;
  }
  case FT_SLOT_ARG:
    if (callee && callee[0] && arg > 0)
      snprintf(buf, n, "passed as argument %d of '%s', a parameter declared %s", arg, callee, contract);
    else if (callee && callee[0]) snprintf(buf, n, "passed to '%s' for a parameter declared %s", callee, contract);
    else snprintf(buf, n, "passed as an argument for a parameter declared %s", contract);
    break;
  case FT_SLOT_RETURN:
    if (in_name && in_name[0]) snprintf(buf, n, "returned from '%s', whose result is declared %s", in_name, contract);
    else snprintf(buf, n, "returned as a result declared %s", contract);
    break;
  default: snprintf(buf, n, "stored into a pointer declared %s", contract); break;
  }
}

/* Backwards over text[0..i]: the index of the opening quote of the literal
 * whose closing quote is at i. */
static long dg_back_literal(const char *t, long i) {
  char q = t[i];
  for (i--; i >= 0; i--) {
    if (t[i] == '\n') return -1;
    if (t[i] != q) continue;
    long k = i;
    while (k > 0 && t[k - 1] == '\\') k--;
    if ((i - k) % 2 == 0) return i;
  }
  return -1;
}

/* Where a `//` comment starts on the line [ls, end), or end. */
static long dg_line_comment(const char *t, long ls, long end) {
  char q = 0;
  for (long k = ls; k < end; k++) {
    if (q) {
      if (t[k] == '\\') k++;
      else if (t[k] == q) q = 0;
    } else if (t[k] == '"' || t[k] == '\'') {
      q = t[k];
    } else if (t[k] == '/' && k + 1 < end && t[k + 1] == '/') {
      return k;
    } else if (t[k] == '/' && k + 1 < end && t[k + 1] == '*') {
      for (k += 2; k + 1 < end && !(t[k] == '*' && t[k + 1] == '/'); k++) {}
      if (k + 1 >= end) return end; /* continues on the next line */
      k++;
    }
  }
  return end;
}

int dg_call_of_arg(const dg_src *s, int line, int col, char *callee, size_t n, int *arg) {
  static const char *const keywords[] = {
      "if",       "while",  "for",        "switch",        "return",         "sizeof", "_Alignof", "alignof",
      "_Generic", "typeof", "__typeof__", "__attribute__", "_Static_assert", "do",     "else",     "case"};
  long off = s && s->text ? dg_src_offset(s, line, col) : -1;
  if (off < 0) return 0;
  const char *t = s->text;
  int depth = 0, commas = 0;
  long i = off - 1, stop = off > 16384 ? off - 16384 : 0;
  for (; i >= stop; i--) {
    char c = t[i];
    if (c == '\n') {
      long ls = i;
      while (ls > 0 && t[ls - 1] != '\n') ls--;
      long cm = dg_line_comment(t, ls, i);
      if (cm < i) i = cm; /* continue before the comment */
      else if (ls < i && t[ls] == '#') return 0; /* a preprocessor line */
      continue;
    }
    if (c == '/' && i > 0 && t[i - 1] == '*') {
      for (i -= 2; i > 0 && !(t[i - 1] == '/' && t[i] == '*'); i--) {}
      i--;
      continue;
    }
    if (c == '"' || c == '\'') {
      i = dg_back_literal(t, i);
      if (i < 0) return 0;
      continue;
    }
    if (c == ')' || c == ']' || c == '}') {
      depth++;
    } else if (c == '(' || c == '[' || c == '{') {
      if (depth == 0) break;
      depth--;
    } else if (depth == 0 && (c == ';' || c == '=' || c == '?' || c == ':')) {
      if (c == '=' && i > 0 && strchr("=!<>", t[i - 1])) continue;
      if (c == '=' && t[i + 1] == '=') continue;
      return 0;
    } else if (depth == 0 && c == ',') {
      commas++;
    }
  }
  if (i < stop || t[i] != '(') return 0;
  long e = i;
  while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\n' || t[e - 1] == '\r')) e--;
  long b = e;
  while (b > 0 && dg_ident_char(t[b - 1])) b--;
  if (b == e || (t[b] >= '0' && t[b] <= '9')) return 0;
  size_t len = (size_t)(e - b);
  for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
    if (strlen(keywords[k]) == len && !memcmp(keywords[k], t + b, len)) return 0;
  if (len + 1 > n) return 0;
  memcpy(callee, t + b, len);
  callee[len] = '\0';
  *arg = commas + 1;
  return 1;
}

typedef struct dg_store_row {
  int64_t func;
  char *file, *dest, *callee, *in_name;
  int line, col, arg, dest_kind;
  uint32_t contract;
} dg_store_row;

typedef struct dg_stores {
  dg_store_row *v;
  size_t n, cap;
} dg_stores;

static void dg_stores_free(dg_stores *r) {
  for (size_t i = 0; i < r->n; i++) free(r->v[i].file), free(r->v[i].dest), free(r->v[i].callee), free(r->v[i].in_name);
  free(r->v);
  memset(r, 0, sizeof *r);
}

static int dg_store_fn(void *arg, const pdb_store *st) {
  dg_stores *r = arg;
  /* Stores written in system headers (a macro's expansion) are not the
   * project's to fix. */
  if (!(st->contract & (FT_ANN_NOTLS | FT_ANN_NOPANIC)) || dg_system_path(st->file)) return 0;
  dg_store_row row = {st->func,
                      ut_strdup(st->file),
                      ut_strdup(st->dest),
                      st->callee ? ut_strdup(st->callee) : NULL,
                      st->in_name ? ut_strdup(st->in_name) : NULL,
                      st->line,
                      st->col,
                      st->arg,
                      st->dest_kind,
                      st->contract};
  if (!row.file || !row.dest || (st->callee && !row.callee) || (st->in_name && !row.in_name) || UT_PUSH(*r, row) < 0) {
    free(row.file), free(row.dest), free(row.callee), free(row.in_name);
    return -1;
  }
  return 0;
}

/* The called function of an argument store: from the database when it
 * records it, else read from the source when the name read there is a
 * function of the program. */
static int dg_store_call(dg_ctx *c, const dg_store_row *r, char *callee, size_t n, int *arg) {
  callee[0] = '\0';
  *arg = r->arg;
  if (r->callee) {
    snprintf(callee, n, "%s", r->callee);
    return 0;
  }
  char name[256];
  int a;
  if (!dg_call_of_arg(dg_src_get(c->srcs, r->file), r->line, r->col, name, sizeof name, &a)) return 0;
  int known = pdb_func_named(c->db, name);
  if (known < 0) return -1;
  if (known) snprintf(callee, n, "%s", name), *arg = a;
  return 0;
}

static int dg_check_contract_pointer(dg_ctx *c) {
  if (!dg_enabled(c->sink->opts, DG_CONTRACT_POINTER)) return 0;
  dg_stores rows = {0};
  int rc = pdb_each_contract_store(c->db, dg_store_fn, &rows);
  for (size_t i = 0; rc == 0 && i < rows.n; i++) {
    const dg_store_row *r = &rows.v[i];
    pdb_func f;
    if ((rc = pdb_get_func(c->db, r->func, &f)) < 0) break;
    int verdict[VD_NPROPS] = {f.verdict[0], f.verdict[1]};
    char *name = ut_strdup(f.name);
    if (!name) return dg_stores_free(&rows), c->sink->failed = 1, -1;
    char callee[256] = "";
    int argno = 0;
    if (r->dest_kind == FT_SLOT_ARG) rc = dg_store_call(c, r, callee, sizeof callee, &argno);
    for (int p = 0; rc == 0 && p < VD_NPROPS; p++) {
      if (!(r->contract & ft_contract_bit((vd_prop)p)) || verdict[p] == VD_PROVEN) continue;
      char place[700], effect[1536], msg[2560];
      int clause;
      dg_store_place(place, sizeof place, r->dest_kind, r->dest, callee, argno, r->in_name,
                     ft_contract_name((vd_prop)p));
      if ((rc = dg_witness_effect(c->db, r->func, p, effect, sizeof effect, &clause)) < 0) break;
      if (effect[0])
        snprintf(msg, sizeof msg, "function '%s' is %s, but %s%s", name, place, clause ? "" : "it ", effect);
      else snprintf(msg, sizeof msg, "function '%s' is %s, but it is not proven to keep the contract", name, place);
      dg_loc at = {r->file, r->line, r->col, name};
      dg_diag *d = dg_report(c->sink, DG_CONTRACT_POINTER, at, name, "%s", msg);
      /* A broken contract is an error, one fnprop cannot prove a warning,
       * as for the function contracts. */
      if (d && verdict[p] != VD_VIOLATED) d->level = DG_WARNING;
      rc = dg_witness_notes(c->sink, d, c->db, r->func, p);
    }
    free(name);
  }
  dg_stores_free(&rows);
  return rc;
}

/* ---- fnprop-task-pinned ------------------------------------------------------------ */
/* OpenMP task regions are scheduled by the OpenMP runtime, not the shim
 * (fnprop-omp-untied-tls reports those). */
static int dg_want_pinned(const pdb_func *f) {
  return f->task && !(f->task & VC_TASK_OMP) && f->verdict[VD_TLS] != VD_PROVEN;
}

static int dg_check_task_pinned(dg_ctx *c) {
  if (!dg_enabled(c->sink->opts, DG_TASK_PINNED)) return 0;
  dg_fns fns = {0};
  dg_pick pick = {&fns, dg_want_pinned};
  int rc = pdb_each_task(c->db, dg_pick_fn, &pick);
  for (size_t i = 0; rc == 0 && i < fns.n; i++) {
    const dg_fn *f = &fns.v[i];
    char effect[1536];
    int clause;
    /* The stage-1 view: what the shim pins with --migrate-on=tls.  A task
     * whose stage-3 `migrate` is proven migrates under the default gating,
     * and the message says so (docs/diagnostics.md). */
    pdb_migrate m;
    if ((rc = pdb_get_migrate(c->db, f->id, &m)) < 0) break;
    const char *stage3 = m.verdict == VD_PROVEN ? " (only with --migrate-on=tls: its migrate verdict is proven)" : "";
    if ((rc = dg_witness_effect(c->db, f->id, VD_TLS, effect, sizeof effect, &clause)) < 0) break;
    dg_loc at = {f->file, f->line, f->col, f->name};
    dg_diag *d;
    if (effect[0])
      d = dg_report(c->sink, DG_TASK_PINNED, at, f->name, "task '%s' will be pinned to its thread: %s%s%s", f->name,
                    clause ? "" : "it ", effect, stage3);
    else
      d = dg_report(c->sink, DG_TASK_PINNED, at, f->name,
                    "task '%s' will be pinned to its thread: it is not proven to leave thread-local state alone%s",
                    f->name, stage3);
    if (d && f->hdecl_file) d->decl = dg_sink_str(c->sink, f->hdecl_file);
    rc = dg_witness_notes(c->sink, d, c->db, f->id, VD_TLS);
  }
  dg_fns_free(&fns);
  return rc;
}

/* ---- fnprop-task-unmigratable ------------------------------------------------- */
static int dg_want_task(const pdb_func *f) { return f->task && !(f->task & VC_TASK_OMP); }

/* text without the " at /abs/path:L:C" locations the stored words carry
 * (the notes show them). */
static void dg_drop_locs(char *buf, size_t n, const char *text) {
  size_t o = 0;
  for (const char *t = text; *t && o + 1 < n;) {
    if (!strncmp(t, " at /", 5)) {
      const char *e = t + 4;
      while (*e && *e != ' ' && *e != ',' && *e != ')') e++;
      if (e > t + 5 && e[-1] >= '0' && e[-1] <= '9') { /* ends in :COL */
        t = e;
        continue;
      }
    }
    buf[o++] = *t++;
  }
  buf[o] = '\0';
}

/* Does text start with 'name'? */
static int dg_names(const char *text, const char *name) {
  size_t n = strlen(name);
  return text[0] == '\'' && !strncmp(text + 1, name, n) && text[n + 1] == '\'';
}

/* Task entries (not OpenMP regions: libomp schedules those) whose stage-3
 * `migrate` verdict is not proven: the shim's default gating pins them.
 * A violation comes with the callee hops down to the function with the
 * finding and its three steps (the access, the suspension point, the use
 * after it), which SARIF shows as the code flow; unknown with its reason. */
static int dg_check_task_unmigratable(dg_ctx *c) {
  if (!dg_enabled(c->sink->opts, DG_TASK_UNMIGRATABLE)) return 0;
  dg_fns fns = {0};
  dg_pick pick = {&fns, dg_want_task};
  int rc = pdb_each_task(c->db, dg_pick_fn, &pick);
  for (size_t i = 0; rc == 0 && i < fns.n; i++) {
    const dg_fn *f = &fns.v[i];
    mw_path p;
    if ((rc = mw_walk(c->db, f->id, f->name, 0, &p)) < 0) {
      mw_path_free(&p);
      break;
    }
    if (p.verdict == VD_PROVEN) {
      mw_path_free(&p);
      continue;
    }
    char where[600] = "", reason[1024];
    if (p.hops.n && p.func) snprintf(where, sizeof where, " in '%s'", p.func);
    dg_loc at = {f->file, f->line, f->col, f->name};
    dg_diag *d;
    if (p.finding) {
      d = dg_report(c->sink, DG_TASK_UNMIGRATABLE, at, f->name,
                    "task '%s' cannot migrate at its suspension points: thread-local state is live across one%s (%s)",
                    f->name, where, p.access.text);
    } else {
      dg_drop_locs(reason, sizeof reason, p.at.text);
      if (p.hops.n)
        d = dg_report(c->sink, DG_TASK_UNMIGRATABLE, at, f->name,
                      "task '%s' is not proven safe to migrate at its suspension points: it calls '%s'; %s%s%s%s",
                      f->name, p.hops.v[0].callee, dg_names(reason, p.func) ? "" : "in '",
                      dg_names(reason, p.func) ? "" : p.func, dg_names(reason, p.func) ? "" : "': ", reason);
      else
        d = dg_report(c->sink, DG_TASK_UNMIGRATABLE, at, f->name,
                      "task '%s' is not proven safe to migrate at its suspension points: %s", f->name, reason);
    }
    for (size_t k = 0; d && rc == 0 && k < p.hops.n; k++) {
      const mw_hop *h = &p.hops.v[k];
      dg_loc hat = {h->file, h->line, h->col, h->callee};
      rc = dg_add_note(c->sink, d, hat, "'%s' calls '%s' here", h->func, h->callee);
    }
    if (d && rc == 0 && p.finding) {
      const mw_step *st[3] = {&p.access, &p.susp, &p.use};
      static const char *const label[3] = {"thread-local access", "suspension point", "use after it"};
      for (int k = 0; rc == 0 && k < 3; k++) {
        dg_loc sat = {st[k]->file, st[k]->line, st[k]->col, NULL};
        rc = dg_add_note(c->sink, d, sat, "%s: %s", label[k], st[k]->text);
      }
    } else if (d && rc == 0) {
      dg_loc rat = {p.at.file[0] ? p.at.file : f->file, p.at.file[0] ? p.at.line : f->line,
                    p.at.file[0] ? p.at.col : f->col, p.func ? p.func : f->name};
      const char *fn = p.func ? p.func : f->name;
      if (dg_names(reason, fn)) rc = dg_add_note(c->sink, d, rat, "%s", reason);
      else rc = dg_add_note(c->sink, d, rat, "'%s': %s", fn, reason);
    }
    mw_path_free(&p);
  }
  dg_fns_free(&fns);
  return rc;
}

/* ---- fnprop-omp-untied-tls, fnprop-omp-could-be-untied ------------------------ */
/* An untied task may resume on another thread at each task scheduling
 * point, so what matters is its stage-3 migrate verdict (docs/stage3.md):
 * thread-local state live across a scheduling point. */
static int dg_want_omp_task(const pdb_func *f) { return (f->task & VC_TASK_OMP) != 0; }

/* The notes of a migrate witness (mw_walk): the call it inherits the
 * verdict through, then the access, the suspension and the use. */
static int dg_migrate_notes(dg_sink *s, dg_diag *d, const dg_fn *f, const mw_path *p) {
  if (!d) return s->failed ? -1 : 0;
  const mw_hop *call = p->hops.n && p->hops.v[0].file[0] ? &p->hops.v[0] : NULL;
  if (call) {
    dg_loc at = {call->file, call->line, call->col, f->name};
    if (dg_add_note(s, d, at, "'%s' calls '%s' here", f->name, call->callee) < 0) return -1;
  }
  if (!p->finding) return 0;
  if (p->access.file[0]) {
    dg_loc at = {p->access.file, p->access.line, p->access.col, f->name};
    if (dg_add_note(s, d, at, "the thread-local state is obtained here") < 0) return -1;
  }
  if (p->susp.file[0]) {
    dg_loc at = {p->susp.file, p->susp.line, p->susp.col, f->name};
    if (dg_add_note(s, d, at, "the task may be suspended here and resume on another thread") < 0) return -1;
  }
  if (p->at.file[0] && p->access.file[0]) {
    dg_loc at = {p->at.file, p->at.line, p->at.col, f->name};
    if (dg_add_note(s, d, at, "and it is used here, after the suspension") < 0) return -1;
  }
  return 0;
}

static int dg_omp_untied(dg_ctx *c, const dg_fn *f, const mw_path *p) {
  dg_loc at = {f->file, f->line, f->col, f->name};
  const mw_hop *call = p->hops.n && p->hops.v[0].file[0] ? &p->hops.v[0] : NULL;
  const char *text = p->at.text ? p->at.text : "";
  char what[1400];
  if (call && text[0]) snprintf(what, sizeof what, "it calls '%s'; %s", call->callee, text);
  else if (call) snprintf(what, sizeof what, "it calls '%s'", call->callee);
  else snprintf(what, sizeof what, "%s", text[0] ? text : "?");
  dg_diag *d;
  if (p->verdict == VD_VIOLATED)
    d = dg_report(c->sink, DG_OMP_UNTIED_TLS, at, f->name,
                  "untied OpenMP task '%s' may resume on another thread at a task scheduling point, but thread-local "
                  "state is live across one: %s",
                  f->name, what);
  else
    d = dg_report(c->sink, DG_OMP_UNTIED_TLS, at, f->name,
                  "untied OpenMP task '%s' may resume on another thread at a task scheduling point, but fnprop cannot "
                  "prove that no thread-local state is live across one: %s",
                  f->name, what);
  if (d && p->verdict != VD_VIOLATED) d->level = DG_WARNING;
  return dg_migrate_notes(c->sink, d, f, p);
}

/* Where ` untied` goes in the pragma of task f: after the directive word
 * `task` or `taskloop` at f's location (not `taskloop simd` or a combined
 * directive, whose words the fix would split); -1 when it cannot be told. */
static long dg_untied_offset(dg_ctx *c, const dg_fn *f) {
  dg_src *src = dg_src_get(c->srcs, f->file);
  if (!src || !src->text) return -1;
  long off = dg_src_offset(src, f->line, f->col);
  if (off < 0) return -1;
  const char *t = src->text + off;
  size_t left = src->len - (size_t)off, n = 0;
  while (n < left && dg_ident_char(t[n])) n++;
  if (!((n == 4 && !strncmp(t, "task", 4)) || (n == 8 && !strncmp(t, "taskloop", 8)))) return -1;
  size_t k = n;
  while (k < left && (t[k] == ' ' || t[k] == '\t')) k++;
  if (k + 4 <= left && !strncmp(t + k, "simd", 4) && (k + 4 == left || !dg_ident_char(t[k + 4]))) return -1;
  return off + (long)n;
}

static int dg_omp_could_be_untied(dg_ctx *c, const dg_fn *f) {
  dg_loc at = {f->file, f->line, f->col, f->name};
  dg_diag *d = dg_report(c->sink, DG_OMP_COULD_BE_UNTIED, at, f->name,
                         "OpenMP task '%s' keeps no thread-local state live across its task scheduling points; "
                         "declare it untied so the runtime may resume it on any thread",
                         f->name);
  if (!d) return c->sink->failed ? -1 : 0;
  long off = dg_untied_offset(c, f);
  return off < 0 ? 0 : dg_add_fix(c->sink, d, f->file, off, 0, " untied");
}

/* OpenMP task regions (their functions are named after the enclosing one,
 * at the directive): untied ones whose migrate verdict is not proven, tied
 * ones whose is. */
static int dg_check_omp_tasks(dg_ctx *c) {
  int untied = dg_enabled(c->sink->opts, DG_OMP_UNTIED_TLS), tied = dg_enabled(c->sink->opts, DG_OMP_COULD_BE_UNTIED);
  if (!untied && !tied) return 0;
  dg_fns fns = {0};
  dg_pick pick = {&fns, dg_want_omp_task};
  int rc = pdb_each_task(c->db, dg_pick_fn, &pick);
  for (size_t i = 0; rc == 0 && i < fns.n; i++) {
    const dg_fn *f = &fns.v[i];
    pdb_func row;
    mw_path p = {0};
    if ((rc = pdb_get_func(c->db, f->id, &row)) < 0 || (rc = mw_walk(c->db, f->id, f->name, 0, &p)) < 0) {
      mw_path_free(&p);
      rc = -1;
      break;
    }
    if (row.task & VC_TASK_UNTIED) {
      if (untied && p.verdict != VD_PROVEN) rc = dg_omp_untied(c, f, &p);
    } else if (tied && p.verdict == VD_PROVEN) {
      rc = dg_omp_could_be_untied(c, f);
    }
    mw_path_free(&p);
  }
  dg_fns_free(&fns);
  return rc;
}

/* ---- fnprop-missing-annotation ------------------------------------------------ */
/* Bit p set when property p is proven but its contract is not written. */
static uint32_t dg_missing_props(uint32_t annots, const int verdict[VD_NPROPS]) {
  uint32_t m = 0;
  for (int p = 0; p < VD_NPROPS; p++)
    if (verdict[p] == VD_PROVEN && !(annots & ft_contract_bit((vd_prop)p))) m |= 1u << p;
  return m;
}

static int dg_want_missing(const pdb_func *f) {
  return f->has_body && vc_linkage_of(f->linkage) == VC_LINK_EXTERNAL && !f->hidden &&
         dg_missing_props(f->annots, f->verdict) != 0;
}

/* The prototypes of one header, first declaration of each name. */
typedef struct dg_hdr {
  dg_src *src;
  ut_map names;          /* name -> index in protos */
  struct {
    dg_proto *v;
    size_t n, cap;
  } protos;
  ut_arena arena;
} dg_hdr;

typedef struct dg_hdrs {
  struct {
    dg_hdr **v;
    size_t n, cap;
  } all;
  ut_map index;          /* path -> index in all */
  ut_arena keys;
} dg_hdrs;

static int dg_hdr_proto(void *arg, const dg_proto *p) {
  dg_hdr *h = arg;
  char *name = ut_arena_alloc(&h->arena, p->name_len + 1);
  if (!name) return -1;
  memcpy(name, p->name, p->name_len);
  name[p->name_len] = '\0';
  uint32_t at;
  if (ut_map_get(&h->names, name, &at)) return 0;
  dg_proto q = *p;
  q.name = name;
  if (UT_PUSH(h->protos, q) < 0 || ut_map_put(&h->names, name, (uint32_t)(h->protos.n - 1)) < 0) return -1;
  return 0;
}

static void dg_hdrs_free(dg_hdrs *hs) {
  for (size_t i = 0; i < hs->all.n; i++) {
    dg_hdr *h = hs->all.v[i];
    ut_map_free(&h->names);
    free(h->protos.v);
    ut_arena_free(&h->arena);
    free(h);
  }
  free(hs->all.v);
  ut_map_free(&hs->index);
  ut_arena_free(&hs->keys);
}

/* The scanned header at path (NULL when unreadable); cached. */
static dg_hdr *dg_hdr_get(dg_ctx *c, dg_hdrs *hs, const char *path, int *oom) {
  uint32_t at;
  if (ut_map_get(&hs->index, path, &at)) return hs->all.v[at];
  dg_hdr *h = calloc(1, sizeof *h);
  const char *key = ut_arena_strdup(&hs->keys, path);
  if (!h || !key || UT_PUSH(hs->all, h) < 0) return free(h), *oom = 1, NULL;
  if (ut_map_put(&hs->index, key, (uint32_t)(hs->all.n - 1)) < 0) return *oom = 1, NULL;
  h->src = dg_src_get(c->srcs, path);
  if (h->src && dg_scan_prototypes(h->src->text, h->src->len, dg_hdr_proto, h) != 0) *oom = 1;
  return h;
}

typedef struct dg_inputs {
  dg_ctx *c;
  dg_hdrs *hs;
  const char *main_file;
  struct {
    dg_hdr **v;
    size_t n, cap;
  } list;
  int oom;
} dg_inputs;

static int dg_input_fn(void *arg, const char *path) {
  dg_inputs *in = arg;
  if (!strcmp(path, in->main_file) || dg_system_path(path)) return 0;
  dg_hdr *h = dg_hdr_get(in->c, in->hs, path, &in->oom);
  if (in->oom) return -1;
  return h && h->src && h->protos.n && UT_PUSH(in->list, h) < 0 ? -1 : 0;
}

static int dg_suggest(dg_ctx *c, const dg_fn *f, uint32_t props, dg_hdr *h, const dg_proto *p) {
  int line, col;
  dg_src_pos(h->src, p->name_off, &line, &col);
  const char *macros = props == 3 ? " FNPROP_NOTLS FNPROP_NOPANIC" : props == 1 ? " FNPROP_NOTLS" : " FNPROP_NOPANIC";
  const char *does = props == 3   ? "never touches thread-local state and never ends the program"
                     : props == 1 ? "never touches thread-local state"
                                  : "never ends the program";
  dg_loc at = {h->src->path, line, col, f->name};
  dg_diag *d = dg_report(c->sink, DG_MISSING_ANNOTATION, at, f->name,
                         "function '%s' %s; declare it%s so callers can rely on it", f->name, does, macros);
  if (!d) return c->sink->failed ? -1 : 0;
  dg_loc def = {f->file, f->line, f->col, f->name};
  if (dg_add_note(c->sink, d, def, "'%s' is defined here", f->name) < 0) return -1;
  if (dg_add_fix(c->sink, d, h->src->path, (long)p->insert_off, 0, macros) < 0) return -1;
  int present;
  size_t off = dg_include_offset(h->src->text, h->src->len, p->name_off, &present);
  if (present) return 0;
  int nl = off > 0 && h->src->text[off - 1] != '\n';
  return dg_add_fix(c->sink, d, h->src->path, (long)off, 0, nl ? "\n#include <fnprop.h>\n" : "#include <fnprop.h>\n");
}

/* The declaration the front end recorded (name at hdecl line:col, declarator
 * ending at hdecl_end), checked against the text as it is now. */
static int dg_proto_at(const dg_src *s, const dg_fn *f, dg_proto *p) {
  if (f->hdecl_line < 1 || (size_t)f->hdecl_line > s->nlines || f->hdecl_col < 1) return 0;
  size_t off = s->line_start[f->hdecl_line - 1] + (size_t)f->hdecl_col - 1, n = strlen(f->name);
  if (off + n > s->len || memcmp(s->text + off, f->name, n) != 0) return 0;
  if (f->hdecl_end < (int64_t)(off + n) || (size_t)f->hdecl_end > s->len) return 0;
  p->name = s->text + off;
  p->name_len = n;
  p->name_off = off;
  p->insert_off = (size_t)f->hdecl_end;
  return 1;
}

static int dg_check_missing(dg_ctx *c) {
  if (!dg_enabled(c->sink->opts, DG_MISSING_ANNOTATION)) return 0;
  dg_fns fns = {0};
  dg_pick pick = {&fns, dg_want_missing};
  dg_hdrs hs;
  memset(&hs, 0, sizeof hs);
  dg_inputs in = {c, &hs, NULL, {0}, 0};
  int rc = pdb_each_func(c->db, NULL, dg_pick_fn, &pick);
  for (size_t i = 0; rc == 0 && i < fns.n; i++) {
    const dg_fn *f = &fns.v[i];
    if (!in.main_file || strcmp(in.main_file, f->file) != 0) {
      in.list.n = 0;
      in.main_file = f->file;
      rc = pdb_each_input_of(c->db, f->file, dg_input_fn, &in);
      if (rc) break;
    }
    uint32_t props = dg_missing_props(f->annots, f->verdict);
    if (f->hdecl_file && !dg_system_path(f->hdecl_file)) { /* the front end saw the declaration */
      dg_hdr *h = dg_hdr_get(c, &hs, f->hdecl_file, &in.oom);
      if (in.oom) break;
      dg_proto p;
      if (h && h->src && dg_proto_at(h->src, f, &p)) {
        rc = dg_suggest(c, f, props, h, &p);
        continue;
      }
    }
    for (size_t k = 0; k < in.list.n; k++) {
      uint32_t at;
      dg_hdr *h = in.list.v[k];
      if (!ut_map_get(&h->names, f->name, &at)) continue;
      rc = dg_suggest(c, f, props, h, &h->protos.v[at]);
      break;
    }
  }
  if (in.oom) c->sink->failed = 1;
  free(in.list.v);
  dg_hdrs_free(&hs);
  dg_fns_free(&fns);
  return rc;
}

/* ---- fnprop-parse-error ---------------------------------------------------------- */
static int dg_parse_fn(void *arg, const char *tu, const pdb_diag *fd) {
  dg_ctx *c = arg;
  dg_loc at = {fd->file[0] ? fd->file : tu, fd->line, fd->col, NULL};
  dg_diag *d = dg_report(c->sink, DG_PARSE_ERROR, at, NULL, "%s", fd->message);
  if (!d) return c->sink->failed ? -1 : 0;
  d->unit = dg_sink_str(c->sink, tu);
  if (!fd->error) d->level = DG_WARNING;
  return 0;
}

static int dg_check_parse(dg_ctx *c) { return pdb_each_diag(c->db, dg_parse_fn, c); }

int dg_produce_parse_errors(dg_ctx *c) { return dg_check_parse(c) < 0 || c->sink->failed ? -1 : 0; }

/* ---- every producer, in table order ------------------------------------------------ */
/* The PRODUCER column of diag_checks.def; rows that share one run it once. */
static int (*const dg_producers[DG_NCHECKS])(dg_ctx *c) = {
#define DG_CHECK(id, name, level, flags, producer, summary, description, help) [DG_##id] = producer,
#include "diag_checks.def"
#undef DG_CHECK
};

int dg_produce(dg_ctx *c) {
  for (size_t i = 0; i < DG_NCHECKS; i++) {
    int seen = !dg_producers[i];
    for (size_t k = 0; k < i && !seen; k++) seen = dg_producers[k] == dg_producers[i];
    if (!seen && (dg_producers[i](c) < 0 || c->sink->failed)) return -1;
  }
  return 0;
}

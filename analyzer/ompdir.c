/* SPDX-License-Identifier: MIT */
/*
 * ompdir.c - the tables of OpenMP directives and clauses fnprop
 * understands, and the parse of one `#pragma omp` line's tokens.
 *
 * Scope decision: host OpenMP 5.2 in C — parallel and worksharing
 * constructs, tasking, synchronization, loop transformations and
 * threadprivate.  Device constructs (target, teams, distribute), the
 * declare directives, requires, allocate, interop, dispatch,
 * metadirective, assume and user-defined reductions are not understood.
 * Clause validity per directive is not checked here: the -fopenmp parse
 * has already rejected a clause the directive does not take.
 */
#include <stdio.h>
#include <string.h>

#include "ompdir.h"

#define RT(x) (1u << OD_RT_##x)

static const char *const od_rt_names[OD_NRT] = {
    [OD_RT_FORK] = "__kmpc_fork_call",
    [OD_RT_BARRIER] = "__kmpc_barrier",
    [OD_RT_TASK] = "__kmpc_omp_task",
    [OD_RT_TASKLOOP] = "__kmpc_taskloop",
    [OD_RT_TASKWAIT] = "__kmpc_omp_taskwait",
    [OD_RT_TASKYIELD] = "__kmpc_omp_taskyield",
    [OD_RT_TASKGROUP_END] = "__kmpc_end_taskgroup",
    [OD_RT_ERROR] = "__kmpc_error",
};

const char *od_rt_name(int rt) { return rt >= 0 && rt < OD_NRT ? od_rt_names[rt] : "?"; }

/* ---- directives ------------------------------------------------------------ */
enum { OD_ARG_NONE = 0, OD_ARG_NAME, OD_ARG_LIST, OD_ARG_TPLIST, OD_ARG_CONSTRUCT };

typedef struct od_dirent {
  const char *words;        /* space-separated */
  uint32_t flags, rt;
  uint8_t arg;              /* what may follow the name: (name), (list), a construct type */
} od_dirent;

#define TASKLOOP_F  (OD_BLOCK | OD_LOOP | OD_TASK | OD_TASKLOOP)
#define TASKLOOP_RT (RT(TASKLOOP) | RT(TASKGROUP_END))

static const od_dirent od_dirs[] = {
    {"parallel", OD_BLOCK | OD_FORK, RT(FORK), 0},
    {"parallel for", OD_BLOCK | OD_LOOP | OD_FORK, RT(FORK) | RT(BARRIER), 0},
    {"parallel for simd", OD_BLOCK | OD_LOOP | OD_FORK, RT(FORK) | RT(BARRIER), 0},
    {"parallel loop", OD_BLOCK | OD_LOOP | OD_FORK, RT(FORK) | RT(BARRIER), 0},
    {"parallel sections", OD_BLOCK | OD_FORK, RT(FORK) | RT(BARRIER), 0},
    {"parallel master", OD_BLOCK | OD_FORK, RT(FORK), 0},
    {"parallel masked", OD_BLOCK | OD_FORK, RT(FORK), 0},
    {"parallel master taskloop", TASKLOOP_F | OD_FORK, RT(FORK) | TASKLOOP_RT, 0},
    {"parallel master taskloop simd", TASKLOOP_F | OD_FORK, RT(FORK) | TASKLOOP_RT, 0},
    {"parallel masked taskloop", TASKLOOP_F | OD_FORK, RT(FORK) | TASKLOOP_RT, 0},
    {"parallel masked taskloop simd", TASKLOOP_F | OD_FORK, RT(FORK) | TASKLOOP_RT, 0},
    {"for", OD_BLOCK | OD_LOOP, RT(BARRIER), 0},
    {"for simd", OD_BLOCK | OD_LOOP, RT(BARRIER), 0},
    {"simd", OD_BLOCK | OD_LOOP, 0, 0},
    {"loop", OD_BLOCK | OD_LOOP, RT(BARRIER), 0},
    {"tile", OD_BLOCK | OD_LOOP, 0, 0},
    {"unroll", OD_BLOCK | OD_LOOP, 0, 0},
    {"sections", OD_BLOCK, RT(BARRIER), 0},
    {"section", OD_BLOCK, 0, 0},
    {"single", OD_BLOCK, RT(BARRIER), 0},
    {"scope", OD_BLOCK, RT(BARRIER), 0},
    {"master", OD_BLOCK, 0, 0},
    {"masked", OD_BLOCK, 0, 0},
    {"critical", OD_BLOCK, 0, OD_ARG_NAME},
    {"ordered", OD_BLOCK, 0, 0},
    {"atomic", OD_BLOCK, 0, 0},
    {"taskgroup", OD_BLOCK, RT(TASKGROUP_END), 0},
    {"task", OD_BLOCK | OD_TASK, RT(TASK), 0},
    {"taskloop", TASKLOOP_F, TASKLOOP_RT, 0},
    {"taskloop simd", TASKLOOP_F, TASKLOOP_RT, 0},
    {"master taskloop", TASKLOOP_F, TASKLOOP_RT, 0},
    {"master taskloop simd", TASKLOOP_F, TASKLOOP_RT, 0},
    {"masked taskloop", TASKLOOP_F, TASKLOOP_RT, 0},
    {"masked taskloop simd", TASKLOOP_F, TASKLOOP_RT, 0},
    {"barrier", 0, RT(BARRIER), 0},
    {"taskwait", 0, RT(TASKWAIT), 0},
    {"taskyield", 0, RT(TASKYIELD), 0},
    {"flush", 0, 0, OD_ARG_LIST},
    {"cancel", 0, 0, OD_ARG_CONSTRUCT},
    {"cancellation point", 0, 0, OD_ARG_CONSTRUCT},
    {"scan", 0, 0, 0},
    {"nothing", 0, 0, 0},
    {"error", 0, 0, 0},
    {"threadprivate", OD_THREADPRIVATE, 0, OD_ARG_TPLIST},
};

/* ---- clauses --------------------------------------------------------------- */
enum {
  OD_C_FLAG = 0,            /* no argument needed; any argument is an expression */
  OD_C_EXPR,                /* expressions (with modifier words) */
  OD_C_LIST,                /* names and array sections (with modifiers) */
  OD_C_WORDS,               /* keyword arguments only */
  OD_C_REDUCTION,           /* [modifier,] operator : list */
};

typedef struct od_clause {
  const char *name;
  uint8_t kind;
  uint32_t flag;            /* OD_* set by the clause */
} od_clause;

/* Sorted by name (bsearch). */
static const od_clause od_clauses[] = {
    {"acq_rel", OD_C_FLAG, 0},
    {"acquire", OD_C_FLAG, 0},
    {"affinity", OD_C_LIST, 0},
    {"aligned", OD_C_LIST, 0},
    {"allocate", OD_C_LIST, 0},
    {"at", OD_C_WORDS, 0},
    {"bind", OD_C_WORDS, 0},
    {"capture", OD_C_FLAG, 0},
    {"collapse", OD_C_EXPR, 0},
    {"compare", OD_C_FLAG, 0},
    {"copyin", OD_C_LIST, 0},
    {"copyprivate", OD_C_LIST, 0},
    {"default", OD_C_WORDS, 0},
    {"depend", OD_C_LIST, 0},
    {"detach", OD_C_EXPR, 0},
    {"doacross", OD_C_LIST, 0},
    {"exclusive", OD_C_LIST, 0},
    {"fail", OD_C_WORDS, 0},
    {"filter", OD_C_EXPR, 0},
    {"final", OD_C_EXPR, OD_FINAL},
    {"firstprivate", OD_C_LIST, 0},
    {"full", OD_C_FLAG, 0},
    {"grainsize", OD_C_EXPR, 0},
    {"hint", OD_C_EXPR, 0},
    {"if", OD_C_EXPR, OD_IF},
    {"in_reduction", OD_C_REDUCTION, 0},
    {"inclusive", OD_C_LIST, 0},
    {"lastprivate", OD_C_LIST, 0},
    {"linear", OD_C_LIST, 0},
    {"mergeable", OD_C_FLAG, OD_MERGEABLE},
    {"message", OD_C_EXPR, 0},
    {"nogroup", OD_C_FLAG, OD_NOGROUP},
    {"nontemporal", OD_C_LIST, 0},
    {"nowait", OD_C_FLAG, OD_NOWAIT},
    {"num_tasks", OD_C_EXPR, 0},
    {"num_threads", OD_C_EXPR, 0},
    {"order", OD_C_WORDS, 0},
    {"ordered", OD_C_EXPR, 0},
    {"partial", OD_C_EXPR, 0},
    {"priority", OD_C_EXPR, 0},
    {"private", OD_C_LIST, 0},
    {"proc_bind", OD_C_WORDS, 0},
    {"read", OD_C_FLAG, 0},
    {"reduction", OD_C_REDUCTION, 0},
    {"relaxed", OD_C_FLAG, 0},
    {"release", OD_C_FLAG, 0},
    {"safelen", OD_C_EXPR, 0},
    {"schedule", OD_C_EXPR, 0},
    {"seq_cst", OD_C_FLAG, 0},
    {"severity", OD_C_WORDS, 0},
    {"shared", OD_C_LIST, 0},
    {"simd", OD_C_FLAG, 0},
    {"simdlen", OD_C_EXPR, 0},
    {"sizes", OD_C_EXPR, 0},
    {"task_reduction", OD_C_REDUCTION, 0},
    {"threads", OD_C_FLAG, 0},
    {"untied", OD_C_FLAG, OD_UNTIED},
    {"update", OD_C_FLAG, 0},
    {"weak", OD_C_FLAG, 0},
    {"write", OD_C_FLAG, 0},
};

static const od_clause *od_find_clause(const char *name) {
  size_t lo = 0, hi = sizeof od_clauses / sizeof od_clauses[0];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(name, od_clauses[mid].name);
    if (!c) return &od_clauses[mid];
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return NULL;
}

/* ---- the parse ----------------------------------------------------------- */
static int od_is(const od_token *t, size_t n, size_t i, const char *s) { return i < n && !strcmp(t[i].s, s); }
static int od_word(const od_token *t, size_t n, size_t i) {
  return i < n && (t[i].kind == OD_T_IDENT || t[i].kind == OD_T_KEYWORD);
}

static int od_fail(od_directive *d, const char *what, const char *word) {
  snprintf(d->unknown, sizeof d->unknown, "%s '%s'", what, word);
  d->ok = 0;
  return 0;
}

/* The index of the `)` matching the `(` at i, n when unbalanced. */
static size_t od_close(const od_token *t, size_t n, size_t i) {
  int depth = 0;
  for (; i < n; i++) {
    if (t[i].kind != OD_T_PUNCT) continue;
    if (!strcmp(t[i].s, "(") || !strcmp(t[i].s, "[")) depth++;
    else if ((!strcmp(t[i].s, ")") || !strcmp(t[i].s, "]")) && --depth == 0) return i;
  }
  return n;
}

/* Roles of the tokens [a, b) of an expression: identifiers are names to
 * resolve (calls when `(` follows), except members after `.` and `->`. */
static void od_expr(const od_token *t, size_t a, size_t b, uint8_t *role) {
  for (size_t i = a; i < b; i++) {
    if (t[i].kind != OD_T_IDENT) continue;
    if (i > a && t[i - 1].kind == OD_T_PUNCT && (!strcmp(t[i - 1].s, ".") || !strcmp(t[i - 1].s, "->"))) continue;
    role[i] = i + 1 < b && !strcmp(t[i + 1].s, "(") ? OD_R_CALL : OD_R_NAME;
  }
}

/* Words that are modifiers when followed by `(` in list clauses:
 * linear(val(x)), allocate(allocator(a): x), depend(iterator(...), in: x). */
static int od_modifier_call(const char *s) {
  static const char *const w[] = {"align", "allocator", "iterator", "ref", "step", "uval", "val"};
  for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
    if (!strcmp(s, w[i])) return 1;
  return 0;
}

static int od_reduction(const od_token *t, size_t a, size_t b, od_directive *d) {
  static const char *const ops[] = {"+", "-", "*", "&", "|", "^", "&&", "||", "max", "min"};
  size_t colon = a;
  int depth = 0;
  for (; colon < b; colon++) {
    if (!strcmp(t[colon].s, "(")) depth++;
    else if (!strcmp(t[colon].s, ")")) depth--;
    else if (!depth && !strcmp(t[colon].s, ":")) break;
  }
  if (colon == b || colon == a) return od_fail(d, "reduction without an operator in", "reduction");
  size_t op = colon - 1; /* [inscan|task|default ,] op : */
  if (op > a && !(op == a + 2 && !strcmp(t[a + 1].s, ","))) return od_fail(d, "user-defined reduction", t[op].s);
  int known = 0;
  for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) known |= !strcmp(t[op].s, ops[i]);
  if (!known) return od_fail(d, "user-defined reduction", t[op].s);
  od_expr(t, colon + 1, b, d->role);
  return 1;
}

/* Clause arguments: every identifier is a name to resolve.  Modifier and
 * kind words (`in:`, `dynamic`, `task:`) resolve to no variable and cost
 * nothing; only the reduction operator and modifiers written like calls
 * (`val(x)`) need to be told apart. */
static int od_clause_args(const od_token *t, size_t a, size_t b, const od_clause *c, od_directive *d) {
  if (c->kind == OD_C_WORDS) return 1;
  if (c->kind == OD_C_REDUCTION) return od_reduction(t, a, b, d);
  od_expr(t, a, b, d->role);
  for (size_t i = a; c->kind == OD_C_LIST && i < b; i++)
    if (d->role[i] == OD_R_CALL && od_modifier_call(t[i].s)) d->role[i] = OD_R_NONE;
  return 1;
}

/* The directive table entry the leading words name (longest match), and
 * how many tokens its name takes. */
static const od_dirent *od_directive_entry(const od_token *t, size_t n, size_t *len) {
  const od_dirent *best = NULL;
  size_t best_len = 0;
  for (size_t k = 0; k < sizeof od_dirs / sizeof od_dirs[0]; k++) {
    const char *w = od_dirs[k].words;
    size_t i = 0;
    int match = 1;
    while (*w && match) {
      size_t wl = strcspn(w, " ");
      match = od_word(t, n, i) && strlen(t[i].s) == wl && !strncmp(t[i].s, w, wl);
      i++;
      w += wl;
      while (*w == ' ') w++;
    }
    if (match && i > best_len) best = &od_dirs[k], best_len = i;
  }
  *len = best_len;
  return best;
}

static int od_find_word(const od_token *t, size_t a, size_t b, const char *w) {
  for (size_t i = a; i < b; i++)
    if (od_word(t, b, i) && !strcmp(t[i].s, w)) return 1;
  return 0;
}

int od_parse(const od_token *t, size_t n, od_directive *d) {
  memset(d->role, OD_R_NONE, n);
  d->name[0] = d->unknown[0] = '\0';
  d->flags = d->rt = 0;
  d->ok = 1;
  if (!od_word(t, n, 0)) return od_fail(d, "directive", n ? t[0].s : "");
  size_t i;
  const od_dirent *e = od_directive_entry(t, n, &i);
  if (!e) return od_fail(d, "directive", t[0].s);
  snprintf(d->name, sizeof d->name, "%s", e->words);
  d->flags = e->flags;
  d->rt = e->rt;
  if (e->arg == OD_ARG_CONSTRUCT && od_word(t, n, i)) i++; /* cancel parallel|for|sections|taskgroup */
  if (e->arg != OD_ARG_NONE && od_is(t, n, i, "(")) {
    size_t close = od_close(t, n, i);
    if (close == n) return od_fail(d, "unbalanced parentheses in", e->words);
    if (e->arg == OD_ARG_LIST) od_expr(t, i + 1, close, d->role);
    for (size_t k = i + 1; e->arg == OD_ARG_TPLIST && k < close; k++)
      if (t[k].kind == OD_T_IDENT) d->role[k] = OD_R_TPNAME;
    i = close + 1;
  }
  int standalone_ordered = 0, at_execution = 0, severity_warning = 0;
  while (i < n) {
    if (od_is(t, n, i, ",")) {
      i++;
      continue;
    }
    if (!od_word(t, n, i)) return od_fail(d, "token", t[i].s);
    const od_clause *c = od_find_clause(t[i].s);
    if (!c) return od_fail(d, "clause", t[i].s);
    size_t name = i++;
    d->flags |= c->flag;
    if (od_is(t, n, i, "(")) {
      size_t close = od_close(t, n, i);
      if (close == n) return od_fail(d, "unbalanced parentheses in clause", t[name].s);
      if (!od_clause_args(t, i + 1, close, c, d)) return 0;
      if (!strcmp(t[name].s, "at")) at_execution = od_find_word(t, i + 1, close, "execution");
      if (!strcmp(t[name].s, "severity")) severity_warning = od_find_word(t, i + 1, close, "warning");
      i = close + 1;
    } else if (c->kind != OD_C_FLAG && strcmp(t[name].s, "ordered") && strcmp(t[name].s, "partial")) {
      return od_fail(d, "clause without its argument", t[name].s);
    }
    if (!strcmp(t[name].s, "depend") || !strcmp(t[name].s, "doacross")) standalone_ordered = 1;
  }
  if (!strcmp(e->words, "ordered") && standalone_ordered) d->flags &= ~(uint32_t)OD_BLOCK;
  if (!strcmp(e->words, "error") && at_execution && !severity_warning) {
    d->flags |= OD_PANIC;
    d->rt |= RT(ERROR);
  }
  if (d->flags & OD_NOWAIT) d->rt &= ~RT(BARRIER);
  if (d->flags & OD_NOGROUP) d->rt &= ~RT(TASKGROUP_END);
  return 1;
}

void od_text(const od_token *t, size_t n, char *buf, size_t len) {
  size_t k = 0, i = 0;
  if (!len) return;
  buf[0] = '\0';
  for (; i < n && k + 1 < len; i++) {
    int glue =
        i == 0 || !strcmp(t[i].s, "(") || !strcmp(t[i].s, ")") || !strcmp(t[i].s, ",") || !strcmp(t[i - 1].s, "(");
    int w = snprintf(buf + k, len - k, "%s%s", glue ? "" : " ", t[i].s);
    if (w < 0) break;
    k += (size_t)w;
  }
  if ((i < n || k >= len) && len > 3) { /* truncated: end with an ellipsis */
    k = k < len ? k : len - 1;
    memcpy(buf + (k >= 3 ? k - 3 : 0), "...", 3);
    buf[k >= 3 ? k : 3] = '\0';
  }
}

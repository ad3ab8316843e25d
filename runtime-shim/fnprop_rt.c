/* SPDX-License-Identifier: MIT */
/*
 * fnprop_rt.c - entry registration, verdict matching and the lock-free map.
 *
 * Invariant: a published map is immutable except that a slot's reason may be
 * lowered to FNPROP_RT_PIN_UNREGISTERED when its entry is unloaded; a slot
 * says FNPROP_RT_MIGRATE only for an entry matched to rows that all say
 * `proven` in a table whose hash equals the build's sources hash.  Writers
 * (register, unregister, init, shutdown) serialise on rt_lock and publish a
 * new map with a release store; readers take no lock and never allocate.
 */
#include "fnprop_rtInt.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ state */

typedef struct rt_slot {
  uintptr_t key;                 /* entry address; 0 = empty slot */
  _Atomic unsigned char reason;  /* fnprop_rt_reason */
} rt_slot;

typedef struct rt_map {
  struct rt_map *retired;  /* older maps, freed by fnprop_rt_shutdown() */
  unsigned shift;          /* 64 - log2(number of slots) */
  size_t mask;             /* number of slots - 1 */
  rt_slot slots[];
} rt_map;

/* Rows of the installed table grouped by name: open addressing over row
 * indices + 1 (0 = empty).  Rows with one name share a probe chain. */
typedef struct rt_index {
  size_t mask;
  size_t *cells;
} rt_index;

enum { RT_PHASE_UNINIT = 0, RT_PHASE_READY = 1, RT_PHASE_NOMEM = 2 };

static pthread_mutex_t rt_lock = PTHREAD_MUTEX_INITIALIZER;
static fnprop_rt_reg *rt_regs;          /* registrations, newest first */
static const fnprop_rt_table *rt_table; /* installed table (borrowed) */
static int rt_status = FNPROP_RT_UNCHECKED;
static rt_index rt_names;               /* index over rt_table's rows */
static rt_map *rt_retired;              /* replaced maps */
static _Atomic(rt_map *) rt_current;    /* NULL until init, or on ENOMEM */
static atomic_int rt_phase;             /* RT_PHASE_* */
static FILE *rt_log;                    /* warnings; see rt_log_set */
static int rt_log_set;                  /* 0: rt_log means stderr */

/* --------------------------------------------------------------- helpers */

int fnprop_rt__fail_alloc;

/* calloc, or NULL when the test hook's countdown runs out. */
static void *rt_calloc(size_t n, size_t size) {
  if (fnprop_rt__fail_alloc > 0 && --fnprop_rt__fail_alloc == 0) return NULL;
  return calloc(n, size);
}

static uint64_t rt_hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull;  /* FNV-1a */
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static size_t rt_slot_of(const rt_map *m, uintptr_t key) {
  return (size_t)(((uint64_t)key * 0x9E3779B97F4A7C15ull) >> m->shift) & m->mask;
}

/* The reason stored for `key`, or UNREGISTERED.  Terminates because at
 * least half of the slots are empty. */
static fnprop_rt_reason rt_lookup(const rt_map *m, uintptr_t key) {
  for (size_t i = rt_slot_of(m, key);; i = (i + 1) & m->mask) {
    const rt_slot *s = &m->slots[i];
    if (s->key == key)
      return (fnprop_rt_reason)atomic_load_explicit(&s->reason, memory_order_relaxed);
    if (s->key == 0) return FNPROP_RT_PIN_UNREGISTERED;
  }
}

static fnprop_rt_reason rt_query(uintptr_t key) {
  const rt_map *m = atomic_load_explicit(&rt_current, memory_order_acquire);
  if (m) return key ? rt_lookup(m, key) : FNPROP_RT_PIN_UNREGISTERED;
  return atomic_load_explicit(&rt_phase, memory_order_relaxed) == RT_PHASE_NOMEM
             ? FNPROP_RT_PIN_BADTABLE
             : FNPROP_RT_PIN_UNINIT;
}

/* ---------------------------------------------------------- path matching */

static int rt_is_dot(const char *c, size_t n) { return n == 1 && c[0] == '.'; }
static int rt_is_dotdot(const char *c, size_t n) { return n == 2 && c[0] == '.' && c[1] == '.'; }

/* Only "", "." and ".." components in s[0..end)? */
static int rt_only_dots(const char *s, size_t end) {
  for (size_t i = 0; i < end; i++)
    if (s[i] != '.' && s[i] != '/') return 0;
  return 1;
}

/* Steps back over the last meaningful component of s[0..*end).  Returns 1
 * and sets *c and *n to it; 0 when only "", "." and leading ".." remain; -1 on a
 * ".." that follows a real component (not resolved: no match, fail safe). */
static int rt_prev_comp(const char *s, size_t *end, const char **c, size_t *n) {
  for (;;) {
    size_t e = *end, b;
    while (e > 0 && s[e - 1] == '/') e--;
    if (e == 0) { *end = 0; return 0; }
    b = e;
    while (b > 0 && s[b - 1] != '/') b--;
    *end = b;
    if (rt_is_dot(s + b, e - b)) continue;
    if (rt_is_dotdot(s + b, e - b)) return rt_only_dots(s, b) ? 0 : -1;
    *c = s + b;
    *n = e - b;
    return 1;
  }
}

int fnprop_rt__path_match(const char *a, const char *b) {
  size_t ea, eb;
  int same = 0;
  if (!a || !b) return 0;
  ea = strlen(a);
  eb = strlen(b);
  for (;;) {
    const char *ca = NULL, *cb = NULL;
    size_t na = 0, nb = 0;
    int ra = rt_prev_comp(a, &ea, &ca, &na);
    int rb = rt_prev_comp(b, &eb, &cb, &nb);
    if (ra < 0 || rb < 0) return 0;
    if (ra == 0 || rb == 0) return same > 0;
    if (na != nb || memcmp(ca, cb, na) != 0) return 0;
    same++;
  }
}

static int rt_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static char rt_lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

int fnprop_rt__hash_equal(const char *a, const char *b) {
  size_t na, nb;
  if (!a || !b) return 0;
  while (rt_blank(*a)) a++;
  while (rt_blank(*b)) b++;
  na = strlen(a);
  nb = strlen(b);
  while (na > 0 && rt_blank(a[na - 1])) na--;
  while (nb > 0 && rt_blank(b[nb - 1])) nb--;
  if (na == 0 || na != nb) return 0;
  for (size_t i = 0; i < na; i++)
    if (rt_lower(a[i]) != rt_lower(b[i])) return 0;
  return 1;
}

/* ------------------------------------------------------------ name index */

static void rt_index_free(rt_index *ix) {
  free(ix->cells);
  ix->cells = NULL;
  ix->mask = 0;
}

/* Builds the index over t's rows.  On failure leaves it empty, and matching
 * falls back to a linear scan: slower, never wrong. */
static void rt_index_build(rt_index *ix, const fnprop_rt_table *t) {
  size_t cap = 16;
  rt_index_free(ix);
  if (!t || t->nrows == 0 || !t->rows) return;
  while (cap < t->nrows * 2) cap *= 2;
  ix->cells = rt_calloc(cap, sizeof *ix->cells);
  if (!ix->cells) return;
  ix->mask = cap - 1;
  for (size_t r = 0; r < t->nrows; r++) {
    const char *name = t->rows[r].name;
    size_t i;
    if (!name) continue;
    for (i = rt_hash_str(name) & ix->mask; ix->cells[i]; i = (i + 1) & ix->mask) {}
    ix->cells[i] = r + 1;
  }
}

/* Folds one row's tls verdict into (*found, *v); 0 when rows disagree. */
static int rt_fold(const fnprop_rt_row *row, const fnprop_rt_reg *reg, int *found,
                   unsigned char *v) {
  unsigned char t;
  if (!row->name || strcmp(row->name, reg->name) != 0) return 1;
  if (!fnprop_rt__path_match(row->file, reg->file)) return 1;
  t = row->tls > FNPROP_RT_VIOLATED ? FNPROP_RT_VIOLATED : row->tls;
  if (*found && t != *v) return 0;
  *found = 1;
  *v = t;
  return 1;
}

/* The reason for one registration under a fresh table. */
static fnprop_rt_reason rt_judge(const fnprop_rt_table *t, const rt_index *ix,
                                 const fnprop_rt_reg *reg) {
  int found = 0;
  unsigned char v = FNPROP_RT_VIOLATED;
  if (!reg->name || !reg->file || !t->rows) return FNPROP_RT_PIN_NOMATCH;
  if (ix->cells) {
    for (size_t i = rt_hash_str(reg->name) & ix->mask; ix->cells[i]; i = (i + 1) & ix->mask)
      if (!rt_fold(&t->rows[ix->cells[i] - 1], reg, &found, &v)) return FNPROP_RT_PIN_AMBIGUOUS;
  } else {
    for (size_t r = 0; r < t->nrows; r++)
      if (!rt_fold(&t->rows[r], reg, &found, &v)) return FNPROP_RT_PIN_AMBIGUOUS;
  }
  if (!found) return FNPROP_RT_PIN_NOMATCH;
  if (v == FNPROP_RT_PROVEN) return FNPROP_RT_MIGRATE;
  return v == FNPROP_RT_UNKNOWN ? FNPROP_RT_PIN_UNKNOWN : FNPROP_RT_PIN_VIOLATED;
}

/* ------------------------------------------------------------ map build */

static fnprop_rt_reason rt_reason_for(const fnprop_rt_reg *reg) {
  switch (rt_status) {
  case FNPROP_RT_OK: return rt_judge(rt_table, &rt_names, reg);
  case FNPROP_RT_STALE:
  case FNPROP_RT_UNCHECKED: return FNPROP_RT_PIN_STALE;
  default: return FNPROP_RT_PIN_BADTABLE;
  }
}

/* Inserts key with reason; a second registration of one address keeps the
 * pinned reason when the two disagree. */
static void rt_map_put(rt_map *m, uintptr_t key, fnprop_rt_reason why) {
  size_t i;
  for (i = rt_slot_of(m, key); m->slots[i].key && m->slots[i].key != key; i = (i + 1) & m->mask) {}
  if (m->slots[i].key == key) {
    unsigned char old = atomic_load_explicit(&m->slots[i].reason, memory_order_relaxed);
    if (old != FNPROP_RT_MIGRATE) return;
  }
  m->slots[i].key = key;
  atomic_store_explicit(&m->slots[i].reason, (unsigned char)why, memory_order_relaxed);
}

/* A new map for every registration under the installed table, or NULL. */
static rt_map *rt_map_build(void) {
  size_t n = 0, cap = 8;
  unsigned bits = 3;
  rt_map *m;
  for (const fnprop_rt_reg *r = rt_regs; r; r = r->next) n++;
  while (cap < n * 2) cap *= 2, bits++;
  m = rt_calloc(1, sizeof *m + cap * sizeof m->slots[0]);
  if (!m) return NULL;
  m->mask = cap - 1;
  m->shift = 64 - bits;
  for (const fnprop_rt_reg *r = rt_regs; r; r = r->next)
    if (r->fn) rt_map_put(m, (uintptr_t)r->fn, rt_reason_for(r));
  return m;
}

/* Publishes m (NULL: out of memory, everything pinned); retires the old. */
static void rt_publish(rt_map *m) {
  rt_map *old;
  atomic_store_explicit(&rt_phase, m ? RT_PHASE_READY : RT_PHASE_NOMEM, memory_order_relaxed);
  old = atomic_exchange_explicit(&rt_current, m, memory_order_acq_rel);
  if (old) {
    old->retired = rt_retired;
    rt_retired = old;
  }
}

static int rt_ready(void) { return atomic_load_explicit(&rt_phase, memory_order_relaxed) != RT_PHASE_UNINIT; }

/* ----------------------------------------------------------- registration */

void fnprop_rt_register(fnprop_rt_reg *reg) {
  if (!reg) return;
  pthread_mutex_lock(&rt_lock);
  for (const fnprop_rt_reg *r = rt_regs; r; r = r->next)
    if (r == reg) { /* already registered: keep the list acyclic */
      pthread_mutex_unlock(&rt_lock);
      return;
    }
  reg->next = rt_regs;
  rt_regs = reg;
  if (rt_ready()) rt_publish(rt_map_build());
  pthread_mutex_unlock(&rt_lock);
}

void fnprop_rt_unregister(fnprop_rt_reg *reg) {
  int twin = 0;
  rt_map *m;
  if (!reg) return;
  pthread_mutex_lock(&rt_lock);
  for (fnprop_rt_reg **p = &rt_regs; *p; p = &(*p)->next)
    if (*p == reg) {
      *p = reg->next;
      break;
    }
  reg->next = NULL;
  for (const fnprop_rt_reg *r = rt_regs; r; r = r->next) twin |= r->fn == reg->fn;
  m = atomic_load_explicit(&rt_current, memory_order_relaxed);
  if (twin && rt_ready()) {
    rt_publish(rt_map_build());
  } else if (m && reg->fn) {
    /* O(1) tombstone: the address may be reused by the next dlopen, which
     * registers again and rebuilds. */
    uintptr_t key = (uintptr_t)reg->fn;
    for (size_t i = rt_slot_of(m, key); m->slots[i].key; i = (i + 1) & m->mask)
      if (m->slots[i].key == key)
        atomic_store_explicit(&m->slots[i].reason, FNPROP_RT_PIN_UNREGISTERED,
                              memory_order_relaxed);
  }
  pthread_mutex_unlock(&rt_lock);
}

/* ------------------------------------------------------- initialisation */

static int rt_has_hash(const char *h) { return fnprop_rt__hash_equal(h, h); }

static int rt_check(const fnprop_rt_table *t, const char *sources_hash) {
  if (!t || t->abi != FNPROP_RT_TABLE_ABI) return FNPROP_RT_EABI;
  if (!rt_has_hash(t->analysis_hash) || !rt_has_hash(sources_hash)) return FNPROP_RT_UNCHECKED;
  return fnprop_rt__hash_equal(t->analysis_hash, sources_hash) ? FNPROP_RT_OK : FNPROP_RT_STALE;
}

/* The first 16 printable characters of a hash for a message. */
static const char *rt_short(const char *h, char buf[17]) {
  size_t n = 0;
  while (h && rt_blank(*h)) h++;
  while (h && n < 16 && *h > ' ' && *h < 0x7f) buf[n++] = *h++;
  buf[n] = '\0';
  return n ? buf : "(none)";
}

/* One line on the log stream (under rt_lock). */
static void rt_warn(int status, const fnprop_rt_table *t, const char *sources_hash) {
  char a[17], s[17];
  FILE *log = rt_log_set ? rt_log : stderr;
  if (!log) return;
  switch (status) {
  case FNPROP_RT_STALE:
    fprintf(log,
            "fnprop-rt: warning: verdict table is stale (analysis %s, sources %s): every task "
            "is pinned; re-run 'fnprop export --format=c' [fnprop-rt-stale]\n",
            rt_short(t->analysis_hash, a), rt_short(sources_hash, s));
    break;
  case FNPROP_RT_UNCHECKED:
    fprintf(log,
            "fnprop-rt: warning: cannot check the verdict table (analysis %s, sources %s): "
            "every task is pinned; build with -DFNPROP_RT_SOURCES_HASH from 'fnprop hash' "
            "[fnprop-rt-stale]\n",
            rt_short(t ? t->analysis_hash : NULL, a), rt_short(sources_hash, s));
    break;
  case FNPROP_RT_EABI:
    fprintf(log,
            "fnprop-rt: warning: verdict table %s (abi %u, expected %d): every task is pinned; "
            "regenerate it with this fnprop [fnprop-rt-abi]\n",
            t ? "has the wrong layout" : "is missing", t ? t->abi : 0u, FNPROP_RT_TABLE_ABI);
    break;
  case FNPROP_RT_ENOMEM:
    fprintf(log, "fnprop-rt: warning: out of memory building the entry map: every task "
                    "is pinned [fnprop-rt-nomem]\n");
    break;
  default: break;
  }
}

int fnprop_rt_init(const fnprop_rt_table *table, const char *sources_hash) {
  int status = rt_check(table, sources_hash);
  rt_map *m;
  pthread_mutex_lock(&rt_lock);
  rt_table = table;
  rt_status = status;
  if (status == FNPROP_RT_OK) rt_index_build(&rt_names, table);
  else rt_index_free(&rt_names);
  m = rt_map_build();
  rt_publish(m);
  if (!m) status = rt_status = FNPROP_RT_ENOMEM;
  rt_warn(status, table, sources_hash);
  pthread_mutex_unlock(&rt_lock);
  return status;
}

void fnprop_rt_set_log(FILE *log) {
  pthread_mutex_lock(&rt_lock);
  rt_log = log;
  rt_log_set = 1;
  pthread_mutex_unlock(&rt_lock);
}

void fnprop_rt_shutdown(void) {
  rt_map *m;
  pthread_mutex_lock(&rt_lock);
  m = atomic_exchange_explicit(&rt_current, NULL, memory_order_acq_rel);
  atomic_store_explicit(&rt_phase, RT_PHASE_UNINIT, memory_order_relaxed);
  free(m);
  while (rt_retired) {
    m = rt_retired;
    rt_retired = m->retired;
    free(m);
  }
  rt_index_free(&rt_names);
  rt_table = NULL;
  rt_status = FNPROP_RT_UNCHECKED;
  pthread_mutex_unlock(&rt_lock);
}

/* -------------------------------------------------------------- queries */

int fnprop_rt_may_migrate(const void *entry) {
  return rt_query((uintptr_t)entry) == FNPROP_RT_MIGRATE;
}

int fnprop_rt_may_migrate_fn(fnprop_rt_fn entry) {
  return rt_query((uintptr_t)entry) == FNPROP_RT_MIGRATE;
}

fnprop_rt_reason fnprop_rt_why(const void *entry) { return rt_query((uintptr_t)entry); }

const char *fnprop_rt_reason_name(fnprop_rt_reason r) {
  static const char *const names[FNPROP_RT_NREASONS] = {
      "migrate", "uninitialised", "unregistered", "no-match", "ambiguous",
      "unknown", "violated",      "stale",        "bad-table"};
  return (unsigned)r < FNPROP_RT_NREASONS ? names[r] : "invalid";
}

static int rt_reg_cmp(const void *pa, const void *pb) {
  const fnprop_rt_reg *a = *(const fnprop_rt_reg *const *)pa;
  const fnprop_rt_reg *b = *(const fnprop_rt_reg *const *)pb;
  int c = strcmp(a->name ? a->name : "", b->name ? b->name : "");
  return c ? c : strcmp(a->file ? a->file : "", b->file ? b->file : "");
}

int fnprop_rt_report(FILE *out) {
  size_t n = 0, k = 0;
  const fnprop_rt_reg **v;
  int rc = 0;
  pthread_mutex_lock(&rt_lock);
  for (const fnprop_rt_reg *r = rt_regs; r; r = r->next) n++;
  v = rt_calloc(n ? n : 1, sizeof *v);
  if (!v) {
    pthread_mutex_unlock(&rt_lock);
    return -1;
  }
  for (const fnprop_rt_reg *r = rt_regs; r; r = r->next) v[k++] = r;
  qsort(v, n, sizeof *v, rt_reg_cmp);
  for (k = 0; k < n && rc == 0; k++)
    if (fprintf(out, "%s\t%s\t%s\n", v[k]->name ? v[k]->name : "?", v[k]->file ? v[k]->file : "?",
                fnprop_rt_reason_name(rt_query((uintptr_t)v[k]->fn))) < 0)
      rc = -1;
  pthread_mutex_unlock(&rt_lock);
  free(v);
  return rc == 0 && !ferror(out) ? 0 : -1;
}

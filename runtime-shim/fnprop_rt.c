/* SPDX-License-Identifier: MIT */
/*
 * fnprop_rt.c - entry registration, verdict matching and the lock-free map.
 *
 * Invariant: a slot says FNPROP_RT_MIGRATE only for an entry whose every
 * registration is matched (by canonical file and name, and sources hash
 * where the TU recorded one) to rows that all say `proven` in the gated
 * column (migrate or tls; a layout-1 table has only tls) of a table whose
 * hash equals the build's sources hash.  Writers (register, unregister,
 * init, shutdown) serialise on rt_lock and change a slot under its sequence
 * counter (odd while being written); readers take no lock, never allocate,
 * and accept a slot only when the counter was even and unchanged around
 * their reads -- otherwise they retry, and after a few tries answer
 * "pinned".  A map is replaced only to grow; replaced maps stay allocated
 * until shutdown, so memory is bounded by twice the largest map.
 */
#include "fnprop_rtInt.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ state */

typedef struct rt_slot {
  _Atomic uint32_t seq;          /* odd while a writer changes the slot */
  _Atomic unsigned char reason;  /* fnprop_rt_reason */
  _Atomic uintptr_t key;         /* entry address; 0 = empty slot */
} rt_slot;

typedef struct rt_map {
  struct rt_map *retired;  /* older maps, freed by fnprop_rt_shutdown() */
  unsigned shift;          /* 64 - log2(number of slots) */
  size_t mask;             /* number of slots - 1 */
  size_t used;             /* keys in the map */
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
static size_t rt_unmatched;             /* registrations matching no row */
static int rt_nomatch_told;             /* the no-match line was written since init */
static int rt_gate_set = -1;            /* fnprop_rt_set_migrate_on's gate; -1 none */
static int rt_gate_env = FNPROP_RT_GATE_MIGRATE; /* FNPROP_RT_MIGRATE_ON at the last init */

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

/* One consistent (key, reason) of slot s; 0 when a writer kept changing it. */
static int rt_read_slot(const rt_slot *s, uintptr_t *key, unsigned char *reason) {
  for (int tries = 0; tries < 16; tries++) {
    uint32_t a = atomic_load_explicit(&s->seq, memory_order_acquire);
    *key = atomic_load_explicit(&s->key, memory_order_relaxed);
    *reason = atomic_load_explicit(&s->reason, memory_order_relaxed);
    atomic_thread_fence(memory_order_acquire);
    uint32_t b = atomic_load_explicit(&s->seq, memory_order_relaxed);
    if (a == b && !(a & 1)) return 1;
  }
  return 0;
}

/* The reason stored for `key`, or UNREGISTERED.  At most one pass over the
 * slots; an entry being moved by a concurrent removal may be missed, which
 * answers "pinned" (safe). */
static fnprop_rt_reason rt_lookup(const rt_map *m, uintptr_t key) {
  size_t i = rt_slot_of(m, key);
  for (size_t n = 0; n <= m->mask; n++, i = (i + 1) & m->mask) {
    uintptr_t k;
    unsigned char r;
    if (!rt_read_slot(&m->slots[i], &k, &r)) return FNPROP_RT_PIN_UNREGISTERED;
    if (k == key) return (fnprop_rt_reason)r;
    if (k == 0) return FNPROP_RT_PIN_UNREGISTERED;
  }
  return FNPROP_RT_PIN_UNREGISTERED;
}

static fnprop_rt_reason rt_query(uintptr_t key) {
  const rt_map *m = atomic_load_explicit(&rt_current, memory_order_acquire);
  if (m) return key ? rt_lookup(m, key) : FNPROP_RT_PIN_UNREGISTERED;
  return atomic_load_explicit(&rt_phase, memory_order_relaxed) == RT_PHASE_NOMEM ? FNPROP_RT_PIN_BADTABLE
                                                                                 : FNPROP_RT_PIN_UNINIT;
}

/* ---------------------------------------------------------- file identity */

/* Lexical normalization of an absolute path into out (at most n bytes):
 * no empty or "." components, ".." resolved.  0 when it does not fit. */
static int rt_normalize(const char *p, char *out, size_t n) {
  size_t o = 0;
  if (!p || p[0] != '/' || n < 2) return 0;
  while (*p) {
    while (*p == '/') p++;
    if (!*p) break;
    const char *c = p;
    while (*p && *p != '/') p++;
    size_t len = (size_t)(p - c);
    if (len == 1 && c[0] == '.') continue;
    if (len == 2 && c[0] == '.' && c[1] == '.') {
      while (o > 0 && out[--o] != '/') {}
      continue;
    }
    if (o + 1 + len + 1 > n) return 0;
    out[o++] = '/';
    memcpy(out + o, c, len);
    o += len;
  }
  if (o == 0) out[o++] = '/';
  out[o] = '\0';
  return 1;
}

/* The canonical form of a registration's file: 0 when it has none. */
static int rt_canonical(const char *file, char out[PATH_MAX]) {
  if (!file || file[0] != '/') return 0;
  if (realpath(file, out)) return 1;
  return rt_normalize(file, out, PATH_MAX);
}

int fnprop_rt__same_file(const char *reg, const char *row) {
  char a[PATH_MAX], b[PATH_MAX];
  return rt_canonical(reg, a) && rt_normalize(row, b, sizeof b) && strcmp(a, b) == 0;
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

static int rt_gate(void) { return rt_gate_set >= 0 ? rt_gate_set : rt_gate_env; }

/* Row r of t, of either layout: its name, file and gated verdict. */
typedef struct rt_row {
  const char *name, *file;
  unsigned char v;
} rt_row;

static rt_row rt_row_at(const fnprop_rt_table *t, size_t r) {
  rt_row x;
  if (t->abi == 1) {
    const fnprop_rt_row_v1 *o = &((const fnprop_rt_row_v1 *)(const void *)t->rows)[r];
    x.name = o->name, x.file = o->file, x.v = o->tls; /* no migrate column: tls is stricter */
  } else {
    const fnprop_rt_row *o = &t->rows[r];
    x.name = o->name, x.file = o->file, x.v = rt_gate() == FNPROP_RT_GATE_TLS ? o->tls : o->migrate;
  }
  return x;
}

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
    const char *name = rt_row_at(t, r).name;
    size_t i;
    if (!name) continue;
    for (i = rt_hash_str(name) & ix->mask; ix->cells[i]; i = (i + 1) & ix->mask) {}
    ix->cells[i] = r + 1;
  }
}

/* Folds one row's gated verdict into (*found, *v); 0 when rows disagree. */
static int rt_fold(const rt_row *row, const fnprop_rt_reg *reg, const char *canon, int *found, unsigned char *v) {
  char rowfile[PATH_MAX];
  unsigned char t;
  if (!row->name || strcmp(row->name, reg->name) != 0) return 1;
  if (!rt_normalize(row->file, rowfile, sizeof rowfile) || strcmp(rowfile, canon) != 0) return 1;
  t = row->v > FNPROP_RT_VIOLATED ? FNPROP_RT_VIOLATED : row->v;
  if (*found && t != *v) return 0;
  *found = 1;
  *v = t;
  return 1;
}

/* The reason for one registration under a fresh table. */
static fnprop_rt_reason rt_judge(const fnprop_rt_table *t, const rt_index *ix, const fnprop_rt_reg *reg) {
  char canon[PATH_MAX];
  int found = 0;
  unsigned char v = FNPROP_RT_VIOLATED;
  if (!reg->name || !t->rows) return FNPROP_RT_PIN_NOMATCH;
  if (!rt_canonical(reg->file, canon)) return FNPROP_RT_PIN_NOIDENTITY;
  if (reg->build_hash && !fnprop_rt__hash_equal(reg->build_hash, t->analysis_hash)) return FNPROP_RT_PIN_STALE;
  if (ix->cells) {
    for (size_t i = rt_hash_str(reg->name) & ix->mask; ix->cells[i]; i = (i + 1) & ix->mask) {
      rt_row row = rt_row_at(t, ix->cells[i] - 1);
      if (!rt_fold(&row, reg, canon, &found, &v)) return FNPROP_RT_PIN_AMBIGUOUS;
    }
  } else {
    for (size_t r = 0; r < t->nrows; r++) {
      rt_row row = rt_row_at(t, r);
      if (!rt_fold(&row, reg, canon, &found, &v)) return FNPROP_RT_PIN_AMBIGUOUS;
    }
  }
  if (!found) return FNPROP_RT_PIN_NOMATCH;
  if (v == FNPROP_RT_PROVEN) return FNPROP_RT_MIGRATE;
  return v == FNPROP_RT_UNKNOWN ? FNPROP_RT_PIN_UNKNOWN : FNPROP_RT_PIN_VIOLATED;
}

static fnprop_rt_reason rt_reason_for(const fnprop_rt_reg *reg) {
  switch (rt_status) {
  case FNPROP_RT_OK: return rt_judge(rt_table, &rt_names, reg);
  case FNPROP_RT_STALE:
  case FNPROP_RT_UNCHECKED: return FNPROP_RT_PIN_STALE;
  default: return FNPROP_RT_PIN_BADTABLE;
  }
}

static int rt_is_unmatched(fnprop_rt_reason r) { return r == FNPROP_RT_PIN_NOMATCH || r == FNPROP_RT_PIN_NOIDENTITY; }

/* The reason of an address: migrate only when every registration of it
 * migrates; otherwise the first pinned reason in registration order. */
static fnprop_rt_reason rt_reason_of_fn(fnprop_rt_fn fn) {
  fnprop_rt_reason r = FNPROP_RT_PIN_UNREGISTERED;
  int any = 0;
  for (const fnprop_rt_reg *g = rt_regs; g; g = g->next) {
    if (g->fn != fn) continue;
    fnprop_rt_reason x = rt_reason_for(g);
    if (!any || r == FNPROP_RT_MIGRATE) r = x;
    any = 1;
  }
  return r;
}

/* ------------------------------------------------------------- the map */

static void rt_slot_write(rt_slot *s, uintptr_t key, unsigned char reason) {
  uint32_t q = atomic_load_explicit(&s->seq, memory_order_relaxed);
  atomic_store_explicit(&s->seq, q + 1, memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&s->key, key, memory_order_relaxed);
  atomic_store_explicit(&s->reason, reason, memory_order_relaxed);
  atomic_store_explicit(&s->seq, q + 2, memory_order_release);
}

static uintptr_t rt_key_at(const rt_map *m, size_t i) {
  return atomic_load_explicit(&m->slots[i].key, memory_order_relaxed);
}

/* Slot of key, or the empty slot where it would go (writers only). */
static size_t rt_find(const rt_map *m, uintptr_t key) {
  size_t i = rt_slot_of(m, key);
  while (rt_key_at(m, i) && rt_key_at(m, i) != key) i = (i + 1) & m->mask;
  return i;
}

static rt_map *rt_map_new(size_t keys) {
  size_t cap = 8;
  unsigned bits = 3;
  while (cap < keys * 2 + 2) cap *= 2, bits++;
  rt_map *m = rt_calloc(1, sizeof *m + cap * sizeof m->slots[0]);
  if (!m) return NULL;
  m->mask = cap - 1;
  m->shift = 64 - bits;
  return m;
}

/* Sets key's reason; the caller made room (used < half the slots). */
static void rt_map_set(rt_map *m, uintptr_t key, fnprop_rt_reason why) {
  size_t i = rt_find(m, key);
  if (!rt_key_at(m, i)) m->used++;
  rt_slot_write(&m->slots[i], key, (unsigned char)why);
}

/* Removes key: backward-shift deletion, so no tombstones pile up. */
static void rt_map_del(rt_map *m, uintptr_t key) {
  size_t i = rt_find(m, key), j = i;
  if (!rt_key_at(m, i)) return;
  for (;;) {
    j = (j + 1) & m->mask;
    uintptr_t k = rt_key_at(m, j);
    if (!k) break;
    size_t home = rt_slot_of(m, k);
    /* k may move to i when its home is not cyclically within (i, j]. */
    if (i <= j ? (home > i && home <= j) : (home > i || home <= j)) continue;
    rt_slot_write(&m->slots[i], k, atomic_load_explicit(&m->slots[j].reason, memory_order_relaxed));
    i = j;
  }
  rt_slot_write(&m->slots[i], 0, 0);
  m->used--;
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

/* A new map holding every registration, sized for `extra` more. */
static rt_map *rt_map_build(size_t extra) {
  size_t n = extra;
  for (const fnprop_rt_reg *r = rt_regs; r; r = r->next) n++;
  rt_map *m = rt_map_new(n);
  if (!m) return NULL;
  for (const fnprop_rt_reg *r = rt_regs; r; r = r->next)
    if (r->fn && !rt_key_at(m, rt_find(m, (uintptr_t)r->fn))) rt_map_set(m, (uintptr_t)r->fn, rt_reason_of_fn(r->fn));
  return m;
}

static int rt_ready(void) { return atomic_load_explicit(&rt_phase, memory_order_relaxed) != RT_PHASE_UNINIT; }

/* Puts fn's current reason into the published map, growing it when full. */
static void rt_update(fnprop_rt_fn fn) {
  rt_map *m = atomic_load_explicit(&rt_current, memory_order_relaxed);
  if (!m || !fn) return;
  uintptr_t key = (uintptr_t)fn;
  if (!rt_key_at(m, rt_find(m, key)) && (m->used + 1) * 2 > m->mask + 1) {
    rt_map *g = rt_map_build(m->used + 1);
    if (g) rt_publish(g);
    else rt_publish(NULL); /* everything pinned, never a stale "migrate" */
    return;
  }
  rt_map_set(m, key, rt_reason_of_fn(fn));
}

/* ----------------------------------------------------------------- log */

static FILE *rt_log_stream(void) {
  if (rt_log_set) return rt_log;
  const char *env = getenv("FNPROP_RT_LOG");
  if (env && (!strcmp(env, "0") || !strcmp(env, "off"))) return NULL;
  return stderr;
}

/* One line about entries that match no row (under rt_lock). */
static void rt_tell_unmatched(size_t n, const fnprop_rt_reg *first, fnprop_rt_reason why) {
  FILE *log = rt_log_stream();
  rt_nomatch_told = 1;
  if (!log || !first) return;
  fprintf(log,
          "fnprop-rt: warning: %zu task entr%s match%s no row of the verdict table and stay%s pinned; "
          "first: '%s' registered from '%s' (%s); fnprop_rt_report() lists them [fnprop-rt-nomatch]\n",
          n, n == 1 ? "y" : "ies", n == 1 ? "es" : "", n == 1 ? "s" : "", first->name ? first->name : "?",
          first->file ? first->file : "?",
          why == FNPROP_RT_PIN_NOIDENTITY
              ? "a relative file name: compile with absolute paths or define FNPROP_RT_FILE"
              : "no row with this name and file: was the file analyzed and the table regenerated?");
}

/* ----------------------------------------------------------- registration */

/* Registrations of a plugin built against a header older than layout 2:
 * never registered (pinned), one line logged per process. */
static atomic_int rt_oldabi_told;

void fnprop_rt_register(void *old_layout_reg) {
  FILE *log;
  if (!old_layout_reg || atomic_exchange(&rt_oldabi_told, 1)) return;
  if ((log = rt_log_stream()))
    fprintf(log, "fnprop-rt: warning: a module built against an older fnprop_rt.h registered task entries; "
                 "they stay pinned until it is rebuilt against this one [fnprop-rt-oldabi]\n");
}

void fnprop_rt_unregister(void *old_layout_reg) { (void)old_layout_reg; }

void fnprop_rt_register2(fnprop_rt_reg *reg) {
  if (!reg) return;
  pthread_mutex_lock(&rt_lock);
  for (const fnprop_rt_reg *r = rt_regs; r; r = r->next)
    if (r == reg) { /* already registered: keep the list acyclic */
      pthread_mutex_unlock(&rt_lock);
      return;
    }
  reg->next = rt_regs;
  rt_regs = reg;
  if (rt_ready()) {
    rt_update(reg->fn);
    fnprop_rt_reason why = rt_status == FNPROP_RT_OK ? rt_reason_for(reg) : FNPROP_RT_PIN_STALE;
    if (rt_is_unmatched(why)) {
      rt_unmatched++;
      if (!rt_nomatch_told) rt_tell_unmatched(1, reg, why);
    }
  }
  pthread_mutex_unlock(&rt_lock);
}

void fnprop_rt_unregister2(fnprop_rt_reg *reg) {
  int found = 0, twin = 0;
  if (!reg) return;
  pthread_mutex_lock(&rt_lock);
  for (fnprop_rt_reg **p = &rt_regs; *p; p = &(*p)->next)
    if (*p == reg) {
      *p = reg->next;
      found = 1;
      break;
    }
  reg->next = NULL;
  if (found && rt_ready()) {
    if (rt_status == FNPROP_RT_OK && rt_is_unmatched(rt_reason_for(reg)) && rt_unmatched) rt_unmatched--;
    for (const fnprop_rt_reg *r = rt_regs; r; r = r->next) twin |= r->fn == reg->fn;
    rt_map *m = atomic_load_explicit(&rt_current, memory_order_relaxed);
    if (twin) rt_update(reg->fn);
    else if (m && reg->fn) rt_map_del(m, (uintptr_t)reg->fn);
  }
  pthread_mutex_unlock(&rt_lock);
}

/* ------------------------------------------------------- initialisation */

static int rt_has_hash(const char *h) { return fnprop_rt__hash_equal(h, h); }

static int rt_check(const fnprop_rt_table *t, const char *sources_hash) {
  if (!t || (t->abi != FNPROP_RT_TABLE_ABI && t->abi != 1)) return FNPROP_RT_EABI;
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
  FILE *log = rt_log_stream();
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

/* Recomputes every slot of the published map in place (the key set is the
 * registrations' and does not change), or builds the first map. */
static rt_map *rt_refresh(void) {
  rt_map *m = atomic_load_explicit(&rt_current, memory_order_relaxed);
  if (!m) return rt_map_build(0);
  for (size_t i = 0; i <= m->mask; i++) {
    uintptr_t k = rt_key_at(m, i);
    if (k) rt_slot_write(&m->slots[i], k, (unsigned char)rt_reason_of_fn((fnprop_rt_fn)k));
  }
  return m;
}

/* FNPROP_RT_MIGRATE_ON into rt_gate_env (under rt_lock); a value that is
 * neither gate gates on tls, the stricter column, and says so. */
static void rt_read_gate_env(void) {
  const char *env = getenv("FNPROP_RT_MIGRATE_ON");
  int g = env && *env ? fnprop_rt_gate_parse(env) : FNPROP_RT_GATE_MIGRATE;
  rt_gate_env = g < 0 ? FNPROP_RT_GATE_TLS : g;
  FILE *log = g < 0 && rt_gate_set < 0 ? rt_log_stream() : NULL;
  if (log)
    fprintf(log,
            "fnprop-rt: warning: FNPROP_RT_MIGRATE_ON='%.40s' is neither 'tls' nor 'migrate': gating on "
            "'tls' [fnprop-rt-gate]\n",
            env);
}

int fnprop_rt_init(const fnprop_rt_table *table, const char *sources_hash) {
  int status = rt_check(table, sources_hash);
  pthread_mutex_lock(&rt_lock);
  rt_read_gate_env();
  rt_table = table;
  rt_status = status;
  if (status == FNPROP_RT_OK) rt_index_build(&rt_names, table);
  else rt_index_free(&rt_names);
  rt_map *old = atomic_load_explicit(&rt_current, memory_order_relaxed), *m = rt_refresh();
  if (m != old) rt_publish(m);
  if (!m) status = rt_status = FNPROP_RT_ENOMEM;
  rt_warn(status, table, sources_hash);
  rt_unmatched = 0;
  rt_nomatch_told = 0;
  const fnprop_rt_reg *first = NULL;
  fnprop_rt_reason first_why = FNPROP_RT_PIN_NOMATCH;
  for (const fnprop_rt_reg *r = rt_regs; status == FNPROP_RT_OK && r; r = r->next) {
    fnprop_rt_reason why = rt_reason_for(r);
    if (!rt_is_unmatched(why)) continue;
    rt_unmatched++;
    first = r, first_why = why; /* the list is newest first: the last one is the oldest */
  }
  if (rt_unmatched) rt_tell_unmatched(rt_unmatched, first, first_why);
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
  rt_unmatched = 0;
  rt_gate_set = -1;
  rt_gate_env = FNPROP_RT_GATE_MIGRATE;
  pthread_mutex_unlock(&rt_lock);
}

/* ------------------------------------------------------------- the gate */

int fnprop_rt_set_migrate_on(int gate) {
  if (gate != FNPROP_RT_GATE_MIGRATE && gate != FNPROP_RT_GATE_TLS) return -1;
  pthread_mutex_lock(&rt_lock);
  rt_gate_set = gate;
  /* Re-decide in place: each slot goes from its old answer to its new one;
   * a reader sees one or the other, both of them answers of a gate. */
  if (atomic_load_explicit(&rt_current, memory_order_relaxed)) (void)rt_refresh();
  pthread_mutex_unlock(&rt_lock);
  return 0;
}

int fnprop_rt_gate_parse(const char *name) {
  if (!name) return -1;
  if (!strcmp(name, "migrate")) return FNPROP_RT_GATE_MIGRATE;
  if (!strcmp(name, "tls")) return FNPROP_RT_GATE_TLS;
  return -1;
}

fnprop_rt_gate fnprop_rt_migrate_on(void) {
  pthread_mutex_lock(&rt_lock);
  fnprop_rt_gate g = (fnprop_rt_gate)rt_gate();
  pthread_mutex_unlock(&rt_lock);
  return g;
}

const char *fnprop_rt_gate_name(fnprop_rt_gate gate) { return gate == FNPROP_RT_GATE_TLS ? "tls" : "migrate"; }

/* ------------------------------------------------ errno under migration */

/* noinline and an opaque asm: no caller may merge two calls, and the body
 * asks the C library afresh each time (see fnprop_rt.h). */
__attribute__((noinline)) int *fnprop_rt_errno(void) {
  int *p = &errno;
  __asm__ volatile("" : "+r"(p) : : "memory");
  return p;
}

/* -------------------------------------------------------------- queries */

int fnprop_rt_may_migrate(const void *entry) { return rt_query((uintptr_t)entry) == FNPROP_RT_MIGRATE; }

int fnprop_rt_may_migrate_fn(fnprop_rt_fn entry) { return rt_query((uintptr_t)entry) == FNPROP_RT_MIGRATE; }

fnprop_rt_reason fnprop_rt_why(const void *entry) { return rt_query((uintptr_t)entry); }

const char *fnprop_rt_reason_name(fnprop_rt_reason r) {
  static const char *const names[FNPROP_RT_NREASONS] = {"migrate",   "uninitialised", "unregistered", "no-match",
                                                        "ambiguous", "unknown",       "violated",     "stale",
                                                        "bad-table", "no-identity"};
  return (unsigned)r < FNPROP_RT_NREASONS ? names[r] : "invalid";
}

size_t fnprop_rt_unmatched(void) {
  pthread_mutex_lock(&rt_lock);
  size_t n = rt_unmatched;
  pthread_mutex_unlock(&rt_lock);
  return n;
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

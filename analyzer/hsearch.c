/* SPDX-License-Identifier: MIT */
/*
 * hsearch.c - recording and re-checking what header search looked for.
 *
 * Invariant: the answer of a probe dir/name can only change when an entry
 * of its parent directory changes, or when the path to that directory
 * resolves elsewhere (a retargeted symlink, a replaced directory); both
 * change the parent's identity (or, when the parent does not exist, the
 * identity of its deepest existing ancestor, where the missing component
 * would have to appear).  So unchanged watched directories prove unchanged
 * probes, and re-probing decides the rest.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hsearch.h"

static uint64_t hs_mix(uint64_t h, uint64_t v) { return ut_hash(h, &v, sizeof v); }

static int64_t hs_ns(struct timespec t) { return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec; }

static uint64_t hs_dir_ident(const struct stat *st) {
  uint64_t h = UT_HASH_INIT;
  h = hs_mix(h, (uint64_t)st->st_dev);
  h = hs_mix(h, (uint64_t)st->st_ino);
  h = hs_mix(h, (uint64_t)st->st_mode);
  h = hs_mix(h, (uint64_t)st->st_nlink);
  h = hs_mix(h, (uint64_t)hs_ns(st->st_mtim));
  h = hs_mix(h, (uint64_t)hs_ns(st->st_ctim));
  return h ? h : 1;
}

/* What a probe resolved to: the file type and the real path (so a
 * retargeted symlink anywhere on the way shows, while a fresh checkout at
 * the same place, with new inodes, does not). */
static uint64_t hs_file_ident(const char *path, const struct stat *st) {
  char *real = realpath(path, NULL);
  uint64_t h = hs_mix(UT_HASH_INIT, (uint64_t)(st->st_mode & S_IFMT));
  h = real ? ut_hash_str(h, real) : hs_mix(h, (uint64_t)st->st_ino);
  free(real);
  return h ? h : 1;
}

/* Did the directory change at or after `t` (or so close before it that a
 * change after `t` could carry the same time stamp)?  File systems with
 * whole-second time stamps (a zero nanosecond part) get a 2 s margin;
 * others 50 ms, for the kernel's coarse clock that stamps files. */
static int hs_racy(const struct stat *st, int64_t t) {
  int64_t m = hs_ns(st->st_mtim), c = hs_ns(st->st_ctim), changed = m > c ? m : c;
  int coarse = st->st_mtim.tv_nsec == 0 && st->st_ctim.tv_nsec == 0;
  return changed >= t - (coarse ? 2000000000LL : 50000000LL);
}

/* Snapshots are found by device and inode, not by spelling: "d/." and "d"
 * are one directory. */
static void hs_inode_key(const struct stat *st, char out[48]) {
  snprintf(out, 48, "%llx:%llx", (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
}

/* ---- recording ------------------------------------------------------------ */
void hs_builder_init(hs_builder *b, ft_tu *tu) {
  memset(b, 0, sizeof *b);
  b->tu = tu;
}

void hs_builder_free(hs_builder *b) {
  ut_map_free(&b->dirs);
  ut_map_free(&b->names);
  ut_map_free(&b->before);
  free(b->pre.v);
}

static void hs_intern(hs_builder *b, ut_map *m, void *arr, const char *s, size_t n) {
  struct {
    const char **v;
    size_t n, cap;
  } *a = arr;
  ut_buf k = {0};
  ut_buf_add(&k, s, n);
  uint32_t idx;
  if (k.failed) {
    b->tu->failed = 1;
  } else if (!ut_map_get(m, k.s, &idx)) {
    const char *p = ft_str(b->tu, k.s);
    if (UT_PUSH(*a, p) < 0 || ut_map_put(m, p, (uint32_t)(a->n - 1)) < 0) b->tu->failed = 1;
  }
  ut_buf_free(&k);
}

void hs_add_dir(hs_builder *b, const char *dir) {
  size_t n = strlen(dir);
  while (n > 1 && dir[n - 1] == '/') n--;
  if (!n || dir[0] != '/') return;
  size_t had = b->tu->lookups.dirs.n;
  hs_intern(b, &b->dirs, &b->tu->lookups.dirs, dir, n);
  if (b->tu->lookups.dirs.n == had || b->parsing) return;
  struct stat st;
  if (stat(b->tu->lookups.dirs.v[had], &st) != 0 || !S_ISDIR(st.st_mode)) return;
  char key[48];
  hs_inode_key(&st, key);
  const char *k = ft_str(b->tu, key);
  if (UT_PUSH(b->pre, hs_dir_ident(&st)) < 0 || ut_map_put(&b->before, k, (uint32_t)b->pre.n - 1) < 0)
    b->tu->failed = 1;
}

void hs_parse_begins(hs_builder *b) { b->parsing = 1; }

void hs_add_name(hs_builder *b, const char *name) {
  if (*name) hs_intern(b, &b->names, &b->tu->lookups.names, name, strlen(name));
}

static int hs_ident_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Skips blanks and backslash-newlines. */
static const char *hs_blank(const char *p, const char *end) {
  for (;;) {
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    if (p + 1 < end && p[0] == '\\' && p[1] == '\n') p += 2;
    else if (p + 2 < end && p[0] == '\\' && p[1] == '\r' && p[2] == '\n') p += 3;
    else return p;
  }
}

int hs_add_literal(hs_builder *b, const char *p, const char *end) {
  if (p >= end || (*p != '<' && *p != '"')) return 0;
  char close = *p == '<' ? '>' : '"';
  const char *q = ++p;
  while (q < end && *q != close && *q != '\n') q++;
  if (q >= end || *q != close || q == p) return 0;
  hs_intern(b, &b->names, &b->tu->lookups.names, p, (size_t)(q - p));
  return 1;
}

static int hs_word(const char *p, const char *end, const char *w) {
  size_t n = strlen(w);
  return (size_t)(end - p) >= n && memcmp(p, w, n) == 0 && (p + n == end || !hs_ident_char(p[n]));
}

/* One preprocessing directive starting after the '#'. */
static void hs_directive(hs_builder *b, const char *p, const char *end) {
  p = hs_blank(p, end);
  if (hs_word(p, end, "include_next") || hs_word(p, end, "include") || hs_word(p, end, "import")) {
    while (p < end && hs_ident_char(*p)) p++;
    hs_add_literal(b, hs_blank(p, end), end); /* a macro name: see the defines */
  } else if (hs_word(p, end, "embed")) {
    b->tu->lookups.flags |= FT_LK_EMBED;
  } else if (hs_word(p, end, "define")) {
    p = hs_blank(p + 6, end);
    while (p < end && hs_ident_char(*p)) p++;
    if (p < end && *p != '(') hs_add_literal(b, hs_blank(p, end), end);
  }
}

void hs_scan_text(hs_builder *b, const char *text, size_t n) {
  const char *end = text + n;
  for (const char *line = text; line < end;) {
    const char *p = hs_blank(line, end);
    if (p < end && *p == '#') hs_directive(b, p + 1, end);
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    line = nl ? nl + 1 : end;
  }
  for (const char *p = text; p < end && (p = memmem(p, (size_t)(end - p), "__has_", 6)) != NULL; p += 6) {
    if (p > text && hs_ident_char(p[-1])) continue;
    const char *q = p + 6;
    if (hs_word(q, end, "embed")) {
      b->tu->lookups.flags |= FT_LK_EMBED;
      continue;
    }
    if (hs_word(q, end, "include")) q += 7;
    else if (hs_word(q, end, "include_next")) q += 12;
    else continue;
    q = hs_blank(q, end);
    if (q >= end || *q != '(') continue; /* `defined(__has_include)` and the like */
    if (!hs_add_literal(b, hs_blank(q + 1, end), end)) b->tu->lookups.flags |= FT_LK_MACRO_NAME;
  }
}

/* ---- probing (shared by recording and checking) ---------------------------- */
typedef struct hs_eval {
  ut_arena *arena;
  ut_map seen;          /* directory path -> index into watches */
  struct {
    ft_hit *v;
    size_t n, cap;
  } hits;
  struct {
    ft_watch *v;
    size_t n, cap;
  } watches;
  int64_t racy_after;
  int racy, failed;
  const hs_builder *b;  /* recording: the snapshot before the parse */
  hs_cache *cache;      /* checking: answers shared across TUs */
} hs_eval;

/* dir/name into out; 0 when it does not fit (no file has such a path:
 * the probe answers "absent", as the kernel would). */
static int hs_join(char *out, size_t n, const char *dir, const char *name) {
  int len = dir ? snprintf(out, n, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", name) : snprintf(out, n, "%s", name);
  return len >= 0 && (size_t)len < n;
}

/* Watches the deepest existing directory at or above `dir` (modified in
 * place: the caller passes a scratch copy).  Paths found missing are
 * remembered too (index UINT32_MAX), so a name in a subdirectory that no
 * search directory has costs one stat per directory, not one per probe. */
static void hs_watch_dir(hs_eval *e, char *dir) {
  char first[PATH_MAX];
  int have_first = 0;
  for (;;) {
    uint32_t idx;
    if (ut_map_get(&e->seen, dir, &idx)) break;
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
      ft_watch w = {ut_arena_strdup(e->arena, dir), hs_dir_ident(&st)};
      uint32_t k;
      char key[48];
      hs_inode_key(&st, key);
      int racy = e->b && ut_map_get(&e->b->before, key, &k) ? e->b->pre.v[k] != w.ident : hs_racy(&st, e->racy_after);
      if (racy) e->racy = 1, w.ident = 0;
      if (!w.path || UT_PUSH(e->watches, w) < 0 || ut_map_put(&e->seen, w.path, (uint32_t)e->watches.n - 1) < 0)
        e->failed = 1;
      break;
    }
    if (!have_first) { /* the missing path the probe asked about */
      snprintf(first, sizeof first, "%s", dir);
      have_first = 1;
    }
    char *slash = strrchr(dir, '/');
    if (!slash) break;
    if (slash == dir) {
      if (!dir[1]) break; /* "/" itself is gone: nothing left to watch */
      dir[1] = '\0';
    } else {
      *slash = '\0';
    }
  }
  if (have_first) {
    const char *key = ut_arena_strdup(e->arena, first);
    if (!key || ut_map_put(&e->seen, key, UINT32_MAX) < 0) e->failed = 1;
  }
}

static void hs_probe(hs_eval *e, uint32_t d, uint32_t n, const char *dir, const char *name) {
  char path[PATH_MAX];
  if (!hs_join(path, sizeof path, dir, name)) return;
  uint64_t answer = 0;
  uint32_t k;
  if (e->cache && ut_map_get(&e->cache->probes, path, &k)) {
    answer = e->cache->answers.v[k];
  } else {
    struct stat st;
    if (stat(path, &st) == 0) answer = hs_file_ident(path, &st);
    const char *key = e->cache ? ut_arena_strdup(&e->cache->arena, path) : NULL;
    if (e->cache && (!key || UT_PUSH(e->cache->answers, answer) < 0 ||
                     ut_map_put(&e->cache->probes, key, (uint32_t)e->cache->answers.n - 1) < 0))
      e->failed = 1;
  }
  if (answer) {
    ft_hit h = {d, n, answer};
    if (UT_PUSH(e->hits, h) < 0) e->failed = 1;
  }
  char *slash = strrchr(path, '/');
  if (slash == path) path[1] = '\0';
  else if (slash) *slash = '\0';
  if (slash) hs_watch_dir(e, path);
}

static int hs_watch_cmp(const void *a, const void *b) {
  return strcmp(((const ft_watch *)a)->path, ((const ft_watch *)b)->path);
}

/* Probes every pair of l; hits come out sorted by (dir, name). */
static void hs_run(hs_eval *e, const ft_lookups *l) {
  for (size_t d = 0; d < l->dirs.n && !e->failed; d++)
    for (size_t n = 0; n < l->names.n && !e->failed; n++)
      if (l->names.v[n][0] != '/') hs_probe(e, (uint32_t)d, (uint32_t)n, l->dirs.v[d], l->names.v[n]);
  for (size_t n = 0; n < l->names.n && !e->failed; n++)
    if (l->names.v[n][0] == '/') hs_probe(e, FT_NODIR, (uint32_t)n, NULL, l->names.v[n]);
  if (e->watches.n) qsort(e->watches.v, e->watches.n, sizeof *e->watches.v, hs_watch_cmp);
}

static int hs_hit_cmp(const void *a, const void *b) {
  const ft_hit *x = a, *y = b;
  if (x->dir != y->dir) return x->dir < y->dir ? -1 : 1;
  return (x->name > y->name) - (x->name < y->name);
}

int hs_finish(hs_builder *b, int64_t parse_start_ns, hs_cache *answers) {
  ft_lookups *l = &b->tu->lookups;
  hs_eval e = {&b->tu->arena, {0}, {0}, {0}, parse_start_ns, 0, b->tu->failed, b, answers};
  hs_run(&e, l);
  ut_map_free(&e.seen);
  if (e.failed || b->tu->arena.failed) {
    free(e.hits.v);
    free(e.watches.v);
    b->tu->failed = 1;
    return -1;
  }
  if (e.hits.n) qsort(e.hits.v, e.hits.n, sizeof *e.hits.v, hs_hit_cmp);
  free(l->hits.v);
  free(l->watches.v);
  l->hits.v = e.hits.v, l->hits.n = e.hits.n, l->hits.cap = e.hits.cap;
  l->watches.v = e.watches.v, l->watches.n = e.watches.n, l->watches.cap = e.watches.cap;
  if (e.racy) l->flags |= FT_LK_RACY;
  return 0;
}

/* ---- checking ------------------------------------------------------------- */
void hs_cache_free(hs_cache *c) {
  ut_map_free(&c->map);
  free(c->idents.v);
  ut_map_free(&c->probes);
  free(c->answers.v);
  ut_arena_free(&c->arena);
  memset(c, 0, sizeof *c);
}

/* Identity of directory `path` now (0 when it is not a directory); -1 on
 * allocation failure is reported through *failed. */
static uint64_t hs_cached(hs_cache *c, const char *path, int *failed) {
  uint32_t idx;
  if (ut_map_get(&c->map, path, &idx)) return c->idents.v[idx];
  struct stat st;
  uint64_t id = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? hs_dir_ident(&st) : 0;
  const char *key = ut_arena_strdup(&c->arena, path);
  if (!key || UT_PUSH(c->idents, id) < 0 || ut_map_put(&c->map, key, (uint32_t)c->idents.n - 1) < 0) *failed = 1;
  return id;
}

int hs_check(hs_cache *c, ft_lookups *l, ut_arena *arena, int *refresh) {
  *refresh = 0;
  if (l->flags) return 0;
  int failed = 0, same = 1;
  for (size_t i = 0; i < l->watches.n && same; i++)
    same = l->watches.v[i].ident && hs_cached(c, l->watches.v[i].path, &failed) == l->watches.v[i].ident;
  if (failed) return -1;
  if (same) return 1;
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  /* Re-probe.  A directory changed just now is stored as "always
   * re-probe": a later change in the same tick would not move its stamp. */
  hs_eval e = {arena, {0}, {0}, {0}, hs_ns(now), 0, 0, NULL, c};
  hs_run(&e, l);
  ut_map_free(&e.seen);
  int fresh = !e.failed && e.hits.n == l->hits.n;
  for (size_t i = 0; fresh && i < e.hits.n; i++)
    fresh = e.hits.v[i].dir == l->hits.v[i].dir && e.hits.v[i].name == l->hits.v[i].name &&
            e.hits.v[i].ident == l->hits.v[i].ident;
  free(e.hits.v);
  if (e.failed) {
    free(e.watches.v);
    return -1;
  }
  if (fresh) {
    free(l->watches.v);
    l->watches.v = e.watches.v, l->watches.n = e.watches.n, l->watches.cap = e.watches.cap;
    *refresh = 1;
  } else {
    free(e.watches.v);
  }
  return fresh;
}

void hs_digest(const ft_lookups *l, ut_sha256 *s) {
  uint64_t v[3] = {l->dirs.n, l->names.n, l->hits.n};
  ut_sha256_update(s, v, sizeof v);
  for (size_t i = 0; i < l->dirs.n; i++) ut_sha256_update(s, l->dirs.v[i], strlen(l->dirs.v[i]) + 1);
  for (size_t i = 0; i < l->names.n; i++) ut_sha256_update(s, l->names.v[i], strlen(l->names.v[i]) + 1);
  for (size_t i = 0; i < l->hits.n; i++) {
    uint64_t h[3] = {l->hits.v[i].dir, l->hits.v[i].name, l->hits.v[i].ident};
    ut_sha256_update(s, h, sizeof h);
  }
}

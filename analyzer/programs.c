/* SPDX-License-Identifier: MIT */
/*
 * programs.c - translation units grouped by linked program: from the
 * configuration's `program` globs or from DIR/link_commands.json.
 *
 * link_commands.json is read by a small strict JSON reader of its own (an
 * array of objects with string "directory", "output", "file" and
 * "command", and string-array "arguments"; other members are skipped).  A
 * compile entry is matched to a link step through its object file (`-o`
 * of the compile command); an archive (`ar rcs lib.a a.o ...`) or a shared
 * library built by another link step counts with its members.
 */
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "programs.h"
#include "util.h"

struct pg_map {
  int source;                           /* PG_* */
  struct {
    char **v;
    size_t n, cap;
  } names; /* sorted */
  size_t nentries;
  uint32_t **of;                        /* per entry: its program indices */
  size_t *nof;
  uint32_t *all;                        /* 0..n-1 */
  size_t unassigned;
  ut_map entry_index;                   /* "file\x1fflags_hash" -> entry */
  ut_arena arena;
};

void pg_free(pg_map *m) {
  if (!m) return;
  for (size_t i = 0; i < m->names.n; i++) free(m->names.v[i]);
  free(m->names.v);
  for (size_t i = 0; m->of && i < m->nentries; i++) free(m->of[i]);
  free(m->of);
  free(m->nof);
  free(m->all);
  ut_map_free(&m->entry_index);
  ut_arena_free(&m->arena);
  free(m);
}

size_t pg_count(const pg_map *m) { return m ? m->names.n : 0; }
const char *pg_name(const pg_map *m, size_t i) { return m && i < m->names.n ? m->names.v[i] : ""; }
int pg_source(const pg_map *m) { return m ? m->source : PG_NONE; }
size_t pg_unassigned(const pg_map *m) { return m ? m->unassigned : 0; }

const uint32_t *pg_of(const pg_map *m, const char *file, const char *flags_hash, size_t *n) {
  *n = 0;
  if (!m) return NULL;
  ut_buf k = {0};
  ut_buf_pair(&k, file, flags_hash);
  uint32_t e;
  int found = !k.failed && ut_map_get(&m->entry_index, k.s, &e);
  ut_buf_free(&k);
  if (found && m->nof[e]) {
    *n = m->nof[e];
    return m->of[e];
  }
  *n = m->names.n; /* named by no program (or not in the compile database): every program */
  return m->all;
}

uint64_t pg_hash(const pg_map *m) {
  if (!m) return 0;
  uint64_t h = ut_hash(UT_HASH_INIT, &m->source, sizeof m->source);
  for (size_t i = 0; i < m->names.n; i++) h = ut_hash_str(h, m->names.v[i]);
  for (size_t i = 0; i < m->nentries; i++) {
    h = ut_hash(h, &m->nof[i], sizeof m->nof[i]);
    for (size_t k = 0; k < m->nof[i]; k++) h = ut_hash(h, &m->of[i][k], sizeof m->of[i][k]);
  }
  return h;
}

/* ---- names --------------------------------------------------------------------- */
static int pg_cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Adds name (once); the indices are assigned after sorting. */
static int pg_add_name(pg_map *m, const char *name) {
  for (size_t i = 0; i < m->names.n; i++)
    if (!strcmp(m->names.v[i], name)) return 0;
  char *d = ut_strdup(name);
  if (!d || UT_PUSH(m->names, d) < 0) {
    free(d);
    return -1;
  }
  return 0;
}

static long pg_index(const pg_map *m, const char *name) {
  for (size_t i = 0; i < m->names.n; i++)
    if (!strcmp(m->names.v[i], name)) return (long)i;
  return -1;
}

static int pg_member(pg_map *m, size_t entry, uint32_t prog) {
  for (size_t k = 0; k < m->nof[entry]; k++)
    if (m->of[entry][k] == prog) return 0;
  uint32_t *nv = realloc(m->of[entry], (m->nof[entry] + 1) * sizeof *nv);
  if (!nv) return -1;
  nv[m->nof[entry]++] = prog;
  m->of[entry] = nv;
  return 0;
}

static int pg_cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return (x > y) - (x < y);
}

static pg_map *pg_new(const cdb *db, const char *const *fh) {
  pg_map *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  m->nentries = db->n;
  m->of = calloc(db->n + 1, sizeof *m->of);
  m->nof = calloc(db->n + 1, sizeof *m->nof);
  if (!m->of || !m->nof) goto fail;
  for (size_t i = 0; i < db->n; i++) {
    ut_buf k = {0};
    ut_buf_pair(&k, db->v[i].file, fh[i]);
    const char *key = k.failed ? NULL : ut_arena_strdup(&m->arena, k.s);
    ut_buf_free(&k);
    if (!key || ut_map_put(&m->entry_index, key, (uint32_t)i) < 0) goto fail;
  }
  return m;
fail:
  pg_free(m);
  return NULL;
}

/* Sorts the names, renumbers the memberships (given as indices into the
 * unsorted names) and counts the unassigned entries. */
static int pg_seal(pg_map *m, const cdb *db) {
  size_t n = m->names.n;
  char **old = malloc((n + 1) * sizeof *old);
  uint32_t *to = malloc((n + 1) * sizeof *to);
  m->all = malloc((n + 1) * sizeof *m->all);
  if (!old || !to || !m->all) {
    free(old), free(to);
    return -1;
  }
  memcpy(old, m->names.v, n * sizeof *old);
  qsort(m->names.v, n, sizeof *m->names.v, pg_cmp_str);
  for (size_t i = 0; i < n; i++) to[i] = (uint32_t)pg_index(m, old[i]), m->all[i] = (uint32_t)i;
  for (size_t e = 0; e < m->nentries; e++) {
    for (size_t k = 0; k < m->nof[e]; k++) m->of[e][k] = to[m->of[e][k]];
    if (m->nof[e] > 1) qsort(m->of[e], m->nof[e], sizeof *m->of[e], pg_cmp_u32);
    if (!m->nof[e] && cdb_entry_lang(&db->v[e]) == CDB_LANG_C) m->unassigned++;
  }
  free(old);
  free(to);
  return 0;
}

/* ---- from the configuration --------------------------------------------------- */
static int pg_from_config(pg_map *m, const cdb *db, const cf_config *c) {
  for (size_t i = 0; i < c->programs.n; i++) {
    const char *item = c->programs.v[i], *sep = strchr(item, '\x1f');
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(sep - item), item);
    if (pg_add_name(m, name) < 0) return -1;
  }
  for (size_t i = 0; i < c->programs.n; i++) {
    const char *item = c->programs.v[i], *sep = strchr(item, '\x1f');
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(sep - item), item);
    long p = pg_index(m, name);
    for (size_t e = 0; e < db->n; e++) {
      char real[PATH_MAX];
      const char *f = realpath(db->v[e].file, real) ? real : db->v[e].file;
      if ((fnmatch(sep + 1, f, 0) == 0 || fnmatch(sep + 1, db->v[e].file, 0) == 0) && pg_member(m, e, (uint32_t)p) < 0)
        return -1;
    }
  }
  return 0;
}

/* ---- link_commands.json --------------------------------------------------------- */
typedef struct pg_json {
  const char *s, *end, *file, *begin;
  char *err;
  size_t errlen;
} pg_json;

typedef struct pg_step {
  char *directory, *output, *command;
  struct {
    char **v;
    size_t n, cap;
  } args;
} pg_step;

static int pg_jfail(pg_json *j, const char *what) {
  if (!j->err[0])
    snprintf(j->err, j->errlen,
             "%s: %s at byte %ld; fix the file or remove it (programs can also be named with "
             "`program:` in .fnprop)",
             j->file, what, (long)(j->s - j->begin));
  return -1;
}

static void pg_ws(pg_json *j) {
  while (j->s < j->end && (*j->s == ' ' || *j->s == '\t' || *j->s == '\n' || *j->s == '\r')) j->s++;
}

static void pg_utf8(ut_buf *b, unsigned long cp) {
  char o[4];
  size_t n;
  if (cp < 0x80) o[0] = (char)cp, n = 1;
  else if (cp < 0x800) o[0] = (char)(0xc0 | cp >> 6), o[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
  else o[0] = (char)(0xe0 | cp >> 12), o[1] = (char)(0x80 | (cp >> 6 & 0x3f)), o[2] = (char)(0x80 | (cp & 0x3f)), n = 3;
  ut_buf_add(b, o, n);
}

/* A string into a malloc'd copy (*out), escapes decoded. */
static int pg_string(pg_json *j, char **out) {
  pg_ws(j);
  if (j->s >= j->end || *j->s != '"') return pg_jfail(j, "expected a string");
  j->s++;
  ut_buf b = {0};
  ut_buf_puts(&b, "");
  while (j->s < j->end && *j->s != '"') {
    char c = *j->s++;
    if ((unsigned char)c < 0x20) break;
    if (c != '\\') {
      ut_buf_add(&b, &c, 1);
      continue;
    }
    if (j->s >= j->end) break;
    c = *j->s++;
    const char *simple = strchr("\"\\/bfnrt", c);
    if (simple && c) {
      static const char map[] = "\"\\/\b\f\n\r\t";
      ut_buf_add(&b, &map[simple - "\"\\/bfnrt"], 1);
    } else if (c == 'u' && j->end - j->s >= 4) {
      char hex[5] = {j->s[0], j->s[1], j->s[2], j->s[3], 0};
      char *e;
      unsigned long cp = strtoul(hex, &e, 16);
      if (*e) break;
      j->s += 4;
      if (cp == 0) break;
      pg_utf8(&b, cp);
    } else {
      break;
    }
  }
  if (j->s >= j->end || *j->s != '"' || b.failed) {
    ut_buf_free(&b);
    return pg_jfail(j, "malformed string");
  }
  j->s++;
  *out = b.s;
  return 0;
}

static int pg_skip(pg_json *j, int depth) {
  pg_ws(j);
  if (depth > 32 || j->s >= j->end) return pg_jfail(j, "malformed value");
  char c = *j->s;
  if (c == '"') {
    char *t;
    if (pg_string(j, &t) < 0) return -1;
    free(t);
    return 0;
  }
  if (c == '[' || c == '{') {
    char close = c == '[' ? ']' : '}';
    j->s++;
    pg_ws(j);
    if (j->s < j->end && *j->s == close) return j->s++, 0;
    for (;;) {
      if (c == '{') {
        char *k;
        if (pg_string(j, &k) < 0) return -1;
        free(k);
        pg_ws(j);
        if (j->s >= j->end || *j->s++ != ':') return pg_jfail(j, "expected ':'");
      }
      if (pg_skip(j, depth + 1) < 0) return -1;
      pg_ws(j);
      if (j->s < j->end && *j->s == ',') {
        j->s++;
        continue;
      }
      if (j->s < j->end && *j->s == close) return j->s++, 0;
      return pg_jfail(j, "expected ',' or the end of a list");
    }
  }
  const char *start = j->s;
  while (j->s < j->end && (strchr("+-.eE", *j->s) || (*j->s >= '0' && *j->s <= '9') || (*j->s >= 'a' && *j->s <= 'z')))
    j->s++;
  return j->s > start ? 0 : pg_jfail(j, "malformed value");
}

static void pg_step_free(pg_step *st) {
  free(st->directory);
  free(st->output);
  free(st->command);
  for (size_t i = 0; i < st->args.n; i++) free(st->args.v[i]);
  free(st->args.v);
}

static int pg_object(pg_json *j, pg_step *st) {
  pg_ws(j);
  if (j->s >= j->end || *j->s++ != '{') return pg_jfail(j, "expected an object");
  pg_ws(j);
  if (j->s < j->end && *j->s == '}') return j->s++, 0;
  for (;;) {
    char *k;
    if (pg_string(j, &k) < 0) return -1;
    pg_ws(j);
    if (j->s >= j->end || *j->s++ != ':') {
      free(k);
      return pg_jfail(j, "expected ':'");
    }
    int rc;
    if (!strcmp(k, "directory") || !strcmp(k, "output") || !strcmp(k, "command")) {
      char **slot = k[0] == 'd' ? &st->directory : k[0] == 'o' ? &st->output : &st->command;
      free(*slot);
      *slot = NULL;
      rc = pg_string(j, slot);
    } else if (!strcmp(k, "arguments")) {
      pg_ws(j);
      rc = j->s < j->end && *j->s == '[' ? 0 : pg_jfail(j, "\"arguments\" is not an array");
      if (rc == 0) j->s++;
      pg_ws(j);
      if (rc == 0 && j->s < j->end && *j->s == ']') j->s++;
      else
        while (rc == 0) {
          char *a;
          if ((rc = pg_string(j, &a)) < 0) break;
          if (UT_PUSH(st->args, a) < 0) {
            free(a);
            rc = pg_jfail(j, "out of memory");
            break;
          }
          pg_ws(j);
          if (j->s < j->end && *j->s == ',') j->s++;
          else if (j->s < j->end && *j->s == ']') {
            j->s++;
            break;
          } else rc = pg_jfail(j, "expected ',' or ']'");
        }
    } else {
      rc = pg_skip(j, 1);
    }
    free(k);
    if (rc < 0) return -1;
    pg_ws(j);
    if (j->s < j->end && *j->s == ',') {
      j->s++;
      continue;
    }
    if (j->s < j->end && *j->s == '}') return j->s++, 0;
    return pg_jfail(j, "expected ',' or '}'");
  }
}

/* Splits a shell command line (quotes and backslashes as sh reads them). */
static int pg_split(const char *s, pg_step *st) {
  while (*s) {
    while (*s == ' ' || *s == '\t' || *s == '\n') s++;
    if (!*s) break;
    ut_buf b = {0};
    ut_buf_puts(&b, "");
    while (*s && *s != ' ' && *s != '\t' && *s != '\n') {
      if (*s == '\'') {
        const char *e = strchr(s + 1, '\'');
        if (!e) e = s + strlen(s);
        ut_buf_add(&b, s + 1, (size_t)(e - s - 1));
        s = *e ? e + 1 : e;
      } else if (*s == '"') {
        for (s++; *s && *s != '"'; s++) {
          if (*s == '\\' && s[1] && strchr("\"\\$`", s[1])) s++;
          ut_buf_add(&b, s, 1);
        }
        if (*s) s++;
      } else {
        if (*s == '\\' && s[1]) s++;
        ut_buf_add(&b, s++, 1);
      }
    }
    if (b.failed || UT_PUSH(st->args, b.s) < 0) {
      ut_buf_free(&b);
      return -1;
    }
  }
  return 0;
}

static char *pg_abs(const char *dir, const char *p) {
  ut_buf b = {0};
  if (p[0] != '/') ut_buf_printf(&b, "%s/", dir ? dir : "");
  ut_buf_puts(&b, p);
  if (b.failed) return NULL;
  ut_normalize_path(b.s);
  return b.s;
}

static const char *pg_base(const char *p) {
  const char *s = strrchr(p, '/');
  return s ? s + 1 : p;
}

static int pg_suffix(const char *p, const char *suf) {
  size_t n = strlen(p), k = strlen(suf);
  return n > k && !strcmp(p + n - k, suf);
}

static int pg_is_input(const char *a) {
  return pg_suffix(a, ".o") || pg_suffix(a, ".obj") || pg_suffix(a, ".lo") || pg_suffix(a, ".a") ||
         pg_suffix(a, ".so") || strstr(a, ".so.") != NULL;
}

static int pg_is_ar(const char *argv0) {
  const char *b = pg_base(argv0);
  return !strcmp(b, "ar") || pg_suffix(b, "-ar");
}

/* The `-o` output of an argument vector (malloc'd, absolute), or NULL. */
static char *pg_output(char *const *argv, size_t argc, const char *dir) {
  for (size_t i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "-o") && i + 1 < argc) return pg_abs(dir, argv[i + 1]);
    if (!strncmp(argv[i], "-o", 2) && argv[i][2]) return pg_abs(dir, argv[i] + 2);
  }
  return NULL;
}

typedef struct pg_links {
  pg_step *steps;
  size_t n;
  char **outs;              /* absolute output of each step */
  ut_map by_output;         /* output -> step */
  ut_map by_object;         /* object -> compile entry */
  const cdb *db;
  pg_map *m;
} pg_links;

/* Adds the compile entries that `path` holds (an object, an archive, a
 * library another step links) to program prog. */
static int pg_collect(pg_links *l, const char *path, uint32_t prog, int depth) {
  uint32_t v;
  if (ut_map_get(&l->by_object, path, &v)) return pg_member(l->m, v, prog);
  if (depth > 32 || !ut_map_get(&l->by_output, path, &v)) return 0;
  const pg_step *st = &l->steps[v];
  int ar = st->args.n && pg_is_ar(st->args.v[0]);
  for (size_t i = ar ? 2 : 1; i < st->args.n; i++) {
    const char *a = st->args.v[i];
    if (!strcmp(a, "-o") || !strcmp(a, "-L") || !strcmp(a, "-l") || !strcmp(a, "-MF")) {
      i++;
      continue;
    }
    if (a[0] == '-' || !pg_is_input(a)) continue;
    char *p = pg_abs(st->directory, a);
    if (!p) return -1;
    int rc = strcmp(p, l->outs[v]) ? pg_collect(l, p, prog, depth + 1) : 0;
    free(p);
    if (rc < 0) return -1;
  }
  return 0;
}

static int pg_from_links(pg_map *m, const cdb *db, const char *file, const char *text, size_t len, char *err,
                         size_t errlen) {
  pg_json j = {text, text + len, file, text, err, errlen};
  pg_links l = {NULL, 0, NULL, {0}, {0}, db, m};
  size_t cap = 0;
  int rc = 0;
  pg_ws(&j);
  if (j.s >= j.end || *j.s++ != '[') rc = pg_jfail(&j, "expected a JSON array of link commands");
  pg_ws(&j);
  if (rc == 0 && j.s < j.end && *j.s == ']') j.s++;
  else
    while (rc == 0) {
      pg_step st = {0};
      if (ut_grow((void **)&l.steps, &cap, l.n + 1, sizeof *l.steps) < 0) rc = pg_jfail(&j, "out of memory");
      if (rc == 0) rc = pg_object(&j, &st);
      if (rc == 0 && !st.args.n && st.command && pg_split(st.command, &st) < 0) rc = pg_jfail(&j, "out of memory");
      if (rc == 0 && (!st.directory || !st.args.n))
        rc = pg_jfail(&j, "a link command needs \"directory\" and \"arguments\" or \"command\"");
      if (rc < 0) {
        pg_step_free(&st);
        break;
      }
      l.steps[l.n++] = st;
      pg_ws(&j);
      if (j.s < j.end && *j.s == ',') j.s++;
      else if (j.s < j.end && *j.s == ']') {
        j.s++;
        break;
      } else rc = pg_jfail(&j, "expected ',' or ']'");
    }
  pg_ws(&j);
  if (rc == 0 && j.s != j.end) rc = pg_jfail(&j, "text after the array");
  /* objects of the compile entries */
  for (size_t e = 0; rc == 0 && e < db->n; e++) {
    char *o = pg_output(db->v[e].argv, (size_t)db->v[e].argc, db->v[e].directory);
    const char *k = o ? ut_arena_strdup(&m->arena, o) : NULL;
    free(o);
    if (k && ut_map_put(&l.by_object, k, (uint32_t)e) < 0) rc = -1;
  }
  l.outs = calloc(l.n + 1, sizeof *l.outs);
  if (!l.outs) rc = -1;
  for (size_t i = 0; rc == 0 && i < l.n; i++) {
    pg_step *st = &l.steps[i];
    int ar = pg_is_ar(st->args.v[0]);
    if (ar) { /* ar OPS ARCHIVE MEMBERS... */
      for (size_t a = 2; a < st->args.n && !l.outs[i]; a++)
        if (pg_suffix(st->args.v[a], ".a")) l.outs[i] = pg_abs(st->directory, st->args.v[a]);
    } else {
      l.outs[i] = st->output ? pg_abs(st->directory, st->output) : pg_output(st->args.v, st->args.n, st->directory);
    }
    if (!l.outs[i]) continue; /* not a step that makes something */
    if (ut_map_put(&l.by_output, l.outs[i], (uint32_t)i) < 0) rc = -1;
    if (!ar && pg_add_name(m, ut_relpath(l.outs[i], db->dir)) < 0) rc = -1;
  }
  for (size_t i = 0; rc == 0 && i < l.n; i++) {
    if (!l.outs[i] || pg_is_ar(l.steps[i].args.v[0])) continue;
    long p = pg_index(m, ut_relpath(l.outs[i], db->dir));
    rc = pg_collect(&l, l.outs[i], (uint32_t)p, 0);
  }
  if (rc < 0 && !err[0]) snprintf(err, errlen, "%s: out of memory", file);
  for (size_t i = 0; i < l.n; i++) pg_step_free(&l.steps[i]), free(l.outs ? l.outs[i] : NULL);
  free(l.steps);
  free(l.outs);
  ut_map_free(&l.by_output);
  ut_map_free(&l.by_object);
  return rc;
}

int pg_build(const cdb *db, const char *const *flags_hash, const cf_config *c, pg_map **out, char *err, size_t errlen) {
  *out = NULL;
  err[0] = '\0';
  ut_buf path = {0}, text = {0};
  ut_buf_printf(&path, "%s/link_commands.json", db->dir);
  int links = !c->programs.n && !path.failed && access(path.s, F_OK) == 0;
  int rc = 0;
  if (!c->programs.n && !links) {
    ut_buf_free(&path);
    return 0;
  }
  pg_map *m = pg_new(db, flags_hash);
  if (!m) rc = -1;
  if (rc == 0 && c->programs.n) {
    m->source = PG_CONFIG;
    rc = pg_from_config(m, db, c);
  } else if (rc == 0) {
    char why[256];
    m->source = PG_LINKS;
    if (ut_read_file(path.s, 256u << 20, &text, why, sizeof why) < 0) {
      snprintf(err, errlen, "%s: cannot read: %s", path.s, why);
      rc = -1;
    } else {
      rc = pg_from_links(m, db, path.s, text.s ? text.s : "", text.n, err, errlen);
    }
  }
  if (rc == 0 && pg_seal(m, db) < 0) rc = -1;
  if (rc < 0 && !err[0]) snprintf(err, errlen, "out of memory grouping translation units by program");
  if (rc < 0 || m->names.n <= 1) { /* one program: the same as none (every result unchanged) */
    pg_free(m);
    m = NULL;
  }
  *out = m;
  ut_buf_free(&path);
  ut_buf_free(&text);
  return rc;
}

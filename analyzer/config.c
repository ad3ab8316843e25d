/* SPDX-License-Identifier: MIT */
/*
 * config.c - `.fnprop` discovery and parsing, and option overrides.
 *
 * Unknown keys and bad values are errors with file:line: a typo in a
 * configuration must not silently change what is proven.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "util.h"
#include "vocab.h"

void cf_init(cf_config *c) {
  memset(c, 0, sizeof *c);
  c->library_models = 1;
  c->indirect = VC_INDIRECT_FIELD;
}

static void cf_list_free(cf_list *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
  memset(l, 0, sizeof *l);
}

void cf_free(cf_config *c) {
  if (!c) return;
  free(c->path);
  cf_list_free(&c->models);
  cf_list_free(&c->panic_functions);
  cf_list_free(&c->internal);
  cf_list_free(&c->transparent);
  cf_list_free(&c->programs);
  cf_list_free(&c->report_keys);
}

static int cf_push(cf_list *l, char *s) {
  if (!s || ut_grow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v) < 0) {
    free(s);
    return -1;
  }
  l->v[l->n++] = s;
  return 0;
}

char *cf_find(const char *dir) {
  char path[PATH_MAX];
  if (!realpath(dir, path)) return NULL;
  for (;;) {
    char probe[PATH_MAX + 16];
    snprintf(probe, sizeof probe, "%s/.fnprop", strcmp(path, "/") ? path : "");
    if (access(probe, R_OK) == 0) return ut_strdup(probe);
    char *slash = strrchr(path, '/');
    if (!slash) return NULL;
    if (slash == path) {
      if (!path[1]) return NULL;
      path[1] = '\0';
    } else {
      *slash = '\0';
    }
  }
}

/* Length of the directory part of path ("/a/b/c.c": 4, "/c.c": 1). */
static size_t cf_dirlen(const char *path) {
  const char *slash = strrchr(path, '/');
  return !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
}

char *cf_find_sources(const char *const *files, size_t n, const char *fallback, cf_list *unused) {
  /* The common directory: the longest prefix of every main file's
   * directory that ends at a component boundary. */
  size_t common = 0;
  const char *first = NULL;
  for (size_t i = 0; i < n; i++) {
    if (!files[i] || files[i][0] != '/') continue;
    size_t d = cf_dirlen(files[i]);
    if (!first) {
      first = files[i], common = d;
      continue;
    }
    const char *f = files[i];
    size_t k = 0;
    while (k < common && k < d && first[k] == f[k]) k++;
    if (k == common && (d == common || f[common] == '/')) continue; /* below the common directory */
    if (k == d && first[d] == '/') {                                /* f's directory is above it */
      common = d;
      continue;
    }
    while (k > 0 && first[k] != '/') k--; /* back to a component boundary */
    common = k ? k : 1;
  }
  char *found = NULL;
  if (first) {
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", (int)(common ? common : 1), first);
    found = cf_find(dir);
  }
  if (!found && fallback) found = cf_find(fallback);
  /* Nearer files that cannot apply, each named once (by directory). */
  char last[PATH_MAX] = "";
  for (size_t i = 0; unused && i < n; i++) {
    if (!files[i] || files[i][0] != '/') continue;
    size_t d = cf_dirlen(files[i]);
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%.*s", (int)(d ? d : 1), files[i]);
    if (!strcmp(dir, last)) continue;
    snprintf(last, sizeof last, "%s", dir);
    char *near = cf_find(dir);
    int seen = !near || (found && !strcmp(near, found));
    for (size_t k = 0; !seen && k < unused->n; k++) seen = !strcmp(unused->v[k], near);
    if (seen) free(near);
    else if (cf_push(unused, near) < 0) break;
  }
  return found;
}

/* Trims spaces in place. */
static char *cf_trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
  return s;
}

/* A path a configuration file names must stay inside the project tree
 * (the directory holding that file): a cloned repository's .fnprop must not
 * make fnprop read ~/.git-credentials as a model.  Paths that do not
 * resolve are left to the reader's error.  Command-line paths (base NULL)
 * are not restricted. */
static int cf_inside(const char *path, const char *base) {
  char *root = realpath(base, NULL), *real = realpath(path, NULL);
  size_t n = root ? strlen(root) : 0;
  int ok = !real || (root && strncmp(real, root, n) == 0 && (real[n] == '/' || (n == 1 && root[0] == '/')));
  free(root);
  free(real);
  return ok;
}

/* Appends each comma-separated item of value to l (relative to base). */
static int cf_add_items(cf_list *l, const char *value, const char *base) {
  char *copy = ut_strdup(value);
  if (!copy) return -1;
  int rc = 0;
  for (char *save = NULL, *it = strtok_r(copy, ",", &save); it && rc == 0; it = strtok_r(NULL, ",", &save)) {
    it = cf_trim(it);
    if (!*it) continue;
    if (base && it[0] != '/') {
      ut_buf b = {0};
      ut_buf_printf(&b, "%s/%s", base, it);
      if (!b.failed && !cf_inside(b.s, base)) rc = -2;
      else rc = cf_push(l, b.failed ? NULL : b.s);
      if (b.failed || rc == -2) ut_buf_free(&b);
    } else if (base && !cf_inside(it, base)) {
      rc = -2;
    } else {
      rc = cf_push(l, ut_strdup(it));
    }
  }
  free(copy);
  return rc;
}

/* `transparent: fiber_*, src/sched/`: an item holding a '/' is a folder
 * (relative to base, or to the current directory on the command line),
 * kept as its real path ending in '/' when it exists (definitions are
 * recorded at real paths); any other item is a glob over function names.
 * Nothing is read from a folder, so it may lie anywhere. */
static int cf_add_transparent(cf_list *l, const char *value, const char *base) {
  char *copy = ut_strdup(value);
  if (!copy) return -1;
  int rc = 0;
  for (char *save = NULL, *it = strtok_r(copy, ",", &save); it && rc == 0; it = strtok_r(NULL, ",", &save)) {
    it = cf_trim(it);
    if (!*it) continue;
    if (!strchr(it, '/')) {
      rc = cf_push(l, ut_strdup(it));
      continue;
    }
    ut_buf b = {0};
    char cwd[PATH_MAX];
    if (it[0] != '/') ut_buf_printf(&b, "%s/", base ? base : getcwd(cwd, sizeof cwd) ? cwd : ".");
    ut_buf_puts(&b, it);
    char *real = b.failed ? NULL : realpath(b.s, NULL);
    if (real) {
      b.n = 0;
      ut_buf_puts(&b, real);
      free(real);
    } else if (!b.failed) {
      ut_normalize_path(b.s);
      b.n = strlen(b.s);
    }
    if (b.n && b.s[b.n - 1] != '/') ut_buf_puts(&b, "/");
    rc = cf_push(l, b.failed ? NULL : b.s);
    if (b.failed) ut_buf_free(&b);
  }
  free(copy);
  return rc;
}

/* `program: NAME = GLOB, GLOB`: relative globs are made absolute against
 * base (the .fnprop directory, or the current directory). */
static int cf_add_program(cf_list *l, const char *value, const char *base) {
  const char *eq = strchr(value, '=');
  if (!eq) return -2;
  char name[128];
  size_t n = (size_t)(eq - value);
  while (n && (value[n - 1] == ' ' || value[n - 1] == '\t')) n--;
  if (!n || n >= sizeof name) return -2;
  memcpy(name, value, n);
  name[n] = '\0';
  for (char *p = name; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || strchr("_-.+", *p)))
      return -2;
  char *copy = ut_strdup(eq + 1);
  if (!copy) return -1;
  int rc = 0, items = 0;
  char cwd[PATH_MAX], root[PATH_MAX];
  const char *dir = base ? base : getcwd(cwd, sizeof cwd) ? cwd : ".";
  if (!realpath(dir, root)) snprintf(root, sizeof root, "%s", dir);
  for (char *save = NULL, *it = strtok_r(copy, ",", &save); it && rc == 0; it = strtok_r(NULL, ",", &save)) {
    it = cf_trim(it);
    if (!*it) continue;
    ut_buf b = {0};
    ut_buf_printf(&b, "%s\x1f", name);
    if (it[0] != '/') ut_buf_printf(&b, "%s/", root);
    ut_buf_puts(&b, it);
    if (!b.failed) ut_normalize_path(b.s + n + 1);
    rc = cf_push(l, b.failed ? NULL : b.s);
    items++;
  }
  free(copy);
  return rc < 0 ? rc : items ? 0 : -2;
}

/* A key whose value is one of a few words; the int it sets is the word's
 * index.  The indirect-calls words are the graph's own table (vocab.h). */
typedef struct cf_choice {
  const char *key;
  const char *const *words; /* NULL-terminated */
  size_t field;        /* offsetof the int in cf_config */
} cf_choice;

#define CF_WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})
static const cf_choice cf_choices[] = {
    {"errno", CF_WORDS("tls", "ignore"), offsetof(cf_config, errno_ignore)},
    {"unknown-externals", CF_WORDS("unknown", "clean"), offsetof(cf_config, externals)},
    {"world", CF_WORDS("closed", "open"), offsetof(cf_config, open_world)},
    {"library-models", CF_WORDS("off", "on"), offsetof(cf_config, library_models)},
    {"indirect-calls", vc_indirect_words, offsetof(cf_config, indirect)},
    {"weak", CF_WORDS("unknown", "trust"), offsetof(cf_config, trust_weak)},
    {"interposition", CF_WORDS("assume", "none"), offsetof(cf_config, trust_interposable)},
};

const char *const cf_report_keys[] = {"checks", "warnings-as-errors", "header-filter", "format", NULL};

int cf_set(cf_config *c, const char *key, const char *value, const char *base, const char *origin, char *err,
           size_t errlen) {
  for (size_t i = 0; i < sizeof cf_choices / sizeof cf_choices[0]; i++) {
    const cf_choice *ch = &cf_choices[i];
    if (strcmp(key, ch->key) != 0) continue;
    for (int w = 0; ch->words[w]; w++)
      if (strcmp(value, ch->words[w]) == 0) {
        *(int *)((char *)c + ch->field) = w;
        return 0;
      }
    char choices[128] = "";
    for (int w = 0; ch->words[w]; w++) {
      strcat(choices, w ? ", " : "");
      strcat(choices, ch->words[w]);
    }
    snprintf(err, errlen, "%s: invalid value '%s' for '%s' (expected one of: %s)", origin, value, key, choices);
    return -1;
  }
  if (strcmp(key, "models") == 0 || strcmp(key, "panic-functions") == 0 || strcmp(key, "internal-functions") == 0) {
    cf_list *l = key[0] == 'm' ? &c->models : key[0] == 'p' ? &c->panic_functions : &c->internal;
    int rc = cf_add_items(l, value, key[0] == 'm' ? base : NULL);
    if (rc == -2)
      snprintf(err, errlen,
               "%s: a model file named by the configuration lies outside the project tree '%s'; "
               "name it on the command line with --model=FILE instead",
               origin, base);
    else if (rc < 0) snprintf(err, errlen, "%s: out of memory", origin);
    return rc < 0 ? -1 : 0;
  }
  if (strcmp(key, "program") == 0) {
    int rc = cf_add_program(&c->programs, value, base);
    if (rc == -2)
      snprintf(err, errlen, "%s: invalid value for 'program' (expected NAME = GLOB[, GLOB...], NAME a word)", origin);
    else if (rc < 0) snprintf(err, errlen, "%s: out of memory", origin);
    return rc < 0 ? -1 : 0;
  }
  if (strcmp(key, "transparent") == 0) {
    int rc = cf_add_transparent(&c->transparent, value, base);
    if (rc < 0) snprintf(err, errlen, "%s: out of memory", origin);
    return rc;
  }
  for (size_t i = 0; cf_report_keys[i]; i++) {
    if (strcmp(key, cf_report_keys[i]) != 0) continue;
    ut_buf b = {0};
    ut_buf_printf(&b, "%s\x1f%s", key, value);
    if (b.failed || cf_push(&c->report_keys, b.s) < 0) {
      snprintf(err, errlen, "%s: out of memory", origin);
      return -1;
    }
    return 0;
  }
  /* Quoted only when it looks like a key: the file may be anything. */
  int keyish = strlen(key) <= 32;
  for (const char *k = key; keyish && *k; k++)
    keyish = (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '-';
  if (keyish) snprintf(err, errlen, "%s: unknown key '%s' (see docs/configuration.md)", origin, key);
  else snprintf(err, errlen, "%s: unknown key (see docs/configuration.md); is this an fnprop configuration?", origin);
  return -1;
}

const char *cf_report_key(const cf_config *c, const char *key) {
  const char *found = NULL;
  size_t n = strlen(key);
  for (size_t i = 0; i < c->report_keys.n; i++) /* the last setting wins */
    if (strncmp(c->report_keys.v[i], key, n) == 0 && c->report_keys.v[i][n] == '\x1f')
      found = c->report_keys.v[i] + n + 1;
  return found;
}

/* Configurations are small; a FIFO, a device or a huge file is refused
 * without blocking or reading it. */
enum { CF_MAX_BYTES = 1 << 20 };

int cf_load(cf_config *c, const char *path, char *err, size_t errlen) {
  ut_buf text = {0};
  char why[256];
  if (ut_read_file(path, CF_MAX_BYTES, &text, why, sizeof why) < 0) {
    snprintf(err, errlen, "%s: cannot read configuration: %s", path, why);
    ut_buf_free(&text);
    return -1;
  }
  char base[PATH_MAX];
  snprintf(base, sizeof base, "%s", path);
  char *slash = strrchr(base, '/');
  if (slash) *slash = '\0';
  else strcpy(base, ".");
  free(c->path);
  c->path = ut_strdup(path);
  unsigned lineno = 0;
  int rc = 0;
  const char *p = text.s ? text.s : "", *end = p + text.n;
  if (memchr(p, '\0', text.n)) {
    snprintf(err, errlen, "%s: binary data (a NUL byte); is this an fnprop configuration?", path);
    rc = -1;
  }
  while (rc == 0 && p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    lineno++;
    char origin[PATH_MAX + 32];
    snprintf(origin, sizeof origin, "%s:%u", path, lineno);
    char line[4096];
    if (len >= sizeof line) {
      snprintf(err, errlen, "%s: line too long", origin);
      rc = -1;
      break;
    }
    memcpy(line, p, len);
    line[len] = '\0';
    p = nl ? nl + 1 : end;
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *s = cf_trim(line);
    if (!*s) continue;
    char *colon = strchr(s, ':');
    if (!colon) { /* the text is not quoted: the file may be anything */
      snprintf(err, errlen, "%s: expected 'key: value'; is this an fnprop configuration?", origin);
      rc = -1;
      break;
    }
    *colon = '\0';
    rc = cf_set(c, cf_trim(s), cf_trim(colon + 1), base, origin, err, errlen);
  }
  ut_buf_free(&text);
  return rc;
}

/* SHA-256 of the settings and of each model file's content, truncated to
 * 64 bits: a chosen model file cannot be made to look unchanged. */
uint64_t cf_hash(const cf_config *c) {
  int v[7] = {c->errno_ignore, c->externals,  c->open_world,        c->library_models,
              c->indirect,     c->trust_weak, c->trust_interposable};
  ut_sha256 s;
  ut_sha256_init(&s);
  ut_sha256_update(&s, v, sizeof v);
  for (size_t i = 0; i < c->models.n; i++) {
    unsigned char d[UT_SHA256_LEN] = {0};
    int rc = ut_sha256_file(c->models.v[i], d);
    ut_sha256_update(&s, c->models.v[i], strlen(c->models.v[i]) + 1);
    ut_sha256_update(&s, &rc, sizeof rc);
    ut_sha256_update(&s, d, sizeof d);
  }
  for (size_t i = 0; i < c->panic_functions.n; i++)
    ut_sha256_update(&s, c->panic_functions.v[i], strlen(c->panic_functions.v[i]) + 1);
  ut_sha256_update(&s, "\0internal", 10);
  for (size_t i = 0; i < c->internal.n; i++) ut_sha256_update(&s, c->internal.v[i], strlen(c->internal.v[i]) + 1);
  for (size_t i = 0; i < c->programs.n; i++) {
    ut_sha256_update(&s, "P", 1);
    ut_sha256_update(&s, c->programs.v[i], strlen(c->programs.v[i]) + 1);
  }
  for (size_t i = 0; i < c->transparent.n; i++) {
    ut_sha256_update(&s, "T", 1);
    ut_sha256_update(&s, c->transparent.v[i], strlen(c->transparent.v[i]) + 1);
  }
  unsigned char d[UT_SHA256_LEN];
  ut_sha256_final(&s, d);
  uint64_t h = 0;
  for (int i = 0; i < 8; i++) h = h << 8 | d[i];
  return h;
}

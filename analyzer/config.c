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

/* Trims spaces in place. */
static char *cf_trim(char *s) {
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) s[--n] = '\0';
  return s;
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
      rc = cf_push(l, b.failed ? NULL : b.s);
      if (b.failed) ut_buf_free(&b);
    } else {
      rc = cf_push(l, ut_strdup(it));
    }
  }
  free(copy);
  return rc;
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
  if (strcmp(key, "models") == 0 || strcmp(key, "panic-functions") == 0) {
    cf_list *l = key[0] == 'm' ? &c->models : &c->panic_functions;
    if (cf_add_items(l, value, key[0] == 'm' ? base : NULL) < 0) {
      snprintf(err, errlen, "%s: out of memory", origin);
      return -1;
    }
    return 0;
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
  snprintf(err, errlen, "%s: unknown key '%s' (see docs/configuration.md)", origin, key);
  return -1;
}

const char *cf_report_key(const cf_config *c, const char *key) {
  const char *found = NULL;
  size_t n = strlen(key);
  for (size_t i = 0; i < c->report_keys.n; i++) /* the last setting wins */
    if (strncmp(c->report_keys.v[i], key, n) == 0 && c->report_keys.v[i][n] == '\x1f') found = c->report_keys.v[i] + n + 1;
  return found;
}

int cf_load(cf_config *c, const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "%s: cannot read configuration: %s", path, strerror(errno));
    return -1;
  }
  char base[PATH_MAX];
  snprintf(base, sizeof base, "%s", path);
  char *slash = strrchr(base, '/');
  if (slash) *slash = '\0';
  else strcpy(base, ".");
  free(c->path);
  c->path = ut_strdup(path);
  char line[4096];
  unsigned lineno = 0;
  int rc = 0;
  while (rc == 0 && fgets(line, sizeof line, f)) {
    lineno++;
    char origin[PATH_MAX + 32];
    snprintf(origin, sizeof origin, "%s:%u", path, lineno);
    if (!strchr(line, '\n') && !feof(f)) {
      snprintf(err, errlen, "%s: line too long", origin);
      rc = -1;
      break;
    }
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *s = cf_trim(line);
    s[strcspn(s, "\n")] = '\0';
    s = cf_trim(s);
    if (!*s) continue;
    char *colon = strchr(s, ':');
    if (!colon) {
      snprintf(err, errlen, "%s: expected 'key: value', got '%s'", origin, s);
      rc = -1;
      break;
    }
    *colon = '\0';
    rc = cf_set(c, cf_trim(s), cf_trim(colon + 1), base, origin, err, errlen);
  }
  fclose(f);
  return rc;
}

uint64_t cf_hash(const cf_config *c) {
  int v[7] = {c->errno_ignore, c->externals, c->open_world, c->library_models, c->indirect, c->trust_weak,
              c->trust_interposable};
  uint64_t h = ut_hash(UT_HASH_INIT, v, sizeof v);
  for (size_t i = 0; i < c->models.n; i++) {
    uint64_t fh = 0;
    ut_hash_file(c->models.v[i], &fh);
    h = ut_hash(ut_hash_str(h, c->models.v[i]), &fh, sizeof fh);
  }
  for (size_t i = 0; i < c->panic_functions.n; i++) h = ut_hash_str(h, c->panic_functions.v[i]);
  return h;
}

/* SPDX-License-Identifier: MIT */
/*
 * diag_base.c - reading and writing baseline files (diag_base.h).
 *
 * Invariant: the key a finding is written with is the key it is looked up
 * with (dg_base_key), and both are computed from the finding alone and the
 * working directory, never from its line number.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag_base.h"

struct dg_base {
  ut_map keys;
  ut_arena arena;
};

/* "FINGERPRINT\tCHECK\tFILE": the part of a line that is compared. */
static void dg_base_key(ut_buf *b, const dg_diag *d, const char *cwd) {
  ut_buf_printf(b, "%016llx:%d\t%s\t", (unsigned long long)d->fp, d->fp_n, dg_checks[d->check].name);
  const char *path = d->at.file ? d->at.file : "";
  size_t n = strlen(cwd);
  if (n > 0 && strncmp(path, cwd, n) == 0 && (path[n] == '/' || cwd[n - 1] == '/') && path[n]) {
    path += n;
    while (*path == '/') path++;
  }
  dg_uri_path(b, path);
}

dg_base *dg_base_load(const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(err, errlen, "cannot read baseline '%s': %s (write one with --write-baseline=FILE)", path,
             strerror(errno));
    return NULL;
  }
  dg_base *b = calloc(1, sizeof *b);
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  long lineno = 0;
  int bad = !b, header = 0;
  while (!bad && (len = getline(&line, &cap, f)) >= 0) {
    lineno++;
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
    if (lineno == 1 && !strncmp(line, "# fnprop baseline ", 18)) {
      header = 1;
      if (strcmp(line + 18, "1") != 0) {
        snprintf(err, errlen,
                 "baseline '%s' is of version %s; this fnprop reads version 1: write it again with "
                 "--write-baseline",
                 path, line + 18);
        bad = 2;
      }
      continue;
    }
    if (!header) {
      snprintf(err, errlen, "'%s' is not an fnprop baseline (its first line is not '# fnprop baseline 1')", path);
      bad = 2;
      break;
    }
    if (!line[0] || line[0] == '#') continue;
    /* the first three tab-separated fields are the key */
    char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL, *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
    unsigned long long fp;
    int occ, used = 0;
    if (!t2 || sscanf(line, "%16llx:%d%n", &fp, &occ, &used) != 2 || line + used != t1 || occ < 1) {
      snprintf(err, errlen,
               "%s:%ld: not a baseline line (FINGERPRINT, CHECK, FILE, LINE and MESSAGE separated by "
               "tabs): write the baseline again with --write-baseline",
               path, lineno);
      bad = 2;
      break;
    }
    if (t3) *t3 = '\0';
    const char *key = ut_arena_strdup(&b->arena, line);
    if (!key || ut_map_put(&b->keys, key, 1) < 0) bad = 1;
  }
  if (bad == 0 && ferror(f)) {
    snprintf(err, errlen, "cannot read baseline '%s': %s", path, strerror(errno));
    bad = 2;
  }
  if (bad == 0 && !header) {
    snprintf(err, errlen, "'%s' is empty, not an fnprop baseline: write one with --write-baseline=FILE", path);
    bad = 2;
  }
  if (bad == 1) snprintf(err, errlen, "out of memory reading baseline '%s'", path);
  free(line);
  fclose(f);
  if (bad) {
    dg_base_free(b);
    return NULL;
  }
  return b;
}

void dg_base_free(dg_base *b) {
  if (!b) return;
  ut_map_free(&b->keys);
  ut_arena_free(&b->arena);
  free(b);
}

int dg_base_has(const dg_base *b, const dg_diag *d, const char *cwd) {
  ut_buf k = {0};
  dg_base_key(&k, d, cwd);
  uint32_t v;
  int r = !k.failed && ut_map_get(&b->keys, k.s, &v);
  ut_buf_free(&k);
  return r;
}

int dg_base_write(const char *path, dg_diag *const *v, size_t n, const char *cwd, char *err, size_t errlen) {
  ut_buf b = {0};
  ut_buf_puts(&b, "# fnprop baseline 1\n");
  for (size_t i = 0; i < n; i++) {
    dg_base_key(&b, v[i], cwd);
    ut_buf_printf(&b, "\t%d\t", v[i]->at.line);
    for (const char *m = v[i]->msg; *m; m++) ut_buf_add(&b, (unsigned char)*m < 0x20 ? " " : m, 1);
    ut_buf_puts(&b, "\n");
  }
  if (b.failed) {
    ut_buf_free(&b);
    return snprintf(err, errlen, "out of memory writing baseline '%s'", path), -1;
  }
  FILE *f = fopen(path, "w");
  int ok = f && fwrite(b.s, 1, b.n, f) == b.n;
  if (f && fclose(f) != 0) ok = 0;
  ut_buf_free(&b);
  if (!ok) return snprintf(err, errlen, "cannot write baseline '%s': %s", path, strerror(errno)), -1;
  return 0;
}

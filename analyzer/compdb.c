/* SPDX-License-Identifier: MIT */
/*
 * compdb.c - compile_commands.json through libclang's CXCompilationDatabase.
 *
 * libclang prints "LIBCLANG TOOLING ERROR" on stderr for a malformed file and
 * gives no detail back, so the file is checked first (exists, readable, looks
 * like a JSON array) to produce a message the user can act on.
 */
#include <clang-c/CXCompilationDatabase.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compdb.h"
#include "util.h"

static char *cdb_abspath(const char *base, const char *p) {
  if (p[0] == '/') return ut_strdup(p);
  ut_buf b = {0};
  ut_buf_puts(&b, base);
  ut_buf_puts(&b, "/");
  ut_buf_puts(&b, p);
  if (b.failed) {
    ut_buf_free(&b);
    return NULL;
  }
  return b.s;
}

/* Lexically normalizes an absolute path: removes "." and resolves "..". */
static void cdb_normalize(char *p) {
  char *out = p, *in = p;
  while (*in) {
    while (*in == '/') in++;
    if (!*in) break;
    char *seg = in;
    while (*in && *in != '/') in++;
    size_t len = (size_t)(in - seg);
    if (len == 1 && seg[0] == '.') continue;
    if (len == 2 && seg[0] == '.' && seg[1] == '.') {
      while (out > p && *--out != '/') {}
      continue;
    }
    *out++ = '/';
    memmove(out, seg, len);
    out += len;
  }
  if (out == p) *out++ = '/';
  *out = '\0';
}

char *cdb_find(const char *start) {
  char path[PATH_MAX];
  if (!realpath(start, path)) return NULL;
  struct stat st;
  if (stat(path, &st) == 0 && !S_ISDIR(st.st_mode)) {
    char *slash = strrchr(path, '/');
    if (slash) *slash = '\0';
    if (!path[0]) strcpy(path, "/");
  }
  for (;;) {
    char probe[PATH_MAX + 32];
    snprintf(probe, sizeof probe, "%s/compile_commands.json", strcmp(path, "/") ? path : "");
    if (access(probe, F_OK) == 0) return ut_strdup(path);
    char *slash = strrchr(path, '/');
    if (!slash || slash == path) {
      if (strcmp(path, "/") == 0) return NULL;
      strcpy(path, "/");
      continue;
    }
    *slash = '\0';
  }
}

/* Cheap sanity check so malformed files get a precise message. */
static int cdb_precheck(const char *file, char *err, size_t errlen) {
  FILE *f = fopen(file, "rb");
  if (!f) {
    snprintf(err, errlen, "cannot open compile database '%s': %s; pass -p with the build directory that holds compile_commands.json (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON or bear generate one)", file, strerror(errno));
    return -1;
  }
  int c;
  do c = fgetc(f);
  while (c == ' ' || c == '\n' || c == '\r' || c == '\t');
  fclose(f);
  if (c != '[') {
    snprintf(err, errlen, "malformed compile database '%s': %s; it must be a JSON array of {directory, file, arguments|command} objects", file, c == EOF ? "the file is empty" : "it does not start with '['");
    return -1;
  }
  return 0;
}

static int cdb_entry_cmp(const void *a, const void *b) {
  const cdb_entry *x = a, *y = b;
  int c = strcmp(x->file, y->file);
  for (int i = 0; !c && i < x->argc && i < y->argc; i++) c = strcmp(x->argv[i], y->argv[i]);
  if (!c) c = (x->argc > y->argc) - (x->argc < y->argc);
  if (!c) c = strcmp(x->directory, y->directory);
  return c;
}

static int cdb_add(cdb *db, size_t *cap, CXCompileCommand cmd) {
  cdb_entry e = {0};
  CXString dir = clang_CompileCommand_getDirectory(cmd);
  CXString file = clang_CompileCommand_getFilename(cmd);
  const char *d = clang_getCString(dir), *f = clang_getCString(file);
  e.directory = ut_strdup(d ? d : "");
  e.file = cdb_abspath(e.directory ? e.directory : "", f ? f : "");
  clang_disposeString(dir);
  clang_disposeString(file);
  unsigned n = clang_CompileCommand_getNumArgs(cmd);
  e.argv = calloc(n + 1, sizeof *e.argv);
  int ok = e.directory && e.file && e.argv;
  for (unsigned i = 0; ok && i < n; i++) {
    CXString a = clang_CompileCommand_getArg(cmd, i);
    e.argv[i] = ut_strdup(clang_getCString(a) ? clang_getCString(a) : "");
    clang_disposeString(a);
    ok = e.argv[i] != NULL;
    e.argc = (int)i + 1;
  }
  if (ok) {
    cdb_normalize(e.file);
    ok = ut_grow((void **)&db->v, cap, db->n + 1, sizeof *db->v) == 0;
  }
  if (!ok) {
    for (int i = 0; e.argv && i < e.argc; i++) free(e.argv[i]);
    free(e.argv);
    free(e.file);
    free(e.directory);
    return -1;
  }
  db->v[db->n++] = e;
  return 0;
}

cdb *cdb_load(const char *dir, char *err, size_t errlen) {
  char abs[PATH_MAX];
  if (!realpath(dir, abs)) {
    snprintf(err, errlen, "cannot use build directory '%s': %s", dir, strerror(errno));
    return NULL;
  }
  char file[PATH_MAX + 32];
  snprintf(file, sizeof file, "%s/compile_commands.json", abs);
  if (cdb_precheck(file, err, errlen) < 0) return NULL;

  CXCompilationDatabase_Error cerr;
  CXCompilationDatabase cx = clang_CompilationDatabase_fromDirectory(abs, &cerr);
  if (cerr != CXCompilationDatabase_NoError || !cx) {
    snprintf(err, errlen, "malformed compile database '%s': libclang could not read it (see the tooling error above); check that it is valid JSON with directory, file and arguments or command in every entry", file);
    return NULL;
  }
  cdb *db = calloc(1, sizeof *db);
  CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(cx);
  unsigned n = cmds ? clang_CompileCommands_getSize(cmds) : 0;
  size_t cap = 0;
  int ok = db && (db->dir = ut_strdup(abs)) != NULL;
  for (unsigned i = 0; ok && i < n; i++) ok = cdb_add(db, &cap, clang_CompileCommands_getCommand(cmds, i)) == 0;
  if (cmds) clang_CompileCommands_dispose(cmds);
  clang_CompilationDatabase_dispose(cx);
  if (!ok) {
    snprintf(err, errlen, "out of memory reading '%s'", file);
    cdb_destroy(db);
    return NULL;
  }
  if (db->n == 0) {
    snprintf(err, errlen, "compile database '%s' has no entries; regenerate it from a full build", file);
    cdb_destroy(db);
    return NULL;
  }
  qsort(db->v, db->n, sizeof *db->v, cdb_entry_cmp);
  return db;
}

void cdb_destroy(cdb *db) {
  if (!db) return;
  for (size_t i = 0; i < db->n; i++) {
    for (int j = 0; j < db->v[i].argc; j++) free(db->v[i].argv[j]);
    free(db->v[i].argv);
    free(db->v[i].file);
    free(db->v[i].directory);
  }
  free(db->v);
  free(db->dir);
  free(db);
}

unsigned long long cdb_entry_hash(const cdb_entry *e) {
  uint64_t h = ut_hash_str(UT_HASH_INIT, e->directory);
  for (int i = 0; i < e->argc; i++) h = ut_hash_str(h, e->argv[i]);
  return h;
}

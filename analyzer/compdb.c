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
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compdb.h"
#include "export_c.h"
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

/* ---- precheck --------------------------------------------------------------
 * libclang's JSON reader prints "LIBCLANG TOOLING ERROR" and gives nothing
 * back, so the file is validated here first: well-formed JSON (RFC 8259,
 * nesting bounded), an array of objects each with string "directory" and
 * "file" and a non-empty "arguments" array of strings or "command" string.
 * The messages name the entry and the key, so the user can fix the file.
 * Recursion is bounded by CDB_JSON_DEPTH (a compile database needs 3). */
enum { CDB_JSON_DEPTH = 64 };

typedef struct cdb_json {
  const char *s, *p, *end;
  const char *bad;      /* what is wrong, NULL while fine */
} cdb_json;

static void cj_ws(cdb_json *j) {
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\n' || *j->p == '\r' || *j->p == '\t')) j->p++;
}

static int cj_fail(cdb_json *j, const char *what) {
  if (!j->bad) j->bad = j->p >= j->end ? "unexpected end of file" : what;
  return -1;
}

static int cj_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/* A string at j->p; *start and *len get the raw (still escaped) contents. */
static int cj_string(cdb_json *j, const char **start, size_t *len) {
  if (j->p >= j->end || *j->p != '"') return cj_fail(j, "expected a string");
  const char *b = ++j->p;
  while (j->p < j->end && *j->p != '"') {
    unsigned char c = (unsigned char)*j->p;
    if (c < 0x20) return cj_fail(j, "control character inside a string");
    if (c == '\\') {
      if (++j->p >= j->end) break;
      if (*j->p == 'u') {
        for (int k = 1; k <= 4; k++)
          if (j->p + k >= j->end || !cj_hex(j->p[k])) return cj_fail(j, "bad \\u escape in a string");
        j->p += 4;
      } else if (!*j->p || !strchr("\"\\/bfnrt", *j->p)) { /* strchr finds the NUL */
        return cj_fail(j, "bad escape in a string");
      }
    }
    j->p++;
  }
  if (j->p >= j->end) return cj_fail(j, "unterminated string");
  if (start) *start = b;
  if (len) *len = (size_t)(j->p - b);
  j->p++;
  return 0;
}

static int cj_number(cdb_json *j) {
  const char *b = j->p;
  if (j->p < j->end && *j->p == '-') j->p++;
  if (j->p < j->end && *j->p == '0') j->p++;
  else if (j->p < j->end && *j->p >= '1' && *j->p <= '9')
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
  else return cj_fail(j, "unexpected character");
  if (j->p < j->end && *j->p == '.') {
    if (++j->p >= j->end || *j->p < '0' || *j->p > '9') return cj_fail(j, "bad number");
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
  }
  if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
    j->p++;
    if (j->p < j->end && (*j->p == '+' || *j->p == '-')) j->p++;
    if (j->p >= j->end || *j->p < '0' || *j->p > '9') return cj_fail(j, "bad number");
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
  }
  return j->p > b ? 0 : -1;
}

/* Skips any value; containers recurse at most CDB_JSON_DEPTH deep. */
static int cj_value(cdb_json *j, int depth) {
  cj_ws(j);
  if (j->p >= j->end) return cj_fail(j, "unexpected end of file");
  if (depth > CDB_JSON_DEPTH) return cj_fail(j, "nested too deeply");
  char c = *j->p;
  if (c == '"') return cj_string(j, NULL, NULL);
  if (c == '[' || c == '{') {
    char close = c == '[' ? ']' : '}';
    j->p++;
    cj_ws(j);
    if (j->p < j->end && *j->p == close) return j->p++, 0;
    for (;;) {
      if (c == '{') {
        cj_ws(j);
        if (cj_string(j, NULL, NULL) < 0) return cj_fail(j, "expected a key");
        cj_ws(j);
        if (j->p >= j->end || *j->p != ':') return cj_fail(j, "expected ':'");
        j->p++;
      }
      if (cj_value(j, depth + 1) < 0) return -1;
      cj_ws(j);
      if (j->p < j->end && *j->p == ',') {
        j->p++;
        continue;
      }
      if (j->p < j->end && *j->p == close) return j->p++, 0;
      return cj_fail(j, c == '[' ? "expected ',' or ']'" : "expected ',' or '}'");
    }
  }
  static const char *const lit[] = {"true", "false", "null"};
  for (int k = 0; k < 3; k++) {
    size_t n = strlen(lit[k]);
    if ((size_t)(j->end - j->p) >= n && memcmp(j->p, lit[k], n) == 0) return j->p += n, 0;
  }
  return cj_number(j);
}

static int cj_key_is(const char *k, size_t n, const char *want) { return strlen(want) == n && memcmp(k, want, n) == 0; }

/* One entry: an object with the keys libclang needs, of the right types.
 * Writes the problem into err (naming entry `idx`) and returns -1. */
static int cj_entry(cdb_json *j, size_t idx, const char *file, char *err, size_t errlen) {
  const char *why = NULL, *fname = NULL;
  size_t fnlen = 0;
  int have_dir = 0, have_file = 0, have_cmd = 0;
  cj_ws(j);
  if (j->p >= j->end || *j->p != '{') {
    if (cj_value(j, 1) < 0) return -1;
    snprintf(err, errlen,
             "malformed compile database '%s': entry %zu is not a JSON object; each entry needs "
             "\"directory\", \"file\" and \"arguments\" or \"command\"",
             file, idx);
    return -1;
  }
  j->p++;
  cj_ws(j);
  int first = 1;
  while (j->p < j->end && *j->p != '}') {
    if (!first) {
      if (*j->p != ',') return cj_fail(j, "expected ',' or '}'");
      j->p++;
      cj_ws(j);
    }
    first = 0;
    const char *k;
    size_t kn;
    if (cj_string(j, &k, &kn) < 0) return cj_fail(j, "expected a key");
    cj_ws(j);
    if (j->p >= j->end || *j->p != ':') return cj_fail(j, "expected ':'");
    j->p++;
    cj_ws(j);
    int is_str = j->p < j->end && *j->p == '"';
    if (cj_key_is(k, kn, "directory") || cj_key_is(k, kn, "file") || cj_key_is(k, kn, "command")) {
      const char *v;
      size_t vn;
      if (!is_str) {
        if (cj_value(j, 2) < 0) return -1;
        if (!why)
          why = cj_key_is(k, kn, "directory") ? "\"directory\" is not a string"
                : cj_key_is(k, kn, "file")    ? "\"file\" is not a string"
                                              : "\"command\" is not a string";
      } else {
        if (cj_string(j, &v, &vn) < 0) return -1;
        if (cj_key_is(k, kn, "file")) fname = v, fnlen = vn;
        if (!vn && !why)
          why = cj_key_is(k, kn, "directory") ? "\"directory\" is empty"
                : cj_key_is(k, kn, "file")    ? "\"file\" is empty"
                                              : "\"command\" is empty";
      }
      have_dir |= cj_key_is(k, kn, "directory");
      have_file |= cj_key_is(k, kn, "file");
      have_cmd |= cj_key_is(k, kn, "command");
    } else if (cj_key_is(k, kn, "arguments")) {
      have_cmd = 1;
      if (j->p >= j->end || *j->p != '[') {
        if (cj_value(j, 2) < 0) return -1;
        if (!why) why = "\"arguments\" is not an array of strings";
      } else {
        j->p++;
        cj_ws(j);
        size_t n = 0;
        while (j->p < j->end && *j->p != ']') {
          if (n && *j->p != ',') return cj_fail(j, "expected ',' or ']'");
          if (n) j->p++, cj_ws(j);
          if (j->p < j->end && *j->p != '"') {
            if (cj_value(j, 3) < 0) return -1;
            if (!why) why = "\"arguments\" is not an array of strings";
          } else if (cj_string(j, NULL, NULL) < 0) {
            return -1;
          }
          n++;
          cj_ws(j);
        }
        if (j->p >= j->end) return cj_fail(j, "unexpected end of file");
        j->p++;
        if (!n && !why) why = "\"arguments\" is empty";
      }
    } else { /* libclang's reader knows one more key, a string */
      if (cj_value(j, 2) < 0) return -1;
      if (!why && !cj_key_is(k, kn, "output"))
        why = "it has a key other than \"directory\", \"file\", \"arguments\", \"command\" and \"output\"";
      if (!why && !is_str) why = "\"output\" is not a string";
    }
    cj_ws(j);
  }
  if (j->p >= j->end) return cj_fail(j, "unexpected end of file");
  j->p++;
  if (!why)
    why = !have_dir    ? "it has no \"directory\""
          : !have_file ? "it has no \"file\""
          : !have_cmd  ? "it has neither \"arguments\" nor \"command\""
                       : NULL;
  if (!why) return 0;
  if (fname)
    snprintf(err, errlen,
             "malformed compile database '%s': entry %zu (file \"%.*s\"): %s; each entry needs "
             "\"directory\", \"file\" and \"arguments\" or \"command\"",
             file, idx, fnlen > 200 ? 200 : (int)fnlen, fname, why);
  else
    snprintf(err, errlen,
             "malformed compile database '%s': entry %zu: %s; each entry needs \"directory\", "
             "\"file\" and \"arguments\" or \"command\"",
             file, idx, why);
  return -1;
}

/* Checks the whole text; 0 when libclang can be given it.  A UTF-8 byte
 * order mark is allowed (some Windows tools write one; libclang skips it). */
static int cdb_check_text(const char *text, size_t n, const char *file, char *err, size_t errlen) {
  cdb_json j = {text, text, text + n, NULL};
  if (n >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) j.p += 3;
  err[0] = '\0';
  cj_ws(&j);
  if (j.p >= j.end) {
    snprintf(err, errlen,
             "malformed compile database '%s': the file is empty; it must be a JSON array of "
             "{directory, file, arguments|command} objects",
             file);
    return -1;
  }
  int rc = 0;
  if (*j.p != '[') {
    const char *what = *j.p == '{' ? "it is a JSON object, not an array" : "it does not start with '['";
    snprintf(err, errlen,
             "malformed compile database '%s': %s; it must be a JSON array of {directory, file, "
             "arguments|command} objects",
             file, what);
    return -1;
  }
  j.p++;
  cj_ws(&j);
  size_t idx = 0;
  while (rc == 0 && j.p < j.end && *j.p != ']') {
    if (idx) {
      if (*j.p != ',') {
        rc = cj_fail(&j, "expected ',' or ']' after an entry");
        break;
      }
      j.p++;
    }
    rc = cj_entry(&j, ++idx, file, err, errlen);
    cj_ws(&j);
  }
  if (rc == 0 && j.p >= j.end) rc = cj_fail(&j, "unexpected end of file (the array is not closed)");
  if (rc == 0) {
    j.p++;
    cj_ws(&j);
    if (j.p < j.end) rc = cj_fail(&j, "unexpected text after the closing ']'");
  }
  if (rc == 0 || err[0]) return rc;
  size_t line = 1, col = 1;
  for (const char *q = text; q < j.p && q < j.end; q++) {
    if (*q == '\n') line++, col = 1;
    else col++;
  }
  snprintf(err, errlen,
           "malformed compile database '%s': line %zu, column %zu: %s; it must be a JSON array "
           "of {directory, file, arguments|command} objects",
           file, line, col, j.bad ? j.bad : "invalid JSON");
  return -1;
}

/* Reads the file and checks it, so malformed files get a precise message.
 * A FIFO or a device (never a compile database) is refused without
 * blocking; libclang would wait on it forever. */
enum { CDB_MAX_BYTES = 1 << 30 };

static int cdb_precheck(const char *file, char *err, size_t errlen) {
  ut_buf b = {0};
  char why[256];
  int rc = -1;
  if (ut_read_file(file, CDB_MAX_BYTES, &b, why, sizeof why) < 0)
    snprintf(err, errlen,
             "cannot open compile database '%s': %s; pass -p with the build directory that holds "
             "compile_commands.json (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON or bear generate one)",
             file, why);
  else rc = cdb_check_text(b.s ? b.s : "", b.n, file, err, errlen);
  ut_buf_free(&b);
  return rc;
}

/* The language clang would compile the entry as: the last -x before the
 * file, else the file's extension.  Unknown extensions count as C (clang
 * then says what it makes of them). */
int cdb_entry_lang(const cdb_entry *e) {
  if (e->generated) return CDB_LANG_TABLE;
  const char *x = NULL;
  for (int i = 1; i < e->argc; i++) {
    if (!strcmp(e->argv[i], "-x") && i + 1 < e->argc) x = e->argv[++i];
    else if (!strncmp(e->argv[i], "-x", 2) && e->argv[i][2]) x = e->argv[i] + 2;
  }
  if (x) {
    if (!strcmp(x, "c") || !strcmp(x, "c-header") || !strcmp(x, "cpp-output")) return CDB_LANG_C;
    if (!strncmp(x, "assembler", 9)) return CDB_LANG_ASM;
    if (!strncmp(x, "c++", 3)) return CDB_LANG_CXX;
    return CDB_LANG_OTHER;
  }
  const char *dot = strrchr(e->file, '.'), *slash = strrchr(e->file, '/');
  if (!dot || (slash && dot < slash)) return CDB_LANG_C;
  static const char *const asmx[] = {".s", ".S", ".sx", ".asm"};
  static const char *const cxx[] = {".cc",  ".cpp", ".cxx", ".c++", ".C",    ".CC", ".cp",
                                    ".hpp", ".hh",  ".hxx", ".ii",  ".cppm", ".ixx"};
  static const char *const other[] = {".m", ".mm", ".M", ".cu", ".cl", ".f", ".f90", ".F", ".F90", ".rs", ".go"};
  for (size_t i = 0; i < sizeof asmx / sizeof *asmx; i++)
    if (!strcmp(dot, asmx[i])) return CDB_LANG_ASM;
  for (size_t i = 0; i < sizeof cxx / sizeof *cxx; i++)
    if (!strcmp(dot, cxx[i])) return CDB_LANG_CXX;
  for (size_t i = 0; i < sizeof other / sizeof *other; i++)
    if (!strcmp(dot, other[i])) return CDB_LANG_OTHER;
  return CDB_LANG_C;
}

const char *cdb_lang_name(int lang) {
  static const char *const names[] = {"C", "assembler", "C++", "another language", "generated verdict table"};
  return lang >= 0 && lang < 5 ? names[lang] : "?";
}

/* Does the file start with the marker of a table fnprop generated?  Only
 * the first bytes of a regular file are read (a FIFO is never opened for
 * reading: O_NONBLOCK, then the type is checked). */
static int cdb_generated(const char *path) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return 0;
  struct stat st;
  char head[sizeof XC_TABLE_MARKER];
  ssize_t n = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? read(fd, head, sizeof head - 1) : -1;
  close(fd);
  return n == (ssize_t)sizeof head - 1 && memcmp(head, XC_TABLE_MARKER, sizeof head - 1) == 0;
}

size_t cdb_mark_output(cdb *db, int fd) {
  struct stat out, st;
  size_t n = 0;
  if (fstat(fd, &out) != 0 || !S_ISREG(out.st_mode)) return 0;
  for (size_t i = 0; i < db->n; i++) {
    cdb_entry *e = &db->v[i];
    if (e->generated || stat(e->file, &st) != 0 || st.st_dev != out.st_dev || st.st_ino != out.st_ino) continue;
    db->nlang[cdb_entry_lang(e)]--;
    e->generated = 1;
    db->nlang[CDB_LANG_TABLE]++;
    n++;
  }
  return n;
}

static int cdb_entry_cmp(const void *a, const void *b) {
  const cdb_entry *x = a, *y = b;
  int c = strcmp(x->file, y->file);
  for (int i = 0; !c && i < x->argc && i < y->argc; i++) c = strcmp(x->argv[i], y->argv[i]);
  if (!c) c = (x->argc > y->argc) - (x->argc < y->argc);
  if (!c) c = strcmp(x->directory, y->directory);
  return c;
}

/* A relative "directory" (not allowed by the format, but written by some
 * generators) is taken relative to the directory holding the database, so
 * nothing depends on fnprop's own working directory. */
static int cdb_add(cdb *db, size_t *cap, CXCompileCommand cmd) {
  cdb_entry e = {0};
  CXString dir = clang_CompileCommand_getDirectory(cmd);
  CXString file = clang_CompileCommand_getFilename(cmd);
  const char *d = clang_getCString(dir), *f = clang_getCString(file);
  e.directory = cdb_abspath(db->dir, d ? d : "");
  if (e.directory) ut_normalize_path(e.directory);
  e.file = cdb_abspath(e.directory ? e.directory : "/", f ? f : "");
  clang_disposeString(dir);
  clang_disposeString(file);
  unsigned n = clang_CompileCommand_getNumArgs(cmd);
  if (n == 0) { /* a blank "command": nothing to parse with */
    free(e.directory);
    free(e.file);
    return -2;
  }
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
    ut_normalize_path(e.file);
    e.generated = cdb_generated(e.file);
    ok = ut_grow((void **)&db->v, cap, db->n + 1, sizeof *db->v) == 0;
  }
  if (!ok) {
    for (int i = 0; e.argv && i < e.argc; i++) free(e.argv[i]);
    free(e.argv);
    free(e.file);
    free(e.directory);
    return -1;
  }
  db->nlang[cdb_entry_lang(&e)]++;
  db->v[db->n++] = e;
  return 0;
}

cdb *cdb_load(const char *dir, char *err, size_t errlen) {
  char abs[PATH_MAX];
  if (!realpath(dir, abs)) {
    snprintf(err, errlen, "cannot use build directory '%s': %s", dir, strerror(errno));
    return NULL;
  }
  char file[PATH_MAX + 32], real[PATH_MAX];
  snprintf(file, sizeof file, "%s/compile_commands.json", abs);
  /* A compile_commands.json linked into the source tree stands for the
   * build directory it points into: that is the directory (and where the
   * database goes by default), never the repository. */
  if (realpath(file, real) && strcmp(real, file) != 0) {
    char *slash = strrchr(real, '/');
    if (slash && slash != real) {
      *slash = '\0';
      snprintf(abs, sizeof abs, "%s", real);
      snprintf(file, sizeof file, "%s/compile_commands.json", abs);
    }
  }
  if (cdb_precheck(file, err, errlen) < 0) return NULL;

  CXCompilationDatabase_Error cerr;
  CXCompilationDatabase cx = clang_CompilationDatabase_fromDirectory(abs, &cerr);
  if (cerr != CXCompilationDatabase_NoError || !cx) {
    snprintf(err, errlen,
             "malformed compile database '%s': libclang could not read it (see the tooling error above); check that it "
             "is valid JSON with directory, file and arguments or command in every entry",
             file);
    return NULL;
  }
  cdb *db = calloc(1, sizeof *db);
  CXCompileCommands cmds = clang_CompilationDatabase_getAllCompileCommands(cx);
  unsigned n = cmds ? clang_CompileCommands_getSize(cmds) : 0;
  size_t cap = 0;
  int ok = db && (db->dir = ut_strdup(abs)) != NULL;
  int blank = 0;
  for (unsigned i = 0; ok && i < n; i++) {
    int rc = cdb_add(db, &cap, clang_CompileCommands_getCommand(cmds, i));
    ok = rc == 0;
    if (rc == -2) blank = (int)i + 1;
  }
  if (cmds) clang_CompileCommands_dispose(cmds);
  clang_CompilationDatabase_dispose(cx);
  if (blank) {
    snprintf(err, errlen,
             "malformed compile database '%s': entry %d has an empty command line; each entry needs "
             "\"directory\", \"file\" and \"arguments\" or \"command\"",
             file, blank);
    cdb_destroy(db);
    return NULL;
  }
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

int cdb_is_input(const cdb *db, const char *path) {
  char *real = realpath(path, NULL);
  if (!real) return 0; /* does not exist: nothing to lose */
  char file[PATH_MAX + 32];
  snprintf(file, sizeof file, "%s/compile_commands.json", db->dir);
  int clash = strcmp(real, file) == 0;
  for (size_t i = 0; !clash && i < db->n; i++) {
    char *f = realpath(db->v[i].file, NULL);
    clash = f && strcmp(f, real) == 0;
    free(f);
  }
  free(real);
  return clash;
}

unsigned long long cdb_entry_hash(const cdb_entry *e) {
  uint64_t h = ut_hash_str(UT_HASH_INIT, e->directory);
  for (int i = 0; i < e->argc; i++) h = ut_hash_str(h, e->argv[i]);
  return h;
}

/* SPDX-License-Identifier: MIT */
/*
 * diag_src.c - source files for diagnostics: a read-once cache with line
 * tables (for carets, NOLINT, byte offsets and fingerprints) and a small
 * lexer that finds function prototypes in headers (for fix-its).
 *
 * Scope decision: the prototype scanner is a lexer, not a parser.  It sees
 * file-scope `name(...)` declarators that end in `;` or `,` outside
 * comments, strings, preprocessor lines, bodies and typedefs; both branches
 * of an #if are seen.  It misses prototypes produced by macros and
 * declarators in parentheses (`int (f)(void)`, functions returning function
 * pointers).  A file is read once per run and never written.
 */
#include <stdlib.h>
#include <string.h>

#include "diag_src.h"

enum { DG_SRC_MAX = 64 << 20 }; /* larger files are treated as unreadable */

/* ---- the cache -------------------------------------------------------------- */
static int dg_src_lines(dg_src *s) {
  size_t n = 1;
  for (size_t i = 0; i < s->len; i++)
    if (s->text[i] == '\n') n++;
  s->line_start = malloc(n * sizeof *s->line_start);
  if (!s->line_start) return -1;
  s->nlines = 0;
  s->line_start[s->nlines++] = 0;
  for (size_t i = 0; i < s->len; i++)
    if (s->text[i] == '\n' && i + 1 <= s->len) s->line_start[s->nlines++] = i + 1;
  /* A final newline does not open another line. */
  if (s->nlines > 1 && s->line_start[s->nlines - 1] == s->len) s->nlines--;
  return 0;
}

int dg_src_init_text(dg_src *s, const char *path, const char *text, size_t len) {
  memset(s, 0, sizeof *s);
  s->path = ut_strdup(path ? path : "");
  s->text = malloc(len + 1);
  if (!s->path || !s->text) return dg_src_clear(s), -1;
  memcpy(s->text, text, len);
  s->text[len] = '\0';
  s->len = len;
  if (dg_src_lines(s) < 0) return dg_src_clear(s), -1;
  return 0;
}

void dg_src_clear(dg_src *s) {
  free(s->path);
  free(s->text);
  free(s->line_start);
  memset(s, 0, sizeof *s);
}

static int dg_src_read(dg_src *s, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  ut_buf b = {0};
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.n <= DG_SRC_MAX) ut_buf_add(&b, chunk, got);
  int bad = ferror(f) || b.failed || b.n > DG_SRC_MAX;
  fclose(f);
  int rc = bad ? -1 : dg_src_init_text(s, path, b.s ? b.s : "", b.n);
  ut_buf_free(&b);
  return rc;
}

dg_src *dg_src_get(dg_srcs *c, const char *path) {
  if (!path || !path[0]) return NULL;
  uint32_t at;
  if (ut_map_get(&c->index, path, &at)) return c->files.v[at]->text ? c->files.v[at] : NULL;
  dg_src *s = calloc(1, sizeof *s);
  const char *key = ut_arena_strdup(&c->keys, path);
  if (!s || !key) return free(s), NULL;
  if (dg_src_read(s, path) < 0) {
    dg_src_clear(s);  /* remembered as unreadable: text stays NULL */
    s->path = ut_strdup(path);
  }
  if (UT_PUSH(c->files, s) < 0) {
    dg_src_clear(s);
    free(s);
    return NULL;
  }
  if (ut_map_put(&c->index, key, (uint32_t)(c->files.n - 1)) < 0) return NULL;
  return s->text ? s : NULL;
}

void dg_srcs_free(dg_srcs *c) {
  for (size_t i = 0; i < c->files.n; i++) {
    dg_src_clear(c->files.v[i]);
    free(c->files.v[i]);
  }
  free(c->files.v);
  ut_map_free(&c->index);
  ut_arena_free(&c->keys);
  memset(c, 0, sizeof *c);
}

int dg_src_line(const dg_src *s, int line, const char **text, size_t *len) {
  if (!s || !s->text || line < 1 || (size_t)line > s->nlines) return -1;
  size_t a = s->line_start[line - 1];
  size_t e = (size_t)line < s->nlines ? s->line_start[line] - 1 : s->len;
  if (e > a && s->text[e - 1] == '\n') e--;
  if (e > a && s->text[e - 1] == '\r') e--;
  *text = s->text + a;
  *len = e - a;
  return 0;
}

long dg_src_offset(const dg_src *s, int line, int col) {
  const char *t;
  size_t n;
  if (col < 1 || dg_src_line(s, line, &t, &n) < 0 || (size_t)col - 1 > n) return -1;
  return (long)(t - s->text) + col - 1;
}

void dg_src_pos(const dg_src *s, size_t off, int *line, int *col) {
  size_t lo = 0, hi = s->nlines;
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (s->line_start[mid] <= off) lo = mid;
    else hi = mid;
  }
  *line = (int)lo + 1;
  *col = (int)(off - s->line_start[lo]) + 1;
}

/* ---- a tiny C lexer --------------------------------------------------------- */
typedef struct dg_lex {
  const char *t;
  size_t n, i;
  int bol;               /* only blanks since the start of the line */
} dg_lex;

enum { TK_EOF, TK_IDENT, TK_STRING, TK_PUNCT };

typedef struct dg_tok {
  int kind;
  size_t a, e;           /* [a, e) */
} dg_tok;

static int dg_is_ident(int c, int first) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (!first && c >= '0' && c <= '9') || c == '$';
}

/* Skips blanks, comments and preprocessor lines. */
static void dg_lex_skip(dg_lex *x) {
  while (x->i < x->n) {
    char c = x->t[x->i];
    if (c == '\n') {
      x->bol = 1;
      x->i++;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      x->i++;
    } else if (c == '/' && x->i + 1 < x->n && x->t[x->i + 1] == '/') {
      while (x->i < x->n && x->t[x->i] != '\n') x->i++;
    } else if (c == '/' && x->i + 1 < x->n && x->t[x->i + 1] == '*') {
      const char *end = x->i + 2 < x->n ? strstr(x->t + x->i + 2, "*/") : NULL;
      x->i = end ? (size_t)(end - x->t) + 2 : x->n;
    } else if (c == '\\' && x->i + 1 < x->n && (x->t[x->i + 1] == '\n' || x->t[x->i + 1] == '\r')) {
      x->i += 2;
    } else if (c == '#' && x->bol) {
      /* A directive: up to an unescaped newline, comments included. */
      while (x->i < x->n && x->t[x->i] != '\n') {
        if (x->t[x->i] == '\\' && x->i + 1 < x->n && x->t[x->i + 1] == '\n') {
          x->i += 2;
        } else if (x->t[x->i] == '/' && x->i + 1 < x->n && x->t[x->i + 1] == '*') {
          const char *end = strstr(x->t + x->i + 2, "*/");
          x->i = end ? (size_t)(end - x->t) + 2 : x->n;
        } else {
          x->i++;
        }
      }
    } else {
      return;
    }
  }
}

static dg_tok dg_lex_next(dg_lex *x) {
  dg_lex_skip(x);
  dg_tok k = {TK_EOF, x->i, x->i};
  if (x->i >= x->n) return k;
  x->bol = 0;
  char c = x->t[x->i];
  if (dg_is_ident((unsigned char)c, 1)) {
    while (x->i < x->n && dg_is_ident((unsigned char)x->t[x->i], 0)) x->i++;
    k.kind = TK_IDENT;
  } else if (c == '"' || c == '\'') {
    x->i++;
    while (x->i < x->n && x->t[x->i] != c && x->t[x->i] != '\n') x->i += x->t[x->i] == '\\' ? 2 : 1;
    if (x->i < x->n && x->t[x->i] == c) x->i++;
    if (x->i > x->n) x->i = x->n;
    k.kind = TK_STRING;
  } else {
    x->i++;
    k.kind = TK_PUNCT;
  }
  k.e = x->i;
  return k;
}

static int dg_tok_is(const dg_lex *x, dg_tok k, const char *s) {
  size_t n = strlen(s);
  return k.e - k.a == n && memcmp(x->t + k.a, s, n) == 0;
}

/* Identifiers followed by `(` that are never a function's name. */
static int dg_not_a_name(const dg_lex *x, dg_tok k) {
  static const char *const kw[] = {"__attribute__",  "__attribute",
                                   "__declspec",     "__asm__",
                                   "__asm",          "asm",
                                   "_Alignas",       "alignas",
                                   "_Static_assert", "static_assert",
                                   "__typeof__",     "__typeof",
                                   "typeof",         "typeof_unqual",
                                   "sizeof",         "_Alignof",
                                   "alignof",        "_Pragma",
                                   "__pragma",       "_Atomic",
                                   "__extension__",  "if",
                                   "while",          "for",
                                   "switch",         "return",
                                   "_Generic",       "int",
                                   "char",           "void",
                                   "short",          "long",
                                   "float",          "double",
                                   "signed",         "unsigned",
                                   "_Bool",          "bool",
                                   "_Complex",       "const",
                                   "volatile",       "restrict",
                                   "__restrict",     "struct",
                                   "union",          "enum",
                                   "extern",         "static",
                                   "inline",         "__inline",
                                   "__inline__",     "register",
                                   "auto",           "_Noreturn",
                                   "_Thread_local",  "thread_local",
                                   "__thread"};
  for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
    if (dg_tok_is(x, k, kw[i])) return 1;
  return 0;
}

enum { DG_PROTO_PENDING = 8, DG_BRACE_STACK = 64 };

typedef struct dg_scan {
  dg_proto pending[DG_PROTO_PENDING];
  size_t npending;
  int dropped;           /* this declarator is a definition or a variable */
} dg_scan;

static int dg_flush(dg_scan *s, size_t insert_off, int (*fn)(void *, const dg_proto *), void *arg) {
  int rc = 0;
  for (size_t i = 0; rc == 0 && !s->dropped && i < s->npending; i++) {
    s->pending[i].insert_off = insert_off;
    rc = fn(arg, &s->pending[i]);
  }
  s->npending = 0;
  s->dropped = 0;
  return rc;
}

int dg_scan_prototypes(const char *text, size_t len, int (*fn)(void *arg, const dg_proto *p), void *arg) {
  enum { B_PLAIN, B_EXTERN_C, B_BODY };
  dg_lex x = {text, len, 0, 1};
  dg_scan s = {0};
  unsigned char kind[DG_BRACE_STACK]; /* what each open brace is */
  size_t braces = 0, depth = 0;       /* stack height; braces that hide code */
  int paren = 0, in_typedef = 0;
  dg_tok prev2 = {TK_EOF, 0, 0}, prev = {TK_EOF, 0, 0};
  size_t last_end = 0;
  for (;;) {
    dg_tok k = dg_lex_next(&x);
    if (k.kind == TK_EOF) break;
    char c = k.kind == TK_PUNCT ? text[k.a] : 0;
    if (c == '{') {
      int b = B_PLAIN;
      if (depth == 0 && prev.kind == TK_STRING && prev2.kind == TK_IDENT && dg_tok_is(&x, prev2, "extern"))
        b = B_EXTERN_C;
      else if (depth == 0 && paren == 0 && s.npending > 0)
        b = B_BODY;             /* `name(...) {`: a definition, not a prototype */
      if (braces < DG_BRACE_STACK) kind[braces] = (unsigned char)b;
      braces++;
      if (b == B_EXTERN_C) s.npending = 0, s.dropped = 0, paren = 0, in_typedef = 0;
      else depth++;
      if (b == B_BODY) s.dropped = 1;
    } else if (c == '}') {
      if (braces == 0) continue;
      braces--;
      int b = braces < DG_BRACE_STACK ? kind[braces] : B_PLAIN;
      if (b != B_EXTERN_C && depth > 0) depth--;
      /* The end of a body or of an `extern "C"` block ends the statement. */
      if (depth == 0 && b != B_PLAIN) s.npending = 0, s.dropped = 0, paren = 0, in_typedef = 0;
    } else if (depth == 0) {
      if (c == '(') {
        if (paren == 0 && prev.kind == TK_IDENT && !in_typedef && !dg_not_a_name(&x, prev) &&
            s.npending < DG_PROTO_PENDING) {
          dg_proto p = {text + prev.a, prev.e - prev.a, prev.a, 0};
          s.pending[s.npending++] = p;
        }
        paren++;
      } else if (c == ')') {
        if (paren > 0) paren--;
      } else if (paren == 0 && c == '=') {
        s.dropped = 1;          /* a variable with an initializer */
      } else if (paren == 0 && (c == ';' || c == ',')) {
        int rc = dg_flush(&s, last_end, fn, arg);
        if (rc) return rc;
        if (c == ';') in_typedef = 0;
      } else if (k.kind == TK_IDENT && paren == 0 && dg_tok_is(&x, k, "typedef")) {
        in_typedef = 1;
      }
    }
    if (depth == 0 && c != ';' && c != ',') last_end = k.e;
    prev2 = prev;
    prev = k;
  }
  return 0;
}

/* ---- where the include goes --------------------------------------------------- */
/* Is line [a, e) the directive `#word ...`?  Sets *rest to what follows. */
static int dg_directive(const char *t, size_t a, size_t e, const char *word, size_t *rest) {
  while (a < e && (t[a] == ' ' || t[a] == '\t')) a++;
  if (a >= e || t[a] != '#') return 0;
  a++;
  while (a < e && (t[a] == ' ' || t[a] == '\t')) a++;
  size_t n = strlen(word);
  if (e - a < n || memcmp(t + a, word, n) != 0 || (e - a > n && dg_is_ident((unsigned char)t[a + n], 0))) return 0;
  *rest = a + n;
  return 1;
}

static int dg_includes_fnprop(const char *t, size_t a, size_t e) {
  while (a < e && (t[a] == ' ' || t[a] == '\t')) a++;
  if (a >= e || (t[a] != '<' && t[a] != '"')) return 0;
  char close = t[a] == '<' ? '>' : '"';
  size_t b = a + 1, c = b;
  while (c < e && t[c] != close) c++;
  static const char want[] = "fnprop.h";
  size_t n = sizeof want - 1;
  return c - b >= n && memcmp(t + c - n, want, n) == 0 && (c - b == n || t[c - n - 1] == '/');
}

size_t dg_include_offset(const char *text, size_t len, size_t before, int *present) {
  size_t after_include = 0, after_guard = 0, pos = 0, rest;
  int have_include = 0, in_comment = 0, seen_code = 0, guard_state = 0; /* 1: #ifndef seen, 2: guard */
  int depth = 0, top = 0; /* conditional nesting; top: the include guard's level */
  *present = 0;
  while (pos < len) {
    size_t e = pos;
    while (e < len && text[e] != '\n') e++;
    size_t next = e < len ? e + 1 : e;
    /* Blank and comment-only lines do not count as code. */
    size_t a = pos;
    int code = 0;
    while (a < e) {
      if (in_comment) {
        if (text[a] == '*' && a + 1 < e && text[a + 1] == '/') in_comment = 0, a++;
      } else if (text[a] == '/' && a + 1 < e && text[a + 1] == '*') {
        in_comment = 1, a++;
      } else if (text[a] == '/' && a + 1 < e && text[a + 1] == '/') {
        break;
      } else if (text[a] != ' ' && text[a] != '\t' && text[a] != '\r') {
        code = 1;
        break;
      }
      a++;
    }
    if (code && !in_comment) {
      /* Only an include outside every conditional block (the guard's
       * aside) is seen by every configuration of the header. */
      if (dg_directive(text, pos, e, "include", &rest)) {
        if (depth == top && dg_includes_fnprop(text, rest, e)) *present = 1;
        if (depth == top && pos < before) have_include = 1, after_include = next;
        seen_code = 1;
      } else if (!seen_code && guard_state == 0 && dg_directive(text, pos, e, "ifndef", &rest)) {
        guard_state = 1;
        depth++;
      } else if (!seen_code && guard_state == 1 && dg_directive(text, pos, e, "define", &rest)) {
        after_guard = next;
        guard_state = 2;
        top = 1;
        seen_code = 1;
      } else if (dg_directive(text, pos, e, "if", &rest) || dg_directive(text, pos, e, "ifdef", &rest) ||
                 dg_directive(text, pos, e, "ifndef", &rest)) {
        if (guard_state == 1) guard_state = 3; /* that #ifndef was no guard */
        depth++;
        seen_code = 1;
      } else if (dg_directive(text, pos, e, "endif", &rest)) {
        if (depth > 0) depth--;
        seen_code = 1;
      } else if (!seen_code && dg_directive(text, pos, e, "pragma", &rest)) {
        while (rest < e && (text[rest] == ' ' || text[rest] == '\t')) rest++;
        if (e - rest >= 4 && memcmp(text + rest, "once", 4) == 0) after_guard = next;
        seen_code = 1;
      } else {
        if (guard_state == 1) guard_state = 3; /* #ifndef X without #define X: a conditional block */
        seen_code = 1;
      }
    }
    pos = next;
  }
  if (have_include) return after_include;
  return after_guard <= before ? after_guard : 0;
}

int dg_system_path(const char *path) { return strncmp(path, "/usr/", 5) == 0; }

int dg_ident_char(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

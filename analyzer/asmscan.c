/* SPDX-License-Identifier: MIT */
/*
 * asmscan.c - parsing GNU inline asm statements and classifying templates.
 *
 * The parser reads C tokens only as far as the statement's shape needs:
 * string literals (concatenated and unescaped), balanced parentheses of
 * operand expressions, comments and backslash-newlines (the text may come
 * from a macro definition).  The classifier splits the template into
 * instructions at newlines and `;`, strips labels and prefixes, and looks
 * each mnemonic up in small sorted tables.  Anything it does not know is
 * AS_OTHER: the caller treats the statement as not understood.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asmscan.h"

/* ---- reading the statement ------------------------------------------------ */
typedef struct as_rd {
  const char *p, *end;
} as_rd;

static void as_space(as_rd *r) {
  while (r->p < r->end) {
    if (isspace((unsigned char)*r->p)) {
      r->p++;
    } else if (*r->p == '\\' && r->p + 1 < r->end && (r->p[1] == '\n' || r->p[1] == '\r')) {
      r->p += 2; /* line continuation inside a macro definition */
    } else if (*r->p == '/' && r->p + 1 < r->end && r->p[1] == '*') {
      const char *e = r->p + 2;
      while (e + 1 < r->end && !(e[0] == '*' && e[1] == '/')) e++;
      r->p = e + 1 < r->end ? e + 2 : r->end;
    } else if (*r->p == '/' && r->p + 1 < r->end && r->p[1] == '/') {
      while (r->p < r->end && *r->p != '\n') r->p++;
    } else {
      break;
    }
  }
}

static int as_ident_char(int c) { return c == '_' || isalnum(c) || c == '$'; }

/* Reads an identifier into w (truncated); returns its length, 0 if none. */
static size_t as_ident(as_rd *r, char *w, size_t n) {
  as_space(r);
  size_t k = 0;
  while (r->p < r->end && as_ident_char((unsigned char)*r->p)) {
    if (k + 1 < n) w[k] = *r->p;
    k++;
    r->p++;
  }
  if (n) w[k < n ? k : n - 1] = '\0';
  return k;
}

static int as_peek(as_rd *r, char c) {
  as_space(r);
  return r->p < r->end && *r->p == c;
}

static int as_eat(as_rd *r, char c) {
  if (!as_peek(r, c)) return 0;
  r->p++;
  return 1;
}

static void as_put(char *out, size_t cap, size_t *len, int *trunc, char c) {
  if (*len + 1 < cap) out[(*len)++] = c;
  else *trunc = 1;
}

/* One escape sequence after the backslash; appends the byte. */
static void as_escape(as_rd *r, char *out, size_t cap, size_t *len, int *trunc) {
  char c = *r->p++;
  int v;
  switch (c) {
  case 'n': v = '\n'; break;
  case 't': v = '\t'; break;
  case 'r': v = '\r'; break;
  case 'a': v = '\a'; break;
  case 'b': v = '\b'; break;
  case 'f': v = '\f'; break;
  case 'v': v = '\v'; break;
  case 'x':
    v = 0;
    while (r->p < r->end && isxdigit((unsigned char)*r->p)) {
      int d = *r->p++;
      v = v * 16 + (isdigit(d) ? d - '0' : tolower(d) - 'a' + 10);
    }
    break;
  default:
    if (c >= '0' && c <= '7') {
      v = c - '0';
      for (int i = 0; i < 2 && r->p < r->end && *r->p >= '0' && *r->p <= '7'; i++) v = v * 8 + (*r->p++ - '0');
    } else {
      v = c; /* \\ \" \' \? */
    }
  }
  as_put(out, cap, len, trunc, (char)v);
}

/* A string literal at r (after spaces), unescaped and appended to out. */
static int as_string(as_rd *r, char *out, size_t cap, size_t *len, int *trunc) {
  as_space(r);
  if (r->p >= r->end || *r->p != '"') return -1;
  r->p++;
  while (r->p < r->end && *r->p != '"') {
    if (*r->p == '\n') return -1;
    if (*r->p == '\\' && r->p + 1 < r->end) {
      if (r->p[1] == '\n') {
        r->p += 2;
        continue;
      }
      r->p++;
      as_escape(r, out, cap, len, trunc);
      continue;
    }
    as_put(out, cap, len, trunc, *r->p++);
  }
  if (r->p >= r->end) return -1;
  r->p++;
  if (cap) out[*len < cap ? *len : cap - 1] = '\0';
  return 0;
}

/* Skips a balanced token run up to (not past) a `:` `,` or `)` at depth 0. */
static int as_skip_to(as_rd *r, const char *stops) {
  int depth = 0;
  while (r->p < r->end) {
    char c = *r->p;
    if (depth == 0 && strchr(stops, c)) return 0;
    if (c == '"' || c == '\'') {
      char q = c;
      for (r->p++; r->p < r->end && *r->p != q; r->p++)
        if (*r->p == '\\') r->p++;
      if (r->p >= r->end) return -1;
      r->p++;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') depth++;
    if (c == ')' || c == ']' || c == '}') {
      if (--depth < 0) return -1;
    }
    r->p++;
    as_space(r);
  }
  return -1;
}

/* One operand list (outputs or inputs): `[name] "c" (expr), ...`. */
static int as_operands(as_rd *r, as_stmt *s, int *count) {
  if (as_peek(r, ':') || as_peek(r, ')')) return 0;
  for (;;) {
    if (as_eat(r, '[')) {
      char w[64];
      as_ident(r, w, sizeof w);
      if (!as_eat(r, ']')) return -1;
    }
    int idx = s->noutputs + s->ninputs;
    char c[16] = "";
    size_t n = 0;
    int trunc = 0;
    if (as_peek(r, '"')) {
      while (as_peek(r, '"'))
        if (as_string(r, c, sizeof c, &n, &trunc) < 0) return -1;
    } else if (as_skip_to(r, "(") < 0) { /* a macro as constraint: unknown */
      return -1;
    }
    if (!as_eat(r, '(')) return -1;
    if (as_skip_to(r, ")") < 0 || !as_eat(r, ')')) return -1;
    if (idx < AS_MAX_OPS) memcpy(s->constraint[idx], c, sizeof c);
    (*count)++;
    if (!as_eat(r, ',')) return 0;
  }
}

int as_parse(const char *text, size_t len, as_stmt *s) {
  memset(s, 0, sizeof *s);
  as_rd r = {text, text + len};
  char w[32];
  as_ident(&r, w, sizeof w);
  if (strcmp(w, "asm") && strcmp(w, "__asm") && strcmp(w, "__asm__")) return -1;
  for (;;) {
    const char *save = r.p;
    if (!as_ident(&r, w, sizeof w)) break;
    if (!strcmp(w, "goto") || strstr(w, "volatile") || strstr(w, "inline")) continue;
    r.p = save;
    break;
  }
  if (!as_eat(&r, '(')) return -1;
  size_t n = 0;
  s->literal = 1;
  if (!as_peek(&r, '"')) s->literal = 0;
  while (s->literal && as_peek(&r, '"'))
    if (as_string(&r, s->tmpl, sizeof s->tmpl, &n, &s->truncated) < 0) return -1;
  if (!as_peek(&r, ':') && !as_peek(&r, ')')) {
    s->literal = 0; /* a macro or identifier in the template */
    if (as_skip_to(&r, ":)") < 0) return -1;
  }
  s->tmpl[n < sizeof s->tmpl ? n : sizeof s->tmpl - 1] = '\0';
  int section = 0;
  while (as_eat(&r, ':')) {
    section++;
    if (section == 1 && as_operands(&r, s, &s->noutputs) < 0) return -1;
    if (section == 2 && as_operands(&r, s, &s->ninputs) < 0) return -1;
    if (section == 3) {
      while (as_peek(&r, '"')) {
        char c[32] = "";
        size_t cn = 0;
        int t = 0;
        if (as_string(&r, c, sizeof c, &cn, &t) < 0) return -1;
        if (!strcmp(c, "memory")) s->memory = 1;
        if (!as_eat(&r, ',')) break;
      }
    }
    if (section == 4) {
      while (as_ident(&r, w, sizeof w)) {
        s->labels++;
        if (!as_eat(&r, ',')) break;
      }
    }
    if (section > 4) return -1;
  }
  if (!as_eat(&r, ')')) return -1;
  s->ok = 1;
  return 0;
}

/* ---- classifying the template --------------------------------------------- */
static int as_in(const char *w, const char *const *list, size_t n) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = strcmp(w, list[mid]);
    if (!c) return 1;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return 0;
}
#define AS_IN(w, list) as_in((w), (list), sizeof(list) / sizeof(list)[0])

/* Plain computation, memory ordering and hints (x86 and AArch64), sorted.
 * x86 AT&T size suffixes (b, w, l, q) are stripped before a second lookup. */
static const char *const as_plain[] = {
    "adc",     "adcs",     "add",         "adds",       "adr",        "adrp",       "and",       "andn",       "ands",
    "asr",     "bextr",    "bic",         "bics",       "blsi",       "blsmsk",     "blsr",      "bsf",        "bsr",
    "bswap",   "bt",       "btc",         "btr",        "bts",        "bzhi",       "cas",       "casa",       "casab",
    "casah",   "casal",    "casalb",      "casalh",     "casb",       "cash",       "casl",      "caslb",      "caslh",
    "cbw",     "cdq",      "cdqe",        "cinc",       "clc",        "cld",        "clflush",   "clflushopt", "clrex",
    "cls",     "cltd",     "cltq",        "clwb",       "clz",        "cmc",        "cmn",       "cmp",        "cmps",
    "cmpsb",   "cmpxchg",  "cmpxchg16b",  "cmpxchg8b",  "cneg",       "cqo",        "cqto",      "crc32",      "csel",
    "cset",    "csetm",    "csinc",       "csinv",      "csneg",      "cwd",        "cwde",      "cwtl",       "dec",
    "div",     "dmb",      "dsb",         "endbr32",    "endbr64",    "eon",        "eor",       "extr",       "idiv",
    "imul",    "inc",      "isb",         "lahf",       "ldadd",      "ldadda",     "ldaddal",   "ldaddl",     "ldar",
    "ldarb",   "ldarh",    "ldaxp",       "ldaxr",      "ldaxrb",     "ldaxrh",     "ldclr",     "ldclral",    "ldeor",
    "ldeoral", "ldp",      "ldr",         "ldrb",       "ldrh",       "ldrsb",      "ldrsh",     "ldrsw",      "ldset",
    "ldsetal", "ldur",     "ldxp",        "ldxr",       "ldxrb",      "ldxrh",      "lea",       "lfence",     "lods",
    "lodsb",   "lsl",      "lsr",         "lzcnt",      "madd",       "mfence",     "mneg",      "mov",        "movabs",
    "movbe",   "movk",     "movn",        "movnti",     "movs",       "movsb",      "movsbl",    "movsbq",     "movsbw",
    "movslq",  "movswl",   "movswq",      "movsx",      "movsxd",     "movz",       "movzbl",    "movzbq",     "movzbw",
    "movzwl",  "movzwq",   "movzx",       "msub",       "mul",        "mulx",       "mvn",       "neg",        "negs",
    "nop",     "not",      "or",          "orn",        "orr",        "pause",      "pdep",      "pext",       "pop",
    "popcnt",  "prefetch", "prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2", "prefetchw", "prfm",       "push",
    "pushf",   "rbit",     "rcl",         "rcr",        "rdrand",     "rdseed",     "rdtsc",     "rev",        "rev16",
    "rev32",   "rol",      "ror",         "rorx",       "sahf",       "sal",        "sar",       "sarx",       "sbb",
    "sbc",     "sbcs",     "scas",        "scasb",      "sdiv",       "sev",        "sevl",      "sfence",     "shl",
    "shld",    "shlx",     "shr",         "shrd",       "shrx",       "smaddl",     "smulh",     "smull",      "stc",
    "std",     "stlr",     "stlrb",       "stlrh",      "stlxp",      "stlxr",      "stlxrb",    "stlxrh",     "stos",
    "stosb",   "stp",      "str",         "strb",       "strh",       "stur",       "stxp",      "stxr",       "stxrb",
    "stxrh",   "sub",      "subs",        "swp",        "swpa",       "swpal",      "swpl",      "sxtb",       "sxth",
    "sxtw",    "test",     "tst",         "tzcnt",      "udiv",       "umaddl",     "umulh",     "umull",      "uxtb",
    "uxth",    "wfe",      "xadd",        "xchg",       "xgetbv",     "xlat",       "xor",       "yield",
};

/* Instructions a `lock` prefix is valid on (any other raises #UD: SIGILL). */
static const char *const as_lockable[] = {"adc",        "add",       "and",  "btc",  "btr", "bts", "cmpxchg",
                                          "cmpxchg16b", "cmpxchg8b", "dec",  "inc",  "neg", "not", "or",
                                          "sbb",        "sub",       "xadd", "xchg", "xor"};

/* Instruction prefixes that are followed by the instruction proper. */
static const char *const as_prefixes[] = {"bnd",  "data16", "lock",  "notrack", "rep",
                                          "repe", "repne",  "repnz", "repz",    "rex64"};

/* Calls and unconditional jumps; conditional x86 jumps are j* below. */
static const char *const as_calls[] = {"b", "bl", "blr", "br", "call", "calll", "callq", "jmp", "jmpl", "jmpq"};
static const char *const as_xjumps[] = {
    "ja",   "jae", "jb",   "jbe", "jc",    "jcxz", "je",   "jecxz", "jg",    "jge",    "jl",     "jle",  "jna",
    "jnae", "jnb", "jnbe", "jnc", "jne",   "jng",  "jnge", "jnl",   "jnle",  "jno",    "jnp",    "jns",  "jnz",
    "jo",   "jp",  "jpe",  "jpo", "jrcxz", "js",   "jz",   "loop",  "loope", "loopne", "loopnz", "loopz"};
static const char *const as_armbranch[] = {"cbnz", "cbz", "tbnz", "tbz"};

/* Thread pointer and CPU identity instructions. */
static const char *const as_tls_insns[] = {"rdfsbase", "rdgsbase", "rdpid", "rdtscp", "swapgs", "wrfsbase", "wrgsbase"};
/* Instructions that stop the program (SIGILL, SIGTRAP, SIGSEGV in user mode). */
static const char *const as_traps[] = {"brk", "hlt", "icebp", "int1", "int3", "into", "ud0", "ud1", "ud2", "udf"};

static void as_copy(char *dst, size_t n, const char *src) {
  size_t k = strlen(src);
  if (k >= n) k = n - 1;
  memcpy(dst, src, k);
  dst[k] = '\0';
}

static void as_set(as_class *c, unsigned flag, char *what, size_t n, const char *text) {
  if (!(c->flags & flag)) as_copy(what, n, text);
  c->flags |= flag;
}

/* Is the text a reference to a thread-pointer register (case-insensitive)? */
static const char *as_find_tls_reg(const char *t) {
  for (const char *p = t; *p; p++) {
    char a = (char)tolower((unsigned char)p[0]), b = a ? (char)tolower((unsigned char)p[1]) : 0;
    if ((a == 'f' || a == 'g') && b == 's') {
      int before = p == t ? 0 : (unsigned char)p[-1];
      int after = (unsigned char)p[2];
      if (before == '%' && !as_ident_char(after)) return a == 'f' ? "%fs" : "%gs";
      if (after == ':' && before != '%' && !as_ident_char(before)) return a == 'f' ? "fs:" : "gs:";
    }
    if (a == 't' && !strncasecmp(p, "tpidr", 5) && (p == t || !as_ident_char((unsigned char)p[-1]))) return "tpidr";
  }
  return NULL;
}

static long as_number(const char *s) {
  while (*s == '$' || *s == '#' || isspace((unsigned char)*s)) s++;
  if (!isdigit((unsigned char)*s)) return -1;
  char *end;
  long v = strtol(s, &end, 0);
  return end == s ? -1 : v;
}

/* The register named by an operand ("%eax", "x8", "rax"), lowercased. */
static void as_reg(const char *s, char *out, size_t n) {
  while (*s == '%' || isspace((unsigned char)*s)) s++;
  size_t k = 0;
  while (as_ident_char((unsigned char)s[k]) && k + 1 < n) {
    out[k] = (char)tolower((unsigned char)s[k]);
    k++;
  }
  out[k] = '\0';
}

/* `mov $N, %eax` (AT&T), `mov eax, N` (Intel), `mov x8, #N` (AArch64):
 * remember N as the system call number. */
static void as_mov_nr(as_class *c, const char *ops) {
  const char *comma = strchr(ops, ',');
  if (!comma) return;
  char a[64], b[64];
  size_t la = (size_t)(comma - ops);
  as_copy(a, sizeof a < la + 1 ? sizeof a : la + 1, ops);
  as_copy(b, sizeof b, comma + 1);
  char ra[16], rb[16];
  as_reg(a, ra, sizeof ra);
  as_reg(b, rb, sizeof rb);
  int sc_b = !strcmp(rb, "eax") || !strcmp(rb, "rax");
  int sc_a = !strcmp(ra, "eax") || !strcmp(ra, "rax") || !strcmp(ra, "x8") || !strcmp(ra, "w8");
  if (sc_b && strchr(a, '$')) c->sc_nr = as_number(a);
  else if (sc_a && !strchr(b, '%')) c->sc_nr = as_number(b);
}

/* A call or jump target: a local label, a symbol, or something indirect. */
/* Does the template define label `sym` (`sym:` at the start of a
 * statement)?  A jump there stays inside the asm statement. */
static int as_defines_label(const char *tmpl, const char *sym) {
  size_t n = strlen(sym);
  for (const char *p = strstr(tmpl, sym); p; p = strstr(p + 1, sym)) {
    const char *b = p;
    while (b > tmpl && (b[-1] == ' ' || b[-1] == '\t')) b--;
    if ((b == tmpl || b[-1] == '\n' || b[-1] == ';' || b[-1] == ':') && p[n] == ':') return 1;
  }
  return 0;
}

static void as_target(as_class *c, const char *tmpl, const char *mn, const char *ops) {
  while (isspace((unsigned char)*ops)) ops++;
  if (!strcmp(mn, "tbz") || !strcmp(mn, "tbnz") || !strcmp(mn, "cbz") || !strcmp(mn, "cbnz")) {
    const char *last = strrchr(ops, ',');
    if (last) ops = last + 1;
    while (isspace((unsigned char)*ops)) ops++;
  }
  if (!strcmp(mn, "blr") || !strcmp(mn, "br") || *ops == '*' || *ops == '(') {
    as_set(c, AS_INDIRECT, c->other_what, sizeof c->other_what, mn);
    return;
  }
  if (*ops == '%') { /* %l[label] / %l0: a C label of asm goto; %P0 etc: an operand */
    if (ops[1] == 'l' && (ops[2] == '[' || isdigit((unsigned char)ops[2]))) return;
    as_set(c, AS_INDIRECT, c->other_what, sizeof c->other_what, mn);
    return;
  }
  if (isdigit((unsigned char)*ops)) {
    size_t k = 0;
    while (isdigit((unsigned char)ops[k])) k++;
    if ((ops[k] == 'f' || ops[k] == 'b') && !as_ident_char((unsigned char)ops[k + 1])) return; /* 1f, 2b */
    as_set(c, AS_INDIRECT, c->other_what, sizeof c->other_what, mn);
    return;
  }
  if (ops[0] == '.' && ops[1] == 'L') return;
  char sym[64];
  size_t k = 0;
  while ((as_ident_char((unsigned char)ops[k]) || ops[k] == '.') && k + 1 < sizeof sym) sym[k] = ops[k], k++;
  sym[k] = '\0';
  if (!k || sym[0] == '$') {
    as_set(c, AS_INDIRECT, c->other_what, sizeof c->other_what, mn);
    return;
  }
  if (as_defines_label(tmpl, sym)) return;
  c->flags |= AS_CALL;
  for (int i = 0; i < c->ncalls; i++)
    if (!strcmp(c->calls[i], sym)) return;
  if (c->ncalls < AS_MAX_CALLS) as_copy(c->calls[c->ncalls++], sizeof c->calls[0], sym);
  else as_set(c, AS_INDIRECT, c->other_what, sizeof c->other_what, mn); /* too many to record */
}

/* Reads the mnemonic at *p (lowercased) and advances past it. */
static void as_mnemonic(const char **p, char *mn, size_t n) {
  size_t k = 0;
  while (**p == ' ' || **p == '\t') (*p)++;
  while ((as_ident_char((unsigned char)**p) || **p == '.') && k + 1 < n)
    mn[k++] = (char)tolower((unsigned char)*(*p)++);
  mn[k] = '\0';
  while (as_ident_char((unsigned char)**p) || **p == '.') (*p)++;
}

static int as_plain_insn(const char *mn) {
  if (AS_IN(mn, as_plain)) return 1;
  size_t n = strlen(mn);
  if (!strncmp(mn, "cmov", 4) || (!strncmp(mn, "set", 3) && n > 3)) return 1;
  if (n > 1 && strchr("bwlq", mn[n - 1])) {
    char base[32];
    as_copy(base, sizeof base < n ? sizeof base : n, mn);
    return AS_IN(base, as_plain);
  }
  return 0;
}

/* One instruction: mn is its mnemonic, ops the rest of the statement. */
static void as_insn(as_class *c, const char *tmpl, const char *mn, const char *ops) {
  if (mn[0] == '.') {
    if (strcmp(mn, ".p2align") && strcmp(mn, ".align") && strcmp(mn, ".balign"))
      as_set(c, AS_OTHER, c->other_what, sizeof c->other_what, mn);
    return;
  }
  if (AS_IN(mn, as_tls_insns)) {
    as_set(c, AS_TLS, c->tls_what, sizeof c->tls_what, mn);
    return;
  }
  if (AS_IN(mn, as_traps)) {
    as_set(c, AS_TRAP, c->trap_what, sizeof c->trap_what, mn);
    return;
  }
  if (!strcmp(mn, "int")) {
    long v = as_number(ops);
    if (v == 3) as_set(c, AS_TRAP, c->trap_what, sizeof c->trap_what, "int $3");
    else if (v == 0x80) c->flags |= AS_SYSCALL, c->sc_kind = AS_SC_I386;
    else as_set(c, AS_OTHER, c->other_what, sizeof c->other_what, "int");
    return;
  }
  if (!strcmp(mn, "syscall") || !strcmp(mn, "sysenter") || !strcmp(mn, "svc")) {
    c->flags |= AS_SYSCALL;
    c->sc_kind = !strcmp(mn, "svc") ? AS_SC_AARCH64 : !strcmp(mn, "sysenter") ? AS_SC_I386 : AS_SC_X86_64;
    return;
  }
  if (AS_IN(mn, as_calls) || AS_IN(mn, as_xjumps) || AS_IN(mn, as_armbranch) || !strncmp(mn, "b.", 2)) {
    as_target(c, tmpl, mn, ops);
    return;
  }
  if (!strcmp(mn, "mrs")) { /* AArch64 system register reads: only the timer */
    if (!strstr(ops, "cntvct_el0") && !strstr(ops, "cntfrq_el0"))
      as_set(c, AS_OTHER, c->other_what, sizeof c->other_what, mn);
    return;
  }
  if (!as_plain_insn(mn)) {
    as_set(c, AS_OTHER, c->other_what, sizeof c->other_what, mn);
    return;
  }
  if (!strncmp(mn, "mov", 3)) as_mov_nr(c, ops);
}

/* One statement of the template (between newlines or `;`). */
static int as_lockable_insn(const char *mn) {
  if (AS_IN(mn, as_lockable)) return 1;
  size_t n = strlen(mn);
  char base[32];
  if (n < 2 || !strchr("bwlq", mn[n - 1])) return 0;
  as_copy(base, sizeof base < n ? sizeof base : n, mn);
  return AS_IN(base, as_lockable);
}

static void as_statement(as_class *c, const char *tmpl, const char *s, int *insns, int *locked) {
  for (;;) { /* labels: `1:`, `name:` */
    const char *p = s;
    while (*p == ' ' || *p == '\t') p++;
    const char *q = p;
    while (as_ident_char((unsigned char)*q) || *q == '.') q++;
    if (q > p && *q == ':') s = q + 1;
    else break;
  }
  while (*s == ' ' || *s == '\t') s++;
  if (!*s || *s == '#' || (s[0] == '/' && s[1] == '/')) return;
  char mn[32];
  const char *p = s;
  as_mnemonic(&p, mn, sizeof mn);
  while (mn[0] && AS_IN(mn, as_prefixes)) {
    (*insns)++;
    if (!strcmp(mn, "lock")) *locked = 1;
    as_mnemonic(&p, mn, sizeof mn);
  }
  if (!mn[0]) {
    if (*p) as_set(c, AS_OTHER, c->other_what, sizeof c->other_what, s);
    return; /* a prefix alone (`lock;`): it applies to the next statement */
  }
  (*insns)++;
  if (*locked && !as_lockable_insn(mn)) as_set(c, AS_OTHER, c->other_what, sizeof c->other_what, "lock"); /* #UD */
  *locked = 0;
  as_insn(c, tmpl, mn, p);
}

void as_classify(const char *tmpl, as_class *c) {
  memset(c, 0, sizeof *c);
  c->sc_nr = -1;
  const char *reg = as_find_tls_reg(tmpl);
  if (reg) as_set(c, AS_TLS, c->tls_what, sizeof c->tls_what, reg);
  int insns = 0, locked = 0;
  char line[512];
  const char *p = tmpl;
  while (*p) {
    size_t k = 0;
    while (p[k] && p[k] != '\n' && p[k] != ';' && p[k] != '\r') k++;
    if (k >= sizeof line) {
      as_set(c, AS_OTHER, c->other_what, sizeof c->other_what, "(long line)");
    } else {
      memcpy(line, p, k);
      line[k] = '\0';
      as_statement(c, tmpl, line, &insns, &locked);
    }
    p += k;
    if (*p) p++;
  }
  if (!insns) c->flags |= AS_EMPTY;
}

static int as_sorted(const char *const *v, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (strcmp(v[i - 1], v[i]) >= 0) return 0;
  return 1;
}
#define AS_SORTED(list) as_sorted((list), sizeof(list) / sizeof(list)[0])

int as_self_check(void) {
  return AS_SORTED(as_plain) && AS_SORTED(as_prefixes) && AS_SORTED(as_lockable) && AS_SORTED(as_calls) &&
                 AS_SORTED(as_xjumps) && AS_SORTED(as_armbranch) && AS_SORTED(as_tls_insns) && AS_SORTED(as_traps)
             ? 0
             : -1;
}

int as_is_exit(int kind, long nr) {
  switch (kind) {
  case AS_SC_X86_64: return nr == 60 || nr == 231;
  case AS_SC_I386: return nr == 1 || nr == 252;
  case AS_SC_AARCH64: return nr == 93 || nr == 94;
  default: return 0;
  }
}

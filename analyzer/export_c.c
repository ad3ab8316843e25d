/* SPDX-License-Identifier: MIT */
/*
 * export_c.c - the C verdict table for the runtime shim (fnprop export --format=c).
 *
 * Invariant: deterministic output that compiles cleanly against exactly one
 * fnprop_rt.h layout (XC_TABLE_ABI); every byte of a name or path survives
 * the round trip through the C compiler.  No libclang, no SQLite: the CLI
 * reads the properties and hands them over as plain structs.
 */
#include "export_c.h"

/* Sticky error: once a write failed, the rest is skipped and -1 returned. */
typedef struct xc_out {
  FILE *f;
  int err;
} xc_out;

static void xc_puts(xc_out *o, const char *s) {
  if (!o->err && fputs(s, o->f) == EOF) o->err = 1;
}

static void xc_putc(xc_out *o, int c) {
  if (!o->err && putc(c, o->f) == EOF) o->err = 1;
}

static void xc_uint(xc_out *o, unsigned long v) {
  if (!o->err && fprintf(o->f, "%lu", v) < 0) o->err = 1;
}

static void xc_string(xc_out *o, const char *s) {
  static const char oct[] = "01234567";
  xc_putc(o, '"');
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && !o->err; p++) {
    unsigned c = *p;
    switch (c) {
    case '"': xc_puts(o, "\\\""); break;
    case '\\': xc_puts(o, "\\\\"); break;
    case '\n': xc_puts(o, "\\n"); break;
    case '\t': xc_puts(o, "\\t"); break;
    case '\r': xc_puts(o, "\\r"); break;
    case '?': xc_puts(o, "\\?"); break; /* never a trigraph */
    default:
      if (c < 0x20 || c >= 0x7f) {
        /* Always three digits, so a following digit is not swallowed. */
        xc_putc(o, '\\');
        xc_putc(o, oct[(c >> 6) & 7]);
        xc_putc(o, oct[(c >> 3) & 7]);
        xc_putc(o, oct[c & 7]);
      } else {
        xc_putc(o, (int)c);
      }
    }
  }
  xc_putc(o, '"');
}

int xc_write_string(FILE *out, const char *s) {
  xc_out o = {out, 0};
  xc_string(&o, s);
  return o.err ? -1 : 0;
}

static void xc_header(xc_out *o, size_t n) {
  xc_puts(o, XC_TABLE_MARKER "verdicts for the fnprop runtime\n"
                             " * shim (fnprop_rt.h).  Do not edit; regenerate after changing the sources.\n"
                             " * Functions: ");
  xc_uint(o, (unsigned long)n);
  xc_puts(o, ".  Row: name, file, external, tls, panic, migrate (0 proven,\n"
             " * 1 unknown, 2 violated). */\n"
             "#include <fnprop_rt.h>\n\n"
             "#if FNPROP_RT_TABLE_ABI != ");
  xc_uint(o, XC_TABLE_ABI);
  xc_puts(o, "\n#error \"fnprop verdict table: written for another fnprop_rt.h; regenerate it\"\n"
             "#endif\n\n");
}

static void xc_row(xc_out *o, const xc_entry *e) {
  xc_puts(o, "  {");
  xc_string(o, e->name);
  xc_puts(o, ", ");
  xc_string(o, e->file);
  xc_puts(o, e->external ? ", 1, " : ", 0, ");
  xc_uint(o, e->tls);
  xc_puts(o, ", ");
  xc_uint(o, e->panic);
  xc_puts(o, ", ");
  xc_uint(o, e->migrate);
  xc_puts(o, "},\n");
}

int xc_write(FILE *out, const xc_entry *entries, size_t n, const char *analysis_hash) {
  xc_out o = {out, 0};
  if (!out || (n && !entries)) return -1;
  xc_header(&o, n);
  if (n) {
    xc_puts(&o, "static const fnprop_rt_row fnprop_rt_rows_[] = {\n");
    for (size_t i = 0; i < n && !o.err; i++) xc_row(&o, &entries[i]);
    xc_puts(&o, "};\n\n");
  }
  xc_puts(&o, "const fnprop_rt_table fnprop_rt_verdicts = {\n  ");
  xc_uint(&o, XC_TABLE_ABI);
  xc_puts(&o, ",\n  ");
  xc_string(&o, analysis_hash);
  xc_puts(&o, n ? ",\n  sizeof fnprop_rt_rows_ / sizeof fnprop_rt_rows_[0],\n  fnprop_rt_rows_\n};\n"
                : ",\n  0,\n  (const fnprop_rt_row *)0\n};\n");
  if (!o.err && fflush(out) == EOF) o.err = 1;
  return o.err || ferror(out) ? -1 : 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * asmscan.h - reads a GNU inline assembly statement from its source text
 * and classifies the instructions of its template (prefix as_).
 *
 * libclang shows an asm statement's operand expressions but not its
 * template, constraints or clobbers, so the front end hands this module the
 * statement's text (read at its spelling location) and acts on the result.
 * No libclang here: the module is plain text processing, tested alone.
 *
 * Key invariant: classification is closed-world.  An instruction is
 * harmless only if it is on the allow-list of plain computation, memory
 * ordering and hint instructions; every other mnemonic or assembler
 * directive sets AS_OTHER, which the front end turns into an "unseen code"
 * reason.  Thread-pointer access (`%fs`/`%gs`, `rdpid`, `rdtscp`,
 * `tpidr_el0`, ...) and traps (`ud2`, `int3`, `hlt`, ...) are recognized
 * anywhere in the template, before the allow-list is consulted.
 */
#ifndef FNPROP_ASMSCAN_H
#define FNPROP_ASMSCAN_H

#include <stddef.h>

#define AS_MAX_OPS   30
#define AS_MAX_CALLS 8
#define AS_TMPL_MAX  2048

/* One asm statement as written: `asm [qualifiers] (TEMPLATE [: outputs
 * [: inputs [: clobbers [: labels]]]])`. */
typedef struct as_stmt {
  int ok;                     /* the text has that shape */
  int literal;                /* the template is string literals only (no
                  macro or identifier in it) */
  int truncated;              /* the template did not fit tmpl */
  char tmpl[AS_TMPL_MAX];     /* the template with escapes decoded */
  int noutputs, ninputs;
  char constraint[AS_MAX_OPS][16]; /* outputs first, then inputs */
  int memory;                 /* "memory" among the clobbers */
  int labels;                 /* asm goto: number of C labels */
} as_stmt;

/* Parses the statement starting at text[0] (the `asm` keyword); len bounds
 * the read.  Returns 0 when it has the shape above (out->ok), -1 if not. */
int as_parse(const char *text, size_t len, as_stmt *out);

enum {
  AS_TLS = 1u << 0,      /* thread pointer or CPU identity: %fs/%gs, rdpid, ... */
  AS_TRAP = 1u << 1,     /* ud2, int3, hlt, brk, ...: ends the program */
  AS_SYSCALL = 1u << 2,  /* syscall, sysenter, int $0x80, svc */
  AS_CALL = 1u << 3,     /* calls or jumps to a named symbol (calls[]) */
  AS_INDIRECT = 1u << 4, /* calls or jumps through a register, memory or operand */
  AS_OTHER = 1u << 5,    /* an instruction or directive not on the allow-list */
  AS_EMPTY = 1u << 6,    /* no instruction at all (a compiler barrier) */
};

/* System-call conventions, for as_is_exit. */
enum { AS_SC_X86_64 = 0, AS_SC_I386 = 1, AS_SC_AARCH64 = 2 };

typedef struct as_class {
  unsigned flags;             /* AS_* */
  char tls_what[48];          /* the first thread-pointer use, e.g. "%fs" */
  char trap_what[48];         /* the first trap, e.g. "ud2" */
  char other_what[48];        /* the first instruction not understood */
  int sc_kind;                /* AS_SC_* of the system call instruction */
  long sc_nr;                 /* number the template itself loads, -1 if none */
  int ncalls;
  char calls[AS_MAX_CALLS][64]; /* symbols called or jumped to */
} as_class;

/* Classifies a decoded template. */
void as_classify(const char *tmpl, as_class *out);
/* Is nr the exit or exit_group system call of convention kind? */
int as_is_exit(int kind, long nr);

/* 0 when the mnemonic tables are sorted (binary search needs it). */
int as_self_check(void);

#endif /* FNPROP_ASMSCAN_H */

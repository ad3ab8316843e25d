/* SPDX-License-Identifier: MIT */
/*
 * diffcmd.c - `fnprop diff OLD.db NEW.db`: which external-linkage functions
 * lost or gained a property between two analyses (see diffcmd.h).
 *
 * Both sides are read once into sorted arrays (USR order) and merged; the
 * changes are then sorted by location for printing.  Witness paths for
 * losses are read from NEW through the witness walker.  Everything is read-only:
 * neither database is modified, and nothing is analyzed here.
 */
#include <getopt.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diffcmd.h"
#include "facts.h"
#include "pdb.h"
#include "util.h"
#include "verdict.h"
#include "vocab.h"
#include "witness.h"

enum { DF_EXIT_OK = 0, DF_EXIT_BREAKING = 1, DF_EXIT_USAGE = 2 };

/* One external function of one database; strings live in the side's arena. */
typedef struct df_fn {
  int64_t id;
  const char *usr, *name, *file;
  int line, col;
  uint32_t annots;
  int v[VD_NPROPS];
} df_fn;

typedef struct df_side {
  const char *path;
  pdb *db;
  struct {
    df_fn *v;
    size_t n, cap;
  } fns;
  ut_arena arena;
} df_side;

typedef enum df_kind { DF_LOST, DF_GAINED, DF_REMOVED, DF_ADDED } df_kind;
static const char *const df_kind_name[] = {"lost", "gained", "removed", "added"};

typedef struct df_change {
  df_kind kind;
  int prop;            /* vd_prop for lost/gained, -1 otherwise */
  const df_fn *old, *new; /* NULL for added / removed respectively */
  int contract;        /* carries the contract for prop (any, when prop < 0) */
  int breaking;        /* counts toward exit status 1 */
} df_change;

typedef struct df_opts {
  int json, only_annotated, strict, quiet;
  const char *old_path, *new_path;
} df_opts;

typedef struct df_run {
  df_opts o;
  df_side old, new;
  struct {
    df_change *v;
    size_t n, cap;
  } ch;
  long unchanged;
  char cwd[PATH_MAX];
} df_run;

static void df_usage(FILE *out) {
  fputs("usage: fnprop diff [options] OLD.db NEW.db\n"
        "\n"
        "Lists the !tls and !panic properties that public functions (external linkage,\n"
        "not hidden visibility, not named by internal-functions) lost\n"
        "or gained between two analyses (functions matched by USR).  On the lattice\n"
        "proven < unknown < violated, a move up is a loss, a move down a gain.\n"
        "\n"
        "options:\n"
        "  --only-annotated  a loss breaks only on a function carrying the matching\n"
        "                    FNPROP_NOTLS / FNPROP_NOPANIC contract (in either database)\n"
        "  --strict          a removed external function also breaks\n"
        "  --format=FMT      text (default) or json\n"
        "  --quiet           no summary on stderr\n"
        "  -h, --help        this help\n"
        "\n"
        "exit status: 0 nothing lost, 1 a property was lost (or, with --strict, a\n"
        "function removed), 2 usage errors or unusable databases\n",
        out);
}

/* ---- reading one side ----------------------------------------------------- */
static int df_collect(void *arg, const pdb_func *f) {
  df_side *s = arg;
  /* the public API: external and visible (hidden visibility and the
   * project's internal-functions are no one else's API) */
  if (vc_linkage_of(f->linkage) != VC_LINK_EXTERNAL || f->hidden) return 0;
  df_fn fn = {f->id,
              ut_arena_strdup(&s->arena, f->usr),
              ut_arena_strdup(&s->arena, f->name),
              ut_arena_strdup(&s->arena, f->file),
              f->line,
              f->col,
              f->annots,
              {f->verdict[0], f->verdict[1]}};
  if (s->arena.failed) return -1;
  return UT_PUSH(s->fns, fn);
}

static int df_by_usr(const void *a, const void *b) {
  const df_fn *x = a, *y = b;
  int c = strcmp(x->usr, y->usr);
  return c ? c : (x->id > y->id) - (x->id < y->id);
}

/* Opens path read-only and loads its external functions sorted by USR; an
 * external name defined in several places of one program is one node in the
 * database already, but join duplicates anyway so the merge stays simple. */
static int df_load(df_side *s, const char *path) {
  char err[1024];
  s->path = path;
  if (access(path, F_OK) != 0) {
    fprintf(stderr, "fnprop: error: database '%s' does not exist; run fnprop -p BUILD_DIR --db '%s' to create it\n",
            path, path);
    return -1;
  }
  if (!(s->db = pdb_open(path, 1, err, sizeof err))) {
    fprintf(stderr, "fnprop: error: %s\n", err);
    return -1;
  }
  if (pdb_each_func(s->db, NULL, df_collect, s) < 0) {
    fprintf(stderr, "fnprop: error: cannot read the results of '%s': %s\n", path, pdb_error(s->db));
    return -1;
  }
  if (s->fns.n) qsort(s->fns.v, s->fns.n, sizeof *s->fns.v, df_by_usr);
  size_t w = 0;
  for (size_t r = 0; r < s->fns.n; r++) {
    if (w && strcmp(s->fns.v[w - 1].usr, s->fns.v[r].usr) == 0) {
      df_fn *d = &s->fns.v[w - 1];
      d->annots |= s->fns.v[r].annots;
      for (int p = 0; p < VD_NPROPS; p++) d->v[p] = d->v[p] > s->fns.v[r].v[p] ? d->v[p] : s->fns.v[r].v[p];
      continue;
    }
    s->fns.v[w++] = s->fns.v[r];
  }
  s->fns.n = w;
  return 0;
}

static void df_side_free(df_side *s) {
  pdb_close(s->db);
  free(s->fns.v);
  ut_arena_free(&s->arena);
}

/* ---- comparing ------------------------------------------------------------ */
static int df_add(df_run *r, df_kind k, int prop, const df_fn *o, const df_fn *n) {
  uint32_t ann = (o ? o->annots : 0) | (n ? n->annots : 0);
  uint32_t want = prop >= 0 ? ft_contract_bit((vd_prop)prop) : FT_ANN_NOTLS | FT_ANN_NOPANIC;
  df_change c = {k, prop, o, n, (ann & want) != 0, 0};
  if (k == DF_LOST || (k == DF_REMOVED && r->o.strict)) c.breaking = !r->o.only_annotated || c.contract;
  return UT_PUSH(r->ch, c);
}

static int df_compare(df_run *r) {
  size_t i = 0, j = 0;
  const df_side *a = &r->old, *b = &r->new;
  while (i < a->fns.n || j < b->fns.n) {
    int c = i == a->fns.n ? 1 : j == b->fns.n ? -1 : strcmp(a->fns.v[i].usr, b->fns.v[j].usr);
    if (c < 0) {
      if (df_add(r, DF_REMOVED, -1, &a->fns.v[i++], NULL) < 0) return -1;
    } else if (c > 0) {
      if (df_add(r, DF_ADDED, -1, NULL, &b->fns.v[j++]) < 0) return -1;
    } else {
      const df_fn *o = &a->fns.v[i++], *n = &b->fns.v[j++];
      int same = 1;
      for (int p = 0; p < VD_NPROPS; p++) {
        if (o->v[p] == n->v[p]) continue;
        same = 0;
        if (df_add(r, n->v[p] > o->v[p] ? DF_LOST : DF_GAINED, p, o, n) < 0) return -1;
      }
      r->unchanged += same;
    }
  }
  return 0;
}

static const df_fn *df_where(const df_change *c) { return c->new ? c->new : c->old; }

static int df_by_location(const void *a, const void *b) {
  const df_change *x = a, *y = b;
  const df_fn *f = df_where(x), *g = df_where(y);
  int c = strcmp(f->file, g->file);
  if (c) return c;
  if (f->line != g->line) return f->line < g->line ? -1 : 1;
  if (f->col != g->col) return f->col < g->col ? -1 : 1;
  if ((c = strcmp(f->name, g->name))) return c;
  if ((c = strcmp(f->usr, g->usr))) return c;
  return x->prop - y->prop;
}

/* ---- text ----------------------------------------------------------------- */
static const char *df_vname(int v) { return v >= 0 && v <= VD_VIOLATED ? vd_name((vd_verdict)v) : "?"; }

static int df_print_witness(df_run *r, FILE *out, const df_change *c) {
  wt_path t = {0};
  int rc = wt_walk(r->new.db, NULL, c->new->id, c->prop, 0, &t);
  if (rc == 0) wt_write_text(out, &t, r->cwd, 0); /* write errors: the caller's fflush */
  wt_path_free(&t);
  return rc;
}

static int df_print_text(df_run *r, FILE *out) {
  for (size_t i = 0; i < r->ch.n; i++) {
    const df_change *c = &r->ch.v[i];
    const df_fn *f = df_where(c);
    fprintf(out, "%s:%d:%d: %s", ut_relpath(f->file, r->cwd), f->line, f->col, df_kind_name[c->kind]);
    if (c->prop >= 0) {
      fprintf(out, " %s: '%s' %s -> %s", vd_prop_name((vd_prop)c->prop), f->name, df_vname(c->old->v[c->prop]),
              df_vname(c->new->v[c->prop]));
      if (c->kind == DF_LOST && !c->breaking) fprintf(out, " (no %s contract)", ft_contract_name((vd_prop)c->prop));
    } else {
      fprintf(out, ": '%s' (tls %s, panic %s)", f->name, df_vname(f->v[VD_TLS]), df_vname(f->v[VD_PANIC]));
    }
    fputc('\n', out);
    if (c->kind == DF_LOST && df_print_witness(r, out, c) < 0) return -1;
  }
  return 0;
}

/* ---- JSON ----------------------------------------------------------------- */
static int df_json_witness(df_run *r, ut_buf *b, const df_change *c) {
  wt_path t = {0};
  int rc = wt_walk(r->new.db, NULL, c->new->id, c->prop, 0, &t);
  ut_buf_puts(b, ",\"witness\":");
  wt_write_json(b, &t);
  wt_path_free(&t);
  return rc;
}

static int df_print_json(df_run *r, FILE *out, long lost, long breaking, long gained, long removed, long added) {
  ut_buf b = {0};
  ut_buf_puts(&b, "{\"old\":");
  ut_buf_json(&b, r->old.path);
  ut_buf_puts(&b, ",\"new\":");
  ut_buf_json(&b, r->new.path);
  ut_buf_puts(&b, ",\"changes\":[");
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < r->ch.n; i++) {
    const df_change *c = &r->ch.v[i];
    const df_fn *f = df_where(c);
    ut_buf_printf(&b, "%s\n{\"change\":\"%s\",\"breaking\":%s,\"name\":", i ? "," : "", df_kind_name[c->kind],
                  c->breaking ? "true" : "false");
    ut_buf_json(&b, f->name);
    ut_buf_puts(&b, ",\"usr\":");
    ut_buf_json(&b, f->usr);
    ut_buf_puts(&b, ",\"file\":");
    ut_buf_json(&b, f->file);
    ut_buf_printf(&b, ",\"line\":%d,\"column\":%d,\"contract\":%s", f->line, f->col, c->contract ? "true" : "false");
    if (c->prop >= 0) {
      ut_buf_printf(&b, ",\"property\":\"%s\",\"old\":\"%s\",\"new\":\"%s\"", vd_prop_name((vd_prop)c->prop),
                    df_vname(c->old->v[c->prop]), df_vname(c->new->v[c->prop]));
      if (c->kind == DF_LOST) rc = df_json_witness(r, &b, c);
    } else {
      ut_buf_printf(&b, ",\"tls\":\"%s\",\"panic\":\"%s\"", df_vname(f->v[VD_TLS]), df_vname(f->v[VD_PANIC]));
    }
    ut_buf_puts(&b, "}");
  }
  ut_buf_printf(&b,
                "%s],\"summary\":{\"lost\":%ld,\"breaking\":%ld,\"gained\":%ld,\"removed\":%ld,\"added\":%ld,"
                "\"unchanged\":%ld}}\n",
                r->ch.n ? "\n" : "", lost, breaking, gained, removed, added, r->unchanged);
  if (rc == 0 && (b.failed || fwrite(b.s, 1, b.n, out) != b.n)) rc = -1;
  ut_buf_free(&b);
  return rc;
}

/* ---- command line --------------------------------------------------------- */
static int df_parse(df_opts *o, int argc, char **argv) {
  static const struct option longopts[] = {
      {"only-annotated", no_argument, NULL, 'a'}, {"strict", no_argument, NULL, 's'},
      {"format", required_argument, NULL, 'f'},   {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
  };
  optind = 1;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, ":hq", longopts, NULL)) != -1) {
    switch (ch) {
    case 'a': o->only_annotated = 1; break;
    case 's': o->strict = 1; break;
    case 'q': o->quiet = 1; break;
    case 'h': df_usage(stdout); return 1;
    case 'f':
      if (strcmp(optarg, "json") == 0) o->json = 1;
      else if (strcmp(optarg, "text") == 0 || strcmp(optarg, "clang") == 0) o->json = 0;
      else {
        fprintf(stderr, "fnprop: error: unknown diff format '%s'; expected 'text' or 'json'\n", optarg);
        return -1;
      }
      break;
    case ':': fprintf(stderr, "fnprop: error: option '%s' needs an argument\n", argv[optind - 1]); return -1;
    default:
      fprintf(stderr, "fnprop: error: unknown diff option '%s'; see fnprop diff --help\n", argv[optind - 1]);
      return -1;
    }
  }
  if (argc - optind != 2) {
    fprintf(stderr, "fnprop: error: diff needs two databases: fnprop diff OLD.db NEW.db\n");
    return -1;
  }
  o->old_path = argv[optind];
  o->new_path = argv[optind + 1];
  return 0;
}

int df_main(int argc, char **argv) {
  df_run r;
  memset(&r, 0, sizeof r);
  int p = df_parse(&r.o, argc, argv);
  if (p != 0) return p > 0 ? DF_EXIT_OK : DF_EXIT_USAGE;
  if (!getcwd(r.cwd, sizeof r.cwd)) r.cwd[0] = '\0';
  int status = DF_EXIT_USAGE;
  if (df_load(&r.old, r.o.old_path) < 0 || df_load(&r.new, r.o.new_path) < 0) goto done;
  if (df_compare(&r) < 0) {
    fprintf(stderr, "fnprop: error: out of memory comparing '%s' and '%s'\n", r.o.old_path, r.o.new_path);
    goto done;
  }
  if (r.ch.n) qsort(r.ch.v, r.ch.n, sizeof *r.ch.v, df_by_location);
  long n[4] = {0}, breaking = 0;
  for (size_t i = 0; i < r.ch.n; i++) {
    n[r.ch.v[i].kind]++;
    breaking += r.ch.v[i].breaking;
  }
  int rc = r.o.json ? df_print_json(&r, stdout, n[DF_LOST], breaking, n[DF_GAINED], n[DF_REMOVED], n[DF_ADDED])
                    : df_print_text(&r, stdout);
  if (rc < 0) {
    fprintf(stderr, "fnprop: error: cannot read the witness paths of '%s': %s\n", r.o.new_path, pdb_error(r.new.db));
    goto done;
  }
  if (fflush(stdout) != 0) {
    fprintf(stderr, "fnprop: error: cannot write the output\n");
    goto done;
  }
  if (!r.o.quiet)
    fprintf(stderr, "fnprop diff: %ld lost, %ld gained, %ld removed, %ld added, %ld unchanged; %ld breaking\n",
            n[DF_LOST], n[DF_GAINED], n[DF_REMOVED], n[DF_ADDED], r.unchanged, breaking);
  status = breaking ? DF_EXIT_BREAKING : DF_EXIT_OK;
done:
  df_side_free(&r.old);
  df_side_free(&r.new);
  free(r.ch.v);
  return status;
}

/* SPDX-License-Identifier: MIT */
/*
 * main.c - the fnprop command line.
 *
 *   fnprop [options] [files...]            analyze, print a summary
 *   fnprop export  [options] --format=jsonl|c
 *   fnprop explain [options] NAME
 *   fnprop hash    [options]                hash of the analysis inputs now
 *
 * Process-wide state and exit() live here only.  Exit status: 0 clean,
 * 1 findings or parse errors in the analyzed code, 2 usage or input errors.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buildcmd.h"
#include "compdb.h"
#include "config.h"
#include "diag.h"
#include "diffcmd.h"
#include "driver.h"
#include "pdb.h"
#include "report.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };
enum { CMD_CHECK, CMD_EXPORT, CMD_EXPLAIN, CMD_HASH };

typedef struct cli {
  int cmd;
  const char *build_dir;
  const char *db_path;
  const char *format;
  const char *dump;
  int jobs;
  int quiet;
  char **files;
  int nfiles;
  dg_opts diag;         /* the check command's diagnostics options */
  int list_checks;
  const char *config_file;
  struct { const char *key, *value; } cfg_opts[64]; /* analysis options, applied after .fnprop */
  int ncfg_opts;
  int lock_timeout;     /* seconds to wait for a locked database */
} cli;

/* Analysis options that override `.fnprop` keys of the same name. */
static const char *const cfg_option_keys[] = {"errno", "world", "indirect-calls", "library-models", "weak",
                                              "interposition", "unknown-externals", "panic-functions", "model"};

static void usage(FILE *out) {
  fputs("usage: fnprop [options] [files...]\n"
        "       fnprop export  [options] --format=jsonl|c\n"
        "       fnprop explain [options] NAME\n"
        "       fnprop hash    [options]\n"
        "       fnprop diff    [options] OLD.db NEW.db   (see fnprop diff --help)\n"
        "       fnprop extract -p DIR [--deps=FILE.d] -o OUT.facts SOURCE\n"
        "       fnprop merge   -p DIR [--db FILE] FACTS...\n"
        "\n"
        "Infers the !tls and !panic properties of every function of a C program\n"
        "and stores them, with their evidence, in an SQLite database.\n"
        "\n"
        "options:\n"
        "  -p DIR           build directory holding compile_commands.json (default:\n"
        "                   searched in the parents of the first file, then of .)\n"
        "  --db FILE        properties database (default: DIR/fnprop.db)\n"
        "  --format=FMT     check: clang (default), json or sarif; export: jsonl (default) or c\n"
        "  --dump=verdicts  print `file:line:col: name tls=V panic=V` per function\n"
        "  --dump=migrate   the same with the stage-3 `migrate=V` and its witness\n"
        "  -j N             parallel parser threads (default: available CPUs)\n"
        "  --lock-timeout=S wait at most S seconds for a database another process\n"
        "                   keeps locked (default 60)\n"
        "  --quiet          no progress, counts or summary on stderr\n"
        "\n"
        "analysis (override `.fnprop`; see docs/configuration.md):\n"
        "  --config-file=F  read F instead of the nearest .fnprop\n"
        "  --model=FILE     add a model file (repeatable; later files win)\n"
        "  --library-models=on|off     use the shipped library model (default on)\n"
        "  --indirect-calls=field|signature|unknown\n"
        "                   resolve calls through pointers (default field)\n"
        "  --world=closed|open         may pointers come from outside? (default closed)\n"
        "  --errno=tls|ignore          is errno a tls effect? (default tls)\n"
        "  --panic-functions=a,b       functions that count as aborting\n"
        "  --weak=unknown|trust, --interposition=assume|none,\n"
        "  --unknown-externals=unknown|clean\n"
        "\n"
        "diagnostics (the check command; clang-tidy semantics, see docs/diagnostics.md):\n"
        "  --checks=GLOBS   enable/disable checks: comma-separated globs, '-' negates,\n"
        "                   the last match wins (e.g. -*,fnprop-notls-*)\n"
        "  --warnings-as-errors=GLOBS\n"
        "                   report warnings of matching checks as errors\n"
        "  --header-filter=REGEX\n"
        "                   report diagnostics in headers only when the path matches\n"
        "                   (default: every header; '' none)\n"
        "  --export-fixes=FILE\n"
        "                   write fix-its as clang-tidy YAML for clang-apply-replacements\n"
        "  --color, --no-color\n"
        "                   colour diagnostics (default: when stdout is a terminal)\n"
        "  --list-checks    print the enabled checks and exit\n"
        "  files...         report only diagnostics located in these files (the whole\n"
        "                   program is still analyzed)\n"
        "  --version        print the version\n"
        "  -h, --help       this help\n"
        "\n"
        "exit status: 0 no errors, 1 errors (violations, parse errors, warnings made\n"
        "errors), 2 usage or input errors\n",
        out);
}

static int cli_parse(cli *c, int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},     {"format", required_argument, NULL, 'f'},
      {"dump", required_argument, NULL, 'D'},   {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
      {"jobs", required_argument, NULL, 'j'},   {"checks", required_argument, NULL, 'C'},
      {"warnings-as-errors", required_argument, NULL, 'W'}, {"header-filter", required_argument, NULL, 'H'},
      {"export-fixes", required_argument, NULL, 'X'},       {"color", no_argument, NULL, 'K'},
      {"no-color", no_argument, NULL, 'N'},                 {"list-checks", no_argument, NULL, 'L'},
      {"config-file", required_argument, NULL, 'F'},
      {"errno", required_argument, NULL, 1000},             {"world", required_argument, NULL, 1001},
      {"indirect-calls", required_argument, NULL, 1002},    {"library-models", required_argument, NULL, 1003},
      {"weak", required_argument, NULL, 1004},              {"interposition", required_argument, NULL, 1005},
      {"unknown-externals", required_argument, NULL, 1006}, {"panic-functions", required_argument, NULL, 1007},
      {"model", required_argument, NULL, 1008},
      {"lock-timeout", required_argument, NULL, 1100},
      {NULL, 0, NULL, 0},
  };
  char derr[512];
  int first = 1;
  if (argc > 1) {
    static const char *const cmds[] = {"export", "explain", "hash"};
    for (int i = 0; i < 3; i++)
      if (strcmp(argv[1], cmds[i]) == 0) c->cmd = i + 1, first = 2;
  }
  optind = first;
  opterr = 0;
  int ch;
  while ((ch = getopt_long(argc, argv, ":p:j:hq", longopts, NULL)) != -1) {
    switch (ch) {
    case 'p': c->build_dir = optarg; break;
    case 'd': c->db_path = optarg; break;
    case 'f': c->format = optarg; break;
    case 'D': c->dump = optarg; break;
    case 'q': c->quiet = 1; break;
    case 'C':
    case 'W':
    case 'H':
    case 'X': {
      const char *key = ch == 'C' ? "checks" : ch == 'W' ? "warnings-as-errors" : ch == 'H' ? "header-filter"
                                                                                           : "export-fixes";
      if (dg_opts_set(&c->diag, key, optarg, derr, sizeof derr) < 0) {
        fprintf(stderr, "fnprop: error: %s\n", derr);
        return -1;
      }
      break;
    }
    case 'F': c->config_file = optarg; break;
    case 1000: case 1001: case 1002: case 1003: case 1004: case 1005: case 1006: case 1007: case 1008:
      if (c->ncfg_opts == 64) {
        fprintf(stderr, "fnprop: error: too many analysis options\n");
        return -1;
      }
      c->cfg_opts[c->ncfg_opts].key = cfg_option_keys[ch - 1000];
      c->cfg_opts[c->ncfg_opts++].value = optarg;
      break;
    case 1100: {
      char *end;
      long t = strtol(optarg, &end, 10);
      if (*end || end == optarg || t < 0 || t > 86400) {
        fprintf(stderr, "fnprop: error: invalid --lock-timeout '%s'; expected seconds from 0 to 86400\n", optarg);
        return -1;
      }
      c->lock_timeout = (int)t;
      break;
    }
    case 'K': c->diag.color = 1; break;
    case 'N': c->diag.color = 0; break;
    case 'L': c->list_checks = 1; break;
    case 'j': {
      char *end;
      long j = strtol(optarg, &end, 10);
      if (*end || j < 1 || j > 1024) {
        fprintf(stderr, "fnprop: error: invalid job count '%s'; expected a number from 1 to 1024\n", optarg);
        return -1;
      }
      c->jobs = (int)j;
      break;
    }
    case 'h': usage(stdout); exit(EXIT_CLEAN);
    case 'V': printf("fnprop %s (libclang %d)\n", FNPROP_VERSION, FNPROP_LLVM_MAJOR); exit(EXIT_CLEAN);
    case ':': fprintf(stderr, "fnprop: error: option '%s' needs an argument\n", argv[optind - 1]); return -1;
    default: fprintf(stderr, "fnprop: error: unknown option '%s'; see fnprop --help\n", argv[optind - 1]); return -1;
    }
  }
  c->files = argv + optind;
  c->nfiles = argc - optind;
  if (c->dump && strcmp(c->dump, "verdicts") != 0 && strcmp(c->dump, "migrate") != 0) {
    fprintf(stderr, "fnprop: error: unknown --dump stage '%s'; expected 'verdicts' or 'migrate'\n", c->dump);
    return -1;
  }
  if (c->cmd == CMD_EXPORT && c->format && strcmp(c->format, "jsonl") && strcmp(c->format, "c")) {
    fprintf(stderr, "fnprop: error: unknown export format '%s'; expected 'jsonl' or 'c'\n", c->format);
    return -1;
  }
  if (c->cmd == CMD_CHECK && !c->dump) {
    c->diag.quiet = c->quiet;
    if (c->format && dg_opts_set(&c->diag, "format", c->format, derr, sizeof derr) < 0) {
      fprintf(stderr, "fnprop: error: %s\n", derr);
      return -1;
    }
    for (int i = 0; i < c->nfiles; i++)
      if (dg_opts_add_file(&c->diag, c->files[i], derr, sizeof derr) < 0) {
        fprintf(stderr, "fnprop: error: %s\n", derr);
        return -1;
      }
  }
  if (c->cmd == CMD_EXPLAIN && c->nfiles != 1) {
    fprintf(stderr, "fnprop: error: explain needs exactly one function name\n");
    return -1;
  }
  return 0;
}

static int default_jobs(void) {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

/* Resolves the build directory: -p, else search from the first file or cwd. */
static char *find_build_dir(const cli *c) {
  if (c->build_dir) return ut_strdup(c->build_dir);
  const char *start = c->cmd == CMD_CHECK && c->nfiles ? c->files[0] : ".";
  char *dir = cdb_find(start);
  if (!dir)
    fprintf(stderr, "fnprop: error: no compile_commands.json found in '%s' or its parents; pass -p with the build "
                    "directory (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON or bear generate one)\n", start);
  return dir;
}

/* Reads the configuration: --config-file, else the nearest .fnprop from the
 * first file's directory (or the build directory); then the command-line
 * overrides; then report keys the command line did not set. */
static int load_config(cli *c, cf_config *cfg, const char *build_dir, char *err, size_t errlen) {
  char *path = NULL;
  if (c->config_file) {
    path = ut_strdup(c->config_file);
  } else {
    char start[PATH_MAX];
    snprintf(start, sizeof start, "%s", c->cmd == CMD_CHECK && c->nfiles ? c->files[0] : build_dir);
    char *slash = strrchr(start, '/');
    if (c->cmd == CMD_CHECK && c->nfiles) {
      if (slash) *slash = '\0';
      else strcpy(start, ".");
    }
    path = cf_find(start);
  }
  int rc = path ? cf_load(cfg, path, err, errlen) : 0;
  free(path);
  for (int i = 0; rc == 0 && i < c->ncfg_opts; i++) {
    char origin[64];
    snprintf(origin, sizeof origin, "--%s", c->cfg_opts[i].key);
    const char *key = strcmp(c->cfg_opts[i].key, "model") ? c->cfg_opts[i].key : "models";
    rc = cf_set(cfg, key, c->cfg_opts[i].value, NULL, origin, err, errlen);
  }
  /* As clang-tidy does: the command line's globs go after the file's. */
  static const char *const report_keys[] = {"checks", "warnings-as-errors", "header-filter", "format"};
  for (int i = 0; rc == 0 && i < 4; i++) {
    const char *v = cf_report_key(cfg, report_keys[i]);
    if (v && (i < 3 || (c->cmd == CMD_CHECK && !c->dump && !c->format)))
      rc = dg_opts_set_base(&c->diag, report_keys[i], v, err, errlen);
  }
  return rc;
}

/* The database must not be a file the analysis reads: a source the
 * compile database names, or compile_commands.json itself (pdb_open
 * refuses other files that are not SQLite databases). */
static int db_path_ok(const char *path, const cdb *db, char *err, size_t errlen) {
  if (!cdb_is_input(db, path)) return 0;
  snprintf(err, errlen, "'%.600s' is an input of the analysis, not a database; fnprop will not write over it: "
           "choose another file with --db", path);
  return -1;
}

/* Entries of other languages are left out: one line says so. */
static void note_other_languages(const cdb *db) {
  size_t n = db->nlang[CDB_LANG_ASM] + db->nlang[CDB_LANG_CXX] + db->nlang[CDB_LANG_OTHER];
  if (!n) return;
  fprintf(stderr, "note: %zu compile database entr%s not analyzed (fnprop analyzes C only):", n, n == 1 ? "y" : "ies");
  const char *sep = " ";
  for (int l = CDB_LANG_ASM; l <= CDB_LANG_OTHER; l++)
    if (db->nlang[l]) {
      fprintf(stderr, "%s%zu %s", sep, db->nlang[l], cdb_lang_name(l));
      sep = ", ";
    }
  fputc('\n', stderr);
}

static int run(cli *c) {
  char err[1024];
  char *dir = find_build_dir(c);
  if (!dir) return EXIT_USAGE;
  cdb *db = cdb_load(dir, err, sizeof err);
  if (!db) {
    fprintf(stderr, "fnprop: error: %s\n", err);
    free(dir);
    return EXIT_USAGE;
  }
  char dbpath[PATH_MAX + 16];
  snprintf(dbpath, sizeof dbpath, "%s/fnprop.db", db->dir);
  pdb *store = NULL;
  if (db_path_ok(c->db_path ? c->db_path : dbpath, db, err, sizeof err) == 0) {
    store = pdb_open_timeout(c->db_path ? c->db_path : dbpath, 0, c->lock_timeout * 1000, err, sizeof err);
    if (store && pdb_bind_compdb(store, db->dir) < 0) {
      snprintf(err, sizeof err, "%s", pdb_error(store));
      pdb_close(store);
      store = NULL;
    }
  }
  free(dir);
  if (!store) {
    fprintf(stderr, "fnprop: error: %s\n", err);
    cdb_destroy(db);
    return EXIT_USAGE;
  }
  char cwd[PATH_MAX];
  rp_opts ro = {getcwd(cwd, sizeof cwd) ? cwd : NULL, NULL, 0};
  if (c->cmd == CMD_CHECK && c->nfiles > 0) { /* report only these files */
    ro.files = calloc((size_t)c->nfiles, sizeof *ro.files);
    for (int i = 0; ro.files && i < c->nfiles; i++) ro.files[i] = realpath(c->files[i], NULL);
    ro.nfiles = ro.files ? c->nfiles : 0;
  }
  int status = EXIT_CLEAN;
  cf_config cfg;
  cf_init(&cfg);
  dr_opts o = {c->jobs ? c->jobs : default_jobs(), !c->quiet && isatty(2), &cfg};
  if (load_config(c, &cfg, db->dir, err, sizeof err) < 0) goto fail;
  dr_stats st;
  if (c->cmd == CMD_HASH) {
    char h[DR_INPUTS_HASH_LEN];
    if (dr_inputs_hash(store, db, h, err, sizeof err) < 0) goto fail;
    printf("%s\n", h);
    if (fflush(stdout) != 0 || ferror(stdout)) {
      snprintf(err, sizeof err, "cannot write the output: %s", strerror(errno));
      goto fail;
    }
    goto done;
  }
  if (dr_update(&o, db, store, &st, err, sizeof err) < 0) goto fail;
  for (int i = 0; c->cmd == CMD_CHECK && i < c->nfiles; i++) { /* a file nothing reads is a mistake */
    char *real = realpath(c->files[i], NULL);
    int known = real ? pdb_is_input(store, real) : 1; /* missing files are reported by the diagnostics */
    free(real);
    if (known < 0) goto dberr;
    if (!known) {
      snprintf(err, sizeof err, "'%s' is not in the compile database '%s/compile_commands.json' and no translation "
               "unit includes it; add it to the build or pass another -p", c->files[i], db->dir);
      goto fail;
    }
  }
  int rc = 0;
  if (c->cmd == CMD_CHECK && !c->dump) { /* diagnostics, parse errors included */
    dg_result res;
    if (dg_opts_set(&c->diag, "build-dir", db->dir, err, sizeof err) < 0) goto fail;
    rc = dg_run(store, &c->diag, stdout, stderr, &res, err, sizeof err);
    if (rc == -2) goto fail;
    if (rc == 0 && res.errors > 0) status = EXIT_FINDINGS;
    if (rc == 0 && !c->quiet) rc = rp_summary(store, stderr, st.parsed, st.cached);
    if (rc == 0 && !c->quiet) note_other_languages(db);
    if (rc < 0) goto dberr;
    goto done;
  }
  int nparse = rp_parse_errors(store, stderr, &ro);
  if (nparse < 0) goto dberr;
  if (nparse > 0) status = EXIT_FINDINGS;
  switch (c->cmd) {
  case CMD_CHECK:
    rc = strcmp(c->dump, "migrate") ? rp_dump_verdicts(store, stdout, &ro) : rp_dump_migrate(store, stdout, &ro);
    break;
  case CMD_EXPORT:
    if (c->format && strcmp(c->format, "c") == 0) {
      char h[DR_INPUTS_HASH_LEN];
      if (dr_inputs_hash(store, db, h, err, sizeof err) < 0) goto fail;
      rc = rp_export_c(store, stdout, h);
    } else {
      rc = rp_export_jsonl(store, stdout);
    }
    break;
  case CMD_EXPLAIN:
    rc = rp_explain(store, stdout, c->files[0], &ro);
    if (rc == 1) {
      fprintf(stderr, "fnprop: error: no function named '%s' is defined in the program\n", c->files[0]);
      status = EXIT_USAGE;
      rc = 0;
    }
    break;
  }
  if (rc < 0) goto dberr;
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "fnprop: error: cannot write the output: %s\n", strerror(errno));
    status = EXIT_USAGE;
  }
  goto done;
dberr:
  if (ferror(stdout)) /* the report failed on its output, e.g. a full disk */
    snprintf(err, sizeof err, "cannot write the output: %s", strerror(errno ? errno : EIO));
  else
    snprintf(err, sizeof err, "%s", pdb_error(store)[0] ? pdb_error(store) : "out of memory writing the report");
fail:
  fprintf(stderr, "fnprop: error: %s\n", err);
  status = EXIT_USAGE;
done:
  cf_free(&cfg);
  for (int i = 0; i < ro.nfiles; i++) free(ro.files[i]);
  free(ro.files);
  pdb_close(store);
  cdb_destroy(db);
  return status;
}

/* libclang aborts when it runs out of memory outside its crash recovery
 * (std::bad_alloc in the cursor walk): say which file, then die as before. */
static void on_abort(int sig) {
  static const char a[] = "fnprop: error: aborted while analyzing '", b[] =
      "': libclang ran out of memory or failed an internal check; raise the memory limit (ulimit -v) or remove "
      "the file from the compile database\n";
  const char *f = dr_current_file();
  if (f) {
    ssize_t ignored = write(2, a, sizeof a - 1);
    ignored = write(2, f, strlen(f));
    ignored = write(2, b, sizeof b - 1);
    (void)ignored;
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

int main(int argc, char **argv) {
  /* libclang parses on the calling thread, whose big stack the driver
   * chose, instead of on its own 8 MiB one (deep expressions overflow it). */
  setenv("LIBCLANG_NOTHREADS", "1", 1);
  signal(SIGABRT, on_abort);
  if (argc > 1 && strcmp(argv[1], "diff") == 0) return df_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "extract") == 0) return bc_extract_main(argc - 1, argv + 1);
  if (argc > 1 && strcmp(argv[1], "merge") == 0) return bc_merge_main(argc - 1, argv + 1);
  cli c = {0};
  c.lock_timeout = PDB_LOCK_TIMEOUT_DEFAULT;
  dg_opts_init(&c.diag);
  int status = cli_parse(&c, argc, argv) < 0 ? EXIT_USAGE : EXIT_CLEAN;
  if (status == EXIT_CLEAN && c.list_checks) { /* with the .fnprop of the files (or of .) */
    cf_config cfg;
    char err[1024];
    cf_init(&cfg);
    if (load_config(&c, &cfg, c.build_dir ? c.build_dir : ".", err, sizeof err) < 0) {
      fprintf(stderr, "fnprop: error: %s\n", err);
      status = EXIT_USAGE;
    } else {
      dg_list_checks(&c.diag, stdout);
    }
    cf_free(&cfg);
  }
  else if (status == EXIT_CLEAN) status = run(&c);
  dg_opts_free(&c.diag);
  return status;
}

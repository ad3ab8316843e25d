/* SPDX-License-Identifier: MIT */
/*
 * main.c - the fnprop command line: a table of commands over the library.
 *
 *   fnprop [options] [files...]            analyze, report diagnostics (check)
 *   fnprop export  [options] --format=jsonl|c
 *   fnprop explain [options] NAME
 *   fnprop hash    [options]                hash of the analysis inputs now
 *   fnprop report  [options] --html DIR     static HTML pages (htmlreport.c)
 *   fnprop diff    [options] OLD.db NEW.db  (diffcmd.c)
 *   fnprop extract / fnprop merge           one TU per build step (buildcmd.c)
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
#include "dump.h"
#include "htmlreport.h"
#include "pdb.h"
#include "report.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };
enum { CMD_CHECK, CMD_EXPORT, CMD_EXPLAIN, CMD_HASH, CMD_REPORT };

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
  struct {
    const char *key, *value;
  } cfg_opts[64]; /* analysis options, applied after .fnprop */
  int ncfg_opts;
  int lock_timeout;     /* seconds to wait for a locked database */
  const char *html;     /* report: the output directory */
  const char *dot;      /* report: Graphviz dot (default: dot on PATH) */
} cli;

/* An analyzed build: what every command but diff, extract and merge opens. */
typedef struct session {
  cdb *db;
  pdb *store;
  cf_config cfg;
  dr_opts dr;
  dr_stats st;
  rp_opts ro;           /* cwd-relative paths; the check command's files */
  cf_list unused_cfg;   /* .fnprop files nearer to some sources, not read */
  char cwd[PATH_MAX];
  char err[1024];
} session;

/* What a command over a session returns: an exit status, or one of these
 * (the message is in s->err, or pdb_error for a database error). */
enum { CMD_FAILED = -1, CMD_DB_ERROR = -2 };

static int cmd_check(cli *c, session *s);
static int cmd_export(cli *c, session *s);
static int cmd_explain(cli *c, session *s);
static int cmd_hash(cli *c, session *s);
static int cmd_report(cli *c, session *s);

/* The commands, in the order of the usage text.  A command either has its
 * own parser (main) or runs over the session the common options open. */
static const struct cli_cmd {
  const char *name;     /* as typed after fnprop; "" for the default */
  const char *args;     /* the rest of its usage line */
  int (*main)(int argc, char **argv);
  int (*run)(cli *c, session *s);
  int update;           /* brings the database up to date first */
} cli_cmds[] = {
    [CMD_CHECK] = {"", "[options] [files...]", NULL, cmd_check, 1},
    [CMD_EXPORT] = {"export", "[options] --format=jsonl|c", NULL, cmd_export, 1},
    [CMD_EXPLAIN] = {"explain", "[options] NAME", NULL, cmd_explain, 1},
    [CMD_HASH] = {"hash", "[options]", NULL, cmd_hash, 1},
    [CMD_REPORT] = {"report", "[options] --html DIR [--dot=PATH]", NULL, cmd_report, 1},
    {"diff", "[options] OLD.db NEW.db   (see fnprop diff --help)", df_main, NULL, 0},
    {"extract", "-p DIR [--deps=FILE.d] -o OUT.facts SOURCE", bc_extract_main, NULL, 0},
    {"merge", "-p DIR [--db FILE] FACTS...", bc_merge_main, NULL, 0},
};
enum { CLI_NCMDS = sizeof cli_cmds / sizeof cli_cmds[0] };

/* Analysis options that override `.fnprop` keys of the same name. */
static const char *const cfg_option_keys[] = {
    "errno",           "world", "indirect-calls", "library-models", "weak", "interposition", "unknown-externals",
    "panic-functions", "model", "transparent",    "program"};
/* Diagnostics options with a value, as dg_opts_set names them. */
static const char *const diag_option_keys[] = {"checks",       "warnings-as-errors", "header-filter",
                                               "export-fixes", "baseline",           "write-baseline"};

static void usage(FILE *out) {
  for (int i = 0; i < CLI_NCMDS; i++) {
    const char *name = cli_cmds[i].name;
    int pad = name[0] ? 8 - (int)strlen(name) : 0; /* the arguments line up */
    fprintf(out, "%s fnprop %s%*s%s\n", i ? "      " : "usage:", name, pad, "", cli_cmds[i].args);
  }
  fputs("\n"
        "Infers the !tls and !panic properties of every function of a C program\n"
        "and stores them, with their evidence, in an SQLite database.\n"
        "\n"
        "options:\n"
        "  -p DIR           build directory holding compile_commands.json (default:\n"
        "                   searched in the parents of the first file, then of .)\n"
        "  --db FILE        properties database (default: fnprop.db next to the real\n"
        "                   compile_commands.json, symbolic links resolved)\n"
        "  --format=FMT     check: clang (default), json or sarif; export: jsonl (default) or c\n"
        "  --dump=STAGE     print one stage's result, sorted: facts (per TU), graph,\n"
        "                   sccs, verdicts (`file:line:col: name tls=V panic=V migrate=V`),\n"
        "                   migrate (verdicts with stage 3's `migrate=V` and witness)\n"
        "  -j N             parallel parser threads (default: available CPUs)\n"
        "  --lock-timeout=S wait at most S seconds for a database another process\n"
        "                   keeps locked (default 60)\n"
        "  --quiet          no progress, counts or summary on stderr\n"
        "\n"
        "analysis (override `.fnprop`; see configuration.md):\n"
        "  --config-file=F  read F instead of the nearest .fnprop\n"
        "  --model=FILE     add a model file (repeatable; later files win)\n"
        "  --library-models=on|off     use the shipped library model (default on)\n"
        "  --indirect-calls=field|signature|unknown\n"
        "                   resolve calls through pointers (default field)\n"
        "  --world=closed|open         may pointers come from outside? (default closed)\n"
        "  --errno=tls|ignore          is errno a tls effect? (default tls)\n"
        "  --panic-functions=a,b       functions that count as aborting\n"
        "  --transparent=GLOB,DIR/     trust: these functions keep no thread-local\n"
        "                   state a task can observe (a scheduler's internals)\n"
        "  --program=NAME=GLOB,GLOB    the translation units linked into program NAME\n"
        "                   (repeatable); programs do not link with each other\n"
        "  --weak=unknown|trust, --interposition=assume|none,\n"
        "  --unknown-externals=unknown|clean\n"
        "\n"
        "diagnostics (the check command; clang-tidy semantics, see diagnostics.md):\n"
        "  --checks=GLOBS   enable/disable checks: comma-separated globs, '-' negates,\n"
        "                   the last match wins (e.g. -*,fnprop-notls-*)\n"
        "  --warnings-as-errors=GLOBS\n"
        "                   report warnings of matching checks as errors\n"
        "  --header-filter=REGEX\n"
        "                   report diagnostics in headers only when the path matches\n"
        "                   (default: every header; '' none)\n"
        "  --export-fixes=FILE\n"
        "                   write fix-its as clang-tidy YAML for clang-apply-replacements\n"
        "  --baseline=FILE  do not report the findings FILE lists (new findings only)\n"
        "  --write-baseline=FILE\n"
        "                   write every finding reported without --baseline to FILE\n"
        "  --color, --no-color\n"
        "                   colour diagnostics (default: when stdout is a terminal)\n"
        "  --list-checks    print the enabled checks and exit\n"
        "  files...         report only diagnostics located in these files (the whole\n"
        "                   program is still analyzed)\n"
        "\n"
        "report (fnprop report --html DIR; see diagnostics.md):\n"
        "  --html DIR       write static HTML pages: findings sortable by check and\n"
        "                   file, one page per function with its witness paths\n"
        "  --dot=PATH       Graphviz dot for the call-graph pictures (default: dot on\n"
        "                   PATH; without it the pages say they are not drawn)\n"
        "\n"
        "  --version        print the version\n"
        "  -h, --help       this help\n"
        "\n"
        "exit status: 0 no errors, 1 errors (violations, parse errors, warnings made\n"
        "errors), 2 usage or input errors\n"
        "\n"
        "checks (--list-checks shows the enabled ones):\n",
        out);
  for (int i = 0; i < DG_NCHECKS; i++)
    fprintf(out, "  %-27s %s, %s\n", dg_checks[i].name,
            dg_checks[i].level == DG_SUGGESTION ? "suggestion" : dg_level_name(dg_checks[i].level),
            dg_checks[i].flags & DG_ALWAYS ? "always on"
            : dg_checks[i].flags & DG_ON   ? "on"
                                           : "off by default");
  /* make install puts the documents next to the binary: PREFIX/bin/fnprop,
   * PREFIX/share/doc/fnprop/ */
  char exe[PATH_MAX], doc[PATH_MAX + 32];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  char *slash = n > 0 ? (exe[n] = '\0', strrchr(exe, '/')) : NULL;
  if (slash) *slash = '\0', slash = strrchr(exe, '/');
  if (slash) *slash = '\0';
  snprintf(doc, sizeof doc, "%s/share/doc/fnprop", slash ? exe : "");
  if (slash && access(doc, R_OK) == 0) fprintf(out, "\ndocumentation: man fnprop; %s/*.md\n", doc);
  else fputs("\ndocumentation: man fnprop; docs/*.md of the source tree (installed in PREFIX/share/doc/fnprop)\n", out);
}

static int cli_error(const char *msg) {
  fprintf(stderr, "fnprop: error: %s\n", msg);
  return -1;
}

/* Checks what getopt cannot: values of --dump, --format, -j and the number
 * of arguments; hands the check command's files and format to the
 * diagnostics options.  Returns 0 or -1 (message printed). */
static int cli_validate(cli *c) {
  static const char *const stages[] = {"facts", "graph", "sccs", "verdicts", "migrate"};
  char derr[512];
  int known = !c->dump;
  for (size_t i = 0; !known && i < sizeof stages / sizeof stages[0]; i++) known = !strcmp(c->dump, stages[i]);
  if (!known) {
    fprintf(stderr,
            "fnprop: error: unknown --dump stage '%s'; expected 'facts', 'graph', 'sccs', 'verdicts' or "
            "'migrate'\n",
            c->dump);
    return -1;
  }
  if (c->cmd == CMD_EXPORT && c->format && strcmp(c->format, "jsonl") && strcmp(c->format, "c")) {
    fprintf(stderr, "fnprop: error: unknown export format '%s'; expected 'jsonl' or 'c'\n", c->format);
    return -1;
  }
  if (c->cmd == CMD_CHECK && !c->dump) {
    c->diag.quiet = c->quiet;
    if (c->format && dg_opts_set(&c->diag, "format", c->format, derr, sizeof derr) < 0) return cli_error(derr);
    for (int i = 0; i < c->nfiles; i++)
      if (dg_opts_add_file(&c->diag, c->files[i], derr, sizeof derr) < 0) return cli_error(derr);
  }
  if (c->cmd == CMD_EXPLAIN && c->nfiles != 1) return cli_error("explain needs exactly one function name");
  if (c->cmd == CMD_REPORT && (!c->html || !c->html[0]))
    return cli_error("report needs --html DIR, the directory to write");
  if (c->cmd == CMD_REPORT && c->nfiles) return cli_error("report takes no file arguments");
  if (c->cmd != CMD_REPORT && (c->html || c->dot)) return cli_error("--html and --dot belong to fnprop report");
  return 0;
}

/* One option (getopt's ch and optarg).  Returns 0, 1 when it printed what
 * was asked (--help, --version), -1 on an error (message printed). */
static int cli_option(cli *c, int ch, const char *arg, const char *word) {
  char derr[512];
  switch (ch) {
  case 'p': c->build_dir = arg; return 0;
  case 'd': c->db_path = arg; return 0;
  case 'f': c->format = arg; return 0;
  case 'D': c->dump = arg; return 0;
  case 'q': c->quiet = 1; return 0;
  case 'F': c->config_file = arg; return 0;
  case 'K': c->diag.color = 1; return 0;
  case 'N': c->diag.color = 0; return 0;
  case 'L': c->list_checks = 1; return 0;
  case 'H': c->html = arg; return 0;
  case 'G': c->dot = arg; return 0;
  case 'h': usage(stdout); return 1;
  case 'V': printf("fnprop %s (libclang %d)\n", FNPROP_VERSION, FNPROP_LLVM_MAJOR); return 1;
  case 'j': {
    char *end;
    long j = strtol(arg, &end, 10);
    if (*end || j < 1 || j > 1024) {
      fprintf(stderr, "fnprop: error: invalid job count '%s'; expected a number from 1 to 1024\n", arg);
      return -1;
    }
    c->jobs = (int)j;
    return 0;
  }
  case 'T': {
    char *end;
    long t = strtol(arg, &end, 10);
    if (*end || end == arg || t < 0 || t > 86400) {
      fprintf(stderr, "fnprop: error: invalid --lock-timeout '%s'; expected seconds from 0 to 86400\n", arg);
      return -1;
    }
    c->lock_timeout = (int)t;
    return 0;
  }
  case ':': fprintf(stderr, "fnprop: error: option '%s' needs an argument\n", word); return -1;
  }
  if (ch >= 2000 && ch < 2000 + (int)(sizeof diag_option_keys / sizeof diag_option_keys[0]))
    return dg_opts_set(&c->diag, diag_option_keys[ch - 2000], arg, derr, sizeof derr) < 0 ? cli_error(derr) : 0;
  if (ch >= 1000 && ch < 1000 + (int)(sizeof cfg_option_keys / sizeof cfg_option_keys[0])) {
    if (c->ncfg_opts == 64) return cli_error("too many analysis options");
    c->cfg_opts[c->ncfg_opts].key = cfg_option_keys[ch - 1000];
    c->cfg_opts[c->ncfg_opts++].value = arg;
    return 0;
  }
  fprintf(stderr, "fnprop: error: unknown option '%s'; see fnprop --help\n", word);
  return -1;
}

/* Parses the options of check, export, explain and hash (argv[first...]).
 * Returns 0, 1 when done (--help, --version), -1 on an error. */
static int cli_parse(cli *c, int argc, char **argv, int first) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},
      {"format", required_argument, NULL, 'f'},
      {"dump", required_argument, NULL, 'D'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {"jobs", required_argument, NULL, 'j'},
      {"checks", required_argument, NULL, 2000},
      {"warnings-as-errors", required_argument, NULL, 2001},
      {"header-filter", required_argument, NULL, 2002},
      {"export-fixes", required_argument, NULL, 2003},
      {"color", no_argument, NULL, 'K'},
      {"baseline", required_argument, NULL, 2004},
      {"write-baseline", required_argument, NULL, 2005},
      {"no-color", no_argument, NULL, 'N'},
      {"list-checks", no_argument, NULL, 'L'},
      {"config-file", required_argument, NULL, 'F'},
      {"errno", required_argument, NULL, 1000},
      {"world", required_argument, NULL, 1001},
      {"indirect-calls", required_argument, NULL, 1002},
      {"library-models", required_argument, NULL, 1003},
      {"weak", required_argument, NULL, 1004},
      {"interposition", required_argument, NULL, 1005},
      {"unknown-externals", required_argument, NULL, 1006},
      {"panic-functions", required_argument, NULL, 1007},
      {"model", required_argument, NULL, 1008},
      {"transparent", required_argument, NULL, 1009},
      {"program", required_argument, NULL, 1010},
      {"lock-timeout", required_argument, NULL, 'T'},
      {"html", required_argument, NULL, 'H'},
      {"dot", required_argument, NULL, 'G'},
      {NULL, 0, NULL, 0},
  };
  optind = first;
  opterr = 0;
  int ch, rc = 0;
  while (rc == 0 && (ch = getopt_long(argc, argv, ":p:j:hq", longopts, NULL)) != -1)
    rc = cli_option(c, ch, optarg, argv[optind - 1]);
  if (rc) return rc;
  c->files = argv + optind;
  c->nfiles = argc - optind;
  return cli_validate(c);
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
    fprintf(stderr,
            "fnprop: error: no compile_commands.json found in '%s' or its parents; pass -p with the build "
            "directory (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON or bear generate one)\n",
            start);
  return dir;
}

/* Reads the configuration: --config-file, else (with a compile database)
 * the nearest .fnprop above the sources' common directory, else above the
 * build directory -- whichever files are named, so a hook and CI read the
 * same; without one (--list-checks) from the first file or the build
 * directory.  Then the command-line overrides; then report keys the command
 * line did not set.  Nearer files that cannot apply go to *unused. */
static int load_config(cli *c, cf_config *cfg, const char *build_dir, const cdb *db, cf_list *unused, char *err,
                       size_t errlen) {
  char *path = NULL;
  if (c->config_file) {
    path = ut_strdup(c->config_file);
  } else if (db) {
    const char **files = malloc((db->n + 1) * sizeof *files);
    if (!files) return snprintf(err, errlen, "out of memory"), -1;
    for (size_t i = 0; i < db->n; i++) files[i] = db->v[i].file;
    path = cf_find_sources(files, db->n, build_dir, unused);
    free(files);
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
  /* As clang-tidy does: the command line's globs go after the file's; the
   * format only when the check command prints diagnostics in one. */
  for (int i = 0; rc == 0 && cf_report_keys[i]; i++) {
    const char *key = cf_report_keys[i], *v = cf_report_key(cfg, key);
    if (v && (strcmp(key, "format") || (c->cmd == CMD_CHECK && !c->dump && !c->format)))
      rc = dg_opts_set_base(&c->diag, key, v, err, errlen);
  }
  return rc;
}

/* The database must not be a file the analysis reads: a source the
 * compile database names, or compile_commands.json itself (pdb_open
 * refuses other files that are not SQLite databases). */
static int db_path_ok(const char *path, const cdb *db, char *err, size_t errlen) {
  if (!cdb_is_input(db, path)) return 0;
  snprintf(err, errlen,
           "'%.600s' is an input of the analysis, not a database; fnprop will not write over it: "
           "choose another file with --db",
           path);
  return -1;
}

/* Entries of other languages are left out: one line says so. */
static void note_other_languages(const cdb *db) {
  size_t n = db->nlang[CDB_LANG_ASM] + db->nlang[CDB_LANG_CXX] + db->nlang[CDB_LANG_OTHER] + db->nlang[CDB_LANG_TABLE];
  if (!n) return;
  fprintf(stderr,
          "note: %zu compile database entr%s not analyzed (fnprop analyzes C, not the verdict tables it writes):", n,
          n == 1 ? "y" : "ies");
  const char *sep = " ";
  for (int l = CDB_LANG_ASM; l <= CDB_LANG_TABLE; l++)
    if (db->nlang[l]) {
      fprintf(stderr, "%s%zu %s", sep, db->nlang[l], cdb_lang_name(l));
      sep = ", ";
    }
  fputc('\n', stderr);
}

/* Which configuration the analysis read, and the ones it could not. */
static void note_config(const cli *c, const session *s) {
  if (s->cfg.path) fprintf(stderr, "configuration: %s%s\n", s->cfg.path, c->config_file ? " (--config-file)" : "");
  else fputs("configuration: none (defaults; a .fnprop at the top of the source tree applies to every run)\n", stderr);
  for (size_t i = 0; i < s->unused_cfg.n; i++)
    fprintf(stderr,
            "note: '%s' is not used: one configuration serves the whole-program analysis, the one nearest "
            "to the directory all sources share; merge its settings there or pass --config-file\n",
            s->unused_cfg.v[i]);
}

/* ---- the session: compile database, properties database, configuration ---- */
static void session_close(session *s) {
  cf_free(&s->cfg);
  for (size_t i = 0; i < s->unused_cfg.n; i++) free(s->unused_cfg.v[i]);
  free(s->unused_cfg.v);
  for (int i = 0; i < s->ro.nfiles; i++) free(s->ro.files[i]);
  free(s->ro.files);
  pdb_close(s->store);
  cdb_destroy(s->db);
}

/* Opens the build of c.  Returns 0, or -1 with the message printed. */
static int session_open(cli *c, session *s) {
  memset(s, 0, sizeof *s);
  cf_init(&s->cfg);
  char *dir = find_build_dir(c);
  if (!dir) return -1;
  s->db = cdb_load(dir, s->err, sizeof s->err);
  free(dir);
  if (!s->db) return cli_error(s->err);
  char dbpath[PATH_MAX + 16];
  snprintf(dbpath, sizeof dbpath, "%s/fnprop.db", s->db->dir);
  const char *path = c->db_path ? c->db_path : dbpath;
  if (db_path_ok(path, s->db, s->err, sizeof s->err) < 0) return cli_error(s->err);
  s->store = pdb_open_timeout(path, 0, c->lock_timeout * 1000, s->err, sizeof s->err);
  if (!s->store) return cli_error(s->err);
  if (pdb_bind_compdb(s->store, s->db->dir) < 0) return cli_error(pdb_error(s->store));
  s->ro.cwd = getcwd(s->cwd, sizeof s->cwd) ? s->cwd : NULL;
  if (c->cmd == CMD_CHECK && c->nfiles > 0) { /* report only these files */
    s->ro.files = calloc((size_t)c->nfiles, sizeof *s->ro.files);
    for (int i = 0; s->ro.files && i < c->nfiles; i++) s->ro.files[i] = realpath(c->files[i], NULL);
    s->ro.nfiles = s->ro.files ? c->nfiles : 0;
  }
  dr_opts o = {c->jobs ? c->jobs : default_jobs(), !c->quiet && isatty(2), &s->cfg};
  s->dr = o;
  if (load_config(c, &s->cfg, s->db->dir, s->db, &s->unused_cfg, s->err, sizeof s->err) < 0) return cli_error(s->err);
  return 0;
}

/* Prints the parse errors on stderr (every command but check prints them
 * so); returns EXIT_FINDINGS when there are any, EXIT_CLEAN, or an error. */
static int print_parse_errors(session *s) {
  int n = dg_parse_errors(s->store, stderr, s->ro.cwd, s->err, sizeof s->err);
  return n == -2 ? CMD_FAILED : n < 0 ? CMD_DB_ERROR : n > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* ---- the commands --------------------------------------------------------------- */
/* A file argument nothing reads is a mistake (missing files are reported by
 * the diagnostics). */
static int check_files(cli *c, session *s) {
  for (int i = 0; i < c->nfiles; i++) {
    char *real = realpath(c->files[i], NULL);
    int known = real ? pdb_is_input(s->store, real) : 1;
    free(real);
    if (known < 0) return CMD_DB_ERROR;
    if (!known) {
      snprintf(s->err, sizeof s->err,
               "'%s' is not in the compile database '%s/compile_commands.json' and no "
               "translation unit includes it; add it to the build or pass another -p",
               c->files[i], s->db->dir);
      return CMD_FAILED;
    }
  }
  return 0;
}

/* --dump=STAGE: one stage's result on stdout. */
static int cmd_dump(cli *c, session *s) {
  int status = print_parse_errors(s), rc;
  if (status < 0) return status;
  if (!strcmp(c->dump, "verdicts")) {
    rc = rp_dump_verdicts(s->store, stdout, &s->ro);
  } else if (!strcmp(c->dump, "migrate")) {
    rc = rp_dump_migrate(s->store, stdout, &s->ro);
  } else if (!strcmp(c->dump, "facts")) {
    rc = du_facts(stdout, s->store, s->ro.cwd);
  } else {
    gr_graph *g = NULL;
    md_model *m = NULL;
    if (dr_graph(&s->dr, s->store, &g, &m, s->err, sizeof s->err) < 0) rc = CMD_FAILED;
    else rc = !strcmp(c->dump, "graph") ? du_graph(stdout, g, s->ro.cwd) : du_sccs(stdout, g, s->ro.cwd);
    gr_destroy(g);
    md_destroy(m);
    if (rc == CMD_FAILED) return rc;
  }
  if (rc == -2) return snprintf(s->err, sizeof s->err, "cannot write the dump"), CMD_FAILED;
  return rc < 0 ? CMD_DB_ERROR : status;
}

/* The default command: diagnostics (parse errors included) and a summary. */
static int cmd_check(cli *c, session *s) {
  int rc = check_files(c, s);
  if (rc < 0) return rc;
  if (c->dump) return cmd_dump(c, s);
  dg_result res;
  if (dg_opts_set(&c->diag, "build-dir", s->db->dir, s->err, sizeof s->err) < 0) return CMD_FAILED;
  rc = dg_run(s->store, &c->diag, stdout, stderr, &res, s->err, sizeof s->err);
  if (rc == -2) return CMD_FAILED;
  if (rc == 0 && !c->quiet) rc = rp_summary(s->store, stderr, s->st.parsed, s->st.cached);
  if (rc == 0 && !c->quiet) note_config(c, s);
  if (rc == 0 && !c->quiet) note_other_languages(s->db);
  if (rc < 0) return CMD_DB_ERROR;
  return res.errors > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

static int cmd_export(cli *c, session *s) {
  int status = print_parse_errors(s), rc;
  if (status < 0) return status;
  if (c->format && strcmp(c->format, "c") == 0) {
    char h[DR_INPUTS_HASH_LEN];
    if (dr_inputs_hash(s->store, s->db, h, s->err, sizeof s->err) < 0) return CMD_FAILED;
    rc = rp_export_c(s->store, stdout, h);
  } else {
    rc = rp_export_jsonl(s->store, stdout);
  }
  return rc < 0 ? CMD_DB_ERROR : status;
}

static int cmd_explain(cli *c, session *s) {
  int status = print_parse_errors(s);
  if (status < 0) return status;
  int rc = rp_explain(s->store, stdout, c->files[0], &s->ro);
  if (rc == 1) {
    fprintf(stderr, "fnprop: error: no function named '%s' is defined in the program\n", c->files[0]);
    return EXIT_USAGE;
  }
  return rc < 0 ? CMD_DB_ERROR : status;
}

static int cmd_hash(cli *c, session *s) {
  char h[DR_INPUTS_HASH_LEN];
  (void)c;
  if (dr_inputs_hash(s->store, s->db, h, s->err, sizeof s->err) < 0) return CMD_FAILED;
  printf("%s\n", h);
  return EXIT_CLEAN;
}

/* report --html DIR: the findings of the check command (the same options)
 * and every function's verdicts and paths as static pages. */
static int report_finding(void *arg, const dg_diag *d) { return hr_add_finding(arg, d); }

static int cmd_report(cli *c, session *s) {
  int status = print_parse_errors(s);
  if (status < 0) return status;
  hr_opts o = {c->html, c->dot ? c->dot : "dot", s->ro.cwd, s->db->dir};
  hr_report *r = hr_create(s->store, &o);
  if (!r) return snprintf(s->err, sizeof s->err, "out of memory"), CMD_FAILED;
  dg_result res;
  char why[1024];
  int drawn = 0;
  int rc = dg_each(s->store, &c->diag, report_finding, r, &res, s->err, sizeof s->err);
  if (rc == 0) rc = hr_write(r, &drawn, why, sizeof why, s->err, sizeof s->err);
  hr_destroy(r);
  if (rc == -2) return CMD_FAILED;
  if (rc < 0) return CMD_DB_ERROR;
  if (!drawn) fprintf(stderr, "fnprop: warning: call-graph pictures not drawn: %s; the pages say so\n", why);
  if (!c->quiet) fprintf(stderr, "fnprop: wrote %s/index.html\n", c->html);
  return status;
}

/* Opens the session, brings the database up to date when the command needs
 * it, runs the command and turns its result into an exit status. */
static int run(cli *c) {
  session s;
  int rc = session_open(c, &s) < 0 ? EXIT_USAGE : EXIT_CLEAN;
  if (rc == EXIT_CLEAN && c->cmd == CMD_CHECK && !c->dump && dg_opts_require_checks(&c->diag, s.err, sizeof s.err) < 0)
    rc = CMD_FAILED; /* before the analysis: nothing would be reported */
  /* The table being written is no input, though the shell emptied it. */
  if (rc == EXIT_CLEAN && c->cmd == CMD_EXPORT && c->format && !strcmp(c->format, "c"))
    cdb_mark_output(s.db, STDOUT_FILENO);
  if (rc == EXIT_CLEAN && cli_cmds[c->cmd].update && dr_update(&s.dr, s.db, s.store, &s.st, s.err, sizeof s.err) < 0)
    rc = CMD_FAILED;
  if (rc == EXIT_CLEAN) rc = cli_cmds[c->cmd].run(c, &s);
  int diagnostics = c->cmd == CMD_CHECK && !c->dump; /* dg_run checks its own writes */
  if (rc >= 0 && rc != EXIT_USAGE && !diagnostics && (fflush(stdout) != 0 || ferror(stdout))) {
    fprintf(stderr, "fnprop: error: cannot write the output: %s\n", strerror(errno));
    rc = EXIT_USAGE;
  }
  if (rc == CMD_DB_ERROR && ferror(stdout)) /* the report failed on its output, e.g. a full disk */
    snprintf(s.err, sizeof s.err, "cannot write the output: %s", strerror(errno ? errno : EIO));
  else if (rc == CMD_DB_ERROR)
    snprintf(s.err, sizeof s.err, "%s",
             pdb_error(s.store)[0] ? pdb_error(s.store) : "out of memory writing the report");
  if (rc < 0) {
    fprintf(stderr, "fnprop: error: %s\n", s.err);
    rc = EXIT_USAGE;
  }
  session_close(&s);
  return rc;
}

/* --list-checks: the enabled checks under the .fnprop of the files (or of .). */
static int list_checks(cli *c) {
  cf_config cfg;
  char err[1024];
  cf_init(&cfg);
  int rc = load_config(c, &cfg, c->build_dir ? c->build_dir : ".", NULL, NULL, err, sizeof err);
  if (rc == 0) rc = dg_opts_require_checks(&c->diag, err, sizeof err);
  if (rc < 0) fprintf(stderr, "fnprop: error: %s\n", err);
  else dg_list_checks(&c->diag, stdout);
  cf_free(&cfg);
  return rc < 0 ? EXIT_USAGE : EXIT_CLEAN;
}

/* libclang aborts when it runs out of memory outside its crash recovery
 * (std::bad_alloc in the cursor walk): say which file, then die as before. */
static void on_abort(int sig) {
  static const char
      a[] = "fnprop: error: aborted while analyzing '",
      b[] = "': libclang ran out of memory or failed an internal check; raise the memory limit (ulimit -v) or remove "
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
  int cmd = CMD_CHECK;
  for (int i = 1; argc > 1 && i < CLI_NCMDS; i++)
    if (strcmp(argv[1], cli_cmds[i].name) == 0) cmd = i;
  if (cli_cmds[cmd].main) return cli_cmds[cmd].main(argc - 1, argv + 1);
  cli c = {0};
  c.cmd = cmd;
  c.lock_timeout = PDB_LOCK_TIMEOUT_DEFAULT;
  dg_opts_init(&c.diag);
  int parsed = cli_parse(&c, argc, argv, cmd == CMD_CHECK ? 1 : 2);
  int status = parsed < 0 ? EXIT_USAGE : parsed > 0 ? EXIT_CLEAN : c.list_checks ? list_checks(&c) : run(&c);
  dg_opts_free(&c.diag);
  return status;
}

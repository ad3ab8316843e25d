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
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compdb.h"
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
} cli;

static void usage(FILE *out) {
  fputs("usage: fnprop [options] [files...]\n"
        "       fnprop export  [options] --format=jsonl|c\n"
        "       fnprop explain [options] NAME\n"
        "       fnprop hash    [options]\n"
        "\n"
        "Infers the !tls and !panic properties of every function of a C program\n"
        "and stores them, with their evidence, in an SQLite database.\n"
        "\n"
        "options:\n"
        "  -p DIR           build directory holding compile_commands.json (default:\n"
        "                   searched in the parents of the first file, then of .)\n"
        "  --db FILE        properties database (default: DIR/fnprop.db)\n"
        "  --format=FMT     export format: jsonl (default) or c\n"
        "  --dump=verdicts  print `file:line:col: name tls=V panic=V` per function\n"
        "  -j N             parallel parser threads (default: available CPUs)\n"
        "  --quiet          no progress or summary on stderr\n"
        "  --version        print the version\n"
        "  -h, --help       this help\n"
        "\n"
        "exit status: 0 clean, 1 findings or parse errors, 2 usage or input errors\n",
        out);
}

static int cli_parse(cli *c, int argc, char **argv) {
  static const struct option longopts[] = {
      {"db", required_argument, NULL, 'd'},     {"format", required_argument, NULL, 'f'},
      {"dump", required_argument, NULL, 'D'},   {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
      {"jobs", required_argument, NULL, 'j'},   {NULL, 0, NULL, 0},
  };
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
  if (c->dump && strcmp(c->dump, "verdicts") != 0) {
    fprintf(stderr, "fnprop: error: unknown --dump stage '%s'; expected 'verdicts'\n", c->dump);
    return -1;
  }
  if (c->cmd == CMD_EXPORT && c->format && strcmp(c->format, "jsonl") && strcmp(c->format, "c")) {
    fprintf(stderr, "fnprop: error: unknown export format '%s'; expected 'jsonl' or 'c'\n", c->format);
    return -1;
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
  pdb *store = pdb_open(c->db_path ? c->db_path : dbpath, 0, err, sizeof err);
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
  dr_opts o = {c->jobs ? c->jobs : default_jobs(), !c->quiet && isatty(2)};
  dr_stats st;
  if (c->cmd == CMD_HASH) {
    char h[17];
    if (dr_inputs_hash(store, h, err, sizeof err) < 0) goto fail;
    printf("%s\n", h);
    goto done;
  }
  if (dr_update(&o, db, store, &st, err, sizeof err) < 0) goto fail;
  int diag_to_stdout = c->cmd == CMD_CHECK && !c->dump;
  int nparse = rp_parse_errors(store, diag_to_stdout ? stdout : stderr, &ro);
  if (nparse < 0) goto dberr;
  if (nparse > 0) status = EXIT_FINDINGS;
  int rc = 0;
  switch (c->cmd) {
  case CMD_CHECK:
    rc = c->dump ? rp_dump_verdicts(store, stdout, &ro) : rp_summary(store, c->quiet ? stderr : stdout, st.parsed, st.cached);
    break;
  case CMD_EXPORT:
    if (c->format && strcmp(c->format, "c") == 0) {
      char h[17];
      if (dr_inputs_hash(store, h, err, sizeof err) < 0) goto fail;
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
  if (fflush(stdout) != 0) {
    fprintf(stderr, "fnprop: error: cannot write the output\n");
    status = EXIT_USAGE;
  }
  goto done;
dberr:
  snprintf(err, sizeof err, "%s", pdb_error(store));
fail:
  fprintf(stderr, "fnprop: error: %s\n", err);
  status = EXIT_USAGE;
done:
  for (int i = 0; i < ro.nfiles; i++) free(ro.files[i]);
  free(ro.files);
  pdb_close(store);
  cdb_destroy(db);
  return status;
}

int main(int argc, char **argv) {
  cli c = {0};
  if (cli_parse(&c, argc, argv) < 0) return EXIT_USAGE;
  return run(&c);
}

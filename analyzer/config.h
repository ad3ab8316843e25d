/* SPDX-License-Identifier: MIT */
/*
 * config.h - analysis configuration: the `.fnprop` file and the command
 * line (prefix cf_).
 *
 * `.fnprop` is found like `.clang-tidy`, from the sources: the nearest
 * parent holding one of the directory the analyzed files share (or of the
 * build directory when they share none).  Format: one `key: value` per line, `#` comments,
 * lists separated by commas.  Command-line options are applied after the
 * file with cf_set, so they win.  Keys that belong to the reporting stage
 * (checks, warnings-as-errors, header-filter) are kept as text for it.
 */
#ifndef FNPROP_CONFIG_H
#define FNPROP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

typedef struct cf_list {
  char **v;
  size_t n, cap;
} cf_list;

typedef struct cf_config {
  char *path;               /* the .fnprop file read, NULL if none */
  cf_list models;           /* model files, absolute or relative to cwd */
  cf_list panic_functions;  /* names that are panic effects */
  cf_list internal;         /* internal-functions: name globs of functions
                       that are no API (not public in diff and
                       missing-annotation), like hidden ones */
  cf_list programs;         /* "NAME\x1fGLOB": the translation units (main
                       files matching an absolute glob) of each
                       linked program, in the order given */
  cf_list transparent;      /* trusted: function-name globs, and folders (absolute,
                          ending in '/') whose definitions are trusted to
                          keep no thread-local state a task can observe */
  int errno_ignore;         /* errno: ignore */
  int externals;            /* unknown-externals: 0 unknown, 1 clean */
  int open_world;           /* world: open */
  int library_models;       /* library-models: on (default) */
  int indirect;             /* indirect-calls: vc_indirect (default field) */
  int trust_weak;           /* weak: trust */
  int trust_interposable;   /* interposition: none */
  cf_list report_keys;      /* "key\x1fvalue" of reporting-stage keys */
} cf_config;

void cf_init(cf_config *c);
void cf_free(cf_config *c);
/* Nearest `.fnprop` in dir or a parent; malloc'd path or NULL. */
char *cf_find(const char *dir);
/* The configuration of a whole-program analysis, the same whichever files
 * are reported on: the nearest `.fnprop` above the common directory of the
 * translation units' main files (absolute paths), else above `fallback`
 * (the build directory).  A different `.fnprop` nearer to some main file
 * is appended to *unused (malloc'd paths, each once), as it cannot apply:
 * one configuration serves one analysis.  Returns a malloc'd path or NULL. */
char *cf_find_sources(const char *const *files, size_t n, const char *fallback, cf_list *unused);
/* Reads a config file.  On error -1 and "file:line: what" in err. */
int cf_load(cf_config *c, const char *path, char *err, size_t errlen);
/* Sets one key (from a file line or an option); origin names it in errors
 * ("FILE:LINE" or "--option").  Relative model paths are resolved against
 * `base` (the config file's directory; NULL: as given). */
int cf_set(cf_config *c, const char *key, const char *value, const char *base, const char *origin, char *err,
           size_t errlen);
/* The reporting-stage keys, kept as text for the diagnostics, in the order
 * they are applied, NULL-terminated: "checks", "warnings-as-errors",
 * "header-filter", "format". */
extern const char *const cf_report_keys[];
/* Value of a reporting-stage key, or NULL. */
const char *cf_report_key(const cf_config *c, const char *key);
/* Hash of every setting that changes verdicts (not the report keys). */
uint64_t cf_hash(const cf_config *c);

#endif /* FNPROP_CONFIG_H */

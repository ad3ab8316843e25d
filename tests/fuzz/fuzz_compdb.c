/* SPDX-License-Identifier: MIT */
/*
 * fuzz_compdb.c - libFuzzer harness for the compile-database reader: the
 * input becomes DIR/compile_commands.json and goes through cdb_load (the
 * JSON precheck, libclang's reader, path resolution and sorting).
 *
 * Oracle beyond "no crash, no leak": a database that loads has at least one
 * entry, and every entry has an absolute, normalized file and directory and
 * a non-empty command line; a failure always comes with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char fz_dir[64];

static void fz_check_path(const char *p) {
  if (!p || p[0] != '/') abort();
  if (strstr(p, "//") || strstr(p, "/./") || strstr(p, "/../")) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!fz_dir[0]) {
    snprintf(fz_dir, sizeof fz_dir, "/tmp/fnprop-fuzz-compdb.%ld", (long)getpid());
    mkdir(fz_dir, 0700);
  }
  char file[128];
  snprintf(file, sizeof file, "%s/compile_commands.json", fz_dir);
  FILE *f = fopen(file, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  char err[1024] = "";
  cdb *db = cdb_load(fz_dir, err, sizeof err);
  if (!db) {
    if (!err[0]) abort(); /* every failure has a message */
    return 0;
  }
  if (db->n == 0) abort();
  for (size_t i = 0; i < db->n; i++) {
    fz_check_path(db->v[i].file);
    fz_check_path(db->v[i].directory);
    if (db->v[i].argc < 1 || !db->v[i].argv) abort();
    (void)cdb_entry_hash(&db->v[i]);
  }
  cdb_destroy(db);
  return 0;
}

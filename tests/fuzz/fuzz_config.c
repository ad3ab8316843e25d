/* SPDX-License-Identifier: MIT */
/*
 * fuzz_config.c - libFuzzer harness for the `.fnprop` configuration parser
 * (cf_load): the input is written to a temporary .fnprop and loaded.
 * Oracle: an error always has a "file:line" message; a loaded
 * configuration hashes and frees cleanly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static char path[64];
  if (!path[0]) snprintf(path, sizeof path, "/tmp/fnprop-fuzz-config.%ld", (long)getpid());
  FILE *f = fopen(path, "wb");
  if (!f) return 0;
  fwrite(data, 1, size, f);
  fclose(f);
  cf_config c;
  cf_init(&c);
  char err[1024] = "";
  if (cf_load(&c, path, err, sizeof err) < 0) {
    if (strncmp(err, path, strlen(path)) != 0) abort(); /* names the file */
  } else {
    (void)cf_hash(&c);
    (void)cf_report_key(&c, "checks");
  }
  cf_free(&c);
  return 0;
}

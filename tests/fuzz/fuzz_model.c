/* SPDX-License-Identifier: MIT */
/*
 * fuzz_model.c - libFuzzer harness for the library-model text loader
 * (md_load_text, the format of the models/ files).  Oracle: an error always
 * has a message naming the origin; entries that load can be found by name
 * and hash cleanly.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  md_model *m = md_create(0);
  if (!m) return 0;
  char err[1024] = "";
  if (md_load_text(m, "fuzz.model", (const char *)data, size, err, sizeof err) < 0) {
    if (strncmp(err, "fuzz.model", 10) != 0) abort();
  } else {
    /* The first word of the input, if it loaded, is an entry. */
    char name[64];
    size_t i = 0, j = 0;
    while (i < size && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n')) i++;
    while (i < size && j + 1 < sizeof name && data[i] > ' ' && data[i] != '#') name[j++] = (char)data[i++];
    name[j] = '\0';
    if (j) (void)md_find(m, name);
    (void)md_hash(m);
  }
  md_destroy(m);
  return 0;
}

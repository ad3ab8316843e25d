/* SPDX-License-Identifier: MIT */
/*
 * standalone.c - runs a libFuzzer harness over files without libFuzzer, so
 * the seed corpora and every crash found (tests/fuzz/corpus/<harness>/)
 * are regression tests in `make check`, built with the ordinary compiler.
 *
 *   fuzz_NAME FILE|DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int sa_run(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: cannot open\n", path);
    return -1;
  }
  size_t cap = 1 << 16, n = 0, k;
  uint8_t *buf = malloc(cap);
  while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0)
    if ((n += k) == cap) buf = realloc(buf, cap *= 2);
  fclose(f);
  if (!buf) return -1;
  LLVMFuzzerTestOneInput(buf, n);
  free(buf);
  return 0;
}

static int sa_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
  long runs = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      DIR *d = opendir(argv[i]);
      char **names = NULL;
      size_t n = 0;
      struct dirent *e;
      while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        names = realloc(names, (n + 1) * sizeof *names);
        size_t len = strlen(argv[i]) + strlen(e->d_name) + 2;
        names[n] = malloc(len);
        snprintf(names[n++], len, "%s/%s", argv[i], e->d_name);
      }
      if (d) closedir(d);
      qsort(names, n, sizeof *names, sa_cmp);
      for (size_t j = 0; j < n; j++) {
        if (sa_run(names[j]) == 0) runs++;
        free(names[j]);
      }
      free(names);
    } else if (sa_run(argv[i]) == 0) {
      runs++;
    }
  }
  printf("%ld inputs\n", runs);
  return 0;
}

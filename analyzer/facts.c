/* SPDX-License-Identifier: MIT */
/* facts.c - per-TU fact container: creation, interning, destruction. */
#include <stdlib.h>
#include <string.h>

#include "facts.h"

static const struct {
  const char *s;
  uint32_t bit;
} ft_annots[] = {
    {"fnprop:notls", FT_ANN_NOTLS},     {"fnprop:nopanic", FT_ANN_NOPANIC},
    {"fnprop:tls", FT_ANN_TLS},         {"fnprop:panic", FT_ANN_PANIC},
    {"fnprop:task", FT_ANN_TASK},       {"fnprop:yield", FT_ANN_YIELD},
    {"fnprop:migration-safe", FT_ANN_MIGRATION_SAFE},
};

uint32_t ft_annotation_bit(const char *s, int *spawn_param) {
  for (size_t i = 0; i < sizeof ft_annots / sizeof ft_annots[0]; i++)
    if (strcmp(s, ft_annots[i].s) == 0) return ft_annots[i].bit;
  if (strncmp(s, "fnprop:spawn:", 13) == 0) {
    char *end;
    long n = strtol(s + 13, &end, 10);
    if (*end || n <= 0 || n > 1000) return 0;
    if (spawn_param) *spawn_param = (int)n;
    return FT_ANN_SPAWN;
  }
  return 0;
}

ft_tu *ft_tu_create(const char *file, const char *directory) {
  ft_tu *tu = calloc(1, sizeof *tu);
  if (!tu) return NULL;
  tu->complete = 1;
  tu->file = ft_str(tu, file);
  tu->directory = ft_str(tu, directory);
  return tu;
}

void ft_tu_destroy(ft_tu *tu) {
  if (!tu) return;
  free(tu->funcs.v);
  free(tu->calls.v);
  free(tu->icalls.v);
  free(tu->addrs.v);
  free(tu->effects.v);
  free(tu->diags.v);
  free(tu->inputs.v);
  free(tu->polluted.v);
  ut_map_free(&tu->func_index);
  ut_arena_free(&tu->arena);
  fl_unit_destroy(tu->flow);
  free(tu);
}

const char *ft_str(ft_tu *tu, const char *s) {
  const char *p = ut_arena_strdup(&tu->arena, s);
  if (!p) {
    tu->failed = 1;
    return "";
  }
  return p;
}

uint32_t ft_func_intern(ft_tu *tu, const char *usr, const char *path_key, int *is_new) {
  ut_buf key = {0};
  ut_buf_pair(&key, usr, path_key);
  uint32_t idx = FT_NONE;
  *is_new = 0;
  if (key.failed) {
    tu->failed = 1;
  } else if (!ut_map_get(&tu->func_index, key.s, &idx)) {
    ft_func f = {0};
    f.usr = ft_str(tu, usr);
    f.path_key = ft_str(tu, path_key);
    f.name = "";
    f.loc.file = "";
    f.hdecl.file = "";
    idx = (uint32_t)tu->funcs.n;
    if (UT_PUSH(tu->funcs, f) < 0 || ut_map_put(&tu->func_index, ft_str(tu, key.s), idx) < 0) {
      tu->failed = 1;
      idx = FT_NONE;
    } else {
      *is_new = 1;
    }
  }
  ut_buf_free(&key);
  return idx;
}

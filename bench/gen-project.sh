#!/bin/sh
# SPDX-License-Identifier: MIT
# gen-project.sh DIR N [SEED] - generate a synthetic C code base of N TUs.
#
# Each TU includes real system headers (stdio, stdlib, string, pthread), a
# shared project header, and defines a few functions that call into the
# neighbouring TUs, so the call graph crosses files.  Every 7th TU reads a
# thread-local counter, every 11th aborts on a bad argument, every 13th
# calls through a function pointer.  Writes DIR/compile_commands.json.
set -eu
dir=$1
n=$2
seed=${3:-1}
mkdir -p "$dir/src" "$dir/include"
dir=$(cd "$dir" && pwd -P)

cat >"$dir/include/proj.h" <<'H'
#ifndef PROJ_H
#define PROJ_H
#include <stddef.h>
extern _Thread_local unsigned proj_counter;
static inline size_t proj_clamp(size_t v, size_t hi) { return v > hi ? hi : v; }
typedef int (*proj_cb)(int);
H
i=0
while [ "$i" -lt "$n" ]; do
  printf 'int f%d_entry(int x);\nint f%d_helper(int x);\n' "$i" "$i" >>"$dir/include/proj.h"
  i=$((i + 1))
done
echo '#endif' >>"$dir/include/proj.h"

i=0
while [ "$i" -lt "$n" ]; do
  next=$(((i + 1) % n))
  far=$(((i * 7 + seed) % n))
  f=$dir/src/u$i.c
  {
    printf '#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <pthread.h>\n#include "proj.h"\n\n'
    [ "$i" -eq 0 ] && printf '_Thread_local unsigned proj_counter;\n'
    printf 'static int f%d_local(int x) { return (int)proj_clamp((size_t)x, 100u) + %d; }\n' "$i" "$i"
    printf 'int f%d_helper(int x) {\n' "$i"
    [ $((i % 7)) -eq 3 ] && printf '  proj_counter++;\n'
    [ $((i % 11)) -eq 5 ] && printf '  if (x < -1000) abort();\n'
    printf '  return f%d_local(x) * 2;\n}\n' "$i"
    printf 'int f%d_entry(int x) {\n' "$i"
    if [ $((i % 13)) -eq 4 ]; then
      printf '  proj_cb cb = f%d_helper;\n  x = cb(x);\n' "$next"
    fi
    printf '  if (x > 1 << 20) return f%d_helper(x / 2);\n' "$next"
    printf '  return x > 0 ? f%d_helper(x - 1) : f%d_local(x);\n}\n' "$far" "$i"
  } >"$f"
  i=$((i + 1))
done

{
  printf '['
  i=0
  while [ "$i" -lt "$n" ]; do
    [ "$i" -gt 0 ] && printf ','
    printf '\n{"directory":"%s","file":"src/u%d.c","arguments":["clang","-std=c11","-O2","-I%s/include","-c","src/u%d.c","-o","u%d.o"]}' \
      "$dir" "$i" "$dir" "$i" "$i"
    i=$((i + 1))
  done
  printf '\n]\n'
} >"$dir/compile_commands.json"

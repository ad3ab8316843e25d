/* SPDX-License-Identifier: MIT */
/*
 * factstore.c - the facts cache: ft_tu <-> properties-database rows.
 *
 * Invariant: what is read back is exactly what was stored (factblob's
 * encoding round-trips, diagnostics and inputs are copied field by field),
 * and a stored entry that does not decode is an error naming the TU, never
 * a partial program.
 */
#include <stdlib.h>
#include <string.h>

#include "factblob.h"
#include "factstore.h"

static pdb_input fs_input(const ft_input *in) {
  pdb_input r = {in->path, in->size, in->mtime_ns, in->inode, in->ctime_ns, {0}};
  memcpy(r.hash, in->hash, sizeof r.hash);
  return r;
}

int fs_store_tu(pdb *db, const ft_tu *tu, const char *flags_hash) {
  ut_buf blob = {0}, lookups = {0};
  pdb_diag *diags = calloc(tu->diags.n + 1, sizeof *diags);
  pdb_input *inputs = calloc(tu->inputs.n + 1, sizeof *inputs);
  int rc = -1;
  if (!diags || !inputs || fb_encode(tu, &blob) < 0) {
    pdb_oom(db, "encoding facts");
    goto out;
  }
  if (fb_encode_lookups(&tu->lookups, &lookups) < 0) {
    pdb_oom(db, "encoding header lookups");
    goto out;
  }
  for (size_t i = 0; i < tu->diags.n; i++) {
    const ft_diag *d = &tu->diags.v[i];
    diags[i] = (pdb_diag){d->loc.file, (int)d->loc.line, (int)d->loc.col, d->error, d->message};
  }
  for (size_t i = 0; i < tu->inputs.n; i++) inputs[i] = fs_input(&tu->inputs.v[i]);
  pdb_tu row = {tu->file,  tu->directory, tu->complete, tu->pic,     tu->field_facts, blob.s,      blob.n,
                lookups.s, lookups.n,     diags,        tu->diags.n, inputs,          tu->inputs.n};
  rc = pdb_store_tu(db, &row, flags_hash);
out:
  ut_buf_free(&blob);
  ut_buf_free(&lookups);
  free(diags);
  free(inputs);
  return rc;
}

typedef struct fs_walk {
  pdb *db;
  int (*fn)(void *arg, const ft_tu *tu, const char *flags_hash);
  void *arg;
} fs_walk;

static int fs_decode_fn(void *arg, const pdb_tu *row, const char *flags_hash) {
  fs_walk *w = arg;
  ft_tu *tu = fb_decode(row->facts, row->facts_len, row->file, row->directory);
  if (tu) {
    tu->complete = row->complete;
    tu->pic = (uint8_t)row->pic;
    tu->field_facts = (uint8_t)row->field_facts;
  }
  for (size_t i = 0; tu && i < row->ninputs; i++) {
    const pdb_input *r = &row->inputs[i];
    ft_input in = {ft_str(tu, r->path), r->size, r->mtime_ns, r->inode, r->ctime_ns, {0}};
    memcpy(in.hash, r->hash, sizeof in.hash);
    if (UT_PUSH(tu->inputs, in) < 0) tu->failed = 1;
  }
  if (!tu) return pdb_damaged(w->db, row->file, "they cannot be decoded");
  if (row->lookups && fb_decode_lookups(row->lookups, row->lookups_len, tu) < 0) {
    ft_tu_destroy(tu);
    return pdb_damaged(w->db, row->file, "the recorded header lookups are damaged");
  }
  if (tu->failed) {
    ft_tu_destroy(tu);
    return pdb_oom(w->db, "reading facts");
  }
  int rc = w->fn(w->arg, tu, flags_hash);
  ft_tu_destroy(tu);
  return rc;
}

int fs_each_tu_keyed(pdb *db, int inputs, int (*fn)(void *arg, const ft_tu *tu, const char *flags_hash), void *arg) {
  fs_walk w = {db, fn, arg};
  return pdb_each_tu(db, inputs, fs_decode_fn, &w);
}

typedef struct fs_plain {
  int (*fn)(void *arg, const ft_tu *tu);
  void *arg;
} fs_plain;

static int fs_plain_fn(void *arg, const ft_tu *tu, const char *flags_hash) {
  const fs_plain *p = arg;
  (void)flags_hash;
  return p->fn(p->arg, tu);
}

int fs_each_tu(pdb *db, int (*fn)(void *arg, const ft_tu *tu), void *arg) {
  fs_plain p = {fn, arg};
  return fs_each_tu_keyed(db, 0, fs_plain_fn, &p);
}

int fs_each_tu_gen(pdb *db, int64_t *gen, int (*fn)(void *arg, const ft_tu *tu), void *arg) {
  fs_plain p = {fn, arg};
  fs_walk w = {db, fs_plain_fn, &p};
  return pdb_each_tu_gen(db, gen, fs_decode_fn, &w);
}

int fs_each_tu_gen_keyed(pdb *db, int64_t *gen, int (*fn)(void *arg, const ft_tu *tu, const char *flags_hash),
                         void *arg) {
  fs_walk w = {db, fn, arg};
  return pdb_each_tu_gen(db, gen, fs_decode_fn, &w);
}

int fs_tu_lookups(pdb *db, int64_t tu, ft_tu *into) {
  void *data;
  size_t n;
  int ok = pdb_tu_lookups(db, tu, &data, &n);
  if (ok == 1 && fb_decode_lookups(data, n, into) < 0) ok = 0;
  free(data);
  return ok;
}

int fs_touch_lookups(pdb *db, int64_t tu, const ft_lookups *l) {
  ut_buf b = {0};
  int rc = fb_encode_lookups(l, &b) < 0 ? pdb_oom(db, "encoding header lookups") : pdb_touch_lookups(db, tu, b.s, b.n);
  ut_buf_free(&b);
  return rc;
}

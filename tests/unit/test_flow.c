/* SPDX-License-Identifier: MIT */
/*
 * test_flow.c - Check suite for the flow IR and the intraprocedural stage-3
 * analysis (analyzer/flow.c).
 *
 * Hand-built IR pins each rule of docs/stage3.md §4 (a value live across a
 * suspension, content written before and read after, escapes, kills, the
 * summary bits, substitution at calls, the witness).  Random CFGs are
 * checked against two naive models: an exploration of every concrete path
 * state (the meet over all paths, which a distributive framework's fixpoint
 * must equal exactly), and, on acyclic CFGs, liveness computed by
 * enumerating every path and scanning for a use after each suspension.
 * The PRNG is a fixed-seed xorshift, so every run sees the same graphs.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include "flow.h"

/* ---- helpers ---------------------------------------------------------------- */
static fl_loc L(uint32_t line) { return (fl_loc){0, line, 1}; }

#define OBJ(i)  (FL_OBJ | (uint32_t)(i))
#define ADDR(i) (FL_OBJ | FL_ADDR | (uint32_t)(i))

typedef struct t_fn {
  fl_unit *u;
  fl_build b;
  uint32_t fi;
} t_fn;

static void t_begin(t_fn *t, uint32_t nparams, uint32_t nlocals) {
  if (!t->u) t->u = fl_unit_create();
  ck_assert_ptr_nonnull(t->u);
  fl_begin(&t->b, t->u, 0, nparams);
  for (uint32_t i = nparams; i < nlocals; i++) fl_local(&t->b, "x");
}

/* One-value events. */
static void t_ev(t_fn *t, uint32_t blk, fl_op op, uint8_t flags, int32_t dst, uint32_t aux, const uint32_t *ops,
                 uint32_t n, uint32_t line) {
  fl_vspec v = {ops, n, 0};
  fl_emit(&t->b, blk, op, flags, dst, aux, &v, 1, L(line));
}

static void t_assign(t_fn *t, uint32_t blk, int32_t dst, uint32_t op, uint32_t line) {
  t_ev(t, blk, FL_ASSIGN, 0, dst, 0, &op, 1, line);
}

static void t_use(t_fn *t, uint32_t blk, uint32_t op, uint32_t line) { t_ev(t, blk, FL_USE, 0, -1, 0, &op, 1, line); }

static void t_call(t_fn *t, uint32_t blk, int32_t dst, const uint32_t *args, uint32_t nargs, uint32_t line) {
  fl_vspec v[4];
  for (uint32_t i = 0; i < nargs; i++) v[i] = (fl_vspec){&args[i], 1, 0};
  fl_emit(&t->b, blk, FL_CALL, 0, dst, FL_NONE, v, nargs, L(line));
}

static void t_end(t_fn *t) {
  t->fi = fl_end(&t->b);
  ck_assert_uint_ne(t->fi, FL_NONE);
  ck_assert_int_eq(fl_check(t->u), 0);
}

/* Callee summaries by event line: the test's env. */
typedef struct t_callees {
  const fl_unit *u;
  fl_sum *by_line[64];
} t_callees;

static const fl_sum *t_callee(void *arg, uint32_t event) {
  t_callees *c = arg;
  uint32_t line = c->u->events.v[event].loc.line;
  return line < 64 ? c->by_line[line] : NULL;
}

static fl_sum yield_sum = {.susp = FL_SUSP_YES};

static uint32_t objmap[8] = {0, 1, 2, 3, 4, 5, 6, 7};

static void t_run(t_fn *t, t_callees *c, uint32_t nobj, uint32_t errno_obj, fl_result *r) {
  c->u = t->u;
  fl_env env = {nobj, objmap, errno_obj, t_callee, c, 1, 1, 0};
  ck_assert_int_eq(fl_analyze(t->u, t->fi, &env, r), 0);
  ck_assert_int_eq(r->status, FL_OK);
}

/* ---- hand-built cases ------------------------------------------------------- */
/* p = &tv; yield(); use(p): violated, witness access 1, suspension 2, use 3 */
START_TEST(test_value_live_across) {
  t_fn t = {0};
  t_begin(&t, 0, 1);
  fl_object_intern(t.u, "v:tv", "tv");
  t_assign(&t, 0, 0, ADDR(0), 1);
  t_call(&t, 0, -1, NULL, 0, 2);
  t_use(&t, 0, 0, 3);
  fl_edge(&t.b, 0, 1);
  t_end(&t);
  t_callees c = {0};
  c.by_line[2] = &yield_sum;
  fl_result r;
  t_run(&t, &c, 1, FL_NONE, &r);
  ck_assert_uint_eq(r.finds.n, 1);
  fl_finding *f = &r.finds.v[0];
  ck_assert_int_eq(f->kind, FL_FIND_VALUE);
  ck_assert_uint_eq(f->origin, 0);
  ck_assert_int_eq(f->local, 0);
  ck_assert_uint_eq(t.u->events.v[f->access].loc.line, 1);
  ck_assert_uint_eq(t.u->events.v[f->susp].loc.line, 2);
  ck_assert_uint_eq(t.u->events.v[f->use].loc.line, 3);
  ck_assert_int_eq(r.sum.susp, FL_SUSP_YES);
  fl_result_free(&r);
  fl_unit_destroy(t.u);
}
END_TEST

/* p = &tv; yield(); p = &tv; use(p): the re-read after the yield is fine */
START_TEST(test_value_reread) {
  t_fn t = {0};
  t_begin(&t, 0, 1);
  fl_object_intern(t.u, "v:tv", "tv");
  t_assign(&t, 0, 0, ADDR(0), 1);
  t_use(&t, 0, 0, 2);
  t_call(&t, 0, -1, NULL, 0, 3);
  t_assign(&t, 0, 0, ADDR(0), 4);
  t_use(&t, 0, 0, 5);
  fl_edge(&t.b, 0, 1);
  t_end(&t);
  t_callees c = {0};
  c.by_line[3] = &yield_sum;
  fl_result r;
  t_run(&t, &c, 1, FL_NONE, &r);
  ck_assert_uint_eq(r.finds.n, 0);
  fl_result_free(&r);
  fl_unit_destroy(t.u);
}
END_TEST

/* Loop: block 2 { use(p); yield(); } with p = &tv before the loop: the use
 * in the second iteration is after a suspension. */
START_TEST(test_value_loop) {
  t_fn t = {0};
  t_begin(&t, 0, 1);
  fl_object_intern(t.u, "v:tv", "tv");
  uint32_t body = fl_new_block(&t.b);
  t_assign(&t, 0, 0, ADDR(0), 1);
  t_use(&t, body, 0, 2);
  t_call(&t, body, -1, NULL, 0, 3);
  fl_edge(&t.b, 0, body);
  fl_edge(&t.b, body, body);
  fl_edge(&t.b, body, 1);
  t_end(&t);
  t_callees c = {0};
  c.by_line[3] = &yield_sum;
  fl_result r;
  t_run(&t, &c, 1, FL_NONE, &r);
  ck_assert_uint_eq(r.finds.n, 1);
  ck_assert_uint_eq(t.u->events.v[r.finds.v[0].event].loc.line, 2);
  ck_assert_uint_eq(t.u->events.v[r.finds.v[0].susp].loc.line, 3);
  ck_assert_uint_eq(t.u->events.v[r.finds.v[0].access].loc.line, 1);
  fl_result_free(&r);
  fl_unit_destroy(t.u);
}
END_TEST

/* errno: e = __errno_location() (returns errno's address); write(); yield();
 * x = *e (the address crossed: violated).  A value loaded from errno before
 * the yield and used after is plain data (no finding). */
START_TEST(test_errno_address_and_value) {
  t_fn t = {0};
  t_begin(&t, 0, 3);
  fl_sum loc = {0};
  ck_assert_int_eq(fl_sum_set_obj(&loc, 0, FL_S_RET), 0);
  t_call(&t, 0, 0, NULL, 0, 1);        /* e = __errno_location() */
  uint32_t e = 0;
  t_ev(&t, 0, FL_LOAD, 0, 1, 0, &e, 1, 2); /* v = *e */
  t_call(&t, 0, -1, NULL, 0, 3);       /* yield */
  t_use(&t, 0, 1, 4);                  /* use(v): fine */
  t_ev(&t, 0, FL_LOAD, 0, 2, 0, &e, 1, 5); /* *e after the yield: violated */
  fl_edge(&t.b, 0, 1);
  t_end(&t);
  t_callees c = {0};
  c.by_line[1] = &loc;
  c.by_line[3] = &yield_sum;
  fl_result r;
  t_run(&t, &c, 1, 0, &r);
  ck_assert_uint_eq(r.finds.n, 1);
  ck_assert_int_eq(r.finds.v[0].kind, FL_FIND_VALUE);
  ck_assert_uint_eq(t.u->events.v[r.finds.v[0].event].loc.line, 5);
  ck_assert_uint_eq(t.u->events.v[r.finds.v[0].access].loc.line, 1);
  fl_result_free(&r);
  fl_sum_free(&loc);
  fl_unit_destroy(t.u);
}
END_TEST

/* Content: a call that writes errno (the failing call), yield, read errno:
 * violated; the same with a killing call after the yield: proven. */
START_TEST(test_content_errno) {
  for (int with_kill = 0; with_kill < 2; with_kill++) {
    t_fn t = {0};
    t_begin(&t, 0, 2);
    fl_sum io = {0}, loc = {0};
    ck_assert_int_eq(fl_sum_set_obj(&io, 0, FL_S_WR | FL_S_KILL), 0);
    ck_assert_int_eq(fl_sum_set_obj(&loc, 0, FL_S_RET), 0);
    t_call(&t, 0, -1, NULL, 0, 1); /* write() fails: errno written */
    t_call(&t, 0, -1, NULL, 0, 2); /* yield */
    if (with_kill) t_call(&t, 0, -1, NULL, 0, 3); /* read() again */
    t_call(&t, 0, 0, NULL, 0, 4);  /* __errno_location */
    uint32_t e = 0;
    t_ev(&t, 0, FL_LOAD, 0, 1, 0, &e, 1, 5);
    fl_edge(&t.b, 0, 1);
    t_end(&t);
    t_callees c = {0};
    c.by_line[1] = &io;
    c.by_line[2] = &yield_sum;
    c.by_line[3] = &io;
    c.by_line[4] = &loc;
    fl_result r;
    t_run(&t, &c, 1, 0, &r);
    if (with_kill) {
      ck_assert_uint_eq(r.finds.n, 0);
    } else {
      ck_assert_uint_eq(r.finds.n, 1);
      ck_assert_int_eq(r.finds.v[0].kind, FL_FIND_CONTENT);
      ck_assert_uint_eq(t.u->events.v[r.finds.v[0].access].loc.line, 1);
      ck_assert_uint_eq(t.u->events.v[r.finds.v[0].susp].loc.line, 2);
      ck_assert_uint_eq(t.u->events.v[r.finds.v[0].use].loc.line, 5);
    }
    /* the summary: errno written and killed on every path */
    ck_assert_uint_eq(fl_sum_obj(&r.sum, 0) & (FL_S_WR | FL_S_KILL), FL_S_WR | FL_S_KILL);
    fl_result_free(&r);
    fl_sum_free(&io);
    fl_sum_free(&loc);
    fl_unit_destroy(t.u);
  }
}
END_TEST

/* errno = 0 is `*__errno_location() = 0`: a store through a pointer that
 * must point to errno kills its content, so errno cleared after the yield
 * in a loop does not carry the previous iteration's write across it. */
START_TEST(test_store_through_must_pointer_kills) {
  for (int strong = 0; strong < 2; strong++) {
    t_fn t = {0};
    t_begin(&t, 0, 2);
    fl_sum loc = {0}, io = {0};
    loc.ret_must = 1; /* object 0 + 1 */
    ck_assert_int_eq(fl_sum_set_obj(&loc, 0, FL_S_RET), 0);
    ck_assert_int_eq(fl_sum_set_obj(&io, 0, FL_S_WR), 0); /* strtol: writes errno only on failure */
    uint32_t body = fl_new_block(&t.b), e = 0, none[1];
    fl_edge(&t.b, 0, body);
    t_call(&t, body, 0, NULL, 0, 1);                 /* e = __errno_location() */
    fl_vspec st[2] = {{&e, 1, 0}, {none, 0, 0}};
    fl_emit(&t.b, body, FL_STORE, strong ? FL_STRONG : 0, -1, 0, st, 2, L(2)); /* *e = 0 */
    t_call(&t, body, -1, NULL, 0, 3);                /* strtol */
    t_call(&t, body, 0, NULL, 0, 4);                 /* e = __errno_location() */
    t_ev(&t, body, FL_LOAD, 0, 1, 0, &e, 1, 5);      /* if (errno) */
    t_call(&t, body, -1, NULL, 0, 6);                /* yield */
    fl_edge(&t.b, body, body);
    fl_edge(&t.b, body, 1);
    t_end(&t);
    t_callees c = {0};
    c.by_line[1] = c.by_line[4] = &loc;
    c.by_line[3] = &io;
    c.by_line[6] = &yield_sum;
    fl_result r;
    t_run(&t, &c, 1, 0, &r);
    ck_assert_uint_eq(r.finds.n, strong ? 0 : 1);
    fl_result_free(&r);
    fl_sum_free(&loc);
    fl_sum_free(&io);
    fl_unit_destroy(t.u);
  }
}
END_TEST

/* A pointer to a thread-local stored into memory escapes: the next
 * suspension is a violation, with access, escape and suspension. */
START_TEST(test_escape) {
  t_fn t = {0};
  t_begin(&t, 1, 2);
  fl_object_intern(t.u, "v:tv", "tv");
  t_assign(&t, 0, 1, ADDR(0), 1);
  uint32_t ptr = 0, val = 1;
  fl_vspec v[2] = {{&ptr, 1, 0}, {&val, 1, 0}};
  fl_emit(&t.b, 0, FL_STORE, 0, -1, 0, v, 2, L(2)); /* heap->p = p */
  t_call(&t, 0, -1, NULL, 0, 3);
  fl_edge(&t.b, 0, 1);
  t_end(&t);
  t_callees c = {0};
  c.by_line[3] = &yield_sum;
  fl_result r;
  t_run(&t, &c, 1, FL_NONE, &r);
  ck_assert_uint_eq(r.finds.n, 1);
  ck_assert_int_eq(r.finds.v[0].kind, FL_FIND_ESCAPE);
  ck_assert_uint_eq(t.u->events.v[r.finds.v[0].access].loc.line, 1);
  ck_assert_uint_eq(t.u->events.v[r.finds.v[0].use].loc.line, 2);
  ck_assert_uint_eq(t.u->events.v[r.finds.v[0].susp].loc.line, 3);
  /* summary: the object escapes; content written through the parameter */
  ck_assert(fl_sum_obj(&r.sum, 0) & FL_S_ESC);
  ck_assert(r.sum.param[0] & FL_S_WR);
  fl_result_free(&r);
  fl_unit_destroy(t.u);
}
END_TEST

/* Parameter summary bits: g(a, b, c) { r = a; store *b := c; yield(); use(a);
 * return r; } */
START_TEST(test_param_summary) {
  t_fn t = {0};
  t_begin(&t, 3, 4);
  t_assign(&t, 0, 3, 0, 1);
  uint32_t p1 = 1, p2 = 2;
  fl_vspec v[2] = {{&p1, 1, 0}, {&p2, 1, 0}};
  fl_emit(&t.b, 0, FL_STORE, 0, -1, 0, v, 2, L(2));
  t_call(&t, 0, -1, NULL, 0, 3);
  t_use(&t, 0, 0, 4);
  uint32_t r3 = 3;
  t_ev(&t, 0, FL_RET, 0, -1, 0, &r3, 1, 5);
  fl_edge(&t.b, 0, 1);
  t_end(&t);
  t_callees c = {0};
  c.by_line[3] = &yield_sum;
  fl_result r;
  t_run(&t, &c, 0, FL_NONE, &r);
  ck_assert_uint_eq(r.finds.n, 0);
  ck_assert_uint_eq(r.sum.nparams, 3);
  ck_assert(r.sum.param[0] & FL_S_RET);
  ck_assert(r.sum.param[0] & FL_S_LIVE);
  ck_assert(r.sum.param[1] & FL_S_WR);
  ck_assert(r.sum.param[1] & FL_S_XOUT); /* written, then suspended, reaches the return */
  ck_assert(r.sum.param[2] & FL_S_ESC);
  ck_assert(r.sum.param[2] & FL_S_LIVE); /* escaped, then suspended */
  ck_assert(!(r.sum.param[1] & FL_S_KILL));
  fl_result_free(&r);
  fl_unit_destroy(t.u);
}
END_TEST

/* Substitution at a call: passing &tv to a callee whose parameter is live
 * across its suspension is a violation at the call. */
START_TEST(test_call_live_param) {
  t_fn t = {0};
  t_begin(&t, 0, 1);
  fl_object_intern(t.u, "v:tv", "tv");
  t_assign(&t, 0, 0, ADDR(0), 1);
  uint32_t arg = 0;
  t_call(&t, 0, -1, &arg, 1, 2);
  fl_edge(&t.b, 0, 1);
  t_end(&t);
  uint16_t pm = FL_S_LIVE;
  fl_sum callee = {.susp = FL_SUSP_YES, .nparams = 1, .param = &pm};
  t_callees c = {0};
  c.by_line[2] = &callee;
  fl_result r;
  t_run(&t, &c, 1, FL_NONE, &r);
  ck_assert_uint_eq(r.finds.n, 1);
  ck_assert_int_eq(r.finds.v[0].kind, FL_FIND_CALL_VALUE);
  ck_assert_int_eq(r.finds.v[0].arg, 0);
  ck_assert_uint_eq(t.u->events.v[r.finds.v[0].access].loc.line, 1);
  fl_result_free(&r);
  fl_unit_destroy(t.u);
}
END_TEST

/* Uncertain suspensions count only when asked to. */
START_TEST(test_maybe) {
  t_fn t = {0};
  t_begin(&t, 0, 1);
  fl_object_intern(t.u, "v:tv", "tv");
  t_assign(&t, 0, 0, ADDR(0), 1);
  t_call(&t, 0, -1, NULL, 0, 2);
  t_use(&t, 0, 0, 3);
  fl_edge(&t.b, 0, 1);
  t_end(&t);
  fl_sum maybe = {.susp = FL_SUSP_MAYBE};
  t_callees c = {0};
  c.u = t.u;
  c.by_line[2] = &maybe;
  for (int m = 0; m < 2; m++) {
    fl_env env = {1, objmap, FL_NONE, t_callee, &c, m, 1, 0};
    fl_result r;
    ck_assert_int_eq(fl_analyze(t.u, t.fi, &env, &r), 0);
    ck_assert_uint_eq(r.finds.n, (size_t)m);
    ck_assert_int_eq(r.crossed_maybe, m);
    ck_assert_int_eq(r.sum.maybe, 1);
    fl_result_free(&r);
  }
  fl_unit_destroy(t.u);
}
END_TEST

START_TEST(test_not_understood_and_copy) {
  t_fn t = {0};
  t_begin(&t, 1, 2);
  fl_name_param(&t.b, 0, "arg");
  fl_object_intern(t.u, "v:tv", "tv");
  t_assign(&t, 0, 1, ADDR(0), 1);
  fl_give_up(&t.b, "statement expression", L(7));
  fl_give_up(&t.b, "later reason", L(8));
  fl_edge(&t.b, 0, 1);
  t_end(&t);
  ck_assert_int_eq(t.u->funcs.v[t.fi].understood, 0);
  ck_assert_str_eq(t.u->strs.v[t.u->funcs.v[t.fi].why], "statement expression");
  fl_env env = {1, objmap, FL_NONE, NULL, NULL, 1, 0, 0};
  fl_result r;
  ck_assert_int_eq(fl_analyze(t.u, t.fi, &env, &r), 0);
  ck_assert_int_eq(r.status, FL_NOT_UNDERSTOOD);
  fl_result_free(&r);
  fl_unit *d = fl_unit_create();
  fl_object_intern(d, "v:other", "other");
  uint32_t g = fl_copy_func(d, t.u, t.fi);
  ck_assert_uint_ne(g, FL_NONE);
  ck_assert_int_eq(fl_check(d), 0);
  const fl_func *f = &d->funcs.v[g];
  ck_assert_str_eq(d->strs.v[d->names.v[f->names]], "arg");
  const fl_event *e = &d->events.v[d->blocks.v[f->blk].ev];
  uint32_t op = d->opnds.v[d->vals.v[e->val].first];
  ck_assert_uint_eq(FL_IDX(op), 1); /* remapped: "v:tv" is object 1 of d */
  ck_assert_str_eq(d->strs.v[d->objs.v[1].key], "v:tv");
  fl_unit_destroy(d);
  fl_unit_destroy(t.u);
}
END_TEST

START_TEST(test_check_rejects) {
  t_fn t = {0};
  t_begin(&t, 0, 1);
  t_assign(&t, 0, 0, 0, 1);
  fl_edge(&t.b, 0, 1);
  t_end(&t);
  t.u->opnds.v[0] = 5; /* local 5 of a function with 1 */
  ck_assert_int_eq(fl_check(t.u), -1);
  t.u->opnds.v[0] = 0;
  t.u->succs.v[0] = 99;
  ck_assert_int_eq(fl_check(t.u), -1);
  fl_unit_destroy(t.u);
}
END_TEST

START_TEST(test_sum_join) {
  fl_sum a = {0}, b = {0};
  fl_sum_set_obj(&a, 3, FL_S_WR | FL_S_KILL);
  fl_sum_set_obj(&a, 1, FL_S_RET);
  fl_sum_set_obj(&b, 3, FL_S_WR);
  fl_sum_set_obj(&b, 2, FL_S_KILL | FL_S_ESC);
  b.susp = FL_SUSP_MAYBE;
  ck_assert_int_eq(fl_sum_join(&a, &b), 0);
  ck_assert_uint_eq(fl_sum_obj(&a, 3), FL_S_WR); /* only one kills */
  ck_assert_uint_eq(fl_sum_obj(&a, 1), FL_S_RET);
  ck_assert_uint_eq(fl_sum_obj(&a, 2), FL_S_ESC);
  ck_assert_int_eq(a.susp, FL_SUSP_MAYBE);
  fl_sum c;
  ck_assert_int_eq(fl_sum_copy(&c, &a), 0);
  ck_assert(fl_sum_equal(&a, &c));
  fl_sum_set_obj(&c, 1, 0);
  ck_assert(!fl_sum_equal(&a, &c));
  fl_sum_free(&a), fl_sum_free(&b), fl_sum_free(&c);
}
END_TEST

/* ---- random CFGs against naive models -------------------------------------- */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint32_t rnd(uint32_t n) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (uint32_t)(rng % n);
}

#define NOBJ  3
#define MAXL  4
#define NSUMS 6

typedef struct n_state {
  uint64_t T[MAXL], TC[MAXL], def, crs, ent, entc, kill, esc;
  uint64_t M[MAXL];         /* must-point: the one object a local surely points to, FL_NONE */
} n_state;

typedef struct n_find {
  uint8_t kind;
  uint32_t origin, event;
  int32_t local, arg;
} n_find;

typedef struct n_ctx {
  const fl_unit *u;
  const fl_func *f;
  t_callees *c;
  uint32_t nobj, W, errno_obj;
  int maybe;
  n_find finds[512];
  size_t nfinds;
  uint16_t acc[NOBJ + 4];
  uint16_t killmask;        /* objects killed on every path reaching the exit */
  int exit_seen;
  uint8_t susp;
  int collect;              /* 0: exploring (findings go to pathfinds) */
  n_find pathfinds[512];
  size_t npathfinds;
  n_state mop[64];          /* per event: the union of the states reaching it */
  uint8_t mop_seen[64];
} n_ctx;

static void n_find_add(n_ctx *n, uint8_t kind, uint32_t o, uint32_t ev, int32_t local, int32_t arg) {
  n_find *v = n->collect ? n->finds : n->pathfinds;
  size_t *cnt = n->collect ? &n->nfinds : &n->npathfinds;
  for (size_t i = 0; i < *cnt; i++)
    if (v[i].kind == kind && v[i].origin == o && v[i].event == ev && v[i].local == local && v[i].arg == arg) return;
  ck_assert_uint_lt(*cnt, 512);
  v[(*cnt)++] = (n_find){kind, o, ev, local, arg};
}

static uint16_t acc_sink;
#define ACC(n, o) (*((n)->collect ? &(n)->acc[o] : &acc_sink))

static uint64_t n_val(const n_ctx *n, const n_state *s, const fl_val *v) {
  uint64_t r = 0;
  for (uint32_t k = 0; k < v->n; k++) {
    uint32_t op = n->u->opnds.v[v->first + k];
    r |= op & FL_OBJ ? 1ull << FL_IDX(op) : s->T[op] | s->TC[op];
  }
  return r;
}

static uint64_t n_single(const n_ctx *n, const n_state *s, const fl_val *v) {
  if (v->n != 1) return FL_NONE;
  uint32_t op = n->u->opnds.v[v->first];
  if (op & FL_OBJ) return op & FL_ADDR ? FL_IDX(op) : FL_NONE;
  return s->M[op];
}

static void n_use(n_ctx *n, const n_state *s, const fl_val *v, uint32_t ev) {
  for (uint32_t k = 0; k < v->n; k++) {
    uint32_t op = n->u->opnds.v[v->first + k];
    if (op & FL_OBJ) continue;
    for (uint32_t o = 0; o < n->W; o++)
      if (s->TC[op] >> o & 1) {
        if (o < n->nobj) n_find_add(n, FL_FIND_VALUE, o, ev, (int32_t)op, -1);
        else ACC(n, o) |= FL_S_LIVE;
      }
  }
}

static void n_read(n_ctx *n, const n_state *s, uint64_t set, uint32_t ev) {
  for (uint32_t o = 0; o < n->W; o++) {
    if (!(set >> o & 1)) continue;
    if (s->crs >> o & 1) {
      if (o < n->nobj) n_find_add(n, FL_FIND_CONTENT, o, ev, -1, -1);
      else ACC(n, o) |= FL_S_XC;
    }
    if (s->entc >> o & 1) ACC(n, o) |= FL_S_XIN;
    if (s->ent >> o & 1) ACC(n, o) |= FL_S_RD;
  }
}

static void n_write(n_ctx *n, n_state *s, uint64_t set, int strong) {
  s->def |= set;
  if (!strong) return;
  uint64_t objs = set & ((1ull << n->nobj) - 1);
  s->crs &= ~objs, s->ent &= ~objs, s->entc &= ~objs, s->kill |= objs;
}

static void n_cross(n_ctx *n, n_state *s, uint32_t ev) {
  for (uint32_t o = 0; o < n->W; o++)
    if (s->esc >> o & 1) {
      if (o < n->nobj) n_find_add(n, FL_FIND_ESCAPE, o, ev, -1, -1);
      else ACC(n, o) |= FL_S_LIVE;
    }
  s->crs |= s->def, s->def = 0, s->entc |= s->ent, s->ent = 0;
  for (uint32_t x = 0; x < MAXL; x++) s->TC[x] |= s->T[x], s->T[x] = 0;
}

static uint16_t n_mask(const n_ctx *n, const fl_sum *s, uint32_t u) {
  if (u < n->nobj) return fl_sum_obj(s, u);
  return u - n->nobj < s->nparams ? s->param[u - n->nobj] : 0;
}

static void n_call(n_ctx *n, n_state *s, const fl_event *e, uint32_t ev) {
  const fl_sum *sm = t_callee(n->c, ev);
  uint64_t A[4] = {0};
  for (uint32_t i = 0; i < e->nval; i++) {
    n_use(n, s, &n->u->vals.v[e->val + i], ev);
    A[i] = n_val(n, s, &n->u->vals.v[e->val + i]);
  }
  uint64_t res = 0;
  int susp = sm && (sm->susp == FL_SUSP_YES || (sm->susp == FL_SUSP_MAYBE && n->maybe));
  if (n->collect && sm && sm->susp > n->susp) n->susp = sm->susp;
  if (!sm || sm->opaque) {
    for (uint32_t i = 0; i < e->nval; i++) {
      if (sm) s->esc |= A[i];
      res |= A[i];
    }
    if (susp) n_cross(n, s, ev);
  } else {
    for (uint32_t i = sm->nparams; i < e->nval; i++) s->esc |= A[i];
    uint32_t nu = n->nobj + sm->nparams;
    for (uint32_t u = 0; u < nu; u++) {
      uint16_t m = n_mask(n, sm, u);
      uint64_t sg = u < n->nobj ? 1ull << u : (u - n->nobj < e->nval ? A[u - n->nobj] : 0);
      if (m & FL_S_RD) n_read(n, s, sg, ev);
      for (uint32_t v = 0; v < n->W; v++) {
        if (!(sg >> v & 1)) continue;
        int obj = v < n->nobj;
        if ((m & FL_S_XIN) && ((s->def | s->crs) >> v & 1)) {
          if (obj) n_find_add(n, FL_FIND_CALL_CONTENT, v, ev, -1, -1);
          else ACC(n, v) |= FL_S_XC;
        }
        if ((m & FL_S_XIN) && ((s->ent | s->entc) >> v & 1)) ACC(n, v) |= FL_S_XIN;
        if ((m & FL_S_XC) && u >= n->nobj) {
          if (obj) n_find_add(n, FL_FIND_CALL_CONTENT, v, ev, -1, (int32_t)(u - n->nobj));
          else ACC(n, v) |= FL_S_XC;
        }
        if ((m & FL_S_LIVE) && u >= n->nobj) {
          if (obj) n_find_add(n, FL_FIND_CALL_VALUE, v, ev, -1, (int32_t)(u - n->nobj));
          else ACC(n, v) |= FL_S_LIVE;
        }
      }
    }
    for (uint32_t u = 0; u < nu; u++)
      if (n_mask(n, sm, u) & FL_S_ESC) s->esc |= u < n->nobj ? 1ull << u : (u - n->nobj < e->nval ? A[u - n->nobj] : 0);
    if (susp) n_cross(n, s, ev);
    for (uint32_t u = 0; u < nu; u++) {
      uint16_t m = n_mask(n, sm, u);
      uint64_t sg = u < n->nobj ? 1ull << u : (u - n->nobj < e->nval ? A[u - n->nobj] : 0);
      if (m & (FL_S_WR | FL_S_KILL)) n_write(n, s, sg, (m & FL_S_KILL) && u < n->nobj);
      if (m & FL_S_XOUT) s->crs |= sg;
      if (m & FL_S_RET) res |= sg;
    }
  }
  if (e->flags & FL_TO_MEMORY) s->esc |= res;
  if (e->dst >= 0) {
    s->T[e->dst] = res, s->TC[e->dst] = 0;
    s->M[e->dst] = sm && !sm->opaque && sm->ret_must ? sm->ret_must - 1 : FL_NONE;
  }
}

static void n_step(n_ctx *n, n_state *s, uint32_t ev) {
  const fl_event *e = &n->u->events.v[ev];
  const fl_val *v0 = e->nval ? &n->u->vals.v[e->val] : NULL;
  uint64_t set;
  switch (e->op) {
  case FL_ASSIGN:
    n_use(n, s, v0, ev), s->T[e->dst] = n_val(n, s, v0), s->TC[e->dst] = 0;
    s->M[e->dst] = n_single(n, s, v0);
    break;
  case FL_MERGE: n_use(n, s, v0, ev), s->T[e->dst] |= n_val(n, s, v0), s->M[e->dst] = FL_NONE; break;
  case FL_USE: n_use(n, s, v0, ev); break;
  case FL_LOAD:
    n_use(n, s, v0, ev);
    set = n_val(n, s, v0);
    n_read(n, s, set, ev);
    if (n->errno_obj < n->nobj) set &= ~(1ull << n->errno_obj);
    if (e->dst < 0) s->esc |= set;
    else s->T[e->dst] = set, s->TC[e->dst] = 0, s->M[e->dst] = FL_NONE;
    break;
  case FL_STORE: {
    n_use(n, s, v0, ev), n_use(n, s, v0 + 1, ev);
    uint64_t target = e->flags & FL_STRONG ? n_single(n, s, v0) : FL_NONE;
    n_write(n, s, n_val(n, s, v0), 0);
    if (target < n->nobj) n_write(n, s, 1ull << target, 1);
    s->esc |= n_val(n, s, v0 + 1);
    break;
  }
  case FL_ESCAPE: n_use(n, s, v0, ev), s->esc |= n_val(n, s, v0); break;
  case FL_OPAQUE:
    n_use(n, s, v0, ev);
    set = n_val(n, s, v0);
    n_read(n, s, set, ev), n_write(n, s, set, 0), s->esc |= set;
    break;
  case FL_READ: n_read(n, s, 1ull << e->aux, ev); break;
  case FL_WRITE:
    n_write(n, s, 1ull << e->aux, e->flags & FL_STRONG);
    if (v0) n_use(n, s, v0, ev), s->esc |= n_val(n, s, v0);
    break;
  case FL_CALL: n_call(n, s, e, ev); break;
  case FL_RET:
    if (v0) {
      n_use(n, s, v0, ev);
      set = n_val(n, s, v0);
      for (uint32_t o = 0; o < n->W; o++)
        if (set >> o & 1) ACC(n, o) |= FL_S_RET;
    }
    break;
  default: ck_abort_msg("bad op");
  }
}

/* Exploration of every (block, concrete state) reachable from the entry. */
typedef struct n_seen {
  uint32_t blk;
  n_state st;
} n_seen;

static void n_explore(n_ctx *n) {
  static n_seen seen[20000];
  static n_seen work[20000];
  size_t nseen = 0, nwork = 0;
  n_state s0;
  memset(&s0, 0, sizeof s0);
  for (uint32_t i = 0; i < n->f->nparams; i++) s0.T[i] = 1ull << (n->nobj + i);
  for (uint32_t x = 0; x < MAXL; x++) s0.M[x] = FL_NONE;
  s0.ent = (1ull << n->W) - 1;
  work[nwork++] = (n_seen){0, s0};
  seen[nseen++] = work[0];
  n->killmask = (uint16_t)((1u << n->nobj) - 1);
  while (nwork) {
    n_seen cur = work[--nwork];
    const fl_block *bl = &n->u->blocks.v[n->f->blk + cur.blk];
    n_state s = cur.st;
    for (uint32_t k = 0; k < bl->nev; k++) {
      uint32_t ev = bl->ev + k;
      n_state *m = &n->mop[ev];
      if (!n->mop_seen[ev]) {
        *m = s, n->mop_seen[ev] = 1;
      } else {
        for (uint32_t x = 0; x < MAXL; x++) {
          m->T[x] |= s.T[x], m->TC[x] |= s.TC[x];
          if (m->M[x] != s.M[x]) m->M[x] = FL_NONE;
        }
        m->def |= s.def, m->crs |= s.crs, m->ent |= s.ent, m->entc |= s.entc, m->esc |= s.esc, m->kill &= s.kill;
      }
      n_step(n, &s, ev);
    }
    if (cur.blk == 1) {
      n->exit_seen = 1;
      n->killmask &= (uint16_t)s.kill;
      for (uint32_t o = 0; o < n->W; o++) {
        if (s.esc >> o & 1) n->acc[o] |= FL_S_ESC;
        if ((s.def | s.crs) >> o & 1) n->acc[o] |= FL_S_WR;
        if (s.crs >> o & 1) n->acc[o] |= FL_S_XOUT;
      }
    }
    for (uint32_t i = 0; i < bl->nsucc; i++) {
      n_seen nx = {n->u->succs.v[bl->succ + i] - n->f->blk, s};
      int dup = 0;
      for (size_t j = 0; j < nseen && !dup; j++)
        dup = seen[j].blk == nx.blk && !memcmp(&seen[j].st, &nx.st, sizeof nx.st);
      if (dup) continue;
      ck_assert_uint_lt(nseen, 20000);
      seen[nseen++] = nx;
      work[nwork++] = nx;
    }
  }
  if (!n->exit_seen) n->killmask = 0;
  for (uint32_t o = 0; o < n->nobj; o++)
    if (n->killmask >> o & 1) n->acc[o] |= FL_S_KILL;
  /* findings and summary bits evaluated on the meet-over-paths states */
  n->collect = 1;
  for (uint32_t ev = 0; ev < 64; ev++)
    if (n->mop_seen[ev]) {
      n_state st = n->mop[ev];
      n_step(n, &st, ev);
    }
}

static fl_sum sums[NSUMS];

static void random_sums(void) {
  for (int i = 0; i < NSUMS; i++) {
    fl_sum_free(&sums[i]);
    fl_sum *s = &sums[i];
    s->susp = (uint8_t)(i == 0 ? FL_SUSP_YES : rnd(3));
    s->opaque = rnd(8) == 0;
    s->ret_must = rnd(3) ? 0 : 1 + rnd(NOBJ);
    s->nparams = rnd(3);
    s->param = calloc(s->nparams + 1, sizeof *s->param);
    for (uint32_t j = 0; j < s->nparams; j++) s->param[j] = (uint16_t)(rnd(1u << 9) & ~FL_S_KILL & rnd(1u << 9));
    for (uint32_t o = 0; o < NOBJ; o++)
      if (rnd(2)) fl_sum_set_obj(s, o, (uint16_t)(rnd(1u << 9) & rnd(1u << 9) & ~(FL_S_LIVE | FL_S_XC)));
  }
}

static uint32_t random_operand(uint32_t nloc, uint32_t nuobj) {
  if (nuobj && rnd(3) == 0) return FL_OBJ | (rnd(2) ? FL_ADDR : 0) | rnd(nuobj);
  return rnd(nloc);
}

/* Builds a random function; line numbers are event numbers, and the
 * summary of call line l is sums[l % NSUMS]. */
static void random_func(t_fn *t, t_callees *c, int acyclic, uint32_t *nuobj_out) {
  uint32_t nparams = rnd(3), nloc = nparams + 1 + rnd(MAXL - nparams), nuobj = rnd(3);
  if (nloc > MAXL) nloc = MAXL;
  t->u = fl_unit_create();
  for (uint32_t i = 0; i < nuobj; i++) {
    char k[16];
    snprintf(k, sizeof k, "v:%u", i);
    fl_object_intern(t->u, k, k);
  }
  t_begin(t, nparams, nloc);
  uint32_t nb = 2 + rnd(5), line = 1;
  for (uint32_t b = 2; b < nb; b++) fl_new_block(&t->b);
  for (uint32_t b = 0; b < nb; b++) {
    if (b == 1) continue;
    uint32_t nev = rnd(5);
    for (uint32_t k = 0; k < nev && line < 60; k++, line++) {
      uint32_t kind = rnd(10), ops[3], n = 1 + rnd(2);
      for (uint32_t i = 0; i < 3; i++) ops[i] = random_operand(nloc, nuobj);
      fl_vspec v[3] = {{ops, n, 0}, {ops + 1, 1, 0}, {ops + 2, 1, 0}};
      int32_t dst = (int32_t)rnd(nloc);
      switch (kind) {
      case 0: fl_emit(&t->b, b, FL_ASSIGN, 0, dst, 0, v, 1, L(line)); break;
      case 1: fl_emit(&t->b, b, FL_MERGE, 0, dst, 0, v, 1, L(line)); break;
      case 2: fl_emit(&t->b, b, FL_USE, 0, -1, 0, v, 1, L(line)); break;
      case 3: fl_emit(&t->b, b, FL_LOAD, 0, rnd(4) ? dst : -1, 0, v, 1, L(line)); break;
      case 4:
        fl_emit(&t->b, b, rnd(2) ? FL_STORE : FL_ESCAPE, (uint8_t)rnd(2), -1, 0, v, rnd(2) ? 2 : 1, L(line));
        break;
      case 5:
        if (nuobj) fl_emit(&t->b, b, rnd(2) ? FL_READ : FL_WRITE, (uint8_t)rnd(2), -1, rnd(nuobj), v, 0, L(line));
        else fl_emit(&t->b, b, FL_OPAQUE, 0, -1, 0, v, 1, L(line));
        break;
      case 6: fl_emit(&t->b, b, FL_RET, 0, -1, 0, v, rnd(2), L(line)); break;
      default:
        fl_emit(&t->b, b, FL_CALL, rnd(4) ? 0 : FL_TO_MEMORY, rnd(2) ? dst : -1, FL_NONE, v + 1, rnd(3), L(line));
        break;
      }
    }
  }
  /* fix STORE/ESCAPE value counts */
  for (size_t i = 0; i < t->b.ev.n; i++) {
    fl_event *e = &t->b.ev.v[i];
    if (e->op == FL_STORE && e->nval != 2) e->op = FL_ESCAPE;
    if (e->op == FL_ESCAPE && e->nval != 1) e->op = FL_STORE;
    if (e->op != FL_STORE && e->op != FL_WRITE && e->op != FL_CALL) e->flags = 0;
  }
  for (uint32_t b = 0; b < nb; b++) {
    if (b == 1) continue;
    uint32_t ns = 1 + rnd(2);
    for (uint32_t i = 0; i < ns; i++) {
      uint32_t to = acyclic ? (b == nb - 1 || rnd(3) == 0 ? 1 : b + 1 + rnd(nb - b - 1)) : rnd(nb);
      if (to == 0 && acyclic) to = 1;
      fl_edge(&t->b, b, to);
    }
  }
  t_end(t);
  for (uint32_t l = 0; l < 64; l++) c->by_line[l] = &sums[l % NSUMS];
  c->u = t->u;
  *nuobj_out = nuobj;
}

static void dump_func(const fl_unit *u, const fl_func *f, t_callees *c) {
  static const char *ops[] = {"?",      "assign", "merge", "use",   "load", "store",
                              "escape", "opaque", "read",  "write", "call", "ret"};
  fprintf(stderr, "func nparams %u nlocals %u\n", f->nparams, f->nlocals);
  for (uint32_t b = 0; b < f->nblk; b++) {
    const fl_block *bl = &u->blocks.v[f->blk + b];
    fprintf(stderr, " block %u ->", b);
    for (uint32_t i = 0; i < bl->nsucc; i++) fprintf(stderr, " %u", u->succs.v[bl->succ + i] - f->blk);
    fprintf(stderr, "\n");
    for (uint32_t k = 0; k < bl->nev; k++) {
      const fl_event *e = &u->events.v[bl->ev + k];
      fprintf(stderr, "  ev %u %s fl %d dst %d aux %u:", bl->ev + k, ops[e->op], e->flags, e->dst, e->aux);
      for (uint32_t v = 0; v < e->nval; v++) {
        const fl_val *val = &u->vals.v[e->val + v];
        fprintf(stderr, " [");
        for (uint32_t q = 0; q < val->n; q++) {
          uint32_t op = u->opnds.v[val->first + q];
          if (op & FL_OBJ) fprintf(stderr, " %s%u", op & FL_ADDR ? "&o" : "o", FL_IDX(op));
          else fprintf(stderr, " l%u", op);
        }
        fprintf(stderr, " ]");
      }
      if (e->op == FL_CALL) {
        const fl_sum *s = t_callee(c, bl->ev + k);
        fprintf(stderr, "  sum susp %d opaque %d np %u:", s->susp, s->opaque, s->nparams);
        for (uint32_t j = 0; j < s->nparams; j++) fprintf(stderr, " p%u=%#x", j, s->param[j]);
        for (uint32_t j = 0; j < s->nobj; j++) fprintf(stderr, " o%u=%#x", s->obj[j].obj, s->obj[j].mask);
      }
      fprintf(stderr, "\n");
    }
  }
}

static int same_find(const fl_finding *a, const n_find *b) {
  return a->kind == b->kind && a->origin == b->origin && a->event == b->event && a->local == b->local &&
         a->arg == b->arg;
}

START_TEST(test_random_vs_paths) {
  size_t kinds[8] = {0}, inexact = 0;
  for (int iter = 0; iter < 3000; iter++) {
    if (iter % 50 == 0) random_sums();
    t_fn t = {0};
    t_callees c = {0};
    uint32_t nuobj;
    random_func(&t, &c, 0, &nuobj);
    uint32_t map[3] = {rnd(NOBJ), rnd(NOBJ), rnd(NOBJ)};
    (void)nuobj;
    uint32_t errno_obj = rnd(2) ? rnd(NOBJ) : FL_NONE;
    int maybe = (int)rnd(2);
    fl_env env = {NOBJ, map, errno_obj, t_callee, &c, maybe, 1, 0};
    fl_result r;
    ck_assert_int_eq(fl_analyze(t.u, t.fi, &env, &r), 0);
    ck_assert_int_eq(r.status, FL_OK);
    /* the naive model sees objects through the same map */
    n_ctx *n = calloc(1, sizeof *n);
    n->u = t.u, n->f = &t.u->funcs.v[t.fi], n->c = &c, n->nobj = NOBJ, n->W = NOBJ + n->f->nparams;
    n->errno_obj = errno_obj, n->maybe = maybe;
    /* rewrite object operands through the map for the naive model */
    fl_unit *u = t.u;
    for (size_t i = 0; i < u->opnds.n; i++)
      if (u->opnds.v[i] & FL_OBJ) u->opnds.v[i] = (u->opnds.v[i] & (FL_OBJ | FL_ADDR)) | map[FL_IDX(u->opnds.v[i])];
    for (size_t i = 0; i < u->events.n; i++)
      if (u->events.v[i].op == FL_READ || u->events.v[i].op == FL_WRITE) u->events.v[i].aux = map[u->events.v[i].aux];
    n_explore(n);
    char msg[256];
    snprintf(msg, sizeof msg, "iteration %d: %zu findings, naive %zu", iter, r.finds.n, n->nfinds);
    /* strong stores through locals depend on the must-point lattice, whose
     * joins lose precision: then the fixpoint only over-approximates */
    int exact = 1;
    for (size_t i = 0; i < u->events.n; i++) {
      const fl_event *e = &u->events.v[i];
      if (e->op == FL_STORE && (e->flags & FL_STRONG)) {
        const fl_val *pv = &u->vals.v[e->val];
        if (pv->n == 1 && !(u->opnds.v[pv->first] & FL_OBJ)) exact = 0;
      }
    }
    inexact += !exact;
    if (getenv("FLOW_DEBUG") && exact && r.finds.n != n->nfinds) {
      dump_func(u, &u->funcs.v[t.fi], &c);
      for (size_t j = 0; j < r.finds.n; j++)
        fprintf(stderr, "an: kind %d origin %u event %u local %d arg %d\n", r.finds.v[j].kind, r.finds.v[j].origin,
                r.finds.v[j].event, r.finds.v[j].local, r.finds.v[j].arg);
      for (size_t j = 0; j < n->nfinds; j++)
        fprintf(stderr, "nv: kind %d origin %u event %u local %d arg %d\n", n->finds[j].kind, n->finds[j].origin,
                n->finds[j].event, n->finds[j].local, n->finds[j].arg);
    }
    if (exact) ck_assert_msg(r.finds.n == n->nfinds, "%s", msg);
    for (size_t i = 0; i < n->nfinds; i++) {
      int found = 0;
      for (size_t j = 0; j < r.finds.n && !found; j++) found = same_find(&r.finds.v[j], &n->finds[i]);
      ck_assert_msg(found, "%s: naive finding %zu (kind %d event %u) missing", msg, i, n->finds[i].kind,
                    n->finds[i].event);
    }
    for (size_t i = 0; i < n->npathfinds; i++) {
      int found = 0;
      for (size_t j = 0; j < r.finds.n && !found; j++) found = same_find(&r.finds.v[j], &n->pathfinds[i]);
      ck_assert_msg(found, "%s: finding on a path (kind %d event %u) missing", msg, n->pathfinds[i].kind,
                    n->pathfinds[i].event);
    }
    for (uint32_t o = 0; o < n->W; o++) {
      uint16_t got = o < NOBJ ? fl_sum_obj(&r.sum, o) : r.sum.param[o - NOBJ];
      if (exact) {
        ck_assert_msg(got == n->acc[o], "%s: origin %u summary %#x, naive %#x", msg, o, got, n->acc[o]);
      } else {
        uint16_t may = (uint16_t)~FL_S_KILL;
        ck_assert_msg((n->acc[o] & may & ~got) == 0, "%s: origin %u summary %#x misses naive %#x", msg, o, got,
                      n->acc[o]);
        ck_assert_msg((got & FL_S_KILL & ~n->acc[o]) == 0, "%s: origin %u kills %#x, naive %#x", msg, o, got,
                      n->acc[o]);
      }
    }
    /* the witness of the first finding is a real path: events in range and ordered sensibly */
    if (r.finds.n) {
      const fl_finding *f = &r.finds.v[0];
      if (f->kind == FL_FIND_VALUE || f->kind == FL_FIND_CONTENT) {
        ck_assert_msg(f->susp != FL_NONE && f->access != FL_NONE, "%s: witness not reconstructed", msg);
        ck_assert_int_eq(u->events.v[f->susp].op, FL_CALL);
      }
    }
    for (size_t j = 0; j < r.finds.n; j++) kinds[r.finds.v[j].kind]++;
    free(n);
    fl_result_free(&r);
    fl_unit_destroy(t.u);
  }
  /* the generator exercises every kind of finding */
  for (int k = FL_FIND_VALUE; k <= FL_FIND_CALL_CONTENT; k++) ck_assert_msg(kinds[k] > 50, "kind %d: %zu", k, kinds[k]);
  ck_assert_msg(inexact > 100 && inexact < 2000, "%zu of 3000 functions compared by inclusion only", inexact);
}
END_TEST

/* On acyclic CFGs, value findings by plain liveness on enumerated paths:
 * for every path, every suspension on it and every local tainted by an
 * object just before it, a later use on the path with no redefinition in
 * between is a finding.  Only copies, loads and calls with no effect on
 * taint beyond their result are generated, so taint is computed simply. */
typedef struct p_ctx {
  const fl_unit *u;
  const fl_func *f;
  t_callees *c;
  uint32_t path[64];
  uint32_t npath;
  n_find finds[256];
  size_t nfinds;
} p_ctx;

static void p_check_path(p_ctx *p) {
  /* flatten events of the path */
  uint32_t evs[512], nev = 0;
  for (uint32_t i = 0; i < p->npath; i++) {
    const fl_block *bl = &p->u->blocks.v[p->f->blk + p->path[i]];
    for (uint32_t k = 0; k < bl->nev; k++) evs[nev++] = bl->ev + k;
  }
  uint64_t T[MAXL] = {0};
  for (uint32_t i = 0; i < nev; i++) {
    const fl_event *e = &p->u->events.v[evs[i]];
    if (e->op == FL_CALL && t_callee(p->c, evs[i])->susp == FL_SUSP_YES) {
      /* for each tainted local: scan forward for a use before a redefinition */
      for (uint32_t x = 0; x < MAXL; x++) {
        if (!T[x] || e->dst == (int32_t)x) continue; /* the call's result is defined after it resumes */
        for (uint32_t j = i + 1; j < nev; j++) {
          const fl_event *g = &p->u->events.v[evs[j]];
          int used = 0;
          for (uint32_t v = 0; v < g->nval; v++) {
            const fl_val *val = &p->u->vals.v[g->val + v];
            for (uint32_t k = 0; k < val->n; k++) used |= p->u->opnds.v[val->first + k] == x;
          }
          if (used)
            for (uint32_t o = 0; o < NOBJ; o++)
              if (T[x] >> o & 1) {
                int dup = 0;
                for (size_t q = 0; q < p->nfinds && !dup; q++)
                  dup = p->finds[q].event == evs[j] && p->finds[q].origin == o && p->finds[q].local == (int32_t)x;
                if (!dup) p->finds[p->nfinds++] = (n_find){FL_FIND_VALUE, o, evs[j], (int32_t)x, -1};
              }
          if (g->dst == (int32_t)x && g->op != FL_MERGE) break;
        }
      }
    }
    /* taint transfer along the path (copies of locals and objects) */
    uint64_t v = 0;
    if (e->nval && (e->op == FL_ASSIGN || e->op == FL_MERGE)) {
      const fl_val *val = &p->u->vals.v[e->val];
      for (uint32_t k = 0; k < val->n; k++) {
        uint32_t op = p->u->opnds.v[val->first + k];
        v |= op & FL_OBJ ? 1ull << FL_IDX(op) : T[op];
      }
    }
    if (e->op == FL_ASSIGN) T[e->dst] = v;
    if (e->op == FL_MERGE) T[e->dst] |= v;
    if (e->op == FL_CALL && e->dst >= 0) T[e->dst] = 0;
  }
}

static void p_walk(p_ctx *p, uint32_t b) {
  p->path[p->npath++] = b;
  if (b == 1) {
    p_check_path(p);
  } else {
    const fl_block *bl = &p->u->blocks.v[p->f->blk + b];
    for (uint32_t i = 0; i < bl->nsucc; i++) p_walk(p, p->u->succs.v[bl->succ + i] - p->f->blk);
  }
  p->npath--;
}

START_TEST(test_random_liveness_acyclic) {
  static fl_sum yes = {.susp = FL_SUSP_YES}, no = {.susp = FL_SUSP_NO};
  for (int iter = 0; iter < 2000; iter++) {
    t_fn t = {0};
    t.u = fl_unit_create();
    fl_object_intern(t.u, "v:0", "0");
    fl_object_intern(t.u, "v:1", "1");
    uint32_t nloc = 1 + rnd(MAXL);
    t_begin(&t, 0, nloc);
    uint32_t nb = 2 + rnd(6), line = 1;
    for (uint32_t b = 2; b < nb; b++) fl_new_block(&t.b);
    t_callees c = {0};
    for (uint32_t b = 0; b < nb; b++) {
      if (b == 1) continue;
      uint32_t nev = rnd(4);
      for (uint32_t k = 0; k < nev && line < 60; k++, line++) {
        uint32_t ops[2] = {rnd(3) == 0 ? FL_OBJ | FL_ADDR | rnd(2) : rnd(nloc), rnd(nloc)};
        fl_vspec v = {ops, 1 + rnd(2), 0};
        int32_t dst = (int32_t)rnd(nloc);
        switch (rnd(4)) {
        case 0: fl_emit(&t.b, b, FL_ASSIGN, 0, dst, 0, &v, 1, L(line)); break;
        case 1: fl_emit(&t.b, b, FL_MERGE, 0, dst, 0, &v, 1, L(line)); break;
        case 2: fl_emit(&t.b, b, FL_USE, 0, -1, 0, &v, 1, L(line)); break;
        default:
          c.by_line[line] = rnd(2) ? &yes : &no;
          fl_emit(&t.b, b, FL_CALL, 0, rnd(3) == 0 ? dst : -1, FL_NONE, NULL, 0, L(line));
          break;
        }
      }
    }
    for (uint32_t b = 0; b < nb; b++) {
      if (b == 1) continue;
      uint32_t ns = 1 + rnd(2);
      for (uint32_t i = 0; i < ns; i++) fl_edge(&t.b, b, b == nb - 1 || rnd(3) == 0 ? 1 : b + 1 + rnd(nb - b - 1));
    }
    t_end(&t);
    for (uint32_t l = 0; l < 64; l++)
      if (!c.by_line[l]) c.by_line[l] = &no;
    c.u = t.u;
    fl_env env = {2, objmap, FL_NONE, t_callee, &c, 0, 0, 0};
    fl_result r;
    ck_assert_int_eq(fl_analyze(t.u, t.fi, &env, &r), 0);
    p_ctx *p = calloc(1, sizeof *p);
    p->u = t.u, p->f = &t.u->funcs.v[t.fi], p->c = &c;
    p_walk(p, 0);
    size_t nvalue = 0;
    for (size_t j = 0; j < r.finds.n; j++) nvalue += r.finds.v[j].kind == FL_FIND_VALUE;
    if (getenv("FLOW_DEBUG") && nvalue != p->nfinds) {
      dump_func(t.u, &t.u->funcs.v[t.fi], &c);
      for (size_t j = 0; j < p->nfinds; j++)
        fprintf(stderr, "path: origin %u event %u local %d\n", p->finds[j].origin, p->finds[j].event,
                p->finds[j].local);
    }
    ck_assert_msg(nvalue == p->nfinds, "iteration %d: %zu value findings, paths %zu", iter, nvalue, p->nfinds);
    for (size_t i = 0; i < p->nfinds; i++) {
      int found = 0;
      for (size_t j = 0; j < r.finds.n && !found; j++) found = same_find(&r.finds.v[j], &p->finds[i]);
      ck_assert_msg(found, "iteration %d: path finding at event %u missing", iter, p->finds[i].event);
    }
    free(p);
    fl_result_free(&r);
    fl_unit_destroy(t.u);
  }
}
END_TEST

static Suite *flow_suite(void) {
  Suite *s = suite_create("flow");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, test_value_live_across);
  tcase_add_test(tc, test_value_reread);
  tcase_add_test(tc, test_value_loop);
  tcase_add_test(tc, test_errno_address_and_value);
  tcase_add_test(tc, test_content_errno);
  tcase_add_test(tc, test_store_through_must_pointer_kills);
  tcase_add_test(tc, test_escape);
  tcase_add_test(tc, test_param_summary);
  tcase_add_test(tc, test_call_live_param);
  tcase_add_test(tc, test_maybe);
  tcase_add_test(tc, test_not_understood_and_copy);
  tcase_add_test(tc, test_check_rejects);
  tcase_add_test(tc, test_sum_join);
  tcase_add_test(tc, test_random_vs_paths);
  tcase_add_test(tc, test_random_liveness_acyclic);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return check_run(flow_suite()); }

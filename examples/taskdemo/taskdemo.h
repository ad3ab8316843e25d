/* SPDX-License-Identifier: MIT */
/*
 * taskdemo.h - the modules of taskdemo, a tiny task system: a task queue
 * drained by worker threads that call tasks through function pointers, a
 * lock-free per-thread logger, a config parser and an expression evaluator.
 *
 * It is the example fnprop analyzes in `make demo`.  The short comments
 * below say what fnprop should infer: whether a function may touch
 * thread-local state (tls) and whether it may abort the program (panic).
 */
#ifndef TASKDEMO_H
#define TASKDEMO_H

#include <pthread.h>
#include <stddef.h>

#include "fnprop.h"

/* ---- log.c: per-thread log buffers (a _Thread_local; no lock) ---------- */
enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN };

void log_set_thread_name(const char *name);     /* tls */
void log_printf(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));      /* tls; flushes at LOG_WARN */
void log_flush(void);                           /* tls: writes this thread's buffer */
const char *log_level_name(enum log_level l);   /* proven */
/* Flushes the log, prints the message, abort()s: the one way to give up. */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- task.c: bounded blocking queue and the worker pool ---------------- */
#define TASK_QUEUE_CAP 8
#define WORKER_MAX 8

typedef void (*task_fn)(void *arg);

struct task {
    task_fn fn;
    void *arg;
    const char *name;
};

struct task_queue {
    struct task slots[TASK_QUEUE_CAP];
    size_t head, count;  /* oldest slot; tasks queued */
    int closed;          /* pushes fail; pops drain, then return 0 */
    pthread_mutex_t lock;
    pthread_cond_t nonempty, nonfull;
};

struct worker_pool {
    struct worker {
        pthread_t thread;
        unsigned id;               /* 1-based, names the thread's log */
        struct task_queue *queue;  /* borrowed */
    } w[WORKER_MAX];
    size_t started;
};

int task_queue_init(struct task_queue *q);      /* 0, or -1 */
void task_queue_destroy(struct task_queue *q);
int task_queue_push(struct task_queue *q, task_fn fn, void *arg, const char *name);
int task_queue_pop(struct task_queue *q, struct task *out);  /* 1 got one, 0 drained */
void task_queue_close(struct task_queue *q);
int worker_pool_start(struct worker_pool *p, struct task_queue *q, size_t n);
void worker_pool_join(struct worker_pool *p);   /* close the queue first */
/* Inside a task: let the other workers' tasks run (sched_yield).  For
 * fnprop a suspension point: a migrating scheduler would move tasks here,
 * and stage 3 (`--dump=migrate`) asks what is live across it. */
void task_yield(void) FNPROP_NOTLS FNPROP_YIELD;

/* ---- config.c: `key = value` lines, integers through strtol and errno -- */
struct config {
    long workers;      /* 1..WORKER_MAX */
    long jobs;         /* evaluation jobs, 0..64 */
    char expr[96];     /* what every evaluation job computes */
};

void config_defaults(struct config *c);         /* proven */
int config_load(struct config *c, const char *text);  /* 0, or the bad line */

/* ---- expr.c: recursive-descent integer expressions --------------------- */
enum expr_error { EXPR_OK, EXPR_SYNTAX, EXPR_DIV_ZERO, EXPR_TOO_DEEP };

enum expr_error expr_eval(const char *s, long *out);
long expr_eval_or_die(const char *s);
const char *expr_strerror(enum expr_error e);

/* ---- stats.c: sample statistics, with contracts ------------------------ */
struct stats {
    long min, max, sum;
    size_t count;
};

/* The FNPROP_NOTLS promises are checked against the bodies: stats_mean and
 * stats_checksum keep theirs, stats_record breaks its own (it counts
 * samples per thread). */
void stats_record(struct stats *s, long value) FNPROP_NOTLS;
long stats_mean(const long *v, size_t n) FNPROP_NOTLS;
unsigned long stats_checksum(const long *v, size_t n) FNPROP_NOTLS FNPROP_NOPANIC;

#endif /* TASKDEMO_H */

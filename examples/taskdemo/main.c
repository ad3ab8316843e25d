/* SPDX-License-Identifier: MIT */
/*
 * main.c - taskdemo: evaluate an expression on a pool of worker threads and
 * summarize a sample series.
 *
 *   taskdemo ["workers = 3\njobs = 8\nexpr = 6 * 7"]
 *
 * The jobs are static functions reached only through task_fn pointers, the
 * shape a fiber or work-stealing scheduler sees.  job_checksum is proven
 * !tls: it could migrate between threads.  job_eval and job_series log
 * through the per-thread buffer: they must stay on their thread.
 */
#include <stdio.h>

#include "taskdemo.h"

#define SERIES_LEN 16

struct eval_job {
    const char *src;
    long result;
    enum expr_error err;
};

struct series_job {
    long values[SERIES_LEN];
    long mean;
    unsigned long checksum;
    struct stats st;
};

static void job_eval(void *arg)
{
    struct eval_job *j = arg;

    j->err = expr_eval(j->src, &j->result);
    if (j->err != EXPR_OK)
        log_printf(LOG_WARN, "\"%s\": %s", j->src, expr_strerror(j->err));
}

static void job_checksum(void *arg)
{
    struct series_job *j = arg;

    j->checksum = stats_checksum(j->values, SERIES_LEN);
}

static void job_series(void *arg)
{
    struct series_job *j = arg;

    for (size_t i = 0; i < SERIES_LEN; i++)
        stats_record(&j->st, j->values[i]);
    j->mean = stats_mean(j->values, SERIES_LEN);
    log_printf(LOG_INFO, "series: min %ld max %ld mean %ld", j->st.min, j->st.max, j->mean);
}

/* A deterministic pseudo-random series (an LCG): pure, so proven. */
static void fill_series(long *v, size_t n, unsigned long x)
{
    for (size_t i = 0; i < n; i++) {
        x = (x * 1103515245ul + 12345ul) & 0x7ffffffful;
        v[i] = (long)(x % 1000);
    }
}

static void push_or_die(struct task_queue *q, task_fn fn, void *arg, const char *name)
{
    if (task_queue_push(q, fn, arg, name) != 0)
        die("cannot queue task %s", name);
}

int main(int argc, char **argv)
{
    static struct eval_job evals[64];
    static struct series_job series;
    struct config cfg;
    struct task_queue q;
    struct worker_pool pool;
    int bad;

    config_defaults(&cfg);
    if (argc > 1 && (bad = config_load(&cfg, argv[1])) != 0)
        die("configuration line %d is invalid", bad);
    printf("%s = %ld\n", cfg.expr, expr_eval_or_die(cfg.expr));

    if (task_queue_init(&q) != 0 || worker_pool_start(&pool, &q, (size_t)cfg.workers) != 0)
        die("cannot start %ld workers", cfg.workers);
    fill_series(series.values, SERIES_LEN, 42);
    push_or_die(&q, job_series, &series, "series");
    push_or_die(&q, job_checksum, &series, "checksum");
    for (long i = 0; i < cfg.jobs; i++) {
        evals[i].src = cfg.expr;
        push_or_die(&q, job_eval, &evals[i], "eval");
    }
    task_queue_close(&q);
    worker_pool_join(&pool);
    task_queue_destroy(&q);

    for (long i = 0; i < cfg.jobs; i++)
        if (evals[i].err != EXPR_OK || evals[i].result != evals[0].result)
            die("eval job %ld disagrees", i);
    printf("%ld eval jobs agree; series mean %ld, checksum %08lx\n",
           cfg.jobs, series.mean, series.checksum);
    log_flush();
    return 0;
}

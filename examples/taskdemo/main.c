/* SPDX-License-Identifier: MIT */
/*
 * main.c - taskdemo: evaluate an expression on a pool of worker threads and
 * summarize a sample series.
 *
 *   taskdemo ["workers = 3\njobs = 8\nexpr = 6 * 7"]
 *
 * The jobs are static functions reached only through task_fn pointers, the
 * shape a fiber or work-stealing scheduler sees, and they yield
 * (task_yield).  job_checksum is proven !tls: it could migrate between
 * threads.  The others touch thread-local state (the per-thread log buffer
 * and counter, errno), so stage 1 pins them; stage 3 (`--dump=migrate`)
 * asks whether any of it is live across a yield: not in job_eval and
 * job_config (they may migrate at their yields), but in job_series (a
 * per-thread counter written before a yield, read after) and job_number
 * (errno read after the yield that follows strtol).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

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

struct config_job {
    const char *text;
    struct config cfg;
    int bad;
};

struct number_job {
    const char *text;
    long value;
    int ok;
};

static void job_eval(void *arg)
{
    struct eval_job *j = arg;

    j->err = expr_eval(j->src, &j->result);
    task_yield();  /* nothing thread-local is live here */
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

    for (size_t i = 0; i < SERIES_LEN; i++) {
        stats_record(&j->st, j->values[i]);
        if (i % 4 == 3)
            task_yield();  /* stats_record's per-thread counter is live here */
    }
    j->mean = stats_mean(j->values, SERIES_LEN);
    log_printf(LOG_INFO, "series: min %ld max %ld mean %ld", j->st.min, j->st.max, j->mean);
}

/* Parses a configuration (strtol and errno inside), then yields: errno is
 * used between yields, never across one. */
static void job_config(void *arg)
{
    struct config_job *j = arg;

    config_defaults(&j->cfg);
    j->bad = config_load(&j->cfg, j->text);
    task_yield();
}

/* The errno bug stage 3 finds: strtol's errno is read after a yield, when
 * a migrated task would read another thread's errno. */
static void job_number(void *arg)
{
    struct number_job *j = arg;
    char *end;

    errno = 0;
    j->value = strtol(j->text, &end, 10);
    task_yield();
    j->ok = errno == 0 && end != j->text && *end == '\0';
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
    static struct config_job reconf = { "workers = 3\njobs = 2", { 0, 0, "" }, 0 };
    static struct number_job number = { "1234", 0, 0 };
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
    push_or_die(&q, job_config, &reconf, "config");
    push_or_die(&q, job_number, &number, "number");
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
    if (reconf.bad != 0 || reconf.cfg.workers != 3 || reconf.cfg.jobs != 2)
        die("config job: line %d, workers %ld, jobs %ld", reconf.bad, reconf.cfg.workers, reconf.cfg.jobs);
    if (!number.ok || number.value != 1234)
        die("number job: %ld", number.value);
    printf("%ld eval jobs agree; series mean %ld, checksum %08lx\n",
           cfg.jobs, series.mean, series.checksum);
    log_flush();
    return 0;
}

/* SPDX-License-Identifier: MIT */
/*
 * task.c - the task queue and the worker pool.
 *
 * A ring of TASK_QUEUE_CAP slots under one mutex and two condition
 * variables; workers pop and call t.fn(t.arg), a call through a pointer
 * that fnprop cannot resolve.  The asserts state the ring invariants: the
 * demo builds this file with -DNDEBUG, so they are not panics here.
 */
#include <assert.h>
#include <sched.h>

#include "taskdemo.h"

/* Tasks run by the calling worker thread. */
static _Thread_local unsigned worker_tasks_run;

int task_queue_init(struct task_queue *q)
{
    q->head = q->count = 0;
    q->closed = 0;
    /* glibc's pthread_cond_init cannot fail with default attributes. */
    pthread_cond_init(&q->nonempty, NULL);
    pthread_cond_init(&q->nonfull, NULL);
    return pthread_mutex_init(&q->lock, NULL) == 0 ? 0 : -1;
}

void task_queue_destroy(struct task_queue *q)
{
    assert(q->count == 0);
    pthread_cond_destroy(&q->nonfull);
    pthread_cond_destroy(&q->nonempty);
    pthread_mutex_destroy(&q->lock);
}

int task_queue_push(struct task_queue *q, task_fn fn, void *arg, const char *name)
{
    struct task *t;

    assert(fn != NULL);
    pthread_mutex_lock(&q->lock);
    while (q->count == TASK_QUEUE_CAP && !q->closed)
        pthread_cond_wait(&q->nonfull, &q->lock);
    if (q->closed) {
        pthread_mutex_unlock(&q->lock);
        return -1;
    }
    t = &q->slots[(q->head + q->count++) % TASK_QUEUE_CAP];
    t->fn = fn;
    t->arg = arg;
    t->name = name;
    pthread_cond_signal(&q->nonempty);
    pthread_mutex_unlock(&q->lock);
    return 0;
}

int task_queue_pop(struct task_queue *q, struct task *out)
{
    pthread_mutex_lock(&q->lock);
    while (q->count == 0 && !q->closed)
        pthread_cond_wait(&q->nonempty, &q->lock);
    if (q->count == 0) {
        pthread_mutex_unlock(&q->lock);
        return 0;
    }
    assert(q->head < TASK_QUEUE_CAP);
    *out = q->slots[q->head];
    q->head = (q->head + 1) % TASK_QUEUE_CAP;
    q->count--;
    pthread_cond_signal(&q->nonfull);
    pthread_mutex_unlock(&q->lock);
    return 1;
}

void task_queue_close(struct task_queue *q)
{
    pthread_mutex_lock(&q->lock);
    q->closed = 1;
    pthread_cond_broadcast(&q->nonempty);
    pthread_cond_broadcast(&q->nonfull);
    pthread_mutex_unlock(&q->lock);
}

/* "worker-<id>" into buf[size] (size >= 2); pure, so proven. */
static void worker_name(char *buf, size_t size, unsigned id)
{
    char digits[12];
    size_t n = 0, k = 0;

    do
        digits[k++] = (char)('0' + id % 10);
    while ((id /= 10) != 0);
    for (const char *p = "worker-"; *p != '\0' && n + 1 < size; p++)
        buf[n++] = *p;
    while (k > 0 && n + 1 < size)
        buf[n++] = digits[--k];
    buf[n] = '\0';
}

static void *worker_main(void *arg)
{
    const struct worker *self = arg;
    char name[16];
    struct task t;

    worker_name(name, sizeof name, self->id);
    log_set_thread_name(name);
    while (task_queue_pop(self->queue, &t)) {
        log_printf(LOG_DEBUG, "start %s", t.name);
        t.fn(t.arg);
        worker_tasks_run++;
    }
    log_printf(LOG_INFO, "ran %u task(s)", worker_tasks_run);
    log_flush();
    return NULL;
}

int worker_pool_start(struct worker_pool *p, struct task_queue *q, size_t n)
{
    p->started = 0;
    if (n == 0 || n > WORKER_MAX)
        return -1;
    for (size_t i = 0; i < n; i++) {
        p->w[i].id = (unsigned)i + 1;
        p->w[i].queue = q;
        if (pthread_create(&p->w[i].thread, NULL, worker_main, &p->w[i]) != 0)
            return -1;
        p->started++;
    }
    return 0;
}

void task_yield(void)
{
    sched_yield();
}

void worker_pool_join(struct worker_pool *p)
{
    for (size_t i = 0; i < p->started; i++)
        pthread_join(p->w[i].thread, NULL);
    p->started = 0;
}

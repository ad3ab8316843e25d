/* SPDX-License-Identifier: MIT */
/*
 * stats.c - sample statistics.
 *
 * Pure arithmetic, except for one per-thread counter that stats_record
 * bumps: the demo's deliberate break of a FNPROP_NOTLS promise.
 */
#include "taskdemo.h"
#include "util.h"

static _Thread_local unsigned long stats_recorded;

void stats_record(struct stats *s, long value)
{
    s->min = s->count ? util_min(s->min, value) : value;
    s->max = s->count ? util_max(s->max, value) : value;
    s->sum += value;
    s->count++;
    stats_recorded++;  /* thread-local: breaks the FNPROP_NOTLS promise */
}

long stats_mean(const long *v, size_t n)
{
    long sum = 0;

    for (size_t i = 0; i < n; i++)
        sum += v[i];
    return n ? sum / (long)n : 0;
}

unsigned long stats_checksum(const long *v, size_t n)
{
    return util_hash(v, n * sizeof v[0]);
}

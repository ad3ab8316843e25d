/* SPDX-License-Identifier: MIT */
/*
 * expr.c - recursive-descent integer expressions.
 *
 *   sum = product {('+'|'-') product}    product = factor {('*'|'/') factor}
 *   factor = number | '-' factor | '(' sum ')'
 *
 * parse_sum, parse_product and parse_factor call each other: one cycle in
 * the call graph, clean, so fnprop proves it !tls and !panic.  Errors are
 * sticky in the parser: the first wins and later steps return 0.  Nesting
 * is bounded so hostile input cannot exhaust the stack.
 */
#include <assert.h>

#include "taskdemo.h"
#include "util.h"

struct parser {
    const char *s;
    int depth;
    enum expr_error err;
};

static long parse_sum(struct parser *p);

/* Same name as the helper in config.c: two distinct functions. */
static void skip_space(struct parser *p)
{
    while (util_is_space(*p->s))
        p->s++;
}

static long fail(struct parser *p, enum expr_error e)
{
    if (p->err == EXPR_OK)
        p->err = e;
    return 0;
}

static long parse_factor(struct parser *p)
{
    long v = 0;

    skip_space(p);
    if (p->err != EXPR_OK)
        return 0;
    if (*p->s == '-') {
        p->s++;
        return -parse_factor(p);
    }
    if (*p->s == '(') {
        if (++p->depth > 32)
            return fail(p, EXPR_TOO_DEEP);
        p->s++;
        v = parse_sum(p);
        skip_space(p);
        if (*p->s != ')')
            return fail(p, EXPR_SYNTAX);
        p->s++;
        p->depth--;
        return v;
    }
    if (!util_is_digit(*p->s))
        return fail(p, EXPR_SYNTAX);
    while (util_is_digit(*p->s))
        v = v * 10 + (*p->s++ - '0');
    return v;
}

static long parse_product(struct parser *p)
{
    long v = parse_factor(p), r;
    char op;

    for (;;) {
        skip_space(p);
        if ((op = *p->s) != '*' && op != '/')
            return v;
        p->s++;
        r = parse_factor(p);
        if (op == '/' && r == 0)
            return fail(p, EXPR_DIV_ZERO);
        v = op == '*' ? v * r : v / r;
    }
}

static long parse_sum(struct parser *p)
{
    long v = parse_product(p);
    char op;

    for (;;) {
        skip_space(p);
        if ((op = *p->s) != '+' && op != '-')
            return v;
        p->s++;
        v = op == '+' ? v + parse_product(p) : v - parse_product(p);
    }
}

enum expr_error expr_eval(const char *s, long *out)
{
    struct parser p = { s, 0, EXPR_OK };
    long v;

    assert(s != NULL && out != NULL);
    v = parse_sum(&p);
    skip_space(&p);
    if (p.err == EXPR_OK && *p.s != '\0')
        p.err = EXPR_SYNTAX;
    if (p.err == EXPR_OK)
        *out = v;
    return p.err;
}

const char *expr_strerror(enum expr_error e)
{
    static const char *const msg[] = { "ok", "syntax error", "division by zero",
                                       "nested too deeply" };

    return (size_t)e < UTIL_ARRAY_LEN(msg) ? msg[e] : "unknown error";
}

long expr_eval_or_die(const char *s)
{
    long v = 0;
    enum expr_error e = expr_eval(s, &v);

    if (e != EXPR_OK)
        die("expression \"%s\": %s", s, expr_strerror(e));
    return v;
}

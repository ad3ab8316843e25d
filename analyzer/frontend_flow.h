/* SPDX-License-Identifier: MIT */
/*
 * frontend_flow.h - the stage-3 flow facts of one function body, built from
 * its libclang cursors (prefix ff_).
 *
 * Part of the front end (libclang types stay here and in frontend.c).  The
 * body walk of frontend.c calls ff_build once per definition, after it has
 * recorded the function's calls, so every direct callee is already in the
 * TU's function table.  The result goes to tu->body_flow (docs/stage3.md §3).
 * Closed world: a construct the builder does not positively handle marks
 * the function's flow not understood, with the reason and its location.
 */
#ifndef FNPROP_FRONTEND_FLOW_H
#define FNPROP_FRONTEND_FLOW_H

#include <clang-c/Index.h>

#include "facts.h"

/* Builds the flow facts of definition `def` (function `func` of tu).  Out
 * of memory sets tu->failed. */
void ff_build(ft_tu *tu, uint32_t func, CXCursor def);

#endif /* FNPROP_FRONTEND_FLOW_H */

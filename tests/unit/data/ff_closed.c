/* ff_closed.c - constructs the body walk does not understand (each must
 * also leave the flow not understood, with the walk's reason) and ones it
 * understands that the flow builder does not follow (their own reasons).
 * Parsed with -fblocks by test_frontend_flow.c. */
int g(int);

int walk_block(int x) {
  int (^b)(int) = ^(int y) { return y + 1; };
  return b(x);
}

int walk_seh(int x) {
  __asm__("" : : "r"(x));
  return x;
}

int flow_stmt_expr(int x) { return ({ int y = g(x); y; }); }

int flow_label(int x) {
  {
    __label__ out;
    if (x) goto out;
    x = g(x);
  out:;
  }
  return x;
}

int both_fine(int x) { return g(x) + 1; }

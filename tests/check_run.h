/* SPDX-License-Identifier: MIT */
/* check_run.h - the common end of every Check suite's main(): run the suite
 * with Check's normal output and turn failures into the exit status. */
#ifndef FNPROP_CHECK_RUN_H
#define FNPROP_CHECK_RUN_H

#include <check.h>
#include <stdlib.h>

static inline int check_run(Suite *s) {
  SRunner *r = srunner_create(s);
  srunner_run_all(r, CK_NORMAL);
  int failed = srunner_ntests_failed(r);
  srunner_free(r);
  return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* FNPROP_CHECK_RUN_H */

/* Every suppression comment form, with and without check lists. */
#include <fnprop.h>

static _Thread_local int t;

int all1(void) FNPROP_NOTLS;
int all1(void) { return t; } // NOLINT

int named(void) FNPROP_NOTLS;
int named(void) { return t; } // NOLINT(fnprop-notls-violation)

int glob(void) FNPROP_NOTLS;
int glob(void) { return t; } // NOLINT(bugprone-*, fnprop-notls-*)

int other(void) FNPROP_NOTLS;
int other(void) { return t; } // NOLINT(fnprop-nopanic-violation): reported

int spaced(void) FNPROP_NOTLS;
int spaced(void) { return t; } // NOLINT (misc-*): a space means every check

int empty(void) FNPROP_NOTLS;
int empty(void) { return t; } // NOLINT(): suppresses nothing: reported

int negative(void) FNPROP_NOTLS;
int negative(void) { return t; } // NOLINT(-fnprop-*): negative globs ignored: reported

int unclosed(void) FNPROP_NOTLS;
int unclosed(void) { return t; } // NOLINT(fnprop-nopanic-violation  unclosed: every check

int next1(void) FNPROP_NOTLS;
// NOLINTNEXTLINE(fnprop-notls-violation)
int next1(void) { return t; }

int next2(void) FNPROP_NOTLS;
// NOLINTNEXTLINE(fnprop-nopanic-*): wrong check: reported
int next2(void) { return t; }

/* NOLINTBEGIN(fnprop-notls-violation) */
int block1(void) FNPROP_NOTLS;
int block1(void) { return t; }
int block2(void) FNPROP_NOTLS;
int block2(void) { return t; }
/* NOLINTEND(fnprop-notls-violation) */

// NOLINTBEGIN
int block3(void) FNPROP_NOTLS;
int block3(void) { return t; }
// NOLINTEND

int word(void) FNPROP_NOTLS;
int word(void) { return t; } // NOLINTFOO is no keyword: reported

// NOLINTBEGIN(fnprop-notls-*)
int mismatched(void) FNPROP_NOTLS;
int mismatched(void) { return t; }
// NOLINTEND(fnprop-notls-violation)

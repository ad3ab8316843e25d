/* SPDX-License-Identifier: MIT */
/*
 * fsguard.c - fnprop's own open(): a read-only open of a FIFO, a socket or
 * a device (other than /dev/null) fails at once instead of blocking or
 * reading forever.
 *
 * libclang reads sources and headers through open(); an `#include` of a
 * FIFO would block the parse for good and one of /dev/zero would read
 * until memory runs out.  The fnprop executable defines open() and exports
 * it, so the libraries' calls come here; the file is opened non-blocking,
 * checked with fstat, and handed back in blocking mode when it is
 * ordinary.  clang then reports "cannot open file" for the include: the
 * TU is incomplete, never proven.  Writes, directories and O_PATH opens
 * pass through untouched (SQLite's database files included).
 *
 * Linked into the CLI only (not libfnprop_core): a library must not
 * replace open() for the program that uses it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int open(const char *path, int flags, ...);
int open64(const char *path, int flags, ...);

static int fg_open(const char *path, int flags, mode_t mode) {
  if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_DIRECTORY | O_PATH | O_CREAT)))
    return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
  int fd = (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_NONBLOCK, mode);
  if (fd < 0) return fd;
  struct stat st;
  int special = fstat(fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
                                        ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && st.st_rdev != makedev(1, 3)));
  if (special) {
    close(fd);
    errno = ENXIO; /* "No such device or address": not a file to read */
    return -1;
  }
  if (!(flags & O_NONBLOCK)) {
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0) fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
  }
  return fd;
}

static mode_t fg_mode(int flags, va_list ap) {
  return (flags & (O_CREAT | O_TMPFILE)) == 0 ? 0 : (mode_t)va_arg(ap, int);
}

int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = fg_mode(flags, ap);
  va_end(ap);
  return fg_open(path, flags, mode);
}

int open64(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = fg_mode(flags, ap);
  va_end(ap);
  return fg_open(path, flags | O_LARGEFILE, mode);
}

/*
 * fifo_reply.h - writing a reply into a client's reply FIFO, time-bounded.
 *
 * The client created <reply_dir>/<name> and reads it (openserctl starts
 * "cat < fifo" in the background, servalctl opens it before sending).  The
 * server checks that the path is a FIFO (not a symlink, a regular file or
 * a device planted under that name), opens it O_WRONLY | O_NONBLOCK |
 * O_NOFOLLOW, retrying while nobody reads it yet (ENXIO), checks that it
 * opened that same FIFO, and writes without blocking, waiting for room
 * with poll().  Opening and writing together never take
 * longer than the timeout, so a client that never reads costs the server
 * at most that long.  SIGPIPE must be ignored in the calling process (a
 * reader that goes away gives EPIPE).
 */
#ifndef SERVAL_MI_FIFO_REPLY_H
#define SERVAL_MI_FIFO_REPLY_H

#include "mi/tree.h"

/* What is sent when no reply tree could be built at all. */
#define MI_FIFO_OOM_REPLY "500 Internal server error\n\n"

/*
 * Sends rpl (NULL: MI_FIFO_OOM_REPLY) rendered with indent to the reply
 * FIFO name inside dir, within timeout_ms.  Returns SV_OK, SV_ETIMEOUT
 * (nobody opened it, or it stopped reading), SV_EINVAL (not a FIFO, path
 * too long), SV_EIO (other errors); failures are logged.
 */
int fifo_reply_send(const char *dir, const char *name,
                    const struct mi_root *rpl, const char *indent,
                    int timeout_ms);

/* Milliseconds of CLOCK_MONOTONIC (for the transport's deadlines). */
long long fifo_now_ms(void);

#endif /* SERVAL_MI_FIFO_REPLY_H */

/*
 * async.h - deferred MI replies: a command that finishes in another process.
 *
 * tm's t_uac_dlg sends a request and can only answer once the final SIP
 * reply arrives, in whatever process receives it.  The transport that
 * serves the request therefore hands the handler a handle (cmd->async, in
 * shm); the handler keeps it (e.g. in the transaction) and returns
 * MI_ROOT_ASYNC_RPL; later any process calls mi_async_complete() with the
 * reply tree.  The reply travels back as a flat copy in shm and the
 * transport's process renders it: a SIP worker never touches a client's
 * FIFO or socket.
 *
 *   transport process                 any process
 *   a = mi_async_new(notify_fd)
 *   cmd->async = a; mi_execute()
 *     -> MI_ROOT_ASYNC_RPL            mi_async_complete(a, tree)
 *   (poll notify_fd, or a timer)        copies tree to shm, marks done,
 *   mi_async_take(a, &rpl)              writes one byte to notify_fd
 *   render rpl; mi_root_free(rpl)
 *
 * Ownership is settled by one atomic state word, so exactly one side frees
 * the handle: PENDING -> DONE (completer) then the transport takes it, or
 * PENDING -> ABANDONED (the transport gave up: timeout, shutdown) then the
 * completer frees it.  The notify descriptor is the write end of a
 * non-blocking pipe the transport created before fork, so it is valid in
 * every process; -1 means "no wake-up, the transport polls".
 */
#ifndef SERVAL_MI_ASYNC_H
#define SERVAL_MI_ASYNC_H

#include "tree.h"

struct mi_async;

/*
 * Creates a pending handle in shm.  Returns NULL when shm is exhausted (the
 * transport then runs the command without a handle).  Transport only.
 */
struct mi_async *mi_async_new(int notify_fd);

/*
 * Delivers the final reply of a deferred command; any process, once per
 * handle.  Takes ownership of reply (a pkg tree, freed here; NULL means
 * the command failed and gives a 500).  Returns SV_OK, SV_ENOMEM (no shm
 * for the copy: the transport answers 500 instead), or SV_ETIMEOUT when
 * the transport had abandoned the handle (it is freed here).
 */
int mi_async_complete(struct mi_async *a, struct mi_root *reply);

/*
 * Transport: collects the reply if the command completed.  Returns
 * SV_EAGAIN while pending.  Otherwise returns SV_OK, frees the handle and
 * sets *reply to the reply (free it with mi_root_free()), or to NULL when
 * the command failed or its reply could not be copied (answer 500).
 */
int mi_async_take(struct mi_async *a, struct mi_root **reply);

/*
 * Transport gives up waiting (timeout, shutdown): the handle is freed now
 * if the reply already arrived, else by the completer.  Never blocks.
 */
void mi_async_abandon(struct mi_async *a);

/*
 * Frees a handle that was never handed out (the handler answered
 * synchronously).  Transport only.
 */
void mi_async_free(struct mi_async *a);

#endif /* SERVAL_MI_ASYNC_H */

/*
 * fifo_file.h - the server's request FIFO on disk: create, open, watch.
 *
 * The server keeps the FIFO open for reading (non-blocking) and also
 * holds a writer of its own, so the read side never sees end-of-file
 * between clients and poll() only reports real input.  The FIFO's
 * identity (device, inode) is remembered so the server notices when the
 * path was removed (and recreates it) or replaced.
 */
#ifndef SERVAL_MI_FIFO_FILE_H
#define SERVAL_MI_FIFO_FILE_H

#include <sys/types.h>

struct fifo_file {
	const char *path;
	int mode;
	int rd, wr; /* our read end and our dummy writer; -1 closed */
	dev_t dev;
	ino_t ino;
	int warned; /* the path names another file: said once */
};

/*
 * Creates the FIFO at path with mode.  An existing FIFO that nobody reads
 * (left by a crashed server) is replaced; one that a process reads is
 * refused (SV_EBUSY: another server uses it), as is any other kind of
 * file (SV_EEXIST).  Returns SV_OK or SV_EIO, all failures logged.
 */
int fifo_create(const char *path, int mode);

/*
 * Opens path (an existing FIFO) for the server.  Returns SV_OK or SV_EIO
 * (logged).  f->path and f->mode must be set.
 */
int fifo_file_open(struct fifo_file *f);

/* Closes both descriptors (safe when closed). */
void fifo_file_close(struct fifo_file *f);

/*
 * Checks that the path still names our FIFO; when it was removed,
 * recreates and reopens it (and retries a failed reopen on the next
 * call).  Returns 1 when the descriptors changed, 0 otherwise.
 */
int fifo_file_check(struct fifo_file *f);

#endif /* SERVAL_MI_FIFO_FILE_H */

/*
 * fifo_file.c - creating, opening and watching the request FIFO.
 *
 * A stale FIFO (left by a server that crashed) is told from a live one by
 * opening it for writing without blocking: with no reader the kernel says
 * ENXIO.  mkfifo() is followed by chmod() so the umask does not decide
 * the permissions.
 */
#include "fifo_file.h"
#include "core/errors.h"
#include "core/log.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Removes a FIFO at path nobody reads.  SV_OK when the path is free. */
static int remove_stale(const char *path, const struct stat *st)
{
	int fd;

	if (!S_ISFIFO(st->st_mode)) {
		LM_ERR("%s exists and is not a fifo\n", path);
		return SV_EEXIST;
	}
	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		LM_ERR("fifo %s is read by another process (another server "
		       "running?)\n",
		       path);
		return SV_EBUSY;
	}
	if (errno != ENXIO) {
		LM_ERR("cannot check fifo %s: %s\n", path, strerror(errno));
		return SV_EIO;
	}
	LM_NOTICE("removing stale fifo %s\n", path);
	if (unlink(path) != 0 && errno != ENOENT) {
		LM_ERR("cannot remove %s: %s\n", path, strerror(errno));
		return SV_EIO;
	}
	return SV_OK;
}

int fifo_create(const char *path, int mode)
{
	struct stat st;
	int rc;

	if (lstat(path, &st) == 0) {
		rc = remove_stale(path, &st);
		if (rc != SV_OK)
			return rc;
	} else if (errno != ENOENT) {
		LM_ERR("cannot stat %s: %s\n", path, strerror(errno));
		return SV_EIO;
	}
	if (mkfifo(path, 0600) != 0) {
		LM_ERR("cannot create fifo %s: %s\n", path, strerror(errno));
		return SV_EIO;
	}
	if (chmod(path, (mode_t)mode) != 0) {
		LM_ERR("cannot chmod fifo %s: %s\n", path, strerror(errno));
		unlink(path);
		return SV_EIO;
	}
	return SV_OK;
}

int fifo_file_open(struct fifo_file *f)
{
	struct stat st;

	f->rd = open(f->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (f->rd < 0) {
		LM_ERR("cannot open fifo %s: %s\n", f->path, strerror(errno));
		f->wr = -1;
		return SV_EIO;
	}
	f->wr = open(f->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (f->wr < 0 || fstat(f->rd, &st) != 0 || !S_ISFIFO(st.st_mode)) {
		LM_ERR("cannot use fifo %s\n", f->path);
		fifo_file_close(f);
		return SV_EIO;
	}
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	f->warned = 0;
	return SV_OK;
}

void fifo_file_close(struct fifo_file *f)
{
	if (f->rd >= 0)
		close(f->rd);
	if (f->wr >= 0)
		close(f->wr);
	f->rd = f->wr = -1;
}

int fifo_file_check(struct fifo_file *f)
{
	struct stat st;

	if (f->rd < 0) /* lost earlier: keep trying */
		return fifo_file_open(f) == SV_OK;
	if (stat(f->path, &st) == 0) {
		if ((st.st_dev != f->dev || st.st_ino != f->ino) &&
		    !f->warned) {
			LM_ERR("%s is no longer our fifo: requests written "
			       "there do not reach this server\n",
			       f->path);
			f->warned = 1;
		}
		return 0;
	}
	if (errno != ENOENT)
		return 0;
	LM_WARN("fifo %s was removed, recreating it\n", f->path);
	if (fifo_create(f->path, f->mode) != SV_OK)
		return 0;
	fifo_file_close(f);
	if (fifo_file_open(f) != SV_OK)
		LM_CRIT("MI fifo %s lost: cannot reopen it\n", f->path);
	return 1;
}

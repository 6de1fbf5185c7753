/*
 * render.h - the text form of an MI reply (the FIFO protocol's reply).
 *
 *   <code> <reason>\n
 *   <indent * depth>[name:: ]value[ name=value]*\n     one line per node,
 *   ...                                                depth first
 *   \n                                                 end of the reply
 *
 * byte for byte as OpenSER's mi_fifo wrote it: a named node always gets
 * "name:: " (with the space, even when the value is empty), each attribute
 * " name=value", children one indent (default a tab) deeper.  Values are
 * written as they are; a value holding line breaks spans several lines, so
 * clients read a reply up to end of file, not up to the first empty line.
 *
 * Rendering streams through a small buffer to a writer callback, so a
 * large reply never needs one large allocation.
 */
#ifndef SERVAL_MI_RENDER_H
#define SERVAL_MI_RENDER_H

#include "tree.h"

#include <stddef.h>

#define MI_DEFAULT_INDENT "\t"

/* Writes len bytes; returns SV_OK or a negative code that stops rendering. */
typedef int (*mi_write_f)(void *ctx, const char *buf, size_t len);

/*
 * Renders root in text form through w (indent NULL: MI_DEFAULT_INDENT).
 * Returns SV_OK, or the first error the writer returned.
 */
int mi_render_text(const struct mi_root *root, const char *indent, mi_write_f w,
                   void *ctx);

/*
 * Renders into buf (NUL terminated).  Returns the length, or SV_ETOOBIG
 * when it does not fit (buf then holds a truncated, terminated prefix).
 */
int mi_render_text_buf(const struct mi_root *root, const char *indent,
                       char *buf, size_t size);

/*
 * Renders only the nodes (no status line, no final empty line): what a
 * client prints on stdout.  Same return values as mi_render_text().
 */
int mi_render_nodes(const struct mi_root *root, const char *indent,
                    mi_write_f w, void *ctx);

#endif /* SERVAL_MI_RENDER_H */

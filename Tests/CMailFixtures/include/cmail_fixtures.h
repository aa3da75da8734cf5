// SPDX-License-Identifier: AGPL-3.0-or-later
// Tests only: writes an OLE2 compound file with libgsf's writer, as Outlook's .msg files are.
// (Swift cannot import libgsf's headers beside Foundation: their ICU clashes with its own.)
#ifndef CMAIL_FIXTURES_H
#define CMAIL_FIXTURES_H

#include <stddef.h>

/// Writes `count` streams; a name "storage/stream" puts the stream in that storage (one level,
/// the streams of one storage given one after another). Returns 0 on success.
int cmail_fixture_write_ole(const char *path, int count, const char *const *names, const unsigned char *const *data,
                            const size_t *sizes);

#endif

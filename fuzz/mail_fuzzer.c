// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target: any bytes through CMail's reader (GMime for MIME, libgsf and Quire's own
// MAPI property reading for Outlook .msg), as /email/decode and /pdf/convert/from/email read
// a client's file. Built and run by scripts/fuzz.sh.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cmail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    // cmail_read takes a path, as the engine hosts pass one: an in-memory file stands in.
    int fd = memfd_create("mail", 0);
    if (fd < 0) return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    cmail_message *message = NULL;
    char error[256];
    if (cmail_read(path, 64 << 20, 1000, &message, error, sizeof error) == CMAIL_OK) cmail_free(message);
    close(fd);
    return 0;
}

// SPDX-License-Identifier: AGPL-3.0-or-later
// libFuzzer target: any bytes through CMail's reader (GMime for MIME, libgsf and Quire's own
// MAPI property reading for Outlook .msg), as /email/decode and /pdf/convert/from/email read
// a client's file. Built and run by scripts/fuzz.sh.
#include "input_file.h"

#include "cmail.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char path[64];
    int fd = input_file(data, size, path);
    if (fd < 0) return 0;
    cmail_message *message = NULL;
    char error[256];
    if (cmail_read(path, 64 << 20, 1000, &message, error, sizeof error) == CMAIL_OK) cmail_free(message);
    close(fd);
    return 0;
}

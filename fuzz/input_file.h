// SPDX-License-Identifier: AGPL-3.0-or-later
// The fuzzers' input as a file: the readers take a path, as the engine hosts pass one.
#ifndef QUIRE_FUZZ_INPUT_FILE_H
#define QUIRE_FUZZ_INPUT_FILE_H
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

/// Writes `data` to an in-memory file and its /proc path to `path`; returns its descriptor (close
/// it when done), or -1.
static int input_file(const uint8_t *data, size_t size, char path[64]) {
    int fd = memfd_create("input", 0);
    if (fd < 0) return -1;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return -1;
    }
    snprintf(path, 64, "/proc/self/fd/%d", fd);
    return fd;
}
#endif

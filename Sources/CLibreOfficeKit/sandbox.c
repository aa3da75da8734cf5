// SPDX-License-Identifier: AGPL-3.0-or-later
// The office host's sandbox: no network (a new, empty network namespace) and a Landlock
// file-system allowlist (Linux 5.13+, unprivileged), so documents cannot make LibreOffice fetch
// URLs or read other local files (linked images, OLE links, external data).
#define _GNU_SOURCE // O_PATH
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/landlock.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "clok.h"

#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif

static const __u64 read_rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;

static __u64 all_rights(int abi) {
    __u64 rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; // ABI 1: bits 0…12
    if (abi >= 2) rights |= LANDLOCK_ACCESS_FS_REFER;
    if (abi >= 3) rights |= LANDLOCK_ACCESS_FS_TRUNCATE;
    return rights;
}

static int allow(int ruleset, const char *path, __u64 rights, __u64 handled) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return 0; // a path that does not exist needs no rule
    struct stat st;
    if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode)) {
        // Rules on files may carry file rights only.
        rights &= LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
                  LANDLOCK_ACCESS_FS_TRUNCATE;
    }
    struct landlock_path_beneath_attr rule = {.allowed_access = rights & handled, .parent_fd = fd};
    int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

int clok_sandbox(const char *const *read_paths, const char *const *write_paths, char *err, size_t errlen) {
    int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) {
        snprintf(err, errlen, "Landlock is not available in this kernel (%s)", strerror(errno));
        return 0;
    }
    __u64 handled = all_rights(abi);
    struct landlock_ruleset_attr attr = {.handled_access_fs = handled};
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0) {
        snprintf(err, errlen, "landlock_create_ruleset: %s", strerror(errno));
        return -1;
    }
    for (const char *const *p = read_paths; p && *p; p++) {
        if (allow(ruleset, *p, read_rights, handled) < 0) {
            snprintf(err, errlen, "landlock rule for %s: %s", *p, strerror(errno));
            close(ruleset);
            return -1;
        }
    }
    for (const char *const *p = write_paths; p && *p; p++) {
        if (allow(ruleset, *p, handled, handled) < 0) {
            snprintf(err, errlen, "landlock rule for %s: %s", *p, strerror(errno));
            close(ruleset);
            return -1;
        }
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) {
        snprintf(err, errlen, "landlock_restrict_self: %s", strerror(errno));
        close(ruleset);
        return -1;
    }
    close(ruleset);
    return abi;
}

int clok_isolate_network(char *err, size_t errlen) {
    if (unshare(CLONE_NEWNET) == 0) return 0;
    // Without CAP_SYS_ADMIN a user namespace grants it (where unprivileged ones are allowed).
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) return 0;
    snprintf(err, errlen, "unshare(CLONE_NEWNET): %s", strerror(errno));
    return -1;
}

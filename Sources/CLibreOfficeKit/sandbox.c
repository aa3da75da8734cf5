// SPDX-License-Identifier: AGPL-3.0-or-later
// The sandbox of the engine, OCR and office hosts (`quire engine-host`, `ocr-host`, `office-host`): no
// network (a new, empty network namespace) and a Landlock file-system allowlist (Linux 5.13+,
// unprivileged), so a document that takes over MuPDF or LibreOffice can neither reach the network
// nor read or write files beyond its own work folder (linked images, OLE links, DATA/secret.key,
// other tenants' jobs).
//
// Landlock, no_new_privs and namespaces belong to the thread that applies them and are inherited
// only by threads created later, and unshare(CLONE_NEWUSER) refuses a multi-threaded caller. The
// one moment a Swift program is single-threaded is before main, so the sandbox is applied by an
// ELF constructor: every thread the host ever starts (Swift's, MuPDF's, LibreOffice's) inherits it.
#define _GNU_SOURCE // O_PATH, unshare
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/landlock.h>
#include "clok.h"

// Debian 12's kernel headers stop at Landlock ABI 3; the later bits (stable kernel ABI) are here.
#define ACCESS_FS_REFER (1ULL << 13)    // ABI 2
#define ACCESS_FS_TRUNCATE (1ULL << 14) // ABI 3
#define ACCESS_FS_IOCTL_DEV (1ULL << 15) // ABI 5
#define ACCESS_NET_BIND_TCP (1ULL << 0)    // ABI 4
#define ACCESS_NET_CONNECT_TCP (1ULL << 1) // ABI 4
#define SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0) // ABI 6
#define SCOPE_SIGNAL (1ULL << 1)               // ABI 6

/// struct landlock_ruleset_attr as of ABI 6; the kernel takes a prefix of it (ABI 1: 8 bytes).
struct ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
    uint64_t scoped;
};

static const uint64_t read_rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
static const uint64_t file_rights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
                                    ACCESS_FS_TRUNCATE | ACCESS_FS_IOCTL_DEV;

/// What every host may read: libraries, fonts and the few files of /etc that the C library,
/// fontconfig and LibreOffice open. Not the rest of /etc, /home, /root, /tmp, /srv or the data folder.
static const char *const readable_paths[] = {
    "/usr", "/lib", "/lib64", "/bin", "/opt", "/proc", "/sys/devices/system/cpu", "/dev/urandom", "/dev/random",
    "/etc/ld.so.cache", "/etc/localtime", "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/fonts",
    "/etc/libreoffice", "/var/cache/fontconfig", "/var/lib/libreoffice", "/var/spool/libreoffice", NULL,
};

static struct {
    int result;      // CLOK_SANDBOX_*
    char detail[512]; // what was applied, or why it failed
} state = {.result = CLOK_SANDBOX_NOT_A_HOST};

static uint64_t fs_rights(int abi) {
    uint64_t rights = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1; // ABI 1: bits 0…12
    if (abi >= 2) rights |= ACCESS_FS_REFER;
    if (abi >= 3) rights |= ACCESS_FS_TRUNCATE;
    if (abi >= 5) rights |= ACCESS_FS_IOCTL_DEV;
    return rights;
}

static int allow(int ruleset, const char *path, uint64_t rights, uint64_t handled) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return 0; // a path that does not exist needs no rule
    struct stat st;
    // Rules on files may carry file rights only.
    if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode)) rights &= file_rights;
    struct landlock_path_beneath_attr rule = {.allowed_access = rights & handled, .parent_fd = fd};
    int rc = (int)syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &rule, 0);
    int saved = errno;
    close(fd);
    errno = saved;
    return rc;
}

/// Landlock: read `readable_paths`, read and write `writable` (NULL-terminated), write /dev/null;
/// no TCP and no signals or abstract sockets beyond this sandbox where the kernel can say so.
/// Returns the ABI applied, or -1 (err says why).
static int restrict_files(const char *const *writable, char *err, size_t errlen) {
    int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) {
        snprintf(err, errlen, "Landlock is not available in this kernel (%s)", strerror(errno));
        return -1;
    }
    struct ruleset_attr attr = {.handled_access_fs = fs_rights(abi)};
    size_t size = sizeof attr.handled_access_fs;
    if (abi >= 4) {
        attr.handled_access_net = ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP;
        size = 2 * sizeof(uint64_t);
    }
    if (abi >= 6) {
        attr.scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL;
        size = sizeof attr;
    }
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (ruleset < 0) {
        snprintf(err, errlen, "landlock_create_ruleset: %s", strerror(errno));
        return -1;
    }
    const char *failed = NULL;
    for (const char *const *p = readable_paths; *p && !failed; p++) {
        if (allow(ruleset, *p, read_rights, attr.handled_access_fs) < 0) failed = *p;
    }
    for (const char *const *p = writable; *p && !failed; p++) {
        if (allow(ruleset, *p, attr.handled_access_fs, attr.handled_access_fs) < 0) failed = *p;
    }
    if (!failed && allow(ruleset, "/dev/null", read_rights | LANDLOCK_ACCESS_FS_WRITE_FILE, attr.handled_access_fs) < 0) {
        failed = "/dev/null";
    }
    if (failed) {
        snprintf(err, errlen, "landlock rule for %s: %s", failed, strerror(errno));
        close(ruleset);
        return -1;
    }
    // Landlock's rule: without CAP_SYS_ADMIN, restrict_self needs no_new_privs (set by the caller).
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0) {
        snprintf(err, errlen, "landlock_restrict_self: %s", strerror(errno));
        close(ruleset);
        return -1;
    }
    close(ruleset);
    return abi;
}

static int write_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/// A new network namespace with no interface up: no connection to anything, loopback included.
/// Inside a new user namespace when the kernel allows one, so the host holds no capability over
/// the host's namespaces (not even as root: setns back would need CAP_SYS_ADMIN there).
static int isolate_network(char *err, size_t errlen) {
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0) {
        // user_namespaces(7): an unprivileged process may map only its own IDs, and gid_map
        // needs setgroups denied first. Unmapped IDs could create no file (EOVERFLOW).
        char map[64];
        snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
        if (write_file("/proc/self/setgroups", "deny") < 0 || write_file("/proc/self/uid_map", map) < 0) {
            snprintf(err, errlen, "user namespace ID map: %s", strerror(errno));
            return -1;
        }
        snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
        if (write_file("/proc/self/gid_map", map) < 0) {
            snprintf(err, errlen, "user namespace ID map: %s", strerror(errno));
            return -1;
        }
        return 0;
    }
    int user_errno = errno;
    // Where user namespaces are turned off, CAP_SYS_ADMIN (root) still allows a network one.
    if (unshare(CLONE_NEWNET) == 0) return 0;
    snprintf(err, errlen, "unshare(CLONE_NEWUSER|CLONE_NEWNET): %s; unshare(CLONE_NEWNET): %s", strerror(user_errno),
             strerror(errno));
    return -1;
}

/// Number of threads of this process (from /proc/self/status), 0 when unknown.
static int thread_count(void) {
    FILE *status = fopen("/proc/self/status", "re");
    if (!status) return 0;
    char line[256];
    int threads = 0;
    while (fgets(line, sizeof line, status)) {
        if (sscanf(line, "Threads: %d", &threads) == 1) break;
    }
    fclose(status);
    return threads;
}

static void fail(const char *format, const char *detail) {
    state.result = CLOK_SANDBOX_FAILED;
    snprintf(state.detail, sizeof state.detail, format, detail);
}

// glibc calls ELF constructors with (argc, argv, envp). Only the host subcommands are sandboxed.
__attribute__((constructor)) static void clok_sandbox_at_start(int argc, char **argv, char **envp) {
    (void)envp;
    if (argc < 2) return;
    int office = strcmp(argv[1], "office-host") == 0;
    // OCR hosts (`quire ocr-host`) run MuPDF and Tesseract: sandboxed like engine hosts.
    if (!office && strcmp(argv[1], "engine-host") != 0 && strcmp(argv[1], "ocr-host") != 0) return;
    const char *switch_name = office ? "QUIRE_OFFICE_SANDBOX" : "QUIRE_ENGINE_SANDBOX";
    const char *setting = getenv(switch_name);
    if (setting && strcmp(setting, "0") == 0) {
        state.result = CLOK_SANDBOX_OFF;
        snprintf(state.detail, sizeof state.detail, "turned off by %s=0", switch_name);
        return;
    }
    const char *work = getenv("QUIRE_ENGINE_WORK");
    const char *profile = office ? getenv("QUIRE_OFFICE_PROFILE") : NULL;
    if (!work || !*work || (office && (!profile || !*profile))) {
        fail("%s", office ? "QUIRE_ENGINE_WORK and QUIRE_OFFICE_PROFILE must be set" : "QUIRE_ENGINE_WORK must be set");
        return;
    }
    int threads = thread_count();
    if (threads != 1) {
        char count[32];
        snprintf(count, sizeof count, "%d", threads);
        fail("the process has %s threads before main (the sandbox needs one)", count);
        return;
    }
    // A host whose sandbox fails in part keeps the rest (engine hosts run on, with a warning).
    char network[200] = "", files[200] = "";
    int isolated = isolate_network(network, sizeof network) == 0;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
        fail("prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
        return;
    }
    const char *writable[] = {work, profile, NULL};
    int abi = restrict_files(writable, files, sizeof files);
    if (isolated && abi > 0) {
        state.result = CLOK_SANDBOX_APPLIED;
        snprintf(state.detail, sizeof state.detail, "Landlock ABI %d, own network namespace, no_new_privs", abi);
        return;
    }
    state.result = CLOK_SANDBOX_FAILED;
    snprintf(state.detail, sizeof state.detail, "%s%s%s%s", isolated ? "" : "no network isolation: ", network,
             isolated || abi > 0 ? "" : "; ", abi > 0 ? "" : files);
}

int clok_sandbox_result(char *detail, size_t detaillen) {
    if (detail && detaillen) snprintf(detail, detaillen, "%s", state.detail);
    return state.result;
}

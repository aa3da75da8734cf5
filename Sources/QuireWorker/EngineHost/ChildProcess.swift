// SPDX-License-Identifier: AGPL-3.0-or-later
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with posix_spawn in its own process group, with pipes on its
/// stdin and stdout, stderr shared with ours (or a file), and no other descriptor of ours.
///
/// Foundation's `Process` is not used: on Linux its `waitUntilExit` can hang when called off
/// the main thread, and it offers no process group. Here `wait()` is a plain waitpid.
package final class ChildProcess: @unchecked Sendable {
    package let pid: pid_t
    /// Our end of the child's stdin.
    package let input: Int32
    /// Our end of the child's stdout.
    package let output: Int32
    /// With `devToolsPipe`: our ends of the child's descriptors 3 (we write) and 4 (we read),
    /// Chromium's `--remote-debugging-pipe`.
    package let devTools: (input: Int32, output: Int32)?
    private var reaped = false
    private var isInputOpen = true

    /// Starts `executable` with `arguments` and exactly `environment`; its stderr goes to the
    /// file `errorOutput` (appended) when given. With `devToolsPipe`, it also gets descriptors
    /// 3 and 4 for Chromium's DevTools protocol (`devTools`).
    /// - Throws: `EngineHostError.spawnFailed` with errno's text.
    package init(
        executable: String, arguments: [String], environment: [String: String], errorOutput: String? = nil,
        devToolsPipe: Bool = false
    ) throws {
        // [stdin, stdout] or [stdin, stdout, fd 3 (child reads), fd 4 (child writes)].
        var pipes: [[Int32]] = []
        for _ in 0..<(devToolsPipe ? 4 : 2) {
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else {
                let reason = String(cString: strerror(errno))
                for fd in pipes.joined() { close(fd) }
                throw EngineHostError.spawnFailed(reason)
            }
            pipes.append(ends)
        }
        // Close-on-exec: our ends must not leak into other children, or their EOF would never come.
        // (pipe2 is not imported into Swift; the child's parent watch covers the short race.)
        for fd in pipes.joined() { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // The child's end of each pipe: it reads stdin and fd 3, writes stdout and fd 4.
        let childEnds = pipes.enumerated().map { index, ends in index % 2 == 0 ? ends[0] : ends[1] }
        let ourEnds = pipes.enumerated().map { index, ends in index % 2 == 0 ? ends[1] : ends[0] }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, fd) in childEnds.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd, Int32(target < 2 ? target : target + 1))
        }
        if let errorOutput { posix_spawn_file_actions_addopen(&actions, 2, errorOutput, O_WRONLY | O_CREAT | O_APPEND, 0o644) }
        // Only 0, 1 and 2 (and the DevTools pair) reach the child. Most descriptors of the server
        // lack close-on-exec (SwiftNIO opens its sockets without it): an engine host would hold the
        // API's listening socket and its clients' connections, and keep the port taken after the
        // server died.
        do {
            try Self.closeDescriptors(from: devToolsPipe ? 5 : 3, in: &actions)
        } catch {
            for fd in pipes.joined() { close(fd) }
            throw error
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)  // the server ignores SIGPIPE; the child must not
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        for fd in childEnds { close(fd) }
        guard result == 0 else {
            for fd in ourEnds { close(fd) }
            throw EngineHostError.spawnFailed("\(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        self.input = ourEnds[0]
        self.output = ourEnds[1]
        self.devTools = devToolsPipe ? (ourEnds[2], ourEnds[3]) : nil
    }

    /// glibc 2.34's posix_spawn_file_actions_addclosefrom_np (close_range in the child), which
    /// Swift's Glibc module does not import.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = {
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: AddCloseFrom.self)
    }()

    private static func closeDescriptors(from lowest: Int32, in actions: inout posix_spawn_file_actions_t) throws {
        guard let addCloseFrom else {
            throw EngineHostError.spawnFailed("this C library cannot close descriptors in a child (glibc 2.34+ needed)")
        }
        let result = addCloseFrom(&actions, lowest)
        guard result == 0 else {
            throw EngineHostError.spawnFailed("posix_spawn_file_actions_addclosefrom_np: \(String(cString: strerror(result)))")
        }
    }

    /// Closes our end of the child's stdin (it sees end of file). Safe to call more than once:
    /// a second close(2) could hit a descriptor number another thread has reused since.
    package func closeInput() {
        guard isInputOpen else { return }
        isInputOpen = false
        close(input)
    }

    /// SIGKILL to the child's whole process group.
    package func kill() {
        guard !reaped else { return }
        _ = Glibc.kill(-pid, SIGKILL)
    }

    /// Waits for the child to end and describes how it ended ("killed by signal 6", "exited with status 0").
    @discardableResult
    package func wait() -> String {
        guard !reaped else { return "already reaped" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        reaped = true
        closeInput()
        close(output)
        if let devTools {
            close(devTools.input)
            close(devTools.output)
        }
        // The W* macros are not imported into Swift; these are their Linux definitions.
        let signal = status & 0x7f
        return signal == 0 ? "exited with status \((status >> 8) & 0xff)" : "killed by signal \(signal)"
    }

    deinit {
        if !reaped {
            kill()
            wait()
        }
    }
}

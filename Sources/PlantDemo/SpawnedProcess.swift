import Foundation

/// A child process of `earshot demo`: started with `posix_spawn` in its own process group, so a
/// Ctrl-C on the terminal reaches only the demo, which then stops its children in order (agents
/// first, so they can drain to the hub, then the hub, then the broker). Standard output and error
/// go to a log file.
final class SpawnedProcess {
    /// A short name for messages (`hub`, `agent north-l1-a`).
    let name: String
    /// The log file that receives the child's standard output and error.
    let log: URL
    private let pid: pid_t
    private var exitStatus: Int32?

    /// Starts `executable` with `arguments`, appending its output to `log`.
    ///
    /// - Throws: ``DemoError`` when the process cannot be spawned.
    init(name: String, executable: String, arguments: [String], log: URL) throws {
        self.name = name
        self.log = log
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group; SIGINT/SIGTERM back to their default action and nothing blocked, whatever
        // the demo itself ignores or blocks (it handles those signals through a dispatch source).
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, &attributes, argv, environ)
        guard result == 0 else { throw DemoError("cannot start \(name) (\(executable)): \(String(cString: strerror(result)))") }
        pid = child
    }

    /// Whether the process is still running (reaps it once it has exited).
    var isRunning: Bool {
        guard exitStatus == nil else { return false }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return true }
        exitStatus = status
        return false
    }

    /// How the process ended, once it has: `exit 0`, `signal 9`.
    var outcome: String {
        guard let status = exitStatus else { return "running" }
        let signal = status & 0x7F
        return signal == 0 ? "exit \((status >> 8) & 0xFF)" : "signal \(signal)"
    }

    /// Whether the process exited with status 0.
    var exitedCleanly: Bool { exitStatus.map { $0 & 0x7F == 0 && ($0 >> 8) & 0xFF == 0 } ?? false }

    /// Sends `signal` if the process is still running.
    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits up to `seconds` for the process to exit, then SIGKILLs it.
    /// - Returns: true if it exited by itself within the time.
    @discardableResult
    func waitForExit(seconds: Double) async -> Bool {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        guard isRunning else { return true }
        kill(pid, SIGKILL)
        while isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return false
    }

    /// Runs `executable` to completion (a setup step: synthesis, training, registration).
    ///
    /// - Throws: ``DemoError`` with the end of the log when it exits with a non-zero status.
    static func run(name: String, executable: String, arguments: [String], log: URL) async throws {
        let process = try SpawnedProcess(name: name, executable: executable, arguments: arguments, log: log)
        while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        guard process.exitedCleanly else {
            throw DemoError("\(name) failed (\(process.outcome)); its log \(log.path) ends with:\n\(process.logTail())")
        }
    }

    /// The last `lines` lines of the log, for error messages.
    func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }
}

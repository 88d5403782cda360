import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A real `mosquitto` on a free loopback port with a generated config in a temp dir.
///
/// Start, wait until it accepts TCP connections, stop (SIGTERM) or kill (SIGKILL), and
/// restart on the same port. `@unchecked Sendable`: `process` is only touched under `lock`.
public final class TestBroker: @unchecked Sendable {
    /// Extra broker settings.
    public struct Options {
        /// Creates options; the defaults are an anonymous plain-TCP broker.
        public init(
            allowAnonymous: Bool = true, users: [(String, String)] = [], acl: String? = nil, tls: TestCertificates? = nil,
            extra: [String] = []
        ) {
            self.allowAnonymous = allowAnonymous
            self.users = users
            self.acl = acl
            self.tls = tls
            self.extra = extra
        }
        public var allowAnonymous = true
        /// `user:password` pairs written with `mosquitto_passwd -b`.
        public var users: [(String, String)] = []
        /// Contents of the ACL file, or `nil` for none.
        public var acl: String?
        /// TLS listener files, or `nil` for plain TCP.
        public var tls: TestCertificates?
        /// Extra config lines.
        public var extra: [String] = []
    }

    public let directory: URL
    /// The loopback port it listens on (chosen once, in `init`; a restart keeps it).
    public private(set) var port: Int32 = 0
    public let configPath: String
    private let lock = NSLock()
    private var process: Process?

    public init(_ options: Options = Options()) throws {
        directory = try TestFiles.makeTempDirectory(prefix: "broker")
        configPath = directory.appendingPathComponent("mosquitto.conf").path
        var lines = [
            "allow_anonymous \(options.allowAnonymous)",
            // mosquitto drops root privileges to user "mosquitto" by default, which could
            // not read the 0600 TLS keys or write the log in our temp dir.
            "user \(String(cString: getpwuid(getuid()).pointee.pw_name))",
            "persistence false",
            "log_dest file \(directory.appendingPathComponent("mosquitto.log").path)",
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "max_queued_messages 100000",
        ]
        if !options.users.isEmpty {
            let passwd = directory.appendingPathComponent("passwd").path
            for (index, (user, password)) in options.users.enumerated() {
                let args = index == 0 ? ["-b", "-c", passwd, user, password] : ["-b", passwd, user, password]
                try TestFiles.run("/usr/bin/mosquitto_passwd", args)
            }
            lines.append("password_file \(passwd)")
        }
        if let acl = options.acl {
            let path = directory.appendingPathComponent("acl").path
            try acl.write(toFile: path, atomically: true, encoding: .utf8)
            lines.append("acl_file \(path)")
        }
        if let tls = options.tls {
            lines += ["cafile \(tls.caFile)", "certfile \(tls.serverCertFile)", "keyfile \(tls.serverKeyFile)", "tls_version tlsv1.2"]
        }
        lines += options.extra
        // A port that was free when probed can be taken before mosquitto binds it (another test's client
        // gets it as its ephemeral port): then another port, a few times.
        for attempt in 1... {
            port = try Self.freePort()
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("mosquitto.log"))
            try ((["listener \(port) 127.0.0.1"] + lines).joined(separator: "\n") + "\n").write(
                toFile: configPath, atomically: true, encoding: .utf8)
            do {
                try start()
                return
            } catch  where attempt < 5 && log.contains("Address already in use") {
                stop()
            }
        }
    }

    deinit {
        stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Launches mosquitto and waits until the port accepts connections (up to 10 s).
    public func start() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/sbin/mosquitto")
        p.arguments = ["-c", configPath]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        lock.withLock { process = p }
        // Generous: a full test run starts many debug processes on two cores at once.
        let deadline = Date(timeIntervalSinceNow: 60)
        while Date() < deadline {
            if Self.accepts(port: port) { return }
            guard p.isRunning else { break }
            usleep(20_000)
        }
        throw TestFiles.Failure("mosquitto did not start on port \(port); log: \(log)")
    }

    /// Stops mosquitto and waits for it. SIGKILL, not SIGTERM: a spawned child inherits
    /// the spawning thread's signal mask, and the test process's threads block SIGTERM,
    /// so mosquitto would never see it. Clients cannot tell the difference (no persistence).
    public func stop() { signal(SIGKILL) }

    /// Stops and starts again on the same port.
    public func restart() throws {
        stop()
        try start()
    }

    /// The broker's log so far.
    public var log: String {
        (try? String(contentsOfFile: directory.appendingPathComponent("mosquitto.log").path, encoding: .utf8)) ?? ""
    }

    private func signal(_ sig: Int32) {
        let p = lock.withLock { () -> Process? in
            defer { process = nil }
            return process
        }
        guard let p, p.isRunning else { return }
        Glibc.kill(p.processIdentifier, sig)
        p.waitUntilExit()
    }

    /// A port that was free a moment ago (bind to port 0, read it back, close).
    public static func freePort() throws -> Int32 {
        // Never hand out a port twice in one test process: a stopped broker's port must stay free
        // for its restart while other tests pick ports in parallel.
        while true {
            let port = try unusedPort()
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
    }

    private static let handedOut = Mutex<Set<Int32>>([])

    private static func unusedPort() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFiles.Failure("socket failed") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { ptr -> Bool in
                bind(fd, ptr, len) == 0 && getsockname(fd, ptr, &len) == 0
            }
        }
        guard bound else { throw TestFiles.Failure("bind failed") }
        return Int32(UInt16(bigEndian: addr.sin_port))
    }

    /// Whether a TCP connection to 127.0.0.1:`port` succeeds.
    public static func accepts(port: Int32) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}

import BrokerSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `Tests/Interop/tcp_proxy.py` as a child process: a connection through it can be cut
/// ungracefully with SIGKILL (SIGTERM would be blocked: children inherit the test
/// process's signal mask).
final class TCPProxy: @unchecked Sendable {
    let port: Int32
    private let process = Process()

    init(to targetPort: Int32) throws {
        port = try TestBroker.freePort()
        let script = TestFiles.repositoryRoot.appendingPathComponent("Tests/Interop/tcp_proxy.py").path
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, String(port), String(targetPort)]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        // Wait for "ready".
        let line = out.fileHandleForReading.availableData
        guard String(decoding: line, as: UTF8.self).contains("ready") else {
            throw TestFiles.Failure("tcp_proxy.py did not start")
        }
    }

    /// SIGKILLs the proxy (no FIN from the client side of MQTT, no DISCONNECT).
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { kill() }
}

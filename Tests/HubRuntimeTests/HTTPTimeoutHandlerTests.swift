import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
@testable import HubCore
@testable import HubRuntime
#endif

/// A client that never finishes its request head or body has its connection closed by the hub
/// (`http.header_timeout_s`, `http.body_timeout_s`), counted by phase; a complete request on the
/// same server is still answered. The limits are 1 s; the test only waits (up to 30 s) for the close.
@Suite struct HTTPTimeoutHandlerTests {
    /// A blocking TCP connection to 127.0.0.1 with a receive timeout.
    ///
    /// `@unchecked Sendable`: used by one thread at a time, the blocking reads on a ``DedicatedThread``
    /// so that they never hold a thread of the cooperative pool the server's handlers need.
    final class RawConnection: @unchecked Sendable {
        let fd: Int32

        init(port: Int, receiveTimeoutSeconds: Int) throws {
            fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw POSIXError(.EBADF) }
            var timeout = timeval(tv_sec: receiveTimeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard result == 0 else {
                close(fd)
                throw POSIXError(.ECONNREFUSED)
            }
        }

        deinit { close(fd) }

        func send(_ text: String) {
            _ = text.utf8CString.withUnsafeBufferPointer { Glibc.send(fd, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }
        }

        /// Reads until the peer closes (true) or the receive timeout passes (false); what was read goes to `received`.
        func closedByPeer() -> Bool {
            var buffer = [UInt8](repeating: 0, count: 4_096)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n == 0 { return true }
                if n < 0 { return errno == ECONNRESET }
                received += buffer[0..<n]
            }
        }

        /// Bytes read by ``closedByPeer()``.
        var received: [UInt8] = []
    }

    static func makeServer(_ dir: TemporaryDirectory) throws -> HubServer {
        var configuration = HubConfiguration(
            storage: .init(databasePath: dir.path("hub.sqlite"), clipDirectory: dir.path("clips")), http: .init(token: HubFixture.token))
        configuration.http.port = 0
        configuration.http.headerTimeoutSeconds = 1
        configuration.http.bodyTimeoutSeconds = 1
        configuration.http.idleTimeoutSeconds = 60
        return try HubServer(configuration: configuration, logger: HubFixture.logger)
    }

    @Test func aSlowHeadAndASlowBodyAreCutOff() async throws {
        let dir = try TemporaryDirectory()
        let server = try Self.makeServer(dir)
        try await HubFixture.application(server).test(.live) { client in
            let port = try #require(client.port)
            let head = try RawConnection(port: port, receiveTimeoutSeconds: 30)
            head.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            let body = try RawConnection(port: port, receiveTimeoutSeconds: 30)
            body.send("POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\ntoken=")
            #expect(try await DedicatedThread.run { head.closedByPeer() }, "a request head that never ends keeps its connection")
            #expect(try await DedicatedThread.run { body.closedByPeer() }, "a request body that never ends keeps its connection")
            let prompt = try RawConnection(port: port, receiveTimeoutSeconds: 30)
            prompt.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(try await DedicatedThread.run { prompt.closedByPeer() })
            #expect(String(decoding: prompt.received, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
        }
        // The test client's own idle connection may time out too: at least one head, exactly one body.
        let metrics = server.metrics.render()
        #expect(metrics.contains("earshot_hub_http_timeouts_total{phase=\"head\"}"))
        #expect(!metrics.contains("earshot_hub_http_timeouts_total{phase=\"head\"} 0"))
        #expect(metrics.contains("earshot_hub_http_timeouts_total{phase=\"body\"} 1"))
    }
}

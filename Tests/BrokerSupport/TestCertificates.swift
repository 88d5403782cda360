import Foundation

/// A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made
/// with `openssl` in a temp dir (removed on deinit); plus an unrelated CA for negative tests.
public final class TestCertificates: Sendable {
    public let directory: URL
    public var caFile: String { path("ca.crt") }
    public var serverCertFile: String { path("server.crt") }
    public var serverKeyFile: String { path("server.key") }
    public var clientCertFile: String { path("client.crt") }
    public var clientKeyFile: String { path("client.key") }
    public var otherCAFile: String { path("other-ca.crt") }

    public init() throws {
        directory = try TestFiles.makeTempDirectory(prefix: "tls")
        let ssl = "/usr/bin/openssl"
        try TestFiles.run(
            ssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=earshot-test-ca",
                "-keyout", path("ca.key"), "-out", path("ca.crt"),
            ])
        try TestFiles.run(
            ssl,
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other-ca",
                "-keyout", path("other-ca.key"), "-out", path("other-ca.crt"),
            ])
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\n".write(toFile: path("san.ext"), atomically: true, encoding: .utf8)
        for name in ["server", "client"] {
            try TestFiles.run(
                ssl,
                [
                    "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(name == "server" ? "127.0.0.1" : "earshot-client")",
                    "-keyout", path("\(name).key"), "-out", path("\(name).csr"),
                ])
            var args = [
                "x509", "-req", "-in", path("\(name).csr"), "-CA", path("ca.crt"), "-CAkey", path("ca.key"),
                "-CAcreateserial", "-days", "2", "-out", path("\(name).crt"),
            ]
            if name == "server" { args += ["-extfile", path("san.ext")] }
            try TestFiles.run(ssl, args)
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private func path(_ name: String) -> String { directory.appendingPathComponent(name).path }
}

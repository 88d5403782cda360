import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Debian's headless `chromium` driven over the DevTools protocol on a pipe
/// (`--remote-debugging-pipe`: requests on the browser's fd 3, responses and events on its
/// fd 4, each a NUL-terminated JSON object), so a test can run script in a loaded page —
/// click a button, read the DOM — without a WebSocket client.
///
/// Not `Sendable`: one test drives it. Reads block, so they run on a Dispatch queue, never on
/// the cooperative pool that the hub under test also needs.
final class HeadlessChromium {
    struct ProtocolError: Error, CustomStringConvertible {
        let description: String
    }

    private let pid: pid_t
    private let requests: Int32
    private let responses: Int32
    private var nextID = 0
    private var buffer: [UInt8] = []
    private var events: [[String: Any]] = []
    private let readQueue = DispatchQueue(label: "headless-chromium")

    /// Starts the browser with a fresh profile under `profileDirectory`.
    init(profileDirectory: String) throws {
        var toBrowser: [Int32] = [-1, -1]
        var fromBrowser: [Int32] = [-1, -1]
        guard pipe(&toBrowser) == 0, pipe(&fromBrowser) == 0 else { throw ProtocolError(description: "pipe failed: errno \(errno)") }
        // Only the dup2'd 3 and 4 may reach the browser (and no other process spawned meanwhile).
        for fd in toBrowser + fromBrowser { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Move the browser's ends above 4 first, so the dup2s onto 3 and 4 cannot clobber one another.
        let browserIn = fcntl(toBrowser[0], F_DUPFD_CLOEXEC, 10)
        let browserOut = fcntl(fromBrowser[1], F_DUPFD_CLOEXEC, 10)
        posix_spawn_file_actions_adddup2(&actions, browserIn, 3)
        posix_spawn_file_actions_adddup2(&actions, browserOut, 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [
            "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--mute-audio",
            "--remote-debugging-pipe", "--user-data-dir=\(profileDirectory)", "about:blank",
        ]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        for fd in [toBrowser[0], fromBrowser[1], browserIn, browserOut] { close(fd) }
        guard spawned == 0 else {
            close(toBrowser[1])
            close(fromBrowser[0])
            throw ProtocolError(description: "posix_spawn chromium failed: \(spawned)")
        }
        self.pid = pid
        requests = toBrowser[1]
        responses = fromBrowser[0]
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(requests)
        close(responses)
    }

    /// Opens `url` in a new tab, waits for its load event, and returns the DevTools session attached to it.
    func open(_ url: String) async throws -> String {
        let target = try await send("Target.createTarget", ["url": "about:blank"])
        guard let targetID = target["targetId"] as? String else { throw ProtocolError(description: "no targetId: \(target)") }
        let attached = try await send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw ProtocolError(description: "no sessionId: \(attached)") }
        _ = try await send("Page.enable", [:], session: session)
        _ = try await send("Page.navigate", ["url": url], session: session)
        while !events.contains(where: { $0["method"] as? String == "Page.loadEventFired" && $0["sessionId"] as? String == session }) {
            events.append(try await nextMessage())
        }
        return session
    }

    /// Evaluates `expression` in the page of `session`, awaiting a returned promise, and
    /// returns its value (JSON-compatible values only).
    func evaluate(_ expression: String, session: String) async throws -> Any? {
        let result = try await send(
            "Runtime.evaluate", ["expression": expression, "awaitPromise": true, "returnByValue": true], session: session)
        if let exception = result["exceptionDetails"] { throw ProtocolError(description: "script threw: \(exception)") }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// A PNG of the page of `session`, `width` × `height` CSS pixels (the page as this signed-in browser sees it).
    func screenshot(session: String, width: Int = 1200, height: Int = 900) async throws -> Data {
        _ = try await send(
            "Emulation.setDeviceMetricsOverride", ["width": width, "height": height, "deviceScaleFactor": 1, "mobile": false],
            session: session)
        let result = try await send("Page.captureScreenshot", ["format": "png"], session: session)
        guard let encoded = result["data"] as? String, let png = Data(base64Encoded: encoded) else {
            throw ProtocolError(description: "no screenshot data")
        }
        return png
    }

    /// Sends one command and waits for its response, skipping events; returns its `result`.
    private func send(_ method: String, _ params: [String: Any], session: String? = nil) async throws -> [String: Any] {
        nextID += 1
        let id = nextID
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        let bytes = [UInt8](try JSONSerialization.data(withJSONObject: message)) + [0]
        let written = bytes.withUnsafeBytes { write(requests, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw ProtocolError(description: "write to chromium failed: errno \(errno)") }
        while true {
            let reply = try await nextMessage()
            guard reply["id"] as? Int == id else {
                events.append(reply)
                continue
            }
            if let error = reply["error"] { throw ProtocolError(description: "\(method) failed: \(error)") }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    private func nextMessage() async throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let json = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                return try JSONSerialization.jsonObject(with: json) as? [String: Any] ?? [:]
            }
            let chunk: [UInt8] = await withCheckedContinuation { continuation in
                readQueue.async { [responses] in
                    var chunk = [UInt8](repeating: 0, count: 65_536)
                    let count = chunk.withUnsafeMutableBytes { read(responses, $0.baseAddress, $0.count) }
                    continuation.resume(returning: Array(chunk.prefix(max(count, 0))))
                }
            }
            guard !chunk.isEmpty else { throw ProtocolError(description: "chromium closed its DevTools pipe") }
            buffer += chunk
        }
    }
}

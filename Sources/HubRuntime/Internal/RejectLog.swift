import Dispatch
import Logging
import Synchronization
import Wire

/// Logs rejected payloads at most once per interval per topic kind, with the number of
/// rejections suppressed since the previous line, so a flood of garbage cannot flood the log.
///
/// `Sendable`: all state sits in a `Mutex`.
final class RejectLog: Sendable {
    private struct Entry {
        var lastLogNs: UInt64 = 0
        var suppressed = 0
    }

    private let intervalNs: UInt64
    private let entries = Mutex<[String: Entry]>([:])

    init(intervalSeconds: Double) {
        intervalNs = UInt64(intervalSeconds * 1e9)
    }

    func record(_ error: WireDecodeError, topic: String, logger: Logger) {
        let kind = error.kind?.rawValue ?? "invalid_topic"
        let now = DispatchTime.now().uptimeNanoseconds
        let suppressed: Int? = entries.withLock { entries in
            var entry = entries[kind] ?? Entry()
            defer { entries[kind] = entry }
            guard entry.lastLogNs == 0 || now - entry.lastLogNs >= intervalNs else {
                entry.suppressed += 1
                return nil
            }
            let count = entry.suppressed
            entry = Entry(lastLogNs: now, suppressed: 0)
            return count
        }
        guard let suppressed else { return }
        logger.warning(
            "ingest.payload.rejected",
            metadata: [
                "mqtt.topic": "\(topic)", "payload.kind": "\(kind)", "error": "\(error.description)",
                "rejects.suppressed": "\(suppressed)",
            ])
    }
}

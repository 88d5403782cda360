import Dispatch
import HubCore
import Logging
import Synchronization
import Wire

/// Logs rejected payloads at most once per interval per topic kind (undecodable payloads) or per
/// rejection reason (refused messages), with the number of rejections suppressed since the
/// previous line, so a flood of garbage cannot flood the log.
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
        guard let suppressed = admit(kind) else { return }
        logger.warning(
            "ingest.payload.rejected",
            metadata: [
                "mqtt.topic": "\(topic)", "payload.kind": "\(kind)", "error": "\(error.description)",
                "rejects.suppressed": "\(suppressed)",
            ])
    }

    /// Logs a message refused for `reason` (rate-limited per reason).
    func record(_ reason: IngestRejectionReason, agentID: String, kind: TopicKind, seq: UInt64?, logger: Logger) {
        guard let suppressed = admit("reason:" + reason.rawValue) else { return }
        logger.warning(
            "ingest.message.rejected",
            metadata: [
                "agent.id": "\(agentID)", "payload.kind": "\(kind.rawValue)", "reject.reason": "\(reason.rawValue)",
                "seq": "\(seq.map(String.init) ?? "unusable")", "rejects.suppressed": "\(suppressed)",
            ])
    }

    /// Logs `message` with `metadata` as a warning, at most once per interval per `key`.
    func record(_ message: Logger.Message, key: String, logger: Logger, metadata: Logger.Metadata) {
        guard let suppressed = admit("key:" + key) else { return }
        var metadata = metadata
        metadata["rejects.suppressed"] = "\(suppressed)"
        logger.warning(message, metadata: metadata)
    }

    /// Whether a line for `key` may be logged now: the number suppressed since the last one, or nil.
    private func admit(_ key: String) -> Int? {
        let now = DispatchTime.now().uptimeNanoseconds
        return entries.withLock { entries in
            var entry = entries[key] ?? Entry()
            defer { entries[key] = entry }
            guard entry.lastLogNs == 0 || now - entry.lastLogNs >= intervalNs else {
                entry.suppressed += 1
                return nil
            }
            let count = entry.suppressed
            entry = Entry(lastLogNs: now, suppressed: 0)
            return count
        }
    }
}

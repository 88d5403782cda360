import Foundation
import Wire

/// Re-encodes a spooled payload with every sequence number it carries raised by an offset: what a new
/// spool does to its held entries when the hub says an earlier spool of the same agent id used the
/// numbers below (`Spool.adoptNumbering`).
///
/// Everything that names one of this agent's own numbers moves with it: verdict, clip and event seqs, a
/// clip's verdict link and its id, where an `AgentStarted` event says its numbering resumed, the range of
/// a `SpoolDrop` and the seq a `MessageRejected` refers to. Human-readable messages that quote a number
/// are rebuilt.
public enum SpoolPayloadShift {
    /// The agent-started message: where the numbering resumes.
    public static func startedMessage(resumedAfter seq: UInt64) -> String {
        "agent started; sequence resumes after \(seq)"
    }

    /// `entry`'s payload with its numbers raised by `offset`.
    /// - Throws: a protobuf decoding or encoding error (the spool wrote it, so only a damaged row fails).
    public static func shifted(_ entry: SpoolEntry, by offset: UInt64) throws -> [UInt8] {
        switch entry.kind {
        case .verdicts:
            var batch = try Earshot_V1_VerdictBatch(serializedBytes: entry.payload)
            for index in batch.verdicts.indices { batch.verdicts[index].seq += offset }
            return try batch.serializedBytes()
        case .clip:
            var clip = try Earshot_V1_Clip(serializedBytes: entry.payload)
            let old = clip.seq
            clip.seq += offset
            if clip.clipID == "\(clip.agentID)-\(old)" { clip.clipID = "\(clip.agentID)-\(clip.seq)" }
            if clip.verdictSeq != 0 { clip.verdictSeq += offset }
            return try clip.serializedBytes()
        case .event:
            var event = try Earshot_V1_AgentEvent(serializedBytes: entry.payload)
            event.seq += offset
            switch event.detail {
            case .agentStarted(var started)?:
                started.resumedAfterSeq += offset
                event.agentStarted = started
                event.message = startedMessage(resumedAfter: started.resumedAfterSeq)
            case .spoolDrop(var drop)?:
                let old = "seq \(drop.firstSeq)...\(drop.lastSeq)"
                drop.firstSeq += offset
                drop.lastSeq += offset
                event.spoolDrop = drop
                event.message = event.message.replacingOccurrences(of: old, with: "seq \(drop.firstSeq)...\(drop.lastSeq)")
            case .messageRejected(var rejected)?:
                rejected.rejectedSeq += offset
                event.messageRejected = rejected
            default:
                break
            }
            return try event.serializedBytes()
        }
    }
}

import Testing
import Wire

@testable import AgentRuntime

/// Every number of the agent's own that a held payload carries moves with the renumbering, and nothing else.
@Suite struct SpoolPayloadShiftTests {
    static func entry(_ kind: SpoolEntryKind, _ seqs: ClosedRange<UInt64>, _ payload: [UInt8]) -> SpoolEntry {
        SpoolEntry(firstSeq: seqs.lowerBound, lastSeq: seqs.upperBound, kind: kind, priority: .retained, payload: payload, createdMs: 0)
    }

    @Test func verdictsAndAClipWithItsLinkAndIdMove() throws {
        var batch = Earshot_V1_VerdictBatch()
        batch.verdicts = (UInt64(3)...4).map { seq in
            var verdict = Earshot_V1_Verdict()
            verdict.seq = seq
            verdict.score = 0.25
            return verdict
        }
        let verdicts = try Earshot_V1_VerdictBatch(
            serializedBytes: try SpoolPayloadShift.shifted(Self.entry(.verdicts, 3...4, try batch.serializedBytes()), by: 100))
        #expect(verdicts.verdicts.map(\.seq) == [103, 104] && verdicts.verdicts.map(\.score) == [0.25, 0.25])

        var clip = Earshot_V1_Clip()
        clip.agentID = "a1"
        clip.seq = 5
        clip.clipID = "a1-5"
        clip.verdictSeq = 4
        clip.audio = .init([1, 2, 3])
        let moved = try Earshot_V1_Clip(
            serializedBytes: try SpoolPayloadShift.shifted(Self.entry(.clip, 5...5, try clip.serializedBytes()), by: 100))
        #expect(moved.seq == 105 && moved.clipID == "a1-105" && moved.verdictSeq == 104 && moved.audio == clip.audio)
        clip.verdictSeq = 0  // a clip the hub asked for, tied to no verdict, stays untied
        #expect(
            try Earshot_V1_Clip(serializedBytes: try SpoolPayloadShift.shifted(Self.entry(.clip, 5...5, try clip.serializedBytes()), by: 9))
                .verdictSeq == 0)
    }

    @Test func eventsSayWhereTheyResumeAndWhatWasDropped() throws {
        var started = Earshot_V1_AgentEvent()
        started.seq = 1
        started.message = SpoolPayloadShift.startedMessage(resumedAfter: 0)
        started.agentStarted = Earshot_V1_AgentStarted()
        let movedStart = try Earshot_V1_AgentEvent(
            serializedBytes: try SpoolPayloadShift.shifted(Self.entry(.event, 1...1, try started.serializedBytes()), by: 700))
        #expect(movedStart.seq == 701 && movedStart.agentStarted.resumedAfterSeq == 700)
        #expect(movedStart.message == "agent started; sequence resumes after 700")

        var drop = Earshot_V1_AgentEvent()
        drop.seq = 9
        drop.message = "spool full: dropped seq 2...8"
        var detail = Earshot_V1_SpoolDrop()
        detail.firstSeq = 2
        detail.lastSeq = 8
        detail.reason = .sizeLimit
        drop.spoolDrop = detail
        let movedDrop = try Earshot_V1_AgentEvent(
            serializedBytes: try SpoolPayloadShift.shifted(Self.entry(.event, 9...9, try drop.serializedBytes()), by: 10))
        #expect(movedDrop.seq == 19 && movedDrop.spoolDrop.firstSeq == 12 && movedDrop.spoolDrop.lastSeq == 18)
        #expect(movedDrop.message == "spool full: dropped seq 12...18" && movedDrop.spoolDrop.reason == .sizeLimit)
    }
}

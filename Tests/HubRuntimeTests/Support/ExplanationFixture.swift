import AudioIO
import Foundation
import TestSupport

@testable import HubCore
@testable import HubIngest

/// Clips of `fan-1` (agent `agent-a`, on top of ``APIFixture``) for the clip explanation: normal
/// sound is a 440 Hz hum with a little noise; the flagged clip adds a 3 kHz whine in its second half.
enum ExplanationFixture {
    /// The flagged clip's seq.
    static let flaggedSeq: UInt64 = 60
    /// The normal clips' seqs (random normal samples).
    static let normalSeqs: [UInt64] = [61, 62, 63, 64]
    /// Length of every clip, seconds.
    static let seconds = 2
    /// Where the whine starts in the flagged clip, seconds.
    static let whineStartSeconds = 1.0

    /// 16 kHz samples of the hum, plus the whine from ``whineStartSeconds`` when `whine`.
    static func samples(seed: UInt64, whine: Bool) -> [Float] {
        var state = seed &* 6_364_136_223_846_793_005 &+ 1
        return (0..<(16_000 * seconds)).map { (n: Int) -> Float in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = Double(state >> 40) / Double(1 << 24) - 0.5
            let t = Double(n) / 16_000
            var value = 0.3 * sin(2 * Double.pi * 440 * t) + 0.02 * noise
            if whine && t >= whineStartSeconds { value += 0.2 * sin(2 * Double.pi * 3_000 * t) }
            return Float(value)
        }
    }

    /// FLAC bytes of `samples` at 16 kHz.
    static func flac(_ samples: [Float], scratch: TemporaryDirectory, name: String) throws -> [UInt8] {
        let path = scratch.path(name)
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16_000, mono: samples), to: path, container: .flac)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Stores the flagged clip and, when `withNormal`, the normal clips.
    static func seed(_ store: HubStore, scratch: TemporaryDirectory, withNormal: Bool) throws {
        let t0 = APIFixture.t0
        var clips = [
            ClipRecord(
                seq: flaggedSeq, clipID: "clip-\(flaggedSeq)", assetID: "fan-1", windowStartMs: t0 + 60_000, reason: "anomaly",
                codec: "flac",
                sampleRate: 16_000, channels: 1, bytes: try flac(samples(seed: 1, whine: true), scratch: scratch, name: "flagged.flac"),
                verdictSeq: nil)
        ]
        if withNormal { try clips += normalClips(scratch: scratch) }
        _ = try store.ingest([AgentMessages(agentID: "agent-a", site: "plant-a", clips: clips)], nowMs: t0 + 70_000)
    }

    /// The normal clips (reason `random_normal`).
    static func normalClips(scratch: TemporaryDirectory) throws -> [ClipRecord] {
        try normalSeqs.map { seq in
            ClipRecord(
                seq: seq, clipID: "clip-\(seq)", assetID: "fan-1", windowStartMs: APIFixture.t0 + Int64(seq) * 1_000,
                reason: "random_normal",
                codec: "flac", sampleRate: 16_000, channels: 1,
                bytes: try flac(samples(seed: seq, whine: false), scratch: scratch, name: "normal-\(seq).flac"), verdictSeq: nil)
        }
    }
}

// Fills a hub database with synthetic fan clips the way ingest stores them (FLAC files, verdicts of
// family fan-ae, operator labels), for bench/retraining/run. Numbers, not a test.
// Usage: RetrainingBench DATABASE CLIP_DIR CLIPS SECONDS ANOMALIES
import AudioIO
import Foundation
import HubCore
import HubIngest
import MachineSounds

let arguments = CommandLine.arguments
guard arguments.count == 6, let clipCount = Int(arguments[3]), let seconds = Double(arguments[4]), let anomalies = Int(arguments[5]) else {
    FileHandle.standardError.write(Data("usage: RetrainingBench DATABASE CLIP_DIR CLIPS SECONDS ANOMALIES\n".utf8))
    exit(2)
}
let store = try HubStore(path: arguments[1], clipDirectory: arguments[2])
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("retraining-bench-\(getpid()).flac").path
let t0 = Int64(Date().timeIntervalSince1970 * 1_000) - Int64(clipCount) * 20_000
let started = Date()
for i in 0..<clipCount {
    let id = i % 4
    let anomalous = i % max(1, clipCount / max(anomalies, 1)) == 0 && i / max(1, clipCount / max(anomalies, 1)) < anomalies
    let synthesizer = ClipSynthesizer(machine: .fan, id: id * 2, settings: SynthesisSettings(seconds: seconds, channels: 1, snrDB: 6))
    let condition: MachineCondition = anomalous ? .faulty(.bearingWear, severity: 1) : .normal
    try AudioFileWriter.write(synthesizer.render(condition: condition, seed: UInt64(i)).mixture, to: scratch, container: .flac)
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: scratch)))
    let seq = UInt64(2 * i + 2)
    let start = t0 + Int64(i) * 20_000
    let asset = "fan-\(id)"
    let verdict = VerdictRecord(
        seq: seq - 1, assetID: asset, windowStartMs: start, windowMs: Int32(seconds * 1_000), modelFamily: "fan-ae", modelVersion: 1,
        score: anomalous ? 0.9 : 0.1, threshold: 0.5, label: anomalous ? "abnormal" : "normal", anomalous: anomalous,
        state: anomalous ? .warning : .normal)
    let clip = ClipRecord(
        seq: seq, clipID: "clip-\(seq)", assetID: asset, windowStartMs: start, reason: anomalous ? "anomaly" : "random_normal",
        codec: "flac", sampleRate: 16_000, channels: 1, bytes: bytes, verdictSeq: seq - 1)
    let status = AgentStatusRecord(
        online: true, softwareVersion: "bench", spoolDepth: 0,
        assets: (0..<4).map { AssetPlacement(assetID: "fan-\($0)", line: "line-1", machineType: "fan") })
    _ = try store.ingest(
        [AgentMessages(agentID: "bench-agent", site: "bench", status: status, verdicts: [verdict], clips: [clip], events: [])],
        nowMs: start + 1_000)
    if anomalous {
        _ = try store.addLabel(agentID: "bench-agent", seq: seq, label: .confirmedAnomaly, note: "", author: "bench", nowMs: start + 2_000)
    }
    if (i + 1) % 100 == 0 || i + 1 == clipCount {
        print(String(format: "stored %d/%d clips (%.1f s)", i + 1, clipCount, Date().timeIntervalSince(started)))
    }
}
try? FileManager.default.removeItem(atPath: scratch)

import AudioIO
import Foundation
import MachineDatasets
import Testing

@testable import MachineSounds

@Suite struct DatasetWriterTests {
    private func temporaryDirectory() -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("earshot-synth-\(UUID().uuidString)")
        return url.path
    }

    private func files(under root: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: root)!
        return enumerator.compactMap { $0 as? String }.filter { $0.hasSuffix(".wav") }.sorted()
    }

    private func writer(_ layout: DatasetLayout, snr: Double = -6) -> DatasetWriter {
        DatasetWriter(
            machine: .fan, ids: [0, 2], normalPerID: 3, abnormalPerID: 2, layout: layout,
            settings: SynthesisSettings(sampleRate: 16_000, seconds: 0.25, channels: 8, snrDB: snr), seed: 5)
    }

    @Test func writesExactlyTheMIMIITree() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let done = ProgressRecorder()
        try writer(.mimii).write(to: root) { done.record($0) }
        var expected: [String] = []
        for id in ["00", "02"] {
            expected += (0..<2).map { "-6_dB_fan/fan/id_\(id)/abnormal/0000000\($0).wav" }
            expected += (0..<3).map { "-6_dB_fan/fan/id_\(id)/normal/0000000\($0).wav" }
        }
        #expect(files(under: root) == expected.sorted())
        #expect(done.values == Array(1...10))
        let buffer = try AudioFileReader.read(path: root + "/-6_dB_fan/fan/id_02/abnormal/00000001.wav")
        #expect(buffer.channels == 8 && buffer.sampleRate == 16_000 && buffer.frames == 4000)
        let info = try AudioFileReader(path: root + "/-6_dB_fan/fan/id_00/normal/00000000.wav").info
        #expect(info.encoding == .pcm16)
    }

    @Test func writesExactlyTheDCASETree() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try writer(.dcase).write(to: root)
        var expected: [String] = []
        for id in ["00", "02"] {
            expected.append("fan/train/normal_id_\(id)_00000000.wav")
            expected += (0..<2).map { "fan/test/normal_id_\(id)_0000000\($0).wav" }
            expected += (0..<2).map { "fan/test/anomaly_id_\(id)_0000000\($0).wav" }
        }
        #expect(files(under: root) == expected.sorted())
    }

    @Test func fileContentIsTheSeededClipWhateverTheLayout() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let mimii = writer(.mimii), dcase = writer(.dcase)
        try mimii.write(to: root + "/a")
        try dcase.write(to: root + "/b")
        let a = try AudioFileReader.read(path: root + "/a/-6_dB_fan/fan/id_02/abnormal/00000001.wav")
        let b = try AudioFileReader.read(path: root + "/b/fan/test/anomaly_id_02_00000001.wav")
        #expect(a == b)
        let clip = mimii.clips.first { $0.machineID == 2 && $0.anomalous && $0.index == 1 }!
        let rendered = mimii.render(clip).mixture
        // 16-bit quantisation: within half an LSB of the float clip.
        let worst = zip(a.samples, rendered.samples).map { abs($0 - $1) }.max()!
        #expect(worst <= 1.0 / 32_768 + 1e-6, "max |file − render| = \(worst)")
        #expect(mimii.condition(for: clip).isAnomalous)
        #expect(MachineFault.faults(of: .fan).contains(mimii.condition(for: clip).fault!))
    }

    @Test func unwritableDirectoryThrows() throws {
        let root = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try Data().write(to: URL(fileURLWithPath: root))  // a file where the directory should be
        #expect(throws: (any Error).self) { try writer(.mimii).write(to: root) }
    }
}

/// Collects progress callbacks from worker threads.
private final class ProgressRecorder: @unchecked Sendable {
    // Guarded by `lock`.
    private var recorded: [Int] = []
    private let lock = NSLock()

    func record(_ value: Int) { lock.withLock { recorded.append(value) } }
    var values: [Int] { lock.withLock { recorded } }
}

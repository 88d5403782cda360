import AudioIO
import FeatureExport
import Foundation
import NumPy
import Spectral
import Testing

/// The export as a library: clips featurised on several threads land in input order, one row per clip
/// with `mean`, labelled from their DCASE paths, with the index naming each clip's rows; an unreadable
/// clip is reported and left out when asked, and refuses the run otherwise.
@Suite struct FeatureExportTests {
    /// `<dir>/fan/test/{anomaly,normal}_id_00_0000000N.wav`: 1 s tones of 200…800 Hz at 16 kHz, and a file that is not audio.
    static func dataset() throws -> (directory: URL, clips: [String], broken: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feature-export-\(UUID().uuidString)")
        let test = directory.appendingPathComponent("fan/test")
        try FileManager.default.createDirectory(at: test, withIntermediateDirectories: true)
        var clips: [String] = []
        for (index, condition) in ["anomaly", "normal", "normal", "anomaly"].enumerated() {
            let path = test.appendingPathComponent("\(condition)_id_00_0000000\(index).wav").path
            let frequency = Float(200 * (index + 1))
            let samples = (0..<16_000).map { 0.3 * sin(2 * Float.pi * frequency * Float($0) / 16_000) }
            try AudioFileWriter.write(AudioBuffer(sampleRate: 16_000, mono: samples), to: path, container: .wav)
            clips.append(path)
        }
        let broken = test.appendingPathComponent("normal_id_00_00000009.wav").path
        try Data("not audio".utf8).write(to: URL(fileURLWithPath: broken))
        return (directory, clips, broken)
    }

    @Test func clipsLandInInputOrderWithLabelsAndIndex() throws {
        let (directory, clips, broken) = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(atPath: broken)
        var export = FeatureExport(
            inputs: [directory.path], spec: FeatureSpec(kind: .mfcc, sampleRate: 16_000, nMFCC: 13),
            output: directory.appendingPathComponent("x.npy").path)
        export.mean = true
        export.jobs = 3
        export.labelsOutput = directory.appendingPathComponent("y.npy").path
        export.labelEncoding = .index
        export.indexOutput = directory.appendingPathComponent("index.csv").path
        let summary = try export.run()
        #expect(summary.rows == 4 && summary.width == 13 && summary.clips == 4 && summary.skipped == 0)

        let features = try NumPyArray(contentsOf: export.output)
        #expect(features.shape == [4, 13])
        // Row i is the i-th clip in path order (a directory's files are sorted): compare with each featurised alone.
        var extractor = try FeatureExtractor(spec: export.spec)
        for (row, clip) in clips.sorted().enumerated() {
            let alone = try extractor.extract(try AudioFileReader.readMono(path: clip, sampleRate: nil).samples).meanOverTime()
            #expect(Array(features.floats()[row * 13..<(row + 1) * 13]) == alone, "row \(row)")
        }
        #expect(try NumPyArray(contentsOf: export.labelsOutput!).shape == [4])
        let index = try String(contentsOfFile: export.indexOutput!, encoding: .utf8).split(separator: "\n")
        #expect(
            index.count == 5 && index[1].hasSuffix("anomaly_id_00_00000000.wav,abnormal,fan,id_00,,test,0,1")
                && index[4].hasSuffix("normal_id_00_00000002.wav,normal,fan,id_00,,test,3,1"), "\(index)")
    }

    @Test func anUnreadableClipIsSkippedOnlyWhenAsked() throws {
        let (directory, _, broken) = try Self.dataset()
        defer { try? FileManager.default.removeItem(at: directory) }
        var export = FeatureExport(
            inputs: [directory.path], spec: FeatureSpec(kind: .logMel, sampleRate: 16_000, melBins: 32),
            output: directory.appendingPathComponent("x.npy").path)
        #expect(throws: FeatureExportError.self) { try export.run() }
        export.skipUnreadable = true
        let skipped = SkipLog()
        let summary = try export.run(onSkipped: { skipped.add($0) })
        #expect(summary.clips == 4 && summary.skipped == 1)
        #expect(skipped.messages.count == 1 && skipped.messages[0].contains(broken))
    }

    /// Collects skip reports from the export's threads.
    final class SkipLog: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: [String] = []
        func add(_ message: String) { lock.withLock { stored.append(message) } }
        var messages: [String] { lock.withLock { stored } }
    }
}

import AudioIO
import Foundation
import TestSupport
import Testing

/// Seed 003's task on few real clips (issue #21): the augmented, chunk-normalised configuration trains and
/// evaluates end to end with the per-source breakdown, and bad manifests and configs are refused naming the
/// row or the key.
@Suite struct MachineTypeTrainingTests {
    /// `configs/machine-type.yaml` with 0.5 s chunks (the synthetic clips are 1 s), two epochs and `replacing` applied.
    private func config(_ dir: TemporaryDirectory, replacing: [(String, String)] = []) throws -> String {
        var yaml = try String(contentsOf: configsDirectory.appendingPathComponent("machine-type.yaml"), encoding: .utf8)
        let shortened: [(String, String)] = [
            ("    training_chunk_seconds: 5\n", "    training_chunk_seconds: 0.5\n"),
            ("    training_chunk_hop_seconds: 1\n", "    training_chunk_hop_seconds: 0.25\n"),
            ("    inference_chunk_seconds: 5\n", "    inference_chunk_seconds: 0.5\n"),
            ("    time_mask_frames: 20\n", "    time_mask_frames: 4\n"),
        ]
        for (old, new) in shortened + replacing {
            #expect(yaml.contains(old), "config has no '\(old)'")
            yaml = yaml.replacingOccurrences(of: old, with: new)
        }
        yaml = yaml.replacingOccurrences(of: #"    epochs: \d+\n"#, with: "    epochs: 2\n", options: .regularExpression)
        let path = dir.path("config-\(UUID().uuidString).yaml")
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func tone(_ path: String, seconds: Double) throws {
        let samples = (0..<Int(16_000 * seconds)).map { 0.1 * sin(Float($0) * 0.05) }
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16_000, mono: samples), to: path, container: .wav)
    }

    @Test func trainsWithAugmentationAndEvalBreaksDownBySource() async throws {
        let dir = try TemporaryDirectory()
        var rows = ["audio,label,split,source"]
        for (machine, seed) in [("fan", 1), ("pump", 2), ("slider", 3), ("valve", 4)] {
            let synth = try await EarshotBinary.run([
                "synth", "--machine", machine, "--layout", "mimii", "--ids", "00", "--normal", "3", "--abnormal", "0", "--seconds", "1",
                "--channels", "1", "--seed", "\(seed)", "--out", dir.path(machine),
            ])
            #expect(synth.status == 0, "stderr: \(synth.stderr)")
            let files = (FileManager.default.enumerator(atPath: dir.path(machine))?.compactMap { $0 as? String } ?? [])
                .filter { $0.hasSuffix(".wav") }.sorted()
            for (k, file) in files.enumerated() {
                rows.append("\(machine)/\(file),\(machine),\(k == 0 ? "test" : ""),\(k == 1 ? "plant-a" : "plant-b")")
            }
        }
        try (rows.joined(separator: "\n") + "\n").write(toFile: dir.path("manifest.csv"), atomically: true, encoding: .utf8)
        let train = try await EarshotBinary.run([
            "train", "--config", try config(dir, replacing: [("    batch_size: 32\n", "    batch_size: 8\n")]), "--data",
            dir.path("manifest.csv"), "--out", dir.path("m.model"), "--no-cache",
        ])
        #expect(train.status == 0, "stderr: \(train.stderr)")
        #expect(train.stderr.contains("augmentation:"), "stderr: \(train.stderr)")
        let eval = try await EarshotBinary.run([
            "eval", "--model", dir.path("m.model"), "--data", dir.path("manifest.csv"), "--json", "--no-cache",
        ])
        #expect(eval.status == 0, "stderr: \(eval.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any]
        let groups = report?["per_group"] as? [String: [String: Any]]
        // The test clips are each type's first clip, all from the manifest's source "plant-b".
        #expect(groups?["source"]?.keys.sorted() == ["plant-b"])
        #expect(
            groups?["source_machine_id"]?.keys.sorted() == [
                "plant-b/fan/id_00", "plant-b/pump/id_00", "plant-b/slider/id_00", "plant-b/valve/id_00",
            ])
        #expect(report?["n"] as? Int == 4)
    }

    @Test func aManifestNamingAMissingFileIsRefusedNamingTheLine() async throws {
        let dir = try TemporaryDirectory()
        try tone(dir.path("a.wav"), seconds: 1)
        try "audio,label\na.wav,fan\nmissing.wav,pump\n".write(toFile: dir.path("manifest.csv"), atomically: true, encoding: .utf8)
        let result = try await EarshotBinary.run([
            "train", "--config", try config(dir), "--data", dir.path("manifest.csv"), "--out", dir.path("m.model"),
        ])
        expectRefused(result, mentions: ["manifest.csv line 3", "missing.wav"], model: dir.path("m.model"))
    }

    @Test func anUnknownLabelIsRefusedNamingTheLine() async throws {
        let dir = try TemporaryDirectory()
        try tone(dir.path("a.wav"), seconds: 1)
        try "audio,label\na.wav,fan\na.wav,compressor\n".write(toFile: dir.path("manifest.csv"), atomically: true, encoding: .utf8)
        let result = try await EarshotBinary.run([
            "train", "--config", try config(dir), "--data", dir.path("manifest.csv"), "--out", dir.path("m.model"),
        ])
        expectRefused(result, mentions: ["manifest.csv line 3", "'compressor'"], model: dir.path("m.model"))
    }

    @Test func aClipShorterThanAChunkIsRefusedNamingIt() async throws {
        let dir = try TemporaryDirectory()
        var rows = ["audio,label"]
        for (k, label) in ["fan", "pump", "slider", "valve", "fan", "pump", "slider", "valve"].enumerated() {
            try tone(dir.path("\(k).wav"), seconds: k == 5 ? 0.2 : 1)
            rows.append("\(k).wav,\(label)")
        }
        try (rows.joined(separator: "\n") + "\n").write(toFile: dir.path("manifest.csv"), atomically: true, encoding: .utf8)
        let result = try await EarshotBinary.run([
            "train", "--config", try config(dir), "--data", dir.path("manifest.csv"), "--out", dir.path("m.model"), "--no-cache",
        ])
        expectRefused(result, mentions: ["manifest.csv line 7", "5.wav", "shorter than one training chunk"], model: dir.path("m.model"))
    }

    @Test func anImpossibleAugmentationIsRefusedNamingTheKey() async throws {
        let dir = try TemporaryDirectory()
        try tone(dir.path("a.wav"), seconds: 1)
        try "audio,label\na.wav,fan\n".write(toFile: dir.path("manifest.csv"), atomically: true, encoding: .utf8)
        let result = try await EarshotBinary.run([
            "train", "--config", try config(dir, replacing: [("    time_masks: 2\n", "    time_masks: 11\n")]),
            "--data", dir.path("manifest.csv"), "--out", dir.path("m.model"),
        ])
        expectRefused(result, mentions: ["augmentation.time_masks"], model: dir.path("m.model"))
    }
}

import AudioIO
import Foundation
import NumPy
import TestSupport
import Testing

/// The repository's `configs/` directory, found from this source file.
let configsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("configs")

/// Synthesises a tiny MIMII fan tree (2 ids × 4 normal + 2 abnormal, 1 s mono) under `dir/name`.
func synthesizeTinyFans(
    _ dir: TemporaryDirectory, layout: String = "mimii", machine: String = "fan", name: String = "data", seed: Int = 1
) async throws -> String {
    let synth = try await EarshotBinary.run([
        "synth", "--machine", machine, "--layout", layout, "--ids", "00,02", "--normal", "4", "--abnormal", "2", "--seconds", "1",
        "--channels", "1", "--seed", "\(seed)", "--out", dir.path(name),
    ])
    #expect(synth.status == 0, "stderr: \(synth.stderr)")
    return dir.path(name)
}

/// A DCASE-layout fan set under `dir/data`: ids 00 and 02, 4 normal (2 in train/) and 2 anomalous 5 s mono
/// clips each, enough normal audio (10 s per id) for a band baseline.
func synthesizeFiveSecondFans(_ dir: TemporaryDirectory) async throws {
    let synth = try await EarshotBinary.run([
        "synth", "--machine", "fan", "--layout", "dcase", "--ids", "00,02", "--normal", "4", "--abnormal", "2", "--seconds", "5",
        "--channels", "1", "--seed", "3", "--out", dir.path("data"),
    ])
    #expect(synth.status == 0, "stderr: \(synth.stderr)")
}

/// Writes the seed-000 config with `replacing` applied, returning its path.
func seed000Config(_ dir: TemporaryDirectory, replacing: [(String, String)] = []) throws -> String {
    var yaml = try String(contentsOf: configsDirectory.appendingPathComponent("mfcc-cnn1d.yaml"), encoding: .utf8)
    for (old, new) in replacing {
        #expect(yaml.contains(old), "config has no '\(old)'")
        yaml = yaml.replacingOccurrences(of: old, with: new)
    }
    let path = dir.path("config-\(UUID().uuidString).yaml")
    try yaml.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Checks a refused run: non-zero exit, one `Error:` line on standard error mentioning `mentions`, no model.
func expectRefused(_ result: EarshotBinary.Result, mentions: [String], model: String) {
    #expect(result.status != 0)
    let errors = result.errorLines.filter { $0.hasPrefix("Error: ") }
    #expect(errors.count == 1, "stderr: \(result.stderr)")
    for word in mentions { #expect(errors.first?.contains(word) == true, "'\(word)' not in: \(result.stderr)") }
    #expect(!FileManager.default.fileExists(atPath: model))
}

@Suite struct TrainCommandTests {
    @Test func trainsFromAMIMIIFolderAndReusesTheFeatureCache() async throws {
        let dir = try TemporaryDirectory()
        let data = try await synthesizeTinyFans(dir)
        let arguments = [
            "train", "--config", configsDirectory.appendingPathComponent("mfcc-cnn1d.yaml").path, "--data", data, "--epochs", "2",
        ]
        let first = try await EarshotBinary.run(arguments + ["--out", dir.path("a.model")])
        #expect(first.status == 0, "stderr: \(first.stderr)")
        #expect(first.stderr.contains("12 clips (0 from cache"), "stderr: \(first.stderr)")
        #expect(first.stdout.contains("by machine_id:"), "stdout: \(first.stdout)")
        #expect(FileManager.default.fileExists(atPath: dir.path("a.model")))
        let second = try await EarshotBinary.run(arguments + ["--out", dir.path("b.model")])
        #expect(second.status == 0, "stderr: \(second.stderr)")
        #expect(second.stderr.contains("12 clips (12 from cache"), "stderr: \(second.stderr)")
        #expect(FileManager.default.fileExists(atPath: data + "/.earshot-cache"))
    }

    @Test func explicitValidationAndTestSetsReplaceTheSplit() async throws {
        let dir = try TemporaryDirectory()
        let data = try await synthesizeTinyFans(dir)
        let validation = try await synthesizeTinyFans(dir, name: "validation", seed: 2)
        let test = try await synthesizeTinyFans(dir, name: "test", seed: 3)
        let result = try await EarshotBinary.run([
            "train", "--config", configsDirectory.appendingPathComponent("mfcc-cnn1d.yaml").path, "--data", data, "--val-data",
            validation, "--test-data", test, "--epochs", "1", "--no-cache", "--out", dir.path("m.model"),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("36 clips → 12 train / 12 validation / 12 test"), "stderr: \(result.stderr)")
        #expect(result.stdout.contains("test set (12 clips)"), "stdout: \(result.stdout)")
    }

    @Test func trainsTheAutoencoderOnDCASENormalClips() async throws {
        let dir = try TemporaryDirectory()
        let data = try await synthesizeTinyFans(dir, layout: "dcase", machine: "pump")
        let result = try await EarshotBinary.run([
            "train", "--config", configsDirectory.appendingPathComponent("dcase-autoencoder.yaml").path, "--data", data + "/pump",
            "--epochs", "1", "--no-cache", "--out", dir.path("ae.model"),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        // DCASE layout: train/ holds 2 normal clips per id, test/ 2 normal + 2 anomalous per id.
        #expect(result.stderr.contains("12 clips → 4 train / 0 validation / 8 test"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: data + "/pump/.earshot-cache"))
    }

    /// configs/anomaly.yaml learns one baseline and threshold per machine id from its normal clips, and
    /// `eval` judges each id's clips with its own, reporting the flagged shares per id.
    @Test func theBandBaselineLearnsEachMachineIDAndEvalJudgesEachWithItsOwn() async throws {
        let dir = try TemporaryDirectory()
        try await synthesizeFiveSecondFans(dir)
        let config = configsDirectory.appendingPathComponent("anomaly.yaml").path
        let train = try await EarshotBinary.run([
            "train", "--config", config, "--data", dir.path("data") + "/fan", "--no-cache", "--out", dir.path("bb.model"),
        ])
        #expect(train.status == 0, "stderr: \(train.stderr)")
        for id in ["fan/id_00", "fan/id_02"] {
            #expect(train.stderr.contains("\(id): 10 windows in 3 folds, threshold"), "stderr: \(train.stderr)")
        }
        let quantize = try await EarshotBinary.run([
            "quantize", "--model", dir.path("bb.model"), "--calibration", dir.path("data") + "/fan/train", "--out", dir.path("bb.int8"),
        ])
        #expect(quantize.status == 0, "stderr: \(quantize.stderr)")
        let eval = try await EarshotBinary.run(["eval", "--model", dir.path("bb.int8"), "--data", dir.path("data") + "/fan", "--json"])
        #expect(eval.status == 0, "stderr: \(eval.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(eval.stdout.split(separator: "\n").last!.utf8)) as? [String: Any])
        let machines = try #require((report["per_group"] as? [String: Any])?["machine_id"] as? [String: [String: Any]])
        #expect(machines.keys.sorted() == ["fan/id_00", "fan/id_02"])
        for (_, machine) in machines {
            #expect(machine["flagged_anomalous"] is Double && machine["flagged_normal"] is Double)
        }
        #expect(report["flagged_anomalous"] is Double)
    }

    @Test func aMachineIDWithoutNormalClipsIsRefusedNamingIt() async throws {
        let dir = try TemporaryDirectory()
        try await synthesizeFiveSecondFans(dir)
        let train = dir.path("data") + "/fan/train"
        for name in try FileManager.default.contentsOfDirectory(atPath: train) where name.contains("id_02") {
            try FileManager.default.removeItem(atPath: train + "/" + name)
        }
        let result = try await EarshotBinary.run([
            "train", "--config", configsDirectory.appendingPathComponent("anomaly.yaml").path, "--data", dir.path("data") + "/fan",
            "--no-cache", "--out", dir.path("bb.model"),
        ])
        expectRefused(result, mentions: ["fan/id_02", "no normal clips"], model: dir.path("bb.model"))
    }

    @Test func anUnknownConfigKeyIsRefused() async throws {
        let dir = try TemporaryDirectory()
        let data = try await synthesizeTinyFans(dir)
        let config = try seed000Config(dir, replacing: [("    learning_rate: 0.001", "    learnig_rate: 0.001")])
        let result = try await EarshotBinary.run(["train", "--config", config, "--data", data, "--out", dir.path("m.model")])
        expectRefused(result, mentions: ["training.learnig_rate"], model: dir.path("m.model"))
    }

    @Test func fmaxAboveNyquistIsRefusedNamingTheKey() async throws {
        let dir = try TemporaryDirectory()
        let config = try seed000Config(dir, replacing: [("    maximum_frequency: 11025", "    maximum_frequency: 16000")])
        let result = try await EarshotBinary.run(["train", "--config", config, "--data", dir.url.path, "--out", dir.path("m.model")])
        expectRefused(result, mentions: ["audio.maximum_frequency"], model: dir.path("m.model"))
    }

    @Test func aLabelNotInTheListIsRefused() async throws {
        let dir = try TemporaryDirectory()
        let samples = (0..<16_000).map { 0.1 * sin(Float($0) * 0.05) }
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16_000, mono: samples), to: dir.path("a.wav"), container: .wav)
        try AudioFileWriter.write(AudioBuffer(sampleRate: 16_000, mono: samples), to: dir.path("b.wav"), container: .wav)
        try "audio,label\na.wav,normal\nb.wav,broken\n".write(toFile: dir.path("manifest.csv"), atomically: true, encoding: .utf8)
        let result = try await EarshotBinary.run([
            "train", "--config", configsDirectory.appendingPathComponent("mfcc-cnn1d.yaml").path, "--data", dir.path("manifest.csv"),
            "--out", dir.path("m.model"),
        ])
        expectRefused(result, mentions: ["'broken'", "b.wav"], model: dir.path("m.model"))
    }

    @Test func anEmptyDatasetIsRefused() async throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path("empty"), withIntermediateDirectories: true)
        let result = try await EarshotBinary.run([
            "train", "--config", configsDirectory.appendingPathComponent("mfcc-cnn1d.yaml").path, "--data", dir.path("empty"),
            "--out", dir.path("m.model"),
        ])
        expectRefused(result, mentions: ["empty dataset"], model: dir.path("m.model"))
    }

    @Test func mismatchedFeatureAndLabelCountsAreRefused() async throws {
        let dir = try TemporaryDirectory()
        try NumPyArray(shape: [10, 40], float32: [Float](repeating: 0.5, count: 400)).write(to: dir.path("X.npy"))
        try NumPyArray(shape: [9], elements: .int64([Int64](repeating: 1, count: 9))).write(to: dir.path("y.npy"))
        let result = try await EarshotBinary.run([
            "train", "--config", configsDirectory.appendingPathComponent("mfcc-cnn1d.yaml").path, "--features", dir.path("X.npy"),
            "--labels", dir.path("y.npy"), "--out", dir.path("m.model"),
        ])
        expectRefused(result, mentions: ["10", "9"], model: dir.path("m.model"))
    }

    @Test func aNaNLossStopsTrainingNamingEpochAndStep() async throws {
        let dir = try TemporaryDirectory()
        var values = (0..<(40 * 40)).map { Float($0 % 7) }
        for row in 0..<40 { values[row * 40 + 3] = .nan }
        try NumPyArray(shape: [40, 40], float32: values).write(to: dir.path("X.npy"))
        try NumPyArray(shape: [40], elements: .int64((0..<40).map { Int64($0 % 2) })).write(to: dir.path("y.npy"))
        // Seed 000 verbatim: the NaN reaches the loss.
        let verbatim = try seed000Config(dir, replacing: [("    feature_standardization: per-feature\n", "")])
        let result = try await EarshotBinary.run([
            "train", "--config", verbatim, "--features", dir.path("X.npy"), "--labels", dir.path("y.npy"), "--out", dir.path("m.model"),
        ])
        expectRefused(result, mentions: ["NaN", "epoch 1", "step 1"], model: dir.path("m.model"))
        // As shipped, the standardisation's statistics meet it first and name where it is.
        let shipped = try await EarshotBinary.run([
            "train", "--config", configsDirectory.appendingPathComponent("mfcc-cnn1d.yaml").path, "--features", dir.path("X.npy"),
            "--labels", dir.path("y.npy"), "--out", dir.path("m.model"),
        ])
        expectRefused(shipped, mentions: ["row 0, value 3", "nan"], model: dir.path("m.model"))
    }
}

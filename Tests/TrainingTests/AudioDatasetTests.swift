import AudioIO
import Foundation
import TestSupport
import Testing

@testable import Training

/// Writes a short mono WAV (a quiet tone) at `name` under `dir`.
func writeTone(_ dir: TemporaryDirectory, _ name: String, seconds: Double = 0.5, frequency: Float = 440) throws {
    let file = dir.url.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    let samples = (0..<Int(16_000 * seconds)).map { 0.1 * sin(2 * Float.pi * frequency * Float($0) / 16_000) }
    try AudioFileWriter.write(AudioBuffer(sampleRate: 16_000, mono: samples), to: file.path, container: .wav)
}

func datasetConfig(_ labels: [String], extra: String = "") throws -> DatasetConfig {
    let yaml = minimalConfig.replacingOccurrences(
        of: "labels: [abnormal, normal]", with: "labels: [\(labels.joined(separator: ", "))]\(extra)")
    return try ExperimentConfig(yaml: yaml).dataset
}

@Suite struct AudioDatasetTests {
    @Test func mimiiPathsGiveTypeIDSNRAndCondition() throws {
        let dir = try TemporaryDirectory()
        try writeTone(dir, "-6_dB_fan/fan/id_02/abnormal/00000000.wav")
        try writeTone(dir, "-6_dB_fan/fan/id_02/normal/00000000.wav")
        try writeTone(dir, "6_dB_pump/pump/id_00/normal/00000000.wav")
        let byCondition = try AudioDataset(at: dir.url.path, config: try datasetConfig(["abnormal", "normal"]))
        #expect(byCondition.layout == .mimii)
        #expect(byCondition.clips.map(\.label) == ["abnormal", "normal", "normal"])
        #expect(
            byCondition.clips[0].groups == [
                "machine_type": "fan", "machine_id": "fan/id_02", "snr_db": "-6", "source": "mimii",
                "source_machine_id": "mimii/fan/id_02",
            ])
        let byType = try AudioDataset(at: dir.url.path, config: try datasetConfig(["fan", "pump"]))
        #expect(byType.clips.map(\.label) == ["fan", "fan", "pump"])
        #expect(byType.clips.allSatisfy { $0.role == nil })
    }

    @Test func dcaseFoldersBecomeRolesAndAnomalyReadsAsAbnormal() throws {
        let dir = try TemporaryDirectory()
        try writeTone(dir, "valve/train/normal_id_00_00000000.wav")
        try writeTone(dir, "valve/test/anomaly_id_00_00000000.wav")
        try writeTone(dir, "valve/test/normal_id_00_00000000.wav")
        let dataset = try AudioDataset(at: dir.path("valve"), config: try datasetConfig(["normal"]), anomalyModel: true)
        #expect(dataset.layout == .dcase && dataset.hasTestRole)
        #expect(dataset.clips.map(\.role) == [.test, .test, .train])
        #expect(dataset.clips.map(\.label) == ["abnormal", "normal", "normal"])
        let split = dataset.partition(validationFraction: 0, testFraction: 0.5, seed: 0, anomalyModel: true)
        #expect(split == .init(training: [2], validation: [], test: [0, 1]))
    }

    @Test func aLabelOutsideTheListIsRefused() throws {
        let dir = try TemporaryDirectory()
        try writeTone(dir, "0_dB_compressor/compressor/id_00/normal/00000000.wav")
        #expect(throws: TrainingError.self) { try AudioDataset(at: dir.url.path, config: try datasetConfig(["fan", "pump"])) }
    }

    @Test func anEmptyDirectoryIsAnEmptyDataset() throws {
        let dir = try TemporaryDirectory()
        #expect(throws: TrainingError.self) { try AudioDataset(at: dir.url.path, config: try datasetConfig(["normal"])) }
    }

    @Test func manifestReadsConfiguredColumnsRolesAndOneHotLabels() throws {
        let dir = try TemporaryDirectory()
        try writeTone(dir, "audio/a.wav")
        try writeTone(dir, "audio/b.wav")
        let csv = try dir.write("clip,kind,split,machine_id\n\"audio/a.wav\",fan,train,id_00\naudio/b.wav,pump,test,\n", to: "m.csv")
        let config = try datasetConfig(["fan", "pump"], extra: "\n    audio_column: clip\n    label_columns: [kind]")
        let dataset = try AudioDataset(at: csv, config: config)
        #expect(dataset.layout == .manifest)
        #expect(dataset.clips.map(\.label) == ["fan", "pump"])
        #expect(dataset.clips.map(\.role) == [.train, .test])
        #expect(dataset.clips[0].path == dir.path("audio/a.wav") && dataset.clips[0].machineID == "id_00")

        let oneHot = try dir.write("audio,fan,pump\naudio/a.wav,0,1\n", to: "h.csv")
        let hotConfig = try datasetConfig(["fan", "pump"], extra: "\n    label_columns: [fan, pump]")
        #expect(try AudioDataset(at: oneHot, config: hotConfig).clips.map(\.label) == ["pump"])

        let missing = try dir.write("path,label\naudio/a.wav,fan\n", to: "x.csv")
        #expect(throws: TrainingError.self) { try AudioDataset(at: missing, config: config) }
    }

    @Test func anomalyPartitionKeepsAbnormalClipsOutOfTrainingAndBalancesTheTestSet() {
        var clips: [AudioClip] = []
        for id in ["id_00", "id_02"] {
            for n in 0..<8 {
                clips.append(AudioClip(path: "\(id)/n\(n)", label: "normal", condition: "normal", machineType: "fan", machineID: id))
            }
            for n in 0..<2 {
                clips.append(AudioClip(path: "\(id)/a\(n)", label: "abnormal", condition: "abnormal", machineType: "fan", machineID: id))
            }
        }
        let dataset = AudioDataset(clips: clips, layout: .mimii, source: "memory")
        let split = dataset.partition(validationFraction: 0.25, testFraction: 0.1, seed: 3, anomalyModel: true)
        #expect(split.test.count == 8)  // per id: 2 abnormal + 2 normal
        #expect(split.test.filter { !clips[$0].isNormal }.count == 4)
        #expect((split.training + split.validation).allSatisfy { clips[$0].isNormal })
        #expect(split.training.count + split.validation.count == 12 && split.validation.count == 3)
        #expect(dataset.partition(validationFraction: 0.25, testFraction: 0.1, seed: 3, anomalyModel: true) == split)
        // As many abnormal as normal recordings: all normals are held out, unless a cap keeps half to learn from.
        let even = AudioDataset(clips: Array(clips[0..<2]) + Array(clips[8..<10]), layout: .mimii, source: "memory")  // id_00: 2 + 2
        #expect(even.partition(validationFraction: 0, testFraction: 0, seed: 1, anomalyModel: true).training.isEmpty)
        let capped = even.partition(validationFraction: 0, testFraction: 0, seed: 1, anomalyModel: true, maxNormalShareHeldOut: 0.5)
        #expect(capped.training.count == 1 && capped.test.count == 3)
    }

    @Test func classifierPartitionIsStratifiedAndExplicitValidationWins() {
        let clips = (0..<20).map { AudioClip(path: "\($0)", label: $0 < 10 ? "fan" : "pump", role: $0 == 0 ? .validation : nil) }
        let split = AudioDataset(clips: clips, layout: .manifest, source: "memory")
            .partition(validationFraction: 0.5, testFraction: 0.2, seed: 1, anomalyModel: false)
        #expect(split.validation == [0])
        #expect(split.test.filter { $0 < 10 }.count == 2 && split.test.filter { $0 >= 10 }.count == 2)
        #expect(split.training.count == 15)
    }
}

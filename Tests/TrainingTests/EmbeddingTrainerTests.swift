import Foundation
import SeededRandom
import Spectral
import Testing

@testable import Training

/// resnet-arcface end to end in float: an embedding learned to tell three synthetic machines apart, each
/// machine's baseline in it, and a fault no training window ever showed.
@Suite struct EmbeddingTrainerTests {
    private static func experiment(epochs: Int = 6) throws -> ExperimentConfig {
        let yaml = try String(contentsOf: configsDirectory.appendingPathComponent("resnet-arcface.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "epochs: 20", with: "epochs: \(epochs)")
        return try ExperimentConfig(yaml: yaml)
    }

    /// `seconds` of log-mel frames (64 bins, 31.25 frames/s): a machine's hum peaking at `peak`, ±2 dB of
    /// frame noise, and optionally a fault: +12 dB in bins 50–55.
    private static func clip(peak: Int, seconds: Int, seed: UInt64, fault: Bool = false) -> FeatureMatrix {
        var generator = SeededGenerator(seed: seed)
        let frames = seconds * 32
        var values: [Float] = []
        for _ in 0..<frames {
            for bin in 0..<64 {
                let hum = 30 * Float(exp(-Double((bin - peak) * (bin - peak)) / 18))
                let level = -60 + hum + (fault && (50...55).contains(bin) ? 12 : 0)
                values.append(level + generator.nextFloat(in: -2, 2))
            }
        }
        return FeatureMatrix(frames: frames, width: 64, values: values)
    }

    private static let peaks = ["fan/id_00": 10, "fan/id_02": 25, "pump/id_00": 40]

    private static func normalClips() -> [BandBaselineTrainer.NormalClip] {
        peaks.keys.sorted().enumerated().flatMap { index, machine in
            (0..<2).map { k in
                BandBaselineTrainer.NormalClip(
                    machine: machine, path: "\(machine)/normal_\(k).wav",
                    features: clip(peak: peaks[machine]!, seconds: 6, seed: UInt64(10 * index + k)))
            }
        }
    }

    /// Learns `clips`, then checks that `machine`'s baseline scores a faulty clip of it (hum at `peak`) above
    /// twice a later normal clip and above its threshold.
    private static func expectFaultFlagged(learning clips: [BandBaselineTrainer.NormalClip], machine: String, peak: Int) throws {
        let experiment = try Self.experiment()
        let network = try EmbeddingTrainer(experiment: experiment).train(clips, seed: 1)
        #expect(network.outputShape == [32])
        let trainer = try BandBaselineTrainer(experiment: experiment, embedding: network)
        let result = try trainer.train(clips, configYAML: "")
        #expect(result.model.task == .bandDeviation)
        #expect(result.machines.keys.sorted() == Array(Set(clips.map(\.machine))).sorted())
        let fit = try #require(result.machines[machine])
        func meanScore(_ features: FeatureMatrix) -> Float {
            let rows = trainer.levels(features)
            return rows.map(fit.baseline.score).reduce(0, +) / Float(rows.count)
        }
        let laterNormal = meanScore(Self.clip(peak: peak, seconds: 4, seed: 99))
        let fault = meanScore(Self.clip(peak: peak, seconds: 4, seed: 98, fault: true))
        #expect(fault > 2 * laterNormal, "fault \(fault), later normal \(laterNormal)")
        #expect(fault > fit.threshold, "fault \(fault), threshold \(fit.threshold)")
    }

    @Test func eachMachinesBaselineFlagsAFaultItNeverHeard() throws {
        try Self.expectFaultFlagged(learning: Self.normalClips(), machine: "fan/id_00", peak: 10)
    }

    /// Alone, a machine learns against frequency-shifted copies of itself (only it gets a baseline), and
    /// its baseline still flags the fault.
    @Test func oneMachineAloneLearnsAgainstShiftedCopiesOfItself() throws {
        try Self.expectFaultFlagged(learning: Self.normalClips().filter { $0.machine == "fan/id_02" }, machine: "fan/id_02", peak: 25)
    }

    @Test func aShiftMovesEachRowsSpectrumAndRepeatsTheEdge() {
        let matrix = FeatureMatrix(frames: 2, width: 4, values: [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(matrix.shiftingBins(by: 1).values == [1, 1, 2, 3, 5, 5, 6, 7])
        #expect(matrix.shiftingBins(by: -2).values == [3, 4, 4, 4, 7, 8, 8, 8])
        #expect(matrix.shiftingBins(by: 0) == matrix)
    }

    @Test func noClipsAreRefused() throws {
        #expect(throws: TrainingError.invalidDataset("no normal clips to learn an embedding from")) {
            try EmbeddingTrainer(experiment: try Self.experiment()).train([])
        }
    }

    @Test func aClipShorterThanOneWindowIsRefusedByName() throws {
        var clips = Self.normalClips()
        clips.append(
            .init(
                machine: "pump/id_00", path: "pump/short.wav",
                features: FeatureMatrix(frames: 5, width: 64, values: .init(repeating: -60, count: 320))))
        #expect {
            _ = try EmbeddingTrainer(experiment: try Self.experiment()).train(clips)
        } throws: { error in
            guard case TrainingError.invalidDataset(let message) = error else { return false }
            return message.contains("pump/short.wav") && message.contains("shorter than one")
        }
    }

    @Test func anotherBackboneIsRefused() throws {
        let band = try ExperimentConfig(contentsOf: configsDirectory.appendingPathComponent("anomaly.yaml").path)
        #expect(throws: TrainingError.self) { try EmbeddingTrainer(experiment: band) }
    }

    @Test(arguments: [
        ("loss_function: CrossEntropy", "loss_function: MSE", "training.loss_function"),
        ("inference_chunk_seconds: 1", "inference_chunk_seconds: 2", "prediction.inference_chunk_seconds"),
        ("embedding_units: 32", "embedding_units: 1", "architecture.embedding_units"),
        ("arcface_margin: 0.5", "arcface_margin: 2", "architecture.arcface_margin"),
        ("arcface_scale: 30", "arcface_scale: 0", "architecture.arcface_scale"),
        ("embedding_spread_floor: 0.1", "embedding_spread_floor: 0", "prediction.embedding_spread_floor"),
        ("gain_db: 6", "gain_db: 6\n    mix_audio: Mixup", "augmentation.mix_audio"),
    ])
    func impossibleSettingsAreRefusedByKey(_ setting: (String, String, String)) throws {
        let yaml = try String(contentsOf: configsDirectory.appendingPathComponent("resnet-arcface.yaml"), encoding: .utf8)
        let broken = yaml.replacingOccurrences(of: setting.0, with: setting.1)
        #expect(broken != yaml)
        #expect {
            _ = try ExperimentConfig(yaml: broken)
        } throws: { error in
            guard case TrainingError.invalidConfig(let keyPath, _) = error else { return false }
            return keyPath == setting.2
        }
    }
}

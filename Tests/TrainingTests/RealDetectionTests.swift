import Foundation
import Testing

@testable import Training

/// Issue #18's target on the real fan: MIMII fan id_00 (0 dB), learned from its six earliest normal
/// recordings and judged on the six later normal and the twelve abnormal ones, the split bench/real uses.
@Suite struct RealDetectionTests {
    private static let fan = RealData.directory.appendingPathComponent("mimii/0_dB_fan/fan/id_00").path
    private static var available: Bool {
        (0..<12).allSatisfy { i in
            ["normal", "abnormal"].allSatisfy { FileManager.default.fileExists(atPath: "\(fan)/\($0)/\(String(format: "%08d", i)).wav") }
        }
    }
    private static let configPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("configs/anomaly.yaml").path

    @Test(.enabled(if: available, "the 12 + 12 fan id_00 recordings are not in $EARSHOT_REAL_DATA or ../shared/data; skipped"))
    func theBandBaselineCatchesTheRealFanWithoutFalseAlarmsFloatAndInt8() throws {
        let yaml = try String(contentsOfFile: Self.configPath, encoding: .utf8)
        let experiment = try ExperimentConfig(yaml: yaml)
        func clip(_ condition: String, _ i: Int) -> AudioClip {
            AudioClip(
                path: "\(Self.fan)/\(condition)/\(String(format: "%08d", i)).wav", label: condition, condition: condition,
                machineType: "fan",
                machineID: "id_00")
        }
        let learn = (0..<6).map { clip("normal", $0) }
        let judged = (6..<12).map { clip("normal", $0) } + (0..<12).map { clip("abnormal", $0) }
        let extractor = try ClipFeatureExtractor(audio: experiment.audio, cache: nil, jobs: 2)
        let learnFeatures = try extractor.features(of: learn.map(\.path)).matrices
        let judgedFeatures = try extractor.features(of: judged.map(\.path)).matrices

        let trainer = try BandBaselineTrainer(experiment: experiment)
        let result = try trainer.train(
            zip(learn, learnFeatures).map { .init(machine: "fan/id_00", path: $0.path, features: $1) }, configYAML: yaml)
        #expect(result.model.machineThresholds.keys.sorted() == ["fan/id_00"])
        let float = try ClipEvaluator(model: result.model).report(clips: judged, features: judgedFeatures)
        #expect((float.auc ?? 0) >= 0.9)
        #expect((float.flaggedAnomalous ?? 0) >= 0.8)
        #expect((float.flaggedNormal ?? 1) <= 0.1)

        let rows = learnFeatures.flatMap { matrix in
            let (inputs, _) = experiment.audio.modelInputs([matrix])
            let width = inputs.count / inputs.batch
            return (0..<inputs.batch).map { Array(inputs.values[($0 * width)..<(($0 + 1) * width)]) }
        }
        let graph = try Quantizer().quantize(result.model.graph, calibration: rows)
        let artifact = try ModelArtifactBuilder.artifact(model: result.model, graph: graph, family: "fan-anomaly", version: 1)
        #expect(artifact.assetBaselines["fan/id_00"]?.mean.count == experiment.audio.octaveBands.count)
        #expect(artifact.thresholds.perAsset["fan/id_00"] == Float(result.model.machineThresholds["fan/id_00"]!))
        let int8 = try QuantizedClipEvaluator(artifact: artifact, jobs: 2).report(clips: judged).report
        #expect(abs((int8.auc ?? 0) - (float.auc ?? 0)) <= 0.01)
        #expect((int8.flaggedAnomalous ?? 0) >= 0.8)
        #expect((int8.flaggedNormal ?? 1) <= 0.1)
    }
}

import Crypto
import Foundation
import MachineDatasets
import MachineSounds
import ModelWorkbench
import TestSupport
import Testing
import Training

/// The workbench as a library, as `earshot train`, `eval` and `quantize` call it: a classifier trained on
/// synthesized fans, judged in float and int8 on the same clips, and the refusals a caller gets.
@Suite struct ModelWorkbenchTests {
    static let configs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("configs")

    /// A MIMII fan tree: ids 00 and 02, 4 normal and 2 abnormal 1 s mono clips each (12 clips).
    static func fans(in directory: TemporaryDirectory) throws -> String {
        let writer = DatasetWriter(
            machine: .fan, ids: [0, 2], normalPerID: 4, abnormalPerID: 2, layout: .mimii,
            settings: SynthesisSettings(sampleRate: 16_000, seconds: 1, channels: 1, snrDB: 0), seed: 1)
        let path = directory.path("fans")
        _ = try writer.write(to: path)
        return path
    }

    /// Seed 000's classifier trained for two epochs on `data`, written to `directory/float.model`.
    static func trainClassifier(
        on data: String, in directory: TemporaryDirectory, observer: RecordingObserver
    ) throws -> (TrainingOutcome, String) {
        let workflow = TrainingWorkflow(
            configPath: configs.appendingPathComponent("mfcc-cnn1d.yaml").path,
            input: .audio(AudioTrainingInput(data: data, cache: FeatureCacheChoice(disabled: true), jobs: 2)), epochs: 2, seed: 1)
        let outcome = try workflow.run(observer: observer)
        let path = directory.path("float.model")
        try outcome.model.write(to: path)
        return (outcome, path)
    }

    @Test func aTrainedClassifierIsJudgedOnEveryClipWithItsPredictions() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.fans(in: directory)
        let observer = RecordingObserver()
        let (outcome, model) = try Self.trainClassifier(on: data, in: directory, observer: observer)
        guard case .network(let epoch, _) = outcome.fit else {
            Issue.record("expected a network fit, got \(outcome.fit)")
            return
        }
        #expect((1...2).contains(epoch))
        #expect(outcome.model.task == .binary)
        #expect(observer.lines.contains { $0.hasPrefix("dataset ") && $0.contains("12 clips →") }, "\(observer.lines)")
        #expect(observer.lines.filter { $0.hasPrefix("epoch ") }.count == 2, "\(observer.lines)")
        let features = try #require(observer.counter("features"))
        #expect(features.total == 12 && features.advanced == 12 && features.finished)
        let test = try #require(outcome.test)
        #expect(test.report.n == test.clips && outcome.model.metrics["test.accuracy"] == test.report.metrics.accuracy)

        let evaluation = try EvaluationWorkflow(
            modelPath: model, input: .audio(data: data, cache: FeatureCacheChoice(disabled: true), jobs: 2), predictions: true
        ).run(observer: SilentObserver())
        #expect(evaluation.report.n == 12)
        #expect(evaluation.threshold == nil)
        let table = try #require(evaluation.predictions)
        #expect(table.header == ["path", "label", "predicted", "p_abnormal", "p_normal"])
        #expect(table.rows.count == 12)
        #expect(table.rows.allSatisfy { $0[0].hasPrefix(data) && ["abnormal", "normal"].contains($0[1]) && $0.count == 5 })
        #expect(table.csv.split(separator: "\n").count == 13)
    }

    @Test func theInt8ArtifactFollowsItsFloatModelAndIsJudgedOnTheSameClips() throws {
        let directory = try TemporaryDirectory()
        let data = try Self.fans(in: directory)
        let (_, model) = try Self.trainClassifier(on: data, in: directory, observer: RecordingObserver())
        let outcome = try QuantizationWorkflow(modelPath: model, calibrationPath: data, family: "fan", version: 3).run()
        #expect(outcome.calibrationWindows == 12)
        #expect(outcome.parity.windows == 12)
        #expect(outcome.artifact.family == "fan" && outcome.artifact.version == 3)
        #expect(outcome.artifact.metrics["int8.float_agreement"] == outcome.parity.verdictAgreement)

        let unsigned = try outcome.bytes(signedWith: nil)
        let signed = try outcome.bytes(signedWith: Curve25519.Signing.PrivateKey())
        #expect(ArtifactFile.kind(of: unsigned) == .unsignedArtifact)
        #expect(ArtifactFile.kind(of: signed) == .signedArtifact)
        #expect(ArtifactFile.kind(of: [UInt8](try Data(contentsOf: URL(fileURLWithPath: model)))) == .floatModel)
        let path = directory.path("int8.model")
        try Data(signed).write(to: URL(fileURLWithPath: path))

        let observer = RecordingObserver()
        let evaluation = try EvaluationWorkflow(
            modelPath: path, input: .audio(data: data, cache: FeatureCacheChoice(disabled: true), jobs: 2), predictions: true
        ).run(observer: observer)
        #expect(evaluation.report.n == 12)
        #expect(evaluation.predictions?.rows.count == 12)
        let int8 = try #require(observer.counter("int8"))
        #expect(int8.total == 12 && int8.advanced == 12 && int8.finished)
    }

    /// resnet-arcface through the same calls: an embedding learned to tell the two fans apart, a baseline and
    /// threshold per fan, quantized to int8 and judged per machine.
    @Test func anEmbeddingDetectorLearnsEachFanAndIsJudgedInInt8PerMachine() throws {
        let directory = try TemporaryDirectory()
        // Ids 00 and 02, 8 normal and 2 abnormal 1 s clips each: half the normal clips are held out for the test.
        let data = directory.path("fans")
        _ = try DatasetWriter(
            machine: .fan, ids: [0, 2], normalPerID: 8, abnormalPerID: 2, layout: .mimii,
            settings: SynthesisSettings(sampleRate: 16_000, seconds: 1, channels: 1, snrDB: 0), seed: 1
        ).write(to: data)
        let yaml = try String(contentsOf: Self.configs.appendingPathComponent("resnet-arcface.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "minimum_normal_seconds: 10", with: "minimum_normal_seconds: 3")
        let config = directory.path("arcface.yaml")
        try yaml.write(toFile: config, atomically: true, encoding: .utf8)
        let observer = RecordingObserver()
        let outcome = try TrainingWorkflow(
            configPath: config, input: .audio(AudioTrainingInput(data: data, cache: FeatureCacheChoice(disabled: true), jobs: 2)),
            epochs: 3, seed: 1
        ).run(observer: observer)
        guard case .bandBaseline(let machines, _) = outcome.fit else {
            Issue.record("expected per-machine baselines, got \(outcome.fit)")
            return
        }
        #expect(machines == 2)
        #expect(outcome.model.task == .bandDeviation)
        #expect(outcome.model.machineThresholds.keys.sorted() == ["fan/id_00", "fan/id_02"])
        #expect(outcome.model.machineBaselines.values.allSatisfy { $0.mean.count == 32 && $0.spread.allSatisfy { $0 >= 0.1 } })
        #expect(observer.lines.contains { $0.contains("to tell 2 machines apart") }, "\(observer.lines)")
        #expect(observer.lines.filter { $0.hasPrefix("epoch ") }.count == 3)
        let model = directory.path("float.model")
        try outcome.model.write(to: model)

        let quantized = try QuantizationWorkflow(modelPath: model, calibrationPath: data).run()
        #expect(quantized.artifact.task == .bandDeviation)
        #expect(quantized.artifact.assetBaselines.keys.sorted() == ["fan/id_00", "fan/id_02"])
        let int8 = directory.path("int8.model")
        try Data(try quantized.bytes(signedWith: nil)).write(to: URL(fileURLWithPath: int8))
        let evaluation = try EvaluationWorkflow(
            modelPath: int8, input: .audio(data: data, cache: FeatureCacheChoice(disabled: true), jobs: 2)
        ).run(observer: SilentObserver())
        #expect(evaluation.report.n == 20)
        #expect(evaluation.report.groups["machine_id"]?.keys.sorted() == ["fan/id_00", "fan/id_02"])
    }

    @Test func callersGetAClearRefusal() throws {
        let directory = try TemporaryDirectory()
        let band = TrainingWorkflow(
            configPath: Self.configs.appendingPathComponent("anomaly.yaml").path,
            input: .arrays(ArrayTrainingInput(features: directory.path("x.npy"))))
        do {
            _ = try band.run(observer: SilentObserver())
            Issue.record("band-baseline trained on feature arrays")
        } catch let error as WorkbenchError {
            #expect(error.description.contains("give --data"))
        }

        let missing = EvaluationWorkflow(
            modelPath: directory.path("none.model"),
            input: .arrays(features: directory.path("x.npy"), labels: directory.path("y.npy"), index: nil))
        do {
            _ = try missing.run(observer: SilentObserver())
            Issue.record("a missing model file was accepted")
        } catch let error as WorkbenchError {
            #expect(error.description == "\(directory.path("none.model")): cannot read the model file")
        }

        let empty = directory.path("empty")
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        let quantize = QuantizationWorkflow(modelPath: directory.path("none.model"), calibrationPath: empty)
        #expect(throws: (any Error).self) { try quantize.run() }
        #expect(ArtifactFile.kind(of: Array("RIFF\0\0\0\0WAVE".utf8)) == .other)
        #expect(ArtifactFile.kind(of: []) == .other)
    }
}

import Foundation
import Training

/// Training of a model with a baseline per machine: `band-baseline` learns each machine's normal band
/// levels from its normal clips in closed form (no gradient descent); `resnet-arcface` first trains an
/// embedding on every machine's normal clips (`EmbeddingTrainer`), then learns each machine's normal
/// embedding the same way. Either validates each machine's threshold on its normal audio out of fold and
/// judges the test clips.
struct BandBaselineWorkflow {
    var experiment: ExperimentConfig
    var yaml: String
    var input: AudioTrainingInput
    var epochs: Int?
    var seed: UInt64
    var threads: Int

    func run(observer: any WorkflowObserver) throws -> TrainingOutcome {
        let dataset = try input.dataset(config: experiment.dataset, anomalyModel: true)
        // Thresholds are validated out of fold on the normal clips themselves: validation clips learn too.
        let split = dataset.partition(
            validationFraction: 0, testFraction: experiment.dataset.testSize, seed: seed, anomalyModel: true, maxNormalShareHeldOut: 0.5)
        let learning = (split.training + split.validation).sorted().filter { dataset.clips[$0].isNormal }
        guard !learning.isEmpty else { throw WorkbenchError("\(input.data): no normal clips to learn from (\(dataset.clips.count) clips)") }
        observer.note(
            "dataset \(dataset.source) (\(dataset.layout.rawValue)): \(dataset.clips.count) clips → \(learning.count) normal to learn from / "
                + "\(split.test.count) test")
        let check = NormalClipCheck(sampleRate: experiment.audio.sampleRate, windowSeconds: experiment.audio.trainingChunkSeconds)
        func machine(_ clip: AudioClip) -> String { clip.groups["machine_id"] ?? clip.machineType ?? "machine" }
        let learned = Set(learning.map { machine(dataset.clips[$0]) })
        let unlearned = Set(dataset.clips.map(machine)).subtracting(learned).sorted()
        guard unlearned.isEmpty else {
            throw WorkbenchError(
                "\(input.data): no normal clips to learn from for \(unlearned.joined(separator: ", ")); each machine is judged against its own "
                    + "normal sound: add normal clips of it (DCASE: <type>/train/normal_id_NN_*.wav) or leave its clips out")
        }
        for index in learning { try check.check(path: dataset.clips[index].path, machine: machine(dataset.clips[index])) }
        let used = learning + split.test
        let loader = ClipFeatureLoader(
            audio: experiment.audio, cache: try input.cache.cache(for: input.data), jobs: input.jobs, observer: observer)
        let features = try loader.features(of: used.map { dataset.clips[$0] })
        let normal = learning.indices.map { k in
            BandBaselineTrainer.NormalClip(
                machine: machine(dataset.clips[learning[k]]), path: dataset.clips[learning[k]].path, features: features[k])
        }
        let trainer: BandBaselineTrainer
        let started = Date()
        if experiment.architecture.backbone == .resnetArcFace {
            let architecture = experiment.architecture
            let apart =
                learned.count > 1
                ? "to tell \(learned.count) machines apart on their normal clips"
                : "to tell \(learned.first!) apart from frequency-shifted copies of itself (no other machine to learn against; "
                    + "other machines' normal clips make better outliers)"
            observer.note(
                "training the resnet-arcface embedding (\(architecture.embeddingUnits) values, margin \(architecture.arcFaceMargin), "
                    + "scale \(architecture.arcFaceScale)) \(apart)")
            let network = try EmbeddingTrainer(experiment: experiment).train(
                normal, epochs: epochs, seed: seed, blasThreads: threads, progress: EpochProgress(observer: observer).record)
            observer.note(
                String(format: "embedding trained in %.1f s (%d parameters)", Date().timeIntervalSince(started), network.parameterCount))
            trainer = try BandBaselineTrainer(experiment: experiment, embedding: network)
            observer.note("learning each machine's normal embedding")
        } else {
            trainer = try BandBaselineTrainer(experiment: experiment)
            let bands = experiment.audio.octaveBands
            observer.note("learning \(bands.count) octave-band baselines (\(bands.names.joined(separator: ", ")))")
        }
        let result = try trainer.train(normal, configYAML: yaml) { machine, fit in
            observer.note(
                String(
                    format: "%@: %d windows in %d folds, threshold %.3f (p%g of out-of-fold normal windows); expected false alarms: "
                        + "%.1f %% of windows, %.0f %% of folds warn", machine, fit.baseline.windows, fit.folds, fit.threshold,
                    experiment.prediction.thresholdPercentile, fit.windowFalseAlarmRate * 100, fit.foldFalseAlarmRate * 100))
            if !fit.foldsAreRecordings {
                observer.note(
                    "warning: \(machine): learned from fewer than 3 recordings, so its threshold was validated on pieces of the same "
                        + "recording and is likely too tight for another day's sound; learn from 3 or more normal recordings made apart")
            }
        }
        var model = result.model
        model.metrics["train.seconds"] = Date().timeIntervalSince(started)
        var test: TestSetReport?
        let testClips = split.test.map { dataset.clips[$0] }
        if !testClips.isEmpty {
            let report = try ClipEvaluator(model: model).report(clips: testClips, features: Array(features[learning.count...]))
            test = TestSetReport(clips: testClips.count, report: report, threshold: model.threshold)
            model.metrics["test.accuracy"] = report.metrics.accuracy
            if let auc = report.auc { model.metrics["test.auc"] = auc }
            if let pauc = report.pauc { model.metrics["test.pauc"] = pauc }
            if let f = report.flaggedAnomalous { model.metrics["test.flagged_anomalous"] = f }
            if let f = report.flaggedNormal { model.metrics["test.flagged_normal"] = f }
        }
        return TrainingOutcome(
            model: model, fit: .bandBaseline(machines: result.machines.count, defaultThreshold: Double(result.pooled.threshold)), test: test
        )
    }
}

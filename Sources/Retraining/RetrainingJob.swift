import Crypto
import Foundation
import HubCore
import Inference
import Logging
import Scoring
import Spectral
import Training
import Wire

/// One retraining run of one family: dataset → float training → evaluation against production on the
/// same held-out clips → int8 quantization and int8-vs-float agreement → promotion gates → signing →
/// registration (version = production + 1, parent = production).
///
/// A job that is refused (too little data), rejected (a gate failed) or fails (an error) registers
/// nothing and writes nothing outside its feature cache; its report says why.
///
/// The dataset follows data hygiene (`RetrainingDataset`). The AUC gate compares like with like: both
/// the candidate and production are the int8 artifacts an agent would run, scored clip by clip through
/// `Scoring.ClipScorer`; the float candidate's AUC is reported beside it. It compares them on the seed
/// dataset's held-out clips when those hold normal and abnormal ones (`seed_auc`): the stored clips'
/// truth follows production's own scores, so on them a candidate can at best tie. The label gates
/// (`LabelGates`) then replay every clip operators confirmed or dismissed, and each asset's clean normal
/// audio, through both models and the agents' alarm policy. Not `Sendable`: run it on one thread (the
/// retraining worker).
public final class RetrainingJob {
    /// The family's job definition.
    public let family: RetrainingConfiguration.Family
    private let store: HubStore
    private let registry: any ModelRegistering
    private let workDirectory: String
    let logger: Logger

    /// Creates a job.
    /// - Parameters:
    ///   - store: the hub store the clips come from.
    ///   - registry: the production lookup and registration.
    ///   - workDirectory: the feature cache lives in `<workDirectory>/feature-cache`.
    ///   - logger: progress (stages, feature extraction, epochs) at `info`.
    public init(
        family: RetrainingConfiguration.Family, store: HubStore, registry: any ModelRegistering, workDirectory: String, logger: Logger
    ) {
        self.family = family
        self.store = store
        self.registry = registry
        self.workDirectory = workDirectory
        self.logger = logger
    }

    /// Why a job stopped early without an error.
    enum Stop: Error {
        case refused(String)
        case rejected(String)
    }

    /// Runs every step.
    /// - Parameters:
    ///   - jobID: the job's number (for the report and logs).
    ///   - nowMs: the hub's clock; the clip window ends here.
    ///   - onStage: called as each stage starts (e.g. to record it in `retraining_jobs`).
    /// - Returns: the report; `status` is `registered`, `rejected`, `refused` or `failed`.
    public func run(jobID: Int64, nowMs: Int64, onStage: (RetrainingStage) -> Void = { _ in }) -> RetrainingReport {
        var report = RetrainingReport(jobID: jobID, family: family.name, config: family.configPath, startedMs: nowMs)
        // Stage bookkeeping stays outside `report`, which `steps` holds exclusively while it runs.
        var stage = RetrainingStage.dataset
        var stageStarted = Date()
        var stageTimes: [RetrainingReport.StageTime] = []
        func enter(_ next: RetrainingStage) {
            stageTimes.append(.init(stage: stage, seconds: Date().timeIntervalSince(stageStarted)))
            stage = next
            stageStarted = Date()
            onStage(next)
            logger.info("retraining.stage", metadata: ["model.family": "\(family.name)", "job.id": "\(jobID)", "job.stage": "\(next)"])
        }
        onStage(.dataset)
        logger.info("retraining.stage", metadata: ["model.family": "\(family.name)", "job.id": "\(jobID)", "job.stage": "dataset"])
        do {
            try steps(&report, nowMs: nowMs, enter: enter)
            report.status = RetrainingJobStatus.registered.rawValue
        } catch Stop.refused(let reason) {
            report.status = RetrainingJobStatus.refused.rawValue
            report.reason = reason
        } catch Stop.rejected(let reason) {
            report.status = RetrainingJobStatus.rejected.rawValue
            report.reason = reason
        } catch {
            report.status = RetrainingJobStatus.failed.rawValue
            report.reason = "\(stage.rawValue): \(error)"
        }
        stageTimes.append(.init(stage: stage, seconds: Date().timeIntervalSince(stageStarted)))
        report.stageSeconds = stageTimes
        report.finishedMs = nowMs + Int64(report.stageSeconds.reduce(0) { $0 + $1.seconds } * 1_000)
        logger.info(
            "retraining.finished",
            metadata: [
                "model.family": "\(family.name)", "job.id": "\(jobID)", "job.status": "\(report.status)", "job.reason": "\(report.reason)",
            ])
        return report
    }

    private func steps(_ report: inout RetrainingReport, nowMs: Int64, enter: (RetrainingStage) -> Void) throws {
        // 1. Dataset.
        let experiment = try ExperimentConfig(contentsOf: family.configPath)
        let yaml = try String(contentsOfFile: family.configPath, encoding: .utf8)
        let anomalyModel = experiment.architecture.backbone.learnsNormalAudioOnly
        if !anomalyModel, Set(experiment.dataset.labels) != ["normal", "abnormal"] {
            throw Stop.refused(
                "supervised retraining needs dataset.labels [abnormal, normal]; \(family.configPath) has \(experiment.dataset.labels)")
        }
        let sinceMs = nowMs - Int64(family.clipWindowDays * 86_400_000)
        let stored = try store.retrainingClips(
            family: family.name, machineTypes: family.machineTypes, sinceMs: sinceMs, guardMs: Int64(family.hygiene.guardSeconds * 1_000))
        let data = try RetrainingDataset(family: family, experiment: experiment, clips: stored)
        report.dataset.fingerprint = data.fingerprint
        report.dataset.storedClips = data.storedClips
        report.dataset.seedClips = data.seedClips
        report.dataset.normalClips = data.normalClips
        report.dataset.anomalousClips = data.anomalousClips
        report.dataset.unconfirmedClips = data.unconfirmedClips
        report.dataset.excludedClips = Dictionary(uniqueKeysWithValues: data.excluded.map { ($0.key.rawValue, $0.value) })
        report.dataset.labelConflicts = data.labelConflicts
        report.dataset.labelsWithoutClips = try store.labelsWithoutClips()
        logger.info(
            "retraining.dataset",
            metadata: [
                "model.family": "\(family.name)", "dataset.fingerprint": "\(data.fingerprint)", "dataset.normal": "\(data.normalClips)",
                "dataset.anomalous": "\(data.anomalousClips)",
                "dataset.excluded": "\(data.excluded.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: ","))",
                "dataset.label_conflicts": "\(data.labelConflicts.count)",
            ])
        if data.normalClips == 0, data.anomalousClips > 0 {
            let left = data.excluded.values.reduce(0, +)
            throw Stop.refused(
                "no normal audio left after data hygiene: \(data.anomalousClips) confirmed anomalies, \(left) stored clips left out "
                    + "(\(data.excluded.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", "))); "
                    + "label known-normal clips or add a seed_dataset")
        }
        if anomalyModel, data.normalClips < family.minClips {
            throw Stop.refused("not enough data: \(data.normalClips) normal clips, min_clips is \(family.minClips)")
        }
        if !anomalyModel {
            if data.dataset.clips.count < family.minClips {
                throw Stop.refused("not enough data: \(data.dataset.clips.count) clips, min_clips is \(family.minClips)")
            }
            if data.anomalousClips < family.minAnomalies {
                throw Stop.refused("not enough labelled anomalies: \(data.anomalousClips), min_anomalies is \(family.minAnomalies)")
            }
        }
        let production = try registry.latestVersion(family: family.name)
        report.productionVersion = production?.version
        report.candidateVersion = (production?.version ?? 0) + 1
        if experiment.architecture.backbone.learnsBaselines {
            try relearnBaselines(
                &report, data: data, experiment: experiment, yaml: yaml, production: production, nowMs: nowMs, enter: enter)
            return
        }
        let options = experiment.trainingOptions(epochs: family.epochs, blasThreads: 1)
        let split = data.partition(
            validationFraction: experiment.dataset.validationSize, testFraction: experiment.dataset.testSize, seed: options.seed,
            anomalyModel: anomalyModel)
        let clips = data.dataset.clips
        report.dataset.trainingClips = split.training.count
        report.dataset.validationClips = split.validation.count
        report.dataset.heldOutClips = split.test.count
        report.dataset.heldOutAnomalousClips = split.test.filter { clips[$0].condition == "abnormal" }.count
        guard !split.training.isEmpty else { throw Stop.refused("not enough data: no clips left for training after the split") }
        let features = try extractFeatures(clips.map(\.path), audio: experiment.audio)

        // 2. Float training.
        enter(.training)
        let sets = ClipTrainingSets(experiment: experiment, clips: clips, features: features, anomalyModel: anomalyModel)
        guard let training = try sets.labelled(split.training, training: true) else {
            throw Stop.refused("the training clips give no feature rows")
        }
        let validation = try sets.labelled(split.validation)
        let network = try Network(graph: try experiment.modelGraph(trainingRows: training.data.features), seed: options.seed)
        let trainer = Trainer(network: network, options: options)
        let trainingStarted = Date()
        var epochStarted = Date()
        let augmenter = sets.augmenter(split.training, seed: options.seed)
        try trainer.fit(training: training.data, validation: validation?.data, augmenter: augmenter) { event in
            guard case .epoch(let e) = event else { return }
            record(e, of: options.epochs, seconds: Date().timeIntervalSince(epochStarted), in: &report)
            epochStarted = Date()
        }
        var threshold: Double? = anomalyModel ? nil : experiment.prediction.probabilityThreshold
        if anomalyModel {
            guard let validation else { throw Stop.refused("not enough data: no normal validation clips to set the alarm threshold") }
            let windowScores = AnomalyScoring.reconstructionErrors(network: network, inputs: validation.data.features)
            let scores = AnomalyScoring.clipScores(windowScores: windowScores, clips: validation.clipOfRow).scores
            threshold = Double(AnomalyScoring.threshold(normalScores: scores, percentile: experiment.prediction.thresholdPercentile))
        }
        let trained = TrainedModel(
            task: anomalyModel ? .anomalyScore : .binary, labels: experiment.dataset.labels, configYAML: yaml,
            graph: network.exportGraph(), threshold: threshold,
            metrics: ["train.seconds": Date().timeIntervalSince(trainingStarted), "train.clips": Double(split.training.count)])

        // 3. Evaluation: float candidate and production on the held-out clips.
        enter(.evaluation)
        let heldOut = split.test.map { clips[$0] }
        let truth = heldOut.map { $0.condition == "abnormal" || $0.label == "abnormal" ? 0 : 1 }
        // Held-out clips of the seed dataset (the clips after the stored ones): their truth is not production's.
        let fromSeed = split.test.map { $0 >= data.storedClips }
        if !heldOut.isEmpty {
            let floatReport = try ClipEvaluator(model: trained).report(clips: heldOut, features: split.test.map { features[$0] })
            if let auc = floatReport.auc { report.candidateMetrics["float.auc"] = auc }
            if let pauc = floatReport.pauc { report.candidateMetrics["float.pauc"] = pauc }
        }
        let hubKey = try SigningKeyFile.privateKey(path: family.signingKeyPath)
        var productionModel: Model?
        if let production {
            let model = try Model(loading: production.signedBytes, verifying: ArtifactVerifier(trusting: [hubKey.publicKey]))
            productionModel = model
            let scores = try Self.clipScores(heldOut, model: model)
            Self.addAUC(
                scores: scores, truth: truth, fromSeed: fromSeed, threshold: model.manifest.thresholds.anomaly,
                to: &report.productionMetrics)
        }

        // 4. int8 quantization and agreement with float.
        enter(.quantization)
        let rows = Self.rows(training.data.features)
        var artifact = try quantizedCandidate(
            trained, rows: rows, version: report.candidateVersion, parentVersion: production?.version ?? 0, data: data, nowMs: nowMs)
        var int8 = try Model(artifact: artifact)
        var parityRows = try sets.labelled(split.test.isEmpty ? split.validation : split.test).map { Self.rows($0.data.features) } ?? rows
        if parityRows.count > 4_096 {
            let stride = parityRows.count / 4_096
            parityRows = (0..<4_096).map { parityRows[$0 * stride] }
        }
        let parity = Self.parity(trained, network: network, int8: int8, rows: parityRows, report: &report)
        if let threshold { report.candidateMetrics["threshold"] = threshold }
        let int8Scores = try Self.clipScores(heldOut, model: int8)
        Self.addAUC(
            scores: int8Scores, truth: truth, fromSeed: fromSeed, threshold: Float(threshold ?? 0.5), to: &report.candidateMetrics)

        if anomalyModel, family.perAssetThresholds {
            let fitted = try AssetThresholds(
                model: int8, percentile: experiment.prediction.thresholdPercentile, margin: family.assetThresholdMargin,
                clean: data.cleanNormalClips,
                minClips: family.gates.minAssetClips)
            if !fitted.thresholds.isEmpty {
                artifact.thresholds.perAsset = fitted.thresholds
                int8 = try Model(artifact: artifact)
            }
            report.assetThresholds = fitted.thresholds.mapValues(Double.init)
            if let spread = fitted.spread { report.candidateMetrics["asset_threshold_spread"] = Double(spread) }
        }

        // 5. Gates: held-out AUC and int8 agreement, then the labelled clips and each asset's clean normal audio.
        enter(.gates)
        report.gates = gates(candidate: report.candidateMetrics, production: production == nil ? nil : report.productionMetrics)
        let labels = try LabelGates(gates: family.gates).evaluate(candidate: int8, production: productionModel, data: data)
        report.gates += labels.gates
        report.assets = labels.assets
        report.failingClips = labels.failingClips
        let failed = report.gates.filter { !$0.passed }
        if !failed.isEmpty {
            var reason = failed.map(\.detail).joined(separator: "; ")
            if !labels.failingClips.isEmpty {
                let shown = labels.failingClips.prefix(5)
                reason += "; failing clips: " + shown.joined(separator: "; ")
                if labels.failingClips.count > shown.count {
                    reason += "; and \(labels.failingClips.count - shown.count) more in the report"
                }
            }
            throw Stop.rejected(reason)
        }

        // 6. Signing and registration.
        enter(.signing)
        artifact.metrics.merge(report.candidateMetrics.mapKeys { "heldout.\($0)" }) { $1 }
        artifact.metrics["int8.float_agreement"] = parity.verdictAgreement
        try signAndRegister(artifact, report: &report, data: data, production: production, hubKey: hubKey, enter: enter)
    }

    /// Records a finished training epoch in the job's report and logs it (`retraining.epoch`).
    func record(_ e: EpochReport, of epochs: Int, seconds: Double, in report: inout RetrainingReport) {
        report.epochs.append(.init(epoch: e.epoch, loss: e.trainingLoss, validationLoss: e.validation?.loss, seconds: seconds))
        logger.info(
            "retraining.epoch",
            metadata: [
                "model.family": "\(family.name)", "train.epoch": "\(e.epoch)/\(epochs)",
                "train.loss": "\(String(format: "%.5f", e.trainingLoss))",
                "train.val_loss": "\(e.validation.map { String(format: "%.5f", $0.loss) } ?? "-")",
                "train.seconds": "\(String(format: "%.1f", seconds))",
            ])
    }

    /// Signs `artifact` with the hub's key and registers it as the family's next version.
    func signAndRegister(
        _ artifact: Earshot_V1_ModelArtifact, report: inout RetrainingReport, data: RetrainingDataset,
        production: (version: UInt64, signedBytes: [UInt8])?,
        hubKey: Curve25519.Signing.PrivateKey, enter: (RetrainingStage) -> Void
    ) throws {
        let signed = try ModelArtifactBuilder.sign(artifact, with: hubKey)
        let inner: [UInt8] = try artifact.serializedBytes()
        report.artifactSHA256 = SHA256.hash(data: inner).map { String(format: "%02x", $0) }.joined()
        report.artifactBytes = signed.count
        enter(.registration)
        _ = try registry.registerModel(
            signedBytes: signed, metrics: artifact.metrics, parentVersion: production?.version ?? 0, datasetFingerprint: data.fingerprint)
    }

    /// The int8 candidate of `trained`, calibrated on up to 512 of its training `rows` (evenly spaced).
    func quantizedCandidate(
        _ trained: TrainedModel, rows: [[Float]], version: UInt64, parentVersion: UInt64, data: RetrainingDataset, nowMs: Int64
    ) throws -> Earshot_V1_ModelArtifact {
        let step = max(1, rows.count / 512)
        let calibration = stride(from: 0, to: rows.count, by: step).prefix(512).map { rows[$0] }
        let graph = try Quantizer().quantize(trained.graph, calibration: calibration)
        return try ModelArtifactBuilder.artifact(
            model: trained, graph: graph, family: family.name, version: version, parentVersion: parentVersion,
            datasetFingerprint: data.fingerprint, createdAt: Date(timeIntervalSince1970: Double(nowMs) / 1_000))
    }

    /// How closely `int8` follows the float `network` on `rows`, recorded as `int8_agreement`,
    /// `int8_max_score_difference` and `int8_windows` in the report's candidate metrics.
    static func parity(
        _ trained: TrainedModel, network: Network, int8: Model, rows: [[Float]], report: inout RetrainingReport
    ) -> QuantizationParity {
        let floatOutputs = Self.rows(network.predict(Tensor(shape: [rows.count] + network.inputShape, values: rows.flatMap { $0 })))
        let parity = QuantizationParity(
            task: trained.task, inputs: rows, floatOutputs: floatOutputs, int8Outputs: rows.map { int8.infer(int8.standardizing($0)) },
            truth: nil, threshold: trained.threshold ?? 0.5, baseline: trained.baseline)
        report.candidateMetrics["int8_agreement"] = parity.verdictAgreement
        report.candidateMetrics["int8_max_score_difference"] = parity.maxScoreDifference
        report.candidateMetrics["int8_windows"] = Double(parity.windows)
        return parity
    }

    /// The gate results; `production` is nil when there is no production model (no AUC comparison).
    func gates(candidate: [String: Double], production: [String: Double]?) -> [RetrainingReport.Gate] {
        var gates: [RetrainingReport.Gate] = []
        let agreement = candidate["int8_agreement"] ?? 0
        let minAgreement = family.gates.minInt8Agreement
        gates.append(
            .init(
                name: "min_int8_agreement", limit: minAgreement, value: agreement, passed: agreement >= minAgreement,
                detail: String(
                    format: "int8 agrees with float on %.4f of held-out windows (min_int8_agreement %.4f)", agreement, minAgreement)
            ))
        let maxDrop = family.gates.maxAUCDrop
        guard let production else {
            gates.append(
                .init(
                    name: "max_auc_drop", limit: maxDrop, value: nil, passed: true, detail: "no production model: nothing to compare with"))
            return gates
        }
        let key = Self.comparedAUCKey(candidate: candidate, production: production)
        let clipsName = key == "seed_auc" ? "the seed dataset's held-out clips" : "the held-out clips"
        guard let candidateAUC = candidate[key], let productionAUC = production[key] else {
            gates.append(
                .init(
                    name: "max_auc_drop", limit: maxDrop, value: nil, passed: false,
                    detail: "the held-out set lacks normal or abnormal clips: AUC cannot be compared with production"))
            return gates
        }
        let drop = productionAUC - candidateAUC
        gates.append(
            .init(
                name: "max_auc_drop", limit: maxDrop, value: drop, passed: drop <= maxDrop,
                detail: String(
                    format: "AUC on %@ %.4f vs production %.4f: drop %.4f (max_auc_drop %.4f)", clipsName, candidateAUC, productionAUC,
                    drop, maxDrop)))
        return gates
    }

    /// The held-out AUC `max_auc_drop` compares (and the dashboard shows): `seed_auc` when both models
    /// have one, else `auc`. A stored clip's truth follows production (operators confirm the clips it
    /// flagged; data hygiene keeps the normal clips it scored low), so on stored clips a candidate can at
    /// best tie; the label gates judge those clips.
    static func comparedAUCKey(candidate: [String: Double], production: [String: Double]) -> String {
        candidate["seed_auc"] != nil && production["seed_auc"] != nil ? "seed_auc" : "auc"
    }

    /// Per-clip features, logging progress every 10 % of the clips.
    func extractFeatures(_ paths: [String], audio: AudioConfig) throws -> [FeatureMatrix] {
        let extractor = try ClipFeatureExtractor(
            audio: audio, cache: try FeatureCache(directory: workDirectory + "/feature-cache"), jobs: 1, limits: HubStore.clipDecodeLimits)
        let done = Counter()
        let total = paths.count
        let logger = logger
        let name = family.name
        let result = try extractor.features(of: paths) {
            let n = done.increment()
            if n == total || n % max(1, total / 10) == 0 {
                logger.info("retraining.features", metadata: ["model.family": "\(name)", "features.clips": "\(n)/\(total)"])
            }
        }
        return result.matrices
    }

    /// Each clip's mean window score, scored as an agent scores it (clips are agent-supplied: decode limits apply).
    private static func clipScores(_ clips: [AudioClip], model: Model) throws -> [Float] {
        let scorer = try ClipScorer(model: model)
        return try clips.map { try scorer.score(path: $0.path, limits: HubStore.clipDecodeLimits).meanScore }
    }

    /// AUC and pAUC of anomaly scores (truth 0 = abnormal) into `metrics` as `auc`/`pauc`, and over the
    /// clips `fromSeed` marks as `seed_auc`/`seed_pauc`; each when its clips hold both classes.
    private static func addAUC(scores: [Float], truth: [Int], fromSeed: [Bool], threshold: Float, to metrics: inout [String: Double]) {
        func add(_ clips: [Int], prefix: String) {
            guard Set(clips.map { truth[$0] }).count == 2 else { return }
            let evaluation = EvaluationReport(
                labels: ["abnormal", "normal"], truth: clips.map { truth[$0] }, predicted: clips.map { scores[$0] >= threshold ? 0 : 1 },
                classScores: clips.map { [scores[$0], -scores[$0]] })
            if let auc = evaluation.auc { metrics[prefix + "auc"] = auc }
            if let pauc = evaluation.pauc { metrics[prefix + "pauc"] = pauc }
        }
        add(Array(truth.indices), prefix: "")
        add(truth.indices.filter { fromSeed[$0] }, prefix: "seed_")
    }

    static func rows(_ tensor: Tensor) -> [[Float]] {
        let width = tensor.count / max(tensor.batch, 1)
        return (0..<tensor.batch).map { Array(tensor.values[($0 * width)..<(($0 + 1) * width)]) }
    }
}

extension Dictionary {
    fileprivate func mapKeys(_ transform: (Key) -> Key) -> [Key: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}

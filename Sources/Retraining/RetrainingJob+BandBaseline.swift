import Crypto
import Foundation
import Inference
import Training
import Wire

extension RetrainingJob {
    /// Baseline families (`band-baseline`, `resnet-arcface`): relearns every asset's baseline and threshold
    /// from its clean normal clips, quantizes, and gates the candidate on int8 agreement and the labelled
    /// clips. `band-baseline` learns in closed form; `resnet-arcface` first retrains its embedding on all
    /// the normal clips (each asset and seed machine a class, the others its outliers).
    ///
    /// Each asset that sent at least `prediction.minimum_normal_seconds` of clean normal audio gets its
    /// own baseline and threshold, keyed `<site>/<asset id>`; the others, and any seed clips, only shape
    /// the pooled baseline machines without their own fall back to (listed in the report as
    /// `baseline_skipped.<asset>` metrics). There is no held-out split: every threshold is validated out of
    /// fold on its asset's own normal clips, and confirmed anomalies and false alarms are the label gates' job.
    func relearnBaselines(
        _ report: inout RetrainingReport, data: RetrainingDataset, experiment: ExperimentConfig, yaml: String,
        production: (version: UInt64, signedBytes: [UInt8])?, nowMs: Int64, enter: (RetrainingStage) -> Void
    ) throws {
        let clips = data.dataset.clips
        let normal = clips.indices.filter { clips[$0].isNormal }
        report.dataset.trainingClips = normal.count
        guard !normal.isEmpty else { throw Stop.refused("not enough data: no normal clips to learn baselines from") }
        let features = try extractFeatures(normal.map { clips[$0].path }, audio: experiment.audio)

        enter(.training)
        let started = Date()
        let normalClips: [BandBaselineTrainer.NormalClip] = zip(normal, features).map { index, matrix in
            // Stored clips carry "<site>/<asset id>" as their machine id; seed clips their dataset's id.
            let clip = clips[index]
            let machine = clip.machineID.map { $0.contains("/") ? $0 : clip.groups["machine_id"] ?? $0 } ?? "seed"
            return .init(machine: machine, path: clip.path, features: matrix)
        }
        let result: BandBaselineTrainer.Result
        do {
            let trainer: BandBaselineTrainer
            if experiment.architecture.backbone == .resnetArcFace {
                var epochStarted = Date()
                let epochs = family.epochs ?? experiment.training.epochs
                let network = try EmbeddingTrainer(experiment: experiment).train(normalClips, epochs: epochs) { event in
                    guard case .epoch(let e) = event else { return }
                    record(e, of: epochs, seconds: Date().timeIntervalSince(epochStarted), in: &report)
                    epochStarted = Date()
                }
                trainer = try BandBaselineTrainer(experiment: experiment, embedding: network)
            } else {
                trainer = try BandBaselineTrainer(experiment: experiment)
            }
            result = try trainer.train(normalClips, configYAML: yaml, skipMachinesWithTooLittleAudio: true)
        } catch let error as TrainingError {
            throw Stop.refused("\(error)")
        }
        var trained = result.model
        trained.metrics["train.seconds"] = Date().timeIntervalSince(started)
        trained.metrics["train.clips"] = Double(normal.count)
        report.assetThresholds = trained.machineThresholds
        report.candidateMetrics["threshold"] = trained.threshold ?? 0
        report.candidateMetrics["baseline_assets"] = Double(result.machines.count)
        report.candidateMetrics["expected_window_false_alarm_rate"] = result.pooled.windowFalseAlarmRate
        for machine in result.skipped.keys { report.candidateMetrics["baseline_skipped.\(machine)"] = 1 }
        logger.info(
            "retraining.baselines",
            metadata: [
                "model.family": "\(family.name)", "baseline.assets": "\(result.machines.count)",
                "baseline.skipped": "\(result.skipped.keys.sorted().joined(separator: ","))",
            ])

        enter(.evaluation)
        let hubKey = try SigningKeyFile.privateKey(path: family.signingKeyPath)
        let productionModel = try production.map {
            try Model(loading: $0.signedBytes, verifying: ArtifactVerifier(trusting: [hubKey.publicKey]))
        }

        enter(.quantization)
        let (inputs, _) = experiment.audio.modelInputs(features)
        let rows = Self.rows(inputs)
        let artifact = try quantizedCandidate(
            trained, rows: rows, version: report.candidateVersion, parentVersion: production?.version ?? 0, data: data, nowMs: nowMs)
        let int8 = try Model(artifact: artifact)
        // Every normal window (up to 4,096, evenly spaced): the baseline's own windows are the only ones it has.
        let parityRows = stride(from: 0, to: rows.count, by: max(1, rows.count / 4_096)).prefix(4_096).map { rows[$0] }
        let parity = Self.parity(
            trained, network: try Network(graph: trained.graph, seed: 0), int8: int8, rows: parityRows, report: &report)

        enter(.gates)
        report.gates = gates(candidate: report.candidateMetrics, production: nil).filter { $0.name != "max_auc_drop" }
        let labels = try LabelGates(gates: family.gates).evaluate(candidate: int8, production: productionModel, data: data)
        report.gates += labels.gates
        report.assets = labels.assets
        report.failingClips = labels.failingClips
        let failed = report.gates.filter { !$0.passed }
        if !failed.isEmpty {
            throw Stop.rejected(
                failed.map(\.detail).joined(separator: "; ")
                    + (labels.failingClips.isEmpty ? "" : "; failing clips: " + labels.failingClips.prefix(5).joined(separator: "; ")))
        }

        enter(.signing)
        var signedArtifact = artifact
        signedArtifact.metrics.merge(report.candidateMetrics.filter { !$0.key.hasPrefix("baseline_skipped.") }) { $1 }
        signedArtifact.metrics["int8.float_agreement"] = parity.verdictAgreement
        try signAndRegister(signedArtifact, report: &report, data: data, production: production, hubKey: hubKey, enter: enter)
    }
}

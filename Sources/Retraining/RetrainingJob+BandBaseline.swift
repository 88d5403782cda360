import Crypto
import Foundation
import Inference
import Training
import Wire

extension RetrainingJob {
    /// Band-baseline families: relearns every asset's baseline and threshold from its clean normal clips
    /// (no SGD), quantizes, and gates the candidate on int8 agreement and the labelled clips.
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
        let trainer = try BandBaselineTrainer(experiment: experiment)
        let result: BandBaselineTrainer.Result
        do {
            result = try trainer.train(
                zip(normal, features).map { index, matrix in
                    // Stored clips carry "<site>/<asset id>" as their machine id; seed clips their dataset's id.
                    let clip = clips[index]
                    let machine = clip.machineID.map { $0.contains("/") ? $0 : clip.groups["machine_id"] ?? $0 } ?? "seed"
                    return .init(machine: machine, path: clip.path, features: matrix)
                }, configYAML: yaml, skipMachinesWithTooLittleAudio: true)
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
        let step = max(1, rows.count / 512)
        let calibration = stride(from: 0, to: rows.count, by: step).prefix(512).map { rows[$0] }
        let graph = try Quantizer().quantize(trained.graph, calibration: calibration)
        let artifact = try ModelArtifactBuilder.artifact(
            model: trained, graph: graph, family: family.name, version: report.candidateVersion, parentVersion: production?.version ?? 0,
            datasetFingerprint: data.fingerprint, createdAt: Date(timeIntervalSince1970: Double(nowMs) / 1_000))
        let int8 = try Model(artifact: artifact)
        let network = try Network(graph: trained.graph, seed: 0)
        let parityRows = Array(calibration.prefix(4_096))
        let parity = QuantizationParity(
            task: trained.task, inputs: parityRows,
            floatOutputs: Self.rows(
                network.predict(Tensor(shape: [parityRows.count] + network.inputShape, values: parityRows.flatMap { $0 }))),
            int8Outputs: parityRows.map { int8.infer(int8.standardizing($0)) }, truth: nil, threshold: trained.threshold ?? 0,
            baseline: trained.baseline)
        report.candidateMetrics["int8_agreement"] = parity.verdictAgreement
        report.candidateMetrics["int8_max_score_difference"] = parity.maxScoreDifference
        report.candidateMetrics["int8_windows"] = Double(parity.windows)

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

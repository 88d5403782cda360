import AudioIO
import Crypto
import Foundation
import Inference
import MachineSounds
import Training
import Wire

/// Small but real int8 artifacts for tests: a shipped config's network (seeded weights, untrained),
/// quantized by the real `Quantizer` on features of synthetic clips, packaged by `ModelArtifactBuilder`
/// and signed with a given key. The scores mean nothing; the pipeline they exercise is the production one.
public enum ModelFixtures {
    /// The repository's `configs/` directory.
    public static let configsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("configs").path

    /// The artifact for `configs/<config>`.
    /// - Parameters:
    ///   - calibrationClips: mono synthetic fan clips written to `directory` and used for calibration.
    ///   - threshold: the decision threshold; nil puts it at the median score of the calibration windows for
    ///     anomaly models (so both outcomes occur) and at 0.5 for classifiers.
    public static func artifact(
        config name: String, family: String, version: UInt64, directory: String, seed: UInt64 = 1, threshold: Double? = nil
    ) throws -> Earshot_V1_ModelArtifact {
        let configPath = configsDirectory + "/" + name
        let config = try ExperimentConfig(contentsOf: configPath)
        let yaml = try String(contentsOfFile: configPath, encoding: .utf8)
        let paths = try synthesizeClips(sampleRate: config.audio.sampleRate, seconds: config.audio.trainingChunkSeconds, into: directory)
        let extractor = try ClipFeatureExtractor(audio: config.audio, cache: nil, jobs: 1)
        let (inputs, _) = config.audio.modelInputs(try extractor.features(of: paths).matrices)
        let width = inputs.count / inputs.batch
        let rows = (0..<inputs.batch).map { Array(inputs.values[$0 * width..<($0 + 1) * width]) }
        let network = try Network(graph: config.modelGraph(trainingRows: inputs), seed: seed)
        if config.architecture.backbone == .bandBaseline {
            // The baseline of the fixture's windows themselves (normal and faulty alike), spreads floored at 1 dB.
            let levels = network.predict(inputs)
            let bands = levels.count / levels.batch
            let baseline = BandBaseline(
                levels: (0..<levels.batch).map { Array(levels.values[$0 * bands..<($0 + 1) * bands]) }, spreadFloor: 1)
            let trained = TrainedModel(
                task: .bandDeviation, labels: config.dataset.labels, configYAML: yaml, graph: network.exportGraph(),
                threshold: threshold ?? 3, metrics: [:], baseline: baseline, createdAt: Date(timeIntervalSince1970: 1_700_000_000))
            let graph = try Quantizer().quantize(trained.graph, calibration: rows)
            return try ModelArtifactBuilder.artifact(
                model: trained, graph: graph, family: family, version: version, createdAt: trained.createdAt)
        }
        let task: ModelTask =
            config.architecture.backbone == .denseAutoencoder ? .anomalyScore : (config.dataset.labels.count == 2 ? .binary : .multiclass)
        var decision = threshold
        if decision == nil, task == .anomalyScore {
            let errors = AnomalyScoring.reconstructionErrors(network: network, inputs: inputs.reshaped([inputs.batch, width]))
            decision = Double(errors.sorted()[errors.count / 2])
        }
        let trained = TrainedModel(
            task: task, labels: config.dataset.labels, configYAML: yaml, graph: network.exportGraph(), threshold: decision ?? 0.5,
            metrics: [:], createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        let graph = try Quantizer().quantize(trained.graph, calibration: Array(rows.prefix(256)))
        return try ModelArtifactBuilder.artifact(
            model: trained, graph: graph, family: family, version: version, createdAt: trained.createdAt)
    }

    /// `artifact` signed with `key`.
    public static func signed(_ artifact: Earshot_V1_ModelArtifact, key: Curve25519.Signing.PrivateKey) throws -> [UInt8] {
        try ModelArtifactBuilder.sign(artifact, with: key)
    }

    /// One normal and one anomalous mono fan clip (id 0, 6 dB) as 16-bit WAV files in `directory`.
    public static func synthesizeClips(sampleRate: Int, seconds: Double, into directory: String) throws -> [String] {
        let settings = SynthesisSettings(sampleRate: sampleRate, seconds: seconds, channels: 1, snrDB: 6)
        let synthesizer = ClipSynthesizer(machine: .fan, id: 0, settings: settings)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try [MachineCondition.normal, .faulty(.bearingWear, severity: 1)].enumerated().map { index, condition in
            let path = directory + "/fixture-\(sampleRate)-\(index).wav"
            let clip = synthesizer.render(condition: condition, seed: UInt64(7 + index))
            try AudioFileWriter.write(clip.mixture, to: path, container: .wav)
            return path
        }
    }
}

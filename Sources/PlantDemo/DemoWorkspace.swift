import AudioIO
import Foundation
import MachineSounds

/// The demo's directory and everything written into it: keys, synthetic datasets, each machine's
/// audio, the broker, hub and agent configs, databases and logs.
///
/// Layout under ``root``:
/// `keys/` (signing key pair), `data/<type>/` (training sets, DCASE layout), `audio/<agent>/<asset>/` (what each agent reads, looped),
/// `faults/` (the abnormal clips swapped in when a machine develops a fault), `models/`,
/// `agents/<agent>/` (spool and installed models), `hub.sqlite`, `clips/`, `logs/`, and the configs.
struct DemoWorkspace {
    let root: URL
    /// Marks a directory the demo created, so it only ever deletes its own.
    private static let marker = ".earshot-demo"

    /// Empties `root` (or creates it). Refuses a non-empty directory the demo did not create.
    init(root: URL) throws {
        self.root = root
        let files = FileManager.default
        if let existing = try? files.contentsOfDirectory(atPath: root.path), !existing.isEmpty {
            guard existing.contains(Self.marker) else {
                throw DemoError("\(root.path) exists and was not made by `earshot demo`; choose another --dir")
            }
            try files.removeItem(at: root)
        }
        for directory in ["keys", "data", "audio", "faults", "models", "agents", "clips", "logs"] {
            try files.createDirectory(at: root.appendingPathComponent(directory), withIntermediateDirectories: true)
        }
        try Data().write(to: root.appendingPathComponent(Self.marker))
    }

    func path(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    var signingKey: URL { path("keys/signing.key") }
    var publicKey: URL { path("keys/signing.pub") }
    var experiment: URL { path("experiment.yaml") }
    /// The real machines' band-baseline config (configs/anomaly.yaml).
    var baselineExperiment: URL { path("experiment-baseline.yaml") }
    /// The real machines' training set: a manifest naming each asset as `<site>/<asset id>`.
    var realManifest: URL { trainingSet("mimii").appendingPathComponent("manifest.csv") }
    /// The family's config: the band baseline for the real machines, the autoencoder for the rest.
    func experiment(of family: String) -> URL { family == DemoFleet.realFamily ? baselineExperiment : experiment }
    var database: URL { path("hub.sqlite") }
    var hubConfig: URL { path("hub.yaml") }
    func log(_ name: String) -> URL { path("logs/\(name).log") }
    func trainingSet(_ machineType: String) -> URL { path("data/\(machineType)") }
    func signedModel(family: String, version: Int) -> URL { path("models/\(family)-v\(version).signed") }
    func agentConfig(_ agent: DemoFleet.Agent) -> URL { path("agents/\(agent.id).yaml") }

    /// The DCASE 2020 autoencoder (configs/dcase-autoencoder.yaml) with 2 s windows, so machines get a
    /// verdict every second and a fault shows within seconds.
    func writeExperiment(epochs: Int) throws {
        try """
        # earshot demo: the DCASE 2020 Task 2 baseline autoencoder on 2 s windows (see configs/dcase-autoencoder.yaml).
        experiment_name: demo_autoencoder
        architecture: {backbone: dense-autoencoder, pretrained: false}
        audio:
          feature: dcase-frames
          audio_parameters: Manual
          sample_rate: 16000
          stft_window_size: 1024
          hop_size: 512
          mel_frequency_bins: 128
          minimum_frequency: 0
          maximum_frequency: 8000
          spectrogram_normalization: 'No'
          training_chunk_seconds: 2
          frames: 5
        dataset: {labels: [normal], validation_size: 0.2, test_size: 0.0, validation_strategy: stratified}
        training:
          batch_size: 512
          drop_last_batch: false
          epochs: \(epochs)
          learning_rate: 0.001
          optimizer: Adam
          schedule: Constant
          loss_function: MSE
          seed: 0
        prediction: {inference_chunk_method: Fix, inference_chunk_seconds: 2, metric: AUC, threshold_percentile: 99}

        """.write(to: experiment, atomically: true, encoding: .utf8)
    }

    /// configs/anomaly.yaml: each real machine's octave-band baseline, 1 s windows (a verdict every second).
    func writeBaselineExperiment() throws {
        try """
        # earshot demo: each real machine's normal sound as octave-band levels (see configs/anomaly.yaml).
        experiment_name: demo_band_baseline
        architecture: {backbone: band-baseline, pretrained: false}
        audio:
          feature: logmel
          audio_parameters: Manual
          sample_rate: 16000
          stft_window_size: 1024
          hop_size: 512
          mel_frequency_bins: 64
          minimum_frequency: 0
          maximum_frequency: 8000
          spectrogram_normalization: 'No'
          training_chunk_seconds: 1
        dataset: {labels: [normal], validation_size: 0.0, test_size: 0.0, validation_strategy: stratified}
        training: {loss_function: MSE}
        prediction:
          inference_chunk_method: Fix
          inference_chunk_seconds: 1
          metric: AUC
          threshold_percentile: 99
          spread_floor_db: 1.0
          minimum_normal_seconds: 10

        """.write(to: baselineExperiment, atomically: true, encoding: .utf8)
    }

    /// A loopback-only broker without persistence (the agents' spools and the hub's acks carry delivery).
    func writeBrokerConfig(port: Int) throws -> URL {
        let config = path("mosquitto.conf")
        try """
        # earshot demo: loopback only, anonymous, no persistence.
        listener \(port) 127.0.0.1
        allow_anonymous true
        persistence false
        max_packet_size 16777216

        """.write(to: config, atomically: true, encoding: .utf8)
        return config
    }

    /// The hub: SQLite in the demo directory, dashboard on loopback, retraining of `retrained` (family →
    /// the machine type whose training set seeds it) on the clips agents send plus that training set,
    /// and short rollout soaks. Data hygiene's guard is `guardSeconds` (the demo compresses hours into
    /// seconds); the label gates keep their strict defaults. `max_auc_drop` is 0.2: the demo's autoencoders
    /// train for 40 epochs, and the training seed alone moves the fan autoencoder's AUC on its 60 held-out
    /// seed clips between 0.67 and 0.86, so a tighter gate would reject candidates at random.
    func writeHubConfig(
        brokerPort: Int, httpPort: Int, token: String, epochs: Int, soakSeconds: Int, retrained: [(family: String, machineType: String)],
        guardSeconds: Int
    ) throws {
        let families = retrained.map { family, machineType in
            """
                \(family):
                  config: \(experiment(of: family).path)
                  signing_key: \(signingKey.path)
                  seed_dataset: \(family == DemoFleet.realFamily ? realManifest.path : trainingSet(machineType).path)
                  min_clips: 10
                  epochs: \(epochs)
                  hygiene: {guard_seconds: \(guardSeconds)}
                  gates: {max_auc_drop: 0.2, min_int8_agreement: 0.9}   # 40-epoch autoencoders: seeds alone spread AUC by 0.2
            """
        }.joined(separator: "\n")
        try """
        hub_id: demo-hub
        broker: {port: \(brokerPort), client_id: earshot-demo-hub}
        storage: {database: \(database.path), clip_dir: \(path("clips").path)}
        http: {bind: 127.0.0.1, port: \(httpPort), token: \(token)}
        rollout:
          tick_ms: 500
          install_timeout_s: 120
          defaults:
            stages: "34,100"
            soak: \(soakSeconds)s
            min_install_success: 0.95
            max_anomaly_rate_delta: 1.0   # off: the demo's faulty machines are faulty on purpose, and a canary holding one differs from any control
            min_canary_verdicts: 5
        retraining:
          work_dir: \(path("retraining").path)
          families:
        \(families)

        """.write(to: hubConfig, atomically: true, encoding: .utf8)
    }

    /// One agent: its assets looping their audio directories in real time, v1 of each family installed
    /// at first start, one verdict per second per machine. Commissioning: every machine is in a learning
    /// period for `learningSeconds` and sends a clip of every normal window, so the hub hears every
    /// part of its looped recording and learns each machine's own normal sound; afterwards almost a
    /// third of the normal windows, and every anomalous one.
    func writeAgentConfig(_ agent: DemoFleet.Agent, brokerPort: Int, learningSeconds: Int) throws {
        let assets = agent.assets.map { asset in
            """
              - {id: \(asset.id), machine_type: \(asset.machineType), model_family: \(asset.family), \
            input: {path: "\(audioDirectory(agent, asset).path)", loop: true, pace: realtime}, \
            learning: {seconds: \(learningSeconds), normal_sample_probability: 1}}
            """
        }.joined(separator: "\n")
        let families = Set(agent.assets.map(\.family)).sorted()
        let initial = families.map { "\($0): \(signedModel(family: $0, version: 1).path)" }.joined(separator: ", ")
        try """
        agent: {id: \(agent.id), site: \(agent.site), line: \(agent.line)}
        assets:
        \(assets)
        broker: {port: \(brokerPort)}
        models:
          directory: \(path("agents/\(agent.id)/models").path)
          hub_public_keys: [\(publicKey.path)]
          initial: {\(initial)}
        window: {hop_seconds: 1}
        alarm: {warning_k: 3, warning_n: 5, alarm_after_windows: 5}
        clips: {max_per_asset_per_hour: 600, normal_sample_probability: 0.3, seconds: 2}
        batching: {max_verdicts: 50, interval_ms: 1000}
        spool: {path: \(path("agents/\(agent.id)/spool.sqlite").path)}
        status: {interval_s: 5}
        logging: {level: info}

        """.write(to: agentConfig(agent), atomically: true, encoding: .utf8)
    }

    /// The directory an asset's agent loops over.
    func audioDirectory(_ agent: DemoFleet.Agent, _ asset: DemoFleet.Asset) -> URL { path("audio/\(agent.id)/\(asset.id)") }

    private func faultClip(_ agent: DemoFleet.Agent, _ asset: DemoFleet.Asset) -> URL { path("faults/\(agent.id)-\(asset.id).wav") }

    /// Gives every machine its normal clip and every faulty machine its abnormal one: rendered by
    /// `MachineSounds` (the training set's machine, 10 s, mono, `snrDB`), the fault at severity 1
    /// with the same seed so only the fault differs; or, for machines with a `realID`, the MIMII
    /// recordings under `realData`.
    func installAudio(for fleet: DemoFleet, realData: URL, snrDB: Double) throws {
        let settings = SynthesisSettings(sampleRate: 16_000, seconds: 10, channels: 1, snrDB: snrDB)
        for (agent, asset) in fleet.assets {
            let directory = audioDirectory(agent, asset)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let clip = directory.appendingPathComponent("clip.wav")
            if asset.realID != nil {
                let (normal, abnormal) = realRecordings(asset, realData: realData)
                try FileManager.default.copyItem(at: normal, to: clip)
                try FileManager.default.copyItem(at: abnormal, to: faultClip(agent, asset))
                continue
            }
            let machine = try Self.machineType(asset.machineType)
            let synthesizer = ClipSynthesizer(machine: machine, id: 0, settings: settings)
            try AudioFileWriter.write(synthesizer.render(condition: .normal, seed: asset.seed).mixture, to: clip.path, container: .wav)
            if let fault = asset.fault {
                let faulty = synthesizer.render(condition: .faulty(fault, severity: 1), seed: asset.seed)
                try AudioFileWriter.write(faulty.mixture, to: faultClip(agent, asset).path, container: .wav)
            }
        }
    }

    /// The training set of ``DemoFleet/realFamily``: each real machine's normal recording (learned from)
    /// and its abnormal one (judged), mixed down to mono as agents take them, listed in ``realManifest``
    /// with the machine named `<site>/<asset id>` (columns `machine_type` = site, `machine_id` = asset), the
    /// key its baseline and threshold are stored under and its agent looks them up by.
    func writeRealTrainingSet(for fleet: DemoFleet, realData: URL) throws {
        let set = trainingSet("mimii")
        var rows = ["audio,label,condition,split,machine_type,machine_id"]
        for role in ["train", "test"] {
            try FileManager.default.createDirectory(at: set.appendingPathComponent(role), withIntermediateDirectories: true)
        }
        for (agent, asset) in fleet.assets where asset.realID != nil {
            let (normal, abnormal) = realRecordings(asset, realData: realData)
            for (recording, condition, role) in [(normal, "normal", "train"), (abnormal, "abnormal", "test")] {
                let audio = try AudioFileReader.read(path: recording.path)
                let file = set.appendingPathComponent("\(role)/\(agent.site)-\(asset.id)-\(condition).wav")
                try AudioFileWriter.write(
                    AudioBuffer(sampleRate: audio.sampleRate, mono: audio.mixedDown()), to: file.path, container: .wav)
                rows.append("\(file.path),normal,\(condition),\(role),\(agent.site),\(asset.id)")
            }
        }
        try (rows.joined(separator: "\n") + "\n").write(to: realManifest, atomically: true, encoding: .utf8)
    }

    /// Swaps a faulty machine's abnormal clip in; its agent picks it up at the next pass over the directory.
    func injectFault(_ agent: DemoFleet.Agent, _ asset: DemoFleet.Asset) throws {
        let target = audioDirectory(agent, asset).appendingPathComponent("clip.wav")
        guard rename(faultClip(agent, asset).path, target.path) == 0 else {
            throw DemoError("cannot swap in the fault clip of \(asset.id): \(String(cString: strerror(errno)))")
        }
    }

    private func realRecordings(_ asset: DemoFleet.Asset, realData: URL) -> (normal: URL, abnormal: URL) {
        let base = realData.appendingPathComponent("mimii/0_dB_\(asset.machineType)/\(asset.machineType)/id_\(asset.realID ?? "00")")
        return (base.appendingPathComponent("normal/00000000.wav"), base.appendingPathComponent("abnormal/00000000.wav"))
    }

    private static func machineType(_ name: String) throws -> MachineType {
        guard let machine = MachineType(rawValue: name) else { throw DemoError("unknown machine type \(name)") }
        return machine
    }
}

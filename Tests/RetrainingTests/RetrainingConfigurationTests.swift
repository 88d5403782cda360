import HubRuntime
import Testing

/// `retraining.*` in hub.yaml: every key read, unknown keys and bad values refused with their path.
@Suite struct RetrainingConfigurationTests {
    static let base = """
        storage: {database: /tmp/hub.sqlite, clip_dir: /tmp/clips}
        http: {token: t}

        """

    @Test func everyKeyIsRead() throws {
        let config = try HubConfiguration.parse(
            yaml: Self.base + """
                retraining:
                  work_dir: /var/lib/earshot/retraining
                  families:
                    fan-ae:
                      config: configs/dcase-autoencoder.yaml
                      signing_key: keys/signing.key
                      schedule: 6h
                      clip_window_days: 14
                      use_labels: false
                      seed_dataset: /data/dcase/fan
                      machine_types: [fan]
                      min_clips: 200
                      min_anomalies: 5
                      epochs: 30
                      gates: {max_auc_drop: 0.01, min_int8_agreement: 0.98}
                    pump-cnn:
                      config: configs/mfcc-cnn1d.yaml
                      signing_key: keys/signing.key
                      schedule: "30 3 * * 1-5"
                """)
        #expect(config.retraining.workDirectory == "/var/lib/earshot/retraining")
        let fan = try #require(config.retraining.families["fan-ae"])
        #expect(fan.configPath == "configs/dcase-autoencoder.yaml" && fan.signingKeyPath == "keys/signing.key")
        #expect(fan.schedule == .interval(seconds: 21_600))
        #expect(fan.clipWindowDays == 14 && !fan.useLabels && fan.seedDatasetPath == "/data/dcase/fan" && fan.machineTypes == ["fan"])
        #expect(fan.minClips == 200 && fan.minAnomalies == 5 && fan.epochs == 30)
        #expect(fan.gates.maxAUCDrop == 0.01 && fan.gates.minInt8Agreement == 0.98)
        let pump = try #require(config.retraining.families["pump-cnn"])
        #expect(pump.schedule?.description == "30 3 * * 1-5")
        #expect(pump.useLabels && pump.minClips == 100 && pump.gates == RetrainingConfiguration.Gates())
        #expect(try HubConfiguration.parse(yaml: Self.base).retraining.families.isEmpty)
    }

    @Test(arguments: [
        ("retraining: {familes: {}}", HubConfigurationError.unknownKey(path: "retraining.familes")),
        (
            "retraining: {families: {fan-ae: {config: c.yaml, signing_key: k, gates: {max_auc_dro: 0.1}}}}",
            .unknownKey(path: "retraining.families.fan-ae.gates.max_auc_dro")
        ),
        (
            "retraining: {families: {fan-ae: {config: c.yaml, signing_key: k, epoch: 3}}}",
            .unknownKey(path: "retraining.families.fan-ae.epoch")
        ),
        ("retraining: {families: {fan-ae: {signing_key: k}}}", .missingKey(path: "retraining.families.fan-ae.config")),
        ("retraining: {families: {fan-ae: {config: c.yaml}}}", .missingKey(path: "retraining.families.fan-ae.signing_key")),
    ])
    func unknownAndMissingKeysNameTheirPath(yaml: String, expected: HubConfigurationError) {
        #expect(throws: expected) { try HubConfiguration.parse(yaml: Self.base + yaml) }
    }

    @Test(arguments: [
        ("schedule: every day", "retraining.families.fan-ae.schedule"),
        ("schedule: '61 * * * *'", "retraining.families.fan-ae.schedule"),
        ("min_clips: 0", "retraining.families.fan-ae.min_clips"),
        ("use_labels: yes please", "retraining.families.fan-ae.use_labels"),
        ("gates: {min_int8_agreement: 1.5}", "retraining.families.fan-ae.gates.min_int8_agreement"),
        ("machine_types: fan", "retraining.families.fan-ae.machine_types"),
    ])
    func badValuesNameTheirPath(line: String, path: String) throws {
        let yaml = Self.base + "retraining: {families: {fan-ae: {config: c.yaml, signing_key: k, \(line)}}}"
        let error = try #require(throws: HubConfigurationError.self) { try HubConfiguration.parse(yaml: yaml) }
        guard case .invalidValue(let got, _) = error else {
            Issue.record("expected invalidValue, got \(error)")
            return
        }
        #expect(got == path)
    }
}

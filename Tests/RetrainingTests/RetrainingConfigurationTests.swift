import ConfigSchema
import HubCore
import Retraining
import Scoring
import Testing

/// `retraining.*` in hub.yaml: every key read, unknown keys and bad values refused with their path.
@Suite struct RetrainingConfigurationTests {
    static let base = """
        storage: {database: /tmp/hub.sqlite, clip_dir: /tmp/clips}
        http: {token: t}

        """

    @Test func everyKeyIsRead() throws {
        let (_, retraining) = try HubConfiguration.parse(
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
                      per_asset_thresholds: false
                      asset_threshold_margin: 0.1
                      gates:
                        max_auc_drop: 0.01
                        min_int8_agreement: 0.98
                        min_confirmed_recall: 0.9
                        max_lost_confirmed: 2
                        max_false_alarm_rate: 0.2
                        max_new_false_alarms: 3
                        max_asset_false_alarm_rate: 0.02
                        min_asset_clips: 8
                        alarm_policy: {warning_k: 2, warning_n: 4, alarm_after_windows: 3}
                      hygiene: {guard_seconds: 120, max_score_ratio: 0.7}
                    pump-cnn:
                      config: configs/mfcc-cnn1d.yaml
                      signing_key: keys/signing.key
                      schedule: "30 3 * * 1-5"
                """, with: RetrainingConfiguration.self)
        #expect(retraining.workDirectory == "/var/lib/earshot/retraining")
        let fan = try #require(retraining.families["fan-ae"])
        #expect(fan.configPath == "configs/dcase-autoencoder.yaml" && fan.signingKeyPath == "keys/signing.key")
        #expect(fan.schedule == .interval(seconds: 21_600))
        #expect(fan.clipWindowDays == 14 && !fan.useLabels && fan.seedDatasetPath == "/data/dcase/fan" && fan.machineTypes == ["fan"])
        #expect(fan.minClips == 200 && fan.minAnomalies == 5 && fan.epochs == 30)
        #expect(fan.gates.maxAUCDrop == 0.01 && fan.gates.minInt8Agreement == 0.98)
        #expect(!fan.perAssetThresholds && fan.assetThresholdMargin == 0.1)
        #expect(fan.gates.minConfirmedRecall == 0.9 && fan.gates.maxLostConfirmed == 2)
        #expect(fan.gates.maxFalseAlarmRate == 0.2 && fan.gates.maxNewFalseAlarms == 3)
        #expect(fan.gates.maxAssetFalseAlarmRate == 0.02 && fan.gates.minAssetClips == 8)
        #expect(fan.gates.alarmPolicy == AlarmPolicy(warningK: 2, warningN: 4, alarmAfterWindows: 3))
        #expect(fan.hygiene.guardSeconds == 120 && fan.hygiene.maxScoreRatio == 0.7)
        let pump = try #require(retraining.families["pump-cnn"])
        #expect(pump.schedule?.description == "30 3 * * 1-5")
        #expect(pump.useLabels && pump.minClips == 100 && pump.gates == RetrainingConfiguration.Gates())
        #expect(pump.hygiene == RetrainingConfiguration.Hygiene() && pump.perAssetThresholds)
        #expect(pump.gates.minConfirmedRecall == 1 && pump.gates.maxLostConfirmed == 0 && pump.gates.maxFalseAlarmRate == 0)
        #expect(try HubConfiguration.parse(yaml: Self.base, with: RetrainingConfiguration.self).1.families.isEmpty)
    }

    /// The core alone does not know `retraining:`: the file stays strict unless retraining declares its section.
    @Test func theSectionIsUnknownToTheCoreAlone() {
        #expect(throws: ConfigError.unknownKey(path: "retraining")) {
            try HubConfiguration.parse(yaml: Self.base + "retraining: {families: {}}")
        }
        #expect(throws: ConfigError.unknownKey(path: "retrainin")) {
            try HubConfiguration.parse(yaml: Self.base + "retrainin: {families: {}}", with: RetrainingConfiguration.self)
        }
    }

    @Test(arguments: [
        ("retraining: {familes: {}}", ConfigError.unknownKey(path: "retraining.familes")),
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
    func unknownAndMissingKeysNameTheirPath(yaml: String, expected: ConfigError) {
        #expect(throws: expected) { try HubConfiguration.parse(yaml: Self.base + yaml, with: RetrainingConfiguration.self) }
    }

    @Test(arguments: [
        ("schedule: every day", "retraining.families.fan-ae.schedule"),
        ("schedule: 9223372036854775807d", "retraining.families.fan-ae.schedule"),
        ("schedule: '61 * * * *'", "retraining.families.fan-ae.schedule"),
        ("min_clips: 0", "retraining.families.fan-ae.min_clips"),
        ("use_labels: yes please", "retraining.families.fan-ae.use_labels"),
        ("gates: {min_int8_agreement: 1.5}", "retraining.families.fan-ae.gates.min_int8_agreement"),
        ("machine_types: fan", "retraining.families.fan-ae.machine_types"),
        ("gates: {min_confirmed_recall: -0.1}", "retraining.families.fan-ae.gates.min_confirmed_recall"),
        ("gates: {max_lost_confirmed: -1}", "retraining.families.fan-ae.gates.max_lost_confirmed"),
        ("gates: {alarm_policy: {warning_k: 6, warning_n: 5}}", "retraining.families.fan-ae.gates.alarm_policy.warning_k"),
        ("hygiene: {max_score_ratio: 1.5}", "retraining.families.fan-ae.hygiene.max_score_ratio"),
        ("asset_threshold_margin: -1", "retraining.families.fan-ae.asset_threshold_margin"),
    ])
    func badValuesNameTheirPath(line: String, path: String) throws {
        let yaml = Self.base + "retraining: {families: {fan-ae: {config: c.yaml, signing_key: k, \(line)}}}"
        let error = try #require(throws: ConfigError.self) {
            try HubConfiguration.parse(yaml: yaml, with: RetrainingConfiguration.self)
        }
        guard case .invalidValue(let got, _) = error else {
            Issue.record("expected invalidValue, got \(error)")
            return
        }
        #expect(got == path)
    }
}

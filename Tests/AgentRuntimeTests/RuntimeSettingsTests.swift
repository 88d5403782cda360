import AgentRuntime
import ConfigSchema
import Testing
import Wire

@Suite struct RuntimeSettingsTests {
    private static let configuration = try! AgentConfiguration(
        yaml: """
            agent: {id: agent-1, site: plant-a, line: line-1}
            assets:
              - {id: fan-01, machine_type: fan, model_family: fan-ae, input: {path: /data/fan-01}}
            models: {hub_public_keys: [/etc/earshot/hub.pub]}
            clips: {seconds: 4}
            alarm: {warning_k: 2, warning_n: 4}
            """)

    /// The path the refusal names, or nil when `desired` was accepted.
    private func refusedPath(_ fill: (inout Earshot_V1_AgentSettings) -> Void) -> String? {
        var desired = Earshot_V1_AgentSettings()
        fill(&desired)
        do {
            _ = try RuntimeSettings(configuration: Self.configuration, desired: desired)
            return nil
        } catch {
            return error.keyPath
        }
    }

    @Test func validSettingsOverlayTheConfiguration() throws {
        var desired = Earshot_V1_AgentSettings()
        desired.clipPolicy.clipSeconds = 7.5
        desired.alarmPolicy.warningN = 10
        desired.verdictBatchMax = 20
        let settings = try RuntimeSettings(configuration: Self.configuration, desired: desired)
        #expect(settings.clips.seconds == 7.5)
        #expect(settings.alarm.warningK == 2 && settings.alarm.warningN == 10)
        #expect(settings.batching.maxVerdicts == 20)
        #expect(settings.batching.intervalMs == Self.configuration.batching.intervalMs)
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity, 0, 0.05, 601])
    func clipSecondsOutsideTheConfigRangeAreRefused(seconds: Float) {
        #expect(refusedPath { $0.clipPolicy.clipSeconds = seconds } == "desired.settings.clip_policy.clip_seconds")
    }

    @Test func eachFieldIsRangeCheckedLikeTheConfigFile() {
        #expect(refusedPath { $0.clipPolicy.normalSampleProbability = .nan } == "desired.settings.clip_policy.normal_sample_probability")
        #expect(refusedPath { $0.clipPolicy.normalSampleProbability = 1.5 } == "desired.settings.clip_policy.normal_sample_probability")
        #expect(refusedPath { $0.clipPolicy.maxClipsPerHour = 3_601 } == "desired.settings.clip_policy.max_clips_per_hour")
        #expect(refusedPath { $0.alarmPolicy.warningN = .max } == "desired.settings.alarm_policy.warning_n")
        #expect(refusedPath { $0.alarmPolicy.warningK = 0 } == "desired.settings.alarm_policy.warning_k")
        #expect(refusedPath { $0.alarmPolicy.warningK = 5 } == "desired.settings.alarm_policy.warning_k")  // above warning_n (4)
        #expect(refusedPath { $0.alarmPolicy.alarmAfterWindows = 1_000_001 } == "desired.settings.alarm_policy.alarm_after_windows")
        #expect(refusedPath { $0.verdictBatchMax = 0 } == "desired.settings.verdict_batch_max")
        #expect(refusedPath { $0.verdictBatchIntervalMs = .max } == "desired.settings.verdict_batch_interval_ms")
    }

    @Test func theConfigFileRefusesTheSameValues() {
        let base = """
            agent: {id: agent-1, site: plant-a, line: line-1}
            assets:
              - {id: fan-01, machine_type: fan, model_family: fan-ae, input: {path: /data/fan-01}}
            models: {hub_public_keys: [/etc/earshot/hub.pub]}

            """
        for (yaml, path) in [
            ("clips: {seconds: .nan}", "clips.seconds"), ("alarm: {warning_n: 4294967295}", "alarm.warning_n"),
            ("batching: {max_verdicts: 0}", "batching.max_verdicts"),
        ] {
            #expect(throws: ConfigError.self) { try AgentConfiguration(yaml: base + yaml) }
            do {
                _ = try AgentConfiguration(yaml: base + yaml)
            } catch {
                #expect(error.keyPath == path)
            }
        }
    }
}

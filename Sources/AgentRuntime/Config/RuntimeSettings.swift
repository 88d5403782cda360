import ConfigSchema
import Scoring
import Wire

/// The settings an agent runs with: its configuration's `alarm.*`, `clips.*` and `batching.*`,
/// overlaid with the hub's `desired.settings` (each field the hub sets replaces the file's).
///
/// Every field from the hub goes through the same range check as the config file
/// (`ConfigNode.checked` with the ranges on `AgentConfiguration.Alarm`, `.Clips` and `.Batching`),
/// so a retained desired state cannot set what the file could not. `Sendable`: a value.
public struct RuntimeSettings: Sendable, Equatable {
    /// The alarm rule.
    public var alarm: AgentConfiguration.Alarm
    /// Which clips are uploaded.
    public var clips: AgentConfiguration.Clips
    /// Verdict batching.
    public var batching: AgentConfiguration.Batching

    /// The configuration's own settings.
    public init(configuration: AgentConfiguration) {
        alarm = configuration.alarm
        clips = configuration.clips
        batching = configuration.batching
    }

    /// The configuration's settings overlaid with the hub's: all of `desired` or nothing.
    ///
    /// `status_interval_s`, `spool_max_bytes` and `spool_max_age_s` are not applied by this agent
    /// (they stay as configured) and are therefore not checked.
    /// - Throws: `ConfigError.invalidValue` naming `desired.settings.<field>` for the first value out
    ///   of its config-file range (NaN and ±∞ included), or a `warning_k` above `warning_n`.
    public init(configuration: AgentConfiguration, desired: Earshot_V1_AgentSettings) throws(ConfigError) {
        self.init(configuration: configuration)
        if desired.hasClipPolicy {
            let p = desired.clipPolicy
            let path = "desired.settings.clip_policy"
            if p.hasUploadAnomalies { clips.uploadAnomalies = p.uploadAnomalies }
            if p.hasNormalSampleProbability {
                clips.normalSampleProbability = try ConfigNode.checked(
                    Double(p.normalSampleProbability), in: AgentConfiguration.Clips.normalSampleProbabilityRange,
                    path: "\(path).normal_sample_probability")
            }
            if p.hasMaxClipsPerHour {
                clips.maxPerAssetPerHour = try ConfigNode.checked(
                    Int(p.maxClipsPerHour), in: AgentConfiguration.Clips.maxPerAssetPerHourRange, path: "\(path).max_clips_per_hour")
            }
            if p.hasClipSeconds {
                clips.seconds = try ConfigNode.checked(
                    Double(p.clipSeconds), in: AgentConfiguration.Clips.secondsRange, path: "\(path).clip_seconds")
            }
        }
        if desired.hasAlarmPolicy {
            let p = desired.alarmPolicy
            let path = "desired.settings.alarm_policy"
            let counts = AgentConfiguration.Alarm.windowCountRange
            if p.hasWarningK { alarm.warningK = try ConfigNode.checked(Int(p.warningK), in: counts, path: "\(path).warning_k") }
            if p.hasWarningN { alarm.warningN = try ConfigNode.checked(Int(p.warningN), in: counts, path: "\(path).warning_n") }
            if p.hasAlarmAfterWindows {
                alarm.alarmAfterWindows = try ConfigNode.checked(
                    Int(p.alarmAfterWindows), in: AgentConfiguration.Alarm.alarmAfterWindowsRange, path: "\(path).alarm_after_windows")
            }
            try alarm.checkOrder(path: path)
        }
        if desired.hasVerdictBatchMax {
            batching.maxVerdicts = try ConfigNode.checked(
                Int(desired.verdictBatchMax), in: AgentConfiguration.Batching.maxVerdictsRange,
                path: "desired.settings.verdict_batch_max")
        }
        if desired.hasVerdictBatchIntervalMs {
            batching.intervalMs = try ConfigNode.checked(
                Int(desired.verdictBatchIntervalMs), in: AgentConfiguration.Batching.intervalMsRange,
                path: "desired.settings.verdict_batch_interval_ms")
        }
    }

    /// `alarm` as the pipelines' policy.
    public var alarmPolicy: AlarmPolicy {
        AlarmPolicy(warningK: alarm.warningK, warningN: alarm.warningN, alarmAfterWindows: alarm.alarmAfterWindows)
    }

    /// `clips` as the pipelines' policy.
    public var clipPolicy: ClipPolicy {
        ClipPolicy(
            uploadAnomalies: clips.uploadAnomalies, maxPerAssetPerHour: clips.maxPerAssetPerHour,
            normalSampleProbability: clips.normalSampleProbability, seconds: clips.seconds)
    }
}

import HubCore

/// How an operator closed an alarm; closing labels the alarm's clips accordingly for retraining.
public enum AlarmResolution: String, Sendable, Codable, CaseIterable {
    /// The machine had a fault (a cause is required): the clips are labelled `confirmed_anomaly`.
    case faultConfirmed = "fault_confirmed"
    /// The machine was fine: the clips are labelled `false_alarm`.
    case falseAlarm = "false_alarm"

    /// The label closing applies to the alarm's clips.
    var clipLabel: ClipLabel { self == .faultConfirmed ? .confirmedAnomaly : .falseAlarm }
}

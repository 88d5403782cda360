/// An operator's verdict on a clip; feeds retraining.
public enum ClipLabel: String, Sendable, Codable, CaseIterable {
    /// The anomaly is real.
    case confirmedAnomaly = "confirmed_anomaly"
    /// The agent flagged a normal sound.
    case falseAlarm = "false_alarm"
    /// The clip is normal (for random normal samples).
    case normal
}

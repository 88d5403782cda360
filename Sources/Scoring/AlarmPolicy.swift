/// When an asset's state escalates (config `alarm.*`, or the hub's `desired.settings.alarm_policy`).
public struct AlarmPolicy: Sendable, Equatable {
    /// Anomalous windows among the last `warningN` that put the asset in warning.
    public var warningK: Int
    /// The window count the warning rule looks at.
    public var warningN: Int
    /// Consecutive windows in warning after which the asset is in alarm.
    public var alarmAfterWindows: Int

    /// A policy; `warningK` is clamped into `1...warningN`.
    public init(warningK: Int = 3, warningN: Int = 5, alarmAfterWindows: Int = 6) {
        self.warningN = max(1, warningN)
        self.warningK = min(max(1, warningK), self.warningN)
        self.alarmAfterWindows = max(1, alarmAfterWindows)
    }
}

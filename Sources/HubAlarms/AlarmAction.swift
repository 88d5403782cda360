/// A transition of an alarm, recorded with who, when and a note.
public enum AlarmAction: String, Sendable, Codable, CaseIterable {
    /// The hub raised a new alarm.
    case raise
    /// A cleared alarm's condition came back before anyone closed it.
    case reactivate
    /// The severity rose (an asset went from `warning` to `alarm`); the alarm needs acknowledging again.
    case escalate
    /// An operator acknowledged the active alarm.
    case acknowledge
    /// The condition no longer holds.
    case clear
    /// An operator shelved the alarm until a time: verdicts are still recorded, notifications are not sent.
    case shelve
    /// Shelving ended, by an operator or because its time passed.
    case unshelve
    /// An operator closed the alarm with a resolution.
    case close

    /// Whether an operator performs it (else the hub does).
    public var isOperatorAction: Bool { [.acknowledge, .shelve, .unshelve, .close].contains(self) }
}

/// Why an operator's alarm action was refused.
public enum AlarmError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No alarm has this id.
    case unknownAlarm(Int64)
    /// The action makes no sense in the alarm's state (acknowledging a cleared alarm, closing one twice).
    case invalidTransition(AlarmAction, from: AlarmState, reason: String)
    /// A field is missing, too long or out of range.
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .unknownAlarm(let id): return "no alarm \(id)"
        case .invalidTransition(let action, let state, let reason):
            return "cannot \(action.rawValue) an alarm that is \(state.rawValue): \(reason)"
        case .invalidRequest(let message): return message
        }
    }
}

/// Why a rollout request was refused.
///
/// `Sendable`: a value type.
public enum RolloutError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model version is not in the registry.
    case unknownModel(family: String, version: UInt64)
    /// No agent's status reports a model of the family.
    case noAgents(family: String)
    /// Every targeted agent already runs the version.
    case nothingToDo(family: String, version: UInt64)
    /// The version the agents run now is not registered, so the hub could not roll back to it.
    case previousNotRegistered(family: String, version: UInt64)
    /// Another rollout of the family is running or paused.
    case alreadyRunning(rolloutID: String)
    /// No rollout has this id.
    case notFound(String)
    /// The command does not apply in the rollout's state.
    case invalidTransition(rolloutID: String, state: RolloutState, command: String)

    /// A message saying what to do.
    public var description: String {
        switch self {
        case .unknownModel(let family, let version):
            return "\(family) v\(version) is not registered; register it first (earshot-hub models add FILE)"
        case .noAgents(let family):
            return "no agent reports running a \(family) model"
        case .nothingToDo(let family, let version):
            return "every agent running \(family) already runs v\(version)"
        case .previousNotRegistered(let family, let version):
            return "agents run \(family) v\(version), which is not registered, so it could not be rolled back to; register it first"
        case .alreadyRunning(let id):
            return "rollout \(id) of this family is still live; finish, abort or roll it back first"
        case .notFound(let id):
            return "no rollout \(id)"
        case .invalidTransition(let id, let state, let command):
            return "rollout \(id) is \(state.rawValue); cannot \(command) it"
        }
    }
}

import Wire

/// One asset's state machine: normal → warning → alarm.
///
/// - **Warning** while at least `k` of the last `n` windows were anomalous.
/// - **Alarm** once the warning condition has held for `alarmAfterWindows` consecutive windows. An alarm
///   is persistent: it clears (back to normal) only after `n` consecutive normal windows, so a
///   machine that is intermittently faulty does not flap between states.
/// - A warning clears as soon as fewer than `k` of the last `n` windows are anomalous.
///
/// `Sendable`: a value type; one per asset, owned by its pipeline.
public struct AlarmTracker: Sendable {
    /// The policy in force.
    public private(set) var policy: AlarmPolicy
    /// The current state.
    public private(set) var state: Earshot_V1_AssetState = .normal
    private var recent: [Bool]
    private var next = 0
    private var warningRun = 0
    private var normalRun = 0

    /// A tracker in the normal state.
    public init(policy: AlarmPolicy) {
        self.policy = policy
        recent = Array(repeating: false, count: policy.warningN)
    }

    /// Switches to `policy`, keeping the state and forgetting the window history.
    public mutating func update(policy: AlarmPolicy) {
        guard policy != self.policy else { return }
        self = AlarmTracker(policy: policy, state: state)
    }

    private init(policy: AlarmPolicy, state: Earshot_V1_AssetState) {
        self.init(policy: policy)
        self.state = state
    }

    /// Records one window's outcome and returns the state after it.
    @discardableResult
    public mutating func record(anomalous: Bool) -> Earshot_V1_AssetState {
        recent[next] = anomalous
        next = (next + 1) % recent.count
        normalRun = anomalous ? 0 : normalRun + 1
        let warning = recent.lazy.filter { $0 }.count >= policy.warningK
        warningRun = warning ? warningRun + 1 : 0
        switch state {
        case .alarm:
            if normalRun >= policy.warningN { state = .normal }
        default:
            if warningRun >= policy.alarmAfterWindows {
                state = .alarm
            } else {
                state = warning ? .warning : .normal
            }
        }
        return state
    }
}

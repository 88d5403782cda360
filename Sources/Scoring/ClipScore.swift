/// The judgement of a whole clip: every window's score as the agent computes it, and what they add up to.
public struct ClipScore: Sendable, Equatable {
    /// Each window's score, in order (at least one).
    public var windows: [WindowScore]
    /// The mean of the windows' class probabilities (classifiers; empty for anomaly-score models).
    public var classProbabilities: [Float]

    /// Creates a clip score.
    public init(windows: [WindowScore], classProbabilities: [Float]) {
        self.windows = windows
        self.classProbabilities = classProbabilities
    }

    /// The clip's score: the mean of its windows' scores.
    public var meanScore: Float {
        guard !windows.isEmpty else { return 0 }
        return Float(windows.reduce(0.0) { $0 + Double($1.score) } / Double(windows.count))
    }

    /// The fraction of windows the model flags (`WindowScore.anomalous`).
    public var anomalousFraction: Double {
        guard !windows.isEmpty else { return 0 }
        return Double(windows.filter(\.anomalous).count) / Double(windows.count)
    }

    /// Whether an agent listening to a machine that keeps sounding like this clip would raise a warning
    /// or an alarm under `policy`: the windows' verdicts are played, in a loop, through the agent's
    /// `AlarmTracker` for one full pass and at least `warning_n + alarm_after_windows` windows, and the
    /// clip is flagged when the state leaves normal at any of them.
    public func flagged(by policy: AlarmPolicy) -> Bool {
        guard !windows.isEmpty else { return false }
        var tracker = AlarmTracker(policy: policy)
        let plays = max(windows.count, policy.warningN + policy.alarmAfterWindows)
        for index in 0..<plays where tracker.record(anomalous: windows[index % windows.count].anomalous) != .normal {
            return true
        }
        return false
    }
}

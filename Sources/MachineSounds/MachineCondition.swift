import SeededRandom

/// The state a clip is rendered in: normal, or one fault at a severity.
///
/// Value type; `Sendable`.
public enum MachineCondition: Sendable, Hashable {
    /// Healthy operation (with natural clip-to-clip variation).
    case normal
    /// One fault at `severity` in (0, 1]: 1 is a plainly audible fault, 0.05 is barely there.
    case faulty(MachineFault, severity: Double)

    /// Whether the clip is an anomaly (MIMII `abnormal`, DCASE `anomaly`).
    public var isAnomalous: Bool {
        if case .faulty = self { return true }
        return false
    }

    /// The fault, if any.
    public var fault: MachineFault? {
        if case .faulty(let fault, _) = self { return fault }
        return nil
    }

    /// How strongly `fault` is present: its severity in (0, 1], or 0 when it is not the clip's fault.
    public func severity(of fault: MachineFault) -> Double {
        if case .faulty(let present, let severity) = self, present == fault { return min(max(severity, 0), 1) }
        return 0
    }

    /// A random condition for a dataset clip.
    ///
    /// Anomalies pick one of the type's faults uniformly and a severity `0.05 + 0.95·u²`
    /// (u uniform in [0, 1)): the median is ≈ 0.29 and a quarter are below 0.11, so many
    /// anomalies are subtle, as in real plants and in MIMII.
    public static func random(anomalous: Bool, machine: MachineType, using generator: inout SeededGenerator) -> MachineCondition {
        guard anomalous else { return .normal }
        let faults = MachineFault.faults(of: machine)
        let fault = faults[Int(generator.next() % UInt64(faults.count))]
        let u = generator.unit()
        return .faulty(fault, severity: 0.05 + 0.95 * u * u)
    }
}

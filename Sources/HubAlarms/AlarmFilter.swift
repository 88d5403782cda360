/// Which alarms a list shows; every field narrows it, nil fields do not.
public struct AlarmFilter: Sendable, Equatable {
    /// Which alarms by state: one state, or every state but closed (``openOnly``, the default).
    public var state: AlarmState?
    /// With no ``state``: only alarms that are not closed (default true); false = every alarm.
    public var openOnly = true
    /// Only alarms of this site.
    public var site: String?
    /// Only asset alarms of assets on this line.
    public var line: String?
    /// Only asset alarms of assets of this machine type.
    public var machineType: String?
    /// Only alarms of this kind.
    public var kind: AlarmKind?
    /// Only alarms about this subject (an asset or agent id).
    public var subject: String?
    /// Only alarms numbered below this (the next page after an answer's last id).
    public var beforeID: Int64?

    /// A filter showing every open alarm.
    public init() {}
}

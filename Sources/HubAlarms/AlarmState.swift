/// Where an alarm is in its life (ISA-18.2 / IEC 62682).
///
/// ```
/// raise → active_unacknowledged ─acknowledge→ active_acknowledged
///              │  ↑ reactivate / escalate            │
///            clear                                   clear
///              ↓                                      ↓
///           cleared ───────────── close ──────────→ closed (with a resolution)
/// ```
/// An active alarm can be closed only once acknowledged; a cleared one needs no acknowledgement
/// (closing is the review). Shelving is orthogonal: it suppresses notifications until a time.
public enum AlarmState: String, Sendable, Codable, CaseIterable {
    /// The condition holds and nobody has acknowledged it.
    case activeUnacknowledged = "active_unacknowledged"
    /// The condition holds and an operator acknowledged it.
    case activeAcknowledged = "active_acknowledged"
    /// The condition no longer holds; the alarm awaits closing with a resolution.
    case cleared
    /// Closed with a resolution; final.
    case closed

    /// Whether the condition still holds.
    public var isActive: Bool { self == .activeUnacknowledged || self == .activeAcknowledged }
}

/// The Hz ↔ mel mapping (librosa's `htk` flag).
///
/// `Sendable`.
public enum MelScale: String, Sendable, CaseIterable {
    /// Slaney's Auditory Toolbox: linear below 1 kHz, logarithmic above (`htk=False`, librosa's default).
    case slaney
    /// `2595 · log10(1 + f / 700)` (`htk=True`).
    case htk
}

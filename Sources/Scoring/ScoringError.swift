/// Why a model cannot score windows, or why one window could not be scored.
public enum ScoringError: Error, Sendable, Equatable {
    /// The artifact's features cannot feed its graph (e.g. a feature width that differs from the input shape).
    case incompatibleModel(String)
    /// The window holds NaN or ±∞ at `index`; the caller should report the input and move on.
    case nonFiniteAudio(index: Int)
}

extension ScoringError: CustomStringConvertible {
    /// A one-line explanation.
    public var description: String {
        switch self {
        case .incompatibleModel(let reason): "model cannot score windows: \(reason)"
        case .nonFiniteAudio(let index): "window holds a non-finite sample at index \(index)"
        }
    }
}

/// The power that maps to 0 dB in `power_to_db` (librosa's `ref`).
///
/// `Sendable`.
public enum DecibelReference: String, Sendable, CaseIterable {
    /// `ref=1.0` (the default): absolute dB, a per-element operation.
    case one
    /// `ref=np.max`: relative to the loudest element of the whole input, a clip-level operation.
    case max
}

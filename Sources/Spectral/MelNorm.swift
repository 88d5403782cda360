/// How each mel filter is scaled (librosa's `norm`).
///
/// `Sendable`.
public enum MelNorm: String, Sendable, CaseIterable {
    /// Area normalisation: each triangle is scaled by `2 / (f[i+2] − f[i])` (`norm="slaney"`, the default).
    case slaney
    /// Peak 1 triangles (`norm=None`).
    case none
}

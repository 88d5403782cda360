/// How `center = true` pads the signal by `nFFT / 2` samples at each end (librosa's `pad_mode`).
///
/// `Sendable`.
public enum PadMode: String, Sendable, CaseIterable {
    /// Zeros (librosa ≥ 0.9's default, `pad_mode="constant"`).
    case constant
    /// Mirror without repeating the edge sample, as `np.pad(mode="reflect")`: `x[2] x[1] | x[0] x[1] …`.
    case reflect
}

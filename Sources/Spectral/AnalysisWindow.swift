import Foundation

/// Analysis windows as librosa builds them.
///
/// `Sendable` namespace.
public enum AnalysisWindow {
    /// The periodic Hann window of `length` samples, `scipy.signal.get_window('hann', length, fftbins=True)`,
    /// zero-padded centred to `paddedLength` like `librosa.util.pad_center`.
    ///
    /// Computed in double precision as scipy does (`0.5 + 0.5·cos(linspace(−π, π, length + 1))`, last
    /// point dropped) and rounded to float32. Shape (paddedLength,), unitless.
    public static func hann(length: Int, paddedLength: Int) -> [Float] {
        precondition(length >= 1 && length <= paddedLength, "window length must be in 1...paddedLength")
        var window = [Float](repeating: 0, count: paddedLength)
        let offset = (paddedLength - length) / 2
        if length == 1 {
            window[offset] = 1
            return window
        }
        let points = length + 1
        let step = 2 * Double.pi / Double(points - 1)
        for n in 0..<length {
            let phase = Double(n) * step - Double.pi
            window[offset + n] = Float(0.5 + 0.5 * cos(phase))
        }
        return window
    }
}

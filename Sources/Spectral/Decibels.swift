import Foundation

/// `librosa.power_to_db` and the DCASE baseline's log, in place on float32 buffers.
///
/// `Sendable` namespace. The per-element parts (`powerToDB`, `dcaseLog`) are frame-local and used by
/// streaming; `applyClipLevel` (`ref=np.max`, `top_db`) needs the whole input (or window) at once.
public enum Decibels {
    /// `10 · log10(max(amin, x))` for every element, with the vectorizable `fastLog10`.
    ///
    /// `values`: power in, dB out (reference 1.0). Does not allocate. Within 1e-5 dB of `powerToDBReference`.
    @inline(__always)
    public static func powerToDB(_ values: UnsafeMutableBufferPointer<Float>, amin: Float) {
        for i in values.indices {
            values[i] = 10 * fastLog10(Swift.max(amin, values[i]))
        }
    }

    /// `10 · log10(max(amin, x))` with the C library's `log10f`, the readable oracle for `powerToDB`.
    public static func powerToDBReference(_ values: UnsafeMutableBufferPointer<Float>, amin: Float) {
        for i in values.indices {
            values[i] = 10 * log10(Swift.max(amin, values[i]))
        }
    }

    /// The DCASE 2020 baseline's `20 / power · log10(mel + sys.float_info.epsilon)` in float32.
    ///
    /// `values`: mel power in, dB-like log out. Does not allocate.
    @inline(__always)
    public static func dcaseLog(_ values: UnsafeMutableBufferPointer<Float>, power: Float) {
        // numpy adds the Python float epsilon to a float32 array in float32.
        let epsilon = Float(Double.ulpOfOne)
        let scale = Float(20.0 / Double(power))
        for i in values.indices {
            values[i] = scale * fastLog10(values[i] + epsilon)
        }
    }

    /// The clip-level half of `power_to_db` on dB values computed with reference 1.0:
    /// subtract the maximum when `reference` is `.max`, then floor at `max − topDB`.
    ///
    /// `values`: every dB value of the clip or window, any layout. Does not allocate. The maximum is over
    /// all of `values`, as librosa takes it over the whole input.
    public static func applyClipLevel(_ values: UnsafeMutableBufferPointer<Float>, reference: DecibelReference, topDB: Float?) {
        guard !values.isEmpty, reference == .max || topDB != nil else { return }
        var peak = maximum(values)
        if reference == .max {
            for i in values.indices { values[i] -= peak }
            peak -= peak
        }
        if let topDB {
            let floor = peak - topDB
            for i in values.indices { values[i] = Swift.max(values[i], floor) }
        }
    }

    private static func maximum(_ values: UnsafeMutableBufferPointer<Float>) -> Float {
        var m0 = -Float.infinity, m1 = -Float.infinity, m2 = -Float.infinity, m3 = -Float.infinity
        var i = 0
        let n = values.count
        while i + 4 <= n {
            m0 = Swift.max(m0, values[i])
            m1 = Swift.max(m1, values[i + 1])
            m2 = Swift.max(m2, values[i + 2])
            m3 = Swift.max(m3, values[i + 3])
            i += 4
        }
        while i < n {
            m0 = Swift.max(m0, values[i])
            i += 1
        }
        return Swift.max(Swift.max(m0, m1), Swift.max(m2, m3))
    }
}

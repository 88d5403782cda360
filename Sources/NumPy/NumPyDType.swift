/// The element types `.npy` files may hold here: little-endian float32, float64, int64 and int32.
///
/// `Sendable`. The raw value is NumPy's `descr` string.
public enum NumPyDType: String, Sendable, CaseIterable {
    /// `<f4`, IEEE 754 binary32.
    case float32 = "<f4"
    /// `<f8`, IEEE 754 binary64.
    case float64 = "<f8"
    /// `<i8`, two's-complement 64-bit integer.
    case int64 = "<i8"
    /// `<i4`, two's-complement 32-bit integer.
    case int32 = "<i4"

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }
}

/// Why a kernel could not be prepared: the shapes, scales or zero points it was given are inconsistent.
///
/// Kernels validate everything once, in their throwing `init`; `run` never throws. Every case names the
/// offending parameter so a model loader can report which layer and field was bad.
public enum InferenceError: Error, Sendable, Equatable {
    /// A dimension is zero or negative, or dimensions do not fit together (e.g. a 'valid' window larger
    /// than the input).
    case invalidShape(String)
    /// A buffer holds the wrong number of elements: `expected` from the declared shape, `actual` given.
    case countMismatch(name: String, expected: Int, actual: Int)
    /// A scale is zero, negative, infinite or NaN. Scales must be finite and > 0.
    case invalidScale(name: String, value: Float)
    /// An int8 zero point lies outside [-128, 127].
    case zeroPointOutOfRange(name: String, value: Int32)
    /// A symmetric int8 weight is -128; symmetric weights must lie in [-127, 127] (as TFLite requires).
    case weightOutOfRange(index: Int, value: Int8)
}

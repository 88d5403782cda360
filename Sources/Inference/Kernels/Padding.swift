/// How a window (convolution or pooling) treats the input border, exactly as TensorFlow defines it.
/// `Sendable`: a plain value.
public enum Padding: Sendable, Hashable, CaseIterable {
    /// No padding: `out = (in − window) / stride + 1`; the window must fit in the input.
    case valid
    /// TensorFlow 'same': `out = ceil(in / stride)`; the total padding
    /// `max((out − 1) × stride + window − in, 0)` is split with the extra element on the right/bottom.
    case same
}

/// How a window (convolution or pooling) treats the input border, exactly as TensorFlow and Keras define it.
/// The raw values are the Keras spellings used in model graphs. `Sendable`: a plain value.
public enum Padding: String, Sendable, Hashable, CaseIterable, Codable {
    /// No padding: `out = (in − window) / stride + 1`; the window must fit in the input.
    case valid
    /// TensorFlow 'same': `out = ceil(in / stride)`; the total padding
    /// `max((out − 1) × stride + window − in, 0)` is split with the extra element on the right/bottom.
    case same
}

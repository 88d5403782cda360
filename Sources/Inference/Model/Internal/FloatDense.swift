/// Float dense constants for the head after GeM. `Sendable`: immutable.
struct FloatDense: Sendable {
    /// `(inputs, outputs)`.
    let weights: [Float]
    /// `(outputs)`.
    let bias: [Float]
    let inputs: Int
    let outputs: Int
    let relu: Bool
}

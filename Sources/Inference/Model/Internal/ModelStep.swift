/// One prepared operation of a `Model`, with arena offsets resolved at load.
enum ModelStep: Sendable {
    /// float → int8, `count` elements.
    case quantize(QuantizationParameters, source: Int, destination: Int, count: Int)
    /// int8 → float, `count` elements.
    case dequantize(QuantizationParameters, source: Int, destination: Int, count: Int)
    case conv1D(Conv1D, source: Int, destination: Int)
    case conv2D(Conv2D, source: Int, destination: Int)
    case fullyConnected(FullyConnected, source: Int, destination: Int)
    case maxPool1D(MaxPool1D, source: Int, destination: Int)
    case maxPool2D(MaxPool2D, source: Int, destination: Int)
    case averagePool1D(AveragePool1D, source: Int, destination: Int)
    case averagePool2D(AveragePool2D, source: Int, destination: Int)
    case globalAveragePool(GlobalAveragePool, source: Int, destination: Int)
    case add(Add, first: Int, second: Int, destination: Int)
    /// int8 copy (flatten/reshape when the slots differ).
    case copy(source: Int, destination: Int, count: Int)
    /// Float dense: weights `(inputs, outputs)`, bias `(outputs)`.
    case floatDense(FloatDense, source: Int, destination: Int)
    /// Float GeM over `positions × channels`.
    case gem(p: Float, epsilon: Float, positions: Int, channels: Int, source: Int, destination: Int)
    /// GeM straight from int8 codes (a dequantize followed by GeM): `powers[code + 128]` is
    /// `max(dequantize(code), ε)^p`, the same float the two steps compute, so the result is identical.
    case gemOfCodes(powers: [Float], p: Float, positions: Int, channels: Int, source: Int, destination: Int)
    case sigmoid(source: Int, destination: Int, count: Int)
    case softmax(source: Int, destination: Int, count: Int)

    /// Int8 scratch elements the step's kernel needs (see `Conv2D.scratchCount`).
    var scratchCount: Int {
        switch self {
        case .conv1D(let k, _, _): k.scratchCount
        case .conv2D(let k, _, _): k.scratchCount
        case .fullyConnected(let k, _, _): k.scratchCount
        default: 0
        }
    }
}

import Inference
import SeededRandom
import Testing

@testable import Training

/// Uniform random values in [low, high) from a fixed seed.
func randomValues(_ count: Int, seed: UInt64, in range: ClosedRange<Float> = -1...1) -> [Float] {
    var g = SeededGenerator(seed: seed)
    return (0..<count).map { _ in g.nextFloat(in: range.lowerBound, range.upperBound) }
}

/// Largest absolute element-wise difference.
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "count \(a.count) vs \(b.count)")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Result of comparing analytic gradients with central finite differences.
struct GradientCheck {
    /// Worst |analytic − numeric| / max(1, |numeric|) over the input gradient.
    var inputError: Double
    /// Same over every parameter.
    var parameterError: Double
}

/// Finite-difference check of one layer on the scalar loss Σ r·f(x) with fixed random r.
/// Every evaluation builds a fresh layer from the same seed (so dropout masks repeat) and copies the
/// current parameter values in; the loss is accumulated in `Double`.
func checkGradients(
    _ spec: LayerSpec, inputShape: [Int], batch: Int = 2, training: Bool = true,
    input: [Float]? = nil, epsilon: Float = 1e-2
) throws -> GradientCheck {
    func build() throws -> Layer {
        var builder = LayerBuilder(seed: 7)
        return try builder.make(spec, inputShape: inputShape, path: "test")
    }
    let reference = try build()
    let count = batch * inputShape.reduce(1, *)
    let x = Tensor(shape: [batch] + inputShape, values: input ?? randomValues(count, seed: 11))
    let y = reference.forward(x, training: training)
    let r = randomValues(y.count, seed: 13)
    let dx = reference.backward(Tensor(shape: y.shape, values: r))
    let parameterValues = reference.parameters.map(\.value)

    func loss(input: [Float], parameters: [[Float]]) throws -> Double {
        let layer = try build()
        for (p, v) in zip(layer.parameters, parameters) { p.value = v }
        let out = layer.forward(Tensor(shape: x.shape, values: input), training: training)
        return zip(out.values, r).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }
    func relativeError(_ analytic: Float, _ numeric: Double) -> Double {
        abs(Double(analytic) - numeric) / max(1, abs(numeric))
    }

    var result = GradientCheck(inputError: 0, parameterError: 0)
    for i in 0..<count {
        var plus = x.values, minus = x.values
        plus[i] += epsilon
        minus[i] -= epsilon
        let numeric =
            (try loss(input: plus, parameters: parameterValues) - loss(input: minus, parameters: parameterValues))
            / Double(2 * epsilon)
        result.inputError = max(result.inputError, relativeError(dx.values[i], numeric))
    }
    for (pi, parameter) in reference.parameters.enumerated() {
        for j in 0..<parameter.value.count {
            var plus = parameterValues, minus = parameterValues
            plus[pi][j] += epsilon
            minus[pi][j] -= epsilon
            let numeric = (try loss(input: x.values, parameters: plus) - loss(input: x.values, parameters: minus)) / Double(2 * epsilon)
            result.parameterError = max(result.parameterError, relativeError(parameter.gradient[j], numeric))
        }
    }
    return result
}

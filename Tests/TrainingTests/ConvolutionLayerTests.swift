import Inference
import Testing

@testable import Training

/// One convolution geometry: input (height, width, channels), kernel (h, w), filters, strides, padding.
struct ConvolutionCase: CustomTestStringConvertible, Sendable {
    var oneD: Bool
    var input: (Int, Int, Int)
    var kernel: (Int, Int)
    var filters: Int
    var strides: (Int, Int)
    var padding: Padding
    var batch = 3

    var testDescription: String {
        "\(oneD ? "1D" : "2D") in\(input) k\(kernel) f\(filters) s\(strides) \(padding)"
    }

    var inputShape: [Int] { oneD ? [input.1, input.2] : [input.0, input.1, input.2] }
    var spec: LayerSpec {
        let conv = ConvolutionSpec(
            filters: filters, kernelSize: oneD ? [kernel.1] : [kernel.0, kernel.1],
            strides: oneD ? [strides.1] : [strides.0, strides.1], padding: padding)
        return oneD ? .conv1D(conv) : .conv2D(conv)
    }
}

let convolutionCases: [ConvolutionCase] = [
    ConvolutionCase(oneD: true, input: (1, 40, 1), kernel: (1, 10), filters: 4, strides: (1, 1), padding: .valid),
    ConvolutionCase(oneD: true, input: (1, 7, 3), kernel: (1, 10), filters: 5, strides: (1, 1), padding: .same),
    ConvolutionCase(oneD: true, input: (1, 9, 2), kernel: (1, 4), filters: 3, strides: (1, 2), padding: .same),
    ConvolutionCase(oneD: false, input: (6, 5, 2), kernel: (3, 3), filters: 4, strides: (1, 1), padding: .same),
    ConvolutionCase(oneD: false, input: (7, 8, 3), kernel: (3, 3), filters: 2, strides: (2, 2), padding: .same),
    ConvolutionCase(oneD: false, input: (8, 7, 1), kernel: (7, 7), filters: 3, strides: (2, 2), padding: .same),
    ConvolutionCase(oneD: false, input: (6, 6, 2), kernel: (2, 4), filters: 3, strides: (1, 2), padding: .valid),
    ConvolutionCase(oneD: false, input: (5, 4, 3), kernel: (1, 1), filters: 4, strides: (1, 1), padding: .valid),
    ConvolutionCase(oneD: false, input: (5, 4, 3), kernel: (1, 1), filters: 4, strides: (2, 2), padding: .same),
]

@Suite struct ConvolutionLayerTests {
    @Test(arguments: convolutionCases)
    func matchesReferenceForwardAndBackward(_ c: ConvolutionCase) throws {
        var builder = LayerBuilder(seed: 3)
        let layer = try builder.make(c.spec, inputShape: c.inputShape, path: "conv")
        let conv = try #require(layer as? ConvolutionLayer)
        let bias = randomValues(c.filters, seed: 5)
        conv.bias!.value = bias
        let x = randomValues(c.batch * c.inputShape.reduce(1, *), seed: 1)
        let (h, w, ch) = c.oneD ? (1, c.input.1, c.input.2) : c.input
        let (kh, kw) = c.oneD ? (1, c.kernel.1) : c.kernel
        let strides = c.oneD ? (1, c.strides.1) : c.strides
        let y = layer.forward(Tensor(shape: [c.batch] + c.inputShape, values: x), training: true)
        let expected = ReferenceKernels.convolutionForward(
            input: x, batch: c.batch, height: h, width: w, inChannels: ch, kernel: conv.kernel.value,
            kernelHeight: kh, kernelWidth: kw, filters: c.filters, bias: bias, strides: strides, padding: c.padding)
        let forwardDiff = maxAbsDifference(y.values, expected)
        #expect(forwardDiff < 1e-5, "forward max diff \(forwardDiff)")

        let dy = randomValues(y.count, seed: 9)
        let dx = layer.backward(Tensor(shape: y.shape, values: dy))
        let reference = ReferenceKernels.convolutionBackward(
            input: x, batch: c.batch, height: h, width: w, inChannels: ch, kernel: conv.kernel.value,
            kernelHeight: kh, kernelWidth: kw, filters: c.filters, strides: strides, padding: c.padding, outputGradient: dy)
        #expect(maxAbsDifference(dx.values, reference.input) < 1e-4)
        #expect(maxAbsDifference(conv.kernel.gradient, reference.kernel) < 1e-4)
        #expect(maxAbsDifference(conv.bias!.gradient, reference.bias) < 1e-4)
    }

    @Test func samePaddingPutsTheOddPadOnTheRight() throws {
        // TensorFlow: length 5, kernel 2, stride 1 → total pad 1, all of it after the last element.
        let spec = LayerSpec.conv1D(
            ConvolutionSpec(
                filters: 1, kernelSize: [2], strides: [1], padding: .same,
                kernel: WeightTensor(shape: [2, 1, 1], values: [1, 1]), bias: WeightTensor(shape: [1], values: [0])))
        var builder = LayerBuilder(seed: 0)
        let layer = try builder.make(spec, inputShape: [5, 1], path: "conv")
        let y = layer.forward(Tensor(shape: [1, 5, 1], values: [1, 2, 3, 4, 5]), training: false)
        #expect(y.values == [3, 5, 7, 9, 5])
    }

    @Test(arguments: convolutionCases.prefix(6))
    func gradientsMatchFiniteDifferences(_ c: ConvolutionCase) throws {
        var small = c
        small.batch = 2
        let check = try checkGradients(small.spec, inputShape: small.inputShape)
        #expect(check.inputError < 1e-2 && check.parameterError < 1e-2, "\(check)")
    }

    @Test func rejectsKernelOfWrongShape() {
        let spec = LayerSpec.conv2D(
            ConvolutionSpec(
                filters: 2, kernelSize: [3, 3], strides: [1, 1], padding: .same,
                kernel: WeightTensor(shape: [3, 3, 2], values: .init(repeating: 0, count: 18))))
        var builder = LayerBuilder(seed: 0)
        #expect(throws: TrainingError.self) { try builder.make(spec, inputShape: [4, 4, 1], path: "conv") }
    }
}

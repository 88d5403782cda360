/// Output size and leading pad of one spatial axis, following TensorFlow's `valid`/`same` rules.

import Inference

struct AxisGeometry: Equatable {
    let input: Int
    let kernel: Int
    let stride: Int
    let output: Int
    /// Pad before the first element (top/left); any odd remainder goes after (bottom/right), as in TF.
    let padBefore: Int

    init(input: Int, kernel: Int, stride: Int, padding: Padding) {
        self.input = input
        self.kernel = kernel
        self.stride = stride
        switch padding {
        case .valid:
            output = input >= kernel ? (input - kernel) / stride + 1 : 0
            padBefore = 0
        case .same:
            output = (input + stride - 1) / stride
            let total = max((output - 1) * stride + kernel - input, 0)
            padBefore = total / 2
        }
    }
}

/// Geometry of a 2-D window op over `(height, width, channels)`; 1-D ops use height 1.
struct WindowGeometry: Equatable {
    let rows: AxisGeometry
    let cols: AxisGeometry
    let channels: Int

    init(inputShape: [Int], kernel: [Int], strides: [Int], padding: Padding) {
        if inputShape.count == 2 {
            rows = AxisGeometry(input: 1, kernel: 1, stride: 1, padding: .valid)
            cols = AxisGeometry(input: inputShape[0], kernel: kernel[0], stride: strides[0], padding: padding)
            channels = inputShape[1]
        } else {
            rows = AxisGeometry(input: inputShape[0], kernel: kernel[0], stride: strides[0], padding: padding)
            cols = AxisGeometry(input: inputShape[1], kernel: kernel[1], stride: strides[1], padding: padding)
            channels = inputShape[2]
        }
    }

    var inputSize: Int { rows.input * cols.input * channels }
    var outputPositions: Int { rows.output * cols.output }
    var patchSize: Int { rows.kernel * cols.kernel * channels }
}

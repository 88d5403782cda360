/// A dense, row-major float tensor. Layout is channels-last like Keras:
/// `(batch, length, channels)` for 1-D signals and `(batch, height, width, channels)` for images.
///
/// `Sendable`: a value type over `[Float]`.
public struct Tensor: Sendable, Equatable, Codable {
    /// Dimensions, outermost first; the last is channels (or features).
    public var shape: [Int]
    /// `shape.reduce(1, *)` values in row-major order.
    public var values: [Float]

    /// A tensor over existing values; `values.count` must equal the product of `shape`.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "Tensor: \(values.count) values for shape \(shape)")
        self.shape = shape
        self.values = values
    }

    /// A tensor of `shape` filled with `value`.
    public init(shape: [Int], repeating value: Float = 0) {
        self.shape = shape
        self.values = [Float](repeating: value, count: shape.reduce(1, *))
    }

    /// Number of elements.
    public var count: Int { values.count }

    /// Size of the first (batch) dimension.
    public var batch: Int { shape[0] }

    /// The same values under another shape with an equal element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, values: values)
    }

    /// Rows `range` of the first dimension, e.g. a mini-batch of samples.
    public func slice(rows indices: [Int]) -> Tensor {
        let stride = count / max(shape[0], 1)
        var out = [Float](repeating: 0, count: indices.count * stride)
        values.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for (row, index) in indices.enumerated() {
                    for j in 0..<stride { dst[row * stride + j] = src[index * stride + j] }
                }
            }
        }
        return Tensor(shape: [indices.count] + shape.dropFirst(), values: out)
    }
}

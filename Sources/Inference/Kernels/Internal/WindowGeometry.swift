/// One spatial axis of a windowed op: input extent, window, stride, and the resulting output extent and
/// leading padding. Validated once at prepare time.
struct WindowGeometry: Sendable, Hashable {
    /// Input extent along the axis, elements.
    let input: Int
    /// Window (kernel or pool) extent, elements.
    let window: Int
    /// Step between windows, elements.
    let stride: Int
    /// Output extent along the axis.
    let output: Int
    /// Padding before the first element (TF puts any odd element at the end).
    let padBefore: Int

    /// Computes the output extent and padding of one axis.
    /// - Throws: `InferenceError.invalidShape` for non-positive sizes or a 'valid' window larger than the input.
    init(axis: String, input: Int, window: Int, stride: Int, padding: Padding) throws(InferenceError) {
        guard input > 0 else { throw .invalidShape("\(axis): input extent \(input) must be > 0") }
        guard window > 0 else { throw .invalidShape("\(axis): window \(window) must be > 0") }
        guard stride > 0 else { throw .invalidShape("\(axis): stride \(stride) must be > 0") }
        self.input = input
        self.window = window
        self.stride = stride
        switch padding {
        case .valid:
            guard window <= input else {
                throw .invalidShape("\(axis): window \(window) exceeds input \(input) with 'valid' padding")
            }
            output = (input - window) / stride + 1
            padBefore = 0
        case .same:
            output = (input + stride - 1) / stride
            padBefore = max((output - 1) * stride + window - input, 0) / 2
        }
    }

    /// First input index covered by output `index` (may be negative inside the padding).
    @inline(__always)
    func origin(_ index: Int) -> Int { index * stride - padBefore }

    /// Whether every tap of output `index` lies inside the input.
    @inline(__always)
    func isInterior(_ index: Int) -> Bool {
        let start = origin(index)
        return start >= 0 && start + window <= input
    }
}

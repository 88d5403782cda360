import NumPy

extension LabeledData {
    /// Loads features from a `.npy` (float32/float64, `(samples, …)`) and reshapes each row to `inputShape`.
    /// - Throws: `TrainingError.invalidDataset` if the file cannot be read or rows do not hold
    ///   `inputShape.reduce(1, *)` values.
    public static func loadFeatures(_ path: String, inputShape: [Int]) throws -> Tensor {
        let array: NumPyArray
        do { array = try NumPyArray(contentsOf: path) } catch {
            throw TrainingError.invalidDataset("\(path): \(error)")
        }
        guard let samples = array.shape.first, samples > 0 else {
            throw TrainingError.invalidDataset("\(path): expected (samples, …) with at least one sample, got shape \(array.shape)")
        }
        let width = inputShape.reduce(1, *)
        guard array.shape.dropFirst().reduce(1, *) == width else {
            throw TrainingError.invalidDataset(
                "\(path): rows of shape \(Array(array.shape.dropFirst())) do not fit the model input \(inputShape)")
        }
        switch array.dtype {
        case .float32, .float64: break
        default: throw TrainingError.invalidDataset("\(path): features must be float32 or float64, got \(array.dtype)")
        }
        return Tensor(shape: [samples] + inputShape, values: array.floats())
    }

    /// Loads labels as one-hot `(samples, classCount)`: a float `(samples, classCount)` one-hot matrix is
    /// taken as is, an integer `(samples)` vector of class indices is expanded.
    /// - Throws: `TrainingError.invalidDataset` for other shapes, non-one-hot rows or out-of-range indices.
    public static func loadLabels(_ path: String, classCount: Int) throws -> Tensor {
        let array: NumPyArray
        do { array = try NumPyArray(contentsOf: path) } catch {
            throw TrainingError.invalidDataset("\(path): \(error)")
        }
        switch (array.dtype, array.shape.count) {
        case (.float32, 2), (.float64, 2):
            guard array.shape[1] == classCount else {
                throw TrainingError.invalidDataset("\(path): \(array.shape[1]) label columns but the config lists \(classCount) labels")
            }
            let values = array.floats()
            for row in 0..<array.shape[0] {
                let slice = values[(row * classCount)..<((row + 1) * classCount)]
                guard slice.allSatisfy({ $0 == 0 || $0 == 1 }), slice.reduce(0, +) == 1 else {
                    throw TrainingError.invalidDataset("\(path): row \(row) is not one-hot")
                }
            }
            return Tensor(shape: array.shape, values: values)
        case (.int64, 1), (.int32, 1):
            let indices = array.integers()
            var values = [Float](repeating: 0, count: indices.count * classCount)
            for (row, index) in indices.enumerated() {
                guard index >= 0, index < classCount else {
                    throw TrainingError.invalidDataset("\(path): row \(row) has class \(index), outside 0..<\(classCount)")
                }
                values[row * classCount + Int(index)] = 1
            }
            return Tensor(shape: [indices.count, classCount], values: values)
        default:
            throw TrainingError.invalidDataset(
                "\(path): labels must be one-hot float (samples, \(classCount)) or integer (samples), got \(array.dtype) \(array.shape)")
        }
    }
}

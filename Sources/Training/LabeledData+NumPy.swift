import NumPy

extension LabeledData {
    /// Loads features from a `.npy` (float32/float64, `(samples, …)`) and reshapes each row to `inputShape`.
    /// - Throws: `TrainingError.invalidDataset` if the file cannot be read or rows do not hold
    ///   `inputShape.reduce(1, *)` values.
    public static func loadFeatures(_ path: String, inputShape: [Int]) throws -> Tensor {
        let array = try read(path)
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
        let array = try read(path)
        let isFloat = array.dtype == .float32 || array.dtype == .float64
        let isInteger = array.dtype == .int64 || array.dtype == .int32
        if isFloat, array.shape.count == 2 {
            return try oneHot(array.floats(), rows: array.shape[0], columns: array.shape[1], classCount: classCount, path: path)
        }
        if isInteger, array.shape.count == 1 {
            return try expand(array.integers(), classCount: classCount, path: path)
        }
        throw TrainingError.invalidDataset(
            "\(path): labels must be one-hot float (samples, \(classCount)) or integer (samples), got \(array.dtype) \(array.shape)")
    }

    private static func read(_ path: String) throws -> NumPyArray {
        do {
            return try NumPyArray(contentsOf: path)
        } catch {
            throw TrainingError.invalidDataset("\(path): \(error)")
        }
    }

    private static func oneHot(_ values: [Float], rows: Int, columns: Int, classCount: Int, path: String) throws -> Tensor {
        guard columns == classCount else {
            throw TrainingError.invalidDataset("\(path): \(columns) label columns but the config lists \(classCount) labels")
        }
        for row in 0..<rows {
            var sum: Float = 0
            for c in 0..<classCount {
                let v = values[row * classCount + c]
                guard v == 0 || v == 1 else { throw TrainingError.invalidDataset("\(path): row \(row) is not one-hot") }
                sum += v
            }
            guard sum == 1 else { throw TrainingError.invalidDataset("\(path): row \(row) is not one-hot") }
        }
        return Tensor(shape: [rows, classCount], values: values)
    }

    private static func expand(_ indices: [Int64], classCount: Int, path: String) throws -> Tensor {
        var values = [Float](repeating: 0, count: indices.count * classCount)
        for (row, index) in indices.enumerated() {
            guard index >= 0, index < classCount else {
                throw TrainingError.invalidDataset("\(path): row \(row) has class \(index), outside 0..<\(classCount)")
            }
            values[row * classCount + Int(index)] = 1
        }
        return Tensor(shape: [indices.count, classCount], values: values)
    }
}

import Inference

extension StandardizationSpec {
    /// Statistics of `rows` (`(batch, input shape…)`), one per input element, computed in double precision:
    /// the mean and the population standard deviation. A feature with no spread (std ≤ 1e-6) gets std 1, so
    /// it is only centred (scikit-learn's `StandardScaler` does the same).
    /// - Throws: `TrainingError.invalidDataset` for no rows, or naming the first non-finite value.
    public static func adapted(to rows: Tensor) throws -> StandardizationSpec {
        let count = rows.batch
        let width = rows.count / max(count, 1)
        guard count > 0, width > 0 else {
            throw TrainingError.invalidDataset("feature standardisation needs at least one training row")
        }
        if let bad = rows.values.firstIndex(where: { !$0.isFinite }) {
            throw TrainingError.invalidDataset(
                "feature standardisation: training row \(bad / width), value \(bad % width) is \(rows.values[bad]), not a finite number")
        }
        var sum = [Double](repeating: 0, count: width)
        var squares = [Double](repeating: 0, count: width)
        rows.values.withUnsafeBufferPointer { x in
            for row in 0..<count {
                for i in 0..<width {
                    let v = Double(x[row * width + i])
                    sum[i] += v
                    squares[i] += v * v
                }
            }
        }
        let mean = sum.map { $0 / Double(count) }
        let std = (0..<width).map { i -> Float in
            let deviation = max(squares[i] / Double(count) - mean[i] * mean[i], 0).squareRoot()
            return deviation > 1e-6 ? Float(deviation) : 1
        }
        let shape = Array(rows.shape.dropFirst())
        return StandardizationSpec(
            mean: WeightTensor(shape: shape, values: mean.map { Float($0) }), std: WeightTensor(shape: shape, values: std))
    }

    /// The statistics as the agent applies them (`Inference.InputStandardization`).
    /// - Precondition: the statistics are present.
    var standardization: InputStandardization {
        InputStandardization(mean: mean!.values, std: std!.values, inputCount: mean!.values.count)!
    }

    /// `row` standardised the way `StandardizationLayer` and the agent do it.
    func standardizing(_ row: [Float]) -> [Float] { standardization.applied(to: row) }
}

extension ModelGraph {
    /// The graph's input standardisation: its first layer, when that is an adapted `.standardization`.
    public var inputStandardization: StandardizationSpec? {
        guard case .standardization(let spec) = layers.first, spec.mean != nil, spec.std != nil else { return nil }
        return spec
    }
}

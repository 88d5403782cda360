/// Per-feature standardisation of a model input, `(x − mean) · (1 / std)`: the one implementation the
/// agent's scorer, the int8 tools and float training share, so they standardise bit for bit alike.
///
/// One statistic per input element, or one per group of `inputCount / mean.count` consecutive elements
/// (a log-mel image's mel row, `(mels, frames, 1)` row-major). `Sendable`: immutable after `init`.
public struct InputStandardization: Sendable, Equatable {
    /// The means.
    public let mean: [Float]
    /// `1 / std`, per statistic.
    public let inverseStd: [Float]
    /// Input elements each statistic covers.
    public let elementsPerStatistic: Int

    /// - Returns: nil when `mean` is empty (no standardisation) or does not divide `inputCount`.
    /// - Precondition: `std` has `mean.count` values, all > 0 (`FeatureSpecValidator` checks artifacts).
    public init?(mean: [Float], std: [Float], inputCount: Int) {
        guard !mean.isEmpty, inputCount % mean.count == 0 else { return nil }
        precondition(std.count == mean.count, "InputStandardization: mean and std differ in length")
        self.mean = mean
        inverseStd = std.map { 1 / $0 }
        elementsPerStatistic = inputCount / mean.count
    }

    /// Standardises `values` in place (one input, `mean.count × elementsPerStatistic` elements). Never allocates.
    @inline(__always)
    public func apply(_ values: UnsafeMutableBufferPointer<Float>) {
        for i in values.indices {
            let k = i / elementsPerStatistic
            values[i] = (values[i] - mean[k]) * inverseStd[k]
        }
    }

    /// `row` standardised (allocates; for tools and training, not the agent's loop).
    public func applied(to row: [Float]) -> [Float] {
        var result = row
        result.withUnsafeMutableBufferPointer { apply($0) }
        return result
    }
}

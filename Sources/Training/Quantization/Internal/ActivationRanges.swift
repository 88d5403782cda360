import Inference

/// Per-tensor activation statistics over the calibration windows: extremes, and for the percentile
/// method a 4,096-bin histogram between them (a second pass), from which quantiles are read.
struct ActivationRanges {
    static let bins = 4_096
    var minimum: [Float]
    var maximum: [Float]
    var histograms: [[Int]] = []

    init(tensors: Int) {
        minimum = [Float](repeating: .infinity, count: tensors)
        maximum = [Float](repeating: -.infinity, count: tensors)
    }

    mutating func observeExtremes(_ tensor: Int, _ values: [Float]) {
        for v in values {
            minimum[tensor] = min(minimum[tensor], v)
            maximum[tensor] = max(maximum[tensor], v)
        }
    }

    mutating func observeHistogram(_ tensor: Int, _ values: [Float]) {
        if histograms.isEmpty { histograms = [[Int]](repeating: [Int](repeating: 0, count: Self.bins), count: minimum.count) }
        let low = minimum[tensor]
        let width = (maximum[tensor] - low) / Float(Self.bins)
        guard width > 0 else { return }
        for v in values { histograms[tensor][min(Self.bins - 1, max(0, Int((v - low) / width)))] += 1 }
    }

    /// The range to quantize `tensor` to, always including 0.
    func range(_ tensor: Int, method: CalibrationMethod, percentile: Double) -> (min: Float, max: Float) {
        let low = minimum[tensor].isFinite ? minimum[tensor] : 0
        let high = maximum[tensor].isFinite ? maximum[tensor] : 0
        guard method == .percentile, !histograms.isEmpty else { return (min(low, 0), max(high, 0)) }
        let counts = histograms[tensor]
        let total = counts.reduce(0, +)
        guard total > 0 else { return (min(low, 0), max(high, 0)) }
        let width = (high - low) / Float(Self.bins)
        let tail = Double(total) * (100 - percentile) / 100
        var seen = 0
        var lowerBin = 0
        while lowerBin < Self.bins - 1 && Double(seen + counts[lowerBin]) <= tail {
            seen += counts[lowerBin]
            lowerBin += 1
        }
        seen = 0
        var upperBin = Self.bins - 1
        while upperBin > 0 && Double(seen + counts[upperBin]) <= tail {
            seen += counts[upperBin]
            upperBin -= 1
        }
        let lower = low + Float(lowerBin) * width
        let upper = low + Float(upperBin + 1) * width
        return (min(lower, 0), max(upper, 0))
    }
}

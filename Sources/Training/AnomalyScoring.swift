/// Anomaly scores from a reconstruction model (the DCASE autoencoder) and their alarm threshold. `Sendable`.
public enum AnomalyScoring: Sendable {
    /// Mean squared reconstruction error per sample: `(samples)` from inputs `(samples, features)`.
    public static func reconstructionErrors(network: Network, inputs: Tensor) -> [Float] {
        let output = network.predict(inputs)
        let width = inputs.count / inputs.batch
        return (0..<inputs.batch).map { n in
            var sum = 0.0
            for j in 0..<width {
                let d = Double(output.values[n * width + j]) - Double(inputs.values[n * width + j])
                sum += d * d
            }
            return Float(sum / Double(width))
        }
    }

    /// Clip scores: the mean of the window scores of each clip. `clips[i]` names the clip of window `i`;
    /// the result is in order of first appearance.
    public static func clipScores(windowScores: [Float], clips: [Int]) -> (clips: [Int], scores: [Float]) {
        var order: [Int] = []
        var sums: [Int: (Double, Int)] = [:]
        for (score, clip) in zip(windowScores, clips) {
            if sums[clip] == nil { order.append(clip) }
            let (s, n) = sums[clip] ?? (0, 0)
            sums[clip] = (s + Double(score), n + 1)
        }
        return (order, order.map { Float(sums[$0]!.0 / Double(sums[$0]!.1)) })
    }

    /// The `percentile` (0–100] of `scores` with linear interpolation between order statistics (NumPy's
    /// default `percentile` method). Used on normal validation scores to set the alarm threshold.
    public static func threshold(normalScores scores: [Float], percentile: Double) -> Float {
        precondition(!scores.isEmpty, "threshold needs at least one score")
        let sorted = scores.sorted()
        let position = percentile / 100 * Double(sorted.count - 1)
        let low = Int(position.rounded(.down))
        let high = min(low + 1, sorted.count - 1)
        let fraction = Float(position - Double(low))
        return sorted[low] + (sorted[high] - sorted[low]) * fraction
    }
}

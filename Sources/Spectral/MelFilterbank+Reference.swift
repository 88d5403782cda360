extension MelFilterbank {
    /// The plain dense product `weights · spectrum`, one sequential sum per filter over every bin.
    ///
    /// The oracle for `apply`. `spectrum`: (frequencyBins,), power. Returns (melBins,), power.
    public func applyReference(_ spectrum: [Float]) -> [Float] {
        precondition(spectrum.count == frequencyBins, "spectrum must have frequencyBins values")
        return (0..<melBins).map { m in
            var sum: Float = 0
            for k in 0..<frequencyBins { sum += weights[m * frequencyBins + k] * spectrum[k] }
            return sum
        }
    }
}

import Spectral

extension FeatureMatrix {
    /// The matrix with every row's values moved `bins` places up (positive) or down (negative), the
    /// vacated places filled with the row's edge value: a log-mel spectrogram whose spectrum is shifted
    /// in frequency. `EmbeddingTrainer` uses it to make a lone machine's outliers.
    func shiftingBins(by bins: Int) -> FeatureMatrix {
        guard bins != 0, width > 0 else { return self }
        var out = values
        for t in 0..<frames {
            let row = t * width
            for b in 0..<width {
                let source = min(max(b - bins, 0), width - 1)
                out[row + b] = values[row + source]
            }
        }
        return FeatureMatrix(frames: frames, width: width, values: out)
    }
}

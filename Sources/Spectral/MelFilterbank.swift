/// `librosa.filters.mel`: triangular filters on the mel scale, stored sparsely.
///
/// `Sendable` value type. The weights are computed in double precision exactly as librosa does and
/// rounded to float32 (librosa's default dtype). Each filter's nonzero span `[start, end)` of FFT bins is
/// kept so `apply` touches only those bins (about 2 × bins multiply-adds per frame for any filter count).
public struct MelFilterbank: Sendable {
    /// Number of filters.
    public let melBins: Int
    /// Number of FFT bins each filter spans, `1 + nFFT / 2`.
    public let frequencyBins: Int
    /// Dense weights, (melBins, frequencyBins), row-major, unitless (area-normalised with Slaney norm).
    public let weights: [Float]
    /// First nonzero bin of each filter, (melBins,).
    public let starts: [Int]
    /// One past the last nonzero bin of each filter, (melBins,).
    public let ends: [Int]
    /// Nonzero weights of all filters back to back; filter `m` starts at `packedOffsets[m]`.
    private let packed: [Float]
    private let packedOffsets: [Int]

    /// Builds the filterbank.
    /// - Parameters:
    ///   - sampleRate: Hz. `nFFT`: FFT length. `melBins`: number of filters.
    ///   - fmin, fmax: lowest and highest filter edge in Hz (`fmax` nil: `sampleRate / 2`).
    /// - Throws: `SpectralError.invalidParameter`, `.fmaxAboveNyquist`, or `.emptyMelFilters` when any filter
    ///   (not starting at 0 Hz) has no nonzero weight — librosa only warns about those.
    public init(sampleRate: Int, nFFT: Int, melBins: Int = 128, fmin: Double = 0, fmax: Double? = nil,
                scale: MelScale = .slaney, norm: MelNorm = .slaney) throws(SpectralError) {
        let spec = FeatureSpec(kind: .mel, sampleRate: sampleRate, nFFT: nFFT, melBins: melBins, fmin: fmin, fmax: fmax)
        try spec.validate()
        let bins = 1 + nFFT / 2
        let edges = MelFrequency.edges(count: melBins + 2, fmin: fmin, fmax: spec.effectiveFmax, scale: scale)
        // np.fft.rfftfreq(n_fft, 1/sr): k · (1 / (n_fft · (1/sr)))
        let binSpacing = 1.0 / (Double(nFFT) * (1.0 / Double(sampleRate)))
        var weights = [Float](repeating: 0, count: melBins * bins)
        var starts = [Int](repeating: 0, count: melBins)
        var ends = [Int](repeating: 0, count: melBins)
        var empty = 0
        for m in 0..<melBins {
            let lowerWidth = edges[m + 1] - edges[m]
            let upperWidth = edges[m + 2] - edges[m + 1]
            let enorm = norm == .slaney ? 2.0 / (edges[m + 2] - edges[m]) : 1.0
            var first = bins, last = 0
            for k in 0..<bins {
                let frequency = Double(k) * binSpacing
                let lower = -(edges[m] - frequency) / lowerWidth
                let upper = (edges[m + 2] - frequency) / upperWidth
                let w = max(0, min(lower, upper))
                guard w > 0 else { continue }
                // librosa stores into a float32 array first, then scales in place (float32 · float64 → float32).
                let stored = Float(w)
                weights[m * bins + k] = norm == .slaney ? Float(Double(stored) * enorm) : stored
                first = min(first, k)
                last = k
            }
            if first <= last {
                starts[m] = first
                ends[m] = last + 1
            } else if edges[m] != 0 {
                empty += 1
            }
        }
        if empty > 0 { throw SpectralError.emptyMelFilters(empty: empty, melBins: melBins, nFFT: nFFT) }
        var packed: [Float] = []
        var offsets: [Int] = []
        for m in 0..<melBins {
            offsets.append(packed.count)
            packed.append(contentsOf: weights[(m * bins + starts[m])..<(m * bins + ends[m])])
        }
        self.melBins = melBins
        self.frequencyBins = bins
        self.weights = weights
        self.starts = starts
        self.ends = ends
        self.packed = packed
        self.packedOffsets = offsets
    }

    /// Mel energies of one spectrum, using only each filter's nonzero span.
    ///
    /// `spectrum`: (frequencyBins,), power. `out`: (melBins,), power. Does not allocate. Four partial sums
    /// per filter (so the loop pipelines); agrees with `applyReference` to float rounding.
    public func apply(_ spectrum: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        packed.withUnsafeBufferPointer { w in
            starts.withUnsafeBufferPointer { starts in
                ends.withUnsafeBufferPointer { ends in
                    packedOffsets.withUnsafeBufferPointer { offsets in
                        for m in 0..<melBins {
                            let x = spectrum + starts[m]
                            let weights = w.baseAddress! + offsets[m]
                            let count = ends[m] - starts[m]
                            var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                            var k = 0
                            while k + 4 <= count {
                                s0 += weights[k] * x[k]
                                s1 += weights[k + 1] * x[k + 1]
                                s2 += weights[k + 2] * x[k + 2]
                                s3 += weights[k + 3] * x[k + 3]
                                k += 4
                            }
                            while k < count {
                                s0 += weights[k] * x[k]
                                k += 1
                            }
                            out[m] = (s0 + s1) + (s2 + s3)
                        }
                    }
                }
            }
        }
    }
}

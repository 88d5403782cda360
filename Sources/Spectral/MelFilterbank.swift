/// `librosa.filters.mel`: triangular filters on the mel scale, stored sparsely.
///
/// `Sendable` value type. The weights are computed in double precision exactly as librosa does and
/// rounded to float32 (librosa's default dtype). Each filter's nonzero span `[start, end)` of FFT bins is
/// kept so `apply` touches only those bins (about 2 × bins multiply-adds per frame for any filter count).
/// For `apply`, each span is widened to a multiple of 8 bins (zero weights, moved left where it would run past the
/// last bin) so a filter is a few 8-wide multiply-adds.
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
    /// Each filter's weights over its widened span `[lanesStart[m], lanesStart[m] + lanesCount[m])`, back to back,
    /// zero outside `[starts[m], ends[m])`; filter `m` starts at `packedOffsets[m]`. Counts are multiples of 8
    /// unless the whole spectrum has fewer than 8 bins.
    private let packed: [Float]
    private let packedOffsets: [Int]
    private let lanesStart: [Int]
    private let lanesCount: [Int]

    /// Builds the filterbank.
    /// - Parameters:
    ///   - sampleRate: Hz. `nFFT`: FFT length. `melBins`: number of filters.
    ///   - fmin, fmax: lowest and highest filter edge in Hz (`fmax` nil: `sampleRate / 2`).
    /// - Throws: `SpectralError.invalidParameter`, `.fmaxAboveNyquist`, or `.emptyMelFilters` when any filter
    ///   (not starting at 0 Hz) has no nonzero weight — librosa only warns about those.
    public init(
        sampleRate: Int, nFFT: Int, melBins: Int = 128, fmin: Double = 0, fmax: Double? = nil,
        scale: MelScale = .slaney, norm: MelNorm = .slaney
    ) throws(SpectralError) {
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
        var offsets: [Int] = [], lanesStart: [Int] = [], lanesCount: [Int] = []
        for m in 0..<melBins {
            let width = ends[m] - starts[m]
            let count = min(bins, (width + 7) / 8 * 8)
            let start = min(starts[m], bins - count)
            offsets.append(packed.count)
            lanesStart.append(start)
            lanesCount.append(count)
            packed.append(contentsOf: weights[(m * bins + start)..<(m * bins + start + count)])
        }
        self.melBins = melBins
        self.frequencyBins = bins
        self.weights = weights
        self.starts = starts
        self.ends = ends
        self.packed = packed
        self.packedOffsets = offsets
        self.lanesStart = lanesStart
        self.lanesCount = lanesCount
    }

    /// Mel energies of one spectrum, using only each filter's (widened) span.
    ///
    /// `spectrum`: (frequencyBins,), power. `out`: (melBins,), power. Does not allocate. Sums 8 lanes at a time
    /// and adds the lanes at the end, so it agrees with the sequential `applyReference` to float rounding.
    public func apply(_ spectrum: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        packed.withUnsafeBufferPointer { w in
            lanesStart.withUnsafeBufferPointer { starts in
                lanesCount.withUnsafeBufferPointer { counts in
                    packedOffsets.withUnsafeBufferPointer { offsets in
                        for m in 0..<melBins {
                            let x = UnsafeRawPointer(spectrum + starts[m])
                            let weights = UnsafeRawPointer(w.baseAddress! + offsets[m])
                            let count = counts[m]
                            var acc = SIMD8<Float>()
                            var k = 0
                            while k + 8 <= count {
                                let stride = k * MemoryLayout<Float>.stride
                                acc +=
                                    weights.loadUnaligned(fromByteOffset: stride, as: SIMD8<Float>.self)
                                    * x.loadUnaligned(fromByteOffset: stride, as: SIMD8<Float>.self)
                                k += 8
                            }
                            var sum = acc.sum()
                            while k < count {  // only when the spectrum has fewer than 8 bins
                                sum += w[offsets[m] + k] * spectrum[starts[m] + k]
                                k += 1
                            }
                            out[m] = sum
                        }
                    }
                }
            }
        }
    }
}

extension MelFilterbank {
    /// The centre frequency of each of `melBins` filters in Hz (`librosa.mel_frequencies(melBins + 2, fmin,
    /// fmax)[1:-1]`): where each triangle peaks.
    public static func centerFrequencies(melBins: Int, fmin: Double, fmax: Double, scale: MelScale = .slaney) -> [Double] {
        guard melBins > 0, fmax > fmin else { return [] }
        return Array(MelFrequency.edges(count: melBins + 2, fmin: fmin, fmax: fmax, scale: scale)[1...melBins])
    }
}

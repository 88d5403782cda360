/// Features of one clip: `frames` rows of `width` float32 values, row-major (C order).
///
/// `Sendable` value type. This is librosa's output transposed: librosa returns (features, frames).
public struct FeatureMatrix: Sendable, Equatable {
    /// Number of rows (STFT frames, or DCASE vectors).
    public let frames: Int
    /// Values per row (bins, mel bins, coefficients, or stacked mel bins).
    public let width: Int
    /// (frames, width), row-major; units as `FeatureKind` says.
    public var values: [Float]

    /// Wraps row-major values; `values.count` must be `frames × width`.
    public init(frames: Int, width: Int, values: [Float]) {
        precondition(frames >= 0 && width >= 0 && values.count == frames * width, "values must hold frames × width floats")
        self.frames = frames
        self.width = width
        self.values = values
    }

    /// Row `t`, (width,).
    public func row(_ t: Int) -> ArraySlice<Float> {
        values[(t * width)..<((t + 1) * width)]
    }

    /// The mean over rows, (width,): seed 000's clip vector `np.mean(mfcc.T, axis=0)`.
    ///
    /// Summed in double precision, then rounded; an empty matrix gives zeros.
    public func meanOverTime() -> [Float] {
        var sums = [Double](repeating: 0, count: width)
        values.withUnsafeBufferPointer { v in
            for t in 0..<frames {
                for j in 0..<width { sums[j] += Double(v[t * width + j]) }
            }
        }
        return sums.map { frames > 0 ? Float($0 / Double(frames)) : 0 }
    }

    /// DCASE 2020 baseline vectors: row `i` is rows `i ..< i + count` concatenated,
    /// (frames − count + 1, width × count), as `vector_array[:, n_mels*t : n_mels*(t+1)] = log_mel[:, t:t+n_vectors].T`.
    ///
    /// Fewer than `count` rows give an empty matrix (the baseline returns an empty array too).
    public func stacked(_ count: Int) -> FeatureMatrix {
        precondition(count >= 1, "stack at least one frame")
        let vectors = Swift.max(0, frames - count + 1)
        let stackedWidth = width * count
        var out = [Float](repeating: 0, count: vectors * stackedWidth)
        out.withUnsafeMutableBufferPointer { dst in
            values.withUnsafeBufferPointer { src in
                for i in 0..<vectors {
                    for t in 0..<count {
                        let from = (i + t) * width, to = i * stackedWidth + t * width
                        for j in 0..<width { dst[to + j] = src[from + j] }
                    }
                }
            }
        }
        return FeatureMatrix(frames: vectors, width: stackedWidth, values: out)
    }
}

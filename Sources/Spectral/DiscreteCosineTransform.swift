import Foundation

/// The orthonormal DCT-II that turns log-mel frames into MFCCs (`scipy.fftpack.dct(type=2, norm='ortho')`),
/// keeping the first `outputCount` coefficients, with optional liftering as `librosa.feature.mfcc`.
///
/// `Sendable` value type. The basis is computed in double precision and stored as float32.
public struct DiscreteCosineTransform: Sendable {
    /// Input length (mel bins).
    public let inputCount: Int
    /// Coefficients kept (n_mfcc).
    public let outputCount: Int
    /// Liftering coefficient; 0 means none.
    public let lifter: Double
    /// Basis transposed, (inputCount, outputCount): column `k` of row `n` is `c_k · cos(π k (2n + 1) / 2N)`.
    private let basisTransposed: [Float]
    /// `1 + lifter/2 · sin(π (k + 1) / lifter)`, (outputCount,), or empty without liftering.
    private let lifterGains: [Float]

    /// Builds the basis.
    /// - Throws: `SpectralError.invalidParameter` unless `1 ≤ outputCount ≤ inputCount` and `lifter ≥ 0`.
    public init(inputCount: Int, outputCount: Int, lifter: Double = 0) throws(SpectralError) {
        guard inputCount >= 1, (1...inputCount).contains(outputCount) else {
            throw SpectralError.invalidParameter("n_mfcc must be in 1...n_mels (\(inputCount)), got \(outputCount)")
        }
        guard lifter >= 0, lifter.isFinite else { throw SpectralError.invalidParameter("lifter must be non-negative, got \(lifter)") }
        self.inputCount = inputCount
        self.outputCount = outputCount
        self.lifter = lifter
        var basis = [Float](repeating: 0, count: inputCount * outputCount)
        let n = Double(inputCount)
        for i in 0..<inputCount {
            for k in 0..<outputCount {
                let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
                basis[i * outputCount + k] = Float(scale * cos(Double.pi * Double(k) * Double(2 * i + 1) / (2 * n)))
            }
        }
        self.basisTransposed = basis
        self.lifterGains = lifter > 0
            ? (0..<outputCount).map { k in Float(1 + lifter / 2 * sin(Double.pi * Double(k + 1) / lifter)) }
            : []
    }

    /// Coefficients of one log-mel frame. `input`: (inputCount,), dB. `out`: (outputCount,).
    ///
    /// Accumulates `out += x[n] · basis[n, :]` over `n`, a loop over coefficients that vectorizes.
    /// Does not allocate. Agrees with `applyReference` to float rounding.
    public func apply(_ input: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        let count = outputCount
        out.update(repeating: 0, count: count)
        basisTransposed.withUnsafeBufferPointer { basis in
            for i in 0..<inputCount {
                let x = input[i]
                let row = basis.baseAddress! + i * count
                for k in 0..<count { out[k] += x * row[k] }
            }
        }
        if !lifterGains.isEmpty {
            lifterGains.withUnsafeBufferPointer { gains in
                for k in 0..<count { out[k] *= gains[k] }
            }
        }
    }

    /// The textbook sum `c_k Σ_n x[n] cos(π k (2n + 1) / 2N)` in double precision, then liftering; the oracle for `apply`.
    public func applyReference(_ input: [Float]) -> [Float] {
        precondition(input.count == inputCount, "input must have inputCount values")
        let n = Double(inputCount)
        return (0..<outputCount).map { k in
            var sum = 0.0
            for i in 0..<inputCount { sum += Double(input[i]) * cos(Double.pi * Double(k) * Double(2 * i + 1) / (2 * n)) }
            let scale = k == 0 ? (1 / n).squareRoot() : (2 / n).squareRoot()
            let gain = lifter > 0 ? 1 + lifter / 2 * sin(Double.pi * Double(k + 1) / lifter) : 1
            return Float(sum * scale * gain)
        }
    }
}

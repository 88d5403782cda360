/// Offline feature extraction of a whole mono signal, as librosa computes it.
///
/// `.power` = `np.abs(librosa.stft(y))**power`; `.mel` = `librosa.feature.melspectrogram`;
/// `.logMel` = `librosa.power_to_db(mel, ref, amin, top_db)`; `.mfcc` = `librosa.feature.mfcc`;
/// `.dcaseFrames` = the DCASE 2020 baseline's `file_to_vector_array`. Output is (frames, width), librosa's transposed.
///
/// Validates the spec and plans the FFT once in `init`. Not `Sendable`: it owns FFTW buffers and scratch
/// space, so use one extractor per thread (construction is cheap: an FFTW_ESTIMATE plan and the filterbank).
public final class FeatureExtractor {
    /// The validated parameters.
    public let spec: FeatureSpec
    private let pipeline: FramePipeline

    /// Validates `spec`, builds the filterbank and the FFTW plan.
    /// - Throws: `SpectralError.invalidParameter`, `.fmaxAboveNyquist`, `.emptyMelFilters`, `.fftSetupFailed`.
    public init(spec: FeatureSpec) throws(SpectralError) {
        self.spec = spec
        self.pipeline = try FramePipeline(spec: spec)
    }

    /// The STFT in use (window, sizes, padding).
    public var stft: ShortTimeFourierTransform { pipeline.stft }

    /// The mel filterbank in use, nil for `.power`.
    public var filterbank: MelFilterbank? { pipeline.filterbank }

    /// Features of a mono signal at `spec.sampleRate`.
    /// - Returns: (frames, `spec.outputWidth`); for `.dcaseFrames` (frames − stack + 1, melBins × stack).
    /// - Throws: `SpectralError.nonFiniteInput` for NaN/∞, `.signalTooShort` when no frame (or, for
    ///   DCASE frames, no full stack) fits.
    public func extract(_ signal: [Float]) throws(SpectralError) -> FeatureMatrix {
        try signal.withUnsafeBufferPointer { buffer throws(SpectralError) in try extract(buffer) }
    }

    /// Features of a mono signal at `spec.sampleRate`; see `extract(_:)` for `[Float]`.
    public func extract(_ signal: UnsafeBufferPointer<Float>) throws(SpectralError) -> FeatureMatrix {
        if let index = Self.firstNonFinite(signal) { throw SpectralError.nonFiniteInput(index: index) }
        let stft = pipeline.stft
        guard signal.count >= stft.minimumSamples else {
            throw SpectralError.signalTooShort(samples: signal.count, needed: stft.minimumSamples)
        }
        let frames = stft.frameCount(sampleCount: signal.count)
        if spec.kind == .dcaseFrames && frames < spec.stackedFrames {
            let needed = (spec.stackedFrames - 1) * spec.hopLength + spec.nFFT - 2 * stft.padding
            throw SpectralError.signalTooShort(samples: signal.count, needed: needed)
        }
        let width = pipeline.frameWidth
        var values = [Float](repeating: 0, count: frames * width)
        let hop = spec.hopLength
        let run = { (samples: UnsafeBufferPointer<Float>) in
            values.withUnsafeMutableBufferPointer { out in
                for t in 0..<frames {
                    self.pipeline.frameFeatures(samples.baseAddress! + t * hop, into: out.baseAddress! + t * width)
                }
            }
        }
        if stft.center {
            stft.padded(signal).withUnsafeBufferPointer(run)
        } else {
            run(signal)
        }
        let frameMatrix = FeatureMatrix(frames: frames, width: width, values: values)
        return finish(frameMatrix)
    }

    /// Clip-level steps on frame features: `ref`/`top_db` over the whole matrix, the DCT, DCASE stacking.
    private func finish(_ frameMatrix: FeatureMatrix) -> FeatureMatrix {
        var matrix = frameMatrix
        switch spec.kind {
        case .power, .mel:
            return matrix
        case .logMel:
            matrix.values.withUnsafeMutableBufferPointer { Decibels.applyClipLevel($0, reference: spec.reference, topDB: spec.topDB) }
            return matrix
        case .mfcc:
            matrix.values.withUnsafeMutableBufferPointer { Decibels.applyClipLevel($0, reference: spec.reference, topDB: spec.topDB) }
            let dct = pipeline.dct!
            var out = [Float](repeating: 0, count: matrix.frames * dct.outputCount)
            matrix.values.withUnsafeBufferPointer { logMel in
                out.withUnsafeMutableBufferPointer { coefficients in
                    for t in 0..<matrix.frames {
                        dct.apply(logMel.baseAddress! + t * matrix.width, into: coefficients.baseAddress! + t * dct.outputCount)
                    }
                }
            }
            return FeatureMatrix(frames: matrix.frames, width: dct.outputCount, values: out)
        case .dcaseFrames:
            return matrix.stacked(spec.stackedFrames)
        }
    }

    /// Index of the first NaN or ±∞, or nil. Scans with an integer OR so the common all-finite case vectorizes.
    static func firstNonFinite(_ signal: UnsafeBufferPointer<Float>) -> Int? {
        var flags: UInt32 = 0
        for x in signal { flags |= (x.bitPattern & 0x7F80_0000) == 0x7F80_0000 ? 1 : 0 }
        guard flags != 0 else { return nil }
        return signal.firstIndex { !$0.isFinite }
    }
}

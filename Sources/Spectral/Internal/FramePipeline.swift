/// The per-frame work shared by `FeatureExtractor` and `FeatureStream`: window, FFT, `|X|^p`,
/// sparse mel and the frame-local logarithm.
///
/// Both callers run exactly this code on the same frame samples, so offline and streaming frames
/// are bit-identical. Owns its scratch buffers; not `Sendable` (one per thread).
final class FramePipeline {
    let spec: FeatureSpec
    let stft: ShortTimeFourierTransform
    let filterbank: MelFilterbank?
    let dct: DiscreteCosineTransform?
    /// Width of `frameFeatures`: bins for `.power`, mel bins otherwise.
    let frameWidth: Int
    private let spectrum: UnsafeMutablePointer<Float>

    init(spec: FeatureSpec) throws(SpectralError) {
        try spec.validate()
        self.spec = spec
        self.stft = try ShortTimeFourierTransform(nFFT: spec.nFFT, hopLength: spec.hopLength, winLength: spec.winLength,
                                                  center: spec.center, padMode: spec.padMode, power: spec.power)
        if spec.kind == .power {
            self.filterbank = nil
            self.frameWidth = spec.frequencyBins
        } else {
            self.filterbank = try MelFilterbank(sampleRate: spec.sampleRate, nFFT: spec.nFFT, melBins: spec.melBins, fmin: spec.fmin,
                                                fmax: spec.fmax, scale: spec.melScale, norm: spec.melNorm)
            self.frameWidth = spec.melBins
        }
        self.dct = spec.kind == .mfcc ? try DiscreteCosineTransform(inputCount: spec.melBins, outputCount: spec.nMFCC, lifter: spec.lifter) : nil
        self.spectrum = .allocate(capacity: spec.frequencyBins)
        self.spectrum.initialize(repeating: 0, count: spec.frequencyBins)
    }

    deinit {
        spectrum.deallocate()
    }

    /// The frame-local features of `nFFT` samples at `frame` into `out` (`frameWidth` values):
    /// power spectrum; mel power; dB with reference 1 (`.logMel`, `.mfcc`); DCASE log (`.dcaseFrames`).
    /// Clip-level steps (`ref=max`, `top_db`), the DCT and stacking are left to the caller.
    @inline(__always)
    func frameFeatures(_ frame: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>) {
        guard let filterbank else {
            stft.spectrum(frame: frame, into: out)
            return
        }
        stft.spectrum(frame: frame, into: spectrum)
        filterbank.apply(spectrum, into: out)
        let mel = UnsafeMutableBufferPointer(start: out, count: frameWidth)
        switch spec.kind {
        case .logMel, .mfcc: Decibels.powerToDB(mel, amin: spec.amin)
        case .dcaseFrames: Decibels.dcaseLog(mel, power: spec.power)
        case .power, .mel: break
        }
    }
}

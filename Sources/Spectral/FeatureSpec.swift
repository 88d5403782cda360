/// Every parameter of a feature computation, with librosa's defaults.
///
/// `Sendable` value type. Field names follow librosa (`n_fft` → `nFFT`, …); `validate()` checks
/// everything once, and `FeatureExtractor`/`FeatureStream` call it at construction.
public struct FeatureSpec: Sendable, Equatable {
    /// What to compute.
    public var kind: FeatureKind
    /// Sample rate of the input, in Hz.
    public var sampleRate: Int
    /// FFT length in samples (`n_fft`, default 2048).
    public var nFFT: Int
    /// Samples between frame starts (`hop_length`, default 512).
    public var hopLength: Int
    /// Hann window length in samples, zero-padded centred to `nFFT` (`win_length`, default `nFFT`).
    public var winLength: Int?
    /// Pad `nFFT / 2` samples at both ends so frame `t` is centred on sample `t · hop` (`center`, default true).
    public var center: Bool
    /// Padding used when `center` is true (`pad_mode`, default constant zeros).
    public var padMode: PadMode
    /// Exponent applied to `|STFT|` (`power`, default 2: energy; 1: magnitude).
    public var power: Float
    /// Number of mel filters (`n_mels`, default 128).
    public var melBins: Int
    /// Lowest filter edge in Hz (`fmin`, default 0).
    public var fmin: Double
    /// Highest filter edge in Hz (`fmax`, default `sampleRate / 2`).
    public var fmax: Double?
    /// Hz ↔ mel mapping (`htk`, default Slaney).
    public var melScale: MelScale
    /// Filter normalisation (`norm`, default Slaney area normalisation).
    public var melNorm: MelNorm
    /// Number of cepstral coefficients kept (`n_mfcc`, default 20; seed 000 uses 40).
    public var nMFCC: Int
    /// Cepstral liftering coefficient; 0 disables it (`lifter`, default 0).
    public var lifter: Double
    /// 0 dB reference of `power_to_db` (`ref`, default 1.0).
    public var reference: DecibelReference
    /// Floor applied to power before the logarithm (`amin`, default 1e-10).
    public var amin: Float
    /// Clip dB values more than this below the maximum of the whole input (`top_db`, default 80; nil: no clipping).
    public var topDB: Float?
    /// Consecutive log-mel frames per DCASE vector (`frames`, default 5).
    public var stackedFrames: Int

    /// A spec with librosa's defaults for everything not given.
    public init(
        kind: FeatureKind, sampleRate: Int, nFFT: Int = 2048, hopLength: Int = 512, winLength: Int? = nil,
        center: Bool = true, padMode: PadMode = .constant, power: Float = 2, melBins: Int = 128,
        fmin: Double = 0, fmax: Double? = nil, melScale: MelScale = .slaney, melNorm: MelNorm = .slaney,
        nMFCC: Int = 20, lifter: Double = 0, reference: DecibelReference = .one, amin: Float = 1e-10,
        topDB: Float? = 80, stackedFrames: Int = 5
    ) {
        self.kind = kind
        self.sampleRate = sampleRate
        self.nFFT = nFFT
        self.hopLength = hopLength
        self.winLength = winLength
        self.center = center
        self.padMode = padMode
        self.power = power
        self.melBins = melBins
        self.fmin = fmin
        self.fmax = fmax
        self.melScale = melScale
        self.melNorm = melNorm
        self.nMFCC = nMFCC
        self.lifter = lifter
        self.reference = reference
        self.amin = amin
        self.topDB = topDB
        self.stackedFrames = stackedFrames
    }

    /// Number of frequency bins of the STFT, `1 + nFFT / 2`.
    public var frequencyBins: Int { 1 + nFFT / 2 }

    /// The upper filter edge actually used, in Hz.
    public var effectiveFmax: Double { fmax ?? Double(sampleRate) / 2 }

    /// Values per output row: bins, mel bins, coefficients or stacked mel bins.
    public var outputWidth: Int {
        switch kind {
        case .power: frequencyBins
        case .mel, .logMel: melBins
        case .mfcc: nMFCC
        case .dcaseFrames: melBins * stackedFrames
        }
    }

    /// Checks every parameter except the mel filters' emptiness (which `MelFilterbank` checks).
    /// - Throws: `SpectralError.invalidParameter` or `.fmaxAboveNyquist`.
    public func validate() throws(SpectralError) {
        func require(_ ok: Bool, _ detail: @autoclosure () -> String) throws(SpectralError) {
            if !ok { throw SpectralError.invalidParameter(detail()) }
        }
        try require(sampleRate > 0, "sample rate must be positive, got \(sampleRate)")
        try require(nFFT >= 2, "n_fft must be at least 2, got \(nFFT)")
        try require(hopLength >= 1, "hop length must be at least 1, got \(hopLength)")
        if let winLength { try require((1...nFFT).contains(winLength), "win_length must be in 1...n_fft (\(nFFT)), got \(winLength)") }
        try require(power > 0 && power.isFinite, "power must be positive, got \(power)")
        try require(amin > 0 && amin.isFinite, "amin must be positive, got \(amin)")
        if let topDB { try require(topDB >= 0 && topDB.isFinite, "top_db must be non-negative, got \(topDB)") }
        guard kind != .power else { return }
        try require(melBins >= 1, "n_mels must be at least 1, got \(melBins)")
        try require(fmin >= 0 && fmin.isFinite, "fmin must be non-negative, got \(fmin)")
        let nyquist = Double(sampleRate) / 2
        if effectiveFmax > nyquist { throw SpectralError.fmaxAboveNyquist(fmax: effectiveFmax, nyquist: nyquist) }
        try require(fmin < effectiveFmax, "fmin (\(fmin) Hz) must be below fmax (\(effectiveFmax) Hz)")
        if kind == .mfcc {
            try require((1...melBins).contains(nMFCC), "n_mfcc must be in 1...n_mels (\(melBins)), got \(nMFCC)")
            try require(lifter >= 0 && lifter.isFinite, "lifter must be non-negative, got \(lifter)")
        }
        if kind == .dcaseFrames { try require(stackedFrames >= 1, "frames must be at least 1, got \(stackedFrames)") }
    }
}

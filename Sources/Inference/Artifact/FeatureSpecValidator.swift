import Wire

/// Decides whether the agent can compute an artifact's feature spec exactly (the `Spectral` module's
/// librosa-exact pipeline): MFCC, log-mel and DCASE stacked frames from a Hann-windowed STFT with
/// `power_to_db` scaling and a type-II orthonormal DCT. `Sendable`: a namespace.
public enum FeatureSpecValidator: Sendable {
    /// Longest window (and window hop) an agent runs, seconds: the trainer's own limit on
    /// `training_chunk_seconds`.
    public static let maximumWindowSeconds: Float = 3_600
    /// Most samples in one window (2²⁶, 256 MB of floats): an hour at 16 kHz, 6 minutes at 192 kHz.
    public static let maximumWindowSamples: Double = 67_108_864
    /// Largest mel filterbank, `n_mels × (n_fft/2 + 1)` coefficients (2²⁴, 64 MB of floats).
    public static let maximumFilterbankSize = 16_777_216
    /// Most stacked frames in one DCASE feature vector.
    public static let maximumStackedFrames: UInt32 = 1_024

    /// Checks every field the feature pipeline depends on.
    /// - Throws: `ArtifactError.unsupportedFeatureSpec` naming the first unsupported field.
    public static func validate(_ spec: Earshot_V1_FeatureSpec) throws(ArtifactError) {
        func require(_ condition: Bool, _ reason: @autoclosure () -> String) throws(ArtifactError) {
            if !condition { throw .unsupportedFeatureSpec(reason()) }
        }
        // A field this build does not know (a newer trainer's normalisation, say) changes the features the
        // model learned: computing them without it would score every window wrongly.
        try require(
            spec.unknownFields.data.isEmpty,
            "\(spec.unknownFields.data.count) bytes of fields this agent does not know; update the agent before this model")
        try require(
            [.mfcc, .logMel, .dcaseFrames].contains(spec.kind), "feature kind \(spec.kind) is not computed by this agent")
        try require(
            spec.kind == .logMel || !(spec.subtractWindowMean || spec.subtractBinMeans),
            "subtract_window_mean and subtract_bin_means normalise log-mel images, not \(spec.kind)")
        try require((1_000...192_000).contains(spec.sampleRateHz), "sample_rate_hz \(spec.sampleRateHz) outside 1,000...192,000")
        try require(spec.nFft >= 16 && spec.nFft <= 65_536, "n_fft \(spec.nFft) outside 16...65,536")
        try require(spec.hopLength > 0, "hop_length must be > 0")
        try require(spec.winLength <= spec.nFft, "win_length \(spec.winLength) exceeds n_fft \(spec.nFft)")
        try require(spec.window == .hann, "window \(spec.window) is not supported (Hann only)")
        try require(spec.nMels > 0 && spec.nMels <= spec.nFft / 2 + 1, "n_mels \(spec.nMels) must be in 1...n_fft/2+1")
        try require(
            Int(spec.nMels) * Int(spec.nFft / 2 + 1) <= maximumFilterbankSize,
            "n_mels \(spec.nMels) × \(spec.nFft / 2 + 1) frequency bins exceeds \(maximumFilterbankSize) filterbank coefficients")
        try require(spec.nMfcc <= spec.nMels, "n_mfcc \(spec.nMfcc) exceeds n_mels \(spec.nMels)")
        try require(spec.fminHz >= 0 && spec.fminHz.isFinite, "fmin_hz must be a finite value ≥ 0")
        try require(
            spec.fmaxHz == 0 || (spec.fmaxHz > spec.fminHz && spec.fmaxHz.isFinite),
            "fmax_hz must be 0 (Nyquist) or finite and above fmin_hz")
        try require(spec.melNorm != .unspecified, "mel_norm must be set")
        try require(!spec.center || spec.padMode != .unspecified, "pad_mode must be set when center is true")
        try require(spec.power == 1 || spec.power == 2, "power \(spec.power) must be 1 or 2")
        try require(spec.dbScaling == .powerToDb, "db_scaling \(spec.dbScaling) is not supported (power_to_db only)")
        try require(spec.amin > 0 && spec.amin.isFinite, "amin must be finite and > 0")
        try require(spec.ref > 0 && spec.ref.isFinite, "ref must be finite and > 0")
        try require(!spec.hasTopDb || (spec.topDb >= 0 && spec.topDb.isFinite), "top_db \(spec.topDb) must be finite and ≥ 0")
        try require(
            spec.windowSeconds > 0 && spec.windowSeconds <= maximumWindowSeconds,
            "window_seconds \(spec.windowSeconds) outside (0, \(Int(maximumWindowSeconds))]")
        try require(
            Double(spec.windowSeconds) * Double(spec.sampleRateHz) <= maximumWindowSamples,
            "window_seconds \(spec.windowSeconds) at \(spec.sampleRateHz) Hz exceeds \(Int(maximumWindowSamples)) samples")
        try require(
            spec.windowHopSeconds >= 0 && spec.windowHopSeconds <= maximumWindowSeconds,
            "window_hop_seconds \(spec.windowHopSeconds) outside [0, \(Int(maximumWindowSeconds))] (0: window_seconds)")
        try require(spec.channelMode != .unspecified, "channel_mode must be set")
        switch spec.kind {
        case .mfcc:
            try require(spec.nMfcc > 0 && spec.nMfcc <= spec.nMels, "n_mfcc \(spec.nMfcc) must be in 1...n_mels")
            try require(spec.dctType == 2 && spec.dctOrtho, "only the orthonormal type-II DCT is supported")
        case .dcaseFrames:
            try require(
                spec.frames > 0 && spec.frames <= maximumStackedFrames,
                "frames \(spec.frames) outside 1...\(maximumStackedFrames) for DCASE stacked frames")
        default: break
        }
        try require(
            spec.featureStd.allSatisfy { $0 > 0 && $0.isFinite } && spec.featureMean.allSatisfy(\.isFinite),
            "feature_std must be finite and > 0 and feature_mean finite")
        try require(spec.featureMean.count == spec.featureStd.count, "feature_mean and feature_std differ in length")
    }
}

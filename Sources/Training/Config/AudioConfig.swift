import ConfigSchema
import Inference

/// `audio:` — the feature spec (seed 003's keys plus `feature`, `mfcc_count`, `frames`, `feature_standardization`). `Sendable`.
///
/// Frame counts assume a centred STFT (librosa's default): `1 + floor(seconds · sample_rate / hop_size)`.
public struct AudioConfig: Sendable, Equatable {
    /// `feature`: mfcc-mean | logmel | dcase-frames (required).
    public var feature: FeatureKind
    /// `audio_parameters`: only `Manual` (every parameter is given here).
    public var audioParameters: String
    /// `sample_rate` in Hz (default 16,000).
    public var sampleRate: Int
    /// `stft_window_size` = n_fft in samples (default 2048).
    public var stftWindowSize: Int
    /// `hop_size` in samples (default 512).
    public var hopSize: Int
    /// `mel_frequency_bins` (default 128).
    public var melFrequencyBins: Int
    /// `minimum_frequency` in Hz (default 0).
    public var minimumFrequency: Double
    /// `maximum_frequency` in Hz (default sample_rate / 2; at most sample_rate / 2, see `docs/training.md`).
    public var maximumFrequency: Double
    /// `spectrogram_normalization`: `No` (default), `Chunk mean` or `Bin means` (log-mel only).
    public var spectrogramNormalization: SpectrogramNormalization
    /// `training_chunk_seconds`: clip length the model trains on (default 10).
    public var trainingChunkSeconds: Double
    /// `training_chunk_hop_seconds`: step between the starts of a clip's training chunks (default: the chunk
    /// length, non-overlapping). A shorter hop makes overlapping chunks, so every second of a clip starts one.
    public var trainingChunkHopSeconds: Double
    /// `mfcc_count` for mfcc-mean (default 40).
    public var mfccCount: Int
    /// `frames` stacked for dcase-frames (default 5).
    public var frames: Int
    /// `feature_standardization`: none (default) or per-feature (classifiers only).
    public var featureStandardization: FeatureStandardization

    init(_ s: inout ConfigNode) throws {
        feature = try s.required(s.choice("feature", of: FeatureKind.self), "feature")
        audioParameters = try s.string("audio_parameters") ?? "Manual"
        // Integer keys are bounded where they are read (to what agents compute), so no later arithmetic on
        // them can overflow.
        sampleRate = try s.int("sample_rate", in: 1_000...192_000) ?? 16_000
        stftWindowSize = try s.int("stft_window_size", in: 16...65_536) ?? 2_048
        hopSize = try s.int("hop_size", in: 1...65_536) ?? 512
        melFrequencyBins = try s.int("mel_frequency_bins", in: 1...4_096) ?? 128
        minimumFrequency = try s.double("minimum_frequency") ?? 0
        maximumFrequency = try s.double("maximum_frequency") ?? Double(sampleRate) / 2
        spectrogramNormalization = try s.choice("spectrogram_normalization", of: SpectrogramNormalization.self) ?? .none
        trainingChunkSeconds = try s.double("training_chunk_seconds") ?? 10
        trainingChunkHopSeconds = try s.double("training_chunk_hop_seconds") ?? trainingChunkSeconds
        mfccCount = try s.int("mfcc_count", in: 1...4_096) ?? 40
        frames = try s.int("frames", in: 1...Int(FeatureSpecValidator.maximumStackedFrames)) ?? 5
        featureStandardization = try s.choice("feature_standardization", of: FeatureStandardization.self) ?? .none
        try s.check(audioParameters == "Manual", "audio_parameters", "only 'Manual' is supported")
        // Seed 003 asks for 16,000 Hz at a 22,050 Hz rate. librosa accepts that and silently builds mel filters
        // above Nyquist that are all zero (constant features the model cannot use); Spectral refuses such a
        // filterbank, so the config is refused here, at the boundary, naming the key.
        try s.check(
            maximumFrequency <= Double(sampleRate) / 2, "maximum_frequency",
            "\(maximumFrequency) Hz is above the Nyquist frequency \(Double(sampleRate) / 2) Hz of sample_rate \(sampleRate); "
                + "lower it to at most \(Double(sampleRate) / 2)")
        try s.check(
            minimumFrequency >= 0 && minimumFrequency < maximumFrequency,
            "maximum_frequency", "need 0 ≤ minimum_frequency < maximum_frequency")
        try s.check(
            spectrogramNormalization == .none || feature == .logMel, "spectrogram_normalization",
            "'\(spectrogramNormalization.rawValue)' normalises log-mel images; use 'No' with \(feature.rawValue)")
        try s.check(trainingChunkSeconds > 0 && trainingChunkSeconds <= 3_600, "training_chunk_seconds", "must be in (0, 3600] s")
        try s.check(
            trainingChunkHopSeconds > 0 && trainingChunkHopSeconds <= trainingChunkSeconds, "training_chunk_hop_seconds",
            "must be > 0 and at most training_chunk_seconds (\(trainingChunkSeconds))")
        // Features no agent can compute are refused here, naming the section, not when an agent installs the model.
        do {
            try FeatureSpecValidator.validate(artifactFeatureSpec)
        } catch {
            let reason = if case .unsupportedFeatureSpec(let why) = error { why } else { "\(error)" }
            throw TrainingError.invalidConfig(keyPath: s.path, reason: "agents cannot compute these features: \(reason)")
        }
        try s.finish()
    }

    /// STFT frames in `seconds` of audio (centred STFT).
    public func frameCount(seconds: Double) -> Int {
        1 + Int((seconds * Double(sampleRate)).rounded(.down)) / hopSize
    }

    /// Per-sample model input for a chunk of `seconds` (default: the training chunk), channels-last.
    public func inputShape(seconds: Double? = nil) -> [Int] {
        switch feature {
        case .mfccMean: [mfccCount, 1]
        case .logMel: [melFrequencyBins, frameCount(seconds: seconds ?? trainingChunkSeconds), 1]
        case .dcaseFrames: [frames * melFrequencyBins]
        }
    }
}

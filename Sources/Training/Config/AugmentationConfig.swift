import ConfigSchema

/// `augmentation:` — how training chunks are varied every epoch so a network learns from few real clips
/// (seed 003's `mix_*` keys for mixup, plus `random_crop`, `gain_db`, `noise_*` and SpecAugment masks).
/// Everything is off by default; validation, test and deployment never see augmentation. `Sendable`.
///
/// Per epoch, the chunks are every chunk once, or drawn class by class (`balance_classes`). Per chunk, in
/// this order: a random crop (`random_crop`), a random gain, another
/// training chunk mixed in as background at a random SNR, a frequency shift and a spectral tilt, the
/// `audio.spectrogram_normalization`, time and frequency masks; then mixup between chunks of the epoch.
public struct AugmentationConfig: Sendable, Equatable {
    /// Names accepted by `mix_audio`. `Sendable`.
    public enum MixAudio: String, Sendable, Equatable, CaseIterable {
        /// No mixing (seed 003's setting).
        case disabled = "Disabled"
        /// Mixup: `λ·x₁ + (1 − λ)·x₂` with the same mix of one-hot targets, `λ ~ Beta(α, α)`.
        case mixup = "Mixup"
    }

    /// Names accepted by `mix_target`. `Sendable`.
    public enum MixTarget: String, Sendable, Equatable, CaseIterable {
        /// Targets are mixed in the same ratio as the inputs.
        case ratio = "Ratio"
    }

    /// `mix_audio`: Disabled (default) | Mixup.
    public var mixAudio: MixAudio
    /// `mix_concentration`: α of the Beta(α, α) mixing ratio (default 1, uniform), > 0.
    public var mixConcentration: Double
    /// `mix_probability`: share of chunks mixed, in [0, 1] (default 1).
    public var mixProbability: Double
    /// `mix_iterations`: further chunks mixed into one chunk, 1…8 (default 1).
    public var mixIterations: Int
    /// `mix_target`: only `Ratio`.
    public var mixTarget: MixTarget
    /// `random_crop`: each epoch a chunk starts at a random frame of its clip instead of a fixed one
    /// (default false).
    public var randomCrop: Bool
    /// `gain_db`: a random gain uniform in ±`gain_db` dB per chunk, in [0, 40] (default 0, off).
    public var gainDB: Double
    /// `noise_probability`: share of chunks that get another training chunk (any class, a random place in
    /// its clip) mixed in as background noise, in [0, 1] (default 0, off).
    public var noiseProbability: Double
    /// `noise_snr_db`: `[low, high]` range the chunk-to-noise power ratio is drawn from, dB, within
    /// [−20, 60] (default `[10, 30]`).
    public var noiseSNRDB: ClosedRange<Double>
    /// `frequency_shift_bins`: the chunk's mel bins move up or down by a random whole number of bins up to
    /// this, the edge bin repeated into the gap, 0…32 (default 0, off): machines of one type run at
    /// different speeds, so their tones sit at different frequencies.
    public var frequencyShiftBins: Int
    /// `tilt_db`: a random spectral tilt uniform in ±`tilt_db` dB from the lowest to the highest mel bin
    /// (linear over the bins), 0…20 (default 0, off): microphones and rooms colour a recording.
    public var tiltDB: Double
    /// `time_masks`: SpecAugment time masks per chunk, 0…10 (default 0).
    public var timeMasks: Int
    /// `time_mask_frames`: a time mask's largest width in frames (uniform in 0…this), ≥ 1 (default 16).
    public var timeMaskFrames: Int
    /// `frequency_masks`: SpecAugment frequency masks per chunk, 0…10 (default 0).
    public var frequencyMasks: Int
    /// `frequency_mask_bins`: a frequency mask's largest width in mel bins, ≥ 1 (default 8).
    public var frequencyMaskBins: Int
    /// `balance_classes`: each epoch draws its chunks class by class in turn (a random chunk of each class),
    /// so a class with many recordings does not outvote the others (default false: every chunk once).
    public var balanceClasses: Bool

    /// No augmentation (a config without the section).
    public init() {
        mixAudio = .disabled
        mixConcentration = 1
        mixProbability = 1
        mixIterations = 1
        mixTarget = .ratio
        randomCrop = false
        gainDB = 0
        noiseProbability = 0
        noiseSNRDB = 10...30
        frequencyShiftBins = 0
        tiltDB = 0
        timeMasks = 0
        timeMaskFrames = 16
        frequencyMasks = 0
        frequencyMaskBins = 8
        balanceClasses = false
    }

    init(_ s: inout ConfigNode) throws {
        self.init()
        mixAudio = try s.choice("mix_audio", of: MixAudio.self) ?? mixAudio
        mixConcentration = try s.double("mix_concentration") ?? mixConcentration
        mixProbability = try s.double("mix_probability") ?? mixProbability
        mixIterations = try s.int("mix_iterations") ?? mixIterations
        mixTarget = try s.choice("mix_target", of: MixTarget.self) ?? mixTarget
        randomCrop = try s.bool("random_crop") ?? randomCrop
        gainDB = try s.double("gain_db") ?? gainDB
        noiseProbability = try s.double("noise_probability") ?? noiseProbability
        let snr = try s.doubleList("noise_snr_db")
        frequencyShiftBins = try s.int("frequency_shift_bins") ?? frequencyShiftBins
        tiltDB = try s.double("tilt_db") ?? tiltDB
        timeMasks = try s.int("time_masks") ?? timeMasks
        timeMaskFrames = try s.int("time_mask_frames") ?? timeMaskFrames
        frequencyMasks = try s.int("frequency_masks") ?? frequencyMasks
        frequencyMaskBins = try s.int("frequency_mask_bins") ?? frequencyMaskBins
        balanceClasses = try s.bool("balance_classes") ?? balanceClasses
        try s.check(mixConcentration > 0 && mixConcentration <= 100, "mix_concentration", "must be in (0, 100]")
        try s.check((0...1).contains(mixProbability), "mix_probability", "must be in [0, 1]")
        try s.check((1...8).contains(mixIterations), "mix_iterations", "must be in 1…8")
        try s.check((0...40).contains(gainDB), "gain_db", "must be in [0, 40] dB")
        try s.check((0...1).contains(noiseProbability), "noise_probability", "must be in [0, 1]")
        if let snr {
            try s.check(
                snr.count == 2 && snr[0] <= snr[1] && snr[0] >= -20 && snr[1] <= 60, "noise_snr_db",
                "must be [low, high] with −20 ≤ low ≤ high ≤ 60 dB")
            noiseSNRDB = snr[0]...snr[1]
        }
        try s.check((0...32).contains(frequencyShiftBins), "frequency_shift_bins", "must be in 0…32")
        try s.check((0...20).contains(tiltDB), "tilt_db", "must be in [0, 20] dB")
        try s.check((0...10).contains(timeMasks), "time_masks", "must be in 0…10")
        try s.check(timeMaskFrames >= 1, "time_mask_frames", "must be ≥ 1")
        try s.check((0...10).contains(frequencyMasks), "frequency_masks", "must be in 0…10")
        try s.check(frequencyMaskBins >= 1, "frequency_mask_bins", "must be ≥ 1")
        try s.finish()
    }

    /// Whether training chunks change between epochs at all.
    public var isEnabled: Bool {
        randomCrop || balanceClasses || gainDB > 0 || noiseProbability > 0 || frequencyShiftBins > 0 || tiltDB > 0 || timeMasks > 0
            || frequencyMasks > 0
            || (mixAudio == .mixup && mixProbability > 0)
    }
}

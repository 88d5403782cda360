import Foundation
import SeededRandom
import Spectral

/// Each epoch's training chunks, cut from whole clips' log-mel features and varied as an
/// `AugmentationConfig` says, so a network trained on few real clips sees a different sample every epoch.
///
/// Without augmentation an epoch is exactly `AudioConfig.modelInputs` of the clips (chunks every
/// `training_chunk_hop_seconds`); `balance_classes` draws as many chunks class by class instead. Per chunk:
/// a random start (`random_crop`), a random gain, another training chunk mixed in as background at a random
/// SNR (added as power, `10^(dB/10)`), a frequency shift and a spectral tilt, the
/// `spectrogram_normalization`, then time and frequency masks filled with the image's mean; finally mixup
/// between the epoch's chunks, targets mixed in the same ratio. Deterministic: the same seed and epoch give
/// the same data. `Sendable`: immutable.
public struct ChunkAugmenter: Sendable {
    /// The feature config (chunk length, hop, normalisation).
    public let audio: AudioConfig
    /// What varies.
    public let augmentation: AugmentationConfig
    private let clips: [FeatureMatrix]
    private let targets: [[Float]]
    private let placements: [(clip: Int, start: Int)]
    private let seed: UInt64

    /// An augmenter over `clips` (whole-clip log-mel matrices) with one target row per clip.
    /// - Precondition: `audio.feature` is log-mel and `targets.count == clips.count`.
    public init(audio: AudioConfig, augmentation: AugmentationConfig, clips: [FeatureMatrix], targets: [[Float]], seed: UInt64) {
        precondition(audio.feature == .logMel && targets.count == clips.count, "log-mel clips with one target row each")
        self.audio = audio
        self.augmentation = augmentation
        self.clips = clips
        self.targets = targets
        self.seed = seed
        let chunk = audio.inputShape()[1]
        let hop = audio.hopFrames(audio.trainingChunkHopSeconds, chunkSeconds: audio.trainingChunkSeconds)
        placements = clips.indices.flatMap { clip in
            audio.chunkStarts(frames: clips[clip].frames, chunk: chunk, hop: hop).map { (clip, $0) }
        }
    }

    /// Chunks per epoch.
    public var count: Int { placements.count }

    /// The training data of `epoch` (1-based): `(count, mels, frames, 1)` images with their targets.
    public func data(epoch: Int) -> LabeledData {
        let shape = audio.inputShape()
        let chunk = shape[1]
        let size = shape[0] * chunk
        let outputs = targets.first?.count ?? 0
        var generator = SeededGenerator(seed: SeededGenerator.derive(seed, UInt64(epoch)))
        var images = [[Float]]()
        images.reserveCapacity(count)
        let chosen = augmentation.balanceClasses ? balancedPlacements(using: &generator) : placements
        for (clip, fixedStart) in chosen {
            let start = augmentation.randomCrop ? randomStart(clip, chunk, &generator) : fixedStart
            var image = audio.chunkImage(clips[clip], start: start, frames: chunk)
            if augmentation.gainDB > 0 {
                let gain = generator.nextFloat(in: Float(-augmentation.gainDB), Float(augmentation.gainDB))
                for i in image.indices { image[i] += gain }
            }
            if augmentation.noiseProbability > 0, Double(generator.nextUnitFloat()) < augmentation.noiseProbability {
                let other = Int.random(in: 0..<clips.count, using: &generator)
                let noise = audio.chunkImage(clips[other], start: randomStart(other, chunk, &generator), frames: chunk)
                let snr = generator.nextFloat(in: Float(augmentation.noiseSNRDB.lowerBound), Float(augmentation.noiseSNRDB.upperBound))
                Self.mix(noise, into: &image, snrDB: snr)
            }
            if augmentation.frequencyShiftBins > 0 {
                let bins = augmentation.frequencyShiftBins
                Self.shift(&image, mels: shape[0], frames: chunk, by: Int.random(in: -bins...bins, using: &generator))
            }
            if augmentation.tiltDB > 0 {
                let tilt = generator.nextFloat(in: Float(-augmentation.tiltDB), Float(augmentation.tiltDB))
                Self.tilt(&image, mels: shape[0], frames: chunk, by: tilt)
            }
            audio.normalizeLevels(&image)
            mask(&image, mels: shape[0], frames: chunk, using: &generator)
            images.append(image)
        }
        var rows = chosen.map { targets[$0.clip] }
        if augmentation.mixAudio == .mixup, augmentation.mixProbability > 0 {
            let originalImages = images
            let originalRows = rows
            for i in images.indices where Double(generator.nextUnitFloat()) < augmentation.mixProbability {
                for _ in 0..<augmentation.mixIterations {
                    let j = Int.random(in: 0..<images.count, using: &generator)
                    let share = Float(Self.beta(augmentation.mixConcentration, using: &generator))
                    for v in 0..<size { images[i][v] = share * images[i][v] + (1 - share) * originalImages[j][v] }
                    for c in 0..<outputs { rows[i][c] = share * rows[i][c] + (1 - share) * originalRows[j][c] }
                }
            }
        }
        // Counts are equal by construction.
        return try! LabeledData(
            features: Tensor(shape: [count] + shape, values: images.flatMap { $0 }),
            targets: Tensor(shape: [count, outputs], values: rows.flatMap { $0 }))
    }

    /// `count` placements drawn class by class in turn (the class of a clip is its target's largest entry),
    /// each a random placement of that class.
    private func balancedPlacements(using generator: inout SeededGenerator) -> [(clip: Int, start: Int)] {
        var byClass: [Int: [Int]] = [:]
        for (index, placement) in placements.enumerated() {
            let row = targets[placement.clip]
            byClass[row.indices.max { row[$0] < row[$1] } ?? 0, default: []].append(index)
        }
        let classes = byClass.keys.sorted()
        let offset = Int.random(in: 0..<classes.count, using: &generator)
        return (0..<count).map { k in
            let members = byClass[classes[(k + offset) % classes.count]]!
            return placements[members[Int.random(in: 0..<members.count, using: &generator)]]
        }
    }

    private func randomStart(_ clip: Int, _ chunk: Int, _ generator: inout SeededGenerator) -> Int {
        let total = clips[clip].frames
        return total <= chunk ? 0 : Int.random(in: 0...(total - chunk), using: &generator)
    }

    /// SpecAugment: `time_masks` runs of frames and `frequency_masks` runs of mel bins set to the image's mean.
    private func mask(_ image: inout [Float], mels: Int, frames: Int, using generator: inout SeededGenerator) {
        guard augmentation.timeMasks > 0 || augmentation.frequencyMasks > 0 else { return }
        let fill = Float(image.reduce(0.0) { $0 + Double($1) } / Double(max(1, image.count)))
        for _ in 0..<augmentation.timeMasks {
            let width = Int.random(in: 0...min(augmentation.timeMaskFrames, frames), using: &generator)
            let first = Int.random(in: 0...(frames - width), using: &generator)
            for m in 0..<mels { for t in first..<(first + width) { image[m * frames + t] = fill } }
        }
        for _ in 0..<augmentation.frequencyMasks {
            let width = Int.random(in: 0...min(augmentation.frequencyMaskBins, mels), using: &generator)
            let first = Int.random(in: 0...(mels - width), using: &generator)
            for m in first..<(first + width) { for t in 0..<frames { image[m * frames + t] = fill } }
        }
    }

    /// Moves the `(mels, frames)` image's rows up (`bins` > 0) or down by `bins`, repeating the edge row.
    static func shift(_ image: inout [Float], mels: Int, frames: Int, by bins: Int) {
        guard bins != 0 else { return }
        let original = image
        for m in 0..<mels {
            let source = min(mels - 1, max(0, m - bins))
            for t in 0..<frames { image[m * frames + t] = original[source * frames + t] }
        }
    }

    /// Adds a tilt linear over the mel bins: `−dB/2` at the lowest bin, `+dB/2` at the highest.
    static func tilt(_ image: inout [Float], mels: Int, frames: Int, by dB: Float) {
        for m in 0..<mels {
            let offset = dB * (Float(m) / Float(max(1, mels - 1)) - 0.5)
            for t in 0..<frames { image[m * frames + t] += offset }
        }
    }

    /// Adds `noise` to `image` as power, scaled so the image's mean power is `snrDB` above the noise's.
    static func mix(_ noise: [Float], into image: inout [Float], snrDB: Float) {
        func power(_ db: Float) -> Double { Double(pow(10, db / 10)) }
        let signal = image.reduce(0.0) { $0 + power($1) } / Double(image.count)
        let background = noise.reduce(0.0) { $0 + power($1) } / Double(noise.count)
        guard background > 0, signal > 0 else { return }
        let scale = signal / (background * Double(pow(10, snrDB / 10)))
        for i in image.indices {
            image[i] = Float(10 * log10(max(power(image[i]) + scale * power(noise[i]), 1e-10)))
        }
    }

    /// A Beta(α, α) sample from two Gamma(α) samples.
    static func beta(_ alpha: Double, using generator: inout SeededGenerator) -> Double {
        let x = gamma(alpha, using: &generator)
        let y = gamma(alpha, using: &generator)
        return x + y > 0 ? x / (x + y) : 0.5
    }

    /// A Gamma(α, 1) sample (Marsaglia and Tsang; α < 1 through Gamma(α + 1)·U^(1/α)).
    static func gamma(_ alpha: Double, using generator: inout SeededGenerator) -> Double {
        if alpha < 1 {
            let u = max(Double(generator.nextUnitFloat()), 1e-12)
            return gamma(alpha + 1, using: &generator) * pow(u, 1 / alpha)
        }
        let d = alpha - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            let x = Double(generator.nextGaussian())
            let v = pow(1 + c * x, 3)
            guard v > 0 else { continue }
            let u = max(Double(generator.nextUnitFloat()), 1e-12)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }
}

import SeededRandom
import Spectral
import Testing

@testable import Training

/// Training that generalises from few real clips: overlapping chunks, per-chunk level normalisation and the
/// `augmentation:` section, each doing what its key says, reproducibly.
@Suite struct ChunkAugmenterTests {
    /// 4 mels at 16 kHz, hop 512: 0.1 s chunks are 4 frames, a 0.064 s hop is 2 frames.
    private func config(audio extra: String = "", augmentation: String = "", chunkSeconds: Double = 0.1) throws -> ExperimentConfig {
        func indented(_ text: String) -> String { text.split(separator: "\n").map { "    \($0)\n" }.joined() }
        let yaml =
            "architecture:\n    backbone: resnet-small\n"
            + "audio:\n    feature: logmel\n    sample_rate: 16000\n    stft_window_size: 1024\n    hop_size: 512\n"
            + "    mel_frequency_bins: 4\n    training_chunk_seconds: \(chunkSeconds)\n" + indented(extra)
            + (augmentation.isEmpty ? "" : "augmentation:\n" + indented(augmentation))
            + "dataset:\n    labels: [a, b]\ntraining:\n    loss_function: CrossEntropy\n"
        return try ExperimentConfig(yaml: yaml)
    }

    /// `frames` frames of 4 mels, value = `offset` + 10·frame + mel: every value says where it came from.
    private func ramp(frames: Int, offset: Float = 0) -> FeatureMatrix {
        FeatureMatrix(frames: frames, width: 4, values: (0..<frames).flatMap { f in (0..<4).map { offset + Float(10 * f + $0) } })
    }

    private func augmenter(_ config: ExperimentConfig, clips: [FeatureMatrix], seed: UInt64 = 7) -> ChunkAugmenter {
        ChunkAugmenter(
            audio: config.audio, augmentation: config.augmentation, clips: clips,
            targets: clips.indices.map { $0 % 2 == 0 ? [1, 0] : [0, 1] }, seed: seed)
    }

    @Test func aShorterHopStartsAChunkAtEveryStepWithTheLastAlignedToTheEnd() throws {
        let audio = try config(audio: "training_chunk_hop_seconds: 0.064").audio
        let (x, clipOfRow) = audio.modelInputs([ramp(frames: 9)], hopSeconds: audio.trainingChunkHopSeconds)
        // Starts 0, 2, 4 and 5 (the end); without the hop only 0 and 5.
        #expect(clipOfRow == [0, 0, 0, 0])
        #expect((0..<4).map { x.values[$0 * 16] } == [0, 20, 40, 50])
        #expect(audio.modelInputs([ramp(frames: 9)]).clipOfRow == [0, 0, 0])
        // A hop as long as the chunk is the chunk's own frame count (0.1 s is 3.1 hops of 512 samples, the
        // chunk 4 frames): the same chunks as without a hop.
        #expect(audio.modelInputs([ramp(frames: 9)], hopSeconds: 0.1).features == audio.modelInputs([ramp(frames: 9)]).features)
    }

    @Test func chunkMeanNormalisationCentresEveryImage() throws {
        let audio = try config(audio: "spectrogram_normalization: Chunk mean").audio
        let (x, _) = audio.modelInputs([ramp(frames: 9, offset: 35), ramp(frames: 4, offset: -80)])
        for row in 0..<x.batch {
            let image = x.values[(row * 16)..<((row + 1) * 16)]
            #expect(abs(image.reduce(0, +) / 16) < 1e-4)
        }
        // A level change of the whole clip changes nothing.
        #expect(audio.modelInputs([ramp(frames: 9)]).features == audio.modelInputs([ramp(frames: 9, offset: 12)]).features)
        #expect(audio.artifactFeatureSpec.subtractWindowMean)
    }

    @Test func binMeansNormalisationLeavesOnlyHowEachBinMovesInTime() throws {
        let audio = try config(audio: "spectrogram_normalization: Bin means").audio
        let (x, _) = audio.modelInputs([ramp(frames: 9, offset: 35)])
        // Every bin of the ramp rises 10 dB a frame: less its mean over the chunk's 4 frames, each bin is
        // −15, −5, 5, 15 whatever its level.
        for row in 0..<x.batch {
            for mel in 0..<4 {
                let bin = Array(x.values[(row * 16 + mel * 4)..<(row * 16 + mel * 4 + 4)])
                #expect(bin == [-15, -5, 5, 15], "chunk \(row), mel \(mel): \(bin)")
            }
        }
        // A colouring of the spectrum (a level per bin: another machine of the type, another microphone)
        // changes nothing.
        let coloured = FeatureMatrix(
            frames: 9, width: 4, values: (0..<9).flatMap { f in (0..<4).map { Float(10 * f + $0) + [7, -20, 3, 41][$0] } })
        #expect(audio.modelInputs([coloured]).features == audio.modelInputs([ramp(frames: 9)]).features)
        #expect(audio.artifactFeatureSpec.subtractBinMeans)
        #expect(!audio.artifactFeatureSpec.subtractWindowMean)
    }

    @Test func withoutAugmentationAnEpochIsTheTrainingRows() throws {
        let c = try config(audio: "training_chunk_hop_seconds: 0.064")
        let clips = [ramp(frames: 9), ramp(frames: 6, offset: 100)]
        let epoch = augmenter(c, clips: clips).data(epoch: 3)
        let (x, clipOfRow) = c.audio.modelInputs(clips, hopSeconds: c.audio.trainingChunkHopSeconds)
        #expect(epoch.features == x)
        #expect(epoch.targets.values == clipOfRow.flatMap { $0 == 0 ? [Float(1), 0] : [0, 1] })
    }

    @Test func epochsAreReproducibleAndDifferFromEachOther() throws {
        let c = try config(augmentation: "random_crop: true\ngain_db: 6\ntime_masks: 1\nmix_audio: Mixup")
        let clips = (0..<4).map { ramp(frames: 40, offset: Float($0) * 7) }
        let a = augmenter(c, clips: clips)
        #expect(a.data(epoch: 2) == augmenter(c, clips: clips).data(epoch: 2))
        #expect(a.data(epoch: 2) != a.data(epoch: 3))
        #expect(a.data(epoch: 2) != augmenter(c, clips: clips, seed: 8).data(epoch: 2))
    }

    @Test func aRandomCropIsAContiguousPieceOfItsClipAtVaryingStarts() throws {
        let c = try config(augmentation: "random_crop: true")
        let a = augmenter(c, clips: [ramp(frames: 40)])
        var starts: Set<Float> = []
        for epoch in 1...20 {
            let x = a.data(epoch: epoch).features
            #expect(x.batch == 10)  // ceil(40 / 4) chunks, as without augmentation
            for row in 0..<x.batch {
                let first = x.values[row * 16]
                #expect((0..<4).map { x.values[row * 16 + $0] } == (0..<4).map { first + Float(10 * $0) })
                starts.insert(first)
            }
        }
        #expect(starts.count > 20)
    }

    @Test func gainShiftsEveryValueOfAChunkByOneAmountWithinTheRange() throws {
        let c = try config(augmentation: "gain_db: 3")
        let clip = ramp(frames: 8)
        let plain = c.audio.modelInputs([clip]).features
        let x = augmenter(c, clips: [clip]).data(epoch: 1).features
        for row in 0..<x.batch {
            let shifts = (0..<16).map { x.values[row * 16 + $0] - plain.values[row * 16 + $0] }
            #expect(shifts.allSatisfy { abs($0 - shifts[0]) < 1e-4 } && abs(shifts[0]) <= 3)
        }
    }

    @Test func masksFillRunsOfFramesAndBinsWithTheImageMean() throws {
        let c = try config(
            augmentation: "time_masks: 1\ntime_mask_frames: 16\nfrequency_masks: 1\nfrequency_mask_bins: 4", chunkSeconds: 0.5)
        let clip = ramp(frames: 16)
        let plain = c.audio.modelInputs([clip]).features.values
        let mean = plain.reduce(0, +) / Float(plain.count)
        var masked = 0
        for epoch in 1...10 {
            let x = augmenter(c, clips: [clip]).data(epoch: epoch).features.values
            let changed = x.indices.filter { x[$0] != plain[$0] }
            #expect(changed.allSatisfy { abs(x[$0] - mean) < 1e-3 })
            masked += changed.count
        }
        #expect(masked > 0)
    }

    /// The mean change of the quiet clip's chunks when the loud clip is mixed in at `snr`.
    private func noiseShift(snr: String) throws -> Float {
        let quiet = ramp(frames: 8, offset: -40)
        let loud = ramp(frames: 8, offset: 40)
        let c = try config(augmentation: "noise_probability: 1\nnoise_snr_db: \(snr)")
        let a = ChunkAugmenter(audio: c.audio, augmentation: c.augmentation, clips: [quiet, loud], targets: [[1, 0], [0, 1]], seed: 1)
        let reference = c.audio.modelInputs([quiet]).features.values
        let x = a.data(epoch: 1).features.values.prefix(reference.count)
        return zip(x, reference).map { $0 - $1 }.reduce(0, +) / Float(reference.count)
    }

    @Test func backgroundNoiseFollowsTheSNR() throws {
        // At 60 dB the quiet clip barely changes; at −20 dB whatever is mixed in is 20 dB louder than it.
        #expect(abs(try noiseShift(snr: "[60, 60]")) < 0.01)
        #expect(try noiseShift(snr: "[-20, -20]") > 15)
    }

    @Test func mixupMixesTargetsInTheRatioOfTheInputs() throws {
        let c = try config(augmentation: "mix_audio: Mixup\nmix_probability: 1\nmix_concentration: 0.4")
        let clips = (0..<6).map { ramp(frames: 4, offset: Float($0) * 100) }
        let data = augmenter(c, clips: clips).data(epoch: 1)
        var mixed = 0
        for row in 0..<data.count {
            let t = Array(data.targets.values[(row * 2)..<(row * 2 + 2)])
            #expect(abs(t[0] + t[1] - 1) < 1e-5 && t.allSatisfy { $0 >= 0 && $0 <= 1 })
            if t[0] > 0.01 && t[0] < 0.99 { mixed += 1 }
        }
        #expect(mixed > 0)
    }

    @Test func balancedEpochsDrawEachClassEquallyOften() throws {
        // Class a (even clips) has three clips, class b one: unbalanced, b is a quarter of the chunks.
        let clips = (0..<4).map { ramp(frames: 16, offset: Float($0) * 1_000) }
        let targets: [[Float]] = [[1, 0], [1, 0], [1, 0], [0, 1]]
        func share(_ augmentation: String) throws -> Float {
            let c = try config(augmentation: augmentation)
            let data = ChunkAugmenter(audio: c.audio, augmentation: c.augmentation, clips: clips, targets: targets, seed: 5).data(epoch: 1)
            #expect(data.count == 16)
            return (0..<data.count).map { data.targets.values[$0 * 2 + 1] }.reduce(0, +) / Float(data.count)
        }
        #expect(try share("random_crop: true") == 0.25)
        #expect(try share("balance_classes: true") == 0.5)
    }

    @Test func aFrequencyShiftMovesRowsAndATiltIsLinearOverTheBins() throws {
        var image: [Float] = [0, 1, 10, 11, 20, 21, 30, 31]  // 4 mels × 2 frames
        ChunkAugmenter.shift(&image, mels: 4, frames: 2, by: 1)
        #expect(image == [0, 1, 0, 1, 10, 11, 20, 21])
        ChunkAugmenter.shift(&image, mels: 4, frames: 2, by: -2)
        #expect(image == [10, 11, 20, 21, 20, 21, 20, 21])
        let c = try config(augmentation: "tilt_db: 6")
        let clip = ramp(frames: 4)
        let plain = c.audio.modelInputs([clip]).features.values
        let x = augmenter(c, clips: [clip]).data(epoch: 1).features.values
        // Per mel bin (rows of 4 frames) one offset; the offsets step evenly from the lowest bin to the highest.
        let offsets = (0..<4).map { m in x[m * 4] - plain[m * 4] }
        for m in 0..<4 { #expect((0..<4).allSatisfy { abs(x[m * 4 + $0] - plain[m * 4 + $0] - offsets[m]) < 1e-4 }) }
        #expect(abs((offsets[3] - offsets[0]) - 3 * (offsets[1] - offsets[0])) < 1e-3 && abs(offsets[3] - offsets[0]) <= 6)
        #expect(abs(offsets[0] + offsets[3]) < 1e-3)
    }

    @Test func betaSamplesLieInTheUnitIntervalAroundAHalf() {
        var generator = SeededGenerator(seed: 3)
        for alpha in [0.2, 1, 4.0] {
            let samples = (0..<4_000).map { _ in ChunkAugmenter.beta(alpha, using: &generator) }
            #expect(samples.allSatisfy { $0 >= 0 && $0 <= 1 })
            #expect(abs(samples.reduce(0, +) / 4_000 - 0.5) < 0.03, "alpha \(alpha)")
        }
    }

    @Test(arguments: [
        ("gain_db: -1", "augmentation.gain_db"),
        ("gain_db: 41", "augmentation.gain_db"),
        ("noise_probability: 1.5", "augmentation.noise_probability"),
        ("noise_snr_db: [30, 10]", "augmentation.noise_snr_db"),
        ("noise_snr_db: [10]", "augmentation.noise_snr_db"),
        ("noise_snr_db: [-30, 10]", "augmentation.noise_snr_db"),
        ("mix_audio: Cutmix", "augmentation.mix_audio"),
        ("mix_probability: -0.1", "augmentation.mix_probability"),
        ("mix_concentration: 0", "augmentation.mix_concentration"),
        ("mix_iterations: 0", "augmentation.mix_iterations"),
        ("time_masks: 11", "augmentation.time_masks"),
        ("time_mask_frames: 0", "augmentation.time_mask_frames"),
        ("frequency_mask_bins: 0", "augmentation.frequency_mask_bins"),
        ("random_crop: sometimes", "augmentation.random_crop"),
        ("mixup: true", "augmentation.mixup"),
        ("balance_classes: 2", "augmentation.balance_classes"),
        ("frequency_shift_bins: 33", "augmentation.frequency_shift_bins"),
        ("tilt_db: -2", "augmentation.tilt_db"),
    ])
    func anImpossibleAugmentationIsRefusedNamingTheKey(_ line: String, _ keyPath: String) {
        #expect(throws: TrainingError.self) { try config(augmentation: line) }
        do {
            _ = try config(augmentation: line)
        } catch let TrainingError.invalidConfig(path, _) {
            #expect(path == keyPath)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        ("training_chunk_hop_seconds: 0", "audio.training_chunk_hop_seconds"),
        ("training_chunk_hop_seconds: 0.2", "audio.training_chunk_hop_seconds"),
        ("spectrogram_normalization: Per pixel", "audio.spectrogram_normalization"),
    ])
    func anImpossibleChunkingIsRefusedNamingTheKey(_ line: String, _ keyPath: String) {
        do {
            _ = try config(audio: line)
            Issue.record("accepted \(line)")
        } catch let TrainingError.invalidConfig(path, _) {
            #expect(path == keyPath)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    /// Lengths and rates that would overflow the frame arithmetic are refused before any is done.
    @Test func anAbsurdChunkLengthIsRefusedBeforeAnyArithmetic() {
        for seconds in [1e20, 3_601] {
            do {
                _ = try config(chunkSeconds: seconds)
                Issue.record("accepted training_chunk_seconds \(seconds)")
            } catch let TrainingError.invalidConfig(path, _) {
                #expect(path == "audio.training_chunk_seconds")
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    @Test func augmentationAndChunkMeanAreRefusedWhereTheyCannotApply() {
        let mfcc = minimalConfig.replacingOccurrences(
            of: "feature: mfcc-mean", with: "feature: mfcc-mean\n    spectrogram_normalization: Chunk mean")
        #expect(
            throws: TrainingError.invalidConfig(
                keyPath: "audio.spectrogram_normalization", reason: "'Chunk mean' normalises log-mel images; use 'No' with mfcc-mean")
        ) {
            try ExperimentConfig(yaml: mfcc)
        }
        let band = minimalConfig.replacingOccurrences(of: "backbone: cnn1d-seed", with: "backbone: band-baseline")
            .replacingOccurrences(of: "feature: mfcc-mean", with: "feature: logmel\n    spectrogram_normalization: Chunk mean")
        do {
            _ = try ExperimentConfig(yaml: band)
            Issue.record("band-baseline accepted Chunk mean")
        } catch let TrainingError.invalidConfig(path, _) {
            #expect(path == "audio.spectrogram_normalization")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

import AudioIO
import Foundation
import Inference
import SeededRandom
import Spectral
import TestSupport
import Testing
import Wire

@testable import Training

@Suite struct BandBaselineTests {
    @Test func octaveBandsPoolTheMelBinsWhoseCentresFallInEachOctave() throws {
        let bands = OctaveBands(melBins: 64, fmin: 0, fmax: 8000)
        let centres = MelFilterbank.centerFrequencies(melBins: 64, fmin: 0, fmax: 8000)
        #expect(bands.members.flatMap { $0 } == Array(0..<64))
        for (band, bins) in bands.members.enumerated() {
            let (lower, upper) = bands.edgesHz[band]
            #expect(bins.allSatisfy { centres[$0] >= lower && centres[$0] < upper })
        }
        #expect(bands.edgesHz.last!.upper == 8000)
        #expect(bands.names.first == "31-63 Hz")
    }

    @Test func theBandGraphAveragesEachBandsBinsOverTheWindow() throws {
        let bands = OctaveBands(melBins: 16, fmin: 0, fmax: 8000)
        let frames = 4
        let network = try Network(graph: bands.graph(frames: frames), seed: 0)
        // Mel bin m at frame t holds m + 10·t: each band's level is its bins' mean plus 15 (mean of 10·t).
        let image = (0..<16).flatMap { m in (0..<frames).map { t in Float(m + 10 * t) } }
        let levels = network.predict(Tensor(shape: [1, 16, frames, 1], values: image)).values
        #expect(levels.count == bands.count)
        for (band, bins) in bands.members.enumerated() {
            let expected = Float(bins.reduce(0, +)) / Float(bins.count) + 15
            #expect(abs(levels[band] - expected) < 1e-4)
        }
    }

    /// The artifact computes the bands in float from the raw window: a window far louder and far quieter
    /// than every calibration window (a fault, another day's recording) gets the float model's levels,
    /// not levels rounded to a calibrated step or clipped to its range.
    @Test func theArtifactsBandsAreTheFloatBandsEvenOutsideTheCalibratedRange() throws {
        let bands = OctaveBands(melBins: 64, fmin: 0, fmax: 8000)
        let graph = bands.graph(frames: 32)
        var generator = SeededGenerator(seed: 2)
        let calibration = (0..<4).map { _ in (0..<(64 * 32)).map { _ in generator.nextFloat(in: -60, -40) } }
        var artifact = Earshot_V1_ModelArtifact()
        artifact.formatVersion = ArtifactVerifier.formatVersion
        artifact.features = try ExperimentConfig(contentsOf: configsDirectory.appendingPathComponent("anomaly.yaml").path).audio
            .artifactFeatureSpec
        artifact.graph = try Quantizer().quantize(graph, calibration: calibration)
        #expect(artifact.graph.tensors.allSatisfy { $0.dtype == .float32 })
        let model = try Model(artifact: artifact)
        let network = try Network(graph: graph, seed: 0)
        // Low bins at +20 dB (a loud fault), high bins at −110 dB (a quiet recording): both outside [−60, −40].
        var window = [Float](repeating: 0, count: 64 * 32)
        for bin in 0..<64 {
            for frame in 0..<32 {
                window[bin * 32 + frame] = bin < 20 ? 20 + Float(frame % 3) : -110 - Float(frame % 5)
            }
        }
        var levels = [Float](repeating: 0, count: bands.count)
        window.withUnsafeBufferPointer { x in levels.withUnsafeMutableBufferPointer { y in model.infer(x, into: y) } }
        let expected = network.predict(Tensor(shape: [1, 64, 32, 1], values: window)).values
        #expect(zip(levels, expected).allSatisfy { abs($0 - $1) < 1e-3 }, "\(levels) vs \(expected)")
    }

    @Test func aBaselineScoresTheLargestBandDeviationInSpreads() {
        let baseline = BandBaseline(levels: [[10, 0], [12, 0], [14, 0]], spreadFloor: 1)
        #expect(baseline.mean == [12, 0])
        #expect(abs(baseline.spread[0] - (8.0 / 3.0).squareRoot()) < 1e-5)
        #expect(baseline.spread[1] == 1)  // a band that never moved gets the floor, not zero
        #expect(abs(baseline.score([12, -3]) - 3) < 1e-6)  // quieter counts too
        #expect(baseline.score([12, 0]) == 0)
    }

    /// Normal windows drift a little from clip to clip: a threshold set on the windows it learned from
    /// would sit inside tomorrow's normal range; the out-of-fold threshold does not.
    @Test func theThresholdComesFromNormalWindowsScoredOutOfFold() throws {
        var generator = SeededGenerator(seed: 5)
        let clips = (0..<6).map { clip in
            BandBaselineFitter.ClipLevels(
                path: "clip\(clip)",
                levels: (0..<10).map { _ in [Float(clip) * 0.8 + generator.nextFloat(in: -0.3, 0.3), generator.nextFloat(in: -2, 2)] })
        }
        let fitter = BandBaselineFitter(spreadFloor: 0.5, thresholdPercentile: 99, minimumWindows: 10)
        let fit = try fitter.fit(machine: "fan/id_00", clips: clips)
        #expect(fit.folds == 6 && fit.validationScores.count == 60 && fit.baseline.windows == 60)
        let inSample = clips.flatMap(\.levels).map(fit.baseline.score)
        #expect(fit.threshold > inSample.max()!)
        #expect(fit.windowFalseAlarmRate <= 0.02)
    }

    /// With few windows the out-of-fold percentile is noisy; the threshold never drops below the score a
    /// Gaussian band would exceed at the stated rate (scipy: `norm.isf((1 - 0.99 ** (1 / 8)) / 2)` = 3.2260).
    @Test func theThresholdIsNeverBelowTheGaussianBound() throws {
        #expect(abs(BandBaselineFitter.gaussianBound(bands: 8, windowFalseAlarmRate: 0.01) - 3.2260) < 1e-3)
        #expect(abs(BandBaselineFitter.gaussianBound(bands: 1, windowFalseAlarmRate: 0.05) - 1.9600) < 1e-3)
        let steady = (0..<3).map { clip in
            BandBaselineFitter.ClipLevels(path: "\(clip)", levels: (0..<4).map { i in [Float(i % 2), Float(clip % 2)] })
        }
        let fit = try BandBaselineFitter(spreadFloor: 1, thresholdPercentile: 99, minimumWindows: 10).fit(machine: "m", clips: steady)
        #expect(fit.threshold == BandBaselineFitter.gaussianBound(bands: 2, windowFalseAlarmRate: 0.01))
    }

    @Test func fewerThanThreeClipsAreCutIntoThreeContiguousFolds() throws {
        let one = BandBaselineFitter.ClipLevels(path: "a", levels: (0..<9).map { [Float($0)] })
        let folds = BandBaselineFitter.folds([one])
        #expect(folds.map(\.count) == [3, 3, 3])
        #expect(folds[1].map { $0[0] } == [3, 4, 5])
        let three = (0..<3).map { BandBaselineFitter.ClipLevels(path: "\($0)", levels: [[Float($0)], [Float($0)]]) }
        #expect(BandBaselineFitter.folds(three).count == 3)
        let fitter = BandBaselineFitter(spreadFloor: 1, thresholdPercentile: 99, minimumWindows: 6)
        let fromOne = try fitter.fit(machine: "m", clips: [one])
        let fromThree = try fitter.fit(machine: "m", clips: three)
        #expect(!fromOne.foldsAreRecordings && fromThree.foldsAreRecordings)
    }

    @Test func tooLittleNormalAudioIsRefusedNamingTheMachine() {
        let fitter = BandBaselineFitter(spreadFloor: 1, thresholdPercentile: 99, minimumWindows: 10)
        let clip = BandBaselineFitter.ClipLevels(path: "n0.wav", levels: Array(repeating: [0, 0], count: 4))
        #expect {
            try fitter.fit(machine: "pump/id_04", clips: [clip])
        } throws: { error in
            "\(error)".contains("pump/id_04") && "\(error)".contains("at least 10")
        }
        let bad = BandBaselineFitter.ClipLevels(path: "n1.wav", levels: Array(repeating: [Float.nan, 0], count: 12))
        #expect {
            try fitter.fit(machine: "pump/id_04", clips: [bad])
        } throws: { error in
            "\(error)".contains("n1.wav") && "\(error)".contains("non-finite")
        }
    }

    @Test func silentClippedShortAndOtherRateClipsAreRefusedNamingMachineAndClip() throws {
        let dir = try TemporaryDirectory()
        func write(_ name: String, rate: Int = 16_000, seconds: Double = 2, _ sample: (Int) -> Float) throws -> String {
            let path = dir.path(name)
            let samples = (0..<Int(Double(rate) * seconds)).map(sample)
            try AudioFileWriter.write(AudioBuffer(sampleRate: rate, mono: samples), to: path, container: .wav)
            return path
        }
        let check = NormalClipCheck(sampleRate: 16_000, windowSeconds: 1)
        let tone: (Int) -> Float = { 0.1 * sin(Float($0) * 0.2) }
        try check.check(path: try write("good.wav", tone), machine: "fan/id_00")
        let cases: [(String, String)] = [
            (try write("silent.wav") { _ in 0 }, "silent"),
            (try write("clipped.wav") { $0 % 2 == 0 ? 1 : -1 }, "clipped"),
            (try write("short.wav", seconds: 0.5, tone), "shorter than one"),
            (try write("rate.wav", rate: 22_050, tone), "22050 Hz"),
        ]
        for (path, reason) in cases {
            #expect {
                try check.check(path: path, machine: "fan/id_00")
            } throws: { error in
                "\(error)".contains("fan/id_00") && "\(error)".contains(path) && "\(error)".contains(reason)
            }
        }
    }
}

@Suite struct BandBaselineModelFileTests {
    /// A model file whose band baseline does not fit its outputs (a damaged or hand-edited file) is refused
    /// when read, not scored into meaningless deviations.
    @Test func aBaselineThatDoesNotFitTheBandsIsRefusedWhenTheFileIsRead() throws {
        let bands = OctaveBands(melBins: 16, fmin: 0, fmax: 8000)
        func file(_ baseline: BandBaseline) throws -> Data {
            try TrainedModel(
                task: .bandDeviation, labels: ["normal"], configYAML: "", graph: bands.graph(frames: 4), threshold: 3, metrics: [:],
                baseline: baseline
            ).encoded()
        }
        let fits = BandBaseline(mean: Array(repeating: 0, count: bands.count), spread: Array(repeating: 1, count: bands.count), windows: 10)
        #expect(try TrainedModel(data: try file(fits)).baseline == fits)
        var short = fits
        short.mean.removeLast()
        #expect(throws: TrainingError.self) { try TrainedModel(data: try file(short)) }
        var zero = fits
        zero.spread[0] = 0
        #expect(throws: TrainingError.self) { try TrainedModel(data: try file(zero)) }
    }
}

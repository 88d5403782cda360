import Foundation
import Testing

@testable import AudioIO

@Suite struct ResamplerTests {
    static let conversions: [(Int, Int)] = [(16_000, 22_050), (22_050, 16_000), (48_000, 16_000), (44_100, 48_000), (16_000, 8_000)]

    /// Resamples a sine and compares it with the same sine generated directly at the target rate.
    /// Returns the error energy relative to the signal energy, in dB, away from the edges.
    static func sineErrorDB(from source: Int, to target: Int, frequency: Double) throws -> Double {
        let resampler = try Resampler(from: source, to: target)
        let seconds = 1.0
        let input = (0..<Int(Double(source) * seconds)).map { Float(0.5 * sin(2 * Double.pi * frequency * Double($0) / Double(source))) }
        let output = resampler.process(input)
        let edge = 2 * resampler.halfTaps * target / source + 8
        var signal = 0.0
        var error = 0.0
        for n in edge..<(output.count - edge) {
            let expected = 0.5 * sin(2 * Double.pi * frequency * Double(n) / Double(target))
            signal += expected * expected
            error += (Double(output[n]) - expected) * (Double(output[n]) - expected)
        }
        return 10 * log10(error / signal)
    }

    @Test(arguments: conversions)
    func errorOnA1kHzSineIsBelowMinus80dB(source: Int, target: Int) throws {
        let db = try Self.sineErrorDB(from: source, to: target, frequency: 1_000)
        print("resampler \(source) → \(target) Hz, 1 kHz sine: error \(String(format: "%.1f", db)) dB")
        #expect(db < -80)
    }

    @Test(arguments: conversions)
    func passbandIsFlatTo90PercentOfNyquist(source: Int, target: Int) throws {
        let nyquist = Double(min(source, target)) / 2
        var worst = -Double.infinity
        for fraction in stride(from: 0.05, through: 0.9, by: 0.05) {
            let db = try Self.sineErrorDB(from: source, to: target, frequency: fraction * nyquist)
            worst = max(worst, db)
        }
        print("resampler \(source) → \(target) Hz: worst error over 0.05–0.9 × Nyquist \(String(format: "%.1f", worst)) dB")
        #expect(worst < -90)  // an error 90 dB down bounds the gain deviation to < 0.0003 dB
    }

    @Test func contentAboveTheTargetNyquistIsRemoved() throws {
        let resampler = try Resampler(from: 48_000, to: 16_000)
        let input = (0..<48_000).map { Float(0.5 * sin(2 * Double.pi * 9_000 * Double($0) / 48_000)) }
        let output = resampler.process(input)
        let edge = 2 * resampler.halfTaps
        let interior = output[edge..<(output.count - edge)]
        let rms = (interior.map { Double($0 * $0) }.reduce(0, +) / Double(interior.count)).squareRoot()
        #expect(20 * log10(rms / (0.5 / 2.0.squareRoot())) < -80)
    }

    @Test func outputLengthFollowsTheRatio() throws {
        let resampler = try Resampler(from: 16_000, to: 22_050)
        #expect(resampler.upFactor == 441 && resampler.downFactor == 320)
        #expect(resampler.process([Float](repeating: 0, count: 16_000)).count == 22_050)
        #expect(resampler.outputCount(forInputCount: 1) == 2)
    }

    @Test func sameRateIsIdentity() throws {
        let input: [Float] = [0.1, -0.2, 0.3]
        #expect(try Resampler(from: 16_000, to: 16_000).process(input) == input)
    }

    @Test(arguments: [(0, 16_000), (16_000, 0), (-1, 16_000)])
    func nonPositiveRatesAreRejected(source: Int, target: Int) throws {
        let error = try #require(throws: AudioError.self) { try Resampler(from: source, to: target) }
        #expect(error.kind == .invalidArgument)
    }

    @Test func multichannelBuffersResampleEachChannel() throws {
        let tone = AudioFileReaderTests.tone(frames: 1_600, channels: 2)
        let resampler = try Resampler(from: 16_000, to: 8_000)
        let out = try resampler.process(tone)
        #expect(out.channels == 2 && out.sampleRate == 8_000 && out.frames == 800)
        #expect(out.channel(1) == resampler.process(tone.channel(1)))
    }
}

import AudioIO
import Foundation
import TestSupport
import Testing

@Suite struct FLACEncoderTests {
    /// A deterministic test tone with some harmonics, interleaved.
    private func tone(frames: Int, channels: Int) -> [Float] {
        (0..<frames * channels).map { i in
            let frame = Float(i / channels)
            let channel = Float(i % channels)
            return 0.6 * sin(frame * 0.031 * (channel + 1)) + 0.2 * sin(frame * 0.17)
        }
    }

    @Test(arguments: [1, 2, 8])
    func encodedBytesDecodeBackWithin16BitQuantization(channels: Int) throws {
        let samples = tone(frames: 16_000, channels: channels)
        let bytes = try samples.withUnsafeBufferPointer { try FLACEncoder.encode($0, sampleRate: 16_000, channels: channels) }
        #expect(Array(bytes.prefix(4)) == Array("fLaC".utf8))
        let directory = try TemporaryDirectory()
        let path = directory.path("clip.flac")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let decoded = try AudioFileReader.read(path: path)
        #expect(decoded.sampleRate == 16_000)
        #expect(decoded.channels == channels)
        #expect(decoded.samples.count == samples.count)
        let maxDifference = zip(decoded.samples, samples).map { abs($0 - $1) }.max() ?? .infinity
        // One 16-bit step is 2^-15; rounding to the nearest step errs by at most half of it.
        #expect(maxDifference <= 1.0 / 32_768, "max difference \(maxDifference)")
        // Lossless coding of a smooth tone is far smaller than raw 16-bit PCM.
        #expect(bytes.count < samples.count * 2)
    }

    @Test func outOfRangeSamplesAreClippedNotWrapped() throws {
        let samples: [Float] = [1.5, -1.5, 0.25, 0]
        let bytes = try samples.withUnsafeBufferPointer { try FLACEncoder.encode($0, sampleRate: 8_000, channels: 1) }
        let directory = try TemporaryDirectory()
        let path = directory.path("clipped.flac")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let decoded = try AudioFileReader.read(path: path).samples
        #expect(decoded[0] > 0.99)
        #expect(decoded[1] <= -0.99)
        #expect(decoded[2] == 0.25)
    }

    @Test(arguments: [(0, 1, 4), (16_000, 0, 4), (16_000, 9, 9), (16_000, 2, 3), (16_000, 1, 0)])
    func invalidArgumentsAreRefused(sampleRate: Int, channels: Int, count: Int) {
        let samples = [Float](repeating: 0, count: count)
        #expect {
            _ = try samples.withUnsafeBufferPointer { try FLACEncoder.encode($0, sampleRate: sampleRate, channels: channels) }
        } throws: { error in
            (error as? AudioError)?.kind == .invalidArgument
        }
    }
}

import Foundation
import TestSupport
import Testing

@testable import AudioIO

@Suite struct AudioFileWriterTests {
    @Test func flacRoundTripIsLosslessFor16BitInput() throws {
        let dir = try TemporaryDirectory()
        // 16-bit-exact samples: every value is k / 32768.
        var state: UInt32 = 12_345
        let samples: [Float] = (0..<(3 * 16_000 * 2)).map { _ in
            state = state &* 1_664_525 &+ 1_013_904_223
            return Float(Int16(truncatingIfNeeded: state >> 16)) / 32_768
        }
        let original = AudioBuffer(sampleRate: 16_000, channels: 2, samples: samples)
        let path = dir.path("clip.flac")
        try AudioFileWriter.write(original, to: path, container: .flac, encoding: .pcm16)
        let reader = try AudioFileReader(path: path)
        #expect(reader.info.format.uppercased().contains("FLAC"))
        #expect(try reader.readAll() == original)
    }

    @Test(.enabled(if: RealData.isAvailable, RealData.skipReason))
    func realMIMIIClipSurvivesFLACUnchanged() throws {
        let dir = try TemporaryDirectory()
        let original = try AudioFileReader.read(path: RealData.wavFiles(under: "mimii")[0])
        let path = dir.path("real.flac")
        try AudioFileWriter.write(original, to: path, container: .flac, encoding: .pcm16)
        #expect(try AudioFileReader.read(path: path) == original)
        let flacBytes = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(flacBytes < original.samples.count * 2)
    }

    @Test func extensibleWAVRoundTripsEightChannels() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("array.wav")
        let original = AudioBuffer(sampleRate: 16_000, channels: 8, samples: (0..<8_000).map { Float($0 % 200 - 100) / 128 })
        try AudioFileWriter.write(original, to: path, container: .wavExtensible)
        let reader = try AudioFileReader(path: path)
        #expect(try reader.readAll() == original)
        let header = try #require(FileHandle(forReadingAtPath: path)?.readData(ofLength: 22))
        #expect(header[20] == 0xFE && header[21] == 0xFF)
    }

    @Test func samplesBeyondFullScaleAreClippedNotWrapped() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("loud.wav")
        try AudioFileWriter.write(AudioBuffer(sampleRate: 8_000, mono: [2, -2, 0.5]), to: path, container: .wav)
        let back = try AudioFileReader.read(path: path).samples
        #expect(back[0] > 0.999 && back[1] == -1 && back[2] == 0.5)
    }

    @Test func zeroChannelsIsRejected() throws {
        let dir = try TemporaryDirectory()
        let error = try #require(throws: AudioError.self) {
            try AudioFileWriter(path: dir.path("x.wav"), container: .wav, sampleRate: 16_000, channels: 0)
        }
        #expect(error.kind == .invalidArgument)
    }

    @Test func zeroSampleRateIsRejected() throws {
        let dir = try TemporaryDirectory()
        let error = try #require(throws: AudioError.self) {
            try AudioFileWriter(path: dir.path("x.wav"), container: .wav, sampleRate: 0, channels: 1)
        }
        #expect(error.kind == .invalidArgument)
    }

    @Test func flacCannotHoldFloatSamples() throws {
        let dir = try TemporaryDirectory()
        let error = try #require(throws: AudioError.self) {
            try AudioFileWriter(path: dir.path("x.flac"), container: .flac, encoding: .float32, sampleRate: 16_000, channels: 1)
        }
        #expect(error.kind == .unsupportedEncoding)
    }

    @Test func raggedInterleavedWriteIsRejected() throws {
        let dir = try TemporaryDirectory()
        let writer = try AudioFileWriter(path: dir.path("x.wav"), container: .wav, sampleRate: 16_000, channels: 2)
        let error = try #require(throws: AudioError.self) {
            try [Float](repeating: 0, count: 3).withUnsafeBufferPointer { try writer.write(interleaved: $0) }
        }
        #expect(error.kind == .invalidArgument)
        try writer.close()
    }

    @Test func unwritableDirectoryIsASystemError() throws {
        let error = try #require(throws: AudioError.self) {
            try AudioFileWriter(path: "/nonexistent-dir/x.wav", container: .wav, sampleRate: 16_000, channels: 1)
        }
        #expect(error.kind == .system)
    }
}

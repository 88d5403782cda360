import Foundation
import TestSupport
import Testing

@testable import AudioIO

@Suite struct AudioFileReaderTests {
    // MARK: Real recordings

    @Test(.enabled(if: RealData.isAvailable, RealData.skipReason))
    func everyRealMIMIIClipIs16kHz8Channels10Seconds() throws {
        let files = RealData.wavFiles(under: "mimii")
        // The README's 32 clips of 4 types × 4 ids, plus any further clips of the same format.
        #expect(files.count >= 32)
        for file in files {
            let reader = try AudioFileReader(path: file)
            #expect(reader.info.sampleRate == 16_000, "\(file)")
            #expect(reader.info.channels == 8, "\(file)")
            #expect(reader.info.frames == 160_000, "\(file)")
            #expect(reader.info.encoding == .pcm16, "\(file)")
            let audio = try reader.readAll()
            #expect(audio.frames == 160_000, "\(file)")
            #expect(audio.samples.allSatisfy { $0 >= -1 && $0 < 1 })
        }
    }

    @Test(.enabled(if: RealData.isAvailable, RealData.skipReason))
    func realDCASEClipsAreMono16kHzOf10Or11Seconds() throws {
        let files = RealData.wavFiles(under: "dcase2020")
        #expect(files.count >= 3)
        for file in files {
            let info = try AudioFileReader(path: file).info
            // ToyADMOS (ToyCar) clips are 11 s, MIMII-derived and ToyConveyor clips 10 s (shared/data/README.md).
            let frames = file.contains("/ToyCar/") ? 176_000 : 160_000
            #expect(info.sampleRate == 16_000 && info.channels == 1 && info.frames == frames, "\(file)")
        }
    }

    @Test(.enabled(if: RealData.isAvailable, RealData.skipReason))
    func chunkedReadsConcatenateToTheWholeFile() throws {
        let file = RealData.wavFiles(under: "mimii")[0]
        let whole = try AudioFileReader.read(path: file)
        let reader = try AudioFileReader(path: file)
        var pieces: [Float] = []
        while let chunk = try reader.read(maxFrames: 4_099) { pieces += chunk.samples }
        #expect(pieces == whole.samples)
    }

    // MARK: Formats written here, read back

    @Test(arguments: [AudioSampleEncoding.pcm16, .pcm24, .float32])
    func wavRoundTripsAtEachBitDepth(encoding: AudioSampleEncoding) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("tone.wav")
        let tone = Self.tone(frames: 4_000, channels: 2)
        try AudioFileWriter.write(tone, to: path, container: .wav, encoding: encoding)
        let reader = try AudioFileReader(path: path)
        #expect(reader.info.encoding == encoding)
        let back = try reader.readAll()
        let step: Float = encoding == .pcm16 ? 1 / 32_768 : encoding == .pcm24 ? 1 / 8_388_608 : 0
        let worst = zip(back.samples, tone.samples).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= step)
    }

    // MARK: Pipes and standard input

    @Test func readsAWAVStreamFromAPipe() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("stream.wav")
        let tone = Self.tone(frames: 48_000, channels: 1)
        try AudioFileWriter.write(tone, to: path, container: .wav)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let decoded = try Self.readThroughPipe(bytes: bytes, raw: nil, chunkFrames: 1_000)
        #expect(decoded == (try AudioFileReader.read(path: path)).samples)
    }

    @Test func readsRawS16LEFromAPipeLikeArecord() throws {
        let samples: [Int16] = (0..<16_000).map { Int16(truncatingIfNeeded: ($0 * 37) % 65_536 - 32_768) }
        let bytes = samples.withUnsafeBufferPointer { Data(buffer: $0) }
        let decoded = try Self.readThroughPipe(bytes: bytes, raw: RawPCMFormat(sampleRate: 16_000, channels: 1), chunkFrames: 333)
        #expect(decoded == samples.map { Float($0) / 32_768 })
    }

    @Test func rawFormatWithZeroChannelsIsRejected() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("x.raw")
        try Data([0, 0, 0, 0]).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: AudioError.self) {
            try AudioFileReader(path: path, raw: RawPCMFormat(sampleRate: 16_000, channels: 0))
        }
        #expect(error.kind == .invalidArgument)
    }

    // MARK: Bad input

    @Test func missingFile() throws {
        let error = try #require(throws: AudioError.self) { try AudioFileReader(path: "/nonexistent/clip.wav") }
        #expect(error.kind == .fileNotFound)
        #expect(error.path == "/nonexistent/clip.wav")
        #expect(error.description.hasPrefix("/nonexistent/clip.wav: "))
    }

    @Test func emptyFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("empty.wav")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let error = try #require(throws: AudioError.self) { try AudioFileReader(path: path) }
        #expect(error.kind == .emptyFile)
        #expect(error.path == path)
    }

    @Test(arguments: [20, 30, 40])
    func truncatedWAVHeader(keptBytes: Int) throws {
        let dir = try TemporaryDirectory()
        let whole = dir.path("whole.wav")
        try AudioFileWriter.write(Self.tone(frames: 100, channels: 1), to: whole, container: .wav)
        let cut = dir.path("cut.wav")
        try Data(try Data(contentsOf: URL(fileURLWithPath: whole)).prefix(keptBytes)).write(to: URL(fileURLWithPath: cut))
        let error = try #require(throws: AudioError.self) { try AudioFileReader(path: cut) }
        #expect(error.kind == .malformed)
        #expect(error.path == cut)
        #expect(error.code != nil && error.call == "sf_open")
    }

    @Test func textFileIsNotAudio() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("notes.wav")
        try "this is not audio, just text\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: AudioError.self) { try AudioFileReader(path: path) }
        #expect(error.kind == .unrecognisedFormat)
    }

    @Test(arguments: [(UInt16(0x1234), 16), (UInt16(0x0055), 16), (UInt16(0x0003), 8)])
    func unsupportedSampleFormat(tag: UInt16, bits: Int) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("odd.wav")
        try Self.wavHeader(formatTag: tag, bits: bits, dataBytes: 64).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: AudioError.self) { try AudioFileReader(path: path) }
        #expect(error.kind == .unsupportedEncoding)
    }

    // MARK: Helpers

    static func tone(frames: Int, channels: Int) -> AudioBuffer {
        var samples = [Float](repeating: 0, count: frames * channels)
        for f in 0..<frames {
            for c in 0..<channels {
                samples[f * channels + c] = 0.5 * Float(sin(2 * Double.pi * 440 * Double(f + 17 * c) / 16_000))
            }
        }
        return AudioBuffer(sampleRate: 16_000, channels: channels, samples: samples)
    }

    // MARK: Decode limits

    @Test func aFLACClaimingMoreSamplesThanItsBytesHoldIsRefusedBeforeDecoding() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("lying.flac")
        let bytes = LyingFLAC.bytes()
        #expect(bytes.count == 42)
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(try AudioFileReader(path: path).info.frames == (1 << 36) - 1)  // libsndfile believes the header
        // Generous limits: refused because 42 bytes cannot hold 2^39 samples.
        let generous = AudioDecodeLimits(maxChannels: 8, maxSamples: .max)
        let error = try #require(throws: AudioError.self) { try AudioFileReader.read(path: path, limits: generous) }
        #expect(error.kind == .exceedsLimits && error.path == path)
        // Clip-sized limits: refused for the claim itself.
        let clip = AudioDecodeLimits(maxChannels: 8, maxSamples: 10 * 16_000 * 8)
        let clipError = try #require(throws: AudioError.self) { try AudioFileReader(path: path, limits: clip) }
        #expect(clipError.kind == .exceedsLimits)
    }

    @Test func tooManyChannelsOrSamplesAreRefused() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("tone.wav")
        try AudioFileWriter.write(Self.tone(frames: 4_000, channels: 2), to: path, container: .wav)
        for limits in [AudioDecodeLimits(maxChannels: 1, maxSamples: 1_000_000), AudioDecodeLimits(maxChannels: 2, maxSamples: 7_999)] {
            let error = try #require(throws: AudioError.self) { try AudioFileReader(path: path, limits: limits) }
            #expect(error.kind == .exceedsLimits)
        }
        #expect(try AudioFileReader.read(path: path, limits: AudioDecodeLimits(maxChannels: 2, maxSamples: 8_000)).frames == 4_000)
    }

    @Test func aStreamIsCutOffWhereItPassesTheLimits() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("stream.wav")
        // 40 KB: fits the pipe's buffer, so the writer finishes however little is read.
        try AudioFileWriter.write(Self.tone(frames: 20_000, channels: 1), to: path, container: .wav)
        let pipe = Pipe()
        let writer = Thread {
            pipe.fileHandleForWriting.write(try! Data(contentsOf: URL(fileURLWithPath: path)))
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let reader = try AudioFileReader(
            fileDescriptor: pipe.fileHandleForReading.fileDescriptor, name: "pipe",
            limits: AudioDecodeLimits(maxChannels: 1, maxSamples: 10_000))
        let error = try #require(throws: AudioError.self) { try reader.readAll() }
        #expect(error.kind == .exceedsLimits)
    }

    @Test func readAllOfALyingHeaderAllocatesOnlyWhatDecodes() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("lying.flac")
        try LyingFLAC.bytes().write(to: URL(fileURLWithPath: path))
        // Without limits (a trusted caller): no 2 TB reservation from the header; decoding finds no frames.
        let decoded = try? AudioFileReader.read(path: path)
        #expect((decoded?.samples.count ?? 0) == 0)
    }

    static func readThroughPipe(bytes: Data, raw: RawPCMFormat?, chunkFrames: Int) throws -> [Float] {
        let pipe = Pipe()
        let writer = Thread {
            pipe.fileHandleForWriting.write(bytes)
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        let reader = try AudioFileReader(fileDescriptor: pipe.fileHandleForReading.fileDescriptor, name: "pipe", raw: raw)
        #expect(reader.info.frames == 0)
        var out: [Float] = []
        while let chunk = try reader.read(maxFrames: chunkFrames) { out += chunk.samples }
        return out
    }

    /// A RIFF/WAVE file with an arbitrary format tag and bit depth and `dataBytes` zero bytes.
    static func wavHeader(formatTag: UInt16, bits: Int, dataBytes: Int) -> Data {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16) }
        let rate = 16_000
        let fmt = le16(Int(formatTag)) + le16(1) + le32(rate) + le32(rate * bits / 8) + le16(max(1, bits / 8)) + le16(bits) + le16(0)
        let body: [UInt8] =
            Array("WAVEfmt ".utf8) + le32(fmt.count) + fmt + Array("data".utf8) + le32(dataBytes) + [UInt8](repeating: 0, count: dataBytes)
        return Data(Array("RIFF".utf8) + le32(body.count) + body)
    }
}

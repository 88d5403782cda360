import AudioIO
import BrokerSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@testable import HubCore
@testable import HubWeb

/// The asset page's clip spectrograms: the PNG is valid for an independent decoder (Python's zlib
/// checks every CRC and inflates the image), a tone lands in its mel band, any sample rate draws,
/// and a clip that cannot be decoded answers 422.
@Suite struct ClipSpectrogramTests {
    @Test func checksumsMatchTheirPublishedCheckValues() {
        #expect(IndexedPNG.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(IndexedPNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
    }

    /// Python parses the PNG's chunks, verifies their CRCs with `zlib.crc32`, inflates IDAT with
    /// `zlib.decompress` (which checks the Adler-32) and prints width, height and, per row, the mean
    /// palette index; returns those.
    static func decodeWithPython(_ png: [UInt8], in dir: TemporaryDirectory) throws -> (width: Int, height: Int, rowMeans: [Double]) {
        let path = dir.path("spectrogram.png")
        try Data(png).write(to: URL(fileURLWithPath: path))
        let script = """
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'signature'
            pos, chunks = 8, {}
            while pos < len(data):
                length, kind = struct.unpack('>I4s', data[pos:pos + 8])
                body = data[pos + 8:pos + 8 + length]
                (crc,) = struct.unpack('>I', data[pos + 8 + length:pos + 12 + length])
                assert zlib.crc32(kind + body) == crc, 'crc of ' + kind.decode()
                chunks.setdefault(kind, b'')
                chunks[kind] += body
                pos += 12 + length
            width, height, depth, colour = struct.unpack('>IIBB', chunks[b'IHDR'][:10])
            assert (depth, colour) == (8, 3) and len(chunks[b'PLTE']) == 768 and b'IEND' in chunks
            raw = zlib.decompress(chunks[b'IDAT'])
            assert len(raw) == (width + 1) * height
            rows = [raw[r * (width + 1):(r + 1) * (width + 1)] for r in range(height)]
            assert all(row[0] == 0 for row in rows), 'filter type'
            print(width, height, *[sum(row[1:]) / width for row in rows])
            """
        let fields = try TestFiles.run("/usr/bin/env", ["python3", "-c", script, path]).split(separator: " ").map {
            Double($0.trimmingCharacters(in: .whitespacesAndNewlines))!
        }
        return (Int(fields[0]), Int(fields[1]), Array(fields[2...]))
    }

    /// The seeded clip (1 s of 440 Hz at 16 kHz) through the API: its brightest row is the mel band of 440 Hz.
    @Test func aToneIsDrawnInItsMelBand() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        try await HubFixture.application(server).test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/clips/agent-a/10/spectrogram.png", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/png")
            let image = try Self.decodeWithPython(Array(response.body.readableBytesView), in: dir)
            #expect(image.height == ClipSpectrogram.melBands)
            #expect(image.width == 16_000 / 256 + 1, "1 s at 16 kHz: hop 256 (n_fft / 4), centred frames")
            // Slaney mel: linear below 1 kHz (3 mel per 200 Hz), so 440 Hz is 6.6 mel; 128 bands between
            // 0 and mel(8 kHz) = 15 + 27 ln 8 / ln 6.4 have centres at (k + 1) × mel(8 kHz) / 129.
            let top = 15 + 27 * log(8.0) / log(6.4)
            let band = Int((6.6 / (top / 129) - 1).rounded())
            let brightestRow = image.rowMeans.indices.max { image.rowMeans[$0] < image.rowMeans[$1] }!
            #expect(abs((ClipSpectrogram.melBands - 1 - brightestRow) - band) <= 1, "brightest row \(brightestRow), band \(band)")
        }
    }

    /// A clip's spectrogram is drawn once: the second request is answered from the cache, byte for
    /// byte, even after the clip's audio file is gone (a clip never changes; its digest names it).
    @Test func aSpectrogramIsDrawnOnce() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let clip = try #require(try server.store.clip(agentID: "agent-a", seq: 10))
        try await HubFixture.application(server).test(.router) { client in
            let uri = "/api/v1/clips/agent-a/10/spectrogram.png"
            let first = try await client.execute(uri: uri, method: .get)
            #expect(first.status == .ok)
            try FileManager.default.removeItem(at: server.store.clipFile(clip))
            #expect(try await client.execute(uri: "/api/v1/clips/agent-a/10/audio.wav", method: .get).status == .notFound)
            let second = try await client.execute(uri: uri, method: .get)
            #expect(second.status == .ok)
            #expect(Array(second.body.readableBytesView) == Array(first.body.readableBytesView))
        }
    }

    @Test(arguments: [8_000, 22_050, 48_000])
    func everySampleRateDrawsAtMostTheMaximumWidth(sampleRate: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<(sampleRate * 60)).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
        let spectrogram = try ClipSpectrogram(AudioBuffer(sampleRate: sampleRate, mono: noise))
        #expect(spectrogram.height == ClipSpectrogram.melBands)
        #expect((ClipSpectrogram.maximumColumns - 2)...ClipSpectrogram.maximumColumns ~= spectrogram.width)
        let dir = try TemporaryDirectory()
        let image = try Self.decodeWithPython(spectrogram.png(), in: dir)
        #expect(image.width == spectrogram.width && image.height == spectrogram.height)
    }

    @Test func anUndecodableClipAnswers422() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let clip = try #require(try server.store.clip(agentID: "agent-a", seq: 10))
        try Data("not audio".utf8).write(to: server.store.clipFile(clip))
        try await HubFixture.application(server).test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/clips/agent-a/10/spectrogram.png", method: .get)
            #expect(response.status == .unprocessableContent)
            #expect(String(decoding: response.body.readableBytesView, as: UTF8.self).contains("cannot be decoded"))
        }
    }

    /// A stored 42-byte FLAC whose STREAMINFO claims 2³⁶ − 1 frames × 8 channels (2 TB of float32):
    /// `audio.wav` and `spectrogram.png` answer 422 without decoding it, count it, and the hub serves on.
    @Test func aClipClaimingTerabytesIsRefusedBeforeDecoding() async throws {
        let dir = try TemporaryDirectory()
        let server = try OpenAPIConformanceTests.makeServer(dir)
        let clip = try #require(try server.store.clip(agentID: "agent-a", seq: 10))
        try LyingFLAC.bytes().write(to: server.store.clipFile(clip))
        try await HubFixture.application(server).test(.router) { client in
            for uri in ["/api/v1/clips/agent-a/10/audio.wav", "/api/v1/clips/agent-a/10/spectrogram.png"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .unprocessableContent, "\(uri)")
                #expect(String(decoding: response.body.readableBytesView, as: UTF8.self).contains("declares more audio"))
            }
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(
                String(decoding: metrics.body.readableBytesView, as: UTF8.self).contains(
                    #"earshot_hub_clip_decode_refused_total{reason="limits"} 2"#))
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/api/v1/clips/agent-a/10", method: .get).status == .ok)
        }
    }
}

import AudioIO
import Foundation
import NumPy
import TestSupport
import Testing

@Suite struct FeaturesCommandTests {
    /// Synthesises a tiny MIMII tree with the CLI itself and turns it into seed 000's X and y.
    @Test func rebuildsSeed000StyleMatricesFromAMIMIIFolder() async throws {
        let dir = try TemporaryDirectory()
        let synth = try await EarshotBinary.run([
            "synth", "--machine", "fan", "--ids", "00,02", "--normal", "2", "--abnormal", "1", "--seconds", "1",
            "--channels", "2", "--out", dir.url.path,
        ])
        #expect(synth.status == 0, "stderr: \(synth.stderr)")
        let result = try await EarshotBinary.run([
            "features", dir.path("0_dB_fan"), "--kind", "mfcc", "--n-mfcc", "40", "--mean",
            "--out", dir.path("X.npy"), "--labels-out", dir.path("y.npy"), "--index-out", dir.path("index.csv"),
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let x = try NumPyArray(contentsOf: dir.path("X.npy"))
        let y = try NumPyArray(contentsOf: dir.path("y.npy"))
        #expect(x.shape == [6, 40])
        #expect(y.shape == [6, 2])
        let index = try String(contentsOfFile: dir.path("index.csv"), encoding: .utf8).split(separator: "\n")
        #expect(index.count == 7)  // header + one line per clip
        #expect(index.dropFirst().filter { $0.contains(",abnormal,") }.count == 2)
    }

    @Test(arguments: [
        (["--hop", "0"], "hop"), (["--fmax", "9000"], "fmax"), (["--kind", "logmel", "--n-mels", "400", "--n-fft", "256"], "mel"),
    ])
    func badSettingsAreRefusedBeforeAnyAudioIsRead(extra: [String], mentions: String) async throws {
        let dir = try TemporaryDirectory()
        try AudioFileWriter.write(
            AudioBuffer(sampleRate: 16_000, mono: [Float](repeating: 0.1, count: 16_000)), to: dir.path("a.wav"), container: .wav)
        let result = try await EarshotBinary.run(["features", dir.path("a.wav"), "--out", dir.path("X.npy")] + extra)
        #expect(result.status != 0)
        #expect(result.errorLines.first?.hasPrefix("Error: ") == true, "stderr: \(result.stderr)")
        #expect(result.stderr.lowercased().contains(mentions), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("X.npy")))
    }

    @Test func aCorruptClipNamesTheFile() async throws {
        let dir = try TemporaryDirectory()
        try "not audio".write(toFile: dir.path("bad.wav"), atomically: true, encoding: .utf8)
        let result = try await EarshotBinary.run(["features", dir.path("bad.wav"), "--out", dir.path("X.npy")])
        #expect(result.status != 0 && result.stderr.contains(dir.path("bad.wav")), "stderr: \(result.stderr)")
    }
}

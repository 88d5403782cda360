import AudioIO
import Foundation
import TestSupport
import Testing

@Suite struct SynthCommandTests {
    @Test func writesTheMIMIILayoutAndTheFilesReadBack() async throws {
        let dir = try TemporaryDirectory()
        let result = try await EarshotBinary.run([
            "synth", "--machine", "pump", "--layout", "mimii", "--ids", "02", "--normal", "1", "--abnormal", "1",
            "--snr-db", "-6", "--seconds", "1", "--channels", "8", "--seed", "3", "--out", dir.url.path,
        ])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        for label in ["normal", "abnormal"] {
            let path = dir.path("-6_dB_pump/pump/id_02/\(label)/00000000.wav")
            let info = try AudioFileReader(path: path).info
            #expect(info.sampleRate == 16_000 && info.channels == 8 && info.frames == 16_000)
            // Like the real MIMII files: a WAVE_FORMAT_EXTENSIBLE header (format tag 0xFFFE at byte 20).
            let header = try #require(FileHandle(forReadingAtPath: path)?.readData(ofLength: 22))
            #expect(header[20] == 0xFE && header[21] == 0xFF)
        }
    }

    /// Each bad option: exit status 1 and exactly one line on stderr naming the option.
    @Test(arguments: [
        (["--channels", "0"], "--channels"), (["--seconds", "-1"], "--seconds"), (["--sample-rate", "0"], "--sample-rate"),
        (["--normal", "-1"], "--normal"), (["--ids", "0x"], "--ids"), (["--layout", "flat"], "layout"),
    ])
    func badOptionsGiveOneLine(extra: [String], named: String) async throws {
        let dir = try TemporaryDirectory()
        let result = try await EarshotBinary.run(["synth", "--machine", "fan", "--out", dir.url.path] + extra)
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1, "stderr: \(result.stderr)")
        #expect(result.errorLines.first?.hasPrefix("Error: ") == true && result.errorLines.first?.contains(named) == true)
    }

    @Test func anUnknownMachineIsRefused() async throws {
        let dir = try TemporaryDirectory()
        let result = try await EarshotBinary.run(["synth", "--machine", "boat", "--out", dir.url.path])
        #expect(result.status == 1 && result.errorLines.count == 1 && result.stderr.contains("boat"))
    }
}

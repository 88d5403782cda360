import AudioIO
import Foundation
import TestSupport
import Testing

@Suite struct InfoCommandTests {
    @Test func printsTheHeaderOfAWrittenFile() async throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("tone.flac")
        try AudioFileWriter.write(
            AudioBuffer(sampleRate: 22_050, channels: 2, samples: [Float](repeating: 0.25, count: 22_050 * 2)), to: path, container: .flac)
        let result = try await EarshotBinary.run(["info", "--json", path])
        #expect(result.status == 0)
        let records = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]
        let record = try #require(records?.first)
        #expect(record["sample_rate"] as? Int == 22_050)
        #expect(record["channels"] as? Int == 2)
        #expect(record["frames"] as? Int == 22_050)
        #expect(record["duration_s"] as? Double == 1.0)
        #expect(record["path"] as? String == path)
    }

    /// Each bad file: exit status 1 and exactly one line on stderr that names the file.
    @Test(arguments: ["missing", "empty", "truncated", "text", "unsupported"])
    func badFilesGiveOneLineNamingTheFile(kind: String) async throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("\(kind).wav")
        switch kind {
        case "missing": break
        case "empty": #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        case "truncated":
            try AudioFileWriter.write(AudioBuffer(sampleRate: 16_000, mono: [0, 0.1, 0.2]), to: path, container: .wav)
            try Data(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(30)).write(to: URL(fileURLWithPath: path))
        case "text": try "hello".write(toFile: path, atomically: true, encoding: .utf8)
        default:
            // RIFF/WAVE with format tag 0x1234, which no decoder knows.
            var bytes =
                Array("RIFF".utf8) + [46, 0, 0, 0] + Array("WAVEfmt ".utf8) + [
                    18, 0, 0, 0, 0x34, 0x12, 1, 0, 0x80, 0x3E, 0, 0, 0, 0x7D, 0, 0, 2, 0, 16, 0, 0, 0,
                ]
            bytes += Array("data".utf8) + [2, 0, 0, 0, 0, 0]
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        let result = try await EarshotBinary.run(["info", path])
        #expect(result.status == 1)
        #expect(result.errorLines.count == 1, "stderr: \(result.stderr)")
        #expect(result.errorLines.first?.hasPrefix("Error: \(path): ") == true, "stderr: \(result.stderr)")
    }
}

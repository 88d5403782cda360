import ArgumentParser
import AudioIO
import Foundation
import Inference
import ModelWorkbench

/// `earshot info FILE… [--json] [--public-key P]`: what each audio file's header says, or a model
/// artifact's manifest (recognised by its magic) and whether its signature verifies.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print audio file headers, or a model artifact's manifest and signature status.")

    @Argument(help: "Audio files (any format libsndfile reads) or model artifacts (`earshot quantize`/`sign`).")
    var files: [String]

    @Flag(help: "Print one JSON array instead of text.")
    var json = false

    @Option(help: "Public key (from `earshot keygen`) to verify signed model artifacts against.")
    var publicKey: String?

    mutating func validate() throws {
        guard !files.isEmpty else { throw CLIError("give at least one file") }
    }

    mutating func run() throws {
        let key = try publicKey.map { try SigningKeyFile.publicKey(path: $0) }
        var infos: [AudioFileInfo] = []
        var models: [ModelInfo] = []
        for file in files {
            if let bytes = FileManager.default.contents(atPath: file).map([UInt8].init),
                [.signedArtifact, .unsignedArtifact].contains(ArtifactFile.kind(of: bytes))
            {
                models.append(try ModelInfo(path: file, bytes: bytes, publicKey: key))
                continue
            }
            do {
                infos.append(try AudioFileReader(path: file).info)
            } catch let error as AudioError {
                throw CLIError(error.description)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            if !models.isEmpty {
                let objects = try models.map { try $0.jsonObject() }
                let data = try JSONSerialization.data(withJSONObject: objects, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            }
            if !infos.isEmpty || models.isEmpty {
                let records = infos.map(InfoRecord.init)
                print(String(decoding: try encoder.encode(records), as: UTF8.self))
            }
        } else {
            for line in models.flatMap(\.textLines) { print(line) }
            for info in infos {
                print(
                    "\(info.path): \(info.sampleRate) Hz, \(info.channels) ch, \(info.frames) frames, "
                        + String(format: "%.3f s", info.duration) + ", \(info.format), \(info.subtype)")
            }
        }
    }
}

/// The JSON shape of one `earshot info` entry (snake_case keys, duration included).
private struct InfoRecord: Encodable {
    let path: String
    let sample_rate: Int
    let channels: Int
    let frames: Int
    let duration_s: Double
    let format: String
    let subtype: String

    init(_ info: AudioFileInfo) {
        path = info.path
        sample_rate = info.sampleRate
        channels = info.channels
        frames = info.frames
        duration_s = info.duration
        format = info.format
        subtype = info.subtype
    }
}

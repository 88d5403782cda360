import ArgumentParser
import AudioIO
import Foundation

/// `earshot info FILE… [--json]`: what each audio file's header says.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print sample rate, channels, frames, duration, format and subtype of audio files.")

    @Argument(help: "Audio files (any format libsndfile reads).")
    var files: [String]

    @Flag(help: "Print one JSON array instead of text.")
    var json = false

    mutating func validate() throws {
        guard !files.isEmpty else { throw CLIError("give at least one file") }
    }

    mutating func run() throws {
        var infos: [AudioFileInfo] = []
        for file in files {
            do {
                infos.append(try AudioFileReader(path: file).info)
            } catch let error as AudioError {
                throw CLIError(error.description)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let records = infos.map(InfoRecord.init)
            print(String(decoding: try encoder.encode(records), as: UTF8.self))
        } else {
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

import ArgumentParser
import Foundation
import MachineDatasets
import MachineSounds

/// `earshot synth`: writes a synthetic MIMII- or DCASE-layout dataset for one machine type.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write synthetic machine sounds (normal and anomalous) as 16-bit WAV in the MIMII or DCASE layout.",
        discussion: """
            mimii: DIR/<snr>_dB_<machine>/<machine>/id_<NN>/<normal|abnormal>/<8 digits>.wav
            dcase: DIR/<machine>/<train|test>/<normal|anomaly>_id_<NN>_<8 digits>.wav
                   (per id, test gets as many normal clips as anomalous ones; train gets the rest)
            """)

    @Option(help: "Machine type: fan, pump, valve or slider.")
    var machine: String

    @Option(help: "Output directory (created if missing).")
    var out: String

    @Option(help: "Directory layout: mimii or dcase.")
    var layout = "mimii"

    @Option(help: "Comma-separated machine ids, e.g. 00,02,04,06.")
    var ids = "00,02,04,06"

    @Option(parsing: .unconditional, help: "Normal clips per id.")
    var normal = 10

    @Option(parsing: .unconditional, help: "Anomalous clips per id.")
    var abnormal = 10

    @Option(
        name: .customLong("snr-db"), parsing: .unconditional,
        help: "Machine-to-background SNR over each clip, dB (MIMII uses 6, 0 and -6).")
    var snrDB = 0

    @Option(parsing: .unconditional, help: "Clip length, seconds.")
    var seconds = 10.0

    @Option(name: .customLong("sample-rate"), parsing: .unconditional, help: "Sample rate, Hz (8000–192000).")
    var sampleRate = 16_000

    @Option(parsing: .unconditional, help: "Microphones (channels) on a 6.8 cm circular array; 1 for mono.")
    var channels = 8

    @Option(help: "Seed: the same seed and options give identical files.")
    var seed: UInt64 = 1

    mutating func validate() throws {
        guard MachineType(rawValue: machine) != nil else {
            throw CLIError("unknown machine '\(machine)'; use fan, pump, valve or slider")
        }
        guard DatasetLayout(rawValue: layout) != nil else {
            throw CLIError("unknown layout '\(layout)'; use mimii or dcase")
        }
        _ = try parsedIDs()
        guard normal >= 0 else { throw CLIError("--normal must be 0 or more, got \(normal)") }
        guard abnormal >= 0 else { throw CLIError("--abnormal must be 0 or more, got \(abnormal)") }
        guard normal + abnormal > 0 else { throw CLIError("--normal and --abnormal are both 0; nothing to write") }
        guard (-60...60).contains(snrDB) else { throw CLIError("--snr-db must be between -60 and 60 dB, got \(snrDB)") }
        guard seconds > 0, seconds <= 3600 else { throw CLIError("--seconds must be above 0 and at most 3600, got \(seconds)") }
        guard (8_000...192_000).contains(sampleRate) else {
            throw CLIError("--sample-rate must be between 8000 and 192000 Hz, got \(sampleRate)")
        }
        guard (1...64).contains(channels) else { throw CLIError("--channels must be between 1 and 64, got \(channels)") }
    }

    /// `--ids` as integers: non-negative, comma-separated, no duplicates.
    private func parsedIDs() throws -> [Int] {
        let fields = ids.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var result: [Int] = []
        for field in fields {
            guard let id = Int(field), id >= 0, field.allSatisfy(\.isNumber) else {
                throw CLIError("--ids must be comma-separated non-negative integers like 00,02,04,06; got '\(ids)'")
            }
            guard !result.contains(id) else { throw CLIError("--ids lists id \(field) twice") }
            result.append(id)
        }
        return result
    }

    mutating func run() throws {
        let writer = DatasetWriter(
            machine: MachineType(rawValue: machine)!,
            ids: try parsedIDs(),
            normalPerID: normal,
            abnormalPerID: abnormal,
            layout: DatasetLayout(rawValue: layout)!,
            settings: SynthesisSettings(sampleRate: sampleRate, seconds: seconds, channels: channels, snrDB: Double(snrDB)),
            seed: seed)
        let count = writer.clips.count
        let bar = ProgressBar(total: count, label: "synth")
        let start = Date()
        do {
            try writer.write(to: out) { _ in bar.advance() }
        } catch {
            bar.finish()
            throw CLIError("\(error)")
        }
        bar.finish()
        let elapsed = Date().timeIntervalSince(start)
        print(
            "Wrote \(count) files (\(machine), \(layout), \(snrDB) dB, \(channels) ch, "
                + String(format: "%g s each", seconds) + ") to \(out) in " + String(format: "%.1f s", elapsed))
    }
}

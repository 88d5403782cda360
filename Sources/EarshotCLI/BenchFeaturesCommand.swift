import ArgumentParser
import Foundation
import ModelWorkbench

/// `earshot bench features [--json]`: MFCC-40 and 128-mel log-mel of one 10 s clip, single thread, the same
/// log-mel through `FeatureStream` in 512-sample chunks, and whole-directory throughput on every core.
struct BenchFeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Time MFCC-40 and 128-mel log-mel (librosa defaults) on a 10 s clip; clips/s over a directory.")

    @Option(help: "Clip to time (mixed to mono). Default: MIMII fan id_00 normal from $EARSHOT_REAL_DATA or ../shared/data.")
    var clip: String?

    @Option(help: "Directory of WAV files for the throughput run. Default: the MIMII folder of the shared data.")
    var directory: String?

    @Option(help: "Timed runs per feature (after warm-up).")
    var runs = 300

    @Option(help: "Worker threads for the throughput run.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Flag(help: "Print one JSON object.")
    var json = false

    mutating func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    mutating func run() throws {
        let dataRoot = ProcessInfo.processInfo.environment["EARSHOT_REAL_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "../shared/data"
        let clipPath = clip ?? "\(dataRoot)/mimii/0_dB_fan/fan/id_00/normal/00000000.wav"
        let report = try FeatureLatencyBenchmark(runs: runs, jobs: jobs).measure(
            clip: clipPath, directory: directory ?? "\(dataRoot)/mimii")
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("clip: \(clipPath) (\(String(format: "%.2f", report.clipSeconds)) s at \(report.sampleRate) Hz, mono)")
            for r in report.singleThread {
                print(
                    String(
                        format: "%-10@ median %.3f ms  (p10 %.3f, p90 %.3f, %d runs, 1 thread)",
                        r.feature as NSString, r.medianMs, r.p10Ms, r.p90Ms, r.runs))
            }
            let throughput = report.throughput
            print(
                String(
                    format: "throughput: %.1f clips/s, MFCC-40 clip means incl. decoding and mixdown, %d clips, %d threads",
                    throughput.clipsPerSecond, throughput.clips, throughput.threads))
        }
    }
}

import ArgumentParser
import AudioIO
import Dispatch
import Foundation
import Spectral
import Synchronization

/// `earshot bench features [--json]`: MFCC-40 and 128-mel log-mel of one 10 s clip, single thread, and
/// whole-directory throughput on every core.
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
        let audio = try readMono(clipPath)
        var results: [Timing] = []
        for (name, spec) in [
            ("mfcc40", FeatureSpec(kind: .mfcc, sampleRate: audio.rate, nMFCC: 40)),
            ("logmel128", FeatureSpec(kind: .logMel, sampleRate: audio.rate)),
        ] {
            let extractor = try FeatureExtractor(spec: spec)
            for _ in 0..<20 { _ = try extractor.extract(audio.samples) }
            var times: [Double] = []
            times.reserveCapacity(runs)
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try extractor.extract(audio.samples)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            times.sort()
            results.append(Timing(feature: name, median_ms: times[times.count / 2], p10_ms: times[times.count / 10],
                                  p90_ms: times[times.count * 9 / 10], runs: runs))
        }
        let throughput = try measureThroughput(directory: directory ?? "\(dataRoot)/mimii")
        let report = Report(clip: clipPath, clip_seconds: Double(audio.samples.count) / Double(audio.rate), sample_rate: audio.rate,
                            single_thread: results, throughput: throughput)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print("clip: \(clipPath) (\(String(format: "%.2f", report.clip_seconds)) s at \(audio.rate) Hz, mono)")
            for r in results {
                print(String(format: "%-10@ median %.3f ms  (p10 %.3f, p90 %.3f, %d runs, 1 thread)",
                             r.feature as NSString, r.median_ms, r.p10_ms, r.p90_ms, r.runs))
            }
            print(String(format: "throughput: %.1f clips/s, MFCC-40 clip means incl. decoding and mixdown, %d clips, %d threads",
                         throughput.clips_per_second, throughput.clips, throughput.threads))
        }
    }

    private func readMono(_ path: String) throws -> (samples: [Float], rate: Int) {
        do {
            let buffer = try AudioFileReader.read(path: path)
            return (buffer.mixedDown(), buffer.sampleRate)
        } catch let error as AudioError {
            throw CLIError(error.description)
        }
    }

    /// Decode, mix down and take the 40-MFCC clip mean of every WAV below `directory`, `jobs` clips at a time.
    private func measureThroughput(directory: String) throws -> Throughput {
        let files = (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".wav") }.sorted().map { "\(directory)/\($0)" }
        guard !files.isEmpty else { throw CLIError("\(directory): no .wav files for the throughput run (use --directory)") }
        let failures = Mutex<[String]>([])
        let start = DispatchTime.now().uptimeNanoseconds
        let workers = min(jobs, files.count)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            do {
                var extractor: FeatureExtractor?
                for index in stride(from: worker, to: files.count, by: workers) {
                    let buffer = try AudioFileReader.read(path: files[index])
                    if extractor?.spec.sampleRate != buffer.sampleRate {
                        extractor = try FeatureExtractor(spec: FeatureSpec(kind: .mfcc, sampleRate: buffer.sampleRate, nMFCC: 40))
                    }
                    _ = try extractor!.extract(buffer.mixedDown()).meanOverTime()
                }
            } catch {
                failures.withLock { $0.append("\(error)") }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let failure = failures.withLock({ $0.first }) { throw CLIError(failure) }
        return Throughput(directory: directory, clips: files.count, threads: workers, seconds: seconds,
                          clips_per_second: Double(files.count) / seconds)
    }
}

private struct Timing: Encodable {
    let feature: String
    let median_ms: Double
    let p10_ms: Double
    let p90_ms: Double
    let runs: Int
}

private struct Throughput: Encodable {
    let directory: String
    let clips: Int
    let threads: Int
    let seconds: Double
    let clips_per_second: Double
}

private struct Report: Encodable {
    let clip: String
    let clip_seconds: Double
    let sample_rate: Int
    let single_thread: [Timing]
    let throughput: Throughput
}

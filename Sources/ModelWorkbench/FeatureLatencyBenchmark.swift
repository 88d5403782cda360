import AudioIO
import Dispatch
import Foundation
import Spectral
import Synchronization

/// Times MFCC-40 and 128-mel log-mel (librosa defaults) of one clip on one thread, the same log-mel
/// through the agent's `FeatureStream` in 512-sample chunks, and whole-directory throughput on `jobs` threads.
public struct FeatureLatencyBenchmark: Sendable {
    /// Timed runs per feature (after 20 warm-up runs).
    public var runs: Int
    /// Worker threads for the throughput run.
    public var jobs: Int

    /// A benchmark of `runs` timed runs per feature and a throughput run on `jobs` threads.
    public init(runs: Int = 300, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.runs = runs
        self.jobs = jobs
    }

    /// Times the features of `clip` (mixed to mono) and the throughput over every WAV below `directory`.
    public func measure(clip: String, directory: String) throws -> FeatureLatencyReport {
        let audio = try readMono(clip)
        var results: [FeatureLatencyReport.Timing] = []
        for (name, spec) in [
            ("mfcc40", FeatureSpec(kind: .mfcc, sampleRate: audio.rate, nMFCC: 40)),
            ("logmel128", FeatureSpec(kind: .logMel, sampleRate: audio.rate)),
        ] {
            let extractor = try FeatureExtractor(spec: spec)
            results.append(try timing(name) { _ = try extractor.extract(audio.samples) })
        }
        results.append(try timeStream(audio))
        return FeatureLatencyReport(
            clip: clip, clipSeconds: Double(audio.samples.count) / Double(audio.rate), sampleRate: audio.rate, singleThread: results,
            throughput: try measureThroughput(directory: directory))
    }

    private func timing(_ feature: String, _ body: () throws -> Void) throws -> FeatureLatencyReport.Timing {
        let t = try LatencyTimer.percentiles(runs: runs, warmUp: 20, body)
        return FeatureLatencyReport.Timing(feature: feature, medianMs: t.median, p10Ms: t.p10, p90Ms: t.p90, runs: runs)
    }

    /// The agent's path: the clip pushed into a `FeatureStream` (128-mel log-mel, no top_db) in 512-sample chunks.
    private func timeStream(_ audio: (samples: [Float], rate: Int)) throws -> FeatureLatencyReport.Timing {
        let stream = try FeatureStream(spec: FeatureSpec(kind: .logMel, sampleRate: audio.rate, topDB: nil))
        var checksum: Float = 0
        let result = try timing("stream-logmel128") {
            try audio.samples.withUnsafeBufferPointer { all in
                var start = 0
                while start < all.count {
                    let end = min(all.count, start + 512)
                    try stream.push(UnsafeBufferPointer(rebasing: all[start..<end])) { checksum += $0[0] }
                    start = end
                }
            }
            stream.finish { checksum += $0[0] }
        }
        guard checksum.isFinite else { throw WorkbenchError("the feature stream produced non-finite features") }
        return result
    }

    private func readMono(_ path: String) throws -> (samples: [Float], rate: Int) {
        do {
            let buffer = try AudioFileReader.read(path: path)
            return (buffer.mixedDown(), buffer.sampleRate)
        } catch let error as AudioError {
            throw WorkbenchError(error.description)
        }
    }

    /// Decode, mix down and take the 40-MFCC clip mean of every WAV below `directory`, `jobs` clips at a time.
    private func measureThroughput(directory: String) throws -> FeatureLatencyReport.Throughput {
        let files = (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".wav") }.sorted().map { "\(directory)/\($0)" }
        guard !files.isEmpty else { throw WorkbenchError("\(directory): no .wav files for the throughput run (use --directory)") }
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
        if let failure = failures.withLock({ $0.first }) { throw WorkbenchError(failure) }
        return FeatureLatencyReport.Throughput(
            directory: directory, clips: files.count, threads: workers, seconds: seconds, clipsPerSecond: Double(files.count) / seconds)
    }
}

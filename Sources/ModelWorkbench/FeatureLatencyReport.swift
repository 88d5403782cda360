/// What `FeatureLatencyBenchmark` measured: single-thread timings on one clip and throughput over a directory.
public struct FeatureLatencyReport: Sendable, Encodable {
    /// One feature's single-thread timing on the clip.
    public struct Timing: Sendable, Encodable {
        /// `mfcc40`, `logmel128` or `stream-logmel128`.
        public let feature: String
        /// Median of one clip's features, ms.
        public let medianMs: Double
        /// 10th percentile, ms.
        public let p10Ms: Double
        /// 90th percentile, ms.
        public let p90Ms: Double
        /// Timed runs.
        public let runs: Int

        enum CodingKeys: String, CodingKey {
            case feature, runs
            case medianMs = "median_ms"
            case p10Ms = "p10_ms"
            case p90Ms = "p90_ms"
        }
    }

    /// Clips decoded, mixed down and turned into 40-MFCC clip means per second, on every worker.
    public struct Throughput: Sendable, Encodable {
        /// The directory of WAV files.
        public let directory: String
        /// Clips processed.
        public let clips: Int
        /// Worker threads.
        public let threads: Int
        /// Wall time, seconds.
        public let seconds: Double
        /// Clips per second of wall time.
        public let clipsPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case directory, clips, threads, seconds
            case clipsPerSecond = "clips_per_second"
        }
    }

    /// The clip timed.
    public let clip: String
    /// Its length, seconds.
    public let clipSeconds: Double
    /// Its sample rate, Hz.
    public let sampleRate: Int
    /// One timing per feature, single thread.
    public let singleThread: [Timing]
    /// The whole-directory run.
    public let throughput: Throughput

    enum CodingKeys: String, CodingKey {
        case clip, throughput
        case clipSeconds = "clip_seconds"
        case sampleRate = "sample_rate"
        case singleThread = "single_thread"
    }
}

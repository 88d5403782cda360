/// What `FeatureLatencyBenchmark` measured: single-thread timings on one clip and throughput over a directory.
public struct FeatureLatencyReport: Sendable, Encodable {
    /// One feature's single-thread timing on the clip.
    public struct Timing: Sendable, Encodable {
        public let feature: String
        public let medianMs: Double
        public let p10Ms: Double
        public let p90Ms: Double
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
        public let directory: String
        public let clips: Int
        public let threads: Int
        public let seconds: Double
        public let clipsPerSecond: Double

        enum CodingKeys: String, CodingKey {
            case directory, clips, threads, seconds
            case clipsPerSecond = "clips_per_second"
        }
    }

    public let clip: String
    public let clipSeconds: Double
    public let sampleRate: Int
    public let singleThread: [Timing]
    public let throughput: Throughput

    enum CodingKeys: String, CodingKey {
        case clip, throughput
        case clipSeconds = "clip_seconds"
        case sampleRate = "sample_rate"
        case singleThread = "single_thread"
    }
}

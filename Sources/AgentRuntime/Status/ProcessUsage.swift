import Foundation

/// CPU and memory of this process, from `/proc/self` (Linux) and `getrusage`.
///
/// `Sendable`: a value type holding the previous sample for CPU deltas.
public struct ProcessUsage: Sendable {
    private var lastCPUSeconds: Double
    private var lastWall: ContinuousClock.Instant

    /// Starts measuring now.
    public init() {
        lastCPUSeconds = Self.cpuSeconds()
        lastWall = .now
    }

    /// User + system CPU seconds used by the process so far.
    public static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    /// Resident set size now, bytes (0 where `/proc` is unavailable).
    public static func residentBytes() -> UInt64 {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = UInt64(fields[1]) else { return 0 }
        return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// CPU use since the previous call (or `init`), percent of one core.
    public mutating func cpuPercentSinceLastSample() -> Float {
        let cpu = Self.cpuSeconds()
        let now = ContinuousClock.now
        let elapsed = now - lastWall
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        defer {
            lastCPUSeconds = cpu
            lastWall = now
        }
        guard seconds > 0 else { return 0 }
        return Float((cpu - lastCPUSeconds) / seconds * 100)
    }
}

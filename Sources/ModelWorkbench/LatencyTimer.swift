import Dispatch

/// Wall-clock medians for the latency benchmarks.
enum LatencyTimer {
    /// Median wall time of `body` in milliseconds over `runs` calls, after `max(runs / 10, 3)` warm-up calls.
    static func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
        try percentiles(runs: runs, warmUp: max(runs / 10, 3), body).median
    }

    /// The 10th, 50th and 90th percentile of `runs` timed calls of `body` in milliseconds, after `warmUp` calls.
    static func percentiles(runs: Int, warmUp: Int, _ body: () throws -> Void) rethrows -> (p10: Double, median: Double, p90: Double) {
        for _ in 0..<warmUp { try body() }
        var times: [Double] = []
        times.reserveCapacity(runs)
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        times.sort()
        return (times[times.count / 10], times[times.count / 2], times[times.count * 9 / 10])
    }
}

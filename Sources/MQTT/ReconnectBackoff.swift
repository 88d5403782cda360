/// Jittered exponential backoff between reconnect attempts.
///
/// Attempt `n` (0-based) waits a uniformly random time in `[d/2, d]` where
/// `d = min(maximum, initial * multiplier^n)` ("equal jitter"), so a fleet of agents
/// that lost the broker together does not reconnect in lock-step.
/// `Sendable`: a value type.
public struct ReconnectBackoff: Hashable, Sendable {
    /// Delay cap before jitter for the first attempt, seconds.
    public var initial: Double
    /// Largest delay cap, seconds.
    public var maximum: Double
    /// Growth factor per failed attempt.
    public var multiplier: Double

    /// Creates a backoff policy.
    public init(initial: Double = 0.25, maximum: Double = 30, multiplier: Double = 2) {
        self.initial = initial
        self.maximum = maximum
        self.multiplier = multiplier
    }

    /// The delay before reconnect attempt `attempt` (0-based), seconds.
    public func delay<G: RandomNumberGenerator>(attempt: Int, using generator: inout G) -> Double {
        let exponent = Double(min(attempt, 64))
        let cap = min(maximum, initial * Self.power(multiplier, exponent))
        return Double.random(in: (cap / 2)...cap, using: &generator)
    }

    private static func power(_ base: Double, _ exponent: Double) -> Double {
        var result = 1.0
        var i = 0.0
        while i < exponent, result < .greatestFiniteMagnitude / base {
            result *= base
            i += 1
        }
        return result
    }
}

/// Why the demo stopped: a process it started died or timed out, its directory is not its own, or a
/// port or file could not be had. The message says which and, for a process, ends with its log.
public struct DemoError: Error, CustomStringConvertible {
    /// The message.
    public let description: String

    init(_ message: String) {
        description = message
    }
}

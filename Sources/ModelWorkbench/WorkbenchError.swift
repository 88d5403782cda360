/// A one-line refusal of a workbench run, naming the file, clip or option at fault.
public struct WorkbenchError: Error, CustomStringConvertible {
    /// The refusal, one line.
    public let description: String

    /// A refusal saying `message`.
    public init(_ message: String) {
        description = message
    }
}

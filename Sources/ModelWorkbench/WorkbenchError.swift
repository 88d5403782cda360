/// A one-line refusal of a workbench run, naming the file, clip or option at fault.
public struct WorkbenchError: Error, CustomStringConvertible {
    public let description: String

    public init(_ message: String) {
        description = message
    }
}

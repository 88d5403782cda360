/// Why a feature export stopped: an input that does not exist, a clip without a label, a clip that
/// cannot be read or featurised, rates that differ, or a file that cannot be written. The message names it.
public struct FeatureExportError: Error, CustomStringConvertible {
    /// The message.
    public let description: String

    init(_ message: String) {
        description = message
    }
}

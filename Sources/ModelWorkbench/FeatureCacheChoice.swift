import Foundation
import Training

/// Where training and evaluation keep the feature cache: a given directory, none, or `.earshot-cache/`
/// beside the data (in a data directory, or in a manifest's folder).
public struct FeatureCacheChoice: Sendable {
    /// The cache directory; `nil` means beside the data.
    public var directory: String?
    /// No cache: features are computed every time, nothing is written.
    public var disabled: Bool

    /// The cache in `directory`, beside the data when `nil`, or none when `disabled`.
    public init(directory: String? = nil, disabled: Bool = false) {
        self.directory = directory
        self.disabled = disabled
    }

    /// The cache for the dataset at `dataPath` (a directory or a CSV manifest), or `nil` when disabled.
    public func cache(for dataPath: String) throws -> FeatureCache? {
        guard !disabled else { return nil }
        if let directory { return try FeatureCache(directory: directory) }
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: dataPath, isDirectory: &isDirectory)
        let base = isDirectory.boolValue ? URL(fileURLWithPath: dataPath) : URL(fileURLWithPath: dataPath).deletingLastPathComponent()
        return try FeatureCache(directory: base.appendingPathComponent(".earshot-cache").path)
    }
}

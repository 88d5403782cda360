import Foundation
import Training

/// Where `earshot train` / `eval` keep the feature cache: `--cache DIR`, none with `--no-cache`, else
/// `.earshot-cache/` beside the data (in a data directory, or in a manifest's folder).
struct FeatureCacheChoice {
    var directory: String?
    var disabled: Bool

    func cache(for dataPath: String) throws -> FeatureCache? {
        guard !disabled else { return nil }
        if let directory { return try FeatureCache(directory: directory) }
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: dataPath, isDirectory: &isDirectory)
        let base = isDirectory.boolValue ? URL(fileURLWithPath: dataPath) : URL(fileURLWithPath: dataPath).deletingLastPathComponent()
        return try FeatureCache(directory: base.appendingPathComponent(".earshot-cache").path)
    }
}

import Foundation
import Testing

/// Where the real MIMII / DCASE recordings are: `$EARSHOT_REAL_DATA`, else `../shared/data` beside the package.
enum RealData {
    static let directory: URL = {
        if let override = ProcessInfo.processInfo.environment["EARSHOT_REAL_DATA"], !override.isEmpty {
            return URL(fileURLWithPath: override)
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// True when the MIMII folder is present; tests that need it are skipped (with this reason shown) otherwise.
    static var isAvailable: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("mimii").path)
    }

    static let skipReason: Comment = "real recordings not found at $EARSHOT_REAL_DATA or ../shared/data; skipped"

    /// Every `.wav` below `sub`, sorted.
    static func wavFiles(under sub: String) -> [String] {
        let root = directory.appendingPathComponent(sub)
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".wav") }.sorted().map { root.appendingPathComponent($0).path }
    }
}

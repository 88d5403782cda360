import ArgumentParser
import Foundation
import ModelWorkbench

/// `--cache`, `--no-cache` and `--jobs`: how `earshot train` and `eval` compute the clips' features.
struct FeatureCacheOptions: ParsableArguments {
    @Option(help: "Feature cache directory (default: .earshot-cache beside the data).")
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Compute features without reading or writing a cache.")
    var noCache = false

    @Option(help: "Clips whose features are computed in parallel.")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    /// Where the features are cached.
    var choice: FeatureCacheChoice { FeatureCacheChoice(directory: cache, disabled: noCache) }
}

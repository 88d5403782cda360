// swift-tools-version: 6.1
//
// libFuzzer targets for Earshot, kept out of the main package so `swift build` never compiles them.
// scripts/fuzz builds one with `-sanitize=fuzzer` (coverage instrumentation of every Swift module it
// links, and libFuzzer's driver) into Fuzz/.build and runs it; see docs/operations.md, "Fuzzing".
import Foundation
import PackageDescription

// A path dependency's identity is its directory name (main, a worktree, a CI checkout…).
let earshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "EarshotFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        // The same range as the main package's, to sign fuzzed artifacts as a hub does.
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // libFuzzer's driver, started from each target's entry point.
        .target(name: "FuzzDriver", path: "Sources/FuzzDriver"),
        // bytes → topic + payload → WireDecoder → IngestRound → HubStore.ingest on a temporary SQLite file.
        .executableTarget(
            name: "fuzz-ingest",
            dependencies: [
                "FuzzDriver", .product(name: "HubCore", package: earshot), .product(name: "HubIngest", package: earshot),
                .product(name: "Wire", package: earshot),
            ],
            path: "Sources/IngestFuzzer"),
        // bytes as an audio file → AudioFileReader within the hub's clip decode limits.
        .executableTarget(
            name: "fuzz-audio",
            dependencies: ["FuzzDriver", .product(name: "AudioIO", package: earshot), .product(name: "HubCore", package: earshot)],
            path: "Sources/AudioFuzzer"),
        // bytes as a ModelArtifact, signed → ArtifactVerifier → Model → WindowScorer → one window scored.
        .executableTarget(
            name: "fuzz-artifact",
            dependencies: [
                "FuzzDriver", .product(name: "Inference", package: earshot), .product(name: "Scoring", package: earshot),
                .product(name: "Wire", package: earshot), .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/ArtifactFuzzer"),
        // YAML text → the agent's, the hub's and an experiment's config, and what each derives.
        .executableTarget(
            name: "fuzz-config",
            dependencies: [
                "FuzzDriver", .product(name: "AgentRuntime", package: earshot), .product(name: "HubCore", package: earshot),
                .product(name: "Inference", package: earshot), .product(name: "Training", package: earshot),
            ],
            path: "Sources/ConfigFuzzer"),
    ]
)

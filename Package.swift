// swift-tools-version: 6.1
//
// Earshot: acoustic condition monitoring, edge agents to hub.
//
// Dependency direction (see docs/architecture.md):
//   C system libraries  ←  AudioIO, Spectral, MQTT        (agent-safe)
//   AudioIO ← MachineSounds
//   Wire (protobuf)     ←  AgentRuntime, HubRuntime
//   Training (OpenBLAS) ←  HubRuntime, EarshotCLI          (never the agent)
// `earshot-agent` must never link OpenBLAS, an HTTP server or training code;
// `scripts/check-agent-links` enforces that on the built binary.
import PackageDescription

let package = Package(
    name: "Earshot",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "earshot", targets: ["EarshotCLI"]),
        .executable(name: "earshot-agent", targets: ["EarshotAgent"]),
        .executable(name: "earshot-hub", targets: ["EarshotHub"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // MARK: C system libraries (one module map + shim each; only one Swift module imports each)
        .systemLibrary(
            name: "CSndFile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"]), .brew(["libsndfile"])]),
        .systemLibrary(
            name: "CFFTW", pkgConfig: "fftw3f",
            providers: [.apt(["libfftw3-dev"]), .brew(["fftw"])]),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
        .systemLibrary(
            name: "CMosquitto", pkgConfig: "libmosquitto",
            providers: [.apt(["libmosquitto-dev"]), .brew(["mosquitto"])]),

        // MARK: Libraries
        .target(name: "AudioIO", dependencies: ["CSndFile"]),
        .target(name: "MachineSounds", dependencies: ["AudioIO"]),
        // Wire protocol: generated protobuf types (Sources/Wire/Generated, from proto/), topic scheme, decoder.
        .target(
            name: "Wire",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        // Async MQTT client over libmosquitto.
        .target(
            name: "MQTT",
            dependencies: ["CMosquitto", .product(name: "Logging", package: "swift-log")]),

        // MARK: Executables
        .executableTarget(
            name: "EarshotCLI",
            dependencies: [
                "AudioIO", "MachineSounds",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "EarshotAgent",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "EarshotHub",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: Tests
        .testTarget(name: "AudioIOTests", dependencies: ["AudioIO"]),
        .testTarget(name: "MachineSoundsTests", dependencies: ["MachineSounds", "AudioIO"]),
        .testTarget(name: "WireTests", dependencies: ["Wire"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "MQTTTests",
            dependencies: ["MQTT", "Wire", .product(name: "Logging", package: "swift-log")]),

        // MARK: Benchmarks (not tests; see bench/mqtt/README.md)
        .executableTarget(
            name: "MQTTBench",
            dependencies: ["MQTT", .product(name: "Logging", package: "swift-log")],
            path: "bench/mqtt/MQTTBench"),
    ],
    swiftLanguageModes: [.v6]
)

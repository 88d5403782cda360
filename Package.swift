// swift-tools-version: 6.1
//
// Earshot: acoustic condition monitoring, edge agents to hub.
//
// Dependency direction (the full graph, as built, is in docs/architecture.md):
//   C system libraries  ←  AudioIO, Spectral, MQTT        (agent-safe)
//   SeededRandom, MachineDatasets (no dependencies) ← MachineSounds (with AudioIO), Training
//   Wire (protobuf, WallClock) ← Inference (graph, int8 runtime, artifact verification; agent-safe)
//   AudioIO, Inference, Spectral, Wire ← Scoring (windows → score, alarm state; agent-safe)
//   Scoring, MQTT, ConfigSchema ← AgentRuntime (the agent core) ← EarshotAgent, FleetSimulation
//   Scoring, Inference, Spectral, NumPy, ConfigSchema ← Training (OpenBLAS) ← Retraining, ModelWorkbench   (never the agent)
//   Training, Inference, Spectral, AudioIO, Wire ← ModelWorkbench (earshot train, eval, quantize, info, bench) ← EarshotCLI
//   Wire, MQTT, AudioIO, ConfigSchema ← HubCore (database, config, metrics) ← HubAlarms ← HubIngest; HubCore ← HubRollout
//   HubCore, HubAlarms, HubRollout ← HubWeb (HTTP API, dashboard) ← Retraining (with Training)  (never the agent)
//   HubIngest, HubRollout, HubWeb ← HubRuntime (the hub's service group) ← EarshotHub, with Retraining
//   AudioIO, MachineSounds, Wire ← PlantDemo (earshot demo, driven from outside) ← EarshotCLI
//   AudioIO, Spectral, NumPy, MachineDatasets ← FeatureExport (earshot features) ← EarshotCLI
// `earshot-agent` must never link OpenBLAS, an HTTP server or training code: `scripts/check-module-graph`
// checks its module set and that every module declares exactly what it imports, `scripts/check-agent-links`
// the built binary.
import PackageDescription

/// The signal path (audio decoding and FLAC, features, int8 inference, scoring), training and the
/// machine-sound synthesizer are optimised in debug builds too: unoptimised they are ~10× slower, and the debug test run trains and
/// retrains real models and runs a demo plant of six agents on two cores next to its hub.
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Earshot",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "earshot", targets: ["EarshotCLI"]),
        .executable(name: "earshot-agent", targets: ["EarshotAgent"]),
        .executable(name: "earshot-hub", targets: ["EarshotHub"]),
        // For Fuzz/Package.swift only (libFuzzer targets built apart from the normal build, see
        // docs/operations.md "Fuzzing"); automatic libraries add nothing to `swift build`.
        .library(name: "HubCore", targets: ["HubCore"]),
        .library(name: "HubIngest", targets: ["HubIngest"]),
        .library(name: "AudioIO", targets: ["AudioIO"]),
        .library(name: "Wire", targets: ["Wire"]),
        .library(name: "Inference", targets: ["Inference"]),
        .library(name: "Scoring", targets: ["Scoring"]),
        .library(name: "AgentRuntime", targets: ["AgentRuntime"]),
        .library(name: "Training", targets: ["Training"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.0"),
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
        .target(name: "AudioIO", dependencies: ["CSndFile"], swiftSettings: optimizedInDebug),
        // The one strict YAML config reader (agent, hub, training's experiment configs): typed keys, unknown key = error.
        .target(name: "ConfigSchema", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "MachineSounds", dependencies: ["AudioIO", "MachineDatasets", "SeededRandom"], swiftSettings: optimizedInDebug),
        // MIMII and DCASE 2020 Task 2 paths: the one reader and writer of both layouts.
        .target(name: "MachineDatasets"),
        // The one seeded pseudo-random generator (xoshiro256**): training, synthesis, clip sampling, simulation.
        .target(name: "SeededRandom"),
        // Model graph, int8 kernels, the int8 model runtime and signed-artifact verification (agent side):
        // no BLAS, no training code, no Foundation in the hot paths.
        .target(
            name: "Inference",
            dependencies: [
                "Wire", "CInferenceKernels", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ], swiftSettings: optimizedInDebug),
        // The AVX-512 VNNI int8 convolution, chosen at run time by Inference (docs/inference.md).
        .target(name: "CInferenceKernels", cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))]),
        .target(name: "Spectral", dependencies: ["CFFTW"], swiftSettings: optimizedInDebug),
        // Audio → the model's windows → the artifact's features → int8 model → score, threshold, label and
        // alarm state (agent side; the hub and the CLI score clips through the same code).
        .target(name: "Scoring", dependencies: ["AudioIO", "Inference", "Spectral", "Wire"], swiftSettings: optimizedInDebug),
        .target(name: "NumPy"),
        .target(
            name: "Training",
            dependencies: [
                "Inference", "Scoring", "Wire", "COpenBLAS", "NumPy", "AudioIO", "Spectral", "SeededRandom", "MachineDatasets",
                "ConfigSchema", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: optimizedInDebug),

        // MARK: Services
        .target(
            name: "AgentRuntime",
            dependencies: [
                "Scoring", "Inference", "MQTT", "Wire", "AudioIO", "ConfigSchema", "SeededRandom",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        // The hub, split by capability (docs/architecture.md): what every capability shares, then one module each.
        // The database (migrations, records, shared queries), the configuration and the metrics registry.
        .target(
            name: "HubCore",
            dependencies: [
                "Wire", "MQTT", "AudioIO", "ConfigSchema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        // Alarms: the ledger evaluated in each ingest transaction, operator actions, fleet health, notifications.
        .target(
            name: "HubAlarms",
            dependencies: [
                "HubCore", "Wire", "MQTT",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // MQTT ingest: bounds, one transaction per round, acknowledgements.
        .target(
            name: "HubIngest",
            dependencies: [
                "HubCore", "HubAlarms", "Wire", "MQTT",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // Staged model rollouts and learning periods: the desired state each agent is sent.
        .target(
            name: "HubRollout",
            dependencies: [
                "HubCore", "Wire", "MQTT",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // The HTTP API and the dashboard.
        .target(
            name: "HubWeb",
            dependencies: [
                "HubCore", "HubAlarms", "HubRollout", "Wire", "AudioIO", "Spectral",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                // The request head and body timeouts are a channel handler on Hummingbird's HTTP/1 pipeline.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]),
        // The hub's composition root: one service group of ingest, retention, rollout, alarms and HTTP.
        .target(
            name: "HubRuntime",
            dependencies: [
                "HubCore", "HubAlarms", "HubIngest", "HubRollout", "HubWeb",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        // Periodic retraining with promotion gates (hub only; never linked by earshot-agent).
        .target(
            name: "Retraining",
            dependencies: [
                "HubCore", "HubWeb", "Training", "Inference", "Scoring", "AudioIO", "Spectral", "Wire", "ConfigSchema",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        // `earshot features`: librosa-compatible features of many clips (MIMII/DCASE labels from the paths) into one .npy.
        // The hub-side workbench behind `earshot train`, `eval`, `quantize`, `info` and `bench`: each run as a library call.
        .target(
            name: "ModelWorkbench",
            dependencies: [
                "AudioIO", "Spectral", "Training", "Inference", "Wire", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ]),
        .target(name: "FeatureExport", dependencies: ["AudioIO", "Spectral", "NumPy", "MachineDatasets"], swiftSettings: optimizedInDebug),
        // `earshot demo`: the whole system on one machine, driven from outside (processes and the hub's HTTP API).
        .target(name: "PlantDemo", dependencies: ["AudioIO", "MachineSounds", "Wire"]),
        // Many simulated agents in one process (earshot fleet-sim); never linked by earshot-agent.
        .target(
            name: "FleetSimulation",
            dependencies: [
                "AgentRuntime", "MQTT", "Scoring", "SeededRandom", "Wire", .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
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
                "AudioIO", "MachineDatasets", "MachineSounds", "Spectral", "Training", "Inference", "Wire", "MQTT",
                "FleetSimulation", "PlantDemo", "FeatureExport", "ModelWorkbench",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "EarshotAgent",
            dependencies: [
                "AgentRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "EarshotHub",
            dependencies: [
                "HubRuntime", "HubCore", "HubRollout", "Retraining", "Wire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: Benchmarks (`swift package benchmark`; numbers, not tests)
        .executableTarget(
            name: "InferenceKernels",
            dependencies: ["Inference", .product(name: "Benchmark", package: "package-benchmark")],
            path: "Benchmarks/InferenceKernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]),

        // MARK: Tests
        .testTarget(name: "AudioIOTests", dependencies: ["TestSupport", "AudioIO"]),
        .testTarget(name: "MachineSoundsTests", dependencies: ["MachineSounds", "MachineDatasets", "AudioIO", "SeededRandom"]),
        .testTarget(name: "MachineDatasetsTests", dependencies: ["MachineDatasets"]),
        .testTarget(
            name: "ModelWorkbenchTests",
            dependencies: [
                "ModelWorkbench", "MachineSounds", "MachineDatasets", "Training", "Inference", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(name: "FeatureExportTests", dependencies: ["FeatureExport", "AudioIO", "NumPy", "Spectral"]),
        .testTarget(
            name: "EarshotCLITests", dependencies: ["TestSupport", "EarshotCLI", "AudioIO", "NumPy", "Training", "Inference", "Wire"]),
        .testTarget(
            name: "InferenceTests", dependencies: ["Inference", "SeededRandom", "Wire", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(
            name: "SpectralTests", dependencies: ["Spectral", "NumPy", "AudioIO"],
            exclude: ["Fixtures"]),  // read in place through #filePath
        .testTarget(name: "NumPyTests", dependencies: ["NumPy"], exclude: ["Fixtures"]),
        .testTarget(
            name: "AgentRuntimeTests",
            dependencies: [
                "TestSupport", "AgentRuntime", "ConfigSchema", "AudioIO", "MachineSounds", "Wire", "Inference", "BrokerSupport", "MQTT",
                "Scoring", "ModelFixtures",
                .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(name: "ConfigSchemaTests", dependencies: ["ConfigSchema"]),
        // Runs the built earshot-hub and earshot fleet-sim processes (dependencies make sure they are built).
        .testTarget(
            name: "EarshotHubTests",
            dependencies: [
                "TestSupport", "EarshotHub", "EarshotCLI", "PlantDemo", "BrokerSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "HubRuntimeTests",
            dependencies: [
                "TestSupport", "HubRuntime", "HubCore", "HubAlarms", "HubIngest", "HubRollout", "HubWeb", "Retraining", "FleetSimulation",
                "AgentRuntime",
                "ConfigSchema",
                "BrokerSupport", "MQTT", "Wire", "AudioIO",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Yams", package: "Yams"),
            ]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["TestSupport", "Training", "Inference", "Wire", "NumPy", "AudioIO", "Spectral", "SeededRandom"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "RetrainingTests",
            dependencies: [
                "TestSupport", "Retraining", "HubRuntime", "HubCore", "HubIngest", "Training", "ConfigSchema", "Inference", "MachineSounds",
                "AudioIO",
                "Scoring", "Wire",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),
        .testTarget(name: "WireTests", dependencies: ["Wire", "SeededRandom"], resources: [.copy("Fixtures")]),
        // Runs the built earshot-agent and earshot-hub against a real mosquitto.
        .testTarget(
            name: "EarshotAgentTests",
            dependencies: [
                "TestSupport", "EarshotAgent", "EarshotHub", "BrokerSupport", "ModelFixtures", "MQTT", "Wire", "Inference",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "ScoringTests", dependencies: ["Scoring", "ModelFixtures", "Training", "Inference", "Spectral", "AudioIO", "Wire"]),
        // Small signed int8 artifacts built with the real training and quantization code, for agent tests.
        .target(
            name: "ModelFixtures", dependencies: ["Training", "Inference", "MachineSounds", "AudioIO", "Wire"],
            path: "Tests/ModelFixtures"),
        // A real mosquitto on a free loopback port, temp dirs, test certificates: shared by broker tests.
        .target(name: "BrokerSupport", path: "Tests/BrokerSupport"),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(
            name: "MQTTTests",
            dependencies: ["TestSupport", "MQTT", "Wire", "BrokerSupport", .product(name: "Logging", package: "swift-log")]),

        // MARK: Benchmarks (not tests; see bench/mqtt/README.md)
        .executableTarget(
            name: "MQTTBench",
            dependencies: ["MQTT", .product(name: "Logging", package: "swift-log")],
            path: "bench/mqtt/MQTTBench"),
        // One asset's window path of the agent over a file, for bench/agent/window_allocations.sh.
        .executableTarget(
            name: "WindowPathBench",
            dependencies: ["AgentRuntime", "Inference", "Scoring"],
            path: "bench/agent/WindowPathBench"),
        // Fills a hub database with synthetic clips for bench/retraining/run.
        .executableTarget(
            name: "RetrainingBench",
            dependencies: ["HubCore", "HubIngest", "MachineSounds", "AudioIO"],
            path: "bench/retraining/RetrainingBench"),
    ],
    swiftLanguageModes: [.v6]
)

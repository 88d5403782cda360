import AgentRuntime
import Foundation
import FuzzDriver
import HubCore
import Inference
import Training

/// The three YAML configs on fuzzed text: the agent's (`AgentConfiguration`, with its alarm and clip
/// policies), the hub's core sections (`HubConfiguration`; `retraining:` is left out, as it would bring
/// the HTTP server into the instrumented build) and an experiment's
/// (`ExperimentConfig`, with what `earshot train` derives from it before reading any audio: the input
/// shape, the feature spec an agent will compute, and the untrained graph). A wrong config must be
/// refused with a `ConfigError` or `TrainingError` naming the key; a trap or an allocation failure is a
/// crash. Nothing here reads the files a config names (keys, passwords, datasets).
enum ConfigFuzzer {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let text = String(decoding: bytes, as: UTF8.self)
        if let agent = try? AgentConfiguration(yaml: text) {
            _ = agent.alarmPolicy
            _ = agent.clipPolicy
        }
        _ = try? HubConfiguration.parse(yaml: text)
        if let experiment = try? ExperimentConfig(yaml: text) {
            _ = experiment.inputShape
            _ = try? FeatureSpecValidator.validate(experiment.audio.artifactFeatureSpec)
            _ = try? experiment.modelGraph()
        }
    }
}

/// The executable's entry point (see ``FuzzDriver``): libFuzzer with ``fuzzConfig(_:_:)`` as the target.
@_cdecl("fuzz_config_main")
public func fuzzConfigMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    FuzzDriver.run(argc, argv) { data, count in
        guard let data else { return 0 }
        return fuzzConfig(UnsafeRawPointer(data), count)
    }
}

/// One input: libFuzzer's `LLVMFuzzerTestOneInput` (its driver links against that name).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafeRawPointer, _ count: Int) -> CInt {
    ConfigFuzzer.run(UnsafeRawBufferPointer(start: data, count: count))
    return 0
}

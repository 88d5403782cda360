// Runs one asset's window path of the agent (`AgentRuntime.AssetPipeline`: read → window → the model's
// features → int8 inference → alarm state → outcome) over an audio file, unpaced and with no clips, and
// prints the windows it scored. Nothing is published or spooled. bench/agent/window_allocations.sh runs
// it under a malloc counter on a short and a long file to get the allocations per window. Numbers, not a test.
// Usage: WindowPathBench SIGNED_ARTIFACT PUBLIC_KEY AUDIO_FILE
import AgentRuntime
import Foundation
import Inference
import Scoring

let arguments = CommandLine.arguments
guard arguments.count == 4 else {
    FileHandle.standardError.write(Data("usage: WindowPathBench SIGNED_ARTIFACT PUBLIC_KEY AUDIO_FILE\n".utf8))
    exit(2)
}
let verifier = ArtifactVerifier(trusting: [try SigningKeyFile.publicKey(path: arguments[2])])
let installed = try InstalledModel(signedBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: arguments[1]))), verifier: verifier)
var input = AssetConfiguration.Input(path: arguments[3])
input.pacing = .asFastAsPossible
let asset = AssetConfiguration(id: "bench", machineType: .fan, modelFamily: installed.reference.family, input: input)
let pipeline = AssetPipeline(
    asset: asset, site: "bench", hopSeconds: nil, alarmPolicy: AlarmPolicy(),
    clipPolicy: ClipPolicy(uploadAnomalies: false, maxPerAssetPerHour: 0, normalSampleProbability: 0), seed: 1,
    onWindow: { _ in }, onProblem: { problem in FileHandle.standardError.write(Data("input problem: \(problem)\n".utf8)) },
    clock: { 1_800_000_000_000 })
pipeline.install(try PreparedScorer(installed, asset: pipeline.thresholdKey))
pipeline.run()
let counters = pipeline.snapshot
print("windows \(counters.windows) bad \(counters.badWindows)")

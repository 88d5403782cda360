import Crypto
import Dispatch
import Foundation
import Inference
import ModelFixtures
import Scoring
import Synchronization
import TestSupport
import Testing

@testable import AgentRuntime

/// One asset's pipeline in process, on a synthesized 10 s fan clip and real signed int8 models: windows
/// are cut on the model's hop from the file's start and each is scored exactly once; a pipeline without
/// a model reads nothing until one arrives; a model swap lands between two windows; `stop` ends a
/// real-time run.
@Suite struct AssetPipelineTests {
    /// A signed fixture model of `version`, a 10 s clip and the windows the clip holds.
    final class Fixture: Sendable {
        let directory: TemporaryDirectory
        let clip: String
        let models: [InstalledModel]

        init(versions: [UInt64] = [1]) throws {
            let directory = try TemporaryDirectory()
            self.directory = directory
            clip = try ModelFixtures.synthesizeClips(sampleRate: 16_000, seconds: 10, into: directory.path("clips"))[0]
            let key = Curve25519.Signing.PrivateKey()
            let verifier = ArtifactVerifier(trusting: [key.publicKey])
            models = try versions.map { version in
                let artifact = try ModelFixtures.artifact(
                    config: "anomaly.yaml", family: "fan-ae", version: version, directory: directory.path("calibration"))
                return try InstalledModel(signedBytes: try ModelFixtures.signed(artifact, key: key), verifier: verifier)
            }
        }

        /// A pipeline over the clip (read as fast as possible unless `pacing` says otherwise), and what it scored.
        func pipeline(
            pacing: InputPacing = .asFastAsPossible, hopSeconds: Double? = nil,
            onWindow: @escaping @Sendable (WindowOutcome, AssetPipeline) -> Void = { _, _ in }
        ) -> (AssetPipeline, Recorder) {
            var input = AssetConfiguration.Input(path: clip)
            input.pacing = pacing
            let asset = AssetConfiguration(id: "fan-1", machineType: .fan, modelFamily: "fan-ae", input: input)
            let outcomes = Recorder()
            let box = PipelineBox()
            let pipeline = AssetPipeline(
                asset: asset, site: "plant-a", hopSeconds: hopSeconds, alarmPolicy: AlarmPolicy(),
                clipPolicy: ClipPolicy(uploadAnomalies: false, maxPerAssetPerHour: 0, normalSampleProbability: 0), seed: 1,
                onWindow: { outcome in
                    outcomes.record(outcome)
                    if let pipeline = box.pipeline { onWindow(outcome, pipeline) }
                },
                onProblem: { problem in Issue.record("input problem: \(problem)") }, clock: { 1_800_000_000_000 })
            box.pipeline = pipeline
            return (pipeline, outcomes)
        }

        /// How many of the model's windows, every `hopSamples` (default: the model's hop), 10 s at 16 kHz holds.
        func expectedWindows(_ prepared: PreparedScorer, hopSamples: Int? = nil) -> Int {
            (160_000 - prepared.scorer.windowSamples) / (hopSamples ?? prepared.scorer.defaultHopSamples) + 1
        }
    }

    /// The windows a pipeline scored, in order.
    final class Recorder: Sendable {
        private let outcomes = Mutex<[WindowOutcome]>([])
        func record(_ outcome: WindowOutcome) { outcomes.withLock { $0.append(outcome) } }
        var all: [WindowOutcome] { outcomes.withLock { $0 } }
    }

    /// Lets the window callback reach its own pipeline (set once, before `run`).
    final class PipelineBox: @unchecked Sendable {
        var pipeline: AssetPipeline?
    }

    /// Runs `pipeline` on a thread of its own; returns a semaphore signalled when `run()` returns.
    static func start(_ pipeline: AssetPipeline) -> DispatchSemaphore {
        let done = DispatchSemaphore(value: 0)
        Thread {
            pipeline.run()
            done.signal()
        }.start()
        return done
    }

    /// 1 s windows every 0.25 s (`window.hop_seconds`): 37 overlapping windows, 250 ms apart.
    @Test func windowsAreCutOnTheHopAndEachIsScoredOnce() throws {
        let fixture = try Fixture()
        let (pipeline, outcomes) = fixture.pipeline(hopSeconds: 0.25)
        let prepared = try PreparedScorer(fixture.models[0], asset: pipeline.thresholdKey)
        pipeline.install(prepared)
        #expect(Self.start(pipeline).wait(timeout: .now() + 60) == .success)

        let scored = outcomes.all
        let expected = fixture.expectedWindows(prepared, hopSamples: 4_000)
        #expect(prepared.scorer.windowSamples == 16_000 && expected == 37)
        #expect(scored.count == expected)
        #expect(pipeline.snapshot == AssetPipeline.Counters(windows: expected, badWindows: 0, discardedSamples: 0, ended: true))
        let hopMs: Int64 = 250
        let starts = scored.map(\.windowStartMs)
        #expect(zip(starts, starts.dropFirst()).allSatisfy { $1 - $0 == hopMs }, "\(starts.prefix(4))…")
        #expect(scored.allSatisfy { $0.assetID == "fan-1" && $0.model.version == 1 && $0.score.score.isFinite })
        #expect(pipeline.runningModel?.reference.version == 1)
    }

    /// No window is cut, and no audio consumed, before the first model: all of the clip is scored once it arrives.
    @Test func withoutAModelThePipelineWaitsAndLosesNothing() throws {
        let fixture = try Fixture()
        let (pipeline, outcomes) = fixture.pipeline()
        let done = Self.start(pipeline)
        #expect(done.wait(timeout: .now() + 0.5) == .timedOut, "runs on, waiting for a model")
        #expect(pipeline.snapshot.windows == 0 && !pipeline.snapshot.ended && pipeline.runningModel == nil)

        let prepared = try PreparedScorer(fixture.models[0], asset: pipeline.thresholdKey)
        pipeline.install(prepared)
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(outcomes.all.count == fixture.expectedWindows(prepared))
    }

    /// A model installed while the stream runs judges every window from the next one on; none is scored
    /// twice or skipped, and the same geometry discards no samples.
    @Test func aSwapLandsBetweenTwoWindows() throws {
        let fixture = try Fixture(versions: [1, 2])
        let next = Mutex<PreparedScorer?>(nil)
        let (pipeline, outcomes) = fixture.pipeline { outcome, pipeline in
            if outcome.model.version == 1, let prepared = next.withLock({ $0.take() }) { pipeline.install(prepared) }
        }
        let first = try PreparedScorer(fixture.models[0], asset: pipeline.thresholdKey)
        next.withLock { $0 = try? PreparedScorer(fixture.models[1], asset: pipeline.thresholdKey) }
        pipeline.install(first)
        #expect(Self.start(pipeline).wait(timeout: .now() + 60) == .success)

        let versions = outcomes.all.map(\.model.version)
        #expect(versions.count == fixture.expectedWindows(first))
        #expect(versions.first == 1 && versions.dropFirst().allSatisfy { $0 == 2 }, "the swap after window 1: \(versions.prefix(4))…")
        #expect(pipeline.snapshot.discardedSamples == 0 && pipeline.runningModel?.reference.version == 2)
    }

    /// `stop` ends a real-time run within a read, long before the 10 s of audio are through.
    @Test func stopEndsARealTimeRun() throws {
        let fixture = try Fixture()
        let (pipeline, outcomes) = fixture.pipeline(pacing: .realTime)
        let prepared = try PreparedScorer(fixture.models[0], asset: pipeline.thresholdKey)
        pipeline.install(prepared)
        let done = Self.start(pipeline)
        #expect(done.wait(timeout: .now() + 1.5) == .timedOut)
        let stoppedAt = Date()
        pipeline.stop()
        #expect(done.wait(timeout: .now() + 3) == .success)
        #expect(Date().timeIntervalSince(stoppedAt) < 3)
        #expect(outcomes.all.count < fixture.expectedWindows(prepared))
    }
}

import AudioIO
import Foundation
import Scoring
import Synchronization
import Wire

/// One asset's audio path, on its own thread: input → windows → the model's features → int8 inference →
/// alarm state → clip decision → `WindowOutcome`.
///
/// - **Windows** are cut at the capture rate (`window_seconds` of the model, every hop) and resampled to
///   the model's rate when the capture rate differs. A window never spans two files.
/// - **Model swaps** take effect between two windows: every window is scored exactly once, by the old
///   or the new model. A model with a different window geometry restarts the window (the partial window
///   is counted in `discardedSamples`).
/// - **Steady state does not allocate** when the capture rate equals the model's: the input is read into
///   a fixed chunk, copied into a fixed window buffer, and scored by a `WindowScorer`. Resampling and
///   clip audio allocate, once per window that needs them.
///
/// `@unchecked Sendable`: the control surface (`install`, policies, clip requests, `stop`) goes through a
/// `Mutex`; everything else is touched only by the pipeline's own thread.
public final class AssetPipeline: @unchecked Sendable {
    private struct Inbox {
        var pending: PreparedScorer?
        var alarmPolicy: AlarmPolicy?
        var clipPolicy: ClipPolicy?
        var clipRequests: [String] = []
        var learning: (probability: Double, endsMs: Int64)?
        var stopped = false
        var running: InstalledModel?
    }

    /// Counters readable from any thread.
    public struct Counters: Sendable, Equatable {
        /// Windows scored.
        public var windows = 0
        /// Windows refused by the scorer (non-finite audio).
        public var badWindows = 0
        /// Samples thrown away because a model with another window geometry arrived mid-window.
        public var discardedSamples = 0
        /// Whether the input has ended.
        public var ended = false
    }

    /// The asset.
    public let asset: AssetConfiguration
    /// `"<site>/<asset id>"`: the key of the asset's own threshold in a model's `thresholds.per_asset`.
    public let thresholdKey: String
    /// Window hop override, seconds (nil: the model's own hop).
    public let hopSeconds: Double?
    private let inbox = Mutex(Inbox())
    /// Signalled by `install` and `stop`: a pipeline without a model sleeps on it instead of polling.
    private let woken = DispatchSemaphore(value: 0)
    private let counters = Mutex(Counters())
    private let onWindow: @Sendable (WindowOutcome) -> Void
    private let onProblem: @Sendable (InputProblem) -> Void
    private let clock: @Sendable () -> Int64

    // Pipeline-thread state.
    private var current: PreparedScorer?
    private var alarm: AlarmTracker
    private var clips: ClipSampler
    private var captureRate = 0
    private var windowCapture = 0
    private var hopCapture = 0
    private var window: UnsafeMutableBufferPointer<Float> = .allocate(capacity: 1)
    private var filled = 0
    private var skip = 0
    private var streamBaseMs: Int64 = 0
    private var windowStartSample = 0
    private var lastWindowEndMs: Int64 = 0
    private var resampler: Resampler?
    private let chunk = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4_096)

    /// A pipeline for `asset` of an agent at `site`; nothing runs until `run()`.
    /// - Parameters:
    ///   - hopSeconds: window hop override (config `window.hop_seconds`); nil for the model's own.
    ///   - onWindow: receives every scored window, on the pipeline thread.
    ///   - onProblem: receives input problems (bad files, non-finite audio), on the pipeline thread.
    ///   - clock: wall-clock now, Unix ms.
    public init(
        asset: AssetConfiguration, site: String, hopSeconds: Double?, alarmPolicy: AlarmPolicy, clipPolicy: ClipPolicy, seed: UInt64,
        onWindow: @escaping @Sendable (WindowOutcome) -> Void, onProblem: @escaping @Sendable (InputProblem) -> Void,
        clock: @escaping @Sendable () -> Int64
    ) {
        self.asset = asset
        thresholdKey = "\(site)/\(asset.id)"
        self.hopSeconds = hopSeconds
        alarm = AlarmTracker(policy: alarmPolicy)
        clips = ClipSampler(policy: clipPolicy, seed: seed)
        clips.learning = asset.learning
        self.onWindow = onWindow
        self.onProblem = onProblem
        self.clock = clock
        window.initialize(repeating: 0)
        chunk.initialize(repeating: 0)
    }

    deinit {
        window.deallocate()
        chunk.deallocate()
    }

    /// The counters so far.
    public var snapshot: Counters { counters.withLock { $0 } }

    /// The model running now (after the last swap), if any.
    public var runningModel: InstalledModel? { inbox.withLock { $0.running } }

    /// Hands a prepared model over; it replaces the running one before the next window.
    public func install(_ prepared: PreparedScorer) {
        inbox.withLock { $0.pending = prepared }
        woken.signal()
    }

    /// Applies new policies from the hub before the next window.
    public func update(alarmPolicy: AlarmPolicy?, clipPolicy: ClipPolicy?) {
        inbox.withLock { inbox in
            if let alarmPolicy { inbox.alarmPolicy = alarmPolicy }
            if let clipPolicy { inbox.clipPolicy = clipPolicy }
        }
    }

    /// Starts a learning period the hub asked for (`ClipSampler.learn`) before the next window.
    public func learn(normalSampleProbability: Double, untilMs endsMs: Int64) {
        inbox.withLock { $0.learning = (normalSampleProbability, endsMs) }
    }

    /// Queues a hub clip request: the next window is sent for it.
    public func requestClip(_ requestID: String) { inbox.withLock { $0.clipRequests.append(requestID) } }

    /// Asks the thread to stop after the current read.
    public func stop() {
        inbox.withLock { $0.stopped = true }
        woken.signal()
    }

    /// Runs until the input ends or `stop()`. Blocks: call it on a dedicated thread.
    public func run() {
        let input = AudioInput(source: asset.input.source(), channel: asset.channel, pacing: asset.input.pacing, onProblem: onProblem)
        while !inbox.withLock({ $0.stopped }) {
            if current == nil {
                // Nothing to judge with yet: wait for the first model without consuming audio.
                if !takePendingModel() { woken.wait() }
                continue
            }
            switch input.read(into: chunk) {
            case .end:
                counters.withLock { $0.ended = true }
                return
            case .samples(let count, let sampleRate, let startsNewStream):
                if startsNewStream || sampleRate != captureRate { startStream(sampleRate: sampleRate) }
                consume(count)
            }
        }
    }

    /// Swaps in a pending model, if any; true if one was taken.
    private func takePendingModel() -> Bool {
        let taken = inbox.withLock { inbox in
            defer { inbox = Inbox(stopped: inbox.stopped, running: inbox.running) }
            return inbox
        }
        if let alarmPolicy = taken.alarmPolicy { alarm.update(policy: alarmPolicy) }
        if let clipPolicy = taken.clipPolicy { clips.policy = clipPolicy }
        for id in taken.clipRequests { clips.request(id) }
        if let learning = taken.learning { clips.learn(normalSampleProbability: learning.probability, untilMs: learning.endsMs) }
        guard let pending = taken.pending else { return false }
        let previous = current
        current = pending
        inbox.withLock { $0.running = pending.installed }
        let sameGeometry =
            previous.map {
                $0.scorer.spec.sampleRate == pending.scorer.spec.sampleRate && $0.scorer.windowSamples == pending.scorer.windowSamples
            }
            ?? false
        if !sameGeometry && captureRate > 0 {
            counters.withLock { $0.discardedSamples += filled }
            startStream(sampleRate: captureRate)
        }
        return true
    }

    /// Window geometry for a (new) stream at `sampleRate`.
    private func startStream(sampleRate: Int) {
        guard let scorer = current?.scorer else { return }
        captureRate = sampleRate
        let modelRate = scorer.spec.sampleRate
        windowCapture = max(1, Int((Double(scorer.windowSamples) * Double(sampleRate) / Double(modelRate)).rounded()))
        let hopSeconds = self.hopSeconds ?? Double(scorer.defaultHopSamples) / Double(modelRate)
        hopCapture = max(1, Int((hopSeconds * Double(sampleRate)).rounded()))
        if window.count != windowCapture {
            window.deallocate()
            window = .allocate(capacity: windowCapture)
            window.initialize(repeating: 0)
        }
        resampler = sampleRate == modelRate ? nil : try? Resampler(from: sampleRate, to: modelRate)
        filled = 0
        skip = 0
        windowStartSample = 0
        streamBaseMs = max(clock(), lastWindowEndMs)
    }

    private func consume(_ count: Int) {
        var offset = 0
        while offset < count {
            if skip > 0 {
                let dropped = min(skip, count - offset)
                skip -= dropped
                offset += dropped
                continue
            }
            let n = min(windowCapture - filled, count - offset)
            (window.baseAddress! + filled).update(from: chunk.baseAddress! + offset, count: n)
            filled += n
            offset += n
            if filled == windowCapture { completeWindow() }
        }
    }

    private func completeWindow() {
        _ = takePendingModel()
        guard filled == windowCapture, let current else { return }
        let startMs = streamBaseMs + Int64(windowStartSample) * 1000 / Int64(captureRate)
        let lengthMs = UInt32(Int64(windowCapture) * 1000 / Int64(captureRate))
        let result: Result<WindowScore, ScoringError>
        if let resampler {
            let resampled = resampler.process(Array(window))
            let fitted = Array(resampled.prefix(current.scorer.windowSamples))
            result = fitted.withUnsafeBufferPointer { samples in Result { () throws(ScoringError) in try current.scorer.score(samples) } }
        } else {
            result = Result { () throws(ScoringError) in try current.scorer.score(UnsafeBufferPointer(window)) }
        }
        switch result {
        case .success(let score):
            let state = alarm.record(anomalous: score.anomalous)
            var clip: WindowOutcome.ClipAudio?
            if let decision = clips.decide(anomalous: score.anomalous, nowMs: startMs) {
                let length = min(windowCapture, Int(clips.policy.seconds * Double(captureRate)))
                clip = WindowOutcome.ClipAudio(
                    reason: decision.reason, requestID: decision.requestID, samples: Array(window.prefix(length)), sampleRate: captureRate)
            }
            let scorer = current.scorer
            let multiclass = current.installed.artifact.task == .multiclass
            onWindow(
                WindowOutcome(
                    assetID: asset.id, windowStartMs: startMs, windowLengthMs: lengthMs, model: current.installed.reference,
                    score: score, label: scorer.labels[score.labelIndex],
                    classProbabilities: multiclass ? Array(scorer.lastOutput) : [], state: state, clip: clip))
            counters.withLock { $0.windows += 1 }
        case .failure(let error):
            counters.withLock { $0.badWindows += 1 }
            onProblem(InputProblem(path: asset.id, kind: .corruptAudio, detail: "\(error)"))
        }
        lastWindowEndMs = startMs + Int64(lengthMs)
        windowStartSample += hopCapture
        if hopCapture < windowCapture {
            let kept = windowCapture - hopCapture
            window.baseAddress!.update(from: window.baseAddress! + hopCapture, count: kept)
            filled = kept
        } else {
            filled = 0
            skip = hopCapture - windowCapture
        }
    }
}

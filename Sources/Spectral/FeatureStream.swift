/// Frame-by-frame features of an unbounded mono stream, pushed in chunks of any size.
///
/// Each emitted row equals the corresponding row of `FeatureExtractor.extract` on the concatenated
/// input bit for bit (the same `FramePipeline` code runs on the same samples), with two documented differences:
/// - **Clip-level steps are not applied.** `ref = .max` is rejected; `topDB` is ignored, so `.logMel` rows are
///   `10·log10(max(amin, mel))` and `.mfcc` rows are the DCT of those. A stream has no "whole input"; to get
///   librosa's values over a window, collect its `.logMel` rows and call `Decibels.applyClipLevel` on them
///   (then `DiscreteCosineTransform.apply` per row for MFCCs), or run `FeatureExtractor` on the window's audio.
/// - **Centring.** With `center = true` the stream behaves as if `nFFT/2` zeros preceded the first sample, and
///   `finish` appends `nFFT/2` zeros, so the frames match offline constant padding exactly. Reflect padding
///   would need future samples at the start and is rejected.
///
/// Rows are delivered to a non-escaping closure as a buffer that is only valid during the call.
/// No allocation happens after `init`. Not `Sendable`: one stream belongs to one task.
public final class FeatureStream {
    /// The validated parameters.
    public let spec: FeatureSpec
    /// Values per emitted row (`spec.outputWidth`).
    public let outputWidth: Int
    private let pipeline: FramePipeline
    private let nFFT: Int
    private let hop: Int
    /// The current frame being filled, (nFFT,).
    private let frame: UnsafeMutablePointer<Float>
    private var filled = 0
    /// Input samples still to drop before the next frame starts (only when hop > nFFT).
    private var skip = 0
    /// Frame features before the DCT, (melBins,); only for `.mfcc`.
    private let logMel: UnsafeMutablePointer<Float>
    /// The row handed to `emit`, (outputWidth,).
    private let row: UnsafeMutablePointer<Float>
    /// DCASE: the last `stackedFrames` frame rows as a ring, (stackedFrames, melBins).
    private let history: UnsafeMutablePointer<Float>
    private var historyCount = 0
    private var historyNext = 0

    /// Validates `spec` and preallocates every buffer.
    /// - Throws: as `FeatureExtractor.init`, plus `SpectralError.unsupportedInStreaming` for `reference = .max`
    ///   and for `center` with reflect padding.
    public init(spec: FeatureSpec) throws(SpectralError) {
        if spec.reference == .max && (spec.kind == .logMel || spec.kind == .mfcc) {
            throw SpectralError.unsupportedInStreaming("ref=max is relative to a whole clip; stream with ref 1.0 and apply Decibels.applyClipLevel per window")
        }
        if spec.center && spec.padMode == .reflect {
            throw SpectralError.unsupportedInStreaming("reflect padding needs samples before the stream starts; use constant padding or center=false")
        }
        self.pipeline = try FramePipeline(spec: spec)
        self.spec = spec
        self.outputWidth = spec.outputWidth
        self.nFFT = spec.nFFT
        self.hop = spec.hopLength
        self.frame = .allocate(capacity: spec.nFFT)
        self.logMel = .allocate(capacity: pipeline.frameWidth)
        self.row = .allocate(capacity: spec.outputWidth)
        let historyCount = spec.kind == .dcaseFrames ? spec.stackedFrames * pipeline.frameWidth : 0
        self.history = .allocate(capacity: max(1, historyCount))
        logMel.initialize(repeating: 0, count: pipeline.frameWidth)
        row.initialize(repeating: 0, count: spec.outputWidth)
        history.initialize(repeating: 0, count: max(1, historyCount))
        frame.initialize(repeating: 0, count: nFFT)
        reset()
    }

    deinit {
        frame.deallocate()
        logMel.deallocate()
        row.deallocate()
        history.deallocate()
    }

    /// Forgets all input, as if freshly created.
    public func reset() {
        frame.update(repeating: 0, count: nFFT)
        filled = pipeline.stft.padding
        skip = 0
        historyCount = 0
        historyNext = 0
    }

    /// Feeds samples; calls `emit` once per completed row, in order.
    ///
    /// - Parameter samples: mono samples at `spec.sampleRate`, any count (0 is fine).
    /// - Throws: `SpectralError.nonFiniteInput` (index within this chunk) before consuming anything of a chunk
    ///   holding NaN or ∞; the stream state is unchanged then.
    public func push(_ samples: UnsafeBufferPointer<Float>, emit: (UnsafeBufferPointer<Float>) -> Void) throws(SpectralError) {
        if let index = FeatureExtractor.firstNonFinite(samples) { throw SpectralError.nonFiniteInput(index: index) }
        consume(samples, emit: emit)
    }

    /// Feeds samples from an array; see `push(_:emit:)`.
    public func push(_ samples: [Float], emit: (UnsafeBufferPointer<Float>) -> Void) throws(SpectralError) {
        try samples.withUnsafeBufferPointer { buffer throws(SpectralError) in try push(buffer, emit: emit) }
    }

    /// Ends the stream: with `center`, appends the `nFFT/2` trailing zeros and emits the last rows. Then resets.
    public func finish(emit: (UnsafeBufferPointer<Float>) -> Void) {
        feedZeros(pipeline.stft.padding, emit: emit)
        reset()
    }

    private func feedZeros(_ count: Int, emit: (UnsafeBufferPointer<Float>) -> Void) {
        var left = count
        while left > 0 {
            if skip > 0 {
                let dropped = min(skip, left)
                skip -= dropped
                left -= dropped
                continue
            }
            let take = min(nFFT - filled, left)
            (frame + filled).update(repeating: 0, count: take)
            filled += take
            left -= take
            if filled == nFFT { completeFrame(emit: emit) }
        }
    }

    private func consume(_ samples: UnsafeBufferPointer<Float>, emit: (UnsafeBufferPointer<Float>) -> Void) {
        guard let base = samples.baseAddress else { return }
        var i = 0
        let n = samples.count
        while i < n {
            if skip > 0 {
                let dropped = min(skip, n - i)
                skip -= dropped
                i += dropped
                continue
            }
            let take = min(nFFT - filled, n - i)
            (frame + filled).update(from: base + i, count: take)
            filled += take
            i += take
            if filled == nFFT { completeFrame(emit: emit) }
        }
    }

    private func completeFrame(emit: (UnsafeBufferPointer<Float>) -> Void) {
        let width = pipeline.frameWidth
        switch spec.kind {
        case .power, .mel, .logMel:
            pipeline.frameFeatures(frame, into: row)
            emit(UnsafeBufferPointer(start: row, count: outputWidth))
        case .mfcc:
            pipeline.frameFeatures(frame, into: logMel)
            pipeline.dct!.apply(logMel, into: row)
            emit(UnsafeBufferPointer(start: row, count: outputWidth))
        case .dcaseFrames:
            let stack = spec.stackedFrames
            pipeline.frameFeatures(frame, into: history + historyNext * width)
            historyNext = (historyNext + 1) % stack
            historyCount += 1
            if historyCount >= stack {
                for t in 0..<stack {  // oldest first: the ring's next slot holds the oldest row
                    (row + t * width).update(from: history + ((historyNext + t) % stack) * width, count: width)
                }
                emit(UnsafeBufferPointer(start: row, count: outputWidth))
            }
        }
        if hop < nFFT {
            frame.update(from: frame + hop, count: nFFT - hop)
            filled = nFFT - hop
        } else {
            filled = 0
            skip = hop - nFFT
        }
    }
}

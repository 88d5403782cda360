import Inference
import Spectral
import Wire

/// Turns one window of mono audio into a `WindowScore` with a loaded int8 `Model`, computing exactly the
/// features the model was trained on (its artifact's feature spec).
///
/// Per window the audio runs through a `FeatureStream` from a reset state and `finish`, which equals the
/// offline extractor on the window's samples; then, by feature kind:
/// - **MFCC (mean over time, seed 000):** the window's log-mel rows get the clip-level `top_db` step, each
///   row its DCT, and the coefficients are averaged over time into one `(n_mfcc, 1)` input.
/// - **Log-mel:** the rows (after `top_db`) fill a `(mels, frames, 1)` image of the model's input width; a
///   shorter window is padded with its quietest value, a longer one truncated — as training chunks clips.
/// - **DCASE frames:** every stacked vector is reconstructed and the score is the mean of the vectors'
///   reconstruction MSE, as the DCASE baseline scores a clip.
/// - **Band deviation:** the log-mel image goes through the graph to octave-band levels (or a learned
///   embedding), and the score is `BandDeviation` against the asset's baseline (`asset_baselines`, else
///   the artifact's `baseline`).
///
/// With `subtract_window_mean` a log-mel image first loses its mean dB, with `subtract_bin_means` each mel
/// bin its mean over the window's frames; the artifact's `feature_mean`/`feature_std`, when present, then
/// standardise the input.
/// `score` never allocates: every buffer is planned in `init`. Not `Sendable`: it owns the model's
/// arenas and the feature stream's scratch space; use one scorer per asset.
public final class WindowScorer {
    private enum Rule {
        case reconstruction
        case probability(anomalyIndex: Int?, sigmoid: Bool)
        case deviation(mean: [Float], spread: [Float])
    }

    /// The int8 model.
    public let model: Model
    /// The feature computation from the artifact.
    public let spec: FeatureSpec
    /// Samples per window at `spec.sampleRate` (`window_seconds`).
    public let windowSamples: Int
    /// Samples between window starts at `spec.sampleRate` (`window_hop_seconds`, or the window length).
    public let defaultHopSamples: Int
    /// Names for `WindowScore.labelIndex`: the model's labels, or `[normal, abnormal]` for anomaly-score models.
    public let labels: [String]
    /// The threshold scores are compared with: the artifact's threshold for this scorer's asset
    /// (`thresholds.per_asset`), else its `thresholds.anomaly`.
    public let threshold: Float
    /// The model's raw output of the last scored window (class probabilities for classifiers); valid until
    /// the next `score` call.
    public var lastOutput: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: output, count: model.outputCount) }

    private let rule: Rule
    private let stream: FeatureStream
    private let dct: DiscreteCosineTransform?
    private let melBins: Int
    private let maxFrames: Int
    private let timeFrames: Int
    private let rows: UnsafeMutablePointer<Float>
    private let input: UnsafeMutablePointer<Float>
    private let coefficients: UnsafeMutablePointer<Float>
    private let sums: UnsafeMutablePointer<Double>
    private let output: UnsafeMutablePointer<Float>
    private var collected = 0
    private var reconstructionTotal = 0.0
    private let standardization: InputStandardization?
    private let subtractsWindowMean: Bool
    private let subtractsBinMeans: Bool

    /// Plans every buffer for `model`.
    /// - Parameter asset: `"<site>/<asset id>"` of the asset this scorer judges: its own threshold from
    ///   the artifact's `thresholds.per_asset` applies when there is one.
    /// - Throws: `ScoringError.incompatibleModel` when the features cannot feed the graph's input or the
    ///   outputs do not fit the task and labels; a Spectral rejection of the spec as `.incompatibleModel` too.
    public init(model: Model, asset: String? = nil) throws(ScoringError) {
        let manifest = model.manifest
        let artifactSpec = manifest.features
        var spec = FeatureSpec(artifact: artifactSpec)
        let kind = spec.kind
        if kind != .dcaseFrames {
            // The clip-level top_db step runs per window after streaming; the stream computes the raw log-mel.
            spec.kind = .logMel
            spec.topDB = nil
        }
        do {
            stream = try FeatureStream(spec: spec)
        } catch {
            throw .incompatibleModel("feature spec: \(error)")
        }
        self.model = model
        self.spec = FeatureSpec(artifact: artifactSpec)
        melBins = Int(artifactSpec.nMels)
        let rate = Double(artifactSpec.sampleRateHz)
        windowSamples = max(1, Int((Double(artifactSpec.windowSeconds) * rate).rounded()))
        let hopSeconds = artifactSpec.windowHopSeconds > 0 ? artifactSpec.windowHopSeconds : artifactSpec.windowSeconds
        defaultHopSamples = max(1, Int((Double(hopSeconds) * rate).rounded()))
        maxFrames = windowSamples / max(1, Int(artifactSpec.hopLength)) + 2

        let inputCount = model.inputCount
        switch kind {
        case .mfcc:
            guard artifactSpec.meanOverTime, inputCount == Int(artifactSpec.nMfcc) else {
                throw .incompatibleModel(
                    "MFCC models take the mean of n_mfcc (\(artifactSpec.nMfcc)) coefficients; input has \(inputCount)")
            }
            do {
                dct = try DiscreteCosineTransform(inputCount: melBins, outputCount: Int(artifactSpec.nMfcc))
            } catch {
                throw .incompatibleModel("DCT: \(error)")
            }
            timeFrames = 1
        case .logMel:
            guard inputCount % max(1, melBins) == 0, model.inputShape.first == melBins else {
                throw .incompatibleModel("log-mel input must be (\(melBins), frames, 1); graph input is \(model.inputShape)")
            }
            dct = nil
            timeFrames = inputCount / melBins
        default:
            guard inputCount == stream.outputWidth else {
                throw .incompatibleModel("DCASE vectors have \(stream.outputWidth) values; graph input has \(inputCount)")
            }
            dct = nil
            timeFrames = 1
        }

        switch manifest.task {
        case .anomalyScore:
            guard model.outputCount == inputCount else {
                throw .incompatibleModel(
                    "an anomaly-score model must reconstruct its \(inputCount) inputs; it outputs \(model.outputCount)")
            }
            rule = .reconstruction
            labels = ["normal", "abnormal"]
        case .binary, .multiclass:
            let anomalyIndex = manifest.labels.firstIndex { ["abnormal", "anomaly", "anomalous"].contains($0.lowercased()) }
            let sigmoid = model.outputCount == 1 && manifest.labels.count == 2 && anomalyIndex != nil
            guard sigmoid || model.outputCount == manifest.labels.count else {
                throw .incompatibleModel("\(model.outputCount) outputs for \(manifest.labels.count) labels")
            }
            rule = .probability(anomalyIndex: anomalyIndex, sigmoid: sigmoid)
            labels = manifest.labels
        case .bandDeviation:
            guard kind == .logMel else { throw .incompatibleModel("band-deviation models take log-mel windows, not \(kind)") }
            let baseline = asset.flatMap { manifest.assetBaselines[$0] } ?? manifest.baseline
            let bands = model.outputCount
            guard baseline.mean.count == bands, baseline.spread.count == bands,
                baseline.mean.allSatisfy(\.isFinite), baseline.spread.allSatisfy({ $0.isFinite && $0 > 0 })
            else {
                throw .incompatibleModel(
                    "band baseline\(asset.map { " of \($0)" } ?? "") has \(baseline.mean.count) means and \(baseline.spread.count) "
                        + "spreads for \(bands) bands, or a non-finite or non-positive value")
            }
            rule = .deviation(mean: baseline.mean, spread: baseline.spread)
            labels = ["normal", "abnormal"]
        default:
            throw .incompatibleModel("task \(manifest.task) is not scored by this agent")
        }
        threshold = asset.flatMap { manifest.thresholds.perAsset[$0] } ?? manifest.thresholds.anomaly

        let count = artifactSpec.featureMean.count
        guard count == 0 || count == inputCount || (kind == .logMel && count == melBins) else {
            throw .incompatibleModel("feature_mean has \(count) values; expected \(inputCount) or one per mel bin")
        }
        standardization = model.standardization
        subtractsWindowMean = kind == .logMel && artifactSpec.subtractWindowMean
        subtractsBinMeans = kind == .logMel && artifactSpec.subtractBinMeans
        rows = .allocate(capacity: max(1, maxFrames * melBins))
        rows.initialize(repeating: 0, count: max(1, maxFrames * melBins))
        input = .allocate(capacity: inputCount)
        input.initialize(repeating: 0, count: inputCount)
        output = .allocate(capacity: model.outputCount)
        output.initialize(repeating: 0, count: model.outputCount)
        coefficients = .allocate(capacity: max(1, Int(artifactSpec.nMfcc)))
        coefficients.initialize(repeating: 0, count: max(1, Int(artifactSpec.nMfcc)))
        sums = .allocate(capacity: max(1, Int(artifactSpec.nMfcc)))
        sums.initialize(repeating: 0, count: max(1, Int(artifactSpec.nMfcc)))
    }

    deinit {
        rows.deallocate()
        input.deallocate()
        output.deallocate()
        coefficients.deallocate()
        sums.deallocate()
    }

    /// Scores one window.
    /// - Parameter window: mono samples at `spec.sampleRate`, normally `windowSamples` of them.
    /// - Throws: `ScoringError.nonFiniteAudio` (nothing is scored then).
    public func score(_ window: UnsafeBufferPointer<Float>) throws(ScoringError) -> WindowScore {
        stream.reset()
        if case .reconstruction = rule, spec.kind == .dcaseFrames { return try scoreStackedVectors(window) }
        collected = 0
        do {
            try stream.push(window) { collect($0) }
        } catch {
            throw Self.scoringError(error)
        }
        stream.finish { collect($0) }
        let frames = collected
        Decibels.applyClipLevel(UnsafeMutableBufferPointer(start: rows, count: frames * melBins), reference: .one, topDB: spec.topDB)
        if let dct {
            fillMeanMFCC(frames: frames, dct: dct)
        } else {
            fillImage(frames: frames)
        }
        standardise()
        model.infer(
            UnsafeBufferPointer(start: input, count: model.inputCount),
            into: UnsafeMutableBufferPointer(start: output, count: model.outputCount))
        return decide()
    }

    /// Seed 000's clip vector: the DCT of every row, averaged over time in double precision as
    /// `FeatureMatrix.meanOverTime` does.
    private func fillMeanMFCC(frames: Int, dct: DiscreteCosineTransform) {
        let n = dct.outputCount
        sums.update(repeating: 0, count: n)
        for t in 0..<frames {
            dct.apply(rows + t * melBins, into: coefficients)
            for i in 0..<n { sums[i] += Double(coefficients[i]) }
        }
        for i in 0..<n { input[i] = frames > 0 ? Float(sums[i] / Double(frames)) : 0 }
    }

    /// The `(mels, timeFrames)` image of the window's rows, padded with the window's quietest value, less
    /// its mean when the spec says `subtract_window_mean`, less each bin's mean over the frames when it says
    /// `subtract_bin_means` (as training normalises each chunk).
    private func fillImage(frames: Int) {
        let count = frames * melBins
        var floor = Float.infinity
        for i in 0..<count { floor = min(floor, rows[i]) }
        if count == 0 { floor = 0 }
        input.update(repeating: floor, count: model.inputCount)
        let used = min(frames, timeFrames)
        for f in 0..<used {
            for m in 0..<melBins { input[m * timeFrames + f] = rows[f * melBins + m] }
        }
        if subtractsWindowMean {
            let size = model.inputCount
            var sum = 0.0
            for i in 0..<size { sum += Double(input[i]) }
            let mean = Float(sum / Double(size))
            for i in 0..<size { input[i] -= mean }
        }
        if subtractsBinMeans {
            for m in 0..<melBins {
                let row = input + m * timeFrames
                var sum = 0.0
                for f in 0..<timeFrames { sum += Double(row[f]) }
                let mean = Float(sum / Double(timeFrames))
                for f in 0..<timeFrames { row[f] -= mean }
            }
        }
    }

    private func standardise() {
        standardization?.apply(UnsafeMutableBufferPointer(start: input, count: model.inputCount))
    }

    /// DCASE: the mean reconstruction MSE over every stacked vector of the window.
    private func scoreStackedVectors(_ window: UnsafeBufferPointer<Float>) throws(ScoringError) -> WindowScore {
        reconstructionTotal = 0
        collected = 0
        do {
            try stream.push(window) { reconstruct($0) }
        } catch {
            throw Self.scoringError(error)
        }
        stream.finish { reconstruct($0) }
        let vectors = collected
        let total = reconstructionTotal
        let value = vectors > 0 ? Float(total / Double(vectors)) : 0
        return WindowScore(score: value, threshold: threshold, labelIndex: value >= threshold ? 1 : 0, anomalous: value >= threshold)
    }

    private func collect(_ row: UnsafeBufferPointer<Float>) {
        guard collected < maxFrames else { return }
        (rows + collected * melBins).update(from: row.baseAddress!, count: melBins)
        collected += 1
    }

    /// One DCASE vector: standardise, reconstruct, add its MSE.
    private func reconstruct(_ row: UnsafeBufferPointer<Float>) {
        input.update(from: row.baseAddress!, count: model.inputCount)
        standardise()
        model.infer(
            UnsafeBufferPointer(start: input, count: model.inputCount),
            into: UnsafeMutableBufferPointer(start: output, count: model.outputCount))
        reconstructionTotal += Double(reconstructionError())
        collected += 1
    }

    private func reconstructionError() -> Float {
        var sum: Float = 0
        for i in 0..<model.inputCount {
            let d = output[i] - input[i]
            sum += d * d
        }
        return sum / Float(model.inputCount)
    }

    private static func scoringError(_ error: SpectralError) -> ScoringError {
        if case .nonFiniteInput(let index) = error { return .nonFiniteAudio(index: index) }
        return .nonFiniteAudio(index: 0)
    }

    private func decide() -> WindowScore {
        if case .deviation(let mean, let spread) = rule {
            let value = mean.withUnsafeBufferPointer { m in
                spread.withUnsafeBufferPointer { s in
                    BandDeviation.score(levels: UnsafeBufferPointer(start: output, count: model.outputCount), mean: m, spread: s).score
                }
            }
            return WindowScore(score: value, threshold: threshold, labelIndex: value >= threshold ? 1 : 0, anomalous: value >= threshold)
        }
        guard case .probability(let anomalyIndex, let sigmoid) = rule else {
            let value = reconstructionError()
            return WindowScore(score: value, threshold: threshold, labelIndex: value >= threshold ? 1 : 0, anomalous: value >= threshold)
        }
        if sigmoid, let anomalyIndex {
            let p = output[0]
            let anomalous = p >= threshold
            return WindowScore(
                score: p, threshold: threshold, labelIndex: anomalous ? anomalyIndex : 1 - anomalyIndex, anomalous: anomalous)
        }
        var best = 0
        for i in 1..<max(1, model.outputCount) where output[i] > output[best] { best = i }
        guard let anomalyIndex else {
            return WindowScore(score: output[best], threshold: threshold, labelIndex: best, anomalous: false)
        }
        let p = output[anomalyIndex]
        return WindowScore(score: p, threshold: threshold, labelIndex: best, anomalous: p >= threshold)
    }
}

import Wire

/// A verified int8 model, prepared once and run many times: what an agent loads from a signed artifact.
///
/// `init` validates everything (signature and hash via `ArtifactVerifier`, format version, feature spec,
/// tensor shapes, scales > 0, zero points, supported operators), builds every kernel and plans all
/// activation buffers in two arenas. `infer(_:into:)` then never throws and never allocates.
///
/// Execution: the float window is quantized with the input tensor's parameters, every convolutional and
/// dense layer runs in int8 (TFLite semantics, see the kernels), and the graph's `DEQUANTIZE` turns the
/// last int8 tensor into float for the head (GeM pooling, a float dense after it, sigmoid or softmax).
///
/// Not `Sendable`: `infer` writes the arenas; use one `Model` per task (load it again for another).
public final class Model {
    /// Family, version, task, labels, feature spec, thresholds and metrics; the graph is dropped after load.
    public let manifest: Earshot_V1_ModelArtifact
    /// Per-window input shape, channels last (e.g. `(40, 1)` MFCCs or `(mels, frames, 1)` log-mel).
    public let inputShape: [Int]
    /// Elements `infer` reads.
    public let inputCount: Int
    /// Elements `infer` writes (probabilities, or the reconstruction for an autoencoder).
    public let outputCount: Int
    /// Bytes of the two activation arenas (int8 + float32).
    public var arenaBytes: Int { int8Arena.count + 4 * floatArena.count }
    /// Bytes of the convolutions' scratch (padded input copies), shared by every layer.
    public var scratchBytes: Int { scratch.count }

    let steps: [ModelStep]
    /// Set when the first step quantizes the window and nothing else reads it: `infer` then quantizes
    /// straight from the caller's buffer into `destination` and skips that step (no float copy).
    let windowQuantization: (parameters: QuantizationParameters, destination: Int)?
    let inputOffset: Int
    let outputOffset: Int
    /// Activation arena for int8 tensors.
    let int8Arena: UnsafeMutableBufferPointer<Int8>
    /// Activation arena for float tensors (graph input, dequantized head, output).
    let floatArena: UnsafeMutableBufferPointer<Float>
    /// Working memory shared by the convolutions (their padded input copies), sized at load.
    let scratch: UnsafeMutableBufferPointer<Int8>

    /// Verifies a signed artifact and prepares it.
    /// - Parameters:
    ///   - bytes: a serialized `Earshot_V1_SignedArtifact`.
    ///   - verifier: the pinned keys and the size limit.
    /// - Throws: `ArtifactError` naming the first failed check.
    public convenience init(loading bytes: [UInt8], verifying verifier: ArtifactVerifier) throws(ArtifactError) {
        try self.init(artifact: try verifier.verify(bytes))
    }

    /// Prepares an already verified (or locally built) artifact.
    /// - Throws: `ArtifactError` for an unsupported format version or feature spec, bad scales, zero points,
    ///   shapes or operators.
    public init(artifact: consuming Earshot_V1_ModelArtifact) throws(ArtifactError) {
        guard artifact.formatVersion == ArtifactVerifier.formatVersion else {
            throw .unsupportedVersion(
                what: "artifact format", found: artifact.formatVersion, supported: ArtifactVerifier.formatVersion)
        }
        try FeatureSpecValidator.validate(artifact.features)
        let graph = try GraphDescription(artifact.graph, mode: .quantized)
        // The description holds the weights now and `prepare` frees them layer by layer: the artifact keeps
        // only the manifest, so a load never holds the weights three times.
        artifact.clearGraph()
        manifest = artifact
        let plan = BufferPlan(graph)
        inputShape = graph.tensors[graph.input].shape
        inputCount = graph.tensors[graph.input].count
        outputCount = graph.tensors[graph.output].count
        inputOffset = plan.offsets[graph.input]
        outputOffset = plan.offsets[graph.output]
        let windowHasOneReader = graph.layers.filter { $0.inputs.contains(graph.input) }.count == 1
        steps = try Self.prepare(consume graph, plan: plan)
        let means = manifest.features.featureMean.count
        guard means == 0 || inputCount % means == 0 else {
            throw .unsupportedFeatureSpec("feature_mean has \(means) values, which do not divide the \(inputCount) inputs")
        }
        standardization = InputStandardization(
            mean: manifest.features.featureMean, std: manifest.features.featureStd, inputCount: inputCount)
        if case .quantize(let parameters, let source, let destination, _)? = steps.first, source == inputOffset, windowHasOneReader {
            windowQuantization = (parameters, destination)
        } else {
            windowQuantization = nil
        }
        int8Arena = .allocate(capacity: max(plan.int8Count, 1))
        int8Arena.initialize(repeating: 0)
        floatArena = .allocate(capacity: max(plan.floatCount, 1))
        floatArena.initialize(repeating: 0)
        scratch = .allocate(capacity: max(steps.map(\.scratchCount).max() ?? 0, 1))
        scratch.initialize(repeating: 0)
    }

    deinit {
        int8Arena.deallocate()
        floatArena.deallocate()
        scratch.deallocate()
    }

    /// Runs one window. Never throws, never allocates.
    /// - Parameters:
    ///   - window: `inputCount` features in `inputShape` order (after the feature spec's standardisation).
    ///   - output: receives `outputCount` values: probabilities (binary, multiclass) or the reconstruction
    ///     (anomaly score models).
    /// - Precondition: the buffer sizes match `inputCount` and `outputCount`.
    public func infer(_ window: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(window.count == inputCount && output.count == outputCount, "Model.infer buffer sizes")
        if let (parameters, destination) = windowQuantization {
            parameters.quantize(window, into: UnsafeMutableBufferPointer(start: int8Arena.baseAddress! + destination, count: inputCount))
            for step in steps.dropFirst() { run(step) }
        } else {
            (floatArena.baseAddress! + inputOffset).update(from: window.baseAddress!, count: inputCount)
            for step in steps { run(step) }
        }
        for i in 0..<outputCount { output[i] = floatArena[outputOffset + i] }
    }

    /// The artifact's `feature_mean`/`feature_std` (`InputStandardization`), or nil when it has none.
    public let standardization: InputStandardization?

    /// A raw feature row standardised with the artifact's `feature_mean`/`feature_std`, as the agent's scorer
    /// does before `infer`; `row` unchanged when the spec has no standardisation. Allocates; for tools and
    /// tests that feed `infer` precomputed features.
    /// - Precondition: `row.count == inputCount`.
    public func standardizing(_ row: [Float]) -> [Float] {
        precondition(row.count == inputCount, "Model.standardizing row size")
        return standardization?.applied(to: row) ?? row
    }

    /// Runs one window and returns a new array (allocates; for tools and tests, not the agent's loop).
    public func infer(_ window: [Float]) -> [Float] {
        var output = [Float](repeating: 0, count: outputCount)
        window.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { infer(input, into: $0) }
        }
        return output
    }
}

import Foundation
import Inference

/// A trained float model with everything needed to use and audit it: the hub-side float model file that
/// `earshot quantize` turns into a signed int8 artifact (docs/artifacts.md). `Sendable`.
///
/// File format (`earshot train --out`), little-endian:
/// ```
/// offset 0   8 bytes  magic "ESHTFLT\0"
///        8   UInt32   format version (currently 1)
///       12   UInt32   manifest length M in bytes
///       16   M bytes  UTF-8 JSON manifest: task, labels, config (the YAML text), graph without weights
///                     (`ModelGraph.strippingWeights()`), weightShapes (in `ModelGraph.kerasWeights` order),
///                     threshold, metrics, createdAt (ISO 8601); band-deviation models also
///                     baseline, machineBaselines and machineThresholds (absent in older files)
///   16 + M   …        float32 weights, concatenated in `weightShapes` order
/// ```
public struct TrainedModel: Sendable, Equatable {
    /// File magic.
    public static let magic: [UInt8] = Array("ESHTFLT\0".utf8)
    /// Newest format version this build reads and writes.
    public static let formatVersion: UInt32 = 1

    /// What the output means.
    public var task: ModelTask
    /// Class names in output order (`[normal]` for an anomaly model).
    public var labels: [String]
    /// The experiment config YAML the model was trained from, verbatim.
    public var configYAML: String
    /// The graph with all float weights.
    public var graph: ModelGraph
    /// Alarm threshold on the anomaly score (anomaly models), or the probability threshold (classifiers).
    public var threshold: Double?
    /// Held-out metrics, e.g. `test.accuracy`, `validation.loss`.
    public var metrics: [String: Double]
    /// Band-deviation models: the baseline of a machine without its own (all training machines pooled).
    public var baseline: BandBaseline?
    /// Band-deviation models: each machine's own baseline, keyed like `machineThresholds`.
    public var machineBaselines: [String: BandBaseline]
    /// Alarm thresholds of single machines, keyed by machine (`fan/id_00` for a dataset's machine ids,
    /// `<site>/<asset id>` in a plant); a machine without one uses `threshold`.
    public var machineThresholds: [String: Double]
    /// When training finished.
    public var createdAt: Date

    /// A model.
    public init(
        task: ModelTask, labels: [String], configYAML: String, graph: ModelGraph, threshold: Double?,
        metrics: [String: Double], baseline: BandBaseline? = nil, machineBaselines: [String: BandBaseline] = [:],
        machineThresholds: [String: Double] = [:], createdAt: Date = Date()
    ) {
        self.task = task
        self.labels = labels
        self.configYAML = configYAML
        self.graph = graph
        self.threshold = threshold
        self.metrics = metrics
        self.baseline = baseline
        self.machineBaselines = machineBaselines
        self.machineThresholds = machineThresholds
        self.createdAt = createdAt
    }

    private struct Manifest: Codable {
        var task: ModelTask
        var labels: [String]
        var config: String
        var graph: ModelGraph
        var weightShapes: [[Int]]
        var threshold: Double?
        var metrics: [String: Double]
        var baseline: BandBaseline?
        var machineBaselines: [String: BandBaseline]?
        var machineThresholds: [String: Double]?
        var createdAt: Date
    }

    /// The encoded file.
    public func encoded() throws -> Data {
        let weights = graph.kerasWeights
        let manifest = Manifest(
            task: task, labels: labels, config: configYAML, graph: graph.strippingWeights(),
            weightShapes: weights.map(\.shape), threshold: threshold, metrics: metrics, baseline: baseline,
            machineBaselines: machineBaselines.isEmpty ? nil : machineBaselines,
            machineThresholds: machineThresholds.isEmpty ? nil : machineThresholds, createdAt: createdAt)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(manifest)
        var data = Data(Self.magic)
        withUnsafeBytes(of: Self.formatVersion.littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for w in weights {
            for v in w.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        }
        return data
    }

    /// Writes the file atomically.
    public func write(to path: String) throws {
        try encoded().write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Decodes and validates a model file (magic, version, lengths, weight shapes against the graph).
    /// - Throws: `TrainingError.invalidModelFile` saying what is wrong and what to do.
    public init(data: Data, path: String = "<data>") throws {
        func fail(_ reason: String) -> TrainingError { .invalidModelFile(path: path, reason: reason) }
        let bytes = [UInt8](data)
        guard bytes.count >= 16, Array(bytes[0..<8]) == Self.magic else {
            throw fail("not an Earshot float model file (bad magic); pass a file written by `earshot train`")
        }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        let version = u32(8)
        guard version == Self.formatVersion else {
            throw fail("format version \(version) is not supported (this build reads \(Self.formatVersion)); retrain or upgrade earshot")
        }
        let length = Int(u32(12))
        guard 16 + length <= bytes.count else { throw fail("truncated manifest") }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let manifest: Manifest
        do { manifest = try decoder.decode(Manifest.self, from: Data(bytes[16..<(16 + length)])) } catch {
            throw fail("corrupt manifest: \(error)")
        }
        let counts = manifest.weightShapes.map { $0.reduce(1, *) }
        guard manifest.weightShapes.allSatisfy({ $0.allSatisfy { $0 > 0 } }),
            16 + length + 4 * counts.reduce(0, +) == bytes.count
        else { throw fail("weight data is \(bytes.count - 16 - length) bytes, expected \(4 * counts.reduce(0, +))") }
        var offset = 16 + length
        var weights: [WeightTensor] = []
        for (shape, count) in zip(manifest.weightShapes, counts) {
            let values = (0..<count).map { i in Float(bitPattern: u32(offset + 4 * i)) }
            weights.append(WeightTensor(shape: shape, values: values))
            offset += 4 * count
        }
        let outputs: Int
        do {
            graph = try manifest.graph.filledWithKerasWeights(weights)
            outputs = try Network(graph: graph, seed: 0).outputShape.reduce(1, *)
        } catch {
            throw fail("weights do not fit the graph: \(error)")
        }
        for (machine, baseline) in [("", manifest.baseline)] + (manifest.machineBaselines ?? [:]).map({ ($0, $1) }) {
            guard let baseline else { continue }
            guard baseline.mean.count == outputs, baseline.spread.count == outputs, baseline.mean.allSatisfy(\.isFinite),
                baseline.spread.allSatisfy({ $0.isFinite && $0 > 0 })
            else {
                throw fail("the band baseline\(machine.isEmpty ? "" : " of \(machine)") does not fit the model's \(outputs) outputs")
            }
        }
        guard (manifest.machineThresholds ?? [:]).values.allSatisfy(\.isFinite) else { throw fail("a machine threshold is not finite") }
        task = manifest.task
        labels = manifest.labels
        configYAML = manifest.config
        threshold = manifest.threshold
        metrics = manifest.metrics
        baseline = manifest.baseline
        machineBaselines = manifest.machineBaselines ?? [:]
        machineThresholds = manifest.machineThresholds ?? [:]
        createdAt = manifest.createdAt
    }

    /// Reads and validates a model file.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TrainingError.invalidModelFile(path: path, reason: "cannot read the file")
        }
        try self.init(data: data, path: path)
    }
}

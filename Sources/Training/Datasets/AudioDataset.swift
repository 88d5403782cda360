import Foundation
import MachineDatasets

/// The clips of an audio dataset with their labels, read from a MIMII or DCASE 2020 Task 2 directory or a
/// CSV manifest. `Sendable`.
///
/// - MIMII: `<snr>_dB_<type>/<type>/id_<NN>/<normal|abnormal>/*.wav` (type, id, SNR and condition from the path).
/// - DCASE 2020 Task 2: `<type>/<train|test>/<normal|anomaly>_id_<NN>_<n>.wav` (`train/` and `test/` become
///   the clips' roles).
/// - A CSV manifest (seed 003 style): the `dataset.audio_column` holds paths (relative to the CSV's folder, or
///   to `dataset.data_folder` resolved against it); with one `dataset.label_columns` entry its value is the
///   class name, with several each column is a class holding 0/1 (one-hot). Optional columns `split`
///   (train/validation/test), `machine_type`, `machine_id`, `snr_db`, `condition` and `source` add roles and breakdowns;
///   MIMII/DCASE-shaped paths fill the breakdown fields as well.
///
/// A directory's label is the clip's condition (`normal`/`abnormal`) when every configured label is one of
/// those two, else its machine type.
public struct AudioDataset: Sendable, Equatable {
    /// Which scheme the clips were read from. `Sendable`.
    public enum Layout: String, Sendable, Equatable {
        /// MIMII directory tree.
        case mimii
        /// DCASE 2020 Task 2 directory tree.
        case dcase
        /// CSV manifest.
        case manifest
    }

    /// The clips, sorted by path for directories, in file order for a manifest.
    public var clips: [AudioClip]
    /// Where they came from.
    public var layout: Layout
    /// The directory or CSV file scanned.
    public var source: String

    /// Clips as given (for tests and programmatic datasets).
    public init(clips: [AudioClip], layout: Layout, source: String) {
        self.clips = clips
        self.layout = layout
        self.source = source
    }

    /// Reads a dataset: `path` is a MIMII or DCASE directory, or a `.csv` manifest.
    /// - Parameters:
    ///   - config: the `dataset:` section (labels, manifest column names, `data_folder`).
    ///   - anomalyModel: the labels describe normal data only (an autoencoder): `abnormal` clips are accepted
    ///     as test positives even though `abnormal` is not a configured label.
    /// - Throws: `TrainingError.invalidDataset` for a missing path, a directory with no `.wav` files (an empty
    ///   dataset), a `.wav` whose path fits neither layout, a label not in `config.labels`, or a bad manifest.
    public init(at path: String, config: DatasetConfig, anomalyModel: Bool = false) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TrainingError.invalidDataset("\(path): no such file or directory")
        }
        source = path
        if isDirectory.boolValue {
            (clips, layout) = try Self.scanDirectory(path, config: config)
        } else {
            clips = try Self.readManifest(path, config: config)
            layout = .manifest
        }
        guard !clips.isEmpty else {
            throw TrainingError.invalidDataset("\(path): empty dataset (no .wav clips\(layout == .manifest ? " listed" : " found"))")
        }
        var allowed = Set(config.labels)
        if anomalyModel { allowed.insert("abnormal") }
        if let bad = clips.first(where: { !allowed.contains($0.label) }) {
            throw TrainingError.invalidDataset(
                "\(bad.origin): label '\(bad.label)' is not in dataset.labels [\(config.labels.joined(separator: ", "))]")
        }
    }

    /// Whether the dataset itself names a test set (DCASE `test/`, a manifest `split` column).
    public var hasTestRole: Bool { clips.contains { $0.role == .test } }

    /// Clips of `other` appended with `role` (for `--val-data` / `--test-data`).
    public func adding(_ other: AudioDataset, as role: AudioClip.Role) -> AudioDataset {
        var copy = self
        copy.clips += other.clips.map { clip in
            var clip = clip
            clip.role = role
            return clip
        }
        return copy
    }

    private static func scanDirectory(_ root: String, config: DatasetConfig) throws -> ([AudioClip], Layout) {
        let files = (FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? [])
            .filter { $0.lowercased().hasSuffix(".wav") && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }.sorted()
        let byCondition = Set(config.labels).isSubset(of: ["normal", "abnormal"])
        var clips: [AudioClip] = []
        var layouts: Set<Layout> = []
        for file in files {
            let path = root.hasSuffix("/") ? root + file : root + "/" + file
            guard var clip = describe(path) else {
                throw TrainingError.invalidDataset(
                    "\(path): fits neither the MIMII (<snr>_dB_<type>/<type>/id_<NN>/<normal|abnormal>/*.wav) nor the "
                        + "DCASE (<type>/<train|test>/<normal|anomaly>_id_<NN>_<n>.wav) layout; use a CSV manifest")
            }
            layouts.insert(clip.snrDB != nil ? .mimii : .dcase)
            if !byCondition, let type = clip.machineType { clip.label = type }
            clips.append(clip)
        }
        return (clips, layouts.count == 1 && layouts.first == .dcase ? .dcase : .mimii)
    }

    /// Fields from a MIMII or DCASE-shaped path (label = condition), or nil.
    static func describe(_ path: String) -> AudioClip? {
        guard let parsed = DatasetClipPath.parse(path) else { return nil }
        let condition = parsed.condition.rawValue
        switch parsed.layout {
        case .mimii:
            return AudioClip(
                path: path, label: condition, condition: condition, machineType: parsed.machineType, machineID: parsed.machineName,
                snrDB: parsed.snrDB, source: "mimii")
        case .dcase:
            return AudioClip(
                path: path, label: condition, condition: condition, machineType: parsed.machineType, machineID: parsed.machineName,
                role: parsed.split == .train ? .train : .test, source: "dcase")
        }
    }

    private static func readManifest(_ path: String, config: DatasetConfig) throws -> [AudioClip] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw TrainingError.invalidDataset("\(path): cannot read the manifest as UTF-8 text")
        }
        let table = try CSVTable(text: text, name: path)
        func required(_ name: String, _ key: String) throws -> Int {
            guard let index = table.column(name) else {
                throw TrainingError.invalidDataset(
                    "\(path): no column '\(name)' (dataset.\(key)); columns are \(table.header.joined(separator: ", "))")
            }
            return index
        }
        let audio = try required(config.audioColumn, "audio_column")
        let labelColumns = try config.labelColumns.map { try required($0, "label_columns") }
        let optional = ["split", "machine_type", "machine_id", "snr_db", "condition", "source"].map(table.column)
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        let folder = config.dataFolder.map { base.appendingPathComponent($0) } ?? base
        return try table.rows.map { line, fields in
            func fail(_ reason: String) -> TrainingError { .invalidDataset("\(path) line \(line): \(reason)") }
            let file = fields[audio]
            guard !file.isEmpty else { throw fail("empty \(config.audioColumn)") }
            let resolved = file.hasPrefix("/") ? file : folder.appendingPathComponent(file).path
            guard FileManager.default.fileExists(atPath: resolved) else { throw fail("no such audio file \(resolved)") }
            let label: String
            if labelColumns.count == 1 {
                label = fields[labelColumns[0]].trimmingCharacters(in: .whitespaces)
            } else {
                let hot = labelColumns.indices.filter { Double(fields[labelColumns[$0]]) == 1 }
                guard hot.count == 1, labelColumns.allSatisfy({ ["0", "1", "0.0", "1.0"].contains(fields[$0]) }) else {
                    throw fail("label columns \(config.labelColumns.joined(separator: ", ")) must hold 0/1 with exactly one 1")
                }
                label = config.labelColumns[hot[0]]
            }
            guard !label.isEmpty else { throw fail("empty label") }
            var clip = describe(resolved) ?? AudioClip(path: resolved, label: label)
            clip.label = label
            clip.role = nil
            clip.listedAt = "\(path) line \(line)"
            if let i = optional[0], !fields[i].isEmpty {
                switch fields[i].lowercased() {
                case "train", "training": clip.role = .train
                case "val", "valid", "validation": clip.role = .validation
                case "test": clip.role = .test
                default: throw fail("split '\(fields[i])' is not train, validation or test")
                }
            }
            if let i = optional[1], !fields[i].isEmpty { clip.machineType = fields[i] }
            if let i = optional[2], !fields[i].isEmpty { clip.machineID = fields[i] }
            if let i = optional[3], !fields[i].isEmpty { clip.snrDB = fields[i] }
            if let i = optional[4], !fields[i].isEmpty { clip.condition = fields[i] }
            if let i = optional[5], !fields[i].isEmpty { clip.source = fields[i] }
            return clip
        }
    }
}

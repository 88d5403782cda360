import Foundation

/// Where one clip sits in a MIMII or DCASE 2020 Task 2 tree, and what its path says about it: the one
/// place that both reads these paths (`parse`) and writes them (`relativePath`), so training, feature
/// extraction and the synthesizer cannot drift apart.
///
/// `Sendable`: a value type.
public struct DatasetClipPath: Sendable, Hashable {
    /// A DCASE clip's role in its directory.
    public enum Split: String, Sendable, CaseIterable {
        /// `train/`: normal clips to learn from.
        case train
        /// `test/`: normal and anomalous clips to judge.
        case test
    }

    /// Which scheme.
    public var layout: DatasetLayout
    /// The machine type directory (`fan`, `pump`, `ToyCar`, …).
    public var machineType: String
    /// The machine id's digits as written (`00`, `06`).
    public var machineID: String
    /// Normal or abnormal.
    public var condition: ClipCondition
    /// The MIMII SNR folder's level as written (`6`, `0`, `-6`, `2.5`); nil for DCASE.
    public var snrDB: String?
    /// The DCASE directory (`train` or `test`); nil for MIMII.
    public var split: Split?
    /// The clip's number within its directory (MIMII: the file name; DCASE: the last number).
    public var index: Int

    /// `id_<NN>`, as both layouts name the machine.
    public var machineName: String { "id_" + machineID }

    /// A MIMII clip: `<snr>_dB_<type>/<type>/id_<NN>/<normal|abnormal>/<8 digits>.wav`.
    public static func mimii(snrDB: Double, machineType: String, machineID: Int, condition: ClipCondition, index: Int) -> DatasetClipPath {
        DatasetClipPath(
            layout: .mimii, machineType: machineType, machineID: twoDigits(machineID), condition: condition,
            snrDB: snrFolder(snrDB), split: nil, index: index)
    }

    /// A DCASE clip: `<type>/<train|test>/<normal|anomaly>_id_<NN>_<8 digits>.wav`.
    public static func dcase(split: Split, machineType: String, machineID: Int, condition: ClipCondition, index: Int) -> DatasetClipPath {
        DatasetClipPath(
            layout: .dcase, machineType: machineType, machineID: twoDigits(machineID), condition: condition, snrDB: nil,
            split: split, index: index)
    }

    /// The path below the dataset's root.
    public var relativePath: String {
        switch layout {
        case .mimii:
            "\(snrDB ?? "0")_dB_\(machineType)/\(machineType)/\(machineName)/\(condition.rawValue)/\(Self.eightDigits(index)).wav"
        case .dcase:
            "\(machineType)/\((split ?? .test).rawValue)/\(condition.dcaseWord)_\(machineName)_\(Self.eightDigits(index)).wav"
        }
    }

    /// What a path's last components say, if they follow either layout (anything may come before them);
    /// nil otherwise.
    public static func parse(_ path: String) -> DatasetClipPath? {
        if let m = path.firstMatch(of: mimiiPattern) {
            return DatasetClipPath(
                layout: .mimii, machineType: String(m.3), machineID: String(m.4), condition: m.5 == "normal" ? .normal : .abnormal,
                snrDB: String(m.1), split: nil, index: Int(m.6) ?? 0)
        }
        if let m = path.firstMatch(of: dcasePattern) {
            return DatasetClipPath(
                layout: .dcase, machineType: String(m.1), machineID: String(m.4), condition: m.3 == "normal" ? .normal : .abnormal,
                snrDB: nil, split: m.2 == "train" ? .train : .test, index: Int(m.5) ?? 0)
        }
        return nil
    }

    // <snr>_dB_<type>/<type>/id_<NN>/<normal|abnormal>/<file>.wav
    nonisolated(unsafe) private static let mimiiPattern =
        /(?:^|\/)(-?\d+(?:\.\d+)?)_dB_([A-Za-z0-9]+)\/([A-Za-z0-9]+)\/id_(\d+)\/(normal|abnormal)\/([^\/]+)\.wav$/
    // <type>/<train|test>/<normal|anomaly>_id_<NN>_<n>.wav
    nonisolated(unsafe) private static let dcasePattern = /(?:^|\/)([A-Za-z0-9]+)\/(train|test)\/(normal|anomaly)_id_(\d+)_(\d+)\.wav$/

    /// MIMII's SNR folder prefix: `6`, `0`, `-6`; non-integral levels keep their decimals (`2.5`).
    static func snrFolder(_ snrDB: Double) -> String {
        if snrDB == snrDB.rounded() { return String(Int(snrDB)) }
        return String(format: "%g", snrDB)
    }

    private static func twoDigits(_ id: Int) -> String { String(format: "%02d", id) }

    private static func eightDigits(_ index: Int) -> String { String(format: "%08d", index) }
}

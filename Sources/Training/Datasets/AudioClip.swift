/// One audio file of a dataset with what its path or manifest says about it. `Sendable`.
public struct AudioClip: Sendable, Equatable {
    /// Which set a dataset itself puts a clip in (DCASE `train/`/`test/`, a manifest's `split` column,
    /// `--val-data`/`--test-data`); clips without a role are split by `DatasetSplit`. `Sendable`.
    public enum Role: String, Sendable, Equatable, CaseIterable {
        /// The training pool (validation may still be split off it), e.g. DCASE `train/`.
        case train
        /// Validation only.
        case validation
        /// Held-out test only, e.g. DCASE `test/`.
        case test
    }

    /// Path of the audio file as given (relative paths resolve against the working directory).
    public var path: String
    /// Class name: the machine type or `normal`/`abnormal` for layouts, the label column(s) for a manifest.
    public var label: String
    /// `normal` or `abnormal` when the layout or manifest says so (DCASE's `anomaly` reads as `abnormal`).
    public var condition: String?
    /// Machine type (`fan`, `pump`, …) when known.
    public var machineType: String?
    /// Machine id (`id_00`, …) when known.
    public var machineID: String?
    /// Signal-to-noise level in dB as the MIMII folder names it (`6`, `0`, `-6`) when known.
    public var snrDB: String?
    /// The set the dataset assigns, if any.
    public var role: Role?
    /// Which recording campaign it comes from: `mimii` or `dcase` from the layout, or a manifest's `source`
    /// column. Lets a breakdown show a classifier that learned the recording setup instead of the machine.
    public var source: String?
    /// Where a manifest lists it (`<manifest> line <n>`), for error messages.
    public var listedAt: String?

    /// A clip.
    public init(
        path: String, label: String, condition: String? = nil, machineType: String? = nil, machineID: String? = nil,
        snrDB: String? = nil, role: Role? = nil, source: String? = nil
    ) {
        self.path = path
        self.label = label
        self.condition = condition
        self.machineType = machineType
        self.machineID = machineID
        self.snrDB = snrDB
        self.role = role
        self.source = source
    }

    /// The clip as an error message names it: its manifest line and path, or its path.
    public var origin: String { listedAt.map { "\($0) (\(path))" } ?? path }

    /// The breakdown groups this clip belongs to: `machine_type`, `machine_id` (qualified by type, e.g.
    /// `fan/id_00`, since ids repeat across types), `snr_db`, `source` and `source_machine_id` (e.g.
    /// `dcase/fan/id_00`), for those the dataset knows.
    public var groups: [String: String] {
        var groups: [String: String] = [:]
        if let machineType { groups["machine_type"] = machineType }
        let machine = machineID.map { id in machineType.map { "\($0)/\(id)" } ?? id }
        if let machine { groups["machine_id"] = machine }
        if let snrDB { groups["snr_db"] = snrDB }
        if let source {
            groups["source"] = source
            groups["source_machine_id"] = machine.map { "\(source)/\($0)" } ?? source
        }
        return groups
    }
}

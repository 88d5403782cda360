/// One file of a synthesised dataset: which clip it holds and where it goes.
///
/// Value type; `Sendable`.
public struct DatasetClip: Sendable, Hashable {
    /// The machine id (`id_00` → 0).
    public var machineID: Int
    /// Whether the clip is an anomaly.
    public var anomalous: Bool
    /// The clip's index among its id's normal (or anomalous) clips, from 0. With the dataset
    /// seed it fixes the clip's content, whatever the layout.
    public var index: Int
    /// Where the file goes, relative to the dataset root, `/`-separated.
    public var relativePath: String

    /// Describes one file.
    public init(machineID: Int, anomalous: Bool, index: Int, relativePath: String) {
        self.machineID = machineID
        self.anomalous = anomalous
        self.index = index
        self.relativePath = relativePath
    }
}

import Foundation

/// How a synthesised dataset is laid out on disk: MIMII's or DCASE 2020 Task 2's directory scheme.
public enum DatasetLayout: String, Sendable, CaseIterable {
    /// MIMII: `<snr>_dB_<machine>/<machine>/id_<NN>/<normal|abnormal>/<8 digits>.wav`,
    /// e.g. `-6_dB_fan/fan/id_00/abnormal/00000003.wav`.
    case mimii
    /// DCASE 2020 Task 2: `<machine>/<train|test>/<normal|anomaly>_id_<NN>_<8 digits>.wav`.
    ///
    /// Split per id: the test set gets as many normal clips as anomalous ones (all anomalies go
    /// to test), capped by the normal clips there are; the remaining normal clips form the
    /// training set. Normal clips with the lowest indices train; numbering restarts at 0 in
    /// each (directory, label, id), as in the DCASE development set.
    case dcase

    /// Every file of a dataset with `normalPerID` normal and `abnormalPerID` anomalous clips
    /// for each of `ids`, in id order, normal clips first.
    public func clips(machine: MachineType, ids: [Int], normalPerID: Int, abnormalPerID: Int, snrDB: Double) -> [DatasetClip] {
        var clips: [DatasetClip] = []
        for id in ids {
            let testNormals = min(normalPerID, abnormalPerID)
            let trainNormals = normalPerID - testNormals
            for index in 0..<max(0, normalPerID) {
                let path: String
                switch self {
                case .mimii:
                    path =
                        "\(Self.snrFolder(snrDB))_dB_\(machine.rawValue)/\(machine.rawValue)/id_\(Self.twoDigits(id))/normal/\(Self.eightDigits(index)).wav"
                case .dcase:
                    let (split, number) = index < trainNormals ? ("train", index) : ("test", index - trainNormals)
                    path = "\(machine.rawValue)/\(split)/normal_id_\(Self.twoDigits(id))_\(Self.eightDigits(number)).wav"
                }
                clips.append(DatasetClip(machineID: id, anomalous: false, index: index, relativePath: path))
            }
            for index in 0..<max(0, abnormalPerID) {
                let path: String
                switch self {
                case .mimii:
                    path =
                        "\(Self.snrFolder(snrDB))_dB_\(machine.rawValue)/\(machine.rawValue)/id_\(Self.twoDigits(id))/abnormal/\(Self.eightDigits(index)).wav"
                case .dcase:
                    path = "\(machine.rawValue)/test/anomaly_id_\(Self.twoDigits(id))_\(Self.eightDigits(index)).wav"
                }
                clips.append(DatasetClip(machineID: id, anomalous: true, index: index, relativePath: path))
            }
        }
        return clips
    }

    /// MIMII's SNR folder prefix: `6`, `0`, `-6`; non-integral levels keep their decimals (`2.5`).
    static func snrFolder(_ snrDB: Double) -> String {
        if snrDB == snrDB.rounded() { return String(Int(snrDB)) }
        return String(format: "%g", snrDB)
    }

    private static func twoDigits(_ id: Int) -> String {
        String(format: "%02d", id)
    }

    private static func eightDigits(_ index: Int) -> String {
        String(format: "%08d", index)
    }
}

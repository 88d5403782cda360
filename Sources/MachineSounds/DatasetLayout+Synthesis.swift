import MachineDatasets

extension DatasetLayout {
    /// Every file of a synthesised dataset with `normalPerID` normal and `abnormalPerID` anomalous clips
    /// for each of `ids`, in id order, normal clips first.
    ///
    /// DCASE splits per id: the test set gets as many normal clips as anomalous ones (all anomalies go
    /// to test), capped by the normal clips there are; the remaining normal clips form the training set.
    /// Normal clips with the lowest indices train; numbering restarts at 0 in each (directory, condition,
    /// id), as in the DCASE development set.
    public func clips(machine: MachineType, ids: [Int], normalPerID: Int, abnormalPerID: Int, snrDB: Double) -> [DatasetClip] {
        var clips: [DatasetClip] = []
        for id in ids {
            let testNormals = min(normalPerID, abnormalPerID)
            let trainNormals = normalPerID - testNormals
            for index in 0..<max(0, normalPerID) {
                let path: DatasetClipPath =
                    switch self {
                    case .mimii:
                        .mimii(snrDB: snrDB, machineType: machine.rawValue, machineID: id, condition: .normal, index: index)
                    case .dcase:
                        index < trainNormals
                            ? .dcase(split: .train, machineType: machine.rawValue, machineID: id, condition: .normal, index: index)
                            : .dcase(
                                split: .test, machineType: machine.rawValue, machineID: id, condition: .normal, index: index - trainNormals)
                    }
                clips.append(DatasetClip(machineID: id, anomalous: false, index: index, relativePath: path.relativePath))
            }
            for index in 0..<max(0, abnormalPerID) {
                let path: DatasetClipPath =
                    switch self {
                    case .mimii: .mimii(snrDB: snrDB, machineType: machine.rawValue, machineID: id, condition: .abnormal, index: index)
                    case .dcase: .dcase(split: .test, machineType: machine.rawValue, machineID: id, condition: .abnormal, index: index)
                    }
                clips.append(DatasetClip(machineID: id, anomalous: true, index: index, relativePath: path.relativePath))
            }
        }
        return clips
    }
}

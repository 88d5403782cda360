import SeededRandom

extension AudioDataset {
    /// Clip indices (into `clips`) of the training, validation and test sets, each ascending. `Sendable`.
    public struct Partition: Sendable, Equatable {
        /// Training clips.
        public var training: [Int]
        /// Validation clips (early stopping, threshold calibration).
        public var validation: [Int]
        /// Held-out test clips.
        public var test: [Int]

        /// Creates a partition from ascending clip indices.
        public init(training: [Int], validation: [Int], test: [Int]) {
            self.training = training
            self.validation = validation
            self.test = test
        }
    }

    /// Splits the clips into training, validation and test sets.
    ///
    /// Roles the dataset gives win: `validation` and `test` clips stay there. The rest is split with
    /// `DatasetSplit` (stratified by label, seeded): `validationFraction` is used only when no clip has the
    /// validation role, `testFraction` only when no clip has a `train`/`test` role (the layout then defines
    /// the test set).
    ///
    /// With `anomalyModel` (DCASE protocol) training and validation hold normal clips only: abnormal clips
    /// go to test, and for clips without a role each machine (type + id) also sends as many randomly chosen
    /// normal clips to test as it has abnormal ones, as the DCASE development set does, but at most
    /// `maxNormalShareHeldOut` of its normal clips (band baselines pass 0.5, so a machine with as many
    /// abnormal as normal recordings keeps half of them to learn from); the remaining normal clips are
    /// split into training and validation.
    public func partition(
        validationFraction: Double, testFraction: Double, seed: UInt64, anomalyModel: Bool, maxNormalShareHeldOut: Double = 1
    ) -> Partition {
        var training: [Int] = [], validation: [Int] = [], test: [Int] = []
        let hasValidation = clips.contains { $0.role == .validation }
        let layoutSplit = clips.contains { $0.role == .train || $0.role == .test }
        var pool: [Int] = []
        for (i, clip) in clips.enumerated() {
            switch clip.role {
            case .validation:
                // An anomaly model calibrates its threshold on normal validation clips only.
                if anomalyModel && !clip.isNormal { test.append(i) } else { validation.append(i) }
            case .test: test.append(i)
            case .train, nil: pool.append(i)
            }
        }
        if anomalyModel {
            var generator = SeededGenerator(seed: seed)
            var normals: [Int] = []
            var byMachine: [String: (normal: [Int], abnormal: Int)] = [:]
            for i in pool {
                if !clips[i].isNormal {
                    test.append(i)
                    if clips[i].role == nil { byMachine[clips[i].machineKey, default: ([], 0)].abnormal += 1 }
                } else if clips[i].role == nil {
                    byMachine[clips[i].machineKey, default: ([], 0)].normal.append(i)
                } else {
                    normals.append(i)
                }
            }
            for key in byMachine.keys.sorted() {
                var (members, abnormal) = byMachine[key]!
                members.shuffle(using: &generator)
                let held = min(abnormal, Int(Double(members.count) * maxNormalShareHeldOut))
                test += members[..<held]
                normals += members[held...]
            }
            pool = normals.sorted()
        }
        let rank = Dictionary(uniqueKeysWithValues: Set(clips.map(\.label)).sorted().enumerated().map { ($1, $0) })
        let split = DatasetSplit(
            classes: pool.map { rank[clips[$0].label]! },
            validationFraction: hasValidation ? 0 : validationFraction,
            testFraction: layoutSplit || anomalyModel ? 0 : testFraction, seed: seed)
        training = split.training.map { pool[$0] }
        validation += split.validation.map { pool[$0] }
        test += split.test.map { pool[$0] }
        return Partition(training: training.sorted(), validation: validation.sorted(), test: test.sorted())
    }
}

extension AudioClip {
    /// Normal unless its condition (or, lacking one, its label) says `abnormal`.
    public var isNormal: Bool { (condition ?? label) != "abnormal" }

    /// Type and id, the unit DCASE scores and splits by.
    var machineKey: String { "\(machineType ?? "")/\(machineID ?? "")" }
}
